/*
 * ssh host keys, checked against a known_hosts file as OpenSSH reads it
 * (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"):
 *
 *   [@revoked] patterns keytype base64-key [comment]
 *
 * patterns is a comma-separated list of host names ("host", "[host]:port"
 * for a port other than 22, * and ? wildcards, "!" to negate) or one
 * hashed name "|1|base64(salt)|base64(HMAC-SHA1(salt, name))". The key
 * blob of a line is compared with the blob the server sent, which names its
 * type itself. @cert-authority lines are skipped: gwsync does not verify
 * host certificates, so such a host must be listed by key.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "source/source_int.h"

/* A known_hosts file of a million lines is not one. */
#define KNOWN_HOSTS_CAP (16u * 1024 * 1024)
#define MAX_KEY_BLOB    16384

typedef enum { NO_MATCH, MATCH, NEGATED } host_match;

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Strict base64 (padding optional); -1 on a bad character or overflow. */
static long b64_decode(unsigned char *out, size_t cap, const char *in, size_t len)
{
	size_t n = 0;
	unsigned acc = 0;
	int bits = 0;

	while (len && in[len - 1] == '=')
		len--;
	for (size_t i = 0; i < len; i++) {
		int v = b64_value((unsigned char)in[i]);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= cap)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return (long)n;
}

/* fnmatch-like: * and ? only, as OpenSSH's match_pattern. */
static bool glob(const char *p, size_t plen, const char *s)
{
	if (plen == 0)
		return *s == '\0';
	if (*p == '*') {
		for (;; s++) {
			if (glob(p + 1, plen - 1, s))
				return true;
			if (!*s)
				return false;
		}
	}
	if (!*s)
		return false;
	if (*p != '?' && *p != *s)
		return false;
	return glob(p + 1, plen - 1, s + 1);
}

static bool hashed_match(const char *field, size_t len, const char *name)
{
	unsigned char salt[64], want[64], got[EVP_MAX_MD_SIZE];
	unsigned int got_len = 0;
	const char *s = field + 3, *bar = memchr(s, '|', len - 3);
	long salt_len, want_len;

	if (!bar)
		return false;
	salt_len = b64_decode(salt, sizeof(salt), s, (size_t)(bar - s));
	want_len = b64_decode(want, sizeof(want), bar + 1, (size_t)(field + len - bar - 1));
	if (salt_len <= 0 || want_len != 20)
		return false;
	if (!HMAC(EVP_sha1(), salt, (int)salt_len, (const unsigned char *)name, strlen(name), got,
	          &got_len) ||
	    got_len != 20)
		return false;
	return memcmp(got, want, 20) == 0;
}

/* Whether the patterns field names `name` ("host" or "[host]:port"). */
static host_match match_hosts(const char *field, size_t len, const char *name)
{
	host_match m = NO_MATCH;

	if (len > 3 && strncmp(field, "|1|", 3) == 0)
		return hashed_match(field, len, name) ? MATCH : NO_MATCH;
	for (const char *p = field; p < field + len;) {
		size_t n = (size_t)(field + len - p);
		const char *comma = memchr(p, ',', n);
		size_t plen = comma ? (size_t)(comma - p) : n;
		bool neg = plen && *p == '!';

		/* Host names compare case-insensitively: names are lower case here. */
		char pat[512];

		if (plen - neg < sizeof(pat)) {
			for (size_t i = 0; i < plen - neg; i++) {
				char c = p[neg + i];

				pat[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
			}
			if (glob(pat, plen - neg, name)) {
				if (neg)
					return NEGATED;
				m = MATCH;
			}
		}
		p += plen + (comma ? 1 : 0);
	}
	return m;
}

typedef struct {
	const char *name;
	const unsigned char *key;
	size_t key_len;
	bool host_seen, key_seen, revoked;
} check;

static void check_line(check *c, const char *line, size_t len)
{
	const char *f[4];
	size_t fl[4], nf = 0;
	bool revoked = false;
	unsigned char blob[MAX_KEY_BLOB];
	long blob_len;
	host_match m;

	for (const char *p = line, *end = line + len; p < end && nf < 4;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end || (*p == '#' && nf == 0))
			break;
		f[nf] = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		fl[nf] = (size_t)(p - f[nf]);
		if (nf == 0 && f[0][0] == '@') {
			if (fl[0] == 8 && strncmp(f[0], "@revoked", 8) == 0)
				revoked = true;
			else
				return; /* @cert-authority or unknown marker */
			continue;
		}
		nf++;
	}
	if (nf < 3)
		return;
	if ((m = match_hosts(f[0], fl[0], c->name)) != MATCH)
		return;
	blob_len = b64_decode(blob, sizeof(blob), f[2], fl[2]);
	if (blob_len <= 0)
		return;
	if (revoked) {
		if ((size_t)blob_len == c->key_len && memcmp(blob, c->key, c->key_len) == 0)
			c->revoked = true;
		return;
	}
	c->host_seen = true;
	if ((size_t)blob_len == c->key_len && memcmp(blob, c->key, c->key_len) == 0)
		c->key_seen = true;
}

