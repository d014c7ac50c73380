"""Per-Gateway isolation: an AWS error on one Gateway never stops another;
the run says exit 7 with the failed call, and the next run converges."""

import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401


class Isolation(gwse2e.Case):
    def test_failing_create_rule_on_one_gateway(self):
        repo = self.repo("classes", "web", "blog")
        self.fa.add_fault(service="elbv2", action="CreateRule", kind="error", status=400,
                          code="InvalidConfigurationRequest", message="injected for blog",
                          params={"ListenerArn": "*/app/k8s-blog-*"})
        r = self.sync(repo)
        self.assertEqual(r.code, 7, r)
        failed = [c for c in r.plan["resource_changes"] if c["state"] == "failed"]
        self.assertTrue(failed)
        self.assertTrue(all(c["gateway"] == "blog/blog" for c in failed), failed)
        self.assertIn("InvalidConfigurationRequest: injected for blog", failed[0]["error"])
        self.assertTrue(all(c["state"] == "done" for c in r.plan["resource_changes"]
                            if c["gateway"] == "web/web"))
        self.assertIn("[failed: CreateRule: InvalidConfigurationRequest", r.out)
        # The web Gateway converged: nothing left to do for it.
        web_rules = sum(len([ru for ru in li["Rules"] if not ru["IsDefault"]])
                        for li in self.lb("k8s-web-web")["Listeners"])
        self.assertEqual(web_rules, 5)
        self.fa.clear_faults()
        # What the failed run could not make is a planned change, not drift: the
        # load balancer's spec tag is written only once its whole stack succeeded.
        dry = self.sync(repo, "--dry-run")
        self.assertEqual(dry.plan["resource_drift"], [], dry)
        self.assertTrue(dry.changes(gateway="blog/blog"))
        r = self.converge(repo)
        self.assertEqual({c["gateway"] for c in r.plan["resource_changes"]}, {"blog/blog"})
        self.owned_everywhere()
        self.assertInert(repo)


if __name__ == "__main__":
    unittest.main()
