//! The export dialog (`E` in the reader and the annotations view, or `:export` alone): the
//! format, what to export (this document, the whole library, or the annotations the
//! annotations view lists), Markdown's grouping, CSV's byte-order mark for Excel, and the
//! file to write, named by default in the current folder.
//!
//! `Enter` sends an [`ExportJob`] to the worker, which writes it with the core's
//! `export::render` and `export::write_file` (a temporary file renamed into place) and
//! answers with an [`ExportAnswer`]: written (the status line says where and how many),
//! the file exists (the prompt asks before overwriting it), or failed (the message stays
//! beside the open dialog, so the name can be corrected). `:export FORMAT [PATH]` makes the
//! same job without the dialog.

use super::action::Action;
use super::app::{App, PromptKind, View};
use super::field::Field;
use super::path_input::home_expanded;
use super::worker::Request;
use crate::annotations::{AnnotationFilter, AnnotationId};
use crate::cancel::Cancel;
use crate::count::count;
use crate::doc::DocId;
use crate::export::markdown::Grouping;
use crate::export::{self, Format, Options};
use crate::store::Store;
use std::path::PathBuf;

/// The formats in the order the dialog shows them, with the letter that chooses each.
pub const FORMATS: [(Format, char, &str); 5] = [
    (Format::Markdown, 'm', "Markdown"),
    (Format::Csv, 'c', "CSV"),
    (Format::Json, 'j', "JSON"),
    (Format::Qdpx, 'r', "REFI-QDA .qdpx"),
    (Format::Qdc, 'q', "QDA codebook .qdc"),
];

/// The dialog's rows, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Format,
    Scope,
    Grouping,
    Excel,
    Path,
}

const ROWS: [Row; 5] = [
    Row::Format,
    Row::Scope,
    Row::Grouping,
    Row::Excel,
    Row::Path,
];

/// What an export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The focused pane's document.
    Document { id: DocId, title: String },
    /// Every document of the library.
    All,
    /// The annotations the annotations view lists (its filter), in no other order.
    Listed(Vec<AnnotationId>),
}

impl Scope {
    /// How the dialog names it.
    pub fn label(&self) -> String {
        match self {
            Scope::Document { title, .. } => format!("this document: {title}"),
            Scope::All => "all documents".to_string(),
            Scope::Listed(ids) => format!("the {} listed", count(ids.len(), "annotation")),
        }
    }

    fn filter(&self) -> AnnotationFilter {
        match self {
            Scope::Document { id, .. } => AnnotationFilter {
                docs: vec![*id],
                ..AnnotationFilter::default()
            },
            Scope::All => AnnotationFilter::default(),
            Scope::Listed(ids) => AnnotationFilter {
                ids: ids.clone(),
                ..AnnotationFilter::default()
            },
        }
    }

    /// The start of a default file name.
    fn stem(&self) -> String {
        match self {
            Scope::Document { title, .. } => {
                let safe: String = title
                    .chars()
                    .filter(|c| !c.is_control())
                    .map(|c| match c {
                        '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
                        c if c.is_whitespace() => '-',
                        c => c,
                    })
                    .take(24)
                    .collect();
                let safe = safe.trim_matches(|c| c == '-' || c == '.');
                if safe.is_empty() {
                    "pizhu-notes".to_string()
                } else {
                    format!("{safe}-notes")
                }
            }
            Scope::All | Scope::Listed(_) => "pizhu-notes".to_string(),
        }
    }
}

/// The dialog's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDialog {
    pub format: Format,
    /// The scopes there are here (all documents always; this document with a document open;
    /// the listed annotations from a filtered annotations view).
    pub scopes: Vec<Scope>,
    pub scope: usize,
    pub grouping: Grouping,
    pub excel: bool,
    pub path: Field,
    /// The user changed the file name: a new format then only changes its extension.
    edited: bool,
    pub row: Row,
    /// The export asked for is being written.
    pub busy: bool,
}

impl ExportDialog {
    /// A dialog offering `scopes`, with `scopes[scope]` chosen, as Markdown.
    pub fn new(scopes: Vec<Scope>, scope: usize) -> ExportDialog {
        let mut dialog = ExportDialog {
            format: Format::Markdown,
            scopes,
            scope,
            grouping: Grouping::Document,
            excel: false,
            path: Field::default(),
            edited: false,
            row: Row::Format,
            busy: false,
        };
        dialog.path.set(dialog.default_path());
        dialog
    }

