//! Reader and search benchmarks on text made from the fixtures: laying out one screen and a
//! whole document (the reader's layout cache at 80 columns), searching one reading view
//! across scripts, and searching an indexed library (every hit, and the first 100 as the
//! reader asks for them).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pizhu::import::prepare_text;
use pizhu::search;
use pizhu::store::Store;
use pizhu::text::cache::{LayoutCache, Position};
use pizhu::text::layout::LayoutOptions;
use std::hint::black_box;

mod common;

use common::corpus;

fn bench_layout(c: &mut Criterion) {
    let text = corpus(8);
    let paragraphs: Vec<&str> = text.lines().collect();
    let doc = &paragraphs[..];
    let opts = LayoutOptions {
        width: 80,
        width_opts: Default::default(),
    };
    let mut group = c.benchmark_group("layout");
    group.bench_function("first screen, 80×40", |b| {
        b.iter(|| {
            let mut cache = LayoutCache::new(opts, doc);
            black_box(cache.screen(doc, Position::default(), 40))
        })
    });
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("whole document, 80 columns", |b| {
        b.iter(|| {
            let mut cache = LayoutCache::new(opts, doc);
            let rows: usize = (0..doc.len()).map(|p| cache.line_count(doc, p)).sum();
            black_box(rows)
        })
    });
    group.finish();
}

fn bench_search(c: &mut Criterion) {
    let text = corpus(8);
    let mut group = c.benchmark_group("search");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("one view, across scripts (创新)", |b| {
        b.iter(|| black_box(search::find(&text, "创新").len()))
    });
    group.finish();

    // 24 documents of ~1 MB: the library search reads its index, then the chunks it names.
    let mut store = Store::open_in_memory().expect("library");
    let document = corpus(1);
    for i in 0..24 {
        let doc = prepare_text(format!("第{i}篇\n{document}"), "-".into(), "bench");
        store.insert_document(&doc).expect("insert");
    }
    let mut group = c.benchmark_group("search library (24 MB)");
    group.sample_size(10);
    for query in ["科", "创新", "数字经济", "第7篇"] {
        group.bench_function(format!("{query}, every hit"), |b| {
            b.iter(|| black_box(search::search_library(&store, query, None).expect("search")))
        });
        group.bench_function(format!("{query}, first 100"), |b| {
            b.iter(|| black_box(search::search_library(&store, query, Some(100)).expect("search")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_layout, bench_search);
criterion_main!(benches);
