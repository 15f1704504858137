
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'daw' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'daw'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'daw' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Put a project folder under version control')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Snapshot the project')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the history, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a commit and the files it changed')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the project as it was at a commit into a new folder')
            [CompletionResult]::new('fsck', 'fsck', [CompletionResultType]::ParameterValue, 'Check the repository for damage')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Delete what nothing needs any more, and repack small packs into larger ones')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show where the bytes are: sizes, savings, and what each branch keeps')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed, file by file and, in Live sets and FL Studio projects, in musical terms')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Print what a Live set or FL Studio project holds')
            [CompletionResult]::new('samples', 'samples', [CompletionResultType]::ParameterValue, 'List the samples your sets reference, and whether a snapshot holds them')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what changed in the project since the last commit')
            [CompletionResult]::new('branch', 'branch', [CompletionResultType]::ParameterValue, 'List, create, rename or delete branches')
            [CompletionResult]::new('switch', 'switch', [CompletionResultType]::ParameterValue, 'Switch to a branch, updating the project''s files')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Bring another branch''s work into the current branch')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Choose which version of a conflicted file a merge keeps')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Bring files back to how they were in a commit')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'List, create or delete tags')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Move the current branch to another commit')
            [CompletionResult]::new('oplog', 'oplog', [CompletionResultType]::ParameterValue, 'Show the operation log: every change to branches, tags, HEAD and the files daw rewrote')
            [CompletionResult]::new('remote', 'remote', [CompletionResultType]::ParameterValue, 'Manage remotes: where pushes go and fetches come from')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Send commits to a remote')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Download what a remote has and this repository lacks')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Fetch from a remote and bring the current branch up to it')
            [CompletionResult]::new('clone', 'clone', [CompletionResultType]::ParameterValue, 'Make a new project folder from a remote')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Undo the last operation (run it again to redo)')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Snapshot every save of the project, in the background')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Forget unlocked keys now')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Manage passphrases and the recovery key')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL')
            [CompletionResult]::new('generate-docs', 'generate-docs', [CompletionResultType]::ParameterValue, 'Write the man pages and completion scripts (for maintainers)')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Run the key agent (started by daw itself; not for direct use)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'daw;init' {
            [CompletionResult]::new('--recovery-key-file', '--recovery-key-file', [CompletionResultType]::ParameterName, 'Write the recovery key to this new file (mode 600) instead of showing it, for scripts')
            [CompletionResult]::new('--kdf-memory-kib', '--kdf-memory-kib', [CompletionResultType]::ParameterName, 'Argon2id memory for the passphrase key, in KiB (default 65536, at least 19456)')
            [CompletionResult]::new('--kdf-iterations', '--kdf-iterations', [CompletionResultType]::ParameterName, 'Argon2id passes for the passphrase key (default 3, at least 2)')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--insecure-test-kdf', '--insecure-test-kdf', [CompletionResultType]::ParameterName, 'Accept key derivation settings below the minimum, which make guessing the passphrase cheap: only for tests and throw-away repositories')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;commit' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'What changed, in your words')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'What changed, in your words')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--allow-empty', '--allow-empty', [CompletionResultType]::ParameterName, 'Make a commit even if nothing changed')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the new commit as JSON (see above)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;log' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most N commits')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Show at most N commits')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--oneline', '--oneline', [CompletionResultType]::ParameterName, 'One line per commit')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the commits as JSON (an array)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Start from every branch, every tag and HEAD')
            [CompletionResult]::new('--graph', '--graph', [CompletionResultType]::ParameterName, 'Draw the history as a graph of branches and merges')
            [CompletionResult]::new('--no-auto', '--no-auto', [CompletionResultType]::ParameterName, 'Leave out autosaves (the commits `daw watch` makes), showing only named commits')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;show' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;export' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;fsck' {
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Check a remote instead: its operations, packs and everything its branches reach (with --read-data, every block is downloaded and verified)')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--read-data', '--read-data', [CompletionResultType]::ParameterName, 'Decrypt and verify every stored byte')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the report as JSON')
            [CompletionResult]::new('--repair', '--repair', [CompletionResultType]::ParameterName, 'Rebuild damaged or missing indexes from the packs'' own headers, then check')
            [CompletionResult]::new('--accept-config', '--accept-config', [CompletionResultType]::ParameterName, 'Accept the values now in .daw/config for the settings daw authenticates (the worktree, the author) after you edited them yourself')
            [CompletionResult]::new('--accept-rollback', '--accept-rollback', [CompletionResultType]::ParameterName, 'Accept the repository''s current state as the newest after you restored an older copy on purpose (daw otherwise reports it as rolled back)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;gc' {
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'How long a mark waits before its packs are deleted, and how old a pack must be before it is marked (e.g. 24h, 90m, 7d, 0)')
            [CompletionResult]::new('--prune-oplog', '--prune-oplog', [CompletionResultType]::ParameterName, 'First remove from the log the operations older than this (e.g. 30d, 12h; 0 keeps only the last operation and the one before it)')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'List what would be deleted, marked and repacked; change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List what would be deleted, marked and repacked; change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was done as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;stats' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Cover everything the repository keeps, not one commit''s history')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the figures as JSON (bytes as integers)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;diff' {
            [CompletionResult]::new('--files', '--files', [CompletionResultType]::ParameterName, 'Compare two files outside any repository')
            [CompletionResult]::new('--git-driver', '--git-driver', [CompletionResultType]::ParameterName, 'Act as Git''s external diff driver: git passes PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--stat', '--stat', [CompletionResultType]::ParameterName, 'One line per file with its sizes and the number of musical changes, then totals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print as JSON')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'For Live sets, the line diff of the decompressed XML instead of the musical diff')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with 1 when there are differences, 0 when there are none')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;inspect' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the model as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;samples' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--missing', '--missing', [CompletionResultType]::ParameterName, 'Only the samples a snapshot would not hold (ignored, outside the project, missing)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print as JSON (an array of {project, sample, found, status})')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;status' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'One line per file: A new, M modified, D deleted, R renamed')
            [CompletionResult]::new('--short', '--short', [CompletionResultType]::ParameterName, 'One line per file: A new, M modified, D deleted, R renamed')
            [CompletionResult]::new('--porcelain', '--porcelain', [CompletionResultType]::ParameterName, 'Stable output for scripts (see above)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print as JSON')
            [CompletionResult]::new('--ignored', '--ignored', [CompletionResultType]::ParameterName, 'Also list the files left out of snapshots, and the rule that leaves each out')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;branch' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Delete a branch (refused if it holds commits nothing else holds)')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'Delete a branch (refused if it holds commits nothing else holds)')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Delete a branch even if its commits are held by nothing else')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Rename a branch: `-m OLD NEW`, or `-m NEW` for the current one')
            [CompletionResult]::new('--move', '--move', [CompletionResultType]::ParameterName, 'Rename a branch: `-m OLD NEW`, or `-m NEW` for the current one')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Move an existing branch (create) or replace an existing name (rename)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Move an existing branch (create) or replace an existing name (rename)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'List the remote-tracking branches too (origin/main…)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List the remote-tracking branches too (origin/main…)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'List only the remote-tracking branches')
            [CompletionResult]::new('--remotes', '--remotes', [CompletionResultType]::ParameterName, 'List only the remote-tracking branches')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'List as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;switch' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Create a new branch and switch to it')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create a new branch and switch to it')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Go to a commit on no branch (detached HEAD)')
            [CompletionResult]::new('--discard-changes', '--discard-changes', [CompletionResultType]::ParameterName, 'Overwrite uncommitted changes (they are saved first: `daw undo` brings them back)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;merge' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The merge commit''s message (default: "Merge ''REV'' into BRANCH")')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The merge commit''s message (default: "Merge ''REV'' into BRANCH")')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Make the merge commit once every conflict is resolved')
            [CompletionResult]::new('--abort', '--abort', [CompletionResultType]::ParameterName, 'Give up the merge in progress: every file back as before it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the outcome as JSON (see above)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;resolve' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'In a Live set merged inside: choose for this element only (its number or name)')
            [CompletionResult]::new('--element', '--element', [CompletionResultType]::ParameterName, 'In a Live set merged inside: choose for this element only (its number or name)')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--ours', '--ours', [CompletionResultType]::ParameterName, 'Keep this branch''s version')
            [CompletionResult]::new('--theirs', '--theirs', [CompletionResultType]::ParameterName, 'Keep the other side''s version')
            [CompletionResult]::new('--both', '--both', [CompletionResultType]::ParameterName, 'Keep both files')
            [CompletionResult]::new('--whole', '--whole', [CompletionResultType]::ParameterName, 'In a Live set merged inside: take the whole file of the side chosen instead')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;restore' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The commit to take them from (default HEAD)')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'The commit to take them from (default HEAD)')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Overwrite uncommitted changes (saved first: `daw undo` brings them back)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite uncommitted changes (saved first: `daw undo` brings them back)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;tag' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A message kept with the tag')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A message kept with the tag')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Delete a tag')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'Delete a tag')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Move an existing tag')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Move an existing tag')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'List as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;reset' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--hard', '--hard', [CompletionResultType]::ParameterName, 'Make the files match REV too')
            [CompletionResult]::new('--discard-changes', '--discard-changes', [CompletionResultType]::ParameterName, 'With --hard: overwrite uncommitted changes (saved first: `daw undo` brings them back)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;oplog' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most N operations')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Show at most N operations')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print as JSON (an array, newest first)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;remote' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a remote, after checking it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the remotes')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a remote: where it is, what this repository last saw there')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Forget a remote and its remote-tracking branches (the remote''s data is not touched)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'daw;remote;add' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'The S3 endpoint of a store other than AWS (https://…; http:// for a local server)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The S3 region (default: AWS_REGION, the profile''s, or us-east-1)')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address the bucket as ENDPOINT/BUCKET (MinIO, Garage, Ceph and most local servers)')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Accept a plain-HTTP endpoint on another machine (a trusted network only)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was found as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;remote;list' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;remote;show' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;remote;remove' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;remote;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a remote, after checking it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the remotes')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a remote: where it is, what this repository last saw there')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Forget a remote and its remote-tracking branches (the remote''s data is not touched)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'daw;remote;help;add' {
            break
        }
        'daw;remote;help;list' {
            break
        }
        'daw;remote;help;show' {
            break
        }
        'daw;remote;help;remove' {
            break
        }
        'daw;remote;help;help' {
            break
        }
        'daw;push' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Push every branch')
            [CompletionResult]::new('--tags', '--tags', [CompletionResultType]::ParameterName, 'Push every tag too')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Move remote branches and tags even where that drops commits on the remote')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Move remote branches and tags even where that drops commits on the remote')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was pushed as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;fetch' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was fetched as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;pull' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'With --merge: the merge commit''s message')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'With --merge: the merge commit''s message')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--merge', '--merge', [CompletionResultType]::ParameterName, 'On diverged histories, merge the remote''s branch into this one (see `daw merge`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the outcome as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;clone' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'The S3 endpoint of a store other than AWS')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The S3 region')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'The branch to check out')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'The branch to check out')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--path-style', '--path-style', [CompletionResultType]::ParameterName, 'Address the bucket as ENDPOINT/BUCKET')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Accept a plain-HTTP endpoint on another machine')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print what was cloned as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;undo' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--discard-changes', '--discard-changes', [CompletionResultType]::ParameterName, 'Overwrite uncommitted changes made since (saved first)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;watch' {
            [CompletionResult]::new('--debounce', '--debounce', [CompletionResultType]::ParameterName, 'How long a save''s files must stay unchanged before it is committed (e.g. 2s, 500ms, 1m)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push each autosave to this remote (retried while offline)')
            [CompletionResult]::new('--retry-max', '--retry-max', [CompletionResultType]::ParameterName, 'The longest wait between retries of a failed push (e.g. 30s, 5m)')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object per line for each event (see above)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;lock' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;key' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the key slots: id, kind, label, when it was made, and its key derivation cost')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a passphrase (for a collaborator, another machine, or before retiring the old one)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a key slot: its passphrase (or recovery key) no longer opens the repository')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change the passphrase you unlock with (or set a new one with the recovery key)')
            [CompletionResult]::new('recovery', 'recovery', [CompletionResultType]::ParameterValue, 'Make a new recovery key and revoke the old one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'daw;key;list' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;key;add' {
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'A name for the slot, shown by `daw key list` (e.g. whose it is)')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;key;remove' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;key;passwd' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--recovery', '--recovery', [CompletionResultType]::ParameterName, 'Unlock with the recovery key instead of the current passphrase (a forgotten passphrase)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;key;recovery' {
            [CompletionResult]::new('--recovery-key-file', '--recovery-key-file', [CompletionResultType]::ParameterName, 'Write the recovery key to this new file (mode 600) instead of showing it')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;key;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the key slots: id, kind, label, when it was made, and its key derivation cost')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a passphrase (for a collaborator, another machine, or before retiring the old one)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a key slot: its passphrase (or recovery key) no longer opens the repository')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change the passphrase you unlock with (or set a new one with the recovery key)')
            [CompletionResult]::new('recovery', 'recovery', [CompletionResultType]::ParameterValue, 'Make a new recovery key and revoke the old one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'daw;key;help;list' {
            break
        }
        'daw;key;help;add' {
            break
        }
        'daw;key;help;remove' {
            break
        }
        'daw;key;help;passwd' {
            break
        }
        'daw;key;help;recovery' {
            break
        }
        'daw;key;help;help' {
            break
        }
        'daw;completions' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;generate-docs' {
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;agent' {
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Seconds without a use of a key after which the agent forgets its keys and exits (at most 43200)')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'The session whose end ends the agent (the starting process''s session id)')
            [CompletionResult]::new('--daw-dir', '--daw-dir', [CompletionResultType]::ParameterName, 'Use the repository in DIR instead of the `.daw` folder of the project (like GIT_DIR)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if daw was started in DIR')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: which files were read, written or removed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'daw;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Put a project folder under version control')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Snapshot the project')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the history, newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a commit and the files it changed')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the project as it was at a commit into a new folder')
            [CompletionResult]::new('fsck', 'fsck', [CompletionResultType]::ParameterValue, 'Check the repository for damage')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Delete what nothing needs any more, and repack small packs into larger ones')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show where the bytes are: sizes, savings, and what each branch keeps')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed, file by file and, in Live sets and FL Studio projects, in musical terms')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Print what a Live set or FL Studio project holds')
            [CompletionResult]::new('samples', 'samples', [CompletionResultType]::ParameterValue, 'List the samples your sets reference, and whether a snapshot holds them')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what changed in the project since the last commit')
            [CompletionResult]::new('branch', 'branch', [CompletionResultType]::ParameterValue, 'List, create, rename or delete branches')
            [CompletionResult]::new('switch', 'switch', [CompletionResultType]::ParameterValue, 'Switch to a branch, updating the project''s files')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Bring another branch''s work into the current branch')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Choose which version of a conflicted file a merge keeps')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Bring files back to how they were in a commit')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'List, create or delete tags')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Move the current branch to another commit')
            [CompletionResult]::new('oplog', 'oplog', [CompletionResultType]::ParameterValue, 'Show the operation log: every change to branches, tags, HEAD and the files daw rewrote')
            [CompletionResult]::new('remote', 'remote', [CompletionResultType]::ParameterValue, 'Manage remotes: where pushes go and fetches come from')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Send commits to a remote')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Download what a remote has and this repository lacks')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Fetch from a remote and bring the current branch up to it')
            [CompletionResult]::new('clone', 'clone', [CompletionResultType]::ParameterValue, 'Make a new project folder from a remote')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Undo the last operation (run it again to redo)')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Snapshot every save of the project, in the background')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Forget unlocked keys now')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Manage passphrases and the recovery key')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL')
            [CompletionResult]::new('generate-docs', 'generate-docs', [CompletionResultType]::ParameterValue, 'Write the man pages and completion scripts (for maintainers)')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Run the key agent (started by daw itself; not for direct use)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'daw;help;init' {
            break
        }
        'daw;help;commit' {
            break
        }
        'daw;help;log' {
            break
        }
        'daw;help;show' {
            break
        }
        'daw;help;export' {
            break
        }
        'daw;help;fsck' {
            break
        }
        'daw;help;gc' {
            break
        }
        'daw;help;stats' {
            break
        }
        'daw;help;diff' {
            break
        }
        'daw;help;inspect' {
            break
        }
        'daw;help;samples' {
            break
        }
        'daw;help;status' {
            break
        }
        'daw;help;branch' {
            break
        }
        'daw;help;switch' {
            break
        }
        'daw;help;merge' {
            break
        }
        'daw;help;resolve' {
            break
        }
        'daw;help;restore' {
            break
        }
        'daw;help;tag' {
            break
        }
        'daw;help;reset' {
            break
        }
        'daw;help;oplog' {
            break
        }
        'daw;help;remote' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a remote, after checking it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the remotes')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a remote: where it is, what this repository last saw there')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Forget a remote and its remote-tracking branches (the remote''s data is not touched)')
            break
        }
        'daw;help;remote;add' {
            break
        }
        'daw;help;remote;list' {
            break
        }
        'daw;help;remote;show' {
            break
        }
        'daw;help;remote;remove' {
            break
        }
        'daw;help;push' {
            break
        }
        'daw;help;fetch' {
            break
        }
        'daw;help;pull' {
            break
        }
        'daw;help;clone' {
            break
        }
        'daw;help;undo' {
            break
        }
        'daw;help;watch' {
            break
        }
        'daw;help;lock' {
            break
        }
        'daw;help;key' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the key slots: id, kind, label, when it was made, and its key derivation cost')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a passphrase (for a collaborator, another machine, or before retiring the old one)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a key slot: its passphrase (or recovery key) no longer opens the repository')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change the passphrase you unlock with (or set a new one with the recovery key)')
            [CompletionResult]::new('recovery', 'recovery', [CompletionResultType]::ParameterValue, 'Make a new recovery key and revoke the old one')
            break
        }
        'daw;help;key;list' {
            break
        }
        'daw;help;key;add' {
            break
        }
        'daw;help;key;remove' {
            break
        }
        'daw;help;key;passwd' {
            break
        }
        'daw;help;key;recovery' {
            break
        }
        'daw;help;completions' {
            break
        }
        'daw;help;generate-docs' {
            break
        }
        'daw;help;agent' {
            break
        }
        'daw;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
