# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_daw_global_optspecs
    string join \n daw-dir= C= q/quiet v/verbose color= h/help V/version
end

function __fish_daw_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_daw_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_daw_using_subcommand
    set -l cmd (__fish_daw_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c daw -n "__fish_daw_needs_command" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_needs_command" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_needs_command" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_needs_command" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_needs_command" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_needs_command" -s h -l help -d 'Print help'
complete -c daw -n "__fish_daw_needs_command" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_needs_command" -f -a "init" -d 'Put a project folder under version control'
complete -c daw -n "__fish_daw_needs_command" -f -a "commit" -d 'Snapshot the project'
complete -c daw -n "__fish_daw_needs_command" -f -a "log" -d 'Show the history, newest first'
complete -c daw -n "__fish_daw_needs_command" -f -a "show" -d 'Show a commit and the files it changed'
complete -c daw -n "__fish_daw_needs_command" -f -a "export" -d 'Write the project as it was at a commit into a new folder'
complete -c daw -n "__fish_daw_needs_command" -f -a "fsck" -d 'Check the repository for damage'
complete -c daw -n "__fish_daw_needs_command" -f -a "gc" -d 'Delete what nothing needs any more, and repack small packs into larger ones'
complete -c daw -n "__fish_daw_needs_command" -f -a "stats" -d 'Show where the bytes are: sizes, savings, and what each branch keeps'
complete -c daw -n "__fish_daw_needs_command" -f -a "diff" -d 'Show what changed, file by file and, in Live sets and FL Studio projects, in musical terms'
complete -c daw -n "__fish_daw_needs_command" -f -a "inspect" -d 'Print what a Live set or FL Studio project holds'
complete -c daw -n "__fish_daw_needs_command" -f -a "samples" -d 'List the samples your sets reference, and whether a snapshot holds them'
complete -c daw -n "__fish_daw_needs_command" -f -a "status" -d 'Show what changed in the project since the last commit'
complete -c daw -n "__fish_daw_needs_command" -f -a "branch" -d 'List, create, rename or delete branches'
complete -c daw -n "__fish_daw_needs_command" -f -a "switch" -d 'Switch to a branch, updating the project\'s files'
complete -c daw -n "__fish_daw_needs_command" -f -a "merge" -d 'Bring another branch\'s work into the current branch'
complete -c daw -n "__fish_daw_needs_command" -f -a "resolve" -d 'Choose which version of a conflicted file a merge keeps'
complete -c daw -n "__fish_daw_needs_command" -f -a "restore" -d 'Bring files back to how they were in a commit'
complete -c daw -n "__fish_daw_needs_command" -f -a "tag" -d 'List, create or delete tags'
complete -c daw -n "__fish_daw_needs_command" -f -a "reset" -d 'Move the current branch to another commit'
complete -c daw -n "__fish_daw_needs_command" -f -a "oplog" -d 'Show the operation log: every change to branches, tags, HEAD and the files daw rewrote'
complete -c daw -n "__fish_daw_needs_command" -f -a "remote" -d 'Manage remotes: where pushes go and fetches come from'
complete -c daw -n "__fish_daw_needs_command" -f -a "push" -d 'Send commits to a remote'
complete -c daw -n "__fish_daw_needs_command" -f -a "fetch" -d 'Download what a remote has and this repository lacks'
complete -c daw -n "__fish_daw_needs_command" -f -a "pull" -d 'Fetch from a remote and bring the current branch up to it'
complete -c daw -n "__fish_daw_needs_command" -f -a "clone" -d 'Make a new project folder from a remote'
complete -c daw -n "__fish_daw_needs_command" -f -a "undo" -d 'Undo the last operation (run it again to redo)'
complete -c daw -n "__fish_daw_needs_command" -f -a "watch" -d 'Snapshot every save of the project, in the background'
complete -c daw -n "__fish_daw_needs_command" -f -a "lock" -d 'Forget unlocked keys now'
complete -c daw -n "__fish_daw_needs_command" -f -a "key" -d 'Manage passphrases and the recovery key'
complete -c daw -n "__fish_daw_needs_command" -f -a "completions" -d 'Print the shell completion script for SHELL'
complete -c daw -n "__fish_daw_needs_command" -f -a "generate-docs" -d 'Write the man pages and completion scripts (for maintainers)'
complete -c daw -n "__fish_daw_needs_command" -f -a "agent" -d 'Run the key agent (started by daw itself; not for direct use)'
complete -c daw -n "__fish_daw_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c daw -n "__fish_daw_using_subcommand init" -l recovery-key-file -d 'Write the recovery key to this new file (mode 600) instead of showing it, for scripts' -r -F
complete -c daw -n "__fish_daw_using_subcommand init" -l kdf-memory-kib -d 'Argon2id memory for the passphrase key, in KiB (default 65536, at least 19456)' -r
complete -c daw -n "__fish_daw_using_subcommand init" -l kdf-iterations -d 'Argon2id passes for the passphrase key (default 3, at least 2)' -r
complete -c daw -n "__fish_daw_using_subcommand init" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand init" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand init" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand init" -l insecure-test-kdf -d 'Accept key derivation settings below the minimum, which make guessing the passphrase cheap: only for tests and throw-away repositories'
complete -c daw -n "__fish_daw_using_subcommand init" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand init" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand init" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand commit" -s m -l message -d 'What changed, in your words' -r
complete -c daw -n "__fish_daw_using_subcommand commit" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand commit" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand commit" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand commit" -l allow-empty -d 'Make a commit even if nothing changed'
complete -c daw -n "__fish_daw_using_subcommand commit" -l json -d 'Print the new commit as JSON (see above)'
complete -c daw -n "__fish_daw_using_subcommand commit" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand commit" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand commit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand commit" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand log" -s n -l max-count -d 'Show at most N commits' -r
complete -c daw -n "__fish_daw_using_subcommand log" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand log" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand log" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand log" -l oneline -d 'One line per commit'
complete -c daw -n "__fish_daw_using_subcommand log" -l json -d 'Print the commits as JSON (an array)'
complete -c daw -n "__fish_daw_using_subcommand log" -l all -d 'Start from every branch, every tag and HEAD'
complete -c daw -n "__fish_daw_using_subcommand log" -l graph -d 'Draw the history as a graph of branches and merges'
complete -c daw -n "__fish_daw_using_subcommand log" -l no-auto -d 'Leave out autosaves (the commits `daw watch` makes), showing only named commits'
complete -c daw -n "__fish_daw_using_subcommand log" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand log" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand log" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand show" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand show" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand show" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand show" -l json -d 'Print as JSON'
complete -c daw -n "__fish_daw_using_subcommand show" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand show" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand show" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand export" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand export" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand export" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand export" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand export" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand export" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand fsck" -l remote -d 'Check a remote instead: its operations, packs and everything its branches reach (with --read-data, every block is downloaded and verified)' -r
complete -c daw -n "__fish_daw_using_subcommand fsck" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand fsck" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand fsck" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand fsck" -l read-data -d 'Decrypt and verify every stored byte'
complete -c daw -n "__fish_daw_using_subcommand fsck" -l json -d 'Print the report as JSON'
complete -c daw -n "__fish_daw_using_subcommand fsck" -l repair -d 'Rebuild damaged or missing indexes from the packs\' own headers, then check'
complete -c daw -n "__fish_daw_using_subcommand fsck" -l accept-config -d 'Accept the values now in .daw/config for the settings daw authenticates (the worktree, the author) after you edited them yourself'
complete -c daw -n "__fish_daw_using_subcommand fsck" -l accept-rollback -d 'Accept the repository\'s current state as the newest after you restored an older copy on purpose (daw otherwise reports it as rolled back)'
complete -c daw -n "__fish_daw_using_subcommand fsck" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand fsck" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand fsck" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand fsck" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand gc" -l grace -d 'How long a mark waits before its packs are deleted, and how old a pack must be before it is marked (e.g. 24h, 90m, 7d, 0)' -r
complete -c daw -n "__fish_daw_using_subcommand gc" -l prune-oplog -d 'First remove from the log the operations older than this (e.g. 30d, 12h; 0 keeps only the last operation and the one before it)' -r
complete -c daw -n "__fish_daw_using_subcommand gc" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand gc" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand gc" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand gc" -s n -l dry-run -d 'List what would be deleted, marked and repacked; change nothing'
complete -c daw -n "__fish_daw_using_subcommand gc" -l json -d 'Print what was done as JSON'
complete -c daw -n "__fish_daw_using_subcommand gc" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand gc" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand gc" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand gc" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand stats" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand stats" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand stats" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand stats" -l all -d 'Cover everything the repository keeps, not one commit\'s history'
complete -c daw -n "__fish_daw_using_subcommand stats" -l json -d 'Print the figures as JSON (bytes as integers)'
complete -c daw -n "__fish_daw_using_subcommand stats" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand stats" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand stats" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand diff" -l files -d 'Compare two files outside any repository' -r -F
complete -c daw -n "__fish_daw_using_subcommand diff" -l git-driver -d 'Act as Git\'s external diff driver: git passes PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE' -r
complete -c daw -n "__fish_daw_using_subcommand diff" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand diff" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand diff" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand diff" -l stat -d 'One line per file with its sizes and the number of musical changes, then totals'
complete -c daw -n "__fish_daw_using_subcommand diff" -l json -d 'Print as JSON'
complete -c daw -n "__fish_daw_using_subcommand diff" -l raw -d 'For Live sets, the line diff of the decompressed XML instead of the musical diff'
complete -c daw -n "__fish_daw_using_subcommand diff" -l exit-code -d 'Exit with 1 when there are differences, 0 when there are none'
complete -c daw -n "__fish_daw_using_subcommand diff" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand diff" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand diff" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand inspect" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand inspect" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand inspect" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand inspect" -l json -d 'Print the model as JSON'
complete -c daw -n "__fish_daw_using_subcommand inspect" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand inspect" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand samples" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand samples" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand samples" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand samples" -l missing -d 'Only the samples a snapshot would not hold (ignored, outside the project, missing)'
complete -c daw -n "__fish_daw_using_subcommand samples" -l json -d 'Print as JSON (an array of {project, sample, found, status})'
complete -c daw -n "__fish_daw_using_subcommand samples" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand samples" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand samples" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand samples" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand status" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand status" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand status" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand status" -s s -l short -d 'One line per file: A new, M modified, D deleted, R renamed'
complete -c daw -n "__fish_daw_using_subcommand status" -l porcelain -d 'Stable output for scripts (see above)'
complete -c daw -n "__fish_daw_using_subcommand status" -l json -d 'Print as JSON'
complete -c daw -n "__fish_daw_using_subcommand status" -l ignored -d 'Also list the files left out of snapshots, and the rule that leaves each out'
complete -c daw -n "__fish_daw_using_subcommand status" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand status" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand status" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand branch" -s d -l delete -d 'Delete a branch (refused if it holds commits nothing else holds)' -r
complete -c daw -n "__fish_daw_using_subcommand branch" -s D -d 'Delete a branch even if its commits are held by nothing else' -r
complete -c daw -n "__fish_daw_using_subcommand branch" -s m -l move -d 'Rename a branch: `-m OLD NEW`, or `-m NEW` for the current one' -r
complete -c daw -n "__fish_daw_using_subcommand branch" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand branch" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand branch" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand branch" -s f -l force -d 'Move an existing branch (create) or replace an existing name (rename)'
complete -c daw -n "__fish_daw_using_subcommand branch" -s a -l all -d 'List the remote-tracking branches too (origin/main…)'
complete -c daw -n "__fish_daw_using_subcommand branch" -s r -l remotes -d 'List only the remote-tracking branches'
complete -c daw -n "__fish_daw_using_subcommand branch" -l json -d 'List as JSON'
complete -c daw -n "__fish_daw_using_subcommand branch" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand branch" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand branch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand branch" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand switch" -s c -l create -d 'Create a new branch and switch to it' -r
complete -c daw -n "__fish_daw_using_subcommand switch" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand switch" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand switch" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand switch" -l detach -d 'Go to a commit on no branch (detached HEAD)'
complete -c daw -n "__fish_daw_using_subcommand switch" -l discard-changes -d 'Overwrite uncommitted changes (they are saved first: `daw undo` brings them back)'
complete -c daw -n "__fish_daw_using_subcommand switch" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand switch" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand switch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand switch" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand merge" -s m -l message -d 'The merge commit\'s message (default: "Merge \'REV\' into BRANCH")' -r
complete -c daw -n "__fish_daw_using_subcommand merge" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand merge" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand merge" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand merge" -l continue -d 'Make the merge commit once every conflict is resolved'
complete -c daw -n "__fish_daw_using_subcommand merge" -l abort -d 'Give up the merge in progress: every file back as before it'
complete -c daw -n "__fish_daw_using_subcommand merge" -l json -d 'Print the outcome as JSON (see above)'
complete -c daw -n "__fish_daw_using_subcommand merge" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand merge" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand merge" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand resolve" -s e -l element -d 'In a Live set merged inside: choose for this element only (its number or name)' -r
complete -c daw -n "__fish_daw_using_subcommand resolve" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand resolve" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand resolve" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand resolve" -l ours -d 'Keep this branch\'s version'
complete -c daw -n "__fish_daw_using_subcommand resolve" -l theirs -d 'Keep the other side\'s version'
complete -c daw -n "__fish_daw_using_subcommand resolve" -l both -d 'Keep both files'
complete -c daw -n "__fish_daw_using_subcommand resolve" -l whole -d 'In a Live set merged inside: take the whole file of the side chosen instead'
complete -c daw -n "__fish_daw_using_subcommand resolve" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand resolve" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand resolve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand resolve" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand restore" -s s -l source -d 'The commit to take them from (default HEAD)' -r
complete -c daw -n "__fish_daw_using_subcommand restore" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand restore" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand restore" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand restore" -s f -l force -d 'Overwrite uncommitted changes (saved first: `daw undo` brings them back)'
complete -c daw -n "__fish_daw_using_subcommand restore" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand restore" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand restore" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand tag" -s m -l message -d 'A message kept with the tag' -r
complete -c daw -n "__fish_daw_using_subcommand tag" -s d -l delete -d 'Delete a tag' -r
complete -c daw -n "__fish_daw_using_subcommand tag" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand tag" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand tag" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand tag" -s f -l force -d 'Move an existing tag'
complete -c daw -n "__fish_daw_using_subcommand tag" -l json -d 'List as JSON'
complete -c daw -n "__fish_daw_using_subcommand tag" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand tag" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand tag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand tag" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand reset" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand reset" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand reset" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand reset" -l hard -d 'Make the files match REV too'
complete -c daw -n "__fish_daw_using_subcommand reset" -l discard-changes -d 'With --hard: overwrite uncommitted changes (saved first: `daw undo` brings them back)'
complete -c daw -n "__fish_daw_using_subcommand reset" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand reset" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand reset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand reset" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand oplog" -s n -l max-count -d 'Show at most N operations' -r
complete -c daw -n "__fish_daw_using_subcommand oplog" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand oplog" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand oplog" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand oplog" -l json -d 'Print as JSON (an array, newest first)'
complete -c daw -n "__fish_daw_using_subcommand oplog" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand oplog" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand oplog" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand oplog" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -f -a "add" -d 'Add a remote, after checking it'
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -f -a "list" -d 'List the remotes'
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -f -a "show" -d 'Show a remote: where it is, what this repository last saw there'
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -f -a "remove" -d 'Forget a remote and its remote-tracking branches (the remote\'s data is not touched)'
complete -c daw -n "__fish_daw_using_subcommand remote; and not __fish_seen_subcommand_from add list show remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -l endpoint -d 'The S3 endpoint of a store other than AWS (https://…; http:// for a local server)' -r
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -l region -d 'The S3 region (default: AWS_REGION, the profile\'s, or us-east-1)' -r
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -l path-style -d 'Address the bucket as ENDPOINT/BUCKET (MinIO, Garage, Ceph and most local servers)'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -l allow-http -d 'Accept a plain-HTTP endpoint on another machine (a trusted network only)'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -l json -d 'Print what was found as JSON'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from list" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from list" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from list" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from list" -l json -d 'Print as JSON'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from show" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from show" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from show" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from show" -l json -d 'Print as JSON'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from remove" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from remove" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from remove" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a remote, after checking it'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the remotes'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a remote: where it is, what this repository last saw there'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Forget a remote and its remote-tracking branches (the remote\'s data is not touched)'
complete -c daw -n "__fish_daw_using_subcommand remote; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c daw -n "__fish_daw_using_subcommand push" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand push" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand push" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand push" -l all -d 'Push every branch'
complete -c daw -n "__fish_daw_using_subcommand push" -l tags -d 'Push every tag too'
complete -c daw -n "__fish_daw_using_subcommand push" -s f -l force -d 'Move remote branches and tags even where that drops commits on the remote'
complete -c daw -n "__fish_daw_using_subcommand push" -l json -d 'Print what was pushed as JSON'
complete -c daw -n "__fish_daw_using_subcommand push" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand push" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand push" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand fetch" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand fetch" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand fetch" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand fetch" -l json -d 'Print what was fetched as JSON'
complete -c daw -n "__fish_daw_using_subcommand fetch" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand fetch" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand fetch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand fetch" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand pull" -s m -l message -d 'With --merge: the merge commit\'s message' -r
complete -c daw -n "__fish_daw_using_subcommand pull" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand pull" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand pull" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand pull" -l merge -d 'On diverged histories, merge the remote\'s branch into this one (see `daw merge`)'
complete -c daw -n "__fish_daw_using_subcommand pull" -l json -d 'Print the outcome as JSON'
complete -c daw -n "__fish_daw_using_subcommand pull" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand pull" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand pull" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand pull" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand clone" -l endpoint -d 'The S3 endpoint of a store other than AWS' -r
complete -c daw -n "__fish_daw_using_subcommand clone" -l region -d 'The S3 region' -r
complete -c daw -n "__fish_daw_using_subcommand clone" -s b -l branch -d 'The branch to check out' -r
complete -c daw -n "__fish_daw_using_subcommand clone" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand clone" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand clone" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand clone" -l path-style -d 'Address the bucket as ENDPOINT/BUCKET'
complete -c daw -n "__fish_daw_using_subcommand clone" -l allow-http -d 'Accept a plain-HTTP endpoint on another machine'
complete -c daw -n "__fish_daw_using_subcommand clone" -l json -d 'Print what was cloned as JSON'
complete -c daw -n "__fish_daw_using_subcommand clone" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand clone" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand clone" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand clone" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand undo" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand undo" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand undo" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand undo" -l discard-changes -d 'Overwrite uncommitted changes made since (saved first)'
complete -c daw -n "__fish_daw_using_subcommand undo" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand undo" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand undo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand undo" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand watch" -l debounce -d 'How long a save\'s files must stay unchanged before it is committed (e.g. 2s, 500ms, 1m)' -r
complete -c daw -n "__fish_daw_using_subcommand watch" -l push -d 'Push each autosave to this remote (retried while offline)' -r
complete -c daw -n "__fish_daw_using_subcommand watch" -l retry-max -d 'The longest wait between retries of a failed push (e.g. 30s, 5m)' -r
complete -c daw -n "__fish_daw_using_subcommand watch" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand watch" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand watch" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand watch" -l json -d 'Print one JSON object per line for each event (see above)'
complete -c daw -n "__fish_daw_using_subcommand watch" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand watch" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand watch" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand lock" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand lock" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand lock" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand lock" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand lock" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand lock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand lock" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -f -a "list" -d 'List the key slots: id, kind, label, when it was made, and its key derivation cost'
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -f -a "add" -d 'Add a passphrase (for a collaborator, another machine, or before retiring the old one)'
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -f -a "remove" -d 'Remove a key slot: its passphrase (or recovery key) no longer opens the repository'
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -f -a "passwd" -d 'Change the passphrase you unlock with (or set a new one with the recovery key)'
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -f -a "recovery" -d 'Make a new recovery key and revoke the old one'
complete -c daw -n "__fish_daw_using_subcommand key; and not __fish_seen_subcommand_from list add remove passwd recovery help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from list" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from list" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from list" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from list" -l json -d 'Print as JSON'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from add" -l label -d 'A name for the slot, shown by `daw key list` (e.g. whose it is)' -r
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from add" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from add" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from add" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from remove" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from remove" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from remove" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from passwd" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from passwd" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from passwd" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from passwd" -l recovery -d 'Unlock with the recovery key instead of the current passphrase (a forgotten passphrase)'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from passwd" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from passwd" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from passwd" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from passwd" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from recovery" -l recovery-key-file -d 'Write the recovery key to this new file (mode 600) instead of showing it' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from recovery" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from recovery" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from recovery" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from recovery" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from recovery" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from recovery" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from recovery" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the key slots: id, kind, label, when it was made, and its key derivation cost'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a passphrase (for a collaborator, another machine, or before retiring the old one)'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a key slot: its passphrase (or recovery key) no longer opens the repository'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "passwd" -d 'Change the passphrase you unlock with (or set a new one with the recovery key)'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "recovery" -d 'Make a new recovery key and revoke the old one'
complete -c daw -n "__fish_daw_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c daw -n "__fish_daw_using_subcommand completions" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand completions" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand completions" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand completions" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand completions" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand completions" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand generate-docs" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand generate-docs" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand generate-docs" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand generate-docs" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand generate-docs" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand generate-docs" -s h -l help -d 'Print help'
complete -c daw -n "__fish_daw_using_subcommand generate-docs" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand agent" -l idle-timeout -d 'Seconds without a use of a key after which the agent forgets its keys and exits (at most 43200)' -r
complete -c daw -n "__fish_daw_using_subcommand agent" -l session -d 'The session whose end ends the agent (the starting process\'s session id)' -r
complete -c daw -n "__fish_daw_using_subcommand agent" -l daw-dir -d 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)' -r -F
complete -c daw -n "__fish_daw_using_subcommand agent" -s C -d 'Run as if daw was started in DIR' -r -F
complete -c daw -n "__fish_daw_using_subcommand agent" -l color -d 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c daw -n "__fish_daw_using_subcommand agent" -s q -l quiet -d 'Print only errors and warnings'
complete -c daw -n "__fish_daw_using_subcommand agent" -s v -l verbose -d 'Say more: which files were read, written or removed'
complete -c daw -n "__fish_daw_using_subcommand agent" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c daw -n "__fish_daw_using_subcommand agent" -s V -l version -d 'Print version'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "init" -d 'Put a project folder under version control'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "commit" -d 'Snapshot the project'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "log" -d 'Show the history, newest first'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "show" -d 'Show a commit and the files it changed'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "export" -d 'Write the project as it was at a commit into a new folder'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "fsck" -d 'Check the repository for damage'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "gc" -d 'Delete what nothing needs any more, and repack small packs into larger ones'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "stats" -d 'Show where the bytes are: sizes, savings, and what each branch keeps'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "diff" -d 'Show what changed, file by file and, in Live sets and FL Studio projects, in musical terms'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "inspect" -d 'Print what a Live set or FL Studio project holds'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "samples" -d 'List the samples your sets reference, and whether a snapshot holds them'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "status" -d 'Show what changed in the project since the last commit'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "branch" -d 'List, create, rename or delete branches'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "switch" -d 'Switch to a branch, updating the project\'s files'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "merge" -d 'Bring another branch\'s work into the current branch'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "resolve" -d 'Choose which version of a conflicted file a merge keeps'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "restore" -d 'Bring files back to how they were in a commit'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "tag" -d 'List, create or delete tags'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "reset" -d 'Move the current branch to another commit'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "oplog" -d 'Show the operation log: every change to branches, tags, HEAD and the files daw rewrote'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "remote" -d 'Manage remotes: where pushes go and fetches come from'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "push" -d 'Send commits to a remote'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "fetch" -d 'Download what a remote has and this repository lacks'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "pull" -d 'Fetch from a remote and bring the current branch up to it'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "clone" -d 'Make a new project folder from a remote'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "undo" -d 'Undo the last operation (run it again to redo)'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "watch" -d 'Snapshot every save of the project, in the background'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "lock" -d 'Forget unlocked keys now'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "key" -d 'Manage passphrases and the recovery key'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "completions" -d 'Print the shell completion script for SHELL'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "generate-docs" -d 'Write the man pages and completion scripts (for maintainers)'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "agent" -d 'Run the key agent (started by daw itself; not for direct use)'
complete -c daw -n "__fish_daw_using_subcommand help; and not __fish_seen_subcommand_from init commit log show export fsck gc stats diff inspect samples status branch switch merge resolve restore tag reset oplog remote push fetch pull clone undo watch lock key completions generate-docs agent help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c daw -n "__fish_daw_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "add" -d 'Add a remote, after checking it'
complete -c daw -n "__fish_daw_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "list" -d 'List the remotes'
complete -c daw -n "__fish_daw_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "show" -d 'Show a remote: where it is, what this repository last saw there'
complete -c daw -n "__fish_daw_using_subcommand help; and __fish_seen_subcommand_from remote" -f -a "remove" -d 'Forget a remote and its remote-tracking branches (the remote\'s data is not touched)'
complete -c daw -n "__fish_daw_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "list" -d 'List the key slots: id, kind, label, when it was made, and its key derivation cost'
complete -c daw -n "__fish_daw_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "add" -d 'Add a passphrase (for a collaborator, another machine, or before retiring the old one)'
complete -c daw -n "__fish_daw_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "remove" -d 'Remove a key slot: its passphrase (or recovery key) no longer opens the repository'
complete -c daw -n "__fish_daw_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "passwd" -d 'Change the passphrase you unlock with (or set a new one with the recovery key)'
complete -c daw -n "__fish_daw_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "recovery" -d 'Make a new recovery key and revoke the old one'
