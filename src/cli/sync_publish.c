/*
 * The status of a run goes back to where the manifests came from
 * (docs/git-source.md, "Status commits"): a plain folder gets the report
 * files written in place; a git source gets them as one commit on the
 * branch read (or --status-branch), pushed, rebuilt on the new tip when the
 * branch moved meanwhile. A commit only when a file changed.
 */
#include <string.h>

#include "cli/sync.h"

typedef struct {
	const cli_publish *p;
	gws_report_result res;
} build_ctx;

/* Called by gws_source_publish with the tip's .gwsync/<cluster> in `root`. */
static int build(const char *root, void *payload)
{
	build_ctx *b = payload;
	int rc;

	memset(&b->res, 0, sizeof(b->res));
	if ((rc = gws_report_write(&b->p->status->input, root, &b->res)) < 0)
		return rc;
	/* The report leaves rendered/ to the bindings, which ride in the same commit. */
	if (b->p->bindings && cli_sync_write_bindings(b->p->status, b->p->vpc_id, root) != 0)
		return gws_error_set(GWS_EIO, "the TargetGroupBindings were not written");
	return 0;
}

static int write_folder(const cli_publish *p)
{
	gws_report_result res = {0};
	int rc = gws_report_write(&p->status->input, gws_source_path(p->source), &res);

	if (rc == 0)
		gws_log(GWS_LOG_INFO, "status", "report: %zu file%s written, %zu removed%s",
		        res.written, res.written == 1 ? "" : "s", res.removed,
		        res.changed ? "" : " (unchanged)");
	return rc;
}

static int commit(const cli_publish *p)
{
	gws_source_publish_options o;
	gws_source_publish_result res;
	gws_buf dir = GWS_BUF_INIT(GWS_CAP_LINE), msg = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	gws_buf name = GWS_BUF_INIT(GWS_CAP_LINE);
	const bool sharded = p->shard && p->shard->shard.count > 1;
	build_ctx b = {p, {0}};
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&res, 0, sizeof(res));

	/* A shard commits only its own folder, so shards never touch the same path and
	 * rebuilding one shard's commit on another's always succeeds. */
	if ((rc = gws_report_shard_dir(&dir, p->cluster, sharded ? p->shard->folder : NULL)) < 0 ||
	    (rc = gws_buf_printf(&name, "%s%s%s", p->cluster, sharded ? " " : "",
	                         sharded ? p->shard->title : "")) < 0 ||
	    (rc = cli_status_message(&msg, gws_buf_cstr(&name), p->plan,
	                             gws_source_commit(p->source), p->run_id)) < 0)
		goto cleanup;
	o.branch = p->status_branch;
	o.subdir = gws_buf_cstr(&dir);
	o.author = p->author;
	o.message = gws_buf_cstr(&msg);
	o.push = p->push;
	o.build = build;
	o.payload = &b;
	if ((rc = gws_source_publish(p->source, &o, &res)) < 0)
		goto cleanup;
	/* gws_source_publish logs the commit it made. */
	if (!res.committed)
		gws_log(GWS_LOG_INFO, "status", "report unchanged: no commit");
cleanup:
	gws_buf_dispose(&dir);
	gws_buf_dispose(&msg);
	gws_buf_dispose(&name);
	return rc;
}

int cli_publish_status(const cli_publish *p)
{
	int rc = gws_source_commit(p->source) ? commit(p) : write_folder(p);

	if (rc < 0)
		gws_print(stderr, "gwsync sync: AWS is %s, but the status report was not %s: %s",
		          p->aws_ok ? "converged" : "as the plan above says",
		          gws_source_commit(p->source) ? "committed" : "written", gws_error_last());
	return rc < 0 ? CLI_EXIT_PUSH : 0;
}
