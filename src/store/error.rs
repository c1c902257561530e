//! Errors of the library store, each a one-line message naming the library file.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: is a folder; the library is a file (give a file path with --db)", .0.display())]
    IsDirectory(PathBuf),
    #[error("{}: cannot create the library's folder: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a pizhu library (file is not a database)", .0.display())]
    NotADatabase(PathBuf),
    #[error("{}: not a pizhu library (an SQLite database of another program)", .0.display())]
    NotALibrary(PathBuf),
    #[error(
        "{}: library written by a newer pizhu (schema version {found}, this pizhu knows up to {supported}); upgrade pizhu to open it",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{}: library is read-only, so {action} is not possible (check the file's permissions)", path.display())]
    ReadOnly { path: PathBuf, action: String },
    /// Any other SQLite error (not a `source`: its message is this one's, said once).
    #[error("{library}: {error}")]
    Sqlite {
        library: String,
        error: rusqlite::Error,
    },
    #[error(
        "{library}: the disk is full; the change was not written (free some space and try again)"
    )]
    DiskFull { library: String },
    #[error(
        "{library}: {error}; the change was not written (is the disk full or failing? free some space, then run `pizhu check`)"
    )]
    Io {
        library: String,
        error: rusqlite::Error,
    },
    #[error(
        "{library}: the library file is damaged ({error}); `pizhu check` says what is wrong, and README's \"When something goes wrong\" how to recover"
    )]
    Damaged {
        library: String,
        error: rusqlite::Error,
    },
    #[error(
        "the library's layers of document #{doc} are damaged; rebuild them with `pizhu reclean {doc} --force`"
    )]
    CorruptLayer { doc: i64 },
    #[error(
        "{}: the library's codebook is damaged ({message}); replace it with `pizhu themes import FILE`",
        path.display()
    )]
    CorruptCodebook { path: PathBuf, message: String },
    #[error("{0}")]
    Codebook(#[from] crate::themes::CodebookError),
    #[error(
        "the library's related-passages index is damaged; rebuild it with `pizhu reclean --force`"
    )]
    CorruptIndex,
    #[error("{}: {why}", path.display())]
    Backup { path: PathBuf, why: String },
    #[error("no annotation #{0} (see `pizhu notes`)")]
    NoSuchAnnotation(i64),
    #[error("annotation #{0} was moved meanwhile; look at it again")]
    AnnotationMoved(i64),
    #[error(
        "#{doc} has {chars} characters; {start}..{end} is not a span of it (start < end ≤ {chars})"
    )]
    SpanOutOfRange {
        doc: i64,
        start: usize,
        end: usize,
        chars: usize,
    },
    #[error("the library's undo log is damaged ({0})")]
    CorruptEvent(String),
    #[error("no document matches \"{0}\" (see `pizhu list`)")]
    NoSuchDocument(String),
    #[error("\"{query}\" matches {count} documents: {candidates}; use the id")]
    Ambiguous {
        query: String,
        count: usize,
        candidates: String,
    },
}

impl StoreError {
    /// An SQLite error of the library `library`: a full disk, an I/O failure and a damaged
    /// file are told apart, with what to do.
    pub(crate) fn sqlite(library: &str, error: rusqlite::Error) -> StoreError {
        let library = library.to_string();
        match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull { library },
            Some(rusqlite::ErrorCode::SystemIoFailure) => StoreError::Io { library, error },
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::Damaged { library, error },
            _ => StoreError::Sqlite { library, error },
        }
    }
}