    /// The scope chosen.
    pub fn chosen_scope(&self) -> &Scope {
        self.scopes.get(self.scope).unwrap_or(&Scope::All)
    }

    /// Whether `row` means something for the format chosen (a codebook has no scope, only
    /// Markdown is grouped, only CSV has a byte-order mark).
    pub fn applies(&self, row: Row) -> bool {
        match row {
            Row::Scope => self.format != Format::Qdc,
            Row::Grouping => self.format == Format::Markdown,
            Row::Excel => self.format == Format::Csv,
            Row::Format | Row::Path => true,
        }
    }

    /// The file name the dialog proposes: in the current folder, named after the scope.
    fn default_path(&self) -> String {
        let stem = match self.format {
            Format::Qdc => "pizhu-codebook".to_string(),
            _ => self.chosen_scope().stem(),
        };
        format!("{stem}.{}", self.format.extension())
    }

    /// The file name follows the format and the scope until the user edits it; after that a
    /// new format changes only its extension.
    fn renamed(&mut self, old: Format) {
        if !self.edited {
            self.path.set(self.default_path());
            return;
        }
        let text = self.path.text();
        if let Some(stem) = text.strip_suffix(&format!(".{}", old.extension())) {
            let renamed = format!("{stem}.{}", self.format.extension());
            self.path.set(renamed);
        }
    }

    fn set_format(&mut self, format: Format) {
        let old = std::mem::replace(&mut self.format, format);
        self.renamed(old);
    }

    /// The next (or previous) choice on the current row.
    fn change(&mut self, forward: bool) {
        let step = |i: usize, n: usize| {
            if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }
        };
        match self.row {
            Row::Format => {
                let i = FORMATS
                    .iter()
                    .position(|(f, ..)| *f == self.format)
                    .unwrap_or(0);
                self.set_format(FORMATS[step(i, FORMATS.len())].0);
            }
            Row::Scope => {
                self.scope = step(self.scope, self.scopes.len().max(1));
                let format = self.format;
                self.renamed(format);
            }
            Row::Grouping => {
                self.grouping = match self.grouping {
                    Grouping::Document => Grouping::Theme,
                    Grouping::Theme => Grouping::Document,
                }
            }
            Row::Excel => self.excel = !self.excel,
            Row::Path => {}
        }
    }

    /// To the next (or previous) row that applies, wrapping around.
    fn move_row(&mut self, forward: bool) {
        let rows: Vec<Row> = ROWS.into_iter().filter(|&r| self.applies(r)).collect();
        let i = rows.iter().position(|&r| r == self.row).unwrap_or(0);
        let n = rows.len();
        self.row = rows[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    /// The job the dialog describes, or why there is none.
    pub fn job(&self) -> Result<ExportJob, &'static str> {
        let path = self.path.text().trim();
        if path.is_empty() {
            return Err("give the file a name");
        }
        Ok(ExportJob {
            format: self.format,
            filter: self.chosen_scope().filter(),
            options: Options {
                grouping: self.grouping,
                excel: self.excel,
            },
            path: PathBuf::from(path),
            overwrite: false,
            cancel: Cancel::new(),
        })
    }
}

/// An export for the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportJob {
    pub format: Format,
    pub filter: AnnotationFilter,
    pub options: Options,
    /// Relative to the current folder; `~/` is the home folder.
    pub path: PathBuf,
    /// Replace the file if it exists (else the answer is [`ExportAnswer::Exists`]).
    pub overwrite: bool,
    /// Set (by `Esc`) before the file is written: nothing is written.
    pub cancel: Cancel,
}

/// The worker's answer to an [`ExportJob`].
#[derive(Debug, Clone, PartialEq)]
pub enum ExportAnswer {
    /// Written; the message says what and where.
    Written(String),
    /// The file exists and the job did not say to overwrite it.
    Exists(Box<ExportJob>),
    /// Nothing was written; the message says why.
    Failed(String),
    /// Cancelled before the file was written: nothing was.
    Cancelled,
}

