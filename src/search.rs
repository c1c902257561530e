//! Search in reading views. Matches are found in the view (so folded noise such as pinyin
//! readings never splits a word: `新質(zhì)生產力` is found as `新質生產力`), across scripts
//! (the view's Simplified shadow is searched for the folded query, so `新质生产力` finds
//! `新質生產力` and the reverse), and reported in stored-text offsets, the only offsets pizhu
//! keeps. Library search runs on the search index (`store::search_index`), built at import
//! and, for documents imported before it existed, by [`index_missing`].

use crate::doc::view::View;
use crate::doc::{DocId, Span};
use crate::reading;
use crate::store::search_index::{Chunk, INDEX_VIEW, query_grams};
use crate::store::{Store, StoreError};
use crate::text::fold::{Shadow, fold_str, sources_of};
use aho_corasick::{AhoCorasick, Input};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::Scope;

/// Characters of context shown on each side of a match.
pub const CONTEXT_CHARS: usize = 20;

/// One match in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub doc: DocId,
    /// The document's title (shared by its hits).
    pub title: Arc<str>,
    /// Where the match is in the stored text (code points).
    pub start: usize,
    pub end: usize,
    pub before: String,
    pub matched: String,
    pub after: String,
}

/// The view spans of every non-overlapping occurrence of `query` in `view`, across scripts.
pub fn find_in_view(view: &View, query: &str) -> Vec<Span> {
    find(view.text(), query)
}

/// Every non-overlapping occurrence of `query` in `text`, matching Simplified and Traditional
/// alike (and ASCII letters in any case), as code-point spans of `text`.
pub fn find(text: &str, query: &str) -> Vec<Span> {
    let query = fold_str(query);
    let shadow = Shadow::new(text);
    find_exact(shadow.text(), &query)
        .into_iter()
        .map(|span| shadow.source_span(span))
        .collect()
}

/// Every non-overlapping occurrence of `query` in `text`, exactly, as code-point spans.
fn find_exact(text: &str, query: &str) -> Vec<Span> {
    if query.is_empty() {
        return Vec::new();
    }
    let query_chars = query.chars().count();
    let mut spans = Vec::new();
    let mut chars_before = 0;
    let mut scanned = 0;
    for (at, _) in text.match_indices(query) {
        chars_before += text[scanned..at].chars().count();
        spans.push(Span::new(chars_before, chars_before + query_chars));
        chars_before += query_chars;
        scanned = at + query.len();
    }
    spans
}

/// Searches every document of the library for `query`; at most `limit` hits (all with
/// `None`), in document order, then text order. See [`search_library_each`].
pub fn search_library(
    store: &Store,
    query: &str,
    limit: Option<usize>,
) -> Result<Vec<Hit>, StoreError> {
    let mut hits = Vec::new();
    search_library_each(store, query, limit, &mut |hit| {
        hits.push(hit);
        true
    })?;
    Ok(hits)
}

/// Searches every document of the library for `query`, handing each hit to `each` as it is
/// found (in document order, then text order) until `each` returns `false` or `limit` hits
/// were handed over; returns how many were.
///
/// Indexed documents are answered from the search index (`store::search_index`): the chunks
/// holding every character pair of the query are read and matched against their shadow, one
/// chunk at a time, so memory stays flat however many hits there are. Documents not indexed
/// yet (see [`index_missing`]) are loaded and scanned, so the answer is complete on a
/// read-only library too. A match lies within one line of the view: a query holding a line
/// break finds nothing.
pub fn search_library_each(
    store: &Store,
    query: &str,
    limit: Option<usize>,
    each: &mut dyn FnMut(Hit) -> bool,
) -> Result<usize, StoreError> {
    let folded = fold_str(query);
    let mut sink = Sink {
        left: limit.unwrap_or(usize::MAX),
        handed: 0,
        each,
    };
    if folded.is_empty() || folded.contains('\n') || sink.left == 0 {
        return Ok(0);
    }
    let grams = query_grams(&folded);
    let query = Query::new(folded);
    let titles: HashMap<DocId, Arc<str>> = store
        .list_documents()?
        .into_iter()
        .map(|d| (d.id, Arc::from(d.title)))
        .collect();
    let untitled: Arc<str> = Arc::from("");
    let mut work: BTreeMap<DocId, Option<Vec<u32>>> = store
        .search_candidates(&grams)?
        .into_iter()
        .map(|(doc, seqs)| (doc, Some(seqs)))
        .collect();
    for doc in store.unindexed_documents()? {
        work.insert(doc, None);
    }
    std::thread::scope(|scope| -> Result<(), StoreError> {
        let mut matcher = Matcher::start(scope, &query);
        for (doc, chunks) in work {
            let title = titles.get(&doc).unwrap_or(&untitled);
            let more = match chunks {
                Some(seqs) => store.each_search_chunk(doc, &seqs, &mut |chunk| {
                    matcher.send(chunk, title, &mut sink)
                })?,
                None => {
                    matcher.drain(&mut sink) && scan_document(store, doc, &query, title, &mut sink)?
                }
            };
            if !more {
                return Ok(());
            }
        }
        matcher.drain(&mut sink);
        Ok(())
    })?;
    Ok(sink.handed)
}

