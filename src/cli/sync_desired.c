/*
 * The desired state of a sync and the run lease that guards it: the
 * manifests are read, validated and modelled; an apply then takes the
 * repository's lease (docs/git-source.md, "The run lease"). A run that had
 * to wait for another one reads the repository again once it holds the
 * lease, because the other run may have applied a newer commit: applying
 * the older one would undo it until the next run.
 *
 * The lease is tied to the source it was taken through, so a re-read lets
 * it go and takes it again: it is free then, unless a third run is quicker,
 * in which case this one waits again.
 */
#include <string.h>
#include <unistd.h>

#include "cli/sync.h"
#include "cli/sync_targets.h"

/* Reads once more at most this often after waiting for another run. */
#define MAX_REREADS 3

void cli_desired_init(cli_desired *d)
{
	memset(d, 0, sizeof(*d));
	gws_diag_list_init(&d->diags);
}

static void drop_state(cli_desired *d)
{
	gws_model_free(d->model);
	gws_manifest_store_free(d->store);
	gws_source_free(d->source);
	gws_diag_list_dispose(&d->diags);
	d->model = NULL;
	d->store = NULL;
	d->source = NULL;
	gws_diag_list_init(&d->diags);
}

void cli_desired_dispose(cli_desired *d)
{
	cli_desired_release(d);
	drop_state(d);
}

void cli_desired_release(cli_desired *d)
{
	if (!d->lease)
		return;
	if (gws_source_lease_release(d->lease) < 0)
		gws_log(GWS_LOG_WARN, "lease",
		        "the run lease was not released (it expires on its "
		        "own): %s",
		        gws_error_last());
	gws_source_lease_free(d->lease);
	d->lease = NULL;
}

static void print_diags(const gws_diag_list *diags)
{
	gws_buf line = GWS_BUF_INIT(GWS_CAP_LINE);

	for (size_t i = 0; i < diags->count; i++) {
		gws_buf_clear(&line);
		if (gws_diag_format(&line, &diags->items[i]) == 0)
			gws_print(stderr, "%s", gws_buf_cstr(&line));
	}
	gws_buf_dispose(&line);
}

static int read_once(cli_desired *d, const char *cmd, cli_common *common, const cli_model_flags *mf)
{
	int rc, exit_code;

	if ((exit_code = cli_open_repo(cmd, common, &d->source, &d->diags)) != 0)
		return exit_code;
	if ((rc = cli_load_manifests(common, &d->store, &d->diags)) < 0) {
		cli_report_error(cmd);
		return cli_exit_for_error(rc);
	}
	if (d->targets &&
	    (exit_code = cli_sync_cluster_services(d->targets, d->store, &d->diags)) != 0)
		return exit_code;
	if ((rc = cli_build_model(mf, d->store, &d->model, &d->diags)) < 0) {
		cli_report_error(cmd);
		return cli_exit_for_error(rc);
	}
	gws_diag_list_sort(&d->diags);
	print_diags(&d->diags);
	if (d->diags.errors) {
		/* Nothing is read from or written to AWS with a broken desired state. */
		gws_print(stderr,
		          "gwsync %s: %zu error%s in the manifests: nothing was applied or pruned",
		          cmd, d->diags.errors, d->diags.errors == 1 ? "" : "s");
		return CLI_EXIT_INVALID;
	}
	return 0;
}

static int take_lease(cli_desired *d, const cli_lease_flags *lf, bool *waited)
{
	gws_source_lease_options o;
	char host[128] = "unknown", holder[200];
	int rc;

	if (gethostname(host, sizeof(host) - 1) < 0)
		snprintf(host, sizeof(host), "unknown");
	snprintf(holder, sizeof(holder), "%s pid %ld", host, (long)getpid());
	memset(&o, 0, sizeof(o));
	o.name = lf->name;
	o.holder = holder;
	o.run_id = lf->run_id;
	o.ttl_ms = lf->ttl_ms;
	o.wait_ms = lf->wait_ms;
	if ((rc = gws_source_lease_acquire(&d->lease, waited, d->source, &o)) < 0) {
		gws_print(stderr, "gwsync sync: %s", gws_error_last());
		return rc == GWS_ELOCKED ? CLI_EXIT_LOCKED : cli_exit_for_error(rc);
	}
	return 0;
}

int cli_desired_read(cli_desired *d, const char *cmd, cli_common *common, const cli_model_flags *mf,
                     const cli_lease_flags *lf)
{
	int exit_code;

	for (int round = 0;; round++) {
		bool waited = false;

		if ((exit_code = read_once(d, cmd, common, mf)) != 0 || !lf)
			return exit_code;
		if ((exit_code = take_lease(d, lf, &waited)) != 0)
			return exit_code;
		if (!waited)
			return 0;
		if (round == MAX_REREADS) {
			gws_print(stderr, "gwsync sync: other runs kept taking the lease first");
			return CLI_EXIT_LOCKED;
		}
		gws_log(GWS_LOG_INFO, "lease",
		        "another run held the lease and may have applied a newer commit: reading "
		        "the repository again");
		cli_desired_release(d);
		drop_state(d);
	}
}
