//! Property tests of reading notes back in (`pizhu import-notes`): arbitrary bytes, and valid
//! JSON and REFI-QDA exports with bytes changed, cut or inserted, never panic; whatever is
//! accepted imports into a library that `check` finds sound, and whatever is refused changes
//! nothing. `PROPTEST_CASES=20000 cargo test --release --lib export::fuzz_tests` is the long
//! run (docs/reliability.md).

use super::{Format, Options, notes_in, render};
use crate::annotations::{AnnotationFilter, Color, NewAnnotation};
use crate::doc::Span;
use crate::store::Store;
use proptest::prelude::*;
use std::io::{Read, Write};
use std::sync::LazyLock;

const TEXT: &str = "第一段：科技创新是发展新质生产力的核心要素。\n\
                    第二段：“拉长板”“补短板”，推动=SUM(A1)和😀。\n\
                    第三段：以科技创新引领产业创新。\n";

/// A library with the one document and no annotations.
fn document_only() -> (Store, crate::doc::DocId) {
    let mut store = Store::open_in_memory().expect("memory library");
    let doc = store
        .insert_document(&crate::import::prepare_text(
            TEXT.into(),
            "t.txt".into(),
            "t",
        ))
        .expect("document");
    (store, doc)
}

/// A library with one document and three annotations (overlapping, with a Chinese note,
/// quotes, a formula-like note and tags).
fn library() -> Store {
    let (mut store, doc) = document_only();
    for (start, end, note, tags) in [
        (4, 20, "要点：核心要素", vec!["科技".to_string()]),
        (
            10,
            40,
            "=cmd|' /C calc'!A0",
            vec!["x,y".to_string(), "引号\"".to_string()],
        ),
        (50, 60, "", vec![]),
    ] {
        store
            .create_annotation(&NewAnnotation {
                doc,
                span: Span::new(start, end),
                color: Color::Blue,
                note: note.into(),
                tags,
            })
            .expect("annotation");
    }
    store
}

fn export(format: Format) -> Vec<u8> {
    render(
        &library(),
        format,
        AnnotationFilter::default(),
        &Options::default(),
    )
    .expect("export")
    .bytes
}

static JSON: LazyLock<Vec<u8>> = LazyLock::new(|| export(Format::Json));
static QDPX: LazyLock<Vec<u8>> = LazyLock::new(|| export(Format::Qdpx));

/// The zip's entries, names and contents.
fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("read");
            (file.name().expect("entry name").to_string(), bytes)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .expect("entry");
        out.write_all(bytes).expect("write");
    }
    out.finish().expect("zip").into_inner()
}

/// A change to some bytes: one replaced, the end cut off, or bytes inserted.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
    ]
}

fn mutate(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for m in mutations {
        let len = out.len().max(1);
        match m {
            Mutation::Replace(at, b) => {
                if let Some(slot) = out.get_mut(at % len) {
                    *slot = *b;
                }
            }
            Mutation::Truncate(at) => out.truncate(at % len),
            Mutation::Insert(at, bytes) => {
                let at = (at % len).min(out.len());
                out.splice(at..at, bytes.iter().copied());
            }
        }
    }
    out
}

/// Imports `bytes` into a fresh copy of the library: an accepted file leaves a sound library,
/// a refused one the library as it was.
fn import_holds_the_invariants(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut store = library();
    let before = store
        .annotations(&AnnotationFilter::default())
        .expect("list")
        .len();
    match notes_in::import(&mut store, "fuzz", bytes) {
        Ok(_) => {
            let report = store.check().expect("check runs");
            prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
        }
        Err(error) => {
            prop_assert!(!error.to_string().contains('\n'), "one line: {error}");
            let after = store
                .annotations(&AnnotationFilter::default())
                .expect("list")
                .len();
            prop_assert_eq!(before, after, "a refused file changes nothing");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::test_support::cases(48)))]

    #[test]
    fn arbitrary_bytes_are_refused_or_imported_soundly(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        import_holds_the_invariants(&bytes)?;
    }

    #[test]
    fn a_changed_json_export_is_refused_or_imported_soundly(
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        import_holds_the_invariants(&mutate(&JSON, &mutations))?;
    }

    #[test]
    fn a_changed_qdpx_project_is_refused_or_imported_soundly(
        mutations in prop::collection::vec(mutation(), 1..4),
        whole_zip in any::<bool>(),
    ) {
        let bytes = if whole_zip {
            mutate(&QDPX, &mutations)
        } else {
            let mut files = entries(&QDPX);
            for (name, bytes) in &mut files {
                if name == "project.qde" {
                    *bytes = mutate(bytes, &mutations);
                }
            }
            rezip(&files)
        };
        import_holds_the_invariants(&bytes)?;
    }
}

#[test]
fn the_unchanged_exports_import_soundly() {
    // The JSON export refers to its documents by hash; a REFI-QDA project carries them.
    let with_text = document_only().0;
    let empty = Store::open_in_memory().expect("memory library");
    for (mut fresh, bytes) in [(with_text, &*JSON), (empty, &*QDPX)] {
        notes_in::import(&mut fresh, "export", bytes).expect("an export reads back");
        assert_eq!(
            fresh
                .annotations(&AnnotationFilter::default())
                .expect("list")
                .len(),
            3
        );
    }
}
