"""The 13 conformance scenarios (tests/fakeaws/README.md, "moto comparison"), one test class each
(test names start with the scenario number: conformance.py reports by it)."""

import json
import os
import shutil
import tempfile
import unittest
import urllib.parse

from support import (Case, HAVE_BOTO, KEY, REGION, SECRET, client, http, sigv4,
                     target, RawClient)


class S01LoadBalancerIdempotency(Case):
    def test_s01_same_settings_same_arn_then_duplicate_name(self):
        a = self.alb("web")
        b = self.alb("web")
        self.assertEqual(a["LoadBalancerArn"], b["LoadBalancerArn"])
        lbs = self.elb.describe_load_balancers()["LoadBalancers"]
        self.assertEqual(len(lbs), 1)
        self.assertAwsError(
            "DuplicateLoadBalancerName",
            "A load balancer with the same name 'web' exists, but with different settings",
            self.alb, "web", Scheme="internal", Subnets=self.net()["private"][:2])

    def test_s01_nlb_arn_uses_net(self):
        n = self.nlb("nlb1")
        self.assertIn(":loadbalancer/net/nlb1/", n["LoadBalancerArn"])
        a = self.alb("alb1")
        self.assertIn(":loadbalancer/app/alb1/", a["LoadBalancerArn"])


class S02TargetGroupIdempotency(Case):
    def test_s02_same_settings_same_arn_then_duplicate_name(self):
        a = self.tg("tg1")
        b = self.tg("tg1")
        self.assertEqual(a["TargetGroupArn"], b["TargetGroupArn"])
        self.assertAwsError(
            "DuplicateTargetGroupName",
            "A target group with the same name 'tg1' exists, but with different settings",
            self.tg, "tg1", port=8080)


class S03Listeners(Case):
    def test_s03_duplicate_listener_and_modify_port(self):
        lb = self.alb()
        t1, t2 = self.tg("t1"), self.tg("t2")
        l1 = self.listener(lb, t1, 80)
        again = self.listener(lb, t1, 80)
        self.assertEqual(l1["ListenerArn"], again["ListenerArn"])
        self.assertEqual(len(self.elb.describe_listeners(
            LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]), 1)
        self.assertAwsError(
            "DuplicateListener",
            "A listener already exists on this port for this load balancer '%s'"
            % lb["LoadBalancerArn"], self.listener, lb, t2, 80)
        l2 = self.listener(lb, t1, 8080)
        self.assertAwsError("ValidationError", "Listener port '80' is already in use",
                            self.elb.modify_listener, ListenerArn=l2["ListenerArn"],
                            Port=80)


class S04RulePriorities(Case):
    def test_s04_priority_in_use_swap_and_duplicate(self):
        lb = self.alb()
        t = self.tg()
        li = self.listener(lb, t)
        r5 = self.rule(li, t, 5, "/five")
        r6 = self.rule(li, t, 6, "/six")
        self.assertAwsError("PriorityInUse", "Priority '5' is currently in use",
                            self.rule, li, t, 5, "/x")
        out = self.elb.set_rule_priorities(RulePriorities=[
            {"RuleArn": r5["RuleArn"], "Priority": 6},
            {"RuleArn": r6["RuleArn"], "Priority": 5}])["Rules"]
        self.assertEqual({r["RuleArn"]: r["Priority"] for r in out},
                         {r5["RuleArn"]: "6", r6["RuleArn"]: "5"})
        rules = self.elb.describe_rules(ListenerArn=li["ListenerArn"])["Rules"]
        self.assertEqual([r["Priority"] for r in rules], ["5", "6", "default"])
        self.assertEqual(rules[-1]["IsDefault"], True)
        self.assertEqual(rules[-1]["Conditions"], [])
        self.assertAwsError("ValidationError", "Priority '7' was provided multiple times",
                            self.elb.set_rule_priorities, RulePriorities=[
                                {"RuleArn": r5["RuleArn"], "Priority": 7},
                                {"RuleArn": r6["RuleArn"], "Priority": 7}])


