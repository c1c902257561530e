//! W3C Web Annotation Data Model JSON: an `AnnotationCollection` whose first page holds one
//! annotation per item. Each targets its document (`urn:sha256:` of the stored text, so
//! another library holding the same text finds it) with a `TextQuoteSelector` (exact, prefix,
//! suffix) and a `TextPositionSelector` (code points of the stored text); the note is a
//! `commenting` body, each tag a `tagging` body, the colour the target's `styleClass`. Themes
//! the user accepted or added on a passage are `tagging` annotations with a `decision`.

use serde::Serialize;

use super::{ExportSet, ThemeTag, guid};
use crate::annotations::Annotation;
use crate::doc::DocumentMeta;

/// The Web Annotation JSON-LD context.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The `source` of a target: the document by the hash of its stored text.
pub fn source_iri(content_hash: &str) -> String {
    format!("urn:sha256:{content_hash}")
}

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    generator: Generator,
    generated: &'a str,
    total: usize,
    first: Page<'a>,
}

#[derive(Serialize)]
struct Generator {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Page<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    modified: Option<&'a str>,
    body: Vec<Body<'a>>,
    target: Target<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
}

#[derive(Serialize)]
struct Target<'a> {
    source: String,
    #[serde(rename = "styleClass", skip_serializing_if = "Option::is_none")]
    style_class: Option<&'static str>,
    selector: (QuoteSelector<'a>, PositionSelector),
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
}

#[derive(Serialize)]
struct PositionSelector {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
}

/// The set as a W3C annotation collection (pretty-printed JSON).
pub fn write(set: &ExportSet) -> serde_json::Result<Vec<u8>> {
    let mut items = Vec::with_capacity(set.annotation_count() + set.theme_count());
    for doc in &set.documents {
        items.extend(doc.annotations.iter().map(|a| annotation(&doc.meta, a)));
        items.extend(doc.themes.iter().map(|t| theme_tag(&doc.meta, t)));
    }
    let collection = Collection {
        context: CONTEXT,
        kind: "AnnotationCollection",
        label: format!("pizhu notes: {}", set.library),
        generator: Generator {
            kind: "Software",
            name: "pizhu",
            version: env!("CARGO_PKG_VERSION"),
        },
        generated: &set.exported_at,
        total: items.len(),
        first: Page {
            kind: "AnnotationPage",
            start_index: 0,
            items,
        },
    };
    let mut out = serde_json::to_vec_pretty(&collection)?;
    out.push(b'\n');
    Ok(out)
}

fn target<'a>(
    meta: &DocumentMeta,
    (exact, prefix, suffix): (&'a str, &'a str, &'a str),
    start: usize,
    end: usize,
    style_class: Option<&'static str>,
) -> Target<'a> {
    Target {
        source: source_iri(&meta.content_hash),
        style_class,
        selector: (
            QuoteSelector {
                kind: "TextQuoteSelector",
                exact,
                prefix,
                suffix,
            },
            PositionSelector {
                kind: "TextPositionSelector",
                start,
                end,
            },
        ),
    }
}

fn annotation<'a>(meta: &DocumentMeta, a: &'a Annotation) -> Item<'a> {
    let mut body = Vec::with_capacity(a.tags.len() + 1);
    if !a.note.is_empty() {
        body.push(Body {
            kind: "TextualBody",
            purpose: "commenting",
            value: &a.note,
            format: Some("text/plain"),
        });
    }
    body.extend(a.tags.iter().map(|t| Body {
        kind: "TextualBody",
        purpose: "tagging",
        value: t,
        format: None,
    }));
    Item {
        id: format!("urn:uuid:{}", a.guid),
        kind: "Annotation",
        motivation: if a.note.is_empty() {
            "highlighting"
        } else {
            "commenting"
        },
        decision: None,
        created: Some(&a.created),
        modified: Some(&a.updated),
        body,
        target: target(
            meta,
            (&a.quote, &a.prefix, &a.suffix),
            a.start,
            a.end,
            Some(a.color.as_str()),
        ),
    }
}

fn theme_tag<'a>(meta: &DocumentMeta, t: &'a ThemeTag) -> Item<'a> {
    let id = guid::theme_tag(&meta.content_hash, t.passage.start, t.passage.end, &t.theme);
    Item {
        id: format!("urn:uuid:{id}"),
        kind: "Annotation",
        motivation: "tagging",
        decision: Some(t.decision.as_str()),
        created: None,
        modified: None,
        body: vec![Body {
            kind: "TextualBody",
            purpose: "tagging",
            value: &t.theme,
            format: None,
        }],
        target: target(
            meta,
            (&t.quote, &t.prefix, &t.suffix),
            t.passage.start,
            t.passage.end,
            None,
        ),
    }
}
