//! The themes of a document as the reader shows them: each body passage (a stored span) with
//! its themes, suggestions merged with the user's decisions, and the codebook's names and
//! colours for the gutter chips and the legend. Built by the worker ([`load`]), read by the
//! views.

use crate::doc::{DocId, Script, Span};
use crate::store::Store;
use crate::tagging::merge::{PassageTheme, Status};
use crate::tagging::{self, Quiet, TaggingError};

/// A theme's label: what the legend and the chips need.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub id: String,
    /// The name in Simplified Chinese, and in Traditional (may be empty).
    pub name: String,
    pub name_hant: String,
    /// `#rrggbb`.
    pub color: String,
}

/// One document's passages and their themes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocThemes {
    /// Body passages in stored offsets, in order.
    pub passages: Vec<Span>,
    /// The themes of each passage (same order), rejected ones included.
    pub themes: Vec<Vec<PassageTheme>>,
    /// Every theme of the codebook, in codebook order.
    pub labels: Vec<Label>,
}

impl DocThemes {
    /// The passage starting in stored range `[start, end)`, if any.
    pub fn passage_starting_in(&self, start: usize, end: usize) -> Option<usize> {
        let i = self.passages.partition_point(|p| p.start < start);
        self.passages.get(i).filter(|p| p.start < end).map(|_| i)
    }

    /// The passage holding stored offset `at`, if any.
    pub fn passage_at(&self, at: usize) -> Option<usize> {
        let i = self.passages.partition_point(|p| p.end <= at);
        self.passages.get(i).filter(|p| p.contains(at)).map(|_| i)
    }

    /// The themes on passage `i` (not rejected), best first.
    pub fn on(&self, i: usize) -> impl Iterator<Item = &PassageTheme> {
        self.themes
            .get(i)
            .into_iter()
            .flatten()
            .filter(|t| t.status.is_on())
    }

    /// The label of theme `id`.
    pub fn label(&self, id: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.id == id)
    }
}

impl Label {
    /// The name in the script of the document it is shown with.
    pub fn name_for(&self, script: Script) -> &str {
        match script {
            Script::Traditional if !self.name_hant.is_empty() => &self.name_hant,
            _ => &self.name,
        }
    }
}

/// Whether a chip is drawn solid (the user said so) or outlined (only suggested).
pub fn is_confirmed(status: Status) -> bool {
    matches!(status, Status::Accepted | Status::Added)
}

/// Brings the library's tagging up to date and reads document `id`'s themes.
pub fn load(store: &mut Store, id: DocId) -> Result<DocThemes, TaggingError> {
    let library = tagging::refresh(store, false, &mut Quiet)?;
    let passages = tagging::passages(store, id)?;
    let themes = library.passage_themes(store, id, &passages)?;
    let labels = library
        .codebook
        .themes
        .iter()
        .map(|t| Label {
            id: t.id.clone(),
            name: t.name.clone(),
            name_hant: t.name_hant.clone(),
            color: t.color.clone(),
        })
        .collect();
    Ok(DocThemes {
        passages,
        themes,
        labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_documents_have_themed_passages_found_by_offset() {
        let mut store = crate::demo::open().unwrap();
        let themes = load(&mut store, 1).unwrap();
        assert_eq!(themes.passages.len(), themes.themes.len());
        let tagged = (0..themes.passages.len())
            .find(|&i| themes.on(i).next().is_some())
            .expect("a demo passage with a theme");
        let p = themes.passages[tagged];
        assert_eq!(themes.passage_at(p.start), Some(tagged));
        assert_eq!(themes.passage_at(p.end - 1), Some(tagged));
        assert_eq!(
            themes.passage_starting_in(p.start, p.start + 1),
            Some(tagged)
        );
        assert_eq!(themes.passage_starting_in(p.start + 1, p.end), None);
        let first = themes.on(tagged).next().unwrap();
        assert!(
            themes
                .label(&first.theme)
                .is_some_and(|l| l.color.starts_with('#'))
        );
    }
}
