"""ELBv2 validations (each a failing request with its exact code and
message) and the ELBv2 semantics fakeaws keeps beyond the 13 scenarios of
test_scenarios.py (docs/aws.md, tests/fakeaws/README.md)."""

import unittest
import xml.etree.ElementTree as ET

from support import Case, KEY, REGION, SECRET, http, raw_post, sigv4, target

CERT = "arn:aws:acm:us-west-2:123456789012:certificate/abc"



class Names(Case):
    def test_lb_name_too_long(self):
        n = "a" * 33
        self.assertAwsError("ValidationError",
                            "Load balancer name '%s' cannot be longer than '32' characters" % n,
                            self.alb, n)

    def test_tg_name_too_long(self):
        n = "t" * 33
        self.assertAwsError("ValidationError",
                            "Target group name '%s' cannot be longer than '32' characters" % n,
                            self.tg, n)

    def test_tg_name_charset(self):
        self.assertAwsError("ValidationError",
                            "Target group name 'a_b' can only contain characters that are "
                            "alphanumeric characters or hyphens(-)", self.tg, "a_b")

    def test_lb_name_internal_prefix(self):
        self.assertAwsError("ValidationError",
                            "Load balancer name 'internal-x' cannot begin with 'internal-'",
                            self.alb, "internal-x")


class ShapeValidation(Case):
    def test_enum_violation(self):
        msg = self.assertAwsError("ValidationError", None, self.alb, "x",
                                  IpAddressType="ipv5")
        self.assertTrue(msg.startswith(
            "1 validation error detected: Value 'ipv5' at 'ipAddressType' failed to "
            "satisfy constraint: Member must satisfy enum value set: ["), msg)

    def test_missing_required_raw(self):
        self.need_fakeaws("exact ValidationError text")
        st, data = raw_post({"Action": "CreateTargetGroup", "Version": "2015-12-01",
                             "Protocol": "HTTP"})
        self.assertEqual(st, 400)
        root = ET.fromstring(data)
        self.assertEqual(root.find(".//{*}Code").text, "ValidationError")
        self.assertEqual(root.find(".//{*}Message").text,
                         "1 validation error detected: Value null at 'name' failed to "
                         "satisfy constraint: Member must not be null")

    def test_misspelled_parameter_rejected(self):
        """botocore validation (server side) rejects an unknown parameter; the
        raw request bypasses the client's own checks."""
        self.need_fakeaws("botocore request validation")
        if not self.fa.control("GET", "health")["botocore_validation"]:
            self.skipTest("server runs without botocore validation")
        st, data = raw_post({"Action": "CreateLoadBalancer", "Version": "2015-12-01",
                             "Nmae": "lb1", "Subnets.member.1": self.net()["public"][0]})
        self.assertEqual(st, 400)
        root = ET.fromstring(data)
        self.assertEqual(root.find(".//{*}Code").text, "ValidationError")
        self.assertIn("'Nmae'", root.find(".//{*}Message").text)
        st, data = raw_post({"Action": "DescribeLoadBalancers", "Version": "2015-12-01",
                             "PageSzie": "5"})
        self.assertEqual(st, 400)
        self.assertIn(b"PageSzie", data)

    def test_error_xml_shape(self):
        st, data = raw_post({"Action": "DescribeLoadBalancers", "Version": "2015-12-01",
                             "Names.member.1": "nope"})
        self.assertEqual(st, 400)
        root = ET.fromstring(data)
        self.assertEqual(root.tag, "{http://elasticloadbalancing.amazonaws.com/doc/"
                         "2015-12-01/}ErrorResponse")
        ns = "{http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/}"
        self.assertEqual(root.find(ns + "Error/" + ns + "Type").text, "Sender")
        self.assertEqual(root.find(ns + "Error/" + ns + "Code").text, "LoadBalancerNotFound")
        self.assertTrue(root.find(ns + "RequestId").text)

    def test_classic_version_rejected(self):
        self.need_fakeaws("ELBv2-only dispatch")
        st, data = raw_post({"Action": "DescribeLoadBalancers", "Version": "2012-06-01"})
        self.assertEqual(st, 400)
        self.assertIn(b"<Code>InvalidAction</Code>", data)

    def test_unknown_action(self):
        self.need_fakeaws("exact InvalidAction text")
        st, data = raw_post({"Action": "DescribeNothing", "Version": "2015-12-01"})
        self.assertEqual(st, 400)
        self.assertIn(b"<Code>InvalidAction</Code><Message>Could not find operation "
                      b"DescribeNothing for version 2015-12-01</Message>", data)

    def test_malformed_authorization(self):
        self.need_fakeaws("SigV4 verification")
        body = b"Action=DescribeLoadBalancers&Version=2015-12-01"
        st, data = http("POST", target.url + "/", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Amz-Date": "20260101T000000Z",
            "Authorization": "AWS4-HMAC-SHA256 Credential=AK/20260101/us-west-2/"
                             "elasticloadbalancing/aws4_request"})
        self.assertEqual(st, 403)
        self.assertIn(b"<Code>IncompleteSignature</Code>", data)

    def test_unsigned_rejected(self):
        st, data = raw_post({"Action": "DescribeLoadBalancers", "Version": "2015-12-01"},
                            sign=False)
        self.assertEqual(st, 403)
        self.assertIn(b"MissingAuthenticationToken", data)

    def test_get_query_string_accepted(self):
        q = "Action=DescribeLoadBalancers&Version=2015-12-01"
        h = sigv4.sign("GET", target.url + "/?" + q, {}, b"", KEY, SECRET, REGION,
                       "elasticloadbalancing")
        h.pop("Host")
        st, data = http("GET", target.url + "/?" + q, None, h)
        self.assertEqual(st, 200, data)
        self.assertIn(b"DescribeLoadBalancersResult", data)


