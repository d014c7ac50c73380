# What the loader cannot read is said, with the right exit code (issue 10):
# L3 skipped files are diagnostics, L4 over-long names and paths exit 4 with
# a position, and --path naming a FIFO is refused at once instead of blocking.
. "$(dirname "$0")/lib.sh"

ns_doc() { printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n' "$1"; }

# issue 10 L3: an invalid file 70 directories down was skipped and the run
# passed (exit 0); so were links that loop or dangle.
mkdir -p "$T/deep"
ns_doc ok >"$T/deep/ok.yaml"
d="$T/deep"
for i in $(seq 70); do d="$d/d"; done
mkdir -p "$d"
echo 'kind: [' >"$d/bad.yaml"
run validate --repo "$T/deep"
expect_code 4 "L3: too deep is an error"
expect_out "^d/d/d.*/d: directory nested more than 64 levels below the manifest path; not read" "L3: depth diagnostic"
ln -s loop.yaml "$T/deep/loop.yaml"
ln -s gone.yaml "$T/deep/dangling.yaml"
run validate --repo "$T/deep"
expect_out "^loop.yaml: symbolic link loops; not read" "L3: loop"
expect_out "^dangling.yaml: symbolic link is dangling" "L3: dangling"
expect_out "^validate: 3 errors, 0 warnings; 1 object in 1 file" "L3: summary"

# issue 10 (also): a link into .git is not read; a FIFO found while walking is
# never opened; --path naming a FIFO is a usage error, not a hang.
mkdir -p "$T/special/.git"
ns_doc secret >"$T/special/.git/config.yaml"
ln -s .git/config.yaml "$T/special/git.yaml"
mkfifo "$T/special/pipe.yaml"
ln -s pipe.yaml "$T/special/to-pipe.yaml"
run validate --repo "$T/special"
expect_code 4 "FIFO named .yaml: a manifest may be lost"
expect_out "^git.yaml: warning: symbolic link points into a hidden path (such as .git); not read" "link into .git"
expect_out "^pipe.yaml: a FIFO, not a regular file; not read" "FIFO while walking"
expect_out "^to-pipe.yaml: symbolic link to a FIFO, not a regular file; not read" "link to a FIFO"
grep -q secret "$T/out" && fail "a file under .git was read through a link"
if command -v timeout >/dev/null 2>&1; then
    timeout 20 "$GWSYNC_BIN" validate --repo "$T/special" --path pipe.yaml >"$T/out" 2>"$T/err"
    code=$?
else
    run validate --repo "$T/special" --path pipe.yaml
fi
expect_code 3 "--path naming a FIFO is refused (124: it blocked)"
expect_err 'manifest path "pipe.yaml" is a FIFO, not a directory or a regular file' "FIFO --path message"

# issue 10 L4: a 70,000-character name exited 1 ("data exceeds the limit")
# with no location.
mkdir -p "$T/long"
{ printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: '; head -c 70000 /dev/zero | tr '\0' a; printf '\n'; } >"$T/long/ns.yaml"
run validate --repo "$T/long"
expect_code 4 "L4: long name"
expect_out "^ns.yaml:4:9: Namespace: metadata.name: is 70000 bytes long, over the 253 characters Kubernetes allows; object ignored" "L4: name diagnostic"
run render --repo "$T/long"
expect_code 4 "L4: render with a long name"

# issue 10 L4: a path longer than PATH_MAX exited 1 with no location.
mkdir -p "$T/longpath"
(
    cd "$T/longpath" || exit 1
    seg=$(head -c 250 /dev/zero | tr '\0' p)
    for i in $(seq 20); do mkdir "$seg" && cd "$seg" || exit 1; done
    ns_doc far >ns.yaml
)
run validate --repo "$T/longpath"
expect_code 4 "L4: long path"
expect_out "^p*/p*.*: path longer than 4096 bytes (PATH_MAX); not read" "L4: path diagnostic"
rm -rf "$T/longpath" 2>/dev/null || find "$T/longpath" -depth -delete 2>/dev/null

finish
