//! Code-point offsets to byte offsets in one text, asked for in ascending order: each call
//! walks on from the previous one, so slicing a text by a sorted list of spans (passages,
//! paragraphs, view runs) is linear however long the text.

use crate::doc::Span;

/// A forward-only walk over a text's code points.
pub struct CharCursor<'a> {
    text: &'a str,
    chars: usize,
    bytes: usize,
}

impl<'a> CharCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        CharCursor {
            text,
            chars: 0,
            bytes: 0,
        }
    }

    /// The byte offset where code point `target` starts (the text's length just past its
    /// end); `None` past that or behind the previous call.
    pub fn byte_at(&mut self, target: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        while self.chars < target {
            let lead = *bytes.get(self.bytes)?;
            // Counting by lead bytes is cheaper than decoding characters.
            self.bytes += match lead {
                0x00..=0x7F => 1,
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            self.chars += 1;
        }
        (self.chars == target).then_some(self.bytes)
    }

    /// The text of `span`; `None` when it reaches past the text or starts behind the previous
    /// call.
    pub fn slice(&mut self, span: Span) -> Option<&'a str> {
        let start = self.byte_at(span.start)?;
        let end = self.byte_at(span.end)?;
        self.text.get(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_char_cursor_walks_forward_only() {
        let mut cursor = CharCursor::new("a科é𠀀b");
        assert_eq!(cursor.byte_at(0), Some(0));
        assert_eq!(cursor.byte_at(2), Some(4));
        assert_eq!(cursor.byte_at(4), Some(10));
        assert_eq!(cursor.byte_at(5), Some(11));
        assert_eq!(cursor.byte_at(3), None);
        assert_eq!(CharCursor::new("ab").byte_at(3), None);
    }

    #[test]
    fn spans_in_order_slice_the_text() {
        let mut cursor = CharCursor::new("科技创新，推动发展");
        assert_eq!(cursor.slice(Span::new(0, 2)), Some("科技"));
        assert_eq!(cursor.slice(Span::new(5, 7)), Some("推动"));
        assert_eq!(cursor.slice(Span::new(8, 10)), None);
    }
}
