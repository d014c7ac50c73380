/*
 * Test helper: start tests/unit/stubs/cred_stub_server.py (STS web identity,
 * container endpoint, IMDSv2) on 127.0.0.1 port 0. It runs, stops and logs
 * like the aws stub (aws_stub_stop, aws_stub_log). Header-only so only the
 * credential tests carry it.
 */
#ifndef GWS_TEST_CRED_STUB_H
#define GWS_TEST_CRED_STUB_H

#include "stubs/aws_stub.h"

/* `extra` is a NULL-terminated list of further arguments (may be NULL). 0 on success. */
static inline int cred_stub_start(aws_stub *s, const char *name, const char *const *extra)
{
	const char *scratch = aws_stub_env("GWSYNC_SCRATCH", ".");
	const char *src = aws_stub_env("GWSYNC_SOURCE_DIR", "../../../..");
	char server[512], py[256];
	char *argv[32];
	int n = 0;

	memset(s, 0, sizeof(*s));
	snprintf(py, sizeof(py), "%s", aws_stub_env("PYTHON3", "python3"));
	snprintf(s->log_path, sizeof(s->log_path), "%s/%s.requests.jsonl", scratch, name);
	snprintf(server, sizeof(server), "%s/tests/unit/stubs/cred_stub_server.py", src);
	unlink(s->log_path);
	argv[n++] = py;
	argv[n++] = server;
	argv[n++] = "--log";
	argv[n++] = s->log_path;
	for (; extra && *extra && n < 30; extra++)
		argv[n++] = (char *)*extra;
	argv[n] = NULL;
	return aws_stub_spawn(s, argv, NULL);
}

#endif
