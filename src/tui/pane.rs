//! One reading pane: its document, cursor (the reading position) and the row at its top, and
//! the moves the reader makes in it. Positions are code point offsets into the document's text
//! (see [`super::document`]), so they do not depend on the pane's width; the layout caches only
//! turn them into rows.

use super::document::LoadedDocument;
use super::themes::DocThemes;
use crate::annotations::{AnchorStatus, Annotation, AnnotationId, Color};
use crate::doc::{DocId, Span};
use crate::text::cache::{Anchor, Folds, LayoutCache, Layouts, Paragraphs, Position};
use crate::text::fold::Shadow;
use crate::text::layout::LayoutOptions;
use crate::text::segment::Segmenter;
use crate::text::width::{WidthOptions, char_width, str_width};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// Sentences end after one of these (and any closing quotes or brackets that follow).
const SENTENCE_ENDS: &[char] = &['。', '！', '？', '!', '?'];
/// Clauses end after one of these (or at a sentence's end).
const CLAUSE_ENDS: &[char] = &['，', '；', '：', '、', ',', ';', ':'];
const CLOSERS: &[char] = &['”', '’', '」', '』', '）', ')', '》', '"', '\''];

/// An annotation where the text shown has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub span: Span,
    pub color: Color,
    /// It has a note (the gutter shows a marker).
    pub note: bool,
    pub id: AnnotationId,
}

/// How marks are sorted: by start, an annotation inside another after it.
fn mark_order(m: &Mark) -> (usize, std::cmp::Reverse<usize>, AnnotationId) {
    (m.span.start, std::cmp::Reverse(m.span.end), m.id)
}

/// A selection in visual mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Where it started (a view offset).
    pub anchor: usize,
    /// Whole paragraphs (`V`).
    pub paragraphs: bool,
    /// The annotation being moved to the selection (`m`; `Enter` puts it there), if any.
    pub moving: Option<AnnotationId>,
}

/// What a pane shows.
#[derive(Debug)]
pub enum Content {
    Loading(DocId),
    Ready(Box<LoadedDocument>),
    Failed { id: DocId, error: String },
}

/// A pane's size in cells of text (gutter and title excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSize {
    pub width: usize,
    pub height: usize,
}

pub struct Pane {
    /// Names the pane in worker requests (stays the same while panes come and go).
    pub id: u64,
    pub content: Content,
    /// The reading position: a code point offset into the document's text.
    pub cursor: usize,
    /// The first code point shown at the top.
    pub top: Anchor,
    /// Where to put the cursor when the document arrives, instead of its saved position: a
    /// stored-text offset (a library search hit).
    pub goto: Option<usize>,
    /// A stored span to select when the whole document has arrived, to move an annotation
    /// there.
    pub select_on_load: Option<(Span, AnnotationId)>,
    /// For a pane showing the beginning of a file being imported: the file's place among
    /// the files imported.
    pub preview_slot: Option<usize>,
    /// The search this pane shows, and its matches (sorted).
    pub query: Option<String>,
    pub matches: Vec<Span>,
    pub current_match: Option<usize>,
    /// The document's passages and their themes, once the worker has them.
    pub themes: Option<Box<DocThemes>>,
    /// The document's annotations by id, and where they are in the text shown (sorted by
    /// place, an annotation inside another after it).
    annotations: HashMap<AnnotationId, Annotation>,
    marks: Vec<Mark>,
    /// Visual mode: where the selection started (it runs to the cursor, both included).
    pub selection: Option<Selection>,
    /// The theme whose passages alone are shown (`F`), and the paragraphs folded for it.
    pub filter: Option<String>,
    folds: Option<Arc<Folds>>,
    /// How columns are counted (East Asian ambiguous characters narrow or wide).
    pub width_opts: WidthOptions,
    /// Layouts are a cache: they change while drawing, which leaves the state as it was.
    layouts: RefCell<Layouts>,
}

