//! The user's settings: `config.toml` in the platform config folder (or `$PIZHU_CONFIG`).
//! A missing file means the defaults; a broken one is an error naming the file and line.

use crate::doc::view::ViewOptions;
use crate::text::width::WidthOptions;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// All settings, with their defaults.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub reading: Reading,
    /// Turn the mouse on in the reader (wheel scrolls the pane under it, a click focuses).
    pub mouse: bool,
    /// Key bindings over the defaults: `[keys.CONTEXT]` tables of `"key" = "action"`.
    pub keys: KeyTables,
}

/// `[keys.CONTEXT]` tables: context (`reader`, `library`, …) → key → action name.
pub type KeyTables = BTreeMap<String, BTreeMap<String, String>>;

/// How documents are shown.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Reading {
    /// Show half-width `,` `:` `;` `?` `!` between Chinese characters as full-width.
    pub fullwidth_punctuation: bool,
    /// How wide East Asian ambiguous characters (`“ ”` `—` `…` `·`) are drawn: `narrow`
    /// (one column, most terminals) or `wide` (two, terminals set up for CJK).
    pub ambiguous_width: AmbiguousWidth,
}

impl Default for Reading {
    fn default() -> Self {
        Reading {
            fullwidth_punctuation: true,
            ambiguous_width: AmbiguousWidth::Narrow,
        }
    }
}

/// Columns an East Asian ambiguous character takes in the user's terminal.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AmbiguousWidth {
    Narrow,
    Wide,
}

impl Config {
    pub fn view_options(&self) -> ViewOptions {
        ViewOptions {
            fullwidth_punct: self.reading.fullwidth_punctuation,
        }
    }

    pub fn width_options(&self) -> WidthOptions {
        WidthOptions {
            ambiguous_wide: self.reading.ambiguous_width == AmbiguousWidth::Wide,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: {error}", path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// Where the config file is: `$PIZHU_CONFIG`, else the platform config folder.
pub fn path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PIZHU_CONFIG") {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "pizhu").map(|d| d.config_dir().join("config.toml"))
}

/// Loads the config file, or the defaults when there is none.
pub fn load() -> Result<Config, ConfigError> {
    match path() {
        Some(path) => load_from(&path),
        None => Ok(Config::default()),
    }
}

pub fn load_from(path: &Path) -> Result<Config, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Config::default());
        }
        Err(error) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                error,
            });
        }
    };
    parse(&text).map_err(|(line, message)| ConfigError::Parse {
        path: path.to_path_buf(),
        line,
        message,
    })
}

/// Parses config text; an error gives its 1-based line and a one-line message.
fn parse(text: &str) -> Result<Config, (usize, String)> {
    toml::from_str(text).map_err(|error| {
        let line = error.span().map_or(1, |span| {
            text[..span.start.min(text.len())].matches('\n').count() + 1
        });
        let message = error.message().lines().next().unwrap_or("invalid TOML");
        (line, message.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_is_the_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
        assert!(Config::default().view_options().fullwidth_punct);
        assert!(!Config::default().width_options().ambiguous_wide);
        let wide = parse("[reading]\nambiguous_width = \"wide\"\n").unwrap();
        assert!(wide.width_options().ambiguous_wide);
        assert!(parse("[reading]\nambiguous_width = \"huge\"\n").is_err());
    }

    #[test]
    fn a_setting_is_read() {
        let config = parse("[reading]\nfullwidth_punctuation = false\n").unwrap();
        assert!(!config.view_options().fullwidth_punct);
    }

    #[test]
    fn mouse_and_keys_are_read() {
        let config = parse("mouse = true\n[keys.reader]\n\"x\" = \"quit\"\n").unwrap();
        assert!(config.mouse);
        assert_eq!(config.keys["reader"]["x"], "quit");
    }

    #[test]
    fn errors_name_the_line() {
        let (line, message) = parse("[reading]\n\nfullwidth_punctuation = maybe\n").unwrap_err();
        assert_eq!(line, 3, "{message}");
        let (line, message) = parse("[reading]\ncolour = 1\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("colour"), "{message}");
    }

    #[test]
    fn a_missing_file_is_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load_from(&dir.path().join("none.toml")).unwrap(),
            Config::default()
        );
    }
}
