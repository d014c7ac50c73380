# Status commits (gws_source_publish) through real transports on 127.0.0.1:
# file://, `git daemon` (git://, receive-pack enabled) and `git http-backend`
# behind tests/cli/git_http_stub.py (http://, token checked), driven by the
# test program tests/tools/gws_publish_tool:
#  1. one commit with the given message and author, only <subdir> changed;
#     the same files again: no commit, ~0 objects received;
#  2. the right token pushes, a wrong one fails saying which credential was
#     tried; the token is in no output, cache config or commit;
#  3. a competing push between fetch and push: the status commit lands on
#     top and the other commit is kept; a branch that always moves: ECONFLICT;
#  4. a status branch starts as an orphan and is updated; the source branch
#     is untouched;
#  and a local checkout: its checked-out branch is refused with advice,
#  another branch of it is pushed; a subdir with ".." is refused.
. "$(dirname "$0")/lib.sh"
export HOME="$T/home"
unset GWSYNC_GIT_TOKEN GWSYNC_GIT_TOKEN_FILE GWSYNC_GIT_ALLOW_HTTP_TOKEN GWSYNC_GIT_USERNAME
token=tok-publish-5f3a9c
g() {
    d=$1
    shift
    git -C "$d" -c user.name=human -c user.email=human@example.com "$@"
}

# new_remote NAME: a bare repository $T/srv/NAME.git whose main holds a manifest.
new_remote() {
    git init -q --bare -b main "$T/srv/$1.git"
    git -C "$T/srv/$1.git" config http.receivepack true
    rm -rf "$T/seed"
    git init -q -b main "$T/seed"
    mkdir -p "$T/seed/apps"
    echo "kind: Gateway" >"$T/seed/apps/gw.yaml"
    g "$T/seed" add -A && g "$T/seed" commit -q -m "manifests"
    g "$T/seed" push -q "$T/srv/$1.git" main
}

# compete_script NAME: a script pushing a new commit to main of NAME (a
# human's commit racing gwsync's push).
compete_script() {
    cat >"$T/compete-$1.sh" <<EOS
set -e
rm -rf "$T/racer-$1"
git clone -q "$T/srv/$1.git" "$T/racer-$1"
date +%s%N >"$T/racer-$1/human.txt"
git -C "$T/racer-$1" add human.txt
git -C "$T/racer-$1" -c user.name=human -c user.email=human@example.com commit -q -m "human change"
git -C "$T/racer-$1" push -q origin main
EOS
    echo "sh $T/compete-$1.sh"
}

mkdir -p "$T/srv" "$T/files/status/ns/Gateway"
echo "# summary" >"$T/files/SUMMARY.md"
echo "conditions: []" >"$T/files/status/ns/Gateway/gw.yaml"
printf 'gwsync: prod: 1 created\n\nGwsync-Run-Id: r1\n' >"$T/msg"

start_git_daemon "$T/srv"
start_stub http "backend:$T/srv:$token"
http_port=$port

# ---- 1. one commit, then none, over each transport ----------------------
for transport in file git http; do
    new_remote "$transport"
    case $transport in
    file) url="file://$T/srv/file.git" ;;
    git) url="git://127.0.0.1:$daemon_port/git.git" ;;
    http) url="http://127.0.0.1:$http_port/http.git" ;;
    esac
    before=$(git -C "$T/srv/$transport.git" rev-parse main)
    GWSYNC_GIT_ALLOW_HTTP_TOKEN=1 GWSYNC_GIT_TOKEN=$token tool publish --repo "$url" \
        --workdir "$T/wd-$transport" --files "$T/files" --subdir .gwsync/prod \
        --message "$(cat "$T/msg")" --author "Status Bot <bot@example.com>"
    expect_code 0 "$transport: publish"
    expect_out "^committed=1" "$transport: a commit was made"
    expect_out "^pushed=1" "$transport: it was pushed"
    r="$T/srv/$transport.git"
    [ "$(git -C "$r" rev-parse main~1)" = "$before" ] || fail "$transport: not one commit on the tip"
    [ "$(git -C "$r" log -1 --format=%B main)" = "$(cat "$T/msg")" ] ||
        fail "$transport: message differs: $(git -C "$r" log -1 --format=%B main)"
    [ "$(git -C "$r" log -1 --format='%an <%ae>|%cn <%ce>' main)" = \
        "Status Bot <bot@example.com>|Status Bot <bot@example.com>" ] ||
        fail "$transport: author/committer: $(git -C "$r" log -1 --format='%an <%ae>|%cn <%ce>' main)"
    changed=$(git -C "$r" diff --name-only main~1 main | tr '\n' ' ')
    [ "$changed" = ".gwsync/prod/SUMMARY.md .gwsync/prod/status/ns/Gateway/gw.yaml " ] ||
        fail "$transport: changed paths: $changed"
    [ "$(git -C "$r" rev-parse main~1:apps)" = "$(git -C "$r" rev-parse main:apps)" ] ||
        fail "$transport: the manifests changed"
    commit=$(git -C "$r" rev-parse main)
    grep -q "^commit=$commit" "$T/out" || fail "$transport: the result names another commit"

    GWSYNC_GIT_ALLOW_HTTP_TOKEN=1 GWSYNC_GIT_TOKEN=$token tool publish --repo "$url" \
        --workdir "$T/wd-$transport" --files "$T/files" --subdir .gwsync/prod \
        --message "gwsync: prod: nothing"
    expect_code 0 "$transport: publish again"
    expect_out "^committed=0" "$transport: same files, no commit"
    expect_out "^pushed=0" "$transport: nothing pushed"
    [ "$(git -C "$r" rev-parse main)" = "$commit" ] || fail "$transport: the branch moved"
    received=$(sed -n 's/^received_total=//p' "$T/out")
    [ "$received" -le 2 ] || fail "$transport: second run received $received objects"
