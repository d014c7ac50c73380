/*
 * The ACM typed calls (JSON 1.1 protocol): ListCertificates, paged by
 * NextToken, and DescribeCertificate. Certificate discovery in
 * src/reconcile uses them; docs/aws.md lists what is sent.
 */
#include <string.h>

#include "aws/call.h"

#define GWS_ACM_SERVICE       "acm"
#define GWS_ACM_TARGET_PREFIX "CertificateManager"
#define GWS_ACM_MAX_ITEMS     1000

/* The filters the AWS Load Balancer Controller lists with. */
static const char *const default_statuses[] = {"ISSUED"};
static const char *const default_key_types[] = {
        "RSA_1024",      "RSA_2048",     "RSA_3072",     "RSA_4096",
        "EC_prime256v1", "EC_secp384r1", "EC_secp521r1",
};

static json_t *string_array(const gws_aws_strings *list, const char *const *fallback, size_t nf)
{
	json_t *arr = json_array();
	bool given = list && list->count;
	size_t n = given ? list->count : nf;

	for (size_t i = 0; arr && i < n; i++) {
		const char *v = given ? list->items[i] : fallback[i];

		if (json_array_append_new(arr, json_string(v ? v : "")) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* The members in the service model's order, as botocore sends them. */
static json_t *list_body(const gws_acm_list_input *in)
{
	json_t *body = json_object(), *includes = json_object();
	int max = in && in->max_items > 0 ? in->max_items : GWS_ACM_MAX_ITEMS;

	if (!body || !includes ||
	    json_object_set_new(body, "CertificateStatuses",
	                        string_array(in ? &in->statuses : NULL, default_statuses,
	                                     GWS_ARRAY_SIZE(default_statuses))) < 0 ||
	    json_object_set_new(includes, "keyTypes",
	                        string_array(in ? &in->key_types : NULL, default_key_types,
	                                     GWS_ARRAY_SIZE(default_key_types))) < 0 ||
	    json_object_set(body, "Includes", includes) < 0 ||
	    json_object_set_new(body, "MaxItems", json_integer(max)) < 0) {
		json_decref(includes);
		json_decref(body);
		return NULL;
	}
	json_decref(includes);
	return body;
}

/* One certificate: a CertificateSummary, or a DescribeCertificate's
 * CertificateDetail (`detail`: its SubjectAlternativeNames are complete). */
static int decode_certificate(gws_arena *a, const json_t *o, bool detail, gws_acm_certificate *out)
{
	const json_t *names, *more;
	int err = 0;

	if (!json_is_object(o))
		return gws_error_set(GWS_EREMOTE, "a certificate is not a JSON object");
	out->arn = gws_aws__json_str(a, o, "CertificateArn", &err);
	out->domain_name = gws_aws__json_str(a, o, "DomainName", &err);
	out->status = gws_aws__json_str(a, o, "Status", &err);
	out->type = gws_aws__json_str(a, o, "Type", &err);
	out->key_algorithm = gws_aws__json_str(a, o, "KeyAlgorithm", &err);
	if (err)
		return err;
	if (!out->arn)
		return gws_error_set(GWS_EREMOTE, "a certificate without a CertificateArn");
	if (detail) {
		names = json_object_get(o, "SubjectAlternativeNames");
		out->names_complete = true;
	} else {
		names = json_object_get(o, "SubjectAlternativeNameSummaries");
		more = json_object_get(o, "HasAdditionalSubjectAlternativeNames");
		out->names_complete = json_is_array(names) && !json_is_true(more);
	}
	return gws_aws__json_strings(a, names, NULL, &out->names);
}

static int decode_list_page(gws_aws__op *op, const json_t *reply)
{
	gws_acm_certificates *out = op->out;
	const json_t *list = json_object_get(reply, "CertificateSummaryList");
	size_t n = json_is_array(list) ? json_array_size(list) : 0;
	gws_acm_certificate *grown;
	int rc;

	if (list && !json_is_array(list) && !json_is_null(list))
		return gws_error_set(GWS_EREMOTE, "CertificateSummaryList is not a list");
	if (n == 0)
		return 0;
	/* Pages append: grow geometrically in the arena (the old array is
	 * left there; a page holds up to 1000 summaries). */
	if (out->count + n > op->list_cap) {
		size_t cap = op->list_cap ? op->list_cap : 16;

		while (cap < out->count + n)
			cap *= 2;
		if (!(grown = gws_arena_calloc(op->arena, cap, sizeof(*grown))))
			return GWS_ENOMEM;
		if (out->count)
			memcpy(grown, out->items, out->count * sizeof(*grown));
		out->items = grown;
		op->list_cap = cap;
	}
	for (size_t i = 0; i < n; i++) {
		rc = decode_certificate(op->arena, json_array_get(list, i), false,
		                        &out->items[out->count]);
		if (rc < 0)
			return rc;
		out->count++;
	}
	return 0;
}

int gws_acm_list_certificates(gws_aws_client *c, gws_arena *arena, const gws_acm_list_input *in,
                              gws_acm_certificates *out)
{
	gws_aws__op *op;

	if (in && (in->max_items < 0 || in->max_items > GWS_ACM_MAX_ITEMS)) {
		memset(out, 0, sizeof(*out));
		return gws_error_set(GWS_EINVALID, "ListCertificates: MaxItems must be 1..%d",
		                     GWS_ACM_MAX_ITEMS);
	}
	op = gws_aws__op_new(GWS_ACM_SERVICE, "ListCertificates", false, arena, out, sizeof(*out),
	                     NULL);
	op = gws_aws__op_json(op, GWS_ACM_TARGET_PREFIX, list_body(in), decode_list_page);
	if (op) {
		op->page_in = "NextToken";
		op->page_out = "NextToken";
		op->page_before = "MaxItems";
		op->reply_cap = GWS_AWS_PAGE_REPLY_CAP;
	}
	return gws_aws__submit(c, op);
}

static int decode_detail(gws_aws__op *op, const json_t *reply)
{
	const json_t *cert = json_object_get(reply, "Certificate");

	if (!cert)
		return gws_error_set(GWS_EREMOTE, "DescribeCertificate answered without a "
		                                  "Certificate");
	return decode_certificate(op->arena, cert, true, op->out);
}

int gws_acm_describe_certificate(gws_aws_client *c, gws_arena *arena, const char *arn,
                                 gws_acm_certificate *out)
{
	gws_aws__op *op = gws_aws__op_new(GWS_ACM_SERVICE, "DescribeCertificate", false, arena, out,
	                                  sizeof(*out), NULL);
	json_t *body = json_object();

	if (body && json_object_set_new(body, "CertificateArn", json_string(arn ? arn : "")) < 0) {
		json_decref(body);
		body = NULL;
	}
	return gws_aws__submit(c, gws_aws__op_json(op, GWS_ACM_TARGET_PREFIX, body, decode_detail));
}
