/*
 * Role chaining in profiles: role_arn with source_profile (whose own
 * credentials may come from another role, recursively) or credential_source
 * (Environment, Ec2InstanceMetadata, EcsContainer), through a signed STS
 * AssumeRole call. The result expires, so the chain refreshes it like any
 * temporary credentials: the source is resolved again and the role assumed
 * again.
 */
#include "aws/credentials.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "aws/http.h"
#include "aws/query.h"
#include "aws/sigv4.h"
#include "aws/xml.h"

#define ASSUME_ROLE_ATTEMPTS   3
#define ASSUME_ROLE_TIMEOUT_MS 10000
#define ASSUME_ROLE_MAX_DEPTH  16
#define FORM_CONTENT_TYPE      "Content-Type: application/x-www-form-urlencoded; charset=utf-8"

/* ---- the source credentials ---------------------------------------------------- */

static bool visited(const gws_aws__profile_path *path, const char *name)
{
	for (; path; path = path->prev)
		if (strcmp(path->name, name) == 0)
			return true;
	return false;
}

/* "a -> b -> c" for the cycle error, outermost first. */
static void describe_path(char *out, size_t len, const gws_aws__profile_path *path,
                          const char *last)
{
	const char *names[ASSUME_ROLE_MAX_DEPTH + 2];
	size_t n = 0, used = 0;

	for (; path && n < ASSUME_ROLE_MAX_DEPTH + 1; path = path->prev)
		names[n++] = path->name;
	out[0] = '\0';
	while (n > 0 && used < len) {
		int w = snprintf(out + used, len - used, "%s -> ", names[--n]);
		if (w < 0)
			return;
		used += (size_t)w;
	}
	if (used < len)
		snprintf(out + used, len - used, "%s", last);
}

static size_t depth(const gws_aws__profile_path *path)
{
	size_t n = 0;
	for (; path; path = path->prev)
		n++;
	return n;
}

static bool profile_exists(const gws_aws_config *cfg, const char *name)
{
	char sec[300];

	snprintf(sec, sizeof(sec), "profile %s", name);
	return gws_aws__ini_has_section(cfg->config_file, sec) ||
	       (strcmp(name, "default") == 0 &&
	        gws_aws__ini_has_section(cfg->config_file, "default")) ||
	       gws_aws__ini_has_section(cfg->credentials_file, name);
}

static int from_source_profile(gws_aws_credentials *out, const gws_aws_config *cfg,
                               struct gws_http *http, const char *source,
                               const gws_aws__profile_path *here)
{
	gws_aws_config sub;
	char cycle[512];
	int err;

	/* A profile may name itself as the source of its own static keys. */
	if (strcmp(source, cfg->profile) == 0) {
		err = gws_aws__cred_profile_keys(out, cfg);
		if (err == GWS_ENOTFOUND)
			return gws_error_set(GWS_EAUTH,
			                     "profile %s: source_profile names the profile itself, "
			                     "which has no aws_access_key_id",
			                     cfg->profile);
		return err;
	}
	if (visited(here, source)) {
		describe_path(cycle, sizeof(cycle), here, source);
		return gws_error_set(GWS_EINVALID,
		                     "profile %s: source_profile chain has a cycle: %s",
		                     cfg->profile, cycle);
	}
	if (depth(here) >= ASSUME_ROLE_MAX_DEPTH)
		return gws_error_set(GWS_EINVALID,
		                     "profile %s: source_profile chain is deeper than %d profiles",
		                     cfg->profile, ASSUME_ROLE_MAX_DEPTH);
	if (!profile_exists(cfg, source))
		return gws_error_set(
		        GWS_EINVALID, "profile %s: source_profile %s is in neither %s nor %s",
		        cfg->profile, source,
		        cfg->config_path ? cfg->config_path : "the config file",
		        cfg->credentials_path ? cfg->credentials_path : "the credentials file");
	/* The same settings seen through the source profile. */
	sub = *cfg;
	sub.profile = source;
	err = gws_aws__cred_profile(out, &sub, http, here);
	if (err == GWS_ENOTFOUND)
		return gws_error_set(GWS_EAUTH, "profile %s: source_profile %s has no credentials",
		                     cfg->profile, source);
	return err;
}

static int from_credential_source(gws_aws_credentials *out, const gws_aws_config *cfg,
                                  struct gws_http *http, const char *source)
{
	int err;

	if (strcmp(source, "Environment") == 0)
		err = gws_aws__cred_env(out, cfg);
	else if (strcmp(source, "Ec2InstanceMetadata") == 0)
		err = gws_aws__cred_imds(out, cfg, http);
	else if (strcmp(source, "EcsContainer") == 0)
		err = gws_aws__cred_container(out, cfg, http);
	else
		return gws_error_set(GWS_EINVALID,
		                     "profile %s: credential_source \"%.40s\" is not one of "
		                     "Environment, Ec2InstanceMetadata, EcsContainer",
		                     cfg->profile, source);
	if (err == GWS_ENOTFOUND)
		return gws_error_set(GWS_EAUTH,
		                     "profile %s: credential_source %s has no credentials "
		                     "(not configured here)",
		                     cfg->profile, source);
	return err;
}

