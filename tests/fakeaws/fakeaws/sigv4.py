"""AWS Signature Version 4: signing (for tests and tools) and verification
(for the server).  Header-based auth and query-string presigning."""

import datetime
import hashlib
import hmac
import re
import urllib.parse

from .errors import AwsError

ALGORITHM = "AWS4-HMAC-SHA256"
_AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),"
    r"\s*Signature=([0-9a-fA-F]+)\s*$")


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret, datestamp, region, service):
    k = _hmac(("AWS4" + secret).encode("utf-8"), datestamp)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


def _uri_encode(s, safe="-_.~"):
    return urllib.parse.quote(s, safe=safe)


def canonical_query(raw_query, drop=()):
    pairs = []
    if raw_query:
        for part in raw_query.split("&"):
            if not part:
                continue
            k, _, v = part.partition("=")
            k = urllib.parse.unquote_plus(k)
            v = urllib.parse.unquote_plus(v)
            if k in drop:
                continue
            pairs.append((_uri_encode(k), _uri_encode(v)))
    pairs.sort()
    return "&".join("%s=%s" % kv for kv in pairs)


def canonical_uri(raw_path):
    # Non-S3 services: each segment encoded twice; the client already sent
    # it encoded once, so encode what we received once more.
    return _uri_encode(raw_path or "/", safe="/-_.~")


def _trim(v):
    return " ".join(v.strip().split())


def canonical_request(method, raw_path, raw_query, headers, signed, body_hash,
                      drop_query=()):
    """headers: dict lowercase name -> list of values."""
    lines = []
    for h in signed:
        vals = headers.get(h, [])
        lines.append("%s:%s\n" % (h, ",".join(_trim(v) for v in vals)))
    return "\n".join([
        method, canonical_uri(raw_path),
        canonical_query(raw_query, drop_query),
        "".join(lines), ";".join(signed), body_hash])


def string_to_sign(amzdate, scope, creq):
    return "\n".join([ALGORITHM, amzdate, scope,
                      hashlib.sha256(creq.encode("utf-8")).hexdigest()])


def sign(method, url, headers, body, access_key, secret, region, service,
         session_token=None, now=None):
    """Return headers (a new dict) with X-Amz-Date, token and Authorization.

    Used by tests that speak raw HTTP; signs every header given plus host."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    amzdate = now.strftime("%Y%m%dT%H%M%SZ")
    u = urllib.parse.urlsplit(url)
    out = dict(headers)
    out["Host"] = u.netloc
    out["X-Amz-Date"] = amzdate
    if session_token:
        out["X-Amz-Security-Token"] = session_token
    lower = {}
    for k, v in out.items():
        lower.setdefault(k.lower(), []).append(v)
    signed = sorted(lower)
    body = body or b""
    creq = canonical_request(method, u.path or "/", u.query, lower, signed,
                             hashlib.sha256(body).hexdigest())
    scope = "%s/%s/%s/aws4_request" % (amzdate[:8], region, service)
    sts = string_to_sign(amzdate, scope, creq)
    sig = hmac.new(signing_key(secret, amzdate[:8], region, service),
                   sts.encode(), hashlib.sha256).hexdigest()
    out["Authorization"] = "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, scope, ";".join(signed), sig)
    return out


class Parsed:
    """What a request claims about its signature."""
    __slots__ = ("access_key", "datestamp", "region", "service", "signed",
                 "signature", "amzdate", "token", "presigned")


def parse(headers, query_params):
    """Extract the SigV4 claims; None when the request is unsigned.

    headers: lowercase -> [values]; query_params: flat dict of the query."""
    auth = (headers.get("authorization") or [None])[0]
    p = Parsed()
    if auth:
        m = _AUTH_RE.match(auth.strip())
        if not m:
            if auth.startswith(ALGORITHM):
                raise AwsError("IncompleteSignature",
                               "Authorization header requires 'Credential', "
                               "'SignedHeaders' and 'Signature' parameters.",
                               403)
            raise AwsError("IncompleteSignature",
                           "Unsupported authorization scheme.", 403)
        cred, signed, sig = m.groups()
        p.presigned = False
        p.amzdate = (headers.get("x-amz-date") or [None])[0]
        p.token = (headers.get("x-amz-security-token") or [None])[0]
    elif query_params.get("X-Amz-Signature"):
        if query_params.get("X-Amz-Algorithm") != ALGORITHM:
            raise AwsError("IncompleteSignature", "Unsupported algorithm.", 403)
        cred = query_params.get("X-Amz-Credential", "")
        signed = query_params.get("X-Amz-SignedHeaders", "")
        sig = query_params["X-Amz-Signature"]
        p.presigned = True
        p.amzdate = query_params.get("X-Amz-Date")
        p.token = query_params.get("X-Amz-Security-Token")
    else:
        return None
    parts = cred.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        raise AwsError("IncompleteSignature",
                       "Credential should be scoped to a valid region: "
                       "'%s'." % cred, 403)
    p.access_key, p.datestamp, p.region, p.service = parts[:4]
    p.signed = signed.lower().split(";")
    p.signature = sig.lower()
    if not p.amzdate:
        raise AwsError("IncompleteSignature",
                       "Authorization header requires existence of either "
                       "a 'X-Amz-Date' or a 'Date' header.", 403)
    return p


SIG_MISMATCH = ("The request signature we calculated does not match the "
                "signature you provided. Check your AWS Secret Access Key and "
                "signing method. Consult the service documentation for details.")


def verify(p, secret, method, raw_path, raw_query, headers, body,
           now, max_skew):
    """Raise AwsError unless the signature p checks out with secret."""
    try:
        t = datetime.datetime.strptime(p.amzdate, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc)
    except ValueError:
        raise AwsError("IncompleteSignature",
                       "Date must be in ISO-8601 'basic format'. Got '%s'."
                       % p.amzdate, 403)
    if abs((now - t).total_seconds()) > max_skew:
        raise AwsError("RequestTimeTooSkewed",
                       "The difference between the request time and the "
                       "current time is too large.", 403)
    if p.datestamp != p.amzdate[:8]:
        raise AwsError("SignatureDoesNotMatch",
                       "Credential should be scoped to a valid date.", 403)
    if "host" not in p.signed:
        raise AwsError("SignatureDoesNotMatch",
                       "'Host' must be a signed header.", 403)
    drop = ("X-Amz-Signature",) if p.presigned else ()
    hashes = [hashlib.sha256(body).hexdigest()]
    if p.presigned:
        hashes.append("UNSIGNED-PAYLOAD")
    key = signing_key(secret, p.datestamp, p.region, p.service)
    scope = "%s/%s/%s/aws4_request" % (p.datestamp, p.region, p.service)
    for body_hash in hashes:
        creq = canonical_request(method, raw_path, raw_query, headers, p.signed,
                                 body_hash, drop)
        sts = string_to_sign(p.amzdate, scope, creq)
        want = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
        if hmac.compare_digest(want, p.signature):
            return
    raise AwsError("SignatureDoesNotMatch", SIG_MISMATCH, 403)
