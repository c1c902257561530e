//! The reader driven through its actions without a terminal: every request the app makes is
//! answered at once on the same store (`worker::answer_inline`, so no test sleeps), and
//! screens are drawn on ratatui's `TestBackend`.

use pizhu::store::Store;
use pizhu::tui::action::Action;
use pizhu::tui::app::{App, Start};
use pizhu::tui::event::terminal_action;
use pizhu::tui::keymap::Keymap;
use pizhu::tui::theme::{Palette, Theme};
use pizhu::tui::views::render;
use pizhu::tui::worker;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

/// An app on `store`, sized `w`×`h`, with every request answered.
pub struct Harness {
    pub app: App,
    pub store: Store,
}

impl Harness {
    pub fn new(store: Store, start: Start, w: u16, h: u16) -> Harness {
        let app = App::new(Keymap::defaults(), start, (w, h));
        let mut harness = Harness { app, store };
        harness.pump();
        harness
    }

    /// The demo library with its first `panes` documents open.
    pub fn demo(panes: usize, w: u16, h: u16) -> Harness {
        let store = pizhu::demo::open().expect("demo library");
        let mut h = Harness::new(store, Start::Session, w, h);
        for _ in 0..panes {
            let open = h.app.panes.len();
            h.act(if open == 0 {
                Action::OpenLibrary
            } else {
                Action::Split
            });
            for _ in 0..open {
                h.act(Action::Down);
            }
            h.act(Action::Select);
        }
        h.act(Action::FocusNext);
        h
    }

    /// Library document number `doc` (1 = the first listed) open in one pane.
    pub fn with_document(store: Store, doc: usize, w: u16, h: u16) -> Harness {
        let mut harness = Harness::new(store, Start::Session, w, h);
        harness.act(Action::OpenLibrary);
        for _ in 1..doc {
            harness.act(Action::Down);
        }
        harness.act(Action::Select);
        harness.app.status = None;
        harness
    }

    /// Answers the app's requests until it asks nothing more.
    pub fn pump(&mut self) {
        worker::answer_inline(&mut self.app, &mut self.store);
    }

    pub fn act(&mut self, action: Action) {
        self.app.update(action);
        self.pump();
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.act(Action::Input(c));
        }
    }

    /// A key pressed, through the keymap.
    pub fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        let event = Event::Key(KeyEvent::new(code, modifiers));
        if let Some(action) = terminal_action(&self.app, &event) {
            self.act(action);
        }
    }

    /// Characters typed as keys, one after the other, through the keymap.
    pub fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    /// The screen drawn with `palette`.
    pub fn screen_with(&self, palette: Palette) -> Terminal<TestBackend> {
        let (w, h) = self.app.size;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        let theme = Theme::new(palette);
        terminal
            .draw(|f| render(&self.app, &theme, f.area(), f.buffer_mut()))
            .expect("draw");
        terminal
    }

    pub fn screen(&self) -> Terminal<TestBackend> {
        self.screen_with(Palette::Indexed256)
    }

    /// The screen's text, a line per row (a wide character counted once).
    pub fn text(&self) -> String {
        screen_text(&self.screen())
    }
}

/// The text of a drawn screen, a line per row.
pub fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut x = 0;
        while x < buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            out.push_str(symbol);
            x += u16::try_from(symbol.width().max(1)).unwrap_or(1);
        }
        out.push('\n');
    }
    out
}
