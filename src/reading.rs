//! A document ready to read: its stored text, its effective cleaning (the cleaner's layers
//! with the reader's fold/unfold overrides applied) and the reading view built from them.
//! An [`Excerpt`] is the same for whole lines around one place, read without the rest of the
//! text: what a reader shows at once while a large document loads. Also the operations that
//! change the cleaning: re-cleaning and overrides.

use crate::cancel::Cancel;
use crate::clean::{self, Cleaned, Override};
use crate::doc::view::{View, ViewBuilder, ViewOptions};
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
    let (text, cleaned) = load_cleaned(store, id)?;
    let view = View::build(&text, &cleaned.folded_spans(), options);
    Ok(Reading {
        meta,
        text,
        cleaned,
        view,
    })
}

/// A document's stored text and its cleaning (with the reader's overrides; cleaned on the fly
/// when never cleaned), without building its view.
pub fn load_cleaned(store: &Store, id: DocId) -> Result<(String, Cleaned), StoreError> {
    let text = store.text(id)?;
    let cleaned = match store.cleaning(id)? {
        Some(cleaned) => cleaned,
        None => clean_with(&text, &store.overrides(id)?),
    };
    Ok((text, cleaned))
}

/// Code points an excerpt starts before the place it is read for.
const EXCERPT_CONTEXT_CHARS: usize = 2000;

/// A document's reading view without its stored text: what a reader keeps of a large
/// document (the stored text is read again only to show the noise in place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewOnly {
    pub meta: DocumentMeta,
    pub cleaned: Cleaned,
    pub view: View,
}

/// Bytes of stored text [`load_view`] reads at a time.
const VIEW_PART_BYTES: usize = 8 << 20;

/// Loads a document's reading view, reading its stored text in parts, so the whole text is
/// never in memory next to the view. A document never cleaned is read whole and cleaned on
/// the fly, as [`load`] does.
pub fn load_view(store: &Store, id: DocId, options: &ViewOptions) -> Result<ViewOnly, StoreError> {
    let Some(cleaned) = store.cleaning(id)? else {
        let reading = load(store, id, options)?;
        return Ok(ViewOnly {
            meta: reading.meta,
            cleaned: reading.cleaned,
            view: reading.view,
        });
    };
    let (meta, view) = build_view(store, id, cleaned.folded_spans(), options, &Cancel::new())?;
    Ok(ViewOnly {
        meta,
        cleaned,
        view,
    })
}

/// A document's metadata and reading view, as [`load_view`] reads them, without its
/// cleaning: what a reader keeps of a large document, whose millions of folded ranges are
/// let go before the view is built. `None` if `stop` was set before the view was whole.
pub fn load_view_alone(
    store: &Store,
    id: DocId,
    options: &ViewOptions,
    stop: &Cancel,
) -> Result<Option<(DocumentMeta, View)>, StoreError> {
    if stop.is_cancelled() {
        return Ok(None);
    }
    let folds = match store.cleaning(id)? {
        Some(cleaned) => cleaned.folded_spans(),
        None => {
            let reading = load(store, id, options)?;
            return Ok(Some((reading.meta, reading.view)));
        }
    };
    let built = build_view(store, id, folds, options, stop)?;
    Ok((!stop.is_cancelled()).then_some(built))
}

/// Builds document `id`'s reading view with `folds` from its stored text read in parts.
/// Once `stop` is set the parts left are read but not projected: the view is cut short.
fn build_view(
    store: &Store,
    id: DocId,
    folds: Vec<Span>,
    options: &ViewOptions,
    stop: &Cancel,
) -> Result<(DocumentMeta, View), StoreError> {
    let meta = store
        .document(id)?
        .ok_or_else(|| StoreError::NoSuchDocument(id.to_string()))?;
    let capacity = usize::try_from(meta.source_bytes).unwrap_or(0);
    let mut builder = ViewBuilder::with_folds(folds, capacity, options);
    store.text_parts(id, VIEW_PART_BYTES, |part| {
        if !stop.is_cancelled() {
            builder.push_part(part);
        }
    })?;
    Ok((meta, builder.finish()))
}

/// Whole lines of a document read on their own: a [`Reading`] whose text is the stored text
/// from code point `start` on (its spans count from there too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub reading: Reading,
    pub start: usize,
}

