//! The reader's data layer: a document as the reader sees it, built in one place: [`load`]
//! for the whole document, [`load_excerpt`] for whole lines around one place, shown at once
//! while the whole document loads.
//!
//! A document is shown as its reading view (the stored text minus folded noise) or, when the
//! reader shows noise (`z`), as its stored text with the folded ranges marked. Either way the
//! rest of the reader only sees [`LoadedDocument`], whose offsets are code points into
//! [`LoadedDocument::text`], split into paragraphs at line breaks. What leaves the reader
//! (saved positions) or comes from outside it (library search hits) is in stored-text offsets
//! and passes through [`LoadedDocument::to_stored`] and [`LoadedDocument::to_view`]; an
//! excerpt's stored offsets are the whole document's, so a position carries over when the
//! whole document replaces it.

use crate::cancel::Cancel;
use crate::clean::{Cleaned, NoiseRange};
use crate::doc::view::{View, ViewOptions};
use crate::doc::{DocId, DocumentMeta, Span};
use crate::reading::{self, Reading};
use crate::store::{NewDocument, Store, StoreError};
use crate::text::cache::Paragraphs;
use std::sync::{Arc, OnceLock};

/// Bytes of stored text read for each excerpt shown while a large document loads: first a
/// dozen screens, read and laid out in about a millisecond for the first frame, then a few
/// hundred screens to read on in while the rest loads.
pub const EXCERPT_BYTES: [usize; 2] = [64 * 1024, 512 * 1024];

/// A document ready to read: metadata, text and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedDocument {
    pub meta: DocumentMeta,
    /// Paragraphs in code points of [`Self::text`], in order, non-overlapping, never empty.
    pub paragraphs: Vec<Span>,
    /// Byte offset of each paragraph's start and end in [`Self::text`].
    byte_ranges: Vec<(usize, usize)>,
    /// Length of [`Self::text`] in code points.
    pub chars: usize,
    /// Folded noise in `text`: empty when noise is hidden, the folded ranges when it is shown.
    pub noise: Vec<Span>,
    /// The saved reading position, a code point offset into `text`.
    pub saved_position: Option<usize>,
    /// The reading view, the cleaning and (once needed) the stored text; shared with searches
    /// running off the UI thread.
    reading: Arc<Shown>,
    /// The stored code point where `reading`'s text starts (0 unless an excerpt).
    start: usize,
    /// Whether this is the whole document, not an excerpt.
    pub complete: bool,
    /// Whether `text` is the stored text with noise shown, rather than the reading view.
    showing_noise: bool,
}

/// A document's reading view, and its stored text (or the excerpt's part of it) with the
/// folded ranges once they are needed to show the noise in place. A whole document is loaded
/// without them, which would triple the memory a 300 MB document takes (its text again, and
/// millions of ranges); excerpts and previews have theirs from the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub meta: DocumentMeta,
    pub view: View,
    stored: OnceLock<Stored>,
}

/// The stored text (or an excerpt's part of it) and its folded ranges, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub text: String,
    pub noise: Vec<NoiseRange>,
}

/// The text a pane shows, shared with the search thread: a document's reading and whether its
/// stored text (noise shown) or its view is shown.
#[derive(Clone, PartialEq, Eq)]
pub struct SharedText {
    pub reading: Arc<Shown>,
    pub noise: bool,
}

impl std::fmt::Debug for SharedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SharedText(#{}, {} bytes, noise: {})",
            self.reading.meta.id,
            shown_text(&self.reading, self.noise).len(),
            self.noise
        )
    }
}

/// Reads document `id` from the library: its reading view, split into paragraphs (neither the
/// stored text nor the cleaning is kept: [`LoadedDocument::set_stored`] adds them when noise
/// is shown).
pub fn load(
    store: &Store,
    id: DocId,
    options: &ViewOptions,
    stop: &Cancel,
) -> Result<Option<LoadedDocument>, StoreError> {
    let Some((meta, view)) = reading::load_view_alone(store, id, options, stop)? else {
        return Ok(None);
    };
    let shown = Shown {
        meta,
        view,
        stored: OnceLock::new(),
    };
    let mut doc = LoadedDocument::from_shown(shown, 0, true);
    doc.saved_position = store.reading_position(id)?.map(|p| doc.to_view(p));
    Ok(Some(doc))
}

