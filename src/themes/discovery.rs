//! Theme discovery: frequent, distinctive words of a library that no keyword covers yet.
//!
//! Works on word lists (one per document, from the segmenter). A word is *covered* when a
//! keyword matches inside it (科技人才 contains 人才) or it is part of a keyword (核心 in
//! 关键核心技术); everything else with at least two code points and a Han character is a
//! candidate, ranked by TF-IDF summed over documents:
//!
//! ```text
//! score(w) = Σ_d count(w, d) / words(d)  ·  ln((1 + N) / (1 + df(w)))
//! ```
//!
//! A word found in every document gets 0 and is left out, so this needs at least two
//! documents to say anything. With a *focus* document, the term frequencies are that
//! document's alone (its distinctive uncovered words), the document frequencies still the
//! library's.

use std::collections::{HashMap, HashSet};

use super::tagger::Tagger;

/// A candidate keyword found by [`uncovered_terms`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct UncoveredTerm {
    pub term: String,
    /// Summed TF-IDF (see the module docs).
    pub score: f32,
    /// Occurrences in the whole library.
    pub count: u32,
    /// Documents containing it.
    pub documents: u32,
}

/// The `limit` best uncovered words of `documents` (each a list of words), best first; ties
/// by term. Words seen only once in the library are skipped. With `focus` (an index into
/// `documents`), only that document's words are candidates and its term frequencies count.
pub fn uncovered_terms<D, W, S>(
    documents: D,
    focus: Option<usize>,
    tagger: &Tagger,
    limit: usize,
) -> Vec<UncoveredTerm>
where
    D: IntoIterator<Item = W>,
    W: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let parts: HashSet<&str> = tagger.terms().flat_map(substrings).collect();
    // word -> (summed term frequency, count, documents)
    let mut table: HashMap<String, (f32, u32, u32)> = HashMap::new();
    let mut n_docs = 0u32;
    for (index, doc) in documents.into_iter().enumerate() {
        n_docs += 1;
        let counts_tf = focus.is_none_or(|f| f == index);
        let mut counts: HashMap<String, u32> = HashMap::new();
        let mut total = 0u32;
        for word in doc {
            total += 1;
            let word = word.as_ref();
            if word.chars().count() >= 2
                && word.chars().any(is_han)
                && !parts.contains(word)
                && !tagger.matches_any(word)
            {
                *counts.entry(word.to_string()).or_default() += 1;
            }
        }
        for (word, c) in counts {
            let e = table.entry(word).or_default();
            if counts_tf {
                e.0 += c as f32 / total.max(1) as f32;
            }
            e.1 += c;
            e.2 += 1;
        }
    }
    let n = n_docs as f32;
    let mut out: Vec<UncoveredTerm> = table
        .into_iter()
        .filter(|(_, (_, count, _))| *count >= 2)
        .map(|(term, (tf, count, df))| UncoveredTerm {
            term,
            score: tf * ((1.0 + n) / (1.0 + df as f32)).ln(),
            count,
            documents: df,
        })
        .filter(|u| u.score > 0.0)
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.term.cmp(&b.term))
    });
    out.truncate(limit);
    out
}

/// Every substring of `s` that starts and ends on a char boundary.
fn substrings(s: &str) -> impl Iterator<Item = &str> {
    let bounds: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect();
    let pairs: Vec<(usize, usize)> = (0..bounds.len())
        .flat_map(|i| ((i + 1)..bounds.len()).map(move |j| (i, j)))
        .map(|(i, j)| (bounds[i], bounds[j]))
        .collect();
    pairs.into_iter().map(move |(a, b)| &s[a..b])
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::themes::codebook::{Codebook, Keyword, Theme};

    fn tagger() -> Tagger {
        let cb = Codebook {
            themes: vec![Theme {
                id: "t".into(),
                name: "人才".into(),
                name_hant: String::new(),
                name_en: String::new(),
                color: "#000000".into(),
                description: String::new(),
                parent: None,
                keywords: vec![Keyword::new("人才"), Keyword::new("关键核心技术")],
            }],
        };
        Tagger::new(&cb).expect("tagger")
    }

    #[test]
    fn ranks_distinctive_uncovered_words() {
        let docs = vec![
            vec![
                "发展",
                "人才",
                "科技人才",
                "耐心资本",
                "耐心资本",
                "核心",
                "核心",
                "发展",
            ],
            vec!["发展", "飞地", "飞地", "飞地", "A", "的", "发展"],
            vec!["发展", "耐心资本", "技术", "技术"],
        ];
        let found = uncovered_terms(&docs, None, &tagger(), 10);
        let terms: Vec<&str> = found.iter().map(|u| u.term.as_str()).collect();
        // 发展 is everywhere, 人才/科技人才 contain a keyword, 核心/技术 are parts of one,
        // A and 的 are too short.
        assert_eq!(terms, vec!["飞地", "耐心资本"]);
        assert_eq!((found[1].count, found[1].documents), (3, 2));
        assert!(uncovered_terms(&docs, None, &tagger(), 1).len() == 1);
        assert!(uncovered_terms(&docs[..1], None, &tagger(), 10).is_empty());
        // Focused on the second document: only its words, ranked by its frequencies.
        let focused = uncovered_terms(&docs, Some(1), &tagger(), 10);
        let terms: Vec<&str> = focused.iter().map(|u| u.term.as_str()).collect();
        assert_eq!(terms, vec!["飞地"]);
        assert_eq!(focused[0].count, 3);
    }
}
