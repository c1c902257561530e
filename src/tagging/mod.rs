//! Tagging the library with themes: from stored documents to stored suggestions, and the
//! themes of each passage as the user sees them.
//!
//! ```text
//! reading::load → body paragraphs (cleaned.paragraphs: stored spans; folded noise never counts)
//!   → their text in the reading view → text::fold::Shadow (Simplified)
//!   → themes::Tagger with library-wide TermStats (IDF) → suggestions per passage → store
//! ```
//!
//! A document's tagging is **stale** when the codebook revision, [`TAGGER_VERSION`] or its
//! body passages (re-cleaning, fold/unfold) changed since it was tagged, or when the library's
//! passage count moved more than [`STATS_DRIFT`] from the count its IDF weights were computed
//! on. [`refresh`] re-tags exactly the stale documents; every command that reads themes calls
//! it first, so a library imported before themes existed works. The user's decisions live
//! apart (see [`merge`]) and re-tagging never touches them. [`matrix`] (documents × themes)
//! and [`compare`] (one theme's passages in every document) read the result.

pub mod compare;
pub mod matrix;
pub mod merge;
mod shadows;
mod uncovered;

pub use shadows::each_passage_shadow;
pub use uncovered::uncovered;

use std::collections::HashMap;

use crate::doc::view::ViewOptions;
use crate::doc::{DocId, DocumentMeta, Span};
use crate::reading;
use crate::store::{DocTagging, Store, StoreError, TaggingState};
use crate::themes::{Codebook, CodebookError, DEFAULT_THRESHOLD, Tagger, TermStats};
use merge::{Decision, MatchedTerm, PassageTheme, Suggestion, SuggestionRows};

/// Bumped whenever the way suggestions are computed changes, so that stored ones are redone.
pub const TAGGER_VERSION: u32 = 2;

/// How far (as a fraction) the library's passage count may move from the one a document's IDF
/// weights were computed on before the document is re-tagged.
pub const STATS_DRIFT: f64 = 0.1;

/// At most this many themes are suggested on one passage, the best-scoring ones.
pub const MAX_THEMES_PER_PASSAGE: usize = 4;

/// In a passage longer than this (code points), a theme needs more than one keyword hit: one
/// mention in passing (a framing phrase such as 新质生产力 in a paragraph about talent) is
/// not what the paragraph is about. Headings and short items are shorter.
pub const PASSING_LENGTH: usize = 60;

/// A theme below this fraction of the passage's best score is not suggested with it: a long
/// paragraph about one thing does not collect every theme it brushes.
pub const RELATIVE_FLOOR: f32 = 0.75;

/// Why a tagging operation failed.
#[derive(Debug, thiserror::Error)]
pub enum TaggingError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Codebook(#[from] CodebookError),
    #[error("theme {theme}: not in the codebook (see `pizhu themes`)")]
    UnknownTheme { theme: String },
    #[error("theme {theme} is not suggested on passage {n}; put it there by hand with --add")]
    NotSuggested { theme: String, n: usize },
    #[error("tagging cancelled: the themes are as they were, and are tagged when next shown")]
    Cancelled,
}

/// What a re-tag is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading and folding documents' passages.
    Reading,
    /// Scoring passages (the suggestions are stored together at the end).
    Tagging,
}

/// Hears about a re-tag's progress (the CLI draws a bar; the reader's worker can report).
pub trait Progress {
    /// `done` of `total` documents are through `phase`; `doc` is the one just finished.
    fn step(&mut self, _phase: Phase, _done: usize, _total: usize, _doc: &DocumentMeta) {}
    /// Whether to stop: asked between documents; the refresh then saves nothing.
    fn cancelled(&self) -> bool {
        false
    }
}

/// A progress listener that hears nothing.
pub struct Quiet;
impl Progress for Quiet {}

/// The library's themes after a [`refresh`]: the codebook, and the suggestions of documents
/// that could not be stored (a read-only library is tagged in memory).
pub struct LibraryThemes {
    pub codebook: Codebook,
    pub revision: i64,
    /// Documents (re-)tagged by the refresh.
    pub retagged: Vec<DocId>,
    unsaved: HashMap<DocId, Vec<Suggestion>>,
}

