"""Control API: faults (also narrowed by request params), rule snapshots,
latency, crash hook, call log and counters, quotas, reset and seeds, pinned
session tokens, and the start/stop helpers."""

import http.client as httpclient
import os
import socket
import subprocess
import sys
import shutil
import tempfile
import time
import unittest
import urllib.parse

from support import (Case, HAVE_BOTO, KEY, REGION, SECRET, FakeAWS, RawClient,
                     client, http, sigv4, target)

HERE = os.path.dirname(os.path.abspath(__file__))
CTL = os.path.join(os.path.dirname(HERE), "fakeaws-ctl")


def signed_conn_call(url, action="DescribeLoadBalancers", timeout=5):
    """One signed ELBv2 call on a fresh connection; returns status or raises."""
    body = ("Action=%s&Version=2015-12-01" % action).encode()
    h = sigv4.sign("POST", url + "/", {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        body, KEY, SECRET, REGION, "elasticloadbalancing")
    u = urllib.parse.urlsplit(url)
    c = httpclient.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        c.request("POST", "/", body, h)
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


class Faults(Case):
    fakeaws_only = True

    def test_throttle_next_n(self):
        self.fa.add_fault(service="elbv2", action="Describe*", kind="throttle", count=2)
        raw = RawClient("elbv2", target.url)
        self.assertEqual(self.err(raw.describe_load_balancers)[0], "Throttling")
        self.assertEqual(self.err(raw.describe_target_groups)[0], "Throttling")
        raw.describe_load_balancers()
        rules = self.fa.control("GET", "faults")["rules"]
        self.assertEqual((rules[0]["hits"], rules[0]["remaining"]), (2, 0))

    def test_ec2_throttle_code(self):
        self.fa.add_fault(service="ec2", kind="throttle", count=1)
        code, msg = self.err(RawClient("ec2", target.url).describe_vpcs)
        self.assertEqual((code, msg), ("RequestLimitExceeded", "Request limit exceeded."))

    def test_http_500_and_503(self):
        self.fa.add_fault(action="DescribeLoadBalancers", kind="error", status=500, count=1)
        self.fa.add_fault(action="DescribeLoadBalancers", kind="error", status=503, count=1)
        raw = RawClient("elbv2", target.url)
        e1 = self.err(raw.describe_load_balancers)
        e2 = self.err(raw.describe_load_balancers)
        self.assertEqual((e1[0], e2[0]), ("InternalFailure", "ServiceUnavailable"))
        calls = self.fa.calls()
        self.assertEqual([c["status"] for c in calls], [500, 503])

    def test_custom_error_code(self):
        self.fa.add_fault(action="CreateRule", kind="error", status=429,
                          code="PriorRequestNotComplete", message="wait", count=1)
        st = signed_conn_call(target.url, "CreateRule")
        self.assertEqual(st, 429)

    def test_connection_reset(self):
        self.fa.add_fault(action="DescribeLoadBalancers", kind="reset", count=1)
        with self.assertRaises((ConnectionError, httpclient.HTTPException, OSError)):
            signed_conn_call(target.url)
        self.assertEqual(signed_conn_call(target.url), 200)

    def test_drop_applies_the_call_but_resets_the_connection(self):
        self.fa.add_fault(action="CreateTargetGroup", kind="drop", count=1)
        raw = RawClient("elbv2", target.url)
        with self.assertRaises((ConnectionError, httpclient.HTTPException, OSError)):
            raw.create_target_group(Name="dropped", Protocol="HTTP", Port=80,
                                    VpcId=self.net()["vpc"], TargetType="ip")
        tgs = self.fa.state()["regions"][REGION]["elbv2"]["TargetGroups"]
        self.assertEqual([t["TargetGroupName"] for t in tgs], ["dropped"])
        calls = [c for c in self.fa.calls() if c["action"] == "CreateTargetGroup"]
        self.assertEqual([(c["status"], c["code"]) for c in calls], [(None, "drop")])
        # only the next matching call: the server answers the rest
        raw.create_target_group(Name="dropped", Protocol="HTTP", Port=80,
                                VpcId=self.net()["vpc"], TargetType="ip")
        self.assertEqual(signed_conn_call(target.url), 200)

    def test_seeded_probability_follows_the_request_not_the_order(self):
        # A seeded rule decides by the request and its occurrence, so the same
        # calls in another order (a concurrent client) meet the same fates.
        actions = ["DescribeLoadBalancers", "DescribeTargetGroups", "DescribeListeners",
                   "DescribeRules", "DescribeSSLPolicies"] * 8

        def fates(order, seed=7):
            self.fa.clear_faults()
            self.fa.add_fault(kind="error", status=503, probability=0.3, seed=seed)
            out = {}
            for a in order:
                out.setdefault(a, []).append(signed_conn_call(target.url, a))
            return out
        one = fates(actions)
        self.assertEqual(fates(list(reversed(actions))), one)
        self.assertNotEqual(fates(actions, seed=8), one)
        hits = sum(v.count(503) for v in one.values())
        self.assertTrue(3 <= hits <= 25, one)

    def test_hang_until_faults_cleared(self):
        self.fa.add_fault(action="DescribeLoadBalancers", kind="hang", count=1)
        t0 = time.monotonic()
        with self.assertRaises((socket.timeout, TimeoutError, OSError)):
            signed_conn_call(target.url, timeout=0.5)
        self.assertLess(time.monotonic() - t0, 3)
        self.fa.clear_faults()
        self.assertEqual(signed_conn_call(target.url), 200)

    def test_delay_rule_and_global_latency(self):
        self.fa.add_fault(action="DescribeLoadBalancers", kind="delay", delay_ms=300, count=1)
        t0 = time.monotonic()
        signed_conn_call(target.url)
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)
        self.fa.set_latency(1000)
        t0 = time.monotonic()
        signed_conn_call(target.url, "DescribeTargetGroups")
        self.assertGreaterEqual(time.monotonic() - t0, 1.0)
        self.assertEqual(self.fa.control("GET", "latency"), {"ms": 1000})
        self.fa.set_latency(0)
        t0 = time.monotonic()
        signed_conn_call(target.url, "DescribeTargetGroups")
        self.assertLess(time.monotonic() - t0, 0.9)

    def test_probability_with_seed_is_repeatable(self):
        def run():
            self.fa.clear_faults()
            self.fa.add_fault(action="DescribeTargetGroups", kind="throttle",
                              probability=0.5, seed=42)
            return [signed_conn_call(target.url, "DescribeTargetGroups") for _ in range(20)]
        a, b = run(), run()
        self.assertEqual(a, b)
        self.assertIn(200, a)
        self.assertIn(400, a)

    @unittest.skipUnless(HAVE_BOTO, "boto3 not installed")
    def test_validation_errors_not_retried_by_botocore(self):
        c = client("elbv2", max_attempts=3)
        self.err(c.describe_load_balancers, Names=["nope"])
        self.assertEqual(len(self.fa.calls()), 1)


