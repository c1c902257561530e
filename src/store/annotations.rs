//! Annotations in the library: each change in its own transaction, with its entry in the
//! event log (`store/events.rs`) written in the same transaction, so a change and its undo
//! are never apart. Quotes and context are read from the stored text by range (the char
//! index), so making an annotation costs the same in a 300 MB document as in a small one.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::events::{Change, log};
use super::{Store, StoreError};
use crate::annotations::anchor::quote_in;
use crate::annotations::{
    AnchorStatus, Annotation, AnnotationEdit, AnnotationFilter, AnnotationId, CONTEXT_CHARS, Color,
    NewAnnotation, Summary, normalize_tags,
};
use crate::doc::{DocId, Span};
use crate::tagging::merge::DecisionRow;
use std::collections::HashMap;
use std::sync::Arc;

const COLUMNS: &str = "id, guid, doc_id, start, end, quote, prefix, suffix, color, note, tags, \
                       status, created_at, updated_at";

/// Now, as the library writes times.
pub(super) const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

impl Store {
    /// Makes an annotation on `new.span` of a document (its quote and context read from the
    /// stored text) and returns it.
    pub fn create_annotation(&mut self, new: &NewAnnotation) -> Result<Annotation, StoreError> {
        let span = new.span;
        let (prefix, quote, suffix) = self.quote_at(new.doc, span)?;
        let annotation = Annotation {
            id: 0,
            guid: uuid::Uuid::new_v4().to_string(),
            doc: new.doc,
            start: span.start,
            end: span.end,
            quote,
            prefix,
            suffix,
            color: new.color,
            note: new.note.clone(),
            tags: normalize_tags(new.tags.iter().cloned()),
            status: AnchorStatus::Ok,
            created: String::new(),
            updated: String::new(),
        };
        let name = self.display_name();
        let tx = self.write("saving an annotation")?;
        let sql = |e| StoreError::sqlite(&name, e);
        tx.execute(
            &format!(
                "INSERT INTO annotations (guid, doc_id, start, end, quote, prefix, suffix, color,
                                          note, tags, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, {NOW}, {NOW})"
            ),
            params![
                annotation.guid,
                annotation.doc,
                annotation.start as i64,
                annotation.end as i64,
                annotation.quote,
                annotation.prefix,
                annotation.suffix,
                annotation.color.as_str(),
                annotation.note,
                tags_json(&annotation.tags),
                annotation.status.as_str(),
            ],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        let stored = read(&tx, id)
            .map_err(sql)?
            .ok_or(StoreError::NoSuchAnnotation(id))?;
        log(
            &tx,
            &Change::Annotation {
                doc: stored.doc,
                before: None,
                after: Some(Box::new(stored.clone())),
            },
        )
        .and_then(|()| tx.commit())
        .map_err(sql)?;
        Ok(stored)
    }

    /// Changes an annotation's colour, note or tags and returns it as it is now.
    pub fn edit_annotation(
        &mut self,
        id: AnnotationId,
        edit: &AnnotationEdit,
    ) -> Result<Annotation, StoreError> {
        let name = self.display_name();
        let tx = self.write("saving an annotation")?;
        let sql = |e| StoreError::sqlite(&name, e);
        let before = read(&tx, id)
            .map_err(sql)?
            .ok_or(StoreError::NoSuchAnnotation(id))?;
        let mut after = before.clone();
        if let Some(color) = edit.color {
            after.color = color;
        }
        if let Some(note) = &edit.note {
            after.note = note.clone();
        }
        let removed = normalize_tags(edit.remove_tags.iter().cloned());
        after.tags = normalize_tags(
            after
                .tags
                .into_iter()
                .filter(|t| !removed.contains(t))
                .chain(edit.add_tags.iter().cloned()),
        );
        if after == before {
            return Ok(before);
        }
        replace(tx, before, &after).map_err(sql)
    }

