//! Key bindings: the defaults in the embedded `assets/keymap.toml`, overridden by
//! `[keys.CONTEXT]` tables in the user's `config.toml`, and the reader's settings from it.

use super::action::Action;
use crate::config::KeyTables;
use anyhow::{Context as _, Result, anyhow, bail};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use std::collections::BTreeMap;

/// The default bindings.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Where keys are read: each context has its own bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    Reader,
    Library,
    Results,
    Visual,
    Passage,
    Related,
    Matrix,
    Compare,
    Themes,
    Annotations,
    Export,
    Help,
}

impl Context {
    pub const ALL: [Context; 12] = [
        Context::Reader,
        Context::Visual,
        Context::Library,
        Context::Results,
        Context::Passage,
        Context::Related,
        Context::Matrix,
        Context::Compare,
        Context::Themes,
        Context::Annotations,
        Context::Export,
        Context::Help,
    ];

    /// The table name in the TOML files.
    pub fn name(self) -> &'static str {
        match self {
            Context::Reader => "reader",
            Context::Library => "library",
            Context::Results => "results",
            Context::Visual => "visual",
            Context::Passage => "passage",
            Context::Related => "related",
            Context::Matrix => "matrix",
            Context::Compare => "compare",
            Context::Themes => "themes",
            Context::Annotations => "annotations",
            Context::Export => "export",
            Context::Help => "help",
        }
    }

    /// A heading for the help overlay and the README.
    pub fn title(self) -> &'static str {
        match self {
            Context::Reader => "Reading",
            Context::Library => "Library",
            Context::Results => "Library search results",
            Context::Visual => "Selecting (visual mode)",
            Context::Passage => "A passage's themes",
            Context::Related => "Related passages",
            Context::Matrix => "Matrix (documents × themes)",
            Context::Compare => "Compare (one theme across the documents)",
            Context::Themes => "Themes",
            Context::Annotations => "Annotations",
            Context::Export => "Export dialog",
            Context::Help => "Help",
        }
    }

    fn parse(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A key with its modifiers, normalised so that `G` is `G` whether or not Shift is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let modifiers = match code {
            KeyCode::Char(_) | KeyCode::BackTab => modifiers - KeyModifiers::SHIFT,
            _ => modifiers,
        } & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        Key { code, modifiers }
    }

    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// Parses the notation of the keymap files: `j`, `G`, `ctrl-d`, `pagedown`, `space`.
    pub fn parse(text: &str) -> Option<Key> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
                modifiers |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-").filter(|r| !r.is_empty()) {
                modifiers |= KeyModifiers::ALT;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest {
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" => KeyCode::PageUp,
                "pagedown" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "enter" => KeyCode::Enter,
                "esc" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "delete" => KeyCode::Delete,
                "space" => KeyCode::Char(' '),
                _ => return None,
            },
        };
        Some(Key::new(code, modifiers))
    }

    /// The key as people write it: `j`, `G`, `Ctrl-d`, `PgDn`, `Space`, `Shift-Tab`.
    pub fn display(&self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::Delete => "Del".to_string(),
            other => format!("{other:?}"),
        };
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        out.push_str(&name);
        out
    }
}

/// Keys typed one after the other (`]t`); most bindings are one key.
pub type Keys = Vec<Key>;

/// Longest key sequence written without spaces (`]t`): a longer word is a key name or a
/// mistake, not a sequence.
const MAX_SEQUENCE: usize = 3;

/// Parses a binding's keys: one key (`j`, `ctrl-d`, `pagedown`), a short sequence of
/// characters (`]t`), or keys separated by spaces (`g g`, `ctrl-x ctrl-s`).
pub fn parse_keys(text: &str) -> Option<Keys> {
    if let Some(key) = Key::parse(text) {
        return Some(vec![key]);
    }
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [] => None,
        [word] if word.chars().count() <= MAX_SEQUENCE => word
            .chars()
            .map(|c| Key::parse(c.encode_utf8(&mut [0; 4])))
            .collect(),
        [_] => None,
        words => words.iter().map(|w| Key::parse(w)).collect(),
    }
}

