"""The emulator: state per region, request dispatch, accounting, faults,
crash hook, and the HTTP server around it."""

import datetime
import json
import random
import socket
import struct
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import acm, control, creds, ec2, elbv2, sigv4, sts, xmlout
from .errors import AwsError
from .faults import Faults
from .params import tree
from .quotas import DEFAULTS as QUOTA_DEFAULTS
from .validate import Validator, AVAILABLE as BOTOCORE_AVAILABLE

VERSIONS = {"2015-12-01": "elasticloadbalancing", "2016-11-15": "ec2",
            "2011-06-15": "sts"}
SERVICE_VERSION = {v: k for k, v in VERSIONS.items()}
SECRET_WORDS = ("token", "secret", "password", "authorization", "privatekey",
                "clientsecret")


class Config:
    def __init__(self, **kw):
        self.port = 0
        self.host = "127.0.0.1"
        self.seed = None
        self.fixtures = {}
        self.region = "us-east-1"
        self.account = "123456789012"
        self.access_key = None
        self.secret_key = None
        self.session_token = None
        self.sigv4 = True
        self.validate = True
        self.nlb_weights = "allow"
        self.max_skew = 300.0
        self.credential_ttl = None
        self.target_health = "healthy"
        self.lb_provisioning_seconds = 0.0
        self.web_identity_token = None
        self.web_identity_token_file = None
        self.container_token = None
        self.container_token_file = None
        self.container_path = "/v1/credentials"
        self.imds_role = "fakeaws-role"
        self.quotas = dict(QUOTA_DEFAULTS)
        for k, v in kw.items():
            if not hasattr(self, k):
                raise TypeError("unknown config %r" % k)
            setattr(self, k, v)


