//! Colours and text styles. Every style that sets a background also sets its foreground, so
//! the default theme reads on dark and light terminals alike; terminals without 256 colours get
//! the 16 ANSI colours, and `NO_COLOR` leaves only bold, underline, reverse and dim.

use ratatui::style::{Color, Modifier, Style};

/// The styles the reader draws with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub text: Style,
    pub title: Style,
    pub title_focused: Style,
    pub gutter: Style,
    pub separator: Style,
    pub cursor_line: Style,
    pub cursor: Style,
    pub matched: Style,
    pub current_match: Style,
    pub noise: Style,
    pub status: Style,
    pub error: Style,
    pub selected: Style,
    /// Text selected in visual mode.
    pub selection: Style,
    pub heading: Style,
    pub key: Style,
    pub dim: Style,
    pub palette: Palette,
}

/// How many colours the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    None,
    Ansi16,
    Indexed256,
}

impl Palette {
    /// Decides from the environment: `NO_COLOR` (set and not empty) wins, then `COLORTERM` and
    /// `TERM`.
    pub fn detect(var: impl Fn(&str) -> Option<String>) -> Palette {
        if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return Palette::None;
        }
        let colorterm = var("COLORTERM").unwrap_or_default();
        let term = var("TERM").unwrap_or_default();
        if colorterm.contains("truecolor") || colorterm.contains("24bit") || term.contains("256") {
            Palette::Indexed256
        } else {
            Palette::Ansi16
        }
    }
}

