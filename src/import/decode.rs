//! Turning the bytes of an imported text file into the document's stored text.
//!
//! The input is decoded to UTF-8 (honouring a byte order mark, a user-forced
//! encoding, valid UTF-8, BOM-less UTF-16, and finally `chardetng` detection,
//! in that order), line endings are normalised (CRLF and lone CR become LF) and
//! nothing else is changed: a leading BOM is dropped, every other character is
//! kept. Binary files (NUL bytes, well-known magic numbers, mostly control
//! characters) are refused, and so are empty and oversized files.
//!
//! Decoding streams the file in chunks into one output `String`, so memory
//! stays within a small multiple of the file size.

use std::io::{self, Read, Seek, SeekFrom};

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};

pub use super::mixed::Repair;

/// Inputs larger than this many bytes are refused.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

const MIB: u64 = 1024 * 1024;
/// Bytes read and decoded at a time.
const CHUNK_BYTES: usize = 256 * 1024;
/// Prefix inspected for magic numbers, NUL bytes and BOM-less UTF-16.
const SNIFF_BYTES: usize = 64 * 1024;
/// Non-ASCII input fed to `chardetng` (which runs at about 15 MB/s; this
/// much Chinese text is plenty to tell GBK from Big5).
const DETECT_BYTES: usize = 256 * 1024;
/// Characters at the start of the decoded text checked for control characters.
const CONTROL_SAMPLE_CHARS: usize = 64 * 1024;

/// A decoded text file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with LF line endings and without a leading BOM.
    pub text: String,
    /// Canonical lower-case encoding label, e.g. `"utf-8"`, `"gbk"`, `"big5"`.
    pub encoding: &'static str,
    /// Whether the file started with a byte order mark (which was dropped).
    pub bom: bool,
    /// Whether the encoding was guessed (BOM-less UTF-16 or `chardetng`);
    /// false when it was forced, given by a BOM, or the file is valid UTF-8.
    pub detected: bool,
    /// A mostly-UTF-8 file decoded line by line: what had to be repaired.
    pub repair: Option<Repair>,
}

impl Decoded {
    /// The encoding as the library records it: the label, or what a repair did.
    pub fn label(&self) -> String {
        self.repair
            .as_ref()
            .map_or_else(|| self.encoding.to_string(), Repair::label)
    }
}

/// Why a file could not be turned into text. Messages are lower-case
/// one-liners without the file name; callers prefix `path: `.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The file has no bytes, or only a byte order mark.
    #[error("empty file")]
    Empty,
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("file is {} MiB, larger than the {} MiB limit", size.div_ceil(MIB), limit / MIB)]
    TooLarge {
        /// Size of the file in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file looks binary.
    #[error("binary file ({reason}), not text")]
    Binary {
        /// What gave it away, e.g. "contains NUL bytes", "looks like a PNG image".
        reason: &'static str,
    },
    /// The file is not valid in the forced (or BOM-declared) encoding.
    #[error("not valid {encoding} text (malformed byte at offset {byte_offset})")]
    Malformed {
        /// Canonical lower-case label of the encoding.
        encoding: &'static str,
        /// Offset in the file of the first byte of the malformed sequence.
        byte_offset: u64,
    },
    /// No encoding could be detected that decodes the whole file.
    #[error("could not detect the text encoding; name it with --encoding (e.g. --encoding gbk)")]
    Undetectable,
    /// A user-given encoding name is not known.
    #[error("unknown encoding {label:?} (try utf-8, gb18030, gbk, big5, utf-16le or utf-16be)")]
    UnknownEncoding {
        /// The label as given.
        label: String,
    },
    /// Reading the file failed.
    #[error("could not read the file: {0}")]
    Io(#[from] io::Error),
}

/// Resolve a user-given encoding name (`gbk`, `GB18030`, `big5`, `utf8`,
/// `utf-16le`, `cp936`...) using the WHATWG labels known to `encoding_rs`,
/// plus a few common Windows code page names.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, DecodeError> {
    let trimmed = label.trim().to_ascii_lowercase();
    let alias = match trimmed.as_str() {
        "cp936" | "ms936" | "windows-936" => "gbk",
        "cp54936" | "windows-54936" | "gb-18030" => "gb18030",
        "cp950" | "ms950" | "windows-950" | "big-5" => "big5",
        "utf16" | "utf16le" | "utf-16-le" | "cp1200" => "utf-16le",
        "utf16be" | "utf-16-be" | "cp1201" => "utf-16be",
        "cp65001" => "utf-8",
        other => other,
    };
    Encoding::for_label_no_replacement(alias.as_bytes()).ok_or_else(|| {
        DecodeError::UnknownEncoding {
            label: label.to_owned(),
        }
    })
}

/// Decode a whole file from a seekable reader into text.
///
/// `forced` skips detection (a BOM of the same encoding is still dropped).
/// The reader may be read twice: once to detect the encoding, once to decode.
pub fn decode<R: Read + Seek>(
    reader: R,
    forced: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    decode_chunked(reader, forced, CHUNK_BYTES)
}

