#!/usr/bin/env bash
# daw quickstart: versions the demo project in examples/demo-project with a local repository (no
# server): init, commit, an edit, commit, log, show, export of the first version, and a full check.
# Runs in a temporary folder; the demo project in the repository is not touched.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
echo "==> building daw (release, as shipped: scripts/build-release.sh)"
daw="$("$root/scripts/build-release.sh")"

work="$(mktemp -d "${TMPDIR:-/tmp}/daw-quickstart.XXXXXX")"
project="$work/Demo Project"
cp -R "$root/examples/demo-project" "$project"
cd "$project"

# Scripts give the passphrase in the environment; on a terminal daw would ask for it.
export DAW_PASSPHRASE="${DAW_PASSPHRASE:-quickstart demo passphrase}"

run() { echo; echo "\$ daw $*"; "$daw" "$@"; }

run init
run commit -m "First sketch"

echo
echo "==> editing: the set re-saved at 128 BPM, a new sample recorded"
if command -v python3 >/dev/null 2>&1; then
    python3 "$root/examples/make_demo.py" --resave-with-tempo 128 > "Demo Song.als.tmp"
    mv "Demo Song.als.tmp" "Demo Song.als"
fi
mkdir -p "Samples/Recorded"
head -c 2000000 /dev/urandom > "Samples/Recorded/1-Audio 0001.wav"

run commit -m "Faster: 128 BPM, first vocal take"
run log
run show HEAD
run export HEAD~1 "$work/First sketch"
echo
echo "==> the exported first version is byte-identical to the original demo set:"
cmp "$root/examples/demo-project/Demo Song.als" "$work/First sketch/Demo Song.als" && echo "    Demo Song.als: identical"
run fsck --read-data
echo
echo "Done. The project and its repository are in: $project"
