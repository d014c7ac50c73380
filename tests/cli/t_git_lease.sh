# The run lease (gws_source_lease_*) on refs/gwsync/leases/<name>, through
# git http-backend (the server's receive-pack does the compare-and-swap)
# and file:// (gwsync's own compare-and-swap), driven by
# tests/tools/gws_publish_tool, each run with its own cache (as on two
# machines):
#  - two runs started together: exactly one holds the lease, the other
#    fails with ELOCKED naming the holder; a run that waits gets the lease
#    once the holder releases it;
#  - a holder killed with SIGKILL: its lease is not taken before it
#    expires, and is taken after;
#  - the run whose lease was taken over cannot renew it (ELOCKED);
#  - the lease commits never touch a branch;
#  - a plain folder: an flock in the cache, same behaviour on one machine.
. "$(dirname "$0")/lib.sh"
export HOME="$T/home"
unset GWSYNC_GIT_TOKEN GWSYNC_GIT_TOKEN_FILE GWSYNC_GIT_ALLOW_HTTP_TOKEN

mkdir -p "$T/srv"
git init -q --bare -b main "$T/srv/repo.git"
git -C "$T/srv/repo.git" config http.receivepack true
git init -q -b main "$T/seed"
echo "kind: Gateway" >"$T/seed/gw.yaml"
git -C "$T/seed" add -A
git -C "$T/seed" -c user.name=t -c user.email=t@example.com commit -q -m manifests
git -C "$T/seed" push -q "$T/srv/repo.git" main
main=$(git -C "$T/srv/repo.git" rev-parse main)
start_stub http "backend:$T/srv"
http="http://127.0.0.1:$port/repo.git"
file="file://$T/srv/repo.git"
ref=refs/gwsync/leases

# lease_bg OUT URL WORKDIR ARGS...: the driver in the background, its
# stdout in $T/OUT; $! is its pid.
lease_bg() {
    out=$1 url=$2 wd=$3
    shift 3
    "$publish_tool" lease --repo "$url" --workdir "$T/$wd" "$@" >"$T/$out" 2>"$T/$out.err" &
}

# wait_for FILE TEXT: until FILE holds TEXT (20 s at most).
wait_for() {
    for _ in $(seq 200); do
        grep -q "$2" "$T/$1" 2>/dev/null && return 0
        sleep 0.1
    done
    fail "$1 never said '$2': $(cat "$T/$1" "$T/$1.err")"
    return 1
}