class FaultParams(Case):
    """Fault rules narrowed by "params": {name: glob} over the request's flat
    parameters as sent on the wire (Names.member.1, ListenerArn, ...)."""
    fakeaws_only = True

    def setUp(self):
        super().setUp()
        self.tg("blog-tg")
        self.tg("shop-tg")
        self.raw = RawClient("elbv2", target.url)

    def names(self, name, **kw):
        out = self.raw.describe_target_groups(Names=[name], **kw)
        return [t["TargetGroupName"] for t in out["TargetGroups"]]

    def test_only_calls_whose_params_match_fail(self):
        seq = self.fa.calls()[-1]["seq"]
        self.fa.add_fault(action="DescribeTargetGroups", kind="throttle",
                          params={"Names.member.1": "blog-*"})
        self.assertEqual(self.err(self.names, "blog-tg")[0], "Throttling")
        self.assertEqual(self.names("shop-tg"), ["shop-tg"])
        self.assertEqual(self.err(self.names, "blog-tg")[0], "Throttling")
        rule = self.fa.control("GET", "faults")["rules"][0]
        self.assertEqual(rule["params"], {"Names.member.1": "blog-*"})
        self.assertEqual(rule["hits"], 2)
        self.assertEqual([c["status"] for c in self.fa.calls(seq)], [400, 200, 400])

    def test_every_glob_must_match_and_case_counts(self):
        self.fa.add_fault(action="DescribeTargetGroups", kind="error", status=500,
                          params={"Names.member.1": "blog-*", "PageSize": "5"})
        self.fa.add_fault(action="DescribeTargetGroups", kind="error", status=503,
                          params={"Names.member.1": "Blog-*"})
        self.assertEqual(self.names("blog-tg"), ["blog-tg"])           # no PageSize
        self.assertEqual(self.names("blog-tg", PageSize=6), ["blog-tg"])
        self.assertEqual(self.err(self.names, "blog-tg", PageSize=5)[0], "InternalFailure")
        hits = [r["hits"] for r in self.fa.control("GET", "faults")["rules"]]
        self.assertEqual(hits, [1, 0])

    def test_an_absent_parameter_is_the_empty_string(self):
        # "*" also matches calls without the parameter; "?*" needs it present.
        self.fa.add_fault(action="DescribeTargetGroups", kind="throttle", count=1,
                          params={"Marker": "*"})
        self.assertEqual(self.err(self.names, "shop-tg")[0], "Throttling")
        self.fa.clear_faults()
        self.fa.add_fault(action="DescribeTargetGroups", kind="throttle",
                          params={"Marker": "?*"})
        self.assertEqual(self.names("shop-tg"), ["shop-tg"])

    def test_params_combine_with_service_action_and_count(self):
        self.fa.add_fault(service="ec2", kind="throttle",
                          params={"Names.member.1": "blog-*"})
        self.fa.add_fault(action="DeleteTargetGroup", kind="error", status=500, count=1,
                          params={"TargetGroupArn": "*:targetgroup/blog-tg/*"})
        self.assertEqual(self.names("blog-tg"), ["blog-tg"])           # ELBv2, not EC2
        arns = {n: self.raw.describe_target_groups(Names=[n])["TargetGroups"][0]
                ["TargetGroupArn"] for n in ("blog-tg", "shop-tg")}
        self.raw.delete_target_group(TargetGroupArn=arns["shop-tg"])
        self.assertEqual(self.err(self.raw.delete_target_group,
                                  TargetGroupArn=arns["blog-tg"])[0], "InternalFailure")
        self.raw.delete_target_group(TargetGroupArn=arns["blog-tg"])  # count used up
        self.assertEqual(self.fa.state()["regions"][REGION]["elbv2"]["TargetGroups"], [])


