//! Where the library lives: `--db`, else `PIZHU_DB`, else the platform data folder; and the
//! demo, which writes nothing at all.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn db_flag_beats_the_environment_variable() {
    let lib = Lib::new();
    let env_db = lib.path("from-env.db");
    let flag_db = lib.path("from-flag.db");
    pizhu()
        .env("PIZHU_DB", &env_db)
        .args(["import", fixture(FIXTURES[0]).to_str().expect("path")])
        .assert()
        .success();
    assert!(env_db.exists());
    pizhu()
        .env("PIZHU_DB", &env_db)
        .arg("--db")
        .arg(&flag_db)
        .args(["list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("is empty"));
    assert!(flag_db.exists());
}

#[test]
fn the_default_library_is_in_the_platform_data_folder_created_on_first_use() {
    let lib = Lib::new();
    let data = lib.path("data home");
    pizhu()
        .env("XDG_DATA_HOME", &data)
        .env("HOME", lib.dir.path())
        .args(["info", "--library", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("pizhu/library.db"));
    assert!(data.join("pizhu/library.db").exists());
}

#[test]
fn the_demo_writes_nothing_to_disk() {
    let lib = Lib::new();
    let home = lib.dir.path();
    pizhu()
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .args(["--demo", "list", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "demo:02-dawanqu-chuangxin.zh-Hant",
        ));
    pizhu()
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .arg("--demo")
        .assert()
        .success()
        .stdout(predicate::str::contains("粵港澳大灣區"));
    let written: Vec<_> = std::fs::read_dir(home).expect("dir").collect();
    assert!(written.is_empty(), "the demo wrote {written:?}");
}

#[test]
fn the_demo_has_a_traditional_text_and_one_with_noise() {
    let demo = pizhu()
        .args(["--demo", "list", "--json"])
        .output()
        .expect("run");
    let docs: serde_json::Value = serde_json::from_slice(&demo.stdout).expect("json");
    let docs = docs.as_array().expect("array");
    assert!((3..=5).contains(&docs.len()));
    assert!(docs.iter().any(|d| d["script"] == "traditional"));
    let cat = |extra: &[&str]| {
        let out = pizhu()
            .args(["--demo", "cat", "3"])
            .args(extra)
            .output()
            .expect("run");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let raw = cat(&["--raw"]);
    assert!(raw.contains("此处隐藏"), "a paywall marker");
    assert!(raw.contains("font-size"), "a CSS fragment");
    assert!(raw.contains("ICP备"), "a licence footer");
    let view = cat(&[]);
    for debris in ["此处隐藏", "font-size", "ICP备", "相关阅读"] {
        assert!(!view.contains(debris), "{debris} is folded in the view");
    }
}
