"""jobs/iam-policy.json grants exactly the AWS actions gwsync's client can
send: none missing (a run would fail with AccessDenied, exit 8), none extra
(least privilege), and every write only on resources carrying gwsync's
ownership tag.

The actions are read from the client's source, src/aws/*.c: each
gws_aws__op_new(SERVICE, ACTION, IS_WRITE, ...) or gws_aws__op_list(SERVICE,
ACTION, ...) call (directly or through a list macro), where ACTION is a
string literal, the `action` parameter of a helper (then every call of the
helper names one), a chunked_call's `action` field (then every chunked_call
initializer names one) or a column of a table of action names. Any other
form fails the test, so a new way of naming an action cannot slip past it.
"""
import json
import os
import re
import unittest

import common

AWS_SRC = "src/aws"
# Calls made while obtaining credentials, with the caller's other
# credentials (AssumeRole, through a profile's source) or none at all
# (AssumeRoleWithWebIdentity is unsigned): the permissions belong to the
# source identity and the role's trust policy, never to this policy.
CREDENTIAL_CALLS = {"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"}
OWNERSHIP_TAG = "gwsync.io/managed-by"

STRING = r'"(?:\\.|[^"\\])*"'
TOKEN = re.compile(r'(%s)|(/\*.*?\*/)|(//[^\n]*)' % STRING, re.S)


def strip_comments(text):
    """C source without comments (string literals kept, lines kept)."""
    def repl(m):
        if m.group(1):
            return m.group(1)
        return re.sub(r"[^\n]", " ", m.group(0))
    return TOKEN.sub(repl, text)


def call_args(text, open_paren):
    """The top-level arguments of the call whose '(' is at `open_paren`."""
    depth, args, cur, i = 0, [], "", open_paren
    while i < len(text):
        m = re.compile(STRING).match(text, i)
        if m:
            cur += m.group(0)
            i = m.end()
            continue
        ch = text[i]
        if ch in "([{":
            depth += 1
            if depth == 1:
                i += 1
                continue
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                args.append(cur.strip())
                return args
        elif ch == "," and depth == 1:
            args.append(cur.strip())
            cur = ""
            i += 1
            continue
        cur += ch
        i += 1
    raise ValueError("unbalanced call at offset %d" % open_paren)


def literal(expr):
    m = re.fullmatch(r'"(\w+)"', expr.strip())
    return m.group(1) if m else None


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


