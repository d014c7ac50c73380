"""ELBv2 (Version 2015-12-01) state and actions.

Semantics follow AWS as docs/aws.md and tests/fakeaws/README.md describe
them (idempotent creates, name and quota rules, ALB/NLB differences).  Every
handler takes the parameter tree (params.tree) and returns the Result body as
plain data for xmlout, or raises AwsError."""

import base64
import datetime
import ipaddress
import re

from .errors import AwsError, validation, constraint_message
from .params import as_list, as_int, as_bool
from .elbv2_attrs import (lb_attribute_defaults, tg_attribute_defaults,
                          listener_attribute_defaults, check_attr_value)

NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

ALB_LISTENER_PROTOCOLS = ["HTTPS", "HTTP"]
NLB_LISTENER_PROTOCOLS = ["TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"]
TG_PROTOCOLS = ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE",
                "QUIC", "TCP_QUIC"]
TARGET_TYPES = ["instance", "ip", "lambda", "alb"]
ACTION_TYPES = ["forward", "authenticate-oidc", "authenticate-cognito",
                "redirect", "fixed-response", "jwt-validation"]
CONDITION_FIELDS = ["http-header", "http-request-method", "host-header",
                    "path-pattern", "query-string", "source-ip"]
FIXED_CONTENT_TYPES = ["text/plain", "text/css", "text/html",
                       "application/javascript", "application/json"]
SSL_POLICIES = [
    "ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10", "ELBSecurityPolicy-2015-05",
    "ELBSecurityPolicy-TLS-1-0-2015-04", "ELBSecurityPolicy-TLS-1-1-2017-01",
]
DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08"
ZONE_IDS = {  # (ALB, NLB) canonical hosted zone ids per region
    "us-east-1": ("Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"),
    "us-east-2": ("Z3AADJGX6KTTL2", "ZLMOA37VPKANP"),
    "us-west-1": ("Z368ELLRRE2KJ0", "Z24FKFUX50B4VW"),
    "us-west-2": ("Z1H1FL5HABSF5", "Z18D5FSROUN65G"),
    "eu-west-1": ("Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F"),
    "eu-central-1": ("Z215JYRZR1TBD5", "Z3F0SRJ5LGBH90"),
}
NAME_RE = re.compile(r"^[A-Za-z0-9-]*$")

MUTATING_PREFIXES = ("Create", "Delete", "Modify", "Set", "Add", "Remove",
                     "Register", "Deregister")


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def enum_error(value, path, allowed):
    return validation(constraint_message([
        "Value '%s' at '%s' failed to satisfy constraint: Member must satisfy "
        "enum value set: [%s]" % (value, path, ", ".join(allowed))]))


def range_error(value, path, lo=None, hi=None):
    if hi is not None and value > hi:
        c = "Member must have value less than or equal to %d" % hi
    else:
        c = "Member must have value greater than or equal to %d" % lo
    return validation(constraint_message([
        "Value '%s' at '%s' failed to satisfy constraint: %s" % (value, path, c)]))


def _check_range(value, path, lo, hi):
    if value is not None and (value < lo or value > hi):
        raise range_error(value, path, lo, hi)


def _lb_kind(lb_type):
    return "net" if lb_type == "network" else "app"


