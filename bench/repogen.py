"""What the benchmark repository generators share: their common command
line and writing YAML documents as one multi-document file."""
import argparse
import os


def arg_parser(per_file):
    """OUT_DIR, --routes and --per-file; each generator adds its own options."""
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--routes", type=int, default=10000)
    ap.add_argument("--per-file", type=int, default=per_file)
    return ap


def write_docs(path, docs):
    """Write `docs` to `path` separated by '---' lines, creating its directory."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("---\n".join(docs))
