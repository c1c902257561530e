//! CSV: one row per annotation, RFC 4180 (every field that needs it quoted, CRLF line ends),
//! UTF-8, with a byte-order mark for Excel on request. Text cells that a spreadsheet would
//! take for a formula (beginning with `=`, `+`, `-`, `@`, a tab or a carriage return) get a
//! leading apostrophe, which spreadsheets show as text and do not evaluate.

use super::ExportSet;

/// The header row.
pub const HEADER: [&str; 13] = [
    "id", "guid", "doc", "document", "start", "end", "quote", "note", "tags", "colour", "status",
    "created", "updated",
];

/// A cell a spreadsheet could evaluate, made inert.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The set as CSV; `excel` starts it with a UTF-8 byte-order mark.
pub fn write(set: &ExportSet, excel: bool) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::with_capacity(set.annotation_count() * 200 + 128);
    if excel {
        out.extend_from_slice("\u{FEFF}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(HEADER)?;
    for doc in &set.documents {
        let title = neutralize(&doc.meta.title);
        for a in &doc.annotations {
            let tags: Vec<&str> = a.tags.iter().map(|t| set.tag_name(t)).collect();
            let tags = tags.join("; ");
            let row: [&str; 13] = [
                &a.id.to_string(),
                &a.guid,
                &a.doc.to_string(),
                &title,
                &a.start.to_string(),
                &a.end.to_string(),
                &neutralize(&a.quote),
                &neutralize(&a.note),
                &neutralize(&tags),
                a.color.as_str(),
                a.status.as_str(),
                &a.created,
                &a.updated,
            ];
            writer.write_record(row)?;
        }
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralized_and_others_kept() {
        for bad in ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralize(bad), format!("'{bad}"));
        }
        for good in ["科創", "a=b", "", "'quoted"] {
            assert_eq!(neutralize(good), good);
        }
    }
}
