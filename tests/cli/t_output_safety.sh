# What gwsync prints is safe to print: URL passwords and tokens never appear,
# even when the URL does not parse (issue 10 M3), and untrusted names cannot
# forge lines, terminal escapes or GitHub workflow commands (issue 10 L2),
# also through the shipped pull-request job (jobs/ci/github-actions.yml).
. "$(dirname "$0")/lib.sh"
PY=${PYTHON3:-python3}
unset GWSYNC_GIT_TOKEN

# no_leak WHAT NEEDLE...: none of the needles appears in stdout or stderr.
no_leak() {
    what=$1
    shift
    for s in "$@"; do
        if grep -qF -- "$s" "$T/out" "$T/err"; then fail "'$s' printed ($what)"; fi
    done
}

# issue 10 M3: passwords with an unencoded '/', space or quote, in URLs
# that fail to parse, in scp-like addresses, and percent-encoded.
for url in 'https://user:pa/ss1234@127.0.0.1:1/repo.git' \
    'https://user:pa ss1234@127.0.0.1:1/repo.git' \
    "https://user:pa'ss1234@127.0.0.1:1/repo.git" \
    'https://user:pa"ss1234@127.0.0.1:1/repo.git' \
    'https://user:p@ss1234@127.0.0.1:1/repo.git' \
    'ftp://user:pa/ss1234@127.0.0.1/x' \
    'user:pa/ss1234@host:repo' \
    'https://user:pa%2Fss1234@127.0.0.1:1/repo.git'; do
    run validate --repo "$url" --workdir "$T/cache" -v
    [ "$code" = 0 ] && fail "validate of $url succeeded"
    grep -q . "$T/err" || fail "no error for $url"
    no_leak "$url" ss1234 pa/ss 'pa ss' "pa'ss" 'pa"ss' 'pa%2Fss'
done
run render --repo 'https://user:pa/ss1234@127.0.0.1:1/repo.git' --workdir "$T/cache"
no_leak "render" ss1234

# GWSYNC_GIT_TOKEN is a secret wherever it shows up, errors included.
GWSYNC_GIT_TOKEN=ghp_tokenvalue1234 run validate --repo "$T/ghp_tokenvalue1234/nowhere"
expect_code 3 "missing directory"
expect_err "not a directory" "the error is still printed"
no_leak "token in a path" ghp_tokenvalue1234

# issue 10 L2: a file whose name holds a newline and a GitHub workflow
# command, one that starts with "::", one with a terminal escape sequence.
repo="$T/repo"
mkdir -p "$repo"
bad='apiVersion: gateway.networking.k8s.io/v1
kind: [
'
printf '%s' "$bad" >"$repo/$(printf 'x\n::error::forged.yaml')"
printf '%s' "$bad" >"$repo/::error::forged2.yaml"
printf '%s' "$bad" >"$repo/$(printf 'esc\033[2Jred\302\233.yaml')"
printf '%s' "$bad" >"$repo/$(printf 'bad\377utf8.yaml')"
run validate --repo "$repo"
expect_code 4 "invalid manifests"
expect_out '^x\\n::error::forged.yaml:3:1: invalid YAML' "the newline is shown escaped"
expect_out '^esc\\u001b\[2Jred\\u009b.yaml:3:1: ' "the escape sequences are shown escaped"
expect_out '^bad\\xffutf8.yaml:3:1: ' "invalid UTF-8 is shown escaped"
expect_out '^validate: 4 errors' "summary"
# Only the file gwsync was given a name starting with "::" starts a line with it.
n=$(grep -c '^[[:space:]]*::' "$T/out")
[ "$n" = 1 ] || fail "expected 1 line starting with '::' (the file named so), got $n"
LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$T/out" "$T/err" &&
    fail "a control character reached the output"

# The shipped job: the runner must obey no workflow command gwsync's output
# holds. simulate.py reads the validate step's script from the workflow,
# runs it in the repository with this build's gwsync, and applies the
# runner's command rules to the log (a line that starts with "::" after
# leading blanks, or holds "##[", is a command; ::stop-commands::TOKEN stops
# that until a line "::TOKEN::").
cat >"$T/simulate.py" <<'EOF'
import os, re, subprocess, sys
workflow, gwsync, repo = sys.argv[1:4]
lines = open(workflow, encoding="utf-8").read().split("\n")
script, i = None, 0
while i < len(lines):
    if re.match(r"\s*- name: Validate", lines[i]):
        j = i + 1
        while not re.match(r"\s*run: ", lines[j]):
            j += 1
        one = re.match(r"\s*run: (?!\|)(.+)$", lines[j])
        if one:
            script = one.group(1)
            break
        indent = len(lines[j + 1]) - len(lines[j + 1].lstrip())
        body = []
        for l in lines[j + 1:]:
            if l.strip() and len(l) - len(l.lstrip()) < indent:
                break
            body.append(l[indent:])
        script = "\n".join(body)
        break
    i += 1
if script is None:
    sys.exit("no Validate step with a run block in " + workflow)
# The shipped step runs the container image; here this build's binary
# reads the repository in place.
script = re.sub(r'docker run .*?"\$GWSYNC_IMAGE"', gwsync, script, flags=re.S)
script = script.replace("--repo /repo", "--repo .")
env = dict(os.environ, GWSYNC_CLUSTER="prod")
p = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, stdout=subprocess.PIPE,
                   stderr=subprocess.STDOUT)
stop, obeyed = None, []
for raw in p.stdout.split(b"\n"):
    line = raw.decode("utf-8", "replace")
    if stop is not None:
        if line.strip() == "::%s::" % stop:
            stop = None
        continue
    m = re.match(r"::([^: ]+)::?(.*)", line.lstrip())
    if m and m.group(1) == "stop-commands":
        stop = m.group(2)
        continue
    if m or "##[" in line:
        obeyed.append(line)
print("exit", p.returncode)
for l in obeyed:
    print("OBEYED", l)
EOF
"$PY" "$T/simulate.py" "$GWSYNC_SOURCE_DIR/jobs/ci/github-actions.yml" "$GWSYNC_BIN" \
    "$repo" >"$T/out" 2>"$T/err"
expect_out '^exit 4$' "the job fails the check with gwsync's exit code"
grep -q '^OBEYED' "$T/out" && fail "the runner would obey a workflow command from gwsync's output"

finish