/* ---- the AssumeRole call --------------------------------------------------------- */

typedef struct {
	const char *role_arn;
	const char *session_name;
	const char *external_id;
	long duration_s; /* 0: STS's default (1 h) */
} assume_params;

static int read_params(assume_params *p, const gws_aws_config *cfg, char *default_name,
                       size_t name_len)
{
	const char *duration = gws_aws__config_profile_get(cfg, "duration_seconds");

	p->role_arn = gws_aws__config_profile_get(cfg, "role_arn");
	p->external_id = gws_aws__config_profile_get(cfg, "external_id");
	p->session_name = gws_aws__config_profile_get(cfg, "role_session_name");
	p->duration_s = 0;
	if (duration && gws_parse_long(&p->duration_s, duration, 900, 43200) < 0)
		return gws_error_set(GWS_EINVALID,
		                     "profile %s: duration_seconds must be a number of seconds "
		                     "from 900 to 43200",
		                     cfg->profile);
	if (p->session_name == NULL) {
		snprintf(default_name, name_len, "gwsync-%lld", (long long)gws_aws__now());
		p->session_name = default_name;
	}
	if (!gws_aws__valid_session_name(p->session_name))
		return gws_error_set(GWS_EINVALID,
		                     "profile %s: role_session_name must be 2-64 characters of "
		                     "letters, digits and _+=,.@-",
		                     cfg->profile);
	if (p->external_id && (strlen(p->external_id) < 2 || strlen(p->external_id) > 1224))
		return gws_error_set(GWS_EINVALID,
		                     "profile %s: external_id must be 2-1224 characters",
		                     cfg->profile);
	return 0;
}

/* A signed POST to STS; the request's headers live in `hdrs` / `lines`. */
typedef struct {
	char *url, *host, *date, *auth, *token;
	const char *lines[6];
} signed_post;

static void signed_post_dispose(signed_post *s)
{
	if (s->token)
		OPENSSL_cleanse(s->token, strlen(s->token));
	gws_free(s->url);
	gws_free(s->host);
	gws_free(s->date);
	gws_free(s->auth);
	gws_free(s->token);
	memset(s, 0, sizeof(*s));
}

static int sign_post(signed_post *s, const gws_aws_config *cfg, const gws_buf *body,
                     const gws_aws_credentials *source)
{
	const char *endpoint = gws_aws_config_endpoint(cfg, "sts");
	const char *region = gws_aws__config_signing_region(cfg, "sts");
	const char *signed_headers[] = {FORM_CONTENT_TYPE, NULL};
	gws_sigv4_result sig = {{0}, NULL, NULL, NULL, {0}};
	const char *authority, *slash, *path = "/";
	char *hostname = NULL;
	size_t h = 0;
	int err;

	if (endpoint == NULL)
		endpoint = "https://sts.amazonaws.com"; /* no region: the global endpoint */
	if (region == NULL)
		region = "us-east-1"; /* what the global endpoint signs with */
	authority = strstr(endpoint, "://");
	if (authority == NULL)
		return gws_error_set(GWS_EINVALID, "malformed STS endpoint '%s'", endpoint);
	authority += 3;
	slash = strchr(authority, '/');
	if (slash)
		path = slash;
	hostname =
	        slash ? gws_strndup(authority, (size_t)(slash - authority)) : gws_strdup(authority);
	s->url = slash ? gws_strdup(endpoint) : gws_asprintf("%s/", endpoint);
	if (!hostname || !s->url) {
		err = GWS_ENOMEM;
		goto cleanup;
	}
	gws_sigv4_request req = {"POST",         hostname,       path,       "",
	                         signed_headers, body->ptr,      body->size, "sts",
	                         region,         gws_aws__now(), source};
	if ((err = gws_sigv4_sign(&sig, &req)) < 0)
		goto cleanup;
	s->host = gws_asprintf("Host: %s", hostname);
	s->date = gws_asprintf("X-Amz-Date: %s", sig.amz_date);
	s->auth = gws_asprintf("Authorization: %s", sig.authorization);
	if (source->session_token)
		s->token = gws_asprintf("X-Amz-Security-Token: %s", source->session_token);
	if (!s->host || !s->date || !s->auth || (source->session_token && !s->token)) {
		err = GWS_ENOMEM;
		goto cleanup;
	}
	s->lines[h++] = s->host;
	s->lines[h++] = FORM_CONTENT_TYPE;
	s->lines[h++] = s->date;
	s->lines[h++] = s->auth;
	if (s->token)
		s->lines[h++] = s->token;
	s->lines[h] = NULL;
cleanup:
	gws_sigv4_result_dispose(&sig);
	gws_free(hostname);
	return err;
}

