//! A new version of a document (`pizhu import --update DOC FILE`): the file is imported as a
//! document of its own (the stored text of the old one is never changed), every annotation
//! of the old version is re-anchored in the new text ([`crate::annotations::anchor`]), the
//! reading position and the theme decisions whose passages are unchanged come along, and the
//! old version is removed — the moves and the removal in one transaction.

use super::{ImportOptions, Observer, Outcome, Source, import_one};
use crate::annotations::anchor::{OffsetMap, Target, quote_in, reanchor};
use crate::annotations::{AnchorStatus, Annotation};
use crate::doc::DocId;
use crate::store::{Store, StoreError};
use crate::tagging::merge::DecisionRow;

/// How an update went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Updated {
    /// The file holds the same text as the document: nothing changed.
    Unchanged,
    /// The file's text is already another document of the library.
    Duplicate(DocId),
    /// The file could not be imported (the message names it).
    Failed(String),
    /// `new` replaced `old`; the annotations as they were placed.
    Replaced {
        old: DocId,
        new: DocId,
        ok: usize,
        drifted: usize,
        orphans: usize,
    },
}

/// Replaces document `old` with the text of `source`.
pub fn update(
    store: &mut Store,
    old: DocId,
    source: &Source,
    options: &ImportOptions,
    observer: &mut dyn Observer,
) -> Result<Updated, StoreError> {
    store.require_writable("updating a document")?;
    let options = ImportOptions {
        force: false,
        ..options.clone()
    };
    let new = match import_one(store, source, &options, observer)? {
        Outcome::Existing { id, .. } if id == old => return Ok(Updated::Unchanged),
        Outcome::Existing { id, .. } => return Ok(Updated::Duplicate(id)),
        Outcome::Failed(e) => return Ok(Updated::Failed(e.to_string())),
        Outcome::Imported { id, .. } => id,
    };
    let old_chars: Vec<char> = store.text(old)?.chars().collect();
    let new_chars: Vec<char> = store.text(new)?.chars().collect();
    let map = OffsetMap::new(&old_chars, &new_chars);
    let placed: Vec<Annotation> = store
        .document_annotations(old)?
        .into_iter()
        .map(|a| place(&map, &new_chars, new, a))
        .collect();
    let count = |status| placed.iter().filter(|a| a.status == status).count();
    let (ok, drifted, orphans) = (
        count(AnchorStatus::Ok),
        count(AnchorStatus::Drifted),
        count(AnchorStatus::Orphan),
    );
    let position = store.reading_position(old)?.map(|at| map.offset(at));
    let decisions: Vec<DecisionRow> = store
        .decisions(old)?
        .into_iter()
        .filter_map(|d| {
            let passage = map.carry(d.passage)?;
            Some(DecisionRow { passage, ..d })
        })
        .collect();
    store.supersede(old, new, &placed, position, &decisions)?;
    Ok(Updated::Replaced {
        old,
        new,
        ok,
        drifted,
        orphans,
    })
}

/// Annotation `a` placed in the new text (document `doc`): an exact or moved-by-quote place
/// takes the quote and context found there; a drifted one keeps its old quote for review; an
/// orphan keeps everything but its document.
fn place(map: &OffsetMap, new: &[char], doc: DocId, a: Annotation) -> Annotation {
    let target = Target {
        span: a.span(),
        quote: &a.quote,
        prefix: &a.prefix,
        suffix: &a.suffix,
    };
    let placement = reanchor(map, new, &target);
    let mut placed = Annotation {
        doc,
        status: placement.status,
        ..a
    };
    if let Some(span) = placement.span {
        placed.start = span.start;
        placed.end = span.end;
        if placement.status == AnchorStatus::Ok {
            (placed.prefix, placed.quote, placed.suffix) = quote_in(new, span);
        }
    }
    placed
}
