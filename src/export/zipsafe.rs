//! Reading a `.qdpx` from elsewhere without trusting it: entry names with `..` or absolute
//! paths are refused, and so is a zip whose entries would expand to more than
//! [`MAX_TOTAL_BYTES`] or by more than [`MAX_RATIO`] times their compressed size (a zip bomb).
//! Sizes are checked as declared and again while reading, since a declaration can lie.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::ExportError;

/// The most a project may expand to, all entries together.
pub const MAX_TOTAL_BYTES: u64 = 1 << 30;
/// The highest compression ratio accepted for an entry larger than [`RATIO_FREE_BYTES`].
pub const MAX_RATIO: u64 = 100;
/// Entries up to this size may compress as well as they like.
const RATIO_FREE_BYTES: u64 = 1 << 20;

/// The entries of a checked zip, by name, read on demand.
pub struct SafeZip<'a> {
    file: &'a str,
    archive: ZipArchive<Cursor<&'a [u8]>>,
    names: HashMap<String, usize>,
    read_so_far: u64,
}

impl<'a> SafeZip<'a> {
    /// Opens `bytes` (named `file` in errors) and checks every entry's name and sizes.
    pub fn open(file: &'a str, bytes: &'a [u8]) -> Result<SafeZip<'a>, ExportError> {
        let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            ExportError::input(
                file,
                format!("not a readable zip (truncated or damaged?): {e}"),
            )
        })?;
        let mut names = HashMap::new();
        let mut total: u64 = 0;
        for i in 0..archive.len() {
            let entry = archive
                .by_index_raw(i)
                .map_err(|e| ExportError::input(file, format!("damaged zip entry {i}: {e}")))?;
            let raw = entry
                .name()
                .map_err(|e| ExportError::input(file, format!("zip entry {i}: bad name: {e}")))?
                .into_owned();
            if raw.starts_with('/')
                || raw.starts_with('\\')
                || raw.split(['/', '\\']).any(|p| p == "..")
                || entry.enclosed_name().is_none()
            {
                return Err(ExportError::input(
                    file,
                    format!("zip entry {raw:?} points outside the archive; refused"),
                ));
            }
            let size = entry.size();
            let packed = entry.compressed_size().max(1);
            if size > RATIO_FREE_BYTES && size / packed > MAX_RATIO {
                return Err(ExportError::input(
                    file,
                    format!(
                        "zip entry {raw:?} would expand {}× (to {size} bytes): a zip bomb? refused",
                        size / packed
                    ),
                ));
            }
            total = total.saturating_add(size);
            if total > MAX_TOTAL_BYTES {
                return Err(ExportError::input(
                    file,
                    format!("the zip would expand to more than {MAX_TOTAL_BYTES} bytes; refused"),
                ));
            }
            names.insert(raw.replace('\\', "/"), i);
        }
        Ok(SafeZip {
            file,
            archive,
            names,
            read_so_far: 0,
        })
    }

    /// True when the zip has an entry named `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }

    /// The bytes of entry `name`, read with the limits in force.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, ExportError> {
        let file = self.file;
        let &index = self
            .names
            .get(name)
            .ok_or_else(|| ExportError::input(file, format!("the zip has no {name}")))?;
        let entry = self
            .archive
            .by_index(index)
            .map_err(|e| ExportError::input(file, format!("{name}: {e}")))?;
        let packed = entry.compressed_size().max(1);
        let declared = entry.size();
        let limit = (MAX_TOTAL_BYTES - self.read_so_far).min(
            declared
                .max(RATIO_FREE_BYTES)
                .min(packed.saturating_mul(MAX_RATIO).max(RATIO_FREE_BYTES)),
        );
        let mut bytes = Vec::with_capacity(usize::try_from(declared.min(limit)).unwrap_or(0));
        entry
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ExportError::input(file, format!("{name}: damaged in the zip: {e}")))?;
        if bytes.len() as u64 > limit || bytes.len() as u64 != declared {
            return Err(ExportError::input(
                file,
                format!("{name}: expands beyond its declared size; refused"),
            ));
        }
        self.read_so_far += bytes.len() as u64;
        Ok(bytes)
    }
}
