//! The run's error list: every error is counted, the first `MAX_SHOWN` are kept as text.

/// How many error lines an operator sees; the rest are counted.
pub const MAX_SHOWN: usize = 50;

#[derive(Debug, Default)]
pub struct Errors {
    shown: Vec<String>,
    total: u64,
}

impl Errors {
    /// Records an error; the message is only formatted while it will be shown.
    pub fn add(&mut self, message: impl FnOnce() -> String) {
        self.total += 1;
        if self.shown.len() < MAX_SHOWN {
            self.shown.push(message());
        }
    }

    /// Records an error formatted elsewhere (by the reader thread), which formats it only
    /// while it may still be shown: `None` stands for one that cannot be.
    pub fn add_formatted(&mut self, message: Option<String>) {
        self.total += 1;
        if self.shown.len() < MAX_SHOWN {
            debug_assert!(
                message.is_some(),
                "an error that will be shown was not formatted"
            );
            self.shown.extend(message);
        }
    }

    /// Errors recorded so far, shown or not.
    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub fn into_lines(mut self) -> Vec<String> {
        let hidden = self.total - self.shown.len() as u64;
        if hidden > 0 {
            self.shown.push(format!("… and {hidden} more errors"));
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
        let lines = e.into_lines();
        assert_eq!(lines.len(), MAX_SHOWN + 1);
        assert_eq!(lines[49], "e49");
        assert_eq!(lines[50], "… and 3 more errors");
    }
}
