#!/usr/bin/env python3
"""Bytes, time and memory of every save of the shared benchmark's project, for one daw binary, and a
byte-exact restore of every save (docs/BENCHMARKS.md, "Bytes per save").

    scripts/bench-saves.py --daw-bin target/release/daw --work /tmp/dawsaves \
        [--breakdown-bin target/release/examples/save_bytes] [--restore-all] [--out FILE.json]

The workload is ../shared/bench's plan (the same project and seeded saves as bench.py; made under
WORK/plan on the first run, about 1.5 minutes, and reused). For each save: the edited set (and any take
added or sample deleted) is put in place as an app saves it, then `daw commit` runs under GNU time
(wall, user, sys, peak RSS), and the bytes the repository gained are counted exactly (regular files, as
bench.py counts them). With --breakdown-bin (the `save_bytes` example), each save's bytes are broken
down by part, and the summary gives the median of each part over the `.als`-only saves. With --restore-all, every save is exported (`daw export REV DIR`, timed) and compared
file by file (sha256) with the project as it was committed. Prints a summary; --out keeps everything.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent.parent / "shared" / "bench"
sys.path.insert(0, str(BENCH))
import adapters  # noqa: E402
import bench  # noqa: E402


def timed(argv, cwd, env):
    tfile = Path(tempfile.mkstemp(prefix="bench-saves-time.")[1])
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(tfile), "--"] + argv,
                       cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    last = tfile.read_text().strip().splitlines()[-1].split()
    tfile.unlink()
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return {"wall_s": round(wall, 3), "user_s": float(last[1]), "sys_s": float(last[2]),
            "peak_rss_kb": int(last[3]), "stdout": p.stdout}


_hash_cache: dict = {}


def project_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file daw versions (it leaves out Live's Backup/*.als by design)."""
    out = {}
    for dp, _, fns in os.walk(root):
        for fn in fns:
            p = Path(dp) / fn
            rel = str(p.relative_to(root))
            if rel.startswith("Backup/") and rel.endswith(".als"):
                continue
            st = p.stat()
            key = (rel, st.st_size, st.st_mtime_ns, st.st_ino)
            if key not in _hash_cache:
                h = hashlib.sha256()
                with open(p, "rb") as f:
                    for blk in iter(lambda: f.read(1 << 20), b""):
                        h.update(blk)
                _hash_cache[key] = h.hexdigest()
            out[rel] = _hash_cache[key]
    return out


def plain_hashes(root: Path) -> dict[str, str]:
    out = {}
    for dp, _, fns in os.walk(root):
        for fn in fns:
            p = Path(dp) / fn
            h = hashlib.sha256()
            with open(p, "rb") as f:
                for blk in iter(lambda: f.read(1 << 20), b""):
                    h.update(blk)
            out[str(p.relative_to(root))] = h.hexdigest()
    return out


