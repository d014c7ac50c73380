"""Target registration as gwsync's --targets direct uses it: RegisterTargets
and DeregisterTargets by difference, DescribeTargetHealth to read what is
registered (as AWS behaves: registering twice keeps one target; a
target group without a load balancer reports its targets unused)."""

from support import Case


class Targets(Case):
    def health(self, tg, **kw):
        got = self.elb.describe_target_health(TargetGroupArn=tg["TargetGroupArn"], **kw)
        return {(d["Target"]["Id"], d["Target"]["Port"]): d["TargetHealth"]
                for d in got["TargetHealthDescriptions"]}

    def test_register_is_idempotent_and_deregister_removes(self):
        tg = self.tg("ips")
        arn = tg["TargetGroupArn"]
        self.elb.register_targets(TargetGroupArn=arn, Targets=[
            {"Id": "10.0.1.1", "Port": 8080}, {"Id": "10.0.1.2", "Port": 9090}])
        self.elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": "10.0.1.1", "Port": 8080}])
        self.assertEqual(set(self.health(tg)), {("10.0.1.1", 8080), ("10.0.1.2", 9090)})
        self.elb.deregister_targets(TargetGroupArn=arn, Targets=[{"Id": "10.0.1.2", "Port": 9090}])
        self.assertEqual(set(self.health(tg)), {("10.0.1.1", 8080)})

    def test_port_defaults_to_the_target_groups(self):
        tg = self.tg("ips", port=8443)
        self.elb.register_targets(TargetGroupArn=tg["TargetGroupArn"],
                                  Targets=[{"Id": "10.0.1.1"}])
        self.assertEqual(set(self.health(tg)), {("10.0.1.1", 8443)})

    def test_unused_without_a_load_balancer(self):
        tg = self.tg("ips")
        self.elb.register_targets(TargetGroupArn=tg["TargetGroupArn"],
                                  Targets=[{"Id": "10.0.1.1", "Port": 80}])
        (h,) = self.health(tg).values()
        self.assertEqual(h["State"], "unused")
        self.assertEqual(h["Reason"], "Target.NotInUse")

    def test_asking_for_an_unregistered_target(self):
        tg = self.tg("ips")
        got = self.health(tg, Targets=[{"Id": "10.0.9.9", "Port": 80}])
        self.assertEqual(got[("10.0.9.9", 80)]["Reason"], "Target.NotRegistered")

    def test_instance_ids_are_checked(self):
        tg = self.tg("nodes", TargetType="instance")
        self.assertAwsError("InvalidTarget", None, self.elb.register_targets,
                            TargetGroupArn=tg["TargetGroupArn"],
                            Targets=[{"Id": "node-1", "Port": 30080}])
