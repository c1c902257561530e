//! Noise folding through the real binary: the reading view (`cat`), the stored text
//! (`cat --raw`), the labelled noise (`cat --show-noise`, `noise --json`), the reader's
//! overrides (`fold`, `unfold`) surviving `reclean`, and search across folded readings.

mod common;

use common::*;
use std::collections::BTreeSet;

/// A library with the five fixtures, ids 1–5 in [`FIXTURES`] order.
fn library() -> Lib {
    let lib = Lib::new();
    for name in FIXTURES {
        lib.ok(&["import", fixture(name).to_str().expect("path")]);
    }
    lib
}

#[test]
fn cat_prints_the_reading_view_of_each_fixture() {
    let lib = library();
    for (i, name) in FIXTURES.iter().enumerate() {
        let view = lib.ok(&["cat", &(i + 1).to_string()]);
        insta::assert_snapshot!(format!("view-{name}"), view);
        assert_eq!(
            lib.ok(&["cat", &(i + 1).to_string(), "--raw"]),
            fixture_text(name)
        );
    }
}

#[test]
fn show_noise_brackets_every_folded_range_and_loses_nothing() {
    let lib = library();
    for (i, name) in FIXTURES.iter().enumerate() {
        let shown = lib.ok(&["cat", &(i + 1).to_string(), "--show-noise"]);
        let noise = lib.json(&["noise", &(i + 1).to_string(), "--json"]);
        let ranges = noise.as_array().expect("array");
        assert!(!ranges.is_empty(), "{name} has debris");
        let mut restored = shown.clone();
        for range in ranges {
            let reason = range["reason"].as_str().expect("reason");
            let text = range["text"].as_str().expect("text");
            let marked = format!("[-{reason}: {text}-]");
            assert!(restored.contains(&marked), "{name}: {marked}");
            restored = restored.replacen(&marked, text, 1);
        }
        assert_eq!(restored, fixture_text(name), "{name}: markers hide nothing");
    }
}

#[test]
fn noise_json_has_offsets_into_the_stored_text() {
    let lib = library();
    let expected_reasons: [&[&str]; 5] = [
        &["paywall"],
        &["site-chrome", "boilerplate"],
        &["seo-meta"],
        &["spam"],
        &["css", "pinyin-reading"],
    ];
    for (i, name) in FIXTURES.iter().enumerate() {
        let stored: Vec<char> = fixture_text(name).chars().collect();
        let noise = lib.json(&["noise", &(i + 1).to_string(), "--json"]);
        let mut reasons = BTreeSet::new();
        for range in noise.as_array().expect("array") {
            let start = range["start"].as_u64().expect("start") as usize;
            let end = range["end"].as_u64().expect("end") as usize;
            let slice: String = stored[start..end].iter().collect();
            assert_eq!(range["text"], slice, "{name} {range}");
            assert!(range["why"].as_str().is_some_and(|w| !w.is_empty()));
            reasons.insert(range["reason"].as_str().expect("reason").to_string());
        }
        let expected: BTreeSet<String> =
            expected_reasons[i].iter().map(|r| r.to_string()).collect();
        assert_eq!(reasons, expected, "{name}");
    }
}

#[test]
fn pinyin_readings_disappear_and_search_finds_the_word() {
    let lib = library();
    let view = lib.ok(&["cat", "5"]);
    assert!(view.contains("新質生產力"));
    assert!(!view.contains("(zhì)"));
    for query in ["新質生產力", "內在要求和重要著力點"] {
        let hits = lib.json(&["search", query, "--json"]);
        let hits = hits.as_array().expect("array");
        assert!(!hits.is_empty(), "{query}");
        let stored: Vec<char> = fixture_text(FIXTURES[4]).chars().collect();
        for hit in hits.iter().filter(|h| h["doc"] == 5) {
            let start = hit["start"].as_u64().expect("start") as usize;
            let end = hit["end"].as_u64().expect("end") as usize;
            let raw: String = stored[start..end].iter().collect();
            let without_readings = regex_free_strip_readings(&raw);
            assert_eq!(without_readings, query, "{raw}");
        }
    }
}

