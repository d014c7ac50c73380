#!/usr/bin/env python3
"""Generate a repository whose one object holds one very long list.

    gen_shapes.py OUT_DIR SHAPE N
    gen_shapes.py --list

Every check of the loader, the validator and the model must stay near-linear
in the length of any list, also past the list's schema limit (issue 10 M8:
100,000 listeners took 55 s). bench/validate_shapes.sh times `gwsync
validate` on these repositories at several N. Each repository also holds
what makes the model walk the list (a GatewayClass, an attached route,
Services), so the time is that of validate as a user would run it.
Standard library only; the output is deterministic.
"""
import os
import sys

CLASS_ALB = """apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: alb}
spec: {controllerName: gateway.k8s.aws/alb}
"""
CLASS_NLB = """apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: nlb}
spec: {controllerName: gateway.k8s.aws/nlb}
"""


def gateway(listeners, cls="alb", extra=""):
    return ("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
            "metadata: {name: gw, namespace: default}\n"
            "spec:\n  gatewayClassName: %s\n%s  listeners:\n%s" % (cls, extra, listeners))


HTTP_LISTENER = "  - {name: http, port: 80, protocol: HTTP}\n"


def service(name="svc", ports="  - {port: 80, nodePort: 30080}\n"):
    return ("apiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: default}\n"
            "spec:\n  type: NodePort\n  ports:\n%s" % (name, ports))


def route(rules, kind="HTTPRoute", head="", parents="  parentRefs: [{name: gw}]\n"):
    return ("apiVersion: gateway.networking.k8s.io/v1\nkind: %s\n"
            "metadata: {name: r, namespace: default}\nspec:\n%s%s  rules:\n%s"
            % (kind, parents, head, rules))


