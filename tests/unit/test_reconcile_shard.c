/*
 * The shard of a stack (docs/operations.md, "Sharding"): shards of one
 * estate compute it on their own, so it must never change. The vectors are
 * FNV-1a 64-bit of the bytes, modulo N; "a" and "foobar" are the published
 * FNV-1a test strings (0xaf63dc4c8601ec8c and 0x85944171f73967e8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gwsync/reconcile.h"

typedef struct {
	const char *stack;
	unsigned n;
	unsigned shard;
} vector;

static const vector vectors[] = {
        /* 0xaf63dc4c8601ec8c */
        {"a", 2, 0},
        {"a", 3, 1},
        {"a", 7, 5},
        {"a", 1024, 140},
        /* 0x85944171f73967e8 */
        {"foobar", 7, 6},
        {"foobar", 1024, 1000},
        {"shop/public", 2, 1},
        {"shop/public", 3, 1},
        {"shop/public", 4, 3},
        {"shop/public", 1024, 843},
        {"team0/edge", 3, 2},
        {"team0/edge", 1024, 56},
        {"blog/blog", 4, 2},
        {"kube-system/ingress-gateway", 7, 3},
        {"kube-system/ingress-gateway", 1024, 933},
};

static void test_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const vector *v = &vectors[i];

		if (gws_reconcile_shard_of(v->stack, v->n) != v->shard)
			fail_msg("shard of %s among %u: %u, want %u", v->stack, v->n,
			         gws_reconcile_shard_of(v->stack, v->n), v->shard);
	}
}

/* One shard (or none) owns everything; the result is always below n. */
static void test_range(void **state)
{
	char stack[64];

	(void)state;
	assert_int_equal(gws_reconcile_shard_of("shop/public", 0), 0);
	assert_int_equal(gws_reconcile_shard_of("shop/public", 1), 0);
	assert_int_equal(gws_reconcile_shard_of(NULL, 4), 0);
	for (unsigned i = 0; i < 2000; i++) {
		snprintf(stack, sizeof(stack), "ns%u/gw%u", i % 37, i);
		assert_true(gws_reconcile_shard_of(stack, 5) < 5);
		assert_true(gws_reconcile_shard_of(stack, GWS_RECONCILE_MAX_SHARDS) <
		            GWS_RECONCILE_MAX_SHARDS);
	}
}

/* Every shard of a modest estate gets some Gateways: the split is not lopsided. */
static void test_spread(void **state)
{
	unsigned counts[8] = {0};
	char stack[64];

	(void)state;
	for (unsigned i = 0; i < 800; i++) {
		snprintf(stack, sizeof(stack), "team%u/edge", i);
		counts[gws_reconcile_shard_of(stack, 8)]++;
	}
	for (unsigned k = 0; k < 8; k++)
		assert_in_range(counts[k], 60, 140);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_vectors),
	        cmocka_unit_test(test_range),
	        cmocka_unit_test(test_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
