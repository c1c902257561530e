//! Annotating in the reader: visual mode (`v` from the cursor, `V` by paragraphs; motions
//! extend it), and on a selection `h` (or `1`–`5` for a colour) highlights, `a` highlights and
//! opens the note editor, `t` tags, `y` copies the text by OSC 52. On an annotation `Enter`
//! edits its note and `d` deletes it; `u` and `Ctrl-r` undo and redo any change to
//! annotations and theme decisions (the library's event log, so also after a restart).
//! Every change goes to the worker, which saves it in its own transaction and answers with
//! the document's annotations.

use super::action::Action;
use super::app::{App, View};
use super::editor::{EditKey, NoteEditor, NoteTarget};
use super::pane::Selection;
use super::worker::{Request, Saved};
use crate::annotations::{Annotation, AnnotationEdit, AnnotationId, Color, NewAnnotation};
use crate::count::count;
use crate::doc::{DocId, Span};
use crate::store::Change;
use crate::text::cache::Paragraphs;

/// Most characters the status line quotes of a copied or annotated text.
const QUOTE_CHARS: usize = 24;

impl App {
    /// `v` / `V`: starts a selection at the cursor (by paragraphs with `paragraphs`), or ends
    /// the one under way.
    pub(super) fn visual(&mut self, paragraphs: bool) {
        let Some(pane) = self.panes.get_mut(self.focus) else {
            return;
        };
        if pane.document().is_none() {
            return;
        }
        pane.selection = match pane.selection {
            Some(s) if s.paragraphs == paragraphs => None,
            Some(s) => Some(Selection { paragraphs, ..s }),
            None => Some(Selection {
                anchor: pane.cursor,
                paragraphs,
                moving: None,
            }),
        };
        if pane.selection.is_some() {
            self.set_status(
                "select: move to extend · h highlight (1–5 colour) · a note · t tag · y copy · Esc cancel",
                false,
            );
        }
    }

    /// The focused pane's selection in stored offsets, its document and its text.
    pub(super) fn selection(&self) -> Option<(DocId, Span, String)> {
        let pane = self.panes.get(self.focus)?;
        let doc = pane.document()?;
        let span = pane.selected()?;
        let stored = Span::new(doc.to_stored(span.start), doc.to_stored(span.end));
        // The text from the paragraphs it spans (a line break between two).
        let (first, last) = (doc.locate(span.start).0, doc.locate(span.end - 1).0);
        let text: Vec<String> = (first..=last)
            .filter_map(|i| {
                let p = *doc.paragraphs.get(i)?;
                let (from, to) = (span.start.max(p.start), span.end.min(p.end));
                let chars = doc.paragraph(i).chars();
                Some(
                    chars
                        .skip(from.saturating_sub(p.start))
                        .take(to.saturating_sub(from))
                        .collect(),
                )
            })
            .collect();
        Some((doc.meta.id, stored, text.join("\n")))
    }

    /// Ends visual mode in the focused pane.
    pub(super) fn end_selection(&mut self) {
        if let Some(pane) = self.panes.get_mut(self.focus) {
            pane.selection = None;
        }
    }

    /// The actions of visual mode; motions are the reader's.
    pub(super) fn visual_action(&mut self, action: Action) {
        let color = match action {
            Action::Highlight | Action::HighlightYellow => Some(Color::Yellow),
            Action::HighlightGreen => Some(Color::Green),
            Action::HighlightBlue => Some(Color::Blue),
            Action::HighlightPink => Some(Color::Pink),
            Action::HighlightPurple => Some(Color::Purple),
            _ => None,
        };
        if let Some(color) = color {
            return self.make(color, false);
        }
        match action {
            Action::Annotate => self.make(Color::default(), true),
            Action::TagSelection => self.open_tag_picker(),
            Action::Copy => self.copy(),
            Action::Back => {
                if self.moving().is_some() {
                    self.set_status("not moved", false);
                }
                self.end_selection();
            }
            Action::Select => self.put_moved(),
            Action::Visual => self.visual(false),
            Action::VisualParagraphs => self.visual(true),
            Action::SentenceEnd => self.reader_jump(|p| p.sentence_end()),
            Action::ClauseEnd => self.reader_jump(|p| p.clause_step(true)),
            Action::PreviousClause => self.reader_jump(|p| p.clause_step(false)),
            other => self.reader_action(other),
        }
    }

