/*
 * The credential chain: which provider applies, caching, refresh before
 * expiry, and the environment and static profile-key providers.
 */
#include "aws/credentials.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

static time_t (*clock_fn)(void);

void gws_aws__set_clock(time_t (*fn)(void))
{
	clock_fn = fn;
}

time_t gws_aws__now(void)
{
	return clock_fn ? clock_fn() : time(NULL);
}

int gws_aws__parse_iso8601(time_t *out, const char *s)
{
	struct tm tm;
	const char *p;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	           &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n != 19)
		return gws_error_set(GWS_EINVALID, "not an ISO 8601 UTC time");
	p = s + n;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (!(strcmp(p, "Z") == 0 || strcmp(p, "+00:00") == 0 || strcmp(p, "+0000") == 0))
		return gws_error_set(GWS_EINVALID, "not an ISO 8601 UTC time");
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_year < 1970)
		return gws_error_set(GWS_EINVALID, "not an ISO 8601 UTC time");
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return 0;
}

void gws_aws_credentials_dispose(gws_aws_credentials *c)
{
	if (c == NULL)
		return;
	if (c->secret_access_key)
		OPENSSL_cleanse(c->secret_access_key, strlen(c->secret_access_key));
	if (c->session_token)
		OPENSSL_cleanse(c->session_token, strlen(c->session_token));
	gws_free(c->access_key_id);
	gws_free(c->secret_access_key);
	gws_free(c->session_token);
	memset(c, 0, sizeof(*c));
}

int gws_aws__credentials_set(gws_aws_credentials *out, const char *akid, const char *secret,
                             const char *token, time_t expiration, const char *provider)
{
	memset(out, 0, sizeof(*out));
	if (secret)
		gws_secret_register(secret);
	if (token)
		gws_secret_register(token);
	if (akid == NULL || *akid == '\0' || secret == NULL || *secret == '\0')
		return gws_error_set(
		        GWS_EAUTH, "%s: credentials lack an access key id or secret key", provider);
	out->access_key_id = gws_strdup(akid);
	out->secret_access_key = gws_strdup(secret);
	out->session_token = token && *token ? gws_strdup(token) : NULL;
	out->expiration = expiration;
	out->provider = provider;
	if (!out->access_key_id || !out->secret_access_key ||
	    (token && *token && !out->session_token)) {
		gws_aws_credentials_dispose(out);
		return GWS_ENOMEM;
	}
	return 0;
}

int gws_aws_credentials_copy(gws_aws_credentials *out, const gws_aws_credentials *src)
{
	if (out == NULL || src == NULL)
		return gws_error_set(GWS_EINVALID, "credentials copy: nothing to copy");
	return gws_aws__credentials_set(out, src->access_key_id, src->secret_access_key,
	                                src->session_token, src->expiration, src->provider);
}

