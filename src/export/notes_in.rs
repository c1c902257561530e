//! `pizhu import-notes FILE`: what kind of file it is (a zip: a REFI-QDA project; JSON:
//! pizhu's W3C export), read and checked whole into a [`NotesImport`] before anything is
//! written, then written by the store in one transaction.

use super::{ExportError, json_in, qdpx_in};
use crate::store::{NotesImport, NotesImported, Store};

/// Reads the notes file `bytes` (named `file` in errors) into what importing it adds.
pub fn read(store: &Store, file: &str, bytes: &[u8]) -> Result<NotesImport, ExportError> {
    if bytes.starts_with(b"PK") {
        return qdpx_in::read(store, file, bytes);
    }
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &bytes[i..])
        .unwrap_or_default();
    let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    if start.starts_with(b"{") || start.starts_with(b"[") {
        return json_in::read(store, file, bytes);
    }
    Err(ExportError::input(
        file,
        "neither a REFI-QDA project (.qdpx) nor pizhu's JSON export",
    ))
}

/// Reads and imports a notes file: all of it or, on any error, nothing.
pub fn import(store: &mut Store, file: &str, bytes: &[u8]) -> Result<NotesImported, ExportError> {
    let plan = read(store, file, bytes)?;
    Ok(store.import_notes(&plan)?)
}
