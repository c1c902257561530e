//! `related`: the passages of other documents most like one passage.

use super::cleaning::preview;
use super::output::{Output, fit};
use crate::related::{self, DEFAULT_LIMIT};
use crate::store::Store;
use anyhow::Result;
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// Document: an id, or the start of its title
    pub doc: String,
    /// The passage: its number in `pizhu passages DOC`
    pub passage: usize,
    /// Show at most N passages
    #[arg(long, value_name = "N", default_value_t = DEFAULT_LIMIT)]
    pub limit: usize,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

pub fn run(store: &mut Store, args: &RelatedArgs, out: &mut Output) -> Result<ExitCode> {
    let doc = store.resolve(&args.doc)?;
    if !store.is_read_only() {
        let pending = store.unindexed_documents()?.len() + store.related_pending()?.len();
        if pending > 0 {
            eprintln!("pizhu: indexing documents for related passages (once)…");
        }
        related::build(store, &mut |_, _| {})?;
    }
    let found = related::related(store, doc.id, args.passage, args.limit)?;
    if args.json {
        out.json(&found)?;
        return Ok(ExitCode::SUCCESS);
    }
    if found.is_empty() {
        out.line(&format!(
            "No passage of another document shares words with passage {} of #{}.",
            args.passage, doc.id
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    for r in &found {
        out.line(&format!(
            "{:.3}  #{} {} ¶{} @{}–{}: {}",
            r.score,
            r.doc,
            fit(&r.title, 20).trim_end(),
            r.passage,
            r.start,
            r.end,
            preview(&r.text, 60)
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
