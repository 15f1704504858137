//! Diff truth: the musical diff of real save series from the corpus (snapshots whose every
//! line was checked against the files), and of seeded single edits made by
//! `shared/bench/edit_als.py`, where the diff must report exactly the edit and nothing else.

mod formats_common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use daw::formats::{Change, Project, diff, parse_project};
use formats_common::project;

fn check_series(dir: &Path, old: &str, new: &str, expected: &[&str]) {
    let got: Vec<String> = diff(&project(dir, old), &project(dir, new))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(got, expected, "diff {old} → {new}");
    // Diffing a version with itself reports nothing.
    assert!(diff(&project(dir, new), &project(dir, new)).is_empty());
}

/// Rewrite every `<{element} Value="…"` (integers: +7; booleans: flipped) and every `{attr}="n"`.
fn bump(xml: &str, element: &str) -> String {
    let needle = format!("<{element} Value=\"");
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(&needle) {
        let start = at + needle.len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        let value = &rest[start..start + len];
        let new = match value {
            "true" => "false".to_string(),
            "false" => "true".to_string(),
            v => v
                .parse::<i64>()
                .map_or_else(|_| v.to_string(), |n| (n + 7).to_string()),
        };
        out.push_str(&rest[..start]);
        out.push_str(&new);
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

fn renumber(xml: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(prefix) {
        let start = at + prefix.len();
        let len = rest[start..].bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&rest[..start]);
        match rest[start..start + len].parse::<u64>() {
            Ok(n) => out.push_str(&(n + 100_000).to_string()),
            Err(_) => out.push_str(&rest[start..start + len]),
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

#[test]
fn noise_is_never_reported() {
    use std::io::Read;
    let dir = corpus_or_skip!();
    for rel in [
        "als/tioxy__als@5d4e0ad.als",
        "als/dawtool__automation.als",
        "als/polisen__helios [2021-07-31 174903].als",
    ] {
        let gz = std::fs::read(dir.join(rel)).expect("read");
        let mut xml = String::new();
        flate2::read::MultiGzDecoder::new(&gz[..])
            .read_to_string(&mut xml)
            .expect("gunzip");
        let mut noisy = xml.clone();
        for element in [
            "NextPointeeId",
            "OverwriteProtectionNumber",
            "LomId",
            "LomIdView",
            "SelectedDevice",
            "SelectedEnvelope",
            "LastSelectedTimeableIndex",
            "LastSelectedClipEnvelopeIndex",
            "IsExpanded",
            "IsFolded",
            "ShouldShowPresetName",
            "LaneHeight",
            "WinPosX",
            "WinPosY",
            "IsContentSelectedInDocument",
            "ViewStateSesstionTrackWidth",
            "IsArmed",
            "ViewStateArrangerHasDetail",
            "ViewStateSessionHasDetail",
            "ViewStateDetailIsSample",
            "SavedPlayingSlot",
            "TrackUnfolded",
            "CurrentTime",
        ] {
            noisy = bump(&noisy, element);
        }
        // Pointee ids renumbered consistently, as Live does when it compacts them.
        for prefix in [
            "AutomationTarget Id=\"",
            "ModulationTarget Id=\"",
            "<PointeeId Value=\"",
            "<Pointee Id=\"",
        ] {
            noisy = renumber(&noisy, prefix);
        }
        assert_ne!(noisy, xml, "{rel}: the noise edit changed nothing");
        let old =
            Project::Ableton(daw::formats::als::parse_als_xml(xml.as_bytes()).expect("parse"));
        let new = Project::Ableton(
            daw::formats::als::parse_als_xml(noisy.as_bytes()).expect("parse noisy"),
        );
        assert_eq!(diff(&old, &new), Vec::<Change>::new(), "{rel}");
    }
}

// ---------------------------------------------------------------- seeded edits

/// How many edits the seeded test makes: `DAW_SEEDED_EDITS` or 320.
fn edit_count() -> usize {
    std::env::var("DAW_SEEDED_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(320)
}

fn edit_tool(dir: &Path) -> Option<PathBuf> {
    let tool = dir.join("../bench/edit_als.py");
    let python = Command::new("python3").arg("--version").output().is_ok();
    (tool.is_file() && python).then_some(tool)
}

#[derive(Debug)]
struct Edit {
    set: &'static str,
    kind: &'static str,
    seed: u64,
    desc: serde_json::Value,
    diff: Vec<Change>,
}

/// The sets edited: Live 9 to 12, LF and CRLF, small and large.
const SETS: [&str; 11] = [
    "als/ununu__a.als",
    "als/dawtool__example-120.als",
    "als/ununu__merge-parser_b_project.als",
    "als/abletoolz__11.2.10.als",
    "als/abletoolz__12.2.6.als",
    "als/git4daw__test-prod.als",
    "als/tioxy__als@5d4e0ad.als",
    "als/abletoolz__11.3.42.als",
    "als/ununu__drums-midi.als",
    "als/abletoolz__9.0.1.als",
    "als/pyableton__test.als",
];
const KINDS: [&str; 5] = ["tempo", "rename", "clip-move", "add-track", "device-param"];

fn last_segment(key: &str) -> &str {
    let last = key.rsplit('/').next().unwrap_or(key);
    last.split('#').next().unwrap_or(last)
}

/// Check that `edit.diff` is exactly the change `edit.desc` describes; `Err` says why not.
fn verify(edit: &Edit, old: &Project) -> Result<(), String> {
    let d = &edit.desc;
    let field = |k: &str| d[k].as_str().unwrap_or_default().to_string();
    let (target, from, to) = (field("target"), field("old"), field("new"));
    let [change] = edit.diff.as_slice() else {
        return Err(format!("expected one change, got {:?}", edit.diff));
    };
    let Project::Ableton(old) = old else {
        return Err("not a Live set".into());
    };
    match (edit.kind, change) {
        ("tempo", Change::TempoChanged { from: f, to: t }) => {
            let parse = |s: &str| s.parse::<f64>().ok();
            (*f == parse(&from) && *t == parse(&to))
                .then_some(())
                .ok_or(format!("tempo {f:?} → {t:?}, edit {from} → {to}"))
        }
        (
            "rename",
            Change::TrackRenamed {
                kind,
                from: f,
                to: t,
            },
        ) => {
            // target: "MidiTrack 12 name"
            let mut words = target.split(' ');
            let (tag, id) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            let track = old
                .tracks
                .iter()
                .find(|t| t.id.map(|i| i.to_string()).as_deref() == Some(id))
                .ok_or(format!("no track {id}"))?;
            let kind_ok =
                kind.as_str() == track.kind.label() && tag.starts_with(kind_label_tag(kind));
            (kind_ok && *f == track.name && *t == to)
                .then_some(())
                .ok_or(format!(
                    "renamed {kind} {f:?} → {t:?}, edit {target}: {from} → {to}"
                ))
        }
        (
            "clip-move",
            Change::ClipMoved {
                from_beats,
                to_beats,
                ..
            },
        ) if target.contains("(arrangement)") => {
            let delta: f64 = target
                .split("moved ")
                .nth(1)
                .and_then(|s| s.split(' ').next())
                .and_then(|s| s.parse().ok())
                .ok_or(format!("no delta in {target}"))?;
            close_beats(to_beats - from_beats, delta, *to_beats)
                .then_some(())
                .ok_or(format!("moved by {}, edit {target}", to_beats - from_beats))
        }
        (
            "clip-move",
            Change::ClipResized {
                from_beats,
                to_beats,
                ..
            },
        ) if target.contains("(session)") => {
            let delta: f64 = target
                .split("resized ")
                .nth(1)
                .and_then(|s| s.split(' ').next())
                .and_then(|s| s.parse().ok())
                .ok_or(format!("no delta in {target}"))?;
            close_beats(to_beats - from_beats, delta, *to_beats)
                .then_some(())
                .ok_or(format!(
                    "resized by {}, edit {target}",
                    to_beats - from_beats
                ))
        }
        ("add-track", Change::TrackAdded { kind, name }) => {
            // target: "duplicate MidiTrack 12 -> 25"
            let mut words = target.split(' ').skip(1);
            let (tag, id) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            let original = old
                .tracks
                .iter()
                .find(|t| t.id.map(|i| i.to_string()).as_deref() == Some(id))
                .ok_or(format!("no track {id}"))?;
            (*name == original.name
                && kind.as_str() == original.kind.label()
                && tag.starts_with(kind_label_tag(kind)))
            .then_some(())
            .ok_or(format!("added {kind} {name:?}, edit {target}"))
        }
        (
            "device-param",
            Change::DeviceParameterChanged {
                device_key,
                parameter_key,
                from: f,
                to: t,
                ..
            },
        ) => {
            // target: "{parameter element} in {device element}"
            let (param, device) = target
                .split_once(" in ")
                .ok_or(format!("target {target}"))?;
            (last_segment(parameter_key) == param
                && last_segment(device_key) == device
                && *f == from
                && *t == to)
                .then_some(())
                .ok_or(format!(
                    "{device_key} {parameter_key} {f} → {t}, edit {target}: {from} → {to}"
                ))
        }
        _ => Err(format!("{} reported as {change:?}", edit.kind)),
    }
}

/// edit_als.py rewrites clip times with 9 significant digits, so a move of `d` beats measures
/// `d` give or take that rounding.
fn close_beats(measured: f64, delta: f64, magnitude: f64) -> bool {
    (measured - delta).abs() <= 2e-6 + 2e-8 * magnitude.abs()
}

/// The XML element of a track kind label.
fn kind_label_tag(label: &str) -> &'static str {
    match label {
        "Audio track" => "AudioTrack",
        "MIDI track" => "MidiTrack",
        "Group track" => "GroupTrack",
        "Return track" => "ReturnTrack",
        _ => "?",
    }
}

#[test]
fn seeded_edits_are_reported_exactly() {
    let dir = corpus_or_skip!();
    let Some(tool) = edit_tool(&dir) else {
        eprintln!("edit_als.py or python3 not found: seeded-edit test skipped");
        return;
    };
    let want = edit_count();
    let tmp = tempfile::tempdir().expect("temp dir");
    // Jobs: every set × kind × seed, until enough edits were made.
    let mut jobs = Vec::new();
    for seed in 1..=200u64 {
        for set in SETS {
            for kind in KINDS {
                jobs.push((set, kind, seed));
            }
        }
    }
    let originals: Vec<Project> = SETS.iter().map(|s| project(&dir, s)).collect();
    let jobs = Mutex::new(jobs.into_iter());
    let done: Mutex<Vec<Edit>> = Mutex::new(Vec::new());
    let infeasible = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for worker in 0..4 {
            let (jobs, done, infeasible, tool, dir, tmp, originals) = (
                &jobs,
                &done,
                &infeasible,
                &tool,
                &dir,
                tmp.path(),
                &originals,
            );
            scope.spawn(move || {
                loop {
                    if done.lock().expect("lock").len() >= want {
                        return;
                    }
                    let Some((set, kind, seed)) = jobs.lock().expect("lock").next() else {
                        return;
                    };
                    let out = tmp.join(format!("edit-{worker}.als"));
                    let run = Command::new("python3")
                        .arg(tool)
                        .arg(dir.join(set))
                        .arg(&out)
                        .args(["--seed", &seed.to_string(), "--kind", kind])
                        .output()
                        .expect("run edit_als.py");
                    if run.status.code() == Some(2) {
                        *infeasible.lock().expect("lock") += 1; // kind not possible on this set
                        continue;
                    }
                    assert!(
                        run.status.success(),
                        "edit_als.py {set} {kind} {seed}: {run:?}"
                    );
                    let desc: serde_json::Value =
                        serde_json::from_slice(&run.stdout).expect("edit description JSON");
                    let bytes = std::fs::read(&out).expect("read edited set");
                    let edited = parse_project("edited.als", &bytes[..])
                        .unwrap_or_else(|e| panic!("{set} {kind} {seed}: edited set: {e}"));
                    let index = SETS.iter().position(|s| *s == set).expect("set");
                    let changes = diff(&originals[index], &edited);
                    done.lock().expect("lock").push(Edit {
                        set,
                        kind,
                        seed,
                        desc,
                        diff: changes,
                    });
                }
            });
        }
    });
    let edits = done.into_inner().expect("lock");
    let mut failures = Vec::new();
    for edit in &edits {
        let index = SETS.iter().position(|s| *s == edit.set).expect("set");
        if let Err(why) = verify(edit, &originals[index]) {
            failures.push(format!(
                "{} {} seed {}: {why}",
                edit.set, edit.kind, edit.seed
            ));
        }
    }
    let per_kind: Vec<(usize, &str)> = KINDS
        .iter()
        .map(|k| (edits.iter().filter(|e| e.kind == *k).count(), *k))
        .collect();
    eprintln!(
        "seeded edits: {} made ({per_kind:?}), {} infeasible skipped, {} wrong",
        edits.len(),
        infeasible.into_inner().expect("lock"),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} edits misreported:\n{}",
        failures.len(),
        edits.len(),
        failures.join("\n")
    );
    assert!(
        edits.len() >= want,
        "only {} edits could be made",
        edits.len()
    );
    for (n, kind) in per_kind {
        assert!(n * 10 >= edits.len(), "too few {kind} edits: {n}");
    }
}

// ---------------------------------------------------------------- save series
//
// How the lines were checked against the files (XML decompressed, FLP events dumped):
// * Pachabel: pattern numbers/names/note counts per save are (1,-,8) (2,-,12) (3,drums,0) …
//   (7,answer,96) in 3005fa0; 06ff890 inserts an unnamed pattern 3 with 11 notes and 'answer'
//   has 101 notes; 23bf946 names pattern 2 'coda' (13 notes), adds channel 'Trumpet' and
//   patterns bass/horns/drumz 2/sing;ekick. Patterns are paired by name, then by number.
// * PyFLP 20.8.4: the comments differ ("boolean" → "bool"), channel 19 'Zipped' is new; the
//   playlist got an unnamed track on top (names shift by one: not a rename).
// * jFLP: only the tempo event changes (92001 → 91001).
// * tioxy: 1→2 track '1-MIDI' becomes '1-Operator' with an Operator device and a MIDI clip;
//   2→3 the XML differs in view state (SelectedDevice, ClientSize, …: not reported) and two
//   Operator values (FixedFrequencyOn false→true, FixedFrequency 100→240.224915).
// * helios: group track 10 is deleted (its tracks leave the group), track 11 moves to 8, the
//   SNS track's chain was rebuilt (new device Ids 14, 21, 24–27), three tracks are new, the
//   master lost Ozone 9 and an Auto Filter; 'MIDI Bass' clip Id 0 had its velocities set to 127.
// * drums: the MIDI track Id 13 is deleted; two audio tracks take the names of the clips dropped
//   on them; '5-Alert Kit' → '4-Alert Kit' is Live renumbering (not reported). drums.als is a
//   different set from its backups (no track Id in common).
// * Foo: the tempo Manual and its default automation event go 120 → 199.990005.
// * ununu merge-parser: b adds a clip (and its sample) on track 2 and is saved by 10.1.17;
//   c removes it again and adds one on track 3.
#[test]
fn series_pachabel_1_to_2() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "flp/vitamintk__Pachabel@301782d.flp",
        "flp/vitamintk__Pachabel@3005fa0.flp",
        &["Pattern 'answer': notes changed (13 → 96)"],
    );
}

