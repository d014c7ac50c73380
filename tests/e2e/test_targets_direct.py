"""--targets direct (docs/targets.md): targets registered from a Kubernetes
API, here a loopback stub (TLS with a test CA, bearer token, paginated
lists), against fakeaws."""

import json
import os
import re
import subprocess
import sys

import yaml

import gwse2e
from gwse2e import tearDownModule  # noqa: F401  (stops the module's fakeaws)
from kubestub import KubeStub, endpoint_slice, make_ca, node, service

I1, I2, I3, I4, I5 = ("i-0000000000000000%d" % n for n in range(1, 6))


class Direct(gwse2e.Case):
    def setUp(self):
        super().setUp()
        self.kube = KubeStub(self.tmp).start()
        self.addCleanup(self.kube.stop)
        o = self.kube.objects
        o["services"] += [service("apps", "web", [("http", 80, "http")]),
                          service("apps", "nodes", [("http", 80, 8080)])]
        # The named port "http" is 8080 on one set of pods and 9090 on another.
        o["endpointslices"] += [
            endpoint_slice("apps", "web", "web-a", "http", 8080,
                           [("10.0.1.1", True), ("10.0.1.2", False), ("10.0.1.3", None)]),
            endpoint_slice("apps", "web", "web-b", "http", 9090, [("10.0.2.1", True)]),
            endpoint_slice("apps", "other", "other-a", "http", 7000, [("10.0.9.9", True)]),
        ]
        o["nodes"] += [node("n1", I1, {"pool": "web"}),
                       node("n2", I2, {"pool": "web"}, unschedulable=True),
                       node("n3", I3, {"pool": "batch"}),
                       node("n4", I4, {"pool": "web"}, deleting=True),
                       node("n5", I5, {"pool": "web"})]
        self.env["KUBECONFIG"] = self.kube.kubeconfig()
        self.repo_dir = self.repo("targets")

    def targets(self):
        """{target group name prefix: {(id, port)}} from fakeaws."""
        out = {}
        for tg in self.elbv2()["TargetGroups"]:
            held = self.client("elbv2").describe_target_health(
                TargetGroupArn=tg["TargetGroupArn"])["TargetHealthDescriptions"]
            out[tg["TargetType"]] = {(t["Target"]["Id"], t["Target"]["Port"]) for t in held}
        return out

    def target_calls(self, since=0):
        return [(c["action"], c.get("params", {}).get("TargetGroupArn"))
                for c in self.fa.calls(since)
                if c.get("action") in ("RegisterTargets", "DeregisterTargets")]

    def run_direct(self, *args):
        return self.sync(self.repo_dir, "--targets", "direct", *args)

    def summary(self):
        """SUMMARY.md's bytes, or None when it was never written."""
        path = os.path.join(self.repo_dir, ".gwsync", gwse2e.CLUSTER, "SUMMARY.md")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return f.read()

    def health_cells(self):
        """{backend Service cell: Targets cell} of SUMMARY.md's target groups."""
        out = {}
        for line in self.summary().splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 6 and cells[0].startswith("`k8s-"):
                out[cells[3]] = cells[5]
        return out

    def health_reads(self, since=0):
        return [c for c in self.fa.calls(since) if c.get("action") == "DescribeTargetHealth"]

    def test_registers_exactly_the_ready_endpoints_and_nodes(self):
        r = self.run_direct()
        self.assertEqual(r.code, 0, r)
        got = self.targets()
        self.assertEqual(got["ip"], {("10.0.1.1", 8080), ("10.0.1.3", 8080),
                                     ("10.0.2.1", 9090)})
        self.assertEqual(got["instance"], {(I1, 30080), (I5, 30080)})
        # The lists were read page by page.
        conts = [q for p, q in self.kube.requests if p == "/api/v1/nodes" and "continue" in q]
        self.assertTrue(conts, self.kube.requests)
        self.assertIn("target group", r.err)  # DescribeTargetHealth in the log
        self.assertWithinRbac()

    def assertWithinRbac(self):
        """Every request the run made is a get or list that jobs/kubernetes/rbac.yaml
        grants: the shipped role is enough, and gwsync asks for nothing more."""
        with open(os.path.join(gwse2e.SRC, "jobs", "kubernetes", "rbac.yaml")) as f:
            (role,) = [d for d in yaml.safe_load_all(f) if d["kind"] == "ClusterRole"]
        granted = {(g, res, v) for rule in role["rules"] for g in rule["apiGroups"]
                   for res in rule["resources"] for v in rule["verbs"]}
        pattern = re.compile(r"^/(?:api/v1|apis/(?P<group>[^/]+)/v1)"
                             r"(?:/namespaces/[^/]+)?/(?P<res>[a-z]+)(?P<one>/[^/]+)?$")
        self.assertTrue(self.kube.requests)
        for path, _ in self.kube.requests:
            m = pattern.match(path)
            self.assertIsNotNone(m, path)
            verb = "get" if m.group("one") else "list"
            self.assertIn((m.group("group") or "", m.group("res"), verb), granted, path)
        self.assertEqual(self.kube.writes, [])

    def test_changes_register_and_deregister_the_difference(self):
        self.assertEqual(self.run_direct().code, 0)
        before = self.targets()
        o = self.kube.objects
        # scale up, a pod not ready, a node removed, a node cordoned
        o["endpointslices"][0] = endpoint_slice(
            "apps", "web", "web-a", "http", 8080,
            [("10.0.1.1", False), ("10.0.1.3", None), ("10.0.1.4", True)])
        o["nodes"] = [n for n in o["nodes"] if n["metadata"]["name"] != "n5"]
        o["nodes"].append(node("n6", "i-00000000000000006", {"pool": "web"}))
        seq = self.fa.calls()[-1]["seq"]
        r = self.run_direct()
        self.assertEqual(r.code, 0, r)
        got = self.targets()
        self.assertEqual(got["ip"], {("10.0.1.3", 8080), ("10.0.1.4", 8080),
                                     ("10.0.2.1", 9090)})
        self.assertEqual(got["instance"], {(I1, 30080), ("i-00000000000000006", 30080)})
        self.assertNotEqual(before, got)
        calls = [a for a, _ in self.target_calls(seq)]
        # One batch each way per target group that changed.
        self.assertEqual(sorted(calls), ["DeregisterTargets", "DeregisterTargets",
                                         "RegisterTargets", "RegisterTargets"])
        # No change: no Register/Deregister call at all.
        seq = self.fa.calls()[-1]["seq"]
        r = self.run_direct()
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.target_calls(seq), [])
        self.assertEqual(self.targets(), got)

    def test_summary_shows_the_health_read_after_registering(self):
        self.fa.set_config(target_health="unhealthy")
        r = self.run_direct()
        self.assertEqual(r.code, 0, r)
        # Counts per state, as fakeaws reports them after the registration.
        self.assertEqual(self.health_cells(), {"apps/web:80": "3: 3 unhealthy",
                                               "apps/nodes:80": "2: 2 unhealthy"})
        # The health changes: the next run says so. Nothing to register, so each
        # target group's health is read once (the read that finds the difference).
        self.fa.set_config(target_health="healthy")
        seq = self.fa.calls()[-1]["seq"]
        r = self.run_direct()
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.target_calls(seq), [])
        self.assertEqual(len(self.health_reads(seq)), 2)
        self.assertEqual(self.health_cells(), {"apps/web:80": "3: 3 healthy",
                                               "apps/nodes:80": "2: 2 healthy"})
        # Same health: byte-identical SUMMARY.md (nothing to commit).
        before = self.summary()
        self.assertEqual(self.run_direct().code, 0)
        self.assertEqual(self.summary(), before)
        # A change reads the health again after the calls.
        self.kube.objects["endpointslices"][1] = endpoint_slice(
            "apps", "web", "web-b", "http", 9090, [("10.0.2.1", True), ("10.0.2.2", True)])
        seq = self.fa.calls()[-1]["seq"]
        self.assertEqual(self.run_direct().code, 0)
        self.assertEqual(len(self.health_reads(seq)), 3)
        self.assertEqual(self.health_cells()["apps/web:80"], "4: 4 healthy")

    def test_other_modes_do_not_read_the_health(self):
        for mode in ("binding", "none"):
            seq = self.fa.calls()[-1]["seq"] if self.fa.calls() else 0
            r = self.sync(self.repo_dir, "--targets", mode)
            self.assertEqual(r.code, 0, r)
            self.assertEqual(self.health_reads(seq), [])
            self.assertEqual(self.health_cells(), {
                "apps/web:80": "not read (targets: %s)" % mode,
                "apps/nodes:80": "not read (targets: %s)" % mode})

    def test_scale_to_zero_deregisters_everything(self):
        self.assertEqual(self.run_direct().code, 0)
        self.kube.objects["endpointslices"] = []
        r = self.run_direct()
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.targets()["ip"], set())

    def assertNothingRegistered(self, r, words, since=0, summary=None):
        self.assertEqual(r.code, 3, r)
        self.assertIn("Kubernetes API", r.err)
        for w in words:
            self.assertIn(w, r.err)
        self.assertEqual(self.target_calls(since), [])
        # The run stopped before any AWS call: no write, no new status report.
        self.assertEqual(self.mutations(since), [])
        self.assertEqual(self.summary(), summary)

    def test_wrong_token(self):
        self.env["KUBECONFIG"] = self.kube.kubeconfig(token="not-the-token", name="bad")
        r = self.run_direct()
        self.assertNothingRegistered(r, ["401"])
        self.assertNotIn("not-the-token", r.err + r.out)

    def test_wrong_token_with_a_git_source_makes_no_commit(self):
        url = self.git_url(self.repo_dir)
        bare = url[len("file://"):]

        def heads():
            return subprocess.run(["git", "-C", bare, "for-each-ref"], capture_output=True,
                                  text=True, check=True).stdout

        before = heads()
        self.env["KUBECONFIG"] = self.kube.kubeconfig(token="not-the-token", name="bad")
        r = self.sync(url, "--targets", "direct")
        self.assertNothingRegistered(r, ["401"])
        self.assertEqual(heads(), before)

    def test_untrusted_ca(self):
        make_ca(self.kube.dir, "other")
        self.env["KUBECONFIG"] = self.kube.kubeconfig(
            ca=os.path.join(self.kube.dir, "other.crt"), name="other-ca")
        self.assertNothingRegistered(self.run_direct(), ["not trusted"])

    def test_unreachable(self):
        cfg = self.kube.kubeconfig()
        with open(cfg) as f:
            text = f.read()
        with open(cfg, "w") as f:
            f.write(text.replace(self.kube.url(), "https://127.0.0.1:1"))
        self.assertNothingRegistered(self.run_direct(), ["unreachable"])

    def test_failure_after_registration_changes_nothing(self):
        self.assertEqual(self.run_direct().code, 0)
        before = self.targets()
        self.kube.objects["endpointslices"] = []
        self.env["KUBECONFIG"] = self.kube.kubeconfig(token="expired", name="expired")
        seq = self.fa.calls()[-1]["seq"]
        summary = self.summary()
        self.assertNothingRegistered(self.run_direct(), ["401"], since=seq, summary=summary)
        self.assertEqual(self.targets(), before)

    def test_in_cluster_service_account(self):
        sa = os.path.join(self.tmp, "sa")
        os.makedirs(sa)
        with open(os.path.join(sa, "token"), "w") as f:
            f.write(self.kube.token + "\n")
        with open(self.kube.ca) as src, open(os.path.join(sa, "ca.crt"), "w") as dst:
            dst.write(src.read())
        del self.env["KUBECONFIG"]
        self.env.update(KUBERNETES_SERVICE_HOST="127.0.0.1",
                        KUBERNETES_SERVICE_PORT=str(self.kube.port),
                        GWSYNC_KUBE_SERVICEACCOUNT_DIR=sa)
        r = self.run_direct()
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.targets()["instance"], {(I1, 30080), (I5, 30080)})
        # The token is read again on each run: a rotated one is used at once.
        self.kube.token = "rotated-token-77"
        with open(os.path.join(sa, "token"), "w") as f:
            f.write("rotated-token-77")
        self.assertEqual(self.run_direct().code, 0)

    def test_exec_credential_plugin(self):
        plugin = os.path.join(self.tmp, "get-token.py")
        with open(plugin, "w") as f:
            f.write("import json, os, sys\n"
                    "info = json.loads(os.environ['KUBERNETES_EXEC_INFO'])\n"
                    "assert info['spec']['interactive'] is False\n"
                    "print(json.dumps({'apiVersion': info['apiVersion'],\n"
                    "    'kind': 'ExecCredential', 'status': {'token': os.environ['STUB_TOKEN']}}))\n")
        cfg = self.kube.kubeconfig()
        with open(cfg) as f:
            doc = json.load(f)
        doc["users"][0]["user"] = {"exec": {
            "apiVersion": "client.authentication.k8s.io/v1", "command": sys.executable,
            "args": [plugin], "env": [{"name": "STUB_TOKEN", "value": self.kube.token}]}}
        with open(cfg, "w") as f:
            json.dump(doc, f)
        r = self.run_direct()
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.targets()["instance"], {(I1, 30080), (I5, 30080)})
        self.assertNotIn(self.kube.token, r.err + r.out)

    def test_no_api_configured(self):
        del self.env["KUBECONFIG"]
        r = self.run_direct()
        self.assertEqual(r.code, 3, r)
        self.assertIn("no Kubernetes API is configured", r.err)


if __name__ == "__main__":
    import unittest
    unittest.main()
