/*
 * Run a program and write its peak RSS and CPU time, for bench/run.
 *
 *   peak_rss OUT_FILE PROGRAM [ARG...]
 *
 * Linux carries a process's RSS high-water mark across fork and exec, so a
 * program started straight from a large benchmark driver reports the
 * driver's size when it is larger than its own. Started from this small
 * launcher, it reports its own. Standard input and output pass through; the
 * exit status is the program's (128 + signal when a signal ended it). OUT_FILE
 * gets one line: "maxrss_kib cpu_seconds".
 *
 *   cc -O2 -o peak_rss peak_rss.c
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: peak_rss OUT_FILE PROGRAM [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("peak_rss: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("peak_rss: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("peak_rss: wait4");
		return 2;
	}
	out = fopen(argv[1], "w");
	if (!out) {
		perror("peak_rss: open");
		return 2;
	}
	fprintf(out, "%ld %.3f\n", ru.ru_maxrss,
	        (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	                (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	fclose(out);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
