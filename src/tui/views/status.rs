//! The status line: the prompt being typed, else why the text under the cursor is folded (with
//! noise shown), else the last message, else the themes of the passage under the cursor (the
//! legend of the gutter's chips), else a hint; flags on the right (synchronized scrolling,
//! folded noise, a pending count).

use super::fit;
use crate::text::sanitize::sanitize_line;
use crate::tui::app::{App, PromptKind, View};
use crate::tui::keymap::display_keys;
use crate::tui::theme::Theme;
use crate::tui::themes::is_confirmed;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    buf.set_style(area, theme.status);
    let mut flags = Vec::new();
    let typed = format!(
        "{}{}",
        app.count.map(|c| c.to_string()).unwrap_or_default(),
        display_keys(&app.pending)
    );
    if !typed.is_empty() {
        flags.push(typed);
    }
    if let Some(id) = &app.theme {
        flags.push(format!("⟶ {}", sanitize_line(&app.theme_name(id))));
    }
    if app.sync {
        flags.push("sync".to_string());
    }
    if app.show_noise {
        flags.push("noise shown".to_string());
    }
    if let Some(retagging) = &app.retagging {
        flags.push(retagging.to_string());
    }
    let right = if flags.is_empty() {
        String::new()
    } else {
        format!(" {} ", flags.join(" · "))
    };
    let right_width = right.width();
    let left_width = usize::from(area.width).saturating_sub(right_width + 1);
    let (left, style) = if let Some(prompt) = &app.prompt {
        let input = sanitize_line(&prompt.input);
        // What comes before the cursor, and a hint after it.
        let (text, after) = match &prompt.kind {
            PromptKind::Command => (format!(":{input}"), String::new()),
            PromptKind::Search => (format!("/{input}"), String::new()),
            PromptKind::Grep => (format!("search the library: {input}"), String::new()),
            PromptKind::ConfirmRemove { title, .. } => (
                format!("remove «{}» with its layers? (y/n)", sanitize_line(title)),
                String::new(),
            ),
            PromptKind::Codebook(ask) => (
                format!("{}{input}", sanitize_line(&ask.label())),
                String::new(),
            ),
            PromptKind::ConfirmOverwrite(job) => (
                format!(
                    "{} exists: overwrite it? (y/n)",
                    sanitize_line(&job.path.display().to_string())
                ),
                String::new(),
            ),
            PromptKind::Import { offered } => (
                format!("import file or folder (Tab completes): {input}"),
                format!("   {}", sanitize_line(offered)),
            ),
        };
        (
            format!("{text}▏{after}"),
            theme.status.add_modifier(Modifier::BOLD),
        )
    } else if let Some(folded) = folded_here(app) {
        (folded, theme.noise)
    } else if let Some(status) = &app.status {
        let style = if status.error {
            theme.error
        } else {
            theme.status
        };
        (sanitize_line(&status.text), style)
    } else {
        let hint = match &app.view {
            View::Reader if app.moving().is_some() => {
                "moving an annotation: adjust the selection  Enter put it here  Esc leave it"
            }
            View::Reader if app.selecting() => {
                "h highlight  1–5 colour  a note  t tag  y copy  , clause  ) sentence  Esc cancel"
            }
            View::Reader => "? help  / search  t themes  o library  | split  q quit",
            View::Library(_) if app.documents.as_ref().is_some_and(Vec::is_empty) => {
                "i import a file or folder  D import the demo texts  ? keys  q quit"
            }
            View::Library(_) => "Enter open  type to filter  i import  d remove  Esc back",
            View::Results(_) | View::Related(_) => "Enter open  j/k move  Esc back",
            View::Passage(_) => {
                "y accept  x reject  d clear  a add  u undo  Enter follow  Esc close"
            }
            View::Matrix(_) => "Enter compare this theme  arrows/hjkl move  Esc back",
            View::Compare(_) => "Enter open in context  h/l documents  j/k passages  Esc back",
            View::Themes(view) => crate::tui::codebook::hint(view),
            View::Note(_) => "Esc or Ctrl-s saves the note  Ctrl-c leaves without saving",
            View::Tags(_) => "tagging the selection: a theme of the codebook, or any word",
            View::Annotations(view) => crate::tui::annotations::hint(view),
        };
        (hint.to_string(), theme.status)
    };
    let legend = if app.prompt.is_none() && app.status.is_none() && folded_here(app).is_none() {
        annotation(app, theme).or_else(|| legend(app, theme))
    } else {
        None
    };
    match legend {
        Some(line) => {
            buf.set_line(
                area.x,
                area.y,
                &line,
                u16::try_from(left_width).unwrap_or(0),
            );
        }
        None => {
            let left = fit(&left, left_width);
            buf.set_stringn(area.x, area.y, &left, left_width, style);
        }
    }
    flags_at_right(area, buf, &right, right_width, theme);
}

/// The flags, right-aligned.
fn flags_at_right(area: Rect, buf: &mut Buffer, right: &str, right_width: usize, theme: &Theme) {
    if right_width > 0 && right_width < usize::from(area.width) {
        let x = area.x + area.width - u16::try_from(right_width).unwrap_or(0);
        buf.set_stringn(x, area.y, right, right_width, theme.status);
    }
}

/// The legend of the passage under the cursor: its themes' chips and names, in their
/// colours (confirmed ones solid, suggestions outlined).
fn legend(app: &App, theme: &Theme) -> Option<Line<'static>> {
    if app.view != View::Reader {
        return None;
    }
    let pane = app.panes.get(app.focus)?;
    let themes = pane.themes.as_ref()?;
    let doc = pane.document()?;
    let at = doc.to_stored(pane.cursor);
    let passage = themes.passage_at(at)?;
    let mut spans = Vec::new();
    for t in themes.on(passage) {
        let label = t.label;
        let confirmed = is_confirmed(t.status);
        let chip = if confirmed { "●" } else { "○" };
        let name = sanitize_line(label.name_for(doc.meta.script));
        spans.push(Span::styled(
            format!("{chip} {name}  "),
            theme.status.patch(theme.chip(&label.color, confirmed)),
        ));
    }
    (!spans.is_empty()).then(|| Line::from(spans))
}

/// The annotation under the cursor: its colour, tags and the note's first line, and what
/// the keys do.
fn annotation(app: &App, theme: &Theme) -> Option<Line<'static>> {
    if app.view != View::Reader || app.selecting() {
        return None;
    }
    let pane = app.panes.get(app.focus)?;
    let mark = pane.mark_at(pane.cursor)?;
    let a = pane.annotation(mark.id)?;
    let tags: String = a.tags.iter().map(|t| format!("#{t} ")).collect();
    let note = match a.note_line() {
        "" => "(no note)".to_string(),
        line => sanitize_line(line),
    };
    Some(Line::from(vec![
        Span::styled("✎ ", theme.status.patch(theme.mark(a.color))),
        Span::styled(format!("{}{note}", sanitize_line(&tags)), theme.status),
        Span::styled(
            "  Enter edit · d delete · m move · u undo",
            theme.status.patch(theme.dim),
        ),
    ]))
}

/// With noise shown and the cursor in a folded range: why it is folded.
fn folded_here(app: &App) -> Option<String> {
    if !app.show_noise || app.view != View::Reader {
        return None;
    }
    let pane = app.panes.get(app.focus)?;
    let range = pane.document()?.noise_at(pane.cursor)?;
    let reason = serde_json::to_value(range.reason).ok()?;
    let why = crate::clean::explain(range.rule).unwrap_or("folded by you");
    Some(format!("folded ({}): {why}", reason.as_str()?))
}
