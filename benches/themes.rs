//! Theme tagging benchmarks, against plain `jieba_rs::Jieba::cut` on the same text in the same
//! run (the goal: folding + segmentation + tagging at least half the speed of bare `cut`):
//! `themes/jieba-cut` (the baseline, HMM off, per paragraph), `themes/jieba-cut-shadow` (the
//! same on the folded text: Simplified segments slower than Traditional, whose words jieba's
//! dictionary mostly lacks), `themes/jieba-cut-shadow-codebook` (bare `cut` with the codebook's
//! keywords added to its dictionary, as pizhu's segmenter has them),
//! `themes/segment-shadow` (pizhu's segmenter there), `themes/fold`,
//! `themes/fold+tag` (what tagging a document does per passage), `themes/fold+segment+tag`
//! (with pizhu's segmenter as well), and `themes/library-retag` (re-tagging a library through
//! the store: reading, the reading view, folding, counting and scoring, storing).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pizhu::import::{self, ImportOptions, Silent, Source};
use pizhu::store::Store;
use pizhu::tagging::{self, Quiet};
use pizhu::text::fold::Shadow;
use pizhu::text::segment::Segmenter;
use pizhu::themes::{Codebook, DEFAULT_THRESHOLD, Tagger};
use std::hint::black_box;

mod common;

use common::corpus;

fn bench_passages(c: &mut Criterion) {
    let text = corpus(4);
    let paragraphs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let bytes: usize = paragraphs.iter().map(|p| p.len()).sum();
    let codebook = Codebook::default_codebook();
    let tagger = Tagger::new(&codebook).expect("tagger");
    let jieba = jieba_rs::Jieba::new();
    let segmenter = Segmenter::new();
    segmenter.add_words(
        codebook
            .themes
            .iter()
            .flat_map(|t| t.keywords.iter().map(|k| k.term.as_str())),
    );
    let mut group = c.benchmark_group("themes");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("jieba-cut", |b| {
        b.iter(|| {
            paragraphs
                .iter()
                .map(|p| jieba.cut(black_box(p), false).len())
                .sum::<usize>()
        })
    });
    let shadows: Vec<String> = paragraphs
        .iter()
        .map(|p| Shadow::new(p).text().to_string())
        .collect();
    group.bench_function("jieba-cut-shadow", |b| {
        b.iter(|| {
            shadows
                .iter()
                .map(|p| jieba.cut(black_box(p), false).len())
                .sum::<usize>()
        })
    });
    let mut jieba_words = jieba_rs::Jieba::new();
    for t in &codebook.themes {
        for k in &t.keywords {
            jieba_words.add_word(&pizhu::text::fold::fold_str(&k.term), None, None);
        }
    }
    group.bench_function("jieba-cut-shadow-codebook", |b| {
        b.iter(|| {
            shadows
                .iter()
                .map(|p| jieba_words.cut(black_box(p), false).len())
                .sum::<usize>()
        })
    });
    group.bench_function("segment-shadow", |b| {
        b.iter(|| {
            shadows
                .iter()
                .map(|p| segmenter.words(black_box(p)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("fold", |b| {
        b.iter(|| {
            paragraphs
                .iter()
                .map(|p| Shadow::new(black_box(p)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("fold+tag", |b| {
        b.iter(|| {
            paragraphs
                .iter()
                .map(|p| {
                    let shadow = Shadow::new(black_box(p));
                    tagger.suggest(shadow.text(), DEFAULT_THRESHOLD).len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("fold+segment+tag", |b| {
        b.iter(|| {
            paragraphs
                .iter()
                .map(|p| {
                    let shadow = Shadow::new(black_box(p));
                    segmenter.words(shadow.text()).len()
                        + tagger.suggest(shadow.text(), DEFAULT_THRESHOLD).len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

fn bench_library(c: &mut Criterion) {
    let text = corpus(4);
    let bytes: &'static [u8] = Box::leak(text.into_bytes().into_boxed_slice());
    let mut store = Store::open_in_memory().expect("library");
    let source = Source::Embedded {
        name: "bench".to_string(),
        bytes,
    };
    import::run(
        &mut store,
        std::slice::from_ref(&source),
        &ImportOptions::default(),
        &mut Silent,
    )
    .expect("import");
    let mut group = c.benchmark_group("themes");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("library-retag", |b| {
        b.iter(|| tagging::refresh(&mut store, true, &mut Quiet).expect("retag"))
    });
    group.finish();
}

criterion_group!(benches, bench_passages, bench_library);
criterion_main!(benches);
