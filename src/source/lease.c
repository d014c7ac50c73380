/*
 * The run lease: one run at a time per (repository, name), with no service
 * but the repository itself.
 *
 * The lease is the reference refs/gwsync/leases/<name> in the source's
 * repository: a chain of commits, each with one file, lease.json
 * (holder, run_id, acquired, expires, state "held" or "released"), and the
 * previous lease commit as its parent. Every change is a new child commit
 * pushed as a compare-and-swap from the commit the run saw (transfer.c):
 * a fast-forward, so no push ever needs force, and of two runs that saw the
 * same commit only one gets its push in. A run takes the lease when it is
 * absent, released, or expired; a holder that was killed leaves a lease
 * that is taken over only once `expires` has passed. Expiry compares wall
 * clocks of different machines: the TTL must be much longer than their
 * skew. The reference is outside refs/heads, so it starts no CI pipeline
 * and stays out of every branch's log.
 *
 * A plain folder has no repository to hold a reference: its lease is an
 * flock(2) on a file of the gwsync cache named from the folder's real path
 * and the name, so two runs on one machine never apply at once (runs on
 * other machines cannot see it). The kernel drops it when the process ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "source/source_int.h"

#define LEASE_FILE   "lease.json"
#define LEASE_PREFIX "refs/gwsync/leases/"
#define LEASE_CAP    (64u * 1024)

struct gws_source_lease {
	gws_source *src;
	char *name, *ref, *local, *holder, *run_id;
	char acquired[32];
	git_oid tip; /* our last lease commit */
	int fd;      /* a folder's flock, else -1 */
	char *file;  /* the flock's file */
};

typedef struct {
	char holder[256], run_id[128], expires[32];
	long long expires_ms;
	bool held;
	bool readable;
} lease_info;

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int check_name(const char *name)
{
	char ref[300];
	int valid = 0;

	if (!name || !*name || strchr(name, '/') || strlen(name) > 200)
		goto bad;
	snprintf(ref, sizeof(ref), LEASE_PREFIX "%s", name);
	if (git_reference_name_is_valid(&valid, ref) < 0 || !valid)
		goto bad;
	return 0;
bad:
	return gws_error_set(GWS_EINVALID, "lease name '%s' is not a valid reference name",
	                     name ? name : "");
}

static char *lease_json(const gws_source_lease *l, const char *state, long long expires_ms)
{
	char expires[32];
	json_t *o;
	char *text, *copy;

	gws_source__format_time(expires, expires_ms);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "holder", l->holder, "run_id", l->run_id,
	              "acquired", l->acquired, "expires", expires, "state", state);
	if (!o)
		return NULL;
	text = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(o);
	if (!text)
		return NULL;
	copy = gws_asprintf("%s\n", text);
	free(text); /* jansson's allocator */
	return copy;
}

static void parse_info(lease_info *info, const char *text, size_t len)
{
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	const char *holder = NULL, *run_id = NULL, *expires = NULL, *state = NULL;

	memset(info, 0, sizeof(*info));
	if (o &&
	    json_unpack(o, "{s:s, s:s, s:s, s:s}", "holder", &holder, "run_id", &run_id, "expires",
	                &expires, "state", &state) == 0 &&
	    gws_source__parse_time(&info->expires_ms, expires) == 0) {
		snprintf(info->holder, sizeof(info->holder), "%s", holder);
		snprintf(info->run_id, sizeof(info->run_id), "%s", run_id);
		snprintf(info->expires, sizeof(info->expires), "%s", expires);
		info->held = strcmp(state, "held") == 0;
		info->readable = true;
	}
	json_decref(o);
}

/* lease.json of the lease commit `oid`. */
static void read_info(lease_info *info, git_repository *repo, const git_oid *oid)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_blob *b = NULL;
	const git_tree_entry *e;

	memset(info, 0, sizeof(*info));
	if (git_commit_lookup(&c, repo, oid) == 0 && git_commit_tree(&t, c) == 0 &&
	    (e = git_tree_entry_byname(t, LEASE_FILE)) &&
	    git_blob_lookup(&b, repo, git_tree_entry_id(e)) == 0 &&
	    git_blob_rawsize(b) <= LEASE_CAP)
		parse_info(info, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_error_clear();
	git_blob_free(b);
	git_tree_free(t);
	git_commit_free(c);
}

