//! The reader driven through its actions, without a terminal: the worker's requests are
//! answered synchronously by `worker::handle` on the same store, so no test sleeps. Screens
//! are drawn on ratatui's `TestBackend` and compared with insta snapshots at 40, 80 and 120
//! columns.

mod common;

use common::harness::Harness;
use pizhu::store::Store;
use pizhu::tui::action::Action;
use pizhu::tui::app::{App, Start, View};
use pizhu::tui::keymap::Keymap;
use pizhu::tui::theme::{Palette, Theme};
use pizhu::tui::views::render;
use pizhu::tui::worker::{self, Request};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

fn store_with(texts: &[(&str, &str)]) -> Store {
    let mut store = Store::open_in_memory().expect("store");
    for (name, text) in texts {
        let doc = pizhu::store::NewDocument {
            title: name.to_string(),
            source: format!("test:{name}"),
            encoding: "utf-8".to_string(),
            script: pizhu::doc::Script::Simplified,
            text: text.to_string(),
            source_bytes: text.len() as u64,
            content_hash: format!("{name}{text}"),
            cleaned: pizhu::clean::clean(text),
        };
        store.insert_document(&doc).expect("insert");
    }
    store
}

#[test]
fn snapshots_two_panes_at_40_80_120_and_three_at_120() {
    for (panes, width) in [(2, 40), (2, 80), (2, 120), (3, 120)] {
        let h = Harness::demo(panes, width, 14);
        assert_eq!(h.app.panes.len(), panes);
        insta::assert_snapshot!(format!("panes_{panes}_width_{width}"), h.text());
    }
}

/// `screen` with the dates shown as `YYYY-MM-DD` (the library lists when each document was
/// imported: today).
fn undated(screen: &str) -> String {
    regex::Regex::new(r"\d{4}-\d{2}-\d{2}")
        .expect("regex")
        .replace_all(screen, "YYYY-MM-DD")
        .into_owned()
}

#[test]
fn snapshots_of_library_welcome_help_results_and_too_small() {
    let mut h = Harness::demo(1, 80, 14);
    h.act(Action::OpenLibrary);
    insta::assert_snapshot!("library_80", undated(&h.text()));
    h.act(Action::Back);
    h.act(Action::Help);
    insta::assert_snapshot!("help_80", h.text());
    h.act(Action::Back);
    h.act(Action::Grep);
    h.type_text("创新");
    h.act(Action::Submit);
    insta::assert_snapshot!("results_80", h.text());

    let empty = Harness::new(store_with(&[]), Start::Session, 80, 14);
    insta::assert_snapshot!("welcome_80", empty.text());

    let mut small = Harness::demo(2, 80, 14);
    small.act(Action::Resize(12, 3));
    insta::assert_snapshot!("too_small", small.text());
}

#[test]
fn nothing_panics_at_tiny_sizes_and_the_reader_recovers() {
    let mut h = Harness::demo(3, 80, 20);
    for (w, h_) in [(1, 1), (0, 0), (2, 1), (19, 4), (20, 5), (21, 6), (40, 2)] {
        h.act(Action::Resize(w, h_));
        h.act(Action::Down);
        h.act(Action::PageDown);
        let _ = h.screen();
    }
    h.act(Action::Resize(80, 20));
    assert!(
        h.text().contains("以新质生产力引领产业升级"),
        "{}",
        h.text()
    );
}

