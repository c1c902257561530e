//! The Simplified shadows of a document's body passages, as its reading view shows them,
//! handed on one passage at a time.
//!
//! The view is built from the stored text part by part ([`ViewBuilder::take_lines`]) and
//! each passage is folded as soon as the view holds all of it, so tagging a 300 MB document
//! holds neither its view nor its shadows whole: only the passages' spans, the folds and a
//! part of the view.

use crate::doc::view::{ViewBuilder, ViewOptions};
use crate::doc::{DocId, Span};
use crate::reading;
use crate::store::{Store, StoreError};
use crate::text::cursor::CharCursor;
use crate::text::fold::Shadow;

/// Bytes of stored text read and projected at a time.
const PART_BYTES: usize = 4 << 20;

/// Hands `each` every body passage of document `id` in order — its index, stored span and
/// Simplified shadow — and returns the passages (see [`super::passages`]).
pub fn each_passage_shadow(
    store: &Store,
    id: DocId,
    each: &mut dyn FnMut(usize, Span, &str),
) -> Result<Vec<Span>, StoreError> {
    match store.cleaning(id)? {
        Some(cleaned) => {
            let folds = cleaned.folded_spans();
            let passages = cleaned.paragraphs;
            // The folded ranges' reasons (millions in a large page) go before the view is built.
            drop(cleaned.noise);
            walk(folds, &passages, each, |sink| {
                store.text_parts(id, PART_BYTES, sink).map(|_| ())
            })?;
            Ok(passages)
        }
        None => {
            let (text, cleaned) = reading::load_cleaned(store, id)?;
            let folds = cleaned.folded_spans();
            let passages = cleaned.paragraphs;
            walk(folds, &passages, each, |sink| {
                crate::doc::lines::parts(&text, PART_BYTES).for_each(sink);
                Ok(())
            })?;
            Ok(passages)
        }
    }
}

/// Builds the view of a stored text with `folds`, its parts given to the sink `parts` is
/// handed (each ending at a line end), and hands `each` the shadow of every passage.
fn walk(
    folds: Vec<Span>,
    passages: &[Span],
    each: &mut dyn FnMut(usize, Span, &str),
    parts: impl FnOnce(&mut dyn FnMut(&str)) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut builder = ViewBuilder::with_folds(folds, 0, &ViewOptions::default());
    let mut walk = Walk {
        passages,
        each,
        next: 0,
        text: String::new(),
        start: 0,
        runs: Vec::new(),
    };
    parts(&mut |part| {
        builder.push_part(part);
        let (text, runs) = builder.take_lines();
        walk.feed(&text, runs, false);
    })?;
    let (text, runs) = builder.take_rest();
    walk.feed(&text, runs, true);
    Ok(())
}

/// The view handed on so far that passages still need.
struct Walk<'a> {
    passages: &'a [Span],
    each: &'a mut dyn FnMut(usize, Span, &str),
    /// The first passage not handed on yet.
    next: usize,
    /// The view from code point `start` on, and the runs of its offset map (view, stored,
    /// length) from the one the next passage starts in.
    text: String,
    start: usize,
    runs: Vec<(usize, usize, usize)>,
}

impl Walk<'_> {
    /// Takes the next piece of the view (`last`: the rest of it) and hands on every passage it
    /// completes.
    fn feed(&mut self, text: &str, runs: Vec<(usize, usize, usize)>, last: bool) {
        for run in runs {
            match self.runs.last_mut() {
                Some(prev) if prev.0 + prev.2 == run.0 && prev.1 + prev.2 == run.1 => {
                    prev.2 += run.2;
                }
                _ => self.runs.push(run),
            }
        }
        self.text.push_str(text);
        // The stored text the view has covered: a passage ending there maps the same whatever
        // comes after.
        let covered = self.runs.last().map_or(0, |r| r.1 + r.2);
        let end = self.runs.last().map_or(self.start, |r| r.0 + r.2);
        let mut cursor = CharCursor::new(&self.text);
        while let Some(&p) = self.passages.get(self.next) {
            if !last && p.end > covered {
                break;
            }
            let view = Span::new(
                to_view(&self.runs, self.start, p.start),
                to_view(&self.runs, self.start, p.end),
            );
            let local = Span::new(view.start - self.start, view.end - self.start);
            let shadow = Shadow::new(cursor.slice(local).unwrap_or_default());
            (self.each)(self.next, p, shadow.text());
            self.next += 1;
        }
        // Keep the view from where the next passage starts, and the runs it may need.
        let keep = match self.passages.get(self.next) {
            Some(p) => to_view(&self.runs, self.start, p.start).min(end),
            None => end,
        };
        let byte = CharCursor::new(&self.text)
            .byte_at(keep - self.start)
            .unwrap_or(self.text.len());
        self.text.drain(..byte);
        self.start = keep;
        match self.passages.get(self.next) {
            Some(p) => {
                let first = self.runs.partition_point(|r| r.1 <= p.start);
                self.runs.drain(..first.saturating_sub(1));
            }
            None => self.runs.clear(),
        }
    }
}

/// The view offset of stored offset `stored` (as [`crate::doc::view::View::to_view`]), from
/// the runs kept, the first of which starts at or before it (`start` when there are none).
fn to_view(runs: &[(usize, usize, usize)], start: usize, stored: usize) -> usize {
    let i = runs.partition_point(|r| r.1 <= stored);
    match i.checked_sub(1).map(|i| runs[i]) {
        Some((view, from, len)) => view + (stored - from).min(len),
        None => runs.first().map_or(start, |r| r.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::clean;
    use crate::doc::view::View;

    /// The shadows of every passage folded from the whole view at once.
    fn from_whole_view(text: &str) -> Vec<(Span, String)> {
        let cleaned = clean(text);
        let view = View::build(text, &cleaned.folded_spans(), &ViewOptions::default());
        let mut cursor = CharCursor::new(view.text());
        cleaned
            .paragraphs
            .iter()
            .map(|&p| {
                let slice = cursor.slice(view.view_span(p)).unwrap_or_default();
                (p, Shadow::new(slice).text().to_string())
            })
            .collect()
    }

    fn walked(text: &str, part_bytes: usize) -> Vec<(Span, String)> {
        let cleaned = clean(text);
        let mut out = Vec::new();
        walk(
            cleaned.folded_spans(),
            &cleaned.paragraphs,
            &mut |i, p, shadow| {
                assert_eq!(i, out.len());
                out.push((p, shadow.to_string()));
            },
            |sink| {
                crate::doc::lines::parts(text, part_bytes).for_each(sink);
                Ok(())
            },
        )
        .unwrap();
        out
    }

    #[test]
    fn passages_walked_in_parts_are_those_of_the_whole_view() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .unwrap()
                .replace("\r\n", "\n");
            let whole = from_whole_view(&text);
            assert!(!whole.is_empty());
            for part_bytes in [1, 700, 1 << 20] {
                assert_eq!(
                    walked(&text, part_bytes),
                    whole,
                    "{path:?} in parts of {part_bytes}"
                );
            }
            checked += 1;
        }
        assert!(checked >= 5, "the corpus fixtures");
    }

    #[test]
    fn a_paragraph_of_several_lines_and_folds_at_part_ends_come_out_whole() {
        let text = "标题\n\n第一行\n第二行(dì èr)接着,写\n\n导航 | 首页 | 登录\n\n结尾。";
        for part_bytes in 1..text.len() {
            assert_eq!(
                walked(text, part_bytes),
                from_whole_view(text),
                "parts of {part_bytes}"
            );
        }
    }
}
