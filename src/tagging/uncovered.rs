//! The library's uncovered terms, as `pizhu themes suggest` and the reader's themes view list
//! them: every document's body passages (their Simplified shadows, as tagging reads them)
//! segmented by jieba, with the codebook's keywords known to a copy of the shared segmenter
//! (the shared one, which the reader moves by, stays as it is) and stopwords left out, then
//! ranked by [`crate::themes::uncovered_terms`].

use crate::doc::DocId;
use crate::store::Store;
use crate::text::cursor::CharCursor;
use crate::text::segment;
use crate::themes::{Tagger, UncoveredTerm, uncovered_terms};

use super::{TaggingError, passage_shadows};

/// The `limit` best words no keyword of the library's codebook covers yet, of the whole
/// library or, with `focus`, of that document (its distinctive words against the library).
/// Loads the word segmenter if it is not loaded yet.
pub fn uncovered(
    store: &Store,
    focus: Option<DocId>,
    limit: usize,
) -> Result<Vec<UncoveredTerm>, TaggingError> {
    let (codebook, _) = store.codebook()?;
    let tagger = Tagger::new(&codebook)?;
    let seg = segment::get().with_words(
        codebook
            .themes
            .iter()
            .flat_map(|t| t.keywords.iter().map(|k| k.term.as_str())),
    );
    let docs = store.list_documents()?;
    let focus = focus.map(|f| docs.iter().position(|d| d.id == f).unwrap_or(0));
    let mut words: Vec<Vec<String>> = Vec::with_capacity(docs.len());
    for meta in &docs {
        let (_, shadows) = passage_shadows(store, meta.id)?;
        let mut list = Vec::new();
        for shadow in &shadows {
            let mut cursor = CharCursor::new(shadow);
            for span in seg.words(shadow) {
                let word = cursor.slice(span).unwrap_or_default();
                if !segment::is_stopword(word) {
                    list.push(word.to_string());
                }
            }
        }
        words.push(list);
    }
    Ok(uncovered_terms(&words, focus, &tagger, limit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::themes::{Edit, Keyword};

    #[test]
    fn a_term_added_as_a_keyword_is_no_longer_uncovered() {
        let mut store = crate::demo::open().expect("demo");
        let found = uncovered(&store, None, 10).expect("uncovered");
        assert!(!found.is_empty(), "the demo library has uncovered terms");
        let term = found[0].term.clone();
        store
            .apply_codebook_edit(&Edit::Keywords {
                id: "talent".into(),
                add: vec![Keyword::new(term.as_str())],
                remove: Vec::new(),
            })
            .expect("add the term");
        let again = uncovered(&store, None, 10).expect("uncovered");
        assert!(
            again.iter().all(|u| u.term != term),
            "{term} is covered now"
        );
        let first = store.list_documents().expect("list")[0].id;
        let of_one = uncovered(&store, Some(first), 5).expect("uncovered of one");
        assert!(of_one.len() <= 5);
    }
}
