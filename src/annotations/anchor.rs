//! Finding an annotation again in a new version of its document's text.
//!
//! Two ways, used together by [`reanchor`]:
//!
//! * **Through a diff** of the old and the new text ([`OffsetMap`]: lines first, then the
//!   characters of each changed hunk): an annotation whose span lies in unchanged text moves
//!   exactly; one whose text was edited follows the edit. A diff never jumps to a look-alike
//!   passage elsewhere, the classic failure of quote search with short quotes, which Chinese
//!   quotes often are.
//! * **By its quote in context** ([`place_by_quote`], when the diff lost it, e.g. a passage
//!   moved): every occurrence of the quote is scored by how much of the stored prefix and
//!   suffix surround it. Only a unique occurrence in its full context is **ok**; a unique best
//!   with at least half its context (three quarters for quotes under six characters), or the
//!   only occurrence in the whole text of a quote of [`DISTINCT_QUOTE`] characters or more,
//!   is **drifted** (to be reviewed); anything else is an **orphan** — never a guess.

use super::{AnchorStatus, CONTEXT_CHARS};
use crate::doc::Span;
use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};
use std::ops::Range;
use std::time::{Duration, Instant};

/// Changed hunks up to this many code points (both sides together) are diffed character by
/// character; larger ones stay one block.
const CHAR_DIFF_LIMIT: usize = 200_000;
/// A quote this long that occurs once in the whole text is taken to be the same passage
/// whatever its context (and reviewed as drifted).
pub const DISTINCT_QUOTE: usize = 6;
/// How long a diff may take before it settles for a coarser answer.
const DIFF_DEADLINE: Duration = Duration::from_secs(5);

/// Where an annotation goes in the new text, and how sure that is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub span: Option<Span>,
    pub status: AnchorStatus,
}

impl Placement {
    const ORPHAN: Placement = Placement {
        span: None,
        status: AnchorStatus::Orphan,
    };

    fn at(span: Span, status: AnchorStatus) -> Placement {
        Placement {
            span: Some(span),
            status,
        }
    }
}

/// What finds an annotation: its old span, quote and context.
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    pub span: Span,
    pub quote: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
}

/// The quote of `span` in `chars` and up to [`CONTEXT_CHARS`] code points around it:
/// (prefix, quote, suffix).
pub fn quote_in(chars: &[char], span: Span) -> (String, String, String) {
    let end = span.end.min(chars.len());
    let start = span.start.min(end);
    let before = start.saturating_sub(CONTEXT_CHARS);
    let after = (end + CONTEXT_CHARS).min(chars.len());
    (
        chars[before..start].iter().collect(),
        chars[start..end].iter().collect(),
        chars[end..after].iter().collect(),
    )
}

/// One stretch of the diff: a range of the old text and the range of the new text it became.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Segment {
    old: Range<usize>,
    new: Range<usize>,
    equal: bool,
}

/// Old-text code point offsets → new-text ones, from a diff of the two texts.
#[derive(Clone, Debug)]
pub struct OffsetMap {
    segments: Vec<Segment>,
}

impl OffsetMap {
    /// Diffs `old` against `new`: by lines, then the characters of each changed hunk.
    pub fn new(old: &[char], new: &[char]) -> OffsetMap {
        let deadline = Some(Instant::now() + DIFF_DEADLINE);
        let old_lines = lines(old);
        let new_lines = lines(new);
        let old_keys: Vec<&[char]> = old_lines.iter().map(|r| &old[r.clone()]).collect();
        let new_keys: Vec<&[char]> = new_lines.iter().map(|r| &new[r.clone()]).collect();
        let to_chars = |ranges: &[Range<usize>], lines: Range<usize>, len: usize| {
            let start = ranges.get(lines.start).map_or(len, |r| r.start);
            let end = match lines.end {
                0 => 0,
                e => ranges.get(e - 1).map_or(len, |r| r.end),
            };
            start..end.max(start)
        };
        let mut segments = Vec::new();
        for op in capture_diff_slices_deadline(Algorithm::Patience, &old_keys, &new_keys, deadline)
        {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            let o = to_chars(&old_lines, old_range, old.len());
            let n = to_chars(&new_lines, new_range, new.len());
            let small = o.len() + n.len() <= CHAR_DIFF_LIMIT;
            if tag == DiffTag::Equal {
                segments.push(Segment {
                    old: o,
                    new: n,
                    equal: true,
                });
            } else if tag == DiffTag::Replace && small {
                let ops = capture_diff_slices_deadline(
                    Algorithm::Myers,
                    &old[o.clone()],
                    &new[n.clone()],
                    deadline,
                );
                for op in ops {
                    let (tag, a, b) = op.as_tag_tuple();
                    segments.push(Segment {
                        old: o.start + a.start..o.start + a.end,
                        new: n.start + b.start..n.start + b.end,
                        equal: tag == DiffTag::Equal,
                    });
                }
            } else {
                segments.push(Segment {
                    old: o,
                    new: n,
                    equal: false,
                });
            }
        }
        OffsetMap { segments }
    }