/// [`decode`] with a given chunk size (small in tests, to hit chunk boundaries).
fn decode_chunked<R: Read + Seek>(
    mut reader: R,
    forced: Option<&'static Encoding>,
    chunk: usize,
) -> Result<Decoded, DecodeError> {
    let size = reader.seek(SeekFrom::End(0))?;
    if size > MAX_FILE_BYTES {
        return Err(too_large(size));
    }
    reader.seek(SeekFrom::Start(0))?;
    let mut prefix = Vec::with_capacity(SNIFF_BYTES.min(to_usize(size)));
    (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut prefix)?;
    if prefix.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(reason) = magic_number(&prefix) {
        return Err(DecodeError::Binary { reason });
    }
    let whole_in_prefix = (prefix.len() as u64) >= size;
    let bom = Encoding::for_bom(&prefix);
    let mut source = Source {
        reader,
        size,
        chunk: chunk.max(1),
    };

    // A forced encoding (which skips a BOM only if the BOM is its own), else a BOM, decides
    // without detection.
    let decided = match forced {
        Some(enc) => Some(match bom {
            Some((bom_enc, len)) if bom_enc == enc => (enc, len),
            _ => (enc, 0),
        }),
        None => bom,
    };
    let decoded = if let Some((enc, bom_len)) = decided {
        if !is_utf16(enc) {
            reject_nul(&prefix)?;
        }
        let text = source
            .decode(enc, bom_len as u64)
            .map_err(|f| f.into_error(|at| malformed(enc, at)))?;
        Decoded {
            text,
            encoding: canonical_name(enc),
            bom: bom_len > 0,
            detected: false,
            repair: None,
        }
    } else if let Some(enc) = sniff_utf16(&prefix, whole_in_prefix) {
        let text = source
            .decode(enc, 0)
            .map_err(|f| f.into_error(|_| DecodeError::Undetectable))?;
        Decoded {
            text,
            encoding: canonical_name(enc),
            bom: false,
            detected: true,
            repair: None,
        }
    } else {
        reject_nul(&prefix)?;
        drop(prefix);
        match source.decode(UTF_8, 0) {
            Ok(text) => Decoded {
                text,
                encoding: canonical_name(UTF_8),
                bom: false,
                detected: false,
                repair: None,
            },
            Err(Failure::Malformed(utf8_offset)) => {
                // Mostly UTF-8 with damaged bytes or lines in another encoding: line by line.
                let bytes = source
                    .read_all()
                    .map_err(|f| f.into_error(|_| DecodeError::Undetectable))?;
                if let Some((text, repair)) = super::mixed::decode(&bytes) {
                    return finish(Decoded {
                        text,
                        encoding: canonical_name(UTF_8),
                        bom: false,
                        detected: true,
                        repair: Some(repair),
                    });
                }
                drop(bytes);
                // The guessing pass only reads, so it never reports malformed input.
                let enc = source
                    .guess()
                    .map_err(|f| f.into_error(|_| DecodeError::Undetectable))?;
                if enc == UTF_8 {
                    // The detector saw only valid UTF-8: the bad bytes come later.
                    return Err(malformed(UTF_8, utf8_offset));
                }
                let text = source
                    .decode(enc, 0)
                    .map_err(|f| f.into_error(|_| DecodeError::Undetectable))?;
                Decoded {
                    text,
                    encoding: canonical_name(enc),
                    bom: false,
                    detected: true,
                    repair: None,
                }
            }
            Err(other) => return Err(other.into_error(|at| malformed(UTF_8, at))),
        }
    };
    finish(decoded)
}

/// The checks every decoded text passes: not empty, not mostly control characters.
fn finish(decoded: Decoded) -> Result<Decoded, DecodeError> {
    if decoded.text.is_empty() {
        return Err(DecodeError::Empty);
    }
    reject_controls(&decoded.text)?;
    Ok(decoded)
}

/// Why a streaming pass stopped.
enum Failure {
    Io(io::Error),
    TooLarge(u64),
    /// Offset in the file of the first malformed byte.
    Malformed(u64),
}

