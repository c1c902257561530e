//! Import: from the files a user names to documents in the library.
//!
//! Each source is read and decoded ([`decode`]), its title and script detected, and its text
//! stored in one transaction. A text already in the library is reported instead of stored
//! twice (unless forced). One bad file is reported and skipped; the others go on.

pub mod decode;
mod mixed;
mod title;
pub mod update;
mod walk;

pub use walk::{Source, collect};

use crate::cancel::Cancel;
use crate::clean::{self, Cleaned};
use crate::doc::view::{View, ViewOptions};
use crate::doc::{DocId, Script, Span};
use crate::store::{NewDocument, Store, StoreError};
use crate::text::cursor::CharCursor;
use crate::text::script;
use decode::DecodeError;
use sha2::{Digest, Sha256};
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Choices the user makes for an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Decode with this encoding instead of detecting one.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Store a text even when the library already holds the same text.
    pub force: bool,
    /// Leave the search index to the first search (a faster import).
    pub defer_index: bool,
    /// Stops the import between reads and before a document is stored: the documents stored
    /// so far stay, the one being read is not stored, the rest are not started.
    pub cancel: Cancel,
}

/// Why one source could not be imported; the message names the source.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: no such file or folder", .0.display())]
    Missing(PathBuf),
    #[error("{}: permission denied", .0.display())]
    PermissionDenied(PathBuf),
    #[error("{}: no .txt or .md files in this folder", .0.display())]
    NoTextFiles(PathBuf),
    #[error("{source_label}: {error}")]
    Io {
        source_label: String,
        error: std::io::Error,
    },
    #[error("{source_label}: {error}")]
    Decode {
        source_label: String,
        error: DecodeError,
    },
    #[error("{0}: no text (only blank lines and spaces)")]
    Blank(String),
    #[error("{0}: not imported (cancelled)")]
    Cancelled(String),
}

impl ImportError {
    pub(crate) fn from_io(path: &Path, error: std::io::Error) -> ImportError {
        match error.kind() {
            std::io::ErrorKind::NotFound => ImportError::Missing(path.to_path_buf()),
            std::io::ErrorKind::PermissionDenied => {
                ImportError::PermissionDenied(path.to_path_buf())
            }
            _ => ImportError::Io {
                source_label: path.display().to_string(),
                error,
            },
        }
    }
}

/// What happened to one source.
#[derive(Debug)]
pub enum Outcome {
    Imported {
        id: DocId,
        source: String,
        title: String,
        encoding: String,
        script: Script,
        chars: usize,
    },
    /// The same text is already in the library as this document.
    Existing {
        id: DocId,
        source: String,
        title: String,
    },
    Failed(ImportError),
}

/// Hears about an import's progress (the CLI draws a bar, the reader a status line).
pub trait Observer {
    /// `position` bytes of the current source have been read (it may go back when a file is
    /// read a second time to decode after detection).
    fn read(&mut self, _position: u64) {}
    /// A source is done.
    fn done(&mut self, _outcome: &Outcome) {}
}

/// An observer that hears nothing.
pub struct Silent;
impl Observer for Silent {}

