//! One theme across the library: for each document, the body passages the theme is on, in
//! document order, with where the theme stands on each, the tagger's score and matched terms,
//! and the passage's text as the reading view shows it (the original script, folded noise
//! left out). The reader's compare view puts them side by side.

use crate::doc::view::ViewOptions;
use crate::doc::{DocumentMeta, Span};
use crate::reading;
use crate::store::Store;
use crate::text::cursor::CharCursor;

use super::merge::{MatchedTerm, Status};
use super::{LibraryThemes, TaggingError, passages};

/// A passage the theme is on.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemedPassage {
    /// Its number among the document's body passages, from 1 (as `pizhu passages` numbers).
    pub n: usize,
    /// The stored span.
    pub span: Span,
    pub status: Status,
    /// The tagger's score, when it suggests the theme now.
    pub score: Option<f32>,
    /// The suggestion's explanation, weightiest first (empty when not suggested now).
    pub matched: Vec<MatchedTerm>,
    /// The passage in the reading view.
    pub text: String,
    /// Where the matched terms occur in `text` (code points, in order, not overlapping),
    /// found across scripts.
    pub hits: Vec<Span>,
}

/// One document's passages with the theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeColumn {
    pub meta: DocumentMeta,
    pub passages: Vec<ThemedPassage>,
}

/// The documents (in library order) having passages `theme` is on, each with those passages.
pub fn compare(
    store: &Store,
    library: &LibraryThemes,
    theme: &str,
    options: &ViewOptions,
) -> Result<Vec<ThemeColumn>, TaggingError> {
    if library.codebook.get(theme).is_none() {
        return Err(TaggingError::UnknownTheme {
            theme: theme.to_string(),
        });
    }
    let mut columns = Vec::new();
    for meta in store.list_documents()? {
        let spans = passages(store, meta.id)?;
        let themes = library.passage_themes(store, meta.id, &spans)?;
        let on: Vec<(usize, Span, _)> = spans
            .iter()
            .zip(themes)
            .enumerate()
            .filter_map(|(i, (&span, themes))| {
                let t = themes
                    .into_iter()
                    .find(|t| t.theme == theme && t.status.is_on())?;
                Some((i, span, t))
            })
            .collect();
        if on.is_empty() {
            continue;
        }
        // Only documents with the theme are read.
        let reading = reading::load_view(store, meta.id, options)?;
        let mut cursor = CharCursor::new(reading.view.text());
        let passages = on
            .into_iter()
            .map(|(i, span, t)| {
                let text = cursor
                    .slice(reading.view.view_span(span))
                    .unwrap_or_default()
                    .to_string();
                ThemedPassage {
                    n: i + 1,
                    span,
                    status: t.status,
                    score: t.score,
                    hits: hits(&text, &t.matched),
                    matched: t.matched,
                    text,
                }
            })
            .collect();
        columns.push(ThemeColumn { meta, passages });
    }
    Ok(columns)
}

/// Where `matched` terms occur in `text`: sorted, overlaps merged.
fn hits(text: &str, matched: &[MatchedTerm]) -> Vec<Span> {
    let mut spans: Vec<Span> = matched
        .iter()
        .flat_map(|m| crate::search::find(text, &m.term))
        .collect();
    spans.sort_by_key(|s| (s.start, s.end));
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Script;
    use crate::tagging::merge::Decision;
    use crate::tagging::{Quiet, matrix, refresh};
    use crate::text::fold::fold_str;

    #[test]
    fn the_demo_compare_lists_each_documents_passages_in_the_reading_view() {
        let mut store = crate::demo::open().unwrap();
        let library = refresh(&mut store, false, &mut Quiet).unwrap();
        let m = matrix::matrix(&store, &library).unwrap();
        // The theme on passages of the most documents.
        let (i, theme) = m
            .themes
            .iter()
            .enumerate()
            .max_by_key(|(i, _)| m.rows.iter().filter(|r| r.cells[*i].passages > 0).count())
            .unwrap();
        let columns = compare(&store, &library, theme, &ViewOptions::default()).unwrap();
        let expected: Vec<_> = m
            .rows
            .iter()
            .filter(|r| r.cells[i].passages > 0)
            .map(|r| (r.meta.id, r.cells[i].passages))
            .collect();
        let got: Vec<_> = columns
            .iter()
            .map(|c| (c.meta.id, c.passages.len()))
            .collect();
        assert_eq!(got, expected);
        assert!(columns.len() >= 2, "{theme}: {got:?}");
        let mut traditional = false;
        for column in &columns {
            let reading = reading::load(&store, column.meta.id, &ViewOptions::default()).unwrap();
            let view: Vec<char> = reading.view.text().chars().collect();
            let mut last = 0;
            for p in &column.passages {
                assert!(p.n > last, "document order");
                last = p.n;
                assert_eq!(p.status, Status::Suggested);
                assert!(p.score.is_some() && !p.matched.is_empty());
                assert!(!p.hits.is_empty(), "{}: {}", p.n, p.text);
                assert!(p.hits.iter().all(|h| h.end <= p.text.chars().count()));
                let span = reading.view.view_span(p.span);
                let shown: String = view[span.start..span.end].iter().collect();
                assert_eq!(p.text, shown);
                // The original script, not the Simplified shadow.
                if column.meta.script == Script::Traditional {
                    traditional |= fold_str(&p.text) != p.text;
                }
            }
        }
        assert!(traditional, "{theme}: no Traditional passage");
        // A rejected passage leaves the column; an unknown theme is an error.
        let first = &columns[0];
        let p = &first.passages[0];
        library
            .decide(
                &mut store,
                first.meta.id,
                (p.n, p.span),
                theme,
                Some(Decision::Rejected),
            )
            .unwrap();
        let after = compare(&store, &library, theme, &ViewOptions::default()).unwrap();
        let count = |cs: &[ThemeColumn]| cs.iter().map(|c| c.passages.len()).sum::<usize>();
        assert_eq!(count(&after), count(&columns) - 1);
        assert!(matches!(
            compare(&store, &library, "no-such-theme", &ViewOptions::default()),
            Err(TaggingError::UnknownTheme { .. })
        ));
    }

    #[test]
    fn hits_are_sorted_and_merged_across_scripts() {
        let matched = |terms: &[&str]| -> Vec<MatchedTerm> {
            terms
                .iter()
                .map(|t| MatchedTerm {
                    term: t.to_string(),
                    count: 1,
                    weight: 1.0,
                })
                .collect()
        };
        assert_eq!(
            hits("發展新質生產力，新質", &matched(&["生产力", "新质生产"])),
            vec![Span::new(2, 7)]
        );
    }
}
