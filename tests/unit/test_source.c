/*
 * Unit tests for the source module against a repository built here with
 * libgit2 (no network): main has two commits, branch "feature" and the
 * annotated tag v1 point at the first; a.yaml differs between them.
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
#include <git2.h>

#include "gwsync/core.h"
#include "gwsync/source.h"
#include "source/source_int.h"

static char scratch[1024];
static char origin[1200];
static char origin_url[1300];
static char first[GIT_OID_HEXSZ + 1], second[GIT_OID_HEXSZ + 1];

static void write_text(const char *dir, const char *name, const char *text)
{
	char path[1400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The content of dir/name, or "" when missing (static buffer). */
static const char *read_text(const char *dir, const char *name)
{
	static char text[256];
	char path[1400];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text[0] = '\0';
	if ((f = fopen(path, "r")) != NULL) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

/* Commits the whole work tree of `repo` on HEAD; the new id goes to hex. */
static void commit_all(git_repository *repo, const char *msg, char *hex)
{
	git_index *index = NULL;
	git_oid tree_id, commit_id;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_object *parent = NULL;
	git_reference *head = NULL;
	const git_commit *parents[1];

	assert_int_equal(git_repository_index(&index, repo), 0);
	assert_int_equal(git_index_add_all(index, NULL, 0, NULL, NULL), 0);
	assert_int_equal(git_index_update_all(index, NULL, NULL, NULL), 0);
	assert_int_equal(git_index_write(index), 0);
	assert_int_equal(git_index_write_tree(&tree_id, index), 0);
	assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
	assert_int_equal(git_signature_new(&sig, "test", "test@example.com", 1700000000, 0), 0);
	if (git_revparse_ext(&parent, &head, repo, "HEAD") == 0)
		parents[0] = (const git_commit *)parent;
	assert_int_equal(git_commit_create(&commit_id, repo, "HEAD", sig, sig, NULL, msg, tree,
	                                   parent ? 1 : 0, parents),
	                 0);
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &commit_id);
	git_reference_free(head);
	git_object_free(parent);
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(index);
}

