/*
 * AWS Signature Version 4 (header form), as described in the IAM user guide
 * "Create a signed AWS API request" and checked against the AWS test suite.
 */
#include "aws/sigv4.h"

#include <ctype.h>
#include <string.h>

#include <openssl/crypto.h>

/* The canonical request holds the query and the signed headers; bound it
 * by the biggest request we ever build. */
#define SIGV4_CAP GWS_CAP_HTTP_REQUEST

static const char hexdig[] = "0123456789ABCDEF";

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

int gws_sigv4__uri_encode(gws_buf *out, const char *s, size_t len, int keep_slash)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int err;
		if (is_unreserved(c) || (keep_slash && c == '/')) {
			err = gws_buf_putc(out, (char)c);
		} else {
			char enc[3] = {'%', hexdig[c >> 4], hexdig[c & 15]};
			err = gws_buf_put(out, enc, 3);
		}
		if (err < 0)
			return err;
	}
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..len) into out (not '+': query strings we sign are RFC 3986). */
static int uri_decode(gws_buf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int hi, lo, err;
		if (s[i] == '%' && i + 2 < len && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			err = gws_buf_putc(out, (char)(hi * 16 + lo));
			i += 2;
		} else {
			err = gws_buf_putc(out, s[i]);
		}
		if (err < 0)
			return err;
	}
	return 0;
}

/* ---- canonical URI ----------------------------------------------------- */

typedef struct {
	const char *ptr;
	size_t len;
} span;

/*
 * Non-S3 services: remove empty, "." and ".." segments (RFC 3986 §5.2.4
 * style), keep a trailing slash, then encode each segment once more than
 * it is on the wire (the "double encoding" every SDK but S3's applies).
 */
int gws_sigv4__canonical_uri(gws_buf *out, const char *path)
{
	span *segs = NULL;
	size_t nseg = 0, cap = 0;
	int err = 0;
	const char *p = path;

	if (path == NULL || *path == '\0')
		return gws_buf_putc(out, '/');
	while (*p) {
		const char *start;
		size_t len;
		while (*p == '/')
			p++;
		start = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - start);
		if (len == 0 || (len == 1 && start[0] == '.'))
			continue;
		if (len == 2 && start[0] == '.' && start[1] == '.') {
			if (nseg > 0)
				nseg--;
			continue;
		}
		if (nseg == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			span *n = gws_reallocarray(segs, ncap, sizeof(*segs));
			if (n == NULL) {
				err = GWS_ENOMEM;
				goto cleanup;
			}
			segs = n;
			cap = ncap;
		}
		segs[nseg].ptr = start;
		segs[nseg].len = len;
		nseg++;
	}
	for (size_t i = 0; i < nseg; i++) {
		if ((err = gws_buf_putc(out, '/')) < 0)
			goto cleanup;
		if ((err = gws_sigv4__uri_encode(out, segs[i].ptr, segs[i].len, 0)) < 0)
			goto cleanup;
	}
	if (nseg == 0 || gws_str_endswith(path, "/"))
		err = gws_buf_putc(out, '/');
cleanup:
	gws_free(segs);
	return err;
}

/* ---- canonical query --------------------------------------------------- */

typedef struct {
	char *key; /* encoded */
	char *value;
} qparam;