impl std::fmt::Debug for Pane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pane")
            .field("id", &self.id)
            .field("content", &self.content)
            .field("cursor", &self.cursor)
            .field("top", &self.top)
            .finish_non_exhaustive()
    }
}

impl Pane {
    pub fn new(id: u64, doc: DocId) -> Pane {
        Pane {
            id,
            content: Content::Loading(doc),
            cursor: 0,
            top: Anchor::default(),
            goto: None,
            select_on_load: None,
            preview_slot: None,
            themes: None,
            annotations: HashMap::new(),
            marks: Vec::new(),
            selection: None,
            filter: None,
            folds: None,
            width_opts: WidthOptions::default(),
            query: None,
            matches: Vec::new(),
            current_match: None,
            layouts: RefCell::new(Layouts::new(3)),
        }
    }

    pub fn doc_id(&self) -> DocId {
        match &self.content {
            Content::Loading(id) | Content::Failed { id, .. } => *id,
            Content::Ready(doc) => doc.meta.id,
        }
    }

    pub fn document(&self) -> Option<&LoadedDocument> {
        match &self.content {
            Content::Ready(doc) => Some(doc),
            _ => None,
        }
    }

    /// Runs `f` with the document and its layout at `size`; `None` while there is no document.
    pub fn with_layout<R>(
        &self,
        size: TextSize,
        f: impl FnOnce(&LoadedDocument, &mut LayoutCache) -> R,
    ) -> Option<R> {
        let doc = self.document()?;
        let opts = LayoutOptions {
            width: size.width.max(1),
            width_opts: self.width_opts,
        };
        let mut layouts = self.layouts.borrow_mut();
        Some(f(doc, layouts.get(doc, opts)))
    }

    /// The cursor's position as a percentage of the document.
    pub fn percent(&self) -> usize {
        ((self.fraction() * 100.0) as usize).min(100)
    }

    /// The cursor as a fraction of the document (for synchronized scrolling).
    pub fn fraction(&self) -> f64 {
        self.document().map_or(0.0, |doc| doc.fraction(self.cursor))
    }

    /// Puts the document in the pane: where the cursor was when it replaces an excerpt or a
    /// preview of itself (the top row stays too), else at `goto`, else at the saved position.
    /// Matches of the pane's search are dropped: they belong to the text they were found in.
    pub fn loaded(&mut self, doc: Box<LoadedDocument>, size: TextSize) {
        let previous = self
            .document()
            .filter(|old| old.meta.id == doc.meta.id || !old.complete)
            .map(|old| {
                let top = old.offset_of(self.top.para, self.top.offset);
                (old.to_stored(self.cursor), old.to_stored(top))
            });
        let (cursor, top) = match previous {
            Some((cursor, top)) => (doc.to_view(cursor), Some(doc.to_view(top))),
            None => match self.goto.take() {
                Some(stored) => (doc.to_view(stored), None),
                None => (doc.saved_position.unwrap_or(0), None),
            },
        };
        self.matches.clear();
        self.current_match = None;
        self.top = top.map_or_else(Anchor::default, |top| {
            let (para, offset) = doc.locate(top);
            Anchor { para, offset }
        });
        let complete = doc.complete;
        self.content = Content::Ready(doc);
        self.refold();
        match top {
            Some(_) => {
                self.cursor = self.document().map_or(0, |doc| clamp_offset(doc, cursor));
                self.reveal(size, false);
            }
            None => self.jump(cursor, size),
        }
        if complete && let Some((span, id)) = self.select_on_load.take() {
            self.select_to_move(span, id, size);
        }
    }

    /// Selects stored span `span` to move annotation `id` there: the selection from its
    /// start, the cursor on its last character.
    pub fn select_to_move(&mut self, span: Span, id: AnnotationId, size: TextSize) {
        let Some(doc) = self.document() else { return };
        let from = doc.to_view(span.start);
        let to = doc.to_view(span.end).max(from + 1);
        self.jump(to - 1, size);
        self.selection = Some(Selection {
            anchor: from.min(self.cursor),
            paragraphs: false,
            moving: Some(id),
        });
    }

