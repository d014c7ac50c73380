/*
 * Status commits: the report directory committed on top of the branch tip
 * and pushed without force.
 *
 * Each attempt starts from the tip as the remote has it now: fetch, write
 * tip:<subdir> into a scratch directory, let the caller rewrite it, read it
 * back into a tree, put that tree in place of <subdir> in the tip's tree.
 * The same tree as the tip's means nothing changed: no commit. Otherwise
 * one commit whose parent is that tip (none for a new status branch) is
 * pushed as a compare-and-swap from that tip (transfer.c); when the branch
 * moved meanwhile, the next attempt rebuilds on the new tip. Nothing is
 * ever merged or forced: the report is regenerated, which is what makes a
 * retry correct.
 */
#include <string.h>
#include <strings.h>

#include "source/source_int.h"

#define DEFAULT_ATTEMPTS 3
#define DEFAULT_AUTHOR   "gwsync <gwsync@localhost>"
#define TRACKING_PREFIX  "refs/remotes/origin/"

typedef struct {
	gws_source *src;
	const gws_source_publish_options *opts;
	git_repository *repo;
	const char *branch;
	char *ref;      /* refs/heads/<branch> */
	char *tracking; /* refs/remotes/origin/<branch> in the cache */
	char *scratch;  /* <entry>/publish */
	git_signature *sig;
	bool source_branch;
} publisher;

/* "a/b/c": no leading '/', no empty, ".", ".." or ".git" component. */
static int check_subdir(const char *subdir)
{
	if (!subdir || !*subdir || subdir[0] == '/')
		goto bad;
	for (const char *p = subdir; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && strncmp(p, "..", 2) == 0) ||
		    (n == 4 && strncasecmp(p, ".git", 4) == 0))
			goto bad;
		p += n;
		if (*p == '/' && *++p == '\0')
			goto bad;
	}
	return 0;
bad:
	return gws_error_set(GWS_EINVALID,
	                     "status directory '%s': must be a relative path inside the "
	                     "repository (no '..', '.', '.git' or empty part)",
	                     subdir ? subdir : "");
}

