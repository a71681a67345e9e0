//! The run's error and warning lists: every entry is counted, the first `MAX_SHOWN` are kept as
//! text, so a file with millions of bad rows or unknown columns costs a count, not memory.

/// How many error (and warning) lines an operator sees; the rest are counted.
pub const MAX_SHOWN: usize = 50;

#[derive(Debug, Default, Clone)]
pub struct Capped {
    shown: Vec<String>,
    total: u64,
}

/// The run's errors; any one makes the import write nothing.
pub type Errors = Capped;
/// The run's warnings (ignored files and columns).
pub type Warnings = Capped;

impl Capped {
    /// Records an entry; the message is only formatted while it will be shown.
    pub fn add(&mut self, message: impl FnOnce() -> String) {
        self.total += 1;
        if self.shown.len() < MAX_SHOWN {
            self.shown.push(message());
        }
    }

    /// Records an entry formatted elsewhere (by the reader thread), which formats it only
    /// while it may still be shown: `None` stands for one that cannot be.
    pub fn add_formatted(&mut self, message: Option<String>) {
        self.total += 1;
        if self.shown.len() < MAX_SHOWN {
            debug_assert!(
                message.is_some(),
                "an entry that will be shown was not formatted"
            );
            self.shown.extend(message);
        }
    }

    /// Records an entry that is shown even past the cap: why reading stopped must be seen.
    pub fn add_always(&mut self, message: String) {
        self.total += 1;
        self.shown.push(message);
    }

    /// Counts `n` entries that are never shown.
    pub fn add_unshown(&mut self, n: u64) {
        self.total += n;
    }

    /// Entries recorded so far, shown or not.
    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The shown lines, then `more(N)` (`… and N more errors`) when N were not shown.
    pub fn into_lines(mut self, more: impl FnOnce(u64) -> String) -> Vec<String> {
        let hidden = self.total - self.shown.len() as u64;
        if hidden > 0 {
            self.shown.push(more(hidden));
        }
        self.shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_and_counts() {
        let mut e = Errors::default();
        for i in 0..53 {
            e.add(|| format!("e{i}"));
        }
        let lines = e.into_lines(|n| format!("… and {n} more errors"));
        assert_eq!(lines.len(), MAX_SHOWN + 1);
        assert_eq!(lines[49], "e49");
        assert_eq!(lines[50], "… and 3 more errors");
    }

    #[test]
    fn an_always_shown_entry_comes_before_the_count() {
        let mut w = Warnings::default();
        for i in 0..60 {
            w.add(|| format!("w{i}"));
        }
        w.add_always("stop".into());
        w.add_unshown(5);
        let lines = w.into_lines(|n| format!("… and {n} more warnings"));
        assert_eq!(lines.len(), MAX_SHOWN + 2);
        assert_eq!(lines[MAX_SHOWN], "stop");
        assert_eq!(lines[MAX_SHOWN + 1], "… and 15 more warnings");
    }
}
