//! `pizhu export` (annotations and accepted themes as Markdown, CSV, W3C JSON, a REFI-QDA
//! project or codebook) and `pizhu import-notes` (pizhu's JSON or a REFI-QDA project back
//! in, in one transaction). The formats live in the core's `export` module.

use super::output::Output;
use crate::annotations::{self, AnnotationFilter, Color};
use crate::count::count;
use crate::export::markdown::Grouping;
use crate::export::{self, Format};
use crate::store::Store;
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Format: markdown (md), csv, json (W3C Web Annotation), qdpx (REFI-QDA project),
    /// qdc (REFI-QDA codebook)
    #[arg(long, short = 'f', value_parser = parse_format)]
    pub format: Format,
    /// Where to write; `-` or nothing for standard output (a .qdpx needs a file)
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Only this document (an id, or the start of its title); repeat for several
    #[arg(long = "doc", value_name = "DOC")]
    pub docs: Vec<String>,
    /// Only annotations with this tag (theme id or name, or free text); repeat for any of
    /// several
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only this colour; repeat for any of several (leaves accepted themes out)
    #[arg(long = "color", value_name = "COLOR", value_parser = parse_color)]
    pub colors: Vec<Color>,
    /// Markdown: group by document or by theme
    #[arg(long, value_enum, default_value = "document")]
    pub by: By,
    /// CSV: start with a byte-order mark, so Excel reads UTF-8
    #[arg(long)]
    pub excel: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum By {
    Document,
    Theme,
}

#[derive(Debug, Args)]
pub struct ImportNotesArgs {
    /// pizhu's JSON export, or a REFI-QDA project (.qdpx) from any program
    pub file: PathBuf,
    /// Print what was added as JSON
    #[arg(long)]
    pub json: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s)
        .ok_or_else(|| format!("\"{s}\" is not a format; use markdown, csv, json, qdpx or qdc"))
}

fn parse_color(s: &str) -> Result<Color, String> {
    Color::parse(s).ok_or_else(|| {
        format!("\"{s}\" is not a colour; use yellow, green, blue, pink or purple (or 1–5)")
    })
}

pub fn export(store: &Store, a: &ExportArgs, out: &mut Output) -> Result<ExitCode> {
    let to_stdout = a.output.as_deref().is_none_or(|p| p == Path::new("-"));
    if a.format == Format::Qdpx && to_stdout && out.is_terminal() {
        bail!("a .qdpx is a zip file: give it a name with -o FILE.qdpx");
    }
    let (codebook, _) = store.codebook()?;
    let mut filter = AnnotationFilter {
        tags: a
            .tags
            .iter()
            .map(|t| annotations::resolve_tag(&codebook, t))
            .collect(),
        colors: a.colors.clone(),
        ..AnnotationFilter::default()
    };
    for doc in &a.docs {
        filter.docs.push(store.resolve(doc)?.id);
    }
    let options = export::Options {
        grouping: match a.by {
            By::Document => Grouping::Document,
            By::Theme => Grouping::Theme,
        },
        excel: a.excel,
    };
    // Ctrl-c while the export is made: nothing is written.
    let cancel = super::interrupt::ctrl_c();
    let rendered = export::render(store, a.format, filter, &options)?;
    if cancel.is_cancelled() {
        eprintln!("pizhu: export cancelled: nothing written");
        return Ok(super::interrupt::cancelled());
    }
    if rendered.hidden > 0 {
        eprintln!(
            "pizhu: left out of the project (wholly in folded noise): {}",
            count(rendered.hidden, "annotation")
        );
    }
    match a.output.as_deref().filter(|p| *p != Path::new("-")) {
        None => out.bytes(&rendered.bytes)?,
        Some(path) => {
            export::write_file(path, &rendered.bytes)?;
            eprintln!("pizhu: exported {} to {}", rendered.summary, path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn import_notes(store: &mut Store, a: &ImportNotesArgs, out: &mut Output) -> Result<ExitCode> {
    store.require_writable("importing notes")?;
    let name = a.file.display().to_string();
    let bytes = std::fs::read(&a.file).with_context(|| format!("{name}: cannot read"))?;
    let done = export::notes_in::import(store, &name, &bytes)?;
    if a.json {
        out.json(&done)?;
    } else {
        out.line(&format!(
            "{name}: {} added ({} already here), {}, {}, {}",
            count(done.annotations, "annotation"),
            done.skipped,
            count(done.decisions, "theme decision"),
            count(done.documents, "new document"),
            count(done.themes, "new theme")
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
