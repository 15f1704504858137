#!/usr/bin/env python3
"""Seeded pairs of edits to Live sets, for the set-merge test (tests/cli/test_set_merge.rs).

    set_merge_pairs.py EDIT_ALS_DIR CORPUS_DIR OUT_DIR --pairs N [--seed S] [--sets A,B,...]

For each pair: a corpus set (the base), one edit for "ours" and one for "theirs" (every sixth pair
the same kind on both sides, so that some pairs touch the same element), each made by
../shared/bench/edit_als.py's own edit functions with its own seed and kind (tempo, rename,
clip-move, add-track, device-param), so each side is exactly what `edit_als.py --seed --kind`
writes. Writes OUT_DIR/NNN/{base,ours,theirs}.als (gzip as Live writes it) and, when the two edits
touch different bytes of the base, OUT_DIR/NNN/expected.xml: the base with both edits applied,
which is what a correct merge must produce byte for byte. When both sides add a track, the other
side's new track is expected under the next free track id with its pointee ids shifted above this
side's, and NextPointeeId above them all (docs/FORMAT.md, "Live sets merged track by track").
Prints one JSON object per pair (a line each): its folder, set, kinds, seeds, whether the edits
overlap (then the merge must stop on a conflict naming the element) and the element's words.

One python process makes every pair: importing edit_als once is what keeps the test quick.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

KINDS = ("tempo", "rename", "clip-move", "add-track", "device-param")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("edit_als_dir")
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--pairs", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sets", default="")
    a = ap.parse_args()
    sys.path.insert(0, a.edit_als_dir)
    import edit_als  # noqa: E402
    import livegz  # noqa: E402

    sets = [s for s in a.sets.split(",") if s]
    rng = random.Random(a.seed)
    out = Path(a.out)
    bases = {}
    for s in sets:
        xml, _ = livegz.read_als(str(Path(a.corpus) / s))
        text = xml.decode("utf-8", "surrogateescape")
        bases[s] = (xml, text, edit_als.feasible_kinds(edit_als.LiveSet(text)))

    def edit(text: str, kind: str, seed: int):
        ls = edit_als.LiveSet(text)
        reps, desc = edit_als.EDITS[kind](ls, random.Random(seed))
        return ls, reps, desc

    made = 0
    attempts = 0
    while made < a.pairs and attempts < a.pairs * 20:
        attempts += 1
        name = sets[made % len(sets)]
        xml, text, kinds = bases[name]
        ko, kt = rng.choice(kinds), rng.choice(kinds)
        if made % 6 == 5:
            kt = ko  # every sixth pair: the same kind of edit on both sides, often the same element
        so, st = rng.randrange(1, 1_000_000), rng.randrange(1, 1_000_000)
        try:
            ls, reps_o, desc_o = edit(text, ko, so)
            _, reps_t, desc_t = edit(text, kt, st)
        except edit_als.EditError:
            continue
        ours = edit_als.apply_replacements(text, reps_o)
        theirs = edit_als.apply_replacements(text, reps_t)
        if ours == theirs or ours == text or theirs == text:
            continue
        overlap = any(
            (o[0] < t[1] and t[0] < o[1]) or (o[0] == o[1] == t[0] == t[1])
            for o in reps_o for t in reps_t
        )
        both_add = ko == "add-track" and kt == "add-track"
        expected = None
        if both_add:
            expected = both_added(edit_als, ls, text, reps_o, reps_t)
            overlap = False
        elif not overlap:
            expected = edit_als.apply_replacements(text, reps_o + reps_t)
        d = out / f"{made:04d}"
        d.mkdir(parents=True, exist_ok=True)
        for f, body in (("base", text), ("ours", ours), ("theirs", theirs)):
            data = livegz.live_gzip(body.encode("utf-8", "surrogateescape"))
            (d / f"{f}.als").write_bytes(data)
        if expected is not None:
            (d / "expected.xml").write_bytes(expected.encode("utf-8", "surrogateescape"))
        print(json.dumps({
            "dir": str(d), "set": name, "ours": [ko, so], "theirs": [kt, st],
            "conflict": overlap, "words": words(ko, desc_o, text, reps_o) if overlap else "",
        }))
        made += 1
    return 0 if made == a.pairs else 1


def words(kind: str, desc: dict, text: str, reps) -> str:
    """What the conflict must say: the element's name in a producer's words."""
    if kind == "tempo":
        return "Tempo"
    if kind == "rename":
        return "renamed"
    if kind == "clip-move":
        return "clip"
    if kind == "device-param":
        return "parameter"
    return ""


def both_added(edit_als, ls, text: str, reps_o, reps_t) -> str:
    """Both sides added a track: ours as it is; theirs with a fresh track id and its new pointee
    ids shifted above ours; NextPointeeId above all of them."""
    ins_o = [r for r in reps_o if r[0] == r[1]][0]
    ins_t = [r for r in reps_t if r[0] == r[1]][0]
    base_next = ls.next_pointee[2] if ls.next_pointee else None
    pointee_ids = [int(m.group(2)) for m in edit_als._POINTEE_DEF.finditer(text)]
    if base_next is None:
        base_next = max(pointee_ids, default=0) + 1
    n_o = len(edit_als._POINTEE_DEF.findall(ins_o[2]))
    n_t = len(edit_als._POINTEE_DEF.findall(ins_t[2]))
    shift = n_o if n_o > 0 and n_t > 0 else 0
    track_ids = [t[1] for t in ls.tracks]
    new_o = int(re.search(r' Id="(\d+)"', ins_o[2]).group(1))
    new_t = int(re.search(r' Id="(\d+)"', ins_t[2]).group(1))
    taken = set(track_ids) | {new_o}
    renumber = new_t in taken
    fresh = max(track_ids + [new_o, new_t]) + 1

    def move(m):
        n = int(m.group(2))
        return f'<{m.group(1)} Id="{n + shift if n >= base_next else n}"'

    body = edit_als._POINTEE_DEF.sub(move, ins_t[2])
    body = edit_als._POINTEE_REF.sub(
        lambda m: '<PointeeId Value="%d" />' % (int(m.group(1)) + shift
                                                if int(m.group(1)) >= base_next
                                                else int(m.group(1))),
        body)
    if renumber:
        body = re.sub(r'^(\s*<\w+) Id="%d"' % new_t, r'\1 Id="%d"' % fresh, body, count=1)
    reps = [ins_o, (ins_t[0], ins_t[1], body)]
    if ls.next_pointee:
        s, e, _ = ls.next_pointee
        reps.append((s, e, str(base_next + n_o + n_t)))
    return edit_als.apply_replacements(text, reps)


if __name__ == "__main__":
    sys.exit(main())
