/*
 * credential_process: run the profile's command without a shell and read
 * the credentials JSON it prints (Version 1), within a deadline.
 */
#include "aws/credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

extern char **environ;

#define PROCESS_STDOUT_CAP (64u * 1024)
#define PROCESS_STDERR_CAP 4096
#define PROCESS_TIMEOUT_MS (60 * 1000)
#define PROCESS_MAX_ARGS   256

void gws_aws__free_argv(char **argv)
{
	if (argv == NULL)
		return;
	for (char **a = argv; *a; a++)
		gws_free(*a);
	gws_free(argv);
}

static int push_arg(char ***argv, size_t *argc, gws_buf *word)
{
	char *s, **n;
	if (*argc + 2 > PROCESS_MAX_ARGS)
		return gws_error_set(GWS_EINVALID, "credential_process: more than %d arguments",
		                     PROCESS_MAX_ARGS);
	if ((s = gws_buf_take(word, NULL)) == NULL)
		return GWS_ENOMEM;
	if ((n = gws_reallocarray(*argv, *argc + 2, sizeof(char *))) == NULL) {
		gws_free(s);
		return GWS_ENOMEM;
	}
	*argv = n;
	n[(*argc)++] = s;
	n[*argc] = NULL;
	return 0;
}

/* POSIX shell word splitting without expansion, as botocore's shlex.split. */
int gws_aws__split_command(char ***argv_out, const char *line)
{
	char **argv = NULL;
	size_t argc = 0;
	gws_buf word = GWS_BUF_INIT(GWS_CAP_LINE);
	bool in_word = false;
	int err = 0;
	const char *p = line;

	*argv_out = NULL;
	while (*p) {
		char c = *p++;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (in_word && (err = push_arg(&argv, &argc, &word)) < 0)
				goto cleanup;
			in_word = false;
			continue;
		}
		in_word = true;
		if ((err = gws_buf_puts(&word, "")) < 0)
			goto cleanup;
		if (c == '\'') {
			const char *end = strchr(p, '\'');
			if (end == NULL)
				goto unterminated;
			if ((err = gws_buf_put(&word, p, (size_t)(end - p))) < 0)
				goto cleanup;
			p = end + 1;
		} else if (c == '"') {
			for (;;) {
				if (*p == '\0')
					goto unterminated;
				c = *p++;
				if (c == '"')
					break;
				if (c == '\\' && *p && strchr("\"\\$`\n", *p))
					c = *p++;
				if ((err = gws_buf_putc(&word, c)) < 0)
					goto cleanup;
			}
		} else if (c == '\\') {
			if (*p == '\0')
				goto unterminated;
			c = *p++;
			if (c != '\n' && (err = gws_buf_putc(&word, c)) < 0)
				goto cleanup;
		} else if ((err = gws_buf_putc(&word, c)) < 0) {
			goto cleanup;
		}
	}
	if (in_word && (err = push_arg(&argv, &argc, &word)) < 0)
		goto cleanup;
	if (argc == 0) {
		err = gws_error_set(GWS_EINVALID, "credential_process: empty command");
		goto cleanup;
	}
	*argv_out = argv;
	argv = NULL;
	goto cleanup;
unterminated:
	err = gws_error_set(GWS_EINVALID, "credential_process: unterminated quote or escape");
cleanup:
	gws_buf_dispose(&word);
	gws_aws__free_argv(argv);
	return err;
}

/* ---- running the helper under a deadline ----------------------------------------
 * The helper gets PROCESS_TIMEOUT_MS from start to exit, whatever it does:
 * trickle output, close its pipes and keep running, or leave children
 * behind. It runs in a process group of its own, and on any failure the
 * whole group is killed, so what it started goes with it.
 */

static long timeout_ms = PROCESS_TIMEOUT_MS;

