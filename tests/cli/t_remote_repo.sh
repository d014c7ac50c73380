# --repo URL --ref REF for validate and render: a local origin built here,
# read through file:// (no network), at a tag and at a branch whose content
# differs; an unknown ref or a missing repository is a usage error (exit 3).
. "$(dirname "$0")/lib.sh"
export HOME="$T/home" XDG_CACHE_HOME="$T/cache"
unset GWSYNC_REF GWSYNC_WORKDIR GWSYNC_GIT_TOKEN
origin="$T/origin"
g() { git -C "$origin" -c user.name=test -c user.email=test@example.com "$@"; }

git init -q -b main "$origin" || { echo "git init failed"; exit 1; }
cp -r "$GWSYNC_SOURCE_DIR/examples/repo/." "$origin/"
g add -A && g commit -q -m "v1: shop and ledger" && g tag v1
v1_commit=$(g rev-parse HEAD)
g rm -q apps/ledger/ledger.yaml && g commit -q -m "drop ledger"

run validate --repo "file://$origin" --ref v1 --workdir "$T/wd"
expect_code 0 "validate at v1"
expect_out "^validate: 0 errors, 0 warnings; 45 objects in 12 files" "v1 counts"
expect_out "^gateway ledger/ledger" "ledger present at v1"
expect_err "source: read file://$origin at v1 (${v1_commit%????????????????????????????}, refs/tags/v1)" \
    "info line names the commit and the reference read"

run validate --repo "file://$origin" --ref main --workdir "$T/wd"
expect_code 0 "validate at main"
expect_out "^validate: 0 errors, 0 warnings; 33 objects in 11 files" "main counts"
grep -q "^gateway ledger/ledger" "$T/out" && fail "ledger still present at main"

# No --ref: the origin's default branch (main), here through GWSYNC_WORKDIR
# and the default cache location.
GWSYNC_WORKDIR="$T/wd2" run validate --repo "file://$origin"
expect_code 0 "validate at the default branch"
expect_out "33 objects in 11 files" "default branch is main"
[ -d "$T/wd2/repos" ] || fail "GWSYNC_WORKDIR not used"

run validate --repo "file://$origin" --ref "$v1_commit"
expect_code 0 "validate at a full commit id"
expect_out "45 objects in 12 files" "commit id reads v1"
[ -d "$T/cache/gwsync/repos" ] || fail "default cache \$XDG_CACHE_HOME/gwsync not used"

run render --repo "file://$origin" --ref v1 --workdir "$T/wd"
expect_code 0 "render from a URL"
expect_out '"gateway": "ledger/ledger"' "render reads v1"

GWSYNC_REF=v1 run render --repo "$origin" --workdir "$T/wd" -o yaml
expect_code 0 "render a local repository at a ref"
expect_out "ledger/ledger" "local repository read at v1"
[ -f "$origin/apps/ledger/ledger.yaml" ] && fail "the user's work tree was changed"
[ -z "$(g status --porcelain)" ] || fail "the user's work tree or index was changed"

run validate --repo "file://$origin" --ref no-such-ref --workdir "$T/wd"
expect_code 3 "unknown ref"
expect_err "ref 'no-such-ref' not found in file://$origin" "unknown ref message"

# A missing repository is a configuration error (3), as a missing directory is.
run validate --repo "file://$T/missing" --workdir "$T/wd"
expect_code 3 "missing repository"
expect_err "cannot fetch file://$T/missing: no repository at this path" "missing repository message"

run validate --repo "https://user:hunter2secret@127.0.0.1:1/x.git" --workdir "$T/wd"
expect_code 1 "refused connection"
grep -q hunter2secret "$T/err" "$T/out" && fail "credentials leaked"
expect_err "https://127.0.0.1:1/x.git" "URL shown without credentials"

finish
