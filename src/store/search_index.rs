//! The search index: every document's reading view, folded to its Simplified shadow, cut into
//! chunks of whole lines, with an inverted index of the characters and character pairs each
//! chunk holds.
//!
//! * **Chunks** (`search_chunks`): runs of whole view lines of about [`CHUNK_CHARS`] code
//!   points (a longer line is a chunk of its own). Each keeps its view text (for context),
//!   its shadow when that differs from the view (Traditional characters, capitals, invisible
//!   characters), and the view → stored offset map of its range, so a hit maps to stored
//!   offsets without loading the document. Folding never crosses a line break (no OpenCC
//!   phrase holds one), so folding a chunk alone gives exactly the whole shadow's slice.
//! * **Grams** (`search_grams`): for every character (unigram) and every pair of neighbouring
//!   characters (bigram) of the shadow, line breaks excepted, the chunks that hold it. A
//!   1-character query looks up its unigram, a longer one its bigrams, and the chunks that
//!   hold all of them are candidates, checked against the shadow text: no false positives,
//!   and short queries work (unlike FTS5's trigram tokenizer). One row per document and
//!   bucket (the gram's first character modulo [`BUCKETS`]): a blob of the bucket's grams in
//!   order (varint deltas), each with its chunk numbers. Writing a document costs
//!   `BUCKETS` rows at most, so import stays fast; a query reads one row per document and
//!   distinct bucket of its grams.
//!
//! Rows hang off `indexed_docs`, which a change to the document's cleaning layers deletes (a
//! trigger, migration 4): the index never describes an old view.

use super::layers::{Reader, put};
use super::{Store, StoreError};
use crate::clean::Cleaned;
use crate::doc::view::{View, ViewOptions};
use crate::doc::{DocId, Span};
use crate::text::fold::Shadow;
use rusqlite::{Transaction, params};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// About how many code points a chunk holds.
pub const CHUNK_CHARS: usize = 16_384;

/// How many buckets the grams of a document are spread over.
pub const BUCKETS: u64 = 256;

/// The code of a gram: the first character in the high bits, the second (plus one) or 0 for
/// a unigram in the low 22 bits, so a bucket's grams sort by first character.
pub fn gram(first: char, second: Option<char>) -> u64 {
    (u64::from(first) << 22) | second.map_or(0, |c| u64::from(c) + 1)
}

fn bucket(gram: u64) -> u64 {
    (gram >> 22) % BUCKETS
}

/// The grams a query's candidates must all hold: its unigram for one character, else its
/// distinct bigrams.
pub fn query_grams(folded_query: &str) -> Vec<u64> {
    let chars: Vec<char> = folded_query.chars().collect();
    let mut grams: Vec<u64> = match chars.as_slice() {
        [] => Vec::new(),
        [c] => vec![gram(*c, None)],
        _ => chars.windows(2).map(|w| gram(w[0], Some(w[1]))).collect(),
    };
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// One chunk of a document's view, as read back for a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub doc: DocId,
    pub seq: u32,
    /// Where the chunk starts in the document's view.
    pub view_start: usize,
    /// The chunk's view text.
    pub view: String,
    /// The chunk's shadow, when it differs from the view.
    pub shadow: Option<String>,
    /// Runs of the offset map: (view offset in the chunk, stored offset, length).
    runs: Vec<(usize, usize, usize)>,
}

impl Chunk {
    /// The text queries are matched against.
    pub fn shadow(&self) -> &str {
        self.shadow.as_deref().unwrap_or(&self.view)
    }

    /// The stored offset of a view offset inside the chunk (as [`View::to_stored`]).
    fn to_stored(&self, offset: usize) -> usize {
        let i = self.runs.partition_point(|r| r.0 <= offset);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some((view, stored, len)) if offset < view + len => stored + (offset - view),
            _ => self.runs.last().map_or(0, |&(_, stored, len)| stored + len),
        }
    }

    /// The stored span of a view span of the chunk (as [`View::stored_span`]).
    pub fn stored_span(&self, span: Span) -> Span {
        if span.is_empty() {
            let at = self.to_stored(span.start);
            return Span::new(at, at);
        }
        Span::new(self.to_stored(span.start), self.to_stored(span.end - 1) + 1)
    }
}

