//! Cache tests: laziness, consistency of scrolling with a full layout, estimates, reflow, and
//! timings (ignored by default).

use std::time::Instant;

use super::*;
use crate::text::fixtures;
use crate::text::width::WidthOptions;

fn opts(width: usize) -> LayoutOptions {
    LayoutOptions {
        width,
        width_opts: WidthOptions::default(),
    }
}

fn fixture_doc() -> Vec<&'static str> {
    fixtures::paragraphs().map(|(_, p)| p).collect()
}

/// A document of `n` paragraphs taken round-robin from the fixtures.
fn big_doc(n: usize) -> Vec<&'static str> {
    let base = fixture_doc();
    (0..n).map(|i| base[i % base.len()]).collect()
}

/// Every row of the document, from laying out every paragraph.
fn all_rows(doc: &[&str], o: &LayoutOptions) -> Vec<(usize, usize)> {
    doc.iter()
        .enumerate()
        .flat_map(|(p, text)| (0..layout_paragraph(text, o).len()).map(move |l| (p, l)))
        .collect()
}

#[test]
fn jumping_to_the_middle_lays_out_only_what_is_shown() {
    let doc = big_doc(10_000);
    let mut cache = LayoutCache::new(opts(80), &doc);
    let top = Position {
        para: 5_000,
        line: 0,
    };
    let screen = cache.screen(&doc, top, 50);
    assert_eq!(screen.len(), 50);
    assert_eq!(screen[0].para, 5_000);
    assert!(
        cache.paragraphs_laid_out() <= 50,
        "{}",
        cache.paragraphs_laid_out()
    );
    let before = cache.paragraphs_laid_out();
    let down = cache.scroll(&doc, top, 49);
    cache.screen(&doc, down, 50);
    assert!(cache.paragraphs_laid_out() - before <= 50);
    let est = cache.estimated_row(top) as f64;
    let exact = all_rows(&doc[..5_000], &opts(80)).len() as f64;
    assert!(
        (est - exact).abs() / exact < 0.5,
        "estimate {est} vs {exact}"
    );
}

#[test]
fn redrawing_does_not_lay_out_again() {
    let doc = fixture_doc();
    let mut cache = LayoutCache::new(opts(60), &doc);
    cache.screen(&doc, Position::default(), 40);
    let once = cache.paragraphs_laid_out();
    cache.screen(&doc, Position::default(), 40);
    assert_eq!(cache.paragraphs_laid_out(), once);
}

#[test]
fn scrolling_matches_a_full_layout() {
    let doc = fixture_doc();
    for width in [10, 33, 80] {
        let rows = all_rows(&doc, &opts(width));
        let mut cache = LayoutCache::new(opts(width), &doc);
        let mut pos = Position::default();
        let mut at = 0usize;
        for step in [
            1isize, 7, 50, -3, 120, -200, 1000, -1, 5, 100_000, -100_000, 3,
        ] {
            pos = cache.scroll(&doc, pos, step);
            at = at.saturating_add_signed(step).min(rows.len() - 1);
            assert_eq!((pos.para, pos.line), rows[at], "width {width} step {step}");
        }
        assert_eq!(cache.estimated_total_rows(), rows.len());
        let end = cache.end(&doc);
        assert_eq!((end.para, end.line), rows[rows.len() - 1]);
        assert_eq!(cache.estimated_row(end), rows.len() - 1);
    }
}

#[test]
fn screens_are_consecutive_rows() {
    let doc = fixture_doc();
    let o = opts(41);
    let rows = all_rows(&doc, &o);
    let mut cache = LayoutCache::new(o, &doc);
    let start = 17;
    let top = cache.scroll(&doc, Position::default(), start as isize);
    let screen = cache.screen(&doc, top, 60);
    let got: Vec<(usize, usize)> = screen.iter().map(|s| (s.para, s.line)).collect();
    assert_eq!(got, rows[start..start + 60]);
    for s in &screen {
        assert_eq!(s.span, layout_paragraph(doc[s.para], &o)[s.line]);
    }
    let end = cache.end(&doc);
    let tail = cache.screen(&doc, end, 10);
    assert_eq!(tail.len(), 1);
}

