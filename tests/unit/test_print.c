/*
 * The output funnel (core/print.c, escape.c, url.c): escaping of untrusted
 * strings, URL userinfo dropped even from URLs that do not parse, secrets
 * scrubbed from every printed line, and the same for diagnostics and logs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gwsync/core.h"
#include "gwsync/source.h"

static char *escaped(const char *s, size_t len)
{
	static char out[1024];
	gws_buf b = GWS_BUF_INIT(4096);

	assert_int_equal(gws_escape(&b, s, len), 0);
	snprintf(out, sizeof(out), "%s", gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	return out;
}

#define ESC(lit) escaped(lit, sizeof(lit) - 1)

/* issue 10 L2: one escaping function for every untrusted string. */
static void test_escape(void **state)
{
	(void)state;
	assert_string_equal(ESC("plain café ✓ \\n stays"), "plain café ✓ \\n stays");
	assert_string_equal(ESC("x\n::error::forged.yaml"), "x\\n::error::forged.yaml");
	assert_string_equal(ESC("a\rb\tc\bd\fe"), "a\\rb\\tc\\bd\\fe");
	assert_string_equal(ESC("\x1b[31mred\x07"), "\\u001b[31mred\\u0007");
	assert_string_equal(ESC("del\x7f"), "del\\u007f");
	/* C1 controls: U+009B is a one-character CSI to some terminals. */
	assert_string_equal(ESC("csi\xc2\x9b"
	                        "2J nbsp\xc2\xa0"),
	                    "csi\\u009b2J nbsp\xc2\xa0");
	/* Not UTF-8: lone continuation, overlong, surrogate, truncated, above U+10FFFF. */
	assert_string_equal(ESC("\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x82|\xf4\x90\x80\x80"),
	                    "\\x80|\\xc0\\xaf|\\xed\\xa0\\x80|\\xe2\\x82|\\xf4\\x90\\x80\\x80");
	assert_string_equal(ESC("nul\0after"), "nul\\u0000after");
	/* Escaping escaped text changes nothing. */
	assert_string_equal(escaped(ESC("x\n\x1b\xff"), strlen(ESC("x\n\x1b\xff"))),
	                    "x\\n\\u001b\\xff");
	assert_false(gws_needs_escape("fine ✓", strlen("fine ✓")));
	assert_true(gws_needs_escape("a\nb", 3));
	assert_true(gws_needs_escape("\xc2\x85", 2));
}

static char *redacted(const char *text)
{
	static char out[1024];
	gws_buf b = GWS_BUF_INIT(4096);

	assert_int_equal(gws_url_redact(&b, text, strlen(text)), 0);
	snprintf(out, sizeof(out), "%s", gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	return out;
}

/* issue 10 M3: userinfo goes even when the password breaks the URL's syntax. */
static void test_url_redact(void **state)
{
	size_t off, n;

	(void)state;
	assert_string_equal(redacted("https://user:pw@host/repo.git"), "https://host/repo.git");
	assert_string_equal(redacted("cannot fetch https://user:pa/ss1234@127.0.0.1:1/r.git: "
	                             "malformed URL 'https://user:pa/ss1234@127.0.0.1:1/r.git'"),
	                    "cannot fetch https://127.0.0.1:1/r.git: malformed URL "
	                    "'https://127.0.0.1:1/r.git'");
	assert_string_equal(redacted("https://u:pa ss\"q'@host/r"), "https://host/r");
	assert_string_equal(redacted("https://u:p@ss@host/r"), "https://host/r");
	assert_string_equal(redacted("ssh://git@[::1]:22/r"), "ssh://[::1]:22/r");
	assert_string_equal(redacted("file://bob:pw@/srv/repo"), "file:///srv/repo");
	assert_string_equal(redacted("no userinfo: https://host/a@/b and http://x/y"),
	                    "no userinfo: https://host/a@/b and http://x/y");
	/* Two URLs on a line are two URLs; a line break ends one. */
	assert_string_equal(redacted("a https://u:1/2@h1/x b https://v:3@h2/y"),
	                    "a https://h1/x b https://h2/y");
	assert_string_equal(redacted("https://h/x\nmail me@example.com"),
	                    "https://h/x\nmail me@example.com");
	/* scp-like: only with a password; git@host:path is left alone. */
	assert_string_equal(redacted("--repo user:pa/ss1234@host:repo: not a directory"),
	                    "--repo host:repo: not a directory");
	assert_string_equal(redacted("error: git@github.com:org/repo: denied"),
	                    "error: git@github.com:org/repo: denied");
	assert_string_equal(redacted("u:p@ss@host:path"), "host:path");

	assert_true(gws_url_userinfo("https://u:pa/ss@h/r", 19, &off, &n));
	assert_int_equal(off, 8);
	assert_int_equal(n, 7);
	assert_true(gws_url_userinfo("user:p w@host:repo", 18, &off, &n));
	assert_int_equal(off, 0);
	assert_int_equal(n, 8);
	assert_false(gws_url_userinfo("https://host/repo", 17, &off, &n));
	assert_false(gws_url_userinfo("/local/dir", 10, &off, &n));
}

/* issue 10 M3: the source module's messages go through the same rule. */
static void test_source_redact(void **state)
{
	gws_buf b = GWS_BUF_INIT(1024);

	(void)state;
	assert_int_equal(gws_source_redact(&b, "cannot fetch https://user:pa/ss w\"q@host/r.git: "
	                                       "malformed URL"),
	                 0);
	assert_string_equal(gws_buf_cstr(&b), "cannot fetch https://host/r.git: malformed URL");
	gws_buf_clear(&b);
	assert_int_equal(gws_source_redact(&b, "--repo user:pa/ss@host:repo: not a directory"), 0);
	assert_string_equal(gws_buf_cstr(&b), "--repo host:repo: not a directory");
	gws_buf_dispose(&b);
}

static char *printed(void (*emit)(FILE *out))
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	emit(out);
	fclose(out);
	return text;
}

