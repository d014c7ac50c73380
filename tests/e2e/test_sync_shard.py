"""Sharding (docs/operations.md, "Sharding"): --shard K/N and --shards N with
JOB_COMPLETION_INDEX split the Gateways by a stable hash of namespace/name.
Shards run one after the other or at once converge to exactly the AWS state
one run makes, read about as much in total, never touch another shard's
stacks (not even with --prune), and publish their status side by side."""

import json
import os
import re
import subprocess
import time
import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401  (stops the module's fakeaws)

# Enough Gateways that every shard of 2 and of 3 has some, and that the reads
# about each stack outweigh the listings every shard repeats.
GATEWAYS = 36


def fnv1a_shard(stack, n):
    """The documented assignment, computed independently of gwsync."""
    h = 0xcbf29ce484222325
    for b in stack.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h % n


def estate(n, drop=()):
    """GatewayClasses, then n ALB Gateways team<i>/edge with three listeners, three
    Services and routes; one Route attaches to the Gateways of team0 and team1."""
    docs = [
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\n"
        "metadata: {name: aws-alb}\nspec: {controllerName: gateway.k8s.aws/alb}\n"]
    for i in range(n):
        ns = "team%d" % i
        if ns in drop:
            continue
        docs.append(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
            "metadata: {name: edge, namespace: %s}\nspec:\n  gatewayClassName: aws-alb\n"
            "  listeners:\n  - {name: http, protocol: HTTP, port: 80}\n"
            "  - {name: admin, protocol: HTTP, port: 8080}\n"
            "  - {name: metrics, protocol: HTTP, port: 9090}\n" % ns)
        for svc in ("api", "web", "ops"):
            docs.append(
                "apiVersion: v1\nkind: Service\nmetadata: {name: %s, namespace: %s}\n"
                "spec:\n  selector: {app: %s}\n  ports: [{port: 80, targetPort: 8080}]\n"
                % (svc, ns, svc))
            docs.append(
                "apiVersion: gateway.k8s.aws/v1beta1\nkind: TargetGroupConfiguration\n"
                "metadata: {name: %s, namespace: %s}\nspec:\n  targetReference: {name: %s}\n"
                "  defaultConfiguration: {targetType: ip}\n" % (svc, ns, svc))
        docs.append(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
            "metadata: {name: main, namespace: %s}\nspec:\n"
            "  parentRefs: [{name: edge, sectionName: http}]\n  rules:\n"
            "  - matches: [{path: {type: PathPrefix, value: /api}}]\n"
            "    backendRefs: [{name: api, port: 80}]\n"
            "  - matches: [{path: {type: PathPrefix, value: /}}]\n"
            "    backendRefs: [{name: web, port: 80}]\n" % ns)
        docs.append(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
            "metadata: {name: ops, namespace: %s}\nspec:\n"
            "  parentRefs: [{name: edge, sectionName: admin}]\n  rules:\n"
            "  - matches: [{path: {type: PathPrefix, value: /ops}}]\n"
            "    backendRefs: [{name: ops, port: 80}]\n" % ns)
        docs.append(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
            "metadata: {name: metrics, namespace: %s}\nspec:\n"
            "  parentRefs: [{name: edge, sectionName: metrics}]\n  rules:\n"
            "  - matches: [{path: {type: Exact, value: /metrics}}]\n"
            "    backendRefs: [{name: ops, port: 80}]\n" % ns)
    # A Route of team0 with parents in team0 and team1 (their Gateways allow
    # Routes from the same namespace only, so only the team0 parent attaches).
    if "team0" not in drop:
        docs.append(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
            "metadata: {name: shared, namespace: team0}\nspec:\n"
            "  parentRefs:\n  - {name: edge, sectionName: admin}\n"
            "  - {name: edge, namespace: team1, sectionName: admin}\n  rules:\n"
            "  - matches: [{path: {type: PathPrefix, value: /shared}}]\n"
            "    backendRefs: [{name: web, port: 80}]\n")
    return "---\n".join(docs)


ARN = re.compile(r"arn:aws:elasticloadbalancing:[^:]*:\d+:(targetgroup|loadbalancer)/"
                 r"(?:app/|net/)?([^/\"]+)/[0-9a-f]+(?:/[0-9a-f]+)*")
VOLATILE = {"CreatedTime", "DNSName", "CanonicalHostedZoneId", "LoadBalancerArn",
            "ListenerArn", "RuleArn", "TargetGroupArn", "GroupId", "groupId", "OwnerId",
            "ownerId", "Targets", "State", "IpAddressType", "AvailabilityZones"}


def normalize(elbv2, ec2):
    """LBs, listeners, rules, TGs and tags with ARNs and ids replaced by names."""
    sg_names = {g.get("GroupId") or g.get("groupId"): g.get("GroupName") or g.get("groupName")
                for g in ec2["SecurityGroups"]}

    def walk(x):
        if isinstance(x, dict):
            return {k: walk(v) for k, v in sorted(x.items()) if k not in VOLATILE}
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, str):
            x = ARN.sub(lambda m: "%s:%s" % (m.group(1), m.group(2)), x)
            return sg_names.get(x, x)
        return x

    lbs = sorted((walk(lb) for lb in elbv2["LoadBalancers"]),
                 key=lambda lb: lb["LoadBalancerName"])
    for lb in lbs:
        lb["Listeners"].sort(key=lambda li: li["Port"])
        for li in lb["Listeners"]:
            li["Rules"].sort(key=lambda ru: str(ru.get("Priority")))
    tgs = sorted((walk(tg) for tg in elbv2["TargetGroups"]),
                 key=lambda tg: tg["TargetGroupName"])
    sgs = sorted((walk(g) for g in ec2["SecurityGroups"]
                  if "gwsync.io/cluster" in json.dumps(g)), key=json.dumps)
    return {"LoadBalancers": lbs, "TargetGroups": tgs, "SecurityGroups": sgs}


