/* Unit tests for the core module: errors, allocation, buffers, arenas,
 * vectors, diagnostics, logging with secret scrubbing, hashing, parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gwsync/core.h"

static void test_error_slot(void **state)
{
	(void)state;
	gws_error_clear();
	assert_string_equal(gws_error_last(), "");
	assert_int_equal(gws_error_last_code(), GWS_OK);
	assert_int_equal(gws_error_set(GWS_ENOTFOUND, "no %s here\nsecond line", "thing"),
	                 GWS_ENOTFOUND);
	/* Messages are forced onto one line. */
	assert_string_equal(gws_error_last(), "no thing here second line");
	assert_int_equal(gws_error_last_code(), GWS_ENOTFOUND);
	assert_string_equal(gws_error_name(GWS_EUNKNOWN_OUTCOME), "EUNKNOWN_OUTCOME");
	/* Wrapping the last message in a new one is common; it must not alias. */
	gws_error_set(GWS_EIO, "inner cause");
	gws_error_set(GWS_EINVALID, "outer: %s (again: %s)", gws_error_last(), gws_error_last());
	assert_string_equal(gws_error_last(), "outer: inner cause (again: inner cause)");
}

static void test_alloc_failure_hook(void **state)
{
	char *a, *b;

	(void)state;
	gws_alloc_fail_at(1);
	a = gws_strdup("first");
	b = gws_strdup("second");
	gws_alloc_fail_at(-1);
	assert_non_null(a);
	assert_null(b);
	assert_int_equal(gws_error_last_code(), GWS_ENOMEM);
	gws_free(a);
	assert_null(gws_reallocarray(NULL, SIZE_MAX / 2, 4));
}

static void test_buf_cap_and_take(void **state)
{
	gws_buf buf = GWS_BUF_INIT(8);
	char *s;
	size_t len;

	(void)state;
	assert_string_equal(gws_buf_cstr(&buf), "");
	assert_int_equal(gws_buf_puts(&buf, "abc"), 0);
	assert_int_equal(gws_buf_printf(&buf, "%d", 12345), 0);
	assert_string_equal(gws_buf_cstr(&buf), "abc12345");
	/* One byte over the cap: the buffer is disposed and the error says so. */
	assert_int_equal(gws_buf_putc(&buf, 'x'), GWS_ETOOBIG);
	assert_null(buf.ptr);
	assert_int_equal(buf.size, 0);
	assert_int_equal(gws_buf_puts(&buf, "ok"), 0);
	s = gws_buf_take(&buf, &len);
	assert_string_equal(s, "ok");
	assert_int_equal(len, 2);
	assert_null(buf.ptr);
	gws_free(s);
	s = gws_buf_take(&buf, &len);
	assert_string_equal(s, "");
	gws_free(s);
}

static void test_buf_read_file(void **state)
{
	gws_buf buf = GWS_BUF_INIT(4);
	FILE *f = fopen("core-read.txt", "w");

	(void)state;
	assert_non_null(f);
	fputs("hello", f);
	fclose(f);
	assert_int_equal(gws_buf_read_file(&buf, "core-read.txt"), GWS_ETOOBIG);
	assert_non_null(strstr(gws_error_last(), "over the limit"));
	gws_buf_init(&buf, 16);
	assert_int_equal(gws_buf_read_file(&buf, "core-read.txt"), 0);
	assert_string_equal(gws_buf_cstr(&buf), "hello");
	gws_buf_dispose(&buf);
	assert_int_equal(gws_buf_read_file(&buf, "does-not-exist.txt"), GWS_ENOTFOUND);
	remove("core-read.txt");
}

static void test_arena(void **state)
{
	gws_arena *arena = NULL;
	char *s;
	int *big;

	(void)state;
	assert_int_equal(gws_arena_new(&arena), 0);
	s = gws_arena_printf(arena, "%s-%d", "x", 7);
	assert_string_equal(s, "x-7");
	assert_string_equal(gws_arena_strndup(arena, "abcdef", 3), "abc");
	for (int i = 0; i < 10000; i++) {
		long *p = gws_arena_alloc(arena, sizeof(long));
		assert_non_null(p);
		assert_int_equal(*p, 0);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		*p = i;
	}
	big = gws_arena_calloc(arena, 100000, sizeof(int));
	assert_non_null(big);
	assert_int_equal(big[99999], 0);
	assert_null(gws_arena_calloc(arena, SIZE_MAX / 2, 8));
	assert_true(gws_arena_used(arena) >= 100000 * sizeof(int));
	gws_arena_free(arena);
	gws_arena_free(NULL);
}

