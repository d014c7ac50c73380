/*
 * The rendered TargetGroupBindings (docs/targets.md): golden folders for the
 * example repository and the instance / ip / named-port / nodeSelector /
 * UDP / no-security-group cases, byte-identical rewrites, stale bindings
 * removed (or kept while a stack was not read), links never followed.
 *
 * Golden cases live in tests/targets/cases/<case>/: `repo/` (or a file
 * `source` naming a repository path relative to the source tree) and
 * `expected/`, the rendered/ folder. GOLDEN_UPDATE=1 rewrites expected/
 * (read the diff before committing it). tests/targets/validate_crd.py checks
 * every expected binding against the TargetGroupBinding CRD schema.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gwsync/targets.h"
#include "helper_manifest.h"
#include "helper_report.h"

#define CLUSTER "demo"
#define VPC     "vpc-0a1b2c3d4e5f60718"
#define SG      "sg-0f1e2d3c4b5a69788"

/* Resources as a sync would report them: every target group with an ARN made
 * from its name, and each stack's managed security group. */
typedef struct {
	gws_report_resource *items;
	size_t n;
	gws_vec strings;
} resources;

static const char *keep(resources *r, char *s)
{
	assert_non_null(s);
	assert_int_equal(gws_vec_push(&r->strings, s), 0);
	return s;
}

static void resources_for(resources *r, const gws_model *model)
{
	size_t cap = 0;

	memset(r, 0, sizeof(*r));
	for (size_t s = 0; s < gws_model_stack_count(model); s++)
		cap += gws_model_stack_at(model, s)->n_target_groups + 1;
	r->items = calloc(cap ? cap : 1, sizeof(*r->items));
	assert_non_null(r->items);
	for (size_t s = 0; s < gws_model_stack_count(model); s++) {
		const gws_model_stack *st = gws_model_stack_at(model, s);

		if (st->load_balancer.security_groups.mode == GWS_MODEL_SG_MANAGED)
			r->items[r->n++] = (gws_report_resource){st->gateway,
			                                         "SecurityGroup",
			                                         "ManagedLBSecurityGroup",
			                                         "k8s-sg",
			                                         SG,
			                                         NULL};
		for (size_t t = 0; t < st->n_target_groups; t++) {
			const gws_model_target_group *tg = st->target_groups[t];
			const char *arn = keep(
			        r,
			        gws_asprintf("arn:aws:elasticloadbalancing:eu-west-1:123456789012:"
			                     "targetgroup/%s/0123456789abcdef",
			                     tg->name));

			r->items[r->n++] = (gws_report_resource){st->gateway, "TargetGroup", tg->id,
			                                         tg->name,    arn,           NULL};
		}
	}
}

static void resources_dispose(resources *r)
{
	for (size_t i = 0; i < r->strings.len; i++)
		gws_free(r->strings.items[i]);
	gws_vec_dispose(&r->strings);
	free(r->items);
}

static void write_ok(const gws_targets_input *in, const char *root, gws_targets_result *res)
{
	int rc = gws_targets_write_bindings(in, root, res);

	if (rc != 0)
		fail_msg("gws_targets_write_bindings: %d %s", rc, gws_error_last());
}

static const char *case_dir(const char *name)
{
	static char path[4096];
	const char *src = getenv("GWSYNC_SOURCE_DIR");

	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/tests/targets/cases/%s", src, name);
	return path;
}