/// Imports every source in turn. Library errors (the library cannot be written) stop the
/// import and are returned; problems with one source become a failed [`Outcome`].
pub fn run(
    store: &mut Store,
    sources: &[Source],
    options: &ImportOptions,
    observer: &mut dyn Observer,
) -> Result<Vec<Outcome>, StoreError> {
    store.require_writable("importing")?;
    let mut outcomes = Vec::with_capacity(sources.len());
    for source in sources {
        if options.cancel.is_cancelled() {
            break;
        }
        let outcome = import_one(store, source, options, observer)?;
        if matches!(outcome, Outcome::Failed(ImportError::Cancelled(_))) {
            break;
        }
        observer.done(&outcome);
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

fn import_one(
    store: &mut Store,
    source: &Source,
    options: &ImportOptions,
    observer: &mut dyn Observer,
) -> Result<Outcome, StoreError> {
    let doc = match prepare(source, options, observer) {
        Ok(doc) => doc,
        Err(error) => return Ok(Outcome::Failed(error)),
    };
    if options.cancel.is_cancelled() {
        return Ok(Outcome::Failed(ImportError::Cancelled(doc.source)));
    }
    if !options.force
        && let Some(existing) = store.find_by_hash(&doc.content_hash)?
    {
        return Ok(Outcome::Existing {
            id: existing.id,
            source: doc.source,
            title: existing.title,
        });
    }
    let id = if options.defer_index {
        store.insert_document_unindexed(&doc)?
    } else {
        store.insert_document(&doc)?
    };
    Ok(Outcome::Imported {
        id,
        chars: doc.text.chars().count(),
        source: doc.source,
        title: doc.title,
        encoding: doc.encoding,
        script: doc.script,
    })
}

/// The hash a document's stored text is known by (SHA-256, hex): finds duplicates at import
/// and damaged texts in `pizhu check`.
pub fn content_hash(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// Reads, decodes and analyses one source into a document ready to store.
pub fn prepare(
    source: &Source,
    options: &ImportOptions,
    observer: &mut dyn Observer,
) -> Result<NewDocument, ImportError> {
    let label = source.label();
    // A read stopped by the cancel flag fails the decoding: say why instead.
    let decode_error = |error| {
        if options.cancel.is_cancelled() {
            ImportError::Cancelled(label.clone())
        } else {
            ImportError::Decode {
                source_label: label.clone(),
                error,
            }
        }
    };
    let (decoded, source_bytes, fallback_title) = match source {
        Source::File(path) => {
            let file = open_source(path).map_err(|e| ImportError::from_io(path, e))?;
            let meta = file.metadata().map_err(|e| ImportError::from_io(path, e))?;
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| label.clone());
            let decoded = if meta.is_file() {
                let reader = Progress::new(file, observer, &options.cancel);
                decode::decode(reader, options.encoding).map_err(decode_error)?
            } else {
                // FIFOs and process substitutions cannot seek: read them whole first.
                let patient = Patient {
                    inner: file,
                    cancel: &options.cancel,
                };
                let bytes = read_limited(patient).map_err(decode_error)?;
                decode::decode(Cursor::new(bytes), options.encoding).map_err(decode_error)?
            };
            (decoded, meta.len(), stem)
        }
        Source::Stdin => {
            let bytes = read_limited(std::io::stdin().lock()).map_err(decode_error)?;
            let size = bytes.len() as u64;
            let decoded =
                decode::decode(Cursor::new(bytes), options.encoding).map_err(decode_error)?;
            (decoded, size, "stdin".to_string())
        }
        Source::Embedded { name, bytes } => {
            let decoded =
                decode::decode(Cursor::new(*bytes), options.encoding).map_err(decode_error)?;
            (decoded, bytes.len() as u64, name.clone())
        }
    };
    let encoding = decoded.label();
    let text = decoded.text;
    if text.trim().is_empty() {
        return Err(ImportError::Blank(label));
    }
    if options.cancel.is_cancelled() {
        return Err(ImportError::Cancelled(label));
    }
    let cleaned = clean::clean(&text);
    let (title, script) = describe(&text, &cleaned, &fallback_title);
    let content_hash = content_hash(&text);
    Ok(NewDocument {
        title,
        source: label,
        encoding,
        script,
        text,
        source_bytes,
        content_hash,
        cleaned,
    })
}

/// A text already decoded (a source read from a notes file) prepared as [`prepare`] prepares
/// a file: cleaning, title (`fallback_title` when none is found), script, hash.
pub fn prepare_text(text: String, source: String, fallback_title: &str) -> NewDocument {
    let cleaned = clean::clean(&text);
    let (title, script) = describe(&text, &cleaned, fallback_title);
    let content_hash = content_hash(&text);
    NewDocument {
        title,
        source,
        encoding: "utf-8".to_string(),
        script,
        source_bytes: text.len() as u64,
        text,
        content_hash,
        cleaned,
    }
}

/// The beginning of a file, from about `max_bytes` of its whole lines, decoded but not yet
/// cleaned (no noise, no paragraphs; the file's stem as its title): what the reader shows
/// first while the file imports, as `less` would. Cleaning needs the cleaning rules compiled,
/// which takes longer than reading; [`clean_preview`] then finishes it. `content_hash` is
/// left empty. `None` unless the source is a regular file larger than `max_bytes` whose
/// beginning decodes to some text.
pub fn raw_preview(
    source: &Source,
    max_bytes: usize,
    options: &ImportOptions,
) -> Option<NewDocument> {
    let Source::File(path) = source else {
        return None;
    };
    // Only a regular file is opened: opening a FIFO would wait for a writer.
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() <= max_bytes as u64 {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::with_capacity(max_bytes);
    file.take(max_bytes as u64).read_to_end(&mut bytes).ok()?;
    // Cut after the last line feed (also UTF-16LE's second byte), so no character is cut.
    let mut cut = bytes.iter().rposition(|&b| b == b'\n')? + 1;
    if bytes.get(cut) == Some(&0) {
        cut += 1;
    }
    bytes.truncate(cut);
    let decoded = decode::decode(Cursor::new(bytes), options.encoding).ok()?;
    let encoding = decoded.label();
    let text = decoded.text;
    if text.trim().is_empty() {
        return None;
    }
    let title = path
        .file_stem()
        .map_or_else(|| source.label(), |s| s.to_string_lossy().into_owned());
    Some(NewDocument {
        title,
        source: source.label(),
        encoding,
        script: script::detect(&text),
        text,
        source_bytes: meta.len(),
        content_hash: String::new(),
        cleaned: Cleaned::default(),
    })
}

/// A [`raw_preview`] prepared as [`prepare`] prepares a whole file: cleaned, with the title
/// and script read from its reading view (the file's stem stays the title when none is found).
pub fn clean_preview(mut doc: NewDocument) -> NewDocument {
    doc.cleaned = clean::clean(&doc.text);
    let (title, script) = describe(&doc.text, &doc.cleaned, &doc.title);
    doc.title = title;
    doc.script = script;
    doc
}

/// How many leading body paragraphs may hold the title.
const TITLE_PARAGRAPHS: usize = 50;

/// Title and script, both read from the reading view (so CSS, spam, site chrome and pinyin
/// readings do not count) of the document's beginning.
fn describe(text: &str, cleaned: &Cleaned, fallback: &str) -> (String, Script) {
    let prefix_chars = cleaned
        .paragraphs
        .get(
            TITLE_PARAGRAPHS
                .min(cleaned.paragraphs.len())
                .saturating_sub(1),
        )
        .map_or(0, |p| p.end)
        .max(script::SAMPLE_CHARS);
    let prefix_bytes = text
        .char_indices()
        .nth(prefix_chars)
        .map_or(text.len(), |(at, _)| at);
    let folded: Vec<Span> = cleaned
        .noise
        .iter()
        .map(|n| n.span)
        .take_while(|s| s.start < prefix_chars)
        .map(|s| Span::new(s.start, s.end.min(prefix_chars)))
        .collect();
    // The title is the document's own words: no display-only full-width punctuation.
    let as_written = ViewOptions {
        fullwidth_punct: false,
    };
    let view = View::build(&text[..prefix_bytes], &folded, &as_written);
    let in_prefix: Vec<Span> = cleaned
        .paragraphs
        .iter()
        .take(TITLE_PARAGRAPHS)
        .filter(|p| p.end <= prefix_chars)
        .copied()
        .collect();
    let shown = view.text();
    let mut cursor = CharCursor::new(shown);
    let slices = view
        .view_paragraphs(&in_prefix)
        .into_iter()
        .filter_map(move |p| cursor.slice(p));
    (title::pick(slices, fallback), script::detect(shown))
}

/// Reads a stream that cannot seek, refusing more than the file size limit.
/// Opens a file to import. A FIFO (or a process substitution's pipe) is opened without
/// waiting for a writer, so one nobody writes to reads as empty instead of hanging.
fn open_source(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt as _, OpenOptionsExt as _};
        if std::fs::metadata(path)?.file_type().is_fifo() {
            return std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(path);
        }
    }
    std::fs::File::open(path)
}

/// A pipe opened without blocking, read as a blocking one: while a writer has sent nothing
/// yet, wait a moment and try again (with no writer left, a read returns the end). A
/// cancelled import stops waiting.
struct Patient<'a, R> {
    inner: R,
    cancel: &'a Cancel,
}

