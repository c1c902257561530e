//! The reader's export dialog (`E`, `:export`) driven through real keys on the demo library
//! with annotations: the dialog drawn on ratatui's `TestBackend` (insta snapshots), the
//! choices, the file name edited with a cursor (Chinese and spaces), the file it writes, the
//! question before overwriting, and errors that stay messages.

mod common;

use common::harness::Harness;
use pizhu::annotations::{Annotation, Color, NewAnnotation};
use pizhu::doc::{DocId, Span};
use pizhu::store::Store;
use pizhu::tui::action::Action;
use pizhu::tui::app::View;
use pizhu::tui::export::{Row, Scope};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

fn annotate(store: &mut Store, doc: DocId, quote: &str, color: Color, note: &str) -> Annotation {
    let text = store.text(doc).unwrap();
    let byte = text.find(quote).expect("quote in the text");
    let start = text[..byte].chars().count();
    store
        .create_annotation(&NewAnnotation {
            doc,
            span: Span::new(start, start + quote.chars().count()),
            color,
            note: note.into(),
            tags: vec!["待查".into()],
        })
        .unwrap()
}

/// The demo library with two annotations on document #1 and one on #2; #1 open.
fn library(w: u16, h: u16) -> (Harness, [Annotation; 3]) {
    let mut store = pizhu::demo::open().expect("demo library");
    let made = [
        annotate(
            &mut store,
            1,
            "技术革命性突破",
            Color::Yellow,
            "核心定义, \"引号\"",
        ),
        annotate(&mut store, 1, "企业最贴近市场", Color::Green, "=cmd 主体"),
        annotate(&mut store, 2, "人才流動", Color::Blue, "繁體"),
    ];
    (Harness::with_document(store, 1, w, h), made)
}

fn press(h: &mut Harness, code: KeyCode) {
    h.key(code, KeyModifiers::NONE);
}

fn status(h: &Harness) -> (String, bool) {
    h.app
        .status
        .as_ref()
        .map(|s| (s.text.clone(), s.error))
        .unwrap_or_default()
}

/// Empties the file name field (the cursor is in it) and types `text`.
fn type_path(h: &mut Harness, text: &str) {
    press(h, KeyCode::End);
    while h
        .app
        .export
        .as_ref()
        .is_some_and(|d| !d.path.text().is_empty())
    {
        press(h, KeyCode::Backspace);
    }
    h.keys(text);
}

#[test]
fn snapshots_of_the_dialog_at_80_and_60_columns() {
    for width in [80, 60] {
        let (mut h, _) = library(width, 16);
        h.keys("E");
        insta::assert_snapshot!(format!("export_dialog_{width}"), h.text());
        h.keys("c");
        press(&mut h, KeyCode::Up);
        insta::assert_snapshot!(format!("export_dialog_csv_path_{width}"), h.text());
    }
}

#[test]
fn the_dialog_exports_csv_of_the_library_to_a_file_named_in_chinese_with_a_space() {
    let (mut h, _) = library(100, 20);
    let dir = tempfile::tempdir().unwrap();
    h.keys("E");
    let dialog = h.app.export.clone().expect("E opens the dialog");
    assert_eq!(dialog.row, Row::Format);
    assert!(
        matches!(dialog.chosen_scope(), Scope::Document { id: 1, .. }),
        "the reader's document first: {:?}",
        dialog.scopes
    );
    assert!(dialog.path.text().ends_with("-notes.md"), "{dialog:?}");

    // The format by its letter, then by the arrows: c, → JSON, ← back to CSV.
    h.keys("c");
    press(&mut h, KeyCode::Right);
    assert_eq!(
        h.app
            .export
            .as_ref()
            .unwrap()
            .path
            .text()
            .rsplit('.')
            .next(),
        Some("json")
    );
    press(&mut h, KeyCode::Left);
    // Scope: all documents; the byte-order mark on; then the file name.
    press(&mut h, KeyCode::Down);
    press(&mut h, KeyCode::Right);
    assert_eq!(h.app.export.as_ref().unwrap().chosen_scope(), &Scope::All);
    assert_eq!(
        h.app.export.as_ref().unwrap().path.text(),
        "pizhu-notes.csv"
    );
    press(&mut h, KeyCode::Tab);
    assert_eq!(h.app.export.as_ref().unwrap().row, Row::Excel);
    h.keys(" ");
    press(&mut h, KeyCode::Down);
    assert_eq!(h.app.export.as_ref().unwrap().row, Row::Path);

    // Editing in the middle of Chinese text: the cursor counts characters.
    let name = format!("{}/笔记导出.csv", dir.path().display());
    type_path(&mut h, &name);
    for _ in 0..4 {
        press(&mut h, KeyCode::Left);
    }
    h.keys(" 全部");
    press(&mut h, KeyCode::Home);
    press(&mut h, KeyCode::End);
    let path = dir.path().join("笔记导出 全部.csv");
    assert_eq!(
        h.app.export.as_ref().unwrap().path.text(),
        path.display().to_string()
    );
    let area = ratatui::layout::Rect::new(0, 0, 100, 20);
    assert!(
        pizhu::tui::views::cursor(&h.app, area).is_some(),
        "the terminal's cursor is in the field (for input methods)"
    );
    press(&mut h, KeyCode::Enter);

    assert!(h.app.export.is_none(), "a written export closes the dialog");
    let (message, error) = status(&h);
    assert!(!error, "{message}");
    assert!(
        message.starts_with("exported 3 annotations")
            && message.ends_with(&path.display().to_string()),
        "{message}"
    );
    let bytes = std::fs::read(&path).expect("the file written");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "Excel's byte-order mark"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(
        text.contains("人才流動") && text.contains("'=cmd 主体"),
        "{text}"
    );
}

