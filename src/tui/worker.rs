//! The background workers: a thread that owns the library ([`Store`]) and answers the
//! reader's requests over channels, so that the reader never waits on I/O (it owns the store,
//! so an in-memory library, the demo, works like a file), and a thread for searches in a
//! document, which need no library but can take a second in a 300 MB text.
//!
//! A document is answered twice when it is large: first an excerpt around the place the pane
//! opens at (read in milliseconds), then the whole document.

use super::action::Action;
use super::annotations::{self, AnnotationsRequest, AnnotationsResponse};
use super::app::{App, MAX_PANES};
use super::codebook::{self, CodebookRequest, CodebookResponse};
use super::compare::{self, CompareData, MatrixData};
use super::document::{self, LoadedDocument, SharedText, shown_text};
use super::export::{self, ExportAnswer, ExportJob};
use super::path_input::{self, Completion};
use super::search;
use super::themes::{self, DocThemes};
use crate::annotations::{Annotation, AnnotationEdit, AnnotationId, NewAnnotation};
use crate::cancel::Cancel;
use crate::doc::char_index::CharIndex;
use crate::doc::view::ViewOptions;
use crate::doc::{DocId, DocumentMeta, Span};
use crate::import::{self, ImportOptions, Observer, Outcome};
use crate::related::{self, Related};
use crate::search::Hit;
use crate::store::{Change, FileMoved, NewDocument, SavedPane, Store};
use crate::tagging::merge::Decision;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Bytes of a file read for its preview: a dozen screens, read and cleaned in a few ms.
const PREVIEW_BYTES: usize = 64 * 1024;

/// How often the worker looks for changes other connections made to the library.
const WATCH: Duration = Duration::from_millis(1000);

/// Most related passages listed.
const RELATED: usize = 20;

/// Most hits a library search returns.
pub const MAX_HITS: usize = 2000;

/// What the reader asks of the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    ListDocuments,
    /// Load a document for the pane with this id, to be shown at stored offset `goto` (else
    /// at its saved position). Once `stop` is set (the reader has quit) the load stops where
    /// it is, answering nothing more: a large document's whole view takes seconds.
    Load {
        pane: u64,
        id: DocId,
        goto: Option<usize>,
        stop: Cancel,
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
    /// The documents × themes matrix (tagging what is stale first).
    Matrix,
    /// The passages of `theme` in every document (tagging what is stale first).
    Compare {
        theme: String,
    },
    /// The annotations of document `id`.
    Annotations {
        id: DocId,
    },
    /// Make an annotation; answered with it.
    Annotate(NewAnnotation),
    /// Change an annotation's note, colour or tags; answered with it as it is now.
    EditAnnotation {
        id: AnnotationId,
        edit: AnnotationEdit,
    },
    DeleteAnnotation(AnnotationId),
    /// Move an annotation to a stored span of its document (placed there); answered with it.
    MoveAnnotation {
        id: AnnotationId,
        span: Span,
    },
    /// A consistent copy of the library (`:backup [PATH]`).
    Backup(Option<PathBuf>),
    /// Undo (or with `redo`, redo) the last change to annotations and theme decisions.
    Undo {
        redo: bool,
    },
    /// Find `query` in the text a pane shows (answered by the search thread).
    Find {
        pane: u64,
        query: String,
        text: SharedText,
        then: AfterFind,
    },
    /// Import files, then report the documents they became.
    /// `Cancel` stops it (Esc in the reader): the documents stored stay, the rest are not
    /// imported.
    Import(Vec<PathBuf>, Cancel),
    /// Import the demo texts, then report the documents they became.
    ImportDemo(Cancel),
    /// Complete the typed path (Tab in the import prompt).
    Complete(String),
    /// Search every document.
    Grep(String),
    Remove(DocId),
    /// Export notes (the export dialog, `:export`).
    Export(Box<ExportJob>),
    /// The panes that were open last time.
    Session,
    /// The themes view's codebook, edits, re-tagging and uncovered terms.
    Codebook(CodebookRequest),
    /// The annotations view's list, review text and settling.
    AnnotationList(AnnotationsRequest),
    /// Remember reading positions and the open panes.
    Save {
        positions: Vec<(DocId, usize)>,
        /// `None`: leave the saved panes as they are.
        panes: Option<Vec<SavedPane>>,
    },
}

