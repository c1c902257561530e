//! The cleaning pass: from a document's stored text to a noise layer, metadata and body
//! paragraphs. The stored text is never modified.
//!
//! - **Noise** ([`NoiseRange`]): code-point ranges of web debris, each with a reason and the id
//!   of the rule that found it. Most rules are patterns in `assets/cleaning.toml`
//!   ([`rules`](self::rules)); what patterns cannot say (keyword density of a spam line, menus and
//!   link lists before and after the article) is code in [`noise`](self::noise).
//! - **Metadata** ([`MetaField`]): date, byline, source, editor lines ([`metadata`](self::metadata)).
//!   Metadata lines are *not* folded: they are part of what was published, a reader glancing at
//!   the view expects to see the date and byline where they were, and folding them would make
//!   the reader wonder what was hidden. They are excluded from [`Cleaned::paragraphs`] instead, so
//!   that tagging and segmentation, which work on paragraphs, never see them as body text.
//! - **Paragraphs**: stored spans of body paragraphs, one per line or one per blank-line block
//!   depending on the document ([`paragraphs`](self::paragraphs)).
//!
//! The reader's decisions ([`Override`]) are a separate layer, applied on top of a fresh
//! [`clean`] by [`apply_overrides`], so they survive re-cleaning with newer rules. Cleaning is
//! deterministic: the same text and [`CLEANER_VERSION`] always give the same result.
//!
//! Cost: a few linear passes over the lines; regexes run per line, and those that are not
//! anchored at the line start only on lines short enough to be debris (see the rule file).

mod metadata;
mod noise;
mod paragraphs;
mod rule_id;
mod rules;

pub use rule_id::RuleId;

#[cfg(test)]
mod fixture_tests;

use serde::{Deserialize, Serialize};

use crate::doc::Span;

/// Version of the cleaning rules and code; bump it whenever a rule or its code changes, so that
/// stored noise layers made by an older cleaner can be recognised and rebuilt.
pub const CLEANER_VERSION: u32 = 2;

/// Rule id recorded on ranges the reader folded.
pub const USER_RULE: &str = "user";

/// Why a range was folded.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum NoiseReason {
    /// Leftover CSS/HTML attribute text.
    Css,
    /// SEO spam: keyword lists, link farms.
    Spam,
    /// Site navigation: login links, menus, breadcrumbs, link lists, counters.
    SiteChrome,
    /// A paywall marker standing for hidden text.
    Paywall,
    /// An SEO meta description pasted into the text.
    SeoMeta,
    /// A pinyin reading after a character.
    PinyinReading,
    /// Site footer: licence numbers, copyright, address, credits.
    Boilerplate,
    /// Folded by the reader.
    UserFolded,
}

/// A folded range of the stored text.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug, Hash)]
pub struct NoiseRange {
    pub span: Span,
    pub reason: NoiseReason,
    /// Id of the rule that folded it (see [`explain`]), or [`USER_RULE`].
    pub rule: RuleId,
}

/// What a metadata field is.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum MetaKind {
    /// Publication date (or date-time).
    Date,
    /// Author or byline.
    Author,
    /// Source: the outlet or publication the text comes from.
    Source,
    /// The site's column (栏目).
    Column,
    /// Last-updated date.
    Updated,
    /// Responsible editor.
    Editor,
}

/// A metadata field recognised in the text.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug, Hash)]
pub struct MetaField {
    pub kind: MetaKind,
    /// The value as written (the text at `span`).
    pub value: String,
    /// Where the value is in the stored text.
    pub span: Span,
}

/// The result of cleaning one document.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug, Default)]
pub struct Cleaned {
    /// The [`CLEANER_VERSION`] that produced this.
    pub version: u32,
    /// Folded ranges, sorted and non-overlapping.
    pub noise: Vec<NoiseRange>,
    /// Metadata fields, in text order.
    pub metadata: Vec<MetaField>,
    /// Stored spans of body paragraphs, in order: not folded, not metadata lines, trimmed of
    /// surrounding whitespace and of folded text at their edges.
    pub paragraphs: Vec<Span>,
}

