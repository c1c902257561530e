//! pizhu: a terminal workbench for close reading of Chinese texts.
//!
//! The library is the pure core — document model, import, cleaning, text analysis, the SQLite
//! store — and knows nothing of terminals. The `pizhu` binary puts a command line (and later
//! the reader) over it.

pub mod clean;
pub mod cli;
pub mod config;
pub mod demo;
pub mod doc;
pub mod import;
pub mod reading;
pub mod search;
pub mod store;
pub mod text;
