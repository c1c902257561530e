//! The reader's data layer: a document as the reader sees it, built in one place by [`load`].
//!
//! A document is shown as its reading view (the stored text minus folded noise) or, when the
//! reader shows noise (`z`), as its stored text with the folded ranges marked. Either way the
//! rest of the reader only sees [`LoadedDocument`], whose offsets are code points into
//! [`LoadedDocument::text`], split into paragraphs at line breaks. What leaves the reader
//! (saved positions) or comes from outside it (library search hits) is in stored-text offsets
//! and passes through [`LoadedDocument::to_stored`] and [`LoadedDocument::to_view`].

use crate::clean::{Cleaned, NoiseRange};
use crate::doc::view::{View, ViewOptions};
use crate::doc::{DocId, DocumentMeta, Span};
use crate::reading::{self, Reading};
use crate::store::{Store, StoreError};
use crate::text::cache::Paragraphs;

/// A document ready to read: metadata, text and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedDocument {
    pub meta: DocumentMeta,
    /// The text the reader shows; every offset the reader uses points into it.
    pub text: String,
    /// Paragraphs in code points, in order, non-overlapping, never empty.
    pub paragraphs: Vec<Span>,
    /// Byte offset of each paragraph's start and end in `text`.
    byte_ranges: Vec<(usize, usize)>,
    /// Length of `text` in code points.
    pub chars: usize,
    /// Folded noise in `text`: empty when noise is hidden, the folded ranges when it is shown.
    pub noise: Vec<Span>,
    /// The saved reading position, a code point offset into `text`.
    pub saved_position: Option<usize>,
    /// The stored text, its cleaning and its reading view.
    reading: Reading,
    /// Whether `text` is the stored text with noise shown, rather than the reading view.
    showing_noise: bool,
}

/// Reads document `id` from the library: its reading view, split into paragraphs.
pub fn load(store: &Store, id: DocId, options: &ViewOptions) -> Result<LoadedDocument, StoreError> {
    let mut doc = LoadedDocument::from_reading(reading::load(store, id, options)?);
    doc.saved_position = store.reading_position(id)?.map(|p| doc.to_view(p));
    Ok(doc)
}

impl LoadedDocument {
    /// A document over `text` with nothing folded (tests and plain texts).
    pub fn new(meta: DocumentMeta, text: String, saved_position: Option<usize>) -> Self {
        let view = View::build(&text, &[], &ViewOptions::default());
        let reading = Reading {
            meta,
            text,
            cleaned: Cleaned::default(),
            view,
        };
        let mut doc = LoadedDocument::from_reading(reading);
        doc.saved_position = saved_position;
        doc
    }

    /// The reading view of `reading`, with noise hidden.
    fn from_reading(reading: Reading) -> Self {
        let text = reading.view.text().to_string();
        let (paragraphs, byte_ranges, chars) = split_lines(&text);
        LoadedDocument {
            meta: reading.meta.clone(),
            text,
            paragraphs,
            byte_ranges,
            chars,
            noise: Vec::new(),
            saved_position: None,
            reading,
            showing_noise: false,
        }
    }

    /// Shows the stored text with its folded ranges (`true`) or the reading view (`false`).
    /// Offsets into [`Self::text`] change: carry them over with `to_stored` before and
    /// `to_view` after.
    pub fn show_noise(&mut self, show: bool) {
        if show == self.showing_noise {
            return;
        }
        self.showing_noise = show;
        self.text = match show {
            true => self.reading.text.clone(),
            false => self.reading.view.text().to_string(),
        };
        (self.paragraphs, self.byte_ranges, self.chars) = split_lines(&self.text);
        self.noise = match show {
            true => self.reading.cleaned.folded_spans(),
            false => Vec::new(),
        };
    }

    /// The folded range at `offset` of [`Self::text`], when noise is shown.
    pub fn noise_at(&self, offset: usize) -> Option<&NoiseRange> {
        if !self.showing_noise {
            return None;
        }
        let noise = &self.reading.cleaned.noise;
        let i = noise.partition_point(|n| n.span.end <= offset);
        noise.get(i).filter(|n| n.span.contains(offset))
    }

    /// The stored-text offset of `offset` in [`Self::text`] (for what is saved).
    pub fn to_stored(&self, offset: usize) -> usize {
        match self.showing_noise {
            true => offset,
            false => self.reading.view.to_stored(offset),
        }
    }

    /// The offset in [`Self::text`] of stored-text offset `stored` (for what comes from the
    /// library).
    pub fn to_view(&self, stored: usize) -> usize {
        match self.showing_noise {
            true => stored,
            false => self.reading.view.to_view(stored),
        }
    }

