//! The note editor over the reader: the annotated text on top, the note below it wrapped by
//! the layout engine, the keys at the foot; [`cursor`] says where the terminal's cursor goes
//! (so an input method writes there).

use super::fit;
use crate::text::sanitize::sanitize_line;
use crate::tui::app::App;
use crate::tui::editor::NoteEditor;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Block, Borders, Clear, Widget};

const KEYS: &str = "Esc or Ctrl-s saves · Ctrl-c leaves without saving";

/// Where the editor goes in the main area: the lower part, most of the width.
pub fn area(main: Rect) -> Rect {
    let width = main.width.saturating_sub(4).min(80);
    let height = (main.height / 2).max(6).min(main.height);
    Rect::new(
        main.x + (main.width - width) / 2,
        main.y + main.height - height,
        width,
        height,
    )
}

/// The text area inside the box: below the quote line, above the keys line.
fn text_area(area: Rect) -> Rect {
    Rect::new(
        area.x + 1,
        area.y + 2,
        area.width.saturating_sub(2),
        area.height.saturating_sub(4),
    )
}

pub fn render(app: &App, editor: &NoteEditor, theme: &Theme, main: Rect, buf: &mut Buffer) {
    let area = area(main);
    super::split_wide_at(buf, area.x, area.y..area.y + area.height);
    Clear.render(area, buf);
    Block::default()
        .borders(Borders::ALL)
        .title(" note ")
        .render(area, buf);
    let inner = usize::from(area.width.saturating_sub(2));
    let quote = format!("«{}»", sanitize_line(&editor.quote.replace('\n', " ")));
    buf.set_stringn(area.x + 1, area.y + 1, fit(&quote, inner), inner, theme.dim);
    let text = text_area(area);
    let (width, height) = (usize::from(text.width), usize::from(text.height));
    let note: Vec<char> = editor.text().chars().collect();
    for (row, y) in editor
        .rows(width, app.width_opts)
        .iter()
        .skip(editor.scroll)
        .take(height)
        .zip(text.y..)
    {
        let line: String = note[row.start..row.end].iter().collect();
        buf.set_stringn(text.x, y, sanitize_line(&line), width, theme.text);
    }
    let foot = area.y + area.height.saturating_sub(2);
    buf.set_stringn(area.x + 1, foot, fit(KEYS, inner), inner, theme.dim);
}

/// Where the terminal's cursor goes while the editor is open.
pub fn cursor(app: &App, editor: &NoteEditor, main: Rect) -> Option<Position> {
    let text = text_area(area(main));
    let (row, column) = editor.cursor_place(usize::from(text.width), app.width_opts);
    let row = u16::try_from(row.checked_sub(editor.scroll)?).ok()?;
    let column = u16::try_from(column)
        .ok()?
        .min(text.width.saturating_sub(1));
    (row < text.height).then(|| Position::new(text.x + column, text.y + row))
}
