"""The create → no-op → change → drift → prune flow against moto_server, the
emulator most users already run (also inside LocalStack). Skipped, saying why,
when moto_server is not installed. The tolerances moto needs are listed in
tests/e2e/README.md ("moto")."""

import os
import shutil
import socket
import subprocess
import time
import unittest
import urllib.request

import gwse2e

MOTO = os.environ.get("MOTO_SERVER") or shutil.which("moto_server")
CERT = "arn:aws:acm:us-west-2:123456789012:certificate/11111111-1111-1111-1111-111111111111"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class _Moto:
    """Just enough of the fakeaws harness for gwse2e.Case: url, counters, calls."""

    def __init__(self):
        port = free_port()
        self.url = "http://127.0.0.1:%d" % port
        self.proc = subprocess.Popen([MOTO, "-H", "127.0.0.1", "-p", str(port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True,
                                     preexec_fn=gwse2e.die_with_parent)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=1).read()
                return
            except Exception:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("moto_server did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@unittest.skipUnless(MOTO, "moto_server is not installed (pip install 'moto[server]' to run "
                           "the compatibility flow)")
class MotoFlow(gwse2e.Case):
    def start_server(self):
        moto = _Moto()
        self.addCleanup(moto.stop)
        return moto

    def setUp(self):
        super().setUp()
        self.elb = self.client("elbv2")
        ec2 = self.client("ec2")
        # moto's default VPC has subnets without the role tags discovery needs.
        subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]]
        ec2.create_tags(Resources=subnets, Tags=[
            {"Key": "kubernetes.io/role/elb", "Value": "1"},
            {"Key": "kubernetes.io/role/internal-elb", "Value": "1"},
            {"Key": "kubernetes.io/cluster/demo", "Value": "shared"}])
        # Tolerance 1: moto looks listener certificates up in its own ACM.
        self.cert = self.client("acm").request_certificate(
            DomainName="www.example.com")["CertificateArn"]

    def lbs(self):
        return {lb["LoadBalancerName"]: lb
                for lb in self.elb.describe_load_balancers()["LoadBalancers"]}

    def test_create_noop_change_drift_prune(self):
        c = self
        repo = c.repo("classes", "web", "blog")
        c.edit(repo, "gateway.yaml", CERT, self.cert)
        # create
        r = self.sync(repo)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(len(self.lbs()), 2)
        self.assertTrue(all(x["state"] == "done" for x in r.plan["resource_changes"]))
        # no-op: an empty plan and no call of the plan
        r = self.sync(repo, "--detailed-exitcode")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.plan["resource_changes"], [])
        self.assertEqual(r.plan["calls"], [])
        # change. Tolerance 2: moto checks each SetRulePriorities target against the
        # rules before the call, so a rule replaced at its own priority (a path
        # change) cannot move in; the change edits a backend instead (ModifyRule).
        c.edit(repo, "routes.yaml", "backendRefs: [{name: api, port: 8080}]",
               "backendRefs: [{name: site, port: 80}]")
        r = self.sync(repo)
        self.assertEqual(r.code, 0, r)
        self.assertIn("ListenerRule", [x["kind"] for x in r.plan["resource_changes"]])
        self.assertIn("ModifyRule", [x["action"] for x in r.plan["calls"]])
        self.assertEqual(self.sync(repo, "--detailed-exitcode", "--dry-run").code, 0)
        # drift: a health check changed behind gwsync's back
        tg = [t for t in self.elb.describe_target_groups()["TargetGroups"]
              if t["TargetGroupName"].startswith("k8s-web-")][0]
        self.elb.modify_target_group(TargetGroupArn=tg["TargetGroupArn"],
                                     HealthCheckIntervalSeconds=60)
        dry = self.sync(repo, "--dry-run", "--detailed-exitcode")
        self.assertEqual(dry.code, 2, dry)
        self.assertEqual([x["kind"] for x in dry.plan["resource_drift"]], ["TargetGroup"])
        self.assertEqual(self.sync(repo).code, 0)
        self.assertEqual(self.sync(repo, "--dry-run", "--detailed-exitcode").code, 0)
        # prune
        without = c.repo("classes", "web", name="without")
        c.edit(without, "gateway.yaml", CERT, self.cert)
        r = self.sync(without, "--prune")
        self.assertEqual(r.code, 0, r)
        self.assertEqual([n for n in self.lbs() if n.startswith("k8s-blog")], [])
        self.assertEqual(len(self.lbs()), 1)
        r = self.sync(without, "--prune", "--detailed-exitcode", "--dry-run")
        self.assertEqual(r.code, 0, r)

    def import_certificate(self, cn, *names):
        """An ISSUED certificate in moto's ACM: moto issues requested ones only
        after a validation wait, imported ones at once (tolerance 4)."""
        key, crt = os.path.join(self.tmp, "acm.key"), os.path.join(self.tmp, "acm.crt")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", key, "-out", crt, "-days", "2", "-subj", "/CN=" + cn,
                        "-addext", "subjectAltName=" + ",".join("DNS:" + n for n in
                                                                (cn,) + names)],
                       check=True, capture_output=True)
        with open(key, "rb") as k, open(crt, "rb") as c:
            return self.client("acm").import_certificate(
                Certificate=c.read(), PrivateKey=k.read())["CertificateArn"]

    def test_certificate_discovery(self):
        repo = self.repo("classes", "tls")
        arn = self.import_certificate("shop.example.com", "*.api.example.com")
        r = self.sync(repo)
        self.assertEqual(r.code, 0, r)
        lb = [lb for n, lb in self.lbs().items() if n.startswith("k8s-shop")][0]
        lis = self.elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
        self.assertEqual([c["CertificateArn"] for c in lis[0]["Certificates"]], [arn])
        self.assertIn("certificate %s from ACM" % arn, r.out)
        r = self.sync(repo, "--detailed-exitcode")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.plan["resource_changes"], [])


if __name__ == "__main__":
    unittest.main()