class S05ConditionValues(Case):
    def test_s05_six_path_values(self):
        lb = self.alb()
        t = self.tg()
        li = self.listener(lb, t)
        self.assertAwsError(
            "ValidationError", "A rule can only have '5' condition values",
            self.elb.create_rule, ListenerArn=li["ListenerArn"], Priority=1,
            Conditions=[{"Field": "path-pattern", "PathPatternConfig": {
                "Values": ["/%d" % i for i in range(6)]}}],
            Actions=[{"Type": "forward", "TargetGroupArn": t["TargetGroupArn"]}])
        # five is fine
        self.elb.create_rule(
            ListenerArn=li["ListenerArn"], Priority=1,
            Conditions=[{"Field": "path-pattern", "PathPatternConfig": {
                "Values": ["/%d" % i for i in range(5)]}}],
            Actions=[{"Type": "forward", "TargetGroupArn": t["TargetGroupArn"]}])


class S06ForwardLimits(Case):
    def test_s06_six_target_groups_on_alb(self):
        lb = self.alb()
        tgs = [self.tg("t%d" % i) for i in range(6)]
        code, _ = self.err(self.elb.create_listener, LoadBalancerArn=lb["LoadBalancerArn"],
                           Protocol="HTTP", Port=80, DefaultActions=[{
                               "Type": "forward", "ForwardConfig": {"TargetGroups": [
                                   {"TargetGroupArn": t["TargetGroupArn"], "Weight": 1}
                                   for t in tgs]}}])
        self.assertIn(code, ("TooManyTargetGroups", "ValidationError"))

    def test_s06_weight_out_of_range(self):
        lb = self.alb()
        t1, t2 = self.tg("t1"), self.tg("t2")
        msg = self.assertAwsError(
            "ValidationError", None, self.elb.create_listener,
            LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
            DefaultActions=[{"Type": "forward", "ForwardConfig": {"TargetGroups": [
                {"TargetGroupArn": t1["TargetGroupArn"], "Weight": 1000},
                {"TargetGroupArn": t2["TargetGroupArn"], "Weight": 1}]}}])
        if target.kind == "fakeaws":
            self.assertEqual(msg, "1 validation error detected: Value '1000' at "
                             "'defaultActions.1.member.forwardConfig.targetGroups.1."
                             "member.weight' failed to satisfy constraint: Member must "
                             "have value less than or equal to 999")


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _weighted(self, lb):
    t1 = self.tg("n1", protocol="TCP", port=80)
    t2 = self.tg("n2", protocol="TCP", port=81)
    return dict(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="TCP", Port=80,
                DefaultActions=[{"Type": "forward", "ForwardConfig": {"TargetGroups": [
                    {"TargetGroupArn": t1["TargetGroupArn"], "Weight": 80},
                    {"TargetGroupArn": t2["TargetGroupArn"], "Weight": 20}]}}])


class S07NlbWeights(Case):
    def test_s07_allowed_by_default(self):
        lb = self.nlb()
        li = self.elb.create_listener(**_weighted(self, lb))["Listeners"][0]
        tgs = li["DefaultActions"][0]["ForwardConfig"]["TargetGroups"]
        self.assertEqual(sorted(t["Weight"] for t in tgs), [20, 80])

    def test_s07_rejected_in_pre_2025_mode(self):
        self.need_fakeaws("switching --nlb-weights")
        self.fa.set_config(nlb_weights="reject")
        lb = self.nlb()
        self.assertAwsError(
            "ValidationError",
            "You cannot specify a target group weight on load balancers of type 'network'",
            self.elb.create_listener, **_weighted(self, lb))
        args = _weighted(self, lb)
        for t in args["DefaultActions"][0]["ForwardConfig"]["TargetGroups"]:
            del t["Weight"]
        self.assertAwsError(
            "ValidationError",
            "You cannot specify multiple target groups in a single action with a "
            "load balancer of type 'network'", self.elb.create_listener, **args)
        # a single target group without a weight is still fine
        t = self.tg("n3", protocol="TCP", port=82)
        self.listener(lb, t, 80, "TCP")