done

# ---- 2. tokens ------------------------------------------------------------
url="http://127.0.0.1:$http_port/http.git"
echo "# summary 2" >"$T/files/SUMMARY.md"
echo "$token" >"$T/token"
GWSYNC_GIT_ALLOW_HTTP_TOKEN=1 GWSYNC_GIT_TOKEN_FILE="$T/token" tool publish --repo "$url" \
    --workdir "$T/wd-token" --files "$T/files" --subdir .gwsync/prod --message "token file"
expect_code 0 "GWSYNC_GIT_TOKEN_FILE (with its trailing newline) authenticates"
expect_out "^pushed=1" "pushed with the token file"
GWSYNC_GIT_ALLOW_HTTP_TOKEN=1 GWSYNC_GIT_TOKEN=wrong-token-123 tool publish --repo "$url" \
    --workdir "$T/wd-wrong" --files "$T/files" --subdir .gwsync/prod --message "wrong"
expect_code 1 "wrong token"
expect_out "error=EAUTH" "a wrong token is an authentication error"
expect_out "the credentials offered were rejected: the token of GWSYNC_GIT_TOKEN, as user x-access-token" \
    "the message says which credential was tried"
grep -q "wrong-token-123" "$T/out" "$T/err" && fail "wrong token printed"
echo wrong-token-456 >"$T/token"
GWSYNC_GIT_ALLOW_HTTP_TOKEN=1 GWSYNC_GIT_TOKEN_FILE="$T/token" GWSYNC_GIT_USERNAME=ci-bot \
    tool publish --repo "$url" --workdir "$T/wd-wrong" --files "$T/files" \
    --subdir .gwsync/prod --message "wrong"
expect_out "rejected: the token of GWSYNC_GIT_TOKEN_FILE, as user ci-bot" \
    "a rejected token file is named, with GWSYNC_GIT_USERNAME"
for f in $(find "$T/wd-http" "$T/wd-token" "$T/wd-wrong" -name config); do
    grep -q "$token\|wrong-token" "$f" && fail "a token is in $f"
done
for r in "$T/srv/http.git" $(find "$T/wd-http" "$T/wd-token" -type d -name git); do
    git -C "$r" log -p --all | grep -q "$token" && fail "the token is in a commit of $r"
done
grep -rq "$token" "$T/out" "$T/err" && fail "the token was printed"

