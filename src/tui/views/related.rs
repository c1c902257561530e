//! Related passages: one a row (score, document, passage number, its beginning), and the
//! selected one whole below, laid out by the layout engine.

use super::fit;
use crate::text::layout::{LayoutOptions, layout_paragraph};
use crate::text::sanitize::sanitize_line;
use crate::text::width::WidthOptions;
use crate::tui::related::RelatedView;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

pub fn render(
    view: &RelatedView,
    width_opts: WidthOptions,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = usize::from(area.width);
    let from = format!("段{} of «{}»", view.passage + 1, sanitize_line(&view.title));
    let title = match &view.found {
        None => format!(" Passages like {from}: looking…"),
        Some(found) if found.is_empty() => {
            format!(" Passages like {from}: none in the other documents")
        }
        Some(found) => format!(" Passages like {from}: {}", found.len()),
    };
    super::heading(buf, area, &title, width, theme);
    let Some(found) = &view.found else { return };
    let Some(selected) = found.get(view.selected) else {
        return;
    };
    // The list takes the upper half; the selected passage, whole, the rest.
    let height = usize::from(area.height.saturating_sub(1));
    let list_rows = (height / 2).max(1).min(found.len());
    let first = view.selected.saturating_sub(list_rows.saturating_sub(1));
    let doc_width = (width / 4).clamp(4, 24);
    for (row, (index, hit)) in found
        .iter()
        .enumerate()
        .skip(first)
        .take(list_rows)
        .enumerate()
    {
        let y = area.y + 1 + u16::try_from(row).unwrap_or(0);
        let base = if index == view.selected {
            theme.selected
        } else {
            theme.text
        };
        buf.set_style(Rect::new(area.x, y, area.width, 1), base);
        let score = format!(" {:.2} ", hit.score);
        let doc = fit(
            &format!(
                "#{} {} 段{}",
                hit.doc,
                sanitize_line(&hit.title),
                hit.passage
            ),
            doc_width,
        );
        let doc = format!(
            "{doc}{}  ",
            " ".repeat(doc_width.saturating_sub(doc.width()))
        );
        let room = width.saturating_sub(score.width() + doc.width());
        let line = Line::from(vec![
            Span::styled(score, base.patch(theme.key)),
            Span::styled(doc, base.patch(theme.dim)),
            Span::styled(
                fit(&sanitize_line(&hit.text.replace('\n', " ")), room),
                base,
            ),
        ]);
        buf.set_line(area.x, y, &line, area.width);
    }
    let top = area.y + 1 + u16::try_from(list_rows).unwrap_or(0);
    let bottom = area.y + area.height;
    if top + 1 >= bottom {
        return;
    }
    buf.set_stringn(area.x, top, "─".repeat(width), width, theme.separator);
    let text = sanitize_line(&selected.text.replace('\n', " "));
    let opts = LayoutOptions {
        width: width.saturating_sub(2).max(1),
        width_opts,
    };
    for (line, y) in layout_paragraph(&text, &opts).iter().zip(top + 1..bottom) {
        buf.set_stringn(area.x + 1, y, line.text(&text), width, theme.text);
    }
}
