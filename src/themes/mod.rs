//! Themes: a codebook of themes a reader follows across documents, and a keyword tagger that
//! suggests themes for passages of folded (Simplified) text.
//!
//! The tagger is pure: it scores passages and explains each score by the matched terms.
//! Keeping user decisions (accepted, rejected, added by hand) across re-tagging is the
//! caller's bookkeeping.

pub mod codebook;
pub mod discovery;
pub mod tagger;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod fixtures;

pub use codebook::{Codebook, CodebookError, Edit, Keyword, PALETTE, Theme, ThemeNames};
pub use discovery::{UncoveredTerm, uncovered_terms};
pub use tagger::{DEFAULT_THRESHOLD, Tagger, TermHit, TermStats, ThemeScore, suggestions};
