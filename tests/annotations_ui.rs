//! The reader's annotations view (`A`) driven through its actions on the demo library with
//! annotations made by the core, one document updated to a new version so that one
//! annotation drifted and one is an orphan: requests are answered synchronously by
//! `worker::handle`, screens drawn on ratatui's `TestBackend` (insta snapshots at 80 and 120
//! columns).

mod common;

use common::harness::Harness;
use pizhu::annotations::{AnchorStatus, Annotation, Color, NewAnnotation};
use pizhu::doc::{DocId, Span};
use pizhu::import::update::{Updated, update};
use pizhu::import::{ImportOptions, Silent, Source};
use pizhu::store::Store;
use pizhu::tui::action::Action;
use pizhu::tui::annotations::AnnotationsView;
use pizhu::tui::app::{Start, View};
use pizhu::tui::worker::Response;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

/// The library, `w`×`h`, with its last document open in one pane.
fn open(store: Store, w: u16, h: u16) -> Harness {
    let mut harness = Harness::new(store, Start::Session, w, h);
    harness.act(Action::OpenLibrary);
    harness.act(Action::Bottom);
    harness.act(Action::Select);
    harness.app.status = None;
    harness
}

fn esc(h: &mut Harness) {
    h.key(KeyCode::Esc, KeyModifiers::NONE);
}

fn view(h: &Harness) -> &AnnotationsView {
    match &h.app.view {
        View::Annotations(v) => v,
        other => panic!("not the annotations view: {other:?}"),
    }
}

/// The ids of the annotations listed, in order.
fn listed(h: &Harness) -> Vec<i64> {
    let view = view(h);
    let data = view.data.as_deref().expect("loaded");
    view.shown
        .iter()
        .map(|&i| data.rows[i].annotation.id)
        .collect()
}

/// The id of the annotation selected.
fn selected(h: &Harness) -> Option<i64> {
    view(h).selected_row().map(|r| r.annotation.id)
}

fn key_enter(h: &mut Harness) {
    h.key(KeyCode::Enter, KeyModifiers::NONE);
}