/// Keys as people write them: `]t`, `Ctrl-x Ctrl-s`.
pub fn display_keys(keys: &[Key]) -> String {
    let plain = keys
        .iter()
        .all(|k| matches!(k.code, KeyCode::Char(c) if c != ' ') && k.modifiers.is_empty());
    let names: Vec<String> = keys.iter().map(Key::display).collect();
    names.join(if plain { "" } else { " " })
}

/// What a sequence of keys typed so far means in a context.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lookup<'a> {
    Bound(&'a Action),
    /// The start of a longer binding: wait for the next key.
    Prefix,
    Unbound,
}

/// Every context's bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Context, Vec<(Keys, Action)>>,
}

impl Keymap {
    /// The default bindings.
    pub fn defaults() -> Keymap {
        let tables: BTreeMap<String, BTreeMap<String, Action>> =
            toml::from_str(DEFAULT_KEYMAP).unwrap_or_default();
        let mut keymap = Keymap {
            bindings: BTreeMap::new(),
        };
        // The embedded file is checked by a test, so nothing is lost here.
        let _ = keymap.apply(&tables);
        keymap
    }

    /// The defaults with the config's `[keys.CONTEXT]` tables (key → action name) on top.
    pub fn with_config(keys: &KeyTables) -> Result<Keymap> {
        let mut tables: BTreeMap<String, BTreeMap<String, Action>> = BTreeMap::new();
        for (context, table) in keys {
            for (key, name) in table {
                let action = Action::deserialize(name.as_str().into_deserializer()).map_err(
                    |_: serde::de::value::Error| {
                        anyhow!("[keys.{context}] \"{key}\": unknown action \"{name}\"")
                    },
                )?;
                tables
                    .entry(context.clone())
                    .or_default()
                    .insert(key.clone(), action);
            }
        }
        let mut keymap = Keymap::defaults();
        keymap.apply(&tables).context("config.toml: [keys]")?;
        Ok(keymap)
    }

    fn apply(&mut self, tables: &BTreeMap<String, BTreeMap<String, Action>>) -> Result<()> {
        for (context, table) in tables {
            let ctx = Context::parse(context).ok_or_else(|| {
                anyhow!(
                    "unknown context [{context}] (use reader, visual, library, results, passage, related, matrix, compare, themes, annotations, export or help)"
                )
            })?;
            let bindings = self.bindings.entry(ctx).or_default();
            for (key, action) in table {
                let parsed =
                    parse_keys(key).ok_or_else(|| anyhow!("[{context}] \"{key}\": not a key"))?;
                if !BINDABLE.contains(action) {
                    bail!("[{context}] \"{key}\": {action:?} cannot be bound to a key");
                }
                // The newest binding wins over one it equals or that one of them starts
                // (binding `]` ends `]t`), so no sequence is ever unreachable.
                bindings.retain(|(k, _)| !k.starts_with(&parsed) && !parsed.starts_with(k));
                bindings.push((parsed, action.clone()));
            }
        }
        Ok(())
    }

    /// The action bound to `key` alone in `context`.
    pub fn action(&self, context: Context, key: Key) -> Option<&Action> {
        match self.lookup(context, &[key]) {
            Lookup::Bound(action) => Some(action),
            _ => None,
        }
    }