static void emit_lines(FILE *out)
{
	const char text[] = "first ghp_SECRETTOKEN1\nx\n::error::forged\n";
	gws_buf doc = GWS_BUF_INIT(1024);

	assert_int_equal(
	        gws_print(out, "error: %s at %s", "pa/ss w0rd\"q", "https://u:pa/ss w0rd\"q@h/r"),
	        0);
	assert_int_equal(gws_print(out, "file %s", "x\n::error::forged.yaml\x1b[2J"), 0);
	assert_int_equal(gws_print_lines(out, text, sizeof(text) - 1), 0);
	assert_int_equal(gws_buf_puts(&doc, "{\"token\": \"ghp_SECRETTOKEN1\", \"x\": \"\\n\"}\n"),
	                 0);
	assert_int_equal(gws_print_document(out, &doc), 0);
	gws_buf_dispose(&doc);
}

/* issue 10 M3 and L2: every printed line is scrubbed and escaped. */
static void test_print_funnel(void **state)
{
	char *text;

	(void)state;
	assert_int_equal(gws_secret_register("pa/ss w0rd\"q"), 0);
	assert_int_equal(gws_secret_register("ghp_SECRETTOKEN1"), 0);
	text = printed(emit_lines);
	assert_null(strstr(text, "pa/ss"));
	assert_null(strstr(text, "SECRETTOKEN1"));
	assert_string_equal(text, "error: **** at https://h/r\n"
	                          "file x\\n::error::forged.yaml\\u001b[2J\n"
	                          "first ****\n"
	                          "x\n"
	                          "::error::forged\n"
	                          "{\"token\": \"****\", \"x\": \"\\n\"}\n");
	free(text);
	gws_secret_forget_all();
	assert_false(gws_secret_any());
}

/* issue 10 L2: diagnostics escape every part. */
static void test_diag_format_escapes(void **state)
{
	gws_diag_list list;
	gws_buf line = GWS_BUF_INIT(1024);

	(void)state;
	gws_diag_list_init(&list);
	assert_int_equal(gws_diag_add(&list, GWS_DIAG_ERROR, "x\n::error::forged.yaml", 1, 2,
	                              "HTTPRoute ns/a\x1b[0m", "spec.k\r", "duplicate key '%s'",
	                              "k\n::add-mask::x"),
	                 0);
	assert_int_equal(gws_diag_format(&line, &list.items[0]), 0);
	assert_string_equal(gws_buf_cstr(&line),
	                    "x\\n::error::forged.yaml:1:2: HTTPRoute ns/a\\u001b[0m: spec.k\\r: "
	                    "duplicate key 'k\\n::add-mask::x'");
	gws_buf_dispose(&line);
	gws_diag_list_dispose(&list);
}

static char *logged(gws_log_format format, const char *msg, const char *value)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	const char *kv[] = {"url", value, NULL};

	assert_non_null(out);
	gws_log_configure(GWS_LOG_DEBUG, format, out);
	gws_log(GWS_LOG_INFO, "test", "%s", msg);
	gws_log_fields(GWS_LOG_INFO, "test", "fields", kv);
	gws_log_configure(GWS_LOG_INFO, GWS_LOG_TEXT, NULL);
	fclose(out);
	return text;
}

/* issue 10 L2 and M3: log lines are one line each, without URL passwords. */
static void test_log_escapes_and_redacts(void **state)
{
	char *text;
	size_t lines = 0;

	(void)state;
	text = logged(GWS_LOG_TEXT, "name x\n::error::forged \x1b]0;t\x07 \xff",
	              "https://u:pa/ss99@h/r");
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 2);
	assert_non_null(strstr(text, "name x\\n::error::forged \\u001b]0;t\\u0007 \\xff\n"));
	assert_null(strstr(text, "pa/ss99"));
	assert_non_null(strstr(text, "url=https://h/r"));
	free(text);

	/* JSON escapes C0 itself; C1 becomes a JSON escape too, and bytes that are
	 * not UTF-8 (which JSON cannot carry) are shown as gws_escape shows them. */
	text = logged(GWS_LOG_JSON,
	              "a\xc2\x9b"
	              "b\n",
	              "https://u:pa/ss99@h/r \xff");
	assert_null(strstr(text, "pa/ss99"));
	assert_non_null(strstr(text, "\"msg\":\"a\\u009bb\\n\""));
	assert_non_null(strstr(text, "\"url\":\"https://h/r \\\\xff\""));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_escape),
	        cmocka_unit_test(test_url_redact),
	        cmocka_unit_test(test_source_redact),
	        cmocka_unit_test(test_print_funnel),
	        cmocka_unit_test(test_diag_format_escapes),
	        cmocka_unit_test(test_log_escapes_and_redacts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
