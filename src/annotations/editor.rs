//! Editing a note in the user's own editor (`$VISUAL`, else `$EDITOR`, else `vi`): the note
//! goes to a file in the temporary folder (never next to the user's files), the editor runs
//! on the terminal, and the file is read back and removed.

use std::io;
use std::path::PathBuf;
use std::process::Command;

/// The editor command the environment names.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Opens `note` in the user's editor and returns the text saved.
pub fn edit(note: &str, name: &str) -> io::Result<String> {
    edit_with(&editor_command(), note, name)
}

/// Opens `note` with `editor`, a command that may have arguments (`code --wait`; it runs
/// through `sh`), and returns the text saved.
pub fn edit_with(editor: &str, note: &str, name: &str) -> io::Result<String> {
    let path = temp_path(name);
    std::fs::write(&path, note)?;
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    let read = status.and_then(|status| {
        if status.success() {
            std::fs::read_to_string(&path)
        } else {
            Err(io::Error::other(format!(
                "the editor ({editor}) ended with {status}; the note is unchanged"
            )))
        }
    });
    // Best effort: the file is in the temporary folder either way.
    let _ = std::fs::remove_file(&path);
    read
}

/// A file name of our own in the temporary folder.
fn temp_path(name: &str) -> PathBuf {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    std::env::temp_dir().join(format!("pizhu-{safe}-{}.md", std::process::id()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_editor_edits_the_note_through_a_temporary_file() {
        let edited = edit_with("sed -i 's/旧/新/'", "旧的笔记\n", "note 7").unwrap();
        assert_eq!(edited, "新的笔记\n");
        assert!(!temp_path("note 7").exists());
        let err = edit_with("false", "x", "note 8").unwrap_err();
        assert!(err.to_string().contains("unchanged"), "{err}");
    }
}
