//! `pizhu import`: files, folders and standard input into the library, then tagged with
//! themes.

use super::output::{Output, thousands};
use super::progress::Bar;
use crate::count::count;
use crate::import::update::{self, Updated};
use crate::import::{self, ImportOptions, Outcome, Source, decode};
use crate::store::Store;
use crate::text::sanitize::sanitize_line;
use anyhow::Result;
use clap::Args;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files and folders to import; `-` reads standard input
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Decode with this encoding instead of detecting it (gbk, gb18030, big5, utf-16le, …)
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Import a text even when the library already has the same text
    #[arg(long)]
    pub force: bool,
    /// Leave the search index to the first search, which builds it (a faster import)
    #[arg(long)]
    pub defer_index: bool,
    /// Leave theme tagging to the first command or view that shows themes (a faster import)
    #[arg(long)]
    pub defer_themes: bool,
    /// The file is a new version of this document: it replaces it, and the document's
    /// annotations, reading position and theme decisions move to where their text now is
    #[arg(long, value_name = "DOC")]
    pub update: Option<String>,
    /// Print JSON instead of text (and no progress bar)
    #[arg(long)]
    pub json: bool,
}

/// One line of `import --json`.
#[derive(Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
enum Report {
    Imported {
        id: i64,
        source: String,
        title: String,
        encoding: String,
        script: &'static str,
        chars: usize,
    },
    Existing {
        id: i64,
        source: String,
        title: String,
    },
    Failed {
        error: String,
    },
}

