/*
 * Capped growable buffers for everything that comes from outside. The cap is
 * mandatory: a hostile peer or file can make a buffer fail, never make it
 * grow without bound.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gwsync/core.h"

void gws_buf_init(gws_buf *buf, size_t max)
{
	buf->ptr = NULL;
	buf->size = 0;
	buf->asize = 0;
	buf->max = max;
}

void gws_buf_dispose(gws_buf *buf)
{
	gws_free(buf->ptr);
	buf->ptr = NULL;
	buf->size = 0;
	buf->asize = 0;
}

void gws_buf_clear(gws_buf *buf)
{
	buf->size = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

const char *gws_buf_cstr(const gws_buf *buf)
{
	return buf->ptr ? buf->ptr : "";
}

/* Make room for `extra` more bytes plus the NUL; disposes the buffer on failure. */
static int buf_reserve(gws_buf *buf, size_t extra)
{
	size_t need, asize;
	char *p;

	if (extra > buf->max || buf->size > buf->max - extra) {
		gws_buf_dispose(buf);
		return gws_error_set(GWS_ETOOBIG, "data exceeds the limit of %zu bytes", buf->max);
	}
	need = buf->size + extra + 1;
	if (need <= buf->asize)
		return 0;
	asize = buf->asize ? buf->asize : 64;
	while (asize < need)
		asize = asize > SIZE_MAX / 2 ? need : asize * 2;
	p = gws_realloc(buf->ptr, asize);
	if (!p) {
		gws_buf_dispose(buf);
		return GWS_ENOMEM;
	}
	buf->ptr = p;
	buf->asize = asize;
	return 0;
}

int gws_buf_put(gws_buf *buf, const void *data, size_t len)
{
	int error;

	if ((error = buf_reserve(buf, len)) < 0)
		return error;
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int gws_buf_puts(gws_buf *buf, const char *str)
{
	return gws_buf_put(buf, str, strlen(str));
}

int gws_buf_putc(gws_buf *buf, char c)
{
	return gws_buf_put(buf, &c, 1);
}

int gws_buf_vprintf(gws_buf *buf, const char *fmt, va_list ap)
{
	va_list copy;
	int len, error;

	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0)
		return gws_error_set(GWS_EINVALID, "invalid format string");
	if ((error = buf_reserve(buf, (size_t)len)) < 0)
		return error;
	vsnprintf(buf->ptr + buf->size, (size_t)len + 1, fmt, ap);
	buf->size += (size_t)len;
	return 0;
}

int gws_buf_printf(gws_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = gws_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return error;
}

char *gws_buf_take(gws_buf *buf, size_t *len)
{
	char *p;

	if (!buf->ptr && gws_buf_put(buf, "", 0) < 0)
		return NULL;
	p = buf->ptr;
	if (len)
		*len = buf->size;
	buf->ptr = NULL;
	buf->size = 0;
	buf->asize = 0;
	return p;
}

int gws_buf_read_fd(gws_buf *buf, int fd, const char *name)
{
	char chunk[65536];
	struct stat st;
	ssize_t n;
	int error;

	/* Refuse early when the size is known, so a huge file costs nothing. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > buf->max)
		return gws_error_set(GWS_ETOOBIG, "%s: file is %lld bytes, over the limit of %zu",
		                     name, (long long)st.st_size, buf->max);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return gws_error_set_errno(GWS_EIO, name);
		}
		if ((error = gws_buf_put(buf, chunk, (size_t)n)) < 0) {
			if (error == GWS_ETOOBIG)
				gws_error_set(GWS_ETOOBIG,
				              "%s: file is over the limit of %zu bytes", name,
				              buf->max);
			return error;
		}
	}
	return buf->ptr ? 0 : gws_buf_put(buf, "", 0);
}

int gws_buf_read_file(gws_buf *buf, const char *path)
{
	int fd, error;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return gws_error_set_errno(errno == ENOENT ? GWS_ENOTFOUND : GWS_EIO, path);
	error = gws_buf_read_fd(buf, fd, path);
	close(fd);
	return error;
}
