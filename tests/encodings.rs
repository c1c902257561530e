//! Every fixture re-encoded (GB18030, GBK, Big5 for the Traditional ones, UTF-16 with and
//! without a byte-order mark, UTF-8 with a BOM, CRLF and CR line ends) imports to exactly the
//! text of the UTF-8 original: `cat` of each copy equals `cat` of the original, byte for byte.

mod common;

use common::*;
use encoding_rs::{BIG5, Encoding, GB18030, GBK};
use std::collections::HashMap;

/// Encodes with encoding_rs, or `None` if a character cannot be encoded.
fn encode_strict(encoding: &'static Encoding, text: &str) -> Option<Vec<u8>> {
    let (bytes, _, unmappable) = encoding.encode(text);
    (!unmappable).then(|| bytes.into_owned())
}

/// Big5 with the HKSCS extension, which encoding_rs decodes but does not encode: the
/// pinyin tone letters (`zhì`) in the Traditional fixtures are HKSCS characters.
fn encode_big5_hkscs(text: &str) -> Option<Vec<u8>> {
    static REVERSE: std::sync::OnceLock<HashMap<char, [u8; 2]>> = std::sync::OnceLock::new();
    let reverse = REVERSE.get_or_init(big5_reverse_table);
    let mut out = Vec::new();
    for c in text.chars() {
        let mut buf = [0u8; 4];
        match encode_strict(BIG5, c.encode_utf8(&mut buf)) {
            Some(bytes) => out.extend(bytes),
            None => out.extend(reverse.get(&c)?),
        }
    }
    Some(out)
}

/// Every Big5-HKSCS byte pair by the character it decodes to.
fn big5_reverse_table() -> HashMap<char, [u8; 2]> {
    let mut reverse: HashMap<char, [u8; 2]> = HashMap::new();
    for lead in 0x81u8..=0xFE {
        for trail in (0x40u8..=0x7E).chain(0xA1..=0xFE) {
            let pair = [lead, trail];
            let (decoded, malformed) = BIG5.decode_without_bom_handling(&pair);
            let mut chars = decoded.chars();
            if let (false, Some(c), None) = (malformed, chars.next(), chars.next()) {
                reverse.entry(c).or_insert(pair);
            }
        }
    }
    reverse
}

/// The lines of `text` that `encode` can represent. A real GBK or Big5 file cannot hold the
/// characters those sets lack (the Simplified spam lines of a Traditional page, `•`), so the
/// comparison for those encodings is made on the representable lines.
fn representable(text: &str, encode: impl Fn(&str) -> Option<Vec<u8>>) -> String {
    text.split_inclusive('\n')
        .filter(|line| encode(line).is_some())
        .collect()
}

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom
        .then_some(0xFEFFu16)
        .into_iter()
        .chain(text.encode_utf16());
    for unit in units {
        out.extend(match little_endian {
            true => unit.to_le_bytes(),
            false => unit.to_be_bytes(),
        });
    }
    out
}

/// Imports `bytes` as a file and returns (encoding pizhu reported, `cat` output).
fn import_bytes(lib: &Lib, name: &str, bytes: &[u8]) -> (String, String) {
    let path = lib.path(name);
    std::fs::write(&path, bytes).expect("write");
    let report = lib.json(&["import", "--json", "--force", path.to_str().expect("path")]);
    assert_eq!(report[0]["status"], "imported", "{name}: {report:#}");
    let id = report[0]["id"].to_string();
    let encoding = report[0]["encoding"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (encoding, lib.ok(&["cat", &id, "--raw"]))
}

#[test]
fn re_encoded_fixtures_import_to_the_same_text() {
    let lib = Lib::new();
    for name in FIXTURES {
        let text = fixture_text(name);
        let traditional = name.contains("Hant");
        let (_, original) = import_bytes(&lib, &format!("{name}.utf8"), text.as_bytes());
        assert_eq!(original, text);

        let mut variants: Vec<(&str, Vec<u8>, &[&str], String)> = vec![
            (
                "gb18030",
                encode_strict(GB18030, &text).expect("GB18030 covers Unicode"),
                &["gbk", "gb18030"],
                text.clone(),
            ),
            (
                "utf-16le-bom",
                utf16(&text, true, true),
                &["utf-16le"],
                text.clone(),
            ),
            (
                "utf-16be-bom",
                utf16(&text, false, true),
                &["utf-16be"],
                text.clone(),
            ),
            (
                "utf-16le",
                utf16(&text, true, false),
                &["utf-16le"],
                text.clone(),
            ),
            (
                "utf-8-bom",
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                &["utf-8"],
                text.clone(),
            ),
            (
                "crlf",
                text.replace('\n', "\r\n").into_bytes(),
                &["utf-8"],
                text.clone(),
            ),
            (
                "cr",
                text.replace('\n', "\r").into_bytes(),
                &["utf-8"],
                text.clone(),
            ),
        ];
        let gbk_text = representable(&text, |t| encode_strict(GBK, t));
        variants.push((
            "gbk",
            encode_strict(GBK, &gbk_text).expect("filtered"),
            &["gbk", "gb18030"],
            gbk_text,
        ));
        if traditional {
            let big5_text = representable(&text, encode_big5_hkscs);
            let first_article_line = text.lines().find(|l| l.contains("創")).expect("article");
            assert!(
                big5_text.contains(first_article_line),
                "{name}: the article is Big5"
            );
            variants.push((
                "big5",
                encode_big5_hkscs(&big5_text).expect("filtered"),
                &["big5"],
                big5_text,
            ));
        }
        for (variant, bytes, encodings, expected_text) in variants {
            let (_, expected) = import_bytes(
                &lib,
                &format!("{name}.{variant}.utf8"),
                expected_text.as_bytes(),
            );
            let (encoding, got) = import_bytes(&lib, &format!("{name}.{variant}"), &bytes);
            assert!(
                encodings.contains(&encoding.as_str()),
                "{name} {variant}: detected {encoding}"
            );
            assert!(
                got == expected,
                "{name} {variant}: cat differs from the UTF-8 original"
            );
        }
    }
}

#[test]
fn forced_encoding_overrides_detection() {
    let lib = Lib::new();
    let text = "科技创新\n";
    let (gbk, _, _) = GBK.encode(text);
    let path = lib.path("short.txt");
    std::fs::write(&path, &gbk).expect("write");
    let report = lib.json(&[
        "import",
        "--json",
        "--encoding",
        "gbk",
        path.to_str().expect("p"),
    ]);
    assert_eq!(report[0]["encoding"], "gbk");
    assert_eq!(lib.ok(&["cat", "1", "--raw"]), text);
    let listed = lib.ok(&["list"]);
    assert!(listed.contains("gbk"), "list shows the encoding: {listed}");
}