pub fn run(store: &mut Store, args: &ImportArgs, out: &mut Output) -> Result<ExitCode> {
    let encoding = args
        .encoding
        .as_deref()
        .map(decode::encoding_for_label)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--encoding: {e}"))?;
    let options = ImportOptions {
        encoding,
        force: args.force,
        defer_index: args.defer_index,
        cancel: super::interrupt::ctrl_c(),
    };
    store.require_writable("importing")?;
    if let Some(doc) = &args.update {
        return update(store, doc, args, &options, out);
    }
    let (sources, failures) = import::collect(&args.paths);
    let mut outcomes: Vec<Outcome> = failures.into_iter().map(Outcome::Failed).collect();
    for outcome in &outcomes {
        report_text(outcome, args.json, out)?;
    }
    let show_progress = !args.json && std::io::stderr().is_terminal();
    let mut bar = Bar::new(show_progress, &sources);
    let json = args.json;
    let mut printer = Printer {
        bar: &mut bar,
        json,
        out,
        error: None,
    };
    let done = import::run(store, &sources, &options, &mut printer)?;
    if let Some(error) = printer.error.take() {
        return Err(error.into());
    }
    bar.finish();
    if !args.defer_themes
        && !options.cancel.is_cancelled()
        && done.iter().any(|o| matches!(o, Outcome::Imported { .. }))
        && let Err(error) = super::themes::refreshed(store, json)
        && !options.cancel.is_cancelled()
    {
        eprintln!("pizhu: imported, but tagging themes failed: {error:#}");
    }
    let done_count = done.len();
    outcomes.extend(done);
    let failed = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Failed(_)))
        .count();
    if json {
        let reports: Vec<Report> = outcomes.iter().map(report).collect();
        out.json(&reports)?;
    } else if outcomes.len() > 1 {
        let imported = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Imported { .. }))
            .count();
        out.line(&format!(
            "{imported} imported, {} already in the library, {failed} failed",
            outcomes.len() - imported - failed
        ))?;
    }
    if options.cancel.is_cancelled() {
        let stored = outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Imported { .. }))
            .count();
        eprintln!(
            "pizhu: import cancelled: {} stored whole, {} of {} not imported",
            count(stored, "document"),
            sources.len() - done_count,
            count(sources.len(), "file")
        );
        return Ok(super::interrupt::cancelled());
    }
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `import --update DOC FILE`: the file replaces the document.
fn update(
    store: &mut Store,
    doc: &str,
    args: &ImportArgs,
    options: &ImportOptions,
    out: &mut Output,
) -> Result<ExitCode> {
    let old = store.resolve(doc)?;
    let (sources, failures) = import::collect(&args.paths);
    if let Some(failure) = failures.first() {
        anyhow::bail!("{failure}");
    }
    let [source] = sources.as_slice() else {
        anyhow::bail!(
            "--update takes one file (the new version of #{}), not {}",
            old.id,
            sources.len()
        );
    };
    let updated = update::update(store, old.id, source, options, &mut import::Silent)?;
    match updated {
        Updated::Unchanged => {
            if args.json {
                out.json(&serde_json::json!({ "status": "unchanged", "id": old.id }))?;
            } else {
                out.line(&format!(
                    "#{} is already this text: nothing to update",
                    old.id
                ))?;
            }
        }
        Updated::Duplicate(id) => anyhow::bail!(
            "{}: this text is already #{id} in the library, not a new version of #{}",
            source.label(),
            old.id
        ),
        Updated::Failed(error) => anyhow::bail!("{error}"),
        Updated::Replaced {
            old,
            new,
            ok,
            drifted,
            orphans,
        } => {
            if !args.defer_themes
                && let Err(error) = super::themes::refreshed(store, args.json)
            {
                eprintln!("pizhu: updated, but tagging themes failed: {error:#}");
            }
            if args.json {
                out.json(&serde_json::json!({
                    "status": "updated", "old": old, "new": new,
                    "ok": ok, "drifted": drifted, "orphans": orphans,
                }))?;
            } else {
                out.line(&format!(
                    "#{old} replaced by #{new}: {ok} annotations in place, {drifted} drifted \
                     (review: pizhu notes --drifted), {orphans} not found \
                     (kept: pizhu notes --orphans)"
                ))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints each source's result as it finishes and moves the progress bar.
struct Printer<'a> {
    bar: &'a mut Bar,
    json: bool,
    out: &'a mut Output,
    error: Option<std::io::Error>,
}

impl import::Observer for Printer<'_> {
    fn read(&mut self, position: u64) {
        self.bar.read(position);
    }

    fn done(&mut self, outcome: &Outcome) {
        self.bar.source_done();
        let printed = self
            .bar
            .suspend(|| report_text(outcome, self.json, self.out));
        if let Err(error) = printed {
            self.error.get_or_insert(error);
        }
    }
}

/// The text line for one outcome (failures go to standard error); nothing with `--json`.
fn report_text(outcome: &Outcome, json: bool, out: &mut Output) -> std::io::Result<()> {
    if json {
        return Ok(());
    }
    match outcome {
        Outcome::Imported {
            id,
            title,
            encoding,
            script,
            chars,
            source,
        } => out.line(&format!(
            "imported #{id} {} ({encoding}, {}, {} chars) from {source}",
            sanitize_line(title),
            script.as_str(),
            thousands(*chars)
        )),
        Outcome::Existing { id, title, source } => out.line(&format!(
            "already in the library as #{id} {}: {source} (use --force to import it again)",
            sanitize_line(title)
        )),
        Outcome::Failed(error) => {
            eprintln!("pizhu: {error}");
            Ok(())
        }
    }
}

fn report(outcome: &Outcome) -> Report {
    match outcome {
        Outcome::Imported {
            id,
            source,
            title,
            encoding,
            script,
            chars,
        } => Report::Imported {
            id: *id,
            source: source.clone(),
            title: title.clone(),
            encoding: encoding.clone(),
            script: script.as_str(),
            chars: *chars,
        },
        Outcome::Existing { id, source, title } => Report::Existing {
            id: *id,
            source: source.clone(),
            title: title.clone(),
        },
        Outcome::Failed(error) => Report::Failed {
            error: error.to_string(),
        },
    }
}

impl Source {
    fn size(&self) -> u64 {
        match self {
            Source::File(path) => std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
            Source::Stdin => 0,
            Source::Embedded { bytes, .. } => bytes.len() as u64,
        }
    }
}

pub(super) fn source_sizes(sources: &[Source]) -> Vec<u64> {
    sources.iter().map(Source::size).collect()
}
