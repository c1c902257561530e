//! The reader's memory in the library: each document's reading position and the panes that
//! were open when the reader last quit.
//!
//! Positions are code point offsets into the stored text, so they survive any change of pane
//! width or font. Both tables go with their document when it is removed.

use super::{Store, StoreError};
use crate::doc::DocId;
use rusqlite::{OptionalExtension, params};

/// One pane the reader had open, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavedPane {
    pub doc_id: DocId,
    pub focused: bool,
}

impl Store {
    /// The saved reading position of a document, if any.
    pub fn reading_position(&self, id: DocId) -> Result<Option<usize>, StoreError> {
        self.conn()
            .query_row(
                "SELECT cursor_char FROM reading_positions WHERE doc_id = ?1",
                [id],
                |row| row.get::<_, i64>(0),
            )
            .optional()
            .map(|found| found.map(|offset| usize::try_from(offset).unwrap_or(0)))
            .map_err(|e| self.err(e))
    }

    /// Saves the reading positions of several documents in one transaction.
    pub fn save_reading_positions(
        &mut self,
        positions: &[(DocId, usize)],
    ) -> Result<(), StoreError> {
        let name = self.display_name();
        let tx = self.write("saving the reading position")?;
        for &(id, offset) in positions {
            tx.execute(
                "INSERT INTO reading_positions (doc_id, cursor_char, updated_at)
                 SELECT ?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                 WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?1)
                 ON CONFLICT (doc_id) DO UPDATE SET cursor_char = excluded.cursor_char,
                                                   updated_at = excluded.updated_at",
                params![id, i64::try_from(offset).unwrap_or(i64::MAX)],
            )
            .map_err(|e| StoreError::sqlite(&name, e))?;
        }
        tx.commit().map_err(|e| StoreError::sqlite(&name, e))
    }

    /// The panes the reader had open, left to right (documents removed since are gone).
    pub fn saved_panes(&self) -> Result<Vec<SavedPane>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT doc_id, focused FROM reader_panes ORDER BY slot")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok(SavedPane {
                    doc_id: row.get(0)?,
                    focused: row.get::<_, i64>(1)? != 0,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.err(e))
    }

    /// Replaces the saved panes with `panes`.
    pub fn save_panes(&mut self, panes: &[SavedPane]) -> Result<(), StoreError> {
        let name = self.display_name();
        let tx = self.write("saving the open panes")?;
        tx.execute("DELETE FROM reader_panes", [])
            .map_err(|e| StoreError::sqlite(&name, e))?;
        for (slot, pane) in panes.iter().enumerate() {
            tx.execute(
                "INSERT INTO reader_panes (slot, doc_id, focused)
                 SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?2)",
                params![slot as i64, pane.doc_id, i64::from(pane.focused)],
            )
            .map_err(|e| StoreError::sqlite(&name, e))?;
        }
        tx.commit().map_err(|e| StoreError::sqlite(&name, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Script;
    use crate::store::NewDocument;

    fn add(store: &mut Store, text: &str) -> DocId {
        store
            .insert_document(&NewDocument {
                title: text.to_string(),
                source: "-".to_string(),
                encoding: "utf-8".to_string(),
                script: Script::Simplified,
                text: text.to_string(),
                source_bytes: text.len() as u64,
                content_hash: text.to_string(),
                cleaned: crate::clean::Cleaned::default(),
            })
            .unwrap()
    }

    #[test]
    fn positions_and_panes_round_trip_and_go_with_their_document() {
        let mut store = Store::open_in_memory().unwrap();
        let a = add(&mut store, "科技创新");
        let b = add(&mut store, "产业升级");
        assert_eq!(store.reading_position(a).unwrap(), None);
        store.save_reading_positions(&[(a, 3), (b, 1)]).unwrap();
        store.save_reading_positions(&[(a, 2), (999, 1)]).unwrap();
        assert_eq!(store.reading_position(a).unwrap(), Some(2));
        assert_eq!(store.reading_position(b).unwrap(), Some(1));
        let panes = [
            SavedPane {
                doc_id: b,
                focused: false,
            },
            SavedPane {
                doc_id: a,
                focused: true,
            },
            SavedPane {
                doc_id: 999,
                focused: false,
            },
        ];
        store.save_panes(&panes).unwrap();
        assert_eq!(store.saved_panes().unwrap(), panes[..2]);
        store.remove_document(a).unwrap();
        assert_eq!(store.reading_position(a).unwrap(), None);
        assert_eq!(store.saved_panes().unwrap(), panes[..1]);
    }
}
