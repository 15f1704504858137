use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;

use daw::object::{Commit, ObjectId};
use daw::repo::history::{commit_touches, walk_commits, walk_commits_topo};
use daw::repo::music;
use daw::repo::ops::Head;
use daw::repo::{RepoError, Repository};

use crate::cli::commands::commit::relative_to_work_tree;
use crate::cli::graph::Graph;
use crate::cli::ui::{Color, format_time, relative_time};
use crate::cli::{CommandError, Context};

/// Show the history, newest first
///
/// Each commit with its id, author, date (for the last two weeks' commits also how long ago: `3 hours
/// ago`), message and a one-line summary of the project. Never reads or parses project files: what it
/// shows was recorded at commit time. With --oneline, a set's summary is shown in brackets only on the
/// commits that changed it.
///
/// Autosaves (commits made by `daw watch`) are marked `autosave:`; --no-auto leaves them out, so
/// that the commits you named stand alone (the history joins up across the ones left out).
///
/// `daw log PATH…` shows only the commits that changed those files or folders; `--all` starts from
/// every branch and tag; `--graph` draws how branches fork and merge. When a name could be both a
/// revision and a file, put the files after `--`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Show at most N commits
    #[arg(short = 'n', long = "max-count", value_name = "N")]
    pub max_count: Option<usize>,

    /// One line per commit
    #[arg(long)]
    pub oneline: bool,

    /// Print the commits as JSON (an array)
    #[arg(long)]
    pub json: bool,

    /// Start from every branch, every tag and HEAD
    #[arg(long)]
    pub all: bool,

    /// Draw the history as a graph of branches and merges
    #[arg(long)]
    pub graph: bool,

    /// Leave out autosaves (the commits `daw watch` makes), showing only named commits
    #[arg(long)]
    pub no_auto: bool,

    /// Revisions to start from (default HEAD), then files or folders to follow
    #[arg(value_name = "REV|PATH")]
    pub args: Vec<String>,

    /// Files or folders to follow (after `--`)
    #[arg(last = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `HEAD -> main, tag: v1` decorations per commit.
pub fn decorations(repo: &Repository) -> Result<HashMap<ObjectId, Vec<String>>, CommandError> {
    let refs = repo.refs()?;
    let mut map: HashMap<ObjectId, Vec<String>> = HashMap::new();
    if let Head::Detached(id) = &refs.head {
        map.entry(*id).or_default().push("HEAD".into());
    }
    for (name, id) in &refs.branches {
        let label = match &refs.head {
            Head::Branch(b) if b == name => format!("HEAD -> {name}"),
            _ => name.clone(),
        };
        let v = map.entry(*id).or_default();
        if label.starts_with("HEAD") {
            v.insert(0, label)
        } else {
            v.push(label)
        }
    }
    // Remote-tracking branches, as Git shows them: `HEAD -> main, origin/main`.
    for (remote, branches) in &refs.remotes {
        for (name, id) in branches {
            map.entry(*id).or_default().push(format!("{remote}/{name}"));
        }
    }
    for (name, tag) in &refs.tags {
        map.entry(tag.target)
            .or_default()
            .push(format!("tag: {name}"));
    }
    Ok(map)
}

pub fn commit_json(id: &ObjectId, c: &Commit, refs: Option<&Vec<String>>) -> serde_json::Value {
    serde_json::json!({
        "id": id.to_hex(),
        "parents": c.parents.iter().map(|p| p.to_hex()).collect::<Vec<_>>(),
        "author": { "name": c.author.name, "email": c.author.email },
        "time": c.author.time,
        "tz_offset_minutes": c.author.tz_offset_minutes,
        "message": c.message,
        "summary": c.summary.iter().map(|(p, s)| serde_json::json!({"path": p, "summary": s})).collect::<Vec<_>>(),
        "refs": refs.cloned().unwrap_or_default(),
        "autosave": c.autosave,
    })
}

