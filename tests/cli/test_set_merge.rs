//! Live sets merged track by track through `daw merge`: seeded pairs of edits on corpus sets made
//! by ../shared/bench/edit_als.py (merged exactly, or stopped on a conflict naming the element),
//! conflicts listed in musical terms and resolved per element, per set or as whole files, the
//! fall-back to a whole-file conflict that says why, the memory a 16 MB set takes, and `kill -9`
//! at any moment of a set merge or a resolve.
//!
//! The seeded test runs `DAW_TEST_SET_MERGE_PAIRS` pairs (default 24; docs/BENCHMARKS.md records
//! runs of 300 and more) on twelve corpus sets, or on every set of the corpus with
//! `DAW_TEST_SET_MERGE_SETS=all`. For each pair one python process (tests/cli/set_merge_pairs.py, importing
//! edit_als) writes the base, both sides and, when the two edits touch different bytes, the
//! expected merge: the base with both edits applied and nothing else. Checked for each pair:
//! - the merged set's XML is the expected XML byte for byte: every region neither edit touched
//!   is the base's, in Live's own layout;
//! - its model (`daw inspect --json`) is the base model with both sides' changes, leaf by leaf;
//! - its musical diff from the base (`daw diff --json`) is the two sides' diffs together;
//! - it is well-formed, track and pointee ids are unique, `NextPointeeId` is above every pointee
//!   id, and every `PointeeId` that resolved in the base resolves (checked here, independently of
//!   daw's own proof);
//! - pairs whose edits touch the same bytes stop on a conflict naming the element in a
//!   producer's words, and choosing either side gives exactly that side's set.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use crate::common::{Run, TestEnv, corpus, tree_digest};

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr))
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

/// `xml` compressed as Live writes sets (level 6, memLevel 9, mtime 0, OS byte 19).
fn live_gzip(xml: &[u8]) -> Vec<u8> {
    use daw::formats::gzip::{DeflateParams, GzipLayout, rebuild};
    let header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 19];
    let layout = GzipLayout::for_payload(&header, DeflateParams::LIVE, xml).unwrap();
    let mut out = Vec::new();
    rebuild(&layout, xml, &mut out).unwrap();
    out
}

fn set_xml(env: &TestEnv, rel: &str) -> Vec<u8> {
    gunzip(&std::fs::read(env.project.join(rel)).unwrap())
}

/// How many seeded pairs: `DAW_TEST_SET_MERGE_PAIRS`, or 24.
fn pair_count() -> usize {
    std::env::var("DAW_TEST_SET_MERGE_PAIRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

/// Live 9 to 12, LF and CRLF, small and large sets.
const SETS: [&str; 12] = [
    "ununu__a.als",
    "dawtool__example-120.als",
    "ununu__merge-parser_b_project.als",
    "abletoolz__11.2.10.als",
    "abletoolz__12.2.6.als",
    "git4daw__test-prod.als",
    "tioxy__als@5d4e0ad.als",
    "abletoolz__11.3.42.als",
    "ununu__drums-midi.als",
    "abletoolz__9.0.1.als",
    "pyableton__test.als",
    "dawtool__automation.als",
];

#[derive(Debug, serde::Deserialize)]
struct Pair {
    dir: PathBuf,
    set: String,
    ours: (String, u64),
    theirs: (String, u64),
    conflict: bool,
    words: String,
}

/// The facts an id check needs, read here without daw's own code.
#[derive(Default)]
struct Ids {
    tracks: Vec<u64>,
    pointees: Vec<u64>,
    next_pointee: Option<u64>,
    refs: BTreeSet<u64>,
}

fn read_ids(xml: &[u8]) -> Result<Ids, String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut ids = Ids::default();
    loop {
        let (e, empty) = match r.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = e.name().as_ref().to_vec();
        let attr = |k: &[u8]| -> Option<u64> {
            e.attributes()
                .flatten()
                .find(|a| a.key.as_ref() == k)
                .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse().ok())
        };
        let depth = stack.len();
        if depth == 3 && stack[1] == b"LiveSet" && stack[2] == b"Tracks" {
            ids.tracks.push(attr(b"Id").ok_or("a track without an Id")?);
        }
        if ((name.ends_with(b"Target") && name != b"Target") || name == b"Pointee")
            && let Some(id) = attr(b"Id")
        {
            ids.pointees.push(id);
        }
        if name == b"PointeeId" {
            ids.refs.extend(attr(b"Value"));
        }
        if depth == 2 && name == b"NextPointeeId" {
            ids.next_pointee = attr(b"Value");
        }
        if !empty {
            stack.push(name);
        }
    }
    if !stack.is_empty() {
        return Err("unclosed elements".into());
    }
    Ok(ids)
}

