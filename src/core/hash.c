/* SHA-256, HMAC-SHA256 and hex: used for SigV4 and for stable resource names. */
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "gwsync/core.h"

void gws_sha256(const void *data, size_t len, unsigned char out[GWS_SHA256_LEN])
{
	unsigned int outlen = GWS_SHA256_LEN;

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