#[test]
fn moving_the_cursor_lines_pages_paragraphs_sentences_and_ends() {
    let mut h = Harness::demo(1, 60, 12);
    let pane = |h: &Harness| h.app.panes[h.app.focus].cursor;
    assert_eq!(pane(&h), 0);
    h.act(Action::Down);
    let one_line = pane(&h);
    assert!(one_line > 0);
    h.act(Action::Up);
    assert_eq!(pane(&h), 0);
    let screen = h.screen();
    let reversed: Vec<&str> = screen
        .backend()
        .buffer()
        .content()
        .iter()
        .filter(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
        .map(|c| c.symbol())
        .collect();
    assert_eq!(reversed, ["以"], "the cursor is drawn on its character");
    h.act(Action::NextParagraph);
    let doc = h.app.panes[0].document().expect("loaded").clone();
    assert_eq!(pane(&h), doc.paragraphs[1].start);
    h.act(Action::NextParagraph);
    h.act(Action::NextSentence);
    let at = pane(&h);
    let before: String = doc.text().chars().take(at).collect();
    assert!(
        before.ends_with('。'),
        "a sentence starts after 。: {before}"
    );
    h.act(Action::PreviousSentence);
    assert_eq!(pane(&h), doc.paragraphs[2].start);
    h.act(Action::Bottom);
    let last = doc.paragraphs.last().expect("paragraphs");
    assert!(
        pane(&h) >= last.start && pane(&h) < last.end,
        "on the last row"
    );
    assert!(h.app.panes[0].percent() > 90);
    h.act(Action::Top);
    assert_eq!(pane(&h), 0);
    h.act(Action::PageDown);
    assert!(pane(&h) > one_line);
    h.act(Action::PageUp);
    assert_eq!(pane(&h), 0);
    h.act(Action::Count(5));
    h.act(Action::Count(0));
    h.act(Action::JumpPercent);
    let percent = h.app.panes[0].percent();
    assert!((35..=60).contains(&percent), "50% went to {percent}%");
    h.act(Action::CommandLine);
    h.type_text("3");
    h.act(Action::Submit);
    assert_eq!(pane(&h), doc.paragraphs[2].start);
    h.act(Action::Count(3));
    h.act(Action::Down);
    assert!(pane(&h) > doc.paragraphs[2].start);
}

#[test]
fn the_cursor_stays_on_screen() {
    let mut h = Harness::demo(1, 40, 8);
    for _ in 0..40 {
        h.act(Action::Down);
        let screen = h.text();
        let doc = h.app.panes[0].document().expect("loaded");
        let cursor = h.app.panes[0].cursor;
        let here: String = doc.text().chars().skip(cursor).take(1).collect();
        assert!(
            screen.contains(&here),
            "cursor char {here} not on\n{screen}"
        );
    }
}

#[test]
fn search_highlights_and_steps_through_matches() {
    let mut h = Harness::demo(1, 80, 14);
    h.key(KeyCode::Char('/'), KeyModifiers::NONE);
    h.type_text("创新");
    h.act(Action::Submit);
    let pane = &h.app.panes[0];
    let count = pane.matches.len();
    assert!(count > 3, "{count} matches");
    assert_eq!(pane.current_match, Some(0));
    assert_eq!(pane.cursor, pane.matches[0].start);
    h.key(KeyCode::Char('n'), KeyModifiers::NONE);
    assert_eq!(h.app.panes[0].current_match, Some(1));
    h.key(KeyCode::Char('N'), KeyModifiers::SHIFT);
    h.key(KeyCode::Char('N'), KeyModifiers::SHIFT);
    assert_eq!(
        h.app.panes[0].current_match,
        Some(count - 1),
        "N wraps around"
    );
    let screen = h.screen();
    let buffer = screen.backend().buffer();
    let highlighted = buffer
        .content()
        .iter()
        .filter(|c| c.bg == Theme::new(Palette::Indexed256).matched.bg.expect("bg"))
        .count();
    assert!(highlighted > 0, "matches are highlighted");
    h.act(Action::Search);
    h.type_text("没有这个词");
    h.act(Action::Submit);
    assert!(h.app.status.as_ref().is_some_and(|s| s.error));
}

#[test]
fn library_search_opens_the_hit_in_the_focused_pane() {
    let mut h = Harness::demo(2, 100, 16);
    h.key(KeyCode::Char('f'), KeyModifiers::CONTROL);
    h.type_text("科技");
    h.act(Action::Submit);
    let View::Results(results) = &h.app.view else {
        panic!("results view, not {:?}", h.app.view)
    };
    let hits = results.hits.clone().expect("search done");
    assert!(!hits.is_empty());
    assert!(h.text().contains("科技"));
    h.act(Action::Down);
    h.act(Action::Select);
    assert_eq!(h.app.view, View::Reader);
    let pane = &h.app.panes[h.app.focus];
    assert_eq!(pane.doc_id(), hits[1].doc);
    assert_eq!(
        pane.document().unwrap().to_stored(pane.cursor),
        hits[1].start,
        "the cursor on the hit (stored offsets)"
    );
    assert!(
        !pane.matches.is_empty(),
        "the search is highlighted in the pane"
    );
}

#[test]
fn panes_split_focus_close_and_sync() {
    let mut h = Harness::demo(2, 120, 20);
    h.key(KeyCode::Char('|'), KeyModifiers::NONE);
    assert!(matches!(h.app.view, View::Library(_)));
    h.act(Action::Bottom);
    h.act(Action::Select);
    assert_eq!(h.app.panes.len(), 3);
    assert_eq!(h.app.focus, 2);
    h.act(Action::Split);
    h.act(Action::Select);
    assert_eq!(h.app.panes.len(), 4);
    h.act(Action::Split);
    assert!(
        h.app.status.as_ref().is_some_and(|s| s.error),
        "at most 4 panes"
    );
    h.key(KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(h.app.focus, 0);
    h.key(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(h.app.focus, 3);
    h.act(Action::CommandLine);
    h.type_text("close");
    h.act(Action::Submit);
    assert_eq!(h.app.panes.len(), 3);

    h.act(Action::ToggleSync);
    assert!(h.app.sync);
    h.act(Action::FocusNext);
    h.act(Action::Count(6));
    h.act(Action::Count(0));
    h.act(Action::JumpPercent);
    let focused = h.app.panes[h.app.focus].fraction();
    for pane in &h.app.panes {
        assert!(
            (pane.fraction() - focused).abs() < 0.2,
            "{} vs {focused}",
            pane.fraction()
        );
    }
    h.act(Action::PageDown);
    let focused = h.app.panes[h.app.focus].fraction();
    for pane in &h.app.panes {
        assert!((pane.fraction() - focused).abs() < 0.2);
    }
}

#[test]
fn positions_and_panes_are_restored_on_the_next_start() {
    let mut h = Harness::demo(2, 80, 14);
    h.act(Action::NextParagraph);
    h.act(Action::NextParagraph);
    let cursor = h.app.panes[h.app.focus].cursor;
    let ids: Vec<i64> = h.app.panes.iter().map(|p| p.doc_id()).collect();
    let focus = h.app.focus;
    h.act(Action::Quit);
    assert!(h.app.quit);
    let again = Harness::new(h.store, Start::Session, 80, 14);
    let restored: Vec<i64> = again.app.panes.iter().map(|p| p.doc_id()).collect();
    assert_eq!(restored, ids);
    assert_eq!(again.app.focus, focus);
    assert_eq!(again.app.panes[focus].cursor, cursor);
}

#[test]
fn the_library_filters_opens_and_removes_after_confirmation() {
    let mut h = Harness::demo(1, 80, 14);
    h.key(KeyCode::Char('o'), KeyModifiers::NONE);
    h.key(KeyCode::Char('大'), KeyModifiers::NONE);
    h.key(KeyCode::Char('湾'), KeyModifiers::NONE);
    assert_eq!(
        h.app.filtered_documents().len(),
        0,
        "大湾 is Traditional in the demo"
    );
    h.key(KeyCode::Backspace, KeyModifiers::NONE);
    h.key(KeyCode::Backspace, KeyModifiers::NONE);
    h.type_text("灣");
    let found: Vec<i64> = h.app.filtered_documents().iter().map(|d| d.id).collect();
    assert_eq!(found.len(), 1);
    h.key(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(h.app.view, View::Reader);
    assert_eq!(h.app.panes[h.app.focus].doc_id(), found[0]);

    h.key(KeyCode::Char('o'), KeyModifiers::NONE);
    h.key(KeyCode::Char('G'), KeyModifiers::SHIFT);
    let last = h
        .app
        .filtered_documents()
        .last()
        .map(|d| d.id)
        .expect("documents");
    h.key(KeyCode::Char('d'), KeyModifiers::NONE);
    h.key(KeyCode::Char('n'), KeyModifiers::NONE);
    assert_eq!(
        h.app.documents.as_ref().map(Vec::len),
        Some(4),
        "n keeps it"
    );
    h.key(KeyCode::Char('d'), KeyModifiers::NONE);
    assert!(h.text().contains("(y/n)"));
    h.key(KeyCode::Char('y'), KeyModifiers::NONE);
    assert_eq!(h.app.documents.as_ref().map(Vec::len), Some(3));
    assert!(h.store.document(last).expect("query").is_none());
}

#[test]
fn importing_files_opens_them_side_by_side() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let files = vec![
        dir.join("keji-chanye-ronghe-dangke.zh-Hans.txt"),
        dir.join("wuda-chuangxin-zhanyi.zh-Hant.txt"),
        dir.join("no-such-file.txt"),
    ];
    let waiting = App::new(Keymap::defaults(), Start::Import(files.clone()), (100, 12));
    assert_eq!(
        waiting.status.as_ref().map(|s| s.text.as_str()),
        Some("importing 3 files…"),
        "the first frame says what the reader waits for"
    );
    let h = Harness::new(store_with(&[]), Start::Import(files), 100, 12);
    assert_eq!(h.app.panes.len(), 2);
    assert!(
        h.app
            .status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("no-such-file"))
    );
    assert!(h.text().contains("专题党课"));
}

#[test]
fn noise_toggle_and_help_are_wired() {
    let mut h = Harness::demo(1, 80, 14);
    h.key(KeyCode::Char('z'), KeyModifiers::NONE);
    assert!(h.app.show_noise);
    assert!(h.text().contains("noise shown"));
    h.key(KeyCode::Char('z'), KeyModifiers::NONE);
    assert!(!h.app.show_noise);
    h.key(KeyCode::Char('?'), KeyModifiers::NONE);
    let help = h.text();
    assert!(
        help.contains("next line") && help.contains("Ctrl-d"),
        "{help}"
    );
    h.key(KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(h.app.help, None);
}

#[test]
fn folded_noise_is_hidden_and_z_shows_it_dimmed_with_its_reason() {
    // The third demo text starts with a CSS fragment and has a paywall marker and footer.
    let mut h = Harness::demo(3, 120, 20);
    let focus = h
        .app
        .panes
        .iter()
        .position(|p| p.doc_id() == 3)
        .expect("pane of doc 3");
    while h.app.focus != focus {
        h.act(Action::FocusNext);
    }
    let doc = |h: &Harness| {
        h.app.panes[focus]
            .document()
            .expect("loaded")
            .text()
            .to_string()
    };
    assert!(!doc(&h).contains("font-size") && !h.text().contains("font-size"));
    h.act(Action::Top);
    let first_word = h.app.panes[focus].cursor;
    h.key(KeyCode::Char('z'), KeyModifiers::NONE);
    assert!(doc(&h).contains("font-size"), "the stored text is shown");
    assert!(h.text().contains("font-size"), "and drawn");
    // The cursor stays on the character it was on (after the CSS prefix), both ways.
    let stored_at = |h: &Harness| {
        let pane = &h.app.panes[focus];
        pane.document().expect("loaded").to_stored(pane.cursor)
    };
    let with_noise = stored_at(&h);
    h.key(KeyCode::Char('z'), KeyModifiers::NONE);
    assert_eq!(h.app.panes[focus].cursor, first_word);
    assert_eq!(stored_at(&h), with_noise);
    h.key(KeyCode::Char('z'), KeyModifiers::NONE);
    h.act(Action::Top);
    assert!(
        h.text().contains("folded (css)"),
        "the status line says why: {}",
        h.text()
    );
}

#[test]
fn control_characters_in_a_document_are_drawn_as_symbols() {
    let store = store_with(&[("控制", "标题\u{1b}[31m红\u{7}\n第二段\u{202e}反\t制表")]);
    let mut h = Harness::new(store, Start::Session, 60, 8);
    h.act(Action::Select);
    let screen = h.text();
    assert!(screen.contains("␛[31m红␇"), "{screen}");
    assert!(screen.contains("⇆反"), "{screen}");
    for cell in h.screen().backend().buffer().content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "{:?}",
            cell.symbol()
        );
    }
}

#[test]
fn a_keystroke_updates_and_redraws_quickly() {
    let mut h = Harness::demo(3, 160, 50);
    let theme = Theme::new(Palette::Indexed256);
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).expect("terminal");
    let started = std::time::Instant::now();
    let keys = 200;
    for i in 0..keys {
        h.act(if i % 20 < 10 {
            Action::PageDown
        } else {
            Action::Up
        });
        terminal
            .draw(|f| render(&h.app, &theme, f.area(), f.buffer_mut()))
            .expect("draw");
    }
    let each = started.elapsed() / keys;
    eprintln!("update + render per keystroke, 3 panes 160×50: {each:?}");
    assert!(each.as_millis() < 50, "{each:?} per keystroke");
}

