//! `tag`: accept, reject, add or clear a theme on a passage (numbered as `pizhu passages`
//! numbers them), and the one-line form of a passage's themes that `passages` prints.

use super::output::Output;
use crate::doc::DocId;
use crate::store::Store;
use crate::tagging;
use crate::tagging::merge::{Decision, PassageTheme, Status};
use crate::text::sanitize::sanitize_line;
use anyhow::{Result, bail};
use clap::{ArgGroup, Args};
use serde::Serialize;
use std::process::ExitCode;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("decision").required(true).args(["accept", "reject", "add", "clear"])))]
pub struct TagArgs {
    /// Document: an id, or the start of its title
    pub doc: String,
    /// Passage number, as shown by `pizhu passages DOC`
    pub passage: usize,
    /// Theme id (see `pizhu themes`)
    pub theme: String,
    /// Accept the suggested theme: it becomes a tag
    #[arg(long)]
    pub accept: bool,
    /// Reject the theme: hidden, and remembered when the document is re-tagged
    #[arg(long)]
    pub reject: bool,
    /// Put the theme on the passage by hand
    #[arg(long)]
    pub add: bool,
    /// Forget the decision on the theme (a suggestion shows again)
    #[arg(long)]
    pub clear: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// `tag --json`.
#[derive(Serialize)]
struct TagJson<'a> {
    doc: DocId,
    passage: usize,
    start: usize,
    end: usize,
    theme: &'a str,
    decision: Option<Decision>,
    previous: Option<Decision>,
}

pub fn tag(store: &mut Store, a: &TagArgs, out: &mut Output) -> Result<ExitCode> {
    store.require_writable("tagging")?;
    let meta = store.resolve(&a.doc)?;
    let lib = super::themes::refreshed(store, a.json)?;
    let passages = tagging::passages(store, meta.id)?;
    let Some(span) = a
        .passage
        .checked_sub(1)
        .and_then(|i| passages.get(i))
        .copied()
    else {
        let plural = if passages.len() == 1 { "" } else { "s" };
        bail!(
            "#{} has {} passage{plural}; there is no passage {} (see pizhu passages {})",
            meta.id,
            passages.len(),
            a.passage,
            meta.id
        );
    };
    let decision = if a.accept {
        Some(Decision::Accepted)
    } else if a.reject {
        Some(Decision::Rejected)
    } else if a.add {
        Some(Decision::Added)
    } else {
        None
    };
    let previous = lib.decide(store, meta.id, (a.passage, span), &a.theme, decision)?;
    if a.json {
        out.json(&TagJson {
            doc: meta.id,
            passage: a.passage,
            start: span.start,
            end: span.end,
            theme: &a.theme,
            decision,
            previous,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let what = match (decision, previous) {
        (Some(d), _) => d.as_str().to_string(),
        (None, Some(p)) => format!("cleared ({})", p.as_str()),
        (None, None) => "had no decision on".to_string(),
    };
    out.line(&format!(
        "{what} {} on passage {} of #{} {}",
        a.theme,
        a.passage,
        meta.id,
        sanitize_line(&meta.title)
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// A passage's themes on one line for people: on themes with score, a mark for decisions
/// (✓ accepted, + added) and the first matched terms; rejected themes are left out.
pub(super) fn themes_line(themes: &[PassageTheme]) -> Option<String> {
    let parts: Vec<String> = themes
        .iter()
        .filter(|t| t.status.is_on())
        .map(|t| {
            let mark = match t.status {
                Status::Accepted => "✓",
                Status::Added => "+",
                Status::Suggested | Status::Rejected => "",
            };
            let score = t.score.map(|s| format!(" {s:.2}")).unwrap_or_default();
            let terms: Vec<String> = t
                .matched
                .iter()
                .take(3)
                .map(|m| sanitize_line(&m.term))
                .collect();
            let terms = if terms.is_empty() {
                String::new()
            } else {
                format!(" ({})", terms.join(" "))
            };
            format!("{}{mark}{score}{terms}", t.theme)
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}
