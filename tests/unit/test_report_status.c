/*
 * Every status file written for every golden repository (offline, and with
 * sync results True and False) holds only conditions the Gateway API allows:
 * a type of the object, a reason from tests/unit/data/gateway_api_reasons.txt
 * that the Gateway API pairs with that type and status, an RFC 3339 time.
 * And every scalar reads back as the same string under YAML 1.1 and YAML 1.2
 * resolution (the numbers gwsync writes read as numbers under both).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <regex.h>
#include <sys/stat.h>
#include <yaml.h>

#include "helper_manifest.h"
#include "helper_report.h"
#include "report/internal.h"

static char *reasons[256];
static size_t n_reasons;

static int load_reasons(void **state)
{
	const char *src = getenv("GWSYNC_SOURCE_DIR");
	char path[4096], line[256];
	FILE *f;
	(void)state;
	if (!src)
		return -1;
	snprintf(path, sizeof(path), "%s/tests/unit/data/gateway_api_reasons.txt", src);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f) && n_reasons < 256) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '#' && line[0] != '\0')
			reasons[n_reasons++] = gws_strdup(line);
	}
	fclose(f);
	return n_reasons ? 0 : -1;
}

static int free_reasons(void **state)
{
	(void)state;
	while (n_reasons)
		gws_free(reasons[--n_reasons]);
	return 0;
}

static bool listed(const char *reason)
{
	for (size_t i = 0; i < n_reasons; i++)
		if (strcmp(reasons[i], reason) == 0)
			return true;
	return false;
}

/* The Gateway API's (type, status) → reasons, per place a condition list is. */
typedef struct {
	const char *place; /* "GatewayClass", "Gateway", "listener", "route" */
	const char *type;
	const char *status;
	const char *reasons; /* space-separated */
} allowed;

static const allowed table[] = {
        {"GatewayClass", "Accepted", "True", "Accepted"},
        {"GatewayClass", "Accepted", "False", "InvalidParameters Unsupported UnsupportedVersion"},
        {"GatewayClass", "Accepted", "Unknown", "Pending Waiting"},
        {"GatewayClass", "SupportedVersion", "True", "SupportedVersion"},
        {"GatewayClass", "SupportedVersion", "False", "UnsupportedVersion"},
        {"Gateway", "Accepted", "True", "Accepted ListenersNotValid"},
        {"Gateway", "Accepted", "False",
         "Invalid InvalidParameters NotReconciled UnsupportedAddress ListenersNotValid"},
        {"Gateway", "Accepted", "Unknown", "Pending"},
        {"Gateway", "Programmed", "True", "Programmed"},
        {"Gateway", "Programmed", "False",
         "Invalid Pending NoResources AddressNotAssigned AddressNotUsable"},
        {"Gateway", "Programmed", "Unknown", "Pending"},
        {"Gateway", "ResolvedRefs", "True", "ResolvedRefs"},
        {"Gateway", "ResolvedRefs", "False",
         "RefNotPermitted InvalidClientCertificateRef ListenersNotResolved"},
        {"listener", "Accepted", "True", "Accepted"},
        {"listener", "Accepted", "False",
         "PortUnavailable UnsupportedProtocol NoValidCACertificate UnsupportedValue "
         "HostnameConflict ProtocolConflict"},
        {"listener", "Accepted", "Unknown", "Pending"},
        {"listener", "Programmed", "True", "Programmed"},
        {"listener", "Programmed", "False", "Invalid Pending"},
        {"listener", "Programmed", "Unknown", "Pending"},
        {"listener", "ResolvedRefs", "True", "ResolvedRefs"},
        {"listener", "ResolvedRefs", "False",
         "InvalidCertificateRef InvalidRouteKinds RefNotPermitted InvalidCACertificateRef "
         "InvalidCACertificateKind"},
        {"listener", "Conflicted", "True", "HostnameConflict ProtocolConflict"},
        {"listener", "Conflicted", "False", "NoConflicts"},
        {"listener", "OverlappingTLSConfig", "True",
         "OverlappingHostnames OverlappingCertificates"},
        {"route", "Accepted", "True", "Accepted"},
        {"route", "Accepted", "False",
         "NotAllowedByListeners NoMatchingListenerHostname NoMatchingParent UnsupportedValue "
         "IncompatibleFilters"},
        {"route", "Accepted", "Unknown", "Pending"},
        {"route", "ResolvedRefs", "True", "ResolvedRefs"},
        {"route", "ResolvedRefs", "False",
         "RefNotPermitted InvalidKind BackendNotFound UnsupportedProtocol"},
        {"route", "PartiallyInvalid", "True", "UnsupportedValue"},
};

