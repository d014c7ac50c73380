/*
 * The plan as text for people: one block per Gateway, one line per change
 * with its symbol (+ create, ~ update, -/+ replace, - delete, ! drift),
 * the fields that differ as "before -> after", notes and guards, and the
 * summary line (docs/plan.md).
 */
#include <string.h>

#include "reconcile/internal.h"

#define C_RESET  "\033[0m"
#define C_GREEN  "\033[32m"
#define C_YELLOW "\033[33m"
#define C_RED    "\033[31m"
#define C_MAGENT "\033[35m"
#define C_BOLD   "\033[1m"

static const char *symbol(gws_plan_action a)
{
	switch (a) {
	case GWS_PLAN_CREATE:
		return "+";
	case GWS_PLAN_UPDATE:
		return "~";
	case GWS_PLAN_REPLACE:
		return "-/+";
	case GWS_PLAN_DELETE:
		return "-";
	}
	return "?";
}

static const char *colour(gws_plan_action a)
{
	switch (a) {
	case GWS_PLAN_CREATE:
		return C_GREEN;
	case GWS_PLAN_UPDATE:
		return C_YELLOW;
	case GWS_PLAN_REPLACE:
		return C_MAGENT;
	case GWS_PLAN_DELETE:
		return C_RED;
	}
	return "";
}

/* The part of the address after the stack: "listener 443 rule 2". */
static const char *local_address(const gws_plan_change *c)
{
	size_t n = strlen(c->stack);

	if (strncmp(c->address, c->stack, n) == 0 && c->address[n] == ' ')
		return c->address + n + 1;
	return c->address;
}

int gws_plan_summary_line(gws_buf *out, const gws_plan *p)
{
	const gws_plan_summary *s = &p->summary;
	int rc =
	        gws_buf_printf(out,
	                       "Plan: %zu to create, %zu to update, %zu to replace, %zu to delete; "
	                       "%zu drifted",
	                       s->create, s->update, s->replace, s->delete_, s->drift);

	if (rc == 0 && (s->failed || s->skipped))
		rc = gws_buf_printf(out, "; %zu failed, %zu not attempted", s->failed, s->skipped);
	return rc < 0 ? rc : gws_buf_puts(out, ".");
}

/*
 * A value inside a line: names, values and messages come from manifests and
 * from AWS, and none may start a line of its own (a forged "Plan: ..." line
 * in a pull-request comment) or carry a terminal escape. gws_escape shows
 * such characters as \n, \r, \u001b, ...
 */
static int put(gws_buf *out, const char *s)
{
	return s ? gws_escape(out, s, strlen(s)) : 0;
}

/* "<lead><a><mid><b><tail>" with a and b escaped (either may be NULL). */
static int put2(gws_buf *out, const char *lead, const char *a, const char *mid, const char *b,
                const char *tail)
{
	int rc = gws_buf_puts(out, lead);

	if (rc == 0)
		rc = put(out, a);
	if (rc == 0 && mid)
		rc = gws_buf_puts(out, mid);
	if (rc == 0)
		rc = put(out, b);
	return rc < 0 ? rc : gws_buf_puts(out, tail);
}

static int render_field(gws_buf *out, const gws_plan_field *f)
{
	if (f->before && f->after) {
		int rc = put2(out, "      ", f->path, ": ", f->before, " -> ");

		return rc < 0 ? rc : put2(out, "", f->after, NULL, NULL, "\n");
	}
	if (f->after)
		return put2(out, "      ", f->path, ": ", f->after, "\n");
	return put2(out, "      ", f->path, ": ", f->before, " (removed)\n");
}

static int render_change(gws_buf *out, const gws_plan_change *c, bool color)
{
	const char *on = color ? colour(c->action) : "", *off = color ? C_RESET : "";
	bool named = c->name && c->kind != GWS_PLAN_RULE && !strstr(c->address, c->name);
	int rc;

	rc = gws_buf_printf(out, "  %s%s%s%s ", c->drift ? (color ? C_BOLD "!" C_RESET : "!") : "",
	                    c->drift ? " " : "", on, symbol(c->action));
	if (rc == 0)
		rc = put2(out, "", local_address(c), named ? " " : NULL, named ? c->name : NULL,
		          off);
	if (rc == 0 && c->drift)
		rc = gws_buf_puts(out, " (changed outside gwsync)");
	if (rc == 0 && c->state != GWS_PLAN_PENDING)
		rc = put2(out, " [", gws_plan_state_name(c->state), c->error ? ": " : NULL,
		          c->error, "]");
	if (rc == 0)
		rc = gws_buf_putc(out, '\n');
	if (rc == 0 && c->reason)
		rc = put2(out, "      # ", c->reason, NULL, NULL, "\n");
	for (size_t i = 0; i < c->n_fields && rc == 0; i++)
		rc = render_field(out, &c->fields[i]);
	return rc;
}