#[test]
fn the_first_frame_shows_loading_before_the_worker_answers() {
    let app = App::new(Keymap::defaults(), Start::Session, (60, 10));
    let h = Harness {
        app,
        store: store_with(&[]),
    };
    assert!(h.text().contains("loading…"), "{}", h.text());
}

#[test]
fn the_mouse_wheel_scrolls_the_pane_under_it_and_a_click_focuses() {
    let mut h = Harness::demo(2, 80, 14);
    assert_eq!(h.app.focus, 0);
    let right = h.app.pane_areas()[1];
    h.act(Action::Wheel {
        column: right.x + 3,
        row: 5,
        delta: 1,
    });
    assert_eq!(h.app.panes[0].cursor, 0, "the left pane did not move");
    assert!(h.app.panes[1].cursor > 0, "the right pane scrolled");
    h.act(Action::Click {
        column: right.x + 1,
        row: 2,
    });
    assert_eq!(h.app.focus, 1);
}

#[test]
fn no_color_draws_without_colours_but_the_cursor_and_matches_still_show() {
    let mut h = Harness::demo(2, 80, 14);
    h.act(Action::Search);
    h.type_text("新质生产力");
    h.act(Action::Submit);
    let mut terminal = Terminal::new(TestBackend::new(80, 14)).expect("terminal");
    let theme = Theme::new(Palette::None);
    terminal
        .draw(|f| render(&h.app, &theme, f.area(), f.buffer_mut()))
        .expect("draw");
    let cells = terminal.backend().buffer().content();
    assert!(
        cells
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
    assert!(
        cells
            .iter()
            .any(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
    );
}

#[test]
fn command_line_commands() {
    let mut h = Harness::demo(1, 100, 14);
    let command = |h: &mut Harness, text: &str| {
        h.act(Action::CommandLine);
        h.type_text(text);
        h.act(Action::Submit);
    };
    command(&mut h, "vsplit");
    assert!(matches!(h.app.view, View::Library(_)));
    h.act(Action::Down);
    h.act(Action::Select);
    assert_eq!(h.app.panes.len(), 2);
    command(&mut h, "50%");
    assert!((35..=60).contains(&h.app.panes[h.app.focus].percent()));
    command(&mut h, "grep 基础研究");
    let View::Results(results) = &h.app.view else {
        panic!("results, not {:?}", h.app.view)
    };
    assert!(results.hits.as_ref().is_some_and(|hits| !hits.is_empty()));
    h.act(Action::Back);
    assert_eq!(h.app.view, View::Reader);
    command(&mut h, "fly");
    assert!(
        h.app
            .status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("fly"))
    );
    h.act(Action::CommandLine);
    h.type_text("clo");
    h.act(Action::Backspace);
    h.act(Action::Backspace);
    h.act(Action::Backspace);
    h.act(Action::Backspace);
    assert!(
        h.app.prompt.is_none(),
        "backspace on an empty prompt closes it"
    );
    command(&mut h, "close");
    assert_eq!(h.app.panes.len(), 1);
    command(&mut h, "q");
    assert!(h.app.quit);
}

#[test]
fn esc_clears_the_search_highlight() {
    let mut h = Harness::demo(1, 80, 14);
    h.act(Action::Search);
    h.type_text("创新");
    h.act(Action::Submit);
    assert!(!h.app.panes[0].matches.is_empty());
    h.key(KeyCode::Esc, KeyModifiers::NONE);
    assert!(h.app.panes[0].matches.is_empty());
    assert_eq!(h.app.panes[0].query, None);
}

/// A text of `lines` numbered lines (about 60 bytes each), long enough to be read in parts.
fn long_text(lines: usize) -> String {
    (1..=lines)
        .map(|n| format!("第{n}行：科技创新是发展新质生产力的核心要素。\n"))
        .collect()
}

/// The answers to one request, in order.
fn answers(store: &mut Store, request: Request) -> Vec<worker::Response> {
    let mut out = Vec::new();
    worker::handle(store, &Default::default(), request, &mut |r| out.push(r));
    out
}

#[test]
fn a_large_document_shows_an_excerpt_at_its_saved_place_then_the_whole_stays_put() {
    let text = long_text(40_000);
    let mut store = store_with(&[("长文", &text)]);
    let stored = text.chars().count() * 4 / 5;
    store.save_reading_positions(&[(1, stored)]).expect("save");
    store
        .save_panes(&[pizhu::store::SavedPane {
            doc_id: 1,
            focused: true,
        }])
        .expect("save panes");
    let mut h = Harness {
        app: App::new(Keymap::defaults(), Start::Session, (80, 12)),
        store,
    };
    let mut loads = Vec::new();
    while loads.is_empty() {
        let request = h.app.requests.remove(0);
        for response in answers(&mut h.store, request) {
            match response {
                worker::Response::Loaded { .. } => loads.push(response),
                other => h.app.update(Action::Worker(other)),
            }
        }
    }
    h.app.requests.clear();
    assert_eq!(
        loads.len(),
        3,
        "a small excerpt, a larger one, then the whole document"
    );
    let mut loads = loads.into_iter();
    h.app.update(Action::Worker(loads.next().unwrap()));
    let pane = &h.app.panes[0];
    let excerpt = pane.document().expect("the excerpt");
    assert!(!excerpt.complete);
    assert!(
        excerpt.chars < text.chars().count() / 4,
        "only a part is read"
    );
    assert_eq!(excerpt.to_stored(pane.cursor), stored);
    assert!(
        (79..=80).contains(&pane.percent()),
        "the position is of the whole document"
    );
    let screen = h.text();
    assert!(
        screen.contains("loading…"),
        "the title bar says more is coming"
    );
    let line = text.chars().take(stored).filter(|&c| c == '\n').count() + 1;
    assert!(screen.contains(&format!("第{line}行")), "{screen}");

    h.app.update(Action::Down);
    h.app.update(Action::Down);
    let moved = h.app.panes[0]
        .document()
        .unwrap()
        .to_stored(h.app.panes[0].cursor);
    let body = |screen: String| {
        screen
            .lines()
            .skip(1)
            .take(8)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let before = body(h.text());
    let first_chars = h.app.panes[0].document().unwrap().chars;
    h.app.update(Action::Worker(loads.next().unwrap()));
    let pane = &h.app.panes[0];
    let larger = pane.document().expect("the larger excerpt");
    assert!(!larger.complete && larger.chars > first_chars);
    assert_eq!(larger.to_stored(pane.cursor), moved, "the cursor stays");
    assert_eq!(before, body(h.text()), "the text does not move");
    h.app.update(Action::Worker(loads.next().unwrap()));
    let pane = &h.app.panes[0];
    let whole = pane.document().expect("the whole document");
    assert!(whole.complete);
    assert_eq!(
        whole.to_stored(pane.cursor),
        moved,
        "the cursor stays on its character"
    );
    assert_eq!(before, body(h.text()), "the text does not move");
}

#[test]
fn a_file_being_imported_shows_its_beginning_until_the_library_has_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("长文.txt");
    std::fs::write(&path, long_text(20_000)).expect("write");
    let source = pizhu::import::Source::File(path.clone());
    let raw = pizhu::import::raw_preview(&source, 64 * 1024, &Default::default())
        .expect("a preview of a large file");
    let preview = pizhu::import::clean_preview(raw);
    assert!(preview.text.len() <= 64 * 1024 && preview.text.ends_with('\n'));
    let doc = pizhu::tui::document::preview(preview, &Default::default());
    let mut h = Harness {
        app: App::new(Keymap::defaults(), Start::Import(vec![path]), (80, 12)),
        store: store_with(&[]),
    };
    h.app.update(Action::Worker(worker::Response::Preview {
        slot: 0,
        doc: Box::new(doc),
    }));
    assert!(
        h.text().contains("第1行"),
        "the beginning shows before the import"
    );
    assert!(h.text().contains("loading…"));
    h.app.update(Action::NextParagraph);
    h.app.update(Action::NextParagraph);
    let stored = h.app.panes[0]
        .document()
        .unwrap()
        .to_stored(h.app.panes[0].cursor);
    h.pump();
    let pane = &h.app.panes[0];
    let doc = pane.document().expect("the imported document");
    assert!(doc.complete && doc.meta.id == 1);
    assert_eq!(
        doc.to_stored(pane.cursor),
        stored,
        "the reader stays where it was"
    );
    assert!(!h.text().contains("loading…"));
}

#[test]
fn a_load_stops_answering_once_the_reader_quits() {
    let mut store = store_with(&[("文", "一段文字。\n")]);
    let stop = pizhu::cancel::Cancel::new();
    let load = |stop: &pizhu::cancel::Cancel| Request::Load {
        pane: 1,
        id: 1,
        goto: None,
        stop: stop.clone(),
    };
    assert!(!answers(&mut store, load(&stop)).is_empty());
    stop.cancel();
    assert!(answers(&mut store, load(&stop)).is_empty());
    // Quitting sets the flag of the loads the reader asked for.
    let mut app = App::new(Keymap::defaults(), Start::Session, (80, 12));
    app.update(Action::Worker(worker::Response::Session(vec![
        pizhu::store::SavedPane {
            doc_id: 1,
            focused: true,
        },
    ])));
    let asked = app
        .requests
        .iter()
        .find_map(|r| match r {
            Request::Load { stop, .. } => Some(stop.clone()),
            _ => None,
        })
        .expect("the saved pane's document is asked for");
    assert!(!asked.is_cancelled());
    app.update(Action::Quit);
    assert!(asked.is_cancelled());
}

#[test]
fn a_new_file_shows_as_read_at_once_then_cleaned_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("网页.txt");
    // A scraped page that starts with a CSS fragment and pinyin readings, long enough for a
    // preview.
    let page = common::fixture_text("wuda-chuangxin-zhanyi.zh-Hant.txt");
    std::fs::write(&path, format!("{page}\n{}", long_text(3_000))).expect("write");
    let source = pizhu::import::Source::File(path.clone());
    let raw = pizhu::import::raw_preview(&source, 64 * 1024, &Default::default())
        .expect("a preview of a large file");
    assert!(raw.cleaned.noise.is_empty() && raw.cleaned.paragraphs.is_empty());
    assert_eq!(raw.title, "网页", "the file's name until the text is read");
    let cleaned = pizhu::import::clean_preview(raw.clone());
    assert!(!cleaned.cleaned.noise.is_empty());
    assert_ne!(cleaned.title, "网页");
    assert_eq!(cleaned.text, raw.text, "cleaning changes no text");

    let mut h = Harness {
        app: App::new(Keymap::defaults(), Start::Import(vec![path]), (100, 16)),
        store: store_with(&[]),
    };
    let show = |h: &mut Harness, doc| {
        h.app.update(Action::Worker(worker::Response::Preview {
            slot: 0,
            doc: Box::new(pizhu::tui::document::preview(doc, &Default::default())),
        }));
    };
    show(&mut h, raw);
    let first = h.text();
    assert!(
        first.contains("margin-bottom") && first.contains("質(zhì)"),
        "as read, as less shows it: {first}"
    );
    show(&mut h, cleaned.clone());
    assert_eq!(
        h.app.panes.len(),
        1,
        "the cleaned preview replaces the first"
    );
    let second = h.text();
    assert!(!second.contains("margin-bottom") && !second.contains("(zhì)"));
    let title_start: String = cleaned.title.chars().take(10).collect();
    let title_bar = second.lines().next().unwrap_or_default();
    assert!(
        title_bar.contains(&title_start) && !title_bar.contains("网页"),
        "the title found replaces the file's name: {second}"
    );
    assert!(second.contains("loading…"));
}