impl<R: Read> Read for Patient<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if self.cancel.is_cancelled() {
                        return Err(std::io::Error::other("cancelled"));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                other => return other,
            }
        }
    }
}

fn read_limited(reader: impl Read) -> Result<Vec<u8>, DecodeError> {
    let mut bytes = Vec::new();
    reader
        .take(decode::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > decode::MAX_FILE_BYTES {
        return Err(DecodeError::TooLarge {
            size: bytes.len() as u64,
            limit: decode::MAX_FILE_BYTES,
        });
    }
    Ok(bytes)
}

/// A file reader that tells the observer how far it has read, and stops reading when the
/// import is cancelled.
struct Progress<'a, R> {
    inner: R,
    position: u64,
    observer: &'a mut dyn Observer,
    cancel: &'a Cancel,
}

impl<'a, R> Progress<'a, R> {
    fn new(inner: R, observer: &'a mut dyn Observer, cancel: &'a Cancel) -> Self {
        Progress {
            inner,
            position: 0,
            observer,
            cancel,
        }
    }
}

impl<R: Read> Read for Progress<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.is_cancelled() {
            return Err(std::io::Error::other("cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.position += n as u64;
        self.observer.read(self.position);
        Ok(n)
    }
}

impl<R: Seek> Seek for Progress<'_, R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.position = self.inner.seek(pos)?;
        Ok(self.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fixtures::{KEJI, QUANQIU, RONGHE};

    fn sources() -> Vec<Source> {
        [("keji", KEJI), ("quanqiu", QUANQIU), ("ronghe", RONGHE)]
            .into_iter()
            .map(|(name, text)| Source::Embedded {
                name: name.to_string(),
                bytes: text.as_bytes(),
            })
            .collect()
    }

    /// Cancels the import once `after` sources are done.
    struct CancelAfter {
        after: usize,
        done: usize,
        cancel: Cancel,
    }

    impl Observer for CancelAfter {
        fn done(&mut self, _outcome: &Outcome) {
            self.done += 1;
            if self.done == self.after {
                self.cancel.cancel();
            }
        }
    }

    #[test]
    fn a_cancelled_import_keeps_the_documents_stored_and_starts_no_other() {
        let mut store = Store::open_in_memory().expect("store");
        let options = ImportOptions::default();
        let mut observer = CancelAfter {
            after: 1,
            done: 0,
            cancel: options.cancel.clone(),
        };
        let outcomes = run(&mut store, &sources(), &options, &mut observer).expect("import");
        assert_eq!(outcomes.len(), 1, "{outcomes:?}");
        assert!(matches!(outcomes[0], Outcome::Imported { .. }));
        let stored = store.list_documents().expect("list");
        assert_eq!(stored.len(), 1);
        assert!(store.check().expect("check").problems.is_empty());
    }

    #[test]
    fn a_source_being_read_when_the_import_is_cancelled_is_not_stored() {
        let mut store = Store::open_in_memory().expect("store");
        let options = ImportOptions::default();
        options.cancel.cancel();
        let outcomes = run(&mut store, &sources(), &options, &mut Silent).expect("import");
        assert!(outcomes.is_empty());
        let doc = import_one(&mut store, &sources()[0], &options, &mut Silent).expect("one");
        assert!(
            matches!(&doc, Outcome::Failed(ImportError::Cancelled(name)) if name == "demo:keji"),
            "{doc:?}"
        );
        assert!(store.list_documents().expect("list").is_empty());
    }
}
