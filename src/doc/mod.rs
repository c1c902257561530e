//! The document model: an imported text that never changes, its metadata, and the spans
//! that every layer uses to point into it.

pub mod char_index;
pub mod lines;
mod span;
pub mod view;

pub use span::Span;

use serde::{Deserialize, Serialize};

/// A document's id in the library.
pub type DocId = i64;

/// Which Chinese script a text is written in, detected at import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Script {
    Simplified,
    Traditional,
    Mixed,
    NonChinese,
}

impl Script {
    /// The name used in the library, the CLI and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
            Script::Mixed => "mixed",
            Script::NonChinese => "non-chinese",
        }
    }

    /// Parses a name written by [`Script::as_str`].
    pub fn parse(name: &str) -> Option<Script> {
        match name {
            "simplified" => Some(Script::Simplified),
            "traditional" => Some(Script::Traditional),
            "mixed" => Some(Script::Mixed),
            "non-chinese" => Some(Script::NonChinese),
            _ => None,
        }
    }
}

/// What the library knows about a document besides its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentMeta {
    pub id: DocId,
    pub title: String,
    /// Where the text came from: an absolute path, `-` for standard input, `demo:NAME`.
    pub source: String,
    /// The encoding the source was decoded from (`utf-8`, `gbk`, `big5`, `utf-16le`, …).
    pub encoding: String,
    pub script: Script,
    /// Length of the stored text in code points.
    pub chars: usize,
    /// Size of the source in bytes, before decoding.
    pub source_bytes: u64,
    /// SHA-256 of the stored text, hex: finds re-imports of the same text.
    pub content_hash: String,
    /// When the document was imported, RFC 3339 UTC.
    pub imported_at: String,
    /// The cleaner version that made the document's noise layer (0: never cleaned).
    pub cleaner_version: u32,
}