class Snapshots(Case):
    """/_fake/snapshots: every listener's rules after each successful
    mutating ELBv2 call, for checking the intermediate states of an apply."""
    fakeaws_only = True

    def actions(self):
        return [s["action"] for s in self.fa.snapshots()]

    def test_off_until_enabled(self):
        self.assertEqual(self.fa.control("GET", "snapshots"),
                         {"enabled": False, "snapshots": []})
        self.tg("quiet")
        self.assertEqual(self.fa.snapshots(), [])
        self.assertEqual(self.fa.record_snapshots(), {"enabled": True, "snapshots": []})

    def test_one_snapshot_per_successful_elbv2_write(self):
        lb, tg = self.alb(), self.tg()
        li = self.listener(lb, tg)
        self.fa.record_snapshots()
        self.rule(li, tg, 5, "/a")
        self.elb.describe_rules(ListenerArn=li["ListenerArn"])          # a read
        self.err(self.rule, li, tg, 5, "/b")                            # PriorityInUse
        self.ec2.create_tags(Resources=[self.net()["vpc"]],
                             Tags=[{"Key": "k", "Value": "v"}])         # EC2 write
        self.rule(li, tg, 3, "/c")
        snaps = self.fa.snapshots()
        self.assertEqual([s["action"] for s in snaps], ["CreateRule", "CreateRule"])
        first = snaps[0]["listeners"][li["ListenerArn"]]
        self.assertEqual((first["LoadBalancerName"], first["Port"]), ("alb1", 80))
        self.assertEqual(sorted(r["Priority"] for r in first["Rules"]), ["5", "default"])
        last = snaps[1]["listeners"][li["ListenerArn"]]["Rules"]
        self.assertEqual(sorted(r["Priority"] for r in last), ["3", "5", "default"])
        default = [r for r in last if r["IsDefault"]][0]
        self.assertEqual(default["Actions"][0]["Type"], "forward")
        paths = {r["Priority"]: r["Conditions"][0]["PathPatternConfig"]["Values"]
                 for r in last if not r["IsDefault"]}
        self.assertEqual(paths, {"3": ["/c"], "5": ["/a"]})

    def test_each_intermediate_state_of_a_priority_swap(self):
        lb, tg = self.alb(), self.tg()
        li = self.listener(lb, tg)
        a, b = self.rule(li, tg, 1, "/a"), self.rule(li, tg, 2, "/b")
        self.fa.record_snapshots()
        self.elb.set_rule_priorities(RulePriorities=[
            {"RuleArn": a["RuleArn"], "Priority": 2},
            {"RuleArn": b["RuleArn"], "Priority": 1}])
        self.elb.delete_rule(RuleArn=a["RuleArn"])
        self.elb.delete_listener(ListenerArn=li["ListenerArn"])
        snaps = self.fa.snapshots()
        self.assertEqual([s["action"] for s in snaps],
                         ["SetRulePriorities", "DeleteRule", "DeleteListener"])
        swapped = {r["Priority"]: r["Conditions"][0]["PathPatternConfig"]["Values"][0]
                   for r in snaps[0]["listeners"][li["ListenerArn"]]["Rules"]
                   if not r["IsDefault"]}
        self.assertEqual(swapped, {"1": "/b", "2": "/a"})
        self.assertEqual(len(snaps[1]["listeners"][li["ListenerArn"]]["Rules"]), 2)
        self.assertEqual(snaps[2]["listeners"], {})

    def test_disable_delete_and_reset_stop_and_clear(self):
        self.fa.record_snapshots()
        self.tg("one")
        self.assertEqual(self.actions(), ["CreateTargetGroup"])
        self.assertEqual(self.fa.record_snapshots(False), {"enabled": False, "snapshots": []})
        self.tg("two")
        self.assertEqual(self.actions(), [])
        self.fa.record_snapshots()
        self.tg("three")
        self.assertEqual(self.fa.control("DELETE", "snapshots"),
                         {"enabled": False, "snapshots": []})
        self.fa.record_snapshots()
        self.tg("four")
        self.fa.reset()
        self.assertEqual(self.fa.control("GET", "snapshots"),
                         {"enabled": False, "snapshots": []})


