//! Keyword tagging: scores every theme of a codebook on one passage of folded Simplified text.
//!
//! One Aho-Corasick automaton holds every keyword of every theme. Matching is
//! **leftmost-longest, non-overlapping**: scanning left to right, the first position where any
//! keyword starts wins, and there the longest keyword wins; the scan resumes after it. So
//! 科技金融 is one hit (not 金融 too), a keyword inside a longer keyword of another theme is
//! not counted there, and of two overlapping keywords the one that starts first wins
//! (新质生产力 over 生产力). A hit of a term listed by several themes counts for each.
//!
//! **Hierarchy:** a hit counts for the keyword's theme and for all its ancestors, so a parent's
//! evidence contains its children's and a suggested child always implies a suggested parent.
//!
//! **Score** of theme `t` on a passage of `L` code points:
//!
//! ```text
//! E = Σ_term  w_term · idf_term · (1 + ln count_term)          weighted hits
//! d = E / (max(L, LENGTH_FLOOR) / 100) ^ LENGTH_EXPONENT        per ~100 code points
//! score = d / (d + HALF_SATURATION)                             in [0, 1)
//! ```
//!
//! A theme is suggested when `score ≥ threshold`, its *evidence* — the same sum without
//! the IDF factor, `Σ w · (1 + ln count)` — is at least `MIN_EVIDENCE`, and at least one hit is
//! an *anchor*, a keyword of weight ≥ `ANCHOR_WEIGHT`. `w` is the keyword
//! weight, `idf` 1 unless [`Tagger::with_stats`] gave library statistics. The length floor
//! keeps a short heading with one hit from scoring like a dense paragraph; the exponent < 1
//! lets a long paragraph that keeps returning to a theme qualify without needing a hit every
//! few words; the minimum evidence stops one weak or generic keyword from making a suggestion
//! on its own, however short the passage and whatever the library statistics say; the anchor
//! keeps a pile of loose terms (place names, 资金, 平台) from making a suggestion without one
//! clear term of the theme (the codebook's weight guide: below 1.0 is "related but loose").

use std::cell::RefCell;
use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::{Deserialize, Serialize};

use super::codebook::{Codebook, CodebookError};
use crate::doc::Span;
use crate::text::fold::fold_str;

/// Default score a theme needs on a passage to be suggested.
pub const DEFAULT_THRESHOLD: f32 = 0.5;
/// Keyword-weighted hits (without IDF) a suggestion needs at least, whatever the length.
pub const MIN_EVIDENCE: f32 = 1.0;
/// A suggestion needs a hit of at least this keyword weight.
pub const ANCHOR_WEIGHT: f32 = 1.0;
/// Passages shorter than this many code points are scored as if this long.
pub const LENGTH_FLOOR: f32 = 40.0;
/// How strongly length dilutes evidence: 1 = pure density, 0 = raw counts.
pub const LENGTH_EXPONENT: f32 = 0.7;
/// Evidence per 100 code points (at `LENGTH_EXPONENT`) at which the score reaches 0.5.
pub const HALF_SATURATION: f32 = 1.0;

/// Passages of prior weight that pull IDF factors towards 1 in a small library.
const IDF_PRIOR_PASSAGES: f32 = 50.0;
const IDF_MIN: f32 = 0.25;
const IDF_MAX: f32 = 1.5;

/// Scores themes on passages with one automaton over all keyword terms. Terms are folded
/// like the text they are matched in (Traditional → Simplified, ASCII letters lower-cased), so
/// a keyword `AI` or `新質生產力` matches the shadow; terms that fold alike are one term.
#[derive(Clone, Debug)]
pub struct Tagger {
    automaton: AhoCorasick,
    /// Indexed by automaton pattern id.
    terms: Vec<TermEntry>,
    /// Theme ids in codebook order.
    themes: Vec<String>,
}

#[derive(Clone, Debug)]
struct TermEntry {
    /// The keyword as the codebook spells it (shown in explanations, counted in statistics).
    term: String,
    /// Whether the folded term begins / ends with an ASCII letter or digit (a hit there needs a
    /// word boundary).
    ascii_start: bool,
    ascii_end: bool,
    /// Distinctiveness factor from library statistics (1 without).
    idf: f32,
    /// Themes the term counts for (its own and their ancestors) with the keyword weight.
    targets: Vec<(usize, f32)>,
}