/// Splits the positional arguments into revisions and paths (relative to the project).
fn revs_and_paths(
    ctx: &Context,
    repo: &Repository,
    args: &Args,
) -> Result<(Vec<ObjectId>, Vec<PathBuf>), CommandError> {
    let work_tree = repo.work_tree().to_path_buf();
    let mut revs = Vec::new();
    let mut paths = Vec::new();
    let mut in_paths = false;
    for a in &args.args {
        let on_disk = std::fs::symlink_metadata(ctx.cwd.join(a)).is_ok();
        if !in_paths {
            match repo.resolve(a) {
                Ok(id) => {
                    if on_disk {
                        crate::cli::ui::warn(&format!(
                            "'{a}' is both a revision and a file; taken as the revision (for the file: `daw log -- {a}`)"
                        ));
                    }
                    revs.push(id);
                    continue;
                }
                Err(RepoError::UnknownRevision(_)) if on_disk => in_paths = true,
                Err(RepoError::UnknownRevision(_)) => {
                    return Err(CommandError::user(format!(
                        "'{a}' is neither a revision nor a file in the project"
                    ))
                    .hint(
                        "for a file that no longer exists, put it after `--`: `daw log -- PATH`",
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
        paths.push(relative_to_work_tree(
            ctx,
            &work_tree,
            std::path::Path::new(a),
        )?);
    }
    for p in &args.paths {
        paths.push(relative_to_work_tree(ctx, &work_tree, p)?);
    }
    Ok((revs, paths))
}

/// Commits kept by a path filter, each with its nearest kept ancestors as parents (so the graph joins
/// up across the commits left out).
fn simplify(
    commits: Vec<(ObjectId, Commit)>,
    keep: &HashSet<ObjectId>,
) -> Vec<(ObjectId, Commit, Vec<ObjectId>)> {
    let parents: HashMap<ObjectId, Vec<ObjectId>> = commits
        .iter()
        .map(|(id, c)| (*id, c.parents.clone()))
        .collect();
    let mut memo: HashMap<ObjectId, Vec<ObjectId>> = HashMap::new();
    fn nearest(
        id: &ObjectId,
        parents: &HashMap<ObjectId, Vec<ObjectId>>,
        keep: &HashSet<ObjectId>,
        memo: &mut HashMap<ObjectId, Vec<ObjectId>>,
    ) -> Vec<ObjectId> {
        if keep.contains(id) {
            return vec![*id];
        }
        if let Some(v) = memo.get(id) {
            return v.clone();
        }
        let mut out: Vec<ObjectId> = Vec::new();
        for p in parents.get(id).into_iter().flatten() {
            for n in nearest(p, parents, keep, memo) {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        memo.insert(*id, out.clone());
        out
    }
    let mut out = Vec::new();
    for (id, c) in commits {
        if !keep.contains(&id) {
            continue;
        }
        let mut ps: Vec<ObjectId> = Vec::new();
        for p in &c.parents {
            for n in nearest(p, &parents, keep, &mut memo) {
                if !ps.contains(&n) {
                    ps.push(n);
                }
            }
        }
        out.push((id, c, ps));
    }
    out
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let repo = ctx.open()?;
    let (mut starts, paths) = revs_and_paths(ctx, &repo, &args)?;
    if args.all {
        // HEAD first, then branches and tags by name: the order ties are drawn in.
        let refs = repo.refs()?;
        starts.extend(refs.head_commit());
        starts.extend(refs.branches.values().copied());
        starts.extend(refs.tags.values().map(|t| t.target));
        starts.extend(refs.remotes.values().flat_map(|b| b.values().copied()));
    }
    if starts.is_empty()
        && let Some(h) = repo.head_commit()?
    {
        starts.push(h);
    }
    let mut seen = HashSet::new();
    starts.retain(|s| seen.insert(*s));
    if starts.is_empty() {
        if args.json {
            println!("[]");
            return Ok(());
        }
        return Err(
            CommandError::user("no commits yet").hint("make one with `daw commit -m MESSAGE`")
        );
    }
    let simple = !args.graph && starts.len() == 1 && paths.is_empty() && !args.no_auto;
    let commits: Vec<(ObjectId, Commit, Vec<ObjectId>)> = if simple {
        walk_commits(&repo, &starts, args.max_count)?
            .into_iter()
            .map(|(id, c)| {
                let ps = c.parents.clone();
                (id, c, ps)
            })
            .collect()
    } else {
        let all = walk_commits_topo(&repo, &starts)?;
        let mut list = if paths.is_empty() && !args.no_auto {
            all.into_iter()
                .map(|(id, c)| {
                    let ps = c.parents.clone();
                    (id, c, ps)
                })
                .collect::<Vec<_>>()
        } else {
            let parts: Vec<Vec<Vec<u8>>> = paths
                .iter()
                .map(|p| {
                    p.components()
                        .map(|c| c.as_os_str().as_encoded_bytes().to_vec())
                        .collect()
                })
                .collect();
            let mut keep = HashSet::new();
            for (id, c) in &all {
                if args.no_auto && c.autosave {
                    continue;
                }
                if parts.is_empty() || commit_touches(&repo, c, &parts)? {
                    keep.insert(*id);
                }
            }
            simplify(all, &keep)
        };
        if let Some(n) = args.max_count {
            list.truncate(n);
        }
        list
    };
    let decorations = decorations(&repo)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let all: Vec<_> = commits
            .iter()
            .map(|(id, c, _)| commit_json(id, c, decorations.get(id)))
            .collect();
        serde_json::to_writer_pretty(&mut out, &all).map_err(anyhow::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let listed: HashMap<ObjectId, &Commit> = commits.iter().map(|(id, c, _)| (*id, c)).collect();
    let mut graph = args.graph.then(Graph::new);
    // Recent commits' dates also say how long ago they were (`--json` keeps the time alone).
    let (now, _) = crate::cli::now();
    for (i, (id, c, parents)) in commits.iter().enumerate() {
        let rows = graph.as_mut().map(|g| g.next(*id, parents));
        let (prefix, cont) = match &rows {
            Some(r) => {
                for l in &r.before {
                    writeln!(out, "{l}")?;
                }
                (r.commit.clone(), r.continuation.clone())
            }
            None => (String::new(), String::new()),
        };
        let deco = decorations
            .get(id)
            .map(|d| format!(" ({})", ctx.paint(Color::Cyan, &d.join(", "))))
            .unwrap_or_default();
        let first = c.message.lines().next().unwrap_or("");
        // One line shows a set's summary only where it changed (against the first parent): a set that
        // the commit left alone carries its parent's state over, and would repeat the same words on
        // every line.
        let parent_summary = match (args.oneline, c.parents.first()) {
            (true, Some(p)) => match listed.get(p) {
                Some(parent) => Some(parent.summary.clone()),
                None => Some(repo.read_commit(p)?.summary),
            },
            _ => None,
        };
        let carried_over = |(path, line): &(String, String)| {
            parent_summary.as_ref().is_some_and(|ps| {
                ps.iter()
                    .any(|(p, l)| p == path && music::state_part(l) == line.as_str())
            })
        };
        let shown: Vec<&(String, String)> = c.summary.iter().filter(|e| !carried_over(e)).collect();
        // One set: its line alone; several: each with its file name.
        let several = c.summary.len() > 1;
        let summary = shown
            .iter()
            .map(|(path, s)| {
                // The reason a set could not be read is in the long format; one line only says so.
                let s = if s.starts_with("unreadable: ") {
                    "unreadable".to_string()
                } else {
                    s.clone()
                };
                if several {
                    let name = path.rsplit('/').next().unwrap_or(path);
                    format!("{name}: {s}")
                } else {
                    s
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        let mut lines: Vec<String> = Vec::new();
        if args.oneline {
            let summary = if summary.is_empty() {
                String::new()
            } else {
                format!(" [{summary}]")
            };
            let auto = if c.autosave {
                format!("{} ", ctx.paint(Color::Cyan, "autosave:"))
            } else {
                String::new()
            };
            lines.push(format!(
                "{}{deco} {auto}{first}{summary}",
                ctx.paint(Color::Yellow, &id.short(12))
            ));
        } else {
            if i > 0 && graph.is_none() {
                writeln!(out)?;
            }
            lines.push(format!(
                "{}{deco}",
                ctx.paint(Color::Yellow, &format!("commit {id}"))
            ));
            if c.parents.len() > 1 {
                let ps: Vec<String> = c.parents.iter().map(|p| p.short(12)).collect();
                lines.push(format!("Merge:  {}", ps.join(" ")));
            }
            lines.push(format!("Author: {} <{}>", c.author.name, c.author.email));
            let date = format_time(c.author.time, c.author.tz_offset_minutes);
            lines.push(match relative_time(c.author.time, now) {
                Some(ago) => format!("Date:   {date} ({ago})"),
                None => format!("Date:   {date}"),
            });
            if c.autosave {
                lines.push("Saved:  automatically by daw watch (message written by daw)".into());
            }
            for (path, s) in &c.summary {
                lines.push(format!("Project: {path}: {s}"));
            }
            lines.push(String::new());
            for line in c.message.lines() {
                lines.push(format!("    {line}"));
            }
            if graph.is_some() {
                lines.push(String::new());
            }
        }
        let mut lines = lines.into_iter();
        if let Some(l) = lines.next() {
            writeln!(out, "{prefix}{l}")?;
        }
        if let Some(r) = &rows {
            for l in &r.after {
                writeln!(out, "{l}")?;
            }
        }
        for l in lines {
            let line = format!("{cont}{l}");
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    Ok(())
}
