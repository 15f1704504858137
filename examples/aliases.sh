# Shell aliases for daw, for bash and zsh: source it from ~/.bashrc or ~/.zshrc.
#
#   . /path/to/daw/examples/aliases.sh
#
# Short names for what a producer types all day; each is plain daw, so `daw help COMMAND` explains it.
# None shadows a common command (`dd`, `dc` and `di` are system tools).

alias ds='daw status'
alias dss='daw status --short'
alias dsi='daw status --ignored'     # also what the ignore rules leave out, and why
alias ddf='daw diff'
alias ddfs='daw diff --stat'
alias dl='daw log --oneline -n 20'
alias dlg='daw log --oneline --graph --all'
alias dsh='daw show'
alias dsw='daw switch'
alias db='daw branch'
alias dsm='daw samples --missing'    # samples your sets use that a snapshot does not hold

# `dcm tempo 128, new bass` commits with the rest of the line as the message (no quotes needed).
dcm() { daw commit -m "$*"; }

# `dsave` commits with the time as the message: a checkpoint before trying something risky.
dsave() { daw commit -m "checkpoint $(date '+%Y-%m-%d %H:%M')"; }

# `dundo` reverts daw's last operation (a commit, a switch, a reset…); `daw oplog` shows what it was.
alias dundo='daw undo'