class Shards(gwse2e.Case):
    def setUp(self):
        super().setUp()
        self.src = self.repo(name="estate")
        self.write(self.src, "estate.yaml", estate(GATEWAYS))

    def shard_run(self, k, n, *args, repo=None):
        return self.sync(repo or self.src, "--shard", "%d/%d" % (k, n), *args)

    def state(self):
        return normalize(self.elbv2(), self.ec2())

    def stacks(self):
        return sorted({lb["Tags"]["gwsync.io/stack"] for lb in self.elbv2()["LoadBalancers"]})

    def reads(self):
        return self.fa.counters()["reads"]

    def parallel(self, n, *args, repo=None):
        """Runs shards 0..n-1 at once (each with its own cache, as pods have);
        returns their exit codes and outputs."""
        procs = []
        for k in range(n):
            argv = [gwse2e.BIN, "sync", "--repo", repo or self.src, "--cluster", gwse2e.CLUSTER,
                    "--endpoint-url", self.fa.url, "--shards", str(n),
                    "--workdir", os.path.join(self.tmp, "cache-%d" % k)] + list(args)
            env = dict(self.env, JOB_COMPLETION_INDEX=str(k))
            procs.append(subprocess.Popen(argv, env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True))
        results = []
        for p in procs:
            out, err = p.communicate(timeout=300)
            results.append((p.returncode, out, err))
        return results

    def single(self):
        """The state and no-op reads of one unsharded run of the estate."""
        for n in (2, 3):
            owners = {fnv1a_shard("team%d/edge" % i, n) for i in range(GATEWAYS)}
            self.assertEqual(owners, set(range(n)), "the estate must give every shard work")
        self.converge(self.src)
        want = self.state()
        self.fa.control("DELETE", "calls")
        self.assertInert(self.src)
        return want, self.reads()

    def test_shards_one_after_the_other_converge_like_one_run(self):
        want, single_reads = self.single()
        self.fa.reset(seed=11)
        for k in range(2):
            r = self.shard_run(k, 2)
            self.assertEqual(r.code, 0, r)
            mine = sorted(s for s in ("team%d/edge" % i for i in range(GATEWAYS))
                          if fnv1a_shard(s, 2) == k)
            self.assertEqual(r.plan["shard"], {"index": k, "count": 2, "gateways": len(mine),
                                               "skippedGateways": GATEWAYS - len(mine)})
            self.assertEqual(sorted({c["gateway"] for c in r.plan["resource_changes"]}), mine)
            self.assertIn("shard %d/2: %d Gateways of the manifests, %d left to other shards"
                          % (k, len(mine), GATEWAYS - len(mine)), r.out)
        self.assertEqual(self.state(), want)
        self.fa.control("DELETE", "calls")
        for k in range(2):
            r = self.shard_run(k, 2, "--detailed-exitcode")
            self.assertEqual(r.code, 0, r)
            self.assertEqual(r.plan["resource_changes"], [], r)
        self.assertEqual(self.fa.counters()["writes"], 0, self.mutations())
        total = self.reads()
        self.assertLessEqual(total, 1.1 * single_reads, (total, single_reads))

    def test_shards_at_once_converge_like_one_run(self):
        want, single_reads = self.single()
        self.fa.reset(seed=11)
        for code, out, err in self.parallel(3):
            self.assertEqual(code, 0, out + err)
        self.assertEqual(self.state(), want)
        self.fa.control("DELETE", "calls")
        for code, out, err in self.parallel(3, "--detailed-exitcode", "--dry-run"):
            self.assertEqual(code, 0, out + err)
        self.assertEqual(self.fa.counters()["writes"], 0, self.mutations())
        total = self.reads()
        self.assertLessEqual(total, 1.1 * single_reads, (total, single_reads))

    def test_empty_share_prunes_nothing(self):
        self.converge(self.src)
        before = self.state()
        # Far more shards than Gateways: find one that owns none of them.
        n = 1024
        used = {fnv1a_shard("team%d/edge" % i, n) for i in range(GATEWAYS)}
        k = min(set(range(n)) - used)
        # An estate without Gateways at all for this shard's point of view: every
        # stack in AWS is "not desired" here, yet belongs to other shards.
        self.fa.control("DELETE", "calls")
        r = self.shard_run(k, n, "--prune", "--detailed-exitcode", "--max-deletions", "1000")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.plan["resource_changes"], [], r)
        self.assertEqual(r.plan["shard"]["gateways"], 0)
        self.assertEqual(self.fa.counters()["writes"], 0, self.mutations())
        self.assertEqual(self.state(), before)
        # The same with a repository that lost every Gateway: still nothing.
        bare = self.repo(name="classes-only")
        self.write(bare, "estate.yaml", estate(0))
        r = self.shard_run(k, n, "--prune", "--max-deletions", "1000", repo=bare)
        self.assertIn(r.code, (0, 5), r)
        self.assertEqual(self.fa.counters()["writes"], 0, self.mutations())
        self.assertEqual(self.state(), before)

    def test_prune_is_done_by_the_owning_shard_only(self):
        self.converge(self.src)
        gone = "team4/edge"
        owner = fnv1a_shard(gone, 2)
        smaller = self.repo(name="smaller")
        self.write(smaller, "estate.yaml", estate(GATEWAYS, drop=("team4",)))
        self.fa.control("DELETE", "calls")
        r = self.shard_run(1 - owner, 2, "--prune", repo=smaller)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.fa.counters()["writes"], 0, self.mutations())
        self.assertIn(gone, self.stacks())
        r = self.shard_run(owner, 2, "--prune", repo=smaller)
        self.assertEqual(r.code, 0, r)
        deleted = {c["gateway"] for c in r.plan["resource_changes"] if c["actions"] == ["delete"]}
        self.assertEqual(deleted, {gone})
        self.assertNotIn(gone, self.stacks())
        self.assertEqual(len(self.stacks()), GATEWAYS - 1)

    def test_prune_by_a_shard_whose_only_gateway_went(self):
        """The shard's own share is now empty, the manifests are not: the
        empty-desired-set guard must not stop the one shard that can prune."""
        self.converge(self.src)
        n, gone = 1024, "team7/edge"
        k = fnv1a_shard(gone, n)
        others = [i for i in range(GATEWAYS) if fnv1a_shard("team%d/edge" % i, n) == k]
        self.assertEqual(others, [7], "team7 must be alone in its shard")
        smaller = self.repo(name="smaller")
        self.write(smaller, "estate.yaml", estate(GATEWAYS, drop=("team7",)))
        r = self.shard_run(k, n, "--prune", repo=smaller)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.plan["shard"]["gateways"], 0)
        deleted = {c["gateway"] for c in r.plan["resource_changes"] if c["actions"] == ["delete"]}
        self.assertEqual(deleted, {gone})
        self.assertEqual(len(self.stacks()), GATEWAYS - 1)

    def test_report_folders_of_a_plain_repository(self):
        for k in range(2):
            self.assertEqual(self.shard_run(k, 2).code, 0)
        top = os.path.join(self.src, ".gwsync", gwse2e.CLUSTER)
        self.assertEqual(sorted(os.listdir(top)), ["shard-0-of-2", "shard-1-of-2"])
        gateways = {}
        for k in range(2):
            d = os.path.join(top, "shard-%d-of-2" % k)
            with open(os.path.join(d, "inventory.json")) as f:
                inv = json.load(f)
            stacks = [s["stack"] for s in inv["stacks"]]
            self.assertTrue(stacks)
            self.assertTrue(all(fnv1a_shard(s, 2) == k for s in stacks), stacks)
            status = os.path.join(d, "status")
            gateways[k] = sorted(ns for ns in os.listdir(status)
                                 if os.path.isdir(os.path.join(status, ns, "Gateway")))
            self.assertEqual(os.path.isdir(os.path.join(status, "_cluster")), k == 0,
                             "GatewayClass status is shard 0's")
        self.assertFalse(set(gateways[0]) & set(gateways[1]))
        self.assertEqual(len(gateways[0]) + len(gateways[1]), GATEWAYS)
        # The Route with parents in two shards: written once, by its first parent's shard.
        shared = [k for k in range(2) if os.path.exists(os.path.join(
            top, "shard-%d-of-2" % k, "status", "team0", "HTTPRoute", "shared.yaml"))]
        self.assertEqual(shared, [fnv1a_shard("team0/edge", 2)])


