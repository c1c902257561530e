//! The themes of a document as the reader shows them: each body passage (a stored span) with
//! its themes, suggestions merged with the user's decisions, and the codebook's names and
//! colours for the gutter chips and the legend. Built by the worker ([`load`]), read by the
//! views.

use crate::doc::{DocId, Script, Span};
use crate::store::Store;
use crate::tagging::merge::{Decision, PassageTheme, Status};
use crate::tagging::{self, LibraryThemes, Quiet, TaggingError};
use crate::text::fold::fold_str;
use std::collections::HashMap;

/// A theme's label: what the legend and the chips need.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub id: String,
    /// The name in Simplified Chinese, and in Traditional (may be empty).
    pub name: String,
    pub name_hant: String,
    pub name_en: String,
    /// `#rrggbb`.
    pub color: String,
}

/// One document's passages and their themes, kept compact: a 300 MB document has over a
/// million passages and hundreds of thousands of suggestions, so a theme on a passage is a
/// few bytes (its label's index, status, score and where its matched terms are), the
/// passages' themes one flat list, and each matched term's text is kept once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocThemes {
    /// Body passages in stored offsets, in order.
    pub passages: Vec<Span>,
    /// Passage `i`'s themes are `chips[starts[i]..starts[i + 1]]`, rejected ones included,
    /// in the order [`crate::tagging::merge::merge`] gives them.
    starts: Vec<u32>,
    chips: Vec<Chip>,
    /// Each chip's matched terms, in `chips` order: (index into `terms`, hits).
    hits: Vec<(u32, u32)>,
    terms: Vec<String>,
    /// Every theme of the codebook, in codebook order.
    pub labels: Vec<Label>,
}

/// One theme on one passage.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Chip {
    /// Index into [`DocThemes::labels`].
    label: u32,
    status: Status,
    score: Option<f32>,
    /// The matched terms: `hits[start..end]`.
    hits: (u32, u32),
}

/// One theme of a passage as the views read it.
#[derive(Debug, Clone, Copy)]
pub struct ThemeOn<'a> {
    pub label: &'a Label,
    pub status: Status,
    /// The tagger's score, when it suggests the theme now.
    pub score: Option<f32>,
    hits: &'a [(u32, u32)],
    terms: &'a [String],
}

impl<'a> ThemeOn<'a> {
    /// The theme's id.
    pub fn id(&self) -> &'a str {
        &self.label.id
    }

    /// The suggestion's explanation: each matched term and its hits (none when not suggested
    /// now).
    pub fn matched(&self) -> impl Iterator<Item = (&'a str, u32)> + use<'a> {
        let terms = self.terms;
        self.hits
            .iter()
            .map(move |&(term, count)| (terms[term as usize].as_str(), count))
    }
}

/// Builds a [`DocThemes`] one passage at a time.
pub struct Builder {
    themes: DocThemes,
    term_ids: HashMap<String, u32>,
}

impl Builder {
    pub fn new(labels: Vec<Label>) -> Builder {
        Builder {
            themes: DocThemes {
                starts: vec![0],
                labels,
                ..DocThemes::default()
            },
            term_ids: HashMap::new(),
        }
    }

    /// Adds the next passage's themes (those not in the codebook are left out).
    pub fn push(&mut self, themes: Vec<PassageTheme>) {
        let t = &mut self.themes;
        for theme in themes {
            let Some(label) = t.labels.iter().position(|l| l.id == theme.theme) else {
                continue;
            };
            let first = t.hits.len();
            for m in theme.matched {
                let next = t.terms.len() as u32;
                let term = *self.term_ids.entry(m.term).or_insert_with_key(|term| {
                    t.terms.push(term.clone());
                    next
                });
                t.hits.push((term, m.count));
            }
            t.chips.push(Chip {
                label: label as u32,
                status: theme.status,
                score: theme.score,
                hits: (first as u32, t.hits.len() as u32),
            });
        }
        t.starts.push(t.chips.len() as u32);
    }

    /// The themes of `passages`, whose themes were pushed in order.
    pub fn finish(mut self, passages: Vec<Span>) -> DocThemes {
        debug_assert_eq!(passages.len() + 1, self.themes.starts.len());
        self.themes.passages = passages;
        self.themes.starts.shrink_to_fit();
        self.themes.chips.shrink_to_fit();
        self.themes.hits.shrink_to_fit();
        self.themes
    }
}

