//! Turns the paths a user names into the files to import: files as named, folders searched
//! recursively for `.txt` and `.md`, `-` for standard input.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::ImportError;

/// Extensions a folder import picks up (a file named explicitly is imported whatever its name).
const TEXT_EXTENSIONS: &[&str] = &["txt", "md"];

/// One thing to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Stdin,
    /// Text built into the binary (the demo corpus).
    Embedded {
        name: String,
        bytes: &'static [u8],
    },
}

impl Source {
    /// How the source is named in messages and recorded in the library.
    pub fn label(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Stdin => "-".to_string(),
            Source::Embedded { name, .. } => format!("demo:{name}"),
        }
    }
}

/// Expands `inputs` into sources, in a stable order; failures (missing paths, folders without
/// text files) are returned beside them so one bad argument does not stop the others.
pub fn collect(inputs: &[PathBuf]) -> (Vec<Source>, Vec<ImportError>) {
    let mut sources = Vec::new();
    let mut failures = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        match std::fs::metadata(input) {
            Err(error) => failures.push(ImportError::from_io(input, error)),
            Ok(meta) if meta.is_dir() => {
                let before = sources.len();
                let mut seen = HashSet::new();
                walk_dir(input, &mut seen, &mut sources, &mut failures);
                if sources.len() == before {
                    failures.push(ImportError::NoTextFiles(input.clone()));
                }
            }
            Ok(_) => sources.push(Source::File(absolute(input))),
        }
    }
    (sources, failures)
}

fn walk_dir(
    dir: &Path,
    seen: &mut HashSet<PathBuf>,
    sources: &mut Vec<Source>,
    failures: &mut Vec<ImportError>,
) {
    // Following symlinks is useful; a link back up the tree must not loop forever.
    match std::fs::canonicalize(dir) {
        Ok(real) => {
            if !seen.insert(real) {
                return;
            }
        }
        Err(error) => {
            failures.push(ImportError::from_io(dir, error));
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            failures.push(ImportError::from_io(dir, error));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk_dir(&path, seen, sources, failures),
            Ok(_) if has_text_extension(&path) => sources.push(Source::File(absolute(&path))),
            Ok(_) => {}
            Err(error) if has_text_extension(&path) => {
                failures.push(ImportError::from_io(&path, error))
            }
            Err(_) => {}
        }
    }
}

fn has_text_extension(path: &Path) -> bool {
    path.extension()
        .map(|ext| ext.to_string_lossy().to_lowercase())
        .is_some_and(|ext| TEXT_EXTENSIONS.contains(&ext.as_str()))
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_searched_recursively_for_text_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(root.join(".hidden")).unwrap();
        for name in [
            "b.txt",
            "a.md",
            "c.TXT",
            "image.png",
            "sub/deeper/d.txt",
            ".hidden/e.txt",
        ] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        let (sources, failures) = collect(&[root.to_path_buf()]);
        assert!(failures.is_empty());
        let names: Vec<String> = sources
            .iter()
            .map(|s| match s {
                Source::File(p) => p.strip_prefix(root).unwrap().display().to_string(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(names, ["a.md", "b.txt", "c.TXT", "sub/deeper/d.txt"]);
    }

    #[test]
    fn missing_paths_and_empty_folders_fail_without_stopping_others() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let file = dir.path().join("ok.txt");
        std::fs::write(&file, "x").unwrap();
        let missing = dir.path().join("missing.txt");
        let (sources, failures) = collect(&[missing, empty, file.clone(), PathBuf::from("-")]);
        assert_eq!(sources, vec![Source::File(file), Source::Stdin]);
        let messages: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
        assert!(
            messages[0].ends_with("missing.txt: no such file or folder"),
            "{messages:?}"
        );
        assert!(
            messages[1].ends_with("empty: no .txt or .md files in this folder"),
            "{messages:?}"
        );
    }

    #[test]
    fn a_symlink_loop_ends() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let (sources, _) = collect(&[dir.path().to_path_buf()]);
        assert_eq!(sources.len(), 1);
    }
}
