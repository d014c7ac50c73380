/*
 * The secret registry: credentials and tokens are registered as soon as they
 * are read, and every line gwsync prints or logs is scrubbed of them before
 * it is written (core/print.c). This is the second line of defence behind
 * "never print secrets".
 */
#include <pthread.h>
#include <string.h>

#include "core/secret.h"
#include "gwsync/core.h"

#define SECRET_MIN_LEN 4
#define SECRET_MAX     256

static char *secrets[SECRET_MAX];
static size_t nsecrets;
static pthread_mutex_t secret_lock = PTHREAD_MUTEX_INITIALIZER;

int gws_secret_register(const char *secret)
{
	int error = 0;

	if (!secret || strlen(secret) < SECRET_MIN_LEN)
		return 0;
	pthread_mutex_lock(&secret_lock);
	for (size_t i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], secret) == 0)
			goto cleanup;
	if (nsecrets == SECRET_MAX) {
		/* Forget the oldest: rotated credentials replace older ones. */
		gws_free(secrets[0]);
		memmove(secrets, secrets + 1, (SECRET_MAX - 1) * sizeof(*secrets));
		nsecrets--;
	}
	if (!(secrets[nsecrets] = gws_strdup(secret)))
		error = GWS_ENOMEM;
	else
		nsecrets++;
cleanup:
	pthread_mutex_unlock(&secret_lock);
	return error;
}

void gws_secret_forget_all(void)
{
	pthread_mutex_lock(&secret_lock);
	for (size_t i = 0; i < nsecrets; i++)
		gws_free(secrets[i]);
	nsecrets = 0;
	pthread_mutex_unlock(&secret_lock);
}

/* Replace each occurrence of `s` in buf from `start` on with "****" (never
 * longer than s: the registry ignores shorter secrets). Not strstr: a line
 * may hold a NUL, and what follows it is printed too. */
static char *find(char *hay, size_t n, const char *s, size_t slen)
{
	char *end = hay + n, *p = hay;

	while ((size_t)(end - p) >= slen && (p = memchr(p, s[0], (size_t)(end - p) - slen + 1))) {
		if (memcmp(p, s, slen) == 0)
			return p;
		p++;
	}
	return NULL;
}

static void scrub_one(gws_buf *buf, size_t start, const char *s)
{
	size_t slen = strlen(s);
	char *r = buf->ptr + start, *w = r, *end = buf->ptr + buf->size, *hit;

	while ((hit = find(r, (size_t)(end - r), s, slen)) != NULL) {
		memmove(w, r, (size_t)(hit - r));
		w += hit - r;
		memcpy(w, "****", 4);
		w += 4;
		r = hit + slen;
	}
	if (w == r)
		return;
	memmove(w, r, (size_t)(end - r));
	w += end - r;
	*w = '\0';
	buf->size = (size_t)(w - buf->ptr);
}

int gws_secret__scrub_from(gws_buf *buf, size_t start)
{
	if (!buf->ptr || start >= buf->size)
		return 0;
	pthread_mutex_lock(&secret_lock);
	for (size_t i = 0; i < nsecrets; i++)
		scrub_one(buf, start, secrets[i]);
	pthread_mutex_unlock(&secret_lock);
	return 0;
}

int gws_secret_scrub(gws_buf *buf)
{
	return gws_secret__scrub_from(buf, 0);
}

bool gws_secret_any(void)
{
	bool any;

	pthread_mutex_lock(&secret_lock);
	any = nsecrets > 0;
	pthread_mutex_unlock(&secret_lock);
	return any;
}