/// What was done to an annotation the worker saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Made, or changed in its colour, note or tags.
    Written,
    /// Moved to another span.
    Moved,
    Deleted,
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
    /// A typed path completed.
    Completed {
        typed: String,
        completion: Completion,
    },
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
        stored: document::Stored,
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
    Matrix(Box<MatrixData>),
    Compare(Box<CompareData>),
    /// A document's annotations (when it is loaded, and when another connection changed the
    /// library).
    Annotations {
        id: DocId,
        annotations: Vec<Annotation>,
    },
    /// An annotation was saved: the panes take it as it is now (or drop it, deleted).
    AnnotationSaved {
        annotation: Box<Annotation>,
        saved: Saved,
    },
    /// What undo (or redo) did (the change as it was made, with the annotation before and
    /// after); `None`: nothing to undo.
    Undone {
        redo: bool,
        change: Option<Box<Change>>,
    },
    /// The beginning of the file `slot` of an import (its place among the files imported),
    /// to show while it imports: first as read, then cleaned (the second replaces the first).
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
        /// The import was cancelled: `ids` are the documents stored before it stopped.
        cancelled: bool,
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
    /// Something the user asked for is done (an export, a backup); the message says what and
    /// where.
    Done(String),
    /// What became of an export.
    Export(ExportAnswer),
    Session(Vec<SavedPane>),
    Codebook(CodebookResponse),
    /// Another connection changed the library: what is shown may be out of date.
    LibraryChanged,
    AnnotationList(AnnotationsResponse),
    /// A request failed; the message says which and why.
    Failed(String),
}

/// Answers `app`'s requests on this thread, one after the other, until it asks nothing more:
/// the reader without its worker thread, for tests and the README's screenshots (no answer
/// comes late, so what follows a key is on the next screen drawn).
pub fn answer_inline(app: &mut App, store: &mut Store) {
    loop {
        let requests: Vec<Request> = app.requests.drain(..).collect();
        if requests.is_empty() {
            return;
        }
        for request in requests {
            let mut responses = Vec::new();
            handle(store, &ViewOptions::default(), request, &mut |r| {
                responses.push(r)
            });
            for response in responses {
                app.update(Action::Worker(response));
            }
        }
    }
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
        Request::Load {
            pane,
            id,
            goto,
            stop,
        } => load(store, options, pane, id, goto, &stop, emit),
        Request::Find { .. } => emit(find(request)),
        Request::StoredText { pane, id } => emit(match document::read_stored(store, id) {
            Ok(stored) => Response::StoredText { pane, id, stored },
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
        Request::Matrix => emit(match compare::load_matrix(store) {
            Ok(data) => Response::Matrix(Box::new(data)),
            Err(e) => failed("computing the matrix", &e),
        }),
        Request::Compare { theme } => emit(match compare::load_compare(store, &theme, options) {
            Ok(data) => Response::Compare(Box::new(data)),
            Err(e) => failed("reading the theme's passages", &e),
        }),
        Request::Annotations { id } => emit(annotations_of(store, id)),
        Request::Backup(path) => emit(match store.backup(path.as_deref()) {
            Ok(path) => Response::Done(format!("backed up the library to {}", path.display())),
            Err(e) => failed("backing up", &e),
        }),
        Request::Annotate(new) => emit(saved(
            store.create_annotation(&new),
            Saved::Written,
            "saving the annotation",
        )),
        Request::EditAnnotation { id, edit } => emit(saved(
            store.edit_annotation(id, &edit),
            Saved::Written,
            "saving the annotation",
        )),
        Request::MoveAnnotation { id, span } => emit(saved(
            store.move_annotation(id, span),
            Saved::Moved,
            "moving the annotation",
        )),
        Request::DeleteAnnotation(id) => emit(saved(
            store.delete_annotation(id),
            Saved::Deleted,
            "deleting the annotation",
        )),
        Request::Undo { redo } => {
            let done = if redo { store.redo() } else { store.undo() };
            emit(match done {
                Ok(change) => Response::Undone {
                    redo,
                    change: change.map(Box::new),
                },
                Err(e) => failed(if redo { "redoing" } else { "undoing" }, &e),
            })
        }
        Request::Import(paths, cancel) => {
            let (sources, missing) = import::collect(&paths);
            let failures = missing.iter().map(ToString::to_string).collect();
            import_sources(store, options, &sources, failures, cancel, emit);
        }
        Request::ImportDemo(cancel) => {
            let demo = crate::demo::sources();
            import_sources(store, options, &demo, Vec::new(), cancel, emit);
        }
        Request::Complete(typed) => {
            let completion = path_input::complete(&typed);
            emit(Response::Completed { typed, completion });
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
        Request::Codebook(request) => codebook::answer(store, request, emit),
        Request::AnnotationList(request) => annotations::answer(store, request, emit),
        Request::Export(job) => emit(Response::Export(export::run(store, *job))),
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
                .and_then(|()| panes.map_or(Ok(()), |panes| store.save_panes(&panes)))
            {
                emit(failed("saving the reading positions", &e));
            }
        }
    }
}

/// An annotation the store saved as an answer, or why it could not.
fn saved(
    result: Result<Annotation, crate::store::StoreError>,
    saved: Saved,
    what: &str,
) -> Response {
    match result {
        Ok(a) => Response::AnnotationSaved {
            annotation: Box::new(a),
            saved,
        },
        Err(e) => Response::Failed(format!("{what}: {e}")),
    }
}

/// Document `id`'s annotations as an answer.
fn annotations_of(store: &Store, id: DocId) -> Response {
    match store.document_annotations(id) {
        Ok(annotations) => Response::Annotations { id, annotations },
        Err(e) => Response::Failed(format!("reading the annotations: {e}")),
    }
}

/// Imports `sources` with progress (until `cancel` stops it), then reports the documents they became (and what failed:
/// `failures` so far, and the rest) and lists the library again.
fn import_sources(
    store: &mut Store,
    options: &ViewOptions,
    sources: &[import::Source],
    mut failures: Vec<String>,
    cancel: Cancel,
    emit: &mut dyn FnMut(Response),
) {
    let import_options = ImportOptions {
        cancel,
        ..ImportOptions::default()
    };
    let mut ids = Vec::new();
    let mut progress = ImportProgress::new(sources, emit);
    match import::run(store, sources, &import_options, &mut progress) {
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
    emit(Response::Imported {
        ids,
        failures,
        cancelled: import_options.cancel.is_cancelled(),
    });
    handle(store, options, Request::ListDocuments, emit);
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
            "importing {name}{of}{percent}… (Esc cancels)"
        )));
    }

    fn done(&mut self, _outcome: &Outcome) {
        self.current += 1;
    }
}

