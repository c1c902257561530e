//! Noise detection: runs the rules of `assets/cleaning.toml` over a text.
//!
//! 1. One pass over the lines: zone-`any` line rules, then the spam keyword-list rule. The same
//!    pass notes the first and last *prose* line (long enough, with a sentence end), which bound
//!    the article.
//! 2. Only the lines before the first and after the last prose line (the head and tail zones,
//!    where sites put their chrome): zone-`edge` line rules and the chrome rules that need
//!    neighbouring lines (bullet menus, `|` navigation bars, headed link lists). Metadata lines
//!    are never folded there. A document without prose lines has no zones, so a bare list is
//!    never taken for a menu.
//! 3. The span rules (CSS prefix, paywall marker, pinyin readings). Those anchored at the line
//!    start run in pass 1 on each line (an anchored regex gives up after a few bytes); the
//!    others search the whole text once, so that a regex call is not paid per line. Span folds
//!    inside a folded line are dropped: the line fold covers them.

use crate::doc::Span;
use crate::doc::lines::{Line, LineStart, lines, lines_from};

use super::metadata;
use super::rules::{CodeRule, PatternRule, Rules, Scope, Zone, rules};
use super::{NoiseRange, NoiseReason, RuleId};

fn range(span: Span, reason: NoiseReason, rule: RuleId) -> NoiseRange {
    NoiseRange { span, reason, rule }
}

/// Finds the noise in `text`: sorted, non-overlapping ranges.
pub(crate) fn detect(text: &str) -> Vec<NoiseRange> {
    let r = rules();
    let mut line_noise = Vec::new();
    let mut found = Vec::new();
    let mut memos: Vec<CharMemo> = r.patterns.iter().map(|_| CharMemo::default()).collect();
    let mut first_prose: Option<LineStart> = None;
    let mut last_prose: Option<LineStart> = None;
    for line in lines(text) {
        let Some((trim, span)) = line.trimmed() else {
            continue;
        };
        if let Some(rule) = line_rule(r, trim, span.len(), Zone::Any) {
            line_noise.push(range(span, rule.reason, rule.id));
        } else if is_spam_list(r, trim) {
            line_noise.push(range(span, r.spam.rule.reason, r.spam.rule.id));
        } else {
            line_start_rules(r, &line, &mut memos, &mut found);
            if is_prose(r, trim, span.len()) {
                first_prose.get_or_insert(line.start());
                last_prose = Some(line.start());
            }
        }
    }
    if let (Some(first), Some(last)) = (first_prose, last_prose) {
        let pass_one = line_noise.len();
        let head: Vec<Line> = lines(text)
            .take_while(|l| l.char_start < first.char)
            .collect();
        zone_rules(r, &head, pass_one, &mut line_noise);
        let tail: Vec<Line> = lines_from(text, last).skip(1).collect();
        zone_rules(r, &tail, pass_one, &mut line_noise);
        line_noise.sort_by_key(|n| n.span.start);
    }
    let spans = span_noise(r, text, &mut memos, found);
    merge_noise(line_noise, spans)
}

/// Merges sorted line folds and sorted span folds, dropping span folds that overlap a line fold.
fn merge_noise(line_noise: Vec<NoiseRange>, spans: Vec<NoiseRange>) -> Vec<NoiseRange> {
    let mut out = Vec::with_capacity(line_noise.len() + spans.len());
    let mut lines = line_noise.into_iter().peekable();
    for s in spans {
        while let Some(l) = lines.next_if(|l| l.span.start < s.span.end) {
            out.push(l);
        }
        // `out` is sorted and disjoint, and every line fold still to come starts at or after
        // `s.span.end`, so only the last entries can overlap `s`.
        let covered = out
            .iter()
            .rev()
            .take_while(|o| o.span.end > s.span.start)
            .any(|o| o.span.overlaps(&s.span));
        if !covered {
            out.push(s);
        }
    }
    out.extend(lines);
    out
}

