/*
 * Web identity (EKS IRSA): an unsigned STS AssumeRoleWithWebIdentity call
 * with the token read from a file on every refresh.
 */
#include "aws/credentials.h"

#include <ctype.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aws/http.h"
#include "aws/sigv4.h"

#define WEB_IDENTITY_TOKEN_CAP (64u * 1024) /* STS accepts up to 20000 characters */
#define STS_ATTEMPTS           3

bool gws_aws__valid_session_name(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_+=,.@-", *s))
			return false;
	return true;
}

static int read_token(gws_buf *tok, const char *path)
{
	int err = gws_buf_read_file(tok, path);
	if (err < 0)
		return gws_error_set(GWS_EAUTH, "web identity token file %s: %s", path,
		                     gws_error_last());
	while (tok->size > 0 && strchr(" \t\r\n", tok->ptr[tok->size - 1]))
		tok->ptr[--tok->size] = '\0';
	if (tok->size < 4)
		return gws_error_set(GWS_EAUTH, "web identity token file %s is empty", path);
	gws_secret_register(tok->ptr);
	return 0;
}

static int form_param(gws_buf *body, const char *name, const char *value)
{
	int err;
	if ((err = gws_buf_printf(body, "&%s=", name)) < 0)
		return err;
	return gws_sigv4__uri_encode(body, value, strlen(value), 0);
}

static bool retryable(const gws_http_response *resp)
{
	const char *b = resp->body.ptr ? resp->body.ptr : "";
	if (resp->transport_error != 0 || resp->status >= 500)
		return true;
	/* botocore retries IDPCommunicationError; aws-c-auth also InvalidIdentityToken. */
	return strstr(b, "<Code>IDPCommunicationError</Code>") != NULL ||
	       strstr(b, "<Code>InvalidIdentityToken</Code>") != NULL;
}

int gws_aws__cred_web_identity(gws_aws_credentials *out, const gws_aws_config *cfg,
                               struct gws_http *http, const char *role_arn, const char *token_file,
                               const char *session_name, const char *provider)
{
	gws_buf tok = GWS_BUF_INIT(WEB_IDENTITY_TOKEN_CAP), body = GWS_BUF_INIT(GWS_CAP_LINE * 2);
	gws_buf url = GWS_BUF_INIT(4096);
	const char *endpoint = gws_aws_config_endpoint(cfg, "sts");
	const char *headers[] = {"Content-Type: application/x-www-form-urlencoded; charset=utf-8",
	                         "Accept: text/xml", NULL};
	char default_name[64];
	gws_http_request req;
	gws_http_response resp;
	int err;

	memset(out, 0, sizeof(*out));
	gws_http_response_init(&resp);
	if (http == NULL) {
		err = gws_error_set(GWS_EAUTH, "web identity: no HTTP transport");
		goto cleanup;
	}
	if (endpoint == NULL)
		endpoint = "https://sts.amazonaws.com"; /* no region: the global endpoint */
	if (session_name == NULL) {
		snprintf(default_name, sizeof(default_name), "gwsync-%lld",
		         (long long)gws_aws__now());
		session_name = default_name;
	}
	if (!gws_aws__valid_session_name(session_name)) {
		err = gws_error_set(GWS_EINVALID, "web identity: role session name must be 2-64 "
		                                  "characters of letters, digits and _+=,.@-");
		goto cleanup;
	}
	if ((err = read_token(&tok, token_file)) < 0)
		goto cleanup;
	if ((err = gws_buf_puts(&body, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15")) <
	            0 ||
	    (err = form_param(&body, "RoleArn", role_arn)) < 0 ||
	    (err = form_param(&body, "RoleSessionName", session_name)) < 0 ||
	    (err = form_param(&body, "WebIdentityToken", tok.ptr)) < 0 ||
	    (err = gws_buf_printf(&url, "%s/", endpoint)) < 0)
		goto cleanup;

	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url.ptr;
	req.headers = headers;
	req.body = body.ptr;
	req.body_len = body.size;
	req.timeout_ms = 10000;
	req.max_body = GWS_AWS_REPLY_CAP; /* credentials are a few hundred bytes */
	for (int attempt = 1;; attempt++) {
		err = gws_http_perform(http, &req, &resp);
		if (!(attempt < STS_ATTEMPTS && retryable(&resp)))
			break;
		gws_log(GWS_LOG_DEBUG, "aws",
		        "STS AssumeRoleWithWebIdentity attempt %d failed "
		        "(HTTP %ld), retrying",
		        attempt, resp.status);
	}
	if (err < 0) {
		err = gws_error_set(GWS_EAUTH, "STS AssumeRoleWithWebIdentity at %s: %s", url.ptr,
		                    resp.error[0] ? resp.error : gws_error_last());
		goto cleanup;
	}
	err = gws_aws__sts_credentials_reply(out, &resp, "AssumeRoleWithWebIdentity", NULL,
	                                     provider);
cleanup:
	if (tok.ptr)
		OPENSSL_cleanse(tok.ptr, tok.size);
	if (body.ptr)
		OPENSSL_cleanse(body.ptr, body.size);
	gws_buf_dispose(&tok);
	gws_buf_dispose(&body);
	gws_buf_dispose(&url);
	if (resp.body.ptr)
		OPENSSL_cleanse(resp.body.ptr, resp.body.size);
	gws_http_response_dispose(&resp);
	return err;
}
