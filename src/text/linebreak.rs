//! Where a line may end: UAX #14 break opportunities (from unicode-linebreak) with the
//! additions Chinese text needs, and the kinsoku tables of characters that may not start or
//! end a line.
//!
//! Additions to UAX #14 (Unicode 15.0 as the crate implements it):
//! * Curly quotes between East Asian characters: Unicode 15.0 never breaks next to `“ ” ‘ ’`,
//!   which leaves long unbreakable runs like `移“拉长板”“补短板”的`. Following the Unicode 15.1
//!   rule LB19a, a break is allowed before an opening quote and after a closing quote when the
//!   characters on both sides are East Asian wide.
//! * URLs: inside an `http://` or `https://` run every position is a break opportunity, so a
//!   URL that does not fit fills the line and goes on on the next one.
//!
//! The kinsoku rules are applied by the layout (see [`super::layout`]), which knows which
//! characters are clusters.

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::width::is_east_asian_wide;

/// Whether `c` may not begin a line: closing brackets and quotes, sentence and clause
/// punctuation (full-width, half-width and small forms), ellipses, middle dots, the prolonged
/// sound mark, iteration marks and small kana.
pub fn is_line_start_prohibited(c: char) -> bool {
    matches!(
        c,
        '!' | ')'
            | ','
            | '.'
            | ':'
            | ';'
            | '?'
            | ']'
            | '}'
            | '·'
            | '’'
            | '”'
            | '‥'
            | '…'
            | '⋯'
            | '、'
            | '。'
            | '〃'
            | '〉'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〗'
            | '〙'
            | '〛'
            | '〞'
            | '〟'
            | '々'
            | '〻'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ゕ'
            | 'ゖ'
            | 'ゝ'
            | 'ゞ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | '・'
            | 'ー'
            | 'ヽ'
            | 'ヾ'
            | 'ㇰ'..='ㇿ'
            | '﹐'..='﹒'
            | '﹔'..='﹗'
            | '﹚'
            | '﹜'
            | '﹞'
            | '！'
            | '）'
            | '，'
            | '．'
            | '：'
            | '；'
            | '？'
            | '］'
            | '｝'
            | '｠'
            | '｡'
            | '｣'
            | '､'
    )
}

/// Whether `c` may not end a line: opening brackets and quotes, full-width, half-width and
/// small forms.
pub fn is_line_end_prohibited(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '‘'
            | '“'
            | '〈'
            | '《'
            | '「'
            | '『'
            | '【'
            | '〔'
            | '〖'
            | '〘'
            | '〚'
            | '〝'
            | '﹙'
            | '﹛'
            | '﹝'
            | '（'
            | '［'
            | '｛'
            | '｟'
            | '｢'
    )
}

/// Whether a break between `before` and `after` keeps the kinsoku rules.
pub fn kinsoku_allows(before: char, after: char) -> bool {
    !is_line_end_prohibited(before) && !is_line_start_prohibited(after)
}

/// Break opportunities of `text`, whose characters are `chars`: entry `i` says whether a line
/// may end before `chars[i]` (entry `chars.len()`, the end, is always true). Hard breaks are
/// left to the layout.
pub fn opportunities(text: &str, chars: &[char]) -> Vec<bool> {
    let n = chars.len();
    let mut allowed = vec![false; n + 1];
    let mut uax = linebreaks(text).peekable();
    for (i, (byte, _)) in text.char_indices().enumerate() {
        while let Some(&(at, op)) = uax.peek() {
            if at > byte {
                break;
            }
            if at == byte {
                allowed[i] = matches!(op, BreakOpportunity::Allowed | BreakOpportunity::Mandatory);
            }
            uax.next();
        }
    }
    allowed[n] = true;
    allow_around_quotes(chars, &mut allowed);
    allow_inside_urls(chars, &mut allowed);
    allowed
}

fn is_opening_quote(c: char) -> bool {
    matches!(c, '“' | '‘')
}

