//! The annotations view (`A`): every annotation of the library (or of the focused pane's
//! document) with its colour, document, place, status, tags, quote and note; typing filters
//! (across scripts: quote, note, tags, document title), keys filter by colour and tag, sort
//! by place or newest first, and `Enter` opens one in the reader.
//!
//! `D` is the review queue of the drifted annotations (placed by a fuzzy match when their
//! document was updated): the old quote in its old context above the text now at its span,
//! read by the worker; `y` confirms it (the text now becomes its quote), `x` makes it an
//! orphan. The list is read by the worker when the view opens (not on the UI thread) and
//! kept behind an `Arc`, so the view's state is cheap to copy at every key.

mod work;

pub use work::{
    AnnotationsData, AnnotationsRequest, AnnotationsResponse, FIRST_PAGE, Row, answer, load,
    load_first,
};

use super::action::Action;
use super::app::{App, View};
use super::worker::Request;
use crate::annotations::{AnchorStatus, Annotation, AnnotationId, Color};
use crate::doc::DocId;
use crate::text::fold::fold_str;
use std::sync::Arc;

/// The annotation under review as stored (its old quote in its old context) and the text now
/// at its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Now {
    pub id: AnnotationId,
    /// `None` when the library no longer has it.
    pub was: Option<Box<Annotation>>,
    /// (prefix, text, suffix), or why it could not be read.
    pub text: Result<(String, String, String), String>,
}

/// The annotations view's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnnotationsView {
    /// `None` until the worker has read them.
    pub data: Option<Arc<AnnotationsData>>,
    /// What was typed (matched folded).
    pub filter: String,
    /// Keys go to the filter.
    pub editing: bool,
    pub color: Option<Color>,
    pub tag: Option<String>,
    /// Newest first (else by document and place).
    pub newest: bool,
    /// Only this document's annotations (the focused pane's).
    pub doc: Option<DocId>,
    /// The drifted annotations' review queue.
    pub review: bool,
    /// Indices into the data's rows of the rows shown, in order.
    pub shown: Vec<usize>,
    pub selected: usize,
    /// The text now at the selected drifted annotation's span, once the worker has read it.
    pub now: Option<Now>,
}

impl AnnotationsView {
    /// Whether a filter leaves annotations out (typed text, colour, tag, document, review).
    pub fn narrowed(&self) -> bool {
        !self.filter.trim().is_empty()
            || self.color.is_some()
            || self.tag.is_some()
            || self.doc.is_some()
            || self.review
    }

    /// The selected row.
    pub fn selected_row(&self) -> Option<&Row> {
        let data = self.data.as_deref()?;
        data.rows.get(*self.shown.get(self.selected)?)
    }

    /// Chooses the rows to show from the filters and sorts them; the selection stays on its
    /// annotation when it is still shown.
    fn refilter(&mut self) {
        let was = self.selected_row().map(|r| r.annotation.id);
        self.refilter_keeping(was);
    }

    /// Chooses the rows to show, the selection on annotation `was` when it is shown, else on
    /// the row where it was.
    fn refilter_keeping(&mut self, was: Option<AnnotationId>) {
        let Some(data) = self.data.as_deref() else {
            return;
        };
        let query = fold_str(self.filter.trim());
        let keep = |&i: &usize| {
            let row = &data.rows[i];
            let a = &row.annotation;
            self.doc.is_none_or(|d| a.doc == d)
                && self.color.is_none_or(|c| a.color == c)
                && self.tag.as_ref().is_none_or(|t| a.tags.contains(t))
                && (!self.review || a.status == AnchorStatus::Drifted)
                && data.matches(row, &query)
        };
        let shown: Vec<usize> = match self.newest {
            true => data.newest.iter().copied().filter(keep).collect(),
            false => data.by_place.iter().copied().filter(keep).collect(),
        };
        self.selected = was
            .and_then(|id| shown.iter().position(|&i| data.rows[i].annotation.id == id))
            .unwrap_or_else(|| self.selected.min(shown.len().saturating_sub(1)));
        self.shown = shown;
    }
}

