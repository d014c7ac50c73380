#!/bin/sh
# SUMMARY.md diagrams through Mermaid's own parser: writes the report of the
# hostile repository beside this script and of every golden repository with
# report_sample, then runs mermaid-check.mjs on them. The mermaid and jsdom npm
# packages are installed once into a cache outside the repository
# ($GWSYNC_NPM_CACHE, default ~/.cache/gwsync); node_modules is never committed.
# Exits 77 (reported by ctest as skipped) with the reason when Node.js or npm
# is missing or the packages cannot be installed; the structural check in
# tests/unit/test_report_summary.c runs regardless.
set -eu
MERMAID=mermaid@11.17.2
JSDOM=jsdom@26.1.0

skip() {
	echo "SKIPPED: Mermaid parser check not run: $*" >&2
	echo "SKIPPED: (the structural diagram check in unit__test_report_summary still ran)" >&2
	exit 77
}

command -v node >/dev/null 2>&1 || skip "node is not installed (scripts/install-deps installs npm, which brings Node.js)"
command -v npm >/dev/null 2>&1 || skip "npm is not installed (run scripts/install-deps)"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || skip "Node.js $major is too old for $MERMAID (18 or newer needed)"

here=$(cd "$(dirname "$0")" && pwd)
src=${GWSYNC_SOURCE_DIR:?}
sample=${REPORT_SAMPLE:?REPORT_SAMPLE must point at the report_sample program}

cache=${GWSYNC_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gwsync}/mermaid-check-${MERMAID#mermaid@}
if [ ! -f "$cache/node_modules/mermaid/package.json" ] || [ ! -f "$cache/node_modules/jsdom/package.json" ]; then
	mkdir -p "$(dirname "$cache")"
	tmp=$(mktemp -d "$cache.tmp.XXXXXX")
	echo '{"private": true}' >"$tmp/package.json"
	if ! (cd "$tmp" && npm install --no-audit --no-fund --loglevel=error "$MERMAID" "$JSDOM" >"$tmp/npm.log" 2>&1); then
		tail -5 "$tmp/npm.log" >&2
		rm -rf "$tmp"
		skip "npm could not install $MERMAID and $JSDOM (no registry access?)"
	fi
	# Another run may have finished first; either copy is complete.
	if ! mv -T "$tmp" "$cache" 2>/dev/null; then
		rm -rf "$tmp"
	fi
fi
cp "$here/mermaid-check.mjs" "$cache/"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/hostile"
"$sample" "$here/hostile" "$work/hostile" --online >/dev/null
set -- "$work/hostile/.gwsync/demo/SUMMARY.md"
for case_dir in "$src"/tests/golden/*/; do
	[ -d "$case_dir/repo" ] || continue
	name=$(basename "$case_dir")
	mkdir -p "$work/$name"
	"$sample" "$case_dir/repo" "$work/$name" --online >/dev/null
	set -- "$@" "$work/$name/.gwsync/demo/SUMMARY.md"
done
nl='
'
node "$cache/mermaid-check.mjs" \
	--expect 'Service default/svc|"x":80' \
	--expect 'header X-Q: a"b|c]<d>&`e`' \
	--expect 'query q=%%{init: {"theme":"dark"}}%%' \
	--expect "line1${nl}line2 \`\`\`js <script>alert(1)</script> #35;" \
	"$@"