class LoadBalancers(Case):
    def test_alb_needs_two_azs(self):
        self.assertAwsError("ValidationError",
                            "At least two subnets in two different Availability Zones "
                            "must be specified", self.alb, "x", Subnets=self.net()["public"][:1])

    def test_subnet_not_found(self):
        self.assertAwsError("SubnetNotFound", "The subnet ID 'subnet-0000dead' is not valid",
                            self.alb, "x", Subnets=["subnet-0000dead", self.net()["public"][0]])

    def test_security_group_not_found(self):
        self.assertAwsError("InvalidSecurityGroup", "Security group 'sg-0dead' does not exist",
                            self.alb, "x", SecurityGroups=["sg-0dead"])

    def test_deletion_protection_and_cascade(self):
        lb = self.alb()
        t = self.tg()
        li = self.listener(lb, t)
        self.rule(li, t, 3)
        self.elb.modify_load_balancer_attributes(
            LoadBalancerArn=lb["LoadBalancerArn"],
            Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}])
        self.assertAwsError("OperationNotPermitted",
                            "Load balancer '%s' cannot be deleted because deletion "
                            "protection is enabled" % lb["LoadBalancerArn"],
                            self.elb.delete_load_balancer,
                            LoadBalancerArn=lb["LoadBalancerArn"])
        self.elb.modify_load_balancer_attributes(
            LoadBalancerArn=lb["LoadBalancerArn"],
            Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}])
        self.elb.delete_load_balancer(LoadBalancerArn=lb["LoadBalancerArn"])
        self.assertAwsError("ListenerNotFound", None, self.elb.describe_rules,
                            ListenerArn=li["ListenerArn"])
        got = self.elb.describe_target_groups(TargetGroupArns=[t["TargetGroupArn"]])
        self.assertEqual(got["TargetGroups"][0]["LoadBalancerArns"], [])
        self.elb.delete_target_group(TargetGroupArn=t["TargetGroupArn"])
        # deleting again is not an error
        self.elb.delete_load_balancer(LoadBalancerArn=lb["LoadBalancerArn"])

    def test_attribute_defaults_and_unknown_key(self):
        lb = self.alb()
        nlb = self.nlb()
        a = {x["Key"]: x["Value"] for x in self.elb.describe_load_balancer_attributes(
            LoadBalancerArn=lb["LoadBalancerArn"])["Attributes"]}
        n = {x["Key"]: x["Value"] for x in self.elb.describe_load_balancer_attributes(
            LoadBalancerArn=nlb["LoadBalancerArn"])["Attributes"]}
        self.assertEqual(a["idle_timeout.timeout_seconds"], "60")
        self.assertEqual(a["deletion_protection.enabled"], "false")
        self.assertEqual(n["load_balancing.cross_zone.enabled"], "false")
        self.assertNotIn("idle_timeout.timeout_seconds", n)
        self.assertAwsError("InvalidConfigurationRequest",
                            "Load balancer attribute key 'bogus.key' is not recognized",
                            self.elb.modify_load_balancer_attributes,
                            LoadBalancerArn=lb["LoadBalancerArn"],
                            Attributes=[{"Key": "bogus.key", "Value": "1"}])
        self.assertAwsError("ValidationError",
                            "Load balancer attribute 'deletion_protection.enabled' value "
                            "must be either 'true' or 'false'",
                            self.elb.modify_load_balancer_attributes,
                            LoadBalancerArn=lb["LoadBalancerArn"],
                            Attributes=[{"Key": "deletion_protection.enabled",
                                         "Value": "yes"}])
        out = self.elb.modify_load_balancer_attributes(
            LoadBalancerArn=lb["LoadBalancerArn"],
            Attributes=[{"Key": "idle_timeout.timeout_seconds", "Value": "120"}])
        self.assertEqual(len(out["Attributes"]), len(a))   # full list comes back

    def test_nlb_security_groups_only_if_created_with(self):
        nlb = self.nlb()
        sg = self.ec2.describe_security_groups(Filters=[
            {"Name": "vpc-id", "Values": [self.net()["vpc"]]}])["SecurityGroups"][0]["GroupId"]
        self.assertAwsError("InvalidConfigurationRequest",
                            "You cannot set security groups on a Network Load Balancer "
                            "which was created with no security groups",
                            self.elb.set_security_groups,
                            LoadBalancerArn=nlb["LoadBalancerArn"], SecurityGroups=[sg])


