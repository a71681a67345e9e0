//! How the terminal UI answers on a big dataset, without a terminal: time to the first frame,
//! time per key (handle + pick up answers + draw) while scrolling and typing a filter, and the
//! process's peak memory. Run by hand in release (BENCHMARKS.md):
//!
//!     cargo run --release --example ui_bench -- /work/s1m.jicha 2026-11-24

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jicha::context::{Ctx, Lang, Role};
use jicha::ui::screen::findings::Findings;
use jicha::ui::{app::App, render, theme::Theme};
use ratatui::{backend::TestBackend, Terminal};
use std::time::{Duration, Instant};

fn key(c: KeyCode) -> Event {
    Event::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

struct Lat(Vec<Duration>);
impl Lat {
    fn report(&mut self, what: &str) {
        self.0.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let n = self.0.len();
        println!(
            "{what:<34} keys {n:>5}  median {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
            ms(self.0[n / 2]),
            ms(self.0[(n * 99 / 100).min(n - 1)]),
            ms(self.0[n - 1])
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let db = std::path::PathBuf::from(args.get(1).expect("usage: ui_bench DATASET [TODAY]"));
    let today =
        jicha::dates::parse_date(args.get(2).map_or("2026-11-24", String::as_str)).expect("date");
    let ctx = Ctx {
        unit: None,
        operator: "bench".into(),
        role: Role::Auditor,
        today,
        lang: Lang::En,
    };
    let (w, h) = (80, 24);
    let start = Instant::now();
    let keymap = jicha::ui::load_keymap("default", None).expect("keymap");
    let mut app = App::new(db, ctx, keymap, Theme::new(true, false), None).expect("open");
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.resize(w, h);
    app.tick();
    term.draw(|f| render::draw(f, &app)).unwrap();
    println!(
        "first frame after start: {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    let t = Instant::now();
    app.settle();
    println!(
        "dashboard and list filled in by the worker: {:.0} ms later",
        t.elapsed().as_secs_f64() * 1000.0
    );

    let mut step = |app: &mut App, ev: Event| {
        let t = Instant::now();
        app.handle(ev);
        app.tick();
        term.draw(|f| render::draw(f, app)).unwrap();
        t.elapsed()
    };
    step(&mut app, key(KeyCode::Char('2')));
    app.settle();
    if let Some(n) = app.screen_state::<Findings>().and_then(Findings::total) {
        println!("findings in the open queue: {n}");
    }
    let mut lat = Lat((0..2000)
        .map(|_| step(&mut app, key(KeyCode::Char('j'))))
        .collect());
    lat.report("scroll down one row (j)");
    let mut lat = Lat((0..500)
        .map(|_| step(&mut app, key(KeyCode::PageDown)))
        .collect());
    lat.report("page down");
    let mut lat = Lat(vec![
        step(&mut app, key(KeyCode::End)),
        step(&mut app, key(KeyCode::Home)),
    ]);
    lat.report("last / first row (G, g)");

    // Typing a filter: each key answers at once (the list shows "…"), the worker filters.
    step(&mut app, key(KeyCode::Char('/')));
    let mut lat = Lat("杭州宏发"
        .chars()
        .map(|c| step(&mut app, key(KeyCode::Char(c))))
        .collect());
    lat.report("type a filter (per key)");
    let t = Instant::now();
    step(&mut app, key(KeyCode::Enter));
    app.settle();
    println!(
        "filter answered by the worker: {:.0} ms, {} findings",
        t.elapsed().as_secs_f64() * 1000.0,
        app.screen_state::<Findings>()
            .and_then(Findings::total)
            .unwrap_or(0)
    );
    println!("peak memory (VmHWM): {:.1} MiB", peak_rss_mib());
}
