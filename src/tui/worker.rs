//! The background worker: a thread that owns the library ([`Store`]) and answers the reader's
//! requests over channels, so that the reader never waits on I/O. It owns the store, so an
//! in-memory library (the demo) works like a file.

use super::document::{self, LoadedDocument};
use super::search::{self, Hit};
use crate::doc::view::ViewOptions;
use crate::doc::{DocId, DocumentMeta};
use crate::import::{self, ImportOptions, Outcome, Silent};
use crate::store::{SavedPane, Store};
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;

/// Most hits a library search returns.
pub const MAX_HITS: usize = 2000;

/// What the reader asks of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    ListDocuments,
    /// Load a document for the pane with this id.
    Load {
        pane: u64,
        id: DocId,
    },
    /// Import files, then report the documents they became.
    Import(Vec<PathBuf>),
    /// Search every document.
    Grep(String),
    Remove(DocId),
    /// The panes that were open last time.
    Session,
    /// Remember reading positions and the open panes.
    Save {
        positions: Vec<(DocId, usize)>,
        panes: Vec<SavedPane>,
    },
}

/// The worker's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    Documents(Vec<DocumentMeta>),
    Loaded {
        pane: u64,
        doc: Box<LoadedDocument>,
    },
    LoadFailed {
        pane: u64,
        error: String,
    },
    /// The imported (or already present) documents, and one line per failure.
    Imported {
        ids: Vec<DocId>,
        failures: Vec<String>,
    },
    GrepDone {
        query: String,
        hits: Vec<Hit>,
    },
    Removed(DocId),
    Session(Vec<SavedPane>),
    /// A request failed; the message says which and why.
    Failed(String),
}

/// Answers one request with the store.
pub fn handle(store: &mut Store, options: &ViewOptions, request: Request) -> Vec<Response> {
    let failed = |what: &str, e: &dyn std::fmt::Display| Response::Failed(format!("{what}: {e}"));
    match request {
        Request::ListDocuments => vec![match store.list_documents() {
            Ok(docs) => Response::Documents(docs),
            Err(e) => failed("listing the library", &e),
        }],
        Request::Load { pane, id } => vec![match document::load(store, id, options) {
            Ok(doc) => Response::Loaded {
                pane,
                doc: Box::new(doc),
            },
            Err(e) => Response::LoadFailed {
                pane,
                error: e.to_string(),
            },
        }],
        Request::Import(paths) => {
            let (sources, missing) = import::collect(&paths);
            let mut failures: Vec<String> = missing.iter().map(ToString::to_string).collect();
            let mut ids = Vec::new();
            match import::run(store, &sources, &ImportOptions::default(), &mut Silent) {
                Ok(outcomes) => {
                    for outcome in outcomes {
                        match outcome {
                            Outcome::Imported { id, .. } | Outcome::Existing { id, .. } => {
                                ids.push(id)
                            }
                            Outcome::Failed(e) => failures.push(e.to_string()),
                        }
                    }
                }
                Err(e) => failures.push(format!("importing: {e}")),
            }
            let mut out = vec![Response::Imported { ids, failures }];
            out.extend(handle(store, options, Request::ListDocuments));
            out
        }
        Request::Grep(query) => {
            let mut hits = Vec::new();
            let docs = match store.list_documents() {
                Ok(docs) => docs,
                Err(e) => return vec![failed("searching the library", &e)],
            };
            for doc in docs {
                if hits.len() >= MAX_HITS {
                    break;
                }
                match store.text(doc.id) {
                    Ok(text) => hits.extend(search::hits(
                        search::matcher(),
                        doc.id,
                        &doc.title,
                        &text,
                        &query,
                        MAX_HITS - hits.len(),
                    )),
                    Err(e) => return vec![failed("searching the library", &e)],
                }
            }
            vec![Response::GrepDone { query, hits }]
        }
        Request::Remove(id) => match store.remove_document(id) {
            Ok(_) => {
                let mut out = vec![Response::Removed(id)];
                out.extend(handle(store, options, Request::ListDocuments));
                out
            }
            Err(e) => vec![failed("removing the document", &e)],
        },
        Request::Session => vec![match store.saved_panes() {
            Ok(panes) => Response::Session(panes),
            Err(e) => failed("reading the saved panes", &e),
        }],
        Request::Save { positions, panes } => {
            if store.is_read_only() {
                return Vec::new();
            }
            match store
                .save_reading_positions(&positions)
                .and_then(|()| store.save_panes(&panes))
            {
                Ok(()) => Vec::new(),
                Err(e) => vec![failed("saving the reading positions", &e)],
            }
        }
    }
}

/// Starts the worker thread; it answers on `answers` until `requests` is closed, then ends.
pub fn spawn(
    mut store: Store,
    options: ViewOptions,
    requests: Receiver<Request>,
    answers: impl Fn(Response) -> bool + Send + 'static,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("pizhu-worker".to_string())
        .spawn(move || {
            for request in requests {
                for response in handle(&mut store, &options, request) {
                    if !answers(response) {
                        return;
                    }
                }
            }
        })
}