def breakdown_medians(rows) -> dict:
    """The median of each part of the saves' breakdowns (each part on its own: they need not add up
    to the median total exactly)."""
    parts = sorted({k for r in rows for k in r["breakdown"]["blobs"]})
    out = {}
    for k in parts:
        got = [r["breakdown"]["blobs"].get(k, {}) for r in rows]
        out[k] = {f: statistics.median(g.get(f, 0) for g in got)
                  for f in ("count", "raw", "payload", "envelope")}
        out[k]["total"] = statistics.median(g.get("payload", 0) + g.get("envelope", 0) for g in got)
    b = [r["breakdown"] for r in rows]
    out["pack framing"] = {"count": statistics.median(x["pack_framing"]["count"] for x in b),
                           "total": statistics.median(x["pack_framing"]["envelope"] for x in b)}
    out["index"] = {"total": statistics.median(x["index"] for x in b)}
    out["operation"] = {"total": statistics.median(x["operations"] for x in b)}
    out["total"] = {"total": statistics.median(x["total"] for x in b)}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--daw-bin", required=True, type=Path)
    ap.add_argument("--breakdown-bin", type=Path)
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("--plan", type=Path, help="the plan folder to use (default: WORK/plan)")
    ap.add_argument("--saves", type=int, default=30)
    ap.add_argument("--restore-all", action="store_true")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    daw = str(a.daw_bin.resolve())
    plan_args = argparse.Namespace(als=None, samples=12, sample_mb=300, seed=1, saves=a.saves,
                                   take_mb=30, take_every=10, delete_every=25)
    pdir = a.plan or a.work / "plan"
    plan = bench.prepare_plan(pdir, plan_args)
    song = plan["song_als"]
    run = a.work / "run"
    if run.exists():
        shutil.rmtree(run)
    run.mkdir(parents=True)
    project, repo, state = run / "project", run / "repo", run / "breakdown-state.json"
    shutil.copytree(pdir / "project", project)
    env = {**os.environ, "DAW_PASSPHRASE": adapters.PASSPHRASE, "DAW_DIR": str(repo)}
    env.pop("DAW_AGENT", None)

    def repo_bytes():
        return bench.file_bytes([repo])

    timed([daw, "init"], project, env)
    if a.breakdown_bin:
        subprocess.run([str(a.breakdown_bin), str(repo), str(state)], env=env, check=True,
                       capture_output=True)
    rows = []
    size = repo_bytes()
    steps = [{"save": 0, "edit": {"kind": "initial"}, "add": [], "delete": []}] + plan["steps"]
    for st in steps:
        if st["save"] > 0:
            bench.apply_step(pdir, project, song, st)
        # The message bench.py gives (it is stored in the commit and the operation).
        message = (f"save {st['save']}: {st['edit']['kind']} {st['edit']['target']}" if st["save"]
                   else "save 0: initial project")
        r = timed([daw, "commit", "-m", message], project, env)
        r.pop("stdout")
        new = repo_bytes()
        row = {"save": st["save"], "kind": st["edit"]["kind"],
               "als_only": st["save"] > 0 and not st["add"] and not st["delete"],
               "added_bytes": new - size, **r, "expect": project_hashes(project)}
        size = new
        if a.breakdown_bin:
            p = subprocess.run([str(a.breakdown_bin), str(repo), str(state)], env=env, check=True,
                               capture_output=True, text=True)
            row["breakdown"] = json.loads(p.stdout)
        rows.append(row)
        print(f"save {st['save']:2} {row['kind']:<12} {r['wall_s']:6.2f} s {r['peak_rss_kb'] // 1024:4} MB "
              f"+{row['added_bytes']:>11,} B", file=sys.stderr, flush=True)

    log = subprocess.run([daw, "log", "--json"], cwd=project, env=env, capture_output=True,
                         text=True, check=True).stdout
    try:
        commits = json.loads(log)
    except json.JSONDecodeError:
        commits = [json.loads(line) for line in log.splitlines() if line.strip()]
    ids = [c["id"] for c in reversed(commits)]
    assert len(ids) == len(rows), (len(ids), len(rows))
    if a.restore_all:
        for row, cid in zip(rows, ids):
            target = run / "restore"
            if target.exists():
                shutil.rmtree(target)
            r = timed([daw, "export", cid, str(target)], project, env)
            got = plain_hashes(target)
            row["restore"] = {"wall_s": r["wall_s"], "user_s": r["user_s"], "sys_s": r["sys_s"],
                              "peak_rss_kb": r["peak_rss_kb"], "byte_exact": got == row["expect"]}
            print(f"restore save {row['save']:2}: {r['wall_s']:.2f} s {r['peak_rss_kb'] // 1024} MB "
                  f"byte-exact={got == row['expect']}", file=sys.stderr, flush=True)
            shutil.rmtree(target)

    als_only = [r["added_bytes"] for r in rows if r["als_only"]]
    add_track = [r["added_bytes"] for r in rows if r["als_only"] and r["kind"] == "add-track"]
    summary = {
        "first_commit_s": rows[0]["wall_s"],
        "first_commit_rss_mb": rows[0]["peak_rss_kb"] // 1024,
        "als_only_saves": len(als_only),
        "als_only_median_bytes": statistics.median(als_only),
        "als_only_total_bytes": sum(als_only),
        "add_track_bytes": add_track,
        "save_median_s": statistics.median(r["wall_s"] for r in rows[1:]),
        "commit_peak_rss_mb": max(r["peak_rss_kb"] for r in rows) // 1024,
    }
    if a.restore_all:
        times = [r["restore"]["wall_s"] for r in rows]
        summary.update(
            restore_all_byte_exact=all(r["restore"]["byte_exact"] for r in rows),
            restore_median_s=statistics.median(times), restore_max_s=max(times),
            restore_peak_rss_mb=max(r["restore"]["peak_rss_kb"] for r in rows) // 1024)
    if a.breakdown_bin:
        summary["breakdown_median"] = breakdown_medians([r for r in rows if r["als_only"]])
    print(json.dumps(summary, indent=1))
    if a.out:
        a.out.write_text(json.dumps({"summary": summary, "saves": rows, "ids": ids,
                                     "repo": str(repo), "project": str(project),
                                     "plan": str(pdir.resolve())}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
