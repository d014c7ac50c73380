/*
 * libFuzzer target for the Kubernetes API JSON decoding: a reply body as
 * the API server (or something hostile in its place) could send it,
 * decoded as src/kube does (one JSON object, then a list page: items and
 * the continue token), and every item read the way --targets direct reads
 * Nodes, EndpointSlices and Services (src/targets/decode.c), with the
 * selectors, port names and address types a run uses. Never a crash, leak
 * or overrun, and what comes out is what the callers rely on: an instance
 * id starts with "i-", an endpoint port is 1-65535, a continue token is a
 * non-empty string.
 *
 *   cmake -S . -B build-fuzz -DGWSYNC_FUZZ=ON -DCMAKE_C_COMPILER=clang
 *   cmake --build build-fuzz --target fuzz_kube_json
 *   build-fuzz/tests/fuzz_kube_json -max_total_time=1800 tests/fuzz/corpus/kube_json
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube/internal.h"
#include "targets/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_kube_json: %s\n", what);
	abort();
}

static int on_endpoint(void *ctx, const char *address, int port)
{
	size_t *n = ctx;

	if (!address || port < 1 || port > 65535)
		fail("an endpoint without an address or with a port out of range");
	/* The callback's error stops the walk: stop after a few to cover that path. */
	return ++*n > 50 ? GWS_EINVALID : 0;
}

static const char *pool_web[] = {"web"};
static gws_mf_kv match_pool = {"pool", "web"};
static gws_mf_label_requirement requirements[] = {
        {"pool", "In", pool_web, 1},
        {"zone", "NotIn", pool_web, 1},
        {"pool", "Exists", NULL, 0},
        {"gone", "DoesNotExist", NULL, 0},
};
static gws_mf_label_selector by_label = {&match_pool, 1, NULL, 0};
static gws_mf_label_selector by_expressions = {NULL, 0, requirements, 4};

static int on_item(void *ctx, json_t *item)
{
	const gws_mf_label_selector *selectors[] = {NULL, &by_label, &by_expressions};
	static const char *const port_names[] = {"", "http"};
	static const char *const types[] = {"IPv4", "IPv6"};
	size_t endpoints = 0;

	(void)ctx;
	for (size_t i = 0; i < GWS_ARRAY_SIZE(selectors); i++) {
		const char *id = gws_targets__node_instance(item, selectors[i]);

		if (id && strncmp(id, "i-", 2) != 0)
			fail("a node's instance id does not start with i-");
	}
	for (size_t p = 0; p < GWS_ARRAY_SIZE(port_names); p++)
		for (size_t t = 0; t < GWS_ARRAY_SIZE(types); t++)
			(void)gws_targets__slice_endpoints(item, port_names[p], types[t],
			                                   on_endpoint, &endpoints);
	for (int port = 79; port <= 81; port++) {
		const char *name = gws_targets__service_port_name(item, port);

		if (name && strlen(name) > 1u << 24)
			fail("a port name longer than any reply");
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *page = NULL;
	char *cont = NULL;
	size_t seen = 0;

	if (gws_kube__decode(&page, (const char *)data, size, "https://fuzz", "/api/v1/nodes") <
	    0) {
		if (page)
			fail("a refused reply left a document behind");
		return 0;
	}
	if (!json_is_object(page))
		fail("a decoded reply is not an object");
	if (gws_kube__page(page, "/api/v1/nodes", &seen, on_item, NULL, &cont) == 0 && cont &&
	    !*cont)
		fail("an empty continue token");
	gws_free(cont);
	json_decref(page);
	return 0;
}
