"""Certificates from ACM: an HTTPS Gateway without a configured certificate
converges with the ISSUED certificates that cover its hostnames (exact names
first, then a wildcard one level up), the plan says which and why, and a
second run is inert; with no match the Gateway is Programmed=False, the
hostnames are named, and nothing of the stack is created."""

import unittest

import gwse2e
from gwse2e import REGION, tearDownModule  # noqa: F401


class Acm(gwse2e.Case):
    def cert(self, domain, *names, **kw):
        if names:
            kw["SubjectAlternativeNames"] = [domain] + list(names)
        return self.fa.add_certificate(domain, REGION, **kw)["CertificateArn"]

    def listener_443(self):
        lis = [li for li in self.lb("k8s-shop-shop")["Listeners"] if li["Port"] == 443]
        self.assertEqual(len(lis), 1)
        return lis[0]

    def acm_calls(self, action):
        return [c for c in self.fa.calls() if c["service"] == "acm" and c["action"] == action]

    def notes(self, r):
        return [n["message"] for n in r.plan["notes"] if n["gateway"] == "shop/shop"]

    def test_exact_and_wildcard_certificates(self):
        repo = self.repo("classes", "tls")
        # Decoys: another name, a wildcard two levels up, a certificate not
        # yet issued, and a bare-domain certificate a wildcard host must not take.
        self.cert("other.example.com")
        self.cert("*.example.com")
        self.cert("shop.example.com", Status="PENDING_VALIDATION")
        shop = self.cert("shop.example.com", "www.shop.example.com")
        api = self.cert("*.api.example.com", KeyAlgorithm="EC_prime256v1")
        r = self.converge(repo)
        # The listener hostname's certificate is the default; the wildcard
        # certificate covers *.api.example.com and v1.api.example.com.
        li = self.listener_443()
        self.assertEqual(li["Protocol"], "HTTPS")
        self.assertEqual([c["CertificateArn"] for c in li["Certificates"]], [shop])
        got = self.client("elbv2").describe_listener_certificates(
            ListenerArn=li["ListenerArn"])["Certificates"]
        self.assertEqual([c["CertificateArn"] for c in got
                          if c.get("IsDefault") not in (True, "true")], [api])
        note = [n for n in self.notes(r) if "from ACM" in n]
        self.assertEqual(len(note), 1, self.notes(r))
        self.assertIn("shop.example.com: exact %s" % shop, note[0])
        self.assertIn("v1.api.example.com: wildcard %s" % api, note[0])
        self.assertIn("*.api.example.com: exact %s" % api, note[0])
        self.assertIn("note: listener 443: certificates %s, %s from ACM" % (shop, api), r.out)
        create = r.changes(kind="Listener", actions=["create"])
        self.assertEqual(len(create), 1)
        self.assertIn(shop, str(create[0]["fields"]))
        # One listing per run, and no DescribeCertificate: every summary
        # carried all its names.
        self.assertEqual(len(self.acm_calls("ListCertificates")), 1)
        self.assertEqual(self.acm_calls("DescribeCertificate"), [])
        self.owned_everywhere()
        self.assertInert(repo)

    def test_describe_only_certificates_with_more_names(self):
        repo = self.repo("classes", "tls")
        names = ["n%d.example.org" % i for i in range(120)]
        # ACM summarizes 100 names: shop.example.com is past them, so only
        # DescribeCertificate shows that this certificate covers it.
        shop = self.cert("a.example.org", *(names + ["shop.example.com"]))
        self.cert("*.api.example.com")
        self.cert("unrelated.example.net")
        self.converge(repo)
        self.assertEqual([c["CertificateArn"] for c in self.listener_443()["Certificates"]],
                         [shop])
        described = self.acm_calls("DescribeCertificate")
        self.assertEqual([c["params"]["CertificateArn"] for c in described], [shop])

    def test_no_match_blocks_the_gateway_and_creates_nothing(self):
        repo = self.repo("classes", "tls")
        self.cert("shop.example.com")
        self.cert("*.example.com")  # covers neither *.api.example.com nor v1.api...
        r = self.sync(repo)
        self.assertEqual(r.code, 7, r)  # a Gateway could not be reconciled
        self.assertIn("Gateway shop/shop: Programmed=False (Invalid)", r.err)
        errors = [n for n in r.plan["notes"] if n["severity"] == "error"]
        self.assertEqual(len(errors), 1, r.plan["notes"])
        self.assertIn("no ISSUED ACM certificate matches hostnames *.api.example.com, "
                      "v1.api.example.com", errors[0]["message"])
        self.assertEqual(r.plan["resource_changes"], [])
        self.assertEqual(self.mutations(), [])
        st = self.fa.state()["regions"][REGION]
        self.assertEqual(st["elbv2"]["LoadBalancers"], [])
        self.assertEqual(st["elbv2"]["TargetGroups"], [])
        # Once a certificate covers them, the same manifests converge.
        api = self.cert("*.api.example.com")
        r = self.converge(repo)
        self.assertIn(api, [n for n in self.notes(r) if "from ACM" in n][0])

    def test_ambiguous_match_blocks(self):
        repo = self.repo("classes", "tls")
        a = self.cert("shop.example.com")
        b = self.cert("shop.example.com", "x.example.com")
        self.cert("*.api.example.com")
        r = self.sync(repo)
        self.assertEqual(r.code, 7, r)
        errors = [n["message"] for n in r.plan["notes"] if n["severity"] == "error"]
        self.assertIn("hostname shop.example.com matches 2 ISSUED ACM certificates "
                      "(%s, %s)" % (a, b), errors[0])
        self.assertEqual(self.mutations(), [])

    def test_acm_denied_leaves_the_gateway_unread(self):
        repo = self.repo("classes", "tls", "blog")
        self.fa.add_fault(service="acm", action="ListCertificates", kind="error", status=400,
                          code="AccessDeniedException",
                          message="not authorized to perform: acm:ListCertificates")
        r = self.sync(repo)
        self.assertEqual(r.code, 8, r)  # permissions
        self.assertIn("AccessDeniedException", r.err)
        # The Gateway that needs no certificate is not held back.
        self.assertEqual(len(self.lb("k8s-blog-blog")["Listeners"]), 1)
        self.assertFalse([lb for lb in self.elbv2()["LoadBalancers"]
                          if lb["LoadBalancerName"].startswith("k8s-shop")])

    def test_no_discovery_no_acm_call(self):
        repo = self.repo("classes", "blog")
        self.converge(repo)
        self.assertEqual(self.acm_calls("ListCertificates"), [])


if __name__ == "__main__":
    unittest.main()
