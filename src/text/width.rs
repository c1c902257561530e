//! Display widths of characters and strings as pizhu draws them.
//!
//! Widths come from unicode-width, applied to what is drawn (see [`super::sanitize`]): a
//! control character counts as its one-column symbol, a tab as [`TAB_WIDTH`] columns, a hard
//! line break as zero. East Asian ambiguous characters (`“ ”`, `—`, `…`, `·`) are narrow unless
//! [`WidthOptions::ambiguous_wide`] is set, because terminals differ.
//!
//! Layout never splits a *cluster*: a character of nonzero width together with the zero-width
//! characters that follow it (combining marks, variation selectors, joiners). A cluster is as
//! wide as the larger of the sum of its characters' widths and unicode-width's width of the
//! whole sequence, so `❤` + VS16 counts two columns, as terminals draw it, and an emoji ZWJ
//! sequence counts the sum of its parts, which is never less than any terminal draws.
//!
//! [`TAB_WIDTH`]: super::sanitize::TAB_WIDTH

use unicode_width::{UnicodeWidthChar, char_iter_width, char_iter_width_cjk};

use super::sanitize::{DisplayChar, TAB_WIDTH, display_char, is_hard_break};

/// How to measure characters whose width depends on the terminal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct WidthOptions {
    /// Count East Asian ambiguous characters as two columns instead of one.
    pub ambiguous_wide: bool,
}

/// Columns that `c` takes as drawn.
pub fn char_width(c: char, opts: &WidthOptions) -> usize {
    match display_char(c) {
        DisplayChar::Same(c) => raw_width(c, opts),
        DisplayChar::Symbol(_) => 1,
        DisplayChar::Tab => TAB_WIDTH,
        DisplayChar::Break => 0,
    }
}

/// Columns that `s` takes as drawn on one line: the sum of its clusters' widths.
pub fn str_width(s: &str, opts: &WidthOptions) -> usize {
    let chars: Vec<char> = s.chars().collect();
    let mut total = 0;
    for_each_cluster(&chars, opts, |_, _, w| total += w);
    total
}

/// Calls `f(start, end, width)` for each cluster of `chars`, in order.
pub(crate) fn for_each_cluster(
    chars: &[char],
    opts: &WidthOptions,
    mut f: impl FnMut(usize, usize, usize),
) {
    let mut start = 0;
    let mut sum = 0;
    for (i, &c) in chars.iter().enumerate() {
        let w = char_width(c, opts);
        if i > 0 && starts_cluster(chars[i - 1], c, w) {
            f(start, i, cluster_width(&chars[start..i], sum, opts));
            start = i;
            sum = 0;
        }
        sum += w;
    }
    if start < chars.len() {
        f(
            start,
            chars.len(),
            cluster_width(&chars[start..], sum, opts),
        );
    }
}

/// Whether `c`, of width `w`, starts a new cluster after `prev`.
fn starts_cluster(prev: char, c: char, w: usize) -> bool {
    w > 0 || (is_hard_break(prev) && !(prev == '\r' && c == '\n'))
}

/// Width of one cluster whose characters' widths add up to `sum`: the larger of `sum` and
/// unicode-width's width of what is drawn for the whole cluster.
fn cluster_width(cluster: &[char], sum: usize, opts: &WidthOptions) -> usize {
    if cluster.len() < 2 || cluster.contains(&'\t') {
        return sum;
    }
    let drawn = cluster.iter().filter_map(|&c| match display_char(c) {
        DisplayChar::Same(c) | DisplayChar::Symbol(c) => Some(c),
        DisplayChar::Tab | DisplayChar::Break => None,
    });
    let whole = if opts.ambiguous_wide {
        char_iter_width_cjk(drawn)
    } else {
        char_iter_width(drawn)
    };
    sum.max(whole)
}

fn raw_width(c: char, opts: &WidthOptions) -> usize {
    // Fast paths for the bulk of Chinese text; the tests check them against unicode-width.
    match c {
        ' '..='~' => return 1,
        '\u{3000}'..='\u{3029}' | '\u{4e00}'..='\u{9fff}' | '\u{ff01}'..='\u{ff60}' => return 2,
        _ => {}
    }
    let w = if opts.ambiguous_wide {
        c.width_cjk()
    } else {
        c.width()
    };
    w.unwrap_or(1)
}

/// Whether `c` is East Asian wide or fullwidth (two columns whatever the options).
pub(crate) fn is_east_asian_wide(c: char) -> bool {
    c.width() == Some(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NARROW: WidthOptions = WidthOptions {
        ambiguous_wide: false,
    };
    const WIDE: WidthOptions = WidthOptions {
        ambiguous_wide: true,
    };

    #[test]
    fn cjk_is_two_columns_ascii_one() {
        assert_eq!(char_width('中', &NARROW), 2);
        assert_eq!(char_width('，', &NARROW), 2);
        assert_eq!(char_width('a', &NARROW), 1);
        assert_eq!(str_width("中文abc", &NARROW), 7);
    }

    #[test]
    fn fast_paths_agree_with_unicode_width() {
        let ranges = [
            (0x20, 0x7e),
            (0x3000, 0x3029),
            (0x4e00, 0x9fff),
            (0xff01, 0xff60),
        ];
        for (from, to) in ranges {
            for c in (from..=to).filter_map(char::from_u32) {
                assert_eq!(Some(raw_width(c, &NARROW)), c.width(), "{c:?}");
                assert_eq!(Some(raw_width(c, &WIDE)), c.width_cjk(), "{c:?}");
            }
        }
    }

    #[test]
    fn ambiguous_characters_follow_the_setting() {
        for c in ['“', '”', '—', '…', '·'] {
            assert_eq!(char_width(c, &NARROW), 1, "{c:?}");
            assert_eq!(char_width(c, &WIDE), 2, "{c:?}");
        }
        assert_eq!(str_width("“拉长板”", &NARROW), 8);
        assert_eq!(str_width("“拉长板”", &WIDE), 10);
    }

    #[test]
    fn controls_count_as_their_symbols() {
        assert_eq!(char_width('\u{1b}', &NARROW), 1);
        assert_eq!(char_width('\u{9b}', &WIDE), 1);
        assert_eq!(char_width('\u{202e}', &NARROW), 1);
        assert_eq!(char_width('\t', &NARROW), TAB_WIDTH);
        assert_eq!(char_width('\n', &NARROW), 0);
        assert_eq!(str_width("a\u{1b}[0m", &NARROW), 5);
    }

    #[test]
    fn zero_width_characters_stay_zero() {
        assert_eq!(char_width('\u{200d}', &NARROW), 0);
        assert_eq!(char_width('\u{301}', &NARROW), 0);
        assert_eq!(str_width("e\u{301}", &NARROW), 1);
    }

    #[test]
    fn clusters_take_the_wider_reading() {
        assert_eq!(str_width("\u{2764}\u{fe0f}", &NARROW), 2);
        assert_eq!(str_width("👨\u{200d}👩\u{200d}👧", &NARROW), 6);
        assert_eq!(str_width("🇨🇳", &NARROW), 2);
    }

    #[test]
    fn clusters_keep_marks_with_their_base_and_split_after_breaks() {
        let chars: Vec<char> = "ae\u{301}\u{302}\n\u{301}b\r\nc".chars().collect();
        let mut got = Vec::new();
        for_each_cluster(&chars, &NARROW, |s, e, w| got.push((s, e, w)));
        assert_eq!(
            got,
            vec![(0, 1, 1), (1, 5, 1), (5, 6, 0), (6, 9, 1), (9, 10, 1)]
        );
    }
}