class S08TargetGroupAssociation(Case):
    def test_s08_one_lb_per_tg_and_resource_in_use(self):
        a1, a2 = self.alb("a1"), self.alb("a2")
        t = self.tg("shared")
        t2 = self.tg("other")
        l1 = self.listener(a1, t)
        self.rule(l1, t, 1)   # the same LB may use it again
        self.assertAwsError(
            "TargetGroupAssociationLimit",
            "Target group '%s' cannot be associated with more than one load balancer"
            % t["TargetGroupArn"], self.listener, a2, t)
        got = self.elb.describe_target_groups(TargetGroupArns=[t["TargetGroupArn"]])
        self.assertEqual(got["TargetGroups"][0]["LoadBalancerArns"], [a1["LoadBalancerArn"]])
        self.assertAwsError(
            "ResourceInUse",
            "Target group '%s' is currently in use by a listener or a rule"
            % t["TargetGroupArn"], self.elb.delete_target_group,
            TargetGroupArn=t["TargetGroupArn"])
        # move the listener and the rule away, then it can go
        self.elb.modify_listener(ListenerArn=l1["ListenerArn"], DefaultActions=[
            {"Type": "forward", "TargetGroupArn": t2["TargetGroupArn"]}])
        rules = self.elb.describe_rules(ListenerArn=l1["ListenerArn"])["Rules"]
        self.elb.delete_rule(RuleArn=rules[0]["RuleArn"])
        self.elb.delete_target_group(TargetGroupArn=t["TargetGroupArn"])

    def test_s08_nlb_text(self):
        n1 = self.nlb("n1")
        n2 = self.nlb("n2", Subnets=self.net()["public"][1:2])
        t = self.tg("tcp", protocol="TCP")
        self.listener(n1, t, 80, "TCP")
        self.assertAwsError(
            "TargetGroupAssociationLimit",
            "The following target groups cannot be associated with more than one "
            "load balancer: %s" % t["TargetGroupArn"], self.listener, n2, t, 80, "TCP")


class S09NotFoundAndArnLimit(Case):
    def test_s09_missing_name(self):
        self.assertAwsError("LoadBalancerNotFound", "Load balancers '[x]' not found",
                            self.elb.describe_load_balancers, Names=["x"])

    def test_s09_describe_tags_21_arns(self):
        a = self.alb()
        self.assertAwsError("ValidationError", None, self.elb.describe_tags,
                            ResourceArns=[a["LoadBalancerArn"]] * 21)


class S10Pagination(Case):
    def test_s10_450_target_groups_two_pages(self):
        vpc = self.net()["vpc"]
        for i in range(450):
            self.elb.create_target_group(Name="tg-%03d" % i, Protocol="HTTP", Port=80,
                                         VpcId=vpc, TargetType="ip")
        p1 = self.elb.describe_target_groups(PageSize=400)
        self.assertEqual(len(p1["TargetGroups"]), 400)
        self.assertIn("NextMarker", p1)
        p2 = self.elb.describe_target_groups(PageSize=400, Marker=p1["NextMarker"])
        self.assertEqual(len(p2["TargetGroups"]), 50)
        self.assertNotIn("NextMarker", p2)
        names = {t["TargetGroupName"] for t in p1["TargetGroups"] + p2["TargetGroups"]}
        self.assertEqual(len(names), 450)
        self.assertAwsError("ValidationError", None, self.elb.describe_target_groups,
                            PageSize=401)


