//! Storage of the related-passages index (the scoring is `crate::related`'s).
//!
//! * `related_terms`: the vocabulary, words of the shadow (term id → word); it only grows.
//! * `related_passages`: one row per body paragraph of an indexed document: its number (as
//!   `pizhu passages` counts), stored and view spans, and its term vector as a blob of
//!   (term id delta, term frequency) varints, sorted by term id. Written per document when
//!   related passages are first asked for (segmenting needs jieba, which import does not
//!   load).
//! * `related_postings`: for each term, the passages holding it as (dense index delta, term
//!   frequency) varints after a count; `related_state`: the dense table (passage id, document,
//!   vector norm for each dense index) and the (count, max id) of the passages it was built
//!   from. Rebuilt from the vectors whenever passages were added or removed since.

use super::layers::{Reader, put};
use super::{Store, StoreError};
use crate::doc::{DocId, Span};
use rusqlite::{OptionalExtension, params};
use rustc_hash::FxHashMap;

/// A term and how often it occurs in a passage.
pub type TermCount = (u32, u32);

/// One passage as the index knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedPassage {
    pub id: i64,
    pub doc: DocId,
    /// 1-based, as `pizhu passages` numbers them.
    pub n: usize,
    pub stored: Span,
    pub view: Span,
}

/// The dense table of the postings: for dense index `i`, the passage `ids[i]` of document
/// `docs[i]` whose term vector has length `norms[i]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RelatedState {
    pub passages: i64,
    pub max_id: i64,
    pub ids: Vec<i64>,
    pub docs: Vec<DocId>,
    pub norms: Vec<f32>,
}

fn encode_terms(terms: &[TermCount]) -> Vec<u8> {
    let mut out = Vec::with_capacity(terms.len() * 3);
    let mut last = 0;
    for &(term, count) in terms {
        put(&mut out, u64::from(term - last));
        put(&mut out, u64::from(count));
        last = term;
    }
    out
}

fn decode_terms(data: &[u8]) -> Option<Vec<TermCount>> {
    let mut reader = Reader::new(data);
    let mut terms = Vec::new();
    let mut term = 0u32;
    while !reader.is_empty() {
        term = term.checked_add(u32::try_from(reader.get()?).ok()?)?;
        terms.push((term, u32::try_from(reader.get()?).ok()?));
    }
    Some(terms)
}

fn corrupt() -> StoreError {
    StoreError::CorruptIndex
}

