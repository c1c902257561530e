//! Related passages (`r`): for the passage under the cursor, the most similar passages of the
//! other documents (the core's TF-IDF cosine, [`crate::related`]), computed on the tagging
//! thread; `Enter` opens one in the pane beside.

use super::action::Action;
use super::app::{App, MAX_PANES, View};
use super::worker::Request;
use crate::doc::DocId;
use crate::related::Related;

/// The related passages of one passage.
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedView {
    /// The passage they are related to: document, passage index (0-based), its title.
    pub doc: DocId,
    pub passage: usize,
    pub title: String,
    /// `None` while the tagging thread looks.
    pub found: Option<Vec<Related>>,
    pub selected: usize,
}

impl App {
    /// Opens the related passages of the passage under the focused pane's cursor.
    pub(super) fn open_related(&mut self) {
        let Some(pane) = self.panes.get(self.focus) else {
            return;
        };
        let (Some(doc), Some(themes)) = (pane.document(), pane.themes.as_deref()) else {
            return self.set_status(
                "the document is still loading; try again in a moment",
                false,
            );
        };
        let Some(passage) = themes.passage_at(doc.to_stored(pane.cursor)) else {
            return self.set_status(
                "no passage here: related passages are found for the body's paragraphs",
                false,
            );
        };
        let (id, title) = (doc.meta.id, doc.meta.title.clone());
        self.requests.push(Request::Related { id, n: passage });
        self.view = View::Related(RelatedView {
            doc: id,
            passage,
            title,
            found: None,
            selected: 0,
        });
    }

    /// The tagging thread's answer, if it is for the list shown.
    pub(super) fn related_found(&mut self, doc: DocId, passage: usize, found: Vec<Related>) {
        if let View::Related(view) = &mut self.view
            && view.doc == doc
            && view.passage == passage
        {
            view.found = Some(found);
            view.selected = 0;
        }
    }

    pub(super) fn related_action(&mut self, action: Action, mut view: RelatedView) {
        let last = view.found.as_ref().map_or(0, |f| f.len().saturating_sub(1));
        match action {
            Action::Down => view.selected = (view.selected + 1).min(last),
            Action::Up => view.selected = view.selected.saturating_sub(1),
            Action::Top => view.selected = 0,
            Action::Bottom => view.selected = last,
            Action::Back => {
                self.view = View::Reader;
                return;
            }
            Action::Select => {
                if let Some(hit) = view.found.as_ref().and_then(|f| f.get(view.selected)) {
                    let (id, start) = (hit.doc, hit.start);
                    self.view = View::Reader;
                    self.open_beside(id, start);
                }
                return;
            }
            _ => {}
        }
        self.view = View::Related(view);
    }

    /// Opens document `id` at stored offset `start` in the pane right of the focused one: a
    /// new pane when there is room, else the neighbour's place.
    fn open_beside(&mut self, id: DocId, start: usize) {
        if self.panes.len() < MAX_PANES {
            let origin = self.focus;
            self.open_pane(id, Some(start), None);
            let new = self.panes.len() - 1;
            let beside = (origin + 1).min(new);
            let pane = self.panes.remove(new);
            self.panes.insert(beside, pane);
            self.focus = beside;
            self.reveal_all();
        } else {
            let beside = if self.focus + 1 < self.panes.len() {
                self.focus + 1
            } else {
                self.focus.saturating_sub(1)
            };
            self.focus = beside;
            self.open_here(id, Some(start), None);
        }
        self.save();
    }
}
