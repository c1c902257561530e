//! Tests of the whole cleaning pass on the five sample documents in `tests/fixtures/`:
//! snapshots of each reading view, article sentences that must stay, debris that must go, and
//! the offset round trip.

use proptest::prelude::*;

use super::{Cleaned, MetaKind, NoiseReason, clean};
use crate::doc::Span;
use crate::doc::view::{View, ViewOptions};

/// The sample documents, by short name.
pub(crate) const FIXTURES: [(&str, &str); 5] = [
    (
        "wuda",
        include_str!("../../tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt"),
    ),
    (
        "shanghai",
        include_str!("../../tests/fixtures/shanghai-kechuang-zhongxin.zh-Hant.txt"),
    ),
    (
        "keji",
        include_str!("../../tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt"),
    ),
    (
        "quanqiu",
        include_str!("../../tests/fixtures/quanqiu-keji-xiezuo.zh-Hans.txt"),
    ),
    (
        "ronghe",
        include_str!("../../tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt"),
    ),
];

/// The text of the fixture with short name `name`.
pub(crate) fn fixture(name: &str) -> &'static str {
    FIXTURES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

fn cleaned_view(name: &str) -> (Cleaned, View) {
    let text = fixture(name);
    let cleaned = clean(text);
    let view = View::build(text, &cleaned.folded_spans(), &ViewOptions::default());
    (cleaned, view)
}

/// Asserts that every sentence is in the view and no debris is.
fn check_view(name: &str, present: &[&str], absent: &[&str]) {
    let (_, view) = cleaned_view(name);
    for s in present {
        assert!(view.text().contains(s), "{name}: missing article text {s}");
    }
    for s in absent {
        assert!(
            !view.text().contains(s),
            "{name}: debris still visible: {s}"
        );
    }
}

/// Every sentence of the article (text between sentence ends, in the full-width view) that is
/// not on a debris line must be in the view. Checks the acceptance criterion mechanically.
fn every_sentence_kept(name: &str, debris_lines: &[usize]) {
    let text = fixture(name);
    let (_, view) = cleaned_view(name);
    let plain = View::build(
        text,
        &clean(text).folded_spans(),
        &ViewOptions {
            fullwidth_punct: false,
        },
    );
    for (i, line) in text.lines().enumerate() {
        if debris_lines.contains(&(i + 1)) {
            continue;
        }
        let kept_line = strip_readings(line);
        for sentence in kept_line.split(['。', '！', '？']) {
            let sentence = sentence.trim();
            if sentence.chars().count() < 4 {
                continue;
            }
            assert!(
                plain.text().contains(sentence),
                "{name} line {}: sentence not in view: {sentence}",
                i + 1
            );
        }
    }
    assert_eq!(plain.char_len(), view.char_len());
}

