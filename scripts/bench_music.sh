#!/usr/bin/env bash
# Measures the musical side of daw (docs/BENCHMARKS.md, "Musical diff and log"):
#   1. `daw diff` between two versions of a corpus set with ~10 MB of XML (my5t3ry__20170428.als),
#      and `daw diff` of the edited work tree against HEAD;
#   2. `daw log` and `daw log --oneline` of a history of 1,000 commits whose summaries name a set.
# Best of 5 runs each, wall time and peak RSS from /usr/bin/time. Needs python3 and ../shared.
#
#   scripts/bench_music.sh [SET] [COMMITS]      (COMMITS=0 skips the log part)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$root/../shared"
set_file="${1:-$shared/corpus/als/my5t3ry__20170428.als}"
commits="${2:-1000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/daw-music-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
daw="$root/target/release/daw"
export DAW_PASSPHRASE="bench passphrase" DAW_TIMESTAMP=1763800000

# best CMD…: prints the best wall time (s) and its peak RSS (MB) of 5 runs.
best() {
    local best_t="" best_m=""
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
        read -r t m <"$work/time"
        if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; best_m=$m; fi
    done
    printf '%s s, %.0f MB peak RSS\n' "$best_t" "$(awk "BEGIN{print $best_m/1024}")"
}

echo "== diff of two versions of $(basename "$set_file")"
p="$work/diff"
mkdir -p "$p"
cp "$set_file" "$p/Song.als" && chmod u+w "$p/Song.als"
xml=$(python3 -c "import gzip,sys; print(len(gzip.open(sys.argv[1]).read()))" "$p/Song.als")
echo "set: $(stat -c %s "$p/Song.als") bytes gzip, $xml bytes XML"
(cd "$p" && "$daw" init -q && "$daw" commit -q -m one 2>/dev/null)
python3 "$shared/bench/edit_als.py" "$p/Song.als" "$work/edited.als" --seed 4 --kind random >/dev/null
mv "$work/edited.als" "$p/Song.als"
echo "passphrase only (daw log -n 1, default Argon2id): $(cd "$p" && best "$daw" log -n 1)"
echo "work tree vs HEAD (daw diff):                    $(cd "$p" && best "$daw" diff)"
(cd "$p" && "$daw" commit -q -m two 2>/dev/null)
echo "two commits (daw diff HEAD~1 HEAD):               $(cd "$p" && best "$daw" diff HEAD~1 HEAD)"
echo "two commits, --raw XML line diff:                 $(cd "$p" && best "$daw" diff --raw HEAD~1 HEAD)"
echo "what it printed:"
(cd "$p" && "$daw" diff HEAD~1 HEAD | sed 's/^/    /')

[ "$commits" -gt 0 ] || exit 0
echo "== log of $commits commits"
p="$work/log"
mkdir -p "$p"
cp "$shared/corpus/als/abledex__test.als" "$p/Song.als" && chmod u+w "$p/Song.als"
(cd "$p" && "$daw" init -q --kdf-memory-kib 256 --kdf-iterations 1 &&
    "$daw" commit -q -m "commit 0" 2>/dev/null)
for i in $(seq 1 $((commits - 1))); do
    if [ $((i % 10)) -eq 0 ]; then
        python3 "$shared/bench/edit_als.py" "$p/Song.als" "$work/edited.als" --seed "$i" --kind random >/dev/null
        mv "$work/edited.als" "$p/Song.als"
    fi
    echo "take $i" >"$p/notes.txt"
    (cd "$p" && DAW_TIMESTAMP=$((1763800000 + i)) "$daw" commit -q -m "commit $i" 2>/dev/null)
done
echo "commits: $(cd "$p" && "$daw" log --oneline | wc -l)"
echo "daw log (cheap key derivation):                   $(cd "$p" && best "$daw" log)"
echo "daw log --oneline:                                $(cd "$p" && best "$daw" log --oneline)"
echo "newest entries:"
(cd "$p" && "$daw" log --oneline -n 3 | sed 's/^/    /')