/// The checks a set Live opens must pass, relative to the base.
fn check_ids(merged: &[u8], base: &[u8]) -> Result<(), String> {
    let m = read_ids(merged)?;
    let b = read_ids(base)?;
    let unique = |v: &[u64]| v.iter().collect::<HashSet<_>>().len() == v.len();
    if !unique(&m.tracks) {
        return Err(format!("track ids repeat: {:?}", m.tracks));
    }
    if !unique(&m.pointees) {
        return Err("pointee ids repeat".into());
    }
    if let (Some(next), Some(max)) = (m.next_pointee, m.pointees.iter().max())
        && next <= *max
    {
        return Err(format!("NextPointeeId {next} is not above {max}"));
    }
    let defined: HashSet<u64> = m.pointees.iter().copied().collect();
    let base_defined: HashSet<u64> = b.pointees.iter().copied().collect();
    for r in &m.refs {
        if !defined.contains(r) && (base_defined.contains(r) || !b.refs.contains(r)) {
            return Err(format!("PointeeId {r} resolves to nothing"));
        }
    }
    Ok(())
}

/// A model (`daw inspect --json`'s `project`) as leaves: path → value, tracks keyed by their id
/// (after `remap`), every other list by position.
fn leaves(
    v: &serde_json::Value,
    path: String,
    remap: &HashMap<u64, u64>,
    out: &mut BTreeMap<String, serde_json::Value>,
) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map {
                match (k.as_str(), x) {
                    ("tracks", serde_json::Value::Array(tracks)) => {
                        for t in tracks {
                            let id = t["id"].as_u64().unwrap_or(u64::MAX);
                            let id = remap.get(&id).copied().unwrap_or(id);
                            let mut t = t.clone();
                            t["id"] = id.into();
                            leaves(&t, format!("{path}/tracks[{id}]"), remap, out);
                        }
                    }
                    _ => leaves(x, format!("{path}/{k}"), remap, out),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                leaves(x, format!("{path}/{i}"), remap, out);
            }
        }
        leaf => {
            out.insert(path, leaf.clone());
        }
    }
}

fn track_ids(model: &serde_json::Value) -> Vec<u64> {
    model["tracks"]
        .as_array()
        .map(|ts| ts.iter().filter_map(|t| t["id"].as_u64()).collect())
        .unwrap_or_default()
}

/// The merged model is the base model with both sides' changes: each leaf is the side's that
/// changed it. The other side's new track that took an id this side's new track also took is
/// compared under the id the merge gives it (the next free one).
fn check_model(
    base: &serde_json::Value,
    ours: &serde_json::Value,
    theirs: &serde_json::Value,
    merged: &serde_json::Value,
) -> Result<(), String> {
    let (b_ids, o_ids, t_ids) = (track_ids(base), track_ids(ours), track_ids(theirs));
    let ours_new: HashSet<u64> = o_ids
        .iter()
        .filter(|i| !b_ids.contains(i))
        .copied()
        .collect();
    let mut next = b_ids
        .iter()
        .chain(&o_ids)
        .chain(&t_ids)
        .max()
        .map_or(0, |m| m + 1);
    let mut remap = HashMap::new();
    for id in t_ids.iter().filter(|i| !b_ids.contains(i)) {
        if ours_new.contains(id) || b_ids.contains(id) {
            remap.insert(*id, next);
            next += 1;
        }
    }
    let flat = |v: &serde_json::Value, r: &HashMap<u64, u64>| {
        let mut out = BTreeMap::new();
        leaves(v, String::new(), r, &mut out);
        out
    };
    let none = HashMap::new();
    let (b, o, t, m) = (
        flat(base, &none),
        flat(ours, &none),
        flat(theirs, &remap),
        flat(merged, &none),
    );
    let paths: BTreeSet<&String> = b
        .keys()
        .chain(o.keys())
        .chain(t.keys())
        .chain(m.keys())
        .collect();
    for p in paths {
        let (bv, ov, tv, mv) = (b.get(p), o.get(p), t.get(p), m.get(p));
        let expected = if ov != bv { ov } else { tv };
        if ov != bv && tv != bv && ov != tv {
            return Err(format!("{p}: both sides changed it ({ov:?}, {tv:?})"));
        }
        if mv != expected {
            return Err(format!(
                "{p}: merged {mv:?}, expected {expected:?} (base {bv:?}, ours {ov:?}, theirs {tv:?})"
            ));
        }
    }
    Ok(())
}

