//! REFI-QDA XML: the project (`project.qde`, namespace `urn:QDA-XML:project:1.0`) and the
//! codebook (`.qdc`, `urn:QDA-XML:codebook:1.0`).
//!
//! Codes are the codebook's themes (their hierarchy and colours) and the free-text tags the
//! exported annotations use. Each document is a `TextSource` whose plain text is its reading
//! view (noise folded) in `sources/GUID.txt`; each annotation is a `PlainTextSelection` at the
//! view positions of its span (code points, end exclusive), with a `Coding` per tag and a
//! `NoteRef` to a `Note` holding its note. Passages with accepted or added themes are
//! selections of their own with a `Coding` per theme. GUIDs are stable (see `guid`).

use std::collections::{BTreeSet, HashMap};

use super::xml::{push_attribute, push_text};
use super::{ExportDoc, ExportSet, guid};
use crate::doc::Span;
use crate::themes::{Codebook, Theme};

/// The user exports are written as.
pub const USER: &str = "pizhu";

/// A source file of a project: its name in the zip's `sources/` folder and its text.
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// A project ready to zip.
pub struct Project {
    pub qde: String,
    pub sources: Vec<SourceFile>,
    /// Annotations left out because their whole span is folded noise (not in the view).
    pub hidden: usize,
}

/// The codebook alone (`.qdc`); `None` when it has no theme (the schema needs one code).
pub fn codebook(codebook: &Codebook) -> Option<String> {
    if codebook.themes.is_empty() {
        return None;
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"");
    push_attribute(&mut out, "origin", &origin());
    out.push_str(">\n<Codes>\n");
    let children = children_of(codebook);
    for t in codebook.themes.iter().filter(|t| is_root(codebook, t)) {
        theme_code(&mut out, t, &children, 1);
    }
    out.push_str("</Codes>\n</CodeBook>\n");
    Some(out)
}

fn origin() -> String {
    format!("pizhu {}", env!("CARGO_PKG_VERSION"))
}

fn is_root(codebook: &Codebook, t: &Theme) -> bool {
    t.parent.as_deref().and_then(|p| codebook.get(p)).is_none()
}

fn children_of(codebook: &Codebook) -> HashMap<&str, Vec<&Theme>> {
    let mut children: HashMap<&str, Vec<&Theme>> = HashMap::new();
    for t in &codebook.themes {
        if let Some(parent) = t.parent.as_deref().filter(|p| codebook.get(p).is_some()) {
            children.entry(parent).or_default().push(t);
        }
    }
    children
}

fn theme_code(out: &mut String, t: &Theme, children: &HashMap<&str, Vec<&Theme>>, depth: usize) {
    indent(out, depth);
    out.push_str("<Code");
    push_attribute(out, "guid", &guid::theme(&t.id));
    push_attribute(out, "name", &t.name);
    push_attribute(out, "isCodable", "true");
    push_attribute(out, "color", &t.color);
    out.push_str(">\n");
    let description = description(t);
    if !description.is_empty() {
        indent(out, depth + 1);
        out.push_str("<Description>");
        push_text(out, &description);
        out.push_str("</Description>\n");
    }
    for child in children.get(t.id.as_str()).into_iter().flatten() {
        theme_code(out, child, children, depth + 1);
    }
    indent(out, depth);
    out.push_str("</Code>\n");
}

/// A theme's description with its id and other names, so they survive other programs.
fn description(t: &Theme) -> String {
    let mut names = vec![format!("pizhu:{}", t.id)];
    names.extend(
        [&t.name_hant, &t.name_en]
            .into_iter()
            .filter(|n| !n.is_empty())
            .cloned(),
    );
    if t.description.is_empty() {
        names.join(" · ")
    } else {
        format!("{} ({})", t.description, names.join(" · "))
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push(' ');
    }
}

/// The code GUID of a tag: its theme's, or the free tag's.
fn code_guid(codebook: &Codebook, tag: &str) -> String {
    if codebook.get(tag).is_some() {
        guid::theme(tag)
    } else {
        guid::free_tag(tag)
    }
}

/// The project: `project.qde` and the sources. Documents without a view get none (they are
/// collected with views for this format).
pub fn project(set: &ExportSet) -> Project {
    let user = guid::user(USER);
    let mut out = String::with_capacity(set.annotation_count() * 600 + 4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<Project xmlns=\"urn:QDA-XML:project:1.0\"");
    push_attribute(&mut out, "name", &format!("pizhu: {}", set.library));
    push_attribute(&mut out, "origin", &origin());
    push_attribute(&mut out, "creatingUserGUID", &user);
    push_attribute(&mut out, "creationDateTime", &set.exported_at);
    out.push_str(">\n<Users>\n <User");
    push_attribute(&mut out, "guid", &user);
    push_attribute(&mut out, "name", USER);
    out.push_str("/>\n</Users>\n");
    codes(&mut out, set);
    let mut sources = Vec::with_capacity(set.documents.len());
    let mut notes = String::new();
    let mut hidden = 0;
    out.push_str("<Sources>\n");
    for doc in &set.documents {
        let Some(view) = &doc.view else { continue };
        let source = guid::source(&doc.meta.content_hash);
        let name = format!("{source}.txt");
        out.push_str(" <TextSource");
        push_attribute(&mut out, "guid", &source);
        push_attribute(&mut out, "name", &doc.meta.title);
        push_attribute(&mut out, "plainTextPath", &format!("internal://{name}"));
        push_attribute(&mut out, "creatingUser", &user);
        push_attribute(&mut out, "creationDateTime", &doc.meta.imported_at);
        out.push_str(">\n");
        hidden += selections(&mut out, &mut notes, set, doc, &user);
        out.push_str(" </TextSource>\n");
        sources.push(SourceFile {
            name,
            text: view.text().to_string(),
        });
    }
    out.push_str("</Sources>\n");
    if !notes.is_empty() {
        out.push_str("<Notes>\n");
        out.push_str(&notes);
        out.push_str("</Notes>\n");
    }
    out.push_str("</Project>\n");
    Project {
        qde: out,
        sources,
        hidden,
    }
}

