//! First run: an empty library's welcome screen imports the demo texts (`D`) or a path typed
//! at a prompt whose Tab completes it (`i`), and opens what it imported.

mod common;

use common::harness::Harness;
use pizhu::store::Store;
use pizhu::tui::action::Action;
use pizhu::tui::app::Start;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

fn empty() -> Harness {
    Harness::new(
        Store::open_in_memory().expect("store"),
        Start::Session,
        100,
        24,
    )
}

#[test]
fn the_welcome_screen_says_what_to_do() {
    let h = empty();
    insta::assert_snapshot!("welcome_100", h.text());
}

#[test]
fn d_imports_the_demo_texts_into_the_library_and_opens_them() {
    let mut h = empty();
    h.keys("D");
    let listed = h.store.list_documents().expect("list");
    assert_eq!(listed.len(), pizhu::demo::TEXTS.len());
    assert_eq!(h.app.panes.len(), 2, "the first two, side by side");
    let screen = h.text();
    assert!(screen.contains("以新质生产力"), "{screen}");
    assert!(!screen.contains("Your library is empty"), "{screen}");
}

#[test]
fn i_asks_for_a_path_tab_completes_it_and_enter_imports_the_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("政策文本");
    std::fs::create_dir(&folder).expect("folder");
    for (name, text) in [
        ("一号文件.txt", "第一段。推动高质量发展。\n\n第二段。"),
        ("二号文件.txt", "另一篇文章，讨论科技创新。"),
    ] {
        std::fs::write(folder.join(name), text).expect("write");
    }
    let mut h = empty();
    h.keys("i");
    h.type_text(&format!("{}/政", dir.path().display()));
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    let prompt = h.app.prompt.as_ref().expect("the prompt stays open");
    assert_eq!(prompt.input, format!("{}/政策文本/", dir.path().display()));
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    let screen = h.text();
    assert!(screen.contains("一号文件.txt  二号文件.txt"), "{screen}");

    h.type_text("一");
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    let prompt = h.app.prompt.as_ref().expect("the prompt stays open");
    assert!(
        prompt.input.ends_with("政策文本/一号文件.txt"),
        "{}",
        prompt.input
    );

    // Back to the folder: both files are imported and open side by side.
    for _ in "一号文件.txt".chars() {
        h.act(Action::Backspace);
    }
    h.act(Action::Submit);
    assert!(h.app.prompt.is_none());
    let titles: Vec<String> = h
        .store
        .list_documents()
        .expect("list")
        .into_iter()
        .map(|d| d.title)
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert_eq!(h.app.panes.len(), 2);
    let screen = h.text();
    assert!(screen.contains("推动高质量发展"), "{screen}");
}

#[test]
fn a_path_that_does_not_exist_is_a_message_and_the_library_stays_empty() {
    let mut h = empty();
    h.keys("i");
    h.type_text("/no/such/place");
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    assert!(
        h.text().contains("no file or folder starts so"),
        "{}",
        h.text()
    );
    h.act(Action::Submit);
    let screen = h.text();
    assert!(screen.contains("/no/such/place"), "{screen}");
    assert!(h.store.list_documents().expect("list").is_empty());
    assert!(screen.contains("Your library is empty"), "{screen}");
}

#[test]
fn esc_or_ctrl_c_while_an_import_runs_cancels_it_and_nothing_is_half_imported() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in [("一.txt", "第一篇。"), ("二.txt", "第二篇。")] {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    for cancel in [
        (KeyCode::Esc, KeyModifiers::NONE),
        (KeyCode::Char('c'), KeyModifiers::CONTROL),
    ] {
        let mut h = empty();
        h.keys("i");
        h.type_text(&dir.path().display().to_string());
        // Enter sends the import to the worker; the key comes before it is answered.
        h.app.update(Action::Submit);
        let running = h.app.running.clone().expect("the import runs");
        h.key(cancel.0, cancel.1);
        assert!(running.is_cancelled(), "{cancel:?} cancels the import");
        assert!(!h.app.quit, "{cancel:?} does not quit while an import runs");
        assert!(h.app.running.is_none(), "the import has answered");
        let screen = h.text();
        assert!(
            screen.contains("import cancelled: 0 documents imported whole"),
            "{screen}"
        );
        assert!(h.store.list_documents().expect("list").is_empty());
        // Without an import under way, Ctrl-c quits as usual.
        h.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(h.app.quit);
    }
}
