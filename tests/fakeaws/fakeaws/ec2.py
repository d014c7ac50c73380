"""The EC2 subset a load-balancer reconciler needs (EC2's Query dialect, docs/aws.md): VPCs,
subnets with tags for discovery, security groups with ingress rules, tags.

Seeded from a JSON fixtures file; replies use EC2's own XML (lowerCamel
names, <item> lists, top-level requestId) and error shape."""

import fnmatch
import ipaddress

from .errors import AwsError
from .params import as_list, as_int

NS = "http://ec2.amazonaws.com/doc/2016-11-15/"


def _err(code, message):
    return AwsError(code, message, 400)


def _tagset(tags):
    return [{"key": k, "value": v} for k, v in tags.items()]


def _match(values, candidates):
    """EC2 filter values: any value matches any candidate; * and ? wildcards."""
    for v in values:
        for c in candidates:
            if c is not None and fnmatch.fnmatchcase(str(c), v):
                return True
    return False


class Ec2Backend:
    def __init__(self, region, account, ids, fixtures, sg_in_use):
        self.region = region
        self.account = account
        self.ids = ids
        self.sg_in_use = sg_in_use   # callable(sg_id) -> bool
        self.vpcs, self.subnets, self.sgs = {}, {}, {}
        self._load(fixtures or {})

    # fixtures ------------------------------------------------------------------

    def _az(self, az):
        """Fixture AZs are written for the fixture's region; other regions get
        the same letter in their own name."""
        if not az:
            return self.region + "a"
        if az.startswith(self.region):
            return az
        return self.region + az[-1]

    def _load(self, fx):
        for v in fx.get("vpcs", []):
            self.vpcs[v["VpcId"]] = {
                "vpcId": v["VpcId"], "state": "available",
                "cidrBlock": v.get("CidrBlock", "10.0.0.0/16"),
                "dhcpOptionsId": v.get("DhcpOptionsId", "dopt-00000000"),
                "instanceTenancy": "default",
                "isDefault": bool(v.get("IsDefault", False)),
                "ownerId": self.account, "_tags": dict(v.get("Tags", {}))}
        for s in fx.get("subnets", []):
            az = self._az(s.get("AvailabilityZone"))
            self.subnets[s["SubnetId"]] = {
                "subnetId": s["SubnetId"],
                "subnetArn": "arn:aws:ec2:%s:%s:subnet/%s" % (
                    self.region, self.account, s["SubnetId"]),
                "state": "available", "vpcId": s["VpcId"],
                "cidrBlock": s.get("CidrBlock", "10.0.0.0/24"),
                "availableIpAddressCount": s.get("AvailableIpAddressCount", 250),
                "availabilityZone": az,
                "availabilityZoneId": "%s-az%s" % (
                    self.region.split("-")[0] + self.region.split("-")[1][:1]
                    + self.region[-1], "abcdef".index(az[-1]) + 1
                    if az[-1] in "abcdef" else 1),
                "defaultForAz": bool(s.get("DefaultForAz", False)),
                "mapPublicIpOnLaunch": bool(s.get("MapPublicIpOnLaunch", False)),
                "ownerId": self.account, "_tags": dict(s.get("Tags", {}))}
        for g in fx.get("security_groups", []):
            self._new_sg(g["GroupId"], g.get("GroupName", g["GroupId"]),
                         g.get("Description", ""), g["VpcId"], g.get("Tags", {}))
        for vpc in self.vpcs:
            if self.default_security_group(vpc) is None:
                self._new_sg("sg-" + self.ids.hex17(), "default",
                             "default VPC security group", vpc, {})

    def _new_sg(self, gid, name, desc, vpc, tags):
        self.sgs[gid] = {"ownerId": self.account, "groupId": gid,
                         "groupName": name, "groupDescription": desc,
                         "vpcId": vpc, "_tags": dict(tags), "_ingress": [],
                         "_egress": [("-1", None, None, "cidr", "0.0.0.0/0", None,
                                      "sgr-" + self.ids.hex17())]}
        return self.sgs[gid]

    # lookups used by ELBv2 -----------------------------------------------------

    def subnet(self, sid):
        return self.subnets.get(sid)

    def security_group(self, gid):
        return self.sgs.get(gid)

    def vpc(self, vid):
        return self.vpcs.get(vid)

    def default_security_group(self, vpc):
        for g in self.sgs.values():
            if g["vpcId"] == vpc and g["groupName"] == "default":
                return g["groupId"]
        return None

    # helpers -------------------------------------------------------------------

    def _filters(self, p):
        out = []
        for f in as_list(p.get("Filter")):
            out.append((f.get("Name") or "", as_list(f.get("Value"))))
        return out

    def _apply(self, items, filters, fields):
        res = []
        for it in items:
            ok = True
            for name, values in filters:
                if name.startswith("tag:"):
                    key = name[4:]
                    cands = [it["_tags"][key]] if key in it["_tags"] else []
                elif name == "tag-key":
                    cands = list(it["_tags"])
                elif name == "tag-value":
                    cands = list(it["_tags"].values())
                elif name in fields:
                    cands = fields[name](it)
                else:
                    raise _err("InvalidParameterValue",
                               "The filter '%s' is invalid" % name)
                if not _match(values, cands):
                    ok = False
                    break
            if ok:
                res.append(it)
        return res

    def _page(self, items, p, key, lo=5, hi=1000):
        mr = as_int(p.get("MaxResults"), "MaxResults")
        start = as_int(p.get("NextToken"), "NextToken", 0) if p.get("NextToken") else 0
        if mr is None:
            return {key: items[start:]}
        if not lo <= mr <= hi:
            raise _err("InvalidParameterValue",
                       "Value ( %d ) for parameter maxResults is invalid. "
                       "Expecting a value between %d and %d." % (mr, lo, hi))
        out = {key: items[start:start + mr]}
        if start + mr < len(items):
            out["nextToken"] = str(start + mr)
        return out

    @staticmethod
    def _out(it):
        o = {k: v for k, v in it.items() if not k.startswith("_")}
        o["tagSet"] = _tagset(it["_tags"]) if it["_tags"] else None
        return o

    # VPCs and subnets ----------------------------------------------------------

    def DescribeVpcs(self, p):
        ids = as_list(p.get("VpcId"))
        for v in ids:
            if v not in self.vpcs:
                raise _err("InvalidVpcID.NotFound",
                           "The vpc ID '%s' does not exist" % v)
        items = [self.vpcs[v] for v in ids] if ids else list(self.vpcs.values())
        items = self._apply(items, self._filters(p), {
            "vpc-id": lambda v: [v["vpcId"]], "cidr": lambda v: [v["cidrBlock"]],
            "cidr-block": lambda v: [v["cidrBlock"]],
            "is-default": lambda v: [str(v["isDefault"]).lower()],
            "state": lambda v: [v["state"]], "owner-id": lambda v: [v["ownerId"]]})
        return self._page([self._out(v) for v in items], p, "vpcSet")

    def DescribeSubnets(self, p):
        ids = as_list(p.get("SubnetId"))
        for s in ids:
            if s not in self.subnets:
                raise _err("InvalidSubnetID.NotFound",
                           "The subnet ID '%s' does not exist" % s)
        items = [self.subnets[s] for s in ids] if ids else list(self.subnets.values())
        items = self._apply(items, self._filters(p), {
            "vpc-id": lambda s: [s["vpcId"]], "subnet-id": lambda s: [s["subnetId"]],
            "availability-zone": lambda s: [s["availabilityZone"]],
            "availabilityZone": lambda s: [s["availabilityZone"]],
            "availability-zone-id": lambda s: [s["availabilityZoneId"]],
            "cidr-block": lambda s: [s["cidrBlock"]],
            "cidrBlock": lambda s: [s["cidrBlock"]],
            "default-for-az": lambda s: [str(s["defaultForAz"]).lower()],
            "map-public-ip-on-launch": lambda s: [str(s["mapPublicIpOnLaunch"]).lower()],
            "state": lambda s: [s["state"]], "owner-id": lambda s: [s["ownerId"]]})
        return self._page([self._out(s) for s in items], p, "subnetSet")

    # security groups -----------------------------------------------------------

    def _sg_out(self, g):
        o = {k: g[k] for k in ("ownerId", "groupId", "groupName",
                               "groupDescription", "vpcId")}
        o["ipPermissions"] = self._perms_out(g["_ingress"])
        o["ipPermissionsEgress"] = self._perms_out(g["_egress"])
        o["tagSet"] = _tagset(g["_tags"]) if g["_tags"] else None
        return o

    def _perms_out(self, rules):
        grouped = {}
        for proto, fp, tp, kind, val, desc, _rid in rules:
            perm = grouped.setdefault((proto, fp, tp), {
                "ipProtocol": proto, "fromPort": fp, "toPort": tp,
                "groups": [], "ipRanges": [], "ipv6Ranges": [], "prefixListIds": []})
            if kind == "cidr":
                perm["ipRanges"].append({"cidrIp": val, "description": desc})
            elif kind == "cidr6":
                perm["ipv6Ranges"].append({"cidrIpv6": val, "description": desc})
            elif kind == "group":
                perm["groups"].append({"groupId": val, "userId": self.account,
                                       "description": desc})
            else:
                perm["prefixListIds"].append({"prefixListId": val,
                                              "description": desc})
        return list(grouped.values())

    def _find_sg(self, p):
        gid = p.get("GroupId")
        if gid:
            g = self.sgs.get(gid)
            if g is None:
                raise _err("InvalidGroup.NotFound",
                           "The security group '%s' does not exist" % gid)
            return g
        name = p.get("GroupName")
        if name:
            for g in self.sgs.values():
                if g["groupName"] == name:
                    return g
            raise _err("InvalidGroup.NotFound",
                       "The security group '%s' does not exist in default VPC"
                       % name)
        raise _err("MissingParameter",
                   "The request must contain the parameter groupId")

    def DescribeSecurityGroups(self, p):
        ids = as_list(p.get("GroupId"))
        names = as_list(p.get("GroupName"))
        for gid in ids:
            if gid not in self.sgs:
                raise _err("InvalidGroup.NotFound",
                           "The security group '%s' does not exist" % gid)
        items = [self.sgs[g] for g in ids] if ids else list(self.sgs.values())
        if names:
            items = [g for g in items if g["groupName"] in names]
            for n in names:
                if not any(g["groupName"] == n for g in items):
                    raise _err("InvalidGroup.NotFound",
                               "The security group '%s' does not exist" % n)
        items = self._apply(items, self._filters(p), {
            "group-id": lambda g: [g["groupId"]],
            "group-name": lambda g: [g["groupName"]],
            "description": lambda g: [g["groupDescription"]],
            "vpc-id": lambda g: [g["vpcId"]], "owner-id": lambda g: [g["ownerId"]]})
        return self._page([self._sg_out(g) for g in items], p,
                          "securityGroupInfo")

    def CreateSecurityGroup(self, p):
        name = p.get("GroupName")
        desc = p.get("GroupDescription")
        if not name:
            raise _err("MissingParameter",
                       "The request must contain the parameter groupName")
        if desc is None:
            raise _err("MissingParameter",
                       "The request must contain the parameter groupDescription")
        if len(name) > 255 or len(desc) > 255:
            raise _err("InvalidParameterValue",
                       "Value for parameter groupName or groupDescription is "
                       "longer than 255 characters")
        if name.startswith("sg-"):
            raise _err("InvalidParameterValue",
                       "Group names may not be in the format sg-*.")
        vpc = p.get("VpcId")
        if not vpc:
            default = [v for v in self.vpcs.values() if v["isDefault"]]
            if not default:
                raise _err("VPCIdNotSpecified", "No default VPC for this user")
            vpc = default[0]["vpcId"]
        if vpc not in self.vpcs:
            raise _err("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist" % vpc)
        for g in self.sgs.values():
            if g["vpcId"] == vpc and g["groupName"] == name:
                raise _err("InvalidGroup.Duplicate",
                           "The security group '%s' already exists for VPC "
                           "'%s'" % (name, vpc))
        tags = {}
        for spec in as_list(p.get("TagSpecification")):
            if spec.get("ResourceType") not in (None, "security-group"):
                raise _err("InvalidParameterValue",
                           "'%s' is not a valid taggable resource type for this "
                           "operation." % spec.get("ResourceType"))
            for t in as_list(spec.get("Tag")):
                tags[t.get("Key")] = t.get("Value") or ""
        g = self._new_sg("sg-" + self.ids.hex17(), name, desc, vpc, tags)
        out = {"return": True, "groupId": g["groupId"]}
        if tags:
            out["tagSet"] = _tagset(tags)
        return out

    def DeleteSecurityGroup(self, p):
        g = self._find_sg(p)
        gid = g["groupId"]
        if g["groupName"] == "default":
            raise _err("CannotDelete", 'the specified group: "%s" name: "default" '
                       "cannot be deleted by a user" % gid)
        if self.sg_in_use(gid) or any(
                r[3] == "group" and r[4] == gid
                for o in self.sgs.values() if o is not g
                for r in o["_ingress"] + o["_egress"]):
            raise _err("DependencyViolation",
                       "resource %s has a dependent object" % gid)
        del self.sgs[gid]
        return {"return": True, "groupId": gid}

    def _rules_from(self, p):
        perms = as_list(p.get("IpPermissions"))
        if not perms and p.get("IpProtocol"):
            perms = [{"IpProtocol": p.get("IpProtocol"), "FromPort": p.get("FromPort"),
                      "ToPort": p.get("ToPort"),
                      "IpRanges": [{"CidrIp": p["CidrIp"]}] if p.get("CidrIp") else [],
                      "Groups": ([{"GroupId": p["SourceSecurityGroupId"]}]
                                 if p.get("SourceSecurityGroupId") else [])}]
        if not perms:
            raise _err("MissingParameter",
                       "The request must contain the parameter ipPermissions")
        rules = []
        for perm in perms:
            proto = str(perm.get("IpProtocol") or "").lower()
            if not proto:
                raise _err("MissingParameter",
                           "The request must contain the parameter ipProtocol")
            proto = {"6": "tcp", "17": "udp", "1": "icmp", "all": "-1"}.get(proto, proto)
            if proto not in ("tcp", "udp", "icmp", "icmpv6", "-1") and not proto.isdigit():
                raise _err("InvalidParameterValue",
                           "Invalid value '%s' for IP protocol. Unknown protocol."
                           % proto)
            fp = as_int(perm.get("FromPort"), "FromPort")
            tp = as_int(perm.get("ToPort"), "ToPort")
            if proto in ("tcp", "udp"):
                if fp is None or tp is None:
                    raise _err("InvalidParameterValue",
                               "Invalid value 'Must specify both from and to "
                               "ports with TCP/UDP.' for portRange")
                if not (0 <= fp <= 65535 and 0 <= tp <= 65535) or fp > tp:
                    raise _err("InvalidParameterValue",
                               "Invalid port range %s-%s" % (fp, tp))
            if proto == "-1":
                fp = tp = None
            entries = []
            for r in as_list(perm.get("IpRanges")):
                cidr = r.get("CidrIp") or ""
                try:
                    ipaddress.IPv4Network(cidr, strict=False)
                    if "/" not in cidr:
                        raise ValueError
                except ValueError:
                    raise _err("InvalidParameterValue",
                               "CIDR block %s is malformed" % cidr)
                entries.append(("cidr", cidr, r.get("Description")))
            for r in as_list(perm.get("Ipv6Ranges")):
                cidr = r.get("CidrIpv6") or ""
                try:
                    ipaddress.IPv6Network(cidr, strict=False)
                except ValueError:
                    raise _err("InvalidParameterValue",
                               "CIDR block %s is malformed" % cidr)
                entries.append(("cidr6", cidr, r.get("Description")))
            for r in as_list(perm.get("Groups")):
                gid = r.get("GroupId")
                if gid not in self.sgs:
                    raise _err("InvalidGroup.NotFound",
                               "The security group '%s' does not exist" % gid)
                entries.append(("group", gid, r.get("Description")))
            for r in as_list(perm.get("PrefixListIds")):
                entries.append(("prefix", r.get("PrefixListId"), r.get("Description")))
            if not entries:
                raise _err("MissingParameter", "The request must contain the "
                           "parameter ipRanges, ipv6Ranges, groups or "
                           "prefixListIds")
            for kind, val, desc in entries:
                rules.append((proto, fp, tp, kind, val, desc))
        return rules

    @staticmethod
    def _rule_text(r):
        return ('peer: %s, %s, from port: %s, to port: %s, ALLOW'
                % (r[4], r[0].upper() if r[0] != "-1" else "ALL",
                   r[1], r[2]))

    def AuthorizeSecurityGroupIngress(self, p):
        g = self._find_sg(p)
        new = self._rules_from(p)
        for r in new:
            if any(x[:5] == r[:5] for x in g["_ingress"]):
                raise _err("InvalidPermission.Duplicate",
                           'the specified rule "%s" already exists'
                           % self._rule_text(r))
        out = []
        for r in new:
            rid = "sgr-" + self.ids.hex17()
            g["_ingress"].append(r + (rid,))
            item = {"securityGroupRuleId": rid, "groupId": g["groupId"],
                    "groupOwnerId": self.account, "isEgress": False,
                    "ipProtocol": r[0], "fromPort": r[1] if r[1] is not None else -1,
                    "toPort": r[2] if r[2] is not None else -1}
            key = {"cidr": "cidrIpv4", "cidr6": "cidrIpv6", "prefix": "prefixListId"}
            if r[3] == "group":
                item["referencedGroupInfo"] = {"groupId": r[4], "userId": self.account}
            else:
                item[key[r[3]]] = r[4]
            item["description"] = r[5]
            out.append(item)
        return {"return": True, "securityGroupRuleSet": out}

    def RevokeSecurityGroupIngress(self, p):
        g = self._find_sg(p)
        rules = self._rules_from(p)
        for r in rules:
            if not any(x[:5] == r[:5] for x in g["_ingress"]):
                raise _err("InvalidPermission.NotFound",
                           "The specified rule does not exist in this security "
                           "group.")
        for r in rules:
            g["_ingress"] = [x for x in g["_ingress"] if x[:5] != r[:5]]
        return {"return": True}

    # tags ----------------------------------------------------------------------

    def _tag_target(self, rid):
        for prefix, table, code, what in (
                ("sg-", self.sgs, "InvalidGroup.NotFound", "The security group '%s' does not exist"),
                ("subnet-", self.subnets, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist"),
                ("vpc-", self.vpcs, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist")):
            if rid.startswith(prefix):
                if rid not in table:
                    raise _err(code, what % rid)
                return table[rid]["_tags"]
        raise _err("InvalidID", "The ID '%s' is not valid" % rid)

    def CreateTags(self, p):
        ids = as_list(p.get("ResourceId"))
        if not ids:
            raise _err("MissingParameter",
                       "The request must contain the parameter resourceIdSet")
        tags = as_list(p.get("Tag"))
        targets = [self._tag_target(r) for r in ids]
        for t in tags:
            if not t.get("Key"):
                raise _err("InvalidParameterValue", "Tag keys must not be empty")
            if t["Key"].startswith("aws:"):
                raise _err("InvalidParameterValue",
                           "Tag keys starting with 'aws:' are reserved for "
                           "internal use")
        for tg in targets:
            for t in tags:
                tg[t["Key"]] = t.get("Value") or ""
            if len(tg) > 50:
                raise _err("TagLimitExceeded",
                           "The maximum number of tags per resource has been "
                           "reached")
        return {"return": True}

    def DeleteTags(self, p):
        ids = as_list(p.get("ResourceId"))
        tags = as_list(p.get("Tag"))
        for r in ids:
            tg = self._tag_target(r)
            if not tags:
                tg.clear()
            for t in tags:
                k = t.get("Key")
                if k in tg and ("Value" not in t or t.get("Value") == tg[k]):
                    del tg[k]
        return {"return": True}

    def dump(self):
        return {"Vpcs": [self._out(v) for v in self.vpcs.values()],
                "Subnets": [self._out(s) for s in self.subnets.values()],
                "SecurityGroups": [self._sg_out(g) for g in self.sgs.values()]}


def is_mutating(action):
    return action.startswith(("Create", "Delete", "Authorize", "Revoke"))
