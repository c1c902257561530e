//! Export and import of notes through the real binary, on the fixtures with annotations made
//! by `pizhu annotate` (Chinese, emoji, quotes, commas, newlines, `=cmd` in notes) and themes
//! accepted by `pizhu tag`: every format, the REFI-QDA XML validated by xmllint against the
//! schemas, the round trip into a new library, and malformed notes files that change nothing.

mod common;

use common::*;
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const HANT: &str = "shanghai-kechuang-zhongxin.zh-Hant.txt";
const HANS: &str = "keji-chanye-ronghe-dangke.zh-Hans.txt";

const NOTE_HARD: &str = "定稿：科技金融, \"引号\" and 'single'\n第二行 😀";
const NOTE_FORMULA: &str = "=cmd|' /C calc'!A0";

fn import(lib: &Lib, names: &[&str]) {
    for name in names {
        lib.ok(&["import", fixture(name).to_str().expect("path")]);
    }
}

/// A passage of `doc` (from `passages --json`) with a suggested theme, and one without.
fn passages(lib: &Lib, doc: &str) -> Vec<Value> {
    lib.json(&["passages", doc, "--json"])
        .as_array()
        .expect("passages")
        .clone()
}

/// The fixtures' library: #1 Traditional, #2 Simplified, five annotations, two themes on
/// passages (one accepted suggestion, one added).
fn library() -> Lib {
    let lib = Lib::new();
    import(&lib, &[HANT, HANS]);
    let p1 = passages(&lib, "1");
    let at = |p: &Value, from: u64, len: u64| {
        let start = p["start"].as_u64().expect("start") + from;
        (start.to_string(), (start + len).to_string())
    };
    let (s, e) = at(&p1[0], 0, 6);
    lib.ok(&[
        "annotate",
        "1",
        "--start",
        &s,
        "--end",
        &e,
        "--note",
        NOTE_HARD,
        "--tag",
        "人才",
        "--tag",
        "待查, 再看",
        "--color",
        "blue",
    ]);
    let (s, e) = at(&p1[1], 2, 5);
    lib.ok(&[
        "annotate",
        "1",
        "--start",
        &s,
        "--end",
        &e,
        "--note",
        NOTE_FORMULA,
        "--color",
        "pink",
    ]);
    let (s, e) = at(&p1[2], 0, 4);
    lib.ok(&["annotate", "1", "--start", &s, "--end", &e]);
    let p2 = passages(&lib, "2");
    let (s, e) = at(&p2[0], 0, 8);
    lib.ok(&[
        "annotate",
        "2",
        "--start",
        &s,
        "--end",
        &e,
        "--note",
        "+SUM(1,2)\n@home, -1",
        "--tag",
        "talent",
    ]);
    let (s, e) = at(&p2[1], 1, 3);
    lib.ok(&[
        "annotate",
        "2",
        "--start",
        &s,
        "--end",
        &e,
        "--note",
        "第一行\n\n第三行：“引文”",
    ]);
    let (n, theme) = p1
        .iter()
        .find_map(|p| {
            let theme = p["themes"].as_array()?.first()?["theme"]
                .as_str()?
                .to_string();
            Some((p["n"].as_u64()?.to_string(), theme))
        })
        .expect("a passage with a suggested theme");
    lib.ok(&["tag", "1", &n, &theme, "--accept"]);
    lib.ok(&["tag", "2", "3", "finance", "--add"]);
    lib
}

fn export(lib: &Lib, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    let out = lib.cmd(&all).output().expect("run pizhu");
    assert!(
        out.status.success(),
        "export {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn notes(lib: &Lib) -> Vec<Value> {
    lib.json(&["notes", "--json"])
        .as_array()
        .expect("notes")
        .clone()
}

/// Validates `file` against a schema in `tests/fixtures/refi-qda/` with xmllint.
fn xmllint(schema: &str, file: &Path) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/refi-qda")
        .join(schema);
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(file)
        .output()
        .expect("xmllint (Debian package libxml2-utils; .ci/run installs it)");
    assert!(
        out.status.success(),
        "{} does not validate: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The entries of a zip, by name.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("read entry");
            (entry.name().expect("name").into_owned(), data)
        })
        .collect()
}

fn make_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(*name, options).expect("start");
        zip.write_all(data).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