/// The status line's hint in the annotations view.
pub fn hint(view: &AnnotationsView) -> &'static str {
    if view.review {
        "y confirm it here  x orphan  m move  Enter open  D all  Esc back"
    } else {
        "Enter open  d delete  m move  / c # o filter  s sort  D drifted  E export"
    }
}

impl App {
    /// Opens the annotations view and asks the worker for the annotations.
    pub(super) fn open_annotations(&mut self) {
        self.view = View::Annotations(Box::default());
        self.requests
            .push(Request::AnnotationList(AnnotationsRequest::Load));
    }

    /// The annotations view's list read again, when it shows one: its filters, sort and
    /// selected annotation stay.
    pub(super) fn reload_annotations_view(&mut self) {
        if let View::Annotations(view) = &self.view
            && view.data.is_some()
        {
            self.requests
                .push(Request::AnnotationList(AnnotationsRequest::Reload));
        }
    }

    /// The worker's answers.
    pub(super) fn annotations_answer(&mut self, answer: AnnotationsResponse) {
        let View::Annotations(view) = &mut self.view else {
            return;
        };
        match answer {
            AnnotationsResponse::Loaded(data) => {
                let was = view.selected_row().map(|r| r.annotation.id);
                view.data = Some(data);
                view.refilter_keeping(was);
                // The text now may have changed too.
                view.now = None;
                let request = review_request(view);
                self.requests.extend(request);
            }
            AnnotationsResponse::Folded(folded) => {
                if let Some(data) = &mut view.data {
                    Arc::make_mut(data).set_folded(folded);
                }
                view.refilter();
            }
            AnnotationsResponse::Now { id, was, text } => {
                if selected_id(view) == Some(id) {
                    view.now = Some(Now { id, was, text });
                }
            }
            AnnotationsResponse::Settled(annotation) => {
                let message = match annotation.status {
                    AnchorStatus::Ok => format!(
                        "annotation #{} confirmed: «{}» is its quote now (pizhu undo takes it back)",
                        annotation.id, annotation.quote
                    ),
                    _ => format!(
                        "annotation #{} is an orphan now: kept with its old quote (pizhu notes --orphans)",
                        annotation.id
                    ),
                };
                if let Some(data) = &mut view.data {
                    Arc::make_mut(data).replace(&annotation);
                }
                view.refilter();
                view.now = None;
                let request = review_request(view);
                self.requests.extend(request);
                self.set_status(message, false);
            }
        }
    }

