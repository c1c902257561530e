//! Lays out one paragraph into lines that fit a pane, and draws a laid-out line.
//!
//! The layout is greedy, one cluster (see [`super::width`]) at a time; a line ends at the last
//! position that fits, taken from the first of these tiers that has one:
//! 1. a break opportunity ([`super::linebreak::opportunities`]) that keeps the kinsoku rules:
//!    the next line does not start with a line-start-prohibited character and this line does
//!    not end with a line-end-prohibited one. Pushing the offending character to the next line
//!    is the only remedy: nothing hangs past the edge and nothing is squeezed;
//! 2. any cluster boundary that keeps the kinsoku rules and is not right after a zero-width
//!    joiner (a Latin word or number wider than the line, a long run with no opportunity);
//! 3. any cluster boundary that keeps the kinsoku rules;
//! 4. any cluster boundary at all: the rules cannot be met within the width, and the width
//!    wins.
//!
//! A line that does not end at a hard break therefore breaks a kinsoku rule only when every
//! cluster boundary inside it breaks one too and the line is full (its next cluster does not
//! fit).
//!
//! Exact rules, all tested:
//! * Lines are contiguous and cover the paragraph: the first starts at 0, each starts where the
//!   previous ends, the last ends at the paragraph's end. Every line holds at least one
//!   cluster; the empty paragraph has one empty line.
//! * A hard break character (see [`super::sanitize::is_hard_break`]) ends its line and belongs
//!   to it; no empty line follows a hard break at the very end of the paragraph.
//! * Spaces (U+0020) and zero-width clusters at the end of a line hang: they stay on the line
//!   they follow, and those past the width are not drawn.
//! * [`LineSpan::width`] is what the line takes when drawn, never more than the pane's width.
//!   It is less than the sum of the line's cluster widths only for hanging spaces and for a
//!   cluster wider than the whole pane (a wide character at width 1, a tab at widths 1 to 3):
//!   such a cluster gets a line of its own, and [`draw_line`] draws it as [`PLACEHOLDER`]
//!   (a tab as spaces) padded to the pane's width.
//! * Width 0: nothing can be drawn, so the paragraph is a single line of width 0 that covers
//!   all of it (one row per paragraph keeps scrolling meaningful).
//!
//! [`PLACEHOLDER`]: super::sanitize::PLACEHOLDER

use super::linebreak::{kinsoku_allows, opportunities};
use super::sanitize::{DisplayChar, PLACEHOLDER, display_char, is_hard_break};
use super::width::{WidthOptions, for_each_cluster};

/// The pane a paragraph is laid out for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LayoutOptions {
    /// Columns available for text.
    pub width: usize,
    pub width_opts: WidthOptions,
}

/// One visual line of a paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LineSpan {
    /// First code point of the line, as an offset into the paragraph.
    pub start: usize,
    /// Code point offset just past the line.
    pub end: usize,
    /// Byte offset of `start` in the paragraph's `&str`.
    pub byte_start: usize,
    /// Byte offset of `end` in the paragraph's `&str`.
    pub byte_end: usize,
    /// Columns the line takes when drawn.
    pub width: usize,
}

impl LineSpan {
    /// The line's source text (not sanitized: draw it with [`draw_line`]).
    pub fn text<'a>(&self, paragraph: &'a str) -> &'a str {
        paragraph.get(self.byte_start..self.byte_end).unwrap_or("")
    }

    /// Whether the line holds the code point at `offset`.
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
}

struct Cluster {
    start: usize,
    byte: usize,
    width: usize,
    base: char,
    hangs: bool,
    hard_break_after: bool,
    ends_with_zwj: bool,
}