    /// Shows the document's folded noise (`true`) or its reading view, keeping the cursor on
    /// the same character. Matches are dropped (they belong to the other text).
    /// False when the document needs its stored text first (see
    /// [`LoadedDocument::set_stored`]).
    pub fn show_noise(&mut self, show: bool, size: TextSize) -> bool {
        let Content::Ready(doc) = &mut self.content else {
            return true;
        };
        if doc.showing_noise() == show {
            return true;
        }
        let stored = doc.to_stored(self.cursor);
        if !doc.show_noise(show) {
            return false;
        }
        let cursor = doc.to_view(stored);
        self.matches.clear();
        self.current_match = None;
        self.refold();
        self.top = Anchor::default();
        self.jump(cursor, size);
        true
    }

    /// Shows only the passages of theme `id` (the other paragraphs folded), or everything
    /// with `None`; the cursor stays, or goes to the next passage shown when it was in a fold.
    /// Returns how many passages are shown.
    pub fn set_filter(&mut self, id: Option<String>, size: TextSize) -> usize {
        self.filter = id;
        self.refold();
        let cursor = self.cursor;
        let shown = self.filter.as_ref().map_or(0, |id| {
            self.themes.as_ref().map_or(0, |t| {
                (0..t.passages.len()).filter(|&p| t.carries(p, id)).count()
            })
        });
        let next = self.document().and_then(|doc| {
            let folds = self.folds.as_ref()?;
            let (para, _) = doc.locate(cursor);
            let (_, end) = folds.run_at(para)?;
            (end < doc.paragraphs.len()).then(|| doc.paragraph_start(end))
        });
        self.jump(next.unwrap_or(cursor), size);
        shown
    }

    /// The folded run of paragraphs that starts at paragraph `para`, if any (drawn as a
    /// marker row).
    pub fn fold_starting_at(&self, para: usize) -> Option<(usize, usize)> {
        self.folds
            .as_ref()?
            .run_at(para)
            .filter(|&(start, _)| start == para)
    }

    /// Sets the document's annotations.
    pub fn set_annotations(&mut self, annotations: Vec<Annotation>) {
        self.annotations = annotations.into_iter().map(|a| (a.id, a)).collect();
        self.remark();
    }

    /// Puts one annotation of the document, made or changed, in its place: its mark goes
    /// where it sorts, nothing else is looked at again.
    pub fn put_annotation(&mut self, annotation: Annotation) {
        self.marks.retain(|m| m.id != annotation.id);
        if let Some(mark) = self.mark_of(&annotation) {
            let at = self
                .marks
                .partition_point(|m| mark_order(m) < mark_order(&mark));
            self.marks.insert(at, mark);
        }
        self.annotations.insert(annotation.id, annotation);
    }

    /// Takes one annotation (deleted) off the document.
    pub fn remove_annotation(&mut self, id: AnnotationId) {
        self.marks.retain(|m| m.id != id);
        self.annotations.remove(&id);
    }

    /// One of the document's annotations.
    pub fn annotation(&self, id: AnnotationId) -> Option<&Annotation> {
        self.annotations.get(&id)
    }

    /// Where an annotation is in the text shown: nowhere for an orphan, or before the
    /// document is there.
    fn mark_of(&self, a: &Annotation) -> Option<Mark> {
        let doc = self.document()?;
        let mark = Mark {
            span: Span::new(doc.to_view(a.start), doc.to_view(a.end)),
            color: a.color,
            note: !a.note.trim().is_empty(),
            id: a.id,
        };
        (a.status != AnchorStatus::Orphan && !mark.span.is_empty()).then_some(mark)
    }

    /// Where the annotations are in the text shown now.
    fn remark(&mut self) {
        let mut marks: Vec<Mark> = self
            .annotations
            .values()
            .filter_map(|a| self.mark_of(a))
            .collect();
        marks.sort_unstable_by_key(mark_order);
        self.marks = marks;
    }

