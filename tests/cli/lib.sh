# Helpers for the CLI tests: run gwsync, capture stdout/stderr/exit code, assert.
set -u
: "${GWSYNC_BIN:?GWSYNC_BIN must point at the gwsync binary}"
: "${GWSYNC_SOURCE_DIR:?}"
T=$(mktemp -d)
stub_pids=""
cleanup() {
    for pid in $stub_pids; do kill "$pid" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
failures=0

# start_stub NAME MODE: a Git HTTP stand-in on 127.0.0.1 (tests/cli/git_http_stub.py
# says the modes); sets $port, logs requests to $T/NAME.log, is killed on exit.
start_stub() {
    : "${PYTHON3:?}"
    mkfifo "$T/$1.port"
    "$PYTHON3" "$GWSYNC_SOURCE_DIR/tests/cli/git_http_stub.py" "$T/$1.log" "$2" \
        >"$T/$1.port" &
    stub_pids="$stub_pids $!"
    read -r port <"$T/$1.port"
    [ -n "$port" ] || { echo "FAIL: the stub $1 did not start"; exit 1; }
}

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

# free_port: prints a TCP port free on 127.0.0.1 now.
free_port() {
    "$PYTHON3" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_git_daemon ROOT: `git daemon` serving the repositories below ROOT on
# 127.0.0.1 with push (receive-pack) enabled; sets $daemon_port, killed on exit.
start_git_daemon() {
    daemon_port=$(free_port)
    git daemon --reuseaddr --export-all --enable=receive-pack --base-path="$1" \
        --listen=127.0.0.1 --port="$daemon_port" "$1" 2>"$T/daemon.err" &
    stub_pids="$stub_pids $!"
    for _ in $(seq 50); do
        "$PYTHON3" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
            "$daemon_port" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "FAIL: git daemon did not start: $(cat "$T/daemon.err")"
    exit 1
}

# The test driver of the source module's publish and lease API.
publish_tool="$GWSYNC_BUILD_DIR/tests/tools/gws_publish_tool"

# tool ARGS...: runs the driver; sets $code, $T/out, $T/err as run does.
tool() {
    "$publish_tool" "$@" >"$T/out" 2>"$T/err"
    code=$?
}
