//! Search in reading views. Matches are found in the view (so folded noise such as pinyin
//! readings never splits a word: `新質(zhì)生產力` is found as `新質生產力`), across scripts
//! (the view's Simplified shadow is searched for the folded query, so `新质生产力` finds
//! `新質生產力` and the reverse), and reported in stored-text offsets, the only offsets pizhu
//! keeps.

use crate::doc::view::{View, ViewOptions};
use crate::doc::{DocId, Span};
use crate::reading;
use crate::store::{Store, StoreError};
use crate::text::fold::{Shadow, fold_str};
use serde::Serialize;

/// Characters of context shown on each side of a match.
pub const CONTEXT_CHARS: usize = 20;

/// One match in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub doc: DocId,
    pub title: String,
    /// Where the match is in the stored text (code points).
    pub start: usize,
    pub end: usize,
    pub before: String,
    pub matched: String,
    pub after: String,
}

/// The view spans of every non-overlapping occurrence of `query` in `view`, across scripts.
pub fn find_in_view(view: &View, query: &str) -> Vec<Span> {
    find(view.text(), query)
}

/// Every non-overlapping occurrence of `query` in `text`, matching Simplified and Traditional
/// alike (and ASCII letters in any case), as code-point spans of `text`.
pub fn find(text: &str, query: &str) -> Vec<Span> {
    let query = fold_str(query);
    let shadow = Shadow::new(text);
    find_exact(shadow.text(), &query)
        .into_iter()
        .map(|span| shadow.source_span(span))
        .collect()
}

/// Every non-overlapping occurrence of `query` in `text`, exactly, as code-point spans.
fn find_exact(text: &str, query: &str) -> Vec<Span> {
    if query.is_empty() {
        return Vec::new();
    }
    let query_chars = query.chars().count();
    let mut spans = Vec::new();
    let mut chars_before = 0;
    let mut scanned = 0;
    for (at, _) in text.match_indices(query) {
        chars_before += text[scanned..at].chars().count();
        spans.push(Span::new(chars_before, chars_before + query_chars));
        chars_before += query_chars;
        scanned = at + query.len();
    }
    spans
}

/// Searches every document of the library for `query`.
pub fn search_library(
    store: &Store,
    query: &str,
    options: &ViewOptions,
) -> Result<Vec<Hit>, StoreError> {
    let mut hits = Vec::new();
    for meta in store.list_documents()? {
        let reading = reading::load(store, meta.id, options)?;
        let chars: Vec<char> = reading.view.text().chars().collect();
        for span in find_in_view(&reading.view, query) {
            let stored = reading.view.stored_span(span);
            let context = |from: usize, to: usize| -> String {
                chars[from..to]
                    .iter()
                    .map(|&c| if c == '\n' { ' ' } else { c })
                    .collect()
            };
            hits.push(Hit {
                doc: meta.id,
                title: meta.title.clone(),
                start: stored.start,
                end: stored.end,
                before: context(span.start.saturating_sub(CONTEXT_CHARS), span.start),
                matched: context(span.start, span.end),
                after: context(span.end, (span.end + CONTEXT_CHARS).min(chars.len())),
            });
        }
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_split_by_pinyin_readings_is_found_and_mapped_to_stored_offsets() {
        let text = include_str!("../tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt");
        let cleaned = crate::clean::clean(text);
        let view = View::build(text, &cleaned.folded_spans(), &ViewOptions::default());
        let found = find_in_view(&view, "新質生產力");
        assert!(found.len() > 10, "{}", found.len());
        let stored_chars: Vec<char> = text.chars().collect();
        for span in found {
            let stored = view.stored_span(span);
            let raw: String = stored_chars[stored.start..stored.end].iter().collect();
            assert!(raw.starts_with('新') && raw.ends_with('力'), "{raw}");
            assert!(
                raw.contains("(zhì)"),
                "the stored text keeps its readings: {raw}"
            );
        }
    }

    #[test]
    fn simplified_and_traditional_find_each_other() {
        let view = View::build(
            "發展新質生產力，推动新质生产力",
            &[],
            &ViewOptions::default(),
        );
        let both = vec![Span::new(2, 7), Span::new(10, 15)];
        assert_eq!(find_in_view(&view, "新质生产力"), both);
        assert_eq!(find_in_view(&view, "新質生產力"), both);
        assert_eq!(find("Talent 人才", "TALENT"), vec![Span::new(0, 6)]);
    }

    #[test]
    fn offsets_count_code_points() {
        let view = View::build("ab科技cd科技", &[], &ViewOptions::default());
        assert_eq!(
            find_in_view(&view, "科技"),
            vec![Span::new(2, 4), Span::new(6, 8)]
        );
        assert!(find_in_view(&view, "").is_empty());
    }
}
