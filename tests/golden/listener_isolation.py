#!/usr/bin/env python3
"""The request cases of the Gateway API conformance test
gateway-http-listener-isolation, sent to the ALB rules that `gwsync render`
builds for tests/golden/alb-listener-isolation (both Gateways: routes without
hostnames, and routes whose hostnames only isolation keeps from them).

Each request must reach the route attached to the most specific listener
matching its host, or get 404. The rule evaluator is the end-to-end suites'
(tests/e2e/gwse2e.py route()), fed with the rendered rules."""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import gwse2e  # noqa: E402

BIN = os.environ.get("GWSYNC_BIN") or gwse2e.BIN
CASE = os.path.join(HERE, "alb-listener-isolation")
LISTENERS = ("empty-hostname", "wildcard-example-com", "wildcard-foo-example-com",
             "abc-foo-example-com")
# host → the listener whose routes serve it (the most specific match)
HOSTS = {
    "bar.com": "empty-hostname",
    "bar.example.com": "wildcard-example-com",
    "bar.foo.example.com": "wildcard-foo-example-com",
    "abc.foo.example.com": "abc-foo-example-com",
}


def render():
    out = subprocess.run([BIN, "render", "--repo", "repo"], cwd=CASE, check=False,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        raise AssertionError("render exited %d: %s" % (out.returncode, out.stderr))
    return json.loads(out.stdout)


def answer(listener, host, path):
    """What the ALB listener does with the request: ("forward", route name) or
    ("fixed", status)."""
    rules = [{"Priority": r["priority"], "Conditions": r["conditions"], "actions": r["actions"]}
             for r in listener["rules"]]
    hit = gwse2e.route(rules, {"host": host, "path": path})
    actions = hit["actions"] if hit else listener["defaultActions"]
    final = actions[-1]
    if final["Type"] == "forward":
        tgs = final["ForwardConfig"]["TargetGroups"]
        # the target group id is <gw>:<routeNs>-<routeName>:<Kind>-<svc>:<port>
        return ("forward", tgs[0]["TargetGroupRef"].split(":")[1])
    return ("fixed", final["FixedResponseConfig"]["StatusCode"])


class ListenerIsolation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.doc = render()

    def check_gateway(self, name, suffix):
        stack = next(s for s in self.doc["stacks"] if s["gateway"].endswith("/" + name))
        self.assertIsNone(stack.get("blocked"))
        (listener,) = stack["listeners"]
        for host, owner in sorted(HOSTS.items()):
            for path_listener in LISTENERS:
                path = "/" + path_listener
                with self.subTest(gateway=name, host=host, path=path):
                    got = answer(listener, host, path)
                    if path_listener == owner:
                        want = ("forward", "gateway-conformance-infra-attaches-to-%s%s" %
                                (owner, suffix))
                    else:
                        want = ("fixed", "404")
                    self.assertEqual(got, want)

    def test_routes_without_hostnames(self):
        self.check_gateway("http-listener-isolation", "")

    def test_routes_with_hostname_intersection(self):
        self.check_gateway("http-listener-isolation-with-hostname-intersection",
                           "-with-hostname-intersection")

    def test_supported_feature_reported(self):
        cls = next(c for c in self.doc["status"]["gatewayClasses"] if c["name"] == "alb")
        names = [f["name"] for f in cls["status"].get("supportedFeatures", [])]
        self.assertIn("GatewayHTTPListenerIsolation", names)
        self.assertEqual(names, sorted(names))


if __name__ == "__main__":
    unittest.main()
