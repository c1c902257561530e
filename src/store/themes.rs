//! Themes in the library: the library's own codebook (one TOML row and a revision that every
//! edit increments), the tagger's suggestions per passage, the user's decisions (kept apart,
//! so re-tagging never loses them) and what each document was tagged with, including its
//! keyword counts (summed into library-wide IDF; one JSON value per document, not a row per
//! term, so tagging a document writes few rows).
//!
//! A library that never stored a codebook reads the default one (revision 0); the first
//! edit or tagging stores it. Passages are identified by their stored span.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};

use super::events::{Change, log};
use super::{Store, StoreError};
use crate::doc::{DocId, Span};
use crate::tagging::merge::{Decision, DecisionRow, MatchedTerm, Suggestion, SuggestionRows};
use crate::themes::{Codebook, CodebookError, Edit};

/// What a document's stored tagging was made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaggingState {
    pub codebook_revision: i64,
    pub tagger_version: u32,
    /// A fingerprint of the document's body passages (their stored spans).
    pub passages_key: i64,
    /// How many passages the document has.
    pub passages: u32,
    /// How many passages the library had, for the IDF weights.
    pub library_passages: u32,
}

/// One document's tagging, as stored in one transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct DocTagging {
    pub state: TaggingState,
    pub suggestions: SuggestionRows,
    /// Per keyword term: in how many of the document's passages it matched.
    pub term_counts: Vec<(String, u32)>,
}

impl Store {
    /// The library's codebook and its revision; the default codebook (revision 0) when the
    /// library has not stored one yet.
    pub fn codebook(&self) -> Result<(Codebook, i64), StoreError> {
        let row: Option<(String, i64)> = self
            .conn()
            .query_row(
                "SELECT toml, revision FROM codebook WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match row {
            None => Ok((Codebook::default_codebook(), 0)),
            Some((toml, revision)) => {
                Codebook::from_toml(&toml)
                    .map(|cb| (cb, revision))
                    .map_err(|e| StoreError::CorruptCodebook {
                        path: self.display_name().into(),
                        message: e.to_string(),
                    })
            }
        }
    }

    /// Stores the default codebook if the library has none yet; returns the revision.
    pub fn seed_codebook(&mut self) -> Result<i64, StoreError> {
        let (_, revision) = self.codebook()?;
        if revision > 0 {
            return Ok(revision);
        }
        self.edit_codebook(|_| Ok(()))
            .map(|((), revision)| revision)
    }

    /// Applies `change` to the library's codebook and stores the result with the next
    /// revision, all in one transaction; a failed change stores nothing.
    pub fn edit_codebook<T>(
        &mut self,
        change: impl FnOnce(&mut Codebook) -> Result<T, CodebookError>,
    ) -> Result<(T, i64), StoreError> {
        self.edit_codebook_with(change, None)
    }

    /// Applies `edit` (see [`Codebook::apply`]) in one transaction and returns what it did
    /// (one line) and the new revision. A merge moves the decisions on the theme that goes
    /// to the one that stays; where that one already has a decision on the passage, it wins.
    pub fn apply_codebook_edit(&mut self, edit: &Edit) -> Result<(String, i64), StoreError> {
        self.edit_codebook_with(|cb| cb.apply(edit), edit.moved_decisions())
    }