class TargetGroups(Case):
    def test_timeout_smaller_than_interval(self):
        self.assertAwsError("ValidationError",
                            "Health check timeout '10' must be smaller than the interval '5'",
                            self.tg, HealthCheckIntervalSeconds=5, HealthCheckTimeoutSeconds=10)

    def test_tg_attribute_defaults(self):
        h = self.tg("h")
        t = self.tg("t", protocol="TCP")
        ha = {x["Key"]: x["Value"] for x in self.elb.describe_target_group_attributes(
            TargetGroupArn=h["TargetGroupArn"])["Attributes"]}
        ta = {x["Key"]: x["Value"] for x in self.elb.describe_target_group_attributes(
            TargetGroupArn=t["TargetGroupArn"])["Attributes"]}
        self.assertEqual(ha["stickiness.type"], "lb_cookie")
        self.assertEqual(ta["stickiness.type"], "source_ip")
        self.assertEqual(ha["deregistration_delay.timeout_seconds"], "300")

    def test_targets_by_id_and_port_and_health(self):
        lb = self.alb()
        t = self.tg()
        arn = t["TargetGroupArn"]
        self.elb.register_targets(TargetGroupArn=arn, Targets=[
            {"Id": "10.0.0.1", "Port": 80}, {"Id": "10.0.0.1", "Port": 8080}])
        h = self.elb.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
        self.assertEqual(sorted(x["Target"]["Port"] for x in h), [80, 8080])
        self.assertEqual({x["TargetHealth"]["State"] for x in h}, {"unused"})
        self.listener(lb, t)
        h = self.elb.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
        self.assertEqual({x["TargetHealth"]["State"] for x in h}, {"healthy"})
        # deregistering an unknown target succeeds
        self.elb.deregister_targets(TargetGroupArn=arn, Targets=[{"Id": "10.9.9.9"}])
        self.elb.deregister_targets(TargetGroupArn=arn, Targets=[{"Id": "10.0.0.1",
                                                                  "Port": 80}])
        h = self.elb.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
        self.assertEqual([x["Target"]["Port"] for x in h], [8080])

    def test_missing_tg_name(self):
        self.assertAwsError("TargetGroupNotFound", "One or more target groups not found",
                            self.elb.describe_target_groups, Names=["nope"])


