//! Tests of the default codebook and the tagger on the sample corpus.

use super::fixtures::{ALL, fold, is_traditional, passages, shadow_corpus};
use super::*;

const MAIN_THEMES: [&str; 11] = [
    "talent",
    "enterprise",
    "basic-research",
    "key-tech",
    "regional",
    "international",
    "commercialization",
    "finance",
    "institutions",
    "industry",
    "new-productive-forces",
];

fn default_tagger() -> Tagger {
    Tagger::new(&Codebook::default_codebook()).expect("default tagger")
}

/// The default tagger weighted by statistics over the whole corpus, as a library would be.
fn library_tagger() -> Tagger {
    let corpus = shadow_corpus();
    let tagger = default_tagger();
    let stats = TermStats::from_passages(
        corpus
            .iter()
            .flat_map(|(_, ps)| ps.iter().map(String::as_str)),
        &tagger,
    );
    tagger.with_stats(&stats)
}

fn suggested(tagger: &Tagger, passage: &str) -> Vec<String> {
    suggestions(&tagger.score(passage), DEFAULT_THRESHOLD)
        .into_iter()
        .map(|s| s.theme.clone())
        .collect()
}

/// documents × themes: number of passages on which the theme is suggested.
fn matrix(tagger: &Tagger) -> Vec<(&'static str, Vec<usize>)> {
    let ids = tagger.theme_ids();
    shadow_corpus()
        .into_iter()
        .map(|(name, ps)| {
            let mut row = vec![0; ids.len()];
            for p in &ps {
                for theme in suggested(tagger, p) {
                    if let Some(i) = ids.iter().position(|id| *id == theme) {
                        row[i] += 1;
                    }
                }
            }
            (name, row)
        })
        .collect()
}

fn print_matrix(title: &str, tagger: &Tagger) -> Vec<(&'static str, Vec<usize>)> {
    let m = matrix(tagger);
    println!("\n{title}");
    let ids = tagger.theme_ids();
    print!("{:<32}", "document (passages)");
    for id in ids {
        print!(" {:>5}", abbreviation(id));
    }
    println!();
    for ((name, row), (_, ps)) in m.iter().zip(shadow_corpus()) {
        print!("{:<32}", format!("{name} ({})", ps.len()));
        for n in row {
            print!(" {n:>5}");
        }
        println!();
    }
    println!("columns: {}", ids.join(", "));
    m
}

fn abbreviation(id: &str) -> String {
    id.split('-')
        .map(|w| &w[..w.len().min(if id.contains('-') { 2 } else { 5 })])
        .collect()
}

#[test]
fn every_main_theme_gets_hits_in_the_corpus() {
    let tagger = default_tagger();
    let corpus = shadow_corpus();
    for id in MAIN_THEMES {
        let hits: usize = corpus
            .iter()
            .flat_map(|(_, ps)| ps.iter())
            .filter(|p| tagger.score(p).iter().any(|s| s.theme == id))
            .count();
        assert!(hits >= 3, "theme {id} matched on only {hits} passages");
    }
}

#[test]
fn every_fixture_gets_at_least_three_themes() {
    for (title, tagger) in [
        ("without library statistics", default_tagger()),
        (
            "with library statistics (IDF over the corpus)",
            library_tagger(),
        ),
    ] {
        for (name, row) in print_matrix(title, &tagger) {
            let main = MAIN_THEMES
                .iter()
                .filter(|id| {
                    tagger
                        .theme_ids()
                        .iter()
                        .position(|t| t == *id)
                        .is_some_and(|i| row[i] > 0)
                })
                .count();
            assert!(
                main >= 3,
                "{name}: only {main} main themes suggested ({title})"
            );
        }
    }
}

#[test]
fn non_content_lines_get_no_suggestion() {
    let tagger = library_tagger();
    for line in [
        "更新时间:2024-10 来源:网友投稿",
        "常见问题解答",
        "结论",
        "引言:",
        "发布时间:2021-11-11",
        "点击数量:983次",
        "作者登录 审稿登录 编辑登录 读者登录",
        "(执笔:方力 任晓刚)",
        "---此处隐藏2925字,下载后查看---",
        "地址:北京三里河路52号 邮编 100864 Email:bulletin@cashq.ac.cn",
        "来源:人民日报   作者:北京市习近平新时代中国特色社会主义思想研究中心",
        "您是第34819433位访问者!",
        "1996-2021 中国科学院版本所有 备案序号: 京ICP备05002857",
        "技术支持:北京勤云科技发展有限公司",
        "作者:樊继达 2024-08-28 17:04:55",
        "执笔:邢邦志、周国良、赵宏卫",
        "2023-09-01 02:46:15中共上海市委党校第133期领导干部进修班",
        "党政论坛 2023年4期",
        "可以从以下几个方面衡量:",
        "推动科技创新与产业创新深度融合,旨在实现以下目标:",
    ] {
        assert_eq!(suggested(&tagger, line), Vec::<String>::new(), "{line}");
    }
    // The spam keyword line and the spam link list of the Shanghai fixture.
    let shanghai = fold(ALL[3].1);
    for line in passages(&shanghai)
        .into_iter()
        .filter(|l| l.contains("在线") || l.contains("主站"))
    {
        assert!(suggested(&tagger, line).is_empty(), "{line}");
    }
}

