"""Shared machinery of the conformance suite.

The target is chosen by FAKEAWS_TARGET (fakeaws | moto); conformance.py sets
it.  One server is started per test process and reset before each test.
Clients are boto3 when importable (so botocore's own parser checks every
reply); otherwise, or with FAKEAWS_NO_BOTO=1, a small raw-HTTP Query client
with the same call style is used."""

import os
import socket
import subprocess
import sys
import time
import unittest
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from fakeaws import sigv4  # noqa: E402
from fakeaws.harness import FakeAWS, die_with_parent  # noqa: E402

TARGET = os.environ.get("FAKEAWS_TARGET", "fakeaws")
REGION = "us-west-2"
KEY, SECRET = "AKIDFAKEAWSTEST", "fakeaws-test-secret"

try:
    if os.environ.get("FAKEAWS_NO_BOTO"):
        raise ImportError("disabled by FAKEAWS_NO_BOTO")
    import boto3
    import botocore.config
    import botocore.exceptions
    HAVE_BOTO = True
except ImportError:
    HAVE_BOTO = False


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class _Target:
    def __init__(self):
        self.kind = TARGET
        self.fa = None
        self.proc = None
        self.url = None

    def start(self):
        if self.url:
            return
        if self.kind == "fakeaws":
            extra = os.environ.get("FAKEAWS_SERVER_ARGS", "").split()
            self.fa = FakeAWS(seed=7, access_key=KEY, secret_key=SECRET,
                              region=REGION, args=extra).start()
            self.url = self.fa.url
        elif self.kind == "moto":
            port = free_port()
            exe = os.environ.get("MOTO_SERVER", "moto_server")
            self.proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)],
                                         stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL,
                                         start_new_session=True,
                                         preexec_fn=die_with_parent)
            self.url = "http://127.0.0.1:%d" % port
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(self.url + "/moto-api/", timeout=1).read()
                    break
                except Exception:
                    time.sleep(0.1)
            else:
                raise RuntimeError("moto_server did not start")
        else:
            raise RuntimeError("unknown target %r" % self.kind)

    def stop(self):
        if self.fa:
            self.fa.stop()
        if self.proc:
            import signal
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.url = self.fa = self.proc = None

    def reset(self):
        self.start()
        if self.fa:
            self.fa.reset(seed=7)
        else:
            req = urllib.request.Request(self.url + "/moto-api/reset", data=b"",
                                         method="POST")
            urllib.request.urlopen(req, timeout=10).read()


target = _Target()
import atexit  # noqa: E402
atexit.register(target.stop)


# raw-HTTP fallback client ----------------------------------------------------------

class RawClientError(Exception):
    def __init__(self, status, code, message):
        super().__init__("%s: %s" % (code, message))
        self.response = {"Error": {"Code": code, "Message": message},
                         "ResponseMetadata": {"HTTPStatusCode": status}}


INT_FIELDS = {"Port", "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds",
              "HealthyThresholdCount", "UnhealthyThresholdCount", "Weight",
              "Order", "DurationSeconds", "FromPort", "ToPort",
              "AvailableIpAddressCount"}
LIST_FIELDS = {"LoadBalancerArns", "Conditions", "Rules", "LoadBalancers",
               "TargetGroups", "Listeners", "Tags", "TagDescriptions",
               "TargetHealthDescriptions", "SecurityGroups", "Values",
               "AvailabilityZones", "Certificates", "Attributes",
               "DefaultActions", "Actions", "Subnets", "Vpcs", "IpPermissions",
               "IpRanges", "UserIdGroupPairs", "SecurityGroupRules", "Limits"}
EC2_OUT = {"subnetSet": "Subnets", "vpcSet": "Vpcs", "tagSet": "Tags",
           "securityGroupInfo": "SecurityGroups", "groups": "UserIdGroupPairs",
           "securityGroupRuleSet": "SecurityGroupRules", "ipv6Ranges": "Ipv6Ranges",
           "return": "Return"}
EC2_IN = {"Filters": "Filter", "Values": "Value", "SubnetIds": "SubnetId",
          "GroupIds": "GroupId", "GroupNames": "GroupName", "VpcIds": "VpcId",
          "Description": "GroupDescription", "TagSpecifications": "TagSpecification",
          "Tags": "Tag", "UserIdGroupPairs": "Groups", "Resources": "ResourceId"}
VERSION = {"elbv2": ("2015-12-01", "elasticloadbalancing"),
           "ec2": ("2016-11-15", "ec2"), "sts": ("2011-06-15", "sts"),
           "acm": (None, "acm")}
# JSON 1.1 services: the X-Amz-Target prefix.
JSON_TARGET = {"acm": "CertificateManager"}