#[test]
fn quitting_while_a_new_file_is_imported_keeps_the_last_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("长文.txt");
    std::fs::write(&path, long_text(20_000)).expect("write");
    let mut store = store_with(&[("旧文", "上次读的文章。")]);
    let last = vec![pizhu::store::SavedPane {
        doc_id: 1,
        focused: true,
    }];
    store.save_panes(&last).expect("the last session");
    let source = pizhu::import::Source::File(path.clone());
    let raw =
        pizhu::import::raw_preview(&source, 64 * 1024, &Default::default()).expect("a preview");
    let mut h = Harness {
        app: App::new(Keymap::defaults(), Start::Import(vec![path]), (80, 12)),
        store,
    };
    h.app.update(Action::Worker(worker::Response::Preview {
        slot: 0,
        doc: Box::new(pizhu::tui::document::preview(raw, &Default::default())),
    }));
    h.app.update(Action::Quit);
    // The quit's save reaches the library; the import it interrupted never finishes.
    let saves: Vec<Request> = h
        .app
        .requests
        .drain(..)
        .filter(|r| matches!(r, Request::Save { .. }))
        .collect();
    assert_eq!(saves.len(), 1);
    for save in saves {
        worker::handle(&mut h.store, &Default::default(), save, &mut |_| {});
    }
    assert_eq!(h.store.saved_panes().expect("panes"), last);
}

#[test]
fn searching_a_document_runs_off_the_ui_thread_and_drops_stale_answers() {
    let mut h = Harness::demo(1, 80, 14);
    h.key(KeyCode::Char('/'), KeyModifiers::NONE);
    h.type_text("创新");
    h.app.update(Action::Submit);
    let find = h.app.requests.pop().expect("a search request");
    assert!(matches!(find, Request::Find { .. }));
    assert!(
        h.app.panes[0].matches.is_empty(),
        "nothing yet: the search runs elsewhere"
    );
    // The noise toggle changes the text (once the stored text has come from the worker): an
    // answer for the old text is dropped.
    h.act(Action::ToggleNoise);
    let shown = h.app.panes[0].matches.clone();
    assert!(!shown.is_empty(), "the text with noise shown answers");
    let worker::Response::Found {
        pane,
        query,
        text,
        then,
        ..
    } = worker::find(find)
    else {
        panic!("a search answers Found");
    };
    let stale = worker::Response::Found {
        pane,
        query,
        text,
        then,
        matches: vec![pizhu::doc::Span::new(0, 1)],
    };
    h.app.update(Action::Worker(stale));
    assert_eq!(h.app.panes[0].matches, shown, "a stale answer is dropped");
}

#[test]
fn ambiguous_characters_take_two_columns_when_the_config_says_wide() {
    for wide in [false, true] {
        let store = store_with(&[("引号", "他说“科技创新”很重要……\n")]);
        let mut h = Harness::new(store, Start::Session, 40, 6);
        h.app.width_opts = pizhu::text::width::WidthOptions {
            ambiguous_wide: wide,
        };
        h.act(Action::Select);
        let screen = h.screen();
        let buf = screen.backend().buffer();
        let row = (0..buf.area.height)
            .find(|&y| (0..buf.area.width).any(|x| buf[(x, y)].symbol() == "“"))
            .expect("the quote is drawn");
        let x = (0..buf.area.width)
            .find(|&x| buf[(x, row)].symbol() == "“")
            .unwrap();
        let forced = buf[(x, row)].diff_option;
        let next = buf[(x + 1, row)].symbol().to_string();
        if wide {
            assert_eq!(
                forced,
                ratatui::buffer::CellDiffOption::ForcedWidth(std::num::NonZeroU16::new(2).unwrap())
            );
            assert_eq!(next, " ", "the second column is left to the terminal");
            assert_eq!(buf[(x + 2, row)].symbol(), "科");
        } else {
            assert_eq!(forced, ratatui::buffer::CellDiffOption::None);
            assert_eq!(next, "科");
        }
    }
}

#[test]
fn passages_show_their_themes_as_coloured_chips_and_the_status_line_names_them() {
    let mut h = Harness::demo(1, 80, 14);
    h.app.status = None;
    let themes = h.app.panes[0]
        .themes
        .clone()
        .expect("the worker sent the themes");
    let screen = h.screen();
    let buf = screen.backend().buffer();
    let chips: Vec<(u16, u16)> = (1..buf.area.height - 1)
        .flat_map(|y| (0..2).map(move |x| (x, y)))
        .filter(|&(x, y)| matches!(buf[(x, y)].symbol(), "○" | "●" | "+"))
        .collect();
    assert!(!chips.is_empty(), "chips in the gutter:\n{}", h.text());
    for &(x, y) in &chips {
        assert!(
            matches!(buf[(x, y)].fg, ratatui::style::Color::Indexed(16..=231)),
            "a chip in its theme's colour"
        );
    }
    // Put the cursor on a tagged passage: the status line names its themes.
    let doc = h.app.panes[0].document().unwrap();
    let passage = (0..themes.passages.len())
        .find(|&i| themes.on(i).next().is_some())
        .unwrap();
    let at = doc.to_view(themes.passages[passage].start);
    let size = h.app.text_size(0);
    h.app.panes[0].jump(at, size);
    let name = &themes.on(passage).next().unwrap().label.name;
    let status = h.text().lines().last().unwrap().to_string();
    assert!(status.contains(name.as_str()), "{status}");

    // Accepting a theme makes its chip solid.
    let first = themes.on(passage).next().unwrap().id().to_string();
    let span = themes.passages[passage];
    h.store
        .set_decision(
            1,
            span,
            &first,
            Some(pizhu::tagging::merge::Decision::Accepted),
        )
        .expect("decide");
    h.app.requests.push(Request::Themes {
        pane: h.app.panes[0].id,
        id: 1,
    });
    h.pump();
    let solid = h
        .screen()
        .backend()
        .buffer()
        .content()
        .iter()
        .any(|c| c.symbol() == "●");
    assert!(solid, "an accepted theme is drawn solid");
}

