//! `themes`: the library's codebook and its edits, import/export, the documents × themes
//! matrix, uncovered terms, re-tagging. Commands that read themes re-tag stale documents
//! first ([`refreshed`]).

use super::output::{Output, fit};
use super::progress::Steps;
use crate::count::count;
use crate::doc::DocId;
use crate::store::Store;
use crate::tagging::{self, LibraryThemes};
use crate::text::sanitize::sanitize_line;
use crate::themes::{Codebook, Edit, Keyword, Theme, ThemeNames};
use anyhow::{Context, Result, bail};
use clap::{ArgGroup, Args, Subcommand};
use serde::Serialize;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ThemesArgs {
    #[command(subcommand)]
    pub command: Option<ThemesCommand>,
    /// Print JSON instead of text (stable; see README)
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ThemesCommand {
    /// Add a theme to the library's codebook
    Add(AddArgs),
    /// Remove a theme (its children move up; decisions on it are kept, hidden)
    Rm(IdArg),
    /// Rename a theme (its id stays)
    Rename(RenameArgs),
    /// List a theme's keywords, or add and remove some
    Keywords(KeywordsArgs),
    /// Give a theme another colour
    Recolor(RecolorArgs),
    /// Merge a theme into another: keywords, children and decisions move over
    Merge(MergeArgs),
    /// Replace the codebook with a TOML file (as written by `themes export`)
    Import(FileArg),
    /// Write the codebook as TOML to a file, or to standard output
    Export(ExportArgs),
    /// Documents × themes: on how many passages of each document each theme is on
    Matrix,
    /// Frequent, distinctive words no keyword covers yet (of one document, or the library)
    Suggest(SuggestArgs),
    /// Re-tag every document now (commands re-tag stale documents by themselves)
    Retag,
}

#[derive(Debug, Args)]
pub struct IdArg {
    /// Theme id (see `pizhu themes`)
    pub id: String,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// New theme id: a-z, 0-9 and '-'
    pub id: String,
    /// Name in Simplified Chinese
    pub name: String,
    /// Name in Traditional Chinese
    #[arg(long, value_name = "NAME")]
    pub hant: Option<String>,
    /// Name in English
    #[arg(long, value_name = "NAME")]
    pub en: Option<String>,
    /// Colour, #rrggbb [default: one not yet used]
    #[arg(long, value_name = "#RRGGBB")]
    pub color: Option<String>,
    /// Id of the broader theme
    #[arg(long, value_name = "ID")]
    pub parent: Option<String>,
    /// One line: what a passage with this theme is about
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Keywords (Simplified or Traditional; matched across scripts)
    #[arg(long = "keyword", short = 'k', value_name = "TERM")]
    pub keywords: Vec<String>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("names").required(true).multiple(true).args(["name", "hant", "en"])))]
