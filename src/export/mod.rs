//! Export and import of notes: annotations and accepted themes out of the library in the
//! formats other programs read (Markdown, CSV, W3C Web Annotation JSON, REFI-QDA project and
//! codebook), and back in (`notes_in`: pizhu's own JSON and REFI-QDA projects).
//!
//! [`collect`] reads what an export holds from the store into an [`ExportSet`]; each format
//! is a pure function of that set, so the writers know nothing of the store or the command
//! line (and the benchmark feeds them synthetic sets).

pub mod csv;
mod dom;
#[cfg(test)]
mod fuzz_tests;
pub mod guid;
mod json_in;
pub mod markdown;
pub mod notes_in;
pub mod qdpx;
mod qdpx_in;
pub mod refi;
pub mod w3c;
mod xml;
mod zipsafe;

use crate::annotations::anchor::quote_in;
use crate::annotations::{Annotation, AnnotationFilter, CONTEXT_CHARS};
use crate::count::count;
use crate::doc::view::{View, ViewOptions};
use crate::doc::{DocId, DocumentMeta, Span};
use crate::store::{Store, StoreError};
use crate::tagging::merge::Decision;
use crate::themes::Codebook;

/// The formats `pizhu export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
    Json,
    Qdpx,
    Qdc,
}

impl Format {
    /// The format named `name` (`md`, `markdown`, `csv`, `json`, `qdpx`, `qdc`).
    pub fn parse(name: &str) -> Option<Format> {
        match name.trim().to_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "csv" => Some(Format::Csv),
            "json" | "w3c" => Some(Format::Json),
            "qdpx" => Some(Format::Qdpx),
            "qdc" => Some(Format::Qdc),
            _ => None,
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Qdpx => "qdpx",
            Format::Qdc => "qdc",
        }
    }
}

/// A theme the user put on a passage (a suggestion accepted, or added by hand): a tagging
/// annotation in the exports that carry them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeTag {
    pub passage: Span,
    pub theme: String,
    pub decision: Decision,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
}

/// One document of an export.
#[derive(Clone, Debug)]
pub struct ExportDoc {
    pub meta: DocumentMeta,
    /// The body paragraphs (stored spans), for paragraph numbers.
    pub paragraphs: Vec<Span>,
    pub annotations: Vec<Annotation>,
    pub themes: Vec<ThemeTag>,
    /// The reading view (without full-width display punctuation), for REFI-QDA projects.
    pub view: Option<View>,
}

impl ExportDoc {
    /// The 1-based number of the body paragraph holding stored offset `at` (as `pizhu
    /// passages` numbers them), or of the last one before it; 0 before the first.
    pub fn paragraph_of(&self, at: usize) -> usize {
        self.paragraphs.partition_point(|p| p.start <= at)
    }
}

/// Everything an export holds.
#[derive(Clone, Debug)]
pub struct ExportSet {
    /// The library's file name (or `demo`).
    pub library: String,
    /// RFC 3339 UTC.
    pub exported_at: String,
    pub codebook: Codebook,
    /// Documents with at least one annotation or theme tag, in id order.
    pub documents: Vec<ExportDoc>,
}

impl ExportSet {
    /// How many annotations the set holds.
    pub fn annotation_count(&self) -> usize {
        self.documents.iter().map(|d| d.annotations.len()).sum()
    }

    /// How many theme tags the set holds.
    pub fn theme_count(&self) -> usize {
        self.documents.iter().map(|d| d.themes.len()).sum()
    }

    /// The display name of a tag: a codebook theme's name, else the tag itself.
    pub fn tag_name<'a>(&'a self, tag: &'a str) -> &'a str {
        self.codebook.get(tag).map_or(tag, |t| t.name.as_str())
    }
}

/// What to read for an export.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Annotations passing this filter; theme tags of the same documents and (with tags
    /// given) themes. With colours given, theme tags (which have none) are left out, and so
    /// they are with annotation ids given (exactly those annotations are asked for).
    pub filter: AnnotationFilter,
    /// Load each document's reading view (REFI-QDA projects).
    pub views: bool,
}

/// The reading view options of exports: the view as stored characters, no display changes.
pub const EXPORT_VIEW: ViewOptions = ViewOptions {
    fullwidth_punct: false,
};