#[test]
fn series_pachabel_2_to_3() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "flp/vitamintk__Pachabel@3005fa0.flp",
        "flp/vitamintk__Pachabel@06ff890.flp",
        &[
            "+ Pattern 'Pattern 3'",
            "Pattern 'answer': notes changed (96 → 101)",
        ],
    );
}

#[test]
fn series_pachabel_3_to_last() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "flp/vitamintk__Pachabel@06ff890.flp",
        "flp/vitamintk__Pachabel@23bf946.flp",
        &[
            "+ Channel 'Trumpet'",
            "Pattern 'Pattern 2' renamed to 'coda'",
            "Pattern 'coda': notes changed (12 → 13)",
            "Pattern 'Pattern 3': notes changed (11 → 12)",
            "+ Pattern 'Pattern 4'",
            "Pattern 'answer': notes changed (101 → 221)",
            "+ Pattern 'bass'",
            "+ Pattern 'horns'",
            "+ Pattern 'drumz 2'",
            "+ Pattern 'sing;ekick'",
        ],
    );
}

#[test]
fn series_pyflp_20_8_4_saves() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "flp/pyflp__FL 20.8.4@8c363ab.flp",
        "flp/pyflp__FL 20.8.4.flp",
        &["Comments changed", "+ Channel 'Zipped'"],
    );
}

