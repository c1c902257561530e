//! The reader's annotations view on a library of 100,000 annotations (the goal: opening it under
//! 200 ms): `annotation_list/first` (the worker's first answer: the first page by place, what
//! the view shows first), `annotation_list/load` (its second: every annotation with its title,
//! passage number and tag names), `annotation_list/answer` (all its answers: the rows' folded
//! text too), `annotation_list/open` (the whole list taken by the app: the first filtering),
//! `annotation_list/type` (one character typed into the filter) and `annotation_list/sort`
//! (newest first). The benchmarks named "(CPU time)" measure the thread's CPU time instead of
//! wall time: on a machine shared with other work it is the steadier figure.
//!
//! `annotation_create/highlight` is making an annotation in the reader (the goal: key to saved
//! and redrawn under 16 ms) with all 100,000 annotations in the document it is made in: the key
//! on a selection, the worker's transaction with its undo-log entry and its answers, the app
//! taking them, and the frame drawn; in a library file (as the reader uses) and in memory (as
//! the demo does; SQLite's in-memory pages make each commit cost more as the library grows).

use criterion::{Criterion, criterion_group, criterion_main};
use pizhu::annotations::{Color, NewAnnotation};
use pizhu::doc::Span;
use pizhu::import::Silent;
use pizhu::store::Store;
use pizhu::tui::action::Action;
use pizhu::tui::annotations::{AnnotationsRequest, AnnotationsResponse, answer, load, load_first};
use pizhu::tui::app::{App, Start};
use pizhu::tui::keymap::Keymap;
use pizhu::tui::theme::{Palette, Theme};
use pizhu::tui::views::render;
use pizhu::tui::worker::{self, Response};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

const ANNOTATIONS: usize = 100_000;

/// `n` annotations on the demo documents of `store`, spread over them (`spread`; else all in
/// the first one), with notes and tags.
fn library(mut store: Store, n: usize, spread: bool) -> Store {
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

/// The demo corpus in a library file in `dir` (the reader's usual library: WAL, one
/// transaction a change).
fn demo_file(dir: &std::path::Path) -> Store {
    let mut store = Store::open(&dir.join("lib.db")).expect("library");
    let options = pizhu::import::ImportOptions::default();
    pizhu::import::run(&mut store, &pizhu::demo::sources(), &options, &mut Silent)
        .expect("demo documents");
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

/// The CPU time this thread spends on `f` (from the kernel's scheduler statistics; on a
/// machine shared with other work, wall time also counts the waits for a core).
fn cpu_time(f: impl FnOnce()) -> Duration {
    let now = || {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let start = now();
    f();
    Duration::from_nanos(now().saturating_sub(start))
}

fn bench_create(c: &mut Criterion) {
    pizhu::text::segment::get();
    let dir = tempfile::tempdir().expect("tempdir");
    let libraries = [
        ("highlight (library file)", demo_file(dir.path())),
        ("highlight (in memory)", pizhu::demo::open().expect("demo")),
    ];
    let mut group = c.benchmark_group("annotation_create");
    group.sample_size(20);
    for (name, store) in libraries {
        let mut store = library(store, ANNOTATIONS, false);
        let size = (120, 40);
        let mut app = App::new(Keymap::defaults(), Start::Session, size);
        worker::answer_inline(&mut app, &mut store);
        app.update(Action::OpenLibrary);
        app.update(Action::Select);
        worker::answer_inline(&mut app, &mut store);
        let theme = Theme::new(Palette::Indexed256);
        let area = Rect::new(0, 0, size.0, size.1);
        let mut buf = Buffer::empty(area);
        let chars = app.panes[0]
            .document()
            .and_then(|d| d.paragraphs.last())
            .expect("a document with text")
            .end;
        let mut i = 0;
        let mut highlight = || {
            i += 1;
            let tsize = app.text_size(0);
            app.panes[0].jump((i * 104_729) % (chars - 10), tsize);
            app.update(Action::Visual);
            app.update(Action::NextWord);
            app.update(Action::HighlightGreen);
            worker::answer_inline(&mut app, &mut store);
            render(&app, &theme, area, &mut buf);
            black_box(&buf);
        };
        group.bench_function(name, |b| b.iter(&mut highlight));
        group.bench_function(format!("{name} (CPU time)"), |b| {
            b.iter_custom(|iters| cpu_time(|| (0..iters).for_each(|_| highlight())))
        });
    }
    group.finish();
}

fn bench_view(c: &mut Criterion) {
    let store = library(pizhu::demo::open().expect("demo"), ANNOTATIONS, true);
    let data = Arc::new(load(&store).expect("load"));
    let mut group = c.benchmark_group("annotation_list");
    group.sample_size(10);
    group.bench_function("first", |b| {
        b.iter(|| black_box(load_first(&store).expect("first page")))
    });
    group.bench_function("load", |b| {
        b.iter(|| black_box(load(&store).expect("load")))
    });
    group.bench_function("load (CPU time)", |b| {
        b.iter_custom(|iters| {
            cpu_time(|| {
                for _ in 0..iters {
                    black_box(load(&store).expect("load"));
                }
            })
        })
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
