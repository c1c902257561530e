//! The reading view: the stored text minus folded ranges, with an offset map both ways.
//!
//! The view is built once per document (and per set of folds) and everything that reads — search,
//! segmentation, display — works on [`View::text`]; [`View::to_stored`] and
//! [`View::stored_span`] carry every result back to stored offsets, the only offsets that are
//! ever saved. The map is a sorted list of segments (a run of stored code points that appears
//! unchanged in the view), searched by bisection, so it stays small for a 300 MB document.
//!
//! Layout rules, applied while projecting (all of them only drop stored characters, so one
//! segment list describes the whole view):
//!
//! - A line whose visible content is folded away entirely (every non-blank character lies in a
//!   fold) disappears together with its line break. Folding one line of a text that uses one
//!   paragraph per line therefore leaves no empty line behind.
//! - Blank lines (only whitespace, including no-break and ideographic spaces) are shown as a
//!   bare line break, runs of them collapse into one, and blank lines at the start and the end
//!   of the view are dropped. So blank-line paragraph separation survives folding: when the
//!   lines between two blank lines vanish, the two blank lines collapse into one, and a visible
//!   line that was separated from the next visible line by any blank line still is.
//! - With [`ViewOptions::fullwidth_punct`], a half-width `,` `:` `;` `?` `!` is displayed as
//!   `，` `：` `；` `？` `！` when the character before it is a CJK ideograph or a CJK closing
//!   mark (`”’」』）】》〉〕〗`) and the character after it is a CJK ideograph, a CJK opening
//!   mark (`“‘「『（【《〈〔〖`), a line break or the end of the text. Neighbours are judged in
//!   the view, so `發(fā)展,推動` with its reading folded qualifies. The mapping is one code
//!   point for one, so it does not touch the offset map.

use serde::{Deserialize, Serialize};

use super::Span;
use super::lines::lines;

/// How the view is displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ViewOptions {
    /// Show half-width `,` `:` `;` `?` `!` in Chinese context as full-width (see the module
    /// documentation for the exact context). On by default.
    pub fullwidth_punct: bool,
}

impl Default for ViewOptions {
    fn default() -> Self {
        ViewOptions {
            fullwidth_punct: true,
        }
    }
}

/// A run of stored code points that appears, in order and without gaps, in the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    view: usize,
    stored: usize,
    len: usize,
}

/// The reading view of one document; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    text: String,
    char_len: usize,
    segments: Vec<Segment>,
}

/// Accumulates view text and segments while the stored text is walked.
struct Builder<'a> {
    stored: &'a str,
    text: String,
    char_len: usize,
    segments: Vec<Segment>,
}

impl Builder<'_> {
    /// Appends stored bytes `bytes` (which hold the code points starting at `char_start`).
    fn push(&mut self, bytes: std::ops::Range<usize>, char_start: usize, chars: usize) {
        if chars == 0 {
            return;
        }
        self.text.push_str(&self.stored[bytes]);
        match self.segments.last_mut() {
            Some(last)
                if last.stored + last.len == char_start
                    && last.view + last.len == self.char_len =>
            {
                last.len += chars;
            }
            _ => self.segments.push(Segment {
                view: self.char_len,
                stored: char_start,
                len: chars,
            }),
        }
        self.char_len += chars;
    }
}

