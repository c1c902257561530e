//! The terminal backend: ratatui's crossterm backend, except that a run of Chinese text is
//! drawn without moving the cursor before every character.
//!
//! ratatui's frame diff leaves out the cell a wide character covers, and the crossterm
//! backend moves the cursor whenever a cell does not follow the previous one, so a screen of
//! Chinese sent a cursor move (about 8 bytes) with each 3-byte character: a full frame of
//! 120×40 took ~22 KB. Where the terminal is sure to have advanced two columns — a CJK
//! ideograph, syllable or full-width form, which every terminal draws wide — an empty filler
//! cell is drawn in the covered column, so the next character follows without a move.
//! Anything whose width terminals disagree on (emoji, ambiguous-width symbols) still gets its
//! own move, so a disagreement never shifts the rest of the line.

use ratatui::backend::{ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::borrow::Cow;
use std::io::{self, Write};

/// ratatui's crossterm backend over `W`, drawing runs of wide characters without cursor moves.
pub struct Backend<W: Write> {
    inner: CrosstermBackend<W>,
}

impl<W: Write> Backend<W> {
    pub fn new(writer: W) -> Self {
        Backend {
            inner: CrosstermBackend::new(writer),
        }
    }
}

/// Whether every terminal draws `symbol` two columns wide: one character of the CJK blocks
/// (Hangul Jamo, CJK radicals to Yi, Hangul syllables, compatibility ideographs, vertical and
/// small forms, full-width forms, the supplementary ideograph planes).
fn surely_wide(symbol: &str) -> bool {
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{303E}'
        | '\u{3041}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF01}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}')
}

/// The cells to draw, with a filler after each surely wide character that the next cell
/// follows on the same row, so the backend sees one unbroken run.
fn with_fillers<'a>(cells: &[(u16, u16, &'a Cell)]) -> Vec<(u16, u16, Cow<'a, Cell>)> {
    let mut out = Vec::with_capacity(cells.len() * 2);
    for (i, &(x, y, cell)) in cells.iter().enumerate() {
        out.push((x, y, Cow::Borrowed(cell)));
        let next_follows = cells
            .get(i + 1)
            .is_some_and(|&(nx, ny, _)| ny == y && u32::from(nx) == u32::from(x) + 2);
        if next_follows && surely_wide(cell.symbol()) {
            let mut filler = cell.clone();
            filler.set_symbol("");
            out.push((x + 1, y, Cow::Owned(filler)));
        }
    }
    out
}

impl<W: Write> ratatui::backend::Backend for Backend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, &Cell)> = content.collect();
        let drawn = with_fillers(&cells);
        self.inner
            .draw(drawn.iter().map(|(x, y, cell)| (*x, *y, cell.as_ref())))
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        ratatui::backend::Backend::flush(&mut self.inner)
    }
}

impl<W: Write> Write for Backend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::Backend as _;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Style};

    use std::cell::RefCell;
    use std::rc::Rc;

    /// A writer whose bytes the test reads afterwards.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// What drawing `next` over `previous` writes.
    fn output(previous: &Buffer, next: &Buffer) -> String {
        let written = Shared::default();
        let mut backend = Backend::new(written.clone());
        backend.draw(previous.diff(next).into_iter()).unwrap();
        String::from_utf8(written.0.take()).unwrap()
    }

    fn line(text: &str, width: u16) -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, width, 2));
        b.set_string(0, 0, text, Style::new().fg(Color::Red));
        b
    }

    #[test]
    fn a_run_of_chinese_is_drawn_with_one_cursor_move() {
        let blank = Buffer::empty(Rect::new(0, 0, 20, 2));
        let out = output(&blank, &line("科技创新，产业", 20));
        assert_eq!(out.matches('H').count(), 1, "one move: {out:?}");
        assert!(out.contains("科技创新，产业"), "{out:?}");
    }

    #[test]
    fn emoji_and_ambiguous_symbols_keep_their_own_moves() {
        let blank = Buffer::empty(Rect::new(0, 0, 20, 2));
        let out = output(&blank, &line("科😀技", 20));
        assert_eq!(
            out.matches('H').count(),
            2,
            "a move after the emoji: {out:?}"
        );
        let out = output(&blank, &line("ab科", 20));
        assert_eq!(
            out.matches('H').count(),
            1,
            "narrow text follows on: {out:?}"
        );
    }

    #[test]
    fn a_gap_in_the_diff_still_moves_the_cursor() {
        let before = line("科技创新", 20);
        let after = line("科技改新", 20);
        let out = output(&before, &after);
        assert!(
            out.starts_with("\x1b[1;5H") && out.contains('改'),
            "{out:?}"
        );
        assert!(
            !out.contains('新'),
            "unchanged cells are not drawn: {out:?}"
        );
    }
}