def _flatten(prefix, value, out, ec2):
    if isinstance(value, dict):
        for k, v in value.items():
            name = EC2_IN.get(k, k) if ec2 and k != "Description" else k
            _flatten("%s.%s" % (prefix, name), v, out, ec2)
    elif isinstance(value, (list, tuple)):
        if not value:
            out[prefix] = ""
        for i, v in enumerate(value, 1):
            _flatten("%s.%d" % (prefix, i) if ec2 else "%s.member.%d" % (prefix, i),
                     v, out, ec2)
    elif isinstance(value, bool):
        out[prefix] = "true" if value else "false"
    else:
        out[prefix] = str(value)


def _xml_to_data(el, ec2):
    children = list(el)
    tag = el.tag.split("}")[-1]
    if not children:
        text = el.text or ""
        name = EC2_OUT.get(tag, tag[:1].upper() + tag[1:]) if ec2 else tag
        if text == "" and name in LIST_FIELDS:
            return []
        if text in ("true", "false") and name != "Value":
            return text == "true"
        if name in INT_FIELDS and text.lstrip("-").isdigit():
            return int(text)
        return text
    if all(c.tag.split("}")[-1] in ("member", "item") for c in children):
        return [_xml_to_data(c, ec2) for c in children]
    out = {}
    for c in children:
        t = c.tag.split("}")[-1]
        name = EC2_OUT.get(t, t[:1].upper() + t[1:]) if ec2 else t
        v = _xml_to_data(c, ec2)
        if name in LIST_FIELDS and not isinstance(v, list):
            v = [v] if v != "" else []
        out[name] = v
    return out


class RawClient:
    """client.create_load_balancer(Name=...) over raw HTTP + SigV4."""

    def __init__(self, service, url, key=KEY, secret=SECRET, token=None,
                 region=REGION, sign=True):
        self.service = service
        self.url = url
        self.key, self.secret, self.token = key, secret, token
        self.region = region
        self.sign = sign

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        action = "".join(p.capitalize() for p in name.split("_"))
        action = action.replace("Ssl", "SSL")
        return lambda **kw: self.call(action, kw)

    def call(self, action, params):
        if self.service in JSON_TARGET:
            return self.call_json(action, params)
        version, signing = VERSION[self.service]
        ec2 = self.service == "ec2"
        flat = {"Action": action, "Version": version}
        for k, v in params.items():
            _flatten(EC2_IN.get(k, k) if ec2 else k, v, flat, ec2)
        body = urllib.parse.urlencode(flat).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        if self.sign:
            headers = sigv4.sign("POST", self.url + "/", headers, body, self.key,
                                 self.secret, self.region, signing, self.token)
            headers.pop("Host", None)
        status, data = http("POST", self.url + "/", body, headers)
        root = ET.fromstring(data)
        if status >= 400:
            err = root.find(".//{*}Error") if root.find(".//{*}Error") is not None \
                else root.find(".//Error")
            code = err.find("{*}Code") if err.find("{*}Code") is not None else err.find("Code")
            msg = err.find("{*}Message") if err.find("{*}Message") is not None else err.find("Message")
            raise RawClientError(status, code.text, msg.text if msg is not None else "")
        if ec2:
            out = _xml_to_data(root, True)
            out.pop("RequestId", None)
            return out
        result = root.find("{*}%sResult" % action)
        return _xml_to_data(result, False) if result is not None and len(result) else {}


    def call_json(self, action, params):
        import json
        body = json.dumps(params).encode()
        headers = {"Content-Type": "application/x-amz-json-1.1",
                   "X-Amz-Target": "%s.%s" % (JSON_TARGET[self.service], action)}
        if self.sign:
            headers = sigv4.sign("POST", self.url + "/", headers, body, self.key,
                                 self.secret, self.region, VERSION[self.service][1],
                                 self.token)
            headers.pop("Host", None)
        status, data = http("POST", self.url + "/", body, headers)
        out = json.loads(data.decode() or "{}")
        if status >= 400:
            code = out.get("__type", "").rpartition("#")[2]
            raise RawClientError(status, code, out.get("message", out.get("Message", "")))
        return out


def http(method, url, body=None, headers=None, timeout=30):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def raw_post(params, sign=True, key=KEY, secret=SECRET, service="elasticloadbalancing"):
    """POST `params` as a Query request to the target (signed for `service`
    unless sign is false): (status, body bytes), whatever the status."""
    body = urllib.parse.urlencode(params).encode()
    h = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    if sign:
        h = sigv4.sign("POST", target.url + "/", h, body, key, secret, REGION, service)
        h.pop("Host")
    return http("POST", target.url + "/", body, h)


CLIENT_ERRORS = (RawClientError,) + ((botocore.exceptions.ClientError,) if HAVE_BOTO else ())


