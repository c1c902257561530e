//! Export of 100,000 annotations in each format, from a synthetic set in memory (the formats
//! are pure functions of an `ExportSet`): Markdown, CSV, W3C JSON, and the REFI-QDA project
//! with its sources zipped. Goal: under 2 s each (the project also writes the sources).

use criterion::{Criterion, criterion_group, criterion_main};
use pizhu::annotations::{AnchorStatus, Annotation, Color};
use pizhu::doc::view::View;
use pizhu::doc::{DocumentMeta, Script, Span};
use pizhu::export::markdown::Grouping;
use pizhu::export::{EXPORT_VIEW, ExportDoc, ExportSet, csv, markdown, qdpx, refi, w3c};
use pizhu::themes::Codebook;

const ANNOTATIONS: usize = 100_000;
const DOCUMENTS: usize = 100;

fn set() -> ExportSet {
    let paragraph = "新质生产力是创新起主导作用，摆脱传统经济增长方式、生产力发展路径，具有高科技、高效能、高质量特征。\n";
    let text = paragraph.repeat(200);
    let chars = text.chars().count();
    let per_doc = ANNOTATIONS / DOCUMENTS;
    let documents = (0..DOCUMENTS)
        .map(|d| {
            let meta = DocumentMeta {
                id: d as i64 + 1,
                title: format!("文档 {d}"),
                source: format!("/tmp/{d}.txt"),
                encoding: "utf-8".into(),
                script: Script::Simplified,
                chars,
                source_bytes: text.len() as u64,
                content_hash: format!("{d:064x}"),
                imported_at: "2026-11-23T12:00:00Z".into(),
                cleaner_version: 1,
            };
            let annotations = (0..per_doc)
                .map(|i| {
                    let start = (i * 37) % (chars - 20);
                    Annotation {
                        id: (d * per_doc + i) as i64 + 1,
                        guid: uuid::Uuid::new_v4().to_string(),
                        doc: meta.id,
                        start,
                        end: start + 12,
                        quote: "创新起主导作用，摆脱传统经济".into(),
                        prefix: "新质生产力是".into(),
                        suffix: "增长方式、生产力发展路径".into(),
                        color: Color::Blue,
                        note: format!("笔记 {i}, \"引号\"\n=cmd 😀"),
                        tags: vec!["talent".into(), "待查".into()],
                        status: AnchorStatus::Ok,
                        created: "2026-11-23T12:00:00Z".into(),
                        updated: "2026-11-23T12:00:00Z".into(),
                    }
                })
                .collect();
            ExportDoc {
                meta,
                paragraphs: (0..200).map(|p| Span::new(p * 50, p * 50 + 49)).collect(),
                annotations,
                themes: Vec::new(),
                view: Some(View::build(&text, &[], &EXPORT_VIEW)),
            }
        })
        .collect();
    ExportSet {
        library: "bench.db".into(),
        exported_at: "2026-11-23T12:00:00Z".into(),
        codebook: Codebook::default_codebook(),
        documents,
    }
}

fn bench(c: &mut Criterion) {
    let set = set();
    let mut group = c.benchmark_group("export 100k annotations");
    group.sample_size(10);
    group.bench_function("markdown", |b| {
        b.iter(|| markdown::write(&set, Grouping::Document))
    });
    group.bench_function("csv", |b| b.iter(|| csv::write(&set, false)));
    group.bench_function("json", |b| b.iter(|| w3c::write(&set)));
    group.bench_function("qdpx", |b| b.iter(|| qdpx::write(&refi::project(&set))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
