//! A drawn screen (a ratatui [`Buffer`]) as a standalone SVG picture of a terminal: the
//! README's screenshots, made from the real views by `examples/screenshots.rs`.
//!
//! Every cell is a fixed box; a wide character covers two. Backgrounds are rectangles merged
//! along a row; text is one `<text>` element per run of adjacent glyphs of one style and one
//! width, stretched to its cells, so columns line up whatever the font's own advances. Colours follow a
//! dark terminal scheme (ratatui's named colours, the 256-colour palette and RGB).

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// A cell's width and height in pixels, and the font size.
const CELL_W: f32 = 9.6;
const CELL_H: f32 = 20.0;
const FONT_PX: f32 = 16.0;
/// From a row's top to the text's baseline.
const BASELINE: f32 = 15.0;

/// The terminal's own colours (`Color::Reset`).
const DEFAULT_FG: &str = "#d4d4d4";
const DEFAULT_BG: &str = "#1e1e1e";

/// Monospace fonts with CJK glyphs first, so a wide character fills its two cells.
const FONTS: &str = "'Sarasa Mono SC', 'Noto Sans Mono CJK SC', 'Source Han Mono SC', \
                     'DejaVu Sans Mono', Menlo, Consolas, monospace";

/// The 16 ANSI colours, as a dark terminal scheme draws them.
const ANSI: [&str; 16] = [
    "#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
    "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff",
];

/// `buf` as an SVG document.
pub fn render(buf: &Buffer) -> String {
    let area = buf.area;
    let (width, height) = (
        f32::from(area.width) * CELL_W,
        f32::from(area.height) * CELL_H,
    );
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.1} {height:.1}" font-family="{FONTS}" font-size="{FONT_PX:.0}">"#
    );
    let _ = writeln!(
        svg,
        r#"<rect width="100%" height="100%" fill="{DEFAULT_BG}"/>"#
    );
    for y in 0..area.height {
        let cells = row(buf, y);
        backgrounds(&mut svg, &cells, y);
        texts(&mut svg, &cells, y);
    }
    svg.push_str("</svg>\n");
    svg
}

/// One drawn cell: where it starts, how many cells it covers, and what it shows.
struct Placed<'a> {
    x: u16,
    width: u16,
    cell: &'a Cell,
}

impl Placed<'_> {
    /// Foreground and background, swapped when the cell is reversed.
    fn colors(&self) -> (String, String) {
        let fg = color(self.cell.fg).unwrap_or_else(|| DEFAULT_FG.to_string());
        let bg = color(self.cell.bg).unwrap_or_else(|| DEFAULT_BG.to_string());
        if self.cell.modifier.contains(Modifier::REVERSED) {
            (bg, fg)
        } else {
            (fg, bg)
        }
    }
}

/// The cells of row `y`, a wide character once (covering the cell after it).
fn row(buf: &Buffer, y: u16) -> Vec<Placed<'_>> {
    let area = buf.area;
    let mut cells = Vec::new();
    let mut x = 0;
    while x < area.width {
        let cell = &buf[(area.x + x, area.y + y)];
        let width = u16::try_from(cell.symbol().width())
            .unwrap_or(1)
            .clamp(1, area.width - x);
        cells.push(Placed { x, width, cell });
        x += width;
    }
    cells
}