/* "Name <email>" into a signature dated now. */
static int parse_author(git_signature **out, const char *author)
{
	const char *lt = strchr(author, '<'), *gt = strrchr(author, '>');
	char *name = NULL, *email = NULL;
	size_t name_len;
	int error = 0;

	if (!lt || !gt || gt < lt || gt[1] != '\0' || lt == author || lt[-1] != ' ')
		goto bad;
	name_len = (size_t)(lt - 1 - author);
	while (name_len && author[name_len - 1] == ' ')
		name_len--;
	if (!name_len || gt == lt + 1)
		goto bad;
	if (!(name = gws_strndup(author, name_len)) ||
	    !(email = gws_strndup(lt + 1, (size_t)(gt - lt - 1)))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	git_error_clear();
	if (git_signature_now(out, name, email) < 0)
		goto bad;
	goto cleanup;
bad:
	error = gws_error_set(GWS_EINVALID, "git author '%s': expected \"Name <email>\"", author);
cleanup:
	gws_free(name);
	gws_free(email);
	return error;
}

int gws_source_check_author(const char *author)
{
	git_signature *sig = NULL;
	int error;

	if ((error = git_libgit2_init()) < 0)
		return gws_error_set(GWS_ERROR, "libgit2 failed to start");
	error = parse_author(&sig, author);
	git_signature_free(sig);
	git_libgit2_shutdown();
	return error;
}

/* The tip (NULL when the branch does not exist yet) and its tree. */
static int fetch_tip(publisher *p, git_commit **tip, git_tree **tree, git_oid *oid, bool *found)
{
	int error;

	*tip = NULL;
	*tree = NULL;
	if ((error = gws_source__fetch_ref(oid, found, p->src, p->repo, p->ref, p->tracking)) < 0)
		return error;
	if (!*found) {
		if (p->source_branch)
			return gws_error_set(GWS_ENOTFOUND, "the branch %s is gone from %s",
			                     p->branch, p->src->shown);
		return 0;
	}
	git_error_clear();
	if (git_commit_lookup(tip, p->repo, oid) < 0 || git_commit_tree(tree, *tip) < 0)
		return gws_source__git_error(-1, GWS_EIO, "cannot read the tip of", p->branch);
	return 0;
}

/*
 * One attempt: *commit is the new status commit, or zero when the rebuilt
 * tree is the tip's.
 */
static int build_commit(publisher *p, git_oid *commit, const git_commit *tip, const git_tree *tree)
{
	char *target = NULL;
	git_oid sub, root;
	git_tree *root_tree = NULL;
	bool empty;
	const git_commit *parents[1] = {tip};
	int rc, error;

	memset(commit, 0, sizeof(*commit));
	if (!(target = gws_asprintf("%s/%s", p->scratch, p->opts->subdir)))
		return GWS_ENOMEM;
	if ((error = gws_source__remove_tree(p->scratch)) < 0 ||
	    (error = gws_source__extract_subdir(p->repo, tree, p->opts->subdir, target)) < 0 ||
	    (error = p->opts->build(p->scratch, p->opts->payload)) < 0 ||
	    (error = gws_source__read_subdir(&sub, &empty, p->repo, target)) < 0 ||
	    (error = gws_source__splice_subdir(&root, p->repo, tree, p->opts->subdir,
	                                       empty ? NULL : &sub)) < 0)
		goto cleanup;
	if (tree ? git_oid_equal(&root, git_tree_id(tree)) : empty)
		goto cleanup; /* the same report: no commit */
	git_error_clear();
	if ((rc = git_tree_lookup(&root_tree, p->repo, &root)) < 0 ||
	    (rc = git_commit_create(commit, p->repo, NULL, p->sig, p->sig, NULL, p->opts->message,
	                            root_tree, tip ? 1 : 0, parents)) < 0)
		error = gws_source__git_error(rc, GWS_EIO, "cannot create the status commit on",
		                              p->branch);
cleanup:
	git_tree_free(root_tree);
	gws_free(target);
	return error;
}

static int publish_loop(publisher *p, gws_source_publish_result *out)
{
	int max = p->opts->max_attempts > 0 ? p->opts->max_attempts : DEFAULT_ATTEMPTS;
	int error = 0;

	for (int attempt = 1;; attempt++) {
		git_commit *tip = NULL;
		git_tree *tree = NULL;
		git_oid tip_oid, commit;
		bool found = false, moved = false;

		if ((error = fetch_tip(p, &tip, &tree, &tip_oid, &found)) == 0 &&
		    (error = build_commit(p, &commit, tip, tree)) == 0 &&
		    !git_oid_is_zero(&commit)) {
			out->committed = true;
			git_oid_tostr(out->commit, sizeof(out->commit), &commit);
			if (!p->opts->push) {
				git_error_clear();
				if (git_reference_create(NULL, p->repo, p->ref, &commit, 1,
				                         "gwsync: status commit") < 0)
					error = gws_source__git_error(-1, GWS_EIO, "cannot record",
					                              p->ref);
			} else {
				out->attempts = attempt;
				error = gws_source__push_ref(&moved, p->src, p->repo, &commit,
				                             p->ref, found ? &tip_oid : NULL);
				out->pushed = error == 0 && !moved;
			}
		} else if (error == 0) {
			out->committed = false;
			out->commit[0] = '\0';
		}
		git_tree_free(tree);
		git_commit_free(tip);
		if (error < 0 || !moved)
			return error;
		out->committed = false;
		out->commit[0] = '\0';
		if (attempt >= max)
			break;
		gws_log(GWS_LOG_INFO, "source",
		        "%s moved while the status commit was pushed; rebuilding it on the new tip "
		        "(attempt %d of %d)",
		        p->branch, attempt + 1, max);
		gws_source__sleep_jitter(250LL << (attempt - 1), 750LL << (attempt - 1));
	}
	return gws_error_set(GWS_ECONFLICT,
	                     "the branch %s of %s kept moving: %d pushes of the status commit were "
	                     "refused, each rebuilt on the new tip; AWS is converged, only the "
	                     "status commit is missing (the next run writes it)",
	                     p->branch, p->src->shown, max);
}

int gws_source_publish(gws_source *src, const gws_source_publish_options *opts,
                       gws_source_publish_result *out)
{
	publisher p = {src, opts, NULL, NULL, NULL, NULL, NULL, NULL, false};
	int valid = 0, error;

	memset(out, 0, sizeof(*out));
	if (!src || !opts || !opts->build || !opts->message)
		return gws_error_set(GWS_EINVALID, "publish: missing options");
	if (src->kind == GWS_SOURCE__FOLDER)
		return gws_error_set(GWS_EINVALID,
		                     "%s is a plain folder, not a git repository: "
		                     "there is no branch to commit the status to",
		                     src->path);
	if ((error = check_subdir(opts->subdir)) < 0)
		return error;
	p.branch = opts->branch ? opts->branch : src->branch;
	p.source_branch = !opts->branch;
	if (!p.branch)
		return gws_error_set(
		        GWS_EINVALID,
		        "--ref %s is not a branch: the status can only be committed to "
		        "a branch; give --status-branch",
		        src->ref ? src->ref : "");
	if (!(p.ref = gws_asprintf("refs/heads/%s", p.branch)) ||
	    !(p.tracking = gws_asprintf(TRACKING_PREFIX "%s", p.branch)) ||
	    !(p.scratch = gws_asprintf("%s/publish", src->entry))) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	if (git_reference_name_is_valid(&valid, p.ref) < 0 || !valid) {
		error = gws_error_set(GWS_EINVALID, "'%s' is not a valid branch name", p.branch);
		goto cleanup;
	}
	if ((error = parse_author(&p.sig, opts->author ? opts->author : DEFAULT_AUTHOR)) < 0 ||
	    (error = gws_source__open_cache_repo(&p.repo, src->entry)) < 0)
		goto cleanup;
	error = publish_loop(&p, out);
	if (error == 0)
		gws_log(GWS_LOG_INFO, "source", "%s %s on %s%s",
		        out->committed ? "status commit" : "status unchanged",
		        out->committed ? out->commit : "(no commit)", p.branch,
		        out->pushed      ? " (pushed)"
		        : out->committed ? " (not pushed)"
		                         : "");
cleanup:
	if (p.scratch)
		(void)gws_source__remove_tree(p.scratch);
	git_signature_free(p.sig);
	git_repository_free(p.repo);
	gws_free(p.ref);
	gws_free(p.tracking);
	gws_free(p.scratch);
	return error;
}
