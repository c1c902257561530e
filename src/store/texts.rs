//! A document's stored text, kept in the `text_parts` table as parts of [`PART_BYTES`] bytes
//! (the last shorter; a part may end inside a character), read whole or by byte range: a
//! range costs the parts it touches, wherever it is in the text. The char index layer finds
//! where a code point starts without reading the text before it.

use super::layers::{Reader, put};
use super::{Store, StoreError};
use crate::doc::DocId;
use crate::doc::char_index::CharIndex;
use rusqlite::{Transaction, params};

/// Bytes of stored text in one row of `text_parts`. SQLite keeps a large value as a chain of
/// pages that a read walks from its start, so a whole 300 MB text in one value made a read
/// near its end walk 75,000 pages; a part is 16.
pub const PART_BYTES: usize = 64 * 1024;

const CHAR_INDEX: &str = "char-index";

impl Store {
    /// A document's stored text.
    pub fn text(&self, id: DocId) -> Result<String, StoreError> {
        let bytes = self.text_bytes(id, 0, usize::MAX)?;
        String::from_utf8(bytes).map_err(|_| StoreError::CorruptLayer { doc: id })
    }

    /// Up to `max` bytes of a document's stored text from byte `start` (fewer at its end).
    /// The bytes may begin or end inside a character.
    pub fn text_bytes(&self, id: DocId, start: u64, max: usize) -> Result<Vec<u8>, StoreError> {
        let end = start.saturating_add(max as u64);
        let part = PART_BYTES as u64;
        let last_part = end.saturating_sub(1) / part;
        let mut bytes = Vec::new();
        if max == usize::MAX {
            bytes.reserve(self.text_len(id)?.saturating_sub(start) as usize);
        }
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT part, bytes FROM text_parts
                 WHERE doc_id = ?1 AND part BETWEEN ?2 AND ?3 ORDER BY part",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params![
                id,
                (start / part).min(i64::MAX as u64) as i64,
                last_part.min(i64::MAX as u64) as i64
            ])
            .map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let (n, data): (i64, &[u8]) = (
                row.get(0).map_err(|e| self.err(e))?,
                row.get_ref(1)
                    .and_then(|v| Ok(v.as_blob()?))
                    .map_err(|e| self.err(e))?,
            );
            let from = n as u64 * part;
            let skip = start.saturating_sub(from).min(data.len() as u64) as usize;
            let take = end.saturating_sub(from).min(data.len() as u64) as usize;
            bytes.extend_from_slice(&data[skip..take.max(skip)]);
        }
        if bytes.is_empty() && !self.has_document(id)? {
            return Err(StoreError::NoSuchDocument(id.to_string()));
        }
        Ok(bytes)
    }

    /// The length of a document's stored text in bytes.
    fn text_len(&self, id: DocId) -> Result<u64, StoreError> {
        self.conn()
            .query_row(
                "SELECT coalesce(sum(length(bytes)), 0) FROM text_parts WHERE doc_id = ?1",
                [id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// Whether the library holds document `id`.
    fn has_document(&self, id: DocId) -> Result<bool, StoreError> {
        self.conn()
            .query_row("SELECT count(*) FROM documents WHERE id = ?1", [id], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }

    /// A document's stored text in parts of whole lines (about `part_bytes` each; the last part
    /// may end without a line break), given to `f` in order: for reading a large text without
    /// holding it whole. Returns the text's length in bytes.
    pub fn text_parts(
        &self,
        id: DocId,
        part_bytes: usize,
        mut f: impl FnMut(&str),
    ) -> Result<u64, StoreError> {
        let corrupt = || StoreError::CorruptLayer { doc: id };
        let mut at = 0u64;
        let mut carry: Vec<u8> = Vec::new();
        loop {
            let bytes = self.text_bytes(id, at, part_bytes.max(1))?;
            at += bytes.len() as u64;
            let last = bytes.is_empty();
            carry.extend_from_slice(&bytes);
            let cut = match last {
                true => carry.len(),
                false => carry
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |nl| nl + 1),
            };
            if cut > 0 {
                let part = simdutf8::basic::from_utf8(&carry[..cut]).map_err(|_| corrupt())?;
                f(part);
                carry.drain(..cut);
            }
            if last {
                return Ok(at);
            }
        }
    }

    /// The char index of a document; `None` for documents imported before it existed.
    pub fn char_index(&self, id: DocId) -> Result<Option<CharIndex>, StoreError> {
        let data = self.layer(id, CHAR_INDEX)?;
        if data.is_empty() {
            return Ok(None);
        }
        let corrupt = || StoreError::CorruptLayer { doc: id };
        let mut reader = Reader::new(&data);
        let count = reader.get().ok_or_else(corrupt)? as usize;
        let mut offsets = Vec::with_capacity(count.min(1 << 20));
        let mut at = 0u64;
        for _ in 0..count {
            at = at
                .checked_add(reader.get().ok_or_else(corrupt)?)
                .ok_or_else(corrupt)?;
            offsets.push(at);
        }
        CharIndex::from_offsets(offsets)
            .map(Some)
            .ok_or_else(corrupt)
    }

    /// Stores the char index of a document imported before it existed.
    pub fn save_char_index(&mut self, id: DocId, index: &CharIndex) -> Result<(), StoreError> {
        let name = self.display_name();
        let tx = self.write("indexing a document's text")?;
        write_char_index(&tx, id, index)
            .and_then(|_| tx.commit())
            .map_err(|e| StoreError::sqlite(&name, e))
    }
}

/// Writes a document's stored text inside a caller's transaction, in parts of
/// [`PART_BYTES`] (each bound and copied by SQLite on its own, so a 300 MB text is never
/// copied whole).
pub(super) fn write_text(tx: &Transaction<'_>, id: DocId, text: &str) -> rusqlite::Result<()> {
    let mut stmt =
        tx.prepare_cached("INSERT INTO text_parts (doc_id, part, bytes) VALUES (?1, ?2, ?3)")?;
    for (n, bytes) in text.as_bytes().chunks(PART_BYTES).enumerate() {
        stmt.execute(params![id, n as i64, bytes])?;
    }
    Ok(())
}

/// Moves the texts of a library from before `text_parts` (one value a text, in
/// `document_texts`, TEXT or BLOB) into parts, reading each through one blob handle (SQLite
/// walks its pages once), and drops the old table. A migration step.
pub(super) fn split_old_texts(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let ids: Vec<DocId> = tx
        .prepare("SELECT doc_id FROM document_texts ORDER BY doc_id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut stmt =
        tx.prepare("INSERT INTO text_parts (doc_id, part, bytes) VALUES (?1, ?2, ?3)")?;
    let mut buf = vec![0; PART_BYTES];
    for id in ids {
        let blob = tx.blob_open("main", "document_texts", "text", id, true)?;
        let mut at = 0;
        while at < blob.len() {
            let len = PART_BYTES.min(blob.len() - at);
            blob.read_at_exact(&mut buf[..len], at)?;
            stmt.execute(params![id, (at / PART_BYTES) as i64, &buf[..len]])?;
            at += len;
        }
    }
    tx.execute_batch("DROP TABLE document_texts")
}

/// Writes a document's char index inside a caller's transaction.
pub(super) fn write_char_index(
    tx: &Transaction<'_>,
    id: DocId,
    index: &CharIndex,
) -> rusqlite::Result<()> {
    let offsets = index.offsets();
    let mut data = Vec::with_capacity(offsets.len() * 3 + 4);
    put(&mut data, offsets.len() as u64);
    let mut previous = 0;
    for &offset in offsets {
        put(&mut data, offset - previous);
        previous = offset;
    }
    tx.execute(
        "INSERT INTO layers (doc_id, kind, data) VALUES (?1, ?2, ?3)
         ON CONFLICT (doc_id, kind) DO UPDATE SET data = excluded.data",
        params![id, CHAR_INDEX, data],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(text: &str) -> (Store, DocId) {
        let mut store = Store::open_in_memory().unwrap();
        let id = store
            .insert_document(&crate::import::prepare_text(text.into(), "s".into(), "t"))
            .unwrap();
        (store, id)
    }

    #[test]
    fn text_is_read_whole_or_by_range() {
        let text = "第一行\n第二行 with Latin\n".repeat(1000);
        let (store, id) = store_with(&text);
        assert_eq!(store.text(id).unwrap(), text);
        assert_eq!(store.text_bytes(id, 0, 9).unwrap(), "第一行".as_bytes());
        assert_eq!(store.text_bytes(id, 10, 9).unwrap(), "第二行".as_bytes());
        let tail = store.text_bytes(id, text.len() as u64 - 3, 100).unwrap();
        assert_eq!(tail, b"in\n");
        assert!(store.text_bytes(id, u64::MAX, 10).unwrap().is_empty());
        assert!(matches!(
            store.text(id + 1),
            Err(StoreError::NoSuchDocument(_))
        ));
    }

    #[test]
    fn a_text_of_many_parts_is_read_alike_at_every_range() {
        // Three-byte characters, so parts end inside characters.
        let text = "科技创新\nab".repeat(PART_BYTES / 5);
        let (mut store, id) = store_with(&text);
        let parts: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM text_parts WHERE doc_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(parts as usize, text.len().div_ceil(PART_BYTES));
        assert_eq!(store.text(id).unwrap(), text);
        let bytes = text.as_bytes();
        for start in [
            0,
            1,
            PART_BYTES - 2,
            PART_BYTES,
            2 * PART_BYTES + 7,
            text.len() - 1,
        ] {
            for max in [0, 1, 3, PART_BYTES, 2 * PART_BYTES + 1, usize::MAX] {
                let end = start.saturating_add(max).min(text.len());
                assert_eq!(
                    store.text_bytes(id, start as u64, max).unwrap(),
                    &bytes[start..end],
                    "{start} + {max}"
                );
            }
        }
        let tx = store.write("test").unwrap();
        tx.execute("INSERT INTO documents (id, title, source, encoding, script, chars, source_bytes, content_hash, imported_at) VALUES (99, 'e', '-', 'utf-8', 'zh-Hans', 0, 0, 'e', 'now')", [])
            .unwrap();
        write_text(&tx, 99, "").unwrap();
        tx.commit().unwrap();
        assert_eq!(store.text(99).unwrap(), "", "an empty text");
    }

    #[test]
    fn texts_of_a_library_from_before_are_split_into_parts() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE documents (id INTEGER PRIMARY KEY);
             CREATE TABLE document_texts (doc_id INTEGER PRIMARY KEY, text TEXT NOT NULL);
             CREATE TABLE text_parts (doc_id INTEGER NOT NULL, part INTEGER NOT NULL,
                                      bytes BLOB NOT NULL, PRIMARY KEY (doc_id, part));",
        )
        .unwrap();
        let long = "第一行\n".repeat(PART_BYTES / 4);
        conn.execute(
            "INSERT INTO document_texts VALUES (1, ?1), (2, CAST(?2 AS BLOB)), (3, '')",
            params![long, "科技"],
        )
        .unwrap();
        let mut conn = conn;
        let tx = conn.transaction().unwrap();
        split_old_texts(&tx).unwrap();
        tx.commit().unwrap();
        let text_of = |id: i64| -> Vec<u8> {
            conn.prepare("SELECT bytes FROM text_parts WHERE doc_id = ?1 ORDER BY part")
                .unwrap()
                .query_map([id], |r| r.get::<_, Vec<u8>>(0))
                .unwrap()
                .flat_map(Result::unwrap)
                .collect()
        };
        assert_eq!(text_of(1), long.as_bytes(), "a TEXT value, over two parts");
        assert_eq!(text_of(2), "科技".as_bytes(), "a BLOB value");
        assert!(text_of(3).is_empty(), "an empty text has no parts");
        let old: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'document_texts'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(old, 0, "the old table is gone");
    }

    #[test]
    fn a_library_from_before_parts_opens_with_its_texts_and_no_dead_pages() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let text = "科技创新\n".repeat(PART_BYTES);
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            let tx = conn.transaction().unwrap();
            super::super::migrations::apply(&tx, 0, super::super::migrations::TEXTS_REWRITTEN - 1)
                .unwrap();
            tx.execute(
                "INSERT INTO documents (title, source, encoding, script, chars, source_bytes,
                                        content_hash, imported_at)
                 VALUES ('科技', '-', 'utf-8', 'simplified', 0, 0, 'h', 'now')",
                [],
            )
            .unwrap();
            tx.execute("INSERT INTO document_texts VALUES (1, ?1)", [&text])
                .unwrap();
            tx.commit().unwrap();
        }
        assert!(super::super::will_rewrite_texts(&path));
        let store = Store::open(&path).unwrap();
        assert_eq!(store.text(1).unwrap(), text);
        let free: i64 = store
            .conn()
            .query_row("PRAGMA freelist_count", [], |r| r.get(0))
            .unwrap();
        assert_eq!(free, 0, "the old texts' pages were given back");
        drop(store);
        assert!(!super::super::will_rewrite_texts(&path), "converted once");
        assert!(!super::super::will_rewrite_texts(
            &dir.path().join("none.db")
        ));
    }

    #[test]
    fn text_parts_are_whole_lines_that_join_to_the_text() {
        let text = "第一行\n第二行 with Latin\n没有换行的最后一行".repeat(500);
        let (store, id) = store_with(&text);
        for part_bytes in [1, 7, 100, 4096, 1 << 20] {
            let mut parts = Vec::new();
            let len = store
                .text_parts(id, part_bytes, |p| parts.push(p.to_string()))
                .unwrap();
            assert_eq!(len, text.len() as u64);
            assert_eq!(parts.concat(), text, "parts of {part_bytes} bytes");
            let (last, whole) = parts.split_last().unwrap();
            assert!(whole.iter().all(|p| p.ends_with('\n')));
            assert!(!last.is_empty());
        }
    }

    #[test]
    fn the_char_index_is_written_at_import_and_read_back() {
        let text = "中文。\n".repeat(CharIndex::STEP);
        let (mut store, id) = store_with(&text);
        let index = store.char_index(id).unwrap().expect("written at import");
        assert_eq!(index, CharIndex::build(&text));
        store
            .conn()
            .execute("DELETE FROM layers WHERE kind = 'char-index'", [])
            .unwrap();
        assert_eq!(store.char_index(id).unwrap(), None);
        store.save_char_index(id, &index).unwrap();
        assert_eq!(store.char_index(id).unwrap(), Some(index));
    }
}
