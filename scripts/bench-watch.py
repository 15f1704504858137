#!/usr/bin/env python3
"""`daw watch` on the ~300 MB bench project: save -> commit latency, RSS and CPU while idle, peak RSS
while committing. docs/BENCHMARKS.md ("watch") records a run.

    cargo build --release
    scripts/bench-watch.py [--bin target/release/daw] [--work /tmp/daw-bench-watch] [--saves 25]
                           [--idle-minutes 10] [--debounce 2s]

The project is /work/shared/bench/make_project.py's (Michelle.als: 4.1 MB gzip, 16.5 MB of XML; 300 MB
of recordings), committed once with `daw commit` before the watch starts (default Argon2id, 64 MiB).
The saves are a chain of seeded edits of the set (/work/shared/bench/edit_als.py, seed 100000 + i as
bench.py's plan), each written to a temporary file and renamed over the set as Live saves; they are
made once and kept in --work/plan.

Phases, one `daw watch --json` process throughout:
1. start-up: from `watching` until its first look at the project is over, then --start-idle seconds
   idle (RSS sampled each second).
2. saves: --saves saves, one after the other: a save, then its autosave event, then a pause of 1 s.
   Latency: from the moment the rename returned (the save is complete) to the moment the
   `autosave` line was read from watch's stdout (watch prints it after the commit's operation is
   written: the commit is visible to `daw log`). CPU: watch's utime + stime over the same span (a
   figure that does not depend on what else the machine runs, unlike the latency). Peak RSS: VmHWM, reset (clear_refs 5) before the
   first save, and VmRSS sampled every 10 ms.
3. idle: --idle-minutes with no change to the project: VmRSS sampled each second (min, median,
   max), CPU time (utime + stime of /proc/PID/stat, all threads) at the start and at the end.
"""
import argparse, json, os, queue, shutil, statistics, subprocess, sys, threading, time
from pathlib import Path

BENCH = Path("/work/shared/bench")
sys.path.insert(0, str(BENCH))
import edit_als  # noqa: E402
import make_project  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--bin", default="target/release/daw")
ap.add_argument("--work", default="/tmp/daw-bench-watch")
ap.add_argument("--saves", type=int, default=25)
ap.add_argument("--idle-minutes", type=float, default=10)
ap.add_argument("--start-idle", type=float, default=60, help="seconds idle before the first save")
ap.add_argument("--debounce", default="2s")
ap.add_argument("--smaps", help="write /proc/PID/smaps at the end of the idle phase to this file")
a = ap.parse_args()

daw = str(Path(a.bin).resolve())
work = Path(a.work)
plan, project = work / "plan", work / "project"
env = dict(os.environ, DAW_PASSPHRASE="bench-watch", DAW_NO_AGENT="1")
env.pop("DAW_AGENT", None)
CLK = os.sysconf("SC_CLK_TCK")