#[test]
fn estimates_become_exact_and_map_back_to_positions() {
    let doc = fixture_doc();
    let o = opts(50);
    let rows = all_rows(&doc, &o);
    let mut cache = LayoutCache::new(o, &doc);
    assert_eq!(cache.estimated_total_rows(), doc.len());
    for row in [0, 1, 100, rows.len() / 2, rows.len() - 1] {
        let pos = cache.position_near_row(&doc, row);
        assert!(pos.para < doc.len());
    }
    cache.scroll(&doc, Position::default(), isize::MAX);
    for row in [0, 1, 100, rows.len() / 2, rows.len() - 1] {
        let pos = cache.position_near_row(&doc, row);
        assert_eq!((pos.para, pos.line), rows[row]);
        assert_eq!(cache.estimated_row(pos), row);
    }
}

#[test]
fn lines_are_evicted_but_counts_are_kept() {
    let doc: Vec<String> = (0..MAX_CACHED_PARAGRAPHS + 500)
        .map(|i| format!("段落{i}"))
        .collect();
    let mut cache = LayoutCache::new(opts(20), &doc);
    let end = cache.scroll(&doc, Position::default(), isize::MAX);
    assert_eq!(end.para, doc.len() - 1);
    assert!(cache.lines.len() <= MAX_CACHED_PARAGRAPHS);
    assert_eq!(cache.known_line_count(0), Some(1));
    let laid = cache.paragraphs_laid_out();
    cache.scroll(&doc, end, isize::MIN);
    assert_eq!(
        cache.paragraphs_laid_out(),
        laid,
        "counting rows needs no layout"
    );
    assert_eq!(cache.lines(&doc, 0).len(), 1);
    assert_eq!(cache.paragraphs_laid_out(), laid + 1);
}

#[test]
fn reflow_keeps_the_top_line_in_view() {
    let doc = fixture_doc();
    let mut layouts = Layouts::new(2);
    let (narrow, wide) = (opts(30), opts(90));
    let pos = layouts
        .get(&doc, narrow)
        .scroll(&doc, Position::default(), 123);
    let anchor = layouts.get(&doc, narrow).anchor(&doc, pos);
    let moved = layouts.reflow(&doc, pos, narrow, wide);
    let line = layouts.get(&doc, wide).lines(&doc, moved.para)[moved.line];
    assert_eq!(moved.para, anchor.para);
    assert!(line.contains(anchor.offset) || line.start == anchor.offset);
    let back = layouts.reflow(&doc, moved, wide, narrow);
    assert!(back <= pos);
    layouts.get(&doc, opts(10));
    assert_eq!(layouts.caches.len(), 2);
}

#[test]
fn empty_documents_and_paragraphs() {
    let empty: Vec<&str> = Vec::new();
    let mut cache = LayoutCache::new(opts(20), &empty);
    assert!(cache.screen(&empty, Position::default(), 10).is_empty());
    assert_eq!(
        cache.scroll(&empty, Position::default(), 5),
        Position::default()
    );
    assert_eq!(cache.estimated_total_rows(), 0);
    assert_eq!(cache.position_near_row(&empty, 3), Position::default());
    let blanks = vec!["", "", "a"];
    let mut cache = LayoutCache::new(opts(0), &blanks);
    assert_eq!(cache.screen(&blanks, Position::default(), 10).len(), 3);
}

