//! The search index and related passages through the real binary: script-insensitive search
//! with stored offsets, short queries, `--limit`, libraries indexed lazily, and `related`.

mod common;

use common::*;

/// A library with the five fixtures, ids 1–5 in [`FIXTURES`] order.
fn library() -> Lib {
    let lib = Lib::new();
    for name in FIXTURES {
        lib.ok(&["import", fixture(name).to_str().expect("path")]);
    }
    lib
}

fn hits(lib: &Lib, args: &[&str]) -> Vec<serde_json::Value> {
    lib.json(args).as_array().expect("array").clone()
}

fn at(hit: &serde_json::Value, key: &str) -> usize {
    hit[key].as_u64().expect("number") as usize
}

#[test]
fn each_script_finds_the_other_with_exact_stored_offsets() {
    let lib = library();
    for query in ["新质生产力", "新質生產力"] {
        let found = hits(&lib, &["search", query, "--json"]);
        assert!(
            found.iter().filter(|h| h["doc"] == 5).count() > 10,
            "{query}"
        );
        assert!(found.iter().any(|h| h["doc"] == 3), "{query}");
        for hit in found.iter().filter(|h| h["doc"] == 3) {
            let stored: Vec<char> = fixture_text(FIXTURES[2]).chars().collect();
            let raw: String = stored[at(hit, "start")..at(hit, "end")].iter().collect();
            assert_eq!(raw, "新质生产力");
            assert_eq!(hit["matched"], "新质生产力");
        }
    }
    assert_eq!(
        lib.ok(&["search", "新质生产力", "--json"]),
        lib.ok(&["search", "新質生產力", "--json"])
    );
}

#[test]
fn one_and_two_character_queries_find_every_occurrence() {
    let lib = library();
    for (query, doc) in [("科", 1u64), ("上海", 4), ("創", 5)] {
        let view = lib.ok(&["cat", &doc.to_string()]);
        let expected = view.matches(query).count();
        let found = hits(&lib, &["search", query, "--json"]);
        let in_doc = found.iter().filter(|h| h["doc"] == doc).count();
        assert!(expected > 0, "{query}");
        assert_eq!(in_doc, expected, "{query} in #{doc}");
    }
    let limited = hits(&lib, &["search", "科", "--json", "--limit", "3"]);
    assert_eq!(limited.len(), 3);
}

#[test]
fn a_library_from_before_the_index_is_indexed_on_the_first_search() {
    let lib = library();
    let before = lib.ok(&["search", "创新", "--json"]);
    let conn = rusqlite::Connection::open(&lib.db).expect("open");
    conn.execute("DELETE FROM indexed_docs", [])
        .expect("delete");
    drop(conn);
    let out = lib
        .cmd(&["search", "创新", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(note.contains("indexing 5 documents"), "{note}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), before);
    let again = lib.cmd(&["search", "创新"]).output().expect("run");
    assert!(again.stderr.is_empty(), "indexed once");
}

#[test]
fn an_import_with_a_deferred_index_is_indexed_on_the_first_search() {
    let lib = library();
    let indexed = lib.ok(&["search", "創新", "--json"]);
    let deferred = Lib::new();
    for name in FIXTURES {
        deferred.ok(&[
            "import",
            "--defer-index",
            fixture(name).to_str().expect("path"),
        ]);
    }
    let out = deferred
        .cmd(&["search", "創新", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(note.contains("indexing 5 documents"), "{note}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), indexed);
}

#[test]
fn related_ranks_a_near_duplicate_of_the_passage_first() {
    let lib = library();
    let passages = hits(&lib, &["passages", "3", "--json"]);
    let (n, text) = passages
        .iter()
        .map(|p| (at(p, "n"), p["text"].as_str().expect("text").to_string()))
        .max_by_key(|(_, t)| t.chars().count())
        .expect("passages");
    let copy = lib.path("copy.txt");
    std::fs::write(&copy, format!("转载说明\n\n{text}又及。\n")).expect("write");
    lib.ok(&["import", copy.to_str().expect("path")]);
    let related = hits(&lib, &["related", "3", &n.to_string(), "--json"]);
    assert!(!related.is_empty() && related.len() <= 10);
    assert_eq!(related[0]["doc"], 6, "{:?}", related[0]);
    assert!(related[0]["score"].as_f64().expect("score") > 0.9);
    let mut last = f64::MAX;
    for r in &related {
        assert_ne!(r["doc"], 3, "other documents only");
        let score = r["score"].as_f64().expect("score");
        assert!(score <= last && score > 0.0 && score <= 1.0);
        last = score;
        for key in ["title", "passage", "start", "end", "text"] {
            assert!(!r[key].is_null(), "{key}");
        }
    }
    assert_eq!(
        hits(&lib, &["related", "3", "1", "--json", "--limit", "2"]).len(),
        2
    );
    lib.cmd(&["related", "3", "9999"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("there is no passage 9999"));
}
