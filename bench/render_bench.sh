#!/bin/sh
# Model benchmark (issue 3): `gwsync render` on generated repositories of
# 1,000 Gateways with 1,000 / 10,000 / 100,000 routes, beside a libyaml
# parse-only pass over the same files (bench/yaml_parse_only.c, shared with
# bench/manifest_bench.sh). Target: render <= 2x parse-only, linear growth.
# Reports the best wall and CPU (user + system) times of RUNS runs and the
# peak RSS of each program; gwsync loads files, builds Gateways and writes
# stacks on several threads, so its CPU time can exceed its wall time.
# GWSYNC_THREADS=1 in the environment builds the model on one thread (the
# loader and the JSON writer keep their own threads), to compare the two.
#
#   bench/render_bench.sh [GWSYNC_BIN] [SIZES]
#
# SIZES is a space-separated list of route counts (default "1000 10000 100000");
# GATEWAYS (default 1000) and PER_FILE (default 10) shape the repository.
# Build gwsync in Release for numbers that mean something:
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && cmake --build build-rel --target gwsync
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${GWSYNC_BIN:-build-rel/src/gwsync}}
sizes=${2:-"1000 10000 100000"}
gateways=${GATEWAYS:-1000}
per_file=${PER_FILE:-10}
runs=${RUNS:-3}
python=${PYTHON3:-python3}
cc=${CC:-cc}

[ -x "$bin" ] || { echo "gwsync binary not found: $bin" >&2; exit 2; }
[ -f "$here/yaml_parse_only.c" ] || {
	echo "bench/yaml_parse_only.c is missing (it comes with the manifest benchmark)" >&2
	exit 2
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gws-render-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# shellcheck disable=SC2046 # pkg-config prints several flags
$cc -O2 -o "$tmp/yaml_parse_only" "$here/yaml_parse_only.c" $(pkg-config --cflags --libs yaml-0.1)

for routes in $sizes; do
	rm -rf "$tmp/repo"
	"$python" "$here/gen" estate "$tmp/repo" --gateways "$gateways" --routes "$routes" \
		--per-file "$per_file"
	files=$(find "$tmp/repo" -name '*.yaml' | wc -l)
	bytes=$(find "$tmp/repo" -name '*.yaml' -exec cat {} + | wc -c)
	"$python" - "$runs" "$tmp/yaml_parse_only" "$bin" "$tmp/repo" "$gateways" "$routes" \
		"$files" "$bytes" <<'PY'
import os, subprocess, sys, time

runs, parse_only, gwsync, repo = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
gateways, routes, files, size = (int(x) for x in sys.argv[5:9])

def run(argv):
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = 0
    while True:
        chunk = p.stdout.read(1 << 20)
        if not chunk:
            break
        out += len(chunk)
    _, status, ru = os.wait4(p.pid, 0)
    cpu = ru.ru_utime + ru.ru_stime
    return time.perf_counter() - t, ru.ru_maxrss, os.waitstatus_to_exitcode(status), out, cpu

def best(argv):
    times, cpus, rss, out = [], [], 0, 0
    for _ in range(runs):
        dt, r, rc, n, cpu = run(argv)
        if rc != 0:
            sys.exit("%s exited %d" % (argv[0], rc))
        times.append(dt)
        cpus.append(cpu)
        rss, out = max(rss, r), n
    return min(times), rss, out, min(cpus)

pt, prss, _, pc = best([parse_only, repo])
rt, rrss, out, rc_ = best([gwsync, "render", "--repo", repo])
print("%7d routes, %d gateways: %d files, %.1f MB in, %.1f MB out" %
      (routes, gateways, files, size / 1e6, out / 1e6))
print("  parse-only %7.3f s wall %7.3f s CPU %8.1f MB RSS" % (pt, pc, prss / 1024))
print("  render     %7.3f s wall %7.3f s CPU %8.1f MB RSS   wall x%.2f, CPU x%.2f, %.1f us/route" %
      (rt, rc_, rrss / 1024, rt / pt, rc_ / pc if pc > 0 else float("inf"), 1e6 * rt / routes))
PY
done
