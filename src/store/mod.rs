//! The library: one SQLite file holding every document's text and all layers over it.
//!
//! Opening applies the connection policy (WAL, foreign keys, a busy timeout, full sync) and the
//! numbered migrations. A file that is not a pizhu library, or a library from a newer pizhu, is
//! refused before anything is written to it. A library the user cannot write to opens
//! read-only: reading works, writing commands are refused with the reason.

mod annotations;
mod backup;
mod check;
mod documents;
mod error;
mod events;
mod layers;
pub mod migrations;
mod notes_import;
mod reader;
mod related_index;
pub mod search_index;
mod texts;
mod themes;

pub use check::{CheckReport, Problem};
pub use documents::NewDocument;
pub use error::StoreError;
pub use events::Change;
pub use notes_import::{
    DocTarget, ImportedAnnotation, ImportedDecision, NotesImport, NotesImported,
};
pub use reader::SavedPane;
pub use related_index::{RelatedPassage, RelatedState};
pub use themes::{DocTagging, TaggingState};

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a write waits for another pizhu process holding the library before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether opening the library at `path` will rewrite every text (a library from before
/// texts were kept in parts): a slow step, once, worth a word to the user before it starts.
/// Read from the file's header alone (`PRAGMA user_version` is bytes 60..64).
pub fn will_rewrite_texts(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 64];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut header));
    if read.is_err() || !header.starts_with(b"SQLite format 3\0") {
        return false;
    }
    let version = u32::from_be_bytes([header[60], header[61], header[62], header[63]]);
    (1..migrations::TEXTS_REWRITTEN).contains(&i64::from(version))
}

/// An open library.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    read_only: bool,
    /// The library file's identity when it was opened (see [`Store::file_moved`]).
    identity: Option<FileIdentity>,
}

/// What tells one file from another at the same path: device and inode on Unix.
type FileIdentity = (u64, u64);

fn identity(path: &Path) -> Option<FileIdentity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// What became of the library file since it was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileMoved {
    Deleted,
    Replaced,
}

impl Store {
    /// Opens (creating it and its parent folders on first use) the library at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if path.is_dir() {
            return Err(StoreError::IsDirectory(path.to_path_buf()));
        }
        if !path.exists()
            && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let conn = open_connection(path)?;
        let read_only = conn
            .is_readonly(rusqlite::MAIN_DB)
            .map_err(|e| StoreError::sqlite(&path.display().to_string(), e))?;
        let mut store = Store {
            conn,
            path: Some(path.to_path_buf()),
            read_only,
            identity: identity(path),
        };
        store.prepare()?;
        Ok(store)
    }

    /// A library that lives in memory only (the demo, tests); nothing touches the disk.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| StoreError::sqlite("memory", e))?;
        let mut store = Store {
            conn,
            path: None,
            read_only: false,
            identity: None,
        };
        store.prepare()?;
        Ok(store)
    }

    /// The library file, or `None` for an in-memory library.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A name for the library in messages: its path, or `in-memory library`.
    pub fn display_name(&self) -> String {
        match &self.path {
            Some(path) => path.display().to_string(),
            None => "in-memory library".to_string(),
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether the library file was deleted, or another file put at its path, since it was
    /// opened: this connection still reads and writes the file it opened, which nobody will
    /// find again.
    pub fn file_moved(&self) -> Option<FileMoved> {
        let (path, was) = (self.path.as_deref()?, self.identity?);
        match identity(path) {
            None if !path.exists() => Some(FileMoved::Deleted),
            Some(now) if now != was => Some(FileMoved::Replaced),
            _ => None,
        }
    }

    /// Fails with a message naming `action` when the library cannot be written.
    pub fn require_writable(&self, action: &str) -> Result<(), StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone().unwrap_or_default(),
                action: action.to_string(),
            });
        }
        Ok(())
    }

    /// Checks the schema version and brings the library up to date.
    fn prepare(&mut self) -> Result<(), StoreError> {
        let name = self.display_name();
        let found = migrations::version(&self.conn).map_err(|e| self.classify(e))?;
        if found > migrations::LATEST {
            return Err(StoreError::TooNew {
                path: PathBuf::from(&name),
                found,
                supported: migrations::LATEST,
            });
        }
        if found == 0 && self.has_foreign_tables().map_err(|e| self.classify(e))? {
            return Err(StoreError::NotALibrary(PathBuf::from(&name)));
        }
        if self.read_only {
            if found < migrations::LATEST {
                return Err(StoreError::ReadOnly {
                    path: PathBuf::from(&name),
                    action: "upgrading the library to this pizhu's format".to_string(),
                });
            }
            return Ok(());
        }
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .and_then(|_| self.conn.pragma_update(None, "journal_mode", "WAL"))
            .and_then(|_| self.conn.pragma_update(None, "synchronous", "NORMAL"))
            .and_then(|_| self.conn.pragma_update(None, "foreign_keys", "ON"))
            .map_err(|e| self.classify(e))?;
        if found < migrations::LATEST {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| StoreError::sqlite(&name, e))?;
            // Another process may have migrated while we waited for the write lock.
            let now = migrations::version(&tx).map_err(|e| StoreError::sqlite(&name, e))?;
            migrations::apply(&tx, now, migrations::LATEST)
                .and_then(|_| tx.commit())
                .map_err(|e| StoreError::sqlite(&name, e))?;
            if (1..migrations::TEXTS_REWRITTEN).contains(&now) {
                // The texts were rewritten in parts: give the pages of the old table back
                // instead of doubling the file. Nothing is lost if another process holds the
                // library and this fails: later imports reuse those pages.
                let _ = self.conn.execute_batch("VACUUM");
            }
        }
        Ok(())
    }

    /// True when a version-0 file already holds tables: some other program's database.
    fn has_foreign_tables(&self) -> rusqlite::Result<bool> {
        self.conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
            [],
            |row| row.get(0),
        )
    }

    /// Turns an SQLite error into the library error a user can act on.
    fn classify(&self, error: rusqlite::Error) -> StoreError {
        let path = PathBuf::from(self.display_name());
        match error.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase(path),
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
                path,
                action: "opening the library".to_string(),
            },
            _ => StoreError::sqlite(&self.display_name(), error),
        }
    }

    /// Starts a write transaction that takes the write lock at once (waiting up to the busy
    /// timeout), so two processes never deadlock upgrading read locks.
    pub(crate) fn write(&mut self, action: &str) -> Result<Transaction<'_>, StoreError> {
        self.require_writable(action)?;
        let name = self.display_name();
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::sqlite(&name, e))
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn err(&self, error: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.display_name(), error)
    }
}