#[test]
fn markdown_groups_by_document_and_by_theme() {
    let lib = library();
    let md = String::from_utf8(export(&lib, &["--format", "markdown"])).expect("utf-8");
    assert!(md.starts_with("# pizhu notes: library.db\n"), "{md}");
    assert!(md.contains("5 annotations in 2 documents"), "{md}");
    assert!(md.contains("\n## 上海"), "a section per document: {md}");
    let first = &notes(&lib)[0];
    assert!(
        md.contains(&format!("> {}", first["quote"].as_str().unwrap())),
        "{md}"
    );
    assert!(md.contains(NOTE_HARD), "the note as written: {md}");
    assert!(md.contains("#人才 "), "theme tags by name: {md}");
    assert!(md.contains("#待查__再看 "), "free tags as one word: {md}");
    assert!(md.contains(", ¶1 ("), "the paragraph: {md}");
    let by_theme = String::from_utf8(export(&lib, &["--format", "md", "--by", "theme"])).unwrap();
    assert!(by_theme.contains("\n## 人才 · Talent"), "{by_theme}");
    assert!(by_theme.contains("\n## Untagged\n"), "{by_theme}");
    let only = String::from_utf8(export(&lib, &["--format", "md", "--doc", "2"])).unwrap();
    assert!(only.contains("2 annotations in 1 document"), "{only}");
}

#[test]
fn csv_is_rfc4180_with_formulas_neutralized_and_a_bom_for_excel() {
    let lib = library();
    let bytes = export(&lib, &["--format", "csv"]);
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(text.starts_with(
        "id,guid,doc,document,start,end,quote,note,tags,colour,status,created,updated\r\n"
    ));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), 5);
    let notes: Vec<&str> = rows.iter().map(|r| &r[7]).collect();
    assert!(
        notes.contains(&NOTE_HARD),
        "quotes, commas, newlines and emoji survive: {notes:?}"
    );
    assert!(
        notes.contains(&format!("'{NOTE_FORMULA}").as_str()),
        "{notes:?}"
    );
    assert!(notes.contains(&"'+SUM(1,2)\n@home, -1"), "{notes:?}");
    assert!(
        rows.iter().any(|r| &r[8] == "人才; 待查, 再看"),
        "tags by name"
    );
    let excel = export(&lib, &["--format", "csv", "--excel", "--color", "pink"]);
    assert!(excel.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    assert_eq!(
        String::from_utf8(excel).unwrap().lines().count(),
        2,
        "header + the pink one"
    );
}

#[test]
fn json_is_w3c_web_annotation_with_selectors_and_accepted_themes() {
    let lib = library();
    let json: Value = serde_json::from_slice(&export(&lib, &["--format", "json"])).expect("JSON");
    assert_eq!(json["@context"], "http://www.w3.org/ns/anno.jsonld");
    let items = json["first"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 7, "5 annotations and 2 theme tags");
    assert_eq!(json["total"], 7);
    let stored = notes(&lib);
    let hard = items
        .iter()
        .find(|i| i["body"][0]["value"] == NOTE_HARD)
        .expect("the annotation with the hard note");
    let made = stored.iter().find(|n| n["note"] == NOTE_HARD).unwrap();
    assert_eq!(
        hard["id"],
        format!("urn:uuid:{}", made["guid"].as_str().unwrap())
    );
    assert_eq!(hard["motivation"], "commenting");
    assert_eq!(hard["body"][0]["purpose"], "commenting");
    assert_eq!(
        hard["body"][1],
        serde_json::json!({"type": "TextualBody", "purpose": "tagging", "value": "talent"})
    );
    assert_eq!(hard["target"]["styleClass"], "blue");
    let selectors = hard["target"]["selector"].as_array().unwrap();
    assert_eq!(selectors[0]["type"], "TextQuoteSelector");
    assert_eq!(selectors[0]["exact"], made["quote"]);
    assert_eq!(selectors[0]["prefix"], made["prefix"]);
    assert_eq!(selectors[1]["type"], "TextPositionSelector");
    assert_eq!(selectors[1]["start"], made["start"]);
    assert!(
        hard["target"]["source"]
            .as_str()
            .unwrap()
            .starts_with("urn:sha256:")
    );
    let tagging: Vec<&Value> = items
        .iter()
        .filter(|i| i["motivation"] == "tagging")
        .collect();
    assert_eq!(tagging.len(), 2);
    assert!(tagging.iter().any(|t| t["decision"] == "accepted"));
    assert!(
        tagging
            .iter()
            .any(|t| t["decision"] == "added" && t["body"][0]["value"] == "finance")
    );
}