/// The evidence of one theme on one passage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThemeScore {
    /// Theme id.
    pub theme: String,
    /// In [0, 1); compare with a threshold.
    pub score: f32,
    /// Keyword-weighted hits `Σ w · (1 + ln count)`, without IDF or length normalisation:
    /// what [`MIN_EVIDENCE`] is compared with.
    pub evidence: f32,
    /// The largest keyword weight (without IDF) among the hits: what [`ANCHOR_WEIGHT`] is
    /// compared with.
    pub anchor: f32,
    /// The terms that matched, weightiest first: the suggestion's explanation.
    pub matched: Vec<TermHit>,
}

/// One keyword's hits in a passage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TermHit {
    pub term: String,
    pub count: u32,
    /// Effective weight of one hit for this theme: keyword weight × IDF factor.
    pub weight: f32,
    /// Where it matched, in code points within the passage.
    pub spans: Vec<Span>,
}

/// In how many passages of a library each keyword term matches (as the tagger matches it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TermStats {
    passages: u32,
    passage_freq: HashMap<String, u32>,
}

impl TermStats {
    /// Counts, over `passages`, in how many passages each of the tagger's terms matches.
    pub fn from_passages<'a>(
        passages: impl IntoIterator<Item = &'a str>,
        tagger: &Tagger,
    ) -> TermStats {
        let mut stats = TermStats::default();
        for p in passages {
            stats.add_passage(p, tagger);
        }
        stats
    }

    /// Adds one passage to the counts.
    pub fn add_passage(&mut self, passage: &str, tagger: &Tagger) {
        self.passages += 1;
        let mut seen: Vec<usize> = Vec::new();
        for m in tagger.hits(passage) {
            let id = m.pattern().as_usize();
            if !seen.contains(&id) {
                seen.push(id);
                *self
                    .passage_freq
                    .entry(tagger.terms[id].term.clone())
                    .or_default() += 1;
            }
        }
    }

    /// Statistics from stored counts: `passages` counted, and per term the passages it
    /// matched in. Counts of the same term add up.
    pub fn from_counts<S: Into<String>>(
        passages: u32,
        counts: impl IntoIterator<Item = (S, u32)>,
    ) -> TermStats {
        let mut stats = TermStats {
            passages,
            passage_freq: HashMap::new(),
        };
        for (term, n) in counts {
            *stats.passage_freq.entry(term.into()).or_default() += n;
        }
        stats
    }

    /// Adds another set of counts (another document's) to these.
    pub fn merge(&mut self, other: &TermStats) {
        self.passages += other.passages;
        for (term, n) in &other.passage_freq {
            *self.passage_freq.entry(term.clone()).or_default() += n;
        }
    }

    /// Every counted term with the number of passages it matched in, in no order.
    pub fn counts(&self) -> impl Iterator<Item = (&str, u32)> {
        self.passage_freq.iter().map(|(t, &n)| (t.as_str(), n))
    }

    /// Number of passages counted.
    pub fn passages(&self) -> u32 {
        self.passages
    }

    /// Number of passages in which `term` matched.
    pub fn passage_frequency(&self, term: &str) -> u32 {
        self.passage_freq.get(term).copied().unwrap_or(0)
    }

    /// `ln(1 + N / (1 + df))`: the raw inverse passage frequency of a term.
    fn raw_idf(&self, term: &str) -> f32 {
        (1.0 + self.passages as f32 / (1.0 + self.passage_frequency(term) as f32)).ln()
    }
}

