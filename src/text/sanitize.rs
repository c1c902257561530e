//! What is drawn for each character of document text, so that no control character, escape
//! sequence or bidi override ever reaches the terminal raw.
//!
//! * C0 controls show as their Control Pictures symbol (`␀`…`␟`, e.g. ESC as `␛`), DEL as `␡`.
//! * C1 controls (U+0080–U+009F, which include the 8-bit CSI) show as `␦`.
//! * Bidi controls (ALM, LRM, RLM, U+202A–U+202E, U+2066–U+2069) show as `⇆`.
//! * A tab shows as [`TAB_WIDTH`] spaces: a fixed width, not tab stops, so a line's width never
//!   depends on where it starts.
//! * Hard line breaks (LF, CR, VT, FF, NEL, U+2028, U+2029) end a line and draw nothing.
//! * Everything else, including zero-width joiners, variation selectors and combining marks, is
//!   drawn as itself.
//!
//! Every substitute symbol is one column wide whether ambiguous characters are narrow or wide.

/// Columns a tab takes: it is drawn as this many spaces.
pub const TAB_WIDTH: usize = 4;
/// Stands for any C1 control character.
pub const C1_SYMBOL: char = '\u{2426}';
/// Stands for any bidi control character.
pub const BIDI_SYMBOL: char = '\u{21C6}';
/// Drawn instead of a character wider than the whole pane (a wide character in a one-column
/// pane).
pub const PLACEHOLDER: char = '\u{2B1A}';

const SPACES: &str = "                                ";

/// What to draw for one character of document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisplayChar {
    /// Drawn as itself.
    Same(char),
    /// A control or bidi character, drawn as this visible one-column symbol.
    Symbol(char),
    /// A tab, drawn as [`TAB_WIDTH`] spaces.
    Tab,
    /// A hard line break: it ends its line and draws nothing.
    Break,
}

impl DisplayChar {
    /// The text to send to the terminal; `buf` holds it when it is one character.
    pub fn as_str(self, buf: &mut [u8; 4]) -> &str {
        match self {
            DisplayChar::Same(c) | DisplayChar::Symbol(c) => c.encode_utf8(buf),
            DisplayChar::Tab => &SPACES[..TAB_WIDTH],
            DisplayChar::Break => "",
        }
    }
}

/// Whether `c` is a hard line break: after it a new line always starts.
pub fn is_hard_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\u{b}' | '\u{c}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Whether `c` is a bidi control character.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// What to draw for `c`: never a control, escape or bidi character.
pub fn display_char(c: char) -> DisplayChar {
    match c {
        '\t' => DisplayChar::Tab,
        c if is_hard_break(c) => DisplayChar::Break,
        '\0'..='\u{1f}' => DisplayChar::Symbol(control_picture(c)),
        '\u{7f}' => DisplayChar::Symbol('\u{2421}'),
        '\u{80}'..='\u{9f}' => DisplayChar::Symbol(C1_SYMBOL),
        c if is_bidi_control(c) => DisplayChar::Symbol(BIDI_SYMBOL),
        c => DisplayChar::Same(c),
    }
}

/// `s` made safe for a single-line place such as a title or a status bar: like
/// [`display_char`], but hard breaks show as symbols too and tabs as spaces.
pub fn sanitize_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_sanitized_line(&mut out, s);
    out
}

/// [`sanitize_line`] appended to `out` (a line built of several pieces needs no string for
/// each).
pub fn push_sanitized_line(out: &mut String, s: &str) {
    let mut buf = [0; 4];
    // Where the run of characters drawn as themselves, copied at once, starts; where to look
    // on from.
    let (mut same, mut from) = (0, 0);
    while let Some(skip) = s.as_bytes()[from..].iter().position(|&b| may_change(b)) {
        let at = from + skip;
        let Some(c) = s[at..].chars().next() else {
            break;
        };
        from = at + c.len_utf8();
        let shown = match display_char(c) {
            DisplayChar::Same(_) => continue,
            DisplayChar::Break => break_symbol(c).encode_utf8(&mut buf),
            d => d.as_str(&mut buf),
        };
        out.push_str(&s[same..at]);
        out.push_str(shown);
        same = from;
    }
    out.push_str(&s[same..]);
}

/// Whether `b` may start a character that [`display_char`] does not draw as itself: an ASCII
/// control, or the first byte of a C1 control (U+0080–U+009F), of U+061C or of U+2000–U+2FFF
/// (line and paragraph separators, bidi controls).
fn may_change(b: u8) -> bool {
    b < 0x20 || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2)
}

