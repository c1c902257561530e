//! What a passage's themes are: the tagger's suggestions merged with the user's decisions.
//!
//! Suggestions are rebuilt whenever a document is re-tagged; decisions (accepted, rejected,
//! added by hand) are kept apart and never touched by re-tagging. [`merge`] is the one place
//! the two meet, a pure function over one passage's rows.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::doc::Span;

/// One keyword's hits behind a suggestion: its explanation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchedTerm {
    pub term: String,
    /// Hits in the passage.
    pub count: u32,
    /// Effective weight of one hit (keyword weight × library IDF factor).
    pub weight: f32,
}

/// The tagger's suggestion of a theme on a passage (a stored span of a body paragraph).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub passage: Span,
    pub theme: String,
    /// In [0, 1); at least the threshold.
    pub score: f32,
    /// Weightiest first.
    pub matched: Vec<MatchedTerm>,
}

/// A document's suggestions held until they are stored, one compact row each: a 300 MB
/// document has a million, which as [`Suggestion`]s (a string for the theme and one for each
/// matched term) took more memory than its text, and as the JSON the library stores still
/// about half of it. A row is the passage, the theme and its matched terms as indexes into
/// strings kept once, and the numbers; the JSON is written as each row is stored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SuggestionRows {
    rows: Vec<SuggestionRow>,
    /// Themes and terms, each kept once.
    names: Vec<String>,
    index: HashMap<String, u32>,
    /// The matched terms of every row: (name, hits, weight).
    matched: Vec<(u32, u32, f32)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct SuggestionRow {
    passage: Span,
    theme: u32,
    score: f32,
    /// The row's matched terms: `matched[start..end]`.
    matched: (u32, u32),
}

/// A matched term as stored: the fields of [`MatchedTerm`], borrowed.
#[derive(Serialize)]
struct MatchedRef<'a> {
    term: &'a str,
    count: u32,
    weight: f32,
}

impl SuggestionRows {
    /// Adds a suggestion.
    pub fn push(&mut self, s: &Suggestion) {
        let theme = self.name(&s.theme);
        let start = self.matched.len() as u32;
        for m in &s.matched {
            let term = self.name(&m.term);
            self.matched.push((term, m.count, m.weight));
        }
        self.rows.push(SuggestionRow {
            passage: s.passage,
            theme,
            score: s.score,
            matched: (start, self.matched.len() as u32),
        });
    }

    /// The index of a theme or term, added if new.
    fn name(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Each suggestion as stored: passage, theme, score, matched terms as JSON.
    pub fn rows(&self) -> impl Iterator<Item = (Span, &str, f32, String)> {
        self.rows.iter().map(|r| {
            let matched: Vec<MatchedRef<'_>> = self.matched
                [r.matched.0 as usize..r.matched.1 as usize]
                .iter()
                .map(|&(term, count, weight)| MatchedRef {
                    term: &self.names[term as usize],
                    count,
                    weight,
                })
                .collect();
            // A list of plain structs of strings and numbers always serialises.
            let json = serde_json::to_string(&matched).unwrap_or_else(|_| "[]".to_string());
            (
                r.passage,
                self.names[r.theme as usize].as_str(),
                r.score,
                json,
            )
        })
    }

    /// The suggestions again (for a library tagged in memory).
    pub fn to_suggestions(&self) -> Vec<Suggestion> {
        self.rows()
            .map(|(passage, theme, score, json)| Suggestion {
                passage,
                theme: theme.to_string(),
                score,
                matched: serde_json::from_str(&json).unwrap_or_default(),
            })
            .collect()
    }
}

/// The user's decision on a theme for a passage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// A suggestion the user confirmed: it is a tag.
    Accepted,
    /// A suggestion the user turned down: hidden, and remembered across re-tagging.
    Rejected,
    /// A theme the user put on the passage by hand.
    Added,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Rejected => "rejected",
            Decision::Added => "added",
        }
    }

    pub fn parse(name: &str) -> Option<Decision> {
        match name {
            "accepted" => Some(Decision::Accepted),
            "rejected" => Some(Decision::Rejected),
            "added" => Some(Decision::Added),
            _ => None,
        }
    }
}

/// A stored decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionRow {
    pub passage: Span,
    pub theme: String,
    pub decision: Decision,
}

/// Where a theme stands on a passage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Accepted by the user.
    Accepted,
    /// Added by hand.
    Added,
    /// Suggested by the tagger, not yet decided.
    Suggested,
    /// Rejected by the user (hidden in text output).
    Rejected,
}

impl Status {
    /// Whether the theme counts as on the passage (everything but rejected).
    pub fn is_on(self) -> bool {
        self != Status::Rejected
    }
}

/// One theme of one passage, as the user sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PassageTheme {
    pub theme: String,
    pub status: Status,
    /// The tagger's score, when it suggests the theme now.
    pub score: Option<f32>,
    /// The suggestion's explanation (empty when not suggested now).
    pub matched: Vec<MatchedTerm>,
}