impl Tagger {
    /// Builds the automaton for a codebook. Fails if the codebook does not validate or is
    /// too large for one automaton.
    pub fn new(codebook: &Codebook) -> Result<Tagger, CodebookError> {
        codebook.validate()?;
        let themes: Vec<String> = codebook.themes.iter().map(|t| t.id.clone()).collect();
        let index: HashMap<&str, usize> = themes
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let mut terms: Vec<TermEntry> = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut by_pattern: HashMap<String, usize> = HashMap::new();
        for (i, theme) in codebook.themes.iter().enumerate() {
            let mut lineage = vec![i];
            lineage.extend(
                codebook
                    .ancestors(&theme.id)
                    .iter()
                    .filter_map(|a| index.get(a).copied()),
            );
            for k in &theme.keywords {
                let pattern = fold_str(&k.term);
                let slot = *by_pattern.entry(pattern.clone()).or_insert_with(|| {
                    let bytes = pattern.as_bytes();
                    terms.push(TermEntry {
                        term: k.term.clone(),
                        ascii_start: bytes.first().is_some_and(u8::is_ascii_alphanumeric),
                        ascii_end: bytes.last().is_some_and(u8::is_ascii_alphanumeric),
                        idf: 1.0,
                        targets: Vec::new(),
                    });
                    patterns.push(pattern);
                    terms.len() - 1
                });
                let targets = &mut terms[slot].targets;
                for &t in &lineage {
                    match targets.iter_mut().find(|(theme, _)| *theme == t) {
                        Some((_, w)) => *w = w.max(k.weight),
                        None => targets.push((t, k.weight)),
                    }
                }
            }
        }
        let build = |kind| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(kind)
                .build(&patterns)
        };
        // A DFA is fastest; a codebook too large for one falls back to an NFA.
        let automaton = build(Some(AhoCorasickKind::DFA))
            .or_else(|_| build(None))
            .map_err(|e| CodebookError::TooLarge {
                message: e.to_string(),
            })?;
        Ok(Tagger {
            automaton,
            terms,
            themes,
        })
    }

    /// Weights every term by how distinctive it is in the library. The factor is the term's
    /// raw IDF `ln(1 + N/(1+df))` divided by the mean raw IDF of all keyword hits in the
    /// library (so the average hit keeps weight 1 and the threshold keeps its meaning), shrunk
    /// towards 1 by a prior of 50 passages (a small library says little), clamped to
    /// [0.25, 1.5]. Without this, a hit weighs its keyword weight.
    pub fn with_stats(mut self, stats: &TermStats) -> Tagger {
        let (mut sum, mut hits) = (0.0f32, 0.0f32);
        for t in &self.terms {
            let df = stats.passage_frequency(&t.term) as f32;
            sum += df * stats.raw_idf(&t.term);
            hits += df;
        }
        if hits == 0.0 || sum <= 0.0 {
            return self;
        }
        let mean = sum / hits;
        let n = stats.passages() as f32;
        for t in &mut self.terms {
            let relative = stats.raw_idf(&t.term) / mean;
            t.idf = ((n * relative + IDF_PRIOR_PASSAGES) / (n + IDF_PRIOR_PASSAGES))
                .clamp(IDF_MIN, IDF_MAX);
        }
        self
    }

    /// Theme ids in codebook order.
    pub fn theme_ids(&self) -> &[String] {
        &self.themes
    }

    /// Whether any keyword matches inside `text`.
    pub fn matches_any(&self, text: &str) -> bool {
        self.hits(text).next().is_some()
    }

    /// The automaton's matches in `text`, less those of a keyword that begins or ends with an
    /// ASCII letter or digit where the text continues with one: `ai` is not a hit in `email`.
    fn hits<'a>(&'a self, text: &'a str) -> impl Iterator<Item = aho_corasick::Match> + 'a {
        let bytes = text.as_bytes();
        let alnum = |i: Option<usize>| {
            i.and_then(|i| bytes.get(i))
                .is_some_and(u8::is_ascii_alphanumeric)
        };
        self.automaton.find_iter(text).filter(move |m| {
            let entry = &self.terms[m.pattern().as_usize()];
            !(entry.ascii_start && alnum(m.start().checked_sub(1))
                || entry.ascii_end && alnum(Some(m.end())))
        })
    }

    /// The automaton, for benchmarks against the bare scan.
    #[cfg(test)]
    pub(crate) fn automaton(&self) -> &AhoCorasick {
        &self.automaton
    }

    /// Every keyword term, each once.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|t| t.term.as_str())
    }

    /// Scores every theme with at least one hit on `passage` (folded Simplified text),
    /// highest score first; ties in codebook order.
    pub fn score(&self, passage: &str) -> Vec<ThemeScore> {
        with_scratch(|scratch| {
            self.scan(passage, scratch);
            self.sum(scratch);
            let sums = &scratch.sums;
            sums.iter().map(|sum| self.explain(scratch, sum)).collect()
        })
    }

    /// The suggestions on `passage`: equal to cloning [`suggestions`]`(&self.score(passage),
    /// threshold)`, but builds explanations only for the themes that pass, so it is the fast
    /// path for tagging a whole library.
    pub fn suggest(&self, passage: &str, threshold: f32) -> Vec<ThemeScore> {
        with_scratch(|scratch| {
            self.scan(passage, scratch);
            self.sum(scratch);
            scratch
                .sums
                .iter()
                .filter(|sum| passes(sum.score, sum.evidence, sum.anchor, threshold))
                .map(|sum| self.explain(scratch, sum))
                .collect()
        })
    }

    /// Fills `scratch.matches` (sorted by term, then position), `scratch.terms` and
    /// `scratch.norm` for a passage.
    fn scan(&self, passage: &str, scratch: &mut Scratch) {
        let bytes = passage.as_bytes();
        let matches = &mut scratch.matches;
        matches.clear();
        let (mut byte_pos, mut char_pos) = (0usize, 0usize);
        for m in self.hits(passage) {
            char_pos += count_chars(&bytes[byte_pos..m.start()]);
            let start = char_pos;
            char_pos += count_chars(&bytes[m.start()..m.end()]);
            byte_pos = m.end();
            matches.push((m.pattern().as_u32(), Span::new(start, char_pos)));
        }
        let length = (char_pos + count_chars(&bytes[byte_pos..])) as f32;
        matches.sort_unstable_by_key(|&(term, span)| (term, span.start));
        scratch.terms.clear();
        for (i, &(term, _)) in matches.iter().enumerate() {
            match scratch.terms.last_mut() {
                Some((t, _, end)) if *t == term as usize => *end = i + 1,
                _ => scratch.terms.push((term as usize, i, i + 1)),
            }
        }
        scratch.norm = (length.max(LENGTH_FLOOR) / 100.0).powf(LENGTH_EXPONENT);
    }

    /// Fills `scratch.sums`: per-theme totals, sorted by score (ties in codebook order).
    fn sum(&self, scratch: &mut Scratch) {
        let sums = &mut scratch.sums;
        sums.clear();
        for &(term, from, to) in &scratch.terms {
            let entry = &self.terms[term];
            let repeat = repeat_factor(to - from);
            for &(theme, kw_weight) in &entry.targets {
                let i = match sums.iter().position(|s| s.theme == theme) {
                    Some(i) => i,
                    None => {
                        sums.push(ThemeSum {
                            theme,
                            score: 0.0,
                            evidence: 0.0,
                            anchor: 0.0,
                        });
                        sums.len() - 1
                    }
                };
                sums[i].score += kw_weight * entry.idf * repeat;
                sums[i].evidence += kw_weight * repeat;
                sums[i].anchor = sums[i].anchor.max(kw_weight);
            }
        }
        for sum in sums.iter_mut() {
            let d = sum.score / scratch.norm;
            sum.score = d / (d + HALF_SATURATION);
        }
        sums.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.theme.cmp(&b.theme)));
    }

    /// The full [`ThemeScore`] of one theme: its matched terms, weightiest first (ties by
    /// first occurrence).
    fn explain(&self, scratch: &Scratch, sum: &ThemeSum) -> ThemeScore {
        // (contribution, first position, term, from, to, weight)
        let mut parts: Vec<(f32, usize, usize, usize, usize, f32)> = Vec::new();
        for &(term, from, to) in &scratch.terms {
            let entry = &self.terms[term];
            if let Some(&(_, kw_weight)) = entry.targets.iter().find(|(t, _)| *t == sum.theme) {
                let weight = kw_weight * entry.idf;
                let first = scratch.matches[from].1.start;
                parts.push((
                    weight * repeat_factor(to - from),
                    first,
                    term,
                    from,
                    to,
                    weight,
                ));
            }
        }
        parts.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let matched = parts
            .iter()
            .map(|&(_, _, term, from, to, weight)| TermHit {
                term: self.terms[term].term.clone(),
                count: (to - from) as u32,
                weight,
                spans: scratch.matches[from..to].iter().map(|&(_, s)| s).collect(),
            })
            .collect();
        ThemeScore {
            theme: self.themes[sum.theme].clone(),
            score: sum.score,
            evidence: sum.evidence,
            anchor: sum.anchor,
            matched,
        }
    }
}

