# --ref resolves exactly as `git rev-parse REF^{commit}` does in the origin,
# for a URL (file://) and for a local repository:
#  - issue 10 H1: a full 40-hex commit id is that commit even when a branch
#    carries the same name (a push of such a branch must not redirect a
#    pinned run);
#  - issue 10 M1: a tag wins over a branch of the same name, and full names
#    (refs/heads/v1, refs/tags/v1) and the other short forms (heads/v1,
#    tags/v1, HEAD) are accepted for URLs too.
. "$(dirname "$0")/lib.sh"
export HOME="$T/home" XDG_CACHE_HOME="$T/cache"
unset GWSYNC_REF GWSYNC_WORKDIR GWSYNC_GIT_TOKEN GWSYNC_PATH
origin="$T/origin"
g() { git -C "$origin" -c user.name=test -c user.email=test@example.com "$@"; }
configmap() { printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n' "$1"; }

git init -q -b main "$origin" || { echo "git init failed"; exit 1; }
configmap pinned >"$origin/a.yaml"
g add -A && g commit -q -m pinned
pinned=$(g rev-parse HEAD)
configmap tagged >"$origin/b.yaml"
g add -A && g commit -q -m tagged && g tag -a -m "release 1" v1
configmap branch >"$origin/c.yaml"
g add -A && g commit -q -m "branch v1"
g branch v1
# A branch named like the pinned commit, pointing elsewhere (issue 10 H1).
g update-ref "refs/heads/$pinned" HEAD
configmap main >"$origin/d.yaml"
g add -A && g commit -q -m main
short=$(echo "$pinned" | cut -c1-10)

for repo in "file://$origin" "$origin"; do
    for ref in "$pinned" v1 refs/tags/v1 tags/v1 refs/heads/v1 heads/v1 main HEAD "$short"; do
        want=$(g rev-parse --verify -q "$ref^{commit}" 2>/dev/null)
        want12=$(echo "$want" | cut -c1-12)
        run validate --repo "$repo" --ref "$ref" --workdir "$T/wd"
        expect_code 0 "validate $repo at $ref"
        expect_err "source: read $repo at $ref ($want12" "$repo at $ref reads $want12 as git does"
    done
done

# The pinned commit has one manifest; the branch of the same name four.
run validate --repo "file://$origin" --ref "$pinned" --workdir "$T/wd"
expect_out "in 1 file," "a pinned run reads the pinned commit's files only"

run validate --repo "file://$origin" --ref refs/tags/nope --workdir "$T/wd"
expect_code 3 "unknown full ref name"
expect_err "ref 'refs/tags/nope' not found" "unknown full ref name message"

finish
