"""Credentials: the configured key pair the verifier accepts, plus the
temporary credentials this emulator hands out through STS, the container
credentials endpoint and IMDS (which its own verifier then accepts until
they expire)."""

import datetime
import json
import time

from .errors import AwsError

INVALID_TOKEN = "The security token included in the request is invalid."
EXPIRED_TOKEN = "The security token included in the request is expired"


def iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


class CredentialStore:
    def __init__(self, config, ids):
        self.config = config
        self.ids = ids
        self.issued = {}          # access key -> record
        self.pinned_expired = False

    def issue(self, kind, arn, ttl=None):
        ttl = self.config.credential_ttl if self.config.credential_ttl else (ttl or 3600)
        ak = "ASIA" + self.ids.upper(16)
        rec = {"AccessKeyId": ak, "SecretAccessKey": self.ids.secret(40),
               "SessionToken": "FQoG" + self.ids.secret(120),
               "Expires": time.time() + float(ttl), "Arn": arn, "Kind": kind}
        self.issued[ak] = rec
        return rec

    def expire_all(self):
        for rec in self.issued.values():
            rec["Expires"] = 0
        self.pinned_expired = True

    def identity(self, access_key):
        rec = self.issued.get(access_key)
        acct = self.config.account
        if rec:
            return rec["Arn"], "AROA%s:%s" % (access_key[4:20], rec["Arn"].rsplit("/", 1)[-1])
        return ("arn:aws:iam::%s:user/fakeaws" % acct, "AIDA" + access_key[-16:].upper())

    def secret_for(self, access_key, token, now=None):
        """The secret to verify a signature made with access_key, or raise
        the AWS error a real service would give for this key/token."""
        now = now or time.time()
        rec = self.issued.get(access_key)
        if rec is not None:
            if token != rec["SessionToken"]:
                raise AwsError("InvalidClientTokenId", INVALID_TOKEN, 403)
            if rec["Expires"] <= now:
                raise AwsError("ExpiredToken", EXPIRED_TOKEN, 403)
            return rec["SecretAccessKey"]
        if self.config.access_key and access_key == self.config.access_key:
            pinned = self.config.session_token
            if pinned is not None:
                if token != pinned or self.pinned_expired:
                    raise AwsError("ExpiredToken", EXPIRED_TOKEN, 403)
            return self.config.secret_key
        raise AwsError("InvalidClientTokenId", INVALID_TOKEN, 403)

    def dump(self):
        return [{"AccessKeyId": r["AccessKeyId"], "Kind": r["Kind"], "Arn": r["Arn"],
                 "Expiration": iso(r["Expires"])} for r in self.issued.values()]


def _read_expected(value, path):
    if path:
        try:
            with open(path, "r", encoding="utf-8") as f:
                return f.read().strip()
        except OSError:
            return None
    return value


def container_credentials(emu, headers):
    """EKS Pod Identity / ECS style endpoint: GET with Authorization equal to
    the token file contents.  Returns (status, json bytes)."""
    cfg = emu.config
    want = _read_expected(cfg.container_token, cfg.container_token_file)
    got = (headers.get("authorization") or [""])[0]
    if want is not None and got.strip() != want:
        return 401, json.dumps({"Code": "AccessDenied",
                                "Message": "Invalid authorization token"}).encode()
    arn = "arn:aws:sts::%s:assumed-role/%s/fakeaws-pod" % (cfg.account, cfg.imds_role)
    rec = emu.creds.issue("container", arn)
    return 200, json.dumps({
        "AccessKeyId": rec["AccessKeyId"], "SecretAccessKey": rec["SecretAccessKey"],
        "Token": rec["SessionToken"], "AccountId": cfg.account,
        "Expiration": iso(rec["Expires"])}).encode()


class Imds:
    """IMDSv2: PUT /latest/api/token, then token-authenticated GETs."""

    def __init__(self, emu):
        self.emu = emu
        self.tokens = {}

    def put_token(self, headers):
        ttl = (headers.get("x-aws-ec2-metadata-token-ttl-seconds") or [""])[0]
        if not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
            return 400, b"Bad Request"
        tok = self.emu.ids.secret(56)
        self.tokens[tok] = time.time() + int(ttl)
        return 200, tok.encode()

    def get(self, path, headers):
        tok = (headers.get("x-aws-ec2-metadata-token") or [""])[0]
        if self.tokens.get(tok, 0) <= time.time():
            return 401, b"Unauthorized"
        cfg = self.emu.config
        base = "/latest/meta-data/iam/security-credentials/"
        if path in (base, base[:-1]):
            return 200, cfg.imds_role.encode()
        if path == base + cfg.imds_role:
            arn = "arn:aws:sts::%s:assumed-role/%s/i-0fa4e0000000000" % (
                cfg.account, cfg.imds_role)
            rec = self.emu.creds.issue("imds", arn)
            return 200, json.dumps({
                "Code": "Success", "LastUpdated": iso(time.time()),
                "Type": "AWS-HMAC", "AccessKeyId": rec["AccessKeyId"],
                "SecretAccessKey": rec["SecretAccessKey"],
                "Token": rec["SessionToken"],
                "Expiration": iso(rec["Expires"])}).encode()
        if path == "/latest/meta-data/placement/region":
            return 200, cfg.region.encode()
        if path == "/latest/meta-data/placement/availability-zone":
            return 200, (cfg.region + "a").encode()
        return 404, b"Not Found"