class Elbv2Backend:
    """ELBv2 state of one account/region."""

    def __init__(self, region, account, ids, config, ec2):
        self.region = region
        self.account = account
        self.ids = ids          # ids.hex16(), ids.digits(n)
        self.config = config    # .quotas dict, .nlb_weights, .target_health
        self.ec2 = ec2
        self.lbs = {}           # arn -> lb
        self.listeners = {}     # arn -> listener
        self.rules = {}         # arn -> rule
        self.tgs = {}           # arn -> tg
        self.tags = {}          # arn -> {key: value}

    # helpers -------------------------------------------------------------------

    def q(self, name):
        return int(self.config.quotas[name])

    def _arn(self, rest):
        return "arn:aws:elasticloadbalancing:%s:%s:%s" % (
            self.region, self.account, rest)

    def _lb_by_name(self, name):
        for lb in self.lbs.values():
            if lb["LoadBalancerName"] == name:
                return lb
        return None

    def _tg_by_name(self, name):
        for tg in self.tgs.values():
            if tg["TargetGroupName"] == name:
                return tg
        return None

    def get_lb(self, arn):
        lb = self.lbs.get(arn)
        if lb is None:
            raise AwsError("LoadBalancerNotFound",
                           "Load balancer '%s' not found" % arn)
        return lb

    def get_listener(self, arn):
        li = self.listeners.get(arn)
        if li is None:
            raise AwsError("ListenerNotFound", "Listener '%s' not found" % arn)
        return li

    def get_rule(self, arn):
        r = self.rules.get(arn)
        if r is None:
            raise AwsError("RuleNotFound", "One or more rules not found")
        return r

    def get_tg(self, arn):
        tg = self.tgs.get(arn)
        if tg is None:
            raise AwsError("TargetGroupNotFound",
                           "Target group '%s' not found" % arn)
        return tg

    def _arn_limit(self, arns, path):
        n = self.q("arns-per-describe-call")
        if len(arns) > n:
            raise validation(constraint_message([
                "Value '[%s]' at '%s' failed to satisfy constraint: Member "
                "must have length less than or equal to %d"
                % (", ".join(arns), path, n)]))

    def _page(self, items, p, key):
        size = as_int(p.get("PageSize"), "PageSize")
        _check_range(size, "pageSize", 1, 400)
        size = size or 400
        start = 0
        marker = p.get("Marker")
        if marker:
            try:
                start = int(base64.b64decode(marker).decode().split(":")[1])
            except Exception:
                raise validation("Invalid Marker '%s'" % marker)
        page = items[start:start + size]
        out = {key: page}
        if start + size < len(items):
            out["NextMarker"] = base64.b64encode(
                ("%s:%d" % (key, start + size)).encode()).decode()
        return out

    def _check_tags(self, tags, existing=None):
        keys = [t.get("Key") for t in tags]
        for k in keys:
            if k is None or k == "":
                raise validation(constraint_message([
                    "Value null at 'tags.member.key' failed to satisfy "
                    "constraint: Member must not be null"]))
            if k.startswith("aws:"):
                raise validation("Tag keys starting with 'aws:' are reserved "
                                 "for internal use")
        seen = set()
        for k in keys:
            if k in seen:
                raise AwsError("DuplicateTagKeys",
                               "Tag key '%s' is duplicated" % k)
            seen.add(k)
        total = set(existing or ()) | seen
        if len(total) > self.q("tags-per-resource"):
            raise AwsError("TooManyTags",
                           "The quota for the number of tags that can be "
                           "assigned to a resource has been reached")

    def _tag_dict(self, tags):
        return {t.get("Key"): t.get("Value") or "" for t in tags}

    # load balancers ------------------------------------------------------------

    def _resolve_subnets(self, lb_type, p):
        subnets = as_list(p.get("Subnets"))
        mappings = as_list(p.get("SubnetMappings"))
        if subnets and mappings:
            raise validation("You can specify subnets or subnet mappings, "
                             "but not both")
        if not mappings:
            mappings = [{"SubnetId": s} for s in subnets]
        out, azs, vpcs = [], set(), set()
        for m in mappings:
            sid = m.get("SubnetId")
            sn = self.ec2.subnet(sid)
            if sn is None:
                raise AwsError("SubnetNotFound",
                               "The subnet ID '%s' is not valid" % sid)
            if sn["availabilityZone"] in azs:
                raise AwsError("InvalidConfigurationRequest",
                               "A load balancer cannot be attached to multiple "
                               "subnets in the same Availability Zone")
            if lb_type == "application" and (m.get("AllocationId") or
                                             m.get("PrivateIPv4Address")):
                raise validation("You cannot specify Elastic IP addresses or "
                                 "private IPv4 addresses for load balancers of "
                                 "type 'application'")
            azs.add(sn["availabilityZone"])
            vpcs.add(sn["vpcId"])
            az = {"ZoneName": sn["availabilityZone"], "SubnetId": sid}
            addr = {}
            if m.get("AllocationId"):
                addr["AllocationId"] = m["AllocationId"]
            if m.get("PrivateIPv4Address"):
                addr["PrivateIPv4Address"] = m["PrivateIPv4Address"]
            if addr:
                az["LoadBalancerAddresses"] = [addr]
            out.append(az)
        if len(vpcs) > 1:
            raise AwsError("InvalidConfigurationRequest",
                           "All subnets must belong to the same VPC")
        if lb_type == "application" and len(out) < 2:
            raise validation("At least two subnets in two different "
                             "Availability Zones must be specified")
        if not out:
            raise validation("At least one subnet must be specified")
        return out, vpcs.pop()

    def _resolve_sgs(self, sgs, vpc):
        for sg in sgs:
            g = self.ec2.security_group(sg)
            if g is None or g["vpcId"] != vpc:
                raise AwsError("InvalidSecurityGroup",
                               "Security group '%s' does not exist" % sg)
        return list(sgs)

    @staticmethod
    def _check_name(kind, name):
        if len(name) > 32:
            raise validation("%s name '%s' cannot be longer than '32' "
                             "characters" % (kind, name))
        if not NAME_RE.match(name):
            raise validation("%s name '%s' can only contain characters that "
                             "are alphanumeric characters or hyphens(-)"
                             % (kind, name))
        if name.startswith("-") or name.endswith("-"):
            raise validation("%s name '%s' cannot begin or end with '-'"
                             % (kind, name))

    def CreateLoadBalancer(self, p):
        name = p.get("Name") or ""
        if not name:
            raise validation(constraint_message([
                "Value null at 'name' failed to satisfy constraint: Member "
                "must not be null"]))
        self._check_name("Load balancer", name)
        if name.startswith("internal-"):
            raise validation("Load balancer name '%s' cannot begin with "
                             "'internal-'" % name)
        lb_type = p.get("Type") or "application"
        if lb_type not in ("application", "network", "gateway"):
            raise enum_error(lb_type, "type", ["application", "network", "gateway"])
        if lb_type == "gateway":
            raise AwsError("InvalidConfigurationRequest",
                           "fakeaws does not emulate Gateway Load Balancers")
        scheme = p.get("Scheme") or "internet-facing"
        if scheme not in ("internet-facing", "internal"):
            raise enum_error(scheme, "scheme", ["internet-facing", "internal"])
        ip_type = p.get("IpAddressType") or "ipv4"
        allowed = (["ipv4", "dualstack", "dualstack-without-public-ipv4"]
                   if lb_type == "application" else ["ipv4", "dualstack"])
        if ip_type not in allowed:
            if ip_type in ("ipv4", "dualstack", "dualstack-without-public-ipv4"):
                raise AwsError("InvalidConfigurationRequest",
                               "IP address type '%s' is not supported for load "
                               "balancers of type '%s'" % (ip_type, lb_type))
            raise enum_error(ip_type, "ipAddressType",
                             ["ipv4", "dualstack", "dualstack-without-public-ipv4"])
        if lb_type == "network" and scheme == "internal" and ip_type != "ipv4":
            raise AwsError("InvalidConfigurationRequest",
                           "Internal load balancers must use the 'ipv4' IP "
                           "address type")
        azs, vpc = self._resolve_subnets(lb_type, p)
        if lb_type == "network" and scheme == "internet-facing":
            for az in azs:
                for a in az.get("LoadBalancerAddresses", []):
                    if a.get("PrivateIPv4Address"):
                        raise validation("Private IPv4 addresses can only be "
                                         "specified for internal load balancers")
        if lb_type == "network" and scheme == "internal":
            for az in azs:
                for a in az.get("LoadBalancerAddresses", []):
                    if a.get("AllocationId"):
                        raise validation("Elastic IP addresses can only be "
                                         "specified for internet-facing load "
                                         "balancers")
        sg_param = p.get("SecurityGroups")
        sgs = as_list(sg_param)
        if sgs:
            sgs = self._resolve_sgs(sgs, vpc)
        elif lb_type == "application":
            d = self.ec2.default_security_group(vpc)
            sgs = [d] if d else []
        else:
            sgs = None
        tags = as_list(p.get("Tags"))
        self._check_tags(tags)
        settings = {"Type": lb_type, "Scheme": scheme, "IpAddressType": ip_type,
                    "VpcId": vpc,
                    "Subnets": sorted(a["SubnetId"] for a in azs),
                    "SecurityGroups": sorted(sgs) if sgs is not None else None}
        existing = self._lb_by_name(name)
        if existing is not None:
            if existing["_settings"] == settings:
                return {"LoadBalancers": [self._lb_out(existing)]}
            raise AwsError("DuplicateLoadBalancerName",
                           "A load balancer with the same name '%s' exists, but "
                           "with different settings" % name)
        quota = ("network-load-balancers" if lb_type == "network"
                 else "application-load-balancers")
        if sum(1 for x in self.lbs.values() if x["Type"] == lb_type) >= self.q(quota):
            raise AwsError("TooManyLoadBalancers",
                           "The quota for the number of load balancers has "
                           "been reached")
        lb_id = self.ids.hex16()
        arn = self._arn("loadbalancer/%s/%s/%s" % (_lb_kind(lb_type), name, lb_id))
        zone = ZONE_IDS.get(self.region, ZONE_IDS["us-east-1"])
        if lb_type == "network":
            dns = "%s-%s.elb.%s.amazonaws.com" % (name, self.ids.hex16(), self.region)
        else:
            dns = "%s%s-%s.%s.elb.amazonaws.com" % (
                "internal-" if scheme == "internal" else "", name,
                self.ids.digits(10), self.region)
        lb = {
            "LoadBalancerArn": arn, "DNSName": dns,
            "CanonicalHostedZoneId": zone[1 if lb_type == "network" else 0],
            "CreatedTime": _iso(_now()), "LoadBalancerName": name,
            "Scheme": scheme, "VpcId": vpc, "Type": lb_type,
            "AvailabilityZones": azs, "SecurityGroups": sgs,
            "IpAddressType": ip_type,
            "_created": _now().timestamp(), "_settings": settings,
            "_attrs": lb_attribute_defaults(lb_type, scheme),
            "_enforce_privatelink": None,
        }
        self.lbs[arn] = lb
        self.tags[arn] = self._tag_dict(tags)
        out = self._lb_out(lb)
        out["State"] = {"Code": "provisioning"}
        return {"LoadBalancers": [out]}

    def _lb_state(self, lb):
        delay = float(self.config.lb_provisioning_seconds)
        if _now().timestamp() - lb["_created"] < delay:
            return "provisioning"
        return "active"

    def _lb_out(self, lb):
        out = {k: lb[k] for k in ("LoadBalancerArn", "DNSName",
                                  "CanonicalHostedZoneId", "CreatedTime",
                                  "LoadBalancerName", "Scheme", "VpcId")}
        out["State"] = {"Code": self._lb_state(lb)}
        out["Type"] = lb["Type"]
        out["AvailabilityZones"] = lb["AvailabilityZones"]
        if lb["SecurityGroups"] is not None:
            out["SecurityGroups"] = lb["SecurityGroups"]
        out["IpAddressType"] = lb["IpAddressType"]
        if lb["_enforce_privatelink"] is not None:
            out["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] = \
                lb["_enforce_privatelink"]
        return out

    def DescribeLoadBalancers(self, p):
        arns = as_list(p.get("LoadBalancerArns"))
        names = as_list(p.get("Names"))
        if arns and names:
            raise validation("Load balancer names and load balancer ARNs cannot "
                             "be specified at the same time")
        self._arn_limit(arns, "loadBalancerArns")
        if arns:
            missing = [a for a in arns if a not in self.lbs]
            if missing:
                raise AwsError("LoadBalancerNotFound",
                               "One or more load balancers not found")
            items = [self.lbs[a] for a in dict.fromkeys(arns)]
        elif names:
            missing = [n for n in names if self._lb_by_name(n) is None]
            if missing:
                raise AwsError("LoadBalancerNotFound",
                               "Load balancers '[%s]' not found"
                               % ", ".join(missing))
            items = [self._lb_by_name(n) for n in dict.fromkeys(names)]
        else:
            items = list(self.lbs.values())
        return self._page([self._lb_out(lb) for lb in items], p, "LoadBalancers")

    def DeleteLoadBalancer(self, p):
        arn = p.get("LoadBalancerArn")
        lb = self.lbs.get(arn)
        if lb is None:
            return {}
        if lb["_attrs"].get("deletion_protection.enabled") == "true":
            raise AwsError("OperationNotPermitted",
                           "Load balancer '%s' cannot be deleted because "
                           "deletion protection is enabled" % arn)
        for la in [a for a, li in self.listeners.items()
                   if li["LoadBalancerArn"] == arn]:
            self._delete_listener(la)
        del self.lbs[arn]
        self.tags.pop(arn, None)
        return {}

    def DescribeLoadBalancerAttributes(self, p):
        lb = self.get_lb(p.get("LoadBalancerArn"))
        return {"Attributes": [{"Key": k, "Value": v}
                               for k, v in lb["_attrs"].items()]}

    def _modify_attrs(self, kind, attrs, p, check=None):
        items = as_list(p.get("Attributes"))
        if not items:
            raise validation(constraint_message([
                "Value null at 'attributes' failed to satisfy constraint: "
                "Member must not be null"]))
        if len(items) > 20:
            raise validation(constraint_message([
                "Value '%d' at 'attributes' failed to satisfy constraint: Member "
                "must have length less than or equal to 20" % len(items)]))
        new = dict(attrs)
        for a in items:
            k, v = a.get("Key"), a.get("Value") or ""
            if k not in attrs:
                raise AwsError("InvalidConfigurationRequest",
                               "%s attribute key '%s' is not recognized"
                               % (kind, k))
            check_attr_value(kind, k, v)
            if check:
                check(k, v)
            new[k] = v
        attrs.update(new)
        return {"Attributes": [{"Key": k, "Value": v} for k, v in attrs.items()]}

    def ModifyLoadBalancerAttributes(self, p):
        lb = self.get_lb(p.get("LoadBalancerArn"))

        def check(k, v):
            if (lb["Type"] == "application" and
                    k == "load_balancing.cross_zone.enabled" and v != "true"):
                raise AwsError("InvalidConfigurationRequest",
                               "Cross-zone load balancing cannot be disabled "
                               "for Application Load Balancers")
        return self._modify_attrs("Load balancer", lb["_attrs"], p, check)

    def SetSecurityGroups(self, p):
        lb = self.get_lb(p.get("LoadBalancerArn"))
        sgs = as_list(p.get("SecurityGroups"))
        if lb["Type"] == "network" and lb["SecurityGroups"] is None:
            raise AwsError("InvalidConfigurationRequest",
                           "You cannot set security groups on a Network Load "
                           "Balancer which was created with no security groups")
        if lb["Type"] == "application" and not sgs:
            raise validation("At least one security group must be specified "
                             "for load balancers of type 'application'")
        lb["SecurityGroups"] = self._resolve_sgs(sgs, lb["VpcId"])
        lb["_settings"]["SecurityGroups"] = sorted(sgs)
        enf = p.get("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic")
        out = {"SecurityGroupIds": lb["SecurityGroups"]}
        if enf:
            if lb["Type"] != "network":
                raise AwsError("InvalidConfigurationRequest",
                               "EnforceSecurityGroupInboundRulesOnPrivateLink"
                               "Traffic is only supported for Network Load "
                               "Balancers")
            lb["_enforce_privatelink"] = enf
            out["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] = enf
        return out

    def SetSubnets(self, p):
        lb = self.get_lb(p.get("LoadBalancerArn"))
        azs, vpc = self._resolve_subnets(lb["Type"], p)
        if vpc != lb["VpcId"]:
            raise AwsError("InvalidConfigurationRequest",
                           "All subnets must belong to the VPC of the load "
                           "balancer '%s'" % lb["VpcId"])
        lb["AvailabilityZones"] = azs
        lb["_settings"]["Subnets"] = sorted(a["SubnetId"] for a in azs)
        if p.get("IpAddressType"):
            self._set_ip_type(lb, p["IpAddressType"])
        return {"AvailabilityZones": azs, "IpAddressType": lb["IpAddressType"]}

    def _set_ip_type(self, lb, ip_type):
        allowed = (["ipv4", "dualstack", "dualstack-without-public-ipv4"]
                   if lb["Type"] == "application" else ["ipv4", "dualstack"])
        if ip_type not in allowed:
            raise enum_error(ip_type, "ipAddressType", allowed)
        if (lb["Type"] == "network" and lb["Scheme"] == "internal"
                and ip_type != "ipv4"):
            raise AwsError("InvalidConfigurationRequest",
                           "Internal load balancers must use the 'ipv4' IP "
                           "address type")
        lb["IpAddressType"] = ip_type
        lb["_settings"]["IpAddressType"] = ip_type

    def SetIpAddressType(self, p):
        lb = self.get_lb(p.get("LoadBalancerArn"))
        self._set_ip_type(lb, p.get("IpAddressType") or "")
        return {"IpAddressType": lb["IpAddressType"]}

    # target groups -------------------------------------------------------------

    def _tg_settings(self, p, existing=None):
        """Build the target group's settings from the request (create) or
        apply a ModifyTargetGroup request to existing settings."""
        if existing is None:
            ttype = p.get("TargetType") or "instance"
            if ttype not in TARGET_TYPES:
                raise enum_error(ttype, "targetType", TARGET_TYPES)
            proto = p.get("Protocol")
            port = as_int(p.get("Port"), "Port")
            vpc = p.get("VpcId")
            if proto is not None and proto not in TG_PROTOCOLS:
                raise enum_error(proto, "protocol", TG_PROTOCOLS)
            if ttype == "lambda":
                if proto or port or vpc:
                    raise validation("You cannot specify a protocol, port or "
                                     "VPC for target groups of target type "
                                     "'lambda'")
            else:
                if not proto:
                    raise validation("A protocol must be specified")
                if port is None:
                    raise validation("A port must be specified")
                if not vpc:
                    raise validation("A VPC ID must be specified")
                _check_range(port, "port", 1, 65535)
                if self.ec2.vpc(vpc) is None:
                    raise validation("The VPC ID '%s' is not found" % vpc)
            if ttype == "alb" and proto not in ("TCP",):
                raise validation("Target groups with target type 'alb' must "
                                 "use the 'TCP' protocol")
            if proto == "GENEVE":
                raise AwsError("InvalidConfigurationRequest",
                               "fakeaws does not emulate Gateway Load Balancer "
                               "target groups")
            pv = p.get("ProtocolVersion")
            if pv is not None:
                if proto not in ("HTTP", "HTTPS"):
                    raise validation("A protocol version can only be specified "
                                     "for target groups with the HTTP or HTTPS "
                                     "protocol")
                if pv.upper() not in ("HTTP1", "HTTP2", "GRPC"):
                    raise validation("Protocol version '%s' must be one of "
                                     "'HTTP1, HTTP2, GRPC'" % pv)
                pv = pv.upper()
            elif proto in ("HTTP", "HTTPS"):
                pv = "HTTP1"
            ip_type = p.get("IpAddressType") or "ipv4"
            if ip_type not in ("ipv4", "ipv6"):
                raise enum_error(ip_type, "ipAddressType", ["ipv4", "ipv6"])
            http = proto in ("HTTP", "HTTPS")
            hc_proto = ("HTTP" if ttype == "lambda" else
                        proto if http else "TCP")
            s = {
                "Protocol": proto, "Port": port, "VpcId": vpc,
                "HealthCheckProtocol": hc_proto, "HealthCheckPort": "traffic-port",
                "HealthCheckEnabled": ttype != "lambda",
                "HealthCheckIntervalSeconds": 35 if ttype == "lambda" else 30,
                "HealthCheckTimeoutSeconds": (30 if ttype == "lambda" else
                                              6 if proto == "HTTP" else 10),
                "HealthyThresholdCount": 5,
                "UnhealthyThresholdCount": 2,
                "HealthCheckPath": "/" if hc_proto in ("HTTP", "HTTPS") else None,
                "Matcher": None,
                "TargetType": ttype, "ProtocolVersion": pv,
                "IpAddressType": None if ttype == "lambda" else ip_type,
            }
        else:
            s = dict(existing)
            proto, ttype = s["Protocol"], s["TargetType"]
        explicit_timeout = p.get("HealthCheckTimeoutSeconds") is not None
        hp = p.get("HealthCheckProtocol")
        if hp is not None:
            if hp not in ("HTTP", "HTTPS", "TCP"):
                raise enum_error(hp, "healthCheckProtocol",
                                 ["HTTP", "HTTPS", "TCP"])
            if proto in ("HTTP", "HTTPS") and hp == "TCP":
                raise validation("Health check protocol 'TCP' is not supported "
                                 "for target groups with the '%s' protocol"
                                 % proto)
            if proto in ("UDP", "TCP_UDP", "TCP", "TLS") and hp in ("HTTP", "HTTPS") \
                    and s["HealthCheckPath"] is None:
                s["HealthCheckPath"] = "/"
            if hp == "TCP":
                s["HealthCheckPath"] = None
            s["HealthCheckProtocol"] = hp
        for key, lo, hi, path in (
                ("HealthCheckIntervalSeconds", 5, 300, "healthCheckIntervalSeconds"),
                ("HealthCheckTimeoutSeconds", 2, 120, "healthCheckTimeoutSeconds"),
                ("HealthyThresholdCount", 2, 10, "healthyThresholdCount"),
                ("UnhealthyThresholdCount", 2, 10, "unhealthyThresholdCount")):
            v = as_int(p.get(key), key)
            if v is not None:
                _check_range(v, path, lo, hi)
                s[key] = v
        if p.get("HealthCheckPort") is not None:
            hport = p["HealthCheckPort"]
            if hport != "traffic-port":
                if not hport.isdigit() or not 1 <= int(hport) <= 65535:
                    raise validation("Health check port '%s' must be "
                                     "'traffic-port' or a port between 1 and "
                                     "65535" % hport)
            s["HealthCheckPort"] = hport
        if p.get("HealthCheckEnabled") is not None:
            s["HealthCheckEnabled"] = as_bool(p["HealthCheckEnabled"])
        if p.get("HealthCheckPath") is not None:
            if s["HealthCheckProtocol"] == "TCP":
                raise validation("A health check path can only be specified "
                                 "for HTTP and HTTPS health checks")
            path = p["HealthCheckPath"]
            if not path.startswith("/") or len(path) > 1024:
                raise validation("Health check path '%s' must begin with '/' "
                                 "and be at most 1024 characters" % path)
            s["HealthCheckPath"] = path
        m = p.get("Matcher")
        if isinstance(m, dict):
            if m.get("HttpCode") is not None:
                code = m["HttpCode"]
                if not re.match(r"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$", code):
                    raise validation("HttpCode must be like 200 | 200-399 | "
                                     "200,201 ...")
                hi = 499 if proto in ("HTTP", "HTTPS") else 599
                for n in re.findall(r"\d{3}", code):
                    if not 200 <= int(n) <= hi:
                        raise validation("Health check matcher HTTP code '%s' "
                                         "must be within '200-%d'" % (code, hi))
                s["Matcher"] = {"HttpCode": code}
            elif m.get("GrpcCode") is not None:
                s["Matcher"] = {"GrpcCode": m["GrpcCode"]}
        if s["HealthCheckProtocol"] in ("HTTP", "HTTPS") and s["Matcher"] is None:
            if s.get("ProtocolVersion") == "GRPC":
                s["Matcher"] = {"GrpcCode": "12"}
            else:
                s["Matcher"] = {"HttpCode": "200" if proto in ("HTTP", "HTTPS")
                                or ttype == "lambda" else "200-399"}
        if s["HealthCheckProtocol"] == "TCP":
            s["Matcher"] = None
        if (s["HealthCheckTimeoutSeconds"] >= s["HealthCheckIntervalSeconds"]
                and (explicit_timeout or p.get("HealthCheckIntervalSeconds"))):
            raise validation("Health check timeout '%d' must be smaller than "
                             "the interval '%d'" % (s["HealthCheckTimeoutSeconds"],
                                                    s["HealthCheckIntervalSeconds"]))
        return s

    def CreateTargetGroup(self, p):
        name = p.get("Name") or ""
        if not name:
            raise validation(constraint_message([
                "Value null at 'name' failed to satisfy constraint: Member "
                "must not be null"]))
        self._check_name("Target group", name)
        s = self._tg_settings(p)
        tags = as_list(p.get("Tags"))
        self._check_tags(tags)
        existing = self._tg_by_name(name)
        if existing is not None:
            if existing["_settings"] == s:
                return {"TargetGroups": [self._tg_out(existing)]}
            raise AwsError("DuplicateTargetGroupName",
                           "A target group with the same name '%s' exists, but "
                           "with different settings" % name)
        if len(self.tgs) >= self.q("target-groups"):
            raise AwsError("TooManyTargetGroups",
                           "The quota for the number of target groups has been "
                           "reached")
        arn = self._arn("targetgroup/%s/%s" % (name, self.ids.hex16()))
        tg = {"TargetGroupArn": arn, "TargetGroupName": name, "_settings": s,
              "_targets": [], "Protocol": s["Protocol"],
              "TargetType": s["TargetType"]}
        tg["_attrs"] = tg_attribute_defaults(tg)
        self.tgs[arn] = tg
        self.tags[arn] = self._tag_dict(tags)
        return {"TargetGroups": [self._tg_out(tg)]}

    def _tg_lb_index(self):
        """target group ARN -> set of LB ARNs using it, in one pass."""
        idx = {}
        for li in self.listeners.values():
            for arn in _action_tgs(li["DefaultActions"]):
                idx.setdefault(arn, set()).add(li["LoadBalancerArn"])
        for r in self.rules.values():
            if not r["IsDefault"]:
                lb = self.listeners[r["_listener"]]["LoadBalancerArn"]
                for arn in _action_tgs(r["Actions"]):
                    idx.setdefault(arn, set()).add(lb)
        return idx

    def _tg_out(self, tg, index=None):
        s = tg["_settings"]
        out = {"TargetGroupArn": tg["TargetGroupArn"],
               "TargetGroupName": tg["TargetGroupName"]}
        for k in ("Protocol", "Port", "VpcId", "HealthCheckProtocol",
                  "HealthCheckPort", "HealthCheckEnabled",
                  "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds",
                  "HealthyThresholdCount", "UnhealthyThresholdCount",
                  "HealthCheckPath", "Matcher"):
            out[k] = s[k]
        lbs = (index.get(tg["TargetGroupArn"], ()) if index is not None
               else self.lbs_of_tg(tg["TargetGroupArn"]))
        out["LoadBalancerArns"] = sorted(lbs)
        out["TargetType"] = s["TargetType"]
        out["ProtocolVersion"] = s["ProtocolVersion"]
        out["IpAddressType"] = s["IpAddressType"]
        return out

    def lbs_of_tg(self, tg_arn, skip_listener=None, skip_rule=None):
        lbs = set()
        for la, li in self.listeners.items():
            if la != skip_listener and tg_arn in _action_tgs(li["DefaultActions"]):
                lbs.add(li["LoadBalancerArn"])
        for ra, r in self.rules.items():
            if r["IsDefault"] or ra == skip_rule:
                continue
            if tg_arn in _action_tgs(r["Actions"]):
                lbs.add(self.listeners[r["_listener"]]["LoadBalancerArn"])
        return lbs

    def DescribeTargetGroups(self, p):
        lb_arn = p.get("LoadBalancerArn")
        arns = as_list(p.get("TargetGroupArns"))
        names = as_list(p.get("Names"))
        if sum(1 for x in (lb_arn, arns, names) if x) > 1:
            raise validation("Only one of LoadBalancerArn, TargetGroupArns or "
                             "Names can be specified")
        self._arn_limit(arns, "targetGroupArns")
        index = self._tg_lb_index()
        if lb_arn:
            if lb_arn not in self.lbs:
                raise AwsError("LoadBalancerNotFound",
                               "One or more load balancers not found")
            items = [tg for a, tg in self.tgs.items()
                     if lb_arn in index.get(a, ())]
        elif arns:
            if any(a not in self.tgs for a in arns):
                raise AwsError("TargetGroupNotFound",
                               "One or more target groups not found")
            items = [self.tgs[a] for a in dict.fromkeys(arns)]
        elif names:
            if any(self._tg_by_name(n) is None for n in names):
                raise AwsError("TargetGroupNotFound",
                               "One or more target groups not found")
            items = [self._tg_by_name(n) for n in dict.fromkeys(names)]
        else:
            items = list(self.tgs.values())
        return self._page([self._tg_out(t, index) for t in items], p, "TargetGroups")

    def ModifyTargetGroup(self, p):
        tg = self.get_tg(p.get("TargetGroupArn"))
        tg["_settings"] = self._tg_settings(p, tg["_settings"])
        return {"TargetGroups": [self._tg_out(tg)]}

    def DeleteTargetGroup(self, p):
        arn = p.get("TargetGroupArn")
        if arn not in self.tgs:
            return {}
        if self.lbs_of_tg(arn):
            raise AwsError("ResourceInUse",
                           "Target group '%s' is currently in use by a listener "
                           "or a rule" % arn)
        del self.tgs[arn]
        self.tags.pop(arn, None)
        return {}

    def DescribeTargetGroupAttributes(self, p):
        tg = self.get_tg(p.get("TargetGroupArn"))
        return {"Attributes": [{"Key": k, "Value": v}
                               for k, v in tg["_attrs"].items()]}

    def ModifyTargetGroupAttributes(self, p):
        tg = self.get_tg(p.get("TargetGroupArn"))

        def check(k, v):
            if k == "stickiness.type":
                ok = (["lb_cookie", "app_cookie"]
                      if tg["Protocol"] in ("HTTP", "HTTPS") else ["source_ip"])
                if v not in ok:
                    raise validation("Stickiness type '%s' must be one of '%s'"
                                     % (v, ", ".join(ok)))
        return self._modify_attrs("Target group", tg["_attrs"], p, check)

    # targets -------------------------------------------------------------------

    def _targets(self, tg, p):
        out = []
        for t in as_list(p.get("Targets")):
            tid = t.get("Id")
            if not tid:
                raise validation(constraint_message([
                    "Value null at 'targets.member.id' failed to satisfy "
                    "constraint: Member must not be null"]))
            port = as_int(t.get("Port"), "Port")
            if port is None:
                port = tg["_settings"]["Port"]
            if port is not None:
                _check_range(port, "targets.member.port", 1, 65535)
            ttype = tg["TargetType"]
            if ttype == "instance" and not re.match(r"^i-[0-9a-f]{8,17}$", tid):
                raise AwsError("InvalidTarget",
                               "The following targets are not valid instances: "
                               "'%s'" % tid)
            if ttype == "ip":
                try:
                    ipaddress.ip_address(tid)
                except ValueError:
                    raise validation("The IP address '%s' is not a valid IPv4 "
                                     "address" % tid)
            if ttype == "alb" and tid not in self.lbs:
                raise AwsError("InvalidTarget", "The following targets are not "
                               "valid load balancers: '%s'" % tid)
            out.append({"Id": tid, "Port": port,
                        "AvailabilityZone": t.get("AvailabilityZone")})
        return out

    def RegisterTargets(self, p):
        tg = self.get_tg(p.get("TargetGroupArn"))
        for t in self._targets(tg, p):
            if t["Port"] is None and tg["TargetType"] != "lambda":
                raise validation("A port must be specified for target '%s'"
                                 % t["Id"])
            if any(x["Id"] == t["Id"] and x["Port"] == t["Port"]
                   for x in tg["_targets"]):
                continue
            if len(tg["_targets"]) >= self.q("targets-per-target-group"):
                raise AwsError("TooManyTargets",
                               "You've reached the limit on the number of "
                               "targets")
            tg["_targets"].append(t)
        return {}

    def DeregisterTargets(self, p):
        tg = self.get_tg(p.get("TargetGroupArn"))
        for t in self._targets(tg, p):
            tg["_targets"] = [x for x in tg["_targets"]
                              if not (x["Id"] == t["Id"] and x["Port"] == t["Port"])]
        return {}

    def DescribeTargetHealth(self, p):
        tg = self.get_tg(p.get("TargetGroupArn"))
        asked = self._targets(tg, p) if p.get("Targets") else None
        in_use = bool(self.lbs_of_tg(tg["TargetGroupArn"]))
        hc_port = tg["_settings"]["HealthCheckPort"]
        out = []
        for t in (asked if asked is not None else tg["_targets"]):
            reg = any(x["Id"] == t["Id"] and x["Port"] == t["Port"]
                      for x in tg["_targets"])
            target = {"Id": t["Id"], "Port": t["Port"],
                      "AvailabilityZone": t.get("AvailabilityZone")}
            if not reg:
                th = {"State": "unused", "Reason": "Target.NotRegistered",
                      "Description": "Target is not registered to the target group"}
            elif not in_use:
                th = {"State": "unused", "Reason": "Target.NotInUse",
                      "Description": "Target group is not configured to receive "
                                     "traffic from the load balancer"}
            elif self.config.target_health == "initial":
                th = {"State": "initial", "Reason": "Elb.RegistrationInProgress",
                      "Description": "Target registration is in progress"}
            else:
                th = {"State": self.config.target_health}
            out.append({"Target": target,
                        "HealthCheckPort": (str(t["Port"]) if hc_port == "traffic-port"
                                            and t["Port"] else hc_port),
                        "TargetHealth": th})
        return {"TargetHealthDescriptions": out}

    # actions -------------------------------------------------------------------

    def _actions(self, lb, listener_proto, actions, path="defaultActions"):
        """Validate and normalise a DefaultActions/Actions list."""
        actions = as_list(actions)
        if not actions:
            raise validation(constraint_message([
                "Value null at '%s' failed to satisfy constraint: Member must "
                "not be null" % path]))
        lb_type = lb["Type"]
        out = []
        terminal = 0
        for i, a in enumerate(actions, 1):
            t = a.get("Type")
            if t not in ACTION_TYPES:
                raise enum_error(t, "%s.%d.member.type" % (path, i), ACTION_TYPES)
            if lb_type == "network" and t != "forward":
                raise AwsError("InvalidLoadBalancerAction",
                               "Action type '%s' must be one of 'forward'" % t)
            order = as_int(a.get("Order"), "Order")
            _check_range(order, "%s.%d.member.order" % (path, i), 1, 50000)
            o = {"Type": t}
            if order is not None:
                o["Order"] = order
            if t in ("forward", "redirect", "fixed-response"):
                terminal += 1
            if t.startswith("authenticate") or t == "jwt-validation":
                if listener_proto != "HTTPS":
                    raise AwsError("InvalidLoadBalancerAction",
                                   "Authenticate actions can only be used with "
                                   "HTTPS listeners")
                key = {"authenticate-oidc": "AuthenticateOidcConfig",
                       "authenticate-cognito": "AuthenticateCognitoConfig",
                       "jwt-validation": "JwtValidationConfig"}[t]
                cfg = a.get(key)
                if not isinstance(cfg, dict):
                    raise validation("%s must be specified for action type '%s'"
                                     % (key, t))
                o[key] = cfg
            elif t == "forward":
                o.update(self._forward(lb, listener_proto, a, path, i))
            elif t == "redirect":
                r = a.get("RedirectConfig")
                if not isinstance(r, dict):
                    raise validation("RedirectConfig must be specified for "
                                     "action type 'redirect'")
                sc = r.get("StatusCode")
                if sc not in ("HTTP_301", "HTTP_302"):
                    raise enum_error(sc, "%s.%d.member.redirectConfig.statusCode"
                                     % (path, i), ["HTTP_301", "HTTP_302"])
                proto = r.get("Protocol") or "#{protocol}"
                if proto not in ("HTTP", "HTTPS", "#{protocol}"):
                    raise AwsError("InvalidLoadBalancerAction",
                                   "Redirect protocol '%s' must be one of "
                                   "'HTTP, HTTPS, #{protocol}'" % proto)
                o["RedirectConfig"] = {
                    "Protocol": proto, "Port": r.get("Port") or "#{port}",
                    "Host": r.get("Host") or "#{host}",
                    "Path": r.get("Path") or "/#{path}",
                    "Query": r.get("Query") if r.get("Query") is not None else "#{query}",
                    "StatusCode": sc}
            elif t == "fixed-response":
                f = a.get("FixedResponseConfig")
                if not isinstance(f, dict):
                    raise validation("FixedResponseConfig must be specified for "
                                     "action type 'fixed-response'")
                sc = f.get("StatusCode") or ""
                if not re.match(r"^(2|4|5)\d\d$", sc):
                    raise AwsError("InvalidLoadBalancerAction",
                                   "Fixed response status code '%s' must be a "
                                   "2XX, 4XX or 5XX code" % sc)
                ct = f.get("ContentType")
                if ct is not None and ct not in FIXED_CONTENT_TYPES:
                    raise AwsError("InvalidLoadBalancerAction",
                                   "Fixed response content type '%s' must be one "
                                   "of '%s'" % (ct, ", ".join(FIXED_CONTENT_TYPES)))
                body = f.get("MessageBody")
                if body is not None and len(body) > 1024:
                    raise validation("Fixed response message body cannot be "
                                     "longer than 1024 characters")
                o["FixedResponseConfig"] = {"MessageBody": body,
                                            "StatusCode": sc, "ContentType": ct}
            out.append(o)
        if terminal != 1:
            raise AwsError("InvalidLoadBalancerAction",
                           "Exactly one forward, redirect or fixed-response "
                           "action must be specified")
        if len(out) > 1:
            if any("Order" not in o for o in out):
                raise validation("An action order must be specified when there "
                                 "are multiple actions")
            out.sort(key=lambda o: o["Order"])
            if out[-1]["Type"] not in ("forward", "redirect", "fixed-response"):
                raise AwsError("InvalidLoadBalancerAction",
                               "The last action must be a forward, redirect or "
                               "fixed-response action")
        return out

    def _forward(self, lb, listener_proto, a, path, i):
        single = a.get("TargetGroupArn")
        fc = a.get("ForwardConfig")
        tuples = []
        weighted = False
        stick = None
        if isinstance(fc, dict):
            for j, tup in enumerate(as_list(fc.get("TargetGroups")), 1):
                w = as_int(tup.get("Weight"), "Weight")
                if w is not None:
                    weighted = True
                    _check_range(w, "%s.%d.member.forwardConfig.targetGroups.%d."
                                 "member.weight" % (path, i, j), 0, 999)
                tuples.append((tup.get("TargetGroupArn"), w))
            sc = fc.get("TargetGroupStickinessConfig")
            if isinstance(sc, dict):
                dur = as_int(sc.get("DurationSeconds"), "DurationSeconds")
                _check_range(dur, "%s.%d.member.forwardConfig.targetGroupStickiness"
                             "Config.durationSeconds" % (path, i), 1, 604800)
                if dur is not None and lb["Type"] == "network":
                    raise validation("You cannot specify a target group "
                                     "stickiness duration on load balancers of "
                                     "type 'network'")
                stick = {"Enabled": as_bool(sc.get("Enabled"), False),
                         "DurationSeconds": dur}
        if single and tuples:
            if len(tuples) != 1 or tuples[0][0] != single:
                raise validation("You cannot specify both a target group ARN "
                                 "and a forward config with different target "
                                 "groups")
        if not single and not tuples:
            raise validation("A target group ARN must be specified for a "
                             "forward action")
        if not tuples:
            tuples = [(single, None)]
        arns = [t[0] for t in tuples]
        if len(set(arns)) != len(arns):
            raise validation("A target group can only be specified once in a "
                             "forward action")
        if lb["Type"] == "network":
            if self.config.nlb_weights == "reject":
                if weighted:
                    raise validation("You cannot specify a target group weight "
                                     "on load balancers of type 'network'")
                if len(tuples) > 1:
                    raise validation("You cannot specify multiple target groups "
                                     "in a single action with a load balancer "
                                     "of type 'network'")
            limit = self.q("target-groups-per-action-on-network-load-balancer")
        else:
            limit = self.q("target-groups-per-action-on-application-load-balancer")
        if len(tuples) > limit:
            raise AwsError("TooManyTargetGroups",
                           "You can specify at most '%d' target groups in a "
                           "forward action" % limit)
        for arn in arns:
            tg = self.tgs.get(arn)
            if tg is None:
                raise AwsError("TargetGroupNotFound",
                               "Target group '%s' not found" % arn)
            self._check_compatible(lb, listener_proto, tg)
        o = {}
        if len(tuples) == 1:
            o["TargetGroupArn"] = arns[0]
        o["ForwardConfig"] = {
            "TargetGroups": [{"TargetGroupArn": a, "Weight": 1 if w is None else w}
                             for a, w in tuples],
            "TargetGroupStickinessConfig": stick or {"Enabled": False}}
        return o

    def _check_compatible(self, lb, listener_proto, tg):
        arn = tg["TargetGroupArn"]
        proto = tg["Protocol"]
        if lb["Type"] == "application":
            ok = tg["TargetType"] == "lambda" or proto in ("HTTP", "HTTPS")
        else:
            ok = proto in {"TCP": ("TCP", "TCP_UDP"), "TLS": ("TCP", "TLS"),
                           "UDP": ("UDP", "TCP_UDP"), "TCP_UDP": ("TCP_UDP",),
                           "QUIC": ("QUIC", "TCP_QUIC"),
                           "TCP_QUIC": ("TCP_QUIC",)}.get(listener_proto, ())
        if not ok:
            raise AwsError("IncompatibleProtocols",
                           "The listener and its associated target group '%s' "
                           "have incompatible protocols" % arn)

    def _check_association(self, lb, actions, skip_listener=None, skip_rule=None):
        for arn in _action_tgs(actions):
            others = self.lbs_of_tg(arn, skip_listener, skip_rule) - {lb["LoadBalancerArn"]}
            if others:
                if lb["Type"] == "network":
                    msg = ("The following target groups cannot be associated "
                           "with more than one load balancer: %s" % arn)
                else:
                    msg = ("Target group '%s' cannot be associated with more "
                           "than one load balancer" % arn)
                raise AwsError("TargetGroupAssociationLimit", msg)
        if lb["Type"] == "application":
            used = set(_action_tgs(actions))
            for li in self.listeners.values():
                if li["LoadBalancerArn"] != lb["LoadBalancerArn"]:
                    continue
                if li["ListenerArn"] != skip_listener:
                    used |= set(_action_tgs(li["DefaultActions"]))
                for r in self._listener_rules(li["ListenerArn"]):
                    if not r["IsDefault"] and r["RuleArn"] != skip_rule:
                        used |= set(_action_tgs(r["Actions"]))
            if len(used) > self.q("target-groups-per-application-load-balancer"):
                raise AwsError("TooManyUniqueTargetGroupsPerLoadBalancer",
                               "You have reached the maximum number of unique "
                               "target groups that you can associate with a "
                               "load balancer of type 'application': '%d'"
                               % self.q("target-groups-per-application-load-balancer"))

    # listeners -----------------------------------------------------------------

    def _listener_settings(self, lb, p, current=None):
        lb_type = lb["Type"]
        cur = current or {}
        proto = p.get("Protocol") or cur.get("Protocol")
        port = as_int(p.get("Port"), "Port")
        if port is None:
            port = cur.get("Port")
        allowed = ALB_LISTENER_PROTOCOLS if lb_type == "application" else NLB_LISTENER_PROTOCOLS
        if not proto:
            raise validation("A listener protocol must be specified")
        if proto not in allowed:
            if proto not in ALB_LISTENER_PROTOCOLS + NLB_LISTENER_PROTOCOLS:
                raise enum_error(proto, "protocol",
                                 ALB_LISTENER_PROTOCOLS + NLB_LISTENER_PROTOCOLS)
            raise validation("Listener protocol '%s' must be one of '%s'"
                             % (proto, ", ".join(allowed)))
        if port is None:
            raise validation("A listener port must be specified")
        _check_range(port, "port", 1, 65535)
        secure = proto in ("HTTPS", "TLS")
        certs_given = p.get("Certificates") is not None
        certs = [c.get("CertificateArn") for c in as_list(p.get("Certificates"))]
        if not certs_given and cur.get("Protocol") in ("HTTPS", "TLS") and secure:
            certs = list(cur.get("Certificates") or [])
        ssl = p.get("SslPolicy")
        if ssl is None and secure:
            ssl = cur.get("SslPolicy") if cur.get("Protocol") in ("HTTPS", "TLS") else None
            ssl = ssl or DEFAULT_SSL_POLICY
        alpn = [x for x in as_list(p.get("AlpnPolicy"))]
        if p.get("AlpnPolicy") is None and cur.get("Protocol") == "TLS" and proto == "TLS":
            alpn = list(cur.get("AlpnPolicy") or [])
        if secure:
            if not certs:
                raise validation("A certificate must be specified for %s "
                                 "listeners" % proto)
            if len(certs) > 1:
                raise validation("Only one default certificate can be specified; "
                                 "use AddListenerCertificates for more")
            for c in certs:
                if not re.match(r"^arn:aws[\w-]*:(acm|iam):", c or ""):
                    raise AwsError("CertificateNotFound",
                                   "Certificate '%s' not found" % c)
            if ssl not in SSL_POLICIES:
                raise AwsError("SSLPolicyNotFound",
                               "SSL policy '%s' not found" % ssl)
        else:
            if certs_given and certs:
                raise validation("A certificate cannot be specified for %s "
                                 "listeners" % proto)
            if p.get("SslPolicy"):
                raise validation("An SSL policy cannot be specified for %s "
                                 "listeners" % proto)
            certs, ssl = [], None
        if alpn:
            if proto != "TLS":
                raise validation("An ALPN policy can only be specified for TLS "
                                 "listeners")
            ok = ["HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"]
            if len(alpn) > 1 or alpn[0] not in ok:
                raise AwsError("ALPNPolicyNotFound",
                               "ALPN policy '%s' not found" % ", ".join(alpn))
        return {"Port": port, "Protocol": proto, "Certificates": certs,
                "SslPolicy": ssl, "AlpnPolicy": alpn}

    def _listener_rules(self, listener_arn):
        return [r for r in self.rules.values() if r["_listener"] == listener_arn]

    def CreateListener(self, p):
        lb = self.get_lb(p.get("LoadBalancerArn"))
        s = self._listener_settings(lb, p)
        actions = self._actions(lb, s["Protocol"], p.get("DefaultActions"))
        tags = as_list(p.get("Tags"))
        self._check_tags(tags)
        for li in self.listeners.values():
            if li["LoadBalancerArn"] == lb["LoadBalancerArn"] and li["Port"] == s["Port"]:
                same = (all(li[k] == v for k, v in s.items())
                        and li["DefaultActions"] == actions)
                if same:
                    return {"Listeners": [self._listener_out(li)]}
                raise AwsError("DuplicateListener",
                               "A listener already exists on this port for this "
                               "load balancer '%s'" % lb["LoadBalancerArn"])
        n = sum(1 for li in self.listeners.values()
                if li["LoadBalancerArn"] == lb["LoadBalancerArn"])
        quota = ("listeners-per-network-load-balancer" if lb["Type"] == "network"
                 else "listeners-per-application-load-balancer")
        if n >= self.q(quota):
            raise AwsError("TooManyListeners",
                           "You've reached the limit on the number of listeners "
                           "per load balancer")
        self._check_association(lb, actions)
        lb_part = lb["LoadBalancerArn"].split(":loadbalancer/", 1)[1]
        arn = self._arn("listener/%s/%s" % (lb_part, self.ids.hex16()))
        li = {"ListenerArn": arn, "LoadBalancerArn": lb["LoadBalancerArn"]}
        li.update(s)
        li["DefaultActions"] = actions
        li["_attrs"] = listener_attribute_defaults(lb["Type"], s["Protocol"])
        li["_extra_certs"] = []
        self.listeners[arn] = li
        self.tags[arn] = self._tag_dict(tags)
        rule_arn = self._arn("listener-rule/%s/%s" % (
            arn.split(":listener/", 1)[1], self.ids.hex16()))
        self.rules[rule_arn] = {"RuleArn": rule_arn, "Priority": "default",
                                "Conditions": [], "Actions": actions,
                                "IsDefault": True, "_listener": arn}
        self.tags[rule_arn] = {}
        return {"Listeners": [self._listener_out(li)]}

    def _listener_out(self, li):
        out = {"ListenerArn": li["ListenerArn"],
               "LoadBalancerArn": li["LoadBalancerArn"],
               "Port": li["Port"], "Protocol": li["Protocol"]}
        if li["Certificates"]:
            out["Certificates"] = [{"CertificateArn": c} for c in li["Certificates"]]
        if li["SslPolicy"]:
            out["SslPolicy"] = li["SslPolicy"]
        out["DefaultActions"] = li["DefaultActions"]
        if li["AlpnPolicy"]:
            out["AlpnPolicy"] = li["AlpnPolicy"]
        if li["Protocol"] == "HTTPS":
            out["MutualAuthentication"] = {"Mode": "off"}
        return out

    def DescribeListeners(self, p):
        lb_arn = p.get("LoadBalancerArn")
        arns = as_list(p.get("ListenerArns"))
        if lb_arn and arns:
            raise validation("Listener ARNs and a load balancer ARN cannot be "
                             "specified at the same time")
        if arns:
            self._arn_limit(arns, "listenerArns")
            if any(a not in self.listeners for a in arns):
                raise AwsError("ListenerNotFound", "One or more listeners not found")
            items = [self.listeners[a] for a in dict.fromkeys(arns)]
        elif lb_arn:
            if lb_arn not in self.lbs:
                raise AwsError("LoadBalancerNotFound",
                               "One or more load balancers not found")
            items = [li for li in self.listeners.values()
                     if li["LoadBalancerArn"] == lb_arn]
        else:
            raise validation("You must specify either listener ARNs or a load "
                             "balancer ARN")
        return self._page([self._listener_out(li) for li in items], p, "Listeners")

    def ModifyListener(self, p):
        li = self.get_listener(p.get("ListenerArn"))
        lb = self.lbs[li["LoadBalancerArn"]]
        s = self._listener_settings(lb, p, li)
        if s["Port"] != li["Port"]:
            for other in self.listeners.values():
                if (other["LoadBalancerArn"] == lb["LoadBalancerArn"]
                        and other["Port"] == s["Port"]):
                    raise validation("Listener port '%d' is already in use"
                                     % s["Port"])
        if p.get("DefaultActions") is not None:
            actions = self._actions(lb, s["Protocol"], p.get("DefaultActions"))
        else:
            actions = li["DefaultActions"]
            # a protocol change must still be compatible with the targets
            for arn in _action_tgs(actions):
                self._check_compatible(lb, s["Protocol"], self.tgs[arn])
        self._check_association(lb, actions, skip_listener=li["ListenerArn"])
        if s["Protocol"] not in ("HTTPS", "TLS"):
            li["_extra_certs"] = []
        li.update(s)
        li["DefaultActions"] = actions
        for r in self._listener_rules(li["ListenerArn"]):
            if r["IsDefault"]:
                r["Actions"] = actions
        new_attrs = listener_attribute_defaults(lb["Type"], s["Protocol"])
        for k in new_attrs:
            if k in li["_attrs"]:
                new_attrs[k] = li["_attrs"][k]
        li["_attrs"] = new_attrs
        return {"Listeners": [self._listener_out(li)]}

    def _delete_listener(self, arn):
        for r in self._listener_rules(arn):
            del self.rules[r["RuleArn"]]
            self.tags.pop(r["RuleArn"], None)
        del self.listeners[arn]
        self.tags.pop(arn, None)

    def DeleteListener(self, p):
        self.get_listener(p.get("ListenerArn"))
        self._delete_listener(p["ListenerArn"])
        return {}

    def DescribeListenerAttributes(self, p):
        li = self.get_listener(p.get("ListenerArn"))
        return {"Attributes": [{"Key": k, "Value": v}
                               for k, v in li["_attrs"].items()]}

    def ModifyListenerAttributes(self, p):
        li = self.get_listener(p.get("ListenerArn"))
        return self._modify_attrs("Listener", li["_attrs"], p)

    def DescribeListenerCertificates(self, p):
        li = self.get_listener(p.get("ListenerArn"))
        certs = [{"CertificateArn": c, "IsDefault": True} for c in li["Certificates"]]
        certs += [{"CertificateArn": c, "IsDefault": False} for c in li["_extra_certs"]]
        return self._page(certs, p, "Certificates")

    def AddListenerCertificates(self, p):
        li = self.get_listener(p.get("ListenerArn"))
        if li["Protocol"] not in ("HTTPS", "TLS"):
            raise AwsError("InvalidConfigurationRequest",
                           "Certificates can only be added to HTTPS or TLS "
                           "listeners")
        lb = self.lbs[li["LoadBalancerArn"]]
        added = []
        for c in as_list(p.get("Certificates")):
            arn = c.get("CertificateArn")
            if not re.match(r"^arn:aws[\w-]*:(acm|iam):", arn or ""):
                raise AwsError("CertificateNotFound", "Certificate '%s' not found" % arn)
            if arn not in li["_extra_certs"] and arn not in li["Certificates"]:
                li["_extra_certs"].append(arn)
            added.append({"CertificateArn": arn, "IsDefault": False})
        quota = ("certificates-per-network-load-balancer" if lb["Type"] == "network"
                 else "certificates-per-application-load-balancer")
        total = sum(len(x["_extra_certs"]) for x in self.listeners.values()
                    if x["LoadBalancerArn"] == lb["LoadBalancerArn"])
        if total > self.q(quota):
            for c in added:
                if c["CertificateArn"] in li["_extra_certs"]:
                    li["_extra_certs"].remove(c["CertificateArn"])
            raise AwsError("TooManyCertificates",
                           "You've reached the limit on the number of "
                           "certificates per load balancer")
        return {"Certificates": added}

    def RemoveListenerCertificates(self, p):
        li = self.get_listener(p.get("ListenerArn"))
        for c in as_list(p.get("Certificates")):
            arn = c.get("CertificateArn")
            if arn in li["Certificates"]:
                raise AwsError("OperationNotPermitted",
                               "The default certificate cannot be removed from "
                               "a listener")
            if arn in li["_extra_certs"]:
                li["_extra_certs"].remove(arn)
        return {}

    # rules ---------------------------------------------------------------------

    def _conditions(self, conds):
        conds = as_list(conds)
        out = []
        seen = set()
        values = 0
        for i, c in enumerate(conds, 1):
            field = c.get("Field")
            if not field:
                raise validation("A condition field must be specified")
            if field not in CONDITION_FIELDS:
                raise validation("Condition field '%s' must be one of '[%s]'"
                                 % (field, ", ".join(CONDITION_FIELDS)))
            if field in seen and field not in ("http-header", "query-string"):
                raise validation("A rule can only have one '%s' condition" % field)
            seen.add(field)
            legacy = as_list(c.get("Values"))
            key = {"host-header": "HostHeaderConfig",
                   "path-pattern": "PathPatternConfig",
                   "http-header": "HttpHeaderConfig",
                   "query-string": "QueryStringConfig",
                   "http-request-method": "HttpRequestMethodConfig",
                   "source-ip": "SourceIpConfig"}[field]
            cfg = c.get(key)
            if legacy and cfg is not None:
                raise validation("You cannot provide both Values and '%s' for a "
                                 "condition of type '%s'" % (key, field))
            if legacy and field not in ("host-header", "path-pattern"):
                raise validation("You must use '%s' for a condition of type "
                                 "'%s'" % (key, field))
            if legacy and len(legacy) > 1:
                raise validation("A condition of type '%s' can only have one "
                                 "value when Values is used; use '%s'"
                                 % (field, key))
            o = {"Field": field}
            if field == "query-string":
                pairs = [{"Key": v.get("Key"), "Value": v.get("Value")}
                         for v in as_list((cfg or {}).get("Values"))]
                if not pairs:
                    raise validation("A condition value must be specified")
                values += len(pairs)
                o[key] = {"Values": pairs}
            else:
                vals = legacy or as_list((cfg or {}).get("Values"))
                if not vals or any(v in (None, "") for v in vals):
                    raise validation("A condition value must be specified")
                values += len(vals)
                if field == "http-header":
                    name = (cfg or {}).get("HttpHeaderName")
                    if not name:
                        raise validation("A header name must be specified for "
                                         "a condition of type 'http-header'")
                    o[key] = {"HttpHeaderName": name, "Values": vals}
                else:
                    if field in ("host-header", "path-pattern"):
                        o["Values"] = vals
                    if field == "http-request-method":
                        for v in vals:
                            if not re.match(r"^[A-Z_-]+$", v):
                                raise validation("HTTP request method '%s' is "
                                                 "not valid" % v)
                    if field == "source-ip":
                        for v in vals:
                            try:
                                ipaddress.ip_network(v, strict=False)
                                if "/" not in v:
                                    raise ValueError
                            except ValueError:
                                raise validation("Source IP '%s' must be a CIDR "
                                                 "block" % v)
                    if field == "path-pattern":
                        for v in vals:
                            if len(v) > 128:
                                raise validation("A path pattern cannot be "
                                                 "longer than 128 characters")
                    o[key] = {"Values": vals}
            out.append(o)
        if not out:
            raise validation("A condition field must be specified")
        limit = self.q("condition-values-per-alb-rule")
        if values > limit:
            raise validation("A rule can only have '%d' condition values" % limit)
        return out

    def _rule_out(self, r):
        return {"RuleArn": r["RuleArn"], "Priority": str(r["Priority"]),
                "Conditions": r["Conditions"], "Actions": r["Actions"],
                "IsDefault": r["IsDefault"]}

    def _alb_rule_count(self, lb_arn):
        return sum(1 for r in self.rules.values() if not r["IsDefault"]
                   and self.listeners[r["_listener"]]["LoadBalancerArn"] == lb_arn)

    def CreateRule(self, p):
        li = self.get_listener(p.get("ListenerArn"))
        lb = self.lbs[li["LoadBalancerArn"]]
        if lb["Type"] != "application":
            raise validation("The listener must be associated with an "
                             "Application Load Balancer")
        prio = as_int(p.get("Priority"), "Priority")
        if prio is None:
            raise validation(constraint_message([
                "Value null at 'priority' failed to satisfy constraint: Member "
                "must not be null"]))
        _check_range(prio, "priority", 1, 50000)
        conds = self._conditions(p.get("Conditions"))
        actions = self._actions(lb, li["Protocol"], p.get("Actions"), "actions")
        tags = as_list(p.get("Tags"))
        self._check_tags(tags)
        for r in self._listener_rules(li["ListenerArn"]):
            if r["Priority"] == prio:
                raise AwsError("PriorityInUse",
                               "Priority '%d' is currently in use" % prio)
        if self._alb_rule_count(lb["LoadBalancerArn"]) >= self.q(
                "rules-per-application-load-balancer"):
            raise AwsError("TooManyRules",
                           "The maximum number of rules per load balancer has "
                           "been reached")
        self._check_association(lb, actions)
        arn = self._arn("listener-rule/%s/%s" % (
            li["ListenerArn"].split(":listener/", 1)[1], self.ids.hex16()))
        r = {"RuleArn": arn, "Priority": prio, "Conditions": conds,
             "Actions": actions, "IsDefault": False, "_listener": li["ListenerArn"]}
        self.rules[arn] = r
        self.tags[arn] = self._tag_dict(tags)
        return {"Rules": [self._rule_out(r)]}

    def _sorted_rules(self, rules):
        return sorted(rules, key=lambda r: (r["IsDefault"],
                                            0 if r["IsDefault"] else r["Priority"]))

    def DescribeRules(self, p):
        la = p.get("ListenerArn")
        arns = as_list(p.get("RuleArns"))
        if la and arns:
            raise validation("A listener ARN and rule ARNs cannot be specified "
                             "at the same time")
        if arns:
            self._arn_limit(arns, "ruleArns")
            if any(a not in self.rules for a in arns):
                raise AwsError("RuleNotFound", "One or more rules not found")
            items = [self.rules[a] for a in dict.fromkeys(arns)]
        elif la:
            self.get_listener(la)
            items = self._sorted_rules(self._listener_rules(la))
        else:
            raise validation("You must specify either listener ARN or rule ARNs")
        return self._page([self._rule_out(r) for r in items], p, "Rules")

    def ModifyRule(self, p):
        r = self.get_rule(p.get("RuleArn"))
        li = self.listeners[r["_listener"]]
        lb = self.lbs[li["LoadBalancerArn"]]
        conds, actions = r["Conditions"], r["Actions"]
        if p.get("Conditions") is not None:
            if r["IsDefault"]:
                raise AwsError("OperationNotPermitted",
                               "You cannot modify the conditions of a default rule")
            conds = self._conditions(p.get("Conditions"))
        if p.get("Actions") is not None:
            actions = self._actions(lb, li["Protocol"], p.get("Actions"), "actions")
            if r["IsDefault"]:
                self._check_association(lb, actions, skip_listener=li["ListenerArn"])
            else:
                self._check_association(lb, actions, skip_rule=r["RuleArn"])
        r["Conditions"], r["Actions"] = conds, actions
        if r["IsDefault"]:
            li["DefaultActions"] = actions
        return {"Rules": [self._rule_out(r)]}

    def SetRulePriorities(self, p):
        items = as_list(p.get("RulePriorities"))
        if not items:
            raise validation(constraint_message([
                "Value null at 'rulePriorities' failed to satisfy constraint: "
                "Member must not be null"]))
        new = {}
        seen = set()
        for i, it in enumerate(items, 1):
            arn = it.get("RuleArn")
            prio = as_int(it.get("Priority"), "Priority")
            _check_range(prio, "rulePriorities.%d.member.priority" % i, 1, 50000)
            if prio in seen:
                raise validation("Priority '%d' was provided multiple times" % prio)
            seen.add(prio)
            r = self.rules.get(arn)
            if r is None:
                raise AwsError("RuleNotFound", "One or more rules not found")
            if r["IsDefault"]:
                raise AwsError("OperationNotPermitted",
                               "The default rule priority cannot be modified")
            new[arn] = prio
        for arn, prio in new.items():
            listener = self.rules[arn]["_listener"]
            for other in self._listener_rules(listener):
                if other["RuleArn"] in new or other["IsDefault"]:
                    continue
                if other["Priority"] == prio:
                    raise AwsError("PriorityInUse",
                                   "Priority '%d' is currently in use" % prio)
        for arn, prio in new.items():
            self.rules[arn]["Priority"] = prio
        return {"Rules": [self._rule_out(self.rules[a]) for a in new]}

    def DeleteRule(self, p):
        r = self.get_rule(p.get("RuleArn"))
        if r["IsDefault"]:
            raise AwsError("OperationNotPermitted", "You can't delete the default rule")
        del self.rules[r["RuleArn"]]
        self.tags.pop(r["RuleArn"], None)
        return {}

    # tags ----------------------------------------------------------------------

    def _resource(self, arn):
        if ":loadbalancer/" in arn:
            if arn not in self.lbs:
                raise AwsError("LoadBalancerNotFound",
                               "Load balancer '%s' not found" % arn)
        elif ":targetgroup/" in arn:
            if arn not in self.tgs:
                raise AwsError("TargetGroupNotFound",
                               "Target group '%s' not found" % arn)
        elif ":listener-rule/" in arn:
            if arn not in self.rules:
                raise AwsError("RuleNotFound", "Rule '%s' not found" % arn)
        elif ":listener/" in arn:
            if arn not in self.listeners:
                raise AwsError("ListenerNotFound", "Listener '%s' not found" % arn)
        else:
            raise validation("'%s' is not a valid load balancer, target group, "
                             "listener or rule ARN" % arn)
        return self.tags.setdefault(arn, {})

    def AddTags(self, p):
        arns = as_list(p.get("ResourceArns"))
        self._arn_limit(arns, "resourceArns")
        tags = as_list(p.get("Tags"))
        if not tags:
            raise validation(constraint_message([
                "Value null at 'tags' failed to satisfy constraint: Member must "
                "not be null"]))
        for arn in arns:
            current = self._resource(arn)
            self._check_tags(tags, current)
        for arn in arns:
            self.tags[arn].update(self._tag_dict(tags))
        return {}

    def RemoveTags(self, p):
        arns = as_list(p.get("ResourceArns"))
        self._arn_limit(arns, "resourceArns")
        keys = as_list(p.get("TagKeys"))
        for arn in arns:
            self._resource(arn)
        for arn in arns:
            for k in keys:
                self.tags[arn].pop(k, None)
        return {}

    def DescribeTags(self, p):
        arns = as_list(p.get("ResourceArns"))
        if not arns:
            raise validation(constraint_message([
                "Value null at 'resourceArns' failed to satisfy constraint: "
                "Member must not be null"]))
        self._arn_limit(arns, "resourceArns")
        out = []
        for arn in arns:
            tags = self._resource(arn)
            out.append({"ResourceArn": arn,
                        "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]})
        return {"TagDescriptions": out}

    # account -------------------------------------------------------------------

    def DescribeAccountLimits(self, p):
        limits = [{"Name": k, "Max": str(v)} for k, v in self.config.quotas.items()]
        return self._page(limits, p, "Limits")

    def DescribeSSLPolicies(self, p):
        names = as_list(p.get("Names"))
        for n in names:
            if n not in SSL_POLICIES:
                raise AwsError("SSLPolicyNotFound", "SSL policy '%s' not found" % n)
        pols = []
        for n in (names or SSL_POLICIES):
            protos = (["TLSv1.3"] if "1-3" in n else
                      ["TLSv1.2", "TLSv1.3"] if "TLS13" in n else
                      ["TLSv1.2"] if "1-2" in n else ["TLSv1", "TLSv1.1", "TLSv1.2"])
            pols.append({"SslProtocols": protos,
                         "Ciphers": [{"Name": "ECDHE-ECDSA-AES128-GCM-SHA256",
                                      "Priority": 1}],
                         "Name": n,
                         "SupportedLoadBalancerTypes": ["application", "network"]})
        return self._page(pols, p, "SslPolicies")

    # control API ---------------------------------------------------------------

    def dump(self):
        def clean(d):
            return {k: v for k, v in d.items() if not k.startswith("_")}
        lbs = []
        for lb in self.lbs.values():
            o = self._lb_out(lb)
            o["Attributes"] = dict(lb["_attrs"])
            o["Tags"] = dict(self.tags.get(lb["LoadBalancerArn"], {}))
            o["Listeners"] = []
            for li in self.listeners.values():
                if li["LoadBalancerArn"] != lb["LoadBalancerArn"]:
                    continue
                lo = self._listener_out(li)
                lo["ExtraCertificates"] = list(li["_extra_certs"])
                lo["Attributes"] = dict(li["_attrs"])
                lo["Tags"] = dict(self.tags.get(li["ListenerArn"], {}))
                lo["Rules"] = [dict(self._rule_out(r),
                                    Tags=dict(self.tags.get(r["RuleArn"], {})))
                               for r in self._sorted_rules(
                                   self._listener_rules(li["ListenerArn"]))]
                o["Listeners"].append(lo)
            lbs.append(o)
        tgs = []
        index = self._tg_lb_index()
        for tg in self.tgs.values():
            o = self._tg_out(tg, index)
            o["Attributes"] = dict(tg["_attrs"])
            o["Tags"] = dict(self.tags.get(tg["TargetGroupArn"], {}))
            o["Targets"] = [clean(t) for t in tg["_targets"]]
            tgs.append(o)
        return {"LoadBalancers": lbs, "TargetGroups": tgs}


def _action_tgs(actions):
    out = []
    for a in actions:
        if a.get("Type") != "forward":
            continue
        for t in a.get("ForwardConfig", {}).get("TargetGroups", []):
            out.append(t["TargetGroupArn"])
    return out


def is_mutating(action):
    return action.startswith(MUTATING_PREFIXES)
