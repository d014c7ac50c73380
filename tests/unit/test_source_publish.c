/*
 * Unit tests for the pieces of status commits and leases that need no
 * server: known_hosts matching (patterns, ports, negation, hashed names,
 * @revoked), the lease's time stamps, and putting a tree in place of one
 * directory of another without touching the rest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <git2.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "gwsync/core.h"
#include "gwsync/source.h"
#include "source/source_int.h"

/* ssh-ed25519 blobs: the type name, then 32 key bytes (a and b). */
static unsigned char key_a[51], key_b[51];
static char key_a_b64[100], key_b_b64[100];
static char dir[1024];

static void make_key(unsigned char *blob, char *b64, unsigned char fill)
{
	static const char type[] = "ssh-ed25519";

	memset(blob, 0, 51);
	blob[3] = 11;
	memcpy(blob + 4, type, 11);
	blob[18] = 32;
	memset(blob + 19, fill, 32);
	EVP_EncodeBlock((unsigned char *)b64, blob, 51);
}

static int setup(void **state)
{
	const char *s = getenv("GWSYNC_SCRATCH");

	(void)state;
	make_key(key_a, key_a_b64, 0xaa);
	make_key(key_b, key_b_b64, 0xbb);
	snprintf(dir, sizeof(dir), "%s/publish", s ? s : "/tmp/gwsync-test-publish");
	if (gws_source__remove_tree(dir) < 0 || gws_source__mkdirs(dir) < 0)
		return -1;
	return git_libgit2_init() < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

/* known_hosts file `text` checked for host:port presenting key_a. */
static int check(const char *text, const char *host, unsigned port)
{
	char path[1100];
	FILE *f;

	snprintf(path, sizeof(path), "%s/known_hosts", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return gws_source__known_host(path, host, port, key_a, sizeof(key_a));
}

static char *line(const char *hosts, const char *b64)
{
	return gws_asprintf("# a comment\n\n%s ssh-ed25519 %s comment here\n", hosts, b64);
}

static void test_known_hosts_names(void **state)
{
	char *t;

	(void)state;
	t = line("git.example.com", key_a_b64);
	assert_int_equal(check(t, "git.example.com", 22), 0);
	assert_int_equal(check(t, "GIT.example.com", 22), 0); /* names ignore case */
	assert_int_equal(check(t, "git.example.com", 2222), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "[git.example.com]:2222"));
	assert_non_null(strstr(gws_error_last(), "is not in"));
	gws_free(t);

	t = line("[git.example.com]:2222,other", key_a_b64);
	assert_int_equal(check(t, "git.example.com", 2222), 0);
	assert_int_equal(check(t, "git.example.com", 22), GWS_EAUTH);
	assert_int_equal(check(t, "other", 22), 0);
	gws_free(t);

	t = line("!bad.example.com,*.example.com,host?", key_a_b64);
	assert_int_equal(check(t, "git.example.com", 22), 0);
	assert_int_equal(check(t, "host7", 22), 0);
	assert_int_equal(check(t, "bad.example.com", 22), GWS_EAUTH);
	assert_int_equal(check(t, "example.org", 22), GWS_EAUTH);
	gws_free(t);
}

static void test_known_hosts_keys(void **state)
{
	char *t, *both;

	(void)state;
	t = line("git.example.com", key_b_b64);
	assert_int_equal(check(t, "git.example.com", 22), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "differs from the key"));
	assert_non_null(strstr(gws_error_last(), "SHA256:"));
	/* One of several keys of the host is enough. */
	both = gws_asprintf("%sgit.example.com ssh-ed25519 %s\n", t, key_a_b64);
	assert_int_equal(check(both, "git.example.com", 22), 0);
	gws_free(both);
	gws_free(t);

	t = gws_asprintf("git.example.com ssh-ed25519 %s\n@revoked * ssh-ed25519 %s\n", key_a_b64,
	                 key_a_b64);
	assert_int_equal(check(t, "git.example.com", 22), GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "revoked"));
	gws_free(t);

	/* A CA line does not vouch for a plain key. */
	t = gws_asprintf("@cert-authority git.example.com ssh-ed25519 %s\n", key_a_b64);
	assert_int_equal(check(t, "git.example.com", 22), GWS_EAUTH);
	gws_free(t);

	/* Garbage never matches, never crashes. */
	assert_int_equal(check("git.example.com ssh-ed25519 !!!notbase64\n|1|x|y z\n@\n",
	                       "git.example.com", 22),
	                 GWS_EAUTH);
	assert_int_equal(
	        gws_source__known_host("/nonexistent/known_hosts", "h", 22, key_a, sizeof(key_a)),
	        GWS_EAUTH);
	assert_non_null(strstr(gws_error_last(), "/nonexistent/known_hosts"));
}

/* |1|base64(salt)|base64(HMAC-SHA1(salt, name)), as ssh-keygen -H writes. */
static char *hashed(const char *name)
{
	unsigned char salt[20], mac[20];
	unsigned int len = 0;
	char s64[40], m64[40];

	memset(salt, 0x5a, sizeof(salt));
	HMAC(EVP_sha1(), salt, sizeof(salt), (const unsigned char *)name, strlen(name), mac, &len);
	EVP_EncodeBlock((unsigned char *)s64, salt, sizeof(salt));
	EVP_EncodeBlock((unsigned char *)m64, mac, sizeof(mac));
	return gws_asprintf("|1|%s|%s", s64, m64);
}

