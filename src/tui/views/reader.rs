//! The reading panes: a title bar (title, script, position), a gutter column kept for theme
//! chips and annotation marks, and the text drawn through the layout engine with styling
//! layers (search matches, the current match, folded noise, the cursor) applied over it.
//!
//! Annotations colour the text with the innermost one's colour; the gutter marks every row
//! an annotation covers: `▎` in its colour (`✎` on the row its note starts), or where several
//! overlap, how many (`2`…`9`, `*` for more) on the innermost one's colour.

use super::fit;
use crate::doc::Span as TextSpan;
use crate::text::cache::Paragraphs;
use crate::text::layout::draw_line_with;
use crate::text::sanitize::sanitize_line;
use crate::text::width::str_width;
use crate::tui::app::{App, GUTTER, pane_areas, text_size};
use crate::tui::document::LoadedDocument;
use crate::tui::pane::{Content, Mark, Pane, cursor_position};
use crate::tui::theme::Theme;
use crate::tui::themes::is_confirmed;
use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::Style;
use std::num::NonZeroU16;
use unicode_width::UnicodeWidthStr;

/// Panes at least this wide show the paragraph number (for `:N`) in their title bar.
const WIDE_TITLE: usize = 50;

/// Styled ranges of a document's text: the renderer patches each drawn character's style
/// with every layer that covers it, in order. Search matches and the cursor are layers now;
/// themes and annotations will be more.
pub struct Layer<'a> {
    /// Sorted by start, non-overlapping.
    pub spans: &'a [TextSpan],
    pub style: Style,
}

impl Layer<'_> {
    fn covers(&self, offset: usize) -> bool {
        let i = self.spans.partition_point(|s| s.end <= offset);
        self.spans.get(i).is_some_and(|s| s.contains(offset))
    }
}

/// The style of the character at `offset`: `base` patched by each layer that covers it.
pub fn style_at(layers: &[Layer<'_>], base: Style, offset: usize) -> Style {
    layers
        .iter()
        .filter(|l| l.covers(offset))
        .fold(base, |style, l| style.patch(l.style))
}

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if app.panes.is_empty() {
        buf.set_stringn(
            area.x,
            area.y,
            "no document open: o opens the library",
            usize::from(area.width),
            theme.dim,
        );
        return;
    }
    let areas = pane_areas(area, app.panes.len());
    for (i, (pane, rect)) in app.panes.iter().zip(&areas).enumerate() {
        render_pane(app, pane, i == app.focus, theme, *rect, buf);
        let separator = rect.x + rect.width;
        if i + 1 < areas.len() && separator < area.x + area.width {
            for y in rect.y..rect.y + rect.height {
                buf.set_string(separator, y, "│", theme.separator);
            }
        }
    }
}

fn render_pane(app: &App, pane: &Pane, focused: bool, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let title_style = if focused {
        theme.title_focused
    } else {
        theme.title
    };
    let title_area = Rect::new(area.x, area.y, area.width, 1);
    buf.set_style(title_area, title_style);
    let width = usize::from(area.width);
    let (title, right) = match &pane.content {
        Content::Loading(id) => (format!("#{id}"), "loading…".to_string()),
        Content::Failed { id, .. } => (format!("#{id}"), "failed".to_string()),
        Content::Ready(doc) => {
            // An excerpt does not know the paragraphs before it: say the rest is coming.
            let paragraph = if !doc.complete {
                "loading… ".to_string()
            } else if width >= WIDE_TITLE {
                format!(
                    "段{}/{} ",
                    doc.locate(pane.cursor).0 + 1,
                    doc.paragraphs.len()
                )
            } else {
                String::new()
            };
            // A filtered pane names the theme it shows.
            let filter = pane
                .filter
                .as_ref()
                .and_then(|id| pane.themes.as_ref()?.label(id))
                .map(|l| format!("只 {} ", sanitize_line(l.name_for(doc.meta.script))))
                .unwrap_or_default();
            (
                sanitize_line(&doc.meta.title),
                format!(
                    "{filter}{} {paragraph}{:>3}%",
                    script_label(doc.meta.script.as_str()),
                    pane.percent()
                ),
            )
        }
    };
    let right = format!(" {right} ");
    let right_width = unicode_width::UnicodeWidthStr::width(right.as_str());
    let title_room = width.saturating_sub(right_width + 1);
    buf.set_stringn(
        area.x,
        area.y,
        format!(" {}", fit(&title, title_room.saturating_sub(1))),
        title_room,
        title_style,
    );
    if right_width <= width {
        let x = area.x + area.width - u16::try_from(right_width).unwrap_or(0);
        buf.set_stringn(x, area.y, &right, right_width, title_style);
    }
    let body = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    let text_x = body.x + GUTTER.min(body.width);
    match &pane.content {
        Content::Loading(_) => {
            buf.set_stringn(
                text_x,
                body.y,
                "loading…",
                usize::from(body.width.saturating_sub(GUTTER)),
                theme.dim,
            );
        }
        Content::Failed { error, .. } => {
            buf.set_stringn(
                text_x,
                body.y,
                fit(
                    &sanitize_line(error),
                    usize::from(body.width.saturating_sub(GUTTER)),
                ),
                usize::from(body.width),
                theme.error,
            );
        }
        Content::Ready(_) => render_text(app, pane, focused, theme, body, buf),
    }
}

