//! The annotations view's requests, answered on the worker (which owns the library): the
//! first page of the list by place (read through the index in a few milliseconds), then every
//! annotation as its row shows it (a [`Summary`], with its document title, passage number and
//! tag names), then what typing is matched against (quote, whole note and tags folded to
//! Simplified once, here, in a last answer so the list shows first); the list again, whole,
//! when the library changed under the view; an annotation with the text now at its span (the
//! drifted review); settling one (confirmed or orphaned).

use super::super::worker::Response;
use crate::annotations::{AnchorStatus, Annotation, AnnotationId, Summary};
use crate::doc::{DocId, Span};
use crate::store::{Store, StoreError};
use crate::text::fold::fold_str;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// How many rows the first answer holds: more than a screen shows.
pub const FIRST_PAGE: u32 = 200;

/// What the annotations view asks of the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotationsRequest {
    /// Every annotation of the library, with its row's data: the first page by place, then
    /// the whole list, then what typing matches in it.
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
    /// In the order they were made (as the library holds them).
    pub rows: Vec<Row>,
    /// Row indices in document order (document, place).
    pub by_place: Vec<usize>,
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
    /// The first page by place only, while the whole list is read; how many there are.
    pub partial: bool,
    pub total: usize,
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
        AnnotationsRequest::Load => match load_first(store) {
            Ok(first) if first.partial => {
                emit(answer(AnnotationsResponse::Loaded(Arc::new(first))));
                answer_load(store, emit);
            }
            Ok(_) => answer_load(store, emit),
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

/// The whole list (after its first page), then what typing matches in its rows.
fn answer_load(store: &Store, emit: &mut dyn FnMut(Response)) {
    let answer = |r: AnnotationsResponse| Response::AnnotationList(r);
    let failed = |e: StoreError| Response::Failed(format!("reading the annotations: {e}"));
    match load(store) {
        Ok(data) => {
            let data = Arc::new(data);
            emit(answer(AnnotationsResponse::Loaded(Arc::clone(&data))));
            let folded = folded(store, &data);
            // The view's copy alone, so that it takes the folded text without copying.
            drop(data);
            match folded {
                Ok(folded) => emit(answer(AnnotationsResponse::Folded(folded))),
                Err(e) => emit(failed(e)),
            }
        }
        Err(e) => emit(failed(e)),
    }
}

/// Every annotation with its row's data: the summaries read in the order they were made (the
/// rows' order, newest last), their order by place sorted here (cheaper than following the
/// index row by row), titles, passage numbers (each document's paragraph layer read alone,
/// once), tag names from the codebook; not yet the rows' folded text.
pub fn load(store: &Store) -> Result<AnnotationsData, StoreError> {
    let summaries = store.annotation_summaries()?;
    let total = summaries.len();
    rows_data(store, summaries, total)
}

/// The first [`FIRST_PAGE`] annotations by place with their rows' data (`partial`): what the
/// view shows while the whole list is read.
pub fn load_first(store: &Store) -> Result<AnnotationsData, StoreError> {
    let total = store.annotation_count()?;
    let mut summaries = store.first_annotation_summaries(FIRST_PAGE)?;
    // The rows' order is the order they were made.
    summaries.sort_unstable_by_key(|s| s.id);
    let mut data = rows_data(store, summaries, total)?;
    data.partial = data.rows.len() < total;
    Ok(data)
}

/// The list's data from `summaries` (in the order they were made) of `total` annotations.
fn rows_data(
    store: &Store,
    summaries: Vec<Summary>,
    total: usize,
) -> Result<AnnotationsData, StoreError> {
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
    let mut places: Vec<(DocId, usize, usize, AnnotationId, usize)> = summaries
        .iter()
        .enumerate()
        .map(|(i, s)| (s.doc, s.start, s.end, s.id, i))
        .collect();
    places.sort_unstable();
    let by_place: Vec<usize> = places.into_iter().map(|(.., i)| i).collect();
    let mut rows: Vec<Row> = summaries
        .into_iter()
        .map(|annotation| Row {
            annotation,
            passage: None,
            folded: String::new(),
        })
        .collect();
    // By place, a document's rows come together: its paragraphs are read once.
    let mut paragraphs: (Option<DocId>, Vec<Span>) = (None, Vec::new());
    for &i in &by_place {
        let row = &mut rows[i];
        let doc = row.annotation.doc;
        if paragraphs.0 != Some(doc) {
            paragraphs = (Some(doc), store.paragraphs(doc)?);
        }
        if row.annotation.status != AnchorStatus::Orphan {
            row.passage = passage_at(&paragraphs.1, row.annotation.start);
        }
    }
    let mut data = AnnotationsData {
        newest: (0..rows.len()).rev().collect(),
        total,
        rows,
        by_place,
        folded_titles: titles.iter().map(|(id, t)| (*id, fold_str(t))).collect(),
        titles,
        tag_names,
        ..AnnotationsData::default()
    };
    // Each distinct tag list once (they are shared).
    let mut lists: HashSet<*const [String]> = HashSet::new();
    let mut in_use: HashSet<&str> = HashSet::new();
    for row in &data.rows {
        if lists.insert(Arc::as_ptr(&row.annotation.tags)) {
            in_use.extend(row.annotation.tags.iter().map(String::as_str));
        }
    }
    let mut tags: Vec<String> = in_use.into_iter().map(str::to_string).collect();
    tags.sort_by_cached_key(|t| (data.tag_name(t).to_string(), t.clone()));
    data.tags = tags;
    Ok(data)
}

/// What typing matches in each row of `data` (in its order): the whole quotes and notes read
/// again in the order the annotations were made, the rows' order; a row the library no longer
/// has matches by its title only.
pub fn folded(store: &Store, data: &AnnotationsData) -> Result<Vec<String>, StoreError> {
    let mut folded = vec![String::new(); data.rows.len()];
    let mut rows = data.rows.iter().zip(folded.iter_mut()).peekable();
    store.annotation_texts(|id, quote, note| {
        while rows.next_if(|(r, _)| r.annotation.id < id).is_some() {}
        if let Some((row, text)) = rows.next_if(|(r, _)| r.annotation.id == id) {
            *text = searchable(data, quote, note, &row.annotation.tags);
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