impl Failure {
    fn into_error(self, on_malformed: impl FnOnce(u64) -> DecodeError) -> DecodeError {
        match self {
            Failure::Io(e) => DecodeError::Io(e),
            Failure::TooLarge(size) => too_large(size),
            Failure::Malformed(at) => on_malformed(at),
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

fn too_large(size: u64) -> DecodeError {
    DecodeError::TooLarge {
        size,
        limit: MAX_FILE_BYTES,
    }
}

fn malformed(enc: &'static Encoding, byte_offset: u64) -> DecodeError {
    DecodeError::Malformed {
        encoding: canonical_name(enc),
        byte_offset,
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

fn is_utf16(enc: &'static Encoding) -> bool {
    enc == UTF_16LE || enc == UTF_16BE
}

/// The file being decoded, with the position bookkeeping for streaming passes.
struct Source<R> {
    reader: R,
    size: u64,
    chunk: usize,
}

impl<R: Read + Seek> Source<R> {
    /// Decode the file from byte `start` to the end with `enc`, strictly.
    fn decode(&mut self, enc: &'static Encoding, start: u64) -> Result<String, Failure> {
        self.reader.seek(SeekFrom::Start(start))?;
        let remaining = to_usize(self.size.saturating_sub(start));
        if enc == UTF_8 {
            self.decode_utf8(start, remaining)
        } else {
            self.decode_other(enc, start, remaining)
        }
    }

    /// The whole file, within the size limit.
    fn read_all(&mut self) -> Result<Vec<u8>, Failure> {
        self.reader.seek(SeekFrom::Start(0))?;
        let mut bytes = Vec::with_capacity(to_usize(self.size));
        (&mut self.reader)
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)?;
        match bytes.len() as u64 {
            n if n > MAX_FILE_BYTES => Err(Failure::TooLarge(n)),
            _ => Ok(bytes),
        }
    }

    /// Fill `buf` as far as the file allows; `pos` is the file offset of
    /// `buf[0]`, used to enforce the size limit on files that grow.
    fn read_chunk(&mut self, buf: &mut [u8], pos: u64) -> Result<usize, Failure> {
        let mut n = 0;
        while n < buf.len() {
            match self.reader.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Failure::Io(e)),
            }
        }
        let end = pos + n as u64;
        if end > MAX_FILE_BYTES {
            return Err(Failure::TooLarge(end));
        }
        Ok(n)
    }

    /// UTF-8 fast path: validate and copy with line-end normalisation in one pass.
    fn decode_utf8(&mut self, start: u64, remaining: usize) -> Result<String, Failure> {
        let mut out = String::with_capacity(remaining);
        let mut lines = LineEnds::default();
        // Room for up to 3 bytes of an incomplete sequence carried over.
        let mut buf = vec![0u8; self.chunk + 3];
        let mut carry = 0;
        // File offset of buf[0].
        let mut base = start;
        loop {
            let n = self.read_chunk(&mut buf[carry..], base + carry as u64)?;
            if n == 0 {
                if carry > 0 {
                    return Err(Failure::Malformed(base));
                }
                return Ok(out);
            }
            let filled = carry + n;
            let split = complete_utf8_len(&buf[..filled]);
            match simdutf8::compat::from_utf8(&buf[..split]) {
                Ok(s) => lines.push(s, &mut out),
                Err(e) => return Err(Failure::Malformed(base + e.valid_up_to() as u64)),
            }
            buf.copy_within(split..filled, 0);
            carry = filled - split;
            base += split as u64;
        }
    }

    /// Any other encoding, through `encoding_rs`, without replacement.
    fn decode_other(
        &mut self,
        enc: &'static Encoding,
        start: u64,
        remaining: usize,
    ) -> Result<String, Failure> {
        let mut decoder = enc.new_decoder_without_bom_handling();
        // UTF-16 and the CJK multi-byte encodings need at most 3 UTF-8 bytes
        // for every 2 input bytes; anything else grows the string as needed.
        let mut out = String::with_capacity(remaining.saturating_add(remaining / 2));
        let mut lines = LineEnds::default();
        let mut buf = vec![0u8; self.chunk];
        let scratch_len = decoder
            .max_utf8_buffer_length_without_replacement(self.chunk)
            .unwrap_or(self.chunk.saturating_mul(4));
        let mut scratch = String::with_capacity(scratch_len);
        let mut pos = start;
        loop {
            let n = self.read_chunk(&mut buf, pos)?;
            let last = n < buf.len();
            let mut consumed = 0;
            loop {
                let (result, read) = decoder.decode_to_string_without_replacement(
                    &buf[consumed..n],
                    &mut scratch,
                    last,
                );
                consumed += read;
                lines.push(&scratch, &mut out);
                scratch.clear();
                match result {
                    DecoderResult::InputEmpty => break,
                    DecoderResult::OutputFull => {}
                    DecoderResult::Malformed(bad, extra) => {
                        let end = pos + consumed as u64;
                        let at = end.saturating_sub(u64::from(extra) + u64::from(bad));
                        return Err(Failure::Malformed(at));
                    }
                }
            }
            pos += n as u64;
            if last {
                return Ok(out);
            }
        }
    }

    /// Let `chardetng` guess the encoding from a prefix of the file: any
    /// leading ASCII (cheap for the detector) plus [`DETECT_BYTES`] after the
    /// chunk where non-ASCII bytes first appear.
    fn guess(&mut self) -> Result<&'static Encoding, Failure> {
        self.reader.seek(SeekFrom::Start(0))?;
        let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
        let mut buf = vec![0u8; self.chunk.min(DETECT_BYTES)];
        let mut fed = 0u64;
        let mut stop_at = None;
        loop {
            let want = match stop_at {
                Some(end) => to_usize(end - fed).min(buf.len()),
                None => buf.len(),
            };
            if want == 0 {
                break;
            }
            let n = self.read_chunk(&mut buf[..want], fed)?;
            let eof = n < want;
            let non_ascii_seen = detector.feed(&buf[..n], eof);
            fed += n as u64;
            if eof {
                break;
            }
            if non_ascii_seen && stop_at.is_none() {
                stop_at = Some(fed + DETECT_BYTES as u64);
            }
        }
        Ok(detector.guess(None, Utf8Detection::Allow))
    }
}

/// Length of `bytes` without a trailing incomplete (but so far plausible)
/// UTF-8 sequence, which is carried over to the next chunk.
fn complete_utf8_len(bytes: &[u8]) -> usize {
    let len = bytes.len();
    for back in 1..=len.min(4) {
        let b = bytes[len - back];
        if b & 0xC0 != 0x80 {
            let needed = match b {
                0xF0..=0xFF => 4,
                0xE0..=0xEF => 3,
                0xC0..=0xDF => 2,
                _ => 1,
            };
            return if back < needed { len - back } else { len };
        }
    }
    len
}

/// Streaming CRLF / lone CR to LF conversion that survives chunk boundaries.
#[derive(Default)]
pub(super) struct LineEnds {
    /// The previous piece ended with CR, so a leading LF is part of that CRLF.
    after_cr: bool,
}

impl LineEnds {
    pub(super) fn push(&mut self, mut s: &str, out: &mut String) {
        if s.is_empty() {
            return;
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = s.strip_prefix('\n') {
                s = rest;
            }
        }
        while let Some(i) = s.find('\r') {
            out.push_str(&s[..i]);
            out.push('\n');
            s = &s[i + 1..];
            if s.is_empty() {
                self.after_cr = true;
                return;
            }
            if let Some(rest) = s.strip_prefix('\n') {
                s = rest;
            }
        }
        out.push_str(s);
    }
}

/// Canonical lower-case label of an encoding.
pub(super) fn canonical_name(enc: &'static Encoding) -> &'static str {
    match enc.name() {
        "UTF-8" => "utf-8",
        "UTF-16LE" => "utf-16le",
        "UTF-16BE" => "utf-16be",
        "GBK" => "gbk",
        "Big5" => "big5",
        "EUC-JP" => "euc-jp",
        "EUC-KR" => "euc-kr",
        "Shift_JIS" => "shift_jis",
        "ISO-2022-JP" => "iso-2022-jp",
        "IBM866" => "ibm866",
        "KOI8-R" => "koi8-r",
        "KOI8-U" => "koi8-u",
        "ISO-8859-2" => "iso-8859-2",
        "ISO-8859-3" => "iso-8859-3",
        "ISO-8859-4" => "iso-8859-4",
        "ISO-8859-5" => "iso-8859-5",
        "ISO-8859-6" => "iso-8859-6",
        "ISO-8859-7" => "iso-8859-7",
        "ISO-8859-8" => "iso-8859-8",
        "ISO-8859-8-I" => "iso-8859-8-i",
        "ISO-8859-10" => "iso-8859-10",
        "ISO-8859-13" => "iso-8859-13",
        "ISO-8859-14" => "iso-8859-14",
        "ISO-8859-15" => "iso-8859-15",
        "ISO-8859-16" => "iso-8859-16",
        // The remaining names (gb18030, windows-1252, macintosh...) are lower-case already.
        other => other,
    }
}

/// Well-known binary formats, recognised by their first bytes.
fn magic_number(prefix: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "looks like a PNG image"),
        (b"\xff\xd8\xff", "looks like a JPEG image"),
        (b"GIF87a", "looks like a GIF image"),
        (b"GIF89a", "looks like a GIF image"),
        (b"%PDF-", "looks like a PDF document"),
        (
            b"PK\x03\x04",
            "looks like a ZIP archive, e.g. .docx or .epub",
        ),
        (
            b"PK\x05\x06",
            "looks like a ZIP archive, e.g. .docx or .epub",
        ),
        (b"\x1f\x8b", "looks like a gzip archive"),
        (b"\x7fELF", "looks like an ELF executable"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| prefix.starts_with(magic))
        .map(|&(_, reason)| reason)
}

fn reject_nul(prefix: &[u8]) -> Result<(), DecodeError> {
    if prefix.contains(&0) {
        Err(DecodeError::Binary {
            reason: "contains NUL bytes",
        })
    } else {
        Ok(())
    }
}

/// Refuse text whose start is more than 10% C0 control characters
/// (other than tab, LF, CR and form feed).
fn reject_controls(text: &str) -> Result<(), DecodeError> {
    let (mut total, mut controls) = (0usize, 0usize);
    for c in text.chars().take(CONTROL_SAMPLE_CHARS) {
        total += 1;
        if c < ' ' && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            controls += 1;
        }
    }
    if controls * 10 > total {
        Err(DecodeError::Binary {
            reason: "mostly control characters",
        })
    } else {
        Ok(())
    }
}

