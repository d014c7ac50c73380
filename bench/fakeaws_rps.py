#!/usr/bin/env python3
"""Benchmark fakeaws: start time and requests/s.

Starts tests/fakeaws/server.py (pinned to one CPU core when the machine has
two or more), measures the time until it prints its URL, creates a few load
balancers, then runs DescribeLoadBalancers in a loop over keep-alive
connections (1 and 4 client threads), each request SigV4-verified and
validated against the botocore model when botocore is installed.

  python3 bench/fakeaws_rps.py [--seconds 5] [--starts 5] [--lbs 10]"""

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "fakeaws"))

from fakeaws import sigv4  # noqa: E402
from fakeaws.harness import FakeAWS  # noqa: E402

REGION = "us-west-2"


def signed(fa, params):
    body = urllib.parse.urlencode(params).encode()
    h = sigv4.sign("POST", fa.url + "/", {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        body, fa.access_key, fa.secret_key, REGION, "elasticloadbalancing")
    h.pop("Host")
    return body, h


def loop(fa, seconds, counter, errors):
    u = urllib.parse.urlsplit(fa.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    body, h = signed(fa, {"Action": "DescribeLoadBalancers", "Version": "2015-12-01"})
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        conn.request("POST", "/", body, h)
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            errors.append(r.status)
        n += 1
    conn.close()
    counter.append(n)


def cpu_seconds(pid):
    """User+system CPU time of a process (Linux /proc), or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def rps(fa, threads, seconds):
    counter, errors = [], []
    ts = [threading.Thread(target=loop, args=(fa, seconds, counter, errors))
          for _ in range(threads)]
    c0 = cpu_seconds(fa.proc.pid)
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    took = time.monotonic() - t0
    c1 = cpu_seconds(fa.proc.pid)
    n = sum(counter)
    per_cpu = n / (c1 - c0) if c0 is not None and c1 and c1 > c0 else None
    return n / took, per_cpu, len(errors)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--lbs", type=int, default=10)
    a = ap.parse_args()

    starts = []
    for _ in range(a.starts):
        with FakeAWS(seed=1, region=REGION) as fa:
            starts.append(fa.start_seconds)
    print("start time (process spawn to URL line), %d runs: median %.0f ms, max %.0f ms"
          % (len(starts), statistics.median(starts) * 1000, max(starts) * 1000))

    with FakeAWS(seed=1, region=REGION) as fa:
        pinned = ""
        if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) >= 2:
            os.sched_setaffinity(fa.proc.pid, {0})
            os.sched_setaffinity(0, set(range(1, os.cpu_count())))
            pinned = " (server pinned to CPU 0, client on the others)"
        health = fa.control("GET", "health")
        subnets = ["subnet-0de00000000000a01", "subnet-0de00000000000b01"]
        u = urllib.parse.urlsplit(fa.url)
        conn = http.client.HTTPConnection(u.hostname, u.port)
        for i in range(a.lbs):
            params = {"Action": "CreateLoadBalancer", "Version": "2015-12-01",
                      "Name": "bench-%d" % i}
            for j, s in enumerate(subnets, 1):
                params["Subnets.member.%d" % j] = s
            body, h = signed(fa, params)
            conn.request("POST", "/", body, h)
            r = conn.getresponse()
            r.read()
            assert r.status == 200, r.status
        conn.close()
        print("server: botocore validation %s, sigv4 %s, %d load balancers in state%s"
              % ("on" if health["botocore_validation"] else "off",
                 "on" if health["sigv4"] else "off", a.lbs, pinned))
        print("load average now: %s (other processes share these cores)"
              % " ".join("%.2f" % x for x in os.getloadavg()))
        for threads in (1, 4):
            r, per_cpu, errs = rps(fa, threads, a.seconds)
            print("DescribeLoadBalancers, %d keep-alive connection%s: %.0f requests/s "
                  "wall; %s requests per server CPU-second%s"
                  % (threads, "" if threads == 1 else "s", r,
                     "%.0f" % per_cpu if per_cpu else "n/a",
                     " (%d errors)" % errs if errs else ""))


if __name__ == "__main__":
    main()