    /// Settles a reviewed annotation (one placed by a fuzzy match, or any other): `Ok`
    /// confirms it where it is, its quote and context read again from the text now at its
    /// span; `Orphan` unplaces it (kept, its old quote too). One transaction with its undo-log
    /// entry; returns the annotation as it is now.
    pub fn settle_annotation(
        &mut self,
        id: AnnotationId,
        status: AnchorStatus,
    ) -> Result<Annotation, StoreError> {
        let seen = self
            .annotation(id)?
            .ok_or(StoreError::NoSuchAnnotation(id))?;
        let requoted = match status {
            AnchorStatus::Ok => Some(self.quote_now(&seen)?),
            _ => None,
        };
        let name = self.display_name();
        let tx = self.write("saving an annotation")?;
        let sql = |e| StoreError::sqlite(&name, e);
        let before = read(&tx, id)
            .map_err(sql)?
            .ok_or(StoreError::NoSuchAnnotation(id))?;
        if (before.doc, before.start, before.end) != (seen.doc, seen.start, seen.end) {
            return Err(StoreError::AnnotationMoved(id));
        }
        let mut after = before.clone();
        after.status = status;
        if let Some((prefix, quote, suffix)) = requoted {
            (after.prefix, after.quote, after.suffix) = (prefix, quote, suffix);
        }
        if after == before {
            return Ok(before);
        }
        replace(tx, before, &after).map_err(sql)
    }

    /// Moves an annotation to `span` of its document (the reader's selection): its quote and
    /// context are read from the text there, and it is placed (`ok`) whatever it was. One
    /// transaction with its undo-log entry; returns the annotation as it is now.
    pub fn move_annotation(
        &mut self,
        id: AnnotationId,
        span: Span,
    ) -> Result<Annotation, StoreError> {
        let doc = self
            .annotation(id)?
            .ok_or(StoreError::NoSuchAnnotation(id))?
            .doc;
        let (prefix, quote, suffix) = self.quote_at(doc, span)?;
        let name = self.display_name();
        let tx = self.write("moving an annotation")?;
        let sql = |e| StoreError::sqlite(&name, e);
        let before = read(&tx, id)
            .map_err(sql)?
            .ok_or(StoreError::NoSuchAnnotation(id))?;
        if before.doc != doc {
            return Err(StoreError::AnnotationMoved(id));
        }
        let after = Annotation {
            start: span.start,
            end: span.end,
            quote,
            prefix,
            suffix,
            status: AnchorStatus::Ok,
            ..before.clone()
        };
        if after == before {
            return Ok(before);
        }
        replace(tx, before, &after).map_err(sql)
    }

    /// The text now at an annotation's span and up to [`CONTEXT_CHARS`] code points around
    /// it: (prefix, quote, suffix), read by range. An error when the span is not in the text.
    pub fn quote_now(
        &self,
        annotation: &Annotation,
    ) -> Result<(String, String, String), StoreError> {
        self.quote_at(annotation.doc, annotation.span())
    }

    /// The text of `span` of a document and up to [`CONTEXT_CHARS`] code points around it,
    /// read by range: (prefix, quote, suffix).
    fn quote_at(&self, doc: DocId, span: Span) -> Result<(String, String, String), StoreError> {
        let meta = self
            .document(doc)?
            .ok_or_else(|| StoreError::NoSuchDocument(doc.to_string()))?;
        if span.start >= span.end || span.end > meta.chars {
            return Err(StoreError::SpanOutOfRange {
                doc,
                start: span.start,
                end: span.end,
                chars: meta.chars,
            });
        }
        let window_start = span.start.saturating_sub(CONTEXT_CHARS);
        let window_end = (span.end + CONTEXT_CHARS).min(meta.chars);
        let window: Vec<char> = self
            .text_chars(doc, window_start, window_end)?
            .chars()
            .collect();
        let local = Span::new(span.start - window_start, span.end - window_start);
        Ok(quote_in(&window, local))
    }

    /// Deletes an annotation (undo brings it back) and returns what it was.
    pub fn delete_annotation(&mut self, id: AnnotationId) -> Result<Annotation, StoreError> {
        let name = self.display_name();
        let tx = self.write("deleting an annotation")?;
        let sql = |e| StoreError::sqlite(&name, e);
        let before = read(&tx, id)
            .map_err(sql)?
            .ok_or(StoreError::NoSuchAnnotation(id))?;
        tx.execute("DELETE FROM annotations WHERE id = ?1", [id])
            .map_err(sql)?;
        log(
            &tx,
            &Change::Annotation {
                doc: before.doc,
                before: Some(Box::new(before.clone())),
                after: None,
            },
        )
        .and_then(|()| tx.commit())
        .map_err(sql)?;
        Ok(before)
    }