/// Reads the annotations and theme tags `selection` asks for.
pub fn collect(store: &Store, selection: &Selection) -> Result<ExportSet, StoreError> {
    let filter = &selection.filter;
    let (codebook, _) = store.codebook()?;
    let mut annotations = store.annotations(filter)?.into_iter().peekable();
    let mut documents = Vec::new();
    for meta in store.list_documents()? {
        if !filter.docs.is_empty() && !filter.docs.contains(&meta.id) {
            continue;
        }
        let mut own = Vec::new();
        while let Some(a) = annotations.next_if(|a| a.doc <= meta.id) {
            if a.doc == meta.id {
                own.push(a);
            }
        }
        let themes = if filter.colors.is_empty() && filter.ids.is_empty() {
            theme_tags(store, meta.id, &filter.tags)?
        } else {
            Vec::new()
        };
        if own.is_empty() && themes.is_empty() {
            continue;
        }
        let paragraphs = store
            .cleaning(meta.id)?
            .map(|c| c.paragraphs)
            .unwrap_or_default();
        let view = if selection.views {
            Some(crate::reading::load_view(store, meta.id, &EXPORT_VIEW)?.view)
        } else {
            None
        };
        documents.push(ExportDoc {
            meta,
            paragraphs,
            annotations: own,
            themes,
            view,
        });
    }
    let library = store
        .path()
        .and_then(|p| p.file_name())
        .map_or_else(|| "demo".to_string(), |n| n.to_string_lossy().into_owned());
    Ok(ExportSet {
        library,
        exported_at: store.now("%Y-%m-%dT%H:%M:%SZ")?,
        codebook,
        documents,
    })
}

/// A document's accepted and added themes (of `tags` when given), with their quotes.
fn theme_tags(store: &Store, doc: DocId, tags: &[String]) -> Result<Vec<ThemeTag>, StoreError> {
    let Some(chars) = store.document(doc)?.map(|m| m.chars) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for row in store.decisions(doc)? {
        if row.decision == Decision::Rejected || (!tags.is_empty() && !tags.contains(&row.theme)) {
            continue;
        }
        let window_start = row.passage.start.saturating_sub(CONTEXT_CHARS);
        let window_end = (row.passage.end + CONTEXT_CHARS).min(chars);
        let window: Vec<char> = store
            .text_chars(doc, window_start, window_end)?
            .chars()
            .collect();
        let local = Span::new(
            row.passage.start - window_start,
            row.passage.end.min(window_end) - window_start,
        );
        let (prefix, quote, suffix) = quote_in(&window, local);
        out.push(ThemeTag {
            passage: row.passage,
            theme: row.theme,
            decision: row.decision,
            quote,
            prefix,
            suffix,
        });
    }
    Ok(out)
}

/// How the formats that have choices are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Markdown: by document or by theme.
    pub grouping: markdown::Grouping,
    /// CSV: a byte-order mark for Excel.
    pub excel: bool,
}

/// An export ready to write.
#[derive(Debug)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// What it holds, for a message (`5 annotations and 2 accepted themes from 2 documents`).
    pub summary: String,
    /// REFI-QDA: annotations left out because they lie wholly in folded noise.
    pub hidden: usize,
}

/// Reads what `filter` selects and writes it in `format`.
pub fn render(
    store: &Store,
    format: Format,
    filter: AnnotationFilter,
    options: &Options,
) -> Result<Rendered, ExportError> {
    if format == Format::Qdc {
        let (codebook, _) = store.codebook()?;
        let xml = refi::codebook(&codebook)
            .ok_or_else(|| ExportError::Failed("the codebook has no theme to export".into()))?;
        return Ok(Rendered {
            bytes: xml.into_bytes(),
            summary: count(codebook.themes.len(), "theme"),
            hidden: 0,
        });
    }
    let selection = Selection {
        filter,
        views: format == Format::Qdpx,
    };
    let set = collect(store, &selection)?;
    let summary = format!(
        "{} and {} from {}",
        count(set.annotation_count(), "annotation"),
        count(set.theme_count(), "accepted theme"),
        count(set.documents.len(), "document")
    );
    let mut hidden = 0;
    let bytes = match format {
        Format::Markdown => markdown::write(&set, options.grouping).into_bytes(),
        Format::Csv => csv::write(&set, options.excel)
            .map_err(|e| ExportError::Failed(format!("writing CSV: {e}")))?,
        Format::Json => {
            w3c::write(&set).map_err(|e| ExportError::Failed(format!("writing JSON: {e}")))?
        }
        Format::Qdpx | Format::Qdc => {
            let project = refi::project(&set);
            hidden = project.hidden;
            qdpx::write(&project)
                .map_err(|e| ExportError::Failed(format!("writing the .qdpx zip: {e}")))?
        }
    };
    Ok(Rendered {
        bytes,
        summary,
        hidden,
    })
}

/// Writes `bytes` to `path` through a temporary file beside it, so a failed export leaves no
/// half-written file.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), ExportError> {
    use std::io::Write;
    let failed = |e: std::io::Error| {
        ExportError::input(&path.display().to_string(), format!("cannot write: {e}"))
    };
    let name = path
        .file_name()
        .ok_or_else(|| ExportError::input(&path.display().to_string(), "not a file name"))?;
    let tmp = path.with_file_name(format!(
        ".{}.pizhu-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(failed(e));
    }
    Ok(())
}

/// Errors of exports and of reading notes back in: one line naming the file and the problem.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{file}: {problem}")]
    Input { file: String, problem: String },
    #[error("{0}")]
    Failed(String),
}

impl ExportError {
    pub fn input(file: &str, problem: impl Into<String>) -> ExportError {
        ExportError::Input {
            file: file.to_string(),
            problem: problem.into(),
        }
    }
}
