/*
 * Removing the temporary cache from a signal handler. When no cache
 * directory is usable, a source works in a fresh temporary directory that
 * gws_source_free removes; a run stopped by SIGTERM (a CronJob's deadline,
 * a CI cancel) never gets there, so the CLI's handler calls
 * gws_source_remove_temporary before the process ends.
 *
 * A handler may only use async-signal-safe calls: no malloc, no stdio, no
 * nftw or readdir. The directories are kept in a fixed table, and removed
 * with openat / getdents64 / unlinkat, recursing with a small buffer per
 * level (a cache is a few levels deep; past MAX_LEVELS entries are left).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* getdents64 */
#endif
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "source/source_int.h"

#define MAX_TEMP_DIRS 4
#define MAX_PATH_LEN  4096
#define MAX_LEVELS    96

static struct {
	volatile sig_atomic_t used;
	char path[MAX_PATH_LEN];
} temp_dirs[MAX_TEMP_DIRS];

bool gws_source__temp_register(const char *path)
{
	size_t len = strlen(path);

	if (len >= MAX_PATH_LEN)
		return false;
	for (size_t i = 0; i < MAX_TEMP_DIRS; i++) {
		if (temp_dirs[i].used)
			continue;
		memcpy(temp_dirs[i].path, path, len + 1);
		temp_dirs[i].used = 1; /* only once the path is complete */
		return true;
	}
	return false;
}

void gws_source__temp_unregister(const char *path)
{
	for (size_t i = 0; i < MAX_TEMP_DIRS; i++)
		if (temp_dirs[i].used && strcmp(temp_dirs[i].path, path) == 0)
			temp_dirs[i].used = 0;
}

/* Empties the directory open as `dirfd` (which it closes). */
static void empty_dir(int dirfd, int level)
{
	char buf[1024];
	ssize_t n;
	bool removed_any = true;

	/* Removing entries while reading may skip some: read again until a
	 * pass removes nothing. */
	while (removed_any) {
		removed_any = false;
		if (lseek(dirfd, 0, SEEK_SET) < 0)
			break;
		while ((n = getdents64(dirfd, buf, sizeof(buf))) > 0) {
			for (ssize_t off = 0; off < n;) {
				struct dirent64 *d = (struct dirent64 *)(void *)(buf + off);
				const char *name = d->d_name;

				off += d->d_reclen;
				if (name[0] == '.' &&
				    (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
					continue;
				if (unlinkat(dirfd, name, 0) == 0) {
					removed_any = true;
					continue;
				}
				if (level < MAX_LEVELS) {
					int sub = openat(dirfd, name,
					                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					                         O_CLOEXEC);

					if (sub >= 0)
						empty_dir(sub, level + 1);
				}
				if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0)
					removed_any = true;
			}
		}
	}
	close(dirfd);
}

void gws_source_remove_temporary(void)
{
	for (size_t i = 0; i < MAX_TEMP_DIRS; i++) {
		int fd;

		if (!temp_dirs[i].used)
			continue;
		fd = open(temp_dirs[i].path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0)
			empty_dir(fd, 0);
		rmdir(temp_dirs[i].path);
	}
}
