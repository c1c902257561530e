//! The note editor: a multi-line text area over the reader for an annotation's note. Lines
//! wrap with the core's layout engine (so Chinese wraps where it should); the terminal's own
//! cursor is put where the next character goes, so an input method's composition window
//! appears there. `Esc` or `Ctrl-s` saves, `Ctrl-c` leaves without saving, `Ctrl-e` opens the
//! note in the user's own editor and reads it back.

use crate::annotations::{AnnotationId, NewAnnotation};
use crate::doc::DocId;
use crate::text::layout::{LayoutOptions, layout_paragraph};
use crate::text::width::{WidthOptions, str_width};

/// What the note is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteTarget {
    /// A new annotation, made when the note is saved.
    New(NewAnnotation),
    /// An existing annotation of a document.
    Existing { id: AnnotationId, doc: DocId },
}

/// A key the editor acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKey {
    Char(char),
    Enter,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    /// Save and close (`Esc`, `Ctrl-s`).
    Save,
    /// Close without saving (`Ctrl-c`).
    Discard,
    /// Edit the note in `$VISUAL` / `$EDITOR` (`Ctrl-e`).
    External,
}

/// One visual row of the note: code point offsets into the text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub start: usize,
    pub end: usize,
}

/// The editor's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteEditor {
    pub target: NoteTarget,
    /// The annotated text, shown above the note.
    pub quote: String,
    text: Vec<char>,
    /// Where the next character goes (a code point offset).
    cursor: usize,
    /// The first row shown.
    pub scroll: usize,
}

impl NoteEditor {
    pub fn new(target: NoteTarget, quote: String, note: &str) -> NoteEditor {
        let text: Vec<char> = note.chars().collect();
        NoteEditor {
            target,
            quote,
            cursor: text.len(),
            text,
            scroll: 0,
        }
    }

    /// Replaces the whole note (what the external editor saved); the cursor goes to its end.
    pub fn replace(&mut self, note: &str) {
        self.text = note.chars().collect();
        self.cursor = self.text.len();
    }

    pub fn text(&self) -> String {
        self.text.iter().collect()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The note laid out in rows of `width` columns (a row per line at least).
    pub fn rows(&self, width: usize, width_opts: WidthOptions) -> Vec<Row> {
        let opts = LayoutOptions {
            width: width.max(1),
            width_opts,
        };
        let mut rows = Vec::new();
        let mut start = 0;
        for line in self.text.split(|&c| c == '\n') {
            let line_text: String = line.iter().collect();
            for span in layout_paragraph(&line_text, &opts) {
                rows.push(Row {
                    start: start + span.start,
                    end: start + span.end,
                });
            }
            start += line.len() + 1;
        }
        rows
    }

    /// The row and column (in cells) of the cursor.
    pub fn cursor_place(&self, width: usize, width_opts: WidthOptions) -> (usize, usize) {
        let rows = self.rows(width, width_opts);
        let row = self.row_of(&rows);
        let start = rows.get(row).map_or(0, |r| r.start);
        let before: String = self.text[start..self.cursor].iter().collect();
        (row, str_width(&before, &width_opts))
    }

    /// The row the cursor is on: the last row starting at or before it, on its line.
    fn row_of(&self, rows: &[Row]) -> usize {
        rows.iter()
            .rposition(|r| r.start <= self.cursor && self.cursor <= r.end)
            .unwrap_or(0)
    }

    /// Acts on an editing key (saving and discarding are the app's to do).
    pub fn key(&mut self, key: EditKey, width: usize, width_opts: WidthOptions) {
        match key {
            EditKey::Char(c) => {
                self.text.insert(self.cursor, c);
                self.cursor += 1;
            }
            EditKey::Enter => {
                self.text.insert(self.cursor, '\n');
                self.cursor += 1;
            }
            EditKey::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.text.remove(self.cursor);
            }
            EditKey::Delete if self.cursor < self.text.len() => {
                self.text.remove(self.cursor);
            }
            EditKey::Left => self.cursor = self.cursor.saturating_sub(1),
            EditKey::Right => self.cursor = (self.cursor + 1).min(self.text.len()),
            EditKey::Home | EditKey::End => {
                let rows = self.rows(width, width_opts);
                if let Some(row) = rows.get(self.row_of(&rows)) {
                    self.cursor = if key == EditKey::Home {
                        row.start
                    } else {
                        row.end
                    };
                }
            }
            EditKey::Up | EditKey::Down => {
                let rows = self.rows(width, width_opts);
                let (row, column) = self.cursor_place(width, width_opts);
                let target = match key {
                    EditKey::Up => row.checked_sub(1),
                    _ => (row + 1 < rows.len()).then_some(row + 1),
                };
                if let Some(target) = target.and_then(|t| rows.get(t)) {
                    self.cursor = self.offset_at_column(*target, column, width_opts);
                }
            }
            EditKey::Backspace
            | EditKey::Delete
            | EditKey::Save
            | EditKey::Discard
            | EditKey::External => {}
        }
    }

    /// The offset in `row` nearest to `column` cells from its start (not past it).
    fn offset_at_column(&self, row: Row, column: usize, width_opts: WidthOptions) -> usize {
        let mut used = 0;
        for at in row.start..row.end {
            let w = str_width(&self.text[at].to_string(), &width_opts);
            if used + w > column {
                return at;
            }
            used += w;
        }
        row.end
    }

    /// Keeps the cursor's row among the `height` rows shown.
    pub fn reveal(&mut self, width: usize, height: usize, width_opts: WidthOptions) {
        let (row, _) = self.cursor_place(width, width_opts);
        let height = height.max(1);
        if row < self.scroll {
            self.scroll = row;
        } else if row >= self.scroll + height {
            self.scroll = row + 1 - height;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor(note: &str) -> NoteEditor {
        NoteEditor::new(
            NoteTarget::Existing { id: 1, doc: 1 },
            "引文".to_string(),
            note,
        )
    }

    const W: WidthOptions = WidthOptions {
        ambiguous_wide: false,
    };

    #[test]
    fn typing_chinese_and_lines_moves_the_cursor_by_cells() {
        let mut e = editor("");
        for c in "科技创新".chars() {
            e.key(EditKey::Char(c), 20, W);
        }
        e.key(EditKey::Enter, 20, W);
        e.key(EditKey::Char('a'), 20, W);
        assert_eq!(e.text(), "科技创新\na");
        assert_eq!(e.cursor_place(20, W), (1, 1));
        e.key(EditKey::Up, 20, W);
        assert_eq!(e.cursor_place(20, W), (0, 0), "above a: 科 holds that cell");
        e.key(EditKey::Right, 20, W);
        e.key(EditKey::Backspace, 20, W);
        assert_eq!(e.text(), "技创新\na");
        e.key(EditKey::End, 20, W);
        e.key(EditKey::Delete, 20, W);
        assert_eq!(e.text(), "技创新a", "the line break deleted");
    }

    #[test]
    fn long_lines_wrap_into_rows_and_the_view_follows_the_cursor() {
        let mut e = editor(&"字".repeat(25));
        let rows = e.rows(10, W);
        assert_eq!(rows.len(), 5, "five characters a row of ten cells");
        assert_eq!(e.cursor_place(10, W), (4, 10));
        e.reveal(10, 2, W);
        assert_eq!(e.scroll, 3);
        e.key(EditKey::Home, 10, W);
        assert_eq!(e.cursor(), 20);
        for _ in 0..4 {
            e.key(EditKey::Up, 10, W);
        }
        e.reveal(10, 2, W);
        assert_eq!((e.cursor(), e.scroll), (0, 0));
    }
}