/// Sorts and merges overlapping or adjacent spans, dropping empty ones.
fn merge(folded: &[Span]) -> Vec<Span> {
    let mut spans: Vec<Span> = folded.iter().copied().filter(|s| !s.is_empty()).collect();
    if !spans.is_sorted() {
        spans.sort();
    }
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

impl View {
    /// Projects `stored` minus the `folded` spans (code-point offsets; sorted, possibly
    /// adjacent; unsorted or overlapping input is tolerated) into a view.
    pub fn build(stored: &str, folded: &[Span], opts: &ViewOptions) -> View {
        let folds = merge(folded);
        let mut b = Builder {
            stored,
            text: String::with_capacity(stored.len()),
            char_len: 0,
            segments: Vec::new(),
        };
        // Terminator (byte, char, len) of a blank line waiting to be shown before the next
        // visible line; `None` also when a blank line would be leading or repeated.
        let mut pending_blank: Option<(usize, usize, usize)> = None;
        let mut fi = 0;
        for line in lines(stored) {
            while fi < folds.len() && folds[fi].end <= line.char_start {
                fi += 1;
            }
            let line_end = line.char_end() + line.term_len;
            let touched = fi < folds.len() && folds[fi].start < line_end;
            let term = (line.byte_end(), line.char_end(), line.term_len);
            if !touched {
                if line.is_blank() {
                    if b.char_len > 0 && pending_blank.is_none() && line.term_len > 0 {
                        pending_blank = Some(term);
                    }
                    continue;
                }
                if let Some((byte, ch, len)) = pending_blank.take() {
                    b.push(byte..byte + len, ch, len);
                }
                b.push(
                    line.byte_start..line.byte_end() + line.term_len,
                    line.char_start,
                    line.char_len + line.term_len,
                );
                continue;
            }
            // Kept runs of the content, as (byte range, first code point, code points).
            let mut pieces: Vec<(std::ops::Range<usize>, usize, usize)> = Vec::new();
            let mut visible = false;
            let mut run: Option<(usize, usize, usize)> = None;
            let mut fj = fi;
            for (k, (byte, ch)) in line.text.char_indices().enumerate() {
                let at = line.char_start + k;
                while fj < folds.len() && folds[fj].end <= at {
                    fj += 1;
                }
                let folded = fj < folds.len() && folds[fj].start <= at;
                let abs = line.byte_start + byte;
                if folded {
                    if let Some((start, first, n)) = run.take() {
                        pieces.push((start..abs, first, n));
                    }
                } else {
                    visible |= !ch.is_whitespace();
                    run = match run {
                        Some((start, first, n)) => Some((start, first, n + 1)),
                        None => Some((abs, at, 1)),
                    };
                }
            }
            if let Some((start, first, n)) = run {
                pieces.push((start..line.byte_end(), first, n));
            }
            if !visible {
                continue;
            }
            if let Some((byte, ch, len)) = pending_blank.take() {
                b.push(byte..byte + len, ch, len);
            }
            for (bytes, first, n) in pieces {
                b.push(bytes, first, n);
            }
            while fj < folds.len() && folds[fj].end <= line.char_end() {
                fj += 1;
            }
            let term_folded = fj < folds.len() && folds[fj].start < line_end;
            if !term_folded {
                let (byte, ch, len) = term;
                b.push(byte..byte + len, ch, len);
            }
        }
        let mut text = b.text;
        if opts.fullwidth_punct {
            text = fullwidth_punct(text);
        }
        View {
            text,
            char_len: b.char_len,
            segments: b.segments,
        }
    }

    /// The runs of the offset map, in view order: `(view offset, stored offset, length)` for
    /// each run of stored code points that appears unchanged in the view.
    pub fn runs(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.segments.iter().map(|s| (s.view, s.stored, s.len))
    }

    /// The view text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length of the view in code points.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// The stored offset of view offset `view_offset`. Offsets at or past the end of the view
    /// map to the stored offset just past the last visible character.
    pub fn to_stored(&self, view_offset: usize) -> usize {
        let i = self.segments.partition_point(|s| s.view <= view_offset);
        match i.checked_sub(1).map(|i| self.segments[i]) {
            Some(seg) if view_offset < seg.view + seg.len => seg.stored + (view_offset - seg.view),
            Some(_) | None => self.segments.last().map_or(0, |s| s.stored + s.len),
        }
    }

    /// The view offset of stored offset `stored_offset`: the number of visible characters
    /// before it. A stored offset inside a folded range maps to the view offset where the fold
    /// sits (the next visible character).
    pub fn to_view(&self, stored_offset: usize) -> usize {
        let i = self.segments.partition_point(|s| s.stored <= stored_offset);
        match i.checked_sub(1).map(|i| self.segments[i]) {
            Some(seg) => seg.view + (stored_offset - seg.stored).min(seg.len),
            None => 0,
        }
    }

    /// The stored span covering view span `view`, including any folded text inside it (a
    /// search hit on `新質生產力` maps to `新質(zhì)生產(chǎn)力`).
    pub fn stored_span(&self, view: Span) -> Span {
        let end = view.end.min(self.char_len);
        if view.start >= end {
            let at = self.to_stored(view.start);
            return Span::new(at, at);
        }
        Span::new(self.to_stored(view.start), self.to_stored(end - 1) + 1)
    }

    /// The view span showing the visible part of stored span `stored`.
    pub fn view_span(&self, stored: Span) -> Span {
        Span::new(self.to_view(stored.start), self.to_view(stored.end))
    }

    /// View spans of stored paragraph spans (such as `Cleaned::paragraphs`), dropping the ones
    /// that have nothing visible.
    pub fn view_paragraphs(&self, paragraphs: &[Span]) -> Vec<Span> {
        paragraphs
            .iter()
            .map(|p| self.view_span(*p))
            .filter(|v| !v.is_empty())
            .collect()
    }
}

/// CJK unified ideographs (with extensions and compatibility ideographs) and `〇`.
fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn is_cjk_close(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | '】' | '》' | '〉' | '〕' | '〗'
    )
}

