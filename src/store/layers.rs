//! The cleaning layers of a document in the library: noise ranges and paragraphs as compact
//! binary blobs (one row per document and layer: a 300 MB page can have millions of ranges),
//! metadata fields as rows, and the reader's fold/unfold overrides as rows.
//!
//! Blob format, all integers LEB128 varints: ranges are delta-coded (gap since the previous
//! range's end, then length), so a layer costs a few bytes per range. The noise blob starts
//! with its table of (reason, rule) pairs; each range then names its pair by index.

use super::{Store, StoreError};
use crate::clean::{Cleaned, MetaField, MetaKind, NoiseRange, NoiseReason, Override};
use crate::doc::{DocId, Span};
use rusqlite::{OptionalExtension, Transaction, params};

const NOISE: &str = "noise";
const PARAGRAPHS: &str = "paragraphs";

impl Store {
    /// The stored cleaning of a document, or `None` if it was never cleaned.
    pub fn cleaning(&self, id: DocId) -> Result<Option<Cleaned>, StoreError> {
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
        let noise = decode_noise(&self.layer(id, NOISE)?).ok_or_else(corrupt)?;
        let paragraphs =
            decode_spans(&mut Reader::new(&self.layer(id, PARAGRAPHS)?)).ok_or_else(corrupt)?;
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT kind, value, start, end FROM doc_metadata WHERE doc_id = ?1 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let metadata = stmt
            .query_map([id], |row| {
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
                Some(MetaField {
                    kind: parse_kebab::<MetaKind>(&kind)?,
                    value,
                    span: Span::new(start as usize, end as usize),
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

    fn layer(&self, id: DocId, kind: &str) -> Result<Vec<u8>, StoreError> {
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
    let mut table: Vec<(NoiseReason, &str)> = Vec::new();
    let mut indices = Vec::with_capacity(noise.len());
    for range in noise {
        let key = (range.reason, range.rule.as_ref());
        let index = match table.iter().position(|k| *k == key) {
            Some(index) => index,
            None => {
                table.push(key);
                table.len() - 1
            }
        };
        indices.push(index);
    }
    let mut out = Vec::with_capacity(noise.len() * 4 + 64);
    put(&mut out, table.len() as u64);
    for (reason, rule) in &table {
        for name in [kebab(reason).as_str(), rule] {
            put(&mut out, name.len() as u64);
            out.extend_from_slice(name.as_bytes());
        }
    }
    encode_spans(&mut out, noise.iter().map(|n| n.span));
    for index in indices {
        put(&mut out, index as u64);
    }
    out
}

fn decode_noise(data: &[u8]) -> Option<Vec<NoiseRange>> {
    if data.is_empty() {
        return Some(Vec::new());
    }
    let mut reader = Reader::new(data);
    let entries = reader.get()? as usize;
    let mut table = Vec::with_capacity(entries.min(1024));
    for _ in 0..entries {
        let reason = parse_kebab::<NoiseReason>(reader.string()?)?;
        table.push((reason, reader.string()?.to_string()));
    }
    let spans = decode_spans(&mut reader)?;
    spans
        .into_iter()
        .map(|span| {
            let (reason, rule) = table.get(reader.get()? as usize)?;
            Some(NoiseRange {
                span,
                reason: *reason,
                rule: rule.clone().into(),
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

fn decode_spans(reader: &mut Reader<'_>) -> Option<Vec<Span>> {
    if reader.is_empty() {
        return Some(Vec::new());
    }
    let count = reader.get()? as usize;
    let mut spans = Vec::with_capacity(count.min(1 << 20));
    let mut previous_end = 0usize;
    for _ in 0..count {
        let start = previous_end.checked_add(reader.get()? as usize)?;
        let end = start.checked_add(reader.get()? as usize)?;
        spans.push(Span::new(start, end));
        previous_end = end;
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
            decode_noise(&encode_noise(&cleaned.noise)),
            Some(cleaned.noise.clone())
        );
        let mut blob = Vec::new();
        encode_spans(&mut blob, cleaned.paragraphs.iter().copied());
        assert_eq!(
            decode_spans(&mut Reader::new(&blob)),
            Some(cleaned.paragraphs)
        );
    }

    #[test]
    fn truncated_blobs_are_rejected_not_misread() {
        let blob = encode_noise(&sample().noise);
        for cut in [1, blob.len() / 2, blob.len() - 1] {
            assert_eq!(decode_noise(&blob[..cut]), None, "cut at {cut}");
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
