use crate::cli::{CommandError, Context, agent};

/// Forget unlocked keys now
///
/// Stops the key agent, which wipes the keys it kept: the next command asks for the passphrase again.
/// The agent also does this by itself after 10 minutes without use (DAW_AGENT_TIMEOUT seconds).
#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> Result<(), CommandError> {
    match agent::lock() {
        Some(n) => ctx.say(format_args!(
            "Locked: the agent forgot {} and stopped.",
            crate::cli::commands::switch::plural(usize::from(n), "key")
        ))?,
        None => ctx.say(format_args!("No agent was running; nothing to forget."))?,
    }
    Ok(())
}
