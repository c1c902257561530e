//! Layout tests: concrete breaks, every fixture paragraph at every width from 10 to 200, and
//! property tests on random text.

use proptest::prelude::*;
use unicode_width::UnicodeWidthStr;

use super::*;
use crate::text::fixtures;
use crate::text::linebreak::kinsoku_allows;
use crate::text::width::str_width;

const NARROW: WidthOptions = WidthOptions {
    ambiguous_wide: false,
};

fn opts(width: usize) -> LayoutOptions {
    LayoutOptions {
        width,
        width_opts: NARROW,
    }
}

fn texts(text: &str, width: usize) -> Vec<&str> {
    layout_paragraph(text, &opts(width))
        .iter()
        .map(|l| l.text(text))
        .collect()
}

fn drawn(text: &str, width: usize) -> Vec<String> {
    layout_paragraph(text, &opts(width))
        .iter()
        .map(|l| draw_line(text, l, &NARROW))
        .collect()
}

/// Clusters of `text` as (start, end, width), in code points.
fn clusters(chars: &[char], o: &WidthOptions) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for_each_cluster(chars, o, |s, e, w| out.push((s, e, w)));
    out
}

/// Checks every rule the module documents; returns how many line ends break a kinsoku rule.
fn check(text: &str, o: &LayoutOptions) -> usize {
    let lines = layout_paragraph(text, o);
    let chars: Vec<char> = text.chars().collect();
    let cl = clusters(&chars, &o.width_opts);
    let mut index = vec![usize::MAX; chars.len() + 1];
    for (k, c) in cl.iter().enumerate() {
        index[c.0] = k;
    }
    let keeps_kinsoku = |k: usize| kinsoku_allows(chars[cl[k - 1].0], chars[cl[k].0]);
    assert!(!lines.is_empty());
    assert_eq!(lines[0].start, 0);
    assert_eq!(lines[lines.len() - 1].end, chars.len());
    let mut joined = String::new();
    for pair in lines.windows(2) {
        assert_eq!(pair[0].end, pair[1].start, "{text:?} {o:?}");
        assert!(pair[0].start < pair[0].end, "empty line in {text:?}");
    }
    let mut violations = 0;
    for (i, line) in lines.iter().enumerate() {
        let source = line.text(text);
        assert_eq!(source.chars().count(), line.end - line.start);
        joined.push_str(source);
        assert!(line.width <= o.width, "{text:?} {o:?} {line:?}");
        let shown = draw_line(text, line, &o.width_opts);
        assert_eq!(str_width(&shown, &o.width_opts), line.width, "{shown:?}");
        let terminal = if o.width_opts.ambiguous_wide {
            shown.width_cjk()
        } else {
            shown.width()
        };
        assert!(terminal <= line.width, "{shown:?} {terminal} > {line:?}");
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        let ends_hard = source.chars().last().is_some_and(is_hard_break);
        if o.width == 0 || i + 1 == lines.len() || ends_hard {
            continue;
        }
        let (first, next) = (index[line.start], index[line.end]);
        assert!(
            first < next && next < cl.len(),
            "lines start and end on clusters"
        );
        if !keeps_kinsoku(next) {
            violations += 1;
            let avoidable = (first + 1..next).any(keeps_kinsoku);
            assert!(
                !avoidable,
                "avoidable kinsoku break in {text:?} at {line:?} {o:?}"
            );
            let full: usize = cl[first..next].iter().map(|c| c.2).sum();
            assert!(
                full + cl[next].2 > o.width,
                "kinsoku broken on a short line {line:?}"
            );
        }
    }
    assert_eq!(joined, text);
    violations
}

#[test]
fn line_start_punctuation_is_pushed_with_the_character_before() {
    assert_eq!(texts("一二三四五。", 10), ["一二三四", "五。"]);
    assert_eq!(texts("一二三四，五六", 8), ["一二三", "四，五六"]);
    assert_eq!(texts("说：“一二三”。好", 12), ["说：“一二", "三”。好"]);
}

#[test]
fn line_end_openers_are_pushed_to_the_next_line() {
    assert_eq!(texts("一二三（四五）", 8), ["一二三", "（四五）"]);
    assert_eq!(texts("甲乙丙丁《戊己》", 10), ["甲乙丙丁", "《戊己》"]);
}