#[test]
fn refi_qda_project_and_codebook_validate_with_stable_guids_and_view_positions() {
    let lib = library();
    let path = lib.path("notes.qdpx");
    lib.ok(&["export", "--format", "qdpx", "-o", path.to_str().unwrap()]);
    let entries = unzip(&std::fs::read(&path).unwrap());
    let qde = entries.get("project.qde").expect("project.qde");
    let qde_path = lib.path("project.qde");
    std::fs::write(&qde_path, qde).unwrap();
    xmllint("Project.xsd", &qde_path);
    assert_eq!(
        entries
            .keys()
            .filter(|k| k.starts_with("sources/") && k.ends_with(".txt"))
            .count(),
        2
    );
    let qde = String::from_utf8(qde.clone()).unwrap();
    // Every annotation is a selection with its own GUID, at its place in the reading view.
    let raw = lib.ok(&["cat", "1", "--raw"]);
    let sources: Vec<String> = entries
        .iter()
        .filter(|(k, _)| k.starts_with("sources/"))
        .map(|(_, v)| String::from_utf8(v.clone()).unwrap())
        .collect();
    assert!(
        sources.iter().all(|s| *s != raw) && sources.iter().any(|s| s.len() < raw.len()),
        "the sources are reading views, noise folded"
    );
    for n in notes(&lib) {
        let guid = n["guid"].as_str().unwrap();
        let at = qde
            .find(&format!("guid=\"{guid}\""))
            .expect("the annotation's selection");
        let tag = &qde[qde[..at].rfind('<').unwrap()..];
        let attr = |name: &str| -> usize {
            let from = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            tag[from..from + tag[from..].find('"').unwrap()]
                .parse()
                .unwrap()
        };
        let source = entries.iter().find(|(k, _)| {
            k.starts_with("sources/") && {
                let text = String::from_utf8_lossy(&entries[*k]);
                text.chars().count() >= attr("endPosition")
                    && text
                        .chars()
                        .skip(attr("startPosition"))
                        .take(attr("endPosition") - attr("startPosition"))
                        .collect::<String>()
                        == n["quote"].as_str().unwrap()
            }
        });
        assert!(
            source.is_some(),
            "the quote of {guid} at its view positions in a source"
        );
    }
    assert!(qde.contains("<Note "), "notes as Note elements");
    assert!(
        qde.contains("<NoteRef targetGUID="),
        "linked from their selections"
    );
    assert!(qde.contains("name=\"人才\""), "codebook themes are codes");
    assert!(qde.contains("name=\"待查, 再看\""), "free tags are codes");
    // The same export again: the same GUIDs.
    let again = lib.path("again.qdpx");
    lib.ok(&["export", "--format", "qdpx", "-o", again.to_str().unwrap()]);
    let again =
        String::from_utf8(unzip(&std::fs::read(&again).unwrap())["project.qde"].clone()).unwrap();
    let guids = |s: &str| -> Vec<String> {
        s.split("guid=\"")
            .skip(1)
            .map(|g| g[..36].to_string())
            .collect()
    };
    assert_eq!(guids(&qde), guids(&again));

    let qdc = lib.path("codebook.qdc");
    lib.ok(&["export", "--format", "qdc", "-o", qdc.to_str().unwrap()]);
    xmllint("Codebook.xsd", &qdc);
    let qdc = std::fs::read_to_string(&qdc).unwrap();
    assert!(qdc.contains("<Code guid="));
}

#[test]
fn json_round_trip_into_another_library_gives_the_same_annotations() {
    let a = library();
    let file = a.path("notes.json");
    a.ok(&["export", "--format", "json", "-o", file.to_str().unwrap()]);
    let b = Lib::new();
    import(&b, &[HANS, HANT]);
    let said = b.ok(&["import-notes", file.to_str().unwrap()]);
    assert!(said.contains("5 annotations added"), "{said}");
    let again = b.ok(&["import-notes", file.to_str().unwrap()]);
    assert!(
        again.contains("0 annotations added (5 already here), 0 theme decisions"),
        "{again}"
    );
    let items = |lib: &Lib| -> Value {
        let json: Value = serde_json::from_slice(&export(lib, &["--format", "json"])).unwrap();
        let mut items = json["first"]["items"].as_array().unwrap().clone();
        items.sort_by_key(|i| i["id"].as_str().unwrap().to_string());
        Value::Array(items)
    };
    assert_eq!(items(&a), items(&b));
    // Into the library it came from: nothing new.
    let same = a.ok(&["import-notes", file.to_str().unwrap()]);
    assert!(
        same.contains("0 annotations added (5 already here)"),
        "{same}"
    );
}

