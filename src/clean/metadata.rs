//! Metadata lines: date, byline, source, editor and column lines.
//!
//! Only short lines without a full stop are candidates (`[metadata]` in the rule file). A line
//! is metadata when a whole-line pattern matches it (`[[metadata.line]]`), or when it is made
//! of labelled fields only (`[[metadata.label]]`): it starts with a label, and every value up to
//! the next label is short. Anything else on the line makes it body text, because a false
//! metadata line would drop a sentence from the paragraphs.

use crate::doc::Span;

use super::rules::rules;
use super::{MetaField, MetaKind};

/// `s` without one enclosing pair of parentheses (and the whitespace inside them).
fn strip_parens(s: &str) -> &str {
    s.strip_prefix(['(', '（'])
        .and_then(|rest| rest.strip_suffix([')', '）']))
        .map_or(s, str::trim)
}

/// The metadata fields of a trimmed line whose stored span is `span`, or `None` when the line is
/// not a metadata line.
pub(crate) fn parse(trim: &str, span: Span) -> Option<Vec<MetaField>> {
    let m = &rules().meta;
    if span.len() > m.max_chars || trim.contains('。') || !m.candidate.get().is_match(trim) {
        return None;
    }
    let candidates = m.candidate.get().matches(trim);
    let field = |kind: MetaKind, range: std::ops::Range<usize>| {
        let start = span.start + trim[..range.start].chars().count();
        let value = &trim[range];
        MetaField {
            kind,
            value: value.to_owned(),
            span: Span::new(start, start + value.chars().count()),
        }
    };

    for (i, (regex, groups)) in m.lines.iter().enumerate() {
        if !candidates.matched(i + 1) {
            continue;
        }
        if let Some(caps) = regex.get().captures(trim) {
            let fields: Vec<MetaField> = groups
                .iter()
                .filter_map(|&(i, kind)| caps.get(i).map(|g| field(kind, g.range())))
                .collect();
            let short = |f: &MetaField| f.value.chars().count() <= m.max_value_chars;
            if !fields.is_empty() && fields.iter().all(short) {
                return Some(fields);
            }
        }
    }

    // Labelled fields, possibly inside one pair of parentheses: (執筆:方力 任晓刚).
    let inner = strip_parens(trim);
    let base = inner.as_ptr() as usize - trim.as_ptr() as usize;
    let labels: Vec<(usize, usize, &str)> = m
        .label
        .get()
        .captures_iter(inner)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let label = c.name("label")?;
            Some((whole.start(), whole.end(), label.as_str()))
        })
        .collect();
    if labels.first().is_none_or(|&(start, _, _)| start != 0) {
        return None;
    }
    let mut fields = Vec::new();
    for (i, &(_, value_start, label)) in labels.iter().enumerate() {
        let value_end = labels
            .get(i + 1)
            .map_or(inner.len(), |&(start, _, _)| start);
        let raw = &inner[value_start..value_end];
        let value = raw.trim_end();
        if value.is_empty() || value.chars().count() > m.max_value_chars {
            return None;
        }
        let kind = m.kinds.iter().find(|(l, _)| l == label).map(|&(_, k)| k)?;
        let at = base + value_start;
        if matches!(kind, MetaKind::Date | MetaKind::Updated) {
            if !value.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            fields.push(field(kind, at..at + value.len()));
        } else if let Some(dt) = m.trailing_datetime.get().find(value) {
            let name = value[..dt.start()].trim_end();
            if name.is_empty() {
                return None;
            }
            fields.push(field(kind, at..at + name.len()));
            let date = dt.as_str().trim_start();
            let date_at = at + dt.end() - date.len();
            fields.push(field(MetaKind::Date, date_at..date_at + date.len()));
        } else {
            fields.push(field(kind, at..at + value.len()));
        }
    }
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Option<Vec<(MetaKind, String)>> {
        let n = line.chars().count();
        let fields = parse(line, Span::new(100, 100 + n))?;
        for f in &fields {
            let shown: String = line
                .chars()
                .skip(f.span.start - 100)
                .take(f.span.len())
                .collect();
            assert_eq!(shown, f.value, "span matches value");
        }
        Some(fields.into_iter().map(|f| (f.kind, f.value)).collect())
    }

    fn fields(pairs: &[(MetaKind, &str)]) -> Option<Vec<(MetaKind, String)>> {
        Some(pairs.iter().map(|&(k, v)| (k, v.to_owned())).collect())
    }

    #[test]
    fn byline_with_trailing_datetime() {
        assert_eq!(
            parse_line("作者:樊繼達 2024-08-28 17:04:55"),
            fields(&[
                (MetaKind::Author, "樊繼達"),
                (MetaKind::Date, "2024-08-28 17:04:55")
            ])
        );
    }

    #[test]
    fn datetime_with_glued_author() {
        assert_eq!(
            parse_line("2023-09-01 02:46:15中共上海市委黨校第133期領導干部進修班"),
            fields(&[
                (MetaKind::Date, "2023-09-01 02:46:15"),
                (MetaKind::Author, "中共上海市委黨校第133期領導干部進修班")
            ])
        );
    }

    #[test]
    fn journal_issue_is_the_source() {
        assert_eq!(
            parse_line("黨政論壇 2023年4期"),
            fields(&[(MetaKind::Source, "黨政論壇 2023年4期")])
        );
    }

    #[test]
    fn several_labelled_fields_on_one_line() {
        assert_eq!(
            parse_line("更新时间:2024-10 来源:网友投稿"),
            fields(&[
                (MetaKind::Updated, "2024-10"),
                (MetaKind::Source, "网友投稿")
            ])
        );
        assert_eq!(
            parse_line(
                "来源:人民日报\u{a0}\u{a0}\u{a0}作者:北京市习近平新时代中国特色社会主义思想研究中心"
            ),
            fields(&[
                (MetaKind::Source, "人民日报"),
                (
                    MetaKind::Author,
                    "北京市习近平新时代中国特色社会主义思想研究中心"
                )
            ])
        );
        assert_eq!(
            parse_line("发布时间:2021-11-11"),
            fields(&[(MetaKind::Date, "2021-11-11")])
        );
    }

    #[test]
    fn parenthesised_credits() {
        assert_eq!(
            parse_line("(责任编辑 周 巍)"),
            fields(&[(MetaKind::Editor, "周 巍")])
        );
        assert_eq!(
            parse_line("(执笔:方力 任晓刚)"),
            fields(&[(MetaKind::Author, "方力 任晓刚")])
        );
        assert_eq!(
            parse_line("執筆:邢邦志、周國良、趙宏衛"),
            fields(&[(MetaKind::Author, "邢邦志、周國良、趙宏衛")])
        );
    }

    #[test]
    fn body_lines_are_not_metadata() {
        for line in [
            "专题党课:学习贯彻党的二十届三中全会精神,推动科技创新和产业创新深度融合",
            "作者登录",
            "作者认为,科技创新是关键。",
            "引言:",
            "核心阅读",
            "发布时间:待定",
            "[關鍵詞]科技創新;全球影響力;產學研;人才引領",
        ] {
            assert_eq!(parse_line(line), None, "{line}");
        }
    }
}
