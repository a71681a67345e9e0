//! One generic loader for every query that reads more than a screenful (gitui's
//! `AsyncSingleJob`): a screen asks for a slot of its own ("ids", "trend", …) with a closure
//! over a read connection; the worker thread runs only the newest job of each slot; an answer
//! that a newer request has overtaken is dropped here; `loading` tells a screen to show "…".

use super::screen::ScreenId;
use super::worker::{JobAnswer, JobFn, JobRequest, QueryThread};
use crate::context::Lang;
use crate::db::Dataset;
use crate::ui::i18n::Msg;
use std::any::Any;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
use std::time::Duration;

/// Who asked: a screen, or the router for the data the header and several screens share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    Shared,
    Screen(ScreenId),
}

/// One slot of answers: a newer request for the same key replaces an older one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LoadKey {
    pub owner: Owner,
    pub slot: &'static str,
}

/// An answer as it arrives: the job's `Result<T, String>`, boxed, and the operator's language.
pub struct Loaded(Box<dyn Any + Send>, Lang);

impl Loaded {
    /// The answer of a job made by `job::<T>`. A mismatched type is a programming error,
    /// reported as an error answer rather than a panic in front of an operator.
    pub fn take<T: 'static>(self) -> Result<T, String> {
        match self.0.downcast::<Result<T, String>>() {
            Ok(r) => *r,
            Err(_) => Err(format!(
                "{} {}",
                Msg::AnswerOfOtherType.text(self.1),
                std::any::type_name::<T>()
            )),
        }
    }
}

/// Wraps a query over a read connection into a job whose answer is `Result<T, String>`: the
/// error as the operator reads it.
pub fn job<T, F>(f: F) -> JobFn
where
    T: Send + 'static,
    F: FnOnce(&Dataset) -> crate::Result<T> + Send + 'static,
{
    Box::new(
        move |ds: Result<&Dataset, &str>, lang: Lang| -> Box<dyn Any + Send> {
            let r: Result<T, String> = match ds {
                Ok(ds) => f(ds).map_err(|e| e.text(lang)),
                Err(e) => Err(e.to_string()),
            };
            Box::new(r)
        },
    )
}

pub struct Loader {
    thread: QueryThread,
    /// The generation of the newest request per key.
    latest: BTreeMap<LoadKey, u64>,
    /// Keys asked and not answered yet.
    waiting: BTreeSet<LoadKey>,
    next_gen: u64,
    lang: Lang,
}

impl Loader {
    /// `lang`: the language errors are said in.
    pub fn start(db: &Path, lang: Lang) -> Loader {
        Loader {
            thread: QueryThread::start(db, lang),
            lang,
            latest: BTreeMap::new(),
            waiting: BTreeSet::new(),
            next_gen: 0,
        }
    }

    pub fn request(&mut self, key: LoadKey, run: JobFn) {
        self.next_gen += 1;
        self.latest.insert(key, self.next_gen);
        self.waiting.insert(key);
        self.thread.send(JobRequest {
            key,
            gen: self.next_gen,
            run,
        });
    }

    pub fn loading(&self, key: LoadKey) -> bool {
        self.waiting.contains(&key)
    }

