"""Services read from the cluster (docs/targets.md): a backend Service that is
not in the repository is read from the Kubernetes API when one is configured
(here a loopback stub); the repository wins; without an API it stays
BackendNotFound."""

import os

import yaml

import gwse2e
from gwse2e import tearDownModule  # noqa: F401  (stops the module's fakeaws)
from kubestub import KubeStub

ROUTE = """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: remote
  namespace: apps
spec:
  parentRefs:
  - name: gw
  rules:
  - matches:
    - path: {type: PathPrefix, value: /remote}
    backendRefs:
    - name: remote
      port: 80
"""


def cluster_service(name, node_port, ns="apps"):
    return {"metadata": {"namespace": ns, "name": name, "uid": "x", "resourceVersion": "7",
                         "managedFields": [{"manager": "kubectl"}]},
            "spec": {"type": "NodePort", "clusterIP": "10.96.0.10",
                     "ports": [{"name": "http", "port": 80, "targetPort": 8080,
                                "nodePort": node_port, "protocol": "TCP"}]},
            "status": {"loadBalancer": {}}}


class ClusterServices(gwse2e.Case):
    def setUp(self):
        super().setUp()
        self.kube = KubeStub(self.tmp).start()
        self.addCleanup(self.kube.stop)
        # Enough Services for the list to take several pages.
        self.kube.objects["services"] += [cluster_service("remote", 31000),
                                          cluster_service("nodes", 32000),
                                          cluster_service("other", 32100, ns="elsewhere")]
        self.repo_dir = self.repo("targets")
        self.write(self.repo_dir, "remote.yaml", ROUTE)

    def tg_ports(self):
        return sorted(tg["Port"] for tg in self.elbv2()["TargetGroups"])

    def route_status(self):
        path = os.path.join(self.repo_dir, ".gwsync", gwse2e.CLUSTER, "status", "apps",
                            "HTTPRoute", "remote.yaml")
        with open(path) as f:
            return yaml.safe_load(f)["status"]

    def test_service_only_in_the_cluster_resolves(self):
        self.env["KUBECONFIG"] = self.kube.kubeconfig()
        r = self.sync(self.repo_dir)
        self.assertEqual(r.code, 0, r)
        # remote: the cluster's nodePort; nodes: the repository's (30080), not 32000.
        self.assertIn(31000, self.tg_ports())
        self.assertIn(30080, self.tg_ports())
        self.assertNotIn(32000, self.tg_ports())
        self.assertIn("Service apps/remote: from the Kubernetes API", r.err)
        self.assertNotIn("Service apps/nodes: from", r.err)
        (parent,) = self.route_status()["parents"]
        resolved = [c for c in parent["conditions"] if c["type"] == "ResolvedRefs"][0]
        self.assertEqual(resolved["status"], "True")
        # It renders like a repository Service: a TargetGroupBinding in its namespace.
        rendered = os.path.join(self.repo_dir, ".gwsync", gwse2e.CLUSTER, "rendered", "apps")
        docs = []
        for name in os.listdir(rendered):
            with open(os.path.join(rendered, name)) as f:
                docs.append(yaml.safe_load(f))
        self.assertIn("remote", [d["spec"]["serviceRef"]["name"] for d in docs])

    def summary(self):
        with open(os.path.join(self.repo_dir, ".gwsync", gwse2e.CLUSTER, "SUMMARY.md")) as f:
            return f.read()

    def test_plan_and_status_say_where_each_service_came_from(self):
        self.env["KUBECONFIG"] = self.kube.kubeconfig()
        server = self.kube.url()
        r = self.sync(self.repo_dir)
        self.assertEqual(r.code, 0, r)
        # The plan: one note per Service read from the cluster, naming the API
        # server and the context; the repository's Services get none.
        notes = [n for n in r.plan["notes"] if "Kubernetes API" in n["message"]]
        self.assertEqual(len(notes), 1, r.plan["notes"])
        self.assertEqual(notes[0]["gateway"], "apps/gw")
        self.assertEqual(notes[0]["severity"], "info")
        self.assertTrue(notes[0]["message"].startswith(
            "Service apps/remote: from the Kubernetes API %s (KUBECONFIG context " % server),
            notes[0])
        self.assertTrue(notes[0]["message"].endswith(", not the repository"), notes[0])
        self.assertIn("note: Service apps/remote: from the Kubernetes API " + server, r.out)
        self.assertNotIn("Service apps/nodes: from", r.out)
        # A target group created for it says so too.
        (tg,) = r.changes(kind="TargetGroup", name=[
            t["TargetGroupName"] for t in self.elbv2()["TargetGroups"] if t["Port"] == 31000][0])
        self.assertIn({"path": "backend", "before": None,
                       "after": "Service apps/remote:80 (from the Kubernetes API)"},
                      tg["fields"])
        self.assertIn("backend: Service apps/nodes:80\n", r.out)
        md = self.sync(self.repo_dir, "--dry-run", "--output", "markdown")
        self.assertEqual(md.code, 0, md)
        self.assertIn("Service apps/remote: from the Kubernetes API", md.out)
        # The status: the target group table names the source by kind only, so
        # the committed page does not change with the server's address.
        summary = self.summary()
        self.assertIn("| apps/remote:80 (from the Kubernetes API) |", summary)
        self.assertIn("| apps/nodes:80 |", summary)
        self.assertNotIn(server, summary)
        self.assertNotIn("127.0.0.1", summary)

    def test_without_an_api_it_is_backend_not_found(self):
        r = self.sync(self.repo_dir)
        self.assertEqual(r.code, 0, r)
        self.assertNotIn(31000, self.tg_ports())
        (parent,) = self.route_status()["parents"]
        resolved = [c for c in parent["conditions"] if c["type"] == "ResolvedRefs"][0]
        self.assertEqual(resolved["status"], "False")
        self.assertEqual(resolved["reason"], "BackendNotFound")
        self.assertIn("apps/remote", resolved["message"])
        self.assertIn("80", resolved["message"])

    def test_api_failure_stops_before_aws(self):
        self.env["KUBECONFIG"] = self.kube.kubeconfig(token="wrong", name="bad")
        r = self.sync(self.repo_dir)
        self.assertEqual(r.code, 3, r)
        self.assertIn("Kubernetes API", r.err)
        self.assertIn("no Service was guessed", r.err)
        self.assertEqual(self.fa.counters()["writes"], 0)


if __name__ == "__main__":
    import unittest
    unittest.main()
