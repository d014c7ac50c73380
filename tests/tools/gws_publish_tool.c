/*
 * A test driver for the source module's status commits and run lease
 * (gws_source_publish, gws_source_lease_*), so they are tested through real
 * transports before and besides the CLI that uses them.
 *
 *   gws_publish_tool publish --repo R [--ref REF] --workdir W --files DIR
 *       --subdir S --message M [--branch B] [--author A] [--no-push]
 *       [--max-attempts N] [--compete CMD] [--compete-always]
 *     The build callback replaces root/S by a copy of DIR. --compete runs
 *     CMD (sh -c) in the callback of the first attempt (of every attempt
 *     with --compete-always): a push racing ours.
 *   gws_publish_tool lease --repo R [--ref REF] --workdir W --name N
 *       --holder H --run-id I --ttl-ms T --wait-ms W [--hold-ms MS]
 *       [--hold-until FILE] [--renew-ttl-ms T] [--release]
 *     Acquires, prints "acquired waited=0|1", holds MS (with --hold-until:
 *     until FILE exists, MS at most), then renews and/or releases as asked.
 * Prints "key=value" lines on stdout; on failure "error=<GWS name>: message"
 * on stdout and exits 1.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gwsync/source.h"

typedef struct {
	const char *repo, *ref, *workdir, *files, *subdir, *message, *branch, *author;
	const char *compete, *name, *holder, *run_id, *known_hosts, *hold_until;
	bool no_push, compete_always, release;
	int max_attempts, calls;
	long long ttl_ms, wait_ms, hold_ms, renew_ttl_ms;
} tool;

static int fail(int code)
{
	printf("error=%s: %s\n", gws_error_name(code), gws_error_last());
	return 1;
}

static int build(const char *root, void *payload)
{
	tool *t = payload;
	char *cmd;
	int rc;

	t->calls++;
	printf("build=%d\n", t->calls);
	fflush(stdout);
	if (t->compete && (t->calls == 1 || t->compete_always) && system(t->compete) != 0)
		return gws_error_set(GWS_ERROR, "the competing push failed");
	cmd = gws_asprintf("rm -rf '%s/%s' && mkdir -p '%s/%s' && cp -R '%s/.' '%s/%s/'", root,
	                   t->subdir, root, t->subdir, t->files, root, t->subdir);
	if (!cmd)
		return GWS_ENOMEM;
	rc = system(cmd);
	gws_free(cmd);
	return rc == 0 ? 0 : gws_error_set(GWS_EIO, "cannot copy %s", t->files);
}

static int do_publish(tool *t, gws_source *src)
{
	gws_source_publish_options o = {t->branch,   t->subdir,       t->author, t->message,
	                                !t->no_push, t->max_attempts, build,     t};
	gws_source_publish_result r;
	int error = gws_source_publish(src, &o, &r);

	printf("attempts=%d\n", r.attempts);
	if (error < 0)
		return fail(error);
	printf("committed=%d\npushed=%d\ncommit=%s\n", r.committed, r.pushed, r.commit);
	return 0;
}

static void sleep_ms(long long ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Holds for hold_ms, or until the test creates hold_until: a test that must
 * see a run wait says when to let go instead of guessing how long it takes. */
static void hold(const tool *t)
{
	long long left = t->hold_ms;

	if (!t->hold_until) {
		sleep_ms(left);
		return;
	}
	for (; left > 0 && access(t->hold_until, F_OK) != 0; left -= 50)
		sleep_ms(50);
}

