//! Lazy layout of a whole document for one pane width.
//!
//! A document is a list of paragraphs ([`Paragraphs`]); a place in it is a [`Position`]:
//! paragraph index and line index within that paragraph's layout. Everything the reader does
//! is relative to a position, so only the paragraphs it touches are ever laid out:
//!
//! * [`LayoutCache::screen`] lays out the paragraphs from the top position down until the
//!   screen is full; [`LayoutCache::scroll`] walks paragraph by paragraph, laying out only those
//!   it crosses; jumping to a paragraph is just `Position { para, line: 0 }`.
//! * Every laid-out paragraph leaves its line count behind (4 bytes a paragraph, kept for
//!   good), and its lines stay in a small LRU (at most [`MAX_CACHED_PARAGRAPHS`] paragraphs and
//!   [`MAX_CACHED_LINES`] lines) so that redrawing and scrolling do not lay them out again.
//! * Absolute rows (scrollbar, position percentage) are estimates: counts known so far plus,
//!   for each paragraph not laid out yet, the average line count of those that are. Sums of
//!   known counts live in a Fenwick tree over blocks of 64 paragraphs, so an estimate costs
//!   O(log n) and grows exact as the reader visits more of the document. A click on the
//!   scrollbar maps an estimated row back to a position with [`LayoutCache::position_near_row`].
//! * One cache serves one [`LayoutOptions`]. [`Layouts`] keeps the few most recently used
//!   caches, so toggling between two widths (a split pane, a resize back) reuses their work;
//!   on a resize [`Layouts::reflow`] carries the top position over by its first code point, and
//!   the new width lays out only what is then on screen.
//!
//! * A cache can fold paragraphs away ([`Folds`]): each run of folded paragraphs takes one
//!   row, a marker (an empty line on the run's first paragraph, which the reader draws as
//!   "⋯ N paragraphs folded"), and the rest of the run takes none; moves step over a run in
//!   one step. This is how a pane shows only one theme's passages.
//!
//! A paragraph is laid out whole, so its size bounds the work per step: the document model
//! should keep paragraphs reasonably sized (a 300 MB file without line breaks would be one
//! paragraph).

use std::collections::HashMap;
use std::sync::Arc;

use super::layout::{LayoutOptions, LineSpan, layout_paragraph};

/// Most paragraphs whose lines a cache keeps.
pub const MAX_CACHED_PARAGRAPHS: usize = 4096;
/// Most lines a cache keeps (line counts are kept for every laid-out paragraph regardless).
pub const MAX_CACHED_LINES: usize = 1 << 17;
/// Paragraphs per block of the row-sum tree.
const BLOCK: usize = 64;

/// The text of a document, paragraph by paragraph. A paragraph should hold no line breaks
/// (any it holds are hard breaks within it).
pub trait Paragraphs {
    fn paragraph_count(&self) -> usize;
    /// Paragraph `index`, for `index < paragraph_count()`.
    fn paragraph(&self, index: usize) -> &str;
}

impl<S: AsRef<str>> Paragraphs for [S] {
    fn paragraph_count(&self) -> usize {
        self.len()
    }

    fn paragraph(&self, index: usize) -> &str {
        self.get(index).map_or("", AsRef::as_ref)
    }
}

impl<S: AsRef<str>> Paragraphs for Vec<S> {
    fn paragraph_count(&self) -> usize {
        self.len()
    }

    fn paragraph(&self, index: usize) -> &str {
        self.as_slice().paragraph(index)
    }
}

/// A visual row of the document: line `line` of paragraph `para`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub para: usize,
    pub line: usize,
}

/// A place in the text that does not depend on the width: a code point offset in a paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Anchor {
    pub para: usize,
    pub offset: usize,
}

/// One row of a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScreenLine {
    pub para: usize,
    pub line: usize,
    pub span: LineSpan,
}

/// Runs of paragraphs folded away, each shown as one marker row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folds {
    /// Sorted, disjoint, non-empty `[start, end)` paragraph ranges.
    runs: Vec<(usize, usize)>,
}

impl Folds {
    /// Of `count` paragraphs, folds every run of those `shown` leaves out. `shown` lists the
    /// paragraph ranges `[start, end)` to keep, in any order, overlapping or not.
    pub fn keeping(count: usize, mut shown: Vec<(usize, usize)>) -> Folds {
        shown.sort_unstable();
        let mut runs = Vec::new();
        let mut at = 0;
        for (start, end) in shown {
            let start = start.min(count);
            if start > at {
                runs.push((at, start));
            }
            at = at.max(end.min(count));
        }
        if at < count {
            runs.push((at, count));
        }
        Folds { runs }
    }