static int assume_role(gws_aws_credentials *out, const gws_aws_config *cfg, struct gws_http *http,
                       const gws_aws_credentials *source, const assume_params *p)
{
	gws_query q;
	gws_buf body = GWS_BUF_INIT(GWS_CAP_HTTP_REQUEST);
	signed_post post = {0};
	gws_http_request req;
	gws_http_response resp;
	int err;

	gws_http_response_init(&resp);
	gws_query_init(&q, "AssumeRole", "2011-06-15");
	gws_query_add(&q, "RoleArn", p->role_arn);
	gws_query_add(&q, "RoleSessionName", p->session_name);
	if (p->external_id)
		gws_query_add(&q, "ExternalId", p->external_id);
	if (p->duration_s > 0)
		gws_query_add_long(&q, "DurationSeconds", p->duration_s);
	if ((err = gws_query_encode(&q, &body)) < 0)
		goto cleanup;
	for (int attempt = 1;; attempt++) {
		/* Signed again each time: the signature carries the time. */
		signed_post_dispose(&post);
		if ((err = sign_post(&post, cfg, &body, source)) < 0)
			goto cleanup;
		memset(&req, 0, sizeof(req));
		req.method = "POST";
		req.url = post.url;
		req.headers = post.lines;
		req.body = body.ptr;
		req.body_len = body.size;
		req.timeout_ms = ASSUME_ROLE_TIMEOUT_MS;
		req.max_body = GWS_AWS_REPLY_CAP; /* credentials are a few hundred bytes */
		err = gws_http_perform(http, &req, &resp);
		if (attempt >= ASSUME_ROLE_ATTEMPTS || (err == 0 && resp.status < 500))
			break;
		gws_log(GWS_LOG_DEBUG, "aws",
		        "STS AssumeRole attempt %d failed (HTTP %ld), retrying", attempt,
		        resp.status);
	}
	if (err < 0) {
		err = gws_error_set(GWS_EAUTH, "STS AssumeRole %s at %s: %s", p->role_arn, post.url,
		                    resp.error[0] ? resp.error : gws_error_last());
		goto cleanup;
	}
	err = gws_aws__sts_credentials_reply(out, &resp, "AssumeRole", p->role_arn, "assume_role");
cleanup:
	if (resp.body.ptr)
		OPENSSL_cleanse(resp.body.ptr, resp.body.size);
	gws_http_response_dispose(&resp);
	signed_post_dispose(&post);
	gws_buf_dispose(&body);
	gws_query_dispose(&q);
	return err;
}

int gws_aws__cred_assume_role(gws_aws_credentials *out, const gws_aws_config *cfg,
                              struct gws_http *http, const gws_aws__profile_path *path)
{
	const char *source_profile = gws_aws__config_profile_get(cfg, "source_profile");
	const char *credential_source = gws_aws__config_profile_get(cfg, "credential_source");
	gws_aws__profile_path here = {cfg->profile, path};
	gws_aws_credentials source;
	assume_params p;
	char default_name[64];
	int err;

	memset(out, 0, sizeof(*out));
	memset(&source, 0, sizeof(source));
	if (gws_aws__config_profile_get(cfg, "mfa_serial"))
		return gws_error_set(
		        GWS_EAUTH,
		        "profile %s: mfa_serial is set, but gwsync runs unattended and "
		        "cannot ask for an MFA code; assume a role that does not "
		        "require MFA, or pass temporary credentials in the environment",
		        cfg->profile);
	if (source_profile && credential_source)
		return gws_error_set(GWS_EINVALID,
		                     "profile %s: role_arn with both source_profile and "
		                     "credential_source; set only one",
		                     cfg->profile);
	if (!source_profile && !credential_source)
		return gws_error_set(GWS_EINVALID,
		                     "profile %s: role_arn needs source_profile, credential_source "
		                     "or web_identity_token_file",
		                     cfg->profile);
	if ((err = read_params(&p, cfg, default_name, sizeof(default_name))) < 0)
		return err;
	if (http == NULL)
		return gws_error_set(GWS_EAUTH, "profile %s: no HTTP transport for STS",
		                     cfg->profile);
	err = source_profile ? from_source_profile(&source, cfg, http, source_profile, &here)
	                     : from_credential_source(&source, cfg, http, credential_source);
	if (err < 0)
		return err;
	err = assume_role(out, cfg, http, &source, &p);
	if (err == 0)
		gws_log(GWS_LOG_DEBUG, "aws", "profile %s: assumed %s with credentials from %s",
		        cfg->profile, p.role_arn, source.provider);
	gws_aws_credentials_dispose(&source);
	return err;
}