/// `line` without `(pinyin)` readings, the CSS prefix of the wuda fixture and the orphan
/// reading: what the reader should see of it.
fn strip_readings(line: &str) -> String {
    let re =
        regex::Regex::new(r#"\([a-zü\u{00e0}-\u{01dc}]+\)|jīng\)|^.*16pt;"> "#).expect("regex");
    re.replace_all(line, "").into_owned()
}

#[test]
fn snapshot_wuda() {
    insta::assert_snapshot!(cleaned_view("wuda").1.text());
}

#[test]
fn snapshot_shanghai() {
    insta::assert_snapshot!(cleaned_view("shanghai").1.text());
}

#[test]
fn snapshot_keji() {
    insta::assert_snapshot!(cleaned_view("keji").1.text());
}

#[test]
fn snapshot_quanqiu() {
    insta::assert_snapshot!(cleaned_view("quanqiu").1.text());
}

#[test]
fn snapshot_ronghe() {
    insta::assert_snapshot!(cleaned_view("ronghe").1.text());
}

#[test]
fn wuda_keeps_the_article_and_drops_css_and_readings() {
    check_view(
        "wuda",
        &[
            "新質生產力是創新起主導作用，擺脫傳統經濟增長方式",
            "一、加強國家戰略科技力量建設，打贏關鍵核心技術攻堅戰",
            "我國2023年研發經費投入達33278億元，占國內生產總值的比重為2.64%,超過了歐盟國家平均水平",
            "構建“基礎研究+技術攻關+成果轉化+科技金融+人才支撐”全過程創新鏈",
            "20-45歲是一個人創新思維最活躍、最容易出成果的時期",
            "作者：樊繼達 2024-08-28 17:04:55",
        ],
        &[
            "margin-bottom",
            "font-family",
            "16pt",
            "(zhì)",
            "(chǎn)",
            "jīng",
            "\">",
        ],
    );
    every_sentence_kept("wuda", &[]);
}

#[test]
fn wuda_pinyin_readings_are_gone() {
    let (_, view) = cleaned_view("wuda");
    assert!(view.text().contains("新質生產力"));
    assert!(!view.text().contains("(zh"));
    let readings = regex::Regex::new(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)").expect("regex");
    assert!(!readings.is_match(view.text()));
}

#[test]
fn shanghai_keeps_the_article_and_drops_spam() {
    check_view(
        "shanghai",
        &[
            "上海科創中心建設應堅定不移“拉長板”“補短板”",
            "[摘 要]通過調研廣東省佛山市、東莞市、深圳市科技創新的做法",
            "[關鍵詞]科技創新；全球影響力；產學研；人才引領",
            "形成了“6個90%”的鮮明特色,90%創新來自“華為”“騰訊”等龍頭品牌企業",
            "推動科技創新一開始就和成果轉化、落地產業化結合在一 起。",
            "執筆：邢邦志、周國良、趙宏衛",
            "(責任編輯 周 巍)",
        ],
        &[
            "精品在线视频",
            "主站蜘蛛池模板",
            "人妻",
            "毛片",
            "四虎国产在线观看",
            "你懂的",
        ],
    );
    every_sentence_kept("shanghai", &[1, 48]);
}

#[test]
fn keji_keeps_the_article_and_drops_the_paywall() {
    check_view(
        "keji",
        &[
            "专题党课：学习贯彻党的二十届三中全会精神，推动科技创新和产业创新深度融合",
            "更新时间:2024-10 来源：网友投稿",
            "二、科技创新和产业创新深度融合面临的突出问题",
            "(一)健全开放协同创新体制机制。",
            "加快推动AI大模型在更多领域、更深层次进行商业化应用和产品迭代升级。",
        ],
        &["此处隐藏", "下载后查看", "2925字", "---"],
    );
    every_sentence_kept("keji", &[15]);
}

#[test]
fn quanqiu_keeps_the_article_and_drops_site_chrome() {
    check_view(
        "quanqiu",
        &[
            "推动全球科技创新协作\n发布时间:2021-11-11",
            "核心阅读",
            "习近平总书记在向2021中关村论坛视频致贺时指出：“当今世界，发展科学技术必须具有全球视野",
            "推动全球科技创新协作意义重大",
            "拥有90多所大学、1000多所科研院所和近3万家国家级高新技术企业",
            "(执笔：方力 任晓刚)",
        ],
        &[
            "登录窗口",
            "读者登录",
            "旧版入口",
            "期刊简介",
            "首页>战略与政策",
            "点击数量",
            "推荐文章",
            "油气安全战略",
            "专题:生物制造",
            "专题：生物制造",
            "快速通道",
            "引用排行",
            "RSS",
            "访问者",
            "ICP备",
            "邮编",
            "技术支持",
        ],
    );
    every_sentence_kept(
        "quanqiu",
        &(1..=16)
            .filter(|&l| l != 13 && l != 14 && l != 15)
            .chain(59..=223)
            .collect::<Vec<_>>(),
    );
}

#[test]
fn ronghe_keeps_headings_faq_and_lists_and_drops_the_meta_description() {
    check_view(
        "ronghe",
        &[
            "科技创新与产业创新融合：构建中国式现代化的物质技术基础",
            "引言：",
            "1. 高质量发展阶段的内在要求：",
            "a. 培育壮大科技领军企业机制: 建立培育壮大科技领军企业机制",
            "  • 数字经济: 推动数字技术与实体经济深度融合",
            "1. 科技创新与产业创新融合的本质是什么？",
            "* 科技成果转化率\n\n* 产业创新活力",
            "结论",
            "最后，希望本文能帮助读者更好地理解",
        ],
        &[
            "元描述",
            "深入探讨科技创新与产业创新融合的重要性、目标方向和关键路径",
        ],
    );
    every_sentence_kept("ronghe", &[3]);
}

#[test]
fn reason_counts_per_fixture() {
    let count = |name: &str, reason: NoiseReason| {
        clean(fixture(name))
            .noise
            .iter()
            .filter(|n| n.reason == reason)
            .count()
    };
    assert_eq!(count("wuda", NoiseReason::Css), 1);
    assert!(count("wuda", NoiseReason::PinyinReading) > 700);
    assert_eq!(count("shanghai", NoiseReason::Spam), 2);
    assert_eq!(count("keji", NoiseReason::Paywall), 1);
    assert_eq!(count("ronghe", NoiseReason::SeoMeta), 1);
    assert_eq!(clean(fixture("ronghe")).noise.len(), 1);
    assert_eq!(count("quanqiu", NoiseReason::Boilerplate), 3);
}

#[test]
fn metadata_per_fixture() {
    let meta = |name: &str| -> Vec<(MetaKind, String)> {
        clean(fixture(name))
            .metadata
            .into_iter()
            .map(|m| (m.kind, m.value))
            .collect()
    };
    let m = |pairs: &[(MetaKind, &str)]| -> Vec<(MetaKind, String)> {
        pairs.iter().map(|&(k, v)| (k, v.to_owned())).collect()
    };
    assert_eq!(
        meta("wuda"),
        m(&[
            (MetaKind::Author, "樊繼達"),
            (MetaKind::Date, "2024-08-28 17:04:55")
        ])
    );
    assert_eq!(
        meta("shanghai"),
        m(&[
            (MetaKind::Date, "2023-09-01 02:46:15"),
            (MetaKind::Author, "中共上海市委黨校第133期領導干部進修班"),
            (MetaKind::Source, "黨政論壇 2023年4期"),
            (MetaKind::Author, "邢邦志、周國良、趙宏衛"),
            (MetaKind::Editor, "周 巍"),
        ])
    );
    assert_eq!(
        meta("keji"),
        m(&[
            (MetaKind::Updated, "2024-10"),
            (MetaKind::Source, "网友投稿")
        ])
    );
    assert_eq!(
        meta("quanqiu"),
        m(&[
            (MetaKind::Date, "2021-11-11"),
            (MetaKind::Source, "人民日报"),
            (
                MetaKind::Author,
                "北京市习近平新时代中国特色社会主义思想研究中心"
            ),
            (MetaKind::Author, "方力 任晓刚"),
        ])
    );
    assert!(meta("ronghe").is_empty());
}

#[test]
fn paragraphs_are_visible_body_lines() {
    for (name, text) in FIXTURES {
        let cleaned = clean(text);
        let view = View::build(text, &cleaned.folded_spans(), &ViewOptions::default());
        let in_view = view.view_paragraphs(&cleaned.paragraphs);
        assert_eq!(in_view.len(), cleaned.paragraphs.len(), "{name}");
        assert!(cleaned.paragraphs.windows(2).all(|w| w[0].end < w[1].start));
        for p in &cleaned.paragraphs {
            assert!(
                !cleaned
                    .noise
                    .iter()
                    .any(|n| n.span.start <= p.start && p.end <= n.span.end)
            );
            assert!(!cleaned.metadata.iter().any(|m| p.contains(m.span.start)));
        }
    }
    let first = clean(fixture("wuda")).paragraphs[0];
    assert!(super::noise_text(fixture("wuda"), first).starts_with("新質(zhì)生產(chǎn)力是"));
    assert_eq!(clean(fixture("wuda")).paragraphs.len(), 27);
    assert_eq!(
        clean(fixture("quanqiu")).paragraphs[0],
        Span::new(
            fixture("quanqiu")
                .lines()
                .take(12)
                .map(|l| l.chars().count() + 1)
                .sum(),
            fixture("quanqiu")
                .lines()
                .take(12)
                .map(|l| l.chars().count() + 1)
                .sum::<usize>()
                + 10,
        )
    );
}

#[test]
fn noise_is_sorted_disjoint_and_deterministic() {
    for (name, text) in FIXTURES {
        let a = clean(text);
        assert_eq!(a, clean(text), "{name}: deterministic");
        assert!(
            a.noise.windows(2).all(|w| w[0].span.end <= w[1].span.start),
            "{name}"
        );
        assert!(a.noise.iter().all(|n| !n.span.is_empty()));
    }
}

#[test]
fn content_that_looks_like_debris_stays() {
    let prose = "科技创新是推动经济社会发展的重要引擎，二者相互促进、协同发展。";
    let text = format!(
        "{prose}\n一、总体要求\n1. 加强顶层设计\n2. 完善政策体系\n3. 如何衡量融合的程度?\n“创新是引领发展的第一动力。”\nInnovation is the first driving force: it matters.\nRSS\n{prose}\n"
    );
    let cleaned = clean(&text);
    assert!(cleaned.noise.is_empty(), "{:?}", cleaned.noise);
    assert_eq!(cleaned.paragraphs.len(), 9);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::test_support::cases(64)))]

    #[test]
    fn offsets_round_trip_on_fixtures_with_random_folds(
        which in 0..FIXTURES.len(),
        extra in prop::collection::vec((0usize..30_000, 0usize..200), 0..12),
    ) {
        let text = FIXTURES[which].1;
        let n = text.chars().count();
        let mut folds = clean(text).folded_spans();
        folds.extend(extra.into_iter().map(|(s, len)| Span::new(s % n, (s % n + len).min(n))));
        crate::doc::view::tests::check_view(text, &folds);
    }
}

#[test]
fn offsets_round_trip_on_cleaned_fixtures() {
    for (_, text) in FIXTURES {
        crate::doc::view::tests::check_view(text, &clean(text).folded_spans());
    }
}