    /// The folded run holding paragraph `para`.
    pub fn run_at(&self, para: usize) -> Option<(usize, usize)> {
        let i = self.runs.partition_point(|r| r.1 <= para);
        self.runs.get(i).copied().filter(|r| r.0 <= para)
    }

    /// The paragraph that shows `para`: itself, or the marker of its run.
    fn shown(&self, para: usize) -> usize {
        self.run_at(para).map_or(para, |r| r.0)
    }

    /// Rows paragraph `para` takes when folded: 1 for a run's marker, 0 inside a run; `None`
    /// when it is not folded.
    fn rows(&self, para: usize) -> Option<usize> {
        self.run_at(para).map(|r| usize::from(r.0 == para))
    }

    /// Paragraphs folded away (markers included).
    pub fn folded(&self) -> usize {
        self.runs.iter().map(|r| r.1 - r.0).sum()
    }
}

struct Cached {
    lines: Vec<LineSpan>,
    used: u64,
}

/// Sums over a growing set of slots, with O(log n) updates and prefix sums.
struct Fenwick {
    tree: Vec<u64>,
}

impl Fenwick {
    fn new(len: usize) -> Self {
        Fenwick {
            tree: vec![0; len + 1],
        }
    }

    fn add(&mut self, slot: usize, delta: u64) {
        let mut i = slot + 1;
        while i < self.tree.len() {
            self.tree[i] += delta;
            i += i & i.wrapping_neg();
        }
    }

    /// Sum of slots `0..slot`.
    fn prefix(&self, slot: usize) -> u64 {
        let mut i = slot.min(self.tree.len() - 1);
        let mut sum = 0;
        while i > 0 {
            sum += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        sum
    }
}

/// The layout of one document at one [`LayoutOptions`], done lazily.
pub struct LayoutCache {
    opts: LayoutOptions,
    folds: Arc<Folds>,
    /// Rows of each paragraph plus one; 0 until it is laid out (a paragraph has at least one
    /// row, unless it is folded inside a run).
    counts: Vec<u32>,
    block_rows: Fenwick,
    block_known: Fenwick,
    known_paragraphs: usize,
    known_rows: u64,
    lines: HashMap<usize, Cached>,
    cached_lines: usize,
    clock: u64,
    laid_out: u64,
}

impl LayoutCache {
    /// An empty cache for `doc` at `opts`; nothing is laid out yet.
    pub fn new<P: Paragraphs + ?Sized>(opts: LayoutOptions, doc: &P) -> Self {
        LayoutCache::folded(opts, doc, Arc::default())
    }

    /// An empty cache for `doc` at `opts` with `folds` folded away (their rows are known at
    /// once: one marker row a run).
    pub fn folded<P: Paragraphs + ?Sized>(opts: LayoutOptions, doc: &P, folds: Arc<Folds>) -> Self {
        let n = doc.paragraph_count();
        let blocks = n.div_ceil(BLOCK);
        let runs = folds.runs.clone();
        let mut cache = LayoutCache {
            opts,
            folds,
            counts: vec![0; n],
            block_rows: Fenwick::new(blocks),
            block_known: Fenwick::new(blocks),
            known_paragraphs: 0,
            known_rows: 0,
            lines: HashMap::new(),
            cached_lines: 0,
            clock: 0,
            laid_out: 0,
        };
        for (start, end) in runs {
            for para in start..end.min(n) {
                cache.record_count(para, usize::from(para == start));
            }
        }
        cache
    }

    pub fn options(&self) -> LayoutOptions {
        self.opts
    }

    pub fn paragraph_count(&self) -> usize {
        self.counts.len()
    }

    /// How many times this cache has laid out a paragraph (for tests and diagnostics).
    pub fn paragraphs_laid_out(&self) -> u64 {
        self.laid_out
    }

    /// Line count of `para` if it has been laid out.
    pub fn known_line_count(&self, para: usize) -> Option<usize> {
        self.counts
            .get(para)
            .filter(|&&c| c > 0)
            .map(|&c| c as usize - 1)
    }

    /// The lines of `para`, laid out now if need be; empty if there is no such paragraph.
    pub fn lines<P: Paragraphs + ?Sized>(&mut self, doc: &P, para: usize) -> &[LineSpan] {
        if para >= self.counts.len() {
            return &[];
        }
        self.clock += 1;
        let clock = self.clock;
        if let Some(cached) = self.lines.get_mut(&para) {
            cached.used = clock;
        } else {
            let lines = match self.folds.rows(para) {
                Some(0) => return &[],
                // A run's marker: an empty line.
                Some(_) => vec![LineSpan::default()],
                None if para < doc.paragraph_count() => {
                    layout_paragraph(doc.paragraph(para), &self.opts)
                }
                None => layout_paragraph("", &self.opts),
            };
            self.laid_out += 1;
            self.record_count(para, lines.len());
            self.cached_lines += lines.len();
            self.lines.insert(para, Cached { lines, used: clock });
            self.evict();
        }
        self.lines.get(&para).map_or(&[], |c| c.lines.as_slice())
    }

