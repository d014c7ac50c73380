#!/usr/bin/env python3
"""AWS calls and wall time of `gwsync sync` against fakeaws with injected
latency (a benchmark, not a test: it never fails on a number).

    bench/sync_bench.py [--bin build/src/gwsync] [--latency-ms 20]
                        [--gateways 50] [--routes-per-gateway 20] [--json OUT]

For two estates, examples/repo and a generated one (G ALB Gateways with R
HTTPRoutes each, bench/gen estate), it measures a cold apply, a no-op
run and a one-route change: AWS reads and writes (fakeaws's counters, by
action), wall time and gwsync's peak RSS, then prints a Markdown table and
optionally writes the figures as JSON.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SRC, "tests", "fakeaws"))
from fakeaws.harness import FakeAWS  # noqa: E402

KEY, SECRET, REGION = "AKIDBENCHKEY", "bench-secret", "us-west-2"


def env_for(tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GWSYNC_"))}
    env.update({"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET,
                "AWS_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true",
                "HOME": tmp, "NO_COLOR": "1"})
    return env


def run(fa, gwsync, repo, tmp, *extra):
    fa.control("DELETE", "calls")
    t0 = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    p = subprocess.run([gwsync, "sync", "--repo", repo, "--cluster", "demo",
                        "--endpoint-url", fa.url] + list(extra),
                       capture_output=True, text=True, env=env_for(tmp))
    wall = time.monotonic() - t0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if p.returncode != 0:
        sys.exit("gwsync exited %d:\n%s\n%s" % (p.returncode, p.stdout[-2000:],
                                                p.stderr[-2000:]))
    c = fa.counters()
    return {"wall_s": round(wall, 3), "reads": c["reads"], "writes": c["writes"],
            # ru_maxrss of children is the largest so far: a new maximum is this run's
            "peak_rss_mib": round(rss / 1024, 1) if rss > before else None,
            "by_action": c["by_action"]}


def change_one_route(repo):
    """Edit the path of the first HTTPRoute found (first match of its first rule)."""
    for root, _, files in sorted(os.walk(repo)):
        for name in sorted(files):
            path = os.path.join(root, name)
            with open(path) as f:
                text = f.read()
            for old, new in (("value: /api/v", "value: /api/changed-v"),
                             ("value: /api}", "value: /api-changed}"),
                             ("value: /api\n", "value: /api-changed\n")):
                if "kind: HTTPRoute" in text and old in text:
                    with open(path, "w") as f:
                        f.write(text.replace(old, new, 1))
                    return
    sys.exit("no HTTPRoute path to change in %s" % repo)


def estate(name, repo, fa, gwsync, tmp, latency_ms):
    fa.reset(seed=3)
    fa.set_latency(latency_ms)  # after the reset, which clears it
    rows = {"cold apply": run(fa, gwsync, repo, tmp),
            "no-op": run(fa, gwsync, repo, tmp)}
    change_one_route(repo)
    rows["one-route change"] = run(fa, gwsync, repo, tmp)
    return {"estate": name, "runs": rows}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(SRC, "build", "src", "gwsync"))
    ap.add_argument("--latency-ms", type=int, default=20)
    ap.add_argument("--gateways", type=int, default=50)
    ap.add_argument("--routes-per-gateway", type=int, default=20)
    ap.add_argument("--json")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="gwsync-bench-")
    results = []
    try:
        with FakeAWS(seed=3, access_key=KEY, secret_key=SECRET, region=REGION,
                     args=["--quota", "application-load-balancers=%d" % max(50, a.gateways)]
                     ) as fa:
            example = os.path.join(tmp, "example")
            shutil.copytree(os.path.join(SRC, "examples", "repo"), example)
            gen = os.path.join(tmp, "generated")
            subprocess.run([sys.executable, os.path.join(HERE, "gen"), "estate", gen,
                            "--gateways", str(a.gateways),
                            "--routes", str(a.gateways * a.routes_per_gateway),
                            "--nlb-ratio", "0"], check=True)
            for name, repo in (("examples/repo", example),
                               ("%d ALB Gateways x %d routes" % (a.gateways,
                                                                 a.routes_per_gateway), gen)):
                results.append(estate(name, repo, fa, a.bin, tmp, a.latency_ms))
    finally:
        shutil.rmtree(tmp, True)
    print("AWS latency %d ms per call, --aws-concurrency 8 (default)\n" % a.latency_ms)
    print("| estate | run | reads | writes | wall s | reads x latency s | peak RSS MiB |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for e in results:
        for run_name, r in e["runs"].items():
            print("| %s | %s | %d | %d | %.2f | %.2f | %s |" % (
                e["estate"], run_name, r["reads"], r["writes"], r["wall_s"],
                r["reads"] * a.latency_ms / 1000.0, r["peak_rss_mib"] or "-"))
    for e in results:
        w = e["runs"]["one-route change"]["by_action"]
        print("\n%s, one-route change: %s" % (e["estate"], ", ".join(
            "%s %d" % (k.split(":")[1], v) for k, v in sorted(w.items())
            if not k.split(":")[1].startswith("Describe"))))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"latency_ms": a.latency_ms, "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
