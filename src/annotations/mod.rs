//! Annotations: highlights, notes and tags on spans of a document's stored text.
//!
//! An annotation is a span in code points of the stored text (which never changes) plus what
//! finds it again in another version of the text: the quote and some context before and
//! after it (the W3C Web Annotation `TextQuoteSelector`), see [`anchor`]. It has one of five
//! named colours, a note (plain text, Markdown welcome), tags (theme ids of the codebook or
//! free text) and a status saying how well it is anchored. Each has a GUID that never changes,
//! so exports name it the same every time.
//!
//! The store (`store::annotations`) writes every change in its own transaction together with
//! an entry of the event log, which is what `undo` and `redo` replay, also after a restart.

pub mod anchor;
pub mod editor;

use crate::doc::{DocId, Span};
use crate::store::{Store, StoreError};
use crate::text::fold::{Shadow, fold_str};
use crate::themes::Codebook;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How many code points of context an annotation keeps on each side of its quote.
pub const CONTEXT_CHARS: usize = 32;

/// An annotation's id in its library.
pub type AnnotationId = i64;

/// The five highlight colours, by name (the reader draws them; exports write their hex).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    #[default]
    Yellow,
    Green,
    Blue,
    Pink,
    Purple,
}

impl Color {
    pub const ALL: [Color; 5] = [
        Color::Yellow,
        Color::Green,
        Color::Blue,
        Color::Pink,
        Color::Purple,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Color::Yellow => "yellow",
            Color::Green => "green",
            Color::Blue => "blue",
            Color::Pink => "pink",
            Color::Purple => "purple",
        }
    }

    /// The colour as the library stores it (its name).
    pub fn from_stored(name: &str) -> Option<Color> {
        Color::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The colour named `name` (its English name, or its number 1–5).
    pub fn parse(name: &str) -> Option<Color> {
        let name = name.trim().to_lowercase();
        Color::ALL
            .into_iter()
            .enumerate()
            .find_map(|(i, c)| (c.as_str() == name || (i + 1).to_string() == name).then_some(c))
    }

    /// `#rrggbb`, for exports and the reader's palette.
    pub fn hex(self) -> &'static str {
        match self {
            Color::Yellow => "#f2d45c",
            Color::Green => "#8fd18b",
            Color::Blue => "#7fb2f0",
            Color::Pink => "#f29bb8",
            Color::Purple => "#b89af0",
        }
    }
}

/// How well an annotation is anchored in its document's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AnchorStatus {
    /// The quote is where the span says, in its context.
    #[default]
    Ok,
    /// Placed by a fuzzy match after the text changed: to be reviewed.
    Drifted,
    /// Not placed: kept, listed, never deleted.
    Orphan,
}

impl AnchorStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AnchorStatus::Ok => "ok",
            AnchorStatus::Drifted => "drifted",
            AnchorStatus::Orphan => "orphan",
        }
    }

    pub fn parse(name: &str) -> Option<AnchorStatus> {
        match name {
            "ok" => Some(AnchorStatus::Ok),
            "drifted" => Some(AnchorStatus::Drifted),
            "orphan" => Some(AnchorStatus::Orphan),
            _ => None,
        }
    }
}

/// An annotation as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    pub guid: String,
    pub doc: DocId,
    /// The span in the stored text's code points.
    pub start: usize,
    pub end: usize,
    /// The text of the span when it was made, and up to [`CONTEXT_CHARS`] code points before
    /// and after it.
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    pub color: Color,
    pub note: String,
    /// Theme ids of the codebook, or free text; sorted, no duplicates.
    pub tags: Vec<String>,
    pub status: AnchorStatus,
    /// RFC 3339 UTC.
    pub created: String,
    pub updated: String,
}

impl Annotation {
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }

    /// The note's first line (for lists).
    pub fn note_line(&self) -> &str {
        self.note
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
    }
}

/// Most code points of the quote and of the note's first line a [`Summary`] keeps: more than a
/// row of any screen shows.
pub const SUMMARY_CHARS: usize = 160;

/// An annotation as a list shows it: its place, colour, status and tags, the beginning of its
/// quote and of its note's first line; not its context, whole note, GUID or times, which a
/// list of 100,000 would read for nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub id: AnnotationId,
    pub doc: DocId,
    pub start: usize,
    pub end: usize,
    pub color: Color,
    pub status: AnchorStatus,
    /// Shared by the summaries with the same tags.
    pub tags: Arc<[String]>,
    /// At most [`SUMMARY_CHARS`] code points of each.
    pub quote: String,
    pub note_line: String,
}

impl Summary {
    /// The beginning of a quote as a summary keeps it.
    pub fn cut(text: &str) -> String {
        // No more bytes than the code points kept: nothing to count.
        if text.len() <= SUMMARY_CHARS {
            return text.to_string();
        }
        let end = text
            .char_indices()
            .nth(SUMMARY_CHARS)
            .map_or(text.len(), |(at, _)| at);
        text[..end].to_string()
    }

    /// A note's first line (see [`Annotation::note_line`]) as a summary keeps it: without
    /// its indent, cut.
    pub fn first_line(note: &str) -> String {
        let line = note.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Summary::cut(line.trim_start())
    }
}

impl From<&Annotation> for Summary {
    fn from(a: &Annotation) -> Summary {
        Summary {
            id: a.id,
            doc: a.doc,
            start: a.start,
            end: a.end,
            color: a.color,
            status: a.status,
            tags: a.tags.clone().into(),
            quote: Summary::cut(&a.quote),
            note_line: Summary::first_line(&a.note),
        }
    }
}

