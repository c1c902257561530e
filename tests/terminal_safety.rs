//! A document's bytes never drive the user's terminal: on a terminal, `cat`, `list` and
//! `info` show escape sequences, controls and bidi overrides as visible symbols; to a pipe,
//! `cat` passes the text through unchanged. The reader itself, run in a pty on the same text,
//! writes none of the document's sequences (its own drawing sequences aside).

mod common;

use common::*;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::Read;
use std::time::{Duration, Instant};

/// A text with a colour escape, an OSC 52 clipboard write, OSC title changes, an OSC 8 link,
/// a cursor move, a bell, C1 controls (CSI, DCS, OSC) and bidi overrides, among ordinary
/// Chinese lines, one of them very long.
const HOSTILE: &str = "恶意标题\x1b]0;PWNED-TITLE\x07\n\n第一段\x1b[31m红色\x1b[0m文字。\n\
    \x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x07复制剪贴板。\n第三段\u{202e}反向\u{9b}2J清屏。\n\
    链接\x1b]8;;http://evil.example/\x1b\\点这里\x1b]8;;\x1b\\完。\x1b]2;PWNED-TITLE\x1b\\\n\
    光标\x1b[5;1337H移动\u{90}1$q\u{9c}\u{9d}0;PWNED-TITLE\u{9c}\u{2067}隔离\u{2069}。\n";

/// The document's sequences, as bytes that must never reach a terminal.
const SEQUENCES: &[&[u8]] = &[
    b"\x1b]0;PWNED",
    b"\x1b]2;PWNED",
    b"\x1b]52;",
    b"\x1b]8;",
    b"\x1b[31m\xe7\xba\xa2",
    b"\x1b[5;1337H",
    b"\x07",
];

/// Runs pizhu in a pseudo-terminal and returns every byte it wrote.
fn run_in_pty(args: &[&str]) -> Vec<u8> {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pizhu"));
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env("PIZHU_CONFIG", "/nonexistent/pizhu-test-config.toml");
    cmd.env_remove("PIZHU_DB");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn pizhu");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut out = Vec::new();
    loop {
        while let Ok(bytes) = rx.recv_timeout(Duration::from_millis(50)) {
            out.extend(bytes);
        }
        if let Some(status) = child.try_wait().expect("child status") {
            while let Ok(bytes) = rx.recv_timeout(Duration::from_millis(100)) {
                out.extend(bytes);
            }
            assert!(status.success(), "pizhu {args:?} failed");
            return out;
        }
        assert!(Instant::now() < deadline, "pizhu {args:?} did not finish");
    }
}

fn assert_inert(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !bytes.contains(&0x1b),
        "{what}: an ESC reached the terminal: {text:?}"
    );
    assert!(!bytes.contains(&0x07), "{what}: a BEL reached the terminal");
    assert!(
        !text.contains('\u{9b}'),
        "{what}: a C1 CSI reached the terminal"
    );
    assert!(
        !text.contains('\u{202e}'),
        "{what}: a bidi override reached the terminal"
    );
    assert_no_document_sequence(bytes, what);
}

/// None of the document's escape sequences, C1 controls or bidi controls is in `bytes`.
fn assert_no_document_sequence(bytes: &[u8], what: &str) {
    for sequence in SEQUENCES {
        assert!(
            !bytes.windows(sequence.len()).any(|w| w == *sequence),
            "{what}: {:?} reached the terminal",
            String::from_utf8_lossy(sequence)
        );
    }
    let text = String::from_utf8_lossy(bytes);
    let bad = text.chars().find(
        |c| matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
    );
    assert_eq!(
        bad, None,
        "{what}: a C1 or bidi control reached the terminal"
    );
}

/// The reader on `db` in a pty: every byte it wrote from the start to the end, after it
/// listed the library, was sent `keys` and quit.
fn reader_in_pty(db: &str, keys: &[&str]) -> Vec<u8> {
    use std::io::Write as _;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pizhu"));
    cmd.args(["--db", db]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("PIZHU_CONFIG", "/nonexistent/pizhu-test-config.toml");
    cmd.env_remove("PIZHU_DB");
    cmd.env_remove("NO_COLOR");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn pizhu");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut writer = pair.master.take_writer().expect("pty writer");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut out = Vec::new();
    // The screen as a terminal shows it, to wait for the library list.
    let mut screen = vt100::Parser::new(
        std::num::NonZeroU16::new(30).expect("rows"),
        std::num::NonZeroU16::new(100).expect("columns"),
        0,
    );
    while !screen.screen().contents().contains("恶意标题") {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for the library: {}",
            screen.screen().contents()
        );
        if let Ok(bytes) = rx.recv_timeout(Duration::from_millis(100)) {
            screen.process(&bytes);
            out.extend(bytes);
        }
    }
    for key in keys {
        writer.write_all(key.as_bytes()).expect("keys");
        writer.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(150));
    }
    writer.write_all(b"q").expect("quit");
    writer.flush().expect("flush");
    loop {
        while let Ok(bytes) = rx.recv_timeout(Duration::from_millis(50)) {
            out.extend(bytes);
        }
        if let Some(status) = child.try_wait().expect("child status") {
            while let Ok(bytes) = rx.recv_timeout(Duration::from_millis(100)) {
                out.extend(bytes);
            }
            assert!(status.success(), "the reader failed");
            return out;
        }
        assert!(Instant::now() < deadline, "the reader did not quit");
    }
}

#[test]
fn the_reader_writes_none_of_a_documents_sequences_to_the_terminal() {
    for sequence in SEQUENCES {
        let found = HOSTILE
            .as_bytes()
            .windows(sequence.len())
            .any(|w| w == *sequence);
        assert!(
            found,
            "the document holds {sequence:?}, so the test can fail"
        );
    }
    let lib = Lib::new();
    let path = lib.path("hostile.txt");
    std::fs::write(&path, HOSTILE).expect("write");
    lib.ok(&["import", path.to_str().expect("path")]);
    let db = lib.db.to_str().expect("path");
    // Open it from the library, move through it, show the noise, open the passage and
    // annotations views: every screen that shows its text.
    let bytes = reader_in_pty(
        db,
        &["\r", "j", "j", "z", "G", "g", "t", "\x1b", "A", "\x1b"],
    );
    assert_no_document_sequence(&bytes, "the reader");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains('␛'), "escapes are shown as symbols");
}

#[test]
fn hostile_text_is_inert_on_a_terminal_and_unchanged_in_a_pipe() {
    let lib = Lib::new();
    let path = lib.path("hostile.txt");
    std::fs::write(&path, HOSTILE).expect("write");
    lib.ok(&["import", path.to_str().expect("path")]);
    assert_eq!(
        lib.ok(&["cat", "1", "--raw"]),
        HOSTILE,
        "a pipe gets the text as it is"
    );

    let db = lib.db.to_str().expect("path");
    for args in [
        &["--db", db, "cat", "1", "--raw"][..],
        &["--db", db, "cat", "1"],
        &["--db", db, "cat", "1", "--show-noise"],
        &["--db", db, "list"],
        &["--db", db, "info", "1"],
        &["--db", db, "search", "段"],
        &["--db", db, "passages", "1"],
    ] {
        let bytes = run_in_pty(args);
        assert_inert(&bytes, &args[2..].join(" "));
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains('␛') || args[2] == "search" || args[2] == "passages",
            "{text}"
        );
    }
}
