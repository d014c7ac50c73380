"""The EC2 subset: fixtures, filters, security groups, tags, EC2 error shape."""

import unittest
import xml.etree.ElementTree as ET

from support import Case, REGION, raw_post


class Ec2(Case):
    def test_fixture_discovery_filters(self):
        self.need_fakeaws("default fixtures")
        pub = self.ec2.describe_subnets(Filters=[
            {"Name": "tag:kubernetes.io/role/elb", "Values": ["1"]},
            {"Name": "tag:kubernetes.io/cluster/demo", "Values": ["shared", "owned"]}])
        self.assertEqual(len(pub["Subnets"]), 3)
        self.assertEqual(sorted(s["AvailabilityZone"] for s in pub["Subnets"]),
                         [REGION + "a", REGION + "b", REGION + "c"])
        priv = self.ec2.describe_subnets(Filters=[
            {"Name": "tag-key", "Values": ["kubernetes.io/role/internal-elb"]}])
        self.assertEqual(len(priv["Subnets"]), 3)
        vpcs = self.ec2.describe_vpcs()["Vpcs"]
        self.assertEqual(len(vpcs), 1)
        one = self.ec2.describe_subnets(SubnetIds=[pub["Subnets"][0]["SubnetId"]])
        self.assertEqual(len(one["Subnets"]), 1)
        code, msg = self.err(self.ec2.describe_subnets, SubnetIds=["subnet-0000dead"])
        self.assertEqual(code, "InvalidSubnetID.NotFound")
        self.assertEqual(msg, "The subnet ID 'subnet-0000dead' does not exist")

    def test_security_group_lifecycle(self):
        vpc = self.net()["vpc"]
        gid = self.ec2.create_security_group(
            GroupName="gw-sg", Description="gw sg", VpcId=vpc,
            TagSpecifications=[{"ResourceType": "security-group",
                                "Tags": [{"Key": "a", "Value": "b"}]}])["GroupId"]
        code, _ = self.err(self.ec2.create_security_group, GroupName="gw-sg",
                           Description="again", VpcId=vpc)
        self.assertEqual(code, "InvalidGroup.Duplicate")
        perm = {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "http"}]}
        self.ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[perm])
        code, _ = self.err(self.ec2.authorize_security_group_ingress, GroupId=gid,
                           IpPermissions=[perm])
        self.assertEqual(code, "InvalidPermission.Duplicate")
        g = self.ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"][0]
        self.assertEqual(g["IpPermissions"][0]["FromPort"], 80)
        self.assertEqual(g["IpPermissions"][0]["IpRanges"][0]["CidrIp"], "0.0.0.0/0")
        self.assertEqual({t["Key"]: t["Value"] for t in g["Tags"]}, {"a": "b"})
        got = self.ec2.describe_security_groups(Filters=[
            {"Name": "tag:a", "Values": ["b"]}])["SecurityGroups"]
        self.assertEqual([x["GroupId"] for x in got], [gid])
        self.ec2.revoke_security_group_ingress(GroupId=gid, IpPermissions=[perm])
        code, _ = self.err(self.ec2.revoke_security_group_ingress, GroupId=gid,
                           IpPermissions=[perm])
        self.assertEqual(code, "InvalidPermission.NotFound")
        self.ec2.create_tags(Resources=[gid], Tags=[{"Key": "c", "Value": "d"}])
        self.ec2.delete_tags(Resources=[gid], Tags=[{"Key": "a"}])
        g = self.ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"][0]
        self.assertEqual({t["Key"]: t["Value"] for t in g["Tags"]}, {"c": "d"})
        self.ec2.delete_security_group(GroupId=gid)
        code, _ = self.err(self.ec2.describe_security_groups, GroupIds=[gid])
        self.assertEqual(code, "InvalidGroup.NotFound")

    def test_sg_in_use_by_lb(self):
        vpc = self.net()["vpc"]
        gid = self.ec2.create_security_group(GroupName="lb-sg", Description="d",
                                             VpcId=vpc)["GroupId"]
        self.alb(SecurityGroups=[gid])
        code, msg = self.err(self.ec2.delete_security_group, GroupId=gid)
        self.assertEqual(code, "DependencyViolation")

    def test_ec2_error_xml_shape(self):
        st, data = raw_post({"Action": "DescribeSecurityGroups", "Version": "2016-11-15",
                             "GroupId.1": "sg-0000dead"}, service="ec2")
        self.assertEqual(st, 400)
        root = ET.fromstring(data)
        self.assertEqual(root.tag, "Response")
        self.assertEqual(root.find("Errors/Error/Code").text, "InvalidGroup.NotFound")
        self.assertTrue(root.find("RequestID").text)

    def test_unknown_ec2_parameter(self):
        self.need_fakeaws("botocore request validation")
        if not self.fa.control("GET", "health")["botocore_validation"]:
            self.skipTest("server runs without botocore validation")
        st, data = raw_post({"Action": "DescribeSubnets", "Version": "2016-11-15",
                             "SubnetIdd.1": "x"}, service="ec2")
        self.assertEqual(st, 400)
        self.assertIn(b"<Code>UnknownParameter</Code>", data)


if __name__ == "__main__":
    unittest.main()
