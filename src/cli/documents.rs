//! `list`, `cat`, `info` and `rm`: looking at and removing documents.

use super::output::{Output, fit, thousands};
use super::{Cli, library_path, open};
use crate::doc::DocumentMeta;
use crate::store::Store;
use anyhow::{Result, bail};
use clap::Args;
use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CatArgs {
    /// Document: an id, or the start of its title
    pub doc: String,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Document: an id, or the start of its title
    #[arg(required_unless_present = "library")]
    pub doc: Option<String>,
    /// Describe the library instead: where it is, its schema version, how many documents
    #[arg(long, conflicts_with = "doc")]
    pub library: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// Document: an id, or the start of its title
    pub doc: String,
    /// Do not ask for confirmation
    #[arg(long, short)]
    pub yes: bool,
}

pub fn list(store: &Store, json: bool, out: &mut Output) -> Result<ExitCode> {
    let docs = store.list_documents()?;
    if json {
        out.json(&docs)?;
        return Ok(ExitCode::SUCCESS);
    }
    if docs.is_empty() {
        out.line(&format!(
            "The library {} is empty. Import texts with: pizhu import PATH...",
            store.display_name()
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    out.line(&format!(
        "{:>4}  {}  {}  {}  {:>9}  {}",
        "id",
        fit("title", 40),
        fit("script", 11),
        fit("encoding", 8),
        "chars",
        "imported"
    ))?;
    for doc in &docs {
        out.line(&format!(
            "{:>4}  {}  {}  {}  {:>9}  {}",
            doc.id,
            fit(&doc.title, 40),
            fit(doc.script.as_str(), 11),
            fit(&doc.encoding, 8),
            thousands(doc.chars),
            doc.imported_at.get(..10).unwrap_or(&doc.imported_at)
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn cat(store: &Store, args: &CatArgs, out: &mut Output) -> Result<ExitCode> {
    let doc = store.resolve(&args.doc)?;
    let text = store.text(doc.id)?;
    out.text(&text)?;
    if !text.ends_with('\n') && out.is_terminal() {
        out.line("")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What `info --library --json` prints.
#[derive(Serialize)]
struct LibraryInfo {
    path: String,
    schema_version: i64,
    documents: usize,
    read_only: bool,
}

pub fn info(cli: &Cli, args: &InfoArgs, out: &mut Output) -> Result<ExitCode> {
    let store = open(cli)?;
    if args.library {
        let info = LibraryInfo {
            path: match cli.demo {
                true => store.display_name(),
                false => library_path(cli)?.display().to_string(),
            },
            schema_version: crate::store::migrations::LATEST,
            documents: store.list_documents()?.len(),
            read_only: store.is_read_only(),
        };
        if args.json {
            out.json(&info)?;
        } else {
            out.line(&format!("library:   {}", info.path))?;
            out.line(&format!("schema:    version {}", info.schema_version))?;
            out.line(&format!("documents: {}", info.documents))?;
            if info.read_only {
                out.line("access:    read-only")?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let query = args.doc.as_deref().unwrap_or_default();
    let doc = store.resolve(query)?;
    if args.json {
        out.json(&doc)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_info(&doc, out)?;
    Ok(ExitCode::SUCCESS)
}

fn print_info(doc: &DocumentMeta, out: &mut Output) -> Result<()> {
    let rows = [
        ("id", doc.id.to_string()),
        ("title", doc.title.clone()),
        ("source", doc.source.clone()),
        ("encoding", doc.encoding.clone()),
        ("script", doc.script.as_str().to_string()),
        ("characters", thousands(doc.chars)),
        ("source bytes", thousands(doc.source_bytes as usize)),
        ("imported at", doc.imported_at.clone()),
        ("sha-256", doc.content_hash.clone()),
    ];
    for (key, value) in rows {
        out.line(&format!("{:<14}{value}", format!("{key}:")))?;
    }
    Ok(())
}

pub fn rm(store: &mut Store, args: &RmArgs, out: &mut Output) -> Result<ExitCode> {
    store.require_writable("removing a document")?;
    let doc = store.resolve(&args.doc)?;
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            bail!(
                "not removing #{} {}: confirm with --yes when not on a terminal",
                doc.id,
                doc.title
            );
        }
        eprint!(
            "Remove #{} {} and everything attached to it? [y/N] ",
            doc.id, doc.title
        );
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            out.line("Nothing removed.")?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    store.remove_document(doc.id)?;
    out.line(&format!("Removed #{} {}", doc.id, doc.title))?;
    Ok(ExitCode::SUCCESS)
}