/// Chunk boundaries of a view: spans of whole lines of about [`CHUNK_CHARS`] code points.
fn chunk_spans(text: &str) -> Vec<(Span, std::ops::Range<usize>)> {
    let mut chunks = Vec::new();
    let (mut start_char, mut start_byte, mut chars) = (0, 0, 0);
    let mut at_char = 0;
    for (at_byte, line) in line_starts(text) {
        let line_chars = line.chars().count();
        if chars > 0 && chars + line_chars > CHUNK_CHARS {
            chunks.push((Span::new(start_char, at_char), start_byte..at_byte));
            (start_char, start_byte, chars) = (at_char, at_byte, 0);
        }
        chars += line_chars;
        at_char += line_chars;
    }
    if chars > 0 {
        chunks.push((Span::new(start_char, at_char), start_byte..text.len()));
    }
    chunks
}

/// The lines of a text with their line breaks, and the byte offset each starts at.
fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line))
    })
}

/// The view options the index is built with (full-width punctuation as the reader shows it;
/// the mapping is one code point for one, so offsets are the same under any options).
pub const INDEX_VIEW: ViewOptions = ViewOptions {
    fullwidth_punct: true,
};

/// Indexes a document being stored: builds its view from its text and cleaning.
pub(super) fn index_new_document(
    tx: &Transaction<'_>,
    id: DocId,
    text: &str,
    cleaned: &Cleaned,
) -> rusqlite::Result<()> {
    index_document(
        tx,
        id,
        &View::build(text, &cleaned.folded_spans(), &INDEX_VIEW),
    )
}

/// Writes the search index of one document (its view) inside a caller's transaction,
/// replacing any index it had.
pub(super) fn index_document(tx: &Transaction<'_>, id: DocId, view: &View) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM indexed_docs WHERE doc_id = ?1", [id])?;
    tx.execute("INSERT INTO indexed_docs (doc_id) VALUES (?1)", [id])?;
    let runs: Vec<(usize, usize, usize)> = view.runs().collect();
    let mut insert = tx.prepare_cached(
        "INSERT INTO search_chunks (doc_id, seq, view_start, view_end, map, shadow, view)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut grams: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (seq, (span, bytes)) in chunk_spans(view.text()).into_iter().enumerate() {
        let seq = seq as u32;
        let text = &view.text()[bytes];
        let shadow = Shadow::new(text);
        let mut previous: Option<char> = None;
        for c in shadow.text().chars() {
            if c == '\n' {
                previous = None;
                continue;
            }
            add(&mut grams, gram(c, None), seq);
            if let Some(p) = previous {
                add(&mut grams, gram(p, Some(c)), seq);
            }
            previous = Some(c);
        }
        let differs = shadow.text() != text;
        insert.execute(params![
            id,
            seq,
            span.start as i64,
            span.end as i64,
            encode_map(&runs, span),
            differs.then_some(shadow.text()),
            text,
        ])?;
    }
    let mut by_bucket: BTreeMap<u64, Vec<(u64, Vec<u32>)>> = BTreeMap::new();
    for (g, seqs) in grams {
        by_bucket.entry(bucket(g)).or_default().push((g, seqs));
    }
    let mut insert =
        tx.prepare_cached("INSERT INTO search_grams (bucket, doc_id, data) VALUES (?1, ?2, ?3)")?;
    for (b, mut entries) in by_bucket {
        entries.sort_unstable_by_key(|e| e.0);
        insert.execute(params![b as i64, id, encode_grams(&entries)])?;
    }
    Ok(())
}

fn add(grams: &mut FxHashMap<u64, Vec<u32>>, g: u64, seq: u32) {
    let seqs = grams.entry(g).or_default();
    if seqs.last() != Some(&seq) {
        seqs.push(seq);
    }
}

