/* SHA-256, HMAC-SHA256 and hex: used for SigV4 and for stable resource names. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>

#include "gwsync/core.h"

/*
 * OpenSSL 3 makes each EVP_Digest look the algorithm up and build a digest
 * context, three times the cost of hashing a short name (and the model names
 * every target group). The algorithm is fetched once and each thread keeps
 * one context, freed when the thread ends; on any failure the one-shot call
 * does the work.
 */
static EVP_MD *sha256_md;
static pthread_key_t sha256_key;
static bool sha256_key_ok;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void free_ctx(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void sha256_setup(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	sha256_key_ok = pthread_key_create(&sha256_key, free_ctx) == 0;
}

static EVP_MD_CTX *thread_ctx(void)
{
	EVP_MD_CTX *ctx;

	pthread_once(&sha256_once, sha256_setup);
	if (!sha256_md || !sha256_key_ok)
		return NULL;
	if ((ctx = pthread_getspecific(sha256_key)) != NULL)
		return ctx;
	if ((ctx = EVP_MD_CTX_new()) != NULL && pthread_setspecific(sha256_key, ctx) != 0) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

void gws_sha256(const void *data, size_t len, unsigned char out[GWS_SHA256_LEN])
{
	unsigned int outlen = GWS_SHA256_LEN;
	EVP_MD_CTX *ctx = thread_ctx();

	if (ctx && EVP_DigestInit_ex2(ctx, sha256_md, NULL) && EVP_DigestUpdate(ctx, data, len) &&
	    EVP_DigestFinal_ex(ctx, out, &outlen))
		return;
	EVP_Digest(data, len, out, &outlen, EVP_sha256(), NULL);
}

void gws_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                     unsigned char out[GWS_SHA256_LEN])
{
	unsigned int outlen = GWS_SHA256_LEN;

	HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &outlen);
}

void gws_hex_encode(char *out, const unsigned char *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}
