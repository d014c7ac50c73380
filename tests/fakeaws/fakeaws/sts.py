"""STS (Version 2011-06-15): AssumeRoleWithWebIdentity (unsigned),
AssumeRole and GetCallerIdentity (signed)."""

import base64
import json
import re

from .creds import iso, _read_expected
from .errors import AwsError, validation, constraint_message
from .params import as_int

NS = "https://sts.amazonaws.com/doc/2011-06-15/"
UNSIGNED_ACTIONS = ("AssumeRoleWithWebIdentity", "AssumeRoleWithSAML")


def _jwt_claims(token):
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        pad = "=" * (-len(parts[1]) % 4)
        return json.loads(base64.urlsafe_b64decode(parts[1] + pad))
    except Exception:
        return {}


class StsBackend:
    def __init__(self, emu):
        self.emu = emu

    def AssumeRoleWithWebIdentity(self, p, ctx):
        cfg = self.emu.config
        errors = []
        for name, lo, hi in (("RoleArn", 20, 2048), ("RoleSessionName", 2, 64),
                             ("WebIdentityToken", 4, 20000)):
            v = p.get(name)
            path = name[:1].lower() + name[1:]
            if v is None:
                errors.append("Value null at '%s' failed to satisfy constraint: "
                              "Member must not be null" % path)
            elif not lo <= len(v) <= hi:
                errors.append("Value at '%s' failed to satisfy constraint: "
                              "Member must have length %s"
                              % (path, "greater than or equal to %d" % lo
                                 if len(v) < lo else "less than or equal to %d" % hi))
        if errors:
            raise validation(constraint_message(errors))
        session = p["RoleSessionName"]
        if not re.match(r"^[\w+=,.@-]*$", session):
            raise validation(constraint_message([
                "Value '%s' at 'roleSessionName' failed to satisfy constraint: "
                "Member must satisfy regular expression pattern: [\\w+=,.@-]*"
                % session]))
        m = re.match(r"^arn:aws[\w-]*:iam::(\d{12}):role/(?:.*/)?([\w+=,.@-]+)$",
                     p["RoleArn"])
        if not m:
            raise validation("%s is invalid" % p["RoleArn"])
        dur = as_int(p.get("DurationSeconds"), "DurationSeconds", 3600)
        if not 900 <= dur <= 43200:
            raise validation(constraint_message([
                "Value '%d' at 'durationSeconds' failed to satisfy constraint: "
                "Member must have value %s" % (dur, "greater than or equal to 900"
                                               if dur < 900 else
                                               "less than or equal to 43200")]))
        token = p["WebIdentityToken"]
        want = _read_expected(cfg.web_identity_token, cfg.web_identity_token_file)
        if want is not None and token.strip() != want:
            raise AwsError("InvalidIdentityToken",
                           "The web identity token that was passed could not be "
                           "validated by AWS. Get a new identity token from the "
                           "identity provider and then retry the request.")
        claims = _jwt_claims(token)
        out = {
            "SubjectFromWebIdentityToken": claims.get("sub",
                                                      "system:serviceaccount:default:default"),
            "Audience": (claims.get("aud") if isinstance(claims.get("aud"), str)
                         else "sts.amazonaws.com"),
        }
        out.update(self._assume("web-identity", m.group(1), m.group(2), session, dur))
        out["Provider"] = claims.get("iss", "arn:aws:iam::%s:oidc-provider/"
                                     "oidc.eks.%s.amazonaws.com/id/FAKEAWS"
                                     % (cfg.account, cfg.region))
        return out

    def _assume(self, source, account, role, session, dur):
        """Issue `dur` seconds of credentials for the session `session` of
        `role` in `account`: the AssumedRoleUser and Credentials members
        that both AssumeRole calls answer with."""
        arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (account, role, session)
        rec = self.emu.creds.issue(source, arn, dur)
        return {
            "AssumedRoleUser": {"Arn": arn,
                                "AssumedRoleId": "AROA%s:%s" % (
                                    self.emu.ids.upper(17), session)},
            "Credentials": {"AccessKeyId": rec["AccessKeyId"],
                            "SecretAccessKey": rec["SecretAccessKey"],
                            "SessionToken": rec["SessionToken"],
                            "Expiration": iso(rec["Expires"])},
        }

    def AssumeRole(self, p, ctx):
        """Role chaining (profiles with source_profile / credential_source):
        any signed caller may assume any well-formed role ARN."""
        if not ctx.get("access_key"):
            raise AwsError("MissingAuthenticationToken",
                           "Request is missing Authentication Token", 403)
        arn_in, session = p.get("RoleArn") or "", p.get("RoleSessionName") or ""
        if not re.match(r"^[\w+=,.@-]{2,64}$", session):
            raise validation(constraint_message([
                "Value '%s' at 'roleSessionName' failed to satisfy constraint: "
                "Member must satisfy regular expression pattern: [\\w+=,.@-]*"
                % session]))
        m = re.match(r"^arn:aws[\w-]*:iam::(\d{12}):role/(?:.*/)?([\w+=,.@-]+)$", arn_in)
        if not m:
            raise validation("%s is invalid" % arn_in)
        ext = p.get("ExternalId")
        if ext is not None and not 2 <= len(ext) <= 1224:
            raise validation("ExternalId must be 2 to 1224 characters")
        dur = as_int(p.get("DurationSeconds"), "DurationSeconds", 3600)
        if not 900 <= dur <= 43200:
            raise validation("DurationSeconds must be between 900 and 43200")
        return self._assume("assume-role", m.group(1), m.group(2), session, dur)

    def GetCallerIdentity(self, p, ctx):
        ak = ctx.get("access_key")
        if not ak:
            raise AwsError("MissingAuthenticationToken",
                           "Request is missing Authentication Token", 403)
        arn, uid = self.emu.creds.identity(ak)
        return {"UserId": uid, "Account": self.emu.config.account, "Arn": arn}