def lines(fmt, n):
    return "".join(fmt.format(i=i, p=1 + i % 65535, q=i // 65535) for i in range(n))


def listeners_ports(n):
    """Gateway listeners on distinct ports (the issue's 100,000-listener Gateway)."""
    return [CLASS_ALB, service(),
            gateway(lines("  - {{name: l{i}, port: {p}, protocol: HTTP}}\n", n)),
            route("  - backendRefs: [{name: svc, port: 80}]\n")]


def listeners_hostnames(n):
    """Gateway listeners on one port with distinct hostnames, one route on all of them."""
    return [CLASS_ALB, service(),
            gateway(lines("  - {{name: l{i}, port: 80, protocol: HTTP, "
                          "hostname: h{i}.example.com}}\n", n)),
            route("  - backendRefs: [{name: svc, port: 80}]\n")]


def listeners_same(n):
    """Gateway listeners all alike (every pair conflicts)."""
    return [CLASS_ALB, service(),
            gateway(lines("  - {{name: l{i}, port: 80, protocol: HTTP}}\n", n)),
            route("  - backendRefs: [{name: svc, port: 80}]\n")]


def addresses(n):
    return [CLASS_ALB, gateway(HTTP_LISTENER, extra="  addresses:\n"
                               + lines("  - {{type: IPAddress, value: '10.{q}.{p}.1'}}\n", n))]


def backendrefs(n):
    """One rule with n distinct backendRefs (the issue's 40,000 backendRefs)."""
    return [CLASS_ALB, gateway(HTTP_LISTENER),
            route("  - backendRefs:\n" + lines("    - {{name: svc-{i}, port: 80}}\n", n))]


def backendrefs_same(n):
    """One rule with n backendRefs to the same Service."""
    return [CLASS_ALB, service(), gateway(HTTP_LISTENER),
            route("  - backendRefs:\n" + lines("    - {{name: svc, port: 80, weight: 0}}\n", n))]


def rules(n):
    return [CLASS_ALB, service(), gateway(HTTP_LISTENER),
            route(lines("  - name: r{i}\n    matches: [{{path: {{value: /p{i}}}}}]\n"
                        "    backendRefs: [{{name: svc, port: 80}}]\n", n))]


def matches(n):
    return [CLASS_ALB, service(), gateway(HTTP_LISTENER),
            route("  - backendRefs: [{name: svc, port: 80}]\n    matches:\n"
                  + lines("    - {{path: {{value: /p{i}}}}}\n", n))]


def header_matches(n):
    return [CLASS_ALB, service(), gateway(HTTP_LISTENER),
            route("  - backendRefs: [{name: svc, port: 80}]\n    matches:\n"
                  "    - headers:\n" + lines("      - {{name: x-h{i}, value: v}}\n", n))]


def filters(n):
    return [CLASS_ALB, service(), gateway(HTTP_LISTENER),
            route("  - backendRefs: [{name: svc, port: 80}]\n    filters:\n"
                  + lines("    - {{type: RequestHeaderModifier, requestHeaderModifier: "
                          "{{set: [{{name: x-h{i}, value: v}}]}}}}\n", n))]


def header_modifier(n):
    return [CLASS_ALB, service(), gateway(HTTP_LISTENER),
            route("  - backendRefs: [{name: svc, port: 80}]\n    filters:\n"
                  "    - type: RequestHeaderModifier\n      requestHeaderModifier:\n"
                  "        set:\n" + lines("        - {{name: x-h{i}, value: v}}\n", n)
                  + "        remove:\n" + lines("        - x-r{i}\n", n))]


def hostnames(n):
    return [CLASS_ALB, service(), gateway(HTTP_LISTENER),
            route("  - backendRefs: [{name: svc, port: 80}]\n",
                  head="  hostnames:\n" + lines("  - h{i}.example.com\n", n))]


def parentrefs(n):
    return [CLASS_ALB, service(), gateway(HTTP_LISTENER),
            route("  - backendRefs: [{name: svc, port: 80}]\n",
                  parents="  parentRefs:\n" + lines("  - {{name: gw, port: {p}}}\n", n))]


def grpc_methods(n):
    return [CLASS_ALB, service(), gateway(HTTP_LISTENER),
            route("  - backendRefs: [{name: svc, port: 80}]\n    matches:\n"
                  + lines("    - method: {{service: s.S, method: M{i}}}\n", n),
                  kind="GRPCRoute")]


def tcp_backendrefs(n):
    return [CLASS_NLB, gateway("  - {name: tcp, port: 80, protocol: TCP}\n", cls="nlb"),
            route("  - backendRefs:\n" + lines("    - {{name: svc-{i}, port: 80}}\n", n),
                  kind="TCPRoute").replace("gateway.networking.k8s.io/v1\nkind: TCPRoute",
                                           "gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute")]


def service_ports(n):
    return [service(ports=lines("  - {{name: p{i}, port: {p}, nodePort: 30000}}\n", n))]


def labels(n):
    return ["apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n  labels:\n"
            + lines("    k{i}: v\n", n) + "  annotations:\n" + lines("    a{i}: v\n", n)]


def reference_grant(n):
    return ["apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\n"
            "metadata: {name: g, namespace: default}\nspec:\n  from:\n"
            + lines("  - {{group: gateway.networking.k8s.io, kind: HTTPRoute, "
                    "namespace: ns{i}}}\n", n)
            + "  to:\n" + lines("  - {{group: '', kind: Service, name: s{i}}}\n", n)]


def lb_config(n):
    return [CLASS_ALB, gateway(HTTP_LISTENER, extra="  infrastructure:\n    parametersRef: "
                               "{group: gateway.k8s.aws, kind: LoadBalancerConfiguration, "
                               "name: lbc}\n"),
            "apiVersion: gateway.k8s.aws/v1beta1\nkind: LoadBalancerConfiguration\n"
            "metadata: {name: lbc, namespace: default}\nspec:\n"
            "  listenerConfigurations:\n"
            + lines("  - {{protocolPort: 'HTTP:{p}', certificates: [arn:c{i}]}}\n", n)
            + "  sourceRanges:\n" + lines("  - 10.{q}.{p}.0/24\n", n)
            + "  securityGroups:\n" + lines("  - sg-{i}\n", n)
            + "  loadBalancerAttributes:\n" + lines("  - {{key: k{i}, value: v}}\n", n)
            + "  tags:\n" + lines("    t{i}: v\n", n)]


def tg_config(n):
    return [CLASS_ALB, service(), gateway(HTTP_LISTENER),
            route("  - backendRefs: [{name: svc, port: 80}]\n"),
            "apiVersion: gateway.k8s.aws/v1beta1\nkind: TargetGroupConfiguration\n"
            "metadata: {name: tgc, namespace: default}\nspec:\n"
            "  targetReference: {name: svc}\n  routeConfigurations:\n"
            + lines("  - routeIdentifier: {{kind: HTTPRoute, namespace: default, "
                    "name: r{i}}}\n    targetGroupProps: {{targetType: ip}}\n", n)]


def lr_config(n):
    return [CLASS_ALB, service(), gateway(HTTP_LISTENER),
            route("  - backendRefs: [{name: svc, port: 80}]\n    filters:\n"
                  "    - {type: ExtensionRef, extensionRef: {group: gateway.k8s.aws, "
                  "kind: ListenerRuleConfiguration, name: lrc}}\n"),
            "apiVersion: gateway.k8s.aws/v1beta1\nkind: ListenerRuleConfiguration\n"
            "metadata: {name: lrc, namespace: default}\nspec:\n  conditions:\n"
            "  - field: source-ip\n    sourceIPConfig:\n      values:\n"
            + lines("      - 10.{q}.{p}.0/24\n", n)
            + "  tags:\n" + lines("    t{i}: v\n", n)]


def listener_set(n):
    return [CLASS_ALB, gateway(HTTP_LISTENER),
            "apiVersion: gateway.networking.x-k8s.io/v1alpha1\nkind: XListenerSet\n"
            "metadata: {name: ls, namespace: default}\nspec:\n  parentRef: {name: gw}\n"
            "  listeners:\n" + lines("  - {{name: l{i}, port: {p}, protocol: HTTP}}\n", n)]


SHAPES = {
    "listeners": listeners_ports,
    "listeners-hostnames": listeners_hostnames,
    "listeners-same": listeners_same,
    "listener-set": listener_set,
    "addresses": addresses,
    "backendrefs": backendrefs,
    "backendrefs-same": backendrefs_same,
    "tcp-backendrefs": tcp_backendrefs,
    "rules": rules,
    "matches": matches,
    "header-matches": header_matches,
    "filters": filters,
    "header-modifier": header_modifier,
    "hostnames": hostnames,
    "parentrefs": parentrefs,
    "grpc-methods": grpc_methods,
    "service-ports": service_ports,
    "labels": labels,
    "reference-grant": reference_grant,
    "lb-config": lb_config,
    "tg-config": tg_config,
    "lr-config": lr_config,
}


def main():
    if sys.argv[1:] == ["--list"]:
        print(" ".join(SHAPES))
        return 0
    if len(sys.argv) != 4 or sys.argv[2] not in SHAPES:
        sys.exit("usage: gen_shapes.py OUT_DIR SHAPE N | --list (shapes: %s)"
                 % " ".join(SHAPES))
    out, shape, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "shape.yaml"), "w") as f:
        f.write("---\n".join(SHAPES[shape](n)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