def client(service, key=KEY, secret=SECRET, token=None, max_attempts=1,
           raw=False, **kw):
    if HAVE_BOTO and not raw:
        cfg = botocore.config.Config(retries={"mode": "standard",
                                              "total_max_attempts": max_attempts},
                                     connect_timeout=5, read_timeout=30)
        return boto3.client(service, endpoint_url=target.url, region_name=REGION,
                            aws_access_key_id=key, aws_secret_access_key=secret,
                            aws_session_token=token, config=cfg, **kw)
    return RawClient(service, target.url, key, secret, token)


# test base ----------------------------------------------------------------------------

class Case(unittest.TestCase):
    """Resets the target before each test and offers error assertions and
    a network fixture (VPC, three public and three private subnets)."""

    fakeaws_only = False   # needs the /_fake control API or fakeaws flags

    def setUp(self):
        if self.fakeaws_only and target.kind != "fakeaws":
            self.skipTest("needs the fakeaws control API (not available on %s)"
                          % target.kind)
        target.reset()
        self.elb = client("elbv2")
        self.ec2 = client("ec2")
        self._net = None

    @property
    def fa(self):
        return target.fa

    def need_fakeaws(self, why="needs the fakeaws control API"):
        if target.kind != "fakeaws":
            self.skipTest("%s (target is %s)" % (why, target.kind))

    def err(self, fn, *args, **kw):
        try:
            fn(*args, **kw)
        except CLIENT_ERRORS as e:
            return e.response["Error"]["Code"], e.response["Error"]["Message"]
        self.fail("expected an AWS error, the call succeeded")

    def assertAwsError(self, code, message, fn, *args, **kw):
        """message: exact text, or a callable(text) -> bool, or None."""
        got_code, got_msg = self.err(fn, *args, **kw)
        self.assertEqual(got_code, code, "message was: %s" % got_msg)
        if message is None:
            return got_msg
        if callable(message):
            self.assertTrue(message(got_msg), got_msg)
        else:
            self.assertEqual(got_msg, message)
        return got_msg

    # network fixture -----------------------------------------------------------------

    def net(self):
        if self._net:
            return self._net
        pub = self.ec2.describe_subnets(Filters=[
            {"Name": "tag:kubernetes.io/role/elb", "Values": ["1"]}])["Subnets"]
        priv = self.ec2.describe_subnets(Filters=[
            {"Name": "tag:kubernetes.io/role/internal-elb", "Values": ["1"]}])["Subnets"]
        if len(pub) < 3 or len(priv) < 3:   # e.g. moto: build the same network
            vpc = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
            pub, priv = [], []
            for i, az in enumerate("abc"):
                for role, lst, off in (("elb", pub, 0), ("internal-elb", priv, 128)):
                    s = self.ec2.create_subnet(VpcId=vpc, AvailabilityZone=REGION + az,
                                               CidrBlock="10.0.%d.0/20" % (off + 16 * i))
                    sid = s["Subnet"]["SubnetId"]
                    self.ec2.create_tags(Resources=[sid], Tags=[
                        {"Key": "kubernetes.io/role/" + role, "Value": "1"}])
                    lst.append({"SubnetId": sid, "VpcId": vpc,
                                "AvailabilityZone": REGION + az})
        pub.sort(key=lambda s: s["AvailabilityZone"])
        priv.sort(key=lambda s: s["AvailabilityZone"])
        vpc = pub[0]["VpcId"]
        self._net = {"vpc": vpc, "public": [s["SubnetId"] for s in pub],
                     "private": [s["SubnetId"] for s in priv]}
        return self._net

    # resource helpers ---------------------------------------------------------------

    def alb(self, name="alb1", **kw):
        args = dict(Name=name, Subnets=self.net()["public"][:2])
        args.update(kw)
        return self.elb.create_load_balancer(**args)["LoadBalancers"][0]

    def nlb(self, name="nlb1", **kw):
        args = dict(Name=name, Type="network", Subnets=self.net()["public"][:1])
        args.update(kw)
        return self.elb.create_load_balancer(**args)["LoadBalancers"][0]

    def tg(self, name="tg1", protocol="HTTP", port=80, **kw):
        args = dict(Name=name, Protocol=protocol, Port=port, VpcId=self.net()["vpc"],
                    TargetType="ip")
        args.update(kw)
        return self.elb.create_target_group(**args)["TargetGroups"][0]

    def listener(self, lb, tg, port=80, protocol="HTTP", **kw):
        args = dict(LoadBalancerArn=lb["LoadBalancerArn"], Protocol=protocol, Port=port,
                    DefaultActions=[{"Type": "forward",
                                     "TargetGroupArn": tg["TargetGroupArn"]}])
        args.update(kw)
        return self.elb.create_listener(**args)["Listeners"][0]

    def rule(self, listener, tg, priority, path="/a"):
        return self.elb.create_rule(
            ListenerArn=listener["ListenerArn"], Priority=priority,
            Conditions=[{"Field": "path-pattern",
                         "PathPatternConfig": {"Values": [path]}}],
            Actions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}]
        )["Rules"][0]


def tearDownModule():
    pass
