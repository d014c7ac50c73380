"""The Dockerfile's runtime stage installs exactly the Debian packages the
gwsync binary needs: every shared library `ldd` lists comes from a package
the stage installs, one of their dependencies or the base image (none
missing), and every package it installs provides a library the binary links
directly, or is the CA bundle (none unneeded). No container engine is
needed: the binary built here and dpkg's database stand in for the image.

The build stage must get its packages from scripts/install-deps and run the
cmake configure CI runs, so the image is built as the tests are."""
import os
import re
import subprocess
import unittest

import common

# Packages the runtime stage needs that no library lookup can find.
DATA_PACKAGES = {"ca-certificates": "the CA bundle libcurl and libgit2 verify TLS against"}


def stages():
    """[(name, base image, text)] of the Dockerfile's stages."""
    text = re.sub(r"\\\n", " ", common.read("Dockerfile"))
    parts = re.split(r"^FROM\s+", text, flags=re.M)[1:]
    out = []
    for p in parts:
        head, _, body = p.partition("\n")
        m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", head, re.I)
        out.append((m.group(2) or "", m.group(1), body))
    return out


def apt_installs(body):
    """Packages named by `apt-get install` commands in a stage."""
    pkgs = []
    for cmd in re.findall(r"apt-get\s+install\s+([^&;\n]*)", body):
        pkgs += [w for w in cmd.split() if not w.startswith("-")]
    return pkgs


