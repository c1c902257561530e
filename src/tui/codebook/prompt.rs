//! The themes view's questions on the one-line prompt, and how their answers are read:
//! names as `简体 | 繁體 | English`, keywords separated by spaces or commas (`-term`
//! removes), colours as `#rrggbb`.

use crate::themes::{PALETTE, ThemeNames};

/// What the prompt asks in the themes view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// The id of a new theme (made from an uncovered term, if given).
    NewId {
        term: Option<String>,
    },
    /// The names of the new theme `id`.
    NewNames {
        id: String,
        term: Option<String>,
    },
    Rename {
        id: String,
    },
    Recolor {
        id: String,
    },
    Keywords {
        id: String,
    },
    ConfirmMerge {
        from: String,
        into: String,
    },
    ConfirmRemove {
        id: String,
    },
}

impl Ask {
    /// Whether one key answers it (y or anything else).
    pub fn is_confirmation(&self) -> bool {
        matches!(self, Ask::ConfirmMerge { .. } | Ask::ConfirmRemove { .. })
    }

    /// The question, before what the user types.
    pub fn label(&self) -> String {
        match self {
            Ask::NewId { term: None } => "new theme id (a-z, 0-9, -): ".to_string(),
            Ask::NewId { term: Some(term) } => {
                format!("new theme with keyword {term}, id (a-z, 0-9, -): ")
            }
            Ask::NewNames { id, .. } => format!("names of {id}: 简体 | 繁體 | English: "),
            Ask::Rename { id } => format!("rename {id}: 简体 | 繁體 | English: "),
            Ask::Recolor { id } => format!("colour of {id} (#rrggbb): "),
            Ask::Keywords { id } => {
                format!("keywords for {id} (space or comma between; -term removes): ")
            }
            Ask::ConfirmMerge { from, into } => {
                format!("merge {from} into {into}? its keywords, children and decisions move (y/n)")
            }
            Ask::ConfirmRemove { id } => {
                format!("remove theme {id}? its children move up (y/n)")
            }
        }
    }
}

/// Names typed as `简体 | 繁體 | English`: a part left out keeps its name, an empty part
/// clears it.
pub fn parse_names(input: &str) -> ThemeNames {
    let mut parts = input.split(['|', '｜']).map(|p| p.trim().to_string());
    ThemeNames {
        name: parts.next(),
        name_hant: parts.next(),
        name_en: parts.next(),
    }
}

/// Terms to add and terms to remove (those written `-term`), separated by spaces, commas
/// or enumeration commas.
pub fn parse_keywords(input: &str) -> (Vec<String>, Vec<String>) {
    let mut add = Vec::new();
    let mut remove = Vec::new();
    for item in
        input.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
    {
        match item.strip_prefix(['-', '－']) {
            Some(term) if !term.is_empty() => remove.push(term.to_string()),
            Some(_) => {}
            None if !item.is_empty() => add.push(item.to_string()),
            None => {}
        }
    }
    (add, remove)
}

/// A colour as typed, lower-cased, with `#` added before six hex digits; anything else is
/// left for the codebook to refuse.
pub fn parse_color(input: &str) -> String {
    let color = input.trim().to_ascii_lowercase();
    if color.len() == 6 && color.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("#{color}")
    } else {
        color
    }
}

/// The palette colour after `color` (the first when it is not one of them): the recolour
/// prompt offers it, so `c` Enter cycles through the palette.
pub fn next_color(color: &str) -> &'static str {
    let at = PALETTE.iter().position(|c| c.eq_ignore_ascii_case(color));
    PALETTE[at.map_or(0, |i| (i + 1) % PALETTE.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keywords_and_colours_read_as_typed() {
        let names = parse_names(" 人才 | 人才 | Talent ");
        assert_eq!(names.name.as_deref(), Some("人才"));
        assert_eq!(names.name_en.as_deref(), Some("Talent"));
        let only = parse_names("新名");
        assert_eq!((only.name.as_deref(), only.name_hant), (Some("新名"), None));
        assert_eq!(parse_names("甲 | | B").name_hant.as_deref(), Some(""));
        let (add, remove) = parse_keywords("飞地, 耐心资本、-旧词  -  人才");
        assert_eq!(add, vec!["飞地", "耐心资本", "人才"]);
        assert_eq!(remove, vec!["旧词"]);
        assert_eq!(parse_color("4E79A7"), "#4e79a7");
        assert_eq!(parse_color("#ABCDEF"), "#abcdef");
        assert_eq!(parse_color("red"), "red");
        assert_eq!(next_color(PALETTE[0]), PALETTE[1]);
        assert_eq!(next_color(PALETTE[9]), PALETTE[0]);
        assert_eq!(next_color("#000000"), PALETTE[0]);
        assert!(Ask::ConfirmRemove { id: "a".into() }.is_confirmation());
        assert!(!Ask::Keywords { id: "a".into() }.label().contains('\n'));
    }
}