for url in "$http" "$file"; do
    name=prod-$(echo "$url" | cut -c1-4)
    # ---- two runs at once: one holds, the other is refused ---------------
    lease_bg a "$url" wd-a --name "$name" --holder "host-a pid 1" --run-id run-a \
        --ttl-ms 60000 --wait-ms 0 --hold-ms 4000 --release
    pa=$!
    lease_bg b "$url" wd-b --name "$name" --holder "host-b pid 2" --run-id run-b \
        --ttl-ms 60000 --wait-ms 0 --hold-ms 4000 --release
    pb=$!
    wait $pa
    wait $pb
    n=$(cat "$T/a" "$T/b" | grep -c "^acquired")
    [ "$n" = 1 ] || fail "$url: $n runs acquired the lease at once: $(cat "$T/a" "$T/b")"
    cat "$T/a" "$T/b" | grep -q "^error=ELOCKED: another run holds the lease $name" ||
        fail "$url: the other run was not told: $(cat "$T/a" "$T/b" "$T/a.err" "$T/b.err")"

    # ---- a holder, a refused run, a waiting run ----------------------------
    # The holder lets go only once the waiting run says it waits: no timing.
    rm -f "$T/go"
    lease_bg a "$url" wd-a --name "$name" --holder "host-a pid 1" --run-id run-a \
        --ttl-ms 60000 --wait-ms 0 --hold-ms 60000 --hold-until "$T/go" --release
    pa=$!
    wait_for a "^acquired waited=0"
    tool lease --repo "$url" --workdir "$T/wd-b" --name "$name" --holder "host-b pid 2" \
        --run-id run-b --ttl-ms 60000 --wait-ms 0
    expect_code 1 "$url: a second run without waiting"
    expect_out "error=ELOCKED: another run holds the lease $name on .*: host-a pid 1, run run-a, until 20" \
        "$url: the message names the holder, its run id and the expiry"
    lease_bg c "$url" wd-c --name "$name" --holder "host-c pid 3" --run-id run-c \
        --ttl-ms 60000 --wait-ms 60000 --release
    pc=$!
    wait_for c.err "waiting for the lease $name: held by host-a pid 1, run run-a"
    touch "$T/go"
    wait $pc || fail "$url: a waiting run did not get the lease after the release: $(cat "$T/c" "$T/c.err")"
    grep -q "^acquired waited=1" "$T/c" || fail "$url: it does not say it waited: $(cat "$T/c")"
    wait $pa
    grep -q "^released" "$T/a" || fail "$url: the holder did not release: $(cat "$T/a")"
    [ "$(git -C "$T/srv/repo.git" rev-parse main)" = "$main" ] || fail "$url: main moved"

    # ---- SIGKILL: taken over after expiry, not before ----------------------
    # The TTL leaves the two runs below time to start while it still holds,
    # even on a loaded machine under sanitizers.
    lease_bg k "$url" wd-k --name "$name" --holder "host-k pid 9" --run-id run-k \
        --ttl-ms 20000 --wait-ms 0 --hold-ms 600000
    pk=$!
    wait_for k "^acquired"
    kill -9 $pk
    wait $pk 2>/dev/null
    tool lease --repo "$url" --workdir "$T/wd-b" --name "$name" --holder "host-b pid 2" \
        --run-id run-b --ttl-ms 60000 --wait-ms 0
    expect_out "error=ELOCKED.*host-k pid 9, run run-k" "$url: a killed holder's lease before it expires"
    before=$(git -C "$T/srv/repo.git" rev-parse "$ref/$name")
    tool lease --repo "$url" --workdir "$T/wd-b" --name "$name" --holder "host-b pid 2" \
        --run-id run-b --ttl-ms 60000 --wait-ms 60000 --release
    expect_code 0 "$url: a killed holder's lease after it expires"
    expect_out "^acquired waited=1" "$url: taken over after waiting"
    git -C "$T/srv/repo.git" merge-base --is-ancestor "$before" "$ref/$name" ||
        fail "$url: the takeover is not a fast-forward of the killed run's lease"

    # ---- renew after a takeover --------------------------------------------
    # s renews only after t has taken its expired lease over.
    rm -f "$T/go-s"
    lease_bg s "$url" wd-s --name "$name" --holder "host-s pid 5" --run-id run-s \
        --ttl-ms 2000 --wait-ms 0 --hold-ms 120000 --hold-until "$T/go-s" --renew-ttl-ms 60000
    ps=$!
    wait_for s "^acquired"
    tool lease --repo "$url" --workdir "$T/wd-t" --name "$name" --holder "host-t pid 6" \
        --run-id run-t --ttl-ms 60000 --wait-ms 20000
    expect_code 0 "$url: the lease of a run that stopped renewing is taken over"
    touch "$T/go-s"
    wait $ps
    grep -q "^error=ELOCKED: the lease $name on .* is no longer ours.*host-t pid 6, run run-t" "$T/s" ||
        fail "$url: renewing a lease taken over: $(cat "$T/s" "$T/s.err")"
    grep -q "^renewed" "$T/s" && fail "$url: renewed a lease taken over"
done

# Lease commits: one file each, a chain, no branch touched.
r="$T/srv/repo.git"
[ "$(git -C "$r" for-each-ref --format='%(refname)' refs/heads)" = "refs/heads/main" ] ||
    fail "a branch was created: $(git -C "$r" for-each-ref refs/heads)"
[ "$(git -C "$r" rev-parse main)" = "$main" ] || fail "main moved"
[ "$(git -C "$r" ls-tree --name-only "$ref/prod-http")" = "lease.json" ] || fail "lease tree"
git -C "$r" show "$ref/prod-http:lease.json" | grep -q '"state": "held"' ||
    fail "the last lease is not held: $(git -C "$r" show "$ref/prod-http:lease.json")"
n=$(git -C "$r" rev-list --count "$ref/prod-http")
[ "$n" -ge 8 ] || fail "the lease history is $n commits, not a chain"

# ---- a plain folder ----------------------------------------------------------
mkdir -p "$T/folder"
lease_bg a "$T/folder" wd-f --name prod --holder "host-a pid 1" --run-id run-a \
    --ttl-ms 60000 --wait-ms 0 --hold-ms 2000 --release
pa=$!
wait_for a "^acquired"
tool lease --repo "$T/folder/." --workdir "$T/wd-f" --name prod --holder "host-b pid 2" \
    --run-id run-b --ttl-ms 60000 --wait-ms 0
expect_out "error=ELOCKED.*host-a pid 1, run run-a" "a folder's lease is held on this machine"
tool lease --repo "$T/folder" --workdir "$T/wd-f" --name prod --holder "host-b pid 2" \
    --run-id run-b --ttl-ms 60000 --wait-ms 20000 --release
expect_out "^acquired waited=1" "a folder's lease after the release"
wait $pa

tool lease --repo "$file" --workdir "$T/wd-x" --name "a/b" --holder h --run-id r \
    --ttl-ms 1000 --wait-ms 0
expect_out "error=EINVALID" "a lease name with a slash"

finish
