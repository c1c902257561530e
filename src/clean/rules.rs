//! The cleaning rules: `assets/cleaning.toml`, parsed and compiled once.
//!
//! The TOML is compiled into the binary, so a rule that fails to parse or compile is a program
//! bug, caught by the unit tests below; [`rules`] panics with the reason in that case.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};
use serde::Deserialize;

use super::{MetaKind, NoiseReason};

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
    pub id: String,
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

/// A compiled `[[rule]]`.
#[derive(Debug)]
pub(crate) struct PatternRule {
    pub id: String,
    pub reason: NoiseReason,
    pub scope: Scope,
    pub zone: Zone,
    /// Longest line (code points) a line rule is tried on; `usize::MAX` when unlimited.
    pub max_chars: usize,
    pub why: String,
    pub regex: Regex,
    /// For span rules: the leading part of a match that stays visible (anchored at the start).
    pub keep: Option<Regex>,
    /// For span rules: what the character before a match must be (anchored at both ends).
    pub preceded_by: Option<Regex>,
    /// For span rules: the regex starts with `^` and is tried at each line start.
    pub line_start: bool,
}

/// The compiled spam keyword-list rule.
#[derive(Debug)]
pub(crate) struct SpamRule {
    pub rule: CodeRule,
    pub separators: Vec<char>,
    pub min_items: usize,
    pub min_hits: usize,
    pub max_avg_item_chars: usize,
    pub terms: Regex,
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
    pub list_heading: Regex,
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
    pub trailing_datetime: Regex,
    /// Any label, as group `label`, followed by its separator.
    pub label: Regex,
    /// Label text to kind.
    pub kinds: Vec<(String, MetaKind)>,
    /// Whole-line patterns, with their named groups resolved to kinds.
    pub lines: Vec<(Regex, Vec<(usize, MetaKind)>)>,
    /// Matches every line that can be metadata (a whole-line pattern, or a label at the start
    /// with an optional opening parenthesis); a cheap first test.
    pub candidate: RegexSet,
}

/// All compiled rules.
#[derive(Debug)]
pub(crate) struct Rules {
    pub patterns: Vec<PatternRule>,
    /// Matches when any zone-`Any` line rule might match; a cheap first test for each line.
    pub any_line_set: RegexSet,
    pub spam: SpamRule,
    pub chrome: ChromeRules,
    pub meta: MetaRules,
}

fn compile(what: &str, pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|e| format!("{what}: {e}"))
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
            let regex = compile(&def.id, &def.pattern)?;
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
                Some(k) => Some(compile(&def.id, &format!("^(?:{k})"))?),
                None => None,
            };
            let preceded_by = match &def.preceded_by {
                Some(_) if def.scope == Scope::Line => {
                    return Err(format!("{}: preceded_by is for span rules", def.id));
                }
                Some(p) => Some(compile(&def.id, &format!("^(?:{p})$"))?),
                None => None,
            };
            patterns.push(PatternRule {
                id: def.id,
                reason: def.reason,
                scope: def.scope,
                zone: def.zone,
                max_chars: def.max_chars.unwrap_or(usize::MAX),
                why: def.why,
                regex,
                keep,
                preceded_by,
                line_start: def.scope == Scope::Span && anchored,
            });
        }
        let any_line_set = RegexSet::new(
            patterns
                .iter()
                .filter(|p| p.scope == Scope::Line && p.zone == Zone::Any)
                .map(|p| p.regex.as_str()),
        )
        .map_err(|e| format!("line rule set: {e}"))?;

        let spam = file.spam;
        let alternatives: Vec<String> = spam.terms.iter().map(|t| regex::escape(t)).collect();
        let spam = SpamRule {
            rule: CodeRule {
                id: spam.id,
                reason: spam.reason,
                why: spam.why,
            },
            separators: spam.separators,
            min_items: spam.min_items,
            min_hits: spam.min_hits,
            max_avg_item_chars: spam.max_avg_item_chars,
            terms: compile("spam terms", &format!("(?i:{})", alternatives.join("|")))?,
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
            list_heading: compile(&c.link_list.rule.id, &c.link_list.heading)?,
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
        let label = compile(
            "metadata labels",
            &format!(
                r"(?:^|\s)(?P<label>{})(?:\s*[:：]\s*|\s+)",
                labels.join("|")
            ),
        )?;
        let trailing_datetime = compile("metadata datetime", &format!(r"\s(?:{})$", m.datetime))?;
        let label_start = format!(r"^[(（]?\s*(?:{})", labels.join("|"));
        let candidate = RegexSet::new(
            std::iter::once(label_start.as_str()).chain(m.line.iter().map(|l| l.pattern.as_str())),
        )
        .map_err(|e| format!("metadata candidates: {e}"))?;
        let mut lines = Vec::new();
        for def in m.line {
            let regex = compile("metadata line", &def.pattern)?;
            let mut groups = Vec::new();
            for (i, name) in regex.capture_names().enumerate() {
                if let Some(name) = name {
                    let kind = meta_kind(name)
                        .ok_or_else(|| format!("metadata line: unknown kind group {name}"))?;
                    groups.push((i, kind));
                }
            }
            lines.push((regex, groups));
        }
        let meta = MetaRules {
            max_chars: m.max_chars,
            max_value_chars: m.max_value_chars,
            trailing_datetime,
            label,
            kinds,
            lines,
            candidate,
        };
        Ok(Rules {
            patterns,
            any_line_set,
            spam,
            chrome,
            meta,
        })
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
