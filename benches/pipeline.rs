//! The analysis pipeline against bare jieba-rs on a text file, for `scripts/bench.sh`:
//!
//! ```text
//! cargo bench --bench pipeline -- [FILE [ROUNDS]]
//! ```
//!
//! The file's non-empty lines are the paragraphs (without a file, as in a plain `cargo
//! bench`: ~4 MiB of the fixtures). Three cases, timed in turn in each of
//! ROUNDS rounds (default 3; the best round of each is kept, the least disturbed by other
//! work on the machine):
//!
//! - `jieba-cut`: bare `jieba_rs::Jieba::cut`, HMM off, per paragraph (the reference);
//! - `jieba-cut-simplified`: the same on the paragraphs' Simplified shadows (made before
//!   timing): jieba on the text pizhu segments;
//! - `fold+segment+tag`: what analysing a document costs in pizhu — the Simplified shadow
//!   (`text::fold::Shadow`) of each paragraph, then two passes over the shadows as pizhu
//!   makes them: pizhu's segmenter with the codebook's keywords (the reader's word layer,
//!   `pizhu themes suggest`) and the theme tagger;
//! - `fold+tag`: the same without segmentation (what tagging a library does).
//!
//! Prints one tab-separated line per case: name, MiB/s, bytes of paragraph text, seconds.
//! Dictionaries and automata are built before any timing.

use anyhow::{Context, Result, bail};
use pizhu::text::fold::Shadow;
use pizhu::text::segment::Segmenter;
use pizhu::themes::{Codebook, DEFAULT_THRESHOLD, Tagger};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() -> Result<()> {
    // `cargo bench` adds `--bench`; flags are not ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let read = |file: &String| {
        std::fs::read_to_string(file).with_context(|| format!("{file}: cannot read"))
    };
    let (text, rounds) = match args.as_slice() {
        [] => (fixtures(4), 3),
        [file] => (read(file)?, 3),
        [file, rounds] => (
            read(file)?,
            rounds
                .parse::<usize>()
                .with_context(|| format!("ROUNDS must be a number, not {rounds:?}"))?,
        ),
        _ => bail!("usage: cargo bench --bench pipeline -- [FILE [ROUNDS]]"),
    };
    let paragraphs: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let bytes: usize = paragraphs.iter().map(|p| p.len()).sum();
    if bytes == 0 {
        bail!("no text to analyse");
    }

    let jieba = jieba_rs::Jieba::new();
    let codebook = Codebook::default_codebook();
    let tagger = Tagger::new(&codebook).context("the default codebook's tagger")?;
    let segmenter = Segmenter::new();
    segmenter.add_words(
        codebook
            .themes
            .iter()
            .flat_map(|t| t.keywords.iter().map(|k| k.term.as_str())),
    );

    let cut = || {
        paragraphs
            .iter()
            .map(|p| jieba.cut(black_box(p), false).len())
            .sum::<usize>()
    };
    // As pizhu analyses a document: the Simplified shadow once, then the word layer and the
    // tagging as passes of their own over it (each pass keeps its tables in the cache).
    let analyse = || {
        let shadows: Vec<Shadow> = paragraphs
            .iter()
            .map(|p| Shadow::new(black_box(p)))
            .collect();
        let words: usize = shadows
            .iter()
            .map(|s| segmenter.words(s.text()).len())
            .sum();
        let themes: usize = shadows
            .iter()
            .map(|s| tagger.suggest(s.text(), DEFAULT_THRESHOLD).len())
            .sum();
        words + themes
    };
    let tag = || {
        paragraphs
            .iter()
            .map(|p| {
                let shadow = Shadow::new(black_box(p));
                tagger.suggest(shadow.text(), DEFAULT_THRESHOLD).len()
            })
            .sum::<usize>()
    };
    // The same paragraphs in Simplified, folded before any timing: jieba on the text pizhu
    // segments (jieba's dictionary is Simplified; Traditional text cuts into shorter words).
    let folded: Vec<String> = paragraphs
        .iter()
        .map(|p| Shadow::new(p).text().to_string())
        .collect();
    let cut_folded = || {
        folded
            .iter()
            .map(|p| jieba.cut(black_box(p), false).len())
            .sum::<usize>()
    };
    let cases: [(&str, &dyn Fn() -> usize); 4] = [
        ("jieba-cut", &cut),
        ("jieba-cut-simplified", &cut_folded),
        ("fold+segment+tag", &analyse),
        ("fold+tag", &tag),
    ];
    let mut best = [Duration::MAX; 4];
    for _ in 0..rounds.max(1) {
        for (slot, (_, run)) in best.iter_mut().zip(&cases) {
            let start = Instant::now();
            black_box(run());
            *slot = (*slot).min(start.elapsed());
        }
    }
    for ((name, _), time) in cases.iter().zip(best) {
        let seconds = time.as_secs_f64();
        println!(
            "{name}\t{:.2}\t{bytes}\t{seconds:.3}",
            bytes as f64 / 1_048_576.0 / seconds
        );
    }
    Ok(())
}

/// About `mebibytes` MiB of the fixtures' text.
fn fixtures(mebibytes: usize) -> String {
    let block = [
        include_str!("../tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt"),
        include_str!("../tests/fixtures/quanqiu-keji-xiezuo.zh-Hans.txt"),
        include_str!("../tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt"),
        include_str!("../tests/fixtures/shanghai-kechuang-zhongxin.zh-Hant.txt"),
        include_str!("../tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt"),
    ]
    .concat();
    block.repeat((mebibytes << 20) / block.len() + 1)
}