/// What a new annotation is made of (its quote and context are read from the text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAnnotation {
    pub doc: DocId,
    pub span: Span,
    pub color: Color,
    pub note: String,
    pub tags: Vec<String>,
}

/// A change to an annotation; `None` fields stay as they are.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AnnotationEdit {
    pub color: Option<Color>,
    pub note: Option<String>,
    /// Tags added and removed.
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
}

/// Which annotations a listing returns.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AnnotationFilter {
    pub docs: Vec<DocId>,
    pub tags: Vec<String>,
    pub colors: Vec<Color>,
    /// Only annotations with these statuses (all when empty).
    pub statuses: Vec<AnchorStatus>,
    /// Only these annotations (all when empty): the reader's annotations view exports the
    /// rows it lists.
    pub ids: Vec<AnnotationId>,
}

/// Tags as stored: trimmed, without empty ones, sorted, no duplicates.
pub fn normalize_tags(tags: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut tags: Vec<String> = tags
        .into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

/// A tag as stored: the id of the codebook theme it names (by id or by name, in either
/// script, or English), else the text as typed.
pub fn resolve_tag(codebook: &Codebook, tag: &str) -> String {
    let tag = tag.trim();
    codebook
        .themes
        .iter()
        .find(|t| names_theme(tag, &t.id, &t.name_en, [&t.name, &t.name_hant]))
        .map_or_else(|| tag.to_string(), |t| t.id.clone())
}

/// Whether `typed` (trimmed) names a theme exactly: its id, its English name in any case, or
/// one of its Chinese names (Simplified, Traditional) in either script.
pub fn names_theme(typed: &str, id: &str, name_en: &str, names: [&str; 2]) -> bool {
    let typed = typed.trim();
    if typed.is_empty() {
        return false;
    }
    let folded = fold_str(typed);
    id == typed
        || name_en.eq_ignore_ascii_case(typed)
        || names.iter().any(|n| !n.is_empty() && fold_str(n) == folded)
}

/// Where `quote` is in a document's stored text (code point spans): exactly as typed, else
/// across scripts (a Simplified quote finds Traditional text and the reverse).
pub fn find_quote(store: &Store, doc: DocId, quote: &str) -> Result<Vec<Span>, StoreError> {
    let text = store.text(doc)?;
    let needle: Vec<char> = quote.chars().collect();
    if needle.is_empty() {
        return Ok(Vec::new());
    }
    let chars: Vec<char> = text.chars().collect();
    let exact: Vec<Span> = (0..(chars.len() + 1).saturating_sub(needle.len()))
        .filter(|&i| chars[i..i + needle.len()] == needle[..])
        .map(|i| Span::new(i, i + needle.len()))
        .collect();
    if !exact.is_empty() {
        return Ok(exact);
    }
    let shadow = Shadow::new(&text);
    let folded = fold_str(quote);
    let shadow_chars: Vec<(usize, char)> = shadow.text().char_indices().collect();
    let starts: Vec<usize> = shadow
        .text()
        .match_indices(folded.as_str())
        .filter_map(|(byte, _)| shadow_chars.binary_search_by_key(&byte, |&(b, _)| b).ok())
        .collect();
    let len = folded.chars().count();
    Ok(starts
        .into_iter()
        .map(|at| shadow.source_span(Span::new(at, at + len)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_by_name_or_number_and_round_trip() {
        for (i, c) in Color::ALL.into_iter().enumerate() {
            assert_eq!(Color::parse(c.as_str()), Some(c));
            assert_eq!(Color::parse(&(i + 1).to_string()), Some(c));
            assert!(c.hex().starts_with('#') && c.hex().len() == 7);
        }
        assert_eq!(Color::parse(" Pink "), Some(Color::Pink));
        assert_eq!(Color::parse("red"), None);
        assert_eq!(Color::parse("6"), None);
    }

    #[test]
    fn tags_name_codebook_themes_in_any_script_or_stay_free_text() {
        let codebook = Codebook::default_codebook();
        let talent = codebook.get("talent").unwrap();
        for typed in ["talent", talent.name.as_str(), talent.name_hant.as_str()] {
            assert_eq!(resolve_tag(&codebook, typed), "talent", "{typed}");
        }
        assert_eq!(
            resolve_tag(&codebook, &talent.name_en.to_uppercase()),
            "talent"
        );
        assert_eq!(resolve_tag(&codebook, " 待查 "), "待查");
    }

    #[test]
    fn quotes_are_found_as_typed_or_across_scripts() {
        let mut store = Store::open_in_memory().unwrap();
        let text = "甲。新質生產力很重要。乙：新質生產力。";
        let doc = store
            .insert_document(&crate::import::prepare_text(text.into(), "s".into(), "t"))
            .unwrap();
        let both = vec![Span::new(2, 7), Span::new(13, 18)];
        assert_eq!(find_quote(&store, doc, "新質生產力").unwrap(), both);
        assert_eq!(find_quote(&store, doc, "新质生产力").unwrap(), both);
        assert!(find_quote(&store, doc, "没有").unwrap().is_empty());
    }

    #[test]
    fn tags_are_trimmed_sorted_and_unique() {
        let tags = normalize_tags(["talent ", "", "人才", "talent"].map(String::from));
        assert_eq!(tags, ["talent", "人才"]);
    }
}