/// Working memory of one scoring call, kept per thread so that tagging a library does not
/// allocate it for every passage.
#[derive(Default)]
struct Scratch {
    /// (term, span) of every match, sorted by term then position.
    matches: Vec<(u32, Span)>,
    /// (term, from, to): the range of `matches` of each distinct term.
    terms: Vec<(usize, usize, usize)>,
    /// `(max(L, LENGTH_FLOOR) / 100) ^ LENGTH_EXPONENT`.
    norm: f32,
    sums: Vec<ThemeSum>,
}

/// One theme's totals on a passage before explanation.
struct ThemeSum {
    theme: usize,
    score: f32,
    evidence: f32,
    anchor: f32,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's scratch memory (or a fresh one if it is in use).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        Err(_) => f(&mut Scratch::default()),
    })
}

/// `1 + ln(count)`: repeats of a term count less and less.
fn repeat_factor(count: usize) -> f32 {
    1.0 + (count as f32).ln()
}

fn passes(score: f32, evidence: f32, anchor: f32, threshold: f32) -> bool {
    score >= threshold && evidence >= MIN_EVIDENCE && anchor >= ANCHOR_WEIGHT
}

/// The scores that become suggestions: `score ≥ threshold`, `evidence ≥ MIN_EVIDENCE` and
/// `anchor ≥ ANCHOR_WEIGHT`.
pub fn suggestions(scores: &[ThemeScore], threshold: f32) -> Vec<&ThemeScore> {
    scores
        .iter()
        .filter(|s| passes(s.score, s.evidence, s.anchor, threshold))
        .collect()
}