    /// The annotation the focused pane's selection is moving, if any.
    pub fn moving(&self) -> Option<AnnotationId> {
        self.panes.get(self.focus)?.selection?.moving
    }

    /// `m`: moves annotation `id` of document `doc`, now at stored `span`: the document opens
    /// in the focused pane with the span selected, for the visual motions to adjust; `Enter`
    /// puts it there ([`Self::put_moved`]).
    pub(super) fn move_annotation(&mut self, id: AnnotationId, doc: DocId, span: Span) {
        self.open_here(doc, Some(span.start), None);
        let size = self.text_size(self.focus);
        let Some(pane) = self.panes.get_mut(self.focus) else {
            return;
        };
        if pane
            .document()
            .is_some_and(|d| d.complete && d.meta.id == doc)
        {
            pane.select_to_move(span, id, size);
        } else {
            pane.select_on_load = Some((span, id));
        }
        self.set_status(
            format!(
                "moving annotation #{id}: adjust the selection, Enter puts it there, Esc leaves it"
            ),
            false,
        );
    }

    /// `m` on the annotation under the cursor.
    pub(super) fn move_here(&mut self) {
        match self.annotation_here() {
            Some(a) => self.move_annotation(a.id, a.doc, a.span()),
            None => self.set_status("no annotation here to move", false),
        }
    }

    /// `Enter` on a selection: the annotation being moved goes there (one change, undone by
    /// `u`).
    fn put_moved(&mut self) {
        let Some(id) = self.moving() else {
            return self.set_status(
                "Enter puts an annotation being moved (m); h highlights the selection",
                false,
            );
        };
        let Some((_, span, _)) = self.selection() else {
            return;
        };
        self.end_selection();
        self.requests.push(Request::MoveAnnotation { id, span });
    }

    /// Makes an annotation of the selection in `color`; with `note`, opens the editor first
    /// (the annotation is made when the note is saved).
    fn make(&mut self, color: Color, note: bool) {
        let Some((doc, span, text)) = self.selection() else {
            return;
        };
        self.end_selection();
        let new = NewAnnotation {
            doc,
            span,
            color,
            note: String::new(),
            tags: Vec::new(),
        };
        if note {
            self.view = View::Note(NoteEditor::new(NoteTarget::New(new), text, ""));
        } else {
            self.requests.push(Request::Annotate(new));
        }
    }

    /// `y`: the selection to the system clipboard through the terminal (OSC 52).
    fn copy(&mut self) {
        let Some((_, _, text)) = self.selection() else {
            return;
        };
        self.end_selection();
        let chars = text.chars().count();
        self.set_status(
            format!(
                "copied {} «{}» to the clipboard (OSC 52: the terminal must allow it)",
                count(chars, "character"),
                cut(&text)
            ),
            false,
        );
        self.clipboard = Some(text);
    }

    /// The annotation under the focused pane's cursor (the innermost).
    fn annotation_here(&self) -> Option<&Annotation> {
        let pane = self.panes.get(self.focus)?;
        let mark = pane.mark_at(pane.cursor)?;
        pane.annotation(mark.id)
    }

    /// `Enter`: the note of the annotation under the cursor, else the passage's themes.
    pub(super) fn enter_here(&mut self) {
        if !self.edit_note_here() {
            self.open_passage_themes();
        }
    }

    /// The note of the annotation under the cursor in the editor; false when there is none.
    fn edit_note_here(&mut self) -> bool {
        let Some(a) = self.annotation_here().cloned() else {
            return false;
        };
        let target = NoteTarget::Existing {
            id: a.id,
            doc: a.doc,
        };
        self.view = View::Note(NoteEditor::new(target, a.quote.clone(), &a.note));
        true
    }

