//! W3C Web Annotation Data Model JSON: an `AnnotationCollection` whose first page holds one
//! annotation per item. Each targets its document (`urn:sha256:` of the stored text, so
//! another library holding the same text finds it) with a `TextQuoteSelector` (exact, prefix,
//! suffix) and a `TextPositionSelector` (code points of the stored text); the note is a
//! `commenting` body, each tag a `tagging` body, the colour the target's `styleClass`. Themes
//! the user accepted or added on a passage are `tagging` annotations with a `decision`.

use serde_json::{Value, json};

use super::{ExportSet, ThemeTag, guid};
use crate::annotations::Annotation;
use crate::doc::DocumentMeta;

/// The Web Annotation JSON-LD context.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The `source` of a target: the document by the hash of its stored text.
pub fn source_iri(content_hash: &str) -> String {
    format!("urn:sha256:{content_hash}")
}

/// The set as a W3C annotation collection.
pub fn write(set: &ExportSet) -> Value {
    let mut items = Vec::with_capacity(set.annotation_count() + set.theme_count());
    for doc in &set.documents {
        items.extend(doc.annotations.iter().map(|a| annotation(&doc.meta, a)));
        items.extend(doc.themes.iter().map(|t| theme_tag(&doc.meta, t)));
    }
    json!({
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": format!("pizhu notes: {}", set.library),
        "generator": { "type": "Software", "name": "pizhu", "version": env!("CARGO_PKG_VERSION") },
        "generated": set.exported_at,
        "total": items.len(),
        "first": { "type": "AnnotationPage", "startIndex": 0, "items": items },
    })
}

fn target(
    meta: &DocumentMeta,
    exact: &str,
    prefix: &str,
    suffix: &str,
    start: usize,
    end: usize,
) -> Value {
    json!({
        "source": source_iri(&meta.content_hash),
        "selector": [
            { "type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix },
            { "type": "TextPositionSelector", "start": start, "end": end },
        ],
    })
}

fn annotation(meta: &DocumentMeta, a: &Annotation) -> Value {
    let mut body = Vec::with_capacity(a.tags.len() + 1);
    if !a.note.is_empty() {
        body.push(json!({
            "type": "TextualBody", "purpose": "commenting", "value": a.note,
            "format": "text/plain",
        }));
    }
    body.extend(
        a.tags
            .iter()
            .map(|t| json!({ "type": "TextualBody", "purpose": "tagging", "value": t })),
    );
    let motivation = if a.note.is_empty() {
        "highlighting"
    } else {
        "commenting"
    };
    let mut target = target(meta, &a.quote, &a.prefix, &a.suffix, a.start, a.end);
    target["styleClass"] = json!(a.color.as_str());
    json!({
        "id": format!("urn:uuid:{}", a.guid),
        "type": "Annotation",
        "motivation": motivation,
        "created": a.created,
        "modified": a.updated,
        "body": body,
        "target": target,
    })
}

fn theme_tag(meta: &DocumentMeta, t: &ThemeTag) -> Value {
    let id = guid::theme_tag(&meta.content_hash, t.passage.start, t.passage.end, &t.theme);
    json!({
        "id": format!("urn:uuid:{id}"),
        "type": "Annotation",
        "motivation": "tagging",
        "decision": t.decision.as_str(),
        "body": [{ "type": "TextualBody", "purpose": "tagging", "value": t.theme }],
        "target": target(meta, &t.quote, &t.prefix, &t.suffix, t.passage.start, t.passage.end),
    })
}
