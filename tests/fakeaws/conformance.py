#!/usr/bin/env python3
"""Run the fakeaws conformance suite against fakeaws (default) or moto_server.

  python3 tests/fakeaws/conformance.py [--target fakeaws|moto] [--raw] [-v] [-k PATTERN]

--target moto starts moto_server on a free loopback port and reports which of
the 13 conformance scenarios (and which other checks) moto fails; that run
always exits 0 because it is a report.  --raw uses the raw-HTTP client even
when boto3 is installed (what a machine without boto3 does)."""

import argparse
import os
import re
import shutil
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, "tests")

SCENARIOS = {
    1: "create LB twice: same ARN; other settings: DuplicateLoadBalancerName",
    2: "create TG twice: same ARN; other port: DuplicateTargetGroupName",
    3: "DuplicateListener / identical listener / ModifyListener port in use",
    4: "PriorityInUse; SetRulePriorities swap; duplicate priority",
    5: "six condition values rejected",
    6: "six TGs in an ALB forward; weight outside 0..999",
    7: "NLB weighted forward: allowed, or rejected in pre-2025 mode",
    8: "one LB per TG (TargetGroupAssociationLimit); ResourceInUse",
    9: "describe by missing name: LoadBalancerNotFound; 21 ARNs rejected",
    10: "450 TGs, PageSize 400: two pages, last without NextMarker",
    11: "throttling injection and client retries / retry quota",
    12: "SigV4 vectors and end-to-end verification",
    13: "credentials: web identity, Pod Identity, IMDSv2, refresh",
}


class Collect(unittest.TextTestResult):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.outcomes = {}

    def _set(self, test, outcome, detail=""):
        self.outcomes[test.id()] = (outcome, detail)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._set(test, "pass")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._set(test, "FAIL", self._short(err))

    def addError(self, test, err):
        super().addError(test, err)
        self._set(test, "FAIL", self._short(err))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._set(test, "skip", reason)

    @staticmethod
    def _short(err):
        return ("%s: %s" % (err[0].__name__, err[1])).splitlines()[0][:160]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", choices=("fakeaws", "moto"),
                    default=os.environ.get("FAKEAWS_TARGET", "fakeaws"))
    ap.add_argument("--raw", action="store_true", help="raw HTTP client, no boto3")
    ap.add_argument("--no-botocore", action="store_true",
                    help="as on a machine without botocore: raw client, and the "
                    "server's botocore validation off (--no-validate)")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("-k", dest="pattern", help="only tests whose id contains this")
    a = ap.parse_args()
    if a.target == "moto" and not (os.environ.get("MOTO_SERVER")
                                   or shutil.which("moto_server")):
        print("moto not installed: pip install 'moto[server]'")
        return 0
    os.environ["FAKEAWS_TARGET"] = a.target
    if a.raw or a.no_botocore:
        os.environ["FAKEAWS_NO_BOTO"] = "1"
    if a.no_botocore:
        os.environ["FAKEAWS_SERVER_ARGS"] = (
            os.environ.get("FAKEAWS_SERVER_ARGS", "") + " --no-validate").strip()
    sys.path.insert(0, TESTS)
    import support  # noqa: F401  (after the environment is set)
    suite = unittest.defaultTestLoader.discover(TESTS, top_level_dir=TESTS)
    if a.pattern:
        def flat(s):
            for t in s:
                if isinstance(t, unittest.TestSuite):
                    yield from flat(t)
                else:
                    yield t
        suite = unittest.TestSuite(t for t in flat(suite) if a.pattern in t.id())
    t0 = time.monotonic()
    runner = unittest.TextTestRunner(resultclass=Collect, verbosity=2 if a.verbose else 1,
                                     stream=sys.stderr)
    result = runner.run(suite)
    support.target.stop()
    took = time.monotonic() - t0

    print("\nconformance against %s (%s client%s), %d tests in %.1f s"
          % (a.target, "boto3" if support.HAVE_BOTO else "raw HTTP",
             ", server validation off" if a.no_botocore else "",
             result.testsRun, took))
    per = {}
    for tid, (outcome, detail) in result.outcomes.items():
        m = re.search(r"\.test_s(\d\d)_", tid)
        if m:
            per.setdefault(int(m.group(1)), []).append((tid, outcome, detail))
    print("\n| # | scenario | result |")
    print("|---|---|---|")
    for n, title in SCENARIOS.items():
        outs = per.get(n, [])
        fails = [o for o in outs if o[1] == "FAIL"]
        passes = [o for o in outs if o[1] == "pass"]
        if not outs:
            status = "not run"
        elif fails:
            status = "FAIL (%d of %d)" % (len(fails), len(outs))
        elif not passes:
            status = "skipped"
        else:
            skipped = len(outs) - len(passes)
            status = "pass" + (" (%d skipped)" % skipped if skipped else "")
        print("| %d | %s | %s |" % (n, title, status))
    failed = [(tid, d) for tid, (o, d) in sorted(result.outcomes.items()) if o == "FAIL"]
    if failed:
        print("\nfailing tests on %s:" % a.target)
        for tid, d in failed:
            print("  %s\n      %s" % (tid, d))
    skipped = sum(1 for o, _ in result.outcomes.values() if o == "skip")
    print("\n%d passed, %d failed, %d skipped"
          % (sum(1 for o, _ in result.outcomes.values() if o == "pass"), len(failed), skipped))
    if a.target == "moto":
        return 0
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