    /// Per theme, on how many passages of the library it is on: suggested and not rejected,
    /// or accepted or added. Counts the stored tagging (a read-only library's tagging in
    /// memory is not), as of the last re-tag.
    pub fn theme_passage_counts(&self) -> Result<HashMap<String, usize>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT theme, COUNT(*) FROM (
                     SELECT doc_id, start, end, theme FROM theme_suggestions s
                     WHERE NOT EXISTS (
                         SELECT 1 FROM theme_decisions d
                         WHERE d.doc_id = s.doc_id AND d.start = s.start AND d.end = s.end
                           AND d.theme = s.theme AND d.decision = 'rejected')
                     UNION
                     SELECT doc_id, start, end, theme FROM theme_decisions
                     WHERE decision IN ('accepted', 'added'))
                 GROUP BY theme",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map(|rows| {
                rows.into_iter()
                    .map(|(theme, n)| (theme, usize::try_from(n).unwrap_or(0)))
                    .collect()
            })
            .map_err(|e| self.err(e))
    }

    fn edit_codebook_with<T>(
        &mut self,
        change: impl FnOnce(&mut Codebook) -> Result<T, CodebookError>,
        move_decisions: Option<(&str, &str)>,
    ) -> Result<(T, i64), StoreError> {
        let name = self.display_name();
        let tx = self.write("editing the codebook")?;
        let sql = |e| StoreError::sqlite(&name, e);
        let (mut codebook, revision) = read_codebook(&tx, &name)?;
        let value = change(&mut codebook)?;
        codebook.validate()?;
        let next = revision + 1;
        write_codebook(&tx, &codebook, next).map_err(sql)?;
        if let Some((from, into)) = move_decisions {
            tx.execute(
                "UPDATE OR IGNORE theme_decisions SET theme = ?2 WHERE theme = ?1",
                params![from, into],
            )
            .and_then(|_| tx.execute("DELETE FROM theme_decisions WHERE theme = ?1", [from]))
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        Ok((value, next))
    }

    /// What every tagged document was tagged with.
    pub fn tagging_states(&self) -> Result<HashMap<DocId, TaggingState>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT doc_id, codebook_revision, tagger_version, passages_key, passages,
                        library_passages
                 FROM tagging_state",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map([], |r| {
            Ok((
                r.get::<_, DocId>(0)?,
                TaggingState {
                    codebook_revision: r.get(1)?,
                    tagger_version: r.get(2)?,
                    passages_key: r.get(3)?,
                    passages: r.get(4)?,
                    library_passages: r.get(5)?,
                },
            ))
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.err(e))
    }

    /// Per tagged document, in how many of its passages each keyword term matched.
    pub fn term_counts(&self) -> Result<HashMap<DocId, Vec<(String, u32)>>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT doc_id, term_counts FROM tagging_state")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, DocId>(0)?, r.get::<_, String>(1)?)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(doc, json)| {
                let counts: Vec<(String, u32)> =
                    serde_json::from_str(&json).map_err(|_| StoreError::CorruptLayer { doc })?;
                Ok((doc, counts))
            })
            .collect()
    }

    /// Replaces documents' suggestions and tagging state, all in one transaction (one commit
    /// instead of one per document: the commit is most of the cost of a small document).
    /// Decisions are not touched.
    pub fn save_taggings(&mut self, taggings: &[(DocId, DocTagging)]) -> Result<(), StoreError> {
        let name = self.display_name();
        let tx = self.write("saving theme suggestions")?;
        taggings
            .iter()
            .try_for_each(|(id, tagging)| write_tagging(&tx, *id, tagging))
            .and_then(|_| tx.commit())
            .map_err(|e| StoreError::sqlite(&name, e))
    }

    /// A document's suggestions, in passage order, highest score first within a passage.
    pub fn suggestions(&self, id: DocId) -> Result<Vec<Suggestion>, StoreError> {
        let mut out = Vec::new();
        self.each_suggestion(id, &mut |s| out.push(s))?;
        Ok(out)
    }

    /// Hands each of a document's suggestions to `each` as it is read, in the order of
    /// [`Self::suggestions`], so a large document's are never all in memory at once.
    pub fn each_suggestion(
        &self,
        id: DocId,
        each: &mut dyn FnMut(Suggestion),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT start, end, theme, score, matched FROM theme_suggestions
                 WHERE doc_id = ?1 ORDER BY start, end, score DESC, theme",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([id]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let row = (|| {
                Ok::<_, rusqlite::Error>((
                    span(r.get(0)?, r.get(1)?),
                    r.get::<_, String>(2)?,
                    r.get::<_, f64>(3)?,
                    r.get_ref(4)?.as_str()?,
                ))
            })();
            let (passage, theme, score, matched) = row.map_err(|e| self.err(e))?;
            let matched: Vec<MatchedTerm> =
                serde_json::from_str(matched).map_err(|_| StoreError::CorruptLayer { doc: id })?;
            each(Suggestion {
                passage,
                theme,
                score: score as f32,
                matched,
            });
        }
        Ok(())
    }

    /// The user's decisions on a document's passages, in passage order.
    pub fn decisions(&self, id: DocId) -> Result<Vec<DecisionRow>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT start, end, theme, decision FROM theme_decisions
                 WHERE doc_id = ?1 ORDER BY start, end, theme",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    span(r.get(0)?, r.get(1)?),
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(passage, theme, decision)| {
                Ok(DecisionRow {
                    passage,
                    theme,
                    decision: Decision::parse(&decision)
                        .ok_or(StoreError::CorruptLayer { doc: id })?,
                })
            })
            .collect()
    }

    /// Records the user's decision on a theme of a passage (`None` clears it). Returns the
    /// decision it replaced.
    pub fn set_decision(
        &mut self,
        id: DocId,
        passage: Span,
        theme: &str,
        decision: Option<Decision>,
    ) -> Result<Option<Decision>, StoreError> {
        let name = self.display_name();
        let tx = self.write("recording a theme decision")?;
        let sql = |e| StoreError::sqlite(&name, e);
        let key = params![id, passage.start as i64, passage.end as i64, theme];
        let previous: Option<String> = tx
            .query_row(
                "SELECT decision FROM theme_decisions
                 WHERE doc_id = ?1 AND start = ?2 AND end = ?3 AND theme = ?4",
                key,
                |r| r.get(0),
            )
            .optional()
            .map_err(sql)?;
        let before = previous.as_deref().and_then(Decision::parse);
        write_decision(&tx, id, passage, theme, decision).map_err(sql)?;
        if before != decision {
            log(
                &tx,
                &Change::Decision {
                    doc: id,
                    passage,
                    theme: theme.to_string(),
                    before,
                    after: decision,
                },
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        Ok(before)
    }
}

/// The codebook and revision as stored in the library `name` (the default, revision 0, when
/// none is), read inside a write transaction.
pub(super) fn read_codebook(
    tx: &Transaction<'_>,
    name: &str,
) -> Result<(Codebook, i64), StoreError> {
    let row: Option<(String, i64)> = tx
        .query_row(
            "SELECT toml, revision FROM codebook WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(|e| StoreError::sqlite(name, e))?;
    match row {
        None => Ok((Codebook::default_codebook(), 0)),
        Some((toml, revision)) => {
            Codebook::from_toml(&toml)
                .map(|cb| (cb, revision))
                .map_err(|e| StoreError::CorruptCodebook {
                    path: name.into(),
                    message: e.to_string(),
                })
        }
    }
}

/// Stores `codebook` as revision `revision`.
pub(super) fn write_codebook(
    tx: &Transaction<'_>,
    codebook: &Codebook,
    revision: i64,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO codebook (id, toml, revision, updated_at)
         VALUES (1, ?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         ON CONFLICT (id) DO UPDATE SET toml = excluded.toml, revision = excluded.revision,
                                        updated_at = excluded.updated_at",
        params![codebook.to_toml(), revision],
    )
    .map(|_| ())
}

/// Sets (or with `None` clears) the decision on a theme of a passage.
pub(super) fn write_decision(
    tx: &Transaction<'_>,
    id: DocId,
    passage: Span,
    theme: &str,
    decision: Option<Decision>,
) -> rusqlite::Result<()> {
    let (start, end) = (passage.start as i64, passage.end as i64);
    match decision {
        Some(d) => tx.execute(
            "INSERT INTO theme_decisions (doc_id, start, end, theme, decision, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
             ON CONFLICT (doc_id, start, end, theme)
             DO UPDATE SET decision = excluded.decision, created_at = excluded.created_at",
            params![id, start, end, theme, d.as_str()],
        ),
        None => tx.execute(
            "DELETE FROM theme_decisions
             WHERE doc_id = ?1 AND start = ?2 AND end = ?3 AND theme = ?4",
            params![id, start, end, theme],
        ),
    }
    .map(|_| ())
}

fn span(start: i64, end: i64) -> Span {
    Span::new(
        usize::try_from(start).unwrap_or(0),
        usize::try_from(end).unwrap_or(0),
    )
}

fn write_tagging(tx: &Transaction<'_>, id: DocId, tagging: &DocTagging) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM theme_suggestions WHERE doc_id = ?1")?
        .execute([id])?;
    let mut insert = tx.prepare_cached(
        "INSERT OR REPLACE INTO theme_suggestions (doc_id, start, end, theme, score, matched)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (passage, theme, score, matched) in tagging.suggestions.rows() {
        insert.execute(params![
            id,
            passage.start as i64,
            passage.end as i64,
            theme,
            f64::from(score),
            matched
        ])?;
    }
    let counts = serde_json::to_string(&tagging.term_counts)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let s = &tagging.state;
    tx.prepare_cached(
        "INSERT INTO tagging_state (doc_id, codebook_revision, tagger_version, passages_key,
                                    passages, library_passages, term_counts, tagged_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         ON CONFLICT (doc_id) DO UPDATE SET
             codebook_revision = excluded.codebook_revision,
             tagger_version = excluded.tagger_version, passages_key = excluded.passages_key,
             passages = excluded.passages, library_passages = excluded.library_passages,
             term_counts = excluded.term_counts, tagged_at = excluded.tagged_at",
    )?
    .execute(params![
        id,
        s.codebook_revision,
        s.tagger_version,
        s.passages_key,
        s.passages,
        s.library_passages,
        counts
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Script;
    use crate::store::NewDocument;
    use crate::themes::Keyword;

    fn add(store: &mut Store, text: &str) -> DocId {
        store
            .insert_document(&NewDocument {
                title: text.to_string(),
                source: "-".to_string(),
                encoding: "utf-8".to_string(),
                script: Script::Simplified,
                text: text.to_string(),
                source_bytes: text.len() as u64,
                content_hash: text.to_string(),
                cleaned: crate::clean::Cleaned::default(),
            })
            .unwrap()
    }

    fn tagging(passage: Span, theme: &str) -> DocTagging {
        DocTagging {
            state: TaggingState {
                codebook_revision: 1,
                tagger_version: 1,
                passages_key: 42,
                passages: 1,
                library_passages: 1,
            },
            suggestions: {
                let mut rows = SuggestionRows::default();
                rows.push(&Suggestion {
                    passage,
                    theme: theme.to_string(),
                    score: 0.75,
                    matched: vec![MatchedTerm {
                        term: "人才".to_string(),
                        count: 2,
                        weight: 1.25,
                    }],
                });
                rows
            },
            term_counts: vec![("人才".to_string(), 1)],
        }
    }

    #[test]
    fn the_codebook_is_the_default_until_edited_and_every_edit_counts() {
        let mut store = Store::open_in_memory().unwrap();
        let (cb, revision) = store.codebook().unwrap();
        assert_eq!((cb, revision), (Codebook::default_codebook(), 0));
        assert_eq!(store.seed_codebook().unwrap(), 1);
        assert_eq!(store.seed_codebook().unwrap(), 1, "seeding once");
        let (added, revision) = store
            .edit_codebook(|cb| cb.add_keywords("talent", [Keyword::new("引智")]))
            .unwrap();
        assert_eq!((added, revision), (1, 2));
        let (cb, _) = store.codebook().unwrap();
        assert!(
            cb.get("talent")
                .unwrap()
                .keywords
                .contains(&Keyword::new("引智"))
        );
        // A failing edit stores nothing.
        let err = store
            .edit_codebook(|cb| cb.remove("no-such-theme").map(|_| ()))
            .unwrap_err();
        assert!(err.to_string().contains("no-such-theme"), "{err}");
        assert_eq!(store.codebook().unwrap(), (cb, 2));
    }

    #[test]
    fn a_damaged_codebook_is_reported() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn()
            .execute(
                "INSERT INTO codebook (id, toml, revision, updated_at) VALUES (1, '[[theme]]', 3, '')",
                [],
            )
            .unwrap();
        let err = store.codebook().unwrap_err();
        assert!(matches!(err, StoreError::CorruptCodebook { .. }), "{err}");
    }

    #[test]
    fn tagging_replaces_suggestions_and_keeps_decisions() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = add(&mut store, "人才强国");
        let p = Span::new(0, 4);
        store.save_taggings(&[(doc, tagging(p, "talent"))]).unwrap();
        assert_eq!(
            store.suggestions(doc).unwrap(),
            tagging(p, "talent").suggestions.to_suggestions()
        );
        assert_eq!(
            store
                .set_decision(doc, p, "talent", Some(Decision::Accepted))
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .set_decision(doc, p, "talent", Some(Decision::Rejected))
                .unwrap(),
            Some(Decision::Accepted)
        );
        store
            .save_taggings(&[(doc, tagging(p, "finance"))])
            .unwrap();
        let suggested: Vec<String> = store
            .suggestions(doc)
            .unwrap()
            .into_iter()
            .map(|s| s.theme)
            .collect();
        assert_eq!(suggested, vec!["finance"]);
        assert_eq!(
            store.decisions(doc).unwrap(),
            vec![DecisionRow {
                passage: p,
                theme: "talent".to_string(),
                decision: Decision::Rejected
            }]
        );
        assert_eq!(store.tagging_states().unwrap()[&doc].passages_key, 42);
        assert_eq!(
            store.term_counts().unwrap()[&doc],
            vec![("人才".to_string(), 1)]
        );
        assert_eq!(
            store.set_decision(doc, p, "talent", None).unwrap(),
            Some(Decision::Rejected)
        );
        assert!(store.decisions(doc).unwrap().is_empty());
    }

    #[test]
    fn merging_themes_moves_decisions() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = add(&mut store, "知识产权与成果转化");
        let (a, b) = (Span::new(0, 4), Span::new(5, 9));
        store
            .set_decision(doc, a, "ip", Some(Decision::Added))
            .unwrap();
        store
            .set_decision(doc, b, "ip", Some(Decision::Rejected))
            .unwrap();
        store
            .set_decision(doc, b, "commercialization", Some(Decision::Accepted))
            .unwrap();
        let (done, _) = store
            .apply_codebook_edit(&Edit::Merge {
                into: "commercialization".into(),
                from: "ip".into(),
            })
            .unwrap();
        assert_eq!(done, "merged theme ip into commercialization");
        assert!(store.codebook().unwrap().0.get("ip").is_none());
        let rows: Vec<(Span, String, Decision)> = store
            .decisions(doc)
            .unwrap()
            .into_iter()
            .map(|d| (d.passage, d.theme, d.decision))
            .collect();
        assert_eq!(
            rows,
            vec![
                (a, "commercialization".to_string(), Decision::Added),
                (b, "commercialization".to_string(), Decision::Accepted),
            ]
        );
    }

    #[test]
    fn passages_per_theme_count_suggestions_and_decisions() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = add(&mut store, "人才强国与金融");
        let (a, b) = (Span::new(0, 4), Span::new(5, 7));
        store.save_taggings(&[(doc, tagging(a, "talent"))]).unwrap();
        assert_eq!(store.theme_passage_counts().unwrap()["talent"], 1);
        store
            .set_decision(doc, a, "talent", Some(Decision::Accepted))
            .unwrap();
        store
            .set_decision(doc, b, "talent", Some(Decision::Added))
            .unwrap();
        store
            .set_decision(doc, b, "finance", Some(Decision::Rejected))
            .unwrap();
        let counts = store.theme_passage_counts().unwrap();
        assert_eq!(counts["talent"], 2, "suggested and accepted count once");
        assert!(!counts.contains_key("finance"));
        store
            .set_decision(doc, a, "talent", Some(Decision::Rejected))
            .unwrap();
        assert_eq!(store.theme_passage_counts().unwrap()["talent"], 1);
    }

    #[test]
    fn everything_goes_with_the_document() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = add(&mut store, "人才强国");
        let p = Span::new(0, 4);
        store.save_taggings(&[(doc, tagging(p, "talent"))]).unwrap();
        store
            .set_decision(doc, p, "talent", Some(Decision::Accepted))
            .unwrap();
        store.remove_document(doc).unwrap();
        assert!(store.suggestions(doc).unwrap().is_empty());
        assert!(store.decisions(doc).unwrap().is_empty());
        assert!(store.tagging_states().unwrap().is_empty());
        assert!(store.term_counts().unwrap().is_empty());
    }
}
