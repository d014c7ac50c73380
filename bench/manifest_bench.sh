#!/bin/sh
# Manifest loader benchmark (issue 2): `gwsync validate` on a repository of
# 10,000 HTTPRoutes over 20 Gateways (bench/gen estate) against a libyaml
# parse-only pass over the same files.
# Target: validate < 2x parse-only. Reports wall time (best of RUNS) and peak RSS.
#
#   bench/manifest_bench.sh [GWSYNC_BIN] [ROUTES] [PER_FILE]
#
# GWSYNC_BIN defaults to build/src/gwsync. Build it in Release for numbers
# that mean something: cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${GWSYNC_BIN:-build/src/gwsync}}
routes=${2:-10000}
per_file=${3:-1}
runs=${RUNS:-5}
python=${PYTHON3:-python3}
cc=${CC:-cc}

[ -x "$bin" ] || { echo "gwsync binary not found: $bin" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gws-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

$cc -O2 -o "$tmp/yaml_parse_only" "$here/yaml_parse_only.c" $(pkg-config --cflags --libs yaml-0.1)
"$python" "$here/gen" estate "$tmp/repo" --gateways 20 --namespaces 20 --nlb-ratio 0 \
	--routes "$routes" --per-file "$per_file"
files=$(find "$tmp/repo" -name '*.yaml' | wc -l)
bytes=$(find "$tmp/repo" -name '*.yaml' -exec cat {} + | wc -c)
echo "repository: $routes HTTPRoutes in $files files, $bytes bytes (best of $runs runs)"

# Best wall time of $RUNS runs each, peak RSS of each program (os.wait4 rusage).
"$python" - "$runs" "$tmp/yaml_parse_only" "$bin" "$tmp/repo" <<'PY'
import os, subprocess, sys, time

runs, parse_only, gwsync, repo = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]

def run(argv):
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    return dt, ru.ru_maxrss, p.returncode, out.decode(errors="replace"), ru.ru_utime + ru.ru_stime

def best(argv, ok):
    times, cpus, rss = [], [], 0
    for _ in range(runs):
        dt, r, rc, out, cpu = run(argv)
        if rc not in ok:
            sys.exit("%s failed with exit %d" % (argv, rc))
        times.append(dt)
        cpus.append(cpu)
        rss = max(rss, r)
    return min(times), rss, rc, out, min(cpus)

run([parse_only, repo]); run([gwsync, "validate", "--repo", repo])  # warm the page cache
pt, pr, _, pout, pc = best([parse_only, repo], (0,))
vt, vr, vrc, vout, vc = best([gwsync, "validate", "--repo", repo], (0, 4))
print("parse-only: " + pout.strip())
print("validate:   " + (vout.strip().splitlines() or [""])[-1])
print("libyaml parse-only: %.3f s wall, %.3f s CPU, peak RSS %.1f MiB" % (pt, pc, pr / 1024))
print("gwsync validate:    %.3f s wall, %.3f s CPU, peak RSS %.1f MiB (exit %d)"
      % (vt, vc, vr / 1024, vrc))
print("CPU ratio: %.2fx" % (vc / pc if pc > 0 else float("inf")))
ratio = vt / pt if pt > 0 else float("inf")
print("wall ratio validate/parse-only: %.2fx (target < 2x): %s" % (ratio, "OK" if ratio < 2 else "OVER"))
PY
