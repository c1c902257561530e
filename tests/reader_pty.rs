//! End to end: the real `pizhu` binary in a pseudo-terminal (`common/pty.rs`): two fixtures
//! side by side, the welcome screen, signals, notes, the editor, a library changed under the
//! reader, and the reader beside command lines on one library.

#[path = "common/pty.rs"]
mod pty;

use pizhu::store::Store;
use pty::{Session, TIMEOUT};
use std::time::{Duration, Instant};

/// The percentage shown in the title bar of the pane starting at column `x`.
fn title_percent(screen: &str, pane: usize) -> Option<u32> {
    let title = screen.lines().next()?;
    let part = title.split('│').nth(pane)?;
    let digits: String = part
        .trim_end()
        .strip_suffix('%')?
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.chars().rev().collect::<String>().parse().ok()
}

#[test]
fn two_fixtures_side_by_side_scroll_search_quit_and_come_back() {
    let home = tempfile::tempdir().expect("tempdir");
    let db = home.path().join("lib.db");
    let db_arg = db.to_str().expect("utf-8 path");
    let a = "tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt";
    let b = "tests/fixtures/shanghai-kechuang-zhongxin.zh-Hant.txt";
    let started = Instant::now();
    let mut s = Session::start(home.path(), &["--db", db_arg, a, b]);
    s.wait_for("the first frame", |screen| !screen.trim().is_empty());
    let first_frame = started.elapsed();
    s.wait_for("both documents", |screen| {
        screen.contains("专题党课") && screen.contains("上海科創") && screen.contains("│")
    });
    assert!(s.parser.screen().alternate_screen());
    eprintln!(
        "first frame after {first_frame:?}; both documents imported and shown after {:?}",
        started.elapsed()
    );

    s.send(" ");
    s.send(" ");
    s.wait_for("the left pane to scroll", |screen| {
        title_percent(screen, 0).is_some_and(|p| p > 0) && !screen.contains("更新时间")
    });
    assert_eq!(
        title_percent(&s.screen(), 1),
        Some(0),
        "the right pane stays"
    );

    s.send("/科技\r");
    s.wait_for("a search result", |screen| {
        screen
            .lines()
            .last()
            .is_some_and(|l| l.contains("/科技  match"))
    });
    let first = s.screen().lines().last().unwrap_or("").to_string();
    s.send("n");
    s.wait_for("the next match", |screen| {
        screen
            .lines()
            .last()
            .is_some_and(|l| l.contains("/科技  match") && l != first)
    });

    s.send("\t");
    s.send("G");
    s.wait_for("the right pane at its end", |screen| {
        title_percent(screen, 1).is_some_and(|p| p > 90)
    });

    s.send("q");
    assert!(s.wait_exit(), "pizhu exits with success");
    assert!(
        !s.parser.screen().alternate_screen(),
        "the main screen is back"
    );
    assert!(
        !s.parser.screen().hide_cursor(),
        "the cursor is shown again"
    );

    let store = Store::open(&db).expect("library");
    let docs = store.list_documents().expect("documents");
    assert_eq!(docs.len(), 2);
    let left = store.reading_position(docs[0].id).expect("position");
    assert!(left.is_some_and(|p| p > 0), "{left:?}");
    drop(store);

    let mut again = Session::start(home.path(), &["--db", db_arg]);
    again.wait_for("the panes restored", |screen| {
        screen.contains("专题党课")
            && screen.contains("上海科創")
            && title_percent(screen, 1).is_some_and(|p| p > 90)
    });
    again.send("q");
    assert!(again.wait_exit());
}

