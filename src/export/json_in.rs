//! pizhu's W3C Web Annotation JSON read back in (from this library or another): each item's
//! document is found by the hash of its text (`urn:sha256:` in the target's `source`), its
//! span by the `TextPositionSelector`, checked against the `TextQuoteSelector`'s `exact`.
//! Items with `motivation: tagging` and a `decision` are theme decisions; the others are
//! annotations (note from `commenting` bodies, tags from `tagging` bodies, colour from the
//! target's `styleClass`), keeping their GUID (`urn:uuid:`) and times.

use std::collections::HashMap;

use serde_json::Value;

use super::{ExportError, guid, w3c};
use crate::annotations::anchor::quote_in;
use crate::annotations::{AnchorStatus, Annotation, CONTEXT_CHARS, Color, normalize_tags};
use crate::doc::{DocId, Span};
use crate::store::{DocTarget, ImportedAnnotation, ImportedDecision, NotesImport, Store};
use crate::tagging::merge::Decision;

/// Reads a W3C annotation JSON file (`file` names it in errors).
pub fn read(store: &Store, file: &str, bytes: &[u8]) -> Result<NotesImport, ExportError> {
    let bad = |problem: String| ExportError::input(file, problem);
    let root: Value =
        serde_json::from_slice(bytes).map_err(|e| bad(format!("not valid JSON: {e}")))?;
    let context = root.get("@context");
    let has_context = match context {
        Some(Value::String(s)) => s == w3c::CONTEXT,
        Some(Value::Array(a)) => a.iter().any(|c| c.as_str() == Some(w3c::CONTEXT)),
        _ => false,
    };
    if !has_context {
        return Err(bad(format!(
            "not W3C Web Annotation JSON (no \"@context\": \"{}\")",
            w3c::CONTEXT
        )));
    }
    let items: Vec<&Value> = match root.get("type").and_then(Value::as_str) {
        Some("AnnotationCollection") => root
            .pointer("/first/items")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("an AnnotationCollection without first.items".to_string()))?
            .iter()
            .collect(),
        Some("AnnotationPage") => root
            .get("items")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("an AnnotationPage without items".to_string()))?
            .iter()
            .collect(),
        Some("Annotation") => vec![&root],
        _ => {
            return Err(bad(
                "neither an Annotation nor a collection of them".to_string()
            ));
        }
    };
    let mut docs: HashMap<String, (DocId, usize)> = HashMap::new();
    let mut import = NotesImport::default();
    for (i, item) in items.into_iter().enumerate() {
        let at = |problem: &str| bad(format!("item {}: {problem}", i + 1));
        let id = item.get("id").and_then(Value::as_str).unwrap_or("");
        let guid = id
            .strip_prefix("urn:uuid:")
            .filter(|g| guid::is_guid(g))
            .map(guid::normalize)
            .ok_or_else(|| at("its id is not urn:uuid:GUID"))?;
        let target = item.get("target").ok_or_else(|| at("no target"))?;
        let source = target.get("source").and_then(Value::as_str).unwrap_or("");
        let hash = source
            .strip_prefix("urn:sha256:")
            .ok_or_else(|| at("its target's source is not urn:sha256:HASH of a document"))?;
        let (doc, chars) = match docs.get(hash) {
            Some(&found) => found,
            None => {
                let meta = store.find_by_hash(hash)?.ok_or_else(|| {
                    at(&format!(
                        "its document (sha256 {hash}) is not in this library; import the text first"
                    ))
                })?;
                docs.insert(hash.to_string(), (meta.id, meta.chars));
                (meta.id, meta.chars)
            }
        };
        let selectors: Vec<&Value> = match target.get("selector") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(one) => vec![one],
            None => Vec::new(),
        };
        let of_type = |t: &str| {
            selectors
                .iter()
                .find(|s| s.get("type").and_then(Value::as_str) == Some(t))
                .copied()
        };
        let position =
            of_type("TextPositionSelector").ok_or_else(|| at("no TextPositionSelector"))?;
        let (Some(start), Some(end)) = (
            position.get("start").and_then(Value::as_u64),
            position.get("end").and_then(Value::as_u64),
        ) else {
            return Err(at("its TextPositionSelector has no whole start and end"));
        };
        let (start, end) = (start as usize, end as usize);
        if start >= end || end > chars {
            return Err(at(&format!(
                "positions {start}–{end} are beyond the text of document #{doc} ({chars} characters)"
            )));
        }
        let window_start = start.saturating_sub(CONTEXT_CHARS);
        let window: Vec<char> = store
            .text_chars(doc, window_start, (end + CONTEXT_CHARS).min(chars))?
            .chars()
            .collect();
        let (prefix, quote, suffix) =
            quote_in(&window, Span::new(start - window_start, end - window_start));
        if let Some(exact) = of_type("TextQuoteSelector")
            .and_then(|s| s.get("exact"))
            .and_then(Value::as_str)
            && exact != quote
        {
            return Err(at(&format!(
                "its quote {exact:?} is not the text at {start}–{end} of document #{doc}"
            )));
        }
        let bodies: Vec<&Value> = match item.get("body") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(one) => vec![one],
            None => Vec::new(),
        };
        let values = |purpose: &str| -> Vec<String> {
            bodies
                .iter()
                .filter(|b| b.get("purpose").and_then(Value::as_str) == Some(purpose))
                .filter_map(|b| b.get("value").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        };
        let tags = values("tagging");
        let decision = item.get("decision").and_then(Value::as_str);
        if item.get("motivation").and_then(Value::as_str) == Some("tagging") && decision.is_some() {
            let decision = decision
                .and_then(Decision::parse)
                .filter(|d| *d != Decision::Rejected)
                .ok_or_else(|| at("its decision is neither accepted nor added"))?;
            for theme in tags {
                import.decisions.push(ImportedDecision {
                    doc: DocTarget::Existing(doc),
                    passage: Span::new(start, end),
                    theme,
                    decision,
                });
            }
            continue;
        }
        let text = |key: &str| {
            item.get(key)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let created = text("created");
        let updated = match text("modified") {
            m if m.is_empty() => created.clone(),
            m => m,
        };
        import.annotations.push(ImportedAnnotation {
            doc: DocTarget::Existing(doc),
            annotation: Annotation {
                id: 0,
                guid,
                doc,
                start,
                end,
                quote,
                prefix,
                suffix,
                color: target
                    .get("styleClass")
                    .and_then(Value::as_str)
                    .and_then(Color::parse)
                    .unwrap_or_default(),
                note: values("commenting").join("\n\n"),
                tags: normalize_tags(tags),
                status: AnchorStatus::Ok,
                created,
                updated,
            },
        });
    }
    Ok(import)
}
