"""Hostile and broken manifests end to end (issue 14, acceptance 3): every case
of the invalid-manifest corpus, and the hostile inputs built here (a 20 MB
file, control characters in header matches, duplicate objects, names that
try to walk paths, one broken file beside a valid estate), run through
`gwsync sync` against fakeaws. Each one exits 4, names the file and line of
the problem, and reaches AWS not even once: fakeaws counts 0 calls of any
kind (reads, writes and authentication)."""

import json
import os
import re
import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401

CORPUS = os.path.join(gwse2e.SRC, "tests", "fixtures", "manifests", "invalid")
# A diagnostic line: "file.yaml:LINE:COL: ..." (or "file.yaml:LINE: ...").
POSITIONED = r"^%s:\d+(:\d+)?: (?!warning:)"

CLASS_AND_GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: alb}
spec: {controllerName: gateway.k8s.aws/alb}
---
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: web}
spec: {ports: [{port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: web}
spec:
  gatewayClassName: alb
  listeners: [{name: http, port: 80, protocol: HTTP}]
"""


def header_route(name, value):
    return CLASS_AND_GATEWAY + """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: web}
spec:
  parentRefs: [{name: web}]
  rules:
  - matches: [{headers: [{name: %s, value: %s}]}]
    backendRefs: [{name: svc, port: 80}]
""" % (name, value)


def expects_error(case_dir):
    """A corpus case whose expected diagnostics hold an error (not only
    warnings): the ones validate answers with exit 4."""
    path = os.path.join(case_dir, "expected")
    if not os.path.exists(path):
        return False
    with open(path, encoding="utf-8", errors="replace") as f:
        return any(line.strip() and not re.match(r"^[^ :]+\.ya?ml:(\d+:)*\s*warning:", line)
                   for line in f)


def expected_files(case_dir):
    """The files the case's expected diagnostics name."""
    with open(os.path.join(case_dir, "expected"), encoding="utf-8", errors="replace") as f:
        return {m.group(1) for m in (re.match(r"^([^ :]+\.ya?ml):\d+", line) for line in f) if m}


class HostileInput(gwse2e.Case):
    def rejected(self, repo, *files, positioned=True):
        """sync on `repo` exits 4, prints a diagnostic for one of `files` at a
        line (or, for a file refused as a whole, naming the file), and makes
        no AWS call at all."""
        self.fa.control("DELETE", "calls")
        r = self.sync(repo, plan=False)
        self.assertEqual(r.code, 4, r)
        out = r.out + r.err
        pattern = "|".join(re.escape(f) for f in files)
        line = (POSITIONED % ("(%s)" % pattern)) if positioned else r"^(%s): " % pattern
        self.assertRegex(out, re.compile(line, re.M), "no diagnostic for %s" % (files,))
        self.assertIn("nothing was applied", out)
        counters = self.fa.counters()
        self.assertEqual(counters["total"], 0, counters["by_action"])
        self.assertEqual(counters["auth"], 0, counters)
        return r

    def test_invalid_fixture_corpus(self):
        cases = sorted(d for d in os.listdir(CORPUS) if expects_error(os.path.join(CORPUS, d)))
        # The corpus is the project's: if it shrinks, so does this proof.
        self.assertGreaterEqual(len(cases), 100)
        for case in cases:
            with self.subTest(case=case):
                src = os.path.join(CORPUS, case)
                repo = self.repo(src, name="corpus-" + case)
                self.rejected(repo, *sorted(expected_files(src)))
        print("\n%d corpus cases: exit 4, positioned, 0 AWS calls" % len(cases))

    def test_one_broken_file_stops_a_valid_estate(self):
        # The examples alone would create load balancers; one broken file
        # beside them stops the whole run before AWS is asked anything.
        repo = self.repo("examples")
        self.write(repo, "zz-broken.yaml", "apiVersion: v1\nkind: [Service\n")
        self.rejected(repo, "zz-broken.yaml")

    def test_twenty_megabyte_file(self):
        repo = self.repo("examples")
        path = os.path.join(repo, "apps", "huge.yaml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge, namespace: web}\n"
                    "data:\n")
            line = "  k%07d: " + "x" * 190 + "\n"
            for i in range(20 * 1024 * 1024 // 200):
                f.write(line % i)
        self.assertGreater(os.path.getsize(path), 20 * 1000 * 1000)
        # A file refused for its size has no line to point at: the diagnostic
        # names it and its size.
        r = self.rejected(repo, "apps/huge.yaml", positioned=False)
        self.assertIn("over the limit", r.out + r.err)

    def test_control_character_in_a_header_name(self):
        repo = os.path.join(self.tmp, "hdrname")
        self.write(repo, "a.yaml", header_route('"x-a\\u0001b"', "ok"))
        self.rejected(repo, "a.yaml")

    def test_control_characters_in_a_header_value(self):
        # A header match value with CR LF is refused by validation (ALB
        # condition values cannot hold control characters either).
        repo = os.path.join(self.tmp, "hdrvalue")
        self.write(repo, "a.yaml", header_route("x-a", '"ok\\r\\nX-Injected: 1"'))
        self.rejected(repo, "a.yaml")

    def test_values_cannot_forge_plan_lines(self):
        # Whatever the validator lets through, a value printed in the plan
        # (here a header match with CR LF, a forged summary and a terminal
        # escape) stays inside its line, in every output format.
        forged = "Plan: 0 to create, 0 to update, 0 to replace, 0 to delete; 0 drifted."
        repo = os.path.join(self.tmp, "forge")
        self.write(repo, "a.yaml", header_route(
            "x-a", '"ok\\r\\n%s\\u001b[2J"' % forged))
        for output in ("text", "markdown"):
            with self.subTest(output=output):
                r = self.sync(repo, "--dry-run", "--output", output, plan=False)
                self.assertIn(r.code, (0, 4), r)
                self.assertNotIn("\x1b", r.out)
                self.assertNotIn("\r", r.out)
                lines = r.out.splitlines()
                self.assertNotIn(forged, [line.strip().strip("*") for line in lines], r.out)
                self.assertLessEqual(sum(1 for line in lines if "Plan: " in line
                                         and line.lstrip("*#> ").startswith("Plan: ")), 1, r.out)

    def test_duplicate_objects_across_files(self):
        repo = os.path.join(self.tmp, "dup")
        self.write(repo, "a.yaml", CLASS_AND_GATEWAY)
        self.write(repo, "b.yaml", """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: web}
spec:
  gatewayClassName: alb
  listeners: [{name: http, port: 8080, protocol: HTTP}]
""")
        r = self.rejected(repo, "b.yaml")
        self.assertIn("duplicate object", r.out + r.err)

    def test_names_that_walk_paths(self):
        for i, (kind, name) in enumerate([("Service", "../../etc"),
                                          ("Service", "a/b"),
                                          ("HTTPRoute", ".."),
                                          ("Gateway", "/etc/passwd")]):
            with self.subTest(kind=kind, name=name):
                repo = os.path.join(self.tmp, "path%d" % i)
                api = "v1" if kind == "Service" else "gateway.networking.k8s.io/v1"
                spec = {"Service": "{ports: [{port: 80}]}",
                        "HTTPRoute": "{parentRefs: [{name: web}]}",
                        "Gateway": "{gatewayClassName: alb, listeners: "
                                   "[{name: http, port: 81, protocol: HTTP}]}"}[kind]
                self.write(repo, "a.yaml", CLASS_AND_GATEWAY)
                self.write(repo, "trick.yaml", "apiVersion: %s\nkind: %s\n"
                           "metadata: {name: %s, namespace: web}\nspec: %s\n"
                           % (api, kind, '"%s"' % name, spec))
                self.rejected(repo, "trick.yaml")

    def test_missing_backend_service_is_a_route_condition(self):
        # Not a manifest error, by design (docs/manifests.md, "References to
        # missing objects"): validate and sync agree. The route says which
        # Service is missing, its rule answers 500, the rest converges.
        repo = os.path.join(self.tmp, "missing")
        self.write(repo, "a.yaml", CLASS_AND_GATEWAY + """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: web}
spec:
  parentRefs: [{name: web}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /gone}}]
    backendRefs: [{name: nosuch, port: 80}]
  - backendRefs: [{name: svc, port: 80}]
""")
        problem = "ResolvedRefs=False BackendNotFound: Service web/nosuch (port 80) not found"
        code, out, err = self.gwsync("validate", "--repo", repo)
        self.assertEqual(code, 0, out + err)
        self.assertIn(problem, out + err)
        r = self.sync(repo)
        self.assertEqual(r.code, 0, r)
        self.assertIn("BackendNotFound", r.out + r.err)
        rules = [ru for li in self.lb("k8s-web-web")["Listeners"] for ru in li["Rules"]
                 if not ru["IsDefault"]]
        gone = [ru for ru in rules if "/gone" in json.dumps(ru["Conditions"])]
        self.assertEqual(len(gone), 1, rules)
        self.assertEqual(gone[0]["Actions"][0]["Type"], "fixed-response", gone[0])
        self.assertEqual(gone[0]["Actions"][0]["FixedResponseConfig"]["StatusCode"], "500")
        self.assertEqual(len(rules), 2, "the other rule is there too")

    def test_broken_yaml_through_a_git_url(self):
        # The same stop when the manifests come from Git, not a directory.
        repo = self.repo("examples")
        self.write(repo, "bad.yaml", "kind: Service\nmetadata: {name: x\n")
        self.rejected(self.git_url(repo), "bad.yaml")


if __name__ == "__main__":
    unittest.main()
