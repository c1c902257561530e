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

/// Builds a view from the stored text given in consecutive parts, each ending at a line end
/// (the last may end anywhere), so a large text never has to be in memory whole: the view is
/// the same as [`View::build`] over the parts joined.
pub struct ViewBuilder {
    folds: Vec<Span>,
    /// The first fold that may still touch the next line.
    next_fold: usize,
    opts: ViewOptions,
    text: String,
    char_len: usize,
    segments: Vec<Segment>,
    /// Code points of the view handed on by [`Self::take_lines`]: `text` starts there.
    taken_chars: usize,
    /// Code points of stored text given so far.
    stored_chars: usize,
    /// The terminator (its text and first code point) of a blank line waiting to be shown
    /// before the next visible line; `None` also when a blank line would be leading or
    /// repeated.
    pending_blank: Option<(String, usize)>,
}

impl ViewBuilder {
    /// A builder for a stored text with these folds, whose view is expected to take about
    /// `capacity` bytes.
    pub fn new(folded: &[Span], capacity: usize, opts: &ViewOptions) -> ViewBuilder {
        ViewBuilder::with_folds(folded.to_vec(), capacity, opts)
    }

    /// [`Self::new`] taking the folds it is given (sorted or not, overlapping or not) rather
    /// than a copy: a 300 MB page has millions.
    pub fn with_folds(folded: Vec<Span>, capacity: usize, opts: &ViewOptions) -> ViewBuilder {
        ViewBuilder {
            folds: merge(folded),
            next_fold: 0,
            opts: *opts,
            text: String::with_capacity(capacity),
            char_len: 0,
            segments: Vec::new(),
            taken_chars: 0,
            stored_chars: 0,
            pending_blank: None,
        }
    }

    /// Hands on the view built so far up to its last line break, for a reader that goes
    /// through the view once and need not hold all of it (the search index of a new
    /// document): its text, with full-width punctuation when the options say so, and its runs
    /// as [`View::runs`] gives them, offsets counting from the start of the whole view. What
    /// follows the line break stays for the next parts. A run that goes on past the line break
    /// is handed on in two pieces.
    pub fn take_lines(&mut self) -> (String, Vec<(usize, usize, usize)>) {
        let Some(cut) = self.text.rfind('\n').map(|i| i + 1) else {
            return (String::new(), Vec::new());
        };
        let rest = self.text.split_off(cut);
        let taken = std::mem::replace(&mut self.text, rest);
        let end = self.taken_chars + taken.chars().count();
        self.taken_chars = end;
        self.take(taken, end)
    }

    /// Hands on the rest of the view, as [`Self::take_lines`] does, once every part is in.
    pub fn take_rest(mut self) -> (String, Vec<(usize, usize, usize)>) {
        let taken = std::mem::take(&mut self.text);
        let end = self.char_len;
        self.take(taken, end)
    }

    /// `text` (the view up to code point `end`) and the runs before `end`.
    fn take(&mut self, text: String, end: usize) -> (String, Vec<(usize, usize, usize)>) {
        let split = self.segments.partition_point(|s| s.view + s.len <= end);
        let mut runs: Vec<(usize, usize, usize)> = self
            .segments
            .drain(..split)
            .map(|s| (s.view, s.stored, s.len))
            .collect();
        if let Some(s) = self.segments.first_mut().filter(|s| s.view < end) {
            let k = end - s.view;
            runs.push((s.view, s.stored, k));
            *s = Segment {
                view: end,
                stored: s.stored + k,
                len: s.len - k,
            };
        }
        let text = match self.opts.fullwidth_punct {
            true => fullwidth_punct(text),
            false => text,
        };
        (text, runs)
    }

    /// Appends `s`, which holds the stored code points from `char_start` on (`chars` of them).
    fn push(&mut self, s: &str, char_start: usize, chars: usize) {
        if chars == 0 {
            return;
        }
        self.text.push_str(s);
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

    /// Shows the blank line waiting, if any, before a visible line.
    fn flush_blank(&mut self) {
        if let Some((term, ch)) = self.pending_blank.take() {
            let len = term.chars().count();
            self.push(&term, ch, len);
        }
    }

    /// Projects the next part of the stored text.
    pub fn push_part(&mut self, part: &str) {
        let base = self.stored_chars;
        for line in lines(part) {
            let char_start = base + line.char_start;
            let char_end = char_start + line.char_len;
            let folds = &self.folds;
            let mut fi = self.next_fold;
            while fi < folds.len() && folds[fi].end <= char_start {
                fi += 1;
            }
            self.next_fold = fi;
            let line_end = char_end + line.term_len;
            let touched = fi < folds.len() && folds[fi].start < line_end;
            let term = &part[line.byte_end()..line.byte_end() + line.term_len];
            if !touched {
                if line.is_blank() {
                    if self.char_len > 0 && self.pending_blank.is_none() && line.term_len > 0 {
                        self.pending_blank = Some((term.to_string(), char_end));
                    }
                    continue;
                }
                self.flush_blank();
                let whole = &part[line.byte_start..line.byte_end() + term.len()];
                self.push(whole, char_start, line.char_len + line.term_len);
                continue;
            }
            // Kept runs of the content, as (byte range in the part, first code point, count).
            let mut pieces: Vec<(std::ops::Range<usize>, usize, usize)> = Vec::new();
            let mut visible = false;
            let mut run: Option<(usize, usize, usize)> = None;
            let mut fj = fi;
            for (k, (byte, ch)) in line.text.char_indices().enumerate() {
                let at = char_start + k;
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
            while fj < folds.len() && folds[fj].end <= char_end {
                fj += 1;
            }
            let term_folded = fj < folds.len() && folds[fj].start < line_end;
            self.flush_blank();
            for (bytes, first, n) in pieces {
                self.push(&part[bytes], first, n);
            }
            if !term_folded {
                self.push(term, char_end, line.term_len);
            }
        }
        self.stored_chars = base + part.chars().count();
    }

    /// The view.
    pub fn finish(self) -> View {
        let mut text = self.text;
        if self.opts.fullwidth_punct {
            text = fullwidth_punct(text);
        }
        View {
            text,
            char_len: self.char_len,
            segments: self.segments,
        }
    }
}

/// Sorts and merges overlapping or adjacent spans, dropping empty ones, in place.
fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| !s.is_empty());
    if !spans.is_sorted() {
        spans.sort();
    }
    spans.dedup_by(|next, kept| {
        let joins = next.start <= kept.end;
        if joins {
            kept.end = kept.end.max(next.end);
        }
        joins
    });
    spans
}

