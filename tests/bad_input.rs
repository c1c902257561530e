//! Bad input: each case gets a one-line error naming the file and the problem, a non-zero
//! exit code, and leaves what the library already holds exactly as it was.

mod common;

use common::*;
use predicates::prelude::*;
use std::ffi::OsStr;

/// A library that already holds one document, and a way to check it is unchanged.
struct Stocked {
    lib: Lib,
    before: String,
}

impl Stocked {
    fn new() -> Stocked {
        let lib = Lib::new();
        lib.ok(&["import", fixture(FIXTURES[3]).to_str().expect("path")]);
        let before = lib.ok(&["list", "--json"]);
        Stocked { lib, before }
    }

    fn assert_unchanged(&self) {
        assert_eq!(self.lib.ok(&["list", "--json"]), self.before);
        assert_eq!(
            self.lib.ok(&["cat", "1", "--raw"]),
            fixture_text(FIXTURES[3])
        );
    }

    /// Imports `path` expecting a failure whose single stderr line contains `problem`.
    fn refuses(&self, path: &std::path::Path, extra: &[&str], problem: &str) {
        let mut args = vec!["import"];
        args.extend_from_slice(extra);
        let path_str = path.to_str().expect("path");
        args.push(path_str);
        let out = self.lib.cmd(&args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(path_str), "names the file: {stderr}");
        assert!(stderr.contains(problem), "says {problem:?}: {stderr}");
        self.assert_unchanged();
    }
}

#[test]
fn missing_path() {
    let s = Stocked::new();
    s.refuses(
        &s.lib.path("no-such-file.txt"),
        &[],
        "no such file or folder",
    );
}

#[test]
fn folder_without_text_files() {
    let s = Stocked::new();
    let dir = s.lib.path("pictures");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("a.png"), b"\x89PNG").expect("write");
    s.refuses(&dir, &[], "no .txt or .md files");
}

#[test]
fn empty_file() {
    let s = Stocked::new();
    let path = s.lib.path("empty.txt");
    std::fs::write(&path, b"").expect("write");
    s.refuses(&path, &[], "empty file");
}

#[test]
fn file_of_blank_lines() {
    let s = Stocked::new();
    let path = s.lib.path("blank.txt");
    std::fs::write(&path, b"\n\n  \n\t\n").expect("write");
    s.refuses(&path, &[], "no text");
}

#[test]
fn binary_file_with_nul_bytes() {
    let s = Stocked::new();
    let path = s.lib.path("data.txt");
    std::fs::write(&path, b"abc\0\0\0def\0ghi").expect("write");
    s.refuses(&path, &[], "binary");
}

#[test]
fn image_file() {
    let s = Stocked::new();
    let path = s.lib.path("photo.txt");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
    png.extend(std::iter::repeat_n(0xA5u8, 200));
    std::fs::write(&path, png).expect("write");
    s.refuses(&path, &[], "PNG");
}

#[test]
fn file_not_decodable_in_the_forced_encoding() {
    let s = Stocked::new();
    let path = s.lib.path("utf16.txt");
    // Big5 lead bytes followed by bytes Big5 never uses as trail bytes.
    std::fs::write(&path, b"\xa4\x05\xa4\x06 plain").expect("write");
    s.refuses(&path, &["--encoding", "big5"], "not valid big5");
}

#[test]
fn unknown_forced_encoding() {
    let s = Stocked::new();
    let out = s
        .lib
        .cmd(&[
            "import",
            "--encoding",
            "klingon",
            fixture(FIXTURES[0]).to_str().expect("p"),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("klingon"), "{stderr}");
    s.assert_unchanged();
}

#[test]
fn file_too_large() {
    let s = Stocked::new();
    let path = s.lib.path("huge.txt");
    // A sparse file: 600 MiB long, nothing on disk.
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(600 * 1024 * 1024).expect("set_len");
    s.refuses(&path, &[], "512 MiB");
}

#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let s = Stocked::new();
    open_up(s.lib.dir.path());
    open_up(&s.lib.db);
    let path = s.lib.path("secret.txt");
    std::fs::write(&path, "机密").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // The library must be writable by the unprivileged user for the import to get that far.
    for suffix in ["-wal", "-shm"] {
        let side = std::path::PathBuf::from(format!("{}{suffix}", s.lib.db.display()));
        if side.exists() {
            open_up(&side);
        }
    }
    let out = pizhu_unprivileged(&[
        OsStr::new("--db"),
        s.lib.db.as_os_str(),
        OsStr::new("import"),
        path.as_os_str(),
    ])
    .output()
    .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("secret.txt: permission denied"), "{stderr}");
    s.assert_unchanged();
}

