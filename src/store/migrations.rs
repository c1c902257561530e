//! The library schema as numbered migrations, tracked with `PRAGMA user_version`.
//!
//! Migration N takes a library at version N-1 to version N. Migrations are append-only: a
//! released migration is never edited, a change of schema is a new migration. A library whose
//! version is newer than [`LATEST`] was written by a newer pizhu and is refused untouched.

use rusqlite::{Connection, Transaction};

/// The migrations in order; `MIGRATIONS[i]` produces version `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: documents and their immutable text, kept apart so listing never reads the texts.
    r#"
    CREATE TABLE documents (
        id            INTEGER PRIMARY KEY,
        title         TEXT    NOT NULL,
        source        TEXT    NOT NULL,
        encoding      TEXT    NOT NULL,
        script        TEXT    NOT NULL,
        chars         INTEGER NOT NULL,
        source_bytes  INTEGER NOT NULL,
        content_hash  TEXT    NOT NULL,
        imported_at   TEXT    NOT NULL
    );
    CREATE INDEX documents_by_hash ON documents(content_hash);
    CREATE TABLE document_texts (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        text   TEXT NOT NULL
    );
    "#,
    // 2: the cleaning layers (noise and paragraphs as blobs, metadata rows), the cleaner
    // version that made them, and the reader's fold/unfold overrides.
    r#"
    ALTER TABLE documents ADD COLUMN cleaner_version INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE layers (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        kind   TEXT    NOT NULL,
        data   BLOB    NOT NULL,
        PRIMARY KEY (doc_id, kind)
    ) WITHOUT ROWID;
    CREATE TABLE doc_metadata (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        seq    INTEGER NOT NULL,
        kind   TEXT    NOT NULL,
        value  TEXT    NOT NULL,
        start  INTEGER NOT NULL,
        end    INTEGER NOT NULL,
        PRIMARY KEY (doc_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE overrides (
        doc_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        action     TEXT    NOT NULL CHECK (action IN ('fold', 'unfold')),
        created_at TEXT    NOT NULL,
        PRIMARY KEY (doc_id, start, end)
    ) WITHOUT ROWID;
    "#,
    // 3: the reader's memory. `reading_positions` keeps each document's
    // reading position (the cursor) as a code point offset into its stored text, so it survives
    // any change of pane width; `reader_panes` keeps the panes open when the reader last quit,
    // left to right. Both go with their document (ON DELETE CASCADE).
    r#"
    CREATE TABLE reading_positions (
        doc_id      INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        cursor_char INTEGER NOT NULL,
        updated_at  TEXT    NOT NULL
    );
    CREATE TABLE reader_panes (
        slot    INTEGER PRIMARY KEY,
        doc_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        focused INTEGER NOT NULL DEFAULT 0
    );
    "#,
    // 4: `layers` becomes a rowid table. In a WITHOUT ROWID table SQLite reads a row's whole
    // record to compare keys when it spills onto overflow pages, so finding any layer of a
    // 300 MB document read its 10 MB noise blob; now the lookup goes through a small unique
    // index, and a blob can be read in parts. Metadata is found by position, so the part of a
    // large document a reader opens at reads its own fields without scanning the rest.
    r#"
    CREATE TABLE layers_v4 (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        kind   TEXT    NOT NULL,
        data   BLOB    NOT NULL,
        UNIQUE (doc_id, kind)
    );
    INSERT INTO layers_v4 (doc_id, kind, data) SELECT doc_id, kind, data FROM layers;
    DROP TABLE layers;
    ALTER TABLE layers_v4 RENAME TO layers;
    CREATE INDEX doc_metadata_by_start ON doc_metadata(doc_id, start);
    "#,
    // 5: themes. `codebook` holds the library's own codebook as TOML (one row, seeded from
    // the default on first use) with a revision that every edit increments. The tagger's
    // `theme_suggestions` per passage (stored span) are rebuilt on re-tagging; the user's
    // `theme_decisions` are kept apart so re-tagging never loses them. `tagging_state` says
    // what each document was tagged with, so stale tagging is detected, and holds its
    // `term_counts` (JSON: in how many of its passages each keyword matched), which summed
    // over the library give the IDF weights. All go with their document.
    r#"
    CREATE TABLE codebook (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        toml       TEXT    NOT NULL,
        revision   INTEGER NOT NULL,
        updated_at TEXT    NOT NULL
    );
    CREATE TABLE theme_suggestions (
        doc_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start   INTEGER NOT NULL,
        end     INTEGER NOT NULL,
        theme   TEXT    NOT NULL,
        score   REAL    NOT NULL,
        matched TEXT    NOT NULL,
        PRIMARY KEY (doc_id, start, end, theme)
    ) WITHOUT ROWID;
    CREATE TABLE theme_decisions (
        doc_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        theme      TEXT    NOT NULL,
        decision   TEXT    NOT NULL CHECK (decision IN ('accepted', 'rejected', 'added')),
        created_at TEXT    NOT NULL,
        PRIMARY KEY (doc_id, start, end, theme)
    ) WITHOUT ROWID;
    CREATE TABLE tagging_state (
        doc_id            INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        codebook_revision INTEGER NOT NULL,
        tagger_version    INTEGER NOT NULL,
        passages_key      INTEGER NOT NULL,
        passages          INTEGER NOT NULL,
        library_passages  INTEGER NOT NULL,
        term_counts       TEXT    NOT NULL,
        tagged_at         TEXT    NOT NULL
    );
    "#,
    // 6: the search index and the related-passages index (`store/search_index.rs`,
    // `store/related_index.rs`), both derived from a document's reading view. `indexed_docs`
    // is their parent: removing a document, or any change to its cleaning layers (re-cleaning,
    // fold/unfold), deletes its row and with it every index row of the document, so the index
    // is rebuilt from the new view on the next search. The char index is derived from the
    // text alone and leaves the index be. `related_passages` ids are never reused
    // (AUTOINCREMENT), so (count, max id) tells whether the postings are current. The triggers
    // come after migration 4, which replaces `layers`.
    r#"
    CREATE TABLE indexed_docs (
        doc_id  INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        related INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE search_chunks (
        id         INTEGER PRIMARY KEY,
        doc_id     INTEGER NOT NULL REFERENCES indexed_docs(doc_id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        view_start INTEGER NOT NULL,
        view_end   INTEGER NOT NULL,
        byte_start INTEGER NOT NULL,
        byte_end   INTEGER NOT NULL,
        map        BLOB    NOT NULL,
        UNIQUE (doc_id, seq)
    );
    CREATE TABLE search_grams (
        doc_id INTEGER PRIMARY KEY REFERENCES indexed_docs(doc_id) ON DELETE CASCADE,
        data   BLOB    NOT NULL
    );
    CREATE TABLE related_terms (
        id   INTEGER PRIMARY KEY,
        term TEXT NOT NULL UNIQUE
    );
    CREATE TABLE related_passages (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id     INTEGER NOT NULL REFERENCES indexed_docs(doc_id) ON DELETE CASCADE,
        n          INTEGER NOT NULL,
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        view_start INTEGER NOT NULL,
        view_end   INTEGER NOT NULL,
        terms      BLOB    NOT NULL,
        UNIQUE (doc_id, n)
    );
    CREATE TABLE related_postings (
        term_id INTEGER PRIMARY KEY,
        data    BLOB NOT NULL
    );
    CREATE TABLE related_state (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        passages INTEGER NOT NULL,
        max_id   INTEGER NOT NULL,
        table_   BLOB    NOT NULL
    );
    CREATE TRIGGER layers_insert_unindex AFTER INSERT ON layers
    WHEN NEW.kind <> 'char-index' BEGIN DELETE FROM indexed_docs WHERE doc_id = NEW.doc_id; END;
    CREATE TRIGGER layers_update_unindex AFTER UPDATE ON layers
    WHEN NEW.kind <> 'char-index' BEGIN DELETE FROM indexed_docs WHERE doc_id = NEW.doc_id; END;
    CREATE TRIGGER layers_delete_unindex AFTER DELETE ON layers
    WHEN OLD.kind <> 'char-index' BEGIN DELETE FROM indexed_docs WHERE doc_id = OLD.doc_id; END;
    "#,
    // 7: annotations (`store/annotations.rs`): spans of the stored text with their quote and
    // context (to find them again in a new version), colour, note, tags (a JSON array) and
    // anchoring status; ids are never reused (AUTOINCREMENT), so an undone deletion gets its
    // id back. `events` is the undo log of annotations and theme decisions: each row holds a
    // change (the state before and after, JSON), and `undone` marks what redo can replay.
    r#"
    CREATE TABLE annotations (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        guid       TEXT    NOT NULL UNIQUE,
        doc_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        quote      TEXT    NOT NULL,
        prefix     TEXT    NOT NULL,
        suffix     TEXT    NOT NULL,
        color      TEXT    NOT NULL,
        note       TEXT    NOT NULL,
        tags       TEXT    NOT NULL,
        status     TEXT    NOT NULL CHECK (status IN ('ok', 'drifted', 'orphan')),
        created_at TEXT    NOT NULL,
        updated_at TEXT    NOT NULL
    );
    CREATE INDEX annotations_by_place ON annotations(doc_id, start, end);
    CREATE TABLE events (
        id     INTEGER PRIMARY KEY,
        at     TEXT    NOT NULL,
        kind   TEXT    NOT NULL CHECK (kind IN ('annotation', 'decision')),
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        change TEXT    NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX events_undone ON events(undone, id);
    "#,
    // 8: texts in parts (`store/texts.rs`): a row of `text_parts` holds 64 KiB of a text, so a
    // read near the end of a 300 MB text no longer walks the pages of everything before it.
    // The texts move over from `document_texts`, which goes (`texts::split_old_texts`).
    r#"
    CREATE TABLE text_parts (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        part   INTEGER NOT NULL,
        bytes  BLOB    NOT NULL,
        PRIMARY KEY (doc_id, part)
    );
    "#,
];

/// The version whose migration rewrites every text (a library from before is vacuumed after
/// it, or its file would keep the old texts' pages).
pub const TEXTS_REWRITTEN: i64 = 8;

/// A migration's work that SQL alone cannot do well, run after its SQL: (version, step).
type Step = fn(&Transaction<'_>) -> rusqlite::Result<()>;
const STEPS: &[(i64, Step)] = &[(TEXTS_REWRITTEN, super::texts::split_old_texts)];

/// The schema version this pizhu writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Reads the library's schema version.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Applies every migration after `from` up to `to`, each in the given transaction.
pub fn apply(tx: &Transaction<'_>, from: i64, to: i64) -> rusqlite::Result<()> {
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let target = index as i64 + 1;
        if target > from && target <= to {
            tx.execute_batch(sql)?;
            for (_, step) in STEPS.iter().filter(|(version, _)| *version == target) {
                step(tx)?;
            }
            tx.pragma_update(None, "user_version", target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrate(conn: &mut Connection, to: i64) {
        let from = version(conn).unwrap();
        let tx = conn.transaction().unwrap();
        apply(&tx, from, to).unwrap();
        tx.commit().unwrap();
    }

    /// Rows that exercise every table of a given version, so the next migration meets data.
    fn seed(conn: &Connection, version: i64) {
        if version >= 1 {
            conn.execute_batch(
                "INSERT INTO documents (title, source, encoding, script, chars, source_bytes,
                                        content_hash, imported_at)
                 VALUES ('科技', '/tmp/a.txt', 'utf-8', 'simplified', 2, 6, 'h', '2026-01-01T00:00:00Z');",
            )
            .unwrap();
            let text = match version {
                ..8 => "INSERT INTO document_texts (doc_id, text) VALUES (1, '科技')",
                _ => {
                    "INSERT INTO text_parts (doc_id, part, bytes) VALUES (1, 0, CAST('科技' AS BLOB))"
                }
            };
            conn.execute_batch(text).unwrap();
        }
        if version >= 2 {
            conn.execute_batch(
                "UPDATE documents SET cleaner_version = 1 WHERE id = 1;
                 INSERT INTO layers (doc_id, kind, data) VALUES (1, 'noise', x'00');
                 INSERT INTO doc_metadata (doc_id, seq, kind, value, start, end)
                 VALUES (1, 0, 'date', '2024', 0, 4);
                 INSERT INTO overrides (doc_id, start, end, action, created_at)
                 VALUES (1, 0, 2, 'fold', '2026-01-01T00:00:00Z');",
            )
            .unwrap();
        }
        if version >= 3 {
            conn.execute_batch(
                "INSERT INTO reading_positions (doc_id, cursor_char, updated_at)
                 VALUES (1, 1, '2026-01-01T00:00:00Z');
                 INSERT INTO reader_panes (slot, doc_id, focused) VALUES (0, 1, 1);",
            )
            .unwrap();
        }
        if version >= 4 {
            let layers: i64 = conn
                .query_row(
                    "SELECT count(*) FROM layers WHERE kind = 'noise'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(layers, 1, "the layers moved to the rowid table");
            conn.execute_batch(
                "INSERT INTO layers (doc_id, kind, data) VALUES (1, 'char-index', x'0100');",
            )
            .unwrap();
        }
        if version >= 5 {
            conn.execute_batch(
                "INSERT INTO codebook (id, toml, revision, updated_at)
                 VALUES (1, '', 1, '2026-01-01T00:00:00Z');
                 INSERT INTO theme_suggestions (doc_id, start, end, theme, score, matched)
                 VALUES (1, 0, 2, 'talent', 0.7, '[]');
                 INSERT INTO theme_decisions (doc_id, start, end, theme, decision, created_at)
                 VALUES (1, 0, 2, 'talent', 'accepted', '2026-01-01T00:00:00Z');
                 INSERT INTO tagging_state (doc_id, codebook_revision, tagger_version,
                                            passages_key, passages, library_passages,
                                            term_counts, tagged_at)
                 VALUES (1, 1, 1, 0, 1, 1, '[[\"科技\",1]]', '2026-01-01T00:00:00Z');",
            )
            .unwrap();
        }
        if version >= 6 {
            conn.execute_batch(
                "INSERT INTO indexed_docs (doc_id, related) VALUES (1, 1);
                 INSERT INTO search_chunks
                     (doc_id, seq, view_start, view_end, byte_start, byte_end, map)
                 VALUES (1, 0, 0, 2, 0, 6, x'0002');
                 INSERT INTO search_grams (doc_id, data) VALUES (1, x'00');
                 INSERT INTO related_terms (id, term) VALUES (1, '科技');
                 INSERT INTO related_passages (doc_id, n, start, end, view_start, view_end, terms)
                 VALUES (1, 1, 0, 2, 0, 2, x'0101');
                 INSERT INTO related_postings (term_id, data) VALUES (1, x'00');
                 INSERT INTO related_state (id, passages, max_id, table_) VALUES (1, 1, 1, x'00');",
            )
            .unwrap();
        }
        if version >= 7 {
            conn.execute_batch(
                "INSERT INTO annotations (guid, doc_id, start, end, quote, prefix, suffix, color,
                                          note, tags, status, created_at, updated_at)
                 VALUES ('g', 1, 0, 2, '科技', '', '', 'yellow', '笔记', '[]', 'ok',
                         '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                 INSERT INTO events (at, kind, doc_id, change)
                 VALUES ('2026-01-01T00:00:00Z', 'annotation', 1, '{}');",
            )
            .unwrap();
        }
    }

    #[test]
    fn every_migration_applies_to_a_fresh_in_memory_db() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, LATEST);
        assert_eq!(version(&conn).unwrap(), LATEST);
        seed(&conn, LATEST);
    }

    #[test]
    fn every_migration_applies_to_a_db_made_by_the_previous_version() {
        for target in 1..=LATEST {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("lib.db");
            {
                let mut conn = Connection::open(&path).unwrap();
                migrate(&mut conn, target - 1);
                seed(&conn, target - 1);
            }
            let mut conn = Connection::open(&path).unwrap();
            migrate(&mut conn, target);
            assert_eq!(version(&conn).unwrap(), target);
            let docs: i64 = conn
                .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
                .unwrap();
            assert_eq!(
                docs,
                if target > 1 { 1 } else { 0 },
                "data kept at {target}"
            );
            assert_eq!(
                conn.query_row("PRAGMA foreign_key_check", [], |_| Ok(()))
                    .ok(),
                None,
                "no dangling references after migration {target}"
            );
            if target >= 8 {
                let text: Vec<u8> = conn
                    .query_row(
                        "SELECT bytes FROM text_parts WHERE doc_id = 1 AND part = 0",
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(text, "科技".as_bytes(), "the text kept at {target}");
            }
        }
    }
}
