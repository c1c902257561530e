//! The annotations view's requests, answered on the worker (which owns the library): every
//! annotation as its row shows it (a [`Summary`], with its document title, passage number and
//! tag names), then what typing is matched against (quote, whole note and tags folded to
//! Simplified once, here, in a second answer so the list shows first); the list again, whole,
//! when the library changed under the view; an annotation with the text now at its span (the
//! drifted review); settling one (confirmed or orphaned).

use super::super::worker::Response;
use crate::annotations::{AnchorStatus, Annotation, AnnotationId, Summary};
use crate::doc::{DocId, Span};
use crate::store::{Store, StoreError};
use crate::text::fold::fold_str;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What the annotations view asks of the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotationsRequest {
    /// Every annotation of the library, with its row's data; what typing matches comes in a
    /// second answer.
    Load,
    /// The same in one answer, what typing matches included: the list read again for a view
    /// that shows it already (typing keeps matching what it matched).
    Reload,
    /// An annotation as stored, and the text now at its span with its context.
    Now(AnnotationId),
    /// Confirm a drifted annotation where it is (`Ok`) or make it an orphan.
    Settle {
        id: AnnotationId,
        status: AnchorStatus,
    },
}

/// The answers to [`AnnotationsRequest`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum AnnotationsResponse {
    Loaded(Arc<AnnotationsData>),
    /// What typing matches in each row of the list just loaded (quote, note and tags folded),
    /// in the order of its rows.
    Folded(Vec<String>),
    /// Annotation `id` as stored (`None`: gone), and the text at its span now: (prefix, text,
    /// suffix), or why there is none.
    Now {
        id: AnnotationId,
        was: Option<Box<Annotation>>,
        text: Result<(String, String, String), String>,
    },
    /// An annotation as it is after being settled.
    Settled(Box<Annotation>),
}

/// One annotation as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub annotation: Summary,
    /// The body passage its span starts in (1-based, as `pizhu passages` numbers them).
    pub passage: Option<usize>,
    /// Its quote, note and tags folded to Simplified, for typing to match (empty until the
    /// worker's second answer).
    folded: String,
}

/// Every annotation of the library and the names its rows show.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnnotationsData {
    /// In document order (document, place).
    pub rows: Vec<Row>,
    /// Documents' titles by id.
    pub titles: HashMap<DocId, String>,
    /// Tags that are codebook themes: their names by id.
    pub tag_names: HashMap<String, String>,
    /// The tags in use, by name.
    pub tags: Vec<String>,
    /// Row indices newest first.
    pub newest: Vec<usize>,
    /// Whether the rows' folded text is there (else typing matches titles only).
    pub folded: bool,
    folded_titles: HashMap<DocId, String>,
}

impl AnnotationsData {
    /// A tag as shown: a theme's name, else the tag itself.
    pub fn tag_name<'a>(&'a self, tag: &'a str) -> &'a str {
        self.tag_names.get(tag).map_or(tag, String::as_str)
    }

    pub fn title(&self, doc: DocId) -> &str {
        self.titles.get(&doc).map_or("", String::as_str)
    }

    /// Whether `row` holds the folded `query` in its quote, note, tags or document title.
    pub fn matches(&self, row: &Row, query: &str) -> bool {
        query.is_empty()
            || row.folded.contains(query)
            || self
                .folded_titles
                .get(&row.annotation.doc)
                .is_some_and(|t| t.contains(query))
    }

    /// Takes the rows' folded text ([`AnnotationsResponse::Folded`]).
    pub fn set_folded(&mut self, folded: Vec<String>) {
        if folded.len() == self.rows.len() {
            for (row, text) in self.rows.iter_mut().zip(folded) {
                row.folded = text;
            }
            self.folded = true;
        }
    }

    /// Puts an annotation as it is now in its row.
    pub fn replace(&mut self, annotation: &Annotation) {
        let folded = self
            .folded
            .then(|| searchable(self, &annotation.quote, &annotation.note, &annotation.tags));
        if let Some(row) = self
            .rows
            .iter_mut()
            .find(|r| r.annotation.id == annotation.id)
        {
            row.folded = folded.unwrap_or_default();
            row.annotation = Summary::from(annotation);
        }
    }
}

/// What typing matches in an annotation: its quote, note and tags (ids and names), folded.
fn searchable(data: &AnnotationsData, quote: &str, note: &str, tags: &[String]) -> String {
    let mut text = format!("{quote}\n{note}");
    for tag in tags {
        text.push('\n');
        text.push_str(tag);
        if let Some(name) = data.tag_names.get(tag) {
            text.push('\n');
            text.push_str(name);
        }
    }
    fold_str(&text)
}

