"""The JSON control API under /_fake/ (same port as the emulated services).

GET  /_fake/health                 -> {"ok": true, "botocore_validation": bool, ...}
POST /_fake/reset                  {"seed"?: int} -> {"ok": true}
GET  /_fake/state                  -> full state dump (ELBv2 + EC2 per region, creds)
GET  /_fake/calls[?since=SEQ]      -> {"calls": [...]}
DELETE /_fake/calls                -> clears the log and counters
GET  /_fake/counters               -> {"reads", "writes", "auth", "errors", "total", "by_action"}
GET/POST/DELETE /_fake/faults      POST {"rules": [rule, ...]} or one rule -> {"rules": [...]}
GET/POST /_fake/latency            {"ms": int} global delay before every AWS call
GET/POST /_fake/quotas             {"name": value, ...} (POST merges) -> all quotas
GET/POST /_fake/config             {"nlb_weights", "credential_ttl", "max_skew",
                                    "target_health", "lb_provisioning_seconds",
                                    "web_identity_token", "container_token"}
POST/GET/DELETE /_fake/crash       {"after_mutations": k, "drop_response": bool,
                                    "mode": "hang"|"reset"}; DELETE resumes
POST /_fake/expire-credentials     every issued credential and a pinned session
                                   token now fails with ExpiredToken
GET/POST/DELETE /_fake/snapshots   POST {"enabled": bool} starts (empty) or stops
                                   recording every listener's rules after each
                                   successful mutating ELBv2 call; DELETE stops and
                                   discards -> {"enabled", "snapshots": [...]}
GET/POST/DELETE /_fake/certificates  ACM certificates of a region (?region=, or
                                   "Region" in the body; default --region):
                                   POST {"DomainName", "SubjectAlternativeNames"?,
                                   "Status"?, "KeyAlgorithm"?, "Type"?} -> the
                                   certificate; DELETE {"CertificateArn"?} (none: all)
"""

import json
import urllib.parse

CONFIG_KEYS = {
    "nlb_weights": str, "credential_ttl": float, "max_skew": float,
    "target_health": str, "lb_provisioning_seconds": float,
    "web_identity_token": str, "container_token": str,
}


def handle(emu, method, path, query, body):
    """Return (status, dict)."""
    try:
        data = json.loads(body.decode() or "{}") if body else {}
    except ValueError:
        return 400, {"error": "body is not JSON"}
    route = path[len("/_fake/"):].strip("/")
    q = dict(urllib.parse.parse_qsl(query))
    try:
        return _route(emu, method, route, q, data)
    except (ValueError, TypeError, KeyError) as e:
        return 400, {"error": str(e)}


def _route(emu, method, route, q, data):
    if route == "health":
        if emu.validator_on:
            emu.validator.ready.wait(60)
        on = emu.validator_on and bool(emu.validator.models)
        return 200, {"ok": True, "botocore_validation": on,
                     "botocore_version": emu.validator.version if on else None,
                     "sigv4": emu.config.sigv4, "url": emu.url}
    if route == "reset" and method == "POST":
        emu.reset(seed=data.get("seed", emu.config.seed))
        return 200, {"ok": True}
    if route == "state" and method == "GET":
        return 200, emu.dump()
    if route == "calls":
        if method == "DELETE":
            emu.clear_calls()
            return 200, {"ok": True}
        since = int(q.get("since", 0))
        with emu.log_lock:
            calls = [c for c in emu.calls if c["seq"] > since]
        return 200, {"calls": calls}
    if route == "counters":
        with emu.log_lock:
            return 200, dict(emu.counters, by_action=dict(emu.by_action))
    if route == "faults":
        if method == "DELETE":
            emu.clear_faults()
        elif method == "POST":
            rules = data.get("rules", [data] if data else [])
            for r in rules:
                emu.faults.add(r)
        return 200, {"rules": emu.faults.list()}
    if route == "latency":
        if method == "POST":
            emu.latency_ms = int(data.get("ms", 0))
        return 200, {"ms": emu.latency_ms}
    if route == "quotas":
        if method == "POST":
            for k, v in data.items():
                if k not in emu.config.quotas:
                    raise ValueError("unknown quota %r" % k)
                emu.config.quotas[k] = int(v)
        return 200, dict(emu.config.quotas)
    if route == "config":
        if method == "POST":
            for k, v in data.items():
                if k not in CONFIG_KEYS:
                    raise ValueError("unknown config key %r" % k)
                if k == "nlb_weights" and v not in ("allow", "reject"):
                    raise ValueError("nlb_weights must be allow or reject")
                setattr(emu.config, k, None if v is None else CONFIG_KEYS[k](v))
        return 200, {k: getattr(emu.config, k) for k in CONFIG_KEYS}
    if route == "crash":
        if method == "POST":
            mode = data.get("mode", "hang")
            if mode not in ("hang", "reset"):
                raise ValueError("mode must be hang or reset")
            emu.arm_crash(int(data["after_mutations"]),
                          bool(data.get("drop_response", False)), mode)
        elif method == "DELETE":
            emu.release_crash()
        return 200, emu.crash_state()
    if route == "snapshots":
        # After every successful mutating ELBv2 call: the rules of every listener.
        with emu.lock:
            if method == "POST":
                emu.snapshots = [] if data.get("enabled", True) else None
            elif method == "DELETE":
                emu.snapshots = None
            return 200, {"enabled": emu.snapshots is not None,
                         "snapshots": list(emu.snapshots or [])}
    if route == "certificates":
        region = data.pop("Region", None) or q.get("region") or emu.config.region
        with emu.lock:
            backend = emu.region(region)["acm"]
            if method == "POST":
                return 200, dict(backend.add(data))
            if method == "DELETE":
                backend.remove(data.get("CertificateArn"))
            return 200, backend.dump()
    if route == "expire-credentials" and method == "POST":
        with emu.lock:
            emu.creds.expire_all()
        return 200, {"ok": True}
    return 404, {"error": "no such control endpoint: %s %s" % (method, route)}