#[test]
fn curly_quotes_between_ideographs_break_outside_the_quotes() {
    assert_eq!(
        texts("坚定不移“拉长板”“补短板”", 10),
        ["坚定不移", "“拉长板”", "“补短板”"]
    );
}

#[test]
fn latin_words_and_numbers_stay_whole() {
    assert_eq!(texts("我们说hello世界", 8), ["我们说", "hello世", "界"]);
    assert_eq!(texts("在2024年的", 7), ["在2024", "年的"]);
    assert_eq!(texts("abcdefghijkl", 5), ["abcde", "fghij", "kl"]);
}

#[test]
fn urls_fill_the_line_and_break_anywhere() {
    assert_eq!(
        texts("见https://example.com/path", 10),
        ["见https://", "example.co", "m/path"]
    );
}

#[test]
fn spaces_hang_at_the_end_of_a_line() {
    let text = "abcd   efgh";
    let lines = layout_paragraph(text, &opts(4));
    assert_eq!(texts(text, 4), ["abcd   ", "efgh"]);
    assert_eq!(lines[0].width, 4);
    assert_eq!(draw_line(text, &lines[0], &NARROW), "abcd");
    assert_eq!(texts("ab cd", 5), ["ab cd"]);
}

#[test]
fn hard_breaks_end_lines() {
    assert_eq!(texts("ab\ncd", 10), ["ab\n", "cd"]);
    assert_eq!(texts("ab\n", 10), ["ab\n"]);
    assert_eq!(texts("ab\r\ncd\r", 10), ["ab\r\n", "cd\r"]);
    assert_eq!(texts("\n\n", 10), ["\n", "\n"]);
    assert_eq!(texts("a\u{2029}b", 10), ["a\u{2029}", "b"]);
    assert_eq!(drawn("ab\ncd", 10), ["ab", "cd"]);
}

#[test]
fn empty_paragraph_is_one_empty_line() {
    assert_eq!(layout_paragraph("", &opts(10)), vec![LineSpan::default()]);
}

#[test]
fn width_zero_is_one_undrawn_line() {
    let lines = layout_paragraph("中文", &opts(0));
    assert_eq!(
        lines,
        vec![LineSpan {
            start: 0,
            end: 2,
            byte_start: 0,
            byte_end: 6,
            width: 0
        }]
    );
    assert_eq!(draw_line("中文", &lines[0], &NARROW), "");
}

#[test]
fn too_wide_clusters_get_their_own_line_and_a_placeholder() {
    assert_eq!(texts("中a文", 1), ["中", "a", "文"]);
    assert_eq!(drawn("中a文", 1), ["⬚", "a", "⬚"]);
    assert_eq!(texts("\tx", 2), ["\t", "x"]);
    assert_eq!(drawn("\tx", 2), ["  ", "x"]);
    assert_eq!(drawn("中文", 2), ["中", "文"]);
}

#[test]
fn combining_marks_stay_with_their_base() {
    assert_eq!(texts("e\u{301}e\u{301}", 1), ["e\u{301}", "e\u{301}"]);
    assert_eq!(
        texts("\u{2764}\u{fe0f}\u{2764}\u{fe0f}", 3),
        ["\u{2764}\u{fe0f}", "\u{2764}\u{fe0f}"]
    );
}

#[test]
fn zwj_sequences_split_only_when_nothing_else_fits() {
    let family = "👨\u{200d}👩\u{200d}👧";
    assert_eq!(texts(&format!("ab{family}"), 6), ["ab", family]);
    assert_eq!(texts(family, 4), ["👨\u{200d}👩\u{200d}", "👧"]);
}

#[test]
fn controls_are_drawn_as_symbols() {
    assert_eq!(
        drawn("a\u{1b}[31mb\u{7f}\u{9b}\u{202e}\tc", 40),
        ["a␛[31mb␡␦⇆    c"]
    );
    assert_eq!(texts("\u{1b}\u{1b}\u{1b}", 2), ["\u{1b}\u{1b}", "\u{1b}"]);
}

#[test]
fn ambiguous_width_setting_changes_the_breaks() {
    let wide = LayoutOptions {
        width: 8,
        width_opts: WidthOptions {
            ambiguous_wide: true,
        },
    };
    let text = "他说“好”";
    assert_eq!(texts(text, 8), ["他说“好”"]);
    let lines = layout_paragraph(text, &wide);
    let got: Vec<&str> = lines.iter().map(|l| l.text(text)).collect();
    assert_eq!(got, ["他说", "“好”"]);
}