    /// The segment holding old offset `at` (the last one for the end of the text).
    fn segment(&self, at: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.old.end <= at);
        self.segments.get(i).or_else(|| self.segments.last())
    }

    /// `span` in the new text, when none of it changed.
    pub fn carry(&self, span: Span) -> Option<Span> {
        match self.map(span) {
            (Some(span), true) => Some(span),
            _ => None,
        }
    }

    /// Where old offset `at` is in the new text: exact in unchanged text, else the start of
    /// what replaced it.
    pub fn offset(&self, at: usize) -> usize {
        match self.segment(at) {
            Some(s) if s.equal && s.old.start <= at => {
                (s.new.start + (at - s.old.start)).min(s.new.end)
            }
            Some(s) => s.new.start,
            None => 0,
        }
    }

    /// `span` carried into the new text: exact when every character of it is unchanged (and
    /// it stays contiguous), else the edited stretch it became; `None` when it was deleted.
    fn map(&self, span: Span) -> (Option<Span>, bool) {
        let start = match self.segment(span.start) {
            Some(s) if s.equal && s.old.start <= span.start => {
                (s.new.start + (span.start - s.old.start)).min(s.new.end)
            }
            Some(s) => s.new.start,
            None => return (None, false),
        };
        let last = span.end.saturating_sub(1).max(span.start);
        let end = match self.segment(last) {
            Some(s) if s.equal && s.old.start <= last => {
                (s.new.start + (span.end - s.old.start)).min(s.new.end)
            }
            Some(s) => s.new.end,
            None => return (None, false),
        };
        let exact = self
            .segments
            .iter()
            .filter(|s| s.old.start < span.end && span.start < s.old.end)
            .all(|s| s.equal)
            && end - start == span.len();
        ((end > start).then(|| Span::new(start, end)), exact)
    }
}

/// The line ranges of `chars` (each with its `\n`).
fn lines(chars: &[char]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < chars.len() {
        out.push(start..chars.len());
    }
    out
}

/// Places `target`, an annotation of the old text, in `new` through `map` (the diff of the
/// old text and `new`), falling back on its quote in context.
pub fn reanchor(map: &OffsetMap, new: &[char], target: &Target<'_>) -> Placement {
    let quote: Vec<char> = target.quote.chars().collect();
    match map.map(target.span) {
        // Exact, and (whatever the diff's alignment) the quote is what is there.
        (Some(span), true) if new.get(span.start..span.end) == Some(&quote[..]) => {
            return Placement::at(span, AnchorStatus::Ok);
        }
        (Some(span), false) => {
            // Edited: the quote may still be whole inside the stretch it became.
            let window =
                span.start.saturating_sub(quote.len())..(span.end + quote.len()).min(new.len());
            let found: Vec<usize> = occurrences(&new[window.clone()], &quote)
                .map(|at| window.start + at)
                .collect();
            if let [at] = found.as_slice() {
                return Placement::at(Span::new(*at, at + quote.len()), AnchorStatus::Drifted);
            }
            if span.len() <= 2 * quote.len() + 8 {
                return Placement::at(span, AnchorStatus::Drifted);
            }
        }
        (Some(_), true) | (None, _) => {}
    }
    place_by_quote(new, target)
}

