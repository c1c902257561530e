//! The matrix view: documents (rows) × themes (columns) as a heat map. Each cell shows on how
//! many passages the theme is and their share of the document's body text, on the theme's
//! colour, stronger as the share grows; the selected cell, its row and its column stand out,
//! and a footer names the selected theme and what it is about.

use super::{fit, to_u16};
use crate::count::count;
use crate::tagging::matrix::Row;
use crate::text::sanitize::sanitize_line;
use crate::tui::compare::{MATRIX_CELL, MatrixData, MatrixView, matrix_geometry, scrolled};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

pub fn render(view: &MatrixView, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let Some(data) = &view.data else {
        super::heading(buf, area, " Matrix: documents × themes", width, theme);
        buf.set_stringn(
            area.x + 1,
            area.y + 1,
            "tagging the library…",
            width.saturating_sub(1),
            theme.dim,
        );
        return;
    };
    let m = &data.matrix;
    let title = format!(
        " Matrix: {} × {} — passages tagged, share of the text",
        count(m.rows.len(), "document"),
        count(m.themes.len(), "theme")
    );
    super::heading(buf, area, &title, width, theme);
    if m.rows.is_empty() || m.themes.is_empty() {
        buf.set_stringn(
            area.x + 1,
            area.y + 1,
            "no documents or no themes yet: o then i imports texts, T edits the codebook",
            width.saturating_sub(1),
            theme.dim,
        );
        return;
    }
    let (label, columns, rows) = matrix_geometry(width, usize::from(area.height));
    let left = scrolled(view.left, view.column, columns, m.themes.len());
    let top = scrolled(view.top, view.row, rows, m.rows.len());
    let shown: Vec<usize> = (left..m.themes.len()).take(columns).collect();
    header(data, view, &shown, label, theme, area, buf);
    for (k, (i, row)) in m.rows.iter().enumerate().skip(top).take(rows).enumerate() {
        let y = area.y + 2 + u16::try_from(k).unwrap_or(0);
        let selected = i == view.row;
        let style = if selected { theme.selected } else { theme.text };
        buf.set_style(Rect::new(area.x, y, to_u16(label), 1), style);
        let name = format!(" #{} {}", row.meta.id, sanitize_line(&row.meta.title));
        buf.set_stringn(area.x, y, fit(&name, label - 1), label - 1, style);
        for (c, &t) in shown.iter().enumerate() {
            let x = area.x + to_u16(label + c * MATRIX_CELL);
            let color = data.themes.get(t).map_or("", |th| th.color.as_str());
            let here = selected && t == view.column;
            cell(row, t, color, here, theme, (x, y), buf);
        }
    }
    footer(data, view, theme, area, buf);
}

/// The theme names over their columns, with which columns are shown at the left.
fn header(
    data: &MatrixData,
    view: &MatrixView,
    shown: &[usize],
    label: usize,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let y = area.y + 1;
    let (first, last) = (
        shown.first().map_or(0, |i| i + 1),
        shown.last().map_or(0, |i| i + 1),
    );
    let range = format!(" themes {first}–{last} of {}", data.themes.len());
    buf.set_stringn(area.x, y, fit(&range, label - 1), label - 1, theme.dim);
    for (c, &t) in shown.iter().enumerate() {
        let Some(th) = data.themes.get(t) else {
            continue;
        };
        let x = area.x + to_u16(label + c * MATRIX_CELL);
        let mut style = theme.chip(&th.color, true);
        if t == view.column {
            style = style.patch(theme.selected);
        }
        buf.set_style(Rect::new(x, y, to_u16(MATRIX_CELL), 1), style);
        let name = fit(&sanitize_line(&th.name), MATRIX_CELL - 2);
        buf.set_stringn(x + 1, y, name, MATRIX_CELL - 2, style);
    }
}

/// One cell at `(x, y)`: `passages share%` on the theme's colour at the share's strength
/// (`·` when none).
fn cell(
    row: &Row,
    t: usize,
    color: &str,
    selected: bool,
    theme: &Theme,
    (x, y): (u16, u16),
    buf: &mut Buffer,
) {
    let passages = row.cells.get(t).map_or(0, |c| c.passages);
    let share = row.share(t);
    let mut style = theme.heat(color, share.sqrt());
    if selected {
        style = style
            .patch(theme.cursor)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    }
    let text = match passages {
        0 => "·".to_string(),
        n => format!("{n} {}%", ((share * 100.0).round() as u32).max(1)),
    };
    let inner = MATRIX_CELL - 2;
    buf.set_style(Rect::new(x, y, to_u16(MATRIX_CELL), 1), style);
    buf.set_stringn(x + 1, y, format!("{text:>inner$}"), inner, style);
}

/// The selected theme's names and what it is about, and the selected cell in words.
fn footer(data: &MatrixData, view: &MatrixView, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let (Some(th), Some(row)) = (data.themes.get(view.column), data.matrix.rows.get(view.row))
    else {
        return;
    };
    let y = area.y + area.height.saturating_sub(2);
    let passages = row.cells.get(view.column).map_or(0, |c| c.passages);
    let mut names = vec![sanitize_line(&th.name)];
    if !th.name_hant.is_empty() && th.name_hant != th.name {
        names.push(sanitize_line(&th.name_hant));
    }
    if !th.name_en.is_empty() {
        names.push(sanitize_line(&th.name_en));
    }
    let names = names.join(" · ");
    let line = format!(
        " {names} — #{}: {passages} of {} passages, {:.0}% of the text · Enter compares",
        row.meta.id,
        row.passages,
        row.share(view.column) * 100.0
    );
    buf.set_stringn(
        area.x,
        y,
        fit(&line, width),
        width,
        theme.chip(&th.color, true),
    );
    let about = format!(" {}", sanitize_line(&th.description));
    buf.set_stringn(area.x, y + 1, fit(&about, width), width, theme.dim);
}
