//! `pizhu completions SHELL` and `pizhu man`: shell completion scripts and man pages, both
//! generated from the clap definitions, so they never drift from the command line.

use super::{Cli, Output};
use anyhow::{Context as _, Result};
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::path::PathBuf;
use std::process::ExitCode;

/// `pizhu completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell
    pub shell: Shell,
}

/// `pizhu man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write pizhu.1 and one page per subcommand (pizhu-import.1, …) into this folder
    /// instead of printing pizhu.1
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Prints the completion script for the shell.
pub fn completions(args: &CompletionsArgs, out: &mut Output) -> Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "pizhu", &mut script);
    out.bytes(&script)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints pizhu.1, or writes every page into `--dir`.
pub fn man(args: &ManArgs, out: &mut Output) -> Result<ExitCode> {
    let command = Cli::command();
    let Some(dir) = &args.dir else {
        let mut roff = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut roff)
            .context("rendering the man page")?;
        out.bytes(&roff)?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut pages = vec![("pizhu".to_string(), command.clone())];
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("pizhu-{}", sub.get_name());
        let page = sub
            .clone()
            .display_name(name.clone())
            .bin_name(format!("pizhu {}", sub.get_name()));
        pages.push((name, page));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut roff = Vec::new();
        clap_mangen::Man::new(page)
            .render(&mut roff)
            .with_context(|| format!("rendering the man page {name}"))?;
        std::fs::write(&path, roff).with_context(|| format!("writing {}", path.display()))?;
        out.line(&path.display().to_string())?;
    }
    Ok(ExitCode::SUCCESS)
}
