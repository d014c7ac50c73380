"""The repository documents itself: every document a file in it refers to
exists in it.

A person who clones gwsync has the repository and nothing else, so:
  - every relative markdown link target exists (anchors and URLs aside);
  - every `docs/...` path and every `*.md` path mentioned anywhere (C
    comments, Python docstrings, scripts, the manual page) names a file of
    the repository;
  - the names of the design notes the project was started from, which a
    clone does not have, appear nowhere but in this file.

The files checked are the ones git knows (tracked or not ignored), so build
directories and fetched third-party data (.deps/) are left out."""
import os
import re
import subprocess
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SELF = os.path.relpath(os.path.abspath(__file__), ROOT)

# Documents outside the repository. Built from pieces so that this file is the
# only one holding them, and the search below can skip nothing but itself.
OUTSIDE = [n + ".md" for n in ("DESIGN", "lbc-model", "aws-api", "gateway-api",
                               "gitops-practice", "c-style")]
OUTSIDE_RE = re.compile(
    "|".join(re.escape(n) for n in OUTSIDE)
    # the same names without ".md" when a section number follows ("lbc-model §4")
    + r"|\b(?:DESIGN|lbc-model|aws-api|gateway-api|gitops-practice|c-style)\s*\u00a7"
    + r"|\.\./" + "shared" + r"\b"
    + r"|/work/" + "shared")

MD_LINK_RE = re.compile(r"(?<!!)\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMG_LINK_RE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?")
REF_DEF_RE = re.compile(r"(?m)^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)")
# A docs/ path: not part of a longer path or a URL ("example.com/docs/x").
DOCS_PATH_RE = re.compile(r"(?<![\w./-])docs/[\w./-]*[\w/]")
# A file name ending in .md: not part of a URL.
MD_PATH_RE = re.compile(r"(?<![\w./:-])((?:\.{1,2}/)?[\w./-]*\w\.md)\b")


def repo_files():
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
        names = [n for n in out.decode("utf-8").split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = []
        for d, dirs, files in os.walk(ROOT):
            dirs[:] = [x for x in dirs if not (x.startswith(".git") or x.startswith("build")
                                               or x in (".deps", "__pycache__"))]
            names += [os.path.relpath(os.path.join(d, f), ROOT) for f in files]
    return sorted(n for n in names if os.path.isfile(os.path.join(ROOT, n)))


def text_of(name):
    try:
        with open(os.path.join(ROOT, name), "rb") as f:
            data = f.read()
    except OSError:
        return None
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def is_external(target):
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) is not None or target.startswith("#")


def exists_from(name, target):
    """A relative reference made in file `name`: relative to the file."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return True
    if path.startswith("/"):
        return os.path.exists(os.path.join(ROOT, path.lstrip("/")))
    return os.path.exists(os.path.normpath(os.path.join(ROOT, os.path.dirname(name), path)))


# Names ending in .md that are not documents of the repository: files gwsync
# and the shipped jobs write at run time (the report's SUMMARY.md, the CI
# jobs' apply.md and note.md) and Python attributes (self.md).
NOT_DOCUMENTS = {"SUMMARY.md", "apply.md", "note.md", "self.md", "cls.md"}


def md_path_checked(path):
    """Bare names are checked unless listed above; a path with a directory is
    checked when it starts at the repository (docs/x.md, tests/.../README.md)
    or at the file (./x.md, ../x.md). Other paths are data: "%s/README.md" in a
    format string, a fixture tree's apps/README.md, a temporary directory."""
    if "/" not in path:
        return path not in NOT_DOCUMENTS
    if path.startswith("/"):
        return False  # the tail of a path built in code ("<dir>" "/SUMMARY.md")
    first = path.split("/", 1)[0]
    return first in (".", "..") or os.path.isdir(os.path.join(ROOT, first))


def is_string_literal(text, start, end, path):
    """A bare file name quoted on its own ("NOTES.md" in a test that writes
    it) is data of the code, not a reference to a document."""
    if "/" in path or start == 0 or end >= len(text):
        return False
    return text[start - 1] == text[end] and text[end] in "\"'"


def md_path_exists(name, path):
    """A .md path mentioned in prose or a comment: relative to the file, to a
    directory above it, or to docs/ (comments say "model.md" for docs/model.md)."""
    d = os.path.dirname(name)
    while True:
        if os.path.isfile(os.path.normpath(os.path.join(ROOT, d, path))):
            return True
        if not d:
            break
        d = os.path.dirname(d)
    return os.path.isfile(os.path.join(ROOT, "docs", path))


