#!/usr/bin/env python3
"""`daw export HEAD DIR` and `daw clone FOLDER DIR` of the ~300 MB bench project, for several daw binaries,
runs interleaved (the 2-core machine is shared: a quiet or busy minute then falls on every binary alike).
docs/BENCHMARKS.md ("Checkout: files written several at once") records a run.

    scripts/bench-checkout.py [--work /tmp/daw-bench-checkout] [--runs 7] BEFORE_BIN AFTER_BIN ...

The first binary makes the project's repository and pushes it to a folder remote (once per --work);
/work/shared/bench/make_project.py makes the project (Michelle.als, 4.1 MB gzip / 16.5 MB of XML, and
300 MB of recordings). Prints wall time (min, median, max) and the median CPU time (user + system)."""
import argparse, os, shutil, statistics, subprocess, time
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument("--work", default="/tmp/daw-bench-checkout")
ap.add_argument("--runs", type=int, default=7)
ap.add_argument("bins", nargs="+")
a = ap.parse_args()
work = Path(a.work)
project, remote, out = work / "project", work / "remote", work / "out"
env = dict(os.environ, DAW_PASSPHRASE="bench-checkout")
bins = [str(Path(b).resolve()) for b in a.bins]

if not (remote / "config").exists():
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run(["python3", "/work/shared/bench/make_project.py", "--out", str(project)], check=True,
                   stdout=subprocess.DEVNULL)
    for argv in (["init", "-q"], ["commit", "-q", "-m", "bench"], ["remote", "add", "origin", str(remote)],
                 ["push", "origin", "main"]):
        subprocess.run([bins[0], *argv], cwd=project, env=env, check=True, stdout=subprocess.DEVNULL)

wall = {(b, c): [] for c in ("export", "clone") for b in bins}
cpu = {k: [] for k in wall}
for i in range(a.runs):
    for cmd in ("export", "clone"):
        for b in bins if i % 2 == 0 else bins[::-1]:
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run(["sync"], check=True)
            argv = [b, "export", "HEAD", str(out)] if cmd == "export" else [b, "clone", str(remote), str(out)]
            start = time.monotonic()
            p = subprocess.Popen(argv, cwd=project if cmd == "export" else work, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(p.pid, 0)
            wall[(b, cmd)].append(time.monotonic() - start)
            cpu[(b, cmd)].append(usage.ru_utime + usage.ru_stime)
            if status != 0:
                raise SystemExit(f"{' '.join(argv)} failed")
shutil.rmtree(out, ignore_errors=True)
print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
for (b, c), ts in wall.items():
    print(f"{c:6}  {b}\n        wall min {min(ts):.2f} s, median {statistics.median(ts):.2f} s, max {max(ts):.2f} s;"
          f" cpu median {statistics.median(cpu[(b, c)]):.2f} s  ({' '.join(f'{t:.2f}' for t in ts)})")
