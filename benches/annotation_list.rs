//! The reader's annotations view on a library of 100,000 annotations (the goal: opening it under
//! 200 ms): `annotation_list/load` (the worker's first answer: every annotation with its title,
//! passage number and tag names), `annotation_list/answer` (both answers: the rows' folded text
//! too), `annotation_list/open` (the first answer taken by the app: the first filtering),
//! `annotation_list/type` (one character typed into the filter) and `annotation_list/sort` (newest
//! first).
//!
//! `annotation_create/highlight` is making an annotation in the reader (the goal: key to saved
//! and redrawn under 16 ms) with all 100,000 annotations in the document it is made in: the key
//! on a selection, the worker's transaction with its undo-log entry and its answers, the app
//! taking them, and the frame drawn.

use criterion::{Criterion, criterion_group, criterion_main};
use pizhu::annotations::{Color, NewAnnotation};
use pizhu::doc::Span;
use pizhu::store::Store;
use pizhu::tui::action::Action;
use pizhu::tui::annotations::{AnnotationsRequest, AnnotationsResponse, answer, load};
use pizhu::tui::app::{App, Start};
use pizhu::tui::keymap::Keymap;
use pizhu::tui::theme::{Palette, Theme};
use pizhu::tui::views::render;
use pizhu::tui::worker::Response;
use pizhu::tui::worker::handle;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::hint::black_box;
use std::sync::Arc;

const ANNOTATIONS: usize = 100_000;

/// The demo library with `n` annotations spread over its documents (`spread`; else all in the
/// first one), with notes and tags.
fn library(n: usize, spread: bool) -> Store {
    let mut store = pizhu::demo::open().expect("demo library");
    let docs = store.list_documents().expect("documents");
    let tags = ["talent", "enterprise", "待查", "key-tech"];
    for i in 0..n {
        let doc = &docs[if spread { i % docs.len() } else { 0 }];
        let start = (i * 7919) % (doc.chars - 20);
        store
            .create_annotation(&NewAnnotation {
                doc: doc.id,
                span: Span::new(start, start + 4 + i % 16),
                color: Color::ALL[i % Color::ALL.len()],
                note: format!("笔记 {i}：值得再读\n第二行"),
                tags: vec![tags[i % tags.len()].to_string()],
            })
            .expect("annotation");
    }
    store
}

/// An app whose annotations view has just asked for its list.
fn opened() -> App {
    let mut app = App::new(Keymap::defaults(), Start::Session, (120, 40));
    app.update(Action::OpenAnnotations);
    app.requests.clear();
    app
}

/// An app that has taken the first answer.
fn answered(data: &Arc<pizhu::tui::annotations::AnnotationsData>) -> App {
    let mut app = opened();
    app.update(Action::Worker(Response::AnnotationList(
        AnnotationsResponse::Loaded(Arc::clone(data)),
    )));
    app
}

/// Answers the app's requests with the store until it asks nothing more.
fn pump(app: &mut App, store: &mut Store) {
    loop {
        let requests: Vec<_> = app.requests.drain(..).collect();
        if requests.is_empty() {
            return;
        }
        for request in requests {
            let mut answers = Vec::new();
            handle(store, &Default::default(), request, &mut |r| {
                answers.push(r)
            });
            for answer in answers {
                app.update(Action::Worker(answer));
            }
        }
    }
}

fn bench_create(c: &mut Criterion) {
    let mut store = library(ANNOTATIONS, false);
    let size = (120, 40);
    let mut app = App::new(Keymap::defaults(), Start::Session, size);
    pump(&mut app, &mut store);
    app.update(Action::OpenLibrary);
    app.update(Action::Select);
    pump(&mut app, &mut store);
    let theme = Theme::new(Palette::Indexed256);
    let area = Rect::new(0, 0, size.0, size.1);
    let mut buf = Buffer::empty(area);
    let chars = app.panes[0]
        .document()
        .and_then(|d| d.paragraphs.last())
        .expect("a document with text")
        .end;
    let mut group = c.benchmark_group("annotation_create");
    group.sample_size(20);
    let mut i = 0;
    group.bench_function("highlight", |b| {
        b.iter(|| {
            i += 1;
            let tsize = app.text_size(0);
            app.panes[0].jump((i * 104_729) % (chars - 10), tsize);
            app.update(Action::Visual);
            app.update(Action::NextWord);
            app.update(Action::HighlightGreen);
            pump(&mut app, &mut store);
            render(&app, &theme, area, &mut buf);
            black_box(&buf);
        })
    });
    group.finish();
}

fn bench_view(c: &mut Criterion) {
    let store = library(ANNOTATIONS, true);
    let data = Arc::new(load(&store).expect("load"));
    let mut group = c.benchmark_group("annotation_list");
    group.sample_size(10);
    group.bench_function("load", |b| {
        b.iter(|| black_box(load(&store).expect("load")))
    });
    let mut store = store;
    group.bench_function("answer", |b| {
        b.iter(|| {
            let mut answers = Vec::new();
            answer(&mut store, AnnotationsRequest::Load, &mut |r| {
                answers.push(r)
            });
            black_box(answers)
        })
    });
    group.bench_function("open", |b| b.iter(|| black_box(answered(&data))));
    group.bench_function("type", |b| {
        b.iter_batched(
            || answered(&data),
            |mut app| {
                app.update(Action::Input('读'));
                app
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("sort", |b| {
        b.iter_batched(
            || answered(&data),
            |mut app| {
                app.update(Action::ToggleSort);
                app
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench_view, bench_create);
criterion_main!(benches);
