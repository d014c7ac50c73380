/*
 * The secret registry: credentials and tokens are registered as soon as they
 * are read, and every log line and report is scrubbed of them before it is
 * written. This is the second line of defence behind "never print secrets".
 */
#include <pthread.h>
#include <string.h>

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

/* Replace each occurrence of `s` in buf with "****" (never longer than s). */
static void scrub_one(gws_buf *buf, const char *s)
{
	size_t slen = strlen(s);
	char *hit, *w;
	const char *r;

	if (!buf->ptr || !strstr(buf->ptr, s))
		return;
	for (r = buf->ptr, w = buf->ptr; (hit = strstr(r, s)) != NULL; r = hit + slen) {
		size_t keep = (size_t)(hit - r);

		memmove(w, r, keep);
		w += keep;
		memcpy(w, "****", 4);
		w += 4;
	}
	memmove(w, r, strlen(r) + 1);
	buf->size = strlen(buf->ptr);
}

int gws_secret_scrub(gws_buf *buf)
{
	pthread_mutex_lock(&secret_lock);
	for (size_t i = 0; i < nsecrets; i++)
		scrub_one(buf, secrets[i]);
	pthread_mutex_unlock(&secret_lock);
	return 0;
}