#[test]
fn qdpx_round_trip_into_an_empty_library_and_back_into_its_own() {
    let a = library();
    let file = a.path("notes.qdpx");
    a.ok(&["export", "--format", "qdpx", "-o", file.to_str().unwrap()]);
    let before = notes(&a);
    let same = a.ok(&["import-notes", file.to_str().unwrap()]);
    assert!(
        same.contains("0 annotations added (5 already here), 0 theme decisions, 0 new documents"),
        "{same}"
    );
    assert_eq!(notes(&a), before);

    let c = Lib::new();
    let said = c.ok(&["import-notes", file.to_str().unwrap()]);
    assert!(said.contains("2 new documents"), "{said}");
    let imported = notes(&c);
    for n in &before {
        let twin = imported
            .iter()
            .find(|m| m["guid"] == n["guid"])
            .expect("the same GUID");
        assert_eq!(twin["quote"], n["quote"]);
        assert_eq!(twin["note"], n["note"]);
        assert_eq!(twin["tags"], n["tags"]);
    }
    let again = c.ok(&["import-notes", file.to_str().unwrap()]);
    assert!(again.contains("0 annotations added"), "{again}");
    assert!(again.contains("0 new documents, 0 new themes"), "{again}");
    // Exported again from there: the same selections.
    let back = c.path("back.qdpx");
    c.ok(&["export", "--format", "qdpx", "-o", back.to_str().unwrap()]);
    let qde =
        String::from_utf8(unzip(&std::fs::read(&back).unwrap())["project.qde"].clone()).unwrap();
    for n in &before {
        assert!(qde.contains(n["guid"].as_str().unwrap()));
    }
}

#[test]
fn a_project_from_another_program_becomes_documents_themes_and_annotations() {
    let text = "第一段：数字经济。\r\n第二段😀。\r\n";
    let qde = r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="other">
 <CodeBook><Codes>
  <Code guid="{11111111-2222-4333-8444-555555555555}" name="Digital economy" isCodable="true" color="#A0C">
   <Code guid="11111111-2222-4333-8444-666666666666" name="数据要素" isCodable="true"/>
  </Code>
 </Codes></CodeBook>
 <Sources>
  <TextSource guid="22222222-2222-4333-8444-555555555555" name="doc.txt" plainTextPath="internal://abc.txt">
   <PlainTextSelection guid="33333333-2222-4333-8444-555555555555" startPosition="4" endPosition="8">
    <Coding guid="44444444-2222-4333-8444-555555555555"><CodeRef targetGUID="11111111-2222-4333-8444-666666666666"/></Coding>
    <NoteRef targetGUID="55555555-2222-4333-8444-555555555555"/>
   </PlainTextSelection>
   <PlainTextSelection guid="33333333-2222-4333-8444-666666666666" startPosition="11" endPosition="15"/>
  </TextSource>
 </Sources>
 <Notes><Note guid="55555555-2222-4333-8444-555555555555"><PlainTextContent>备注 &amp; more</PlainTextContent></Note></Notes>
</Project>"##;
    let lib = Lib::new();
    let file = lib.path("other.qdpx");
    std::fs::write(
        &file,
        make_zip(&[
            ("project.qde", qde.as_bytes()),
            ("sources/abc.txt", text.as_bytes()),
        ]),
    )
    .unwrap();
    let said = lib.ok(&["import-notes", file.to_str().unwrap()]);
    assert!(said.contains("2 annotations added"), "{said}");
    assert!(said.contains("1 new document, 2 new themes"), "{said}");
    let made = notes(&lib);
    assert_eq!(made[0]["quote"], "数字经济");
    assert_eq!(made[0]["note"], "备注 & more");
    assert_eq!(made[0]["guid"], "33333333-2222-4333-8444-555555555555");
    assert_eq!(
        made[1]["quote"], "第二段😀",
        "positions past \\r\\n and an emoji, in code points"
    );
    let themes = lib.json(&["themes", "--json"])["themes"].clone();
    let digital = themes
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "digital-economy")
        .expect("a theme");
    assert_eq!(digital["color"], "#aa00cc");
    let child = themes
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "数据要素")
        .expect("a theme");
    assert_eq!(child["parent"], "digital-economy");
    assert_eq!(made[0]["tags"], serde_json::json!([child["id"]]));
    let again = lib.ok(&["import-notes", file.to_str().unwrap()]);
    assert!(
        again.contains(
            "0 annotations added (2 already here), 0 theme decisions, 0 new documents, 0 new themes"
        ),
        "{again}"
    );
}