    /// The paragraph holding `offset`, or the first one after it (the last one past the end).
    pub fn paragraph_at(&self, offset: usize) -> usize {
        let index = self.paragraphs.partition_point(|p| p.end <= offset);
        index.min(self.paragraphs.len().saturating_sub(1))
    }

    /// `offset` as (paragraph, code point within it), moved into the nearest paragraph.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let para = self.paragraph_at(offset);
        match self.paragraphs.get(para) {
            Some(span) => (para, offset.clamp(span.start, span.end) - span.start),
            None => (0, 0),
        }
    }

    /// The document offset of code point `offset` of paragraph `para`.
    pub fn offset_of(&self, para: usize, offset: usize) -> usize {
        self.paragraphs
            .get(para)
            .map_or(0, |span| (span.start + offset).min(span.end))
    }

    /// The start of paragraph `para` (clamped to the last paragraph).
    pub fn paragraph_start(&self, para: usize) -> usize {
        let last = self.paragraphs.len().saturating_sub(1);
        self.paragraphs
            .get(para.min(last))
            .map_or(0, |span| span.start)
    }
}

/// Paragraphs of a shown text: its non-blank lines, as code-point spans and byte ranges, and
/// the text's length in code points.
fn split_lines(text: &str) -> (Vec<Span>, Vec<(usize, usize)>, usize) {
    let mut paragraphs = Vec::new();
    let mut byte_ranges = Vec::new();
    let mut chars = 0;
    let mut byte = 0;
    for line in text.split('\n') {
        let len = line.chars().count();
        if !line.trim().is_empty() {
            paragraphs.push(Span::new(chars, chars + len));
            byte_ranges.push((byte, byte + line.len()));
        }
        chars += len + 1;
        byte += line.len() + 1;
    }
    (paragraphs, byte_ranges, text.chars().count())
}

impl Paragraphs for LoadedDocument {
    fn paragraph_count(&self) -> usize {
        self.paragraphs.len()
    }

    fn paragraph(&self, index: usize) -> &str {
        self.byte_ranges
            .get(index)
            .and_then(|&(start, end)| self.text.get(start..end))
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Script;

    fn meta(title: &str) -> DocumentMeta {
        DocumentMeta {
            id: 1,
            title: title.to_string(),
            source: "-".to_string(),
            encoding: "utf-8".to_string(),
            script: Script::Simplified,
            chars: 0,
            source_bytes: 0,
            content_hash: String::new(),
            imported_at: "2026-01-01T00:00:00Z".to_string(),
            cleaner_version: 0,
        }
    }

    #[test]
    fn paragraphs_skip_blank_lines_and_offsets_are_code_points() {
        // The reading view shows a blank line as a bare line break.
        let doc = LoadedDocument::new(meta("t"), "标题\n\n第一段。\n  \n第二段\n".into(), None);
        assert_eq!(doc.text, "标题\n\n第一段。\n\n第二段\n");
        assert_eq!(
            doc.paragraphs,
            vec![Span::new(0, 2), Span::new(4, 8), Span::new(10, 13)]
        );
        assert_eq!(doc.paragraph(1), "第一段。");
        assert_eq!(doc.locate(3), (1, 0), "a gap belongs to the next paragraph");
        assert_eq!(doc.locate(6), (1, 2));
        assert_eq!(doc.locate(100), (2, 3));
        assert_eq!(doc.offset_of(2, 1), 11);
        assert_eq!(doc.chars, 14);
        assert_eq!(doc.to_stored(10), 12, "view offsets map to the stored text");
    }
}

#[cfg(test)]
mod noise_tests {
    use super::*;

    #[test]
    fn noise_can_be_shown_and_offsets_carry_over() {
        let store = crate::demo::open().unwrap();
        let mut doc = load(&store, 3, &ViewOptions::default()).unwrap();
        assert!(
            !doc.text.contains("font-size"),
            "the CSS fragment is folded"
        );
        assert!(doc.noise.is_empty());
        let word = doc.text.find("成果转化").unwrap();
        let at = doc.text[..word].chars().count();
        let stored = doc.to_stored(at);
        doc.show_noise(true);
        assert!(doc.text.contains("font-size"));
        assert!(!doc.noise.is_empty());
        let css = doc.text.find("font-size").unwrap();
        let css_at = doc.text[..css].chars().count();
        assert_eq!(
            doc.noise_at(css_at).map(|n| n.reason),
            Some(crate::clean::NoiseReason::Css)
        );
        let back = doc.to_view(stored);
        assert!(
            doc.text
                .chars()
                .skip(back)
                .collect::<String>()
                .starts_with("成果转化")
        );
        doc.show_noise(false);
        assert_eq!(doc.to_view(stored), at);
    }
}
