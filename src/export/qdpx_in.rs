//! A REFI-QDA project (`.qdpx`) read in, from pizhu or another program. The zip is opened
//! safely (`zipsafe`), `project.qde` is checked against the parts of the schema pizhu reads
//! (root, element nesting, required attributes, GUIDs, integer positions), then:
//!
//! - codes become themes: a theme pizhu exported (same GUID) or of the same name is reused,
//!   a free tag pizhu exported stays a free tag, any other code is a new theme (hierarchy and
//!   colour kept);
//! - text sources become documents, or are matched to one by content: the same text (its
//!   hash), or the reading view of the document pizhu exported it from (positions mapped back
//!   to the stored text);
//! - each text selection becomes an annotation with its GUID, tagged with its codes, its
//!   notes joined as the note.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::dom::{self, Element};
use super::zipsafe::SafeZip;
use super::{EXPORT_VIEW, ExportError, guid};
use crate::annotations::anchor::quote_in;
use crate::annotations::{AnchorStatus, Annotation, Color, normalize_tags, resolve_tag};
use crate::doc::view::View;
use crate::doc::{DocumentMeta, Span};
use crate::store::{DocTarget, ImportedAnnotation, ImportedDecision, NotesImport, Store};
use crate::tagging::merge::Decision;
use crate::themes::{Codebook, Theme};

const NAMESPACE: &str = "urn:QDA-XML:project:1.0";

/// The children each element pizhu reads may have (from `Project.xsd`).
fn allowed_children(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        "Project" => &[
            "Users",
            "CodeBook",
            "Variables",
            "Cases",
            "Sources",
            "Notes",
            "Links",
            "Sets",
            "Graphs",
            "Description",
            "NoteRef",
        ],
        "CodeBook" => &["Codes"],
        "Codes" => &["Code"],
        "Code" => &["Description", "NoteRef", "Code"],
        "Sources" => &[
            "TextSource",
            "PictureSource",
            "PDFSource",
            "AudioSource",
            "VideoSource",
        ],
        "TextSource" | "Note" => &[
            "Description",
            "PlainTextContent",
            "PlainTextSelection",
            "Coding",
            "NoteRef",
            "VariableValue",
        ],
        "PlainTextSelection" => &["Description", "Coding", "NoteRef"],
        "Coding" => &["CodeRef", "NoteRef"],
        "Notes" => &["Note"],
        _ => return None,
    })
}

/// Required attributes of the elements pizhu reads, and which hold GUIDs.
fn required(name: &str) -> &'static [&'static str] {
    match name {
        "Project" => &["name"],
        "Code" => &["guid", "name", "isCodable"],
        "TextSource" | "Note" | "Coding" => &["guid"],
        "PlainTextSelection" => &["guid", "startPosition", "endPosition"],
        "CodeRef" | "NoteRef" => &["targetGUID"],
        _ => &[],
    }
}

/// Checks the tree against the schema's rules for the elements pizhu reads.
fn check(e: &Element, path: &str) -> Result<(), String> {
    for attr in required(&e.name) {
        if e.attr(attr).is_none() {
            return Err(format!(
                "<{}> at {path} lacks its required attribute {attr}",
                e.name
            ));
        }
    }
    for (key, value) in &e.attrs {
        let is_guid = matches!(
            key.as_str(),
            "guid" | "targetGUID" | "creatingUser" | "modifyingUser" | "creatingUserGUID"
        );
        if is_guid && !guid::is_guid(value) {
            return Err(format!(
                "<{}> at {path}: {key}={value:?} is not a GUID",
                e.name
            ));
        }
        if matches!(key.as_str(), "startPosition" | "endPosition")
            && value.trim().parse::<u64>().is_err()
        {
            return Err(format!(
                "<{}> at {path}: {key}={value:?} is not a whole number ≥ 0",
                e.name
            ));
        }
        if key == "isCodable" && !matches!(value.trim(), "true" | "false" | "1" | "0") {
            return Err(format!(
                "<{}> at {path}: isCodable={value:?} is not a boolean",
                e.name
            ));
        }
    }
    if let Some(allowed) = allowed_children(&e.name) {
        for child in &e.children {
            if !allowed.contains(&child.name.as_str()) {
                return Err(format!(
                    "<{}> is not allowed in <{}> at {path}",
                    child.name, e.name
                ));
            }
            check(child, &format!("{path}/{}", child.name))?;
        }
    }
    Ok(())
}

