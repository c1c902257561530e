//! The cleaning layers of a document in the library: noise ranges and paragraphs as compact
//! binary blobs (one row per document and layer: a 300 MB page can have millions of ranges),
//! metadata fields as rows, and the reader's fold/unfold overrides as rows.
//!
//! Blob format, all integers LEB128 varints: ranges are delta-coded (gap since the previous
//! range's end, then length), so a layer costs a few bytes per range. The noise blob
//! (`noise-ranges`) starts with its table of (reason, rule) pairs, then the count, then each
//! range as gap, length and the index of its pair, so reading the ranges of the beginning of
//! a document stops early. (Libraries from before hold a `noise` blob with all the indices
//! after all the ranges; it is still read, and replaced when the document is next cleaned.)

use super::{Store, StoreError};
use crate::clean::{Cleaned, MetaField, MetaKind, NoiseRange, NoiseReason, Override, RuleId};
use crate::doc::{DocId, Span};
use rusqlite::{OptionalExtension, Transaction, params};

const NOISE: &str = "noise-ranges";
const NOISE_BEFORE_4: &str = "noise";
const PARAGRAPHS: &str = "paragraphs";

impl Store {
    /// The stored cleaning of a document, or `None` if it was never cleaned.
    pub fn cleaning(&self, id: DocId) -> Result<Option<Cleaned>, StoreError> {
        self.read_cleaning(id, None)
    }

    /// The stored cleaning of the part `window` of a document's text, as
    /// [`Cleaned::excerpt`] makes it (spans clipped to the window, counted from its start),
    /// without building the rest: a 300 MB document has millions of ranges.
    pub fn cleaning_within(&self, id: DocId, window: Span) -> Result<Option<Cleaned>, StoreError> {
        self.read_cleaning(id, Some(window))
    }

