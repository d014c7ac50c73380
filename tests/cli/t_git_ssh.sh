# ssh: an sshd started here on 127.0.0.1 (skipped, exit 77, only when sshd
# cannot run at all). Fetch, status commit and lease over ssh:// with
# GWSYNC_SSH_KEY_FILE (with and without a passphrase); the host key is
# checked against known_hosts (plain and hashed entries): an unknown host
# or another key is refused before any credential is offered; a key the
# server does not accept is an authentication error naming the key file.
. "$(dirname "$0")/lib.sh"
export HOME="$T/home"
unset GWSYNC_GIT_TOKEN GWSYNC_GIT_TOKEN_FILE SSH_AUTH_SOCK GWSYNC_SSH_KEY_FILE \
    GWSYNC_SSH_KEY_PASSPHRASE GWSYNC_SSH_KNOWN_HOSTS GWSYNC_REF GWSYNC_WORKDIR
mkdir -p "$HOME"

sshd=/usr/sbin/sshd
[ -x "$sshd" ] || { echo "SKIP: $sshd is not installed (scripts/install-deps installs openssh-server)"; exit 77; }
user=$(id -un)

# The server: its own host key, config and authorized keys, all in $T.
mkdir -p "$T/sshd"
ssh-keygen -q -t ed25519 -N "" -f "$T/sshd/host" || exit 1
ssh-keygen -q -t ed25519 -N "" -f "$T/sshd/other_host" || exit 1
ssh-keygen -q -t ed25519 -N "" -C test -f "$T/id" || exit 1
ssh-keygen -q -t ed25519 -N "open sesame" -C test -f "$T/id_pass" || exit 1
ssh-keygen -q -t ed25519 -N "" -C stranger -f "$T/id_stranger" || exit 1
cat "$T/id.pub" "$T/id_pass.pub" >"$T/sshd/authorized_keys"
chmod 600 "$T/sshd/authorized_keys"
ssh_port=$(free_port)
cat >"$T/sshd/config" <<EOC
Port $ssh_port
ListenAddress 127.0.0.1
HostKey $T/sshd/host
AuthorizedKeysFile $T/sshd/authorized_keys
PidFile $T/sshd/pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers $user
EOC
# sshd run by root separates privileges into this directory (the package's
# service creates it; a container may not have it yet).
[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
"$sshd" -D -e -f "$T/sshd/config" 2>"$T/sshd/log" &
stub_pids="$stub_pids $!"
up=""
for _ in $(seq 50); do
    if "$PYTHON3" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
        "$ssh_port" 2>/dev/null; then
        up=1
        break
    fi
    sleep 0.1
done
[ -n "$up" ] || { echo "SKIP: sshd did not start: $(cat "$T/sshd/log")"; exit 77; }

# The repository, and what a client knows about the server.
git init -q --bare -b main "$T/srv/repo.git"
git init -q -b main "$T/seed"
cp -r "$GWSYNC_SOURCE_DIR/examples/repo/." "$T/seed/"
git -C "$T/seed" add -A
git -C "$T/seed" -c user.name=t -c user.email=t@example.com commit -q -m manifests
git -C "$T/seed" push -q "$T/srv/repo.git" main
url="ssh://$user@127.0.0.1:$ssh_port$T/srv/repo.git"
echo "[127.0.0.1]:$ssh_port $(cut -d' ' -f1,2 "$T/sshd/host.pub")" >"$T/known_hosts"
cp "$T/known_hosts" "$T/known_hosts_hashed"
ssh-keygen -q -H -f "$T/known_hosts_hashed" 2>/dev/null
rm -f "$T/known_hosts_hashed.old"
grep -q '^|1|' "$T/known_hosts_hashed" || fail "ssh-keygen -H did not hash"
echo "[127.0.0.1]:$ssh_port $(cut -d' ' -f1,2 "$T/sshd/other_host.pub")" >"$T/known_hosts_other"
echo "other.example $(cut -d' ' -f1,2 "$T/sshd/host.pub")" >"$T/known_hosts_unknown"
mkdir -p "$T/files"
echo "# summary" >"$T/files/SUMMARY.md"

# ---- fetch, status commit and lease with a key file -------------------------
GWSYNC_SSH_KEY_FILE="$T/id" tool publish --repo "$url" --workdir "$T/wd" \
    --ssh-known-hosts "$T/known_hosts" --files "$T/files" --subdir .gwsync/prod \
    --message "over ssh"
expect_code 0 "publish over ssh"
expect_out "^pushed=1" "pushed over ssh"
[ "$(git -C "$T/srv/repo.git" log -1 --format=%s main)" = "over ssh" ] || fail "no commit over ssh"
GWSYNC_SSH_KEY_FILE="$T/id" tool lease --repo "$url" --workdir "$T/wd" \
    --ssh-known-hosts "$T/known_hosts" --name prod --holder h --run-id r --ttl-ms 60000 \
    --wait-ms 0 --release
expect_code 0 "lease over ssh"
expect_out "^released" "lease released over ssh"

# Hashed known_hosts entries, and the CLI's --ssh-known-hosts / its env twin.
GWSYNC_SSH_KEY_FILE="$T/id" run validate --repo "$url" --workdir "$T/wd2" \
    --ssh-known-hosts "$T/known_hosts_hashed"
expect_code 0 "validate over ssh with a hashed known_hosts"
GWSYNC_SSH_KEY_FILE="$T/id" GWSYNC_SSH_KNOWN_HOSTS="$T/known_hosts" run validate --repo "$url" \
    --workdir "$T/wd2"
expect_code 0 "GWSYNC_SSH_KNOWN_HOSTS"
mkdir -p "$HOME/.ssh"
cp "$T/known_hosts" "$HOME/.ssh/known_hosts"
GWSYNC_SSH_KEY_FILE="$T/id" run validate --repo "$url" --workdir "$T/wd2"
expect_code 0 "the default ~/.ssh/known_hosts"
rm "$HOME/.ssh/known_hosts"

# A passphrase-protected key.
GWSYNC_SSH_KEY_FILE="$T/id_pass" GWSYNC_SSH_KEY_PASSPHRASE="open sesame" run validate \
    --repo "$url" --workdir "$T/wd2" --ssh-known-hosts "$T/known_hosts"
expect_code 0 "a key with its passphrase"
GWSYNC_SSH_KEY_FILE="$T/id_pass" GWSYNC_SSH_KEY_PASSPHRASE="wrong sesame" run validate \
    --repo "$url" --workdir "$T/wd2" --ssh-known-hosts "$T/known_hosts"
[ "$code" = 0 ] && fail "a wrong passphrase was accepted"
grep -q "sesame" "$T/err" "$T/out" && fail "the passphrase was printed"

# ---- host keys refused ----------------------------------------------------------
logins=$(grep -c "Accepted publickey" "$T/sshd/log")
for kh in known_hosts_unknown known_hosts_other missing; do
    GWSYNC_SSH_KEY_FILE="$T/id" run validate --repo "$url" --workdir "$T/wd2" \
        --ssh-known-hosts "$T/$kh"
    expect_code 1 "$kh: the host is refused"
    case $kh in
    known_hosts_unknown) expect_err "the ssh host \[127.0.0.1\]:$ssh_port (key SHA256:.*) is not in $T/$kh: refused" \
        "an unknown host is refused" ;;
    known_hosts_other) expect_err "the ssh host key of \[127.0.0.1\]:$ssh_port (SHA256:.*) differs from the key" \
        "another key is refused" ;;
    missing) expect_err "known_hosts file $T/missing" "a missing known_hosts file is refused" ;;
    esac
done
[ "$(grep -c "Accepted publickey" "$T/sshd/log")" = "$logins" ] ||
    fail "a key was offered to a host that was refused: $(cat "$T/sshd/log")"

# ---- a key the server does not accept --------------------------------------------
GWSYNC_SSH_KEY_FILE="$T/id_stranger" run validate --repo "$url" --workdir "$T/wd2" \
    --ssh-known-hosts "$T/known_hosts"
expect_code 8 "a key the server refuses"
expect_err "the credentials offered were rejected: the key of GWSYNC_SSH_KEY_FILE ($T/id_stranger), as user $user" \
    "the message names the key tried"
run validate --repo "$url" --workdir "$T/wd2" --ssh-known-hosts "$T/known_hosts"
expect_code 8 "no key at all"
expect_err "GWSYNC_SSH_KEY_FILE" "the message says how to give a key"

finish