    /// Makes document `new` the next version of `old`, in one transaction: `annotations`
    /// (re-anchored in `new`) are written, the reading position and the theme `decisions`
    /// carried over are stored for `new`, and `old` is removed with everything else over it.
    pub fn supersede(
        &mut self,
        old: DocId,
        new: DocId,
        annotations: &[Annotation],
        position: Option<usize>,
        decisions: &[DecisionRow],
    ) -> Result<(), StoreError> {
        let name = self.display_name();
        let tx = self.write("updating a document")?;
        let sql = |e| StoreError::sqlite(&name, e);
        let mut moved = tx
            .prepare_cached(&format!(
                "UPDATE annotations SET doc_id = ?2, start = ?3, end = ?4, quote = ?5,
                        prefix = ?6, suffix = ?7, status = ?8, updated_at = {NOW}
                 WHERE id = ?1"
            ))
            .map_err(sql)?;
        for a in annotations {
            moved
                .execute(params![
                    a.id,
                    new,
                    a.start as i64,
                    a.end as i64,
                    a.quote,
                    a.prefix,
                    a.suffix,
                    a.status.as_str(),
                ])
                .map_err(sql)?;
        }
        drop(moved);
        for d in decisions {
            super::themes::write_decision(&tx, new, d.passage, &d.theme, Some(d.decision))
                .map_err(sql)?;
        }
        if let Some(at) = position {
            tx.execute(
                &format!(
                    "INSERT OR REPLACE INTO reading_positions (doc_id, cursor_char, updated_at)
                     VALUES (?1, ?2, {NOW})"
                ),
                params![new, at as i64],
            )
            .map_err(sql)?;
        }
        tx.execute(
            "UPDATE reader_panes SET doc_id = ?2 WHERE doc_id = ?1",
            params![old, new],
        )
        .and_then(|_| tx.execute("DELETE FROM documents WHERE id = ?1", [old]))
        .and_then(|_| tx.commit())
        .map_err(sql)?;
        Ok(())
    }

    /// One annotation.
    pub fn annotation(&self, id: AnnotationId) -> Result<Option<Annotation>, StoreError> {
        read(self.conn(), id).map_err(|e| self.err(e))
    }

