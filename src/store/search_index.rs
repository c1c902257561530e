//! The search index: every document's reading view cut into chunks of whole lines, with an
//! inverted index of the characters and character pairs of each chunk's Simplified shadow.
//! Nothing of the text itself is kept: a chunk is read back from the stored text.
//!
//! * **Chunks** (`search_chunks`): runs of whole view lines of about [`CHUNK_CHARS`] code
//!   points (a longer line is a chunk of its own). Each keeps the byte range of the stored
//!   text it shows and the view → stored offset map of its range, so its view text is the
//!   stored bytes (one incremental blob read) minus what the map leaves out, with the view's
//!   full-width punctuation; its shadow is folded again when a query needs it (folding runs
//!   at hundreds of MB/s). Folding never crosses a line break (no OpenCC phrase holds one),
//!   and a chunk starts after a line break, so a chunk alone folds and punctuates exactly as
//!   its slice of the whole view does.
//! * **Grams** (`search_grams`): for every character (unigram) and every pair of neighbouring
//!   characters (bigram) of the shadow, line breaks excepted, the chunks that hold it. A
//!   1-character query looks up its unigram, a longer one its bigrams, and the chunks that
//!   hold all of them are candidates, checked against their shadow: no false positives, and
//!   short queries work (unlike FTS5's trigram tokenizer). One row per document, appended at
//!   import (a few pages written, where a row per bucket dirtied a page per bucket): a
//!   fixed-width directory of sections, one per bucket (the gram's first character modulo
//!   [`BUCKETS`]), so a query reads, by incremental blob I/O, the directory and the sections
//!   of its grams only; see [`encode_grams`]. A document of one chunk (up to [`CHUNK_CHARS`]
//!   code points) stores no chunk numbers at all.
//!
//! Rows hang off `indexed_docs`, which a change to the document's cleaning layers deletes (a
//! trigger, migration 5): the index never describes an old view.

use super::layers::{Reader, put};
use super::{Store, StoreError};
use crate::clean::Cleaned;
use crate::doc::view::{ViewBuilder, ViewOptions};
use crate::doc::{DocId, Span};
use crate::text::cursor::CharCursor;
use crate::text::fold::fold_str;
use rusqlite::{Transaction, params};
use std::collections::{BTreeMap, HashMap};

/// About how many code points a chunk holds.
pub const CHUNK_CHARS: usize = 65_536;

/// How many buckets the grams of a document are spread over.
pub const BUCKETS: u64 = 64;

/// Bits of a gram code that hold the second character (plus one; 0 for a unigram).
const SECOND_BITS: u32 = 21;
/// Bits of a gram code that hold the first character divided by [`BUCKETS`].
const GROUP_BITS: u32 = 15;

/// The code of a gram. From the high bits: the bucket (first character modulo [`BUCKETS`]),
/// the first character divided by [`BUCKETS`], and the second character plus one (0 for a
/// unigram), so codes sort by bucket, then by first character, then by second.
pub fn gram(first: char, second: Option<char>) -> u64 {
    let first = u64::from(first);
    ((first % BUCKETS) << (SECOND_BITS + GROUP_BITS))
        | ((first / BUCKETS) << SECOND_BITS)
        | second.map_or(0, |c| u64::from(c) + 1)
}

fn bucket(gram: u64) -> u64 {
    gram >> (SECOND_BITS + GROUP_BITS)
}

/// The first character of a gram divided by [`BUCKETS`].
fn group(gram: u64) -> u64 {
    (gram >> SECOND_BITS) & ((1 << GROUP_BITS) - 1)
}

fn second(gram: u64) -> u64 {
    gram & ((1 << SECOND_BITS) - 1)
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
    /// Runs of the offset map: (view offset in the chunk, stored offset, length).
    runs: Vec<(usize, usize, usize)>,
}

