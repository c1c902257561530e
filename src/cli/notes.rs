//! Annotations on the command line: `annotate` (make one by offsets or by quote), `notes`
//! (list them), `note show|edit|rm`, `undo`/`redo` (the library's event log, shared with the
//! reader) and `backup` (a consistent copy of the library while it is in use).

use super::output::Output;
use crate::annotations::{
    self, AnchorStatus, Annotation, AnnotationEdit, AnnotationFilter, AnnotationId, Color,
    NewAnnotation, editor,
};
use crate::doc::Span;
use crate::store::Store;
use crate::text::sanitize::sanitize_line;
use anyhow::{Context, Result, anyhow, bail};
use clap::{ArgGroup, Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("place").required(true).args(["start", "quote"])))]
pub struct AnnotateArgs {
    /// Document: an id, or the start of its title
    pub doc: String,
    /// First code point of the span in the stored text (0-based; see `pizhu cat --raw`)
    #[arg(long, requires = "end")]
    pub start: Option<usize>,
    /// Code point just past the span
    #[arg(long, requires = "start")]
    pub end: Option<usize>,
    /// Find the span by its text instead (either script); with several matches, add
    /// --occurrence
    #[arg(long, conflicts_with = "start")]
    pub quote: Option<String>,
    /// Which match of --quote (1 = the first)
    #[arg(long, requires = "quote", value_name = "N")]
    pub occurrence: Option<usize>,
    /// The note (plain text, Markdown welcome)
    #[arg(long, default_value = "")]
    pub note: String,
    /// A tag: a theme (id or name, either script) or free text; repeat for more
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Colour: yellow, green, blue, pink, purple (or 1–5)
    #[arg(long, default_value = "yellow", value_parser = parse_color)]
    pub color: Color,
    /// Print the annotation as JSON instead of its id
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NotesArgs {
    /// Only this document (an id, or the start of its title)
    pub doc: Option<String>,
    /// Only annotations with this tag (theme id or name, or free text); repeat for any of
    /// several
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only this colour; repeat for any of several
    #[arg(long = "color", value_name = "COLOR", value_parser = parse_color)]
    pub colors: Vec<Color>,
    /// Only annotations that could not be placed in a new version of their document
    #[arg(long)]
    pub orphans: bool,
    /// Only annotations placed by a fuzzy match, to be reviewed
    #[arg(long)]
    pub drifted: bool,
    /// Print JSON (an array of annotations) instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    #[command(subcommand)]
    pub command: NoteCommand,
}

#[derive(Debug, Subcommand)]
pub enum NoteCommand {
    /// Print an annotation whole
    Show {
        id: AnnotationId,
        #[arg(long)]
        json: bool,
    },
    /// Change an annotation's note (in $VISUAL/$EDITOR unless --note), colour or tags
    Edit(NoteEditArgs),
    /// Delete an annotation (`pizhu undo` brings it back)
    Rm { id: AnnotationId },
}

#[derive(Debug, Args)]
pub struct NoteEditArgs {
    pub id: AnnotationId,
    /// The new note (without it and without other changes, the note opens in your editor)
    #[arg(long)]
    pub note: Option<String>,
    /// New colour: yellow, green, blue, pink, purple (or 1–5)
    #[arg(long, value_parser = parse_color)]
    pub color: Option<Color>,
    /// Add a tag; repeat for more
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Remove a tag; repeat for more
    #[arg(long = "untag", value_name = "TAG")]
    pub untag: Vec<String>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy [default: backups/ beside the library, named by the time]
    pub path: Option<PathBuf>,
}

fn parse_color(s: &str) -> Result<Color, String> {
    Color::parse(s).ok_or_else(|| {
        format!("\"{s}\" is not a colour; use yellow, green, blue, pink or purple (or 1–5)")
    })
}

pub fn annotate(store: &mut Store, a: &AnnotateArgs, out: &mut Output) -> Result<ExitCode> {
    store.require_writable("annotating")?;
    let meta = store.resolve(&a.doc)?;
    let span = match (&a.quote, a.start, a.end) {
        (Some(quote), _, _) => {
            let found = annotations::find_quote(store, meta.id, quote)?;
            match (found.as_slice(), a.occurrence) {
                ([], _) => bail!("«{}» is not in #{} {}", quote, meta.id, meta.title),
                ([one], None) => *one,
                (all, Some(n)) => *n.checked_sub(1).and_then(|i| all.get(i)).ok_or_else(|| {
                    anyhow!(
                        "«{quote}» occurs {} in #{}; there is no occurrence {n}",
                        times(all.len()),
                        meta.id
                    )
                })?,
                (all, None) => bail!(
                    "«{quote}» occurs {} in #{} (at {}); say which with --occurrence N",
                    times(all.len()),
                    meta.id,
                    places(all)
                ),
            }
        }
        (None, Some(start), Some(end)) if end > start => Span::new(start, end),
        (None, Some(start), Some(end)) => {
            bail!("--end ({end}) must be after --start ({start})")
        }
        _ => bail!("give --start and --end, or --quote"),
    };
    let (codebook, _) = store.codebook()?;
    let tags = a
        .tags
        .iter()
        .map(|t| annotations::resolve_tag(&codebook, t))
        .collect();
    let made = store.create_annotation(&NewAnnotation {
        doc: meta.id,
        span,
        color: a.color,
        note: a.note.clone(),
        tags,
    })?;
    if a.json {
        out.json(&made)?;
    } else {
        out.line(&made.id.to_string())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// "once", "3 times".
fn times(n: usize) -> String {
    match n {
        1 => "once".to_string(),
        n => format!("{n} times"),
    }
}

/// The first few places, for a message.
fn places(spans: &[Span]) -> String {
    let shown: Vec<String> = spans.iter().take(5).map(|s| s.start.to_string()).collect();
    let more = if spans.len() > 5 { ", …" } else { "" };
    format!("{}{more}", shown.join(", "))
}

pub fn notes(store: &Store, a: &NotesArgs, out: &mut Output) -> Result<ExitCode> {
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
    if let Some(doc) = &a.doc {
        filter.docs.push(store.resolve(doc)?.id);
    }
    if a.orphans {
        filter.statuses.push(AnchorStatus::Orphan);
    }
    if a.drifted {
        filter.statuses.push(AnchorStatus::Drifted);
    }
    let found = store.annotations(&filter)?;
    if a.json {
        out.json(&found)?;
        return Ok(ExitCode::SUCCESS);
    }
    if found.is_empty() {
        out.line("no annotations (make one with pizhu annotate, or v in the reader)")?;
        return Ok(ExitCode::SUCCESS);
    }
    for annotation in &found {
        out.line(&summary(annotation))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One annotation on one line: id, place, colour, status, tags, quote and the note's first
/// line.
fn summary(a: &Annotation) -> String {
    let status = match a.status {
        AnchorStatus::Ok => String::new(),
        other => format!(" [{}]", other.as_str()),
    };
    let tags: String = a.tags.iter().map(|t| format!(" #{t}")).collect();
    let note = match a.note_line() {
        "" => String::new(),
        line => format!(" — {}", sanitize_line(line)),
    };
    format!(
        "#{} doc {} @{}–{} {}{status}{} «{}»{note}",
        a.id,
        a.doc,
        a.start,
        a.end,
        a.color.as_str(),
        sanitize_line(&tags),
        super::output::fit(&a.quote, 40).trim_end(),
    )
}

pub fn note(store: &mut Store, a: &NoteArgs, out: &mut Output) -> Result<ExitCode> {
    match &a.command {
        NoteCommand::Show { id, json } => {
            let found = store
                .annotation(*id)?
                .ok_or(crate::store::StoreError::NoSuchAnnotation(*id))?;
            if *json {
                out.json(&found)?;
            } else {
                out.line(&summary(&found))?;
                if !found.note.is_empty() {
                    out.line("")?;
                    out.line(&found.note)?;
                }
            }
        }
        NoteCommand::Edit(e) => {
            store.require_writable("editing a note")?;
            let current = store
                .annotation(e.id)?
                .ok_or(crate::store::StoreError::NoSuchAnnotation(e.id))?;
            let nothing_else = e.color.is_none() && e.tags.is_empty() && e.untag.is_empty();
            let note = match &e.note {
                Some(note) => Some(note.clone()),
                None if nothing_else => Some(
                    editor::edit(&current.note, &format!("note {}", e.id))
                        .with_context(|| format!("editing the note of annotation #{}", e.id))?,
                ),
                None => None,
            };
            let (codebook, _) = store.codebook()?;
            let resolve = |tags: &[String]| -> Vec<String> {
                tags.iter()
                    .map(|t| annotations::resolve_tag(&codebook, t))
                    .collect()
            };
            let edited = store.edit_annotation(
                e.id,
                &AnnotationEdit {
                    color: e.color,
                    note,
                    add_tags: resolve(&e.tags),
                    remove_tags: resolve(&e.untag),
                },
            )?;
            out.line(&summary(&edited))?;
        }
        NoteCommand::Rm { id } => {
            let gone = store.delete_annotation(*id)?;
            out.line(&format!(
                "deleted #{} «{}» (pizhu undo brings it back)",
                gone.id,
                sanitize_line(&gone.quote)
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `undo` (or `redo` with `redo`): the newest change to annotations and theme decisions.
pub fn undo(store: &mut Store, redo: bool, out: &mut Output) -> Result<ExitCode> {
    let change = if redo { store.redo()? } else { store.undo()? };
    match change {
        Some(change) => {
            let done = if redo { "redone" } else { "undone" };
            out.line(&format!("{done}: {}", sanitize_line(&change.describe())))?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let what = if redo { "redo" } else { "undo" };
            out.line(&format!("nothing to {what}"))?;
            Ok(ExitCode::from(1))
        }
    }
}

pub fn backup(store: &Store, a: &BackupArgs, out: &mut Output) -> Result<ExitCode> {
    let path = store.backup(a.path.as_deref())?;
    out.line(&format!("backed up to {}", path.display()))?;
    Ok(ExitCode::SUCCESS)
}