#[test]
fn word_motions_move_by_jieba_words_in_both_scripts() {
    pizhu::text::segment::get();
    for text in ["科技创新推动产业升级。\n", "科技創新推動產業升級。\n"] {
        let mut h = Harness::new(store_with(&[("词", text)]), Start::Session, 40, 6);
        h.act(Action::Select);
        let at = |h: &Harness| h.app.panes[0].cursor;
        let mut starts = vec![at(&h)];
        for _ in 0..3 {
            h.act(Action::NextWord);
            starts.push(at(&h));
        }
        assert_eq!(starts, [0, 2, 4, 6], "{text}: 科技|创新|推动|产业");
        h.act(Action::WordEnd);
        assert_eq!(at(&h), 7, "the last character of 产业");
        h.act(Action::PreviousWord);
        assert_eq!(at(&h), 6);
        h.act(Action::PreviousWord);
        assert_eq!(at(&h), 4);
    }
}

#[test]
fn the_legend_names_themes_in_the_script_of_the_document() {
    let mut h = Harness::demo(2, 100, 14);
    let traditional = (0..h.app.panes.len())
        .find(|&i| {
            h.app.panes[i]
                .document()
                .is_some_and(|d| d.meta.script == pizhu::doc::Script::Traditional)
        })
        .expect("a Traditional demo document");
    h.app.focus = traditional;
    h.app.status = None;
    let themes = h.app.panes[traditional].themes.clone().expect("themes");
    let passage = (0..themes.passages.len())
        .find(|&i| themes.on(i).next().is_some())
        .expect("a tagged passage");
    let label = themes.on(passage).next().unwrap().label.clone();
    assert!(!label.name_hant.is_empty() && label.name_hant != label.name);
    let doc = h.app.panes[traditional].document().unwrap();
    let at = doc.to_view(themes.passages[passage].start);
    let size = h.app.text_size(traditional);
    h.app.panes[traditional].jump(at, size);
    let status = h.text().lines().last().unwrap().to_string();
    assert!(status.contains(&label.name_hant), "{status}");
}

/// The first passage of pane `i` carrying a theme, with the cursor put on it.
fn cursor_on_tagged_passage(h: &mut Harness, i: usize) -> (usize, String) {
    let themes = h.app.panes[i].themes.clone().expect("themes");
    let passage = (0..themes.passages.len())
        .find(|&p| themes.on(p).next().is_some())
        .expect("a tagged passage");
    let doc = h.app.panes[i].document().unwrap();
    let at = doc.to_view(themes.passages[passage].start);
    let size = h.app.text_size(i);
    h.app.panes[i].jump(at, size);
    (passage, themes.on(passage).next().unwrap().id().to_string())
}

fn char_key(h: &mut Harness, c: char) {
    h.key(KeyCode::Char(c), KeyModifiers::NONE);
}

#[test]
fn t_lists_a_passages_themes_and_decisions_are_saved_at_once() {
    let mut h = Harness::demo(1, 100, 24);
    let (passage, first) = cursor_on_tagged_passage(&mut h, 0);
    char_key(&mut h, 't');
    let View::Passage(view) = &h.app.view else {
        panic!("t opens the theme list: {:?}", h.app.view);
    };
    assert_eq!(view.passage, passage);
    let themes = h.app.panes[0].themes.clone().unwrap();
    let suggestion = themes.all(passage)[0];
    let screen = h.text();
    assert!(screen.contains("suggested"), "{screen}");
    let (term, _) = suggestion.matched().next().expect("a matched term");
    assert!(
        screen.contains(term),
        "the matched terms explain the suggestion:\n{screen}"
    );
    insta::assert_snapshot!("passage_themes_100", screen);

    // y accepts: the pane shows it at once, and the library has it.
    char_key(&mut h, 'y');
    let status = |h: &Harness| h.app.panes[0].themes.as_ref().unwrap().all(passage)[0].status;
    assert_eq!(status(&h), pizhu::tagging::merge::Status::Accepted);
    let span = themes.passages[passage];
    let stored = |h: &Harness| {
        h.store
            .decisions(1)
            .unwrap()
            .into_iter()
            .filter(|d| d.passage == span)
            .map(|d| (d.theme, d.decision))
            .collect::<Vec<_>>()
    };
    use pizhu::tagging::merge::Decision;
    assert_eq!(stored(&h), [(first.clone(), Decision::Accepted)]);
    assert!(h.text().contains('●'), "an accepted theme's chip is solid");

    // x rejects, d clears back to the suggestion; u and Ctrl-r undo and redo it here.
    char_key(&mut h, 'x');
    assert_eq!(stored(&h), [(first.clone(), Decision::Rejected)]);
    assert!(
        h.app.panes[0]
            .themes
            .as_ref()
            .unwrap()
            .on(passage)
            .all(|t| t.id() != first),
        "a rejected theme is off the passage"
    );
    let row = h.app.panes[0]
        .themes
        .as_ref()
        .unwrap()
        .all(passage)
        .iter()
        .position(|t| t.id() == first)
        .unwrap();
    if let View::Passage(view) = &mut h.app.view {
        view.selected = row;
    }
    char_key(&mut h, 'd');
    assert_eq!(stored(&h), []);
    char_key(&mut h, 'u');
    assert_eq!(stored(&h), [(first.clone(), Decision::Rejected)]);
    assert!(
        matches!(h.app.view, View::Passage(_)),
        "the list stays open"
    );
    assert!(
        !h.app.panes[0]
            .themes
            .as_ref()
            .unwrap()
            .on(passage)
            .any(|t| t.id() == first),
        "the list shows it rejected again"
    );
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(stored(&h), []);

    // a adds a theme found by typing its English name.
    let missing = themes
        .labels
        .iter()
        .find(|l| !themes.carries(passage, &l.id))
        .unwrap()
        .clone();
    char_key(&mut h, 'a');
    h.type_text(&missing.name_en);
    let screen = h.text();
    assert!(screen.contains(missing.name.as_str()), "{screen}");
    h.act(Action::Submit);
    assert!(stored(&h).contains(&(missing.id.clone(), Decision::Added)));
    assert!(
        h.app.panes[0]
            .themes
            .as_ref()
            .unwrap()
            .carries(passage, &missing.id)
    );
    h.act(Action::Back);
    assert_eq!(h.app.view, View::Reader);
}

#[test]
fn following_a_theme_moves_every_pane_and_bracket_t_steps_them_together() {
    let mut h = Harness::demo(2, 120, 20);
    // The second pane shows the fourth demo document: it shares themes with the first.
    h.app.focus = 1;
    h.act(Action::OpenLibrary);
    for _ in 0..3 {
        h.act(Action::Down);
    }
    h.act(Action::Select);
    assert_eq!(h.app.panes[1].doc_id(), 4);
    let both = |h: &Harness| {
        let a = h.app.panes[0].themes.clone().unwrap();
        let b = h.app.panes[1].themes.clone().unwrap();
        a.labels
            .iter()
            .map(|l| l.id.clone())
            .find(|id| {
                (0..a.passages.len()).filter(|&p| a.carries(p, id)).count() > 1
                    && (0..b.passages.len()).any(|p| b.carries(p, id))
            })
            .expect("a theme in both demo documents")
    };
    let theme = both(&h);
    h.act(Action::CommandLine);
    h.type_text(&format!("theme {theme}"));
    h.act(Action::Submit);
    assert_eq!(h.app.theme.as_deref(), Some(theme.as_str()));
    let passage_of = |h: &Harness, i: usize| {
        let pane = &h.app.panes[i];
        let themes = pane.themes.as_ref().unwrap();
        themes.passage_at(pane.document().unwrap().to_stored(pane.cursor))
    };
    for i in 0..2 {
        let themes = h.app.panes[i].themes.clone().unwrap();
        assert_eq!(
            passage_of(&h, i),
            themes.best(&theme),
            "pane {i} at its best passage"
        );
    }
    // ]t: the keys wait for each other (the status line shows the first), then every pane
    // steps to its next passage with the theme.
    for i in 0..2 {
        let size = h.app.text_size(i);
        h.app.panes[i].jump(0, size);
    }
    h.app.focus = 0;
    char_key(&mut h, ']');
    assert!(
        h.text().lines().last().unwrap().contains(']'),
        "pending key shown"
    );
    char_key(&mut h, 't');
    assert!(h.app.pending.is_empty());
    for i in 0..2 {
        let themes = h.app.panes[i].themes.clone().unwrap();
        let after = themes.passage_at(0).map_or(0, |p| p + 1);
        let expected = (after..themes.passages.len()).find(|&p| themes.carries(p, &theme));
        assert_eq!(
            passage_of(&h, i),
            expected,
            "pane {i}: next passage with the theme"
        );
    }
    assert!(h.text().contains(" of "), "{}", h.text());
    let first = passage_of(&h, 0);
    char_key(&mut h, ']');
    char_key(&mut h, 't');
    let second = passage_of(&h, 0);
    assert!(second > first, "{second:?} after {first:?}");
    char_key(&mut h, '[');
    char_key(&mut h, 't');
    assert_eq!(passage_of(&h, 0), first);
    // A key that does not continue a sequence counts on its own.
    char_key(&mut h, ']');
    char_key(&mut h, 'j');
    assert!(h.app.pending.is_empty());
    // :theme alone stops following.
    h.act(Action::CommandLine);
    h.type_text("theme");
    h.act(Action::Submit);
    assert_eq!(h.app.theme, None);
}

