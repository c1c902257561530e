//! The sample corpus as test data: five real texts, split into passages (one per non-empty
//! line), the Traditional ones folded to Simplified the way the real pipeline's shadow text
//! will be (pinyin readings dropped, then fast2s character by character).

use std::sync::LazyLock;

use regex::Regex;

pub use crate::text::fixtures::ALL;

/// Whether a fixture is in Traditional script.
pub fn is_traditional(name: &str) -> bool {
    matches!(name, "shanghai-kechuang-zhongxin" | "wuda-chuangxin-zhanyi")
}

static PINYIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\([a-zA-Zü\u{0300}-\u{036F}āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ]+\)").expect("regex")
});

/// Test stand-in for script folding: drops `(zhì)` readings, then Traditional → Simplified.
pub fn fold(text: &str) -> String {
    fast2s::convert(&PINYIN.replace_all(text, ""))
}

/// The non-empty lines of a text, trimmed.
pub fn passages(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Every fixture as (name, passages of its shadow text): Simplified fixtures as they are,
/// Traditional ones folded.
pub fn shadow_corpus() -> Vec<(&'static str, Vec<String>)> {
    ALL.iter()
        .map(|&(name, text)| {
            let shadow = if is_traditional(name) {
                fold(text)
            } else {
                text.to_string()
            };
            (
                name,
                passages(&shadow).into_iter().map(String::from).collect(),
            )
        })
        .collect()
}