static bool pair_allowed(const char *place, const char *type, const char *status,
                         const char *reason)
{
	for (size_t i = 0; i < GWS_ARRAY_SIZE(table); i++) {
		const char *r;
		size_t len = strlen(reason);
		if (strcmp(table[i].place, place) || strcmp(table[i].type, type) ||
		    strcmp(table[i].status, status))
			continue;
		for (r = table[i].reasons; (r = strstr(r, reason)) != NULL; r += len)
			if ((r == table[i].reasons || r[-1] == ' ') && (r[len] == ' ' || !r[len]))
				return true;
	}
	return false;
}

typedef struct {
	size_t conditions;
	size_t files;
	size_t plain_scalars;
	regex_t type_re, reason_re;
} stats;

static const char *get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	yaml_node_t *v = NULL;
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		if (strcmp((char *)k->data.scalar.value, key) == 0)
			v = yaml_document_get_node(d, p->value);
	}
	return v && v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : NULL;
}

static yaml_node_t *child(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++)
		if (strcmp((char *)yaml_document_get_node(d, p->key)->data.scalar.value, key) == 0)
			return yaml_document_get_node(d, p->value);
	return NULL;
}

static void check_conditions(stats *s, yaml_document_t *d, yaml_node_t *seq, const char *place,
                             const char *file)
{
	assert_non_null(seq);
	assert_int_equal(seq->type, YAML_SEQUENCE_NODE);
	assert_true(seq->data.sequence.items.top > seq->data.sequence.items.start);
	for (yaml_node_item_t *i = seq->data.sequence.items.start; i < seq->data.sequence.items.top;
	     i++) {
		yaml_node_t *c = yaml_document_get_node(d, *i);
		const char *type = get(d, c, "type"), *status = get(d, c, "status"),
		           *reason = get(d, c, "reason"), *message = get(d, c, "message"),
		           *time = get(d, c, "lastTransitionTime");
		s->conditions++;
		if (!type || !status || !reason || !message || !time)
			fail_msg("%s: a condition lacks a field", file);
		if (regexec(&s->type_re, type, 0, NULL, 0) || strlen(type) > 316)
			fail_msg("%s: condition type %s is not valid", file, type);
		if (regexec(&s->reason_re, reason, 0, NULL, 0) || strlen(reason) > 1024)
			fail_msg("%s: reason %s is not valid", file, reason);
		if (!listed(reason))
			fail_msg("%s: reason %s is not in gateway_api_reasons.txt", file, reason);
		if (!pair_allowed(place, type, status, reason))
			fail_msg("%s: %s %s=%s %s is not a Gateway API combination", file, place,
			         type, status, reason);
		assert_true(strlen(message) <= GWS_REPORT_CAP_MESSAGE);
		assert_true(gws_report__valid_time(time));
		assert_null(child(d, c, "observedGeneration"));
	}
}

