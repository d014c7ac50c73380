# gwsync aws-check against fakeaws: the checks' lines on success, and the
# exit codes of a rejected signature (8), a missing permission (8), no region
# (3), a bad flag (3), an unreachable endpoint (1) and --timeout (9); the
# secret key never appears in any output, even with -v.
. "$(dirname "$0")/lib.sh"
PY=${PYTHON3:-python3}
ctl="$GWSYNC_SOURCE_DIR/tests/fakeaws/fakeaws-ctl"

# Keep the machine's own AWS settings out of the test.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_REGION AWS_DEFAULT_REGION AWS_SESSION_TOKEN \
    AWS_ENDPOINT_URL AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 AWS_ENDPOINT_URL_EC2 \
    AWS_ENDPOINT_URL_STS AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE \
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI \
    AWS_CA_BUNDLE AWS_MAX_ATTEMPTS AWS_RETRY_MODE
export HOME="$T" AWS_CONFIG_FILE="$T/aws-config" AWS_SHARED_CREDENTIALS_FILE="$T/aws-credentials"
export AWS_EC2_METADATA_DISABLED=true
export AWS_ACCESS_KEY_ID=AKIDAWSCHECKTESTKEY
export AWS_SECRET_ACCESS_KEY=awscheck-secret-0f9e8d7c6b5a
wrong_secret=awscheck-wrong-secret-1a2b3c4d

trap '"$PY" "$ctl" stop --state-dir "$T/fa" >/dev/null 2>&1; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM PIPE # so the EXIT trap stops the server on those too
url=$("$PY" "$ctl" start --state-dir "$T/fa" -- --seed 1) || {
    echo "FAIL: fakeaws did not start"
    cat "$T/fa/fakeaws.log" 2>/dev/null
    exit 1
}

# fake_post PATH JSON: the emulator's control API.
fake_post() {
    "$PY" - "$url$1" "$2" <<'EOF' >/dev/null
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST",
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=10).read()
EOF
}
fake_delete() {
    "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="DELETE"), timeout=10).read()' "$url$1"
}

# One load balancer with gwsync's ownership tags for cluster "demo", created
# with a signed Query request as any SDK would send it.
"$PY" - "$url" "$GWSYNC_SOURCE_DIR/tests/fakeaws" <<'EOF' || fail "creating the tagged load balancer"
import os, sys, urllib.parse, urllib.request
sys.path.insert(0, sys.argv[2])
from fakeaws import sigv4
url = sys.argv[1] + "/"
params = {
    "Action": "CreateLoadBalancer", "Version": "2015-12-01", "Name": "k8s-demo-owned",
    "Type": "application", "Scheme": "internet-facing",
    "Subnets.member.1": "subnet-0de00000000000a01",
    "Subnets.member.2": "subnet-0de00000000000b01",
    "Tags.member.1.Key": "gwsync.io/cluster", "Tags.member.1.Value": "demo",
    "Tags.member.2.Key": "gwsync.io/managed-by", "Tags.member.2.Value": "gwsync",
    "Tags.member.3.Key": "gwsync.io/stack", "Tags.member.3.Value": "demo/web",
    "Tags.member.4.Key": "gwsync.io/resource", "Tags.member.4.Value": "LoadBalancer",
}
body = urllib.parse.urlencode(params).encode()
h = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
h = sigv4.sign("POST", url, h, body, os.environ["AWS_ACCESS_KEY_ID"],
               os.environ["AWS_SECRET_ACCESS_KEY"], "us-west-2", "elasticloadbalancing")
h.pop("Host")
with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=h), timeout=10) as r:
    assert r.status == 200, r.status
EOF

no_secret() {
    for s in "$AWS_SECRET_ACCESS_KEY" "$wrong_secret"; do
        if grep -qF -- "$s" "$T/out" "$T/err"; then fail "a secret value appears in the output ($1)"; fi
    done
}

# Everything passes.
run aws-check --endpoint-url "$url" --region us-west-2 --cluster demo -v
expect_code 0 "checks against fakeaws"
expect_out "^region: us-west-2" "region line"
expect_out "^endpoints: elasticloadbalancing $url, ec2 $url, sts $url$" "endpoints line"
expect_out "^credentials: provider=environment key=AKID\*\*\*\*TKEY" "provider and masked key"
expect_out "^identity: account 123456789012, arn arn:aws:" "account and ARN"
expect_out "^load balancers: 1 owned by gwsync for cluster demo of 1 in us-west-2$" "LB count"
expect_out "^subnets: 3 public (kubernetes.io/role/elb), 3 internal (kubernetes.io/role/internal-elb)" \
    "default fixture's subnets"
expect_out "^aws-check: ok$" "summary"
grep -q AKIDAWSCHECKTESTKEY "$T/out" "$T/err" && fail "unmasked access key id printed"
no_secret "success, -v"

# The environment twins reach the same options; another cluster owns nothing
# and has no tagged subnets: a warning, not a failure.
GWSYNC_ENDPOINT_URL="$url" GWSYNC_REGION=us-west-2 GWSYNC_CLUSTER=other GWSYNC_AWS_CONCURRENCY=2 \
    GWSYNC_AWS_RPS=50 run aws-check
expect_code 0 "environment twins, other cluster"
expect_out "^load balancers: 0 owned by gwsync for cluster other of 1 in us-west-2$" "not owned"
expect_out "^subnets: 0 public .*, 0 internal " "no subnets for another cluster"
expect_out "^warning: no public subnets" "zero subnets is a warning"
expect_out "^aws-check: ok$" "warnings are not problems"