class ShardLeases(gwse2e.Case):
    def test_same_shard_waits_other_shard_does_not(self):
        src = self.repo(name="small")
        self.write(src, "estate.yaml", estate(8))
        cache = os.path.join(self.tmp, "cache")
        self.fa.set_latency(250)
        self.addCleanup(self.fa.set_latency, 0)
        metrics = os.path.join(self.tmp, "shard0.prom")

        def start(k, *args):
            argv = [gwse2e.BIN, "sync", "--repo", src, "--cluster", gwse2e.CLUSTER,
                    "--endpoint-url", self.fa.url, "--shard", "%d/2" % k, "--workdir", cache,
                    "--lock-timeout", "0"] + list(args)
            return subprocess.Popen(argv, env=self.env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)

        first = start(0, "--metrics-file", metrics)
        # Wait until the first run holds its lease and works on AWS.
        deadline = time.time() + 60
        while time.time() < deadline and not self.fa.counters()["total"]:
            time.sleep(0.1)
        again, other = start(0), start(1)
        out, err = again.communicate(timeout=120)
        self.assertEqual(again.returncode, 6, out + err)
        self.assertIn("%s.shard-0-of-2" % gwse2e.CLUSTER, err)
        out, err = other.communicate(timeout=300)
        self.assertEqual(other.returncode, 0, out + err)
        out, err = first.communicate(timeout=300)
        self.assertEqual(first.returncode, 0, out + err)
        with open(metrics) as f:
            text = f.read()
        self.assertRegex(text, r'gwsync_run_exit_code\{cluster="%s",shard="0-of-2"\} 0'
                         % gwse2e.CLUSTER)


