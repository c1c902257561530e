//! Tests of tagging through the store on the sample corpus: staleness, decisions across
//! re-tagging, Traditional and Simplified alike, and the documents × themes matrix.

use super::merge::{Decision, Status};
use super::*;
use crate::clean::Override;
use crate::import::{self, ImportOptions, Outcome, Silent, Source};
use crate::text::fixtures::ALL;
use crate::text::fold::fold_str;
use crate::themes::Keyword;

fn import_texts(store: &mut Store, texts: &[(&str, String)]) -> Vec<DocId> {
    let sources: Vec<Source> = texts
        .iter()
        .map(|(name, text)| Source::Embedded {
            name: name.to_string(),
            bytes: Box::leak(text.clone().into_bytes().into_boxed_slice()),
        })
        .collect();
    let options = ImportOptions {
        force: true,
        ..ImportOptions::default()
    };
    import::run(store, &sources, &options, &mut Silent)
        .expect("import")
        .into_iter()
        .map(|o| match o {
            Outcome::Imported { id, .. } => id,
            other => panic!("not imported: {other:?}"),
        })
        .collect()
}

fn fixture_library() -> (Store, Vec<DocId>) {
    let mut store = Store::open_in_memory().expect("store");
    let texts: Vec<(&str, String)> = ALL.iter().map(|&(n, t)| (n, t.to_string())).collect();
    let ids = import_texts(&mut store, &texts);
    (store, ids)
}

/// Per passage, the themes that are on.
fn themes_on(store: &Store, lib: &LibraryThemes, id: DocId) -> Vec<Vec<String>> {
    let passages = store
        .cleaning(id)
        .expect("cleaning")
        .expect("cleaned")
        .paragraphs;
    lib.passage_themes(store, id, &passages)
        .expect("themes")
        .into_iter()
        .map(|ts| {
            ts.into_iter()
                .filter(|t| t.status.is_on())
                .map(|t| t.theme)
                .collect()
        })
        .collect()
}

/// documents × themes: passages on which each theme is on.
fn matrix(store: &Store, lib: &LibraryThemes, ids: &[DocId]) -> Vec<Vec<usize>> {
    ids.iter()
        .map(|&id| {
            let per_passage = themes_on(store, lib, id);
            lib.codebook
                .themes
                .iter()
                .map(|t| per_passage.iter().filter(|p| p.contains(&t.id)).count())
                .collect()
        })
        .collect()
}

#[test]
fn every_fixture_gets_at_least_three_themes() {
    let (mut store, ids) = fixture_library();
    let lib = refresh(&mut store, false, &mut Quiet).expect("tag");
    assert_eq!(lib.retagged.len(), 5);
    let m = matrix(&store, &lib, &ids);
    println!(
        "{:<32} {}",
        "document",
        lib.codebook
            .themes
            .iter()
            .map(|t| format!("{:>5}", &t.id[..t.id.len().min(5)]))
            .collect::<String>()
    );
    for ((name, _), row) in ALL.iter().zip(&m) {
        println!(
            "{name:<32} {}",
            row.iter().map(|n| format!("{n:>5}")).collect::<String>()
        );
    }
    for ((name, _), row) in ALL.iter().zip(&m) {
        let themes = row.iter().filter(|&&n| n > 0).count();
        assert!(themes >= 3, "{name}: {themes} themes");
    }
}

#[test]
fn a_second_refresh_retags_nothing_until_something_changes() {
    let (mut store, ids) = fixture_library();
    refresh(&mut store, false, &mut Quiet).expect("tag");
    assert!(
        refresh(&mut store, false, &mut Quiet)
            .expect("again")
            .retagged
            .is_empty()
    );
    // Folding a paragraph changes that document's passages: only it is re-tagged.
    let first = store.cleaning(ids[1]).expect("c").expect("c").paragraphs[0];
    reading::set_override(&mut store, ids[1], first, Override::Fold).expect("fold");
    assert_eq!(
        refresh(&mut store, false, &mut Quiet)
            .expect("after fold")
            .retagged,
        vec![ids[1]]
    );
    // A codebook edit re-tags everything.
    store
        .edit_codebook(|cb| cb.add_keywords("talent", [Keyword::new("引智")]))
        .expect("edit");
    assert_eq!(
        refresh(&mut store, false, &mut Quiet)
            .expect("after edit")
            .retagged
            .len(),
        5
    );
    assert_eq!(
        refresh(&mut store, true, &mut Quiet)
            .expect("forced")
            .retagged
            .len(),
        5
    );
}

