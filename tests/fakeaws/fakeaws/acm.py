"""ACM 2015-12-08 (JSON 1.1 protocol): ListCertificates and DescribeCertificate
over certificates seeded from the fixtures file ("certificates") or the control
API (POST /_fake/certificates). Read-only: the emulator never issues one."""

from .errors import AwsError

STATUSES = ("PENDING_VALIDATION", "ISSUED", "INACTIVE", "EXPIRED",
            "VALIDATION_TIMED_OUT", "REVOKED", "FAILED")
KEY_TYPES = ("RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1",
             "EC_secp384r1", "EC_secp521r1")
TYPES = ("IMPORTED", "AMAZON_ISSUED", "PRIVATE")
# ListCertificates summarizes at most this many subject alternative names
# (HasAdditionalSubjectAlternativeNames then says there are more).
SUMMARY_NAMES = 100
MAX_ITEMS = 1000


def validation(errors):
    n = len(errors)
    return AwsError("ValidationException", "%d validation error%s detected: %s" % (
        n, "" if n == 1 else "s", "; ".join(errors)))


class AcmBackend:
    def __init__(self, region, account, ids, fixtures):
        self.region = region
        self.account = account
        self.ids = ids
        self.certs = {}  # arn -> certificate, in creation order
        for c in (fixtures or {}).get("certificates", []):
            self.add(c)

    def _uuid(self):
        h = self.ids.hex16() + self.ids.hex16()
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])

    def add(self, spec):
        """A certificate from a fixture or the control API:
        {"DomainName", "SubjectAlternativeNames"?, "Status"? (ISSUED),
        "KeyAlgorithm"? (RSA_2048), "Type"? (AMAZON_ISSUED), "CertificateArn"?}."""
        domain = spec.get("DomainName")
        if not isinstance(domain, str) or not domain:
            raise ValueError("a certificate needs a DomainName")
        names = list(spec.get("SubjectAlternativeNames") or [domain])
        if domain not in names:
            names.insert(0, domain)
        status = spec.get("Status", "ISSUED")
        key = spec.get("KeyAlgorithm", "RSA_2048")
        ctype = spec.get("Type", "AMAZON_ISSUED")
        for value, allowed, what in ((status, STATUSES, "Status"),
                                     (key, KEY_TYPES, "KeyAlgorithm"),
                                     (ctype, TYPES, "Type")):
            if value not in allowed:
                raise ValueError("%s must be one of %s" % (what, ", ".join(allowed)))
        arn = spec.get("CertificateArn") or "arn:aws:acm:%s:%s:certificate/%s" % (
            self.region, self.account, self._uuid())
        self.certs[arn] = {"CertificateArn": arn, "DomainName": domain,
                           "SubjectAlternativeNames": names, "Status": status,
                           "KeyAlgorithm": key, "Type": ctype,
                           "InUse": bool(spec.get("InUse", False))}
        return self.certs[arn]

    def remove(self, arn=None):
        if arn is None:
            self.certs.clear()
        elif self.certs.pop(arn, None) is None:
            raise KeyError("no certificate %s" % arn)

    # actions -------------------------------------------------------------------

    def ListCertificates(self, p):
        statuses = p.get("CertificateStatuses") or []
        key_types = (p.get("Includes") or {}).get("keyTypes") or ["RSA_2048"]
        max_items = p.get("MaxItems", MAX_ITEMS)
        if not isinstance(max_items, int) or not 1 <= max_items <= MAX_ITEMS:
            raise validation(["Value '%s' at 'maxItems' failed to satisfy constraint: "
                              "Member must have value %s" % (
                                  max_items, "less than or equal to 1000"
                                  if isinstance(max_items, int) and max_items > 1
                                  else "greater than or equal to 1")])
        # ACM's default filter: without keyTypes only RSA_2048 certificates.
        matching = [c for c in self.certs.values()
                    if (not statuses or c["Status"] in statuses)
                    and c["KeyAlgorithm"] in key_types]
        start = 0
        token = p.get("NextToken")
        if token is not None:
            try:
                start = int(token.rsplit("-", 1)[1], 16)
                if not token.startswith("fakeaws-acm-") or start > len(matching):
                    raise ValueError(token)
            except (ValueError, IndexError):
                raise AwsError("InvalidArgsException",
                               "The NextToken is not valid: %s" % token)
        page = matching[start:start + max_items]
        out = {"CertificateSummaryList": [self._summary(c) for c in page]}
        if start + max_items < len(matching):
            out["NextToken"] = "fakeaws-acm-%x" % (start + max_items)
        return out

    def DescribeCertificate(self, p):
        arn = p.get("CertificateArn")
        if arn is None:
            raise validation(["Value null at 'certificateArn' failed to satisfy "
                              "constraint: Member must not be null"])
        if not isinstance(arn, str) or not arn.startswith("arn:aws") or \
                ":certificate/" not in arn:
            raise AwsError("InvalidArnException", "String '%s' is not a valid ARN" % arn)
        c = self.certs.get(arn)
        if c is None:
            raise AwsError("ResourceNotFoundException",
                           "Could not find certificate with arn %s" % arn)
        detail = {k: c[k] for k in ("CertificateArn", "DomainName",
                                    "SubjectAlternativeNames", "Status",
                                    "KeyAlgorithm", "Type")}
        detail["InUseBy"] = []
        return {"Certificate": detail}

    @staticmethod
    def _summary(c):
        names = c["SubjectAlternativeNames"]
        return {"CertificateArn": c["CertificateArn"], "DomainName": c["DomainName"],
                "SubjectAlternativeNameSummaries": names[:SUMMARY_NAMES],
                "HasAdditionalSubjectAlternativeNames": len(names) > SUMMARY_NAMES,
                "Status": c["Status"], "Type": c["Type"],
                "KeyAlgorithm": c["KeyAlgorithm"], "InUse": c["InUse"]}

    def dump(self):
        return {"Certificates": [dict(c) for c in self.certs.values()]}


def is_mutating(action):
    return False
