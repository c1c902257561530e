//! Drawing: the whole screen from the state, with no I/O and no waiting. The reader's panes,
//! the library, the library search results, the matrix and compare views, the help overlay
//! and the status line each have their module; every piece of document text is drawn through
//! the layout engine's sanitizing, so no control character reaches the terminal.

mod annotations;
mod compare;
mod editor;
mod export;
mod help;
mod library;
mod matrix;
mod passage;
mod reader;
mod related;
mod results;
mod status;
mod tag_picker;
mod themes;

pub use reader::Layer;

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, View};
use super::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Draws the whole screen into `buf`.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(area, buf);
        return;
    }
    let main = Rect::new(area.x, area.y, area.width, area.height - 1);
    match &app.view {
        View::Reader => reader::render(app, theme, main, buf),
        View::Library(lib) => library::render(app, lib, theme, main, buf),
        View::Results(results) => results::render(results, theme, main, buf),
        View::Passage(view) => {
            reader::render(app, theme, main, buf);
            passage::render(app, view, theme, main, buf);
        }
        View::Related(view) => related::render(view, app.width_opts, theme, main, buf),
        View::Matrix(matrix) => matrix::render(matrix, theme, main, buf),
        View::Compare(compare) => compare::render(app, compare, theme, main, buf),
        View::Themes(view) => themes::render(view, theme, main, buf),
        View::Note(editor) => {
            reader::render(app, theme, main, buf);
            editor::render(app, editor, theme, main, buf);
        }
        View::Tags(picker) => {
            reader::render(app, theme, main, buf);
            tag_picker::render(app, picker, theme, main, buf);
        }
        View::Annotations(view) => annotations::render(view, theme, main, buf),
    }
    if let Some(dialog) = &app.export {
        export::render(dialog, theme, main, buf);
    }
    if let Some(scroll) = app.help {
        help::render(app, scroll, theme, main, buf);
    }
    let status = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
    status::render(app, theme, status, buf);
}

/// Where the note editor goes in the main area (the app sizes its text by it).
pub fn editor_area(main: Rect) -> Rect {
    editor::area(main)
}

/// Where the terminal's own cursor goes (the note editor's insertion point), if anywhere.
pub fn cursor(app: &App, area: Rect) -> Option<ratatui::layout::Position> {
    if area.width < MIN_WIDTH
        || area.height < MIN_HEIGHT
        || app.prompt.is_some()
        || app.help.is_some()
    {
        return None;
    }
    let main = Rect::new(area.x, area.y, area.width, area.height - 1);
    if let Some(dialog) = &app.export {
        return export::cursor(dialog, main);
    }
    match &app.view {
        View::Note(e) => editor::cursor(app, e, main),
        _ => None,
    }
}

fn too_small(area: Rect, buf: &mut Buffer) {
    let text = vec![
        Line::from("terminal too small"),
        Line::from(format!("need {MIN_WIDTH}×{MIN_HEIGHT}")),
    ];
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

/// `text` cut to at most `width` columns (with `…` when cut).
/// A list view's heading: `title` on the top row of `area`, in the focused title style.
fn heading(buf: &mut Buffer, area: Rect, title: &str, width: usize, theme: &Theme) {
    buf.set_style(
        Rect::new(area.x, area.y, area.width, 1),
        theme.title_focused,
    );
    buf.set_stringn(
        area.x,
        area.y,
        fit(title, width),
        width,
        theme.title_focused,
    );
}

pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `n` as a screen coordinate (the largest one when it is larger).
fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Blanks a wide character that starts just left of column `x` on these rows, so that an
/// overlay starting at `x` is not half hidden under it.
pub fn split_wide_at(buf: &mut Buffer, x: u16, rows: std::ops::Range<u16>) {
    use unicode_width::UnicodeWidthStr;
    let Some(left) = x.checked_sub(1) else { return };
    for y in rows {
        if let Some(cell) = buf.cell_mut((left, y))
            && cell.symbol().width() > 1
        {
            cell.set_symbol(" ");
        }
    }
}
