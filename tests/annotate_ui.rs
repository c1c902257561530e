//! Annotating in the reader, driven through its keys on the demo library with every request
//! answered at once by `worker::handle` (tests/common/harness.rs): the gutter where
//! annotations overlap, the tag picker, and moving an annotation to a selection. Screens are
//! drawn on ratatui's `TestBackend` (insta snapshots).

mod common;

use common::harness::Harness;
use pizhu::annotations::{Annotation, Color, NewAnnotation};
use pizhu::doc::Span;
use pizhu::tui::action::Action;
use pizhu::tui::app::View;
use pizhu::tui::worker::Response;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

/// The demo library's first document open at `w`×`h`, the cursor at the start of its second
/// body paragraph (the third paragraph shown).
fn reader(w: u16, h: u16) -> Harness {
    let mut h = Harness::demo(1, w, h);
    let size = h.app.text_size(0);
    let start = h.app.panes[0].document().unwrap().paragraph_start(2);
    h.app.panes[0].jump(start, size);
    h.app.status = None;
    h
}

/// Makes an annotation on view offsets `from..to` of the focused pane's document through the
/// store (as another process would) and lets the reader see it.
fn annotate(h: &mut Harness, from: usize, to: usize, color: Color, note: &str) -> Annotation {
    let doc = h.app.panes[0].document().unwrap();
    let new = NewAnnotation {
        doc: doc.meta.id,
        span: Span::new(doc.to_stored(from), doc.to_stored(to)),
        color,
        note: note.into(),
        tags: Vec::new(),
    };
    let made = h.store.create_annotation(&new).expect("annotation");
    h.act(Action::Worker(Response::LibraryChanged));
    made
}

fn key(h: &mut Harness, code: KeyCode) {
    h.key(code, KeyModifiers::NONE);
}

#[test]
fn the_gutter_marks_both_annotations_where_they_overlap_and_the_innermost_colours_the_text() {
    let mut h = reader(80, 12);
    let start = h.app.panes[0].document().unwrap().paragraph_start(2);
    // The paragraph's rows are 39 characters wide: the outer annotation covers three rows,
    // the inner one part of the second.
    let outer = annotate(&mut h, start, start + 100, Color::Yellow, "外层笔记");
    let inner = annotate(&mut h, start + 45, start + 60, Color::Blue, "");
    assert_eq!(h.app.panes[0].marks().len(), 2);
    let screen = h.screen();
    let buf = screen.backend().buffer();
    let row = (1..12)
        .find(|&y| buf[(2, y)].symbol() == "近")
        .expect("the paragraph's first row");
    let gutter: Vec<&str> = (row..row + 4).map(|y| buf[(1, y)].symbol()).collect();
    assert_eq!(
        gutter,
        ["✎", "2", "▎", " "],
        "the outer's note, both, the outer alone, none"
    );
    let theme = pizhu::tui::theme::Theme::new(pizhu::tui::theme::Palette::Indexed256);
    let bg = |c: Color| theme.highlight(c).bg;
    assert_eq!(
        Some(buf[(1, row + 1)].bg),
        bg(inner.color),
        "on the innermost's colour"
    );
    // In the second row: the inner annotation's characters in its colour, the rest in the
    // outer's (two cells a character, after the gutter).
    let cell = |n: usize| &buf[(2 + 2 * u16::try_from(n).unwrap(), row + 1)];
    assert_eq!(Some(cell(45 - 39).bg), bg(inner.color));
    assert_eq!(Some(cell(2).bg), bg(outer.color));
    insta::assert_snapshot!("overlapping_gutter_80", h.text());

    // Deleting the inner one leaves the outer's mark alone on the row.
    let size = h.app.text_size(0);
    h.app.panes[0].jump(start + 50, size);
    h.keys("d");
    assert!(h.store.annotation(inner.id).unwrap().is_none());
    let screen = h.screen();
    assert_eq!(screen.backend().buffer()[(1, row + 1)].symbol(), "▎");
    key(&mut h, KeyCode::Char('u'));
    assert_eq!(h.app.panes[0].marks().len(), 2, "u brings it back");
}

/// Selects the first sentence of the paragraph under the cursor.
fn select_sentence(h: &mut Harness) {
    h.keys("v)");
    assert!(h.app.selecting());
}

