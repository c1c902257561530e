//! A document's stored text read whole or by range, straight from SQLite's pages (incremental
//! blob I/O: no second copy of a 300 MB text in memory), and the char index layer that finds
//! where a code point starts without reading the text before it.

use super::layers::{Reader, put};
use super::{Store, StoreError};
use crate::doc::DocId;
use crate::doc::char_index::CharIndex;
use rusqlite::{Transaction, params};

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
        let blob = self.text_blob(id)?;
        self.read_blob(&blob, start, max)
    }

    /// The stored text of a document as a blob handle. Reads through one handle are cheap to
    /// continue: SQLite walks a value's overflow pages once per handle.
    pub(super) fn text_blob(&self, id: DocId) -> Result<rusqlite::blob::Blob<'_>, StoreError> {
        self.conn()
            .blob_open("main", "document_texts", "text", id, true)
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(_, Some(ref m)) if m.contains("no such rowid") => {
                    StoreError::NoSuchDocument(id.to_string())
                }
                e => self.err(e),
            })
    }

    pub(super) fn read_blob(
        &self,
        blob: &rusqlite::blob::Blob<'_>,
        start: u64,
        max: usize,
    ) -> Result<Vec<u8>, StoreError> {
        let start = usize::try_from(start).unwrap_or(usize::MAX).min(blob.len());
        let len = max.min(blob.len() - start);
        let mut bytes = vec![0; len];
        blob.read_at_exact(&mut bytes, start)
            .map_err(|e| self.err(e))?;
        Ok(bytes)
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
        let blob = self.text_blob(id)?;
        let mut at = 0u64;
        let mut carry: Vec<u8> = Vec::new();
        loop {
            let bytes = self.read_blob(&blob, at, part_bytes.max(1))?;
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
                let part = std::str::from_utf8(&carry[..cut]).map_err(|_| corrupt())?;
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

/// Writes a document's stored text inside a caller's transaction: a zero-filled value of its
/// length, then its bytes through incremental blob I/O. Bound as a parameter, a 300 MB text
/// would be copied twice by SQLite (the bound value and the row's record): 600 MB more at
/// import. The value is stored as a BLOB of the UTF-8 bytes (texts stored before are TEXT);
/// every read goes through blob I/O, which reads both alike.
pub(super) fn write_text(tx: &Transaction<'_>, id: DocId, text: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO document_texts (doc_id, text) VALUES (?1, zeroblob(?2))",
        params![id, text.len() as i64],
    )?;
    if text.is_empty() {
        return Ok(());
    }
    let mut blob = tx.blob_open("main", "document_texts", "text", id, false)?;
    blob.write_at(text.as_bytes(), 0)
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
    fn texts_written_as_bytes_and_texts_stored_as_text_read_alike() {
        let (mut store, id) = store_with("科技\n创新");
        let kind: String = store
            .conn()
            .query_row(
                "SELECT typeof(text) FROM document_texts WHERE doc_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kind, "blob", "written by blob I/O");
        assert_eq!(store.text(id).unwrap(), "科技\n创新");
        // A library written before keeps its texts as TEXT values.
        store
            .conn()
            .execute(
                "UPDATE document_texts SET text = CAST(text AS TEXT) WHERE doc_id = ?1",
                [id],
            )
            .unwrap();
        assert_eq!(store.text(id).unwrap(), "科技\n创新");
        assert_eq!(store.text_bytes(id, 3, 3).unwrap(), "技".as_bytes());
        let tx = store.write("test").unwrap();
        tx.execute("INSERT INTO documents (id, title, source, encoding, script, chars, source_bytes, content_hash, imported_at) VALUES (99, 'e', '-', 'utf-8', 'zh-Hans', 0, 0, 'e', 'now')", [])
            .unwrap();
        write_text(&tx, 99, "").unwrap();
        tx.commit().unwrap();
        assert_eq!(store.text(99).unwrap(), "", "an empty text");
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
