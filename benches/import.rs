//! Import benchmarks: decode + detect + clean + title/script/hash of a document (what
//! `pizhu import` does before storing), storing it, and the cleaning pass and reading view
//! alone, on text made from the fixtures.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pizhu::import::{self, ImportOptions, Silent, Source};
use pizhu::store::Store;
use std::hint::black_box;

mod common;

use common::corpus;

fn leak(bytes: Vec<u8>) -> &'static [u8] {
    Box::leak(bytes.into_boxed_slice())
}

fn bench_prepare(c: &mut Criterion) {
    let text = corpus(8);
    let utf8 = leak(text.clone().into_bytes());
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let gbk = leak(gbk.into_owned());
    let mut group = c.benchmark_group("import/prepare");
    group.sample_size(10);
    for (name, bytes) in [("utf-8", utf8), ("gb18030", gbk)] {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        let source = Source::Embedded {
            name: name.to_string(),
            bytes,
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                import::prepare(black_box(&source), &ImportOptions::default(), &mut Silent)
                    .expect("imports")
            })
        });
    }
    group.finish();
}

fn bench_store(c: &mut Criterion) {
    let bytes = leak(corpus(8).into_bytes());
    let source = Source::Embedded {
        name: "bench".to_string(),
        bytes,
    };
    let options = ImportOptions {
        force: true,
        ..ImportOptions::default()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("bench.db")).expect("library");
    let mut group = c.benchmark_group("import/store");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("prepare+insert", |b| {
        b.iter(|| {
            import::run(
                &mut store,
                std::slice::from_ref(&source),
                &options,
                &mut Silent,
            )
            .expect("imports")
        })
    });
    group.finish();
}

fn bench_clean(c: &mut Criterion) {
    let text = corpus(8);
    let mut group = c.benchmark_group("clean");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("clean", |b| {
        b.iter(|| pizhu::clean::clean(black_box(&text)))
    });
    let folded = pizhu::clean::clean(&text).folded_spans();
    group.bench_function("view", |b| {
        b.iter(|| pizhu::doc::view::View::build(black_box(&text), &folded, &Default::default()))
    });
    group.finish();
}

criterion_group!(benches, bench_prepare, bench_store, bench_clean);
criterion_main!(benches);
