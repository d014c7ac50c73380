#!/usr/bin/env python3
"""`render -o yaml` must mean exactly what `render -o json` says, also to a
YAML 1.1 loader (issue 10 L9: `<<` and `=` were written as plain scalars,
which PyYAML reads as a merge key and a value tag and rejects).

    yaml_roundtrip.py GOLDEN_DIR

Renders every golden case (repo/ plus its args) both ways, loads the YAML with
PyYAML's safe_load (YAML 1.1 resolution: yes/no/on/off, 0o17, 017, 1:30,
2001-12-14, <<, = are not strings there) and checks it equals the JSON.
"""
import json
import os
import shlex
import subprocess
import sys

try:
    import yaml
except ImportError:
    sys.exit("yaml_roundtrip.py: PyYAML is missing (Debian: python3-yaml; scripts/install-deps)")


def render(case_dir, args, fmt):
    proc = subprocess.run([os.environ["GWSYNC_BIN"], "render", "--repo", "repo", "-o", fmt] + args,
                          cwd=case_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode not in (0, 4):
        sys.exit("%s: render -o %s exited %d: %s"
                 % (case_dir, fmt, proc.returncode, proc.stderr.decode(errors="replace")))
    return proc.stdout.decode()


def first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return "%s: %r (JSON) vs %r (YAML)" % (path, a, b)
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                return "%s: key %r only in %s" % (path, k, "JSON" if k in a else "YAML")
            d = first_difference(a[k], b[k], "%s.%s" % (path, k))
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d items (JSON) vs %d (YAML)" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    return None if a == b else "%s: %r (JSON) vs %r (YAML)" % (path, a, b)


def main():
    golden = sys.argv[1]
    cases = sorted(d for d in os.listdir(golden)
                   if os.path.isdir(os.path.join(golden, d, "repo")))
    failed = 0
    for case in cases:
        case_dir = os.path.join(golden, case)
        args = []
        if os.path.exists(os.path.join(case_dir, "args")):
            with open(os.path.join(case_dir, "args")) as f:
                args = shlex.split(f.read())
        want = json.loads(render(case_dir, args, "json"))
        try:
            got = yaml.safe_load(render(case_dir, args, "yaml"))
        except yaml.YAMLError as e:
            print("%s: PyYAML cannot load the YAML rendering: %s" % (case, e))
            failed += 1
            continue
        diff = first_difference(want, got)
        if diff:
            print("%s: the YAML rendering reads back differently: %s" % (case, diff))
            failed += 1
    print("%d golden cases, %d YAML renderings differ from JSON" % (len(cases), failed))
    return 1 if failed or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