# ---- 3. non-fast-forward ----------------------------------------------------
for transport in file http; do
    case $transport in
    file) url="file://$T/srv/file.git" ;;
    http) url="http://127.0.0.1:$http_port/http.git" ;;
    esac
    r="$T/srv/$transport.git"
    echo "# summary race $transport" >"$T/files/SUMMARY.md"
    GWSYNC_GIT_ALLOW_HTTP_TOKEN=1 GWSYNC_GIT_TOKEN=$token tool publish --repo "$url" \
        --workdir "$T/wd-$transport" --files "$T/files" --subdir .gwsync/prod \
        --message "after the race" --compete "$(compete_script "$transport")"
    expect_code 0 "$transport: publish past a competing push"
    expect_out "^attempts=2" "$transport: the second push landed"
    expect_out "^build=2" "$transport: the report was rebuilt on the new tip"
    [ "$(git -C "$r" log -1 --format=%s main)" = "after the race" ] ||
        fail "$transport: the status commit is not the tip"
    [ "$(git -C "$r" log -1 --format=%s main~1)" = "human change" ] ||
        fail "$transport: the competing commit is not the parent"
    git -C "$r" cat-file -e main:human.txt || fail "$transport: the other commit's file was lost"

    echo "# summary storm $transport" >"$T/files/SUMMARY.md"
    tip=$(git -C "$r" rev-parse main)
    GWSYNC_GIT_ALLOW_HTTP_TOKEN=1 GWSYNC_GIT_TOKEN=$token tool publish --repo "$url" \
        --workdir "$T/wd-$transport" --files "$T/files" --subdir .gwsync/prod \
        --message "never lands" --compete "$(compete_script "$transport")" --compete-always
    expect_code 1 "$transport: a branch that always moves"
    expect_out "error=ECONFLICT" "$transport: conflict after the last attempt"
    expect_out "kept moving: 3 pushes" "$transport: the message says the branch kept moving"
    expect_out "AWS is converged" "$transport: the message says AWS is converged"
    git -C "$r" log --format=%s main | grep -q "never lands" && fail "$transport: forced in"
    [ "$(git -C "$r" rev-list --count "$tip..main")" = 3 ] ||
        fail "$transport: the three competing commits are not all kept"
done

# ---- 4. a status branch ---------------------------------------------------
url="git://127.0.0.1:$daemon_port/git.git"
r="$T/srv/git.git"
main_before=$(git -C "$r" rev-parse main)
tool publish --repo "$url" --workdir "$T/wd-git" --files "$T/files" --subdir .gwsync/prod \
    --message "status 1" --branch gwsync-status
expect_code 0 "publish to a new status branch"
expect_out "^pushed=1" "status branch pushed"
[ "$(git -C "$r" rev-list --count gwsync-status)" = 1 ] || fail "the status branch is not one commit"
git -C "$r" rev-parse -q --verify gwsync-status^ >/dev/null && fail "the status branch has a parent"
[ "$(git -C "$r" ls-tree --name-only gwsync-status)" = ".gwsync" ] ||
    fail "the orphan holds more than .gwsync: $(git -C "$r" ls-tree --name-only gwsync-status)"
echo "# summary 3" >"$T/files/SUMMARY.md"
tool publish --repo "$url" --workdir "$T/wd-git" --files "$T/files" --subdir .gwsync/prod \
    --message "status 2" --branch gwsync-status
expect_code 0 "update the status branch"
[ "$(git -C "$r" log --format=%s gwsync-status | tr '\n' ' ')" = "status 2 status 1 " ] ||
    fail "the status branch history: $(git -C "$r" log --format=%s gwsync-status)"
[ "$(git -C "$r" rev-parse main)" = "$main_before" ] || fail "the source branch moved"

# --no-push: a commit in the cache only.
echo "# summary 4" >"$T/files/SUMMARY.md"
tool publish --repo "$url" --workdir "$T/wd-git" --files "$T/files" --subdir .gwsync/prod \
    --message "local only" --no-push
expect_code 0 "--no-push"
expect_out "^committed=1" "--no-push commits"
expect_out "^pushed=0" "--no-push does not push"
[ "$(git -C "$r" rev-parse main)" = "$main_before" ] || fail "--no-push moved the remote"

# ---- a local checkout read with --ref ------------------------------------
new_remote local
git clone -q "$T/srv/local.git" "$T/checkout"
tool publish --repo "$T/checkout" --ref main --workdir "$T/wd-local" --files "$T/files" \
    --subdir .gwsync/prod --message "into the checkout"
expect_code 1 "the checked-out branch of a work tree"
expect_out "error=EREMOTE" "refused"
expect_out "checked out in its work tree.*--status-branch" "the message gives the way out"
tool publish --repo "$T/checkout" --ref main --workdir "$T/wd-local" --files "$T/files" \
    --subdir .gwsync/prod --message "beside the checkout" --branch gwsync-status
expect_code 0 "another branch of a work tree"
[ "$(git -C "$T/checkout" log -1 --format=%s gwsync-status)" = "beside the checkout" ] ||
    fail "the status branch of the checkout"
[ -z "$(git -C "$T/checkout" status --porcelain)" ] || fail "the work tree was changed"

for bad in ../up /abs .gwsync/../x .git/x ""; do
    tool publish --repo "file://$T/srv/file.git" --workdir "$T/wd-file" --files "$T/files" \
        --subdir "$bad" --message "bad"
    expect_out "error=EINVALID" "subdir '$bad' refused"
done

finish
