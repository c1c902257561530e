//! The background workers: a thread that owns the library ([`Store`]) and answers the
//! reader's requests over channels, so that the reader never waits on I/O (it owns the store,
//! so an in-memory library, the demo, works like a file), and a thread for searches in a
//! document, which need no library but can take a second in a 300 MB text.
//!
//! A document is answered twice when it is large: first an excerpt around the place the pane
//! opens at (read in milliseconds), then the whole document.

use super::app::MAX_PANES;
use super::document::{self, LoadedDocument, SharedText, shown_text};
use super::search;
use super::themes::{self, DocThemes};
use crate::doc::char_index::CharIndex;
use crate::doc::view::ViewOptions;
use crate::doc::{DocId, DocumentMeta, Span};
use crate::import::{self, ImportOptions, Observer, Outcome};
use crate::related::{self, Related};
use crate::search::Hit;
use crate::store::{SavedPane, Store};
use crate::tagging::merge::Decision;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Bytes of a file read for its preview: a dozen screens, read and cleaned in a few ms.
const PREVIEW_BYTES: usize = 64 * 1024;

/// Most related passages listed.
const RELATED: usize = 20;

/// Most hits a library search returns.
pub const MAX_HITS: usize = 2000;

/// What the reader asks of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    ListDocuments,
    /// Load a document for the pane with this id, to be shown at stored offset `goto` (else
    /// at its saved position).
    Load {
        pane: u64,
        id: DocId,
        goto: Option<usize>,
    },
    /// The stored text of the document in a pane, to show its noise in place.
    StoredText {
        pane: u64,
        id: DocId,
    },
    /// The themes of the document in a pane (tagging what is stale first).
    Themes {
        pane: u64,
        id: DocId,
    },
    /// Record a decision on a theme of passage `n` (0-based, at stored span `passage`) of
    /// document `id` (`None` clears it); answered with the document's themes.
    Decide {
        pane: u64,
        id: DocId,
        n: usize,
        passage: Span,
        theme: String,
        decision: Option<Decision>,
    },
    /// The passages of other documents most like passage `n` (0-based) of document `id`.
    Related {
        id: DocId,
        n: usize,
    },
    /// Find `query` in the text a pane shows (answered by the search thread).
    Find {
        pane: u64,
        query: String,
        text: SharedText,
        then: AfterFind,
    },
    /// Import files, then report the documents they became.
    Import(Vec<PathBuf>),
    /// Search every document.
    Grep(String),
    Remove(DocId),
    /// Export the library's notes in `format` to `path` (`:export`).
    Export {
        format: crate::export::Format,
        path: PathBuf,
    },
    /// The panes that were open last time.
    Session,
    /// Remember reading positions and the open panes.
    Save {
        positions: Vec<(DocId, usize)>,
        panes: Vec<SavedPane>,
    },
}

/// What the reader does with the matches of a search when they arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFind {
    /// Move to the first match at or after the cursor (a new search).
    Step,
    /// Mark the match at the cursor as the current one, if there is one (a reloaded text).
    Keep,
}

/// The worker's answers.
#[derive(Debug, Clone, PartialEq)]
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
    StoredText {
        pane: u64,
        id: DocId,
        text: String,
    },
    Themes {
        pane: u64,
        id: DocId,
        themes: Box<DocThemes>,
    },
    Related {
        id: DocId,
        n: usize,
        found: Vec<Related>,
    },
    /// The beginning of the file `slot` of an import (its place among the files imported),
    /// to show while it imports.
    Preview {
        slot: usize,
        doc: Box<LoadedDocument>,
    },
    /// How an import is going, for the status line.
    Progress(String),
    /// The imported (or already present) documents with their slots, and one line per
    /// failure.
    Imported {
        ids: Vec<(usize, DocId)>,
        failures: Vec<String>,
    },
    Found {
        pane: u64,
        query: String,
        text: SharedText,
        then: AfterFind,
        matches: Vec<Span>,
    },
    GrepDone {
        query: String,
        hits: Vec<Hit>,
    },
    Removed(DocId),
    /// An export was written; the message says what and where.
    Exported(String),
    Session(Vec<SavedPane>),
    /// A request failed; the message says which and why.
    Failed(String),
}