/// Reads a `.qdpx` (`file` names it in errors).
pub fn read(store: &Store, file: &str, bytes: &[u8]) -> Result<NotesImport, ExportError> {
    let bad = |problem: String| ExportError::input(file, problem);
    let mut zip = SafeZip::open(file, bytes)?;
    if !zip.contains("project.qde") {
        return Err(bad(
            "no project.qde in the zip: not a REFI-QDA project".to_string()
        ));
    }
    let qde = zip.read("project.qde")?;
    let qde = utf8(&qde).map_err(|e| bad(format!("project.qde: {e}")))?;
    let root = dom::parse(&qde).map_err(|e| bad(format!("project.qde: {e}")))?;
    let namespaced = root
        .attrs
        .iter()
        .any(|(k, v)| k.starts_with("xmlns") && v == NAMESPACE);
    if root.name != "Project" || !namespaced {
        return Err(bad(format!(
            "project.qde: the root is not a <Project> of {NAMESPACE}: not a REFI-QDA project"
        )));
    }
    check(&root, "Project")
        .map_err(|e| bad(format!("project.qde does not match the schema: {e}")))?;

    let (mut codebook, _) = store.codebook()?;
    let mut import = NotesImport::default();
    let mut code_tags: HashMap<String, String> = HashMap::new();
    if let Some(codes) = root.first("CodeBook").and_then(|c| c.first("Codes")) {
        for code in codes.all("Code") {
            map_code(
                code,
                None,
                &mut codebook,
                &mut import.themes,
                &mut code_tags,
            );
        }
    }
    let mut notes: HashMap<String, String> = HashMap::new();
    for note in root.first("Notes").into_iter().flat_map(|n| n.all("Note")) {
        let text = source_text(&mut zip, note, file)?;
        notes.insert(guid::normalize(note.attr("guid").unwrap_or("")), text);
    }
    let documents = store.list_documents()?;
    let mut new_by_hash: HashMap<String, usize> = HashMap::new();
    for source in root
        .first("Sources")
        .into_iter()
        .flat_map(|s| s.all("TextSource"))
    {
        let name = source.attr("name").unwrap_or("(unnamed)").to_string();
        let raw = source_text(&mut zip, source, file)?;
        let (text, removed) = normalize_line_ends(&raw);
        let raw_len = raw.chars().count();
        let hash = format!("{:x}", Sha256::digest(text.as_bytes()));
        let source_guid = guid::normalize(source.attr("guid").unwrap_or(""));
        // Where the source's text is: a document of the library (its stored text, or its
        // reading view), else a new one.
        let (target, doc_text, view, existing_hash): (
            DocTarget,
            String,
            Option<View>,
            Option<String>,
        ) = if let Some(meta) = store.find_by_hash(&hash)? {
            (
                DocTarget::Existing(meta.id),
                store.text(meta.id)?,
                None,
                Some(meta.content_hash),
            )
        } else if let Some((meta, view)) = exported_view(store, &documents, &source_guid, &text)? {
            (
                DocTarget::Existing(meta.id),
                store.text(meta.id)?,
                Some(view),
                Some(meta.content_hash.clone()),
            )
        } else if let Some(&i) = new_by_hash.get(&hash) {
            (DocTarget::New(i), text.clone(), None, None)
        } else {
            let i = import.documents.len();
            import.documents.push(crate::import::prepare_text(
                text.clone(),
                format!("{file}:{name}"),
                &name,
            ));
            new_by_hash.insert(hash, i);
            (DocTarget::New(i), text.clone(), None, None)
        };
        let chars: Vec<char> = doc_text.chars().collect();
        for selection in source.all("PlainTextSelection") {
            let id = guid::normalize(selection.attr("guid").unwrap_or(""));
            let position = |key: &str| {
                selection
                    .attr(key)
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0)
            };
            let (start, end) = (position("startPosition"), position("endPosition"));
            if start > end || end > raw_len {
                return Err(bad(format!(
                    "selection {id}: positions {start}–{end} are beyond the text of source {name:?} ({raw_len} characters)"
                )));
            }
            if start == end {
                continue;
            }
            let local = Span::new(
                start - removed_before(&removed, start),
                end - removed_before(&removed, end),
            );
            let span = match &view {
                Some(view) => view.stored_span(local),
                None => local,
            };
            let mut tags = Vec::new();
            for coding in selection.all("Coding") {
                let code = guid::normalize(
                    coding
                        .first("CodeRef")
                        .and_then(|c| c.attr("targetGUID"))
                        .unwrap_or(""),
                );
                let tag = code_tags.get(&code).ok_or_else(|| {
                    bad(format!(
                        "selection {id}: a coding refers to code {code}, which the codebook lacks"
                    ))
                })?;
                tags.push(tag.clone());
            }
            let mut texts = Vec::new();
            for note_ref in selection.all("NoteRef") {
                let target = guid::normalize(note_ref.attr("targetGUID").unwrap_or(""));
                let text = notes.get(&target).ok_or_else(|| {
                    bad(format!("selection {id}: a note reference points to note {target}, which the project lacks"))
                })?;
                texts.push(text.clone());
            }
            // A passage pizhu exported with its accepted themes, back in the same document:
            // the decisions again.
            if existing_hash
                .as_deref()
                .is_some_and(|h| guid::passage(h, span.start, span.end) == id)
            {
                import
                    .decisions
                    .extend(tags.into_iter().map(|theme| ImportedDecision {
                        doc: target,
                        passage: span,
                        theme,
                        decision: Decision::Accepted,
                    }));
                continue;
            }
            let (prefix, quote, suffix) = quote_in(&chars, span);
            let created = selection.attr("creationDateTime").unwrap_or("").to_string();
            let updated = selection
                .attr("modifiedDateTime")
                .map_or_else(|| created.clone(), str::to_string);
            import.annotations.push(ImportedAnnotation {
                doc: target,
                annotation: Annotation {
                    id: 0,
                    guid: id,
                    doc: 0,
                    start: span.start,
                    end: span.end,
                    quote,
                    prefix,
                    suffix,
                    color: Color::default(),
                    note: texts.join("\n\n"),
                    tags: normalize_tags(tags),
                    status: AnchorStatus::Ok,
                    created,
                    updated,
                },
            });
        }
    }
    Ok(import)
}