fn status(h: &Harness) -> String {
    h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// The annotations of the library, by what they were made on.
struct Made {
    kept: Annotation,
    edited: Annotation,
    gone: Annotation,
    traditional: Annotation,
    /// The updated document, and the text the edited annotation's span holds in it.
    updated: DocId,
    changed: String,
}

/// The span of `quote` in document `doc`'s stored text.
fn span_of(store: &Store, doc: DocId, quote: &str) -> Span {
    let text = store.text(doc).unwrap();
    let byte = text.find(quote).expect("quote in the text");
    let start = text[..byte].chars().count();
    Span::new(start, start + quote.chars().count())
}

fn annotate(
    store: &mut Store,
    doc: DocId,
    quote: &str,
    color: Color,
    note: &str,
    tags: &[&str],
) -> Annotation {
    let span = span_of(store, doc, quote);
    store
        .create_annotation(&NewAnnotation {
            doc,
            span,
            color,
            note: note.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        })
        .unwrap()
}

/// The demo library with four annotations; document #1 then updated with one annotated
/// phrase edited, one annotated line removed and a line added at the end.
fn library() -> (Store, Made) {
    let mut store = pizhu::demo::open().expect("demo library");
    let traditional = annotate(
        &mut store,
        2,
        "人才流動是其中最關鍵的一環",
        Color::Blue,
        "繁體筆記：人才流動\n第二行",
        &["talent", "待查"],
    );
    let kept = annotate(
        &mut store,
        1,
        "技术革命性突破",
        Color::Yellow,
        "核心定义",
        &["talent"],
    );
    let edited_quote = "企业最贴近市场，也最清楚";
    let edited = annotate(&mut store, 1, edited_quote, Color::Green, "主体地位", &[]);
    let gone_line = "围绕这一判断，笔者认为可以从以下几个方面着力：";
    let gone = annotate(
        &mut store,
        1,
        "笔者认为可以从以下几个方面",
        Color::Pink,
        "",
        &[],
    );
    let mut changed: String = edited_quote.chars().take(6).collect();
    changed.push_str("（新增）");
    changed.extend(edited_quote.chars().skip(6));
    let text = store.text(1).unwrap();
    let new_text = format!(
        "{}更新说明：第二版。\n",
        text.replacen(edited_quote, &changed, 1)
            .replacen(&format!("{gone_line}\n"), "", 1)
    );
    let source = Source::Embedded {
        name: "v2.txt".into(),
        bytes: Box::leak(new_text.into_bytes().into_boxed_slice()),
    };
    let updated = match update(
        &mut store,
        1,
        &source,
        &ImportOptions::default(),
        &mut Silent,
    ) {
        Ok(Updated::Replaced {
            new,
            ok: 1,
            drifted: 1,
            orphans: 1,
            ..
        }) => new,
        other => panic!("not updated as expected: {other:?}"),
    };
    let reread = |a: &Annotation| store.annotation(a.id).unwrap().unwrap();
    let made = Made {
        kept: reread(&kept),
        edited: reread(&edited),
        gone: reread(&gone),
        traditional,
        updated,
        changed,
    };
    assert_eq!(made.edited.status, AnchorStatus::Drifted);
    assert_eq!(made.gone.status, AnchorStatus::Orphan);
    (store, made)
}

#[test]
fn the_view_lists_every_annotation_and_filters_by_text_colour_tag_and_document() {
    let (store, m) = library();
    let mut h = open(store, 100, 16);
    h.keys("A");
    // The orphan keeps its old place.
    let all = vec![m.traditional.id, m.kept.id, m.gone.id, m.edited.id];
    assert_eq!(listed(&h), all, "by document and place");
    let screen = h.text();
    assert!(screen.contains("Annotations: 4 of 4"), "{screen}");
    assert!(screen.contains("#人才 #待查"), "themes by name: {screen}");
    assert!(screen.contains("«技术革命性突破»") && screen.contains("核心定义"));
    assert!(screen.contains("段3"), "the passage number: {screen}");

    // Typing filters across scripts: a Simplified query finds a Traditional note.
    h.keys("繁体笔记");
    assert_eq!(listed(&h), [m.traditional.id]);
    assert!(h.text().contains("/繁体笔记▏"));
    esc(&mut h);
    assert_eq!(listed(&h), all, "Esc clears the filter");
    // ... and the document's title, and the tags (a theme by its name).
    h.keys("/粤港澳");
    assert_eq!(listed(&h), [m.traditional.id]);
    esc(&mut h);
    h.keys("/待查");
    assert_eq!(listed(&h), [m.traditional.id]);
    esc(&mut h);
    h.keys("/enterprise");
    assert!(listed(&h).is_empty());
    esc(&mut h);
    h.keys("/人才");
    assert_eq!(listed(&h), [m.traditional.id, m.kept.id]);
    esc(&mut h);

    h.keys("c");
    assert_eq!(listed(&h), [m.kept.id], "yellow");
    h.keys("c");
    assert_eq!(listed(&h), [m.edited.id], "green");
    h.keys("cccc");
    assert_eq!(view(&h).color, None);
    assert_eq!(listed(&h), all);

    h.keys("#");
    let tag = view(&h).tag.clone();
    assert_eq!(
        tag.as_deref(),
        Some("talent"),
        "tags by name: 人才 before 待查"
    );
    assert_eq!(listed(&h), [m.traditional.id, m.kept.id]);
    h.keys("#");
    assert_eq!(listed(&h), [m.traditional.id]);
    h.keys("#");
    assert_eq!(listed(&h), all);

    h.keys("o");
    assert_eq!(view(&h).doc, Some(m.updated));
    assert_eq!(listed(&h), [m.kept.id, m.gone.id, m.edited.id]);
    assert!(h.text().contains(&format!("#{} only", m.updated)));
    h.keys("o");
    h.keys("s");
    let mut newest = all.clone();
    newest.sort_by(|a, b| b.cmp(a));
    assert_eq!(listed(&h), newest, "newest first");

    h.keys("q");
    assert_eq!(h.app.view, View::Reader);
}

#[test]
fn enter_opens_the_annotation_in_the_reader_and_an_orphan_says_why() {
    let (store, m) = library();
    let mut h = open(store, 100, 16);
    h.keys("A");
    h.keys("j");
    h.act(Action::Select);
    assert_eq!(h.app.view, View::Reader);
    let pane = &h.app.panes[h.app.focus];
    assert_eq!(pane.doc_id(), m.kept.doc);
    let doc = pane.document().expect("loaded");
    assert_eq!(doc.to_stored(pane.cursor), m.kept.start);

    h.keys("Ajj");
    assert_eq!(listed(&h)[2], m.gone.id);
    h.act(Action::Select);
    assert!(matches!(h.app.view, View::Annotations(_)), "stays");
    let status = status(&h);
    assert!(status.contains("could not be placed"), "{status}");
    assert!(status.contains(&m.gone.quote), "{status}");

    // The Traditional document opens in the focused pane.
    h.keys("g");
    h.act(Action::Select);
    assert_eq!(h.app.panes[h.app.focus].doc_id(), 2);
}

#[test]
fn the_drifted_review_shows_old_and_new_text_and_confirms_or_orphans() {
    let (store, m) = library();
    let mut h = open(store, 100, 20);
    h.keys("AD");
    assert_eq!(listed(&h), [m.edited.id]);
    let now = view(&h).now.clone().expect("the text now was read");
    assert_eq!(
        now.text.as_ref().map(|t| t.1.as_str()),
        Ok(m.changed.as_str())
    );
    let screen = h.text();
    assert!(
        screen.contains("Drifted annotations to review: 1 of 4"),
        "{screen}"
    );
    assert!(
        screen.contains("was:") && screen.contains("now:"),
        "{screen}"
    );
    assert!(screen.contains(&m.edited.quote), "the old quote: {screen}");
    assert!(screen.contains(&m.changed), "the text now: {screen}");

    h.keys("y");
    let confirmed = h.store.annotation(m.edited.id).unwrap().unwrap();
    assert_eq!(confirmed.status, AnchorStatus::Ok);
    assert_eq!(confirmed.quote, m.changed);
    assert!(status(&h).contains("confirmed"), "{}", status(&h));
    assert!(listed(&h).is_empty(), "reviewed");
    assert!(h.text().contains("no drifted annotation"));

    // Undone (as `pizhu undo` does), it is drifted again; x makes it an orphan.
    h.store.undo().unwrap();
    h.keys("q");
    assert!(!view(&h).review, "q leaves the review first");
    h.keys("q");
    assert_eq!(h.app.view, View::Reader);
    h.keys("AD");
    assert_eq!(listed(&h), [m.edited.id]);
    h.keys("x");
    let orphan = h.store.annotation(m.edited.id).unwrap().unwrap();
    assert_eq!(
        (orphan.status, orphan.quote.as_str()),
        (AnchorStatus::Orphan, m.edited.quote.as_str())
    );
    esc(&mut h);
    assert!(!view(&h).review);
    h.keys("j");
    h.keys("y");
    assert!(
        status(&h).contains("only a drifted annotation"),
        "{}",
        status(&h)
    );
}

#[test]
fn snapshots_of_the_list_and_the_review_at_80_and_120() {
    for width in [80, 120] {
        let (store, _) = library();
        let mut h = open(store, width, 14);
        h.keys("A");
        insta::assert_snapshot!(format!("annotations_{width}"), h.text());
        h.keys("D");
        insta::assert_snapshot!(format!("annotations_review_{width}"), h.text());
    }
}

#[test]
fn m_in_the_review_moves_a_drifted_annotation_to_a_selection_adjusted_in_the_reader() {
    let (store, m) = library();
    let mut h = open(store, 100, 20);
    h.keys("AD");
    assert_eq!(listed(&h), [m.edited.id]);
    h.keys("m");
    assert_eq!(h.app.view, View::Reader, "the reader, at the annotation");
    let pane = &h.app.panes[h.app.focus];
    let doc = pane.document().expect("loaded");
    let selected = pane.selected().expect("its place selected");
    let before = h.store.annotation(m.edited.id).unwrap().unwrap();
    assert_eq!(
        (doc.to_stored(selected.start), doc.to_stored(selected.end)),
        (before.start, before.end)
    );
    assert_eq!(h.app.moving(), Some(m.edited.id));
    assert!(h.text().contains("moving annotation"), "{}", h.text());

    // Esc leaves it where it was.
    esc(&mut h);
    assert!(!h.app.selecting() && h.app.moving().is_none());
    assert_eq!(h.store.annotation(m.edited.id).unwrap().unwrap(), before);

    // Again, the selection extended to the end of the next clause, and Enter puts it there.
    h.keys("ADm,");
    let pane = &h.app.panes[h.app.focus];
    let doc = pane.document().unwrap();
    let selected = pane.selected().unwrap();
    let span = (doc.to_stored(selected.start), doc.to_stored(selected.end));
    assert!(span.1 > before.end, "{span:?} extends {before:?}");
    h.key(KeyCode::Enter, KeyModifiers::NONE);
    assert!(!h.app.selecting());
    let moved = h.store.annotation(m.edited.id).unwrap().unwrap();
    assert_eq!((moved.start, moved.end), span);
    assert_eq!(moved.status, AnchorStatus::Ok);
    let text = h.store.text(moved.doc).unwrap();
    let quote: String = text.chars().skip(span.0).take(span.1 - span.0).collect();
    assert_eq!(moved.quote, quote, "its quote is the text there now");
    assert!(quote.starts_with(&m.changed));
    assert_eq!(
        moved.prefix, before.prefix,
        "the same start, the same context before"
    );
    assert_ne!(moved.suffix, before.suffix);
    assert!(status(&h).contains("moved annotation"), "{}", status(&h));
    // The pane shows it at its new place; the review has nothing left.
    let mark = h.app.panes[h.app.focus].marks()[..]
        .iter()
        .find(|mk| mk.id == moved.id)
        .copied()
        .expect("marked");
    assert_eq!(mark.span, selected);
    h.keys("AD");
    assert!(listed(&h).is_empty());

    // One change: u puts it back, drifted, where it was.
    h.keys("qq");
    h.keys("u");
    assert_eq!(h.store.annotation(m.edited.id).unwrap().unwrap(), before);
}

#[test]
fn the_view_reads_the_list_again_when_the_library_changes_under_it_keeping_filter_and_selection() {
    let (store, m) = library();
    let mut h = open(store, 100, 16);
    h.keys("A/人才");
    key_enter(&mut h);
    assert_eq!(listed(&h), [m.traditional.id, m.kept.id]);
    h.keys("j");
    assert_eq!(selected(&h), Some(m.kept.id));

    // Another process (the command line) adds one that the filter matches and deletes one.
    let made = annotate(
        &mut h.store,
        m.updated,
        "人才",
        Color::Purple,
        "另一个进程",
        &[],
    );
    h.store.delete_annotation(m.gone.id).unwrap();
    assert!(view(&h).data.as_deref().unwrap().rows.len() == 4, "not yet");
    h.act(Action::Worker(Response::LibraryChanged));
    let v = view(&h);
    assert_eq!(
        v.data.as_deref().unwrap().rows.len(),
        4,
        "one more, one less"
    );
    assert_eq!(v.filter, "人才", "the filter stays");
    assert!(v.data.as_deref().unwrap().folded, "typing matches at once");
    let mut now = listed(&h);
    now.sort();
    assert_eq!(now, [m.traditional.id, m.kept.id, made.id]);
    assert_eq!(
        selected(&h),
        Some(m.kept.id),
        "the selection stays on its annotation"
    );
    assert!(h.text().contains("另一个进程"), "{}", h.text());
}

#[test]
fn d_deletes_the_selected_annotation_and_u_and_ctrl_r_undo_and_redo_in_the_view() {
    let (store, m) = library();
    let mut h = open(store, 100, 16);
    h.keys("Aj");
    assert_eq!(selected(&h), Some(m.kept.id));
    h.keys("d");
    assert!(h.store.annotation(m.kept.id).unwrap().is_none());
    assert!(matches!(h.app.view, View::Annotations(_)), "the view stays");
    assert_eq!(listed(&h), [m.traditional.id, m.gone.id, m.edited.id]);
    assert!(status(&h).contains("deleted annotation"), "{}", status(&h));
    // The reader's pane on its document lost it too.
    let pane = &h.app.panes[h.app.focus];
    assert!(pane.annotation(m.kept.id).is_none());
    h.keys("u");
    assert!(h.store.annotation(m.kept.id).unwrap().is_some());
    assert_eq!(listed(&h).len(), 4, "back in the list");
    assert!(h.app.panes[h.app.focus].annotation(m.kept.id).is_some());
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert!(h.store.annotation(m.kept.id).unwrap().is_none());
    assert_eq!(listed(&h).len(), 3);
}

#[test]
fn a_long_list_shows_its_first_page_by_place_before_the_whole_is_read() {
    use pizhu::tui::annotations::{AnnotationsRequest, AnnotationsResponse, FIRST_PAGE, answer};
    let mut store = pizhu::demo::open().expect("demo library");
    let n = FIRST_PAGE as usize + 50;
    for i in 0..n {
        store
            .create_annotation(&NewAnnotation {
                doc: (i % 4) as i64 + 1,
                span: Span::new(i * 3 % 500, i * 3 % 500 + 2),
                color: Color::Green,
                note: String::new(),
                tags: Vec::new(),
            })
            .unwrap();
    }
    let mut answers = Vec::new();
    answer(&mut store, AnnotationsRequest::Load, &mut |r| {
        answers.push(r)
    });
    let [first, whole, folded] = <[_; 3]>::try_from(answers).expect("three answers");
    let (
        Response::AnnotationList(AnnotationsResponse::Loaded(first_data)),
        Response::AnnotationList(AnnotationsResponse::Loaded(all)),
    ) = (&first, &whole)
    else {
        panic!("the first page, then the whole: {first:?}");
    };
    assert!(matches!(
        &folded,
        Response::AnnotationList(AnnotationsResponse::Folded(f)) if f.len() == n
    ));
    let by_place = |d: &pizhu::tui::annotations::AnnotationsData| -> Vec<i64> {
        d.by_place
            .iter()
            .map(|&i| d.rows[i].annotation.id)
            .collect()
    };
    assert!(first_data.partial && !all.partial);
    assert_eq!(
        (first_data.rows.len(), first_data.total),
        (FIRST_PAGE as usize, n)
    );
    assert_eq!(
        by_place(first_data)[..],
        by_place(all)[..FIRST_PAGE as usize]
    );

    // The view shows the page at once, then the whole with the selection kept.
    let mut h = open(store, 100, 16);
    h.app.update(Action::OpenAnnotations);
    h.app.requests.clear();
    h.app.update(Action::Worker(first));
    let screen = h.text();
    assert!(
        screen.contains(&format!("the first {FIRST_PAGE} of {n}, reading the rest")),
        "{screen}"
    );
    h.app.update(Action::Down);
    let chosen = selected(&h);
    h.app.update(Action::Worker(whole));
    h.app.update(Action::Worker(folded));
    assert_eq!(listed(&h).len(), n);
    assert_eq!(selected(&h), chosen);
    assert!(h.text().contains(&format!("Annotations: {n} of {n}")));
}