#[test]
fn kinsoku_gives_way_to_the_width() {
    assert_eq!(texts("……。。", 2), ["……", "。", "。"]);
    check("……。。", &opts(2));
}

#[test]
fn draw_line_with_reports_source_offsets() {
    let text = "a\u{1b}中";
    let line = layout_paragraph(text, &opts(10))[0];
    let mut got = Vec::new();
    draw_line_with(text, &line, &NARROW, |o, s| got.push((o, s.to_string())));
    assert_eq!(got, [(0, "a".into()), (1, "␛".into()), (2, "中".into())]);
}

#[test]
fn fixture_snapshot() {
    let (_, text) = fixtures::ALL[2];
    let para = text.lines().find(|l| l.chars().count() > 150).unwrap_or("");
    let lines: Vec<String> = layout_paragraph(para, &opts(30))
        .iter()
        .map(|l| format!("{:2} |{}|", l.width, draw_line(para, l, &NARROW)))
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn every_fixture_paragraph_at_every_width() {
    let mut violations = 0;
    for (_, para) in fixtures::paragraphs() {
        for width in 10..=200 {
            violations += check(para, &opts(width));
        }
    }
    assert_eq!(violations, 0);
}

#[test]
fn every_fixture_paragraph_with_wide_ambiguous_characters() {
    let wide = WidthOptions {
        ambiguous_wide: true,
    };
    for (_, para) in fixtures::paragraphs() {
        for width in (10..=200).step_by(3) {
            check(
                para,
                &LayoutOptions {
                    width,
                    width_opts: wide,
                },
            );
        }
    }
}

#[test]
fn whole_fixtures_with_hard_breaks() {
    for (_, text) in fixtures::ALL {
        for width in [10, 37, 80, 200] {
            check(text, &opts(width));
        }
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[一二三四五六七八九十中文科技創新國產業]{1,6}",
        2 => "[a-zA-Z0-9]{1,12}",
        2 => "[ ,.;:!?()]",
        3 => "[，。、；：？！）」』”’…》〉】〕｝］．·ー（「『“‘《〈【〔｛［]",
        1 => "[\u{0}-\u{1f}\u{7f}\u{80}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}]",
        1 => Just("👨\u{200d}👩\u{200d}👧".to_string()),
        1 => "[aeo中][\u{300}-\u{36f}]{1,3}",
        1 => "[\u{2764}\u{263a}][\u{fe0f}\u{fe0e}]?",
        1 => Just("https://example.com/a_b?c=d".to_string()),
        1 => "[\t\r\n\u{2028}\u{200b}\u{ad}\u{3000}]",
        1 => "[—“”…·]{1,3}",
    ]
}

fn word_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[一二三四五六七八九十中文]{1,4}",
        3 => "[a-z0-9]{1,12}",
        1 => Just(" ".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::test_support::cases(512)))]

    #[test]
    fn random_text_keeps_every_rule(
        pieces in prop::collection::vec(piece(), 0..40),
        width in 0usize..=40,
        ambiguous_wide in any::<bool>(),
    ) {
        let text = pieces.concat();
        check(&text, &LayoutOptions { width, width_opts: WidthOptions { ambiguous_wide } });
    }

    #[test]
    fn words_split_only_when_wider_than_the_line(
        pieces in prop::collection::vec(word_piece(), 0..30),
        width in 1usize..=20,
    ) {
        let text = pieces.concat();
        let chars: Vec<char> = text.chars().collect();
        let lines = layout_paragraph(&text, &opts(width));
        for line in &lines[..lines.len() - 1] {
            let b = line.end;
            if chars[b - 1].is_ascii_alphanumeric() && chars[b].is_ascii_alphanumeric() {
                let from = chars[..b].iter().rposition(|c| !c.is_ascii_alphanumeric()).map_or(0, |p| p + 1);
                let to = chars[b..].iter().position(|c| !c.is_ascii_alphanumeric()).map_or(chars.len(), |p| b + p);
                prop_assert!(to - from > width, "{text:?} split at {b} at width {width}");
            }
        }
    }
}