/// Writes `job` (on the worker).
pub fn run(store: &Store, job: ExportJob) -> ExportAnswer {
    let path = home_expanded(&job.path);
    match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => {
            return ExportAnswer::Failed(format!(
                "{}: is a folder; give the export a file name",
                path.display()
            ));
        }
        Ok(_) if !job.overwrite => return ExportAnswer::Exists(Box::new(job)),
        _ => {}
    }
    let rendered = export::render(store, job.format, job.filter, &job.options);
    if job.cancel.is_cancelled() {
        return ExportAnswer::Cancelled;
    }
    let written = rendered.and_then(|r| export::write_file(&path, &r.bytes).map(|()| r));
    match written {
        Ok(rendered) => {
            let shown = std::path::absolute(&path).unwrap_or(path);
            let hidden = match rendered.hidden {
                0 => String::new(),
                n => format!(" ({n} in folded noise left out)"),
            };
            ExportAnswer::Written(format!(
                "exported {} to {}{hidden}",
                rendered.summary,
                shown.display()
            ))
        }
        Err(e) => ExportAnswer::Failed(format!("not exported: {e}")),
    }
}

impl App {
    /// Opens the export dialog: from the annotations view with a filter on (and the whole list
    /// read, not only its first page), for the annotations it lists; else for the focused
    /// pane's document, when there is one.
    pub(super) fn open_export(&mut self) {
        let mut scopes = Vec::new();
        if let View::Annotations(view) = &self.view
            && view.narrowed()
            && !view.shown.is_empty()
            && let Some(data) = view.data.as_deref().filter(|d| !d.partial)
        {
            let ids = view.shown.iter().map(|&i| data.rows[i].annotation.id);
            scopes.push(Scope::Listed(ids.collect()));
        }
        if let Some(doc) = self.panes.get(self.focus).and_then(|p| p.document())
            && doc.complete
        {
            scopes.push(Scope::Document {
                id: doc.meta.id,
                title: doc.meta.title.clone(),
            });
        }
        scopes.push(Scope::All);
        self.export = Some(ExportDialog::new(scopes, 0));
    }

    /// A key in the dialog.
    pub(super) fn export_action(&mut self, action: Action) {
        let Some(mut dialog) = self.export.take() else {
            return;
        };
        if dialog.busy {
            if action != Action::Back {
                self.export = Some(dialog);
            }
            return;
        }
        let on_path = dialog.row == Row::Path;
        match action {
            Action::Back => return,
            Action::Down | Action::FocusNext => dialog.move_row(true),
            Action::Up | Action::FocusPrevious => dialog.move_row(false),
            Action::Select | Action::Submit => match dialog.job() {
                Ok(job) => {
                    dialog.busy = true;
                    self.send_export(job);
                }
                Err(why) => {
                    dialog.row = Row::Path;
                    self.set_status(why, true);
                }
            },
            Action::Left if on_path => dialog.path.left(),
            Action::Right if on_path => dialog.path.right(),
            Action::Top if on_path => dialog.path.home(),
            Action::Bottom if on_path => dialog.path.end(),
            Action::Backspace if on_path => {
                dialog.path.backspace();
                dialog.edited = true;
            }
            Action::Delete if on_path => {
                dialog.path.delete();
                dialog.edited = true;
            }
            Action::Input(c) if on_path => {
                dialog.path.insert(c);
                dialog.edited = true;
            }
            Action::Left => dialog.change(false),
            Action::Right => dialog.change(true),
            Action::Input(c) => match FORMATS.iter().find(|(_, key, _)| *key == c) {
                Some(&(format, ..)) => {
                    dialog.row = Row::Format;
                    dialog.set_format(format);
                }
                None => self.set_status("m c j r q choose the format", true),
            },
            _ => {}
        }
        self.export = Some(dialog);
    }

    /// The worker's answer to an export.
    pub(super) fn export_answer(&mut self, answer: ExportAnswer) {
        if let Some(dialog) = &mut self.export {
            dialog.busy = false;
        }
        self.running = None;
        match answer {
            ExportAnswer::Written(message) => {
                self.export = None;
                self.set_status(message, false);
            }
            ExportAnswer::Exists(job) => {
                self.prompt(PromptKind::ConfirmOverwrite(job));
            }
            ExportAnswer::Failed(message) => self.set_status(message, true),
            ExportAnswer::Cancelled => self.set_status("export cancelled: nothing written", false),
        }
    }

