//! Themes through the real binary: tagging at import, `passages --json` with themes, `tag`
//! decisions surviving codebook edits and re-tagging, the matrix, codebook import/export, and
//! bad input that leaves the library as it was.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::ffi::OsStr;

/// A library with the five fixtures, ids 1–5 in [`FIXTURES`] order.
fn library() -> Lib {
    let lib = Lib::new();
    let paths: Vec<String> = FIXTURES
        .iter()
        .map(|n| fixture(n).to_str().expect("path").to_string())
        .collect();
    let mut args = vec!["import"];
    args.extend(paths.iter().map(String::as_str));
    lib.ok(&args);
    lib
}

/// `(theme, status)` of every theme of passage `n` (1-based) of `doc`.
fn passage_themes(lib: &Lib, doc: &str, n: usize) -> Vec<(String, String)> {
    let passages = lib.json(&["passages", doc, "--json"]);
    passages[n - 1]["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .map(|t| {
            (
                t["theme"].as_str().expect("theme").to_string(),
                t["status"].as_str().expect("status").to_string(),
            )
        })
        .collect()
}

fn status_of(themes: &[(String, String)], theme: &str) -> Option<String> {
    themes
        .iter()
        .find(|(t, _)| t == theme)
        .map(|(_, s)| s.clone())
}

/// Runs a command that must fail with one line on standard error; returns that line.
fn fails(lib: &Lib, args: &[&str]) -> String {
    let out = lib.cmd(args).output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.starts_with("pizhu: "), "{stderr}");
    stderr
}

