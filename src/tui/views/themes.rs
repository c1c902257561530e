//! The themes view: the codebook as a tree (colour swatch, Simplified, Traditional and
//! English names, id, keyword count, passages in the library), and beside it (below it on a
//! narrow screen) the selected theme's description and keywords, or the uncovered terms.

use super::fit;
use crate::count::count;
use crate::text::sanitize::sanitize_line;
use crate::themes::Theme;
use crate::tui::codebook::{Focus, Terms, ThemesView};
use crate::tui::theme::Theme as Styles;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

/// From this width the detail area is beside the list, else below it.
const SIDE_BY_SIDE: u16 = 100;
/// Columns of the detail area beside the list.
const SIDE_WIDTH: u16 = 40;

pub fn render(view: &ThemesView, theme: &Styles, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let Some(data) = &view.data else {
        super::heading(buf, area, " Themes · loading the codebook…", width, theme);
        return;
    };
    let merging = view
        .merging
        .as_ref()
        .map(|id| format!(" · merging {id} into…"))
        .unwrap_or_default();
    let title = format!(
        " Themes · {} · codebook revision {}{merging}",
        count(data.codebook.themes.len(), "theme"),
        data.revision
    );
    super::heading(buf, area, &title, width, theme);
    let body = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(1),
    );
    let (list, panel) = if area.width >= SIDE_BY_SIDE {
        let list_width = area.width - SIDE_WIDTH - 1;
        (
            Rect::new(body.x, body.y, list_width, body.height),
            Rect::new(body.x + list_width + 1, body.y, SIDE_WIDTH, body.height),
        )
    } else {
        let list_height = (body.height * 3 / 5).max(body.height.min(3));
        (
            Rect::new(body.x, body.y, body.width, list_height),
            Rect::new(
                body.x,
                body.y + list_height,
                body.width,
                body.height - list_height,
            ),
        )
    };
    let rows = view.rows();
    let count = |t: &Theme| data.passages.get(&t.id).copied().unwrap_or(0);
    draw_list(view, &rows, &count, theme, list, buf);
    if panel.height == 0 || panel.width == 0 {
        return;
    }
    match &view.terms {
        Some(terms) => draw_terms(view, terms, theme, panel, buf),
        None => {
            if let Some(selected) = view.selected_theme() {
                draw_detail(selected, count(selected), theme, panel, buf);
            }
        }
    }
}

/// The widths of the list's columns for `width` columns: name (with the tree's indent),
/// Traditional name, English name, id; narrow lists leave out the Traditional and English.
struct Columns {
    name: usize,
    hant: usize,
    en: usize,
    id: usize,
}

impl Columns {
    /// Swatch, keyword count and passage count, with their spaces.
    const FIXED: usize = 4 + 5 + 7;

    fn new(width: usize) -> Columns {
        let rest = width.saturating_sub(Columns::FIXED);
        let (name, id) = (15, 21);
        let hant = if rest >= name + id + 11 + 12 { 11 } else { 0 };
        let en = rest.saturating_sub(name + id + hant + 1);
        let en = if en >= 8 { en } else { 0 };
        Columns {
            name,
            hant,
            en,
            id: rest.saturating_sub(name + hant + en).min(id),
        }
    }

    fn line(&self, name: &str, hant: &str, en: &str, id: &str) -> String {
        let mut out = pad(name, self.name);
        for (text, w) in [(hant, self.hant), (en, self.en)] {
            if w > 0 {
                out.push_str(&pad(text, w));
            }
        }
        out.push_str(&pad(id, self.id));
        out
    }
}

/// `text` cut or padded to exactly `width` columns.
fn pad(text: &str, width: usize) -> String {
    let cut = fit(text, width.saturating_sub(1));
    let used = cut.width();
    format!("{cut}{}", " ".repeat(width.saturating_sub(used)))
}

