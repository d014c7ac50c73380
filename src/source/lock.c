/*
 * One run at a time per cache entry: two runs sharing a cache directory
 * would otherwise fetch into the same repository and write their commits'
 * manifests over each other's while the other reads them. The lock is an
 * flock(2) on the entry's file "lock", held for the life of the source; the
 * kernel drops it when the process ends, however it ends, so a crashed run
 * never leaves a stale lock behind. The file itself is never removed
 * (removing a lock file lets two runs lock two different files).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "source/source_int.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long long ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL); /* a signal cuts it short: the caller loops */
}

int gws_source__lock(int *fd_out, const char *dir, long long timeout_ms)
{
	char *path = gws_asprintf("%s/lock", dir);
	long long start = now_ms(), pause = 10;
	bool told = false;
	int fd, error = 0;

	*fd_out = -1;
	if (!path)
		return GWS_ENOMEM;
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		error = gws_error_set_errno(GWS_EIO, path);
		goto cleanup;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		long long waited = now_ms() - start;

		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			error = gws_error_set_errno(GWS_EIO, path);
			goto cleanup;
		}
		if (waited >= timeout_ms) {
			error = gws_error_set(GWS_ELOCKED,
			                      "another run holds the lock on the cache %s (waited "
			                      "%lld ms; see --lock-timeout)",
			                      dir, waited);
			goto cleanup;
		}
		if (!told) {
			gws_log(GWS_LOG_INFO, "source", "waiting for another run to release %s",
			        dir);
			told = true;
		}
		sleep_ms(pause < timeout_ms - waited ? pause : timeout_ms - waited);
		if (pause < 200)
			pause *= 2;
	}
	*fd_out = fd;
	fd = -1;
cleanup:
	if (fd >= 0)
		close(fd);
	gws_free(path);
	return error;
}

void gws_source__unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing the only descriptor releases the flock */
}
