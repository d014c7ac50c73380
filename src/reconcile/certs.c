/*
 * Certificates from ACM for HTTPS/TLS listeners the manifests give none, as
 * the AWS Load Balancer Controller finds them: every hostname of the
 * listener must be covered by exactly one ISSUED certificate, an exact name
 * first, else a wildcard one level up ("*.example.com" covers
 * "a.example.com", not "a.b.example.com" nor "example.com"). ACM is listed
 * once per run, and DescribeCertificate asked (in one concurrent batch) only
 * for certificates whose summary does not carry all their names.
 *
 * A stack whose listener has no match, or an ambiguous one, is blocked
 * before anything of it is planned; a stack that found its certificates
 * runs with them filled into a copy of its model stack, so everything
 * downstream (diff, hashes, create and modify calls) sees them as if the
 * manifests had named them. docs/reconcile.md, "Certificates from ACM".
 */
#include <string.h>
#include <strings.h>

#include "reconcile/describe.h"
#include "reconcile/internal.h"

/* What discovery found for one listener. */
typedef struct {
	const char **arns; /* in hostname order, each once */
	size_t n_arns;
	const char *why; /* "a.example.com: exact; b.example.com: *.example.com" */
} found;

static bool needs_discovery(const gws_model_listener *l)
{
	return l->certificates.n == 0 && l->protocol &&
	       (strcmp(l->protocol, "HTTPS") == 0 || strcmp(l->protocol, "TLS") == 0);
}

static bool stack_needs_discovery(const rc_stackplan *sp)
{
	if (!sp->in_shard || !sp->desired || sp->blocked || sp->desired->blocked ||
	    (sp->observed && sp->observed->read_error))
		return false;
	for (size_t i = 0; i < sp->desired->n_listeners; i++)
		if (needs_discovery(sp->desired->listeners[i]))
			return true;
	return false;
}

/* ---- matching ---------------------------------------------------------------------- */

/* "*.example.com" covers exactly one more label: "a.example.com". */
static bool wildcard_covers(const char *name, const char *host)
{
	const char *dot = strchr(host, '.');

	if (strncmp(name, "*.", 2) != 0 || !dot || dot == host)
		return false;
	return strcasecmp(name + 2, dot + 1) == 0;
}

static bool cert_has(const gws_acm_certificate *c, const char *host, bool wildcard)
{
	if (c->domain_name && (wildcard ? wildcard_covers(c->domain_name, host)
	                                : strcasecmp(c->domain_name, host) == 0))
		return true;
	for (size_t i = 0; i < c->names.count; i++)
		if (c->names.items[i] && (wildcard ? wildcard_covers(c->names.items[i], host)
		                                   : strcasecmp(c->names.items[i], host) == 0))
			return true;
	return false;
}

/* The certificates covering `host` at one level (exact, else wildcard). */
static size_t matches(const gws_acm_certificates *certs, const char *host, bool *wildcard,
                      const char **first, gws_buf *list)
{
	size_t n = 0;

	for (int pass = 0; pass < 2 && n == 0; pass++) {
		*wildcard = pass == 1;
		for (size_t i = 0; i < certs->count; i++) {
			if (!cert_has(&certs->items[i], host, *wildcard))
				continue;
			if (n++ == 0)
				*first = certs->items[i].arn;
			if (gws_buf_printf(list, "%s%s", list->size ? ", " : "",
			                   certs->items[i].arn) < 0)
				return (size_t)-1;
		}
	}
	return n;
}

static bool has_arn(const found *f, const char *arn)
{
	for (size_t i = 0; i < f->n_arns; i++)
		if (strcmp(f->arns[i], arn) == 0)
			return true;
	return false;
}

