//! Every message pizhu writes for its reader, in one snapshot (`tests/snapshots/
//! messages__messages.snap`), so that a changed or new message shows in review. The house
//! style is in docs/messages.md.
//!
//! The list is read from the source: the first string literal of each error (`#[error(…)]`),
//! status line message (`set_status(…)`), failure (`Failed(…)`, `Done(…)`), `bail!`,
//! `anyhow!`, `context`/`with_context` and `eprintln!`; and every string literal of two words
//! or more in `src/tui/views/` (titles, hints, empty states). Format arguments stay as written
//! (`{title}`). It does not see messages built from pieces in variables first, or `println!`
//! output (results, not messages), nor test code.

use regex::Regex;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let name = path.file_name().unwrap().to_string_lossy();
            if !name.ends_with("tests.rs") && name != "test_support.rs" {
                out.push(path);
            }
        }
    }
}

/// The messages of one file's code (test modules left out), as written.
fn messages(source: &str, in_views: bool) -> Vec<String> {
    let code = source.split("#[cfg(test)]").next().unwrap_or("");
    // A literal continued over lines (`\` at a line's end) is one line.
    let code = Regex::new(r"\\\n\s*").unwrap().replace_all(code, "");
    let literal = r#""((?:[^"\\]|\\.)*)""#;
    let call = Regex::new(&format!(
        r"(?:set_status|bail!|anyhow!|\.context|with_context|eprintln!|Failed|Done|#\[error)\s*\(\s*(?:\|\|\s*)?(?:format!\(\s*)?{literal}"
    ))
    .unwrap();
    let mut found: Vec<String> = call
        .captures_iter(&code)
        .map(|c| c[1].to_string())
        .collect();
    if in_views {
        let words = Regex::new(r"[A-Za-z]+\s+[A-Za-z(]").unwrap();
        found.extend(
            Regex::new(literal)
                .unwrap()
                .captures_iter(&code)
                .map(|c| c[1].to_string())
                .filter(|m| words.is_match(m)),
        );
    }
    found.retain(|m| m.chars().any(char::is_alphabetic) && m != "{}");
    found
}

#[test]
fn every_message_is_listed() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut lines: Vec<String> = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).expect("source");
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let in_views = rel.starts_with("tui/views/");
        for message in messages(&source, in_views) {
            lines.push(format!("{rel}: {message}"));
        }
    }
    lines.sort();
    lines.dedup();
    assert!(
        lines.len() > 200,
        "the scan found only {} messages",
        lines.len()
    );
    // A few that must be there, of each kind.
    for known in [
        "import/decode.rs: empty file",
        "tui/app.rs: unknown command: {other} (see ? for help)",
        "store/error.rs: no annotation #{0} (see `pizhu notes`)",
        "tui/views/library.rs: no title matches the filter",
    ] {
        assert!(lines.iter().any(|l| l == known), "{known} is not listed");
    }
    insta::assert_snapshot!("messages", lines.join("\n"));
}
