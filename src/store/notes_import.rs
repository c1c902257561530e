//! Notes read back in (`pizhu import-notes`), written in one transaction: new documents, new
//! themes in the codebook, annotations that keep their GUIDs and times, theme decisions. An
//! annotation whose GUID the library already has is skipped, so importing the same file twice
//! adds nothing the second time; any failure rolls everything back. Each annotation and
//! decision added is an entry of the undo log, as if made by hand.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::annotations::{NOW, read};
use super::documents::{NewDocument, insert};
use super::events::{Change, log};
use super::themes::{read_codebook, write_codebook, write_decision};
use super::{Store, StoreError};
use crate::annotations::Annotation;
use crate::doc::{DocId, Span};
use crate::tagging::merge::Decision;
use crate::themes::Theme;

/// The document an imported note belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocTarget {
    /// A document of the library.
    Existing(DocId),
    /// The n-th of [`NotesImport::documents`].
    New(usize),
}

/// An annotation to import: its `id` and `doc` are ignored; empty times mean now.
#[derive(Clone, Debug)]
pub struct ImportedAnnotation {
    pub doc: DocTarget,
    pub annotation: Annotation,
}

/// A theme decision to import.
#[derive(Clone, Debug)]
pub struct ImportedDecision {
    pub doc: DocTarget,
    pub passage: Span,
    pub theme: String,
    pub decision: Decision,
}

/// Everything one import adds, checked before it is written.
#[derive(Clone, Debug, Default)]
pub struct NotesImport {
    pub documents: Vec<NewDocument>,
    /// Themes the codebook does not have yet (by id).
    pub themes: Vec<Theme>,
    pub annotations: Vec<ImportedAnnotation>,
    pub decisions: Vec<ImportedDecision>,
}

/// What an import added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NotesImported {
    pub documents: usize,
    pub themes: usize,
    pub annotations: usize,
    /// Annotations the library already had (by GUID).
    pub skipped: usize,
    pub decisions: usize,
}

impl Store {
    /// Writes `import` in one transaction; nothing is written when any part fails.
    pub fn import_notes(&mut self, import: &NotesImport) -> Result<NotesImported, StoreError> {
        let name = self.display_name();
        let tx = self.write("importing notes")?;
        let sql = |e| StoreError::sqlite(&name, e);
        let mut done = NotesImported::default();
        let mut new_ids = Vec::with_capacity(import.documents.len());
        for doc in &import.documents {
            new_ids.push(insert(&tx, doc, true).map_err(sql)?);
        }
        done.documents = new_ids.len();
        let resolve = |target: DocTarget| match target {
            DocTarget::Existing(id) => Ok(id),
            DocTarget::New(i) => new_ids
                .get(i)
                .copied()
                .ok_or_else(|| StoreError::NoSuchDocument(format!("new document {i}"))),
        };
        if !import.themes.is_empty() {
            let (mut codebook, revision) = read_codebook(&tx, &name)?;
            for theme in &import.themes {
                if codebook.get(&theme.id).is_none() {
                    codebook.themes.push(theme.clone());
                    done.themes += 1;
                }
            }
            codebook.validate()?;
            write_codebook(&tx, &codebook, revision + 1).map_err(sql)?;
        }
        for item in &import.annotations {
            let doc = resolve(item.doc)?;
            let a = &item.annotation;
            let inserted = tx
                .execute(
                    &format!(
                        "INSERT INTO annotations (guid, doc_id, start, end, quote, prefix, suffix,
                                                  color, note, tags, status, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
                                 coalesce(nullif(?12, ''), {NOW}), coalesce(nullif(?13, ''), {NOW}))
                         ON CONFLICT (guid) DO NOTHING"
                    ),
                    params![
                        a.guid,
                        doc,
                        a.start as i64,
                        a.end as i64,
                        a.quote,
                        a.prefix,
                        a.suffix,
                        a.color.as_str(),
                        a.note,
                        serde_json::to_string(&a.tags).unwrap_or_else(|_| "[]".to_string()),
                        a.status.as_str(),
                        a.created,
                        a.updated,
                    ],
                )
                .map_err(sql)?;
            if inserted == 0 {
                done.skipped += 1;
                continue;
            }
            let id = tx.last_insert_rowid();
            let stored = read(&tx, id)
                .map_err(sql)?
                .ok_or(StoreError::NoSuchAnnotation(id))?;
            log(
                &tx,
                &Change::Annotation {
                    doc,
                    before: None,
                    after: Some(Box::new(stored)),
                },
            )
            .map_err(sql)?;
            done.annotations += 1;
        }
        for d in &import.decisions {
            let doc = resolve(d.doc)?;
            let before: Option<String> = tx
                .query_row(
                    "SELECT decision FROM theme_decisions
                     WHERE doc_id = ?1 AND start = ?2 AND end = ?3 AND theme = ?4",
                    params![doc, d.passage.start as i64, d.passage.end as i64, d.theme],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sql)?;
            let before = before.as_deref().and_then(Decision::parse);
            // A theme already on the passage (accepted or added) stays as it is: formats
            // that do not say which (REFI-QDA codings) bring it back as accepted.
            let on = |d: Option<Decision>| matches!(d, Some(Decision::Accepted | Decision::Added));
            if before == Some(d.decision) || (on(before) && on(Some(d.decision))) {
                continue;
            }
            write_decision(&tx, doc, d.passage, &d.theme, Some(d.decision)).map_err(sql)?;
            log(
                &tx,
                &Change::Decision {
                    doc,
                    passage: d.passage,
                    theme: d.theme.clone(),
                    before,
                    after: Some(d.decision),
                },
            )
            .map_err(sql)?;
            done.decisions += 1;
        }
        tx.commit().map_err(sql)?;
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::Color;