/* Match every hostname of `l`; *blocked says why the stack cannot go on. */
static int match_listener(gws_reconcile *r, const gws_model_stack *s, const gws_model_listener *l,
                          const gws_acm_certificates *certs, found *f, const char **blocked)
{
	gws_model_strs hosts;
	gws_buf why = GWS_BUF_INIT(GWS_CAP_LINE), missing = GWS_BUF_INIT(GWS_CAP_LINE);
	gws_buf list = GWS_BUF_INIT(GWS_CAP_LINE);
	int rc;

	memset(f, 0, sizeof(*f));
	if ((rc = rc_cert_hosts(r, s, l, &hosts)) < 0)
		goto cleanup;
	if (hosts.n == 0) {
		*blocked = gws_arena_printf(r->arena,
		                            "listener %d (%s) has no certificate and no hostname "
		                            "to discover one from ACM: set a certificate in a "
		                            "LoadBalancerConfiguration, or a hostname",
		                            l->port, l->protocol);
		rc = *blocked ? 0 : GWS_ENOMEM;
		goto cleanup;
	}
	if (!(f->arns = RC_NEWN(r, const char *, hosts.n))) {
		rc = GWS_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < hosts.n && !*blocked; i++) {
		const char *host = hosts.items[i], *arn = NULL;
		bool wildcard = false;
		size_t n;

		gws_buf_clear(&list);
		if ((n = matches(certs, host, &wildcard, &arn, &list)) == (size_t)-1) {
			rc = GWS_ENOMEM;
			goto cleanup;
		}
		if (n == 0) {
			rc = gws_buf_printf(&missing, "%s%s", missing.size ? ", " : "", host);
		} else if (n > 1) {
			*blocked = gws_arena_printf(
			        r->arena,
			        "listener %d (%s): hostname %s matches %zu ISSUED ACM certificates "
			        "%s(%s): name one in a LoadBalancerConfiguration",
			        l->port, l->protocol, host, n, wildcard ? "by wildcard " : "",
			        gws_buf_cstr(&list));
			rc = *blocked ? 0 : GWS_ENOMEM;
		} else {
			if (!has_arn(f, arn))
				f->arns[f->n_arns++] = arn;
			rc = gws_buf_printf(&why, "%s%s: %s %s", why.size ? "; " : "", host,
			                    wildcard ? "wildcard" : "exact", arn);
		}
		if (rc < 0)
			goto cleanup;
	}
	if (!*blocked && missing.size)
		*blocked = gws_arena_printf(r->arena,
		                            "listener %d (%s): no ISSUED ACM certificate matches "
		                            "hostname%s %s",
		                            l->port, l->protocol,
		                            strchr(gws_buf_cstr(&missing), ',') ? "s" : "",
		                            gws_buf_cstr(&missing));
	else if (!*blocked)
		f->why = gws_arena_strdup(r->arena, gws_buf_cstr(&why));
	if ((*blocked == NULL) == (f->why == NULL))
		rc = GWS_ENOMEM;

cleanup:
	gws_buf_dispose(&why);
	gws_buf_dispose(&missing);
	gws_buf_dispose(&list);
	return rc;
}

/* ---- the stack as this run sends it ------------------------------------------------- */

/* A copy of the stack whose listeners carry the certificates found. */
static int resolve_stack(gws_reconcile *r, rc_stackplan *sp, const gws_acm_certificates *certs)
{
	const gws_model_stack *s = sp->desired;
	gws_model_stack *copy;
	gws_model_listener **listeners;
	found *fs;
	const char *blocked = NULL;
	int rc;

	copy = RC_NEW(r, gws_model_stack);
	listeners = RC_NEWN(r, gws_model_listener *, s->n_listeners ? s->n_listeners : 1);
	fs = RC_NEWN(r, found, s->n_listeners ? s->n_listeners : 1);
	if (!copy || !listeners || !fs)
		return GWS_ENOMEM;
	*copy = *s;
	for (size_t i = 0; i < s->n_listeners; i++) {
		const gws_model_listener *l = s->listeners[i];
		gws_model_listener *nl;
		found *f = &fs[i];

		listeners[i] = (gws_model_listener *)l; /* shared, never written */
		if (!needs_discovery(l))
			continue;
		if ((rc = match_listener(r, s, l, certs, f, &blocked)) < 0)
			return rc;
		if (blocked) {
			sp->blocked = blocked;
			return 0;
		}
		if (!(nl = RC_NEW(r, gws_model_listener)))
			return GWS_ENOMEM;
		*nl = *l;
		nl->certificates.items = f->arns;
		nl->certificates.n = f->n_arns;
		listeners[i] = nl;
	}
	/* Said only of a stack that goes on: a blocked one has its reason. */
	for (size_t i = 0; i < s->n_listeners; i++)
		if (fs[i].why &&
		    (rc = rc_note(r, sp->stack, false,
		                  "listener %d: certificate%s %s from ACM (%s)",
		                  s->listeners[i]->port, fs[i].n_arns > 1 ? "s" : "",
		                  rc_describe_strings(r, fs[i].arns, fs[i].n_arns), fs[i].why)) < 0)
			return rc;
	copy->listeners = listeners;
	sp->desired = copy;
	return 0;
}