static void test_known_hosts_hashed(void **state)
{
	char *h = hashed("[127.0.0.1]:2200"), *t = line(h, key_a_b64);

	(void)state;
	assert_int_equal(check(t, "127.0.0.1", 2200), 0);
	assert_int_equal(check(t, "127.0.0.1", 22), GWS_EAUTH);
	assert_int_equal(check(t, "127.0.0.2", 2200), GWS_EAUTH);
	gws_free(t);
	gws_free(h);
}

static void test_lease_times(void **state)
{
	char text[32];
	long long ms = 0;

	(void)state;
	gws_source__format_time(text, 1767324645678LL);
	assert_string_equal(text, "2026-01-02T03:30:45.678Z");
	assert_int_equal(gws_source__parse_time(&ms, text), 0);
	assert_true(ms == 1767324645678LL);
	assert_int_equal(gws_source__parse_time(&ms, "2026-01-02T03:30:45Z"), 0);
	assert_true(ms == 1767324645000LL);
	assert_int_equal(gws_source__parse_time(&ms, "2026-01-02T03:30:45+01:00"), GWS_EINVALID);
	assert_int_equal(gws_source__parse_time(&ms, "2026-13-02T03:30:45Z"), GWS_EINVALID);
	assert_int_equal(gws_source__parse_time(&ms, "2026-01-02T03:30:45.1Z"), GWS_EINVALID);
	assert_int_equal(gws_source__parse_time(&ms, "yesterday"), GWS_EINVALID);
	assert_int_equal(gws_source__parse_time(&ms, NULL), GWS_EINVALID);
}

static void blob(git_oid *out, git_repository *repo, const char *text)
{
	assert_int_equal(git_blob_create_from_buffer(out, repo, text, strlen(text)), 0);
}

/* A tree of one entry `name` -> `oid` (mode `mode`). */
static void tree1(git_oid *out, git_repository *repo, const char *name, const git_oid *oid,
                  git_filemode_t mode)
{
	git_treebuilder *tb;

	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, name, oid, mode), 0);
	assert_int_equal(git_treebuilder_write(out, tb), 0);
	git_treebuilder_free(tb);
}

static void test_splice(void **state)
{
	git_repository *repo;
	git_treebuilder *tb;
	git_tree *base, *out;
	git_oid readme, old_report, new_report, prod, gwsync_dir, base_oid, new_sub, res;
	char *path = gws_asprintf("%s/repo", dir);

	(void)state;
	assert_int_equal(git_repository_init(&repo, path, 1), 0);
	blob(&readme, repo, "readme\n");
	blob(&old_report, repo, "old\n");
	blob(&new_report, repo, "new\n");
	/* base: README, .gwsync/prod/SUMMARY.md (old), .gwsync/staging kept */
	tree1(&prod, repo, "SUMMARY.md", &old_report, GIT_FILEMODE_BLOB);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "prod", &prod, GIT_FILEMODE_TREE), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "staging", &prod, GIT_FILEMODE_TREE), 0);
	assert_int_equal(git_treebuilder_write(&gwsync_dir, tb), 0);
	git_treebuilder_free(tb);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "README", &readme, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(
	        git_treebuilder_insert(NULL, tb, ".gwsync", &gwsync_dir, GIT_FILEMODE_TREE), 0);
	assert_int_equal(git_treebuilder_write(&base_oid, tb), 0);
	git_treebuilder_free(tb);
	assert_int_equal(git_tree_lookup(&base, repo, &base_oid), 0);

	/* Replace prod: README and staging keep their ids. */
	tree1(&new_sub, repo, "SUMMARY.md", &new_report, GIT_FILEMODE_BLOB);
	assert_int_equal(gws_source__splice_subdir(&res, repo, base, ".gwsync/prod", &new_sub), 0);
	assert_int_equal(git_tree_lookup(&out, repo, &res), 0);
	{
		git_tree_entry *e;

		assert_int_equal(git_tree_entry_bypath(&e, out, ".gwsync/prod"), 0);
		assert_true(git_oid_equal(git_tree_entry_id(e), &new_sub));
		git_tree_entry_free(e);
		assert_int_equal(git_tree_entry_bypath(&e, out, ".gwsync/staging"), 0);
		assert_true(git_oid_equal(git_tree_entry_id(e), &prod));
		git_tree_entry_free(e);
		assert_true(git_oid_equal(git_tree_entry_id(git_tree_entry_byname(out, "README")),
		                          &readme));
	}
	git_tree_free(out);

	/* The same subtree again: the very same root tree. */
	assert_int_equal(gws_source__splice_subdir(&res, repo, base, ".gwsync/prod", &prod), 0);
	assert_true(git_oid_equal(&res, &base_oid));

	/* Removing prod keeps .gwsync (staging is left); on an empty base, a new path. */
	assert_int_equal(gws_source__splice_subdir(&res, repo, base, ".gwsync/prod", NULL), 0);
	assert_int_equal(git_tree_lookup(&out, repo, &res), 0);
	assert_int_equal(git_tree_entrycount(out), 2);
	git_tree_free(out);
	assert_int_equal(gws_source__splice_subdir(&res, repo, NULL, "a/b/c", &new_sub), 0);
	assert_int_equal(git_tree_lookup(&out, repo, &res), 0);
	{
		git_tree_entry *e;

		assert_int_equal(git_tree_entry_bypath(&e, out, "a/b/c/SUMMARY.md"), 0);
		git_tree_entry_free(e);
	}
	git_tree_free(out);

	git_tree_free(base);
	git_repository_free(repo);
	gws_free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_known_hosts_names),
	        cmocka_unit_test(test_known_hosts_keys),
	        cmocka_unit_test(test_known_hosts_hashed),
	        cmocka_unit_test(test_lease_times),
	        cmocka_unit_test(test_splice),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