impl Cleaned {
    /// The folded spans, ready for [`View::build`](crate::doc::view::View::build).
    pub fn folded_spans(&self) -> Vec<Span> {
        self.noise.iter().map(|n| n.span).collect()
    }

    /// The cleaning of the part `window` of the text: every span clipped to it and counted
    /// from its start.
    pub fn excerpt(&self, window: Span) -> Cleaned {
        let from = |spans: &[Span]| {
            let first = spans.partition_point(|s| s.end <= window.start);
            spans[first..]
                .iter()
                .take_while(|s| s.start < window.end)
                .filter_map(|s| s.within(window))
                .collect::<Vec<_>>()
        };
        let first = self.noise.partition_point(|n| n.span.end <= window.start);
        Cleaned {
            version: self.version,
            noise: self.noise[first..]
                .iter()
                .take_while(|n| n.span.start < window.end)
                .filter_map(|n| {
                    let span = n.span.within(window)?;
                    Some(NoiseRange { span, ..n.clone() })
                })
                .collect(),
            metadata: self
                .metadata
                .iter()
                .filter_map(|m| {
                    let span = m.span.within(window)?;
                    Some(MetaField { span, ..m.clone() })
                })
                .collect(),
            paragraphs: from(&self.paragraphs),
        }
    }
}

/// The reader's decision on a paragraph (or any range), identified by its stored span.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Override {
    /// Treat the span as noise.
    Fold,
    /// Treat the span as content: no noise inside it.
    Unfold,
}

/// Compiles the cleaning rules, the ones [`clean`] compiles only when a text needs them
/// included, in about the reverse order of a cleaning's first needs (so that a [`clean`]
/// running meanwhile compiles the others): a thread calling this halves the first cleaning's
/// wait for its rules.
pub fn prepare() {
    let rules = rules::rules();
    rules.meta.candidate.get();
    for regex in rules.lazy_regexes().rev() {
        regex.get();
    }
    rules.any_line_set.get();
}

/// Starts a thread that runs [`prepare`], for a command about to clean text; without the
/// thread (none could be started) the cleaning compiles the rules itself.
pub fn prepare_in_background() {
    let _ = std::thread::Builder::new()
        .name("pizhu-rules".to_string())
        .spawn(prepare);
}

/// Cleans a document's stored text.
pub fn clean(text: &str) -> Cleaned {
    let noise = noise::detect(text);
    let (metadata, paragraphs) = paragraphs::derive(text, &noise);
    Cleaned {
        version: CLEANER_VERSION,
        noise,
        metadata,
        paragraphs,
    }
}

/// Removes `span` from every range of `noise`, keeping the parts outside it.
fn subtract(noise: Vec<NoiseRange>, span: Span) -> Vec<NoiseRange> {
    let mut out = Vec::with_capacity(noise.len() + 1);
    for n in noise {
        if !n.span.overlaps(&span) {
            out.push(n);
            continue;
        }
        for part in [
            Span::new(n.span.start, span.start),
            Span::new(span.end, n.span.end),
        ] {
            if !part.is_empty() {
                out.push(NoiseRange {
                    span: part,
                    ..n.clone()
                });
            }
        }
    }
    out
}

/// Applies the reader's overrides, in order (a later one wins where they overlap), to a
/// cleaning result of `text`. `Fold` makes its span one [`NoiseReason::UserFolded`] range;
/// `Unfold` removes all noise inside its span. Metadata and paragraphs are derived again, so
/// the result is as consistent as a fresh [`clean`].
pub fn apply_overrides(cleaned: &Cleaned, text: &str, overrides: &[(Span, Override)]) -> Cleaned {
    let mut noise = cleaned.noise.clone();
    for &(span, decision) in overrides {
        if span.is_empty() {
            continue;
        }
        noise = subtract(noise, span);
        if decision == Override::Fold {
            let at = noise.partition_point(|n| n.span.start < span.start);
            noise.insert(
                at,
                NoiseRange {
                    span,
                    reason: NoiseReason::UserFolded,
                    rule: RuleId::new(USER_RULE),
                },
            );
        }
    }
    let (metadata, paragraphs) = paragraphs::derive(text, &noise);
    Cleaned {
        version: cleaned.version,
        noise,
        metadata,
        paragraphs,
    }
}