class ShardsGit(gwse2e.Case):
    def setUp(self):
        super().setUp()
        self.src = self.repo(name="estate")
        self.write(self.src, "estate.yaml", estate(8))
        self.url = self.git_url(self.src)
        self.bare = self.url[len("file://"):]

    def git(self, *args):
        return subprocess.run(["git", "--git-dir", self.bare] + list(args), check=True,
                              capture_output=True, text=True).stdout

    def test_two_shards_publish_to_one_branch(self):
        procs = []
        for k in range(2):
            argv = [gwse2e.BIN, "sync", "--repo", self.url, "--cluster", gwse2e.CLUSTER,
                    "--endpoint-url", self.fa.url, "--shards", "2",
                    "--workdir", os.path.join(self.tmp, "cache-%d" % k)]
            env = dict(self.env, JOB_COMPLETION_INDEX=str(k), GWSYNC_LOG_FORMAT="json")
            procs.append(subprocess.Popen(argv, env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True))
        for k, p in enumerate(procs):
            out, err = p.communicate(timeout=300)
            self.assertEqual(p.returncode, 0, out + err)
            lines = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
            self.assertTrue(lines and all(x.get("shard") == "%d-of-2" % k for x in lines),
                            err)
        subjects = self.git("log", "--format=%s", "main").splitlines()
        for k in range(2):
            self.assertTrue([s for s in subjects if re.match(
                r"^gwsync: %s shard %d/2: \d+ created$" % (gwse2e.CLUSTER, k), s)], subjects)
        for k in range(2):
            commit = [c for c, s in (line.split(" ", 1) for line in self.git(
                "log", "--format=%H %s", "main").splitlines()) if "shard %d/2" % k in s][0]
            paths = self.git("show", "--name-only", "--format=", commit).split()
            self.assertTrue(paths)
            prefix = ".gwsync/%s/shard-%d-of-2/" % (gwse2e.CLUSTER, k)
            self.assertTrue(all(p.startswith(prefix) for p in paths), paths)
        leases = self.git("for-each-ref", "--format=%(refname)", "refs/gwsync/leases")
        self.assertEqual(sorted(leases.split()),
                         ["refs/gwsync/leases/%s.shard-%d-of-2" % (gwse2e.CLUSTER, k)
                          for k in range(2)])