    /// Sends `job` to the worker; `Esc` cancels it until the file is written.
    fn send_export(&mut self, job: ExportJob) {
        self.set_status(format!("exporting to {}…", job.path.display()), false);
        self.running = Some(job.cancel.clone());
        self.requests.push(Request::Export(Box::new(job)));
    }

    /// The answer to "overwrite?".
    pub(super) fn export_overwrite(&mut self, mut job: ExportJob, yes: bool) {
        if yes {
            if let Some(dialog) = &mut self.export {
                dialog.busy = true;
            }
            job.overwrite = true;
            self.send_export(job);
            return;
        }
        if let Some(dialog) = &mut self.export {
            dialog.row = Row::Path;
        }
        self.set_status(
            format!(
                "kept {}; not exported (choose another name)",
                job.path.display()
            ),
            false,
        );
    }

    /// `:export` opens the dialog; `:export FORMAT [PATH]` exports every document's notes to
    /// PATH (which may hold spaces; default `pizhu-notes.EXT` in the current folder).
    pub(super) fn export_command(&mut self, arg: &str) {
        if arg.is_empty() {
            return self.open_export();
        }
        let (name, path) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
        let Some(format) = Format::parse(name) else {
            return self.set_status(
                "usage: :export md|csv|json|qdpx|qdc [PATH] (the library's notes), or :export alone for the dialog",
                true,
            );
        };
        let path = match path.trim() {
            "" => PathBuf::from(format!("pizhu-notes.{}", format.extension())),
            path => PathBuf::from(path),
        };
        self.send_export(ExportJob {
            format,
            filter: AnnotationFilter::default(),
            options: Options::default(),
            path,
            overwrite: false,
            cancel: Cancel::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialog() -> ExportDialog {
        let doc = Scope::Document {
            id: 3,
            title: "上海/科创: 一览".into(),
        };
        ExportDialog::new(vec![doc, Scope::All], 0)
    }

    #[test]
    fn the_default_name_follows_the_format_and_scope_until_edited() {
        let mut d = dialog();
        assert_eq!(d.path.text(), "上海-科创--一览-notes.md");
        d.set_format(Format::Csv);
        assert_eq!(d.path.text(), "上海-科创--一览-notes.csv");
        d.row = Row::Scope;
        d.change(true);
        assert_eq!(d.path.text(), "pizhu-notes.csv");
        d.set_format(Format::Qdc);
        assert_eq!(d.path.text(), "pizhu-codebook.qdc");
        d.path.set("笔记 2024.qdc");
        d.edited = true;
        d.set_format(Format::Json);
        assert_eq!(d.path.text(), "笔记 2024.json");
        d.path.set("notes");
        d.set_format(Format::Csv);
        assert_eq!(
            d.path.text(),
            "notes",
            "no extension of the format: left alone"
        );
    }

    #[test]
    fn rows_that_do_not_apply_are_skipped() {
        let mut d = dialog();
        d.move_row(true);
        assert_eq!(d.row, Row::Scope);
        d.move_row(true);
        assert_eq!(d.row, Row::Grouping, "Markdown is grouped");
        d.move_row(true);
        assert_eq!(d.row, Row::Path, "no byte-order mark for Markdown");
        d.move_row(true);
        assert_eq!(d.row, Row::Format);
        d.set_format(Format::Qdc);
        d.move_row(true);
        assert_eq!(d.row, Row::Path, "a codebook has no scope");
        d.move_row(false);
        assert_eq!(d.row, Row::Format);
    }

    #[test]
    fn the_job_carries_the_choices() {
        let mut d = dialog();
        d.row = Row::Grouping;
        d.change(true);
        let job = d.job().expect("a job");
        assert_eq!(job.filter.docs, vec![3]);
        assert_eq!(job.options.grouping, Grouping::Theme);
        assert!(!job.overwrite);
        d.path.set("  ");
        assert!(d.job().is_err());
    }
}
