//! The export dialog, drawn over whatever view is open: a row per choice (the current one
//! marked, those that do not apply to the format dimmed), the file name with the terminal's
//! cursor in it, and the keys at the foot; [`cursor`] says where the terminal's cursor goes.

use super::fit;
use crate::export::markdown::Grouping;
use crate::text::sanitize::sanitize_line;
use crate::tui::export::{ExportDialog, FORMATS, Row};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Padding, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

/// Columns of the rows' labels.
const LABEL: usize = 11;
/// The keys at the foot, in two lines: on the file name, and on the other rows.
const PATH_KEYS: [&str; 2] = ["type the file name · ↑↓ field", "Enter export · Esc cancel"];
const KEYS: [&str; 2] = [
    "↑↓ field · ←→ change · m c j r q format",
    "Enter export · Esc cancel",
];

const ROWS: [(Row, &str); 5] = [
    (Row::Format, "format"),
    (Row::Scope, "notes of"),
    (Row::Grouping, "Markdown"),
    (Row::Excel, "CSV"),
    (Row::Path, "file"),
];

/// The dialog's box in the main area: centred, at most 72 columns.
fn area(main: Rect) -> Rect {
    let width = main.width.saturating_sub(4).min(72);
    let height = 10.min(main.height);
    Rect::new(
        main.x + (main.width - width) / 2,
        main.y + (main.height - height) / 2,
        width,
        height,
    )
}

pub fn render(dialog: &ExportDialog, theme: &Theme, main: Rect, buf: &mut Buffer) {
    let popup = area(main);
    let inner = usize::from(popup.width.saturating_sub(4));
    let value_width = inner.saturating_sub(LABEL);
    let mut lines: Vec<Line> = ROWS
        .iter()
        .map(|&(row, label)| {
            let applies = dialog.applies(row);
            let current = row == dialog.row;
            let label_style = match (current, applies) {
                (true, _) => theme.selected,
                (false, true) => theme.key,
                (false, false) => theme.dim,
            };
            let mut spans = vec![Span::styled(format!("{label:<LABEL$}"), label_style)];
            spans.extend(value(dialog, row, applies, theme, value_width));
            Line::from(spans)
        })
        .collect();
    lines.push(Line::from(""));
    let keys = match (dialog.busy, dialog.row) {
        (true, _) => ["exporting…", ""],
        (false, Row::Path) => PATH_KEYS,
        (false, _) => KEYS,
    };
    for line in keys {
        lines.push(Line::from(Span::styled(fit(line, inner), theme.dim)));
    }
    super::split_wide_at(buf, popup.x, popup.y..popup.y + popup.height);
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .padding(Padding::horizontal(1))
                .title(" export notes "),
        )
        .render(popup, buf);
}

/// A row's value.
fn value<'a>(
    dialog: &ExportDialog,
    row: Row,
    applies: bool,
    theme: &Theme,
    width: usize,
) -> Vec<Span<'a>> {
    let plain = if applies { theme.text } else { theme.dim };
    let choice = |text: String| -> Vec<Span<'a>> {
        let text = if applies {
            format!("‹ {} ›", fit(&text, width.saturating_sub(4)))
        } else {
            fit(&text, width)
        };
        vec![Span::styled(text, plain)]
    };
    match row {
        Row::Format => formats(dialog, theme, width),
        Row::Scope if applies => choice(sanitize_line(&dialog.chosen_scope().label())),
        Row::Scope => choice("the codebook alone".to_string()),
        Row::Grouping => choice(
            match dialog.grouping {
                Grouping::Document => "by document",
                Grouping::Theme => "by theme",
            }
            .to_string(),
        ),
        Row::Excel => {
            let mark = if dialog.excel { "[x]" } else { "[ ]" };
            vec![Span::styled(
                fit(&format!("{mark} byte-order mark for Excel"), width),
                plain,
            )]
        }
        Row::Path if dialog.row == Row::Path => {
            let shown = dialog.path.window(width);
            vec![Span::styled(sanitize_line(&shown.text), theme.text)]
        }
        Row::Path => vec![Span::styled(
            fit(&sanitize_line(dialog.path.text()), width),
            theme.text,
        )],
    }
}

/// Every format on one row, the chosen one marked and each one's key letter underlined; when
/// they do not fit, only the chosen one.
fn formats<'a>(dialog: &ExportDialog, theme: &Theme, width: usize) -> Vec<Span<'a>> {
    let all: usize = FORMATS.iter().map(|(_, _, name)| name.width() + 2).sum();
    if all > width {
        let name = FORMATS
            .iter()
            .find(|(f, ..)| *f == dialog.format)
            .map_or("", |(_, _, name)| name);
        return vec![Span::styled(fit(&format!("‹ {name} ›"), width), theme.text)];
    }
    let mut spans = Vec::new();
    for &(format, key, name) in &FORMATS {
        let style = if format == dialog.format {
            theme.selected
        } else {
            theme.text
        };
        let (before, letter, after) = split_key(name, key);
        spans.push(Span::styled(before, style));
        spans.push(Span::styled(
            letter,
            style.add_modifier(Modifier::UNDERLINED),
        ));
        spans.push(Span::styled(after, style));
        spans.push(Span::styled("  ", Style::default()));
    }
    spans
}

/// `name` split around its key letter (the first one, in either case).
fn split_key(name: &str, key: char) -> (String, String, String) {
    match name
        .char_indices()
        .find(|(_, c)| c.eq_ignore_ascii_case(&key))
    {
        Some((i, c)) => {
            let end = i + c.len_utf8();
            (
                name[..i].to_string(),
                name[i..end].to_string(),
                name[end..].to_string(),
            )
        }
        None => (name.to_string(), String::new(), String::new()),
    }
}

/// Where the terminal's cursor goes: in the file name while it is being edited.
pub fn cursor(dialog: &ExportDialog, main: Rect) -> Option<Position> {
    if dialog.row != Row::Path || dialog.busy {
        return None;
    }
    let popup = area(main);
    let inner = usize::from(popup.width.saturating_sub(4));
    let window = dialog.path.window(inner.saturating_sub(LABEL));
    let row = ROWS.iter().position(|(r, _)| *r == Row::Path)?;
    let x = usize::from(popup.x) + 2 + LABEL + window.cursor_column;
    let y = usize::from(popup.y) + 1 + row;
    let (x, y) = (u16::try_from(x).ok()?, u16::try_from(y).ok()?);
    (y < popup.y + popup.height.saturating_sub(1)).then_some(Position::new(x, y))
}
