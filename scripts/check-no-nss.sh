#!/usr/bin/env bash
# Checks that daw, run as shipped (the static-pie from scripts/build-release.sh), never makes glibc
# load its NSS modules: a static binary cannot load them safely from another glibc, so user, group
# and host name lookups must never reach glibc (docs/ARCHITECTURE.md, "The shipped binary"). The
# code is linked all the same, so only what daw does at run time can show it; this runs a day's
# commands under strace, with HOME unset (std would ask the password database for it) and a remote
# named by host name (`localhost`, which only a resolver can turn into an address), and fails on any
# open of /etc/nsswitch.conf, /etc/passwd, /etc/group, gai.conf or a libnss_* library.
#
#   scripts/check-no-nss.sh DAW S3_SERVER
#
# DAW: the binary to check; S3_SERVER: the test S3 server (`cargo build --example s3_server`,
# target/debug/examples/s3_server). Needs strace; where it cannot trace (no ptrace in a container,
# say) the check says so and passes.
set -euo pipefail
daw="$(realpath "$1")"
server="$(realpath "$2")"
if ! command -v strace >/dev/null || ! strace -f -o /dev/null true 2>/dev/null; then
    echo "check-no-nss: strace cannot trace here; skipped"
    exit 0
fi
work="$(mktemp -d)"
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/s3/bucket" "$work/project" "$work/state"
"$server" "$work/s3" >"$work/server.out" 2>&1 &
pid=$!
for _ in $(seq 100); do
    grep -q '^listening on ' "$work/server.out" && break
    sleep 0.1
done
port="$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.out")"
[ -n "$port" ] || { echo "check-no-nss: the S3 server did not start" >&2; cat "$work/server.out" >&2; exit 1; }

# The tests' keys (tests/cli/common/s3.rs); the seen records in a folder of this run, as HOME is unset.
export AWS_ACCESS_KEY_ID=daw-test-access-key AWS_SECRET_ACCESS_KEY=daw-test-secret-key-0123456789
export DAW_PASSPHRASE=check DAW_NO_AGENT=1 DAW_STATE_DIR="$work/state" GIT_CONFIG_NOSYSTEM=1
unset HOME
trace="$work/trace"
run() {
    strace -f -A -qq -e trace=open,openat -o "$trace" "$daw" "$@" >/dev/null
}
cd "$work/project"
printf 'a session\n' >notes.txt
run init
run commit -m first
printf 'a second session\n' >>notes.txt
run status
run diff
run commit -m second
run log
run branch demo
run switch demo
run export HEAD "$work/export"
run fsck
run remote add origin s3://bucket/album --endpoint "http://localhost:$port"
run push origin main
run clone s3://bucket/album "$work/clone" --endpoint "http://localhost:$port"
cmp notes.txt "$work/clone/notes.txt"

# The check means something only if a host name was resolved: hickory reads /etc/hosts itself.
if ! grep -q '"/etc/hosts"' "$trace"; then
    echo "check-no-nss: no command read /etc/hosts: the remote's host name was not resolved by daw" >&2
    exit 1
fi
if grep -E 'nsswitch\.conf|/etc/passwd|/etc/group|gai\.conf|libnss_' "$trace"; then
    echo "check-no-nss: daw went through glibc's NSS (above); a static daw must not" >&2
    exit 1
fi
echo "check-no-nss: $(grep -c . "$trace") opens traced, none through glibc's NSS"
