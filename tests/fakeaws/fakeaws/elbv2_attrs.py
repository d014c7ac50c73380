"""ELBv2 attribute keys and their defaults per load balancer, target group
and listener type (from AWS's API reference), and attribute value checks."""

import re

from .errors import validation


def lb_attribute_defaults(lb_type, scheme):
    common = [
        ("access_logs.s3.enabled", "false"), ("access_logs.s3.bucket", ""),
        ("access_logs.s3.prefix", ""), ("deletion_protection.enabled", "false"),
        ("zonal_shift.config.enabled", "false"),
    ]
    if lb_type == "network":
        return dict(common + [
            ("load_balancing.cross_zone.enabled", "false"),
            ("ipv6.deny_all_igw_traffic",
             "true" if scheme == "internal" else "false"),
            ("dns_record.client_routing_policy", "any_availability_zone"),
            ("secondary_ips.auto_assigned.per_subnet", "0"),
        ])
    return dict(common + [
        ("load_balancing.cross_zone.enabled", "true"),
        ("idle_timeout.timeout_seconds", "60"),
        ("client_keep_alive.seconds", "3600"),
        ("connection_logs.s3.enabled", "false"), ("connection_logs.s3.bucket", ""),
        ("connection_logs.s3.prefix", ""),
        ("health_check_logs.s3.enabled", "false"),
        ("health_check_logs.s3.bucket", ""), ("health_check_logs.s3.prefix", ""),
        ("routing.http.desync_mitigation_mode", "defensive"),
        ("routing.http.drop_invalid_header_fields.enabled", "false"),
        ("routing.http.preserve_host_header.enabled", "false"),
        ("routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"),
        ("routing.http.xff_client_port.enabled", "false"),
        ("routing.http.xff_header_processing.mode", "append"),
        ("routing.http2.enabled", "true"),
        ("waf.fail_open.enabled", "false"),
    ])


def tg_attribute_defaults(tg):
    proto, ttype = tg["Protocol"], tg["TargetType"]
    health = [
        ("target_group_health.dns_failover.minimum_healthy_targets.count", "1"),
        ("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"),
        ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"),
        ("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"),
    ]
    if ttype == "lambda":
        return dict([("lambda.multi_value_headers.enabled", "false")])
    if proto in ("HTTP", "HTTPS"):
        return dict([
            ("deregistration_delay.timeout_seconds", "300"),
            ("stickiness.enabled", "false"), ("stickiness.type", "lb_cookie"),
            ("stickiness.lb_cookie.duration_seconds", "86400"),
            ("stickiness.app_cookie.cookie_name", ""),
            ("stickiness.app_cookie.duration_seconds", "86400"),
            ("slow_start.duration_seconds", "0"),
            ("load_balancing.algorithm.type", "round_robin"),
            ("load_balancing.algorithm.anomaly_mitigation", "off"),
            ("load_balancing.cross_zone.enabled", "use_load_balancer_configuration"),
        ] + health)
    return dict([
        ("deregistration_delay.timeout_seconds", "300"),
        ("deregistration_delay.connection_termination.enabled", "false"),
        ("stickiness.enabled", "false"), ("stickiness.type", "source_ip"),
        ("proxy_protocol_v2.enabled", "false"),
        ("preserve_client_ip.enabled",
         "true" if ttype == "instance" or proto in ("UDP", "TCP_UDP") else "false"),
        ("load_balancing.cross_zone.enabled", "use_load_balancer_configuration"),
        ("target_health_state.unhealthy.connection_termination.enabled", "true"),
        ("target_health_state.unhealthy.draining_interval_seconds", "0"),
    ] + health)


def listener_attribute_defaults(lb_type, protocol):
    if lb_type == "network":
        if protocol in ("TCP", "TLS", "TCP_UDP"):
            return {"tcp.idle_timeout.seconds": "350"}
        return {}
    attrs = {
        "routing.http.response.server.enabled": "true",
        "routing.http.response.strict_transport_security.header_value": "",
        "routing.http.response.access_control_allow_origin.header_value": "",
        "routing.http.response.access_control_allow_methods.header_value": "",
        "routing.http.response.access_control_allow_headers.header_value": "",
        "routing.http.response.access_control_allow_credentials.header_value": "",
        "routing.http.response.access_control_expose_headers.header_value": "",
        "routing.http.response.access_control_max_age.header_value": "",
        "routing.http.response.content_security_policy.header_value": "",
        "routing.http.response.x_content_type_options.header_value": "",
        "routing.http.response.x_frame_options.header_value": "",
    }
    if protocol == "HTTPS":
        for k in ("x_amzn_mtls_clientcert_serial_number", "x_amzn_mtls_clientcert_issuer",
                  "x_amzn_mtls_clientcert_subject", "x_amzn_mtls_clientcert_validity",
                  "x_amzn_mtls_clientcert_leaf", "x_amzn_mtls_clientcert",
                  "x_amzn_tls_version", "x_amzn_tls_cipher_suite"):
            attrs["routing.http.request.%s.header_name" % k] = ""
    return attrs


BOOL_SUFFIXES = (".enabled",)


def check_attr_value(kind, key, value):
    if key.endswith(BOOL_SUFFIXES) and value not in ("true", "false"):
        raise validation("%s attribute '%s' value must be either 'true' or "
                         "'false'" % (kind, key))
    if key.endswith("_seconds") or key.endswith(".seconds"):
        if not re.match(r"^\d+$", value or ""):
            raise validation("%s attribute '%s' value must be an integer"
                             % (kind, key))
        limits = {"idle_timeout.timeout_seconds": (1, 4000),
                  "deregistration_delay.timeout_seconds": (0, 3600),
                  "client_keep_alive.seconds": (60, 604800),
                  "tcp.idle_timeout.seconds": (60, 6000),
                  "stickiness.lb_cookie.duration_seconds": (1, 604800),
                  "stickiness.app_cookie.duration_seconds": (1, 604800),
                  "slow_start.duration_seconds": (0, 900)}
        if key in limits:
            lo, hi = limits[key]
            if not lo <= int(value) <= hi:
                raise validation("%s attribute '%s' value must be between "
                                 "'%d' and '%d'" % (kind, key, lo, hi))


