//! A passage's theme list, drawn over the reader: each theme with its chip, names, status and
//! score, and under it the matched terms that explain the suggestion; while adding, the
//! codebook's themes that match what is typed.

use super::fit;
use crate::doc::Script;
use crate::tagging::merge::Status;
use crate::text::sanitize::sanitize_line;
use crate::tui::app::App;
use crate::tui::passage::PassageView;
use crate::tui::theme::Theme;
use crate::tui::themes::{DocThemes, Label, is_confirmed};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

/// The keys, at the foot of the list.
const KEYS: &str = "y accept · x reject · d clear · a add · u undo · Enter follow";
const ADD_KEYS: &str = "type to find · ↑/↓ choose · Enter add · Esc back";

pub fn render(app: &App, view: &PassageView, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(pane) = app.panes.iter().find(|p| p.id == view.pane) else {
        return;
    };
    let (Some(themes), Some(doc)) = (pane.themes.as_deref(), pane.document()) else {
        return;
    };
    let script = doc.meta.script;
    let width = area.width.saturating_sub(4).min(72);
    let inner = usize::from(width.saturating_sub(2));
    let mut lines = match &view.adding {
        Some(typed) => adding(view, themes, typed, script, theme, inner),
        None => listed(view, themes, script, theme, inner),
    };
    let keys = if view.adding.is_some() {
        ADD_KEYS
    } else {
        KEYS
    };
    lines.push(Line::from(Span::styled(fit(keys, inner), theme.dim)));
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + area.height - height,
        width,
        height,
    );
    // Keep the selected row in view when the list is taller than the screen.
    let rows = usize::from(height.saturating_sub(2));
    let selected_line = selected_line(view, themes);
    let scroll = selected_line.saturating_sub(rows.saturating_sub(2));
    super::split_wide_at(buf, popup.x, popup.y..popup.y + popup.height);
    Clear.render(popup, buf);
    let title = format!(" 段{} · themes ", view.passage + 1);
    Paragraph::new(lines)
        .block(Block::default().borders(Borders::ALL).title(title))
        .scroll((u16::try_from(scroll).unwrap_or(0), 0))
        .render(popup, buf);
}

/// The line the selected row starts on.
fn selected_line(view: &PassageView, themes: &DocThemes) -> usize {
    match view.adding {
        Some(_) => view.selected + 1,
        None => view
            .themes(themes)
            .iter()
            .take(view.selected)
            .map(|t| 1 + usize::from(t.matched().next().is_some()))
            .sum(),
    }
}

/// The passage's themes, each on a row with its matched terms under it.
fn listed<'a>(
    view: &PassageView,
    themes: &DocThemes,
    script: Script,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'a>> {
    let listed = view.themes(themes);
    if listed.is_empty() {
        return vec![Line::from(Span::styled(
            "no theme suggested here: a adds one",
            theme.dim,
        ))];
    }
    let mut out = Vec::new();
    for (i, t) in listed.iter().enumerate() {
        let base = if i == view.selected {
            theme.selected
        } else {
            theme.text
        };
        let label = t.label;
        let status = match t.status {
            Status::Accepted => "accepted",
            Status::Added => "added",
            Status::Suggested => "suggested",
            Status::Rejected => "rejected",
        };
        let score = t.score.map(|s| format!(" {s:.2}")).unwrap_or_default();
        let mut spans = name_spans(label, script, t.status, base, theme, width);
        spans.push(Span::styled(
            format!("  {status}{score}"),
            base.patch(theme.dim),
        ));
        out.push(Line::from(spans));
        if t.matched().next().is_some() {
            let terms: Vec<String> = t
                .matched()
                .map(|(term, count)| format!("{} ×{}", sanitize_line(term), count))
                .collect();
            out.push(Line::from(Span::styled(
                fit(&format!("    {}", terms.join(" · ")), width),
                base.patch(theme.dim),
            )));
        }
    }
    out
}

/// The prompt line and the codebook's themes that match it.
fn adding<'a>(
    view: &PassageView,
    themes: &DocThemes,
    typed: &str,
    script: Script,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'a>> {
    let mut out = vec![Line::from(Span::styled(
        fit(&format!("add a theme: {}▏", sanitize_line(typed)), width),
        theme.text.add_modifier(Modifier::BOLD),
    ))];
    let candidates = view.candidates(themes);
    if candidates.is_empty() {
        out.push(Line::from(Span::styled("no theme matches", theme.dim)));
    }
    for (i, label) in candidates.iter().enumerate() {
        let base = if i == view.selected {
            theme.selected
        } else {
            theme.text
        };
        out.push(Line::from(name_spans(
            label,
            script,
            Status::Added,
            base,
            theme,
            width,
        )));
    }
    out
}

/// A theme's chip, name in the document's script, English name and id.
pub(super) fn name_spans<'a>(
    label: &Label,
    script: Script,
    status: Status,
    base: Style,
    theme: &Theme,
    width: usize,
) -> Vec<Span<'a>> {
    let chip = match status {
        Status::Rejected => "✕",
        s if is_confirmed(s) => "●",
        _ => "○",
    };
    let name = sanitize_line(label.name_for(script));
    let english = sanitize_line(&label.name_en);
    let mut name_style = base.patch(theme.chip(&label.color, status != Status::Suggested));
    if status == Status::Rejected {
        name_style = name_style.add_modifier(Modifier::CROSSED_OUT | Modifier::DIM);
    }
    vec![
        Span::styled(format!("{chip} "), name_style),
        Span::styled(fit(&name, width / 3), name_style),
        Span::styled(
            fit(&format!("  {english} ({})", label.id), width / 2),
            base.patch(theme.dim),
        ),
    ]
}
