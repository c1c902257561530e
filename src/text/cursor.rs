//! Code-point offsets to byte offsets in one text, asked for in ascending order: each call
//! walks on from the previous one, so slicing a text by a sorted list of spans (passages,
//! paragraphs, view runs) is linear however long the text.

use crate::doc::Span;

/// Bytes counted at once by [`CharCursor::byte_at`].
const WORD: usize = 8;
/// The top bit of each byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

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
        if target >= self.chars + WORD {
            // A word at a time while a word's worth of code points is left (a word holds at
            // most that many): its code points are its bytes that are not continuation bytes
            // (0b10xxxxxx).
            for word in bytes[self.bytes..].chunks_exact(WORD) {
                if target - self.chars < WORD {
                    break;
                }
                let word = u64::from_le_bytes(word.try_into().ok()?);
                let continuation = word & !(word << 1) & HIGH_BITS;
                self.chars += WORD - continuation.count_ones() as usize;
                self.bytes += WORD;
            }
            // The last word may end inside a character, whose lead byte was counted.
            while bytes.get(self.bytes).is_some_and(|&b| b & 0xC0 == 0x80) {
                self.bytes += 1;
            }
        }
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
    fn long_steps_land_where_char_indices_say() {
        let text = "科技a創新é𠀀发展，\n".repeat(40) + "end";
        let starts: Vec<usize> = text
            .char_indices()
            .map(|(at, _)| at)
            .chain([text.len()])
            .collect();
        for step in [1, 7, 8, 9, 23, 64, 200] {
            let mut cursor = CharCursor::new(&text);
            for target in (0..starts.len()).step_by(step) {
                assert_eq!(cursor.byte_at(target), Some(starts[target]), "step {step}");
            }
        }
        assert_eq!(CharCursor::new(&text).byte_at(starts.len()), None);
    }

    #[test]
    fn spans_in_order_slice_the_text() {
        let mut cursor = CharCursor::new("科技创新，推动发展");
        assert_eq!(cursor.slice(Span::new(0, 2)), Some("科技"));
        assert_eq!(cursor.slice(Span::new(5, 7)), Some("推动"));
        assert_eq!(cursor.slice(Span::new(8, 10)), None);
    }
}
