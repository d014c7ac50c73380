/*
 * Diagnostics: the user-fixable problems of a run (bad manifests, model
 * conflicts), kept apart from operational errors. All of them are collected
 * so one run reports every problem, then sorted so the output does not
 * depend on the order files were read in.
 */
#include <stdlib.h>
#include <string.h>

#include "gwsync/core.h"

void gws_diag_list_init(gws_diag_list *list)
{
	memset(list, 0, sizeof(*list));
}

static void diag_dispose(gws_diag *d)
{
	gws_free(d->file);
	gws_free(d->object);
	gws_free(d->field);
	gws_free(d->message);
}

void gws_diag_list_dispose(gws_diag_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		diag_dispose(&list->items[i]);
	gws_free(list->items);
	gws_diag_list_init(list);
}

static int dup_opt(char **out, const char *s)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = gws_strdup(s);
	return *out ? 0 : GWS_ENOMEM;
}

static int diag_make(gws_diag *d, gws_diag_severity sev, const char *file, unsigned line,
                     unsigned column, const char *object, const char *field, const char *fmt,
                     va_list ap) GWS_PRINTF(8, 0);

static int diag_make(gws_diag *d, gws_diag_severity sev, const char *file, unsigned line,
                     unsigned column, const char *object, const char *field, const char *fmt,
                     va_list ap)
{
	gws_buf msg = GWS_BUF_INIT(GWS_CAP_LINE);
	int error;

	memset(d, 0, sizeof(*d));
	d->severity = sev;
	d->line = line;
	d->column = column;
	if ((error = gws_buf_vprintf(&msg, fmt, ap)) < 0 && error != GWS_ETOOBIG)
		goto cleanup;
	if (error == GWS_ETOOBIG)
		error = gws_buf_puts(&msg, "(message too long)");
	if (error < 0)
		goto cleanup;
	d->message = gws_buf_take(&msg, NULL);
	if (!d->message || (error = dup_opt(&d->file, file)) < 0 ||
	    (error = dup_opt(&d->object, object)) < 0 || (error = dup_opt(&d->field, field)) < 0)
		error = GWS_ENOMEM;
cleanup:
	gws_buf_dispose(&msg);
	if (error < 0)
		diag_dispose(d);
	return error;
}

int gws_diag_add(gws_diag_list *list, gws_diag_severity sev, const char *file, unsigned line,
                 unsigned column, const char *object, const char *field, const char *fmt, ...)
{
	va_list ap;
	int error;

	if (sev == GWS_DIAG_ERROR)
		list->errors++;
	else
		list->warnings++;
	if (list->count >= GWS_DIAG_MAX) {
		list->dropped++;
		return 0;
	}
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		gws_diag *items = gws_reallocarray(list->items, cap, sizeof(*items));

		if (!items)
			return GWS_ENOMEM;
		list->items = items;
		list->cap = cap;
	}
	va_start(ap, fmt);
	error = diag_make(&list->items[list->count], sev, file, line, column, object, field, fmt,
	                  ap);
	va_end(ap);
	if (error < 0)
		return error;
	list->count++;
	return 0;
}

static int diag_cmp(const void *pa, const void *pb)
{
	const gws_diag *a = pa, *b = pb;
	int c;

	if ((c = gws_strcmp_null(a->file, b->file)) != 0)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity < b->severity ? -1 : 1;
	if ((c = gws_strcmp_null(a->object, b->object)) != 0)
		return c;
	if ((c = gws_strcmp_null(a->field, b->field)) != 0)
		return c;
	return gws_strcmp_null(a->message, b->message);
}

void gws_diag_list_sort(gws_diag_list *list)
{
	size_t i, kept = 0;

	if (list->count < 2)
		return;
	gws_qsort(list->items, list->count, sizeof(*list->items), diag_cmp);
	for (i = 0; i < list->count; i++) {
		if (kept && diag_cmp(&list->items[kept - 1], &list->items[i]) == 0) {
			if (list->items[i].severity == GWS_DIAG_ERROR)
				list->errors--;
			else
				list->warnings--;
			diag_dispose(&list->items[i]);
			continue;
		}
		list->items[kept++] = list->items[i];
	}
	list->count = kept;
}

/* Appends an untrusted part of a diagnostic escaped (a file name or a
 * quoted value may hold a newline or a terminal escape sequence). */
static int put_escaped(gws_buf *out, const char *s)
{
	return gws_escape(out, s, strlen(s));
}

int gws_diag_format(gws_buf *out, const gws_diag *d)
{
	int error = 0;

	if (d->file) {
		if ((error = put_escaped(out, d->file)) < 0)
			return error;
		if (d->line && d->column)
			error = gws_buf_printf(out, ":%u:%u: ", d->line, d->column);
		else if (d->line)
			error = gws_buf_printf(out, ":%u: ", d->line);
		else
			error = gws_buf_puts(out, ": ");
	}
	if (!error && d->severity == GWS_DIAG_WARNING)
		error = gws_buf_puts(out, "warning: ");
	if (!error && d->object && !(error = put_escaped(out, d->object)))
		error = gws_buf_puts(out, ": ");
	if (!error && d->field && !(error = put_escaped(out, d->field)))
		error = gws_buf_puts(out, ": ");
	if (!error)
		error = put_escaped(out, d->message ? d->message : "");
	return error;
}

/* Moves from->items[0..n), n > 0, to the end of `to`. */
static int take_items(gws_diag_list *to, gws_diag_list *from, size_t n)
{
	if (to->count + n > to->cap) {
		gws_diag *items = gws_reallocarray(to->items, to->count + n, sizeof(*items));
		if (!items)
			return GWS_ENOMEM;
		to->items = items;
		to->cap = to->count + n;
	}
	memcpy(to->items + to->count, from->items, n * sizeof(*from->items));
	to->count += n;
	from->count -= n;
	memmove(from->items, from->items + n, from->count * sizeof(*from->items));
	return 0;
}

int gws_diag_list_move(gws_diag_list *to, gws_diag_list *from)
{
	size_t room = to->count < GWS_DIAG_MAX ? GWS_DIAG_MAX - to->count : 0;
	size_t n = from->count < room ? from->count : room;

	if (n && take_items(to, from, n) < 0)
		return GWS_ENOMEM;
	to->errors += from->errors;
	to->warnings += from->warnings;
	to->dropped += from->dropped + from->count; /* the rest is over the cap */
	from->errors = from->warnings = from->dropped = 0;
	return 0;
}
