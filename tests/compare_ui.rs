//! The reader's matrix (`M`) and compare (`C`) views driven through their actions on the demo
//! library, without a terminal: requests are answered synchronously by `worker::handle`, and
//! screens are drawn on ratatui's `TestBackend` and compared with insta snapshots at 80 and
//! 120 columns.

mod common;

use common::harness::Harness;
use pizhu::tui::action::Action;
use pizhu::tui::app::View;
use pizhu::tui::theme::Palette;
use pizhu::tui::worker::Request;

/// The demo library, `w`×`h`, with document `doc` open in one pane.
fn demo(doc: usize, w: u16, h: u16) -> Harness {
    Harness::with_document(pizhu::demo::open().expect("demo library"), doc, w, h)
}

fn matrix(h: &Harness) -> &pizhu::tui::compare::MatrixView {
    match &h.app.view {
        View::Matrix(m) => m,
        other => panic!("not the matrix: {other:?}"),
    }
}

fn compare(h: &Harness) -> &pizhu::tui::compare::CompareView {
    match &h.app.view {
        View::Compare(c) => c,
        other => panic!("not the compare view: {other:?}"),
    }
}

/// The theme on passages of the most demo documents, and its matrix column.
fn widest_theme(h: &Harness) -> (usize, String) {
    let data = matrix(h).data.clone().expect("the matrix");
    let m = &data.matrix;
    let (i, id) = m
        .themes
        .iter()
        .enumerate()
        .max_by_key(|(i, _)| {
            (
                m.rows.iter().filter(|r| r.cells[*i].passages > 0).count(),
                std::cmp::Reverse(*i),
            )
        })
        .expect("themes");
    (i, id.clone())
}

#[test]
fn snapshots_of_the_matrix_and_compare_views_at_80_and_120() {
    for width in [80, 120] {
        let mut h = demo(1, width, 20);
        h.keys("M");
        insta::assert_snapshot!(format!("matrix_{width}"), h.text());
        // Far enough right that the theme columns scroll at both widths.
        for _ in 0..12 {
            h.keys("l");
        }
        h.keys("j");
        insta::assert_snapshot!(format!("matrix_moved_{width}"), h.text());
        for _ in 0..12 {
            h.keys("h");
        }
        let (column, _) = widest_theme(&h);
        for _ in 0..column {
            h.keys("l");
        }
        h.act(Action::Select);
        insta::assert_snapshot!(format!("compare_{width}"), h.text());
        h.keys("l");
        h.keys("l");
        h.keys("j");
        insta::assert_snapshot!(format!("compare_moved_{width}"), h.text());
    }
}

#[test]
fn the_matrix_says_loading_then_moves_scrolls_and_opens_compare_for_its_theme() {
    let mut h = demo(1, 80, 20);
    h.app.update(Action::OpenMatrix);
    assert!(h.text().contains("tagging the library…"), "{}", h.text());
    assert_eq!(h.app.requests, vec![Request::Matrix]);
    h.pump();
    let data = matrix(&h).data.clone().expect("the matrix arrived");
    let themes = data.matrix.themes.len();
    assert_eq!(data.matrix.rows.len(), pizhu::demo::TEXTS.len());
    assert!(themes > 6, "more themes than fit at 80 columns");
    // Right to the last theme scrolls the columns; left back to the first scrolls back.
    for _ in 0..themes + 2 {
        h.act(Action::Right);
    }
    assert_eq!(matrix(&h).column, themes - 1);
    assert!(matrix(&h).left > 0);
    let last_name = &data.themes[themes - 1].name;
    assert!(h.text().contains(&format!(
        "themes {}–{themes} of {themes}",
        matrix(&h).left + 1
    )));
    assert!(h.text().contains(last_name.chars().next().unwrap()));
    for _ in 0..themes {
        h.act(Action::Left);
    }
    assert_eq!((matrix(&h).column, matrix(&h).left), (0, 0));
    h.act(Action::Bottom);
    assert_eq!(matrix(&h).row, data.matrix.rows.len() - 1);
    h.act(Action::Down);
    assert_eq!(matrix(&h).row, data.matrix.rows.len() - 1);
    h.act(Action::Top);
    assert_eq!(matrix(&h).row, 0);
    // The footer names the selected theme and what it is about.
    let first = &data.themes[0];
    let text = h.text();
    assert!(text.contains(&first.name_en), "{text}");
    // Enter: the reader follows the theme, and the compare view shows it.
    let (column, theme) = widest_theme(&h);
    for _ in 0..column {
        h.act(Action::Right);
    }
    h.act(Action::Select);
    assert_eq!(h.app.theme.as_deref(), Some(theme.as_str()));
    assert_eq!(compare(&h).theme, theme);
    assert!(compare(&h).data.is_some());
    // Esc goes back to the matrix as it was, then to the reader.
    h.act(Action::Back);
    assert_eq!(matrix(&h).column, column);
    h.act(Action::Back);
    assert_eq!(h.app.view, View::Reader);
}