class S11Throttling(Case):
    fakeaws_only = True

    def test_s11_throttle_then_success_raw(self):
        self.fa.add_fault(service="elasticloadbalancing", action="DescribeLoadBalancers",
                          kind="throttle", count=2)
        raw = RawClient("elbv2", target.url)
        for _ in range(2):
            code, msg = self.err(raw.describe_load_balancers)
            self.assertEqual((code, msg), ("Throttling", "Rate exceeded"))
        raw.describe_load_balancers()

    @unittest.skipUnless(HAVE_BOTO, "boto3 not installed")
    def test_s11_botocore_standard_retries(self):
        import botocore.retries.standard as std
        orig = std.ExponentialBackoff.delay_amount
        std.ExponentialBackoff.delay_amount = lambda self, ctx: 0
        try:
            c = client("elbv2", max_attempts=3)
            self.fa.add_fault(action="DescribeLoadBalancers", kind="throttle", count=2)
            c.describe_load_balancers()            # succeeds on attempt 3
            self.fa.clear_faults()
            self.fa.add_fault(action="DescribeLoadBalancers", kind="throttle", count=5)
            code, _ = self.err(c.describe_load_balancers)
            self.assertEqual(code, "Throttling")   # 3 attempts, all throttled
            calls = [x for x in self.fa.calls() if x["action"] == "DescribeLoadBalancers"]
            self.assertEqual([x["status"] for x in calls], [400, 400, 200, 400, 400, 400])
            # retry quota: 500 tokens, 5 per retry -> 100 retries without success
            self.fa.clear_faults()
            self.fa.add_fault(action="DescribeTargetGroups", kind="throttle")
            c2 = client("elbv2", max_attempts=3)
            for _ in range(51):
                self.err(c2.describe_target_groups)
            n = len([x for x in self.fa.calls() if x["action"] == "DescribeTargetGroups"])
            self.assertEqual(n, 50 * 3 + 1)
        finally:
            std.ExponentialBackoff.delay_amount = orig


class S12SigV4(Case):
    def test_s12_vectors(self):
        import hashlib
        import hmac
        h = {"content-type": ["application/x-www-form-urlencoded; charset=utf-8"],
             "host": ["elasticloadbalancing.us-west-2.amazonaws.com"],
             "x-amz-date": ["20150830T123600Z"],
             "x-amz-security-token": ["SESSIONTOKEN/+=EXAMPLE"]}
        body = b"Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=tg-1&PageSize=20"
        creq = sigv4.canonical_request("POST", "/", "", h, sorted(h),
                                       hashlib.sha256(body).hexdigest())
        sts = sigv4.string_to_sign("20150830T123600Z",
                                   "20150830/us-west-2/elasticloadbalancing/aws4_request", creq)
        key = sigv4.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830",
                                "us-west-2", "elasticloadbalancing")
        self.assertEqual(hmac.new(key, sts.encode(), hashlib.sha256).hexdigest(),
                         "4e675b34703ae6f964fbd5d984947916b14ba4cec44a272d5a7481553c24a5ff")
        h = {"content-type": ["application/x-www-form-urlencoded"],
             "host": ["example.amazonaws.com"], "x-amz-date": ["20150830T123600Z"]}
        creq = sigv4.canonical_request("POST", "/", "", h, sorted(h),
                                       hashlib.sha256(b"Param1=value1").hexdigest())
        sts = sigv4.string_to_sign("20150830T123600Z",
                                   "20150830/us-east-1/service/aws4_request", creq)
        key = sigv4.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830",
                                "us-east-1", "service")
        self.assertEqual(hmac.new(key, sts.encode(), hashlib.sha256).hexdigest(),
                         "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")

    def test_s12_session_token_and_port_accepted(self):
        self.assertIn(":", urllib.parse.urlsplit(target.url).netloc)
        c = client("elbv2", token="any-session-token/+=")
        c.describe_load_balancers()

    def _raw(self, **kw):
        body = b"Action=DescribeLoadBalancers&Version=2015-12-01"
        hdr = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        args = dict(key=KEY, secret=SECRET, token=None, now=None)
        args.update(kw)
        h = sigv4.sign("POST", target.url + "/", hdr, body, args["key"], args["secret"],
                       REGION, "elasticloadbalancing", args["token"], args["now"])
        h.pop("Host")
        status, data = http("POST", target.url + "/", body, h)
        import xml.etree.ElementTree as ET
        if status == 200:
            return status, None
        root = ET.fromstring(data)
        return status, root.find(".//{*}Code").text

    def test_s12_wrong_signature(self):
        self.assertEqual(self._raw(secret="wrong"), (403, "SignatureDoesNotMatch"))

    def test_s12_unknown_key(self):
        self.assertEqual(self._raw(key="AKIDUNKNOWN"), (403, "InvalidClientTokenId"))

    def test_s12_clock_skew(self):
        import datetime
        then = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
        self.assertEqual(self._raw(now=then), (403, "RequestTimeTooSkewed"))

    @unittest.skipUnless(HAVE_BOTO, "botocore not installed")
    def test_s12_presigned_query(self):
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials
        url = target.url + "/?Action=DescribeLoadBalancers&Version=2015-12-01"
        got = []
        for secret in (SECRET, "wrong"):
            req = botocore.awsrequest.AWSRequest(method="GET", url=url)
            botocore.auth.SigV4QueryAuth(botocore.credentials.Credentials(KEY, secret),
                                         "elasticloadbalancing", REGION,
                                         expires=60).add_auth(req)
            got.append(http("GET", req.prepare().url)[0])
        self.assertEqual(got, [200, 403])

    def test_s12_good_raw_signature(self):
        self.assertEqual(self._raw(), (200, None))


