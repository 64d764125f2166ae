//! `code42`: run the Code42 (Incydr) integration component from a terminal or a script.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