impl Theme {
    pub fn new(palette: Palette) -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        match palette {
            Palette::None => Theme {
                text: Style::new(),
                title: Style::new().add_modifier(Modifier::UNDERLINED),
                title_focused: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
                gutter: Style::new(),
                separator: Style::new(),
                cursor_line: Style::new().add_modifier(Modifier::UNDERLINED),
                cursor: Style::new().add_modifier(Modifier::REVERSED),
                matched: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                current_match: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
                noise: Style::new().add_modifier(Modifier::DIM),
                status: Style::new().add_modifier(Modifier::REVERSED),
                error: bold,
                selected: Style::new().add_modifier(Modifier::REVERSED),
                selection: Style::new().add_modifier(Modifier::REVERSED),
                heading: bold,
                key: bold,
                dim: Style::new().add_modifier(Modifier::DIM),
                palette,
            },
            Palette::Ansi16 | Palette::Indexed256 => {
                let (line_bg, title_bg, status_bg) = if palette == Palette::Indexed256 {
                    (Color::Indexed(24), Color::Indexed(25), Color::Indexed(238))
                } else {
                    (Color::Blue, Color::Blue, Color::DarkGray)
                };
                let on = |fg: Color, bg: Color| Style::new().fg(fg).bg(bg);
                Theme {
                    text: Style::new(),
                    title: on(Color::White, Color::DarkGray),
                    title_focused: on(Color::White, title_bg).add_modifier(Modifier::BOLD),
                    gutter: Style::new().fg(Color::DarkGray),
                    separator: Style::new().fg(Color::DarkGray),
                    cursor_line: on(Color::White, line_bg),
                    cursor: Style::new().add_modifier(Modifier::REVERSED),
                    matched: on(Color::Black, Color::Yellow),
                    current_match: on(Color::Black, Color::LightRed).add_modifier(Modifier::BOLD),
                    noise: Style::new().fg(Color::DarkGray).add_modifier(Modifier::DIM),
                    status: on(Color::White, status_bg),
                    error: on(Color::White, Color::Red).add_modifier(Modifier::BOLD),
                    selected: on(Color::White, line_bg).add_modifier(Modifier::BOLD),
                    selection: Style::new().add_modifier(Modifier::REVERSED),
                    heading: bold.fg(Color::Cyan),
                    key: bold.fg(Color::Yellow),
                    dim: Style::new().fg(Color::DarkGray),
                    palette,
                }
            }
        }
    }

    /// The style of a theme's chip or name in colour `hex` (`#rrggbb`): the nearest colour
    /// the palette has (a 256-colour cube index, or one of the 16 ANSI colours), bold when
    /// the user confirmed the theme, dim when it is only suggested. Without colour, only
    /// the modifiers tell them apart.
    pub fn chip(&self, hex: &str, confirmed: bool) -> Style {
        let style = match confirmed {
            true => Style::new().add_modifier(Modifier::BOLD),
            false => Style::new().add_modifier(Modifier::DIM),
        };
        match (self.palette, rgb(hex)) {
            (Palette::Indexed256, Some((r, g, b))) => style.fg(Color::Indexed(cube_index(r, g, b))),
            (Palette::Ansi16, Some((r, g, b))) => style.fg(ansi_nearest(r, g, b)),
            _ => style,
        }
    }

    /// The style of a heat-map cell in colour `hex` at `heat` (0 to 1): the colour's
    /// background, from faint to full as `heat` grows (mixed with a dark grey, so the text on
    /// it stays readable; 16 colours have two steps). Without colour, modifiers grade it: dim,
    /// plain, bold, reversed.
    pub fn heat(&self, hex: &str, heat: f64) -> Style {
        let heat = heat.clamp(0.0, 1.0);
        if heat == 0.0 {
            return self.dim;
        }
        match (self.palette, rgb(hex)) {
            (Palette::Indexed256, Some((r, g, b))) => {
                let mix = |c: u8| (40.0 + (f64::from(c) - 40.0) * (0.25 + 0.75 * heat)) as u8;
                let (r, g, b) = (mix(r), mix(g), mix(b));
                let light = u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114 > 140_000;
                let fg = if light { Color::Black } else { Color::White };
                Style::new().fg(fg).bg(Color::Indexed(cube_index(r, g, b)))
            }
            (Palette::Ansi16, Some((r, g, b))) if heat >= 0.25 => {
                Style::new().fg(Color::Black).bg(ansi_nearest(r, g, b))
            }
            (Palette::Ansi16, Some((r, g, b))) => Style::new().fg(ansi_nearest(r, g, b)),
            _ => match heat {
                h if h < 0.1 => Style::new(),
                h if h < 0.3 => Style::new().add_modifier(Modifier::BOLD),
                _ => Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            },
        }
    }

    /// The background of an annotation in highlight colour `color`; without colour, text
    /// underlined.
    pub fn highlight(&self, color: crate::annotations::Color) -> Style {
        match (self.palette, rgb(color.hex())) {
            (Palette::Indexed256, Some((r, g, b))) => Style::new()
                .fg(Color::Black)
                .bg(Color::Indexed(cube_index(r, g, b))),
            (Palette::Ansi16, Some((r, g, b))) => {
                Style::new().fg(Color::Black).bg(ansi_nearest(r, g, b))
            }
            _ => Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }

    /// An annotation's mark in the gutter, in its colour.
    pub fn mark(&self, color: crate::annotations::Color) -> Style {
        match (self.palette, rgb(color.hex())) {
            (Palette::Indexed256, Some((r, g, b))) => {
                Style::new().fg(Color::Indexed(cube_index(r, g, b)))
            }
            (Palette::Ansi16, Some((r, g, b))) => Style::new().fg(ansi_nearest(r, g, b)),
            _ => Style::new().add_modifier(Modifier::BOLD),
        }
    }

    /// The gutter's mark on a row several annotations cover: the innermost one's highlight,
    /// bold (without colour: underlined and bold).
    pub fn stacked_marks(&self, inner: crate::annotations::Color) -> Style {
        self.highlight(inner).add_modifier(Modifier::BOLD)
    }

    /// The theme for this terminal.
    pub fn detect() -> Theme {
        Theme::new(Palette::detect(|name| std::env::var(name).ok()))
    }
}

