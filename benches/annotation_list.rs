//! The reader's annotations view on a library of 100,000 annotations (the goal: opening it under
//! 200 ms): `annotation_list/load` (the worker's first answer: every annotation with its title,
//! passage number and tag names), `annotation_list/answer` (both answers: the rows' folded text
//! too), `annotation_list/open` (the first answer taken by the app: the first filtering),
//! `annotation_list/type` (one character typed into the filter) and `annotation_list/sort` (newest
//! first).

use criterion::{Criterion, criterion_group, criterion_main};
use pizhu::annotations::{Color, NewAnnotation};
use pizhu::doc::Span;
use pizhu::store::Store;
use pizhu::tui::action::Action;
use pizhu::tui::annotations::{AnnotationsRequest, AnnotationsResponse, answer, load};
use pizhu::tui::app::{App, Start};
use pizhu::tui::keymap::Keymap;
use pizhu::tui::worker::Response;
use std::hint::black_box;
use std::sync::Arc;

const ANNOTATIONS: usize = 100_000;

/// The demo library with `n` annotations spread over its documents, with notes and tags.
fn library(n: usize) -> Store {
    let mut store = pizhu::demo::open().expect("demo library");
    let docs = store.list_documents().expect("documents");
    let tags = ["talent", "enterprise", "待查", "key-tech"];
    for i in 0..n {
        let doc = &docs[i % docs.len()];
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

fn bench_view(c: &mut Criterion) {
    let store = library(ANNOTATIONS);
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

criterion_group!(benches, bench_view);
criterion_main!(benches);
