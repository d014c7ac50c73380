"""The manual page gwsync.1 renders with man and groff without a warning,
and documents every command, every option (and its environment twin) and
every exit code that `gwsync --help` and `gwsync <command> --help` print;
every option is also in README.md or docs/*.md.

The options are read from --help itself, so a new option fails this test
until it is documented: nothing here lists them."""
import glob
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "jobs"))
import common  # noqa: E402  (tests/jobs/common.py: --help parsing shared with the jobs tests)

MAN = common.path("gwsync.1")


def run(argv, **env):
    e = dict(os.environ, LC_ALL="C.UTF-8", **env)
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e)


def man_source_text():
    """The roff source with escapes undone, as a reader sees the words."""
    with open(MAN, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"\\f[BIRP]", "", text)
    return text.replace("\\-", "-").replace("\\e", "\\")


def markdown_docs():
    files = [common.path("README.md")] + sorted(glob.glob(common.path("docs", "*.md")))
    return "\n".join(open(f, encoding="utf-8").read() for f in files)


def mentions(text, flag):
    return re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(flag), text) is not None


class ManPage(unittest.TestCase):
    def test_man_renders_it(self):
        p = run(["man", "--warnings", "-l", MAN], MANPAGER="cat", PAGER="cat", MANWIDTH="80")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr.strip(), "", "man warns")
        for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS",
                        "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"):
            self.assertRegex(p.stdout, r"(?m)^%s$" % heading)

    def test_groff_renders_it_without_warnings(self):
        p = run(["groff", "-man", "-Tutf8", "-ww", "-z", MAN])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr.strip(), "", "groff warns")

    def test_every_command_is_described(self):
        text = man_source_text()
        cmds = common.help_commands()
        self.assertIn("sync", cmds)
        for c in cmds:
            self.assertTrue(re.search(r"(?m)^\.TP\n\.B %s$" % re.escape(c), text),
                            "no COMMANDS entry for %s" % c)

    def test_every_exit_code_is_listed(self):
        codes = common.documented_exit_codes()
        self.assertGreater(len(codes), 5)
        status = man_source_text().split(".SH EXIT STATUS", 1)[1].split(".SH ", 1)[0]
        for c in codes:
            self.assertTrue(re.search(r"(?m)^\.B %s$" % c, status), "exit code %s" % c)


class EveryOption(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.man = man_source_text()
        cls.options_section = cls.man.split(".SH OPTIONS", 1)[1].split("\n.SH ", 1)[0]
        cls.md = markdown_docs()
        cls.opts = {c: common.help_options(c) for c in common.help_commands()}

    def test_options_were_found(self):
        # The parsing itself: a changed --help layout must not pass vacuously.
        self.assertIn((None, "--repo", "GWSYNC_REPO"), self.opts["validate"])
        self.assertIn(("-o", "--output", "GWSYNC_OUTPUT"), self.opts["render"])
        self.assertIn(("-v", "--verbose", "GWSYNC_VERBOSE"), self.opts["sync"])
        self.assertIn((None, "--default-target-type", "GWSYNC_DEFAULT_TARGET_TYPE"),
                      self.opts["sync"])
        self.assertEqual(self.opts["version"], [("-h", "--help", None)])

    def test_every_option_is_in_the_man_page(self):
        for cmd, opts in self.opts.items():
            for short, long, twin in opts:
                with self.subTest(command=cmd, option=long):
                    head = r"\.BR %s \", \" " % re.escape(short) if short else r"\.(B|BI|BR) "
                    entry = r"(?m)^\.TP\n%s%s(?![\w-])" % (head, re.escape(long))
                    self.assertTrue(re.search(entry, self.options_section),
                                    "no OPTIONS entry for %s%s (gwsync %s)"
                                    % (short + ", " if short else "", long, cmd))
                    if twin:
                        self.assertTrue(mentions(self.man, twin), "%s not in gwsync.1" % twin)

    def test_every_option_is_in_the_readme_or_docs(self):
        for cmd, opts in self.opts.items():
            for short, long, twin in opts:
                with self.subTest(command=cmd, option=long):
                    self.assertTrue(mentions(self.md, long),
                                    "%s (gwsync %s) is not in README.md or docs/" % (long, cmd))
                    if short:
                        self.assertTrue(mentions(self.md, short), short)
                    if twin:
                        self.assertTrue(mentions(self.md, twin),
                                        "%s is not in README.md or docs/" % twin)


if __name__ == "__main__":
    unittest.main()
