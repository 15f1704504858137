//! What the man pages say beyond the CLI definition: each command page's EXIT STATUS, ENVIRONMENT,
//! FILES and SEE ALSO sections, and the two pages that belong to no command, daw-ignore(5) (which
//! files a snapshot leaves out) and daw-revisions(7) (how to name a commit), as git has gitignore(5)
//! and gitrevisions(7). `daw generate-docs` writes them (`commands::completions`); no other command
//! uses this module.
//!
//! Every statement here must stay true of the code: the variables are the ones `cli` reads (the test
//! `test_docs` checks that each `DAW_*` name the source mentions is documented, and the reverse), and
//! the default ignore rules are printed from [`DEFAULT_IGNORES`] itself.

use clap_mangen::roff::{Inline, Roff, bold, italic, roman};

use daw::worktree::ignore::DEFAULT_IGNORES;

/// What a command does that decides which variables, files and pages concern it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Use {
    /// Finds the repository of the project (`.daw`, `DAW_DIR`).
    Repository,
    /// Reads the passphrase (`DAW_PASSPHRASE`…, else the terminal).
    Passphrase,
    /// Asks the key agent for the key, or hands it one (starting an agent).
    Agent,
    /// Checks the repository against this user's seen record (rollback detection).
    SeenRecord,
    /// Records who acted: a commit's author, an operation's user.
    Author,
    /// Records the current time.
    Time,
    /// Sets a new passphrase.
    NewPassphrase,
    /// Reads the recovery key.
    RecoveryKey,
    /// Talks to S3 remotes.
    S3,
    /// Applies the ignore rules to the project folder.
    IgnoreRules,
    /// Takes revisions.
    Revisions,
}

use Use::*;

/// What [`crate::cli::Context::open`] needs: find the repository, unlock it with the agent's key or
/// the passphrase, check it against the seen record.
const OPENS: &[Use] = &[Repository, Passphrase, Agent, SeenRecord];

/// What the man page of one command adds to clap's sections.
struct Page {
    uses: &'static [&'static [Use]],
    /// What exit status 1 means for this command, if it uses it.
    exit_1: Option<&'static str>,
    /// Related pages besides daw(1), daw-ignore(5) and daw-revisions(7) (those follow from `uses`).
    see_also: &'static [&'static str],
}

const REMOTE_FAILED: &str = "The remote failed: it could not be reached or answered with an error, \
lost an object this repository needs, or served a damaged or rolled-back state. Nothing was changed \
locally; the command can be run again.";

