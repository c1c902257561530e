//! The theme codebook: themes with names, colours, keywords and an optional hierarchy.
//!
//! A codebook is read from and written to TOML (`[[theme]]` tables, see
//! `assets/themes.toml`), validated as a whole, and edited through methods that either
//! succeed and leave a valid codebook or fail and leave it untouched.

use crate::count::count;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// The default codebook shipped with pizhu, seeded into every new library.
const DEFAULT_TOML: &str = include_str!("../../assets/themes.toml");

/// Colours given to new themes that do not name one: the first one no theme uses yet.
pub const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// A theme a reader follows across documents.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Stable id (`[a-z0-9][a-z0-9-]*`); never changes on rename.
    pub id: String,
    /// Name in Simplified Chinese.
    pub name: String,
    /// Name in Traditional Chinese.
    #[serde(default)]
    pub name_hant: String,
    /// Name in English.
    #[serde(default)]
    pub name_en: String,
    /// Display colour, `#rrggbb`.
    pub color: String,
    /// One line: what a passage with this theme is about.
    #[serde(default)]
    pub description: String,
    /// Id of the broader theme, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Simplified terms whose hits are evidence for the theme.
    #[serde(default)]
    pub keywords: Vec<Keyword>,
}

/// A keyword or phrase of a theme, matched in the Simplified shadow text.
///
/// In TOML either a plain string (weight 1.0) or a table `{ term = "…", weight = 1.5 }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    pub term: String,
    /// How strongly one hit counts, relative to an ordinary term (1.0). Finite and > 0.
    pub weight: f32,
}

impl Keyword {
    /// A keyword of weight 1.0.
    pub fn new(term: impl Into<String>) -> Keyword {
        Keyword {
            term: term.into(),
            weight: 1.0,
        }
    }

    /// A keyword with an explicit weight.
    pub fn weighted(term: impl Into<String>, weight: f32) -> Keyword {
        Keyword {
            term: term.into(),
            weight,
        }
    }
}

impl From<&str> for Keyword {
    fn from(term: &str) -> Keyword {
        Keyword::new(term)
    }
}

impl Serialize for Keyword {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if self.weight == 1.0 {
            serializer.serialize_str(&self.term)
        } else {
            let mut s = serializer.serialize_struct("Keyword", 2)?;
            s.serialize_field("term", &self.term)?;
            s.serialize_field("weight", &self.weight)?;
            s.end()
        }
    }
}

impl<'de> Deserialize<'de> for Keyword {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Keyword, D::Error> {
        deserializer.deserialize_any(KeywordVisitor)
    }
}

struct KeywordVisitor;

impl<'de> Visitor<'de> for KeywordVisitor {
    type Value = Keyword;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a keyword string or a table { term = \"…\", weight = 1.0 }")
    }

    fn visit_str<E: de::Error>(self, term: &str) -> Result<Keyword, E> {
        Ok(Keyword::new(term))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keyword, A::Error> {
        let mut term: Option<String> = None;
        let mut weight: Option<f32> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "term" if term.is_none() => term = Some(map.next_value()?),
                "weight" if weight.is_none() => weight = Some(map.next_value()?),
                "term" | "weight" => return Err(de::Error::duplicate_field("term or weight")),
                other => return Err(de::Error::unknown_field(other, &["term", "weight"])),
            }
        }
        let term = term.ok_or_else(|| de::Error::missing_field("term"))?;
        Ok(Keyword::weighted(term, weight.unwrap_or(1.0)))
    }
}

/// New names for [`Codebook::rename`]; `None` keeps a name as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThemeNames {
    pub name: Option<String>,
    pub name_hant: Option<String>,
    pub name_en: Option<String>,
}

/// One edit of a codebook, as the CLI and the reader make them: [`Codebook::apply`] applies
/// it, and the store saves it in one transaction (`Store::apply_codebook_edit`).
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Add a theme at the end; an empty colour becomes [`Codebook::unused_color`].
    Add(Theme),
    /// Change names; the id stays.
    Rename { id: String, names: ThemeNames },
    /// Set the display colour (`#rrggbb`).
    Recolor { id: String, color: String },
    /// Add keywords (a term the theme has gets the new weight), then remove terms (each must
    /// be there).
    Keywords {
        id: String,
        add: Vec<Keyword>,
        remove: Vec<String>,
    },
    /// Merge theme `from` into `into` (see [`Codebook::merge`]); decisions move with it.
    Merge { into: String, from: String },
    /// Remove a theme; its children move up.
    Remove { id: String },
    /// Replace the whole codebook (an import).
    Replace(Codebook),
}