#[test]
fn related_passages_are_listed_and_open_in_the_pane_beside() {
    let mut h = Harness::demo(1, 100, 20);
    cursor_on_tagged_passage(&mut h, 0);
    let origin = h.app.panes[0].doc_id();
    char_key(&mut h, 'r');
    let View::Related(view) = &h.app.view else {
        panic!("r lists related passages: {:?}", h.app.view);
    };
    let found = view.found.clone().expect("the tagging thread answered");
    assert!(
        !found.is_empty(),
        "the demo documents share passages' words"
    );
    assert!(found.iter().all(|r| r.doc != origin));
    let screen = h.text();
    assert!(screen.contains("Passages like"), "{screen}");
    h.act(Action::Select);
    assert_eq!(h.app.view, View::Reader);
    assert_eq!(h.app.panes.len(), 2);
    assert_eq!(h.app.focus, 1, "the new pane is beside, focused");
    let pane = &h.app.panes[1];
    assert_eq!(pane.doc_id(), found[0].doc);
    let doc = pane.document().unwrap();
    assert_eq!(doc.to_stored(pane.cursor), found[0].start);
}

#[test]
fn f_folds_every_paragraph_but_the_theme_followed_and_f_again_shows_all() {
    let mut h = Harness::demo(1, 100, 30);
    let (_, theme) = cursor_on_tagged_passage(&mut h, 0);
    let themes = h.app.panes[0].themes.clone().unwrap();
    let tagged = (0..themes.passages.len())
        .filter(|&p| themes.carries(p, &theme))
        .count();
    char_key(&mut h, 'F');
    assert_eq!(h.app.panes[0].filter.as_deref(), Some(theme.as_str()));
    assert_eq!(h.app.theme.as_deref(), Some(theme.as_str()));
    let screen = h.text();
    assert!(screen.contains(" folded (F shows all)"), "{screen}");
    assert!(
        h.app
            .status
            .as_ref()
            .unwrap()
            .text
            .contains(&format!("{tagged} passages")),
        "{screen}"
    );
    insta::assert_snapshot!("filtered_100", screen);
    // Every text row on screen belongs to a passage with the theme, or is a fold marker.
    let doc = h.app.panes[0].document().unwrap();
    let size = h.app.text_size(0);
    let rows = h.app.panes[0]
        .with_layout(size, |d, cache| {
            let top = cache.position_of(d, h.app.panes[0].top);
            cache.screen(d, top, size.height)
        })
        .unwrap();
    for row in rows {
        if h.app.panes[0].fold_starting_at(row.para).is_some() {
            continue;
        }
        let stored = doc.to_stored(doc.paragraph_start(row.para));
        let passage = themes.passage_at(stored).expect("a passage");
        assert!(themes.carries(passage, &theme));
    }
    // j moves from passage to passage over the folds.
    let before = h.app.panes[0].cursor;
    h.act(Action::Down);
    assert_ne!(h.app.panes[0].cursor, before);
    char_key(&mut h, 'F');
    assert_eq!(h.app.panes[0].filter, None);
    assert!(!h.text().contains("folded (F shows all)"));
}

/// The demo reader with the themes view open (`T`), at `w`×`h`.
fn themes_view(w: u16, h: u16) -> Harness {
    let mut h = Harness::demo(1, w, h);
    h.key(KeyCode::Char('T'), KeyModifiers::SHIFT);
    assert!(
        matches!(h.app.view, View::Themes(_)),
        "T opens the themes view"
    );
    h
}

fn themes(h: &Harness) -> &pizhu::tui::codebook::ThemesView {
    match &h.app.view {
        View::Themes(view) => view,
        other => panic!("not the themes view: {other:?}"),
    }
}

fn codebook(h: &Harness) -> pizhu::themes::Codebook {
    h.store.codebook().expect("codebook").0
}

/// Selects the row of theme `id` in the themes view.
fn select_theme(h: &mut Harness, id: &str) {
    h.act(Action::Top);
    while themes(h).selected_theme().map(|t| t.id.as_str()) != Some(id) {
        let before = themes(h).selected;
        h.act(Action::Down);
        assert_ne!(themes(h).selected, before, "theme {id} is in the list");
    }
}