static void check_status_file(stats *s, const char *path, const char *kind)
{
	char *text = hr_read(path, NULL);
	yaml_parser_t p;
	yaml_document_t d;
	yaml_node_t *root, *status, *list;

	assert_non_null(text);
	assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (unsigned char *)text, strlen(text));
	assert_true(yaml_parser_load(&p, &d));
	root = yaml_document_get_root_node(&d);
	status = child(&d, root, "status");
	assert_non_null(status);
	s->files++;
	if (strcmp(kind, "GatewayClass") == 0 || strcmp(kind, "Gateway") == 0)
		check_conditions(s, &d, child(&d, status, "conditions"), kind, path);
	if ((list = child(&d, status, "listeners")) != NULL)
		for (yaml_node_item_t *i = list->data.sequence.items.start;
		     i < list->data.sequence.items.top; i++)
			check_conditions(s, &d,
			                 child(&d, yaml_document_get_node(&d, *i), "conditions"),
			                 "listener", path);
	if ((list = child(&d, status, "parents")) != NULL)
		for (yaml_node_item_t *i = list->data.sequence.items.start;
		     i < list->data.sequence.items.top; i++) {
			yaml_node_t *parent = yaml_document_get_node(&d, *i);
			check_conditions(s, &d, child(&d, parent, "conditions"), "route", path);
			assert_non_null(get(&d, parent, "controllerName"));
			assert_non_null(child(&d, parent, "parentRef"));
		}
	if (strstr(kind, "Route"))
		assert_non_null(child(&d, status, "parents"));
	yaml_document_delete(&d);
	yaml_parser_delete(&p);
	free(text);
}

/* ---- YAML 1.1 and 1.2 resolution of plain scalars ---- */

static const char *const non_strings[] = {
        /* YAML 1.1 (yaml.org/type): bool, null, int, float, timestamp, merge, value */
        "^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
        "^(~|null|Null|NULL|)$",
        "^([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|"
        "[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+)$",
        "^([-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\."
        "[0-9_]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$",
        "^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ "
        "\t]+)[0-9]{1,2}:[0-9]{2}:"
        "[0-9]{2}(\\.[0-9]*)?(([ \t]*)Z|[-+][0-9]{1,2}(:[0-9]{2})?)?)$",
        "^(<<|=)$",
        /* YAML 1.2 core schema: int and float forms 1.1 lacks */
        "^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
        "^([-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.nan|"
        "\\.NaN|\\.NAN)$",
};

static regex_t non_string_re[GWS_ARRAY_SIZE(non_strings)];

static bool reads_as_non_string(const char *s)
{
	for (size_t i = 0; i < GWS_ARRAY_SIZE(non_strings); i++)
		if (regexec(&non_string_re[i], s, 0, NULL, 0) == 0)
			return true;
	return false;
}

/* Every plain scalar of a file is a string under both versions, except the
 * integers gwsync writes on purpose (attachedRoutes, port). */
static void check_scalars(stats *s, const char *path)
{
	struct {
		bool is_map, expect_key;
		char key[64];
	} st[64];
	char *text = hr_read(path, NULL);
	yaml_parser_t p;
	yaml_event_t ev;
	size_t depth = 0;
	bool done = false;

	assert_non_null(text);
	assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (unsigned char *)text, strlen(text));
	while (!done) {
		assert_true(yaml_parser_parse(&p, &ev));
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth && st[depth - 1].is_map)
				st[depth - 1].expect_key = true; /* this collection is the value */
			assert_true(depth < 64);
			st[depth].is_map = ev.type == YAML_MAPPING_START_EVENT;
			st[depth].expect_key = st[depth].is_map;
			st[depth].key[0] = '\0';
			depth++;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			break;
		case YAML_SCALAR_EVENT: {
			const char *v = (const char *)ev.data.scalar.value;
			bool is_key = depth && st[depth - 1].is_map && st[depth - 1].expect_key;
			bool number = !is_key && depth && st[depth - 1].is_map &&
			              (strcmp(st[depth - 1].key, "attachedRoutes") == 0 ||
			               strcmp(st[depth - 1].key, "port") == 0);
			if (ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
				s->plain_scalars++;
				if (number != reads_as_non_string(v))
					fail_msg("%s: plain scalar '%s' reads as the wrong type",
					         path, v);
			}
			if (depth && st[depth - 1].is_map) {
				if (is_key)
					snprintf(st[depth - 1].key, sizeof(st[0].key), "%s", v);
				st[depth - 1].expect_key = !is_key;
			}
			break;
		}
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	free(text);
}