#[test]
fn tagger_sees_only_simplified() {
    let tagger = default_tagger();
    let wuda = ALL[4].1;
    let first = passages(wuda)[0];
    assert!(first.contains("新質(zhì)生產(chǎn)力"));
    let raw = tagger.score(first);
    assert!(
        !raw.iter()
            .flat_map(|s| &s.matched)
            .any(|h| h.term == "新质生产力"),
        "Traditional text must be folded first"
    );
    let folded = fold(first);
    let scores = tagger.score(&folded);
    let npf = scores
        .iter()
        .find(|s| s.theme == "new-productive-forces")
        .expect("new-productive-forces scored");
    let hit = npf
        .matched
        .iter()
        .find(|h| h.term == "新质生产力")
        .expect("新质生产力 matched");
    assert_eq!(hit.count, 4);
    let chars: Vec<char> = folded.chars().collect();
    for span in &hit.spans {
        assert_eq!(
            chars[span.start..span.end].iter().collect::<String>(),
            "新质生产力"
        );
    }
    assert!(suggested(&tagger, &folded).contains(&"new-productive-forces".to_string()));
}

#[test]
fn traditional_and_simplified_get_the_same_themes() {
    let tagger = library_tagger();
    // Hand-folded Simplified versions of Traditional passages.
    for (traditional, simplified) in [
        (
            "一、加強國家戰略科技力量建設,打贏關鍵核心技術攻堅戰",
            "一、加强国家战略科技力量建设,打赢关键核心技术攻坚战",
        ),
        (
            "三、實施人才強國戰略,打贏創新人才爭奪戰",
            "三、实施人才强国战略,打赢创新人才争夺战",
        ),
        (
            "四、注重核心關鍵人才對科技創新的牽引作用",
            "四、注重核心关键人才对科技创新的牵引作用",
        ),
        (
            "[關鍵詞]科技創新;全球影響力;產學研;人才引領",
            "[关键词]科技创新;全球影响力;产学研;人才引领",
        ),
        (
            "五、因地(dì)制宜推動(dòng)經(jīng)濟轉型,打好區域創新陣地戰(zhàn)",
            "五、因地制宜推动经济转型,打好区域创新阵地战",
        ),
    ] {
        let folded = fold(traditional);
        assert_eq!(folded, simplified);
        assert_eq!(tagger.score(&folded), tagger.score(simplified));
        assert!(!suggested(&tagger, simplified).is_empty(), "{simplified}");
    }
    // Taiwan word choices survive character folding and have keywords of their own.
    let tw = fold("推動人工智慧與晶片產業發展");
    assert_eq!(tw, "推动人工智慧与晶片产业发展");
    let themes = suggested(&tagger, &tw);
    assert!(themes.contains(&"digital".to_string()) && themes.contains(&"key-tech".to_string()));
    // Folding text that is already Simplified changes no suggestion: a mixed library can
    // fold everything.
    for (name, text) in ALL {
        if is_traditional(name) {
            continue;
        }
        for p in passages(text) {
            assert_eq!(suggested(&tagger, &fold(p)), suggested(&tagger, p), "{p}");
        }
    }
}

#[test]
fn suggest_matches_score_on_the_corpus() {
    let tagger = library_tagger();
    for (_, ps) in shadow_corpus() {
        for p in ps {
            let via_score: Vec<ThemeScore> = suggestions(&tagger.score(&p), DEFAULT_THRESHOLD)
                .into_iter()
                .cloned()
                .collect();
            assert_eq!(tagger.suggest(&p, DEFAULT_THRESHOLD), via_score);
        }
    }
}