fn is_closing_quote(c: char) -> bool {
    matches!(c, '”' | '’')
}

fn wide_at(chars: &[char], i: Option<usize>) -> bool {
    i.and_then(|i| chars.get(i))
        .is_some_and(|&c| is_east_asian_wide(c))
}

/// LB19a of Unicode 15.1, for curly quotes between East Asian characters.
fn allow_around_quotes(chars: &[char], allowed: &mut [bool]) {
    for i in 1..chars.len() {
        let (before, after) = (chars[i - 1], chars[i]);
        let ok = if is_opening_quote(after) && is_closing_quote(before) {
            wide_at(chars, i.checked_sub(2)) && wide_at(chars, Some(i + 1))
        } else if is_opening_quote(after) {
            is_east_asian_wide(before) && wide_at(chars, Some(i + 1))
        } else if is_closing_quote(before) {
            wide_at(chars, i.checked_sub(2)) && is_east_asian_wide(after)
        } else {
            false
        };
        if ok && kinsoku_allows(before, after) {
            allowed[i] = true;
        }
    }
}

fn is_url_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
}

fn starts_url(chars: &[char], i: usize) -> bool {
    let rest = chars[i..].iter().take(8).map(char::to_ascii_lowercase);
    let prefix: String = rest.collect();
    (prefix.starts_with("http://") || prefix.starts_with("https://"))
        && (i == 0 || !chars[i - 1].is_ascii_alphanumeric())
}

fn allow_inside_urls(chars: &[char], allowed: &mut [bool]) {
    let mut i = 0;
    while i < chars.len() {
        if !matches!(chars[i], 'h' | 'H') || !starts_url(chars, i) {
            i += 1;
            continue;
        }
        let end = chars[i..]
            .iter()
            .position(|&c| !is_url_char(c))
            .map_or(chars.len(), |p| i + p);
        for slot in &mut allowed[i + 1..end] {
            *slot = true;
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let allowed = opportunities(text, &chars);
        let mut out = String::new();
        for (i, c) in chars.iter().enumerate() {
            if i > 0 && allowed[i] {
                out.push('|');
            }
            out.push(*c);
        }
        out
    }

    #[test]
    fn ideographs_break_anywhere_words_stay_whole() {
        assert_eq!(marked("中文abc def"), "中|文|abc |def");
        assert_eq!(marked("科技2024年"), "科|技|2024|年");
    }

    #[test]
    fn quotes_between_east_asian_characters_allow_breaks() {
        assert_eq!(
            marked("移“拉长板”“补短板”的"),
            "移|“拉|长|板”|“补|短|板”|的"
        );
        assert_eq!(marked("say “hi” now"), "say |“hi” |now");
    }

    #[test]
    fn urls_break_anywhere() {
        assert_eq!(
            marked("见https://a.cn/x。"),
            "见|h|t|t|p|s|:|/|/|a|.|c|n|/|x。"
        );
        assert_eq!(marked("xhttp://a"), "xhttp://|a");
    }

    #[test]
    fn uax14_already_keeps_most_punctuation_in_place() {
        assert_eq!(marked("好，“对”。"), "好，|“对”。");
        assert_eq!(marked("（一）有"), "（一）|有");
        assert_eq!(marked("……——说"), "……|——|说");
    }

    #[test]
    fn kinsoku_tables() {
        for c in "，。、；：？！）」』”’…》〉】〕｝］．·ーっ".chars() {
            assert!(is_line_start_prohibited(c), "{c:?}");
            assert!(!is_line_end_prohibited(c), "{c:?}");
        }
        for c in "（「『“‘《〈【〔｛［".chars() {
            assert!(is_line_end_prohibited(c), "{c:?}");
            assert!(!is_line_start_prohibited(c), "{c:?}");
        }
        assert!(kinsoku_allows('中', '文'));
        assert!(!kinsoku_allows('中', '。'));
        assert!(!kinsoku_allows('「', '中'));
    }
}
