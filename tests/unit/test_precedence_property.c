/*
 * Property test of the ALB rule precedence comparator (docs/lbc-mapping.md):
 * over 1,000+ random rule sets drawn from small key domains (so ties are
 * frequent), the comparator is a strict weak order: irreflexive,
 * asymmetric, transitive, with transitive incomparability. Sorting a
 * shuffled copy of a set gives the same order as sorting the original.
 * The PRNG is seeded, so every run checks the same sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/alb.h"

#define N_SETS  1200
#define MAX_SET 24

static uint64_t rng_state;

static uint64_t rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static size_t pick(size_t n)
{
	return (size_t)(rng() % n);
}

static const char *const hostnames[] = {
        "",
        "a.example.com",
        "b.example.com",
        "*.example.com",
        "*.com",
        "x.y.example.com",
        "ab.example.com",
        "*.y.example.com",
        "example.com",
};
static const char *const routes[] = {"ns/a", "ns/b", "other/a", "a/z"};
static const char *const kinds[] = {"HTTPRoute", "GRPCRoute"};

static void random_key(gws_alb_prec_key *k)
{
	memset(k, 0, sizeof(*k));
	k->hostname = hostnames[pick(GWS_ARRAY_SIZE(hostnames))];
	k->path_type = (int)pick(4);
	k->path_len = pick(4);
	k->secondary_len = pick(3);
	k->has_method = pick(2) == 1;
	k->header_count = pick(3);
	k->query_count = pick(3);
	k->has_created = pick(3) != 0;
	k->created_ms = k->has_created ? (int64_t)pick(3) * 1000 : 0;
	k->route_key = routes[pick(GWS_ARRAY_SIZE(routes))];
	k->route_kind = kinds[pick(2)];
	k->rule_index = pick(3);
	k->match_index = pick(4) == 3 ? GWS_ALB_NO_MATCH : pick(3);
}

/*
 * Independent random keys rarely tie on the leading fields, and ties are
 * where comparators go wrong. So a set is built from a few random "bases":
 * each key copies a base and redraws each field with probability 1/3.
 */
static void random_set(gws_alb_prec_key *keys, size_t n)
{
	gws_alb_prec_key bases[3], fresh;

	for (size_t i = 0; i < GWS_ARRAY_SIZE(bases); i++)
		random_key(&bases[i]);
	for (size_t i = 0; i < n; i++) {
		gws_alb_prec_key *k = &keys[i];
		*k = bases[pick(GWS_ARRAY_SIZE(bases))];
		random_key(&fresh);
#define MAYBE(field)                                                                               \
	if (pick(3) == 0)                                                                          \
	k->field = fresh.field
		MAYBE(hostname);
		MAYBE(path_type);
		MAYBE(path_len);
		MAYBE(secondary_len);
		MAYBE(has_method);
		MAYBE(header_count);
		MAYBE(query_count);
		if (pick(3) == 0) {
			k->has_created = fresh.has_created;
			k->created_ms = fresh.created_ms;
		}
		MAYBE(route_key);
		MAYBE(route_kind);
		MAYBE(rule_index);
		MAYBE(match_index);
#undef MAYBE
	}
}

static bool less(const gws_alb_prec_key *a, const gws_alb_prec_key *b)
{
	return gws_model__alb_prec_cmp(a, b) < 0;
}

static bool incomparable(const gws_alb_prec_key *a, const gws_alb_prec_key *b)
{
	return !less(a, b) && !less(b, a);
}

static void check_set(const gws_alb_prec_key *keys, size_t n, size_t *triples)
{
	for (size_t i = 0; i < n; i++) {
		const gws_alb_prec_key *a = &keys[i];
		assert_false(less(a, a));
		for (size_t j = 0; j < n; j++) {
			const gws_alb_prec_key *b = &keys[j];
			int ab = gws_model__alb_prec_cmp(a, b), ba = gws_model__alb_prec_cmp(b, a);
			/* asymmetric, and the int result is antisymmetric */
			assert_false(less(a, b) && less(b, a));
			assert_int_equal(ab<0, ba> 0);
			assert_int_equal(ab == 0, ba == 0);
			for (size_t k = 0; k < n; k++) {
				const gws_alb_prec_key *c = &keys[k];
				if (less(a, b) && less(b, c))
					assert_true(less(a, c));
				if (incomparable(a, b) && incomparable(b, c))
					assert_true(incomparable(a, c));
				(*triples)++;
			}
		}
	}
}

static int cmp_ptr(const void *a, const void *b)
{
	return gws_model__alb_prec_cmp(a, b);
}

static void check_sort_independent_of_order(const gws_alb_prec_key *keys, size_t n)
{
	gws_vec v1 = GWS_VEC_INIT, v2 = GWS_VEC_INIT;
	size_t perm[MAX_SET];

	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = pick(i), t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(gws_vec_push(&v1, (void *)&keys[i]), 0);
		assert_int_equal(gws_vec_push(&v2, (void *)&keys[perm[i]]), 0);
	}
	assert_int_equal(gws_vec_sort(&v1, cmp_ptr), 0);
	assert_int_equal(gws_vec_sort(&v2, cmp_ptr), 0);
	for (size_t i = 0; i < n; i++) {
		/* equal keys may swap, but the key sequence is identical */
		assert_int_equal(gws_model__alb_prec_cmp(v1.items[i], v2.items[i]), 0);
		if (i > 0)
			assert_false(less(v1.items[i], v1.items[i - 1]));
	}
	gws_vec_dispose(&v1);
	gws_vec_dispose(&v2);
}

static void test_strict_weak_order(void **state)
{
	gws_alb_prec_key keys[MAX_SET];
	size_t triples = 0;

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (size_t s = 0; s < N_SETS; s++) {
		size_t n = 2 + pick(MAX_SET - 1);
		random_set(keys, n);
		check_set(keys, n, &triples);
		check_sort_independent_of_order(keys, n);
	}
	/* the loops really ran */
	assert_true(triples > (size_t)N_SETS * 8);
}

/* Keys that differ only in one field order as the comparator's key list says. */
static void test_each_key_matters(void **state)
{
	gws_alb_prec_key a, b;

	(void)state;
	rng_state = 42;
	for (int round = 0; round < 200; round++) {
		random_key(&a);
		b = a;
		switch (round % 8) {
		case 0:
			a.path_type = 3, b.path_type = 2;
			break;
		case 1:
			a.path_len = 9, b.path_len = 3;
			break;
		case 2:
			a.secondary_len = 2, b.secondary_len = 1;
			break;
		case 3:
			a.has_method = true, b.has_method = false;
			break;
		case 4:
			a.header_count = 2, b.header_count = 1;
			break;
		case 5:
			a.query_count = 1, b.query_count = 0;
			break;
		case 6:
			a.has_created = b.has_created = true;
			a.created_ms = 1000, b.created_ms = 2000;
			break;
		default:
			a.rule_index = 0, b.rule_index = 1;
			break;
		}
		assert_true(less(&a, &b));
		assert_false(less(&b, &a));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_strict_weak_order),
	        cmocka_unit_test(test_each_key_matters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
