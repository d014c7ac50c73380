#!/bin/sh
# Usage: run_golden.sh CASE_DIR
# Renders CASE_DIR/repo with the flags in CASE_DIR/args (if any) and compares
# the JSON with CASE_DIR/expected.json; prints a unified diff on mismatch.
# GOLDEN_UPDATE=1 writes the actual output to expected.json instead (review
# every such change by reading the diff in git before committing it).
set -u
case_dir=$1
bin=${GWSYNC_BIN:?GWSYNC_BIN must point at the gwsync binary}
args=""
if [ -f "$case_dir/args" ]; then
	args=$(cat "$case_dir/args")
fi
actual=$(mktemp "${TMPDIR:-/tmp}/golden.XXXXXX") || exit 1
trap 'rm -f "$actual"' EXIT
# shellcheck disable=SC2086 # args holds several flags
(cd "$case_dir" && "$bin" render --repo repo $args) >"$actual"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ]; then
	echo "golden $(basename "$case_dir"): gwsync render exited $rc" >&2
	cat "$actual" >&2
	exit 1
fi
if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
	cp "$actual" "$case_dir/expected.json"
	exit 0
fi
if ! diff -u "$case_dir/expected.json" "$actual" >"$actual.diff"; then
	echo "golden $(basename "$case_dir"): render output differs from expected.json (--- expected, +++ actual):"
	cat "$actual.diff"
	rm -f "$actual.diff"
	exit 1
fi
rm -f "$actual.diff"
exit 0