    /// What the keys typed so far mean in `context`.
    pub fn lookup(&self, context: Context, keys: &[Key]) -> Lookup<'_> {
        let mut prefix = false;
        for (bound, action) in self.bindings.get(&context).into_iter().flatten() {
            if bound == keys {
                return Lookup::Bound(action);
            }
            prefix |= bound.starts_with(keys);
        }
        if prefix {
            Lookup::Prefix
        } else {
            Lookup::Unbound
        }
    }

    /// For each action bound in `context`, in the order actions are declared, its keys.
    pub fn describe(&self, context: Context) -> Vec<(Vec<Keys>, Action)> {
        let mut out: Vec<(Vec<Keys>, Action)> = Vec::new();
        for (keys, action) in self.bindings.get(&context).into_iter().flatten() {
            match out.iter_mut().find(|(_, a)| a == action) {
                Some((all, _)) => all.push(keys.clone()),
                None => out.push((vec![keys.clone()], action.clone())),
            }
        }
        for (all, _) in &mut out {
            all.sort_by_key(|k| (k.len(), k.first().map_or(0, key_rank), display_keys(k)));
        }
        out.sort_by_key(|(_, action)| action_rank(action));
        out
    }

    /// What `action` does in `context`.
    pub fn description(context: Context, action: &Action) -> &'static str {
        match (context, action) {
            (Context::Reader, Action::Back) => "clear the search highlight",
            (Context::Reader, Action::Select) => {
                "on an annotation: edit its note; else the passage's themes"
            }
            (Context::Visual, Action::Back) => "stop selecting (moving: leave the annotation)",
            (Context::Visual, Action::Select) => "moving an annotation (m): put it here",
            (Context::Passage, Action::Select) => "follow this theme in every pane",
            (Context::Passage, Action::AddTheme) => {
                "add a theme from the codebook (type to find it)"
            }
            (Context::Related, Action::Select) => "open it in the pane beside",
            (Context::Matrix, Action::Select) => "compare this theme across the documents",
            (Context::Compare, Action::Select) => "open the passage in context",
            (Context::Matrix, Action::Down) => "next document",
            (Context::Matrix, Action::Up) => "previous document",
            (Context::Matrix, Action::Left) => "previous theme",
            (Context::Matrix, Action::Right) => "next theme",
            (Context::Matrix, Action::Top) => "first document",
            (Context::Matrix, Action::Bottom) => "last document",
            (Context::Compare, Action::Down) => "next passage of this document",
            (Context::Compare, Action::Up) => "previous passage of this document",
            (Context::Compare, Action::Left) => "previous document",
            (Context::Compare, Action::Right) => "next document",
            (Context::Compare, Action::Top) => "first passage of this document",
            (Context::Compare, Action::Bottom) => "last passage of this document",
            (Context::Matrix, Action::Back) => "back to the reader",
            (Context::Compare, Action::Back) => "back (to the matrix when it opened this)",
            (Context::Themes, Action::Remove) => "remove the theme (asks first)",
            (Context::Themes, Action::Select) => {
                "on a term: add it as a keyword; merging: merge into this theme"
            }
            (Context::Themes, Action::FocusNext) => "between the themes and the terms",
            (Context::Themes, Action::Back) => "cancel / close the terms / back",
            (Context::Annotations, Action::Select) => "open it in the reader",
            (Context::Annotations, Action::Filter) => {
                "filter by text, either script (typing also starts it)"
            }
            (Context::Annotations, Action::Accept) => {
                "drifted: confirm it (the text now at its place is its quote)"
            }
            (Context::Annotations, Action::Reject) => "drifted: make it an orphan (kept)",
            (Context::Annotations, Action::DeleteAnnotation) => "delete it (u brings it back)",
            (Context::Passage, Action::ClearDecision) => {
                "clear your decision (back to the suggestion; an added theme goes)"
            }
            (Context::Annotations, Action::MoveAnnotation) => {
                "move it: its place selected in the reader, Enter puts it where the selection is"
            }
            (Context::Annotations, Action::Back) => "clear the filter / leave the review / back",
            (Context::Export, Action::Down) => "next field",
            (Context::Export, Action::Up) => "previous field",
            (Context::Export, Action::Left) => "previous choice",
            (Context::Export, Action::Right) => "next choice (the byte-order mark: on / off)",
            (Context::Export, Action::Select) => "export (asks before overwriting a file)",
            (Context::Export, Action::Back) => "cancel",
            _ => action.describe(),
        }
    }

    /// The help as a Markdown table per context (the README's "Reader" key table).
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for context in Context::ALL {
            out.push_str(&format!(
                "\n#### {}\n\n| keys | action |\n| --- | --- |\n",
                context.title()
            ));
            for (keys, action) in self.describe(context) {
                let keys: Vec<String> = keys
                    .iter()
                    .map(|k| format!("`{}`", display_keys(k).replace('|', "\\|")))
                    .collect();
                out.push_str(&format!(
                    "| {} | {} |\n",
                    keys.join(" "),
                    Keymap::description(context, &action)
                ));
            }
        }
        out
    }
}

