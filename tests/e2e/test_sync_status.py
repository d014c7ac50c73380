"""The status report a sync writes (docs/report.md): into a plain folder here
(a git source gets it as a commit: test_sync_git.py)."""

import json
import os
import time
import unittest

import yaml

import gwse2e
from gwse2e import tearDownModule  # noqa: F401  (stops the module's fakeaws)


def snapshot(root):
    """{relative path: bytes} of every file under root."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


def condition(status, kind):
    (c,) = [c for c in status["conditions"] if c["type"] == kind]
    return c


class PlainFolder(gwse2e.Case):
    def report_dir(self, repo):
        return os.path.join(repo, ".gwsync", gwse2e.CLUSTER)

    def gateway_status(self, repo, ns, name):
        with open(os.path.join(self.report_dir(repo), "status", ns, "Gateway",
                               name + ".yaml")) as f:
            return yaml.safe_load(f)["status"]

    def test_apply_writes_programmed_status_and_inventory(self):
        repo = self.repo("examples")
        self.converge(repo)
        st = self.gateway_status(repo, "ledger", "ledger")
        self.assertEqual(condition(st, "Programmed")["status"], "True")
        self.assertEqual(condition(st, "Programmed")["reason"], "Programmed")
        lb = self.lb("k8s-ledger-ledger")
        self.assertEqual(st["addresses"], [{"type": "Hostname", "value": lb["DNSName"]}])
        with open(os.path.join(self.report_dir(repo), "inventory.json")) as f:
            inv = json.load(f)
        text = json.dumps(inv)
        # Everything fakeaws holds that gwsync owns is listed, by ARN.
        held = [x["LoadBalancerArn"] for x in self.elbv2()["LoadBalancers"]]
        held += [x["TargetGroupArn"] for x in self.elbv2()["TargetGroups"]]
        self.assertTrue(held)
        for arn in held:
            self.assertIn(arn, text)
        with open(os.path.join(self.report_dir(repo), "SUMMARY.md")) as f:
            summary = f.read()
        self.assertIn(lb["DNSName"], summary)
        self.assertIn("```mermaid", summary)

    def test_second_run_rewrites_nothing_and_keeps_transition_times(self):
        repo = self.repo("examples")
        self.converge(repo)
        before = snapshot(self.report_dir(repo))
        time.sleep(1.1)  # a rewritten lastTransitionTime would differ
        self.assertInert(repo)
        self.assertEqual(snapshot(self.report_dir(repo)), before)

    def test_changed_condition_gets_a_new_transition_time(self):
        repo = self.repo("examples")
        self.converge(repo)
        st = self.gateway_status(repo, "ledger", "ledger")
        programmed = condition(st, "Programmed")
        accepted = condition(st, "Accepted")
        time.sleep(1.1)
        # AWS refuses every write: the ledger Gateway's listener change fails.
        self.edit(repo, "apps/ledger/ledger.yaml", "sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06",
                  "sslPolicy: ELBSecurityPolicy-TLS13-1-2-Res-2021-06")
        self.fa.add_fault(service="elbv2", action="ModifyListener", kind="error", status=400,
                          code="ValidationError", message="refused by the test")
        r = self.sync(repo)
        self.assertNotEqual(r.code, 0, r)
        st2 = self.gateway_status(repo, "ledger", "ledger")
        self.assertEqual(condition(st2, "Programmed")["status"], "False")
        self.assertNotEqual(condition(st2, "Programmed")["lastTransitionTime"],
                            programmed["lastTransitionTime"])
        self.assertEqual(condition(st2, "Accepted"), accepted)

    def test_dry_run_writes_nothing(self):
        repo = self.repo("examples")
        r = self.sync(repo, "--dry-run")
        self.assertEqual(r.code, 0, r)
        self.assertFalse(os.path.exists(os.path.join(repo, ".gwsync")))


if __name__ == "__main__":
    unittest.main()