class ClientSource:
    def __init__(self):
        self.files = {}
        for name in sorted(os.listdir(common.path(AWS_SRC))):
            if name.endswith((".c", ".h")):
                self.files[name] = strip_comments(common.read(AWS_SRC, name))
        headers = "".join(t for n, t in self.files.items() if n.endswith(".h"))
        headers += strip_comments(common.read("include", "gwsync", "aws.h"))
        self.macros = dict(re.findall(r'#define\s+(\w+)\s+"([^"]*)"', headers))

    def service(self, file, expr):
        s = literal(expr)
        if s:
            return s
        m = re.search(r"#define\s+%s\s+(\S+)" % re.escape(expr), self.files[file])
        value = m.group(1) if m else expr
        return literal(value) or self.macros.get(value)

    @staticmethod
    def enclosing_function(text, pos):
        """(name, [parameter names]) of the function defined around pos."""
        best = None
        for m in re.finditer(r"^[A-Za-z_][\w \*]*?\b(\w+)\(([^;{}]*?)\)\s*\{", text, re.M):
            if m.start() > pos:
                break
            best = m
        if not best:
            return None, []
        params = [re.findall(r"\w+", p)[-1] for p in best.group(2).split(",") if p.strip()]
        return best.group(1), params

    def calls_of(self, text, func, index, where):
        """The literal argument `index` of every call of `func` in text."""
        out = []
        for m in re.finditer(r"\b%s\(" % re.escape(func), text):
            args = call_args(text, m.end() - 1)
            if len(args) <= index or re.match(r"^(const\s+)?\w", args[index]) and \
                    re.search(r"\b(const|char)\b", args[index]):
                continue            # the definition itself
            value = literal(args[index])
            if not value:
                raise AssertionError("%s: %s(...) passes a non-literal action %r"
                                     % (where, func, args[index]))
            out.append(value)
        if not out:
            raise AssertionError("%s: %s is never called with an action" % (where, func))
        return out

    def field_initializers(self, text, type_name, where):
        """First members of `TYPE name = {"Action", ...}` and `.action = "X"`."""
        out = [m.group(1) for m in
               re.finditer(r"\b%s\s+\w+\s*=\s*\{\s*\"(\w+)\"" % re.escape(type_name), text)]
        out += re.findall(r"\.action\s*=\s*\"(\w+)\"", text)
        if not out:
            raise AssertionError("%s: no %s initializer names an action" % (where, type_name))
        return out

    def table_column(self, text, table, column, where):
        m = re.search(r"\b%s\s*\[\s*\]\s*\[\s*\d+\s*\]\s*=\s*\{(.*?)\};" % re.escape(table),
                      text, re.S)
        if not m:
            raise AssertionError("%s: table %s not found" % (where, table))
        rows = re.findall(r"\{([^{}]*)\}", m.group(1))
        return [re.findall(r'"(\w+)"', r)[column] for r in rows]

    def actions(self):
        """{"service:Action": is_write} for every op the client can build:
        gws_aws__op_new(SERVICE, ACTION, IS_WRITE, ...) and the list form
        gws_aws__op_list(SERVICE, ACTION, ...), a read unless its function
        then sets `op->is_write = true` (SetRulePriorities answers a list)."""
        found = {}

        def record(where, key, is_write):
            if found.get(key, is_write) != is_write:
                raise AssertionError("%s: %s is both a read and a write" % (where, key))
            found[key] = is_write

        for name, text in self.files.items():
            if not name.endswith(".c"):
                continue
            for m in re.finditer(r"\bgws_aws__op_(new|list)\(", text):
                where = "%s/%s:%d" % (AWS_SRC, name, line_of(text, m.start()))
                func, params = self.enclosing_function(text, m.start())
                if func in ("gws_aws__op_new", "gws_aws__op_list"):
                    continue                       # the definitions
                args = call_args(text, m.end() - 1)
                svc = self.service(name, args[0])
                if not svc:
                    raise AssertionError("%s: cannot tell the service of %r" % (where, args[0]))
                macro = self.enclosing_macro(text, m.start())
                if m.group(1) == "new":
                    is_write = {"true": True, "false": False}.get(args[2])
                    if is_write is None:
                        raise AssertionError("%s: is_write is not a literal: %r"
                                             % (where, args[2]))
                    for action in self.resolve(text, args[1], func, params, where):
                        record(where, "%s:%s" % (svc, action), is_write)
                elif macro:
                    # A list macro: each use names an action; a use whose
                    # function marks the op a write is one.
                    for use in re.finditer(r"\b%s\(" % re.escape(macro), text):
                        uargs = call_args(text, use.end() - 1)
                        action = literal(uargs[0])
                        if not action:
                            continue               # the #define itself
                        body = self.function_body(text, use.start())
                        record(where, "%s:%s" % (svc, action),
                               bool(re.search(r"op->is_write\s*=\s*true", body)))
                else:
                    for action in self.resolve(text, args[1], func, params, where):
                        record(where, "%s:%s" % (svc, action), False)
        return found

    @staticmethod
    def enclosing_macro(text, pos):
        """The name of the #define whose (continued) body holds pos, or None."""
        start = text.rfind("\n", 0, pos) + 1
        while True:
            line = text[start:text.find("\n", start)]
            m = re.match(r"\s*#define\s+(\w+)\(", line)
            if m:
                return m.group(1)
            if start == 0 or not text[:start - 1].rstrip(" \t").endswith("\\"):
                return None
            start = text.rfind("\n", 0, start - 1) + 1

    @staticmethod
    def function_body(text, pos):
        """The text from pos to the end of the function holding it."""
        end = re.compile(r"^\}", re.M).search(text, pos)
        return text[pos:end.start() if end else len(text)]

    def resolve(self, text, expr, func, params, where):
        if literal(expr):
            return [literal(expr)]
        if expr in params:
            return self.calls_of(text, func, params.index(expr), where)
        m = re.fullmatch(r"(\w+)->action", expr)
        if m:
            decl = re.search(r"\b(\w+)\s*\*\s*%s\b" % m.group(1), text)
            return self.field_initializers(text, decl.group(1), where)
        m = re.fullmatch(r"(\w+)\[[^\]]+\]\[(\d+)\]", expr)
        if m:
            return self.table_column(text, m.group(1), int(m.group(2)), where)
        raise AssertionError("%s: cannot tell which action %r names; teach %s the new form"
                             % (where, expr, os.path.basename(__file__)))

    def credential_calls(self):
        """STS actions the credential providers send outside the call engine."""
        out = set()
        for text in self.files.values():
            out.update("sts:" + a for a in re.findall(r'gws_query_init\([^,]+,\s*"(\w+)"', text))
            out.update("sts:" + a for a in re.findall(r'"Action=(\w+)&', text))
        return out


