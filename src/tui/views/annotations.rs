//! The annotations view: a heading with the filters in effect, one annotation a row (colour
//! swatch, document, passage, status mark, tags, quote, the note's first line) and, in the
//! drifted review, the selected annotation's old quote in its old context above the text now
//! at its span.

use super::{fit, heading, to_u16};
use crate::annotations::AnchorStatus;
use crate::text::sanitize::sanitize_line;
use crate::tui::annotations::{AnnotationsData, AnnotationsView, Now, Row};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn render(view: &AnnotationsView, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    heading(buf, area, &title(view), width, theme);
    let Some(data) = view.data.as_deref() else {
        return;
    };
    let height = usize::from(area.height.saturating_sub(1));
    if view.shown.is_empty() {
        let empty = match (data.rows.is_empty(), view.review) {
            (true, _) => {
                " no annotations yet: in the reader, v selects text, h highlights it, a adds a note"
            }
            (false, true) => " no drifted annotation to review here (D: all of them)",
            (false, false) => " none matches (Esc clears the filter)",
        };
        buf.set_stringn(area.x, area.y + 1, empty, width, theme.dim);
        return;
    }
    let list_rows = if view.review { height / 2 } else { height }
        .max(1)
        .min(view.shown.len());
    let first = view.selected.saturating_sub(list_rows.saturating_sub(1));
    for (row, (index, &i)) in view
        .shown
        .iter()
        .enumerate()
        .skip(first)
        .take(list_rows)
        .enumerate()
    {
        let y = area.y + 1 + to_u16(row);
        let base = if index == view.selected {
            theme.selected
        } else {
            theme.text
        };
        buf.set_style(Rect::new(area.x, y, area.width, 1), base);
        let line = row_line(data, &data.rows[i], width, base, theme);
        buf.set_line(area.x, y, &line, area.width);
    }
    if view.review {
        let top = area.y + 1 + to_u16(list_rows);
        let bottom = area.y + area.height;
        if top + 1 < bottom {
            buf.set_stringn(area.x, top, "─".repeat(width), width, theme.separator);
            let detail = Rect::new(area.x, top + 1, area.width, bottom - top - 1);
            review(view, data, theme, detail, buf);
        }
    }
}

/// The heading: how many are shown of how many, and the filters in effect.
fn title(view: &AnnotationsView) -> String {
    let what = if view.review {
        "Drifted annotations to review"
    } else {
        "Annotations"
    };
    let Some(data) = view.data.as_deref() else {
        return format!(" {what}: reading…");
    };
    let mut parts = vec![match data.partial {
        true => format!(
            " {what}: the first {} of {}, reading the rest…",
            data.rows.len(),
            data.total
        ),
        false => format!(" {what}: {} of {}", view.shown.len(), data.rows.len()),
    }];
    if let Some(doc) = view.doc {
        parts.push(format!("#{doc} only"));
    }
    if let Some(color) = view.color {
        parts.push(color.as_str().to_string());
    }
    if let Some(tag) = &view.tag {
        parts.push(format!("#{}", data.tag_name(tag)));
    }
    if view.newest {
        parts.push("newest first".to_string());
    }
    if view.editing || !view.filter.is_empty() {
        let cursor = if view.editing { "▏" } else { "" };
        parts.push(format!("/{}{cursor}", sanitize_line(&view.filter)));
    }
    parts.join(" · ")
}

