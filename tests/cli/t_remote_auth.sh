# Git credentials against Git HTTP stand-ins on 127.0.0.1 (plain http):
#  - a server that refuses every request with 401: gwsync offers
#    GWSYNC_GIT_TOKEN once (with the test opt-in for http), then stops with
#    an authentication error (exit 8); neither the token nor URL credentials
#    reach stderr or stdout;
#  - issue 10 M4: the token is never sent over plain http without
#    GWSYNC_GIT_ALLOW_HTTP_TOKEN=1, nor to the host a redirect leads to.
. "$(dirname "$0")/lib.sh"
export HOME="$T/home"
unset GWSYNC_REF GWSYNC_WORKDIR GWSYNC_GIT_ALLOW_HTTP_TOKEN
token=tok-0123456789abcdef
# base64("x-access-token:tok-0123456789abcdef")
basic="Basic eC1hY2Nlc3MtdG9rZW46dG9rLTAxMjM0NTY3ODlhYmNkZWY="

start_stub refuse status:401
refuse_port=$port

GWSYNC_GIT_ALLOW_HTTP_TOKEN=1 GWSYNC_GIT_TOKEN=$token run validate \
    --repo "http://127.0.0.1:$refuse_port/org/repo.git" --workdir "$T/wd"
expect_code 8 "rejected token is an authentication failure"
expect_err "http://127.0.0.1:$refuse_port/org/repo.git: the credentials offered were rejected" \
    "message names the URL and the rejection"
grep -q "$token" "$T/err" "$T/out" && fail "token leaked"
grep -q "$basic" "$T/refuse.log" ||
    fail "the token was not offered as basic auth: $(cat "$T/refuse.log")"
n=$(grep -c "Basic" "$T/refuse.log")
[ "$n" = 1 ] || fail "token offered $n times, expected once"

: >"$T/refuse.log"
run validate --repo "http://bob:pw-secret-42@127.0.0.1:$refuse_port/org/repo.git" \
    --workdir "$T/wd"
expect_code 8 "credentials in the URL rejected"
grep -q "pw-secret-42" "$T/err" "$T/out" && fail "URL password leaked"
expect_err "http://127.0.0.1:$refuse_port/org/repo.git" "URL shown without credentials"

: >"$T/refuse.log"
run validate --repo "http://127.0.0.1:$refuse_port/org/repo.git" --workdir "$T/wd"
expect_code 8 "no credentials to offer"
expect_err "set GWSYNC_GIT_TOKEN" "message says how to give credentials"

# issue 10 M4: plain http without the opt-in: the token is not sent.
: >"$T/refuse.log"
GWSYNC_GIT_TOKEN=$token run validate --repo "http://127.0.0.1:$refuse_port/org/repo.git" \
    --workdir "$T/wd"
expect_code 8 "token withheld over http"
expect_err "GWSYNC_GIT_TOKEN is sent only over https" "message says why the token was withheld"
grep -q "Basic" "$T/refuse.log" && fail "token sent over plain http: $(cat "$T/refuse.log")"

# issue 10 M4: --repo's host redirects to another host (localhost is not
# 127.0.0.1 by name) that asks for credentials: the token stays home, even
# with the http opt-in.
start_stub elsewhere status:401
elsewhere_port=$port
start_stub redirect "redirect:http://localhost:$elsewhere_port"
GWSYNC_GIT_ALLOW_HTTP_TOKEN=1 GWSYNC_GIT_TOKEN=$token run validate \
    --repo "http://127.0.0.1:$port/org/repo.git" --workdir "$T/wd"
expect_code 8 "token withheld from the redirect's host"
expect_err "not to a host a redirect leads to" "message says why the token was withheld"
grep -q "^localhost:$elsewhere_port " "$T/elsewhere.log" || fail "the redirect was not followed"
grep -q "Basic" "$T/elsewhere.log" "$T/redirect.log" &&
    fail "token sent after a redirect: $(cat "$T/elsewhere.log")"

# issue 10 M4: a server on the same host but another port is another server.
start_stub other_port "redirect:http://127.0.0.1:$refuse_port"
: >"$T/refuse.log"
GWSYNC_GIT_ALLOW_HTTP_TOKEN=1 GWSYNC_GIT_TOKEN=$token run validate \
    --repo "http://127.0.0.1:$port/org/repo.git" --workdir "$T/wd"
expect_code 8 "token withheld from another port"
grep -q "Basic" "$T/refuse.log" && fail "token sent to another port: $(cat "$T/refuse.log")"

finish