def ldd_libraries(binary):
    out = subprocess.run(["ldd", binary], stdout=subprocess.PIPE, text=True, check=True).stdout
    libs = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(/\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
        if m:
            name = m.group(1)
            libs[os.path.basename(name)] = m.group(m.lastindex)
    return libs


def needed(binary):
    """The DT_NEEDED sonames of the binary itself."""
    out = subprocess.run(["readelf", "-d", binary], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def aliases(path):
    """A file's names under the /usr merge: /lib/x and /usr/lib/x are one."""
    out = []
    for p in (path, os.path.realpath(path)):
        out += [p, p[4:] if p.startswith("/usr/") else "/usr" + p]
    return list(dict.fromkeys(out))


def packages_of(paths):
    """{path: Debian package owning it}, from one dpkg -S call."""
    names = sorted({a for p in paths for a in aliases(p)})
    out = subprocess.run(["dpkg", "-S", *names], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True).stdout
    owner = {}
    for line in out.splitlines():
        pkgs, _, file = line.partition(": ")
        owner[file.strip()] = pkgs.split(",")[0].split(":")[0].strip()
    result = {}
    for p in paths:
        found = [owner[a] for a in aliases(p) if a in owner]
        if not found:
            raise AssertionError("no Debian package owns %s" % p)
        result[p] = found[0]
    return result


class Dpkg:
    """Installed packages: dependencies and what a minimal image holds."""

    def __init__(self):
        out = subprocess.run(
            ["dpkg-query", "-W", "-f",
             "${Package}\t${Essential}\t${Priority}\t${Pre-Depends}, ${Depends}\t${Provides}\n"],
            stdout=subprocess.PIPE, text=True, check=True).stdout
        self.deps, self.base_roots, self.providers = {}, set(), {}
        for line in out.splitlines():
            pkg, essential, prio, deps, provides = line.split("\t")
            alts = [[re.split(r"[\s(:]", a.strip())[0] for a in d.split("|") if a.strip()]
                    for d in deps.split(",") if d.strip()]
            self.deps[pkg] = alts
            for p in provides.split(","):
                if p.strip():
                    self.providers.setdefault(re.split(r"[\s(]", p.strip())[0], []).append(pkg)
            if essential == "yes" or prio == "required":
                self.base_roots.add(pkg)

    def closure(self, roots):
        seen, todo = set(), list(roots)
        while todo:
            p = todo.pop()
            if p in seen:
                continue
            seen.add(p)
            for alts in self.deps.get(p, []):
                for a in alts:
                    names = [a] if a in self.deps else self.providers.get(a, [])
                    installed = [n for n in names if n in self.deps]
                    if installed:
                        todo.append(installed[0])
                        break
        return seen


def normalize(pkg):
    """A library package's name without its ABI suffixes (libgit2-1.5 and
    libgit2-1.7 are both libgit2; libssl3t64 is libssl)."""
    p = re.sub(r"t64$", "", pkg)
    return re.sub(r"-?\d[\d.-]*$", "", p)


def os_codename():
    for line in common.read("/etc/os-release").splitlines():
        if line.startswith("VERSION_CODENAME="):
            return line.split("=", 1)[1].strip('"')
    return ""


class Dockerfile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stages = stages()

    def test_two_stages_on_bookworm(self):
        self.assertEqual([s[0] for s in self.stages], ["build", "runtime"])
        self.assertEqual(self.stages[0][1], "debian:bookworm")
        self.assertIn(self.stages[1][1], ("debian:bookworm", "debian:bookworm-slim"))

    def test_build_stage_builds_as_ci_does(self):
        body = self.stages[0][2]
        self.assertRegex(body, r"RUN scripts/install-deps --build\b")
        self.assertNotIn("apt-get install", body, "packages must come from install-deps")
        # The configure line of scripts/test.
        ci = re.search(r"^cmake -S \. -B build (-DCMAKE_BUILD_TYPE=\S+)", common.read(
            "scripts", "test"), re.M)
        self.assertIsNotNone(ci)
        self.assertIn("cmake -S . -B build " + ci.group(1), body)
        self.assertIn("--target gwsync", body)

    def test_runtime_stage_holds_only_the_binary_and_runs_as_non_root(self):
        body = self.stages[1][2]
        copies = re.findall(r"^COPY\s+(.*)$", body, re.M)
        self.assertEqual(copies, ["--from=build /gwsync /usr/local/bin/gwsync"])
        user = re.findall(r"^USER\s+(\S+)", body, re.M)
        self.assertEqual(len(user), 1)
        self.assertRegex(user[0], r"^[1-9]\d*:[1-9]\d*$", "a numeric non-root uid:gid")
        self.assertIn('ENTRYPOINT ["/usr/local/bin/gwsync"]', body)
        self.assertIn("--no-install-recommends", body)
        self.assertIn("rm -rf /var/lib/apt/lists/*", body)

    def test_dockerignore_keeps_build_trees_and_git_out(self):
        ignored = common.read(".dockerignore").split()
        for p in (".git", "build*", ".deps"):
            self.assertIn(p, ignored)

    def test_runtime_packages_match_the_binarys_libraries(self):
        installed = apt_installs(self.stages[1][2])
        self.assertEqual(len(installed), len(set(installed)), "a package is listed twice")
        dpkg = Dpkg()
        libs = ldd_libraries(common.BIN)
        owners = packages_of(libs.values())
        lib_pkgs = {lib: owners[path] for lib, path in libs.items()}
        direct = {lib_pkgs[s] for s in needed(common.BIN)}
        base = dpkg.closure(dpkg.base_roots)

        # The image is bookworm; on another release (Ubuntu 24.04) the same
        # libraries carry other ABI suffixes, so names are compared without.
        same_release = os_codename() == "bookworm"
        norm = (lambda p: p) if same_release else normalize
        declared = {norm(p) for p in installed}
        host_for = {}       # the host's package for a (normalized) name
        for p in [*sorted(set(lib_pkgs.values())), *sorted(dpkg.deps)]:
            host_for.setdefault(norm(p), p)

        # Missing: a library's package neither installed nor pulled in.
        provided = dpkg.closure({host_for[d] for d in declared if d in host_for}) | base
        missing = sorted({p for p in lib_pkgs.values() if p not in provided})
        self.assertEqual(missing, [], "the runtime stage lacks packages of ldd libraries")
        for p in declared:
            self.assertIn(p, host_for, "%s is no package installed here" % p)

        # Unneeded: a package the binary does not link directly.
        wanted = {norm(p) for p in direct - base} | set(DATA_PACKAGES)
        unneeded = sorted(declared - wanted)
        self.assertEqual(unneeded, [], "the runtime stage installs packages gwsync does "
                                       "not link (direct libraries: %s)" % sorted(direct))
        self.assertEqual(sorted(wanted - declared), [], "direct libraries' packages missing")


if __name__ == "__main__":
    unittest.main()
