"""A loopback Kubernetes API for the targets tests: HTTPS with a CA made by
the test (openssl), a bearer token checked on every request, and paginated
lists (limit/continue, with pages smaller than asked, as a real server may
return) of Services, EndpointSlices and Nodes held in `self.objects`.

    stub = KubeStub(tmpdir).start()
    stub.objects["nodes"].append(node("n1", "i-0123456789abcdef0"))
    env["KUBECONFIG"] = stub.kubeconfig()
    ...
    stub.stop()
"""

import json
import os
import re
import ssl
import subprocess
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = 2  # items per page, whatever the client's limit


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True)


def make_ca(d, name):
    """A CA key and certificate in d: <name>.key, <name>.crt."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=%s" % name, "-keyout", name + ".key", "-out", name + ".crt", cwd=d)


def make_server_cert(d, ca):
    """server.key/server.crt for 127.0.0.1, signed by the CA `ca`."""
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", "server.key", "-out", "server.csr", cwd=d)
    with open(os.path.join(d, "san.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
            "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.crt", cwd=d)


def node(name, instance, labels=None, unschedulable=False, deleting=False):
    n = {"metadata": {"name": name, "labels": labels or {}},
         "spec": {"providerID": "aws:///us-west-2a/%s" % instance}}
    if unschedulable:
        n["spec"]["unschedulable"] = True
    if deleting:
        n["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    return n


def service(ns, name, ports):
    """ports: [(name, port, targetPort)]"""
    return {"metadata": {"namespace": ns, "name": name},
            "spec": {"ports": [{"name": n, "port": p, "targetPort": t, "protocol": "TCP"}
                               for n, p, t in ports]}}


def endpoint_slice(ns, svc, name, port_name, port, endpoints):
    """endpoints: [(ip, ready)] with ready True, False or None (absent)."""
    eps = []
    for ip, ready in endpoints:
        e = {"addresses": [ip], "conditions": {}}
        if ready is not None:
            e["conditions"]["ready"] = ready
        eps.append(e)
    return {"metadata": {"namespace": ns, "name": name,
                         "labels": {"kubernetes.io/service-name": svc}},
            "addressType": "IPv4", "endpoints": eps,
            "ports": [{"name": port_name, "port": port, "protocol": "TCP"}]}


class KubeStub:
    def __init__(self, tmpdir, token="stub-token-5h2k9"):
        self.dir = os.path.join(tmpdir, "kubestub")
        os.makedirs(self.dir, exist_ok=True)
        self.token = token
        self.objects = {"services": [], "endpointslices": [], "nodes": []}
        self.requests = []  # (path, query) of every authorised request
        self.writes = []    # (method, path) of every request that was not a GET
        self.lock = threading.Lock()
        make_ca(self.dir, "ca")
        make_server_cert(self.dir, "ca")
        self.ca = os.path.join(self.dir, "ca.crt")

    def start(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def reply(self, code, doc):
                body = json.dumps(doc).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.headers.get("Authorization") != "Bearer " + stub.token:
                    return self.reply(401, {"kind": "Status", "message": "Unauthorized",
                                            "code": 401})
                url = urllib.parse.urlsplit(self.path)
                q = dict(urllib.parse.parse_qsl(url.query))
                with stub.lock:
                    stub.requests.append((url.path, q))
                    code, doc = stub.route(url.path, q)
                self.reply(code, doc)

            def refuse(self):
                with stub.lock:
                    stub.writes.append((self.command, self.path))
                self.reply(405, {"kind": "Status", "message": "read-only stub", "code": 405})

            do_POST = do_PUT = do_PATCH = do_DELETE = refuse

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(self.dir, "server.crt"),
                            os.path.join(self.dir, "server.key"))
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self):
        return "https://127.0.0.1:%d" % self.port

    def kubeconfig(self, token=None, ca=None, name="kubeconfig"):
        with open(ca or self.ca) as f:
            ca_pem = f.read()
        import base64
        doc = {"apiVersion": "v1", "kind": "Config", "current-context": "stub",
               "clusters": [{"name": "stub", "cluster": {
                   "server": self.url(),
                   "certificate-authority-data": base64.b64encode(ca_pem.encode()).decode()}}],
               "users": [{"name": "stub", "user": {"token": token or self.token}}],
               "contexts": [{"name": "stub", "context": {"cluster": "stub", "user": "stub"}}]}
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            json.dump(doc, f)  # JSON is YAML
        return path

    # the API ---------------------------------------------------------------------

    def page(self, items, q):
        limit = int(q.get("limit", "0") or 0)
        start = int(q.get("continue", "0") or 0)
        size = min(limit, PAGE) if limit > 0 else len(items)
        chunk = items[start:start + size]
        meta = {}
        if start + size < len(items):
            meta["continue"] = str(start + size)
        return 200, {"kind": "List", "metadata": meta, "items": chunk}

    def route(self, path, q):
        m = re.fullmatch(r"/api/v1/namespaces/([^/]+)/services/([^/]+)", path)
        if m:
            for s in self.objects["services"]:
                if (s["metadata"]["namespace"], s["metadata"]["name"]) == m.groups():
                    return 200, s
            return 404, {"kind": "Status", "message": "services \"%s\" not found" % m[2],
                         "code": 404}
        if path == "/api/v1/nodes":
            return self.page(self.objects["nodes"], q)
        if path == "/api/v1/services":
            return self.page(self.objects["services"], q)
        m = re.fullmatch(r"/apis/discovery.k8s.io/v1/namespaces/([^/]+)/endpointslices", path)
        if m:
            sel = q.get("labelSelector", "")
            want = sel.split("=", 1)[1] if sel.startswith("kubernetes.io/service-name=") else None
            items = [s for s in self.objects["endpointslices"]
                     if s["metadata"]["namespace"] == m[1] and
                     (want is None or
                      s["metadata"]["labels"].get("kubernetes.io/service-name") == want)]
            return self.page(items, q)
        return 404, {"kind": "Status", "message": "not found", "code": 404}
