/*
 * Unit tests for the source module against repositories built here with
 * libgit2 (no network). The origin: main has two commits; branch "feature"
 * and the annotated tag v1 point at the first, a branch also named v1 and a
 * branch named like the second commit's id point elsewhere (git's rules
 * must pick the tag and the commit); a.yaml differs between the commits.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* nftw() */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
/* Where the error cases send diagnostics (they add none). */
static gws_diag_list sink;

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
	git_object *target = NULL, *head = NULL;
	git_signature *sig = NULL;
	git_reference *branch = NULL;
	git_oid tag_id;

	(void)state;
	git_libgit2_init();
	gws_diag_list_init(&sink);
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

	/* issue 10 M1: a branch v1 besides the tag v1; issue 10 H1: a branch
	 * named like the second commit, pointing at the first. */
	git_reference_free(branch);
	assert_int_equal(git_revparse_single(&head, repo, second), 0);
	assert_int_equal(git_branch_create(&branch, repo, "v1", (git_commit *)head, 0), 0);
	git_reference_free(branch);
	assert_int_equal(git_branch_create(&branch, repo, second, (git_commit *)target, 0), 0);
	git_object_free(head);

	git_reference_free(branch);
	git_signature_free(sig);
	git_object_free(target);
	git_repository_free(repo);
	return 0;
}

static int teardown_origin(void **state)
{
	(void)state;
	assert_int_equal(sink.count, 0);
	gws_diag_list_dispose(&sink);
	git_libgit2_shutdown();
	return 0;
}

static char *workdir(const char *name)
{
	static char dir[1400];

	snprintf(dir, sizeof(dir), "%s/%s", scratch, name);
	return dir;
}

static gws_source *open_opts(const gws_source_options *opts, gws_diag_list *diags)
{
	gws_source *src = NULL;

	if (gws_source_open(&src, opts, diags) < 0)
		fail_msg("open %s at %s: %s", opts->repo, opts->ref ? opts->ref : "(default)",
		         gws_error_last());
	return src;
}

/* Opens and expects no diagnostic. */
static gws_source *open_ok(const char *repo, const char *ref, const char *wd)
{
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	gws_diag_list diags;
	gws_source *src;

	opts.repo = repo;
	opts.ref = ref;
	opts.workdir = wd;
	gws_diag_list_init(&diags);
	src = open_opts(&opts, &diags);
	assert_int_equal(diags.count, 0);
	gws_diag_list_dispose(&diags);
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
	/* The manifests live in <workdir>/repos/<16 hex>/tree. */
	assert_true(gws_str_startswith(gws_source_path(src), workdir("wd-default")));
	assert_non_null(strstr(gws_source_path(src), "/repos/"));
	assert_int_equal(strlen(strstr(gws_source_path(src), "/repos/")),
	                 strlen("/repos/") + 16 + strlen("/tree"));
	gws_source_free(src);
}

/* issue 10 H1, M1: every form of --ref reads what git rev-parse would,
 * through a URL and from a local repository alike. */
