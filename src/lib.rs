//! pizhu: a terminal workbench for close reading of Chinese texts.
//!
//! The core — document model, import, cleaning, text analysis, the SQLite store — knows
//! nothing of terminals. The `pizhu` binary puts a command line and the reader (`tui`, the only
//! module that imports ratatui or crossterm) over it.

pub mod annotations;
pub mod cancel;
pub mod clean;
pub mod cli;
pub mod config;
pub mod count;
pub mod demo;
pub mod doc;
pub mod export;
pub mod import;
pub mod reading;
pub mod related;
pub mod search;
pub mod store;
pub mod tagging;
#[cfg(test)]
mod test_support;
pub mod text;
pub mod themes;
pub mod tui;
