#!/usr/bin/env bash
# Peak RSS and time of the first commit of the bench project, N times, each in a fresh copy with a
# fresh repository, the key from the agent (docs/BENCHMARKS.md, "Memory of a commit").
#
#   scripts/bench-first-commit.sh [DAW_BIN] [N] [PLAN]
set -euo pipefail
bin="$(realpath "${1:-target/release/daw}")"
runs="${2:-5}"
plan="${3:-/tmp/dawsaves/plan}"
work="$(mktemp -d /tmp/daw-bench-first.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export DAW_PASSPHRASE=bench DAW_AGENT=1
for _ in $(seq "$runs"); do
    rm -rf "$work/p"
    cp -r "$plan/project" "$work/p"
    cd "$work/p"
    "$bin" init >/dev/null 2>&1
    /usr/bin/time -f "%M KB  %e s  first commit" "$bin" commit -m first 2>&1 >/dev/null | tail -1
    cd "$work"
done
"$bin" lock >/dev/null 2>&1 || true