impl Chunk {
    /// The stored offset of a view offset inside the chunk (as [`View::to_stored`](crate::doc::view::View::to_stored)).
    fn to_stored(&self, offset: usize) -> usize {
        let i = self.runs.partition_point(|r| r.0 <= offset);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some((view, stored, len)) if offset < view + len => stored + (offset - view),
            _ => self.runs.last().map_or(0, |&(_, stored, len)| stored + len),
        }
    }

    /// The stored span of a view span of the chunk (as [`View::stored_span`](crate::doc::view::View::stored_span)).
    pub fn stored_span(&self, span: Span) -> Span {
        if span.is_empty() {
            let at = self.to_stored(span.start);
            return Span::new(at, at);
        }
        Span::new(self.to_stored(span.start), self.to_stored(span.end - 1) + 1)
    }
}

/// The view text of a chunk: the kept runs of `stored` (the stored text from code point
/// `first`, where the first run starts), with the index's view options applied. `None` if the
/// runs do not fit the text.
fn project(stored: &str, first: usize, runs: &[(usize, usize, usize)]) -> Option<String> {
    let mut view = String::with_capacity(stored.len());
    let mut cursor = CharCursor::new(stored);
    for &(_, from, len) in runs {
        let from = from.checked_sub(first)?;
        let begin = cursor.byte_at(from)?;
        let end = cursor.byte_at(from + len)?;
        view.push_str(&stored[begin..end]);
    }
    Some(if INDEX_VIEW.fullwidth_punct {
        crate::doc::view::fullwidth_punct_copied(&view)
    } else {
        view
    })
}

/// The view options the index is built with (full-width punctuation as the reader shows it;
/// the mapping is one code point for one, so offsets are the same under any options).
pub const INDEX_VIEW: ViewOptions = ViewOptions {
    fullwidth_punct: true,
};

/// Bytes of stored text projected at a time while indexing: the view is gone through once,
/// chunk by chunk, and never held whole (a 300 MB document's would be another 300 MB).
const PART_BYTES: usize = 4 << 20;

/// Writes the search index of one document from its stored text and cleaning inside a
/// caller's transaction, replacing any index it had.
pub(super) fn index_document(
    tx: &Transaction<'_>,
    id: DocId,
    stored: &str,
    cleaned: &Cleaned,
) -> rusqlite::Result<()> {
    index_in_parts(tx, id, stored, cleaned, PART_BYTES)
}

/// [`index_document`], projecting `part_bytes` of stored text at a time (the index does not
/// depend on it).
fn index_in_parts(
    tx: &Transaction<'_>,
    id: DocId,
    stored: &str,
    cleaned: &Cleaned,
    part_bytes: usize,
) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM indexed_docs WHERE doc_id = ?1", [id])?;
    tx.execute("INSERT INTO indexed_docs (doc_id) VALUES (?1)", [id])?;
    let mut builder = ViewBuilder::with_folds(cleaned.folded_spans(), 0, &INDEX_VIEW);
    let mut indexer = Indexer {
        insert: tx.prepare_cached(
            "INSERT INTO search_chunks (doc_id, seq, view_start, view_end, byte_start, byte_end, map)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?,
        id,
        cursor: CharCursor::new(stored),
        postings: Postings::default(),
        seq: 0,
        start: 0,
        chars: 0,
        text: String::new(),
        runs: Vec::new(),
        grams: Vec::new(),
        seen: vec![0u64; 1 << 10],
    };
    for part in crate::doc::lines::parts(stored, part_bytes) {
        builder.push_part(part);
        let (text, runs) = builder.take_lines();
        indexer.feed(&text, runs)?;
    }
    let (text, runs) = builder.take_rest();
    indexer.feed(&text, runs)?;
    indexer.finish()?;
    let Indexer { seq, postings, .. } = indexer;
    tx.prepare_cached("INSERT INTO search_grams (doc_id, data) VALUES (?1, ?2)")?
        .execute(params![id, encode_grams(seq as usize, &postings.sorted())])?;
    Ok(())
}

/// Cuts a document's view, handed on in pieces of whole lines, into chunks of whole lines of
/// about [`CHUNK_CHARS`] code points (a longer line is a chunk of its own), and writes each
/// chunk's row and grams as soon as it is complete.
struct Indexer<'t, 's> {
    insert: rusqlite::CachedStatement<'t>,
    id: DocId,
    /// The stored text, walked forward for each chunk's byte range.
    cursor: CharCursor<'s>,
    postings: Postings,
    /// The number of the chunk being gathered.
    seq: u32,
    /// The chunk being gathered: its first view code point, length, text and the view's runs
    /// from the start of its first (a run may go on into later chunks).
    start: usize,
    chars: usize,
    text: String,
    runs: Vec<(usize, usize, usize)>,
    /// The chunk's grams, and the characters of the Basic Multilingual Plane already seen in
    /// it, so each unigram is pushed once and the sort has about half as much to do.
    grams: Vec<u64>,
    seen: Vec<u64>,
}

