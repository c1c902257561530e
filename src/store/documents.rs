//! Documents in the library: insert (text, cleaning layers and char index in one transaction),
//! look up (by id, title prefix or content hash), list, remove. Reading texts: `texts`.

use super::{Store, StoreError};
use crate::clean::Cleaned;
use crate::doc::char_index::CharIndex;
use crate::doc::{DocId, DocumentMeta, Script};
use rusqlite::{OptionalExtension, Row, params};

/// A decoded document ready to be stored.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub title: String,
    pub source: String,
    pub encoding: String,
    pub script: Script,
    pub text: String,
    pub source_bytes: u64,
    pub content_hash: String,
    /// The cleaning layers, stored with the document in the same transaction.
    pub cleaned: Cleaned,
}

const META_COLUMNS: &str = "id, title, source, encoding, script, chars, source_bytes, \
                            content_hash, imported_at, cleaner_version";

fn meta_from_row(row: &Row<'_>) -> rusqlite::Result<DocumentMeta> {
    let script: String = row.get(4)?;
    Ok(DocumentMeta {
        id: row.get(0)?,
        title: row.get(1)?,
        source: row.get(2)?,
        encoding: row.get(3)?,
        script: Script::parse(&script).unwrap_or(Script::Mixed),
        chars: row.get::<_, i64>(5)? as usize,
        source_bytes: row.get::<_, i64>(6)? as u64,
        content_hash: row.get(7)?,
        imported_at: row.get(8)?,
        cleaner_version: row.get(9)?,
    })
}

impl Store {
    /// Stores a document, its text and its search index in one transaction; returns its id.
    pub fn insert_document(&mut self, doc: &NewDocument) -> Result<DocId, StoreError> {
        self.insert_with(doc, true)
    }

    /// Stores a document and its text, leaving its search index to the first search.
    pub fn insert_document_unindexed(&mut self, doc: &NewDocument) -> Result<DocId, StoreError> {
        self.insert_with(doc, false)
    }

    fn insert_with(&mut self, doc: &NewDocument, index: bool) -> Result<DocId, StoreError> {
        let name = self.display_name();
        let tx = self.write("importing")?;
        let id = insert(&tx, doc, index).map_err(|e| StoreError::sqlite(&name, e))?;
        tx.commit().map_err(|e| StoreError::sqlite(&name, e))?;
        Ok(id)
    }

