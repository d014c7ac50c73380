/*
 * Test helper: start and stop tests/unit/stubs/aws_stub_server.py on
 * 127.0.0.1 port 0 and read what it received. Header-only (static inline)
 * so only the aws tests that include it carry it.
 */
#ifndef GWS_TEST_AWS_STUB_H
#define GWS_TEST_AWS_STUB_H

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
	char script_path[512];
	char log_path[512];
} aws_stub;

static inline const char *aws_stub_env(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

/* Run argv (argv[0] looked up in PATH) with stdout to a pipe and stderr to
 * `errlog` (NULL: the test's own); read the first stdout line (the server's
 * URL) into s->url. */
static inline int aws_stub_spawn(aws_stub *s, char *const argv[], const char *errlog)
{
	int fds[2];
	FILE *out;

	if (pipe(fds) != 0)
		return -1;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		FILE *err = errlog ? fopen(errlog, "w") : NULL;
#ifdef __linux__
		/* A test that dies before stopping the server takes it along. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
		dup2(fds[1], 1);
		if (err)
			dup2(fileno(err), 2);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	if (!out)
		return -1;
	if (!fgets(s->url, sizeof(s->url), out)) {
		fclose(out);
		return -1;
	}
	fclose(out);
	s->url[strcspn(s->url, "\r\n")] = '\0';
	return strncmp(s->url, "http://127.0.0.1:", 17) == 0 ? 0 : -1;
}

/* Start the stub with `script_json` (see the server's docstring). 0 on success. */
static inline int aws_stub_start(aws_stub *s, const char *name, const char *script_json)
{
	const char *scratch = aws_stub_env("GWSYNC_SCRATCH", ".");
	const char *src = aws_stub_env("GWSYNC_SOURCE_DIR", "../../..");
	char server[512], errlog[512], py[256];
	FILE *f;

	memset(s, 0, sizeof(*s));
	snprintf(py, sizeof(py), "%s", aws_stub_env("PYTHON3", "python3"));
	snprintf(s->script_path, sizeof(s->script_path), "%s/%s.script.json", scratch, name);
	snprintf(s->log_path, sizeof(s->log_path), "%s/%s.requests.jsonl", scratch, name);
	snprintf(errlog, sizeof(errlog), "%s/%s.stderr", scratch, name);
	snprintf(server, sizeof(server), "%s/tests/unit/stubs/aws_stub_server.py", src);
	f = fopen(s->script_path, "w");
	if (!f)
		return -1;
	fputs(script_json, f);
	fclose(f);
	char *const argv[] = {py, server, "--script", s->script_path, "--log", s->log_path, NULL};
	return aws_stub_spawn(s, argv, errlog);
}

static inline void aws_stub_stop(aws_stub *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
}

/* The request log (one JSON object per line) into `buf`. */
static inline int aws_stub_log(const aws_stub *s, gws_buf *buf)
{
	gws_buf_init(buf, 64u * 1024 * 1024);
	return gws_buf_read_file(buf, s->log_path);
}

/* Number of requests the stub received so far. */
static inline size_t aws_stub_count(aws_stub *s)
{
	gws_buf log;
	size_t n = 0;
	const char *p;

	if (aws_stub_log(s, &log) < 0)
		return 0;
	for (p = gws_buf_cstr(&log); *p; p++)
		n += *p == '\n';
	gws_buf_dispose(&log);
	return n;
}

#endif
