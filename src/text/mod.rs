//! Text analysis that knows nothing of storage or terminals: script detection, display widths,
//! sanitizing of control characters, line breaking, and the lazy layout of whole documents.

pub mod cache;
pub mod layout;
pub mod linebreak;
pub mod sanitize;
pub mod script;
pub mod width;

#[cfg(test)]
mod fixtures;
