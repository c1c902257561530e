//! `noise`, `passages` (with each passage's themes), `fold`, `unfold` and `reclean`: the
//! cleaning layers of a document and the reader's corrections to them.

use super::output::{Output, thousands};
use crate::clean::{self, CLEANER_VERSION, Override};
use crate::config::Config;
use crate::count::count;
use crate::doc::Span;
use crate::reading::{self, Reading};
use crate::store::Store;
use crate::tagging::merge::PassageTheme;
use crate::text::cursor::CharCursor;
use crate::text::sanitize::sanitize_line;
use anyhow::{Result, bail};
use clap::Args;
use serde::Serialize;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DocJsonArgs {
    /// Document: an id, or the start of its title
    pub doc: String,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FoldArgs {
    /// Document: an id, or the start of its title
    pub doc: String,
    /// For `fold`: a paragraph number from `pizhu passages DOC`; for `unfold`: a folded range
    /// number from `pizhu noise DOC`
    pub number: usize,
}

#[derive(Debug, Args)]
pub struct RecleanArgs {
    /// Documents to re-clean [default: those cleaned by an older pizhu]
    pub docs: Vec<String>,
    /// Re-clean even documents already cleaned by this version
    #[arg(long)]
    pub force: bool,
}

/// One folded range in `noise --json`.
#[derive(Serialize)]
struct NoiseItem<'a> {
    n: usize,
    start: usize,
    end: usize,
    reason: clean::NoiseReason,
    rule: &'a str,
    why: &'a str,
    text: String,
}