/// Lays out `text`, one paragraph, into lines no wider than `opts.width`.
pub fn layout_paragraph(text: &str, opts: &LayoutOptions) -> Vec<LineSpan> {
    let indexed: Vec<(usize, char)> = text.char_indices().collect();
    let n = indexed.len();
    if opts.width == 0 || n == 0 {
        return vec![LineSpan {
            start: 0,
            end: n,
            byte_start: 0,
            byte_end: text.len(),
            width: 0,
        }];
    }
    let chars: Vec<char> = indexed.iter().map(|&(_, c)| c).collect();
    let mut clusters = Vec::with_capacity(n);
    for_each_cluster(&chars, &opts.width_opts, |start, end, width| {
        let base = chars[start];
        let last = chars[end - 1];
        clusters.push(Cluster {
            start,
            byte: indexed[start].0,
            width,
            base,
            hangs: base == ' ' || width == 0,
            hard_break_after: is_hard_break(last),
            ends_with_zwj: last == '\u{200d}',
        });
    });
    let allowed = opportunities(text, &chars);
    let mut lines = Vec::new();
    let mut first = 0;
    while first < clusters.len() {
        let (next, width) = line_end(&clusters, &allowed, first, opts.width);
        let (end, byte_end) = clusters
            .get(next)
            .map_or((n, text.len()), |c| (c.start, c.byte));
        lines.push(LineSpan {
            start: clusters[first].start,
            end,
            byte_start: clusters[first].byte,
            byte_end,
            width,
        });
        first = next;
    }
    lines
}

/// The cluster that starts the line after the one starting at cluster `first`, and the
/// line's drawn width.
fn line_end(clusters: &[Cluster], allowed: &[bool], first: usize, width: usize) -> (usize, usize) {
    let head = &clusters[first];
    let mut full = head.width;
    if head.hard_break_after {
        return (first + 1, full.min(width));
    }
    // Best boundary so far in each tier, with the line's full width there.
    let mut best: [Option<(usize, usize)>; 4] = [None; 4];
    for k in first + 1..clusters.len() {
        let cluster = &clusters[k];
        let kinsoku = kinsoku_allows(clusters[k - 1].base, cluster.base);
        let tiers = [
            kinsoku && allowed[cluster.start],
            kinsoku && !clusters[k - 1].ends_with_zwj,
            kinsoku,
            true,
        ];
        for (slot, ok) in best.iter_mut().zip(tiers) {
            if ok {
                *slot = Some((k, full));
            }
        }
        if cluster.hangs || full + cluster.width <= width {
            full += cluster.width;
        } else {
            let (k, at) = best.iter().flatten().next().copied().unwrap_or((k, full));
            return (k, at.min(width));
        }
        if cluster.hard_break_after {
            return (k + 1, full.min(width));
        }
    }
    (clusters.len(), full.min(width))
}

/// Calls `f(offset, piece)` for what is drawn of `line` of `paragraph`, left to right: `offset`
/// is the paragraph code point the piece stands for, `piece` is safe to send to a terminal.
/// The pieces' widths add up to `line.width`.
pub fn draw_line_with(
    paragraph: &str,
    line: &LineSpan,
    opts: &WidthOptions,
    mut f: impl FnMut(usize, &str),
) {
    let chars: Vec<char> = line.text(paragraph).chars().collect();
    let mut used = 0;
    let mut buf = [0; 4];
    for_each_cluster(&chars, opts, |start, end, width| {
        let offset = line.start + start;
        if used + width <= line.width {
            used += width;
            for &c in &chars[start..end] {
                f(offset, display_char(c).as_str(&mut buf));
            }
        } else if used == 0 && line.width > 0 {
            let first = match display_char(chars[start]) {
                DisplayChar::Tab => ' ',
                _ => PLACEHOLDER,
            };
            f(offset, first.encode_utf8(&mut buf));
            for _ in 1..line.width {
                f(offset, " ");
            }
            used = line.width;
        }
    });
}

/// What is drawn of `line` of `paragraph`: exactly `line.width` columns, safe to send to a
/// terminal.
pub fn draw_line(paragraph: &str, line: &LineSpan, opts: &WidthOptions) -> String {
    let mut out = String::with_capacity(line.byte_end.saturating_sub(line.byte_start));
    draw_line_with(paragraph, line, opts, |_, piece| out.push_str(piece));
    out
}

#[cfg(test)]
mod tests;