/// Recognise BOM-less UTF-16 in the file's prefix: NUL bytes in the high-byte
/// position of one byte order, and a strict decode that gives plausible text.
fn sniff_utf16(prefix: &[u8], whole: bool) -> Option<&'static Encoding> {
    let (mut nul_even, mut nul_odd) = (0usize, 0usize);
    for pair in prefix.chunks_exact(2) {
        nul_even += usize::from(pair[0] == 0);
        nul_odd += usize::from(pair[1] == 0);
    }
    let units = prefix.len() / 2;
    // In UTF-16LE the high byte (odd position) of ASCII characters is NUL.
    let mut candidates = [(UTF_16LE, nul_odd, nul_even), (UTF_16BE, nul_even, nul_odd)];
    candidates.sort_by_key(|&(_, high, _)| std::cmp::Reverse(high));
    candidates
        .into_iter()
        // At least 1 in 200 code units ASCII, and more NULs where the high
        // byte should be than where the low byte is.
        .filter(|&(_, high, low)| high > 0 && high * 200 >= units && high > low)
        .map(|(enc, _, _)| enc)
        .find(|&enc| plausible_utf16(enc, prefix, whole))
}

fn plausible_utf16(enc: &'static Encoding, prefix: &[u8], whole: bool) -> bool {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let Some(cap) = decoder.max_utf8_buffer_length_without_replacement(prefix.len()) else {
        return false;
    };
    let mut text = String::with_capacity(cap);
    let (result, _) = decoder.decode_to_string_without_replacement(prefix, &mut text, whole);
    if result != DecoderResult::InputEmpty {
        return false;
    }
    let (mut total, mut plausible, mut visible, mut letters) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        total += 1;
        plausible += usize::from(is_plausible_char(c));
        if !c.is_whitespace() {
            visible += 1;
            letters += usize::from(c.is_alphanumeric());
        }
    }
    total > 0 && plausible * 100 >= total * 95 && letters * 2 >= visible
}