/// Reads about `max_bytes` of whole lines of document `id` around stored code point `around`
/// (a little before it, most after it), with their cleaning and view. `None` when the document
/// is small enough to read whole at once, or the excerpt cannot reach `around` (a document imported before char
/// indexes, read from its beginning only).
pub fn load_excerpt(
    store: &Store,
    id: DocId,
    around: usize,
    max_bytes: usize,
    options: &ViewOptions,
) -> Result<Option<Excerpt>, StoreError> {
    let meta = store
        .document(id)?
        .ok_or_else(|| StoreError::NoSuchDocument(id.to_string()))?;
    // Start a screenful or two before `around`: from the checkpoint before that, skip to it.
    let target = around.saturating_sub(EXCERPT_CONTEXT_CHARS);
    let (checkpoint, byte, skip) = match store.char_index(id)? {
        Some(index) => {
            let (checkpoint, byte) = index.checkpoint(target);
            (checkpoint, byte, target - checkpoint)
        }
        None => (0, 0, 0),
    };
    let asked = skip * 4 + max_bytes;
    let mut bytes = store.text_bytes(id, byte, asked)?;
    if byte == 0 && bytes.len() < asked {
        return Ok(None);
    }
    let skipped_bytes = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b & 0xC0 != 0x80)
        .nth(skip)
        .map_or(bytes.len(), |(at, _)| at);
    bytes.drain(..skipped_bytes);
    bytes.truncate(max_bytes);
    let Some((text, skipped)) = whole_lines(bytes, byte == 0 && skip == 0) else {
        return Ok(None);
    };
    let start = checkpoint + skip + skipped;
    let window = Span::new(start, start + text.chars().count());
    if !(window.contains(around) || around == window.start) {
        return Ok(None);
    }
    let cleaned = match store.cleaning_within(id, window)? {
        Some(cleaned) => cleaned,
        None => clean::clean(&text),
    };
    let view = View::build(&text, &cleaned.folded_spans(), options);
    Ok(Some(Excerpt {
        reading: Reading {
            meta,
            text,
            cleaned,
            view,
        },
        start,
    }))
}

/// The whole lines in `bytes` (read from a checkpoint, so they start on a character): the
/// partial line at the end is dropped, and unless `at_start` (of the text) the partial line at
/// the beginning too, whose code points are counted. `None` when no whole line is left.
fn whole_lines(mut bytes: Vec<u8>, at_start: bool) -> Option<(String, usize)> {
    let end = bytes.iter().rposition(|&b| b == b'\n')? + 1;
    bytes.truncate(end);
    let begin = match at_start {
        true => 0,
        false => bytes.iter().position(|&b| b == b'\n')? + 1,
    };
    let skipped = std::str::from_utf8(&bytes[..begin]).ok()?.chars().count();
    let text = String::from_utf8(bytes.split_off(begin)).ok()?;
    (!text.is_empty()).then_some((text, skipped))
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
    use crate::doc::char_index::CharIndex;

    #[test]
    fn an_excerpt_is_whole_lines_with_the_cleaning_of_the_document() {
        let body = "\
            第一行是正文，内容比较长。\n\
            第二行推動高質(zhì)量發(fā)展。\n\
            第三行也是正文。\n";
        let text = body.repeat(CharIndex::STEP / 20);
        let mut store = Store::open_in_memory().unwrap();
        let source = crate::import::Source::Embedded {
            name: "long.txt".into(),
            bytes: Box::leak(text.clone().into_bytes().into_boxed_slice()),
        };
        let options = crate::import::ImportOptions::default();
        let outcomes =
            crate::import::run(&mut store, &[source], &options, &mut crate::import::Silent);
        let id = match outcomes.unwrap().as_slice() {
            [crate::import::Outcome::Imported { id, .. }] => *id,
            other => panic!("{other:?}"),
        };
        let options = ViewOptions::default();
        let whole = load(&store, id, &options).unwrap();
        assert!(
            load_excerpt(&store, id, 0, text.len() + 1, &options)
                .unwrap()
                .is_none()
        );

        let around = text.chars().count() * 3 / 4;
        let excerpt = load_excerpt(&store, id, around, 32 * 1024, &options)
            .unwrap()
            .expect("an excerpt");
        let chars = excerpt.reading.text.chars().count();
        assert!(excerpt.start <= around && around < excerpt.start + chars);
        assert!(excerpt.reading.text.ends_with('\n'));
        let stored: String = text.chars().skip(excerpt.start).take(chars).collect();
        assert_eq!(excerpt.reading.text, stored);
        assert!(
            text.chars().nth(excerpt.start - 1) == Some('\n'),
            "the excerpt starts on a line"
        );
        assert!(!excerpt.reading.view.text().contains("(zhì)"));
        assert!(excerpt.reading.view.text().contains("高質量發展"));
        let window = Span::new(excerpt.start, excerpt.start + chars);
        assert_eq!(excerpt.reading.cleaned, whole.cleaned.excerpt(window));

        let first = load_excerpt(&store, id, 0, 32 * 1024, &options)
            .unwrap()
            .unwrap();
        assert_eq!(first.start, 0);
        assert!(
            whole
                .view
                .text()
                .starts_with(first.reading.view.text().trim_end())
        );
    }

    #[test]
    fn the_view_read_in_parts_is_the_view_of_the_whole_text() {
        let store = crate::demo::open().unwrap();
        for id in 1..=4 {
            let whole = load(&store, id, &ViewOptions::default()).unwrap();
            let parts = load_view(&store, id, &ViewOptions::default()).unwrap();
            assert_eq!(parts.view, whole.view);
            assert_eq!(parts.cleaned, whole.cleaned);
            assert_eq!(parts.meta, whole.meta);
        }
    }

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
