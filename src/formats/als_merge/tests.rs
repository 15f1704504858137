//! The set merge on a small set written as Live writes sets (`testdata/set.xml`: tabs, one element
//! per line, Live 11's element names): each case edits the text as Live would and checks the
//! merged bytes exactly. The corpus and seeded edits are exercised through the binary
//! (tests/cli/test_set_merge.rs).

use super::*;

const BASE: &str = include_str!("testdata/set.xml");

/// `s` with the one occurrence of `from` replaced.
fn edit(s: &str, from: &str, to: &str) -> String {
    assert_eq!(s.matches(from).count(), 1, "not exactly one {from:?}");
    s.replacen(from, to, 1)
}

fn edits(s: &str, pairs: &[(&str, &str)]) -> String {
    pairs.iter().fold(s.to_string(), |s, (a, b)| edit(&s, a, b))
}

fn merge_with(ours: &str, theirs: &str, choices: &[(&str, Side)]) -> Result<Merged, CannotMerge> {
    let choices: BTreeMap<String, Side> =
        choices.iter().map(|(k, s)| (k.to_string(), *s)).collect();
    merge_sets(
        BASE.as_bytes(),
        ours.as_bytes(),
        theirs.as_bytes(),
        &SetMergeOptions {
            ours_name: "main",
            theirs_name: "laptop",
            choices: &choices,
        },
    )
}

fn merge(ours: &str, theirs: &str) -> Result<Merged, CannotMerge> {
    merge_with(ours, theirs, &[])
}

fn text(m: &Merged) -> &str {
    std::str::from_utf8(&m.xml).unwrap()
}

const RENAME: [(&str, &str); 2] = [
    (
        r#"<EffectiveName Value="Bass" />"#,
        r#"<EffectiveName Value="Sub" />"#,
    ),
    (
        r#"<UserName Value="Bass" />"#,
        r#"<UserName Value="Sub" />"#,
    ),
];

