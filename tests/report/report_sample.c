/*
 * report_sample REPO OUT [--online]: loads REPO, builds the model (cluster
 * "demo") and writes the report under OUT/.gwsync/demo/. With --online every
 * built Gateway gets a synthetic sync result (Programmed=True, a DNS name and
 * a change line) and an inventory of its resources, as a sync would pass them.
 * Used by the Mermaid check in this directory and to look at SUMMARY.md by hand.
 */
#include <stdio.h>
#include <string.h>

#include "gwsync/manifest.h"
#include "gwsync/model.h"
#include "gwsync/report.h"

int main(int argc, char **argv)
{
	gws_manifest_options mopts = GWS_MANIFEST_OPTIONS_INIT;
	gws_model_options opts = GWS_MODEL_OPTIONS_INIT;
	gws_manifest_store *store = NULL;
	gws_model *model = NULL;
	gws_diag_list diags;
	gws_report_input in;
	gws_report_result res;
	gws_report_gateway_result results[64];
	gws_report_resource resources[64];
	char dns[64][128], arn[64][160];
	size_t n = 0;
	int rc = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: report_sample REPO OUT [--online]\n");
		return 3;
	}
	gws_diag_list_init(&diags);
	mopts.root = argv[1];
	opts.cluster = "demo";
	if (gws_manifest_load(&store, &mopts, &diags) < 0 ||
	    gws_model_build(&model, store, &opts, &diags) < 0) {
		fprintf(stderr, "report_sample: %s\n", gws_error_last());
		goto cleanup;
	}
	gws_diag_list_sort(&diags);
	memset(&in, 0, sizeof(in));
	in.model = model;
	in.diags = &diags;
	in.now = 1767225600; /* 2026-01-01T00:00:00Z */
	if (argc > 3 && strcmp(argv[3], "--online") == 0) {
		for (size_t i = 0; i < gws_model_stack_count(model) && n < 64; i++, n++) {
			const gws_model_stack *s = gws_model_stack_at(model, i);
			snprintf(dns[n], sizeof(dns[n]), "%s-%zu.eu-west-1.elb.amazonaws.com",
			         s->load_balancer.name, i);
			snprintf(arn[n], sizeof(arn[n]),
			         "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/"
			         "app/%s/%zu",
			         s->load_balancer.name, i);
			results[n] = (gws_report_gateway_result){
			        s->gateway, GWS_REPORT_TRUE, "Programmed",
			        NULL,       dns[n],          "load balancer created"};
			resources[n] = (gws_report_resource){s->gateway,     "LoadBalancer",
			                                     "LoadBalancer", s->load_balancer.name,
			                                     arn[n],         dns[n]};
		}
		in.gateways = results;
		in.n_gateways = n;
		in.observed = true;
		in.resources = resources;
		in.n_resources = n;
		in.source_commit = "0123456789abcdef0123456789abcdef01234567";
	}
	if (gws_report_write(&in, argv[2], &res) < 0) {
		fprintf(stderr, "report_sample: %s\n", gws_error_last());
		goto cleanup;
	}
	printf("%zu written, %zu removed, %zu unchanged\n", res.written, res.removed,
	       res.unchanged);
	rc = 0;
cleanup:
	gws_model_free(model);
	gws_manifest_store_free(store);
	gws_diag_list_dispose(&diags);
	return rc;
}