/// The additions for the page of the command named `name` (`daw`, `daw-commit`, `daw-key-add`…).
fn page(name: &str) -> Option<Page> {
    fn p(
        uses: &'static [&'static [Use]],
        exit_1: Option<&'static str>,
        see_also: &'static [&'static str],
    ) -> Option<Page> {
        Some(Page {
            uses,
            exit_1,
            see_also,
        })
    }
    const KEY_PAGES: &[&str] = &["daw-key", "daw-init", "daw-lock"];
    const REMOTE_PAGES: &[&str] = &[
        "daw-remote",
        "daw-push",
        "daw-fetch",
        "daw-pull",
        "daw-clone",
    ];
    match name {
        "daw" => p(
            &[&[
                Repository,
                Passphrase,
                Agent,
                SeenRecord,
                Author,
                Time,
                NewPassphrase,
                RecoveryKey,
                S3,
                IgnoreRules,
                Revisions,
            ]],
            Some(
                "The command ran and found a problem it reports (`daw fsck` found damage, a remote \
                 failed), or the answer is yes (`daw diff --exit-code` found differences, `daw samples \
                 --missing` listed samples); `daw inspect` could not read the file as a project. Each \
                 command's page says which it uses.",
            ),
            &[],
        ),
        "daw-init" => p(
            &[&[Repository, Passphrase, Agent, Author, Time]],
            None,
            &["daw-commit", "daw-clone", "daw-key"],
        ),
        "daw-commit" => p(
            &[OPENS, &[Author, Time, IgnoreRules]],
            None,
            &["daw-status", "daw-log", "daw-watch"],
        ),
        "daw-log" => p(
            &[OPENS, &[Revisions, Time]],
            None,
            &["daw-show", "daw-oplog"],
        ),
        "daw-show" => p(&[OPENS, &[Revisions]], None, &["daw-log", "daw-diff"]),
        "daw-export" => p(&[OPENS, &[Revisions]], None, &["daw-restore", "daw-switch"]),
        "daw-fsck" => p(
            &[OPENS, &[S3]],
            Some(
                "Problems were found: damage, a repository rolled back or a config changed outside \
                 daw, or with --remote, damage on the remote (or the remote could not be read).",
            ),
            &["daw-remote"],
        ),
        "daw-diff" => p(
            &[OPENS, &[Revisions, IgnoreRules]],
            Some(
                "With --exit-code: there are differences. Without it daw diff exits 0 whether or not \
                 something differs.",
            ),
            &["daw-show", "daw-status", "daw-inspect"],
        ),
        "daw-inspect" => p(
            &[],
            Some("daw cannot read the file as a Live set or FL Studio project (it says why)."),
            &["daw-diff", "daw-samples"],
        ),
        "daw-samples" => p(
            &[&[Repository, IgnoreRules]],
            Some("With --missing: some sample is not in the snapshot (each is listed)."),
            &["daw-inspect", "daw-commit"],
        ),
        "daw-status" => p(
            &[OPENS, &[IgnoreRules]],
            None,
            &["daw-commit", "daw-diff", "daw-watch"],
        ),
        "daw-branch" => p(
            &[OPENS, &[Author, Time, Revisions]],
            None,
            &["daw-switch", "daw-tag", "daw-log"],
        ),
        "daw-switch" => p(
            &[OPENS, &[Author, Time, Revisions]],
            None,
            &["daw-branch", "daw-restore", "daw-reset", "daw-undo"],
        ),
        "daw-restore" => p(
            &[OPENS, &[Author, Time, Revisions]],
            None,
            &["daw-switch", "daw-reset", "daw-undo"],
        ),
        "daw-tag" => p(
            &[OPENS, &[Author, Time, Revisions]],
            None,
            &["daw-branch", "daw-log"],
        ),
        "daw-reset" => p(
            &[OPENS, &[Author, Time, Revisions]],
            None,
            &["daw-switch", "daw-restore", "daw-undo"],
        ),
        "daw-oplog" => p(&[OPENS], None, &["daw-undo", "daw-log"]),
        "daw-remote" | "daw-remote-add" => p(
            &[OPENS, &[Author, Time, S3]],
            Some(REMOTE_FAILED),
            REMOTE_PAGES,
        ),
        "daw-remote-list" | "daw-remote-show" => p(&[OPENS], None, REMOTE_PAGES),
        "daw-remote-remove" => p(&[OPENS, &[Author, Time]], None, REMOTE_PAGES),
        "daw-push" | "daw-fetch" | "daw-pull" => p(
            &[OPENS, &[Author, Time, S3]],
            Some(REMOTE_FAILED),
            REMOTE_PAGES,
        ),
        "daw-clone" => p(
            &[&[Passphrase, Author, Time, S3]],
            Some(REMOTE_FAILED),
            &["daw-remote", "daw-init"],
        ),
        "daw-undo" => p(&[OPENS, &[Author, Time]], None, &["daw-oplog"]),
        "daw-watch" => p(
            &[OPENS, &[Author, Time, IgnoreRules, S3]],
            Some(
                "The project folders cannot be watched (on Linux, the inotify watch limit), or the \
                 stop signals cannot be set up. Stopped by SIGINT or SIGTERM, daw watch exits 0.",
            ),
            &["daw-commit", "daw-push", "daw-status"],
        ),
        "daw-lock" => p(&[&[Agent]], None, &["daw-key"]),
        "daw-key" | "daw-key-list" | "daw-key-remove" => p(&[OPENS], None, KEY_PAGES),
        "daw-key-add" => p(&[OPENS, &[NewPassphrase, Time]], None, KEY_PAGES),
        "daw-key-recovery" => p(&[OPENS, &[Time]], None, KEY_PAGES),
        "daw-key-passwd" => p(
            &[&[
                Repository,
                Passphrase,
                SeenRecord,
                NewPassphrase,
                RecoveryKey,
                Time,
            ]],
            None,
            KEY_PAGES,
        ),
        "daw-gc" => p(
            &[OPENS, &[Time]],
            None,
            &["daw-stats", "daw-oplog", "daw-fsck"],
        ),
        "daw-stats" => p(&[OPENS, &[Revisions]], None, &["daw-gc", "daw-log"]),
        "daw-merge" => p(
            &[OPENS, &[Author, Time, Revisions]],
            None,
            &["daw-resolve", "daw-pull", "daw-status", "daw-undo"],
        ),
        "daw-resolve" => p(
            &[OPENS, &[Author, Time]],
            None,
            &["daw-merge", "daw-status"],
        ),
        "daw-completions" => p(&[], None, &[]),
        _ => None,
    }
}