/// One content passage per fixture: the suggestion list with its explanation.
#[test]
fn suggestion_snapshots() {
    let tagger = library_tagger();
    let corpus = shadow_corpus();
    let picks = [
        ("keji-chanye-ronghe-dangke", "(三)落实企业科技创新主体地位"),
        ("quanqiu-keji-xiezuo", "发挥科学基金独特作用"),
        (
            "ronghe-zhongguoshi-xiandaihua",
            "b. 促进专精特新中小企业发展壮大",
        ),
        (
            "shanghai-kechuang-zhongxin",
            "二是要实施更灵活的人才激励政策",
        ),
        ("wuda-chuangxin-zhanyi", "激励企业加大创新投入"),
    ];
    let mut out = String::new();
    for (name, prefix) in picks {
        let (_, ps) = corpus.iter().find(|(n, _)| *n == name).expect("fixture");
        let p = ps
            .iter()
            .find(|p| p.starts_with(prefix))
            .unwrap_or_else(|| panic!("{name}: no passage starting {prefix}"));
        out.push_str(&format!(
            "## {name}: {}… ({} chars)\n",
            p.chars().take(24).collect::<String>(),
            p.chars().count()
        ));
        for s in suggestions(&tagger.score(p), DEFAULT_THRESHOLD) {
            let terms: Vec<String> = s
                .matched
                .iter()
                .map(|h| format!("{}×{}", h.term, h.count))
                .collect();
            out.push_str(&format!(
                "{:<22} {:.2}  E={:.2}  {}\n",
                s.theme,
                s.score,
                s.evidence,
                terms.join(" ")
            ));
        }
        out.push('\n');
    }
    insta::assert_snapshot!(out);
}

/// Tuning aid: every passage with its top scores. `cargo test dump_scores -- --ignored --nocapture`
#[test]
#[ignore]
fn dump_scores() {
    let tagger = library_tagger();
    for (name, ps) in shadow_corpus() {
        println!("=== {name}");
        for p in ps {
            let scores = tagger.score(&p);
            let sugg: Vec<String> = suggestions(&scores, DEFAULT_THRESHOLD)
                .iter()
                .map(|s| format!("{}:{:.2}", s.theme, s.score))
                .collect();
            let rest: Vec<String> = scores
                .iter()
                .filter(|s| !sugg.iter().any(|x| x.starts_with(&format!("{}:", s.theme))))
                .map(|s| format!("{}:{:.2}/{:.1}", s.theme, s.score, s.evidence))
                .collect();
            println!(
                "[{}] {}\n    YES {}\n    no  {}",
                p.chars().count(),
                p.chars().take(40).collect::<String>(),
                sugg.join(" "),
                rest.join(" ")
            );
        }
    }
}

/// User + system CPU time of this thread in seconds (Linux, 10 ms ticks), so that other
/// processes on a shared machine do not count; wall-clock time where unavailable.
fn cpu_seconds() -> f64 {
    static EPOCH: std::sync::LazyLock<std::time::Instant> =
        std::sync::LazyLock::new(std::time::Instant::now);
    std::fs::read_to_string("/proc/thread-self/stat")
        .ok()
        .and_then(|s| {
            let fields: Vec<f64> = s
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|f| f.parse().ok())
                .collect();
            (fields.len() == 2).then(|| (fields[0] + fields[1]) / 100.0)
        })
        .unwrap_or_else(|| EPOCH.elapsed().as_secs_f64())
}

/// Throughput over the folded corpus: best of 5 runs of ~40 MB each, in thread CPU time.
/// Run with `cargo test --release tagging_throughput -- --ignored --nocapture`.
#[test]
#[ignore]
fn tagging_throughput() {
    let tagger = library_tagger();
    let corpus = shadow_corpus();
    let ps: Vec<&str> = corpus
        .iter()
        .flat_map(|(_, ps)| ps.iter().map(String::as_str))
        .collect();
    let bytes: usize = ps.iter().map(|p| p.len()).sum();
    let rounds = (40_000_000 / bytes).max(1);
    let best = |f: &dyn Fn(&str) -> usize| {
        let mut best = f64::INFINITY;
        let mut n = 0;
        for _ in 0..5 {
            let start = cpu_seconds();
            for _ in 0..rounds {
                for p in &ps {
                    n += f(p);
                }
            }
            best = best.min(cpu_seconds() - start);
        }
        std::hint::black_box(n);
        (bytes * rounds) as f64 / 1e6 / best
    };
    println!("score():   {:.0} MB/s", best(&|p| tagger.score(p).len()));
    println!(
        "suggest(): {:.0} MB/s",
        best(&|p| tagger.suggest(p, DEFAULT_THRESHOLD).len())
    );
    println!(
        "bare automaton scan: {:.0} MB/s",
        best(&|p| tagger.automaton().find_iter(p).count())
    );
}
