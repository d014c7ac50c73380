/*
 * Test helper: start and stop tests/unit/stubs/cred_stub_server.py (STS web
 * identity, container endpoint, IMDSv2) on 127.0.0.1 port 0. Header-only so
 * only the credential tests carry it.
 */
#ifndef GWS_TEST_CRED_STUB_H
#define GWS_TEST_CRED_STUB_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "gwsync/core.h"

typedef struct {
	pid_t pid;
	char url[128];
	char log_path[512];
} cred_stub;

/* `extra` is a NULL-terminated list of further arguments (may be NULL). 0 on success. */
static inline int cred_stub_start(cred_stub *s, const char *name, const char *const *extra)
{
	const char *scratch = getenv("GWSYNC_SCRATCH");
	const char *src = getenv("GWSYNC_SOURCE_DIR");
	const char *py = getenv("PYTHON3");
	char server[512];
	const char *argv[32];
	int fds[2], n = 0;
	FILE *out;

	memset(s, 0, sizeof(*s));
	if (!scratch || !*scratch)
		scratch = ".";
	if (!src || !*src)
		src = "../../../..";
	if (!py || !*py)
		py = "python3";
	snprintf(s->log_path, sizeof(s->log_path), "%s/%s.requests.jsonl", scratch, name);
	snprintf(server, sizeof(server), "%s/tests/unit/stubs/cred_stub_server.py", src);
	unlink(s->log_path);
	argv[n++] = py;
	argv[n++] = server;
	argv[n++] = "--log";
	argv[n++] = s->log_path;
	for (; extra && *extra && n < 30; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	if (pipe(fds) != 0)
		return -1;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
#ifdef __linux__
		/* A test that dies before stopping the server takes it along. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp(py, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	if ((out = fdopen(fds[0], "r")) == NULL)
		return -1;
	if (!fgets(s->url, sizeof(s->url), out)) {
		fclose(out);
		return -1;
	}
	fclose(out);
	s->url[strcspn(s->url, "\r\n")] = '\0';
	return strncmp(s->url, "http://127.0.0.1:", 17) == 0 ? 0 : -1;
}

static inline void cred_stub_stop(cred_stub *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
}

/* The request log (one JSON object per line); caller disposes `buf`. */
static inline int cred_stub_log(const cred_stub *s, gws_buf *buf)
{
	gws_buf_init(buf, 16u * 1024 * 1024);
	return gws_buf_read_file(buf, s->log_path);
}

#endif
