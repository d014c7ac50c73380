# A Git https-style server on 127.0.0.1 (plain http, port 0) that refuses every
# request with 401: gwsync offers GWSYNC_GIT_TOKEN once, then stops with an
# authentication error (exit 8); neither the token nor URL credentials reach
# stderr or stdout.
. "$(dirname "$0")/lib.sh"
: "${PYTHON3:?}"
export HOME="$T/home"
unset GWSYNC_REF GWSYNC_WORKDIR
cat >"$T/server.py" <<'PY'
import http.server, sys
log = open(sys.argv[1], "a")
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        log.write("%s %s\n" % (self.path, self.headers.get("Authorization", "-")))
        log.flush()
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="git"')
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
mkfifo "$T/port"
"$PYTHON3" "$T/server.py" "$T/requests" >"$T/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
read -r port <"$T/port"

GWSYNC_GIT_TOKEN=tok-0123456789abcdef run validate \
    --repo "http://127.0.0.1:$port/org/repo.git" --workdir "$T/wd"
expect_code 8 "rejected token is an authentication failure"
expect_err "http://127.0.0.1:$port/org/repo.git: the credentials offered were rejected" \
    "message names the URL and the rejection"
grep -q "tok-0123456789abcdef" "$T/err" "$T/out" && fail "token leaked"
# base64("x-access-token:tok-0123456789abcdef")
grep -q "Basic eC1hY2Nlc3MtdG9rZW46dG9rLTAxMjM0NTY3ODlhYmNkZWY=" "$T/requests" ||
    fail "the token was not offered as basic auth: $(cat "$T/requests")"
n=$(grep -c "Basic" "$T/requests")
[ "$n" = 1 ] || fail "token offered $n times, expected once"

: >"$T/requests"
run validate --repo "http://bob:pw-secret-42@127.0.0.1:$port/org/repo.git" --workdir "$T/wd"
expect_code 8 "credentials in the URL rejected"
grep -q "pw-secret-42" "$T/err" "$T/out" && fail "URL password leaked"
expect_err "http://127.0.0.1:$port/org/repo.git" "URL shown without credentials"

: >"$T/requests"
unset GWSYNC_GIT_TOKEN
run validate --repo "http://127.0.0.1:$port/org/repo.git" --workdir "$T/wd"
expect_code 8 "no credentials to offer"
expect_err "set GWSYNC_GIT_TOKEN" "message says how to give credentials"

finish