impl LibraryThemes {
    /// A document's current suggestions.
    pub fn suggestions(&self, store: &Store, id: DocId) -> Result<Vec<Suggestion>, StoreError> {
        match self.unsaved.get(&id) {
            Some(s) => Ok(s.clone()),
            None => store.suggestions(id),
        }
    }

    /// The themes of each passage (stored spans, in order), suggestions merged with decisions.
    pub fn passage_themes(
        &self,
        store: &Store,
        id: DocId,
        passages: &[Span],
    ) -> Result<Vec<Vec<PassageTheme>>, StoreError> {
        let mut out = Vec::with_capacity(passages.len());
        self.each_passage_themes(store, id, passages, &mut |_, themes| out.push(themes))?;
        Ok(out)
    }

    /// Hands the themes of each passage (stored spans, in order) to `each` with the passage's
    /// index, in order, as [`Self::passage_themes`] would list them: the suggestions are read
    /// one passage at a time, so a document's are never all in memory.
    pub fn each_passage_themes(
        &self,
        store: &Store,
        id: DocId,
        passages: &[Span],
        each: &mut dyn FnMut(usize, Vec<PassageTheme>),
    ) -> Result<(), StoreError> {
        let decisions = store.decisions(id)?;
        let known = |theme: &str| self.codebook.get(theme).is_some();
        let mut merger = Merger {
            passages,
            decisions: &decisions,
            known: &known,
            next: 0,
            group: Vec::new(),
            each,
        };
        match self.unsaved.get(&id) {
            Some(unsaved) => {
                let mut sorted: Vec<&Suggestion> = unsaved.iter().collect();
                sorted.sort_by_key(|s| (s.passage.start, s.passage.end));
                sorted.into_iter().for_each(|s| merger.add(s.clone()));
            }
            None => store.each_suggestion(id, &mut |s| merger.add(s))?,
        }
        merger.finish();
        Ok(())
    }

    /// Records a decision on passage `n` (1-based, for messages) at stored span `passage`.
    /// Accepting needs a current suggestion; rejecting and adding work on any theme of the
    /// codebook; `None` clears the decision. Returns the decision replaced.
    pub fn decide(
        &self,
        store: &mut Store,
        id: DocId,
        (n, passage): (usize, Span),
        theme: &str,
        decision: Option<Decision>,
    ) -> Result<Option<Decision>, TaggingError> {
        if self.codebook.get(theme).is_none() {
            return Err(TaggingError::UnknownTheme {
                theme: theme.to_string(),
            });
        }
        if decision == Some(Decision::Accepted)
            && !self
                .suggestions(store, id)?
                .iter()
                .any(|s| s.passage == passage && s.theme == theme)
        {
            return Err(TaggingError::NotSuggested {
                theme: theme.to_string(),
                n,
            });
        }
        Ok(store.set_decision(id, passage, theme, decision)?)
    }
}

/// Merges a document's suggestions, arriving in passage order, with its decisions one
/// passage at a time (see [`LibraryThemes::each_passage_themes`]).
struct Merger<'a> {
    passages: &'a [Span],
    /// Sorted by passage.
    decisions: &'a [merge::DecisionRow],
    known: &'a dyn Fn(&str) -> bool,
    /// The first passage not yet handed on.
    next: usize,
    /// Suggestions of one passage, waiting for the next passage's to begin.
    group: Vec<Suggestion>,
    each: &'a mut dyn FnMut(usize, Vec<PassageTheme>),
}

impl Merger<'_> {
    fn add(&mut self, s: Suggestion) {
        if self.group.first().is_some_and(|g| g.passage != s.passage) {
            self.flush();
        }
        self.group.push(s);
    }

    /// Hands on every passage up to the waiting group's (all of them without a group).
    fn flush(&mut self) {
        let group = std::mem::take(&mut self.group);
        let key = |p: &Span| (p.start, p.end);
        let upto = group.first().map(|g| key(&g.passage));
        while let Some(&p) = self.passages.get(self.next) {
            if upto.is_some_and(|upto| key(&p) > upto) {
                break;
            }
            let lo = self
                .decisions
                .partition_point(|d| key(&d.passage) < key(&p));
            let hi = lo + self.decisions[lo..].partition_point(|d| d.passage == p);
            let suggestions = match upto == Some(key(&p)) {
                true => group.as_slice(),
                false => &[],
            };
            (self.each)(
                self.next,
                merge::merge(p, suggestions, &self.decisions[lo..hi], self.known),
            );
            self.next += 1;
        }
    }

    /// Hands on the last group's passages, then (the group now empty) every one after it.
    fn finish(mut self) {
        self.flush();
        self.flush();
    }
}