class Crash(Case):
    fakeaws_only = True

    def test_stop_answering_after_k_mutations(self):
        self.fa.crash_after(2)
        self.tg("c1")                                   # mutation 1
        self.tg("c2")                                   # mutation 2, answered
        with self.assertRaises((socket.timeout, TimeoutError, OSError)):
            signed_conn_call(target.url, timeout=1)     # no answer any more
        state = self.fa.control("GET", "crash")
        self.assertTrue(state["crashed"])
        names = [t["TargetGroupName"] for t in
                 self.fa.state()["regions"][REGION]["elbv2"]["TargetGroups"]]
        self.assertEqual(names, ["c1", "c2"])
        self.fa.resume()
        self.assertEqual(signed_conn_call(target.url), 200)

    def test_drop_response_applies_but_never_answers(self):
        self.fa.crash_after(1, drop_response=True, mode="reset")
        raw = RawClient("elbv2", target.url)
        with self.assertRaises((ConnectionError, httpclient.HTTPException, OSError)):
            raw.create_target_group(Name="applied", Protocol="HTTP", Port=80,
                                    VpcId=self.net()["vpc"], TargetType="ip")
        tgs = self.fa.state()["regions"][REGION]["elbv2"]["TargetGroups"]
        self.assertEqual([t["TargetGroupName"] for t in tgs], ["applied"])
        with self.assertRaises((ConnectionError, httpclient.HTTPException, OSError)):
            signed_conn_call(target.url)
        self.fa.reset()
        self.assertEqual(signed_conn_call(target.url), 200)

    def test_reads_do_not_count(self):
        self.fa.crash_after(1)
        for _ in range(3):
            self.assertEqual(signed_conn_call(target.url), 200)
        self.assertFalse(self.fa.control("GET", "crash")["crashed"])