/// The document pizhu exported source `source_guid` from, when `text` is its reading view.
fn exported_view<'a>(
    store: &Store,
    documents: &'a [DocumentMeta],
    source_guid: &str,
    text: &str,
) -> Result<Option<(&'a DocumentMeta, View)>, ExportError> {
    for meta in documents {
        if guid::source(&meta.content_hash) == source_guid {
            let view = crate::reading::load_view(store, meta.id, &EXPORT_VIEW)?.view;
            if view.text() == text {
                return Ok(Some((meta, view)));
            }
        }
    }
    Ok(None)
}

/// A code and its children as tags: the theme or free tag each stands for, new themes added
/// to `codebook` and `new_themes`.
fn map_code(
    code: &Element,
    parent: Option<&str>,
    codebook: &mut Codebook,
    new_themes: &mut Vec<Theme>,
    code_tags: &mut HashMap<String, String>,
) {
    let id = guid::normalize(code.attr("guid").unwrap_or(""));
    let name = code.attr("name").unwrap_or("").trim().to_string();
    let existing = codebook
        .themes
        .iter()
        .find(|t| guid::theme(&t.id) == id)
        .map(|t| t.id.clone());
    let tag = if let Some(theme) = existing {
        Some(theme)
    } else if guid::free_tag(&name) == id {
        None
    } else {
        let resolved = resolve_tag(codebook, &name);
        if codebook.get(&resolved).is_some() {
            Some(resolved)
        } else if name.is_empty() {
            None
        } else {
            let theme = Theme {
                id: unique_id(codebook, &name, &id),
                name: name.clone(),
                name_hant: String::new(),
                name_en: String::new(),
                color: code
                    .attr("color")
                    .and_then(rgb)
                    .unwrap_or_else(|| "#9e9e9e".to_string()),
                description: code
                    .first("Description")
                    .map(|d| d.text.split_whitespace().collect::<Vec<_>>().join(" "))
                    .unwrap_or_default(),
                parent: parent
                    .filter(|p| codebook.get(p).is_some())
                    .map(str::to_string),
                keywords: Vec::new(),
            };
            codebook.themes.push(theme.clone());
            let theme_id = theme.id.clone();
            new_themes.push(theme);
            Some(theme_id)
        }
    };
    let as_tag = tag.clone().unwrap_or_else(|| name.clone());
    code_tags.insert(id, as_tag);
    for child in code.all("Code") {
        map_code(child, tag.as_deref(), codebook, new_themes, code_tags);
    }
}

