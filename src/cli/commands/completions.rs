use std::io::Write;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::{Generator, Shell};

use crate::cli::{Cli, CommandError, Context};

/// Print the shell completion script for SHELL
///
/// For example `daw completions bash > ~/.local/share/bash-completion/completions/daw`, or for zsh
/// `daw completions zsh > ~/.zfunc/_daw`. The same scripts ship in the `completions/` folder.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// bash, zsh, fish, powershell or elvish
    pub shell: Shell,
}

/// Write the man pages and completion scripts (for maintainers)
#[derive(clap::Args, Debug)]
pub struct GenerateDocsArgs {
    /// The folder that gets `man/` and `completions/` (the repository root)
    pub dir: PathBuf,
}

/// The shells completions are shipped for.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

fn completion(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "daw", &mut buf);
    buf
}

/// Every generated file: (path relative to the repository root, contents).
pub fn generated_docs() -> std::io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    fn pages(cmd: &clap::Command, out: &mut Vec<(PathBuf, Vec<u8>)>) -> std::io::Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            pages(sub, out)?;
        }
        let (name, page) = crate::cli::manual::command_page(cmd)?;
        out.push((Path::new("man").join(name), page));
        Ok(())
    }
    pages(&cmd, &mut out)?;
    for (name, page) in crate::cli::manual::topic_pages() {
        out.push((Path::new("man").join(name), page));
    }
    for shell in SHELLS {
        out.push((
            Path::new("completions").join(shell.file_name("daw")),
            completion(shell),
        ));
    }
    out.sort();
    Ok(out)
}

pub fn run(_ctx: &Context, args: Args) -> Result<(), CommandError> {
    std::io::stdout()
        .lock()
        .write_all(&completion(args.shell))?;
    Ok(())
}

pub fn generate_docs(ctx: &Context, args: GenerateDocsArgs) -> Result<(), CommandError> {
    let root = ctx.cwd.join(&args.dir);
    for sub in ["man", "completions"] {
        let dir = root.join(sub);
        // Pages of commands that no longer exist must go too.
        if dir.is_dir() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
    }
    let files = generated_docs()?;
    for (rel, data) in &files {
        std::fs::write(root.join(rel), data)?;
    }
    ctx.say(format_args!(
        "Wrote {} files to {}/man and {}/completions.",
        files.len(),
        root.display(),
        root.display()
    ))?;
    Ok(())
}
