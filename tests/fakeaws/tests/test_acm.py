"""ACM over the JSON 1.1 protocol: certificates seeded by the control API and
by a fixtures file, ListCertificates filters and NextToken pages,
DescribeCertificate, JSON errors, validation against botocore's model, and
faults on the acm service."""

import json
import os
import tempfile
import unittest

from support import Case, REGION, client, http, target, JSON_TARGET
from fakeaws import sigv4
from fakeaws.harness import FakeAWS

ALL_KEY_TYPES = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1",
                 "EC_secp384r1", "EC_secp521r1"]


class Acm(Case):
    fakeaws_only = True  # certificates are seeded through the control API

    def setUp(self):
        super().setUp()
        self.acm = client("acm")

    def seed(self, domain, **kw):
        return self.fa.add_certificate(domain, REGION, **kw)["CertificateArn"]

    def list_all(self, **kw):
        out, token = [], None
        while True:
            args = dict(kw, NextToken=token) if token else kw
            page = self.acm.list_certificates(**args)
            out += page["CertificateSummaryList"]
            token = page.get("NextToken")
            if not token:
                return out

    def test_list_filters_like_acm(self):
        a = self.seed("a.example.com", SubjectAlternativeNames=["a.example.com", "b.example.com"])
        ec = self.seed("ec.example.com", KeyAlgorithm="EC_prime256v1")
        self.seed("pending.example.com", Status="PENDING_VALIDATION")
        # Without keyTypes ACM lists RSA_2048 certificates only.
        arns = [c["CertificateArn"] for c in self.list_all(CertificateStatuses=["ISSUED"])]
        self.assertEqual(arns, [a])
        got = self.list_all(CertificateStatuses=["ISSUED"], Includes={"keyTypes": ALL_KEY_TYPES})
        self.assertEqual([c["CertificateArn"] for c in got], [a, ec])
        self.assertEqual(got[0]["SubjectAlternativeNameSummaries"],
                         ["a.example.com", "b.example.com"])
        self.assertFalse(got[0]["HasAdditionalSubjectAlternativeNames"])
        self.assertEqual(got[0]["Status"], "ISSUED")
        self.assertEqual(len(self.list_all(Includes={"keyTypes": ALL_KEY_TYPES})), 3)

    def test_pages_and_bad_tokens(self):
        arns = [self.seed("h%d.example.com" % i) for i in range(5)]
        page = self.acm.list_certificates(MaxItems=2)
        self.assertEqual(len(page["CertificateSummaryList"]), 2)
        self.assertIn("NextToken", page)
        self.assertEqual([c["CertificateArn"] for c in self.list_all(MaxItems=2)], arns)
        last = self.acm.list_certificates(MaxItems=5)
        self.assertNotIn("NextToken", last)
        self.assertAwsError("InvalidArgsException", "The NextToken is not valid: nope",
                            self.acm.list_certificates, NextToken="nope")

    def test_describe_and_errors(self):
        names = ["example.com"] + ["n%d.example.com" % i for i in range(120)]
        arn = self.seed("example.com", SubjectAlternativeNames=names)
        cert = self.acm.describe_certificate(CertificateArn=arn)["Certificate"]
        self.assertEqual(cert["DomainName"], "example.com")
        self.assertEqual(cert["SubjectAlternativeNames"], names)
        # The summary holds at most 100 names and says there are more.
        summary = self.list_all()[0]
        self.assertEqual(len(summary["SubjectAlternativeNameSummaries"]), 100)
        self.assertTrue(summary["HasAdditionalSubjectAlternativeNames"])
        missing = arn[:-1] + ("0" if arn[-1] != "0" else "1")
        self.assertAwsError("ResourceNotFoundException",
                            "Could not find certificate with arn %s" % missing,
                            self.acm.describe_certificate, CertificateArn=missing)
        self.assertAwsError("InvalidArnException", lambda m: "not a valid ARN" in m,
                            self.acm.describe_certificate,
                            CertificateArn="arn:aws:elasticloadbalancing:us-west-2:1:x/yyyyy")

    def raw(self, action, body, sign=True):
        headers = {"Content-Type": "application/x-amz-json-1.1",
                   "X-Amz-Target": "%s.%s" % (JSON_TARGET["acm"], action)}
        if sign:
            headers = sigv4.sign("POST", target.url + "/", headers, body, "AKIDFAKEAWSTEST",
                                 "fakeaws-test-secret", REGION, "acm")
            headers.pop("Host")
        status, data = http("POST", target.url + "/", body, headers)
        return status, json.loads(data.decode())

    def test_json_protocol_errors(self):
        status, err = self.raw("ListCertificates", b'{"MaxItems": 0}')
        self.assertEqual((status, err["__type"]), (400, "ValidationException"))
        self.assertIn("'maxItems' failed to satisfy constraint", err["message"])
        status, err = self.raw("ListCertificates", b"[1]")
        self.assertEqual((status, err["__type"]), (400, "SerializationException"))
        status, err = self.raw("IssueEverything", b"{}")
        self.assertEqual((status, err["__type"]), (400, "UnknownOperationException"))
        status, err = self.raw("ListCertificates", b"{}", sign=False)
        self.assertEqual((status, err["__type"]), (403, "MissingAuthenticationToken"))
        status, err = self.raw("DescribeCertificate", b"{}")
        self.assertEqual((status, err["__type"]), (400, "ValidationException"))
        if self.fa.control("GET", "health")["botocore_validation"]:
            status, err = self.raw("ListCertificates", b'{"Bogus": 1}')
            self.assertEqual((status, err["__type"]), (400, "SerializationException"))
            status, err = self.raw("ListCertificates",
                                   b'{"Includes": {"keyTypes": ["RSA_9"]}}')
            self.assertIn("enum value set", err["message"])

    def test_faults_and_accounting(self):
        self.fa.add_fault(service="acm", action="List*", kind="throttle", count=1)
        self.assertAwsError("ThrottlingException", "Rate exceeded",
                            self.acm.list_certificates)
        self.acm.list_certificates()
        calls = [(c["service"], c["action"], c["status"]) for c in self.fa.calls()]
        self.assertEqual(calls, [("acm", "ListCertificates", 400),
                                 ("acm", "ListCertificates", 200)])
        self.assertEqual(self.fa.counters()["by_action"]["acm:ListCertificates"], 2)

    def test_control_api_and_state(self):
        arn = self.seed("c.example.com")
        self.assertEqual(self.fa.state()["regions"][REGION]["acm"]["Certificates"][0]
                         ["CertificateArn"], arn)
        self.fa.control("DELETE", "certificates", {"CertificateArn": arn, "Region": REGION})
        self.assertEqual(self.list_all(), [])
        with self.assertRaisesRegex(RuntimeError, "Status must be one of"):
            self.fa.add_certificate("x.example.com", REGION, Status="NOPE")


class AcmFixtures(unittest.TestCase):
    def test_fixture_certificates_in_every_region(self):
        if target.kind != "fakeaws":
            self.skipTest("fakeaws fixtures")
        fx = {"certificates": [{"DomainName": "*.fixture.example",
                                "SubjectAlternativeNames": ["fixture.example"]}]}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(fx, f)
        try:
            with FakeAWS(seed=3, access_key="AKIDFAKEAWSTEST", secret_key="fakeaws-test-secret",
                         args=["--fixtures", f.name]) as fa:
                for region in (REGION, "eu-west-1"):
                    state = fa.control("GET", "certificates?region=%s" % region)
                    cert = state["Certificates"][0]
                    self.assertEqual(cert["DomainName"], "*.fixture.example")
                    self.assertEqual(cert["SubjectAlternativeNames"],
                                     ["*.fixture.example", "fixture.example"])
                    self.assertTrue(cert["CertificateArn"].startswith(
                        "arn:aws:acm:%s:123456789012:certificate/" % region))
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
