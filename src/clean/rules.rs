//! The cleaning rules: `assets/cleaning.toml`, parsed once, each regex compiled on first use.
//!
//! The TOML is compiled into the binary, so a rule that fails to parse or compile is a program
//! bug, caught by the unit tests below (which compile every regex); [`rules`], or the first use
//! of a regex, panics with the reason in that case.
//!
//! Compiling every regex takes longer than cleaning the first screens of a file (the reader
//! shows a new file's beginning at once), so loading the rules compiles none: each regex
//! ([`LazyRegex`]) and each set of them ([`LazySet`]) is compiled when a line first gets that
//! far, and [`super::prepare`] lets a second thread compile them meanwhile.

use std::sync::{LazyLock, OnceLock};

use aho_corasick::AhoCorasick;
use regex::{Regex, RegexSet};
use regex_syntax::hir::{Hir, HirKind, Repetition};
use serde::Deserialize;

use super::{MetaKind, NoiseReason, RuleId};

/// The shipped rule file.
pub(crate) const RULES_TOML: &str = include_str!("../../assets/cleaning.toml");

/// Where a line rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Zone {
    /// Anywhere in the document.
    #[default]
    Any,
    /// Only before the first or after the last prose line.
    Edge,
}

/// Whether a pattern rule folds whole lines or spans inside lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Scope {
    Line,
    Span,
}

#[derive(Deserialize)]
struct RuleFile {
    rule: Vec<RuleDef>,
    spam: SpamDef,
    chrome: ChromeDef,
    metadata: MetaDef,
}

#[derive(Deserialize)]
struct RuleDef {
    id: String,
    reason: NoiseReason,
    scope: Scope,
    #[serde(default)]
    zone: Zone,
    max_chars: Option<usize>,
    keep: Option<String>,
    preceded_by: Option<String>,
    why: String,
    pattern: String,
}

#[derive(Deserialize)]
struct SpamDef {
    id: String,
    reason: NoiseReason,
    why: String,
    separators: Vec<char>,
    min_items: usize,
    min_hits: usize,
    max_avg_item_chars: usize,
    terms: Vec<String>,
}

#[derive(Deserialize)]
struct ChromeDef {
    prose_min_chars: usize,
    bullets: Vec<char>,
    bullet_menu: BulletMenuDef,
    pipe_nav: PipeNavDef,
    link_list: LinkListDef,
}

/// Identity of a rule implemented in code: its id, reason and explanation.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CodeRule {
    pub id: RuleId,
    pub reason: NoiseReason,
    pub why: String,
}

#[derive(Deserialize)]
struct BulletMenuDef {
    #[serde(flatten)]
    rule: CodeRule,
    min_items: usize,
    max_item_chars: usize,
}

#[derive(Deserialize)]
struct PipeNavDef {
    #[serde(flatten)]
    rule: CodeRule,
    min_items: usize,
    max_item_chars: usize,
    min_link_items: usize,
    max_link_avg_chars: usize,
}

#[derive(Deserialize)]
struct LinkListDef {
    #[serde(flatten)]
    rule: CodeRule,
    heading: String,
    min_items: usize,
    max_bullet_chars: usize,
    max_teaser_chars: usize,
    max_title_chars: usize,
}

#[derive(Deserialize)]
struct MetaDef {
    max_chars: usize,
    max_value_chars: usize,
    datetime: String,
    label: Vec<MetaLabelDef>,
    line: Vec<MetaLineDef>,
}

#[derive(Deserialize)]
struct MetaLabelDef {
    kind: MetaKind,
    labels: Vec<String>,
}

#[derive(Deserialize)]
struct MetaLineDef {
    pattern: String,
}

/// A regex compiled on first use.
#[derive(Debug)]
pub(crate) struct LazyRegex {
    pattern: String,
    regex: OnceLock<Regex>,
}

impl LazyRegex {
    fn new(pattern: String) -> LazyRegex {
        LazyRegex {
            pattern,
            regex: OnceLock::new(),
        }
    }