    pub(super) fn annotations_action(&mut self, action: Action, mut view: AnnotationsView) {
        let last = view.shown.len().saturating_sub(1);
        // The list's rows: all but the heading and the status line (half in the review).
        let page = usize::from(self.size.1.saturating_sub(2)).max(1);
        let page = if view.review { page / 2 } else { page }.max(1);
        let before = (selected_id(&view), view.review);
        match action {
            Action::Down => view.selected = (view.selected + 1).min(last),
            Action::Up => view.selected = view.selected.saturating_sub(1),
            Action::PageDown => view.selected = (view.selected + page).min(last),
            Action::HalfPageDown => view.selected = (view.selected + page / 2).min(last),
            Action::PageUp => view.selected = view.selected.saturating_sub(page),
            Action::HalfPageUp => view.selected = view.selected.saturating_sub(page / 2),
            Action::Top => view.selected = 0,
            Action::Bottom => view.selected = last,
            Action::Filter => view.editing = true,
            Action::Input(c) => {
                view.editing = true;
                view.filter.push(c);
                view.refilter();
            }
            Action::Backspace => {
                view.filter.pop();
                view.refilter();
            }
            Action::Submit => view.editing = false,
            Action::Back if view.editing => {
                view.editing = false;
                view.filter.clear();
                view.refilter();
            }
            Action::Back if view.review => {
                view.review = false;
                view.refilter();
            }
            Action::Back => {
                self.back_to_reader();
                return;
            }
            Action::CycleColor => {
                view.color = match view.color {
                    None => Color::ALL.first().copied(),
                    Some(c) => Color::ALL
                        .iter()
                        .position(|&x| x == c)
                        .and_then(|i| Color::ALL.get(i + 1).copied()),
                };
                view.refilter();
            }
            Action::CycleTag => {
                let tags = view
                    .data
                    .as_ref()
                    .map(|d| d.tags.clone())
                    .unwrap_or_default();
                view.tag = match &view.tag {
                    None => tags.first().cloned(),
                    Some(t) => tags
                        .iter()
                        .position(|x| x == t)
                        .and_then(|i| tags.get(i + 1).cloned()),
                };
                view.refilter();
            }
            Action::ToggleSort => {
                view.newest = !view.newest;
                view.refilter();
            }
            Action::ToggleDocument => {
                if view.doc.is_some() {
                    view.doc = None;
                } else {
                    match self.panes.get(self.focus).map(|p| p.doc_id()) {
                        Some(id) => view.doc = Some(id),
                        None => self.set_status("no document is open", true),
                    }
                }
                view.refilter();
            }
            Action::ReviewDrifted => {
                view.review = !view.review;
                view.refilter();
            }
            Action::OpenExport => self.open_export(),
            Action::DeleteAnnotation => {
                if let Some(id) = selected_id(&view) {
                    self.requests.push(Request::DeleteAnnotation(id));
                }
            }
            Action::Undo | Action::Redo => self.undo(action == Action::Redo),
            Action::MoveAnnotation => {
                let Some(a) = view.selected_row().map(|r| &r.annotation) else {
                    return self.set_annotations_view(view);
                };
                let (id, doc, span) = (a.id, a.doc, crate::doc::Span::new(a.start, a.end));
                return self.move_annotation(id, doc, span);
            }
            Action::Accept | Action::Reject => {
                let settle = if action == Action::Accept {
                    AnchorStatus::Ok
                } else {
                    AnchorStatus::Orphan
                };
                match view.selected_row().map(|r| &r.annotation) {
                    Some(a) if a.status == AnchorStatus::Drifted => {
                        self.requests
                            .push(Request::AnnotationList(AnnotationsRequest::Settle {
                                id: a.id,
                                status: settle,
                            }));
                    }
                    Some(_) => self
                        .set_status("only a drifted annotation is reviewed (D lists them)", true),
                    None => {}
                }
            }
            Action::Select => {
                let Some(a) = view.selected_row().map(|r| r.annotation.clone()) else {
                    return self.set_annotations_view(view);
                };
                if a.status == AnchorStatus::Orphan {
                    self.set_status(
                        format!(
                            "annotation #{} could not be placed in the new version of its document; it was «{}»",
                            a.id, a.quote
                        ),
                        true,
                    );
                    return self.set_annotations_view(view);
                }
                return self.open_here(a.doc, Some(a.start), None);
            }
            _ => {}
        }
        if (selected_id(&view), view.review) != before {
            view.now = None;
            self.requests.extend(review_request(&view));
        }
        self.set_annotations_view(view);
    }

    fn set_annotations_view(&mut self, view: AnnotationsView) {
        self.view = View::Annotations(Box::new(view));
    }
}

fn selected_id(view: &AnnotationsView) -> Option<AnnotationId> {
    view.selected_row().map(|r| r.annotation.id)
}

/// In the review, the request for the text now at the selected annotation's span.
fn review_request(view: &AnnotationsView) -> Option<Request> {
    let row = view.selected_row().filter(|_| view.review)?;
    (row.annotation.status == AnchorStatus::Drifted)
        .then(|| Request::AnnotationList(AnnotationsRequest::Now(row.annotation.id)))
}
