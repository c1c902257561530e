//! Related passages: for one body paragraph (a passage, numbered as `pizhu passages` numbers
//! them), the most similar passages of the other documents.
//!
//! Similarity is the cosine of TF-IDF vectors over the jieba words of the passages' shadows
//! (so Simplified and Traditional passages compare), stopwords left out. A word's weight in a
//! passage is `(1 + ln tf) · ln(1 + N / df)`: `tf` its count in the passage, `N` the number of
//! passages in the library, `df` how many hold it.
//!
//! [`build`] brings the index up to date (`store/related_index.rs`): documents not in the
//! search index are indexed, documents whose passages are not segmented yet are (jieba, on
//! as many threads as the machine has cores), and the postings are rebuilt if the passages
//! changed. [`related`] then reads only the passage's own terms' postings and the dense
//! table: it never loads a document.

use crate::doc::DocId;
use crate::reading;
use crate::search;
use crate::store::search_index::INDEX_VIEW;
use crate::store::{RelatedPassage, RelatedState, Store, StoreError};
use crate::text::cursor::CharCursor;
use crate::text::fold::Shadow;
use crate::text::segment::{self, Segmenter, is_stopword};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// How many related passages are shown unless asked otherwise.
pub const DEFAULT_LIMIT: usize = 10;

/// One related passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    pub doc: DocId,
    pub title: String,
    /// The passage's number in its document (as `pizhu passages` shows it).
    pub passage: usize,
    /// Where the passage is in the stored text (code points).
    pub start: usize,
    pub end: usize,
    /// Cosine similarity, 0 to 1.
    pub score: f32,
    /// The passage as the reading view shows it.
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RelatedError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("#{doc} has {}; there is no passage {n} (see pizhu passages {doc})", crate::count::count(*count, "passage"))]
    NoSuchPassage { doc: DocId, n: usize, count: usize },
    #[error("the related-passages index is out of date (run `pizhu related` to rebuild it)")]
    Stale,
}

/// What [`build`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// Documents added to the search index.
    pub indexed: usize,
    /// Documents whose passages were segmented.
    pub segmented: usize,
    /// Whether the postings were rebuilt.
    pub rebuilt: bool,
}