def say(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# The plan: the project and the chain of edited sets, made once.
song = None
if not (plan / "done").exists():
    shutil.rmtree(plan, ignore_errors=True)
    plan.mkdir(parents=True)
    say("making the project (300 MB) and the saves")
    info = make_project.build(plan / "project", quiet=True)
    song = f"{info['song']}.als"
    prev = plan / "project" / song
    for i in range(1, a.saves + 1):
        dst = plan / f"save-{i:04d}.als"
        edit_als.edit_file(prev, dst, seed=100_000 + i, kind="random")
        prev = dst
    (plan / "song").write_text(song)
    (plan / "done").write_text(str(a.saves))
song = (plan / "song").read_text()
if int((plan / "done").read_text()) < a.saves:
    raise SystemExit(f"{plan} holds fewer saves than {a.saves}: remove it to make more")
saves = [(plan / f"save-{i:04d}.als").read_bytes() for i in range(1, a.saves + 1)]

shutil.rmtree(project, ignore_errors=True)
shutil.copytree(plan / "project", project)
for argv in (["init", "-q"], ["commit", "-q", "-m", "Start"]):
    subprocess.run([daw, *argv], cwd=project, env=env, check=True, stdout=subprocess.DEVNULL)
subprocess.run(["sync"], check=True)

proc = subprocess.Popen([daw, "watch", "--json", "--debounce", a.debounce], cwd=project, env=env,
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
pid = proc.pid
events = queue.Queue()


def read_events():
    for line in proc.stdout:
        events.put((time.monotonic(), json.loads(line)))


threading.Thread(target=read_events, daemon=True).start()


def status():
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        k, _, v = line.partition(":")
        fields[k] = v.strip()
    return fields


def kib(field):
    return int(status()[field].split()[0])


def cpu_seconds():
    stat = Path(f"/proc/{pid}/stat").read_text()
    rest = stat[stat.rindex(")") + 2:].split()
    return (int(rest[11]) + int(rest[12])) / CLK  # utime, stime (fields 14, 15)


def next_event(kind, timeout):
    deadline = time.monotonic() + timeout
    while True:
        t, e = events.get(timeout=max(0.0, deadline - time.monotonic()))
        if e["event"] == "error":
            say(f"watch: {e}")
        if e["event"] == kind:
            return t, e


def idle(seconds):
    """RSS samples (KiB) each second for `seconds`, and the CPU seconds spent meanwhile."""
    rss, cpu0, end = [], cpu_seconds(), time.monotonic() + seconds
    while time.monotonic() < end:
        rss.append(kib("VmRSS"))
        time.sleep(1)
        while not events.empty():
            say(f"event while idle: {events.get()[1]}")
    return rss, cpu_seconds() - cpu0


def debounce_seconds(text):
    for unit, scale in (("ms", 0.001), ("min", 60), ("m", 60), ("s", 1)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * scale
    return float(text)


def mb(k):
    return f"{k / 1024:.1f} MB"


def rss_line(samples):
    return (f"min {mb(min(samples))}, median {mb(statistics.median(samples))}, max {mb(max(samples))}"
            f" ({len(samples)} samples)")


next_event("watching", 60)
# Its first look at the project (every file pending) ends in a commit that finds nothing changed.
time.sleep(debounce_seconds(a.debounce) + 5)
say(f"start-up idle, {a.start_idle:.0f} s")
start_rss, start_cpu = idle(a.start_idle)
start_hwm = kib("VmHWM")

say(f"{a.saves} saves")
Path(f"/proc/{pid}/clear_refs").write_text("5")
sampled_peak = 0
stop_sampling = threading.Event()


def sample():
    global sampled_peak
    while not stop_sampling.is_set():
        try:
            sampled_peak = max(sampled_peak, kib("VmRSS"))
        except (FileNotFoundError, ProcessLookupError):
            return
        time.sleep(0.01)


sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
latencies, cpu_per_save = [], []
set_path = project / song
load_at_saves = os.getloadavg()[0]
for i, data in enumerate(saves, 1):
    tmp = project / f".{song}.saving"
    tmp.write_bytes(data)
    cpu0 = cpu_seconds()
    os.replace(tmp, set_path)
    saved = time.monotonic()
    t, e = next_event("autosave", 120)
    latencies.append(t - saved)
    cpu_per_save.append(cpu_seconds() - cpu0)
    say(f"save {i}: {t - saved:.3f} s, CPU {cpu_per_save[-1]:.2f} s  {e['message'][:60]}")
    time.sleep(1)
stop_sampling.set()
sampler.join()
commit_hwm = kib("VmHWM")

say(f"idle, {a.idle_minutes:g} min")
idle_rss, idle_cpu = idle(a.idle_minutes * 60)
st = status()
if a.smaps:
    shutil.copyfile(f"/proc/{pid}/smaps", a.smaps)
proc.terminate()
proc.wait(timeout=30)

log = subprocess.run([daw, "log", "--json"], cwd=project, env=env, check=True, capture_output=True)
autosaves = sum(1 for c in json.loads(log.stdout) if c.get("autosave"))
fsck = subprocess.run([daw, "fsck"], cwd=project, env=env, capture_output=True, text=True)

print(f"daw watch --debounce {a.debounce}: {daw}")
print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
print(f"save -> commit visible, {len(latencies)} saves: median {statistics.median(latencies):.3f} s, "
      f"min {min(latencies):.3f} s, max {max(latencies):.3f} s")
print(f"  ({' '.join(f'{x:.2f}' for x in latencies)})")
print(f"  load average (1 min) when the saves began: {load_at_saves:.1f}; watch's CPU time per save"
      f" (its look at the files and the commit, all threads): median {statistics.median(cpu_per_save):.2f} s,"
      f" max {max(cpu_per_save):.2f} s")
print(f"autosave commits in the log: {autosaves}; fsck: {'clean' if fsck.returncode == 0 else fsck.stderr}")
print(f"start-up: RSS {rss_line(start_rss)}; CPU {start_cpu:.2f} s in {a.start_idle:.0f} s; "
      f"peak RSS so far (unlock included) {mb(start_hwm)}")
print(f"while committing: peak RSS (VmHWM) {mb(commit_hwm)}, sampled every 10 ms {mb(sampled_peak)}")
print(f"idle {a.idle_minutes:g} min after the saves: RSS {rss_line(idle_rss)}; CPU {idle_cpu:.2f} s "
      f"({100 * idle_cpu / (a.idle_minutes * 60):.3f} %)")
print(f"  at the end: RssAnon {st.get('RssAnon')}, RssFile {st.get('RssFile')}, threads {st.get('Threads')}")
