//! Spans: ranges of Unicode code points over a document's stored text.
//!
//! Every layer in pizhu (noise, paragraphs, words, themes, annotations) is a list of spans
//! over the same immutable text. Offsets are code points, 0-based, end exclusive — the unit
//! REFI-QDA uses too.

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of code-point offsets.
///
/// ```
/// use pizhu::doc::Span;
///
/// // "新質生產力" starts at code point 2 of "推動新質生產力": offsets count characters, not bytes.
/// let span = Span::new(2, 7);
/// let text: String = "推動新質生產力".chars().skip(span.start).take(span.len()).collect();
/// assert_eq!(text, "新質生產力");
/// assert!(span.contains(6) && !span.contains(7));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; `end` is clamped up to `start` so a span is never inverted.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether the code point at `offset` lies inside the span.
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Whether the two spans share at least one code point.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The part of this span inside `window`, counted from `window.start`; `None` when they
    /// share no code point.
    pub fn within(&self, window: Span) -> Option<Span> {
        self.overlaps(&window).then(|| {
            Span::new(
                self.start.max(window.start) - window.start,
                self.end.min(window.end) - window.start,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_clips_and_rebases() {
        let window = Span::new(10, 20);
        assert_eq!(Span::new(5, 12).within(window), Some(Span::new(0, 2)));
        assert_eq!(Span::new(12, 15).within(window), Some(Span::new(2, 5)));
        assert_eq!(Span::new(18, 30).within(window), Some(Span::new(8, 10)));
        assert_eq!(Span::new(20, 30).within(window), None);
        assert_eq!(Span::new(0, 10).within(window), None);
    }

    #[test]
    fn new_never_inverts() {
        assert_eq!(Span::new(5, 3), Span { start: 5, end: 5 });
        assert!(Span::new(5, 3).is_empty());
    }

    #[test]
    fn contains_is_end_exclusive() {
        let s = Span::new(2, 4);
        assert!(!s.contains(1));
        assert!(s.contains(2));
        assert!(s.contains(3));
        assert!(!s.contains(4));
    }

    #[test]
    fn overlap_needs_a_shared_code_point() {
        assert!(Span::new(0, 3).overlaps(&Span::new(2, 5)));
        assert!(!Span::new(0, 3).overlaps(&Span::new(3, 5)));
    }
}
