#!/usr/bin/env bash
# `daw status` on a large unchanged project, against `git status` and restic's no-change backup of the
# same tree in the same run, and the bytes a commit reads after one Live set changed.
# docs/BENCHMARKS.md ("Status and incremental commit") records a run.
#
#   scripts/bench-status.sh            # WORK=/tmp/daw-bench-status FILES=2400 RUNS=30
#
# Needs python3, git, restic, hyperfine and openssl (apt-get install -y git restic hyperfine openssl);
# uses about 9 GB in $WORK (the project, and a git, a restic and a daw repository of it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${WORK:-/tmp/daw-bench-status}"
files="${FILES:-2400}"
runs="${RUNS:-30}"
project="$work/project"

for tool in python3 git restic hyperfine openssl; do
    command -v "$tool" >/dev/null || { echo "bench-status: $tool is needed" >&2; exit 2; }
done
rm -rf "$work"
mkdir -p "$work/run"
# daw as `cargo build --release` builds it (dynamically linked), kept for comparison, and as shipped
# (static-pie on Linux: scripts/build-release.sh), which the rest of the run uses.
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
cp "$root/target/release/daw" "$work/daw-dynamic"
daw="$("$root/scripts/build-release.sh")"
chmod 700 "$work/run"
# A private agent for this run (stopped at the end), and non-interactive passphrases.
export XDG_RUNTIME_DIR="$work/run"
export DAW_PASSPHRASE=bench RESTIC_PASSWORD=bench
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
trap '"$daw" lock >/dev/null 2>&1 || true' EXIT

# The project: seeded AES-CTR bytes (incompressible, no two files alike, nothing sparse) cut into
# samples, recordings and bounces in folders as Live lays them out, plus Live sets: gzip (Live's
# parameters) of generated XML.
echo "== generating $files files in $project"
cat > "$work/generate.py" <<'PY'
import os, random, struct, sys, zlib

project, count = sys.argv[1], int(sys.argv[2])
stream = sys.stdin.buffer
rng = random.Random(2026)

def write(rel, data):
    path = os.path.join(project, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)

def live_set(tracks, tempo):
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<Ableton MajorVersion="5" MinorVersion="12.0_12049">\n<LiveSet>\n']
    parts.append(f'<MasterTrack><Tempo><Manual Value="{tempo}" /></Tempo></MasterTrack>\n<Tracks>\n')
    for t in range(tracks):
        parts.append(f'<AudioTrack Id="{t}"><Name><EffectiveName Value="Track {t}" /></Name><Clips>\n')
        for c in range(300):
            parts.append(
                f'<AudioClip Id="{c}" Time="{c * 4}"><CurrentStart Value="{c * 4}" />'
                f'<CurrentEnd Value="{c * 4 + rng.randint(1, 8)}" /><Warp Value="{rng.random():.6f}" />'
                f'<SampleRef><FileRef><RelativePath Value="Samples/Imported/s{rng.randint(0, 9999)}.wav" />'
                f'</FileRef></SampleRef></AudioClip>\n')
        parts.append('</Clips></AudioTrack>\n')
    parts.append('</Tracks>\n</LiveSet>\n</Ableton>\n')
    return "".join(parts).encode()

def gzip_live(xml):
    # Live: deflate level 6, memLevel 9, mtime 0, no name, OS byte 3.
    c = zlib.compressobj(6, zlib.DEFLATED, -15, 9)
    body = c.compress(xml) + c.flush()
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + body + struct.pack("<II", zlib.crc32(xml), len(xml) & 0xffffffff)

sets = 12
for i in range(sets):
    write(f"Set {i:02d}.als" if i else "Night Drive.als", gzip_live(live_set(30 + i, 120 + i)))
total = 0
layout = [("Samples/Imported", 0.60, 100_000, 900_000), ("Samples/Recorded", 0.15, 1_000_000, 5_000_000),
          ("Samples/Processed", 0.20, 200_000, 1_000_000), ("Bounces", 0.05, 1_500_000, 3_500_000)]
n = count - sets - 8
for folder, share, lo, hi in layout:
    for i in range(int(n * share)):
        size = rng.randint(lo, hi)
        write(f"{folder}/{'take' if 'Recorded' in folder else 'clip'} {i:04d}.wav", stream.read(size))
        total += size
for i in range(8):
    write(f"Presets/preset {i}.adv", stream.read(4_000))
print(f"{sum(len(fs) for _, _, fs in os.walk(project))} files, {total / 1e9:.2f} GB of audio")
PY
# The bytes come on stdin (so the script is a file, not a here-document); openssl dies of SIGPIPE once
# python3 has read enough, which is expected.
{ openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
    -iv 00000000000000000000000000000000 < /dev/zero 2>/dev/null || true; } |
    python3 "$work/generate.py" "$project" "$files"
du -sh "$project" | sed 's/^/== project size: /'
bytes=$(du -sb "$project" | cut -f1)
[ "$bytes" -ge 2000000000 ] || { echo "bench-status: the project is only $bytes bytes" >&2; exit 1; }

