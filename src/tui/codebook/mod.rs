//! The themes view (`T`): the library's codebook as a tree of themes, edited in place — add,
//! rename, recolour, keywords, merge, remove — and the library's uncovered terms, each
//! addable as a keyword or a new theme.
//!
//! Every edit is first applied to the view's copy of the codebook by the core
//! ([`Codebook::apply`]), so a mistake is reported at once on the status line and nothing is
//! sent; a valid edit goes to the worker ([`CodebookRequest::Edit`]), which saves it in one
//! transaction and answers with the codebook. Then the library is re-tagged in the
//! background, with progress on the status line, and when that ends every open pane's
//! themes are read again so the gutter chips follow the edit.

mod prompt;
mod work;

pub use prompt::Ask;
pub use work::{
    CodebookData, CodebookRequest, CodebookResponse, Retagging, UNCOVERED_LIMIT, answer,
};

use super::action::Action;
use super::app::{App, Prompt, PromptKind, View};
use super::worker::Request;
use crate::cancel::Cancel;
use crate::count::count;
use crate::doc::DocId;
use crate::themes::{Codebook, Edit, Keyword, Theme, UncoveredTerm};
use prompt::{next_color, parse_color, parse_keywords, parse_names};

/// The themes view's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ThemesView {
    /// The codebook; `None` until the worker has read it.
    pub data: Option<CodebookData>,
    /// The selected row of the tree ([`Codebook::tree`] order).
    pub selected: usize,
    /// Which list the moves go to.
    pub focus: Focus,
    /// The theme being merged, while the user picks the one it goes into.
    pub merging: Option<String>,
    /// The uncovered terms, when asked for.
    pub terms: Option<Terms>,
    /// The theme to select when the codebook next arrives (the one just edited).
    select: Option<String>,
    /// The input of a prompt whose edit was refused, offered again by the same prompt.
    draft: Option<(Ask, String)>,
}

/// The list that has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Themes,
    Terms,
}

/// Uncovered terms of the library or of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    /// The document (id and title), or `None` for the whole library.
    pub doc: Option<(DocId, String)>,
    /// `None` while the worker computes them.
    pub list: Option<Vec<UncoveredTerm>>,
    pub selected: usize,
}

impl ThemesView {
    /// The themes in display order with their depth.
    pub fn rows(&self) -> Vec<(&Theme, usize)> {
        self.data
            .as_ref()
            .map(|d| d.codebook.tree())
            .unwrap_or_default()
    }

    /// The theme on the selected row.
    pub fn selected_theme(&self) -> Option<&Theme> {
        self.rows().get(self.selected).map(|(t, _)| *t)
    }

    /// The term on the selected row of the terms list.
    pub fn selected_term(&self) -> Option<&UncoveredTerm> {
        let terms = self.terms.as_ref()?;
        terms.list.as_ref()?.get(terms.selected)
    }

    /// Takes a newly read codebook: selects the theme just edited (else keeps the row), ends
    /// a merge whose theme is gone, drops terms that are keywords now.
    fn set_data(&mut self, data: CodebookData) {
        self.data = Some(data);
        let rows: Vec<String> = self.rows().iter().map(|(t, _)| t.id.clone()).collect();
        if let Some(id) = self.select.take()
            && let Some(row) = rows.iter().position(|r| *r == id)
        {
            self.selected = row;
        }
        self.selected = self.selected.min(rows.len().saturating_sub(1));
        if self.merging.as_ref().is_some_and(|m| !rows.contains(m)) {
            self.merging = None;
        }
        let codebook = self.data.as_ref().map(|d| &d.codebook);
        if let (Some(terms), Some(codebook)) = (&mut self.terms, codebook)
            && let Some(list) = &mut terms.list
        {
            list.retain(|u| !is_keyword(codebook, &u.term));
            terms.selected = terms.selected.min(list.len().saturating_sub(1));
        }
    }
}

fn is_keyword(codebook: &Codebook, term: &str) -> bool {
    codebook
        .themes
        .iter()
        .any(|t| t.keywords.iter().any(|k| k.term == term))
}

