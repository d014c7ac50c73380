"""The Kubernetes manifests gwsync ships (jobs/kubernetes) and the example
repository (examples/repo): every document parses and is a well-formed
object, the kustomizations list what is there, and the CronJobs carry the
settings docs/operations.md promises (concurrency, deadlines, the exit-code
policy, a locked-down pod, requests and limits, the workdir volume, env
configuration through real GWSYNC_* twins)."""
import os
import re
import unittest

import common

K8S_DIRS = ("jobs/kubernetes", "examples/repo")
# Environment variables gwsync reads that are not twins of a sync flag.
NOT_FLAG_TWINS = {"GWSYNC_GIT_TOKEN", "GWSYNC_THREADS"}
# Kubernetes field names of the objects checked below: a typo would make the
# API server reject (or, for some clients, silently drop) the field.
FIELDS = {
    "CronJobSpec": {"concurrencyPolicy", "failedJobsHistoryLimit", "jobTemplate", "schedule",
                    "startingDeadlineSeconds", "successfulJobsHistoryLimit", "suspend",
                    "timeZone"},
    "JobSpec": {"activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex",
                "completionMode", "completions", "managedBy", "manualSelector",
                "maxFailedIndexes", "parallelism", "podFailurePolicy", "podReplacementPolicy",
                "selector", "successPolicy", "suspend", "template", "ttlSecondsAfterFinished"},
    "PodSpec": {"activeDeadlineSeconds", "affinity", "automountServiceAccountToken",
                "containers", "dnsConfig", "dnsPolicy", "enableServiceLinks",
                "ephemeralContainers", "hostAliases", "hostIPC", "hostNetwork", "hostPID",
                "hostUsers", "hostname", "imagePullSecrets", "initContainers", "nodeName",
                "nodeSelector", "os", "overhead", "preemptionPolicy", "priority",
                "priorityClassName", "readinessGates", "resourceClaims", "resources",
                "restartPolicy", "runtimeClassName", "schedulerName", "schedulingGates",
                "securityContext", "serviceAccount", "serviceAccountName", "setHostnameAsFQDN",
                "shareProcessNamespace", "subdomain", "terminationGracePeriodSeconds",
                "tolerations", "topologySpreadConstraints", "volumes"},
    "Container": {"args", "command", "env", "envFrom", "image", "imagePullPolicy", "lifecycle",
                  "livenessProbe", "name", "ports", "readinessProbe", "resizePolicy",
                  "resources", "restartPolicy", "securityContext", "startupProbe", "stdin",
                  "stdinOnce", "terminationMessagePath", "terminationMessagePolicy", "tty",
                  "volumeDevices", "volumeMounts", "workingDir"},
    "SecurityContext": {"allowPrivilegeEscalation", "appArmorProfile", "capabilities",
                        "privileged", "procMount", "readOnlyRootFilesystem", "runAsGroup",
                        "runAsNonRoot", "runAsUser", "seLinuxOptions", "seccompProfile",
                        "windowsOptions"},
    "PodSecurityContext": {"appArmorProfile", "fsGroup", "fsGroupChangePolicy", "runAsGroup",
                           "runAsNonRoot", "runAsUser", "seLinuxChangePolicy",
                           "seLinuxOptions", "seccompProfile", "supplementalGroups",
                           "supplementalGroupsPolicy", "sysctls", "windowsOptions"},
    "PodFailurePolicyRule": {"action", "onExitCodes", "onPodConditions"},
}
# Tokens and keys that must never be committed, whatever the file.
SECRET_PATTERNS = [
    (r"\bghp_[A-Za-z0-9]{20,}", "GitHub token"),
    (r"\bgithub_pat_[A-Za-z0-9_]{20,}", "GitHub fine-grained token"),
    (r"\bglpat-[A-Za-z0-9_-]{16,}", "GitLab token"),
    (r"\bAKIA[0-9A-Z]{16}\b", "AWS access key id"),
    (r"-----BEGIN [A-Z ]*PRIVATE KEY-----", "private key"),
]


def duration_seconds(text):
    """Seconds of a gwsync duration such as 90s, 10m, 1h30m."""
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text)
    if not text or not m:
        raise ValueError("not a duration: %r" % text)
    h, mi, s = (int(g or 0) for g in m.groups())
    return h * 3600 + mi * 60 + s