#[test]
fn retagging_keeps_decisions() {
    let (mut store, ids) = fixture_library();
    let doc = ids[0];
    let lib = refresh(&mut store, false, &mut Quiet).expect("tag");
    let passages = store.cleaning(doc).expect("c").expect("c").paragraphs;
    let themes = lib.passage_themes(&store, doc, &passages).expect("themes");
    // The first passage with at least two suggestions: accept one, reject the other.
    let (i, ts) = themes
        .iter()
        .enumerate()
        .find(|(_, ts)| ts.len() >= 2)
        .expect("a passage with two themes");
    let (accepted, rejected) = (ts[0].theme.clone(), ts[1].theme.clone());
    let p = (i + 1, passages[i]);
    let added = lib
        .codebook
        .themes
        .iter()
        .find(|t| !ts.iter().any(|x| x.theme == t.id))
        .expect("a theme not suggested")
        .id
        .clone();
    lib.decide(&mut store, doc, p, &accepted, Some(Decision::Accepted))
        .expect("accept");
    lib.decide(&mut store, doc, p, &rejected, Some(Decision::Rejected))
        .expect("reject");
    let err = lib
        .decide(&mut store, doc, p, &added, Some(Decision::Accepted))
        .expect_err("accepting what is not suggested");
    assert!(err.to_string().contains("--add"), "{err}");
    lib.decide(&mut store, doc, p, &added, Some(Decision::Added))
        .expect("add");
    assert!(matches!(
        lib.decide(&mut store, doc, p, "no-such", Some(Decision::Added)),
        Err(TaggingError::UnknownTheme { .. })
    ));

    // Remove every keyword the accepted theme matched with: after re-tagging it is no longer
    // suggested there, but it stays accepted.
    let terms: Vec<String> = ts[0].matched.iter().map(|m| m.term.clone()).collect();
    store
        .edit_codebook(|cb| {
            let own: Vec<String> = cb
                .get(&accepted)
                .map(|t| t.keywords.iter().map(|k| k.term.clone()).collect())
                .unwrap_or_default();
            let mine: Vec<&String> = terms.iter().filter(|t| own.contains(t)).collect();
            cb.remove_keywords(&accepted, &mine)
        })
        .expect("edit");
    let lib = refresh(&mut store, false, &mut Quiet).expect("re-tag");
    assert_eq!(lib.retagged.len(), 5);
    let now = &lib.passage_themes(&store, doc, &passages).expect("themes")[i];
    let status = |id: &str| now.iter().find(|t| t.theme == id).map(|t| t.status);
    assert_eq!(status(&accepted), Some(Status::Accepted));
    assert_eq!(status(&rejected), Some(Status::Rejected));
    assert_eq!(status(&added), Some(Status::Added));
    // Clearing a decision gives the suggestion back.
    assert_eq!(
        lib.decide(&mut store, doc, p, &rejected, None)
            .expect("clear"),
        Some(Decision::Rejected)
    );
    let now = &lib.passage_themes(&store, doc, &passages).expect("themes")[i];
    assert_eq!(
        now.iter().find(|t| t.theme == rejected).map(|t| t.status),
        Some(Status::Suggested)
    );
}

#[test]
fn traditional_and_simplified_get_the_same_themes_on_the_same_passages() {
    for (name, text) in ALL
        .iter()
        .filter(|(n, _)| n.starts_with("shanghai") || n.starts_with("wuda"))
    {
        let mut store = Store::open_in_memory().expect("store");
        let simplified = fold_str(text);
        assert_ne!(&simplified, text);
        let ids = import_texts(
            &mut store,
            &[(name, text.to_string()), ("simplified", simplified)],
        );
        let lib = refresh(&mut store, false, &mut Quiet).expect("tag");
        let trad = themes_on(&store, &lib, ids[0]);
        let simp = themes_on(&store, &lib, ids[1]);
        assert_eq!(trad.len(), simp.len(), "{name}: passages");
        assert_eq!(trad, simp, "{name}");
        assert!(trad.iter().filter(|p| !p.is_empty()).count() >= 5, "{name}");
        let scores = |id| -> Vec<Vec<(String, u32)>> {
            lib.suggestions(&store, id)
                .expect("s")
                .into_iter()
                .map(|s| vec![(s.theme, (s.score * 1000.0) as u32)])
                .collect()
        };
        assert_eq!(scores(ids[0]), scores(ids[1]), "{name}: scores");
    }
}

#[test]
fn passage_shadows_are_the_body_paragraphs_folded() {
    let (store, ids) = fixture_library();
    let wuda = ids[4];
    let (passages, shadows) = passage_shadows(&store, wuda).expect("shadows");
    assert_eq!(
        passages,
        store.cleaning(wuda).expect("c").expect("c").paragraphs
    );
    assert!(shadows[0].contains("新质生产力"), "{}", shadows[0]);
    assert!(!shadows.iter().any(|s| s.contains("(zhì)")));
    assert_eq!(span_key(&passages), span_key(&passages.clone()));
    assert_ne!(span_key(&passages), span_key(&passages[1..]));
}

#[test]
fn drift_is_relative() {
    assert!(!drifted(100, 105));
    assert!(drifted(100, 120));
    assert!(drifted(0, 50));
    assert!(!drifted(0, 0));
}

/// Tuning aid: every passage of the corpus with its themes and the scores just below.
/// `cargo test --lib dump_passage_themes -- --ignored --nocapture`
#[test]
#[ignore]
fn dump_passage_themes() {
    let (mut store, ids) = fixture_library();
    let lib = refresh(&mut store, false, &mut Quiet).expect("tag");
    for (&id, (name, _)) in ids.iter().zip(ALL.iter()) {
        println!("=== {name}");
        let (passages, shadows) = passage_shadows(&store, id).expect("shadows");
        let themes = lib.passage_themes(&store, id, &passages).expect("themes");
        for ((shadow, ts), n) in shadows.iter().zip(themes).zip(1..) {
            let on: Vec<String> = ts
                .iter()
                .map(|t| {
                    let terms: Vec<String> = t
                        .matched
                        .iter()
                        .take(4)
                        .map(|m| format!("{}×{}", m.term, m.count))
                        .collect();
                    format!(
                        "{}:{:.2}[{}]",
                        t.theme,
                        t.score.unwrap_or(0.0),
                        terms.join(" ")
                    )
                })
                .collect();
            println!(
                "{n:>3} [{}] {}\n      {}",
                shadow.chars().count(),
                shadow.chars().take(36).collect::<String>(),
                on.join("  ")
            );
        }
    }
}
