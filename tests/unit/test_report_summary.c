/*
 * SUMMARY.md for a repository whose names and match values try to break it
 * (tests/report/hostile/all.yaml): its tables keep their columns, nothing
 * becomes HTML or code, and the Mermaid diagram is well formed: declared
 * nodes with generated ids, edges between declared nodes, labels that only
 * hold inert characters and entities and decode back to the names.
 * (tests/report/mermaid-check.sh also runs Mermaid's own parser on it.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <regex.h>
#include <unistd.h>

#include "gwsync/report.h"
#include "helper_manifest.h"
#include "helper_report.h"

#define GW "default/gw"

static char *write_summary(const char *repo, bool online)
{
	gws_report_gateway_result r = {GW,   GWS_REPORT_TRUE,          NULL,
	                               NULL, "gw-1.elb.amazonaws.com", "2 rules created"};
	char *root = hm_mkroot(), *text;
	hr_model m;
	gws_report_input in;
	gws_report_result res;

	hr_model_build(&m, repo, "demo");
	in = hr_input(&m, 1767225600);
	if (online) {
		in.gateways = &r;
		in.n_gateways = 1;
		in.observed = true;
		in.source_commit = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
	}
	assert_int_equal(gws_report_write(&in, root, &res), 0);
	text = hr_read(hr_path(root, "demo", "SUMMARY.md"), NULL);
	assert_non_null(text);
	hr_model_dispose(&m);
	hm_rmrf(root);
	gws_free(root);
	return text;
}

static const char *hostile_repo(void)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s/tests/report/hostile", getenv("GWSYNC_SOURCE_DIR"));
	return path;
}

/* Pipes not escaped by a backslash (an escaped backslash does not escape). */
static size_t cell_bars(const char *line)
{
	size_t n = 0, slashes = 0;
	for (const char *p = line; *p; p++) {
		if (*p == '|' && slashes % 2 == 0)
			n++;
		slashes = *p == '\\' ? slashes + 1 : 0;
	}
	return n;
}

static size_t unescaped(const char *line, char c)
{
	size_t n = 0, slashes = 0;
	for (const char *p = line; *p; p++) {
		if (*p == c && slashes % 2 == 0)
			n++;
		slashes = *p == '\\' ? slashes + 1 : 0;
	}
	return n;
}

typedef struct {
	char *lines[4096];
	size_t n;
} lines;

/* Splits in place, keeping empty lines (they end tables). */
static void split(lines *l, char *text)
{
	l->n = 0;
	while (*text && l->n < 4096) {
		char *nl = strchr(text, '\n');
		l->lines[l->n++] = text;
		if (!nl)
			break;
		*nl = '\0';
		text = nl + 1;
	}
}

/* Markdown outside the diagrams: tables keep their column count, code spans are
 * balanced, no raw HTML, and the only fences are the diagrams'. */
static size_t check_markdown(const lines *l, size_t *tables)
{
	size_t diagrams = 0, i = 0;
	bool in_fence = false;

	*tables = 0;
	for (i = 0; i < l->n; i++) {
		const char *s = l->lines[i];
		if (strncmp(s, "```", 3) == 0) {
			if (!in_fence)
				assert_string_equal(s, "```mermaid");
			else
				assert_string_equal(s, "```");
			diagrams += !in_fence;
			in_fence = !in_fence;
			continue;
		}
		if (in_fence)
			continue;
		if (strchr(s, '<') || strchr(s, '>'))
			fail_msg("raw HTML character in: %s", s);
		if (unescaped(s, '`') % 2)
			fail_msg("unbalanced code span in: %s", s);
		if (s[0] == '|' && i + 1 < l->n && strncmp(l->lines[i + 1], "|---", 4) == 0) {
			size_t cols = cell_bars(s);
			(*tables)++;
			assert_int_equal(cell_bars(l->lines[i + 1]), cols);
			for (i += 2; i < l->n && l->lines[i][0] == '|'; i++)
				if (cell_bars(l->lines[i]) != cols)
					fail_msg("row with %zu cells, header has %zu: %s",
					         cell_bars(l->lines[i]) - 1, cols - 1, l->lines[i]);
			i--;
		}
	}
	assert_false(in_fence);
	return diagrams;
}

typedef struct {
	size_t ids[256];
	char *labels[256];
	size_t n_nodes, n_edges;
} chart;