# A wrong secret: SigV4 rejected, exit 8.
AWS_SECRET_ACCESS_KEY="$wrong_secret" run aws-check --endpoint-url "$url" --region us-west-2 \
    --cluster demo -v
expect_code 8 "wrong secret"
expect_out "SignatureDoesNotMatch" "names the AWS error"
expect_out "^aws-check: 1 problem$" "summary of a failure"
no_secret "wrong secret, -v"

# A missing permission: exit 8 naming it, and the other checks still run.
fake_post /_fake/faults '{"service": "elasticloadbalancing", "action": "DescribeLoadBalancers",
  "kind": "error", "status": 403, "code": "AccessDenied", "message": "not authorized"}'
run aws-check --endpoint-url "$url" --region us-west-2 --cluster demo
expect_code 8 "access denied"
expect_out "^load balancers: FAILED: permission elasticloadbalancing:DescribeLoadBalancers denied" \
    "names the permission"
expect_out "^subnets: 3 public" "later checks still run"
expect_out "^aws-check: 1 problem$" "one problem"
fake_delete /_fake/faults

# No credentials at all: exit 8.
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$GWSYNC_BIN" aws-check --endpoint-url "$url" \
    --region us-west-2 --cluster demo >"$T/out" 2>"$T/err"
code=$?
expect_code 8 "no credentials"
expect_out "^credentials: FAILED: no AWS credentials" "says none were found"

# Configuration errors: exit 3.
run aws-check --endpoint-url "$url" --cluster demo
expect_code 3 "no region"
expect_err "no AWS region" "says the region is missing"
run aws-check --endpoint-url "$url" --region us-west-2 --cluster demo --aws-concurrency 0
expect_code 3 "--aws-concurrency 0"
expect_err "aws-concurrency" "names the flag"
run aws-check --endpoint-url "ftp://127.0.0.1/" --region us-west-2 --cluster demo
expect_code 3 "bad endpoint URL"
run aws-check --endpoint-url "$url" --region us-west-2
expect_code 3 "--cluster missing"
expect_err "cluster" "names --cluster"

# An unreachable endpoint (a port just closed): exit 1 with the URL.
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
run aws-check --endpoint-url "http://127.0.0.1:$port" --region us-west-2 --cluster demo -v
expect_code 1 "unreachable endpoint"
expect_out "cannot reach http://127.0.0.1:$port" "names the URL"
no_secret "unreachable, -v"

# --timeout: STS never answers, exit 9 naming the call in progress.
fake_post /_fake/faults '{"service": "sts", "action": "GetCallerIdentity", "kind": "hang"}'
run aws-check --endpoint-url "$url" --region us-west-2 --cluster demo --timeout 1s
expect_code 9 "--timeout"
expect_err "timeout .* passed during sts:GetCallerIdentity" "names the call"
expect_out "^aws-check: 1 problem$" "summary after the timeout"
fake_delete /_fake/faults

# issue 10 M5: a token the server echoes back in an error is scrubbed from
# stdout, also when it is longer than the space kept for AWS's message
# (a session token runs to a kilobyte; cut in two it would escape a scrubber
# that only ran afterwards).
long_token=$("$PY" -c 'print("FwoGZXIvYXdzEJr" + "".join("%02x" % (i % 251) for i in range(420)))')
token_head=$(printf '%s' "$long_token" | cut -c1-40)
fake_post /_fake/faults "{\"service\": \"sts\", \"action\": \"GetCallerIdentity\",
  \"kind\": \"error\", \"status\": 403, \"code\": \"InvalidClientTokenId\",
  \"message\": \"The security token included in the request is invalid: $long_token\"}"
AWS_SESSION_TOKEN="$long_token" run aws-check --endpoint-url "$url" --region us-west-2 \
    --cluster demo -v
expect_code 8 "echoed session token"
expect_out "^identity: FAILED: sts:GetCallerIdentity rejected the credentials: InvalidClientTokenId" \
    "the failure is reported"
grep -qF -- "$token_head" "$T/out" "$T/err" && fail "the echoed session token was printed"
fake_delete /_fake/faults

# The same for a web identity token quoted by STS AssumeRoleWithWebIdentity.
jwt="eyJhbGciOiJSUzI1NiJ9.$(printf '%s' "$long_token" | cut -c1-600).c2lnbmF0dXJlLXZhbHVl"
printf '%s\n' "$jwt" >"$T/web-identity-token"
fake_post /_fake/faults "{\"service\": \"sts\", \"action\": \"AssumeRoleWithWebIdentity\",
  \"kind\": \"error\", \"status\": 400, \"code\": \"InvalidIdentityToken\",
  \"message\": \"Token $jwt is not valid\"}"
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_ROLE_ARN=arn:aws:iam::123456789012:role/x \
    AWS_WEB_IDENTITY_TOKEN_FILE="$T/web-identity-token" "$GWSYNC_BIN" aws-check \
    --endpoint-url "$url" --region us-west-2 --cluster demo -v >"$T/out" 2>"$T/err"
code=$?
expect_code 8 "echoed web identity token"
expect_out "^credentials: FAILED: STS AssumeRoleWithWebIdentity failed: HTTP 400 InvalidIdentityToken" \
    "the failure is reported"
grep -qF -- "eyJhbGciOiJSUzI1NiJ9.FwoG" "$T/out" "$T/err" && fail "the echoed web identity token was printed"
fake_delete /_fake/faults

# --help answers what is checked and the exit codes.
run aws-check --help
expect_code 0 "--help"
expect_out "sts:GetCallerIdentity" "help lists the calls"
expect_out "Exit codes: 0" "help lists the exit codes"
expect_out "GWSYNC_AWS_CONCURRENCY" "help shows the twins"

finish
