"""A stand-in for a Git smart-HTTP server, on 127.0.0.1 and a free port.

usage: git_http_stub.py LOG MODE
Prints the port on stdout, then logs one line per request to LOG:
"<Host header> <path> <Authorization header or ->". MODE:
  status:N      answer every request with HTTP N (401 asks for Basic auth)
  auth-then:N   401 until a request carries credentials, then HTTP N
  redirect:URL  302 to URL + the request's path
  hang:FILE     hold each request while FILE exists (30 s at most), then 404
  backend:ROOT[:TOKEN]
                serve the repositories below ROOT with `git http-backend`
                (fetch and push); with TOKEN, only requests whose Basic
                credentials carry the password TOKEN (any user), else 401
It stops when killed; the tests that start it kill it on exit.
"""
import base64
import http.server
import os
import subprocess
import sys
import time

log_path, mode = sys.argv[1], sys.argv[2]


def token_ok(auth, token):
    if not auth.startswith("Basic "):
        return False
    try:
        creds = base64.b64decode(auth[6:]).decode()
    except ValueError:
        return False
    return creds.partition(":")[2] == token


class Handler(http.server.BaseHTTPRequestHandler):
    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def backend(self, arg, auth):
        root, _, token = arg.partition(":")
        body = self.read_body() if self.command == "POST" else b""
        if token and not token_ok(auth, token):
            self.answer(401)
            return
        path, _, query = self.path.partition("?")
        env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1",
                   REQUEST_METHOD=self.command, PATH_INFO=path, QUERY_STRING=query,
                   CONTENT_TYPE=self.headers.get("Content-Type", ""),
                   CONTENT_LENGTH=str(len(body)), REMOTE_USER="tester",
                   REMOTE_ADDR="127.0.0.1", GIT_HTTP_MAX_REQUEST_BUFFER="100M")
        out = subprocess.run(["git", "http-backend"], input=body, env=env,
                             stdout=subprocess.PIPE, check=False).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status, headers = 200, []
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self):
        self.do_GET()

    def do_GET(self):
        auth = self.headers.get("Authorization", "-")
        with open(log_path, "a") as log:
            log.write("%s %s %s\n" % (self.headers.get("Host"), self.path, auth))
        kind, _, arg = mode.partition(":")
        if kind == "backend":
            self.backend(arg, auth)
        elif kind == "hang":
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


if mode.startswith("backend:"):
    # git's smart HTTP keeps the connection open between requests.
    Handler.protocol_version = "HTTP/1.1"
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
