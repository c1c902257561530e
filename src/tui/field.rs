//! A one-line text field with a cursor (the export dialog's file name): the cursor counts
//! characters, never bytes, so Chinese text and input methods edit it safely; [`Field::window`]
//! says what part of a long text shows in a given number of columns, with the cursor in view.

use unicode_width::UnicodeWidthChar;

/// Text being edited, and where the cursor is (a character index, `0..=chars`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Field {
    text: String,
    cursor: usize,
}

/// What a field shows in some columns: the visible text and the cursor's column in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub text: String,
    pub cursor_column: usize,
}

impl Field {
    /// A field holding `text`, the cursor at its end.
    pub fn new(text: impl Into<String>) -> Field {
        let text = text.into();
        let cursor = text.chars().count();
        Field { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor as a character index.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Replaces the text, the cursor at its end.
    pub fn set(&mut self, text: impl Into<String>) {
        *self = Field::new(text);
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(b, _)| b)
    }

    /// Types `c` at the cursor (control characters are not text and are ignored).
    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Deletes the character before the cursor.
    pub fn backspace(&mut self) {
        if self.cursor == 0 {
            return;
        }
        self.cursor -= 1;
        let at = self.byte_at(self.cursor);
        self.text.remove(at);
    }

    /// Deletes the character under the cursor.
    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }

    /// The part of the text shown in `width` columns: as much as fits from the start, or,
    /// when the cursor would be past the right edge, the text ending at the cursor (one
    /// column is kept for the cursor after the last character).
    pub fn window(&self, width: usize) -> Window {
        let chars: Vec<(char, usize)> = self
            .text
            .chars()
            .map(|c| (c, c.width().unwrap_or(0)))
            .collect();
        let room = width.saturating_sub(1);
        let before: usize = chars[..self.cursor].iter().map(|&(_, w)| w).sum();
        let mut start = 0;
        let mut skipped = 0;
        while before - skipped > room && start < self.cursor {
            skipped += chars[start].1;
            start += 1;
        }
        let mut text = String::new();
        let mut used = 0;
        for &(c, w) in &chars[start..] {
            if used + w > width {
                break;
            }
            used += w;
            text.push(c);
        }
        Window {
            text,
            cursor_column: before - skipped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_characters_not_bytes() {
        let mut f = Field::new("笔记.md");
        assert_eq!(f.cursor(), 5);
        f.home();
        f.right();
        f.insert('新');
        assert_eq!(f.text(), "笔新记.md");
        f.backspace();
        f.backspace();
        assert_eq!(f.text(), "记.md");
        assert_eq!(f.cursor(), 0);
        f.delete();
        assert_eq!(f.text(), ".md");
        f.end();
        f.delete();
        f.insert('\u{1b}');
        assert_eq!(f.text(), ".md");
        f.left();
        f.left();
        f.left();
        f.left();
        assert_eq!(f.cursor(), 0);
    }

    #[test]
    fn a_long_text_scrolls_to_keep_the_cursor_in_view() {
        let f = Field::new("目录/很长的文件名.md");
        let w = f.window(10);
        assert_eq!(w.cursor_column, 9, "{w:?}");
        assert!(w.text.ends_with(".md"), "{w:?}");
        let mut f = f;
        f.home();
        let w = f.window(10);
        assert_eq!((w.text.as_str(), w.cursor_column), ("目录/很长", 0));
        assert_eq!(Field::new("").window(0).cursor_column, 0);
    }
}