/// Removes `(pinyin)` readings by hand, to check search offsets independently of the cleaner.
fn regex_free_strip_readings(raw: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in raw.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn info_shows_the_metadata_lines() {
    let lib = library();
    let info = lib.json(&["info", "5", "--json"]);
    let metadata = info["metadata"].as_array().expect("metadata");
    assert!(
        metadata
            .iter()
            .any(|m| m["kind"] == "author" && m["value"] == "樊繼達")
    );
    assert!(
        metadata
            .iter()
            .any(|m| m["kind"] == "date" && m["value"] == "2024-08-28 17:04:55")
    );
    assert_eq!(info["script"], "traditional");
    let text = lib.ok(&["info", "4"]);
    assert!(
        text.contains("date:") && text.contains("2023-09-01"),
        "{text}"
    );
}

#[test]
fn fold_and_unfold_survive_reclean() {
    let lib = library();
    let passages = lib.json(&["passages", "3", "--json"]);
    let third = passages[2]["text"].as_str().expect("text").to_string();
    assert!(lib.ok(&["cat", "3"]).contains(&third));
    lib.ok(&["fold", "3", "3"]);
    assert!(!lib.ok(&["cat", "3"]).contains(&third), "folded away");
    let seo = lib.json(&["noise", "3", "--json"]);
    let seo_range = seo
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["reason"] == "seo-meta")
        .expect("the SEO line is folded");
    let seo_start = seo_range["start"].clone();
    let is_passage = |lib: &Lib| {
        let passages = lib.json(&["passages", "3", "--json"]);
        passages
            .as_array()
            .expect("array")
            .iter()
            .any(|p| p["start"] == seo_start)
    };
    assert!(!is_passage(&lib));
    lib.ok(&["unfold", "3", &seo_range["n"].to_string()]);
    assert!(is_passage(&lib), "unfolded back");

    lib.ok(&["reclean", "--force"]);
    assert!(
        !lib.ok(&["cat", "3"]).contains(&third),
        "the fold survives re-cleaning"
    );
    assert!(is_passage(&lib), "the unfold survives re-cleaning");
    assert_eq!(
        lib.ok(&["cat", "3", "--raw"]),
        fixture_text(FIXTURES[2]),
        "text untouched"
    );
}

#[test]
fn reclean_without_force_skips_current_documents() {
    let lib = library();
    let out = lib.ok(&["reclean"]);
    assert!(out.contains("already cleaned"), "{out}");
}

#[test]
fn fold_out_of_range_is_a_clear_error() {
    let lib = library();
    lib.cmd(&["fold", "1", "999"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("there is no paragraph 999"));
    lib.cmd(&["unfold", "3", "0"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("there is no folded range 0"));
}

#[test]
fn search_matches_across_scripts() {
    let lib = library();
    let hits_in = |query: &str, doc: u64| {
        let hits = lib.json(&["search", query, "--json"]);
        hits.as_array()
            .expect("array")
            .iter()
            .filter(|h| h["doc"] == doc)
            .count()
    };
    // The Traditional wuda text (5) and the Simplified ronghe text (3) both speak of it.
    for query in ["新质生产力", "新質生產力"] {
        assert!(hits_in(query, 5) > 10, "{query} in the Traditional text");
        assert!(hits_in(query, 3) > 0, "{query} in a Simplified text");
    }
    assert_eq!(hits_in("新质生产力", 5), hits_in("新質生產力", 5));
}

#[test]
fn reclean_rebuilds_documents_cleaned_by_an_older_pizhu() {
    let lib = library();
    // As if document 2 had been cleaned by an older cleaner (or never).
    let conn = rusqlite::Connection::open(&lib.db).expect("open");
    conn.execute("UPDATE documents SET cleaner_version = 0 WHERE id = 2", [])
        .expect("update");
    conn.execute("DELETE FROM layers WHERE doc_id = 2", [])
        .expect("delete");
    drop(conn);
    let before = lib.ok(&["cat", "2"]);
    let out = lib.ok(&["reclean"]);
    assert!(out.contains("re-cleaned #2"), "{out}");
    assert!(
        !out.contains("#1") && !out.contains("#3"),
        "only the old one: {out}"
    );
    assert_eq!(
        lib.json(&["info", "2", "--json"])["cleaner_version"],
        pizhu::clean::CLEANER_VERSION
    );
    assert_eq!(lib.ok(&["cat", "2"]), before, "same rules, same view");
}
