#!/usr/bin/env python3
"""Times two daw binaries against each other on the benchmark project, runs interleaved so that a
shared machine's drift weighs on both alike (docs/BENCHMARKS.md, "Bytes per save").

    scripts/bench-compare.py --a daw-before:/tmp/A/out.json --b daw-after:/tmp/B/out.json [--rounds 3]

Each JSON is what `scripts/bench-saves.py --out` wrote for that binary (its repository and project
are still in place). For every round: the first commit of the project (`daw init`, `daw commit` of
save 0 into a fresh repository), then `daw export` of every one of the saves, each checked file by
file (sha256) against the project as it was committed; A and B alternate, in turn first. Before the
rounds, every save of the plan is committed by A and B alternately, each into a fresh repository of
its own (the time of an incremental commit). Prints the
median wall and CPU time (and peak RSS) of each binary for the first commit and for each save's
restore.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import importlib.util  # noqa: E402

spec = importlib.util.spec_from_file_location("bench_saves", HERE / "bench-saves.py")
bs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", required=True, help="BIN:JSON")
    ap.add_argument("--b", required=True, help="BIN:JSON")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scratch", type=Path, default=Path(tempfile.gettempdir()) / "bench-compare")
    a = ap.parse_args()
    sides = {}
    for name, spec_ in (("A", a.a), ("B", a.b)):
        binary, out = spec_.split(":", 1)
        data = json.loads(Path(out).read_text())
        sides[name] = {"bin": str(Path(binary).resolve()), "data": data}
    scratch = a.scratch
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    # Every save of the plan committed by both, alternately, each into its own fresh repository.
    plan = json.loads((Path(sides["A"]["data"]["plan"]) / "plan.json").read_text())
    pdir = Path(sides["A"]["data"]["plan"])
    save_times = {n: [] for n in sides}
    save_cpu = {n: [] for n in sides}
    for n in sides:
        root = scratch / f"saves-{n}"
        shutil.copytree(pdir / "project", root / "project")
        env = {**os.environ, "DAW_PASSPHRASE": bs.adapters.PASSPHRASE, "DAW_DIR": str(root / "repo")}
        bs.timed([sides[n]["bin"], "init"], root / "project", env)
        bs.timed([sides[n]["bin"], "commit", "-m", "save 0"], root / "project", env)
    for k, st in enumerate(plan["steps"]):
        for n in (["A", "B"] if k % 2 == 0 else ["B", "A"]):
            root = scratch / f"saves-{n}"
            env = {**os.environ, "DAW_PASSPHRASE": bs.adapters.PASSPHRASE, "DAW_DIR": str(root / "repo")}
            bs.bench.apply_step(pdir, root / "project", plan["song_als"], st)
            r = bs.timed([sides[n]["bin"], "commit", "-m", f"save {st['save']}"], root / "project", env)
            save_times[n].append(r["wall_s"])
            save_cpu[n].append(r["user_s"] + r["sys_s"])
    for n in sides:
        shutil.rmtree(scratch / f"saves-{n}")
    print("saves committed", file=sys.stderr, flush=True)

    times = {n: {"first": [], "first_cpu": [], "first_rss": [], "restore": {}, "restore_cpu": {},
                 "restore_rss": []} for n in sides}
    for rnd in range(a.rounds):
        order = ["A", "B"] if rnd % 2 == 0 else ["B", "A"]
        for n in order:
            side = sides[n]
            # The first commit: of a fresh copy of the plan's project (save 0).
            fresh = scratch / f"first-{n}"
            shutil.rmtree(fresh, ignore_errors=True)
            plan_project = Path(side["data"]["plan"]) / "project"
            shutil.copytree(plan_project, fresh / "project")
            env = {**os.environ, "DAW_PASSPHRASE": bs.adapters.PASSPHRASE, "DAW_DIR": str(fresh / "repo")}
            bs.timed([side["bin"], "init"], fresh / "project", env)
            r = bs.timed([side["bin"], "commit", "-m", "save 0"], fresh / "project", env)
            times[n]["first"].append(r["wall_s"])
            times[n]["first_cpu"].append(round(r["user_s"] + r["sys_s"], 2))
            times[n]["first_rss"].append(r["peak_rss_kb"])
            shutil.rmtree(fresh)
            print(f"round {rnd} {n}: first commit {r['wall_s']:.2f} s", file=sys.stderr, flush=True)
        for i in range(len(sides["A"]["data"]["ids"])):
            for n in order:
                side = sides[n]
                env = {**os.environ, "DAW_PASSPHRASE": bs.adapters.PASSPHRASE,
                       "DAW_DIR": side["data"]["repo"]}
                target = scratch / f"restore-{n}"
                shutil.rmtree(target, ignore_errors=True)
                r = bs.timed([side["bin"], "export", side["data"]["ids"][i], str(target)],
                             Path(side["data"]["project"]), env)
                expect = side["data"]["saves"][i]["expect"]
                if bs.plain_hashes(target) != expect:
                    sys.exit(f"{n}: save {i} did not restore byte-exact")
                times[n]["restore"].setdefault(i, []).append(r["wall_s"])
                times[n]["restore_cpu"].setdefault(i, []).append(r["user_s"] + r["sys_s"])
                times[n]["restore_rss"].append(r["peak_rss_kb"])
                shutil.rmtree(target)
        print(f"round {rnd}: restores done, all byte-exact", file=sys.stderr, flush=True)
    summary = {}
    for n, t in times.items():
        per_save = {i: statistics.median(v) for i, v in t["restore"].items()}
        cpu = {i: statistics.median(v) for i, v in t["restore_cpu"].items()}
        summary[n] = {
            "bin": sides[n]["bin"],
            "save_commit_median_s": statistics.median(save_times[n]),
            "save_commit_cpu_median_s": round(statistics.median(save_cpu[n]), 3),
            "save_commit_max_s": max(save_times[n]),
            "first_commit_median_s": statistics.median(t["first"]),
            "first_commit_s": t["first"],
            "first_commit_cpu_median_s": statistics.median(t["first_cpu"]),
            "first_commit_peak_rss_mb": max(t["first_rss"]) // 1024,
            "restore_median_of_saves_s": statistics.median(per_save.values()),
            "restore_max_of_saves_s": max(per_save.values()),
            "restore_total_s": round(sum(per_save.values()), 2),
            "restore_cpu_median_of_saves_s": round(statistics.median(cpu.values()), 3),
            "restore_cpu_total_s": round(sum(cpu.values()), 2),
            "restore_peak_rss_mb": max(t["restore_rss"]) // 1024,
            "restore_by_save_s": per_save,
        }
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
