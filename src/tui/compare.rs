//! The matrix view (`M`: documents × themes as a heat map) and the compare view (`C`: one
//! theme's passages, one column per document): their state, what the tagging thread loads for
//! them ([`load_matrix`], [`load_compare`]) and how actions move through them. Drawing is in
//! `views::matrix` and `views::compare`.

use super::action::Action;
use super::app::{App, LibraryView, Target, View};
use super::worker::Request;
use crate::doc::view::ViewOptions;
use crate::store::Store;
use crate::tagging::compare::{self, ThemeColumn};
use crate::tagging::matrix::{self, Matrix};
use crate::tagging::{self, Quiet, TaggingError};
use crate::themes::Theme;
use std::ops::Deref;
use std::sync::Arc;

/// Columns the label column of the matrix takes at least and at most.
const MATRIX_LABEL: (usize, usize) = (12, 28);
/// Columns of one theme in the matrix: `12 34%` and a space either side.
pub const MATRIX_CELL: usize = 9;
/// Rows of the matrix view that are not document rows: heading, theme names, and the
/// two-line footer naming the selected theme.
pub const MATRIX_CHROME: usize = 4;
/// A compare column is at least this wide.
const COMPARE_COLUMN: usize = 36;

/// A worker's answer shared by the view's copies: cloning the view (every update does) does
/// not copy it, and two are equal when they are the same answer.
#[derive(Debug)]
pub struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared(Arc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Eq for Shared<T> {}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The matrix and the codebook's themes, one per column.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixData {
    pub matrix: Matrix,
    pub themes: Vec<Theme>,
}

