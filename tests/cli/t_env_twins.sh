# Environment twins: GWSYNC_REPO configures --repo; the flag wins over it;
# a bad value in the environment names the variable.
. "$(dirname "$0")/lib.sh"

GWSYNC_REPO="$GWSYNC_SOURCE_DIR/examples/repo" run validate
expect_code 0 "GWSYNC_REPO alone"
expect_out "^validate: 0 errors" "summary line"

GWSYNC_REPO="$T/nowhere" run validate --repo "$GWSYNC_SOURCE_DIR/examples/repo"
expect_code 0 "flag wins over environment"

GWSYNC_REPO="$GWSYNC_SOURCE_DIR/examples/repo" GWSYNC_MAX_FILE_SIZE=abc run validate
expect_code 3 "bad environment value"
expect_err "GWSYNC_MAX_FILE_SIZE" "names the variable"

finish
