//! The tag picker (`t` on a selection): a small list over the reader of the codebook's themes
//! that match what is typed (id, English name, Chinese names in either script: the matcher of
//! the theme list's `a`), with a first row `new tag: TEXT` when the text names no theme
//! exactly; Up/Down (Ctrl-n/Ctrl-p) move, `Enter` tags the selection with the highlighted
//! one, `Esc` goes back to the selection.

use super::action::Action;
use super::app::{App, View};
use super::themes::{DocThemes, Label};
use super::worker::Request;
use crate::annotations::{Color, NewAnnotation};

/// The picker's state: what is typed and the row highlighted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagPicker {
    pub typed: String,
    pub selected: usize,
}

/// A row of the picker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Choice<'a> {
    /// A tag of the reader's own: the text typed.
    New(&'a str),
    Theme(&'a Label),
}

impl TagPicker {
    /// The rows for what is typed: `new tag` first when the text names no theme exactly, then
    /// the codebook's themes that match it (all of them before anything is typed).
    pub fn choices<'a>(&'a self, themes: Option<&'a DocThemes>) -> Vec<Choice<'a>> {
        let labels = themes.map_or(&[][..], |t| t.labels.as_slice());
        let typed = self.typed.trim();
        let named = labels.iter().any(|l| l.is_named(typed));
        let new = (!typed.is_empty() && !named).then_some(Choice::New(typed));
        new.into_iter()
            .chain(
                labels
                    .iter()
                    .filter(|l| l.matches(typed))
                    .map(Choice::Theme),
            )
            .collect()
    }
}

impl App {
    /// `t` on a selection: the picker.
    pub(super) fn open_tag_picker(&mut self) {
        self.view = View::Tags(TagPicker::default());
    }

    /// The codebook's labels for the picker: the focused pane's.
    pub fn picker_themes(&self) -> Option<&DocThemes> {
        self.panes.get(self.focus)?.themes.as_deref()
    }

    pub(super) fn tag_picker_action(&mut self, action: Action, mut picker: TagPicker) {
        let rows = picker.choices(self.picker_themes()).len();
        match action {
            Action::Input(c) => {
                picker.typed.push(c);
                picker.selected = 0;
            }
            Action::Backspace => {
                picker.typed.pop();
                picker.selected = 0;
            }
            Action::Down => picker.selected = (picker.selected + 1).min(rows.saturating_sub(1)),
            Action::Up => picker.selected = picker.selected.saturating_sub(1),
            Action::Back => {
                self.view = View::Reader;
                return;
            }
            Action::Submit => {
                let tag = match picker.choices(self.picker_themes()).get(picker.selected) {
                    Some(Choice::New(text)) => text.to_string(),
                    Some(Choice::Theme(label)) => label.id.clone(),
                    None => return self.set_status("type a tag, or Esc", false),
                };
                self.view = View::Reader;
                return self.tag_selection(tag);
            }
            _ => {}
        }
        self.view = View::Tags(picker);
    }

    /// Makes an annotation of the selection with `tag`.
    fn tag_selection(&mut self, tag: String) {
        let Some((doc, span, _)) = self.selection() else {
            return;
        };
        self.end_selection();
        self.requests.push(Request::Annotate(NewAnnotation {
            doc,
            span,
            color: Color::default(),
            note: String::new(),
            tags: vec![tag],
        }));
    }
}