/* A lease commit holding `json`, child of `parent` (NULL: the first). */
static int make_commit(git_oid *out, git_repository *repo, const gws_source_lease *l,
                       const char *json, const git_oid *parent, const char *what)
{
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_commit *p = NULL;
	git_tree *tree = NULL;
	git_oid blob, tree_oid;
	char *msg = gws_asprintf("gwsync lease %s: %s by %s (run %s)\n", l->name, what, l->holder,
	                         l->run_id);
	const git_commit *parents[1];
	int rc;

	if (!msg)
		return GWS_ENOMEM;
	git_error_clear();
	if ((rc = git_blob_create_from_buffer(&blob, repo, json, strlen(json))) < 0 ||
	    (rc = git_treebuilder_new(&tb, repo, NULL)) < 0 ||
	    (rc = git_treebuilder_insert(NULL, tb, LEASE_FILE, &blob, GIT_FILEMODE_BLOB)) < 0 ||
	    (rc = git_treebuilder_write(&tree_oid, tb)) < 0 ||
	    (rc = git_tree_lookup(&tree, repo, &tree_oid)) < 0 ||
	    (rc = git_signature_now(&sig, "gwsync", "gwsync@localhost")) < 0 ||
	    (parent && (rc = git_commit_lookup(&p, repo, parent)) < 0))
		goto cleanup;
	parents[0] = p;
	rc = git_commit_create(out, repo, NULL, sig, sig, NULL, msg, tree, p ? 1 : 0, parents);
cleanup:
	git_commit_free(p);
	git_tree_free(tree);
	git_signature_free(sig);
	git_treebuilder_free(tb);
	gws_free(msg);
	return rc < 0 ? gws_source__git_error(rc, GWS_EIO, "cannot write the lease", l->ref) : 0;
}

/* Pushes a new lease commit (state, now + ttl) on top of `parent`. */
static int push_state(bool *moved, git_repository *repo, gws_source_lease *l, const char *state,
                      long long ttl_ms, const git_oid *parent, const char *what)
{
	char *json = lease_json(l, state, gws_source__wall_ms() + ttl_ms);
	git_oid commit;
	int error;

	if (!json)
		return GWS_ENOMEM;
	if ((error = make_commit(&commit, repo, l, json, parent, what)) == 0 &&
	    (error = gws_source__push_ref(moved, l->src, repo, &commit, l->ref, parent)) == 0 &&
	    !*moved)
		git_oid_cpy(&l->tip, &commit);
	gws_free(json);
	return error;
}

static int busy_error(const gws_source_lease *l, const lease_info *info, long long waited)
{
	if (!info->readable)
		return gws_error_set(GWS_ELOCKED,
		                     "another run holds the lease %s on %s (waited %lld ms; see "
		                     "--lock-timeout)",
		                     l->name, l->src->shown, waited);
	return gws_error_set(GWS_ELOCKED,
	                     "another run holds the lease %s on %s: %s, run %s, until %s "
	                     "(waited %lld ms; see --lock-timeout)",
	                     l->name, l->src->shown, info->holder, info->run_id, info->expires,
	                     waited);
}