impl DocThemes {
    /// The passage starting in stored range `[start, end)`, if any.
    pub fn passage_starting_in(&self, start: usize, end: usize) -> Option<usize> {
        let i = self.passages.partition_point(|p| p.start < start);
        self.passages.get(i).filter(|p| p.start < end).map(|_| i)
    }

    /// The passage holding stored offset `at`, if any.
    pub fn passage_at(&self, at: usize) -> Option<usize> {
        let i = self.passages.partition_point(|p| p.end <= at);
        self.passages.get(i).filter(|p| p.contains(at)).map(|_| i)
    }

    /// The chips of passage `i`.
    fn chips_of(&self, i: usize) -> &[Chip] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.chips[a as usize..b as usize],
            _ => &[],
        }
    }

    fn theme_on<'a>(&'a self, chip: &Chip) -> ThemeOn<'a> {
        ThemeOn {
            label: &self.labels[chip.label as usize],
            status: chip.status,
            score: chip.score,
            hits: &self.hits[chip.hits.0 as usize..chip.hits.1 as usize],
            terms: &self.terms,
        }
    }

    /// Every theme of passage `i`, rejected ones included, best first.
    pub fn all(&self, i: usize) -> Vec<ThemeOn<'_>> {
        self.chips_of(i).iter().map(|c| self.theme_on(c)).collect()
    }

    /// The themes on passage `i` (not rejected), best first.
    pub fn on(&self, i: usize) -> impl Iterator<Item = ThemeOn<'_>> {
        self.chips_of(i)
            .iter()
            .filter(|c| c.status.is_on())
            .map(|c| self.theme_on(c))
    }

    /// The label of theme `id`.
    pub fn label(&self, id: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.id == id)
    }

    /// Whether theme `id` is on passage `i` (suggested, accepted or added).
    pub fn carries(&self, i: usize, id: &str) -> bool {
        self.on(i).any(|t| t.id() == id)
    }

    /// The passage that says most about theme `id`: confirmed before suggested, then the
    /// highest score, then the first.
    pub fn best(&self, id: &str) -> Option<usize> {
        let rank = |i: usize| {
            self.on(i)
                .find(|t| t.id() == id)
                .map(|t| (is_confirmed(t.status), t.score.unwrap_or(0.0)))
        };
        (0..self.passages.len())
            .filter_map(|i| rank(i).map(|r| (i, r)))
            .fold(
                None,
                |best: Option<(usize, (bool, f32))>, (i, r)| match best {
                    Some((_, b)) if (b.0, b.1) >= (r.0, r.1) => best,
                    _ => Some((i, r)),
                },
            )
            .map(|(i, _)| i)
    }

    /// The next passage after passage `from` (or after stored offset `at` when `from` is
    /// `None`: the cursor between passages) carrying theme `id`; the previous one backwards.
    pub fn step(&self, id: &str, at: usize, forward: bool) -> Option<usize> {
        let current = self.passage_at(at);
        if forward {
            let first =
                current.map_or_else(|| self.passages.partition_point(|p| p.end <= at), |i| i + 1);
            (first..self.passages.len()).find(|&i| self.carries(i, id))
        } else {
            let end = current.unwrap_or_else(|| self.passages.partition_point(|p| p.start < at));
            (0..end).rev().find(|&i| self.carries(i, id))
        }
    }

    /// Records `decision` on theme `id` of passage `i` here, as the library will once the
    /// tagging thread has stored it (so the reader shows it at once); `None` clears it.
    pub fn apply(&mut self, i: usize, id: &str, decision: Option<Decision>) {
        let (Some(&a), Some(&b)) = (self.starts.get(i), self.starts.get(i + 1)) else {
            return;
        };
        let Some(label) = self.labels.iter().position(|l| l.id == id) else {
            return;
        };
        let (a, b) = (a as usize, b as usize);
        let at = self.chips[a..b]
            .iter()
            .position(|c| c.label as usize == label)
            .map(|k| a + k);
        match (decision, at) {
            (None, Some(k)) if self.chips[k].score.is_some() => {
                self.chips[k].status = Status::Suggested;
            }
            (None, Some(k)) => {
                self.chips.remove(k);
                self.starts[i + 1..].iter_mut().for_each(|s| *s -= 1);
            }
            (None, None) => {}
            (Some(d), Some(k)) => self.chips[k].status = status_of(d),
            (Some(d), None) => {
                let end = self.hits.len() as u32;
                let chip = Chip {
                    label: label as u32,
                    status: status_of(d),
                    score: None,
                    hits: (end, end),
                };
                self.chips.insert(b, chip);
                self.starts[i + 1..].iter_mut().for_each(|s| *s += 1);
            }
        }
        let (labels, end) = (&self.labels, self.starts[i + 1] as usize);
        self.chips[a..end].sort_by(|x, y| {
            x.status
                .cmp(&y.status)
                .then(y.score.unwrap_or(0.0).total_cmp(&x.score.unwrap_or(0.0)))
                .then_with(|| {
                    labels[x.label as usize]
                        .id
                        .cmp(&labels[y.label as usize].id)
                })
        });
    }
}