static void test_refs_resolve(void **state)
{
	const char *wd = workdir("wd-refs");
	char short_id[8], short_second[11];
	struct {
		const char *ref, *commit, *a_yaml;
	} cases[] = {
	        {"v1", first, "version: one\n"}, /* the tag, not the branch v1 */
	        {"refs/tags/v1", first, "version: one\n"},
	        {"tags/v1", first, "version: one\n"},
	        {"refs/heads/v1", second, "version: two\n"},
	        {"heads/v1", second, "version: two\n"},
	        {"feature", first, "version: one\n"},
	        {"main", second, "version: two\n"},
	        {"refs/heads/main", second, "version: two\n"},
	        {"HEAD", second, "version: two\n"},
	        {second, second, "version: two\n"}, /* not the branch of that name */
	        {first, first, "version: one\n"},
	        {short_id, first, "version: one\n"},
	        {short_second, second, "version: two\n"},
	};
	const char *repos[] = {origin_url, origin};

	(void)state;
	memcpy(short_id, first, 7);
	short_id[7] = '\0';
	memcpy(short_second, second, 10);
	short_second[10] = '\0';
	for (size_t r = 0; r < GWS_ARRAY_SIZE(repos); r++) {
		for (size_t i = 0; i < GWS_ARRAY_SIZE(cases); i++) {
			gws_source *src = open_ok(repos[r], cases[i].ref, wd);

			if (strcmp(gws_source_commit(src), cases[i].commit) != 0)
				fail_msg("%s at %s: read %s, git reads %s", repos[r], cases[i].ref,
				         gws_source_commit(src), cases[i].commit);
			assert_string_equal(gws_source_ref(src), cases[i].ref);
			assert_string_equal(read_text(gws_source_path(src), "a.yaml"),
			                    cases[i].a_yaml);
			/* Files of another commit do not linger. */
			if (cases[i].commit == first)
				assert_string_equal(read_text(gws_source_path(src), "b.yaml"), "");
			/* Nor do files that someone left in the cache. */
			assert_string_equal(read_text(gws_source_path(src), "stray.yaml"), "");
			write_text(gws_source_path(src), "stray.yaml", "kind: Leftover\n");
			gws_source_free(src);
		}
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
	assert_int_equal(gws_source_open(&src, &opts, &sink), GWS_ENOTFOUND);
	assert_null(src);
	snprintf(expected, sizeof(expected), "ref 'no-such-ref' not found in %s", origin_url);
	assert_string_equal(gws_error_last(), expected);

	opts.repo = origin;
	assert_int_equal(gws_source_open(&src, &opts, &sink), GWS_ENOTFOUND);
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
	error = gws_source_open(&src, &opts, &sink);
	if (error != GWS_ENETWORK && error != GWS_EAUTH)
		fail_msg("%d: %s", error, gws_error_last());
	assert_null(strstr(gws_error_last(), "s3cret-token"));
	assert_null(strstr(gws_error_last(), "alice"));
	assert_non_null(strstr(gws_error_last(), "https://127.0.0.1:1/team/repo.git"));

	/* A missing file:// repository is unreachable, with the userinfo dropped too. */
	opts.repo = "file://bob:pw-1234@/nonexistent/repo";
	error = gws_source_open(&src, &opts, &sink);
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
	assert_int_equal(gws_source_open(&src, &opts, &sink), GWS_EINVALID);
	opts.repo = workdir("does-not-exist");
	assert_int_equal(gws_source_open(&src, &opts, &sink), GWS_EINVALID);
	assert_non_null(strstr(gws_error_last(), "not a directory"));
	/* --ref needs git: a plain folder with a ref is refused. */
	assert_int_equal(gws_source__mkdirs(workdir("plain")), 0);
	opts.repo = workdir("plain");
	opts.ref = "main";
	assert_int_equal(gws_source_open(&src, &opts, &sink), GWS_EINVALID);
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

/* ---- issue 10 M4: where GWSYNC_GIT_TOKEN may go ---------------------------- */

static void test_token_policy(void **state)
{
	struct {
		const char *repo, *asked;
		bool allow_http, allowed;
	} cases[] = {
	        {"https://git.example.com/org/r.git", "https://git.example.com/org/r.git", false,
	         true},
	        {"https://git.example.com/r.git", "https://GIT.example.com:443/other", false, true},
	        {"https://u:p@git.example.com/r.git", "https://x@git.example.com/r.git", false,
	         true},
	        /* a redirect to another host, port or scheme */
	        {"https://git.example.com/r.git", "https://evil.example.net/r.git", false, false},
	        {"https://git.example.com/r.git", "https://git.example.com:8443/r.git", false,
	         false},
	        {"https://git.example.com/r.git", "https://git.example.com.evil.net/r.git", false,
	         false},
	        /* userinfo that looks like a host */
	        {"https://git.example.com/r.git", "https://git.example.com:1@evil.net/r.git", false,
	         false},
	        /* plain http: only with the opt-in, only to loopback */
	        {"http://git.example.com/r.git", "http://git.example.com/r.git", false, false},
	        {"http://git.example.com/r.git", "http://git.example.com/r.git", true, false},
	        {"http://127.0.0.1:8080/r.git", "http://127.0.0.1:8080/r.git", false, false},
	        {"http://127.0.0.1:8080/r.git", "http://127.0.0.1:8080/r.git", true, true},
	        {"http://[::1]:8080/r.git", "http://[::1]:8080/r.git", true, true},
	        {"http://127.0.0.1:8080/r.git", "http://localhost:8080/r.git", true, false},
	        /* the token is an https password, never an ssh one */
	        {"ssh://git@git.example.com/r.git", "ssh://git@git.example.com/r.git", false,
	         false},
	        {"git@git.example.com:org/r.git", "ssh://git@git.example.com/org/r.git", false,
	         false},
	        {"https://git.example.com/r.git", "not a url", false, false},
	};
	const char *why;

	(void)state;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(cases); i++) {
		bool got = gws_source__token_allowed(cases[i].repo, cases[i].asked,
		                                     cases[i].allow_http, &why);

		if (got != cases[i].allowed)
			fail_msg("token for %s asked by %s (http %d): %d, expected %d",
			         cases[i].repo, cases[i].asked, cases[i].allow_http, got,
			         cases[i].allowed);
		assert_true(got || (why && *why));
	}
}

static void test_url_origin(void **state)
{
	gws_source__origin o;

	(void)state;
	assert_int_equal(gws_source__url_origin(&o, "HTTPS://User:pw@Git.Example.COM/x"), 0);
	assert_string_equal(o.scheme, "https");
	assert_string_equal(o.host, "git.example.com");
	assert_int_equal(o.port, 443);
	assert_int_equal(gws_source__url_origin(&o, "http://a:1@b:2@host:8080?q"), 0);
	assert_string_equal(o.host, "host");
	assert_int_equal(o.port, 8080);
	assert_int_equal(gws_source__url_origin(&o, "http://[::1]:81/"), 0);
	assert_string_equal(o.host, "::1");
	assert_int_equal(o.port, 81);
	assert_int_equal(gws_source__url_origin(&o, "http://h:99999/"), GWS_EINVALID);
	assert_int_equal(gws_source__url_origin(&o, "http://h:8a/"), GWS_EINVALID);
	assert_int_equal(gws_source__url_origin(&o, "http:///x"), GWS_EINVALID);
	assert_int_equal(gws_source__url_origin(&o, "git@h:x"), GWS_EINVALID);
}

/* ---- issue 10 L7: error codes from libgit2's class and status ------------- */

static void test_git_error_classes(void **state)
{
	struct {
		int klass, rc;
		const char *message;
		int expected;
	} cases[] = {
	        /* a name in a path or URL is not a status */
	        {GIT_ERROR_OS, -1, "failed to resolve path '/srv/repo-401.git': No such file",
	         GWS_ENETWORK},
	        {GIT_ERROR_NET, -1, "authentication service unreachable", GWS_ENETWORK},
	        {GIT_ERROR_HTTP, -1, "unexpected http status code: 404", GWS_ENOTFOUND},
	        {GIT_ERROR_HTTP, -1, "unexpected http status code: 401", GWS_EAUTH},
	        {GIT_ERROR_HTTP, -1, "unexpected http status code: 403", GWS_EAUTH},
	        {GIT_ERROR_HTTP, -1, "unexpected http status code: 500", GWS_ENETWORK},
	        {GIT_ERROR_HTTP, -1, "unexpected http status code: 4031", GWS_ENETWORK},
	        {GIT_ERROR_HTTP, -1, "unexpected http status code: 403 at /403", GWS_ENETWORK},
	        {GIT_ERROR_OS, -1, "unexpected http status code: 403", GWS_ENETWORK},
	        {GIT_ERROR_CALLBACK, GIT_EAUTH, "the credentials offered were rejected", GWS_EAUTH},
	        {GIT_ERROR_SSL, GIT_ECERTIFICATE, "certificate verify failed", GWS_ENETWORK},
	        {GIT_ERROR_CHECKOUT, -1, "invalid path 'a/401'", GWS_EIO},
	};

	(void)state;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(cases); i++) {
		int got;

		git_error_set_str(cases[i].klass, cases[i].message);
		got = gws_source__git_error(
		        cases[i].rc, cases[i].klass == GIT_ERROR_CHECKOUT ? GWS_EIO : GWS_ENETWORK,
		        "cannot fetch", "https://h/x");
		if (got != cases[i].expected)
			fail_msg("'%s' (class %d): %s, expected %s", cases[i].message,
			         cases[i].klass, gws_error_name(got),
			         gws_error_name(cases[i].expected));
		assert_non_null(strstr(gws_error_last(), cases[i].message));
	}
	/* No libgit2 message at all: the code, never "unknown". */
	git_error_clear();
	assert_int_equal(gws_source__git_error(-3, GWS_EIO, "cannot read", "x"), GWS_EIO);
	assert_string_equal(gws_error_last(), "cannot read x: libgit2 error -3");
}