impl Page {
    fn uses(&self, u: Use) -> bool {
        self.uses.iter().any(|set| set.contains(&u))
    }
}

/// An environment variable daw reads, and the uses it belongs to (none: only in daw(1)).
struct Variable {
    names: &'static [&'static str],
    uses: &'static [Use],
    text: &'static str,
}

const VARIABLES: &[Variable] = &[
    Variable {
        names: &["DAW_DIR"],
        uses: &[Repository],
        text: "The repository folder, as --daw-dir (which wins over it): a repository kept outside \
               the project folder, like GIT_DIR. The project folder is the one its config names \
               (`core.worktree`), else the current folder. Without either, daw looks for `.daw` in the \
               current folder and the folders above it.",
    },
    Variable {
        names: &["DAW_PASSPHRASE"],
        uses: &[Passphrase],
        text: "The passphrase itself. daw never asks when it is set. It must not be empty and must \
               be UTF-8, as every passphrase.",
    },
    Variable {
        names: &["DAW_PASSPHRASE_FILE"],
        uses: &[Passphrase],
        text: "A file holding the passphrase (a trailing newline is ignored), used when \
               DAW_PASSPHRASE is not set. daw warns when other users can read the file.",
    },
    Variable {
        names: &["DAW_PASSPHRASE_COMMAND"],
        uses: &[Passphrase],
        text: "A shell command line, run with `sh -c`, that prints the passphrase (`pass show \
               music/daw`), used when neither variable above is set; its standard error goes to the \
               terminal, and its failure stops daw. With none of the three and no terminal (standard \
               input and standard error), daw stops with an error instead of waiting.",
    },
    Variable {
        names: &["DAW_NEW_PASSPHRASE"],
        uses: &[NewPassphrase],
        text: "The new passphrase of `daw key add` and `daw key passwd`, instead of asking for it \
               twice.",
    },
    Variable {
        names: &["DAW_RECOVERY_KEY"],
        uses: &[RecoveryKey],
        text: "The recovery key, instead of asking for it. For `daw key passwd`, setting it is the \
               same as --recovery.",
    },
    Variable {
        names: &["DAW_NO_AGENT"],
        uses: &[Agent],
        text: "Any value but empty: neither ask the key agent for a key nor give it one (nor start \
               it). Every command then derives the key from the passphrase (Argon2id), which takes \
               a noticeable fraction of a second each time.",
    },
    Variable {
        names: &["DAW_AGENT"],
        uses: &[Agent],
        text: "1: start the key agent even without a terminal. By default only a command run at a \
               terminal (standard input and standard error) starts one.",
    },
    Variable {
        names: &["DAW_AGENT_TIMEOUT"],
        uses: &[Agent],
        text: "Seconds without use after which an agent started now wipes its keys and exits \
               (default 600, at most 43200: 12 hours).",
    },
    Variable {
        names: &["XDG_RUNTIME_DIR"],
        uses: &[Agent],
        text: "The agent's socket is `$XDG_RUNTIME_DIR/daw/agent.sock` when this is an absolute path \
               to a folder; otherwise `daw-UID/agent.sock` in TMPDIR (else /tmp). The folder must \
               belong to the user and be private (mode 700), or the agent is not used.",
    },
    Variable {
        names: &["DAW_STATE_DIR", "XDG_STATE_HOME"],
        uses: &[SeenRecord],
        text: "Where the seen records are kept (the newest operation this user has seen in each \
               repository, to detect a rollback): `$DAW_STATE_DIR/seen/`, else \
               `$XDG_STATE_HOME/daw/seen/`, else `~/.local/state/daw/seen/` (see FILES).",
    },
    Variable {
        names: &["DAW_TIMESTAMP"],
        uses: &[Time],
        text: "Pins the current time, in seconds since 1970 (UTC), for tests and reproducible \
               scripts: the time of commits and operations, the date of new key slots, and the \
               \"now\" that `daw log` counts \"3 hours ago\" from.",
    },
    Variable {
        names: &["USER", "LOGNAME"],
        uses: &[Author],
        text: "The author's name (USER, else LOGNAME), and with the host name the email \
               (NAME@HOST), when neither `.daw/config` nor Git's config sets `user.name` and \
               `user.email`.",
    },
    Variable {
        names: &[
            "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG_SYSTEM",
            "GIT_CONFIG_NOSYSTEM",
            "XDG_CONFIG_HOME",
        ],
        uses: &[Author],
        text: "Where Git's config is, read as Git reads them, for `user.name` and `user.email` when \
               `.daw/config` sets none (see FILES).",
    },
    Variable {
        names: &["HOME"],
        uses: &[SeenRecord, Author, S3],
        text: "Locates `~/.local/state/daw`, `~/.gitconfig` and `~/.aws` (see FILES). daw never \
               looks the home folder up in the user database: when `HOME` is unset or empty, those \
               files are not read (on Windows, the next entry takes its place).",
    },
    Variable {
        names: &["LOCALAPPDATA", "USERPROFILE"],
        uses: &[SeenRecord, Author, S3],
        text: "On Windows, where `HOME` is unset: the seen records go in `%LOCALAPPDATA%\\daw\\seen`, \
               and `.gitconfig` and `.aws` are looked for in `%USERPROFILE%`.",
    },
    Variable {
        names: &[
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ],
        uses: &[S3],
        text: "The credentials for S3 remotes, read each time and never stored. Unless both of the \
               first two are set, the profile's from the AWS files (see FILES).",
    },
    Variable {
        names: &["AWS_PROFILE"],
        uses: &[S3],
        text: "The profile to read in the AWS credentials and config files (default `default`).",
    },
    Variable {
        names: &["AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"],
        uses: &[S3],
        text: "The AWS credentials and config files, instead of `~/.aws/credentials` and \
               `~/.aws/config`.",
    },
    Variable {
        names: &["AWS_REGION", "AWS_DEFAULT_REGION"],
        uses: &[S3],
        text: "The region of a remote added without --region: AWS_REGION, else AWS_DEFAULT_REGION, \
               else the profile's `region`, else us-east-1.",
    },
    Variable {
        names: &["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"],
        uses: &[S3],
        text: "The endpoint of a remote added without --endpoint (a store other than AWS): \
               AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else the profile's `endpoint_url`.",
    },
    Variable {
        names: &["DAW_REMOTE_TIMEOUT"],
        uses: &[S3],
        text: "Seconds each request to an S3 remote may take, and how long failed and throttled \
               requests are retried (default 120).",
    },
    Variable {
        names: &["NO_COLOR", "TERM"],
        uses: &[],
        text: "With --color auto (the default), standard output is coloured only on a terminal, when \
               NO_COLOR is unset or empty and TERM is not `dumb`.",
    },
    Variable {
        names: &["DAW_PEAK_RSS_FILE"],
        uses: &[],
        text: "At exit, write the command's peak memory (resident set, in KiB) to this file: a \
               diagnostic for tests and benchmarks (Linux).",
    },
];

