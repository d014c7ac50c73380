/*
 * Credentials served over local HTTP: the container endpoint (ECS, EKS Pod
 * Identity) and EC2 instance metadata (IMDSv2). Both use short timeouts so
 * a machine without them answers "not here" quickly.
 */
#include "aws/credentials.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <sys/socket.h>

#include "aws/http.h"

#define CONTAINER_TIMEOUT_MS 2000
#define CONTAINER_ATTEMPTS   3
#define CONTAINER_TOKEN_CAP  (16u * 1024)
#define IMDS_TOKEN_TTL       "21600"
#define IMDS_ROLE_CAP        1024

/* Drop a response's body securely: it held secrets. */
static void response_dispose(gws_http_response *resp)
{
	if (resp->body.ptr)
		OPENSSL_cleanse(resp->body.ptr, resp->body.size);
	gws_http_response_dispose(resp);
}

/* ---- container credentials --------------------------------------------- */

/*
 * A container credentials URL as libcurl reads it: the request goes where
 * libcurl says the host is, so the checks look at that same host, not at
 * our own reading of the text ("http://127.0.0.1:1@otherhost/" is a request
 * to otherhost with the userinfo "127.0.0.1:1").
 */
typedef struct {
	bool https;
	bool userinfo;   /* a user or password is present */
	char host[260];  /* brackets of an IPv6 literal removed; IPv4 normalised */
	char shown[600]; /* scheme://host[:port]/path: never userinfo or query */
} container_url;

static bool url_part(CURLU *u, CURLUPart part, char *out, size_t len)
{
	char *v = NULL;
	bool ok = curl_url_get(u, part, &v, 0) == CURLUE_OK && v && strlen(v) < len;

	if (ok)
		memcpy(out, v, strlen(v) + 1);
	curl_free(v);
	return ok;
}

static bool parse_container_url(const char *url, container_url *out)
{
	static const CURLUPart userinfo[] = {CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS};
	CURLU *u = curl_url();
	char scheme[16] = "", port[16] = "", path[256] = "/", host[260] = "", *v = NULL;
	size_t n;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!u || !url || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    !url_part(u, CURLUPART_SCHEME, scheme, sizeof(scheme)) ||
	    !url_part(u, CURLUPART_HOST, host, sizeof(host)))
		goto cleanup;
	out->https = strcmp(scheme, "https") == 0;
	if (!out->https && strcmp(scheme, "http") != 0)
		goto cleanup;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(userinfo); i++) {
		if (curl_url_get(u, userinfo[i], &v, 0) == CURLUE_OK && v)
			out->userinfo = true;
		curl_free(v);
		v = NULL;
	}
	(void)url_part(u, CURLUPART_PORT, port, sizeof(port));
	(void)url_part(u, CURLUPART_PATH, path, sizeof(path));
	snprintf(out->shown, sizeof(out->shown), "%s://%s%s%s%s", scheme, host, port[0] ? ":" : "",
	         port, path);
	n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
		snprintf(out->host, sizeof(out->host), "%.*s", (int)(n - 2), host + 1);
	else
		snprintf(out->host, sizeof(out->host), "%s", host);
	ok = out->host[0] != '\0';
cleanup:
	curl_url_cleanup(u);
	return ok;
}

/* The ECS and EKS Pod Identity agent addresses and loopback (127.0.0.0/8,
 * ::1): the hosts plain http may reach, as the AWS SDKs allow, and the ones
 * no proxy stands between us and. */
static bool host_is_local(const char *host)
{
	static const char *const agents4[] = {"169.254.170.2", "169.254.170.23"};
	static const unsigned char loop6[16] = {[15] = 1};
	unsigned char a4[4], a6[16], agent[16];

	if (strcasecmp(host, "localhost") == 0)
		return true; /* libcurl never asks DNS for it: always loopback */
	if (inet_pton(AF_INET, host, a4) == 1) {
		if (a4[0] == 127)
			return true;
		for (size_t i = 0; i < GWS_ARRAY_SIZE(agents4); i++)
			if (inet_pton(AF_INET, agents4[i], agent) == 1 && memcmp(a4, agent, 4) == 0)
				return true;
		return false;
	}
	if (inet_pton(AF_INET6, host, a6) == 1)
		return memcmp(a6, loop6, 16) == 0 ||
		       (inet_pton(AF_INET6, "fd00:ec2::23", agent) == 1 &&
		        memcmp(a6, agent, 16) == 0);
	return false;
}

bool gws_aws__container_url_allowed(const char *url)
{
	container_url cu;

	if (!parse_container_url(url, &cu) || cu.userinfo)
		return false;
	return cu.https || host_is_local(cu.host);
}

