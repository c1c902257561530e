//! The README's screenshots, drawn by the real views on the demo corpus and written as SVG:
//!
//! ```text
//! cargo run --example screenshots -- [OUTDIR]     (default docs/images; scripts/screenshots.sh)
//! ```
//!
//! The reader is driven by keys through the keymap, as a user types them, with every request
//! answered on this thread (`worker::answer_inline`), so each picture shows the screen after
//! the keys with everything they asked for loaded. Writes `reader.svg` (two documents side by
//! side, theme chips, a highlighted sentence with a note), `matrix.svg` and `compare.svg`.

use anyhow::{Context, Result};
use pizhu::store::Store;
use pizhu::tui::action::Action;
use pizhu::tui::app::{App, Start};
use pizhu::tui::event::terminal_action;
use pizhu::tui::keymap::Keymap;
use pizhu::tui::theme::{Palette, Theme};
use pizhu::tui::{svg, views, worker};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use std::path::{Path, PathBuf};

const SIZE: (u16, u16) = (120, 32);

/// The app on the demo library, and the library.
struct Shot {
    app: App,
    store: Store,
}

impl Shot {
    fn new() -> Result<Shot> {
        let store = pizhu::demo::open().context("the demo library")?;
        let app = App::new(Keymap::defaults(), Start::Session, SIZE);
        let mut shot = Shot { app, store };
        shot.answer();
        Ok(shot)
    }

    fn answer(&mut self) {
        worker::answer_inline(&mut self.app, &mut self.store);
    }

    fn act(&mut self, action: Action) {
        self.app.update(action);
        self.answer();
    }

    fn key(&mut self, code: KeyCode) {
        let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        if let Some(action) = terminal_action(&self.app, &event) {
            self.act(action);
        }
    }

    /// Characters typed one after the other, through the keymap (or into a field).
    fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Library documents `docs` (1 = the first listed) side by side, the first focused.
    fn open_side_by_side(&mut self, docs: &[usize]) {
        for (i, &doc) in docs.iter().enumerate() {
            self.act(if i == 0 {
                Action::OpenLibrary
            } else {
                Action::Split
            });
            for _ in 1..doc {
                self.act(Action::Down);
            }
            self.act(Action::Select);
        }
        for _ in 1..docs.len() {
            self.act(Action::FocusNext);
        }
    }

    /// The screen, `rows` high, written to `dir/name`.
    fn save(&mut self, dir: &Path, name: &str, rows: u16) -> Result<PathBuf> {
        self.act(Action::Resize(SIZE.0, rows));
        let mut buf = Buffer::empty(Rect::new(0, 0, SIZE.0, rows));
        let area = buf.area;
        views::render(&self.app, &Theme::new(Palette::Indexed256), area, &mut buf);
        let path = dir.join(name);
        std::fs::write(&path, svg::render(&buf))
            .with_context(|| format!("{}: cannot write", path.display()))?;
        Ok(path)
    }
}

#[cfg_attr(test, allow(dead_code))]
fn main() -> Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/images".to_string()),
    );
    for path in shoot(&dir)? {
        println!("{}", path.display());
    }
    Ok(())
}

/// Draws the three screens into `dir` and returns their paths.
pub fn shoot(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;

    // The reader: a Simplified and a Traditional text side by side; in the first, a sentence
    // of the fourth paragraph highlighted with a note.
    let mut shot = Shot::new()?;
    shot.open_side_by_side(&[1, 2]);
    shot.keys("}}}v)a");
    shot.keys("新旧动能并举：先改造存量");
    shot.key(KeyCode::Esc);
    shot.key(KeyCode::Char('k'));
    let mut written = vec![shot.save(dir, "reader.svg", SIZE.1)?];

    // The documents × themes matrix, then its first theme compared across the documents.
    shot.keys("M");
    written.push(shot.save(dir, "matrix.svg", 10)?);
    shot.key(KeyCode::Enter);
    written.push(shot.save(dir, "compare.svg", 16)?);
    Ok(written)
}