/// A file or folder daw reads or writes outside what the command line names.
struct File {
    path: &'static str,
    uses: &'static [Use],
    text: &'static str,
}

const FILES: &[File] = &[
    File {
        path: ".daw/",
        uses: &[Repository],
        text: "The repository, in the project folder (or the folder DAW_DIR or --daw-dir names). \
               All of it is encrypted but `config`, `op_head`, `lock`, `watch` and the key slots \
               (which hold the key wrapped by a passphrase or the recovery key); docs/FORMAT.md \
               describes each file.",
    },
    File {
        path: ".daw/config",
        uses: &[Repository],
        text: "The repository's settings (Git's config syntax). `core.worktree`, `user.name` and \
               `user.email` are authenticated: after editing them by hand, run `daw fsck \
               --accept-config`.",
    },
    File {
        path: ".daw/lock",
        uses: &[Repository],
        text: "Held (flock) by the command that writes to the repository; another writer waits \
               for it up to 10 seconds, then stops with \"the repository is busy\".",
    },
    File {
        path: ".dawignore",
        uses: &[IgnoreRules],
        text: "Ignore rules, in any folder of the project: see daw-ignore(5).",
    },
    File {
        path: "~/.local/state/daw/seen/",
        uses: &[SeenRecord],
        text: "The seen records (or under $DAW_STATE_DIR or $XDG_STATE_HOME/daw): the newest \
               operation this user has seen in each copy of a repository. A repository older than \
               its record is refused as rolled back until `daw fsck --accept-rollback`.",
    },
    File {
        path: "$XDG_RUNTIME_DIR/daw/agent.sock",
        uses: &[Agent],
        text: "The key agent's socket (else `daw-UID/agent.sock` in TMPDIR, or /tmp); only this user \
               can connect.",
    },
    File {
        path: "~/.gitconfig",
        uses: &[Author],
        text: "With `$XDG_CONFIG_HOME/git/config` (else `~/.config/git/config`) and \
               `/etc/gitconfig`: `user.name` and `user.email` when `.daw/config` sets none.",
    },
    File {
        path: "~/.aws/credentials",
        uses: &[S3],
        text: "With `~/.aws/config`: the profile's credentials, `region` and `endpoint_url` for S3 \
               remotes, as every S3 tool reads them.",
    },
];

