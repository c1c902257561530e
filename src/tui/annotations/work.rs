//! The annotations view's requests, answered on the worker (which owns the library): every
//! annotation with what its row shows (document title, passage number, tag names) and what
//! typing is matched against (folded to Simplified once, here); the text now at a drifted
//! annotation's span; settling one (confirmed or orphaned).

use super::super::worker::Response;
use crate::annotations::{AnchorStatus, Annotation, AnnotationFilter, AnnotationId};
use crate::doc::{DocId, Span};
use crate::store::{Store, StoreError};
use crate::text::fold::fold_str;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
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
    /// Its quote and note folded to Simplified, for typing to match.
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
    folded_titles: HashMap<DocId, String>,
    /// Each tag in use, with its name, folded.
    folded_tags: HashMap<String, String>,
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
            || row
                .annotation
                .tags
                .iter()
                .any(|t| self.folded_tags.get(t).is_some_and(|f| f.contains(query)))
    }

    /// Puts an annotation as it is now in its row.
    pub fn replace(&mut self, annotation: Annotation) {
        if let Some(row) = self
            .rows
            .iter_mut()
            .find(|r| r.annotation.id == annotation.id)
        {
            row.folded = fold_str(&format!("{}\n{}", annotation.quote, annotation.note));
            row.annotation = annotation;
        }
    }
}

/// Answers one request with the store, passing the answer to `emit`.
pub fn answer(store: &mut Store, request: AnnotationsRequest, emit: &mut dyn FnMut(Response)) {
    let answer = |r: AnnotationsResponse| Response::Annotations(r);
    match request {
        AnnotationsRequest::Load => emit(match load(store) {
            Ok(data) => answer(AnnotationsResponse::Loaded(Arc::new(data))),
            Err(e) => Response::Failed(format!("reading the annotations: {e}")),
        }),
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
/// layer read alone, once), tag names from the codebook, folded text for matching.
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
            folded: fold_str(&format!("{}\n{}", annotation.quote, annotation.note)),
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
    let mut tags: Vec<String> = data
        .rows
        .iter()
        .flat_map(|r| r.annotation.tags.iter().cloned())
        .collect();
    tags.sort();
    tags.dedup();
    data.folded_tags = tags
        .iter()
        .map(|t| (t.clone(), fold_str(&format!("{t}\n{}", data.tag_name(t)))))
        .collect();
    tags.sort_by_cached_key(|t| data.tag_name(t).to_string());
    data.tags = tags;
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