/// Answers one request with the store, passing each answer to `emit` as soon as it is ready.
pub fn handle(
    store: &mut Store,
    options: &ViewOptions,
    request: Request,
    emit: &mut dyn FnMut(Response),
) {
    let failed = |what: &str, e: &dyn std::fmt::Display| Response::Failed(format!("{what}: {e}"));
    match request {
        Request::ListDocuments => emit(match store.list_documents() {
            Ok(docs) => Response::Documents(docs),
            Err(e) => failed("listing the library", &e),
        }),
        Request::Load { pane, id, goto } => load(store, options, pane, id, goto, emit),
        Request::Find { .. } => emit(find(request)),
        Request::StoredText { pane, id } => emit(match store.text(id) {
            Ok(text) => Response::StoredText { pane, id, text },
            Err(e) => failed("reading the stored text", &e),
        }),
        Request::Themes { pane, id } => emit(match themes::load(store, id) {
            Ok(themes) => Response::Themes {
                pane,
                id,
                themes: Box::new(themes),
            },
            Err(e) => failed("reading the themes", &e),
        }),
        Request::Decide {
            pane,
            id,
            n,
            passage,
            theme,
            decision,
        } => emit(
            match themes::decide(store, id, (n, passage), &theme, decision) {
                Ok(themes) => Response::Themes {
                    pane,
                    id,
                    themes: Box::new(themes),
                },
                Err(e) => failed("saving the decision", &e),
            },
        ),
        Request::Related { id, n } => {
            if !store.is_read_only()
                && let Err(e) = related::build(store, &mut |_, _| {})
            {
                return emit(failed("indexing the library for related passages", &e));
            }
            emit(match related::related(store, id, n + 1, RELATED) {
                Ok(found) => Response::Related { id, n, found },
                Err(e) => failed("finding related passages", &e),
            })
        }
        Request::Import(paths) => {
            let (sources, missing) = import::collect(&paths);
            let import_options = ImportOptions::default();
            let mut failures: Vec<String> = missing.iter().map(ToString::to_string).collect();
            let mut ids = Vec::new();
            let mut progress = ImportProgress::new(&sources, emit);
            match import::run(store, &sources, &import_options, &mut progress) {
                Ok(outcomes) => {
                    for (slot, outcome) in outcomes.into_iter().enumerate() {
                        match outcome {
                            Outcome::Imported { id, .. } | Outcome::Existing { id, .. } => {
                                ids.push((slot, id))
                            }
                            Outcome::Failed(e) => failures.push(e.to_string()),
                        }
                    }
                }
                Err(e) => failures.push(format!("importing: {e}")),
            }
            emit(Response::Imported { ids, failures });
            handle(store, options, Request::ListDocuments, emit);
        }
        Request::Grep(query) => {
            // Documents not in the search index yet (imported with --defer-index, or by an
            // older pizhu) are indexed first; a read-only library has them scanned.
            if !store.is_read_only()
                && let Err(e) = crate::search::index_missing(store, &mut |_, _| {})
            {
                return emit(failed("indexing the library for search", &e));
            }
            emit(
                match crate::search::search_library(store, &query, Some(MAX_HITS)) {
                    Ok(hits) => Response::GrepDone { query, hits },
                    Err(e) => failed("searching the library", &e),
                },
            )
        }
        Request::Remove(id) => match store.remove_document(id) {
            Ok(_) => {
                emit(Response::Removed(id));
                handle(store, options, Request::ListDocuments, emit);
            }
            Err(e) => emit(failed("removing the document", &e)),
        },
        Request::Export { format, path } => emit(
            match crate::export::render(
                store,
                format,
                crate::annotations::AnnotationFilter::default(),
                &crate::export::Options::default(),
            )
            .and_then(|r| crate::export::write_file(&path, &r.bytes).map(|()| r.summary))
            {
                Ok(summary) => {
                    Response::Exported(format!("exported {summary} to {}", path.display()))
                }
                Err(e) => failed("exporting", &e),
            },
        ),
        Request::Session => emit(match store.saved_panes() {
            Ok(panes) => Response::Session(panes),
            Err(e) => failed("reading the saved panes", &e),
        }),
        Request::Save { positions, panes } => {
            if store.is_read_only() {
                return;
            }
            if let Err(e) = store
                .save_reading_positions(&positions)
                .and_then(|()| store.save_panes(&panes))
            {
                emit(failed("saving the reading positions", &e));
            }
        }
    }
}