/* The container authorization token: the file (re-read every time) wins over the variable. */
static int container_token(gws_buf *out, const gws_aws_config *cfg)
{
	const char *file = gws_aws__config_env(cfg, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *value = gws_aws__config_env(cfg, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
	int err;
	if (file != NULL) {
		if ((err = gws_buf_read_file(out, file)) < 0)
			return gws_error_set(GWS_EAUTH,
			                     "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %s",
			                     gws_error_last());
		while (out->size > 0 && strchr(" \t\r\n", out->ptr[out->size - 1]))
			out->ptr[--out->size] = '\0';
	} else if (value != NULL) {
		if ((err = gws_buf_puts(out, value)) < 0)
			return err;
	} else {
		return 0;
	}
	if (out->ptr == NULL || out->size == 0)
		return gws_error_set(GWS_EAUTH, "container credentials: the authorization token "
		                                "is empty");
	gws_secret_register(out->ptr);
	if (strpbrk(out->ptr, "\r\n") != NULL)
		return gws_error_set(GWS_EAUTH, "container credentials: the authorization token "
		                                "contains a line break");
	return 0;
}

int gws_aws__cred_container(gws_aws_credentials *out, const gws_aws_config *cfg,
                            struct gws_http *http)
{
	const char *rel = gws_aws__config_env(cfg, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = gws_aws__config_env(cfg, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
	gws_buf url = GWS_BUF_INIT(4096), tok = GWS_BUF_INIT(CONTAINER_TOKEN_CAP),
	        auth = GWS_BUF_INIT(CONTAINER_TOKEN_CAP + 64);
	container_url cu;
	const char *headers[3] = {"Accept: application/json", NULL, NULL};
	gws_http_request req;
	gws_http_response resp;
	int err;

	memset(out, 0, sizeof(*out));
	gws_http_response_init(&resp);
	if (rel == NULL && full == NULL)
		return GWS_ENOTFOUND;
	if (rel != NULL) {
		if (rel[0] != '/' || strpbrk(rel, " \r\n\t@")) {
			err = gws_error_set(GWS_EINVALID, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "
			                                  "must be a path starting with /");
			goto cleanup;
		}
		err = gws_buf_printf(&url, "http://169.254.170.2%s", rel);
	} else {
		if (!gws_aws__container_url_allowed(full) || strpbrk(full, " \r\n\t")) {
			err = gws_error_set(
			        GWS_EINVALID,
			        "AWS_CONTAINER_CREDENTIALS_FULL_URI: only https, or http "
			        "to a loopback address or the ECS/EKS agent addresses, "
			        "without a user or password, is allowed");
			goto cleanup;
		}
		err = gws_buf_puts(&url, full);
	}
	if (err < 0 || (err = container_token(&tok, cfg)) < 0)
		goto cleanup;
	if (!parse_container_url(url.ptr, &cu)) {
		err = gws_error_set(GWS_EINVALID, "%s: not an http(s) URL",
		                    rel ? "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
		                        : "AWS_CONTAINER_CREDENTIALS_FULL_URI");
		goto cleanup;
	}
	if (tok.size > 0) {
		if ((err = gws_buf_printf(&auth, "Authorization: %s", tok.ptr)) < 0)
			goto cleanup;
		headers[1] = auth.ptr;
	}
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.url = url.ptr;
	req.headers = headers;
	req.timeout_ms = CONTAINER_TIMEOUT_MS;
	req.max_body = GWS_AWS_REPLY_CAP; /* credentials are a few hundred bytes */
	/* Like the SDKs: the agent is never reached through a proxy; an https
	 * FULL_URI to another host follows the proxy settings. */
	req.no_proxy = host_is_local(cu.host);
	for (int attempt = 1;; attempt++) {
		err = gws_http_perform(http, &req, &resp);
		if (attempt >= CONTAINER_ATTEMPTS || (err == 0 && resp.status < 500))
			break;
	}
	if (err < 0) {
		err = gws_error_set(GWS_EAUTH, "container credentials at %s: %s", cu.shown,
		                    resp.error[0] ? resp.error : gws_error_last());
		goto cleanup;
	}
	if (resp.status != 200) {
		err = gws_error_set(GWS_EAUTH, "container credentials at %s: HTTP %ld", cu.shown,
		                    resp.status);
		goto cleanup;
	}
	err = gws_aws__credentials_from_json(out, resp.body.ptr ? resp.body.ptr : "",
	                                     resp.body.size, "Token", false,
	                                     "container credentials", "container");
cleanup:
	if (tok.ptr)
		OPENSSL_cleanse(tok.ptr, tok.size);
	if (auth.ptr)
		OPENSSL_cleanse(auth.ptr, auth.size);
	gws_buf_dispose(&url);
	gws_buf_dispose(&tok);
	gws_buf_dispose(&auth);
	response_dispose(&resp);
	return err;
}

/* ---- EC2 instance metadata (IMDSv2) ------------------------------------ */

typedef struct {
	struct gws_http *http;
	const char *base; /* "http://169.254.169.254" */
	long timeout_ms;
	int attempts;
	char *token; /* NULL: IMDSv1 */
} imds_session;

/* One IMDS request with the session token; retried on transport errors and 5xx. */
static int imds_call(imds_session *s, const char *method, const char *path,
                     const char *extra_header, gws_http_response *resp)
{
	gws_buf url = GWS_BUF_INIT(4096), tokhdr = GWS_BUF_INIT(4096);
	const char *headers[3] = {NULL, NULL, NULL};
	gws_http_request req;
	int err, n = 0;

	if ((err = gws_buf_printf(&url, "%s%s", s->base, path)) < 0)
		goto cleanup;
	if (extra_header)
		headers[n++] = extra_header;
	if (s->token) {
		if ((err = gws_buf_printf(&tokhdr, "X-aws-ec2-metadata-token: %s", s->token)) < 0)
			goto cleanup;
		headers[n++] = tokhdr.ptr;
	}
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url.ptr;
	req.headers = headers;
	req.body = strcmp(method, "PUT") == 0 ? "" : NULL;
	req.timeout_ms = s->timeout_ms;
	req.max_body = GWS_AWS_REPLY_CAP; /* credentials are a few hundred bytes */
	req.no_proxy = true;              /* link-local: never through HTTP(S)_PROXY, as the SDKs */
	for (int attempt = 1;; attempt++) {
		err = gws_http_perform(s->http, &req, resp);
		if (attempt >= s->attempts || (err == 0 && resp->status < 500))
			break;
	}
cleanup:
	gws_buf_dispose(&url);
	gws_buf_dispose(&tokhdr);
	return err;
}

static int imds_settings(imds_session *s, const gws_aws_config *cfg, gws_buf *base)
{
	const char *ep = gws_aws__config_env(cfg, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *mode = gws_aws__config_env(cfg, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
	const char *t = gws_aws__config_env(cfg, "AWS_METADATA_SERVICE_TIMEOUT");
	const char *a = gws_aws__config_env(cfg, "AWS_METADATA_SERVICE_NUM_ATTEMPTS");
	long v;
	int err;

	if (ep == NULL)
		ep = gws_aws__config_profile_get(cfg, "ec2_metadata_service_endpoint");
	if (mode == NULL)
		mode = gws_aws__config_profile_get(cfg, "ec2_metadata_service_endpoint_mode");
	if (ep == NULL)
		ep = mode && strcasecmp(mode, "IPv6") == 0 ? "http://[fd00:ec2::254]"
		                                           : "http://169.254.169.254";
	if (!(gws_str_startswith(ep, "http://") || gws_str_startswith(ep, "https://")) ||
	    strpbrk(ep, " \r\n\t?#@"))
		return gws_error_set(GWS_EINVALID,
		                     "AWS_EC2_METADATA_SERVICE_ENDPOINT: not an http(s) URL");
	if ((err = gws_buf_puts(base, ep)) < 0)
		return err;
	while (base->size > 0 && base->ptr[base->size - 1] == '/')
		base->ptr[--base->size] = '\0';
	s->base = base->ptr;
	s->timeout_ms = 1000;
	s->attempts = 1;
	if (t && gws_parse_long(&v, t, 1, 3600) == 0)
		s->timeout_ms = v * 1000;
	else if (t)
		return gws_error_set(GWS_EINVALID, "AWS_METADATA_SERVICE_TIMEOUT: not a number of "
		                                   "seconds");
	if (a && gws_parse_long(&v, a, 1, 10) == 0)
		s->attempts = (int)v;
	else if (a)
		return gws_error_set(
		        GWS_EINVALID,
		        "AWS_METADATA_SERVICE_NUM_ATTEMPTS: not a number from 1 to 10");
	return 0;
}

/* An IAM role name: 1 to 64 of letters, digits and +=,.@_- (IAM's rule). */
static bool valid_role_name(const char *s, size_t n)
{
	if (n < 1 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("+=,.@_-", s[i]))
			return false;
	return true;
}

int gws_aws__cred_imds(gws_aws_credentials *out, const gws_aws_config *cfg, struct gws_http *http)
{
	imds_session s = {http, NULL, 0, 1, NULL};
	gws_buf base = GWS_BUF_INIT(4096), path = GWS_BUF_INIT(4096);
	gws_http_response resp;
	bool v1_disabled =
	        gws_aws__is_true(gws_aws__config_env(cfg, "AWS_EC2_METADATA_V1_DISABLED")) ||
	        gws_aws__is_true(gws_aws__config_profile_get(cfg, "ec2_metadata_v1_disabled"));
	const char *role;
	int err;

	memset(out, 0, sizeof(*out));
	gws_http_response_init(&resp);
	if (gws_aws__is_true(gws_aws__config_env(cfg, "AWS_EC2_METADATA_DISABLED")))
		return GWS_ENOTFOUND;
	if ((err = imds_settings(&s, cfg, &base)) < 0)
		goto cleanup;

	/* 1. Session token. No answer at all means "not on EC2": not configured. */
	err = imds_call(&s, "PUT", "/latest/api/token",
	                "X-aws-ec2-metadata-token-ttl-seconds: " IMDS_TOKEN_TTL, &resp);
	if (err < 0) {
		gws_log(GWS_LOG_DEBUG, "aws", "no EC2 instance metadata at %s: %s", s.base,
		        resp.error);
		err = GWS_ENOTFOUND;
		goto cleanup;
	}
	if (resp.status == 200 && resp.body.size > 0) {
		if ((s.token = gws_strndup(resp.body.ptr, resp.body.size)) == NULL) {
			err = GWS_ENOMEM;
			goto cleanup;
		}
		s.token[strcspn(s.token, "\r\n")] = '\0';
		gws_secret_register(s.token);
	} else if ((resp.status == 403 || resp.status == 404 || resp.status == 405) &&
	           !v1_disabled) {
		gws_log(GWS_LOG_DEBUG, "aws", "IMDSv2 token refused (HTTP %ld), using IMDSv1",
		        resp.status);
	} else {
		err = gws_error_set(GWS_EAUTH, "EC2 instance metadata: token request got HTTP %ld",
		                    resp.status);
		goto cleanup;
	}

	/* 2. Role name. */
	if ((err = imds_call(&s, "GET", "/latest/meta-data/iam/security-credentials/", NULL,
	                     &resp)) < 0 ||
	    resp.status != 200) {
		err = gws_error_set(GWS_EAUTH, "EC2 instance metadata: no IAM role (HTTP %ld%s%s)",
		                    resp.status, resp.error[0] ? ", " : "", resp.error);
		goto cleanup;
	}
	role = resp.body.ptr ? resp.body.ptr : "";
	if (resp.body.size == 0 || resp.body.size > IMDS_ROLE_CAP) {
		err = gws_error_set(GWS_EAUTH, "EC2 instance metadata: no IAM role attached");
		goto cleanup;
	}
	/* The name goes into the URL's path: only what IAM allows in a role
	 * name, so "../" or an encoded character cannot lead anywhere else. */
	if (!valid_role_name(role, strcspn(role, "\r\n"))) {
		err = gws_error_set(GWS_EAUTH,
		                    "EC2 instance metadata: \"%.*s\" is not an IAM role name "
		                    "(1-64 letters, digits and +=,.@_-)",
		                    (int)(strcspn(role, "\r\n") < 80 ? strcspn(role, "\r\n") : 80),
		                    role);
		goto cleanup;
	}
	if ((err = gws_buf_puts(&path, "/latest/meta-data/iam/security-credentials/")) < 0 ||
	    (err = gws_buf_put(&path, role, strcspn(role, "\r\n"))) < 0)
		goto cleanup;

	/* 3. Credentials. */
	if ((err = imds_call(&s, "GET", path.ptr, NULL, &resp)) < 0 || resp.status != 200) {
		err = gws_error_set(GWS_EAUTH,
		                    "EC2 instance metadata: credentials request got "
		                    "HTTP %ld%s%s",
		                    resp.status, resp.error[0] ? ", " : "", resp.error);
		goto cleanup;
	}
	err = gws_aws__credentials_from_json(out, resp.body.ptr ? resp.body.ptr : "",
	                                     resp.body.size, "Token", false,
	                                     "EC2 instance metadata", "imds");
cleanup:
	if (s.token) {
		OPENSSL_cleanse(s.token, strlen(s.token));
		gws_free(s.token);
	}
	gws_buf_dispose(&base);
	gws_buf_dispose(&path);
	response_dispose(&resp);
	return err;
}
