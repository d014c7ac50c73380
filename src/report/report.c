/*
 * gws_report_write: plan every file in memory (reading the previous ones for
 * what must survive a run), then make the directory hold exactly the plan,
 * touching only files whose bytes differ.
 */
#include "report/internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int gws_report_dir(gws_buf *out, const char *cluster)
{
	return gws_report_shard_dir(out, cluster, NULL);
}

int gws_report_shard_dir(gws_buf *out, const char *cluster, const char *shard)
{
	if (!gws_report__safe_component(cluster) || cluster[0] == '.')
		return gws_error_set(GWS_EINVALID,
		                     "cluster name '%s' cannot name the report directory: use "
		                     "letters, digits, '-', '_' and '.', not starting with '.'",
		                     cluster ? cluster : "");
	if (shard && (!gws_report__safe_component(shard) || shard[0] == '.'))
		return gws_error_set(GWS_EINVALID, "shard folder '%s' is not a plain file name",
		                     shard);
	return shard ? gws_buf_printf(out, ".gwsync/%s/%s", cluster, shard)
	             : gws_buf_printf(out, ".gwsync/%s", cluster);
}

bool gws_report__owns(const gws_report__ctx *ctx, const char *gateway)
{
	const gws_report_input *in = ctx->in;

	return !in->shard || !in->owns_gateway || in->owns_gateway(in->owns_ctx, gateway);
}

bool gws_report__owns_shared(const gws_report__ctx *ctx)
{
	return !ctx->in->shard || ctx->in->shard_shared;
}

/* A Route goes with its first parent Gateway: its status is made from the
 * manifests alone, so any shard could write it, and exactly one must. */
bool gws_report__owns_route(const gws_report__ctx *ctx, const gws_model_route_status *rs)
{
	if (!ctx->in->shard)
		return true;
	for (size_t i = 0; i < rs->n_parents; i++) {
		const gws_model_route_parent_status *p = rs->parents[i];
		char *key;
		bool owns;

		if (!p->kind || strcmp(p->kind, "Gateway") != 0 || !p->name)
			continue;
		key = gws_asprintf("%s/%s",
		                   p->namespace_ ? p->namespace_ : rs->object->meta.namespace_,
		                   p->name);
		owns = key && gws_report__owns(ctx, key);
		gws_free(key);
		return owns;
	}
	return gws_report__owns_shared(ctx);
}

int gws_report__add_file(gws_report__ctx *ctx, const char *path, gws_buf *content)
{
	gws_report__file *f = gws_arena_calloc(ctx->arena, 1, sizeof(*f));
	char *data;

	if (!f || !(f->path = gws_arena_strdup(ctx->arena, path)))
		return GWS_ENOMEM;
	data = gws_arena_alloc(ctx->arena, content->size + 1);
	if (!data)
		return GWS_ENOMEM;
	if (content->size)
		memcpy(data, content->ptr, content->size);
	data[content->size] = '\0';
	f->data = data;
	f->len = content->size;
	gws_buf_clear(content);
	return gws_vec_push(&ctx->files, f);
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const gws_report__file *)a)->path, ((const gws_report__file *)b)->path);
}

static int plan(gws_report__ctx *ctx)
{
	gws_buf out = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	int error;

	if ((error = gws_report__overlay(ctx)) < 0 || (error = gws_report__status_files(ctx)) < 0 ||
	    (error = gws_report__inventory_build(ctx)) < 0)
		goto cleanup;
	if ((error = gws_report__inventory_render(&out, ctx)) < 0 ||
	    (error = gws_report__add_file(ctx, "inventory.json", &out)) < 0)
		goto cleanup;
	if ((error = gws_report__summary(&out, ctx)) < 0 ||
	    (error = gws_report__add_file(ctx, "SUMMARY.md", &out)) < 0)
		goto cleanup;
	error = gws_vec_sort(&ctx->files, file_cmp);
cleanup:
	gws_buf_dispose(&out);
	return error;
}

static int apply(gws_report__ctx *ctx, gws_report_result *res)
{
	const char **keep = NULL;
	size_t i;
	int error = 0;

	keep = gws_calloc(ctx->files.len + 1, sizeof(*keep));
	if (!keep)
		return GWS_ENOMEM;
	for (i = 0; i < ctx->files.len && !error; i++) {
		const gws_report__file *f = ctx->files.items[i];
		bool written = false;
		keep[i] = f->path;
		error = gws_report__fs_put(ctx->dirfd, f->path, f->data, f->len, &written,
		                           &res->removed);
		if (written)
			res->written++;
		else if (!error)
			res->unchanged++;
	}
	/* The targets writer owns rendered/: never pruned from here. */
	if (!error)
		error = gws_report__fs_prune(ctx->dirfd, keep, ctx->files.len, "rendered",
		                             &res->removed);
	gws_free(keep);
	return error;
}

int gws_report_write(const gws_report_input *in, const char *root, gws_report_result *out)
{
	gws_report__ctx ctx;
	gws_report_result res;
	gws_buf dir = GWS_BUF_INIT(GWS_CAP_LINE);
	int error;

	memset(&ctx, 0, sizeof(ctx));
	memset(&res, 0, sizeof(res));
	ctx.dirfd = -1;
	if (out)
		memset(out, 0, sizeof(*out));
	if (!in || !in->model || !root)
		return gws_error_set(GWS_EINVALID, "report: model and root directory are required");
	ctx.in = in;
	ctx.cluster = gws_model_cluster(in->model);
	if ((error = gws_report_shard_dir(&dir, ctx.cluster, in->shard)) < 0)
		goto cleanup;
	if ((error = gws_arena_new(&ctx.arena)) < 0)
		goto cleanup;
	if ((error = gws_report__fs_open_in(&ctx.dirfd, root, ctx.cluster, in->shard, true)) < 0)
		goto cleanup;
	if ((error = plan(&ctx)) < 0 || (error = apply(&ctx, &res)) < 0)
		goto cleanup;
	res.changed = res.written + res.removed > 0;
	gws_log(GWS_LOG_DEBUG, GWS_REPORT_LOG, "%s: %zu written, %zu removed, %zu unchanged",
	        gws_buf_cstr(&dir), res.written, res.removed, res.unchanged);
cleanup:
	/* Partial progress is reported too: the caller may still want to commit it. */
	res.changed = res.written + res.removed > 0;
	if (out)
		*out = res;
	if (ctx.dirfd >= 0)
		close(ctx.dirfd);
	gws_vec_dispose(&ctx.files);
	gws_arena_free(ctx.arena);
	gws_buf_dispose(&dir);
	return error;
}