class References(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.texts = {}
        for n in repo_files():
            if n == SELF:
                continue
            t = text_of(n)
            if t is not None:
                cls.texts[n] = t
        assert len(cls.texts) > 100, "the repository's files were not found from %s" % ROOT

    def report(self, bad, what):
        self.assertEqual(bad, [], "%d %s:\n  %s" % (len(bad), what, "\n  ".join(bad)))

    def test_no_document_outside_the_repository_is_named(self):
        bad = []
        for n, t in self.texts.items():
            for m in OUTSIDE_RE.finditer(t):
                bad.append("%s:%d: %s" % (n, line_of(t, m.start()), m.group(0)))
        self.report(bad, "references to documents outside the repository "
                         "(write what is needed into docs/ and point there)")

    def test_markdown_links_resolve(self):
        bad = []
        for n, t in self.texts.items():
            if not n.endswith(".md"):
                continue
            # code spans and fenced blocks are not links
            stripped = re.sub(r"(?s)```.*?```", lambda m: "\n" * m.group(0).count("\n"), t)
            stripped = re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group(0)), stripped)
            for rx in (MD_LINK_RE, IMG_LINK_RE, REF_DEF_RE):
                for m in rx.finditer(stripped):
                    target = m.group(1)
                    if is_external(target) or exists_from(n, target):
                        continue
                    bad.append("%s:%d: %s" % (n, line_of(stripped, m.start()), target))
        self.report(bad, "markdown links to files that do not exist")

    def test_docs_paths_exist(self):
        bad = []
        for n, t in self.texts.items():
            for m in DOCS_PATH_RE.finditer(t):
                p = m.group(0)
                if os.path.exists(os.path.join(ROOT, p)):
                    continue
                bad.append("%s:%d: %s" % (n, line_of(t, m.start()), p))
        self.report(bad, "docs/ paths that do not exist")

    def test_md_paths_exist(self):
        bad = []
        for n, t in self.texts.items():
            for m in MD_PATH_RE.finditer(t):
                p = m.group(1)
                if is_string_literal(t, m.start(1), m.end(1), p):
                    continue
                if not md_path_checked(p) or md_path_exists(n, p):
                    continue
                bad.append("%s:%d: %s" % (n, line_of(t, m.start()), p))
        self.report(bad, "*.md files named that do not exist in the repository")

    def test_the_docs_index_lists_every_doc(self):
        index = self.texts.get(os.path.join("docs", "README.md"))
        self.assertIsNotNone(index, "docs/README.md, the index of docs/, is missing")
        for n in self.texts:
            if os.path.dirname(n) == "docs" and n.endswith(".md") and n != os.path.join("docs", "README.md"):
                self.assertIn("(%s)" % os.path.basename(n), index,
                              "docs/README.md does not link %s" % n)


class TheCheckItself(unittest.TestCase):
    """The patterns catch what they must (so a passing run means something)."""

    def test_outside_names_are_caught(self):
        for s in ("see " + "lbc-model" + ".md \u00a74.3", "(aws-api" + " \u00a76)",
                  "DESIGN" + ".md", "../" + "shared/reference", "gitops-practice" + ".md"):
            self.assertIsNotNone(OUTSIDE_RE.search(s), s)
        for s in ("kubernetes-sigs/gateway-api v1.6.1", "C-style comments", "docs/model.md"):
            self.assertIsNone(OUTSIDE_RE.search(s), s)

    def test_paths_are_found(self):
        self.assertEqual(DOCS_PATH_RE.findall("see docs/model.md."), ["docs/model.md"])
        self.assertEqual(DOCS_PATH_RE.findall("https://example.com/docs/x"), [])
        self.assertEqual(MD_PATH_RE.findall("(tests/fakeaws/README.md)"), ["tests/fakeaws/README.md"])
        self.assertEqual(MD_PATH_RE.findall("https://github.com/a/b/blob/main/X.md"), [])
        self.assertEqual(MD_LINK_RE.findall("[a](docs/x.md#y) [b](https://z)"), ["docs/x.md#y", "https://z"])

    def test_resolution(self):
        self.assertTrue(md_path_exists("src/model/tg.c", "model.md"))
        self.assertFalse(md_path_exists("src/model/tg.c", "no-such-document.md"))
        self.assertTrue(exists_from("docs/cli.md", "../README.md"))
        self.assertFalse(exists_from("docs/cli.md", "no-such-document.md#x"))
        self.assertTrue(md_path_checked("docs/nothing.md"))
        self.assertTrue(md_path_checked("../nothing.md"))
        self.assertTrue(md_path_checked("nothing.md"))
        self.assertFalse(md_path_checked("SUMMARY.md"))
        self.assertFalse(md_path_checked("tmp/package/README.md"))
        text = 'open("NOTES.md") see model.md and "docs/x.md"'
        spans = [(m.start(1), m.end(1), m.group(1)) for m in MD_PATH_RE.finditer(text)]
        self.assertEqual([is_string_literal(text, *sp) for sp in spans], [True, False, False])


if __name__ == "__main__":
    unittest.main()