/// The first line rule of `zone` that folds this trimmed line of `chars` code points.
fn line_rule<'r>(r: &'r Rules, trim: &str, chars: usize, zone: Zone) -> Option<&'r PatternRule> {
    if zone == Zone::Edge {
        return r.patterns.iter().find(|p| {
            p.scope == Scope::Line
                && p.zone == zone
                && chars <= p.max_chars
                && p.regex.get().is_match(trim)
        });
    }
    if !r.any_line_set.get().is_match(trim) {
        return None;
    }
    let matched = r.any_line_set.get().matches(trim);
    r.any_lines
        .iter()
        .enumerate()
        .map(|(k, &i)| (k, &r.patterns[i]))
        .find(|&(k, p)| chars <= p.max_chars && matched.matched(k))
        .map(|(_, p)| p)
}

/// Whether the line is long enough and ends a sentence somewhere: article text, not chrome.
fn is_prose(r: &Rules, trim: &str, chars: usize) -> bool {
    chars >= r.chrome.prose_min_chars && trim.contains(['。', '！', '？', '!', '?'])
}

/// The spam keyword-list rule: many short separated items, most of them spam terms, and no
/// sentence end (prose that happens to use a few of the words is not a keyword list).
fn is_spam_list(r: &Rules, trim: &str) -> bool {
    let s = &r.spam;
    if trim.contains('。') || !s.terms.is_match(trim) {
        return false;
    }
    let items: Vec<&str> = trim
        .split(|c| s.separators.contains(&c))
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .collect();
    if items.len() < s.min_items {
        return false;
    }
    let hits = items.iter().filter(|i| s.terms.is_match(i)).count();
    let chars: usize = items.iter().map(|i| i.chars().count()).sum();
    hits >= s.min_hits && hits * 2 >= items.len() && chars <= s.max_avg_item_chars * items.len()
}

/// Remembers a one-character regex's answers: a rule with `preceded_by` asks about the same
/// few characters again and again, and a regex call costs far more than a table lookup. The
/// table is allocated on first use, so rules without `preceded_by` cost nothing.
#[derive(Default)]
struct CharMemo {
    slots: Vec<(char, bool)>,
}

impl CharMemo {
    const SLOTS: usize = 512;

    fn is_match(&mut self, regex: &regex::Regex, c: char) -> bool {
        if self.slots.is_empty() {
            // A slot holding '\0' is treated as empty, so '\0' is simply always asked.
            self.slots = vec![('\0', false); Self::SLOTS];
        }
        let slot = &mut self.slots[c as usize % Self::SLOTS];
        if slot.0 != c || c == '\0' {
            let mut buf = [0u8; 4];
            *slot = (c, regex.is_match(c.encode_utf8(&mut buf)));
        }
        slot.1
    }
}

/// A span rule's match in `hay` narrowed to what it folds, as a byte range; `None` when the
/// rule's context conditions reject it or nothing is left to fold.
fn fold_range(
    p: &PatternRule,
    hay: &str,
    m: regex::Match,
    memo: &mut CharMemo,
) -> Option<std::ops::Range<usize>> {
    let matched = m.as_str();
    if matched.is_empty() || matched.contains('\n') {
        return None;
    }
    if let Some(before) = &p.preceded_by {
        let prev = hay[..m.start()].chars().next_back()?;
        if !memo.is_match(before.get(), prev) {
            return None;
        }
    }
    let kept = p
        .keep
        .as_ref()
        .and_then(|k| k.get().find(matched))
        .map_or(0, |k| k.end());
    (kept < matched.len()).then(|| m.start() + kept..m.end())
}

/// Runs the span rules anchored at the line start on one line, adding (start, end, rule) in
/// code points to `found`.
fn line_start_rules<'r>(
    r: &'r Rules,
    line: &Line,
    memos: &mut [CharMemo],
    found: &mut Vec<(usize, usize, &'r PatternRule)>,
) {
    for (p, memo) in r.patterns.iter().zip(memos).filter(|(p, _)| p.line_start) {
        if let Some(m) = p.regex.get().find(line.text)
            && let Some(fold) = fold_range(p, line.text, m, memo)
        {
            let start = line.char_start + line.text[..fold.start].chars().count();
            let len = line.text[fold].chars().count();
            found.push((start, start + len, p));
        }
    }
}