fn is_cjk_open(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '「' | '『' | '（' | '【' | '《' | '〈' | '〔' | '〖'
    )
}

fn fullwidth_of(b: u8) -> Option<char> {
    match b {
        b',' => Some('，'),
        b':' => Some('：'),
        b';' => Some('；'),
        b'?' => Some('？'),
        b'!' => Some('！'),
        _ => None,
    }
}

/// Replaces half-width punctuation in Chinese context by its full-width form.
pub(crate) fn fullwidth_punct(text: String) -> String {
    let mut out: Option<String> = None;
    let mut copied = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let Some(full) = fullwidth_of(b) else {
            continue;
        };
        let before = text[..i].chars().next_back();
        let after = text[i + 1..].chars().next();
        let before_ok = before.is_some_and(|c| is_han(c) || is_cjk_close(c));
        let after_ok = after.is_none_or(|c| is_han(c) || is_cjk_open(c) || c == '\n' || c == '\r');
        if before_ok && after_ok {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 64));
            o.push_str(&text[copied..i]);
            o.push(full);
            copied = i + 1;
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            o
        }
        None => text,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    fn view(text: &str, folds: &[(usize, usize)]) -> View {
        let folds: Vec<Span> = folds.iter().map(|&(s, e)| Span::new(s, e)).collect();
        View::build(text, &folds, &ViewOptions::default())
    }

    #[test]
    fn folds_inline_spans_and_maps_both_ways() {
        let text = "新質(zhì)生產(chǎn)力";
        let v = view(text, &[(2, 7), (9, 15)]);
        assert_eq!(v.text(), "新質生產力");
        assert_eq!(v.to_stored(2), 7);
        assert_eq!(v.to_view(3), 2, "inside a fold maps to where the fold sits");
        assert_eq!(v.stored_span(Span::new(0, 5)), Span::new(0, 16));
        assert_eq!(v.view_span(Span::new(7, 16)), Span::new(2, 5));
    }

    #[test]
    fn a_folded_line_takes_its_line_break_along() {
        let v = view("甲\n乙\n丙\n", &[(2, 3)]);
        assert_eq!(v.text(), "甲\n丙\n");
    }

    #[test]
    fn blank_line_separation_survives_a_fold() {
        assert_eq!(view("甲\n\n乙\n\n丙", &[(3, 4)]).text(), "甲\n\n丙");
        assert_eq!(view("甲\n乙\n\n丙", &[(2, 3)]).text(), "甲\n\n丙");
        assert_eq!(view("甲\n\n乙\n丙", &[(3, 4)]).text(), "甲\n\n丙");
    }

    #[test]
    fn leading_trailing_and_repeated_blank_lines_collapse() {
        let text = "垃圾\n\n\u{a0}\n標題\n\n\n\n正文\n\n\u{a0}\n\n尾";
        let v = view(
            text,
            &[(0, 2), (text.chars().count() - 1, text.chars().count())],
        );
        assert_eq!(v.text(), "標題\n\n正文\n");
    }

    #[test]
    fn fullwidth_between_cjk_only() {
        let text = "专题党课:学习贯彻党的二十届三中全会精神,推动科技创新";
        assert_eq!(
            view(text, &[]).text(),
            "专题党课：学习贯彻党的二十届三中全会精神，推动科技创新"
        );
        let quotes = "關於“構建”,“健全”機制";
        assert_eq!(view(quotes, &[]).text(), "關於“構建”，“健全”機制");
        let mixed =
            "元描述: 深入探讨\n比重为2.64%,超过\n2023-09-01 02:46:15中共\n是什么?\nGDP,我国";
        assert_eq!(
            view(mixed, &[]).text(),
            "元描述: 深入探讨\n比重为2.64%,超过\n2023-09-01 02:46:15中共\n是什么？\nGDP,我国"
        );
        let off = View::build(
            text,
            &[],
            &ViewOptions {
                fullwidth_punct: false,
            },
        );
        assert_eq!(off.text(), text);
    }

    #[test]
    fn fullwidth_is_judged_after_folding() {
        let text = "發(fā)展,推動";
        assert_eq!(view(text, &[(1, 5)]).text(), "發展，推動");
    }

    #[test]
    fn empty_and_fully_folded_texts() {
        let v = view("", &[]);
        assert_eq!((v.text(), v.to_stored(0), v.to_view(0)), ("", 0, 0));
        let v = view("垃圾\n", &[(0, 2)]);
        assert_eq!((v.text(), v.to_stored(0), v.to_view(1)), ("", 0, 0));
    }

    #[test]
    fn view_paragraphs_maps_and_drops_invisible() {
        let v = view("甲乙\n丙丁\n", &[(3, 5)]);
        assert_eq!(
            v.view_paragraphs(&[Span::new(0, 2), Span::new(3, 5)]),
            vec![Span::new(0, 2)]
        );
    }

    /// Checks the invariants every view must satisfy, for any text and any folds.
    pub(crate) fn check_view(text: &str, folds: &[Span]) {
        let stored: Vec<char> = text.chars().collect();
        let v = View::build(text, folds, &ViewOptions::default());
        let shown: Vec<char> = v.text().chars().collect();
        assert_eq!(shown.len(), v.char_len());
        let mut prev = None;
        for (i, &c) in shown.iter().enumerate() {
            let s = v.to_stored(i);
            assert_eq!(v.to_view(s), i, "round trip at view offset {i}");
            assert!(prev.is_none_or(|p| p < s), "to_stored is increasing");
            prev = Some(s);
            let orig = stored[s];
            let same = orig == c || (orig.is_ascii() && fullwidth_of(orig as u8) == Some(c));
            assert!(same, "view char {c:?} is stored char {orig:?} at {s}");
            assert!(
                !folds.iter().any(|f| f.contains(s)),
                "folded char {s} is visible"
            );
        }
        let end = v.char_len();
        assert_eq!(v.to_view(v.to_stored(end)), end);
        assert!(!v.text().starts_with('\n'));
        assert!(!v.text().contains("\n\n\n"));
    }

    fn text_and_folds() -> impl Strategy<Value = (String, Vec<Span>)> {
        let piece = prop::sample::select(vec![
            "新", "質", "(zhì)", ",", ":", "?", "\n", "\n\n", "\r\n", " ", "\u{a0}", "a", "“", "”",
            "。", "𠀀",
        ]);
        prop::collection::vec(piece, 0..80).prop_flat_map(|pieces| {
            let text: String = pieces.concat();
            let n = text.chars().count();
            let folds = prop::collection::vec((0..=n, 0..=6usize), 0..8).prop_map(move |raw| {
                raw.into_iter()
                    .map(|(s, len)| Span::new(s, (s + len).min(n)))
                    .collect::<Vec<_>>()
            });
            (Just(text), folds)
        })
    }

    proptest! {
        #[test]
        fn offsets_round_trip_on_random_texts((text, folds) in text_and_folds()) {
            check_view(&text, &folds);
        }
    }
}