/* An empty remote is a clear configuration error, not "unknown". */
static void test_empty_remote(void **state)
{
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	git_repository *repo = NULL;
	gws_source *src = NULL;
	char dir[1400], url[1500];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/empty.git", scratch);
	snprintf(url, sizeof(url), "file://%s", dir);
	assert_int_equal(git_repository_init(&repo, dir, 1), 0);
	git_repository_free(repo);
	opts.repo = url;
	opts.workdir = workdir("wd-empty");
	assert_int_equal(gws_source_open(&src, &opts, &sink), GWS_ENOTFOUND);
	assert_non_null(strstr(gws_error_last(), "is empty: it has no branch or tag"));
	/* A 40-hex id that is not in the repository is not found, full stop. */
	opts.repo = origin_url;
	opts.ref = "0123456789012345678901234567890123456789";
	assert_int_equal(gws_source_open(&src, &opts, &sink), GWS_ENOTFOUND);
	assert_null(src);
}

/* ---- issue 10 M9: only what the loader reads, sizes checked first ---------- */

typedef struct {
	const char *path;
	unsigned mode;
	const char *content; /* NULL: `size` bytes of '#' */
	size_t size;
} file_spec;

/* A repository at scratch/name whose main holds exactly `files`. */
static const char *make_repo(const char *name, const file_spec *files, size_t n)
{
	static char dir[1400];
	git_repository_init_options init;
	git_repository *repo = NULL;
	git_index *index = NULL;
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, commit_id;

	snprintf(dir, sizeof(dir), "%s/%s", scratch, name);
	assert_int_equal(gws_source__remove_tree(dir), 0);
	git_repository_init_options_init(&init, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	init.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_BARE;
	init.initial_head = "main";
	assert_int_equal(git_repository_init_ext(&repo, dir, &init), 0);
	assert_int_equal(git_index_new(&index), 0);
	for (size_t i = 0; i < n; i++) {
		git_index_entry e;
		char *filler = NULL;
		const char *data = files[i].content;
		size_t len = data ? strlen(data) : files[i].size;

		if (!data) {
			filler = malloc(len);
			assert_non_null(filler);
			memset(filler, '#', len);
			data = filler;
		}
		memset(&e, 0, sizeof(e));
		e.mode = files[i].mode;
		e.path = files[i].path;
		assert_int_equal(git_blob_create_from_buffer(&e.id, repo, data, len), 0);
		assert_int_equal(git_index_add(index, &e), 0);
		free(filler);
	}
	assert_int_equal(git_index_write_tree_to(&tree_id, index, repo), 0);
	assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
	assert_int_equal(git_signature_new(&sig, "test", "test@example.com", 1700000000, 0), 0);
	assert_int_equal(git_commit_create(&commit_id, repo, "refs/heads/main", sig, sig, NULL,
	                                   "files", tree, 0, NULL),
	                 0);
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(index);
	git_repository_free(repo);
	return dir;
}

static size_t files_found;
static off_t largest_file;

static int count_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F) {
		files_found++;
		if (st->st_size > largest_file)
			largest_file = st->st_size;
	}
	return 0;
}