fn status(h: &Harness) -> String {
    h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn snapshots_of_the_themes_view_at_80_and_120() {
    for width in [80, 120] {
        let mut h = themes_view(width, 24);
        h.app.status = None;
        insta::assert_snapshot!(format!("themes_{width}"), h.text());
    }
}

#[test]
fn esc_while_the_library_is_re_tagged_cancels_the_re_tag_and_saves_none_of_it() {
    let mut h = themes_view(100, 24);
    h.act(Action::AddTheme);
    h.type_text("enclave");
    h.act(Action::Submit);
    h.type_text("飞地 | 飛地 | Enclaves");
    // The edit is answered; the re-tag it asks for is not yet when Esc comes.
    h.app.update(Action::Submit);
    let common::harness::Harness { app, store } = &mut h;
    for request in app.requests.drain(..).collect::<Vec<_>>() {
        worker::handle(store, &Default::default(), request, &mut |r| {
            app.update(Action::Worker(r))
        });
    }
    let running = h.app.running.clone().expect("a re-tag runs");
    assert!(matches!(h.app.requests.as_slice(), [Request::Codebook(_)]));
    h.key(KeyCode::Esc, KeyModifiers::NONE);
    assert!(running.is_cancelled());
    assert!(
        matches!(h.app.view, View::Themes(_)),
        "Esc cancelled, it did not leave"
    );
    assert_eq!((h.app.retagging, h.app.running.is_none()), (None, true));
    assert!(
        status(&h).starts_with("re-tagging cancelled"),
        "{}",
        status(&h)
    );
    // Nothing of the re-tag was saved: every document is still tagged by the codebook before
    // the edit (and is tagged again when next shown).
    let (_, revision) = h.store.codebook().expect("codebook");
    let states = h.store.tagging_states().expect("tagging states");
    assert!(!states.is_empty());
    assert!(
        states.values().all(|s| s.codebook_revision < revision),
        "{states:?} against revision {revision}"
    );
}

#[test]
fn the_themes_view_adds_a_theme_keywords_a_colour_then_merges_and_removes() {
    let mut h = themes_view(100, 24);
    let before = codebook(&h);
    // a: id, then names; the colour is one no theme has.
    h.act(Action::AddTheme);
    h.type_text("enclave");
    h.act(Action::Submit);
    h.type_text("飞地 | 飛地 | Enclaves");
    h.act(Action::Submit);
    let cb = codebook(&h);
    let enclave = cb.get("enclave").expect("added").clone();
    assert_eq!(
        (enclave.name.as_str(), enclave.name_hant.as_str()),
        ("飞地", "飛地")
    );
    assert!(
        !before.themes.iter().any(|t| t.color == enclave.color),
        "{} is a new colour",
        enclave.color
    );
    assert_eq!(
        themes(&h).selected_theme().map(|t| t.id.as_str()),
        Some("enclave")
    );
    assert!(h.text().contains("Enclaves"), "{}", h.text());
    // The edit re-tagged the library in the background and said so.
    assert_eq!(h.app.retagging, None);
    assert!(status(&h).starts_with("re-tagged"), "{}", status(&h));

    // K: keywords; -term removes.
    h.act(Action::ThemeKeywords);
    h.type_text("飞地，耐心资本 科创飞地");
    h.act(Action::Submit);
    h.act(Action::ThemeKeywords);
    h.type_text("-科创飞地");
    h.act(Action::Submit);
    let terms: Vec<String> = codebook(&h)
        .get("enclave")
        .unwrap()
        .keywords
        .iter()
        .map(|k| k.term.clone())
        .collect();
    assert_eq!(terms, ["飞地", "耐心资本"]);
    assert!(
        h.text().contains("耐心资本"),
        "the detail area lists the keywords"
    );

    // c: the prompt offers the next palette colour; any #rrggbb goes.
    h.act(Action::RecolorTheme);
    let offered = h.app.prompt.as_ref().expect("prompt").input.clone();
    assert!(
        pizhu::themes::PALETTE.contains(&offered.as_str()),
        "{offered}"
    );
    for _ in 0..offered.chars().count() {
        h.act(Action::Backspace);
    }
    h.type_text("12AB56");
    h.act(Action::Submit);
    assert_eq!(codebook(&h).get("enclave").unwrap().color, "#12ab56");

    // R: the names are offered; the English one changes.
    h.act(Action::RenameTheme);
    for _ in 0.."Enclaves".len() {
        h.act(Action::Backspace);
    }
    h.type_text("Science enclaves");
    h.act(Action::Submit);
    assert_eq!(
        codebook(&h).get("enclave").unwrap().name_en,
        "Science enclaves"
    );

    // m: pick the target, Enter, y.
    h.act(Action::MergeTheme);
    assert_eq!(themes(&h).merging.as_deref(), Some("enclave"));
    select_theme(&mut h, "finance");
    h.act(Action::Select);
    assert!(
        h.text().contains("merge enclave into finance?"),
        "{}",
        h.text()
    );
    h.act(Action::Input('y'));
    let cb = codebook(&h);
    assert!(cb.get("enclave").is_none());
    assert!(
        cb.get("finance")
            .unwrap()
            .keywords
            .iter()
            .any(|k| k.term == "耐心资本")
    );
    assert_eq!(
        themes(&h).selected_theme().map(|t| t.id.as_str()),
        Some("finance")
    );

    // d: asks; n keeps it, y removes it.
    h.act(Action::Remove);
    h.act(Action::Input('n'));
    assert!(codebook(&h).get("finance").is_some());
    assert_eq!(status(&h), "kept theme finance");
    assert!(h.text().contains("科技金融"));
    h.act(Action::Remove);
    h.act(Action::Input('y'));
    assert!(codebook(&h).get("finance").is_none());
    assert!(!h.text().contains("科技金融"), "{}", h.text());
    // The gutter's labels followed: the pane's themes were read again after the re-tag.
    let labels = &h.app.panes[0].themes.as_ref().expect("themes").labels;
    assert!(
        labels
            .iter()
            .all(|l| l.id != "finance" && l.id != "enclave")
    );

    h.act(Action::Back);
    assert_eq!(h.app.view, View::Reader);
}

#[test]
fn an_invalid_theme_edit_says_why_on_the_status_line_and_changes_nothing() {
    let mut h = themes_view(80, 20);
    let (before, revision) = h.store.codebook().expect("codebook");
    let check = |h: &Harness, expected: &str| {
        let status = h.app.status.clone().expect("a status");
        assert!(status.error && status.text.contains(expected), "{status:?}");
        assert!(!status.text.contains('\n'));
        assert_eq!(h.store.codebook().unwrap(), (before.clone(), revision));
        assert!(h.text().contains(expected), "{}", h.text());
    };
    h.act(Action::AddTheme);
    h.type_text("Bad Id");
    h.act(Action::Submit);
    check(&h, "theme id \"Bad Id\"");
    h.act(Action::AddTheme);
    assert_eq!(
        h.app.prompt.as_ref().unwrap().input,
        "Bad Id",
        "offered again"
    );
    h.app.prompt.as_mut().unwrap().input.clear();
    h.type_text("talent");
    h.act(Action::Submit);
    check(&h, "theme talent: the id is used twice");

    select_theme(&mut h, "talent");
    h.act(Action::ThemeKeywords);
    h.type_text("新词 -没有这个词");
    h.act(Action::Submit);
    check(&h, "theme talent: has no keyword \"没有这个词\"");
    // Nothing typed is lost: the same prompt offers it again.
    h.act(Action::ThemeKeywords);
    assert_eq!(h.app.prompt.as_ref().unwrap().input, "新词 -没有这个词");
    h.act(Action::Back);

    h.act(Action::RecolorTheme);
    for _ in 0..7 {
        h.act(Action::Backspace);
    }
    h.type_text("red");
    h.act(Action::Submit);
    check(&h, "colour \"red\" is not #rrggbb");

    h.act(Action::RenameTheme);
    h.app.prompt.as_mut().unwrap().input = " | x".to_string();
    h.act(Action::Submit);
    check(&h, "theme talent: the Simplified name is empty");

    h.act(Action::MergeTheme);
    h.act(Action::Select);
    check(&h, "theme talent: cannot merge a theme into itself");
}

#[test]
fn uncovered_terms_become_keywords_or_new_themes() {
    let mut h = themes_view(120, 24);
    select_theme(&mut h, "talent");
    h.act(Action::DiscoverTerms);
    let list = themes(&h)
        .terms
        .as_ref()
        .and_then(|t| t.list.clone())
        .expect("terms");
    assert!(!list.is_empty(), "the demo library has uncovered terms");
    assert!(
        h.text().contains("Uncovered terms of the library"),
        "{}",
        h.text()
    );
    let first = list[0].term.clone();
    assert!(h.text().contains(&first));
    // Enter: a keyword of the selected theme, and off the list.
    h.act(Action::Select);
    assert!(
        codebook(&h)
            .get("talent")
            .unwrap()
            .keywords
            .iter()
            .any(|k| k.term == first)
    );
    let now = themes(&h)
        .terms
        .as_ref()
        .and_then(|t| t.list.clone())
        .expect("terms");
    assert!(now.iter().all(|u| u.term != first));
    // n: a new theme with the term as its keyword; its name is offered as the term.
    let second = now[0].term.clone();
    h.act(Action::NewTheme);
    h.type_text("found");
    h.act(Action::Submit);
    assert_eq!(h.app.prompt.as_ref().unwrap().input, second);
    h.act(Action::Submit);
    let found = codebook(&h).get("found").cloned().expect("new theme");
    assert_eq!(
        (found.name.as_str(), found.keywords.len()),
        (second.as_str(), 1)
    );
    // Tab moves the keys to the themes list; Esc closes the terms.
    h.act(Action::FocusNext);
    h.act(Action::Down);
    h.act(Action::Back);
    assert!(themes(&h).terms.is_none());
    // S: of the focused pane's document.
    h.act(Action::DiscoverDocumentTerms);
    let terms = themes(&h).terms.clone().expect("terms");
    assert_eq!(terms.doc.map(|(id, _)| id), Some(h.app.panes[0].doc_id()));
    assert!(terms.list.is_some());
}

/// The annotations the library holds for document `doc`.
fn stored_annotations(h: &Harness, doc: i64) -> Vec<pizhu::annotations::Annotation> {
    h.store.document_annotations(doc).expect("annotations")
}

#[test]
fn v_selects_and_h_highlights_the_selection_in_its_colour() {
    let mut h = Harness::demo(1, 80, 16);
    let size = h.app.text_size(0);
    // The start of the second body paragraph.
    let start = h.app.panes[0].document().unwrap().paragraph_start(2);
    h.app.panes[0].jump(start, size);
    char_key(&mut h, 'v');
    assert!(h.app.selecting());
    for _ in 0..3 {
        char_key(&mut h, 'e');
    }
    char_key(&mut h, ',');
    let selected = h.app.panes[0].selected().expect("a selection");
    assert!(selected.len() > 3);
    char_key(&mut h, '3');
    assert!(!h.app.selecting(), "highlighting ends the selection");
    let stored = stored_annotations(&h, 1);
    assert_eq!(stored.len(), 1);
    let a = &stored[0];
    assert_eq!(a.color, pizhu::annotations::Color::Blue);
    let doc = h.app.panes[0].document().unwrap();
    assert_eq!(
        (doc.to_view(a.start), doc.to_view(a.end)),
        (selected.start, selected.end)
    );
    let last: char = a.quote.chars().last().unwrap();
    assert!(
        "，、；：。".contains(last),
        "the clause's mark is selected: {:?}",
        a.quote
    );
    assert_eq!(h.app.panes[0].marks().len(), 1, "the pane shows it at once");
    let screen = h.screen();
    let buf = screen.backend().buffer();
    let painted = buf
        .content()
        .iter()
        .filter(|c| {
            matches!(c.bg, ratatui::style::Color::Indexed(_))
                && c.fg == ratatui::style::Color::Black
        })
        .count();
    assert!(
        painted >= a.quote.chars().count(),
        "highlighted cells: {painted}"
    );
    assert!(
        h.text().contains('▎'),
        "a mark in the gutter:\n{}",
        h.text()
    );
    insta::assert_snapshot!("highlight_80", h.text());
}

#[test]
fn a_writes_a_chinese_note_enter_edits_it_d_deletes_and_u_brings_it_back() {
    let mut h = Harness::demo(1, 80, 20);
    let size = h.app.text_size(0);
    let start = h.app.panes[0].document().unwrap().paragraph_start(2);
    h.app.panes[0].jump(start, size);
    char_key(&mut h, 'v');
    char_key(&mut h, ')');
    let sentence = h.app.panes[0].selected().unwrap();
    char_key(&mut h, 'a');
    assert!(
        matches!(h.app.view, View::Note(_)),
        "a opens the note editor"
    );
    assert!(
        stored_annotations(&h, 1).is_empty(),
        "made when the note is saved"
    );
    let edit = |h: &mut Harness, key: pizhu::tui::editor::EditKey| h.act(Action::Edit(key));
    use pizhu::tui::editor::EditKey;
    for c in "重要：需核实".chars() {
        edit(&mut h, EditKey::Char(c));
    }
    edit(&mut h, EditKey::Enter);
    for c in "第二行 with =cmd".chars() {
        edit(&mut h, EditKey::Char(c));
    }
    let screen = h.screen();
    let cursor = pizhu::tui::views::cursor(&h.app, screen.backend().buffer().area);
    assert!(
        cursor.is_some(),
        "the terminal's cursor goes where the text goes"
    );
    insta::assert_snapshot!("note_editor_80", h.text());
    edit(&mut h, EditKey::Save);
    assert_eq!(h.app.view, View::Reader);
    let stored = stored_annotations(&h, 1);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].note, "重要：需核实\n第二行 with =cmd");
    assert!(
        stored[0].quote.ends_with('。'),
        "the sentence with its 。: {:?}",
        stored[0].quote
    );
    let doc = h.app.panes[0].document().unwrap();
    assert_eq!(doc.to_view(stored[0].end), sentence.end);

    // On the annotation, the status line shows its note; Enter edits it.
    let inside = sentence.start + 1;
    h.app.panes[0].jump(inside, size);
    h.app.status = None;
    let status = h.text().lines().last().unwrap().to_string();
    assert!(status.contains("重要：需核实"), "{status}");
    h.act(Action::Select);
    assert!(
        matches!(h.app.view, View::Note(_)),
        "Enter on an annotation edits its note"
    );
    edit(&mut h, EditKey::Char('！'));
    edit(&mut h, EditKey::Discard);
    assert_eq!(
        stored_annotations(&h, 1)[0].note,
        "重要：需核实\n第二行 with =cmd"
    );

    char_key(&mut h, 'd');
    assert!(stored_annotations(&h, 1).is_empty());
    assert!(h.app.panes[0].marks().is_empty());
    char_key(&mut h, 'u');
    assert_eq!(stored_annotations(&h, 1).len(), 1, "u brings it back");
    assert_eq!(h.app.panes[0].marks().len(), 1);
    assert!(h.app.status.as_ref().unwrap().text.contains("undone"));
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert!(
        stored_annotations(&h, 1).is_empty(),
        "Ctrl-r deletes it again"
    );
}