/// The status a decision gives a theme.
fn status_of(decision: Decision) -> Status {
    match decision {
        Decision::Accepted => Status::Accepted,
        Decision::Rejected => Status::Rejected,
        Decision::Added => Status::Added,
    }
}

impl Label {
    /// Whether the label matches what is typed to find it: its id, English name or Chinese
    /// names (in either script).
    pub fn matches(&self, typed: &str) -> bool {
        let typed = typed.trim().to_lowercase();
        if typed.is_empty() {
            return true;
        }
        let folded = fold_str(&typed);
        [&self.id, &self.name_en]
            .iter()
            .any(|s| s.to_lowercase().contains(&typed))
            || [&self.name, &self.name_hant]
                .iter()
                .any(|s| fold_str(s).contains(&folded))
    }

    /// Whether what is typed names the theme exactly (as a tag resolves to it).
    pub fn is_named(&self, typed: &str) -> bool {
        crate::annotations::names_theme(
            typed,
            &self.id,
            &self.name_en,
            [&self.name, &self.name_hant],
        )
    }

    /// The name in the script of the document it is shown with.
    pub fn name_for(&self, script: Script) -> &str {
        match script {
            Script::Traditional if !self.name_hant.is_empty() => &self.name_hant,
            _ => &self.name,
        }
    }
}

/// Whether a chip is drawn solid (the user said so) or outlined (only suggested).
pub fn is_confirmed(status: Status) -> bool {
    matches!(status, Status::Accepted | Status::Added)
}

/// Records a decision on theme `theme` of passage `n` (0-based) at stored span `passage` of
/// document `id`, then reads the document's themes again.
pub fn decide(
    store: &mut Store,
    id: DocId,
    (n, passage): (usize, Span),
    theme: &str,
    decision: Option<Decision>,
) -> Result<DocThemes, TaggingError> {
    let library = tagging::refresh(store, false, &mut Quiet)?;
    library.decide(store, id, (n + 1, passage), theme, decision)?;
    read(store, &library, id)
}

/// Brings the library's tagging up to date and reads document `id`'s themes.
pub fn load(store: &mut Store, id: DocId) -> Result<DocThemes, TaggingError> {
    let library = tagging::refresh(store, false, &mut Quiet)?;
    read(store, &library, id)
}