    /// The annotations that pass `filter`, by document and place.
    pub fn annotations(&self, filter: &AnnotationFilter) -> Result<Vec<Annotation>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM annotations ORDER BY doc_id, start, end, id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        let ids: std::collections::HashSet<AnnotationId> = filter.ids.iter().copied().collect();
        Ok(rows
            .into_iter()
            .filter(|a| ids.is_empty() || ids.contains(&a.id))
            .filter(|a| filter.docs.is_empty() || filter.docs.contains(&a.doc))
            .filter(|a| filter.colors.is_empty() || filter.colors.contains(&a.color))
            .filter(|a| filter.statuses.is_empty() || filter.statuses.contains(&a.status))
            .filter(|a| filter.tags.is_empty() || a.tags.iter().any(|t| filter.tags.contains(t)))
            .collect())
    }

    /// How many annotations the library holds.
    pub fn annotation_count(&self) -> Result<usize, StoreError> {
        self.conn()
            .query_row("SELECT count(*) FROM annotations", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(|e| self.err(e))
    }

    /// Every annotation of the library as a list shows it, in the order they were made: the
    /// table read straight through (no index to follow; the caller sorts), nine columns of
    /// fourteen, text borrowed from SQLite's page and only what a row shows copied (the
    /// quote's beginning, the note's first line), each distinct tag list decoded once.
    pub fn annotation_summaries(&self) -> Result<Vec<Summary>, StoreError> {
        let count = self.annotation_count()?;
        self.summaries("ORDER BY id", u32::MAX, count)
    }

    /// The first `n` annotations by place (document, start, end) as a list shows them, read
    /// through the index on places: a screen of the list before the whole is read.
    pub fn first_annotation_summaries(&self, n: u32) -> Result<Vec<Summary>, StoreError> {
        self.summaries("ORDER BY doc_id, start, end, id", n, n as usize)
    }

    /// The summaries of at most `limit` annotations in `order` (an `ORDER BY` clause).
    fn summaries(&self, order: &str, limit: u32, room: usize) -> Result<Vec<Summary>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!(
                "SELECT id, doc_id, start, end, color, status, tags, quote, note
                 FROM annotations {order} LIMIT ?1"
            ))
            .map_err(|e| self.err(e))?;
        let mut tag_lists: HashMap<String, Arc<[String]>> = HashMap::new();
        let mut rows = stmt.query([limit]).map_err(|e| self.err(e))?;
        let mut out = Vec::with_capacity(room);
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let summary = (|| {
                let tags = text(row, 6)?;
                let tags = match tag_lists.get(tags) {
                    Some(list) => Arc::clone(list),
                    None => {
                        let list: Arc<[String]> = parse_tags(tags)?.into();
                        tag_lists.insert(tags.to_string(), Arc::clone(&list));
                        list
                    }
                };
                Ok(Summary {
                    id: row.get(0)?,
                    doc: row.get(1)?,
                    start: row.get::<_, i64>(2)? as usize,
                    end: row.get::<_, i64>(3)? as usize,
                    color: Color::from_stored(text(row, 4)?).ok_or_else(|| bad(4, "colour"))?,
                    status: AnchorStatus::parse(text(row, 5)?).ok_or_else(|| bad(5, "status"))?,
                    tags,
                    quote: Summary::cut(text(row, 7)?),
                    note_line: Summary::first_line(text(row, 8)?),
                })
            })()
            .map_err(|e: rusqlite::Error| self.err(e))?;
            out.push(summary);
        }
        Ok(out)
    }

    /// Every annotation's whole quote and note, in the order they were made, to `each`
    /// (borrowed: nothing is kept that the caller does not keep).
    pub fn annotation_texts(
        &self,
        mut each: impl FnMut(AnnotationId, &str, &str),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, quote, note FROM annotations ORDER BY id")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let (id, quote, note) = (|| Ok((row.get(0)?, text(row, 1)?, text(row, 2)?)))()
                .map_err(|e: rusqlite::Error| self.err(e))?;
            each(id, quote, note);
        }
        Ok(())
    }

    /// A document's annotations, by place.
    pub fn document_annotations(&self, doc: DocId) -> Result<Vec<Annotation>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM annotations WHERE doc_id = ?1 ORDER BY start, end, id"
            ))
            .map_err(|e| self.err(e))?;
        stmt.query_map([doc], from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))
    }

    /// The code points `start..end` of a document's stored text, read by range when the
    /// document has a char index.
    pub fn text_chars(&self, id: DocId, start: usize, end: usize) -> Result<String, StoreError> {
        let (from_char, from_byte) = match self.char_index(id)? {
            Some(index) => index.checkpoint(start),
            None => (0, 0),
        };
        let chars = end.saturating_sub(from_char);
        // A code point is at most four bytes.
        let bytes = self.text_bytes(id, from_byte, chars.saturating_mul(4))?;
        let valid = match std::str::from_utf8(&bytes) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()])
                .map_err(|_| StoreError::CorruptLayer { doc: id })?,
        };
        Ok(valid
            .chars()
            .skip(start - from_char)
            .take(end.saturating_sub(start))
            .collect())
    }

    /// A number that changes when another connection commits a change to the library
    /// (SQLite's `data_version`).
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn()
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .map_err(|e| self.err(e))
    }
}

