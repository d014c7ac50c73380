# validate and render: exit codes 0 and 4, the per-Gateway summary, and the
# model flags reaching both commands alike.
. "$(dirname "$0")/lib.sh"
repo="$GWSYNC_SOURCE_DIR/examples/repo"

run validate --repo "$repo"
expect_code 0 "valid example"
expect_out "^gateway shop/shop: application load balancer .* (internet-facing), 2 listeners, 14 rules, 9 target groups, 0 problems" "ALB summary"
expect_out "^gateway ledger/ledger: network load balancer .* (internal), 3 listeners, 0 rules, 3 target groups, 0 problems" "NLB summary"
expect_out "^  listener 514 TCP_UDP" "TCP and UDP on one port merged"
expect_out "^  listener 443 TLS" "NLB TLS listener"
expect_out "^validate: 0 errors, 0 warnings; 45 objects in 12 files, 2 documents of other kinds ignored" "summary line with counts"

# Another ALB controller name: the shop Gateway is no longer gwsync's.
run validate --repo "$repo" --alb-controller-name example.com/other-alb
expect_code 0 "custom controller name"
grep -q "^gateway shop/shop" "$T/out" && fail "shop/shop summarized under another controller name"

run render --repo "$repo" --alb-controller-name example.com/other-alb
expect_code 0 "render with custom controller name"
grep -q '"gateway": "shop/shop"' "$T/out" && fail "shop/shop rendered under another controller name"
expect_out '"gateway": "ledger/ledger"' "NLB still rendered"

run render --repo "$repo" --alb-controller-name same --nlb-controller-name same
expect_code 3 "identical controller names are a usage error"

mkdir -p "$T/bad"
cat >"$T/bad/gw.yaml" <<'YAML'
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: aws-alb
  listeners:
  - {name: http, protocol: HTTP, port: 0}
YAML
run validate --repo "$T/bad"
expect_code 4 "invalid manifest"
expect_out "gw.yaml:7:34: Gateway default/gw: spec.listeners\[0\].port: " "positioned diagnostic"
expect_out "^validate: 1 error, 0 warnings" "error count"

run render --repo "$T/bad"
expect_code 4 "render of an invalid repository"
expect_out '"diagnostics": \[' "document still printed with its diagnostics"

# A model error (an HTTPS listener with no certificate and no hostname to find
# one in ACM) makes validate fail like a manifest error, positioned on the
# listener; render exits 4 too.
run validate --repo "$GWSYNC_SOURCE_DIR/tests/golden/alb-https-certificate-discovery/repo"
expect_code 4 "HTTPS listener without any certificate source"
expect_out "^gateway.yaml:27:5: Gateway web/gw: spec.listeners\[2\]: listener admin: HTTPS:8443 has no certificate" "positioned on the listener"
run render --repo "$GWSYNC_SOURCE_DIR/tests/golden/alb-https-certificate-discovery/repo"
expect_code 4 "render of a listener without any certificate source"

finish