/// The status line's hint in the themes view.
pub fn hint(view: &ThemesView) -> &'static str {
    if view.merging.is_some() {
        "j/k pick the theme to merge into  Enter merge  Esc cancel"
    } else if view.focus == Focus::Terms {
        "a/Enter add as a keyword of the selected theme  n new theme  Tab themes  Esc close"
    } else {
        "a add  R rename  c colour  K keywords  m merge  d remove  s terms  Esc back"
    }
}

impl App {
    /// Opens the themes view and asks for the codebook.
    pub(super) fn open_themes(&mut self) {
        self.view = View::Themes(Box::default());
        self.requests.push(Request::Codebook(CodebookRequest::Read));
    }

    pub(super) fn themes_action(&mut self, action: Action, mut view: ThemesView) {
        let terms_focused = view.focus == Focus::Terms && view.terms.is_some();
        match action {
            Action::Down | Action::Up | Action::Top | Action::Bottom => {
                let (selected, len) = match (&mut view.terms, terms_focused) {
                    (Some(terms), true) => {
                        let len = terms.list.as_ref().map_or(0, Vec::len);
                        (&mut terms.selected, len)
                    }
                    _ => {
                        let len = view.rows().len();
                        (&mut view.selected, len)
                    }
                };
                let last = len.saturating_sub(1);
                *selected = match action {
                    Action::Down => (*selected + 1).min(last),
                    Action::Up => selected.saturating_sub(1),
                    Action::Top => 0,
                    _ => last,
                };
            }
            Action::FocusNext | Action::FocusPrevious if view.terms.is_some() => {
                view.focus = match view.focus {
                    Focus::Themes => Focus::Terms,
                    Focus::Terms => Focus::Themes,
                };
            }
            Action::Back if view.merging.is_some() => {
                view.merging = None;
                self.set_status("merge cancelled", false);
            }
            Action::Back if view.terms.is_some() => {
                view.terms = None;
                view.focus = Focus::Themes;
            }
            Action::Back => {
                self.back_to_reader();
                return;
            }
            Action::Select if view.merging.is_some() => self.pick_merge_target(&mut view),
            Action::Select | Action::AddTheme if terms_focused => self.add_term(&mut view),
            Action::NewTheme if terms_focused => {
                if let Some(term) = view.selected_term().map(|u| u.term.clone()) {
                    self.ask(&view, Ask::NewId { term: Some(term) }, String::new());
                }
            }
            Action::AddTheme | Action::NewTheme => {
                self.ask(&view, Ask::NewId { term: None }, String::new())
            }
            Action::DiscoverTerms => self.discover(&mut view, None),
            Action::DiscoverDocumentTerms => {
                let doc = self
                    .panes
                    .get(self.focus)
                    .and_then(|p| p.document())
                    .map(|d| (d.meta.id, d.meta.title.clone()));
                match doc {
                    Some(doc) => self.discover(&mut view, Some(doc)),
                    None => self.set_status(
                        "no document is open: s lists the library's uncovered terms",
                        true,
                    ),
                }
            }
            action => self.theme_edit(action, &mut view),
        }
        if let View::Themes(current) = &mut self.view {
            **current = view;
        }
    }

    /// The edits of the selected theme that start with a prompt or a mode.
    fn theme_edit(&mut self, action: Action, view: &mut ThemesView) {
        let Some(theme) = view.selected_theme().cloned() else {
            return;
        };
        let id = theme.id.clone();
        match action {
            Action::RenameTheme => {
                let names = format!("{} | {} | {}", theme.name, theme.name_hant, theme.name_en);
                self.ask(view, Ask::Rename { id }, names);
            }
            Action::RecolorTheme => {
                let next = next_color(&theme.color).to_string();
                self.ask(view, Ask::Recolor { id }, next);
            }
            Action::ThemeKeywords => self.ask(view, Ask::Keywords { id }, String::new()),
            Action::MergeTheme => {
                self.set_status(
                    format!("merge {id} into…: pick a theme, Enter (Esc cancels)"),
                    false,
                );
                view.merging = Some(id);
            }
            Action::Remove => self.ask(view, Ask::ConfirmRemove { id }, String::new()),
            _ => {}
        }
    }

