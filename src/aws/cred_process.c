/*
 * credential_process: run the profile's command without a shell and read
 * the credentials JSON it prints (Version 1).
 */
#include "aws/credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
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

/* Read both pipes until EOF, the caps or the deadline. */
static int drain(int out_fd, int err_fd, gws_buf *out, gws_buf *errbuf)
{
	struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
	int remaining_ms = PROCESS_TIMEOUT_MS;
	char chunk[4096];

	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		int n = poll(fds, 2, 1000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return gws_error_set_errno(GWS_EIO, "credential_process: poll");
		if (n == 0 && (remaining_ms -= 1000) <= 0)
			return gws_error_set(GWS_ETIMEOUT,
			                     "credential_process: no result within %d s",
			                     PROCESS_TIMEOUT_MS / 1000);
		for (int i = 0; i < 2; i++) {
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

/* First line of the child's stderr, for the error message. */
static const char *first_line(gws_buf *b)
{
	char *s = b->ptr;
	if (s == NULL)
		return "";
	s[strcspn(s, "\r\n")] = '\0';
	return s;
}

int gws_aws__cred_process(gws_aws_credentials *out, const char *command_line)
{
	char **argv = NULL;
	int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
	posix_spawn_file_actions_t fa;
	bool fa_init = false;
	pid_t pid = -1;
	gws_buf sout = GWS_BUF_INIT(PROCESS_STDOUT_CAP), serr = GWS_BUF_INIT(PROCESS_STDERR_CAP);
	int err, status = 0, rc;

	memset(out, 0, sizeof(*out));
	if ((err = gws_aws__split_command(&argv, command_line)) < 0)
		goto cleanup;
	if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
		err = gws_error_set_errno(GWS_EIO, "credential_process: pipe");
		goto cleanup;
	}
	fcntl(out_pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(err_pipe[0], F_SETFD, FD_CLOEXEC);
	if (posix_spawn_file_actions_init(&fa) != 0) {
		err = GWS_ENOMEM;
		goto cleanup;
	}
	fa_init = true;
	posix_spawn_file_actions_adddup2(&fa, out_pipe[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, err_pipe[1], STDERR_FILENO);
	posix_spawn_file_actions_addclose(&fa, out_pipe[1]);
	posix_spawn_file_actions_addclose(&fa, err_pipe[1]);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	if (rc != 0) {
		pid = -1;
		err = gws_error_set(GWS_EAUTH, "credential_process: cannot run %s: %s", argv[0],
		                    strerror(rc));
		goto cleanup;
	}
	close(out_pipe[1]);
	close(err_pipe[1]);
	out_pipe[1] = err_pipe[1] = -1;
	if ((err = drain(out_pipe[0], err_pipe[0], &sout, &serr)) < 0) {
		kill(pid, SIGKILL);
		goto cleanup;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	pid = -1;
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
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	if (fa_init)
		posix_spawn_file_actions_destroy(&fa);
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