    /// `d` on an annotation: deletes it (`u` brings it back).
    pub(super) fn delete_here(&mut self) {
        match self.annotation_here() {
            Some(a) => {
                let id = a.id;
                self.requests.push(Request::DeleteAnnotation(id));
            }
            None => self.set_status("no annotation here (v selects text to annotate)", false),
        }
    }

    /// The pane and text offset under a screen cell, if it shows text.
    fn text_at(&self, column: u16, row: u16) -> Option<(usize, Option<usize>)> {
        let i = self.pane_at(column, row)?;
        let area = self.pane_areas()[i];
        let size = self.text_size(i);
        let (x, y) = (area.x + super::app::GUTTER, area.y + 1);
        let offset = (column >= x && row >= y)
            .then(|| {
                self.panes[i].offset_at_cell(size, usize::from(row - y), usize::from(column - x))
            })
            .flatten();
        Some((i, offset))
    }

    /// A click focuses the pane under it and puts the cursor on the character clicked; a second
    /// click there selects the word.
    pub(super) fn click(&mut self, column: u16, row: u16) {
        let Some((i, offset)) = self.text_at(column, row) else {
            return;
        };
        self.focus = i;
        let size = self.text_size(i);
        let double = self.last_click == Some((column, row));
        self.last_click = Some((column, row));
        let pane = &mut self.panes[i];
        pane.selection = None;
        let Some(at) = offset else { return };
        pane.cursor = at;
        pane.reveal(size, false);
        if double {
            let word = crate::text::segment::try_get().and_then(|seg| pane.word_at(at, seg));
            if let Some(word) = word {
                pane.selection = Some(Selection {
                    anchor: word.start,
                    paragraphs: false,
                    moving: None,
                });
                pane.cursor = word.end - 1;
            }
        }
    }

    /// Dragging selects from where the button went down.
    pub(super) fn drag(&mut self, column: u16, row: u16) {
        let Some((i, Some(at))) = self.text_at(column, row) else {
            return;
        };
        if i != self.focus {
            return;
        }
        let size = self.text_size(i);
        let pane = &mut self.panes[i];
        if pane.selection.is_none() {
            pane.selection = Some(Selection {
                anchor: pane.cursor,
                paragraphs: false,
                moving: None,
            });
        }
        pane.cursor = at;
        pane.reveal(size, false);
    }

    /// `u` / `Ctrl-r`.
    pub(super) fn undo(&mut self, redo: bool) {
        self.requests.push(Request::Undo { redo });
    }

    /// A key in the note editor.
    pub(super) fn editor_key(&mut self, key: EditKey, mut editor: NoteEditor) {
        let (width, height) = self.editor_size();
        match key {
            EditKey::Save => {
                self.view = View::Reader;
                let note = editor.text();
                match editor.target {
                    NoteTarget::New(mut new) => {
                        new.note = note;
                        self.requests.push(Request::Annotate(new));
                    }
                    NoteTarget::Existing { id, .. } => {
                        self.requests.push(Request::EditAnnotation {
                            id,
                            edit: AnnotationEdit {
                                note: Some(note),
                                ..AnnotationEdit::default()
                            },
                        });
                    }
                }
                return;
            }
            EditKey::Discard => {
                self.view = View::Reader;
                return self.set_status("note not saved", false);
            }
            EditKey::External => self.external_note = Some(editor.text()),
            key => editor.key(key, width, self.width_opts),
        }
        editor.reveal(width, height, self.width_opts);
        self.view = View::Note(editor);
    }

