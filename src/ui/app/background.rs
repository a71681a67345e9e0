//! What arrives between keys: the loader's and the writer's answers, the scan job, and other
//! operators' changes (polled with `PRAGMA data_version`).

use super::{App, POLL_EVERY};
use crate::thresholds::Thresholds;
use crate::ui::i18n::Msg;
use crate::ui::screen::Tone;
use crate::ui::worker::Job;
use std::time::{Duration, Instant};

impl App {
    /// Applies whatever the loader, the writer and the scan job have answered, and picks up
    /// other operators' changes. Called by the run loop between keys.
    pub fn tick(&mut self) {
        while let Some((key, answer)) = self.loader.try_next() {
            self.take_answer(key, answer);
        }
        while let Ok(a) = self.writer.rx.try_recv() {
            self.apply_write_answer(a);
        }
        self.poll_job();
        if self.last_poll.elapsed() >= POLL_EVERY {
            self.last_poll = Instant::now();
            let v = self.ds.data_version();
            if v != self.data_version {
                self.data_version = v;
                self.refresh();
            }
        }
        self.sync();
    }

    /// Blocks until every query asked of the loader and the change given to the writer are
    /// answered (tests, and nothing else).
    pub fn settle(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.pending.is_some() {
                if let Ok(a) = self.writer.rx.recv_timeout(Duration::from_millis(20)) {
                    self.apply_write_answer(a);
                }
            }
            if !self.loading() || Instant::now() >= deadline {
                break;
            }
            if let Some((key, answer)) = self.loader.next_within(Duration::from_millis(20)) {
                self.take_answer(key, answer);
            }
        }
        self.sync();
    }

    /// Some query or the pending change is not answered yet.
    pub(super) fn loading(&self) -> bool {
        self.pending.is_some() || self.loader.any_loading()
    }

    /// Cheap upkeep after every event: each screen's `sync` (the findings window).
    pub(super) fn sync(&mut self) {
        self.each_screen(|s, cx| s.sync(cx));
    }

    /// Waits for a running scan to finish (tests).
    pub fn wait_job(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.job.is_some() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            self.poll_job();
        }
        self.settle();
    }

    pub(super) fn poll_job(&mut self) {
        let Some(job) = &self.job else { return };
        match job.done.try_recv() {
            Ok(result) => {
                self.job = None;
                match result {
                    Ok(summary) => self.set_status(Tone::Info, &summary),
                    Err(e) => self.set_status(Tone::Error, &e),
                }
                self.refresh();
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.job = None;
                let m = self.t(Msg::ScanStopped);
                self.set_status(Tone::Error, m);
            }
        }
    }

    /// Everything again, keeping the cursor on the same finding.
    pub fn refresh(&mut self) {
        if let Ok(t) = Thresholds::load(&self.ds.conn) {
            self.shared.thresholds = t;
        }
        let shown = self.screen;
        self.each_screen(|s, cx| s.refresh(cx.me == shown, cx));
        self.request_shared();
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.sync();
    }

    pub(super) fn start_scan(&mut self) {
        if self.job.is_some() {
            let m = self.t(Msg::ScanAlreadyRunning);
            self.set_status(Tone::Info, m);
            return;
        }
        if let Err(e) = self.ctx.require(crate::context::Role::Auditor, "scan") {
            self.set_status(Tone::Error, &e.to_string());
            return;
        }
        match &self.scan {
            Some(f) => {
                self.job = Some(Job::start(
                    f.clone(),
                    self.ds.path.clone(),
                    self.ctx.clone(),
                ));
            }
            None => {
                let m = self.t(Msg::ScanNotConnected);
                self.set_status(Tone::Error, m);
            }
        }
    }
}
