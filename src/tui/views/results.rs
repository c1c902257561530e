//! Library search results: one hit a row — document, context before, the match, context
//! after — with the match kept in view however narrow the screen.

use super::fit;
use crate::text::sanitize::sanitize_line;
use crate::tui::app::ResultsView;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn render(results: &ResultsView, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let query = sanitize_line(&results.query);
    let title = match &results.hits {
        None => format!(" Searching the library for “{query}”…"),
        Some(hits) if hits.is_empty() => format!(" “{query}”: no match in the library"),
        Some(hits) => format!(" “{query}”: {} matches", hits.len()),
    };
    super::heading(buf, area, &title, width, theme);
    let Some(hits) = &results.hits else { return };
    let rows = usize::from(area.height.saturating_sub(1));
    let first = results.selected.saturating_sub(rows.saturating_sub(1));
    let doc_width = (width / 4).clamp(4, 24);
    for (row, (index, hit)) in hits.iter().enumerate().skip(first).take(rows).enumerate() {
        let y = area.y + 1 + u16::try_from(row).unwrap_or(0);
        let selected = index == results.selected;
        let base = if selected { theme.selected } else { theme.text };
        buf.set_style(Rect::new(area.x, y, area.width, 1), base);
        let doc = fit(
            &format!("#{} {}", hit.doc, sanitize_line(&hit.title)),
            doc_width,
        );
        let doc = format!(
            " {doc}{} ",
            " ".repeat(doc_width.saturating_sub(doc.width()))
        );
        let matched = sanitize_line(&hit.matched);
        let room = width.saturating_sub(doc.width() + matched.width());
        let before = tail(&sanitize_line(&hit.before), room / 2);
        let after = fit(
            &sanitize_line(&hit.after),
            room.saturating_sub(before.width()),
        );
        let line = Line::from(vec![
            Span::styled(doc, base.patch(theme.dim)),
            Span::styled(before, base),
            Span::styled(matched, base.patch(theme.current_match)),
            Span::styled(after, base),
        ]);
        buf.set_line(area.x, y, &line, area.width);
    }
}

/// The end of `text` that fits in `width` columns.
fn tail(text: &str, width: usize) -> String {
    let mut used = 0;
    let mut out: Vec<char> = Vec::new();
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.into_iter().rev().collect()
}