#[test]
fn library_path_that_is_a_folder() {
    let lib = Lib::new();
    let dir = lib.path("a-folder");
    std::fs::create_dir(&dir).expect("mkdir");
    pizhu()
        .arg("--db")
        .arg(&dir)
        .arg("list")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("a-folder: is a folder"));
}

#[test]
fn read_only_library_reads_but_does_not_write() {
    let s = Stocked::new();
    // Owned by root and not writable by the unprivileged user (or read-only for the owner).
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(s.lib.dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod dir");
    std::fs::set_permissions(&s.lib.db, std::fs::Permissions::from_mode(0o444)).expect("chmod db");
    let run = |args: &[&str]| {
        let mut all = vec![OsStr::new("--db"), s.lib.db.as_os_str()];
        all.extend(args.iter().map(OsStr::new));
        pizhu_unprivileged(&all).output().expect("run")
    };
    let list = run(&["list"]);
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    assert!(String::from_utf8_lossy(&list.stdout).contains("上海科創"));
    let cat = run(&["cat", "1", "--raw"]);
    assert_eq!(
        String::from_utf8_lossy(&cat.stdout),
        fixture_text(FIXTURES[3])
    );

    let import = run(&["import", fixture(FIXTURES[0]).to_str().expect("p")]);
    let stderr = String::from_utf8_lossy(&import.stderr);
    assert_eq!(import.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert!(stderr.contains("importing"), "{stderr}");
    let rm = run(&["rm", "1", "--yes"]);
    assert!(String::from_utf8_lossy(&rm.stderr).contains("read-only"));
    std::fs::set_permissions(&s.lib.db, std::fs::Permissions::from_mode(0o644)).expect("chmod db");
    s.assert_unchanged();
}

#[test]
fn corrupt_library_file() {
    let lib = Lib::new();
    let junk =
        b"SQLite format 2? no: this is just a text file pretending to be a library.".repeat(50);
    std::fs::write(&lib.db, &junk).expect("write");
    for args in [
        &["list"][..],
        &["import", fixture(FIXTURES[0]).to_str().expect("p")],
    ] {
        lib.cmd(args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("file is not a database"))
            .stderr(predicate::str::contains(lib.db.to_str().expect("path")));
    }
    assert_eq!(
        std::fs::read(&lib.db).expect("read"),
        junk,
        "left untouched"
    );
}

#[test]
fn library_from_a_newer_pizhu() {
    let lib = Lib::new();
    lib.ok(&["list"]);
    set_user_version(&lib.db, 999);
    let before = std::fs::read(&lib.db).expect("read");
    lib.cmd(&["list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("newer pizhu"));
    assert_eq!(std::fs::read(&lib.db).expect("read"), before);
}

/// Sets `PRAGMA user_version` by patching the header (bytes 60..64, big-endian), so the test
/// does not need an SQLite binding of its own.
fn set_user_version(db: &std::path::Path, version: u32) {
    let mut bytes = std::fs::read(db).expect("read");
    bytes[60..64].copy_from_slice(&version.to_be_bytes());
    std::fs::write(db, bytes).expect("write");
}

#[test]
fn one_bad_file_in_a_folder_is_skipped_and_the_rest_imported() {
    let s = Stocked::new();
    let dir = s.lib.path("mixed bag 文件夹");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::copy(fixture(FIXTURES[0]), dir.join("a.txt")).expect("copy");
    std::fs::write(dir.join("b.txt"), b"\0\0\0binary").expect("write");
    std::fs::copy(fixture(FIXTURES[2]), dir.join("c.md")).expect("copy");
    let out = s
        .lib
        .cmd(&["import", dir.to_str().expect("path")])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "partial failure is a failure");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("b.txt: binary"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2 imported, 0 already in the library, 1 failed"),
        "{stdout}"
    );
    let list = s.lib.json(&["list", "--json"]);
    assert_eq!(list.as_array().map(Vec::len), Some(3));
}

/// Imports `path` expecting success; returns the new document's `info --json`.
fn imports(lib: &Lib, path: &std::path::Path) -> serde_json::Value {
    let out = lib.ok(&["import", path.to_str().expect("path"), "--json"]);
    let imported: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let id = imported[0]["id"].as_i64().expect("an id").to_string();
    lib.json(&["info", &id, "--json"])
}

#[test]
fn one_byte_files() {
    let s = Stocked::new();
    let path = s.lib.path("one.txt");
    std::fs::write(&path, b"\n").expect("write");
    s.refuses(&path, &[], "no text");
    std::fs::write(&path, b"\0").expect("write");
    s.refuses(&path, &[], "binary");
    std::fs::write(&path, b"a").expect("write");
    let info = imports(&s.lib, &path);
    assert_eq!(info["chars"], 1, "{info}");
}

#[test]
fn a_file_of_only_newlines() {
    let s = Stocked::new();
    let path = s.lib.path("newlines.txt");
    std::fs::write(&path, "\n".repeat(100_000)).expect("write");
    s.refuses(&path, &[], "no text");
    std::fs::write(&path, "\r\n".repeat(1000)).expect("write");
    s.refuses(&path, &[], "no text");
}

#[test]
fn invalid_utf8_in_the_middle_of_valid_text_is_replaced_not_mojibake() {
    let s = Stocked::new();
    let path = s.lib.path("damaged.txt");
    let mut bytes = "第一段文字，内容正常。\n".repeat(20).into_bytes();
    bytes.extend_from_slice(b"\xff\xfe\x80");
    bytes.extend_from_slice("第二段文字。\n".repeat(20).as_bytes());
    std::fs::write(&path, &bytes).expect("write");
    // Forced UTF-8 stays strict.
    s.refuses(&path, &["--encoding", "utf-8"], "not valid utf-8");
    let info = imports(&s.lib, &path);
    assert_eq!(info["encoding"], "utf-8, 3 bad bytes as U+FFFD", "{info}");
    assert_eq!(info["script"], "simplified", "{info}");
    let id = info["id"].to_string();
    let text = s.lib.ok(&["cat", &id, "--raw"]);
    let expected = format!(
        "{}\u{FFFD}\u{FFFD}\u{FFFD}{}",
        "第一段文字，内容正常。\n".repeat(20),
        "第二段文字。\n".repeat(20)
    );
    assert_eq!(text, expected);
}

#[test]
fn mixed_encodings_are_decoded_line_by_line() {
    let s = Stocked::new();
    let path = s.lib.path("mixed.txt");
    let utf8 = "简体中文内容，这是统一码。\n".repeat(10);
    let gbk_text = "这是国标编码的一段中文，共有几行。\n".repeat(10);
    let mut bytes = utf8.clone().into_bytes();
    bytes.extend_from_slice(&encoding_rs::GBK.encode(&gbk_text).0);
    std::fs::write(&path, &bytes).expect("write");
    let info = imports(&s.lib, &path);
    let encoding = info["encoding"].as_str().expect("encoding");
    assert!(encoding.starts_with("utf-8 + gb"), "{encoding}");
    assert!(encoding.contains("(10 lines)"), "{encoding}");
    let id = info["id"].to_string();
    assert_eq!(
        s.lib.ok(&["cat", &id, "--raw"]),
        format!("{utf8}{gbk_text}")
    );
}

#[test]
fn a_fifo_nobody_writes_to_does_not_hang() {
    let s = Stocked::new();
    let fifo = s.lib.path("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let mut child = pizhu_std()
        .arg("--db")
        .arg(&s.lib.db)
        .arg("import")
        .arg(&fifo)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = std::time::Instant::now();
    while child.try_wait().expect("status").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            panic!("pizhu import of a FIFO without a writer hangs");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("pipe.txt: empty file"), "{stderr}");
    s.assert_unchanged();

    // With a writer, the FIFO's text is imported.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, "管道里的文字。\n").expect("write"))
    };
    std::thread::sleep(std::time::Duration::from_millis(200));
    let out = s.lib.ok(&["import", fifo.to_str().expect("path")]);
    writer.join().expect("writer");
    assert!(out.contains("管道里的文字"), "{out}");
}

#[test]
fn symlink_loops() {
    let s = Stocked::new();
    let (a, b) = (s.lib.path("a.txt"), s.lib.path("b.txt"));
    std::os::unix::fs::symlink(&b, &a).expect("link");
    std::os::unix::fs::symlink(&a, &b).expect("link");
    s.refuses(&a, &[], "symbolic links");
    // A folder holding a link to itself: walked once.
    let dir = s.lib.path("folder");
    std::fs::create_dir(&dir).expect("mkdir");
    std::os::unix::fs::symlink(&dir, dir.join("again")).expect("link");
    std::fs::copy(fixture(FIXTURES[0]), dir.join("one.txt")).expect("copy");
    let out = s.lib.ok(&["import", dir.to_str().expect("path")]);
    assert!(out.contains("folder/one.txt"), "{out}");
    let list = s.lib.json(&["list", "--json"]);
    assert_eq!(list.as_array().map(Vec::len), Some(2), "imported once");
}

#[test]
fn a_path_with_spaces_and_chinese_characters() {
    let s = Stocked::new();
    let dir = s.lib.path("新 文件夹 (2)");
    std::fs::create_dir(&dir).expect("mkdir");
    let path = dir.join("我的 笔记 «副本».txt");
    std::fs::copy(fixture(FIXTURES[1]), &path).expect("copy");
    let info = imports(&s.lib, &path);
    assert_eq!(info["source"], path.to_str().expect("path"), "{info}");
    let id = info["id"].to_string();
    assert_eq!(s.lib.ok(&["cat", &id, "--raw"]), fixture_text(FIXTURES[1]));
    // And as a library path.
    let lib = Lib {
        db: dir.join("我的 库.db"),
        dir: tempfile::tempdir().expect("tempdir"),
    };
    lib.ok(&["import", path.to_str().expect("path")]);
    assert!(lib.ok(&["list"]).contains("全球"), "the document is listed");
}

#[test]
fn a_document_of_a_million_paragraphs() {
    let s = Stocked::new();
    let path = s.lib.path("million.txt");
    let text: String = (0..1_000_000).map(|i| format!("第{i}段。\n")).collect();
    std::fs::write(&path, &text).expect("write");
    let info = imports(&s.lib, &path);
    let id = info["id"].to_string();
    let last = s.lib.ok(&["passages", &id]);
    assert!(
        last.trim_end().ends_with("1000000  第999999段。"),
        "{}",
        &last[last.len().saturating_sub(200)..]
    );
    assert_eq!(s.lib.ok(&["cat", &id, "--raw"]), text);
}

/// Bytes of the one-line file in the regular test run: big enough to be more than any
/// buffer, small enough to take seconds in a debug build. `large_one_line_file_of_500_mib`
/// runs the real thing on demand.
const ONE_LINE_BYTES: usize = 20 * 1024 * 1024;

fn one_line_file(lib: &Lib, bytes: usize) -> (std::path::PathBuf, u64) {
    use std::io::Write as _;
    let path = lib.path("one-line.txt");
    let unit = "一行很长的文字，没有换行符。".repeat(1000);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let mut written = 0;
    while written + unit.len() <= bytes {
        file.write_all(unit.as_bytes()).expect("write");
        written += unit.len();
    }
    file.flush().expect("flush");
    (path, written as u64)
}

fn imports_one_line(bytes: usize) {
    let s = Stocked::new();
    let (path, size) = one_line_file(&s.lib, bytes);
    let info = imports(&s.lib, &path);
    assert_eq!(info["source_bytes"].as_u64(), Some(size), "{info}");
    let id = info["id"].to_string();
    let out = s.lib.cmd(&["cat", &id, "--raw"]).output().expect("cat");
    assert_eq!(out.stdout.len() as u64, size);
    let found = s.lib.ok(&["search", "没有换行符", "--limit", "3"]);
    assert_eq!(
        found.lines().filter(|l| l.starts_with('#')).count(),
        3,
        "{found}"
    );
}

#[test]
fn a_large_file_of_one_line() {
    imports_one_line(ONE_LINE_BYTES);
}

/// The large one-line file, just under the 512 MiB limit (a 1 GB file is refused by
/// its size: `file_too_large`). Run with
/// `cargo test --release --test bad_input -- --ignored large_one_line_file_of_500_mib`.
#[test]
#[ignore = "writes 500 MiB and takes minutes"]
fn large_one_line_file_of_500_mib() {
    imports_one_line(500 * 1024 * 1024);
}

#[test]
fn a_note_of_ten_megabytes() {
    let s = Stocked::new();
    let big = "很长的笔记。".repeat(10 * 1024 * 1024 / 18);
    let source = s.lib.path("note.txt");
    std::fs::write(&source, &big).expect("write");
    // The note comes in through the user's editor (a command line cannot carry 10 MB).
    let editor = s.lib.path("editor.sh");
    std::fs::write(
        &editor,
        format!("#!/bin/sh\ncat '{}' > \"$1\"\n", source.display()),
    )
    .expect("write");
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let id = s.lib.ok(&["annotate", "1", "--start", "0", "--end", "4"]);
    let id = id.trim();
    s.lib
        .cmd(&["note", "edit", id])
        .env("EDITOR", &editor)
        .env_remove("VISUAL")
        .assert()
        .success();
    let shown = s.lib.json(&["note", "show", id, "--json"]);
    assert_eq!(shown["note"].as_str().map(str::len), Some(big.len()));
    let md = s.lib.ok(&["export", "--format", "md"]);
    assert!(md.len() > big.len(), "the export holds the whole note");
    s.lib.ok(&["check"]);
}

#[test]
fn a_codebook_toml_with_errors_changes_nothing() {
    let s = Stocked::new();
    let before = s.lib.ok(&["themes", "export"]);
    let bad = s.lib.path("bad codebook.toml");
    for (content, problem) in [
        (&b"[[theme]]\nid = \"x\nname = \"y\"\n"[..], "line 2"),
        (b"[[theme]]\nid = \"x\"\n", "name"),
        (b"\xff\xfe[[theme]]", "UTF-8"),
        (b"", "no theme"),
        (b"# nothing but a comment\n", "no theme"),
    ] {
        std::fs::write(&bad, content).expect("write");
        let out = s
            .lib
            .cmd(&["themes", "import", bad.to_str().expect("path")])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("bad codebook.toml"), "{stderr}");
        assert!(stderr.contains(problem), "{problem}: {stderr}");
    }
    assert_eq!(s.lib.ok(&["themes", "export"]), before);
    s.assert_unchanged();
}

#[test]
fn a_library_in_a_read_only_folder() {
    use std::os::unix::fs::PermissionsExt as _;
    let s = Stocked::new();
    s.lib.ok(&[
        "annotate",
        "1",
        "--start",
        "0",
        "--end",
        "4",
        "--note",
        "旧笔记",
    ]);
    let notes = s.lib.ok(&["notes"]);
    // As root, pizhu_unprivileged runs it as nobody, for whom permissions apply.
    open_up(s.lib.dir.path());
    std::fs::set_permissions(s.lib.dir.path(), std::fs::Permissions::from_mode(0o555))
        .expect("chmod dir");
    std::fs::set_permissions(&s.lib.db, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let run = |args: &[&str]| {
        let mut all = vec![OsStr::new("--db"), s.lib.db.as_os_str()];
        all.extend(args.iter().map(OsStr::new));
        pizhu_unprivileged(&all).output().expect("run")
    };
    let listed = run(&["notes"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&listed.stdout), notes);
    let exported = run(&["export", "--format", "md"]);
    assert!(String::from_utf8_lossy(&exported.stdout).contains("旧笔记"));
    for args in [
        &["annotate", "1", "--start", "5", "--end", "9"][..],
        &["import", fixture(FIXTURES[0]).to_str().expect("p")],
        &["note", "rm", "1"],
    ] {
        let out = run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("read-only"), "{args:?}: {stderr}");
    }
    std::fs::set_permissions(s.lib.dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod dir");
    std::fs::set_permissions(&s.lib.db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    assert_eq!(s.lib.ok(&["notes"]), notes);
    s.assert_unchanged();
}