/// The tags of the annotations the library holds for document 1.
fn stored_tags(h: &Harness) -> Vec<Vec<String>> {
    h.store
        .document_annotations(1)
        .unwrap()
        .into_iter()
        .map(|a| a.tags)
        .collect()
}

#[test]
fn t_on_a_selection_opens_a_picker_that_filters_the_codebook_across_scripts() {
    let mut h = reader(80, 18);
    select_sentence(&mut h);
    h.keys("t");
    assert!(matches!(h.app.view, View::Tags(_)));
    let screen = h.text();
    assert!(screen.contains("tag the selection"), "{screen}");
    assert!(
        screen.contains("人才  Talent (talent)"),
        "every theme: {screen}"
    );
    // A Traditional name finds the theme as the Simplified one does; a part of one lists it.
    h.type_text("企業創新");
    let screen = h.text();
    assert!(
        screen.contains("企业创新主体") && !screen.contains("人才  Talent"),
        "{screen}"
    );
    assert!(
        screen.contains("+ new tag: 企業創新"),
        "not a name: {screen}"
    );
    insta::assert_snapshot!("tag_picker_80", screen);
    // Down (Ctrl-n) to the theme; Enter tags the selection with its id.
    h.key(KeyCode::Char('n'), KeyModifiers::CONTROL);
    key(&mut h, KeyCode::Enter);
    assert_eq!(h.app.view, View::Reader);
    assert!(!h.app.selecting(), "tagging ends the selection");
    assert_eq!(stored_tags(&h), [vec!["enterprise".to_string()]]);
}

#[test]
fn the_picker_takes_a_tag_of_ones_own_and_esc_goes_back_to_the_selection() {
    let mut h = reader(80, 18);
    select_sentence(&mut h);
    let selected = h.app.panes[0].selected();
    h.keys("t");
    h.type_text("待查");
    assert!(h.text().contains("+ new tag: 待查"));
    key(&mut h, KeyCode::Esc);
    assert_eq!(h.app.view, View::Reader);
    assert_eq!(h.app.panes[0].selected(), selected, "the selection stays");
    assert!(stored_tags(&h).is_empty(), "nothing saved");
    // An exact name is the theme, not a new tag; Up and Down stay within the rows.
    h.keys("t");
    h.type_text("Talent");
    assert!(!h.text().contains("new tag"), "{}", h.text());
    key(&mut h, KeyCode::Up);
    key(&mut h, KeyCode::Enter);
    assert_eq!(stored_tags(&h), [vec!["talent".to_string()]]);
    // Free text, first row.
    h.keys("V");
    h.keys("t");
    h.type_text("待查");
    key(&mut h, KeyCode::Enter);
    let tags = stored_tags(&h);
    assert!(tags.contains(&vec!["待查".to_string()]), "{tags:?}");
}

#[test]
fn m_on_an_annotation_selects_it_and_enter_puts_it_where_the_selection_is_now() {
    let mut h = reader(80, 14);
    let start = h.app.panes[0].document().unwrap().paragraph_start(2);
    let a = annotate(&mut h, start + 3, start + 6, Color::Pink, "挪一挪");
    let size = h.app.text_size(0);
    h.app.panes[0].jump(start + 4, size);
    h.keys("m");
    let selected = h.app.panes[0].selected().expect("its span selected");
    assert_eq!((selected.start, selected.end), (start + 3, start + 6));
    assert_eq!(h.app.moving(), Some(a.id));
    // To the end of the clause (here the sentence's); Enter puts it there.
    h.keys(",");
    let selected = h.app.panes[0].selected().unwrap();
    key(&mut h, KeyCode::Enter);
    let moved = h.store.annotation(a.id).unwrap().unwrap();
    let doc = h.app.panes[0].document().unwrap();
    assert_eq!(
        (moved.start, moved.end),
        (doc.to_stored(selected.start), doc.to_stored(selected.end))
    );
    assert_eq!((moved.note.as_str(), moved.color), ("挪一挪", Color::Pink));
    assert_eq!(
        moved.quote,
        "，“新质生产力”成为观察我国经济与科技发展的一个关键词。"
    );
    assert_eq!(h.app.panes[0].marks()[0].span, selected, "shown there");
    // Enter on a selection that moves nothing says what it is for.
    h.keys("v");
    key(&mut h, KeyCode::Enter);
    let status = h
        .app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(status.contains("being moved"), "{status}");
}