    /// Opens the prompt `ask`, with the input refused last time for the same question, else
    /// `input`.
    fn ask(&mut self, view: &ThemesView, ask: Ask, input: String) {
        let input = match &view.draft {
            Some((drafted, text)) if *drafted == ask => text.clone(),
            _ => input,
        };
        self.prompt = Some(Prompt {
            kind: PromptKind::Codebook(ask),
            input,
        });
    }

    fn discover(&mut self, view: &mut ThemesView, doc: Option<(DocId, String)>) {
        let id = doc.as_ref().map(|(id, _)| *id);
        view.terms = Some(Terms {
            doc,
            list: None,
            selected: 0,
        });
        view.focus = Focus::Terms;
        self.requests
            .push(Request::Codebook(CodebookRequest::Uncovered { doc: id }));
    }

    fn add_term(&mut self, view: &mut ThemesView) {
        let (Some(term), Some(theme)) = (view.selected_term(), view.selected_theme()) else {
            return;
        };
        let edit = Edit::Keywords {
            id: theme.id.clone(),
            add: vec![Keyword::new(term.term.as_str())],
            remove: Vec::new(),
        };
        let select = Some(theme.id.clone());
        self.send_edit(view, edit, None, select);
    }

    fn pick_merge_target(&mut self, view: &mut ThemesView) {
        let (Some(from), Some(into)) = (view.merging.clone(), view.selected_theme()) else {
            return;
        };
        let into = into.id.clone();
        let edit = Edit::Merge {
            into: into.clone(),
            from: from.clone(),
        };
        if let Some(error) = refused(view, &edit) {
            return self.set_status(error, true);
        }
        view.merging = None;
        self.ask(view, Ask::ConfirmMerge { from, into }, String::new());
    }

    /// Applies `edit` to the view's codebook first: refused, the error goes to the status
    /// line and `draft` is kept for the prompt; accepted, the worker saves it.
    fn send_edit(
        &mut self,
        view: &mut ThemesView,
        edit: Edit,
        draft: Option<(Ask, String)>,
        select: Option<String>,
    ) {
        if view.data.is_none() {
            return self.set_status("the codebook is still loading", true);
        }
        if let Some(error) = refused(view, &edit) {
            view.draft = draft;
            return self.set_status(error, true);
        }
        view.draft = None;
        view.select = select;
        self.requests
            .push(Request::Codebook(CodebookRequest::Edit(Box::new(edit))));
    }

    /// The prompt of the themes view was submitted with `input` (trimmed).
    pub(super) fn codebook_submit(&mut self, ask: Ask, input: String) {
        let View::Themes(view) = self.view.clone() else {
            return;
        };
        let mut view = *view;
        let draft = Some((ask.clone(), input.clone()));
        match ask {
            Ask::NewId { term } => {
                let probe = Edit::Add(new_theme(&input, "?", None));
                match refused(&view, &probe) {
                    Some(error) => {
                        view.draft = draft;
                        self.set_status(error, true);
                    }
                    None => {
                        let names = term.clone().unwrap_or_default();
                        view.draft = None;
                        self.ask(&view, Ask::NewNames { id: input, term }, names);
                    }
                }
            }
            Ask::NewNames { ref id, ref term } => {
                let names = parse_names(&input);
                let mut theme = new_theme(id, "", term.as_deref());
                theme.name = names.name.unwrap_or_default();
                theme.name_hant = names.name_hant.unwrap_or_default();
                theme.name_en = names.name_en.unwrap_or_default();
                let select = Some(id.clone());
                self.send_edit(&mut view, Edit::Add(theme), draft, select);
            }
            Ask::Rename { ref id } => {
                let edit = Edit::Rename {
                    id: id.clone(),
                    names: parse_names(&input),
                };
                self.send_edit(&mut view, edit, draft, Some(id.clone()));
            }
            Ask::Recolor { ref id } => {
                let edit = Edit::Recolor {
                    id: id.clone(),
                    color: parse_color(&input),
                };
                self.send_edit(&mut view, edit, draft, Some(id.clone()));
            }
            Ask::Keywords { ref id } => {
                let (add, remove) = parse_keywords(&input);
                if add.is_empty() && remove.is_empty() {
                    return;
                }
                let edit = Edit::Keywords {
                    id: id.clone(),
                    add: add.iter().map(|t| Keyword::new(t.as_str())).collect(),
                    remove,
                };
                self.send_edit(&mut view, edit, draft, Some(id.clone()));
            }
            Ask::ConfirmMerge { .. } | Ask::ConfirmRemove { .. } => {
                return self.codebook_confirm(ask, false);
            }
        }
        if let View::Themes(current) = &mut self.view {
            **current = view;
        }
    }