impl View {
    /// Projects `stored` minus the `folded` spans (code-point offsets; sorted, possibly
    /// adjacent; unsorted or overlapping input is tolerated) into a view.
    pub fn build(stored: &str, folded: &[Span], opts: &ViewOptions) -> View {
        let mut builder = ViewBuilder::new(folded, stored.len(), opts);
        builder.push_part(stored);
        builder.finish()
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

/// Where half-width punctuation in Chinese context is, and its full-width form: the byte
/// offsets, ascending. Eight bytes at a time are passed over while none is ASCII, which is
/// most of a Chinese text.
fn punct_replacements(text: &str) -> Vec<(usize, char)> {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            && u64::from_le_bytes(word) & HIGH_BITS == HIGH_BITS
        {
            i += 8;
            continue;
        }
        if let Some(full) = fullwidth_of(bytes[i]) {
            let before = text[..i].chars().next_back();
            let after = text[i + 1..].chars().next();
            let before_ok = before.is_some_and(|c| is_han(c) || is_cjk_close(c));
            let after_ok =
                after.is_none_or(|c| is_han(c) || is_cjk_open(c) || c == '\n' || c == '\r');
            if before_ok && after_ok {
                found.push((i, full));
            }
        }
        i += 1;
    }
    found
}

/// Replaces half-width punctuation in Chinese context by its full-width form, in place: the
/// text grows at its end (which the allocator can do without copying a large text) and is
/// shifted from the back, so a 300 MB view never exists twice.
pub(crate) fn fullwidth_punct(text: String) -> String {
    let replaced = punct_replacements(&text);
    if replaced.is_empty() {
        return text;
    }
    // Each replacement turns one byte into three.
    let old_len = text.len();
    let mut bytes = text.into_bytes();
    bytes.resize(old_len + 2 * replaced.len(), 0);
    let mut end = old_len;
    for (k, &(at, full)) in replaced.iter().enumerate().rev() {
        let shift = 2 * k;
        bytes.copy_within(at + 1..end, at + 1 + shift + 2);
        full.encode_utf8(&mut bytes[at + shift..at + shift + 3]);
        end = at;
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`fullwidth_punct`] into a new string, for a short text: nothing to validate again.
pub(crate) fn fullwidth_punct_copied(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut from = 0;
    for (at, full) in punct_replacements(text) {
        out.push_str(&text[from..at]);
        out.push(full);
        from = at + 1;
    }
    out.push_str(&text[from..]);
    out
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
    fn a_view_built_in_parts_equals_the_view_built_whole() {
        for (name, text) in crate::text::fixtures::ALL {
            let folds = crate::clean::clean(text).folded_spans();
            let whole = View::build(text, &folds, &ViewOptions::default());
            for every in [1, 2, 7, 50] {
                let mut builder = ViewBuilder::new(&folds, text.len(), &ViewOptions::default());
                let mut start = 0;
                for (k, (at, _)) in text.match_indices('\n').enumerate() {
                    if k % every == 0 {
                        builder.push_part(&text[start..=at]);
                        start = at + 1;
                    }
                }
                builder.push_part(&text[start..]);
                assert_eq!(
                    builder.finish(),
                    whole,
                    "{name}, a part every {every} lines"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn fullwidth_in_place_and_copied_agree(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just(","), Just(":"), Just(";"), Just("?"), Just("!"), Just("中"),
                    Just("「"), Just("」"), Just("a"), Just("\n"), Just("é"), Just("12345678"),
                ],
                0..40,
            )
        ) {
            let text: String = parts.concat();
            let copied = fullwidth_punct_copied(&text);
            prop_assert_eq!(fullwidth_punct(text), copied);
        }
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