static int fingerprint(char *out, size_t cap, const unsigned char *key, size_t len)
{
	unsigned char digest[GWS_SHA256_LEN];
	int n;

	gws_sha256(key, len, digest);
	n = EVP_EncodeBlock((unsigned char *)out, digest, GWS_SHA256_LEN);
	if (n <= 0 || (size_t)n >= cap)
		return -1;
	while (n > 0 && out[n - 1] == '=')
		n--;
	out[n] = '\0';
	return 0;
}

int gws_source__known_host(const char *file, const char *host, unsigned port,
                           const unsigned char *key, size_t key_len)
{
	gws_buf text = GWS_BUF_INIT(KNOWN_HOSTS_CAP);
	char name[300], fp[64], *def = NULL;
	check c = {name, key, key_len, false, false, false};
	int error = 0;

	if (!file) {
		const char *home = getenv("HOME");

		if (!home || !*home)
			return gws_error_set(GWS_EAUTH,
			                     "no known_hosts file to check the ssh host "
			                     "key of %s against: set --ssh-known-hosts",
			                     host);
		if (!(def = gws_asprintf("%s/.ssh/known_hosts", home)))
			return GWS_ENOMEM;
		file = def;
	}
	/* The name known_hosts lists: "host", or "[host]:port" off port 22. */
	if (strlen(host) > 255)
		return gws_error_set(GWS_EAUTH, "ssh host name too long");
	snprintf(name, sizeof(name), port != 22 ? "[%s]:%u" : "%s", host, port);
	for (char *p = name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (fingerprint(fp, sizeof(fp), key, key_len) < 0)
		snprintf(fp, sizeof(fp), "?");
	if (gws_buf_read_file(&text, file) < 0) {
		error = gws_error_set(
		        GWS_EAUTH,
		        "cannot check the ssh host key of %s (SHA256:%s): known_hosts "
		        "file %s: %s",
		        name, fp, file, gws_error_last());
		goto cleanup;
	}
	for (const char *p = gws_buf_cstr(&text); *p;) {
		size_t n = strcspn(p, "\n");

		check_line(&c, p, n && p[n - 1] == '\r' ? n - 1 : n);
		p += n + (p[n] ? 1 : 0);
	}
	if (c.revoked)
		error = gws_error_set(GWS_EAUTH,
		                      "the ssh host key of %s (SHA256:%s) is revoked in %s", name,
		                      fp, file);
	else if (c.key_seen)
		error = 0;
	else if (c.host_seen)
		error = gws_error_set(GWS_EAUTH,
		                      "the ssh host key of %s (SHA256:%s) differs from the key %s "
		                      "lists for it: refused (the host was re-keyed, or someone is "
		                      "in the middle)",
		                      name, fp, file);
	else
		error = gws_error_set(GWS_EAUTH,
		                      "the ssh host %s (key SHA256:%s) is not in %s: refused; add "
		                      "its verified key there (or give --ssh-known-hosts)",
		                      name, fp, file);
cleanup:
	gws_buf_dispose(&text);
	gws_free(def);
	return error;
}