fn draw_list(
    view: &ThemesView,
    rows: &[(&Theme, usize)],
    count: &dyn Fn(&Theme) -> usize,
    theme: &Styles,
    area: Rect,
    buf: &mut Buffer,
) {
    if area.height == 0 {
        return;
    }
    let width = usize::from(area.width);
    let columns = Columns::new(width);
    let header = format!(
        "    {}{:>4} {:>6}",
        columns.line("名称", "繁體", "English", "id"),
        "kw",
        "psgs"
    );
    buf.set_stringn(area.x, area.y, fit(&header, width), width, theme.heading);
    let visible = usize::from(area.height.saturating_sub(1));
    let first = view.selected.saturating_sub(visible.saturating_sub(1));
    let focused = view.focus == Focus::Themes || view.terms.is_none();
    for (row, (index, (t, depth))) in rows
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .enumerate()
    {
        let y = area.y + 1 + u16::try_from(row).unwrap_or(0);
        let base = match (index == view.selected, focused) {
            (true, true) => theme.selected,
            (true, false) => theme.cursor_line,
            _ => theme.text,
        };
        buf.set_style(Rect::new(area.x, y, area.width, 1), base);
        let marker = if view.merging.as_deref() == Some(t.id.as_str()) {
            "»"
        } else {
            " "
        };
        let name = format!("{}{}", "  ".repeat(*depth), sanitize_line(&t.name));
        let text = format!(
            "{}{:>4} {:>6}",
            columns.line(
                &name,
                &sanitize_line(&t.name_hant),
                &sanitize_line(&t.name_en),
                &t.id
            ),
            t.keywords.len(),
            count(t)
        );
        let line = Line::from(vec![
            Span::styled(marker, base),
            Span::styled("██", base.patch(theme.chip(&t.color, true))),
            Span::styled(" ", base),
            Span::styled(text, base),
        ]);
        buf.set_line(area.x, y, &line, area.width);
    }
}

fn draw_detail(t: &Theme, passages: usize, theme: &Styles, area: Rect, buf: &mut Buffer) {
    let names: Vec<String> = [&t.name, &t.name_hant, &t.name_en]
        .into_iter()
        .filter(|n| !n.is_empty())
        .map(|n| sanitize_line(n))
        .collect();
    let keywords: Vec<String> = t
        .keywords
        .iter()
        .map(|k| {
            let term = sanitize_line(&k.term);
            if k.weight == 1.0 {
                term
            } else {
                format!("{term} ×{}", k.weight)
            }
        })
        .collect();
    let lines = vec![
        Line::from(vec![
            Span::styled("██ ", theme.chip(&t.color, true)),
            Span::styled(names.join(" · "), theme.heading),
        ]),
        Line::from(Span::styled(
            format!(
                "{} · {} · parent {} · {}",
                t.id,
                t.color,
                t.parent.as_deref().unwrap_or("—"),
                count(passages, "passage")
            ),
            theme.dim,
        )),
        Line::from(sanitize_line(&t.description)),
        Line::from(Span::styled(
            format!("{} keywords:", keywords.len()),
            theme.heading,
        )),
        Line::from(keywords.join(" · ")),
    ];
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inset(area), buf);
}

fn draw_terms(view: &ThemesView, terms: &Terms, theme: &Styles, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let of = match &terms.doc {
        Some((id, title)) => format!("#{id} {}", sanitize_line(title)),
        None => "the library".to_string(),
    };
    let style = if view.focus == Focus::Terms {
        theme.title_focused
    } else {
        theme.title
    };
    buf.set_style(Rect::new(area.x, area.y, area.width, 1), style);
    buf.set_stringn(
        area.x,
        area.y,
        fit(&format!(" Uncovered terms of {of}"), width),
        width,
        style,
    );
    let message = |text: &str, buf: &mut Buffer| {
        if area.height > 1 {
            buf.set_stringn(area.x + 1, area.y + 1, fit(text, width), width, theme.dim);
        }
    };
    let Some(list) = &terms.list else {
        return message("segmenting the library…", buf);
    };
    if list.is_empty() {
        return message("none: it takes two documents, and a term seen twice", buf);
    }
    let term_width = width.saturating_sub(24).clamp(4, 16);
    if area.height > 1 {
        let header = format!(
            " {} {:>7} {:>5} {:>4}",
            pad("term", term_width),
            "score",
            "count",
            "docs"
        );
        buf.set_stringn(
            area.x,
            area.y + 1,
            fit(&header, width),
            width,
            theme.heading,
        );
    }
    let visible = usize::from(area.height.saturating_sub(2));
    let first = terms.selected.saturating_sub(visible.saturating_sub(1));
    for (row, (index, u)) in list
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .enumerate()
    {
        let y = area.y + 2 + u16::try_from(row).unwrap_or(0);
        let style = match (index == terms.selected, view.focus == Focus::Terms) {
            (true, true) => theme.selected,
            (true, false) => theme.cursor_line,
            _ => theme.text,
        };
        buf.set_style(Rect::new(area.x, y, area.width, 1), style);
        let line = format!(
            " {} {:>7.4} {:>5} {:>4}",
            pad(&sanitize_line(&u.term), term_width),
            u.score,
            u.count,
            u.documents
        );
        buf.set_stringn(area.x, y, fit(&line, width), width, style);
    }
}

/// `area` less a column on the left.
fn inset(area: Rect) -> Rect {
    Rect::new(
        area.x + 1,
        area.y,
        area.width.saturating_sub(1),
        area.height,
    )
}