pub struct RenameArgs {
    /// Theme id
    pub id: String,
    /// New name in Simplified Chinese
    pub name: Option<String>,
    /// New name in Traditional Chinese
    #[arg(long, value_name = "NAME")]
    pub hant: Option<String>,
    /// New name in English
    #[arg(long, value_name = "NAME")]
    pub en: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeywordsArgs {
    /// Theme id
    pub id: String,
    /// Add these keywords (a term the theme has gets the new weight)
    #[arg(long, num_args = 1.., value_name = "TERM")]
    pub add: Vec<String>,
    /// Remove these keywords
    #[arg(long, num_args = 1.., value_name = "TERM")]
    pub rm: Vec<String>,
    /// Weight of the added keywords: 1.5 unambiguous, 1.0 clear, 0.5–0.8 loose
    #[arg(long, default_value_t = 1.0, requires = "add")]
    pub weight: f32,
}

#[derive(Debug, Args)]
pub struct RecolorArgs {
    /// Theme id
    pub id: String,
    /// Colour, #rrggbb
    pub color: String,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The theme that goes away
    pub from: String,
    /// The theme that stays and receives its keywords, children and decisions
    #[arg(long, value_name = "ID")]
    pub into: String,
}

#[derive(Debug, Args)]
pub struct FileArg {
    /// A codebook TOML file
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write [default: standard output]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Document: an id, or the start of its title [default: the whole library]
    pub doc: Option<String>,
    /// How many terms to list
    #[arg(long, default_value_t = 30)]
    pub limit: usize,
}

pub fn run(store: &mut Store, args: &ThemesArgs, out: &mut Output) -> Result<ExitCode> {
    let json = args.json;
    let Some(command) = &args.command else {
        return list(store, json, out);
    };
    match command {
        ThemesCommand::Add(a) => add(store, a, json, out),
        ThemesCommand::Rm(a) => edit(store, &Edit::Remove { id: a.id.clone() }, json, out),
        ThemesCommand::Rename(a) => {
            let names = ThemeNames {
                name: a.name.clone(),
                name_hant: a.hant.clone(),
                name_en: a.en.clone(),
            };
            let id = a.id.clone();
            edit(store, &Edit::Rename { id, names }, json, out)
        }
        ThemesCommand::Keywords(a) => keywords(store, a, json, out),
        ThemesCommand::Recolor(a) => {
            let (id, color) = (a.id.clone(), a.color.clone());
            edit(store, &Edit::Recolor { id, color }, json, out)
        }
        ThemesCommand::Merge(a) => {
            let (into, from) = (a.into.clone(), a.from.clone());
            edit(store, &Edit::Merge { into, from }, json, out)
        }
        ThemesCommand::Import(a) => import(store, &a.file, json, out),
        ThemesCommand::Export(a) => export(store, a.file.as_ref(), out),
        ThemesCommand::Matrix => matrix(store, json, out),
        ThemesCommand::Suggest(a) => suggest(store, a, json, out),
        ThemesCommand::Retag => {
            let mut bar = Steps::new(!json && std::io::stderr().is_terminal());
            let lib = tagging::refresh(store, true, &mut bar)?;
            bar.finish();
            if json {
                out.json(&serde_json::json!({ "retagged": lib.retagged }))?;
            } else {
                out.line(&format!(
                    "re-tagged {}",
                    count(lib.retagged.len(), "document")
                ))?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Re-tags the stale documents (with a bar on a terminal unless `json`) and returns the
/// library's themes.
pub(super) fn refreshed(store: &mut Store, json: bool) -> Result<LibraryThemes> {
    let mut bar = Steps::new(!json && std::io::stderr().is_terminal());
    let lib = tagging::refresh(store, false, &mut bar);
    bar.finish();
    Ok(lib?)
}

/// Applies a codebook edit and reports it.
fn edit(store: &mut Store, edit: &Edit, json: bool, out: &mut Output) -> Result<ExitCode> {
    let (what, revision) = store.apply_codebook_edit(edit)?;
    done(out, json, &what, revision)
}

/// The one-line report of a codebook edit.
fn done(out: &mut Output, json: bool, what: &str, revision: i64) -> Result<ExitCode> {
    if json {
        out.json(&serde_json::json!({ "done": what, "revision": revision }))?;
    } else {
        out.line(&format!(
            "{what} (codebook revision {revision}; documents are re-tagged when next read)"
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `themes --json`.
#[derive(Serialize)]
struct CodebookJson<'a> {
    revision: i64,
    themes: &'a [Theme],
}

fn list(store: &Store, json: bool, out: &mut Output) -> Result<ExitCode> {
    let (codebook, revision) = store.codebook()?;
    if json {
        out.json(&CodebookJson {
            revision,
            themes: &codebook.themes,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    out.line(&format!(
        "{}  {}  {}  {}  {}  {:>8}",
        fit("id", 22),
        fit("name", 18),
        fit("English", 30),
        fit("colour", 7),
        fit("parent", 12),
        "keywords"
    ))?;
    for t in &codebook.themes {
        out.line(&format!(
            "{}  {}  {}  {}  {}  {:>8}",
            fit(&t.id, 22),
            fit(&t.name, 18),
            fit(&t.name_en, 30),
            fit(&t.color, 7),
            fit(t.parent.as_deref().unwrap_or(""), 12),
            t.keywords.len()
        ))?;
    }
    out.line(&format!(
        "{}, codebook revision {revision} (keywords of one: pizhu themes keywords ID)",
        count(codebook.themes.len(), "theme")
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn add(store: &mut Store, a: &AddArgs, json: bool, out: &mut Output) -> Result<ExitCode> {
    let theme = Theme {
        id: a.id.clone(),
        name: a.name.clone(),
        name_hant: a.hant.clone().unwrap_or_default(),
        name_en: a.en.clone().unwrap_or_default(),
        color: a.color.clone().unwrap_or_default(),
        description: a.description.clone().unwrap_or_default(),
        parent: a.parent.clone(),
        keywords: a.keywords.iter().map(|k| Keyword::new(k.trim())).collect(),
    };
    edit(store, &Edit::Add(theme), json, out)
}

/// One keyword in `themes keywords ID --json`.
#[derive(Serialize)]
struct KeywordJson<'a> {
    term: &'a str,
    weight: f32,
}

fn keywords(store: &mut Store, a: &KeywordsArgs, json: bool, out: &mut Output) -> Result<ExitCode> {
    if a.add.is_empty() && a.rm.is_empty() {
        let (codebook, _) = store.codebook()?;
        let theme = codebook
            .get(&a.id)
            .with_context(|| format!("theme {}: no such theme (see pizhu themes)", a.id))?;
        if json {
            let list: Vec<KeywordJson> = theme
                .keywords
                .iter()
                .map(|k| KeywordJson {
                    term: &k.term,
                    weight: k.weight,
                })
                .collect();
            out.json(&list)?;
        } else {
            for k in &theme.keywords {
                out.line(&format!("{:>5.2}  {}", k.weight, sanitize_line(&k.term)))?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let change = Edit::Keywords {
        id: a.id.clone(),
        add: a
            .add
            .iter()
            .map(|t| Keyword::weighted(t.trim(), a.weight))
            .collect(),
        remove: a.rm.clone(),
    };
    edit(store, &change, json, out)
}

fn import(store: &mut Store, file: &PathBuf, json: bool, out: &mut Output) -> Result<ExitCode> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("{}: cannot read the codebook", file.display()))?;
    let codebook = Codebook::from_toml(&text).with_context(|| format!("{}", file.display()))?;
    let themes = codebook.themes.len();
    // An empty or truncated file would silently take every theme away.
    if themes == 0 {
        bail!(
            "{}: no theme in it; the codebook is unchanged (`pizhu themes rm ID` removes themes)",
            file.display()
        );
    }
    let (_, revision) = store.apply_codebook_edit(&Edit::Replace(codebook))?;
    done(
        out,
        json,
        &format!(
            "imported the codebook from {}: {}",
            file.display(),
            count(themes, "theme")
        ),
        revision,
    )
}

fn export(store: &Store, file: Option<&PathBuf>, out: &mut Output) -> Result<ExitCode> {
    let (codebook, _) = store.codebook()?;
    let toml = codebook.to_toml();
    match file {
        Some(path) => std::fs::write(path, toml)
            .with_context(|| format!("{}: cannot write the codebook", path.display()))?,
        None => out.text(&toml)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// One row of `themes matrix --json`.
#[derive(Serialize)]
struct MatrixRow {
    id: DocId,
    title: String,
    passages: usize,
    counts: Vec<usize>,
}

fn matrix(store: &mut Store, json: bool, out: &mut Output) -> Result<ExitCode> {
    let lib = refreshed(store, json)?;
    let m = tagging::matrix::matrix(store, &lib)?;
    let ids: Vec<&str> = m.themes.iter().map(String::as_str).collect();
    let rows: Vec<MatrixRow> = m
        .rows
        .into_iter()
        .map(|row| MatrixRow {
            id: row.meta.id,
            title: row.meta.title,
            passages: row.passages,
            counts: row.cells.iter().map(|c| c.passages).collect(),
        })
        .collect();
    if json {
        out.json(&serde_json::json!({ "themes": ids, "documents": rows }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let heads: Vec<String> = ids.iter().map(|id| short(id)).collect();
    out.line(&format!(
        "{:>4}  {}  {:>5}  {}",
        "id",
        fit("title", 24),
        "psgs",
        heads
            .iter()
            .map(|h| format!("{h:>5}"))
            .collect::<Vec<_>>()
            .join(" ")
    ))?;
    for row in &rows {
        out.line(&format!(
            "{:>4}  {}  {:>5}  {}",
            row.id,
            fit(&row.title, 24),
            row.passages,
            row.counts
                .iter()
                .map(|n| format!("{n:>5}"))
                .collect::<Vec<_>>()
                .join(" ")
        ))?;
    }
    out.line(&format!(
        "passages on which each theme is on (suggested, accepted or added); columns: {}",
        ids.iter()
            .zip(&heads)
            .map(|(id, h)| if *id == h {
                id.to_string()
            } else {
                format!("{h}={id}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// A column heading of at most 5 characters for a theme id: the id, or the initials of its
/// parts (`new-productive-forces` → `npf`), or its first 5 letters.
fn short(id: &str) -> String {
    if id.len() <= 5 {
        return id.to_string();
    }
    if id.contains('-') {
        let initials: String = id.split('-').filter_map(|w| w.chars().next()).collect();
        if initials.len() <= 5 {
            return initials;
        }
    }
    id.chars().take(5).collect()
}

fn suggest(store: &mut Store, a: &SuggestArgs, json: bool, out: &mut Output) -> Result<ExitCode> {
    let focus = a.doc.as_deref().map(|d| store.resolve(d)).transpose()?;
    let found = tagging::uncovered(store, focus.map(|d| d.id), a.limit)?;
    if json {
        out.json(&found)?;
        return Ok(ExitCode::SUCCESS);
    }
    if found.is_empty() {
        out.line(
            "No uncovered terms: the library needs at least two documents, and a term twice.",
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    out.line(&format!(
        "{}  {:>7}  {:>6}  {:>9}",
        fit("term", 16),
        "score",
        "count",
        "documents"
    ))?;
    for u in &found {
        out.line(&format!(
            "{}  {:>7.4}  {:>6}  {:>9}",
            fit(&u.term, 16),
            u.score,
            u.count,
            u.documents
        ))?;
    }
    out.line("Add one to a theme with: pizhu themes keywords ID --add TERM")?;
    Ok(ExitCode::SUCCESS)
}
