#!/usr/bin/env bash
# A CI job for a daw project: commit what the job was given, verify the whole repository, tag the new
# commit and export the tagged version into a folder (to upload, render or archive).
#
#   DAW_PASSPHRASE_FILE=/run/secrets/daw examples/ci-export-tag.sh PROJECT_DIR TAG OUT_DIR
#
# No prompt ever: the passphrase comes from DAW_PASSPHRASE, DAW_PASSPHRASE_FILE or
# DAW_PASSPHRASE_COMMAND (without one daw exits 2 instead of asking). Exit codes are daw's: 1 when fsck
# found damage, 2 for a user error (a tag that exists already, say), 3 for a storage failure.
# Needs `daw` on PATH (or DAW=/path/to/daw) and python3 to read daw's JSON.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 PROJECT_DIR TAG OUT_DIR" >&2
    exit 2
fi
project="$1" tag="$2" out="$3"
daw="${DAW:-daw}"
export DAW_NO_AGENT=1 # a CI job leaves no key agent behind

# `json FIELD` reads one field of the JSON object on stdin.
json() { python3 -c 'import json, sys; v = json.load(sys.stdin)[sys.argv[1]]; print("" if v is None else v)' "$1"; }

# 1. Record the project as the job found it. `commit --json` says what it made, so the job needs no
#    `daw log` after it; "commit" is null when nothing changed since the last commit.
result="$("$daw" -C "$project" commit -m "CI: ${CI_COMMIT_MESSAGE:-build $tag}" --json)"
commit="$(json commit <<<"$result")"
if [ -z "$commit" ]; then
    commit="$("$daw" -C "$project" log -n 1 --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')"
    echo "nothing changed; tagging the last commit ${commit:0:12}"
else
    echo "committed ${commit:0:12}: $(json files <<<"$result") files," \
        "$(json bytes_read <<<"$result") bytes read, $(json bytes_stored <<<"$result") stored"
fi

# 2. Verify every stored byte before anything leaves the machine (exit 1 on damage stops the job).
"$daw" -C "$project" fsck --read-data

# 3. Tag that commit and export the tagged version (byte-exact, or the export fails).
"$daw" -C "$project" tag -m "CI ${CI_PIPELINE_ID:-local}" "$tag" "$commit"
"$daw" -C "$project" export "$tag" "$out"
echo "exported $tag to $out"
