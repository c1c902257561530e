//! The command line: clap definitions and a thin dispatch into the core.
//!
//! Every subcommand opens the library (or the demo), calls the core, and prints either text
//! for people or, with `--json`, stable JSON for scripts. Errors come back as one line. With no
//! subcommand on a terminal, `pizhu [FILE...]` opens the reader (`crate::tui`); off a terminal
//! it lists the library.

mod cleaning;
mod documents;
mod export;
mod import;
mod interrupt;
mod notes;
mod output;
mod progress;
mod related;
mod shell;
mod tag;
mod themes;

use crate::clean::Override;
use crate::store::Store;
use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

pub use output::Output;

#[derive(Debug, Parser)]
#[command(
    name = "pizhu",
    version,
    about = "批注 — a terminal workbench for close reading of Chinese texts",
    long_about = "批注 pizhu — import Chinese texts into a local library, read them side by side, \
                  tag passages with themes, annotate and export.\n\n\
                  The library is one SQLite file: --db PATH, else $PIZHU_DB, else the platform \
                  data folder (see `pizhu info --library`)."
)]
pub struct Cli {
    /// The library file [default: $PIZHU_DB, else the platform data folder]
    #[arg(long, global = true, value_name = "PATH", env = "PIZHU_DB")]
    pub db: Option<PathBuf>,

    /// Use the built-in demo corpus in a throwaway in-memory library (writes nothing)
    #[arg(long, global = true)]
    pub demo: bool,

    /// Turn the mouse on in the reader (wheel scrolls, click focuses)
    #[arg(long)]
    pub mouse: bool,

    /// Do not read config.toml: start with the default settings (e.g. when it is broken)
    #[arg(long, global = true)]
    pub default_config: bool,

    /// Files to import and open side by side in the reader
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import text files or folders (recursively: .txt and .md); `-` reads standard input
    Import(import::ImportArgs),
    /// List the documents in the library
    List(JsonFlag),
    /// Print a document's reading view (or, with --raw, its stored text)
    Cat(documents::CatArgs),
    /// Show what the library knows about a document (or, with --library, about the library)
    Info(documents::InfoArgs),
    /// Remove a document and everything attached to it
    Rm(documents::RmArgs),
    /// List the folded ranges of a document: offsets, reason, the folded text
    Noise(cleaning::DocJsonArgs),
    /// List the body paragraphs of a document with their stored offsets and themes
    Passages(cleaning::DocJsonArgs),
    /// Fold a paragraph (numbered as in `pizhu passages`) as noise
    Fold(cleaning::FoldArgs),
    /// Unfold a folded range (numbered as in `pizhu noise`): it is content
    Unfold(cleaning::FoldArgs),
    /// Re-clean documents with this pizhu's cleaner, keeping fold/unfold decisions
    Reclean(cleaning::RecleanArgs),
    /// Search the reading views of every document
    Search(documents::SearchArgs),
    /// The library's theme codebook; edit it, import/export it, the documents × themes matrix
    Themes(themes::ThemesArgs),
    /// Accept, reject, add or clear a theme on a passage (numbered as in `pizhu passages`)
    Tag(tag::TagArgs),
    /// The passages of other documents most like one passage (numbered as in `pizhu passages`)
    Related(related::RelatedArgs),
    /// Annotate a span of a document (by offsets or by its text) with a colour, note and tags;
    /// prints the new annotation's id
    Annotate(notes::AnnotateArgs),
    /// List annotations, of one document or all, by tag, colour or anchoring status
    Notes(notes::NotesArgs),
    /// Show, edit or delete an annotation
    Note(notes::NoteArgs),
    /// Undo the last change to annotations or theme decisions (also the reader's)
    Undo,
    /// Redo the last change undone
    Redo,
    /// Write a consistent copy of the library (also while it is in use)
    Backup(notes::BackupArgs),
    /// Export annotations and accepted themes: Markdown, CSV, W3C JSON, REFI-QDA (.qdpx, .qdc)
    Export(export::ExportArgs),
    /// Import notes: pizhu's JSON export or a REFI-QDA project (.qdpx), all or nothing
    ImportNotes(export::ImportNotesArgs),
    /// Check the library for damage: pages, layers, annotations; say what to do
    Check(JsonFlag),
    /// Where the settings file is, and the settings in effect
    Config(ConfigArgs),
    /// Print a shell completion script: pizhu completions bash > ~/.local/share/bash-completion/completions/pizhu
    Completions(shell::CompletionsArgs),
    /// Print the man page (pizhu man | man -l -), or write all pages with --dir
    Man(shell::ManArgs),
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the path of config.toml ($PIZHU_CONFIG, else the platform config folder)
    Path,
    /// Print every setting in effect, as config.toml would write it
    Show,
}

/// `--json`, for subcommands whose only option it is.
#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print JSON (stable; see README) instead of text
    #[arg(long)]
    pub json: bool,
}

