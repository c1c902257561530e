//! The reader's data layer: a document as the reader sees it, built in one place by [`load`].
//!
//! For now a document is its stored text split into paragraphs on `\n` (empty lines skipped).
//! When the noise cleaner's reading view lands, [`load`] is the one function to change: the
//! rest of the reader only sees [`LoadedDocument`], whose offsets are code points into
//! [`LoadedDocument::text`]. What leaves the reader (saved positions) or comes from outside it
//! (library search hits) is in stored-text offsets and passes through
//! [`LoadedDocument::to_stored`] and [`LoadedDocument::to_view`], the identity until then.

use crate::doc::{DocId, DocumentMeta, Span};
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
    /// Folded noise (empty until the cleaner lands): hidden or shown dimmed by `z`.
    pub noise: Vec<Span>,
    /// The saved reading position, a code point offset into `text`.
    pub saved_position: Option<usize>,
}

/// Reads document `id` from the library and splits it into paragraphs.
pub fn load(store: &Store, id: DocId) -> Result<LoadedDocument, StoreError> {
    let meta = store
        .document(id)?
        .ok_or_else(|| StoreError::NoSuchDocument(id.to_string()))?;
    let text = store.text(id)?;
    let mut doc = LoadedDocument::new(meta, text, None);
    doc.saved_position = store.reading_position(id)?.map(|p| doc.to_view(p));
    Ok(doc)
}

impl LoadedDocument {
    /// A document over `text`, split into paragraphs on `\n` (empty and blank lines skipped).
    pub fn new(meta: DocumentMeta, text: String, saved_position: Option<usize>) -> Self {
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
        let chars = text.chars().count();
        LoadedDocument {
            meta,
            text,
            paragraphs,
            byte_ranges,
            chars,
            noise: Vec::new(),
            saved_position,
        }
    }

    /// The stored-text offset of `offset` in [`Self::text`] (for what is saved).
    pub fn to_stored(&self, offset: usize) -> usize {
        offset
    }

    /// The offset in [`Self::text`] of stored-text offset `stored` (for what comes from the
    /// library).
    pub fn to_view(&self, stored: usize) -> usize {
        stored
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
        }
    }

    #[test]
    fn paragraphs_skip_blank_lines_and_offsets_are_code_points() {
        let doc = LoadedDocument::new(meta("t"), "标题\n\n第一段。\n  \n第二段\n".into(), None);
        assert_eq!(
            doc.paragraphs,
            vec![Span::new(0, 2), Span::new(4, 8), Span::new(12, 15)]
        );
        assert_eq!(doc.paragraph(1), "第一段。");
        assert_eq!(doc.locate(3), (1, 0), "a gap belongs to the next paragraph");
        assert_eq!(doc.locate(6), (1, 2));
        assert_eq!(doc.locate(100), (2, 3));
        assert_eq!(doc.offset_of(2, 1), 13);
        assert_eq!(doc.chars, 16);
    }
}
