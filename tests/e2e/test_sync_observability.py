"""What an operator sees of a run: JSON log lines (run_id, and gateway,
resource, action, aws_request_id on every AWS change), the metrics file in
Prometheus text format, and the Pushgateway push."""

import http.server
import json
import os
import re
import threading
import unittest

import gwse2e
from gwse2e import tearDownModule  # noqa: F401  (stops the module's fakeaws)

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


def parse_prometheus(text):
    """Text exposition format 0.0.4: {(name, frozenset(labels)): value}. Fails on
    anything a Prometheus scraper would refuse (a sample without HELP/TYPE,
    a malformed label set, a value that is not a float)."""
    samples, typed = {}, {}
    for n, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("gauge", "counter"), line
            assert name not in typed, "TYPE twice: %s" % name
            typed[name] = kind
            continue
        assert not line.startswith("#"), "line %d: %r" % (n, line)
        m = SAMPLE.match(line)
        assert m, "line %d is not a sample: %r" % (n, line)
        name, labels = m.group(1), {}
        assert name in typed, "sample before its TYPE: %r" % line
        if m.group(3):
            body, pos = m.group(3), 0
            while pos < len(body):
                lm = LABEL.match(body, pos)
                assert lm, "line %d: bad labels %r" % (n, body)
                labels[lm.group(1)] = lm.group(2)
                pos = lm.end()
        key = (name, frozenset(labels.items()))
        assert key not in samples, "duplicate sample: %r" % line
        samples[key] = float(m.group(4))
    return samples


def value(samples, name, **labels):
    want = set(labels.items())
    found = [v for (n, ls), v in samples.items() if n == name and want <= set(ls)]
    assert len(found) == 1, (name, labels, found)
    return found[0]


class Observability(gwse2e.Case):
    def metrics_path(self):
        return os.path.join(self.tmp, "gwsync.prom")

    def test_json_logs_carry_the_run_id_and_each_change(self):
        repo = self.repo("examples")
        r = self.sync(repo, "--log-format", "json")
        self.assertEqual(r.code, 0, r)
        lines = [json.loads(line) for line in r.err.splitlines() if line.strip()]
        self.assertTrue(lines)
        run_ids = {line.get("run_id") for line in lines}
        self.assertEqual(len(run_ids), 1, run_ids)
        self.assertRegex(run_ids.pop(), r"^[0-9a-f]{16}$")
        for line in lines:
            self.assertRegex(line["ts"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
            self.assertIn(line["level"], ("error", "warn", "info", "debug", "trace"))
        applied = [line for line in lines if line.get("component") == "apply"]
        writes = self.mutations()
        self.assertEqual(len(applied), len(writes))
        for line in applied:
            self.assertEqual(line["msg"], "done")
            self.assertIn(line["gateway"], ("shop/shop", "ledger/ledger"))
            self.assertTrue(line["resource"].startswith(line["gateway"]), line)
            self.assertTrue(line["aws_request_id"], line)
        self.assertEqual(sorted(line["action"] for line in applied),
                         sorted(c["action"] for c in writes))
        self.assertNotIn(gwse2e.SECRET, r.err)

    def test_metrics_file_parses_and_counts_the_run(self):
        repo = self.repo("examples")
        r = self.sync(repo, "--metrics-file", self.metrics_path())
        self.assertEqual(r.code, 0, r)
        with open(self.metrics_path()) as f:
            text = f.read()
        self.assertNotIn(gwse2e.SECRET, text)
        m = parse_prometheus(text)
        self.assertEqual(value(m, "gwsync_run_exit_code", cluster=gwse2e.CLUSTER), 0)
        self.assertEqual(value(m, "gwsync_resources", kind="LoadBalancer"), 2)
        self.assertEqual(value(m, "gwsync_gateways", programmed="True"), 2)
        success = value(m, "gwsync_last_success_timestamp_seconds")
        self.assertEqual(success, value(m, "gwsync_last_run_timestamp_seconds"))
        created = value(m, "gwsync_changes", action="create", state="done")
        self.assertEqual(created, r.plan["summary"]["create"])
        # The AWS calls by action agree with what fakeaws answered.
        calls = {}
        for c in self.fa.calls():
            if c["service"] == "elasticloadbalancing" and c.get("status") == 200:
                calls[c["action"]] = calls.get(c["action"], 0) + 1
        for action, n in calls.items():
            self.assertEqual(value(m, "gwsync_aws_calls", action=action, result="success"), n,
                             action)

        # A failed run keeps the last success time and says how it ended.
        self.fa.add_fault(service="elbv2", action="DescribeLoadBalancers", kind="error",
                          status=400, code="ValidationError", message="refused by the test")
        r = self.sync(repo, "--metrics-file", self.metrics_path())
        self.assertNotEqual(r.code, 0, r)
        with open(self.metrics_path()) as f:
            m = parse_prometheus(f.read())
        self.assertEqual(value(m, "gwsync_run_exit_code"), r.code)
        self.assertEqual(value(m, "gwsync_last_success_timestamp_seconds"), success)
        self.assertEqual(value(m, "gwsync_aws_calls", action="DescribeLoadBalancers",
                               result="ValidationError"), 1)

    def test_metrics_of_an_invalid_repository(self):
        repo = self.repo("examples")
        self.write(repo, "broken.yaml", "kind: [\n")
        r = self.sync(repo, "--metrics-file", self.metrics_path())
        self.assertEqual(r.code, 4, r)
        with open(self.metrics_path()) as f:
            m = parse_prometheus(f.read())
        self.assertEqual(value(m, "gwsync_run_exit_code"), 4)
        self.assertFalse([k for k in m if k[0] == "gwsync_last_success_timestamp_seconds"])

    def test_push_to_a_pushgateway(self):
        received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self):
                n = int(self.headers["Content-Length"])
                received.append((self.path, self.headers["Content-Type"],
                                 self.rfile.read(n).decode()))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        t = threading.Thread(target=srv.serve_forever, daemon=True)
        t.start()
        self.addCleanup(srv.server_close)
        self.addCleanup(srv.shutdown)
        repo = self.repo("examples")
        url = "http://127.0.0.1:%d/" % srv.server_address[1]
        r = self.sync(repo, "--pushgateway-url", url)
        self.assertEqual(r.code, 0, r)
        (path, ctype, body), = received
        self.assertEqual(path, "/metrics/job/gwsync/cluster/%s" % gwse2e.CLUSTER)
        self.assertTrue(ctype.startswith("text/plain"), ctype)
        self.assertEqual(value(parse_prometheus(body), "gwsync_run_exit_code"), 0)
        # An unreachable gateway is a warning, not a failed run.
        srv.shutdown()
        srv.server_close()
        r = self.sync(repo, "--pushgateway-url", url)
        self.assertEqual(r.code, 0, r)
        self.assertIn("metrics not pushed", r.err)


if __name__ == "__main__":
    unittest.main()
