//! The compare view: one theme's passages, one column per document (as many as fit side by
//! side; the rest scroll in horizontally). Each passage is headed by its status chip (`○`
//! suggested, `●` confirmed), its number and the tagger's score; its text is laid out by the
//! layout engine with the matched terms highlighted, and the terms are listed dim under it.

use super::reader::Cells;
use super::{fit, to_u16};
use crate::count::count;
use crate::tagging::compare::{ThemeColumn, ThemedPassage};
use crate::tagging::merge::Status;
use crate::text::layout::{LayoutOptions, LineSpan, draw_line_with, layout_paragraph};
use crate::text::sanitize::sanitize_line;
use crate::text::width::str_width;
use crate::tui::app::App;
use crate::tui::compare::{CompareData, CompareView, compare_geometry, scrolled};
use crate::tui::theme::Theme;
use crate::tui::themes::is_confirmed;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Columns left of a passage's text: the selection bar and a space.
const INDENT: usize = 2;

pub fn render(app: &App, view: &CompareView, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let Some(data) = &view.data else {
        let title = format!(" Compare: {}", sanitize_line(&view.theme));
        super::heading(buf, area, &title, width, theme);
        buf.set_stringn(
            area.x + 1,
            area.y + 1,
            "reading the theme's passages…",
            width.saturating_sub(1),
            theme.dim,
        );
        return;
    };
    let columns = data.columns.len();
    let (shown, each) = compare_geometry(width, columns);
    let left = scrolled(view.left, view.column, shown, columns);
    let passages: usize = data.columns.iter().map(|c| c.passages.len()).sum();
    let mut title = format!(" Compare: {}", sanitize_line(&data.theme.name));
    if !data.theme.name_en.is_empty() {
        title.push_str(&format!(" ({})", sanitize_line(&data.theme.name_en)));
    }
    title.push_str(&format!(
        " — {} in {}",
        count(passages, "passage"),
        count(columns, "document")
    ));
    if columns > shown {
        title.push_str(&format!(
            " · {}–{} of {columns} ←→",
            left + 1,
            (left + shown).min(columns)
        ));
    }
    super::heading(buf, area, &title, width, theme);
    if columns == 0 {
        buf.set_stringn(
            area.x + 1,
            area.y + 1,
            "no passage has this theme",
            width.saturating_sub(1),
            theme.dim,
        );
        return;
    }
    let body = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(1),
    );
    for (k, c) in (left..columns).take(shown).enumerate() {
        let x = body.x + to_u16(k * (each + 1));
        let rect = Rect::new(x, body.y, to_u16(each).min(body.right() - x), body.height);
        let selected = view.selected.get(c).copied().unwrap_or(0);
        let focused = c == view.column;
        let column = &data.columns[c];
        render_column(app, data, column, (selected, focused), theme, rect, buf);
        let separator = rect.right();
        if k + 1 < shown && separator < body.right() {
            for y in body.y..body.bottom() {
                buf.set_string(separator, y, "│", theme.separator);
            }
        }
    }
}

/// One document's column: its title, then its passages from the first one that lets the
/// selected one show whole (or from the selected one, when it is taller than the column).
fn render_column(
    app: &App,
    data: &CompareData,
    column: &ThemeColumn,
    (selected, focused): (usize, bool),
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = usize::from(area.width);
    let title_style = if focused {
        theme.title_focused
    } else {
        theme.title
    };
    buf.set_style(Rect::new(area.x, area.y, area.width, 1), title_style);
    let title = format!(
        " #{} {} ({})",
        column.meta.id,
        sanitize_line(&column.meta.title),
        column.passages.len()
    );
    buf.set_stringn(area.x, area.y, fit(&title, width), width, title_style);
    let rows = usize::from(area.height.saturating_sub(1));
    let opts = LayoutOptions {
        width: width.saturating_sub(INDENT),
        width_opts: app.width_opts,
    };
    let laid: Vec<Vec<LineSpan>> = column
        .passages
        .iter()
        .map(|p| layout_paragraph(&p.text, &opts))
        .collect();
    let height = |i: usize| laid[i].len() + 2 + usize::from(!column.passages[i].matched.is_empty());
    let mut first = selected.min(column.passages.len().saturating_sub(1));
    let mut used = height(first);
    while first > 0 && used + height(first - 1) <= rows {
        first -= 1;
        used += height(first);
    }
    let pen = Pen {
        theme,
        opts: &opts,
        area,
        color: &data.theme.color,
    };
    let mut y = area.y + 1;
    for (i, passage) in column.passages.iter().enumerate().skip(first) {
        if y >= area.bottom() {
            break;
        }
        let here = (i == selected).then_some(focused);
        y = pen.passage(passage, &laid[i], here, y, buf);
    }
}