/// The changes of Song.als in a `daw diff --json`, as comparable strings: the words and the track
/// name (which the other side may have renamed) left out.
fn song_changes(diff: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = diff["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["path"] == "Song.als")
        .flat_map(|f| {
            f["project"]["changes"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|mut c| {
            if let Some(o) = c.as_object_mut() {
                o.remove("text");
                o.remove("track");
            }
            c.to_string()
        })
        .collect();
    out.sort();
    out
}

fn inspect(env: &TestEnv, file: &Path) -> serde_json::Value {
    let r = env.run(&["inspect", "--json", file.to_str().unwrap()]);
    json(r.ok())["project"]["Ableton"].clone()
}

/// One seeded pair through the binary; `Err` says what was wrong.
fn run_pair(p: &Pair) -> Result<(), String> {
    let read = |f: &str| std::fs::read(p.dir.join(f)).map_err(|e| format!("{f}: {e}"));
    let (base, ours, theirs) = (read("base.als")?, read("ours.als")?, read("theirs.als")?);
    let env = TestEnv::new();
    env.write("Song.als", &base);
    env.init();
    let base_id = env.commit("base");
    env.run(&["switch", "-c", "laptop"]).ok();
    env.write("Song.als", &theirs);
    env.run(&["commit", "-m", "on the laptop"]).ok();
    env.run(&["switch", "main"]).ok();
    env.write("Song.als", &ours);
    env.run(&["commit", "-m", "in the studio"]).ok();
    let r = env.run(&["merge", "laptop", "--json"]);
    let v = json(&r);
    if p.conflict {
        if r.status != 2 || v["outcome"] != "conflicts" {
            return Err(format!("expected a conflict, got {}", r.stdout));
        }
        let c = &v["conflicts"][0];
        let elements = c["set"]["elements"].as_array().cloned().unwrap_or_default();
        let said: Vec<String> = elements
            .iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    e["name"].as_str().unwrap_or(""),
                    e["detail"].as_str().unwrap_or("")
                )
            })
            .collect();
        if c["path"] != "Song.als" || said.is_empty() || !said.iter().any(|s| s.contains(&p.words))
        {
            return Err(format!(
                "the conflict does not name the element ({}): {said:?}",
                p.words
            ));
        }
        env.run(&["resolve", "Song.als", "--theirs"]).ok();
        if set_xml(&env, "Song.als") != gunzip(&theirs) {
            return Err(
                "choosing theirs for every element did not give the other side's set".into(),
            );
        }
        env.run(&["resolve", "Song.als", "--ours"]).ok();
        if set_xml(&env, "Song.als") != gunzip(&ours) {
            return Err("choosing ours for every element did not give this side's set".into());
        }
        env.run(&["merge", "--continue"]).ok();
        return Ok(());
    }
    if r.status != 0
        || v["outcome"] != "merged"
        || v["sets_merged"] != serde_json::json!(["Song.als"])
    {
        return Err(format!(
            "expected a clean merge inside the set, got {}{}",
            r.stdout, r.stderr
        ));
    }
    let merged = set_xml(&env, "Song.als");
    let expected = read("expected.xml")?;
    if merged != expected {
        let at = merged
            .iter()
            .zip(&expected)
            .position(|(a, b)| a != b)
            .unwrap_or(merged.len().min(expected.len()));
        let show = |x: &[u8]| {
            String::from_utf8_lossy(&x[at.saturating_sub(200)..(at + 200).min(x.len())])
                .into_owned()
        };
        return Err(format!(
            "merged XML differs from the expected at byte {at}:\n--- merged\n{}\n--- expected\n{}",
            show(&merged),
            show(&expected)
        ));
    }
    check_ids(&merged, &gunzip(&base))?;
    let models = [
        inspect(&env, &p.dir.join("base.als")),
        inspect(&env, &p.dir.join("ours.als")),
        inspect(&env, &p.dir.join("theirs.als")),
        inspect(&env, &env.project.join("Song.als")),
    ];
    check_model(&models[0], &models[1], &models[2], &models[3])?;
    let diff = |a: &str, b: &str| song_changes(&json(env.run(&["diff", "--json", a, b]).ok()));
    let mut both = diff(&base_id, "HEAD~1");
    both.extend(diff(&base_id, "laptop"));
    both.sort();
    let merged_diff = diff(&base_id, "HEAD");
    if merged_diff != both {
        return Err(format!(
            "musical diff of the merge {merged_diff:?}, the two sides' {both:?}"
        ));
    }
    let st = json(env.run(&["status", "--json"]).ok());
    if st["clean"] != true {
        return Err(format!("not clean after the merge: {st}"));
    }
    Ok(())
}

