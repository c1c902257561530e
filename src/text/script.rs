//! Detects whether a text is written in Simplified or Traditional Chinese (or both, or
//! neither) by counting characters that exist in only one of the two scripts.
//!
//! A Traditional marker is a character that the Traditional→Simplified table changes (`國`,
//! `與`). A Simplified marker is a CJK ideograph that the table leaves alone and that Big5, the
//! Traditional character set, cannot encode (`国`, `这`, `们`). Characters shared by both
//! scripts (`中`, `科`, `技`) say nothing and are not counted.

use crate::doc::Script;

/// How many characters to look at: enough for a clear majority, bounded for huge files.
pub const SAMPLE_CHARS: usize = 200_000;
/// Share of one script's markers above which the text counts as written in that script.
const MAJORITY: f64 = 0.85;

/// Counts of script markers in a text.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScriptCounts {
    pub han: usize,
    pub letters: usize,
    pub simplified: usize,
    pub traditional: usize,
}

/// Counts markers over the first [`SAMPLE_CHARS`] characters of `text`.
pub fn count(text: &str) -> ScriptCounts {
    let mut counts = ScriptCounts::default();
    let big5 = big5_characters();
    let traditional = traditional_characters();
    for c in text.chars().take(SAMPLE_CHARS) {
        if is_han(c) {
            counts.letters += 1;
            counts.han += 1;
            if traditional.contains(c) {
                counts.traditional += 1;
            } else if !big5.contains(c) {
                counts.simplified += 1;
            }
        } else if c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic()) {
            counts.letters += 1;
        }
    }
    counts
}

/// The script of `text`.
pub fn detect(text: &str) -> Script {
    classify(count(text))
}

/// Decides the script from marker counts.
pub fn classify(counts: ScriptCounts) -> Script {
    // A few stray ideographs in an English text do not make it Chinese.
    if counts.han == 0 || counts.han * 10 < counts.letters {
        return Script::NonChinese;
    }
    let markers = counts.simplified + counts.traditional;
    if markers == 0 {
        // Only characters common to both scripts: nothing marks it as Traditional.
        return Script::Simplified;
    }
    let traditional_share = counts.traditional as f64 / markers as f64;
    if traditional_share >= MAJORITY {
        Script::Traditional
    } else if traditional_share <= 1.0 - MAJORITY {
        Script::Simplified
    } else {
        Script::Mixed
    }
}

/// CJK Unified Ideographs and their extensions, plus the compatibility block.
fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// The two marker sets, as shipped in `assets/script-markers.bin`: one bit per character
/// below [`CharSet::LIMIT`], first the Traditional set, then the Big5 set. They are computed
/// from the tables (see `build_traditional` and `build_big5` in the tests, which check the
/// shipped file) because computing them at run time took milliseconds of every start-up.
static MARKERS: &[u8; 2 * CharSet::BYTES] = include_bytes!("../../assets/script-markers.bin");

/// The ideographs that the Traditional→Simplified table changes.
fn traditional_characters() -> CharSet {
    CharSet(&MARKERS[..CharSet::BYTES])
}

/// The characters of Big5 proper (lead bytes 0xA1–0xF9, without the HKSCS extension).
fn big5_characters() -> CharSet {
    CharSet(&MARKERS[CharSet::BYTES..])
}

