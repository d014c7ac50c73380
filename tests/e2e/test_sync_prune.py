"""Prune: a removed Gateway's stack is deleted only with --prune, exactly, and
never when the run cannot be sure; resources gwsync does not own are never
touched, whatever their names."""

import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401

VPC = "vpc-0de0000000000000a"
SUBNETS = ["subnet-0de00000000000a01", "subnet-0de00000000000b01"]


class Prune(gwse2e.Case):
    def setUp(self):
        super().setUp()
        self.full = self.repo("classes", "web", "blog", name="full")
        self.converge(self.full)
        self.without_blog = self.repo("classes", "web", name="noblog")
        self.before = self.names()

    def names(self):
        st = self.elbv2()
        return ({lb["LoadBalancerName"] for lb in st["LoadBalancers"]},
                {tg["TargetGroupName"] for tg in st["TargetGroups"]})

    def deletions(self):
        return [c for c in self.mutations() if c["action"].startswith("Delete")]

    def test_removed_gateway_is_kept_without_prune(self):
        self.fa.control("DELETE", "calls")
        r = self.sync(self.without_blog)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.deletions(), [])
        self.assertIn("blog/blog", r.out)
        self.assertIn("--prune deletes them", r.out)
        self.assertEqual(self.names(), self.before)

    def test_prune_deletes_exactly_that_stack(self):
        web_lb = self.lb("k8s-web-web")
        self.fa.control("DELETE", "calls")
        r = self.sync(self.without_blog, "--prune")
        self.assertEqual(r.code, 0, r)
        lbs, tgs = self.names()
        self.assertEqual(lbs, {web_lb["LoadBalancerName"]})
        self.assertFalse([t for t in tgs if t.startswith("k8s-blog")], tgs)
        self.assertEqual(self.lb("k8s-web-web"), web_lb)
        deleted = {c["action"] for c in self.deletions()}
        self.assertEqual(deleted, {"DeleteLoadBalancer", "DeleteTargetGroup",
                                   "DeleteSecurityGroup"})
        sgs = [g["groupName"] for g in self.ec2()["SecurityGroups"]]
        self.assertFalse([g for g in sgs if g.startswith("k8s-blog")], sgs)
        self.assertInert(self.without_blog, "--prune")

    def assertRefused(self, r, guard):
        self.assertEqual(r.code, 5, r)
        self.assertEqual(self.deletions(), [])
        self.assertEqual(self.names(), self.before)
        tripped = [g["name"] for g in r.plan["guards"] if g["result"] == "refused"]
        self.assertIn(guard, tripped, r.plan["guards"])

    def test_refused_beyond_max_deletions(self):
        self.fa.control("DELETE", "calls")
        r = self.sync(self.without_blog, "--prune", "--max-deletions", "0")
        self.assertRefused(r, "max-deletions")
        self.assertIn("--max-deletions", r.out)

    def test_refused_when_the_desired_set_is_empty(self):
        empty = self.repo("classes", name="empty")
        self.fa.control("DELETE", "calls")
        r = self.sync(empty, "--prune")
        self.assertRefused(r, "empty-desired-set")

    def test_refused_when_an_aws_read_failed(self):
        web = self.lb("k8s-web-web")
        self.fa.add_fault(service="elbv2", action="DescribeListeners", kind="error",
                          status=500, params={"LoadBalancerArn": web["LoadBalancerArn"]})
        self.fa.control("DELETE", "calls")
        r = self.sync(self.without_blog, "--prune")
        self.assertRefused(r, "complete-observation")

    def test_refused_when_a_manifest_is_invalid(self):
        self.write(self.without_blog, "broken.yaml",
                   "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                   "metadata: {name: x, namespace: web}\nspec: {parentRefs: 7}\n")
        self.fa.control("DELETE", "calls")
        r = self.sync(self.without_blog, "--prune")
        # Exit 4: the manifests are invalid, nothing is read or written at all.
        self.assertEqual(r.code, 4, r)
        self.assertEqual(self.fa.counters()["total"], 0)
        self.assertIn("broken.yaml:4", r.err)

    def test_deletion_protection_is_reported_never_switched_off(self):
        blog = self.lb("k8s-blog-blog")
        self.client("elbv2").modify_load_balancer_attributes(
            LoadBalancerArn=blog["LoadBalancerArn"],
            Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}])
        self.fa.control("DELETE", "calls")
        r = self.sync(self.without_blog, "--prune")
        self.assertRefused(r, "deletion-protection")
        self.assertEqual([c for c in self.mutations()
                          if c["action"] == "ModifyLoadBalancerAttributes"], [])

    def test_resources_gwsync_does_not_own_are_never_touched(self):
        elb = self.client("elbv2")

        def alb(name, tags):
            return elb.create_load_balancer(Name=name, Subnets=SUBNETS, Type="application",
                                            Scheme="internal", Tags=tags)
        alb("foreign-alb", [{"Key": "owner", "Value": "someone"}])
        alb("lbc-alb", [{"Key": "elbv2.k8s.aws/cluster", "Value": "demo"},
                        {"Key": "gateway.k8s.aws.alb/stack", "Value": "blog/blog"},
                        {"Key": "gateway.k8s.aws.alb/resource", "Value": "LoadBalancer"}])
        alb("other-cluster-alb", [{"Key": "gwsync.io/cluster", "Value": "prod"},
                                  {"Key": "gwsync.io/stack", "Value": "blog/blog"},
                                  {"Key": "gwsync.io/resource", "Value": "LoadBalancer"},
                                  {"Key": "gwsync.io/managed-by", "Value": "gwsync"}])
        self.fa.control("DELETE", "calls")
        r = self.sync(self.without_blog, "--prune")
        self.assertEqual(r.code, 0, r)
        lbs, _ = self.names()
        self.assertTrue({"foreign-alb", "lbc-alb", "other-cluster-alb"} <= lbs, lbs)
        touched = [c for c in self.mutations() if any(
            n in str(c["params"]) for n in ("foreign-alb", "lbc-alb", "other-cluster"))]
        self.assertEqual(touched, [])

    def test_a_foreign_load_balancer_with_our_name_is_never_adopted(self):
        elb = self.client("elbv2")
        name = self.lb("k8s-blog-blog")["LoadBalancerName"]
        fresh = self.repo("classes", "blog", name="fresh")
        # The account loses gwsync's load balancer and someone creates one with its
        # name and the same settings: CreateLoadBalancer would return it as ours.
        self.fa.reset(seed=11)
        elb.create_load_balancer(Name=name, Subnets=["subnet-0de00000000000a02",
                                                     "subnet-0de00000000000b02"],
                                 Type="application", Scheme="internal")
        self.fa.control("DELETE", "calls")
        r = self.sync(fresh)
        self.assertEqual(r.code, 5, r)
        self.assertIn("never adopted", r.out)
        self.assertFalse([c for c in self.mutations()
                          if name in str(c["params"])])
        (g,) = [g for g in r.plan["guards"] if g["name"] == "ownership"]
        self.assertEqual(g["result"], "refused")


if __name__ == "__main__":
    unittest.main()
