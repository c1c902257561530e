//! Word segmentation with jieba-rs, over the Simplified shadow of the reading view.
//!
//! * Loading jieba's dictionary costs ≈ 150 ms and ≈ 30 MB, so there is one process-wide
//!   [`Segmenter`], loaded lazily: [`load_in_background`] starts the load on a worker thread
//!   and returns at once; [`try_get`] answers `None` until it is ready, so a reader never
//!   waits; [`get`] blocks (for the CLI and tests).
//! * HMM is off: new-word guessing makes segmentation of the same phrase depend on its
//!   neighbours and costs speed; codebook terms such as `新质生产力` are added with
//!   [`Segmenter::add_words`] instead. Words are added in their folded form, since the
//!   shadow is what gets segmented. `add_words` takes `&self` (the dictionary sits behind a
//!   lock) so the shared segmenter can learn terms when a codebook changes.
//! * [`Segmenter::words`] takes one paragraph, never a whole document, and returns the
//!   code-point spans of its words. Tokens without a letter or digit (white space,
//!   punctuation, symbols) are not words and are left out, so the spans are sorted and
//!   non-overlapping, and the gaps between them hold only such characters.
//! * [`words_of_view`] segments each paragraph of a view's shadow and maps the words back to
//!   view offsets: the word layer.
//! * [`is_stopword`] consults `assets/stopwords.txt` (see its header for its source).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{OnceLock, RwLock};

use jieba_rs::Jieba;
use rustc_hash::FxHashSet;

use super::cursor::CharCursor;
use super::fold::{Shadow, fold_str};
use crate::doc::Span;

/// A jieba-rs segmenter with HMM off.
pub struct Segmenter {
    jieba: RwLock<Jieba>,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new()
    }
}

impl Segmenter {
    /// Loads jieba's built-in dictionary. Slow (≈ 150 ms): run it on a worker thread, or use
    /// [`load_in_background`].
    pub fn new() -> Segmenter {
        Segmenter {
            jieba: RwLock::new(Jieba::new()),
        }
    }

    /// Adds words (codebook terms such as `新質生產力`) to the dictionary, folded to the
    /// shadow's script, with a frequency high enough that each segments as one word.
    pub fn add_words<'a>(&self, words: impl IntoIterator<Item = &'a str>) {
        let mut jieba = self.jieba.write().unwrap_or_else(|e| e.into_inner());
        for word in words {
            let word = fold_str(word.trim());
            if !word.is_empty() {
                jieba.add_word(&word, None, None);
            }
        }
    }

    /// A copy of this segmenter that also knows `words` (see [`Segmenter::add_words`]),
    /// leaving this one as it is: for segmenting with a codebook's terms without changing
    /// the words the reader moves by. Copying the dictionary takes a few milliseconds.
    pub fn with_words<'a>(&self, words: impl IntoIterator<Item = &'a str>) -> Segmenter {
        let jieba = self.jieba.read().unwrap_or_else(|e| e.into_inner()).clone();
        let copy = Segmenter {
            jieba: RwLock::new(jieba),
        };
        copy.add_words(words);
        copy
    }

    /// The code-point spans of the words of `paragraph` (a shadow paragraph), relative to it.
    pub fn words(&self, paragraph: &str) -> Vec<Span> {
        let mut words = Vec::new();
        self.words_into(paragraph, 0, &mut words);
        words
    }

    /// Appends the words of `paragraph`, shifted by `offset`, to `out`.
    fn words_into(&self, paragraph: &str, offset: usize, out: &mut Vec<Span>) {
        let jieba = self.jieba.read().unwrap_or_else(|e| e.into_inner());
        let tokens = jieba.cut(paragraph, false);
        out.reserve(tokens.len());
        out.extend(
            tokens
                .into_iter()
                .filter(|t| is_word(t.word))
                .map(|t| Span::new(offset + t.start, offset + t.end)),
        );
    }
}

