//! The reader's state and [`App::update`], the only place it changes.
//!
//! `update` never does I/O: what needs the library becomes a [`Request`] in
//! [`App::requests`], which the runner hands to the worker; the worker's answers come back as
//! [`Action::Worker`]. The screen geometry comes from [`Action::Resize`], so moves that depend
//! on the pane size are computed here and drawing only reads the state.

use super::action::Action;
use super::annotations::AnnotationsView;
use super::codebook::{Ask, Retagging, ThemesView};
use super::compare::{CompareView, MatrixView};
use super::editor::NoteEditor;
use super::export::{ExportDialog, ExportJob, Row};
use super::keymap::{Context, Key, Keymap};
use super::pane::{Content, Pane, TextSize, Word};
use super::passage::PassageView;
use super::path_input::{Completion, home_expanded};
use super::related::RelatedView;
use super::tag_picker::TagPicker;
use super::themes::DocThemes;
use super::worker::{AfterFind, Request, Response};
use crate::cancel::Cancel;
use crate::count::count;
use crate::doc::{DocId, DocumentMeta};
use crate::search::Hit;
use crate::store::SavedPane;
use crate::text::segment;
use crate::text::width::WidthOptions;
use ratatui::layout::Rect;
use std::path::{Path, PathBuf};

/// At most this many panes side by side.
pub const MAX_PANES: usize = 4;

/// An import from inside the reader opens at most this many of its documents (two to read
/// side by side; the rest are in the library).
const IMPORT_OPENS: usize = 2;
/// Columns left of the text in each pane, for theme chips and note markers.
pub const GUTTER: u16 = 2;
/// Below this size the reader shows "terminal too small".
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;
/// Rows a mouse wheel step scrolls.
const WHEEL_ROWS: isize = 3;

/// How the reader starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// Restore the panes open last time (or show the library).
    Session,
    /// Import these files and open them side by side.
    Import(Vec<PathBuf>),
}

/// Where the library picker puts the document chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    FocusedPane,
    NewPane,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryView {
    pub selected: usize,
    pub filter: String,
    /// Keys go to the filter.
    pub editing: bool,
    pub target: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsView {
    pub query: String,
    /// `None` while the worker searches.
    pub hits: Option<Vec<Hit>>,
    pub selected: usize,
}

/// The main view.
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    Reader,
    Library(LibraryView),
    Results(ResultsView),
    /// A passage's theme list over the reader.
    Passage(PassageView),
    /// The note editor over the reader.
    Note(NoteEditor),
    /// The tag picker over the reader (the selection stays).
    Tags(TagPicker),
    Related(RelatedView),
    Matrix(MatrixView),
    Compare(CompareView),
    Themes(Box<ThemesView>),
    Annotations(Box<AnnotationsView>),
}

/// What the one-line prompt asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    Command,
    Search,
    Grep,
    ConfirmRemove {
        id: DocId,
        title: String,
    },
    /// A question of the themes view.
    Codebook(Ask),
    /// The export's file exists: overwrite it?
    ConfirmOverwrite(Box<ExportJob>),
    /// The path of a file or folder to import, and what Tab last offered (shown after it).
    Import {
        offered: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
}

/// A message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// How keys are read right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMode {
    /// Keys are text for the prompt or the filter.
    Text,
    /// Keys are looked up in this context's bindings.
    Keys(Context),
    /// Keys go to the note editor.
    Editor,
    /// Keys edit a one-line field with a cursor (the export dialog's file name).
    Field,
}

pub struct App {
    pub keymap: Keymap,
    pub size: (u16, u16),
    pub panes: Vec<Pane>,
    pub focus: usize,
    pub view: View,
    /// The help overlay and its scroll offset.
    pub help: Option<u16>,
    pub prompt: Option<Prompt>,
    /// The library's documents; `None` until the worker has listed them.
    pub documents: Option<Vec<DocumentMeta>>,
    pub sync: bool,
    /// The theme the reader follows (chosen in a theme list, the matrix or the compare view).
    pub theme: Option<String>,
    pub show_noise: bool,
    pub count: Option<usize>,
    /// The first keys of a key sequence being typed (`]` of `]t`).
    pub pending: Vec<Key>,
    pub status: Option<Status>,
    pub quit: bool,
    /// The first panes (last session's, or the files named) are still on their way.
    pub starting: bool,
    /// The long operation under way (an import, a re-tag), which `Esc` or `Ctrl-c` cancels.
    pub running: Option<Cancel>,
    /// Set when the reader quits: the loads it asked for stop (see [`Request::Load`]).
    quitting: Cancel,
    /// Requests for the worker, taken by the runner after each update.
    pub requests: Vec<Request>,
    /// How columns are counted in the panes (from the config).
    pub width_opts: WidthOptions,
    /// Text to put on the system clipboard (OSC 52), taken by the runner after the next frame.
    pub clipboard: Option<String>,
    /// The cell of the last click, while nothing else has happened since (a second click there
    /// is a double click).
    pub(super) last_click: Option<(u16, u16)>,
    /// A note to open in the user's own editor (`Ctrl-e`), taken by the runner.
    pub external_note: Option<String>,
    /// How far the background re-tag after a codebook edit is.
    pub retagging: Option<Retagging>,
    /// The export dialog, over whatever view is open.
    pub export: Option<ExportDialog>,
    next_pane: u64,
}

