/*
 * The last-error slot: one message per thread, set where a failure is
 * detected and read where it is reported. Callers propagate codes and never
 * stack "failed to ..." prefixes onto the message.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/secret.h"
#include "gwsync/core.h"

#define ERROR_MSG_MAX 1024
/* A message is formatted whole, scrubbed, then cut to ERROR_MSG_MAX: cut
 * first, a secret quoted near the end would survive in part. */
#define ERROR_FORMAT_MAX (16 * 1024)

static _Thread_local char last_message[ERROR_MSG_MAX];
static _Thread_local int last_code;

int gws_error_setv(int code, const char *fmt, va_list ap)
{
	char msg[ERROR_FORMAT_MAX];
	gws_buf view;
	char *nl;
	int n;

	/* Format aside first: callers may pass gws_error_last() as an argument
	 * ("...: %s", gws_error_last()), which would otherwise alias the output. */
	if ((n = vsnprintf(msg, sizeof(msg), fmt, ap)) < 0)
		msg[0] = '\0';
	view.ptr = msg;
	view.size = n < 0 ? 0 : (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	view.asize = view.max = sizeof(msg);
	gws_secret__scrub_from(&view, 0); /* only ever shrinks: msg stays where it is */
	n = (int)strlen(msg);
	if (n >= ERROR_MSG_MAX) {
		/* Cut at a character boundary, not inside a UTF-8 sequence. */
		n = ERROR_MSG_MAX - 1;
		while (n > 0 && ((unsigned char)msg[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(last_message, msg, (size_t)n);
	last_message[n] = '\0';
	/* One line only: a message is embedded in logs and diagnostics. */
	while ((nl = strpbrk(last_message, "\r\n")) != NULL)
		*nl = ' ';
	last_code = code;
	return code;
}

int gws_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gws_error_setv(code, fmt, ap);
	va_end(ap);
	return code;
}

int gws_error_set_errno(int code, const char *what)
{
	int saved = errno;

	return gws_error_set(code, "%s: %s", what, strerror(saved));
}

const char *gws_error_last(void)
{
	return last_message;
}

int gws_error_last_code(void)
{
	return last_code;
}

void gws_error_clear(void)
{
	last_message[0] = '\0';
	last_code = GWS_OK;
}

const char *gws_error_name(int code)
{
	switch (code) {
	case GWS_OK:
		return "OK";
	case GWS_ERROR:
		return "ERROR";
	case GWS_ENOMEM:
		return "ENOMEM";
	case GWS_ENOTFOUND:
		return "ENOTFOUND";
	case GWS_EINVALID:
		return "EINVALID";
	case GWS_ETOOBIG:
		return "ETOOBIG";
	case GWS_ECONFLICT:
		return "ECONFLICT";
	case GWS_ETHROTTLED:
		return "ETHROTTLED";
	case GWS_EAUTH:
		return "EAUTH";
	case GWS_ETIMEOUT:
		return "ETIMEOUT";
	case GWS_EUNKNOWN_OUTCOME:
		return "EUNKNOWN_OUTCOME";
	case GWS_EIO:
		return "EIO";
	case GWS_ELOCKED:
		return "ELOCKED";
	case GWS_ENETWORK:
		return "ENETWORK";
	case GWS_EREMOTE:
		return "EREMOTE";
	default:
		return "EUNKNOWN";
	}
}
