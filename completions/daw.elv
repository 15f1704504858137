
use builtin;
use str;

set edit:completion:arg-completer[daw] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'daw'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'daw'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Put a project folder under version control'
            cand commit 'Snapshot the project'
            cand log 'Show the history, newest first'
            cand show 'Show a commit and the files it changed'
            cand export 'Write the project as it was at a commit into a new folder'
            cand fsck 'Check the repository for damage'
            cand gc 'Delete what nothing needs any more, and repack small packs into larger ones'
            cand stats 'Show where the bytes are: sizes, savings, and what each branch keeps'
            cand diff 'Show what changed, file by file and, in Live sets and FL Studio projects, in musical terms'
            cand inspect 'Print what a Live set or FL Studio project holds'
            cand samples 'List the samples your sets reference, and whether a snapshot holds them'
            cand status 'Show what changed in the project since the last commit'
            cand branch 'List, create, rename or delete branches'
            cand switch 'Switch to a branch, updating the project''s files'
            cand merge 'Bring another branch''s work into the current branch'
            cand resolve 'Choose which version of a conflicted file a merge keeps'
            cand restore 'Bring files back to how they were in a commit'
            cand tag 'List, create or delete tags'
            cand reset 'Move the current branch to another commit'
            cand oplog 'Show the operation log: every change to branches, tags, HEAD and the files daw rewrote'
            cand remote 'Manage remotes: where pushes go and fetches come from'
            cand push 'Send commits to a remote'
            cand fetch 'Download what a remote has and this repository lacks'
            cand pull 'Fetch from a remote and bring the current branch up to it'
            cand clone 'Make a new project folder from a remote'
            cand undo 'Undo the last operation (run it again to redo)'
            cand watch 'Snapshot every save of the project, in the background'
            cand lock 'Forget unlocked keys now'
            cand key 'Manage passphrases and the recovery key'
            cand completions 'Print the shell completion script for SHELL'
            cand generate-docs 'Write the man pages and completion scripts (for maintainers)'
            cand agent 'Run the key agent (started by daw itself; not for direct use)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'daw;init'= {
            cand --recovery-key-file 'Write the recovery key to this new file (mode 600) instead of showing it, for scripts'
            cand --kdf-memory-kib 'Argon2id memory for the passphrase key, in KiB (default 65536, at least 19456)'
            cand --kdf-iterations 'Argon2id passes for the passphrase key (default 3, at least 2)'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --insecure-test-kdf 'Accept key derivation settings below the minimum, which make guessing the passphrase cheap: only for tests and throw-away repositories'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;commit'= {
            cand -m 'What changed, in your words'
            cand --message 'What changed, in your words'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --allow-empty 'Make a commit even if nothing changed'
            cand --json 'Print the new commit as JSON (see above)'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;log'= {
            cand -n 'Show at most N commits'
            cand --max-count 'Show at most N commits'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --oneline 'One line per commit'
            cand --json 'Print the commits as JSON (an array)'
            cand --all 'Start from every branch, every tag and HEAD'
            cand --graph 'Draw the history as a graph of branches and merges'
            cand --no-auto 'Leave out autosaves (the commits `daw watch` makes), showing only named commits'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;show'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Print as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;export'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;fsck'= {
            cand --remote 'Check a remote instead: its operations, packs and everything its branches reach (with --read-data, every block is downloaded and verified)'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --read-data 'Decrypt and verify every stored byte'
            cand --json 'Print the report as JSON'
            cand --repair 'Rebuild damaged or missing indexes from the packs'' own headers, then check'
            cand --accept-config 'Accept the values now in .daw/config for the settings daw authenticates (the worktree, the author) after you edited them yourself'
            cand --accept-rollback 'Accept the repository''s current state as the newest after you restored an older copy on purpose (daw otherwise reports it as rolled back)'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;gc'= {
            cand --grace 'How long a mark waits before its packs are deleted, and how old a pack must be before it is marked (e.g. 24h, 90m, 7d, 0)'
            cand --prune-oplog 'First remove from the log the operations older than this (e.g. 30d, 12h; 0 keeps only the last operation and the one before it)'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -n 'List what would be deleted, marked and repacked; change nothing'
            cand --dry-run 'List what would be deleted, marked and repacked; change nothing'
            cand --json 'Print what was done as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;stats'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --all 'Cover everything the repository keeps, not one commit''s history'
            cand --json 'Print the figures as JSON (bytes as integers)'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;diff'= {
            cand --files 'Compare two files outside any repository'
            cand --git-driver 'Act as Git''s external diff driver: git passes PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --stat 'One line per file with its sizes and the number of musical changes, then totals'
            cand --json 'Print as JSON'
            cand --raw 'For Live sets, the line diff of the decompressed XML instead of the musical diff'
            cand --exit-code 'Exit with 1 when there are differences, 0 when there are none'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;inspect'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Print the model as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;samples'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --missing 'Only the samples a snapshot would not hold (ignored, outside the project, missing)'
            cand --json 'Print as JSON (an array of {project, sample, found, status})'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;status'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -s 'One line per file: A new, M modified, D deleted, R renamed'
            cand --short 'One line per file: A new, M modified, D deleted, R renamed'
            cand --porcelain 'Stable output for scripts (see above)'
            cand --json 'Print as JSON'
            cand --ignored 'Also list the files left out of snapshots, and the rule that leaves each out'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;branch'= {
            cand -d 'Delete a branch (refused if it holds commits nothing else holds)'
            cand --delete 'Delete a branch (refused if it holds commits nothing else holds)'
            cand -D 'Delete a branch even if its commits are held by nothing else'
            cand -m 'Rename a branch: `-m OLD NEW`, or `-m NEW` for the current one'
            cand --move 'Rename a branch: `-m OLD NEW`, or `-m NEW` for the current one'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -f 'Move an existing branch (create) or replace an existing name (rename)'
            cand --force 'Move an existing branch (create) or replace an existing name (rename)'
            cand -a 'List the remote-tracking branches too (origin/main…)'
            cand --all 'List the remote-tracking branches too (origin/main…)'
            cand -r 'List only the remote-tracking branches'
            cand --remotes 'List only the remote-tracking branches'
            cand --json 'List as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;switch'= {
            cand -c 'Create a new branch and switch to it'
            cand --create 'Create a new branch and switch to it'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --detach 'Go to a commit on no branch (detached HEAD)'
            cand --discard-changes 'Overwrite uncommitted changes (they are saved first: `daw undo` brings them back)'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;merge'= {
            cand -m 'The merge commit''s message (default: "Merge ''REV'' into BRANCH")'
            cand --message 'The merge commit''s message (default: "Merge ''REV'' into BRANCH")'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --continue 'Make the merge commit once every conflict is resolved'
            cand --abort 'Give up the merge in progress: every file back as before it'
            cand --json 'Print the outcome as JSON (see above)'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;resolve'= {
            cand -e 'In a Live set merged inside: choose for this element only (its number or name)'
            cand --element 'In a Live set merged inside: choose for this element only (its number or name)'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --ours 'Keep this branch''s version'
            cand --theirs 'Keep the other side''s version'
            cand --both 'Keep both files'
            cand --whole 'In a Live set merged inside: take the whole file of the side chosen instead'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;restore'= {
            cand -s 'The commit to take them from (default HEAD)'
            cand --source 'The commit to take them from (default HEAD)'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -f 'Overwrite uncommitted changes (saved first: `daw undo` brings them back)'
            cand --force 'Overwrite uncommitted changes (saved first: `daw undo` brings them back)'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;tag'= {
            cand -m 'A message kept with the tag'
            cand --message 'A message kept with the tag'
            cand -d 'Delete a tag'
            cand --delete 'Delete a tag'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -f 'Move an existing tag'
            cand --force 'Move an existing tag'
            cand --json 'List as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;reset'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --hard 'Make the files match REV too'
            cand --discard-changes 'With --hard: overwrite uncommitted changes (saved first: `daw undo` brings them back)'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;oplog'= {
            cand -n 'Show at most N operations'
            cand --max-count 'Show at most N operations'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Print as JSON (an array, newest first)'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;remote'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a remote, after checking it'
            cand list 'List the remotes'
            cand show 'Show a remote: where it is, what this repository last saw there'
            cand remove 'Forget a remote and its remote-tracking branches (the remote''s data is not touched)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'daw;remote;add'= {
            cand --endpoint 'The S3 endpoint of a store other than AWS (https://…; http:// for a local server)'
            cand --region 'The S3 region (default: AWS_REGION, the profile''s, or us-east-1)'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --path-style 'Address the bucket as ENDPOINT/BUCKET (MinIO, Garage, Ceph and most local servers)'
            cand --allow-http 'Accept a plain-HTTP endpoint on another machine (a trusted network only)'
            cand --json 'Print what was found as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;remote;list'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Print as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;remote;show'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Print as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;remote;remove'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;remote;help'= {
            cand add 'Add a remote, after checking it'
            cand list 'List the remotes'
            cand show 'Show a remote: where it is, what this repository last saw there'
            cand remove 'Forget a remote and its remote-tracking branches (the remote''s data is not touched)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'daw;remote;help;add'= {
        }
        &'daw;remote;help;list'= {
        }
        &'daw;remote;help;show'= {
        }
        &'daw;remote;help;remove'= {
        }
        &'daw;remote;help;help'= {
        }
        &'daw;push'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --all 'Push every branch'
            cand --tags 'Push every tag too'
            cand -f 'Move remote branches and tags even where that drops commits on the remote'
            cand --force 'Move remote branches and tags even where that drops commits on the remote'
            cand --json 'Print what was pushed as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;fetch'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Print what was fetched as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;pull'= {
            cand -m 'With --merge: the merge commit''s message'
            cand --message 'With --merge: the merge commit''s message'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --merge 'On diverged histories, merge the remote''s branch into this one (see `daw merge`)'
            cand --json 'Print the outcome as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;clone'= {
            cand --endpoint 'The S3 endpoint of a store other than AWS'
            cand --region 'The S3 region'
            cand -b 'The branch to check out'
            cand --branch 'The branch to check out'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --path-style 'Address the bucket as ENDPOINT/BUCKET'
            cand --allow-http 'Accept a plain-HTTP endpoint on another machine'
            cand --json 'Print what was cloned as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;undo'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --discard-changes 'Overwrite uncommitted changes made since (saved first)'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;watch'= {
            cand --debounce 'How long a save''s files must stay unchanged before it is committed (e.g. 2s, 500ms, 1m)'
            cand --push 'Push each autosave to this remote (retried while offline)'
            cand --retry-max 'The longest wait between retries of a failed push (e.g. 30s, 5m)'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Print one JSON object per line for each event (see above)'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;lock'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;key'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the key slots: id, kind, label, when it was made, and its key derivation cost'
            cand add 'Add a passphrase (for a collaborator, another machine, or before retiring the old one)'
            cand remove 'Remove a key slot: its passphrase (or recovery key) no longer opens the repository'
            cand passwd 'Change the passphrase you unlock with (or set a new one with the recovery key)'
            cand recovery 'Make a new recovery key and revoke the old one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'daw;key;list'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Print as JSON'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;key;add'= {
            cand --label 'A name for the slot, shown by `daw key list` (e.g. whose it is)'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;key;remove'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;key;passwd'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --recovery 'Unlock with the recovery key instead of the current passphrase (a forgotten passphrase)'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;key;recovery'= {
            cand --recovery-key-file 'Write the recovery key to this new file (mode 600) instead of showing it'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;key;help'= {
            cand list 'List the key slots: id, kind, label, when it was made, and its key derivation cost'
            cand add 'Add a passphrase (for a collaborator, another machine, or before retiring the old one)'
            cand remove 'Remove a key slot: its passphrase (or recovery key) no longer opens the repository'
            cand passwd 'Change the passphrase you unlock with (or set a new one with the recovery key)'
            cand recovery 'Make a new recovery key and revoke the old one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'daw;key;help;list'= {
        }
        &'daw;key;help;add'= {
        }
        &'daw;key;help;remove'= {
        }
        &'daw;key;help;passwd'= {
        }
        &'daw;key;help;recovery'= {
        }
        &'daw;key;help;help'= {
        }
        &'daw;completions'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;generate-docs'= {
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;agent'= {
            cand --idle-timeout 'Seconds without a use of a key after which the agent forgets its keys and exits (at most 43200)'
            cand --session 'The session whose end ends the agent (the starting process''s session id)'
            cand --daw-dir 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)'
            cand -C 'Run as if daw was started in DIR'
            cand --color 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print only errors and warnings'
            cand --quiet 'Print only errors and warnings'
            cand -v 'Say more: which files were read, written or removed'
            cand --verbose 'Say more: which files were read, written or removed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'daw;help'= {
            cand init 'Put a project folder under version control'
            cand commit 'Snapshot the project'
            cand log 'Show the history, newest first'
            cand show 'Show a commit and the files it changed'
            cand export 'Write the project as it was at a commit into a new folder'
            cand fsck 'Check the repository for damage'
            cand gc 'Delete what nothing needs any more, and repack small packs into larger ones'
            cand stats 'Show where the bytes are: sizes, savings, and what each branch keeps'
            cand diff 'Show what changed, file by file and, in Live sets and FL Studio projects, in musical terms'
            cand inspect 'Print what a Live set or FL Studio project holds'
            cand samples 'List the samples your sets reference, and whether a snapshot holds them'
            cand status 'Show what changed in the project since the last commit'
            cand branch 'List, create, rename or delete branches'
            cand switch 'Switch to a branch, updating the project''s files'
            cand merge 'Bring another branch''s work into the current branch'
            cand resolve 'Choose which version of a conflicted file a merge keeps'
            cand restore 'Bring files back to how they were in a commit'
            cand tag 'List, create or delete tags'
            cand reset 'Move the current branch to another commit'
            cand oplog 'Show the operation log: every change to branches, tags, HEAD and the files daw rewrote'
            cand remote 'Manage remotes: where pushes go and fetches come from'
            cand push 'Send commits to a remote'
            cand fetch 'Download what a remote has and this repository lacks'
            cand pull 'Fetch from a remote and bring the current branch up to it'
            cand clone 'Make a new project folder from a remote'
            cand undo 'Undo the last operation (run it again to redo)'
            cand watch 'Snapshot every save of the project, in the background'
            cand lock 'Forget unlocked keys now'
            cand key 'Manage passphrases and the recovery key'
            cand completions 'Print the shell completion script for SHELL'
            cand generate-docs 'Write the man pages and completion scripts (for maintainers)'
            cand agent 'Run the key agent (started by daw itself; not for direct use)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'daw;help;init'= {
        }
        &'daw;help;commit'= {
        }
        &'daw;help;log'= {
        }
        &'daw;help;show'= {
        }
        &'daw;help;export'= {
        }
        &'daw;help;fsck'= {
        }
        &'daw;help;gc'= {
        }
        &'daw;help;stats'= {
        }
        &'daw;help;diff'= {
        }
        &'daw;help;inspect'= {
        }
        &'daw;help;samples'= {
        }
        &'daw;help;status'= {
        }
        &'daw;help;branch'= {
        }
        &'daw;help;switch'= {
        }
        &'daw;help;merge'= {
        }
        &'daw;help;resolve'= {
        }
        &'daw;help;restore'= {
        }
        &'daw;help;tag'= {
        }
        &'daw;help;reset'= {
        }
        &'daw;help;oplog'= {
        }
        &'daw;help;remote'= {
            cand add 'Add a remote, after checking it'
            cand list 'List the remotes'
            cand show 'Show a remote: where it is, what this repository last saw there'
            cand remove 'Forget a remote and its remote-tracking branches (the remote''s data is not touched)'
        }
        &'daw;help;remote;add'= {
        }
        &'daw;help;remote;list'= {
        }
        &'daw;help;remote;show'= {
        }
        &'daw;help;remote;remove'= {
        }
        &'daw;help;push'= {
        }
        &'daw;help;fetch'= {
        }
        &'daw;help;pull'= {
        }
        &'daw;help;clone'= {
        }
        &'daw;help;undo'= {
        }
        &'daw;help;watch'= {
        }
        &'daw;help;lock'= {
        }
        &'daw;help;key'= {
            cand list 'List the key slots: id, kind, label, when it was made, and its key derivation cost'
            cand add 'Add a passphrase (for a collaborator, another machine, or before retiring the old one)'
            cand remove 'Remove a key slot: its passphrase (or recovery key) no longer opens the repository'
            cand passwd 'Change the passphrase you unlock with (or set a new one with the recovery key)'
            cand recovery 'Make a new recovery key and revoke the old one'
        }
        &'daw;help;key;list'= {
        }
        &'daw;help;key;add'= {
        }
        &'daw;help;key;remove'= {
        }
        &'daw;help;key;passwd'= {
        }
        &'daw;help;key;recovery'= {
        }
        &'daw;help;completions'= {
        }
        &'daw;help;generate-docs'= {
        }
        &'daw;help;agent'= {
        }
        &'daw;help;help'= {
        }
    ]
    $completions[$command]
}
