/*
 * The Prometheus text writer (src/metrics): families in order with HELP and
 * TYPE, label values escaped so no value can break a line or a label set,
 * names checked, and the previous file's value read back only from a
 * well-formed sample line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "gwsync/metrics.h"

static char *render(gws_metrics *m)
{
	gws_buf b = GWS_BUF_INIT(1 << 20);
	char *out;

	assert_int_equal(gws_metrics_render(m, &b), 0);
	out = strdup(gws_buf_cstr(&b));
	gws_buf_dispose(&b);
	return out;
}

static void test_render_and_escape(void **state)
{
	gws_metrics *m;
	const char *labels[] = {"cluster", "a\"b\\c\nd", "skipped", NULL, "x", "1", NULL};
	char *text;

	(void)state;
	assert_int_equal(gws_metrics_new(&m), 0);
	assert_int_equal(gws_metrics_family(m, "gwsync_x", "gauge", "Help with \\ and\nnewline."),
	                 0);
	assert_int_equal(gws_metrics_family(m, "gwsync_y", "counter", "Y."), 0);
	assert_int_equal(gws_metrics_add(m, "gwsync_x", labels, 1.5), 0);
	assert_int_equal(gws_metrics_add(m, "gwsync_x", NULL, 1e20), 0);
	assert_int_equal(gws_metrics_add(m, "gwsync_y", NULL, 7), 0);
	text = render(m);
	assert_string_equal(text, "# HELP gwsync_x Help with \\\\ and\\nnewline.\n"
	                          "# TYPE gwsync_x gauge\n"
	                          "gwsync_x{cluster=\"a\\\"b\\\\c\\nd\",x=\"1\"} 1.5\n"
	                          "gwsync_x 1e+20\n"
	                          "# HELP gwsync_y Y.\n"
	                          "# TYPE gwsync_y counter\n"
	                          "gwsync_y 7\n");
	free(text);
	gws_metrics_free(m);
}

static void test_names_are_checked(void **state)
{
	gws_metrics *m;
	const char *bad_label[] = {"bad-label", "v", NULL};

	(void)state;
	assert_int_equal(gws_metrics_new(&m), 0);
	assert_int_equal(gws_metrics_family(m, "9starts_with_digit", "gauge", ""), GWS_EINVALID);
	assert_int_equal(gws_metrics_family(m, "has space", "gauge", ""), GWS_EINVALID);
	assert_int_equal(gws_metrics_family(m, "ok", "histogram", ""), GWS_EINVALID);
	assert_int_equal(gws_metrics_family(m, "ok", "gauge", ""), 0);
	assert_int_equal(gws_metrics_family(m, "ok", "gauge", ""), GWS_EINVALID);
	assert_int_equal(gws_metrics_add(m, "undeclared", NULL, 1), GWS_EINVALID);
	assert_int_equal(gws_metrics_add(m, "ok", bad_label, 1), GWS_EINVALID);
	gws_metrics_free(m);
	gws_metrics_free(NULL);
}

static void test_read_value_back(void **state)
{
	char path[] = "/tmp/gws-metrics-XXXXXX";
	int fd = mkstemp(path);
	gws_metrics *m;
	const char *labels[] = {"cluster", "has } and \" inside", NULL};
	double v = 0;
	FILE *fp;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(gws_metrics_new(&m), 0);
	assert_int_equal(gws_metrics_family(m, "gwsync_last", "gauge", "x"), 0);
	assert_int_equal(gws_metrics_family(m, "gwsync_last_success", "gauge", "x"), 0);
	assert_int_equal(gws_metrics_add(m, "gwsync_last", labels, 1), 0);
	assert_int_equal(gws_metrics_add(m, "gwsync_last_success", labels, 1764842400), 0);
	assert_int_equal(gws_metrics_write_file(m, path), 0);
	assert_int_equal(gws_metrics_read_value(path, "gwsync_last_success", &v), 0);
	assert_true(v == 1764842400.0);
	assert_int_equal(gws_metrics_read_value(path, "gwsync_absent", &v), GWS_ENOTFOUND);
	gws_metrics_free(m);

	/* A hand-edited or truncated file is not trusted. */
	fp = fopen(path, "w");
	fputs("gwsync_last_success{cluster=\"x\n# TYPE x gauge\ngwsync_last_success notanumber\n",
	      fp);
	fclose(fp);
	assert_int_equal(gws_metrics_read_value(path, "gwsync_last_success", &v), GWS_ENOTFOUND);
	unlink(path);
	assert_int_equal(gws_metrics_read_value(path, "gwsync_last_success", &v), GWS_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_render_and_escape),
	        cmocka_unit_test(test_names_are_checked),
	        cmocka_unit_test(test_read_value_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
