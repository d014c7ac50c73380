/*
 * The plan as Markdown, for pull-request comments and job summaries: the
 * summary line, then per Gateway a table of changes with the fields that
 * differ. Every value comes from manifests or AWS: table cells are escaped
 * so that no name can break the table or inject HTML.
 */
#include <string.h>

#include "reconcile/internal.h"

static int cell(gws_buf *out, const char *s)
{
	int rc = 0;

	for (const char *p = s ? s : ""; *p && rc == 0; p++) {
		switch (*p) {
		case '|':
			rc = gws_buf_puts(out, "\\|");
			break;
		case '<':
			rc = gws_buf_puts(out, "&lt;");
			break;
		case '>':
			rc = gws_buf_puts(out, "&gt;");
			break;
		case '&':
			rc = gws_buf_puts(out, "&amp;");
			break;
		case '`':
			rc = gws_buf_puts(out, "&#96;");
			break;
		case '*':
		case '_':
		case '[':
		case ']':
		case '\\':
			rc = gws_buf_printf(out, "\\%c", *p);
			break;
		case '\n':
		case '\r':
		case '\t':
			rc = gws_buf_putc(out, ' ');
			break;
		default:
			rc = (unsigned char)*p < 0x20 ? gws_buf_putc(out, ' ')
			                              : gws_buf_putc(out, *p);
		}
	}
	return rc;
}

static const char *symbol(const gws_plan_change *c)
{
	switch (c->action) {
	case GWS_PLAN_CREATE:
		return "create";
	case GWS_PLAN_UPDATE:
		return "update";
	case GWS_PLAN_REPLACE:
		return "replace";
	case GWS_PLAN_DELETE:
		return "delete";
	}
	return "?";
}

static int details(gws_buf *out, const gws_plan_change *c)
{
	int rc = 0;

	if (c->reason) {
		rc = cell(out, c->reason);
		if (rc == 0 && c->n_fields)
			rc = gws_buf_puts(out, "<br>");
	}
	for (size_t i = 0; i < c->n_fields && rc == 0; i++) {
		const gws_plan_field *f = &c->fields[i];

		if (i)
			rc = gws_buf_puts(out, "<br>");
		if (rc == 0)
			rc = cell(out, f->path);
		if (rc == 0)
			rc = gws_buf_puts(out, ": ");
		if (rc == 0 && f->before) {
			rc = cell(out, f->before);
			if (rc == 0)
				rc = gws_buf_puts(out, f->after ? " → " : " (removed)");
		}
		if (rc == 0 && f->after)
			rc = cell(out, f->after);
	}
	if (rc == 0 && c->error) {
		rc = gws_buf_puts(out, "<br>**");
		if (rc == 0)
			rc = cell(out, gws_plan_state_name(c->state));
		if (rc == 0)
			rc = gws_buf_puts(out, "**: ");
		if (rc == 0)
			rc = cell(out, c->error);
	}
	return rc;
}

static int table(gws_buf *out, const gws_plan *p, size_t from, size_t to)
{
	int rc = gws_buf_puts(out, "| | Resource | Change |\n|---|---|---|\n");

	for (size_t i = from; i < to && rc == 0; i++) {
		const gws_plan_change *c = &p->changes[i];

		rc = gws_buf_printf(out, "| %s%s | ", c->drift ? "drift, " : "", symbol(c));
		if (rc == 0)
			rc = cell(out, gws_plan_kind_name(c->kind));
		if (rc == 0)
			rc = gws_buf_puts(out, " ");
		if (rc == 0)
			rc = cell(out, c->name && c->kind != GWS_PLAN_RULE ? c->name : c->id);
		if (rc == 0)
			rc = gws_buf_puts(out, " | ");
		if (rc == 0)
			rc = details(out, c);
		if (rc == 0)
			rc = gws_buf_puts(out, " |\n");
	}
	return rc;
}

int gws_plan_render_markdown(gws_buf *out, const gws_plan *p)
{
	size_t i = 0;
	int rc;

	rc = gws_buf_printf(out, "### gwsync %s: cluster ", p->dry_run ? "plan" : "sync");
	if (rc == 0)
		rc = cell(out, p->cluster);
	if (rc == 0 && p->shard.count > 1)
		rc = gws_buf_printf(out, ", shard %u/%u (%zu Gateway%s; %zu left to other shards)",
		                    p->shard.index, p->shard.count, p->shard_gateways,
		                    p->shard_gateways == 1 ? "" : "s", p->shard_skipped);
	if (rc == 0)
		rc = gws_buf_puts(out, "\n\n**");
	if (rc == 0)
		rc = gws_plan_summary_line(out, p);
	if (rc == 0)
		rc = gws_buf_puts(out, "**\n");
	while (rc == 0 && i < p->n_changes) {
		const char *stack = p->changes[i].stack;
		size_t j = i;

		while (j < p->n_changes && strcmp(p->changes[j].stack, stack) == 0)
			j++;
		rc = gws_buf_puts(out, "\n#### Gateway ");
		if (rc == 0)
			rc = cell(out, stack);
		if (rc == 0)
			rc = gws_buf_puts(out, "\n\n");
		if (rc == 0)
			rc = table(out, p, i, j);
		i = j;
	}
	if (rc == 0 && p->n_notes)
		rc = gws_buf_puts(out, "\n#### Notes\n\n");
	for (size_t k = 0; k < p->n_notes && rc == 0; k++) {
		rc = gws_buf_printf(out, "- %s", p->notes[k].error ? "**error** " : "");
		if (rc == 0 && p->notes[k].stack) {
			rc = cell(out, p->notes[k].stack);
			if (rc == 0)
				rc = gws_buf_puts(out, ": ");
		}
		if (rc == 0)
			rc = cell(out, p->notes[k].message);
		if (rc == 0)
			rc = gws_buf_putc(out, '\n');
	}
	for (size_t k = 0; k < p->n_guards && rc == 0; k++) {
		if (!p->guards[k].tripped)
			continue;
		rc = gws_buf_printf(out, "\n> **guard %s**: ", p->guards[k].name);
		if (rc == 0)
			rc = cell(out, p->guards[k].message);
		if (rc == 0)
			rc = gws_buf_putc(out, '\n');
	}
	return rc;
}