#[test]
fn series_jflp_tempo_only() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "flp/jflp__test@9e9509b.flp",
        "flp/jflp__test@61aded5.flp",
        &["Tempo 92.001 → 91.001"],
    );
}

#[test]
fn series_tioxy_1_to_2() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "als/tioxy__als@b1a27f2.als",
        "als/tioxy__als@5d4e0ad.als",
        &[
            "Track '1-MIDI' renamed to '1-Operator'",
            "1-Operator: device 'Operator' added",
            "+ Clip 'MIDI clip' on '1-Operator' at bar 1",
        ],
    );
}

#[test]
fn series_tioxy_2_to_3() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "als/tioxy__als@5d4e0ad.als",
        "als/tioxy__als@d64e0d8.als",
        &[
            "Device 'Operator' on '1-Operator': parameter 'Operator.0/Tune/FixedFrequencyOn' false → true",
            "Device 'Operator' on '1-Operator': parameter 'Operator.0/Tune/FixedFrequency' 100 → 240.224915",
        ],
    );
}

#[test]
fn series_helios_backups() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "als/polisen__helios [2021-07-31 173536].als",
        "als/polisen__helios [2021-07-31 174903].als",
        &[
            "- Group track '10-Group'",
            "Device 'Neutron 3 Equalizer' on '2-SubLab': parameter 'Global Dirty Flag' 0.7543259859 → 0.1234567687",
            "Clip 'MIDI Bass' on '2-SubLab': notes edited (8 notes)",
            "Track '6-SOUTHSIDExPVLACE_150_melodic_loop_amico_Dmin' muted",
            "6-SOUTHSIDExPVLACE_150_melodic_loop_amico_Dmin: plug-in 'OTT' added",
            "Device 'Auto Filter' on '6-SOUTHSIDExPVLACE_150_melodic_loop_amico_Dmin': parameter 'Cutoff' 63.04813 → 64.8930511",
            "Device 'Auto Filter' on '6-SOUTHSIDExPVLACE_150_melodic_loop_amico_Dmin': parameter 'Cutoff' 108.556152 → 126.390373",
            "Device 'Mids_Sides' on '7-RYAN_HEMSWORTH_melody_loop_angel_guitar_02_140_G#min (Freeze)': parameter 'Branches/AudioEffectBranch/MixerDevice/Volume' 0.2951209247 → 0.251188606",
            "Track '8-RYAN_HEMSWORTH_melody_loop_angel_guitar_02_140_G#min' moved from position 11 to 8",
            "Track '8-RYAN_HEMSWORTH_melody_loop_angel_guitar_02_140_G#min' moved out of group '10-Group'",
            "Track '8-RYAN_HEMSWORTH_melody_loop_angel_guitar_02_140_G#min' unmuted",
            "9-LABS: plug-in 'Antresol' removed",
            "Device 'LABS' on '9-LABS': parameter 'Reverb' 0.9052526355 → 0.002255845116",
            "Device 'Maximize' on '9-LABS': parameter 'MacroControls.0' 43 → 67",
            "9-LABS: plug-in 'Godfazer' added",
            "Clip 'MIDI clip' on '9-LABS': notes edited (10 notes)",
            "Track '10-OS_KYO_160_Gm_Top_Floor_Synth_Melody_2' unmuted",
            "10-OS_KYO_160_Gm_Top_Floor_Synth_Melody_2: plug-in 'Frontier' removed",
            "10-OS_KYO_160_Gm_Top_Floor_Synth_Melody_2: plug-in 'Antresol' removed",
            "10-OS_KYO_160_Gm_Top_Floor_Synth_Melody_2: plug-in 'OTT' added",
            "10-OS_KYO_160_Gm_Top_Floor_Synth_Melody_2: plug-in 'Godfazer' added",
            "Track '11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted' moved out of group '10-Group'",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: plug-in 'Syntorus2' removed",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: plug-in 'Spacerek' removed",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: plug-in 'OTT' removed",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: plug-in 'Thermal' removed",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: plug-in 'Eiosis AirEQ Premium' removed",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: device 'Maximizer 2' removed",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: plug-in 'Portal' removed",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: plug-in 'Lustrous Plates' removed",
            "Device 'Neutron 3 Equalizer' on '11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted': parameter 'Global Dirty Flag' 0.1234567687 → 0.3697317541",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: plug-in 'Portal' added",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: plug-in 'OTT' added",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: device 'Auto Filter' added",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: plug-in 'Repeater' added",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: device 'EQ Eight' added",
            "11-SNS_AG_128_synth_chords_charter_A#m_1xDawBpm_300PitchAdjusted: plug-in 'Toraverb2' added",
            "+ MIDI track '12-Splice Bridge'",
            "+ Audio track '13-PercLoop_Wavey_01_80_0.5xDawBpm'",
            "+ Audio track '14-BDM_04_Ambient_FX_Conga_Filter_116_0.5xDawBpm'",
            "Master: plug-in 'Ozone 9' removed",
            "Master: device 'Auto Filter' removed",
            "+ Sample '../../../Splice/sounds/packs/Trapped in the 80's Drum Kit Vol. 2/Trapped_In_The_80s_Drum_Kit_V2/PercLoops/PercLoop_Wavey_01_80_0.5xDawBpm.wav' (outside the project)",
            "+ Sample '../../../Splice/sounds/packs/Berlin Drum Machines/CPA_Berlin_Drum_Machines/Drum_Loops/Ambient_Machine_Loops_116_BPM/2_Bar_FX_Stems/BDM_04_Ambient_FX_Conga_Filter_116_0.5xDawBpm.wav' (outside the project)",
        ],
    );
}

