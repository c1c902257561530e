//! Progress bars on standard error, drawn only on a terminal and only once the work has taken
//! more than a moment: the import bar (files, bytes, ETA) and the re-tagging bar (documents).

use crate::import::Source;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::{Duration, Instant};

/// An import shorter than this shows no bar at all.
const SHOW_AFTER: Duration = Duration::from_millis(300);

pub struct Bar {
    bar: Option<ProgressBar>,
    started: Instant,
    visible: bool,
    sizes: Vec<u64>,
    current: usize,
    done_bytes: u64,
}

impl Bar {
    /// A bar for importing `sources`; `enabled` is false off a terminal or with `--json`.
    pub fn new(enabled: bool, sources: &[Source]) -> Bar {
        let sizes = super::import::source_sizes(sources);
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(sizes.iter().sum()),
                ProgressDrawTarget::hidden(),
            );
            let style = ProgressStyle::with_template(
                "{prefix} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar
        });
        let this = Bar {
            bar,
            started: Instant::now(),
            visible: false,
            sizes,
            current: 0,
            done_bytes: 0,
        };
        this.label();
        this
    }

    /// The current source has been read up to `position` bytes.
    pub fn read(&mut self, position: u64) {
        if let Some(bar) = &self.bar {
            let limit = self.sizes.get(self.current).copied().unwrap_or(position);
            bar.set_position(self.done_bytes + position.min(limit));
        }
        self.reveal();
    }

    /// The current source is finished; move on to the next.
    pub fn source_done(&mut self) {
        self.done_bytes += self.sizes.get(self.current).copied().unwrap_or(0);
        self.current += 1;
        if let Some(bar) = &self.bar {
            bar.set_position(self.done_bytes);
        }
        self.label();
        self.reveal();
    }

    /// Runs `f` (which prints) with the bar taken off the screen.
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn label(&self) {
        if let Some(bar) = &self.bar {
            let total = self.sizes.len();
            bar.set_prefix(format!("{}/{total} files", self.current.min(total)));
        }
    }

    fn reveal(&mut self) {
        if !self.visible
            && self.started.elapsed() >= SHOW_AFTER
            && let Some(bar) = &self.bar
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.visible = true;
        }
    }
}

/// The re-tagging bar: documents read and tagged, on standard error, drawn only on a terminal
/// and only once tagging has taken more than a moment.
pub struct Steps {
    bar: Option<ProgressBar>,
    started: Instant,
    visible: bool,
    /// Ctrl-c stops the re-tagging (nothing of it is saved).
    cancel: crate::cancel::Cancel,
}

impl Steps {
    /// `enabled` is false off a terminal or with `--json`.
    pub fn new(enabled: bool) -> Steps {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
            let style = ProgressStyle::with_template(
                "{prefix} [{bar:30}] {pos}/{len} documents ETA {eta} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar
        });
        Steps {
            bar,
            started: Instant::now(),
            visible: false,
            cancel: super::interrupt::ctrl_c(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl crate::tagging::Progress for Steps {
    fn cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    fn step(
        &mut self,
        phase: crate::tagging::Phase,
        done: usize,
        total: usize,
        doc: &crate::doc::DocumentMeta,
    ) {
        if let Some(bar) = &self.bar {
            bar.set_prefix(match phase {
                crate::tagging::Phase::Reading => "themes: reading",
                crate::tagging::Phase::Tagging => "themes: tagging",
            });
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(crate::text::sanitize::sanitize_line(&doc.title));
            if !self.visible && self.started.elapsed() >= SHOW_AFTER {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                self.visible = true;
            }
        }
    }
}
