"""Shared machinery of the end-to-end suites: the real gwsync binary against
fakeaws (SigV4 verification on) and repositories built from fixtures.

    class T(gwse2e.Case):
        def test_x(self):
            repo = self.repo("examples")            # a copy of examples/repo
            r = self.sync(repo)                     # gwsync sync, JSON plan parsed
            self.assertEqual(r.code, 0)
            self.assertEqual(self.fa.counters()["writes"], 0)

Each test gets a fresh fakeaws state (reset) and a scratch directory; the
server is shared by the tests of one module and stopped at its end.
"""

import copy
import fnmatch
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SRC = os.environ.get("GWSYNC_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("GWSYNC_BIN") or os.path.join(SRC, "build", "src", "gwsync")
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")

sys.path.insert(0, os.path.join(SRC, "tests", "fakeaws"))
sys.path.insert(0, os.path.join(SRC, "tests", "fakeaws", "tests"))
from fakeaws.harness import FakeAWS, die_with_parent  # noqa: E402,F401

KEY, SECRET, REGION = "AKIDE2ETESTKEY", "e2e-secret-Zk7Qp9", "us-west-2"
CLUSTER = "demo"

_server = None


def server():
    """The module's fakeaws (started on first use)."""
    global _server
    if _server is None:
        _server = FakeAWS(seed=11, access_key=KEY, secret_key=SECRET, region=REGION,
                          args=os.environ.get("E2E_FAKEAWS_ARGS", "").split()).start()
    return _server


def tearDownModule():
    global _server
    if _server is not None:
        _server.stop()
        _server = None


class Result:
    def __init__(self, code, out, err, plan):
        self.code, self.out, self.err, self.plan = code, out, err, plan

    def changes(self, **match):
        """resource_changes of the JSON plan whose fields equal `match`."""
        return [c for c in (self.plan or {}).get("resource_changes", [])
                if all(c.get(k) == v for k, v in match.items())]

    def calls(self, **match):
        return [c for c in (self.plan or {}).get("calls", [])
                if all(c.get(k) == v for k, v in match.items())]

    def __repr__(self):
        return "exit %d\n--- stdout\n%s\n--- stderr\n%s" % (self.code, self.out, self.err)


def clean_env(tmp):
    """The environment gwsync runs in: no AWS_*/GWSYNC_* of the caller, the e2e
    credentials, no shared config files, no IMDS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GWSYNC_"))}
    env.update({"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET,
                "AWS_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true",
                "HOME": tmp, "NO_COLOR": "1",
                "AWS_CONFIG_FILE": os.path.join(tmp, "nope"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp, "nope")})
    return env


def aws_client(service, url):
    """boto3 when installed, else the conformance suite's raw Query client."""
    import support
    if support.HAVE_BOTO and service != "acm":
        import boto3
        return boto3.client(service, endpoint_url=url, region_name=REGION,
                            aws_access_key_id=KEY, aws_secret_access_key=SECRET)
    if service == "acm":
        import boto3  # ACM speaks JSON: only boto3 (moto runs need it anyway)
        return boto3.client(service, endpoint_url=url, region_name=REGION,
                            aws_access_key_id=KEY, aws_secret_access_key=SECRET)
    return support.RawClient(service, url, KEY, SECRET)


class Case(unittest.TestCase):
    def start_server(self):
        """The AWS endpoint of this test, in its initial state."""
        fa = server()
        fa.reset(seed=11)
        fa.clear_faults()
        return fa

    def setUp(self):
        self.fa = self.start_server()
        self.tmp = tempfile.mkdtemp(prefix="gwse2e-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.env = clean_env(self.tmp)

    # repositories ------------------------------------------------------------

    def repo(self, *sources, name="repo"):
        """A directory holding copies of `sources`: "examples" is examples/repo,
        other names are tests/e2e/fixtures/<name> (or absolute paths)."""
        dst = os.path.join(self.tmp, name)
        os.makedirs(dst, exist_ok=True)
        for s in sources:
            src = (os.path.join(SRC, "examples", "repo") if s == "examples" else
                   s if os.path.isabs(s) else os.path.join(FIXTURES, s))
            shutil.copytree(src, dst, dirs_exist_ok=True)
        return dst

    def write(self, repo, rel, text):
        path = os.path.join(repo, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def reorder_and_replace_routes(self, repo):
        """On the example routes: a new, more specific route that moves every
        priority, a changed match (a replacement), a changed backend only
        (an edit in place) and a changed header match."""
        self.write(repo, "new.yaml", """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: items, namespace: web}
spec:
  parentRefs: [{name: web, sectionName: https}]
  hostnames: [www.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api/v1/items}}]
    backendRefs: [{name: docs, port: 80}]
""")
        self.edit(repo, "routes.yaml", "value: /docs}", "value: /manual}")
        self.edit(repo, "routes.yaml", "backendRefs: [{name: api, port: 8080}]",
                  "backendRefs: [{name: site, port: 80}]")
        self.edit(repo, "routes.yaml", "headers: [{name: x-team, value: ops}]",
                  "headers: [{name: x-team, value: dev}]")

    def edit(self, repo, rel, old, new):
        path = os.path.join(repo, rel)
        with open(path) as f:
            text = f.read()
        self.assertIn(old, text, "fixture %s lacks %r" % (rel, old))
        with open(path, "w") as f:
            f.write(text.replace(old, new))

    def git_url(self, repo):
        """A bare git repository holding `repo`'s files, as a file:// URL."""
        work = repo
        bare = repo + ".git"
        git = ["git", "-c", "user.name=e2e", "-c", "user.email=e2e@example.com"]
        subprocess.run(git + ["init", "-q", "-b", "main", work], check=True)
        subprocess.run(git + ["-C", work, "add", "-A"], check=True)
        subprocess.run(git + ["-C", work, "commit", "-qm", "manifests"], check=True)
        subprocess.run(["git", "clone", "-q", "--bare", work, bare], check=True)
        return "file://" + bare

    # gwsync ------------------------------------------------------------------

    def gwsync(self, *args, env=None, timeout=120):
        p = subprocess.run([BIN] + list(args), capture_output=True, text=True,
                           env=env or self.env, timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    def sync(self, repo, *args, plan=True, cluster=CLUSTER, command=("sync",)):
        """gwsync sync against fakeaws; the JSON plan (--plan-file) is parsed."""
        plan_file = os.path.join(self.tmp, "plan.json")
        if os.path.exists(plan_file):
            os.unlink(plan_file)
        argv = list(command) + ["--repo", repo, "--cluster", cluster,
                                "--endpoint-url", self.fa.url,
                                "--workdir", os.path.join(self.tmp, "cache")]
        if plan:
            argv += ["--plan-file", plan_file]
        code, out, err = self.gwsync(*(argv + list(args)))
        doc = None
        if plan and os.path.exists(plan_file):
            with open(plan_file) as f:
                doc = json.load(f)
        return Result(code, out, err, doc)

    def converge(self, repo, *args):
        r = self.sync(repo, *args)
        self.assertEqual(r.code, 0, r)
        return r

    def assertInert(self, repo, *args):
        """A second run makes no AWS write and reports no change."""
        self.fa.control("DELETE", "calls")
        r = self.sync(repo, "--detailed-exitcode", *args)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.fa.counters()["writes"], 0, self.mutations())
        self.assertEqual(r.plan["resource_changes"], [], r)
        return r

    # AWS state ---------------------------------------------------------------

    def elbv2(self):
        return self.fa.state()["regions"][REGION]["elbv2"]

    def ec2(self):
        return self.fa.state()["regions"][REGION]["ec2"]

    def lb(self, name_prefix):
        lbs = [lb for lb in self.elbv2()["LoadBalancers"]
               if lb["LoadBalancerName"].startswith(name_prefix)]
        self.assertEqual(len(lbs), 1, [lb["LoadBalancerName"] for lb in lbs])
        return lbs[0]

    def mutations(self, since=0):
        return [c for c in self.fa.calls(since) if c["kind"] == "write"
                and c.get("status") and c["status"] < 300]

    def client(self, service):
        """An AWS client for changes made behind gwsync's back (boto3 when
        installed, else the conformance suite's raw Query client)."""
        return aws_client(service, self.fa.url)

    def owned_everywhere(self):
        """Every LB, TG, listener and rule fakeaws holds carries the four
        ownership tags, and none is duplicated."""
        st = self.elbv2()
        names = [lb["LoadBalancerName"] for lb in st["LoadBalancers"]]
        self.assertEqual(len(names), len(set(names)))
        tgs = [tg["TargetGroupName"] for tg in st["TargetGroups"]]
        self.assertEqual(len(tgs), len(set(tgs)))
        for lb in st["LoadBalancers"]:
            self.assertOwned(lb["Tags"], lb["LoadBalancerName"])
            ports = [li["Port"] for li in lb["Listeners"]]
            self.assertEqual(len(ports), len(set(ports)))
            for li in lb["Listeners"]:
                self.assertOwned(li["Tags"], li["ListenerArn"])
                for ru in li["Rules"]:
                    if not ru["IsDefault"]:
                        self.assertOwned(ru["Tags"], ru["RuleArn"])
                content = [json.dumps([ru["Conditions"], ru["Actions"]], sort_keys=True)
                           for ru in li["Rules"] if not ru["IsDefault"]]
                self.assertEqual(len(content), len(set(content)), "duplicate rules")
        for tg in st["TargetGroups"]:
            self.assertOwned(tg["Tags"], tg["TargetGroupName"])

    def assertOwned(self, tags, what):
        for k in ("gwsync.io/cluster", "gwsync.io/stack", "gwsync.io/resource",
                  "gwsync.io/managed-by"):
            self.assertIn(k, tags, "%s lacks the ownership tag %s" % (what, k))


# ---- a small ALB rule evaluator ------------------------------------------------------

def _wild(pattern, value, case=True):
    if not case:
        pattern, value = pattern.lower(), value.lower()
    return fnmatch.fnmatchcase(value, pattern)


def _values(cond, config, legacy=True):
    c = cond.get(config) or {}
    vals = c.get("Values") or []
    if not vals and legacy:
        vals = cond.get("Values") or []
    return vals


def condition_matches(cond, req):
    f = cond["Field"]
    if f == "host-header":
        return any(_wild(v, req.get("host", ""), case=False)
                   for v in _values(cond, "HostHeaderConfig"))
    if f == "path-pattern":
        return any(_wild(v, req.get("path", "/")) for v in _values(cond, "PathPatternConfig"))
    if f == "http-header":
        c = cond.get("HttpHeaderConfig") or {}
        name = (c.get("HttpHeaderName") or "").lower()
        have = {k.lower(): v for k, v in req.get("headers", {}).items()}
        return name in have and any(_wild(v, have[name], case=False)
                                    for v in c.get("Values") or [])
    if f == "query-string":
        q = req.get("query", {})
        for kv in (cond.get("QueryStringConfig") or {}).get("Values") or []:
            key, val = kv.get("Key"), kv.get("Value", "")
            if key is None:
                if any(_wild(val, v, case=False) for v in q.values()):
                    return True
            elif key in q and _wild(val, q[key], case=False):
                return True
        return False
    if f == "http-request-method":
        return req.get("method", "GET") in (cond.get("HttpRequestMethodConfig") or {}).get(
            "Values", [])
    if f == "source-ip":
        ip = ipaddress.ip_address(req.get("source_ip", "10.0.0.1"))
        return any(ip in ipaddress.ip_network(v, strict=False)
                   for v in (cond.get("SourceIpConfig") or {}).get("Values", []))
    raise ValueError("unknown condition field %s" % f)


def route(rules, req):
    """The non-default rule a request matches (by priority), or None for the
    listener's default action."""
    ordered = sorted((r for r in rules if not r.get("IsDefault")),
                     key=lambda r: int(r["Priority"]))
    for r in ordered:
        if all(condition_matches(c, req) for c in r["Conditions"]):
            return r
    return None


def deepcopy(x):
    return copy.deepcopy(x)