/// Timings; run with `cargo test --release -- --ignored --nocapture timings`.
#[test]
#[ignore]
fn timings() {
    let fixtures = fixture_doc();
    let bytes: usize = fixtures.iter().map(|p| p.len()).sum();
    let o = opts(80);
    let t = Instant::now();
    let mut lines = 0;
    for _ in 0..20 {
        for p in &fixtures {
            lines += layout_paragraph(p, &o).len();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "layout_paragraph: {:.1} MB/s ({lines} lines in {:.1} ms for {} KB x 20)",
        (bytes * 20) as f64 / secs / 1e6,
        secs * 1e3,
        bytes / 1000
    );

    let mut text = String::new();
    while text.len() < 300_000_000 {
        for (_, f) in fixtures::ALL {
            text.push_str(f);
        }
    }
    let t = Instant::now();
    let doc: Vec<&str> = text.split('\n').collect();
    println!(
        "300 MB document: {} paragraphs, split in {:.1} ms",
        doc.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let mut cache = LayoutCache::new(o, &doc);
    let made = t.elapsed();
    let t = Instant::now();
    let screen = cache.screen(&doc, Position::default(), 50);
    let first = t.elapsed();
    let mid = Position {
        para: doc.len() / 2,
        line: 0,
    };
    let t = Instant::now();
    let screen2 = cache.screen(&doc, mid, 50);
    let jump = t.elapsed();
    let t = Instant::now();
    let mut pos = mid;
    for _ in 0..100 {
        pos = cache.scroll(&doc, pos, 49);
        cache.screen(&doc, pos, 50);
    }
    let pages = t.elapsed();
    let t = Instant::now();
    let est = cache.estimated_row(pos);
    let total = cache.estimated_total_rows();
    let estimate = t.elapsed();
    let mut layouts = Layouts::new(3);
    layouts.get(&doc, o).screen(&doc, pos, 50);
    let t = Instant::now();
    let to = opts(120);
    let moved = layouts.reflow(&doc, pos, o, to);
    layouts.get(&doc, to).screen(&doc, moved, 50);
    let resize = t.elapsed();
    let t = Instant::now();
    cache.scroll(&doc, Position::default(), 100_000);
    let scroll_far = t.elapsed();
    println!("new cache: {made:?}");
    println!(
        "first screen 80x50: {first:?} ({} rows, {} paragraphs laid out)",
        screen.len(),
        screen.last().map_or(0, |s| s.para + 1)
    );
    println!(
        "jump to middle + screen 80x50: {jump:?} ({} rows)",
        screen2.len()
    );
    println!("100 page-downs with redraw: {pages:?}");
    println!("estimated row {est} of {total}: {estimate:?}");
    println!("resize 80 -> 120 + screen: {resize:?}");
    println!("scroll 100k rows from the top: {scroll_far:?}");
    println!(
        "paragraphs laid out in all: {}",
        cache.paragraphs_laid_out()
    );
}

#[test]
fn folded_runs_take_one_marker_row_and_moves_step_over_them() {
    let doc: Vec<&str> = vec!["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    let folds = Folds::keeping(10, vec![(5, 7), (0, 2)]);
    assert_eq!(folds.run_at(3), Some((2, 5)));
    assert_eq!(folds.run_at(9), Some((7, 10)));
    assert_eq!(folds.run_at(5), None);
    assert_eq!(folds.folded(), 6);
    let mut cache = LayoutCache::folded(opts(20), &doc, Arc::new(folds));
    let rows: Vec<(usize, usize)> = cache
        .screen(&doc, Position::default(), 20)
        .iter()
        .map(|l| (l.para, l.span.end - l.span.start))
        .collect();
    assert_eq!(
        rows,
        [(0, 1), (1, 1), (2, 0), (5, 1), (6, 1), (7, 0)],
        "one empty marker row a run"
    );
    assert_eq!(
        cache.estimated_total_rows(),
        6,
        "folded rows are known at once"
    );
    let top = Position::default();
    let at = |para| Position { para, line: 0 };
    assert_eq!(cache.scroll(&doc, top, 3), at(5));
    assert_eq!(cache.scroll(&doc, at(5), -1), at(2));
    assert_eq!(cache.scroll(&doc, at(5), -3), at(0));
    assert_eq!(
        cache.scroll(&doc, top, 100),
        at(7),
        "the last row is a marker"
    );
    assert_eq!(cache.clamp(&doc, at(3)), at(2), "inside a run: its marker");
    assert_eq!(cache.end(&doc), at(7));
    assert_eq!(
        cache.position_of(&doc, Anchor { para: 9, offset: 0 }),
        at(7)
    );
    // Nothing folded inside a run was laid out.
    assert_eq!(cache.paragraphs_laid_out(), 6);
}
