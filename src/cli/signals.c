/*
 * Ending a run on SIGTERM, SIGINT or SIGHUP: a CronJob past its deadline, a
 * cancelled CI job, Ctrl-C. The default action would leave a temporary git
 * cache behind, so the handler removes it first (async-signal-safe), says
 * why on stderr and exits with 128 + the signal's number, as a shell
 * reports a process a signal ended. The cache lock goes with the process.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static void say(const char *s)
{
	if (write(STDERR_FILENO, s, strlen(s)) < 0)
		return;
}

static void on_terminate(int sig)
{
	gws_source_remove_temporary();
	say(sig == SIGTERM  ? "gwsync: stopped by SIGTERM\n"
	    : sig == SIGINT ? "gwsync: stopped by SIGINT\n"
	                    : "gwsync: stopped by SIGHUP\n");
	_exit(128 + sig);
}

void cli_handle_termination(void)
{
	static const int signals[] = {SIGTERM, SIGINT, SIGHUP};
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_terminate;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < GWS_ARRAY_SIZE(signals); i++)
		sigaddset(&sa.sa_mask, signals[i]); /* one handler at a time */
	for (size_t i = 0; i < GWS_ARRAY_SIZE(signals); i++) {
		/* A signal ignored when gwsync started (nohup) stays ignored, and
		 * a command's own handler (sync stops gracefully) stays its own. */
		if (sigaction(signals[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL)
			continue;
		sigaction(signals[i], &sa, NULL);
	}
}