#[test]
fn import_tags_every_document_with_at_least_three_themes() {
    let lib = library();
    let matrix = lib.json(&["themes", "matrix", "--json"]);
    let themes: Vec<&str> = matrix["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .map(|t| t.as_str().expect("id"))
        .collect();
    let codebook = lib.json(&["themes", "--json"]);
    let ids: Vec<&str> = codebook["themes"]
        .as_array()
        .expect("codebook")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert_eq!(themes, ids);
    let docs = matrix["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 5);
    for (i, row) in docs.iter().enumerate() {
        let counts: Vec<u64> = row["counts"]
            .as_array()
            .expect("counts")
            .iter()
            .map(|n| n.as_u64().expect("count"))
            .collect();
        assert_eq!(counts.len(), themes.len());
        let on = counts.iter().filter(|&&n| n > 0).count();
        assert!(on >= 3, "{}: {on} themes", FIXTURES[i]);
        let passages = lib.json(&["passages", &(i + 1).to_string(), "--json"]);
        assert_eq!(row["passages"], passages.as_array().expect("array").len());
        assert_eq!(row["id"], i as u64 + 1);
    }
    let text = lib.ok(&["themes", "matrix"]);
    assert!(text.contains("npf=new-productive-forces"), "{text}");
    assert_eq!(text.lines().count(), 7, "{text}");
}

#[test]
fn an_import_with_deferred_themes_is_tagged_when_themes_are_first_shown() {
    let tagged = library();
    let deferred = Lib::new();
    let paths: Vec<String> = FIXTURES
        .iter()
        .map(|n| fixture(n).to_str().expect("path").to_string())
        .collect();
    let mut args = vec!["import", "--defer-themes"];
    args.extend(paths.iter().map(String::as_str));
    deferred.ok(&args);
    let tagging_rows = |lib: &Lib| -> i64 {
        let db = rusqlite::Connection::open(&lib.db).expect("open the library");
        db.query_row("SELECT count(*) FROM tagging_state", [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(tagging_rows(&deferred), 0, "nothing tagged at import");
    assert_eq!(tagging_rows(&tagged), FIXTURES.len() as i64);
    for doc in ["1", "4"] {
        assert_eq!(
            deferred.json(&["passages", doc, "--json"]),
            tagged.json(&["passages", doc, "--json"]),
            "document {doc}: the same themes, tagged when first shown"
        );
    }
    assert_eq!(tagging_rows(&deferred), FIXTURES.len() as i64);
}

#[test]
fn passages_json_keeps_its_fields_and_explains_each_theme() {
    let lib = library();
    for (i, name) in FIXTURES.iter().enumerate() {
        let stored: Vec<char> = fixture_text(name).chars().collect();
        let passages = lib.json(&["passages", &(i + 1).to_string(), "--json"]);
        let mut explained = 0;
        for (k, p) in passages.as_array().expect("array").iter().enumerate() {
            assert_eq!(p["n"], k as u64 + 1);
            let (start, end) = (
                p["start"].as_u64().expect("start") as usize,
                p["end"].as_u64().expect("end") as usize,
            );
            assert!(start < end && end <= stored.len());
            let shadow = pizhu::text::fold::fold_str(p["text"].as_str().expect("text"));
            for t in p["themes"].as_array().expect("themes") {
                assert_eq!(t["status"], "suggested", "{name}: nothing decided yet");
                let score = t["score"].as_f64().expect("score");
                assert!((0.5..1.0).contains(&score), "{score}");
                let matched = t["matched"].as_array().expect("matched");
                assert!(!matched.is_empty());
                for m in matched {
                    let term = pizhu::text::fold::fold_str(m["term"].as_str().expect("term"));
                    assert!(shadow.contains(&term), "{name} #{}: {term}", k + 1);
                    assert!(m["count"].as_u64().expect("count") >= 1);
                    assert!(m["weight"].as_f64().expect("weight") > 0.0);
                }
                explained += 1;
            }
        }
        assert!(explained >= 3, "{name}: {explained} themes in all");
    }
    let text = lib.ok(&["passages", "2"]);
    assert!(text.contains("      ▸ international 0."), "{text}");
}

#[test]
fn decisions_survive_codebook_edits_and_retagging() {
    let lib = library();
    let passages = lib.json(&["passages", "1", "--json"]);
    let (n, p) = passages
        .as_array()
        .expect("array")
        .iter()
        .enumerate()
        .map(|(i, p)| (i + 1, p))
        .find(|(_, p)| p["themes"].as_array().is_some_and(|t| t.len() >= 2))
        .expect("a passage with two themes");
    let n = n.to_string();
    let accepted = p["themes"][0]["theme"].as_str().expect("id").to_string();
    let rejected = p["themes"][1]["theme"].as_str().expect("id").to_string();
    let codebook = lib.json(&["themes", "--json"]);
    let suggested: BTreeSet<&str> = p["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .filter_map(|t| t["theme"].as_str())
        .collect();
    let added = codebook["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .filter_map(|t| t["id"].as_str())
        .find(|id| !suggested.contains(id))
        .expect("an unsuggested theme")
        .to_string();
    let before = lib.json(&["themes", "matrix", "--json"]);

    let out = lib.ok(&["tag", "1", &n, &accepted, "--accept"]);
    assert!(
        out.starts_with(&format!("accepted {accepted} on passage {n} of #1")),
        "{out}"
    );
    let json = lib.json(&["tag", "1", &n, &rejected, "--reject", "--json"]);
    assert_eq!(json["decision"], "rejected");
    assert_eq!(json["previous"], Value::Null);
    assert_eq!(json["start"], p["start"]);
    lib.ok(&["tag", "1", &n, &added, "--add"]);
    let k = n.parse::<usize>().expect("n");
    let themes = passage_themes(&lib, "1", k);
    assert_eq!(status_of(&themes, &accepted).as_deref(), Some("accepted"));
    assert_eq!(status_of(&themes, &rejected).as_deref(), Some("rejected"));
    assert_eq!(status_of(&themes, &added).as_deref(), Some("added"));
    // The rejected theme no longer counts in the matrix; the added one does.
    let after = lib.json(&["themes", "matrix", "--json"]);
    let column = |id: &str| {
        before["themes"]
            .as_array()
            .expect("ids")
            .iter()
            .position(|t| t == id)
            .expect("column")
    };
    let count = |m: &Value, id: &str| m["documents"][0]["counts"][column(id)].as_u64();
    assert_eq!(
        count(&after, &rejected).map(|c| c + 1),
        count(&before, &rejected)
    );
    assert_eq!(count(&after, &added), count(&before, &added).map(|c| c + 1));

    // Remove the keywords that made the accepted suggestion, rename and recolour themes,
    // re-tag everything: every decision is still there.
    let own: Vec<String> = lib
        .json(&["themes", "keywords", &accepted, "--json"])
        .as_array()
        .expect("keywords")
        .iter()
        .filter_map(|k| k["term"].as_str().map(str::to_string))
        .collect();
    let matched: Vec<String> = p["themes"][0]["matched"]
        .as_array()
        .expect("matched")
        .iter()
        .filter_map(|m| m["term"].as_str().map(str::to_string))
        .filter(|t| own.contains(t))
        .collect();
    let mut args = vec!["themes", "keywords", &accepted, "--rm"];
    args.extend(matched.iter().map(String::as_str));
    lib.ok(&args);
    lib.ok(&["themes", "rename", &rejected, "新名字", "--en", "New name"]);
    lib.ok(&["themes", "recolor", &added, "#123456"]);
    let themes = passage_themes(&lib, "1", k);
    assert_eq!(status_of(&themes, &accepted).as_deref(), Some("accepted"));
    let entry = &lib.json(&["passages", "1", "--json"])[k - 1]["themes"];
    let acc = entry
        .as_array()
        .expect("themes")
        .iter()
        .find(|t| t["theme"] == accepted.as_str())
        .expect("accepted theme");
    assert!(!matched.is_empty());
    for m in acc["matched"].as_array().expect("matched") {
        assert!(!matched.iter().any(|t| m["term"] == t.as_str()), "{acc}");
    }
    assert_eq!(status_of(&themes, &rejected).as_deref(), Some("rejected"));
    assert_eq!(status_of(&themes, &added).as_deref(), Some("added"));
    assert_eq!(
        lib.json(&["themes", "retag", "--json"])["retagged"]
            .as_array()
            .map(Vec::len),
        Some(5)
    );
    assert_eq!(passage_themes(&lib, "1", k), themes);

    // Clearing the rejection shows the suggestion again.
    let out = lib.ok(&["tag", "1", &n, &rejected, "--clear"]);
    assert!(out.starts_with("cleared (rejected)"), "{out}");
    let themes = passage_themes(&lib, "1", k);
    assert_eq!(status_of(&themes, &rejected).as_deref(), Some("suggested"));
}

#[test]
fn merging_themes_moves_decisions() {
    let lib = library();
    let passages = lib.json(&["passages", "3", "--json"]);
    let n = passages
        .as_array()
        .expect("array")
        .iter()
        .position(|p| p["themes"].as_array().is_some_and(|t| t.is_empty()))
        .expect("a passage without themes")
        + 1;
    lib.ok(&["tag", "3", &n.to_string(), "ip", "--add"]);
    lib.ok(&["themes", "merge", "ip", "--into", "commercialization"]);
    let themes = passage_themes(&lib, "3", n);
    assert_eq!(
        status_of(&themes, "commercialization").as_deref(),
        Some("added")
    );
    assert!(status_of(&themes, "ip").is_none());
    let codebook = lib.json(&["themes", "--json"]);
    assert!(
        !codebook["themes"]
            .as_array()
            .expect("themes")
            .iter()
            .any(|t| t["id"] == "ip")
    );
}

#[test]
fn codebook_export_and_import_round_trip() {
    let lib = library();
    let original = lib.ok(&["themes", "export"]);
    let file = lib.path("codebook.toml");
    lib.ok(&["themes", "export", file.to_str().expect("path")]);
    assert_eq!(std::fs::read_to_string(&file).expect("read"), original);
    let before = lib.json(&["themes", "--json"]);

    lib.ok(&[
        "themes", "add", "space", "航天", "--en", "Space", "-k", "航天", "-k", "卫星",
    ]);
    lib.ok(&["themes", "rm", "ethics-governance"]);
    let edited = lib.ok(&["themes", "export"]);
    assert_ne!(edited, original);
    assert!(edited.contains("id = \"space\""));

    lib.ok(&["themes", "import", file.to_str().expect("path")]);
    assert_eq!(lib.ok(&["themes", "export"]), original);
    let after = lib.json(&["themes", "--json"]);
    assert_eq!(after["themes"], before["themes"]);
    assert!(after["revision"].as_i64() > before["revision"].as_i64());
}

#[test]
fn traditional_and_simplified_get_the_same_themes() {
    let lib = Lib::new();
    let traditional = fixture(FIXTURES[4]);
    let simplified = lib.path("wuda-simplified.txt");
    let text = fixture_text(FIXTURES[4]);
    let converted = pizhu::text::fold::fold_str(&text);
    assert_ne!(converted, text);
    std::fs::write(&simplified, &converted).expect("write");
    lib.ok(&[
        "import",
        traditional.to_str().expect("path"),
        simplified.to_str().expect("path"),
    ]);
    let on = |doc: &str| -> Vec<Vec<String>> {
        lib.json(&["passages", doc, "--json"])
            .as_array()
            .expect("array")
            .iter()
            .map(|p| {
                p["themes"]
                    .as_array()
                    .expect("themes")
                    .iter()
                    .map(|t| t["theme"].as_str().expect("id").to_string())
                    .collect()
            })
            .collect()
    };
    let (trad, simp) = (on("1"), on("2"));
    assert_eq!(trad, simp);
    assert!(trad.iter().filter(|t| !t.is_empty()).count() >= 10);
}

#[test]
fn suggest_lists_uncovered_terms() {
    let lib = library();
    let all = lib.json(&["themes", "suggest", "--json", "--limit", "20"]);
    let terms = all.as_array().expect("array");
    assert_eq!(terms.len(), 20);
    let keywords: Vec<String> = lib.json(&["themes", "--json"])["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .flat_map(|t| t["keywords"].as_array().cloned().unwrap_or_default())
        .map(|k| match k {
            Value::String(s) => s,
            other => other["term"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    for t in terms {
        let term = t["term"].as_str().expect("term");
        assert!(
            !keywords
                .iter()
                .any(|k| term.contains(k.as_str()) || k.contains(term)),
            "{term} is covered"
        );
        assert!(t["count"].as_u64() >= Some(2) && t["score"].as_f64() > Some(0.0));
    }
    let one = lib.json(&["themes", "suggest", "3", "--json", "--limit", "5"]);
    assert!(!one.as_array().expect("array").is_empty());
}

#[test]
fn bad_input_is_refused_in_one_line_and_changes_nothing() {
    let lib = library();
    lib.ok(&["tag", "2", "1", "international", "--accept"]);
    let codebook = lib.ok(&["themes", "export"]);
    let passages = lib.ok(&["passages", "2", "--json"]);

    let err = fails(&lib, &["tag", "2", "1", "no-such-theme", "--add"]);
    assert!(err.contains("no-such-theme"), "{err}");
    for n in ["0", "999"] {
        let err = fails(&lib, &["tag", "2", n, "talent", "--add"]);
        assert!(err.contains(&format!("no passage {n}")), "{err}");
    }
    let err = fails(&lib, &["tag", "2", "1", "talent", "--accept"]);
    assert!(err.contains("--add"), "{err}");
    let err = fails(&lib, &["tag", "99", "1", "talent", "--add"]);
    assert!(err.contains("99"), "{err}");

    let bad = lib.path("bad.toml");
    std::fs::write(&bad, "[[theme]]\nid = \"x\"\nname = \"某\"\ncolor = 5\n").expect("write");
    let err = fails(&lib, &["themes", "import", bad.to_str().expect("path")]);
    assert!(err.contains("bad.toml") && err.contains("line 4"), "{err}");
    std::fs::write(
        &bad,
        "[[theme]]\nid = \"x\"\nname = \"某\"\ncolor = \"#000000\"\nparent = \"y\"\n",
    )
    .expect("write");
    let err = fails(&lib, &["themes", "import", bad.to_str().expect("path")]);
    assert!(err.contains("bad.toml") && err.contains("parent"), "{err}");
    let missing = lib.path("missing.toml");
    let err = fails(&lib, &["themes", "import", missing.to_str().expect("path")]);
    assert!(err.contains("missing.toml"), "{err}");

    for args in [
        &["themes", "add", "Bad_Id", "名"][..],
        &["themes", "add", "talent", "人才"],
        &["themes", "add", "new", "新", "--color", "red"],
        &["themes", "add", "new", "新", "--parent", "nope"],
        &["themes", "rm", "nope"],
        &["themes", "rename", "nope", "名"],
        &["themes", "recolor", "talent", "#12345"],
        &["themes", "keywords", "talent", "--rm", "没有这个词"],
        &["themes", "keywords", "talent", "--add", " "],
        &["themes", "merge", "talent", "--into", "talent"],
        &["themes", "merge", "nope", "--into", "talent"],
    ] {
        fails(&lib, args);
    }
    assert_eq!(lib.ok(&["themes", "export"]), codebook);
    assert_eq!(lib.ok(&["passages", "2", "--json"]), passages);
    assert_eq!(
        status_of(&passage_themes(&lib, "2", 1), "international").as_deref(),
        Some("accepted")
    );
}

#[test]
fn a_read_only_library_is_tagged_in_memory() {
    let lib = library();
    let writable = lib.ok(&["passages", "5", "--json"]);
    // A codebook edit makes every document stale; a read-only library cannot re-tag on disk.
    lib.ok(&["themes", "keywords", "talent", "--add", "引智"]);
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(lib.dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod dir");
    std::fs::set_permissions(&lib.db, std::fs::Permissions::from_mode(0o444)).expect("chmod db");
    let before = std::fs::read(&lib.db).expect("read");
    let args = [
        OsStr::new("--db"),
        lib.db.as_os_str(),
        OsStr::new("passages"),
        OsStr::new("5"),
        OsStr::new("--json"),
    ];
    let out = pizhu_unprivileged(&args).output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), writable);
    let tag = pizhu_unprivileged(&[
        OsStr::new("--db"),
        lib.db.as_os_str(),
        OsStr::new("tag"),
        OsStr::new("5"),
        OsStr::new("1"),
        OsStr::new("talent"),
        OsStr::new("--add"),
    ])
    .output()
    .expect("run");
    assert_eq!(tag.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&tag.stderr).contains("read-only"));
    assert_eq!(std::fs::read(&lib.db).expect("read"), before);
    std::fs::set_permissions(&lib.db, std::fs::Permissions::from_mode(0o644)).expect("chmod db");
}
