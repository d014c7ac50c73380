"""--targets binding (the default): a sync writes one TargetGroupBinding per
target group it manages under .gwsync/<cluster>/rendered/ (docs/targets.md)."""

import os

import yaml

import gwse2e
from gwse2e import tearDownModule  # noqa: F401  (stops the module's fakeaws)


def snapshot(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


class Binding(gwse2e.Case):
    def rendered(self, repo):
        return os.path.join(repo, ".gwsync", gwse2e.CLUSTER, "rendered")

    def bindings(self, repo):
        """{(namespace, name): document} of the rendered folder, checked against
        its kustomization.yaml."""
        root = self.rendered(repo)
        with open(os.path.join(root, "kustomization.yaml")) as f:
            kust = yaml.safe_load(f)
        out = {}
        for rel in kust["resources"]:
            with open(os.path.join(root, rel)) as f:
                doc = yaml.safe_load(f)
            out[(doc["metadata"]["namespace"], doc["metadata"]["name"])] = doc
        files = {os.path.relpath(os.path.join(d, f), root)
                 for d, _, fs in os.walk(root) for f in fs} - {"kustomization.yaml"}
        self.assertEqual(files, set(kust["resources"]))
        return out

    def test_one_binding_per_target_group_with_its_arn(self):
        repo = self.repo("examples")
        self.converge(repo)
        tgs = {tg["TargetGroupName"]: tg for tg in self.elbv2()["TargetGroups"]}
        got = self.bindings(repo)
        self.assertEqual(sorted(name for _, name in got), sorted(tgs))
        for (ns, name), doc in got.items():
            tg = tgs[name]
            self.assertEqual(doc["apiVersion"], "elbv2.k8s.aws/v1beta1")
            self.assertEqual(doc["spec"]["targetGroupARN"], tg["TargetGroupArn"])
            self.assertEqual(doc["spec"]["targetType"], tg["TargetType"])
            self.assertEqual(doc["spec"]["vpcID"], tg["VpcId"])
            self.assertIn(doc["spec"]["ipAddressType"], ("ipv4", "ipv6"))
            self.assertTrue(doc["spec"]["serviceRef"]["name"])

    def test_unchanged_estate_rewrites_nothing(self):
        repo = self.repo("examples")
        self.converge(repo)
        before = snapshot(self.rendered(repo))
        self.assertInert(repo)
        self.assertEqual(snapshot(self.rendered(repo)), before)

    def test_removed_target_group_loses_its_binding(self):
        repo = self.repo("examples")
        self.converge(repo)
        before = set(self.bindings(repo))
        # The canary backend leaves the route: its target group is deleted.
        self.edit(repo, "apps/shop/routes.yaml", "- name: api-canary", "- name: api")
        r = self.sync(repo)
        self.assertEqual(r.code, 0, r)
        after = set(self.bindings(repo))
        self.assertTrue(after < before, (before, after))
        names = {tg["TargetGroupName"] for tg in self.elbv2()["TargetGroups"]}
        self.assertEqual({name for _, name in after}, names)

    def test_none_writes_nothing(self):
        repo = self.repo("examples")
        self.converge(repo, "--targets", "none")
        self.assertFalse(os.path.exists(self.rendered(repo)))


if __name__ == "__main__":
    import unittest
    unittest.main()
