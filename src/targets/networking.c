/*
 * The ports of a TargetGroupBinding's networking rule: what the load
 * balancer's security group must be allowed to reach on the targets. The
 * traffic port (UDP for UDP-family target groups), the health-check port
 * when it differs or when the traffic is UDP (health checks are TCP), and
 * the target control port.
 */
#include <stdio.h>
#include <string.h>

#include "targets/internal.h"

int gws_targets__kv_cmp(const void *a, const void *b)
{
	const gws_mf_kv *x = *(const gws_mf_kv *const *)a, *y = *(const gws_mf_kv *const *)b;

	return strcmp(x->key, y->key);
}

static bool udp_family(const char *protocol)
{
	return protocol && (strcmp(protocol, "UDP") == 0 || strcmp(protocol, "TCP_UDP") == 0 ||
	                    strcmp(protocol, "QUIC") == 0 || strcmp(protocol, "TCP_QUIC") == 0);
}

static size_t add(gws_targets__port *out, size_t n, const char *port, const char *protocol)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(out[i].port, port) == 0 && strcmp(out[i].protocol, protocol) == 0)
			return n;
	if (n < GWS_TARGETS__MAX_RULE_PORTS) {
		snprintf(out[n].port, sizeof(out[n].port), "%s", port);
		out[n].protocol = protocol;
		n++;
	}
	return n;
}

size_t gws_targets__ingress_ports(const gws_model_target_group *tg,
                                  gws_targets__port out[GWS_TARGETS__MAX_RULE_PORTS])
{
	char control[16];
	const char *traffic = tg->target_port;
	const char *hc = tg->health_check.port;
	bool udp = udp_family(tg->protocol);
	size_t n = 0;

	if (!traffic)
		return 0;
	n = add(out, n, traffic, udp ? "UDP" : "TCP");
	/* "traffic-port" (or no port) checks the traffic port, over TCP. */
	if (!hc || strcmp(hc, "traffic-port") == 0)
		hc = traffic;
	if (udp || strcmp(hc, traffic) != 0)
		n = add(out, n, hc, "TCP");
	if (tg->has_target_control_port) {
		snprintf(control, sizeof(control), "%d", tg->target_control_port);
		n = add(out, n, control, "TCP");
	}
	return n;
}
