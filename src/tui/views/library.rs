//! The library view: the documents with title, script, size and import date, filtered by
//! what the user types; or, for an empty library, a welcome screen that says how to import.

use super::fit;
use crate::count::count;
use crate::text::sanitize::sanitize_line;
use crate::tui::app::{App, LibraryView, Target};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub fn render(app: &App, lib: &LibraryView, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(all) = &app.documents else {
        buf.set_stringn(
            area.x + 1,
            area.y,
            "loading the library…",
            usize::from(area.width),
            theme.dim,
        );
        return;
    };
    if all.is_empty() {
        welcome(theme, area, buf);
        return;
    }
    let width = usize::from(area.width);
    let docs = app.filtered_documents();
    let heading = match lib.target {
        Target::FocusedPane => "Library",
        Target::NewPane => "Library — open in a new pane",
    };
    let filter = if lib.editing || !lib.filter.is_empty() {
        format!(
            "  filter: {}{}",
            sanitize_line(&lib.filter),
            if lib.editing { "▏" } else { "" }
        )
    } else {
        String::new()
    };
    let title = format!(
        " {heading} · {} of {}{filter}",
        docs.len(),
        count(all.len(), "document")
    );
    super::heading(buf, area, &title, width, theme);
    // id, title, script, chars, date
    let fixed = 5 + 1 + 11 + 1 + 9 + 1 + 10;
    let title_width = width.saturating_sub(fixed + 2).max(4);
    let header = format!(
        " {:>4} {:<title_width$} {:<11} {:>9} {:<10}",
        "#", "title", "script", "chars", "imported"
    );
    if area.height > 1 {
        buf.set_stringn(
            area.x,
            area.y + 1,
            fit(&header, width),
            width,
            theme.heading,
        );
    }
    let rows = usize::from(area.height.saturating_sub(2));
    let first = lib.selected.saturating_sub(rows.saturating_sub(1));
    for (row, (index, doc)) in docs.iter().enumerate().skip(first).take(rows).enumerate() {
        let y = area.y + 2 + u16::try_from(row).unwrap_or(0);
        let style = if index == lib.selected {
            theme.selected
        } else {
            theme.text
        };
        buf.set_style(Rect::new(area.x, y, area.width, 1), style);
        let title = fit(&sanitize_line(&doc.title), title_width);
        let pad = title_width.saturating_sub(unicode_width::UnicodeWidthStr::width(title.as_str()));
        let line = format!(
            " {:>4} {title}{} {:<11} {:>9} {:<10}",
            doc.id,
            " ".repeat(pad),
            doc.script.as_str(),
            doc.chars,
            doc.imported_at.get(..10).unwrap_or(&doc.imported_at),
        );
        buf.set_stringn(area.x, y, &line, width, style);
    }
    if docs.is_empty() && area.height > 2 {
        buf.set_stringn(
            area.x + 1,
            area.y + 2,
            "no title matches the filter",
            width,
            theme.dim,
        );
    }
}

fn welcome(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let choice = |key: &'static str, what: &'static str| {
        Line::from(vec![
            Span::raw("  "),
            Span::styled(key, theme.key),
            Span::raw(format!("  {what}")),
        ])
    };
    let lines = vec![
        Line::from(Span::styled("批注 pizhu", theme.heading)),
        Line::from(""),
        Line::from("pizhu is a workbench for close reading of Chinese texts: read documents side"),
        Line::from("by side, follow themes across them, highlight and write notes, export them."),
        Line::from(""),
        Line::from("Your library is empty. Start with:"),
        Line::from(""),
        choice(
            "i",
            "import a file or folder (type its path; Tab completes)",
        ),
        choice(
            "D",
            "import the demo texts (four short policy texts) and read them",
        ),
        Line::from(""),
        Line::from(vec![
            Span::styled("From the shell: ", theme.dim),
            Span::styled("pizhu import PATH...", theme.key),
            Span::styled(" or ", theme.dim),
            Span::styled("pizhu --demo", theme.key),
            Span::styled(" (stores nothing)", theme.dim),
        ]),
        Line::from(""),
        Line::from(Span::styled("q quits · ? shows the keys", theme.dim)),
    ];
    let inner = Rect::new(
        area.x + 2,
        area.y + 1,
        area.width.saturating_sub(4),
        area.height.saturating_sub(1),
    );
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