static int do_lease(tool *t, gws_source *src)
{
	gws_source_lease_options o = {t->name, t->holder, t->run_id, t->ttl_ms, t->wait_ms};
	gws_source_lease *lease = NULL;
	bool waited = false;
	int error;

	if ((error = gws_source_lease_acquire(&lease, &waited, src, &o)) < 0)
		return fail(error);
	printf("acquired waited=%d\n", waited);
	fflush(stdout);
	hold(t);
	if (t->renew_ttl_ms > 0) {
		if ((error = gws_source_lease_renew(lease, t->renew_ttl_ms)) < 0)
			goto out;
		printf("renewed\n");
	}
	if (t->release) {
		if ((error = gws_source_lease_release(lease)) < 0)
			goto out;
		printf("released\n");
	}
out:
	gws_source_lease_free(lease);
	return error < 0 ? fail(error) : 0;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
	        {"repo", 1, 0, 'r'},
	        {"ref", 1, 0, 'f'},
	        {"workdir", 1, 0, 'w'},
	        {"files", 1, 0, 'F'},
	        {"subdir", 1, 0, 's'},
	        {"message", 1, 0, 'm'},
	        {"branch", 1, 0, 'b'},
	        {"author", 1, 0, 'a'},
	        {"no-push", 0, 0, 'n'},
	        {"max-attempts", 1, 0, 'M'},
	        {"compete", 1, 0, 'c'},
	        {"compete-always", 0, 0, 'C'},
	        {"name", 1, 0, 'N'},
	        {"holder", 1, 0, 'H'},
	        {"run-id", 1, 0, 'i'},
	        {"ttl-ms", 1, 0, 't'},
	        {"wait-ms", 1, 0, 'W'},
	        {"hold-ms", 1, 0, 'h'},
	        {"hold-until", 1, 0, 'u'},
	        {"renew-ttl-ms", 1, 0, 'R'},
	        {"release", 0, 0, 'x'},
	        {"ssh-known-hosts", 1, 0, 'k'},
	        {0, 0, 0, 0},
	};
	tool t = {0};
	gws_source_options so = GWS_SOURCE_OPTIONS_INIT;
	gws_diag_list diags;
	gws_source *src = NULL;
	const char *cmd;
	int c, rc;

	if (argc < 2)
		return 2;
	cmd = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 'r':
			t.repo = optarg;
			break;
		case 'f':
			t.ref = optarg;
			break;
		case 'w':
			t.workdir = optarg;
			break;
		case 'F':
			t.files = optarg;
			break;
		case 's':
			t.subdir = optarg;
			break;
		case 'm':
			t.message = optarg;
			break;
		case 'b':
			t.branch = optarg;
			break;
		case 'a':
			t.author = optarg;
			break;
		case 'n':
			t.no_push = true;
			break;
		case 'M':
			t.max_attempts = atoi(optarg);
			break;
		case 'c':
			t.compete = optarg;
			break;
		case 'C':
			t.compete_always = true;
			break;
		case 'N':
			t.name = optarg;
			break;
		case 'H':
			t.holder = optarg;
			break;
		case 'i':
			t.run_id = optarg;
			break;
		case 't':
			t.ttl_ms = atoll(optarg);
			break;
		case 'W':
			t.wait_ms = atoll(optarg);
			break;
		case 'h':
			t.hold_ms = atoll(optarg);
			break;
		case 'u':
			t.hold_until = optarg;
			break;
		case 'R':
			t.renew_ttl_ms = atoll(optarg);
			break;
		case 'x':
			t.release = true;
			break;
		case 'k':
			t.known_hosts = optarg;
			break;
		default:
			return 2;
		}
	}
	gws_diag_list_init(&diags);
	so.repo = t.repo;
	so.ref = t.ref;
	so.workdir = t.workdir;
	so.ssh_known_hosts = t.known_hosts ? t.known_hosts : getenv("GWSYNC_SSH_KNOWN_HOSTS");
	if ((rc = gws_source_open(&src, &so, &diags)) < 0) {
		rc = fail(rc);
		goto done;
	}
	printf("opened=%s\nbranch=%s\nreceived_open=%zu\n",
	       gws_source_commit(src) ? gws_source_commit(src) : "-",
	       gws_source_branch(src) ? gws_source_branch(src) : "-",
	       gws_source_received_objects(src));
	if (strcmp(cmd, "publish") == 0)
		rc = do_publish(&t, src);
	else if (strcmp(cmd, "lease") == 0)
		rc = do_lease(&t, src);
	else
		rc = 2;
	printf("received_total=%zu\n", gws_source_received_objects(src));
done:
	gws_source_free(src);
	gws_diag_list_dispose(&diags);
	return rc;
}
