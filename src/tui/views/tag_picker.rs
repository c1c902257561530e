//! The tag picker, drawn over the reader at the foot of the screen: what is typed, the rows
//! (a new tag of the reader's own, the codebook's themes with their chips and names), the
//! highlighted one kept in view, and the keys.

use super::fit;
use super::passage::name_spans;
use crate::doc::Script;
use crate::tagging::merge::Status;
use crate::text::sanitize::sanitize_line;
use crate::tui::app::App;
use crate::tui::tag_picker::{Choice, TagPicker};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

const KEYS: &str = "type to find · ↑/↓ choose · Enter tag · Esc back";
/// Most rows of themes shown at once (the list scrolls).
const ROWS: usize = 8;

pub fn render(app: &App, picker: &TagPicker, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let themes = app.picker_themes();
    let script = app
        .panes
        .get(app.focus)
        .and_then(|p| p.document())
        .map_or(Script::Simplified, |d| d.meta.script);
    let width = area.width.saturating_sub(4).min(64);
    let inner = usize::from(width.saturating_sub(2));
    let choices = picker.choices(themes);
    let rows = ROWS.min(usize::from(area.height.saturating_sub(5)).max(1));
    let first = picker.selected.saturating_sub(rows - 1);
    let mut lines = vec![Line::from(Span::styled(
        fit(&format!("tag: {}▏", sanitize_line(&picker.typed)), inner),
        theme.text.add_modifier(Modifier::BOLD),
    ))];
    if choices.is_empty() {
        let why = match themes {
            None => "the codebook is still being read: type a tag of your own",
            Some(_) => "type a tag: a theme, or any word",
        };
        lines.push(Line::from(Span::styled(fit(why, inner), theme.dim)));
    }
    for (i, choice) in choices.iter().enumerate().skip(first).take(rows) {
        let base = if i == picker.selected {
            theme.selected
        } else {
            theme.text
        };
        lines.push(match choice {
            Choice::New(text) => Line::from(Span::styled(
                fit(&format!("+ new tag: {}", sanitize_line(text)), inner),
                base,
            )),
            Choice::Theme(label) => {
                Line::from(name_spans(label, script, Status::Added, base, theme, inner))
            }
        });
    }
    let more = choices.len().saturating_sub(first + rows);
    let keys = match more {
        0 => KEYS.to_string(),
        n => format!("{n} more · {KEYS}"),
    };
    lines.push(Line::from(Span::styled(fit(&keys, inner), theme.dim)));
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + area.height - height,
        width,
        height,
    );
    super::split_wide_at(buf, popup.x, popup.y..popup.y + popup.height);
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(" tag the selection "),
        )
        .render(popup, buf);
}
