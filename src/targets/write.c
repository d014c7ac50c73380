/*
 * The rendered folder: .gwsync/<cluster>/rendered/<namespace>/<name>.yaml,
 * one TargetGroupBinding per target group with an ARN, and a
 * kustomization.yaml listing them so Flux or Argo CD can apply the folder
 * as it is. Stale files go, unless some stack was not read this run: then
 * the bindings already there stay listed (removing one would make the
 * GitOps agent delete it, and the controller deregister its targets).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "targets/internal.h"

#define KUSTOMIZATION "kustomization.yaml"

typedef struct {
	char *path; /* "<namespace>/<name>.yaml", relative to rendered/ */
	char *data;
	size_t len;
} planned;

typedef struct {
	gws_vec files; /* planned * */
	gws_vec keep;  /* char *, every path under rendered/ to keep */
} plan;

static void plan_dispose(plan *p)
{
	for (size_t i = 0; i < p->files.len; i++) {
		planned *f = p->files.items[i];

		gws_free(f->path);
		gws_free(f->data);
		gws_free(f);
	}
	for (size_t i = 0; i < p->keep.len; i++)
		gws_free(p->keep.items[i]);
	gws_vec_dispose(&p->files);
	gws_vec_dispose(&p->keep);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(a, b); /* gws_vec_sort passes the items themselves */
}

static int file_cmp(const void *a, const void *b)
{
	const planned *x = a, *y = b;

	return strcmp(x->path, y->path);
}

static const char *find_resource(const gws_targets_input *in, const char *stack, const char *kind,
                                 const char *id)
{
	for (size_t i = 0; i < in->n_resources; i++) {
		const gws_report_resource *r = &in->resources[i];

		if (r->stack && r->kind && r->arn && strcmp(r->stack, stack) == 0 &&
		    strcmp(r->kind, kind) == 0 && (!id || (r->id && strcmp(r->id, id) == 0)))
			return r->arn;
	}
	return NULL;
}

static bool planned_already(const plan *p, const char *path)
{
	for (size_t i = 0; i < p->files.len; i++)
		if (strcmp(((const planned *)p->files.items[i])->path, path) == 0)
			return true;
	return false;
}