    /// Line count of `para` (at least 1), laying it out if need be; 0 if there is no such
    /// paragraph or it is folded inside a run.
    pub fn line_count<P: Paragraphs + ?Sized>(&mut self, doc: &P, para: usize) -> usize {
        match self.known_line_count(para) {
            Some(count) => count,
            None => self.lines(doc, para).len(),
        }
    }

    /// `pos` moved to the nearest position that exists.
    pub fn clamp<P: Paragraphs + ?Sized>(&mut self, doc: &P, pos: Position) -> Position {
        let n = self.counts.len();
        if n == 0 {
            return Position::default();
        }
        let para = self.folds.shown(pos.para.min(n - 1));
        let line = pos.line.min(self.line_count(doc, para).saturating_sub(1));
        Position { para, line }
    }

    /// The last row of the document.
    pub fn end<P: Paragraphs + ?Sized>(&mut self, doc: &P) -> Position {
        self.clamp(
            doc,
            Position {
                para: usize::MAX,
                line: usize::MAX,
            },
        )
    }

    /// `pos` moved by `delta` rows (down if positive), stopping at the first and last rows.
    /// Lays out the paragraphs it crosses: for long jumps use [`Self::position_near_row`] or
    /// jump to a paragraph.
    pub fn scroll<P: Paragraphs + ?Sized>(
        &mut self,
        doc: &P,
        pos: Position,
        delta: isize,
    ) -> Position {
        let Position { mut para, mut line } = self.clamp(doc, pos);
        let mut left = delta.unsigned_abs();
        let n = self.counts.len();
        if n == 0 {
            return Position::default();
        }
        if delta > 0 {
            loop {
                let room = self.line_count(doc, para) - 1 - line;
                if left <= room {
                    line += left;
                    break;
                }
                let Some(next) = self.next_shown(para) else {
                    line += room;
                    break;
                };
                left -= room + 1;
                para = next;
                line = 0;
            }
        } else {
            loop {
                if left <= line {
                    line -= left;
                    break;
                }
                let Some(previous) = self.previous_shown(para) else {
                    line = 0;
                    break;
                };
                left -= line + 1;
                para = previous;
                line = self.line_count(doc, para) - 1;
            }
        }
        Position { para, line }
    }

    /// The first paragraph after `para` that takes a row (folded runs are stepped over).
    fn next_shown(&self, para: usize) -> Option<usize> {
        let next = para + 1;
        let next = match self.folds.run_at(next) {
            Some((start, end)) if start < next => end,
            _ => next,
        };
        (next < self.counts.len()).then_some(next)
    }

    /// The last paragraph before `para` that takes a row.
    fn previous_shown(&self, para: usize) -> Option<usize> {
        Some(self.folds.shown(para.checked_sub(1)?))
    }

    /// Up to `rows` rows from `top` down: what a screen of that height shows.
    pub fn screen<P: Paragraphs + ?Sized>(
        &mut self,
        doc: &P,
        top: Position,
        rows: usize,
    ) -> Vec<ScreenLine> {
        let mut out = Vec::with_capacity(rows);
        if rows == 0 || self.counts.is_empty() {
            return out;
        }
        let top = self.clamp(doc, top);
        let mut line = top.line;
        let mut next = Some(top.para);
        while let Some(para) = next {
            let lines = self.lines(doc, para);
            for (i, span) in lines.iter().enumerate().skip(line) {
                out.push(ScreenLine {
                    para,
                    line: i,
                    span: *span,
                });
                if out.len() == rows {
                    return out;
                }
            }
            line = 0;
            next = self.next_shown(para);
        }
        out
    }

    /// The width-independent place of `pos`: the first code point of its line.
    pub fn anchor<P: Paragraphs + ?Sized>(&mut self, doc: &P, pos: Position) -> Anchor {
        let pos = self.clamp(doc, pos);
        let offset = self
            .lines(doc, pos.para)
            .get(pos.line)
            .map_or(0, |l| l.start);
        Anchor {
            para: pos.para,
            offset,
        }
    }

    /// The row that shows `anchor`.
    pub fn position_of<P: Paragraphs + ?Sized>(&mut self, doc: &P, anchor: Anchor) -> Position {
        let para = self
            .clamp(
                doc,
                Position {
                    para: anchor.para,
                    line: 0,
                },
            )
            .para;
        let lines = self.lines(doc, para);
        let line = lines
            .iter()
            .position(|l| anchor.offset < l.end)
            .unwrap_or(lines.len().saturating_sub(1));
        Position { para, line }
    }

