//! The undo log: every change to an annotation or a theme decision is a row of `events` with
//! the state before and after it (JSON), written in the change's own transaction. Undo applies
//! the newest live event's "before" and marks it undone; redo applies the oldest undone
//! event's "after"; a new change drops the undone events (the redo branch). The log is in the
//! library, so undo works across restarts and sees changes made by other processes.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use super::annotations::{NOW, restore};
use super::{Store, StoreError};
use crate::annotations::Annotation;
use crate::doc::{DocId, Span};
use crate::tagging::merge::Decision;

/// A change as the log keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// An annotation before and after (`None`: it did not exist).
    Annotation {
        doc: DocId,
        before: Option<Box<Annotation>>,
        after: Option<Box<Annotation>>,
    },
    /// A theme decision on a passage before and after (`None`: no decision).
    Decision {
        doc: DocId,
        passage: Span,
        theme: String,
        before: Option<Decision>,
        after: Option<Decision>,
    },
}

impl Change {
    /// The document the change is in.
    pub fn doc(&self) -> DocId {
        match self {
            Change::Annotation { doc, .. } | Change::Decision { doc, .. } => *doc,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Change::Annotation { .. } => "annotation",
            Change::Decision { .. } => "decision",
        }
    }

    /// The change the other way round.
    fn reversed(self) -> Change {
        match self {
            Change::Annotation { doc, before, after } => Change::Annotation {
                doc,
                before: after,
                after: before,
            },
            Change::Decision {
                doc,
                passage,
                theme,
                before,
                after,
            } => Change::Decision {
                doc,
                passage,
                theme,
                before: after,
                after: before,
            },
        }
    }

    /// What the change did, for a status line: "annotation #3 deleted".
    pub fn describe(&self) -> String {
        match self {
            Change::Annotation { before, after, .. } => match (before, after) {
                (None, Some(a)) => format!("annotation #{} made", a.id),
                (Some(a), None) => format!("annotation #{} deleted", a.id),
                (_, Some(a)) => format!("annotation #{} changed", a.id),
                (None, None) => "nothing".to_string(),
            },
            Change::Decision { theme, after, .. } => match after {
                Some(d) => format!("{theme} {}", d.as_str()),
                None => format!("decision on {theme} cleared"),
            },
        }
    }
}

/// Writes `change` to the log (dropping the undone changes: they can no longer be redone).
pub(super) fn log(tx: &Transaction<'_>, change: &Change) -> rusqlite::Result<()> {
    let json = serde_json::to_string(change)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    tx.execute("DELETE FROM events WHERE undone = 1", [])?;
    tx.execute(
        &format!("INSERT INTO events (at, kind, doc_id, change) VALUES ({NOW}, ?1, ?2, ?3)"),
        params![change.kind(), change.doc(), json],
    )
    .map(|_| ())
}

/// Sets the state a change leads to.
fn apply(tx: &Transaction<'_>, change: &Change) -> rusqlite::Result<()> {
    match change {
        Change::Annotation { before, after, .. } => match (after, before) {
            (Some(a), _) => restore(tx, a),
            (None, Some(b)) => tx
                .execute("DELETE FROM annotations WHERE id = ?1", [b.id])
                .map(|_| ()),
            (None, None) => Ok(()),
        },
        Change::Decision {
            doc,
            passage,
            theme,
            after,
            ..
        } => super::themes::write_decision(tx, *doc, *passage, theme, *after),
    }
}

impl Store {
    /// Undoes the newest change not undone yet and returns it (as it was made); `None` when
    /// there is none.
    pub fn undo(&mut self) -> Result<Option<Change>, StoreError> {
        self.replay(
            "SELECT id, change FROM events WHERE undone = 0 ORDER BY id DESC LIMIT 1",
            true,
        )
    }

    /// Redoes the oldest undone change and returns it; `None` when there is none.
    pub fn redo(&mut self) -> Result<Option<Change>, StoreError> {
        self.replay(
            "SELECT id, change FROM events WHERE undone = 1 ORDER BY id LIMIT 1",
            false,
        )
    }

    /// Applies the change `pick` selects (the other way round for undo) and marks it undone
    /// (or not, for redo).
    fn replay(&mut self, pick: &str, undo: bool) -> Result<Option<Change>, StoreError> {
        let name = self.display_name();
        let tx = self.write(if undo { "undoing" } else { "redoing" })?;
        let sql = |e| StoreError::sqlite(&name, e);
        let Some((id, json)) = tx
            .query_row(pick, [], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })
            .optional()
            .map_err(sql)?
        else {
            return Ok(None);
        };
        let change: Change =
            serde_json::from_str(&json).map_err(|e| StoreError::CorruptEvent(e.to_string()))?;
        let applied = match undo {
            true => change.clone().reversed(),
            false => change.clone(),
        };
        apply(&tx, &applied).map_err(sql)?;
        tx.execute(
            "UPDATE events SET undone = ?2 WHERE id = ?1",
            params![id, undo],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(Some(change))
    }
}
