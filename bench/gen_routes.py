#!/usr/bin/env python3
"""Generate a GitOps-style repository of HTTPRoutes for the manifest benchmark.

    gen_routes.py OUT_DIR [--routes N] [--per-file K]

Writes N HTTPRoutes (K per file, spread over 20 namespaces and directories),
one Gateway per namespace, a GatewayClass, and one Service per route backend.
Standard library only; the output is deterministic.
"""
import os

from repogen import arg_parser, write_docs

ROUTE = """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: route-{i}
  namespace: team-{ns}
  labels:
    app.kubernetes.io/name: app-{i}
    app.kubernetes.io/part-of: shop
  annotations:
    owner: team-{ns}@example.com
spec:
  parentRefs:
  - name: gw-{ns}
    sectionName: https
  hostnames:
  - app-{i}.team-{ns}.example.com
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api/v{v}
      headers:
      - name: x-tenant
        value: tenant-{i}
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - name: x-route
          value: route-{i}
    backendRefs:
    - name: svc-{i}
      port: 8080
      weight: 90
    - name: svc-{i}-canary
      port: 8080
      weight: 10
  - matches:
    - path:
        type: Exact
        value: /healthz
    backendRefs:
    - name: svc-{i}
      port: 8080
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
  namespace: team-{ns}
spec:
  selector:
    app: app-{i}
  ports:
  - name: http
    port: 8080
    targetPort: http
"""

GATEWAY = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw-{ns}
  namespace: team-{ns}
spec:
  gatewayClassName: aws-alb
  listeners:
  - name: http
    protocol: HTTP
    port: 80
  - name: https
    protocol: HTTPS
    port: 443
    hostname: "*.team-{ns}.example.com"
    tls:
      certificateRefs:
      - name: wildcard-team-{ns}
    allowedRoutes:
      namespaces:
        from: Same
"""

CLASS = """apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: aws-alb
spec:
  controllerName: gateway.k8s.aws/alb
"""


def main():
    ap = arg_parser(per_file=1)
    ap.add_argument("--namespaces", type=int, default=20)
    args = ap.parse_args()

    write_docs(os.path.join(args.out, "gatewayclass.yaml"), [CLASS])
    for ns in range(args.namespaces):
        d = os.path.join(args.out, "team-%d" % ns)
        os.makedirs(os.path.join(d, "routes"), exist_ok=True)
        write_docs(os.path.join(d, "gateway.yaml"), [GATEWAY.format(ns=ns)])
    batch = []
    for i in range(args.routes):
        ns = i % args.namespaces
        doc = ROUTE.format(i=i, ns=ns, v=i % 3 + 1)
        if i % 10 == 0:  # a Service for some backends, in the same file
            doc += "---\n" + SERVICE.format(i=i, ns=ns)
        batch.append(doc)
        if len(batch) == args.per_file or i == args.routes - 1:
            name = "route-%05d.yaml" % i
            write_docs(os.path.join(args.out, "team-%d" % ns, "routes", name), batch)
            batch = []

if __name__ == "__main__":
    main()