/* The repository of a case: its repo/, or the path its `source` file names. */
static char *case_repo(const char *name)
{
	char *source_file = gws_asprintf("%s/source", case_dir(name)), *rel, *repo;

	rel = hr_read(source_file, NULL);
	gws_free(source_file);
	if (!rel)
		return gws_asprintf("%s/repo", case_dir(name));
	rel[strcspn(rel, "\n")] = '\0';
	repo = gws_asprintf("%s/%s", getenv("GWSYNC_SOURCE_DIR"), rel);
	free(rel);
	return repo;
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static void golden(const char *name)
{
	char *repo = case_repo(name), *root = hm_mkroot(), *cmd;
	gws_targets_input in = {0};
	gws_targets_result res;
	resources r;
	hr_model m;
	const char *update = getenv("GOLDEN_UPDATE");

	hr_model_build(&m, repo, CLUSTER);
	resources_for(&r, m.model);
	in.model = m.model;
	in.resources = r.items;
	in.n_resources = r.n;
	in.vpc_id = VPC;
	write_ok(&in, root, &res);
	assert_true(res.changed);
	if (update && strcmp(update, "1") == 0) {
		cmd = gws_asprintf("rm -rf '%s/expected' && cp -r '%s/.gwsync/" CLUSTER
		                   "/rendered' '%s/expected'",
		                   case_dir(name), root, case_dir(name));
		assert_int_equal(run(cmd), 0);
		gws_free(cmd);
	}
	cmd = gws_asprintf("diff -ru '%s/expected' '%s/.gwsync/" CLUSTER "/rendered'",
	                   case_dir(name), root);
	if (run(cmd) != 0)
		fail_msg("case %s: the rendered folder differs from expected/ (diff above)", name);
	gws_free(cmd);
	/* The same state again: not one byte written. */
	write_ok(&in, root, &res);
	assert_false(res.changed);
	assert_int_equal(res.written, 0);
	assert_int_equal(res.unchanged, res.bindings + 1);
	resources_dispose(&r);
	hr_model_dispose(&m);
	hm_rmrf(root);
	gws_free(root);
	gws_free(repo);
}

static void test_golden_example(void **state)
{
	(void)state;
	golden("example");
}

static void test_golden_kinds(void **state)
{
	(void)state;
	golden("kinds");
}

static void test_golden_nlb_udp(void **state)
{
	(void)state;
	golden("nlb-udp");
}

static void test_golden_nlb_no_sg(void **state)
{
	(void)state;
	golden("nlb-no-security-group");
}

static bool exists(const char *root, const char *rel)
{
	return access(hr_path(root, CLUSTER, rel), F_OK) == 0;
}

/* A target group that is gone loses its binding; hand-made files go; a link is
 * replaced, never followed; the report's files beside rendered/ stay. */
static void test_stale_removed(void **state)
{
	char *root = hm_mkroot(), *outside = hm_mkroot(), *link;
	gws_targets_input in = {0};
	gws_targets_result res;
	resources r;
	hr_model m;

	(void)state;
	hr_model_build(&m, case_dir("kinds/repo"), CLUSTER);
	resources_for(&r, m.model);
	in.model = m.model;
	in.resources = r.items;
	in.n_resources = r.n;
	hm_write(root, ".gwsync/" CLUSTER "/rendered/apps/k8s-apps-r-old.yaml", "x\n", (size_t)-1);
	hm_write(root, ".gwsync/" CLUSTER "/rendered/gone/notes.txt", "x\n", (size_t)-1);
	hm_write(root, ".gwsync/" CLUSTER "/SUMMARY.md", "report\n", (size_t)-1);
	hm_write(outside, "victim.yaml", "outside\n", (size_t)-1);
	link = gws_asprintf("%s/.gwsync/" CLUSTER "/rendered/apps/k8s-apps-r-b52768e16b.yaml",
	                    root);
	char *target = gws_asprintf("%s/victim.yaml", outside);
	assert_int_equal(symlink(target, link), 0);
	write_ok(&in, root, &res);
	assert_int_equal(res.bindings, 3);
	assert_false(exists(root, "rendered/apps/k8s-apps-r-old.yaml"));
	assert_false(exists(root, "rendered/gone"));
	assert_true(exists(root, "SUMMARY.md"));
	char *victim = hr_read(target, NULL);
	assert_string_equal(victim, "outside\n");
	free(victim);
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));

	/* One target group's ARN is no longer known: its binding goes. */
	in.n_resources = r.n - 1;
	write_ok(&in, root, &res);
	assert_int_equal(res.bindings, 2);
	assert_int_equal(res.removed, 1);
	char *kust = hr_read(hr_path(root, CLUSTER, "rendered/kustomization.yaml"), NULL);
	assert_non_null(kust);
	assert_null(strstr(kust, r.items[r.n - 1].name));
	free(kust);

	gws_free(target);
	gws_free(link);
	resources_dispose(&r);
	hr_model_dispose(&m);
	hm_rmrf(root);
	hm_rmrf(outside);
	gws_free(root);
	gws_free(outside);
}

/* A stack that was not read: its bindings stay on disk and in the kustomization. */
static void test_unread_keeps_bindings(void **state)
{
	char *root = hm_mkroot(), *kust;
	gws_targets_input in = {0};
	gws_targets_result res;
	resources r;
	hr_model m;
	const char *gone;

	(void)state;
	hr_model_build(&m, case_dir("kinds/repo"), CLUSTER);
	resources_for(&r, m.model);
	in.model = m.model;
	in.resources = r.items;
	in.n_resources = r.n;
	write_ok(&in, root, &res);
	gone = r.items[r.n - 1].name;
	in.n_resources = r.n - 1;
	in.keep_unmatched = true;
	write_ok(&in, root, &res);
	assert_int_equal(res.removed, 0);
	assert_false(res.changed);
	kust = hr_read(hr_path(root, CLUSTER, "rendered/kustomization.yaml"), NULL);
	assert_non_null(strstr(kust, gone));
	free(kust);
	resources_dispose(&r);
	hr_model_dispose(&m);
	hm_rmrf(root);
	gws_free(root);
}

static void test_bad_input(void **state)
{
	gws_targets_input in = {0};
	gws_targets_mode mode;

	(void)state;
	assert_int_equal(gws_targets_write_bindings(&in, "/nonexistent", NULL), GWS_EINVALID);
	assert_int_equal(gws_targets_mode_parse(&mode, "direct"), 0);
	assert_int_equal(mode, GWS_TARGETS_DIRECT);
	assert_int_equal(gws_targets_mode_parse(&mode, "bind"), GWS_EINVALID);
	assert_string_equal(gws_targets_mode_name(GWS_TARGETS_NONE), "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_golden_example), cmocka_unit_test(test_golden_kinds),
	        cmocka_unit_test(test_golden_nlb_udp), cmocka_unit_test(test_golden_nlb_no_sg),
	        cmocka_unit_test(test_stale_removed),  cmocka_unit_test(test_unread_keeps_bindings),
	        cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
