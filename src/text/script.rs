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
    let mut big5 = encoding_rs::BIG5.new_encoder();
    let mut buf = [0u8; 16];
    for c in text.chars().take(SAMPLE_CHARS) {
        if !c.is_alphabetic() {
            continue;
        }
        counts.letters += 1;
        if !is_han(c) {
            continue;
        }
        counts.han += 1;
        let mut one = [0u8; 4];
        let simplified = fast2s::convert(c.encode_utf8(&mut one));
        if !simplified.starts_with(c) {
            counts.traditional += 1;
        } else if !encodable(&mut big5, c, &mut buf) {
            counts.simplified += 1;
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

fn encodable(encoder: &mut encoding_rs::Encoder, c: char, buf: &mut [u8]) -> bool {
    let mut one = [0u8; 4];
    let (result, _, _) =
        encoder.encode_from_utf8_without_replacement(c.encode_utf8(&mut one), buf, true);
    matches!(result, encoding_rs::EncoderResult::InputEmpty)
}

#[cfg(test)]
mod tests {
    use super::*;

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