    /// A confirmation of the themes view was answered.
    pub(super) fn codebook_confirm(&mut self, ask: Ask, yes: bool) {
        let View::Themes(view) = self.view.clone() else {
            return;
        };
        let mut view = *view;
        match (ask, yes) {
            (Ask::ConfirmMerge { from, into }, true) => {
                let edit = Edit::Merge {
                    into: into.clone(),
                    from,
                };
                self.send_edit(&mut view, edit, None, Some(into));
            }
            (Ask::ConfirmRemove { id }, true) => {
                self.send_edit(&mut view, Edit::Remove { id }, None, None)
            }
            (Ask::ConfirmMerge { from, .. } | Ask::ConfirmRemove { id: from }, _) => {
                self.set_status(format!("kept theme {from}"), false)
            }
            _ => {}
        }
        if let View::Themes(current) = &mut self.view {
            **current = view;
        }
    }

    /// An answer to a [`CodebookRequest`].
    pub(super) fn codebook_answer(&mut self, response: CodebookResponse) {
        match response {
            CodebookResponse::Codebook(data) => {
                if let View::Themes(view) = &mut self.view {
                    view.set_data(*data);
                }
            }
            CodebookResponse::Edited { message, data } => {
                if let View::Themes(view) = &mut self.view {
                    view.set_data(*data);
                }
                self.set_status(format!("{message}; re-tagging the library…"), false);
                self.retagging = Some(Retagging {
                    reading: true,
                    done: 0,
                    total: 0,
                });
                let cancel = Cancel::new();
                self.running = Some(cancel.clone());
                self.requests
                    .push(Request::Codebook(CodebookRequest::Retag(cancel)));
            }
            CodebookResponse::Retagging(progress) => self.retagging = Some(progress),
            CodebookResponse::Retagged {
                cancelled: true, ..
            } => {
                self.retagging = None;
                self.running = None;
                self.set_status(
                    "re-tagging cancelled: the themes are as they were until next shown",
                    false,
                );
            }
            CodebookResponse::Retagged { documents, .. } => {
                self.retagging = None;
                self.running = None;
                let panes: Vec<(u64, DocId)> = self
                    .panes
                    .iter()
                    .filter(|p| p.preview_slot.is_none())
                    .filter(|p| p.document().is_some_and(|d| d.complete))
                    .map(|p| (p.id, p.doc_id()))
                    .collect();
                for (pane, id) in panes {
                    self.requests.push(Request::Themes { pane, id });
                }
                if matches!(self.view, View::Themes(_)) {
                    self.requests.push(Request::Codebook(CodebookRequest::Read));
                }
                if documents > 0 && !self.status.as_ref().is_some_and(|s| s.error) {
                    self.set_status(format!("re-tagged {}", count(documents, "document")), false);
                }
            }
            CodebookResponse::Uncovered { doc, terms } => {
                if let View::Themes(view) = &mut self.view
                    && let Some(open) = &mut view.terms
                    && open.doc.as_ref().map(|(id, _)| *id) == doc
                {
                    open.list = Some(terms);
                    open.selected = 0;
                }
            }
        }
    }
}

/// Why the core refuses `edit` on the view's codebook, if it does.
fn refused(view: &ThemesView, edit: &Edit) -> Option<String> {
    let mut copy = view.data.as_ref()?.codebook.clone();
    copy.apply(edit).err().map(|e| e.to_string())
}

/// A new top-level theme with an automatic colour, and `term` as its keyword if given.
fn new_theme(id: &str, name: &str, term: Option<&str>) -> Theme {
    Theme {
        id: id.to_string(),
        name: name.to_string(),
        name_hant: String::new(),
        name_en: String::new(),
        color: String::new(),
        description: String::new(),
        parent: None,
        keywords: term.into_iter().map(Keyword::new).collect(),
    }
}