impl App {
    pub fn new(keymap: Keymap, start: Start, size: (u16, u16)) -> App {
        let mut requests = vec![Request::ListDocuments];
        // While the worker imports, say so: a big file takes seconds.
        let waiting = match &start {
            Start::Session => "loading…".to_string(),
            Start::Import(paths) => match paths.as_slice() {
                [one] => format!("importing {}…", one.display()),
                many => format!("importing {} files…", many.len()),
            },
        };
        let running = matches!(start, Start::Import(_)).then(Cancel::new);
        requests.push(match (start, &running) {
            (Start::Import(paths), Some(cancel)) => Request::Import(paths, cancel.clone()),
            _ => Request::Session,
        });
        App {
            keymap,
            size,
            panes: Vec::new(),
            focus: 0,
            view: View::Reader,
            help: None,
            prompt: None,
            documents: None,
            sync: false,
            theme: None,
            show_noise: false,
            count: None,
            pending: Vec::new(),
            status: Some(Status {
                text: waiting,
                error: false,
            }),
            quit: false,
            starting: true,
            running,
            quitting: Cancel::new(),
            requests,
            width_opts: WidthOptions::default(),
            clipboard: None,
            last_click: None,
            external_note: None,
            retagging: None,
            export: None,
            next_pane: 1,
        }
    }

    /// Whether the terminal is big enough to draw the reader.
    pub fn fits(&self) -> bool {
        self.size.0 >= MIN_WIDTH && self.size.1 >= MIN_HEIGHT
    }

