"""Drift: changes made behind gwsync's back through the AWS API are reported
as drift with before and after, restored by the next apply, and the run
after that is inert."""

import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401


class Drift(gwse2e.Case):
    def setUp(self):
        super().setUp()
        self.repo_dir = self.repo("classes", "web")
        self.converge(self.repo_dir)
        self.elb = self.client("elbv2")
        self.lb_ = self.lb("k8s-web-web")
        self.https = [li for li in self.lb_["Listeners"] if li["Port"] == 443][0]
        self.rules = [ru for ru in self.https["Rules"] if not ru["IsDefault"]]

    def drifted(self, kind):
        self.fa.control("DELETE", "calls")
        dry = self.sync(self.repo_dir, "--dry-run", "--detailed-exitcode")
        self.assertEqual(dry.code, 2, dry)
        self.assertEqual(self.fa.counters()["writes"], 0)
        drift = [c for c in dry.plan["resource_drift"] if c["kind"] == kind]
        self.assertTrue(drift, dry)
        self.assertIn("changed outside gwsync", dry.out)
        return dry, drift

    def restored(self):
        r = self.converge(self.repo_dir)
        self.assertTrue(r.plan["resource_changes"])
        self.assertInert(self.repo_dir)
        return r

    def test_modify_rule(self):
        rule = self.rules[0]
        other = [t for t in self.elbv2()["TargetGroups"]
                 if t["TargetGroupArn"] not in str(rule["Actions"])][0]
        self.elb.modify_rule(RuleArn=rule["RuleArn"], Actions=[
            {"Type": "forward", "TargetGroupArn": other["TargetGroupArn"]}])
        self.fa.control("DELETE", "calls")
        _, (c,) = self.drifted("ListenerRule")
        (f,) = [f for f in c["fields"] if f["path"] == "actions"]
        self.assertIn(other["TargetGroupName"], f["before"])
        self.assertNotIn(other["TargetGroupName"], f["after"])
        self.restored()
        now = [ru for ru in self.lb("k8s-web-web")["Listeners"][0]["Rules"]
               if ru["RuleArn"] == rule["RuleArn"]] + [
            ru for li in self.lb("k8s-web-web")["Listeners"] for ru in li["Rules"]
            if ru["Conditions"] == rule["Conditions"] and not ru["IsDefault"]]
        self.assertEqual(now[0]["Actions"][0].get("TargetGroupArn"),
                         rule["Actions"][0].get("TargetGroupArn"))

    def test_delete_rule(self):
        self.elb.delete_rule(RuleArn=self.rules[-1]["RuleArn"])
        self.fa.control("DELETE", "calls")
        _, (c,) = self.drifted("ListenerRule")
        self.assertEqual(c["actions"], ["create"])
        self.restored()
        self.assertEqual(len([ru for ru in [li for li in self.lb("k8s-web-web")["Listeners"]
                                            if li["Port"] == 443][0]["Rules"]
                              if not ru["IsDefault"]]), len(self.rules))

    def test_target_group_health_check(self):
        tg = [t for t in self.elbv2()["TargetGroups"] if t["HealthCheckPath"] == "/healthz"][0]
        self.elb.modify_target_group(TargetGroupArn=tg["TargetGroupArn"],
                                     HealthCheckIntervalSeconds=60)
        _, (c,) = self.drifted("TargetGroup")
        (f,) = c["fields"]
        self.assertEqual((f["path"], f["before"], f["after"]),
                         ("healthCheck.intervalSeconds", "60", "15"))
        self.restored()
        tg = [t for t in self.elbv2()["TargetGroups"] if t["HealthCheckPath"] == "/healthz"][0]
        self.assertEqual(tg["HealthCheckIntervalSeconds"], 15)

    def test_load_balancer_attribute(self):
        self.elb.modify_load_balancer_attributes(
            LoadBalancerArn=self.lb_["LoadBalancerArn"],
            Attributes=[{"Key": "idle_timeout.timeout_seconds", "Value": "30"}])
        _, (c,) = self.drifted("LoadBalancer")
        self.assertIn({"path": "attributes.idle_timeout.timeout_seconds", "before": "30",
                       "after": "120"}, c["fields"])
        self.restored()
        self.assertEqual(self.lb("k8s-web-web")["Attributes"]["idle_timeout.timeout_seconds"],
                         "120")

    def test_listener_ssl_policy(self):
        self.elb.modify_listener(ListenerArn=self.https["ListenerArn"],
                                 SslPolicy="ELBSecurityPolicy-2016-08")
        _, (c,) = self.drifted("Listener")
        self.assertIn({"path": "sslPolicy", "before": "ELBSecurityPolicy-2016-08",
                       "after": "ELBSecurityPolicy-TLS13-1-2-2021-06"}, c["fields"])
        self.restored()

    def test_listener_certificate(self):
        self.elb.modify_listener(ListenerArn=self.https["ListenerArn"], Certificates=[
            {"CertificateArn": "arn:aws:acm:us-west-2:123456789012:certificate/"
                               "22222222-2222-2222-2222-222222222222"}])
        _, (c,) = self.drifted("Listener")
        self.assertEqual([f["path"] for f in c["fields"]], ["certificate"])
        self.restored()

    def test_user_tag_removed(self):
        self.elb.remove_tags(ResourceArns=[self.lb_["LoadBalancerArn"]], TagKeys=["team"])
        _, (c,) = self.drifted("LoadBalancer")
        self.assertEqual(c["fields"], [{"path": "tags.team", "before": None, "after": "web"}])
        self.restored()
        self.assertEqual(self.lb("k8s-web-web")["Tags"]["team"], "web")

    def test_manifest_change_is_not_drift(self):
        self.edit(self.repo_dir, "gateway.yaml", 'value: "120"', 'value: "90"')
        dry = self.sync(self.repo_dir, "--dry-run", "--detailed-exitcode")
        self.assertEqual(dry.code, 2, dry)
        self.assertEqual(dry.plan["resource_drift"], [])
        self.assertNotIn("changed outside gwsync", dry.out)
        self.restored()


if __name__ == "__main__":
    unittest.main()
