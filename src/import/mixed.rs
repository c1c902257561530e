//! Text that is mostly UTF-8 but not all of it: a few damaged bytes (a file cut and pasted
//! together, a transfer that went wrong) or whole lines in another encoding (a UTF-8 page
//! with a GBK paragraph pasted in). Decoding such a file as one legacy encoding would turn
//! every Chinese character of it into mojibake, so it is decoded line by line instead: valid
//! lines as UTF-8, lines that are mostly UTF-8 with their bad bytes shown as U+FFFD, and the
//! other lines in the encoding `chardetng` guesses from them alone. [`Repair`] says what was
//! done, for the document's encoding label.

use super::decode::LineEnds;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::Encoding;

/// What decoding a mostly-UTF-8 text had to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Bytes that decode to nothing (shown as U+FFFD, one for each bad sequence).
    pub replaced: usize,
    /// Lines decoded in another encoding, and which (`gbk`, `big5`, …).
    pub foreign_lines: usize,
    pub foreign: Option<&'static str>,
}

impl Repair {
    /// The encoding label of a document decoded this way: `utf-8 + gbk (20 lines), 3 bad
    /// bytes as U+FFFD`.
    pub fn label(&self) -> String {
        let mut label = "utf-8".to_string();
        if let Some(foreign) = self.foreign {
            label.push_str(&format!(" + {foreign} ({} lines)", self.foreign_lines));
        }
        if self.replaced > 0 {
            label.push_str(&format!(", {} bad bytes as U+FFFD", self.replaced));
        }
        label
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Valid UTF-8 (ASCII included).
    Utf8,
    /// At least as many non-ASCII UTF-8 characters as bad bytes: UTF-8 with damage.
    Damaged,
    /// Something else.
    Foreign,
}

/// Bad bytes in `line` read as UTF-8, and its non-ASCII UTF-8 characters.
fn utf8_counts(line: &[u8]) -> (usize, usize) {
    let mut bad = 0;
    let mut wide = 0;
    for chunk in line.utf8_chunks() {
        wide += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += chunk.invalid().len();
    }
    (bad, wide)
}

fn kind(line: &[u8]) -> Kind {
    match utf8_counts(line) {
        (0, _) => Kind::Utf8,
        (bad, wide) if wide >= bad => Kind::Damaged,
        _ => Kind::Foreign,
    }
}

/// Decodes `bytes` line by line when most of its lines with non-ASCII bytes are (perhaps
/// damaged) UTF-8; `None` otherwise (a legacy-encoded file, decoded whole elsewhere).
pub fn decode(bytes: &[u8]) -> Option<(String, Repair)> {
    let lines: Vec<(&[u8], Kind)> = bytes
        .split_inclusive(|&b| b == b'\n')
        .map(|line| (line, kind(line)))
        .collect();
    let count = |k: Kind| {
        lines
            .iter()
            .filter(|(line, kind)| *kind == k && !line.is_ascii())
            .count()
    };
    let utf8 = count(Kind::Utf8) + count(Kind::Damaged);
    let foreign_lines = count(Kind::Foreign);
    if utf8 == 0 || utf8 < foreign_lines {
        return None;
    }
    let foreign = (foreign_lines > 0).then(|| guess(&lines));
    let mut out = String::with_capacity(bytes.len());
    let mut ends = LineEnds::default();
    let mut replaced = 0;
    for (line, kind) in &lines {
        match (kind, foreign) {
            (Kind::Foreign, Some(enc)) => {
                let (text, errors) = enc.decode_without_bom_handling(line);
                if errors {
                    replaced += text.matches('\u{FFFD}').count();
                }
                ends.push(&text, &mut out);
            }
            _ => {
                replaced += utf8_counts(line).0;
                ends.push(&String::from_utf8_lossy(line), &mut out);
            }
        }
    }
    let repair = Repair {
        replaced,
        foreign_lines,
        foreign: foreign.map(super::decode::canonical_name),
    };
    Some((out, repair))
}

/// The encoding of the foreign lines, guessed from them alone (never UTF-8).
fn guess(lines: &[(&[u8], Kind)]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    for (line, _) in lines.iter().filter(|(_, k)| *k == Kind::Foreign) {
        detector.feed(line, false);
    }
    detector.feed(&[], true);
    detector.guess(None, Utf8Detection::Deny)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::GBK;

    #[test]
    fn bad_bytes_in_utf8_become_replacement_characters() {
        let mut bytes = "第一段文字，内容正常。\r\n".repeat(3).into_bytes();
        bytes.extend_from_slice(b"\xff\xfe");
        bytes.extend_from_slice("第二段。\n".as_bytes());
        let (text, repair) = decode(&bytes).expect("mostly UTF-8");
        assert_eq!(
            text,
            format!(
                "{}\u{FFFD}\u{FFFD}第二段。\n",
                "第一段文字，内容正常。\n".repeat(3)
            )
        );
        assert_eq!(
            repair,
            Repair {
                replaced: 2,
                foreign_lines: 0,
                foreign: None
            }
        );
        assert_eq!(repair.label(), "utf-8, 2 bad bytes as U+FFFD");
    }

    #[test]
    fn lines_in_another_encoding_are_decoded_in_it() {
        let utf8 = "简体中文内容，这是UTF-8。\n".repeat(5);
        let gbk_text = "这是国标编码的一段中文，共有两行。\n".repeat(2);
        let (gbk, _, _) = GBK.encode(&gbk_text);
        let mut bytes = utf8.clone().into_bytes();
        bytes.extend_from_slice(&gbk);
        let (text, repair) = decode(&bytes).expect("mostly UTF-8");
        assert_eq!(text, format!("{utf8}{gbk_text}"));
        assert_eq!(repair.foreign_lines, 2);
        assert!(
            matches!(repair.foreign, Some("gbk" | "gb18030")),
            "{repair:?}"
        );
        assert_eq!(repair.replaced, 0);
    }

    #[test]
    fn a_legacy_file_is_left_to_the_whole_file_decoder() {
        let (gbk, _, _) = GBK.encode("这是国标编码的一段中文。\n第二行也是。\n");
        assert_eq!(decode(&gbk), None);
        assert_eq!(decode(b"ascii \xff only\n"), None);
    }
}
