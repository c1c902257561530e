//! Annotating in the reader, driven through its keys on the demo library with every request
//! answered at once by `worker::handle` (tests/common/harness.rs): the gutter where
//! annotations overlap, the tag picker, and moving an annotation to a selection. Screens are
//! drawn on ratatui's `TestBackend` (insta snapshots).

mod common;

use common::harness::Harness;
use pizhu::annotations::{Annotation, Color, NewAnnotation};
use pizhu::doc::Span;
use pizhu::tui::action::Action;
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