/// Characters expected in Chinese (and most other) text; random code units
/// mostly fall outside these ranges.
fn is_plausible_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | '\x0c'
        | ' '..='~'
        | '\u{a0}'..='\u{24f}'          // Latin-1, Latin Extended (pinyin tones)
        | '\u{370}'..='\u{52f}'         // Greek, Cyrillic
        | '\u{2000}'..='\u{206f}'       // General Punctuation
        | '\u{2100}'..='\u{27bf}'       // symbols, arrows, maths, box drawing, dingbats
        | '\u{2e80}'..='\u{2fdf}'       // CJK radicals
        | '\u{3000}'..='\u{4dbf}'       // CJK punctuation, kana, bopomofo, Ext. A
        | '\u{4e00}'..='\u{9fff}'       // CJK Unified Ideographs
        | '\u{ac00}'..='\u{d7a3}'       // Hangul syllables
        | '\u{f900}'..='\u{faff}'       // CJK Compatibility Ideographs
        | '\u{fe30}'..='\u{fe4f}'       // CJK Compatibility Forms
        | '\u{feff}'
        | '\u{ff00}'..='\u{ffef}'       // half- and full-width forms
        | '\u{1f300}'..='\u{1faff}'     // emoji
        | '\u{20000}'..='\u{3134f}'     // CJK Ext. B–G
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{BIG5, GB18030, GBK};
    use proptest::prelude::*;
    use std::io::Cursor;

    /// (name, text, traditional)
    const FIXTURES: &[(&str, &str, bool)] = &[
        (
            "keji-chanye-ronghe-dangke",
            include_str!("../../tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt"),
            false,
        ),
        (
            "quanqiu-keji-xiezuo",
            include_str!("../../tests/fixtures/quanqiu-keji-xiezuo.zh-Hans.txt"),
            false,
        ),
        (
            "ronghe-zhongguoshi-xiandaihua",
            include_str!("../../tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt"),
            false,
        ),
        (
            "shanghai-kechuang-zhongxin",
            include_str!("../../tests/fixtures/shanghai-kechuang-zhongxin.zh-Hant.txt"),
            true,
        ),
        (
            "wuda-chuangxin-zhanyi",
            include_str!("../../tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt"),
            true,
        ),
    ];

    fn run(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
        decode(Cursor::new(bytes), forced)
    }

    fn run_chunked(
        bytes: &[u8],
        forced: Option<&'static Encoding>,
        chunk: usize,
    ) -> Result<Decoded, DecodeError> {
        decode_chunked(Cursor::new(bytes), forced, chunk)
    }

    fn ok(bytes: &[u8], forced: Option<&'static Encoding>) -> Decoded {
        run(bytes, forced).expect("decodes")
    }

    fn err(bytes: &[u8], forced: Option<&'static Encoding>) -> String {
        run(bytes, forced).expect_err("refused").to_string()
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let bom_unit = bom.then_some(0xFEFF_u16);
        bom_unit
            .into_iter()
            .chain(text.encode_utf16())
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    /// Encode with `encoding_rs`; `None` if some character is unmappable.
    fn encode(enc: &'static Encoding, text: &str) -> Option<Vec<u8>> {
        let (bytes, _, unmappable) = enc.encode(text);
        (!unmappable).then(|| bytes.into_owned())
    }

    /// Characters of `text` that `enc` cannot encode.
    fn unmappable(enc: &'static Encoding, text: &str) -> Vec<char> {
        let mut chars: Vec<char> = text
            .chars()
            .filter(|c| encode(enc, c.encode_utf8(&mut [0; 4])).is_none())
            .collect();
        chars.sort_unstable();
        chars.dedup();
        chars
    }

    #[test]
    fn fixtures_have_no_carriage_returns() {
        for (name, text, _) in FIXTURES {
            assert!(!text.contains('\r'), "{name}");
        }
    }

    #[test]
    fn fixtures_as_utf8_variants() {
        for &(name, text, _) in FIXTURES {
            let d = ok(text.as_bytes(), None);
            assert_eq!(
                (d.encoding, d.bom, d.detected),
                ("utf-8", false, false),
                "{name}"
            );
            assert_eq!(d.text, text, "{name}");

            let mut with_bom = b"\xEF\xBB\xBF".to_vec();
            with_bom.extend_from_slice(text.as_bytes());
            let d = ok(&with_bom, None);
            assert_eq!(
                (d.encoding, d.bom, d.detected),
                ("utf-8", true, false),
                "{name}"
            );
            assert_eq!(d.text, text, "{name}");

            let crlf = text.replace('\n', "\r\n");
            assert_eq!(ok(crlf.as_bytes(), None).text, text, "{name} crlf");
            let cr = text.replace('\n', "\r");
            assert_eq!(ok(cr.as_bytes(), None).text, text, "{name} cr");

            for chunk in [1, 2, 3, 5, 4096] {
                let d = run_chunked(crlf.as_bytes(), None, chunk).expect("decodes");
                assert_eq!(d.text, text, "{name} crlf chunk {chunk}");
            }
        }
    }

    #[test]
    fn fixtures_as_utf16() {
        for &(name, text, _) in FIXTURES {
            for (big_endian, label) in [(false, "utf-16le"), (true, "utf-16be")] {
                let d = ok(&utf16(text, big_endian, true), None);
                assert_eq!(
                    (d.encoding, d.bom, d.detected),
                    (label, true, false),
                    "{name}"
                );
                assert_eq!(d.text, text, "{name} {label} bom");

                let d = ok(&utf16(text, big_endian, false), None);
                assert_eq!(
                    (d.encoding, d.bom, d.detected),
                    (label, false, true),
                    "{name}"
                );
                assert_eq!(d.text, text, "{name} {label} no bom");

                let crlf = utf16(&text.replace('\n', "\r\n"), big_endian, false);
                for chunk in [1, 3, 4096] {
                    let d = run_chunked(&crlf, None, chunk).expect("decodes");
                    assert_eq!(d.text, text, "{name} {label} crlf chunk {chunk}");
                }
            }
        }
    }

    #[test]
    fn fixtures_as_gb18030_and_gbk() {
        for &(name, text, _) in FIXTURES {
            let bytes = encode(GB18030, text).expect("gb18030 encodes everything");
            let d = ok(&bytes, None);
            eprintln!("{name}: gb18030 bytes detected as {}", d.encoding);
            assert!(d.detected, "{name}");
            assert!(
                ["gbk", "gb18030"].contains(&d.encoding),
                "{name}: {}",
                d.encoding
            );
            assert_eq!(d.text, text, "{name} gb18030");

            let d = ok(&bytes, Some(GB18030));
            assert_eq!((d.encoding, d.detected), ("gb18030", false));
            assert_eq!(d.text, text, "{name} forced gb18030");

            let crlf = encode(GB18030, &text.replace('\n', "\r\n")).expect("encodes");
            for chunk in [1, 2, 3, 4096] {
                let d = run_chunked(&crlf, Some(GB18030), chunk).expect("decodes");
                assert_eq!(d.text, text, "{name} gb18030 crlf chunk {chunk}");
            }

            // The WHATWG GBK encoder has no four-byte GB18030 sequences; test
            // the characters it can encode.
            let missing = unmappable(GBK, text);
            eprintln!("{name}: GBK cannot encode {missing:?}");
            let mappable: String = text.chars().filter(|c| !missing.contains(c)).collect();
            let bytes = encode(GBK, &mappable).expect("mappable subset encodes");
            let d = ok(&bytes, None);
            eprintln!("{name}: gbk bytes detected as {}", d.encoding);
            assert!(
                ["gbk", "gb18030"].contains(&d.encoding),
                "{name}: {}",
                d.encoding
            );
            assert_eq!(d.text, mappable, "{name} gbk");
            assert_eq!(ok(&bytes, Some(GBK)).text, mappable, "{name} forced gbk");
        }
    }

    #[test]
    fn traditional_fixtures_as_big5() {
        for &(name, text, traditional) in FIXTURES {
            if !traditional {
                continue;
            }
            let missing = unmappable(BIG5, text);
            eprintln!("{name}: Big5 cannot encode {missing:?}");
            let mappable: String = text.chars().filter(|c| !missing.contains(c)).collect();
            let bytes = encode(BIG5, &mappable).expect("mappable subset encodes");
            let d = ok(&bytes, None);
            eprintln!("{name}: big5 bytes detected as {}", d.encoding);
            assert_eq!((d.encoding, d.detected), ("big5", true), "{name}");
            assert_eq!(d.text, mappable, "{name} big5");
            assert_eq!(ok(&bytes, Some(BIG5)).text, mappable, "{name} forced big5");
        }
    }

    #[test]
    fn line_ends_across_chunk_boundaries() {
        let input = "a\r\nb\r\rc\r\n\r\nd\re\r";
        let expected = "a\nb\n\nc\n\nd\ne\n";
        for chunk in 1..=8 {
            let d = run_chunked(input.as_bytes(), None, chunk).expect("utf-8");
            assert_eq!(d.text, expected, "utf-8 chunk {chunk}");
            let d = run_chunked(input.as_bytes(), Some(GBK), chunk).expect("gbk");
            assert_eq!(d.text, expected, "gbk chunk {chunk}");
            let d = run_chunked(&utf16(input, false, true), None, chunk).expect("utf-16");
            assert_eq!(d.text, expected, "utf-16 chunk {chunk}");
        }
    }

    #[test]
    fn multibyte_sequences_across_chunk_boundaries() {
        let text = "中文\r\n𠀀 ǎ,“批注”\n\u{feff}末";
        let expected = "中文\n𠀀 ǎ,“批注”\n\u{feff}末";
        let gb = encode(GB18030, text).expect("encodes");
        for chunk in 1..=9 {
            let d = run_chunked(text.as_bytes(), None, chunk).expect("utf-8");
            assert_eq!(d.text, expected, "utf-8 chunk {chunk}");
            let d = run_chunked(&gb, Some(GB18030), chunk).expect("gb18030");
            assert_eq!(d.text, expected, "gb18030 chunk {chunk}");
            let d = run_chunked(&utf16(text, true, true), None, chunk).expect("utf-16be");
            assert_eq!(d.text, expected, "utf-16be chunk {chunk}");
        }
    }

    #[test]
    fn keeps_tabs_and_inner_byte_order_marks() {
        let text = "\u{feff}a\tb\u{feff}c\x0c";
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        let d = ok(&bytes, None);
        assert!(d.bom);
        assert_eq!(d.text, text);
    }

    #[test]
    fn empty_and_bom_only() {
        assert_eq!(err(b"", None), "empty file");
        assert_eq!(err(b"\xEF\xBB\xBF", None), "empty file");
        assert_eq!(err(b"\xFF\xFE", None), "empty file");
        assert_eq!(err(b"\xFE\xFF", None), "empty file");
        assert_eq!(err(b"\xEF\xBB\xBF", Some(UTF_8)), "empty file");
    }

    #[test]
    fn binary_files() {
        assert_eq!(
            err(b"abc\0def", None),
            "binary file (contains NUL bytes), not text"
        );
        assert_eq!(
            err(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None),
            "binary file (looks like a PNG image), not text"
        );
        assert_eq!(
            err(b"%PDF-1.7\n", None),
            "binary file (looks like a PDF document), not text"
        );
        assert_eq!(
            err(b"\x1f\x8b\x08\0", Some(GBK)),
            "binary file (looks like a gzip archive), not text"
        );
        assert_eq!(
            err(b"ab\x01\x02\x03\x04c", None),
            "binary file (mostly control characters), not text"
        );
        // Forcing an ASCII-compatible encoding does not make NUL bytes text.
        assert_eq!(
            err(b"a\0b", Some(GBK)),
            "binary file (contains NUL bytes), not text"
        );
    }

    #[test]
    fn random_bytes_are_refused() {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut bytes: Vec<u8> = (0..100_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u8
            })
            .collect();
        assert!(run(&bytes, None).is_err());
        // Without NUL bytes and magic numbers: still not text.
        bytes.retain(|&b| b != 0);
        let e = run(&bytes, None).expect_err("refused");
        assert!(
            matches!(e, DecodeError::Binary { .. } | DecodeError::Undetectable),
            "{e}"
        );
    }

    #[test]
    fn forced_encoding_is_strict() {
        assert_eq!(
            err(b"ab\xffcd", Some(GBK)),
            "not valid gbk text (malformed byte at offset 2)"
        );
        // UTF-8 "€" ends in a lone GBK lead byte.
        assert_eq!(
            err("x€".as_bytes(), Some(GBK)),
            "not valid gbk text (malformed byte at offset 3)"
        );
        for chunk in 1..=4 {
            let e = run_chunked(b"abc\xffcd", Some(GBK), chunk).expect_err("malformed");
            assert_eq!(
                e.to_string(),
                "not valid gbk text (malformed byte at offset 3)"
            );
        }
        let gb = encode(GB18030, FIXTURES[0].1).expect("encodes");
        assert!(matches!(
            run(&gb, Some(UTF_8)),
            Err(DecodeError::Malformed {
                encoding: "utf-8",
                ..
            })
        ));
        assert!(matches!(
            run(&gb, Some(BIG5)),
            Err(DecodeError::Malformed {
                encoding: "big5",
                ..
            })
        ));
        // Odd-length UTF-16.
        assert_eq!(
            err(b"a\0b", Some(UTF_16LE)),
            "not valid utf-16le text (malformed byte at offset 2)"
        );
    }

    #[test]
    fn forced_encoding_drops_its_own_bom_only() {
        let d = ok(b"\xEF\xBB\xBFabc", Some(UTF_8));
        assert_eq!((d.text.as_str(), d.bom), ("abc", true));
        let d = ok(b"\xFF\xFEa\0", Some(UTF_16LE));
        assert_eq!(
            (d.text.as_str(), d.bom, d.encoding),
            ("a", true, "utf-16le")
        );
        // A UTF-8 BOM read as GBK is just three characters.
        let d = ok(b"\xEF\xBB\xBFabc", Some(GB18030));
        assert!(!d.bom);
        assert!(
            d.text.ends_with("bc") && d.text.chars().count() == 4,
            "{:?}",
            d.text
        );
    }

    #[test]
    fn malformed_utf8_after_bom_is_reported() {
        assert_eq!(
            err(b"\xEF\xBB\xBFab\xC0", None),
            "not valid utf-8 text (malformed byte at offset 5)"
        );
    }

    #[test]
    fn utf8_going_bad_late_keeps_its_text_with_the_bad_bytes_replaced() {
        let mut bytes = Vec::new();
        while bytes.len() <= CHUNK_BYTES + DETECT_BYTES {
            bytes.extend_from_slice(FIXTURES[1].1.as_bytes());
        }
        let valid = String::from_utf8(bytes.clone()).expect("UTF-8");
        bytes.extend_from_slice(b"\xE4\xB8");
        bytes.extend_from_slice(" 尾巴".as_bytes());
        let d = ok(&bytes, None);
        assert_eq!(d.text, format!("{valid}\u{FFFD} 尾巴"));
        assert_eq!(d.label(), "utf-8, 2 bad bytes as U+FFFD");
        let at = valid.len();
        assert_eq!(
            err(&bytes, Some(UTF_8)),
            format!("not valid utf-8 text (malformed byte at offset {at})"),
            "forced UTF-8 stays strict"
        );
    }

    #[test]
    fn gbk_going_bad_late_is_undetectable() {
        let unit = encode(GB18030, FIXTURES[0].1).expect("encodes");
        let mut bytes = Vec::new();
        while bytes.len() <= CHUNK_BYTES + DETECT_BYTES {
            bytes.extend_from_slice(&unit);
        }
        bytes.extend_from_slice(b"\xFF\xFF tail");
        assert_eq!(
            err(&bytes, None),
            "could not detect the text encoding; name it with --encoding (e.g. --encoding gbk)"
        );
    }

    #[test]
    fn long_ascii_preamble_before_gbk() {
        let mut text = "plain ascii preamble line\n".repeat(2 * (CHUNK_BYTES + DETECT_BYTES) / 26);
        text.push_str(FIXTURES[0].1);
        let bytes = encode(GBK, &text).expect("encodes");
        let d = ok(&bytes, None);
        assert_eq!((d.encoding, d.detected), ("gbk", true));
        assert_eq!(d.text, text);
    }

    #[test]
    fn too_large_files() {
        /// Claims to be one byte over the limit.
        struct Huge;
        impl Read for Huge {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Ok(0)
            }
        }
        impl Seek for Huge {
            fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
                Ok(match pos {
                    SeekFrom::End(_) => MAX_FILE_BYTES + 1,
                    _ => 0,
                })
            }
        }
        let e = decode(Huge, None).expect_err("too large");
        assert_eq!(
            e.to_string(),
            "file is 513 MiB, larger than the 512 MiB limit"
        );
        assert!(
            matches!(e, DecodeError::TooLarge { size, limit } if size == MAX_FILE_BYTES + 1 && limit == MAX_FILE_BYTES)
        );
    }

    #[test]
    fn io_errors_are_passed_on() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk on fire"))
            }
        }
        impl Seek for Broken {
            fn seek(&mut self, _: SeekFrom) -> io::Result<u64> {
                Ok(10)
            }
        }
        let e = decode(Broken, None).expect_err("io error");
        assert!(matches!(e, DecodeError::Io(_)));
        assert_eq!(e.to_string(), "could not read the file: disk on fire");
    }

    #[test]
    fn labels() {
        for (label, name) in [
            ("gbk", "GBK"),
            ("GB2312", "GBK"),
            ("cp936", "GBK"),
            ("GB18030", "gb18030"),
            ("big5", "Big5"),
            ("Big5-HKSCS", "Big5"),
            ("utf8", "UTF-8"),
            (" UTF-8 ", "UTF-8"),
            ("utf-16le", "UTF-16LE"),
            ("utf-16", "UTF-16LE"),
            ("utf16be", "UTF-16BE"),
            ("shift_jis", "Shift_JIS"),
            ("latin1", "windows-1252"),
        ] {
            let enc = encoding_for_label(label).expect(label);
            assert_eq!(enc.name(), name, "{label}");
            assert_eq!(canonical_name(enc), name.to_ascii_lowercase(), "{label}");
        }
        let e = encoding_for_label("klingon").expect_err("unknown");
        assert_eq!(
            e.to_string(),
            "unknown encoding \"klingon\" (try utf-8, gb18030, gbk, big5, utf-16le or utf-16be)"
        );
        // Labels that map to the WHATWG "replacement" encoding are refused.
        assert!(encoding_for_label("hz-gb-2312").is_err());
    }

    #[test]
    fn canonical_names_are_lower_case_names() {
        for label in [
            "big5",
            "euc-jp",
            "euc-kr",
            "gbk",
            "ibm866",
            "iso-2022-jp",
            "iso-8859-2",
            "iso-8859-3",
            "iso-8859-4",
            "iso-8859-5",
            "iso-8859-6",
            "iso-8859-7",
            "iso-8859-8",
            "iso-8859-8-i",
            "iso-8859-10",
            "iso-8859-13",
            "iso-8859-14",
            "iso-8859-15",
            "iso-8859-16",
            "koi8-r",
            "koi8-u",
            "shift_jis",
            "utf-16be",
            "utf-16le",
            "utf-8",
            "gb18030",
            "macintosh",
            "windows-874",
            "windows-1250",
            "windows-1251",
            "windows-1252",
            "windows-1253",
            "windows-1254",
            "windows-1255",
            "windows-1256",
            "windows-1257",
            "windows-1258",
            "x-mac-cyrillic",
            "x-user-defined",
        ] {
            let enc = encoding_for_label(label).expect(label);
            assert_eq!(canonical_name(enc), enc.name().to_ascii_lowercase());
        }
    }

    #[test]
    fn ascii_with_stray_nul_is_not_utf16() {
        assert_eq!(
            err(
                b"plain English text with one stray NUL\0 byte in it\n",
                None
            ),
            "binary file (contains NUL bytes), not text"
        );
    }

    proptest! {
        #[test]
        fn line_ends_normalise(
            text in "(\\PC|\n){1,200}",
            ends in proptest::collection::vec(0u8..3, 1..8),
            chunk in 1usize..40,
        ) {
            let mut input = String::new();
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    let mut end = ["\n", "\r", "\r\n"][usize::from(ends[i % ends.len()])];
                    // A lone CR right before an LF would make a CRLF.
                    if end == "\n" && input.ends_with('\r') {
                        end = "\r\n";
                    }
                    input.push_str(end);
                }
                input.push_str(line);
            }
            let magic = magic_number(input.as_bytes()).is_some();
            prop_assume!(!magic);
            let d = run_chunked(input.as_bytes(), None, chunk).expect("decodes");
            prop_assert_eq!(d.text, text);
        }

        #[test]
        fn arbitrary_bytes_never_panic(
            bytes in proptest::collection::vec(any::<u8>(), 0..2048),
            chunk in 1usize..64,
        ) {
            let whole = run(&bytes, None).map_err(|e| e.to_string());
            let chunked = run_chunked(&bytes, None, chunk).map_err(|e| e.to_string());
            prop_assert_eq!(whole, chunked);
            for forced in [GBK, BIG5, UTF_8, UTF_16BE] {
                let whole = run(&bytes, Some(forced)).map_err(|e| e.to_string());
                let chunked = run_chunked(&bytes, Some(forced), chunk).map_err(|e| e.to_string());
                prop_assert_eq!(whole, chunked);
            }
        }
    }
}