#[test]
fn y_copies_the_selection_for_the_terminal_clipboard_and_t_tags_it() {
    let mut h = Harness::demo(1, 80, 16);
    let size = h.app.text_size(0);
    let start = h.app.panes[0].document().unwrap().paragraph_start(2);
    h.app.panes[0].jump(start, size);
    char_key(&mut h, 'v');
    char_key(&mut h, 'e');
    char_key(&mut h, 'y');
    let copied = h.app.clipboard.clone().expect("text for OSC 52");
    assert!(!copied.is_empty());
    assert!(h.app.status.as_ref().unwrap().text.contains("copied"));
    char_key(&mut h, 'V');
    char_key(&mut h, 't');
    h.type_text("人才");
    let screen = h.text();
    assert!(screen.contains("人才  Talent (talent)"), "{screen}");
    assert!(!screen.contains("new tag"), "the theme's name: {screen}");
    h.act(Action::Submit);
    let stored = stored_annotations(&h, 1);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].tags, ["talent"], "a theme's name becomes its id");
    let doc = h.app.panes[0].document().unwrap();
    let para = doc.paragraphs[2];
    assert_eq!(
        (doc.to_view(stored[0].start), doc.to_view(stored[0].end)),
        (para.start, para.end),
        "V selects the whole paragraph"
    );
}

#[test]
fn with_the_mouse_a_click_places_the_cursor_drag_selects_and_a_double_click_takes_a_word() {
    pizhu::text::segment::get();
    let mut h = Harness::new(
        store_with(&[("词", "科技创新推动产业升级。\n第二行文字。\n")]),
        Start::Session,
        40,
        8,
    );
    h.act(Action::Select);
    // Text starts at column 2 (the gutter) and row 1 (the title).
    h.act(Action::Click { column: 6, row: 1 });
    assert_eq!(
        h.app.panes[0].cursor, 2,
        "the third character (two cells each)"
    );
    h.act(Action::Drag { column: 11, row: 1 });
    let selected = h.app.panes[0].selected().expect("dragging selects");
    assert_eq!((selected.start, selected.end), (2, 5));
    h.act(Action::Click { column: 12, row: 1 });
    assert!(
        h.app.panes[0].selection.is_none(),
        "a click ends the selection"
    );
    h.act(Action::Click { column: 12, row: 1 });
    let word = h.app.panes[0]
        .selected()
        .expect("a double click selects a word");
    assert_eq!((word.start, word.end), (4, 6), "推动");
    h.act(Action::Click { column: 2, row: 2 });
    assert_eq!(
        h.app.panes[0].cursor, 12,
        "the second line's first character"
    );
}

#[test]
fn export_from_the_command_line() {
    let mut h = Harness::demo(1, 100, 14);
    let dir = tempfile::tempdir().expect("tempdir");
    let command = |h: &mut Harness, text: &str| {
        h.act(Action::CommandLine);
        h.type_text(text);
        h.act(Action::Submit);
    };
    command(&mut h, "export");
    assert!(h.app.export.is_some(), ":export alone opens the dialog");
    h.act(Action::Back);
    command(&mut h, "export docx");
    assert!(
        h.app
            .status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("usage: :export")),
        "{:?}",
        h.app.status
    );
    let path = dir.path().join("notes.md");
    command(&mut h, &format!("export md {}", path.display()));
    assert!(
        h.app
            .status
            .as_ref()
            .is_some_and(|s| !s.error && s.text.starts_with("exported ")),
        "{:?}",
        h.app.status
    );
    let written = std::fs::read_to_string(&path).expect("the export");
    assert!(written.starts_with("# pizhu notes: demo"), "{written}");
    let qdc = dir.path().join("codebook.qdc");
    command(&mut h, &format!("export qdc {}", qdc.display()));
    assert!(
        std::fs::read_to_string(&qdc)
            .expect("the codebook")
            .contains("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"")
    );
}

#[test]
fn backup_from_the_command_line_writes_a_copy_of_the_library() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("copy.db");
    let mut h = Harness::demo(1, 80, 12);
    h.act(Action::CommandLine);
    h.type_text(&format!("backup {}", path.display()));
    h.act(Action::Submit);
    let status = h.app.status.clone().expect("a message");
    assert!(
        status.text.contains("backed up the library to"),
        "{status:?}"
    );
    let copy = pizhu::store::Store::open(&path).expect("a library");
    assert_eq!(copy.list_documents().expect("documents").len(), 4);
    h.act(Action::CommandLine);
    h.type_text(&format!("backup {}", path.display()));
    h.act(Action::Submit);
    assert!(
        h.app
            .status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("already exists"))
    );
}