/// Reports an import's progress as status lines, at most ten a second.
struct ImportProgress<'a> {
    emit: &'a mut dyn FnMut(Response),
    /// Label and size of each source.
    sources: Vec<(String, Option<u64>)>,
    current: usize,
    last: Option<Instant>,
}

impl<'a> ImportProgress<'a> {
    fn new(sources: &[import::Source], emit: &'a mut dyn FnMut(Response)) -> Self {
        let sources = sources
            .iter()
            .map(|source| {
                let size = match source {
                    import::Source::File(path) => std::fs::metadata(path).ok().map(|m| m.len()),
                    _ => None,
                };
                (source.label(), size)
            })
            .collect();
        ImportProgress {
            emit,
            sources,
            current: 0,
            last: None,
        }
    }
}

impl Observer for ImportProgress<'_> {
    fn read(&mut self, position: u64) {
        if self
            .last
            .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(Instant::now());
        let Some((label, size)) = self.sources.get(self.current) else {
            return;
        };
        let name = label.rsplit('/').next().unwrap_or(label);
        let of = match self.sources.len() {
            1 => String::new(),
            n => format!(" ({} of {n})", self.current + 1),
        };
        let percent = match size {
            Some(size) if *size > 0 => format!(" {}%", (position * 100 / size).min(100)),
            _ => String::new(),
        };
        (self.emit)(Response::Progress(format!(
            "importing {name}{of}{percent}…"
        )));
    }

    fn done(&mut self, _outcome: &Outcome) {
        self.current += 1;
    }
}

/// Answers a load: an excerpt first when the document is large, then the whole document. A
/// document imported before char indexes gets one, so its next opening is quick anywhere.
fn load(
    store: &mut Store,
    options: &ViewOptions,
    pane: u64,
    id: DocId,
    goto: Option<usize>,
    emit: &mut dyn FnMut(Response),
) {
    let failed = |e: crate::store::StoreError| Response::LoadFailed {
        pane,
        error: e.to_string(),
    };
    let around = match goto {
        Some(stored) => Ok(Some(stored)),
        None => store.reading_position(id),
    };
    let excerpt =
        around.and_then(|around| document::load_excerpt(store, id, around.unwrap_or(0), options));
    match excerpt {
        Ok(Some(doc)) => emit(Response::Loaded {
            pane,
            doc: Box::new(doc),
        }),
        Ok(None) => {}
        Err(e) => return emit(failed(e)),
    }
    match document::load(store, id, options) {
        Ok(doc) => emit(Response::Loaded {
            pane,
            doc: Box::new(doc),
        }),
        Err(e) => return emit(failed(e)),
    }
    if !store.is_read_only() && matches!(store.char_index(id), Ok(None)) {
        let indexed = store
            .text(id)
            .and_then(|text| store.save_char_index(id, &CharIndex::build(&text)));
        if let Err(e) = indexed {
            emit(Response::Failed(format!("indexing the document: {e}")));
        }
    }
}

/// Answers a [`Request::Find`] (anything else is answered with nothing found).
pub fn find(request: Request) -> Response {
    match request {
        Request::Find {
            pane,
            query,
            text,
            then,
        } => {
            let matches = search::matcher().find_all(shown_text(&text.reading, text.noise), &query);
            Response::Found {
                pane,
                query,
                text,
                then,
                matches,
            }
        }
        other => Response::Failed(format!("not a search: {other:?}")),
    }
}