/// `s` made safe for a terminal while keeping its lines (`pizhu cat` on a terminal): like
/// [`sanitize_line`], but line feeds and tabs pass through.
pub fn sanitize_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut buf = [0; 4];
    for c in s.chars() {
        match (c, display_char(c)) {
            ('\n' | '\t', _) => out.push(c),
            (_, DisplayChar::Break) => out.push(break_symbol(c)),
            (_, d) => out.push_str(d.as_str(&mut buf)),
        }
    }
    out
}

fn control_picture(c: char) -> char {
    char::from_u32(0x2400 + u32::from(c)).unwrap_or(C1_SYMBOL)
}

fn break_symbol(c: char) -> char {
    match c {
        '\u{85}' => C1_SYMBOL,
        '\u{2028}' | '\u{2029}' => '\u{2424}',
        c => control_picture(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitized_text_keeps_lines_and_tabs_but_no_escapes() {
        let hostile = "標題\x1b[31m紅\x1b]52;c;ZXZpbA==\x07\n\t第二行\u{202e}反\u{9b}";
        let safe = sanitize_text(hostile);
        assert!(
            !safe
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{safe:?}"
        );
        assert!(!safe.contains('\u{202e}'));
        assert_eq!(safe.lines().count(), 2);
        assert!(safe.contains("\t第二行"));
        assert!(safe.contains('␛'));
    }
    use unicode_width::UnicodeWidthChar;

    #[test]
    fn controls_become_visible_symbols() {
        assert_eq!(display_char('\u{1b}'), DisplayChar::Symbol('␛'));
        assert_eq!(display_char('\0'), DisplayChar::Symbol('␀'));
        assert_eq!(display_char('\u{7f}'), DisplayChar::Symbol('␡'));
        assert_eq!(display_char('\u{9b}'), DisplayChar::Symbol(C1_SYMBOL));
        assert_eq!(display_char('\u{202e}'), DisplayChar::Symbol(BIDI_SYMBOL));
        assert_eq!(display_char('\u{2067}'), DisplayChar::Symbol(BIDI_SYMBOL));
        assert_eq!(display_char('\t'), DisplayChar::Tab);
        assert_eq!(display_char('\n'), DisplayChar::Break);
        assert_eq!(display_char('\u{2029}'), DisplayChar::Break);
        assert_eq!(display_char('中'), DisplayChar::Same('中'));
        assert_eq!(display_char('\u{200d}'), DisplayChar::Same('\u{200d}'));
    }

    #[test]
    fn nothing_drawn_is_a_control_or_bidi_character() {
        let mut buf = [0; 4];
        for u in 0..=0x3000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let drawn = display_char(c);
            for d in drawn.as_str(&mut buf).chars() {
                assert!(!d.is_control() && !is_bidi_control(d), "{c:?} draws {d:?}");
            }
        }
    }

    #[test]
    fn symbols_are_one_column_in_both_ambiguous_modes() {
        let mut symbols: Vec<char> = (0..0x20u32).filter_map(char::from_u32).collect();
        symbols.extend(['\u{2421}', '\u{2424}', C1_SYMBOL, BIDI_SYMBOL, PLACEHOLDER]);
        for c in symbols {
            let s = match display_char(c) {
                DisplayChar::Symbol(s) => s,
                _ => c,
            };
            if s.is_control() {
                continue;
            }
            assert_eq!(s.width(), Some(1), "{s:?}");
            assert_eq!(s.width_cjk(), Some(1), "{s:?}");
        }
    }

    #[test]
    fn sanitize_line_changes_exactly_what_display_char_does_not_draw_as_itself() {
        for c in ('\0'..='\u{3000}').chain(['中', '「', '\u{feff}', '😀']) {
            let s = format!("a{c}中");
            let mut buf = [0; 4];
            let expected = match display_char(c) {
                DisplayChar::Break => break_symbol(c).to_string(),
                d => d.as_str(&mut buf).to_string(),
            };
            assert_eq!(sanitize_line(&s), format!("a{expected}中"), "{:?}", c);
        }
    }

    #[test]
    fn sanitize_line_shows_breaks_and_escapes() {
        assert_eq!(sanitize_line("a\u{1b}[31mb\r\n\tc"), "a␛[31mb␍␊    c");
        assert_eq!(sanitize_line("x\u{2028}y\u{85}"), "x␤y␦");
    }
}