/* ---- ACM reads ------------------------------------------------------------------------ */

/* A failed read leaves the stacks that needed it unread (not planned). */
static int unread(gws_reconcile *r, int rc, const char *what)
{
	const gws_aws_error *e = gws_aws_client_last_error(r->client);
	const char *msg = e->code[0] ? gws_arena_printf(r->arena, "ACM %s failed: %s: %s", what,
	                                                e->code, e->message)
	                             : gws_arena_printf(r->arena, "ACM %s failed: %s", what,
	                                                gws_error_last());

	if (rc == GWS_ENOMEM || !msg)
		return GWS_ENOMEM;
	if (rc == GWS_EAUTH)
		r->auth_failed = true;
	r->obs.complete = false;
	for (size_t i = 0; i < r->n_stacks; i++) {
		rc_stackplan *sp = &r->stacks[i];

		if (!stack_needs_discovery(sp))
			continue;
		if (!sp->observed && !(sp->observed = RC_NEWN(r, rc_ostack, 1)))
			return GWS_ENOMEM;
		sp->observed->stack = sp->observed->stack ? sp->observed->stack : sp->stack;
		sp->observed->read_error = msg;
		sp->observed->read_auth = rc == GWS_EAUTH;
	}
	return 0;
}

/* Complete the names of the certificates whose summary lists only some. */
static int describe_partial(gws_reconcile *r, gws_acm_certificates *certs)
{
	size_t n = 0, k = 0;
	gws_acm_certificate *details;
	int *rcs, rc, queued = 0;

	for (size_t i = 0; i < certs->count; i++)
		n += !certs->items[i].names_complete;
	if (n == 0)
		return 0;
	details = RC_NEWN(r, gws_acm_certificate, n);
	rcs = RC_NEWN(r, int, n);
	if (!details || !rcs)
		return GWS_ENOMEM;
	if ((rc = gws_aws_batch_begin(r->client)) < 0)
		return rc;
	for (size_t i = 0; i < certs->count && queued == 0; i++)
		if (!certs->items[i].names_complete)
			queued = gws_acm_describe_certificate(r->client, r->arena,
			                                      certs->items[i].arn, &details[k++]);
	/* Run even after a failure to queue: the client leaves batching only so. */
	rc = gws_aws_batch_run(r->client, rcs, n);
	if (queued < 0)
		return queued;
	k = 0;
	for (size_t i = 0; i < certs->count; i++) {
		gws_acm_certificate *c = &certs->items[i];

		if (c->names_complete)
			continue;
		if (rcs[k] == 0) {
			c->domain_name =
			        details[k].domain_name ? details[k].domain_name : c->domain_name;
			c->names = details[k].names;
			c->names_complete = true;
		} else if (rcs[k] == GWS_ENOTFOUND) {
			/* Deleted since it was listed: it cannot serve anyone. */
			c->names.count = 0;
			c->domain_name = NULL;
		} else {
			return rcs[k];
		}
		k++;
	}
	return rc == GWS_ENOTFOUND ? 0 : rc;
}

int rc_discover_certificates(gws_reconcile *r)
{
	gws_acm_certificates certs = {NULL, 0};
	bool needed = false;
	int rc;

	for (size_t i = 0; i < r->n_stacks && !needed; i++)
		needed = stack_needs_discovery(&r->stacks[i]);
	if (!needed)
		return 0; /* no ACM call at all */
	if ((rc = gws_acm_list_certificates(r->client, r->arena, NULL, &certs)) < 0)
		return unread(r, rc, "ListCertificates");
	if ((rc = describe_partial(r, &certs)) < 0)
		return unread(r, rc, "DescribeCertificate");
	gws_log(GWS_LOG_INFO, "reconcile", "ACM: %zu ISSUED certificate%s listed", certs.count,
	        certs.count == 1 ? "" : "s");
	for (size_t i = 0; i < r->n_stacks; i++) {
		rc_stackplan *sp = &r->stacks[i];

		if (stack_needs_discovery(sp) && (rc = resolve_stack(r, sp, &certs)) < 0)
			return rc;
	}
	return 0;
}
