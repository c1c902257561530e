//! `list`, `cat`, `info` and `rm`: looking at and removing documents.

use super::output::{Output, fit, thousands};
use super::{Cli, library_path, open};
use crate::clean::{MetaField, NoiseRange};
use crate::config::Config;
use crate::count::count;
use crate::doc::DocumentMeta;
use crate::reading;
use crate::store::Store;
use crate::text::sanitize::{push_sanitized_line, sanitize_line, sanitize_text};
use anyhow::{Result, bail};
use clap::Args;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CatArgs {
    /// Document: an id, or the start of its title
    pub doc: String,
    /// Print the stored text exactly as imported, noise and all
    #[arg(long, conflicts_with = "show_noise")]
    pub raw: bool,
    /// Print the stored text with each folded range bracketed as [-reason: text-]
    #[arg(long)]
    pub show_noise: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The text to find (in reading views: folded noise does not interrupt a match)
    pub query: String,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
    /// Show at most N matches [default: all]
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
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

pub fn cat(store: &Store, config: &Config, args: &CatArgs, out: &mut Output) -> Result<ExitCode> {
    let doc = store.resolve(&args.doc)?;
    let text = if args.raw {
        store.text(doc.id)?
    } else {
        let reading = reading::load(store, doc.id, &config.view_options())?;
        if args.show_noise {
            bracket_noise(&reading.text, &reading.cleaned.noise)
        } else {
            let mut view = reading.view.text().to_string();
            if !view.is_empty() && !view.ends_with('\n') {
                view.push('\n');
            }
            view
        }
    };
    if out.is_terminal() {
        // A document's bytes never drive the terminal: escapes and controls show as symbols.
        out.text(&sanitize_text(&text))?;
        if !text.ends_with('\n') {
            out.line("")?;
        }
    } else {
        out.text(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The stored text with every folded range shown as `[-reason: text-]`.
fn bracket_noise(text: &str, noise: &[NoiseRange]) -> String {
    let mut out = String::with_capacity(text.len() + noise.len() * 24);
    let mut ranges = noise.iter().peekable();
    for (offset, c) in text.chars().enumerate() {
        if let Some(range) = ranges.peek()
            && range.span.start == offset
        {
            let reason = serde_json::to_value(range.reason).unwrap_or_default();
            out.push_str("[-");
            out.push_str(reason.as_str().unwrap_or("noise"));
            out.push_str(": ");
        }
        out.push(c);
        while let Some(range) = ranges.peek()
            && range.span.end == offset + 1
        {
            out.push_str("-]");
            ranges.next();
        }
    }
    out
}

pub fn search(store: &mut Store, args: &SearchArgs, out: &mut Output) -> Result<ExitCode> {
    index_missing(store)?;
    let mut failed: Option<std::io::Error> = None;
    let mut index = 0;
    // The title as shown, fitted once per document rather than once per hit; each line is
    // built in one buffer (a search may print hundreds of thousands).
    let mut shown: (Option<crate::doc::DocId>, String) = (None, String::new());
    let mut line = String::new();
    let count = crate::search::search_library_each(store, &args.query, args.limit, &mut |hit| {
        let written = if args.json {
            out.json_array_item(index, &hit)
        } else {
            if shown.0 != Some(hit.doc) {
                shown = (Some(hit.doc), fit(&hit.title, 20).trim_end().to_string());
            }
            line.clear();
            let _ = write!(line, "#{} {} @{}: ", hit.doc, shown.1, hit.start);
            push_sanitized_line(&mut line, &hit.before);
            line.push('【');
            push_sanitized_line(&mut line, &hit.matched);
            line.push('】');
            push_sanitized_line(&mut line, &hit.after);
            out.line(&line)
        };
        index += 1;
        written.map_err(|e| failed = Some(e)).is_ok()
    })?;
    if let Some(error) = failed {
        return Err(anyhow::Error::new(error).context("writing the search results"));
    }
    if args.json {
        out.json_array_end(count)?;
    } else {
        out.line(&format!("{count} matches"))?;
    }
    Ok(if count == 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Indexes the documents the search index lacks (imported before it existed, or re-cleaned),
/// with a note on standard error. A read-only library is searched without (more slowly).
pub(super) fn index_missing(store: &mut Store) -> Result<()> {
    if store.is_read_only() {
        return Ok(());
    }
    let missing = store.unindexed_documents()?.len();
    if missing > 0 {
        eprintln!("pizhu: indexing {missing} documents for search (once)…");
        crate::search::index_missing(store, &mut |_, _| {})?;
    }
    Ok(())
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
    let reading = reading::load(&store, doc.id, &super::config()?.view_options())?;
    let mut folded: BTreeMap<String, usize> = BTreeMap::new();
    for range in &reading.cleaned.noise {
        let reason = serde_json::to_value(range.reason)?;
        *folded
            .entry(reason.as_str().unwrap_or_default().to_string())
            .or_default() += 1;
    }
    let info = DocInfo {
        meta: &doc,
        metadata: &reading.cleaned.metadata,
        paragraphs: reading.cleaned.paragraphs.len(),
        folded,
    };
    if args.json {
        out.json(&info)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_info(&info, out)?;
    Ok(ExitCode::SUCCESS)
}

/// What `info DOC --json` prints: the document's fields, its metadata and cleaning summary.
#[derive(Serialize)]
struct DocInfo<'a> {
    #[serde(flatten)]
    meta: &'a DocumentMeta,
    metadata: &'a [MetaField],
    paragraphs: usize,
    /// Folded ranges by reason.
    folded: BTreeMap<String, usize>,
}

fn print_info(info: &DocInfo<'_>, out: &mut Output) -> Result<()> {
    let doc = info.meta;
    let mut rows = vec![
        ("id".to_string(), doc.id.to_string()),
        ("title".into(), doc.title.clone()),
        ("imported from".into(), doc.source.clone()),
        ("encoding".into(), doc.encoding.clone()),
        ("script".into(), doc.script.as_str().to_string()),
        ("characters".into(), thousands(doc.chars)),
        ("source bytes".into(), thousands(doc.source_bytes as usize)),
        ("imported at".into(), doc.imported_at.clone()),
        ("sha-256".into(), doc.content_hash.clone()),
    ];
    for field in info.metadata {
        let kind = serde_json::to_value(field.kind)?;
        rows.push((
            kind.as_str().unwrap_or("metadata").to_string(),
            field.value.clone(),
        ));
    }
    rows.push(("paragraphs".into(), thousands(info.paragraphs)));
    let folded: Vec<String> = info
        .folded
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    rows.push((
        "folded".into(),
        if folded.is_empty() {
            "nothing".to_string()
        } else {
            folded.join(", ")
        },
    ));
    rows.push(("cleaner".into(), format!("version {}", doc.cleaner_version)));
    for (key, value) in rows {
        out.line(&format!(
            "{:<16}{}",
            format!("{key}:"),
            sanitize_line(&value)
        ))?;
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

/// `check`: the library's problems, each with what to do; exit code 1 when there are any.
pub fn check(store: &Store, json: bool, out: &mut Output) -> Result<ExitCode> {
    let report = store.check()?;
    if json {
        out.json(&report)?;
    } else if report.problems.is_empty() {
        out.line(&format!(
            "{}: no problems found ({}, {}{})",
            store.display_name(),
            count(report.documents, "document"),
            count(report.annotations, "annotation"),
            match (report.drifted, report.orphans) {
                (0, 0) => String::new(),
                (d, o) => format!(
                    "; {d} drifted and {o} not found in a new version: pizhu notes --drifted / --orphans"
                ),
            }
        ))?;
    } else {
        for p in &report.problems {
            out.line(&format!(
                "{}
  → {}",
                sanitize_line(&p.what),
                p.fix
            ))?;
        }
    }
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