/// Starts the worker thread; it answers on `answers` until `requests` is closed, then ends.
/// With `previews` (the thread reading the beginnings of the files to import), an import
/// waits for it first: the previews are what the reader shows at once, and they get the
/// machine before the import takes it.
pub fn spawn(
    mut store: Store,
    options: ViewOptions,
    mut previews: Option<JoinHandle<()>>,
    requests: Receiver<Request>,
    answers: impl Fn(Response) -> bool + Send + 'static,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("pizhu-worker".to_string())
        .spawn(move || {
            serve(&mut store, &options, requests, answers, |request| {
                if matches!(request, Request::Import(_))
                    && let Some(thread) = previews.take()
                {
                    // A preview thread that panicked only means no preview.
                    let _ = thread.join();
                }
            })
        })
}

/// Answers `requests` with `store` until they end or `answers` is refused; `before` sees each
/// request first.
fn serve(
    store: &mut Store,
    options: &ViewOptions,
    requests: Receiver<Request>,
    answers: impl Fn(Response) -> bool,
    mut before: impl FnMut(&Request),
) {
    let mut open = true;
    for request in requests {
        before(&request);
        handle(store, options, request, &mut |response| {
            open = open && answers(response);
        });
        if !open {
            return;
        }
    }
}

/// Starts a thread that reads the beginning of each file about to be imported (the first
/// [`MAX_PANES`], in the order the import takes them) and answers with a
/// [`Response::Preview`] for each, so the reader shows them while the import runs.
pub fn spawn_previews(
    paths: Vec<PathBuf>,
    options: ViewOptions,
    answers: impl Fn(Response) -> bool + Send + 'static,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("pizhu-preview".to_string())
        .spawn(move || {
            let (sources, _) = import::collect(&paths);
            let import_options = ImportOptions::default();
            for (slot, source) in sources.iter().enumerate().take(MAX_PANES) {
                if let Some(doc) = import::preview(source, PREVIEW_BYTES, &import_options) {
                    let doc = Box::new(document::preview(doc, &options));
                    if !answers(Response::Preview { slot, doc }) {
                        return;
                    }
                }
            }
        })
}

/// Starts the tagging thread: it opens its own connection to the library at `path` and
/// answers [`Request::Themes`], [`Request::Decide`] and [`Request::Related`] until `requests` is closed. It is not waited for when the
/// reader quits: a re-tag cut short leaves the library as it was (one transaction).
pub fn spawn_themes(
    path: PathBuf,
    options: ViewOptions,
    requests: Receiver<Request>,
    answers: impl Fn(Response) -> bool + Send + 'static,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("pizhu-tagging".to_string())
        .spawn(move || {
            let mut store = match Store::open(&path) {
                Ok(store) => store,
                Err(e) => {
                    answers(Response::Failed(format!("reading the themes: {e}")));
                    return;
                }
            };
            serve(&mut store, &options, requests, answers, |_| {})
        })
}

/// Starts the search thread; it answers [`Request::Find`]s on `answers` until `requests` is
/// closed. Of the searches waiting for one pane only the newest is run: the reader would drop
/// an older one's answer.
pub fn spawn_finder(
    requests: Receiver<Request>,
    answers: impl Fn(Response) -> bool + Send + 'static,
) -> std::io::Result<JoinHandle<()>> {
    let pane_of = |request: &Request| match request {
        Request::Find { pane, .. } => Some(*pane),
        _ => None,
    };
    std::thread::Builder::new()
        .name("pizhu-find".to_string())
        .spawn(move || {
            while let Ok(first) = requests.recv() {
                let mut waiting = vec![first];
                waiting.extend(requests.try_iter());
                for (i, request) in waiting.iter().enumerate() {
                    let newer = waiting[i + 1..]
                        .iter()
                        .any(|r| pane_of(r) == pane_of(request));
                    if !newer && !answers(find(request.clone())) {
                        return;
                    }
                }
            }
        })
}