/* Mermaid label text: only inert characters and #<decimal>; entities. Decoded as UTF-8. */
static char *decode_label(const char *s)
{
	gws_buf out = GWS_BUF_INIT(65536);
	while (*s) {
		if (*s == '#') {
			char *end;
			unsigned long cp = strtoul(s + 1, &end, 10);
			if (end == s + 1 || *end != ';')
				fail_msg("'#' that is not an entity in a label: %s", s);
			if (cp < 0x80) {
				assert_int_equal(gws_buf_putc(&out, (char)cp), 0);
			} else if (cp < 0x800) {
				assert_int_equal(gws_buf_printf(&out, "%c%c",
				                                (char)(0xc0 | (cp >> 6)),
				                                (char)(0x80 | (cp & 0x3f))),
				                 0);
			} else if (cp < 0x10000) {
				assert_int_equal(gws_buf_printf(&out, "%c%c%c",
				                                (char)(0xe0 | (cp >> 12)),
				                                (char)(0x80 | ((cp >> 6) & 0x3f)),
				                                (char)(0x80 | (cp & 0x3f))),
				                 0);
			} else {
				assert_int_equal(gws_buf_printf(&out, "%c%c%c%c",
				                                (char)(0xf0 | (cp >> 18)),
				                                (char)(0x80 | ((cp >> 12) & 0x3f)),
				                                (char)(0x80 | ((cp >> 6) & 0x3f)),
				                                (char)(0x80 | (cp & 0x3f))),
				                 0);
			}
			s = end + 1;
			continue;
		}
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		            " -_./:,=+@",
		            *s))
			fail_msg("raw '%c' in a label", *s);
		assert_int_equal(gws_buf_putc(&out, *s++), 0);
	}
	return gws_buf_take(&out, NULL);
}

static bool declared(const chart *c, size_t id)
{
	for (size_t i = 0; i < c->n_nodes; i++)
		if (c->ids[i] == id)
			return true;
	return false;
}

/* Parses one diagram starting at lines[*i] ("```mermaid"). */
static void parse_chart(const lines *l, size_t *i, chart *c)
{
	regex_t node, arrow, weighted, class_def, class_use;
	regmatch_t m[5];

	memset(c, 0, sizeof(*c));
	assert_int_equal(
	        regcomp(&node, "^  n([0-9]+)(\\(\\[|\\[)\"([^\"]*)\"(\\]\\)|\\])$", REG_EXTENDED),
	        0);
	assert_int_equal(regcomp(&arrow, "^  n([0-9]+) --> n([0-9]+)$", REG_EXTENDED), 0);
	assert_int_equal(regcomp(&weighted, "^  n([0-9]+) -->\\|\"weight [0-9]+\"\\| n([0-9]+)$",
	                         REG_EXTENDED),
	                 0);
	assert_int_equal(regcomp(&class_def, "^  classDef problem stroke:#c00,stroke-width:3px$",
	                         REG_EXTENDED | REG_NOSUB),
	                 0);
	assert_int_equal(regcomp(&class_use, "^  class n([0-9]+) problem$", REG_EXTENDED), 0);
	assert_string_equal(l->lines[++*i], "flowchart LR");
	for (++*i; *i < l->n && strcmp(l->lines[*i], "```") != 0; ++*i) {
		const char *s = l->lines[*i];
		if (regexec(&node, s, 5, m, 0) == 0) {
			size_t id = strtoul(s + m[1].rm_so, NULL, 10);
			char *label =
			        gws_strndup(s + m[3].rm_so, (size_t)(m[3].rm_eo - m[3].rm_so));
			bool stadium = s[m[2].rm_so] == '(';
			assert_true(stadium == (s[m[4].rm_so] == ']' && s[m[4].rm_so + 1] == ')'));
			assert_false(declared(c, id));
			assert_int_equal(c->n_edges, 0); /* nodes come first */
			assert_true(c->n_nodes < 256);
			c->ids[c->n_nodes] = id;
			c->labels[c->n_nodes++] = decode_label(label);
			gws_free(label);
		} else if (regexec(&arrow, s, 3, m, 0) == 0 ||
		           regexec(&weighted, s, 3, m, 0) == 0) {
			assert_true(declared(c, strtoul(s + m[1].rm_so, NULL, 10)));
			assert_true(declared(c, strtoul(s + m[2].rm_so, NULL, 10)));
			c->n_edges++;
		} else if (regexec(&class_use, s, 2, m, 0) == 0) {
			assert_true(declared(c, strtoul(s + m[1].rm_so, NULL, 10)));
		} else if (regexec(&class_def, s, 0, NULL, 0) != 0) {
			fail_msg("not a node, an edge or a class: %s", s);
		}
	}
	regfree(&node);
	regfree(&arrow);
	regfree(&weighted);
	regfree(&class_def);
	regfree(&class_use);
}

