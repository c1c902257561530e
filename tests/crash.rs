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
        std::thread::sleep(Duration::from_micros(random.below(span)));
        let _ = child.kill();
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
    assert!(out.contains("no problems found (1 documents"), "{out}");
    // Damage the stored text behind pizhu's back: its hash no longer matches.
    let conn = rusqlite::Connection::open(&lib.db).expect("open");
    conn.execute(
        "UPDATE document_texts SET text = replace(text, '科技', '料技') WHERE doc_id = 1",
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
}
