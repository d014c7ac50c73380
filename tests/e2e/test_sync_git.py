"""The status report committed back to Git (docs/git-source.md, "Status
commits") and the run lease, end to end: gwsync against fakeaws and a bare
repository over file:// and over http:// (git http-backend with a token)."""

import json
import os
import re
import subprocess
import sys
import threading
import time
import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401  (stops the module's fakeaws)

STUB = os.path.join(gwse2e.SRC, "tests", "cli", "git_http_stub.py")
TOKEN = "ghp_e2eTokenQ4x7Zr2m"


def git(*args, cwd=None):
    p = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com"] +
                       list(args), cwd=cwd, capture_output=True, text=True)
    if p.returncode:
        raise AssertionError("git %s: %s" % (" ".join(args), p.stderr))
    return p.stdout


class GitStatus(gwse2e.Case):
    def setUp(self):
        super().setUp()
        self.src = self.repo("examples")
        self.url = self.git_url(self.src)
        self.bare = self.url[len("file://"):]

    def run_sync(self, *args, url=None, env=None):
        env = dict(env or self.env, GWSYNC_WORKDIR=os.path.join(self.tmp, "cache"))
        argv = ["sync", "--repo", url or self.url, "--cluster", gwse2e.CLUSTER,
                "--endpoint-url", self.fa.url] + list(args)
        return self.gwsync(*argv, env=env)

    def log(self, ref="main"):
        return git("--git-dir", self.bare, "log", "--format=%H", ref).split()

    def show(self, path, ref="main"):
        return git("--git-dir", self.bare, "show", "%s:%s" % (ref, path))

    def test_one_status_commit_then_none(self):
        before = self.log()
        code, out, err = self.run_sync()
        self.assertEqual(code, 0, err)
        after = self.log()
        self.assertEqual(after[1:], before, "exactly one commit on top of the manifests")
        msg = git("--git-dir", self.bare, "log", "-1", "--format=%B")
        subject, _, rest = msg.partition("\n")
        self.assertRegex(subject, r"^gwsync: %s: \d+ created$" % gwse2e.CLUSTER)
        self.assertIn("[skip ci]", rest)
        self.assertIn("Gwsync-Source-Commit: %s" % before[0], msg)
        run_id = re.search(r"^Gwsync-Run-Id: ([0-9a-f]{16})$", msg, re.M)
        self.assertTrue(run_id, msg)
        self.assertIn("run %s" % run_id.group(1), err)
        author = git("--git-dir", self.bare, "log", "-1", "--format=%an <%ae>")
        self.assertEqual(author.strip(), "gwsync <gwsync@localhost>")
        # Only .gwsync/<cluster>/ changed.
        changed = git("--git-dir", self.bare, "diff", "--name-only", before[0], after[0])
        self.assertTrue(changed.split())
        for path in changed.split():
            self.assertTrue(path.startswith(".gwsync/%s/" % gwse2e.CLUSTER), path)
        inventory = json.loads(self.show(".gwsync/%s/inventory.json" % gwse2e.CLUSTER))
        text = json.dumps(inventory)
        for lb in self.elbv2()["LoadBalancers"]:
            self.assertIn(lb["LoadBalancerArn"], text)
        status = self.show(".gwsync/%s/status/shop/Gateway/shop.yaml" % gwse2e.CLUSTER)
        self.assertIn("reason: Programmed", status)
        # The TargetGroupBindings ride in the same commit, one per target group.
        rendered = [p for p in changed.split() if "/rendered/" in p]
        bindings = [p for p in rendered if not p.endswith("kustomization.yaml")]
        self.assertEqual(len(bindings), len(self.elbv2()["TargetGroups"]), rendered)

        # The second run: no AWS write, no commit, (almost) nothing fetched.
        self.fa.control("DELETE", "calls")
        code, out, err = self.run_sync("--detailed-exitcode")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.log(), after)
        self.assertEqual(self.fa.counters()["writes"], 0)
        received = re.search(r"(\d+) git objects? received", err)
        self.assertTrue(received, err)
        self.assertLessEqual(int(received.group(1)), 0, err)

    def test_dry_run_commits_nothing_and_takes_no_lease(self):
        before = git("--git-dir", self.bare, "for-each-ref")
        code, out, err = self.run_sync("--dry-run")
        self.assertEqual(code, 0, err)
        self.assertEqual(git("--git-dir", self.bare, "for-each-ref"), before)

    def test_status_branch_leaves_the_source_branch_alone(self):
        before = self.log()
        code, out, err = self.run_sync("--status-branch", "gwsync-status",
                                       "--git-author", "Platform Bot <bot@example.com>")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.log(), before)
        status = self.log("gwsync-status")
        self.assertEqual(len(status), 1, "an orphan branch: one commit, no parent")
        self.assertEqual(git("--git-dir", self.bare, "log", "-1", "--format=%an <%ae>",
                             "gwsync-status").strip(), "Platform Bot <bot@example.com>")
        files = git("--git-dir", self.bare, "ls-tree", "-r", "--name-only", "gwsync-status")
        self.assertTrue(all(f.startswith(".gwsync/") for f in files.split()), files)
        # A later change updates it with a second commit.
        work = os.path.join(self.tmp, "work")
        git("clone", "-q", self.url, work)
        path = os.path.join(work, "apps", "ledger", "ledger.yaml")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace("ELBSecurityPolicy-TLS13-1-2-2021-06",
                                 "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"))
        git("commit", "-qam", "stricter TLS", cwd=work)
        git("push", "-q", "origin", "main", cwd=work)
        code, out, err = self.run_sync("--status-branch", "gwsync-status")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.log("gwsync-status")), 2)
        self.assertIn("1 updated", git("--git-dir", self.bare, "log", "-1", "--format=%s",
                                       "gwsync-status"))

    def test_tag_without_status_branch_is_refused_before_aws(self):
        git("--git-dir", self.bare, "tag", "v1", "main")
        code, out, err = self.run_sync("--ref", "v1")
        self.assertEqual(code, 3, err)
        self.assertIn("--status-branch", err)
        self.assertEqual(self.fa.counters()["reads"] + self.fa.counters()["writes"], 0)

    def test_branch_moved_during_the_run(self):
        # While gwsync applies, someone pushes to main: the status commit lands
        # on top of theirs, nothing is lost, nothing is forced.
        self.fa.add_fault(service="elbv2", action="CreateLoadBalancer", kind="delay",
                          delay_ms=3000)
        work = os.path.join(self.tmp, "work")
        git("clone", "-q", self.url, work)

        def push_meanwhile():
            time.sleep(1)
            with open(os.path.join(work, "NOTES.md"), "w") as f:
                f.write("someone else's commit\n")
            git("add", "NOTES.md", cwd=work)
            git("commit", "-qm", "notes", cwd=work)
            git("push", "-q", "origin", "main", cwd=work)

        t = threading.Thread(target=push_meanwhile)
        t.start()
        code, out, err = self.run_sync()
        t.join()
        self.assertEqual(code, 0, err)
        subjects = git("--git-dir", self.bare, "log", "--format=%s", "main").splitlines()
        self.assertTrue(subjects[0].startswith("gwsync: "), subjects)
        self.assertEqual(subjects[1], "notes")
        self.assertIn("NOTES.md", git("--git-dir", self.bare, "ls-tree", "--name-only", "main"))

    def test_two_runs_at_once_one_applies(self):
        # The first run holds the lease while CreateLoadBalancer stalls; the
        # second waits 1 s for it, then gives up with exit 6 without an AWS write.
        self.fa.add_fault(service="elbv2", action="CreateLoadBalancer", kind="delay",
                          delay_ms=6000)
        env = dict(self.env, GWSYNC_WORKDIR=os.path.join(self.tmp, "cache1"))
        first = subprocess.Popen(
            [gwse2e.BIN, "sync", "--repo", self.url, "--cluster", gwse2e.CLUSTER,
             "--endpoint-url", self.fa.url], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20
        while time.time() < deadline and "refs/gwsync/leases/" not in git(
                "--git-dir", self.bare, "for-each-ref"):
            time.sleep(0.1)
        writes_before = self.fa.counters()["writes"]
        env2 = dict(self.env, GWSYNC_WORKDIR=os.path.join(self.tmp, "cache2"))
        code, out, err = self.gwsync("sync", "--repo", self.url, "--cluster", gwse2e.CLUSTER,
                                     "--endpoint-url", self.fa.url, "--lock-timeout", "1s",
                                     env=env2)
        self.assertEqual(code, 6, err)
        self.assertIn("run", err)
        out1, err1 = first.communicate(timeout=120)
        self.assertEqual(first.returncode, 0, err1)
        lbs = [lb["LoadBalancerName"] for lb in self.elbv2()["LoadBalancers"]]
        self.assertEqual(len(lbs), len(set(lbs)))
        self.assertEqual(len(lbs), 2)
        self.assertGreaterEqual(self.fa.counters()["writes"], writes_before)
        # Released: the next run takes it at once and finds nothing to do.
        code, out, err = self.run_sync("--detailed-exitcode", "--lock-timeout", "1s")
        self.assertEqual(code, 0, err)


class GitHttp(gwse2e.Case):
    def serve(self):
        """The example repository behind git http-backend (token required): (bare, url)."""
        src = self.repo("examples")
        bare = self.git_url(src)[len("file://"):]
        root = os.path.dirname(bare)
        log = os.path.join(self.tmp, "http.log")
        stub = subprocess.Popen([sys.executable, STUB, log, "backend:%s:%s" % (root, TOKEN)],
                                stdout=subprocess.PIPE, text=True)
        self.addCleanup(stub.wait)
        self.addCleanup(stub.kill)
        port = int(stub.stdout.readline())
        return bare, "http://127.0.0.1:%d/%s" % (port, os.path.basename(bare))

    def test_refused_push_exits_10_after_converging(self):
        # The server refuses every push to main (the lease ref is let through).
        bare, url = self.serve()
        hook = os.path.join(bare, "hooks", "pre-receive")
        with open(hook, "w") as f:
            f.write("#!/bin/sh\nwhile read old new ref; do\n"
                    "  [ \"$ref\" = refs/heads/main ] && "
                    "{ echo 'pushes to main are closed today' >&2; exit 1; }\n"
                    "done\nexit 0\n")
        os.chmod(hook, 0o755)
        env = dict(self.env, GWSYNC_WORKDIR=os.path.join(self.tmp, "cache"),
                   GWSYNC_GIT_ALLOW_HTTP_TOKEN="1", GWSYNC_GIT_TOKEN=TOKEN)
        code, out, err = self.gwsync("sync", "--repo", url, "--cluster", gwse2e.CLUSTER,
                                     "--endpoint-url", self.fa.url, env=env)
        self.assertEqual(code, 10, err)
        self.assertIn("refused the push to refs/heads/main: pre-receive hook declined", err)
        self.assertIn("AWS is converged", err)
        self.assertGreater(self.fa.counters()["writes"], 0)
        self.assertEqual(git("--git-dir", bare, "log", "-1", "--format=%s"), "manifests\n")

    def test_http_backend_with_a_token(self):
        bare, url = self.serve()
        cache = os.path.join(self.tmp, "cache")
        base = dict(self.env, GWSYNC_WORKDIR=cache, GWSYNC_GIT_ALLOW_HTTP_TOKEN="1")
        argv = ["sync", "--repo", url, "--cluster", gwse2e.CLUSTER,
                "--endpoint-url", self.fa.url]

        code, out, err = self.gwsync(*argv, env=dict(base, GWSYNC_GIT_TOKEN="wrong-token"))
        self.assertNotEqual(code, 0, err)
        self.assertIn("GWSYNC_GIT_TOKEN", err)
        self.assertEqual(self.fa.counters()["writes"], 0)

        token_file = os.path.join(self.tmp, "token")
        with open(token_file, "w") as f:
            f.write(TOKEN + "\n")
        code, out, err = self.gwsync(*argv, env=dict(base, GWSYNC_GIT_TOKEN_FILE=token_file))
        self.assertEqual(code, 0, err)
        subject = git("--git-dir", bare, "log", "-1", "--format=%s")
        self.assertTrue(subject.startswith("gwsync: "), subject)
        # The token is nowhere: not in the output, the cache, or any commit.
        self.assertNotIn(TOKEN, out + err)
        self.assertNotIn(TOKEN, git("--git-dir", bare, "log", "-p", "--all"))
        for d, _, files in os.walk(cache):
            for name in files:
                with open(os.path.join(d, name), "rb") as f:
                    self.assertNotIn(TOKEN.encode(), f.read(), os.path.join(d, name))


if __name__ == "__main__":
    unittest.main()
