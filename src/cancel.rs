//! Cancelling a long operation (an import of many files, re-tagging, an export): a flag the
//! side that wants to stop sets (`Esc` in the reader, Ctrl-c on the command line) and the
//! operation reads between its steps. An operation that sees it stops where it is without
//! leaving partial data: what it finished stays whole, what it was doing is rolled back.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A shared cancel flag; clones share it. The default is never cancelled (until `cancel`).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// A flag set from elsewhere, such as by a signal handler.
    pub fn from_flag(flag: Arc<AtomicBool>) -> Cancel {
        Cancel(flag)
    }

    /// Asks the operation to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl PartialEq for Cancel {
    /// Two flags are equal when they are one flag.
    fn eq(&self, other: &Cancel) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Cancel {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag() {
        let cancel = Cancel::new();
        let seen_by_the_worker = cancel.clone();
        assert!(!seen_by_the_worker.is_cancelled());
        cancel.cancel();
        assert!(seen_by_the_worker.is_cancelled());
        assert_eq!(cancel, seen_by_the_worker);
        assert_ne!(cancel, Cancel::new());
    }
}