/// Reads document `id`'s stored text and folded ranges, to show its noise in place.
pub fn read_stored(store: &Store, id: DocId) -> Result<Stored, StoreError> {
    let (text, cleaned) = reading::load_cleaned(store, id)?;
    Ok(Stored {
        text,
        noise: cleaned.noise,
    })
}

/// Reads about `max_bytes` of whole lines of document `id` around stored offset `around`
/// (see [`reading::load_excerpt`]); `None` when the document is small enough to [`load`] at
/// once.
pub fn load_excerpt(
    store: &Store,
    id: DocId,
    around: usize,
    max_bytes: usize,
    options: &ViewOptions,
) -> Result<Option<LoadedDocument>, StoreError> {
    let Some(excerpt) = reading::load_excerpt(store, id, around, max_bytes, options)? else {
        return Ok(None);
    };
    let mut doc = LoadedDocument::from_reading(excerpt.reading, excerpt.start, false);
    doc.saved_position = store.reading_position(id)?.map(|p| doc.to_view(p));
    Ok(Some(doc))
}

/// The beginning of a file being imported ([`crate::import::raw_preview`], then
/// [`crate::import::clean_preview`]), shown until the library has it. Its id is 0 (no
/// document has it); its length in code points is estimated from the file's size, for the
/// position shown in the title bar.
pub fn preview(doc: NewDocument, options: &ViewOptions) -> LoadedDocument {
    let prefix_chars = doc.text.chars().count();
    let estimate = prefix_chars as f64 * doc.source_bytes as f64 / doc.text.len().max(1) as f64;
    let view = View::build(&doc.text, &doc.cleaned.folded_spans(), options);
    let meta = DocumentMeta {
        id: 0,
        title: doc.title,
        source: doc.source,
        encoding: doc.encoding,
        script: doc.script,
        chars: (estimate as usize).max(prefix_chars),
        source_bytes: doc.source_bytes,
        content_hash: doc.content_hash,
        imported_at: String::new(),
        cleaner_version: doc.cleaned.version,
    };
    let reading = Reading {
        meta,
        text: doc.text,
        cleaned: doc.cleaned,
        view,
    };
    LoadedDocument::from_reading(reading, 0, false)
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
        let mut doc = LoadedDocument::from_reading(reading, 0, true);
        doc.saved_position = saved_position;
        doc
    }

    /// The reading view of `reading` (which starts at stored code point `start`), noise hidden.
    fn from_reading(reading: Reading, start: usize, complete: bool) -> Self {
        let shown = Shown {
            meta: reading.meta,
            view: reading.view,
            stored: OnceLock::from(Stored {
                text: reading.text,
                noise: reading.cleaned.noise,
            }),
        };
        LoadedDocument::from_shown(shown, start, complete)
    }

    fn from_shown(reading: Shown, start: usize, complete: bool) -> Self {
        let (paragraphs, byte_ranges, chars) = split_lines(reading.view.text());
        LoadedDocument {
            meta: reading.meta.clone(),
            paragraphs,
            byte_ranges,
            chars,
            noise: Vec::new(),
            saved_position: None,
            reading: Arc::new(reading),
            start,
            complete,
            showing_noise: false,
        }
    }

    /// The text the reader shows; every offset the reader uses points into it.
    pub fn text(&self) -> &str {
        shown_text(&self.reading, self.showing_noise)
    }

    /// Whether the stored text and its folded ranges are here (to show the noise in place).
    pub fn has_stored_text(&self) -> bool {
        self.reading.stored.get().is_some()
    }

    /// Adds the stored text and folded ranges of a document loaded without them (a no-op if
    /// it has them).
    pub fn set_stored(&self, stored: Stored) {
        let _ = self.reading.stored.set(stored);
    }

    /// The text shown, for a search off the UI thread.
    pub fn shared(&self) -> SharedText {
        SharedText {
            reading: Arc::clone(&self.reading),
            noise: self.showing_noise,
        }
    }

    /// Whether `text` is the text this document shows now (a search's answer still fits).
    pub fn is_shown(&self, text: &SharedText) -> bool {
        Arc::ptr_eq(&self.reading, &text.reading) && self.showing_noise == text.noise
    }

    /// Whether the stored text with its folded ranges is shown, rather than the view.
    pub fn showing_noise(&self) -> bool {
        self.showing_noise
    }

    /// Shows the stored text with its folded ranges (`true`) or the reading view (`false`);
    /// false when the noise cannot be shown yet (no stored text: see [`Self::set_stored`]).
    /// Offsets into [`Self::text`] change: carry them over with `to_stored` before and
    /// `to_view` after.
    pub fn show_noise(&mut self, show: bool) -> bool {
        if show == self.showing_noise {
            return true;
        }
        if show && !self.has_stored_text() {
            return false;
        }
        self.showing_noise = show;
        (self.paragraphs, self.byte_ranges, self.chars) =
            split_lines(shown_text(&self.reading, show));
        self.noise = match (show, self.reading.stored.get()) {
            (true, Some(stored)) => stored.noise.iter().map(|n| n.span).collect(),
            _ => Vec::new(),
        };
        true
    }

    /// The folded range at `offset` of [`Self::text`], when noise is shown.
    pub fn noise_at(&self, offset: usize) -> Option<&NoiseRange> {
        if !self.showing_noise {
            return None;
        }
        let noise = &self.reading.stored.get()?.noise;
        let i = noise.partition_point(|n| n.span.end <= offset);
        noise.get(i).filter(|n| n.span.contains(offset))
    }

    /// The stored-text offset of `offset` in [`Self::text`] (for what is saved).
    pub fn to_stored(&self, offset: usize) -> usize {
        self.start
            + match self.showing_noise {
                true => offset,
                false => self.reading.view.to_stored(offset),
            }
    }

    /// The offset in [`Self::text`] of stored-text offset `stored` (for what comes from the
    /// library); clamped to the excerpt.
    pub fn to_view(&self, stored: usize) -> usize {
        let local = stored.saturating_sub(self.start);
        match self.showing_noise {
            true => local.min(self.chars),
            false => self.reading.view.to_view(local),
        }
    }

    /// How far through the whole document `offset` is, from 0 to 1 (by stored offsets for an
    /// excerpt, whose view does not know the rest).
    pub fn fraction(&self, offset: usize) -> f64 {
        match self.complete {
            true if self.chars > 0 => offset as f64 / self.chars as f64,
            false if self.meta.chars > 0 => self.to_stored(offset) as f64 / self.meta.chars as f64,
            _ => 0.0,
        }
    }

    /// The offset at `fraction` (0 to 1) of the whole document, clamped to an excerpt.
    pub fn offset_at_fraction(&self, fraction: f64) -> usize {
        let fraction = fraction.clamp(0.0, 1.0);
        match self.complete {
            true => (fraction * self.chars as f64) as usize,
            false => self.to_view((fraction * self.meta.chars as f64) as usize),
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

/// The text of `reading` a document shows: the stored text with noise (empty until it is
/// there), else the view.
pub fn shown_text(reading: &Shown, noise: bool) -> &str {
    match noise {
        true => reading.stored.get().map_or("", |s| s.text.as_str()),
        false => reading.view.text(),
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
            .and_then(|&(start, end)| self.text().get(start..end))
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
        assert_eq!(doc.text(), "标题\n\n第一段。\n\n第二段\n");
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
    fn a_stopped_load_reads_no_view() {
        let store = crate::demo::open().unwrap();
        let stop = Cancel::new();
        stop.cancel();
        assert!(
            load(&store, 3, &ViewOptions::default(), &stop)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn noise_can_be_shown_and_offsets_carry_over() {
        let store = crate::demo::open().unwrap();
        let mut doc = load(&store, 3, &ViewOptions::default(), &Cancel::new())
            .unwrap()
            .expect("not stopped");
        assert!(
            !doc.show_noise(true),
            "a whole document comes without its stored text"
        );
        doc.set_stored(read_stored(&store, 3).unwrap());
        assert!(
            !doc.text().contains("font-size"),
            "the CSS fragment is folded"
        );
        assert!(doc.noise.is_empty());
        let word = doc.text().find("成果转化").unwrap();
        let at = doc.text()[..word].chars().count();
        let stored = doc.to_stored(at);
        doc.show_noise(true);
        assert!(doc.text().contains("font-size"));
        assert!(!doc.noise.is_empty());
        let css = doc.text().find("font-size").unwrap();
        let css_at = doc.text()[..css].chars().count();
        assert_eq!(
            doc.noise_at(css_at).map(|n| n.reason),
            Some(crate::clean::NoiseReason::Css)
        );
        let back = doc.to_view(stored);
        assert!(
            doc.text()
                .chars()
                .skip(back)
                .collect::<String>()
                .starts_with("成果转化")
        );
        doc.show_noise(false);
        assert_eq!(doc.to_view(stored), at);
    }
}
