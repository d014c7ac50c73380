/*
 * credential_process under its deadline (issue 10 M7): a helper that trickles
 * stderr, one that closes its output and keeps running, and one that leaves
 * children behind are all stopped at the deadline (shortened here by the
 * test hook), and the whole process group goes with them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/credentials.h"

static char scratch[512];

static const char *script(const char *name, const char *text)
{
	static char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, 0700);
	return path;
}

static int setup(void **state)
{
	const char *s = getenv("GWSYNC_SCRATCH");

	(void)state;
	snprintf(scratch, sizeof(scratch), "%s", s && *s ? s : ".");
	gws_aws__set_process_timeout(700);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	gws_aws__set_process_timeout(0);
	return 0;
}

/* Runs `command` and expects the deadline to stop it. */
static void expect_deadline(const char *command)
{
	gws_aws_credentials creds;

	assert_int_equal(gws_aws__cred_process(&creds, command), GWS_ETIMEOUT);
	assert_non_null(strstr(gws_error_last(), "credential_process: no result within 1 s"));
	assert_null(creds.secret_access_key);
}

/* Whether `pid` is gone (or a zombie nobody will run again). */
static bool process_gone(pid_t pid)
{
	char path[64], stat[256] = "";
	FILE *f;
	const char *paren;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "r")))
		return true;
	if (!fgets(stat, sizeof(stat), f))
		stat[0] = '\0';
	fclose(f);
	paren = strrchr(stat, ')');
	return paren && paren[1] == ' ' && paren[2] == 'Z';
}

/* issue 10 M7: output that trickles in does not postpone the deadline. */
static void test_trickling_stderr(void **state)
{
	(void)state;
	expect_deadline(script("trickle.sh",
	                       "#!/bin/sh\n"
	                       "while :; do echo still working >&2; sleep 0.1; done\n"));
}

/* issue 10 M7: closing stdout and stderr is not exiting. */
static void test_closed_output_still_running(void **state)
{
	(void)state;
	expect_deadline(script("linger.sh",
	                       "#!/bin/sh\n"
	                       "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDLINGER\", "
	                       "\"SecretAccessKey\": \"linger-secret\"}'\n"
	                       "exec >&- 2>&-\n"
	                       "sleep 30\n"));
}

/* issue 10 M7: what the helper started dies with it. */
static void test_children_killed(void **state)
{
	char pidfile[700], cmd[1500];
	FILE *f;
	int pid = 0;
	(void)state;

	snprintf(pidfile, sizeof(pidfile), "%s/child.pid", scratch);
	unlink(pidfile);
	snprintf(cmd, sizeof(cmd), "%s %s",
	         script("parent.sh", "#!/bin/sh\n"
	                             "sleep 30 &\n"
	                             "echo $! > \"$1\"\n"
	                             "sleep 30\n"),
	         pidfile);
	expect_deadline(cmd);
	f = fopen(pidfile, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &pid), 1);
	fclose(f);
	assert_true(pid > 0);
	/* SIGKILL is delivered at once; give the kernel a moment to finish the exit. */
	for (int i = 0; i < 200 && !process_gone(pid); i++)
		usleep(10000);
	if (!process_gone(pid)) {
		kill(pid, SIGKILL);
		fail_msg("the helper's child %d outlived the deadline", pid);
	}
}

/* A helper that answers in time still works, deadline or not. */
static void test_prompt_helper(void **state)
{
	gws_aws_credentials creds;
	(void)state;

	assert_int_equal(
	        gws_aws__cred_process(&creds,
	                              script("prompt.sh", "#!/bin/sh\n"
	                                                  "echo starting >&2\n"
	                                                  "echo '{\"Version\": 1, \"AccessKeyId\": "
	                                                  "\"AKIDPROMPT\", \"SecretAccessKey\": "
	                                                  "\"prompt-secret\"}'\n")),
	        0);
	assert_string_equal(creds.access_key_id, "AKIDPROMPT");
	gws_aws_credentials_dispose(&creds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_trickling_stderr),
	        cmocka_unit_test(test_closed_output_still_running),
	        cmocka_unit_test(test_children_killed),
	        cmocka_unit_test(test_prompt_helper),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
