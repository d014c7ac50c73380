# Usage errors: one line, a hint, exit 3; help and version exit 0.
. "$(dirname "$0")/lib.sh"

run
expect_code 3 "no command"
expect_out "Usage: gwsync <command>" "no command prints help"

run --help
expect_code 0 "--help"
expect_out "Exit codes:" "--help documents exit codes"
expect_out " 4  desired state invalid" "--help lists code 4"

run frobnicate
expect_code 3 "unknown command"
expect_err "unknown command 'frobnicate'" "unknown command message"
expect_err "Try 'gwsync --help'." "hint"
expect_err_lines 2 "unknown command is one line plus a hint"

run validate --repo "$GWSYNC_SOURCE_DIR/examples/repo" --bogus
expect_code 3 "unknown flag"
expect_err "gwsync validate: unknown option '--bogus'" "unknown flag message"
expect_err "Try 'gwsync validate --help'." "subcommand hint"
expect_err_lines 2 "unknown flag is one line plus a hint"

run validate --repo
expect_code 3 "missing value"
expect_err "option '--repo' needs a value" "missing value message"

run validate
expect_code 3 "missing --repo"
expect_err "--repo is required" "missing --repo message"

run validate --repo "$T/nope"
expect_code 3 "repo not a directory"
expect_err "not a directory" "repo not a directory message"

run validate --repo ftp://example.com/x.git
expect_code 3 "unsupported URL scheme"
expect_err "unsupported URL scheme" "unsupported URL scheme message"

run validate --repo "$GWSYNC_SOURCE_DIR/examples/repo" --ref main
expect_code 3 "--ref on a plain directory"
expect_err "needs a git repository" "--ref on a plain directory message"

run validate --repo "$GWSYNC_SOURCE_DIR/examples/repo" --max-file-size 0
expect_code 3 "out of range"
expect_err "out of range" "range message"

run validate --help
expect_code 0 "validate --help"
expect_out "Usage: gwsync validate" "validate usage"
expect_out "env GWSYNC_REPO" "environment twin documented"

run version
expect_code 0 "version"
expect_out "^gwsync [0-9]" "version line"
expect_out "libyaml" "library versions"
expect_out "libxml2" "xml parser version"

run --version
expect_code 0 "--version"

finish
