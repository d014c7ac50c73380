"""Deadlines and stop signals end to end (docs/operations.md, "Stopping a
run"): `--timeout` passing during the apply, SIGTERM mid-apply, and a second
signal while the run is already stopping. Each time: no AWS write starts
after the stop, every write in flight is answered and recorded, the status
report is committed (the Gateways not Programmed), the run lease is
released, exit 9 within the deadline plus 10 s; the next run does not wait
for the lease and converges with no duplicate."""

import json
import os
import signal
import subprocess
import time
import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401  (stops the module's fakeaws)

LEASES = "refs/gwsync/leases/"


def git(*args):
    p = subprocess.run(["git"] + list(args), capture_output=True, text=True)
    if p.returncode:
        raise AssertionError("git %s: %s" % (" ".join(args), p.stderr))
    return p.stdout


class Deadline(gwse2e.Case):
    def setUp(self):
        super().setUp()
        self.url = self.git_url(self.repo("examples"))
        self.bare = self.url[len("file://"):]
        self.manifests = git("--git-dir", self.bare, "rev-parse", "main").strip()
        self.plan_file = os.path.join(self.tmp, "plan.json")
        self.addCleanup(self.fa.set_latency, 0)

    def argv(self, *extra):
        return [gwse2e.BIN, "sync", "--repo", self.url, "--cluster", gwse2e.CLUSTER,
                "--endpoint-url", self.fa.url, "--plan-file", self.plan_file] + list(extra)

    def start(self, *extra):
        env = dict(self.env, GWSYNC_WORKDIR=os.path.join(self.tmp, "cache"))
        p = subprocess.Popen(self.argv(*extra), env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: p.poll() is None and p.kill())
        return p

    def wait_for_writes(self, n):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(self.mutations()) < n:
            time.sleep(0.02)
        self.assertGreaterEqual(len(self.mutations()), n, "the apply never started")

    def deadline(self, timeout_s):
        """When gwsync's --timeout passed: it counts from the start of its AWS
        work (after the Git fetch and the manifests, which a loaded machine
        or a sanitizer build makes slow), so from fakeaws's first call."""
        first = min(c["time"] - c["duration_ms"] / 1000.0 for c in self.fa.calls())
        return first + timeout_s

    def finish(self, p, limit):
        """Waits for p (at most `limit` s): (exit code, stdout, stderr, end time)."""
        out, err = p.communicate(timeout=limit)
        return p.returncode, out, err, time.time()

    # what every stopped run must have done ------------------------------------------

    def assertStoppedCleanly(self, code, out, err, stopped_at, ended_at):
        self.assertEqual(code, 9, err)
        with open(self.plan_file) as f:
            plan = json.load(f)
        self.assertEqual(plan["exit"]["code"], 9, plan["exit"])
        writes = [c for c in self.fa.calls() if c["kind"] == "write"]
        # No write started after the stop (a call's start is its end minus its
        # duration); the one in flight was answered before gwsync exited.
        for c in writes:
            started = c["time"] - c["duration_ms"] / 1000.0
            self.assertLess(started, stopped_at + 1.0, "a write started after the stop: %r" % c)
            self.assertLess(c["time"], ended_at, "a write outlived the run: %r" % c)
        # Every answered write is in the plan as done: nothing was abandoned.
        done = [c for c in plan["calls"] if c["state"] == "done"]
        self.assertEqual(len(done), len([c for c in writes if c["status"] < 300]),
                         (done, writes))
        skipped = [c for c in plan["calls"] if c["state"] == "skipped"]
        self.assertTrue(skipped, "the stop came after the last write: nothing to show")
        self.assertIn("not started: the deadline passed or the run was stopped",
                      skipped[0]["error"])
        self.assertIn("skipped", out)
        # The report: one status commit on top of the manifests, saying the
        # Gateways are not Programmed because the changes were not applied.
        log = git("--git-dir", self.bare, "log", "--format=%H", "main").split()
        self.assertEqual(log[1:], [self.manifests], "one status commit")
        status = git("--git-dir", self.bare, "show",
                     "main:.gwsync/%s/status/shop/Gateway/shop.yaml" % gwse2e.CLUSTER)
        self.assertIn("reason: Pending", status)
        self.assertIn("changes were not applied (deadline or stop)", status)
        # The lease is released, not left to expire.
        refs = git("--git-dir", self.bare, "for-each-ref", "--format=%(refname)", LEASES)
        for ref in refs.split():
            lease = json.loads(git("--git-dir", self.bare, "show", ref + ":lease.json"))
            self.assertEqual(lease["state"], "released", lease)

    def assertNextRunConverges(self):
        self.fa.set_latency(0)
        self.fa.clear_faults()
        t0 = time.monotonic()
        env = dict(self.env, GWSYNC_WORKDIR=os.path.join(self.tmp, "cache2"))
        p = subprocess.run(self.argv("--lock-timeout", "1s"), env=env, capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn("waiting", p.stderr.lower())
        self.assertLess(time.monotonic() - t0, 60)
        self.owned_everywhere()
        self.assertInert(self.url)

    # the cases -----------------------------------------------------------------------

    def test_timeout_during_apply(self):
        self.fa.set_latency(300)
        p = self.start("--timeout", "4s", "--aws-concurrency", "1")
        code, out, err, ended = self.finish(p, 4 + 10 + 5)
        self.assertLess(ended, self.deadline(4) + 10, "exit 9 within the deadline plus 10 s")
        with open(self.plan_file) as f:
            self.assertIn("deadline", json.load(f)["exit"]["reason"])
        self.assertStoppedCleanly(code, out, err, self.deadline(4), ended)
        self.assertNextRunConverges()

    def test_sigterm_during_apply(self):
        self.fa.set_latency(300)
        p = self.start("--aws-concurrency", "1")
        self.wait_for_writes(2)
        stopped = time.time()
        p.send_signal(signal.SIGTERM)
        code, out, err, ended = self.finish(p, 30)
        self.assertLess(ended - stopped, 10)
        self.assertStoppedCleanly(code, out, err, stopped, ended)
        self.assertNextRunConverges()

    def test_a_second_signal_changes_nothing(self):
        # Documented in docs/operations.md: a run already stopping keeps
        # stopping cleanly; SIGTERM then SIGINT (a Ctrl-C on top) still
        # finishes the call in flight, reports and releases the lease.
        self.fa.set_latency(300)
        self.fa.add_fault(service="elbv2", action="CreateLoadBalancer", kind="delay",
                          delay_ms=2500)
        p = self.start("--aws-concurrency", "1")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(
                c.get("action") == "CreateTargetGroup" for c in self.mutations()):
            time.sleep(0.02)
        time.sleep(0.4)  # CreateLoadBalancer is in flight now
        stopped = time.time()
        p.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        p.send_signal(signal.SIGINT)
        code, out, err, ended = self.finish(p, 30)
        self.assertLess(ended - stopped, 10)
        self.assertStoppedCleanly(code, out, err, stopped, ended)
        self.assertNextRunConverges()

    def test_a_create_whose_tag_was_skipped_says_so(self):
        # The deadline passes while the rules are being created: the load
        # balancers and listeners exist, only their spec tag (the last call of
        # a stack) is skipped. Their changes are done, not "not started".
        # (Each call must still fit in the per-request timeout, which is
        # --timeout: a call cut short would be an unknown outcome, not done.)
        self.fa.add_fault(service="elbv2", action="CreateRule", kind="delay", delay_ms=1500)
        p = self.start("--timeout", "2s", "--aws-concurrency", "1")
        code, out, err, ended = self.finish(p, 2 + 10 + 5)
        self.assertEqual(code, 9, err)
        with open(self.plan_file) as f:
            plan = json.load(f)
        created = [c for c in plan["resource_changes"]
                   if c["kind"] == "LoadBalancer" and c["actions"] == ["create"]]
        self.assertTrue(created, plan["resource_changes"])
        for c in created:
            calls = [k for k in plan["calls"] if k["change"] == c["address"]]
            self.assertIn("done", [k["state"] for k in calls], calls)
            self.assertEqual([k["action"] for k in calls if k["state"] == "skipped"],
                             ["AddTags"], calls)
            self.assertEqual(c["state"], "done", c)
            self.assertEqual(c["error"], "created; tags not applied (the next run finishes)")
            self.assertIn("load balancer %s [done: created; tags not applied (the next run "
                          "finishes)]" % c["name"], out)
            self.assertTrue(c["awsId"], c)
        self.assertNotRegex(out, r"load balancer \S+ \[skipped")
        self.assertStoppedCleanly(code, out, err, self.deadline(2), ended)
        self.assertNextRunConverges()


if __name__ == "__main__":
    unittest.main()
