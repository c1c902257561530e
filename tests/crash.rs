//! Never lose a note: the real binary killed with SIGKILL at random moments while it writes
//! annotations, then the library checked (`PRAGMA integrity_check`, every acknowledged
//! annotation present, nothing half-written); and several processes writing one library at
//! once, none of them told "database is locked".

mod common;

use common::*;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A small deterministic pseudo-random sequence (xorshift), so a failure can be replayed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn library() -> Lib {
    let lib = Lib::new();
    let path = fixture("keji-chanye-ronghe-dangke.zh-Hans.txt");
    lib.ok(&["import", path.to_str().expect("path")]);
    lib
}

fn check(lib: &Lib) -> Vec<(i64, String)> {
    let conn = rusqlite::Connection::open(&lib.db).expect("the library opens");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity check");
    assert_eq!(integrity, "ok");
    let mut stmt = conn
        .prepare("SELECT id, note FROM annotations ORDER BY id")
        .expect("query");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("annotations")
}

#[test]
fn killing_pizhu_while_it_annotates_loses_nothing_acknowledged() {
    let lib = library();
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    // How long one uninterrupted run takes on this machine now: kills land anywhere from the
    // start to a little past the end of a run, however loaded the machine is.
    let timer = Instant::now();
    lib.ok(&[
        "annotate",
        "1",
        "--start",
        "0",
        "--end",
        "1",
        "--note",
        "第0条笔记 =cmd",
    ]);
    let span = (timer.elapsed().as_micros() as u64 * 3 / 2).max(1000);
    let mut acknowledged = vec![(1, "第0条笔记 =cmd".to_string())];
    let attempts = 120;
    for i in 0..attempts {
        let start = random.below(2000).to_string();
        let end = (random.below(40) + 1 + start.parse::<u64>().unwrap_or(0)).to_string();
        let note = format!("第{i}条笔记 ✍️ \"quoted\", =cmd");
        let mut child = pizhu_std()
            .arg("--db")
            .arg(&lib.db)
            .args([
                "annotate", "1", "--start", &start, "--end", &end, "--note", &note,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn pizhu");
        // Every tenth run is left to finish, so that runs finish and runs are killed however
        // fast the machine is at the moment (other tests run beside this one).
        if i % 10 != 9 {
            std::thread::sleep(Duration::from_micros(random.below(span)));
            let _ = child.kill();
        }
        let out = child.wait_with_output().expect("wait");
        if out.status.success() {
            let id: i64 = String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .expect("an id");
            acknowledged.push((id, note));
        }
    }
    let stored = check(&lib);
    for pair in &acknowledged {
        assert!(
            stored.contains(pair),
            "acknowledged {pair:?} is in the library"
        );
    }
    assert!(stored.len() <= attempts + 1);
    // Every stored annotation is whole: its note is one of those written.
    assert!(
        stored
            .iter()
            .all(|(_, note)| note.starts_with('第') && note.ends_with("=cmd"))
    );
    // The kills were not all too early or too late to mean anything.
    assert!(acknowledged.len() > 1, "some runs finished");
    assert!(acknowledged.len() - 1 < attempts, "some runs were killed");
    // The library still takes writes.
    lib.ok(&["annotate", "1", "--start", "0", "--end", "2"]);
}

#[test]
fn four_processes_annotating_one_library_all_succeed() {
    let lib = library();
    let started = Instant::now();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let db = lib.db.clone();
            std::thread::spawn(move || {
                for i in 0..15 {
                    let start = (w * 100 + i).to_string();
                    let end = (w * 100 + i + 3).to_string();
                    let out = pizhu_std()
                        .arg("--db")
                        .arg(&db)
                        .args(["annotate", "1", "--start", &start, "--end", &end])
                        .output()
                        .expect("run pizhu");
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    assert!(out.status.success(), "writer {w}, {i}: {stderr}");
                    assert!(!stderr.contains("locked"), "{stderr}");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().expect("a writer");
    }
    assert_eq!(check(&lib).len(), 60);
    assert!(started.elapsed() < Duration::from_secs(120));
}

#[test]
fn check_finds_a_damaged_page_and_a_damaged_text() {
    let lib = library();
    let out = lib.ok(&["check"]);
    assert!(out.contains("no problems found (1 document"), "{out}");
    // Damage the stored text behind pizhu's back: its hash no longer matches.
    let conn = rusqlite::Connection::open(&lib.db).expect("open");
    conn.execute(
        "UPDATE text_parts SET bytes = CAST(replace(CAST(bytes AS TEXT), '科技', '料技') AS BLOB)
         WHERE doc_id = 1",
        [],
    )
    .expect("damage");
    drop(conn);
    let out = lib.cmd(&["check"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("stored text is damaged"), "{text}");
    assert!(text.contains("import --update 1"), "{text}");
    // Overwrite a B-tree page of the file: SQLite's own check reports it.
    let conn = rusqlite::Connection::open(&lib.db).expect("open");
    conn.pragma_update(None, "journal_mode", "DELETE")
        .expect("no WAL");
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'documents'",
            [],
            |r| r.get(0),
        )
        .expect("root page");
    drop(conn);
    let mut bytes = std::fs::read(&lib.db).expect("read");
    let at = (root as usize - 1) * 4096 + 8;
    bytes[at..at + 64].fill(0xee);
    std::fs::write(&lib.db, &bytes).expect("write");
    let out = lib.cmd(&["check"]).output().expect("run");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "{all}");
    assert!(
        all.contains("malformed") || all.contains("damaged"),
        "{all}"
    );
    // Other commands say the file is damaged and what to do, in one line.
    for args in [
        &["list"][..],
        &["cat", "1"],
        &["annotate", "1", "--start", "0", "--end", "2"],
    ] {
        let out = lib.cmd(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("the library file is damaged") && stderr.contains("pizhu check"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// `copies` copies of a fixture (9 KB each) under a first line that differs for every
/// `seed`, so each import is a new document.
fn big_text(seed: u64, copies: usize) -> String {
    format!(
        "第{seed}份文件\n{}",
        fixture_text(FIXTURES[0]).repeat(copies)
    )
}

#[test]
fn killing_pizhu_while_it_imports_leaves_no_half_imported_document() {
    let lib = library();
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let source = lib.path("big.txt");
    std::fs::write(&source, big_text(0, 30)).expect("write");
    let timer = Instant::now();
    lib.ok(&["import", source.to_str().expect("path")]);
    let span = (timer.elapsed().as_micros() as u64 * 4).max(1000);
    let mut acknowledged = vec![1, 2];
    let mut sizes = std::collections::HashMap::new();
    let attempts = 30;
    for i in 1..=attempts {
        let text = big_text(i, 30);
        std::fs::write(&source, &text).expect("write");
        let mut child = pizhu_std()
            .arg("--db")
            .arg(&lib.db)
            .args(["import", source.to_str().expect("path"), "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn pizhu");
        // Every fifth import is left to finish, so that runs finish and runs are killed
        // however fast the machine is at the moment (other tests run beside this one).
        if i % 5 != 0 {
            std::thread::sleep(Duration::from_micros(random.below(span)));
            let _ = child.kill();
        }
        let out = child.wait_with_output().expect("wait");
        if out.status.success() {
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
            acknowledged.push(json[0]["id"].as_i64().expect("an id"));
        }
        sizes.insert(format!("第{i}份文件"), text.chars().count() as i64);
    }
    check(&lib);
    // Every document is whole: its text (of the length written) and its layers are there,
    // and `pizhu check` finds each text matching its hash.
    let conn = rusqlite::Connection::open(&lib.db).expect("open");
    let rows: Vec<(i64, i64, String)> = conn
        .prepare(
            "SELECT d.id, (SELECT count(*) FROM layers l WHERE l.doc_id = d.id), d.title
             FROM documents d",
        )
        .expect("query")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("documents");
    let mut parts = conn
        .prepare("SELECT bytes FROM text_parts WHERE doc_id = ?1 ORDER BY part")
        .expect("query");
    for (id, layers, title) in &rows {
        let bytes: Vec<u8> = parts
            .query_map([id], |r| r.get::<_, Vec<u8>>(0))
            .expect("parts")
            .flat_map(|part| part.expect("part"))
            .collect();
        let chars = (!bytes.is_empty())
            .then(|| String::from_utf8(bytes).expect("UTF-8").chars().count() as i64);
        assert!(chars.is_some() && *layers > 0, "#{id} is half there");
        if let Some(expected) = sizes.get(title.as_str()) {
            assert_eq!(chars, Some(*expected), "#{id} {title}");
        }
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    for id in &acknowledged {
        assert!(
            ids.contains(id),
            "acknowledged import #{id} is in the library"
        );
    }
    assert!(acknowledged.len() > 2, "some runs finished");
    assert!(
        acknowledged.len() - 2 < attempts as usize,
        "some runs were killed"
    );
    let out = lib.cmd(&["check"]).output().expect("check");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn killing_pizhu_while_it_exports_leaves_the_library_whole_and_no_partial_file() {
    let lib = library();
    {
        let mut store = pizhu::store::Store::open(&lib.db).expect("open");
        for i in 0..2000 {
            store
                .create_annotation(&pizhu::annotations::NewAnnotation {
                    doc: 1,
                    span: pizhu::doc::Span::new(i % 3000, i % 3000 + 5),
                    color: pizhu::annotations::Color::Green,
                    note: format!("第{i}条, \"=cmd\"\n第二行"),
                    tags: vec!["待查".into()],
                })
                .expect("annotate");
        }
    }
    let reference = lib.path("reference.csv");
    let timer = Instant::now();
    lib.ok(&[
        "export",
        "--format",
        "csv",
        "-o",
        reference.to_str().expect("p"),
    ]);
    let span = (timer.elapsed().as_micros() as u64 * 3 / 2).max(1000);
    let reference = std::fs::read(&reference).expect("the reference export");
    let out = lib.path("out.csv");
    let mut random = Random(0x1234_5678_9abc_def1);
    let (mut whole, mut none) = (0, 0);
    for _ in 0..40 {
        let _ = std::fs::remove_file(&out);
        let mut child = pizhu_std()
            .arg("--db")
            .arg(&lib.db)
            .args(["export", "--format", "csv", "-o", out.to_str().expect("p")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn pizhu");
        std::thread::sleep(Duration::from_micros(random.below(span)));
        let _ = child.kill();
        child.wait().expect("wait");
        match std::fs::read(&out) {
            Ok(bytes) => {
                assert!(
                    bytes == reference,
                    "a partial export passed off as complete"
                );
                whole += 1;
            }
            Err(_) => none += 1,
        }
    }
    assert!(
        whole > 0 && none > 0,
        "kills before and after the end: {whole} {none}"
    );
    // What a killed export leaves is a hidden temporary file, never the name asked for.
    for entry in std::fs::read_dir(lib.dir.path()).expect("dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            !name.starts_with("out.csv") || name == "out.csv",
            "unexpected {name}"
        );
    }
    assert_eq!(check(&lib).len(), 2000);
}

/// Runs `script` with `$PIZHU` the binary and `$DIR` a 2 MB file system of its own: a tmpfs
/// in a user and mount namespace of its own (no root needed). `None` when this system does
/// not allow that.
fn on_a_small_disk(lib: &Lib, script: &str) -> Option<String> {
    let dir = lib.path("small");
    std::fs::create_dir(&dir).expect("mkdir");
    let full = format!("mount -t tmpfs -o size=2m tmpfs \"$DIR\" || exit 97\nexec 2>&1\n{script}");
    let out = std::process::Command::new("unshare")
        .args(["-rm", "bash", "-c", &full])
        .env("PIZHU", env!("CARGO_BIN_EXE_pizhu"))
        .env("DIR", &dir)
        .env("FIXTURE", fixture(FIXTURES[0]))
        .env("BIG", lib.path("big.txt"))
        .env_remove("PIZHU_DB")
        .env("XDG_DATA_HOME", "/nonexistent/pizhu-test-data")
        .env("XDG_CONFIG_HOME", "/nonexistent/pizhu-test-config")
        .output()
        .ok()?;
    if out.status.code() == Some(97) || !out.status.success() && out.stdout.is_empty() {
        eprintln!(
            "no tmpfs in a namespace here ({}); using RLIMIT_FSIZE instead",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return None;
    }
    Some(format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

#[test]
fn a_full_disk_is_a_clear_message_and_loses_nothing() {
    let lib = Lib::new();
    std::fs::write(lib.path("big.txt"), big_text(7, 300)).expect("write");
    let script = r#"
        L="$DIR/lib.db"
        "$PIZHU" --db "$L" import "$FIXTURE" >/dev/null || exit 1
        "$PIZHU" --db "$L" annotate 1 --start 0 --end 4 --note 保存的笔记 >/dev/null || exit 1
        echo "== import"; "$PIZHU" --db "$L" import "$BIG"; echo "rc=$?"
        echo "== check"; "$PIZHU" --db "$L" check; echo "rc=$?"
        echo "== notes"; "$PIZHU" --db "$L" notes; echo "rc=$?"
        head -c 3000000 /dev/zero > "$DIR/filler" 2>/dev/null
        echo "== annotate"; "$PIZHU" --db "$L" annotate 1 --start 5 --end 9 --note 新; echo "rc=$?"
        echo "== export"; "$PIZHU" --db "$L" export --format md -o "$DIR/notes.md"; echo "rc=$?"
        ls -a "$DIR"
        rm "$DIR/filler"
        echo "== after"; "$PIZHU" --db "$L" check; echo "rc=$?"
        "$PIZHU" --db "$L" notes; "$PIZHU" --db "$L" list
    "#;
    let output = match on_a_small_disk(&lib, script) {
        Some(output) => output,
        None => rlimit_fallback(&lib),
    };
    assert!(!output.contains("panicked"), "{output}");
    let section = |name: &str| {
        let start = output.find(&format!("== {name}\n")).expect(name);
        let rest = &output[start..];
        rest[..rest[3..].find("== ").map_or(rest.len(), |e| e + 3)].to_string()
    };
    let import = section("import");
    assert!(import.contains("rc=1"), "{output}");
    // ENOSPC is SQLite's "disk full"; EFBIG (the RLIMIT_FSIZE fallback) an I/O error.
    assert!(
        import.contains("the disk is full") || import.contains("is the disk full"),
        "{output}"
    );
    assert!(
        section("check").contains("no problems found (1 document, 1 annotation)"),
        "{output}"
    );
    assert!(section("notes").contains("保存的笔记"), "{output}");
    assert!(section("annotate").contains("rc=1"), "{output}");
    assert!(section("export").contains("rc=1"), "{output}");
    assert!(
        !output.contains("\nnotes.md\n"),
        "no partial export: {output}"
    );
    let after = section("after");
    assert!(after.contains("no problems found"), "{output}");
    assert!(after.contains("保存的笔记"), "{output}");
}

/// Without namespaces: writes limited by RLIMIT_FSIZE (`ulimit -f`, SIGXFSZ ignored, so a
/// write past the limit fails with EFBIG as on a full disk).
fn rlimit_fallback(lib: &Lib) -> String {
    let l = lib.path("lib.db");
    let run = |limit: Option<u64>, args: &str| {
        let limit = limit.map_or(String::new(), |kb| format!("ulimit -f {kb}; trap '' XFSZ;"));
        let out = std::process::Command::new("bash")
            .args(["-c", &format!("{limit} exec \"$PIZHU\" --db \"$L\" {args}")])
            .env("PIZHU", env!("CARGO_BIN_EXE_pizhu"))
            .env("L", &l)
            .env("XDG_CONFIG_HOME", "/nonexistent/pizhu-test-config")
            .output()
            .expect("bash");
        format!(
            "{}{}rc={}\n",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            out.status.code().unwrap_or(-1)
        )
    };
    let fixture = fixture(FIXTURES[0]);
    run(None, &format!("import '{}'", fixture.display()));
    run(None, "annotate 1 --start 0 --end 4 --note 保存的笔记");
    let size = std::fs::metadata(&l).expect("library").len() / 1024;
    let big = lib.path("big.txt");
    let mut out = String::new();
    out += &format!(
        "== import\n{}",
        run(Some(size + 64), &format!("import '{}'", big.display()))
    );
    out += &format!("== check\n{}", run(None, "check"));
    out += &format!("== notes\n{}", run(None, "notes"));
    out += &format!(
        "== annotate\n{}",
        run(Some(1), "annotate 1 --start 5 --end 9")
    );
    let md = lib.path("notes.md");
    out += &format!(
        "== export\n{}",
        run(
            Some(1),
            &format!("export --format md -o '{}'", md.display())
        )
    );
    out += &format!("== after\n{}{}", run(None, "check"), run(None, "notes"));
    out
}