/// `text` with `back-quoted` parts in bold, the way man pages set literal text.
fn inlines(text: &str) -> Vec<Inline> {
    text.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(
            |(i, part)| {
                if i % 2 == 1 { bold(part) } else { roman(part) }
            },
        )
        .collect()
}

/// The preamble every rendered `Roff` starts with; a page needs it once.
const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// A `Roff` rendered without its preamble, to follow the rest of a page.
fn body(roff: &Roff) -> String {
    let text = roff.render();
    match text.strip_prefix(PREAMBLE) {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// A clap_mangen section, without the preamble.
fn clap_section(
    render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> std::io::Result<String> {
    let mut buf = Vec::new();
    render(&mut buf)?;
    let text = String::from_utf8(buf).map_err(std::io::Error::other)?;
    Ok(match text.strip_prefix(PREAMBLE) {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// The man page of one command: clap's sections, then EXIT STATUS, ENVIRONMENT, FILES, VERSION and
/// SEE ALSO. clap's EXTRA section (the command's after-help) is left out: on daw(1) it holds the
/// passphrase note and the exit codes, which have their own sections here.
pub fn command_page(cmd: &clap::Command) -> std::io::Result<(String, Vec<u8>)> {
    let man = clap_mangen::Man::new(cmd.clone());
    let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
    let page = page(&name).ok_or_else(|| {
        std::io::Error::other(format!(
            "no man page additions for {name}: add it to src/cli/manual.rs"
        ))
    })?;
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    out.extend(clap_section(|b| man.render_name_section(b))?.bytes());
    out.extend(clap_section(|b| man.render_synopsis_section(b))?.bytes());
    out.extend(clap_section(|b| man.render_description_section(b))?.bytes());
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        out.extend(clap_section(|b| man.render_options_section(b))?.bytes());
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        out.extend(clap_section(|b| man.render_subcommands_section(b))?.bytes());
    }
    let mut roff = Roff::new();
    if name == "daw" {
        passphrase_section(&mut roff);
    }
    exit_status_section(&mut roff, &name, &page);
    environment_section(&mut roff, &page, name == "daw");
    files_section(&mut roff, &page);
    out.extend(body(&roff).bytes());
    out.extend(clap_section(|b| man.render_version_section(b))?.bytes());
    let mut roff = Roff::new();
    see_also_section(&mut roff, &name, &page);
    out.extend(body(&roff).bytes());
    Ok((man.get_filename(), out))
}

fn paragraph(roff: &mut Roff, text: &str) {
    roff.control("PP", []);
    roff.text(inlines(text));
}

fn passphrase_section(roff: &mut Roff) {
    roff.control("SH", ["PASSPHRASE AND THE KEY AGENT"]);
    paragraph(
        roff,
        "Everything in a repository is encrypted with a key that only a passphrase (or the recovery \
         key `daw init` shows once) unlocks. daw asks for the passphrase on a terminal; scripts set \
         DAW_PASSPHRASE, DAW_PASSPHRASE_FILE or DAW_PASSPHRASE_COMMAND (see ENVIRONMENT). `daw key` \
         adds, removes and changes passphrases and the recovery key.",
    );
    paragraph(
        roff,
        "Once a repository is unlocked at a terminal, a background process (`daw agent`) keeps its \
         key in locked memory for the session and answers later commands over a private socket, so \
         the passphrase is asked once. It wipes the keys and exits after 10 minutes without use \
         (DAW_AGENT_TIMEOUT), when the login session ends, and at once on `daw lock`. A key from the \
         agent is used only after it has proven to open the repository. DAW_NO_AGENT=1 turns the \
         agent off; DAW_AGENT=1 starts it without a terminal.",
    );
}

fn exit_status_section(roff: &mut Roff, name: &str, page: &Page) {
    roff.control("SH", ["EXIT STATUS"]);
    let mut code = |n: &str, text: &str| {
        roff.control("TP", []);
        roff.text([bold(n)]);
        roff.text(inlines(text));
    };
    code(
        "0",
        if name == "daw" || name == "daw-commit" {
            "Success, including \"nothing to commit\"."
        } else {
            "Success."
        },
    );
    if let Some(one) = page.exit_1 {
        code("1", one);
    }
    code(
        "2",
        "A usage or user error: bad arguments, not a repository, a wrong passphrase, an unknown \
         revision, a refusal to overwrite uncommitted changes or to delete unmerged work, nothing to \
         undo, the repository busy.",
    );
    code(
        "3",
        "An internal or storage failure: an I/O error, a damaged repository.",
    );
}

fn environment_section(roff: &mut Roff, page: &Page, all: bool) {
    let vars: Vec<&Variable> = VARIABLES
        .iter()
        .filter(|v| all || v.uses.iter().any(|u| page.uses(*u)))
        .collect();
    if vars.is_empty() {
        return;
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for v in vars {
        roff.control("TP", []);
        let mut names = Vec::new();
        for (i, n) in v.names.iter().enumerate() {
            if i > 0 {
                names.push(roman(", "));
            }
            names.push(bold(*n));
        }
        roff.text(names);
        roff.text(inlines(v.text));
    }
}

fn files_section(roff: &mut Roff, page: &Page) {
    let files: Vec<&File> = FILES
        .iter()
        .filter(|f| f.uses.iter().any(|u| page.uses(*u)))
        .collect();
    if files.is_empty() {
        return;
    }
    roff.control("SH", ["FILES"]);
    for f in files {
        roff.control("TP", []);
        roff.text([italic(f.path)]);
        roff.text(inlines(f.text));
    }
}

fn see_also_section(roff: &mut Roff, name: &str, page: &Page) {
    let mut refs: Vec<String> = Vec::new();
    if name != "daw" {
        refs.push("daw(1)".into());
    }
    refs.extend(page.see_also.iter().map(|p| format!("{p}(1)")));
    if page.uses(IgnoreRules) {
        refs.push("daw-ignore(5)".into());
    }
    if page.uses(Revisions) {
        refs.push("daw-revisions(7)".into());
    }
    if refs.is_empty() {
        return;
    }
    roff.control("SH", ["SEE ALSO"]);
    let mut line = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        line.push(bold(r.as_str()));
    }
    roff.text(line);
}

/// The pages that belong to no command: (file name, contents).
pub fn topic_pages() -> Vec<(String, Vec<u8>)> {
    vec![
        ("daw-ignore.5".into(), ignore_page().render().into_bytes()),
        (
            "daw-revisions.7".into(),
            revisions_page().render().into_bytes(),
        ),
    ]
}

fn title(roff: &mut Roff, name: &str, section: &str) {
    let source = format!("daw {}", env!("CARGO_PKG_VERSION"));
    roff.control("TH", [name, section, "", source.as_str(), ""]);
}

fn section(roff: &mut Roff, heading: &str, paragraphs: &[&str]) {
    roff.control("SH", [heading]);
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            roff.control("PP", []);
        }
        roff.text(inlines(p));
    }
}

/// A list of `term: text` entries.
fn entries(roff: &mut Roff, items: &[(&str, &str)]) {
    for (term, text) in items {
        roff.control("TP", []);
        roff.text([bold(*term)]);
        roff.text(inlines(text));
    }
}

/// Lines set as they are (an example file, a list of patterns).
fn verbatim(roff: &mut Roff, lines: &[&str]) {
    roff.control("PP", []);
    roff.control("nf", []);
    roff.control("RS", ["4"]);
    for line in lines {
        roff.text([roman(*line)]);
    }
    roff.control("RE", []);
    roff.control("fi", []);
}

fn ignore_page() -> Roff {
    let mut roff = Roff::new();
    title(&mut roff, "daw-ignore", "5");
    roff.control("SH", ["NAME"]);
    roff.text([roman(
        "daw-ignore - which files of a project daw leaves out: the default rules and .dawignore",
    )]);
    roff.control("SH", ["SYNOPSIS"]);
    roff.text([
        italic("PROJECT"),
        roman("/.dawignore, "),
        italic("PROJECT/FOLDER"),
        roman("/.dawignore"),
    ]);
    section(
        &mut roff,
        "DESCRIPTION",
        &[
            "A snapshot (`daw commit`, `daw watch`) holds every file of the project folder except \
             the repository itself (`.daw`, or the folder DAW_DIR names when it is inside the \
             project), what the default rules below leave out, and what the `.dawignore` files \
             list. `daw status` and `daw diff` compare only the files a snapshot would hold, and `daw \
             samples` calls a sample that the rules leave out `ignored`.",
            "`daw status --ignored` lists every file and folder the rules leave out and the rule \
             that does (`default rule *.asd`, `Samples/.dawignore: *.wav`); the first commit of a \
             project says how many files the default rules left out. A file already in a commit is \
             not kept by it: once a rule leaves it out, the next commit records it as removed.",
            "A `.dawignore` is an ordinary file of the project, committed with it.",
        ],
    );
    section(
        &mut roff,
        "PATTERN FORMAT",
        &["The syntax of Git's .gitignore (gitignore(5)), one pattern per line:"],
    );
    entries(
        &mut roff,
        &[
            (
                "blank line, # comment",
                "Ignored (`\\#` starts a pattern with `#`).",
            ),
            (
                "NAME",
                "A pattern without a slash matches a file or folder of that name at any depth \
                 below the `.dawignore`: `*.tmp`, `Thumbs.db`.",
            ),
            (
                "DIR/NAME, /NAME",
                "A pattern with a slash at its start or in its middle is relative to the folder of \
                 the `.dawignore`: `/Renders` is only the top folder's `Renders`.",
            ),
            ("NAME/", "A trailing slash matches only folders."),
            (
                "* ? [a-z] **",
                "`*` is any run of characters but a slash, `?` one character, `[…]` one of a set; \
                 `**/` at the start means in any folder, `/**` at the end everything inside, `/**/` \
                 any number of folders.",
            ),
            (
                "!PATTERN",
                "Takes back what an earlier pattern (or a default rule) left out. A file inside a \
                 folder that is left out cannot be taken back: daw does not look inside that folder.",
            ),
        ],
    );
    section(
        &mut roff,
        "PRECEDENCE",
        &[
            "The rules of a `.dawignore` apply to its folder and everything below it. A path is \
           checked against the default rules, then the `.dawignore` of the project folder, then \
           those of the folders on its way down; the last pattern that matches decides, so a \
           deeper `.dawignore` overrides a higher one, and any `.dawignore` overrides the defaults. \
           Matching is case-sensitive on every system.",
        ],
    );
    roff.control("SH", ["DEFAULT RULES"]);
    roff.text(inlines(
        "daw leaves out the by-products of DAWs and operating systems, so that a producer's folder \
         can be committed as it is. No default rule can leave out a file the producer made: only the \
         `.als` files directly in a folder named `Backup` are Live's set backups (a \
         `Samples/Backup/vox.wav` is kept), and the rules for files never match a folder (a folder \
         named `Takes.tmp` is kept). The rules, as daw applies them:",
    ));
    verbatim(&mut roff, &DEFAULT_IGNORES.lines().collect::<Vec<_>>());
    section(
        &mut roff,
        "EXAMPLES",
        &[
            "A `.dawignore` in the project folder that leaves out the bounces but the master, and \
           everything in a top-level `Scratch` folder; the first line takes Live's set backups back \
           into the history:",
        ],
    );
    verbatim(
        &mut roff,
        &[
            "!**/Backup/*.als",
            "Bounces/*.wav",
            "!Bounces/Master.wav",
            "/Scratch/",
        ],
    );
    roff.control("SH", ["FILES"]);
    entries(
        &mut roff,
        &[(
            ".dawignore",
            "In any folder of the project; read by every command that walks the project folder.",
        )],
    );
    roff.control("SH", ["SEE ALSO"]);
    roff.text([
        bold("daw-status(1)"),
        roman(", "),
        bold("daw-commit(1)"),
        roman(", "),
        bold("daw-watch(1)"),
        roman(", "),
        bold("daw-samples(1)"),
        roman(", "),
        bold("gitignore(5)"),
    ]);
    roff
}

fn revisions_page() -> Roff {
    let mut roff = Roff::new();
    title(&mut roff, "daw-revisions", "7");
    roff.control("SH", ["NAME"]);
    roff.text([roman(
        "daw-revisions - how to name a commit: HEAD, branches, tags, commit ids, REV~N, REV^N",
    )]);
    roff.control("SH", ["SYNOPSIS"]);
    roff.text([roman(
        "daw log, daw show, daw diff, daw export, daw branch, daw switch, daw restore --source, \
         daw tag, daw reset",
    )]);
    section(
        &mut roff,
        "DESCRIPTION",
        &[
            "Wherever a command takes a revision (REV), it names one commit. A revision is a base, \
           optionally followed by suffixes that walk to an ancestor.",
        ],
    );
    roff.control("SH", ["BASES"]);
    entries(
        &mut roff,
        &[
            (
                "HEAD, @",
                "The commit checked out: the current branch's tip, or the commit of a detached \
                 HEAD. A revision that starts with a suffix (`~2`) starts from HEAD.",
            ),
            (
                "BRANCH",
                "A branch: its newest commit. Names may contain spaces (quote them for the shell: \
                 `\"mix ideas\"~1`).",
            ),
            (
                "TAG",
                "A tag: the commit it names. A branch of the same name wins.",
            ),
            (
                "REMOTE/BRANCH",
                "A remote-tracking branch (`origin/main`): where the branch was on the remote when \
                 this repository last exchanged with it (`daw fetch`, `daw pull`, `daw push`). A \
                 branch or tag of the same name wins.",
            ),
            (
                "ID",
                "A commit id, or a prefix of one of at least 4 hexadecimal digits, in either case \
                 (`3f2a9c81`). A prefix that more than one commit starts with is refused (type more \
                 digits). A branch or tag that looks like hex wins.",
            ),
        ],
    );
    roff.control("SH", ["SUFFIXES"]);
    entries(
        &mut roff,
        &[
            (
                "REV~N",
                "The N-th ancestor, following first parents: `HEAD~1` is the commit before HEAD, \
                 `HEAD~3` three back. `REV~` is `REV~1`, `REV~0` is REV.",
            ),
            (
                "REV^N",
                "The N-th parent: `REV^` (or `REV^1`) is the first parent, `REV^2` the second \
                 parent of a merge (the branch that was merged in). `REV^0` is REV.",
            ),
        ],
    );
    roff.control("PP", []);
    roff.text(inlines(
        "Suffixes chain from left to right, as in Git: `main~2^2` is the second parent of the \
         commit two before main's tip. A commit without such a parent is an unknown revision.",
    ));
    section(
        &mut roff,
        "TWO REVISIONS",
        &[
            "`daw diff A B` and `daw diff A..B` compare commit A with commit B; a side of `..` left \
             empty is HEAD (`daw diff HEAD~3..`).",
            "`daw log` takes revisions and files alike: a name that is both a revision and a file \
             of the project is taken as the revision (with a warning); put files after `--` (`daw \
             log -- Song.als`).",
        ],
    );
    section(
        &mut roff,
        "NAMES",
        &[
            "Branch and tag names may contain spaces and slashes, but not `~ ^ : ? * [ \\`, `..`, \
           `@{`, control characters, a leading `-`, a part (between slashes) \
           that starts with `.`, a trailing `.` or `.lock`, or leading and trailing white space, and `HEAD` and `@` are reserved: so a name never reads as a \
           revision with suffixes.",
        ],
    );
    section(
        &mut roff,
        "EXAMPLES",
        &[
            "`daw show HEAD~1`, `daw diff \"sent to label\" main`, `daw export 3f2a9c81 ../old-mix`, \
           `daw log origin/main`, `daw restore --source main^2 Samples/vox.wav`, `daw reset --hard \
           HEAD~2`.",
        ],
    );
    roff.control("SH", ["SEE ALSO"]);
    let pages = [
        "daw-log(1)",
        "daw-show(1)",
        "daw-diff(1)",
        "daw-export(1)",
        "daw-branch(1)",
        "daw-switch(1)",
        "daw-restore(1)",
        "daw-tag(1)",
        "daw-reset(1)",
        "gitrevisions(7)",
    ];
    let mut line = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        line.push(bold(*p));
    }
    roff.text(line);
    roff
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command of the CLI, hidden ones aside, has its page additions: a new command without
    /// them makes `generate-docs` fail rather than ship a page without its sections.
    #[test]
    fn every_command_has_page_additions() {
        use clap::CommandFactory;
        fn walk(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
            for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
                let name = format!("{prefix}-{}", sub.get_name());
                walk(sub, &name, out);
                out.push(name);
            }
        }
        let mut names = vec!["daw".to_string()];
        walk(&crate::cli::Cli::command(), "daw", &mut names);
        for name in names {
            assert!(page(&name).is_some(), "{name} has no man page additions");
        }
    }

    #[test]
    fn inline_code_is_bold() {
        let mut roff = Roff::new();
        roff.text(inlines("run `daw fsck` now"));
        let text = roff.render();
        assert!(text.ends_with("run \\fBdaw fsck\\fR now\n"), "{text}");
    }
}
