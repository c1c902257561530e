//! Body paragraphs and metadata, derived from the text and a noise layer.
//!
//! Body lines are the lines with visible text that are not metadata. How they group into
//! paragraphs depends on the document, decided once per document:
//!
//! - **one paragraph a line** (the common case for scraped text, and the default): every body
//!   line is a paragraph;
//! - **blank-line blocks**: consecutive body lines form one paragraph, blocks are separated by
//!   blank lines (and by folded or metadata lines). Chosen only when the document has blank
//!   lines between body lines *and* most line breaks inside blocks fall mid-sentence (the line
//!   before them is at least `WRAP_MIN_CHARS` long and does not end a sentence), i.e. the text
//!   is hard-wrapped.
//!
//! A paragraph's span is trimmed of whitespace and of folded text at its edges (a CSS prefix),
//! so it starts and ends on visible characters; folds inside it (pinyin readings) stay inside.

use crate::doc::Span;
use crate::doc::lines::{Line, lines};

use super::metadata;
use super::{MetaField, NoiseRange};

/// A line at least this long that does not end a sentence looks hard-wrapped.
const WRAP_MIN_CHARS: usize = 15;

/// Whether a line ends like a complete sentence, heading item or quotation.
fn ends_complete(trim: &str) -> bool {
    trim.ends_with([
        '。', '！', '？', '!', '?', '；', ';', '：', ':', '”', '」', '』', '）', ')', '…', '.',
    ])
}

/// Whether the first or last character of `span` is folded, given the noise ranges from the
/// first one that ends after `span.start` on. When neither is, `span` is its own visible span
/// and the line need not be walked.
fn edge_folded(span: Span, noise: &[NoiseRange]) -> bool {
    let last = span.end - 1;
    noise.first().is_some_and(|n| n.span.contains(span.start))
        || noise
            .iter()
            .take_while(|n| n.span.start <= last)
            .any(|n| n.span.contains(last))
}

/// The span from the first to the last visible non-whitespace character of `line`, given the
/// noise ranges from the first one that may touch it on.
fn visible_span(line: &Line, noise: &[NoiseRange]) -> Option<Span> {
    let mut ni = 0;
    let mut first = None;
    let mut last = 0;
    for (k, c) in line.text.chars().enumerate() {
        let at = line.char_start + k;
        while ni < noise.len() && noise[ni].span.end <= at {
            ni += 1;
        }
        let folded = ni < noise.len() && noise[ni].span.start <= at;
        if !folded && !c.is_whitespace() {
            first.get_or_insert(at);
            last = at + 1;
        }
    }
    first.map(|f| Span::new(f, last))
}

/// The metadata fields and body paragraphs of `text` under the (sorted) `noise` layer.
pub(crate) fn derive(text: &str, noise: &[NoiseRange]) -> (Vec<MetaField>, Vec<Span>) {
    let mut metadata = Vec::new();
    // Body lines, each with whether a separator (blank, folded or metadata line) precedes it.
    let mut body: Vec<(Span, bool)> = Vec::new();
    let mut separated = true;
    let mut blank_between_body = false;
    let mut blank_seen = false;
    let mut prev_wrapped = false;
    let (mut joins, mut wrapped_joins) = (0usize, 0usize);
    let mut ni = 0;
    for line in lines(text) {
        let Some((trim, span)) = line.trimmed() else {
            separated = true;
            blank_seen = true;
            continue;
        };
        while ni < noise.len() && noise[ni].span.end <= span.start {
            ni += 1;
        }
        let touched = ni < noise.len() && noise[ni].span.start < span.end;
        let visible = if touched && edge_folded(span, &noise[ni..]) {
            visible_span(&line, &noise[ni..])
        } else {
            Some(span)
        };
        let Some(visible) = visible else {
            separated = true;
            continue;
        };
        if !touched && let Some(fields) = metadata::parse(trim, span) {
            metadata.extend(fields);
            separated = true;
            continue;
        }
        if separated {
            blank_between_body |= blank_seen && !body.is_empty();
        } else {
            joins += 1;
            wrapped_joins += usize::from(prev_wrapped);
        }
        prev_wrapped = span.len() >= WRAP_MIN_CHARS && !ends_complete(trim);
        body.push((visible, separated));
        separated = false;
        blank_seen = false;
    }
    let blocks = blank_between_body && joins > 0 && wrapped_joins * 2 > joins;
    let mut paragraphs: Vec<Span> = Vec::with_capacity(body.len());
    for (span, separated) in body {
        match paragraphs.last_mut() {
            Some(last) if blocks && !separated => last.end = span.end,
            _ => paragraphs.push(span),
        }
    }
    (metadata, paragraphs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::NoiseReason;

    fn texts(text: &str, spans: &[Span]) -> Vec<String> {
        spans
            .iter()
            .map(|s| crate::clean::noise_text(text, *s))
            .collect()
    }

    #[test]
    fn one_paragraph_a_line_without_blank_lines() {
        let text = "一、標題\n第一段。\n第二段。";
        let (_, p) = derive(text, &[]);
        assert_eq!(texts(text, &p), ["一、標題", "第一段。", "第二段。"]);
    }

    #[test]
    fn one_paragraph_a_line_with_blank_lines_between() {
        let text = "標題\n\n第一段。\n\n第二段。\n";
        let (_, p) = derive(text, &[]);
        assert_eq!(texts(text, &p), ["標題", "第一段。", "第二段。"]);
    }

    #[test]
    fn hard_wrapped_text_gives_blank_line_blocks() {
        let text = "科技创新是推动经济社会发展的重要引擎二者相互\n促进协同发展共同构成了国家竞争力的核心要素所在\n之处。\n\n党的二十届三中全会明确指出要加强创新资源统筹\n和力量组织。\n";
        let (_, p) = derive(text, &[]);
        assert_eq!(p.len(), 2);
        assert!(texts(text, &p)[0].ends_with("之处。"));
    }

    #[test]
    fn metadata_lines_are_not_paragraphs() {
        let text = "標題\n發布時間:2021-11-11\n正文。\n";
        let (meta, p) = derive(text, &[]);
        assert_eq!(texts(text, &p), ["標題", "正文。"]);
        assert_eq!(meta.len(), 1);
    }

    #[test]
    fn folded_edges_are_trimmed_from_paragraphs() {
        let text = "a: 1; b: 2;\"> 正文(zhèng)。\n";
        let noise = [
            NoiseRange {
                span: Span::new(0, 14),
                reason: NoiseReason::Css,
                rule: crate::clean::RuleId::new("css-style-prefix"),
            },
            NoiseRange {
                span: Span::new(16, 23),
                reason: NoiseReason::PinyinReading,
                rule: crate::clean::RuleId::new("pinyin-reading"),
            },
        ];
        let (_, p) = derive(text, &noise);
        assert_eq!(texts(text, &p), ["正文(zhèng)。"]);
    }
}
