//! Checkpoints from code-point offsets to byte offsets in a document's stored text, so a part
//! of a large text can be read from the library without reading what comes before it.
//!
//! Every [`CharIndex::STEP`] code points the index keeps the byte offset where that code point
//! starts: for a 300 MB text about 1,500 numbers. [`CharIndex::checkpoint`] gives the nearest
//! checkpoint at or before a code point; the rest is a short scan of the text read from there.

/// Byte offsets of code points `0, STEP, 2·STEP, …` of one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharIndex {
    bytes: Vec<u64>,
}

impl CharIndex {
    /// Code points between checkpoints.
    pub const STEP: usize = 1 << 16;

    /// The index of `text`.
    pub fn build(text: &str) -> CharIndex {
        let mut bytes = Vec::with_capacity(text.len() / Self::STEP + 1);
        let mut chars = 0usize;
        for (at, byte) in text.bytes().enumerate() {
            // Each code point starts at a byte that is not a UTF-8 continuation byte.
            if byte & 0xC0 != 0x80 {
                if chars.is_multiple_of(Self::STEP) {
                    bytes.push(at as u64);
                }
                chars += 1;
            }
        }
        if bytes.is_empty() {
            bytes.push(0);
        }
        CharIndex { bytes }
    }

    /// An index from its byte offsets, as stored; `None` unless they start at 0 and increase.
    pub fn from_offsets(bytes: Vec<u64>) -> Option<CharIndex> {
        let valid = bytes.first() == Some(&0) && bytes.windows(2).all(|w| w[0] < w[1]);
        valid.then_some(CharIndex { bytes })
    }

    /// The byte offsets of the checkpoints, in order.
    pub fn offsets(&self) -> &[u64] {
        &self.bytes
    }

    /// The last checkpoint at or before code point `char_offset`: (its code point, its byte).
    pub fn checkpoint(&self, char_offset: usize) -> (usize, u64) {
        let k = (char_offset / Self::STEP).min(self.bytes.len() - 1);
        (k * Self::STEP, self.bytes[k])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_point_at_the_code_points_they_name() {
        let text = "中a文\u{1F600}".repeat(CharIndex::STEP);
        let index = CharIndex::build(&text);
        assert_eq!(index.offsets().len(), 4);
        for k in [
            0,
            CharIndex::STEP,
            2 * CharIndex::STEP + 5,
            4 * CharIndex::STEP - 1,
        ] {
            let (at, byte) = index.checkpoint(k);
            assert!(at <= k && k - at < CharIndex::STEP);
            let expected = text.char_indices().nth(at).map(|(b, _)| b as u64);
            assert_eq!(Some(byte), expected, "checkpoint for {k}");
        }
        assert_eq!(index.checkpoint(usize::MAX).0, 3 * CharIndex::STEP);
    }

    #[test]
    fn an_empty_text_has_one_checkpoint_and_stored_offsets_are_checked() {
        assert_eq!(CharIndex::build("").checkpoint(10), (0, 0));
        assert!(CharIndex::from_offsets(vec![0, 10, 20]).is_some());
        assert!(CharIndex::from_offsets(vec![1, 10]).is_none());
        assert!(CharIndex::from_offsets(vec![0, 10, 10]).is_none());
        assert!(CharIndex::from_offsets(Vec::new()).is_none());
    }
}
