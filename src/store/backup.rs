//! Backups: a consistent copy of the library, also while other processes use it (SQLite's
//! `VACUUM INTO`), by default in `backups/` beside the library, named by the time.

use super::{Store, StoreError};
use std::path::{Path, PathBuf};

impl Store {
    /// The time now in UTC, formatted by SQLite's `strftime` with `format`.
    pub fn now(&self, format: &str) -> Result<String, StoreError> {
        self.conn()
            .query_row("SELECT strftime(?1, 'now')", [format], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Writes a consistent copy of the library to `path`, or with `None` to
    /// `backups/library-YYYYMMDD-HHMMSS.db` beside it; returns where. The file must not exist
    /// yet (its folder is made if need be).
    pub fn backup(&self, path: Option<&Path>) -> Result<PathBuf, StoreError> {
        let path = match path {
            Some(path) => path.to_path_buf(),
            None => {
                let library = self.path().ok_or_else(|| StoreError::Backup {
                    path: PathBuf::from("(memory)"),
                    why: "the demo library is in memory: give a file to back it up to".into(),
                })?;
                let stamp = self.now("%Y%m%d-%H%M%S")?;
                library
                    .parent()
                    .unwrap_or(Path::new("."))
                    .join("backups")
                    .join(format!("library-{stamp}.db"))
            }
        };
        let failed = |why: String| StoreError::Backup {
            path: path.clone(),
            why,
        };
        if path.exists() {
            return Err(failed("already exists; give a new file name".into()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| failed(format!("cannot make its folder: {e}")))?;
        }
        self.conn()
            .execute("VACUUM INTO ?1", [path.to_string_lossy()])
            .map_err(|e| failed(e.to_string()))?;
        Ok(path)
    }
}
