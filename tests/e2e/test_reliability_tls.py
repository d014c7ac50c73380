"""TLS to the AWS endpoint (issue 14, acceptance 6): fakeaws behind a local
HTTPS front whose certificate is signed by a CA this test makes with
openssl. Untrusted, gwsync stops with an error that says it is the
certificate and reaches no AWS API; with AWS_CA_BUNDLE naming the test CA
it converges; a bundle of another CA is still refused (verification is
never switched off)."""

import os
import shutil
import socket
import ssl
import subprocess
import threading
import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401


def make_ca(tmp, name):
    """A CA and a server certificate for 127.0.0.1 / localhost signed by it."""
    d = os.path.join(tmp, name)
    os.makedirs(d)
    run = lambda *a: subprocess.run(a, cwd=d, check=True, capture_output=True)  # noqa: E731
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=gwsync test CA %s" % name, "-keyout", "ca.key", "-out", "ca.pem",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", "server.key", "-out", "server.csr")
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                "extendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n")
    run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "server.pem")
    return d


class TLSFront:
    """HTTPS on 127.0.0.1 in front of fakeaws: each TLS connection is relayed
    byte for byte to fakeaws's plain port (so SigV4 sees the same Host)."""

    def __init__(self, certdir, backend_port):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(os.path.join(certdir, "server.pem"),
                                 os.path.join(certdir, "server.key"))
        self.backend = backend_port
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.handshake_failures = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.relay, args=(conn,), daemon=True).start()

    def relay(self, conn):
        try:
            tls = self.ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            self.handshake_failures += 1
            conn.close()
            return
        back = socket.create_connection(("127.0.0.1", self.backend))

        def pump(src, dst):
            try:
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    dst.sendall(data)
            except OSError:
                pass
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        t = threading.Thread(target=pump, args=(back, tls), daemon=True)
        t.start()
        pump(tls, back)
        t.join(5)
        tls.close()
        back.close()

    def close(self):
        self.sock.close()


@unittest.skipUnless(shutil.which("openssl"), "needs the openssl command")
class TLS(gwse2e.Case):
    def setUp(self):
        super().setUp()
        self.ca = make_ca(self.tmp, "trusted")
        port = int(self.fa.url.rsplit(":", 1)[1])
        self.front = TLSFront(self.ca, port)
        self.addCleanup(self.front.close)
        self.https = "https://127.0.0.1:%d" % self.front.port

    def sync_https(self, repo, env):
        argv = ["sync", "--repo", repo, "--cluster", gwse2e.CLUSTER, "--endpoint-url",
                self.https, "--workdir", os.path.join(self.tmp, "cache")]
        code, out, err = self.gwsync(*argv, env=env)
        return gwse2e.Result(code, out, err, None)

    def assertRefused(self, r):
        self.assertNotEqual(r.code, 0, r)
        self.assertIn(r.code, (7, 8), r)
        self.assertRegex(r.err, r"(?i)certificate", r)
        self.assertEqual(self.fa.counters()["total"], 0)
        self.assertNotIn(gwse2e.REGION, self.fa.state()["regions"])
        self.assertGreater(self.front.handshake_failures, 0)

    def test_untrusted_certificate_is_refused(self):
        repo = self.repo("examples")
        r = self.sync_https(repo, self.env)
        print("\nuntrusted: exit %d, %d handshakes refused, %s"
              % (r.code, self.front.handshake_failures, r.err.strip().splitlines()[-1]))
        self.assertRefused(r)

    def test_a_bundle_of_another_ca_is_refused(self):
        repo = self.repo("examples")
        other = make_ca(self.tmp, "other")
        env = dict(self.env, AWS_CA_BUNDLE=os.path.join(other, "ca.pem"))
        self.assertRefused(self.sync_https(repo, env))

    def test_aws_ca_bundle_makes_it_work(self):
        repo = self.repo("examples")
        env = dict(self.env, AWS_CA_BUNDLE=os.path.join(self.ca, "ca.pem"))
        r = self.sync_https(repo, env)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(len(self.elbv2()["LoadBalancers"]), 2)
        self.assertEqual(self.front.handshake_failures, 0)
        # and the next run over TLS is inert
        self.fa.control("DELETE", "calls")
        r = self.sync_https(repo, env)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.fa.counters()["writes"], 0)

    def test_ca_bundle_in_the_shared_config(self):
        # The same setting from the profile (ca_bundle), as the SDKs read it.
        repo = self.repo("examples")
        config = os.path.join(self.tmp, "config")
        with open(config, "w") as f:
            f.write("[default]\nca_bundle = %s\n" % os.path.join(self.ca, "ca.pem"))
        env = dict(self.env, AWS_CONFIG_FILE=config)
        r = self.sync_https(repo, env)
        self.assertEqual(r.code, 0, r)


if __name__ == "__main__":
    unittest.main()
