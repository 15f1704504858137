#!/usr/bin/env bash
# Peak RSS of daw's commands on the bench project, the key from the agent (docs/BENCHMARKS.md,
# "Memory of a commit"). Needs the plan of ../shared/bench made once (scripts/bench-saves.py or
# bench.py make it; default /tmp/dawsaves/plan) and GNU time.
#
#   scripts/bench-memory.sh [DAW_BIN] [PLAN]
set -euo pipefail
bin="$(realpath "${1:-target/release/daw}")"
plan="${2:-/tmp/dawsaves/plan}"
work="$(mktemp -d /tmp/daw-bench-memory.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cp -r "$plan/project" "$work/p"
cd "$work/p"
export DAW_PASSPHRASE=bench DAW_AGENT=1
rss() { /usr/bin/time -f "%M KB  %e s  daw $*" "$bin" "$@" 2>&1 >/dev/null | tail -1; }
rss init
rss status
rss commit -m first
for i in 1 2 3 4 5; do
    cp "$plan/als/save-000$i.als" "$work/p/Michelle.als"
    rss commit -m "save $i"
done
rss log
rss diff HEAD~1 HEAD
rss export HEAD "$work/out"
rss fsck --read-data
rss stats
rss gc --grace 0
"$bin" lock >/dev/null 2>&1 || true