impl Indexer<'_, '_> {
    /// Takes the next piece of the view: `text`, whole lines (the last piece may end
    /// anywhere), and its runs.
    fn feed(&mut self, text: &str, runs: Vec<(usize, usize, usize)>) -> rusqlite::Result<()> {
        for run in runs {
            match self.runs.last_mut() {
                // A run handed on in two pieces is one run again.
                Some(last) if last.0 + last.2 == run.0 && last.1 + last.2 == run.1 => {
                    last.2 += run.2;
                }
                _ => self.runs.push(run),
            }
        }
        for line in text.split_inclusive('\n') {
            let line_chars = line.chars().count();
            if self.chars > 0 && self.chars + line_chars > CHUNK_CHARS {
                self.write_chunk()?;
            }
            self.text.push_str(line);
            self.chars += line_chars;
        }
        Ok(())
    }

    /// Writes the last chunk.
    fn finish(&mut self) -> rusqlite::Result<()> {
        match self.chars {
            0 => Ok(()),
            _ => self.write_chunk(),
        }
    }

    /// Writes the chunk gathered: its row (view span, stored byte range, offset map) and its
    /// grams to the postings.
    fn write_chunk(&mut self) -> rusqlite::Result<()> {
        let span = Span::new(self.start, self.start + self.chars);
        self.grams.clear();
        self.seen.fill(0);
        let mut previous: Option<char> = None;
        for c in fold_str(&self.text).chars() {
            if c == '\n' {
                previous = None;
                continue;
            }
            let code = c as usize;
            match self.seen.get_mut(code >> 6) {
                Some(word) if *word & (1 << (code & 63)) != 0 => {}
                Some(word) => {
                    *word |= 1 << (code & 63);
                    self.grams.push(gram(c, None));
                }
                None => self.grams.push(gram(c, None)),
            }
            if let Some(p) = previous {
                self.grams.push(gram(p, Some(c)));
            }
            previous = Some(c);
        }
        self.grams.sort_unstable();
        self.grams.dedup();
        for &g in &self.grams {
            self.postings.add(g, self.seq);
        }
        let (map, stored_span) = encode_map(&self.runs, span);
        let id = self.id;
        let bad = || {
            rusqlite::Error::ToSqlConversionFailure(
                format!("document {id}: the view's offset map runs past the stored text").into(),
            )
        };
        let byte_start = self.cursor.byte_at(stored_span.start).ok_or_else(bad)?;
        let byte_end = self.cursor.byte_at(stored_span.end).ok_or_else(bad)?;
        self.insert.execute(params![
            id,
            self.seq,
            span.start as i64,
            span.end as i64,
            byte_start as i64,
            byte_end as i64,
            map,
        ])?;
        // Runs that end inside this chunk are done with.
        let done = self.runs.partition_point(|r| r.0 + r.2 <= span.end);
        self.runs.drain(..done);
        self.seq += 1;
        self.start = span.end;
        self.chars = 0;
        self.text.clear();
        Ok(())
    }
}

/// The chunks of each gram of a document, gathered chunk by chunk in ascending order. Each
/// gram keeps its chunk numbers as the varint deltas its section stores (see
/// [`encode_section`]), so the tens of millions of (gram, chunk) pairs of a 300 MB document
/// take a byte or two each rather than a sorted list of pairs ten times that size.
#[derive(Default)]
struct Postings(HashMap<u64, Posting>);

#[derive(Default)]
struct Posting {
    chunks: u32,
    last: u32,
    deltas: Vec<u8>,
}

impl Postings {
    /// Records that chunk `seq` holds `gram`; a gram's chunks come in ascending order.
    fn add(&mut self, gram: u64, seq: u32) {
        let p = self.0.entry(gram).or_default();
        put(&mut p.deltas, u64::from(seq - p.last));
        p.last = seq;
        p.chunks += 1;
    }