/// Runs the parsed command line; the exit code says whether everything went well.
pub fn run(mut cli: Cli) -> Result<ExitCode> {
    // Files to import will be cleaned: compiling the rules is the longest part of cleaning
    // their first screen, so it starts before anything else.
    if matches!(cli.command, None | Some(Command::Import(_)))
        && (cli.command.is_some() || !cli.files.is_empty())
    {
        crate::clean::prepare_in_background();
    }
    let mut out = Output::stdout();
    if cli.default_config {
        crate::config::use_defaults();
    }
    let Some(command) = cli.command.take() else {
        if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            let options = crate::tui::Options {
                files: std::mem::take(&mut cli.files),
                mouse: cli.mouse,
                config: config()?,
            };
            crate::tui::run(|| open(&cli), options)?;
            return Ok(ExitCode::SUCCESS);
        }
        let store = open(&cli)?;
        if !cli.files.is_empty() {
            anyhow::bail!(
                "the reader needs a terminal; to import without one use: pizhu import FILE..."
            );
        }
        documents::list(&store, false, &mut out)?;
        if cli.demo {
            out.line("\nThis is the demo library. Try: pizhu --demo cat 1")?;
        } else {
            out.line("\nImport texts with: pizhu import PATH... (see pizhu --help)")?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    match command {
        Command::Import(args) => import::run(&mut open(&cli)?, &args, &mut out),
        Command::List(args) => documents::list(&open(&cli)?, args.json, &mut out),
        Command::Cat(args) => documents::cat(&open(&cli)?, &config()?, &args, &mut out),
        Command::Info(args) => documents::info(&cli, &args, &mut out),
        Command::Rm(args) => documents::rm(&mut open(&cli)?, &args, &mut out),
        Command::Noise(args) => cleaning::noise(&open(&cli)?, &config()?, &args, &mut out),
        Command::Passages(args) => {
            cleaning::passages(&mut open(&cli)?, &config()?, &args, &mut out)
        }
        Command::Fold(args) => cleaning::set_override(
            &mut open(&cli)?,
            &config()?,
            &args,
            Override::Fold,
            &mut out,
        ),
        Command::Unfold(args) => cleaning::set_override(
            &mut open(&cli)?,
            &config()?,
            &args,
            Override::Unfold,
            &mut out,
        ),
        Command::Reclean(args) => cleaning::reclean(&mut open(&cli)?, &args, &mut out),
        Command::Search(args) => documents::search(&mut open(&cli)?, &args, &mut out),
        Command::Themes(args) => themes::run(&mut open(&cli)?, &args, &mut out),
        Command::Tag(args) => tag::tag(&mut open(&cli)?, &args, &mut out),
        Command::Related(args) => related::run(&mut open(&cli)?, &args, &mut out),
        Command::Annotate(args) => notes::annotate(&mut open(&cli)?, &args, &mut out),
        Command::Notes(args) => notes::notes(&open(&cli)?, &args, &mut out),
        Command::Note(args) => notes::note(&mut open(&cli)?, &args, &mut out),
        Command::Undo => notes::undo(&mut open(&cli)?, false, &mut out),
        Command::Redo => notes::undo(&mut open(&cli)?, true, &mut out),
        Command::Backup(args) => notes::backup(&open(&cli)?, &args, &mut out),
        Command::Check(args) => documents::check(&open(&cli)?, args.json, &mut out),
        Command::Config(args) => show_config(&args, &mut out),
        Command::Completions(args) => shell::completions(&args, &mut out),
        Command::Man(args) => shell::man(&args, &mut out),
        Command::Export(args) => export::export(&open(&cli)?, &args, &mut out),
        Command::ImportNotes(args) => export::import_notes(&mut open(&cli)?, &args, &mut out),
    }
}

/// The library the command line names: the demo, `--db`/`PIZHU_DB`, or the default.
fn open(cli: &Cli) -> Result<Store> {
    if cli.demo {
        return Ok(crate::demo::open()?);
    }
    let path = library_path(cli)?;
    if crate::store::will_rewrite_texts(&path) {
        eprintln!(
            "pizhu: {}: converting the library to this version's format (once; about 1 s per 100 MB of text)…",
            path.display()
        );
    }
    Ok(Store::open(&path)?)
}

/// The user's settings; a warning on standard error for each unknown key.
fn config() -> Result<crate::config::Config> {
    let loaded = crate::config::load()?;
    for warning in &loaded.warnings {
        eprintln!("pizhu: {warning}");
    }
    Ok(loaded.config)
}

/// `config path` and `config show`.
fn show_config(args: &ConfigArgs, out: &mut Output) -> Result<ExitCode> {
    let path = crate::config::path();
    match args.command {
        ConfigCommand::Path => match path {
            Some(path) => out.line(&path.display().to_string())?,
            None => anyhow::bail!("no home folder found; name a config file with PIZHU_CONFIG"),
        },
        ConfigCommand::Show => {
            let config = config()?;
            let source = match &path {
                Some(p) if p.exists() => format!("# settings in effect: {}", p.display()),
                Some(p) => format!(
                    "# settings in effect: the defaults ({} does not exist)",
                    p.display()
                ),
                None => "# settings in effect: the defaults".to_string(),
            };
            out.line(&source)?;
            out.text(&toml::to_string(&config)?)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Where the library lives when `--db` and `PIZHU_DB` do not say.
fn library_path(cli: &Cli) -> Result<PathBuf> {
    if let Some(path) = &cli.db {
        return Ok(path.clone());
    }
    let dirs = directories::ProjectDirs::from("", "", "pizhu").ok_or_else(|| {
        anyhow::anyhow!("no home folder found for the library; give one with --db PATH")
    })?;
    Ok(dirs.data_dir().join("library.db"))
}