    pub fn any_loading(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// The next answer that is still wanted, without waiting.
    pub fn try_next(&mut self) -> Option<(LoadKey, Loaded)> {
        loop {
            match self.thread.rx.try_recv() {
                Ok(a) => {
                    if let Some(x) = self.accept(a) {
                        return Some(x);
                    }
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return None,
            }
        }
    }

    /// Like `try_next`, waiting up to `timeout` for an answer (tests' `settle`).
    pub fn next_within(&mut self, timeout: Duration) -> Option<(LoadKey, Loaded)> {
        match self.thread.rx.recv_timeout(timeout) {
            Ok(a) => self.accept(a).or_else(|| self.try_next()),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Keeps an answer only when no newer request for its key was made since.
    fn accept(&mut self, a: JobAnswer) -> Option<(LoadKey, Loaded)> {
        if self.latest.get(&a.key) != Some(&a.gen) {
            return None;
        }
        self.waiting.remove(&a.key);
        Some((a.key, Loaded(a.value, self.lang)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    const KEY: LoadKey = LoadKey {
        owner: Owner::Shared,
        slot: "test",
    };

    /// A job that waits for `go` before answering `n`, so that newer requests queue behind it.
    fn gated(n: u32, go: mpsc::Receiver<()>) -> JobFn {
        Box::new(
            move |_ds: Result<&Dataset, &str>, _| -> Box<dyn Any + Send> {
                let _ = go.recv();
                Box::new(Ok::<u32, String>(n))
            },
        )
    }

    #[test]
    fn only_the_newest_request_of_a_slot_is_answered() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Loader::start(&dir.path().join("missing.jicha"), Lang::En);
        let (tx1, rx1) = mpsc::channel();
        l.request(KEY, gated(1, rx1));
        // 2 and 3 wait in the queue while 1 runs; 3 replaces 2 there and 1 is overtaken.
        let (tx2, rx2) = mpsc::channel();
        l.request(KEY, gated(2, rx2));
        let (tx3, rx3) = mpsc::channel();
        l.request(KEY, gated(3, rx3));
        assert!(l.loading(KEY));
        for tx in [tx1, tx2, tx3] {
            let _ = tx.send(());
        }
        let mut got = Vec::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while l.loading(KEY) && std::time::Instant::now() < deadline {
            if let Some((k, a)) = l.next_within(Duration::from_millis(20)) {
                assert_eq!(k, KEY);
                got.push(a.take::<u32>().unwrap());
            }
        }
        assert_eq!(got, vec![3]);
        assert!(!l.any_loading());
    }

    #[test]
    fn a_job_sees_why_the_dataset_could_not_be_opened() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Loader::start(&dir.path().join("missing.jicha"), Lang::En);
        l.request(KEY, job(|_ds| Ok(1u8)));
        let mut answer = None;
        while answer.is_none() {
            answer = l.next_within(Duration::from_millis(50));
        }
        let e = answer.unwrap().1.take::<u8>().unwrap_err();
        assert!(e.contains("no such dataset"), "{e}");
        // A wrong type is an error answer, not a panic.
        l.request(KEY, job(|_ds| Ok(1u8)));
        let mut answer = None;
        while answer.is_none() {
            answer = l.next_within(Duration::from_millis(50));
        }
        assert!(answer.unwrap().1.take::<String>().is_err());
    }

    #[test]
    fn a_job_says_why_in_the_operators_language() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Loader::start(&dir.path().join("missing.jicha"), Lang::Zh);
        l.request(KEY, job(|_ds| Ok(1u8)));
        let mut answer = None;
        while answer.is_none() {
            answer = l.next_within(Duration::from_millis(50));
        }
        let e = answer.unwrap().1.take::<u8>().unwrap_err();
        assert!(e.contains("没有这个数据集"), "{e}");
        // A query's own refusal, and a mismatched answer, are said in Chinese too.
        let db = dir.path().join("d.jicha");
        drop(Dataset::create(&db, "tester", "2026-01-01T00:00:00Z").unwrap());
        let mut l = Loader::start(&db, Lang::Zh);
        l.request(
            KEY,
            job(|_ds| -> crate::Result<u8> { Err(crate::JichaError::Cancelled) }),
        );
        let mut answer = None;
        while answer.is_none() {
            answer = l.next_within(Duration::from_millis(50));
        }
        let e = answer.unwrap().1.take::<u8>().unwrap_err();
        assert_eq!(e, "已取消；未写入任何内容");
        let wrong = Loaded(Box::new(Ok::<u8, String>(1)), Lang::Zh).take::<String>();
        assert!(wrong.unwrap_err().starts_with("内部错误"));
    }
}