echo "== git add -A && git commit"
git --git-dir="$work/git" --work-tree="$project" init -q
git --git-dir="$work/git" --work-tree="$project" add -A
git --git-dir="$work/git" --work-tree="$project" commit -qm init
echo "== restic backup (first run)"
restic -r "$work/restic" init -q >/dev/null
restic -r "$work/restic" backup -q "$project"
echo "== daw init && daw commit"
"$daw" --daw-dir "$work/daw" init "$project"
"$daw" --daw-dir "$work/daw" -C "$project" commit -m init
sleep 1.2   # files written by the commit's second are re-read once (racy-timestamp rule): let it pass
"$daw" --daw-dir "$work/daw" -C "$project" status

echo "== nothing changed: git and daw $((runs * 10)) runs each, restic $runs"
# hyperfine runs all of one command's runs, then all of the next one's: on a shared host whose speed
# drifts, a few milliseconds' command needs many runs (and the alternation below) to be compared
# fairly. restic after the others: each restic run takes most of a second of CPU and about 100 MB,
# and slows down whatever runs right after it.
hyperfine -N --warmup 20 --runs $((runs * 10)) --export-markdown "$work/status.md" \
    -n "git status" "git --git-dir=$work/git --work-tree=$project status --porcelain" \
    -n "daw status" "$daw --daw-dir $work/daw -C $project status --porcelain" \
    -n "daw status, cargo build --release (dynamically linked)" \
    "$work/daw-dynamic --daw-dir $work/daw -C $project status --porcelain"
hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$work/status-restic.md" \
    -n "restic backup (no change)" "restic -r $work/restic backup -q $project" \
    -n "daw status, DAW_NO_AGENT=1 (Argon2id every run)" \
    "env DAW_NO_AGENT=1 $daw --daw-dir $work/daw -C $project status --porcelain"

# The same two commands alternated run by run, so that a machine that speeds up or slows down
# during the run (shared hosts do) weighs on both alike; hyperfine runs all of one command's runs,
# then all of the other's. Wall times include starting each process from Python, the same for both.
cat > "$work/alternate.py" <<'PY'
import statistics, subprocess, sys, time
runs, commands = int(sys.argv[1]), [c.split("\x1f") for c in sys.argv[2:]]
times = [[] for _ in commands]
for i in range(runs + 10):
    for k, argv in enumerate(commands):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        if i >= 10:  # warm-up
            times[k].append((time.perf_counter() - start) * 1e3)
for argv, t in zip(commands, times):
    q = statistics.quantiles(t, n=4)
    print(f"{statistics.median(t):6.2f} ms median ({q[0]:.2f}-{q[2]:.2f} interquartile)  {argv[0].rsplit('/', 1)[-1]} {argv[-2]} {argv[-1]}")
faster = sum(a > b for a, b in zip(*times)) if len(times) == 2 else 0
if len(times) == 2:
    print(f"the second was faster in {faster} of {runs} alternations")
PY
echo
echo "== nothing changed, git and daw alternated: $((runs * 10)) runs each"
sep=$'\x1f'
python3 "$work/alternate.py" $((runs * 10)) \
    "git${sep}--git-dir=$work/git${sep}--work-tree=$project${sep}status${sep}--porcelain" \
    "$daw${sep}--daw-dir${sep}$work/daw${sep}-C${sep}$project${sep}status${sep}--porcelain"
echo "== the same with daw as cargo build --release builds it (dynamically linked)"
python3 "$work/alternate.py" $((runs * 10)) \
    "git${sep}--git-dir=$work/git${sep}--work-tree=$project${sep}status${sep}--porcelain" \
    "$work/daw-dynamic${sep}--daw-dir${sep}$work/daw${sep}-C${sep}$project${sep}status${sep}--porcelain"

# Bytes each process read through read(2) (rchar, from /proc while it is a zombie: all of it).
cat > "$work/rchar.py" <<'PY'
import os, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
out = p.stdout.read()
os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
io = dict(l.split(": ") for l in open(f"/proc/{p.pid}/io").read().split("\n") if l)
p.wait()
sys.stdout.write(out.decode())
print(f"   -> read(2) total: {int(io['rchar']):,} bytes")
PY
echo
echo "== bytes read with nothing changed"
python3 "$work/rchar.py" git --git-dir="$work/git" --work-tree="$project" status --porcelain
python3 "$work/rchar.py" "$daw" --daw-dir "$work/daw" -C "$project" status --porcelain

echo
echo "== one Live set changed (tempo 120 -> 121), then daw commit"
python3 - "$project/Night Drive.als" <<'PY'
import struct, sys, zlib
path = sys.argv[1]
data = open(path, "rb").read()
xml = zlib.decompress(data[10:], -15).replace(b'<Manual Value="120" />', b'<Manual Value="121" />', 1)
c = zlib.compressobj(6, zlib.DEFLATED, -15, 9)
body = c.compress(xml) + c.flush()
open(path, "wb").write(data[:10] + body + struct.pack("<II", zlib.crc32(xml), len(xml) & 0xffffffff))
print(f"Night Drive.als: {len(data[:10] + body) + 8:,} bytes")
PY
python3 "$work/rchar.py" "$daw" --daw-dir "$work/daw" -C "$project" -v status --short
python3 "$work/rchar.py" "$daw" --daw-dir "$work/daw" -C "$project" commit -m "tempo 121"

echo
cat "$work/status.md" "$work/status-restic.md"