    fn read_cleaning(
        &self,
        id: DocId,
        window: Option<Span>,
    ) -> Result<Option<Cleaned>, StoreError> {
        let version: Option<i64> = self
            .conn()
            .query_row(
                "SELECT cleaner_version FROM documents WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(version) = version.filter(|v| *v > 0) else {
            return Ok(None);
        };
        let corrupt = || StoreError::CorruptLayer { doc: id };
        let noise = match self.layer_with(id, NOISE, window, |data| decode_noise(data, window))? {
            Some(noise) => noise,
            None => decode_noise_before_4(&self.layer(id, NOISE_BEFORE_4)?),
        };
        let noise = noise
            .ok_or_else(corrupt)?
            .into_iter()
            .filter_map(|n| match window {
                None => Some(n),
                Some(window) => Some(NoiseRange {
                    span: n.span.within(window)?,
                    ..n
                }),
            })
            .collect();
        let paragraphs = self
            .layer_with(id, PARAGRAPHS, window, |data| {
                decode_spans(&mut Reader::new(data), window)
            })?
            .unwrap_or(Some(Vec::new()))
            .ok_or_else(corrupt)?;
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT kind, value, start, end FROM doc_metadata
                 WHERE doc_id = ?1 AND end > ?2 AND start < ?3 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let whole = Span::new(0, i64::MAX as usize);
        let bounds = window.unwrap_or(whole);
        let metadata = stmt
            .query_map(params![id, bounds.start as i64, bounds.end as i64], |row| {
                let kind: String = row.get(0)?;
                Ok((
                    kind,
                    row.get(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?
            .into_iter()
            .map(|(kind, value, start, end)| {
                let span = Span::new(start as usize, end as usize);
                Some(MetaField {
                    kind: parse_kebab::<MetaKind>(&kind)?,
                    value,
                    span: match window {
                        Some(window) => span.within(window)?,
                        None => span,
                    },
                })
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(corrupt)?;
        Ok(Some(Cleaned {
            version: version as u32,
            noise,
            metadata,
            paragraphs,
        }))
    }

    /// A document's body paragraphs (stored spans, in order) without the rest of its
    /// cleaning: the noise layer of a large page is far larger. Empty when never cleaned.
    pub fn paragraphs(&self, id: DocId) -> Result<Vec<Span>, StoreError> {
        self.layer_with(id, PARAGRAPHS, None, |data| {
            decode_spans(&mut Reader::new(data), None)
        })?
        .unwrap_or(Some(Vec::new()))
        .ok_or(StoreError::CorruptLayer { doc: id })
    }

    /// Replaces a document's cleaning layers.
    pub fn save_cleaning(&mut self, id: DocId, cleaned: &Cleaned) -> Result<(), StoreError> {
        let name = self.display_name();
        let tx = self.write("saving the cleaning of a document")?;
        write_cleaning(&tx, id, cleaned)
            .and_then(|_| tx.commit())
            .map_err(|e| StoreError::sqlite(&name, e))
    }

    /// The reader's overrides on a document, in text order.
    pub fn overrides(&self, id: DocId) -> Result<Vec<(Span, Override)>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT start, end, action FROM overrides WHERE doc_id = ?1 ORDER BY start, end",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([id], |row| {
                let action: String = row.get(2)?;
                Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, action))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(start, end, action)| {
                parse_kebab::<Override>(&action)
                    .map(|o| (Span::new(start as usize, end as usize), o))
                    .ok_or(StoreError::CorruptLayer { doc: id })
            })
            .collect()
    }

    /// Records an override and, in the same transaction, the cleaning it produces. An override
    /// on a span replaces any earlier one on the same span.
    pub fn save_override(
        &mut self,
        id: DocId,
        span: Span,
        action: Override,
        cleaned: &Cleaned,
    ) -> Result<(), StoreError> {
        let name = self.display_name();
        let tx = self.write("folding or unfolding")?;
        tx.execute(
            "INSERT INTO overrides (doc_id, start, end, action, created_at)
             VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
             ON CONFLICT (doc_id, start, end) DO UPDATE SET action = excluded.action,
                                                            created_at = excluded.created_at",
            params![id, span.start as i64, span.end as i64, kebab(&action)],
        )
        .and_then(|_| write_cleaning(&tx, id, cleaned))
        .and_then(|_| tx.commit())
        .map_err(|e| StoreError::sqlite(&name, e))
    }

    /// Decodes a layer, for a `window` from as little of its blob as `decode` needs: it is
    /// given the blob's first 64 KiB, then four times more, until it decodes (a decoder
    /// reading the layer of a window stops at the window's end) or has the whole blob. `None`
    /// when there is no such layer; `Some(None)` when even the whole blob does not decode.
    fn layer_with<T>(
        &self,
        id: DocId,
        kind: &str,
        window: Option<Span>,
        decode: impl Fn(&[u8]) -> Option<T>,
    ) -> Result<Option<Option<T>>, StoreError> {
        let rowid: Option<i64> = self
            .conn()
            .query_row(
                "SELECT rowid FROM layers WHERE doc_id = ?1 AND kind = ?2",
                params![id, kind],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(rowid) = rowid else {
            return Ok(None);
        };
        let blob = self
            .conn()
            .blob_open("main", "layers", "data", rowid, true)
            .map_err(|e| self.err(e))?;
        let mut part = if window.is_some() {
            64 * 1024
        } else {
            usize::MAX
        };
        loop {
            let mut bytes = vec![0; part.min(blob.len())];
            blob.read_at_exact(&mut bytes, 0).map_err(|e| self.err(e))?;
            let decoded = decode(&bytes);
            if decoded.is_some() || bytes.len() == blob.len() {
                return Ok(Some(decoded));
            }
            part = part.saturating_mul(4);
        }
    }

    pub(super) fn layer(&self, id: DocId, kind: &str) -> Result<Vec<u8>, StoreError> {
        self.conn()
            .query_row(
                "SELECT data FROM layers WHERE doc_id = ?1 AND kind = ?2",
                params![id, kind],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
            .map(Option::unwrap_or_default)
    }
}

/// Writes the cleaning layers of a document inside a caller's transaction.
pub(super) fn write_cleaning(
    tx: &Transaction<'_>,
    id: DocId,
    cleaned: &Cleaned,
) -> rusqlite::Result<()> {
    let mut paragraphs = Vec::new();
    encode_spans(&mut paragraphs, cleaned.paragraphs.iter().copied());
    for (kind, data) in [
        (NOISE, encode_noise(&cleaned.noise)),
        (PARAGRAPHS, paragraphs),
    ] {
        tx.execute(
            "INSERT INTO layers (doc_id, kind, data) VALUES (?1, ?2, ?3)
             ON CONFLICT (doc_id, kind) DO UPDATE SET data = excluded.data",
            params![id, kind, data],
        )?;
    }
    tx.execute(
        "DELETE FROM layers WHERE doc_id = ?1 AND kind = ?2",
        params![id, NOISE_BEFORE_4],
    )?;
    tx.execute("DELETE FROM doc_metadata WHERE doc_id = ?1", [id])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO doc_metadata (doc_id, seq, kind, value, start, end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (seq, field) in cleaned.metadata.iter().enumerate() {
        insert.execute(params![
            id,
            seq as i64,
            kebab(&field.kind),
            field.value,
            field.span.start as i64,
            field.span.end as i64
        ])?;
    }
    tx.execute(
        "UPDATE documents SET cleaner_version = ?2 WHERE id = ?1",
        params![id, cleaned.version],
    )?;
    Ok(())
}

/// The kebab-case name serde gives a unit enum variant.
fn kebab<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn parse_kebab<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

fn encode_noise(noise: &[NoiseRange]) -> Vec<u8> {
    let mut table: Vec<(NoiseReason, RuleId)> = Vec::new();
    let mut out = Vec::with_capacity(noise.len() * 4 + 64);
    let mut ranges = Vec::with_capacity(noise.len() * 4);
    put(&mut ranges, noise.len() as u64);
    let mut previous_end = 0;
    for range in noise {
        let key = (range.reason, range.rule);
        let index = match table.iter().position(|k| *k == key) {
            Some(index) => index,
            None => {
                table.push(key);
                table.len() - 1
            }
        };
        put(
            &mut ranges,
            range.span.start.saturating_sub(previous_end) as u64,
        );
        put(&mut ranges, range.span.len() as u64);
        put(&mut ranges, index as u64);
        previous_end = range.span.end;
    }
    put(&mut out, table.len() as u64);
    for (reason, rule) in &table {
        for name in [kebab(reason).as_str(), rule.as_str()] {
            put(&mut out, name.len() as u64);
            out.extend_from_slice(name.as_bytes());
        }
    }
    out.extend_from_slice(&ranges);
    out
}

/// The (reason, rule) table at the start of a noise blob, rule ids interned.
fn decode_table(reader: &mut Reader<'_>) -> Option<Vec<(NoiseReason, RuleId)>> {
    let entries = reader.get()? as usize;
    let mut table = Vec::with_capacity(entries.min(1024));
    for _ in 0..entries {
        let reason = parse_kebab::<NoiseReason>(reader.string()?)?;
        table.push((reason, RuleId::new(reader.string()?)));
    }
    Some(table)
}

/// Decodes a noise blob: every range, or (with a `window`) the ranges up to the window's end
/// that overlap it, unclipped.
fn decode_noise(data: &[u8], window: Option<Span>) -> Option<Vec<NoiseRange>> {
    if data.is_empty() {
        return Some(Vec::new());
    }
    let mut reader = Reader::new(data);
    let table = decode_table(&mut reader)?;
    let count = reader.get()? as usize;
    // Each range takes at least three bytes, which bounds the count a corrupt blob can claim.
    let capacity = match window {
        Some(_) => 64,
        None => count.min(reader.remaining() / 3),
    };
    let mut noise = Vec::with_capacity(capacity);
    let mut previous_end = 0usize;
    for _ in 0..count {
        let start = previous_end.checked_add(reader.get()? as usize)?;
        let end = start.checked_add(reader.get()? as usize)?;
        let (reason, rule) = table.get(reader.get()? as usize)?;
        previous_end = end;
        let span = Span::new(start, end);
        if let Some(window) = window {
            if start >= window.end {
                break;
            }
            if !span.overlaps(&window) {
                continue;
            }
        }
        noise.push(NoiseRange {
            span,
            reason: *reason,
            rule: *rule,
        });
    }
    Some(noise)
}

/// Decodes a noise blob written before schema version 4 (all indices after all ranges).
fn decode_noise_before_4(data: &[u8]) -> Option<Vec<NoiseRange>> {
    if data.is_empty() {
        return Some(Vec::new());
    }
    let mut reader = Reader::new(data);
    let table = decode_table(&mut reader)?;
    let spans = decode_spans(&mut reader, None)?;
    spans
        .into_iter()
        .map(|span| {
            let (reason, rule) = table.get(reader.get()? as usize)?;
            Some(NoiseRange {
                span,
                reason: *reason,
                rule: *rule,
            })
        })
        .collect()
}

fn encode_spans(out: &mut Vec<u8>, spans: impl ExactSizeIterator<Item = Span>) {
    put(out, spans.len() as u64);
    let mut previous_end = 0;
    for span in spans {
        put(out, span.start.saturating_sub(previous_end) as u64);
        put(out, span.len() as u64);
        previous_end = span.end;
    }
}

/// Decodes a list of spans: all of them, or those inside `window` (clipped to it and counted
/// from its start), stopping at the window's end.
fn decode_spans(reader: &mut Reader<'_>, window: Option<Span>) -> Option<Vec<Span>> {
    if reader.is_empty() {
        return Some(Vec::new());
    }
    let count = reader.get()? as usize;
    // Each span takes at least two bytes, which bounds the count a corrupt blob can claim.
    let capacity = match window {
        Some(_) => 64,
        None => count.min(reader.remaining() / 2),
    };
    let mut spans = Vec::with_capacity(capacity);
    let mut previous_end = 0usize;
    for _ in 0..count {
        let start = previous_end.checked_add(reader.get()? as usize)?;
        let end = start.checked_add(reader.get()? as usize)?;
        previous_end = end;
        let span = Span::new(start, end);
        match window {
            None => spans.push(span),
            Some(window) if start >= window.end => break,
            Some(window) => spans.extend(span.within(window)),
        }
    }
    Some(spans)
}

pub(super) fn put(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7F) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Reads varints and strings from a blob; every read fails (None) past the end.
pub(super) struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        Reader { data, at: 0 }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.at >= self.data.len()
    }

    fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.at)
    }

    pub(super) fn get(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.data.get(self.at)?;
            self.at += 1;
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn string(&mut self) -> Option<&'a str> {
        let len = self.get()? as usize;
        let bytes = self.data.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        std::str::from_utf8(bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewDocument;

    fn sample() -> Cleaned {
        crate::clean::clean(include_str!(
            "../../tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt"
        ))
    }

    #[test]
    fn noise_and_paragraphs_round_trip_through_their_blobs() {
        let cleaned = sample();
        assert!(cleaned.noise.len() > 700);
        assert_eq!(
            decode_noise(&encode_noise(&cleaned.noise), None),
            Some(cleaned.noise.clone())
        );
        let mut blob = Vec::new();
        encode_spans(&mut blob, cleaned.paragraphs.iter().copied());
        assert_eq!(
            decode_spans(&mut Reader::new(&blob), None),
            Some(cleaned.paragraphs)
        );
    }

    #[test]
    fn noise_blobs_from_before_version_4_are_still_read() {
        let blob = [1, 3, b'c', b's', b's', 1, b'r', 1, 2, 3, 0];
        assert_eq!(
            decode_noise_before_4(&blob),
            Some(vec![NoiseRange {
                span: Span::new(2, 5),
                reason: NoiseReason::Css,
                rule: RuleId::new("r"),
            }])
        );
    }

    #[test]
    fn truncated_blobs_are_rejected_not_misread() {
        let blob = encode_noise(&sample().noise);
        for cut in [1, blob.len() / 2, blob.len() - 1] {
            assert_eq!(decode_noise(&blob[..cut], None), None, "cut at {cut}");
        }
    }

    #[test]
    fn cleaning_and_overrides_are_saved_and_read_back() {
        let text = include_str!("../../tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt");
        let mut store = Store::open_in_memory().unwrap();
        let cleaned = sample();
        let id = store
            .insert_document(&NewDocument {
                title: "t".into(),
                source: "s".into(),
                encoding: "utf-8".into(),
                script: crate::doc::Script::Traditional,
                text: text.into(),
                source_bytes: 1,
                content_hash: "h".into(),
                cleaned: cleaned.clone(),
            })
            .unwrap();
        assert_eq!(store.cleaning(id).unwrap(), Some(cleaned.clone()));
        for window in [
            Span::new(0, 50),
            Span::new(1000, 3000),
            Span::new(100_000, 100_001),
        ] {
            assert_eq!(
                store.cleaning_within(id, window).unwrap(),
                Some(cleaned.excerpt(window)),
                "{window:?}"
            );
        }
        let span = cleaned.paragraphs[2];
        let folded = crate::clean::apply_overrides(&cleaned, text, &[(span, Override::Fold)]);
        store
            .save_override(id, span, Override::Fold, &folded)
            .unwrap();
        store
            .save_override(id, span, Override::Fold, &folded)
            .unwrap();
        assert_eq!(store.overrides(id).unwrap(), vec![(span, Override::Fold)]);
        assert_eq!(store.cleaning(id).unwrap(), Some(folded));
    }
}
