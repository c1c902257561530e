//! Annotations through the real binary: `annotate` by offsets and by quote (either script),
//! `notes` with filters, `note show|edit|rm` (the editor included), `undo`/`redo` across
//! processes, `backup`, and bad input that exits non-zero and leaves the library as it was.

mod common;

use common::*;
use serde_json::Value;

/// A library with the Traditional Shanghai fixture as #1.
fn library() -> Lib {
    let lib = Lib::new();
    let path = fixture("shanghai-kechuang-zhongxin.zh-Hant.txt");
    lib.ok(&["import", path.to_str().expect("path")]);
    lib
}

fn count(lib: &Lib) -> usize {
    lib.json(&["notes", "--json"])
        .as_array()
        .expect("an array")
        .len()
}

#[test]
fn annotations_are_made_by_offsets_or_quote_listed_filtered_and_shown() {
    let lib = library();
    let text = lib.ok(&["cat", "1", "--raw"]);
    let id = lib.ok(&[
        "annotate",
        "1",
        "--start",
        "0",
        "--end",
        "4",
        "--note",
        "标题\n第二行",
    ]);
    assert_eq!(id.trim(), "1");
    // A Simplified quote finds the Traditional text.
    let made = lib.json(&[
        "annotate",
        "1",
        "--quote",
        "科创",
        "--occurrence",
        "2",
        "--tag",
        "人才",
        "--tag",
        "待查",
        "--color",
        "blue",
        "--json",
    ]);
    assert_eq!(made["quote"], "科創");
    assert_eq!(made["tags"], serde_json::json!(["talent", "待查"]));
    assert_eq!(made["color"], "blue");
    let start = made["start"].as_u64().unwrap() as usize;
    let quoted: String = text.chars().skip(start).take(2).collect();
    assert_eq!(quoted, "科創");
    assert_eq!(made["guid"].as_str().unwrap().len(), 36);

    let all = lib.ok(&["notes"]);
    assert_eq!(all.lines().count(), 2, "{all}");
    assert!(all.contains("— 标题"), "the note's first line: {all}");
    let talent = lib.json(&["notes", "--tag", "talent", "--json"]);
    assert_eq!(talent.as_array().unwrap().len(), 1);
    let blue = lib.json(&["notes", "1", "--color", "blue", "--json"]);
    assert_eq!(blue[0]["id"], made["id"]);
    assert_eq!(
        lib.json(&["notes", "--orphans", "--json"]),
        Value::Array(vec![])
    );
    let shown = lib.ok(&["note", "show", "1"]);
    assert!(shown.contains("标题\n第二行"), "{shown}");
}

#[test]
fn notes_are_edited_inline_or_in_the_editor_and_deletions_undo() {
    let lib = library();
    lib.ok(&["annotate", "1", "--start", "10", "--end", "14"]);
    lib.ok(&[
        "note", "edit", "1", "--note", "初稿", "--tag", "finance", "--color", "2",
    ]);
    let a = lib.json(&["note", "show", "1", "--json"]);
    assert_eq!(
        (a["note"].as_str(), a["color"].as_str()),
        (Some("初稿"), Some("green"))
    );
    lib.cmd(&["note", "edit", "1"])
        .env("VISUAL", "sed -i 's/初稿/定稿：科技金融/'")
        .assert()
        .success();
    let a = lib.json(&["note", "show", "1", "--json"]);
    assert_eq!(a["note"], "定稿：科技金融");
    lib.ok(&["note", "edit", "1", "--untag", "finance"]);
    assert_eq!(
        lib.json(&["note", "show", "1", "--json"])["tags"],
        serde_json::json!([])
    );

    let rm = lib.ok(&["note", "rm", "1"]);
    assert!(rm.contains("pizhu undo brings it back"), "{rm}");
    assert_eq!(count(&lib), 0);
    assert!(lib.ok(&["undo"]).contains("annotation #1 deleted"));
    assert_eq!(count(&lib), 1);
    lib.ok(&["undo"]);
    assert_eq!(
        lib.json(&["note", "show", "1", "--json"])["tags"],
        serde_json::json!(["finance"])
    );
    lib.ok(&["redo"]);
    lib.ok(&["redo"]);
    assert_eq!(count(&lib), 0, "the deletion redone");
    lib.ok(&["undo"]);
    assert_eq!(
        lib.json(&["note", "show", "1", "--json"])["note"],
        "定稿：科技金融"
    );
    // Theme decisions are in the same log.
    lib.ok(&["tag", "1", "1", "talent", "--add"]);
    assert!(lib.ok(&["undo"]).contains("talent added"));
    lib.cmd(&["redo"]).assert().success();
    lib.cmd(&["redo"]).assert().code(1);
}

