//! `pizhu import`, `list`, `cat`, `info`, `rm` on the real fixtures and a real library file.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn importing_the_fixtures_lists_them_with_encoding_and_script() {
    let lib = Lib::new();
    let report = lib.json(&[
        "import",
        "--json",
        fixture("").to_str().expect("utf-8 path"),
    ]);
    let items = report.as_array().expect("array");
    // The fixture folder holds the five texts and the corpus README.
    assert_eq!(items.len(), 6, "{report:#}");
    assert!(
        items.iter().all(|i| i["status"] == "imported"),
        "{report:#}"
    );

    let list = lib.json(&["list", "--json"]);
    let docs = list.as_array().expect("array");
    assert_eq!(docs.len(), 6);
    for doc in docs {
        for key in [
            "id",
            "title",
            "source",
            "encoding",
            "script",
            "chars",
            "source_bytes",
            "content_hash",
            "imported_at",
        ] {
            assert!(doc.get(key).is_some(), "{key} missing in {doc}");
        }
        assert_eq!(doc["encoding"], "utf-8");
    }
    let script_of = |suffix: &str| {
        docs.iter()
            .find(|d| d["source"].as_str().is_some_and(|s| s.ends_with(suffix)))
            .map(|d| d["script"].as_str().unwrap_or_default().to_string())
            .expect("document")
    };
    assert_eq!(
        script_of("wuda-chuangxin-zhanyi.zh-Hant.txt"),
        "traditional"
    );
    assert_eq!(
        script_of("keji-chanye-ronghe-dangke.zh-Hans.txt"),
        "simplified"
    );
    assert_eq!(script_of("README.md"), "non-chinese");

    let human = lib.ok(&["list"]);
    assert!(human.contains("traditional"), "{human}");
    assert!(human.contains("utf-8"), "{human}");
}

#[test]
fn cat_prints_the_text_exactly_as_imported() {
    let lib = Lib::new();
    for name in FIXTURES {
        let report = lib.json(&["import", "--json", fixture(name).to_str().expect("path")]);
        let id = report[0]["id"].to_string();
        assert_eq!(lib.ok(&["cat", &id, "--raw"]), fixture_text(name), "{name}");
    }
}

#[test]
fn titles_skip_css_and_spam_lines() {
    let lib = Lib::new();
    lib.ok(&["import", fixture("").to_str().expect("path")]);
    let list = lib.json(&["list", "--json"]);
    let titles: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"上海科創中心建設應堅定不移“拉長板”“補短板”"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"专题党课:学习贯彻党的二十届三中全会精神,推动科技创新和产业创新深度融合")
    );
    assert!(
        !titles
            .iter()
            .any(|t| t.contains("margin") || t.contains("精品")),
        "{titles:?}"
    );
}

#[test]
fn a_second_import_of_the_same_text_reports_the_existing_document() {
    let lib = Lib::new();
    let path = fixture(FIXTURES[0]);
    let path = path.to_str().expect("path");
    let first = lib.json(&["import", "--json", path]);
    let second = lib.json(&["import", "--json", path]);
    assert_eq!(second[0]["status"], "existing");
    assert_eq!(second[0]["id"], first[0]["id"]);
    lib.cmd(&["import", path])
        .assert()
        .success()
        .stdout(predicate::str::contains("already in the library as #1"));
    let forced = lib.json(&["import", "--json", "--force", path]);
    assert_eq!(forced[0]["status"], "imported");
    assert_eq!(
        lib.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn standard_input_is_imported_with_dash() {
    let lib = Lib::new();
    lib.cmd(&["import", "--json", "-"])
        .write_stdin("标准输入的标题\n\n正文内容。\r\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("\"source\": \"-\""))
        .stdout(predicate::str::contains("标准输入的标题"));
    assert_eq!(
        lib.ok(&["cat", "1", "--raw"]),
        "标准输入的标题\n\n正文内容。\n"
    );
}

#[test]
fn documents_are_found_by_title_prefix_and_ambiguity_lists_candidates() {
    let lib = Lib::new();
    lib.ok(&["import", fixture("").to_str().expect("path")]);
    let info = lib.json(&["info", "上海科創", "--json"]);
    assert_eq!(info["script"], "traditional");
    assert!(info["chars"].as_u64().unwrap_or(0) > 1000);
    let again = fixture(FIXTURES[0]);
    lib.ok(&["import", "--force", again.to_str().expect("path")]);
    lib.cmd(&["cat", "专题党课"])
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains("matches 2 documents"))
        .stderr(predicate::str::contains("use the id"));
    lib.cmd(&["info", "没有这个文件"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no document matches"));
}

#[test]
fn info_shows_path_encoding_script_size_and_date() {
    let lib = Lib::new();
    lib.ok(&["import", fixture(FIXTURES[4]).to_str().expect("path")]);
    let text = lib.ok(&["info", "1"]);
    for key in [
        "imported from:",
        "encoding:",
        "script:",
        "characters:",
        "imported at:",
    ] {
        assert!(text.contains(key), "{key} in {text}");
    }
    assert!(text.contains("traditional"));
    let library = lib.json(&["info", "--library", "--json"]);
    assert_eq!(library["documents"], 1);
    assert_eq!(library["path"], lib.db.to_str().expect("path"));
}

#[test]
fn rm_asks_off_a_terminal_for_yes_and_removes_with_it() {
    let lib = Lib::new();
    lib.ok(&["import", fixture(FIXTURES[0]).to_str().expect("path")]);
    lib.cmd(&["rm", "1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(
        lib.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(1)
    );
    lib.cmd(&["rm", "1", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Removed #1"));
    assert_eq!(
        lib.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(0)
    );
}

#[test]
fn every_subcommand_has_help() {
    for sub in ["import", "list", "cat", "info", "rm"] {
        pizhu()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: pizhu"));
    }
}

#[test]
fn two_processes_importing_into_one_library_both_succeed() {
    let lib = Lib::new();
    lib.ok(&["list"]);
    let children: Vec<_> = FIXTURES
        .iter()
        .map(|name| {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pizhu"));
            cmd.arg("--db")
                .arg(&lib.db)
                .args(["import", "--json"])
                .arg(fixture(name))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        lib.json(&["list", "--json"]).as_array().map(Vec::len),
        Some(FIXTURES.len())
    );
}

#[test]
fn ctrl_c_cancels_an_import_and_leaves_only_whole_documents() {
    use std::process::Stdio;
    let lib = Lib::new();
    let folder = lib.path("texts");
    std::fs::create_dir(&folder).expect("folder");
    let text = fixture_text(FIXTURES[0]).repeat(150);
    for i in 1..=6 {
        std::fs::write(folder.join(format!("{i}.txt")), format!("第{i}篇\n{text}")).expect("write");
    }
    let child = pizhu_std()
        .arg("--db")
        .arg(&lib.db)
        .arg("import")
        .arg(&folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pizhu");
    // Once the first document is stored (its line on standard output may wait in a buffer).
    let stored = || {
        rusqlite::Connection::open(&lib.db)
            .and_then(|db| db.query_row("SELECT count(*) FROM documents", [], |r| r.get(0)))
            .unwrap_or(0i64)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while stored() == 0 {
        assert!(std::time::Instant::now() < deadline, "nothing imported");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let out = child.wait_with_output().expect("pizhu ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("pizhu: import cancelled: "), "{stderr}");
    let listed = lib.json(&["list", "--json"]);
    let stored = listed.as_array().expect("list").len();
    assert!((1..=6).contains(&stored), "{stored} of 6 stored");
    assert!(
        lib.ok(&["check"]).contains("no problems found"),
        "only whole documents"
    );
}