#[test]
fn an_empty_library_shows_the_welcome_screen() {
    let home = tempfile::tempdir().expect("tempdir");
    let db = home.path().join("lib.db");
    let mut s = Session::start(home.path(), &["--db", db.to_str().expect("utf-8 path")]);
    s.wait_for("the welcome screen", |screen| {
        screen.contains("pizhu import PATH") && screen.contains("pizhu --demo")
    });
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn sigterm_quits_cleanly_and_saves_the_position() {
    let home = tempfile::tempdir().expect("tempdir");
    let db = home.path().join("lib.db");
    let a = "tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt";
    let mut s = Session::start(home.path(), &["--db", db.to_str().expect("utf-8 path"), a]);
    s.wait_for("the document", |screen| screen.contains(" 0% "));
    s.send("}}}");
    s.wait_for("the cursor to move", |screen| {
        title_percent(screen, 0).is_some_and(|p| p > 0)
    });
    let pid = s.child.process_id().expect("pid");
    let pid = libc::pid_t::try_from(pid).expect("pid fits");
    // SAFETY: kill only sends a signal to the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    assert!(s.wait_exit(), "pizhu exits with success on SIGTERM");
    assert!(
        !s.parser.screen().alternate_screen(),
        "the main screen is back"
    );
    let store = Store::open(&db).expect("library");
    let id = store.list_documents().expect("documents")[0].id;
    assert!(
        store
            .reading_position(id)
            .expect("position")
            .is_some_and(|p| p > 0)
    );
}

#[test]
fn a_broken_config_is_reported_before_the_screen_changes() {
    let home = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        home.path().join("config.toml"),
        "[keys.reader]\n\"x\" = \"fly\"\n",
    )
    .expect("write config");
    let db = home.path().join("lib.db");
    let mut s = Session::start(home.path(), &["--db", db.to_str().expect("utf-8 path")]);
    assert!(!s.wait_exit(), "pizhu fails");
    assert!(!s.parser.screen().alternate_screen());
    let screen = s.screen();
    assert!(
        screen.contains("pizhu:") && screen.contains("config.toml"),
        "{screen}"
    );
}

#[test]
fn select_annotate_with_a_chinese_note_quit_and_find_it_again() {
    let home = tempfile::tempdir().expect("tempdir");
    let db = home.path().join("lib.db");
    let db_arg = db.to_str().expect("utf-8 path");
    let a = "tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt";
    let mut s = Session::start(home.path(), &["--db", db_arg, a]);
    s.wait_for("the document", |screen| screen.contains(" 0% "));
    // Down to a body paragraph, select to the end of its sentence, write a note.
    s.send("}}");
    s.send("v)");
    s.wait_for("visual mode", |screen| {
        screen
            .lines()
            .last()
            .is_some_and(|l| l.contains("h highlight"))
    });
    s.send("a");
    s.wait_for("the note editor", |screen| {
        screen.contains("Esc or Ctrl-s saves")
    });
    s.send("需要核实的数据");
    s.send("\r第二行");
    s.wait_for("the note typed", |screen| {
        screen.contains("需要核实的数据") && screen.contains("第二行")
    });
    s.send("\x13");
    s.wait_for("the annotation saved", |screen| {
        screen
            .lines()
            .last()
            .is_some_and(|l| l.contains("saved annotation #1"))
    });
    s.send("q");
    assert!(s.wait_exit());

    let store = Store::open(&db).expect("library");
    let notes = store.annotations(&Default::default()).expect("annotations");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].note, "需要核实的数据\n第二行");
    assert!(notes[0].quote.ends_with('。'), "{:?}", notes[0].quote);
    drop(store);

    // Next time the reader opens where it was, the cursor in the annotation: its note shows.
    let mut again = Session::start(home.path(), &["--db", db_arg]);
    again.wait_for("the note on the status line", |screen| {
        screen
            .lines()
            .last()
            .is_some_and(|l| l.contains("需要核实的数据"))
    });
    again.send("q");
    assert!(again.wait_exit());
}

