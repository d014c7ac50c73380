/*
 * The Mermaid flowchart of one stack: Gateway → listeners → rules → target
 * groups, as GitHub and GitLab render it in a ```mermaid block.
 *
 * Names come from manifests and must never change the diagram's structure or
 * leave the code block: node ids are generated (n1, n2, …), every label is a
 * double-quoted string whose text keeps only letters, digits and " -_./:,=+@"
 * as they are and writes every other character as a Mermaid entity (#34; for
 * '"'), so quotes, brackets, pipes, backticks, '%%' directives, '<', '&' and
 * line breaks are all inert. Nodes are declared first, then edges.
 */
#include "report/internal.h"

#include <string.h>

/* Past these, GitHub's renderer refuses a diagram (its edge and text limits). */
#define MAX_EDGES     400
#define MAX_TEXT      40000
#define MAX_LABEL_TXT 120 /* bytes of a rule's description in a node */

typedef struct {
	gws_buf nodes;
	gws_buf edges;
	size_t next_id;
	size_t n_edges;
	int error;
} chart;

static void note(chart *c, int error)
{
	if (error < 0 && !c->error)
		c->error = error;
}

/* Declares a node; returns its number. `open`/`close` give its shape. */
static size_t node(chart *c, const char *open, const char *label, const char *close)
{
	size_t id = ++c->next_id;
	note(c, gws_buf_printf(&c->nodes, "  n%zu%s\"", id, open));
	if (!c->error)
		note(c, gws_report__mermaid_text(&c->nodes, label));
	if (!c->error)
		note(c, gws_buf_printf(&c->nodes, "\"%s\n", close));
	return id;
}

static void edge(chart *c, size_t from, size_t to, const char *weight_label)
{
	c->n_edges++;
	if (weight_label)
		note(c, gws_buf_printf(&c->edges, "  n%zu -->|\"%s\"| n%zu\n", from, weight_label,
		                       to));
	else
		note(c, gws_buf_printf(&c->edges, "  n%zu --> n%zu\n", from, to));
}

/* Cuts a description to MAX_LABEL_TXT bytes on a character boundary. */
static void shorten(gws_buf *b)
{
	size_t cut = MAX_LABEL_TXT;
	if (b->size <= MAX_LABEL_TXT)
		return;
	while (cut > 0 && ((unsigned char)b->ptr[cut] & 0xc0) == 0x80)
		cut--;
	b->size = cut;
	b->ptr[cut] = '\0';
	if (gws_buf_puts(b, "\xe2\x80\xa6") < 0)
		return;
}

static void forward_edges(chart *c, const gws_model_stack *s, const size_t *tg_nodes, size_t from,
                          const gws_model_action *a, size_t n)
{
	char weight[32];
	for (size_t i = 0; i < n; i++) {
		if (a[i].type != GWS_MODEL_ACTION_FORWARD || !a[i].forward)
			continue;
		for (size_t k = 0; k < a[i].forward->n_target_groups; k++) {
			const gws_model_tg_tuple *t = &a[i].forward->target_groups[k];
			for (size_t j = 0; j < s->n_target_groups; j++) {
				if (strcmp(s->target_groups[j]->id, t->target_group_id) != 0)
					continue;
				snprintf(weight, sizeof(weight), "weight %d", t->weight);
				/* A weight only says something beside another one. */
				edge(c, from, tg_nodes[j],
				     t->has_weight && a[i].forward->n_target_groups > 1 ? weight
				                                                        : NULL);
			}
		}
	}
}

static bool forwards(const gws_model_action *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].type != GWS_MODEL_ACTION_FORWARD)
			return false;
	return n > 0;
}

static void rule_node(chart *c, const gws_model_stack *s, const size_t *tg_nodes, size_t lis,
                      const gws_model_rule *r)
{
	gws_buf text = GWS_BUF_INIT(GWS_CAP_LINE);
	size_t id;

	note(c, gws_buf_printf(&text, "%d: ", r->priority));
	if (!c->error)
		note(c, gws_report__describe_conditions(&text, r->conditions, r->n_conditions));
	/* Forwards show as edges; any other action is said in the node. */
	if (!c->error && !forwards(r->actions, r->n_actions)) {
		note(c, gws_buf_puts(&text, " \xe2\x86\x92 "));
		if (!c->error)
			note(c, gws_report__describe_actions(&text, s, r->actions, r->n_actions));
	}
	if (!c->error)
		shorten(&text);
	if (!c->error) {
		id = node(c, "[", gws_buf_cstr(&text), "]");
		edge(c, lis, id, NULL);
		forward_edges(c, s, tg_nodes, id, r->actions, r->n_actions);
	}
	gws_buf_dispose(&text);
}