    fn annotation(guid: &str) -> Annotation {
        Annotation {
            id: 0,
            guid: guid.to_string(),
            doc: 0,
            start: 0,
            end: 2,
            quote: "甲乙".into(),
            prefix: String::new(),
            suffix: "丙".into(),
            color: Color::Green,
            note: "笔记".into(),
            tags: vec!["talent".into()],
            status: crate::annotations::AnchorStatus::Ok,
            created: "2026-01-02T03:04:05Z".into(),
            updated: String::new(),
        }
    }

    fn plan(second: DocTarget) -> NotesImport {
        NotesImport {
            documents: vec![crate::import::prepare_text(
                "甲乙丙。\n".into(),
                "test".into(),
                "t",
            )],
            themes: Vec::new(),
            annotations: vec![
                ImportedAnnotation {
                    doc: DocTarget::New(0),
                    annotation: annotation("a1"),
                },
                ImportedAnnotation {
                    doc: second,
                    annotation: annotation("a2"),
                },
            ],
            decisions: Vec::new(),
        }
    }

    #[test]
    fn an_import_is_written_whole_once_or_not_at_all() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(store.import_notes(&plan(DocTarget::New(7))).is_err());
        assert!(store.list_documents().unwrap().is_empty(), "rolled back");
        assert!(store.annotations(&Default::default()).unwrap().is_empty());

        let done = store.import_notes(&plan(DocTarget::New(0))).unwrap();
        assert_eq!((done.documents, done.annotations, done.skipped), (1, 2, 0));
        let made = store.annotations(&Default::default()).unwrap();
        assert_eq!(made[0].guid, "a1");
        assert_eq!(made[0].created, "2026-01-02T03:04:05Z", "times kept");
        assert!(!made[0].updated.is_empty(), "an empty time is now");
        let doc = made[0].doc;
        let again = NotesImport {
            documents: Vec::new(),
            ..plan(DocTarget::Existing(doc))
        };
        let again = NotesImport {
            annotations: again
                .annotations
                .into_iter()
                .map(|a| ImportedAnnotation {
                    doc: DocTarget::Existing(doc),
                    ..a
                })
                .collect(),
            ..again
        };
        let done = store.import_notes(&again).unwrap();
        assert_eq!((done.annotations, done.skipped), (0, 2), "nothing twice");
        assert_eq!(
            store.undo().unwrap().map(|c| c.doc()),
            Some(doc),
            "in the undo log"
        );
    }
}