/* Walks root/.gwsync/demo/status/<ns>/<Kind>/<name>.yaml. */
static void check_tree(stats *s, const char *root)
{
	char dir[8192];
	DIR *d1, *d2, *d3;
	struct dirent *ns, *kind, *file;

	snprintf(dir, sizeof(dir), "%s", hr_path(root, "demo", "status"));
	d1 = opendir(dir);
	if (!d1)
		return; /* a repository without any object gwsync handles */
	while ((ns = readdir(d1))) {
		char p2[8448];
		if (ns->d_name[0] == '.')
			continue;
		snprintf(p2, sizeof(p2), "%s/%s", dir, ns->d_name);
		assert_non_null(d2 = opendir(p2));
		while ((kind = readdir(d2))) {
			char p3[8704];
			if (kind->d_name[0] == '.')
				continue;
			snprintf(p3, sizeof(p3), "%s/%s", p2, kind->d_name);
			assert_non_null(d3 = opendir(p3));
			while ((file = readdir(d3))) {
				char p4[9216];
				if (file->d_name[0] == '.')
					continue;
				snprintf(p4, sizeof(p4), "%s/%s", p3, file->d_name);
				check_status_file(s, p4, kind->d_name);
				check_scalars(s, p4);
			}
			closedir(d3);
		}
		closedir(d2);
	}
	closedir(d1);
}

static bool check_case(const char *case_dir, void *arg)
{
	stats *s = arg;
	char repo[4608];
	struct stat st;
	hr_model m;
	gws_report_input in;
	gws_report_result res;
	gws_report_gateway_result *results;
	char *root = hm_mkroot();
	char **keys;
	size_t n;

	snprintf(repo, sizeof(repo), "%s/repo", case_dir);
	if (stat(repo, &st) != 0) {
		hm_rmrf(root);
		gws_free(root);
		return false;
	}
	hr_model_build(&m, repo, "demo");
	n = gws_model_gateway_status_count(m.model);
	results = calloc(n + 1, sizeof(*results));
	keys = calloc(n + 1, sizeof(*keys));
	for (size_t i = 0; i < n; i++) {
		const gws_model_gateway_status *g = gws_model_gateway_status_at(m.model, i);
		keys[i] = gws_asprintf("%s/%s", g->object->meta.namespace_, g->object->meta.name);
	}
	/* Offline, then every Gateway programmed, then every Gateway failing with an
	 * AWS message and a DNS name that YAML 1.1 would read as booleans. */
	for (int round = 0; round < 3; round++) {
		in = hr_input(&m, 1767225600 + round);
		for (size_t i = 0; i < n; i++) {
			results[i].gateway = keys[i];
			results[i].programmed = round == 1 ? GWS_REPORT_TRUE : GWS_REPORT_FALSE;
			results[i].reason = round == 1 ? "Programmed" : "NoResources";
			results[i].message = "AccessDenied: no: yes # not a comment";
			results[i].dns_name = "on";
		}
		if (round > 0) {
			in.gateways = results;
			in.n_gateways = n;
		}
		assert_int_equal(gws_report_write(&in, root, &res), 0);
		check_tree(s, root);
	}
	for (size_t i = 0; i < n; i++)
		gws_free(keys[i]);
	free(keys);
	free(results);
	hr_model_dispose(&m);
	hm_rmrf(root);
	gws_free(root);
	return true;
}

