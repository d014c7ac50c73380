"""No secret leaves gwsync (issue 14, acceptance 5): full runs of the example
estate from a Git repository served over HTTP with a token, against a fakeaws
that accepts only the distinctive credentials made here, with a Kubernetes
API stub that wants a bearer token. The AWS credentials come from a
different source in each run: static keys with a session token, web
identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, STS on fakeaws), and
the container endpoint with its authorization token (inline, then from a
file). Runs: a cold apply, a change, two no-ops, then one run per wrong
credential (each must fail with an error message). Every run logs JSON at
debug level and writes a metrics file and a plan file.

Afterwards none of the secrets, right or wrong, nor the base64 forms that
headers carried (the Git Basic credentials, as the server received them),
appears in: stdout, stderr (the JSON logs), the metrics files, the plan
files, gwsync's cache (its clone, status files, leases), or any object or
commit message of the status repository (`git log --all -p` and every
object through `git cat-file --batch-all-objects`)."""

import base64
import json
import os
import re
import subprocess
import sys
import unittest

import gwse2e
from kubestub import KubeStub

STUB = os.path.join(gwse2e.SRC, "tests", "cli", "git_http_stub.py")

KEY = "AKIDSECRETSWEEP01"
SECRET = "sweepSECRET/aws+Qz8Wv3Lr6Ty0Ui2"
SESSION = "sweepSESSION+token/Kp4Jh7Fg1Ds9"
WEB_IDENTITY = ("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Z3dzeW5jOmd3c3lu"
                "YyIsImF1ZCI6InN0cy5hbWF6b25hd3MuY29tIn0.sweepWEBIDsig-Nb5Mc8")
CONTAINER = "sweepCONTAINER-token-Xe2Rw6Ha3"
GIT_TOKEN = "ghp_sweepGITtoken0Pl9Ok8Ij7"
KUBE_TOKEN = "sweepKUBEbearer-Vt4Gy1Bh5"
WRONG = {"git": "ghp_sweepWRONGgit-Aa1Ss2", "kube": "sweepWRONGkube-Dd3Ff4",
         "web": "sweepWRONGwebid-Gg5Hh6", "container": "sweepWRONGcontainer-Jj7Kk8",
         "secret": "sweepWRONGsecret-Ll9Zz0"}
ROLE = "arn:aws:iam::123456789012:role/gwsync"

_server = None


def server():
    global _server
    if _server is None:
        _server = gwse2e.FakeAWS(
            seed=11, access_key=KEY, secret_key=SECRET, region=gwse2e.REGION,
            args=["--session-token", SESSION, "--web-identity-token", WEB_IDENTITY,
                  "--container-token", CONTAINER]).start()
    return _server


def tearDownModule():
    global _server
    if _server is not None:
        _server.stop()
        _server = None


def git(*args, cwd=None):
    p = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com"] +
                       list(args), cwd=cwd, capture_output=True)
    if p.returncode:
        raise AssertionError("git %s: %s" % (" ".join(args), p.stderr.decode()))
    return p.stdout


def b64(s):
    return base64.b64encode(s.encode()).decode()


