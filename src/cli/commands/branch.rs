use std::io::Write;

use daw::repo::RepoError;
use daw::repo::ops::Head;

use crate::cli::ui::Color;
use crate::cli::{CommandError, Context};

/// List, create, rename or delete branches
///
/// Without arguments, lists the branches, the current one marked with `*`. `daw branch NAME [REV]`
/// creates a branch at REV (default HEAD) without switching to it. Names may contain spaces ("mix
/// ideas"); not allowed are a leading `-`, `..`, `~ ^ : ? * [ \`, control characters, and `HEAD`.
///
/// `-d` refuses to delete a branch holding commits that no other branch, tag or HEAD holds; `-D`
/// deletes it anyway (and `daw undo` brings it back).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The branch to create
    pub name: Option<String>,

    /// Where it starts: a branch, tag, commit id, REV~N… (default HEAD)
    #[arg(requires = "name")]
    pub rev: Option<String>,

    /// Delete a branch (refused if it holds commits nothing else holds)
    #[arg(short = 'd', long = "delete", value_name = "BRANCH", conflicts_with_all = ["name", "force_delete", "rename"])]
    pub delete: Option<String>,

    /// Delete a branch even if its commits are held by nothing else
    #[arg(short = 'D', value_name = "BRANCH", conflicts_with_all = ["name", "rename"])]
    pub force_delete: Option<String>,

    /// Rename a branch: `-m OLD NEW`, or `-m NEW` for the current one
    #[arg(short = 'm', long = "move", num_args = 1..=2, value_names = ["OLD", "NEW"], conflicts_with = "name")]
    pub rename: Option<Vec<String>>,

    /// Move an existing branch (create) or replace an existing name (rename)
    #[arg(short, long)]
    pub force: bool,

    /// List the remote-tracking branches too (origin/main…)
    #[arg(short, long)]
    pub all: bool,

    /// List only the remote-tracking branches
    #[arg(short, long, conflicts_with = "all")]
    pub remotes: bool,

    /// List as JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<(), CommandError> {
    let mut repo = ctx.open()?;
    if let Some(name) = args.delete.as_ref().or(args.force_delete.as_ref()) {
        let force = args.force_delete.is_some();
        let target = repo.delete_branch(name, force).map_err(|e| match e {
            RepoError::Unmerged { .. } => CommandError::from(e).hint(format!(
                "delete it anyway with `daw branch -D {}` (`daw undo` brings it back), or merge its work first",
                shell_word(name)
            )),
            e => e.into(),
        })?;
        ctx.say(format_args!(
            "Deleted branch '{name}' (was at {}).",
            target.short(12)
        ))?;
        return Ok(());
    }
    if let Some(names) = &args.rename {
        let (old, new) = match names.as_slice() {
            [new] => match repo.refs()?.head {
                Head::Branch(b) => (b, new.clone()),
                Head::Detached(_) => {
                    return Err(CommandError::user(
                        "HEAD is detached: there is no current branch to rename",
                    )
                    .hint("name the branch: `daw branch -m OLD NEW`"));
                }
            },
            [old, new] => (old.clone(), new.clone()),
            _ => unreachable!("clap takes one or two values"),
        };
        repo.rename_branch(&old, &new, args.force)?;
        ctx.say(format_args!("Renamed branch '{old}' to '{new}'."))?;
        return Ok(());
    }
    if let Some(name) = &args.name {
        let rev = args.rev.as_deref().unwrap_or("HEAD");
        let target = repo.resolve(rev).map_err(|e| match e {
            RepoError::NoCommits => CommandError::from(e)
                .hint("a branch needs a commit to point at: make one with `daw commit -m MESSAGE`"),
            e => e.into(),
        })?;
        repo.create_branch(name, target, args.force)?;
        ctx.say(format_args!(
            "Created branch '{name}' at {}.",
            target.short(12)
        ))?;
        return Ok(());
    }
    list(
        ctx,
        &repo,
        args.json,
        args.all || args.remotes,
        !args.remotes,
    )
}

/// A name as it would be typed in a shell.
pub fn shell_word(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_alphanumeric() || "-_./".contains(c))
    {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "'\\''"))
    }
}

fn list(
    ctx: &Context,
    repo: &daw::repo::Repository,
    json: bool,
    remote_tracking: bool,
    local: bool,
) -> Result<(), CommandError> {
    let mut refs = repo.refs()?;
    let tracking: Vec<(String, daw::object::ObjectId)> = if remote_tracking {
        refs.remotes
            .iter()
            .flat_map(|(r, bs)| bs.iter().map(move |(b, id)| (format!("{r}/{b}"), *id)))
            .collect()
    } else {
        Vec::new()
    };
    if !local {
        refs.branches.clear();
    }
    let mut out = std::io::stdout().lock();
    let current = match &refs.head {
        Head::Branch(b) => Some(b.as_str()),
        Head::Detached(_) => None,
    };
    if json {
        let list: Vec<_> = refs
            .branches
            .iter()
            .map(|(name, id)| {
                serde_json::json!({
                    "name": name,
                    "commit": id.to_hex(),
                    "current": Some(name.as_str()) == current,
                })
            })
            .collect();
        let remotes: Vec<_> = tracking
            .iter()
            .map(|(name, id)| serde_json::json!({"name": name, "commit": id.to_hex()}))
            .collect();
        let v = serde_json::json!({
            "branches": list,
            "remotes": remotes,
            "head": match &refs.head {
                Head::Branch(b) => serde_json::json!({"branch": b}),
                Head::Detached(id) => serde_json::json!({"detached": id.to_hex()}),
            },
        });
        serde_json::to_writer_pretty(&mut out, &v).map_err(anyhow::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let subject = |id: &daw::object::ObjectId| -> Result<String, CommandError> {
        Ok(repo
            .read_commit(id)?
            .message
            .lines()
            .next()
            .unwrap_or("")
            .to_string())
    };
    let width = refs
        .branches
        .keys()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0);
    if let Head::Detached(id) = &refs.head {
        let label = format!("(HEAD detached at {})", id.short(12));
        writeln!(out, "* {}", ctx.paint(Color::Yellow, &label))?;
    }
    if let Some(b) = current
        && !refs.branches.contains_key(b)
    {
        writeln!(out, "* {} (no commits yet)", ctx.paint(Color::Green, b))?;
    }
    for (name, id) in &refs.branches {
        let is_current = Some(name.as_str()) == current;
        let mark = if is_current { '*' } else { ' ' };
        let shown = if is_current {
            ctx.paint(Color::Green, name)
        } else {
            name.clone()
        };
        if ctx.verbose {
            let pad = width - name.chars().count();
            writeln!(
                out,
                "{mark} {shown}{} {} {}",
                " ".repeat(pad),
                ctx.paint(Color::Yellow, &id.short(12)),
                subject(id)?
            )?;
        } else {
            writeln!(out, "{mark} {shown}")?;
        }
    }
    for (name, id) in &tracking {
        if ctx.verbose {
            writeln!(
                out,
                "  {} {} {}",
                ctx.paint(Color::Red, name),
                ctx.paint(Color::Yellow, &id.short(12)),
                subject(id)?
            )?;
        } else {
            writeln!(out, "  {}", ctx.paint(Color::Red, name))?;
        }
    }
    Ok(())
}