static void build(chart *c, const gws_report__gateway *gw, const gws_model_stack *s,
                  size_t *tg_nodes)
{
	gws_buf text = GWS_BUF_INIT(GWS_CAP_LINE);
	const gws_model_status_condition *programmed = NULL;
	size_t g, i;

	for (i = 0; i < gw->conditions.n; i++)
		if (strcmp(gw->conditions.items[i].type, "Programmed") == 0)
			programmed = &gw->conditions.items[i];
	note(c, gws_buf_printf(&text, "Gateway %s", gw->key));
	g = node(c, "([", gws_buf_cstr(&text), "])");
	for (i = 0; i < s->n_target_groups && !c->error; i++) {
		const gws_model_target_group *tg = s->target_groups[i];
		gws_buf_clear(&text);
		note(c, gws_buf_printf(&text, "%s %s:%d", tg->name ? tg->name : tg->id,
		                       tg->protocol ? tg->protocol : "", tg->port));
		if (!c->error && tg->backend.name)
			note(c, gws_buf_printf(&text, " Service %s/%s:%d",
			                       tg->backend.namespace_ ? tg->backend.namespace_ : "",
			                       tg->backend.name, tg->backend.port));
		tg_nodes[i] = c->error ? 0 : node(c, "[", gws_buf_cstr(&text), "]");
	}
	for (i = 0; i < s->n_listeners && !c->error; i++) {
		const gws_model_listener *l = s->listeners[i];
		size_t lid;
		gws_buf_clear(&text);
		note(c, gws_buf_printf(&text, "%s:%d", l->protocol ? l->protocol : "", l->port));
		if (c->error)
			break;
		lid = node(c, "[", gws_buf_cstr(&text), "]");
		edge(c, g, lid, NULL);
		forward_edges(c, s, tg_nodes, lid, l->default_actions, l->n_default_actions);
		for (size_t k = 0; k < l->n_rules && !c->error; k++)
			rule_node(c, s, tg_nodes, lid, l->rules[k]);
	}
	if (!c->error && programmed && strcmp(programmed->status, "False") == 0)
		note(c, gws_buf_printf(&c->edges,
		                       "  classDef problem stroke:#c00,stroke-width:3px\n"
		                       "  class n%zu problem\n",
		                       g));
	gws_buf_dispose(&text);
}

int gws_report__mermaid(gws_buf *out, const gws_report__gateway *gw)
{
	const gws_model_stack *s = gw->status->stack;
	size_t *tg_nodes = NULL;
	chart c;
	int error;

	if (!s)
		return gws_buf_puts(out, "No load balancer is built for this Gateway, so there is "
		                         "no diagram (see Problems).\n");
	memset(&c, 0, sizeof(c));
	gws_buf_init(&c.nodes, GWS_CAP_DOCUMENT);
	gws_buf_init(&c.edges, GWS_CAP_DOCUMENT);
	tg_nodes = gws_calloc(s->n_target_groups + 1, sizeof(*tg_nodes));
	if (!tg_nodes) {
		error = GWS_ENOMEM;
		goto cleanup;
	}
	build(&c, gw, s, tg_nodes);
	if ((error = c.error) < 0)
		goto cleanup;
	if (c.n_edges > MAX_EDGES || c.nodes.size + c.edges.size > MAX_TEXT)
		error = gws_buf_printf(
		        out,
		        "The diagram is left out: with %zu nodes and %zu edges it is "
		        "larger than Git web interfaces render. The tables above hold "
		        "the same information.\n",
		        c.next_id, c.n_edges);
	else if ((error = gws_buf_puts(out, "```mermaid\nflowchart LR\n")) == 0 &&
	         (error = gws_buf_puts(out, gws_buf_cstr(&c.nodes))) == 0 &&
	         (error = gws_buf_puts(out, gws_buf_cstr(&c.edges))) == 0)
		error = gws_buf_puts(out, "```\n");
cleanup:
	gws_free(tg_nodes);
	gws_buf_dispose(&c.nodes);
	gws_buf_dispose(&c.edges);
	return error;
}