/// Writes `after` (an annotation changed in its place, colour, note, tags, quote or status)
/// over `before` with the time now, logs the change for undo and commits; the annotation as
/// stored.
fn replace(
    tx: Transaction<'_>,
    before: Annotation,
    after: &Annotation,
) -> rusqlite::Result<Annotation> {
    tx.execute(
        &format!(
            "UPDATE annotations SET color = ?2, note = ?3, tags = ?4, quote = ?5, prefix = ?6,
                    suffix = ?7, status = ?8, start = ?9, end = ?10, updated_at = {NOW}
             WHERE id = ?1"
        ),
        params![
            after.id,
            after.color.as_str(),
            after.note,
            tags_json(&after.tags),
            after.quote,
            after.prefix,
            after.suffix,
            after.status.as_str(),
            after.start as i64,
            after.end as i64,
        ],
    )?;
    // The transaction read `before` already: the row is there.
    let stored = read(&tx, after.id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    log(
        &tx,
        &Change::Annotation {
            doc: stored.doc,
            before: Some(Box::new(before)),
            after: Some(Box::new(stored.clone())),
        },
    )?;
    tx.commit()?;
    Ok(stored)
}

/// Tags as the library stores them.
fn tags_json(tags: &[String]) -> String {
    serde_json::to_string(tags).unwrap_or_else(|_| "[]".to_string())
}

/// One annotation by id.
pub(super) fn read(
    conn: &rusqlite::Connection,
    id: AnnotationId,
) -> rusqlite::Result<Option<Annotation>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM annotations WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

/// Writes `annotation` as it was (same id and GUID): for undo and redo.
pub(super) fn restore(tx: &Transaction<'_>, annotation: &Annotation) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO annotations (id, guid, doc_id, start, end, quote, prefix, suffix, color,
                                  note, tags, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (id) DO UPDATE SET
             doc_id = excluded.doc_id, start = excluded.start, end = excluded.end,
             quote = excluded.quote, prefix = excluded.prefix, suffix = excluded.suffix,
             color = excluded.color, note = excluded.note, tags = excluded.tags,
             status = excluded.status, updated_at = excluded.updated_at",
        params![
            annotation.id,
            annotation.guid,
            annotation.doc,
            annotation.start as i64,
            annotation.end as i64,
            annotation.quote,
            annotation.prefix,
            annotation.suffix,
            annotation.color.as_str(),
            annotation.note,
            tags_json(&annotation.tags),
            annotation.status.as_str(),
            annotation.created,
            annotation.updated,
        ],
    )
    .map(|_| ())
}

/// Column `i` of a row as text, borrowed.
fn text<'a>(row: &'a Row<'_>, i: usize) -> rusqlite::Result<&'a str> {
    row.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The error for column `i` holding no valid `what`.
fn bad(i: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        i,
        rusqlite::types::Type::Text,
        format!("not an annotation {what}").into(),
    )
}

