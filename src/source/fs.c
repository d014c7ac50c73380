/* The cache directory: where it lives, creating it, and removing checkouts. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* nftw() */
#endif
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/source_int.h"

int gws_source__mkdirs(const char *path)
{
	char *copy = gws_strdup(path);
	int error = 0;

	if (!copy)
		return GWS_ENOMEM;
	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			error = gws_error_set_errno(GWS_EIO, copy);
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	gws_free(copy);
	return error;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

int gws_source__remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : gws_error_set_errno(GWS_EIO, path);
	if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return gws_error_set_errno(GWS_EIO, path);
	return 0;
}

static char *default_cache(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		return gws_asprintf("%s/gwsync", xdg);
	if (home && home[0] == '/')
		return gws_asprintf("%s/.cache/gwsync", home);
	return NULL;
}

int gws_source__workdir(char **out, bool *temp, const char *requested)
{
	char *dir = requested ? gws_strdup(requested) : default_cache();
	const char *tmp = getenv("TMPDIR");

	*temp = false;
	if (dir && gws_source__mkdirs(dir) == 0 && access(dir, W_OK | X_OK) == 0) {
		*out = dir;
		return 0;
	}
	if (requested) {
		gws_free(dir);
		return gws_error_set(GWS_EINVALID, "--workdir %s: cannot create or write it",
		                     requested);
	}
	gws_free(dir);
	/* No usable cache: a private temporary one, removed when the source is freed. */
	if (!(dir = gws_asprintf("%s/gwsync-XXXXXX", tmp && *tmp ? tmp : "/tmp")))
		return GWS_ENOMEM;
	if (!mkdtemp(dir)) {
		gws_free(dir);
		return gws_error_set_errno(GWS_EIO, "temporary workdir");
	}
	gws_error_clear();
	*temp = true;
	*out = dir;
	return 0;
}