/// One theme's passages across the library.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareData {
    pub theme: Theme,
    /// The open panes' documents first (the focused one first), then the rest in library
    /// order.
    pub columns: Vec<ThemeColumn>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixView {
    /// `None` while the tagging thread computes it.
    pub data: Option<Shared<MatrixData>>,
    /// The selected document (row) and theme (column).
    pub row: usize,
    pub column: usize,
    /// The first document row and theme column shown.
    pub top: usize,
    pub left: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareView {
    /// The theme's id.
    pub theme: String,
    /// `None` while the tagging thread reads the passages.
    pub data: Option<Shared<CompareData>>,
    /// The selected column (document), and the selected passage of each column.
    pub column: usize,
    pub selected: Vec<usize>,
    /// The first column shown.
    pub left: usize,
    /// The matrix this view was opened from: `Esc` goes back to it.
    pub matrix: Option<Box<MatrixView>>,
}

/// Brings the library's tagging up to date and computes the matrix.
pub fn load_matrix(store: &mut Store) -> Result<MatrixData, TaggingError> {
    let library = tagging::refresh(store, false, &mut Quiet)?;
    let matrix = matrix::matrix(store, &library)?;
    Ok(MatrixData {
        matrix,
        themes: library.codebook.themes,
    })
}

/// Brings the library's tagging up to date and reads the passages of `theme`.
pub fn load_compare(
    store: &mut Store,
    theme: &str,
    options: &ViewOptions,
) -> Result<CompareData, TaggingError> {
    let library = tagging::refresh(store, false, &mut Quiet)?;
    let columns = compare::compare(store, &library, theme, options)?;
    let theme = library
        .codebook
        .get(theme)
        .cloned()
        .ok_or_else(|| TaggingError::UnknownTheme {
            theme: theme.to_string(),
        })?;
    Ok(CompareData { theme, columns })
}

/// The matrix's geometry in a main area `width` × `height`: the label column's width, how
/// many theme columns and document rows fit.
pub fn matrix_geometry(width: usize, height: usize) -> (usize, usize, usize) {
    let label = (width / 4).clamp(MATRIX_LABEL.0, MATRIX_LABEL.1);
    let columns = (width.saturating_sub(label) / MATRIX_CELL).max(1);
    let rows = height.saturating_sub(MATRIX_CHROME).max(1);
    (label, columns, rows)
}

/// How many compare columns fit in `width`, and how wide each is (without the separator).
pub fn compare_geometry(width: usize, columns: usize) -> (usize, usize) {
    let shown = (width / COMPARE_COLUMN).clamp(1, columns.max(1));
    let each = width.saturating_sub(shown - 1) / shown;
    (shown, each)
}

/// The first of `visible` items to show so that `selected` is in view, moving `first` as
/// little as possible.
pub fn scrolled(first: usize, selected: usize, visible: usize, total: usize) -> usize {
    let visible = visible.max(1);
    let first = if selected < first {
        selected
    } else if selected >= first + visible {
        selected + 1 - visible
    } else {
        first
    };
    first.min(total.saturating_sub(visible))
}

impl App {
    /// `M`: the matrix of the whole library.
    pub(super) fn open_matrix(&mut self) {
        self.requests.push(Request::Matrix);
        self.view = View::Matrix(MatrixView {
            data: None,
            row: 0,
            column: 0,
            top: 0,
            left: 0,
        });
    }

    /// `C`: the compare view of the theme the reader follows, else of the best theme of the
    /// passage at the focused pane's cursor.
    pub(super) fn open_compare_here(&mut self) {
        let here = self.panes.get(self.focus).and_then(|pane| {
            let themes = pane.themes.as_ref()?;
            let at = pane.document()?.to_stored(pane.cursor);
            let passage = themes.passage_at(at)?;
            themes.on(passage).next().map(|t| t.id().to_string())
        });
        match self.theme.clone().or(here) {
            Some(theme) => self.open_compare(theme, None),
            None => self.set_status("no theme here: M opens the matrix", true),
        }
    }

    fn open_compare(&mut self, theme: String, matrix: Option<Box<MatrixView>>) {
        self.requests.push(Request::Compare {
            theme: theme.clone(),
        });
        self.view = View::Compare(CompareView {
            theme,
            data: None,
            column: 0,
            selected: Vec::new(),
            left: 0,
            matrix,
        });
    }

    /// The matrix the tagging thread computed.
    pub(super) fn matrix_loaded(&mut self, data: MatrixData) {
        if let View::Matrix(view) = &mut self.view {
            view.data = Some(Shared::new(data));
        }
    }

    /// The passages of `data.theme`, with the open panes' documents put first.
    pub(super) fn compare_loaded(&mut self, mut data: CompareData) {
        let View::Compare(view) = &mut self.view else {
            return;
        };
        if view.theme != data.theme.id || view.data.is_some() {
            return;
        }
        let focused = self.panes.get(self.focus).map(|p| p.doc_id());
        let open: Vec<_> = focused
            .into_iter()
            .chain(self.panes.iter().map(|p| p.doc_id()))
            .collect();
        data.columns.sort_by_key(|c| {
            open.iter()
                .position(|&id| id == c.meta.id)
                .unwrap_or(usize::MAX)
        });
        view.selected = vec![0; data.columns.len()];
        view.data = Some(Shared::new(data));
    }

    /// Where `Esc` goes from a view over the reader (matrix, compare, search results, themes,
    /// annotations): the reader, or the library when no pane is open.
    pub(super) fn back_to_reader(&mut self) {
        self.view = if self.panes.is_empty() {
            View::Library(LibraryView {
                selected: 0,
                filter: String::new(),
                editing: false,
                target: Target::FocusedPane,
            })
        } else {
            View::Reader
        };
    }

    pub(super) fn matrix_action(&mut self, action: Action, mut view: MatrixView) {
        let (rows, columns) = view
            .data
            .as_ref()
            .map_or((0, 0), |d| (d.matrix.rows.len(), d.matrix.themes.len()));
        match action {
            Action::Down => view.row = (view.row + 1).min(rows.saturating_sub(1)),
            Action::Up => view.row = view.row.saturating_sub(1),
            Action::Right => view.column = (view.column + 1).min(columns.saturating_sub(1)),
            Action::Left => view.column = view.column.saturating_sub(1),
            Action::Top => view.row = 0,
            Action::Bottom => view.row = rows.saturating_sub(1),
            Action::Back => return self.back_to_reader(),
            Action::Select => {
                let Some(theme) = view
                    .data
                    .as_ref()
                    .and_then(|d| d.matrix.themes.get(view.column).cloned())
                else {
                    return;
                };
                self.theme = Some(theme.clone());
                return self.open_compare(theme, Some(Box::new(view)));
            }
            _ => {}
        }
        let main = self.main_area();
        let (_, shown_columns, shown_rows) =
            matrix_geometry(usize::from(main.width), usize::from(main.height));
        view.top = scrolled(view.top, view.row, shown_rows, rows);
        view.left = scrolled(view.left, view.column, shown_columns, columns);
        self.view = View::Matrix(view);
    }

    pub(super) fn compare_action(&mut self, action: Action, mut view: CompareView) {
        let Some(data) = view.data.clone() else {
            if action == Action::Back {
                self.compare_back(view);
            }
            return;
        };
        let columns = data.columns.len();
        let last = |c: usize| {
            data.columns
                .get(c)
                .map_or(0, |c| c.passages.len())
                .saturating_sub(1)
        };
        let selected = view.selected.get_mut(view.column);
        match action {
            Action::Right => view.column = (view.column + 1).min(columns.saturating_sub(1)),
            Action::Left => view.column = view.column.saturating_sub(1),
            Action::Down => {
                if let Some(s) = selected {
                    *s = (*s + 1).min(last(view.column));
                }
            }
            Action::Up => {
                if let Some(s) = selected {
                    *s = s.saturating_sub(1);
                }
            }
            Action::Top => {
                if let Some(s) = selected {
                    *s = 0;
                }
            }
            Action::Bottom => {
                if let Some(s) = selected {
                    *s = last(view.column);
                }
            }
            Action::Back => return self.compare_back(view),
            Action::Select => {
                let column = data.columns.get(view.column);
                let passage = column.and_then(|c| {
                    c.passages
                        .get(view.selected.get(view.column).copied().unwrap_or(0))
                });
                if let (Some(column), Some(passage)) = (column, passage) {
                    self.theme = Some(view.theme.clone());
                    self.open_here(column.meta.id, Some(passage.span.start), None);
                }
                return;
            }
            _ => {}
        }
        let (shown, _) = compare_geometry(usize::from(self.main_area().width), columns);
        view.left = scrolled(view.left, view.column, shown, columns);
        self.view = View::Compare(view);
    }

    fn compare_back(&mut self, view: CompareView) {
        match view.matrix {
            Some(matrix) => self.view = View::Matrix(*matrix),
            None => self.back_to_reader(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_moves_as_little_as_needed() {
        assert_eq!(scrolled(0, 3, 5, 10), 0);
        assert_eq!(scrolled(0, 5, 5, 10), 1);
        assert_eq!(scrolled(4, 2, 5, 10), 2);
        assert_eq!(scrolled(8, 9, 5, 10), 5);
        assert_eq!(scrolled(0, 0, 5, 3), 0);
        assert_eq!(compare_geometry(80, 5), (2, 39));
        assert_eq!(compare_geometry(120, 5), (3, 39));
        assert_eq!(compare_geometry(120, 1), (1, 120));
        assert_eq!(matrix_geometry(80, 13), (20, 6, 9));
    }
}
