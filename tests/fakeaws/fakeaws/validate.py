"""Request validation against the botocore service model, when botocore is
importable.  Walks the flat wire parameters the way botocore's Query and EC2
serializers would have produced them, and reports unknown parameters,
missing required members, wrong scalar types, enum and range/length
violations.  The runtime never needs botocore: without it this module
reports itself unavailable and requests are only checked by the handlers."""

import importlib.util
import sys
import threading

from .errors import AwsError, constraint_message

# Found without importing it: importing botocore takes longer than the rest of
# the server's start, so the models are loaded in the background after the
# server is listening; requests wait for that (a few hundred ms at most).
AVAILABLE = importlib.util.find_spec("botocore") is not None

SERVICES = {"elasticloadbalancing": "elbv2", "ec2": "ec2", "sts": "sts", "acm": "acm"}


class Validator:
    def __init__(self):
        self.models = {}
        self.version = None
        self.ready = threading.Event()

    def start_background(self):
        threading.Thread(target=self._load, name="botocore-models",
                         daemon=True).start()

    def _load(self):
        try:
            import botocore
            import botocore.session
            session = botocore.session.get_session()
            for service, name in SERVICES.items():
                self.models[service] = session.get_service_model(name)
            self.version = botocore.__version__
        except Exception as e:  # an unusable botocore: run without it
            self.models = {}
            print("fakeaws: botocore models not loaded (%s): request validation "
                  "off" % e, file=sys.stderr, flush=True)
        finally:
            self.ready.set()

    def check(self, service, action, flat):
        """Raise the service's AWS-shaped validation error, or return."""
        self.ready.wait(60)
        model = self.models.get(service)
        if model is None:
            return
        if action not in model.operation_names:
            return  # an older botocore without this operation: handlers check
        shape = model.operation_model(action).input_shape
        tree = {}
        for name, value in flat.items():
            if name in ("Action", "Version") or name.startswith("X-Amz-"):
                continue
            node = tree
            parts = name.split(".")
            for part in parts[:-1]:
                nxt = node.get(part)
                if not isinstance(nxt, dict):
                    nxt = {} if nxt is None else {"": nxt}
                    node[part] = nxt
                node = nxt
            if isinstance(node.get(parts[-1]), dict):
                node[parts[-1]][""] = value
            else:
                node[parts[-1]] = value
        ec2 = service == "ec2"
        unknown, missing, errors = [], [], []
        if shape is not None:
            self._struct(shape, tree, "", "", ec2, unknown, missing, errors)
        elif tree:
            unknown.extend(sorted(tree))
        if unknown:
            if ec2:
                raise AwsError("UnknownParameter",
                               "The parameter %s is not recognized" % unknown[0])
            raise AwsError("ValidationError",
                           "Unknown parameter%s in input: %s, operation %s does "
                           "not accept %s" % (
                               "s" if len(unknown) > 1 else "",
                               ", ".join("'%s'" % u for u in unknown), action,
                               "them" if len(unknown) > 1 else "it"))
        if ec2:
            if missing:
                raise AwsError("MissingParameter",
                               "The request must contain the parameter %s"
                               % missing[0][0])
            if errors:
                raise AwsError("InvalidParameterValue", errors[0][1])
            return
        errs = ["Value null at '%s' failed to satisfy constraint: Member must "
                "not be null" % m[1] for m in missing]
        errs += [e[0] for e in errors]
        if errs:
            raise AwsError("ValidationError", constraint_message(errs))

    # walking ---------------------------------------------------------------

    @staticmethod
    def _wire_name(name, member, ec2):
        ser = member.serialization
        if ec2:
            if ser.get("queryName"):
                return ser["queryName"]
            if ser.get("name"):
                return ser["name"][:1].upper() + ser["name"][1:]
            return name
        return ser.get("name", name)

    def _struct(self, shape, node, wire, path, ec2, unknown, missing, errors):
        if not isinstance(node, dict):
            errors.append(("Value '%s' at '%s' failed to satisfy constraint: "
                           "Member must be a structure" % (node, path or "input"),
                           "Value (%s) for parameter %s is invalid" % (node, wire)))
            return
        seen = set()
        required = set(shape.required_members)
        for name, member in shape.members.items():
            w = self._wire_name(name, member, ec2)
            seen.add(w)
            child = node.get(w)
            p = (path + "." if path else "") + name[:1].lower() + name[1:]
            cw = (wire + "." if wire else "") + w
            if child is None:
                if name in required:
                    missing.append((cw, p))
                continue
            self._value(member, child, cw, p, ec2, unknown, missing, errors)
        for k in node:
            if k not in seen and k != "":
                unknown.append((wire + "." if wire else "") + k)
        if "" in node and node[""] != "":
            errors.append(("Value '%s' at '%s' failed to satisfy constraint: "
                           "Member must be a structure" % (node[""], path),
                           "Value (%s) for parameter %s is invalid" % (node[""], wire)))

    def _value(self, shape, node, wire, path, ec2, unknown, missing, errors):
        t = shape.type_name
        if t == "structure":
            self._struct(shape, node, wire, path, ec2, unknown, missing, errors)
        elif t == "list":
            self._list(shape, node, wire, path, ec2, unknown, missing, errors)
        elif t == "map":
            return  # no map inputs in the operations we emulate
        else:
            if isinstance(node, dict):
                extra = [k for k in node if k != ""]
                unknown.extend("%s.%s" % (wire, k) for k in extra)
                node = node.get("", "")
            self._scalar(shape, node, wire, path, errors)

    def _list(self, shape, node, wire, path, ec2, unknown, missing, errors):
        if node == "":
            items = []
        elif not isinstance(node, dict):
            errors.append(("Value '%s' at '%s' failed to satisfy constraint: "
                           "Member must be a list" % (node, path),
                           "Value (%s) for parameter %s is invalid" % (node, wire)))
            return
        else:
            container = node
            prefix = wire
            if not ec2 and not shape.serialization.get("flattened"):
                mname = shape.member.serialization.get("name", "member")
                for k in node:
                    if k not in (mname, ""):
                        unknown.append("%s.%s" % (wire, k))
                container = node.get(mname, {})
                prefix = "%s.%s" % (wire, mname)
                if not isinstance(container, dict):
                    errors.append(("Value '%s' at '%s' failed to satisfy "
                                   "constraint: Member must be a list"
                                   % (container, path), "invalid list %s" % wire))
                    return
            items = []
            for k in container:
                if k == "":
                    continue
                if not k.isdigit() or int(k) < 1:
                    unknown.append("%s.%s" % (prefix, k))
                    continue
                items.append((int(k), container[k]))
            items.sort(key=lambda kv: kv[0])
            for idx, child in items:
                self._value(shape.member, child, "%s.%d" % (prefix, idx),
                            "%s.%d.member" % (path, idx), ec2, unknown, missing,
                            errors)
        meta = shape.metadata
        n = len(items)
        if "min" in meta and n < meta["min"] and n > 0:
            errors.append(("Value '[...]' at '%s' failed to satisfy constraint: "
                           "Member must have length greater than or equal to %d"
                           % (path, meta["min"]),
                           "The parameter %s must have at least %d items"
                           % (wire, meta["min"])))
        if "max" in meta and n > meta["max"]:
            errors.append(("Value '[...]' at '%s' failed to satisfy constraint: "
                           "Member must have length less than or equal to %d"
                           % (path, meta["max"]),
                           "The parameter %s must have at most %d items"
                           % (wire, meta["max"])))

    @staticmethod
    def _scalar(shape, value, wire, path, errors):
        t = shape.type_name
        meta = shape.metadata

        def bad(constraint, ec2msg=None):
            errors.append(("Value '%s' at '%s' failed to satisfy constraint: %s"
                           % (value, path, constraint),
                           ec2msg or "Value (%s) for parameter %s is invalid. %s"
                           % (value, wire, constraint)))

        if t in ("integer", "long"):
            try:
                n = int(value)
            except ValueError:
                bad("Member must be a number")
                return
            if "min" in meta and n < meta["min"]:
                bad("Member must have value greater than or equal to %d" % meta["min"])
            if "max" in meta and n > meta["max"]:
                bad("Member must have value less than or equal to %d" % meta["max"])
        elif t in ("float", "double"):
            try:
                float(value)
            except ValueError:
                bad("Member must be a number")
        elif t == "boolean":
            if value.lower() not in ("true", "false"):
                bad("Member must be a boolean ('true' or 'false')")
        elif t == "string":
            enum = getattr(shape, "enum", None)
            if enum and value not in enum:
                bad("Member must satisfy enum value set: [%s]" % ", ".join(enum))
            if "min" in meta and len(value) < meta["min"]:
                bad("Member must have length greater than or equal to %d" % meta["min"])
            if "max" in meta and len(value) > meta["max"]:
                bad("Member must have length less than or equal to %d" % meta["max"])

    # the JSON 1.1 protocol -------------------------------------------------

    def check_json(self, service, action, params):
        """A JSON request body (a dict) against the operation's input shape:
        wrong JSON types and unknown members give SerializationException,
        missing required members and constraint violations
        ValidationException, in AWS's "N validation errors detected" form."""
        self.ready.wait(60)
        model = self.models.get(service)
        if model is None or action not in model.operation_names:
            return
        shape = model.operation_model(action).input_shape
        errors, wrong = [], []
        self._json(shape, params, "", errors, wrong)
        if wrong:
            raise AwsError("SerializationException", wrong[0])
        if errors:
            raise AwsError("ValidationException", constraint_message(errors))

    def _json(self, shape, value, path, errors, wrong):
        t = shape.type_name
        where = path or "input"
        if t == "structure":
            if not isinstance(value, dict):
                wrong.append("Expected an object at '%s'" % where)
                return
            for k in value:
                if k not in shape.members:
                    wrong.append("Unknown member '%s' at '%s'" % (k, where))
            for name, member in shape.members.items():
                p = (path + "." if path else "") + name[:1].lower() + name[1:]
                if name not in value or value[name] is None:
                    if name in shape.required_members:
                        errors.append("Value null at '%s' failed to satisfy constraint: "
                                      "Member must not be null" % p)
                    continue
                self._json(member, value[name], p, errors, wrong)
            return
        if t == "list":
            if not isinstance(value, list):
                wrong.append("Expected a list at '%s'" % where)
                return
            for i, item in enumerate(value):
                self._json(shape.member, item, "%s.%d.member" % (path, i + 1), errors, wrong)
            self._bounds(shape, len(value), value, path, "length", errors)
            return
        if t == "map":
            if not isinstance(value, dict):
                wrong.append("Expected an object at '%s'" % where)
            return
        if t in ("integer", "long"):
            if not isinstance(value, int) or isinstance(value, bool):
                wrong.append("Expected a number at '%s'" % where)
                return
            self._bounds(shape, value, value, path, "value", errors)
        elif t == "boolean":
            if not isinstance(value, bool):
                wrong.append("Expected a boolean at '%s'" % where)
        elif t == "string":
            if not isinstance(value, str):
                wrong.append("Expected a string at '%s'" % where)
                return
            enum = getattr(shape, "enum", None)
            if enum and value not in enum:
                errors.append("Value '%s' at '%s' failed to satisfy constraint: Member "
                              "must satisfy enum value set: [%s]"
                              % (value, path, ", ".join(enum)))
            self._bounds(shape, len(value), value, path, "length", errors)

    @staticmethod
    def _bounds(shape, n, value, path, what, errors):
        meta = shape.metadata
        if "min" in meta and n < meta["min"]:
            errors.append("Value '%s' at '%s' failed to satisfy constraint: Member must "
                          "have %s greater than or equal to %d" % (value, path, what,
                                                                   meta["min"]))
        if "max" in meta and n > meta["max"]:
            errors.append("Value '%s' at '%s' failed to satisfy constraint: Member must "
                          "have %s less than or equal to %d" % (value, path, what,
                                                                meta["max"]))
