"""Changes of the manifests: one route's path, rules reordered and replaced
without a gap, and replacements of immutable fields."""

import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401

# Requests that must keep reaching a rule whenever they do so before and after.
REQUESTS = [
    {"host": "www.example.com", "path": p} for p in
    ("/", "/api", "/api/v1/items", "/docs", "/docs/intro", "/manual/x", "/v2/api",
     "/static/app.js", "/internal")
] + [
    {"host": "admin.example.com", "path": "/", "headers": {"x-team": "ops"}},
    {"host": "admin.example.com", "path": "/", "headers": {"x-team": "dev"}},
    {"host": "other.example.com", "path": "/api"},
]


class RouteChanges(gwse2e.Case):
    def estate(self):
        return self.repo("classes", "web", "blog")

    def test_one_path_change_touches_only_that_routes_rules(self):
        repo = self.estate()
        self.converge(repo)
        self.fa.control("DELETE", "calls")
        # A longer path keeps the rule's place among the others (the reorder
        # case is the next test).
        self.edit(repo, "routes.yaml", "value: /docs}", "value: /manual}")
        r = self.converge(repo)
        writes = self.mutations()
        # Only rules, only on the listener of that route, only that route's rule.
        self.assertTrue(writes)
        self.assertTrue(all(w["action"] in ("CreateRule", "DeleteRule", "ModifyRule",
                                            "SetRulePriorities", "AddTags")
                            for w in writes), [w["action"] for w in writes])
        (change,) = r.plan["resource_changes"]
        self.assertEqual(change["kind"], "ListenerRule")
        self.assertIn("/manual", str(change["fields"]))
        # The listener's only change: edited in place, no state in between.
        self.assertEqual(change["actions"], ["update"])
        self.assertIn("ModifyRule", [w["action"] for w in writes])
        print("\none-route path change: %d writes: %s"
              % (len(writes), ", ".join(w["action"] for w in writes)))
        self.assertLessEqual(len(writes), 5)
        self.assertInert(repo)

    def rules_of(self, snapshot, port=443):
        for li in snapshot["listeners"].values():
            if li["LoadBalancerName"].startswith("k8s-web-web") and li["Port"] == port:
                return li["Rules"]
        return None

    def assertNoGap(self, before, after, snapshots):
        """A request matched by a rule before and after never hits the default
        action in any state between."""
        both = [q for q in REQUESTS
                if gwse2e.route(before, q) is not None and gwse2e.route(after, q) is not None]
        self.assertTrue(both)
        for i, snap in enumerate(snapshots):
            rules = self.rules_of(snap)
            for q in both:
                self.assertIsNotNone(gwse2e.route(rules, q),
                                     "after call %d (%s) %r reaches the default action"
                                     % (i + 1, snap["action"], q))

    def test_gap_detector_sees_a_gap(self):
        # The check above must be able to fail: an intermediate state missing the
        # rule that serves /docs is a gap.
        docs = {"Priority": "1", "IsDefault": False, "Actions": [],
                "Conditions": [{"Field": "path-pattern",
                                "PathPatternConfig": {"Values": ["/docs*"]}}]}
        rest = {"Priority": "2", "IsDefault": False, "Actions": [],
                "Conditions": [{"Field": "path-pattern",
                                "PathPatternConfig": {"Values": ["/api*"]}}]}
        snap = {"action": "DeleteRule", "listeners": {
            "l": {"LoadBalancerName": "k8s-web-web-x", "Port": 443, "Rules": [rest]}}}
        with self.assertRaises(AssertionError):
            self.assertNoGap([docs, rest], [docs, rest], [snap])
        self.assertNoGap([docs, rest], [docs, rest], [
            {"action": "CreateRule", "listeners": {
                "l": {"LoadBalancerName": "k8s-web-web-x", "Port": 443,
                      "Rules": [dict(rest, Priority="1"), dict(docs, Priority="3")]}}}])

    def reorder_and_replace(self, repo):
        # A new, more specific route goes first (every priority moves), one
        # route changes its matches (a replacement), one changes only its
        # backend (ModifyRule) and one goes away.
        self.reorder_and_replace_routes(repo)

    def test_reorder_and_replacement_never_fall_through(self):
        repo = self.estate()
        self.converge(repo)
        before = self.rules_of({"listeners": {
            li["ListenerArn"]: dict(li, LoadBalancerName=lb["LoadBalancerName"])
            for lb in self.elbv2()["LoadBalancers"] for li in lb["Listeners"]}})
        self.reorder_and_replace(repo)
        self.fa.record_snapshots()
        r = self.converge(repo, "--aws-concurrency", "1")
        snaps = self.fa.snapshots()
        self.fa.record_snapshots(False)
        self.assertGreater(len(snaps), 3)
        after = self.rules_of(snaps[-1])
        actions = [s["action"] for s in snaps]
        self.assertIn("SetRulePriorities", actions)
        # Creates come before deletes, so every desired rule exists first.
        self.assertLess(max(i for i, a in enumerate(actions) if a == "CreateRule"),
                        min(i for i, a in enumerate(actions) if a == "DeleteRule"))
        self.assertNoGap(before, after, snaps)
        kinds = {c["actions"][0] if len(c["actions"]) == 1 else "replace"
                 for c in r.plan["resource_changes"]}
        self.assertTrue({"create", "replace", "update"} <= kinds, kinds)
        self.owned_everywhere()
        self.assertInert(repo)