#[test]
fn ctrl_e_edits_the_note_in_the_users_editor_and_the_reader_comes_back() {
    let home = tempfile::tempdir().expect("tempdir");
    let db = home.path().join("lib.db");
    let db_arg = db.to_str().expect("utf-8 path");
    let a = "tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt";
    // The "editor" rewrites the note without asking anything.
    let editor = "sed -i 's/草稿/定稿：外部编辑器/'";
    let mut s = Session::start_with(home.path(), &["--db", db_arg, a], &[("VISUAL", editor)]);
    s.wait_for("the document", |screen| screen.contains(" 0% "));
    s.send("}}v)a");
    s.wait_for("the note editor", |screen| {
        screen.contains("Esc or Ctrl-s saves")
    });
    s.send("草稿");
    s.wait_for("the draft", |screen| screen.contains("草稿"));
    s.send("\x05");
    s.wait_for("the note read back", |screen| {
        screen.contains("定稿：外部编辑器") && screen.contains("Esc or Ctrl-s saves")
    });
    assert!(
        s.parser.screen().alternate_screen(),
        "the reader has the screen again"
    );
    s.send("\x1b");
    s.wait_for("the annotation saved", |screen| {
        screen
            .lines()
            .last()
            .is_some_and(|l| l.contains("saved annotation #1"))
    });
    s.send("q");
    assert!(s.wait_exit());
    let store = Store::open(&db).expect("library");
    let notes = store.annotations(&Default::default()).expect("annotations");
    assert_eq!(notes[0].note, "定稿：外部编辑器");
}

#[test]
fn a_library_deleted_or_replaced_under_the_reader_is_a_message_not_a_crash() {
    let a = "tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt";
    for replace in [false, true] {
        let home = tempfile::tempdir().expect("tempdir");
        let db = home.path().join("lib.db");
        let mut s = Session::start(home.path(), &["--db", db.to_str().expect("utf-8 path"), a]);
        s.wait_for("the document", |screen| screen.contains(" 0% "));
        let what = if replace {
            let other = home.path().join("other.db");
            Store::open(&other).expect("another library");
            std::fs::rename(&other, &db).expect("replace");
            "replaced by another file"
        } else {
            std::fs::remove_file(&db).expect("delete");
            "was deleted"
        };
        s.wait_for("the message", |screen| screen.contains(what));
        s.send("G");
        s.wait_for("the reader going on", |screen| {
            title_percent(screen, 0).is_some_and(|p| p > 0)
        });
        s.send("q");
        assert!(s.wait_exit(), "pizhu quits normally");
        assert!(!s.parser.screen().alternate_screen());
    }
}

