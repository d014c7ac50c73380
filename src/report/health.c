/*
 * Target health in words, the same in SUMMARY.md and in the log of
 * --targets direct: the number of targets in each state, in a fixed order.
 */
#include "report/internal.h"

int gws_report_health_states(gws_buf *out, const gws_report_target_health *h)
{
	const struct {
		const char *name;
		size_t n;
	} states[] = {{"healthy", h->healthy},     {"initial", h->initial},
	              {"unhealthy", h->unhealthy}, {"draining", h->draining},
	              {"unused", h->unused},       {"unavailable", h->unavailable},
	              {"other", h->other}};
	const char *sep = "";
	int rc = 0;

	for (size_t i = 0; i < GWS_ARRAY_SIZE(states) && rc == 0; i++) {
		if (!states[i].n)
			continue;
		rc = gws_buf_printf(out, "%s%zu %s", sep, states[i].n, states[i].name);
		sep = ", ";
	}
	return rc;
}