/// One document read for tagging: its passages' fingerprint and number, and their keyword
/// counts. The shadows are not kept (a 300 MB document's take as much again): tagging reads
/// them a second time.
struct Prepared {
    meta: DocumentMeta,
    key: i64,
    passages: u32,
    counts: TermStats,
}

/// Re-tags every stale document (all of them with `force`), storing the result when the
/// library is writable, and returns the library's themes.
pub fn refresh(
    store: &mut Store,
    force: bool,
    progress: &mut dyn Progress,
) -> Result<LibraryThemes, TaggingError> {
    let writable = !store.is_read_only();
    if writable {
        store.seed_codebook()?;
    }
    let (codebook, revision) = store.codebook()?;
    let base = Tagger::new(&codebook)?;
    let states = store.tagging_states()?;
    let docs = store.list_documents()?;
    let mut stale: Vec<DocumentMeta> = Vec::new();
    let mut fresh: Vec<(DocumentMeta, TaggingState)> = Vec::new();
    for meta in docs {
        let key = passages_key(store, meta.id)?;
        match states.get(&meta.id) {
            Some(&state)
                if !force
                    && state.codebook_revision == revision
                    && state.tagger_version == TAGGER_VERSION
                    && state.passages_key == key =>
            {
                fresh.push((meta, state))
            }
            _ => stale.push(meta),
        }
    }
    if stale.is_empty() && fresh.is_empty() {
        return Ok(library(codebook, revision, Vec::new(), HashMap::new()));
    }
    let total = stale.len();
    let mut prepared = Vec::with_capacity(total);
    for (i, meta) in stale.into_iter().enumerate() {
        if progress.cancelled() {
            return Err(TaggingError::Cancelled);
        }
        let p = prepare(store, meta, &base)?;
        progress.step(Phase::Reading, i + 1, total, &p.meta);
        prepared.push(p);
    }
    let stored_counts = store.term_counts()?;
    let mut stats = TermStats::default();
    for (meta, state) in &fresh {
        let counts = stored_counts.get(&meta.id).into_iter().flatten();
        stats.merge(&TermStats::from_counts(
            state.passages,
            counts.map(|(t, n)| (t.as_str(), *n)),
        ));
    }
    for p in &prepared {
        stats.merge(&p.counts);
    }
    let library_passages = stats.passages();
    let drifted: Vec<DocumentMeta> = fresh
        .into_iter()
        .filter(|(_, state)| drifted(state.library_passages, library_passages))
        .map(|(meta, _)| meta)
        .collect();
    let total = prepared.len() + drifted.len();
    for meta in drifted {
        if progress.cancelled() {
            return Err(TaggingError::Cancelled);
        }
        let p = prepare(store, meta, &base)?;
        progress.step(Phase::Reading, prepared.len() + 1, total, &p.meta);
        prepared.push(p);
    }
    let tagger = base.with_stats(&stats);
    let mut taggings = Vec::with_capacity(prepared.len());
    for (i, p) in prepared.iter().enumerate() {
        if progress.cancelled() {
            return Err(TaggingError::Cancelled);
        }
        let mut suggestions = SuggestionRows::default();
        each_passage_shadow(store, p.meta.id, &mut |_, passage, shadow| {
            suggest(&tagger, passage, shadow, &mut suggestions)
        })?;
        let tagging = DocTagging {
            state: TaggingState {
                codebook_revision: revision,
                tagger_version: TAGGER_VERSION,
                passages_key: p.key,
                passages: p.passages,
                library_passages,
            },
            suggestions,
            term_counts: p.counts.counts().map(|(t, n)| (t.to_string(), n)).collect(),
        };
        taggings.push((p.meta.id, tagging));
        progress.step(Phase::Tagging, i + 1, prepared.len(), &p.meta);
    }
    let retagged = taggings.iter().map(|(id, _)| *id).collect();
    let mut unsaved = HashMap::new();
    if writable {
        store.save_taggings(&taggings)?;
    } else {
        unsaved.extend(
            taggings
                .into_iter()
                .map(|(id, t)| (id, t.suggestions.to_suggestions())),
        );
    }
    Ok(library(codebook, revision, retagged, unsaved))
}