#[test]
fn the_reader_and_three_command_lines_annotate_one_library_at_once_and_nothing_is_lost() {
    let home = tempfile::tempdir().expect("tempdir");
    let db = home.path().join("lib.db");
    let db_arg = db.to_str().expect("utf-8 path").to_string();
    let a = "tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt";
    let mut s = Session::start(home.path(), &["--db", &db_arg, a]);
    s.wait_for("the document", |screen| screen.contains(" 0% "));

    // Three writers on the command line, 15 annotations each, while the reader makes five.
    const WRITERS: usize = 3;
    const EACH: usize = 15;
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let db = db_arg.clone();
            std::thread::spawn(move || {
                (0..EACH)
                    .map(|i| {
                        let start = (w * EACH + i) * 7;
                        std::process::Command::new(env!("CARGO_BIN_EXE_pizhu"))
                            .args(["--db", &db, "annotate", "1"])
                            .args(["--start", &start.to_string()])
                            .args(["--end", &(start + 5).to_string()])
                            .args(["--note", &format!("命令行 {w}-{i}")])
                            .output()
                            .expect("run pizhu annotate")
                    })
                    .filter(|out| !out.status.success())
                    .map(|out| String::from_utf8_lossy(&out.stderr).into_owned())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let highlights = || {
        Store::open(&db)
            .and_then(|store| store.annotations(&Default::default()))
            .map_or(0, |all| all.iter().filter(|a| a.note.is_empty()).count())
    };
    for n in 1..=5 {
        s.send("}v)h");
        let deadline = Instant::now() + TIMEOUT;
        while highlights() < n {
            assert!(
                Instant::now() < deadline,
                "highlight {n} not saved:\n{}",
                s.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        s.wait_for("the status line", |screen| {
            screen.lines().last().is_some_and(|l| l.contains("saved"))
        });
        let screen = s.screen();
        assert!(
            !screen.contains("locked") && !screen.contains("busy"),
            "highlight {n}: {screen}"
        );
        // Esc clears the message. Wait for that, or the next keys arrive in the same read and
        // the terminal's parser takes Esc and the next key for Alt and that key.
        s.send("\x1b");
        s.wait_for("the message cleared", |screen| {
            screen.lines().last().is_some_and(|l| !l.contains("saved"))
        });
    }
    let failures: Vec<String> = writers
        .into_iter()
        .flat_map(|w| w.join().expect("writer thread"))
        .collect();
    assert!(failures.is_empty(), "command lines failed: {failures:?}");
    s.send("q");
    assert!(s.wait_exit());

    let store = Store::open(&db).expect("library");
    let notes = store.annotations(&Default::default()).expect("annotations");
    let from_cli = notes
        .iter()
        .filter(|a| a.note.starts_with("命令行"))
        .count();
    assert_eq!(from_cli, WRITERS * EACH, "every command line's annotation");
    assert_eq!(notes.len() - from_cli, 5, "every highlight of the reader");
    let report = store.check().expect("check");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// A FIFO whose writer (the returned handle) has sent nothing yet: importing it waits, as for
/// a slow source, until the writer sends and closes it or the import is cancelled.
fn silent_fifo(dir: &std::path::Path) -> (std::path::PathBuf, std::fs::File) {
    let fifo = dir.join("慢.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // Opened for reading and writing, a FIFO does not wait for the other end (Linux).
    let writer = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .expect("open the fifo");
    (fifo, writer)
}

/// `pizhu --db DB FILE` on a FIFO that is slow to come, quit with `q` while it imports.
fn quit_during_an_import(home: &std::path::Path, db: &std::path::Path) -> (Session, std::fs::File) {
    let (fifo, writer) = silent_fifo(home);
    let mut s = Session::start(
        home,
        &[
            "--db",
            db.to_str().expect("utf-8 path"),
            fifo.to_str().expect("utf-8 path"),
        ],
    );
    s.wait_for("the import to start", |screen| screen.contains("importing"));
    s.send("q");
    s.wait_for("the notice that the import goes on", |screen| {
        screen.contains("finishing the import")
    });
    assert!(
        !s.parser.screen().alternate_screen(),
        "the terminal is the shell's again while the import finishes"
    );
    (s, writer)
}

#[test]
fn quitting_during_an_import_finishes_it_and_says_so() {
    use std::io::Write as _;
    let home = tempfile::tempdir().expect("tempdir");
    let db = home.path().join("lib.db");
    let (mut s, mut writer) = quit_during_an_import(home.path(), &db);
    writer
        .write_all("慢慢写来的一篇文章。\n".as_bytes())
        .expect("write to the fifo");
    drop(writer);
    assert!(s.wait_exit(), "pizhu exits with success");
    assert!(
        s.screen().contains("pizhu: 1 document imported"),
        "{}",
        s.screen()
    );
    let store = Store::open(&db).expect("library");
    assert_eq!(store.list_documents().expect("documents").len(), 1);
}

#[test]
fn ctrl_c_after_quitting_cancels_the_import_under_way() {
    let home = tempfile::tempdir().expect("tempdir");
    let db = home.path().join("lib.db");
    let (mut s, writer) = quit_during_an_import(home.path(), &db);
    s.send("\x03");
    assert!(s.wait_exit(), "pizhu exits with success");
    let screen = s.screen();
    assert!(
        screen.contains("pizhu: stopping")
            && screen.contains("import cancelled: 0 documents imported whole"),
        "{screen}"
    );
    drop(writer);
    let store = Store::open(&db).expect("library");
    assert!(store.list_documents().expect("documents").is_empty());
}