static int qparam_cmp(const void *a, const void *b)
{
	const qparam *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

/* Decode then RFC 3986-encode one component, so "a%20b" and "a b" sign the same. */
static char *encode_component(const char *s, size_t len)
{
	gws_buf raw = GWS_BUF_INIT(SIGV4_CAP), enc = GWS_BUF_INIT(SIGV4_CAP);
	char *res = NULL;
	if (uri_decode(&raw, s, len) < 0)
		goto cleanup;
	if (gws_buf_puts(&enc, "") < 0 ||
	    gws_sigv4__uri_encode(&enc, gws_buf_cstr(&raw), raw.size, 0) < 0)
		goto cleanup;
	res = gws_buf_take(&enc, NULL);
cleanup:
	gws_buf_dispose(&raw);
	gws_buf_dispose(&enc);
	return res;
}

int gws_sigv4__canonical_query(gws_buf *out, const char *query)
{
	gws_vec params = GWS_VEC_INIT;
	int err = 0;
	const char *p = query;

	if (query == NULL || *query == '\0')
		return 0;
	while (*p) {
		const char *start = p, *eq;
		qparam *qp;
		while (*p && *p != '&')
			p++;
		if (p == start) {
			p++;
			continue;
		}
		eq = memchr(start, '=', (size_t)(p - start));
		qp = gws_calloc(1, sizeof(*qp));
		if (qp == NULL) {
			err = GWS_ENOMEM;
			goto cleanup;
		}
		if ((err = gws_vec_push(&params, qp)) < 0) {
			gws_free(qp);
			goto cleanup;
		}
		qp->key = encode_component(start, (size_t)((eq ? eq : p) - start));
		qp->value = eq ? encode_component(eq + 1, (size_t)(p - eq - 1)) : gws_strdup("");
		if (qp->key == NULL || qp->value == NULL) {
			err = gws_error_last_code() ? gws_error_last_code() : GWS_ENOMEM;
			goto cleanup;
		}
		if (*p == '&')
			p++;
	}
	if ((err = gws_vec_sort(&params, qparam_cmp)) < 0)
		goto cleanup;
	for (size_t i = 0; i < params.len; i++) {
		const qparam *qp = params.items[i];
		if ((err = gws_buf_printf(out, "%s%s=%s", i ? "&" : "", qp->key, qp->value)) < 0)
			goto cleanup;
	}
cleanup:
	for (size_t i = 0; i < params.len; i++) {
		qparam *qp = params.items[i];
		gws_free(qp->key);
		gws_free(qp->value);
		gws_free(qp);
	}
	gws_vec_dispose(&params);
	return err;
}

/* ---- canonical headers ------------------------------------------------- */

typedef struct {
	char *name;  /* lower case */
	char *value; /* trimmed, inner whitespace collapsed */
} header;

static int header_cmp(const void *a, const void *b)
{
	return strcmp(((const header *)a)->name, ((const header *)b)->name);
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static header *header_new(const char *name, size_t nlen, const char *value)
{
	header *h = gws_calloc(1, sizeof(*h));
	gws_buf v = GWS_BUF_INIT(SIGV4_CAP);
	bool pending_space = false;

	if (h == NULL)
		return NULL;
	h->name = gws_strndup(name, nlen);
	if (h->name == NULL)
		goto fail;
	for (char *c = h->name; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (gws_buf_puts(&v, "") < 0)
		goto fail;
	for (const char *c = value; *c; c++) {
		if (is_ws(*c)) {
			pending_space = v.size > 0;
			continue;
		}
		if (pending_space && gws_buf_putc(&v, ' ') < 0)
			goto fail;
		pending_space = false;
		if (gws_buf_putc(&v, *c) < 0)
			goto fail;
	}
	h->value = gws_buf_take(&v, NULL);
	if (h->value == NULL)
		goto fail;
	return h;
fail:
	gws_buf_dispose(&v);
	gws_free(h->name);
	gws_free(h);
	return NULL;
}

static bool reserved_header(const char *lname)
{
	return strcmp(lname, "host") == 0 || strcmp(lname, "x-amz-date") == 0 ||
	       strcmp(lname, "x-amz-security-token") == 0 || strcmp(lname, "authorization") == 0;
}

static int push_header(gws_vec *hdrs, const char *name, size_t nlen, const char *value)
{
	header *h = header_new(name, nlen, value);
	int err;
	if (h == NULL)
		return gws_error_last_code() ? gws_error_last_code() : GWS_ENOMEM;
	if ((err = gws_vec_push(hdrs, h)) < 0) {
		gws_free(h->name);
		gws_free(h->value);
		gws_free(h);
	}
	return err;
}

static int collect_headers(gws_vec *hdrs, const gws_sigv4_request *req, const char *amz_date)
{
	int err;
	if ((err = push_header(hdrs, "host", 4, req->host)) < 0 ||
	    (err = push_header(hdrs, "x-amz-date", 10, amz_date)) < 0)
		return err;
	if (req->creds->session_token && *req->creds->session_token &&
	    (err = push_header(hdrs, "x-amz-security-token", 20, req->creds->session_token)) < 0)
		return err;
	for (const char *const *line = req->headers; line && *line; line++) {
		const char *colon = strchr(*line, ':');
		const char *name = *line;
		size_t nlen;
		char lname[32];
		if (colon == NULL || colon == name)
			return gws_error_set(GWS_EINVALID, "sigv4: malformed header line");
		nlen = (size_t)(colon - name);
		while (nlen > 0 && is_ws(name[nlen - 1]))
			nlen--;
		for (size_t i = 0; i < nlen; i++) {
			unsigned char c = (unsigned char)name[i];
			if (c <= ' ' || c >= 127)
				return gws_error_set(GWS_EINVALID, "sigv4: invalid header name");
		}
		if (nlen < sizeof(lname)) {
			for (size_t i = 0; i < nlen; i++)
				lname[i] = (char)tolower((unsigned char)name[i]);
			lname[nlen] = '\0';
			if (reserved_header(lname))
				continue;
		}
		if ((err = push_header(hdrs, name, nlen, colon + 1)) < 0)
			return err;
	}
	/* Stable: duplicates keep the order they were given in. */
	return gws_vec_sort(hdrs, header_cmp);
}

/* Appends the canonical header block to `creq` and the signed-header list to `signed_hdrs`. */
static int canonical_headers(gws_buf *creq, gws_buf *signed_hdrs, const gws_vec *hdrs)
{
	int err;
	for (size_t i = 0; i < hdrs->len;) {
		const header *h = hdrs->items[i];
		if ((err = gws_buf_printf(creq, "%s:%s", h->name, h->value)) < 0)
			return err;
		if ((err = gws_buf_printf(signed_hdrs, "%s%s", i ? ";" : "", h->name)) < 0)
			return err;
		for (i++; i < hdrs->len; i++) {
			const header *d = hdrs->items[i];
			if (strcmp(d->name, h->name) != 0)
				break;
			if ((err = gws_buf_printf(creq, ",%s", d->value)) < 0)
				return err;
		}
		if ((err = gws_buf_putc(creq, '\n')) < 0)
			return err;
	}
	return 0;
}

static void free_headers(gws_vec *hdrs)
{
	for (size_t i = 0; i < hdrs->len; i++) {
		header *h = hdrs->items[i];
		gws_free(h->name);
		gws_free(h->value);
		gws_free(h);
	}
	gws_vec_dispose(hdrs);
}

/* ---- signing ----------------------------------------------------------- */

static int check_request(const gws_sigv4_request *req)
{
	if (req == NULL || req->method == NULL || req->host == NULL || req->service == NULL ||
	    req->region == NULL || req->creds == NULL)
		return gws_error_set(GWS_EINVALID, "sigv4: incomplete request");
	if (req->creds->access_key_id == NULL || *req->creds->access_key_id == '\0' ||
	    req->creds->secret_access_key == NULL || *req->creds->secret_access_key == '\0')
		return gws_error_set(GWS_EINVALID,
		                     "sigv4: credentials lack a key id or secret key");
	if (req->body == NULL && req->body_len > 0)
		return gws_error_set(GWS_EINVALID, "sigv4: body length without a body");
	if (*req->host == '\0' || strpbrk(req->host, "\r\n /") != NULL)
		return gws_error_set(GWS_EINVALID, "sigv4: invalid host");
	if (strpbrk(req->region, "/\r\n") || strpbrk(req->service, "/\r\n") || !*req->region ||
	    !*req->service)
		return gws_error_set(GWS_EINVALID, "sigv4: invalid region or service");
	return 0;
}

static int derive_signature(char out[65], const gws_sigv4_request *req, const char *datestamp,
                            const char *string_to_sign)
{
	unsigned char k[GWS_SHA256_LEN];
	size_t slen = strlen(req->creds->secret_access_key);
	char *ksecret = gws_malloc(slen + 5);
	if (ksecret == NULL)
		return GWS_ENOMEM;
	memcpy(ksecret, "AWS4", 4);
	memcpy(ksecret + 4, req->creds->secret_access_key, slen + 1);
	gws_hmac_sha256(ksecret, slen + 4, datestamp, strlen(datestamp), k);
	gws_hmac_sha256(k, sizeof(k), req->region, strlen(req->region), k);
	gws_hmac_sha256(k, sizeof(k), req->service, strlen(req->service), k);
	gws_hmac_sha256(k, sizeof(k), "aws4_request", 12, k);
	gws_hmac_sha256(k, sizeof(k), string_to_sign, strlen(string_to_sign), k);
	gws_hex_encode(out, k, sizeof(k));
	OPENSSL_cleanse(ksecret, slen + 4);
	OPENSSL_cleanse(k, sizeof(k));
	gws_free(ksecret);
	return 0;
}

int gws_sigv4_sign(gws_sigv4_result *out, const gws_sigv4_request *req)
{
	gws_buf creq = GWS_BUF_INIT(SIGV4_CAP), sh = GWS_BUF_INIT(GWS_CAP_LINE);
	gws_buf sts = GWS_BUF_INIT(GWS_CAP_LINE), auth = GWS_BUF_INIT(GWS_CAP_LINE);
	gws_vec hdrs = GWS_VEC_INIT;
	unsigned char digest[GWS_SHA256_LEN];
	char hex[2 * GWS_SHA256_LEN + 1], datestamp[9];
	struct tm tm;
	int err;

	if (out == NULL)
		return gws_error_set(GWS_EINVALID, "sigv4: no result");
	memset(out, 0, sizeof(*out));
	if ((err = check_request(req)) < 0)
		return err;
	if (req->creds->session_token)
		gws_secret_register(
		        req->creds->session_token); /* it appears in canonical_request */
	if (gmtime_r(&req->when, &tm) == NULL ||
	    strftime(out->amz_date, sizeof(out->amz_date), "%Y%m%dT%H%M%SZ", &tm) != 16)
		return gws_error_set(GWS_EINVALID, "sigv4: signing time out of range");
	memcpy(datestamp, out->amz_date, 8);
	datestamp[8] = '\0';

	if ((err = collect_headers(&hdrs, req, out->amz_date)) < 0)
		goto cleanup;

	/* Canonical request. */
	if ((err = gws_buf_printf(&creq, "%s\n", req->method)) < 0 ||
	    (err = gws_sigv4__canonical_uri(&creq, req->path)) < 0 ||
	    (err = gws_buf_putc(&creq, '\n')) < 0 ||
	    (err = gws_sigv4__canonical_query(&creq, req->query)) < 0 ||
	    (err = gws_buf_putc(&creq, '\n')) < 0 ||
	    (err = canonical_headers(&creq, &sh, &hdrs)) < 0)
		goto cleanup;
	gws_sha256(req->body ? req->body : "", req->body_len, digest);
	gws_hex_encode(hex, digest, sizeof(digest));
	if ((err = gws_buf_printf(&creq, "\n%s\n%s", gws_buf_cstr(&sh), hex)) < 0)
		goto cleanup;

	/* String to sign. */
	gws_sha256(creq.ptr, creq.size, digest);
	gws_hex_encode(hex, digest, sizeof(digest));
	if ((err = gws_buf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s",
	                          out->amz_date, datestamp, req->region, req->service, hex)) < 0)
		goto cleanup;

	if ((err = derive_signature(out->signature, req, datestamp, gws_buf_cstr(&sts))) < 0)
		goto cleanup;
	if ((err = gws_buf_printf(&auth,
	                          "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, "
	                          "SignedHeaders=%s, Signature=%s",
	                          req->creds->access_key_id, datestamp, req->region, req->service,
	                          gws_buf_cstr(&sh), out->signature)) < 0)
		goto cleanup;

	out->canonical_request = gws_buf_take(&creq, NULL);
	out->string_to_sign = gws_buf_take(&sts, NULL);
	out->authorization = gws_buf_take(&auth, NULL);
	if (!out->canonical_request || !out->string_to_sign || !out->authorization)
		err = GWS_ENOMEM;
cleanup:
	free_headers(&hdrs);
	gws_buf_dispose(&creq);
	gws_buf_dispose(&sh);
	gws_buf_dispose(&sts);
	gws_buf_dispose(&auth);
	if (err < 0)
		gws_sigv4_result_dispose(out);
	return err;
}

void gws_sigv4_result_dispose(gws_sigv4_result *res)
{
	if (res == NULL)
		return;
	gws_free(res->authorization);
	gws_free(res->canonical_request);
	gws_free(res->string_to_sign);
	memset(res, 0, sizeof(*res));
}
