"""What the jobs/ and docs/ tests share: where things are, YAML loading,
what the gwsync binary's --help says."""
import os
import re
import subprocess
import sys

import yaml

SRC = os.environ.get("GWSYNC_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("GWSYNC_BIN") or os.path.join(SRC, "build", "src", "gwsync")


def path(*parts):
    return os.path.join(SRC, *parts)


def read(*parts):
    """The text of a file given relative to the source tree (or absolute)."""
    with open(path(*parts), encoding="utf-8") as f:
        return f.read()


def yaml_files(*top):
    """Every *.yaml / *.yml file below the given directories, sorted."""
    out = []
    for t in top:
        for root, dirs, files in os.walk(path(t)):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            out += [os.path.join(root, f) for f in sorted(files)
                    if f.endswith((".yaml", ".yml"))]
    return out


def load_docs(file):
    """The non-empty YAML documents of `file` (a parse error raises)."""
    with open(file, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def rel(file):
    return os.path.relpath(file, SRC)


def gwsync_help(*cmd):
    """stdout of `gwsync CMD --help` (it must exit 0)."""
    p = subprocess.run([BIN, *cmd, "--help"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("gwsync %s --help exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr))
    return p.stdout


def help_commands():
    """The commands `gwsync --help` lists under "Commands:"."""
    block = gwsync_help().split("\nCommands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines() if line.strip()]


def help_options(*cmd):
    """[(short or None, --long, twin or None)] from the "Options:" block of
    `gwsync CMD --help`. A long option's description, and its twin, may go
    on to the next line."""
    text = gwsync_help(*cmd)
    if "\nOptions:\n" not in text:
        sys.exit("gwsync %s --help has no Options: block" % " ".join(cmd))
    lines = text.split("\nOptions:\n", 1)[1].splitlines()
    out = []
    for i, line in enumerate(lines):
        m = re.match(r"^\s+(?:(-\w), )?(--[a-z0-9][a-z0-9-]*)", line)
        if not m:
            continue
        desc = line
        if i + 1 < len(lines) and not re.match(r"^\s+-", lines[i + 1]):
            desc += lines[i + 1]
        twin = re.search(r"\[env (GWSYNC_[A-Z0-9_]+)\]", desc)
        out.append((m.group(1), m.group(2), twin.group(1) if twin else None))
    return out


def help_flags(*cmd):
    """{"--repo": "GWSYNC_REPO", "--help": None, ...} for `gwsync CMD`."""
    return {long: twin for _, long, twin in help_options(*cmd)}


def documented_exit_codes():
    """{code: meaning} from the "Exit codes:" block of `gwsync --help`."""
    text = gwsync_help()
    block = text.split("Exit codes:", 1)[1]
    return {int(m.group(1)): m.group(2).strip()
            for m in re.finditer(r"^\s*(\d+)\s+(.+)$", block, re.M)}
