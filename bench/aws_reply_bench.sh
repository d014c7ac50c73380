#!/bin/sh
# Memory of one large AWS reply (issue 10 L10): `gwsync aws-check` against the
# loopback stub (tests/unit/stubs/aws_stub_server.py) whose
# DescribeLoadBalancers answers one page of SIZE megabytes of load balancers.
# Reports gwsync's peak RSS and how the call ended, per size. A page over
# the per-page reply cap (GWS_AWS_PAGE_REPLY_CAP, 16 MiB) is refused; one
# under it is decoded item by item as it streams.
#
#   bench/aws_reply_bench.sh [GWSYNC_BIN] [SIZES]
#
# SIZES: megabytes of reply, space-separated (default "1 8 15 60").
# SHAPE=dense gives each load balancer 100 security groups: many small
# elements, the shape where a whole-document tree costs most.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${GWSYNC_BIN:-build/src/gwsync}}
sizes=${2:-"1 8 15 60"}
python=${PYTHON3:-python3}
[ -x "$bin" ] || { echo "gwsync binary not found: $bin" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gws-reply-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

for mb in $sizes; do
	"$python" - "$here/../tests/unit/stubs/aws_stub_server.py" "$bin" "$tmp" "$mb" <<'PY'
import json, os, subprocess, sys

stub, gwsync, tmp, mb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
groups = "<member>sg-0123456789abcdef0</member>" * (100 if os.environ.get("SHAPE") == "dense" else 1)
item = ("<member><LoadBalancerArn>arn:aws:elasticloadbalancing:us-west-2:123456789012:"
        "loadbalancer/app/k8s-bench-{n}/0123456789abcdef</LoadBalancerArn>"
        "<DNSName>k8s-bench-0123456789.us-west-2.elb.amazonaws.com</DNSName>"
        "<CanonicalHostedZoneId>Z1H1FL5HABSF5</CanonicalHostedZoneId>"
        "<CreatedTime>2026-11-26T00:00:00.000Z</CreatedTime>"
        "<LoadBalancerName>k8s-bench</LoadBalancerName><Scheme>internet-facing</Scheme>"
        "<VpcId>vpc-0123456789abcdef0</VpcId><State><Code>active</Code></State>"
        "<Type>application</Type><AvailabilityZones>"
        "<member><ZoneName>us-west-2a</ZoneName><SubnetId>subnet-0a</SubnetId></member>"
        "<member><ZoneName>us-west-2b</ZoneName><SubnetId>subnet-0b</SubnetId></member>"
        "</AvailabilityZones><SecurityGroups>" + groups +
        "</SecurityGroups><IpAddressType>ipv4</IpAddressType></member>")
count = mb * 1024 * 1024 // len(item)
script = [
    {"action": "GetCallerIdentity", "repeat": True, "body":
     "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account>"
     "<Arn>arn:aws:iam::123456789012:user/bench</Arn><UserId>AIDA</UserId>"
     "</GetCallerIdentityResult></GetCallerIdentityResponse>"},
    {"action": "DescribeLoadBalancers", "repeat": True, "counter": True, "items": {
        "head": "<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancers>",
        "item": item, "count": count,
        "tail": "</LoadBalancers></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>"}},
    {"action": "DescribeTags", "repeat": True, "status": 403, "body":
     "<ErrorResponse><Error><Code>AccessDenied</Code><Message>bench</Message></Error>"
     "</ErrorResponse>"},
    {"action": "DescribeSubnets", "repeat": True, "body":
     "<DescribeSubnetsResponse><subnetSet/></DescribeSubnetsResponse>"},
]
path = os.path.join(tmp, "script.json")
with open(path, "w") as f:
    json.dump(script, f)
server = subprocess.Popen([sys.executable, stub, "--script", path, "--log", os.devnull],
                          stdout=subprocess.PIPE)
url = server.stdout.readline().decode().strip()
env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDBENCH", AWS_SECRET_ACCESS_KEY="bench-secret",
           AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE=os.devnull,
           AWS_SHARED_CREDENTIALS_FILE=os.devnull)
p = subprocess.Popen([gwsync, "aws-check", "--endpoint-url", url, "--region", "us-west-2",
                      "--cluster", "bench"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                     env=env)
out = p.stdout.read().decode("utf-8", "replace")
_, status, ru = os.wait4(p.pid, 0)
server.terminate()
server.wait()
lb = [l for l in out.splitlines() if l.startswith("load balancers:")]
print("%4d MB reply (%7d load balancers): peak RSS %6.0f MB; %s" %
      (mb, count, ru.ru_maxrss / 1024.0, lb[0][:110] if lb else "no load balancer line"))
PY
done