/// Everything a bad import could change.
fn state(lib: &Lib) -> (String, String, String) {
    (
        lib.ok(&["notes", "--json"]),
        lib.ok(&["list", "--json"]),
        lib.ok(&["themes", "export"]),
    )
}

#[test]
fn malformed_notes_files_are_refused_and_change_nothing() {
    let lib = library();
    let good = lib.path("good.qdpx");
    lib.ok(&["export", "--format", "qdpx", "-o", good.to_str().unwrap()]);
    let good = std::fs::read(&good).unwrap();
    let entries = unzip(&good);
    let qde = String::from_utf8(entries["project.qde"].clone()).unwrap();
    let source = entries
        .keys()
        .find(|k| k.starts_with("sources/"))
        .unwrap()
        .clone();
    let with_sources = |qde: &str, replaced: &[u8]| -> Vec<u8> {
        let mut all: Vec<(&str, &[u8])> = vec![("project.qde", qde.as_bytes())];
        all.extend(
            entries
                .iter()
                .filter(|(k, _)| k.starts_with("sources/"))
                .map(|(k, v)| {
                    (
                        k.as_str(),
                        if *k == source { replaced } else { v.as_slice() },
                    )
                }),
        );
        make_zip(&all)
    };
    let with_qde = |qde: &str| with_sources(qde, &entries[&source]);
    // A new code and a good selection first, then a bad one: all or nothing.
    let last_end = qde.rfind("endPosition=\"").unwrap();
    let beyond = format!(
        "{}endPosition=\"99999999{}",
        &qde[..last_end],
        &qde[last_end + 13 + qde[last_end + 13..].find('"').unwrap()..]
    );
    let json: Value = serde_json::from_slice(&export(&lib, &["--format", "json"])).unwrap();
    let mut bad_json = json.clone();
    bad_json["first"]["items"][0]["target"]["selector"][1]["end"] = Value::from(99_999_999u64);
    let bomb = make_zip(&[("project.qde", &vec![b' '; 20 << 20])]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.qdpx",
            good[..good.len() / 2].to_vec(),
            "not a readable zip",
        ),
        (
            "invalid.qdpx",
            with_qde(&qde.replace("<Sources>", "<Bogus/><Sources>")),
            "<Bogus> is not allowed in <Project>",
        ),
        (
            "noguid.qdpx",
            with_qde(&qde.replacen(" guid=\"", " nickname=\"", 3)),
            "lacks its required attribute guid",
        ),
        ("beyond.qdpx", with_qde(&beyond), "beyond the text"),
        (
            "beyond.json",
            serde_json::to_vec(&bad_json).unwrap(),
            "beyond the text",
        ),
        (
            "gbk.qdpx",
            with_qde(&qde.replace("encoding=\"UTF-8\"", "encoding=\"GBK\"")),
            "unknown encoding",
        ),
        ("latin1.qdpx", with_sources(&qde, b"caf\xe9"), "not UTF-8"),
        (
            "escape.qdpx",
            make_zip(&[("../evil.txt", b"x"), ("project.qde", qde.as_bytes())]),
            "outside the archive",
        ),
        ("bomb.qdpx", bomb, "zip bomb"),
        (
            "notes.txt",
            "just text".as_bytes().to_vec(),
            "neither a REFI-QDA project",
        ),
    ];
    // Files from elsewhere: into a library that has none of these notes yet.
    let other = Lib::new();
    import(&other, &[HANT]);
    for (name, bytes, problem) in cases {
        let path: PathBuf = other.path(name);
        std::fs::write(&path, bytes).unwrap();
        let before = state(&other);
        let out = other
            .cmd(&["import-notes", path.to_str().unwrap()])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name} was accepted");
        assert_eq!(err.trim().lines().count(), 1, "{name}: one line: {err}");
        assert!(err.contains(name) && err.contains(problem), "{name}: {err}");
        assert_eq!(state(&other), before, "{name} changed the library");
    }
}