/// Chunks read ahead of the hits being handed over: while one chunk is matched on a thread
/// of its own, the next is read and the hits of the one before are handed over.
const READ_AHEAD: usize = 2;

/// A chunk to match, and its document's title.
type Job<'q> = (Chunk, &'q Arc<str>);

/// Matches chunks on a thread beside the one that reads them (or, if none could be started,
/// on the reading thread), handing their hits over in the order the chunks were sent.
struct Matcher<'q> {
    query: &'q Query,
    /// Chunks to the thread, and their hits back; `None` without a thread.
    thread: Option<(SyncSender<Job<'q>>, Receiver<Vec<Hit>>)>,
    in_flight: usize,
}

impl<'q> Matcher<'q> {
    fn start<'scope>(scope: &'scope Scope<'scope, '_>, query: &'q Query) -> Matcher<'q>
    where
        'q: 'scope,
    {
        let (chunks, chunks_in) = mpsc::sync_channel::<Job<'q>>(READ_AHEAD);
        let (hits_out, hits) = mpsc::sync_channel(READ_AHEAD);
        let started = std::thread::Builder::new()
            .name("pizhu-search".to_string())
            .spawn_scoped(scope, move || {
                for (chunk, title) in chunks_in {
                    if hits_out.send(hits_in_chunk(&chunk, query, title)).is_err() {
                        return;
                    }
                }
            });
        Matcher {
            query,
            thread: started.ok().map(|_| (chunks, hits)),
            in_flight: 0,
        }
    }

    /// Matches a chunk, handing over the hits that are ready to `sink`; `false` once no more
    /// are wanted.
    fn send(&mut self, chunk: Chunk, title: &'q Arc<str>, sink: &mut Sink<'_>) -> bool {
        let Some((chunks, hits)) = &self.thread else {
            return hand_over(hits_in_chunk(&chunk, self.query, title), sink);
        };
        if self.in_flight == READ_AHEAD {
            self.in_flight -= 1;
            if !hits.recv().is_ok_and(|found| hand_over(found, sink)) {
                return false;
            }
        }
        self.in_flight += 1;
        chunks.send((chunk, title)).is_ok()
    }

    /// Hands over the hits of every chunk sent; `false` once no more are wanted.
    fn drain(&mut self, sink: &mut Sink<'_>) -> bool {
        let Some((_, hits)) = &self.thread else {
            return true;
        };
        while self.in_flight > 0 {
            self.in_flight -= 1;
            if !hits.recv().is_ok_and(|found| hand_over(found, sink)) {
                return false;
            }
        }
        true
    }
}

/// Hands hits over to `sink` in order; `false` once no more are wanted.
fn hand_over(hits: Vec<Hit>, sink: &mut Sink<'_>) -> bool {
    hits.into_iter().all(|hit| sink.push(hit))
}

/// Where hits go: the caller's function, up to the limit.
struct Sink<'a> {
    left: usize,
    handed: usize,
    each: &'a mut dyn FnMut(Hit) -> bool,
}

impl Sink<'_> {
    /// Hands a hit over; `false` once no more are wanted.
    fn push(&mut self, hit: Hit) -> bool {
        self.left -= 1;
        self.handed += 1;
        (self.each)(hit) && self.left > 0
    }
}