pub fn noise(
    store: &Store,
    config: &Config,
    args: &DocJsonArgs,
    out: &mut Output,
) -> Result<ExitCode> {
    let reading = load(store, config, &args.doc)?;
    let items: Vec<NoiseItem> = reading
        .cleaned
        .noise
        .iter()
        .enumerate()
        .map(|(i, range)| NoiseItem {
            n: i + 1,
            start: range.span.start,
            end: range.span.end,
            reason: range.reason,
            rule: range.rule.as_str(),
            why: clean::explain(range.rule).unwrap_or("folded by the reader"),
            text: clean::noise_text(&reading.text, range.span),
        })
        .collect();
    if args.json {
        out.json(&items)?;
        return Ok(ExitCode::SUCCESS);
    }
    if items.is_empty() {
        out.line(&format!(
            "Nothing is folded in #{} {}.",
            reading.meta.id, reading.meta.title
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    for item in &items {
        let reason = serde_json::to_value(item.reason)?;
        out.line(&format!(
            "{:>5}  {:>7}–{:<7}  {:<15} {}",
            item.n,
            item.start,
            item.end,
            reason.as_str().unwrap_or_default(),
            preview(&item.text, 60)
        ))?;
    }
    let folded: usize = reading.cleaned.noise.iter().map(|n| n.span.len()).sum();
    out.line(&format!(
        "{} folded, {} of {} characters (unfold one with: pizhu unfold {} N)",
        count(items.len(), "range"),
        thousands(folded),
        thousands(reading.meta.chars),
        reading.meta.id
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// One paragraph in `passages --json`.
#[derive(Serialize)]
struct Passage<'a> {
    n: usize,
    start: usize,
    end: usize,
    text: &'a str,
    themes: &'a [PassageTheme],
}

pub fn passages(
    store: &mut Store,
    config: &Config,
    args: &DocJsonArgs,
    out: &mut Output,
) -> Result<ExitCode> {
    let reading = load(store, config, &args.doc)?;
    let lib = super::themes::refreshed(store, args.json)?;
    let themes = lib.passage_themes(store, reading.meta.id, &reading.cleaned.paragraphs)?;
    let mut cursor = CharCursor::new(reading.view.text());
    let passages: Vec<Passage> = reading
        .view_paragraphs()
        .into_iter()
        .zip(&reading.cleaned.paragraphs)
        .zip(&themes)
        .enumerate()
        .map(|(i, ((view, stored), themes))| Passage {
            n: i + 1,
            start: stored.start,
            end: stored.end,
            text: cursor.slice(view).unwrap_or_default(),
            themes,
        })
        .collect();
    if args.json {
        out.json(&passages)?;
    } else {
        for passage in &passages {
            out.line(&format!(
                "{:>4}  {}",
                passage.n,
                sanitize_line(passage.text)
            ))?;
            if let Some(line) = super::tag::themes_line(passage.themes) {
                out.line(&format!("      ▸ {line}"))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `fold` (paragraph N becomes noise) and `unfold` (folded range N becomes content).
pub fn set_override(
    store: &mut Store,
    config: &Config,
    args: &FoldArgs,
    action: Override,
    out: &mut Output,
) -> Result<ExitCode> {
    store.require_writable("folding or unfolding")?;
    let reading = load(store, config, &args.doc)?;
    let (spans, what, listed_by, done): (Vec<Span>, &str, &str, &str) = match action {
        Override::Fold => (
            reading.cleaned.paragraphs.clone(),
            "paragraph",
            "passages",
            "Folded",
        ),
        Override::Unfold => (
            reading.cleaned.folded_spans(),
            "folded range",
            "noise",
            "Unfolded",
        ),
    };
    let id = reading.meta.id;
    let Some(span) = args
        .number
        .checked_sub(1)
        .and_then(|i| spans.get(i))
        .copied()
    else {
        let plural = if spans.len() == 1 { "" } else { "s" };
        bail!(
            "#{id} has {} {what}{plural}; there is no {what} {} (see pizhu {listed_by} {id})",
            spans.len(),
            args.number,
        );
    };
    reading::set_override(store, id, span, action)?;
    out.line(&format!(
        "{done} {what} {} of #{id}: {}",
        args.number,
        preview(&clean::noise_text(&reading.text, span), 40)
    ))?;
    Ok(ExitCode::SUCCESS)
}

pub fn reclean(store: &mut Store, args: &RecleanArgs, out: &mut Output) -> Result<ExitCode> {
    store.require_writable("re-cleaning")?;
    let docs = if args.docs.is_empty() {
        store.list_documents()?
    } else {
        args.docs
            .iter()
            .map(|d| store.resolve(d))
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut done = 0;
    // Ctrl-c stops between documents: each one is re-cleaned in one transaction.
    let cancel = super::interrupt::ctrl_c();
    for doc in docs {
        if !args.force && doc.cleaner_version >= CLEANER_VERSION {
            continue;
        }
        if cancel.is_cancelled() {
            eprintln!(
                "pizhu: re-cleaning cancelled: {} re-cleaned, the others as they were",
                count(done, "document")
            );
            return Ok(super::interrupt::cancelled());
        }
        let cleaned = reading::reclean(store, doc.id)?;
        out.line(&format!(
            "re-cleaned #{} {}: {} folded",
            doc.id,
            doc.title,
            count(cleaned.noise.len(), "range")
        ))?;
        done += 1;
    }
    if done == 0 {
        out.line(&format!(
            "Every document is already cleaned by this pizhu (cleaner version {CLEANER_VERSION}); use --force to re-clean anyway."
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn load(store: &Store, config: &Config, doc: &str) -> Result<Reading> {
    let meta = store.resolve(doc)?;
    Ok(reading::load(store, meta.id, &config.view_options())?)
}

/// The first `max` characters of `text` on one line (controls shown as symbols), with `…`
/// when cut.
pub(super) fn preview(text: &str, max: usize) -> String {
    let one_line = sanitize_line(text.trim());
    let one_line = one_line.as_str();
    if one_line.chars().count() <= max {
        return one_line.to_string();
    }
    let mut cut: String = one_line.chars().take(max).collect();
    cut.push('…');
    cut
}
