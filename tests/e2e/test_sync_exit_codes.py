"""Every exit code sync documents (--help, README) that the run itself can
produce: 0, 1, 2, 3, 4, 5 (test_sync_prune), 7 (test_sync_isolation), 8, 9.
6 and 10 belong to the run lock and the status commit."""

import os
import signal
import subprocess
import time
import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401


class ExitCodes(gwse2e.Case):
    def setUp(self):
        super().setUp()
        self.repo_dir = self.repo("classes", "blog")

    def test_0_converged_and_2_pending(self):
        r = self.sync(self.repo_dir, "--dry-run")
        self.assertEqual(r.code, 0, r)
        r = self.sync(self.repo_dir, "--dry-run", "--detailed-exitcode")
        self.assertEqual(r.code, 2, r)
        self.assertEqual(r.plan["exit"], {"code": 2, "reason": "changes are pending"})
        self.assertEqual(self.sync(self.repo_dir).code, 0)
        self.assertEqual(self.sync(self.repo_dir, "--dry-run", "--detailed-exitcode").code, 0)

    def test_1_internal_error_writing_stdout(self):
        with open("/dev/full", "w") as full:
            p = subprocess.run([gwse2e.BIN, "sync", "--repo", self.repo_dir, "--cluster",
                                "demo", "--endpoint-url", self.fa.url, "--dry-run"],
                               stdout=full, stderr=subprocess.PIPE, text=True, env=self.env)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("writing the plan to stdout", p.stderr)

    def test_3_usage_and_configuration(self):
        code, _, err = self.gwsync("sync", "--repo", self.repo_dir, "--no-such-flag")
        self.assertEqual(code, 3)
        self.assertIn("unknown option '--no-such-flag'", err)
        env = dict(self.env)
        del env["AWS_REGION"]
        code, _, err = self.gwsync("sync", "--repo", self.repo_dir, "--endpoint-url",
                                   self.fa.url, env=env)
        self.assertEqual(code, 3)
        self.assertIn("no AWS region", err)
        code, _, err = self.gwsync("sync", "--repo", self.repo_dir, "--output", "xml")
        self.assertEqual(code, 3)
        # A bad commit author is refused before AWS is touched, not at the status commit.
        code, _, err = self.gwsync("sync", "--repo", self.repo_dir, "--endpoint-url",
                                   self.fa.url, "--git-author", "Platform Bot")
        self.assertEqual(code, 3, err)
        self.assertIn("git author 'Platform Bot': expected \"Name <email>\"", err)
        self.assertEqual(self.fa.counters()["total"], 0)

    def test_4_invalid_manifest_makes_no_aws_call(self):
        self.write(self.repo_dir, "bad.yaml", "apiVersion: gateway.networking.k8s.io/v1\n"
                   "kind: Gateway\nmetadata: {name: x, namespace: blog}\n"
                   "spec: {gatewayClassName: aws-alb, listeners: [{name: a, port: 99999, "
                   "protocol: HTTP}]}\n")
        r = self.sync(self.repo_dir)
        self.assertEqual(r.code, 4, r)
        self.assertIn("bad.yaml:", r.err)
        self.assertIn("nothing was applied or pruned", r.err)
        self.assertEqual(self.fa.counters()["total"], 0)

    def test_8_rejected_credentials(self):
        env = dict(self.env, AWS_SECRET_ACCESS_KEY="wrong-secret-XYZ")
        code, out, err = self.gwsync("sync", "--repo", self.repo_dir, "--cluster", "demo",
                                     "--endpoint-url", self.fa.url, env=env)
        self.assertEqual(code, 8, err)
        self.assertIn("SignatureDoesNotMatch", err)
        self.assertNotIn("wrong-secret-XYZ", out + err)

    def test_9_timeout_stops_new_writes(self):
        # Every call takes 400 ms: the deadline passes during the apply.
        self.fa.set_latency(400)
        self.addCleanup(self.fa.set_latency, 0)
        t0 = time.monotonic()
        r = self.sync(self.repo_dir, "--timeout", "3s", "--aws-concurrency", "1")
        elapsed = time.monotonic() - t0
        self.assertEqual(r.code, 9, r)
        self.assertLess(elapsed, 3 + 10)
        states = {c["state"] for c in r.plan["resource_changes"]}
        self.assertIn("skipped", states)
        self.assertIn("deadline", r.plan["exit"]["reason"])
        self.fa.set_latency(0)
        self.converge(self.repo_dir)
        self.owned_everywhere()

    def test_9_sigterm_finishes_in_flight_calls(self):
        self.fa.set_latency(300)
        self.addCleanup(self.fa.set_latency, 0)
        p = subprocess.Popen([gwse2e.BIN, "sync", "--repo", self.repo_dir, "--cluster",
                              "demo", "--endpoint-url", self.fa.url, "--aws-concurrency",
                              "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=self.env)
        # Wait for the first write, then ask it to stop.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not self.mutations():
            time.sleep(0.05)
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 9, err)
        self.assertIn("skipped", out)
        self.fa.set_latency(0)
        self.converge(self.repo_dir)
        self.owned_everywhere()


if __name__ == "__main__":
    unittest.main()