    /// The annotations in the text shown.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// The innermost annotation holding view offset `at`.
    pub fn mark_at(&self, at: usize) -> Option<&Mark> {
        self.marks
            .iter()
            .filter(|m| m.span.contains(at))
            .min_by_key(|m| m.span.len())
    }

    /// The selected span of the text shown (visual mode): from the anchor to the cursor, both
    /// included; whole paragraphs when the selection is by paragraph.
    pub fn selected(&self) -> Option<Span> {
        let selection = self.selection?;
        let doc = self.document()?;
        let (from, to) = (
            selection.anchor.min(self.cursor),
            selection.anchor.max(self.cursor),
        );
        if selection.paragraphs {
            let first = doc.locate(from).0;
            let last = doc.locate(to).0;
            let end = doc.paragraphs.get(last).map_or(to + 1, |p| p.end);
            return Some(Span::new(doc.paragraph_start(first), end.max(from + 1)));
        }
        Some(Span::new(from, to + 1))
    }

    /// New layouts for the text shown, folding the paragraphs outside the filter's passages.
    fn refold(&mut self) {
        self.folds = match (&self.filter, self.document(), self.themes.as_deref()) {
            (Some(id), Some(doc), Some(themes)) => Some(Arc::new(passage_folds(doc, themes, id))),
            _ => None,
        };
        *self.layouts.borrow_mut() = match &self.folds {
            Some(folds) => Layouts::folded(3, Arc::clone(folds)),
            None => Layouts::new(3),
        };
        self.remark();
    }

    /// Sets the document's themes (keeping the filter, folded anew).
    pub fn set_themes(&mut self, themes: Box<DocThemes>) {
        self.themes = Some(themes);
        if self.filter.is_some() {
            self.refold();
        }
    }

    /// Moves the cursor to `offset`, scrolling so it shows a third of the way down if it was
    /// off screen.
    pub fn jump(&mut self, offset: usize, size: TextSize) {
        let Some(doc) = self.document() else { return };
        self.cursor = clamp_offset(doc, offset);
        self.reveal(size, true);
    }

    /// Scrolls as little as needed (or, when `center`, to a third of the way down) so the
    /// cursor shows.
    pub fn reveal(&mut self, size: TextSize, center: bool) {
        let cursor = self.cursor;
        let top = self.top;
        let height = size.height.max(1);
        let margin = (height / 4).min(2);
        let new_top = self.with_layout(size, |doc, cache| {
            let cur = cursor_position(doc, cache, cursor);
            let top_pos = cache.position_of(doc, top);
            let bottom = cache.scroll(doc, top_pos, (height - 1 - margin) as isize);
            let first = cache.scroll(doc, top_pos, margin as isize);
            let visible = cur >= top_pos && cur <= cache.scroll(doc, top_pos, height as isize - 1);
            let pos = if center && !visible {
                cache.scroll(doc, cur, -((height / 3) as isize))
            } else if cur < first && top_pos > Position::default() {
                cache.scroll(doc, cur, -(margin as isize))
            } else if cur > bottom {
                cache.scroll(doc, cur, -((height - 1 - margin) as isize))
            } else {
                top_pos
            };
            // The last page is a full screen: the top never goes past it.
            let end = cache.end(doc);
            let last_top = cache.scroll(doc, end, -(height as isize - 1));
            cache.anchor(doc, pos.min(last_top))
        });
        if let Some(new_top) = new_top {
            self.top = new_top;
        }
    }

    /// Moves the cursor `delta` rows, keeping its column.
    pub fn move_rows(&mut self, delta: isize, size: TextSize) {
        let cursor = self.cursor;
        if let Some(offset) = self.with_layout(size, |doc, cache| {
            let pos = cursor_position(doc, cache, cursor);
            let column = cursor_column(doc, cache, cursor, pos);
            let to = cache.scroll(doc, pos, delta);
            offset_at_column(doc, cache, to, column)
        }) {
            self.cursor = offset;
            self.reveal(size, false);
        }
    }

