//! Paths typed by the user: `~` made the home folder, and Tab completion of the last part of a
//! path from its folder's listing (run on the worker thread: it reads the disk).

use std::path::{Path, PathBuf};

/// `path` with a leading `~/` made the home folder.
pub fn home_expanded(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => path.to_path_buf(),
    }
}

/// What Tab made of a typed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The typed text, extended as far as every candidate agrees (a folder gets its `/`).
    pub input: String,
    /// The names that start with what was typed, sorted (shown when there are several).
    pub candidates: Vec<String>,
}

/// Completes the last part of `input` from its folder's entries (hidden ones only when the
/// typed part starts with a dot). The typed text is kept as typed (`~` stays `~`).
pub fn complete(input: &str) -> Completion {
    let (folder, typed) = match input.rfind('/') {
        Some(slash) => input.split_at(slash + 1),
        None => ("", input),
    };
    let listed = if folder.is_empty() {
        PathBuf::from(".")
    } else {
        home_expanded(Path::new(folder))
    };
    let mut candidates: Vec<(String, bool)> = std::fs::read_dir(&listed)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let shown =
                name.starts_with(typed) && (typed.starts_with('.') || !name.starts_with('.'));
            // `is_dir` follows links, so a link to a folder completes as a folder.
            shown.then(|| (name, entry.path().is_dir()))
        })
        .collect();
    candidates.sort();
    let completed = match candidates.as_slice() {
        [] => typed.to_string(),
        [(name, true)] => format!("{name}/"),
        [(name, false)] => name.clone(),
        [(first, _), rest @ ..] => rest.iter().fold(first.clone(), |common, (name, _)| {
            common
                .chars()
                .zip(name.chars())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect()
        }),
    };
    Completion {
        input: format!("{folder}{completed}"),
        candidates: candidates.into_iter().map(|(name, _)| name).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_is_expanded() {
        let Some(home) = std::env::var_os("HOME") else {
            return;
        };
        assert_eq!(
            home_expanded(Path::new("~/a.md")),
            PathBuf::from(home).join("a.md")
        );
        assert_eq!(home_expanded(Path::new("a~/b")), PathBuf::from("a~/b"));
    }

    #[test]
    fn completes_chinese_names_folders_and_common_prefixes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_str().unwrap();
        std::fs::create_dir(dir.path().join("文件夹")).unwrap();
        std::fs::write(dir.path().join("政策文本一.txt"), "一").unwrap();
        std::fs::write(dir.path().join("政策文本二.txt"), "二").unwrap();
        std::fs::write(dir.path().join(".hidden"), "").unwrap();

        let folder = complete(&format!("{root}/文"));
        assert_eq!(folder.input, format!("{root}/文件夹/"));
        let common = complete(&format!("{root}/政"));
        assert_eq!(common.input, format!("{root}/政策文本"));
        assert_eq!(common.candidates, ["政策文本一.txt", "政策文本二.txt"]);
        let all = complete(&format!("{root}/"));
        assert_eq!(all.candidates.len(), 3, "{:?}", all.candidates);
        let none = complete(&format!("{root}/nothing"));
        assert_eq!(none.input, format!("{root}/nothing"));
        assert!(none.candidates.is_empty());
    }
}