typedef struct {
	int key;
	int seq;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
	const keyed *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

static void test_vec_stable_sort(void **state)
{
	keyed items[200];
	gws_vec vec = GWS_VEC_INIT;

	(void)state;
	for (int i = 0; i < 200; i++) {
		items[i].key = (i * 7919) % 13;
		items[i].seq = i;
		assert_int_equal(gws_vec_push(&vec, &items[i]), 0);
	}
	assert_int_equal(gws_vec_sort(&vec, keyed_cmp), 0);
	for (size_t i = 1; i < vec.len; i++) {
		const keyed *a = vec.items[i - 1], *b = vec.items[i];
		assert_true(a->key < b->key || (a->key == b->key && a->seq < b->seq));
	}
	gws_vec_dispose(&vec);
}

static void test_diag_format_sort(void **state)
{
	gws_diag_list list;
	gws_buf line = GWS_BUF_INIT(1024);

	(void)state;
	gws_diag_list_init(&list);
	assert_int_equal(gws_diag_add(&list, GWS_DIAG_ERROR, "b.yaml", 3, 5, "Gateway ns/gw",
	                              "spec.listeners[0].port", "must be %d..%d", 1, 65535),
	                 0);
	assert_int_equal(gws_diag_add(&list, GWS_DIAG_WARNING, "a.yaml", 10, 1, "Service ns/svc",
	                              "spec.foo", "unknown field"),
	                 0);
	assert_int_equal(gws_diag_add(&list, GWS_DIAG_ERROR, "b.yaml", 3, 5, "Gateway ns/gw",
	                              "spec.listeners[0].port", "must be 1..65535"),
	                 0);
	assert_int_equal(gws_diag_add(&list, GWS_DIAG_ERROR, NULL, 0, 0, NULL, NULL, "plain"), 0);
	assert_int_equal(list.errors, 3);
	gws_diag_list_sort(&list);
	/* The exact duplicate is gone and the counts follow. */
	assert_int_equal(list.count, 3);
	assert_int_equal(list.errors, 2);
	assert_int_equal(list.warnings, 1);
	assert_null(list.items[0].file);
	assert_int_equal(gws_diag_format(&line, &list.items[0]), 0);
	assert_string_equal(gws_buf_cstr(&line), "plain");
	gws_buf_clear(&line);
	assert_int_equal(gws_diag_format(&line, &list.items[1]), 0);
	assert_string_equal(gws_buf_cstr(&line),
	                    "a.yaml:10:1: warning: Service ns/svc: spec.foo: unknown field");
	gws_buf_clear(&line);
	assert_int_equal(gws_diag_format(&line, &list.items[2]), 0);
	assert_string_equal(gws_buf_cstr(&line),
	                    "b.yaml:3:5: Gateway ns/gw: spec.listeners[0].port: must be 1..65535");
	gws_buf_dispose(&line);
	gws_diag_list_dispose(&list);
}

static void test_diag_cap(void **state)
{
	gws_diag_list list;

	(void)state;
	gws_diag_list_init(&list);
	for (int i = 0; i < GWS_DIAG_MAX + 5; i++)
		assert_int_equal(gws_diag_add(&list, GWS_DIAG_ERROR, "f.yaml", (unsigned)i + 1, 1,
		                              NULL, NULL, "e"),
		                 0);
	assert_int_equal(list.count, GWS_DIAG_MAX);
	assert_int_equal(list.dropped, 5);
	assert_int_equal(list.errors, GWS_DIAG_MAX + 5);
	gws_diag_list_dispose(&list);
}

static char *capture_log(gws_log_format format, void (*emit)(void))
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	gws_log_configure(GWS_LOG_DEBUG, format, out);
	emit();
	gws_log_configure(GWS_LOG_INFO, GWS_LOG_TEXT, NULL);
	fclose(out);
	return text;
}

