//! How `daw diff` and `daw show` print changed files and their musical diff, as text and JSON.

use std::io::{self, Write};

use daw::formats::{Change, ProjectFormat, Summary};
use daw::repo::history::ChangeKind;
use daw::repo::music::{ProjectDiff, ProjectState};

use crate::cli::ui::human_bytes;

/// One changed file as the commands see it.
pub struct FileReport {
    pub path: String,
    pub kind: ChangeKind,
    pub old_size: Option<u64>,
    pub new_size: Option<u64>,
    /// The musical comparison, for project files.
    pub project: Option<ProjectDiff>,
}

pub fn mark(kind: ChangeKind) -> char {
    match kind {
        ChangeKind::Added => 'A',
        ChangeKind::Removed => 'D',
        ChangeKind::Modified => 'M',
    }
}

pub fn sizes(f: &FileReport) -> String {
    match f.kind {
        ChangeKind::Added => human_bytes(f.new_size.unwrap_or(0)),
        ChangeKind::Removed => human_bytes(f.old_size.unwrap_or(0)),
        ChangeKind::Modified => format!(
            "{} → {}",
            human_bytes(f.old_size.unwrap_or(0)),
            human_bytes(f.new_size.unwrap_or(0))
        ),
    }
}

/// `Live 11.3.21 set` / `FL Studio 20.8.4 project`.
pub fn describe(s: &Summary) -> String {
    let version = s
        .version
        .as_deref()
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    match s.format {
        ProjectFormat::Ableton => format!("Live{version} set"),
        ProjectFormat::FlStudio => format!("FL Studio{version} project"),
    }
}

/// The musical lines under a changed project file, without indentation.
pub fn project_lines(p: &ProjectDiff) -> Vec<String> {
    let mut lines = Vec::new();
    let (old_error, new_error) = p.unreadable();
    match (&p.old, &p.new) {
        (None, Some(ProjectState::Readable(s))) => {
            lines.push(format!("{}: {s}", describe(s)));
        }
        (None, Some(ProjectState::Unreadable(e))) => {
            lines.push(format!("daw cannot read it as a project: {e}"));
        }
        (Some(_), None) => {}
        _ => {
            if let Some(e) = old_error {
                lines.push(format!("daw cannot read the old version as a project: {e}"));
            }
            if let Some(e) = new_error {
                lines.push(format!("daw cannot read the new version as a project: {e}"));
            }
            if old_error.is_none() && new_error.is_none() {
                if p.changes.is_empty() {
                    lines.push("no musical changes (re-saved)".into());
                }
                lines.extend(p.changes.iter().map(Change::to_string));
            } else if let Some(ProjectState::Readable(s)) = &p.new {
                lines.push(format!("now a {}: {s}", describe(s)));
            }
        }
    }
    lines
}

/// ` M Song.als  (4.1 MB → 4.2 MB)` and the musical lines below it.
pub fn write_file(out: &mut dyn Write, f: &FileReport) -> io::Result<()> {
    writeln!(out, " {} {}  ({})", mark(f.kind), f.path, sizes(f))?;
    if let Some(p) = &f.project {
        for line in project_lines(p) {
            writeln!(out, "     {line}")?;
        }
    }
    Ok(())
}

/// `--stat`: one line per file, then the totals.
pub fn write_stat(out: &mut dyn Write, files: &[FileReport]) -> io::Result<()> {
    let width = files
        .iter()
        .map(|f| f.path.chars().count())
        .max()
        .unwrap_or(0);
    for f in files {
        let what = match f.kind {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Modified => "modified",
        };
        let mut line = format!("{what}, {}", sizes(f));
        if let Some(p) = &f.project {
            let (old_error, new_error) = p.unreadable();
            if old_error.is_some() || new_error.is_some() {
                line.push_str(", unreadable as a project");
            } else if f.kind == ChangeKind::Modified {
                let n = p.changes.len();
                line.push_str(&format!(
                    ", {n} musical change{}",
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
        let pad = width - f.path.chars().count();
        writeln!(out, " {}{} | {line}", f.path, " ".repeat(pad))?;
    }
    let count = |k| files.iter().filter(|f| f.kind == k).count();
    writeln!(
        out,
        " {} file{} changed: {} added, {} modified, {} removed",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        count(ChangeKind::Added),
        count(ChangeKind::Modified),
        count(ChangeKind::Removed)
    )
}

/// A change as JSON: its typed fields plus `text`, the line `daw diff` prints.
pub fn change_json(c: &Change) -> serde_json::Value {
    let mut v = serde_json::to_value(c).unwrap_or(serde_json::Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("text".into(), c.to_string().into());
    }
    v
}

pub fn project_json(p: &ProjectDiff) -> serde_json::Value {
    serde_json::json!({
        "old": p.old,
        "new": p.new,
        "changes": p.changes.iter().map(change_json).collect::<Vec<_>>(),
    })
}

pub fn file_json(f: &FileReport) -> serde_json::Value {
    serde_json::json!({
        "path": f.path,
        "kind": f.kind,
        "old_size": f.old_size,
        "new_size": f.new_size,
        "project": f.project.as_ref().map(project_json),
    })
}