/// Whether a token is a word: it holds a letter or a digit. Checks the first character
/// cheaply first (a CJK ideograph or ASCII), since Unicode class lookups are slow.
fn is_word(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || ('\u{3400}'..='\u{9FFF}').contains(&c))
        || token.chars().any(char::is_alphanumeric)
}

static GLOBAL: OnceLock<Segmenter> = OnceLock::new();

/// The shared segmenter if it has finished loading; never blocks.
pub fn try_get() -> Option<&'static Segmenter> {
    GLOBAL.get()
}

/// The shared segmenter, loading it on this thread if needed (or waiting for a load under
/// way on another thread).
pub fn get() -> &'static Segmenter {
    GLOBAL.get_or_init(Segmenter::new)
}

/// Starts loading the shared segmenter on a worker thread and returns at once. Returns
/// whether this call started the load (false: already loaded, loading, or no thread could be
/// spawned — [`get`] still works then).
pub fn load_in_background() -> bool {
    static STARTED: AtomicBool = AtomicBool::new(false);
    if GLOBAL.get().is_some() || STARTED.swap(true, Ordering::AcqRel) {
        return false;
    }
    let spawned = std::thread::Builder::new()
        .name("pizhu-segmenter".into())
        .spawn(|| {
            get();
        })
        .is_ok();
    if !spawned {
        STARTED.store(false, Ordering::Release);
    }
    spawned
}

/// The words of a view, in view offsets: each paragraph (a span of the view, sorted as the
/// view has them) is mapped into `shadow` (the shadow of that view), segmented there, and its
/// words are mapped back with [`Shadow::source_span`].
pub fn words_of_view(paragraphs: &[Span], shadow: &Shadow, seg: &Segmenter) -> Vec<Span> {
    let mut words = Vec::new();
    let mut cursor = CharCursor::new(shadow.text());
    for &paragraph in paragraphs {
        let span = shadow.shadow_span(paragraph);
        let text = cursor.slice(span).unwrap_or_default();
        let first = words.len();
        seg.words_into(text, span.start, &mut words);
        if !shadow.is_identity_map() {
            for w in &mut words[first..] {
                *w = shadow.source_span(*w);
            }
        }
    }
    words
}

