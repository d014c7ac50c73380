# Hostile and broken repositories, built here and read through file:// or a
# Git HTTP stand-in on 127.0.0.1:
#  - issue 10 M9: nothing is written before its size is checked against the
#    tree: a git bomb (a few KB of trees naming 10^7 files) stops at the
#    entry cap with bounded memory, and a 17 MiB blob (a few KB packed) is
#    never written, only reported;
#  - issue 10 L7: exit codes come from libgit2's error class and the HTTP
#    status, never from words in a message or a URL.
. "$(dirname "$0")/lib.sh"
export HOME="$T/home" XDG_CACHE_HOME="$T/cache"
unset GWSYNC_REF GWSYNC_WORKDIR GWSYNC_GIT_TOKEN GWSYNC_PATH GWSYNC_MAX_FILE_SIZE

# new_repo DIR: an empty repository on main; g DIR ARGS runs git in it.
new_repo() { git init -q -b main "$1" || { echo "git init failed"; exit 1; }; }
g() { d=$1; shift; git -C "$d" -c user.name=test -c user.email=test@example.com "$@"; }
configmap() { printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n' "$1"; }

# A regression must fail here, not exhaust the machine: 30 s at most, and
# 2 GiB of address space unless gwsync runs under AddressSanitizer (which
# reserves terabytes of it).
bounded() {
    if grep -qa __asan_init "$GWSYNC_BIN"; then
        limit=unlimited
    else
        limit=2097152
    fi
    (ulimit -v $limit && exec timeout 30 "$GWSYNC_BIN" "$@") >"$T/out" 2>"$T/err"
    code=$?
}

# ---- issue 10 M9: a git bomb: 7 levels of 10 entries, each naming the same
# subtree, over 10 files: 10^7 paths in under 2 KB of objects.
bomb="$T/bomb"
new_repo "$bomb"
blob=$(echo "not yaml" | g "$bomb" hash-object -w --stdin)
tree=$(for i in 0 1 2 3 4 5 6 7 8 9; do printf '100644 blob %s\tf%s.txt\n' "$blob" "$i"; done |
    g "$bomb" mktree)
for level in 1 2 3 4 5 6; do
    tree=$(for i in 0 1 2 3 4 5 6 7 8 9; do printf '040000 tree %s\td%s\n' "$tree" "$i"; done |
        g "$bomb" mktree)
done
configmap ok >"$T/ok.yaml"
okblob=$(g "$bomb" hash-object -w "$T/ok.yaml")
tree=$( (g "$bomb" ls-tree "$tree"; printf '100644 blob %s\tok.yaml\n' "$okblob") |
    g "$bomb" mktree)
g "$bomb" update-ref refs/heads/main "$(g "$bomb" commit-tree "$tree" -m bomb)"

bounded validate --repo "$bomb" --ref main --workdir "$T/wd"
expect_code 4 "a git bomb is invalid, not a crash"
expect_out "more than 1000000 entries below the path; the rest is not read" "the entry cap"
n=$(find "$T/wd" -type f | wc -l)
[ "$n" -lt 50 ] || fail "the git bomb wrote $n files"

# ---- issue 10 M9: a 17 MiB blob, a few KB packed, as a manifest, as a
# non-YAML file and outside --path: never written, the manifest reported.
big="$T/big"
new_repo "$big"
mkdir -p "$big/apps"
configmap ok >"$big/apps/ok.yaml"
configmap padded >"$big/apps/padded.yaml"
head -c 2000 /dev/zero | tr '\0' '#' >>"$big/apps/padded.yaml"
g "$big" add -A
huge=$(head -c 17825792 /dev/zero | tr '\0' '#' | g "$big" hash-object -w --stdin)
for path in apps/big.yaml apps/notes.txt data/huge.yaml; do
    g "$big" update-index --add --cacheinfo "100644,$huge,$path"
done
g "$big" commit -q -m big

bounded validate --repo "file://$big" --path apps --workdir "$T/wd"
expect_code 4 "an oversized manifest is an error"
expect_out "^apps/big.yaml: file is 17825792 bytes, over the limit of 16777216 bytes; not read" \
    "the oversized manifest is reported where it is"
expect_out "in 2 files," "the other manifests are read"
large=$(find "$T/wd" -type f -size +1M)
[ -z "$large" ] || fail "large files written: $large"
find "$T/wd" -name notes.txt -o -name huge.yaml | grep -q . && fail "files nobody reads were written"

run validate --repo "file://$big" --path apps --workdir "$T/wd" --max-file-size 1000
padded=$(wc -c <"$big/apps/padded.yaml")
expect_out "^apps/padded.yaml: file is $padded bytes, over the limit of 1000 bytes; not read" \
    "--max-file-size applies before writing"
[ -e "$(find "$T/wd" -path '*/tree/apps/padded.yaml')" ] && fail "the oversized file was written"

# ---- issue 10 L7: exit codes by error class and HTTP status.
# A missing repository whose name holds "401" is not an authentication failure.
run validate --repo "file://$T/no/repo-401.git" --workdir "$T/wd"
expect_code 3 "missing file:// repository named repo-401.git"
start_stub s404 status:404
run validate --repo "http://127.0.0.1:$port/org/repo-401.git" --workdir "$T/wd"
expect_code 3 "HTTP 404 for repo-401.git"
expect_err "no repository at this URL" "404 message"
start_stub s403 status:403
run validate --repo "http://127.0.0.1:$port/org/repo.git" --workdir "$T/wd"
expect_code 8 "HTTP 403 is an authorization failure"
start_stub s500 status:500
run validate --repo "http://127.0.0.1:$port/org/repo-403-authentication.git" --workdir "$T/wd"
expect_code 1 "HTTP 500 is the server's failure, whatever the URL says"

# An empty remote is a configuration error with a clear message.
git init -q --bare "$T/empty.git"
run validate --repo "file://$T/empty.git" --workdir "$T/wd"
expect_code 3 "empty remote"
expect_err "the repository file://$T/empty.git is empty: it has no branch or tag to read" \
    "empty remote message"

# A tree git would refuse (an entry name with a slash, hidden entries
# named . and .git): the invalid name is a diagnostic, the rest is read.
hostile="$T/hostile"
new_repo "$hostile"
hex=$(g "$hostile" hash-object -w "$T/ok.yaml")
dotgit=$(printf '100644 blob %s\tconfig\n' "$hex" | g "$hostile" mktree)
"$PYTHON3" - "$hex" "$dotgit" >"$T/tree.bin" <<'PY'
import binascii, sys
blob, tree = (binascii.unhexlify(h) for h in sys.argv[1:3])
entries = [(b"40000 .git", tree), (b"100644 ok.yaml", blob), (b"100644 x/y.yaml", blob)]
sys.stdout.buffer.write(b"".join(e + b"\0" + oid for e, oid in entries))
PY
tree=$(g "$hostile" hash-object -t tree --literally -w "$T/tree.bin")
g "$hostile" update-ref refs/heads/main "$(g "$hostile" commit-tree "$tree" -m hostile)"
run validate --repo "file://$hostile" --workdir "$T/wd"
expect_code 4 "a hostile tree is invalid input"
expect_out 'invalid file name "x/y.yaml" in the tree; not read' "the invalid name is reported"
expect_out "in 1 file," "the valid manifest is read"

finish
