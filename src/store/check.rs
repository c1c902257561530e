//! `pizhu check`: what is wrong with a library, if anything. SQLite's own checks (pages,
//! indexes, foreign keys), then pizhu's: every document's text matches its recorded length,
//! its layers decode, its annotations lie inside it, and the codebook parses. Each problem
//! says what to do about it.

use super::{Store, StoreError};
use crate::annotations::AnnotationFilter;

/// One thing wrong, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub what: String,
    pub fix: String,
}

/// What a check found.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    pub documents: usize,
    pub annotations: usize,
    pub drifted: usize,
    pub orphans: usize,
    pub problems: Vec<Problem>,
}

const RESTORE: &str = "restore the last backup (pizhu backup makes one), or copy what can be \
                       read into a new library with `sqlite3 LIBRARY .recover`";

impl Store {
    /// Checks the whole library; problems are reported, not errors (an error means the check
    /// itself could not run).
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        let mut report = CheckReport::default();
        let integrity: Vec<String> = self
            .conn()
            .prepare("PRAGMA integrity_check")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()
            })
            .map_err(|e| self.err(e))?;
        if integrity != ["ok"] {
            for line in integrity.iter().take(20) {
                report.problems.push(Problem {
                    what: format!("damaged database: {line}"),
                    fix: RESTORE.to_string(),
                });
            }
            // The rest reads through damaged pages: stop here.
            return Ok(report);
        }
        let orphaned_rows: i64 = self
            .conn()
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut stmt| Ok(stmt.query_map([], |_| Ok(()))?.count() as i64))
            .map_err(|e| self.err(e))?;
        if orphaned_rows > 0 {
            report.problems.push(Problem {
                what: format!("{orphaned_rows} rows point at things that are gone"),
                fix: RESTORE.to_string(),
            });
        }
        if let Err(e) = self.codebook() {
            report.problems.push(Problem {
                what: e.to_string(),
                fix: "replace it with `pizhu themes import FILE`".to_string(),
            });
        }
        let documents = self.list_documents()?;
        report.documents = documents.len();
        for doc in &documents {
            let id = doc.id;
            let problem = |what: String| Problem {
                what: format!("#{id} {}: {what}", doc.title),
                fix: format!("rebuild its layers with `pizhu reclean {id} --force`"),
            };
            match self.text(id) {
                Ok(text) if crate::import::content_hash(&text) != doc.content_hash => {
                    report.problems.push(Problem {
                        what: format!(
                            "#{id} {}: its stored text is damaged (it no longer matches its hash)",
                            doc.title
                        ),
                        fix: format!(
                            "re-import its file with `pizhu import --update {id} FILE`, or {RESTORE}"
                        ),
                    });
                }
                Ok(text) if text.chars().count() != doc.chars => {
                    report.problems.push(Problem {
                        what: format!(
                            "#{id} {}: its text has {} characters, the library says {}",
                            doc.title,
                            text.chars().count(),
                            doc.chars
                        ),
                        fix: format!("re-import its file with `pizhu import --update {id} FILE`"),
                    });
                }
                Ok(_) => {}
                Err(e) => report.problems.push(problem(e.to_string())),
            }
            if let Err(e) = self.cleaning(id) {
                report.problems.push(problem(e.to_string()));
            }
            if let Err(e) = self.char_index(id) {
                report.problems.push(problem(e.to_string()));
            }
        }
        let annotations = self.annotations(&AnnotationFilter::default())?;
        report.annotations = annotations.len();
        for a in &annotations {
            use crate::annotations::AnchorStatus;
            match a.status {
                AnchorStatus::Drifted => report.drifted += 1,
                AnchorStatus::Orphan => report.orphans += 1,
                AnchorStatus::Ok => {
                    let chars = documents
                        .iter()
                        .find(|d| d.id == a.doc)
                        .map_or(0, |d| d.chars);
                    if a.start >= a.end || a.end > chars {
                        report.problems.push(Problem {
                            what: format!(
                                "annotation #{} ({}..{}) lies outside its document #{} ({chars} characters)",
                                a.id, a.start, a.end, a.doc
                            ),
                            fix: format!("see it with `pizhu note show {}`; delete it with `pizhu note rm {}`", a.id, a.id),
                        });
                    }
                }
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sound_library_has_no_problems_and_a_damaged_layer_is_named() {
        let mut store = Store::open_in_memory().unwrap();
        let text = "第一段。\n第二段。\n";
        let id = store
            .insert_document(&crate::import::prepare_text(text.into(), "s".into(), "t"))
            .unwrap();
        let report = store.check().unwrap();
        assert_eq!(report.documents, 1);
        assert_eq!(report.problems, []);
        store
            .conn()
            .execute(
                "UPDATE layers SET data = x'ffffffffff' WHERE doc_id = ?1 AND kind = 'paragraphs'",
                [id],
            )
            .unwrap();
        store
            .conn()
            .execute("UPDATE documents SET chars = 3 WHERE id = ?1", [id])
            .unwrap();
        let report = store.check().unwrap();
        let all: Vec<&str> = report.problems.iter().map(|p| p.what.as_str()).collect();
        assert_eq!(report.problems.len(), 2, "{all:?}");
        assert!(all[0].contains("the library says 3"), "{all:?}");
        assert!(report.problems[1].fix.contains("reclean 1 --force"));
    }
}