/* Files below `dir` (and the largest one's size in largest_file). */
static size_t count_files(const char *dir)
{
	files_found = 0;
	largest_file = 0;
	assert_int_equal(nftw(dir, count_file, 16, FTW_PHYS), 0);
	return files_found;
}

/* The diagnostics as "file: message" lines, for assertions. */
static const char *diag_text(const gws_diag_list *diags)
{
	static char text[8192];
	size_t used = 0;

	text[0] = '\0';
	for (size_t i = 0; i < diags->count && used < sizeof(text); i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s: %s\n",
		                         diags->items[i].severity == GWS_DIAG_WARNING ? "warning "
		                                                                      : "",
		                         diags->items[i].file, diags->items[i].message);
	return text;
}

static void expect_diag(const gws_diag_list *diags, const char *line)
{
	if (!strstr(diag_text(diags), line))
		fail_msg("no diagnostic '%s' in:\n%s", line, diag_text(diags));
}

static void test_only_manifests_written(void **state)
{
	static const file_spec files[] = {
	        {"apps/a.yaml", 0100644, "kind: A\n", 0},
	        {"apps/sub/b.yml", 0100755, "kind: B\n", 0},
	        {"apps/big.yaml", 0100644, NULL, 5000},
	        {"apps/huge.bin", 0100644, NULL, 200000},
	        {"apps/README.md", 0100644, "# notes\n", 0},
	        {"apps/.hidden.yaml", 0100644, "kind: Hidden\n", 0},
	        {"apps/link.yaml", 0120000, "../common/c.yaml", 0},
	        {"apps/chain.yaml", 0120000, "link.yaml", 0},
	        {"apps/viadir.yaml", 0120000, "../alias/c.yaml", 0},
	        {"apps/out.yaml", 0120000, "../../../etc/passwd", 0},
	        {"apps/abs.yaml", 0120000, "/etc/passwd", 0},
	        {"apps/dangling.yaml", 0120000, "nope.yaml", 0},
	        {"apps/loop.yaml", 0120000, "loop.yaml", 0},
	        {"apps/dirlink.yaml", 0120000, "sub", 0},
	        {"alias", 0120000, "common", 0},
	        {"common/c.yaml", 0100644, "kind: C\n", 0},
	        {"top.yaml", 0100644, "kind: Top\n", 0},
	};
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	gws_diag_list diags;
	gws_source *src;
	const char *root;

	(void)state;
	gws_diag_list_init(&diags);
	opts.repo = make_repo("content", files, GWS_ARRAY_SIZE(files));
	opts.ref = "main";
	opts.workdir = workdir("wd-content");
	opts.path = "apps";
	opts.max_file_size = 1000;
	src = open_opts(&opts, &diags);
	root = gws_source_path(src);
	assert_string_equal(read_text(root, "apps/a.yaml"), "kind: A\n");
	assert_string_equal(read_text(root, "apps/sub/b.yml"), "kind: B\n");
	/* Links inside the repository are read as the file they name. */
	assert_string_equal(read_text(root, "apps/link.yaml"), "kind: C\n");
	assert_string_equal(read_text(root, "apps/chain.yaml"), "kind: C\n");
	assert_string_equal(read_text(root, "apps/viadir.yaml"), "kind: C\n");
	/* Nothing else: not the big file, not what the loader skips, not
	 * what lies outside the path. */
	assert_int_equal(count_files(root), 5);
	expect_diag(&diags, "apps/big.yaml: file is 5000 bytes, over the limit of 1000 bytes; "
	                    "not read\n");
	expect_diag(&diags, "warning apps/out.yaml: symbolic link points outside the "
	                    "repository; not read\n");
	expect_diag(&diags, "warning apps/abs.yaml: symbolic link points outside");
	expect_diag(&diags, "apps/dangling.yaml: symbolic link to a file the repository "
	                    "lacks; not read\n");
	expect_diag(&diags, "apps/loop.yaml: too many levels of symbolic links; not read\n");
	assert_int_equal(diags.count, 5);
	gws_source_free(src);
	gws_diag_list_dispose(&diags);

	/* A single file as the path, through a link to a directory. */
	gws_diag_list_init(&diags);
	opts.path = "alias/c.yaml";
	src = open_opts(&opts, &diags);
	assert_int_equal(count_files(gws_source_path(src)), 1);
	assert_string_equal(read_text(gws_source_path(src), "alias/c.yaml"), "kind: C\n");
	gws_source_free(src);

	/* A path the tree lacks, or one leaving it: nothing is written (the
	 * loader reports the path). */
	opts.path = "../common";
	src = open_opts(&opts, &diags);
	assert_int_equal(count_files(gws_source_path(src)), 0);
	gws_source_free(src);
	opts.path = "missing";
	src = open_opts(&opts, &diags);
	assert_int_equal(count_files(gws_source_path(src)), 0);
	gws_source_free(src);
	assert_int_equal(diags.count, 0);
	gws_diag_list_dispose(&diags);
}

