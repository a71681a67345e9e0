//! `JICHA_SCAN_PROFILE=1`: what each piece of a scan cost and where it ran, on stderr. Every
//! task of the rule pack (and the caller's serial phases) is one line: its name, the thread,
//! start and end (seconds since the scan began), and the thread's CPU time inside it. The
//! summary adds what a machine shared with other work cannot show by the wall clock: each
//! worker's busy and idle time, the longest task, the total, the ideal wall time on the
//! workers (serial phases + max(longest task, total / workers)) and the wall time this task
//! order would give with each task taking its measured CPU time (list scheduling replayed).

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Whether `JICHA_SCAN_PROFILE` asks for the profile.
pub fn enabled() -> bool {
    std::env::var("JICHA_SCAN_PROFILE").is_ok_and(|v| v.trim() == "1")
}

/// CPU time the calling thread has used.
pub fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant of the platform.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or(0),
        u32::try_from(ts.tv_nsec).unwrap_or(0),
    )
}

/// One measured piece of the scan.
#[derive(Debug, Clone)]
pub struct Span {
    pub name: String,
    /// `main` for the caller's thread, else the worker's number from 1.
    pub thread: String,
    pub start: Duration,
    pub end: Duration,
    pub cpu: Duration,
}

impl Span {
    fn wall(&self) -> Duration {
        self.end.saturating_sub(self.start)
    }

    fn serial(&self) -> bool {
        self.thread == "main"
    }

    fn task(&self) -> bool {
        self.thread.parse::<usize>().is_ok()
    }
}

/// The spans of one scan, collected from every thread (a lock taken once per task).
pub struct Profile {
    t0: Instant,
    spans: Mutex<Vec<Span>>,
}

