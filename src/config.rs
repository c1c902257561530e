//! The user's settings: `config.toml` in the platform config folder (or `$PIZHU_CONFIG`).
//! A missing file means the defaults; a broken one is an error naming the file and line (and
//! `--default-config` starts with the defaults anyway); an unknown key is a warning naming
//! the file and line, and is ignored.

use crate::doc::view::ViewOptions;
use crate::text::width::WidthOptions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// All settings, with their defaults.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
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
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default)]
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
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
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
    #[error(
        "{}:{line}: {message} (fix it, or start with the default settings: pizhu --default-config)",
        path.display()
    )]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// Set by `--default-config`: the config file is not read.
static DEFAULTS_ONLY: AtomicBool = AtomicBool::new(false);

/// From now on [`load`] gives the defaults without reading the config file.
pub fn use_defaults() {
    DEFAULTS_ONLY.store(true, Ordering::Relaxed);
}

/// The settings, and a warning for each key that means nothing to pizhu.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    pub config: Config,
    /// `FILE:LINE: unknown setting "KEY" (ignored)`.
    pub warnings: Vec<String>,
}

/// Where the config file is: `$PIZHU_CONFIG`, else the platform config folder.
pub fn path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PIZHU_CONFIG") {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "pizhu").map(|d| d.config_dir().join("config.toml"))
}

/// Loads the config file, or the defaults when there is none (or `--default-config`).
pub fn load() -> Result<Loaded, ConfigError> {
    match path().filter(|_| !DEFAULTS_ONLY.load(Ordering::Relaxed)) {
        Some(path) => load_from(&path),
        None => Ok(Loaded::default()),
    }
}

pub fn load_from(path: &Path) -> Result<Loaded, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Loaded::default());
        }
        Err(error) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                error,
            });
        }
    };
    let (config, unknown) = parse(&text).map_err(|(line, message)| ConfigError::Parse {
        path: path.to_path_buf(),
        line,
        message,
    })?;
    let warnings = unknown
        .into_iter()
        .map(|(line, key)| {
            format!(
                "{}:{line}: unknown setting \"{key}\" (ignored; `pizhu config show` lists the settings)",
                path.display()
            )
        })
        .collect();
    Ok(Loaded { config, warnings })
}

/// A 1-based line and what is there (an unknown key, an error message).
type Located = (usize, String);

/// Parses config text into the settings and the unknown keys (with their 1-based lines); an
/// error gives its line and a one-line message.
fn parse(text: &str) -> Result<(Config, Vec<Located>), Located> {
    let line_of = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
    let error = |e: toml::de::Error| {
        let line = e.span().map_or(1, |span| line_of(span.start));
        let message = e.message().lines().next().unwrap_or("invalid TOML");
        (line, message.to_string())
    };
    let deserializer = toml::Deserializer::parse(text).map_err(error)?;
    let mut unknown = Vec::new();
    let config: Config = serde_ignored::deserialize(deserializer, |path| {
        unknown.push(path.to_string());
    })
    .map_err(error)?;
    let mut found: Vec<Located> = unknown
        .into_iter()
        .map(|key| (key_line(text, &key), key))
        .collect();
    found.sort();
    Ok((config, found))
}

/// The line where dotted `key` (`reading.colour`) is set: its last part at the start of a
/// line (or as a table header) after the header of its table.
fn key_line(text: &str, key: &str) -> usize {
    let (table, name) = key.rsplit_once('.').unwrap_or(("", key));
    let mut in_table = table.is_empty();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_end_matches(']').trim();
            if header == key {
                return i + 1;
            }
            in_table = header == table;
            continue;
        }
        let set = line
            .strip_prefix(name)
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if in_table && set {
            return i + 1;
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        parse(text).unwrap().0
    }

    #[test]
    fn empty_config_is_the_defaults() {
        assert_eq!(config(""), Config::default());
        assert!(Config::default().view_options().fullwidth_punct);
        assert!(!Config::default().width_options().ambiguous_wide);
        let wide = config("[reading]\nambiguous_width = \"wide\"\n");
        assert!(wide.width_options().ambiguous_wide);
        assert!(parse("[reading]\nambiguous_width = \"huge\"\n").is_err());
    }

    #[test]
    fn a_setting_is_read() {
        let read = config("[reading]\nfullwidth_punctuation = false\n");
        assert!(!read.view_options().fullwidth_punct);
    }

    #[test]
    fn mouse_and_keys_are_read() {
        let read = config("mouse = true\n[keys.reader]\n\"x\" = \"quit\"\n");
        assert!(read.mouse);
        assert_eq!(read.keys["reader"]["x"], "quit");
    }

    #[test]
    fn errors_name_the_line() {
        let (line, message) = parse("[reading]\n\nfullwidth_punctuation = maybe\n").unwrap_err();
        assert_eq!(line, 3, "{message}");
    }

    #[test]
    fn unknown_keys_are_found_with_their_line_and_ignored() {
        let text =
            "mouse = true\nmosue = false\n\n[reading]\n# a comment\ncolour = 1\n[extra]\nx = 2\n";
        let (read, unknown) = parse(text).unwrap();
        assert!(read.mouse);
        assert_eq!(
            unknown,
            [
                (2, "mosue".to_string()),
                (6, "reading.colour".to_string()),
                (7, "extra".to_string())
            ]
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        let loaded = load_from(&path).unwrap();
        assert!(loaded.warnings[1].ends_with("config.toml:6: unknown setting \"reading.colour\" (ignored; `pizhu config show` lists the settings)"), "{:?}", loaded.warnings);
    }

    #[test]
    fn a_missing_file_is_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load_from(&dir.path().join("none.toml")).unwrap(),
            Loaded::default()
        );
    }
}
