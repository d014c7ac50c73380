"""bench/compare, bench/gen and bench/run's LBC formula (no timings here:
these check the tools' logic on fixed inputs)."""
import copy
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

SRC = os.environ.get("GWSYNC_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(SRC, "bench")
PY = os.environ.get("PYTHON3") or sys.executable

RESULTS = {
    "schema": 1,
    "meta": {"commit": "abc", "date": "2026-01-01 00:00 UTC", "build_type": "Release",
             "quick": False},
    "figures": {
        "render.r1000.render_all_cores.wall_s": {"value": 1.0, "unit": "s", "better": "lower"},
        "sync.noop.writes": {"value": 0, "unit": "calls", "better": "lower"},
        "sync.noop.reads": {"value": 400, "unit": "calls", "better": "lower"},
        "lbc.reads": {"value": 20000, "unit": "calls", "better": None},
        "rate": {"value": 100.0, "unit": "1/s", "better": "higher"},
    },
}


class Compare(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, doc):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            json.dump(doc, f)
        return path

    def compare(self, new, old=RESULTS):
        p = subprocess.run([PY, os.path.join(BENCH, "compare"), self.write("old.json", old),
                            self.write("new.json", new)], capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr

    def changed(self, name, value):
        doc = copy.deepcopy(RESULTS)
        doc["figures"][name]["value"] = value
        return doc

    def test_same_file_is_no_regression(self):
        path = self.write("same.json", RESULTS)
        p = subprocess.run([PY, os.path.join(BENCH, "compare"), path, path],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertIn("0 regression(s)", p.stdout)
        for name in RESULTS["figures"]:
            self.assertIn(name, p.stdout)

    def test_slower_by_more_than_20_percent_is_a_regression(self):
        rc, out = self.compare(self.changed("render.r1000.render_all_cores.wall_s", 1.25))
        self.assertEqual(rc, 1, out)
        line = [x for x in out.splitlines() if x.startswith("render.r1000")][0]
        self.assertIn("REGRESSION", line)
        self.assertIn("1 regression(s)", out)

    def test_within_20_percent_is_not(self):
        rc, out = self.compare(self.changed("render.r1000.render_all_cores.wall_s", 1.19))
        self.assertEqual(rc, 0, out)
        rc, out = self.compare(self.changed("sync.noop.reads", 100))  # better
        self.assertEqual(rc, 0, out)

    def test_a_no_op_that_starts_writing_is_a_regression(self):
        rc, out = self.compare(self.changed("sync.noop.writes", 1))
        self.assertEqual(rc, 1, out)
        self.assertIn("was 0", out)

    def test_higher_is_better_figures_regress_when_they_fall(self):
        self.assertEqual(self.compare(self.changed("rate", 70.0))[0], 1)
        self.assertEqual(self.compare(self.changed("rate", 200.0))[0], 0)

    def test_descriptive_figures_are_never_judged(self):
        rc, out = self.compare(self.changed("lbc.reads", 90000))
        self.assertEqual(rc, 0, out)

    def test_a_figure_in_one_file_only_is_listed_not_judged(self):
        doc = copy.deepcopy(RESULTS)
        del doc["figures"]["rate"]
        doc["figures"]["new.figure"] = {"value": 5, "unit": "s", "better": "lower"}
        rc, out = self.compare(doc)
        self.assertEqual(rc, 0, out)
        self.assertIn("new.figure", out)
        self.assertIn("rate", out)

    def test_a_file_that_is_not_results_is_refused(self):
        rc, out = self.compare({"no": "figures"})
        self.assertEqual(rc, 2, out)
        self.assertIn("not a bench/run results file", out)


def tree_digest(root):
    h = hashlib.sha256()
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(d, name)
            h.update(os.path.relpath(path, root).encode() + b"\0")
            with open(path, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def read(path):
    with open(path) as f:
        return f.read()


def kinds(root):
    count = {}
    for d, _, files in os.walk(root):
        for name in files:
            with open(os.path.join(d, name)) as f:
                for line in f:
                    if line.startswith("kind: "):
                        k = line.split()[1]
                        count[k] = count.get(k, 0) + 1
    return count


class Gen(unittest.TestCase):
    def gen(self, out, *args):
        subprocess.run([PY, os.path.join(BENCH, "gen")] + list(args[:1]) + [out]
                       + list(args[1:]), check=True)
        return out

    def test_same_seed_same_bytes_other_seed_other_bytes(self):
        with tempfile.TemporaryDirectory() as tmp:
            args = ("estate", "--gateways", "7", "--routes", "40", "--matches", "3")
            a = tree_digest(self.gen(os.path.join(tmp, "a"), *args, "--seed", "5"))
            b = tree_digest(self.gen(os.path.join(tmp, "b"), *args, "--seed", "5"))
            c = tree_digest(self.gen(os.path.join(tmp, "c"), *args, "--seed", "6"))
        self.assertEqual(a, b)
        self.assertNotEqual(a, c)

    def test_estate_has_the_asked_shape(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = self.gen(os.path.join(tmp, "e"), "estate", "--gateways", "20", "--routes",
                           "60", "--matches", "3", "--nlb-ratio", "0.25", "--tgc-ratio", "1")
            k = kinds(out)
            text = "".join(read(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
        self.assertEqual(k["Gateway"], 20)
        self.assertEqual(text.count("gatewayClassName: nlb"), 5)
        # routes go round-robin: Gateways 3, 7, 11, 15, 19 are the NLBs, 3 routes each
        self.assertEqual(k["TCPRoute"], 15)
        self.assertEqual(k["HTTPRoute"], 45)
        self.assertEqual(k["Service"], 60)
        self.assertEqual(k["TargetGroupConfiguration"], 60)
        # three matches per HTTPRoute rule: two paths and a header
        self.assertEqual(text.count("    - path:\n"), 90)
        self.assertEqual(text.count("    - headers:\n"), 45)

    def test_shapes_are_listed_and_written(self):
        names = subprocess.run([PY, os.path.join(BENCH, "gen"), "shapes"], check=True,
                               capture_output=True, text=True).stdout.split()
        self.assertIn("listeners", names)
        with tempfile.TemporaryDirectory() as tmp:
            self.gen(os.path.join(tmp, "s"), "shape", "listeners", "12")
            with open(os.path.join(tmp, "s", "shape.yaml")) as f:
                self.assertEqual(f.read().count("protocol: HTTP}"), 12)

    def test_bad_arguments_are_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            p = subprocess.run([PY, os.path.join(BENCH, "gen"), "estate", tmp,
                                "--nlb-ratio", "2"], capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("--nlb-ratio", p.stderr)


def load_run():
    loader = importlib.machinery.SourceFileLoader("bench_run", os.path.join(BENCH, "run"))
    spec = importlib.util.spec_from_loader("bench_run", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


class LbcFormula(unittest.TestCase):
    def test_counts_region_wide_discovery_per_gateway(self):
        run = load_run()
        lb = {"type": "application", "target_groups": 30,
              "listeners": [{"protocol": "HTTP", "rules": 30},
                            {"protocol": "HTTPS", "rules": 30}]}
        shape = {"load_balancers": 100, "target_groups": 3000, "lbs": [lb] * 100}
        # per Gateway: 2 SG + 2 x (1 page + 5 tag calls) for LBs
        # + (8 pages + 150 tag calls) for TGs + (1 + 1) listeners
        # + 2 x (1 + 2) rules + 2 listener attributes/certificates + 1 + 30 attributes
        per_gateway = 2 + 2 * (1 + 5) + (8 + 150) + 2 + 2 * 3 + 2 + 31
        self.assertEqual(run.lbc_reads(shape), 100 * per_gateway)
        # with the tag cache, only the first Gateway pays for the region's tags
        cached = per_gateway - (2 * 5 + 150)
        self.assertEqual(run.lbc_reads(shape, tag_cache=True), per_gateway + 99 * cached)

    def test_nlb_listeners_have_no_rules_to_read(self):
        run = load_run()
        nlb = {"type": "network", "target_groups": 1,
               "listeners": [{"protocol": "TCP", "rules": 0}]}
        shape = {"load_balancers": 1, "target_groups": 1, "lbs": [nlb]}
        # 2 SG + 2 x (1 + 1) LBs + (1 + 1) TGs + (1 + 1) listeners + 1 listener
        # attributes + 1 LB attributes + 1 TG attributes
        self.assertEqual(run.lbc_reads(shape), 2 + 4 + 2 + 2 + 1 + 2)

    def test_grows_with_the_square_of_the_estate(self):
        run = load_run()
        lb = {"type": "application", "target_groups": 30,
              "listeners": [{"protocol": "HTTP", "rules": 30}]}

        def estate(n):
            return {"load_balancers": n, "target_groups": 30 * n, "lbs": [lb] * n}
        self.assertGreater(run.lbc_reads(estate(200)), 3.5 * run.lbc_reads(estate(100)))


def account(lb_id, tg_id, path):
    """A one-ALB ELBv2 state as fakeaws's /_fake/state gives it, with the
    generated parts (ids, time, DNS name) taken from lb_id and tg_id."""
    lb = "arn:aws:elasticloadbalancing:us-west-2:1:loadbalancer/app/k8s-a/%s" % lb_id
    tg = "arn:aws:elasticloadbalancing:us-west-2:1:targetgroup/k8s-t/%s" % tg_id
    lst = lb.replace("loadbalancer/", "listener/") + "/l%s" % lb_id
    return {"LoadBalancers": [{
        "LoadBalancerArn": lb, "LoadBalancerName": "k8s-a", "DNSName": "k8s-a-%s.elb" % lb_id,
        "CreatedTime": "t%s" % lb_id, "SecurityGroups": ["sg-%s" % lb_id],
        "Listeners": [{"ListenerArn": lst, "LoadBalancerArn": lb, "Port": 80, "Rules": [
            {"RuleArn": lst + "/r%s" % tg_id, "Priority": "1",
             "Conditions": [{"Field": "path-pattern", "Values": [path]}],
             "Actions": [{"Type": "forward", "TargetGroupArn": tg}]}]}]}],
        "TargetGroups": [{"TargetGroupArn": tg, "TargetGroupName": "k8s-t",
                          "LoadBalancerArns": [lb]}]}


class NormalState(unittest.TestCase):
    def test_generated_identifiers_do_not_count_content_does(self):
        run = load_run()
        a = run.normal_state(account("111", "aaa", "/api"))
        self.assertEqual(a, run.normal_state(account("222", "bbb", "/api")))
        self.assertNotEqual(a, run.normal_state(account("111", "aaa", "/other")))


if __name__ == "__main__":
    unittest.main()
