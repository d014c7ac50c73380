"""gwsync sync end to end: the source document's examples, the example
repository applied then inert, and a dry run whose plan is exactly what the
next apply does."""

import os
import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401  (stops the module's fakeaws)

GOLDEN = os.path.join(gwse2e.SRC, "tests", "golden")


class SourceDocument(gwse2e.Case):
    def test_nlb_default_weight_is_a_plain_forward_aws_accepts(self):
        # AWS before Nov 2025 rejected any Weight on an NLB forward: fakeaws in
        # reject mode stands for it. The TCPRoute's default weight must not be sent.
        self.fa.set_config(nlb_weights="reject")
        repo = self.repo(os.path.join(GOLDEN, "source-nlb", "repo"))
        r = self.converge(repo)
        lb = self.lb("k8s-default-mytcpga")
        self.assertEqual(lb["Type"], "network")
        (li,) = lb["Listeners"]
        self.assertEqual((li["Port"], li["Protocol"]), (8080, "TCP"))
        (act,) = li["DefaultActions"]
        self.assertEqual(act["Type"], "forward")
        weights = [t.get("Weight") for t in (act.get("ForwardConfig") or {}).get(
            "TargetGroups", [])]
        self.assertTrue(act.get("TargetGroupArn"), act)
        # The request carried no Weight (fakeaws echoes a one-tuple with weight 1 at most).
        sent = [c for c in self.fa.calls() if c["action"] == "CreateListener"]
        self.assertEqual(len(sent), 1)
        self.assertFalse([k for k in sent[0]["params"] if "Weight" in k], sent[0]["params"])
        self.assertLessEqual(set(weights), {None, 1})
        self.assertEqual(r.plan["summary"]["create"], 4)  # SG, TG, LB, listener
        self.assertInert(repo)

    def test_alb_gets_listener_and_forward_rule(self):
        repo = self.repo(os.path.join(GOLDEN, "source-alb", "repo"))
        self.converge(repo)
        lb = self.lb("k8s-default-myalbga")
        self.assertEqual(lb["Type"], "application")
        (li,) = lb["Listeners"]
        self.assertEqual((li["Port"], li["Protocol"]), (80, "HTTP"))
        rules = [ru for ru in li["Rules"] if not ru["IsDefault"]]
        self.assertEqual(len(rules), 1)
        (act,) = rules[0]["Actions"]
        self.assertEqual(act["Type"], "forward")
        tg_arns = {tg["TargetGroupArn"] for tg in self.elbv2()["TargetGroups"]}
        fwd = act.get("TargetGroupArn") or act["ForwardConfig"]["TargetGroups"][0][
            "TargetGroupArn"]
        self.assertIn(fwd, tg_arns)
        self.assertInert(repo)

    def test_default_command_dry_run_from_a_git_url(self):
        # `gwsync --repo URL --dry-run`, exactly as the design card writes it.
        repo = self.repo(os.path.join(GOLDEN, "source-alb", "repo"),
                         os.path.join(GOLDEN, "source-nlb", "repo"))
        url = self.git_url(repo)
        env = dict(self.env, GWSYNC_CLUSTER=gwse2e.CLUSTER, GWSYNC_ENDPOINT_URL=self.fa.url,
                   GWSYNC_WORKDIR=os.path.join(self.tmp, "cache"))
        code, out, err = self.gwsync("--repo", url, "--dry-run", env=env)
        self.assertEqual(code, 0, err)
        self.assertIn("Gateway default/my-alb-gateway", out)
        self.assertIn("Gateway default/my-tcp-gateway", out)
        self.assertIn("+ load balancer k8s-default-myalbga", out)
        self.assertIn("Plan: 9 to create", out)
        self.assertEqual(self.fa.counters()["writes"], 0)


class ExampleRepository(gwse2e.Case):
    def test_tls_listener_without_alpn_policy_converges(self):
        # No alpnPolicy is sent as "None" and AWS echoes "None": the two are
        # the same policy, or every run would modify the listener again.
        repo = self.repo("examples")
        self.converge(repo)
        (li,) = [li for li in self.lb("k8s-ledger-ledger")["Listeners"]
                 if li["Protocol"] == "TLS"]
        self.assertIn(li.get("AlpnPolicy"), ([], ["None"], None))
        self.assertInert(repo)

    def test_cold_apply_then_second_run_makes_no_write(self):
        repo = self.repo("examples")
        r = self.converge(repo)
        self.assertGreater(r.plan["summary"]["create"], 0)
        self.assertTrue(all(c["state"] == "done" for c in r.plan["resource_changes"]), r)
        self.owned_everywhere()
        # Inert: no write, exit 0 even with --detailed-exitcode, also applying.
        self.assertInert(repo)
        self.fa.control("DELETE", "calls")
        r = self.sync(repo, "--detailed-exitcode")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.fa.counters()["writes"], 0)


class DryRunFidelity(gwse2e.Case):
    def estate(self):
        return self.repo("classes", "web", "blog")

    def test_dry_run_writes_nothing_and_lists_exactly_the_apply(self):
        repo = self.estate()
        self.converge(repo)
        # A change touching every kind: a path, a health check, an attribute,
        # a tag, a new route and a removed one.
        self.edit(repo, "routes.yaml", "value: /docs}", "value: /manual}")
        self.edit(repo, "services.yaml", "healthCheckInterval: 15", "healthCheckInterval: 20")
        self.edit(repo, "gateway.yaml", 'value: "120"', 'value: "90"')
        self.edit(repo, "gateway.yaml", 'cost-center: "42"', 'cost-center: "43"')
        self.edit(repo, "blog.yaml", "value: /posts}", "value: /archive}")
        self.fa.control("DELETE", "calls")
        dry = self.sync(repo, "--dry-run", "--detailed-exitcode")
        self.assertEqual(dry.code, 2, dry)
        self.assertEqual(self.fa.counters()["writes"], 0, self.mutations())
        planned = sorted(c["action"] for c in dry.plan["calls"])
        self.assertTrue(planned)
        self.fa.control("DELETE", "calls")
        applied = self.sync(repo)
        self.assertEqual(applied.code, 0, applied)
        made = sorted(c["action"] for c in self.mutations())
        self.assertEqual(planned, made)
        self.assertEqual([c["address"] for c in dry.plan["resource_changes"]],
                         [c["address"] for c in applied.plan["resource_changes"]])
        self.assertInert(repo)


if __name__ == "__main__":
    unittest.main()
