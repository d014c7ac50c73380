/*
 * Moving one reference between the cache and the source's repository: the
 * fetches and the compare-and-swap pushes of status commits and leases.
 *
 * A push never forces. Two checks make it a compare-and-swap on the
 * remote's reference:
 *  - before sending, the update libgit2 negotiated must start from the
 *    value we built on (push_negotiation): when the advertised value is
 *    another, the reference moved and nothing is sent;
 *  - the server applies an update only while the reference still has the
 *    advertised value (git receive-pack locks it and compares), and refuses
 *    to create one that exists.
 * A local repository (a path or a file:// URL) is updated here, not by
 * libgit2's local transport, which updates references without that
 * comparison and refuses every non-bare repository: the objects are copied
 * with a pack, then git_reference_create_matching compares and swaps under
 * the reference's lock, as receive-pack does.
 */
#include <errno.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "source/source_int.h"

typedef struct {
	const char *ref;
	const git_oid *expected; /* NULL: must not exist */
	bool moved;
	bool refused;
	gws_buf why; /* the server's reason */
} push_state;

/* Connects `remote` (anonymous) to the source's URL with its callbacks. */
static int connect_remote(git_remote **remote, gws_source__cred_state *cred,
                          git_remote_callbacks *cb, gws_source *src, git_repository *repo,
                          git_direction dir)
{
	git_remote_create_options ro;
	git_remote_connect_options co;
	int rc;

	*remote = NULL;
	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = repo;
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	git_remote_connect_options_init(&co, GIT_REMOTE_CONNECT_OPTIONS_VERSION);
	gws_source__init_callbacks(&co.callbacks, cred, src->url, src->known_hosts);
	co.follow_redirects = GIT_REMOTE_REDIRECT_INITIAL;
	*cb = co.callbacks;
	git_error_clear();
	if ((rc = git_remote_create_with_opts(remote, src->url, &ro)) < 0 ||
	    (rc = git_remote_connect_ext(*remote, dir, &co)) < 0)
		return gws_source__git_error(
		        rc, GWS_ENETWORK,
		        dir == GIT_DIRECTION_FETCH ? "cannot fetch" : "cannot push to", src->shown);
	return 0;
}

static const git_remote_head *find_head(git_remote *remote, const char *ref)
{
	const git_remote_head **heads;
	size_t n;

	if (git_remote_ls(&heads, &n, remote) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(heads[i]->name, ref) == 0)
			return heads[i];
	return NULL;
}

int gws_source__fetch_ref(git_oid *oid, bool *found, gws_source *src, git_repository *repo,
                          const char *ref, const char *local)
{
	git_remote *remote = NULL;
	gws_source__cred_state cred;
	git_remote_callbacks cb;
	const git_remote_head *head;
	gws_buf spec = GWS_BUF_INIT(GWS_CAP_LINE);
	char *specv[1];
	git_strarray specs = {specv, 1};
	git_fetch_options fo;
	int rc, error;

	*found = false;
	if ((error = connect_remote(&remote, &cred, &cb, src, repo, GIT_DIRECTION_FETCH)) < 0)
		goto cleanup;
	if (!(head = find_head(remote, ref)))
		goto cleanup;
	git_oid_cpy(oid, &head->oid);
	*found = true;
	if ((error = gws_buf_printf(&spec, "+%s:%s", ref, local)) < 0)
		goto cleanup;
	specv[0] = spec.ptr;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.callbacks = cb;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fo.follow_redirects = GIT_REMOTE_REDIRECT_INITIAL;
	git_error_clear();
	if ((rc = git_remote_download(remote, &specs, &fo)) < 0 ||
	    (rc = git_remote_update_tips(remote, &cb, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE, NULL)) <
	            0) {
		error = gws_source__git_error(rc, GWS_ENETWORK, "cannot fetch", src->shown);
		goto cleanup;
	}
	src->received += git_remote_stats(remote)->received_objects;
	/* update_tips skips a reference whose value it already has locally. */
	git_error_clear();
	if ((rc = git_reference_create(NULL, repo, local, oid, 1, "gwsync: fetch")) < 0)
		error = gws_source__git_error(rc, GWS_EIO, "cannot update the cache of",
		                              src->shown);
cleanup:
	if (remote)
		git_remote_disconnect(remote);
	git_remote_free(remote);
	gws_buf_dispose(&spec);
	return error;
}

