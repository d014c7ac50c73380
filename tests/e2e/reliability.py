"""Shared pieces of the reliability suites (test_reliability_*.py) and of
scripts/faults: the random fault mix, a normalized dump of the AWS state
that two runs can be compared by, and small statistics for the figures.

The dump keeps what a user would call "the same load balancers": names,
ports, protocols, rule priorities, conditions and actions, attributes,
health checks, targets, security-group rules and every tag; it drops what
AWS assigns per creation (ARNs, ids, DNS names, times) and writes
references between resources (a rule's target group, a load balancer's
security group) by name.
"""

import collections
import json
import os

from gwse2e import REGION

# The fault mix of issue 14: throttling 10 %, HTTP 500 and 503 5 % together,
# connection resets 2 %, and, independently, 2-second stalls on 2 % of calls.
# A real reset can come before AWS handled the call or after (the reply is
# lost): half of the resets are each ("reset" and fakeaws's "drop").
# fakeaws checks its rules in order and the first one that fires decides, so
# each rule's probability is conditional on the ones before it not firing:
# that keeps every rate at its nominal share of all calls.
MIX = (("throttle", {}, 0.10),
       ("error", {"status": 500}, 0.025),
       ("error", {"status": 503}, 0.025),
       ("reset", {}, 0.01),
       ("drop", {}, 0.01))
STALL = 0.02
STALL_MS = 2000


def fault_rules(seed):
    """fakeaws fault rules for one seed: every AWS service, every action."""
    rules, left = [], 1.0
    for i, (kind, extra, rate) in enumerate(MIX):
        rule = {"service": "*", "action": "*", "kind": kind,
                "probability": rate / left, "seed": seed * 101 + i}
        rule.update(extra)
        rules.append(rule)
        left -= rate
    rules.insert(0, {"service": "*", "action": "*", "kind": "delay", "delay_ms": STALL_MS,
                     "probability": STALL, "seed": seed * 101 + 99})
    return rules


def seeds(default):
    """The seeds to run: RELIABILITY_SEEDS (a count) from RELIABILITY_SEED_BASE."""
    n = int(os.environ.get("RELIABILITY_SEEDS", default))
    base = int(os.environ.get("RELIABILITY_SEED_BASE", 1))
    return list(range(base, base + n))


# ---- normalized state ---------------------------------------------------------------

LB_DROP = ("LoadBalancerArn", "DNSName", "CanonicalHostedZoneId", "CreatedTime", "State")


def _refs(x, names):
    """`x` with every string that is a known ARN or id replaced by its name."""
    if isinstance(x, dict):
        return {k: _refs(v, names) for k, v in x.items()}
    if isinstance(x, list):
        return [_refs(v, names) for v in x]
    if isinstance(x, str) and x in names:
        return names[x]
    return x


def _key(x):
    return json.dumps(x, sort_keys=True)


def normalized(state):
    """fakeaws's /_fake/state reduced to what two equal estates share."""
    region = state["regions"].get(REGION, {"elbv2": {"LoadBalancers": [], "TargetGroups": []},
                                           "ec2": {"SecurityGroups": []}})
    elbv2, ec2 = region["elbv2"], region["ec2"]
    names = {}
    for tg in elbv2["TargetGroups"]:
        names[tg["TargetGroupArn"]] = "tg:" + tg["TargetGroupName"]
    for lb in elbv2["LoadBalancers"]:
        names[lb["LoadBalancerArn"]] = "lb:" + lb["LoadBalancerName"]
    for sg in ec2["SecurityGroups"]:
        names[sg["groupId"]] = "sg:" + sg["groupName"]

    lbs = []
    for lb in elbv2["LoadBalancers"]:
        out = {k: v for k, v in lb.items() if k not in LB_DROP + ("Listeners",)}
        out["SecurityGroups"] = sorted(names.get(g, g) for g in lb.get("SecurityGroups") or [])
        listeners = []
        for li in lb["Listeners"]:
            lo = {k: v for k, v in li.items()
                  if k not in ("ListenerArn", "LoadBalancerArn", "Rules")}
            lo["Rules"] = sorted(
                ({k: v for k, v in ru.items() if k != "RuleArn"} for ru in li["Rules"]),
                key=lambda ru: (ru["Priority"] != "default",
                                int(ru["Priority"]) if ru["Priority"].isdigit() else 0))
            listeners.append(lo)
        out["Listeners"] = sorted(listeners, key=lambda li: li["Port"])
        lbs.append(out)
    tgs = []
    for tg in elbv2["TargetGroups"]:
        out = {k: v for k, v in tg.items() if k != "TargetGroupArn"}
        out["LoadBalancerArns"] = sorted(names.get(a, a) for a in tg.get("LoadBalancerArns") or [])
        out["Targets"] = sorted(tg.get("Targets") or [], key=_key)
        tgs.append(out)
    sgs = []
    for sg in ec2["SecurityGroups"]:
        out = {k: v for k, v in sg.items() if k not in ("groupId", "ownerId")}
        for perm in ("ipPermissions", "ipPermissionsEgress"):
            out[perm] = sorted(out.get(perm) or [], key=lambda p: _key(_refs(p, names)))
        out["tagSet"] = sorted(out.get("tagSet") or [], key=_key)
        sgs.append(out)
    return _refs({"LoadBalancers": sorted(lbs, key=lambda lb: lb["LoadBalancerName"]),
                  "TargetGroups": sorted(tgs, key=lambda tg: tg["TargetGroupName"]),
                  "SecurityGroups": sorted(sgs, key=lambda sg: sg["groupName"])}, names)


def diff(a, b, path="", out=None, limit=20):
    """Where two normalized dumps differ (the first `limit` places)."""
    out = [] if out is None else out
    if len(out) >= limit:
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append("%s/%s: %s vs %s" % (path, k, a.get(k, "<absent>"),
                                                 b.get(k, "<absent>")))
            else:
                diff(a[k], b[k], "%s/%s" % (path, k), out, limit)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, "%s[%d]" % (path, i), out, limit)
    elif a != b:
        out.append("%s: %s vs %s" % (path, json.dumps(a)[:200], json.dumps(b)[:200]))
    return out


def distribution(values):
    """"1 run: 7, 2 runs: 3" for a list of counts."""
    c = collections.Counter(values)
    return ", ".join("%s: %d" % (k, c[k]) for k in sorted(c))