int gws_aws_credentials_describe(gws_buf *out, const gws_aws_credentials *c)
{
	const char *id;
	size_t n;
	char when[32] = "";
	struct tm tm;
	int err;

	if (out == NULL || c == NULL)
		return gws_error_set(GWS_EINVALID, "credentials describe: nothing to describe");
	id = c->access_key_id ? c->access_key_id : "";
	n = strlen(id);
	if ((err = gws_buf_printf(out, "provider=%s key=", c->provider ? c->provider : "?")) < 0)
		return err;
	/* Key ids are not secret, but the whole id need not be in every log either. */
	err = n >= 12 ? gws_buf_printf(out, "%.4s****%s", id, id + n - 4)
	              : gws_buf_puts(out, "****");
	if (err < 0)
		return err;
	if (c->expiration != 0 && gmtime_r(&c->expiration, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (c->session_token || c->expiration)
		err = gws_buf_printf(out, " temporary%s%s", when[0] ? " expires=" : "", when);
	return err;
}

static const char *json_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int gws_aws__credentials_from_json(gws_aws_credentials *out, const char *json, size_t len,
                                   const char *token_field, bool want_version, const char *what,
                                   const char *provider)
{
	json_error_t jerr;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	const char *akid, *secret, *token, *exp;
	time_t expiration = 0;
	int err;

	memset(out, 0, sizeof(*out));
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		/* jansson's message may quote the input, which may hold a secret: keep only the
		 * place. */
		return gws_error_set(GWS_EAUTH, "%s: reply is not a JSON object (line %d)", what,
		                     jerr.line);
	}
	/* Register the secrets before anything else can fail and print. */
	secret = json_str(root, "SecretAccessKey");
	token = json_str(root, token_field);
	if (secret)
		gws_secret_register(secret);
	if (token)
		gws_secret_register(token);
	if (want_version) {
		json_t *v = json_object_get(root, "Version");
		if (!json_is_integer(v) || json_integer_value(v) != 1) {
			err = gws_error_set(GWS_EAUTH, "%s: unsupported Version (want 1)", what);
			goto cleanup;
		}
	}
	/* IMDS says whether the role's credentials are ready. */
	if (json_str(root, "Code") && strcmp(json_str(root, "Code"), "Success") != 0) {
		err = gws_error_set(GWS_EAUTH, "%s: Code is \"%.40s\", not Success", what,
		                    json_str(root, "Code"));
		goto cleanup;
	}
	akid = json_str(root, "AccessKeyId");
	if (akid == NULL || secret == NULL) {
		err = gws_error_set(GWS_EAUTH, "%s: reply lacks AccessKeyId or SecretAccessKey",
		                    what);
		goto cleanup;
	}
	exp = json_str(root, "Expiration");
	if (exp != NULL && gws_aws__parse_iso8601(&expiration, exp) < 0) {
		err = gws_error_set(GWS_EAUTH, "%s: Expiration \"%.40s\" is not an ISO 8601 time",
		                    what, exp);
		goto cleanup;
	}
	err = gws_aws__credentials_set(out, akid, secret, token, expiration, provider);
cleanup:
	json_decref(root);
	return err;
}

/* ---- environment and static profile keys -------------------------------- */

int gws_aws__cred_env(gws_aws_credentials *out, const gws_aws_config *cfg)
{
	const char *akid = gws_aws__config_env(cfg, "AWS_ACCESS_KEY_ID");
	const char *secret = gws_aws__config_env(cfg, "AWS_SECRET_ACCESS_KEY");
	const char *token = gws_aws__config_env(cfg, "AWS_SESSION_TOKEN");
	const char *exp = gws_aws__config_env(cfg, "AWS_CREDENTIAL_EXPIRATION");
	time_t expiration = 0;

	if (token == NULL)
		token = gws_aws__config_env(cfg, "AWS_SECURITY_TOKEN");
	if (akid == NULL && secret == NULL)
		return GWS_ENOTFOUND;
	if (akid == NULL || secret == NULL)
		return gws_error_set(GWS_EAUTH, "environment: %s is set but %s is not",
		                     akid ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
		                     akid ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
	if (exp && gws_aws__parse_iso8601(&expiration, exp) < 0)
		return gws_error_set(GWS_EINVALID,
		                     "AWS_CREDENTIAL_EXPIRATION: not an ISO 8601 UTC time");
	return gws_aws__credentials_set(out, akid, secret, token, expiration, "environment");
}

/* Static keys of the profile from one file (`get` reads the credentials or the config file). */
static int profile_keys(gws_aws_credentials *out, const gws_aws_config *cfg,
                        const char *(*get)(const gws_aws_config *, const char *), const char *file)
{
	const char *akid = get(cfg, "aws_access_key_id");
	const char *secret = get(cfg, "aws_secret_access_key");
	const char *token = get(cfg, "aws_session_token");

	if (token == NULL)
		token = get(cfg, "aws_security_token");
	if (secret)
		gws_secret_register(secret);
	if (token)
		gws_secret_register(token);
	if (akid == NULL && secret == NULL)
		return GWS_ENOTFOUND;
	if (akid == NULL || secret == NULL)
		return gws_error_set(GWS_EAUTH, "profile %s in %s: %s is set but %s is not",
		                     cfg->profile, file,
		                     akid ? "aws_access_key_id" : "aws_secret_access_key",
		                     akid ? "aws_secret_access_key" : "aws_access_key_id");
	return gws_aws__credentials_set(out, akid, secret, token, 0, "profile");
}

int gws_aws__cred_profile_keys(gws_aws_credentials *out, const gws_aws_config *cfg)
{
	int err = profile_keys(out, cfg, gws_aws__config_credentials_get,
	                       cfg->credentials_path ? cfg->credentials_path : "credentials file");
	if (err != GWS_ENOTFOUND)
		return err;
	return profile_keys(out, cfg, gws_aws__config_profile_get,
	                    cfg->config_path ? cfg->config_path : "config file");
}

/*
 * The profile, in botocore's order: role_arn (+ web_identity_token_file, or
 * AssumeRole from source_profile / credential_source), keys in the
 * credentials file, credential_process, keys in the config file.
 */
int gws_aws__cred_profile(gws_aws_credentials *out, const gws_aws_config *cfg,
                          struct gws_http *http, const gws_aws__profile_path *path)
{
	const char *role_arn = gws_aws__config_profile_get(cfg, "role_arn");
	const char *token_file = gws_aws__config_profile_get(cfg, "web_identity_token_file");
	const char *process = gws_aws__config_profile_get(cfg, "credential_process");
	int err;

	if (role_arn && token_file)
		return gws_aws__cred_web_identity(
		        out, cfg, http, role_arn, token_file,
		        gws_aws__config_profile_get(cfg, "role_session_name"),
		        "profile_web_identity");
	if (role_arn)
		return gws_aws__cred_assume_role(out, cfg, http, path);
	err = profile_keys(out, cfg, gws_aws__config_credentials_get,
	                   cfg->credentials_path ? cfg->credentials_path : "credentials file");
	if (err != GWS_ENOTFOUND)
		return err;
	if (process)
		return gws_aws__cred_process(out, process);
	return profile_keys(out, cfg, gws_aws__config_profile_get,
	                    cfg->config_path ? cfg->config_path : "config file");
}

static int cred_profile(gws_aws_credentials *out, const gws_aws_config *cfg, struct gws_http *http)
{
	return gws_aws__cred_profile(out, cfg, http, NULL);
}

static int cred_env_web_identity(gws_aws_credentials *out, const gws_aws_config *cfg,
                                 struct gws_http *http)
{
	const char *role = gws_aws__config_env(cfg, "AWS_ROLE_ARN");
	const char *file = gws_aws__config_env(cfg, "AWS_WEB_IDENTITY_TOKEN_FILE");
	if (role == NULL && file == NULL)
		return GWS_ENOTFOUND;
	if (role == NULL || file == NULL)
		return gws_error_set(GWS_EAUTH, "web identity: %s is set but %s is not",
		                     role ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE",
		                     role ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "AWS_ROLE_ARN");
	return gws_aws__cred_web_identity(out, cfg, http, role, file,
	                                  gws_aws__config_env(cfg, "AWS_ROLE_SESSION_NAME"),
	                                  "web_identity");
}

/* ---- the chain ---------------------------------------------------------- */

typedef int (*provider_fn)(gws_aws_credentials *out, const gws_aws_config *cfg,
                           struct gws_http *http);

static int prov_env(gws_aws_credentials *out, const gws_aws_config *cfg, struct gws_http *http)
{
	(void)http;
	if (cfg->profile_explicit)
		return GWS_ENOTFOUND; /* botocore: an explicit --profile beats the environment */
	return gws_aws__cred_env(out, cfg);
}

static const struct {
	const char *what;
	provider_fn fn;
	bool needs_http;
} chain[] = {
        {"environment variables", prov_env, false},
        {"shared config and credentials files", cred_profile, false},
        {"web identity (AWS_ROLE_ARN)", cred_env_web_identity, true},
        {"container credentials", gws_aws__cred_container, true},
        {"EC2 instance metadata", gws_aws__cred_imds, true},
};

#define NO_PROVIDER ((size_t)-1)

/* Superseded credential sets stay alive until the provider is freed, so a
 * pointer handed out by gws_aws_credentials_get never dangles. */
typedef struct retired {
	struct retired *next;
	gws_aws_credentials *creds;
} retired;

struct gws_aws_credentials_provider {
	const gws_aws_config *cfg;
	struct gws_http *http;
	pthread_mutex_t lock;
	gws_aws_credentials *current; /* NULL until the first success */
	size_t which;                 /* index in chain[] that supplied `current` */
	bool rejected;                /* AWS refused `current`: refresh on the next get */
	time_t retry_at;              /* no refresh attempt before this (after a failure) */
	time_t backoff;               /* the wait after the next failure */
	retired *old;
};

int gws_aws_credentials_provider_new(gws_aws_credentials_provider **out, const gws_aws_config *cfg,
                                     struct gws_http *http)
{
	gws_aws_credentials_provider *p;
	*out = NULL;
	if (cfg == NULL)
		return gws_error_set(GWS_EINVALID, "credentials provider: no configuration");
	if ((p = gws_calloc(1, sizeof(*p))) == NULL)
		return GWS_ENOMEM;
	p->cfg = cfg;
	p->http = http;
	p->which = NO_PROVIDER;
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		gws_free(p);
		return gws_error_set(GWS_ERROR, "credentials provider: cannot create a mutex");
	}
	*out = p;
	return 0;
}

static int run_provider(gws_aws_credentials_provider *p, size_t i, gws_aws_credentials *out)
{
	if (chain[i].needs_http && p->http == NULL)
		return GWS_ENOTFOUND;
	return chain[i].fn(out, p->cfg, p->http);
}

/* Walk the chain (or re-run the provider that answered before). */
static int resolve(gws_aws_credentials_provider *p, gws_aws_credentials *out, size_t *which)
{
	int err;
	if (p->which != NO_PROVIDER) {
		*which = p->which;
		err = run_provider(p, p->which, out);
		return err == GWS_ENOTFOUND
		               ? gws_error_set(GWS_EAUTH, "%s: credentials are gone on refresh",
		                               chain[p->which].what)
		               : err;
	}
	for (size_t i = 0; i < GWS_ARRAY_SIZE(chain); i++) {
		gws_error_clear();
		err = run_provider(p, i, out);
		if (err == GWS_ENOTFOUND)
			continue;
		*which = i;
		return err;
	}
	return gws_error_set(
	        GWS_EAUTH,
	        "no AWS credentials found: tried environment variables, profile "
	        "\"%s\" in the shared files, web identity, container credentials and "
	        "EC2 instance metadata%s",
	        p->cfg->profile,
	        gws_aws__is_true(gws_aws__config_env(p->cfg, "AWS_EC2_METADATA_DISABLED"))
	                ? " (disabled by AWS_EC2_METADATA_DISABLED)"
	                : "");
}

static void log_credentials(gws_log_level level, const char *what, const gws_aws_credentials *c)
{
	gws_buf d = GWS_BUF_INIT(GWS_CAP_LINE);
	if (!gws_log_enabled(level))
		return;
	if (gws_aws_credentials_describe(&d, c) == 0)
		gws_log(level, "aws", "%s %s (%s)", what, c->provider, gws_buf_cstr(&d));
	gws_buf_dispose(&d);
}

static bool needs_refresh(const gws_aws_credentials *c, time_t now)
{
	return c->expiration != 0 && now >= c->expiration - GWS_AWS_REFRESH_WINDOW;
}

int gws_aws_credentials_get(gws_aws_credentials_provider *p, const gws_aws_credentials **out)
{
	gws_aws_credentials fresh, *fresh_ptr = NULL;
	size_t which = NO_PROVIDER;
	time_t now;
	int err = 0;

	if (p == NULL || out == NULL)
		return gws_error_set(GWS_EINVALID, "credentials: no provider");
	*out = NULL;
	pthread_mutex_lock(&p->lock);
	now = gws_aws__now();
	if (p->current != NULL && !p->rejected &&
	    (!needs_refresh(p->current, now) ||
	     (now < p->retry_at && now < p->current->expiration))) {
		*out = p->current;
		goto cleanup;
	}
	err = resolve(p, &fresh, &which);
	if (err < 0) {
		/* Rejected credentials are no fallback, however long they claim to last. */
		if (p->current != NULL && !p->rejected && now < p->current->expiration) {
			p->backoff = p->backoff ? p->backoff * 2 : GWS_AWS_REFRESH_BACKOFF;
			if (p->backoff > GWS_AWS_REFRESH_BACKOFF_MAX)
				p->backoff = GWS_AWS_REFRESH_BACKOFF_MAX;
			p->retry_at = now + p->backoff;
			gws_log(GWS_LOG_WARN, "aws",
			        "refreshing credentials from %s failed (%s); using the current "
			        "ones until they expire, next try in %lld s",
			        p->current->provider, gws_error_last(), (long long)p->backoff);
			*out = p->current;
			err = 0;
		}
		goto cleanup;
	}
	p->backoff = 0;
	p->retry_at = 0;
	/* A new struct every time: a set handed out earlier keeps its address
	 * and content, and can be told apart from the new one. */
	if ((fresh_ptr = gws_malloc(sizeof(*fresh_ptr))) == NULL) {
		gws_aws_credentials_dispose(&fresh);
		err = GWS_ENOMEM;
		goto cleanup;
	}
	*fresh_ptr = fresh;
	if (p->current != NULL) {
		retired *r = gws_calloc(1, sizeof(*r));
		if (r == NULL) {
			gws_aws_credentials_dispose(fresh_ptr);
			gws_free(fresh_ptr);
			err = GWS_ENOMEM;
			goto cleanup;
		}
		r->creds = p->current;
		r->next = p->old;
		p->old = r;
		log_credentials(GWS_LOG_DEBUG, "refreshed credentials from", fresh_ptr);
	} else {
		log_credentials(GWS_LOG_INFO, "using AWS credentials from", fresh_ptr);
	}
	p->current = fresh_ptr;
	p->which = which;
	p->rejected = false;
	*out = p->current;
cleanup:
	pthread_mutex_unlock(&p->lock);
	return err;
}

void gws_aws_credentials_invalidate(gws_aws_credentials_provider *p,
                                    const gws_aws_credentials *stale)
{
	if (p == NULL || stale == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	if (p->current == stale)
		p->rejected = true;
	pthread_mutex_unlock(&p->lock);
}

const char *gws_aws_credentials_provider_name(const gws_aws_credentials_provider *p)
{
	pthread_mutex_t *lock;
	const char *name;
	if (p == NULL)
		return NULL;
	lock = (pthread_mutex_t *)&p->lock; /* the lock is not part of the logical state */
	pthread_mutex_lock(lock);
	name = p->current ? p->current->provider : NULL;
	pthread_mutex_unlock(lock);
	return name;
}

void gws_aws_credentials_provider_free(gws_aws_credentials_provider *p)
{
	if (p == NULL)
		return;
	while (p->old) {
		retired *r = p->old;
		p->old = r->next;
		gws_aws_credentials_dispose(r->creds);
		gws_free(r->creds);
		gws_free(r);
	}
	if (p->current) {
		gws_aws_credentials_dispose(p->current);
		gws_free(p->current);
	}
	pthread_mutex_destroy(&p->lock);
	gws_free(p);
}
