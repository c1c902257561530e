//! The help overlay, generated from the keymap: every context's bindings with what they do.

use crate::tui::app::App;
use crate::tui::keymap::{Context, Keymap, display_keys};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

/// The help's lines, for the overlay (and for tests).
pub fn lines<'a>(app: &App, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for context in Context::ALL {
        if context == Context::Help {
            continue;
        }
        out.push(Line::from(Span::styled(context.title(), theme.heading)));
        for (keys, action) in app.keymap.describe(context) {
            let keys: Vec<String> = keys.iter().map(|k| display_keys(k)).collect();
            let keys = format!("  {:<18}", keys.join(" "));
            out.push(Line::from(vec![
                Span::styled(keys, theme.key),
                Span::raw(Keymap::description(context, &action)),
            ]));
        }
        out.push(Line::from(""));
    }
    out.push(Line::from(Span::styled(
        "Esc or ? closes · j/k scroll · keys can be changed in config.toml",
        theme.dim,
    )));
    out
}

pub fn render(app: &App, scroll: u16, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = area.width.saturating_sub(4).min(76);
    let height = area.height.saturating_sub(2);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    super::split_wide_at(buf, popup.x, popup.y..popup.y + popup.height);
    Clear.render(popup, buf);
    Paragraph::new(lines(app, theme))
        .block(Block::default().borders(Borders::ALL).title(" pizhu keys "))
        .scroll((scroll, 0))
        .render(popup, buf);
}