static void free_chart(chart *c)
{
	for (size_t i = 0; i < c->n_nodes; i++)
		gws_free(c->labels[i]);
}

static bool some_label_has(const chart *c, const char *needle)
{
	for (size_t i = 0; i < c->n_nodes; i++)
		if (strstr(c->labels[i], needle))
			return true;
	return false;
}

static void test_hostile_names(void **state)
{
	char *text = write_summary(hostile_repo(), true), *copy = gws_strdup(text);
	lines l;
	chart c;
	size_t tables, i;
	(void)state;

	split(&l, copy);
	assert_int_equal(check_markdown(&l, &tables), 1);
	/* GatewayClasses, Gateways, Listeners, Rules, Target groups */
	assert_int_equal(tables, 5);

	/* The rules table says what is matched and where it goes, escaped. */
	assert_non_null(strstr(text,
	                       "| HTTP:80 | 1 | path /a(b)\\$&amp;' or /a(b)\\$&amp;'/\\* and "
	                       "header X-Q: a\"b\\|c\\]&lt;d&gt;&amp;\\`e\\` and query "
	                       "q=%%{init: {\"theme\":\"dark\"}}%% | forward to "));
	assert_non_null(strstr(text, "(weight 80), "));
	assert_non_null(strstr(text,
	                       "(weight 20) | HTTPRoute default/we\"ird\\[x\\]\\|y\\`\xc3\xbc "
	                       "rules\\[0\\].matches\\[0\\] |\n"));
	assert_non_null(strstr(text, "| HTTP:80 | default | any request not matched above | fixed "
	                             "response 404 (text/plain) |  |\n"));
	assert_non_null(strstr(
	        text, "| instance | default/svc\\|\"x\":80 | HTTP traffic-port / | not read |\n"));
	/* A line break, a fence and a right-to-left override in a header value: spaces. */
	assert_non_null(strstr(text, "header X-N: line1 line2 \\`\\`\\`js &lt;script&gt;alert(1)"
	                             "&lt;/script&gt; \\#35;   |"));
	assert_null(strstr(text, "\xe2\x80\xae"));
	assert_non_null(strstr(text, "| default/gw | `k8s-default-gw-"));
	assert_non_null(strstr(text,
	                       "`gw-1.elb.amazonaws.com` | True | 0 | `abcdefabcdef`: 2 rules "
	                       "created |\n"));

	for (i = 0; i < l.n && strcmp(l.lines[i], "```mermaid") != 0; i++)
		;
	parse_chart(&l, &i, &c);
	/* Gateway, 2 target groups, 1 listener, 2 rules; 1 + 2 rules + 3 forwards. */
	assert_int_equal(c.n_nodes, 6);
	assert_int_equal(c.n_edges, 6);
	assert_true(some_label_has(&c, "Gateway default/gw"));
	assert_true(some_label_has(&c, "Service default/svc|\"x\":80"));
	assert_true(some_label_has(&c, "header X-Q: a\"b|c]<d>&`e`"));
	assert_true(some_label_has(&c, "query q=%%{init: {\"theme\":\"dark\"}}%%"));
	assert_true(some_label_has(&c, "line1\nline2 ```js <script>alert(1)</script> #35; "
	                               "\xe2\x80\xae"));
	free_chart(&c);
	gws_free(copy);
	free(text);
}

static void test_offline_and_rejected(void **state)
{
	char *text = write_summary(hr_golden("l4-l7-mix"), false), *copy = gws_strdup(text);
	lines l;
	size_t tables;
	(void)state;

	split(&l, copy);
	assert_int_equal(check_markdown(&l, &tables), 0);
	assert_non_null(strstr(text, "| not built | \xe2\x80\x94 | False (Invalid) |"));
	assert_non_null(
	        strstr(text, "- Gateway: Accepted=False ListenersNotValid: the Gateway mixes"));
	assert_non_null(strstr(text, "No load balancer is built for this Gateway"));
	assert_non_null(strstr(text, "- DNS name: not known yet\n"));
	gws_free(copy);
	free(text);
}

/*
 * A backend Service read from the cluster is named as such in the target
 * group table (by kind, not by server address: that is not state), and the
 * health read this run is shown as counts per state; a target group whose
 * health was not read says so and names the --targets mode.
 */
