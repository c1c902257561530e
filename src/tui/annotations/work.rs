//! The annotations view's requests, answered on the worker (which owns the library): every
//! annotation with what its row shows (document title, passage number, tag names), then what
//! typing is matched against (folded to Simplified once, here, in a second answer so the list
//! shows first); the text now at a drifted annotation's span; settling one (confirmed or
//! orphaned).

use super::super::worker::Response;
use crate::annotations::{AnchorStatus, Annotation, AnnotationFilter, AnnotationId};
use crate::doc::{DocId, Span};
use crate::store::{Store, StoreError};
use crate::text::fold::fold_str;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What the annotations view asks of the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum AnnotationsRequest {
    /// Every annotation of the library, with its row's data.
    Load,
    /// The text now at an annotation's span, with its context.
    Now(Box<Annotation>),
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
    /// The text at annotation `id`'s span now: (prefix, text, suffix), or why there is none.
    Now {
        id: AnnotationId,
        text: Result<(String, String, String), String>,
    },
    /// An annotation as it is after being settled.
    Settled(Box<Annotation>),
}

/// One annotation as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub annotation: Annotation,
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
    pub fn replace(&mut self, annotation: Annotation) {
        let folded = self.folded.then(|| searchable(self, &annotation));
        if let Some(row) = self
            .rows
            .iter_mut()
            .find(|r| r.annotation.id == annotation.id)
        {
            row.folded = folded.unwrap_or_default();
            row.annotation = annotation;
        }
    }
}

/// What typing matches in an annotation: its quote, note and tags (ids and names), folded.
fn searchable(data: &AnnotationsData, a: &Annotation) -> String {
    let mut text = format!("{}\n{}", a.quote, a.note);
    for tag in &a.tags {
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
    match request {
        AnnotationsRequest::Load => match load(store) {
            Ok(data) => {
                let folded = data
                    .rows
                    .iter()
                    .map(|r| searchable(&data, &r.annotation))
                    .collect();
                emit(answer(AnnotationsResponse::Loaded(Arc::new(data))));
                emit(answer(AnnotationsResponse::Folded(folded)));
            }
            Err(e) => emit(Response::Failed(format!("reading the annotations: {e}"))),
        },
        AnnotationsRequest::Now(annotation) => emit(answer(AnnotationsResponse::Now {
            id: annotation.id,
            text: store.quote_now(&annotation).map_err(|e| e.to_string()),
        })),
        AnnotationsRequest::Settle { id, status } => {
            emit(match store.settle_annotation(id, status) {
                Ok(annotation) => answer(AnnotationsResponse::Settled(Box::new(annotation))),
                Err(e) => Response::Failed(format!("saving annotation #{id}: {e}")),
            })
        }
    }
}

/// Every annotation with its row's data: titles, passage numbers (each document's paragraph
/// layer read alone, once), tag names from the codebook; not yet the rows' folded text.
pub fn load(store: &Store) -> Result<AnnotationsData, StoreError> {
    let annotations = store.annotations(&AnnotationFilter::default())?;
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
    let mut paragraphs: HashMap<DocId, Vec<Span>> = HashMap::new();
    let mut rows = Vec::with_capacity(annotations.len());
    for annotation in annotations {
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
    // Ids are given in the order annotations are made and never reused.
    data.newest = (0..data.rows.len()).collect();
    data.newest
        .sort_unstable_by_key(|&i| std::cmp::Reverse(data.rows[i].annotation.id));
    Ok(data)
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