class ShardOptions(gwse2e.Case):
    """Bad shard settings: exit 3 before any AWS call, naming the flag and value."""

    def run_bad(self, *args, env=None):
        self.fa.control("DELETE", "calls")
        e = dict(self.env)
        e.pop("JOB_COMPLETION_INDEX", None)
        e.update(env or {})
        code, out, err = self.gwsync("sync", "--repo", self.repo("classes"), "--cluster",
                                     gwse2e.CLUSTER, "--endpoint-url", self.fa.url,
                                     *args, env=e)
        self.assertEqual(code, 3, out + err)
        self.assertEqual(self.fa.counters()["total"], 0)
        return err

    def test_bad_values(self):
        self.assertIn("--shard '3/3'", self.run_bad("--shard", "3/3"))
        self.assertIn("--shard '1/0'", self.run_bad("--shard", "1/0"))
        self.assertIn("--shard 'x'", self.run_bad("--shard", "x"))
        self.assertIn("--shard '-1/2'", self.run_bad("--shard", "-1/2"))
        self.assertIn("--shard '1/2/3'", self.run_bad("--shard", "1/2/3"))
        self.assertIn("--shard '0/1025'", self.run_bad("--shard", "0/1025"))
        self.assertIn("--shards", self.run_bad("--shards", "0"))
        self.assertIn("--shards", self.run_bad("--shards", "junk"))
        self.assertIn("JOB_COMPLETION_INDEX", self.run_bad("--shards", "4"))
        self.assertIn("JOB_COMPLETION_INDEX '4'",
                      self.run_bad("--shards", "4", env={"JOB_COMPLETION_INDEX": "4"}))
        self.assertIn("JOB_COMPLETION_INDEX 'a'",
                      self.run_bad("--shards", "4", env={"JOB_COMPLETION_INDEX": "a"}))
        self.assertIn("disagree", self.run_bad("--shard", "1/3", "--shards", "4"))
        self.assertIn("--shard '5/2'", self.run_bad(env={"GWSYNC_SHARD": "5/2"}))

    def test_one_shard_is_a_plain_run(self):
        src = self.repo(name="small")
        self.write(src, "estate.yaml", estate(2))
        r = self.sync(src, "--shards", "1")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("shard", r.plan)
        top = os.path.join(src, ".gwsync", gwse2e.CLUSTER)
        self.assertEqual(sorted(os.listdir(top)),
                         ["SUMMARY.md", "inventory.json", "rendered", "status"])

    def test_help_explains_both(self):
        code, out, _ = self.gwsync("sync", "--help")
        self.assertEqual(code, 0)
        self.assertIn("--shard K/N", out)
        self.assertIn("--shards N", out)
        self.assertIn("JOB_COMPLETION_INDEX", out)


if __name__ == "__main__":
    unittest.main()