static void test_cluster_service_and_health(void **state)
{
	static const char cluster_services[] =
	        "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
	        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"gone\","
	        "\"namespace\":\"web\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80,"
	        "\"targetPort\":8080,\"nodePort\":31000}]}},"
	        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"app\","
	        "\"namespace\":\"web\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80,"
	        "\"targetPort\":8080,\"nodePort\":32000}]}}]}";
	const char *origin = "https://127.0.0.1:6443 (KUBECONFIG context test)";
	gws_manifest_options mopts = GWS_MANIFEST_OPTIONS_INIT;
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;
	gws_report_target_health health = {0};
	const gws_model_stack *st;
	const gws_model_target_group *app = NULL, *gone = NULL;
	gws_report_input in;
	gws_report_result res;
	char *root = hm_mkroot(), *text;
	hr_model m;
	size_t added = 0;
	(void)state;

	memset(&m, 0, sizeof(m));
	gws_diag_list_init(&m.diags);
	mopts.root = hr_golden("alb-missing-backend");
	opts.cluster = "demo";
	assert_int_equal(gws_manifest_load(&m.store, &mopts, &m.diags), 0);
	assert_int_equal(gws_manifest_add_external(m.store, origin, cluster_services,
	                                           strlen(cluster_services), GWS_KIND_SERVICE,
	                                           &m.diags, &added),
	                 0);
	assert_int_equal(added, 1); /* the repository's web/app wins */
	assert_int_equal(gws_model_build(&m.model, m.store, &opts, &m.diags), 0);
	assert_non_null(st = gws_model_stack_find(m.model, "web", "gw"));
	for (size_t i = 0; i < st->n_target_groups; i++) {
		if (strcmp(st->target_groups[i]->backend.name, "app") == 0)
			app = st->target_groups[i];
		if (strcmp(st->target_groups[i]->backend.name, "gone") == 0)
			gone = st->target_groups[i];
	}
	assert_non_null(app);
	assert_non_null(gone);
	assert_null(app->backend.source);
	assert_string_equal(gone->backend.source, origin);
	assert_int_equal(gone->port, 31000);

	health = (gws_report_target_health){"web/gw", app->id, 4, 2, 1, 0, 1, 0, 0, 0};
	in = hr_input(&m, 1767225600);
	in.target_health = &health;
	in.n_target_health = 1;
	in.targets_mode = "direct";
	assert_int_equal(gws_report_write(&in, root, &res), 0);
	text = hr_read(hr_path(root, "demo", "SUMMARY.md"), NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "| Health check | Targets |\n|---|---|---|---|---|---|\n"));
	assert_non_null(strstr(text, " | web/app:80 | HTTP traffic-port / | 4: 2 healthy, 1 "
	                             "initial, 1 draining |\n"));
	assert_non_null(strstr(text, " | web/gone:80 (from the Kubernetes API) | HTTP "
	                             "traffic-port / | not read (targets: direct) |\n"));
	assert_null(strstr(text, "127.0.0.1"));
	free(text);

	/* No mode given: just "not read". */
	in.n_target_health = 0;
	in.targets_mode = NULL;
	assert_int_equal(gws_report_write(&in, root, &res), 0);
	text = hr_read(hr_path(root, "demo", "SUMMARY.md"), NULL);
	assert_non_null(strstr(text, " | web/app:80 | HTTP traffic-port / | not read |\n"));
	free(text);

	hr_model_dispose(&m);
	hm_rmrf(root);
	gws_free(root);
}

/* Every golden repository gives well-formed Markdown and diagrams. */
static bool golden_case(const char *case_dir, void *arg)
{
	char repo[4608];
	char *text, *copy;
	lines l;
	size_t tables, i;
	size_t *diagrams = arg;

	snprintf(repo, sizeof(repo), "%s/repo", case_dir);
	if (access(repo, F_OK) != 0)
		return false;
	text = write_summary(repo, false);
	copy = gws_strdup(text);
	split(&l, copy);
	*diagrams += check_markdown(&l, &tables);
	for (i = 0; i < l.n; i++)
		if (strcmp(l.lines[i], "```mermaid") == 0) {
			chart c;
			parse_chart(&l, &i, &c);
			assert_true(c.n_nodes >= 1);
			free_chart(&c);
		}
	gws_free(copy);
	free(text);
	return true;
}

static void test_golden_summaries(void **state)
{
	size_t diagrams = 0;
	(void)state;
	assert_true(hm_golden_each(golden_case, &diagrams) >= 40);
	assert_true(diagrams >= 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_hostile_names),
	        cmocka_unit_test(test_offline_and_rejected),
	        cmocka_unit_test(test_cluster_service_and_health),
	        cmocka_unit_test(test_golden_summaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