void gws_aws__set_process_timeout(long ms)
{
	timeout_ms = ms > 0 ? ms : PROCESS_TIMEOUT_MS;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int timed_out(void)
{
	return gws_error_set(GWS_ETIMEOUT, "credential_process: no result within %ld s",
	                     (timeout_ms + 999) / 1000);
}

/* Read both pipes until EOF on both, the stdout cap or the deadline. */
static int drain(int out_fd, int err_fd, gws_buf *out, gws_buf *errbuf, long deadline)
{
	struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
	char chunk[4096];

	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		long left = deadline - now_ms();
		int n;

		if (left <= 0)
			return timed_out();
		n = poll(fds, 2, (int)(left < 1000 ? left : 1000));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return gws_error_set_errno(GWS_EIO, "credential_process: poll");
		for (int i = 0; i < 2 && n > 0; i++) {
			ssize_t r;
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(fds[i].fd, chunk, sizeof(chunk));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				fds[i].fd = -1;
				continue;
			}
			if (i == 0 && gws_buf_put(out, chunk, (size_t)r) < 0)
				return gws_error_set(GWS_ETOOBIG,
				                     "credential_process: output larger than %u "
				                     "bytes",
				                     PROCESS_STDOUT_CAP);
			/* stderr is only for the error message: keep its start, drop the rest. */
			if (i == 1 && errbuf->size + (size_t)r < PROCESS_STDERR_CAP &&
			    gws_buf_put(errbuf, chunk, (size_t)r) < 0)
				return GWS_ENOMEM;
		}
	}
	return 0;
}

/* Wait for the helper's exit until the deadline (it may close its output and
 * go on running). */
static int reap(pid_t pid, int *status, long deadline)
{
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return gws_error_set_errno(GWS_EIO, "credential_process: waitpid");
		if (now_ms() >= deadline)
			return timed_out();
		poll(NULL, 0, 10);
	}
}

/* Kill the helper's whole process group and collect the helper itself. */
static void kill_group(pid_t pid)
{
	int status;

	kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* First line of the child's stderr, for the error message. */
static const char *first_line(gws_buf *b)
{
	char *s = b->ptr;
	if (s == NULL)
		return "";
	s[strcspn(s, "\r\n")] = '\0';
	return s;
}

/* Starts argv in a process group of its own, stdin from /dev/null, stdout
 * and stderr into the pipes' write ends. */
static int spawn(pid_t *pid, char **argv, int out_w, int err_w)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int rc;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return GWS_ENOMEM;
	if (posix_spawnattr_init(&attr) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return GWS_ENOMEM;
	}
	posix_spawn_file_actions_adddup2(&fa, out_w, STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, err_w, STDERR_FILENO);
	posix_spawn_file_actions_addclose(&fa, out_w);
	posix_spawn_file_actions_addclose(&fa, err_w);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	/* setpgid(0, 0) in the child: the group can be killed as one. */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	rc = posix_spawnp(pid, argv[0], &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		*pid = -1;
		return gws_error_set(GWS_EAUTH, "credential_process: cannot run %s: %s", argv[0],
		                     strerror(rc));
	}
	return 0;
}

int gws_aws__cred_process(gws_aws_credentials *out, const char *command_line)
{
	char **argv = NULL;
	int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
	pid_t pid = -1;
	gws_buf sout = GWS_BUF_INIT(PROCESS_STDOUT_CAP), serr = GWS_BUF_INIT(PROCESS_STDERR_CAP);
	long deadline = now_ms() + timeout_ms;
	int err, status = 0;

	memset(out, 0, sizeof(*out));
	if ((err = gws_aws__split_command(&argv, command_line)) < 0)
		goto cleanup;
	if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
		err = gws_error_set_errno(GWS_EIO, "credential_process: pipe");
		goto cleanup;
	}
	fcntl(out_pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(err_pipe[0], F_SETFD, FD_CLOEXEC);
	if ((err = spawn(&pid, argv, out_pipe[1], err_pipe[1])) < 0)
		goto cleanup;
	close(out_pipe[1]);
	close(err_pipe[1]);
	out_pipe[1] = err_pipe[1] = -1;
	if ((err = drain(out_pipe[0], err_pipe[0], &sout, &serr, deadline)) < 0 ||
	    (err = reap(pid, &status, deadline)) < 0)
		goto cleanup;
	pid = -1; /* exited and collected */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		err = gws_error_set(GWS_EAUTH, "credential_process: %s exited with %s %d: %s",
		                    argv[0], WIFEXITED(status) ? "status" : "signal",
		                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
		                    first_line(&serr));
		goto cleanup;
	}
	err = gws_aws__credentials_from_json(out, sout.ptr ? sout.ptr : "", sout.size,
	                                     "SessionToken", true, "credential_process",
	                                     "credential_process");
cleanup:
	/* Whatever went wrong, nothing the helper started outlives the call. */
	if (pid > 0)
		kill_group(pid);
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	if (sout.ptr)
		OPENSSL_cleanse(sout.ptr, sout.size);
	gws_buf_dispose(&sout);
	gws_buf_dispose(&serr);
	gws_aws__free_argv(argv);
	return err;
}
