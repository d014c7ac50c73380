"""--targets direct (docs/targets.md): targets registered from a Kubernetes
API, here a loopback stub (TLS with a test CA, bearer token, paginated
lists), against fakeaws."""

import json
import os
import sys

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

    def test_scale_to_zero_deregisters_everything(self):
        self.assertEqual(self.run_direct().code, 0)
        self.kube.objects["endpointslices"] = []
        r = self.run_direct()
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.targets()["ip"], set())

    def assertNothingRegistered(self, r, words, since=0):
        self.assertEqual(r.code, 3, r)
        self.assertIn("Kubernetes API", r.err)
        for w in words:
            self.assertIn(w, r.err)
        self.assertEqual(self.target_calls(since), [])

    def test_wrong_token(self):
        self.env["KUBECONFIG"] = self.kube.kubeconfig(token="not-the-token", name="bad")
        r = self.run_direct()
        self.assertNothingRegistered(r, ["401"])
        self.assertNotIn("not-the-token", r.err + r.out)

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
        self.assertNothingRegistered(self.run_direct(), ["401"], since=seq)
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