fn library(
    codebook: Codebook,
    revision: i64,
    retagged: Vec<DocId>,
    unsaved: HashMap<DocId, Vec<Suggestion>>,
) -> LibraryThemes {
    LibraryThemes {
        codebook,
        revision,
        retagged,
        unsaved,
    }
}

/// Whether a document tagged when the library had `then` passages needs new IDF weights now
/// that it has `now`.
fn drifted(then: u32, now: u32) -> bool {
    (f64::from(then) - f64::from(now)).abs() > STATS_DRIFT * f64::from(now.max(1))
}

/// The body passages of a document and the Simplified shadow of each, as the reading view
/// shows them (so pinyin readings and other folded noise inside a paragraph do not count).
/// Holds every shadow: tagging goes through them one at a time ([`each_passage_shadow`]).
pub fn passage_shadows(store: &Store, id: DocId) -> Result<(Vec<Span>, Vec<String>), StoreError> {
    let mut shadows = Vec::new();
    let passages = each_passage_shadow(store, id, &mut |_, _, shadow| {
        shadows.push(shadow.to_string())
    })?;
    Ok((passages, shadows))
}

fn prepare(store: &Store, meta: DocumentMeta, tagger: &Tagger) -> Result<Prepared, StoreError> {
    let mut counts = TermStats::default();
    let passages = each_passage_shadow(store, meta.id, &mut |_, _, shadow| {
        counts.add_passage(shadow, tagger)
    })?;
    Ok(Prepared {
        meta,
        key: span_key(&passages),
        passages: passages.len() as u32,
        counts,
    })
}

/// Adds to `out` the suggestions on one passage (stored span, shadow text): the tagger's (see
/// [`crate::themes::tagger`]), less single mentions in long passages ([`PASSING_LENGTH`]),
/// themes far below the passage's best ([`RELATIVE_FLOOR`]) and all but the best
/// [`MAX_THEMES_PER_PASSAGE`].
pub fn suggest(tagger: &Tagger, passage: Span, shadow: &str, out: &mut SuggestionRows) {
    let long = shadow.chars().nth(PASSING_LENGTH).is_some();
    let scores = tagger.suggest(shadow, DEFAULT_THRESHOLD);
    let best = scores.first().map_or(0.0, |s| s.score);
    let mut kept = 0;
    for s in scores {
        let hits: u32 = s.matched.iter().map(|h| h.count).sum();
        if (long && hits < 2) || s.score < best * RELATIVE_FLOOR || kept >= MAX_THEMES_PER_PASSAGE {
            continue;
        }
        kept += 1;
        out.push(&Suggestion {
            passage,
            theme: s.theme,
            score: s.score,
            matched: s
                .matched
                .into_iter()
                .map(|h| MatchedTerm {
                    term: h.term,
                    count: h.count,
                    weight: h.weight,
                })
                .collect(),
        });
    }
}

/// A document's body passages: the stored spans of its cleaned paragraphs, in order (what
/// `pizhu passages` numbers from 1).
pub fn passages(store: &Store, id: DocId) -> Result<Vec<Span>, StoreError> {
    let cleaned = store.document(id)?.is_some_and(|m| m.cleaner_version > 0);
    Ok(match cleaned {
        // The paragraphs alone: a large page's noise layer is far larger.
        true => store.paragraphs(id)?,
        false => {
            reading::load(store, id, &ViewOptions::default())?
                .cleaned
                .paragraphs
        }
    })
}

/// The fingerprint of a document's passages that tagging state records.
fn passages_key(store: &Store, id: DocId) -> Result<i64, StoreError> {
    Ok(span_key(&passages(store, id)?))
}

/// FNV-1a over the spans: stable across runs and versions of Rust.
fn span_key(spans: &[Span]) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for s in spans {
        for n in [s.start as u64, s.end as u64] {
            for byte in n.to_le_bytes() {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    hash as i64
}

#[cfg(test)]
mod tests;