/// Runs the unanchored span rules over the whole text and resolves them together with the
/// line-start matches in `found`: the result is sorted and non-overlapping (at the same start
/// the longer match wins).
fn span_noise(
    r: &'static Rules,
    text: &str,
    memos: &mut [CharMemo],
    mut found: Vec<(usize, usize, &'static PatternRule)>,
) -> Vec<NoiseRange> {
    let whole_text =
        |(p, _): &(&PatternRule, &mut CharMemo)| p.scope == Scope::Span && !p.line_start;
    for (p, memo) in r.patterns.iter().zip(memos).filter(whole_text) {
        let (mut byte, mut char) = (0, 0);
        for m in p.regex.get().find_iter(text) {
            let Some(fold) = fold_range(p, text, m, memo) else {
                continue;
            };
            char += text[byte..fold.start].chars().count();
            let len = text[fold.clone()].chars().count();
            found.push((char, char + len, p));
            char += len;
            byte = fold.end;
        }
    }
    found.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
    let mut out = Vec::with_capacity(found.len());
    let mut end = 0;
    for (s, e, p) in found {
        if s >= end {
            out.push(range(Span::new(s, e), p.reason, p.id));
            end = e;
        }
    }
    out
}

/// What the zone rules know about one line of a zone.
struct ZoneLine<'a> {
    trim: &'a str,
    span: Span,
    chars: usize,
    folded: bool,
    meta: bool,
}

/// The bullet opening a line, and the item after it. `*` and `-` only count when followed by
/// whitespace (so `-top:` or `*注` are not bullets).
fn bullet_item<'a>(r: &Rules, trim: &'a str) -> Option<&'a str> {
    let mut chars = trim.chars();
    let first = chars.next()?;
    if !r.chrome.bullets.contains(&first) {
        return None;
    }
    let rest = chars.as_str();
    if matches!(first, '*' | '-') && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(rest.trim())
}

/// Punctuation a menu word never has.
fn has_punct(s: &str) -> bool {
    s.contains([
        ',', '.', ';', ':', '!', '?', '，', '。', '、', '；', '：', '！', '？', '“', '”', '(', ')',
        '（', '）', '《', '》',
    ])
}

/// Punctuation that marks a sentence or clause.
fn has_sentence_punct(s: &str) -> bool {
    s.contains(['，', '。', '；', '！', '？', ',', ';', '!', '?'])
}

/// Whether the line starts like an item of a numbered list (1. / 2、/ (一) / 一、/ 第三条):
/// such lines are content, never link-list items.
fn is_enumerated(s: &str) -> bool {
    const NUMERALS: &str = "一二三四五六七八九十百零〇";
    let s = s.trim_start_matches(['(', '（', '[', '【']);
    let lead: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || NUMERALS.contains(*c))
        .collect();
    if lead.is_empty() {
        return s.starts_with('第');
    }
    let after = s[lead.len()..].chars().next();
    after.is_some_and(|c| matches!(c, '.' | '．' | '、' | ')' | '）' | ']' | '】' | ' '))
}

fn fold_line(zl: &mut ZoneLine, rule: &'static CodeRule, noise: &mut Vec<NoiseRange>) {
    if !zl.folded && !zl.meta {
        zl.folded = true;
        noise.push(range(zl.span, rule.reason, rule.id));
    }
}