class Ids:
    """Deterministic with a seed; every id, ARN suffix, DNS number and
    credential comes from here."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def hex16(self):
        return "%016x" % self.rng.getrandbits(64)

    def hex17(self):
        return "%017x" % self.rng.getrandbits(68)

    def digits(self, n):
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def upper(self, n):
        return "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                       for _ in range(n))

    def secret(self, n):
        return "".join(self.rng.choice(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/")
            for _ in range(n))


def _mask(params):
    out = {}
    for k, v in params.items():
        low = k.lower().replace("-", "").replace("_", "")
        out[k] = "***" if any(w in low for w in SECRET_WORDS) else v
    return out


class Response:
    __slots__ = ("status", "headers", "body", "special", "event")

    def __init__(self, status=200, body=b"", ctype="text/xml", headers=None,
                 special=None, event=None):
        self.status = status
        self.body = body
        self.headers = {"Content-Type": ctype}
        if headers:
            self.headers.update(headers)
        self.special = special  # None | "reset" | "hang"
        self.event = event      # "hang" lasts until this event is set


class Emulator:
    def __init__(self, config):
        self.config = config
        self.lock = threading.RLock()
        self.log_lock = threading.Lock()
        self.validator = Validator() if BOTOCORE_AVAILABLE else None
        self.validator_on = bool(self.validator) and config.validate
        if self.validator_on:
            self.validator.start_background()
        self.faults = Faults()
        self.latency_ms = 0
        self.url = None
        self.crash_released = threading.Event()
        self.unhang = threading.Event()
        self._initial = {k: getattr(config, k) for k in control.CONFIG_KEYS}
        self._initial_quotas = dict(config.quotas)
        self.reset(config.seed)

    # state -----------------------------------------------------------------

    def reset(self, seed=None):
        with self.lock:
            self.config.seed = seed
            for k, v in self._initial.items():
                setattr(self.config, k, v)
            self.config.quotas.clear()
            self.config.quotas.update(self._initial_quotas)
            self.ids = Ids(seed)
            self.regions = {}
            self.creds = creds.CredentialStore(self.config, self.ids)
            self.imds = creds.Imds(self)
            self.sts = sts.StsBackend(self)
            self.clear_faults()
            self.latency_ms = 0
            self.release_crash()
            self.crash = None
            self.snapshots = None
            self.clear_calls()

    def clear_faults(self):
        """Drop every fault rule and free the calls a 'hang' rule holds."""
        self.faults.clear()
        ev, self.unhang = self.unhang, threading.Event()
        ev.set()

    def _special(self, kind, crash=None):
        if crash is not None:
            return Response(special=crash["mode"], event=self.crash_released)
        return Response(special=kind, event=self.unhang)

    def clear_calls(self):
        with self.log_lock:
            self.calls = []
            self.seq = 0
            self.counters = {"reads": 0, "writes": 0, "auth": 0, "errors": 0,
                             "total": 0}
            self.by_action = {}

    def region(self, name):
        r = self.regions.get(name)
        if r is None:
            holder = {}

            def sg_in_use(gid):
                return any(gid in (lb["SecurityGroups"] or [])
                           for lb in holder["elb"].lbs.values())
            e = ec2.Ec2Backend(name, self.config.account, self.ids,
                               self.config.fixtures, sg_in_use)
            holder["elb"] = elbv2.Elbv2Backend(name, self.config.account, self.ids,
                                               self.config, e)
            r = {"elasticloadbalancing": holder["elb"], "ec2": e,
                 "acm": acm.AcmBackend(name, self.config.account, self.ids,
                                       self.config.fixtures)}
            self.regions[name] = r
        return r

    def dump(self):
        with self.lock:
            return {"regions": {n: {"elbv2": r["elasticloadbalancing"].dump(),
                                    "ec2": r["ec2"].dump(),
                                    "acm": r["acm"].dump()}
                                for n, r in self.regions.items()},
                    "credentials": self.creds.dump(),
                    "config": {k: getattr(self.config, k) for k in control.CONFIG_KEYS},
                    "quotas": dict(self.config.quotas)}

    # crash hook ------------------------------------------------------------

    def arm_crash(self, k, drop_response, mode):
        with self.lock:
            self.crash_released.clear()
            self.crash = {"after_mutations": k, "drop_response": drop_response,
                          "mode": mode, "mutations": 0, "crashed": False}

    def release_crash(self):
        self.crash = None
        self.crash_released.set()

    def crash_state(self):
        c = self.crash
        if not c:
            return {"armed": False}
        return dict({k: v for k, v in c.items() if not k.startswith("_")}, armed=True)

    # request handling ------------------------------------------------------

    def handle(self, method, raw_path, raw_query, headers, body):
        if raw_path.startswith("/_fake/"):
            status, data = control.handle(self, method, raw_path, raw_query, body)
            return Response(status, json.dumps(data, default=str).encode(),
                            "application/json")
        if raw_path.startswith("/latest/"):
            return self._meta(method, raw_path, headers)
        if method == "GET" and raw_path == self.config.container_path and \
                "Action" not in raw_query:
            return self._logged("container-credentials", "GetCredentials", {},
                                lambda: creds.container_credentials(self, headers),
                                "application/json")
        return self.handle_aws(method, raw_path, raw_query, headers, body)

    def _meta(self, method, path, headers):
        if method == "PUT" and path == "/latest/api/token":
            fn = lambda: self.imds.put_token(headers)
            return self._logged("imds", "PutToken", {}, fn, "text/plain")
        if method == "GET":
            return self._logged("imds", "Get", {"path": path},
                                lambda: self.imds.get(path, headers), "text/plain")
        return Response(405, b"Method Not Allowed", "text/plain")

    def _logged(self, service, action, params, fn, ctype):
        t0 = time.monotonic()
        crash = self.crash
        if crash and crash["crashed"]:
            return self._special(None, crash)
        f = self.faults.match(service, action)
        if f.delay:
            time.sleep(f.delay)
        if f.kind in ("reset", "hang"):
            self._record(service, action, params, None, f.kind, t0, "auth")
            return self._special(f.kind)
        if f.kind:
            status, body = f.status, json.dumps({"Code": f.code,
                                                 "Message": f.message}).encode()
        else:
            with self.lock:
                status, body = fn()
        self._record(service, action, params, status, None, t0, "auth")
        return Response(status, body, ctype)

    def _record(self, service, action, params, status, code, t0, kind):
        with self.log_lock:
            self.seq += 1
            self.calls.append({
                "seq": self.seq, "time": time.time(), "service": service,
                "action": action, "params": _mask(params), "status": status,
                "code": code, "duration_ms": round((time.monotonic() - t0) * 1000, 3),
                "kind": kind})
            if len(self.calls) > 200000:
                del self.calls[:100000]
            self.counters["total"] += 1
            if kind == "write":
                self.counters["writes"] += 1
            elif kind == "read":
                self.counters["reads"] += 1
            else:
                self.counters["auth"] += 1
            if status is None or status >= 400:
                self.counters["errors"] += 1
            key = "%s:%s" % (service, action)
            self.by_action[key] = self.by_action.get(key, 0) + 1

    def _error(self, service, err, rid):
        if service == "ec2":
            body = xmlout.ec2_error(err.code, err.message, rid)
        else:
            ns = xmlout.STS_NS if service == "sts" else xmlout.ELBV2_NS
            body = xmlout.query_error(err.code, err.message, err.sender, rid, ns)
        return Response(err.status, body, "text/xml", {"x-amzn-RequestId": rid})

    def handle_aws(self, method, raw_path, raw_query, headers, body):
        target = (headers.get("x-amz-target") or [None])[0]
        if target:
            return self.handle_json(method, raw_path, raw_query, headers, body, target)
        t0 = time.monotonic()
        rid = str(uuid.uuid4())
        flat = dict(urllib.parse.parse_qsl(raw_query, keep_blank_values=True))
        ctype = (headers.get("content-type") or [""])[0]
        if body and (ctype.startswith("application/x-www-form-urlencoded")
                     or not ctype):
            try:
                flat.update(urllib.parse.parse_qsl(body.decode("utf-8"),
                                                   keep_blank_values=True))
            except UnicodeDecodeError:
                pass
        action = flat.get("Action", "")
        version = flat.get("Version")
        service = VERSIONS.get(version)
        sig = None
        try:
            sig = sigv4.parse(headers, flat)
        except AwsError as e:
            sig_error = e
        else:
            sig_error = None
        if sig is not None and sig.service in SERVICE_VERSION:
            service = sig.service
        if service is None:
            err = AwsError("InvalidAction" if action else "MissingAction",
                           "Could not find operation %s for version %s"
                           % (action, version) if action else
                           "The request must contain the parameter Action", 400)
            resp = self._error("elasticloadbalancing", err, rid)
            self._record("unknown", action or "-", _params(flat), resp.status,
                         err.code, t0, "read")
            return resp
        mutating = (elbv2.is_mutating(action) if service == "elasticloadbalancing"
                    else ec2.is_mutating(action) if service == "ec2" else False)
        kind = "write" if mutating else ("auth" if service == "sts" else "read")
        crash = self.crash
        if crash and crash["crashed"]:
            self._record(service, action, _params(flat), None, "crashed", t0, kind)
            return self._special(None, crash)
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000.0)
        f = self.faults.match(service, action, flat)
        if f.delay:
            time.sleep(f.delay)
        if f.kind in ("reset", "hang"):
            self._record(service, action, _params(flat), None, f.kind, t0, kind)
            return self._special(f.kind)
        try:
            if f.kind and f.kind != "drop":
                raise AwsError(f.code, f.message, f.status, f.status < 500)
            ctx = self._authenticate(service, action, sig, sig_error, method,
                                     raw_path, raw_query, headers, body, version)
            if version != SERVICE_VERSION[service]:
                if not version:
                    raise AwsError("MissingParameter",
                                   "The request must contain the parameter Version")
                raise AwsError("InvalidAction",
                               "Could not find operation %s for version %s "
                               "(fakeaws emulates %s only)"
                               % (action, version, SERVICE_VERSION[service]))
            if not action:
                raise AwsError("MissingAction",
                               "The request must contain the parameter Action")
            if self.validator_on:
                self.validator.check(service, action, flat)
            region = ctx["region"]
            p = tree(flat)
            with self.lock:
                if service == "sts":
                    fn = getattr(self.sts, action, None) if action[:1].isupper() else None
                    if fn is None:
                        raise _invalid_action(service, action, version)
                    result = fn(p, ctx)
                else:
                    backend = self.region(region)[service]
                    fn = getattr(backend, action, None) if action[:1].isupper() else None
                    if fn is None:
                        raise _invalid_action(service, action, version)
                    result = fn(p)
                if mutating and self.crash:
                    self._count_mutation()
                if mutating and self.snapshots is not None and service == "elasticloadbalancing":
                    self._snapshot_rules(action, region)
            if service == "ec2":
                out = xmlout.ec2_response(action, result, rid)
            else:
                out = xmlout.query_response(
                    action, result, rid,
                    xmlout.STS_NS if service == "sts" else xmlout.ELBV2_NS)
            resp = Response(200, out, "text/xml", {"x-amzn-RequestId": rid})
            code = None
        except AwsError as e:
            resp = self._error(service, e, rid)
            code = e.code
        except (TypeError, AttributeError, ValueError, KeyError) as e:
            if self.validator_on:  # the model passed it: this is our bug
                resp, code = self._internal(service, e, rid)
            else:
                # without the botocore model, a list where a scalar belongs (or
                # the reverse) only shows up here: the client's fault
                resp = self._error(service, AwsError(
                    "ValidationError", "Malformed request parameters for %s (%s: %s)"
                    % (action, type(e).__name__, e)), rid)
                code = "ValidationError"
        except Exception as e:  # a bug here must still look like AWS
            resp, code = self._internal(service, e, rid)
        if f.kind == "drop":
            # handled (a write took effect), but the reply never leaves
            self._record(service, action, _params(flat), None, "drop", t0, kind)
            return self._special("reset")
        self._record(service, action, _params(flat), resp.status, code, t0, kind)
        crash = self.crash
        if crash and crash["crashed"] and crash.get("_drop_pending") and resp.status < 300:
            crash["_drop_pending"] = False
            return self._special(None, crash)
        return resp

    def handle_json(self, method, raw_path, raw_query, headers, body, target):
        """The JSON 1.1 protocol (ACM): a POST of one JSON object to a target
        "CertificateManager.<Action>"; errors {"__type", "message"}."""
        t0 = time.monotonic()
        rid = str(uuid.uuid4())
        prefix, _, action = target.partition(".")
        service = JSON_TARGETS.get(prefix)
        try:
            params = json.loads(body.decode("utf-8") or "{}") if body else {}
        except (UnicodeDecodeError, ValueError):
            params = None
        logged = params if isinstance(params, dict) else {}
        if service is None:
            resp = _json_error(AwsError("UnknownOperationException",
                                        "Unknown target %s" % target), rid)
            self._record("unknown", action or "-", logged, resp.status,
                         "UnknownOperationException", t0, "read")
            return resp
        kind = "read"
        crash = self.crash
        if crash and crash["crashed"]:
            self._record(service, action, logged, None, "crashed", t0, kind)
            return self._special(None, crash)
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000.0)
        f = self.faults.match(service, action, logged)
        if f.delay:
            time.sleep(f.delay)
        if f.kind in ("reset", "hang"):
            self._record(service, action, logged, None, f.kind, t0, kind)
            return self._special(f.kind)
        try:
            if f.kind:
                raise AwsError(f.code, f.message, f.status, f.status < 500)
            try:
                sig = sigv4.parse(headers, {})
            except AwsError as e:
                sig, sig_error = None, e
            else:
                sig_error = None
            ctx = self._authenticate(service, action, sig, sig_error, method,
                                     raw_path, raw_query, headers, body, None)
            if method != "POST":
                raise AwsError("UnknownOperationException",
                               "The JSON protocol takes POST requests only")
            if params is None or not isinstance(params, dict):
                raise AwsError("SerializationException",
                               "The request body is not a JSON object")
            if self.validator_on:
                self.validator.check_json(service, action, params)
            with self.lock:
                backend = self.region(ctx["region"])[service]
                fn = getattr(backend, action, None) if action[:1].isupper() else None
                if fn is None:
                    raise AwsError("UnknownOperationException",
                                   "Unknown operation %s" % target)
                result = fn(params)
            resp = Response(200, json.dumps(result).encode(), JSON_CTYPE,
                            {"x-amzn-RequestId": rid})
            code = None
        except AwsError as e:
            resp = _json_error(e, rid)
            code = e.code
        except Exception as e:  # a bug here must still look like AWS
            import traceback
            traceback.print_exc(file=sys.stderr)
            resp = _json_error(AwsError("InternalFailure", "fakeaws internal error: %s"
                                        % e, 500, False), rid)
            code = "InternalFailure"
        self._record(service, action, logged, resp.status, code, t0, kind)
        return resp

    def _internal(self, service, e, rid):
        import traceback
        traceback.print_exc(file=sys.stderr)
        return self._error(service, AwsError(
            "InternalFailure", "fakeaws internal error: %s" % e, 500, False),
            rid), "InternalFailure"

    def _snapshot_rules(self, action, region):
        """Every listener's rules right after a mutating call (under the lock), so a
        test can check each intermediate state of an apply, e.g. that no request
        falls through to a default action while rules move."""
        backend = self.region(region)["elasticloadbalancing"]
        listeners = {}
        for lb in backend.dump()["LoadBalancers"]:
            for lo in lb["Listeners"]:
                listeners[lo["ListenerArn"]] = {
                    "LoadBalancerName": lb["LoadBalancerName"], "Port": lo["Port"],
                    "Rules": [{"Priority": r["Priority"], "Conditions": r["Conditions"],
                               "Actions": r["Actions"], "IsDefault": r["IsDefault"]}
                              for r in lo["Rules"]]}
        self.snapshots.append({"action": action, "listeners": listeners})

    def _count_mutation(self):
        c = self.crash
        c["mutations"] += 1
        if c["mutations"] >= c["after_mutations"]:
            c["crashed"] = True
            c["_drop_pending"] = c["drop_response"]

    def _authenticate(self, service, action, sig, sig_error, method, raw_path,
                      raw_query, headers, body, version):
        ctx = {"region": sig.region if sig else self.config.region,
               "access_key": sig.access_key if sig else None}
        if not self.config.sigv4:
            return ctx
        if sig_error is not None:
            raise sig_error
        if sig is None:
            if service == "sts" and action in sts.UNSIGNED_ACTIONS:
                return ctx
            raise AwsError("MissingAuthenticationToken",
                           "Request is missing Authentication Token", 403)
        if service == "sts" and action in sts.UNSIGNED_ACTIONS:
            return ctx
        if not self.config.access_key and sig.access_key not in self.creds.issued:
            return ctx  # no static key configured (warned at start): any key goes
        secret = self.creds.secret_for(sig.access_key, sig.token)
        now = datetime.datetime.now(datetime.timezone.utc)
        sigv4.verify(sig, secret, method, raw_path, raw_query, headers, body,
                     now, self.config.max_skew)
        return ctx


JSON_TARGETS = {"CertificateManager": "acm"}
JSON_CTYPE = "application/x-amz-json-1.1"


def _json_error(err, rid):
    body = json.dumps({"__type": err.code, "message": err.message}).encode()
    return Response(err.status, body, JSON_CTYPE, {"x-amzn-RequestId": rid})


def _invalid_action(service, action, version):
    if service == "ec2":
        return AwsError("InvalidAction",
                        "The action %s is not valid for this web service." % action)
    return AwsError("InvalidAction", "Could not find operation %s for version %s"
                    % (action, version))


def _params(flat):
    return {k: v for k, v in flat.items()
            if k not in ("Action", "Version") and not k.startswith("X-Amz-")}


# HTTP ------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakeaws"
    sys_version = ""
    emu = None  # set on the subclass

    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_message(self, fmt, *args):  # quiet; the call log is the record
        pass

    def _serve(self):
        path, _, query = self.path.partition("?")
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            body = self._read_chunked()
        else:
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
        headers = {}
        for k, v in self.headers.items():
            headers.setdefault(k.lower(), []).append(v)
        resp = self.emu.handle(self.command, path, query, headers, body)
        if resp.special == "hang":
            resp.event.wait(3600)
            self._reset()
            return
        if resp.special == "reset":
            self._reset()
            return
        self.send_response(resp.status)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)

    def _read_chunked(self):
        parts = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def _reset(self):
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def finish(self):
        try:
            super().finish()
        except (OSError, ValueError):
            pass

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, OSError)):
            return
        super().handle_error(request, client_address)


def make_server(config):
    emu = Emulator(config)
    handler = type("BoundHandler", (Handler,), {"emu": emu})
    srv = Server((config.host, config.port), handler)
    emu.url = "http://%s:%d" % (config.host, srv.server_address[1])
    return srv, emu