def quantity(q):
    """A Kubernetes CPU or memory quantity as a float (cores or bytes)."""
    q = str(q)
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 1e3, "M": 1e6, "G": 1e9}
    for u in sorted(units, key=len, reverse=True):
        if q.endswith(u):
            return float(q[: -len(u)]) * units[u]
    return float(q)


def k8s_docs():
    """(file, document) for every Kubernetes manifest below K8S_DIRS."""
    out = []
    for f in common.yaml_files(*K8S_DIRS):
        out += [(f, d) for d in common.load_docs(f)]
    return out


def dockerfile_user():
    m = re.search(r"^USER\s+(\d+)(?::(\d+))?\s*$", common.read("Dockerfile"), re.M)
    return (int(m.group(1)), int(m.group(2) or m.group(1))) if m else None


class Documents(unittest.TestCase):
    def test_every_document_parses_and_names_itself(self):
        files = common.yaml_files(*K8S_DIRS)
        self.assertGreater(len(files), 10)
        for f in files:
            docs = common.load_docs(f)   # a parse error fails here
            self.assertTrue(docs, "%s holds no document" % common.rel(f))
            for i, d in enumerate(docs):
                where = "%s document %d" % (common.rel(f), i + 1)
                self.assertIsInstance(d, dict, where)
                self.assertRegex(d.get("apiVersion", ""), r"^[a-z0-9.-]*/?v\d+\w*$", where)
                self.assertRegex(d.get("kind", ""), r"^[A-Z][A-Za-z]+$", where)
                if d["kind"] == "Kustomization":
                    continue        # a build file, not an API object: no name
                name = (d.get("metadata") or {}).get("name")
                self.assertTrue(name, "%s: %s without metadata.name" % (where, d["kind"]))

    def test_no_secret_is_committed(self):
        for f in common.yaml_files("jobs", "examples/repo"):
            text = common.read(f)
            for pattern, what in SECRET_PATTERNS:
                self.assertIsNone(re.search(pattern, text), "%s holds a %s" % (common.rel(f), what))


class Kustomizations(unittest.TestCase):
    # Files deliberately outside the kustomization, and why.
    UNLISTED = {
        "jobs/kubernetes/git-credentials.example.yaml": "a template: never applied over a real Secret",
        "jobs/kubernetes/cronjob-sharded.yaml": "the alternative to cronjob.yaml",
        "jobs/kubernetes/indexed-job.yaml": "a one-off sharded run, not a schedule",
    }

    def check(self, directory):
        kfile = common.path(directory, "kustomization.yaml")
        k = common.load_docs(kfile)[0]
        self.assertEqual(k["kind"], "Kustomization")
        listed = set()
        for r in k.get("resources", []):
            p = os.path.normpath(os.path.join(directory, r))
            self.assertTrue(os.path.isfile(common.path(p)), "%s lists a missing %s" % (kfile, r))
            listed.add(p)
        for f in common.yaml_files(directory):
            p = common.rel(f)
            if p == os.path.join(directory, "kustomization.yaml") or p in self.UNLISTED:
                continue
            self.assertIn(p, listed, "%s is not in %s" % (p, common.rel(kfile)))
        for p in self.UNLISTED:
            self.assertNotIn(p, listed, "%s must stay out: %s" % (p, self.UNLISTED[p]))

    def test_jobs_kustomization_lists_every_manifest(self):
        self.check("jobs/kubernetes")

    def test_example_kustomization_lists_every_manifest(self):
        self.check("examples/repo")


