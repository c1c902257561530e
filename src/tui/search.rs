//! Finding text: the [`Matcher`] that search uses (the core's script-folding search, so
//! Simplified and Traditional find each other), and library-wide hits with their context.

use crate::doc::{DocId, Span};

/// Finds the occurrences of a query in a text.
pub trait Matcher: Send + Sync {
    /// Every non-overlapping occurrence of `query` in `text`, as code point spans, in order.
    fn find_all(&self, text: &str, query: &str) -> Vec<Span>;
}

/// The matcher every search of the reader uses (the document's and the library's): the one
/// place to plug in another.
pub fn matcher() -> &'static dyn Matcher {
    &Folding
}

/// Substring search across scripts: [`crate::search::find`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Folding;

impl Matcher for Folding {
    fn find_all(&self, text: &str, query: &str) -> Vec<Span> {
        crate::search::find(text, query)
    }
}

/// Characters of context shown on each side of a library search hit.
pub const CONTEXT_CHARS: usize = 24;

/// One hit of a library search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub doc_id: DocId,
    pub title: String,
    /// Where the match is in the document, in code points.
    pub span: Span,
    pub before: String,
    pub matched: String,
    pub after: String,
}

/// The hits of `query` in one document's text, at most `limit`.
pub fn hits(
    matcher: &dyn Matcher,
    doc_id: DocId,
    title: &str,
    text: &str,
    query: &str,
    limit: usize,
) -> Vec<Hit> {
    let spans = matcher.find_all(text, query);
    if spans.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let one_line = |range: &[char]| -> String {
        range
            .iter()
            .map(|&c| if c == '\n' { ' ' } else { c })
            .collect()
    };
    spans
        .into_iter()
        .take(limit)
        .map(|span| {
            let end = span.end.min(chars.len());
            let start = span.start.min(end);
            Hit {
                doc_id,
                title: title.to_string(),
                span,
                before: one_line(&chars[start.saturating_sub(CONTEXT_CHARS)..start]),
                matched: one_line(&chars[start..end]),
                after: one_line(&chars[end..(end + CONTEXT_CHARS).min(chars.len())]),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_finds_code_point_spans() {
        let spans = Folding.find_all("科技创新，科技强国。a科技", "科技");
        assert_eq!(
            spans,
            vec![Span::new(0, 2), Span::new(5, 7), Span::new(11, 13)]
        );
        assert!(Folding.find_all("科技", "").is_empty());
    }

    #[test]
    fn hits_carry_context_on_one_line() {
        let found = hits(&Folding, 7, "t", "第一行\n科技创新", "创新", 10);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].before, "第一行 科技");
        assert_eq!(found[0].matched, "创新");
        assert_eq!(found[0].after, "");
        assert_eq!(found[0].span, Span::new(6, 8));
    }
}
