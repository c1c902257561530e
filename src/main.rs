//! The `pizhu` binary: parses the command line and runs it over the core library.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = pizhu::cli::Cli::parse();
    match pizhu::cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("pizhu: {}", one_line(&format!("{error:#}")));
            ExitCode::FAILURE
        }
    }
}

/// Errors are one line: a multi-line cause (rare, from a library) is joined.
fn one_line(message: &str) -> String {
    message.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}
