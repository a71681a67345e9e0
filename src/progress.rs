//! Progress and cancellation for long work (import, scan), shared by the CLI and the UI's
//! background jobs: the callback sees how far the work is and may answer `Break` to cancel it.

use std::ops::ControlFlow;

#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// What is being done now, e.g. `bills.csv` or `BIL rules`.
    pub stage: String,
    pub done: u64,
    /// 0 when unknown.
    pub total: u64,
}

pub type Callback<'a> = &'a mut dyn FnMut(&Progress) -> ControlFlow<()>;

/// A callback that never cancels and shows nothing.
pub fn silent(_: &Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}