#[test]
fn the_annotations_view_exports_what_it_lists() {
    let (mut h, made) = library(100, 20);
    let dir = tempfile::tempdir().unwrap();
    h.keys("A");
    h.keys("cc"); // green only
    h.keys("E");
    let dialog = h.app.export.clone().expect("E opens the dialog here too");
    assert_eq!(dialog.chosen_scope(), &Scope::Listed(vec![made[1].id]));
    assert!(h.text().contains("the 1 annotation listed"), "{}", h.text());
    h.keys("j");
    press(&mut h, KeyCode::Up);
    let path = dir.path().join("listed.json");
    type_path(&mut h, &path.display().to_string());
    press(&mut h, KeyCode::Enter);
    assert!(
        matches!(h.app.view, View::Annotations(_)),
        "back where it was"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let items = json["first"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{json}");
    assert!(json.to_string().contains("企业最贴近市场"));
}

#[test]
fn an_existing_file_is_overwritten_only_when_the_user_says_so() {
    let (mut h, _) = library(100, 20);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.md");
    std::fs::write(&path, "mine").unwrap();
    h.keys("E");
    press(&mut h, KeyCode::Up);
    type_path(&mut h, &path.display().to_string());
    press(&mut h, KeyCode::Enter);
    let prompt = h.text();
    assert!(
        prompt.contains("notes.md exists: overwrite it? (y/n)"),
        "{prompt}"
    );
    h.keys("n");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
    let dialog = h
        .app
        .export
        .as_ref()
        .expect("the dialog stays, for another name");
    assert_eq!((dialog.row, dialog.busy), (Row::Path, false));
    assert!(status(&h).0.contains("kept"), "{:?}", status(&h));
    press(&mut h, KeyCode::Enter);
    h.keys("y");
    assert!(h.app.export.is_none());
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("# pizhu notes"), "{written}");
    assert!(
        written.contains("技术革命性突破") && !written.contains("人才流動"),
        "this document only"
    );

    // `:export FORMAT PATH` asks too, and takes a path with spaces.
    let spaced = dir.path().join("my notes.md");
    std::fs::write(&spaced, "mine").unwrap();
    h.act(Action::CommandLine);
    h.type_text(&format!("export md {}", spaced.display()));
    h.act(Action::Submit);
    assert!(h.text().contains("my notes.md exists"), "{}", h.text());
    press(&mut h, KeyCode::Esc);
    assert_eq!(std::fs::read_to_string(&spaced).unwrap(), "mine");
}

#[test]
fn failures_are_messages_and_the_dialog_stays_open() {
    let (mut h, _) = library(100, 20);
    let dir = tempfile::tempdir().unwrap();
    h.keys("E");
    press(&mut h, KeyCode::Up);
    let missing = dir.path().join("no such folder").join("x.md");
    type_path(&mut h, &missing.display().to_string());
    press(&mut h, KeyCode::Enter);
    let (message, error) = status(&h);
    assert!(error && message.contains("cannot write"), "{message}");
    assert!(h.app.export.as_ref().is_some_and(|d| !d.busy));
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing left behind"
    );

    type_path(&mut h, &dir.path().display().to_string());
    press(&mut h, KeyCode::Enter);
    let (message, error) = status(&h);
    assert!(error && message.contains("is a folder"), "{message}");

    type_path(&mut h, "");
    press(&mut h, KeyCode::Enter);
    assert_eq!(status(&h), ("give the file a name".to_string(), true));
    press(&mut h, KeyCode::Esc);
    assert!(h.app.export.is_none(), "Esc closes it");
    assert_eq!(h.app.view, View::Reader);
}

#[test]
fn a_codebook_has_no_scope_and_the_command_line_opens_the_dialog() {
    let (mut h, _) = library(100, 20);
    h.act(Action::CommandLine);
    h.type_text("export");
    h.act(Action::Submit);
    let dialog = h
        .app
        .export
        .as_ref()
        .expect(":export alone opens the dialog");
    assert_eq!(dialog.row, Row::Format);
    h.keys("q");
    assert_eq!(
        h.app.export.as_ref().unwrap().path.text(),
        "pizhu-codebook.qdc"
    );
    assert!(h.text().contains("the codebook alone"), "{}", h.text());
    press(&mut h, KeyCode::Down);
    assert_eq!(
        h.app.export.as_ref().unwrap().row,
        Row::Path,
        "scope skipped"
    );
}

#[test]
fn esc_while_the_export_is_made_cancels_it_and_writes_nothing() {
    let (mut h, _) = library(100, 20);
    let dir = tempfile::tempdir().unwrap();
    h.keys("E");
    press(&mut h, KeyCode::Up);
    let path = dir.path().join("notes.md");
    type_path(&mut h, &path.display().to_string());
    // Enter sends the export to the worker; Esc comes before it is answered.
    h.app.update(Action::Submit);
    let running = h.app.running.clone().expect("the export runs");
    press(&mut h, KeyCode::Esc);
    assert!(running.is_cancelled());
    assert_eq!(
        status(&h),
        ("export cancelled: nothing written".to_string(), false)
    );
    assert!(!path.exists(), "no file");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing left behind"
    );
    assert!(
        h.app.export.as_ref().is_some_and(|d| !d.busy),
        "the dialog stays, to export after all"
    );
    press(&mut h, KeyCode::Enter);
    assert!(path.exists(), "written when not cancelled");
}