/// A bucket's grams: for each, the delta from the previous gram, the number of chunks, and
/// the chunk numbers as deltas.
fn encode_grams(entries: &[(u64, Vec<u32>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut previous = 0;
    for (g, seqs) in entries {
        put(&mut out, g - previous);
        previous = *g;
        put(&mut out, seqs.len() as u64);
        let mut last = 0;
        for &seq in seqs {
            put(&mut out, u64::from(seq - last));
            last = seq;
        }
    }
    out
}

/// The chunk numbers of gram `target` in a bucket blob (empty if absent); `None` if damaged.
fn find_gram(data: &[u8], target: u64) -> Option<Vec<u32>> {
    let mut reader = Reader::new(data);
    let mut g = 0u64;
    while !reader.is_empty() {
        g = g.checked_add(reader.get()?)?;
        let count = reader.get()?;
        if g > target {
            break;
        }
        let mut seqs = Vec::with_capacity(if g == target { count as usize } else { 0 });
        let mut seq = 0u64;
        for _ in 0..count {
            seq = seq.checked_add(reader.get()?)?;
            if g == target {
                seqs.push(u32::try_from(seq).ok()?);
            }
        }
        if g == target {
            return Some(seqs);
        }
    }
    Some(Vec::new())
}

/// The view → stored runs inside `span`, relative to its start: for each run the gap from the
/// previous run's stored end and its length (the view side is contiguous).
fn encode_map(runs: &[(usize, usize, usize)], span: Span) -> Vec<u8> {
    let mut out = Vec::new();
    let first = runs.partition_point(|r| r.0 + r.2 <= span.start);
    let mut stored_end = 0;
    for &(view, stored, len) in &runs[first..] {
        if view >= span.end {
            break;
        }
        let from = view.max(span.start);
        let to = (view + len).min(span.end);
        let stored_from = stored + (from - view);
        put(&mut out, (stored_from - stored_end) as u64);
        put(&mut out, (to - from) as u64);
        stored_end = stored_from + (to - from);
    }
    out
}

fn decode_map(data: &[u8]) -> Option<Vec<(usize, usize, usize)>> {
    let mut reader = Reader::new(data);
    let mut runs = Vec::new();
    let (mut view, mut stored_end) = (0usize, 0usize);
    while !reader.is_empty() {
        let stored = stored_end.checked_add(reader.get()? as usize)?;
        let len = reader.get()? as usize;
        runs.push((view, stored, len));
        view += len;
        stored_end = stored + len;
    }
    Some(runs)
}

impl Store {
    /// Documents the search index does not cover yet (imported before it existed, or whose
    /// cleaning changed since), in id order.
    pub fn unindexed_documents(&self) -> Result<Vec<DocId>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM indexed_docs)
                 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        rows.map_err(|e| self.err(e))
    }

    /// Indexes one document's reading view for search (replacing its index, if any).
    pub fn index_for_search(&mut self, id: DocId, view: &View) -> Result<(), StoreError> {
        let name = self.display_name();
        let tx = self.write("indexing for search")?;
        index_document(&tx, id, view)
            .and_then(|_| tx.commit())
            .map_err(|e| StoreError::sqlite(&name, e))
    }

    /// The chunks that hold every gram of `grams` (see [`query_grams`]), by document in id
    /// order, chunk numbers ascending.
    pub fn search_candidates(
        &self,
        grams: &[u64],
    ) -> Result<BTreeMap<DocId, Vec<u32>>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT doc_id, data FROM search_grams WHERE bucket = ?1")
            .map_err(|e| self.err(e))?;
        let mut found: Option<BTreeMap<DocId, Vec<u32>>> = None;
        let mut blobs: BTreeMap<u64, Vec<(DocId, Vec<u8>)>> = BTreeMap::new();
        for &g in grams {
            let b = bucket(g);
            if let std::collections::btree_map::Entry::Vacant(slot) = blobs.entry(b) {
                let rows = stmt
                    .query_map([b as i64], |r| Ok((r.get(0)?, r.get(1)?)))
                    .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| self.err(e))?;
                slot.insert(rows);
            }
            let mut holding = BTreeMap::new();
            for (doc, data) in &blobs[&b] {
                if found.as_ref().is_some_and(|f| !f.contains_key(doc)) {
                    continue;
                }
                let seqs = find_gram(data, g).ok_or(StoreError::CorruptLayer { doc: *doc })?;
                let seqs = match found.as_ref().and_then(|f| f.get(doc)) {
                    Some(before) => intersect(before, &seqs),
                    None => seqs,
                };
                if !seqs.is_empty() {
                    holding.insert(*doc, seqs);
                }
            }
            found = Some(holding);
        }
        Ok(found.unwrap_or_default())
    }

    /// One indexed chunk.
    pub fn search_chunk(&self, doc: DocId, seq: u32) -> Result<Chunk, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT view_start, map, shadow, view FROM search_chunks
                 WHERE doc_id = ?1 AND seq = ?2",
            )
            .map_err(|e| self.err(e))?;
        let (view_start, map, shadow, view): (i64, Vec<u8>, Option<String>, String) = stmt
            .query_row(params![doc, seq], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .map_err(|e| self.err(e))?;
        Ok(Chunk {
            doc,
            seq,
            view_start: view_start as usize,
            view,
            shadow,
            runs: decode_map(&map).ok_or(StoreError::CorruptLayer { doc })?,
        })
    }

    /// The view text of `span` (view offsets) of an indexed document, from its chunks.
    pub fn indexed_view_text(&self, doc: DocId, span: Span) -> Result<String, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT view_start, view FROM search_chunks
                 WHERE doc_id = ?1 AND view_end > ?2 AND view_start < ?3 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![doc, span.start as i64, span.end as i64], |r| {
                Ok((r.get::<_, i64>(0)? as usize, r.get::<_, String>(1)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        let mut text = String::new();
        for (start, view) in rows {
            let skip = span.start.saturating_sub(start);
            let take = span.end.saturating_sub(start.max(span.start));
            text.extend(view.chars().skip(skip).take(take));
        }
        Ok(text)
    }
}

/// The numbers in both sorted lists.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_whole_lines_and_cover_the_text() {
        let line = "字".repeat(CHUNK_CHARS / 4) + "\n";
        let text = line.repeat(7) + &"长".repeat(CHUNK_CHARS * 2);
        let chunks = chunk_spans(&text);
        let mut at = 0;
        for (span, bytes) in &chunks {
            assert_eq!(span.start, at);
            assert_eq!(text[bytes.clone()].chars().count(), span.len());
            at = span.end;
        }
        assert_eq!(at, text.chars().count());
        assert_eq!(chunks[0].0.len(), 3 * line.chars().count(), "whole lines");
        assert_eq!(chunks.last().map(|c| c.0.len()), Some(CHUNK_CHARS * 2));
    }

    #[test]
    fn gram_blobs_round_trip_and_reject_damage() {
        let mut entries = vec![
            (gram('科', None), vec![0, 3]),
            (gram('科', Some('技')), vec![3]),
            (gram('技', None), vec![1, 2, 9]),
        ];
        entries.sort_unstable_by_key(|e| e.0);
        let blob = encode_grams(&entries);
        for (g, seqs) in &entries {
            assert_eq!(find_gram(&blob, *g).as_ref(), Some(seqs));
        }
        assert_eq!(find_gram(&blob, gram('学', None)), Some(Vec::new()));
        assert_eq!(find_gram(&blob[..blob.len() - 1], entries[2].0), None);
    }

    #[test]
    fn chunk_maps_match_the_views_map() {
        let text = "新質(zhì)生產力\n發(fā)展";
        let view = View::build(
            text,
            &[Span::new(2, 7), Span::new(12, 16)],
            &ViewOptions::default(),
        );
        let runs: Vec<_> = view.runs().collect();
        let span = Span::new(1, view.char_len());
        let chunk = Chunk {
            doc: 1,
            seq: 0,
            view_start: 1,
            view: String::new(),
            shadow: None,
            runs: decode_map(&encode_map(&runs, span)).unwrap(),
        };
        for start in span.start..span.end {
            for end in start..=span.end {
                let rel = Span::new(start - 1, end - 1);
                assert_eq!(
                    chunk.stored_span(rel),
                    view.stored_span(Span::new(start, end)),
                    "{start}..{end}"
                );
            }
        }
    }
}