impl Edit {
    /// The theme whose decisions the edit moves, and the theme they move to.
    pub fn moved_decisions(&self) -> Option<(&str, &str)> {
        match self {
            Edit::Merge { into, from } => Some((from, into)),
            _ => None,
        }
    }
}

/// What is wrong with a codebook or an edit. Every message is one line and names the theme.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CodebookError {
    #[error("codebook TOML{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Parse {
        line: Option<usize>,
        message: String,
    },
    #[error("theme id {id:?}: use only a-z, 0-9 and '-', starting with a letter or digit")]
    BadId { id: String },
    #[error("theme {id}: the id is used twice")]
    DuplicateId { id: String },
    #[error("theme {id}: no such theme")]
    UnknownTheme { id: String },
    #[error("theme {id}: the Simplified name is empty")]
    EmptyName { id: String },
    #[error("theme {id}: colour {color:?} is not #rrggbb")]
    BadColor { id: String, color: String },
    #[error("theme {id}: parent {parent:?} is not in the codebook")]
    UnknownParent { id: String, parent: String },
    #[error("theme {id}: its parent chain loops back to it")]
    ParentCycle { id: String },
    #[error("theme {id}: keyword {term:?} {problem}")]
    BadKeyword {
        id: String,
        term: String,
        problem: &'static str,
    },
    #[error("theme {id}: keyword {term:?} is listed twice")]
    DuplicateKeyword { id: String, term: String },
    #[error("theme {id}: has no keyword {term:?}")]
    UnknownKeyword { id: String, term: String },
    #[error("theme {id}: cannot merge a theme into itself")]
    MergeIntoSelf { id: String },
    #[error("codebook too large for the keyword automaton: {message}")]
    TooLarge { message: String },
}

/// A library's set of themes, in display order.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    #[serde(rename = "theme", default)]
    pub themes: Vec<Theme>,
}

impl Codebook {
    /// The codebook shipped in `assets/themes.toml`.
    pub fn default_codebook() -> Codebook {
        // The asset is checked by a unit test; an edit that breaks it fails the build's tests,
        // not a user's session, so an invalid asset degrades to an empty codebook.
        Codebook::from_toml(DEFAULT_TOML).unwrap_or_default()
    }

    /// Parses and validates a codebook.
    pub fn from_toml(s: &str) -> Result<Codebook, CodebookError> {
        let codebook: Codebook = toml::from_str(s).map_err(|e| CodebookError::Parse {
            line: e.span().map(|span| line_of(s, span.start)),
            message: e.message().trim().to_string(),
        })?;
        codebook.validate()?;
        Ok(codebook)
    }

    /// The codebook as TOML that [`Codebook::from_toml`] reads back to an equal codebook.
    pub fn to_toml(&self) -> String {
        let mut out = String::from("# pizhu theme codebook\n");
        for t in &self.themes {
            out.push_str("\n[[theme]]\n");
            for (key, value) in [
                ("id", &t.id),
                ("name", &t.name),
                ("name_hant", &t.name_hant),
                ("name_en", &t.name_en),
                ("color", &t.color),
            ] {
                out.push_str(&format!("{key} = {}\n", quote(value)));
            }
            if let Some(parent) = &t.parent {
                out.push_str(&format!("parent = {}\n", quote(parent)));
            }
            out.push_str(&format!("description = {}\n", quote(&t.description)));
            out.push_str("keywords = [\n");
            for k in &t.keywords {
                if k.weight == 1.0 {
                    out.push_str(&format!("  {},\n", quote(&k.term)));
                } else {
                    out.push_str(&format!(
                        "  {{ term = {}, weight = {} }},\n",
                        quote(&k.term),
                        float(k.weight)
                    ));
                }
            }
            out.push_str("]\n");
        }
        out
    }