/// Tags as the library stores them, read back.
fn parse_tags(json: &str) -> rusqlite::Result<Vec<String>> {
    serde_json::from_str(json).map_err(|_| bad(10, "tag list"))
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Annotation> {
    let color: String = row.get(8)?;
    let tags: String = row.get(10)?;
    let status: String = row.get(11)?;
    Ok(Annotation {
        id: row.get(0)?,
        guid: row.get(1)?,
        doc: row.get(2)?,
        start: row.get::<_, i64>(3)? as usize,
        end: row.get::<_, i64>(4)? as usize,
        quote: row.get(5)?,
        prefix: row.get(6)?,
        suffix: row.get(7)?,
        color: Color::from_stored(&color).ok_or_else(|| bad(8, "colour"))?,
        note: row.get(9)?,
        tags: parse_tags(&tags)?,
        status: AnchorStatus::parse(&status).ok_or_else(|| bad(11, "status"))?,
        created: row.get(12)?,
        updated: row.get(13)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Change;
    use crate::tagging::merge::Decision;

    const TEXT: &str = "第一段：发展新质生产力。\n第二段：强化企业科技创新主体地位。\n";

    fn library(path: Option<&std::path::Path>, text: &str) -> (Store, DocId) {
        let mut store = match path {
            Some(p) => Store::open(p).unwrap(),
            None => Store::open_in_memory().unwrap(),
        };
        let id = store
            .insert_document(&crate::import::prepare_text(text.into(), "s".into(), "t"))
            .unwrap();
        (store, id)
    }

    fn new(doc: DocId, start: usize, end: usize) -> NewAnnotation {
        NewAnnotation {
            doc,
            span: Span::new(start, end),
            color: Color::Yellow,
            note: String::new(),
            tags: Vec::new(),
        }
    }

    #[test]
    fn an_annotation_keeps_its_quote_and_context_and_rejects_bad_spans() {
        let (mut store, doc) = library(None, TEXT);
        let mut n = new(doc, 6, 11);
        n.note = "核心概念\n第二行".into();
        n.tags = vec!["new-productive-forces".into(), " 概念 ".into()];
        let a = store.create_annotation(&n).unwrap();
        assert_eq!(a.quote, "新质生产力");
        assert_eq!(a.prefix, "第一段：发展");
        assert!(a.suffix.starts_with("。\n第二段"));
        assert_eq!(a.tags, ["new-productive-forces", "概念"]);
        assert_eq!(a.note_line(), "核心概念");
        assert_eq!(a.status, AnchorStatus::Ok);
        assert!(a.created.ends_with('Z') && a.guid.len() == 36);
        assert_eq!(store.annotation(a.id).unwrap(), Some(a.clone()));
        for (start, end) in [(3, 3), (5, 2), (0, 1000)] {
            let err = store.create_annotation(&new(doc, start, end)).unwrap_err();
            assert!(err.to_string().contains("is not a span of it"), "{err}");
        }
        let err = store.create_annotation(&new(99, 0, 1)).unwrap_err();
        assert!(matches!(err, StoreError::NoSuchDocument(_)));
    }

    #[test]
    fn overlapping_annotations_list_by_place_and_filter() {
        let (mut store, doc) = library(None, TEXT);
        let outer = store.create_annotation(&new(doc, 13, 30)).unwrap();
        let mut inner = new(doc, 17, 23);
        inner.color = Color::Blue;
        inner.tags = vec!["enterprise".into()];
        let inner = store.create_annotation(&inner).unwrap();
        let first = store.create_annotation(&new(doc, 0, 4)).unwrap();
        let all = store.annotations(&AnnotationFilter::default()).unwrap();
        let ids: Vec<_> = all.iter().map(|a| a.id).collect();
        assert_eq!(ids, [first.id, outer.id, inner.id]);
        let blue = AnnotationFilter {
            colors: vec![Color::Blue],
            ..Default::default()
        };
        assert_eq!(
            store.annotations(&blue).unwrap(),
            std::slice::from_ref(&inner)
        );
        let tagged = AnnotationFilter {
            tags: vec!["enterprise".into()],
            ..Default::default()
        };
        assert_eq!(store.annotations(&tagged).unwrap(), [inner]);
        assert_eq!(store.document_annotations(doc).unwrap().len(), 3);
    }

    #[test]
    fn edits_deletions_and_decisions_undo_and_redo_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.db");
        let (mut store, doc) = library(Some(&path), TEXT);
        let a = store.create_annotation(&new(doc, 6, 11)).unwrap();
        let edited = store
            .edit_annotation(
                a.id,
                &AnnotationEdit {
                    color: Some(Color::Pink),
                    note: Some("笔记".into()),
                    add_tags: vec!["talent".into()],
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!((edited.color, edited.note.as_str()), (Color::Pink, "笔记"));
        store
            .set_decision(doc, Span::new(0, 12), "talent", Some(Decision::Accepted))
            .unwrap();
        store.delete_annotation(a.id).unwrap();
        assert_eq!(store.annotation(a.id).unwrap(), None);
        drop(store);

        let mut store = Store::open(&path).unwrap();
        let undone = store.undo().unwrap().unwrap();
        assert_eq!(undone.describe(), format!("annotation #{} deleted", a.id));
        let back = store.annotation(a.id).unwrap().expect("deletion undone");
        assert_eq!(
            (back.guid.as_str(), back.note.as_str()),
            (a.guid.as_str(), "笔记")
        );
        assert!(matches!(
            store.undo().unwrap(),
            Some(Change::Decision {
                before: None,
                after: Some(Decision::Accepted),
                ..
            })
        ));
        assert!(store.decisions(doc).unwrap().is_empty());
        store.undo().unwrap();
        assert_eq!(store.annotation(a.id).unwrap().unwrap().note, "");
        store.undo().unwrap();
        assert_eq!(store.annotation(a.id).unwrap(), None, "creation undone");
        assert_eq!(store.undo().unwrap(), None, "nothing more to undo");

        store.redo().unwrap();
        store.redo().unwrap();
        assert_eq!(store.annotation(a.id).unwrap().unwrap().color, Color::Pink);
        store.redo().unwrap();
        assert_eq!(store.decisions(doc).unwrap().len(), 1);
        // A new change drops what could still be redone (the deletion).
        store
            .edit_annotation(
                a.id,
                &AnnotationEdit {
                    color: Some(Color::Green),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(store.redo().unwrap(), None);
        assert!(store.annotation(a.id).unwrap().is_some());
    }

    #[test]
    fn quotes_deep_in_a_large_document_are_read_by_range() {
        let line = "科技创新推动产业升级，人才是第一资源。\n";
        let text = line.repeat(20_000);
        let (mut store, doc) = library(None, &text);
        assert!(store.char_index(doc).unwrap().is_some());
        let per_line = line.chars().count();
        let start = 15_000 * per_line + 11;
        let a = store
            .create_annotation(&new(doc, start, start + 2))
            .unwrap();
        assert_eq!(a.quote, "人才");
        assert_eq!(a.prefix.chars().count(), CONTEXT_CHARS);
        assert!(a.prefix.ends_with("产业升级，"));
        assert_eq!(store.text_chars(doc, 0, 4).unwrap(), "科技创新");
    }

    #[test]
    fn settling_confirms_with_the_text_now_or_orphans_and_undoes() {
        let (mut store, doc) = library(None, TEXT);
        let a = store.create_annotation(&new(doc, 6, 11)).unwrap();
        // As a re-anchoring leaves it: moved by a fuzzy match, the old quote kept.
        let drifted = Annotation {
            start: 19,
            end: 25,
            status: AnchorStatus::Drifted,
            ..a.clone()
        };
        let tx = store.write("test").unwrap();
        restore(&tx, &drifted).unwrap();
        tx.commit().unwrap();
        assert_eq!(store.annotation(a.id).unwrap().unwrap().quote, "新质生产力");

        let confirmed = store.settle_annotation(a.id, AnchorStatus::Ok).unwrap();
        assert_eq!(confirmed.status, AnchorStatus::Ok);
        assert_eq!(confirmed.quote, "企业科技创新");
        assert!(confirmed.prefix.ends_with("第二段：强化"));
        assert!(confirmed.suffix.starts_with("主体地位"));
        assert_eq!((confirmed.start, confirmed.end), (19, 25));
        assert_eq!(
            store.undo().unwrap().unwrap().describe(),
            format!("annotation #{} changed", a.id)
        );
        let back = store.annotation(a.id).unwrap().unwrap();
        assert_eq!(
            (back.status, back.quote.as_str()),
            (AnchorStatus::Drifted, "新质生产力")
        );

        let orphan = store.settle_annotation(a.id, AnchorStatus::Orphan).unwrap();
        assert_eq!(orphan.status, AnchorStatus::Orphan);
        assert_eq!((orphan.quote.as_str(), orphan.start), ("新质生产力", 19));
        let err = store.settle_annotation(999, AnchorStatus::Ok).unwrap_err();
        assert!(matches!(err, StoreError::NoSuchAnnotation(999)));
        // A span no longer in the text cannot be confirmed.
        let outside = Annotation {
            start: 100,
            end: 104,
            ..orphan
        };
        let tx = store.write("test").unwrap();
        restore(&tx, &outside).unwrap();
        tx.commit().unwrap();
        let err = store.settle_annotation(a.id, AnchorStatus::Ok).unwrap_err();
        assert!(matches!(err, StoreError::SpanOutOfRange { .. }), "{err}");
    }

    #[test]
    fn summaries_are_what_lists_show_of_each_annotation_read_cheaply() {
        let (mut store, doc) = library(None, &TEXT.repeat(10));
        let mut long = new(doc, 0, 200);
        long.note = "\n \u{3000}\n\u{3000}第一行笔记\r\n第二行".into();
        long.tags = vec!["talent".into(), "待查".into()];
        let mut tagged = new(doc, 6, 11);
        tagged.tags = long.tags.clone();
        tagged.color = Color::Purple;
        let made: Vec<Annotation> = [long, tagged, new(doc, 13, 30)]
            .iter()
            .map(|n| store.create_annotation(n).unwrap())
            .collect();
        let tx = store.write("test").unwrap();
        restore(
            &tx,
            &Annotation {
                status: AnchorStatus::Drifted,
                ..made[2].clone()
            },
        )
        .unwrap();
        tx.commit().unwrap();
        let all = store.annotations(&AnnotationFilter::default()).unwrap();
        let mut expected: Vec<Summary> = all.iter().map(Summary::from).collect();
        expected.sort_by_key(|s| s.id);
        let summaries = store.annotation_summaries().unwrap();
        assert_eq!(summaries, expected, "in the order they were made");
        let first = store.first_annotation_summaries(2).unwrap();
        let by_place: Vec<_> = all.iter().take(2).map(Summary::from).collect();
        assert_eq!(first, by_place, "the first by place");
        assert_eq!(store.annotation_count().unwrap(), 3);
        assert_eq!(summaries[0].note_line, "第一行笔记");
        assert_eq!(
            summaries[0].quote.chars().count(),
            crate::annotations::SUMMARY_CHARS
        );
        assert_eq!(summaries[2].status, AnchorStatus::Drifted);
        assert!(
            Arc::ptr_eq(&summaries[0].tags, &summaries[1].tags),
            "one tag list decoded once"
        );
        let mut texts = Vec::new();
        store
            .annotation_texts(|id, quote, note| texts.push((id, quote.len(), note.to_string())))
            .unwrap();
        let whole: Vec<_> = made
            .iter()
            .map(|a| (a.id, a.quote.len(), a.note.clone()))
            .collect();
        assert_eq!(texts, whole);
    }

    #[test]
    fn moving_places_an_annotation_on_a_new_span_with_its_text_and_undoes() {
        let (mut store, doc) = library(None, TEXT);
        let mut made = new(doc, 6, 11);
        made.note = "笔记".into();
        let a = store.create_annotation(&made).unwrap();
        let tx = store.write("test").unwrap();
        restore(
            &tx,
            &Annotation {
                status: AnchorStatus::Drifted,
                ..a.clone()
            },
        )
        .unwrap();
        tx.commit().unwrap();
        let moved = store.move_annotation(a.id, Span::new(19, 25)).unwrap();
        assert_eq!((moved.start, moved.end), (19, 25));
        assert_eq!(moved.quote, "企业科技创新");
        assert!(moved.prefix.ends_with("第二段：强化"));
        assert!(moved.suffix.starts_with("主体地位"));
        assert_eq!(moved.status, AnchorStatus::Ok);
        assert_eq!(
            (moved.note.as_str(), moved.guid.as_str()),
            ("笔记", a.guid.as_str())
        );
        assert_eq!(store.annotation(a.id).unwrap(), Some(moved));
        assert_eq!(
            store.undo().unwrap().unwrap().describe(),
            format!("annotation #{} changed", a.id)
        );
        let back = store.annotation(a.id).unwrap().unwrap();
        assert_eq!(
            (back.start, back.end, back.status, back.quote.as_str()),
            (6, 11, AnchorStatus::Drifted, "新质生产力")
        );
        let err = store.move_annotation(a.id, Span::new(30, 999)).unwrap_err();
        assert!(matches!(err, StoreError::SpanOutOfRange { .. }), "{err}");
        let err = store.move_annotation(999, Span::new(0, 2)).unwrap_err();
        assert!(matches!(err, StoreError::NoSuchAnnotation(999)));
    }

    #[test]
    fn paragraphs_are_read_alone() {
        let (store, doc) = library(None, TEXT);
        assert_eq!(
            store.paragraphs(doc).unwrap(),
            store.cleaning(doc).unwrap().unwrap().paragraphs
        );
        assert_eq!(store.paragraphs(doc).unwrap().len(), 2);
    }

    #[test]
    fn a_backup_is_a_library_with_the_annotations() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, doc) = library(Some(&dir.path().join("lib.db")), TEXT);
        store.create_annotation(&new(doc, 0, 3)).unwrap();
        let copy = dir.path().join("copy.db");
        store.backup(Some(&copy)).unwrap();
        let copy = Store::open(&copy).unwrap();
        assert_eq!(
            copy.annotations(&AnnotationFilter::default())
                .unwrap()
                .len(),
            1
        );
    }
}