    /// Estimated number of rows before paragraph `para`.
    fn rows_before(&self, para: usize) -> f64 {
        let para = para.min(self.counts.len());
        let block = para / BLOCK;
        let mut rows = self.block_rows.prefix(block);
        let mut known = self.block_known.prefix(block);
        for &c in &self.counts[block * BLOCK..para] {
            if c > 0 {
                rows += u64::from(c - 1);
                known += 1;
            }
        }
        rows as f64 + (para as u64 - known) as f64 * self.average_lines()
    }

    fn average_lines(&self) -> f64 {
        if self.known_paragraphs == 0 {
            1.0
        } else {
            self.known_rows as f64 / self.known_paragraphs as f64
        }
    }

    /// Estimated absolute row of `pos`, exact once every paragraph before it is laid out.
    pub fn estimated_row(&self, pos: Position) -> usize {
        self.rows_before(pos.para).round() as usize + pos.line
    }

    /// Estimated number of rows in the document.
    pub fn estimated_total_rows(&self) -> usize {
        self.rows_before(self.counts.len()).round() as usize
    }

    /// The position at (or just before) estimated row `row`; lays out one paragraph.
    pub fn position_near_row<P: Paragraphs + ?Sized>(&mut self, doc: &P, row: usize) -> Position {
        let n = self.counts.len();
        if n == 0 {
            return Position::default();
        }
        let target = row as f64;
        let (mut lo, mut hi) = (0, n - 1);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if self.rows_before(mid).round() <= target {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let line = row.saturating_sub(self.rows_before(lo).round() as usize);
        self.clamp(doc, Position { para: lo, line })
    }

    fn record_count(&mut self, para: usize, count: usize) {
        if self.counts[para] > 0 {
            return;
        }
        let count = u32::try_from(count).unwrap_or(u32::MAX - 1);
        self.counts[para] = count + 1;
        self.block_rows.add(para / BLOCK, u64::from(count));
        self.block_known.add(para / BLOCK, 1);
        // The average that estimates rows not laid out yet is over paragraphs that take rows.
        if count > 0 {
            self.known_paragraphs += 1;
            self.known_rows += u64::from(count);
        }
    }

    /// Drops the least recently used lines down to three quarters of the limits once a limit
    /// is passed; the most recent paragraph always stays.
    fn evict(&mut self) {
        if self.lines.len() <= MAX_CACHED_PARAGRAPHS && self.cached_lines <= MAX_CACHED_LINES {
            return;
        }
        let mut by_age: Vec<(u64, usize, usize)> = self
            .lines
            .iter()
            .map(|(&para, c)| (c.used, para, c.lines.len()))
            .collect();
        by_age.sort_unstable();
        let mut paragraphs = self.lines.len();
        for (_, para, len) in &by_age[..by_age.len() - 1] {
            if paragraphs <= MAX_CACHED_PARAGRAPHS * 3 / 4
                && self.cached_lines <= MAX_CACHED_LINES * 3 / 4
            {
                break;
            }
            self.lines.remove(para);
            paragraphs -= 1;
            self.cached_lines -= len;
        }
    }
}

/// The layout caches of one document for its most recently used [`LayoutOptions`].
pub struct Layouts {
    caches: Vec<LayoutCache>,
    capacity: usize,
    folds: Arc<Folds>,
}

impl Layouts {
    /// Keeps at most `capacity` caches (at least one).
    pub fn new(capacity: usize) -> Self {
        Layouts::folded(capacity, Arc::default())
    }

    /// Caches that fold `folds` away.
    pub fn folded(capacity: usize, folds: Arc<Folds>) -> Self {
        Layouts {
            caches: Vec::new(),
            capacity: capacity.max(1),
            folds,
        }
    }

    /// The cache for `opts`, made if need be; the least recently used one goes when there are
    /// too many.
    pub fn get<P: Paragraphs + ?Sized>(
        &mut self,
        doc: &P,
        opts: LayoutOptions,
    ) -> &mut LayoutCache {
        match self.caches.iter().position(|c| c.opts == opts) {
            Some(i) => {
                let cache = self.caches.remove(i);
                self.caches.insert(0, cache);
            }
            None => {
                self.caches.truncate(self.capacity - 1);
                let folds = Arc::clone(&self.folds);
                self.caches.insert(0, LayoutCache::folded(opts, doc, folds));
            }
        }
        &mut self.caches[0]
    }

    /// `pos`, a row at `from`, carried over to `to`: the row at `to` that shows the first code
    /// point of `pos`'s line.
    pub fn reflow<P: Paragraphs + ?Sized>(
        &mut self,
        doc: &P,
        pos: Position,
        from: LayoutOptions,
        to: LayoutOptions,
    ) -> Position {
        let anchor = self.get(doc, from).anchor(doc, pos);
        self.get(doc, to).position_of(doc, anchor)
    }
}

#[cfg(test)]
mod tests;