static int render_notes(gws_buf *out, const gws_plan *p, const char *stack)
{
	int rc = 0;

	for (size_t i = 0; i < p->n_notes && rc == 0; i++)
		if (p->notes[i].stack && strcmp(p->notes[i].stack, stack) == 0)
			rc = put2(out, "  ", p->notes[i].error ? "error" : "note", ": ",
			          p->notes[i].message, "\n");
	return rc;
}

/* Every stack that has a change or a note, in order. */
static int render_stacks(gws_buf *out, const gws_plan *p, bool color)
{
	const char *prev = NULL;
	size_t ci = 0, ni = 0;
	int rc = 0;

	while (rc == 0 && (ci < p->n_changes || ni < p->n_notes)) {
		const char *a = ci < p->n_changes ? p->changes[ci].stack : NULL;
		const char *b = ni < p->n_notes ? p->notes[ni].stack : NULL;
		const char *stack = !a ? b : !b ? a : strcmp(a, b) <= 0 ? a : b;

		if (!stack) { /* a note about no stack */
			ni++;
			continue;
		}
		if (!prev || strcmp(prev, stack) != 0) {
			rc = gws_buf_printf(out, "\n%sGateway ", color ? C_BOLD : "");
			if (rc == 0)
				rc = put2(out, "", stack, NULL, NULL, color ? C_RESET "\n" : "\n");
			for (size_t i = ci;
			     rc == 0 && i < p->n_changes && strcmp(p->changes[i].stack, stack) == 0;
			     i++)
				rc = render_change(out, &p->changes[i], color);
			if (rc == 0)
				rc = render_notes(out, p, stack);
			prev = stack;
		}
		while (ci < p->n_changes && strcmp(p->changes[ci].stack, stack) == 0)
			ci++;
		while (ni < p->n_notes && p->notes[ni].stack &&
		       strcmp(p->notes[ni].stack, stack) == 0)
			ni++;
	}
	return rc;
}

int gws_plan_render_text(gws_buf *out, const gws_plan *p, bool color)
{
	int rc;

	rc = gws_buf_printf(out, "gwsync %s for cluster %s%s%s%s%s\n",
	                    p->dry_run ? "plan (dry run)" : "sync", p->cluster,
	                    p->region ? ", " : "", p->region ? p->region : "",
	                    p->vpc_id ? ", " : "", p->vpc_id ? p->vpc_id : "");
	if (rc == 0 && p->shard.count > 1)
		rc = gws_buf_printf(
		        out,
		        "shard %u/%u: %zu Gateway%s of the manifests, %zu left to other "
		        "shards\n",
		        p->shard.index, p->shard.count, p->shard_gateways,
		        p->shard_gateways == 1 ? "" : "s", p->shard_skipped);
	if (rc == 0 && !p->n_changes && !p->n_notes)
		rc = gws_buf_puts(out, "\nNo changes: AWS matches the manifests.\n");
	if (rc == 0)
		rc = render_stacks(out, p, color);
	for (size_t i = 0; i < p->n_notes && rc == 0; i++)
		if (!p->notes[i].stack)
			rc = put2(out, "\n", p->notes[i].error ? "error" : "note", ": ",
			          p->notes[i].message, "\n");
	for (size_t i = 0; i < p->n_guards && rc == 0; i++)
		if (p->guards[i].tripped)
			rc = put2(out, "\nguard ", p->guards[i].name, ": ", p->guards[i].message,
			          "\n");
	if (rc == 0)
		rc = gws_buf_putc(out, '\n');
	if (rc == 0)
		rc = gws_plan_summary_line(out, p);
	return rc < 0 ? rc : gws_buf_putc(out, '\n');
}