#[test]
fn set_merge_seeded_pairs_merge_exactly_or_stop_on_a_conflict_naming_the_element() {
    let Some(c) = corpus() else { return };
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench");
    if !bench.join("edit_als.py").is_file()
        || Command::new("python3").arg("--version").output().is_err()
    {
        eprintln!("edit_als.py or python3 not found: seeded set-merge test skipped");
        return;
    }
    let want = pair_count();
    let tmp = tempfile::tempdir().unwrap();
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/set_merge_pairs.py");
    // `DAW_TEST_SET_MERGE_SETS=all`: every set of the corpus instead of the twelve above.
    let sets: Vec<String> = match std::env::var("DAW_TEST_SET_MERGE_SETS").as_deref() {
        Ok("all") => {
            let mut all: Vec<String> = std::fs::read_dir(c.join("als"))
                .unwrap()
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".als"))
                .collect();
            all.sort();
            all
        }
        _ => SETS.iter().map(|s| s.to_string()).collect(),
    };
    let out = Command::new("python3")
        .arg(&driver)
        .arg(&bench)
        .arg(c.join("als"))
        .arg(tmp.path())
        .args([
            "--pairs",
            &want.to_string(),
            "--seed",
            "2026",
            "--sets",
            &sets.join(","),
        ])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "set_merge_pairs.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pairs: Vec<Pair> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("pair JSON"))
        .collect();
    assert_eq!(pairs.len(), want);
    let queue = Mutex::new(pairs.iter());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some(p) = queue.lock().unwrap().next() {
                    if let Err(why) = run_pair(p) {
                        failures.lock().unwrap().push(format!(
                            "{} (ours {:?}, theirs {:?}; {}): {why}",
                            p.set,
                            p.ours,
                            p.theirs,
                            p.dir.display()
                        ));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    let conflicts = pairs.iter().filter(|p| p.conflict).count();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for p in &pairs {
        *kinds
            .entry(format!("{}+{}", p.ours.0, p.theirs.0))
            .or_default() += 1;
    }
    eprintln!(
        "set merge: {} pairs ({} merged, {} conflicts), {} wrong; kinds {kinds:?}",
        pairs.len(),
        pairs.len() - conflicts,
        conflicts,
        failures.len()
    );
    if !failures.is_empty() {
        // Keep the pairs for a look.
        let kept = tmp.keep();
        panic!(
            "{} of {} pairs went wrong (pairs kept in {}):\n{}",
            failures.len(),
            pairs.len(),
            kept.display(),
            failures.join("\n")
        );
    }
}

// ------------------------------------------------------------------ conflicts, by hand

/// The text of `xml` with the first `from` after the first `after` replaced by `to`.
fn edit_after(xml: &str, after: &str, from: &str, to: &str) -> String {
    let start = xml.find(after).unwrap_or_else(|| panic!("no {after}"));
    let at = start
        + xml[start..]
            .find(from)
            .unwrap_or_else(|| panic!("no {from}"));
    format!("{}{to}{}", &xml[..at], &xml[at + from.len()..])
}

/// The set's tempo (the main track's) with `digit` put before its value.
fn tempo_edit(xml: &str, digit: &str) -> String {
    let main = xml
        .find("<MasterTrack>")
        .or_else(|| xml.find("<MainTrack>"))
        .expect("main track");
    let tempo = main + xml[main..].find("<Tempo>").expect("tempo");
    let at =
        tempo + xml[tempo..].find("<Manual Value=\"").expect("manual") + "<Manual Value=\"".len();
    format!("{}{digit}{}", &xml[..at], &xml[at..])
}

/// dawtool's example set (Live 10, one audio track '1-divineboys-v1', four clips) with a tempo,
/// a track name and one clip's name.
fn example(tempo: &str, track: &str, clip: (&str, &str)) -> String {
    let c = corpus().unwrap();
    let xml = String::from_utf8(gunzip(
        &std::fs::read(c.join("als/dawtool__example-120.als")).unwrap(),
    ))
    .unwrap();
    let mut x = xml;
    if tempo != "120" {
        x = edit_after(
            &x,
            "<Tempo>",
            "<Manual Value=\"119.999992\" />",
            &format!("<Manual Value=\"{tempo}\" />"),
        );
        x = edit_after(
            &x,
            "<PointeeId Value=\"8\" />",
            "Time=\"-63072000\" Value=\"120\"",
            &format!("Time=\"-63072000\" Value=\"{tempo}\""),
        );
    }
    if !track.is_empty() {
        x = edit_after(
            &x,
            "<AudioTrack Id=\"14\">",
            "<EffectiveName Value=\"1-divineboys-v1\" />",
            &format!("<EffectiveName Value=\"{track}\" />"),
        );
        x = edit_after(
            &x,
            "<AudioTrack Id=\"14\">",
            "<UserName Value=\"\" />",
            &format!("<UserName Value=\"{track}\" />"),
        );
    }
    if !clip.0.is_empty() {
        x = edit_after(
            &x,
            &format!("<AudioClip Id=\"{}\"", clip.0),
            "<Name Value=\"divineboys-v1\" />",
            &format!("<Name Value=\"{}\" />", clip.1),
        );
    }
    x
}

/// base → ours (tempo 128, track 'Lead', clip 0 'Intro') and theirs (tempo 125, track 'Vox',
/// clip 2 'Outro'): two elements changed on both sides, two clips changed on one side each.
fn two_conflicts() -> Option<(TestEnv, String, [String; 3])> {
    corpus()?;
    let base = example("120", "", ("", ""));
    let ours = example("128", "Lead", ("0", "Intro"));
    let theirs = example("125", "Vox", ("2", "Outro"));
    let env = TestEnv::new();
    env.write("Song.als", &live_gzip(base.as_bytes()));
    env.write("Notes.txt", b"ideas\n");
    env.init();
    env.commit("base");
    env.run(&["switch", "-c", "laptop"]).ok();
    env.write("Song.als", &live_gzip(theirs.as_bytes()));
    env.commit("on the laptop");
    env.run(&["switch", "main"]).ok();
    env.write("Song.als", &live_gzip(ours.as_bytes()));
    let ours_id = env.commit("in the studio");
    Some((env, ours_id, [base, ours, theirs]))
}

#[test]
fn set_merge_conflicts_are_named_musically_and_resolved_element_by_element() {
    let Some((env, ours_id, [_, ours, theirs])) = two_conflicts() else {
        return;
    };
    let before = tree_digest(&env.project);
    let r = env.run_code(&["merge", "laptop"], 2);
    assert!(r.stdout.contains("Song.als: merged inside; 2 elements changed on both sides; theirs is in 'Song (from laptop).als'"), "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "        1. Track '1-divineboys-v1': renamed 'Lead' on main, 'Vox' on laptop"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("        2. Tempo: 128 on main, 125 on laptop"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("--element 1 --theirs"), "{}", r.stderr);
    // Meanwhile: the merged set with this side's version of both elements and both clip names;
    // the other side's set beside it.
    let merged_ours = example("128", "Lead", ("0", "Intro"));
    let merged_ours = edit_after(
        &merged_ours,
        "<AudioClip Id=\"2\"",
        "<Name Value=\"divineboys-v1\" />",
        "<Name Value=\"Outro\" />",
    );
    assert_eq!(
        String::from_utf8(set_xml(&env, "Song.als")).unwrap(),
        merged_ours
    );
    assert_eq!(
        String::from_utf8(set_xml(&env, "Song (from laptop).als")).unwrap(),
        theirs
    );
    let st = env.run(&["status"]);
    assert!(st.stdout.contains("unresolved: Song.als (merged inside the set; 2 of 2 elements changed on both sides to choose"), "{}", st.stdout);
    assert!(
        st.stdout
            .contains("        2. Tempo: 128 on main, 125 on laptop"),
        "{}",
        st.stdout
    );
    let v = json(env.run(&["status", "--json"]).ok());
    let elements = &v["merge"]["conflicts"][0]["set"]["elements"];
    assert_eq!(elements[1]["key"], "tempo");
    assert_eq!(elements[1]["resolution"], serde_json::Value::Null);

    let c = env.run_code(&["merge", "--continue"], 2);
    assert!(
        c.stderr.contains("1 conflict unresolved: Song.als"),
        "{}",
        c.stderr
    );
    let c = env.run_code(&["resolve", "Song.als", "--element", "Key", "--ours"], 2);
    assert!(
        c.stderr.contains("'Key' is not an element of Song.als"),
        "{}",
        c.stderr
    );
    assert!(c.stderr.contains("2. Tempo"), "{}", c.stderr);
    let c = env.run_code(&["resolve", "Notes.txt", "--ours"], 2);
    assert!(c.stderr.contains("not a conflict"), "{}", c.stderr);

    // Tempo from the laptop; the track's name from here.
    let r = env.run(&["resolve", "Song.als", "--element", "tempo", "--theirs"]);
    r.ok();
    assert!(r.stdout.contains("Chose in Song.als: keeping the other side's version of Tempo; 1 element still to choose."), "{}", r.stdout);
    let st = env.run(&["status"]);
    assert!(
        st.stdout
            .contains("2. Tempo: 128 on main, 125 on laptop (chosen: theirs)"),
        "{}",
        st.stdout
    );
    assert!(
        env.project.join("Song (from laptop).als").exists(),
        "kept until every element is chosen"
    );
    env.run(&["resolve", "Song.als", "-e", "1", "--ours"]).ok();
    assert!(!env.project.join("Song (from laptop).als").exists());
    let expected = edit_after(
        &example("125", "Lead", ("0", "Intro")),
        "<AudioClip Id=\"2\"",
        "<Name Value=\"divineboys-v1\" />",
        "<Name Value=\"Outro\" />",
    );
    assert_eq!(
        String::from_utf8(set_xml(&env, "Song.als")).unwrap(),
        expected
    );
    let v = json(env.run(&["merge", "--continue", "--json"]).ok());
    assert_eq!(v["outcome"], "continued");
    assert_eq!(v["conflicts"][0]["resolution"], "by_element");
    let st = json(env.run(&["status", "--json"]).ok());
    assert_eq!(st["clean"], true, "{st}");
    let log = json(env.run(&["log", "--json", "-n", "1"]).ok());
    assert_eq!(log[0]["parents"][0], ours_id.as_str());
    let out = env.tmp.path().join("export");
    env.run(&["export", "HEAD", out.to_str().unwrap()]).ok();
    assert_eq!(tree_digest(&out), tree_digest(&env.project));
    env.run(&["fsck", "--read-data"]).ok();
    // Undo takes it all back.
    env.run(&["undo"]).ok();
    assert_eq!(tree_digest(&env.project), before);
    assert_eq!(String::from_utf8(set_xml(&env, "Song.als")).unwrap(), ours);
}

#[test]
fn set_merge_resolved_for_the_whole_set_or_as_whole_files_and_aborted() {
    let Some((env, ours_id, [_, ours, theirs])) = two_conflicts() else {
        return;
    };
    let ours_file = std::fs::read(env.project.join("Song.als")).unwrap();
    env.write(
        "Notes.txt",
        b"an uncommitted change the merge does not touch\n",
    );
    let before = tree_digest(&env.project);
    env.run_code(&["merge", "laptop"], 2);
    // Every element from the laptop; both clip names kept.
    env.run(&["resolve", "Song.als", "--theirs"]).ok();
    let expected = edit_after(
        &example("125", "Vox", ("0", "Intro")),
        "<AudioClip Id=\"2\"",
        "<Name Value=\"divineboys-v1\" />",
        "<Name Value=\"Outro\" />",
    );
    assert_eq!(
        String::from_utf8(set_xml(&env, "Song.als")).unwrap(),
        expected
    );
    // Whole files: this side's set exactly, then both sets side by side.
    env.run(&["resolve", "Song.als", "--whole", "--ours"]).ok();
    assert_eq!(
        std::fs::read(env.project.join("Song.als")).unwrap(),
        ours_file
    );
    env.run(&["resolve", "Song.als", "--both"]).ok();
    assert_eq!(String::from_utf8(set_xml(&env, "Song.als")).unwrap(), ours);
    assert_eq!(
        String::from_utf8(set_xml(&env, "Song (from laptop).als")).unwrap(),
        theirs
    );
    let c = env.run_code(
        &["resolve", "Song.als", "--element", "1", "--whole", "--ours"],
        2,
    );
    assert!(c.stderr.contains("cannot be used with"), "{}", c.stderr);
    // Back to choosing inside the set, then abort: exactly the files before.
    env.run(&["resolve", "Song.als", "--element", "2", "--theirs"])
        .ok();
    let a = env.run(&["merge", "--abort"]);
    a.ok();
    assert_eq!(tree_digest(&env.project), before);
    assert_eq!(env.head_id(), ours_id);
    let st = json(env.run(&["status", "--json"]).ok());
    assert_eq!(st["merge"], serde_json::Value::Null);
    // `daw undo` of a merge in progress, after choices inside the set: an abort too.
    env.run_code(&["merge", "laptop"], 2);
    env.run(&["resolve", "Song.als", "--element", "1", "--theirs"])
        .ok();
    env.run(&["undo"]).ok();
    assert_eq!(tree_digest(&env.project), before);
    assert_eq!(
        json(env.run(&["status", "--json"]).ok())["merge"],
        serde_json::Value::Null
    );
    env.run(&["fsck", "--read-data"]).ok();
}

#[test]
fn set_merge_falls_back_to_a_whole_file_conflict_and_says_why() {
    if corpus().is_none() {
        return;
    }
    let base = example("120", "", ("", ""));
    let ours = example("128", "", ("", ""));
    // The laptop saved the set with a newer Live: another set format.
    let theirs = example("120", "Vox", ("", "")).replacen(
        "MinorVersion=\"10.0_377\" SchemaChangeCount=\"3\" Creator=\"Ableton Live 10.1.7\"",
        "MinorVersion=\"11.0_433\" SchemaChangeCount=\"3\" Creator=\"Ableton Live 11.0\"",
        1,
    );
    let env = TestEnv::new();
    env.write("Song.als", &live_gzip(base.as_bytes()));
    env.init();
    env.commit("base");
    env.run(&["switch", "-c", "laptop"]).ok();
    env.write("Song.als", &live_gzip(theirs.as_bytes()));
    env.commit("on the laptop");
    env.run(&["switch", "main"]).ok();
    env.write("Song.als", &live_gzip(ours.as_bytes()));
    env.commit("in the studio");
    let r = env.run_code(&["merge", "laptop"], 2);
    assert!(
        r.stdout
            .contains("    Song.als: changed on both sides; theirs is in 'Song (from laptop).als'"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("        (not merged inside the set: the set was saved by Ableton Live 10.1.7 on main and by Ableton Live 11.0 on laptop, whose set formats differ)"), "{}", r.stdout);
    let v = json(env.run(&["status", "--json"]).ok());
    let conflict = &v["merge"]["conflicts"][0];
    assert_eq!(conflict["set"], serde_json::Value::Null);
    assert!(
        conflict["whole_file_reason"]
            .as_str()
            .unwrap()
            .contains("set formats differ")
    );
    let e = env.run_code(&["resolve", "Song.als", "--element", "1", "--ours"], 2);
    assert!(
        e.stderr
            .contains("was not merged inside the set (the set was saved by"),
        "{}",
        e.stderr
    );
    env.run(&["resolve", "Song.als", "--theirs"]).ok();
    assert_eq!(
        String::from_utf8(set_xml(&env, "Song.als")).unwrap(),
        theirs
    );
    env.run(&["merge", "--continue"]).ok();
}

/// A 16 MB set (livedb's Michelle) merged inside stays within the memory every daw command is
/// held to (common::MAX_RSS_KIB, checked by `TestEnv::run`).
#[test]
fn set_merge_of_a_16_mb_set_stays_within_the_memory_bound() {
    let Some(c) = corpus() else { return };
    let xml = String::from_utf8(gunzip(
        &std::fs::read(c.join("als/livedb__Michelle.als")).unwrap(),
    ))
    .unwrap();
    assert!(xml.len() > 16_000_000);
    let ours = xml.replacen(
        "<EffectiveName Value=\"",
        "<EffectiveName Value=\"Renamed ",
        1,
    );
    let theirs = tempo_edit(&xml, "1");
    let env = TestEnv::new();
    env.write("Song.als", &live_gzip(xml.as_bytes()));
    env.init();
    env.commit("base");
    env.run(&["switch", "-c", "laptop"]).ok();
    env.write("Song.als", &live_gzip(theirs.as_bytes()));
    env.commit("on the laptop");
    env.run(&["switch", "main"]).ok();
    env.write("Song.als", &live_gzip(ours.as_bytes()));
    env.commit("in the studio");
    let v = json(env.run(&["merge", "laptop", "--json"]).ok());
    assert_eq!(v["sets_merged"], serde_json::json!(["Song.als"]));
    let merged = String::from_utf8(set_xml(&env, "Song.als")).unwrap();
    let expected = tempo_edit(&ours, "1");
    assert!(merged == expected, "the merged 16 MB set is not both edits");
}

// ------------------------------------------------------------------ kill -9

/// `kill -9` at many moments of a set merge that stops on conflicts, of a resolve inside the
/// set and of the merge commit (`--continue`): afterwards the files and the repository are as before the command, or the merge is in
/// progress and can be finished (or, interrupted while starting, aborted); `fsck --read-data` finds
/// nothing wrong, and the merge made afterwards is exactly right.
#[test]
fn set_merge_killed_at_any_moment_is_undone_or_resumable() {
    let Some(c) = corpus() else { return };
    // A large set makes the merge take long enough to be cut at many points.
    let xml = String::from_utf8(gunzip(
        &std::fs::read(c.join("als/my5t3ry__20170428.als")).unwrap(),
    ))
    .unwrap();
    let ours = tempo_edit(&xml, "1");
    let theirs = tempo_edit(&xml, "2");
    let theirs = theirs.replacen(
        "<EffectiveName Value=\"",
        "<EffectiveName Value=\"Laptop ",
        1,
    );
    let ours_gz = live_gzip(ours.as_bytes());
    let expected_theirs_tempo = theirs.clone();
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for round in 0..8 {
        let env = TestEnv::new();
        env.write("Song.als", &live_gzip(xml.as_bytes()));
        env.write(
            "Stems/a.wav",
            &crate::common::pseudo_random(round, 3_000_000),
        );
        env.init();
        env.commit("base");
        env.run(&["switch", "-c", "laptop"]).ok();
        env.write("Song.als", &live_gzip(theirs.as_bytes()));
        env.write(
            "Stems/b.wav",
            &crate::common::pseudo_random(round + 100, 3_000_000),
        );
        env.commit("on the laptop");
        env.run(&["switch", "main"]).ok();
        env.write("Song.als", &ours_gz);
        let ours_id = env.commit("in the studio");
        let before = tree_digest(&env.project);
        let kill_after = |env: &TestEnv, args: &[&str], ms: u64| {
            let mut child = env
                .cmd(args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(std::time::Duration::from_millis(ms));
            let _ = child.kill();
            let _ = child.wait();
        };
        kill_after(&env, &["merge", "laptop"], next() % 900);
        env.run(&["fsck", "--read-data"]).ok();
        let st = json(env.run(&["status", "--json"]).ok());
        match st["merge"]["phase"].as_str() {
            None => {
                assert_eq!(
                    tree_digest(&env.project),
                    before,
                    "round {round}: no merge, files as before"
                );
                assert_eq!(env.head_id(), ours_id);
                env.run_code(&["merge", "laptop"], 2);
            }
            Some("interrupted") => {
                env.run(&["merge", "--abort"]).ok();
                assert_eq!(tree_digest(&env.project), before, "round {round}");
                env.run_code(&["merge", "laptop"], 2);
            }
            Some(_) => {}
        }
        // In progress: a resolve killed at any moment, then run again, finishes.
        kill_after(
            &env,
            &["resolve", "Song.als", "--element", "Tempo", "--theirs"],
            next() % 700,
        );
        env.run(&["fsck", "--read-data"]).ok();
        env.run(&["resolve", "Song.als", "--theirs"]).ok();
        // The commit killed at any moment: still in progress (run it again), or made.
        kill_after(&env, &["merge", "--continue"], next() % 500);
        env.run(&["fsck", "--read-data"]).ok();
        let st = json(env.run(&["status", "--json"]).ok());
        if !st["merge"].is_null() {
            env.run(&["merge", "--continue"]).ok();
        }
        let log = json(env.run(&["log", "--json", "-n", "1"]).ok());
        assert_eq!(
            log[0]["parents"][0],
            ours_id.as_str(),
            "round {round}: the merge commit"
        );
        assert_eq!(
            String::from_utf8(set_xml(&env, "Song.als")).unwrap(),
            expected_theirs_tempo,
            "round {round}: both elements the laptop's"
        );
        assert!(env.project.join("Stems/b.wav").exists());
        assert_eq!(json(env.run(&["status", "--json"]).ok())["clean"], true);
        env.run(&["fsck", "--read-data"]).ok();
    }
}

/// README, "Working together": two producers share a folder remote; each changes the same set in
/// Live (one the tempo, the other a track's name and a clip), the second to push pulls with
/// `--merge`, the set is merged inside, and the merge goes up for the first to pull.
#[test]
fn set_merge_two_producers_one_remote_pull_merge_and_push() {
    if corpus().is_none() {
        return;
    }
    let base = example("120", "", ("", ""));
    let env = TestEnv::new();
    env.write("Song.als", &live_gzip(base.as_bytes()));
    env.init();
    env.commit("base");
    let remote = env.tmp.path().join("shared remote");
    env.run(&["remote", "add", "origin", remote.to_str().unwrap()])
        .ok();
    env.run(&["push"]).ok();
    let home = env.tmp.path().join("home copy");
    env.run(&["clone", remote.to_str().unwrap(), home.to_str().unwrap()])
        .ok();
    let at_home = |args: &[&str]| {
        let mut full = vec!["-C", home.to_str().unwrap()];
        full.extend_from_slice(args);
        env.run(&full)
    };
    // At home: tempo 128, pushed first.
    std::fs::write(
        home.join("Song.als"),
        live_gzip(example("128", "", ("", "")).as_bytes()),
    )
    .unwrap();
    at_home(&["commit", "-m", "faster"]).ok();
    at_home(&["push"]).ok();
    // In the studio: a track name and a clip name.
    env.write(
        "Song.als",
        &live_gzip(example("120", "Lead", ("1", "Hook")).as_bytes()),
    );
    env.commit("lead and hook");
    let p = env.run_code(&["push"], 2);
    assert!(p.stderr.contains("daw pull"), "{}", p.stderr);
    let p = env.run(&["pull", "--merge"]);
    p.ok();
    assert!(
        p.stdout
            .contains("Song.als: changed on both sides, merged inside the set."),
        "{}",
        p.stdout
    );
    let both = example("128", "Lead", ("1", "Hook"));
    assert_eq!(String::from_utf8(set_xml(&env, "Song.als")).unwrap(), both);
    env.run(&["push"]).ok();
    at_home(&["pull"]).ok();
    assert_eq!(
        String::from_utf8(gunzip(&std::fs::read(home.join("Song.als")).unwrap())).unwrap(),
        both
    );
    at_home(&["fsck", "--read-data"]).ok();
    env.run(&["fsck", "--read-data"]).ok();
}

/// A merged set laid out by `daw resolve` is named by the merge state alone; a `daw gc` run
/// before `merge --continue` sweeps what nothing else holds. The merge commit must still name only
/// blobs the repository has.
#[test]
fn set_merge_continue_after_a_gc_names_no_swept_blob() {
    let Some((env, _, _)) = two_conflicts() else {
        return;
    };
    env.run_code(&["merge", "laptop"], 2);
    env.run(&["resolve", "Song.als", "--element", "1", "--theirs"])
        .ok();
    env.run(&["resolve", "Song.als", "--element", "2", "--theirs"])
        .ok();
    env.run(&["gc", "--grace", "0"]).ok();
    env.run(&["merge", "--continue"]).ok();
    env.run(&["fsck", "--read-data"]).ok();
    let expected = edit_after(
        &example("125", "Vox", ("0", "Intro")),
        "<AudioClip Id=\"2\"",
        "<Name Value=\"divineboys-v1\" />",
        "<Name Value=\"Outro\" />",
    );
    std::fs::remove_file(env.project.join("Song.als")).unwrap();
    env.run(&["restore", "Song.als"]).ok();
    assert_eq!(
        String::from_utf8(set_xml(&env, "Song.als")).unwrap(),
        expected
    );
}