/* A git bomb: `levels` of 10 entries naming one subtree, over 10 files. */
static const char *make_bomb(const char *name, int levels, const char *leaf)
{
	static char dir[1400];
	git_repository_init_options init;
	git_repository *repo = NULL;
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_oid blob, id, commit_id;
	char entry[32];

	snprintf(dir, sizeof(dir), "%s/%s", scratch, name);
	assert_int_equal(gws_source__remove_tree(dir), 0);
	git_repository_init_options_init(&init, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	init.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_BARE;
	init.initial_head = "main";
	assert_int_equal(git_repository_init_ext(&repo, dir, &init), 0);
	assert_int_equal(git_blob_create_from_buffer(&blob, repo, "kind: Bomb\n", 11), 0);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	for (int i = 0; i < 10; i++) {
		snprintf(entry, sizeof(entry), "f%d.%s", i, leaf);
		assert_int_equal(git_treebuilder_insert(NULL, tb, entry, &blob, 0100644), 0);
	}
	assert_int_equal(git_treebuilder_write(&id, tb), 0);
	git_treebuilder_free(tb);
	for (int l = 0; l < levels; l++) {
		assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
		for (int i = 0; i < 10; i++) {
			snprintf(entry, sizeof(entry), "d%d", i);
			assert_int_equal(git_treebuilder_insert(NULL, tb, entry, &id, 040000), 0);
		}
		assert_int_equal(git_treebuilder_write(&id, tb), 0);
		git_treebuilder_free(tb);
	}
	assert_int_equal(git_tree_lookup(&tree, repo, &id), 0);
	assert_int_equal(git_signature_new(&sig, "test", "test@example.com", 1700000000, 0), 0);
	assert_int_equal(git_commit_create(&commit_id, repo, "refs/heads/main", sig, sig, NULL,
	                                   "bomb", tree, 0, NULL),
	                 0);
	git_signature_free(sig);
	git_tree_free(tree);
	git_repository_free(repo);
	return dir;
}

static void test_caps(void **state)
{
	static const file_spec files[] = {
	        {"a.yaml", 0100644, NULL, 400},
	        {"b.yaml", 0100644, NULL, 400},
	        {"c.yaml", 0100644, NULL, 400},
	};
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	gws_diag_list diags;
	gws_source *src;
	char url[1500];

	(void)state;
	/* A bomb of 10^9 manifests: the files cap stops it, 50 files written. */
	gws_diag_list_init(&diags);
	snprintf(url, sizeof(url), "file://%s", make_bomb("bomb", 8, "yaml"));
	opts.repo = url;
	opts.workdir = workdir("wd-bomb");
	opts.max_files = 50;
	src = open_opts(&opts, &diags);
	assert_int_equal(count_files(gws_source_path(src)), 50);
	expect_diag(&diags, "d0/d0/d0/d0/d0/d0/d0/d5/f0.yaml: the repository has more than 50 "
	                    "manifest files below the path; this one and the rest are not read\n");
	assert_int_equal(diags.count, 1);
	gws_source_free(src);
	gws_diag_list_dispose(&diags);

	/* The same bomb of other files: nothing to write, the entry cap stops
	 * the walk (the default cap, 10^6 entries, in the CLI test). */
	gws_diag_list_init(&diags);
	snprintf(url, sizeof(url), "file://%s", make_bomb("bomb-txt", 8, "txt"));
	opts.max_files = 0;
	opts.max_entries = 1000;
	src = open_opts(&opts, &diags);
	assert_int_equal(count_files(gws_source_path(src)), 0);
	expect_diag(&diags, "the repository's tree has more than 1000 entries below the path; "
	                    "the rest is not read\n");
	assert_int_equal(diags.count, 1);
	gws_source_free(src);
	gws_diag_list_dispose(&diags);

	/* The total: two files of 400 bytes fit in 1000, the third does not. */
	gws_diag_list_init(&diags);
	opts.repo = make_repo("total", files, GWS_ARRAY_SIZE(files));
	opts.ref = "main";
	opts.max_entries = 0;
	opts.max_total_bytes = 1000;
	src = open_opts(&opts, &diags);
	assert_int_equal(count_files(gws_source_path(src)), 2);
	expect_diag(&diags, "c.yaml: the repository's manifests below the path pass 1000 bytes in "
	                    "all; this file and the rest are not read\n");
	gws_source_free(src);
	gws_diag_list_dispose(&diags);
}

/* As the loader: 64 directories below the path are read, the 65th is not. */
static void test_depth(void **state)
{
	char deep[300], deeper[300];
	file_spec files[2] = {{deep, 0100644, "kind: Deep\n", 0},
	                      {deeper, 0100644, "kind: Deeper\n", 0}};
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	gws_diag_list diags;
	gws_source *src;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < GWS_SOURCE_MAX_DEPTH; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "d/");
	memcpy(deeper, deep, n);
	snprintf(deep + n, sizeof(deep) - n, "x.yaml");
	snprintf(deeper + n, sizeof(deeper) - n, "e/y.yaml");
	gws_diag_list_init(&diags);
	opts.repo = make_repo("deep", files, 2);
	opts.ref = "main";
	opts.workdir = workdir("wd-deep");
	src = open_opts(&opts, &diags);
	assert_int_equal(count_files(gws_source_path(src)), 1);
	assert_string_equal(read_text(gws_source_path(src), deep), "kind: Deep\n");
	deeper[n + 1] = '\0';
	expect_diag(&diags, "directory nested more than 64 levels below the path; not read\n");
	assert_string_equal(diags.items[0].file, deeper);
	gws_source_free(src);
	gws_diag_list_dispose(&diags);
}