impl Store {
    /// Indexed documents whose passages are not in the related index yet, in id order.
    pub fn related_pending(&self) -> Result<Vec<DocId>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT doc_id FROM indexed_docs WHERE related = 0 ORDER BY doc_id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.err(e))
    }

    /// The vocabulary: word → term id.
    pub fn related_vocabulary(&self) -> Result<FxHashMap<String, u32>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT term, id FROM related_terms")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<Result<FxHashMap<_, _>, _>>());
        rows.map_err(|e| self.err(e))
    }

    /// Stores a document's passages with their term vectors (sorted by term id), and the
    /// words new to the vocabulary, in one transaction.
    pub fn save_related_passages(
        &mut self,
        doc: DocId,
        new_terms: &[(u32, String)],
        passages: &[(RelatedPassage, Vec<TermCount>)],
    ) -> Result<(), StoreError> {
        let name = self.display_name();
        let tx = self.write("indexing related passages")?;
        let result = (|| {
            let mut insert =
                tx.prepare_cached("INSERT INTO related_terms (id, term) VALUES (?1, ?2)")?;
            for (id, term) in new_terms {
                insert.execute(params![id, term])?;
            }
            let mut insert = tx.prepare_cached(
                "INSERT INTO related_passages (doc_id, n, start, end, view_start, view_end, terms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (p, terms) in passages {
                insert.execute(params![
                    doc,
                    p.n as i64,
                    p.stored.start as i64,
                    p.stored.end as i64,
                    p.view.start as i64,
                    p.view.end as i64,
                    encode_terms(terms)
                ])?;
            }
            tx.execute(
                "UPDATE indexed_docs SET related = 1 WHERE doc_id = ?1",
                [doc],
            )?;
            Ok(())
        })();
        result
            .and_then(|_| tx.commit())
            .map_err(|e| StoreError::sqlite(&name, e))
    }

    /// (count, max id) of the passages in the index: what the postings must have been built
    /// from to be current.
    pub fn related_fingerprint(&self) -> Result<(i64, i64), StoreError> {
        // Two queries: alone, count(*) scans the small (doc_id, n) index and max(id) reads one
        // end of the table; together they read every row, term vectors included.
        let one = |sql: &str| -> Result<i64, StoreError> {
            self.conn()
                .query_row(sql, [], |r| r.get(0))
                .map_err(|e| self.err(e))
        };
        Ok((
            one("SELECT count(*) FROM related_passages")?,
            one("SELECT coalesce(max(id), 0) FROM related_passages")?,
        ))
    }

    /// Every passage's id, document and term vector, by id.
    pub fn related_vectors(&self) -> Result<Vec<(i64, DocId, Vec<TermCount>)>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, doc_id, terms FROM related_passages ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, DocId>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(id, doc, data)| Some((id, doc, decode_terms(&data)?)))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(corrupt)
    }

    /// Replaces the postings (term id → (dense index, term frequency), dense indexes
    /// ascending) and the dense table, in one transaction.
    pub fn save_related_postings(
        &mut self,
        postings: &[(u32, Vec<TermCount>)],
        state: &RelatedState,
    ) -> Result<(), StoreError> {
        let name = self.display_name();
        let tx = self.write("indexing related passages")?;
        let mut table = Vec::new();
        let mut last = 0;
        for ((&id, &doc), &norm) in state.ids.iter().zip(&state.docs).zip(&state.norms) {
            put(&mut table, (id - last) as u64);
            put(&mut table, doc as u64);
            put(&mut table, u64::from(norm.to_bits()));
            last = id;
        }
        let result = (|| {
            tx.execute("DELETE FROM related_postings", [])?;
            let mut insert =
                tx.prepare_cached("INSERT INTO related_postings (term_id, data) VALUES (?1, ?2)")?;
            for (term, list) in postings {
                let mut data = Vec::with_capacity(list.len() * 2 + 4);
                put(&mut data, list.len() as u64);
                let mut last = 0;
                for &(dense, count) in list {
                    put(&mut data, u64::from(dense - last));
                    put(&mut data, u64::from(count));
                    last = dense;
                }
                insert.execute(params![term, data])?;
            }
            tx.execute(
                "INSERT INTO related_state (id, passages, max_id, table_) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET passages = excluded.passages,
                     max_id = excluded.max_id, table_ = excluded.table_",
                params![state.passages, state.max_id, table],
            )?;
            Ok(())
        })();
        result
            .and_then(|_| tx.commit())
            .map_err(|e| StoreError::sqlite(&name, e))
    }

    /// The dense table, if postings were ever built.
    pub fn related_state(&self) -> Result<Option<RelatedState>, StoreError> {
        let row: Option<(i64, i64, Vec<u8>)> = self
            .conn()
            .query_row(
                "SELECT passages, max_id, table_ FROM related_state WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((passages, max_id, table)) = row else {
            return Ok(None);
        };
        let mut state = RelatedState {
            passages,
            max_id,
            ..RelatedState::default()
        };
        let mut reader = Reader::new(&table);
        let mut id = 0i64;
        while !reader.is_empty() {
            let decoded = (|| {
                let delta = reader.get()?;
                let doc = reader.get()?;
                let bits = u32::try_from(reader.get()?).ok()?;
                Some((delta as i64, doc as DocId, f32::from_bits(bits)))
            })();
            let (delta, doc, norm) = decoded.ok_or_else(corrupt)?;
            id += delta;
            state.ids.push(id);
            state.docs.push(doc);
            state.norms.push(norm);
        }
        Ok(Some(state))
    }

    /// The passages holding a term: (dense index, term frequency), dense index ascending.
    pub fn related_posting(&self, term: u32) -> Result<Vec<TermCount>, StoreError> {
        let data: Option<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT data FROM related_postings WHERE term_id = ?1")
            .and_then(|mut stmt| stmt.query_row([term], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))?;
        let Some(data) = data else {
            return Ok(Vec::new());
        };
        let mut reader = Reader::new(&data);
        let decoded = (|| {
            let count = reader.get()? as usize;
            let mut list = Vec::with_capacity(count);
            let mut dense = 0u32;
            for _ in 0..count {
                dense = dense.checked_add(u32::try_from(reader.get()?).ok()?)?;
                list.push((dense, u32::try_from(reader.get()?).ok()?));
            }
            Some(list)
        })();
        decoded.ok_or_else(corrupt)
    }

    /// Passage `n` of a document and its term vector, if the index has it.
    pub fn related_passage(
        &self,
        doc: DocId,
        n: usize,
    ) -> Result<Option<(RelatedPassage, Vec<TermCount>)>, StoreError> {
        self.related_row("doc_id = ?1 AND n = ?2", params![doc, n as i64])
    }

    /// The passage with this id.
    pub fn related_passage_by_id(&self, id: i64) -> Result<RelatedPassage, StoreError> {
        self.related_row("id = ?1", params![id])?
            .map(|(p, _)| p)
            .ok_or_else(corrupt)
    }

    /// How many passages of a document the index holds.
    pub fn related_passage_count(&self, doc: DocId) -> Result<usize, StoreError> {
        self.conn()
            .query_row(
                "SELECT count(*) FROM related_passages WHERE doc_id = ?1",
                [doc],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    fn related_row(
        &self,
        condition: &str,
        params: impl rusqlite::Params,
    ) -> Result<Option<(RelatedPassage, Vec<TermCount>)>, StoreError> {
        let row = self
            .conn()
            .prepare_cached(&format!(
                "SELECT id, doc_id, n, start, end, view_start, view_end, terms
                 FROM related_passages WHERE {condition}"
            ))
            .and_then(|mut stmt| {
                stmt.query_row(params, |r| {
                    let span = |a: usize, b: usize| -> rusqlite::Result<Span> {
                        Ok(Span::new(
                            r.get::<_, i64>(a)? as usize,
                            r.get::<_, i64>(b)? as usize,
                        ))
                    };
                    Ok((
                        RelatedPassage {
                            id: r.get(0)?,
                            doc: r.get(1)?,
                            n: r.get::<_, i64>(2)? as usize,
                            stored: span(3, 4)?,
                            view: span(5, 6)?,
                        },
                        r.get::<_, Vec<u8>>(7)?,
                    ))
                })
                .optional()
            })
            .map_err(|e| self.err(e))?;
        match row {
            None => Ok(None),
            Some((passage, data)) => Ok(Some((passage, decode_terms(&data).ok_or_else(corrupt)?))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_vectors_round_trip_and_reject_damage() {
        let terms = vec![(3, 1), (7, 12), (300, 2)];
        let blob = encode_terms(&terms);
        assert_eq!(decode_terms(&blob), Some(terms));
        assert_eq!(decode_terms(&blob[..blob.len() - 1]), None);
    }
}