static void test_golden_status_files(void **state)
{
	stats s;
	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(
	        regcomp(&s.type_re,
	                "^(([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
	                ")/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
	                REG_EXTENDED | REG_NOSUB),
	        0);
	assert_int_equal(regcomp(&s.reason_re, "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
	                         REG_EXTENDED | REG_NOSUB),
	                 0);
	for (size_t i = 0; i < GWS_ARRAY_SIZE(non_strings); i++)
		assert_int_equal(
		        regcomp(&non_string_re[i], non_strings[i], REG_EXTENDED | REG_NOSUB), 0);
	assert_true(hm_golden_each(check_case, &s) >= 40);
	/* Enough was seen for the checks to mean something. */
	assert_true(s.files > 300);
	assert_true(s.conditions > 2000);
	assert_true(s.plain_scalars > 10000);
	regfree(&s.type_re);
	regfree(&s.reason_re);
	for (size_t i = 0; i < GWS_ARRAY_SIZE(non_strings); i++)
		regfree(&non_string_re[i]);
}

/* Strings a YAML 1.1 or 1.2 loader would read as something else, or that YAML
 * syntax gives a meaning, are never written plain; they read back unchanged. */
static void test_tricky_scalars(void **state)
{
	static const char *const tricky[] = {
	        "yes",         "No",         "ON",
	        "off",         "y",          "N",
	        "true",        "False",      "null",
	        "Null",        "~",          "",
	        "123",         "-1",         "+1",
	        "0x1F",        "0o17",       "017",
	        "1_000",       "1:20",       "1e3",
	        ".5",          ".inf",       "-.Inf",
	        ".NaN",        "2001-12-14", "2001-12-14t21:59:43.10-05:00",
	        "<<",          "=",          "-foo",
	        "- foo",       "foo: bar",   "a #b",
	        " lead",       "trail ",     "@x",
	        "`x",          "!tag",       "&a",
	        "*a",          "|",          ">",
	        "%x",          "'q'",        "\"q\"",
	        "[a]",         "{a}",        "?x",
	        ",x",          "a\nb",       "tab\there",
	        "caf\xc3\xa9", "a:b",        "http://x",
	        "k8s-a: b"};
	static const char *const plain[] = {"Accepted",
	                                    "Listener is accepted.",
	                                    "gateway.k8s.aws/alb",
	                                    "k8s-default-x",
	                                    "Yesterday",
	                                    "nope",
	                                    "Nothing to do"};
	(void)state;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(plain); i++)
		assert_true(gws_report__yaml_plain_ok(plain[i]));
	for (size_t i = 0; i < GWS_ARRAY_SIZE(tricky); i++) {
		gws_buf out = GWS_BUF_INIT(4096);
		gws_report__yaml y;
		yaml_parser_t p;
		yaml_document_t d;
		yaml_node_t *v;

		if (gws_report__yaml_plain_ok(tricky[i]))
			fail_msg("'%s' would be written plain", tricky[i]);
		gws_report__yaml_begin(&y, &out);
		gws_report__yaml_map(&y);
		gws_report__yaml_kv(&y, "message", tricky[i]);
		gws_report__yaml_map_end(&y);
		assert_int_equal(gws_report__yaml_end(&y), 0);
		assert_true(yaml_parser_initialize(&p));
		yaml_parser_set_input_string(&p, (unsigned char *)out.ptr, out.size);
		assert_true(yaml_parser_load(&p, &d));
		v = yaml_document_get_node(
		        &d, yaml_document_get_root_node(&d)->data.mapping.pairs.start->value);
		assert_int_equal(v->data.scalar.style, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
		assert_string_equal((char *)v->data.scalar.value, tricky[i]);
		yaml_document_delete(&d);
		yaml_parser_delete(&p);
		gws_buf_dispose(&out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_golden_status_files),
	        cmocka_unit_test(test_tricky_scalars),
	};
	return cmocka_run_group_tests(tests, load_reasons, free_reasons);
}