    /// The theme with this id.
    pub fn get(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// Ids of the theme's parent, grandparent, … (nearest first). Stops at a missing parent
    /// or a loop, so it is safe on an unvalidated codebook.
    pub fn ancestors(&self, id: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut current = self.get(id);
        while let Some(parent) = current.and_then(|t| t.parent.as_deref()) {
            if parent == id || out.contains(&parent) {
                break;
            }
            out.push(parent);
            current = self.get(parent);
        }
        out
    }

    /// Checks ids, names, colours, parents (existing, no cycles) and keywords.
    pub fn validate(&self) -> Result<(), CodebookError> {
        let mut ids = HashSet::new();
        for t in &self.themes {
            if !valid_id(&t.id) {
                return Err(CodebookError::BadId { id: t.id.clone() });
            }
            if !ids.insert(t.id.as_str()) {
                return Err(CodebookError::DuplicateId { id: t.id.clone() });
            }
        }
        for t in &self.themes {
            validate_theme_fields(t)?;
            if let Some(parent) = &t.parent
                && !ids.contains(parent.as_str())
            {
                return Err(CodebookError::UnknownParent {
                    id: t.id.clone(),
                    parent: parent.clone(),
                });
            }
        }
        for t in &self.themes {
            let mut seen = HashSet::new();
            let mut current = t;
            while let Some(parent) = current.parent.as_deref().and_then(|p| self.get(p)) {
                if parent.id == t.id || !seen.insert(parent.id.as_str()) {
                    return Err(CodebookError::ParentCycle { id: t.id.clone() });
                }
                current = parent;
            }
        }
        Ok(())
    }

    /// Adds a theme at the end.
    pub fn add(&mut self, theme: Theme) -> Result<(), CodebookError> {
        self.edit(|cb| {
            cb.themes.push(theme);
            Ok(())
        })
    }

    /// Changes names; the id stays.
    pub fn rename(&mut self, id: &str, names: ThemeNames) -> Result<(), CodebookError> {
        self.edit(|cb| {
            let t = cb.get_mut(id)?;
            if let Some(name) = names.name {
                t.name = name;
            }
            if let Some(name) = names.name_hant {
                t.name_hant = name;
            }
            if let Some(name) = names.name_en {
                t.name_en = name;
            }
            Ok(())
        })
    }

    /// Sets the display colour (`#rrggbb`).
    pub fn recolor(&mut self, id: &str, color: &str) -> Result<(), CodebookError> {
        self.edit(|cb| {
            cb.get_mut(id)?.color = color.to_string();
            Ok(())
        })
    }

    /// Moves a theme under another (`Some`) or to the top level (`None`).
    pub fn set_parent(&mut self, id: &str, parent: Option<&str>) -> Result<(), CodebookError> {
        self.edit(|cb| {
            cb.get_mut(id)?.parent = parent.map(str::to_string);
            Ok(())
        })
    }

    /// Adds keywords; a term the theme already has gets the new weight. Returns how many
    /// terms were new.
    pub fn add_keywords(
        &mut self,
        id: &str,
        keywords: impl IntoIterator<Item = Keyword>,
    ) -> Result<usize, CodebookError> {
        let mut added = 0;
        self.edit(|cb| {
            let t = cb.get_mut(id)?;
            for k in keywords {
                match t.keywords.iter_mut().find(|old| old.term == k.term) {
                    Some(old) => old.weight = k.weight,
                    None => {
                        t.keywords.push(k);
                        added += 1;
                    }
                }
            }
            Ok(())
        })?;
        Ok(added)
    }

    /// Removes keywords by term. Every term must be in the theme, or nothing is removed.
    /// Returns how many were removed.
    pub fn remove_keywords<S: AsRef<str>>(
        &mut self,
        id: &str,
        terms: &[S],
    ) -> Result<usize, CodebookError> {
        self.edit(|cb| {
            let t = cb.get_mut(id)?;
            for term in terms {
                let term = term.as_ref();
                if !t.keywords.iter().any(|k| k.term == term) {
                    return Err(CodebookError::UnknownKeyword {
                        id: id.to_string(),
                        term: term.to_string(),
                    });
                }
            }
            t.keywords
                .retain(|k| !terms.iter().any(|term| term.as_ref() == k.term));
            Ok(())
        })?;
        Ok(terms.len())
    }

    /// Merges `from` into `into`: `into` keeps its id, names, colour and description and
    /// gains `from`'s keywords (a term in both keeps the larger weight); `from`'s children
    /// move under `into`; `from` is removed. Merging a parent into its direct child lifts
    /// the child to the parent's place; merging into a deeper descendant is refused as a
    /// cycle.
    pub fn merge(&mut self, into: &str, from: &str) -> Result<(), CodebookError> {
        if into == from {
            return Err(CodebookError::MergeIntoSelf {
                id: into.to_string(),
            });
        }
        self.edit(|cb| {
            cb.get_mut(into)?;
            let source = cb.take(from)?;
            let target = cb.get_mut(into)?;
            for k in source.keywords {
                match target.keywords.iter_mut().find(|old| old.term == k.term) {
                    Some(old) => old.weight = old.weight.max(k.weight),
                    None => target.keywords.push(k),
                }
            }
            if target.parent.as_deref() == Some(from) {
                target.parent = source.parent;
            }
            for t in &mut cb.themes {
                if t.parent.as_deref() == Some(from) {
                    t.parent = Some(into.to_string());
                }
            }
            Ok(())
        })
    }

    /// Removes a theme and returns it; its children move to its parent (or the top level).
    pub fn remove(&mut self, id: &str) -> Result<Theme, CodebookError> {
        let removed = self.take(id)?;
        for t in &mut self.themes {
            if t.parent.as_deref() == Some(id) {
                t.parent = removed.parent.clone();
            }
        }
        Ok(removed)
    }

    /// Applies `edit`, all of it or nothing, and says in one line what it did.
    pub fn apply(&mut self, edit: &Edit) -> Result<String, CodebookError> {
        match edit.clone() {
            Edit::Add(mut theme) => {
                if theme.color.is_empty() {
                    theme.color = self.unused_color();
                }
                let id = theme.id.clone();
                self.add(theme)?;
                Ok(format!("added theme {id}"))
            }
            Edit::Rename { id, names } => {
                self.rename(&id, names)?;
                Ok(format!("renamed theme {id}"))
            }
            Edit::Recolor { id, color } => {
                self.recolor(&id, &color)?;
                Ok(format!("theme {id} is now {color}"))
            }
            Edit::Keywords { id, add, remove } => {
                let mut copy = self.clone();
                let added = copy.add_keywords(&id, add)?;
                let removed = if remove.is_empty() {
                    0
                } else {
                    copy.remove_keywords(&id, &remove)?
                };
                *self = copy;
                Ok(format!(
                    "theme {id}: {} added, {removed} removed",
                    count(added, "keyword")
                ))
            }
            Edit::Merge { into, from } => {
                self.merge(&into, &from)?;
                Ok(format!("merged theme {from} into {into}"))
            }
            Edit::Remove { id } => {
                self.remove(&id)?;
                Ok(format!("removed theme {id}"))
            }
            Edit::Replace(codebook) => {
                codebook.validate()?;
                *self = codebook;
                Ok(format!(
                    "replaced the codebook: {}",
                    count(self.themes.len(), "theme")
                ))
            }
        }
    }

    /// The first [`PALETTE`] colour no theme uses; when all are taken, the first unused of
    /// a sequence of hues a golden angle apart (medium saturation and lightness).
    pub fn unused_color(&self) -> String {
        let used = |c: &str| self.themes.iter().any(|t| t.color.eq_ignore_ascii_case(c));
        let hues = (0..=self.themes.len()).map(|i| hsl_hex(i as f32 * 137.507_77, 0.55, 0.55));
        PALETTE
            .iter()
            .map(|c| c.to_string())
            .chain(hues)
            .find(|c| !used(c))
            .unwrap_or_else(|| PALETTE[0].to_string())
    }

    /// The themes in display order, each after its parent, with its depth (0 at the top
    /// level); children in codebook order. A theme whose parent is missing counts as top
    /// level, so it is safe on an unvalidated codebook.
    pub fn tree(&self) -> Vec<(&Theme, usize)> {
        let mut out = Vec::with_capacity(self.themes.len());
        let root = |t: &Theme| t.parent.as_deref().is_none_or(|p| self.get(p).is_none());
        for t in self.themes.iter().filter(|t| root(t)) {
            self.subtree(t, 0, &mut out);
        }
        out
    }

    fn subtree<'a>(&'a self, theme: &'a Theme, depth: usize, out: &mut Vec<(&'a Theme, usize)>) {
        // A loop (only in an unvalidated codebook) stops at the number of themes.
        if out.len() >= self.themes.len() {
            return;
        }
        out.push((theme, depth));
        for child in self
            .themes
            .iter()
            .filter(|t| t.parent.as_deref() == Some(theme.id.as_str()))
        {
            self.subtree(child, depth + 1, out);
        }
    }

    /// Applies `change` to a copy and keeps it only if the result validates.
    fn edit(
        &mut self,
        change: impl FnOnce(&mut Codebook) -> Result<(), CodebookError>,
    ) -> Result<(), CodebookError> {
        let mut copy = self.clone();
        change(&mut copy)?;
        copy.validate()?;
        *self = copy;
        Ok(())
    }

    fn get_mut(&mut self, id: &str) -> Result<&mut Theme, CodebookError> {
        self.themes
            .iter_mut()
            .find(|t| t.id == id)
            .ok_or_else(|| CodebookError::UnknownTheme { id: id.to_string() })
    }

    fn take(&mut self, id: &str) -> Result<Theme, CodebookError> {
        let index = self
            .themes
            .iter()
            .position(|t| t.id == id)
            .ok_or_else(|| CodebookError::UnknownTheme { id: id.to_string() })?;
        Ok(self.themes.remove(index))
    }
}