static int negotiation(const git_push_update **updates, size_t len, void *payload)
{
	push_state *st = ((gws_source__cred_state *)payload)->extra;

	for (size_t i = 0; i < len; i++) {
		const git_oid *was = &updates[i]->src;

		if (strcmp(updates[i]->dst_refname, st->ref) != 0)
			continue;
		if (st->expected ? !git_oid_equal(was, st->expected) : !git_oid_is_zero(was)) {
			st->moved = true;
			git_error_set_str(GIT_ERROR_CALLBACK, "the reference moved");
			return -1;
		}
	}
	return 0;
}

static int update_reference(const char *refname, const char *status, void *payload)
{
	push_state *st = ((gws_source__cred_state *)payload)->extra;

	if (status && strcmp(refname, st->ref) == 0) {
		st->refused = true;
		gws_buf_clear(&st->why);
		if (gws_buf_puts(&st->why, status) < 0)
			gws_buf_clear(&st->why); /* the refusal stands without its reason */
	}
	return 0;
}

/* The directory of a local repository (a path, or a file:// URL without
 * %-escapes), or NULL for a remote one. */
static const char *local_path(const gws_source *src)
{
	if (src->kind == GWS_SOURCE__LOCAL)
		return src->url;
	if (gws_str_startswith(src->url, "file://")) {
		const char *path = strchr(src->url + strlen("file://"), '/');

		return path && !strchr(path, '%') ? path : NULL;
	}
	return NULL;
}

static int push_remote(push_state *st, gws_source *src, git_repository *repo, const git_oid *oid)
{
	git_remote *remote = NULL;
	gws_source__cred_state cred;
	git_remote_callbacks cb;
	git_push_options po;
	gws_buf spec = GWS_BUF_INIT(GWS_CAP_LINE);
	char *specv[1];
	git_strarray specs = {specv, 1};
	int rc, error;

	/* libgit2 pushes references, not ids: a scratch one names the commit. */
	git_error_clear();
	if ((rc = git_reference_create(NULL, repo, "refs/gwsync/push", oid, 1, "gwsync: push")) < 0)
		return gws_source__git_error(rc, GWS_EIO, "cannot prepare the push to", src->shown);
	if ((error = connect_remote(&remote, &cred, &cb, src, repo, GIT_DIRECTION_PUSH)) < 0 ||
	    (error = gws_buf_printf(&spec, "refs/gwsync/push:%s", st->ref)) < 0)
		goto cleanup;
	specv[0] = spec.ptr;
	cred.extra = st;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	po.callbacks = cb;
	po.callbacks.push_negotiation = negotiation;
	po.callbacks.push_update_reference = update_reference;
	po.follow_redirects = GIT_REMOTE_REDIRECT_INITIAL;
	git_error_clear();
	rc = git_remote_push(remote, &specs, &po);
	if (rc < 0 && !st->moved)
		error = gws_source__git_error(rc, GWS_ENETWORK, "cannot push to", src->shown);
cleanup:
	if (remote)
		git_remote_disconnect(remote);
	git_remote_free(remote);
	gws_buf_dispose(&spec);
	return error;
}

/* Copies what `oid` adds to `expected` from the cache into `dest`, as one pack. */
static int copy_objects(git_repository *repo, git_repository *dest, const git_oid *oid,
                        const git_oid *expected)
{
	git_packbuilder *pb = NULL;
	git_revwalk *walk = NULL;
	char *pack_dir = NULL;
	int rc;

	if ((rc = git_revwalk_new(&walk, repo)) < 0 || (rc = git_revwalk_push(walk, oid)) < 0 ||
	    (expected && (rc = git_revwalk_hide(walk, expected)) < 0) ||
	    (rc = git_packbuilder_new(&pb, repo)) < 0 ||
	    (rc = git_packbuilder_insert_walk(pb, walk)) < 0)
		goto cleanup;
	if (!(pack_dir = gws_asprintf("%sobjects/pack", git_repository_commondir(dest)))) {
		rc = -1;
		goto cleanup;
	}
	rc = git_packbuilder_write(pb, pack_dir, 0, NULL, NULL);
cleanup:
	git_packbuilder_free(pb);
	git_revwalk_free(walk);
	gws_free(pack_dir);
	return rc;
}

