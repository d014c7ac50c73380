#!/usr/bin/env python3
"""Every golden TargetGroupBinding validates against the binding's schema.

Usage: validate_crd.py CASES_DIR

Two schemas: the project's own description of the TargetGroupBinding API
(tgb_schema.py), always; and the AWS Load Balancer Controller's CRD
(elbv2.k8s.aws_targetgroupbindings.yaml), when scripts/fetch-test-data could
download it into .deps/ (found through GWSYNC_TGB_CRD; naming a file there
that does not exist is an error). Both must judge the self-test documents
alike. The check is structural, as the API server's
validation of a CRD without x-kubernetes-preserve-unknown-fields: types,
required fields, enums, int-or-string, and no field the schema does not
declare. Each case's kustomization.yaml must list exactly its bindings.
"""
import os
import pathlib
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tgb_schema import SCHEMA as OWN_SCHEMA  # noqa: E402


def fail(msg):
    print(f"validate_crd: {msg}", file=sys.stderr)
    sys.exit(1)


def type_ok(value, typ):
    if typ == "object":
        return isinstance(value, dict)
    if typ == "array":
        return isinstance(value, list)
    if typ == "string":
        return isinstance(value, str)
    if typ == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if typ == "boolean":
        return isinstance(value, bool)
    if typ == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return False


def validate(value, schema, path, errors):
    if "anyOf" in schema:
        if not any(not check(value, alt, path) for alt in schema["anyOf"]):
            errors.append(f"{path}: matches none of {schema['anyOf']}")
        return
    typ = schema.get("type")
    if typ and not type_ok(value, typ):
        errors.append(f"{path}: expected {typ}, got {type(value).__name__}")
        return
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if typ == "object":
        props = schema.get("properties")
        for req in schema.get("required", []):
            if req not in value:
                errors.append(f"{path}: required field {req} is missing")
        extra = schema.get("additionalProperties")
        for key, sub in value.items():
            if props is not None and key in props:
                validate(sub, props[key], f"{path}.{key}", errors)
            elif isinstance(extra, dict):
                validate(sub, extra, f"{path}.{key}", errors)
            elif props is not None and not schema.get("x-kubernetes-preserve-unknown-fields"):
                errors.append(f"{path}: unknown field {key}")
    if typ == "array" and "items" in schema:
        for i, item in enumerate(value):
            validate(item, schema["items"], f"{path}[{i}]", errors)


def check(value, schema, path):
    errors = []
    validate(value, schema, path, errors)
    return errors


def schema_v1beta1(crd_path):
    try:
        crd = yaml.safe_load(pathlib.Path(crd_path).read_text())
    except OSError as e:
        fail(f"cannot read the TargetGroupBinding CRD ({e}): GWSYNC_TGB_CRD must name "
             "elbv2.k8s.aws_targetgroupbindings.yaml (scripts/fetch-test-data downloads it)")
    if crd.get("kind") != "CustomResourceDefinition" or \
            crd["spec"]["names"]["kind"] != "TargetGroupBinding":
        fail(f"{crd_path} is not the TargetGroupBinding CRD")
    for version in crd["spec"]["versions"]:
        if version["name"] == "v1beta1":
            return version["schema"]["openAPIV3Schema"]
    fail("the CRD has no v1beta1 version")


def self_test(schema):
    """The validator rejects what the API server would (so a pass means something)."""
    good = {"apiVersion": "elbv2.k8s.aws/v1beta1", "kind": "TargetGroupBinding",
            "metadata": {"name": "x"},
            "spec": {"serviceRef": {"name": "s", "port": 80}, "targetGroupARN": "arn",
                     "targetType": "ip"}}
    if check(good, schema, "self-test"):
        fail(f"self-test: a valid binding was rejected: {check(good, schema, 'x')}")
    bad = [
        {"spec": {"serviceRef": {"name": "s"}}},                          # port required
        {"spec": {"serviceRef": {"name": "s", "port": 80}, "targetType": "pod"}},
        {"spec": {"serviceRef": {"name": "s", "port": [80]}}},
        {"spec": {"serviceRef": {"name": "s", "port": 80}, "bogus": 1}},
        {"spec": {"serviceRef": {"name": "s", "port": 80}, "multiClusterTargetGroup": "true"}},
    ]
    for doc in bad:
        if not check(doc, schema, "self-test"):
            fail(f"self-test: an invalid binding passed: {doc}")


def schemas():
    """[(name, schema)]: the project's own, then the controller's CRD if present."""
    found = [("the project's TargetGroupBinding schema", OWN_SCHEMA)]
    src = os.environ.get("GWSYNC_SOURCE_DIR", ".")
    default = os.path.join(src, ".deps/lbc-crd/elbv2.k8s.aws_targetgroupbindings.yaml")
    crd_path = os.environ.get("GWSYNC_TGB_CRD") or default
    if os.path.exists(crd_path) or crd_path != default:
        found.append(("the controller's CRD", schema_v1beta1(crd_path)))
    else:
        print(f"validate_crd: {crd_path} is absent (no internet for "
              "scripts/fetch-test-data?): checking the project's schema only")
    return found


def main():
    if len(sys.argv) != 2:
        fail("usage: validate_crd.py CASES_DIR")
    for name, schema in schemas():
        self_test(schema)
        validate_cases(schema, name)


def validate_cases(schema, schema_name):
    cases = sorted(p for p in pathlib.Path(sys.argv[1]).iterdir() if (p / "expected").is_dir())
    if not cases:
        fail(f"no cases with expected/ under {sys.argv[1]}")
    checked = 0
    for case in cases:
        exp = case / "expected"
        bindings = sorted(str(p.relative_to(exp)) for p in exp.glob("*/*.yaml"))
        kust = yaml.safe_load((exp / "kustomization.yaml").read_text())
        if kust.get("kind") != "Kustomization" or kust.get("resources") != bindings:
            fail(f"{case.name}: kustomization.yaml lists {kust.get('resources')}, "
                 f"the folder holds {bindings}")
        for rel in bindings:
            doc = yaml.safe_load((exp / rel).read_text())
            errors = check(doc, schema, f"{case.name}/{rel}")
            if doc.get("apiVersion") != "elbv2.k8s.aws/v1beta1" or \
                    doc.get("kind") != "TargetGroupBinding":
                errors.append(f"{case.name}/{rel}: not an elbv2.k8s.aws/v1beta1 "
                              "TargetGroupBinding")
            meta = doc.get("metadata", {})
            if f"{meta.get('namespace')}/{meta.get('name')}.yaml" != rel:
                errors.append(f"{case.name}/{rel}: file name is not <namespace>/<name>.yaml")
            if errors:
                fail("\n".join(errors))
            checked += 1
    print(f"validate_crd: {checked} TargetGroupBindings in {len(cases)} cases match "
          f"{schema_name}")


if __name__ == "__main__":
    main()
