"""The aws CLI (when installed) against the target with --endpoint-url: the
same client the e2e tests use to inspect AWS state."""

import json
import os
import shutil
import subprocess
import unittest

from support import KEY, REGION, SECRET, Case, target

AWS = os.environ.get("FAKEAWS_AWS_CLI") or shutil.which("aws")


@unittest.skipUnless(AWS, "aws CLI not installed")
class Cli(Case):
    def aws(self, *args):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET,
                    "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
                    "AWS_MAX_ATTEMPTS": "1", "AWS_EC2_METADATA_DISABLED": "true",
                    "AWS_CONFIG_FILE": os.devnull,
                    "AWS_SHARED_CREDENTIALS_FILE": os.devnull})
        return subprocess.run([AWS, "--endpoint-url", target.url, "--output", "json"]
                              + list(args), capture_output=True, text=True, env=env,
                              timeout=60)

    def test_cli_create_describe_and_error(self):
        vpc = self.net()["vpc"]
        r = self.aws("elbv2", "create-target-group", "--name", "cli-tg", "--protocol",
                     "HTTP", "--port", "80", "--vpc-id", vpc, "--target-type", "ip")
        self.assertEqual(r.returncode, 0, r.stderr)
        arn = json.loads(r.stdout)["TargetGroups"][0]["TargetGroupArn"]
        r = self.aws("elbv2", "describe-target-groups", "--names", "cli-tg")
        self.assertEqual(json.loads(r.stdout)["TargetGroups"][0]["TargetGroupArn"], arn)
        r = self.aws("elbv2", "describe-load-balancers", "--names", "nope")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("LoadBalancerNotFound", r.stderr)
        r = self.aws("ec2", "describe-subnets", "--filters",
                     "Name=tag:kubernetes.io/role/elb,Values=1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)["Subnets"]), 3)

    def test_cli_acm(self):
        self.need_fakeaws("certificates are seeded through the control API")
        arn = self.fa.add_certificate("cli.example.com", REGION,
                                      SubjectAlternativeNames=["*.cli.example.com"])
        arn = arn["CertificateArn"]
        # The CLI pages by itself (NextToken) with one certificate per page.
        self.fa.add_certificate("two.example.com", REGION)
        r = self.aws("acm", "list-certificates", "--certificate-statuses", "ISSUED",
                     "--page-size", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = [c["CertificateArn"] for c in json.loads(r.stdout)["CertificateSummaryList"]]
        self.assertEqual(len(got), 2)
        self.assertEqual(got[0], arn)
        r = self.aws("acm", "describe-certificate", "--certificate-arn", arn)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["Certificate"]["SubjectAlternativeNames"],
                         ["cli.example.com", "*.cli.example.com"])
        r = self.aws("acm", "describe-certificate", "--certificate-arn", arn[:-4] + "dead")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ResourceNotFoundException", r.stderr)
