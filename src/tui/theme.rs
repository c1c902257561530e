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
    pub heading: Style,
    pub key: Style,
    pub dim: Style,
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
                heading: bold,
                key: bold,
                dim: Style::new().add_modifier(Modifier::DIM),
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
                    heading: bold.fg(Color::Cyan),
                    key: bold.fg(Color::Yellow),
                    dim: Style::new().fg(Color::DarkGray),
                }
            }
        }
    }

    /// The theme for this terminal.
    pub fn detect() -> Theme {
        Theme::new(Palette::detect(|name| std::env::var(name).ok()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        for style in [plain.cursor_line, plain.matched, plain.status, plain.title] {
            assert_eq!((style.fg, style.bg), (None, None));
        }
    }
}
