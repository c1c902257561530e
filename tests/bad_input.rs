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