/// What a column's passages are drawn with.
struct Pen<'a> {
    theme: &'a Theme,
    opts: &'a LayoutOptions,
    /// The column.
    area: Rect,
    /// The theme's colour.
    color: &'a str,
}

impl Pen<'_> {
    /// Draws a passage from row `y` on and returns the row after it. `here` is `Some` for
    /// the column's selected passage (`Some(true)` in the selected column).
    fn passage(
        &self,
        passage: &ThemedPassage,
        lines: &[LineSpan],
        here: Option<bool>,
        mut y: u16,
        buf: &mut Buffer,
    ) -> u16 {
        let Pen {
            theme,
            opts,
            area,
            color,
        } = *self;
        let width = usize::from(area.width);
        let text_x = area.x + to_u16(INDENT).min(area.width);
        let confirmed = is_confirmed(passage.status);
        let chip_style = theme.chip(color, confirmed);
        let bar = match here {
            Some(true) => Some(theme.chip(color, true)),
            Some(false) => Some(theme.dim),
            None => None,
        };
        let rows = 1 + lines.len() + usize::from(!passage.matched.is_empty());
        let end = area.bottom().min(y.saturating_add(to_u16(rows)));
        if let Some(style) = bar {
            for row in y..end {
                buf.set_string(area.x, row, "▌", style);
            }
        }
        // The heading: chip, number, score, status.
        let head_style = if here == Some(true) {
            theme.selected
        } else {
            theme.dim
        };
        let head_area = Rect::new(text_x, y, area.right().saturating_sub(text_x), 1);
        buf.set_style(head_area, head_style);
        let chip = if confirmed { "●" } else { "○" };
        buf.set_string(text_x, y, chip, head_style.patch(chip_style));
        let score = passage
            .score
            .map_or_else(|| "—".to_string(), |s| format!("{s:.2}"));
        let head = format!(" §{}  {score}  {}", passage.n, status_word(passage.status));
        let room = width.saturating_sub(INDENT + 1);
        buf.set_stringn(text_x + 1, y, fit(&head, room), room, head_style);
        y += 1;
        // The text, the matched terms highlighted.
        let mut hits = passage.hits.iter().peekable();
        for line in lines {
            if y >= area.bottom() {
                return y;
            }
            let mut cells = Cells::new(buf, Rect::new(text_x, y, head_area.width, 1));
            draw_line_with(&passage.text, line, &opts.width_opts, |offset, piece| {
                while hits.next_if(|h| h.end <= offset).is_some() {}
                let hit = hits.peek().is_some_and(|h| h.contains(offset));
                let style = if hit { theme.matched } else { theme.text };
                cells.put(piece, str_width(piece, &opts.width_opts), style);
            });
            y += 1;
        }
        if !passage.matched.is_empty() && y < area.bottom() {
            let terms = terms(passage);
            let room = width.saturating_sub(INDENT);
            buf.set_stringn(text_x, y, fit(&terms, room), room, theme.dim);
            y += 1;
        }
        y.saturating_add(1)
    }
}

/// The matched terms, weightiest first: `新质生产力×2 · 科技创新`.
fn terms(passage: &ThemedPassage) -> String {
    passage
        .matched
        .iter()
        .map(|m| match m.count {
            1 => sanitize_line(&m.term),
            n => format!("{}×{n}", sanitize_line(&m.term)),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Accepted => "accepted",
        Status::Added => "added",
        Status::Suggested => "suggested",
        Status::Rejected => "rejected",
    }
}