/// Whether `word` (a shadow word: Simplified, lower-case) is in the stopword list.
pub fn is_stopword(word: &str) -> bool {
    static WORDS: OnceLock<(FxHashSet<&'static str>, usize)> = OnceLock::new();
    let (words, longest) = WORDS.get_or_init(|| {
        let words: FxHashSet<&'static str> = stopwords().collect();
        let longest = words.iter().map(|w| w.len()).max().unwrap_or(0);
        (words, longest)
    });
    word.len() <= *longest && words.contains(word)
}

/// The entries of `assets/stopwords.txt`.
fn stopwords() -> impl Iterator<Item = &'static str> {
    include_str!("../../assets/stopwords.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold::tests::{strip_readings, time};

    use crate::text::fixtures::{KEJI, QUANQIU, RONGHE, SHANGHAI, WUDA};

    const HANS: &str = "加快发展新质生产力，着力推进关键核心技术攻关。随着粤港澳大湾区国际科技创新中心\
        建设不断深入，产业链供应链韧性显著增强，体制机制改革为高质量发展注入了新动能，国际合作\
        也在这里开花结果。";
    const HANT: &str = "加快發展新質生產力，著力推進關鍵核心技術攻關。隨著粵港澳大灣區國際科技創新中心\
        建設不斷深入，產業鏈供應鏈韌性顯著增強，體制機制改革為高質量發展注入了新動能，國際合作\
        也在這裡開花結果。";

    fn word_strings(text: &str, spans: &[Span]) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        spans
            .iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect()
    }

    /// The paragraphs of a text that is one paragraph a line, as view spans.
    fn line_spans(text: &str) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut at = 0;
        for line in text.split('\n') {
            let len = line.chars().count();
            if !line.trim().is_empty() {
                spans.push(Span::new(at, at + len));
            }
            at += len + 1;
        }
        spans
    }

    fn shared() -> &'static Segmenter {
        let seg = get();
        seg.add_words(["新質生產力", "科創中心"]);
        seg
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::test_support::cases(256)))]

        /// Any Unicode (combining marks, ZWJ emoji, RTL text, U+FFFD, controls): no panic,
        /// and the words of its shadow map back to ordered, disjoint spans of the text.
        #[test]
        fn arbitrary_unicode_segments_into_ordered_spans(
            text in "(\\PC|[\u{300}-\u{36f}\u{200d}\u{fffd}\u{0}-\u{1f}\u{202e}א-ת😀👩中文科技。]){0,60}"
        ) {
            let shadow = Shadow::new(&text);
            let n = text.chars().count();
            let spans = words_of_view(&[Span::new(0, n)], &shadow, get());
            let mut last = 0;
            for w in spans {
                proptest::prop_assert!(w.start >= last && w.start < w.end && w.end <= n);
                last = w.end;
            }
        }
    }

    #[test]
    fn fixture_paragraph_words_are_ordered_disjoint_and_cover_all_letters() {
        let seg = shared();
        for text in [KEJI, QUANQIU, RONGHE] {
            let paragraph = text
                .lines()
                .max_by_key(|l| l.chars().count())
                .unwrap_or_default();
            let chars: Vec<char> = paragraph.chars().collect();
            let words = seg.words(paragraph);
            assert!(words.len() > 50);
            let mut at = 0;
            for w in &words {
                assert!(
                    w.start >= at && w.start < w.end && w.end <= chars.len(),
                    "{w:?}"
                );
                assert!(chars[at..w.start].iter().all(|c| !c.is_alphanumeric()));
                at = w.end;
            }
            assert!(chars[at..].iter().all(|c| !c.is_alphanumeric()));
        }
    }

    #[test]
    fn codebook_terms_stay_whole() {
        let fresh = Segmenter::new();
        let before = word_strings("发展新质生产力", &fresh.words("发展新质生产力"));
        assert!(!before.contains(&"新质生产力".to_string()), "{before:?}");
        let copy = fresh.with_words(["新質生產力"]);
        let copied = word_strings("发展新质生产力", &copy.words("发展新质生产力"));
        assert_eq!(copied, ["发展", "新质生产力"]);
        let unchanged = word_strings("发展新质生产力", &fresh.words("发展新质生产力"));
        assert_eq!(
            unchanged, before,
            "the copy learns the words, not the original"
        );
        fresh.add_words(["新質生產力"]);
        let after = word_strings("发展新质生产力", &fresh.words("发展新质生产力"));
        assert_eq!(after, ["发展", "新质生产力"]);
    }

    #[test]
    fn traditional_and_simplified_paragraphs_segment_alike() {
        let seg = shared();
        let (hans, hant) = (Shadow::new(HANS), Shadow::new(HANT));
        assert_eq!(hans.text(), hant.text());
        let a = word_strings(hans.text(), &seg.words(hans.text()));
        let b = word_strings(hant.text(), &seg.words(hant.text()));
        assert_eq!(a, b);
        for word in [
            "新质生产力",
            "着力",
            "随着",
            "产业链",
            "关键",
            "国际",
            "这里",
        ] {
            assert!(a.iter().any(|w| w == word), "{word} in {a:?}");
        }
    }

    #[test]
    fn view_words_map_back_to_view_text() {
        let seg = shared();
        let view = strip_readings(WUDA).replace("生產力", "生\u{200B}產力");
        let shadow = Shadow::new(&view);
        let paragraphs = line_spans(&view);
        let words = words_of_view(&paragraphs, &shadow, seg);
        let view_chars: Vec<char> = view.chars().collect();
        let mut last = 0;
        let mut whole = 0;
        for w in &words {
            assert!(w.start >= last, "sorted, disjoint");
            last = w.end;
            assert!(
                paragraphs
                    .iter()
                    .any(|p| p.start <= w.start && w.end <= p.end)
            );
            let text: String = view_chars[w.start..w.end].iter().collect();
            assert!(!text.starts_with('\u{200B}') && !text.ends_with('\u{200B}'));
            if text == "新質生\u{200B}產力" {
                whole += 1;
            }
        }
        assert!(whole >= 3, "新質生產力 found whole {whole} times");
    }

    #[test]
    fn background_load_is_nonblocking_and_shared() {
        load_in_background();
        let seg = get();
        assert!(try_get().is_some_and(|s| std::ptr::eq(s, seg)));
        assert!(!load_in_background());
    }

    #[test]
    fn stopwords_are_simplified_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for word in stopwords() {
            assert_eq!(fold_str(word), word, "not in shadow form");
            assert!(seen.insert(word), "duplicate {word}");
        }
        assert!(seen.len() > 300);
        for word in ["的", "了", "和", "以及", "随着", "我们"] {
            assert!(is_stopword(word), "{word}");
        }
        for word in ["创新", "发展", "新质生产力", "科技", "着力"] {
            assert!(!is_stopword(word), "{word}");
        }
    }

    #[test]
    #[ignore = "benchmark: cargo test --release -- --ignored --nocapture"]
    fn bench_segmentation() {
        let corpus = [
            strip_readings(WUDA),
            SHANGHAI.into(),
            KEJI.into(),
            QUANQIU.into(),
            RONGHE.into(),
        ]
        .join("\n");
        let big = vec![corpus.as_str(); 10_000_000 / corpus.len() + 1].join("\n");
        let mb = big.len() as f64 / 1e6;
        let paragraphs = line_spans(&big);
        let seg = shared();
        let jieba = Jieba::new();
        let shadow = Shadow::new(&big);
        type Case<'a> = (&'static str, Box<dyn Fn() -> usize + 'a>);
        let mut cases: Vec<Case> = vec![
            (
                "bare jieba cut, raw text, per line",
                Box::new(|| big.lines().map(|l| jieba.cut(l, false).len()).sum()),
            ),
            (
                "bare jieba cut, shadow text, per line",
                Box::new(|| {
                    shadow
                        .text()
                        .lines()
                        .map(|l| jieba.cut(l, false).len())
                        .sum()
                }),
            ),
            ("Shadow::new", Box::new(|| Shadow::new(&big).len())),
            (
                "Segmenter::words, shadow, per line",
                Box::new(|| shadow.text().lines().map(|l| seg.words(l).len()).sum()),
            ),
            (
                "words_of_view on a ready shadow",
                Box::new(|| words_of_view(&paragraphs, &shadow, seg).len()),
            ),
            (
                "fold + words_of_view + stopword tagging",
                Box::new(|| {
                    let shadow = Shadow::new(&big);
                    let words = words_of_view(&paragraphs, &shadow, seg);
                    let mut cursor = CharCursor::new(shadow.text());
                    words
                        .iter()
                        .filter(|w| {
                            let word = cursor.slice(shadow.shadow_span(**w));
                            !is_stopword(word.unwrap_or_default())
                        })
                        .count()
                }),
            ),
        ];
        // The machine is shared: runs are interleaved and each figure is the best of five.
        let mut best = vec![f64::MAX; cases.len()];
        for _ in 0..5 {
            for (i, (_, f)) in cases.iter_mut().enumerate() {
                let (_, secs) = time(|| std::hint::black_box(f()));
                best[i] = best[i].min(secs);
            }
        }
        for ((label, _), secs) in cases.iter().zip(&best) {
            println!("{label}: {secs:.3} s CPU = {:.1} MB/s", mb / secs);
        }
        println!(
            "{mb:.1} MB; pipeline / bare cut = {:.0}% (raw text), {:.0}% (shadow text)",
            100.0 * best[0] / best[5],
            100.0 * best[1] / best[5]
        );
    }
}
