//! Lines of a stored text, with byte and code-point positions side by side.
//!
//! Cleaning and the reading view are line-oriented, and both need code-point offsets (the unit
//! of every span) as well as byte offsets (the unit of `&str` slicing and of regex matches).
//! Walking the text once and counting code points per line keeps that linear, without a
//! per-character table. A line ends at `\n`; a `\r` right before it belongs to the terminator,
//! so CRLF files get the same line contents as LF files.

use super::Span;

/// One line of a text: its content without the terminator, and where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// The content, without `\n` or `\r\n`.
    pub text: &'a str,
    /// Byte offset of the content in the whole text.
    pub byte_start: usize,
    /// Code-point offset of the content in the whole text.
    pub char_start: usize,
    /// Code points in the content.
    pub char_len: usize,
    /// Code points (and bytes: both are ASCII) in the terminator: 0 for a last line without
    /// a newline, 1 for `\n`, 2 for `\r\n`.
    pub term_len: usize,
}

impl Line<'_> {
    /// Code-point offset just past the content (where the terminator starts).
    pub fn char_end(&self) -> usize {
        self.char_start + self.char_len
    }

    /// Byte offset just past the content.
    pub fn byte_end(&self) -> usize {
        self.byte_start + self.text.len()
    }

    /// The content with surrounding whitespace (including no-break and ideographic spaces)
    /// removed, and its span; `None` for a line that is only whitespace.
    pub fn trimmed(&self) -> Option<(&str, Span)> {
        let inner = self.text.trim();
        if inner.is_empty() {
            return None;
        }
        let lead_bytes = self.text.len() - self.text.trim_start().len();
        let lead = self.text[..lead_bytes].chars().count();
        let trail = self.text[lead_bytes + inner.len()..].chars().count();
        let start = self.char_start + lead;
        Some((inner, Span::new(start, self.char_end() - trail)))
    }

    /// Whether the line holds nothing but whitespace.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// Where a line starts, to resume iteration there with [`lines_from`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineStart {
    pub byte: usize,
    pub char: usize,
}

impl Line<'_> {
    /// Where this line starts.
    pub fn start(&self) -> LineStart {
        LineStart {
            byte: self.byte_start,
            char: self.char_start,
        }
    }
}

/// Iterator over the lines of a text; see [`lines`].
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    text: &'a str,
    byte: usize,
    char: usize,
}

/// `text` in parts of about `max` bytes, each ending at a line end (the last may end
/// anywhere).
pub fn parts(text: &str, max: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len().min(max);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let end = match rest[end..].find('\n') {
            _ if end == rest.len() => end,
            Some(i) => end + i + 1,
            None => rest.len(),
        };
        let (part, tail) = rest.split_at(end);
        rest = tail;
        Some(part)
    })
}

/// The lines of `text`, in order. A text ending in a newline has no empty last line; an empty
/// text has no lines.
pub fn lines(text: &str) -> Lines<'_> {
    Lines {
        text,
        byte: 0,
        char: 0,
    }
}

/// The lines of `text` from `start` on (a position taken from an earlier [`Line::start`]).
pub fn lines_from(text: &str, start: LineStart) -> Lines<'_> {
    Lines {
        text,
        byte: start.byte,
        char: start.char,
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        if self.byte >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.byte..];
        let (content, term_len) = match rest.find('\n') {
            Some(nl) if nl > 0 && rest.as_bytes()[nl - 1] == b'\r' => (&rest[..nl - 1], 2),
            Some(nl) => (&rest[..nl], 1),
            None => (rest, 0),
        };
        let char_len = content.chars().count();
        let line = Line {
            text: content,
            byte_start: self.byte,
            char_start: self.char,
            char_len,
            term_len,
        };
        self.byte += content.len() + term_len;
        self.char += char_len + term_len;
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_lf_and_crlf_with_code_point_offsets() {
        let text = "新質\r\n\nab\n末";
        let got: Vec<_> = lines(text)
            .map(|l| (l.text, l.char_start, l.char_len, l.term_len))
            .collect();
        assert_eq!(
            got,
            vec![
                ("新質", 0, 2, 2),
                ("", 4, 0, 1),
                ("ab", 5, 2, 1),
                ("末", 8, 1, 0)
            ]
        );
    }

    #[test]
    fn lines_from_resumes_with_the_same_offsets() {
        let text = "甲乙\n丙\n丁";
        let all: Vec<_> = lines(text).collect();
        let resumed: Vec<_> = lines_from(text, all[1].start()).collect();
        assert_eq!(resumed, all[1..]);
    }

    #[test]
    fn trailing_newline_gives_no_empty_line() {
        assert_eq!(lines("a\n").count(), 1);
        assert_eq!(lines("").count(), 0);
    }

    #[test]
    fn trimmed_skips_nbsp_and_ideographic_space() {
        let text = "x\n\u{a0}\u{3000} 來源:人民日報\u{a0}\n";
        let line = lines(text).nth(1).expect("second line");
        let (inner, span) = line.trimmed().expect("not blank");
        assert_eq!(inner, "來源:人民日報");
        assert_eq!(span, Span::new(5, 12));
        assert!(lines("\u{a0} \n").next().expect("line").is_blank());
    }
}