/// The codebook's themes, then the free tags in use, as codes (nothing when there are none).
fn codes(out: &mut String, set: &ExportSet) {
    let free: BTreeSet<&str> = set
        .documents
        .iter()
        .flat_map(|d| d.annotations.iter().flat_map(|a| a.tags.iter()))
        .map(String::as_str)
        .filter(|t| set.codebook.get(t).is_none())
        .collect();
    if set.codebook.themes.is_empty() && free.is_empty() {
        return;
    }
    out.push_str("<CodeBook>\n<Codes>\n");
    let children = children_of(&set.codebook);
    for t in set
        .codebook
        .themes
        .iter()
        .filter(|t| is_root(&set.codebook, t))
    {
        theme_code(out, t, &children, 1);
    }
    for tag in free {
        out.push_str(" <Code");
        push_attribute(out, "guid", &guid::free_tag(tag));
        push_attribute(out, "name", tag);
        push_attribute(out, "isCodable", "true");
        out.push_str("/>\n");
    }
    out.push_str("</Codes>\n</CodeBook>\n");
}

/// A document's selections; returns how many annotations had nothing in the view.
fn selections(
    out: &mut String,
    notes: &mut String,
    set: &ExportSet,
    doc: &ExportDoc,
    user: &str,
) -> usize {
    let Some(view) = &doc.view else { return 0 };
    let mut hidden = 0;
    for a in &doc.annotations {
        let span = view.view_span(a.span());
        if span.is_empty() {
            hidden += 1;
            continue;
        }
        selection_open(out, &a.guid, &a.quote, span, user, &a.created);
        push_attribute(out, "modifyingUser", user);
        push_attribute(out, "modifiedDateTime", &a.updated);
        out.push_str(">\n");
        for tag in &a.tags {
            coding(out, &a.guid, &code_guid(&set.codebook, tag), user);
        }
        if !a.note.is_empty() {
            let note = guid::note(&a.guid);
            out.push_str("   <NoteRef");
            push_attribute(out, "targetGUID", &note);
            out.push_str("/>\n");
            notes.push_str(" <Note");
            push_attribute(notes, "guid", &note);
            push_attribute(notes, "name", &short(&a.note));
            push_attribute(notes, "creatingUser", user);
            push_attribute(notes, "creationDateTime", &a.created);
            push_attribute(notes, "modifyingUser", user);
            push_attribute(notes, "modifiedDateTime", &a.updated);
            notes.push_str("><PlainTextContent>");
            push_text(notes, &a.note);
            notes.push_str("</PlainTextContent></Note>\n");
        }
        out.push_str("  </PlainTextSelection>\n");
    }
    let mut passages: Vec<(Span, Vec<&str>)> = Vec::new();
    for t in &doc.themes {
        match passages.last_mut() {
            Some((span, themes)) if *span == t.passage => themes.push(t.theme.as_str()),
            _ => passages.push((t.passage, vec![t.theme.as_str()])),
        }
    }
    for (passage, themes) in passages {
        let span = view.view_span(passage);
        if span.is_empty() {
            continue;
        }
        let id = guid::passage(&doc.meta.content_hash, passage.start, passage.end);
        let quote: String = view
            .text()
            .chars()
            .skip(span.start)
            .take(span.len().min(40))
            .collect();
        selection_open(out, &id, &quote, span, user, &doc.meta.imported_at);
        out.push_str(">\n");
        for theme in themes {
            coding(out, &id, &guid::theme(theme), user);
        }
        out.push_str("  </PlainTextSelection>\n");
    }
    hidden
}

fn selection_open(out: &mut String, id: &str, quote: &str, span: Span, user: &str, created: &str) {
    out.push_str("  <PlainTextSelection");
    push_attribute(out, "guid", id);
    push_attribute(out, "name", &short(quote));
    push_attribute(out, "startPosition", &span.start.to_string());
    push_attribute(out, "endPosition", &span.end.to_string());
    push_attribute(out, "creatingUser", user);
    if !created.is_empty() {
        push_attribute(out, "creationDateTime", created);
    }
}

fn coding(out: &mut String, selection: &str, code: &str, user: &str) {
    out.push_str("   <Coding");
    push_attribute(out, "guid", &guid::coding(selection, code));
    push_attribute(out, "creatingUser", user);
    out.push_str("><CodeRef");
    push_attribute(out, "targetGUID", code);
    out.push_str("/></Coding>\n");
}

/// The first line of a text, at most 40 code points: a name for a selection or note.
fn short(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let mut name: String = line.chars().take(40).collect();
    if line.chars().count() > 40 {
        name.push('…');
    }
    name
}
