/*
 * The Credentials of an STS reply. AssumeRole and AssumeRoleWithWebIdentity
 * answer with the same shape under <Action>Result; their errors with the
 * Query error document. Secrets are registered for scrubbing as soon as they
 * are read and wiped from the scratch arena before it is freed.
 */
#include <openssl/crypto.h>
#include <string.h>

#include "aws/credentials.h"
#include "aws/xml.h"

/* "STS AssumeRole arn:...": the action and, when known, what it was about. */
static const char *what(char *out, size_t len, const char *action, const char *subject)
{
	snprintf(out, len, "STS %s%s%s", action, subject ? " " : "", subject ? subject : "");
	return out;
}

static int reply_error(const gws_http_response *resp, const char *w)
{
	gws_aws_error aerr;

	memset(&aerr, 0, sizeof(aerr));
	gws_xml_decode_error(resp->body.ptr, resp->body.size, &aerr);
	return gws_error_set(GWS_EAUTH, "%s failed: HTTP %ld%s%s%s%s, request id %s", w,
	                     resp->status, aerr.code[0] ? " " : "", aerr.code,
	                     aerr.message[0] ? ": " : "", aerr.message,
	                     resp->request_id ? resp->request_id : "none");
}

int gws_aws__sts_credentials_reply(gws_aws_credentials *out, const gws_http_response *resp,
                                   const char *action, const char *subject, const char *provider)
{
	char w[512], result[64];
	gws_arena *arena = NULL;
	xmlDoc *doc = NULL;
	const xmlNode *creds;
	const char *akid = NULL, *secret = NULL, *token = NULL, *exp = NULL;
	time_t expiration;
	int err = 0;

	what(w, sizeof(w), action, subject);
	if (resp->status != 200)
		return reply_error(resp, w);
	if ((err = gws_arena_new(&arena)) < 0)
		return err;
	if (gws_xml_parse(&doc, resp->body.ptr ? resp->body.ptr : "", resp->body.size) < 0) {
		err = gws_error_set(GWS_EAUTH, "%s: unreadable reply", w);
		goto cleanup;
	}
	snprintf(result, sizeof(result), "%sResult", action);
	creds = gws_xml_child(gws_xml_child(xmlDocGetRootElement(doc), result), "Credentials");
	akid = gws_xml_text(arena, creds, "AccessKeyId", &err);
	secret = gws_xml_text(arena, creds, "SecretAccessKey", &err);
	token = gws_xml_text(arena, creds, "SessionToken", &err);
	exp = gws_xml_text(arena, creds, "Expiration", &err);
	if (secret)
		gws_secret_register(secret);
	if (token)
		gws_secret_register(token);
	if (err < 0)
		goto cleanup;
	if (!akid || !secret || !token || !exp) {
		err = gws_error_set(GWS_EAUTH,
		                    "%s: reply lacks Credentials (AccessKeyId, SecretAccessKey, "
		                    "SessionToken, Expiration)",
		                    w);
		goto cleanup;
	}
	if (gws_aws__parse_iso8601(&expiration, exp) < 0) {
		err = gws_error_set(GWS_EAUTH, "%s: bad Expiration \"%.40s\"", w, exp);
		goto cleanup;
	}
	err = gws_aws__credentials_set(out, akid, secret, token, expiration, provider);
cleanup:
	if (secret)
		OPENSSL_cleanse((char *)secret, strlen(secret));
	if (token)
		OPENSSL_cleanse((char *)token, strlen(token));
	xmlFreeDoc(doc);
	gws_arena_free(arena);
	return err;
}
