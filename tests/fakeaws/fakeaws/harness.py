"""Start and stop fakeaws from Python tests.

    from fakeaws.harness import FakeAWS
    with FakeAWS(seed=1, args=["--nlb-weights", "reject"]) as fa:
        fa.url                      # http://127.0.0.1:PORT
        fa.control("POST", "faults", {"kind": "throttle", "count": 2})
        fa.counters()["writes"]

The server runs as a child process in its own session; stop() (or leaving
the with block) terminates it and waits, so no process is left behind."""

import json
import os
import selectors
import signal
import subprocess
import sys
import time
import urllib.request

SERVER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "server.py")


class StartError(RuntimeError):
    pass


def die_with_parent():
    """preexec_fn: the child gets SIGTERM when this process dies (Linux), so a
    test runner killed hard (e.g. a ctest timeout) leaves no server behind."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class FakeAWS:
    def __init__(self, seed=None, args=(), access_key="AKIDFAKEAWSTEST",
                 secret_key="fakeaws-test-secret", region="us-west-2",
                 timeout=10.0, env=None, python=None):
        self.seed = seed
        self.args = list(args)
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region
        self.timeout = timeout
        self.env = env
        self.python = python or sys.executable
        self.proc = None
        self.url = None
        self.start_seconds = None
        self.stderr_path = None

    # lifecycle ---------------------------------------------------------------

    def start(self):
        cmd = [self.python] + (["-S"] if sys.flags.no_site and self.python == sys.executable
                               else []) + [SERVER, "--port", "0", "--region", self.region]
        if self.seed is not None:
            cmd += ["--seed", str(self.seed)]
        if self.access_key:
            cmd += ["--access-key-id", self.access_key,
                    "--secret-access-key", self.secret_key]
        cmd += ["--exit-with-parent"] + self.args
        env = dict(os.environ if self.env is None else self.env)
        t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env,
                                     start_new_session=True,
                                     preexec_fn=die_with_parent)
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        line = b""
        deadline = t0 + self.timeout
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                self.stop()
                raise StartError("fakeaws did not print its URL within %.0f s"
                                 % self.timeout)
            chunk = os.read(self.proc.stdout.fileno(), 256)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace")
                self.stop()
                raise StartError("fakeaws exited before it was ready: %s" % err)
            line += chunk
        sel.close()
        self.start_seconds = time.monotonic() - t0
        self.url = line.decode().strip()
        # keep draining stderr so the child never blocks on a full pipe
        import threading
        self.stderr_lines = []

        def drain(pipe, sink):
            for raw in iter(pipe.readline, b""):
                sink.append(raw.decode(errors="replace").rstrip())
        threading.Thread(target=drain, args=(self.proc.stderr, self.stderr_lines),
                         daemon=True).start()
        return self

    def stop(self):
        p, self.proc = self.proc, None
        if p is None:
            return
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait(5)
        for f in (p.stdout, p.stderr):
            try:
                f.close()
            except Exception:
                pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # control API -------------------------------------------------------------

    def control(self, method, endpoint, data=None, timeout=10):
        body = None if data is None else json.dumps(data).encode()
        req = urllib.request.Request("%s/_fake/%s" % (self.url, endpoint),
                                     data=body, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read().decode())
        except urllib.error.HTTPError as e:
            raise RuntimeError("control %s %s: %s %s" % (
                method, endpoint, e.code, e.read().decode(errors="replace")))

    def add_certificate(self, domain, region=None, **fields):
        """Seed an ACM certificate (fields: SubjectAlternativeNames, Status,
        KeyAlgorithm, Type); returns it, with its CertificateArn."""
        return self.control("POST", "certificates",
                            dict(fields, DomainName=domain, Region=region or self.region))

    def reset(self, seed=None):
        return self.control("POST", "reset", {} if seed is None else {"seed": seed})

    def state(self):
        return self.control("GET", "state")

    def calls(self, since=0):
        return self.control("GET", "calls?since=%d" % since)["calls"]

    def counters(self):
        return self.control("GET", "counters")

    def add_fault(self, **rule):
        return self.control("POST", "faults", rule)

    def clear_faults(self):
        return self.control("DELETE", "faults")

    def set_config(self, **cfg):
        return self.control("POST", "config", cfg)

    def set_quotas(self, **quotas):
        return self.control("POST", "quotas", {k.replace("_", "-"): v
                                               for k, v in quotas.items()})

    def set_latency(self, ms):
        return self.control("POST", "latency", {"ms": ms})

    def crash_after(self, k, drop_response=False, mode="hang"):
        return self.control("POST", "crash", {"after_mutations": k,
                                              "drop_response": drop_response,
                                              "mode": mode})

    def resume(self):
        return self.control("DELETE", "crash")

    def record_snapshots(self, enabled=True):
        """Record every listener's rules after each mutating ELBv2 call."""
        return self.control("POST", "snapshots", {"enabled": enabled})

    def snapshots(self):
        return self.control("GET", "snapshots")["snapshots"]