impl Profile {
    pub fn new() -> Profile {
        Profile {
            t0: Instant::now(),
            spans: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` on the calling thread as the span `name` of `thread`.
    pub fn time<T>(&self, thread: &str, name: &str, f: impl FnOnce() -> T) -> T {
        let (start, cpu) = (self.t0.elapsed(), thread_cpu());
        let out = f();
        self.push(Span {
            name: name.to_string(),
            thread: thread.to_string(),
            start,
            end: self.t0.elapsed(),
            cpu: thread_cpu().saturating_sub(cpu),
        });
        out
    }

    /// The caller's thread handing the workers' hits to the sink while they run (since
    /// `listened`, with the thread's CPU clock at `cpu` then): not serial, not a task.
    pub fn push_sink(&self, listened: Instant, cpu: Duration) {
        self.push(Span {
            name: "hits to the sink, progress (while the workers run)".into(),
            thread: "sink".into(),
            start: listened.saturating_duration_since(self.t0),
            end: self.t0.elapsed(),
            cpu: thread_cpu().saturating_sub(cpu),
        });
    }

    fn push(&self, span: Span) {
        if let Ok(mut spans) = self.spans.lock() {
            spans.push(span);
        }
    }

    pub fn spans(&self) -> Vec<Span> {
        let mut spans = self.spans.lock().map(|s| s.clone()).unwrap_or_default();
        spans.sort_by_key(|s| s.start);
        spans
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The wall time of running `costs` in this order on `workers` workers, each taking the next
/// task when it is free (what the queue does).
pub fn replay(costs: &[Duration], workers: usize) -> Duration {
    let mut free = vec![Duration::ZERO; workers.max(1)];
    for c in costs {
        let next = free.iter_mut().min().expect("at least one worker");
        *next += *c;
    }
    free.into_iter().max().unwrap_or_default()
}

/// The profile as text: one line per span, then the summary.
pub fn report(spans: &[Span], workers: usize) -> String {
    let mut out = format!(
        "scan profile ({workers} workers)\n{:>8} {:>8} {:>8} {:>8}  {:<6} task\n",
        "start_s", "end_s", "wall_s", "cpu_s", "thread"
    );
    for s in spans {
        out.push_str(&format!(
            "{:>8.3} {:>8.3} {:>8.3} {:>8.3}  {:<6} {}\n",
            secs(s.start),
            secs(s.end),
            secs(s.wall()),
            secs(s.cpu),
            s.thread,
            s.name
        ));
    }
    let tasks: Vec<&Span> = spans.iter().filter(|s| s.task()).collect();
    let serial_cpu: Duration = spans.iter().filter(|s| s.serial()).map(|s| s.cpu).sum();
    let serial_wall: Duration = spans.iter().filter(|s| s.serial()).map(Span::wall).sum();
    let (Some(first), Some(last)) = (
        tasks.iter().map(|s| s.start).min(),
        tasks.iter().map(|s| s.end).max(),
    ) else {
        return out;
    };
    let window = last.saturating_sub(first);
    for w in 1..=workers {
        let mine: Vec<&&Span> = tasks.iter().filter(|s| s.thread == w.to_string()).collect();
        let busy: Duration = mine.iter().map(|s| s.wall()).sum();
        let cpu: Duration = mine.iter().map(|s| s.cpu).sum();
        out.push_str(&format!(
            "worker {w}: {} tasks, busy {:.3} s wall / {:.3} s cpu, idle {:.3} s of the {:.3} s the workers ran\n",
            mine.len(),
            secs(busy),
            secs(cpu),
            secs(window.saturating_sub(busy)),
            secs(window)
        ));
    }
    let total: Duration = tasks.iter().map(|s| s.cpu).sum();
    let longest = tasks.iter().max_by_key(|s| s.cpu).expect("some task");
    let ideal = serial_cpu
        + longest
            .cpu
            .max(total / u32::try_from(workers.max(1)).unwrap_or(1));
    let order: Vec<Duration> = tasks.iter().map(|s| s.cpu).collect();
    out.push_str(&format!(
        "tasks: {} cpu {:.3} s in all, longest {} {:.3} s; serial (main): {:.3} s cpu, {:.3} s wall\n",
        tasks.len(),
        secs(total),
        longest.name,
        secs(longest.cpu),
        secs(serial_cpu),
        secs(serial_wall)
    ));
    out.push_str(&format!(
        "by cpu time: one connection {:.3} s; ideal on {workers} workers {:.3} s (ratio {:.2}); this order replayed {:.3} s (ratio {:.2})\n",
        secs(serial_cpu + total),
        secs(ideal),
        secs(ideal) / secs(serial_cpu + total).max(1e-9),
        secs(serial_cpu + replay(&order, workers)),
        secs(serial_cpu + replay(&order, workers)) / secs(serial_cpu + total).max(1e-9),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn replay_takes_the_next_task_on_the_first_free_worker() {
        // Longest last leaves it alone at the end; longest first fills around it.
        assert_eq!(replay(&[ms(1), ms(1), ms(1), ms(1), ms(4)], 2), ms(6));
        assert_eq!(replay(&[ms(4), ms(1), ms(1), ms(1), ms(1)], 2), ms(4));
        assert_eq!(replay(&[ms(3), ms(2)], 1), ms(5));
    }

    #[test]
    fn the_thread_clock_counts_work_not_sleep() {
        let before = thread_cpu();
        std::thread::sleep(ms(30));
        let slept = thread_cpu().saturating_sub(before);
        let mut x = 0u64;
        let before = thread_cpu();
        for i in 0..20_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(std::hint::black_box(i));
        }
        std::hint::black_box(x);
        let worked = thread_cpu().saturating_sub(before);
        assert!(worked > slept, "worked {worked:?}, slept {slept:?}");
    }

    #[test]
    fn the_report_sums_the_workers_and_names_the_longest_task() {
        let span = |name: &str, thread: &str, start: u64, end: u64| Span {
            name: name.into(),
            thread: thread.into(),
            start: ms(start),
            end: ms(end),
            cpu: ms(end - start),
        };
        let spans = [
            span("setup", "main", 0, 10),
            span("bills, part 1", "1", 10, 410),
            span("CON-01", "2", 10, 210),
            span("ARC-01", "2", 210, 310),
        ];
        let text = report(&spans, 2);
        assert!(text.contains("worker 1: 1 tasks, busy 0.400 s"), "{text}");
        assert!(text.contains("worker 2: 2 tasks, busy 0.300 s"), "{text}");
        assert!(text.contains("idle 0.100 s"), "{text}");
        assert!(text.contains("longest bills, part 1 0.400 s"), "{text}");
        // One connection: 10 + 700 ms; ideal: 10 + max(400, 350).
        assert!(
            text.contains("one connection 0.710 s; ideal on 2 workers 0.410 s"),
            "{text}"
        );
    }
}