/// One annotation's row.
fn row_line(
    data: &AnnotationsData,
    row: &Row,
    width: usize,
    base: Style,
    theme: &Theme,
) -> Line<'static> {
    let a = &row.annotation;
    let title_width = (width / 6).clamp(6, 20);
    let title = fit(&sanitize_line(data.title(a.doc)), title_width);
    let title = format!("{title}{} ", pad(title_width, &title));
    let place = match (a.status, row.passage) {
        (AnchorStatus::Orphan, _) => "—".to_string(),
        (_, Some(n)) => format!("段{n}"),
        (_, None) => format!("@{}", a.start),
    };
    let mark = match a.status {
        AnchorStatus::Ok => "",
        AnchorStatus::Drifted => "~",
        AnchorStatus::Orphan => "!",
    };
    let mark = format!("{mark}{} ", pad(7, &format!("{place}{mark}")));
    let used = 3 + title.width() + place.width() + mark.width();
    let mut room = width.saturating_sub(used);
    let tags: String = a
        .tags
        .iter()
        .map(|t| format!("#{} ", sanitize_line(data.tag_name(t))))
        .collect();
    let tags = fit(&tags, room / 3);
    room = room.saturating_sub(tags.width());
    // With a note, the quote leaves it a third of the room.
    let quote_room = match a.note_line.as_str() {
        "" => room,
        _ => (room * 2 / 3).max(room.min(12)),
    };
    let quote = fit(&format!("«{}»", one_line(&a.quote)), quote_room);
    room = room.saturating_sub(quote.width());
    let note = match a.note_line.as_str() {
        "" => String::new(),
        line => fit(&format!(" {}", one_line(line)), room),
    };
    Line::from(vec![
        Span::styled("  ", theme.heat(a.color.hex(), 1.0)),
        Span::styled(" ", base),
        Span::styled(title, base.patch(theme.dim)),
        Span::styled(place, base.patch(theme.key)),
        Span::styled(mark, base.patch(theme.error)),
        Span::styled(tags, base.patch(theme.key)),
        Span::styled(quote, base),
        Span::styled(note, base.patch(theme.dim)),
    ])
}

/// The review of the selected drifted annotation: what it was, and what is at its place now.
fn review(
    view: &AnnotationsView,
    data: &AnnotationsData,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let Some(row) = view.selected_row() else {
        return;
    };
    let a = &row.annotation;
    let width = usize::from(area.width);
    let text_width = width.saturating_sub(2).max(1);
    let about = format!(
        " #{} «{}»: placed by a fuzzy match when its document changed",
        a.id,
        sanitize_line(data.title(a.doc))
    );
    let mut lines = vec![
        Line::styled(fit(&about, width), theme.heading),
        Line::styled(" was:", theme.key),
    ];
    let runs = |prefix: &str, text: &str, suffix: &str, style: Style| {
        wrap(
            &[
                (one_line(prefix), theme.dim),
                (one_line(text), style),
                (one_line(suffix), theme.dim),
            ],
            text_width,
        )
    };
    match view.now.as_ref().and_then(|n| n.was.as_deref()) {
        Some(was) => lines.extend(runs(&was.prefix, &was.quote, &was.suffix, theme.matched)),
        None => lines.push(Line::styled("  reading…", theme.dim)),
    }
    lines.push(Line::styled(" now:", theme.key));
    match &view.now {
        Some(Now {
            text: Ok((prefix, text, suffix)),
            ..
        }) => lines.extend(runs(prefix, text, suffix, theme.current_match)),
        Some(Now { text: Err(e), .. }) => {
            lines.push(Line::styled(fit(&format!("  {e}"), width), theme.error))
        }
        None => lines.push(Line::styled("  reading…", theme.dim)),
    }
    for (line, y) in lines.iter().zip(area.y..area.y + area.height) {
        buf.set_line(area.x, y, line, area.width);
    }
}

/// Styled runs of text broken into lines of at most `width` columns (by character: quotes
/// are short and mostly Chinese), each indented by two columns.
fn wrap(runs: &[(String, Style)], width: usize) -> Vec<Line<'static>> {
    let indent = || vec![Span::raw("  ")];
    let mut lines = Vec::new();
    let mut line: Vec<Span<'static>> = indent();
    let mut used = 0;
    for (text, style) in runs {
        let mut piece = String::new();
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width {
                line.push(Span::styled(std::mem::take(&mut piece), *style));
                lines.push(Line::from(std::mem::replace(&mut line, indent())));
                used = 0;
            }
            piece.push(c);
            used += w;
        }
        line.push(Span::styled(piece, *style));
    }
    lines.push(Line::from(line));
    lines
}

/// `text` on one line, safe to draw.
fn one_line(text: &str) -> String {
    sanitize_line(&text.replace('\n', " "))
}

/// Spaces that pad `text` to `width` columns.
fn pad(width: usize, text: &str) -> String {
    " ".repeat(width.saturating_sub(text.width()))
}