    /// The grams in order, each with its chunks.
    fn sorted(&self) -> Vec<(u64, &Posting)> {
        let mut grams: Vec<(u64, &Posting)> = self.0.iter().map(|(&g, p)| (g, p)).collect();
        grams.sort_unstable_by_key(|&(g, _)| g);
        grams
    }
}

/// Length of the directory at the start of a document's grams blob: the number of chunks and
/// `BUCKETS + 1` section offsets (from the end of the directory), little-endian `u32`s.
const DIRECTORY: usize = 4 * (BUCKETS as usize + 2);

/// A document's grams blob, from its grams in order with their chunks: the directory, then
/// one section per bucket (see [`encode_section`]).
fn encode_grams(chunks: usize, grams: &[(u64, &Posting)]) -> Vec<u8> {
    let size: usize = grams.iter().map(|(_, p)| 3 + p.deltas.len()).sum();
    let mut body = Vec::with_capacity(size);
    let mut offsets = Vec::with_capacity(BUCKETS as usize + 1);
    let mut rest = grams;
    for b in 0..BUCKETS {
        offsets.push(body.len());
        let n = rest.partition_point(|p| bucket(p.0) == b);
        encode_section(&mut body, chunks, &rest[..n]);
        rest = &rest[n..];
    }
    offsets.push(body.len());
    let mut out = Vec::with_capacity(DIRECTORY + body.len());
    for n in std::iter::once(chunks).chain(offsets) {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    out.extend_from_slice(&body);
    out
}

/// The directory of a grams blob: the number of chunks and the byte range of each bucket's
/// section in the blob. `None` if damaged.
fn decode_directory(head: &[u8], blob_len: usize) -> Option<(u32, Vec<std::ops::Range<usize>>)> {
    let words: Vec<u32> = head
        .get(..DIRECTORY)?
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        .collect();
    let sections = words[1..]
        .windows(2)
        .map(|w| {
            let (start, end) = (DIRECTORY + w[0] as usize, DIRECTORY + w[1] as usize);
            (start <= end && end <= blob_len).then_some(start..end)
        })
        .collect::<Option<Vec<_>>>()?;
    Some((words[0], sections))
}

/// A bucket's section, from its grams in order with their chunks: for each first character of the
/// bucket (a group), its quotient by [`BUCKETS`] as a delta from the previous group's, the
/// number of its grams, and for each gram its second character (plus one, 0 for the unigram)
/// as a delta from the previous gram's, followed, when the document has more than one chunk,
/// by the number of its chunks and their numbers as deltas. All numbers are varints, so a
/// gram usually costs two or three bytes.
fn encode_section(out: &mut Vec<u8>, chunks: usize, grams: &[(u64, &Posting)]) {
    let mut previous_group = 0;
    for in_group in grams.chunk_by(|a, b| group(a.0) == group(b.0)) {
        let g = group(in_group[0].0);
        put(out, g - previous_group);
        previous_group = g;
        put(out, in_group.len() as u64);
        let mut previous_second = 0;
        for &(gram, posting) in in_group {
            put(out, second(gram) - previous_second);
            previous_second = second(gram);
            if chunks > 1 {
                put(out, u64::from(posting.chunks));
                out.extend_from_slice(&posting.deltas);
            }
        }
    }
}

/// The chunk numbers of gram `target` in its bucket's section of a document of `chunks`
/// chunks (empty if absent); `None` if damaged.
fn find_gram(data: &[u8], chunks: u32, target: u64) -> Option<Vec<u32>> {
    let mut reader = Reader::new(data);
    let (target_group, target_second) = (group(target), second(target));
    let mut g = 0u64;
    while !reader.is_empty() {
        g = g.checked_add(reader.get()?)?;
        if g > target_group {
            break;
        }
        let count = reader.get()?;
        let mut s = 0u64;
        for _ in 0..count {
            s = s.checked_add(reader.get()?)?;
            let hit = g == target_group && s == target_second;
            if chunks <= 1 {
                if hit {
                    return Some(vec![0]);
                }
                continue;
            }
            let n = reader.get()?;
            let mut seqs = Vec::with_capacity(if hit { n.min(1 << 20) as usize } else { 0 });
            let mut seq = 0u64;
            for _ in 0..n {
                seq = seq.checked_add(reader.get()?)?;
                if hit {
                    seqs.push(u32::try_from(seq).ok()?);
                }
            }
            if hit {
                return Some(seqs);
            }
        }
    }
    Some(Vec::new())
}

/// The view → stored runs inside `span`, relative to its start: for each run the gap from the
/// previous run's stored end and its length (the view side is contiguous); and the stored
/// span from the first run's start to the last run's end.
fn encode_map(runs: &[(usize, usize, usize)], span: Span) -> (Vec<u8>, Span) {
    let mut out = Vec::new();
    let first = runs.partition_point(|r| r.0 + r.2 <= span.start);
    let (mut stored_start, mut stored_end) = (None, 0);
    for &(view, stored, len) in &runs[first..] {
        if view >= span.end {
            break;
        }
        let from = view.max(span.start);
        let to = (view + len).min(span.end);
        let stored_from = stored + (from - view);
        stored_start.get_or_insert(stored_from);
        put(&mut out, (stored_from - stored_end) as u64);
        put(&mut out, (to - from) as u64);
        stored_end = stored_from + (to - from);
    }
    (
        out,
        Span::new(stored_start.unwrap_or(stored_end), stored_end),
    )
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

    /// Indexes one document for search from its stored text and cleaning (replacing its
    /// index, if any).
    pub fn index_for_search(
        &mut self,
        id: DocId,
        stored: &str,
        cleaned: &Cleaned,
    ) -> Result<(), StoreError> {
        let name = self.display_name();
        let tx = self.write("indexing for search")?;
        index_document(&tx, id, stored, cleaned)
            .and_then(|_| tx.commit())
            .map_err(|e| StoreError::sqlite(&name, e))
    }

    /// The chunks that hold every gram of `grams` (see [`query_grams`]), by document in id
    /// order, chunk numbers ascending.
    pub fn search_candidates(
        &self,
        grams: &[u64],
    ) -> Result<BTreeMap<DocId, Vec<u32>>, StoreError> {
        let mut found = BTreeMap::new();
        if grams.is_empty() {
            return Ok(found);
        }
        let docs: Vec<DocId> = {
            let mut stmt = self
                .conn()
                .prepare_cached("SELECT doc_id FROM search_grams ORDER BY doc_id")
                .map_err(|e| self.err(e))?;
            stmt.query_map([], |r| r.get(0))
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(|e| self.err(e))?
        };
        for doc in docs {
            let seqs = self.candidates_in(doc, grams)?;
            if !seqs.is_empty() {
                found.insert(doc, seqs);
            }
        }
        Ok(found)
    }

    /// The chunks of one document that hold every gram of `grams`: its directory and the
    /// sections of the grams' buckets, read from its blob.
    fn candidates_in(&self, doc: DocId, grams: &[u64]) -> Result<Vec<u32>, StoreError> {
        let corrupt = || StoreError::CorruptLayer { doc };
        let blob = self
            .conn()
            .blob_open("main", "search_grams", "data", doc, true)
            .map_err(|e| self.err(e))?;
        let mut head = vec![0; DIRECTORY.min(blob.len())];
        blob.read_at_exact(&mut head, 0).map_err(|e| self.err(e))?;
        let (chunks, sections) = decode_directory(&head, blob.len()).ok_or_else(corrupt)?;
        let mut section: (Option<u64>, Vec<u8>) = (None, Vec::new());
        let mut seqs: Option<Vec<u32>> = None;
        for &g in grams {
            let b = bucket(g);
            if section.0 != Some(b) {
                let range = sections.get(b as usize).ok_or_else(corrupt)?.clone();
                section.1.resize(range.len(), 0);
                blob.read_at_exact(&mut section.1, range.start)
                    .map_err(|e| self.err(e))?;
                section.0 = Some(b);
            }
            let holding = find_gram(&section.1, chunks, g).ok_or_else(corrupt)?;
            let now = match seqs {
                Some(before) => intersect(&before, &holding),
                None => holding,
            };
            if now.is_empty() {
                return Ok(now);
            }
            seqs = Some(now);
        }
        Ok(seqs.unwrap_or_default())
    }

    /// Hands the chunks `seqs` of a document to `each` in that order until it returns
    /// `false`; returns whether it never did.
    pub fn each_search_chunk(
        &self,
        doc: DocId,
        seqs: &[u32],
        each: &mut dyn FnMut(Chunk) -> bool,
    ) -> Result<bool, StoreError> {
        for &seq in seqs {
            if !each(self.read_chunk(doc, seq)?) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Chunk `seq` of a document, its view text read back from the stored text.
    fn read_chunk(&self, doc: DocId, seq: u32) -> Result<Chunk, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT view_start, byte_start, byte_end, map FROM search_chunks
                 WHERE doc_id = ?1 AND seq = ?2",
            )
            .map_err(|e| self.err(e))?;
        let (view_start, byte_start, byte_end, map): (i64, i64, i64, Vec<u8>) = stmt
            .query_row(params![doc, seq], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .map_err(|e| self.err(e))?;
        let corrupt = || StoreError::CorruptLayer { doc };
        let runs = decode_map(&map).ok_or_else(corrupt)?;
        let len = usize::try_from(byte_end - byte_start).map_err(|_| corrupt())?;
        let bytes = self.text_bytes(doc, byte_start as u64, len)?;
        let stored = simdutf8::basic::from_utf8(&bytes).map_err(|_| corrupt())?;
        let first = runs.first().map_or(0, |r| r.1);
        Ok(Chunk {
            doc,
            seq,
            view_start: view_start as usize,
            view: project(stored, first, &runs).ok_or_else(corrupt)?,
            runs,
        })
    }

    /// The view text of `span` (view offsets) of an indexed document, from its chunks.
    pub fn indexed_view_text(&self, doc: DocId, span: Span) -> Result<String, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT seq FROM search_chunks
                 WHERE doc_id = ?1 AND view_end > ?2 AND view_start < ?3 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let seqs = stmt
            .query_map(params![doc, span.start as i64, span.end as i64], |r| {
                r.get::<_, u32>(0)
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        let mut text = String::new();
        self.each_search_chunk(doc, &seqs, &mut |chunk| {
            let skip = span.start.saturating_sub(chunk.view_start);
            let take = span.end.saturating_sub(chunk.view_start.max(span.start));
            text.extend(chunk.view.chars().skip(skip).take(take));
            true
        })?;
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
    use crate::doc::view::View;

    /// The index rows of document `text`, built projecting `part_bytes` at a time: each
    /// chunk's (seq, view span, stored bytes, map) and the grams blob.
    #[allow(clippy::type_complexity)]
    fn index_rows(
        text: &str,
        part_bytes: usize,
    ) -> (Vec<(u32, i64, i64, i64, i64, Vec<u8>)>, Vec<u8>) {
        let mut store = Store::open_in_memory().unwrap();
        let doc = crate::import::prepare_text(text.to_string(), "-".into(), "t");
        let id = store.insert_document_unindexed(&doc).unwrap();
        let tx = store.write("test").unwrap();
        index_in_parts(&tx, id, text, &doc.cleaned, part_bytes).unwrap();
        tx.commit().unwrap();
        let conn = store.conn();
        let mut stmt = conn
            .prepare(
                "SELECT seq, view_start, view_end, byte_start, byte_end, map FROM search_chunks
                 WHERE doc_id = ?1 ORDER BY seq",
            )
            .unwrap();
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let grams = conn
            .query_row(
                "SELECT data FROM search_grams WHERE doc_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        (rows, grams)
    }

    #[test]
    fn chunks_are_whole_lines_that_cover_the_view_whatever_the_parts() {
        // Lines of a quarter chunk with a pinyin reading the cleaner folds and a half-width
        // comma the view makes full-width, blank lines, a line of two chunks, no final break.
        let line = "字".repeat(CHUNK_CHARS / 4 - 12) + "發(fā)展,推动\n";
        let text = line.repeat(7) + "\n\n" + &"长".repeat(CHUNK_CHARS * 2) + "\n" + &line + "尾";
        let cleaned = crate::clean::clean(&text);
        assert!(!cleaned.noise.is_empty(), "the readings are folded");
        let view = View::build(&text, &cleaned.folded_spans(), &INDEX_VIEW);
        let (rows, grams) = index_rows(&text, usize::MAX);
        for part_bytes in [1, 1000, 100_000] {
            assert_eq!(index_rows(&text, part_bytes), (rows.clone(), grams.clone()));
        }
        let mut store = Store::open_in_memory().unwrap();
        let id = store
            .insert_document(&crate::import::prepare_text(text.clone(), "-".into(), "t"))
            .unwrap();
        let whole: Vec<char> = view.text().chars().collect();
        let seqs: Vec<u32> = rows.iter().map(|r| r.0).collect();
        let mut chunks = Vec::new();
        store
            .each_search_chunk(id, &seqs, &mut |chunk| {
                chunks.push(chunk);
                true
            })
            .unwrap();
        let mut at = 0;
        for (&(seq, start, end, ..), chunk) in rows.iter().zip(chunks) {
            assert_eq!(chunk.seq, seq);
            assert_eq!(start as usize, at);
            let expected: String = whole[start as usize..end as usize].iter().collect();
            assert_eq!(chunk.view, expected, "chunk {seq} is its slice of the view");
            assert!(chunk.view.ends_with('\n') || end as usize == whole.len());
            at = end as usize;
        }
        assert_eq!(at, whole.len());
        let line_chars = view.text().lines().next().unwrap().chars().count() + 1;
        assert_eq!(rows[0].2 - rows[0].1, 4 * line_chars as i64, "whole lines");
        assert!(
            rows.iter().any(|r| r.2 - r.1 == CHUNK_CHARS as i64 * 2 + 1),
            "a long line alone"
        );
    }

    /// The chunks of gram `g` in a whole grams blob, as a query finds them.
    fn lookup(blob: &[u8], g: u64) -> Option<Vec<u32>> {
        let (chunks, sections) = decode_directory(blob, blob.len())?;
        find_gram(&blob[sections[bucket(g) as usize].clone()], chunks, g)
    }

    #[test]
    fn gram_blobs_round_trip_and_reject_damage() {
        let grams = [
            (gram('科', None), vec![0, 3]),
            (gram('科', Some('技')), vec![3]),
            (gram('技', None), vec![1, 2, 9]),
            (gram('a', Some('i')), vec![9]),
            (gram('\u{10FFFF}', Some('\u{10FFFF}')), vec![2]),
        ];
        let mut postings = Postings::default();
        for (g, seqs) in &grams {
            seqs.iter().for_each(|&s| postings.add(*g, s));
        }
        let sorted = postings.sorted();
        let blob = encode_grams(10, &sorted);
        let single = encode_grams(1, &sorted);
        for (g, seqs) in &grams {
            assert_eq!(lookup(&blob, *g).as_ref(), Some(seqs));
            assert_eq!(lookup(&single, *g), Some(vec![0]));
        }
        for absent in [gram('学', None), gram('科', Some('学')), gram('a', None)] {
            assert_eq!(lookup(&blob, absent), Some(Vec::new()));
            assert_eq!(lookup(&single, absent), Some(Vec::new()));
        }
        let last = sorted.last().unwrap().0;
        assert_eq!(lookup(&blob[..blob.len() - 1], last), None, "cut short");
        assert_eq!(lookup(&blob[..DIRECTORY - 1], last), None, "no directory");
    }

    #[test]
    fn chunk_maps_and_views_match_the_whole_view() {
        let text = "新質(zhì)生產力,發展\n發(fā)展!\n";
        let view = View::build(text, &[Span::new(2, 7), Span::new(15, 19)], &INDEX_VIEW);
        let runs: Vec<_> = view.runs().collect();
        let span = Span::new(1, view.char_len());
        let (map, stored) = encode_map(&runs, span);
        let runs = decode_map(&map).unwrap();
        let stored_text: String = text.chars().skip(stored.start).take(stored.len()).collect();
        let chunk = Chunk {
            doc: 1,
            seq: 0,
            view_start: 1,
            view: project(&stored_text, stored.start, &runs).unwrap(),
            runs,
        };
        let whole: String = view.text().chars().skip(1).collect();
        assert_eq!(chunk.view, whole);
        assert!(chunk.view.contains("，") && chunk.view.ends_with("！\n"));
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