/// The themes of one passage from its suggestions and decisions (rows of other passages are
/// ignored; so are themes not in `known`, the codebook's ids — a removed theme's decisions
/// stay stored and come back if the theme does). A decision wins over a suggestion; a decision
/// without a suggestion still shows, except a rejection (there is nothing to hide). Order:
/// accepted, added, suggested, rejected; within each, higher score first, then by id.
pub fn merge(
    passage: Span,
    suggestions: &[Suggestion],
    decisions: &[DecisionRow],
    known: &dyn Fn(&str) -> bool,
) -> Vec<PassageTheme> {
    let mut out: Vec<PassageTheme> = suggestions
        .iter()
        .filter(|s| s.passage == passage && known(&s.theme))
        .map(|s| PassageTheme {
            theme: s.theme.clone(),
            status: Status::Suggested,
            score: Some(s.score),
            matched: s.matched.clone(),
        })
        .collect();
    for d in decisions
        .iter()
        .filter(|d| d.passage == passage && known(&d.theme))
    {
        let status = match d.decision {
            Decision::Accepted => Status::Accepted,
            Decision::Rejected => Status::Rejected,
            Decision::Added => Status::Added,
        };
        match out.iter_mut().find(|t| t.theme == d.theme) {
            Some(t) => t.status = status,
            None if status != Status::Rejected => out.push(PassageTheme {
                theme: d.theme.clone(),
                status,
                score: None,
                matched: Vec::new(),
            }),
            None => {}
        }
    }
    out.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(b.score.unwrap_or(-1.0).total_cmp(&a.score.unwrap_or(-1.0)))
            .then_with(|| a.theme.cmp(&b.theme))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Span = Span { start: 10, end: 50 };
    const OTHER: Span = Span { start: 60, end: 90 };

    #[test]
    fn suggestion_rows_store_the_json_of_their_suggestions_and_give_them_back() {
        let term = |term: &str, count, weight| MatchedTerm {
            term: term.to_string(),
            count,
            weight,
        };
        let given = vec![
            Suggestion {
                passage: P,
                theme: "innovation".to_string(),
                score: 0.5,
                matched: vec![term("科技", 3, 0.25), term("创新\"", 1, 1.0 / 3.0)],
            },
            Suggestion {
                passage: OTHER,
                theme: "talent".to_string(),
                score: 0.125,
                matched: vec![],
            },
            Suggestion {
                passage: OTHER,
                theme: "innovation".to_string(),
                score: 0.75,
                matched: vec![term("科技", 1, 0.5)],
            },
        ];
        let mut rows = SuggestionRows::default();
        for s in &given {
            rows.push(s);
        }
        assert_eq!(rows.len(), 3);
        for ((passage, theme, score, json), s) in rows.rows().zip(&given) {
            assert_eq!(
                (passage, theme, score),
                (s.passage, s.theme.as_str(), s.score)
            );
            assert_eq!(json, serde_json::to_string(&s.matched).unwrap());
        }
        assert_eq!(rows.to_suggestions(), given);
    }

    fn suggestion(passage: Span, theme: &str, score: f32) -> Suggestion {
        Suggestion {
            passage,
            theme: theme.to_string(),
            score,
            matched: vec![MatchedTerm {
                term: format!("{theme}词"),
                count: 1,
                weight: 1.0,
            }],
        }
    }

    fn decision(passage: Span, theme: &str, decision: Decision) -> DecisionRow {
        DecisionRow {
            passage,
            theme: theme.to_string(),
            decision,
        }
    }

    fn summary(themes: &[PassageTheme]) -> Vec<(&str, Status, bool)> {
        themes
            .iter()
            .map(|t| (t.theme.as_str(), t.status, t.score.is_some()))
            .collect()
    }

    #[test]
    fn decisions_override_suggestions_and_survive_without_them() {
        let suggestions = [
            suggestion(P, "talent", 0.6),
            suggestion(P, "finance", 0.9),
            suggestion(P, "regional", 0.7),
            suggestion(OTHER, "talent", 0.8),
        ];
        let decisions = [
            decision(P, "regional", Decision::Rejected),
            decision(P, "talent", Decision::Accepted),
            decision(P, "ip", Decision::Added),
            // Accepted earlier, no longer suggested after a codebook change: still a tag.
            decision(P, "industry", Decision::Accepted),
            // Rejected and no longer suggested: nothing to show.
            decision(P, "digital", Decision::Rejected),
            decision(OTHER, "finance", Decision::Added),
        ];
        let themes = merge(P, &suggestions, &decisions, &|_| true);
        assert_eq!(
            summary(&themes),
            vec![
                ("talent", Status::Accepted, true),
                ("industry", Status::Accepted, false),
                ("ip", Status::Added, false),
                ("finance", Status::Suggested, true),
                ("regional", Status::Rejected, true),
            ]
        );
        assert_eq!(themes[0].matched[0].term, "talent词");
        assert!(themes[1].matched.is_empty());
        let on: Vec<&str> = themes
            .iter()
            .filter(|t| t.status.is_on())
            .map(|t| t.theme.as_str())
            .collect();
        assert_eq!(on, vec!["talent", "industry", "ip", "finance"]);
    }

    #[test]
    fn themes_outside_the_codebook_are_left_out() {
        let suggestions = [suggestion(P, "talent", 0.6), suggestion(P, "gone", 0.9)];
        let decisions = [decision(P, "gone", Decision::Accepted)];
        let themes = merge(P, &suggestions, &decisions, &|id| id != "gone");
        assert_eq!(summary(&themes), vec![("talent", Status::Suggested, true)]);
        assert!(merge(OTHER, &suggestions, &decisions, &|_| true).is_empty());
    }

    #[test]
    fn names_round_trip() {
        for d in [Decision::Accepted, Decision::Rejected, Decision::Added] {
            assert_eq!(Decision::parse(d.as_str()), Some(d));
            assert_eq!(serde_json::to_value(d).ok(), Some(d.as_str().into()));
        }
        assert_eq!(Decision::parse("maybe"), None);
        for (s, name) in [
            (Status::Accepted, "accepted"),
            (Status::Added, "added"),
            (Status::Suggested, "suggested"),
            (Status::Rejected, "rejected"),
        ] {
            assert_eq!(serde_json::to_value(s).ok(), Some(name.into()));
        }
    }
}