/// Runs the zone rules over the lines of one zone. `noise[..pass_one]` is sorted (pass one
/// works line by line), which tells which lines pass one already folded.
fn zone_rules(r: &'static Rules, zone: &[Line], pass_one: usize, noise: &mut Vec<NoiseRange>) {
    let mut zl: Vec<Option<ZoneLine>> = zone
        .iter()
        .map(|line| {
            let (trim, span) = line.trimmed()?;
            let folded = noise[..pass_one]
                .binary_search_by_key(&span.start, |n| n.span.start)
                .is_ok_and(|i| noise[i].span == span);
            let meta = !folded && metadata::parse(trim, span).is_some();
            Some(ZoneLine {
                trim,
                span,
                chars: span.len(),
                folded,
                meta,
            })
        })
        .collect();
    let c = &r.chrome;

    for z in zl.iter_mut().flatten() {
        if z.folded || z.meta {
            continue;
        }
        if let Some(p) = line_rule(r, z.trim, z.chars, Zone::Edge) {
            z.folded = true;
            noise.push(range(z.span, p.reason, p.id));
        } else if is_pipe_nav(r, z.trim) {
            fold_line(z, &c.pipe_nav, noise);
        }
    }

    // Bullet menus: runs of bullet lines holding one short word each.
    let is_menu_item = |z: &Option<ZoneLine>| {
        z.as_ref()
            .and_then(|z| bullet_item(r, z.trim))
            .is_some_and(|item| item.chars().count() <= c.menu_max_item_chars && !has_punct(item))
    };
    let mut i = 0;
    while i < zl.len() {
        let run = zl[i..].iter().take_while(|z| is_menu_item(z)).count();
        if run >= c.menu_min_items {
            for z in zl[i..i + run].iter_mut().flatten() {
                fold_line(z, &c.bullet_menu, noise);
            }
        }
        i += run.max(1);
    }

    // Headed link lists: a list heading, then link-like lines up to a blank line.
    let mut i = 0;
    while i < zl.len() {
        let headed = zl[i]
            .as_ref()
            .is_some_and(|z| c.list_heading.get().is_match(z.trim));
        if !headed {
            i += 1;
            continue;
        }
        let items = zl[i + 1..]
            .iter()
            .take_while(|z| z.as_ref().is_some_and(|z| is_list_item(r, z)))
            .count();
        if items >= c.list_min_items {
            for z in zl[i..=i + items].iter_mut().flatten() {
                fold_line(z, &c.link_list, noise);
            }
        }
        i += items + 1;
    }
}

/// A navigation bar (a few very short items between `|`) or a link row (many short items).
fn is_pipe_nav(r: &Rules, trim: &str) -> bool {
    let c = &r.chrome;
    if !trim.contains(['|', '｜']) || trim.contains('。') {
        return false;
    }
    let items: Vec<usize> = trim
        .split(['|', '｜'])
        .map(|i| i.trim().chars().count())
        .filter(|&n| n > 0)
        .collect();
    let total: usize = items.iter().sum();
    (items.len() >= c.pipe_min_items && items.iter().all(|&n| n <= c.pipe_max_item_chars))
        || (items.len() >= c.pipe_min_link_items
            && total <= c.pipe_max_link_avg_chars * items.len())
}

/// A line that can stand in a link list: already folded, a short bullet item, a teaser cut off
/// with an ellipsis, or a short title without sentence punctuation or numbering.
fn is_list_item(r: &Rules, z: &ZoneLine) -> bool {
    let c = &r.chrome;
    if z.folded {
        return true;
    }
    if z.meta || z.trim.contains('。') {
        return false;
    }
    if let Some(item) = bullet_item(r, z.trim) {
        return item.chars().count() <= c.list_max_bullet_chars;
    }
    if z.trim.ends_with("...") || z.trim.ends_with('…') {
        return z.chars <= c.list_max_teaser_chars;
    }
    z.chars <= c.list_max_title_chars && !has_sentence_punct(z.trim) && !is_enumerated(z.trim)
}

#[cfg(test)]
mod tests {
    use crate::clean::clean;
    use crate::clean::fixture_tests::fixture;
    use crate::clean::rules::RULES_TOML;

    /// The folds `clean` makes in a document, as (rule id, folded text).
    fn folds(text: &str) -> Vec<(String, String)> {
        clean(text)
            .noise
            .iter()
            .map(|n| (n.rule.to_string(), crate::clean::noise_text(text, n.span)))
            .collect()
    }