/// Indexes the documents the search index does not cover yet; `progress(done, total)` hears
/// about each. Returns how many were indexed.
pub fn index_missing(
    store: &mut Store,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize, StoreError> {
    let missing = store.unindexed_documents()?;
    for (i, &id) in missing.iter().enumerate() {
        let (text, cleaned) = reading::load_cleaned(store, id)?;
        store.index_for_search(id, &text, &cleaned)?;
        progress(i + 1, missing.len());
    }
    Ok(missing.len())
}

/// A folded query, and what finds the lines that may hold it before anything is folded.
struct Query {
    folded: String,
    /// The sources (see [`sources_of`]) of the query's first character: a line whose shadow
    /// holds the query holds one of them. `None` (every line is folded) if the automaton
    /// could not be built.
    anchor: Option<AhoCorasick>,
}

impl Query {
    fn new(folded: String) -> Query {
        let first = folded.chars().next().map(sources_of).unwrap_or_default();
        let sources: Vec<String> = first.iter().map(char::to_string).collect();
        Query {
            anchor: AhoCorasick::new(&sources).ok(),
            folded,
        }
    }

    /// The next place at or after byte `from` of `text` where a match may be.
    fn next_candidate(&self, text: &str, from: usize) -> Option<usize> {
        if from >= text.len() {
            return None;
        }
        match &self.anchor {
            Some(anchor) => anchor
                .find(Input::new(text).range(from..))
                .map(|m| m.start()),
            None => Some(from),
        }
    }

    /// Hands each match in a view's `text` to `each` — its bytes and its span of the view (code
    /// points) — in text order until `each` returns `false`; returns whether it never did.
    /// Only the lines that hold a source of the query's first character are folded and
    /// searched (a match never crosses a line).
    fn each_match(&self, text: &str, each: &mut dyn FnMut(Range<usize>, Span) -> bool) -> bool {
        // A byte offset of the text and how many characters come before it.
        let mut counted = (0, 0);
        let mut from = 0;
        while let Some(at) = self.next_candidate(text, from) {
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            from = end + 1;
            let line = &text[start..end];
            let shadow = Shadow::new(line);
            let spans = find_exact(shadow.text(), &self.folded);
            if spans.is_empty() {
                continue;
            }
            counted = (start, counted.1 + text[counted.0..start].chars().count());
            // The line's characters walked once, as the spans ascend: (code point, byte).
            let mut walked = (0, start);
            let mut byte_of = |char_at: usize| {
                walked.1 += text[walked.1..]
                    .char_indices()
                    .nth(char_at - walked.0)
                    .map_or(end - walked.1, |(at, _)| at);
                walked.0 = char_at;
                walked.1
            };
            for span in spans {
                let local = shadow.source_span(span);
                let bytes = byte_of(local.start)..byte_of(local.end);
                let in_view = Span::new(counted.1 + local.start, counted.1 + local.end);
                if !each(bytes, in_view) {
                    return false;
                }
            }
        }
        true
    }
}

/// The hits of a query in one indexed chunk.
fn hits_in_chunk(chunk: &Chunk, query: &Query, title: &Arc<str>) -> Vec<Hit> {
    let mut hits = Vec::new();
    query.each_match(&chunk.view, &mut |bytes, span| {
        hits.push(hit_at(
            chunk.doc,
            title,
            &chunk.view,
            bytes,
            chunk.stored_span(span),
        ));
        true
    });
    hits
}

/// Hands the hits of a query in a document the index does not cover (loaded and scanned) to
/// `sink`; `false` once no more are wanted.
fn scan_document(
    store: &Store,
    doc: DocId,
    query: &Query,
    title: &Arc<str>,
    sink: &mut Sink<'_>,
) -> Result<bool, StoreError> {
    let reading = reading::load(store, doc, &INDEX_VIEW)?;
    let view = &reading.view;
    Ok(query.each_match(view.text(), &mut |bytes, span| {
        sink.push(hit_at(
            doc,
            title,
            view.text(),
            bytes,
            view.stored_span(span),
        ))
    }))
}

/// The hit at `bytes` of a view's text, at `stored` in the stored text, with
/// [`CONTEXT_CHARS`] of context on each side.
fn hit_at(doc: DocId, title: &Arc<str>, view: &str, bytes: Range<usize>, stored: Span) -> Hit {
    let before = view[..bytes.start]
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .last()
        .map_or(bytes.start, |(at, _)| at);
    let after = view[bytes.end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(view.len(), |(at, _)| bytes.end + at);
    Hit {
        doc,
        title: Arc::clone(title),
        start: stored.start,
        end: stored.end,
        before: one_line(&view[before..bytes.start]),
        matched: one_line(&view[bytes.clone()]),
        after: one_line(&view[bytes.end..after]),
    }
}

/// Text as one line (line breaks become spaces).
fn one_line(text: &str) -> String {
    text.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::view::ViewOptions;

    #[test]
    fn a_word_split_by_pinyin_readings_is_found_and_mapped_to_stored_offsets() {
        let text = include_str!("../tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt");
        let cleaned = crate::clean::clean(text);
        let view = View::build(text, &cleaned.folded_spans(), &ViewOptions::default());
        let found = find_in_view(&view, "新質生產力");
        assert!(found.len() > 10, "{}", found.len());
        let stored_chars: Vec<char> = text.chars().collect();
        for span in found {
            let stored = view.stored_span(span);
            let raw: String = stored_chars[stored.start..stored.end].iter().collect();
            assert!(raw.starts_with('新') && raw.ends_with('力'), "{raw}");
            assert!(
                raw.contains("(zhì)"),
                "the stored text keeps its readings: {raw}"
            );
        }
    }

    #[test]
    fn simplified_and_traditional_find_each_other() {
        let view = View::build(
            "發展新質生產力，推动新质生产力",
            &[],
            &ViewOptions::default(),
        );
        let both = vec![Span::new(2, 7), Span::new(10, 15)];
        assert_eq!(find_in_view(&view, "新质生产力"), both);
        assert_eq!(find_in_view(&view, "新質生產力"), both);
        assert_eq!(find("Talent 人才", "TALENT"), vec![Span::new(0, 6)]);
    }

    #[test]
    fn offsets_count_code_points() {
        let view = View::build("ab科技cd科技", &[], &ViewOptions::default());
        assert_eq!(
            find_in_view(&view, "科技"),
            vec![Span::new(2, 4), Span::new(6, 8)]
        );
        assert!(find_in_view(&view, "").is_empty());
    }
    /// A library in memory holding `texts`, imported as a user would (so indexed).
    fn library(texts: &[&str]) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let sources: Vec<crate::import::Source> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| crate::import::Source::Embedded {
                name: format!("t{i}"),
                bytes: Box::leak(t.to_string().into_boxed_str()).as_bytes(),
            })
            .collect();
        let options = crate::import::ImportOptions {
            force: true,
            ..Default::default()
        };
        crate::import::run(&mut store, &sources, &options, &mut crate::import::Silent).unwrap();
        store
    }

    /// Every hit as (doc, start, end, matched).
    fn found(store: &Store, query: &str) -> Vec<(DocId, usize, usize, String)> {
        search_library(store, query, None)
            .unwrap()
            .into_iter()
            .map(|h| (h.doc, h.start, h.end, h.matched))
            .collect()
    }

    /// What the plain search of every whole reading view finds (every line folded), for
    /// comparison.
    fn scanned(store: &Store, query: &str) -> Vec<(DocId, usize, usize, String)> {
        let mut hits = Vec::new();
        for meta in store.list_documents().unwrap() {
            let reading = reading::load(store, meta.id, &INDEX_VIEW).unwrap();
            let chars: Vec<char> = reading.view.text().chars().collect();
            for span in find_in_view(&reading.view, query) {
                let stored = reading.view.stored_span(span);
                let matched = chars[span.start..span.end].iter().collect();
                hits.push((meta.id, stored.start, stored.end, matched));
            }
        }
        hits
    }

    #[test]
    fn the_index_finds_exactly_what_a_scan_of_the_views_finds() {
        use crate::text::fixtures::{KEJI, QUANQIU, RONGHE, SHANGHAI, WUDA};
        let store = library(&[KEJI, QUANQIU, RONGHE, SHANGHAI, WUDA]);
        assert!(store.unindexed_documents().unwrap().is_empty());
        let queries = [
            "新",
            "質",
            "科技",
            "創新",
            "创新",
            "新质生产力",
            "新質生產力",
            "上海",
            "ai",
            "AI",
            "，",
            "发展新质生产力",
            "樊繼達",
            "不在任何文本里",
        ];
        for query in queries {
            let indexed = found(&store, query);
            assert_eq!(indexed, scanned(&store, query), "{query}");
        }
        assert!(found(&store, "新").len() > 100);
        let both = found(&store, "新质生产力");
        assert_eq!(both, found(&store, "新質生產力"));
        assert!(both.iter().any(|h| h.0 == 5 && h.3 == "新質生產力"));
        assert!(both.iter().any(|h| h.0 == 3 && h.3 == "新质生产力"));
    }

    #[test]
    fn documents_of_several_chunks_find_what_a_scan_finds() {
        use crate::store::search_index::CHUNK_CHARS;
        use crate::text::fixtures::{KEJI, WUDA};
        let mut big = String::new();
        while big.chars().count() < 3 * CHUNK_CHARS {
            big.push_str(KEJI);
            big.push_str(WUDA);
        }
        let store = library(&[&big, KEJI]);
        let chunks: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM search_chunks WHERE doc_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(chunks >= 3, "{chunks}");
        for query in ["新", "新质生产力", "創新", "，", "ai", "樊繼達"] {
            let indexed = found(&store, query);
            assert!(!indexed.is_empty(), "{query}");
            assert_eq!(indexed, scanned(&store, query), "{query}");
        }
    }

    #[test]
    fn short_and_ascii_queries_are_exact_with_stored_offsets() {
        let store = library(&["甲乙\nTalent 人才，TALENT\n發展新質\n"]);
        let hits = found(&store, "talent");
        assert_eq!(
            hits,
            vec![
                (1, 3, 9, "Talent".to_string()),
                (1, 13, 19, "TALENT".to_string())
            ]
        );
        assert_eq!(found(&store, "乙"), vec![(1, 1, 2, "乙".to_string())]);
        assert_eq!(found(&store, "人才"), vec![(1, 10, 12, "人才".to_string())]);
        assert_eq!(
            found(&store, "发展新"),
            vec![(1, 20, 23, "發展新".to_string())]
        );
        assert!(
            found(&store, "乙\nt").is_empty(),
            "no match spans a line break"
        );
        assert_eq!(search_library(&store, "a", Some(1)).unwrap().len(), 1);
    }

    #[test]
    fn hits_are_handed_over_in_order_until_no_more_are_wanted() {
        use crate::text::fixtures::{KEJI, WUDA};
        let store = library(&[KEJI, WUDA]);
        let all = search_library(&store, "新", None).unwrap();
        let mut seen = Vec::new();
        let handed = search_library_each(&store, "新", None, &mut |hit| {
            seen.push(hit);
            seen.len() < 7
        })
        .unwrap();
        assert_eq!((handed, seen.as_slice()), (7, &all[..7]));
        assert_eq!(search_library(&store, "新", Some(5)).unwrap(), all[..5]);
        assert_eq!(search_library(&store, "新", Some(0)).unwrap(), []);
    }

    #[test]
    fn candidates_holding_every_pair_but_not_the_query_are_not_hits() {
        let store = library(&["新质 生产力，质生产\n新质\n生产力"]);
        assert!(found(&store, "新质生产力").is_empty());
        assert!(found(&store, "质生产力").is_empty());
        assert_eq!(found(&store, "质生产").len(), 1);
    }

    #[test]
    fn documents_outside_the_index_are_scanned_then_indexed() {
        let mut store = library(&["科技创新\n", "创新驱动"]);
        store
            .conn()
            .execute("DELETE FROM indexed_docs WHERE doc_id = 1", [])
            .unwrap();
        let chunks: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM search_chunks WHERE doc_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(chunks, 0, "the document's index rows went with it");
        assert_eq!(store.unindexed_documents().unwrap(), vec![1]);
        let before = found(&store, "创新");
        assert_eq!(before.len(), 2);
        assert_eq!(index_missing(&mut store, &mut |_, _| {}).unwrap(), 1);
        assert_eq!(found(&store, "创新"), before);
    }

    #[test]
    fn removing_or_recleaning_a_document_drops_its_index_rows() {
        let mut store = library(&["科技创新\n", "创新驱动"]);
        let rows = |store: &Store, table: &str| -> i64 {
            store
                .conn()
                .query_row(
                    &format!("SELECT count(*) FROM {table} WHERE doc_id = 1"),
                    [],
                    |r| r.get(0),
                )
                .unwrap()
        };
        assert!(rows(&store, "search_chunks") > 0 && rows(&store, "search_grams") > 0);
        let index = store.char_index(1).unwrap().expect("written at import");
        store.save_char_index(1, &index).unwrap();
        assert!(
            store.unindexed_documents().unwrap().is_empty(),
            "the char index is not cleaning"
        );
        crate::reading::reclean(&mut store, 1).unwrap();
        assert_eq!(store.unindexed_documents().unwrap(), vec![1]);
        index_missing(&mut store, &mut |_, _| {}).unwrap();
        assert!(store.remove_document(1).unwrap());
        for table in ["indexed_docs", "search_chunks", "search_grams"] {
            assert_eq!(rows(&store, table), 0, "{table}");
        }
        assert_eq!(found(&store, "创新").len(), 1);
    }
}
