//! The documents × themes matrix: for every document and every theme of the codebook, on how
//! many body passages the theme is on (suggested, accepted or added; not rejected) and how
//! much of the document's body text those passages are. `pizhu themes matrix` prints it; the
//! reader's matrix view draws it as a heat map.

use crate::doc::DocumentMeta;
use crate::store::{Store, StoreError};

use super::{LibraryThemes, passages};

/// One document × theme cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    /// Body passages the theme is on.
    pub passages: usize,
    /// Their length in stored code points.
    pub chars: usize,
}

/// One document's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub meta: DocumentMeta,
    /// Body passages in all.
    pub passages: usize,
    /// The body text's length: the passages' stored code points.
    pub chars: usize,
    /// One cell per theme, in the order of [`Matrix::themes`].
    pub cells: Vec<Cell>,
}

impl Row {
    /// The share of the body text theme column `i` covers, in [0, 1].
    pub fn share(&self, i: usize) -> f64 {
        match (self.cells.get(i), self.chars) {
            (Some(cell), chars) if chars > 0 => cell.chars as f64 / chars as f64,
            _ => 0.0,
        }
    }
}

/// Documents (library order) × themes (codebook order).
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Theme ids, in codebook order.
    pub themes: Vec<String>,
    pub rows: Vec<Row>,
}

/// The matrix of the library's themes as `library` (after [`super::refresh`]) has them.
pub fn matrix(store: &Store, library: &LibraryThemes) -> Result<Matrix, StoreError> {
    let themes: Vec<String> = library
        .codebook
        .themes
        .iter()
        .map(|t| t.id.clone())
        .collect();
    let mut rows = Vec::new();
    for meta in store.list_documents()? {
        let spans = passages(store, meta.id)?;
        let per_passage = library.passage_themes(store, meta.id, &spans)?;
        let mut cells = vec![Cell::default(); themes.len()];
        for (span, on) in spans.iter().zip(&per_passage) {
            for t in on.iter().filter(|t| t.status.is_on()) {
                if let Some(i) = themes.iter().position(|id| *id == t.theme) {
                    cells[i].passages += 1;
                    cells[i].chars += span.len();
                }
            }
        }
        rows.push(Row {
            meta,
            passages: spans.len(),
            chars: spans.iter().map(|s| s.len()).sum(),
            cells,
        });
    }
    Ok(Matrix { themes, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagging::merge::Decision;
    use crate::tagging::{Quiet, refresh};

    #[test]
    fn the_demo_matrix_counts_passages_on_and_their_share() {
        let mut store = crate::demo::open().unwrap();
        let library = refresh(&mut store, false, &mut Quiet).unwrap();
        let m = matrix(&store, &library).unwrap();
        assert_eq!(m.themes.len(), library.codebook.themes.len());
        assert_eq!(m.rows.len(), crate::demo::TEXTS.len());
        for row in &m.rows {
            assert_eq!(row.cells.len(), m.themes.len());
            assert!(row.cells.iter().filter(|c| c.passages > 0).count() >= 2);
            for (i, cell) in row.cells.iter().enumerate() {
                assert!(cell.passages <= row.passages);
                assert!((0.0..=1.0).contains(&row.share(i)));
                assert_eq!(cell.passages == 0, cell.chars == 0);
            }
        }
        // Rejecting a theme on a passage takes it out of its cell; the passage's length too.
        let row = &m.rows[0];
        let (i, _) = row
            .cells
            .iter()
            .enumerate()
            .find(|(_, c)| c.passages > 0)
            .unwrap();
        let theme = &m.themes[i];
        let spans = passages(&store, row.meta.id).unwrap();
        let themes = library.passage_themes(&store, row.meta.id, &spans).unwrap();
        let n = themes
            .iter()
            .position(|ts| ts.iter().any(|t| t.theme == *theme && t.status.is_on()))
            .unwrap();
        library
            .decide(
                &mut store,
                row.meta.id,
                (n + 1, spans[n]),
                theme,
                Some(Decision::Rejected),
            )
            .unwrap();
        let after = matrix(&store, &library).unwrap();
        let cell = after.rows[0].cells[i];
        assert_eq!(cell.passages, row.cells[i].passages - 1);
        assert_eq!(cell.chars, row.cells[i].chars - spans[n].len());
        assert!(after.rows[0].share(i) < row.share(i));
    }
}
