//! Markdown: a header with the library and the date, then each annotation as a block quote of
//! its passage, its note, its tags as `#tag` and where it is (document, paragraph); grouped by
//! document or by theme. Reads on its own and pastes into Obsidian or Zettlr.

use super::{ExportDoc, ExportSet};
use crate::annotations::Annotation;
use crate::count::count;

/// How annotations are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Grouping {
    #[default]
    Document,
    Theme,
}

/// The set as Markdown.
pub fn write(set: &ExportSet, grouping: Grouping) -> String {
    let mut out = String::with_capacity(set.annotation_count() * 256 + 256);
    out.push_str(&format!("# pizhu notes: {}\n\n", set.library));
    out.push_str(&format!(
        "Exported {} · {} in {}\n",
        set.exported_at,
        count(set.annotation_count(), "annotation"),
        count(
            set.documents
                .iter()
                .filter(|d| !d.annotations.is_empty())
                .count(),
            "document"
        )
    ));
    match grouping {
        Grouping::Document => {
            for doc in set.documents.iter().filter(|d| !d.annotations.is_empty()) {
                out.push_str(&format!(
                    "\n## {} (#{})\n",
                    one_line(&doc.meta.title),
                    doc.meta.id
                ));
                for a in &doc.annotations {
                    block(&mut out, set, doc, a);
                }
            }
        }
        Grouping::Theme => {
            for (tag, heading) in tag_order(set) {
                out.push_str(&format!("\n## {heading}\n"));
                for doc in &set.documents {
                    for a in doc.annotations.iter().filter(|a| match &tag {
                        Some(t) => a.tags.contains(t),
                        None => a.tags.is_empty(),
                    }) {
                        block(&mut out, set, doc, a);
                    }
                }
            }
        }
    }
    out
}

/// The tags used, codebook themes first in codebook order, then free tags, then untagged
/// (`None`), each with its heading.
fn tag_order(set: &ExportSet) -> Vec<(Option<String>, String)> {
    let used: std::collections::BTreeSet<&str> = set
        .documents
        .iter()
        .flat_map(|d| {
            d.annotations
                .iter()
                .flat_map(|a| a.tags.iter().map(String::as_str))
        })
        .collect();
    let mut out: Vec<(Option<String>, String)> = set
        .codebook
        .themes
        .iter()
        .filter(|t| used.contains(t.id.as_str()))
        .map(|t| {
            let english = if t.name_en.is_empty() {
                String::new()
            } else {
                format!(" · {}", t.name_en)
            };
            (
                Some(t.id.clone()),
                format!("{}{english}", one_line(&t.name)),
            )
        })
        .collect();
    out.extend(
        used.iter()
            .filter(|t| set.codebook.get(t).is_none())
            .map(|t| (Some(t.to_string()), format!("#{}", hashtag(t)))),
    );
    if set
        .documents
        .iter()
        .any(|d| d.annotations.iter().any(|a| a.tags.is_empty()))
    {
        out.push((None, "Untagged".to_string()));
    }
    out
}

/// One annotation: the passage quoted, the note, the tags and the place.
fn block(out: &mut String, set: &ExportSet, doc: &ExportDoc, a: &Annotation) {
    out.push('\n');
    for line in a.quote.split('\n') {
        if line.trim().is_empty() {
            out.push_str(">\n");
        } else {
            out.push_str("> ");
            out.push_str(line);
            out.push('\n');
        }
    }
    if !a.note.trim().is_empty() {
        out.push('\n');
        out.push_str(a.note.trim_end());
        out.push('\n');
    }
    out.push('\n');
    for tag in &a.tags {
        out.push('#');
        out.push_str(&hashtag(set.tag_name(tag)));
        out.push(' ');
    }
    let paragraph = doc.paragraph_of(a.start);
    out.push_str(&format!(
        "— {}, ¶{paragraph} ({}–{}, {})\n",
        one_line(&doc.meta.title),
        a.start,
        a.end,
        a.color.as_str()
    ));
}

/// A tag as one `#word`: whitespace and characters that end a hashtag become `_`.
fn hashtag(tag: &str) -> String {
    tag.chars()
        .map(|c| {
            if c.is_whitespace() || "#,.;:!?()[]{}\"'`<>|\\/*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// A title on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_are_one_word() {
        assert_eq!(hashtag("科技 金融"), "科技_金融");
        assert_eq!(hashtag("a#b,c"), "a_b_c");
        assert_eq!(hashtag("人才"), "人才");
    }
}
