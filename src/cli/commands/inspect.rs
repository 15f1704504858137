use std::io::Write;
use std::path::PathBuf;

use daw::formats::Project;
use daw::formats::als::{ClipLocation, LiveSet, PluginFormat, SampleLocation, TrackKind};
use daw::formats::flp::{ChannelKind, FlProject};
use daw::formats::project::format_number;
use daw::formats::semdiff::bar_position;
use daw::repo::music;

use crate::cli::render::describe;
use crate::cli::{CommandError, Context};

/// Print what a Live set or FL Studio project holds
///
/// Tempo, time signature, tracks with their devices, plug-ins and clips, locators, scenes and the
/// samples it references (FL Studio: channels, patterns, mixer inserts and arrangements). Works on
/// any file, inside a repository or not. With --json, the whole model, device parameters included.
///
/// Exit status: 0; 1 when the file is not a project daw can read (the error says why); 2 when it
/// cannot be opened.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The `.als` or `.flp` file
    pub file: PathBuf,

    /// Print the model as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let path = ctx.cwd.join(&args.file);
    let name = args.file.to_string_lossy().into_owned();
    let parsed = music::parse_path(&path, &name)
        .map_err(|e| CommandError::user(format!("cannot read {name}: {e}")))?;
    let project = parsed.map_err(|e| {
        CommandError::problem(format!("{name}: daw cannot read it as a project: {e}"))
    })?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = serde_json::json!({
            "path": name,
            "summary": project.summary(),
            "project": project,
        });
        serde_json::to_writer_pretty(&mut out, &v).map_err(anyhow::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let summary = project.summary();
    writeln!(out, "{name}: {}", describe(&summary))?;
    match &project {
        Project::Ableton(set) => write_live(&mut out, set)?,
        Project::FlStudio(p) => write_fl(&mut out, p)?,
    }
    Ok(())
}

fn bpm(tempo: Option<f64>) -> String {
    tempo.map_or_else(|| "unknown".into(), |t| format!("{} BPM", format_number(t)))
}

