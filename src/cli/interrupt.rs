//! Ctrl-c on the command line: the first one cancels the long operation under way (an import,
//! an export), which stops without leaving partial data and says what it did; a second one
//! ends pizhu at once, as Ctrl-c usually does.

use crate::cancel::Cancel;
use signal_hook::consts::SIGINT;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

/// The exit code of a command cancelled with Ctrl-c (128 + SIGINT, as shells report it).
pub fn cancelled() -> ExitCode {
    ExitCode::from(130)
}

/// The process's cancel flag, which Ctrl-c sets (the handlers are installed on first use).
/// If they cannot be installed, Ctrl-c keeps its usual effect (the process ends; every change
/// is one transaction, so nothing is half written either way).
pub fn ctrl_c() -> Cancel {
    static FLAG: OnceLock<Cancel> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        // Installed first, so it sees the flag before the second handler sets it: a Ctrl-c
        // when the flag is already set ends the process.
        let second =
            signal_hook::flag::register_conditional_shutdown(SIGINT, 130, Arc::clone(&flag));
        if second.is_ok() {
            let _ = signal_hook::flag::register(SIGINT, Arc::clone(&flag));
        }
        Cancel::from_flag(flag)
    })
    .clone()
}
