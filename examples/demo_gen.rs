//! Times the demo export: `cargo run --release --example demo_gen -- OUT CUSTOMERS [MONTHS]`.
use jicha::demo::{write_demo, DemoOptions};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = std::path::PathBuf::from(args.get(1).map_or("/tmp/jicha-demo", |s| s.as_str()));
    let customers = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5000);
    let months = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(12);
    let opts = DemoOptions {
        customers,
        months,
        seed: 1,
        end_period: "2026-06".into(),
    };
    let start = Instant::now();
    let mut cb = |p: &jicha::progress::Progress| {
        if p.done.is_multiple_of(100_000) {
            eprintln!("{} {}/{}", p.stage, p.done, p.total);
        }
        std::ops::ControlFlow::Continue(())
    };
    let summary = write_demo(&out, &opts, &mut cb).expect("demo written");
    let secs = start.elapsed().as_secs_f64();
    println!("{summary}");
    println!(
        "{:.2} s, {:.0} bill rows/s, {:.0} customers/s",
        secs,
        summary.bills as f64 / secs,
        summary.customers as f64 / secs
    );
}