    /// The document whose stored text has this hash, if any (the oldest one).
    pub fn find_by_hash(&self, hash: &str) -> Result<Option<DocumentMeta>, StoreError> {
        self.conn()
            .query_row(
                &format!(
                    "SELECT {META_COLUMNS} FROM documents WHERE content_hash = ?1 ORDER BY id LIMIT 1"
                ),
                [hash],
                meta_from_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every document, in import order.
    pub fn list_documents(&self) -> Result<Vec<DocumentMeta>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("SELECT {META_COLUMNS} FROM documents ORDER BY id"))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], meta_from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.err(e))
    }

    pub fn document(&self, id: DocId) -> Result<Option<DocumentMeta>, StoreError> {
        self.conn()
            .query_row(
                &format!("SELECT {META_COLUMNS} FROM documents WHERE id = ?1"),
                [id],
                meta_from_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Removes a document and every layer over it; false if there was no such document.
    pub fn remove_document(&mut self, id: DocId) -> Result<bool, StoreError> {
        let name = self.display_name();
        let tx = self.write("removing a document")?;
        let removed = tx
            .execute("DELETE FROM documents WHERE id = ?1", [id])
            .map_err(|e| StoreError::sqlite(&name, e))?;
        tx.commit().map_err(|e| StoreError::sqlite(&name, e))?;
        Ok(removed > 0)
    }

    /// Finds the document a user means by `query`: an id, else a title prefix that matches one
    /// document (an exact title wins over longer titles it prefixes).
    pub fn resolve(&self, query: &str) -> Result<DocumentMeta, StoreError> {
        let trimmed = query.trim();
        if let Ok(id) = trimmed.trim_start_matches('#').parse::<DocId>()
            && let Some(meta) = self.document(id)?
        {
            return Ok(meta);
        }
        let folded = trimmed.to_lowercase();
        let matches: Vec<DocumentMeta> = self
            .list_documents()?
            .into_iter()
            .filter(|d| !folded.is_empty() && d.title.to_lowercase().starts_with(&folded))
            .collect();
        if let Some(exact) = matches.iter().find(|d| d.title.to_lowercase() == folded)
            && matches
                .iter()
                .filter(|d| d.title.to_lowercase() == folded)
                .count()
                == 1
        {
            return Ok(exact.clone());
        }
        match matches.len() {
            0 => Err(StoreError::NoSuchDocument(query.to_string())),
            1 => Ok(matches.into_iter().next().expect("one match")),
            count => Err(StoreError::Ambiguous {
                query: query.to_string(),
                count,
                candidates: matches
                    .iter()
                    .take(5)
                    .map(|d| format!("#{} {}", d.id, d.title))
                    .chain((count > 5).then(|| format!("and {} more", count - 5)))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }
}

pub(super) fn insert(
    tx: &rusqlite::Transaction<'_>,
    doc: &NewDocument,
    index: bool,
) -> rusqlite::Result<DocId> {
    tx.execute(
        "INSERT INTO documents (title, source, encoding, script, chars, source_bytes,
                                content_hash, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        params![
            doc.title,
            doc.source,
            doc.encoding,
            doc.script.as_str(),
            doc.text.chars().count() as i64,
            doc.source_bytes as i64,
            doc.content_hash,
        ],
    )?;
    let id = tx.last_insert_rowid();
    super::texts::write_text(tx, id, &doc.text)?;
    super::layers::write_cleaning(tx, id, &doc.cleaned)?;
    super::texts::write_char_index(tx, id, &CharIndex::build(&doc.text))?;
    if index {
        super::search_index::index_document(tx, id, &doc.text, &doc.cleaned)?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, text: &str) -> NewDocument {
        NewDocument {
            title: title.to_string(),
            source: format!("/tmp/{title}.txt"),
            encoding: "utf-8".to_string(),
            script: Script::Simplified,
            text: text.to_string(),
            source_bytes: text.len() as u64,
            content_hash: format!("hash-{text}"),
            cleaned: Cleaned::default(),
        }
    }

    #[test]
    fn insert_list_read_remove() {
        let mut store = Store::open_in_memory().unwrap();
        let a = store.insert_document(&doc("科技创新", "正文一\n")).unwrap();
        let b = store.insert_document(&doc("产业升级", "正文二")).unwrap();
        let list = store.list_documents().unwrap();
        assert_eq!(list.iter().map(|d| d.id).collect::<Vec<_>>(), vec![a, b]);
        assert_eq!(list[0].chars, 4);
        assert_eq!(store.text(a).unwrap(), "正文一\n");
        assert_eq!(store.find_by_hash("hash-正文二").unwrap().unwrap().id, b);
        assert!(store.remove_document(a).unwrap());
        assert!(!store.remove_document(a).unwrap());
        assert!(store.text(a).is_err());
        let orphans: i64 = store
            .conn()
            .query_row("SELECT count(DISTINCT doc_id) FROM text_parts", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(orphans, 1, "the text goes with its document");
    }

    #[test]
    fn resolve_by_id_prefix_and_exact_title() {
        let mut store = Store::open_in_memory().unwrap();
        let a = store.insert_document(&doc("科技创新", "1")).unwrap();
        let b = store.insert_document(&doc("科技创新与产业", "2")).unwrap();
        let c = store.insert_document(&doc("Talent Policy", "3")).unwrap();
        assert_eq!(store.resolve(&b.to_string()).unwrap().id, b);
        assert_eq!(store.resolve(&format!("#{c}")).unwrap().id, c);
        assert_eq!(store.resolve("科技创新").unwrap().id, a, "exact title wins");
        assert_eq!(store.resolve("科技创新与").unwrap().id, b);
        assert_eq!(store.resolve("talent").unwrap().id, c, "case-insensitive");
        let err = store.resolve("科技").unwrap_err().to_string();
        assert!(err.contains("matches 2 documents"), "{err}");
        assert!(err.contains(&format!("#{a} 科技创新")), "{err}");
        assert!(matches!(
            store.resolve("没有").unwrap_err(),
            StoreError::NoSuchDocument(_)
        ));
    }
}