    /// Scrolls the view and the cursor together by `delta` rows (a page, half a page).
    pub fn scroll_rows(&mut self, delta: isize, size: TextSize) {
        let (cursor, top) = (self.cursor, self.top);
        if let Some((offset, new_top)) = self.with_layout(size, |doc, cache| {
            let pos = cursor_position(doc, cache, cursor);
            let column = cursor_column(doc, cache, cursor, pos);
            let top_pos = cache.position_of(doc, top);
            let new_top = cache.scroll(doc, top_pos, delta);
            let to = cache.scroll(doc, pos, delta);
            (
                offset_at_column(doc, cache, to, column),
                cache.anchor(doc, new_top),
            )
        }) {
            self.cursor = offset;
            self.top = new_top;
            self.reveal(size, false);
        }
    }

    /// The start of the next (`forward`) or previous paragraph.
    pub fn paragraph_step(&self, forward: bool) -> Option<usize> {
        let doc = self.document()?;
        let (para, offset) = doc.locate(self.cursor);
        Some(if forward {
            doc.paragraph_start(para + 1)
        } else if offset > 0 {
            doc.paragraph_start(para)
        } else {
            doc.paragraph_start(para.saturating_sub(1))
        })
    }

    /// The last character of the sentence at or after the cursor: its 。！？ and the closing
    /// quotes after it (what a selection takes to hold the whole sentence).
    pub fn sentence_end(&self) -> Option<usize> {
        let doc = self.document()?;
        let (para, offset) = doc.locate(self.cursor);
        let text = doc.paragraph(para);
        let last = text.chars().count().saturating_sub(1);
        let end = sentence_ends(text)
            .into_iter()
            .map(|e| e - 1)
            .find(|&e| e > offset)
            .unwrap_or(last);
        Some(doc.offset_of(para, end.max(offset)))
    }

    /// The last character of the next clause (up to ，；： or the sentence's end), or with
    /// `forward` false the first character of the clause before the cursor's.
    pub fn clause_step(&self, forward: bool) -> Option<usize> {
        let doc = self.document()?;
        let (para, offset) = doc.locate(self.cursor);
        let chars: Vec<char> = doc.paragraph(para).chars().collect();
        let ends = |c: &char| CLAUSE_ENDS.contains(c) || SENTENCE_ENDS.contains(c);
        let at = if forward {
            (offset + 1..chars.len())
                .find(|&i| ends(&chars[i]))
                .unwrap_or(chars.len().saturating_sub(1))
        } else {
            (0..offset.saturating_sub(1))
                .rev()
                .find(|&i| ends(&chars[i]))
                .map_or(0, |i| i + 1)
        };
        Some(doc.offset_of(para, at))
    }

    /// The text offset shown at `row` (0: the first text row) and `column` (cells from the
    /// text's left edge), if there is text there.
    pub fn offset_at_cell(&self, size: TextSize, row: usize, column: usize) -> Option<usize> {
        let top = self.top;
        self.with_layout(size, |doc, cache| {
            let first = cache.position_of(doc, top);
            let rows = cache.screen(doc, first, size.height);
            let line = rows.get(row)?;
            let pos = Position {
                para: line.para,
                line: line.line,
            };
            Some(offset_at_column(doc, cache, pos, column))
        })?
    }

    /// The word (as jieba segments it) holding view offset `at`, else just that character.
    pub fn word_at(&self, at: usize, seg: &Segmenter) -> Option<Span> {
        let doc = self.document()?;
        let (para, offset) = doc.locate(at);
        let start = doc.paragraph_start(para);
        let word = paragraph_words(doc.paragraph(para), seg)
            .into_iter()
            .find(|w| w.contains(offset))
            .unwrap_or(Span::new(offset, offset + 1));
        Some(Span::new(start + word.start, start + word.end))
    }

