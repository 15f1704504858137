//! The `daw` command-line tool. All terminal input and output, and all reading of the environment,
//! happens in `cli`; the library (`daw::…`) does neither.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