class JobsManifests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.docs = [(f, d) for f, d in k8s_docs() if common.rel(f).startswith("jobs/")]
        cls.sync_flags = common.help_flags("sync")
        cls.twins = {env: flag for flag, env in cls.sync_flags.items() if env}
        cls.exit_codes = common.documented_exit_codes()

    def objects(self, kind):
        return [(f, d) for f, d in self.docs if d["kind"] == kind]

    def assertKnownFields(self, obj, kind, where):
        unknown = set(obj) - FIELDS[kind]
        self.assertFalse(unknown, "%s: unknown %s field(s) %s" % (where, kind, sorted(unknown)))

    def test_namespace_enforces_restricted_pod_security(self):
        (f, ns), = self.objects("Namespace")
        self.assertEqual(ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"],
                         "restricted")

    def test_service_account_for_irsa_and_pod_identity(self):
        (f, sa), = self.objects("ServiceAccount")
        self.assertRegex(sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"],
                         r"^arn:aws[a-z-]*:iam::\d{12}:role/\S+$")
        text = common.read(f)
        self.assertIn("Pod Identity", text)
        self.assertIn("create-pod-identity-association", text)

    def test_rbac_reads_services_endpointslices_nodes_only(self):
        (f, role), = self.objects("ClusterRole")
        granted = set()
        for rule in role["rules"]:
            self.assertLessEqual(set(rule["verbs"]), {"get", "list"}, rule)
            self.assertNotIn("*", rule["resources"])
            for res in rule["resources"]:
                granted.add((tuple(rule["apiGroups"]), res))
        self.assertEqual(granted, {(("",), "services"), (("",), "nodes"),
                                   (("discovery.k8s.io",), "endpointslices")})
        (f, binding), = self.objects("ClusterRoleBinding")
        self.assertEqual(binding["roleRef"]["name"], role["metadata"]["name"])
        (f, sa), = self.objects("ServiceAccount")
        self.assertIn({"kind": "ServiceAccount", "name": sa["metadata"]["name"],
                       "namespace": sa["metadata"]["namespace"]}, binding["subjects"])

    def test_git_credentials_secret_is_a_template(self):
        (f, secret), = self.objects("Secret")
        self.assertTrue(common.rel(f).endswith(".example.yaml"))
        self.assertEqual(set(secret["stringData"]), {"GWSYNC_GIT_TOKEN"})
        self.assertRegex(secret["stringData"]["GWSYNC_GIT_TOKEN"], r"^REPLACE-")
        self.assertNotIn("data", secret)

    def test_cronjobs(self):
        cronjobs = self.objects("CronJob")
        self.assertEqual(len(cronjobs), 2)
        self.assertEqual(sum(1 for _, c in cronjobs
                             if c["spec"]["jobTemplate"]["spec"].get("completionMode")
                             == "Indexed"), 1, "one CronJob is the Indexed (sharded) variant")
        for f, cj in cronjobs:
            with self.subTest(file=common.rel(f)):
                self.check_cronjob(f, cj)

    def check_cronjob(self, f, cj):
        where = common.rel(f)
        spec = cj["spec"]
        self.assertKnownFields(spec, "CronJobSpec", where)
        self.assertEqual(spec["concurrencyPolicy"], "Forbid")
        self.assertGreater(spec["startingDeadlineSeconds"], 0)
        self.assertTrue(spec.get("timeZone"))
        self.check_job(f, spec["jobTemplate"]["spec"], where)

    def test_indexed_job(self):
        """The one-off sharded run: the same pod as the CronJobs, as a plain Job."""
        (f, job), = self.objects("Job")
        self.assertEqual(job["spec"]["completionMode"], "Indexed")
        self.assertGreater(job["spec"]["completions"], 1)
        self.check_job(f, job["spec"], common.rel(f))

    def check_job(self, f, job, where):
        self.assertKnownFields(job, "JobSpec", where)
        indexed = job.get("completionMode") == "Indexed"
        pod = job["template"]["spec"]
        self.assertKnownFields(pod, "PodSpec", where)
        self.assertEqual(pod["restartPolicy"], "Never")
        (c,) = pod["containers"]
        self.assertKnownFields(c, "Container", where)
        env = {e["name"]: e for e in c.get("env", [])}

        # Deadlines: gwsync's --timeout fires well before Kubernetes kills it.
        timeout = duration_seconds(env["GWSYNC_TIMEOUT"]["value"])
        self.assertGreaterEqual(job["activeDeadlineSeconds"], timeout + 60)
        self.assertGreater(pod["terminationGracePeriodSeconds"], 0)
        if indexed:
            self.assertLessEqual(job["backoffLimitPerIndex"], 2)
            self.assertEqual(job["completions"], job["parallelism"])
            self.assertEqual(str(job["completions"]), env["GWSYNC_SHARDS"]["value"])
            self.assertIn("GWSYNC_SHARDS", self.twins, "--shards has no environment twin")
            self.assertNotIn("NOT YET AVAILABLE", common.read(f))
        else:
            self.assertLessEqual(job["backoffLimit"], 3)

        self.check_failure_policy(job, c["name"], indexed, where)
        self.check_security(pod, c, where)
        self.check_resources(c)
        self.check_env(env, indexed, where)

        # The workdir is an emptyDir mounted where --workdir points.
        mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
        workdir = env["GWSYNC_WORKDIR"]["value"]
        self.assertIn(workdir, mounts, "no volume at the workdir")
        volumes = {v["name"]: v for v in pod["volumes"]}
        self.assertIn("emptyDir", volumes[mounts[workdir]])
        self.assertEqual(c["args"][0], "sync")
        secret = env["GWSYNC_GIT_TOKEN"]["valueFrom"]["secretKeyRef"]
        self.assertEqual(secret, {"name": "gwsync-git", "key": "GWSYNC_GIT_TOKEN"})

    def check_failure_policy(self, job, container, indexed, where):
        rules = job["podFailurePolicy"]["rules"]
        by_action = {}
        for r in rules:
            self.assertKnownFields(r, "PodFailurePolicyRule", where)
            if "onExitCodes" in r:
                oc = r["onExitCodes"]
                self.assertEqual(oc["operator"], "In")
                self.assertEqual(oc["containerName"], container)
                by_action.setdefault(r["action"], set()).update(oc["values"])
        fail = "FailIndex" if indexed else "FailJob"
        self.assertEqual(by_action.get(fail), {3, 4, 5, 8})
        self.assertEqual(by_action.get("Count"), {1, 6, 7, 9, 10})
        # Every failure code gwsync documents is classified (0 is success;
        # 2 only comes with --detailed-exitcode, never in an apply job).
        self.assertEqual(set(self.exit_codes) - {0, 2}, by_action[fail] | by_action["Count"],
                         "gwsync --help documents exit codes the policy does not classify")
        self.assertIn({"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]},
                      rules)

    def check_security(self, pod, c, where):
        psc, csc = pod["securityContext"], c["securityContext"]
        self.assertKnownFields(psc, "PodSecurityContext", where)
        self.assertKnownFields(csc, "SecurityContext", where)
        self.assertTrue(psc["runAsNonRoot"])
        self.assertTrue(csc["runAsNonRoot"])
        self.assertNotEqual(psc["runAsUser"], 0)
        self.assertEqual((psc["runAsUser"], psc["runAsGroup"]), dockerfile_user(),
                         "the pod's uid:gid differs from the Dockerfile's USER")
        self.assertEqual(psc["seccompProfile"], {"type": "RuntimeDefault"})
        self.assertIs(csc["readOnlyRootFilesystem"], True)
        self.assertIs(csc["allowPrivilegeEscalation"], False)
        self.assertEqual(csc["capabilities"], {"drop": ["ALL"]})
        self.assertNotIn("privileged", csc)

    def check_resources(self, c):
        res = c["resources"]
        for kind in ("cpu", "memory"):
            req, lim = quantity(res["requests"][kind]), quantity(res["limits"][kind])
            self.assertGreater(req, 0)
            self.assertLessEqual(req, lim, kind)

    def check_env(self, env, indexed, where):
        for name in env:
            if not name.startswith("GWSYNC_") or name in NOT_FLAG_TWINS:
                continue
            self.assertIn(name, self.twins,
                          "%s: %s is no environment twin of a `gwsync sync` flag" % (where, name))
        for required in ("GWSYNC_REPO", "GWSYNC_CLUSTER", "GWSYNC_WORKDIR", "GWSYNC_TIMEOUT",
                         "GWSYNC_LOG_FORMAT"):
            self.assertIn(required, env)
        self.assertEqual(env["GWSYNC_LOG_FORMAT"]["value"], "json")


class ExampleRepository(unittest.TestCase):
    def test_example_holds_what_its_readme_promises(self):
        docs = [d for f, d in k8s_docs() if common.rel(f).startswith("examples/")]
        kinds = {}
        for d in docs:
            kinds.setdefault(d["kind"], []).append(d)
        for k in ("GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "TCPRoute", "UDPRoute",
                  "TLSRoute", "ReferenceGrant", "Service", "LoadBalancerConfiguration",
                  "TargetGroupConfiguration", "ListenerRuleConfiguration", "Kustomization"):
            self.assertIn(k, kinds)
        route_namespaces = {d["metadata"]["namespace"] for d in kinds["HTTPRoute"]}
        self.assertGreaterEqual(len(route_namespaces), 2, "HTTPRoutes in two namespaces")
        protocols = {(g["metadata"]["name"], l["protocol"], l["port"])
                     for g in kinds["Gateway"] for l in g["spec"]["listeners"]}
        nlb_ports = {}
        for name, proto, port in protocols:
            nlb_ports.setdefault((name, port), set()).add(proto)
        self.assertIn({"TCP", "UDP"}, nlb_ports.values(), "TCP and UDP on one port")
        self.assertIn("TLS", {p for _, p, _ in protocols})
        self.assertIn("HTTPS", {p for _, p, _ in protocols})


if __name__ == "__main__":
    unittest.main()
