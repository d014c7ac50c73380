/*
 * libFuzzer target for the reader of a previous status file
 * (src/report/previous.c): the file may have been edited by hand, cut short
 * or replaced by something hostile. The input is the file. It is parsed
 * twice; both parses must agree (0 or an out-of-memory error, and the same
 * answer for every lookup), never crash, leak or overrun. Lookups use the
 * keys a run asks for (the object's, a listener's and a route parent's
 * conditions), with statuses that match and that do not, and every time a
 * lookup returns must be a string within the input's size.
 *
 *   cmake -S . -B build-fuzz -DGWSYNC_FUZZ=ON -DCMAKE_C_COMPILER=clang
 *   cmake --build build-fuzz --target fuzz_report_previous
 *   build-fuzz/tests/fuzz_report_previous -max_total_time=1800 \
 *       tests/fuzz/corpus/report_previous
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_KEYS 6

static int keys(gws_buf out[N_KEYS])
{
	static const char *const ref[7] = {
	        "gateway.networking.k8s.io", "Gateway", "web", "web", "https", NULL,
	        "gateway.k8s.aws/alb"};
	int rc = gws_report__key_object(&out[0], "Programmed");

	if (rc == 0)
		rc = gws_report__key_object(&out[1], "Accepted");
	if (rc == 0)
		rc = gws_report__key_listener(&out[2], "http", "Programmed");
	if (rc == 0)
		rc = gws_report__key_listener(&out[3], "", "");
	if (rc == 0)
		rc = gws_report__key_parent(&out[4], ref, "Accepted");
	if (rc == 0)
		rc = gws_report__key_parent(&out[5], ref, "ResolvedRefs");
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const statuses[] = {"True", "False", "Unknown", ""};
	gws_report__prev one, two;
	gws_buf key[N_KEYS];
	int rc1, rc2;

	for (size_t i = 0; i < N_KEYS; i++)
		gws_buf_init(&key[i], 4096);
	gws_report__prev_init(&one);
	gws_report__prev_init(&two);
	rc1 = gws_report__prev_parse(&one, (const char *)data, size);
	rc2 = gws_report__prev_parse(&two, (const char *)data, size);
	if (rc1 != rc2 || (rc1 != 0 && rc1 != GWS_ENOMEM)) {
		fprintf(stderr, "fuzz_report_previous: parse returned %d then %d\n", rc1, rc2);
		abort();
	}
	if (keys(key) == 0)
		for (size_t k = 0; k < N_KEYS; k++)
			for (size_t s = 0; s < sizeof(statuses) / sizeof(statuses[0]); s++) {
				const char *a =
				        gws_report__prev_time(&one, key[k].ptr, statuses[s]);
				const char *b =
				        gws_report__prev_time(&two, key[k].ptr, statuses[s]);

				if (!a != !b || (a && (strcmp(a, b) != 0 || strlen(a) > size))) {
					fprintf(stderr, "fuzz_report_previous: lookups disagree\n");
					abort();
				}
			}
	gws_report__prev_dispose(&one);
	gws_report__prev_dispose(&two);
	for (size_t i = 0; i < N_KEYS; i++)
		gws_buf_dispose(&key[i]);
	return 0;
}