/// Code points in a UTF-8 byte slice: the bytes that are not continuation bytes.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::themes::codebook::{Keyword, Theme};
    use proptest::prelude::*;

    fn theme(id: &str, parent: Option<&str>, keywords: Vec<Keyword>) -> Theme {
        Theme {
            id: id.to_string(),
            name: id.to_string(),
            name_hant: String::new(),
            name_en: String::new(),
            color: "#000000".to_string(),
            description: String::new(),
            parent: parent.map(str::to_string),
            keywords,
        }
    }

    fn tagger() -> Tagger {
        let cb = Codebook {
            themes: vec![
                theme("finance", None, vec!["金融".into(), "科技金融".into()]),
                theme("econ", None, vec!["金融".into(), "经济".into()]),
                theme(
                    "npf",
                    None,
                    vec![Keyword::weighted("新质生产力", 2.0), "生产力".into()],
                ),
                theme("tech", None, vec!["关键核心技术".into(), "AI".into()]),
                theme("chips", Some("tech"), vec!["芯片".into()]),
            ],
        };
        Tagger::new(&cb).expect("tagger")
    }

    fn get<'a>(scores: &'a [ThemeScore], id: &str) -> Option<&'a ThemeScore> {
        scores.iter().find(|s| s.theme == id)
    }

    fn terms(s: &ThemeScore) -> Vec<(&str, u32)> {
        s.matched
            .iter()
            .map(|h| (h.term.as_str(), h.count))
            .collect()
    }

    #[test]
    fn longest_keyword_wins() {
        let t = tagger();
        let scores = t.score("发展科技金融。");
        let finance = get(&scores, "finance").expect("finance");
        assert_eq!(terms(finance), vec![("科技金融", 1)]);
        assert!(
            get(&scores, "econ").is_none(),
            "金融 inside 科技金融 is not a hit"
        );
        // A bare 金融 counts for both themes that list it.
        let scores = t.score("金融");
        assert!(get(&scores, "finance").is_some() && get(&scores, "econ").is_some());
    }

    #[test]
    fn overlapping_keywords_leftmost_wins() {
        let t = tagger();
        let scores = t.score("发展新质生产力");
        assert_eq!(
            terms(get(&scores, "npf").expect("npf")),
            vec![("新质生产力", 1)]
        );
        assert_eq!(get(&scores, "npf").map(|s| s.evidence), Some(2.0));
    }

    #[test]
    fn spans_are_code_points() {
        let t = tagger();
        // Shadow text: ASCII letters are lower-cased there, and so is the keyword `AI`.
        let text = "ab推动ai和芯片,芯片!";
        let scores = t.score(text);
        let chips = get(&scores, "chips").expect("chips");
        assert_eq!(
            chips.matched[0].spans,
            vec![Span::new(7, 9), Span::new(10, 12)]
        );
        assert_eq!(chips.matched[0].count, 2);
        let tech = get(&scores, "tech").expect("tech");
        let ai = tech
            .matched
            .iter()
            .find(|h| h.term == "AI")
            .expect("AI, as spelt");
        assert_eq!(ai.spans, vec![Span::new(4, 6)]);
        // An ASCII keyword is a word: not a hit inside another one, a hit next to Chinese.
        assert!(
            t.score("email, said, aims, 5ai")
                .iter()
                .all(|s| s.theme != "tech")
        );
        assert!(!t.matches_any("said"));
        assert!(t.matches_any("ai芯"));
    }

    #[test]
    fn child_hits_count_for_the_parent() {
        let t = tagger();
        let scores = t.score("芯片");
        let chips = get(&scores, "chips").expect("chips");
        let tech = get(&scores, "tech").expect("tech");
        assert_eq!(chips.score, tech.score);
        assert_eq!(terms(tech), vec![("芯片", 1)]);
        let sugg: Vec<&str> = suggestions(&scores, DEFAULT_THRESHOLD)
            .iter()
            .map(|s| s.theme.as_str())
            .collect();
        assert_eq!(sugg, vec!["tech", "chips"], "ties in codebook order");
    }

    #[test]
    fn length_normalisation() {
        let t = tagger();
        let heading = "一、打赢关键核心技术攻坚战";
        let filler = "推动高质量发展,坚持系统观念,统筹发展和安全。".repeat(25);
        let long_one = format!("{filler}关键核心技术{filler}");
        let long_many = format!("{}关键核心技术", filler.replace("统筹", "关键核心技术"));
        let s_heading = t.score(heading)[0].score;
        let s_long_one = t.score(&long_one)[0].score;
        let s_long_many = t.score(&long_many)[0].score;
        assert!(s_heading >= DEFAULT_THRESHOLD, "{s_heading}");
        assert!(s_long_one < 0.2, "one hit in ~600 chars: {s_long_one}");
        assert!(s_long_many >= DEFAULT_THRESHOLD, "{s_long_many}");
        // Very short passages are scored as LENGTH_FLOOR long: no boost from being tiny.
        assert_eq!(
            t.score("关键核心技术")[0].score,
            t.score("关键核心技术。。")[0].score
        );
        // Repeats count less than distinct terms.
        let twice = t.score("经济经济")[0].evidence;
        assert!(twice > 1.0 && twice < 2.0);
    }

    #[test]
    fn minimum_evidence_and_an_anchor() {
        let cb = Codebook {
            themes: vec![theme(
                "x",
                None,
                vec![
                    Keyword::weighted("改革", 0.6),
                    Keyword::weighted("体制", 0.5),
                    Keyword::weighted("揭榜挂帅", 1.0),
                ],
            )],
        };
        let t = Tagger::new(&cb).expect("tagger");
        let scores = t.score("改革");
        assert!(scores[0].score >= DEFAULT_THRESHOLD);
        assert!(suggestions(&scores, DEFAULT_THRESHOLD).is_empty());
        // Enough evidence from loose terms, but no clear term: no suggestion.
        let scores = t.score("改革体制改革体制改革体制改革");
        assert!(scores[0].evidence >= MIN_EVIDENCE && scores[0].anchor < ANCHOR_WEIGHT);
        assert!(suggestions(&scores, DEFAULT_THRESHOLD).is_empty());
        let scores = t.score("改革：揭榜挂帅");
        assert_eq!(scores[0].anchor, 1.0);
        assert_eq!(suggestions(&scores, DEFAULT_THRESHOLD).len(), 1);
    }

    #[test]
    fn stats_favour_distinctive_terms() {
        let t = tagger();
        let mut library: Vec<String> = (0..200).map(|i| format!("经济段落{i}")).collect();
        library.push("金融".to_string());
        let stats = TermStats::from_passages(library.iter().map(String::as_str), &t);
        assert_eq!(stats.passages(), 201);
        assert_eq!(stats.passage_frequency("经济"), 200);
        assert_eq!(stats.passage_frequency("芯片"), 0);
        let weighted = t.clone().with_stats(&stats);
        let econ = |tagger: &Tagger, text: &str| {
            get(&tagger.score(text), "econ").map(|s| s.matched[0].weight)
        };
        let plain = econ(&t, "经济").expect("hit");
        let common = econ(&weighted, "经济").expect("hit");
        let rare = econ(&weighted, "金融").expect("hit");
        assert!(common < plain, "{common} < {plain}");
        assert!(rare > plain && rare <= 1.5, "{rare}");
        // IDF moves the score, not the evidence that MIN_EVIDENCE checks.
        let evidence = |tagger: &Tagger| tagger.score("经济")[0].evidence;
        assert_eq!(evidence(&weighted), evidence(&t));
        // No statistics worth the name: weights unchanged.
        let none = t.clone().with_stats(&TermStats::default());
        assert_eq!(none.score("经济金融"), t.score("经济金融"));
    }

    #[test]
    fn suggest_equals_filtered_score() {
        let t = tagger();
        for text in [
            "",
            "芯片",
            "金融经济科技金融",
            "关键核心技术芯片AI,新质生产力。生产力",
        ] {
            let via_score: Vec<ThemeScore> = suggestions(&t.score(text), DEFAULT_THRESHOLD)
                .into_iter()
                .cloned()
                .collect();
            assert_eq!(t.suggest(text, DEFAULT_THRESHOLD), via_score, "{text}");
        }
    }

    #[test]
    fn invalid_codebooks_are_refused() {
        let cb = Codebook {
            themes: vec![theme("x", Some("y"), vec!["甲".into()])],
        };
        assert!(matches!(
            Tagger::new(&cb),
            Err(CodebookError::UnknownParent { .. })
        ));
        let empty = Tagger::new(&Codebook::default()).expect("empty codebook");
        assert!(empty.score("任何文字").is_empty());
    }

    proptest! {
        #[test]
        fn score_never_panics_and_spans_point_at_terms(
            parts in proptest::collection::vec(
                prop_oneof![
                    any::<String>(),
                    Just("科技金融".to_string()),
                    Just("金融".to_string()),
                    Just("新质生产力".to_string()),
                    Just("芯片".to_string()),
                    Just("AI".to_string()),
                    "[生产力金融科技芯片A-Z,。 ]{0,12}",
                ],
                0..12,
            )
        ) {
            let t = tagger();
            let text: String = parts.concat();
            let chars: Vec<char> = text.chars().collect();
            for s in t.score(&text) {
                prop_assert!(s.score >= 0.0 && s.score < 1.0);
                prop_assert!(s.evidence > 0.0);
                for hit in &s.matched {
                    prop_assert_eq!(hit.count as usize, hit.spans.len());
                    for span in &hit.spans {
                        prop_assert!(span.start < span.end && span.end <= chars.len());
                        // The tagger matches folded text: `ai` is the term `AI`.
                        let found: String = chars[span.start..span.end].iter().collect();
                        prop_assert_eq!(fold_str(&found), fold_str(&hit.term));
                    }
                }
            }
        }
    }
}