#[test]
fn bad_input_is_one_line_non_zero_and_changes_nothing() {
    let lib = library();
    lib.ok(&["annotate", "1", "--start", "0", "--end", "2"]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["annotate", "1", "--start", "5", "--end", "3"],
            "must be after --start",
        ),
        (
            &["annotate", "1", "--start", "0", "--end", "99999999"],
            "is not a span of it",
        ),
        (
            &["annotate", "9", "--start", "0", "--end", "1"],
            "no document matches",
        ),
        (&["annotate", "1", "--quote", "没有这句话"], "is not in #1"),
        (
            &["annotate", "1", "--quote", "科創"],
            "say which with --occurrence",
        ),
        (
            &[
                "annotate", "1", "--start", "0", "--end", "1", "--color", "red",
            ],
            "not a colour",
        ),
        (&["note", "rm", "7"], "no annotation #7"),
        (&["note", "edit", "7", "--note", "x"], "no annotation #7"),
    ];
    for (args, message) in cases {
        let out = lib.cmd(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let editor = lib
        .cmd(&["note", "edit", "1"])
        .env("VISUAL", "false")
        .output()
        .unwrap();
    assert!(!editor.status.success());
    assert!(String::from_utf8_lossy(&editor.stderr).contains("the note is unchanged"));
    assert_eq!(count(&lib), 1);
}

#[test]
fn a_backup_is_a_consistent_library_written_where_asked() {
    let lib = library();
    lib.ok(&[
        "annotate", "1", "--start", "0", "--end", "2", "--note", "备份",
    ]);
    let copy = lib.path("copies/one.db");
    let out = lib.ok(&["backup", copy.to_str().unwrap()]);
    assert!(out.contains("backed up to"), "{out}");
    let notes = pizhu()
        .arg("--db")
        .arg(&copy)
        .args(["notes", "--json"])
        .output()
        .unwrap();
    let notes: Value = serde_json::from_slice(&notes.stdout).unwrap();
    assert_eq!(notes[0]["note"], "备份");
    lib.cmd(&["backup", copy.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicates::str::contains("already exists"));
    let default = lib.ok(&["backup"]);
    assert!(default.contains("backups/library-"), "{default}");
}

#[test]
fn a_new_version_moves_annotations_to_their_text_and_keeps_the_lost_ones() {
    let lib = library();
    let text = lib.ok(&["cat", "1", "--raw"]);
    let chars: Vec<char> = text.chars().collect();
    // Three annotations: one in text that stays, one in a sentence that gets edited, one in a
    // paragraph that goes.
    let paragraphs: Vec<&str> = text
        .split('\n')
        .filter(|p| p.chars().count() > 60)
        .collect();
    let (kept, edited, gone) = (paragraphs[1], paragraphs[2], paragraphs[3]);
    let span_of = |needle: &str| {
        let byte = text.find(needle).expect("in the text");
        let start = text[..byte].chars().count();
        (start, start + needle.chars().count())
    };
    let quote =
        |p: &str, from: usize, len: usize| -> String { p.chars().skip(from).take(len).collect() };
    for q in [
        quote(kept, 10, 12),
        quote(edited, 10, 12),
        quote(gone, 10, 12),
    ] {
        let (start, end) = span_of(&q);
        assert_eq!(chars[start..end].iter().collect::<String>(), q);
        lib.ok(&[
            "annotate",
            "1",
            "--start",
            &start.to_string(),
            "--end",
            &end.to_string(),
            "--note",
            &q,
        ]);
    }
    // The new version: a line added at the top, a word inserted inside the second quote, the
    // third paragraph removed.
    let edited_quote = quote(edited, 10, 12);
    let mut changed: String = edited_quote.chars().take(6).collect();
    changed.push_str("（新增）");
    changed.extend(edited_quote.chars().skip(6));
    let new_text = format!(
        "更新说明：第二版。\n{}",
        text.replacen(&edited_quote, &changed, 1)
            .replacen(&format!("{gone}\n"), "", 1)
    );
    let file = lib.path("v2.txt");
    std::fs::write(&file, &new_text).unwrap();
    let out = lib.json(&["import", "--update", "1", file.to_str().unwrap(), "--json"]);
    assert_eq!(out["status"], "updated");
    assert_eq!(
        (
            out["ok"].as_u64(),
            out["drifted"].as_u64(),
            out["orphans"].as_u64()
        ),
        (Some(1), Some(1), Some(1)),
        "{out}"
    );
    let new_id = out["new"].as_i64().unwrap().to_string();
    let listed = lib.json(&["list", "--json"]);
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "the old version is gone"
    );
    let new_chars: Vec<char> = lib.ok(&["cat", &new_id, "--raw"]).chars().collect();
    let notes = lib.json(&["notes", &new_id, "--json"]);
    let by_note = |q: &str| {
        notes
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["note"] == q)
            .expect("moved")
            .clone()
    };
    let at = |a: &Value| -> String {
        let (s, e) = (
            a["start"].as_u64().unwrap() as usize,
            a["end"].as_u64().unwrap() as usize,
        );
        new_chars[s..e].iter().collect()
    };
    let kept_note = by_note(&quote(kept, 10, 12));
    assert_eq!(kept_note["status"], "ok");
    assert_eq!(at(&kept_note), quote(kept, 10, 12));
    let drifted = by_note(&edited_quote);
    assert_eq!(drifted["status"], "drifted");
    assert_eq!(at(&drifted), changed, "placed on the edited text");
    assert_eq!(
        drifted["quote"],
        edited_quote.as_str(),
        "the old quote is kept for review"
    );
    let orphan = by_note(&quote(gone, 10, 12));
    assert_eq!(orphan["status"], "orphan");
    assert_eq!(
        lib.json(&["notes", "--orphans", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The same file again: nothing to do.
    let again = lib.json(&[
        "import",
        "--update",
        &new_id,
        file.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(again["status"], "unchanged");
}