static int acquire_ref(gws_source_lease *l, bool *waited, const gws_source_lease_options *o)
{
	git_repository *repo = NULL;
	long long start = mono_ms();
	lease_info info;
	bool told = false;
	int error;

	memset(&info, 0, sizeof(info));
	if ((error = gws_source__open_cache_repo(&repo, l->src->entry)) < 0)
		return error;
	for (;;) {
		git_oid seen;
		bool found = false, moved = false, busy = false;
		long long waited_ms;

		if ((error = gws_source__fetch_ref(&seen, &found, l->src, repo, l->ref, l->local)) <
		    0)
			break;
		if (found) {
			read_info(&info, repo, &seen);
			if (!info.readable)
				gws_log(GWS_LOG_WARN, "source",
				        "the lease %s holds no readable %s: taken over", l->ref,
				        LEASE_FILE);
			busy = info.readable && info.held &&
			       info.expires_ms >= gws_source__wall_ms();
		}
		if (!busy) {
			if ((error = push_state(&moved, repo, l, "held", o->ttl_ms,
			                        found ? &seen : NULL, "acquired")) < 0)
				break;
			if (!moved)
				break; /* ours */
			busy = true;   /* another run got its push in first */
			memset(&info, 0, sizeof(info));
		}
		*waited = true;
		waited_ms = mono_ms() - start;
		if (waited_ms >= o->wait_ms) {
			error = busy_error(l, &info, waited_ms);
			break;
		}
		if (!told && info.readable) {
			gws_log(GWS_LOG_INFO, "source",
			        "waiting for the lease %s: held by %s, run %s, until %s", l->name,
			        info.holder, info.run_id, info.expires);
			told = true;
		}
		gws_source__sleep_jitter(
		        o->wait_ms - waited_ms < 1000 ? o->wait_ms - waited_ms : 1000,
		        o->wait_ms - waited_ms < 3000 ? o->wait_ms - waited_ms + 1 : 3000);
	}
	git_repository_free(repo);
	return error;
}

/* ---- a plain folder: flock -------------------------------------------------- */

static void write_holder(gws_source_lease *l, const char *state, long long ttl_ms)
{
	char *json = lease_json(l, state, gws_source__wall_ms() + ttl_ms);

	if (json && ftruncate(l->fd, 0) == 0 && pwrite(l->fd, json, strlen(json), 0) < 0)
		gws_log(GWS_LOG_DEBUG, "source", "cannot note the holder in %s", l->file);
	gws_free(json);
}