fn quoted(s: &str) -> String {
    format!("'{s}'")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn write_live(out: &mut dyn Write, set: &LiveSet) -> std::io::Result<()> {
    let ts = set.time_signature;
    let points = set
        .tempo_automation
        .iter()
        .filter(|p| p.time > -63_072_000.0 + 1.0)
        .count();
    let automated = if set.tempo_automated {
        format!(" (automated, {})", plural(points, "point"))
    } else {
        String::new()
    };
    writeln!(out, "Tempo           {}{automated}", bpm(set.tempo))?;
    writeln!(out, "Time signature  {}/{}", ts.numerator, ts.denominator)?;
    let tracks: Vec<_> = set
        .tracks
        .iter()
        .filter(|t| t.kind != TrackKind::Main)
        .collect();
    let count = |k: TrackKind| tracks.iter().filter(|t| t.kind == k).count();
    writeln!(
        out,
        "Tracks          {} ({} audio, {} MIDI, {} group, {} return)",
        tracks.len(),
        count(TrackKind::Audio),
        count(TrackKind::Midi),
        count(TrackKind::Group),
        count(TrackKind::Return)
    )?;
    let clips: usize = set.tracks.iter().map(|t| t.clips.len()).sum();
    writeln!(out, "Clips           {clips}")?;
    let in_project = set.samples.iter().filter(|s| s.inside_project).count();
    writeln!(
        out,
        "Samples         {} ({in_project} in the project)",
        set.samples.len()
    )?;
    let group_name = |id: u32| {
        set.tracks
            .iter()
            .find(|t| t.id == Some(id))
            .map_or_else(|| format!("#{id}"), |t| quoted(&t.name))
    };
    let all = set.tracks.iter().filter(|t| t.kind != TrackKind::Main);
    let main = set.main_track.iter();
    for (i, t) in all.chain(main).enumerate() {
        if i == 0 || t.kind == TrackKind::Main {
            writeln!(out)?;
        }
        let mut flags = Vec::new();
        if t.muted == Some(true) {
            flags.push("muted".to_string());
        }
        if t.solo == Some(true) {
            flags.push("solo".to_string());
        }
        if let Some(g) = t.group_id {
            flags.push(format!("in group {}", group_name(g)));
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!("  [{}]", flags.join(", "))
        };
        if t.kind == TrackKind::Main {
            writeln!(out, "{}{flags}", t.kind.label())?;
        } else {
            writeln!(
                out,
                "{:>3}. {} {}{flags}",
                i + 1,
                t.kind.label(),
                quoted(&t.name)
            )?;
        }
        for d in &t.devices {
            let indent = "  ".repeat(d.depth as usize);
            let plugin = d.plugin.as_ref().map(|p| {
                let format = match p.format {
                    PluginFormat::Vst => "VST",
                    PluginFormat::Vst3 => "VST3",
                    PluginFormat::AudioUnit => "AU",
                };
                match &p.vendor {
                    Some(v) => format!(" ({format} plug-in by {v})"),
                    None => format!(" ({format} plug-in)"),
                }
            });
            let max = d
                .max_patch
                .as_ref()
                .map(|m| format!(" (Max for Live: {m})"));
            let off = if d.on == Some(false) { " [off]" } else { "" };
            writeln!(
                out,
                "       device  {indent}{}{}{}{off}",
                d.name,
                plugin.unwrap_or_default(),
                max.unwrap_or_default()
            )?;
        }
        for c in &t.clips {
            let name = if c.name.is_empty() {
                "(unnamed)".to_string()
            } else {
                quoted(&c.name)
            };
            let length = format_number(c.end - c.start);
            let at = match c.location {
                ClipLocation::Arrangement => {
                    format!("at {}, {length} beats", bar_position(c.time, ts))
                }
                ClipLocation::Session { slot } => {
                    format!("in session slot {}, {length} beats", slot + 1)
                }
                ClipLocation::TakeLane { lane } => format!("in take lane {lane}"),
                ClipLocation::Frozen => "frozen".to_string(),
            };
            let notes = if c.notes_digest.is_some() {
                format!(", {}", plural(c.note_count as usize, "note"))
            } else {
                String::new()
            };
            let off = if c.disabled { " [deactivated]" } else { "" };
            writeln!(out, "       clip    {name} {at}{notes}{off}")?;
        }
    }
    if !set.locators.is_empty() {
        writeln!(out, "\nLocators")?;
        for l in &set.locators {
            writeln!(out, "  {} at {}", quoted(&l.name), bar_position(l.time, ts))?;
        }
    }
    if !set.scenes.is_empty() {
        writeln!(out, "\nScenes")?;
        for (i, s) in set.scenes.iter().enumerate() {
            let name = if s.name.is_empty() {
                "(unnamed)".to_string()
            } else {
                quoted(&s.name)
            };
            writeln!(out, "{:>3}. {name}", i + 1)?;
        }
    }
    if !set.samples.is_empty() {
        writeln!(out, "\nSamples")?;
        for s in &set.samples {
            // Inside the project or a library: the path from there; elsewhere: the absolute one.
            let relative_first = !matches!(
                s.location,
                SampleLocation::External | SampleLocation::Absolute | SampleLocation::Unknown
            );
            let relative = s.relative_path.as_deref().filter(|r| !r.is_empty());
            let absolute = s.path.as_deref().filter(|p| !p.is_empty());
            let shown = if relative_first {
                relative.or(absolute)
            } else {
                absolute.or(relative)
            }
            .unwrap_or("(no path)");
            let place = match s.location {
                SampleLocation::Project => "in the project",
                SampleLocation::CoreLibrary => "Core Library",
                SampleLocation::UserLibrary => "User Library",
                SampleLocation::Pack => "a Pack",
                SampleLocation::External => "outside the project",
                SampleLocation::Absolute => "absolute path",
                SampleLocation::Unknown => "location not recorded",
            };
            writeln!(out, "  {shown}  ({place})")?;
        }
    }
    Ok(())
}

fn channel_kind(k: ChannelKind) -> String {
    match k {
        ChannelKind::Sampler => "sampler".into(),
        ChannelKind::Native => "generator".into(),
        ChannelKind::Layer => "layer".into(),
        ChannelKind::Instrument => "instrument".into(),
        ChannelKind::Automation => "automation clip".into(),
        ChannelKind::Other(n) => format!("channel type {n}"),
    }
}

fn write_fl(out: &mut dyn Write, p: &FlProject) -> std::io::Result<()> {
    writeln!(out, "Tempo           {}", bpm(p.tempo))?;
    if let Some((n, d)) = p.time_signature {
        writeln!(out, "Time signature  {n}/{d}")?;
    }
    for (label, value) in [
        ("Title", &p.title),
        ("Artists", &p.artists),
        ("Genre", &p.genre),
    ] {
        if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
            writeln!(out, "{label:<16}{v}")?;
        }
    }
    writeln!(out, "Channels        {}", p.channels.len())?;
    writeln!(out, "Patterns        {}", p.patterns.len())?;
    let slots: usize = p.inserts.iter().map(|i| i.slots.len()).sum();
    writeln!(out, "Mixer effects   {slots}")?;
    if !p.channels.is_empty() {
        writeln!(out, "\nChannels")?;
        for (i, c) in p.channels.iter().enumerate() {
            let name = c.name.as_deref().map_or_else(|| "(unnamed)".into(), quoted);
            let mut extra = Vec::new();
            if let Some(pl) = &c.plugin {
                extra.push(format!("plug-in {pl}"));
            }
            if let Some(s) = c.sample_path.as_ref().filter(|s| !s.is_empty()) {
                extra.push(format!("sample {s}"));
            }
            if let Some(g) = &c.group {
                extra.push(format!("group {}", quoted(g)));
            }
            let extra = if extra.is_empty() {
                String::new()
            } else {
                format!(": {}", extra.join(", "))
            };
            writeln!(
                out,
                "{:>3}. {name} ({}){extra}",
                i + 1,
                channel_kind(c.kind)
            )?;
        }
    }
    if !p.patterns.is_empty() {
        writeln!(out, "\nPatterns")?;
        for pat in &p.patterns {
            let name = pat
                .name
                .as_deref()
                .map_or_else(|| format!("Pattern {}", pat.index), str::to_string);
            writeln!(
                out,
                "{:>3}. {}  {}",
                pat.index,
                quoted(&name),
                plural(pat.note_count as usize, "note")
            )?;
        }
    }
    let used: Vec<_> = p
        .inserts
        .iter()
        .filter(|i| !i.slots.is_empty() || i.name.is_some())
        .collect();
    if !used.is_empty() {
        writeln!(out, "\nMixer")?;
        for ins in used {
            let label = match (&ins.name, ins.index) {
                (Some(n), _) => format!("Insert {} {}", ins.index, quoted(n)),
                (None, 0) => "Master".to_string(),
                (None, i) => format!("Insert {i}"),
            };
            let slots: Vec<String> = ins
                .slots
                .iter()
                .map(|s| match &s.vendor {
                    Some(v) => format!("{} ({v})", s.plugin),
                    None => s.plugin.clone(),
                })
                .collect();
            let slots = if slots.is_empty() {
                "no effects".to_string()
            } else {
                slots.join(", ")
            };
            writeln!(out, "  {label}: {slots}")?;
        }
    }
    if !p.arrangements.is_empty() {
        writeln!(out, "\nArrangements")?;
        for a in &p.arrangements {
            let name = a
                .name
                .as_deref()
                .map_or_else(|| format!("Arrangement {}", a.index), str::to_string);
            writeln!(
                out,
                "  {}  {}, {}",
                quoted(&name),
                plural(a.tracks.len(), "named track"),
                plural(a.time_markers.len(), "marker")
            )?;
        }
    }
    Ok(())
}