/// The stored text under `span`, to show what a fold hides. Linear in the offset.
pub fn noise_text(text: &str, span: Span) -> String {
    text.chars().skip(span.start).take(span.len()).collect()
}

/// The one-line explanation of a rule id found in [`NoiseRange::rule`].
pub fn explain(rule: RuleId) -> Option<&'static str> {
    let rule = rule.as_str();
    if rule == USER_RULE {
        return Some("Folded by the reader.");
    }
    rules::rules().why(rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "標題\n垃圾 垃圾\n正文一。\n正文二。\n";

    fn with_noise(noise: Vec<NoiseRange>) -> Cleaned {
        let (metadata, paragraphs) = paragraphs::derive(TEXT, &noise);
        Cleaned {
            version: CLEANER_VERSION,
            noise,
            metadata,
            paragraphs,
        }
    }

    fn spam(start: usize, end: usize) -> NoiseRange {
        NoiseRange {
            span: Span::new(start, end),
            reason: NoiseReason::Spam,
            rule: RuleId::new("spam-keyword-list"),
        }
    }

    #[test]
    fn fold_override_adds_a_user_range_and_drops_the_paragraph() {
        let base = with_noise(vec![]);
        assert_eq!(base.paragraphs.len(), 4);
        let para = base.paragraphs[2];
        let folded = apply_overrides(&base, TEXT, &[(para, Override::Fold)]);
        assert_eq!(folded.noise.len(), 1);
        assert_eq!(folded.noise[0].reason, NoiseReason::UserFolded);
        assert_eq!(folded.noise[0].rule, USER_RULE);
        assert!(!folded.paragraphs.contains(&para));
        assert_eq!(folded.paragraphs.len(), 3);
    }

    #[test]
    fn unfold_override_removes_noise_and_restores_the_paragraph() {
        let base = with_noise(vec![spam(3, 8)]);
        assert_eq!(base.paragraphs.len(), 3);
        let unfolded = apply_overrides(&base, TEXT, &[(Span::new(3, 8), Override::Unfold)]);
        assert!(unfolded.noise.is_empty());
        assert_eq!(unfolded.paragraphs.len(), 4);
    }

    #[test]
    fn overrides_keep_noise_sorted_and_disjoint_and_later_ones_win() {
        let base = with_noise(vec![spam(3, 8)]);
        let out = apply_overrides(
            &base,
            TEXT,
            &[
                (Span::new(5, 14), Override::Fold),
                (Span::new(9, 13), Override::Unfold),
            ],
        );
        let spans: Vec<Span> = out.noise.iter().map(|n| n.span).collect();
        assert_eq!(
            spans,
            vec![Span::new(3, 5), Span::new(5, 9), Span::new(13, 14)]
        );
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn overrides_survive_recleaning() {
        let text = "---此处隐藏2925字,下载后查看---\n正文。\n";
        let first = clean(text);
        let marker = first.noise[0].span;
        let decisions = [(marker, Override::Unfold)];
        let again = apply_overrides(&clean(text), text, &decisions);
        assert_eq!(again, apply_overrides(&first, text, &decisions));
        assert!(again.noise.is_empty());
        assert_eq!(again.paragraphs.len(), 2);
    }

    #[test]
    fn noise_text_shows_the_folded_text() {
        assert_eq!(noise_text("新質(zhì)生", Span::new(2, 7)), "(zhì)");
    }

    #[test]
    fn reasons_serialise_kebab_case() {
        let json = serde_json::to_string(&[NoiseReason::SiteChrome, NoiseReason::PinyinReading])
            .expect("serialise");
        assert_eq!(json, r#"["site-chrome","pinyin-reading"]"#);
        let kind: MetaKind = serde_json::from_str(r#""updated""#).expect("parse");
        assert_eq!(kind, MetaKind::Updated);
    }

    #[test]
    fn every_rule_and_the_user_explain_themselves() {
        assert_eq!(
            explain(RuleId::new(USER_RULE)),
            Some("Folded by the reader.")
        );
        assert!(explain(RuleId::new("pinyin-reading")).is_some_and(|w| w.contains("pinyin")));
        assert!(explain(RuleId::new("no-such-rule")).is_none());
    }
}