/// `#rrggbb` as its three components.
fn rgb(hex: &str) -> Option<(u8, u8, u8)> {
    let hex = hex.strip_prefix('#')?;
    let part = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    (hex.len() == 6).then_some(())?;
    Some((part(0)?, part(2)?, part(4)?))
}

/// The nearest colour of the xterm 6×6×6 cube (indexes 16–231).
fn cube_index(r: u8, g: u8, b: u8) -> u8 {
    let level = |c: u8| -> u8 {
        // The cube's levels are 0, 95, 135, 175, 215, 255.
        match c {
            0..=47 => 0,
            48..=114 => 1,
            _ => ((u16::from(c) - 35) / 40) as u8,
        }
    };
    16 + 36 * level(r) + 6 * level(g) + level(b)
}

/// The nearest of the eight basic ANSI colours, bright when the colour is light.
fn ansi_nearest(r: u8, g: u8, b: u8) -> Color {
    let on = |c: u8| c >= 128;
    let bright = u16::from(r) + u16::from(g) + u16::from(b) > 3 * 170;
    match (on(r), on(g), on(b), bright) {
        (false, false, false, _) => Color::DarkGray,
        (true, false, false, false) => Color::Red,
        (true, false, false, true) => Color::LightRed,
        (false, true, false, false) => Color::Green,
        (false, true, false, true) => Color::LightGreen,
        (true, true, false, false) => Color::Yellow,
        (true, true, false, true) => Color::LightYellow,
        (false, false, true, false) => Color::Blue,
        (false, false, true, true) => Color::LightBlue,
        (true, false, true, false) => Color::Magenta,
        (true, false, true, true) => Color::LightMagenta,
        (false, true, true, false) => Color::Cyan,
        (false, true, true, true) => Color::LightCyan,
        (true, true, true, _) => Color::White,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_colours_map_to_the_nearest_the_terminal_has() {
        assert_eq!(cube_index(0, 0, 0), 16);
        assert_eq!(cube_index(255, 255, 255), 231);
        assert_eq!(cube_index(255, 0, 0), 196);
        assert_eq!(cube_index(0x4e, 0x79, 0xa7), 16 + 36 + 6 * 2 + 3);
        assert_eq!(ansi_nearest(0xe1, 0x57, 0x59), Color::Red);
        assert_eq!(ansi_nearest(0x59, 0xa1, 0x4f), Color::Green);
        let t = Theme::new(Palette::Indexed256);
        assert_eq!(t.chip("#ff0000", true).fg, Some(Color::Indexed(196)));
        assert_eq!(t.chip("not a colour", true).fg, None);
        assert_eq!(rgb("#4e79a7"), Some((0x4e, 0x79, 0xa7)));
        assert_eq!(t.heat("#ff0000", 0.0), t.dim);
        assert_ne!(t.heat("#ff0000", 0.1).bg, t.heat("#ff0000", 0.9).bg);
        let plain = Theme::new(Palette::None);
        assert_eq!(plain.heat("#ff0000", 0.5).bg, None);
        assert_ne!(plain.heat("#ff0000", 0.05), plain.heat("#ff0000", 0.5));
        assert_eq!(rgb("#4e79a"), None);
    }

    #[test]
    fn no_color_wins_and_term_picks_the_palette() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            Palette::detect(env(&[("NO_COLOR", "1"), ("TERM", "xterm-256color")])),
            Palette::None
        );
        assert_eq!(
            Palette::detect(env(&[("NO_COLOR", ""), ("TERM", "xterm-256color")])),
            Palette::Indexed256
        );
        assert_eq!(Palette::detect(env(&[("TERM", "linux")])), Palette::Ansi16);
        let plain = Theme::new(Palette::None);
        assert_eq!(plain.chip("#4e79a7", true).fg, None);
        assert_ne!(plain.chip("#4e79a7", true), plain.chip("#4e79a7", false));
        for style in [plain.cursor_line, plain.matched, plain.status, plain.title] {
            assert_eq!((style.fg, style.bg), (None, None));
        }
    }
}