/* Whether `ref` is the branch checked out in the non-bare `dest`. */
static bool checked_out(git_repository *dest, const char *ref)
{
	git_reference *head = NULL;
	bool out = false;

	if (git_repository_is_bare(dest))
		return false;
	if (git_reference_lookup(&head, dest, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
		out = strcmp(git_reference_symbolic_target(head), ref) == 0;
	git_reference_free(head);
	return out;
}

static int push_local(push_state *st, gws_source *src, git_repository *repo, const char *path,
                      const git_oid *oid)
{
	git_repository *dest = NULL;
	git_reference *out = NULL;
	int rc, error = 0;

	git_error_clear();
	if ((rc = git_repository_open_ext(&dest, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)) < 0) {
		error = gws_source__git_error(rc, GWS_EIO, "cannot push to", src->shown);
		goto cleanup;
	}
	if (checked_out(dest, st->ref)) {
		error = gws_error_set(GWS_EREMOTE,
		                      "cannot push to %s: %s is the branch checked out in its work "
		                      "tree (git refuses to move it under a checkout); use "
		                      "--status-branch for another branch, or --no-push",
		                      src->shown, st->ref);
		goto cleanup;
	}
	git_error_clear();
	if ((rc = copy_objects(repo, dest, oid, st->expected)) < 0) {
		error = gws_source__git_error(rc, GWS_EIO, "cannot push to", src->shown);
		goto cleanup;
	}
	git_error_clear();
	if (st->expected)
		rc = git_reference_create_matching(&out, dest, st->ref, oid, 1, st->expected,
		                                   "gwsync: push");
	else
		rc = git_reference_create(&out, dest, st->ref, oid, 0, "gwsync: push");
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS || rc == GIT_ENOTFOUND)
		st->moved = true;
	else if (rc == GIT_ELOCKED)
		st->moved = true; /* another push holds the reference's lock */
	else if (rc < 0)
		error = gws_source__git_error(rc, GWS_EIO, "cannot push to", src->shown);
cleanup:
	git_reference_free(out);
	git_repository_free(dest);
	return error;
}

int gws_source__push_ref(bool *moved, gws_source *src, git_repository *repo, const git_oid *oid,
                         const char *ref, const git_oid *expected)
{
	push_state st = {ref, expected, false, false, GWS_BUF_INIT(GWS_CAP_LINE)};
	const char *path = local_path(src);
	git_oid now;
	bool found = false;
	int error;

	*moved = false;
	if (path)
		error = push_local(&st, src, repo, path, oid);
	else
		error = push_remote(&st, src, repo, oid);
	if (error < 0 || st.moved || !st.refused)
		goto done;
	/* Refused: because the reference moved (then it has another value
	 * now), or for a reason of the server's own (a hook, a protected
	 * branch, missing rights), which a retry would not change. */
	if ((error = gws_source__fetch_ref(&now, &found, src, repo, ref, "refs/gwsync/check")) < 0)
		goto done;
	if (expected ? !found || !git_oid_equal(&now, expected) : found)
		st.moved = true;
	else
		error = gws_error_set(GWS_EREMOTE, "%s refused the push to %s: %s", src->shown, ref,
		                      st.why.size ? gws_buf_cstr(&st.why) : "no reason given");
done:
	*moved = st.moved;
	gws_buf_dispose(&st.why);
	return error;
}

void gws_source__sleep_jitter(long long lo_ms, long long hi_ms)
{
	uint32_t r = 0;
	long long ms;
	struct timespec ts;

	if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
		r = (uint32_t)time(NULL) * 2654435761u;
	ms = hi_ms > lo_ms ? lo_ms + (long long)(r % (uint32_t)(hi_ms - lo_ms)) : lo_ms;
	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

long long gws_source__wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void gws_source__format_time(char *out, long long wall_ms)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(out, 24, "%Y-%m-%dT%H:%M:%S", &tm) != 19) {
		strcpy(out, "1970-01-01T00:00:00.000Z");
		return;
	}
	snprintf(out + 19, 13, ".%03dZ", (int)(wall_ms % 1000));
}

int gws_source__parse_time(long long *wall_ms, const char *text)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, ms = 0, n = 0, m = 0;
	time_t t;

	if (!text ||
	    sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    n != 19)
		return GWS_EINVALID;
	if (text[n] == '.') {
		if (sscanf(text + n, ".%3d%n", &ms, &m) != 1 || m != 4 || ms < 0)
			return GWS_EINVALID;
		n += m;
	}
	if (strcmp(text + n, "Z") != 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return GWS_EINVALID;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return GWS_EINVALID;
	*wall_ms = (long long)t * 1000 + ms;
	return 0;
}
