"""A stand-in for a Git smart-HTTP server, on 127.0.0.1 and a free port.

usage: git_http_stub.py LOG MODE
Prints the port on stdout, then logs one line per request to LOG:
"<Host header> <path> <Authorization header or ->". MODE:
  status:N      answer every request with HTTP N (401 asks for Basic auth)
  auth-then:N   401 until a request carries credentials, then HTTP N
  redirect:URL  302 to URL + the request's path
  hang:FILE     hold each request while FILE exists (30 s at most), then 404
It stops when killed; the tests that start it kill it on exit.
"""
import http.server
import os
import sys
import time

log_path, mode = sys.argv[1], sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        auth = self.headers.get("Authorization", "-")
        with open(log_path, "a") as log:
            log.write("%s %s %s\n" % (self.headers.get("Host"), self.path, auth))
        kind, _, arg = mode.partition(":")
        if kind == "hang":
            deadline = time.monotonic() + 30
            while os.path.exists(arg) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.answer(404)
        elif kind == "redirect":
            self.answer(302, [("Location", arg + self.path)])
        elif kind == "auth-then" and auth != "-":
            self.answer(int(arg))
        elif kind == "auth-then":
            self.answer(401)
        else:
            self.answer(int(arg))

    def answer(self, status, headers=()):
        self.send_response(status)
        if status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