static int setup_origin(void **state)
{
	const char *s = getenv("GWSYNC_SCRATCH");
	git_repository *repo = NULL;
	git_repository_init_options init;
	git_object *target = NULL;
	git_signature *sig = NULL;
	git_reference *branch = NULL;
	git_oid tag_id;

	(void)state;
	git_libgit2_init();
	snprintf(scratch, sizeof(scratch), "%s/source", s ? s : "/tmp/gwsync-test-source");
	assert_int_equal(gws_source__remove_tree(scratch), 0);
	assert_int_equal(gws_source__mkdirs(scratch), 0);
	snprintf(origin, sizeof(origin), "%s/origin", scratch);
	snprintf(origin_url, sizeof(origin_url), "file://%s", origin);
	git_repository_init_options_init(&init, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	init.flags = GIT_REPOSITORY_INIT_MKPATH;
	init.initial_head = "main";
	assert_int_equal(git_repository_init_ext(&repo, origin, &init), 0);

	write_text(origin, "a.yaml", "version: one\n");
	commit_all(repo, "first", first);
	assert_int_equal(git_revparse_single(&target, repo, first), 0);
	assert_int_equal(git_signature_new(&sig, "test", "test@example.com", 1700000000, 0), 0);
	assert_int_equal(git_tag_create(&tag_id, repo, "v1", target, sig, "release 1", 0), 0);
	assert_int_equal(git_branch_create(&branch, repo, "feature", (git_commit *)target, 0), 0);

	write_text(origin, "a.yaml", "version: two\n");
	write_text(origin, "b.yaml", "only: main\n");
	commit_all(repo, "second", second);

	git_reference_free(branch);
	git_signature_free(sig);
	git_object_free(target);
	git_repository_free(repo);
	return 0;
}

static int teardown_origin(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

static char *workdir(const char *name)
{
	static char dir[1400];

	snprintf(dir, sizeof(dir), "%s/%s", scratch, name);
	return dir;
}

static gws_source *open_ok(const char *repo, const char *ref, const char *wd)
{
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	gws_source *src = NULL;

	opts.repo = repo;
	opts.ref = ref;
	opts.workdir = wd;
	if (gws_source_open(&src, &opts) < 0)
		fail_msg("open %s at %s: %s", repo, ref ? ref : "(default)", gws_error_last());
	return src;
}

static void test_file_url_default_branch(void **state)
{
	gws_source *src;

	(void)state;
	src = open_ok(origin_url, NULL, workdir("wd-default"));
	assert_string_equal(gws_source_commit(src), second);
	assert_string_equal(gws_source_ref(src), "main");
	assert_string_equal(read_text(gws_source_path(src), "a.yaml"), "version: two\n");
	assert_string_equal(read_text(gws_source_path(src), "b.yaml"), "only: main\n");
	/* The checkout lives in <workdir>/repos/<16 hex>. */
	assert_true(gws_str_startswith(gws_source_path(src), workdir("wd-default")));
	assert_non_null(strstr(gws_source_path(src), "/repos/"));
	assert_int_equal(strlen(strstr(gws_source_path(src), "/repos/")), strlen("/repos/") + 16);
	gws_source_free(src);
}

static void test_refs_resolve(void **state)
{
	const char *wd = workdir("wd-refs");
	char short_id[8];
	struct {
		const char *ref, *commit, *a_yaml;
	} cases[] = {
	        {"v1", first, "version: one\n"},     {"feature", first, "version: one\n"},
	        {"main", second, "version: two\n"},  {second, second, "version: two\n"},
	        {short_id, first, "version: one\n"},
	};

	(void)state;
	memcpy(short_id, first, 7);
	short_id[7] = '\0';
	for (size_t i = 0; i < GWS_ARRAY_SIZE(cases); i++) {
		gws_source *src = open_ok(origin_url, cases[i].ref, wd);

		assert_string_equal(gws_source_commit(src), cases[i].commit);
		assert_string_equal(read_text(gws_source_path(src), "a.yaml"), cases[i].a_yaml);
		/* A forced checkout: files of another commit do not linger. */
		assert_int_equal(access(workdir("wd-refs"), F_OK), 0);
		if (cases[i].commit == first)
			assert_string_equal(read_text(gws_source_path(src), "b.yaml"), "");
		/* Nor do files that someone left in the cache. */
		assert_string_equal(read_text(gws_source_path(src), "stray.yaml"), "");
		write_text(gws_source_path(src), "stray.yaml", "kind: Leftover\n");
		gws_source_free(src);
	}
}

static void test_plain_path_with_ref(void **state)
{
	gws_source *src;

	(void)state;
	src = open_ok(origin, "v1", workdir("wd-local"));
	assert_string_not_equal(gws_source_path(src), origin);
	assert_string_equal(gws_source_commit(src), first);
	assert_string_equal(read_text(gws_source_path(src), "a.yaml"), "version: one\n");
	gws_source_free(src);
	/* The user's work tree is untouched. */
	assert_string_equal(read_text(origin, "a.yaml"), "version: two\n");
	assert_string_equal(read_text(origin, "b.yaml"), "only: main\n");
}

static void test_second_open_fetches(void **state)
{
	const char *wd = workdir("wd-fetch");
	char third[GIT_OID_HEXSZ + 1];
	char *first_path;
	git_repository *repo = NULL;
	gws_source *src;

	(void)state;
	src = open_ok(origin_url, "main", wd);
	assert_string_equal(gws_source_commit(src), second);
	first_path = gws_strdup(gws_source_path(src));
	gws_source_free(src);

	assert_int_equal(git_repository_open(&repo, origin), 0);
	write_text(origin, "a.yaml", "version: three\n");
	commit_all(repo, "third", third);
	git_repository_free(repo);

	src = open_ok(origin_url, "main", wd);
	assert_string_equal(gws_source_path(src), first_path);
	assert_string_equal(gws_source_commit(src), third);
	assert_string_equal(read_text(gws_source_path(src), "a.yaml"), "version: three\n");
	gws_source_free(src);
	gws_free(first_path);
}

static void test_unknown_ref(void **state)
{
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	gws_source *src = NULL;
	char expected[1500];

	(void)state;
	opts.repo = origin_url;
	opts.ref = "no-such-ref";
	opts.workdir = workdir("wd-unknown");
	assert_int_equal(gws_source_open(&src, &opts), GWS_ENOTFOUND);
	assert_null(src);
	snprintf(expected, sizeof(expected), "ref 'no-such-ref' not found in %s", origin_url);
	assert_string_equal(gws_error_last(), expected);

	opts.repo = origin;
	assert_int_equal(gws_source_open(&src, &opts), GWS_ENOTFOUND);
	assert_non_null(strstr(gws_error_last(), "ref 'no-such-ref' not found"));
}

static void test_credentials_never_in_messages(void **state)
{
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	gws_source *src = NULL;
	gws_buf out = GWS_BUF_INIT(GWS_CAP_LINE);
	int error;

	(void)state;
	opts.repo = "https://alice:s3cret-token@127.0.0.1:1/team/repo.git";
	opts.workdir = workdir("wd-secret");
	error = gws_source_open(&src, &opts);
	if (error != GWS_ENETWORK && error != GWS_EAUTH)
		fail_msg("%d: %s", error, gws_error_last());
	assert_null(strstr(gws_error_last(), "s3cret-token"));
	assert_null(strstr(gws_error_last(), "alice"));
	assert_non_null(strstr(gws_error_last(), "https://127.0.0.1:1/team/repo.git"));

	/* A missing file:// repository is unreachable, with the userinfo dropped too. */
	opts.repo = "file://bob:pw-1234@/nonexistent/repo";
	error = gws_source_open(&src, &opts);
	assert_true(error < 0);
	assert_null(strstr(gws_error_last(), "pw-1234"));

	assert_int_equal(gws_source_redact(&out, "cannot fetch 'https://u:p4ss@h/x' and "
	                                         "ssh://git@h:22/y and https://h/z"),
	                 0);
	assert_string_equal(gws_buf_cstr(&out),
	                    "cannot fetch 'https://h/x' and ssh://h:22/y and https://h/z");
	gws_buf_dispose(&out);
}

static void test_url_or_path(void **state)
{
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	gws_source *src = NULL;

	(void)state;
	assert_true(gws_source_is_url("https://example.com/x.git"));
	assert_true(gws_source_is_url("file:///srv/x"));
	assert_true(gws_source_is_url("git@github.com:org/repo.git"));
	assert_false(gws_source_is_url("/srv/repo"));
	assert_false(gws_source_is_url("./a@b/c:d"));
	assert_false(gws_source_is_url("repo"));

	opts.repo = "ftp://example.com/x.git";
	assert_int_equal(gws_source_open(&src, &opts), GWS_EINVALID);
	opts.repo = workdir("does-not-exist");
	assert_int_equal(gws_source_open(&src, &opts), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "not a directory"));
	/* --ref needs git: a plain folder with a ref is refused. */
	assert_int_equal(gws_source__mkdirs(workdir("plain")), 0);
	opts.repo = workdir("plain");
	opts.ref = "main";
	assert_int_equal(gws_source_open(&src, &opts), GWS_EINVALID);
	assert_null(src);
}

static void test_plain_folder_as_is(void **state)
{
	gws_source *src;
	char dir[1400];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/plain-folder", scratch);
	assert_int_equal(gws_source__mkdirs(dir), 0);
	src = open_ok(dir, NULL, NULL);
	assert_string_equal(gws_source_path(src), dir);
	assert_null(gws_source_commit(src));
	assert_null(gws_source_ref(src));
	gws_source_free(src);
}

static void test_temporary_workdir_removed(void **state)
{
	char tmp[1400], *saved_home, *saved_xdg, *saved_tmp;
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CACHE_HOME"),
	           *tmpdir = getenv("TMPDIR");
	gws_source *src;
	struct stat st;

	(void)state;
	saved_home = home ? gws_strdup(home) : NULL;
	saved_xdg = xdg ? gws_strdup(xdg) : NULL;
	saved_tmp = tmpdir ? gws_strdup(tmpdir) : NULL;
	snprintf(tmp, sizeof(tmp), "%s/tmp", scratch);
	assert_int_equal(gws_source__remove_tree(tmp), 0);
	assert_int_equal(gws_source__mkdirs(tmp), 0);
	unsetenv("HOME");
	unsetenv("XDG_CACHE_HOME");
	setenv("TMPDIR", tmp, 1);

	src = open_ok(origin_url, "v1", NULL);
	assert_true(gws_str_startswith(gws_source_path(src), tmp));
	assert_int_equal(stat(gws_source_path(src), &st), 0);
	assert_string_equal(read_text(gws_source_path(src), "a.yaml"), "version: one\n");
	gws_source_free(src);
	/* Nothing is left under TMPDIR: the temporary workdir went with the source. */
	assert_int_equal(rmdir(tmp), 0);

	if (saved_home)
		setenv("HOME", saved_home, 1);
	if (saved_xdg)
		setenv("XDG_CACHE_HOME", saved_xdg, 1);
	if (saved_tmp)
		setenv("TMPDIR", saved_tmp, 1);
	else
		unsetenv("TMPDIR");
	gws_free(saved_home);
	gws_free(saved_xdg);
	gws_free(saved_tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_file_url_default_branch),
	        cmocka_unit_test(test_refs_resolve),
	        cmocka_unit_test(test_plain_path_with_ref),
	        cmocka_unit_test(test_unknown_ref),
	        cmocka_unit_test(test_credentials_never_in_messages),
	        cmocka_unit_test(test_url_or_path),
	        cmocka_unit_test(test_plain_folder_as_is),
	        cmocka_unit_test(test_temporary_workdir_removed),
	        /* Last: it adds a commit to the origin's main. */
	        cmocka_unit_test(test_second_open_fetches),
	};

	return cmocka_run_group_tests(tests, setup_origin, teardown_origin);
}