    /// A document with `line` between two prose paragraphs (so it is not in a zone).
    fn in_body(line: &str) -> String {
        let prose = "這是一段足夠長的正文句子，用來確定文章主體的開始與結束位置。";
        format!("{prose}\n{line}\n{prose}\n")
    }

    /// A document with `line` in the tail zone, after the article.
    fn in_tail(line: &str) -> String {
        let prose = "這是一段足夠長的正文句子，用來確定文章主體的開始與結束位置。";
        format!("{prose}\n{line}\n")
    }

    fn rule_ids(text: &str) -> Vec<String> {
        folds(text).into_iter().map(|(id, _)| id).collect()
    }

    #[test]
    fn every_pattern_rule_folds_its_own_example() {
        let table: toml::Table = toml::from_str(RULES_TOML).expect("toml");
        for rule in table["rule"].as_array().expect("rules") {
            let id = rule["id"].as_str().expect("id");
            let example = rule["example"].as_str().expect("example");
            let edge = rule.get("zone").and_then(|z| z.as_str()) == Some("edge");
            let doc = if edge {
                in_tail(example)
            } else {
                in_body(example)
            };
            assert!(
                rule_ids(&doc).iter().any(|r| r == id),
                "{id} misses {example}"
            );
        }
    }

    #[test]
    fn seo_meta_description_folds_the_line() {
        let line = fixture("ronghe").lines().nth(2).expect("line 3");
        assert!(line.starts_with("元描述:"));
        assert_eq!(
            folds(&in_body(line)),
            vec![("seo-meta-description".into(), line.into())]
        );
    }

    #[test]
    fn spam_link_farm_and_keyword_list_fold_the_spam_lines() {
        let text = fixture("shanghai");
        let first = text.lines().next().expect("line 1");
        let last = text.lines().last().expect("last line");
        let f = folds(text);
        assert_eq!(f.first(), Some(&("spam-keyword-list".into(), first.into())));
        assert_eq!(f.last(), Some(&("spam-link-farm".into(), last.into())));
    }

    #[test]
    fn spam_keyword_list_ignores_prose_that_mentions_spam_words() {
        let line = "要久久为功,持之以恒推动成人教育发展,丰富午夜文化生活,提高在线视频监管水平,营造清朗网络空间。";
        assert!(rule_ids(&in_body(line)).is_empty());
    }

    #[test]
    fn login_lines_fold() {
        let text = fixture("quanqiu");
        let ids = rule_ids(text);
        assert_eq!(ids[0], "login-window");
        assert_eq!(ids[1], "login-links");
        assert_eq!(
            rule_ids(&in_body("作者登录 审稿登录 编辑登录 读者登录")),
            ["login-links"]
        );
    }

    #[test]
    fn breadcrumb_folds_but_a_title_does_not() {
        let crumb = "首页>战略与政策>推动全球科技创新协作";
        assert_eq!(rule_ids(&in_body(crumb)), ["breadcrumb"]);
        assert!(rule_ids(&in_body("推动全球科技创新协作")).is_empty());
    }

    #[test]
    fn counters_fold() {
        assert_eq!(rule_ids(&in_body("点击数量:983次")), ["click-counter"]);
        assert_eq!(
            rule_ids(&in_body("您是第34819433位访问者!")),
            ["visitor-counter"]
        );
    }

    #[test]
    fn footer_rules_fold_only_outside_the_article() {
        for (line, id) in [
            (
                "1996-2021 中国科学院版本所有 备案序号: 京ICP备05002857",
                "licence-footer",
            ),
            (
                "地址:北京三里河路52号 邮编 100864 Email:bulletin@cashq.ac.cn",
                "site-address",
            ),
            ("技术支持:北京勤云科技发展有限公司", "tech-support"),
        ] {
            assert_eq!(rule_ids(&in_tail(line)), [id]);
            assert!(
                rule_ids(&in_body(line)).is_empty(),
                "{id} folded inside the article"
            );
        }
    }