    /// The compiled regex.
    pub(crate) fn get(&self) -> &Regex {
        self.regex.get_or_init(|| {
            Regex::new(&self.pattern)
                .unwrap_or_else(|e| panic!("assets/cleaning.toml: {}: {e}", self.pattern))
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.pattern
    }
}

/// A set of regexes compiled into one on first use.
#[derive(Debug)]
pub(crate) struct LazySet {
    patterns: Vec<String>,
    set: OnceLock<RegexSet>,
}

impl LazySet {
    fn new(patterns: Vec<String>) -> LazySet {
        LazySet {
            patterns,
            set: OnceLock::new(),
        }
    }

    /// The compiled set.
    pub(crate) fn get(&self) -> &RegexSet {
        self.set.get_or_init(|| {
            RegexSet::new(&self.patterns)
                .unwrap_or_else(|e| panic!("assets/cleaning.toml: a rule set: {e}"))
        })
    }
}

/// A compiled `[[rule]]`.
#[derive(Debug)]
pub(crate) struct PatternRule {
    pub id: RuleId,
    pub reason: NoiseReason,
    pub scope: Scope,
    pub zone: Zone,
    /// Longest line (code points) a line rule is tried on; `usize::MAX` when unlimited.
    pub max_chars: usize,
    pub why: String,
    pub regex: LazyRegex,
    /// For span rules: the leading part of a match that stays visible (anchored at the start).
    pub keep: Option<LazyRegex>,
    /// For span rules: what the character before a match must be (anchored at both ends).
    pub preceded_by: Option<LazyRegex>,
    /// For span rules: the regex starts with `^` and is tried at each line start.
    pub line_start: bool,
}

impl PatternRule {
    /// The rule's regex, then its `preceded_by` and `keep`.
    fn regexes(&self) -> [Option<&LazyRegex>; 3] {
        [
            Some(&self.regex),
            self.preceded_by.as_ref(),
            self.keep.as_ref(),
        ]
    }
}

/// The compiled spam keyword-list rule.
#[derive(Debug)]
pub(crate) struct SpamRule {
    pub rule: CodeRule,
    pub separators: Vec<char>,
    pub min_items: usize,
    pub min_hits: usize,
    pub max_avg_item_chars: usize,
    /// The terms (ASCII letters in any case).
    pub terms: AhoCorasick,
}

/// Parameters of the head/tail chrome rules.
#[derive(Debug)]
pub(crate) struct ChromeRules {
    pub prose_min_chars: usize,
    pub bullets: Vec<char>,
    pub bullet_menu: CodeRule,
    pub menu_min_items: usize,
    pub menu_max_item_chars: usize,
    pub pipe_nav: CodeRule,
    pub pipe_min_items: usize,
    pub pipe_max_item_chars: usize,
    pub pipe_min_link_items: usize,
    pub pipe_max_link_avg_chars: usize,
    pub link_list: CodeRule,
    pub list_heading: LazyRegex,
    pub list_min_items: usize,
    pub list_max_bullet_chars: usize,
    pub list_max_teaser_chars: usize,
    pub list_max_title_chars: usize,
}

/// Compiled metadata rules.
#[derive(Debug)]
pub(crate) struct MetaRules {
    pub max_chars: usize,
    pub max_value_chars: usize,
    /// A date-time at the end of a value, after whitespace.
    pub trailing_datetime: LazyRegex,
    /// Any label, as group `label`, followed by its separator.
    pub label: LazyRegex,
    /// Label text to kind.
    pub kinds: Vec<(String, MetaKind)>,
    /// Whole-line patterns, with their named groups resolved to kinds.
    pub lines: Vec<(LazyRegex, Vec<(usize, MetaKind)>)>,
    /// A cheap first test: pattern 0 is a label at the start (with an optional opening
    /// parenthesis), pattern `i + 1` a superset of `lines[i]` ([`relaxed`]), so a line that
    /// matches none of them is not metadata, and `lines[i]` needs trying only when pattern
    /// `i + 1` matched.
    pub candidate: LazySet,
}

/// All compiled rules.
#[derive(Debug)]
pub(crate) struct Rules {
    pub patterns: Vec<PatternRule>,
    /// The zone-`Any` line rules: pattern `k` of the set is `patterns[any_lines[k]]`'s regex,
    /// so the set alone tells whether (and which of) them match a line.
    pub any_line_set: LazySet,
    pub any_lines: Vec<usize>,
    pub spam: SpamRule,
    pub chrome: ChromeRules,
    pub meta: MetaRules,
}

fn parse(what: &str, pattern: &str) -> Result<Hir, String> {
    regex_syntax::Parser::new()
        .parse(pattern)
        .map_err(|e| format!("{what}: {e}"))
}

/// A pattern matching everything `hir` matches, and more: every bounded repetition
/// (`x{2,16}`) made unbounded (`x{2,}`). A Unicode class repeated 16 times costs 16 copies of
/// its automaton to compile; unbounded, `min + 1`.
fn relaxed(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: if r.max.is_some_and(|max| max > r.min) {
                None
            } else {
                r.max
            },
            greedy: r.greedy,
            sub: Box::new(relaxed(&r.sub)),
        }),
        HirKind::Capture(c) => Hir::capture(regex_syntax::hir::Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(relaxed(&c.sub)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(relaxed).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(relaxed).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
    }
}

/// The named capture groups of `hir`, with their indices, in order.
fn capture_names(hir: &Hir, names: &mut Vec<(usize, String)>) {
    match hir.kind() {
        HirKind::Capture(c) => {
            if let Some(name) = &c.name {
                names.push((c.index as usize, name.to_string()));
            }
            capture_names(&c.sub, names);
        }
        HirKind::Repetition(r) => capture_names(&r.sub, names),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().for_each(|s| capture_names(s, names));
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
}

fn meta_kind(name: &str) -> Option<MetaKind> {
    Some(match name {
        "date" => MetaKind::Date,
        "updated" => MetaKind::Updated,
        "source" => MetaKind::Source,
        "author" => MetaKind::Author,
        "editor" => MetaKind::Editor,
        "column" => MetaKind::Column,
        _ => return None,
    })
}

impl Rules {
    /// Parses and compiles a rule file.
    pub(crate) fn load(toml_text: &str) -> Result<Rules, String> {
        let file: RuleFile = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        let mut patterns = Vec::new();
        for def in file.rule {
            let anchored = def.pattern.starts_with('^');
            if def.scope == Scope::Line && def.max_chars.is_none() && !anchored {
                return Err(format!(
                    "{}: unanchored line pattern needs max_chars",
                    def.id
                ));
            }
            if def.scope == Scope::Span && (def.zone == Zone::Edge || def.max_chars.is_some()) {
                return Err(format!("{}: zone and max_chars are for line rules", def.id));
            }
            let keep = match &def.keep {
                Some(_) if def.scope == Scope::Line => {
                    return Err(format!("{}: keep is for span rules", def.id));
                }
                Some(k) => Some(LazyRegex::new(format!("^(?:{k})"))),
                None => None,
            };
            let preceded_by = match &def.preceded_by {
                Some(_) if def.scope == Scope::Line => {
                    return Err(format!("{}: preceded_by is for span rules", def.id));
                }
                Some(p) => Some(LazyRegex::new(format!("^(?:{p})$"))),
                None => None,
            };
            patterns.push(PatternRule {
                id: RuleId::new(&def.id),
                reason: def.reason,
                scope: def.scope,
                zone: def.zone,
                max_chars: def.max_chars.unwrap_or(usize::MAX),
                why: def.why,
                regex: LazyRegex::new(def.pattern),
                keep,
                preceded_by,
                line_start: def.scope == Scope::Span && anchored,
            });
        }
        let any_lines: Vec<usize> = (0..patterns.len())
            .filter(|&i| patterns[i].scope == Scope::Line && patterns[i].zone == Zone::Any)
            .collect();
        let any_line_set = LazySet::new(
            any_lines
                .iter()
                .map(|&i| patterns[i].regex.as_str().to_string())
                .collect(),
        );

        let spam = file.spam;
        let terms = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&spam.terms)
            .map_err(|e| format!("spam terms: {e}"))?;
        let spam = SpamRule {
            rule: CodeRule {
                id: RuleId::new(&spam.id),
                reason: spam.reason,
                why: spam.why,
            },
            separators: spam.separators,
            min_items: spam.min_items,
            min_hits: spam.min_hits,
            max_avg_item_chars: spam.max_avg_item_chars,
            terms,
        };

        let c = file.chrome;
        let chrome = ChromeRules {
            prose_min_chars: c.prose_min_chars,
            bullets: c.bullets,
            bullet_menu: c.bullet_menu.rule,
            menu_min_items: c.bullet_menu.min_items,
            menu_max_item_chars: c.bullet_menu.max_item_chars,
            pipe_nav: c.pipe_nav.rule,
            pipe_min_items: c.pipe_nav.min_items,
            pipe_max_item_chars: c.pipe_nav.max_item_chars,
            pipe_min_link_items: c.pipe_nav.min_link_items,
            pipe_max_link_avg_chars: c.pipe_nav.max_link_avg_chars,
            list_heading: LazyRegex::new(c.link_list.heading),
            link_list: c.link_list.rule,
            list_min_items: c.link_list.min_items,
            list_max_bullet_chars: c.link_list.max_bullet_chars,
            list_max_teaser_chars: c.link_list.max_teaser_chars,
            list_max_title_chars: c.link_list.max_title_chars,
        };

        let m = file.metadata;
        let mut kinds: Vec<(String, MetaKind)> = m
            .label
            .iter()
            .flat_map(|l| l.labels.iter().map(|t| (t.clone(), l.kind)))
            .collect();
        // Longest first, so that 责任编辑 wins over 编辑 in the alternation.
        kinds.sort_by_key(|(label, _)| std::cmp::Reverse(label.chars().count()));
        let labels: Vec<String> = kinds.iter().map(|(l, _)| regex::escape(l)).collect();
        let label = format!(
            r"(?:^|\s)(?P<label>{})(?:\s*[:：]\s*|\s+)",
            labels.join("|")
        );
        let trailing_datetime = format!(r"\s(?:{})$", m.datetime);
        let mut candidates = vec![format!(r"^[(（]?\s*(?:{})", labels.join("|"))];
        let mut lines = Vec::new();
        for def in m.line {
            let hir = parse("metadata line", &def.pattern)?;
            let mut names = Vec::new();
            capture_names(&hir, &mut names);
            let mut groups = Vec::new();
            for (i, name) in names {
                let kind = meta_kind(&name)
                    .ok_or_else(|| format!("metadata line: unknown kind group {name}"))?;
                groups.push((i, kind));
            }
            candidates.push(relaxed(&hir).to_string());
            lines.push((LazyRegex::new(def.pattern), groups));
        }
        let candidate = LazySet::new(candidates);
        let meta = MetaRules {
            max_chars: m.max_chars,
            max_value_chars: m.max_value_chars,
            trailing_datetime: LazyRegex::new(trailing_datetime),
            label: LazyRegex::new(label),
            kinds,
            lines,
            candidate,
        };
        Ok(Rules {
            patterns,
            any_line_set,
            any_lines,
            spam,
            chrome,
            meta,
        })
    }

    /// Every regex compiled on first use, in about the order a cleaning pass first needs
    /// them: line-start span rules (every line), metadata (short lines), zone rules (the
    /// document's head and tail), then the span rules searched through the whole text.
    pub(crate) fn lazy_regexes(&self) -> impl DoubleEndedIterator<Item = &LazyRegex> {
        let line_start = self.patterns.iter().filter(|p| p.line_start);
        let edge = self
            .patterns
            .iter()
            .filter(|p| p.scope == Scope::Line && p.zone == Zone::Edge);
        let whole_text = self
            .patterns
            .iter()
            .filter(|p| p.scope == Scope::Span && !p.line_start);
        let line_start = line_start.flat_map(PatternRule::regexes).flatten();
        let whole_text = whole_text.flat_map(PatternRule::regexes).flatten();
        line_start
            .chain(self.meta.lines.iter().map(|(regex, _)| regex))
            .chain([&self.meta.label, &self.meta.trailing_datetime])
            .chain(edge.map(|p| &p.regex))
            .chain([&self.chrome.list_heading])
            .chain(whole_text)
    }

    /// The explanation of the rule with id `id`, if there is one.
    pub(crate) fn why(&self, id: &str) -> Option<&str> {
        let code = [
            &self.spam.rule,
            &self.chrome.bullet_menu,
            &self.chrome.pipe_nav,
            &self.chrome.link_list,
        ];
        self.patterns
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.why.as_str())
            .or_else(|| code.iter().find(|c| c.id == id).map(|c| c.why.as_str()))
    }
}