fn script_label(script: &str) -> &'static str {
    match script {
        "simplified" => "简",
        "traditional" => "繁",
        "mixed" => "简繁",
        _ => "—",
    }
}

fn render_text(app: &App, pane: &Pane, focused: bool, theme: &Theme, body: Rect, buf: &mut Buffer) {
    let size = text_size(Rect::new(
        body.x,
        body.y.saturating_sub(1),
        body.width,
        body.height + 1,
    ));
    let current: Vec<TextSpan> = pane
        .current_match
        .and_then(|i| pane.matches.get(i).copied())
        .into_iter()
        .collect();
    let cursor_span = [TextSpan::new(pane.cursor, pane.cursor + 1)];
    let mut layers = Vec::new();
    if let Some(doc) = pane.document()
        && app.show_noise
    {
        layers.push(Layer {
            spans: &doc.noise,
            style: theme.noise,
        });
    }
    layers.push(Layer {
        spans: &pane.matches,
        style: theme.matched,
    });
    layers.push(Layer {
        spans: &current,
        style: theme.current_match,
    });
    if focused {
        layers.push(Layer {
            spans: &cursor_span,
            style: theme.cursor,
        });
    }
    let selected: Vec<TextSpan> = pane.selected().into_iter().collect();
    layers.push(Layer {
        spans: &selected,
        style: theme.selection,
    });
    pane.with_layout(size, |doc, cache| {
        let width_opts = cache.options().width_opts;
        let top = cache.position_of(doc, pane.top);
        let cursor_row = cursor_position(doc, cache, pane.cursor);
        let rows = cache.screen(doc, top, size.height);
        // The annotations on screen (sorted by start, as the pane keeps them).
        let shown = match (rows.first(), rows.last()) {
            (Some(first), Some(last)) => TextSpan::new(
                doc.paragraph_start(first.para) + first.span.start,
                doc.paragraph_start(last.para) + last.span.end + 1,
            ),
            _ => TextSpan::new(0, 0),
        };
        let marks: Vec<&Mark> = pane
            .marks()
            .iter()
            .filter(|m| m.span.start < shown.end && shown.start < m.span.end)
            .collect();
        for (row, line) in rows.iter().enumerate() {
            let y = body.y + u16::try_from(row).unwrap_or(u16::MAX);
            let gutter = Rect::new(body.x, y, GUTTER.min(body.width), 1);
            buf.set_style(gutter, theme.gutter);
            let row = TextSpan::new(
                doc.paragraph_start(line.para) + line.span.start,
                doc.paragraph_start(line.para) + line.span.end.max(line.span.start + 1),
            );
            let covering: Vec<&Mark> = marks[..marks.partition_point(|m| m.span.start < row.end)]
                .iter()
                .copied()
                .filter(|m| row.start < m.span.end)
                .collect();
            let inner = innermost(&covering, row);
            let chips = match covering.iter().min_by_key(|m| m.span.len()) {
                Some(inner) if gutter.width > 1 => {
                    let (symbol, style) = match covering.len() {
                        1 if inner.note && row.contains(inner.span.start) => {
                            ("✎", theme.mark(inner.color))
                        }
                        1 => ("▎", theme.mark(inner.color)),
                        n => (count_symbol(n), theme.stacked_marks(inner.color)),
                    };
                    buf.set_string(gutter.x + 1, y, symbol, style);
                    Rect::new(gutter.x, y, 1, 1)
                }
                _ => gutter,
            };
            if line.line == 0 {
                draw_chips(pane, doc, line.para, theme, chips, buf);
            }
            let is_cursor_line = line.para == cursor_row.para && line.line == cursor_row.line;
            let base = if is_cursor_line {
                theme.cursor_line
            } else {
                theme.text
            };
            let text_area = Rect::new(gutter.x + gutter.width, y, body.width - gutter.width, 1);
            if is_cursor_line {
                buf.set_style(text_area, theme.cursor_line);
            }
            if let Some((start, end)) = pane.fold_starting_at(line.para) {
                let n = end - start;
                let noun = if n == 1 { "paragraph" } else { "paragraphs" };
                let marker = format!("⋯ {n} {noun} folded (F shows all)");
                let width = usize::from(text_area.width);
                buf.set_stringn(
                    text_area.x,
                    y,
                    fit(&marker, width),
                    width,
                    base.patch(theme.dim),
                );
                continue;
            }
            let para_start = doc.paragraphs.get(line.para).map_or(0, |p| p.start);
            let mut cells = Cells::new(buf, text_area);
            draw_line_with(
                doc.paragraph(line.para),
                &line.span,
                &width_opts,
                |offset, piece| {
                    let at = para_start + offset;
                    let mark = at.checked_sub(row.start).and_then(|i| *inner.get(i)?);
                    let base = mark.map_or(base, |m| base.patch(theme.highlight(m.color)));
                    let style = style_at(&layers, base, at);
                    cells.put(piece, str_width(piece, &width_opts), style);
                },
            );
            if is_cursor_line && focused && pane.cursor >= para_start + line.span.end {
                cells.put(" ", 1, base.patch(theme.cursor));
            }
        }
    });
}

