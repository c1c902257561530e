//! A document ready to read: its stored text, its effective cleaning (the cleaner's layers
//! with the reader's fold/unfold overrides applied) and the reading view built from them.
//! Also the operations that change the cleaning: re-cleaning and overrides.

use crate::clean::{self, Cleaned, Override};
use crate::doc::view::{View, ViewOptions};
use crate::doc::{DocId, DocumentMeta, Span};
use crate::store::{Store, StoreError};

/// Everything needed to show or analyse one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub meta: DocumentMeta,
    pub text: String,
    pub cleaned: Cleaned,
    pub view: View,
}

impl Reading {
    /// The body paragraphs as spans of the view.
    pub fn view_paragraphs(&self) -> Vec<Span> {
        self.view.view_paragraphs(&self.cleaned.paragraphs)
    }
}

/// Cleans `text` and applies the reader's overrides.
pub fn clean_with(text: &str, overrides: &[(Span, Override)]) -> Cleaned {
    let cleaned = clean::clean(text);
    if overrides.is_empty() {
        cleaned
    } else {
        clean::apply_overrides(&cleaned, text, overrides)
    }
}

/// Loads a document for reading. A document never cleaned (or whose layers are missing) is
/// cleaned on the fly; loading never writes, so read-only libraries read the same.
pub fn load(store: &Store, id: DocId, options: &ViewOptions) -> Result<Reading, StoreError> {
    let meta = store
        .document(id)?
        .ok_or_else(|| StoreError::NoSuchDocument(id.to_string()))?;
    let text = store.text(id)?;
    let cleaned = match store.cleaning(id)? {
        Some(cleaned) => cleaned,
        None => clean_with(&text, &store.overrides(id)?),
    };
    let view = View::build(&text, &cleaned.folded_spans(), options);
    Ok(Reading {
        meta,
        text,
        cleaned,
        view,
    })
}

/// Re-cleans a document with this pizhu's cleaner, keeping the reader's overrides.
pub fn reclean(store: &mut Store, id: DocId) -> Result<Cleaned, StoreError> {
    store.require_writable("re-cleaning")?;
    let text = store.text(id)?;
    let cleaned = clean_with(&text, &store.overrides(id)?);
    store.save_cleaning(id, &cleaned)?;
    Ok(cleaned)
}

/// Records the reader's decision on `span` and stores the cleaning that results.
pub fn set_override(
    store: &mut Store,
    id: DocId,
    span: Span,
    action: Override,
) -> Result<Cleaned, StoreError> {
    store.require_writable("folding or unfolding")?;
    let text = store.text(id)?;
    let mut overrides: Vec<(Span, Override)> = store
        .overrides(id)?
        .into_iter()
        .filter(|(s, _)| *s != span)
        .collect();
    overrides.push((span, action));
    overrides.sort_by_key(|(s, _)| (s.start, s.end));
    let cleaned = clean_with(&text, &overrides);
    store.save_override(id, span, action, &cleaned)?;
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_survive_re_cleaning() {
        let mut store = crate::demo::open().unwrap();
        let reading = load(&store, 1, &ViewOptions::default()).unwrap();
        let third = reading.cleaned.paragraphs[2];
        let folded = set_override(&mut store, 1, third, Override::Fold).unwrap();
        assert!(!folded.paragraphs.contains(&third));
        let again = reclean(&mut store, 1).unwrap();
        assert_eq!(again, folded);
        let unfolded = set_override(&mut store, 1, third, Override::Unfold).unwrap();
        assert!(unfolded.paragraphs.contains(&third));
        assert_eq!(store.overrides(1).unwrap(), vec![(third, Override::Unfold)]);
    }
}
