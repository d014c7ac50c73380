/*
 * Baseline for bench/manifest_bench.sh: read every *.yaml / *.yml below a
 * directory (sorted, hidden entries skipped, like gwsync) and run libyaml's
 * event parser over it, doing nothing else. Prints the event count.
 *
 *   cc -O2 -o yaml_parse_only yaml_parse_only.c $(pkg-config --cflags --libs yaml-0.1)
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

static char **paths;
static size_t npaths, cappaths;

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static void walk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path);
		} else if (has_suffix(de->d_name, ".yaml") || has_suffix(de->d_name, ".yml")) {
			if (npaths == cappaths) {
				cappaths = cappaths ? cappaths * 2 : 1024;
				paths = realloc(paths, cappaths * sizeof(*paths));
				if (!paths)
					exit(1);
			}
			paths[npaths++] = strdup(path);
		}
	}
	closedir(d);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	unsigned long events = 0;
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	walk(argv[1]);
	qsort(paths, npaths, sizeof(*paths), cmp);
	for (size_t i = 0; i < npaths; i++) {
		FILE *f = fopen(paths[i], "rb");
		yaml_parser_t p;
		yaml_event_t ev;
		int done = 0;
		if (!f)
			continue;
		yaml_parser_initialize(&p);
		yaml_parser_set_input_file(&p, f);
		while (!done) {
			if (!yaml_parser_parse(&p, &ev))
				break;
			done = ev.type == YAML_STREAM_END_EVENT;
			events++;
			yaml_event_delete(&ev);
		}
		yaml_parser_delete(&p);
		fclose(f);
		free(paths[i]);
	}
	free(paths);
	printf("%zu files, %lu events\n", npaths, events);
	return 0;
}
