# Helpers for the CLI tests: run gwsync, capture stdout/stderr/exit code, assert.
set -u
: "${GWSYNC_BIN:?GWSYNC_BIN must point at the gwsync binary}"
: "${GWSYNC_SOURCE_DIR:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failures=0

# run ARGS...: sets $code, $T/out, $T/err
run() {
    "$GWSYNC_BIN" "$@" >"$T/out" 2>"$T/err"
    code=$?
}

fail() {
    echo "FAIL: $*"
    echo "--- stdout"; cat "$T/out"; echo "--- stderr"; cat "$T/err"
    failures=$((failures + 1))
}

expect_code() { [ "$code" = "$1" ] || fail "expected exit $1, got $code ($2)"; }
expect_out() { grep -q -- "$1" "$T/out" || fail "stdout lacks '$1' ($2)"; }
expect_err() { grep -q -- "$1" "$T/err" || fail "stderr lacks '$1' ($2)"; }
expect_err_lines() {
    n=$(wc -l <"$T/err")
    [ "$n" = "$1" ] || fail "expected $1 stderr lines, got $n ($2)"
}

finish() {
    if [ "$failures" != 0 ]; then
        echo "$failures check(s) failed"
        exit 1
    fi
    echo "all checks passed"
}