static RULES: LazyLock<Rules> =
    LazyLock::new(|| Rules::load(RULES_TOML).expect("assets/cleaning.toml must parse and compile"));

/// The shipped rules, compiled on first use.
pub(crate) fn rules() -> &'static Rules {
    &RULES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_parse_and_every_regex_compiles() {
        let r = Rules::load(RULES_TOML).expect("shipped rules load");
        assert!(r.patterns.len() >= 10);
        assert!(!r.meta.lines.is_empty());
        let lazy: Vec<&str> = r.lazy_regexes().map(|regex| regex.get().as_str()).collect();
        // Every regex is there once: the line rules of zone `any` only in the set.
        let lines = r.meta.lines.len();
        let edge = r.patterns.iter().filter(|p| p.zone == Zone::Edge).count();
        let span: usize = r
            .patterns
            .iter()
            .filter(|p| p.scope == Scope::Span)
            .map(|p| 1 + usize::from(p.keep.is_some()) + usize::from(p.preceded_by.is_some()))
            .sum();
        assert_eq!(lazy.len(), lines + 3 + edge + span);
        let mut unique = lazy.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), lazy.len());
    }

    #[test]
    fn relaxed_patterns_unbound_only_bounded_repetitions() {
        let relax = |p: &str| relaxed(&parse("test", p).expect("parses")).to_string();
        assert_eq!(relax("^a{2,16}b{3}c?$"), relax("^a{2,}b{3}c*$"));
        assert_eq!(relax("(?P<x>[^,]{1,4})"), relax("(?P<x>[^,]+)"));
    }

    #[test]
    fn prefilters_agree_with_the_rules_on_every_fixture_line() {
        let r = rules();
        let fixtures = super::super::fixture_tests::FIXTURES;
        let lines = fixtures
            .iter()
            .flat_map(|(_, text)| text.lines())
            .map(str::trim);
        let (mut candidates, mut metadata) = (0, 0);
        for line in lines {
            let set = r.any_line_set.get().matches(line);
            for (k, &i) in r.any_lines.iter().enumerate() {
                let exact = r.patterns[i].regex.get().is_match(line);
                assert_eq!(set.matched(k), exact, "{}: {line}", r.patterns[i].id);
            }
            let candidate = r.meta.candidate.get().matches(line);
            candidates += usize::from(candidate.matched_any());
            for (i, (regex, _)) in r.meta.lines.iter().enumerate() {
                let exact = regex.get().is_match(line);
                metadata += usize::from(exact);
                assert!(
                    candidate.matched(i + 1) || !exact,
                    "metadata line {i}: {line}"
                );
            }
        }
        assert!(metadata > 0 && candidates >= metadata);
    }

    #[test]
    fn rule_ids_are_unique_and_explained() {
        let r = rules();
        let mut ids: Vec<&str> = r.patterns.iter().map(|p| p.id.as_str()).collect();
        ids.extend([
            r.spam.rule.id.as_str(),
            r.chrome.bullet_menu.id.as_str(),
            r.chrome.pipe_nav.id.as_str(),
            r.chrome.link_list.id.as_str(),
        ]);
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "duplicate rule id");
        for id in ids {
            let why = r.why(id).expect("every rule explains itself");
            assert!(
                !why.is_empty() && !why.contains('\n'),
                "{id}: why is one line"
            );
        }
    }

    #[test]
    fn unanchored_rules_without_max_chars_are_rejected() {
        let bad = RULES_TOML.replace("max_chars = 120\n", "");
        let err = Rules::load(&bad).expect_err("must be rejected");
        assert!(err.contains("needs max_chars"), "{err}");
    }

    #[test]
    fn every_example_is_a_real_fixture_line() {
        let fixtures = super::super::fixture_tests::FIXTURES
            .iter()
            .map(|(_, text)| *text)
            .collect::<Vec<_>>();
        let table: toml::Table = toml::from_str(RULES_TOML).expect("toml");
        let mut examples: Vec<String> = Vec::new();
        let rule_list = table["rule"].as_array().expect("rule list");
        for rule in rule_list {
            examples.push(rule["example"].as_str().expect("example").to_owned());
        }
        examples.push(
            table["spam"]["example"]
                .as_str()
                .expect("spam example")
                .to_owned(),
        );
        for name in ["bullet_menu", "pipe_nav", "link_list"] {
            let ex = table["chrome"][name]["example"].as_str().expect("example");
            examples.push(ex.to_owned());
        }
        for ex in examples {
            assert!(
                fixtures.iter().any(|f| f.lines().any(|l| l == ex)),
                "example is not a fixture line: {ex}"
            );
        }
    }
}