/* ---- issue 10 M2: one run per cache entry ---------------------------------- */

/* The child opens v1 and holds it; it exits 0 when what it read stayed v1
 * while the parent tried to open main in the same cache. */
static void lock_child(const char *wd, int ready_fd, int go_fd)
{
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	gws_diag_list diags;
	gws_source *src = NULL;
	char c = 0;
	bool same;

	gws_diag_list_init(&diags);
	opts.repo = origin_url;
	opts.ref = "v1";
	opts.workdir = wd;
	if (gws_source_open(&src, &opts, &diags) < 0)
		_exit(2);
	if (write(ready_fd, "r", 1) != 1 || read(go_fd, &c, 1) != 1)
		_exit(3);
	/* The parent waits for this lock now: hold it a little, then check. */
	usleep(300 * 1000);
	same = strcmp(read_text(gws_source_path(src), "a.yaml"), "version: one\n") == 0 &&
	       strcmp(read_text(gws_source_path(src), "b.yaml"), "") == 0;
	gws_source_free(src);
	gws_diag_list_dispose(&diags);
	_exit(same ? 0 : 1);
}

static void test_lock_between_processes(void **state)
{
	const char *wd = workdir("wd-lock");
	gws_source_options opts = GWS_SOURCE_OPTIONS_INIT;
	gws_source *src = NULL;
	int ready[2], go[2], status = 0;
	char c = 0, wd_copy[1400];
	pid_t child;

	(void)state;
	snprintf(wd_copy, sizeof(wd_copy), "%s", wd);
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	fflush(NULL);
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		lock_child(wd_copy, ready[1], go[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);

	/* Held by the child: a run that does not wait fails at once... */
	opts.repo = origin_url;
	opts.ref = "main";
	opts.workdir = wd_copy;
	opts.lock_timeout_ms = 0;
	assert_int_equal(gws_source_open(&src, &opts, &sink), GWS_ELOCKED);
	assert_null(src);
	assert_non_null(strstr(gws_error_last(), "another run holds the lock on the cache"));
	assert_non_null(strstr(gws_error_last(), wd_copy));
	opts.lock_timeout_ms = 100;
	assert_int_equal(gws_source_open(&src, &opts, &sink), GWS_ELOCKED);

	/* ...and one that waits gets it when the child is done. */
	assert_int_equal(write(go[1], "g", 1), 1);
	opts.lock_timeout_ms = 20000;
	src = open_opts(&opts, &sink);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0); /* the child's files stayed v1 */
	assert_string_equal(gws_source_commit(src), second);
	assert_string_equal(read_text(gws_source_path(src), "b.yaml"), "only: main\n");
	gws_source_free(src);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

/* ---- issue 10 L8: what a signal handler calls ------------------------------ */

static void test_remove_temporary(void **state)
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
	snprintf(tmp, sizeof(tmp), "%s/tmp-signal", scratch);
	assert_int_equal(gws_source__remove_tree(tmp), 0);
	assert_int_equal(gws_source__mkdirs(tmp), 0);
	unsetenv("HOME");
	unsetenv("XDG_CACHE_HOME");
	setenv("TMPDIR", tmp, 1);

	src = open_ok(origin_url, "v1", NULL);
	assert_true(gws_str_startswith(gws_source_path(src), tmp));
	assert_int_equal(stat(gws_source_path(src), &st), 0);
	/* What the handler does before the process ends: all of it goes. */
	gws_source_remove_temporary();
	assert_int_equal(rmdir(tmp), 0);
	gws_source_free(src);          /* still safe after */
	gws_source_remove_temporary(); /* and nothing is registered any more */

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
	        cmocka_unit_test(test_token_policy),
	        cmocka_unit_test(test_url_origin),
	        cmocka_unit_test(test_git_error_classes),
	        cmocka_unit_test(test_empty_remote),
	        cmocka_unit_test(test_only_manifests_written),
	        cmocka_unit_test(test_caps),
	        cmocka_unit_test(test_depth),
	        cmocka_unit_test(test_lock_between_processes),
	        cmocka_unit_test(test_remove_temporary),
	        /* Last: it adds a commit to the origin's main. */
	        cmocka_unit_test(test_second_open_fetches),
	};

	return cmocka_run_group_tests(tests, setup_origin, teardown_origin);
}
