"""The TargetGroupBinding (elbv2.k8s.aws/v1beta1) fields, as a structural schema.

Written for gwsync from the published API of the AWS Load Balancer
Controller: what a binding's spec may hold, the types, the enums and the
required fields. validate_crd.py always checks the rendered bindings against
it, and also against the controller's own CRD when scripts/fetch-test-data
could download it (machines without internet access only have this one).
The two must agree on the self-test documents, so a drift between them shows.
"""

INT_OR_STRING = {"anyOf": [{"type": "integer"}, {"type": "string"}]}


def _obj(properties, required=()):
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def _array(items):
    return {"type": "array", "items": items}


_STR = {"type": "string"}

_PEER = _obj({
    "ipBlock": _obj({"cidr": _STR}, ["cidr"]),
    "securityGroup": _obj({"groupID": _STR}, ["groupID"]),
})

_PORT = _obj({
    "protocol": {"type": "string", "enum": ["TCP", "UDP"]},
    "port": INT_OR_STRING,
})

_NODE_SELECTOR = _obj({
    "matchLabels": {"type": "object", "additionalProperties": _STR},
    "matchExpressions": _array(_obj({
        "key": _STR,
        "operator": _STR,
        "values": _array(_STR),
    }, ["key", "operator"])),
})

SPEC = _obj({
    "targetGroupARN": _STR,
    "targetGroupName": _STR,
    "targetType": {"type": "string", "enum": ["instance", "ip"]},
    "serviceRef": _obj({"name": _STR, "port": INT_OR_STRING}, ["name", "port"]),
    "networking": _obj({
        "ingress": _array(_obj({"from": _array(_PEER), "ports": _array(_PORT)},
                               ["from", "ports"])),
    }),
    "nodeSelector": _NODE_SELECTOR,
    "ipAddressType": {"type": "string", "enum": ["ipv4", "ipv6"]},
    "vpcID": _STR,
    "multiClusterTargetGroup": {"type": "boolean"},
    "targetGroupProtocol": {"type": "string", "enum": [
        "HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"]},
    "iamRoleArnToAssume": _STR,
    "assumeRoleExternalId": _STR,
}, ["serviceRef"])

# apiVersion, kind and metadata are checked by the API server itself, not by
# the CRD's schema: they are open objects here as there.
SCHEMA = _obj({
    "apiVersion": _STR,
    "kind": _STR,
    "metadata": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    "spec": SPEC,
    "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
})
