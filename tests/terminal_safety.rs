//! A document's bytes never drive the user's terminal: on a terminal, `cat`, `list` and
//! `info` show escape sequences, controls and bidi overrides as visible symbols; to a pipe,
//! `cat` passes the text through unchanged.

mod common;

use common::*;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::Read;
use std::time::{Duration, Instant};

/// A text with a colour escape, an OSC 52 clipboard write, an OSC title change, a bell, a C1
/// CSI and a bidi override, among ordinary Chinese lines.
const HOSTILE: &str = "恶意标题\x1b]0;pwned\x07\n\n第一段\x1b[31m红色\x1b[0m文字。\n\
    \x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x07复制剪贴板。\n第三段\u{202e}反向\u{9b}2J清屏。\n";

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
