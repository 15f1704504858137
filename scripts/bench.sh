#!/usr/bin/env bash
# Runs ../shared/bench side by side for daw and its peers (restic, borg, git) on the same 30 saves of
# a generated Ableton project, and prints the summary tables (docs/BENCHMARKS.md records a run).
#
#   scripts/bench.sh [--tools restic,borg,git,daw] [--saves 30] [extra bench.py options…]
#
# Needs python3 and the peers (apt-get install restic borgbackup git). Uses about 3 GB in $WORK.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/../shared/bench"
work="${WORK:-/tmp/dawbench}"
tools="restic,borg,git,daw"
saves=30
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --tools) tools="$2"; shift 2 ;;
        --saves) saves="$2"; shift 2 ;;
        *) extra+=("$1"); shift ;;
    esac
done
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
out="$work/results-$(date -u +%Y%m%dT%H%M%SZ).csv"
mkdir -p "$work"
python3 "$bench/bench.py" --tools "$tools" --daw-bin "$root/target/release/daw" --saves "$saves" \
    --work "$work" --out "$out" "${extra[@]}"
python3 "$bench/summarize.py" "$out" --per-save
echo
echo "CSV: $out"