static int plan_binding(plan *p, const gws_targets_input *in, const gws_model_stack *stack,
                        const gws_model_target_group *tg, const char *sg_id)
{
	const char *arn = find_resource(in, stack->gateway, "TargetGroup", tg->id);
	gws_buf data = GWS_BUF_INIT(GWS_REPORT_CAP_STATUS_FILE);
	planned *f = NULL;
	char *path = NULL;
	int error;

	if (!arn)
		return 0; /* not created (yet): nothing to bind */
	if (!gws_report__safe_component(tg->backend.namespace_) ||
	    !gws_report__safe_component(tg->name)) {
		gws_log(GWS_LOG_WARN, GWS_TARGETS_LOG,
		        "target group %s: namespace or name is not a plain file name: no "
		        "TargetGroupBinding written",
		        tg->id);
		return 0;
	}
	if (!(path = gws_asprintf("%s/%s.yaml", tg->backend.namespace_, tg->name)))
		return GWS_ENOMEM;
	if (planned_already(p, path)) {
		gws_log(GWS_LOG_WARN, GWS_TARGETS_LOG,
		        "target group %s: another target group of namespace %s has the name %s: "
		        "no second TargetGroupBinding written",
		        tg->id, tg->backend.namespace_, tg->name);
		gws_free(path);
		return 0;
	}
	if ((error = gws_targets_render_binding(&data, in->model, stack, tg, arn, in->vpc_id,
	                                        sg_id)) < 0)
		goto cleanup;
	if (!(f = gws_calloc(1, sizeof(*f)))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	f->path = path;
	f->data = gws_buf_take(&data, &f->len);
	path = NULL;
	if (!f->data || (error = gws_vec_push(&p->files, f)) < 0) {
		error = GWS_ENOMEM;
		gws_free(f->path);
		gws_free(f->data);
		gws_free(f);
	}
cleanup:
	gws_free(path);
	gws_buf_dispose(&data);
	return error;
}

static int plan_all(plan *p, const gws_targets_input *in)
{
	int error = 0;

	for (size_t s = 0; s < gws_model_stack_count(in->model) && !error; s++) {
		const gws_model_stack *stack = gws_model_stack_at(in->model, s);
		const char *sg = stack->load_balancer.security_groups.mode == GWS_MODEL_SG_MANAGED
		                         ? find_resource(in, stack->gateway, "SecurityGroup", NULL)
		                         : NULL;

		for (size_t t = 0; t < stack->n_target_groups && !error; t++)
			error = plan_binding(p, in, stack, stack->target_groups[t], sg);
	}
	return error;
}

static int keep_path(plan *p, const char *path)
{
	char *copy = gws_strdup(path);

	if (!copy || gws_vec_push(&p->keep, copy) < 0) {
		gws_free(copy);
		return GWS_ENOMEM;
	}
	return 0;
}

/* "ns/name.yaml" with two plain components: what this writer lists. */
static bool binding_path(const char *s)
{
	const char *slash = strchr(s, '/');
	char ns[256], leaf[256];
	size_t n;

	if (!slash || strchr(slash + 1, '/') || (size_t)(slash - s) >= sizeof(ns) ||
	    !gws_str_endswith(s, ".yaml"))
		return false;
	memcpy(ns, s, (size_t)(slash - s));
	ns[slash - s] = '\0';
	n = strlen(slash + 1) - 5;
	if (n == 0 || n >= sizeof(leaf))
		return false;
	memcpy(leaf, slash + 1, n);
	leaf[n] = '\0';
	return gws_report__safe_component(ns) && gws_report__safe_component(leaf);
}

/*
 * With keep_unmatched: the bindings the previous kustomization.yaml listed and
 * that are still on disk stay listed (the file is ours, but read as untrusted:
 * only "- ns/name.yaml" lines count).
 */
static int keep_previous(plan *p, int dirfd)
{
	gws_buf prev = GWS_BUF_INIT(GWS_TARGETS_CAP_FILE), probe = GWS_BUF_INIT(GWS_CAP_LINE);
	char *line, *save = NULL;
	int error;

	error = gws_report__fs_read(&prev, dirfd, GWS_TARGETS_RENDERED_DIR "/" KUSTOMIZATION);
	if (error < 0) {
		gws_buf_dispose(&prev);
		return error == GWS_ENOMEM ? error : 0;
	}
	error = 0;
	for (line = strtok_r(prev.ptr, "\n", &save); line && !error;
	     line = strtok_r(NULL, "\n", &save)) {
		char *full;

		if (strncmp(line, "- ", 2) != 0 || !binding_path(line + 2))
			continue;
		line += 2;
		if (!(full = gws_asprintf(GWS_TARGETS_RENDERED_DIR "/%s", line))) {
			error = GWS_ENOMEM;
			break;
		}
		probe.max = 1;
		gws_buf_clear(&probe);
		/* Present means readable, or only too big for the probe. */
		int rc = gws_report__fs_read(&probe, dirfd, full);
		gws_free(full);
		if ((rc == 0 || rc == GWS_ETOOBIG) && !planned_already(p, line)) {
			planned *f = gws_calloc(1, sizeof(*f));

			if (!f || !(f->path = gws_strdup(line)) || gws_vec_push(&p->files, f) < 0) {
				if (f)
					gws_free(f->path);
				gws_free(f);
				error = GWS_ENOMEM;
			}
		}
	}
	gws_buf_dispose(&prev);
	gws_buf_dispose(&probe);
	return error;
}

static int render_kustomization(gws_buf *out, const plan *p)
{
	gws_report__yaml y;

	if (gws_buf_puts(out, "# Written by gwsync: the TargetGroupBindings of the target groups "
	                      "it manages.\n") < 0)
		return GWS_ENOMEM;
	gws_report__yaml_begin(&y, out);
	gws_report__yaml_map(&y);
	gws_report__yaml_kv(&y, "apiVersion", "kustomize.config.k8s.io/v1beta1");
	gws_report__yaml_kv(&y, "kind", "Kustomization");
	gws_report__yaml_str(&y, "resources");
	gws_report__yaml_seq(&y, p->files.len == 0);
	for (size_t i = 0; i < p->files.len; i++)
		gws_report__yaml_str(&y, ((const planned *)p->files.items[i])->path);
	gws_report__yaml_seq_end(&y);
	gws_report__yaml_map_end(&y);
	return gws_report__yaml_end(&y);
}

static int put(int dirfd, const char *rel, const char *data, size_t len, gws_targets_result *res)
{
	char *path = gws_asprintf(GWS_TARGETS_RENDERED_DIR "/%s", rel);
	bool written = false;
	int error;

	if (!path)
		return GWS_ENOMEM;
	error = gws_report__fs_put(dirfd, path, data, len, &written, &res->removed);
	if (error == 0) {
		if (written)
			res->written++;
		else
			res->unchanged++;
	}
	gws_free(path);
	return error;
}

static int write_and_prune(plan *p, int dirfd, gws_targets_result *res, bool prune)
{
	gws_buf kust = GWS_BUF_INIT(GWS_CAP_DOCUMENT);
	int rendered = -1, error = 0;

	for (size_t i = 0; i < p->files.len && !error; i++) {
		const planned *f = p->files.items[i];

		if (f->data) /* kept bindings (no data) are left as they are */
			error = put(dirfd, f->path, f->data, f->len, res);
		if (!error)
			error = keep_path(p, f->path);
	}
	if (error || (error = render_kustomization(&kust, p)) < 0 ||
	    (error = put(dirfd, KUSTOMIZATION, kust.ptr, kust.size, res)) < 0 ||
	    (error = keep_path(p, KUSTOMIZATION)) < 0)
		goto cleanup;
	if (!prune)
		goto cleanup;
	rendered = openat(dirfd, GWS_TARGETS_RENDERED_DIR,
	                  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rendered < 0) {
		error = gws_error_set_errno(GWS_EIO, GWS_TARGETS_RENDERED_DIR);
		goto cleanup;
	}
	if ((error = gws_vec_sort(&p->keep, str_cmp)) < 0)
		goto cleanup;
	error = gws_report__fs_prune(rendered, (const char *const *)p->keep.items, p->keep.len,
	                             NULL, &res->removed);
cleanup:
	if (rendered >= 0)
		close(rendered);
	gws_buf_dispose(&kust);
	return error;
}

int gws_targets_write_bindings(const gws_targets_input *in, const char *root,
                               gws_targets_result *out)
{
	gws_targets_result res = {0};
	plan p = {GWS_VEC_INIT, GWS_VEC_INIT};
	const char *cluster;
	int dirfd = -1, error;

	if (!in || !in->model || !root) {
		error = gws_error_set(GWS_EINVALID, "targets: missing input");
		goto cleanup;
	}
	cluster = gws_model_cluster(in->model);
	if (!gws_report__safe_component(cluster)) {
		error = gws_error_set(GWS_EINVALID, "cluster name '%s' is not a plain file name",
		                      cluster);
		goto cleanup;
	}
	if ((error = plan_all(&p, in)) < 0 ||
	    (error = gws_report__fs_open_in(&dirfd, root, cluster, in->shard, true)) < 0)
		goto cleanup;
	res.bindings = p.files.len;
	if (in->keep_unmatched && (error = keep_previous(&p, dirfd)) < 0)
		goto cleanup;
	if ((error = gws_vec_sort(&p.files, file_cmp)) < 0)
		goto cleanup;
	error = write_and_prune(&p, dirfd, &res, !in->keep_unmatched);
cleanup:
	res.changed = res.written + res.removed > 0;
	if (out)
		*out = res;
	if (dirfd >= 0)
		close(dirfd);
	plan_dispose(&p);
	return error;
}
