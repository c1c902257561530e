//! The reading panes: a title bar (title, script, position), a gutter column kept for theme
//! chips and note markers, and the text drawn through the layout engine with styling layers
//! (search matches, the current match, folded noise, the cursor) applied over it.

use super::fit;
use crate::doc::Span as TextSpan;
use crate::text::cache::Paragraphs;
use crate::text::layout::draw_line_with;
use crate::text::sanitize::sanitize_line;
use crate::text::width::WidthOptions;
use crate::tui::app::{App, GUTTER, pane_areas, text_size};
use crate::tui::pane::{Content, Pane, cursor_position};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

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
            (
                sanitize_line(&doc.meta.title),
                format!(
                    "{} {paragraph}{:>3}%",
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
    let width_opts = WidthOptions::default();
    pane.with_layout(size, |doc, cache| {
        let top = cache.position_of(doc, pane.top);
        let cursor_row = cursor_position(doc, cache, pane.cursor);
        let rows = cache.screen(doc, top, size.height);
        for (row, line) in rows.iter().enumerate() {
            let y = body.y + u16::try_from(row).unwrap_or(u16::MAX);
            let gutter = Rect::new(body.x, y, GUTTER.min(body.width), 1);
            buf.set_style(gutter, theme.gutter);
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
            let para_start = doc.paragraphs.get(line.para).map_or(0, |p| p.start);
            let mut spans: Vec<Span<'static>> = Vec::new();
            let mut run = String::new();
            let mut run_style = base;
            draw_line_with(
                doc.paragraph(line.para),
                &line.span,
                &width_opts,
                |offset, piece| {
                    let style = style_at(&layers, base, para_start + offset);
                    if style != run_style && !run.is_empty() {
                        spans.push(Span::styled(std::mem::take(&mut run), run_style));
                    }
                    run_style = style;
                    run.push_str(piece);
                },
            );
            if !run.is_empty() {
                spans.push(Span::styled(run, run_style));
            }
            if is_cursor_line && focused && pane.cursor >= para_start + line.span.end {
                spans.push(Span::styled(" ", base.patch(theme.cursor)));
            }
            buf.set_line(text_area.x, y, &Line::from(spans), text_area.width);
        }
    });
}
