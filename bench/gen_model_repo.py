#!/usr/bin/env python3
"""Generate a repository for the model (render) benchmark.

    gen_model_repo.py OUT_DIR [--gateways G] [--routes R] [--per-file K] [--nlb-every N]

Writes G Gateways over 100 namespaces (every N-th one an NLB Gateway with a
TCP listener, the others ALB Gateways with HTTP and HTTPS listeners), R routes
spread evenly over them (HTTPRoutes with two matches and a hostname on ALB
Gateways, TCPRoutes on NLB Gateways), one Service per route, a
TargetGroupConfiguration for every fifth Service, a LoadBalancerConfiguration
per namespace, the two GatewayClasses and the Namespaces. K documents per
file, in one directory per namespace. Standard library only; deterministic.
"""
import os

from repogen import arg_parser, write_docs

HEAD = """apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: alb
spec:
  controllerName: gateway.k8s.aws/alb
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: nlb
spec:
  controllerName: gateway.k8s.aws/nlb
"""

NAMESPACE = """apiVersion: v1
kind: Namespace
metadata:
  name: {ns}
  labels:
    team: t{n}
---
apiVersion: gateway.k8s.aws/v1
kind: LoadBalancerConfiguration
metadata:
  name: lbc
  namespace: {ns}
spec:
  scheme: internet-facing
  tags:
    team: t{n}
  listenerConfigurations:
  - protocolPort: HTTPS:443
    defaultCertificate: arn:aws:acm:eu-west-1:111122223333:certificate/{n}
"""

ALB_GATEWAY = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw-{g}
  namespace: {ns}
spec:
  gatewayClassName: alb
  infrastructure:
    parametersRef:
      group: gateway.k8s.aws
      kind: LoadBalancerConfiguration
      name: lbc
  listeners:
  - name: http
    protocol: HTTP
    port: 80
  - name: https
    protocol: HTTPS
    port: 443
    hostname: "*.gw-{g}.example.com"
    tls:
      certificateRefs:
      - name: unused
"""

NLB_GATEWAY = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw-{g}
  namespace: {ns}
spec:
  gatewayClassName: nlb
  listeners:
  - name: tcp
    protocol: TCP
    port: 5432
"""

HTTP_ROUTE = """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: route-{i}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: app-{i}
spec:
  parentRefs:
  - name: gw-{g}
  hostnames:
  - app-{i}.gw-{g}.example.com
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api/v{v}
    - headers:
      - name: x-canary
        value: "true"
    backendRefs:
    - name: svc-{i}
      port: 80
"""

TCP_ROUTE = """apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata:
  name: route-{i}
  namespace: {ns}
spec:
  parentRefs:
  - name: gw-{g}
  rules:
  - backendRefs:
    - name: svc-{i}
      port: 80
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
  namespace: {ns}
spec:
  type: NodePort
  selector:
    app: app-{i}
  ports:
  - name: http
    port: 80
    targetPort: 8080
    nodePort: {node}
"""

TGC = """apiVersion: gateway.k8s.aws/v1
kind: TargetGroupConfiguration
metadata:
  name: svc-{i}
  namespace: {ns}
spec:
  targetReference:
    name: svc-{i}
  defaultConfiguration:
    targetType: ip
    healthCheckConfig:
      healthCheckPath: /healthz
      healthCheckInterval: 10
"""


class Writer:
    def __init__(self, out, per_file):
        self.out, self.per_file, self.files = out, per_file, {}

    def add(self, ns, doc):
        buf = self.files.setdefault(ns, [[]])
        if len(buf[-1]) >= self.per_file:
            buf.append([])
        buf[-1].append(doc)

    def flush(self):
        for ns, chunks in self.files.items():
            for k, docs in enumerate(chunks):
                write_docs(os.path.join(self.out, ns, "part-%05d.yaml" % k), docs)


def main():
    ap = arg_parser(per_file=10)
    ap.add_argument("--gateways", type=int, default=1000)
    ap.add_argument("--nlb-every", type=int, default=10)
    a = ap.parse_args()
    write_docs(os.path.join(a.out, "classes.yaml"), [HEAD])
    w = Writer(a.out, a.per_file)
    namespaces = min(100, a.gateways)
    for n in range(namespaces):
        w.add("ns-%03d" % n, NAMESPACE.format(ns="ns-%03d" % n, n=n))
    for g in range(a.gateways):
        ns = "ns-%03d" % (g % namespaces)
        nlb = a.nlb_every > 0 and g % a.nlb_every == a.nlb_every - 1
        w.add(ns, (NLB_GATEWAY if nlb else ALB_GATEWAY).format(g=g, ns=ns))
    for i in range(a.routes):
        g = i % a.gateways
        ns = "ns-%03d" % (g % namespaces)
        nlb = a.nlb_every > 0 and g % a.nlb_every == a.nlb_every - 1
        tmpl = TCP_ROUTE if nlb else HTTP_ROUTE
        w.add(ns, tmpl.format(i=i, g=g, ns=ns, v=i % 7))
        w.add(ns, SERVICE.format(i=i, ns=ns, node=30000 + i % 2768))
        if i % 5 == 0:
            w.add(ns, TGC.format(i=i, ns=ns))
    w.flush()


if __name__ == "__main__":
    main()