#[test]
fn compare_puts_the_open_document_first_and_enter_opens_the_passage_in_context() {
    // The Traditional demo document is open: its column comes first.
    let mut h = demo(2, 120, 20);
    h.keys("M");
    let (column, theme) = widest_theme(&h);
    h.act(Action::Back);
    h.app.theme = Some(theme.clone());
    h.keys("C");
    let data = compare(&h).data.clone().expect("the passages");
    let open = h.app.panes[0].doc_id();
    let ids: Vec<_> = data.columns.iter().map(|c| c.meta.id).collect();
    assert_eq!(ids[0], open, "{ids:?}");
    let mut rest = ids[1..].to_vec();
    rest.sort_unstable();
    assert_eq!(rest, ids[1..], "the others in library order");
    assert!(ids.len() >= 2, "{theme} (column {column}): {ids:?}");
    // The Traditional column shows the original script.
    let text = h.text();
    let first = &data.columns[0].passages[0];
    let line: String = first.text.chars().take(8).collect();
    assert!(text.contains(&line), "{line}\n{text}");
    // h/l between documents, j/k between passages; Enter opens the passage in context.
    h.keys("l");
    h.keys("j");
    h.keys("k");
    h.keys("j");
    let c = compare(&h).clone();
    assert_eq!(c.column, 1);
    let want = &data.columns[1];
    let p = &want.passages[c.selected[1].min(want.passages.len() - 1)];
    h.act(Action::Select);
    assert_eq!(h.app.view, View::Reader);
    let pane = &h.app.panes[h.app.focus];
    assert_eq!(pane.doc_id(), want.meta.id);
    let doc = pane.document().expect("loaded");
    assert_eq!(doc.to_stored(pane.cursor), p.span.start);
    assert_eq!(h.app.theme.as_deref(), Some(theme.as_str()));
}

#[test]
fn c_follows_the_passage_at_the_cursor_or_says_how_to_pick_a_theme() {
    let mut h = demo(1, 80, 20);
    assert_eq!(h.app.theme, None);
    // The cursor at the top, on the title: no theme there.
    let themes = h.app.panes[0].themes.clone().expect("themes");
    let doc = h.app.panes[0].document().unwrap().clone();
    let untagged = (0..doc.chars)
        .find(|&at| {
            themes
                .passage_at(doc.to_stored(at))
                .is_none_or(|p| themes.on(p).next().is_none())
        })
        .expect("an untagged place");
    let size = h.app.text_size(0);
    h.app.panes[0].jump(untagged, size);
    h.keys("C");
    assert_eq!(h.app.view, View::Reader);
    let status = h.app.status.clone().expect("a message");
    assert!(status.text.contains("M opens the matrix"), "{status:?}");
    // On a tagged passage, C compares its best theme.
    let passage = (0..themes.passages.len())
        .find(|&i| themes.on(i).next().is_some())
        .expect("a tagged passage");
    let best = themes.on(passage).next().unwrap().id().to_string();
    let at = doc.to_view(themes.passages[passage].start);
    h.app.panes[0].jump(at, size);
    h.keys("C");
    assert_eq!(compare(&h).theme, best);
    let data = compare(&h).data.clone().expect("passages");
    assert_eq!(data.columns[0].meta.id, h.app.panes[0].doc_id());
    assert!(
        data.columns[0]
            .passages
            .iter()
            .any(|p| p.span == themes.passages[passage])
    );
    h.keys("q");
    assert_eq!(h.app.view, View::Reader);
    assert_eq!(h.app.theme, None, "only a choice in a view sets the theme");
}

#[test]
fn without_colour_the_heat_map_and_selection_still_show() {
    let mut h = demo(1, 80, 20);
    h.keys("M");
    let terminal = h.screen_with(Palette::None);
    let buf = terminal.backend().buffer();
    let mut modified = 0;
    for cell in buf.content() {
        assert_eq!(
            (cell.fg, cell.bg),
            (ratatui::style::Color::Reset, ratatui::style::Color::Reset)
        );
        modified += usize::from(!cell.modifier.is_empty());
    }
    assert!(modified > 0);
}

#[test]
fn a_theme_that_is_gone_gives_an_error_not_a_view_waiting_for_ever() {
    let mut h = demo(1, 80, 20);
    h.app.theme = Some("no-such-theme".to_string());
    h.keys("C");
    assert_eq!(h.app.view, View::Reader);
    let status = h.app.status.clone().expect("a message");
    assert!(
        status.error && status.text.contains("no-such-theme"),
        "{status:?}"
    );
}