static void emit_secret_lines(void)
{
	const char *kv[] = {"key", "AKIDSECRETVALUE", "note", "has space", NULL};

	gws_log(GWS_LOG_INFO, "aws", "token is wJalrXUtnFEMIK7MDENGbPxRfiCY and again %s",
	        "wJalrXUtnFEMIK7MDENGbPxRfiCY");
	gws_log_fields(GWS_LOG_DEBUG, "aws", "call", kv);
	gws_log(GWS_LOG_TRACE, "aws", "not shown at debug level");
}

static void test_log_scrubs_secrets(void **state)
{
	char *text;

	(void)state;
	assert_int_equal(gws_secret_register("wJalrXUtnFEMIK7MDENGbPxRfiCY"), 0);
	assert_int_equal(gws_secret_register("AKIDSECRETVALUE"), 0);
	assert_int_equal(gws_secret_register("abc"), 0); /* too short to scrub safely */
	text = capture_log(GWS_LOG_TEXT, emit_secret_lines);
	assert_null(strstr(text, "wJalrXUtnFEMIK7MDENGbPxRfiCY"));
	assert_null(strstr(text, "AKIDSECRETVALUE"));
	assert_non_null(strstr(text, "token is **** and again ****"));
	assert_non_null(strstr(text, "note=\"has space\""));
	assert_null(strstr(text, "not shown"));
	free(text);

	text = capture_log(GWS_LOG_JSON, emit_secret_lines);
	assert_null(strstr(text, "AKIDSECRETVALUE"));
	assert_non_null(strstr(text, "\"component\":\"aws\""));
	assert_non_null(strstr(text, "\"key\":\"****\""));
	free(text);
	gws_secret_forget_all();
}

static void test_hashes(void **state)
{
	unsigned char md[GWS_SHA256_LEN];
	char hex[2 * GWS_SHA256_LEN + 1];

	(void)state;
	gws_sha256("abc", 3, md);
	gws_hex_encode(hex, md, sizeof(md));
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* RFC 4231 test case 2. */
	gws_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, md);
	gws_hex_encode(hex, md, sizeof(md));
	assert_string_equal(hex,
	                    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_parse_numbers(void **state)
{
	long v = 0;
	long long ms = 0;

	(void)state;
	assert_int_equal(gws_parse_long(&v, "42", 1, 100), 0);
	assert_int_equal(v, 42);
	assert_int_equal(gws_parse_long(&v, "4x", 1, 100), GWS_EINVALID);
	assert_int_equal(gws_parse_long(&v, " 4", 1, 100), GWS_EINVALID);
	assert_int_equal(gws_parse_long(&v, "101", 1, 100), GWS_EINVALID);
	assert_int_equal(gws_parse_long(&v, "99999999999999999999", 1, 100), GWS_EINVALID);
	assert_int_equal(gws_parse_duration_ms(&ms, "90"), 0);
	assert_int_equal(ms, 90000);
	assert_int_equal(gws_parse_duration_ms(&ms, "1h30m"), 0);
	assert_int_equal(ms, 5400000);
	assert_int_equal(gws_parse_duration_ms(&ms, "250ms"), 0);
	assert_int_equal(ms, 250);
	assert_int_equal(gws_parse_duration_ms(&ms, "2m5s"), 0);
	assert_int_equal(ms, 125000);
	assert_int_equal(gws_parse_duration_ms(&ms, "5x"), GWS_EINVALID);
	assert_int_equal(gws_parse_duration_ms(&ms, "m"), GWS_EINVALID);
	assert_int_equal(gws_parse_duration_ms(&ms, ""), GWS_EINVALID);
	assert_true(gws_str_startswith("gateway.k8s.aws", "gateway."));
	assert_true(gws_str_endswith("a.yaml", ".yaml"));
	assert_false(gws_str_endswith("yaml", ".yaml"));
	assert_true(gws_strcmp_null(NULL, "a") < 0);
	assert_int_equal(gws_strcmp_null(NULL, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_error_slot),
	        cmocka_unit_test(test_alloc_failure_hook),
	        cmocka_unit_test(test_buf_cap_and_take),
	        cmocka_unit_test(test_buf_read_file),
	        cmocka_unit_test(test_arena),
	        cmocka_unit_test(test_vec_stable_sort),
	        cmocka_unit_test(test_diag_format_sort),
	        cmocka_unit_test(test_diag_cap),
	        cmocka_unit_test(test_log_scrubs_secrets),
	        cmocka_unit_test(test_hashes),
	        cmocka_unit_test(test_parse_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