    /// The start of the next (`forward`) or previous sentence.
    pub fn sentence_step(&self, forward: bool) -> Option<usize> {
        let doc = self.document()?;
        let (para, offset) = doc.locate(self.cursor);
        let starts = sentence_starts(doc.paragraph(para));
        let found = if forward {
            match starts.iter().find(|&&s| s > offset) {
                Some(&s) => doc.offset_of(para, s),
                None => doc.paragraph_start(para + 1),
            }
        } else {
            match starts.iter().rev().find(|&&s| s < offset) {
                Some(&s) => doc.offset_of(para, s),
                None if para > 0 => {
                    let previous = sentence_starts(doc.paragraph(para - 1));
                    doc.offset_of(para - 1, previous.last().copied().unwrap_or(0))
                }
                None => 0,
            }
        };
        Some(found)
    }

    /// Where a word motion goes from the cursor: the start of the next word (`Word::Next`),
    /// of the previous one (`Word::Previous`), or the last code point of the word at or after
    /// the cursor (`Word::End`). Words are jieba's, found in the paragraph's Simplified
    /// shadow (so Traditional text segments the same) and mapped back; a motion goes on into
    /// the next or previous paragraphs when this one has no word left.
    pub fn word_step(&self, motion: Word, seg: &Segmenter) -> Option<usize> {
        let doc = self.document()?;
        let (para, offset) = doc.locate(self.cursor);
        let words = |p: usize| paragraph_words(doc.paragraph(p), seg);
        let last = doc.paragraphs.len().checked_sub(1)?;
        match motion {
            Word::Next | Word::End => {
                for p in para..=last {
                    let found = words(p).into_iter().find_map(|w| {
                        let at = match motion {
                            Word::Next => w.start,
                            _ => w.end - 1,
                        };
                        (p > para || at > offset).then_some(at)
                    });
                    if let Some(at) = found {
                        return Some(doc.offset_of(p, at));
                    }
                }
                Some(doc.offset_of(last, doc.paragraphs[last].len()))
            }
            Word::Previous => {
                for p in (0..=para).rev() {
                    let found = words(p)
                        .into_iter()
                        .rev()
                        .find(|w| p < para || w.start < offset);
                    if let Some(w) = found {
                        return Some(doc.offset_of(p, w.start));
                    }
                }
                Some(0)
            }
        }
    }

    /// The first code point of the document's last row.
    pub fn last_line_start(&self, size: TextSize) -> Option<usize> {
        self.with_layout(size, |doc, cache| {
            let end = cache.end(doc);
            let anchor = cache.anchor(doc, end);
            doc.offset_of(anchor.para, anchor.offset)
        })
    }

    /// The start of paragraph `n` (1-based).
    pub fn paragraph_offset(&self, n: usize) -> Option<usize> {
        let doc = self.document()?;
        Some(doc.paragraph_start(n.saturating_sub(1)))
    }

    /// The start of the paragraph at `percent` % of the document.
    pub fn percent_offset(&self, percent: usize) -> Option<usize> {
        let doc = self.document()?;
        let target = doc.offset_at_fraction(percent.min(100) as f64 / 100.0);
        Some(doc.paragraph_start(doc.paragraph_at(target)))
    }

    /// The first code point of the line at `fraction` of the document (synchronized scrolling).
    pub fn line_start_at(&self, fraction: f64, size: TextSize) -> Option<usize> {
        self.with_layout(size, |doc, cache| {
            let target = doc.offset_at_fraction(fraction);
            let pos = cursor_position(doc, cache, target);
            let anchor = cache.anchor(doc, pos);
            doc.offset_of(anchor.para, anchor.offset)
        })
    }
}

/// `offset` moved into the nearest paragraph.
fn clamp_offset(doc: &LoadedDocument, offset: usize) -> usize {
    let (para, within) = doc.locate(offset);
    doc.offset_of(para, within)
}