/// Answers a load: excerpts first when the document is large (a small one for the first
/// frame, then a larger one), then the whole document. A document imported before char
/// indexes gets one, so its next opening is quick anywhere. Once `stop` is set, nothing more
/// is read or answered.
fn load(
    store: &mut Store,
    options: &ViewOptions,
    pane: u64,
    id: DocId,
    goto: Option<usize>,
    stop: &Cancel,
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
    let around = match around {
        Ok(around) => around.unwrap_or(0),
        Err(e) => return emit(failed(e)),
    };
    for max_bytes in document::EXCERPT_BYTES {
        if stop.is_cancelled() {
            return;
        }
        match document::load_excerpt(store, id, around, max_bytes, options) {
            Ok(Some(doc)) => emit(Response::Loaded {
                pane,
                doc: Box::new(doc),
            }),
            Ok(None) => break,
            Err(e) => return emit(failed(e)),
        }
    }
    match document::load(store, id, options, stop) {
        Ok(Some(doc)) => emit(Response::Loaded {
            pane,
            doc: Box::new(doc),
        }),
        Ok(None) => return,
        Err(e) => return emit(failed(e)),
    }
    if !store.is_read_only() && !stop.is_cancelled() && matches!(store.char_index(id), Ok(None)) {
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
            serve(&mut store, &options, requests, answers, true, |request| {
                if matches!(request, Request::Import(..))
                    && let Some(thread) = previews.take()
                {
                    // A preview thread that panicked only means no preview.
                    let _ = thread.join();
                }
            })
        })
}