fn validate_theme_fields(t: &Theme) -> Result<(), CodebookError> {
    if t.name.trim().is_empty() {
        return Err(CodebookError::EmptyName { id: t.id.clone() });
    }
    if !valid_color(&t.color) {
        return Err(CodebookError::BadColor {
            id: t.id.clone(),
            color: t.color.clone(),
        });
    }
    let mut terms = HashSet::new();
    for k in &t.keywords {
        let problem = if k.term.trim().is_empty() {
            Some("is empty")
        } else if k.term.trim() != k.term {
            Some("has leading or trailing whitespace")
        } else if !(k.weight.is_finite() && k.weight > 0.0) {
            Some("needs a weight > 0")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(CodebookError::BadKeyword {
                id: t.id.clone(),
                term: k.term.clone(),
                problem,
            });
        }
        if !terms.insert(k.term.as_str()) {
            return Err(CodebookError::DuplicateKeyword {
                id: t.id.clone(),
                term: k.term.clone(),
            });
        }
    }
    Ok(())
}

fn valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

fn valid_color(color: &str) -> bool {
    color.len() == 7 && color.starts_with('#') && color[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// `#rrggbb` of a colour given as hue (degrees), saturation and lightness (0–1).
fn hsl_hex(hue: f32, saturation: f32, lightness: f32) -> String {
    let c = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue.rem_euclid(360.0) / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = lightness - c / 2.0;
    let byte = |v: f32| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    format!("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b))
}

/// 1-based line of a byte offset.
fn line_of(s: &str, offset: usize) -> usize {
    s.as_bytes()[..offset.min(s.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML float that reads back to the same `f32`.
fn float(x: f32) -> String {
    let s = format!("{x:?}");
    if s.contains(['.', 'e', 'E']) || !x.is_finite() {
        s
    } else {
        format!("{s}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(id: &str, parent: Option<&str>, terms: &[&str]) -> Theme {
        Theme {
            id: id.to_string(),
            name: format!("名{id}"),
            name_hant: String::new(),
            name_en: id.to_string(),
            color: "#123abc".to_string(),
            description: String::new(),
            parent: parent.map(str::to_string),
            keywords: terms.iter().map(|&t| Keyword::from(t)).collect(),
        }
    }

    fn small() -> Codebook {
        Codebook {
            themes: vec![
                theme("a", None, &["甲", "乙"]),
                theme("b", Some("a"), &["丙"]),
                theme("c", Some("b"), &["丁"]),
                theme("d", None, &["乙", "戊"]),
            ],
        }
    }

    #[test]
    fn default_codebook_parses_and_validates() {
        let cb = Codebook::from_toml(DEFAULT_TOML).expect("default codebook");
        cb.validate().expect("valid");
        assert_eq!(Codebook::default_codebook(), cb);
        for id in [
            "talent",
            "enterprise",
            "basic-research",
            "key-tech",
            "regional",
            "international",
            "commercialization",
            "finance",
            "institutions",
            "industry",
            "new-productive-forces",
        ] {
            let t = cb.get(id).unwrap_or_else(|| panic!("theme {id}"));
            assert!(t.keywords.len() >= 8, "{id} has few keywords");
            assert!(!t.name_hant.is_empty() && !t.name_en.is_empty() && !t.description.is_empty());
        }
        assert!(cb.themes.iter().any(|t| t.parent.is_some()));
    }

    #[test]
    fn toml_round_trip() {
        let cb = Codebook::default_codebook();
        let text = cb.to_toml();
        assert_eq!(Codebook::from_toml(&text).expect("reparse"), cb);
        let mut odd = small();
        odd.themes[0].description = "quote \" backslash \\ tab\t 换行\n".to_string();
        odd.themes[0].keywords.push(Keyword::weighted("权", 0.1));
        odd.themes[0].keywords.push(Keyword::weighted("重", 3.0));
        assert_eq!(Codebook::from_toml(&odd.to_toml()).expect("reparse"), odd);
    }

    #[test]
    fn keywords_accept_strings_and_tables() {
        let cb = Codebook::from_toml(
            r##"
[[theme]]
id = "x"
name = "某"
color = "#000000"
keywords = ["甲", { term = "乙", weight = 2 }, { term = "丙" }]
"##,
        )
        .expect("parse");
        let k = &cb.themes[0].keywords;
        assert_eq!(k[0], Keyword::new("甲"));
        assert_eq!(k[1], Keyword::weighted("乙", 2.0));
        assert_eq!(k[2], Keyword::new("丙"));
    }

    #[test]
    fn parse_errors_name_the_line() {
        let err = Codebook::from_toml("[[theme]]\nid = \"x\"\nname = \"某\"\ncolor = 5\n")
            .expect_err("bad colour type");
        let msg = err.to_string();
        assert!(msg.starts_with("codebook TOML line 4:"), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
        let err = Codebook::from_toml(
            "[[theme]]\nid = \"x\"\nname = \"某\"\ncolor = \"#000000\"\nkeywords = [{ term = \"甲\", wieght = 1 }]\n",
        )
        .expect_err("typo");
        assert!(err.to_string().contains("line 5"), "{err}");
        assert!(err.to_string().contains("wieght"), "{err}");
    }

    #[test]
    fn validation_errors_are_one_line_with_the_id() {
        let cases: Vec<(Codebook, &str)> = vec![
            (
                Codebook {
                    themes: vec![theme("Bad_Id", None, &["甲"])],
                },
                "Bad_Id",
            ),
            (
                Codebook {
                    themes: vec![theme("a", None, &["甲"]), theme("a", None, &["乙"])],
                },
                "theme a: the id is used twice",
            ),
            (
                Codebook {
                    themes: vec![theme("a", Some("zz"), &["甲"])],
                },
                "theme a: parent \"zz\"",
            ),
            (
                Codebook {
                    themes: vec![theme("a", Some("b"), &["甲"]), theme("b", Some("a"), &[])],
                },
                "loops back",
            ),
            (
                Codebook {
                    themes: vec![theme("a", None, &["甲", " "])],
                },
                "theme a: keyword \" \" is empty",
            ),
            (
                Codebook {
                    themes: vec![theme("a", None, &["甲", "甲"])],
                },
                "listed twice",
            ),
        ];
        for (cb, expected) in cases {
            let msg = cb.validate().expect_err("invalid").to_string();
            assert!(msg.contains(expected), "{msg} lacks {expected}");
            assert!(!msg.contains('\n'));
        }
        let mut cb = small();
        cb.themes[1].color = "red".to_string();
        assert_eq!(
            cb.validate().expect_err("colour").to_string(),
            "theme b: colour \"red\" is not #rrggbb"
        );
        cb.themes[1].color = "#ABCDEF".to_string();
        cb.themes[1].keywords[0].weight = f32::NAN;
        assert!(cb.validate().is_err());
    }

    #[test]
    fn add_rejects_duplicates_and_bad_themes() {
        let mut cb = small();
        let before = cb.clone();
        assert_eq!(
            cb.add(theme("a", None, &[])),
            Err(CodebookError::DuplicateId { id: "a".into() })
        );
        assert!(cb.add(theme("e", Some("nope"), &[])).is_err());
        assert_eq!(cb, before, "failed edits change nothing");
        cb.add(theme("e", Some("d"), &["己"])).expect("add");
        assert_eq!(cb.ancestors("e"), vec!["d"]);
    }

    #[test]
    fn rename_keeps_the_id() {
        let mut cb = small();
        cb.rename(
            "b",
            ThemeNames {
                name: Some("新名".into()),
                name_en: Some("New".into()),
                ..ThemeNames::default()
            },
        )
        .expect("rename");
        let b = cb.get("b").expect("still b");
        assert_eq!((b.name.as_str(), b.name_en.as_str()), ("新名", "New"));
        assert_eq!(
            cb.rename("zz", ThemeNames::default()),
            Err(CodebookError::UnknownTheme { id: "zz".into() })
        );
        assert!(
            cb.rename(
                "b",
                ThemeNames {
                    name: Some(" ".into()),
                    ..ThemeNames::default()
                }
            )
            .is_err()
        );
    }

    #[test]
    fn recolor_and_reparent() {
        let mut cb = small();
        cb.recolor("a", "#ff0000").expect("recolor");
        assert_eq!(cb.get("a").map(|t| t.color.as_str()), Some("#ff0000"));
        assert!(cb.recolor("a", "#ff00").is_err());
        assert!(cb.recolor("zz", "#ff0000").is_err());
        assert!(matches!(
            cb.set_parent("a", Some("c")),
            Err(CodebookError::ParentCycle { .. })
        ));
        cb.set_parent("c", None).expect("to top");
        assert!(cb.ancestors("c").is_empty());
    }

    #[test]
    fn keyword_edits() {
        let mut cb = small();
        assert_eq!(
            cb.add_keywords("a", [Keyword::new("己"), Keyword::weighted("甲", 2.0)]),
            Ok(1)
        );
        let a = cb.get("a").expect("a");
        assert_eq!(a.keywords.len(), 3);
        assert_eq!(a.keywords[0], Keyword::weighted("甲", 2.0));
        assert!(cb.add_keywords("a", [Keyword::new("")]).is_err());
        assert!(cb.add_keywords("zz", [Keyword::new("庚")]).is_err());
        assert_eq!(
            cb.remove_keywords("a", &["甲", "没有"]),
            Err(CodebookError::UnknownKeyword {
                id: "a".into(),
                term: "没有".into()
            })
        );
        assert_eq!(cb.get("a").map(|t| t.keywords.len()), Some(3));
        assert_eq!(cb.remove_keywords("a", &["甲", "己"]), Ok(2));
        assert_eq!(cb.get("a").map(|t| t.keywords.len()), Some(1));
    }

    #[test]
    fn merge_keeps_keywords_of_both_and_reparents_children() {
        let mut cb = small();
        cb.themes[3].keywords[0].weight = 1.5; // d: 乙 1.5
        cb.merge("d", "b").expect("merge b into d");
        assert!(cb.get("b").is_none());
        let d = cb.get("d").expect("d");
        let terms: Vec<_> = d.keywords.iter().map(|k| k.term.as_str()).collect();
        assert_eq!(terms, vec!["乙", "戊", "丙"]);
        assert_eq!(cb.get("c").and_then(|c| c.parent.as_deref()), Some("d"));

        let mut cb = small();
        cb.merge("a", "d").expect("merge d into a");
        let a = cb.get("a").expect("a");
        assert_eq!(
            a.keywords
                .iter()
                .map(|k| k.term.as_str())
                .collect::<Vec<_>>(),
            vec!["甲", "乙", "戊"]
        );

        // A parent into its direct child: the child takes the parent's place.
        let mut cb = small();
        cb.merge("b", "a").expect("merge a into b");
        assert_eq!(cb.get("b").and_then(|b| b.parent.clone()), None);
        assert_eq!(cb.get("c").and_then(|c| c.parent.as_deref()), Some("b"));

        let mut cb = small();
        assert!(matches!(
            cb.merge("a", "a"),
            Err(CodebookError::MergeIntoSelf { .. })
        ));
        assert!(matches!(
            cb.merge("a", "zz"),
            Err(CodebookError::UnknownTheme { .. })
        ));
        assert!(matches!(
            cb.merge("zz", "a"),
            Err(CodebookError::UnknownTheme { .. })
        ));
        // Into a grandchild: c would end up under b under c.
        assert!(matches!(
            cb.merge("c", "a"),
            Err(CodebookError::ParentCycle { .. })
        ));
        assert_eq!(cb, small());
    }

    #[test]
    fn edits_apply_whole_or_not_at_all_and_say_what_they_did() {
        let mut cb = small();
        let added = cb
            .apply(&Edit::Add(Theme {
                color: String::new(),
                ..theme("e", Some("d"), &["己"])
            }))
            .expect("add");
        assert_eq!(added, "added theme e");
        assert_eq!(cb.get("e").map(|t| t.color.as_str()), Some(PALETTE[0]));
        let before = cb.clone();
        let err = cb
            .apply(&Edit::Keywords {
                id: "a".into(),
                add: vec![Keyword::new("庚")],
                remove: vec!["没有".into()],
            })
            .expect_err("unknown keyword");
        assert!(err.to_string().contains("没有"), "{err}");
        assert_eq!(
            cb, before,
            "the keyword added before the failure is not kept"
        );
        assert_eq!(
            cb.apply(&Edit::Keywords {
                id: "a".into(),
                add: vec![Keyword::new("庚")],
                remove: vec!["甲".into()],
            }),
            Ok("theme a: 1 keyword added, 1 removed".to_string())
        );
        assert_eq!(
            cb.apply(&Edit::Recolor {
                id: "a".into(),
                color: "#000000".into()
            }),
            Ok("theme a is now #000000".to_string())
        );
        let merge = Edit::Merge {
            into: "a".into(),
            from: "d".into(),
        };
        assert_eq!(merge.moved_decisions(), Some(("d", "a")));
        assert_eq!(cb.apply(&merge), Ok("merged theme d into a".to_string()));
        assert_eq!(cb.get("e").and_then(|e| e.parent.as_deref()), Some("a"));
        assert!(
            cb.apply(&Edit::Replace(Codebook {
                themes: vec![theme("x", Some("zz"), &[])]
            }))
            .is_err()
        );
        assert_eq!(
            cb.apply(&Edit::Remove { id: "b".into() }),
            Ok("removed theme b".to_string())
        );
    }

    #[test]
    fn unused_colours_and_the_tree() {
        let mut cb = small();
        assert_eq!(cb.unused_color(), PALETTE[0]);
        cb.themes[0].color = PALETTE[0].to_uppercase();
        assert_eq!(cb.unused_color(), PALETTE[1]);
        let mut full = Codebook::default();
        for (i, color) in PALETTE.iter().enumerate() {
            full.themes.push(Theme {
                color: color.to_string(),
                ..theme(&format!("t{i}"), None, &[])
            });
        }
        let next = full.unused_color();
        assert!(
            valid_color(&next) && !PALETTE.contains(&next.as_str()),
            "{next}"
        );
        assert_eq!(hsl_hex(0.0, 1.0, 0.5), "#ff0000");
        assert_eq!(hsl_hex(240.0, 1.0, 0.5), "#0000ff");
        let tree: Vec<(&str, usize)> = cb.tree().iter().map(|(t, d)| (t.id.as_str(), *d)).collect();
        assert_eq!(tree, vec![("a", 0), ("b", 1), ("c", 2), ("d", 0)]);
        cb.themes[0].parent = Some("c".into());
        assert!(cb.tree().len() <= cb.themes.len(), "a loop ends");
        cb.themes[0].parent = Some("gone".into());
        assert_eq!(cb.tree().len(), 4, "a missing parent is the top level");
    }

    #[test]
    fn remove_lifts_children() {
        let mut cb = small();
        let b = cb.remove("b").expect("remove");
        assert_eq!(b.id, "b");
        assert_eq!(cb.get("c").and_then(|c| c.parent.as_deref()), Some("a"));
        assert!(cb.remove("b").is_err());
        cb.validate().expect("still valid");
    }
}