#[test]
fn series_drums_backups() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "als/ununu__drums [2020-06-26 152336].als",
        "als/ununu__drums [2020-06-26 152353].als",
        &[
            "- MIDI track '2-MIDI'",
            "Track '3-Audio' renamed to '2-Bongo High Open-Hard'",
            "+ Clip 'Bongo High Open-Hard' on '2-Bongo High Open-Hard' at bar 4",
            "Track '4-Audio' renamed to '3-Bongo Low Open-Hard'",
            "+ Clip 'Bongo Low Open-Hard' on '3-Bongo Low Open-Hard' at bar 10",
            "+ Sample 'Samples/Drums/Bongo/Bongo High Open-Hard.aif' (from the Core Library)",
            "+ Sample 'Samples/Drums/Bongo/Bongo Low Open-Hard.aif' (from the Core Library)",
        ],
    );
}

#[test]
fn series_drums_backup_to_current() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "als/ununu__drums [2020-06-26 152353].als",
        "als/ununu__drums.als",
        &[
            "- MIDI track '1-MIDI'",
            "- Audio track '2-Bongo High Open-Hard'",
            "- Audio track '3-Bongo Low Open-Hard'",
            "- MIDI track '4-Alert Kit'",
            "- Return track 'A-Reverb'",
            "- Return track 'B-Delay'",
            "+ MIDI track '1-Analog Saw Bass'",
            "- Sample 'Samples/Drums/Bongo/Bongo High Open-Hard.aif'",
            "- Sample 'Samples/Drums/Bongo/Bongo Low Open-Hard.aif'",
            "- Sample 'Samples/Drums/Kick/Kick Leaner.wav'",
            "- Sample 'Samples/Texture/Television Crowd Ambient.wav'",
            "- Sample 'Samples/Drums/Electronic Percussion/Rim Mkit Synth.aif'",
            "- Sample 'Samples/Drums/Snare/Snare Mkit Sample 2.wav'",
            "- Sample 'Samples/Drums/Snare/Snare Rolling.wav'",
            "- Sample 'Samples/Drums/Snare/Snare Acoustic.aif'",
            "- Sample 'Samples/Drums/Clap/Clap Digital Vox.aif'",
            "- Sample 'Samples/Drums/FX Hit/FX Vocoder 3.aif'",
            "- Sample 'Samples/Synth/Rain Synth D#.wav'",
            "- Sample 'Samples/Drums/Hihat/Hihat Machine Closed 2 .aif'",
            "- Sample 'Samples/Drums/Snare/Snare Mkit Sample 3.wav'",
            "- Sample 'Samples/Texture/Rain and Train.wav'",
            "- Sample 'Samples/Drums/Electronic Percussion/Perc Tin.wav'",
            "- Sample 'Samples/Drums/Hihat/Hihat Step SP.wav'",
            "- Sample 'Samples/Drums/Electronic Percussion/FX Perc Skitter.wav'",
            "- Sample 'Samples/Drums/Electronic Percussion/Perc Tambourine.wav'",
            "- Sample 'Samples/Synth/Bass Hits/Sub Wobble F.wav'",
            "- Sample 'Samples/Drums/Electronic Percussion/Sound Objects Knock Ambient.aif'",
            "- Sample 'Samples/Drums/Electronic Percussion/Conga Pitched SP.wav'",
        ],
    );
}

