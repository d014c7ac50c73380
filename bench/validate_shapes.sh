#!/bin/sh
# Validation time against list length (issue 10 M8): `gwsync validate` on
# repositories whose one object holds one very long list (bench/gen shape:
# a Gateway with N listeners, a rule with N backendRefs, a Service with N
# ports, ...), at several N. Every check must be near-linear, also past a
# list's schema limit: the time per item must stay flat as N grows (before
# the fix, 100,000 listeners took 55 s and 40,000 backendRefs 25 s).
# Prints one row per shape and size: N, file size, best wall time of RUNS
# runs, microseconds per item, and the growth of the time against the growth
# of N since the previous size (1.0 = linear, 2.0 = quadratic when N doubles).
#
#   bench/validate_shapes.sh [GWSYNC_BIN] [SIZES] [SHAPES]
#
# SIZES defaults to "12500 25000 50000 100000"; SHAPES to every shape of
# bench/gen shapes. Build gwsync in Release for numbers that mean
# something: cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release &&
# cmake --build build-rel --target gwsync
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${GWSYNC_BIN:-build-rel/src/gwsync}}
sizes=${2:-"12500 25000 50000 100000"}
python=${PYTHON3:-python3}
shapes=${3:-$("$python" "$here/gen" shapes)}
runs=${RUNS:-3}

[ -x "$bin" ] || { echo "gwsync binary not found: $bin" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gws-shapes.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$python" - "$here/gen" "$bin" "$tmp" "$runs" "$sizes" $shapes <<'PY'
import math, os, shutil, subprocess, sys, time

gen, gwsync, tmp, runs, sizes = sys.argv[1:6]
shapes, sizes, runs = sys.argv[6:], [int(s) for s in sizes.split()], int(runs)

def best_time(repo):
    times, code = [], None
    for _ in range(runs):
        t = time.perf_counter()
        code = subprocess.run([gwsync, "validate", "--repo", repo], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode
        times.append(time.perf_counter() - t)
        if code not in (0, 4):
            sys.exit("%s: gwsync validate exited %d" % (repo, code))
    return min(times), code

print("%-20s %9s %9s %9s %9s %7s %5s" % ("shape", "N", "file KB", "seconds", "us/item",
                                          "growth", "exit"))
for shape in shapes:
    prev = None
    for n in sizes:
        repo = os.path.join(tmp, "%s-%d" % (shape, n))
        subprocess.run([sys.executable, gen, "shape", repo, shape, str(n)], check=True)
        kb = os.path.getsize(os.path.join(repo, "shape.yaml")) / 1024
        secs, code = best_time(repo)
        # how much faster than N the time grew: log(t2/t1) / log(n2/n1)
        growth = ""
        if prev and secs > 0 and prev[1] > 0:
            growth = "%.2f" % (math.log(secs / prev[1]) / math.log(n / prev[0]))
        print("%-20s %9d %9.0f %9.3f %9.2f %7s %5d" % (shape, n, kb, secs, secs / n * 1e6,
                                                      growth, code), flush=True)
        prev = (n, secs)
        shutil.rmtree(repo)
PY
