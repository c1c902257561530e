//! Finding text in a document: the [`Matcher`] that search uses (the core's script-folding
//! search, so Simplified and Traditional find each other). Library-wide search is the core's
//! indexed [`crate::search::search_library`].

use crate::doc::Span;

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
}