/// Places `target` by its quote and context alone (see the module's rules).
pub fn place_by_quote(text: &[char], target: &Target<'_>) -> Placement {
    let quote: Vec<char> = target.quote.chars().collect();
    let prefix: Vec<char> = target.prefix.chars().collect();
    let suffix: Vec<char> = target.suffix.chars().collect();
    let context = prefix.len() + suffix.len();
    let mut scored: Vec<(usize, usize)> = occurrences(text, &quote)
        .map(|at| {
            let before = text[..at]
                .iter()
                .rev()
                .zip(prefix.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            let after = text[at + quote.len()..]
                .iter()
                .zip(&suffix)
                .take_while(|(a, b)| a == b)
                .count();
            (before + after, at)
        })
        .collect();
    // Best context first; among equals, nearest the old place.
    scored.sort_by_key(|&(score, at)| (std::cmp::Reverse(score), at.abs_diff(target.span.start)));
    let Some(&(best, at)) = scored.first() else {
        return Placement::ORPHAN;
    };
    let unique = scored.get(1).is_none_or(|&(second, _)| second < best);
    let span = Span::new(at, at + quote.len());
    let needed = if quote.len() < DISTINCT_QUOTE { 3 } else { 2 };
    if !unique {
        return Placement::ORPHAN;
    }
    if best == context {
        Placement::at(span, AnchorStatus::Ok)
    } else if best * 4 >= context * needed || (scored.len() == 1 && quote.len() >= DISTINCT_QUOTE) {
        Placement::at(span, AnchorStatus::Drifted)
    } else {
        Placement::ORPHAN
    }
}

/// Where `needle` occurs in `haystack` (code point offsets, overlapping ones included).
fn occurrences<'a>(haystack: &'a [char], needle: &'a [char]) -> impl Iterator<Item = usize> + 'a {
    let n = needle.len();
    (0..(haystack.len() + 1).saturating_sub(n))
        .filter(move |&i| n > 0 && haystack[i..i + n] == *needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// An annotation on `quote` (its first occurrence) in `old`, placed in `new`.
    fn moved(old: &str, quote: &str, new: &str) -> (Option<String>, AnchorStatus) {
        let old_chars = chars(old);
        let start = occurrences(&old_chars, &chars(quote))
            .next()
            .expect("quote in old");
        let span = Span::new(start, start + quote.chars().count());
        let (prefix, q, suffix) = quote_in(&old_chars, span);
        let new_chars = chars(new);
        let map = OffsetMap::new(&old_chars, &new_chars);
        let target = Target {
            span,
            quote: &q,
            prefix: &prefix,
            suffix: &suffix,
        };
        let placed = reanchor(&map, &new_chars, &target);
        (
            placed
                .span
                .map(|s| new_chars[s.start..s.end].iter().collect()),
            placed.status,
        )
    }

    const OLD: &str =
        "第一段：发展新质生产力。\n第二段：强化企业科技创新主体地位。\n第三段：人才是第一资源。\n";

    #[test]
    fn insertions_and_deletions_before_and_after_move_it_exactly() {
        let new = format!("前言：新加的一行。\n{OLD}附录。\n");
        assert_eq!(
            moved(OLD, "企业科技创新", &new),
            (Some("企业科技创新".into()), AnchorStatus::Ok)
        );
        let shorter = OLD.replace("第一段：发展新质生产力。\n", "");
        assert_eq!(
            moved(OLD, "人才", &shorter),
            (Some("人才".into()), AnchorStatus::Ok)
        );
        let same_line = OLD.replace("强化企业", "进一步强化企业");
        assert_eq!(
            moved(OLD, "科技创新主体", &same_line),
            (Some("科技创新主体".into()), AnchorStatus::Ok)
        );
    }

    #[test]
    fn an_edit_inside_the_quote_drifts_and_a_deletion_orphans() {
        let edited = OLD.replace("科技创新主体", "科技创新的主体");
        let (text, status) = moved(OLD, "科技创新主体", &edited);
        assert_eq!(status, AnchorStatus::Drifted);
        assert_eq!(text.as_deref(), Some("科技创新的主体"));
        let deleted = OLD.replace("第二段：强化企业科技创新主体地位。\n", "");
        assert_eq!(
            moved(OLD, "企业科技创新", &deleted),
            (None, AnchorStatus::Orphan)
        );
    }

    #[test]
    fn a_moved_passage_is_found_by_its_quote_in_context() {
        let moved_text = "第三段：人才是第一资源。\n第一段：发展新质生产力。\n另一段。\n第二段：强化企业科技创新主体地位。\n";
        let (text, status) = moved(OLD, "人才是第一资源", moved_text);
        assert_eq!(text.as_deref(), Some("人才是第一资源"));
        assert_eq!(
            status,
            AnchorStatus::Drifted,
            "its context changed: to be reviewed"
        );
    }

    #[test]
    fn a_repetitive_text_whose_diff_aligns_lines_oddly_still_places_within_it() {
        // Found by the property test below: the diff's segments for this pair once made the
        // offset arithmetic underflow.
        let old = "科\n科科\n技，\n科";
        let new = format!("技，\n技\n\n\n\n\n\n科{}", &old["科\n".len()..]);
        let (text, status) = moved(old, "科\n科", &new);
        if status == AnchorStatus::Ok {
            assert_eq!(text.as_deref(), Some("科\n科"));
        }
        assert!(text.is_some() || status == AnchorStatus::Orphan);
    }

    #[test]
    fn a_short_quote_never_jumps_to_a_look_alike() {
        // The only 人才 left is in another sentence: weak context, no placement.
        let target = Target {
            span: Span::new(30, 32),
            quote: "人才",
            prefix: "第三段：",
            suffix: "是第一资源。",
        };
        let text = chars("完全不同的文字里也有人才两个字。");
        assert_eq!(place_by_quote(&text, &target), Placement::ORPHAN);
        // Two equally good places: not a guess either.
        let text = chars("第三段：人才是第一资源。第三段：人才是第一资源。");
        assert_eq!(place_by_quote(&text, &target), Placement::ORPHAN);
        let text = chars("序。第三段：人才是第一资源。");
        assert_eq!(
            place_by_quote(&text, &target),
            Placement::at(Span::new(6, 8), AnchorStatus::Ok)
        );
    }

    use proptest::prelude::*;

    /// Texts of a few lines from a small alphabet (so quotes repeat, as short Chinese quotes
    /// do), with emoji and combining marks among them.
    fn texts() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                '科', '技', '创', '新', '。', '，', '\n', '😀', '\u{301}', 'a',
            ]),
            1..120,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::test_support::cases(200)))]

        /// Any edit leaves a placement inside the new text (or none: an orphan), and an `ok`
        /// one always holds the quote. (That edits outside the quote keep it exact is shown by
        /// the examples above: with the repetitive texts generated here, a diff may align
        /// equal characters differently.)
        #[test]
        fn placements_stay_in_the_text_and_ok_means_the_quote(
            old in texts(),
            a in 0usize..120,
            len in 1usize..8,
            at in 0usize..130,
            cut in 0usize..6,
            insert in texts(),
        ) {
            let old_chars = chars(&old);
            let start = a.min(old_chars.len() - 1);
            let span = Span::new(start, (start + len).min(old_chars.len()));
            let (prefix, quote, suffix) = quote_in(&old_chars, span);
            let at = at.min(old_chars.len());
            let cut_end = (at + cut).min(old_chars.len());
            let mut new_chars = old_chars[..at].to_vec();
            new_chars.extend(insert.chars());
            new_chars.extend_from_slice(&old_chars[cut_end..]);
            let map = OffsetMap::new(&old_chars, &new_chars);
            let target = Target { span, quote: &quote, prefix: &prefix, suffix: &suffix };
            let placed = reanchor(&map, &new_chars, &target);
            if let Some(s) = placed.span {
                prop_assert!(s.start < s.end && s.end <= new_chars.len());
                if placed.status == AnchorStatus::Ok {
                    let found: String = new_chars[s.start..s.end].iter().collect();
                    prop_assert_eq!(found, quote.clone());
                }
            } else {
                prop_assert_eq!(placed.status, AnchorStatus::Orphan);
            }
        }
    }
}
