#!/usr/bin/env python3
"""Loopback HTTP stub for the aws unit tests (standard library only).

usage: aws_stub_server.py --script FILE --log FILE

Binds 127.0.0.1 port 0 and prints its base URL ("http://127.0.0.1:PORT")
on stdout. FILE is a JSON list of replies. For each request the first
unused reply whose "action" (if any) equals the request's Action form
field (JSON 1.1 requests: the X-Amz-Target after its last '.') is used; a reply with "repeat": true is never used up, one with
"times": N after N uses. Reply keys:
  status (int, default 200), body (str), body_file (a file under
  tests/fixtures/aws/responses, or absolute), headers ({name: value}),
  delay (seconds before answering), reset (true: close with RST after
  reading the request), stall (seconds to hold the request, then close
  without answering), counter (true: "{n}" in the body becomes the number of
  this use of the reply, 1, 2, ...), items ({"head", "item", "count",
  "tail"}: the body is head + count copies of item + tail).
Every request is appended to the log as one JSON line
{"method", "path", "inflight", "client_port", "headers", "body"} before it is
answered;
"inflight" counts the requests being served when it arrived (itself included).
"""
import argparse
import json
import os
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
SCRIPT = []
USED = set()
USES = {}
LOG_PATH = None
INFLIGHT = [0]


def pick(action, form):
    with LOCK:
        for i, reply in enumerate(SCRIPT):
            if i in USED:
                continue
            want = reply.get("action")
            if want is not None and want != action:
                continue
            match = reply.get("match", {})
            if any((form.get(k) or [None])[0] != v for k, v in match.items()):
                continue
            USES[i] = USES.get(i, 0) + 1
            if not reply.get("repeat") and USES[i] >= int(reply.get("times", 1)):
                USED.add(i)
            if reply.get("counter"):
                reply = dict(reply, use=USES[i])
            return reply
    return {"status": 599, "body": "stub: no reply scripted for %s" % action}


def echo_tags(form):
    """A DescribeTags reply tagging each requested ARN with its own name."""
    members = []
    n = 1
    while "ResourceArns.member.%d" % n in form:
        arn = form["ResourceArns.member.%d" % n][0]
        members.append("<member><ResourceArn>%s</ResourceArn><Tags><member><Key>arn</Key>"
                       "<Value>%s</Value></member></Tags></member>" % (arn, arn))
        n += 1
    return ("<DescribeTagsResponse><DescribeTagsResult><TagDescriptions>%s</TagDescriptions>"
            "</DescribeTagsResult><ResponseMetadata><RequestId>echo</RequestId>"
            "</ResponseMetadata></DescribeTagsResponse>" % "".join(members))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        query = urllib.parse.urlsplit(self.path).query
        form = urllib.parse.parse_qs(body or query, keep_blank_values=True)
        action = (form.get("Action") or [None])[0]
        target = self.headers.get("X-Amz-Target")
        if target:  # the JSON 1.1 protocol names the action in a header
            action = target.rpartition(".")[2]
            form = {}
        with LOCK:
            INFLIGHT[0] += 1
            inflight = INFLIGHT[0]
        try:
            self.answer(body, form, action, inflight)
        finally:
            with LOCK:
                INFLIGHT[0] -= 1

    def answer(self, body, form, action, inflight):
        record = {"method": self.command, "path": self.path, "inflight": inflight,
                  "client_port": self.client_address[1],
                  "headers": {k: v for k, v in self.headers.items()}, "body": body}
        with LOCK:
            with open(LOG_PATH, "a", encoding="utf-8") as log:
                log.write(json.dumps(record) + "\n")
        reply = pick(action, form)
        if reply.get("delay"):
            time.sleep(float(reply["delay"]))
        if reply.get("reset"):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if reply.get("stall"):
            time.sleep(float(reply["stall"]))
            self.close_connection = True
            return
        text = reply.get("body", "")
        if reply.get("items"):
            it = reply["items"]
            text = it.get("head", "") + it["item"] * int(it["count"]) + it.get("tail", "")
        if reply.get("counter"):
            text = text.replace("{n}", str(reply["use"]))
        payload = text.encode("utf-8")
        if reply.get("echo_tags"):
            payload = echo_tags(form).encode("utf-8")
        if reply.get("body_file"):
            path = reply["body_file"]
            if not os.path.isabs(path):
                path = os.path.join(os.environ.get("GWSYNC_SOURCE_DIR", "."),
                                    "tests", "fixtures", "aws", "responses", path)
            with open(path, "rb") as f:
                payload = f.read()
        self.send_response(int(reply.get("status", 200)))
        headers = reply.get("headers", {})
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Type" not in headers:
            self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = handle_any

    def finish(self):
        try:
            super().finish()
        except (OSError, ValueError):
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def main():
    global SCRIPT, LOG_PATH
    parser = argparse.ArgumentParser()
    parser.add_argument("--script", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    with open(args.script, encoding="utf-8") as f:
        SCRIPT = json.load(f)
    LOG_PATH = args.log
    open(LOG_PATH, "w").close()
    server = Server(("127.0.0.1", 0), Handler)
    parent = os.getppid()

    def watchdog():
        # A test that failed before stopping us must not leave us running.
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    sys.stdout.write("http://127.0.0.1:%d\n" % server.server_address[1])
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