class Accounting(Case):
    fakeaws_only = True

    def test_call_log_and_counters(self):
        self.alb()
        self.elb.describe_load_balancers()
        self.err(self.elb.describe_load_balancers, Names=["nope"])
        c = self.fa.counters()
        self.assertEqual(c["writes"], 1)
        self.assertGreaterEqual(c["reads"], 3)   # + the network lookup
        self.assertEqual(c["errors"], 1)
        self.assertEqual(c["by_action"]["elasticloadbalancing:CreateLoadBalancer"], 1)
        calls = self.fa.calls()
        last = calls[-1]
        self.assertEqual((last["service"], last["action"], last["status"], last["code"]),
                         ("elasticloadbalancing", "DescribeLoadBalancers", 400,
                          "LoadBalancerNotFound"))
        self.assertEqual(last["params"], {"Names.member.1": "nope"})
        self.assertIn("duration_ms", last)
        self.assertEqual(self.fa.calls(since=last["seq"]), [])
        self.fa.control("DELETE", "calls")
        self.assertEqual(self.fa.counters()["total"], 0)

    def test_secrets_masked(self):
        self.fa.set_config(web_identity_token="secret-jwt")
        body = urllib.parse.urlencode({
            "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15",
            "RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "s1",
            "WebIdentityToken": "secret-jwt"}).encode()
        st, data = http("POST", target.url + "/", body, {
            "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(st, 200)
        import json
        dump = json.dumps(self.fa.calls())
        self.assertNotIn("secret-jwt", dump)
        self.assertIn('"WebIdentityToken": "***"', dump)

    def test_seed_makes_arns_deterministic(self):
        a = self.alb()["LoadBalancerArn"]
        self.fa.reset(seed=7)
        self._net = None
        b = self.alb()["LoadBalancerArn"]
        self.assertEqual(a, b)
        self.fa.reset(seed=8)
        self.assertNotEqual(self.alb()["LoadBalancerArn"], a)

    def test_reset_clears_state_and_config(self):
        self.alb()
        self.fa.set_config(nlb_weights="reject")
        self.fa.set_quotas(**{"rules-per-application-load-balancer": 1})
        self.fa.reset()
        self.assertEqual(self.elb.describe_load_balancers()["LoadBalancers"], [])
        self.assertEqual(self.fa.control("GET", "config")["nlb_weights"], "allow")
        self.assertEqual(self.fa.control("GET", "quotas")
                         ["rules-per-application-load-balancer"], 100)

    def test_account_limits_show_quota_overrides(self):
        self.fa.set_quotas(**{"application-load-balancers": 1})
        limits = {x["Name"]: x["Max"] for x in
                  self.elb.describe_account_limits()["Limits"]}
        self.assertEqual(limits["application-load-balancers"], "1")
        self.alb("one")
        self.assertAwsError("TooManyLoadBalancers", None, self.alb, "two")


class Servers(unittest.TestCase):
    """Separate server processes: flags, the harness and fakeaws-ctl."""

    def setUp(self):
        if target.kind != "fakeaws":
            self.skipTest("fakeaws server flags")

    def test_pinned_session_token(self):
        with FakeAWS(args=["--session-token", "pinned-token"], region=REGION) as fa:
            def call(token):
                return RawClient("elbv2", fa.url, fa.access_key, fa.secret_key,
                                 token).describe_load_balancers()
            call("pinned-token")
            with self.assertRaises(Exception) as cm:
                call("other-token")
            self.assertEqual(cm.exception.response["Error"]["Code"], "ExpiredToken")
            fa.control("POST", "expire-credentials")
            with self.assertRaises(Exception) as cm:
                call("pinned-token")
            self.assertEqual(cm.exception.response["Error"]["Code"], "ExpiredToken")

    def test_nlb_weights_reject_flag(self):
        # How fast it starts is bench/fakeaws_rps.py's business, not a test's.
        with FakeAWS(args=["--nlb-weights", "reject"]) as fa:
            self.assertEqual(fa.control("GET", "config")["nlb_weights"], "reject")

    def test_fakeaws_ctl_start_url_stop(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        out = subprocess.run([sys.executable, CTL, "start", "--state-dir", d, "--",
                              "--seed", "1"], capture_output=True, text=True, timeout=20)
        self.assertEqual(out.returncode, 0, out.stderr)
        url = out.stdout.strip()
        self.assertRegex(url, r"^http://127\.0\.0\.1:\d+$")
        got = subprocess.run([sys.executable, CTL, "url", "--state-dir", d],
                             capture_output=True, text=True, timeout=10)
        self.assertEqual(got.stdout.strip(), url)
        with open(os.path.join(d, "fakeaws.pid")) as f:
            pid = int(f.read())
        st, _ = http("GET", url + "/_fake/health")
        self.assertEqual(st, 200)
        again = subprocess.run([sys.executable, CTL, "start", "--state-dir", d],
                               capture_output=True, text=True, timeout=20)
        self.assertEqual(again.returncode, 1)
        subprocess.run([sys.executable, CTL, "stop", "--state-dir", d], timeout=20,
                       check=True)
        time.sleep(0.1)
        with self.assertRaises(OSError):
            os.kill(pid, 0)
            # the process may linger as a zombie of init for a moment
            if open("/proc/%d/stat" % pid).read().split()[2] == "Z":
                raise OSError("zombie")
        st = subprocess.run([sys.executable, CTL, "status", "--state-dir", d], timeout=10)
        self.assertEqual(st.returncode, 1)

    def test_malformed_requests_never_500(self):
        """Random parameter structures, without the botocore model: every
        reply is an AWS-shaped 4xx, never an internal error."""
        import inspect
        import random
        from fakeaws import ec2, elbv2
        rng = random.Random(5)
        names = ["Name", "LoadBalancerArn", "TargetGroupArn", "ListenerArn", "RuleArn",
                 "Subnets", "SecurityGroups", "Protocol", "Port", "VpcId",
                 "DefaultActions", "Actions", "Conditions", "Priority", "Tags",
                 "ResourceArns", "Targets", "Attributes", "RulePriorities",
                 "Certificates", "Names", "PageSize", "Marker", "Type", "Matcher",
                 "GroupId", "Filter", "IpPermissions", "ResourceId", "Tag"]
        subs = names + ["Key", "Value", "Id", "Field", "Values", "Weight",
                        "ForwardConfig", "TargetGroups", "StatusCode"]
        vals = ["", "x", "1", "-1", "99999999999", "true"]

        def junk(depth=0):
            nm = rng.choice(names if depth == 0 else subs)
            r = rng.random()
            if r < 0.3 or depth > 2:
                return {nm: rng.choice(vals)}
            if r < 0.6:
                return {"%s.member.%d" % (nm, rng.randint(0, 2)): rng.choice(vals)}
            return {"%s.member.%d.%s" % (nm, rng.randint(0, 2), k): v
                    for k, v in junk(depth + 1).items()}
        services = [("elasticloadbalancing", "2015-12-01", elbv2.Elbv2Backend),
                    ("ec2", "2016-11-15", ec2.Ec2Backend)]
        with FakeAWS(args=["--no-validate"], region=REGION) as fa:
            statuses = set()
            for _ in range(400):
                svc, version, cls = rng.choice(services)
                action = rng.choice([n for n, _ in inspect.getmembers(cls, inspect.isfunction)
                                     if n[0].isupper()])
                params = {"Action": action, "Version": version}
                for _ in range(rng.randint(0, 4)):
                    params.update(junk())
                body = urllib.parse.urlencode(params).encode()
                h = sigv4.sign("POST", fa.url + "/", {
                    "Content-Type": "application/x-www-form-urlencoded"}, body,
                    fa.access_key, fa.secret_key, REGION, svc)
                h.pop("Host")
                st, data = http("POST", fa.url + "/", body, h)
                self.assertLess(st, 500, (params, data))
                statuses.add(st)
            self.assertTrue(statuses <= {200, 400}, statuses)

    def test_fakeaws_ctl_fails_cleanly(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        out = subprocess.run([sys.executable, CTL, "start", "--state-dir", d, "--",
                              "--fixtures", "/nonexistent.json"],
                             capture_output=True, text=True, timeout=20)
        self.assertEqual(out.returncode, 1)
        self.assertFalse(os.path.exists(os.path.join(d, "fakeaws.pid")))


if __name__ == "__main__":
    unittest.main()