/// Opens the SQLite file read-write, falling back to read-only and then to an immutable
/// snapshot when the file or its folder cannot be written (a WAL library needs its `-shm`).
fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let first = Connection::open_with_flags(path, flags);
    let failure = match first {
        Ok(conn) => match probe(&conn) {
            Ok(()) => return Ok(conn),
            Err(e) if is_access_error(&e) && path.exists() => e,
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
                return Err(StoreError::NotADatabase(path.to_path_buf()));
            }
            Err(e) => return Err(StoreError::sqlite(&path.display().to_string(), e)),
        },
        Err(e) if is_access_error(&e) && path.exists() => e,
        Err(e) => return Err(StoreError::sqlite(&path.display().to_string(), e)),
    };
    let uri = format!("file:{}?immutable=1", uri_path(path));
    let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri, read_only)
        .and_then(|conn| probe(&conn).map(|_| conn))
        .map_err(|e| match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase(path.to_path_buf()),
            _ => StoreError::sqlite(&path.display().to_string(), failure),
        })
}

/// Reads the schema: the first access that can fail on permissions or a non-database file.
fn probe(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
}

fn is_access_error(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied)
    )
}

/// Percent-encodes the characters that would end or confuse an SQLite URI path.
fn uri_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for c in absolute.to_string_lossy().chars() {
        match c {
            '?' | '#' | '%' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_library_is_created_with_its_folders_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/er/lib.db");
        let store = Store::open(&path).unwrap();
        assert!(path.exists());
        let mode: String = store
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store
            .conn()
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        assert_eq!(
            migrations::version(store.conn()).unwrap(),
            migrations::LATEST
        );
    }

    #[test]
    fn a_newer_library_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", migrations::LATEST + 1)
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
        assert!(err.to_string().contains("newer pizhu"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert!(!dir.path().join("lib.db-wal").exists());
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.db");
        std::fs::write(
            &path,
            b"this is not sqlite, just text that is long enough ....",
        )
        .unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::NotADatabase(_)), "{err}");
    }

    #[test]
    fn another_programs_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::NotALibrary(_)), "{err}");
    }

    #[test]
    fn a_directory_is_not_a_library() {
        let dir = tempfile::tempdir().unwrap();
        let err = Store::open(dir.path()).err().unwrap();
        assert!(matches!(err, StoreError::IsDirectory(_)), "{err}");
    }

    #[test]
    fn uri_paths_escape_query_characters() {
        assert!(uri_path(Path::new("/a/b?c#d%e")).ends_with("/a/b%3Fc%23d%25e"));
    }
}