fn tempo(bpm: &str) -> [(&'static str, String); 2] {
    [
        (
            r#"<Manual Value="120" />"#,
            format!(r#"<Manual Value="{bpm}" />"#),
        ),
        (
            r#"Time="-63072000" Value="120""#,
            format!(r#"Time="-63072000" Value="{bpm}""#),
        ),
    ]
}

fn with_tempo(s: &str, bpm: &str) -> String {
    let t = tempo(bpm);
    edits(s, &[(t[0].0, &t[0].1), (t[1].0, &t[1].1)])
}

#[test]
fn changes_to_different_elements_are_all_kept_and_the_rest_is_the_base_byte_for_byte() {
    let ours = edits(BASE, &RENAME);
    let theirs = with_tempo(
        &edit(
            BASE,
            r#"<Manual Value="0.3" />"#,
            r#"<Manual Value="0.4" />"#,
        ),
        "126",
    );
    let m = merge(&ours, &theirs).unwrap();
    assert_eq!(m.conflicts, []);
    let expected = with_tempo(
        &edit(
            &ours,
            r#"<Manual Value="0.3" />"#,
            r#"<Manual Value="0.4" />"#,
        ),
        "126",
    );
    assert_eq!(text(&m), expected);
}

#[test]
fn two_parameters_of_one_device_merge_and_one_parameter_changed_twice_is_a_conflict() {
    let ours = edit(
        BASE,
        r#"<Manual Value="0.5" />"#,
        r#"<Manual Value="0.6" />"#,
    );
    let theirs = edit(
        BASE,
        r#"<Manual Value="1000" />"#,
        r#"<Manual Value="2000" />"#,
    );
    let m = merge(&ours, &theirs).unwrap();
    assert_eq!(m.conflicts, []);
    assert_eq!(
        text(&m),
        edit(
            &ours,
            r#"<Manual Value="1000" />"#,
            r#"<Manual Value="2000" />"#
        )
    );

    let theirs = edit(
        BASE,
        r#"<Manual Value="0.5" />"#,
        r#"<Manual Value="0.7" />"#,
    );
    let m = merge(&ours, &theirs).unwrap();
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    assert_eq!(
        m.conflicts[0].to_string(),
        "Track 'Bass': device 'EQ Eight' parameter 'Gain': 0.6 on main, 0.7 on laptop"
    );
    assert_eq!(text(&m), ours, "unchosen: this side's value");
    let key = m.conflicts[0].key.clone();
    let m = merge_with(&ours, &theirs, &[(&key, Side::Theirs)]).unwrap();
    assert_eq!(text(&m), theirs);
}

#[test]
fn the_tempo_changed_on_both_sides_is_one_conflict_with_its_automation() {
    let ours = with_tempo(BASE, "128");
    let theirs = with_tempo(BASE, "125");
    let m = merge(&ours, &theirs).unwrap();
    assert_eq!(
        m.conflicts,
        [ElementConflict {
            key: "tempo".into(),
            name: "Tempo".into(),
            detail: "128 on main, 125 on laptop".into(),
        }]
    );
    assert_eq!(text(&m), ours);
    let m = merge_with(&ours, &theirs, &[("tempo", Side::Theirs)]).unwrap();
    assert_eq!(
        text(&m),
        theirs,
        "the Manual value and the automation event"
    );
}

#[test]
fn a_track_renamed_on_both_sides_names_the_track_and_both_names() {
    let ours = edits(BASE, &RENAME);
    let theirs = edits(
        BASE,
        &[
            (
                r#"<EffectiveName Value="Bass" />"#,
                r#"<EffectiveName Value="Low &amp; Deep" />"#,
            ),
            (
                r#"<UserName Value="Bass" />"#,
                r#"<UserName Value="Low &amp; Deep" />"#,
            ),
        ],
    );
    let m = merge(&ours, &theirs).unwrap();
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    assert_eq!(m.conflicts[0].key, "track 1/name");
    assert_eq!(
        m.conflicts[0].to_string(),
        "Track 'Bass': renamed 'Sub' on main, 'Low & Deep' on laptop"
    );
}

#[test]
fn a_clip_moved_on_both_sides_is_a_conflict_and_another_clips_move_merges() {
    let ours = edits(
        BASE,
        &[
            (
                r#"<MidiClip Id="0" Time="16">"#,
                r#"<MidiClip Id="0" Time="20">"#,
            ),
            (
                r#"<CurrentStart Value="16" />"#,
                r#"<CurrentStart Value="20" />"#,
            ),
            (
                r#"<CurrentEnd Value="32" />"#,
                r#"<CurrentEnd Value="36" />"#,
            ),
        ],
    );
    let theirs = edits(
        BASE,
        &[
            (
                r#"<MidiClip Id="0" Time="16">"#,
                r#"<MidiClip Id="0" Time="24">"#,
            ),
            (
                r#"<CurrentStart Value="16" />"#,
                r#"<CurrentStart Value="24" />"#,
            ),
            (
                r#"<CurrentEnd Value="32" />"#,
                r#"<CurrentEnd Value="40" />"#,
            ),
            (
                r#"<MidiClip Id="1" Time="32">"#,
                r#"<MidiClip Id="1" Time="36">"#,
            ),
            (
                r#"<CurrentStart Value="32" />"#,
                r#"<CurrentStart Value="36" />"#,
            ),
            (
                r#"<CurrentEnd Value="48" />"#,
                r#"<CurrentEnd Value="52" />"#,
            ),
        ],
    );
    let m = merge(&ours, &theirs).unwrap();
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    assert_eq!(
        m.conflicts[0].to_string(),
        "Track 'Bass': clip 'Intro': moved on both sides: to bar 6 on main, to bar 7 on laptop"
    );
    let expected = edits(
        &ours,
        &[
            (
                r#"<MidiClip Id="1" Time="32">"#,
                r#"<MidiClip Id="1" Time="36">"#,
            ),
            (
                r#"<CurrentStart Value="32" />"#,
                r#"<CurrentStart Value="36" />"#,
            ),
            (
                r#"<CurrentEnd Value="48" />"#,
                r#"<CurrentEnd Value="52" />"#,
            ),
        ],
    );
    assert_eq!(text(&m), expected);
}

/// A copy of the track with `Id` `id` under `new_id`, its pointee ids renumbered from `from`.
fn duplicate(s: &str, tag: &str, id: u32, new_id: u32, from: u64) -> (String, u64) {
    let open = format!("<{tag} Id=\"{id}\">");
    let start = s.find(&open).unwrap();
    let line = s[..start].rfind('\n').unwrap() + 1;
    let close = format!("</{tag}>");
    let end = s[start..].find(&close).unwrap() + start + close.len();
    let mut copy = s[line..end].replacen(&open, &format!("<{tag} Id=\"{new_id}\">"), 1);
    let mut next = from;
    let mut out = String::new();
    while let Some(p) = copy.find("Target Id=\"") {
        let q = p + "Target Id=\"".len();
        let r = copy[q..].find('"').unwrap() + q;
        out.push_str(&copy[..q]);
        out.push_str(&next.to_string());
        next += 1;
        copy = copy[r..].to_string();
    }
    out.push_str(&copy);
    let mut result = s.to_string();
    result.insert_str(end, &format!("\n{out}"));
    let result = edit(
        &result,
        &format!(r#"<NextPointeeId Value="{from}" />"#),
        &format!(r#"<NextPointeeId Value="{next}" />"#),
    );
    (result, next)
}

#[test]
fn tracks_added_on_both_sides_get_their_own_ids_and_references_follow() {
    // Both sides add a track: Live gives each Id 4 and pointee ids from 100.
    let (ours, ours_next) = duplicate(BASE, "MidiTrack", 1, 4, 100);
    assert_eq!(ours_next, 104);
    let (theirs, theirs_next) = duplicate(BASE, "AudioTrack", 2, 4, 100);
    assert_eq!(theirs_next, 103);
    // …and the other side routes Vox into its new track.
    let theirs = edit(
        &theirs,
        "<Target Value=\"AudioOut/Master\" />\n\t\t\t\t\t</AudioOutputRouting>\n\t\t\t\t\t<Mixer>\n\t\t\t\t\t\t<Sends>\n\t\t\t\t\t\t\t<TrackSendHolder Id=\"0\">\n\t\t\t\t\t\t\t\t<Send>\n\t\t\t\t\t\t\t\t\t<Manual Value=\"0\" />\n\t\t\t\t\t\t\t\t\t<AutomationTarget Id=\"20\">",
        "<Target Value=\"AudioOut/Track.4/TrackIn\" />\n\t\t\t\t\t</AudioOutputRouting>\n\t\t\t\t\t<Mixer>\n\t\t\t\t\t\t<Sends>\n\t\t\t\t\t\t\t<TrackSendHolder Id=\"0\">\n\t\t\t\t\t\t\t\t<Send>\n\t\t\t\t\t\t\t\t\t<Manual Value=\"0\" />\n\t\t\t\t\t\t\t\t\t<AutomationTarget Id=\"20\">",
    );
    let m = merge(&ours, &theirs).unwrap();
    assert_eq!(m.conflicts, []);
    let f = verify::facts(&m.xml).unwrap();
    let tracks: Vec<u64> = f.tracks.iter().map(|(_, id)| *id).collect();
    assert_eq!(
        tracks,
        [1, 4, 2, 5, 3],
        "this side's copy, then the other's"
    );
    assert_eq!(f.routing_refs.iter().copied().collect::<Vec<_>>(), [5]);
    assert!(f.pointee_dups.is_empty());
    assert_eq!(f.max_pointee, Some(106));
    assert_eq!(f.next_pointee.map(|(n, _, _)| n), Some(107));
    // The other side's track is its own bytes but for the ids.
    let t = text(&m);
    assert!(t.contains("<AudioTrack Id=\"5\">"), "{t}");
    assert!(t.contains("<AutomationTarget Id=\"104\">"), "{t}");
    assert!(!t.contains("Track.4/"), "{t}");
}

#[test]
fn a_track_removed_on_one_side_and_changed_on_the_other_is_a_conflict() {
    let start = BASE.find("\t\t\t<AudioTrack Id=\"2\">").unwrap();
    let end = BASE.find("</AudioTrack>\n").unwrap() + "</AudioTrack>\n".len();
    let ours = format!("{}{}", &BASE[..start], &BASE[end..]);
    let theirs = edit(
        BASE,
        r#"<Manual Value="0.3" />"#,
        r#"<Manual Value="0.4" />"#,
    );
    let m = merge(&ours, &theirs).unwrap();
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    assert_eq!(
        m.conflicts[0].to_string(),
        "Track 'Vox': removed on main, changed on laptop"
    );
    assert_eq!(text(&m), ours);
    let m = merge_with(&ours, &theirs, &[("track 2", Side::Theirs)]).unwrap();
    assert_eq!(text(&m), theirs);

    // Removed on one side and untouched on the other: removed.
    let theirs = edits(BASE, &RENAME);
    let m = merge(&ours, &theirs).unwrap();
    assert_eq!(m.conflicts, []);
    assert_eq!(text(&m), edits(&ours, &RENAME));
}

#[test]
fn view_state_changed_on_both_sides_keeps_this_sides_without_a_conflict() {
    let ours = edits(
        BASE,
        &[(
            r#"<HighlightedTrackIndex Value="0" />"#,
            r#"<HighlightedTrackIndex Value="1" />"#,
        )],
    );
    let ours = edits(&ours, &RENAME);
    let theirs = edit(
        BASE,
        r#"<HighlightedTrackIndex Value="0" />"#,
        r#"<HighlightedTrackIndex Value="2" />"#,
    );
    let m = merge(&ours, &theirs).unwrap();
    assert_eq!(m.conflicts, []);
    assert_eq!(text(&m), ours);
}

#[test]
fn sets_of_different_live_versions_are_not_merged_inside() {
    let ours = edits(BASE, &RENAME);
    let theirs = edits(
        &with_tempo(BASE, "130"),
        &[(
            r#"MinorVersion="11.0_433" Creator="Ableton Live 11.0""#,
            r#"MinorVersion="11.0_11300" Creator="Ableton Live 11.3""#,
        )],
    );
    let e = merge(&ours, &theirs).unwrap_err();
    assert_eq!(
        e.0,
        "the set was saved by Ableton Live 11.0 on main and by Ableton Live 11.3 on laptop, whose set formats differ"
    );
}

#[test]
fn a_merge_whose_references_would_dangle_is_not_proven() {
    // This side removes Vox; the other routes Bass into Vox.
    let start = BASE.find("\t\t\t<AudioTrack Id=\"2\">").unwrap();
    let end = BASE.find("</AudioTrack>\n").unwrap() + "</AudioTrack>\n".len();
    let ours = format!("{}{}", &BASE[..start], &BASE[end..]);
    let theirs = BASE.replacen(
        "<Target Value=\"AudioOut/Master\" />",
        "<Target Value=\"AudioOut/Track.2/TrackIn\" />",
        1,
    );
    let e = merge(&ours, &theirs).unwrap_err();
    assert!(
        e.0.starts_with(
            "could not prove that Live opens the merged set: a routing would name track 2"
        ),
        "{e}"
    );
}

#[test]
fn broken_xml_and_other_newline_styles_are_not_merged_inside() {
    let ours = edits(BASE, &RENAME);
    let theirs = edit(BASE, "</Locators>\n\t\t</Locators>", "</Locators>");
    let e = merge(&ours, &theirs).unwrap_err();
    assert!(
        e.0.starts_with("the set on laptop is not a Live set daw can read"),
        "{e}"
    );
    let theirs = BASE.replace('\n', "\r\n");
    let e = merge(&ours, &theirs).unwrap_err();
    assert!(e.0.contains("newline styles"), "{e}");
}

#[test]
fn a_clip_resized_on_both_sides_says_how_long() {
    let ours = edit(
        BASE,
        r#"<CurrentEnd Value="48" />"#,
        r#"<CurrentEnd Value="50" />"#,
    );
    let theirs = edit(
        BASE,
        r#"<CurrentEnd Value="48" />"#,
        r#"<CurrentEnd Value="44" />"#,
    );
    let m = merge(&ours, &theirs).unwrap();
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    assert_eq!(
        m.conflicts[0].to_string(),
        "Track 'Bass': clip 'Verse': resized on both sides: 18 beats long on main, 12 on laptop"
    );
}
