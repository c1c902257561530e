//! Text analysis that knows nothing of storage or terminals: script detection, script folding
//! (the Simplified shadow of a text), word segmentation, display widths, sanitizing of control
//! characters, line breaking, and the lazy layout of whole documents.

pub mod cache;
pub mod cursor;
pub mod fold;
pub mod layout;
pub mod linebreak;
pub mod sanitize;
pub mod script;
pub mod segment;
pub mod width;

#[cfg(test)]
pub(crate) mod fixtures;