/// A set of characters below U+30000 (the Basic, Supplementary and Tertiary Ideographic
/// Planes' start), one bit each, least significant bit first.
#[derive(Clone, Copy)]
struct CharSet(&'static [u8]);

impl CharSet {
    const LIMIT: usize = 0x30000;
    const BYTES: usize = Self::LIMIT / 8;

    fn contains(self, c: char) -> bool {
        let i = c as usize;
        i < Self::LIMIT && self.0[i / 8] & (1 << (i % 8)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Traditional set from the table: the ideographs it changes (asking the converter
    /// per character).
    fn build_traditional() -> Vec<char> {
        let ranges = [0x3400..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF];
        ranges
            .into_iter()
            .flatten()
            .filter_map(char::from_u32)
            .filter(|&c| {
                let mut one = [0u8; 4];
                !fast2s::convert(c.encode_utf8(&mut one)).starts_with(c)
            })
            .collect()
    }

    /// The Big5 set from the decoder: every byte pair that decodes to one character.
    fn build_big5() -> Vec<char> {
        let mut set = Vec::new();
        for lead in 0xA1u8..=0xF9 {
            for trail in (0x40u8..=0x7E).chain(0xA1..=0xFE) {
                let pair = [lead, trail];
                let (decoded, malformed) = encoding_rs::BIG5.decode_without_bom_handling(&pair);
                let mut chars = decoded.chars();
                if let (false, Some(c), None) = (malformed, chars.next(), chars.next()) {
                    set.push(c);
                }
            }
        }
        set
    }

    /// The shipped marker sets are what the tables say. `PIZHU_UPDATE_ASSETS=1 cargo test
    /// --lib shipped_marker_sets` rewrites the file after a table changes.
    #[test]
    fn shipped_marker_sets_match_the_tables() {
        let mut bits = vec![0u8; 2 * CharSet::BYTES];
        for (half, chars) in [build_traditional(), build_big5()].into_iter().enumerate() {
            for c in chars {
                let i = c as usize;
                if i < CharSet::LIMIT {
                    bits[half * CharSet::BYTES + i / 8] |= 1 << (i % 8);
                }
            }
        }
        if std::env::var_os("PIZHU_UPDATE_ASSETS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/script-markers.bin");
            std::fs::write(path, &bits).expect("writes the marker sets");
        }
        assert!(
            bits == MARKERS[..],
            "assets/script-markers.bin is stale: run PIZHU_UPDATE_ASSETS=1 cargo test --lib shipped_marker_sets"
        );
    }

    #[test]
    fn simple_sentences() {
        assert_eq!(
            detect("发展新质生产力是推动高质量发展的内在要求"),
            Script::Simplified
        );
        assert_eq!(
            detect("發展新質生產力是推動高質量發展的內在要求"),
            Script::Traditional
        );
        assert_eq!(
            detect("The quick brown fox jumps over the lazy dog"),
            Script::NonChinese
        );
        assert_eq!(detect(""), Script::NonChinese);
        assert_eq!(detect("中文科技"), Script::Simplified);
    }

    #[test]
    fn the_big5_set_matches_the_encoder() {
        let set = big5_characters();
        for c in ['國', '與', '中', '科', '臺'] {
            assert!(set.contains(c), "{c} is Big5");
        }
        for c in ['国', '这', '们', 'a', '😀'] {
            assert!(!set.contains(c), "{c} is not Big5");
        }
        for c in "发展新质生产力是推动高质量发展的内在要求發展新質生產力".chars()
        {
            let (_, _, unmappable) = encoding_rs::BIG5.encode(&c.to_string());
            assert_eq!(set.contains(c), !unmappable, "{c}");
        }
    }

    #[test]
    fn half_and_half_is_mixed() {
        assert_eq!(
            detect("发展新质生产力是推动高质量发展。發展新質生產力是推動高質量發展。"),
            Script::Mixed
        );
    }

    #[test]
    fn english_with_a_chinese_word_is_not_chinese() {
        assert_eq!(
            detect("This long English paragraph mentions the term 创新 exactly once in passing."),
            Script::NonChinese
        );
    }

    #[test]
    fn fixtures() {
        let cases = [
            (
                include_str!("../../tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt"),
                Script::Traditional,
            ),
            (
                include_str!("../../tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt"),
                Script::Simplified,
            ),
            (
                include_str!("../../tests/fixtures/quanqiu-keji-xiezuo.zh-Hans.txt"),
                Script::Simplified,
            ),
            (
                include_str!("../../tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt"),
                Script::Simplified,
            ),
        ];
        for (text, script) in cases {
            assert_eq!(detect(text), script, "{:?}", count(text));
        }
    }

    #[test]
    fn shanghai_fixture_is_traditional_despite_simplified_spam() {
        let text = include_str!("../../tests/fixtures/shanghai-kechuang-zhongxin.zh-Hant.txt");
        let counts = count(text);
        assert_ne!(detect(text), Script::Simplified, "{counts:?}");
    }
}