static int acquire_flock(gws_source_lease *l, bool *waited, const gws_source_lease_options *o)
{
	gws_source *src = l->src;
	char *real = realpath(src->path, NULL), *key = NULL, *dir = NULL;
	long long start = mono_ms();
	int error = 0;

	if (!real)
		return gws_error_set_errno(GWS_EIO, src->path);
	if (!src->workdir) {
		if ((error = gws_source__workdir(&src->workdir, &src->temp_workdir,
		                                 src->workdir_req)) < 0)
			goto cleanup;
		if (src->temp_workdir)
			gws_log(GWS_LOG_WARN, "source",
			        "no cache directory: the lease of %s is private to this run", real);
	}
	if (!(key = gws_asprintf("%s\n%s", real, l->name)) ||
	    !(dir = gws_source__cache_dir(src->workdir, "leases", key)) ||
	    !(l->file = gws_asprintf("%s/lease", dir))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	if ((error = gws_source__mkdirs(dir)) < 0)
		goto cleanup;
	if ((l->fd = open(l->file, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
		error = gws_error_set_errno(GWS_EIO, l->file);
		goto cleanup;
	}
	while (flock(l->fd, LOCK_EX | LOCK_NB) != 0) {
		long long waited_ms = mono_ms() - start;

		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			error = gws_error_set_errno(GWS_EIO, l->file);
			goto cleanup;
		}
		*waited = true;
		if (waited_ms >= o->wait_ms) {
			gws_buf text = GWS_BUF_INIT(LEASE_CAP);
			lease_info info;

			memset(&info, 0, sizeof(info));
			if (gws_buf_read_file(&text, l->file) == 0)
				parse_info(&info, text.ptr ? text.ptr : "", text.size);
			gws_buf_dispose(&text);
			error = busy_error(l, &info, waited_ms);
			goto cleanup;
		}
		gws_source__sleep_jitter(50, 200);
	}
	write_holder(l, "held", o->ttl_ms);
cleanup:
	free(real); /* from realpath() */
	gws_free(key);
	gws_free(dir);
	return error;
}

/* ---- the API ---------------------------------------------------------------- */

int gws_source_lease_acquire(gws_source_lease **out, bool *waited, gws_source *src,
                             const gws_source_lease_options *o)
{
	gws_source_lease *l = NULL;
	char now[32];
	int error;

	*out = NULL;
	*waited = false;
	if (!src || !o || !o->holder || !o->run_id || o->ttl_ms <= 0 || o->wait_ms < 0)
		return gws_error_set(GWS_EINVALID, "lease: missing options");
	if ((error = check_name(o->name)) < 0)
		return error;
	if (!(l = gws_calloc(1, sizeof(*l))))
		return GWS_ENOMEM;
	l->src = src;
	l->fd = -1;
	gws_source__format_time(now, gws_source__wall_ms());
	memcpy(l->acquired, now, sizeof(l->acquired));
	if (!(l->name = gws_strdup(o->name)) || !(l->holder = gws_strdup(o->holder)) ||
	    !(l->run_id = gws_strdup(o->run_id)) ||
	    !(l->ref = gws_asprintf(LEASE_PREFIX "%s", o->name)) ||
	    !(l->local = gws_asprintf("refs/gwsync/seen/%s", o->name))) {
		error = GWS_ENOMEM;
		goto done;
	}
	error = src->kind == GWS_SOURCE__FOLDER ? acquire_flock(l, waited, o)
	                                        : acquire_ref(l, waited, o);
	if (error == 0)
		gws_log(GWS_LOG_INFO, "source", "lease %s taken by %s (run %s)%s", l->name,
		        l->holder, l->run_id, *waited ? " after waiting for another run" : "");
done:
	if (error < 0) {
		gws_source_lease_free(l);
		return error;
	}
	*out = l;
	return 0;
}

/* A new lease commit on our last one; GWS_ELOCKED when that is no longer the tip. */
static int update(gws_source_lease *l, const char *state, long long ttl_ms, const char *what)
{
	git_repository *repo = NULL;
	git_oid seen, parent;
	lease_info info;
	bool moved = false, found = false;
	int error;

	if (l->fd >= 0) {
		write_holder(l, state, ttl_ms);
		return 0;
	}
	git_oid_cpy(&parent, &l->tip);
	if ((error = gws_source__open_cache_repo(&repo, l->src->entry)) < 0 ||
	    (error = push_state(&moved, repo, l, state, ttl_ms, &parent, what)) < 0 || !moved)
		goto cleanup;
	/* Someone took it over after it expired: say who, if we can. */
	memset(&info, 0, sizeof(info));
	if (gws_source__fetch_ref(&seen, &found, l->src, repo, l->ref, l->local) == 0 && found)
		read_info(&info, repo, &seen);
	if (info.readable)
		error = gws_error_set(
		        GWS_ELOCKED,
		        "the lease %s on %s is no longer ours: it expired and %s, run "
		        "%s, took it over",
		        l->name, l->src->shown, info.holder, info.run_id);
	else
		error = gws_error_set(
		        GWS_ELOCKED,
		        "the lease %s on %s is no longer ours: it expired and another "
		        "run took it over",
		        l->name, l->src->shown);
cleanup:
	git_repository_free(repo);
	return error;
}

int gws_source_lease_renew(gws_source_lease *lease, long long ttl_ms)
{
	if (!lease || ttl_ms <= 0)
		return gws_error_set(GWS_EINVALID, "lease renew: bad arguments");
	return update(lease, "held", ttl_ms, "renewed");
}

int gws_source_lease_release(gws_source_lease *lease)
{
	int error;

	if (!lease)
		return gws_error_set(GWS_EINVALID, "lease release: no lease");
	if ((error = update(lease, "released", 0, "released")) == 0)
		gws_log(GWS_LOG_DEBUG, "source", "lease %s released", lease->name);
	if (lease->fd >= 0) {
		close(lease->fd); /* drops the flock */
		lease->fd = -1;
	}
	return error;
}

void gws_source_lease_free(gws_source_lease *lease)
{
	if (!lease)
		return;
	if (lease->fd >= 0)
		close(lease->fd);
	gws_free(lease->name);
	gws_free(lease->ref);
	gws_free(lease->local);
	gws_free(lease->holder);
	gws_free(lease->run_id);
	gws_free(lease->file);
	gws_free(lease);
}