    /// The area of the views: everything but the status line.
    pub fn main_area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1.saturating_sub(1))
    }

    /// The panes' areas, left to right, with one column between them.
    pub fn pane_areas(&self) -> Vec<Rect> {
        pane_areas(self.main_area(), self.panes.len())
    }

    /// Puts a document's themes on pane `i`, keeping its filtered view's place.
    fn give_themes(&mut self, i: usize, themes: Box<DocThemes>) {
        let size = self.text_size(i);
        self.panes[i].set_themes(themes);
        if self.panes[i].filter.is_some() {
            self.panes[i].reveal(size, false);
        }
    }

    /// The text size of pane `index`.
    pub fn text_size(&self, index: usize) -> TextSize {
        let area = self.pane_areas().get(index).copied().unwrap_or_default();
        text_size(area)
    }

    pub fn input_mode(&self) -> InputMode {
        if self.prompt.is_some() {
            return InputMode::Text;
        }
        if self.help.is_some() {
            return InputMode::Keys(Context::Help);
        }
        if let Some(dialog) = &self.export {
            return match dialog.row {
                Row::Path if !dialog.busy => InputMode::Field,
                _ => InputMode::Keys(Context::Export),
            };
        }
        match &self.view {
            View::Reader if self.selecting() => InputMode::Keys(Context::Visual),
            View::Reader => InputMode::Keys(Context::Reader),
            View::Note(_) => InputMode::Editor,
            View::Tags(_) => InputMode::Text,
            View::Library(lib) if lib.editing => InputMode::Text,
            View::Library(_) => InputMode::Keys(Context::Library),
            View::Results(_) => InputMode::Keys(Context::Results),
            View::Passage(p) if p.adding.is_some() => InputMode::Text,
            View::Passage(_) => InputMode::Keys(Context::Passage),
            View::Related(_) => InputMode::Keys(Context::Related),
            View::Matrix(_) => InputMode::Keys(Context::Matrix),
            View::Compare(_) => InputMode::Keys(Context::Compare),
            View::Themes(_) => InputMode::Keys(Context::Themes),
            View::Annotations(a) if a.editing => InputMode::Text,
            View::Annotations(_) => InputMode::Keys(Context::Annotations),
        }
    }

    /// Whether the focused pane has a selection (visual mode).
    pub fn selecting(&self) -> bool {
        self.panes
            .get(self.focus)
            .is_some_and(|p| p.selection.is_some())
    }

    /// The library's documents that pass the library view's filter.
    pub fn filtered_documents(&self) -> Vec<&DocumentMeta> {
        let filter = match &self.view {
            View::Library(lib) => lib.filter.to_lowercase(),
            _ => String::new(),
        };
        self.documents
            .iter()
            .flatten()
            .filter(|d| {
                filter.is_empty()
                    || d.title.to_lowercase().contains(&filter)
                    || d.id.to_string() == filter
            })
            .collect()
    }

    /// Changes the state by `action`.
    pub fn update(&mut self, action: Action) {
        let user = !matches!(
            action,
            Action::Worker(_) | Action::Resize(..) | Action::Count(_) | Action::Pending(_)
        );
        let click = matches!(action, Action::Click { .. });
        if user {
            self.status = None;
        }
        // Esc (or Ctrl-c, see `event`) while an import or a re-tag runs cancels it (again: as
        // usual).
        if action == Action::Back
            && self.prompt.is_none()
            && let Some(running) = self.running.as_ref().filter(|c| !c.is_cancelled())
        {
            running.cancel();
            return self.set_status("cancelling…", false);
        }
        match action {
            Action::Worker(response) => self.worker(response),
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.reveal_all();
            }
            Action::Pending(keys) => self.pending = keys,
            Action::Count(digit) => {
                let count = self.count.unwrap_or(0);
                self.count = Some(count.saturating_mul(10).saturating_add(usize::from(digit)));
            }
            action if self.prompt.is_some() => self.prompt_action(action),
            action if self.help.is_some() => self.help_action(action),
            Action::Quit => self.quit(),
            Action::Help => self.help = Some(0),
            action if self.export.is_some() => self.export_action(action),
            action => match self.view.clone() {
                View::Reader if self.selecting() => self.visual_action(action),
                View::Reader => self.reader_action(action),
                View::Note(editor) => match action {
                    Action::Edit(key) => self.editor_key(key, editor),
                    Action::NoteEdited(result) => self.note_edited(result),
                    _ => {}
                },
                View::Tags(picker) => self.tag_picker_action(action, picker),
                View::Library(lib) => self.library_action(action, lib),
                View::Results(results) => self.results_action(action, results),
                View::Passage(view) => self.passage_action(action, view),
                View::Related(view) => self.related_action(action, view),
                View::Matrix(matrix) => self.matrix_action(action, matrix),
                View::Compare(compare) => self.compare_action(action, compare),
                View::Themes(themes) => self.themes_action(action, *themes),
                View::Annotations(view) => self.annotations_action(action, *view),
            },
        }
        if user {
            self.count = None;
            self.pending.clear();
            if !click {
                self.last_click = None;
            }
        }
    }

    fn help_action(&mut self, action: Action) {
        let scroll = self.help.unwrap_or(0);
        self.help = match action {
            Action::Down => Some(scroll.saturating_add(1)),
            Action::Up => Some(scroll.saturating_sub(1)),
            Action::Back | Action::Help => None,
            Action::Quit => {
                self.quit();
                None
            }
            _ => Some(scroll),
        };
    }

    pub(super) fn set_status(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
        });
    }

    pub(super) fn quit(&mut self) {
        self.quitting.cancel();
        self.save();
        self.quit = true;
    }

    /// Asks the worker to remember every pane's reading position and the open panes (not
    /// previews of files still being imported: the library does not have them yet; while
    /// every pane is such a preview, the panes saved before stay, so quitting during
    /// `pizhu FILE` does not forget the last session).
    pub(super) fn save(&mut self) {
        let positions = self
            .panes
            .iter()
            .filter(|p| p.preview_slot.is_none())
            .filter_map(|p| p.document().map(|d| (d.meta.id, d.to_stored(p.cursor))))
            .collect();
        let panes = self
            .panes
            .iter()
            .enumerate()
            .filter(|(_, p)| p.preview_slot.is_none())
            .map(|(i, p)| SavedPane {
                doc_id: p.doc_id(),
                focused: i == self.focus,
            })
            .collect::<Vec<_>>();
        let only_previews = panes.is_empty() && !self.panes.is_empty();
        let panes = (!only_previews).then_some(panes);
        self.requests.push(Request::Save { positions, panes });
    }

    pub(super) fn reveal_all(&mut self) {
        for i in 0..self.panes.len() {
            let size = self.text_size(i);
            self.panes[i].reveal(size, false);
        }
    }

    /// A pane for document `id`, with the next pane id.
    pub(super) fn new_pane(&mut self, id: DocId) -> Pane {
        let mut pane = Pane::new(self.next_pane, id);
        pane.width_opts = self.width_opts;
        self.next_pane += 1;
        pane
    }

    /// Opens document `id` in a new pane (when there is room), focused.
    pub(super) fn open_pane(&mut self, id: DocId, goto: Option<usize>, query: Option<String>) {
        if self.panes.len() >= MAX_PANES {
            self.set_status(format!("at most {MAX_PANES} panes side by side"), true);
            return;
        }
        let mut pane = self.new_pane(id);
        pane.goto = goto;
        pane.query = query;
        self.requests.push(Request::Load {
            pane: pane.id,
            id,
            goto,
            stop: self.quitting.clone(),
        });
        self.panes.push(pane);
        self.focus = self.panes.len() - 1;
        self.reveal_all();
    }

    /// Shows document `id` in the focused pane (a new one if there is none).
    pub(super) fn open_here(&mut self, id: DocId, goto: Option<usize>, query: Option<String>) {
        self.view = View::Reader;
        let Some(focus) = self.panes.get(self.focus).map(|_| self.focus) else {
            self.open_pane(id, goto, query);
            return;
        };
        let size = self.text_size(focus);
        let pane = &mut self.panes[focus];
        if pane.doc_id() == id && pane.document().is_some() {
            if let Some(stored) = goto {
                let offset = pane.document().map_or(stored, |d| d.to_view(stored));
                pane.jump(offset, size);
            }
            if query.is_some() && query != pane.query {
                pane.query = query;
                pane.matches.clear();
                self.find(focus, AfterFind::Keep);
            } else {
                let cursor = pane.cursor;
                pane.current_match = pane.matches.iter().position(|m| m.start == cursor);
            }
            return;
        }
        self.save();
        let mut pane = self.new_pane(id);
        pane.goto = goto;
        pane.query = query;
        self.requests.push(Request::Load {
            pane: pane.id,
            id,
            goto,
            stop: self.quitting.clone(),
        });
        self.panes[focus] = pane;
    }

    fn close_pane(&mut self) {
        if self.panes.is_empty() {
            return;
        }
        self.save();
        self.panes.remove(self.focus);
        self.focus = self.focus.min(self.panes.len().saturating_sub(1));
        if self.panes.is_empty() {
            self.view = View::Library(LibraryView {
                selected: 0,
                filter: String::new(),
                editing: false,
                target: Target::FocusedPane,
            });
        }
        self.reveal_all();
    }

    fn open_library(&mut self, target: Target) {
        if target == Target::NewPane && self.panes.len() >= MAX_PANES {
            self.set_status(format!("at most {MAX_PANES} panes side by side"), true);
            return;
        }
        self.requests.push(Request::ListDocuments);
        self.view = View::Library(LibraryView {
            selected: 0,
            filter: String::new(),
            editing: false,
            target,
        });
    }

    fn worker(&mut self, response: Response) {
        match response {
            Response::Documents(docs) => {
                self.documents = Some(docs);
                if let View::Library(lib) = &mut self.view {
                    lib.selected = lib
                        .selected
                        .min(self.documents.iter().flatten().count().saturating_sub(1));
                }
                if self.status.as_ref().is_some_and(|s| s.text == "loading…") {
                    self.status = None;
                }
            }
            Response::Loaded { pane, doc } => {
                if let Some(i) = self.panes.iter().position(|p| p.id == pane) {
                    let size = self.text_size(i);
                    let (id, complete) = (doc.meta.id, doc.complete);
                    self.panes[i].loaded(doc, size);
                    self.pane_noise(i);
                    self.find(i, AfterFind::Keep);
                    if complete {
                        self.requests.push(Request::Themes { pane, id });
                        self.requests.push(Request::Annotations { id });
                    }
                }
            }
            Response::Themes { id, themes, .. } => {
                let showing: Vec<usize> = (0..self.panes.len())
                    .filter(|&i| self.panes[i].doc_id() == id)
                    .collect();
                // Each pane gets its own copy (decisions apply to it in place); the last takes
                // the answer's, a large document's themes being tens of MB.
                if let Some((&last, others)) = showing.split_last() {
                    for &i in others {
                        self.give_themes(i, themes.clone());
                    }
                    self.give_themes(last, themes);
                }
            }
            Response::Related { id, n, found } => self.related_found(id, n, found),
            Response::Found {
                pane,
                query,
                text,
                then,
                matches,
            } => {
                let Some(i) = self.panes.iter().position(|p| p.id == pane) else {
                    return;
                };
                let p = &mut self.panes[i];
                if p.query.as_ref() != Some(&query)
                    || !p.document().is_some_and(|d| d.is_shown(&text))
                {
                    return;
                }
                p.matches = matches;
                let cursor = p.cursor;
                p.current_match = p.matches.iter().position(|m| m.start == cursor);
                if then == AfterFind::Step && i == self.focus {
                    self.step_match(true, true);
                } else if then == AfterFind::Step && p.matches.is_empty() {
                    self.set_status(format!("not found: {query}"), true);
                }
            }
            Response::LoadFailed { pane, error } => {
                if let Some(p) = self.panes.iter_mut().find(|p| p.id == pane) {
                    p.content = Content::Failed {
                        id: p.doc_id(),
                        error: error.clone(),
                    };
                }
                self.set_status(error, true);
            }
            Response::StoredText { pane, id, stored } => {
                let Some(i) = self.panes.iter().position(|p| p.id == pane) else {
                    return;
                };
                if let Some(doc) = self.panes[i].document().filter(|d| d.meta.id == id) {
                    doc.set_stored(stored);
                    self.pane_noise(i);
                    self.find(i, AfterFind::Keep);
                }
            }
            Response::Preview { slot, doc } => {
                if !self.starting {
                    return;
                }
                // The cleaned preview replaces the one shown as read.
                let i = match self.panes.iter().position(|p| p.preview_slot == Some(slot)) {
                    Some(i) => i,
                    None => {
                        let mut pane = self.new_pane(0);
                        pane.preview_slot = Some(slot);
                        self.panes.push(pane);
                        self.focus = 0;
                        self.reveal_all();
                        self.panes.len() - 1
                    }
                };
                let size = self.text_size(i);
                self.panes[i].loaded(doc, size);
                self.pane_noise(i);
            }
            Response::Progress(text) => self.set_status(text, false),
            Response::Imported {
                ids,
                failures,
                cancelled,
            } => self.imported(&ids, &failures, cancelled),
            Response::GrepDone { query, hits } => {
                if let View::Results(results) = &mut self.view
                    && results.query == query
                {
                    results.hits = Some(hits);
                    results.selected = 0;
                }
            }
            Response::Removed(id) => {
                let title = self
                    .documents
                    .iter()
                    .flatten()
                    .find(|d| d.id == id)
                    .map(|d| d.title.clone())
                    .unwrap_or_default();
                self.panes.retain(|p| p.doc_id() != id);
                self.focus = self.focus.min(self.panes.len().saturating_sub(1));
                self.reveal_all();
                self.set_status(format!("removed #{id} {title}"), false);
            }
            Response::Session(saved) => {
                self.starting = false;
                for pane in saved.iter().take(MAX_PANES) {
                    self.open_pane(pane.doc_id, None, None);
                }
                self.focus = saved.iter().position(|p| p.focused).unwrap_or(0);
                self.focus = self.focus.min(self.panes.len().saturating_sub(1));
                if self.panes.is_empty() {
                    self.open_library(Target::FocusedPane);
                }
            }
            Response::Matrix(data) => self.matrix_loaded(*data),
            Response::Compare(data) => self.compare_loaded(*data),
            Response::Codebook(answer) => self.codebook_answer(answer),
            Response::Annotations { id, annotations } => self.annotations_loaded(id, annotations),
            Response::LibraryChanged => self.library_changed(),
            Response::AnnotationSaved { annotation, saved } => {
                self.annotation_saved(*annotation, saved)
            }
            Response::Undone { redo, change } => self.undone(redo, change.map(|c| *c)),
            Response::AnnotationList(answer) => self.annotations_answer(answer),
            Response::Done(message) => self.set_status(message, false),
            Response::Export(answer) => self.export_answer(answer),
            Response::Completed { typed, completion } => self.completed(&typed, completion),
            Response::Failed(message) => {
                self.leave_unanswered_view();
                self.set_status(message, true);
            }
        }
    }

    /// A view still waiting for its data when a request failed goes back to where it was
    /// opened from (the status line says why): it would wait for ever.
    fn leave_unanswered_view(&mut self) {
        let back = match &self.view {
            View::Compare(c) if c.data.is_none() => Some(
                c.matrix
                    .as_deref()
                    .map_or(View::Reader, |m| View::Matrix(m.clone())),
            ),
            View::Matrix(m) if m.data.is_none() => Some(View::Reader),
            View::Related(r) if r.found.is_none() => Some(View::Reader),
            View::Annotations(a) if a.data.is_none() => Some(View::Reader),
            _ => None,
        };
        if let Some(view) = back {
            self.view = view;
        }
    }

    fn prompt_action(&mut self, action: Action) {
        let Some(mut prompt) = self.prompt.take() else {
            return;
        };
        match action {
            Action::Input(c) => {
                if let PromptKind::ConfirmRemove { id, title } = &prompt.kind {
                    if c == 'y' || c == 'Y' {
                        self.requests.push(Request::Remove(*id));
                    } else {
                        self.set_status(format!("kept {title}"), false);
                    }
                    return;
                }
                if let PromptKind::Codebook(ask) = &prompt.kind
                    && ask.is_confirmation()
                {
                    return self.codebook_confirm(ask.clone(), c == 'y' || c == 'Y');
                }
                if let PromptKind::ConfirmOverwrite(job) = prompt.kind {
                    return self.export_overwrite(*job, c == 'y' || c == 'Y');
                }
                prompt.input.push(c);
            }
            Action::Complete if matches!(prompt.kind, PromptKind::Import { .. }) => {
                self.requests.push(Request::Complete(prompt.input.clone()));
            }
            Action::Backspace if prompt.input.is_empty() => return,
            Action::Backspace => {
                prompt.input.pop();
            }
            Action::Back => return,
            Action::Submit => {
                self.submit(prompt);
                return;
            }
            _ => {}
        }
        self.prompt = Some(prompt);
    }

    fn submit(&mut self, prompt: Prompt) {
        let input = prompt.input.trim().to_string();
        match prompt.kind {
            PromptKind::Search => self.search(&input),
            PromptKind::Grep => self.grep(input),
            PromptKind::Command => self.command(&input),
            PromptKind::ConfirmRemove { title, .. } => {
                self.set_status(format!("kept {title}"), false)
            }
            PromptKind::Codebook(ask) => self.codebook_submit(ask, input),
            PromptKind::ConfirmOverwrite(job) => self.export_overwrite(*job, false),
            PromptKind::Import { .. } if input.is_empty() => {}
            PromptKind::Import { .. } => {
                let path = home_expanded(Path::new(&input));
                self.import(
                    |cancel| Request::Import(vec![path], cancel),
                    format!("importing {input}…"),
                );
            }
        }
    }

    fn command(&mut self, input: &str) {
        let (name, arg) = match input.split_once(char::is_whitespace) {
            Some((name, arg)) => (name, arg.trim()),
            None => (input, ""),
        };
        if let Ok(n) = name.parse::<usize>() {
            self.reader_jump(|pane| pane.paragraph_offset(n));
            return;
        }
        if let Some(percent) = name.strip_suffix('%').and_then(|n| n.parse::<usize>().ok()) {
            self.reader_jump(|pane| pane.percent_offset(percent));
            return;
        }
        match name {
            "" => {}
            "q" | "q!" | "quit" | "qa" | "qall" | "wq" | "x" => self.quit(),
            "vs" | "vsp" | "vsplit" | "sp" | "split" => self.open_library(Target::NewPane),
            "clo" | "close" => self.close_pane(),
            "e" | "o" | "open" | "library" => self.open_library(Target::FocusedPane),
            "grep" | "g" if !arg.is_empty() => self.grep(arg.to_string()),
            "grep" | "g" => self.prompt(PromptKind::Grep),
            "h" | "help" => self.help = Some(0),
            "sync" => self.update_reader_flag(true),
            "backup" => self.requests.push(Request::Backup(
                (!arg.is_empty()).then(|| std::path::PathBuf::from(arg)),
            )),
            "theme" | "t" if arg.is_empty() => self.unfollow_theme(),
            "theme" | "t" => self.follow_named(arg),
            "noise" => self.update_reader_flag(false),
            "export" => self.export_command(arg),
            other => self.set_status(format!("unknown command: {other} (see ? for help)"), true),
        }
    }

    fn update_reader_flag(&mut self, sync: bool) {
        if sync {
            self.sync = !self.sync;
            let state = if self.sync { "on" } else { "off" };
            self.set_status(format!("synchronized scrolling {state}"), false);
            self.synchronize();
        } else {
            self.show_noise = !self.show_noise;
            let state = if self.show_noise {
                "shown dimmed"
            } else {
                "hidden"
            };
            for i in 0..self.panes.len() {
                self.pane_noise(i);
                self.find(i, AfterFind::Keep);
            }
            self.set_status(format!("folded noise {state}"), false);
        }
    }

    /// Sends an import to the worker; its progress shows on the status line and the
    /// documents it makes open in panes.
    fn import(&mut self, request: impl FnOnce(Cancel) -> Request, waiting: String) {
        let cancel = Cancel::new();
        self.running = Some(cancel.clone());
        self.set_status(waiting, false);
        self.requests.push(request(cancel));
    }

    /// An import finished. At start (`pizhu FILE...`) its documents take the previews' panes,
    /// in the order of the files; an import from the library view opens its first two beside
    /// the panes already open. Failures and what did not fit go on the status line.
    fn imported(&mut self, ids: &[(usize, DocId)], failures: &[String], cancelled: bool) {
        self.running = None;
        let opened = if std::mem::take(&mut self.starting) {
            self.status = Some(Status {
                text: "loading…".to_string(),
                error: false,
            });
            // A preview stays (the library's document replaces it where the reader is), the
            // others open; a failed file's preview goes (the status line says why).
            let mut previews = std::mem::take(&mut self.panes);
            for &(slot, id) in ids.iter().take(MAX_PANES) {
                let mut pane = match previews.iter().position(|p| p.preview_slot == Some(slot)) {
                    Some(i) => previews.remove(i),
                    None => self.new_pane(id),
                };
                pane.preview_slot = None;
                let goto = pane.document().map(|d| d.to_stored(pane.cursor));
                self.requests.push(Request::Load {
                    pane: pane.id,
                    id,
                    goto,
                    stop: self.quitting.clone(),
                });
                self.panes.push(pane);
            }
            self.reveal_all();
            self.focus = 0;
            self.panes.len()
        } else {
            let before = self.panes.len();
            let room = MAX_PANES.saturating_sub(before).min(IMPORT_OPENS);
            for &(_, id) in ids.iter().take(room) {
                self.open_pane(id, None, None);
            }
            if self.panes.len() > before {
                self.focus = before;
                self.view = View::Reader;
            }
            self.set_status(format!("{} imported", count(ids.len(), "document")), false);
            self.panes.len() - before
        };
        if let Some(first) = failures.first() {
            let more = if failures.len() > 1 {
                format!(" (and {} more failures)", failures.len() - 1)
            } else {
                String::new()
            };
            self.set_status(format!("{first}{more}"), true);
        } else if ids.len() > opened {
            self.set_status(
                format!("{} documents imported; {opened} are open", ids.len()),
                false,
            );
        }
        if cancelled {
            self.set_status(
                format!(
                    "import cancelled: {} imported whole, the rest not at all",
                    count(ids.len(), "document")
                ),
                false,
            );
        }
        if ids.is_empty() {
            self.open_library(Target::FocusedPane);
        }
    }

    /// The worker completed the path in the import prompt (if it still reads the same).
    fn completed(&mut self, typed: &str, completion: Completion) {
        let Some(prompt) = self
            .prompt
            .as_mut()
            .filter(|p| matches!(p.kind, PromptKind::Import { .. }))
        else {
            return;
        };
        if prompt.input != typed {
            return;
        }
        prompt.input = completion.input;
        let offered = match completion.candidates.as_slice() {
            [] => "(no file or folder starts so)".to_string(),
            [_] => String::new(),
            many => many.join("  "),
        };
        prompt.kind = PromptKind::Import { offered };
    }

    pub(super) fn prompt(&mut self, kind: PromptKind) {
        self.prompt = Some(Prompt {
            kind,
            input: String::new(),
        });
    }

    fn search(&mut self, query: &str) {
        let Some(pane) = self.panes.get_mut(self.focus) else {
            return;
        };
        if query.is_empty() {
            pane.query = None;
            pane.matches.clear();
            pane.current_match = None;
            return;
        }
        pane.matches.clear();
        pane.query = Some(query.to_string());
        pane.current_match = None;
        self.set_status(format!("/{query}  searching…"), false);
        self.find(self.focus, AfterFind::Step);
    }

    /// Shows or hides pane `i`'s noise as the reader does; a document loaded without its
    /// stored text asks the worker for it first.
    fn pane_noise(&mut self, i: usize) {
        let size = self.text_size(i);
        let Some(pane) = self.panes.get_mut(i) else {
            return;
        };
        if !pane.show_noise(self.show_noise, size) {
            let (pane, id) = (pane.id, pane.doc_id());
            self.requests.push(Request::StoredText { pane, id });
        }
    }

    /// Asks the search thread for the matches of pane `i`'s search in the text it shows now.
    fn find(&mut self, i: usize, then: AfterFind) {
        let Some(pane) = self.panes.get(i) else {
            return;
        };
        if let (Some(query), Some(doc)) = (&pane.query, pane.document()) {
            self.requests.push(Request::Find {
                pane: pane.id,
                query: query.clone(),
                text: doc.shared(),
                then,
            });
        }
    }

    /// Moves to the next (or previous) match of the focused pane's search, wrapping around.
    fn step_match(&mut self, forward: bool, inclusive: bool) {
        let size = self.text_size(self.focus);
        let Some(pane) = self.panes.get_mut(self.focus) else {
            return;
        };
        let Some(query) = pane.query.clone() else {
            self.set_status("no search yet: / searches", true);
            return;
        };
        if pane.matches.is_empty() {
            self.set_status(format!("not found: {query}"), true);
            return;
        }
        let n = pane.matches.len();
        let cursor = pane.cursor;
        let index = if forward {
            pane.matches
                .iter()
                .position(|m| {
                    if inclusive {
                        m.start >= cursor
                    } else {
                        m.start > cursor
                    }
                })
                .unwrap_or(0)
        } else {
            pane.matches
                .iter()
                .rposition(|m| m.start < cursor)
                .unwrap_or(n - 1)
        };
        pane.current_match = Some(index);
        let start = pane.matches[index].start;
        pane.jump(start, size);
        self.set_status(format!("/{query}  match {} of {n}", index + 1), false);
        self.synchronize();
    }

    fn grep(&mut self, query: String) {
        if query.is_empty() {
            return;
        }
        self.requests.push(Request::Grep(query.clone()));
        self.view = View::Results(ResultsView {
            query,
            hits: None,
            selected: 0,
        });
    }

    /// Moves the focused pane's cursor to the offset `to` finds, then synchronizes.
    pub(super) fn reader_jump(&mut self, to: impl FnOnce(&Pane) -> Option<usize>) {
        let size = self.text_size(self.focus);
        if let Some(pane) = self.panes.get_mut(self.focus)
            && let Some(offset) = to(pane)
        {
            pane.jump(offset, size);
        }
        self.synchronize();
    }

    /// With synchronized scrolling on, brings every other pane to the focused pane's relative
    /// position.
    pub(super) fn synchronize(&mut self) {
        if !self.sync {
            return;
        }
        let Some(fraction) = self.panes.get(self.focus).map(Pane::fraction) else {
            return;
        };
        for i in 0..self.panes.len() {
            if i == self.focus {
                continue;
            }
            let size = self.text_size(i);
            let pane = &mut self.panes[i];
            if let Some(offset) = pane.line_start_at(fraction, size) {
                pane.cursor = offset;
                pane.reveal(size, true);
            }
        }
    }

    pub(super) fn reader_action(&mut self, action: Action) {
        let count = self.count.unwrap_or(1).max(1);
        let size = self.text_size(self.focus);
        let rows = |n: usize| isize::try_from(n).unwrap_or(isize::MAX);
        let half = rows((size.height / 2).max(1));
        let page = rows(size.height.saturating_sub(2).max(1));
        let focused = self.panes.get_mut(self.focus);
        match action {
            Action::Down | Action::Up => {
                if let Some(pane) = focused {
                    let sign = if action == Action::Down { 1 } else { -1 };
                    pane.move_rows(sign * rows(count), size);
                }
            }
            Action::HalfPageDown | Action::HalfPageUp | Action::PageDown | Action::PageUp => {
                if let Some(pane) = focused {
                    let delta = match action {
                        Action::HalfPageDown => half,
                        Action::HalfPageUp => -half,
                        Action::PageDown => page,
                        _ => -page,
                    };
                    pane.scroll_rows(delta, size);
                }
            }
            Action::Top => return self.reader_jump(|_| Some(0)),
            Action::Bottom => return self.reader_jump(|p| p.last_line_start(size)),
            Action::NextParagraph => return self.reader_jump(|p| p.paragraph_step(true)),
            Action::PreviousParagraph => return self.reader_jump(|p| p.paragraph_step(false)),
            Action::NextWord | Action::PreviousWord | Action::WordEnd => {
                let motion = match action {
                    Action::NextWord => Word::Next,
                    Action::PreviousWord => Word::Previous,
                    _ => Word::End,
                };
                // jieba loads on a thread of its own: until it is there, say so.
                let Some(seg) = segment::try_get() else {
                    segment::load_in_background();
                    self.set_status(
                        "the word segmenter is still loading; try again in a moment",
                        false,
                    );
                    return;
                };
                return self.reader_jump(|p| p.word_step(motion, seg));
            }
            Action::NextSentence => return self.reader_jump(|p| p.sentence_step(true)),
            Action::PreviousSentence => return self.reader_jump(|p| p.sentence_step(false)),
            Action::JumpPercent => match self.count {
                Some(percent) => return self.reader_jump(|p| p.percent_offset(percent)),
                None => self.set_status("type a number first: 50% goes half way", true),
            },
            Action::CommandLine => self.prompt(PromptKind::Command),
            Action::Search => self.prompt(PromptKind::Search),
            Action::SearchNext => self.step_match(true, false),
            Action::SearchPrevious => self.step_match(false, false),
            Action::Grep => self.prompt(PromptKind::Grep),
            Action::ToggleSync => self.update_reader_flag(true),
            Action::ToggleNoise => self.update_reader_flag(false),
            Action::OpenLibrary => self.open_library(Target::FocusedPane),
            Action::Split => self.open_library(Target::NewPane),
            Action::OpenThemes => self.open_themes(),
            Action::OpenAnnotations => self.open_annotations(),
            Action::OpenExport => self.open_export(),
            Action::FocusNext | Action::FocusPrevious => {
                let n = self.panes.len().max(1);
                self.focus = if action == Action::FocusNext {
                    (self.focus + 1) % n
                } else {
                    (self.focus + n - 1) % n
                };
            }
            Action::ClosePane => self.close_pane(),
            Action::Select => self.enter_here(),
            Action::ThemeList => self.open_passage_themes(),
            Action::Visual => self.visual(false),
            Action::VisualParagraphs => self.visual(true),
            Action::DeleteAnnotation => self.delete_here(),
            Action::MoveAnnotation => self.move_here(),
            Action::Undo => self.undo(false),
            Action::Redo => self.undo(true),
            Action::NextTheme | Action::PreviousTheme => {
                self.step_theme(action == Action::NextTheme, count);
            }
            Action::Related => self.open_related(),
            Action::FilterTheme => self.filter_theme(),
            Action::OpenMatrix => self.open_matrix(),
            Action::OpenCompare => self.open_compare_here(),
            Action::Back => {
                if let Some(pane) = focused {
                    pane.query = None;
                    pane.matches.clear();
                    pane.current_match = None;
                }
            }
            Action::Wheel { column, row, delta } => {
                if let Some(i) = self.pane_at(column, row) {
                    let size = self.text_size(i);
                    self.panes[i].scroll_rows(isize::from(delta) * WHEEL_ROWS, size);
                }
            }
            Action::Click { column, row } => self.click(column, row),
            Action::Drag { column, row } => self.drag(column, row),
            _ => {}
        }
        if matches!(
            action,
            Action::Down
                | Action::Up
                | Action::HalfPageDown
                | Action::HalfPageUp
                | Action::PageDown
                | Action::PageUp
        ) {
            self.synchronize();
        }
    }

    pub(super) fn pane_at(&self, column: u16, row: u16) -> Option<usize> {
        self.pane_areas().iter().position(|a| {
            column >= a.x && column < a.x + a.width && row >= a.y && row < a.y + a.height
        })
    }

    fn library_action(&mut self, action: Action, mut lib: LibraryView) {
        let count = self.filtered_documents().len();
        let last = count.saturating_sub(1);
        match action {
            Action::Down => lib.selected = (lib.selected + 1).min(last),
            Action::Up => lib.selected = lib.selected.saturating_sub(1),
            Action::Top => lib.selected = 0,
            Action::Bottom => lib.selected = last,
            Action::Filter => lib.editing = true,
            Action::Import => self.prompt(PromptKind::Import {
                offered: String::new(),
            }),
            Action::ImportDemo => {
                self.import(Request::ImportDemo, "importing the demo texts…".to_string());
            }
            Action::Input(c) => {
                lib.editing = true;
                lib.filter.push(c);
                lib.selected = 0;
            }
            Action::Backspace => {
                lib.filter.pop();
                lib.selected = 0;
            }
            Action::Submit => {
                lib.editing = false;
                self.view = View::Library(lib);
                return self.update(Action::Select);
            }
            Action::Back if lib.editing => {
                lib.editing = false;
                lib.filter.clear();
            }
            Action::Back => {
                if self.panes.is_empty() {
                    self.quit();
                } else {
                    self.view = View::Reader;
                }
                return;
            }
            Action::Select => {
                let Some(id) = self.filtered_documents().get(lib.selected).map(|d| d.id) else {
                    return;
                };
                match lib.target {
                    Target::FocusedPane => self.open_here(id, None, None),
                    Target::NewPane => {
                        self.view = View::Reader;
                        self.open_pane(id, None, None);
                        self.save();
                    }
                }
                return;
            }
            Action::Remove => {
                if let Some(doc) = self.filtered_documents().get(lib.selected) {
                    let (id, title) = (doc.id, doc.title.clone());
                    self.prompt(PromptKind::ConfirmRemove { id, title });
                }
            }
            _ => {}
        }
        if let View::Library(current) = &mut self.view {
            *current = lib;
        }
    }

    fn results_action(&mut self, action: Action, mut results: ResultsView) {
        let last = results
            .hits
            .as_ref()
            .map_or(0, |h| h.len().saturating_sub(1));
        match action {
            Action::Down => results.selected = (results.selected + 1).min(last),
            Action::Up => results.selected = results.selected.saturating_sub(1),
            Action::Top => results.selected = 0,
            Action::Bottom => results.selected = last,
            Action::Back => {
                self.back_to_reader();
                return;
            }
            Action::Select => {
                if let Some(hit) = results.hits.as_ref().and_then(|h| h.get(results.selected)) {
                    let (id, start) = (hit.doc, hit.start);
                    self.open_here(id, Some(start), Some(results.query.clone()));
                }
                return;
            }
            _ => {}
        }
        self.view = View::Results(results);
    }
}

/// `area` split into `n` panes side by side with one column between neighbours.
pub fn pane_areas(area: Rect, n: usize) -> Vec<Rect> {
    if n == 0 {
        return Vec::new();
    }
    let n16 = u16::try_from(n).unwrap_or(u16::MAX);
    let available = area.width.saturating_sub(n16 - 1);
    let each = available / n16;
    let extra = available % n16;
    let mut x = area.x;
    (0..n16)
        .map(|i| {
            let width = each + u16::from(i >= n16 - extra);
            let rect = Rect::new(x, area.y, width, area.height);
            x = x.saturating_add(width + 1);
            rect
        })
        .collect()
}

/// The text cells of a pane's area: without its title row and gutter.
pub fn text_size(area: Rect) -> TextSize {
    TextSize {
        width: usize::from(area.width.saturating_sub(GUTTER)),
        height: usize::from(area.height.saturating_sub(1)),
    }
}