#[test]
fn series_foo_backup_to_current() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "als/livedb__Foo [2024-10-26 140508].als",
        "als/livedb__Foo.als",
        &["Tempo 120 → 199.99"],
    );
}

#[test]
fn series_ununu_merge_a_to_b() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "als/ununu__merge-parser_a_project.als",
        "als/ununu__merge-parser_b_project.als",
        &[
            "Saved with version 10.1.17 (was 10.1.15)",
            "Track '2-Audio' renamed to '2-A-Conga Hi Slap 1'",
            "+ Clip 'A-Conga Hi Slap 1' on '2-A-Conga Hi Slap 1' at bar 1",
            "+ Sample 'Samples/Drums/Conga/A-Conga Hi Slap 1.aif' (from the Core Library)",
        ],
    );
}

#[test]
fn series_ununu_merge_b_to_c() {
    let dir = corpus_or_skip!();
    check_series(
        &dir,
        "als/ununu__merge-parser_b_project.als",
        "als/ununu__merge-parser_c_project.als",
        &[
            "Track '2-A-Conga Hi Slap 1' renamed to '2-Audio'",
            "- Clip 'A-Conga Hi Slap 1' on '2-Audio' at bar 1",
            "Track '3-Audio' renamed to '3-A-Conga Low Ring 1'",
            "+ Clip 'A-Conga Low Ring 1' on '3-A-Conga Low Ring 1' at bar 1",
            "- Sample 'Samples/Drums/Conga/A-Conga Hi Slap 1.aif'",
            "+ Sample 'Samples/Drums/Conga/A-Conga Low Ring 1.aif' (from the Core Library)",
        ],
    );
}