    /// The user's own editor's answer: the note in the editor is replaced (and saved with the
    /// editor's keys as usual).
    pub(super) fn note_edited(&mut self, result: Result<String, String>) {
        let View::Note(editor) = &mut self.view else {
            return;
        };
        match result {
            Ok(note) => {
                editor.replace(note.trim_end_matches('\n'));
                let (width, height) = self.editor_size();
                if let View::Note(editor) = &mut self.view {
                    editor.reveal(width, height, self.width_opts);
                }
                self.set_status("note read back from your editor: Esc saves it", false);
            }
            Err(why) => self.set_status(why, true),
        }
    }

    /// The note editor's text area: columns and rows.
    pub fn editor_size(&self) -> (usize, usize) {
        let area = super::views::editor_area(self.main_area());
        (
            usize::from(area.width.saturating_sub(2)),
            usize::from(area.height.saturating_sub(4)),
        )
    }

    /// The worker's answer with a document's annotations.
    pub(super) fn annotations_loaded(&mut self, id: DocId, annotations: Vec<Annotation>) {
        for pane in self.panes.iter_mut().filter(|p| p.doc_id() == id) {
            pane.set_annotations(annotations.clone());
        }
    }

    /// Another connection changed the library (another pizhu, the command line): the open
    /// documents' annotations and themes, the list of documents, and the annotations view's
    /// list are read again.
    pub(super) fn library_changed(&mut self) {
        self.requests.push(Request::ListDocuments);
        self.reload_annotations_view();
        for pane in self
            .panes
            .iter()
            .filter(|p| p.document().is_some_and(|d| d.complete))
        {
            let id = pane.doc_id();
            self.requests.push(Request::Annotations { id });
            self.requests.push(Request::Themes { pane: pane.id, id });
        }
    }

    /// An annotation made, changed or deleted: the panes showing its document take it (the
    /// worker answers with the one annotation, not the document's thousands), and the status
    /// line says so.
    pub(super) fn annotation_saved(&mut self, a: Annotation, saved: Saved) {
        let what = match saved {
            Saved::Deleted => format!("deleted annotation #{} (u brings it back)", a.id),
            Saved::Moved => format!(
                "moved annotation #{} to «{}» (u puts it back)",
                a.id,
                cut(&a.quote)
            ),
            Saved::Written => format!(
                "saved annotation #{} «{}» ({})",
                a.id,
                cut(&a.quote),
                a.color.as_str()
            ),
        };
        self.set_status(what, false);
        let now = (saved != Saved::Deleted).then_some(a.clone());
        self.annotation_now(a.doc, a.id, now);
        self.reload_annotations_view();
    }

    /// Annotation `id` of document `doc` is `now` (`None`: gone) in every pane showing the
    /// document.
    fn annotation_now(&mut self, doc: DocId, id: AnnotationId, now: Option<Annotation>) {
        for pane in self.panes.iter_mut().filter(|p| p.doc_id() == doc) {
            match &now {
                Some(a) => pane.put_annotation(a.clone()),
                None => pane.remove_annotation(id),
            }
        }
    }

    /// What undo or redo did: the annotation it changed is put as it is now in the panes, or
    /// the theme decisions are read again for the document it touched.
    pub(super) fn undone(&mut self, redo: bool, change: Option<Change>) {
        let verb = if redo { "redone" } else { "undone" };
        let Some(change) = change else {
            let what = if redo { "redo" } else { "undo" };
            return self.set_status(format!("nothing to {what}"), false);
        };
        self.set_status(format!("{verb}: {}", change.describe()), false);
        match change {
            Change::Decision { doc, .. } => {
                for pane in self.panes.iter().filter(|p| p.doc_id() == doc) {
                    self.requests.push(Request::Themes {
                        pane: pane.id,
                        id: doc,
                    });
                }
            }
            Change::Annotation { doc, before, after } => {
                let id = before.as_ref().or(after.as_ref()).map_or(0, |a| a.id);
                let now = if redo { after } else { before };
                self.annotation_now(doc, id, now.map(|a| *a));
                self.reload_annotations_view();
            }
        }
    }
}

/// The beginning of `text`, for a message.
fn cut(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(QUOTE_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > QUOTE_CHARS {
        out.push('…');
    }
    out
}