class Replacements(gwse2e.Case):
    def estate(self):
        return self.repo("classes", "web")

    def test_scheme_change_replaces_the_load_balancer_in_one_run(self):
        repo = self.estate()
        self.converge(repo)
        old = self.lb("k8s-web-web")
        self.edit(repo, "gateway.yaml", "scheme: internet-facing", "scheme: internal")
        dry = self.sync(repo, "--dry-run")
        (lb,) = dry.changes(kind="LoadBalancer")
        self.assertEqual(lb["actions"], ["create", "delete"])
        self.assertIn("scheme", lb["reason"])
        self.assertIn(old["DNSName"], lb["reason"])
        self.assertIn("-/+ load balancer", dry.out)
        self.converge(repo)
        new = self.lb("k8s-web-web")
        self.assertEqual(new["Scheme"], "internal")
        self.assertNotEqual(new["LoadBalancerArn"], old["LoadBalancerArn"])
        self.assertEqual(len(new["Listeners"]), 2)
        # No orphan: the old LB is gone, every TG serves the new one.
        self.assertEqual(len(self.elbv2()["LoadBalancers"]), 1)
        for tg in self.elbv2()["TargetGroups"]:
            self.assertEqual(tg["LoadBalancerArns"], [new["LoadBalancerArn"]], tg)
        self.owned_everywhere()
        self.assertInert(repo)

    def test_target_type_change_replaces_the_target_group_in_one_run(self):
        repo = self.estate()
        self.converge(repo)
        tgs_before = {tg["TargetGroupName"] for tg in self.elbv2()["TargetGroups"]}
        self.edit(repo, "services.yaml",
                  "metadata: {name: docs, namespace: web}\nspec:\n  targetReference: {name: docs}\n"
                  "  defaultConfiguration: {targetType: ip}",
                  "metadata: {name: docs, namespace: web}\nspec:\n  targetReference: {name: docs}\n"
                  "  defaultConfiguration: {targetType: instance}")
        self.edit(repo, "services.yaml",
                  "metadata: {name: docs, namespace: web}\nspec:\n  selector: {app: docs}\n"
                  "  ports: [{port: 80, targetPort: 8000}]",
                  "metadata: {name: docs, namespace: web}\nspec:\n  type: NodePort\n"
                  "  selector: {app: docs}\n  ports: [{port: 80, targetPort: 8000, nodePort: 30080}]")
        dry = self.sync(repo, "--dry-run")
        (tg,) = dry.changes(kind="TargetGroup")
        self.assertEqual(tg["actions"], ["create", "delete"])
        self.assertIn("target type ip -> instance", tg["reason"])
        r = self.converge(repo)
        self.assertEqual(r.plan["summary"]["replace"], 1)
        tgs_after = {tg["TargetGroupName"] for tg in self.elbv2()["TargetGroups"]}
        self.assertEqual(len(tgs_after), len(tgs_before))
        self.assertEqual(len(tgs_after - tgs_before), 1)
        docs = [t for t in self.elbv2()["TargetGroups"] if t["TargetType"] == "instance"]
        self.assertEqual(len(docs), 1)
        self.assertEqual(len(docs[0]["LoadBalancerArns"]), 1)
        self.owned_everywhere()
        self.assertInert(repo)


if __name__ == "__main__":
    unittest.main()
