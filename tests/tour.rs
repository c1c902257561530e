//! The README's five-minute tour, done by the real binary in a pseudo-terminal on a new
//! library: the welcome screen imports the demo texts, two of them are read side by side with
//! synchronized scrolling and a search, a theme is followed across them and shown in the
//! matrix and the compare view, a sentence is highlighted with a note, and the notes are
//! exported to Markdown. Each step waits for its screen; at the end the exported file and
//! the library are checked. Keep it in step with README's "Five-minute tour".

#[path = "common/pty.rs"]
mod pty;

use pty::Session;
use std::path::Path;

/// Sends `keys` and waits until the screen shows what `ok` looks for.
fn step(s: &mut Session, keys: &str, what: &str, ok: impl Fn(&str) -> bool) {
    s.send(keys);
    s.wait_for(what, ok);
}

fn status_line(screen: &str) -> &str {
    screen.lines().last().unwrap_or("")
}

/// The position percentages in the title bar, one per pane.
fn percents(screen: &str) -> Vec<u32> {
    let title = screen.lines().next().unwrap_or("");
    title
        .split('│')
        .filter_map(|part| {
            let number = part.trim_end().strip_suffix('%')?;
            let digits: String = number
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.chars().rev().collect::<String>().parse().ok()
        })
        .collect()
}

fn reader_with_both(screen: &str) -> bool {
    let title = screen.lines().next().unwrap_or("");
    title.contains("以新质生产力引领产业升级") && title.contains("粵港澳大灣區")
}

/// `pizhu ARGS` with the session's home, as a command line.
fn pizhu(home: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pizhu"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("PIZHU_CONFIG", home.join("config.toml"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("PIZHU_DB")
        .output()
        .expect("run pizhu");
    assert!(out.status.success(), "pizhu {args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn the_five_minute_tour() {
    let home = tempfile::tempdir().expect("home");
    let work = tempfile::tempdir().expect("work folder");
    let mut s = Session::start_in(work.path(), home.path(), &[], &[]);

    // 1. Import: the welcome screen offers the demo texts; the first two open side by side.
    s.wait_for("the welcome screen", |screen| {
        screen.contains("Your library is empty") && screen.contains("D  import the demo texts")
    });
    step(&mut s, "D", "two demo texts side by side", |screen| {
        reader_with_both(screen) && status_line(screen).contains("4 documents imported")
    });
    s.wait_for("the themes' chips in the gutter", |screen| {
        screen.contains('○')
    });

    // 2. Read side by side: scroll both at once, search one.
    step(&mut s, "S", "synchronized scrolling", |screen| {
        status_line(screen).contains("synchronized scrolling on")
    });
    step(&mut s, " ", "both panes a page down", |screen| {
        let at = percents(screen);
        at.len() == 2 && at.iter().all(|&p| p > 0)
    });
    step(&mut s, "/创新\r", "a match", |screen| {
        status_line(screen).contains("/创新  match ")
    });
    let first = s.screen().lines().last().unwrap_or("").to_string();
    step(&mut s, "n", "the next match", |screen| {
        status_line(screen).contains("  match ") && status_line(screen) != first
    });

    // 3. Follow a theme: the passage's themes, follow one, jump in every pane; the matrix
    //    and the compare view.
    step(&mut s, "g", "the beginning", |screen| {
        percents(screen) == [0, 0]
    });
    step(&mut s, "}}", "a body paragraph", |screen| {
        percents(screen)[0] > 0
    });
    step(&mut s, "t", "the passage's themes", |screen| {
        status_line(screen).contains("Enter follow")
    });
    step(&mut s, "\r", "the theme followed", |screen| {
        status_line(screen).contains("following 新质生产力") && status_line(screen).contains("⟶")
    });
    step(&mut s, "]t", "its next passage", |screen| {
        status_line(screen).contains("新质生产力: passage")
    });
    step(&mut s, "M", "the matrix", |screen| {
        screen.contains("Matrix: 4 documents × 17 themes")
    });
    step(&mut s, "\x1b", "the reader again", reader_with_both);
    step(&mut s, "C", "the compare view", |screen| {
        screen.contains("Compare: 新质生产力")
    });
    step(&mut s, "\x1b", "the reader again", reader_with_both);

    // 4. Highlight a sentence and write a note.
    step(&mut s, "v)a", "the note editor", |screen| {
        screen.contains("Esc or Ctrl-s saves the note")
    });
    step(&mut s, "值得细读", "the note typed", |screen| {
        screen.contains("值得细读")
    });
    step(&mut s, "\x1b", "the annotation saved", |screen| {
        status_line(screen).contains("saved annotation #1")
    });
    step(&mut s, "A", "the annotations view", |screen| {
        screen.contains("Annotations: 1 of 1") && screen.contains("值得细读")
    });

    // 5. Export the notes to Markdown.
    step(&mut s, "E", "the export dialog", |screen| {
        screen.contains("export notes") && screen.contains("-notes.md")
    });
    step(&mut s, "\r", "the file written", |screen| {
        status_line(screen).contains("exported 1 annotation")
    });
    step(&mut s, "\x1b", "the reader again", reader_with_both);
    s.send("q");
    assert!(s.wait_exit());

    let written: Vec<_> = std::fs::read_dir(work.path())
        .expect("work folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let markdown = std::fs::read_to_string(&written[0]).expect("the export");
    assert!(markdown.contains("从实践看，发展新质生产力"), "{markdown}");
    assert!(markdown.contains("值得细读"), "{markdown}");
    let list = pizhu(home.path(), &["list"]);
    assert_eq!(
        list.lines().filter(|l| l.contains("demo:")).count(),
        0,
        "{list}"
    );
    assert!(list.contains("粵港澳大灣區如何成為區域創新高地"), "{list}");
    let notes = pizhu(home.path(), &["notes"]);
    assert!(notes.contains("值得细读"), "{notes}");
}