/// Document `id`'s themes in the library's current tagging.
fn read(store: &Store, library: &LibraryThemes, id: DocId) -> Result<DocThemes, TaggingError> {
    let passages = tagging::passages(store, id)?;
    let labels = library
        .codebook
        .themes
        .iter()
        .map(|t| Label {
            id: t.id.clone(),
            name: t.name.clone(),
            name_hant: t.name_hant.clone(),
            name_en: t.name_en.clone(),
            color: t.color.clone(),
        })
        .collect();
    let mut builder = Builder::new(labels);
    library.each_passage_themes(store, id, &passages, &mut |_, themes| builder.push(themes))?;
    Ok(builder.finish(passages))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(id: &str, status: Status, score: Option<f32>) -> PassageTheme {
        PassageTheme {
            theme: id.to_string(),
            status,
            score,
            matched: Vec::new(),
        }
    }

    fn label(id: &str) -> Label {
        Label {
            id: id.to_string(),
            name: id.to_string(),
            name_hant: String::new(),
            name_en: String::new(),
            color: "#000000".to_string(),
        }
    }

    /// Four passages of ten code points with gaps of two: talent on 0 (0.4) and 2 (0.9,
    /// rejected on 3), finance accepted on 1.
    fn sample() -> DocThemes {
        let mut b = Builder::new(vec![label("talent"), label("finance"), label("digital")]);
        b.push(vec![theme("talent", Status::Suggested, Some(0.4))]);
        b.push(vec![theme("finance", Status::Accepted, Some(0.2))]);
        b.push(vec![theme("talent", Status::Suggested, Some(0.9))]);
        b.push(vec![theme("talent", Status::Rejected, Some(0.8))]);
        b.finish((0..4).map(|i| Span::new(i * 12, i * 12 + 10)).collect())
    }

    #[test]
    fn best_and_steps_skip_passages_without_the_theme_and_rejected_ones() {
        let mut t = sample();
        assert_eq!(t.best("talent"), Some(2));
        assert_eq!(t.best("finance"), Some(1));
        assert_eq!(t.best("digital"), None);
        assert_eq!(t.step("talent", 0, true), Some(2), "from inside passage 0");
        assert_eq!(t.step("talent", 11, true), Some(2), "from the gap after it");
        assert_eq!(t.step("talent", 24, true), None, "3 is rejected");
        assert_eq!(t.step("talent", 40, false), Some(2));
        assert_eq!(t.step("talent", 24, false), Some(0));
        assert_eq!(t.step("talent", 0, false), None);
        // Confirming the weaker passage makes it the best.
        t.apply(0, "talent", Some(Decision::Accepted));
        assert_eq!(t.best("talent"), Some(0));
    }

    #[test]
    fn decisions_apply_in_place_as_the_library_would_merge_them() {
        let mut t = sample();
        t.apply(1, "talent", Some(Decision::Added));
        assert_eq!(t.all(1)[0].id(), "finance", "accepted before added");
        assert_eq!(t.all(1)[1].status, Status::Added);
        assert_eq!(
            t.all(2)[0].score,
            Some(0.9),
            "the next passage keeps its own"
        );
        t.apply(1, "talent", None);
        assert_eq!(t.all(1).len(), 1, "a cleared added theme goes");
        assert_eq!(t.all(2)[0].score, Some(0.9));
        t.apply(3, "talent", None);
        assert_eq!(
            t.all(3)[0].status,
            Status::Suggested,
            "back to the suggestion"
        );
        t.apply(2, "talent", Some(Decision::Rejected));
        assert!(!t.carries(2, "talent"));
    }

    #[test]
    fn labels_are_found_by_id_english_and_either_script() {
        let label = Label {
            id: "new-productive-forces".to_string(),
            name: "新质生产力".to_string(),
            name_hant: "新質生產力".to_string(),
            name_en: "New quality productive forces".to_string(),
            color: "#aa3300".to_string(),
        };
        assert!(label.matches("productive"));
        assert!(label.matches("NEW-PROD"));
        assert!(label.matches("新質"));
        assert!(label.matches("生产"));
        assert!(!label.matches("人才"));
    }

    #[test]
    fn the_demo_documents_have_themed_passages_found_by_offset() {
        let mut store = crate::demo::open().unwrap();
        let themes = load(&mut store, 1).unwrap();
        let tagged = (0..themes.passages.len())
            .find(|&i| themes.on(i).next().is_some())
            .expect("a demo passage with a theme");
        let p = themes.passages[tagged];
        assert_eq!(themes.passage_at(p.start), Some(tagged));
        assert_eq!(themes.passage_at(p.end - 1), Some(tagged));
        assert_eq!(
            themes.passage_starting_in(p.start, p.start + 1),
            Some(tagged)
        );
        assert_eq!(themes.passage_starting_in(p.start + 1, p.end), None);
        let first = themes.on(tagged).next().unwrap();
        assert!(first.label.color.starts_with('#'));
        assert!(
            first.matched().next().is_some_and(|(_, hits)| hits > 0),
            "a suggestion keeps its matched terms"
        );
    }
}