class Secrets(gwse2e.Case):
    def start_server(self):
        fa = server()
        fa.reset(seed=11)
        fa.clear_faults()
        return fa

    def setUp(self):
        super().setUp()
        # The repository behind git http-backend, which wants the token.
        src = self.repo("examples")
        self.bare = self.git_url(src)[len("file://"):]
        self.http_log = os.path.join(self.tmp, "http.log")
        stub = subprocess.Popen([sys.executable, STUB, self.http_log, "backend:%s:%s" % (
            os.path.dirname(self.bare), GIT_TOKEN)], stdout=subprocess.PIPE, text=True)
        self.addCleanup(stub.wait)
        self.addCleanup(stub.kill)
        self.url = "http://127.0.0.1:%d/%s" % (int(stub.stdout.readline()),
                                               os.path.basename(self.bare))
        self.kube = KubeStub(self.tmp, token=KUBE_TOKEN).start()
        self.addCleanup(self.kube.stop)
        self.files = {}  # what gwsync wrote: path -> content, read after each run
        self.outputs = []  # (what, text)
        self.n = 0

    # the runs ---------------------------------------------------------------------

    def secret_file(self, name, value):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(value + "\n")
        return path

    def base_env(self):
        env = {k: v for k, v in self.env.items()
               if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
        env.update(GWSYNC_WORKDIR=os.path.join(self.tmp, "cache"),
                   GWSYNC_GIT_ALLOW_HTTP_TOKEN="1", GWSYNC_GIT_TOKEN=GIT_TOKEN,
                   KUBECONFIG=self.kube.kubeconfig())
        return env

    def static_keys(self, secret=SECRET):
        return dict(self.base_env(), AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=secret,
                    AWS_SESSION_TOKEN=SESSION)

    def web_identity(self, token=WEB_IDENTITY):
        return dict(self.base_env(), AWS_ROLE_ARN=ROLE, AWS_ROLE_SESSION_NAME="sweep",
                    AWS_WEB_IDENTITY_TOKEN_FILE=self.secret_file("web-identity", token))

    def container(self, token=CONTAINER, from_file=False):
        env = dict(self.base_env(),
                   AWS_CONTAINER_CREDENTIALS_FULL_URI=self.fa.url + "/v1/credentials")
        if from_file:
            env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = self.secret_file("container", token)
        else:
            env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = token
        return env

    def run_sync(self, env, *extra):
        self.n += 1
        metrics = os.path.join(self.tmp, "metrics-%d.prom" % self.n)
        plan = os.path.join(self.tmp, "plan-%d.json" % self.n)
        code, out, err = self.gwsync(
            "sync", "--repo", self.url, "--cluster", gwse2e.CLUSTER, "--endpoint-url",
            self.fa.url, "--log-format", "json", "--verbose", "--metrics-file", metrics,
            "--plan-file", plan, *extra, env=env)
        self.outputs += [("stdout of run %d" % self.n, out), ("stderr of run %d" % self.n, err)]
        for path in (metrics, plan):
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    self.outputs.append((path, f.read()))
        # Every log line is one JSON object; a failed run's last words (the
        # reason, "gwsync sync: ...") are printed as text.
        for line in err.splitlines():
            if line.strip() and not line.startswith("gwsync sync: "):
                try:
                    json.loads(line)
                except ValueError:
                    self.fail("not a JSON log line: %r" % line)
        return code, out, err

    def push_change(self):
        work = os.path.join(self.tmp, "work")
        git("clone", "-q", self.bare, work)
        path = os.path.join(work, "apps", "ledger", "ledger.yaml")
        with open(path) as f:
            text = f.read()
        self.assertIn("ELBSecurityPolicy-TLS13-1-2-2021-06", text)
        with open(path, "w") as f:
            f.write(text.replace("ELBSecurityPolicy-TLS13-1-2-2021-06",
                                 "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"))
        git("commit", "-qam", "stricter TLS", cwd=work)
        git("push", "-q", "origin", "main", cwd=work)

    # where a secret could end up --------------------------------------------------------

    def places(self):
        """(what, text) of everything gwsync produced or published."""
        places = list(self.outputs)
        places.append(("git log --all -p", git("--git-dir", self.bare, "log", "--all", "-p",
                                               "--format=%H%n%B").decode(errors="replace")))
        places.append(("every object of the status repository", git(
            "--git-dir", self.bare, "cat-file", "--batch-all-objects",
            "--batch").decode(errors="replace")))
        cache = os.path.join(self.tmp, "cache")
        for d, _, names in os.walk(cache):
            for name in names:
                path = os.path.join(d, name)
                if os.path.isfile(path) and not os.path.islink(path):
                    with open(path, "rb") as f:
                        places.append((path, f.read().decode(errors="replace")))
            if os.path.exists(os.path.join(d, "HEAD")) and os.path.isdir(
                    os.path.join(d, "objects")):
                places.append((d + " (objects)", git(
                    "--git-dir", d, "cat-file", "--batch-all-objects",
                    "--batch").decode(errors="replace")))
        return places

    def secrets(self):
        values = [SECRET, SESSION, WEB_IDENTITY, CONTAINER, GIT_TOKEN, KUBE_TOKEN]
        values += list(WRONG.values())
        # The Basic credentials exactly as the Git server received them.
        with open(self.http_log) as f:
            basic = set(re.findall(r"Basic (\S+)", f.read()))
        self.assertTrue(basic, "the Git server saw no credentials")
        forms = {v: v for v in values}
        forms.update({"base64 of " + v: b64(v) for v in values})
        forms.update({"Basic " + b: b for b in basic})
        return forms

    def assertNoSecretAnywhere(self):
        places = self.places()
        self.assertGreater(len(places), 20)
        for name, form in self.secrets().items():
            for what, text in places:
                self.assertNotIn(form, text, "%s leaked into %s" % (name, what))

    # the test ---------------------------------------------------------------------------

    def test_no_secret_anywhere(self):
        # 1. Cold apply: static keys + session token, the Git token from the
        #    environment, the Kubernetes token from the kubeconfig.
        code, out, err = self.run_sync(self.static_keys())
        self.assertEqual(code, 0, err)
        self.assertTrue(self.elbv2()["LoadBalancers"])
        self.assertTrue(self.kube.requests, "the Kubernetes API was not asked")
        # 2. A change, through web identity and the Git token from a file.
        self.push_change()
        env = self.web_identity()
        del env["GWSYNC_GIT_TOKEN"]
        env["GWSYNC_GIT_TOKEN_FILE"] = self.secret_file("git-token", GIT_TOKEN)
        self.fa.control("DELETE", "calls")
        code, out, err = self.run_sync(env)
        self.assertEqual(code, 0, err)
        actions = {c["action"] for c in self.fa.calls()}
        self.assertIn("AssumeRoleWithWebIdentity", actions)
        self.assertIn("ModifyListener", actions)
        # 3, 4. No-ops through the container endpoint (token inline, then a file).
        for from_file in (False, True):
            self.fa.control("DELETE", "calls")
            code, out, err = self.run_sync(self.container(from_file=from_file),
                                           "--detailed-exitcode")
            self.assertEqual(code, 0, err)
            self.assertEqual(self.fa.counters()["writes"], 0)
            self.assertIn("GetCredentials", {c["action"] for c in self.fa.calls()})
        # 5. Wrong credentials, one at a time: each fails with a message.
        env = self.static_keys()
        env["GWSYNC_GIT_TOKEN"] = WRONG["git"]
        code, out, err = self.run_sync(env)
        self.assertNotEqual(code, 0, err)
        self.assertIn("GWSYNC_GIT_TOKEN", err)
        code, out, err = self.run_sync(dict(self.static_keys(),
                                            KUBECONFIG=self.kube.kubeconfig(
                                                token=WRONG["kube"], name="wrong")))
        self.assertEqual(code, 3, err)
        self.assertIn("HTTP 401", err)
        code, out, err = self.run_sync(self.web_identity(WRONG["web"]))
        self.assertEqual(code, 8, err)
        self.assertIn("InvalidIdentityToken", err)
        code, out, err = self.run_sync(self.container(WRONG["container"]))
        self.assertEqual(code, 8, err)
        code, out, err = self.run_sync(self.static_keys(WRONG["secret"]))
        self.assertEqual(code, 8, err)
        self.assertIn("SignatureDoesNotMatch", err)

        self.assertNoSecretAnywhere()


if __name__ == "__main__":
    unittest.main()
