//! Annotations at scale: making one annotation (the store's transaction with its undo-log
//! entry, then reading the document's annotations back, as the reader does before it redraws)
//! and listing every annotation of the library, with 100,000 annotations in a library file
//! of 100 documents.

use criterion::{Criterion, criterion_group, criterion_main};
use pizhu::annotations::{AnnotationFilter, Color, NewAnnotation};
use pizhu::doc::Span;
use pizhu::store::{NewDocument, Store};
use std::hint::black_box;

const DOCUMENTS: usize = 100;
const ANNOTATIONS: usize = 100_000;
const TEXT: &str = include_str!("../tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt");

fn library(dir: &std::path::Path) -> Store {
    let mut store = Store::open(&dir.join("lib.db")).expect("library");
    let chars = TEXT.chars().count();
    for d in 0..DOCUMENTS {
        let text = format!("{TEXT}\n{d}\n");
        store
            .insert_document_unindexed(&NewDocument {
                title: format!("doc {d}"),
                source: format!("bench:{d}"),
                encoding: "utf-8".to_string(),
                script: pizhu::doc::Script::Simplified,
                content_hash: pizhu::import::content_hash(&text),
                source_bytes: text.len() as u64,
                cleaned: pizhu::clean::clean(&text),
                text,
            })
            .expect("insert");
    }
    for i in 0..ANNOTATIONS {
        let start = (i * 37) % (chars - 40);
        store
            .create_annotation(&NewAnnotation {
                doc: (i % DOCUMENTS) as i64 + 1,
                span: Span::new(start, start + 1 + i % 30),
                color: Color::ALL[i % 5],
                note: format!("笔记 {i}"),
                tags: vec!["talent".to_string()],
            })
            .expect("annotate");
    }
    store
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = library(dir.path());
    let mut group = c.benchmark_group("annotations");
    group.sample_size(30);
    let mut i = 0;
    group.bench_function(
        "create-and-reload-the-document (100k in the library)",
        |b| {
            b.iter(|| {
                i += 1;
                let made = store
                    .create_annotation(&NewAnnotation {
                        doc: 7,
                        span: Span::new(i % 500, i % 500 + 5),
                        color: Color::Green,
                        note: "新笔记".to_string(),
                        tags: Vec::new(),
                    })
                    .expect("annotate");
                black_box(store.document_annotations(made.doc).expect("reload").len())
            })
        },
    );
    group.bench_function("list-all (100k)", |b| {
        b.iter(|| {
            black_box(
                store
                    .annotations(&AnnotationFilter::default())
                    .expect("list")
                    .len(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