/// Brings the related-passages index up to date; `progress(done, total)` hears about each
/// document segmented.
pub fn build(
    store: &mut Store,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<BuildReport, StoreError> {
    let mut report = BuildReport {
        indexed: search::index_missing(store, &mut |_, _| {})?,
        ..BuildReport::default()
    };
    let pending = store.related_pending()?;
    if !pending.is_empty() {
        let seg = segment::get();
        let mut vocabulary = store.related_vocabulary()?;
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        for (i, batch) in pending.chunks(workers).enumerate() {
            let readings = batch
                .iter()
                .map(|&id| reading::load(store, id, &INDEX_VIEW))
                .collect::<Result<Vec<_>, _>>()?;
            let segmented: Vec<Vec<(RelatedPassage, Vec<String>)>> = std::thread::scope(|s| {
                let handles: Vec<_> = readings
                    .iter()
                    .map(|r| s.spawn(move || passages_of(r, seg)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            });
            for (reading, passages) in readings.iter().zip(segmented) {
                let mut new_terms = Vec::new();
                let vectors: Vec<_> = passages
                    .into_iter()
                    .map(|(p, words)| (p, term_counts(&words, &mut vocabulary, &mut new_terms)))
                    .collect();
                store.save_related_passages(reading.meta.id, &new_terms, &vectors)?;
            }
            progress(
                (i * workers + batch.len()).min(pending.len()),
                pending.len(),
            );
        }
        report.segmented = pending.len();
    }
    let (passages, max_id) = store.related_fingerprint()?;
    let current = store
        .related_state()?
        .is_some_and(|s| s.passages == passages && s.max_id == max_id);
    if !current {
        rebuild_postings(store, passages, max_id)?;
        report.rebuilt = true;
    }
    Ok(report)
}

/// The passages of a document (numbered as `pizhu passages` does) with their words: jieba
/// words of the shadow, stopwords left out.
fn passages_of(reading: &reading::Reading, seg: &Segmenter) -> Vec<(RelatedPassage, Vec<String>)> {
    let view = reading.view.text();
    let shadow = Shadow::new(view);
    let mut chars = CharCursor::new(shadow.text());
    reading
        .view_paragraphs()
        .into_iter()
        .zip(&reading.cleaned.paragraphs)
        .enumerate()
        .map(|(i, (view_span, stored))| {
            let text = chars
                .slice(shadow.shadow_span(view_span))
                .unwrap_or_default();
            let letters: Vec<char> = text.chars().collect();
            let words = seg
                .words(text)
                .into_iter()
                .map(|w| letters[w.start..w.end].iter().collect::<String>())
                .filter(|w| !is_stopword(w))
                .collect();
            let passage = RelatedPassage {
                id: 0,
                doc: reading.meta.id,
                n: i + 1,
                stored: *stored,
                view: view_span,
            };
            (passage, words)
        })
        .collect()
}

/// Term counts of a passage's words, sorted by term id; words new to the vocabulary get the
/// next ids and are added to `new_terms`.
fn term_counts(
    words: &[String],
    vocabulary: &mut FxHashMap<String, u32>,
    new_terms: &mut Vec<(u32, String)>,
) -> Vec<(u32, u32)> {
    let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
    for word in words {
        let id = match vocabulary.get(word) {
            Some(&id) => id,
            None => {
                let id = vocabulary.len() as u32 + 1;
                vocabulary.insert(word.clone(), id);
                new_terms.push((id, word.clone()));
                id
            }
        };
        *counts.entry(id).or_default() += 1;
    }
    let mut counts: Vec<(u32, u32)> = counts.into_iter().collect();
    counts.sort_unstable();
    counts
}

/// The weight of a term counted `tf` times, with inverse document frequency `idf`.
fn weight(tf: u32, idf: f32) -> f32 {
    (1.0 + (tf as f32).ln()) * idf
}

fn idf(passages: usize, df: usize) -> f32 {
    (1.0 + passages as f32 / df.max(1) as f32).ln()
}

/// Rebuilds the postings and the dense table from every passage's term vector.
fn rebuild_postings(store: &mut Store, passages: i64, max_id: i64) -> Result<(), StoreError> {
    let vectors = store.related_vectors()?;
    let mut postings: FxHashMap<u32, Vec<(u32, u32)>> = FxHashMap::default();
    for (dense, (_, _, terms)) in vectors.iter().enumerate() {
        for &(term, tf) in terms {
            postings.entry(term).or_default().push((dense as u32, tf));
        }
    }
    let n = vectors.len();
    let mut state = RelatedState {
        passages,
        max_id,
        ..RelatedState::default()
    };
    for (id, doc, terms) in &vectors {
        let norm = terms
            .iter()
            .map(|&(term, tf)| weight(tf, idf(n, postings.get(&term).map_or(1, Vec::len))).powi(2))
            .sum::<f32>()
            .sqrt();
        state.ids.push(*id);
        state.docs.push(*doc);
        state.norms.push(norm);
    }
    let mut postings: Vec<(u32, Vec<(u32, u32)>)> = postings.into_iter().collect();
    postings.sort_unstable_by_key(|p| p.0);
    store.save_related_postings(&postings, &state)
}

/// The passages of other documents most similar to passage `n` (1-based) of `doc`, best
/// first, at most `limit`. The index must be current (see [`build`]).
pub fn related(
    store: &Store,
    doc: DocId,
    n: usize,
    limit: usize,
) -> Result<Vec<Related>, RelatedError> {
    let state = store.related_state()?.ok_or(RelatedError::Stale)?;
    if store.related_fingerprint()? != (state.passages, state.max_id)
        || store.related_pending()?.contains(&doc)
    {
        return Err(RelatedError::Stale);
    }
    let Some((_, terms)) = store.related_passage(doc, n)? else {
        return Err(RelatedError::NoSuchPassage {
            doc,
            n,
            count: store.related_passage_count(doc)?,
        });
    };
    let total = state.ids.len();
    let mut scores = vec![0f32; total];
    let mut query_norm = 0f32;
    for (term, tf) in terms {
        let posting = store.related_posting(term)?;
        let idf = idf(total, posting.len());
        let wq = weight(tf, idf);
        query_norm += wq * wq;
        for (dense, tf) in posting {
            if let Some(score) = scores.get_mut(dense as usize) {
                *score += wq * weight(tf, idf);
            }
        }
    }
    let query_norm = query_norm.sqrt();
    let mut best: Vec<(f32, usize)> = scores
        .iter()
        .enumerate()
        .filter(|&(i, &s)| s > 0.0 && state.docs.get(i) != Some(&doc))
        .map(|(i, &s)| {
            let norms = query_norm * state.norms.get(i).copied().unwrap_or(0.0);
            ((s / norms.max(f32::MIN_POSITIVE)).min(1.0), i)
        })
        .collect();
    best.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    best.truncate(limit);
    let titles: FxHashMap<DocId, String> = store
        .list_documents()?
        .into_iter()
        .map(|d| (d.id, d.title))
        .collect();
    best.into_iter()
        .map(|(score, dense)| {
            let passage = store.related_passage_by_id(state.ids[dense])?;
            Ok(Related {
                doc: passage.doc,
                title: titles.get(&passage.doc).cloned().unwrap_or_default(),
                passage: passage.n,
                start: passage.stored.start,
                end: passage.stored.end,
                score,
                text: store.indexed_view_text(passage.doc, passage.view)?,
            })
        })
        .collect()
}