/// The row's backgrounds other than the terminal's own, as rectangles merged along the row.
fn backgrounds(svg: &mut String, cells: &[Placed<'_>], y: u16) {
    let mut run: Option<(u16, u16, String)> = None;
    let flush = |svg: &mut String, run: Option<(u16, u16, String)>| {
        if let Some((x, w, fill)) = run.filter(|(_, _, fill)| fill != DEFAULT_BG) {
            let _ = writeln!(
                svg,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{CELL_H:.1}" fill="{fill}"/>"#,
                f32::from(x) * CELL_W,
                f32::from(y) * CELL_H,
                f32::from(w) * CELL_W,
            );
        }
    };
    for placed in cells {
        let (_, bg) = placed.colors();
        match &mut run {
            Some((_, w, fill)) if *fill == bg => *w += placed.width,
            _ => {
                flush(svg, run.take());
                run = Some((placed.x, placed.width, bg));
            }
        }
    }
    flush(svg, run);
}

/// Glyphs drawn as one `<text>`: side by side in one style and one width, from cell `x`.
struct TextRun {
    style: String,
    x: u16,
    cells: u16,
    wide: bool,
    text: String,
}

/// The row's text, one `<text>` per run of adjacent glyphs of one style and one width (a
/// blank cell ends a run). Each run is stretched to its cells with `textLength`, so the
/// columns line up in any renderer whatever the font's advances.
fn texts(svg: &mut String, cells: &[Placed<'_>], y: u16) {
    let mut run: Option<TextRun> = None;
    for placed in cells {
        let symbol = placed.cell.symbol();
        if symbol.trim().is_empty() {
            if let Some(done) = run.take() {
                text_element(svg, &done, y);
            }
            continue;
        }
        let style = text_style(placed);
        let wide = placed.width > 1;
        match &mut run {
            Some(r) if r.style == style && r.wide == wide && r.x + r.cells == placed.x => {
                r.cells += placed.width;
                r.text.push_str(&escape(symbol));
            }
            _ => {
                if let Some(done) = run.take() {
                    text_element(svg, &done, y);
                }
                run = Some(TextRun {
                    style,
                    x: placed.x,
                    cells: placed.width,
                    wide,
                    text: escape(symbol),
                });
            }
        }
    }
    if let Some(done) = run {
        text_element(svg, &done, y);
    }
}

/// The SVG attributes of a cell's text: colour, weight, slant, decoration, dimming.
fn text_style(placed: &Placed<'_>) -> String {
    let (fg, _) = placed.colors();
    let m = placed.cell.modifier;
    let mut style = format!(r#"fill="{fg}""#);
    if m.contains(Modifier::BOLD) {
        style.push_str(r#" font-weight="bold""#);
    }
    if m.contains(Modifier::ITALIC) {
        style.push_str(r#" font-style="italic""#);
    }
    if m.contains(Modifier::UNDERLINED) {
        style.push_str(r#" text-decoration="underline""#);
    }
    if m.contains(Modifier::DIM) {
        style.push_str(r#" opacity="0.6""#);
    }
    style
}

fn text_element(svg: &mut String, run: &TextRun, y: u16) {
    let _ = writeln!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" textLength="{:.1}" lengthAdjust="spacingAndGlyphs" {}>{}</text>"#,
        f32::from(run.x) * CELL_W,
        f32::from(y) * CELL_H + BASELINE,
        f32::from(run.cells) * CELL_W,
        run.style,
        run.text
    );
}

/// `text` with XML's special characters escaped, and control characters (which XML 1.0
/// forbids) as U+FFFD.
fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            c if c.is_control() => '\u{FFFD}'.to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// A colour as `#rrggbb`, `None` for the terminal's own.
fn color(color: Color) -> Option<String> {
    let ansi = |i: usize| Some(ANSI[i].to_string());
    match color {
        Color::Reset => None,
        Color::Black => ansi(0),
        Color::Red => ansi(1),
        Color::Green => ansi(2),
        Color::Yellow => ansi(3),
        Color::Blue => ansi(4),
        Color::Magenta => ansi(5),
        Color::Cyan => ansi(6),
        Color::Gray => ansi(7),
        Color::DarkGray => ansi(8),
        Color::LightRed => ansi(9),
        Color::LightGreen => ansi(10),
        Color::LightYellow => ansi(11),
        Color::LightBlue => ansi(12),
        Color::LightMagenta => ansi(13),
        Color::LightCyan => ansi(14),
        Color::White => ansi(15),
        Color::Rgb(r, g, b) => Some(format!("#{r:02x}{g:02x}{b:02x}")),
        Color::Indexed(i) => Some(indexed(i)),
    }
}

/// Colour `i` of the 256-colour palette: the 16 ANSI colours, the 6×6×6 cube, 24 greys.
fn indexed(i: u8) -> String {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match i {
        0..=15 => ANSI[usize::from(i)].to_string(),
        16..=231 => {
            let n = i - 16;
            let (r, g, b) = (n / 36, (n / 6) % 6, n % 6);
            format!(
                "#{:02x}{:02x}{:02x}",
                LEVELS[usize::from(r)],
                LEVELS[usize::from(g)],
                LEVELS[usize::from(b)]
            )
        }
        _ => {
            let level = 8 + 10 * (i - 232);
            format!("#{level:02x}{level:02x}{level:02x}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn buffer(lines: &[(&str, Style)]) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, lines.len() as u16));
        for (y, (text, style)) in lines.iter().enumerate() {
            buf.set_string(0, y as u16, text, *style);
        }
        buf
    }

    #[test]
    fn a_wide_character_takes_two_cells() {
        let svg = render(&buffer(&[("批注ab c", Style::default())]));
        // 批注 in cells 0–3, ab in 4–5, c after the blank cell 6.
        assert!(
            svg.contains(r##"x="0.0" y="15.0" textLength="38.4" lengthAdjust="spacingAndGlyphs" fill="#d4d4d4">批注</text>"##),
            "{svg}"
        );
        assert!(
            svg.contains(r#"x="38.4" y="15.0" textLength="19.2""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"x="67.2" y="15.0" textLength="9.6""#),
            "{svg}"
        );
    }

    #[test]
    fn special_characters_are_escaped_and_controls_replaced() {
        let svg = render(&buffer(&[("<a&\"b\">", Style::default())]));
        assert!(svg.contains("&lt;a&amp;&quot;b&quot;&gt;"), "{svg}");
        assert_eq!(escape("x\u{1b}y"), "x\u{FFFD}y");
    }

    #[test]
    fn styles_become_attributes_and_backgrounds_rectangles() {
        let bold_red = Style::default().fg(Color::Red).add_modifier(Modifier::BOLD);
        let on_blue = Style::default().bg(Color::Indexed(21));
        let reversed = Style::default()
            .fg(Color::Rgb(1, 2, 3))
            .add_modifier(Modifier::REVERSED);
        let svg = render(&buffer(&[
            ("红", bold_red),
            ("蓝底", on_blue),
            ("反", reversed),
        ]));
        assert!(
            svg.contains(r##"fill="#cd3131" font-weight="bold">红"##),
            "{svg}"
        );
        // Indexed 21 is the cube's pure blue; the two wide characters' background is one
        // rectangle four cells wide.
        assert!(
            svg.contains(r##"y="20.0" width="38.4" height="20.0" fill="#0000ff""##),
            "{svg}"
        );
        // Reversed: the terminal's background as the text colour, the colour behind it.
        assert!(svg.contains(r##"fill="#010203"/>"##), "{svg}");
        assert!(svg.contains(r##"fill="#1e1e1e">反"##), "{svg}");
    }

    #[test]
    fn the_palette_maps_the_cube_and_the_greys() {
        assert_eq!(indexed(16), "#000000");
        assert_eq!(indexed(196), "#ff0000");
        assert_eq!(indexed(232), "#080808");
        assert_eq!(indexed(255), "#eeeeee");
        assert_eq!(color(Color::Reset), None);
    }

    #[test]
    fn the_document_is_well_formed() {
        let svg = render(&buffer(&[("批注 <pizhu>", Style::default())]));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.trim_end().ends_with("</svg>"));
        let opened = svg.matches("<text").count();
        assert_eq!(opened, svg.matches("</text>").count());
    }
}
