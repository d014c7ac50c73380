"""The CI pipelines in jobs/ci: they parse, validate and plan on pull/merge
requests (the Markdown plan as job summary and one comment found again by a
hidden marker), apply on the main branch with OIDC role credentials, and
never put a secret on a command line. Their shell scripts parse."""
import re
import subprocess
import unittest

import common

MARKER = "<!-- gwsync-plan -->"
# A variable holding a secret, by name (a *_FILE variable holds a path).
SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PRIVATE)(?!\w*_FILE)\w*$")
VAR_REF = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def shell_parses(script, shell):
    p = subprocess.run([shell, "-n"], input=script, text=True, stderr=subprocess.PIPE)
    return p.returncode == 0, p.stderr


def secret_refs(line):
    return [v for v in VAR_REF.findall(line) if SECRET_NAME.search(v)]


def gwsync_lines(script):
    """The gwsync invocations of a script, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", script)
    return [l for l in joined.splitlines() if re.search(r"\bgwsync\s+\w|\$GWSYNC_IMAGE\"?\s+\w", l)]


class GitHubActions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.wf = common.load_docs(common.path("jobs", "ci", "github-actions.yml"))[0]
        cls.jobs = cls.wf["jobs"]

    def steps(self, job):
        return self.jobs[job]["steps"]

    def runs(self, job=None):
        jobs = [job] if job else list(self.jobs)
        return [s["run"] for j in jobs for s in self.jobs[j]["steps"] if "run" in s]

    def test_triggers(self):
        on = self.wf.get("on", self.wf.get(True))   # YAML 1.1 reads `on` as true
        self.assertIn("pull_request", on)
        self.assertEqual(on["push"]["branches"], ["main"])
        self.assertIn(".gwsync/**", on["push"]["paths-ignore"])
        self.assertEqual(self.wf["permissions"], {"contents": "read"})

    def test_pull_request_validates_and_plans_as_markdown(self):
        job = self.jobs["plan"]
        self.assertIn("pull_request", job["if"])
        runs = "\n".join(self.runs("plan"))
        self.assertRegex(runs, r"\bvalidate --repo\b")
        (plan,) = [l for l in gwsync_lines(runs) if "--dry-run" in l]
        self.assertIn("--output markdown", plan)
        self.assertIn("--detailed-exitcode", plan)
        self.assertRegex(runs, r">>\s*\"\$GITHUB_STEP_SUMMARY\"")
        self.assertEqual(job["permissions"]["id-token"], "write")
        self.assertEqual(job["permissions"]["pull-requests"], "write")

    def test_plan_comment_is_found_by_its_marker_and_updated(self):
        (step,) = [s for s in self.steps("plan") if s.get("uses", "").startswith(
            "actions/github-script@")]
        script = step["with"]["script"]
        self.assertIn(MARKER, script)
        self.assertIn("updateComment", script)
        self.assertIn("createComment", script)
        self.assertIn("paginate", script)
        self.assertRegex(script, r"startsWith\(marker\)")

    def test_main_branch_applies_with_oidc_credentials(self):
        job = self.jobs["apply"]
        self.assertIn("refs/heads/main", job["if"])
        self.assertIn("push", job["if"])
        self.assertIs(job["concurrency"]["cancel-in-progress"], False)
        self.assertEqual(job["permissions"]["id-token"], "write")
        runs = "\n".join(self.runs("apply"))
        (apply,) = [l for l in gwsync_lines(runs) if " sync" in l]
        self.assertNotIn("--dry-run", apply)

    def test_aws_credentials_come_from_role_assumption(self):
        for name, job in self.jobs.items():
            for s in job["steps"]:
                if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@"):
                    self.assertIn("role-to-assume", s["with"])
                    self.assertFalse({"aws-access-key-id", "aws-secret-access-key"}
                                     & set(s["with"]), name)

    def test_no_secret_on_a_command_line(self):
        for name, job in self.jobs.items():
            for s in job["steps"]:
                run = s.get("run", "")
                self.assertNotIn("secrets.", run, "%s: a secret expanded into a script" % name)
                self.assertNotRegex(run, r"\bset -x\b|\bset -o xtrace\b")
                for line in run.splitlines():
                    # docker run -e NAME copies a variable; -e NAME=VALUE
                    # would show the value to every process on the host.
                    for m in re.finditer(r"-e\s+(\w+)=", line):
                        self.assertFalse(SECRET_NAME.search(m.group(1)), line)
                    self.assertFalse(secret_refs(line), "%s: %s" % (name, line))
                for k, v in (s.get("with") or {}).items():
                    self.assertNotIn("secrets.", str(v), "%s: secret passed as input %s" % (name, k))

    def test_scripts_parse(self):
        for run in self.runs():
            ok, err = shell_parses(re.sub(r"\$\{\{[^}]*\}\}", "x", run), "bash")
            self.assertTrue(ok, err + run)


class GitLabCI(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ci = common.load_docs(common.path("jobs", "ci", "gitlab-ci.yml"))[0]

    def job(self, name):
        """A job with the templates it extends merged in (one level deep)."""
        job = dict(self.ci[name])
        ext = job.pop("extends", [])
        for base in [ext] if isinstance(ext, str) else ext:
            job = {**self.ci[base], **job}
        return job

    def scripts(self):
        out = []
        for name, job in self.ci.items():
            if isinstance(job, dict):
                for key in ("before_script", "script", "after_script"):
                    out += [(name, line) for line in job.get(key, [])]
        return out

    def test_stages_and_jobs(self):
        self.assertEqual(self.ci["stages"], ["validate", "plan", "apply"])
        rules = [r.get("if", "") for r in self.ci["workflow"]["rules"]]
        self.assertTrue(any("Gwsync-Run-Id" in r for r in rules), "status commits rerun CI")

    def test_merge_request_validates_and_plans_as_markdown(self):
        self.assertIn("gwsync validate --repo", "\n".join(self.job("validate")["script"]))
        plan = self.job("plan")
        self.assertIn("merge_request_event", plan["rules"][0]["if"])
        (line,) = [l for l in gwsync_lines("\n".join(plan["script"])) if "--dry-run" in l]
        self.assertIn("--output markdown", line)
        self.assertIn("plan.md", plan["artifacts"]["paths"])

    def test_plan_note_is_found_by_its_marker_and_updated(self):
        note = self.job("plan-note")
        script = "\n".join(note["script"])
        self.assertIn(MARKER, script)
        self.assertIn("-X PUT", script)
        self.assertIn("-X POST", script)
        self.assertIn("merge_requests/$CI_MERGE_REQUEST_IID/notes", script)
        self.assertEqual(note["needs"], ["plan"])

    def test_default_branch_applies_with_web_identity(self):
        apply = self.job("apply")
        self.assertIn("$CI_DEFAULT_BRANCH", apply["rules"][0]["if"])
        self.assertIn("resource_group", apply)
        (line,) = [l for l in gwsync_lines("\n".join(apply["script"])) if " sync" in l]
        self.assertNotIn("--dry-run", line)
        for name in ("plan", "apply"):
            job = self.job(name)
            self.assertEqual(job["id_tokens"]["GWSYNC_OIDC_TOKEN"]["aud"], "sts.amazonaws.com")
            self.assertTrue(job["variables"]["AWS_ROLE_ARN"].startswith("$GWSYNC_"))
            setup = "\n".join(job["before_script"])
            self.assertIn("export AWS_WEB_IDENTITY_TOKEN_FILE=", setup)

    def test_no_secret_on_a_command_line(self):
        for name, line in self.scripts():
            self.assertNotRegex(line, r"\bset -x\b")
            for sub in line.splitlines():
                # Only the shell's printf builtin may see a secret's value:
                # a builtin is no process, so no process list shows it.
                if secret_refs(sub):
                    self.assertRegex(sub.strip(), r"^printf\b", "%s: %s" % (name, sub))
                    self.assertRegex(sub, r">\s*/tmp/", "%s: %s" % (name, sub))

    def test_scripts_parse(self):
        for name, line in self.scripts():
            ok, err = shell_parses(line, "sh")
            self.assertTrue(ok, "%s: %s\n%s" % (name, err, line))


if __name__ == "__main__":
    unittest.main()
