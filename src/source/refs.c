/*
 * What a --ref names, by git's rules (`git help revisions`), so a pinned run
 * reads exactly what `git rev-parse` would:
 *  - 40 hex digits are an object id, whatever the references are called
 *    (a branch named like a commit cannot redirect a pinned run);
 *  - any other name is tried as <ref> (only "HEAD" or a full "refs/..."
 *    name), refs/<ref>, refs/tags/<ref>, refs/heads/<ref>,
 *    refs/remotes/<ref>, refs/remotes/<ref>/HEAD, and the first that exists
 *    wins (a tag before a branch of the same name);
 *  - when no reference matches, 4 to 39 hex digits are an abbreviated id.
 * The same order serves local repositories (their references) and remote
 * ones (the references the remote advertises).
 */
#include <string.h>

#include "source/source_int.h"

static const struct {
	const char *prefix, *suffix;
} rules[] = {
        {"", ""},
        {"refs/", ""},
        {"refs/tags/", ""},
        {"refs/heads/", ""},
        {"refs/remotes/", ""},
        {"refs/remotes/", "/HEAD"},
};

static size_t hex_digits(const char *s)
{
	return strspn(s, "0123456789abcdefABCDEF");
}

bool gws_source__is_full_oid(const char *ref)
{
	return strlen(ref) == GIT_OID_HEXSZ && hex_digits(ref) == GIT_OID_HEXSZ;
}

bool gws_source__is_abbrev_oid(const char *ref)
{
	size_t n = strlen(ref);

	return n >= GIT_OID_MINPREFIXLEN && n < GIT_OID_HEXSZ && hex_digits(ref) == n;
}

int gws_source__ref_candidates(const char *ref, gws_source__ref_fn fn, void *payload)
{
	gws_buf name = GWS_BUF_INIT(GWS_CAP_LINE);
	int rc = 0, valid;

	for (size_t i = 0; i < GWS_ARRAY_SIZE(rules) && rc == 0; i++) {
		/* The bare form stands only for HEAD or a full name: git does not
		 * read other files of $GIT_DIR (config, index) as references. */
		if (i == 0 && strcmp(ref, "HEAD") != 0 && !gws_str_startswith(ref, "refs/"))
			continue;
		gws_buf_clear(&name);
		if ((rc = gws_buf_printf(&name, "%s%s%s", rules[i].prefix, ref, rules[i].suffix)) <
		    0)
			break;
		if (git_reference_name_is_valid(&valid, gws_buf_cstr(&name)) < 0 || !valid)
			continue;
		rc = fn(gws_buf_cstr(&name), payload);
	}
	gws_buf_dispose(&name);
	return rc < 0 ? rc : 0;
}

int gws_source__peel_oid(git_object **out, git_repository *repo, const char *hex)
{
	git_object *any = NULL;
	git_oid oid;
	size_t len = strlen(hex);
	int rc;

	*out = NULL;
	if (git_oid_fromstrn(&oid, hex, len) < 0)
		return GWS_ENOTFOUND;
	git_error_clear();
	rc = git_object_lookup_prefix(&any, repo, &oid, len, GIT_OBJECT_ANY);
	if (rc == GIT_EAMBIGUOUS)
		return gws_error_set(GWS_EINVALID, "commit id '%s' is ambiguous: give more digits",
		                     hex);
	if (rc < 0)
		return GWS_ENOTFOUND;
	rc = git_object_peel(out, any, GIT_OBJECT_COMMIT);
	git_object_free(any);
	return rc < 0 ? GWS_ENOTFOUND : 0;
}

typedef struct {
	git_repository *repo;
	git_reference *found;
	char *name;
} local_match;

static int try_local(const char *full_name, void *payload)
{
	local_match *m = payload;

	if (git_reference_lookup(&m->found, m->repo, full_name) < 0)
		return 0;
	if (!(m->name = gws_strdup(full_name)))
		return GWS_ENOMEM;
	return 1;
}

int gws_source__resolve_local(git_object **out, char **full_name, git_repository *repo,
                              const char *ref)
{
	local_match m = {repo, NULL, NULL};
	int error;

	*out = NULL;
	*full_name = NULL;
	if (gws_source__is_full_oid(ref))
		return gws_source__peel_oid(out, repo, ref);
	if ((error = gws_source__ref_candidates(ref, try_local, &m)) < 0)
		goto cleanup;
	if (m.found) {
		git_error_clear();
		if (git_reference_peel(out, m.found, GIT_OBJECT_COMMIT) < 0) {
			error = GWS_ENOTFOUND; /* a tag of a tree or a blob */
		} else {
			*full_name = m.name;
			m.name = NULL;
		}
	} else if (gws_source__is_abbrev_oid(ref)) {
		error = gws_source__peel_oid(out, repo, ref);
	} else {
		error = GWS_ENOTFOUND;
	}
cleanup:
	git_reference_free(m.found);
	gws_free(m.name);
	return error;
}