class Listeners(Case):
    def test_alb_listener_protocol(self):
        lb = self.alb()
        t = self.tg()
        self.assertAwsError("ValidationError",
                            "Listener protocol 'TCP' must be one of 'HTTPS, HTTP'",
                            self.listener, lb, t, 80, "TCP")

    def test_incompatible_protocols(self):
        nlb = self.nlb()
        t = self.tg("http-tg")
        self.assertAwsError("IncompatibleProtocols",
                            lambda m: m.startswith("The listener and its associated target "
                                                   "group '%s'" % t["TargetGroupArn"]),
                            self.listener, nlb, t, 80, "TCP")

    def test_forward_to_missing_tg(self):
        lb = self.alb()
        arn = "arn:aws:elasticloadbalancing:%s:123456789012:targetgroup/x/0123456789abcdef" % REGION
        self.assertAwsError("TargetGroupNotFound", "Target group '%s' not found" % arn,
                            self.elb.create_listener, LoadBalancerArn=lb["LoadBalancerArn"],
                            Protocol="HTTP", Port=80,
                            DefaultActions=[{"Type": "forward", "TargetGroupArn": arn}])

    def test_https_needs_certificate_and_downgrade_clears_it(self):
        lb = self.alb()
        t = self.tg()
        self.assertAwsError("ValidationError",
                            "A certificate must be specified for HTTPS listeners",
                            self.listener, lb, t, 443, "HTTPS")
        li = self.listener(lb, t, 443, "HTTPS", Certificates=[{"CertificateArn": CERT}])
        self.assertEqual(li["SslPolicy"], "ELBSecurityPolicy-2016-08")
        out = self.elb.modify_listener(ListenerArn=li["ListenerArn"], Protocol="HTTP",
                                       Port=80)["Listeners"][0]
        self.assertNotIn("SslPolicy", out)
        self.assertNotIn("Certificates", out)

    def test_nlb_actions_forward_only(self):
        nlb = self.nlb()
        self.assertAwsError("InvalidLoadBalancerAction",
                            "Action type 'fixed-response' must be one of 'forward'",
                            self.elb.create_listener, LoadBalancerArn=nlb["LoadBalancerArn"],
                            Protocol="TCP", Port=80, DefaultActions=[{
                                "Type": "fixed-response",
                                "FixedResponseConfig": {"StatusCode": "404"}}])

    def test_fixed_response_status(self):
        lb = self.alb()
        self.assertAwsError("InvalidLoadBalancerAction",
                            "Fixed response status code '302' must be a 2XX, 4XX or 5XX code",
                            self.elb.create_listener, LoadBalancerArn=lb["LoadBalancerArn"],
                            Protocol="HTTP", Port=80, DefaultActions=[{
                                "Type": "fixed-response",
                                "FixedResponseConfig": {"StatusCode": "302"}}])

    def test_listener_attributes_nlb(self):
        nlb = self.nlb()
        t = self.tg("t", protocol="TCP")
        li = self.listener(nlb, t, 80, "TCP")
        got = self.elb.describe_listener_attributes(ListenerArn=li["ListenerArn"])
        self.assertEqual({x["Key"]: x["Value"] for x in got["Attributes"]},
                         {"tcp.idle_timeout.seconds": "350"})

    def test_describe_listeners_needs_selector(self):
        self.assertAwsError("ValidationError",
                            "You must specify either listener ARNs or a load balancer ARN",
                            self.elb.describe_listeners)