/// Answers one request with the store, passing the answer to `emit`.
pub fn answer(store: &mut Store, request: AnnotationsRequest, emit: &mut dyn FnMut(Response)) {
    let answer = |r: AnnotationsResponse| Response::AnnotationList(r);
    let failed = |e: StoreError| Response::Failed(format!("reading the annotations: {e}"));
    match request {
        AnnotationsRequest::Load => match load(store) {
            Ok(data) => {
                let data = Arc::new(data);
                emit(answer(AnnotationsResponse::Loaded(Arc::clone(&data))));
                match folded(store, &data) {
                    Ok(folded) => emit(answer(AnnotationsResponse::Folded(folded))),
                    Err(e) => emit(failed(e)),
                }
            }
            Err(e) => emit(failed(e)),
        },
        AnnotationsRequest::Reload => {
            let loaded = load(store).and_then(|mut data| {
                let folded = folded(store, &data)?;
                data.set_folded(folded);
                Ok(data)
            });
            emit(match loaded {
                Ok(data) => answer(AnnotationsResponse::Loaded(Arc::new(data))),
                Err(e) => failed(e),
            })
        }
        AnnotationsRequest::Now(id) => emit(match store.annotation(id) {
            Ok(Some(a)) => answer(AnnotationsResponse::Now {
                id,
                text: store.quote_now(&a).map_err(|e| e.to_string()),
                was: Some(Box::new(a)),
            }),
            Ok(None) => answer(AnnotationsResponse::Now {
                id,
                was: None,
                text: Err(format!("annotation #{id} is gone")),
            }),
            Err(e) => failed(e),
        }),
        AnnotationsRequest::Settle { id, status } => {
            emit(match store.settle_annotation(id, status) {
                Ok(annotation) => answer(AnnotationsResponse::Settled(Box::new(annotation))),
                Err(e) => Response::Failed(format!("saving annotation #{id}: {e}")),
            })
        }
    }
}

/// Every annotation with its row's data: the summaries read in the order they were made and
/// sorted here by place (cheaper than following the index row by row), titles, passage
/// numbers (each document's paragraph layer read alone, once), tag names from the codebook;
/// not yet the rows' folded text.
pub fn load(store: &Store) -> Result<AnnotationsData, StoreError> {
    let summaries = store.annotation_summaries()?;
    let titles: HashMap<DocId, String> = store
        .list_documents()?
        .into_iter()
        .map(|d| (d.id, d.title))
        .collect();
    let (codebook, _) = store.codebook()?;
    let tag_names: HashMap<String, String> = codebook
        .themes
        .iter()
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect();
    // The summaries are in the order they were made: sorting their indices by place gives
    // the rows, and the rows' places read backwards give newest first.
    let mut order: Vec<usize> = (0..summaries.len()).collect();
    order.sort_unstable_by_key(|&i| {
        let s = &summaries[i];
        (s.doc, s.start, s.end, s.id)
    });
    let mut place = vec![0; order.len()];
    for (row, &i) in order.iter().enumerate() {
        place[i] = row;
    }
    let mut summaries: Vec<Option<Summary>> = summaries.into_iter().map(Some).collect();
    let mut paragraphs: HashMap<DocId, Vec<Span>> = HashMap::new();
    let mut rows = Vec::with_capacity(order.len());
    for i in order {
        let Some(annotation) = summaries[i].take() else {
            continue;
        };
        let spans = match paragraphs.entry(annotation.doc) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(store.paragraphs(annotation.doc)?),
        };
        let passage = match annotation.status {
            AnchorStatus::Orphan => None,
            _ => passage_at(spans, annotation.start),
        };
        rows.push(Row {
            folded: String::new(),
            passage,
            annotation,
        });
    }
    let mut data = AnnotationsData {
        rows,
        newest: place.into_iter().rev().collect(),
        folded_titles: titles.iter().map(|(id, t)| (*id, fold_str(t))).collect(),
        titles,
        tag_names,
        ..AnnotationsData::default()
    };
    let in_use: HashSet<&str> = data
        .rows
        .iter()
        .flat_map(|r| r.annotation.tags.iter().map(String::as_str))
        .collect();
    let mut tags: Vec<String> = in_use.into_iter().map(str::to_string).collect();
    tags.sort_by_cached_key(|t| (data.tag_name(t).to_string(), t.clone()));
    data.tags = tags;
    Ok(data)
}

/// What typing matches in each row of `data` (in its order): the whole quotes and notes read
/// again in the order the annotations were made, which is `data.newest` backwards; a row the
/// library no longer has matches by its title only.
pub fn folded(store: &Store, data: &AnnotationsData) -> Result<Vec<String>, StoreError> {
    let mut folded = vec![String::new(); data.rows.len()];
    let mut oldest_first = data.newest.iter().rev().peekable();
    store.annotation_texts(|id, quote, note| {
        while oldest_first
            .next_if(|&&i| data.rows[i].annotation.id < id)
            .is_some()
        {}
        if let Some(&i) = oldest_first.next_if(|&&i| data.rows[i].annotation.id == id) {
            folded[i] = searchable(data, quote, note, &data.rows[i].annotation.tags);
        }
    })?;
    Ok(folded)
}

/// The 1-based number of the paragraph that holds offset `at`.
fn passage_at(paragraphs: &[Span], at: usize) -> Option<usize> {
    let i = paragraphs.partition_point(|p| p.end <= at);
    paragraphs.get(i).filter(|p| p.start <= at).map(|_| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_numbered_by_the_paragraph_that_holds_them() {
        let paragraphs = [Span::new(0, 5), Span::new(7, 10)];
        let numbers: Vec<_> = [0, 4, 5, 7, 9, 10]
            .iter()
            .map(|&at| passage_at(&paragraphs, at))
            .collect();
        assert_eq!(numbers, [Some(1), Some(1), None, Some(2), Some(2), None]);
    }
}
