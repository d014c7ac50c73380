#!/usr/bin/env python3
"""Loopback stub of the three HTTP credential sources (standard library only).

usage: cred_stub_server.py --log FILE [--container-token-file PATH]
                           [--expiration ISO] [--secret-prefix P] [--sts-fail CODE]
                           [--imds-v1] [--imds-role NAME]

Binds 127.0.0.1 port 0 and prints "http://127.0.0.1:PORT" on stdout.

  POST /                 STS AssumeRoleWithWebIdentity (unsigned: a request
                         with an Authorization header gets 400)
  GET  /container/creds  container credentials; the Authorization header must
                         equal the current content of --container-token-file
                         (re-read on every request), else 401
  PUT  /latest/api/token IMDSv2 session token; needs a numeric
                         X-aws-ec2-metadata-token-ttl-seconds header, else 400
  GET  /latest/meta-data/iam/security-credentials/[role]
                         IMDS role name and credentials; need the session
                         token header, else 401

Credentials carry a per-source counter (n = 1, 2, ...) so refreshes show:
AccessKeyId ASIA<SRC><n>, secret "<prefix>-<src>-secret-<n>", token
"<prefix>-<src>-token-<n>". Every request is appended to the log as one JSON
line {"method", "path", "headers", "body"} before it is answered.
"""
import argparse
import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOCK = threading.Lock()
COUNTERS = {}
IMDS_TOKEN = "imds-session-token-0123456789abcdef"


def next_n(src):
    with LOCK:
        COUNTERS[src] = COUNTERS.get(src, 0) + 1
        return COUNTERS[src]


def creds(src, n):
    return ("ASIA%s%d" % (src.upper(), n),
            "%s-%s-secret-%d" % (ARGS.secret_prefix, src, n),
            "%s-%s-token-%d" % (ARGS.secret_prefix, src, n))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, ctype="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "req-%d" % next_n("request"))
        self.end_headers()
        self.wfile.write(data)

    def record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        rec = {"method": self.command, "path": self.path,
               "headers": {k: v for k, v in self.headers.items()}, "body": body}
        with LOCK:
            with open(ARGS.log, "a") as f:
                f.write(json.dumps(rec) + "\n")
        return body

    def do_POST(self):
        body = self.record()
        form = urllib.parse.parse_qs(body, keep_blank_values=True)
        if self.path != "/" or form.get("Action") != ["AssumeRoleWithWebIdentity"]:
            return self.reply(404, "not found")
        if self.headers.get("Authorization") is not None:
            return self.reply(400, "AssumeRoleWithWebIdentity must not be signed")
        if ARGS.sts_fail:
            return self.reply(
                400 if ARGS.sts_fail != "IDPRejectedClaim" else 403,
                '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
                "<Type>Sender</Type><Code>%s</Code><Message>stub says no</Message></Error>"
                "<RequestId>r-1</RequestId></ErrorResponse>" % ARGS.sts_fail, "text/xml")
        for p in ("RoleArn", "RoleSessionName", "WebIdentityToken"):
            if not form.get(p) or not form[p][0]:
                return self.reply(400, "missing %s" % p)
        akid, secret, token = creds("sts", next_n("sts"))
        self.reply(200, (
            '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
            "<AssumeRoleWithWebIdentityResult>"
            "<SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>"
            "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>"
            "<AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>"
            "<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>"
            "<SessionToken>%s</SessionToken><Expiration>%s</Expiration></Credentials>"
            "</AssumeRoleWithWebIdentityResult>"
            "<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata>"
            "</AssumeRoleWithWebIdentityResponse>") % (akid, secret, token, ARGS.expiration),
            "text/xml")

    def do_PUT(self):
        self.record()
        if self.path != "/latest/api/token":
            return self.reply(404, "not found")
        if ARGS.imds_v1:
            return self.reply(403, "", "text/plain")
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        if ttl is None or not ttl.isdigit():
            return self.reply(400, "missing or bad TTL header")
        self.reply(200, IMDS_TOKEN, "text/plain")

    def do_GET(self):
        self.record()
        if self.path == "/container/creds":
            want = None
            if ARGS.container_token_file:
                with open(ARGS.container_token_file) as f:
                    want = f.read().strip()
            if self.headers.get("Authorization") != want:
                return self.reply(401, '{"message": "bad authorization token"}')
            akid, secret, token = creds("container", next_n("container"))
            return self.reply(200, json.dumps({
                "AccessKeyId": akid, "SecretAccessKey": secret, "Token": token,
                "AccountId": "123456789012", "Expiration": ARGS.expiration}))
        prefix = "/latest/meta-data/iam/security-credentials/"
        if self.path.startswith(prefix):
            if not ARGS.imds_v1 and self.headers.get("X-aws-ec2-metadata-token") != IMDS_TOKEN:
                return self.reply(401, "", "text/plain")
            role = self.path[len(prefix):]
            if role == "":
                return self.reply(200, ARGS.imds_role, "text/plain")
            if role != "gw-role":
                return self.reply(404, "", "text/plain")
            akid, secret, token = creds("imds", next_n("imds"))
            return self.reply(200, json.dumps({
                "Code": "Success", "LastUpdated": "2026-11-26T00:00:00Z", "Type": "AWS-HMAC",
                "AccessKeyId": akid, "SecretAccessKey": secret, "Token": token,
                "Expiration": ARGS.expiration}))
        self.reply(404, "not found")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--container-token-file")
    ap.add_argument("--expiration", default="2026-11-26T06:00:00Z")
    ap.add_argument("--secret-prefix", default="stubsecret")
    ap.add_argument("--sts-fail")
    ap.add_argument("--imds-v1", action="store_true",
                    help="refuse IMDSv2 tokens (403) and serve metadata without one")
    ap.add_argument("--imds-role", default="gw-role",
                    help="the role name IMDS lists (credentials are served for gw-role)")
    ARGS = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("http://127.0.0.1:%d" % server.server_address[1], flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