/// The annotation that colours each character of `row`: the innermost of those `covering`
/// it (the shortest; the first of equals).
fn innermost<'a>(covering: &[&'a Mark], row: TextSpan) -> Vec<Option<&'a Mark>> {
    let mut inner: Vec<Option<&Mark>> = vec![None; row.len()];
    for &m in covering {
        let (from, to) = (m.span.start.max(row.start), m.span.end.min(row.end));
        for slot in inner.iter_mut().take(to - row.start).skip(from - row.start) {
            if slot.is_none_or(|s| m.span.len() < s.span.len()) {
                *slot = Some(m);
            }
        }
    }
    inner
}

/// The gutter's mark on a row that `n` annotations (more than one) cover: how many.
fn count_symbol(n: usize) -> &'static str {
    const COUNTS: [&str; 8] = ["2", "3", "4", "5", "6", "7", "8", "9"];
    COUNTS.get(n.saturating_sub(2)).copied().unwrap_or("*")
}

/// The chips of the passage that starts in display paragraph `para`: one column per theme, as
/// many as the gutter has (the last one a `+` when there are more), solid for themes the user
/// confirmed and outlined for suggestions, in the themes' colours.
fn draw_chips(
    pane: &Pane,
    doc: &LoadedDocument,
    para: usize,
    theme: &Theme,
    gutter: Rect,
    buf: &mut Buffer,
) {
    let (Some(themes), Some(span)) = (&pane.themes, doc.paragraphs.get(para)) else {
        return;
    };
    let (start, end) = (doc.to_stored(span.start), doc.to_stored(span.end));
    let Some(passage) = themes.passage_starting_in(start, end + 1) else {
        return;
    };
    let on: Vec<_> = themes.on(passage).collect();
    let columns = usize::from(gutter.width);
    for (k, t) in on.iter().take(columns).enumerate() {
        let x = gutter.x + u16::try_from(k).unwrap_or(0);
        let confirmed = is_confirmed(t.status);
        let color = t.label.color.as_str();
        let symbol = match (k + 1 == columns && on.len() > columns, confirmed) {
            (true, _) => "+",
            (false, true) => "●",
            (false, false) => "○",
        };
        buf.set_string(x, gutter.y, symbol, theme.chip(color, confirmed));
    }
}

/// Writes a row cell by cell with the widths of pizhu's layout, which may count East Asian
/// ambiguous characters (`“` `—` `…`) as two columns where ratatui counts one: such a cell
/// gets a forced width, so the cell after it is left to the terminal.
pub(super) struct Cells<'a> {
    buf: &'a mut Buffer,
    area: Rect,
    x: u16,
}

impl<'a> Cells<'a> {
    pub(super) fn new(buf: &'a mut Buffer, area: Rect) -> Self {
        Cells {
            buf,
            area,
            x: area.x,
        }
    }

    /// Puts `symbol`, `width` columns wide, if it fits in the row.
    pub(super) fn put(&mut self, symbol: &str, width: usize, style: Style) {
        let Ok(width) = u16::try_from(width) else {
            return;
        };
        if width == 0 || self.x + width > self.area.right() {
            return;
        }
        let y = self.area.y;
        if let Some(cell) = self.buf.cell_mut((self.x, y)) {
            cell.set_symbol(symbol).set_style(style);
            if UnicodeWidthStr::width(symbol) != usize::from(width)
                && let Some(forced) = NonZeroU16::new(width)
            {
                cell.set_diff_option(CellDiffOption::ForcedWidth(forced));
            }
        }
        for x in self.x + 1..self.x + width {
            if let Some(cell) = self.buf.cell_mut((x, y)) {
                cell.reset();
                cell.set_style(style);
            }
        }
        self.x += width;
    }
}
