//! Terminal events and worker results become [`Action`]s here: keys through the keymap of
//! the context the reader is in, text keys for prompts and filters, mouse and resize events.

use super::action::Action;
use super::app::{App, InputMode};
use super::editor::EditKey;
use super::keymap::{Context, Key, Lookup};
use super::worker::Response;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};
use std::time::Instant;

/// What arrives at the reader's loop.
#[derive(Debug)]
pub enum Incoming {
    /// A terminal event and when the input thread read it.
    Terminal(Event, Instant),
    Worker(Response),
    /// Reading the terminal failed: the reader cannot go on.
    InputFailed(String),
    /// A signal asked the reader to end (SIGTERM, SIGHUP, SIGINT).
    Signal(i32),
}

/// The action an incoming message stands for, if any.
pub fn action(app: &App, incoming: Incoming) -> Option<Action> {
    match incoming {
        Incoming::Worker(response) => Some(Action::Worker(response)),
        Incoming::Terminal(event, _) => terminal_action(app, &event),
        Incoming::InputFailed(_) | Incoming::Signal(_) => Some(Action::Quit),
    }
}

/// The action a terminal event stands for.
pub fn terminal_action(app: &App, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(app, key),
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Event::Mouse(mouse) => mouse_action(mouse),
        _ => None,
    }
}

fn key_action(app: &App, key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    // While an import or a re-tag runs, Ctrl-c is Esc: it cancels that instead of quitting.
    if ctrl
        && key.code == KeyCode::Char('c')
        && app.running.as_ref().is_some_and(|c| !c.is_cancelled())
    {
        return Some(Action::Back);
    }
    match app.input_mode() {
        InputMode::Editor => edit_key(key).map(Action::Edit),
        InputMode::Text => match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Char('c') if ctrl => Some(Action::Back),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Tab => Some(Action::Complete),
            KeyCode::Down => Some(Action::Down),
            KeyCode::Up => Some(Action::Up),
            KeyCode::Char('n') if ctrl => Some(Action::Down),
            KeyCode::Char('p') if ctrl => Some(Action::Up),
            KeyCode::Char(c) if !ctrl && !c.is_control() => Some(Action::Input(c)),
            _ => None,
        },
        InputMode::Field => field_key(key),
        InputMode::Keys(context) => {
            let typed = Key::from_event(key);
            let mut keys = app.pending.clone();
            keys.push(typed);
            match app.keymap.lookup(context, &keys) {
                Lookup::Bound(action) => return Some(action.clone()),
                Lookup::Prefix => return Some(Action::Pending(keys)),
                Lookup::Unbound if !app.pending.is_empty() => {
                    // A sequence that went wrong: the last key counts on its own.
                    return match app.keymap.lookup(context, &[typed]) {
                        Lookup::Bound(action) => Some(action.clone()),
                        Lookup::Prefix => Some(Action::Pending(vec![typed])),
                        Lookup::Unbound => Some(Action::Pending(Vec::new())),
                    };
                }
                Lookup::Unbound => {}
            }
            match (context, key.code) {
                (Context::Reader, KeyCode::Char(c)) if !ctrl && c.is_ascii_digit() => c
                    .to_digit(10)
                    .and_then(|d| u8::try_from(d).ok())
                    .map(Action::Count),
                (Context::Library | Context::Annotations | Context::Export, KeyCode::Char(c))
                    if !ctrl && !c.is_control() =>
                {
                    Some(Action::Input(c))
                }
                (Context::Library | Context::Annotations, KeyCode::Backspace) => {
                    Some(Action::Backspace)
                }
                _ => None,
            }
        }
    }
}

/// A key in a one-line field: text and the cursor's moves; the arrows up and down and Tab
/// leave it.
fn field_key(key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Esc => Action::Back,
        KeyCode::Char('c') if ctrl => Action::Back,
        KeyCode::Enter => Action::Submit,
        KeyCode::Backspace => Action::Backspace,
        KeyCode::Delete => Action::Delete,
        KeyCode::Left => Action::Left,
        KeyCode::Right => Action::Right,
        KeyCode::Home => Action::Top,
        KeyCode::End => Action::Bottom,
        KeyCode::Up | KeyCode::BackTab => Action::Up,
        KeyCode::Down | KeyCode::Tab => Action::Down,
        KeyCode::Char(c) if !ctrl && !c.is_control() => Action::Input(c),
        _ => return None,
    })
}

/// A key in the note editor.
fn edit_key(key: &KeyEvent) -> Option<EditKey> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('s') if ctrl => EditKey::Save,
        KeyCode::Char('c') if ctrl => EditKey::Discard,
        KeyCode::Char('e') if ctrl => EditKey::External,
        KeyCode::Esc => EditKey::Save,
        KeyCode::Char(c) if !ctrl && !c.is_control() => EditKey::Char(c),
        KeyCode::Enter => EditKey::Enter,
        KeyCode::Backspace => EditKey::Backspace,
        KeyCode::Delete => EditKey::Delete,
        KeyCode::Left => EditKey::Left,
        KeyCode::Right => EditKey::Right,
        KeyCode::Up => EditKey::Up,
        KeyCode::Down => EditKey::Down,
        KeyCode::Home => EditKey::Home,
        KeyCode::End => EditKey::End,
        _ => return None,
    })
}

fn mouse_action(mouse: &MouseEvent) -> Option<Action> {
    let (column, row) = (mouse.column, mouse.row);
    match mouse.kind {
        MouseEventKind::ScrollDown => Some(Action::Wheel {
            column,
            row,
            delta: 1,
        }),
        MouseEventKind::ScrollUp => Some(Action::Wheel {
            column,
            row,
            delta: -1,
        }),
        MouseEventKind::Down(_) => Some(Action::Click { column, row }),
        MouseEventKind::Drag(_) => Some(Action::Drag { column, row }),
        _ => None,
    }
}