class Rules(Case):
    def setUp(self):
        super().setUp()
        self.lb = self.alb()
        self.t = self.tg()
        self.li = self.listener(self.lb, self.t)

    def create(self, conds, prio=1):
        return self.elb.create_rule(ListenerArn=self.li["ListenerArn"], Priority=prio,
                                    Conditions=conds, Actions=[{
                                        "Type": "forward",
                                        "TargetGroupArn": self.t["TargetGroupArn"]}])

    def test_condition_value_required(self):
        self.assertAwsError("ValidationError", "A condition value must be specified",
                            self.create, [{"Field": "path-pattern",
                                           "PathPatternConfig": {"Values": []}}])

    def test_condition_field_required(self):
        self.assertAwsError("ValidationError", "A condition field must be specified",
                            self.create, [{"PathPatternConfig": {"Values": ["/a"]}}])

    def test_values_and_config_together(self):
        self.assertAwsError("ValidationError",
                            "You cannot provide both Values and 'HostHeaderConfig' for a "
                            "condition of type 'host-header'",
                            self.create, [{"Field": "host-header", "Values": ["a.example.com"],
                                           "HostHeaderConfig": {"Values": ["b.example.com"]}}])

    def test_default_rule_cannot_be_deleted(self):
        rules = self.elb.describe_rules(ListenerArn=self.li["ListenerArn"])["Rules"]
        self.assertEqual(rules[0]["Priority"], "default")
        self.assertAwsError("OperationNotPermitted", "You can't delete the default rule",
                            self.elb.delete_rule, RuleArn=rules[0]["RuleArn"])

    def test_delete_unknown_rule(self):
        arn = self.li["ListenerArn"].replace(":listener/", ":listener-rule/") + "/00000000deadbeef"
        self.assertAwsError("RuleNotFound", None, self.elb.delete_rule, RuleArn=arn)

    def test_modify_rule_replaces_lists(self):
        r = self.create([{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/a"]}},
                         {"Field": "host-header", "HostHeaderConfig": {"Values": ["h"]}}])
        r = r["Rules"][0]
        out = self.elb.modify_rule(RuleArn=r["RuleArn"], Conditions=[
            {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/b"]}}])["Rules"][0]
        self.assertEqual([c["Field"] for c in out["Conditions"]], ["path-pattern"])
        self.assertEqual(out["Conditions"][0]["PathPatternConfig"]["Values"], ["/b"])

    def test_rule_on_nlb_listener(self):
        nlb = self.nlb()
        t = self.tg("tcp", protocol="TCP")
        li = self.listener(nlb, t, 80, "TCP")
        self.assertAwsError("ValidationError",
                            "The listener must be associated with an Application Load Balancer",
                            self.elb.create_rule, ListenerArn=li["ListenerArn"], Priority=1,
                            Conditions=[{"Field": "path-pattern",
                                         "PathPatternConfig": {"Values": ["/"]}}],
                            Actions=[{"Type": "forward",
                                      "TargetGroupArn": t["TargetGroupArn"]}])

    def test_too_many_rules_quota(self):
        self.need_fakeaws("quota override")
        self.fa.set_quotas(**{"rules-per-application-load-balancer": 2})
        self.create([{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/1"]}}], 1)
        self.create([{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/2"]}}], 2)
        self.assertAwsError("TooManyRules",
                            "The maximum number of rules per load balancer has been reached",
                            self.create, [{"Field": "path-pattern",
                                           "PathPatternConfig": {"Values": ["/3"]}}], 3)


class QuotasAndTypeRules(Case):
    def test_listener_and_target_group_quotas(self):
        self.need_fakeaws("quota override")
        self.fa.set_quotas(**{"listeners-per-application-load-balancer": 1,
                              "target-groups": 2})
        lb = self.alb()
        t = self.tg("q1")
        self.tg("q2")
        self.assertAwsError("TooManyTargetGroups",
                            "The quota for the number of target groups has been reached",
                            self.tg, "q3")
        self.listener(lb, t, 80)
        self.assertAwsError("TooManyListeners",
                            "You've reached the limit on the number of listeners per "
                            "load balancer", self.listener, lb, t, 81)

    def test_names_and_arns_together(self):
        lb = self.alb()
        self.assertAwsError("ValidationError",
                            "Load balancer names and load balancer ARNs cannot be "
                            "specified at the same time", self.elb.describe_load_balancers,
                            Names=["alb1"], LoadBalancerArns=[lb["LoadBalancerArn"]])

    def test_certificate_on_http_listener(self):
        lb = self.alb()
        t = self.tg()
        self.assertAwsError("ValidationError",
                            "A certificate cannot be specified for HTTP listeners",
                            self.listener, lb, t, 80, "HTTP",
                            Certificates=[{"CertificateArn": CERT}])

    def test_internal_nlb_must_be_ipv4(self):
        self.assertAwsError("InvalidConfigurationRequest",
                            "Internal load balancers must use the 'ipv4' IP address type",
                            self.nlb, Scheme="internal", IpAddressType="dualstack",
                            Subnets=self.net()["private"][:1])

    def test_nlb_stickiness_duration_rejected(self):
        nlb = self.nlb()
        t = self.tg("tcp", protocol="TCP")
        self.assertAwsError(
            "ValidationError",
            "You cannot specify a target group stickiness duration on load balancers "
            "of type 'network'", self.elb.create_listener,
            LoadBalancerArn=nlb["LoadBalancerArn"], Protocol="TCP", Port=80,
            DefaultActions=[{"Type": "forward", "ForwardConfig": {
                "TargetGroups": [{"TargetGroupArn": t["TargetGroupArn"]}],
                "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 60}}}])

    def test_tcp_health_check_on_http_target_group(self):
        self.assertAwsError("ValidationError",
                            "Health check protocol 'TCP' is not supported for target "
                            "groups with the 'HTTP' protocol", self.tg,
                            HealthCheckProtocol="TCP")


class OtherActions(Case):
    """Smoke coverage of the remaining actions, parsed by botocore."""

    def test_set_subnets_ip_type_security_groups(self):
        lb = self.alb()
        arn = lb["LoadBalancerArn"]
        out = self.elb.set_subnets(LoadBalancerArn=arn, Subnets=self.net()["public"])
        self.assertEqual(len(out["AvailabilityZones"]), 3)
        self.assertEqual(self.elb.set_ip_address_type(
            LoadBalancerArn=arn, IpAddressType="dualstack")["IpAddressType"], "dualstack")
        vpc = self.net()["vpc"]
        gid = self.ec2.create_security_group(GroupName="x", Description="x",
                                             VpcId=vpc)["GroupId"]
        out = self.elb.set_security_groups(LoadBalancerArn=arn, SecurityGroups=[gid])
        self.assertEqual(out["SecurityGroupIds"], [gid])
        got = self.elb.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]
        self.assertEqual(got["SecurityGroups"], [gid])
        self.assertEqual(got["IpAddressType"], "dualstack")
        self.assertEqual(got["State"]["Code"], "active")

    def test_listener_certificates(self):
        lb = self.alb()
        t = self.tg()
        li = self.listener(lb, t, 443, "HTTPS", Certificates=[{"CertificateArn": CERT}])
        extra = CERT + "2"
        self.elb.add_listener_certificates(ListenerArn=li["ListenerArn"],
                                           Certificates=[{"CertificateArn": extra}])
        self.elb.add_listener_certificates(ListenerArn=li["ListenerArn"],
                                           Certificates=[{"CertificateArn": extra}])
        got = self.elb.describe_listener_certificates(ListenerArn=li["ListenerArn"])
        self.assertEqual([(c["CertificateArn"], c["IsDefault"]) for c in got["Certificates"]],
                         [(CERT, True), (extra, False)])
        self.assertAwsError("OperationNotPermitted", None,
                            self.elb.remove_listener_certificates,
                            ListenerArn=li["ListenerArn"],
                            Certificates=[{"CertificateArn": CERT}])
        self.elb.remove_listener_certificates(ListenerArn=li["ListenerArn"],
                                              Certificates=[{"CertificateArn": extra}])
        got = self.elb.describe_listener_certificates(ListenerArn=li["ListenerArn"])
        self.assertEqual(len(got["Certificates"]), 1)
        pols = self.elb.describe_ssl_policies(Names=["ELBSecurityPolicy-2016-08"])
        self.assertEqual(pols["SslPolicies"][0]["Name"], "ELBSecurityPolicy-2016-08")

    def test_modify_target_group_and_attributes(self):
        t = self.tg()
        out = self.elb.modify_target_group(TargetGroupArn=t["TargetGroupArn"],
                                           HealthCheckPath="/healthz",
                                           HealthCheckIntervalSeconds=10,
                                           HealthCheckTimeoutSeconds=5,
                                           Matcher={"HttpCode": "200-299"})["TargetGroups"][0]
        self.assertEqual((out["HealthCheckPath"], out["HealthCheckIntervalSeconds"],
                          out["Matcher"]["HttpCode"]), ("/healthz", 10, "200-299"))
        out = self.elb.modify_target_group_attributes(
            TargetGroupArn=t["TargetGroupArn"],
            Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}])
        got = {a["Key"]: a["Value"] for a in out["Attributes"]}
        self.assertEqual(got["deregistration_delay.timeout_seconds"], "30")
        self.assertAwsError("ValidationError", None, self.elb.modify_target_group_attributes,
                            TargetGroupArn=t["TargetGroupArn"],
                            Attributes=[{"Key": "stickiness.type", "Value": "source_ip"}])

    def test_redirect_and_fixed_response_defaults(self):
        lb = self.alb()
        li = self.elb.create_listener(
            LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
            DefaultActions=[{"Type": "redirect", "RedirectConfig": {
                "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])["Listeners"][0]
        rc = li["DefaultActions"][0]["RedirectConfig"]
        self.assertEqual((rc["Host"], rc["Path"], rc["Query"]), ("#{host}", "/#{path}", "#{query}"))
        li2 = self.elb.create_listener(
            LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=8080,
            DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {
                "StatusCode": "404", "ContentType": "text/plain",
                "MessageBody": "nf"}}])["Listeners"][0]
        self.assertEqual(li2["DefaultActions"][0]["FixedResponseConfig"]["MessageBody"], "nf")
        self.elb.delete_listener(ListenerArn=li2["ListenerArn"])
        self.assertAwsError("ListenerNotFound", None, self.elb.delete_listener,
                            ListenerArn=li2["ListenerArn"])


class Tags(Case):
    def test_tags_roundtrip_and_limits(self):
        lb = self.alb()
        arn = lb["LoadBalancerArn"]
        self.elb.add_tags(ResourceArns=[arn], Tags=[{"Key": "a", "Value": "1"}])
        self.elb.add_tags(ResourceArns=[arn], Tags=[{"Key": "a", "Value": "2"},
                                                    {"Key": "b", "Value": ""}])
        got = self.elb.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]
        self.assertEqual({t["Key"]: t["Value"] for t in got}, {"a": "2", "b": ""})
        self.elb.remove_tags(ResourceArns=[arn], TagKeys=["a"])
        got = self.elb.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]
        self.assertEqual([t["Key"] for t in got], ["b"])
        self.assertAwsError("DuplicateTagKeys", "Tag key 'k' is duplicated",
                            self.elb.add_tags, ResourceArns=[arn],
                            Tags=[{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}])
        self.assertAwsError("TooManyTags", None, self.elb.add_tags, ResourceArns=[arn],
                            Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(50)])


if __name__ == "__main__":
    unittest.main()