/// The row showing the code point at document offset `offset`.
/// The paragraphs of `doc` to fold so that only the passages carrying theme `id` show.
fn passage_folds(doc: &LoadedDocument, themes: &DocThemes, id: &str) -> Folds {
    let shown = (0..themes.passages.len())
        .filter(|&p| themes.carries(p, id))
        .map(|p| {
            let span = themes.passages[p];
            let first = doc.locate(doc.to_view(span.start)).0;
            let last = doc.locate(doc.to_view(span.end.saturating_sub(1))).0;
            (first, last + 1)
        })
        .collect();
    Folds::keeping(doc.paragraphs.len(), shown)
}

pub fn cursor_position(doc: &LoadedDocument, cache: &mut LayoutCache, offset: usize) -> Position {
    let (para, within) = doc.locate(offset);
    cache.position_of(
        doc,
        Anchor {
            para,
            offset: within,
        },
    )
}

/// The column of the cursor within its row.
fn cursor_column(
    doc: &LoadedDocument,
    cache: &mut LayoutCache,
    offset: usize,
    pos: Position,
) -> usize {
    let (para, within) = doc.locate(offset);
    let text = doc.paragraph(para);
    let Some(line) = cache.lines(doc, pos.para).get(pos.line).copied() else {
        return 0;
    };
    let before: String = line
        .text(text)
        .chars()
        .take(within.saturating_sub(line.start))
        .collect();
    str_width(&before, &cache.options().width_opts)
}

/// The document offset in row `pos` at display column `column` (or the row's last character).
fn offset_at_column(
    doc: &LoadedDocument,
    cache: &mut LayoutCache,
    pos: Position,
    column: usize,
) -> usize {
    let text = doc.paragraph(pos.para);
    let Some(line) = cache.lines(doc, pos.para).get(pos.line).copied() else {
        return doc.paragraph_start(pos.para);
    };
    let opts = cache.options().width_opts;
    let mut used = 0;
    let mut at = line.start;
    for (i, c) in line.text(text).chars().enumerate() {
        let w = char_width(c, &opts);
        at = line.start + i;
        if used + w > column {
            break;
        }
        used += w;
    }
    doc.offset_of(pos.para, at)
}

/// A word motion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Next,
    Previous,
    End,
}

/// The words of a paragraph as code-point spans of it: segmented in its Simplified shadow and
/// mapped back, so a Traditional paragraph has the words of its Simplified twin.
pub fn paragraph_words(paragraph: &str, seg: &Segmenter) -> Vec<Span> {
    let shadow = Shadow::new(paragraph);
    seg.words(shadow.text())
        .into_iter()
        .map(|w| shadow.source_span(w))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Where each sentence of a paragraph ends: the offset just past its 。！？ and the closing
/// quotes and brackets after it.
pub fn sentence_ends(paragraph: &str) -> Vec<usize> {
    let chars: Vec<char> = paragraph.chars().collect();
    let mut ends = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if SENTENCE_ENDS.contains(&chars[i]) {
            let mut j = i + 1;
            while j < chars.len()
                && (SENTENCE_ENDS.contains(&chars[j]) || CLOSERS.contains(&chars[j]))
            {
                j += 1;
            }
            ends.push(j);
            i = j;
        } else {
            i += 1;
        }
    }
    ends
}

/// Where sentences start in a paragraph, in code points: 0, and after each sentence's end and
/// the spaces that follow it.
pub fn sentence_starts(paragraph: &str) -> Vec<usize> {
    let chars: Vec<char> = paragraph.chars().collect();
    let mut starts = vec![0];
    for end in sentence_ends(paragraph) {
        let start = (end..chars.len())
            .find(|&j| !chars[j].is_whitespace())
            .unwrap_or(chars.len());
        if start < chars.len() {
            starts.push(start);
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_start_after_end_marks_and_closing_quotes() {
        assert_eq!(sentence_starts("一。二！“三？”四"), vec![0, 2, 4, 8]);
        assert_eq!(sentence_starts("没有句号"), vec![0]);
        assert_eq!(sentence_starts("结尾。"), vec![0]);
    }
}