/// Letters before names when listing a binding's keys.
fn key_rank(key: &Key) -> u8 {
    match key.code {
        KeyCode::Char(_) if key.modifiers.is_empty() => 0,
        KeyCode::Char(_) => 1,
        _ => 2,
    }
}

/// The declaration order of the bindable actions.
fn action_rank(action: &Action) -> usize {
    BINDABLE
        .iter()
        .position(|a| a == action)
        .unwrap_or(usize::MAX)
}

/// The actions a key can be bound to, in the order help lists them.
pub const BINDABLE: &[Action] = &[
    Action::Down,
    Action::Up,
    Action::HalfPageDown,
    Action::HalfPageUp,
    Action::PageDown,
    Action::PageUp,
    Action::Top,
    Action::Bottom,
    Action::NextParagraph,
    Action::PreviousParagraph,
    Action::NextSentence,
    Action::PreviousSentence,
    Action::NextWord,
    Action::PreviousWord,
    Action::WordEnd,
    Action::JumpPercent,
    Action::CommandLine,
    Action::Search,
    Action::SearchNext,
    Action::SearchPrevious,
    Action::Grep,
    Action::ToggleSync,
    Action::ToggleNoise,
    Action::OpenLibrary,
    Action::Split,
    Action::FocusNext,
    Action::FocusPrevious,
    Action::ClosePane,
    Action::ThemeList,
    Action::NextTheme,
    Action::PreviousTheme,
    Action::FilterTheme,
    Action::Related,
    Action::Accept,
    Action::Reject,
    Action::ClearDecision,
    Action::OpenMatrix,
    Action::OpenCompare,
    Action::Left,
    Action::Right,
    Action::Visual,
    Action::VisualParagraphs,
    Action::Highlight,
    Action::HighlightYellow,
    Action::HighlightGreen,
    Action::HighlightBlue,
    Action::HighlightPink,
    Action::HighlightPurple,
    Action::Annotate,
    Action::TagSelection,
    Action::Copy,
    Action::SentenceEnd,
    Action::ClauseEnd,
    Action::PreviousClause,
    Action::DeleteAnnotation,
    Action::MoveAnnotation,
    Action::Undo,
    Action::Redo,
    Action::Select,
    Action::Filter,
    Action::Remove,
    Action::Import,
    Action::ImportDemo,
    Action::OpenThemes,
    Action::AddTheme,
    Action::NewTheme,
    Action::RenameTheme,
    Action::RecolorTheme,
    Action::ThemeKeywords,
    Action::MergeTheme,
    Action::DiscoverTerms,
    Action::DiscoverDocumentTerms,
    Action::OpenAnnotations,
    Action::OpenExport,
    Action::CycleColor,
    Action::CycleTag,
    Action::ToggleSort,
    Action::ToggleDocument,
    Action::ReviewDrifted,
    Action::Help,
    Action::Back,
    Action::Quit,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_keymap_parses_whole() {
        let tables: BTreeMap<String, BTreeMap<String, Action>> =
            toml::from_str(DEFAULT_KEYMAP).expect("assets/keymap.toml parses");
        let mut keymap = Keymap {
            bindings: BTreeMap::new(),
        };
        keymap
            .apply(&tables)
            .expect("every key and action is valid");
        let total: usize = tables.values().map(BTreeMap::len).sum();
        let bound: usize = keymap.bindings.values().map(Vec::len).sum();
        assert_eq!(total, bound);
        for (_, action) in keymap.bindings.values().flatten() {
            assert!(
                BINDABLE.contains(action),
                "{action:?} missing from BINDABLE"
            );
        }
    }

    #[test]
    fn keys_parse_and_normalise_shift() {
        let g = Key::parse("G").unwrap();
        assert_eq!(g, Key::new(KeyCode::Char('G'), KeyModifiers::SHIFT));
        assert_eq!(
            Key::parse("ctrl-d").unwrap(),
            Key::new(KeyCode::Char('d'), KeyModifiers::CONTROL)
        );
        assert_eq!(
            Key::parse("backtab").unwrap(),
            Key::new(KeyCode::BackTab, KeyModifiers::SHIFT)
        );
        assert_eq!(Key::parse("ctrl--").unwrap().code, KeyCode::Char('-'));
        assert!(Key::parse("nonsense").is_none());
        assert_eq!(Key::parse("ctrl-d").unwrap().display(), "Ctrl-d");
    }

    #[test]
    fn the_config_overrides_and_reports_mistakes() {
        let config: KeyTables =
            toml::from_str("[reader]\n\"x\" = \"quit\"\n\"j\" = \"up\"\n").unwrap();
        let keymap = Keymap::with_config(&config).unwrap();
        let key = |s| Key::parse(s).unwrap();
        assert_eq!(
            keymap.action(Context::Reader, key("x")),
            Some(&Action::Quit)
        );
        assert_eq!(keymap.action(Context::Reader, key("j")), Some(&Action::Up));
        let bad: KeyTables = toml::from_str("[reader]\n\"nonsense\" = \"quit\"\n").unwrap();
        let err = format!("{:#}", Keymap::with_config(&bad).unwrap_err());
        assert!(err.contains("not a key"), "{err}");
        let fly: KeyTables = toml::from_str("[reader]\n\"x\" = \"fly\"\n").unwrap();
        let err = format!("{:#}", Keymap::with_config(&fly).unwrap_err());
        assert!(err.contains("unknown action \"fly\""), "{err}");
    }

    #[test]
    fn sequences_parse_wait_for_their_next_key_and_give_way_to_the_config() {
        let key = |s| Key::parse(s).unwrap();
        assert_eq!(parse_keys("]t"), Some(vec![key("]"), key("t")]));
        assert_eq!(parse_keys("g g"), Some(vec![key("g"), key("g")]));
        assert_eq!(
            parse_keys("ctrl-x ctrl-s"),
            Some(vec![key("ctrl-x"), key("ctrl-s")])
        );
        assert_eq!(parse_keys("pagedown"), Some(vec![key("pagedown")]));
        assert_eq!(parse_keys("nonsense"), None);
        assert_eq!(display_keys(&[key("]"), key("t")]), "]t");
        assert_eq!(display_keys(&[key("ctrl-x"), key("s")]), "Ctrl-x s");

        let keymap = Keymap::defaults();
        assert_eq!(keymap.lookup(Context::Reader, &[key("]")]), Lookup::Prefix);
        assert_eq!(
            keymap.lookup(Context::Reader, &[key("]"), key("t")]),
            Lookup::Bound(&Action::NextTheme)
        );
        assert_eq!(
            keymap.lookup(Context::Reader, &[key("]"), key("x")]),
            Lookup::Unbound
        );
        // A user's binding of `]` alone replaces the sequences it starts.
        let config: KeyTables = toml::from_str("[reader]\n\"]\" = \"quit\"\n").unwrap();
        let keymap = Keymap::with_config(&config).unwrap();
        assert_eq!(
            keymap.lookup(Context::Reader, &[key("]")]),
            Lookup::Bound(&Action::Quit)
        );
        assert_eq!(
            keymap.lookup(Context::Reader, &[key("["), key("t")]),
            Lookup::Bound(&Action::PreviousTheme)
        );
    }

    #[test]
    fn the_readme_key_table_is_the_keymap() {
        let readme = include_str!("../../README.md");
        let table = Keymap::defaults().markdown();
        assert!(
            readme.contains(&table),
            "README.md's reader key tables differ from the keymap; replace them with:\n{table}"
        );
    }
}
