//! The theme list of one passage (`t` or `Enter` in the reader): its themes with their
//! status, score and the matched terms that explain them; `y` accepts, `x` rejects, `d`
//! clears a decision (`u` / `Ctrl-r` undo and redo, as everywhere), `a` adds a theme from the codebook (typing filters it, in either script
//! or English), `Enter` follows a theme across the panes. Decisions show at once (applied to
//! the pane's [`DocThemes`]) and are stored by the tagging thread, which answers with the
//! document's themes as the library has them.

use super::action::Action;
use super::app::{App, View};
use super::themes::{DocThemes, Label, ThemeOn};
use super::worker::Request;
use crate::doc::{DocId, Span};
use crate::tagging::merge::{Decision, Status};

/// The theme list of the passage of a pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassageView {
    /// The pane (its id) and document the passage is in.
    pub pane: u64,
    pub doc: DocId,
    /// The passage: its index among the document's passages and its stored span.
    pub passage: usize,
    pub span: Span,
    /// The row selected: in the passage's themes, or in the codebook's themes while adding.
    pub selected: usize,
    /// While adding a theme: what is typed to find it.
    pub adding: Option<String>,
}

impl PassageView {
    /// The themes listed: the passage's own (rejected ones too, to be taken back).
    pub fn themes<'a>(&self, themes: &'a DocThemes) -> Vec<ThemeOn<'a>> {
        themes.all(self.passage)
    }

    /// While adding: the codebook's themes that match what is typed and are not on the
    /// passage yet.
    pub fn candidates<'a>(&self, themes: &'a DocThemes) -> Vec<&'a Label> {
        let Some(typed) = &self.adding else {
            return Vec::new();
        };
        let on: Vec<&str> = themes.on(self.passage).map(|t| t.id()).collect();
        themes
            .labels
            .iter()
            .filter(|l| !on.contains(&l.id.as_str()) && l.matches(typed))
            .collect()
    }
}

impl App {
    /// Opens the theme list of the passage under the focused pane's cursor.
    pub(super) fn open_passage_themes(&mut self) {
        let Some(pane) = self.panes.get(self.focus) else {
            return;
        };
        let (Some(doc), Some(themes)) = (pane.document(), pane.themes.as_ref()) else {
            let why = if pane.document().is_some_and(|d| d.complete) {
                "the themes are still being read; try again in a moment"
            } else {
                "the document is still loading"
            };
            return self.set_status(why, false);
        };
        let at = doc.to_stored(pane.cursor);
        let Some(passage) = themes.passage_at(at) else {
            return self.set_status(
                "no passage here: themes are on the body's paragraphs (} goes to the next)",
                false,
            );
        };
        self.view = View::Passage(PassageView {
            pane: pane.id,
            doc: doc.meta.id,
            passage,
            span: themes.passages[passage],
            selected: 0,
            adding: None,
        });
    }

    /// The pane's themes the list is about, if the pane still shows its document.
    fn listed(&self, view: &PassageView) -> Option<&DocThemes> {
        self.panes
            .iter()
            .find(|p| p.id == view.pane && p.doc_id() == view.doc)?
            .themes
            .as_deref()
    }

    pub(super) fn passage_action(&mut self, action: Action, mut view: PassageView) {
        let Some(themes) = self.listed(&view) else {
            self.view = View::Reader;
            return;
        };
        let rows = match view.adding {
            Some(_) => view.candidates(themes).len(),
            None => view.themes(themes).len(),
        };
        let last = rows.saturating_sub(1);
        let selected_theme = match view.adding {
            Some(_) => view
                .candidates(themes)
                .get(view.selected)
                .map(|l| l.id.clone()),
            None => view
                .themes(themes)
                .get(view.selected)
                .map(|t| t.id().to_string()),
        };
        let status = view
            .themes(themes)
            .get(view.selected)
            .filter(|_| view.adding.is_none())
            .map(|t| t.status);
        match action {
            Action::Down => view.selected = (view.selected + 1).min(last),
            Action::Up => view.selected = view.selected.saturating_sub(1),
            Action::Top => view.selected = 0,
            Action::Bottom => view.selected = last,
            Action::Input(c) => {
                if let Some(typed) = &mut view.adding {
                    typed.push(c);
                    view.selected = 0;
                }
            }
            Action::Backspace => {
                if let Some(typed) = &mut view.adding {
                    typed.pop();
                    view.selected = 0;
                }
            }
            Action::AddTheme => {
                view.adding = Some(String::new());
                view.selected = 0;
            }
            Action::Submit if view.adding.is_some() => {
                view.adding = None;
                view.selected = 0;
                if let Some(theme) = selected_theme {
                    self.decide(&view, &theme, Some(Decision::Added));
                }
            }
            Action::Back if view.adding.is_some() => {
                view.adding = None;
                view.selected = 0;
            }
            Action::Back => {
                self.view = View::Reader;
                return;
            }
            Action::Accept | Action::Reject | Action::ClearDecision => {
                let Some(theme) = selected_theme else {
                    return;
                };
                let decision = match action {
                    Action::Accept if status == Some(Status::Added) => {
                        return self.set_status("added by you: it is a tag already", false);
                    }
                    Action::Accept => Some(Decision::Accepted),
                    Action::Reject => Some(Decision::Rejected),
                    _ if status == Some(Status::Suggested) => {
                        return self.set_status("nothing to clear: not decided yet", false);
                    }
                    _ => None,
                };
                self.decide(&view, &theme, decision);
                // A cleared hand-added theme leaves the list.
                let rows = self.listed(&view).map_or(0, |t| view.themes(t).len());
                view.selected = view.selected.min(rows.saturating_sub(1));
            }
            Action::Undo | Action::Redo => self.undo(action == Action::Redo),
            Action::Select => {
                if let Some(theme) = selected_theme {
                    self.view = View::Reader;
                    self.follow_theme(theme);
                }
                return;
            }
            _ => {}
        }
        if let View::Passage(current) = &mut self.view {
            *current = view;
        }
    }

    /// Applies `decision` on `theme` to the passage in every pane showing its document and
    /// asks the tagging thread to store it.
    fn decide(&mut self, view: &PassageView, theme: &str, decision: Option<Decision>) {
        let mut name = theme.to_string();
        for pane in self.panes.iter_mut().filter(|p| p.doc_id() == view.doc) {
            let script = pane.document().map(|d| d.meta.script);
            if let Some(themes) = pane.themes.as_deref_mut() {
                if let (Some(label), Some(script)) = (themes.label(theme), script) {
                    name = label.name_for(script).to_string();
                }
                themes.apply(view.passage, theme, decision);
            }
        }
        let done = match decision {
            Some(Decision::Accepted) => "accepted",
            Some(Decision::Rejected) => "rejected",
            Some(Decision::Added) => "added",
            None => "cleared the decision on",
        };
        self.set_status(
            format!("{done} {name} on passage {}", view.passage + 1),
            false,
        );
        self.requests.push(Request::Decide {
            pane: view.pane,
            id: view.doc,
            n: view.passage,
            passage: view.span,
            theme: theme.to_string(),
            decision,
        });
    }
}
