"""Crash consistency (issue 14, acceptance 2): gwsync is killed with SIGKILL
right after the k-th mutating AWS call, for k from 1 to the number of
mutating calls of the run, with the reply delivered and with it dropped (the
call happened, gwsync never heard). The next run must converge in one go to
exactly the state a run without the crash leaves: no orphan, no duplicate,
every resource tagged, and the run after that inert.

Two runs are swept: the cold apply of the example estate, and a change that
reorders every rule of a listener, replaces one (new matches) and edits and
deletes others. CI runs a sample of k (the first, the last and a spread in
between); RELIABILITY_CRASH=full (scripts/faults --crash) runs every k.
"""

import os
import subprocess
import time
import unittest

import gwse2e
import reliability
from gwse2e import tearDownModule  # noqa: F401

FIXTURE_GROUPS = ("default", "demo-lb")


def sample(total):
    """Every k in the full sweep; otherwise the first two, the last two and
    every fifth in between."""
    ks = list(range(1, total + 1))
    if os.environ.get("RELIABILITY_CRASH") == "full":
        return ks
    return sorted({k for k in ks if k <= 2 or k >= total - 1 or k % 5 == 0})


class Crash(gwse2e.Case):
    figures = []

    @classmethod
    def tearDownClass(cls):
        for line in cls.figures:
            print(line)

    def argv(self, repo):
        return [gwse2e.BIN, "sync", "--repo", repo, "--cluster", gwse2e.CLUSTER,
                "--endpoint-url", self.fa.url, "--workdir", os.path.join(self.tmp, "cache")]

    def owned(self):
        self.owned_everywhere()
        for sg in self.ec2()["SecurityGroups"]:
            if sg["groupName"] not in FIXTURE_GROUPS:
                self.assertOwned({t["key"]: t["value"] for t in sg.get("tagSet") or []},
                                 sg["groupName"])

    def killed_after(self, repo, k, drop):
        """Runs gwsync with the crash hook armed at k; SIGKILL as soon as the
        k-th mutating call went through. False when the run ended first."""
        self.fa.crash_after(k, drop_response=drop)
        p = subprocess.Popen(self.argv(repo), env=self.env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            crashed = False
            while time.monotonic() < deadline and not crashed:
                ended = p.poll() is not None
                # The last mutating call may also be the run's last AWS call:
                # then gwsync can end on its own before it is killed.
                crashed = self.fa.control("GET", "crash").get("crashed", False)
                if ended:
                    break
                time.sleep(0.005)
            self.assertTrue(crashed or p.poll() is not None, "gwsync neither crashed nor ended")
        finally:
            if p.poll() is None:
                p.kill()
            p.wait()
            self.fa.resume()
        return crashed

    def recovers(self, repo, want, what):
        r = self.sync(repo)
        self.assertEqual(r.code, 0, "%s: the run after the crash: %r" % (what, r))
        self.owned()
        got = reliability.normalized(self.fa.state())
        self.assertEqual(got, want, "%s: %s" % (what, reliability.diff(got, want)))
        self.assertInert(repo)

    def mutating_calls(self, prepare, repo):
        """How many mutating calls the run makes without a crash, and the
        state it leaves."""
        self.fa.reset(seed=11)
        prepare()
        self.fa.control("DELETE", "calls")
        self.converge(repo)
        actions = [c["action"] for c in self.mutations()]
        return actions, reliability.normalized(self.fa.state())

    def sweep(self, name, prepare, repo):
        actions, want = self.mutating_calls(prepare, repo)
        total = len(actions)
        self.assertGreater(total, 5)
        ks = sample(total)
        runs = 0
        t0 = time.monotonic()
        for drop in (False, True):
            for k in ks:
                with self.subTest(k=k, drop_response=drop):
                    self.fa.reset(seed=11)
                    prepare()
                    crashed = self.killed_after(repo, k, drop)
                    self.assertTrue(crashed, "the run ended before mutating call %d" % k)
                    self.recovers(repo, want, "%s, killed after call %d%s"
                                  % (name, k, " (reply dropped)" if drop else ""))
                    runs += 2
        self.figures.append("crash %s: %d mutating calls, k in %s (%d values) x reply "
                            "delivered/dropped: %d killed runs, each converged in the next "
                            "run; %d gwsync runs, %.0f s"
                            % (name, total, "1..%d" % total if len(ks) == total else ks,
                               len(ks), 2 * len(ks), runs, time.monotonic() - t0))
        return actions

    def test_cold_apply(self):
        repo = self.repo("examples")
        self.sweep("cold apply of examples/repo", lambda: None, repo)

    def test_rule_reorder_and_replacement(self):
        before = self.repo("classes", "web", "blog", name="before")
        after = self.repo("classes", "web", "blog", name="after")
        # A new, more specific route goes first (every priority moves), one
        # route changes its matches (a replacement), one changes only its
        # backend (an edit in place) and one changes a header match.
        self.reorder_and_replace_routes(after)

        def prepare():
            self.converge(before)
        actions = self.sweep("rule reorder and replacement", prepare, after)
        self.assertIn("SetRulePriorities", actions)
        self.assertIn("CreateRule", actions)
        self.assertIn("DeleteRule", actions)

    def test_listener_certificates_and_security_group_rules(self):
        # The other calls AWS gives no idempotency for: extra certificates
        # (AddListenerCertificates) and ingress rules (a new listener port).
        before = self.repo("classes", "web", name="before")
        after = self.repo("classes", "web", name="after")
        self.edit(after, "gateway.yaml", "    sslPolicy:", """\
    certificates:
    - arn:aws:acm:us-west-2:123456789012:certificate/22222222-2222-2222-2222-222222222222
    - arn:aws:acm:us-west-2:123456789012:certificate/33333333-3333-3333-3333-333333333333
    sslPolicy:""")
        self.edit(after, "gateway.yaml", "  - {name: https, protocol: HTTPS, port: 443}",
                  "  - {name: https, protocol: HTTPS, port: 443}\n"
                  "  - {name: alt, protocol: HTTP, port: 8080}")
        self.write(after, "alt.yaml", """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: alt, namespace: web}
spec:
  parentRefs: [{name: web, sectionName: alt}]
  rules:
  - backendRefs: [{name: site, port: 80}]
""")

        def prepare():
            self.converge(before)
        actions = self.sweep("extra certificates and a new ingress rule", prepare, after)
        self.assertIn("AddListenerCertificates", actions)
        self.assertIn("AuthorizeSecurityGroupIngress", actions)


if __name__ == "__main__":
    unittest.main()