class S13Credentials(Case):
    """Credential endpoints round trips (raw HTTP; with botocore also through
    its own provider chain)."""
    fakeaws_only = True

    def _sts_raw(self, token):
        body = urllib.parse.urlencode({
            "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15",
            "RoleArn": "arn:aws:iam::123456789012:role/gw-role",
            "RoleSessionName": "sess1", "WebIdentityToken": token}).encode()
        return http("POST", target.url + "/", body,
                    {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})

    def test_s13_web_identity_raw(self):
        import xml.etree.ElementTree as ET
        self.fa.set_config(web_identity_token="jwt-good")
        status, data = self._sts_raw("jwt-bad")
        self.assertEqual(status, 400)
        self.assertEqual(ET.fromstring(data).find(".//{*}Code").text, "InvalidIdentityToken")
        status, data = self._sts_raw("jwt-good")
        self.assertEqual(status, 200, data)
        root = ET.fromstring(data)
        ak = root.find(".//{*}AccessKeyId").text
        sk = root.find(".//{*}SecretAccessKey").text
        tok = root.find(".//{*}SessionToken").text
        self.assertEqual(root.find(".//{*}AssumedRoleUser/{*}Arn").text,
                         "arn:aws:sts::123456789012:assumed-role/gw-role/sess1")
        RawClient("elbv2", target.url, ak, sk, tok).describe_load_balancers()
        who = RawClient("sts", target.url, ak, sk, tok).get_caller_identity()
        self.assertEqual(who["Arn"], "arn:aws:sts::123456789012:assumed-role/gw-role/sess1")
        code, _ = self.err(RawClient("elbv2", target.url, ak, sk, "wrong").describe_load_balancers)
        self.assertEqual(code, "InvalidClientTokenId")
        self.fa.control("POST", "expire-credentials")
        code, _ = self.err(RawClient("elbv2", target.url, ak, sk, tok).describe_load_balancers)
        self.assertEqual(code, "ExpiredToken")

    def test_s13_container_and_imds_raw(self):
        self.fa.set_config(container_token="pod-token-1")
        st, _ = http("GET", target.url + "/v1/credentials", None, {"Authorization": "nope"})
        self.assertEqual(st, 401)
        st, data = http("GET", target.url + "/v1/credentials", None,
                        {"Authorization": "pod-token-1"})
        self.assertEqual(st, 200)
        c = json.loads(data)
        self.assertEqual(set(c), {"AccessKeyId", "SecretAccessKey", "Token",
                                  "AccountId", "Expiration"})
        RawClient("elbv2", target.url, c["AccessKeyId"], c["SecretAccessKey"],
                  c["Token"]).describe_load_balancers()
        # IMDSv2: token, role name, role credentials
        st, _ = http("GET", target.url + "/latest/meta-data/iam/security-credentials/")
        self.assertEqual(st, 401)
        st, tok = http("PUT", target.url + "/latest/api/token", b"",
                       {"x-aws-ec2-metadata-token-ttl-seconds": "21600"})
        self.assertEqual(st, 200)
        h = {"x-aws-ec2-metadata-token": tok.decode()}
        st, role = http("GET", target.url + "/latest/meta-data/iam/security-credentials/",
                        None, h)
        self.assertEqual((st, role), (200, b"fakeaws-role"))
        st, data = http("GET", target.url + "/latest/meta-data/iam/security-credentials/"
                        + role.decode(), None, h)
        c = json.loads(data)
        self.assertEqual(c["Code"], "Success")
        RawClient("elbv2", target.url, c["AccessKeyId"], c["SecretAccessKey"],
                  c["Token"]).describe_load_balancers()

    def test_s13_get_caller_identity_static_key(self):
        who = client("sts").get_caller_identity()
        self.assertEqual(who["Account"], "123456789012")
        self.assertEqual(who["Arn"], "arn:aws:iam::123456789012:user/fakeaws")

    def _botocore_session(self, env):
        import botocore.session
        from unittest import mock
        base = {k: v for k, v in os.environ.items()
                if not k.startswith("AWS_")}
        base.update({"AWS_DEFAULT_REGION": REGION, "AWS_CONFIG_FILE": "/nonexistent",
                     "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
                     "AWS_EC2_METADATA_DISABLED": "true"})
        base.update(env)
        patcher = mock.patch.dict(os.environ, base, clear=True)
        patcher.start()
        self.addCleanup(patcher.stop)
        return botocore.session.get_session()

    def _count(self, service):
        return len([c for c in self.fa.calls() if c["service"] == service])

    def _token_file(self, name, text):
        """A file `name` holding `text` in a directory removed after the test."""
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        path = os.path.join(d, name)
        _write(path, text)
        return path

    @unittest.skipUnless(HAVE_BOTO, "botocore not installed")
    def test_s13_botocore_chain_web_identity_and_refresh(self):
        path = self._token_file("token", "jwt-1")
        self.fa.set_config(web_identity_token="jwt-1", credential_ttl=60)
        s = self._botocore_session({
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/gw-role",
            "AWS_WEB_IDENTITY_TOKEN_FILE": path, "AWS_ROLE_SESSION_NAME": "s1",
            "AWS_ENDPOINT_URL_STS": target.url})
        c = s.create_client("elbv2", endpoint_url=target.url)
        c.describe_load_balancers()
        n1 = self._count("sts")
        self.assertEqual(n1, 1)
        # 60 s credentials are inside botocore's refresh window: next call refreshes,
        # and the token file is re-read
        _write(path, "jwt-2")
        self.fa.set_config(web_identity_token="jwt-2")
        c.describe_load_balancers()
        self.assertGreater(self._count("sts"), n1)

    @unittest.skipUnless(HAVE_BOTO, "botocore not installed")
    def test_s13_botocore_chain_pod_identity(self):
        path = self._token_file("eks-pod-identity-token", "pod-1")
        self.fa.set_config(container_token="pod-1", credential_ttl=60)
        s = self._botocore_session({
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": target.url + "/v1/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": path})
        c = s.create_client("elbv2", endpoint_url=target.url)
        c.describe_load_balancers()
        n1 = self._count("container-credentials")
        self.assertGreaterEqual(n1, 1)
        _write(path, "pod-2")
        self.fa.set_config(container_token="pod-2")
        c.describe_load_balancers()
        self.assertGreater(self._count("container-credentials"), n1)
        self.assertTrue(all(x["status"] == 200 for x in self.fa.calls()
                            if x["service"] == "container-credentials"))

    @unittest.skipUnless(HAVE_BOTO, "botocore not installed")
    def test_s13_botocore_chain_imds(self):
        s = self._botocore_session({"AWS_EC2_METADATA_SERVICE_ENDPOINT": target.url + "/",
                                    "AWS_EC2_METADATA_DISABLED": "false"})
        c = s.create_client("elbv2", endpoint_url=target.url)
        c.describe_load_balancers()
        actions = [(x["action"], x["params"].get("path")) for x in self.fa.calls()
                   if x["service"] == "imds"]
        self.assertEqual(actions[0][0], "PutToken")
        self.assertIn(("Get", "/latest/meta-data/iam/security-credentials/fakeaws-role"),
                      actions)


if __name__ == "__main__":
    unittest.main()
