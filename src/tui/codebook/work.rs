//! The themes view's requests, answered off the UI thread: reading the codebook with its
//! passage counts and editing it (the worker, which owns the library), re-tagging with
//! progress and listing uncovered terms (the tagging thread when the library is a file, so
//! the worker stays free for loads; the worker for the in-memory demo library).

use super::super::worker::Response;
use crate::cancel::Cancel;
use crate::doc::DocId;
use crate::store::{Store, StoreError};
use crate::tagging::{self, Phase, Progress, TaggingError};
use crate::themes::{Codebook, Edit, UncoveredTerm};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How many uncovered terms the themes view lists.
pub const UNCOVERED_LIMIT: usize = 50;

/// What the themes view asks of the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum CodebookRequest {
    /// The codebook, its revision and the passages of each theme.
    Read,
    /// Apply an edit in one transaction, then answer with the codebook as [`Read`] does.
    ///
    /// [`Read`]: CodebookRequest::Read
    Edit(Box<Edit>),
    /// Re-tag the stale documents, reporting progress, until `Cancel` stops it (then nothing
    /// of it is saved).
    Retag(Cancel),
    /// The uncovered terms of the library, or of one document.
    Uncovered { doc: Option<DocId> },
}

impl CodebookRequest {
    /// Whether the request goes to the tagging thread (when there is one).
    pub fn is_tagging(&self) -> bool {
        matches!(
            self,
            CodebookRequest::Retag(_) | CodebookRequest::Uncovered { .. }
        )
    }
}

/// The library's codebook as the themes view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CodebookData {
    pub codebook: Codebook,
    pub revision: i64,
    /// Per theme id, on how many passages of the library it is on.
    pub passages: HashMap<String, usize>,
}

/// The answers to [`CodebookRequest`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum CodebookResponse {
    Codebook(Box<CodebookData>),
    /// An edit was saved: what it did (one line), and the codebook now.
    Edited {
        message: String,
        data: Box<CodebookData>,
    },
    /// A re-tag has done `done` of `total` documents of a phase.
    Retagging(Retagging),
    /// A re-tag ended, having re-tagged this many documents, or was cancelled (then it saved
    /// nothing).
    Retagged {
        documents: usize,
        cancelled: bool,
    },
    Uncovered {
        doc: Option<DocId>,
        terms: Vec<UncoveredTerm>,
    },
}

/// How far a re-tag is, for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retagging {
    /// Reading the documents' passages (else scoring them).
    pub reading: bool,
    pub done: usize,
    pub total: usize,
}

impl std::fmt::Display for Retagging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.total, self.reading) {
            (0, _) => f.write_str("re-tagging…"),
            (total, true) => write!(f, "re-tagging: reading {}/{total}", self.done),
            (total, false) => write!(f, "re-tagging {}/{total}", self.done),
        }
    }
}

/// Answers one request with the store, passing each answer to `emit`.
pub fn answer(store: &mut Store, request: CodebookRequest, emit: &mut dyn FnMut(Response)) {
    let answer = |r: CodebookResponse| Response::Codebook(r);
    match request {
        CodebookRequest::Read => emit(match read(store) {
            Ok(data) => answer(CodebookResponse::Codebook(Box::new(data))),
            Err(e) => Response::Failed(format!("reading the codebook: {e}")),
        }),
        CodebookRequest::Edit(edit) => {
            let edited = store
                .apply_codebook_edit(&edit)
                .and_then(|(message, _)| Ok((message, read(store)?)));
            emit(match edited {
                Ok((message, data)) => answer(CodebookResponse::Edited {
                    message,
                    data: Box::new(data),
                }),
                Err(e) => Response::Failed(format!("editing the codebook: {e}")),
            })
        }
        CodebookRequest::Retag(cancel) => {
            let mut progress = RetagProgress {
                emit,
                last: None,
                cancel,
            };
            let done = tagging::refresh(store, false, &mut progress);
            emit(match done {
                Ok(library) => answer(CodebookResponse::Retagged {
                    documents: library.retagged.len(),
                    cancelled: false,
                }),
                Err(TaggingError::Cancelled) => answer(CodebookResponse::Retagged {
                    documents: 0,
                    cancelled: true,
                }),
                Err(e) => Response::Failed(format!("re-tagging the library: {e}")),
            })
        }
        CodebookRequest::Uncovered { doc } => {
            emit(match tagging::uncovered(store, doc, UNCOVERED_LIMIT) {
                Ok(terms) => answer(CodebookResponse::Uncovered { doc, terms }),
                Err(e) => Response::Failed(format!("finding uncovered terms: {e}")),
            })
        }
    }
}

fn read(store: &Store) -> Result<CodebookData, StoreError> {
    let (codebook, revision) = store.codebook()?;
    Ok(CodebookData {
        codebook,
        revision,
        passages: store.theme_passage_counts()?,
    })
}

/// Reports a re-tag's progress, at most ten times a second (and its last step).
struct RetagProgress<'a> {
    emit: &'a mut dyn FnMut(Response),
    last: Option<Instant>,
    cancel: Cancel,
}

impl Progress for RetagProgress<'_> {
    fn cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    fn step(&mut self, phase: Phase, done: usize, total: usize, _doc: &crate::doc::DocumentMeta) {
        let recent = self
            .last
            .is_some_and(|t| t.elapsed() < Duration::from_millis(100));
        if recent && done < total {
            return;
        }
        self.last = Some(Instant::now());
        (self.emit)(Response::Codebook(CodebookResponse::Retagging(Retagging {
            reading: phase == Phase::Reading,
            done,
            total,
        })));
    }
}
