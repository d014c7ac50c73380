"""Query-protocol parameter decoding.

The wire carries flat dotted names (Tags.member.1.Key, Filter.2.Value.1).
tree() turns them into nested data without needing a service model: a node
whose children are all decimal indexes becomes a list ordered by index, and a
node that only holds 'member' (or 'entry' for maps) collapses to that child.
An empty value for a name that is a list on the wire ('SecurityGroups=')
stays '' and the handlers read it as an empty list."""


def _insert(root, parts, value):
    node = root
    for p in parts[:-1]:
        nxt = node.get(p)
        if not isinstance(nxt, dict):
            nxt = {}
            node[p] = nxt
        node = nxt
    last = parts[-1]
    if isinstance(node.get(last), dict):
        return  # 'X=' together with 'X.member.1=...': keep the structure
    node[last] = value


def _normalise(node):
    if not isinstance(node, dict):
        return node
    for k in list(node):
        node[k] = _normalise(node[k])
    keys = list(node)
    if keys and all(k.isdigit() for k in keys):
        return [node[k] for k in sorted(keys, key=int)]
    if keys == ["member"] and isinstance(node["member"], list):
        return node["member"]
    if keys == ["entry"] and isinstance(node["entry"], list):
        return {e.get("key"): e.get("value") for e in node["entry"]
                if isinstance(e, dict)}
    return node


def tree(flat):
    root = {}
    for name, value in flat.items():
        if name in ("Action", "Version"):
            continue
        _insert(root, name.split("."), value)
    return _normalise(root)


# helpers the handlers use to read the tree --------------------------------

def as_list(v):
    if v is None or v == "":
        return []
    if isinstance(v, list):
        return v
    if isinstance(v, dict):  # odd indexes such as member.0
        return list(v.values())
    return [v]


def as_int(v, name, default=None):
    from .errors import validation
    if v is None or v == "":
        return default
    try:
        return int(v)
    except (TypeError, ValueError):
        raise validation("Value '%s' at '%s' failed to satisfy constraint: "
                         "Member must be a number" % (v, lower_first(name)))


def as_bool(v, default=None):
    if v is None or v == "":
        return default
    return str(v).lower() == "true"


def lower_first(s):
    return s[:1].lower() + s[1:]