    #[test]
    fn css_prefix_folds_only_the_declarations() {
        let line = fixture("wuda").lines().next().expect("line 1");
        let f = folds(&in_body(line));
        assert_eq!(f[0].0, "css-style-prefix");
        assert_eq!(
            f[0].1,
            "-top: 0px; margin-bottom: 0px; text-align: justify; line-height: 2; font-family: 微軟雅黑; font-size: 16pt;\"> "
        );
        assert!(rule_ids(&in_body("注意: 这一点; 那一点;")).is_empty());
    }

    #[test]
    fn paywall_marker_folds() {
        let f = folds(&in_body("---此处隐藏2925字,下载后查看---"));
        assert_eq!(
            f,
            vec![(
                "paywall-marker".into(),
                "---此处隐藏2925字,下载后查看---".into()
            )]
        );
    }

    #[test]
    fn pinyin_readings_fold_only_the_parentheses() {
        let line = "二、增強原始創(chuàng)新能力,打好基礎(chǔ)研究持久戰(zhàn)";
        let f = folds(&in_body(line));
        let texts: Vec<&str> = f.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["(chuàng)", "(chǔ)", "(zhàn)"]);
        assert!(f.iter().all(|(id, _)| id == "pinyin-reading"));
        let plain = "比重为2.64%(GDP)和(a)及(注意)以及(ABC)。";
        assert!(rule_ids(&in_body(plain)).is_empty());
    }

    #[test]
    fn orphan_reading_folds_and_keeps_the_question_mark() {
        let f = folds(&in_body("要改變這種窘?jīng)r,必須做好以下三方面工作。"));
        assert_eq!(f, vec![("pinyin-reading-orphan".into(), "jīng)".into())]);
    }

    #[test]
    fn bullet_menu_folds_short_word_bullets_before_the_article() {
        let text = fixture("quanqiu");
        let menu: Vec<(String, String)> = folds(text)
            .into_iter()
            .filter(|(id, _)| id == "bullet-menu")
            .collect();
        let words: Vec<&str> = menu.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            words,
            [
                "• 首页",
                "• 期刊简介",
                "• 编委会",
                "• 作者投稿",
                "• 订阅指南",
                "• 联系我们",
                "• 过刊目录"
            ]
        );
    }

    #[test]
    fn bullets_inside_the_article_stay() {
        let text = fixture("ronghe");
        assert!(
            folds(text)
                .iter()
                .all(|(_, t)| !t.contains("科技成果转化率"))
        );
        let short = in_body("* 科技成果转化率\n* 产业创新活力\n* 产业链安全韧性");
        assert!(rule_ids(&short).is_empty());
    }

    #[test]
    fn pipe_nav_folds_a_navigation_bar() {
        assert_eq!(
            rule_ids(&in_tail("订阅 | 旧版入口 | English")),
            ["pipe-nav"]
        );
        assert!(rule_ids(&in_body("订阅 | 旧版入口 | English")).is_empty());
    }

    #[test]
    fn link_list_folds_headed_lists_after_the_article() {
        let text = fixture("quanqiu");
        let f = folds(text);
        let list: Vec<&str> = f
            .iter()
            .filter(|(id, _)| id == "link-list")
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(list.first(), Some(&"推荐文章"));
        assert!(list.contains(&"专题"));
        assert!(list.contains(&"• 专题:国家创新平台建设"));
        assert!(list.contains(&"快速通道"));
        assert_eq!(list.last(), Some(&"返回首页"));
    }

    #[test]
    fn numbered_lines_after_a_heading_are_not_links() {
        let text = in_tail("专题\n1. 第一项\n2. 第二项\n3. 第三项");
        assert!(rule_ids(&text).is_empty());
    }

    #[test]
    fn a_document_without_prose_has_no_zones() {
        let text = "• 首页\n• 简介\n• 联系\n";
        assert!(rule_ids(text).is_empty());
    }
}
