//! Stable GUIDs for exports: the same thing exports with the same GUID every time, from any
//! library. Annotations have their own (UUID v4, kept for life); everything else gets a UUID
//! v5 of what identifies it independently of the library: a theme's id, a free tag's text, a
//! document's content hash, a passage's place in that content.

use uuid::Uuid;

/// pizhu's namespace for UUID v5 names (itself the v5 of `pizhu` in the URL namespace).
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://pizhu.invalid/export")
}

fn v5(name: &str) -> String {
    Uuid::new_v5(&namespace(), name.as_bytes()).to_string()
}

/// The code of a codebook theme.
pub fn theme(id: &str) -> String {
    v5(&format!("theme:{id}"))
}

/// The code of a free-text tag.
pub fn free_tag(tag: &str) -> String {
    v5(&format!("tag:{tag}"))
}

/// A document, by the SHA-256 of its stored text.
pub fn source(content_hash: &str) -> String {
    v5(&format!("source:{content_hash}"))
}

/// A passage carrying theme tags.
pub fn passage(content_hash: &str, start: usize, end: usize) -> String {
    v5(&format!("passage:{content_hash}:{start}:{end}"))
}

/// A theme tag on a passage.
pub fn theme_tag(content_hash: &str, start: usize, end: usize, theme: &str) -> String {
    v5(&format!("theme-tag:{content_hash}:{start}:{end}:{theme}"))
}

/// The coding of code `code` on selection `selection`.
pub fn coding(selection: &str, code: &str) -> String {
    v5(&format!("coding:{selection}:{code}"))
}

/// The note of an annotation.
pub fn note(annotation: &str) -> String {
    v5(&format!("note:{annotation}"))
}

/// The user pizhu writes as.
pub fn user(name: &str) -> String {
    v5(&format!("user:{name}"))
}

/// True when `s` is a GUID as REFI-QDA writes them (with or without braces).
pub fn is_guid(s: &str) -> bool {
    let s = s
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(s);
    Uuid::try_parse(s).is_ok() && s.len() == 36
}

/// A GUID in one spelling: lower case, no braces.
pub fn normalize(s: &str) -> String {
    s.trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_and_distinct() {
        assert_eq!(theme("talent"), theme("talent"));
        assert_ne!(theme("talent"), free_tag("talent"));
        let parsed = Uuid::parse_str(&theme("talent")).unwrap();
        assert_eq!(parsed.get_version_num(), 5);
        assert!(is_guid(&source("abc")));
        assert!(is_guid("{AE8E4A05-9ED4-5B74-9B40-6B3A9B0DBD0C}"));
        assert!(!is_guid("not-a-guid"));
        assert_eq!(normalize("{AB-C}"), "ab-c");
    }
}
