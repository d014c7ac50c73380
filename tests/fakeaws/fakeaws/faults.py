"""Fault injection rules, matched by service and action glob patterns.

A rule: {"service": "elasticloadbalancing"|"ec2"|"sts"|"acm"|"*" (also "elbv2"),
"action": glob, "kind": "throttle"|"error"|"reset"|"drop"|"delay"|"hang",
"count": N (next N matching calls; omitted = unlimited),
"probability": 0..1, "seed": int, "status": int, "code": str,
"message": str, "delay_ms": int, "params": {name: glob}}.

"reset" closes the connection before the call is handled (it did not
happen); "drop" handles the call (a write takes effect) and then closes the
connection instead of answering: the client cannot know it happened.

A rule with a "probability" below 1 and a "seed" decides by the request,
not by arrival order: the n-th occurrence of the same request (service,
action and parameters) always meets the same fate for the same seed, so a
seeded fault run replays even when a client sends calls concurrently.
Without a seed the draws are random.

"params" narrows a rule to calls whose flat request parameters match every
glob (e.g. {"ListenerArn": "*/app/k8s-blog-*"}: only one load balancer's
listener), so a test can break one Gateway while the others work.
"""

import fnmatch
import hashlib
import json
import random
import threading

KINDS = ("throttle", "error", "reset", "drop", "delay", "hang")
SERVICE_ALIASES = {"elbv2": "elasticloadbalancing", "elb": "elasticloadbalancing"}

THROTTLE = {
    "elasticloadbalancing": (400, "Throttling", "Rate exceeded"),
    "sts": (400, "Throttling", "Rate exceeded"),
    "ec2": (503, "RequestLimitExceeded", "Request limit exceeded."),
    "acm": (400, "ThrottlingException", "Rate exceeded"),
}
SERVER_ERRORS = {
    ("ec2", 500): ("InternalError", "An internal error has occurred"),
    ("ec2", 503): ("Unavailable", "The server is overloaded and can't handle the request."),
    (None, 500): ("InternalFailure", "The request processing has failed because "
                  "of an unknown error, exception or failure."),
    (None, 503): ("ServiceUnavailable", "The request has failed due to a "
                  "temporary failure of the server."),
}


class Fault:
    """What to do to one call: delay (seconds) and at most one action."""
    __slots__ = ("delay", "kind", "status", "code", "message", "rule_id")

    def __init__(self):
        self.delay = 0.0
        self.kind = None
        self.status = self.code = self.message = self.rule_id = None


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []
        self.next_id = 1

    def add(self, spec):
        kind = spec.get("kind")
        if kind not in KINDS:
            raise ValueError("kind must be one of %s" % ", ".join(KINDS))
        prob = float(spec.get("probability", 1.0))
        if not 0.0 <= prob <= 1.0:
            raise ValueError("probability must be within 0..1")
        count = spec.get("count")
        if count is not None:
            count = int(count)
        svc = spec.get("service", "*")
        rule = {"id": self.next_id, "service": SERVICE_ALIASES.get(svc, svc),
                "action": spec.get("action", "*"), "kind": kind,
                "count": count, "remaining": count, "probability": prob,
                "seed": spec.get("seed"), "status": spec.get("status"),
                "code": spec.get("code"), "message": spec.get("message"),
                "delay_ms": int(spec.get("delay_ms", 0)), "hits": 0,
                "params": dict(spec.get("params") or {})}
        rule["_rng"] = random.Random(spec.get("seed"))
        rule["_seen"] = {}
        with self.lock:
            self.next_id += 1
            self.rules.append(rule)
        return self.public(rule)

    @staticmethod
    def public(rule):
        return {k: v for k, v in rule.items() if not k.startswith("_")}

    def list(self):
        with self.lock:
            return [self.public(r) for r in self.rules]

    def clear(self):
        with self.lock:
            self.rules = []

    @staticmethod
    def draw(rule, service, action, params):
        """A number in [0, 1): from the request and its occurrence for a
        seeded rule (order-independent), else from the rule's generator."""
        if rule["seed"] is None:
            return rule["_rng"].random()
        key = json.dumps([service, action, sorted(
            (k, str(v)) for k, v in params.items() if not k.startswith("X-Amz-"))])
        n = rule["_seen"].get(key, 0)
        rule["_seen"][key] = n + 1
        digest = hashlib.sha256(json.dumps([rule["seed"], key, n]).encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2.0 ** 64

    def match(self, service, action, params=None):
        f = Fault()
        params = params or {}
        with self.lock:
            for r in self.rules:
                if r["remaining"] is not None and r["remaining"] <= 0:
                    continue
                if not fnmatch.fnmatchcase(service, r["service"]):
                    continue
                if not fnmatch.fnmatchcase(action, r["action"]):
                    continue
                if any(not fnmatch.fnmatchcase(str(params.get(k, "")), v)
                       for k, v in r["params"].items()):
                    continue
                if r["kind"] != "delay" and f.kind is not None:
                    continue
                if r["probability"] < 1.0 and self.draw(r, service, action,
                                                        params) >= r["probability"]:
                    continue
                if r["remaining"] is not None:
                    r["remaining"] -= 1
                r["hits"] += 1
                if r["kind"] == "delay":
                    f.delay += r["delay_ms"] / 1000.0
                    continue
                f.kind, f.rule_id = r["kind"], r["id"]
                if r["kind"] == "throttle":
                    st, code, msg = THROTTLE.get(service, THROTTLE["sts"])
                    f.status = r["status"] or st
                    f.code = r["code"] or code
                    f.message = r["message"] or msg
                elif r["kind"] == "error":
                    st = int(r["status"] or 500)
                    code, msg = SERVER_ERRORS.get(
                        (service if service == "ec2" else None, st),
                        SERVER_ERRORS.get((None, st), ("InternalFailure", "Injected error")))
                    f.status = st
                    f.code = r["code"] or code
                    f.message = r["message"] or msg
                if r["delay_ms"] and r["kind"] != "delay":
                    f.delay += r["delay_ms"] / 1000.0
        return f