/// A theme id for a code named `name`: its ASCII letters and digits, else from its GUID.
fn unique_id(codebook: &Codebook, name: &str, code_guid: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let base = if slug.is_empty() {
        format!("code-{}", &code_guid[..8.min(code_guid.len())])
    } else {
        slug.to_string()
    };
    let mut id = base.clone();
    let mut n = 2;
    while codebook.get(&id).is_some() {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// `#rgb` or `#rrggbb` as `#rrggbb`.
fn rgb(color: &str) -> Option<String> {
    let hex = color.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(format!(
            "#{}",
            hex.chars()
                .flat_map(|c| [c, c])
                .collect::<String>()
                .to_ascii_lowercase()
        )),
        _ => None,
    }
}

/// The text of a source or note: its `PlainTextContent`, or its `plainTextPath` in the zip.
fn source_text(zip: &mut SafeZip<'_>, e: &Element, file: &str) -> Result<String, ExportError> {
    let name = e.attr("name").unwrap_or("(unnamed)");
    if let Some(content) = e.first("PlainTextContent") {
        return Ok(content.text.clone());
    }
    let Some(path) = e.attr("plainTextPath") else {
        return Err(ExportError::input(
            file,
            format!(
                "<{}> {name:?} has no plain text (only plain text is read)",
                e.name
            ),
        ));
    };
    let Some(inside) = path.strip_prefix("internal://") else {
        return Err(ExportError::input(
            file,
            format!(
                "<{}> {name:?}: its text {path:?} is outside the project; only internal:// sources are read",
                e.name
            ),
        ));
    };
    let entry = format!("sources/{inside}");
    let bytes = zip.read(&entry)?;
    utf8(&bytes).map_err(|problem| ExportError::input(file, format!("{entry}: {problem}")))
}

/// UTF-8 text without a byte-order mark.
fn utf8(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "not UTF-8 (unknown encoding; REFI-QDA text is UTF-8): invalid byte at {}",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The text with `\r\n` and `\r` made `\n`, as pizhu stores texts, and the code point offsets
/// of the `\r`s dropped (to map positions).
fn normalize_line_ends(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut removed = Vec::new();
    let mut chars = text.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\r' {
            if chars.peek().is_some_and(|&(_, n)| n == '\n') {
                removed.push(i);
            } else {
                out.push('\n');
            }
        } else {
            out.push(c);
        }
    }
    (out, removed)
}

/// How many dropped code points come before `at`.
fn removed_before(removed: &[usize], at: usize) -> usize {
    removed.partition_point(|&r| r < at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_are_normalized_with_a_map() {
        let (text, removed) = normalize_line_ends("a\r\nb\rc");
        assert_eq!(text, "a\nb\nc");
        assert_eq!(removed, [1]);
        assert_eq!(removed_before(&removed, 3), 1);
        assert_eq!(removed_before(&removed, 1), 0);
    }

    #[test]
    fn codes_get_ids_and_colours() {
        let codebook = Codebook::default();
        assert_eq!(
            unique_id(&codebook, "Digital Economy!", "abcdef12-0000"),
            "digital-economy"
        );
        assert_eq!(
            unique_id(&codebook, "数字经济", "abcdef12-0000"),
            "code-abcdef12"
        );
        assert_eq!(rgb("#AbC").as_deref(), Some("#aabbcc"));
        assert_eq!(rgb("red"), None);
    }
}