def policy_grants():
    """{action: [statement, ...]} of jobs/iam-policy.json's Allow statements."""
    policy = json.loads(common.read("jobs", "iam-policy.json"))
    grants = {}
    for st in policy["Statement"]:
        assert st["Effect"] == "Allow", st
        assert "NotAction" not in st and "NotResource" not in st, st
        actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        for a in actions:
            grants.setdefault(a, []).append(st)
    return grants


class IamPolicy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        src = ClientSource()
        cls.client = src.actions()
        cls.credential = src.credential_calls()
        cls.grants = policy_grants()

    def test_client_actions_were_found(self):
        # The extraction itself: a broken pattern must not pass vacuously.
        for a in ("sts:GetCallerIdentity", "ec2:DescribeSubnets", "ec2:CreateTags",
                  "elasticloadbalancing:CreateRule", "elasticloadbalancing:DescribeTags",
                  "elasticloadbalancing:ModifyTargetGroupAttributes",
                  "elasticloadbalancing:AddListenerCertificates"):
            self.assertIn(a, self.client)
        self.assertFalse(self.client["elasticloadbalancing:DescribeRules"])
        self.assertTrue(self.client["elasticloadbalancing:DeleteLoadBalancer"])

    def test_every_action_the_client_sends_is_granted(self):
        missing = sorted(set(self.client) - set(self.grants))
        self.assertEqual(missing, [], "jobs/iam-policy.json lacks actions gwsync calls")

    def test_nothing_the_client_never_sends_is_granted(self):
        extra = sorted(set(self.grants) - set(self.client))
        self.assertEqual(extra, [], "jobs/iam-policy.json grants actions gwsync never calls")
        for a in self.grants:
            self.assertNotIn("*", a, "wildcard action %s" % a)

    def test_credential_calls_stay_out_of_the_policy(self):
        self.assertEqual(self.credential, CREDENTIAL_CALLS,
                         "the credential providers call other STS actions: decide where "
                         "their permission belongs and update CREDENTIAL_CALLS")
        for a in CREDENTIAL_CALLS:
            self.assertNotIn(a, self.grants)

    def test_writes_are_limited_to_what_gwsync_owns(self):
        for action, is_write in sorted(self.client.items()):
            for st in self.grants.get(action, []):
                cond = json.dumps(st.get("Condition", {}))
                if is_write:
                    self.assertIn(OWNERSHIP_TAG, cond,
                                  "%s is granted without the ownership tag condition (%s)"
                                  % (action, st.get("Sid")))
                    self.assertTrue(re.search(r"aws:(Request|Resource)Tag/" + OWNERSHIP_TAG,
                                              cond), st.get("Sid"))
                creates = action.split(":")[1].startswith("Create") and action != "ec2:CreateTags"
                if creates:
                    # What a create makes has no tags yet: the request's
                    # tags (gwsync always sends its own) are what IAM can judge.
                    self.assertIn("aws:RequestTag/" + OWNERSHIP_TAG, cond,
                                  "%s must be conditioned on the tags it sends" % action)


if __name__ == "__main__":
    unittest.main()
