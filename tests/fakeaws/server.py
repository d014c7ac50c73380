#!/usr/bin/env python3
"""fakeaws: strict local AWS emulator for gwsync's tests (ELBv2, EC2 subset,
STS, container credentials, IMDSv2) on one loopback port.

Prints exactly one line, the URL (http://127.0.0.1:PORT), on stdout when it
is ready to serve.  See tests/fakeaws/README.md."""

import argparse
import json
import os
import signal
import sys
import threading
import time

_T0 = time.monotonic()
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fakeaws.app import Config, make_server  # noqa: E402
from fakeaws.validate import AVAILABLE as BOTOCORE  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--seed", type=int, help="deterministic ids/ARNs/DNS names")
    ap.add_argument("--fixtures", default=os.path.join(HERE, "fixtures", "default.json"),
                    help="EC2 fixtures JSON (default: fixtures/default.json)")
    ap.add_argument("--region", default=os.environ.get("AWS_REGION")
                    or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
                    help="region for unsigned requests")
    ap.add_argument("--account-id", default="123456789012")
    ap.add_argument("--access-key-id", default=os.environ.get("AWS_ACCESS_KEY_ID"))
    ap.add_argument("--secret-access-key", default=os.environ.get("AWS_SECRET_ACCESS_KEY"))
    ap.add_argument("--session-token", default=None,
                    help="pin the session token (default: any token accepted)")
    ap.add_argument("--no-sigv4", action="store_true", help="do not verify signatures")
    ap.add_argument("--no-validate", action="store_true",
                    help="do not validate requests against the botocore model")
    ap.add_argument("--max-skew", type=float, default=300.0,
                    help="seconds of clock skew before RequestTimeTooSkewed")
    ap.add_argument("--nlb-weights", choices=("allow", "reject"), default="allow")
    ap.add_argument("--credential-ttl", type=float,
                    help="lifetime (s) of every credential handed out")
    ap.add_argument("--target-health", default="healthy",
                    choices=("healthy", "initial", "unhealthy"))
    ap.add_argument("--lb-provisioning-seconds", type=float, default=0.0)
    ap.add_argument("--web-identity-token", help="token AssumeRoleWithWebIdentity expects")
    ap.add_argument("--web-identity-token-file", help="file holding that token (re-read)")
    ap.add_argument("--container-token", help="Authorization the container endpoint expects")
    ap.add_argument("--container-token-file", help="file holding that token (re-read)")
    ap.add_argument("--container-path", default="/v1/credentials")
    ap.add_argument("--imds-role", default="fakeaws-role")
    ap.add_argument("--exit-with-parent", action="store_true",
                    help="stop when the process that started it goes away")
    ap.add_argument("--quota", action="append", default=[], metavar="NAME=N",
                    help="override a quota (repeatable)")
    return ap.parse_args(argv)


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    fixtures = {}
    if a.fixtures:
        with open(a.fixtures, encoding="utf-8") as f:
            fixtures = json.load(f)
    cfg = Config(port=a.port, seed=a.seed, fixtures=fixtures, region=a.region,
                 account=a.account_id, access_key=a.access_key_id,
                 secret_key=a.secret_access_key, session_token=a.session_token,
                 sigv4=not a.no_sigv4, validate=not a.no_validate,
                 nlb_weights=a.nlb_weights, max_skew=a.max_skew,
                 credential_ttl=a.credential_ttl, target_health=a.target_health,
                 lb_provisioning_seconds=a.lb_provisioning_seconds,
                 web_identity_token=a.web_identity_token,
                 web_identity_token_file=a.web_identity_token_file,
                 container_token=a.container_token,
                 container_token_file=a.container_token_file,
                 container_path=a.container_path, imds_role=a.imds_role)
    for q in a.quota:
        k, _, v = q.partition("=")
        if k not in cfg.quotas:
            sys.exit("fakeaws: unknown quota %r" % k)
        cfg.quotas[k] = int(v)
    srv, emu = make_server(cfg)
    if emu.validator_on:
        msg = "botocore validation on (models loading in the background)"
    elif BOTOCORE:
        msg = "botocore validation off (--no-validate)"
    else:
        msg = "botocore not installed: request validation off"
    sigmsg = "sigv4 verification off" if not cfg.sigv4 else (
        "sigv4 verification on" if cfg.access_key else
        "sigv4: no credentials configured (AWS_ACCESS_KEY_ID unset), signatures not checked")
    print("fakeaws: %s; %s; nlb-weights=%s; ready in %.0f ms"
          % (msg, sigmsg, cfg.nlb_weights, (time.monotonic() - _T0) * 1000),
          file=sys.stderr, flush=True)

    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    if a.exit_with_parent:
        parent = os.getppid()

        def watch():
            while os.getppid() == parent:
                time.sleep(0.5)
            os.kill(os.getpid(), signal.SIGTERM)
        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    print(emu.url, flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