/// Answers `requests` with `store` until they end or `answers` is refused; `before` sees each
/// request first. With `watch`, while no request comes the library is looked at every
/// [`WATCH`]: a change another connection committed (another pizhu, the command line, the
/// tagging thread) is answered with [`Response::LibraryChanged`].
fn serve(
    store: &mut Store,
    options: &ViewOptions,
    requests: Receiver<Request>,
    answers: impl Fn(Response) -> bool,
    watch: bool,
    mut before: impl FnMut(&Request),
) {
    let mut open = true;
    let mut version = store.data_version().ok();
    let mut moved = None;
    loop {
        let request = match requests.recv_timeout(WATCH) {
            Ok(request) => request,
            Err(RecvTimeoutError::Timeout) => {
                let now = store.data_version().ok();
                if watch && now != version {
                    version = now;
                    open = answers(Response::LibraryChanged);
                }
                let now_moved = if watch { store.file_moved() } else { None };
                if let Some(what) = now_moved.filter(|_| moved != now_moved) {
                    open = open && answers(Response::Failed(moved_message(store, what)));
                }
                moved = now_moved;
                if !open {
                    return;
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        before(&request);
        handle(store, options, request, &mut |response| {
            open = open && answers(response);
        });
        // What this connection wrote is no change from elsewhere.
        version = store.data_version().ok();
        if !open {
            return;
        }
    }
}

/// What the status line says when the library file was deleted or replaced under the reader.
fn moved_message(store: &Store, what: FileMoved) -> String {
    let what = match what {
        FileMoved::Deleted => "was deleted",
        FileMoved::Replaced => "was replaced by another file",
    };
    format!(
        "{}: the library file {what} while the reader ran; changes made now are lost at quitting — quit (q) and start pizhu again",
        store.display_name()
    )
}

/// Starts a thread that reads the beginning of each file about to be imported (the first
/// [`MAX_PANES`], in the order the import takes them) and answers with a
/// [`Response::Preview`] for each, so the reader shows them while the import runs: first as
/// read ([`import::raw_preview`], a millisecond or two), then cleaned
/// ([`import::clean_preview`]), which replaces it. Cleaning first needs the cleaning rules
/// compiled, which takes longer than reading (~5 ms of two cores); the command line starts
/// compiling them in a second thread ([`crate::clean::prepare_in_background`]) as soon as it
/// knows files are to be imported.
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
            let raw: Vec<(usize, NewDocument)> = sources
                .iter()
                .take(MAX_PANES)
                .enumerate()
                .filter_map(|(slot, source)| {
                    import::raw_preview(source, PREVIEW_BYTES, &import_options)
                        .map(|doc| (slot, doc))
                })
                .collect();
            let send = |slot, doc| {
                let doc = Box::new(document::preview(doc, &options));
                answers(Response::Preview { slot, doc })
            };
            for (slot, doc) in &raw {
                if !send(*slot, doc.clone()) {
                    return;
                }
            }
            for (slot, doc) in raw {
                if !send(slot, import::clean_preview(doc)) {
                    return;
                }
            }
        })
}

/// Starts the tagging thread: it opens its own connection to the library at `path` and
/// answers [`Request::Themes`], [`Request::Decide`], [`Request::Related`], [`Request::Matrix`],
/// [`Request::Compare`], re-tags and lists uncovered terms until `requests` is closed. It is
/// not waited for when the reader quits: a re-tag cut short leaves the library as it was (one
/// transaction).
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
            serve(&mut store, &options, requests, answers, false, |_| {})
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    #[test]
    fn a_change_by_another_connection_is_reported_and_the_workers_own_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.db");
        let mut other = Store::open(&path).unwrap();
        let text = "第一段：科技创新。\n";
        let doc = other
            .insert_document(&crate::import::prepare_text(text.into(), "s".into(), "t"))
            .unwrap();
        let (requests, incoming) = channel();
        let (answers, responses) = channel();
        let worker = spawn(
            Store::open(&path).unwrap(),
            ViewOptions::default(),
            None,
            incoming,
            move |r| answers.send(r).is_ok(),
        )
        .unwrap();
        // The worker's own write is no news.
        requests
            .send(Request::Annotate(NewAnnotation {
                doc,
                span: Span::new(0, 3),
                color: crate::annotations::Color::Green,
                note: String::new(),
                tags: Vec::new(),
            }))
            .unwrap();
        let wait = |what: &dyn Fn(&Response) -> bool, seconds: f64| {
            let deadline = Instant::now() + Duration::from_secs_f64(seconds);
            while Instant::now() < deadline {
                if let Ok(r) = responses.recv_timeout(Duration::from_millis(100))
                    && what(&r)
                {
                    return true;
                }
            }
            false
        };
        assert!(wait(
            &|r| matches!(r, Response::AnnotationSaved { .. }),
            10.0
        ));
        // Two looks at the library go by.
        assert!(
            !wait(&|r| matches!(r, Response::LibraryChanged), 2.5),
            "no change reported for the worker's own write"
        );
        other
            .create_annotation(&NewAnnotation {
                doc,
                span: Span::new(3, 5),
                color: crate::annotations::Color::Pink,
                note: "另一个进程".into(),
                tags: Vec::new(),
            })
            .unwrap();
        assert!(wait(&|r| matches!(r, Response::LibraryChanged), 10.0));
        drop(requests);
        worker.join().unwrap();
    }
}
