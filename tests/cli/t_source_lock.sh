# Runs sharing a git cache, and runs ended by a signal, against a Git HTTP
# stand-in on 127.0.0.1 that holds each request while $T/hold exists:
#  - issue 10 M2: while one run holds a cache entry, another waits for it
#    (--lock-timeout, GWSYNC_LOCK_TIMEOUT) and then exits 6 naming the cache;
#  - issue 10 L8: SIGTERM or SIGHUP ends a run with 128 + the signal's
#    number, after removing its temporary cache, and releases the lock.
. "$(dirname "$0")/lib.sh"
export HOME="$T/home" XDG_CACHE_HOME="$T/cache"
unset GWSYNC_REF GWSYNC_WORKDIR GWSYNC_GIT_TOKEN GWSYNC_LOCK_TIMEOUT
touch "$T/hold"
start_stub hang "hang:$T/hold"
url="http://127.0.0.1:$port/org/repo.git"

# wait_requests N: until the stand-in has received N requests (10 s at most).
wait_requests() {
    i=0
    while [ "$(cat "$T/hang.log" 2>/dev/null | wc -l)" -lt "$1" ] && [ $i -lt 200 ]; do
        sleep 0.05
        i=$((i + 1))
    done
}

# Run A takes the cache entry and blocks in its first request.
"$GWSYNC_BIN" validate --repo "$url" --workdir "$T/wd" >"$T/a.out" 2>"$T/a.err" &
a=$!
wait_requests 1

run validate --repo "$url" --workdir "$T/wd" --lock-timeout 300ms
expect_code 6 "a second run on the same cache entry"
expect_err "another run holds the lock on the cache $T/wd/repos/" "message names the cache"
GWSYNC_LOCK_TIMEOUT=0 run validate --repo "$url" --workdir "$T/wd"
expect_code 6 "GWSYNC_LOCK_TIMEOUT=0 does not wait"
[ "$(wc -l <"$T/hang.log")" = 1 ] || fail "a run without the lock reached the server"

# Another cache directory is another lock.
: >"$T/out"
"$GWSYNC_BIN" validate --repo "$url" --workdir "$T/wd2" --lock-timeout 0 >"$T/b.out" 2>&1 &
b=$!
wait_requests 2
[ "$(wc -l <"$T/hang.log")" = 2 ] || fail "a run on another cache directory was held back"

kill -TERM "$a" "$b"
wait "$a"
code=$?
[ "$code" = 143 ] || fail "SIGTERM: expected exit 143, got $code"
grep -q "stopped by SIGTERM" "$T/a.err" || fail "SIGTERM not reported: $(cat "$T/a.err")"
wait "$b"

# The lock died with run A: the next run gets through to the server, which
# now answers 404 (issue 10 L7: a missing repository is exit 3).
rm -f "$T/hold"
run validate --repo "$url" --workdir "$T/wd" --lock-timeout 2s
expect_code 3 "the lock was released by SIGTERM; a 404 repository is not found"
expect_err "no repository at this URL" "404 message"

# issue 10 L8: no usable cache (no HOME, no XDG_CACHE_HOME): a temporary one
# under TMPDIR, removed when a signal ends the run.
mkdir "$T/tmp"
for sig in TERM:143 HUP:129; do
    want=${sig#*:}
    sig=${sig%:*}
    touch "$T/hold"
    n=$(wc -l <"$T/hang.log")
    env -u HOME -u XDG_CACHE_HOME TMPDIR="$T/tmp" "$GWSYNC_BIN" validate --repo "$url" \
        >"$T/c.out" 2>"$T/c.err" &
    c=$!
    wait_requests $((n + 1))
    ls "$T/tmp" | grep -q "^gwsync-" || fail "SIG$sig: no temporary cache under TMPDIR"
    kill -"$sig" "$c"
    wait "$c"
    code=$?
    [ "$code" = "$want" ] || fail "SIG$sig: expected exit $want, got $code"
    grep -q "stopped by SIG$sig" "$T/c.err" || fail "SIG$sig not reported: $(cat "$T/c.err")"
    [ -z "$(ls -A "$T/tmp")" ] || fail "SIG$sig left $(ls -A "$T/tmp") under TMPDIR"
    rm -f "$T/hold"
done

finish
