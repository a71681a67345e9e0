//! `jicha` subcommands: each parses its arguments, opens the dataset, and calls the same
//! domain functions the UI calls.

pub mod args;
#[doc(hidden)]
use crate::output::stream as output;
mod admin;
pub mod campaigns;
pub mod changes;
pub mod docs;
pub mod errors_zh;
pub mod escalation;
mod findings;
pub mod format;
pub mod help;
pub mod help_zh;
mod help_zh_qc;
mod help_zh_table;
pub mod inspections;
pub mod load;
mod log;
pub mod out;
pub mod qc;
pub mod quality;
mod report;
mod site_rules;
mod tickets;
pub mod units;
pub mod values;
mod whitelist;

use crate::actions::{self, Action};
use crate::context::{self, Ctx, Lang};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::text;
use args::*;
use clap::FromArgMatches;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs the command line; returns the process exit status of cli.md (0, 1 refused/failed, 2 usage).
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = help_zh::lang_of(&args);
    let cli = match parse(args) {
        Ok(c) => c,
        Err(e) => return ExitCode::from(usage_error(e, lang, &mut std::io::stderr(), true)),
    };
    ExitCode::from(execute(cli, &mut std::io::stderr()))
}

/// The command line parsed by the tree of [`args::command`] (its version line is made at run
/// time: it names the SQLite library linked).
fn parse<I, T>(args: I) -> std::result::Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let lang = help_zh::lang_of(&args);
    let matches = help_zh::in_lang(args::command(), lang).try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// The command line run inside this process, as `main` runs it for `args` (`args[0]` is the
/// program name): returns the exit status, the standard output and the standard error. For
/// tests and fuzzers; it never starts the terminal UI (no subcommand is a usage error here).
pub fn run_in_process<I, T>(args: I) -> (u8, Vec<u8>, Vec<u8>)
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let mut err = Vec::new();
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    let lang = help_zh::lang_of(&args);
    let (code, out) = output::capture(|| match parse(args) {
        Err(e) => usage_error(e, lang, &mut err, false),
        Ok(cli) if cli.command.is_none() => {
            let _ = writeln!(err, "jicha: run_in_process needs a subcommand");
            2
        }
        Ok(cli) => execute(cli, &mut err),
    });
    (code, out, err)
}

/// clap's message for bad usage (or `--help`/`--version`, exit 0), in `lang`. It quotes what
/// was typed, so it is made terminal-safe before it is printed.
fn usage_error(e: clap::Error, lang: Lang, err: &mut dyn Write, styled: bool) -> u8 {
    match lang {
        Lang::En => print_usage_error(&e, err, styled),
        Lang::Zh => print_usage_error(&e.apply::<errors_zh::ZhFormatter>(), err, styled),
    }
}

fn print_usage_error<F: clap::error::ErrorFormatter>(
    e: &clap::error::Error<F>,
    err: &mut dyn Write,
    styled: bool,
) -> u8 {
    let code = if e.use_stderr() { 2 } else { 0 };
    let plain = e.render().to_string();
    if styled && !plain.chars().any(|c| text::is_unsafe(c) && c != '\n') {
        let _ = e.print();
    } else if e.use_stderr() {
        let _ = write!(err, "{}", text::sanitize(&plain));
    } else {
        let _ = write!(output::stdout(), "{}", text::sanitize(&plain));
    }
    code
}

fn execute(cli: Cli, err: &mut dyn Write) -> u8 {
    output::set_raw(cli.global.raw);
    // An unknown `--lang` is itself the error, and is said in English.
    let lang = match Lang::detect(cli.global.lang_str()) {
        Ok(_) => help_zh::lang_for(cli.global.lang_str()),
        Err(_) => Lang::En,
    };
    match ui_options_only_for_the_ui(&cli).and_then(|()| run(cli)) {
        Ok(()) => 0,
        // The reader went away (`jicha findings | head`): what it asked for it has; a change
        // the command made stands. Nothing to report.
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            // Error text can carry data (a customer number from a CSV): make it safe. Parts
            // quoted by the import are escaped already, and an import error is one line per
            // problem: `sanitize` keeps both as they are.
            let msg = e.text(lang);
            let _ = writeln!(err, "jicha: {}", text::sanitize(&msg));
            match e {
                JichaError::Usage(_) => 2,
                _ => 1,
            }
        }
    }
}

fn is_broken_pipe(e: &JichaError) -> bool {
    matches!(e, JichaError::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// `--keymap` and `--ascii` before a subcommand would be ignored in silence: refused instead.
fn ui_options_only_for_the_ui(cli: &Cli) -> Result<()> {
    if cli.command.is_none() {
        return Ok(());
    }
    let lang = Lang::detect(cli.global.lang_str())?;
    for (given, option) in [
        (cli.global.keymap.is_some(), "--keymap"),
        (cli.global.ascii, "--ascii"),
    ] {
        if given {
            return Err(JichaError::Usage(crate::i18n::cli::say(
                lang,
                crate::i18n::cli::Msg::UiOptionsNeedUi,
                &[("option", &option)],
            )));
        }
    }
    Ok(())
}

/// The settings of this run: flags over environment over config files (`config`). `run`
/// resolves them before any command, so a bad config file is refused at start.
fn settings(g: &Global) -> &crate::config::Settings {
    g.settings
        .as_ref()
        .expect("cli::run resolves the settings before running a command")
}

/// The business date's clock: `--today`, else the date now in the configured timezone.
fn clock(g: &Global) -> context::BusinessClock {
    context::BusinessClock::new(g.today, settings(g).timezone)
}

struct Session {
    ds: Dataset,
    ctx: Ctx,
}

/// Opens the configured dataset; with none configured anywhere, the demo dataset (built on
/// first use), saying so on stderr.
fn open(g: &Global) -> Result<Session> {
    let path = dataset_path(g)?;
    if settings(g).is_demo() {
        eprintln!("{}", demo_note(g, &path));
    }
    session(g, Dataset::open(&path)?)
}

fn dataset_path(g: &Global) -> Result<PathBuf> {
    let st = settings(g);
    if st.is_demo() {
        ensure_demo_dataset(g)
    } else {
        Ok(st.db.clone())
    }
}

fn demo_note(g: &Global, path: &std::path::Path) -> String {
    let path = text::escape(&path.display().to_string()).into_owned();
    match settings(g).lang {
        Lang::Zh => format!(
            "jicha: 使用演示数据 {path}（未配置数据集：--db、$JICHA_DB 或 config.toml 中的 db）"
        ),
        Lang::En => format!(
            "jicha: using the demo dataset {path} (no dataset configured: --db, $JICHA_DB or db in config.toml)"
        ),
    }
}

fn session(g: &Global, ds: Dataset) -> Result<Session> {
    let operator = context::resolve_operator(g.operator.as_deref())?;
    let lang = settings(g).lang;
    let today = clock(g).today();
    let role = context::role_of(&ds.conn, &operator)?;
    let unit = context::unit_of(&ds.conn, &operator)?;
    Ok(Session {
        ds,
        ctx: Ctx {
            unit,
            operator,
            role,
            today,
            lang,
        },
    })
}

/// Creates the dataset at `path` atomically with `fill` as its first content (see
/// `Dataset::create_with`); the caller (its creator) becomes its first admin and `fill` runs
/// with that role. None when another process's dataset was there first.
fn create_dataset<T>(
    g: &Global,
    path: &std::path::Path,
    fill: impl FnOnce(&mut Dataset, &Ctx) -> Result<T>,
) -> Result<Option<T>> {
    let creator = context::resolve_operator(g.operator.as_deref())?;
    let lang = settings(g).lang;
    let today = clock(g).today();
    let created = Dataset::create_with(path, &creator, &context::now_utc(), |ds| {
        let ctx = Ctx {
            unit: None,
            operator: creator.clone(),
            role: context::role_of(&ds.conn, &creator)?,
            today,
            lang,
        };
        fill(ds, &ctx)
    })?;
    if created.is_some() {
        let path = text::escape(&path.display().to_string()).into_owned();
        let line = crate::i18n::cli::say(
            lang,
            crate::i18n::cli::Msg::CreatedDataset,
            &[("path", &path), ("admin", &creator)],
        );
        eprintln!("{line}");
    }
    Ok(created)
}

/// `jicha import`. The first import onto a path that does not exist yet creates the dataset
/// with that import in it, all or nothing: a failed first import leaves no dataset behind.
/// When another process creates it meanwhile, the import goes into theirs.
fn import_cmd(
    g: &Global,
    dir: &std::path::Path,
    format: Format,
    options: crate::import::ImportOptions,
) -> Result<()> {
    let started = std::time::Instant::now();
    let result = import_into(g, dir, format, options);
    match &result {
        Ok(rows) => crate::diag::timed("import", *rows, started),
        Err(e) => tracing::warn!(
            target: "jicha::import",
            dir = %dir.display(),
            "import refused: {}",
            e.to_string().lines().next().unwrap_or("")
        ),
    }
    result.map(|_| ())
}

/// The import itself; the rows read in all.
fn import_into(
    g: &Global,
    dir: &std::path::Path,
    format: Format,
    options: crate::import::ImportOptions,
) -> Result<u64> {
    let st = settings(g);
    if st.is_demo() {
        return Err(JichaError::Usage(demo_import_refusal(st.lang, &st.db)));
    }
    let path = st.db.clone();
    let first = create_dataset(g, &path, |ds, ctx| {
        crate::import::import_dir_with(ds, ctx, dir, options, &mut progress_line())
    })?;
    let summary = match first {
        Some(summary) => summary,
        None => {
            let mut s = session(g, Dataset::open(&path)?)?;
            crate::import::import_dir_with(&mut s.ds, &s.ctx, dir, options, &mut progress_line())?
        }
    };
    clear_progress();
    load::print_import(&summary, format, settings(g).lang)?;
    Ok(summary.files.iter().map(|f| f.rows).sum())
}

/// An import never goes into the demo dataset by default: a job that forgot `--db` would
/// otherwise load the real export into a private demo.
fn demo_import_refusal(lang: Lang, demo: &std::path::Path) -> String {
    let demo = text::escape(&demo.display().to_string()).into_owned();
    match lang {
        Lang::Zh => format!(
            "import: 未配置数据集；用 --db PATH（或 $JICHA_DB、config.toml 中的 db）指定导入的数据集。演示数据 {demo} 只在明确指定时导入：--db {demo}"
        ),
        Lang::En => format!(
            "import: no dataset is configured; name the one to import into with --db PATH (or $JICHA_DB, or db in config.toml). The demo dataset {demo} is imported into only when named: --db {demo}"
        ),
    }
}

fn run(cli: Cli) -> Result<()> {
    let mut g = cli.global;
    let st = crate::config::Settings::load(&crate::config::Flags {
        db: g.db.clone(),
        lang: g.lang_str().map(str::to_string),
        keymap: g.keymap.clone(),
        ascii: g.ascii,
        log_dir: g.log_dir.clone(),
    })?;
    crate::diag::init(
        g.log_level,
        st.log_dir.as_deref(),
        cli.command.is_none(),
        st.lang,
    )?;
    g.settings = Some(st);
    let Some(command) = cli.command else {
        return run_ui(&g);
    };
    let name = format!("{command:?}");
    let name = name.split([' ', '(', '{']).next().unwrap_or("").to_string();
    let started = std::time::Instant::now();
    let result = run_command(g, command);
    tracing::info!(
        target: "jicha::command",
        ms = started.elapsed().as_millis() as u64,
        ok = result.is_ok(),
        "{name}"
    );
    result
}

/// `jicha demo`: a demo export into `out`.
fn demo_plain(
    g: &Global,
    out: &Path,
    customers: u64,
    months: u32,
    seed: u64,
    end: Option<String>,
) -> Result<()> {
    let end_period = end.unwrap_or_else(|| crate::demo::default_end_period(clock(g).today()));
    let opts = crate::demo::DemoOptions {
        customers,
        months,
        seed,
        end_period,
    };
    // `demo` never touches a dataset: under a setgid install it writes as the user.
    crate::privilege::drop_for_good()?;
    let summary = crate::demo::write_demo(out, &opts, &mut progress_line())?;
    clear_progress();
    writeln!(output::stdout(), "{}", summary.text(settings(g).lang))?;
    Ok(())
}

/// `jicha demo --delta`: the next night's export of `from`.
fn demo_delta(g: &Global, from: &Path, out: &Path, seed: u64, edit_ratio: f64) -> Result<()> {
    let opts = crate::demo::DeltaOptions { seed, edit_ratio };
    // Like `demo`, it never touches a dataset.
    crate::privilege::drop_for_good()?;
    let summary = crate::demo::write_delta(from, out, &opts, &mut progress_line())?;
    clear_progress();
    writeln!(output::stdout(), "{}", summary.text(settings(g).lang))?;
    Ok(())
}

fn run_command(g: Global, command: Command) -> Result<()> {
    let out_file = out::begin(&command)?;
    let result = match command {
        Command::Demo {
            out,
            seed,
            delta: true,
            from,
            edit_ratio,
            ..
        } => demo_delta(&g, &from.unwrap_or_default(), &out, seed, edit_ratio),
        Command::Demo {
            out,
            customers,
            months,
            seed,
            end,
            ..
        } => demo_plain(&g, &out, customers, months, seed, end),
        Command::Import {
            dir,
            format,
            encoding,
            full,
            ..
        } => import_cmd(
            &g,
            &dir,
            format,
            crate::import::ImportOptions {
                encoding,
                delta: !full,
            },
        ),
        Command::Scan {
            as_of,
            format,
            full,
            ..
        } => load::scan_cmd(&g, as_of, format, full),
        Command::Findings(a) => findings::list_findings(&open(&g)?, a),
        Command::Finding { verb } => findings::finding(&mut open(&g)?, verb),
        Command::Whitelist { verb } => whitelist::whitelist_cmd(&mut open(&g)?, verb),
        Command::Ticket { verb } => tickets::ticket_cmd(&mut open(&g)?, verb),
        Command::Report {
            from,
            to,
            unit,
            format,
            ..
        } => report::report_cmd(&open(&g)?, from, to, unit.as_deref(), format),
        Command::Thresholds { verb } => admin::thresholds_cmd(&mut open(&g)?, verb),
        Command::Operator { verb } => admin::operator_cmd(&mut open(&g)?, verb),
        Command::Rules {
            verb:
                RulesVerb::Test {
                    file,
                    export_dir,
                    as_of,
                },
        } => site_rules::test_cmd(settings(&g).lang, &file, &export_dir, as_of),
        Command::Rules { verb } => site_rules::rules_cmd(&mut open(&g)?, verb),
        Command::Log {
            limit,
            all,
            format,
            verb,
            ..
        } => {
            let limit = if all { -1 } else { limit };
            log::log_cmd(&mut open(&g)?, limit, format, verb)
        }
        Command::Backup(a) => {
            crate::backup::cli(a, settings(&g).lang, || open(&g).map(|s| (s.ds, s.ctx)))
        }
        Command::Completions { shell } => docs::completions(shell),
        Command::Man { out } => docs::man(&out, settings(&g).lang),
        Command::Quality(a) => quality::run(&g, quality::Invocation::Quality(a)),
        Command::Theme(a) => quality::run(&g, quality::Invocation::Theme(a)),
        Command::Escalation { verb } => escalation::escalation_cmd(&mut open(&g)?, verb),
        Command::Inspection { verb } => inspections::inspection_cmd(&mut open(&g)?, verb),
        Command::Unit { verb } => units::unit_cmd(&open(&g)?, verb),
        Command::Campaign { verb } => campaigns::campaign_cmd(&mut open(&g)?, verb),
        Command::Sample(a) => campaigns::sample_cmd(&mut open(&g)?, a),
        Command::Deduction { verb } => qc::deduction_cmd(&mut open(&g)?, verb),
        Command::Qc { verb } => qc::qc_cmd(&mut open(&g)?, verb),
        Command::Changes {
            since,
            file,
            cust,
            format,
        } => changes::changes_cmd(&open(&g)?, since.as_deref(), file, cust, format),
    };
    out::end(out_file, result)
}

fn perform(s: &mut Session, action: Action) -> Result<()> {
    let outcome = actions::perform(&mut s.ds, &s.ctx, &action)?;
    print_outcome(&outcome, s.ctx.lang);
    Ok(())
}

/// The one line that says what a committed change did. The change stands whatever happens to
/// stdout (a closed pipe), so a failed write does not turn it into a reported failure.
fn print_outcome(outcome: &actions::Outcome, lang: Lang) {
    let _ = writeln!(output::stdout(), "{}", text::escape(&outcome.text(lang)));
}

/// A CSV writer's error; a failed write to stdout keeps its kind (a closed pipe is quiet).
fn csv_err(e: csv::Error) -> JichaError {
    crate::output::table::csv_err(e)
}

/// `jicha` with no subcommand: the terminal UI.
fn run_ui(g: &Global) -> Result<()> {
    let st = settings(g);
    let keymap = st.keymap.clone();
    // A bad keymap is a usage error, reported before the terminal is touched.
    crate::ui::load_keymap(&keymap, None).map_err(JichaError::Usage)?;
    // The header says when this is the demo dataset; nothing is printed under the screen.
    let s = session(g, Dataset::open(&dataset_path(g)?)?)?;
    let path = s.ds.path.clone();
    let ctx = s.ctx.clone();
    drop(s);
    let opts = crate::ui::UiOptions {
        keymap,
        keymap_override: None,
        ascii: st.ascii,
        demo: st.is_demo(),
        clock: Some(clock(g)),
        scan: Some(std::sync::Arc::new(load::scan_for_ui)),
    };
    // A refusal of jicha's own (the dataset, the keymap) keeps its kind, so it is said in the
    // operator's language; only the terminal's own I/O errors stay the system's words.
    crate::ui::run(&path, ctx, opts).map_err(|e| match e.downcast::<JichaError>() {
        Ok(own) => own,
        Err(e) => JichaError::Dataset(format!("{e:#}")),
    })
}

/// A one-line progress display on stderr when it is a terminal; silent otherwise (cron, pipes).
fn progress_line() -> impl FnMut(&crate::progress::Progress) -> std::ops::ControlFlow<()> {
    use std::io::IsTerminal;
    let show = std::io::stderr().is_terminal();
    let mut last = std::time::Instant::now();
    move |p| {
        if show && last.elapsed() > std::time::Duration::from_millis(200) {
            last = std::time::Instant::now();
            let pct = match (p.done * 100).checked_div(p.total) {
                Some(pct) => format!("{pct:>3}%"),
                None => p.done.to_string(),
            };
            eprint!("\r\x1b[K{} {pct}", text::escape(&p.stage));
        }
        std::ops::ControlFlow::Continue(())
    }
}

fn clear_progress() {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[K");
    }
}

/// The bundled demo dataset, built on first use: a 5,000-customer demo export for the 12 months
/// before the business date, imported and scanned as of that date, all in the dataset's
/// temporary file (see `create_dataset`), so an interrupted first run leaves nothing half made.
fn ensure_demo_dataset(g: &Global) -> Result<PathBuf> {
    let path = crate::config::demo_db_path();
    if std::fs::symlink_metadata(&path).is_ok() {
        return Ok(path);
    }
    let today = clock(g).today();
    let dir = path
        .parent()
        .expect("demo path has a directory")
        .to_path_buf();
    let shown = text::escape(&path.display().to_string()).into_owned();
    let line = crate::i18n::cli::say(
        settings(g).lang,
        crate::i18n::cli::Msg::BuildingDemo,
        &[("path", &shown)],
    );
    eprintln!("jicha: {line}");
    let opts = crate::demo::DemoOptions {
        customers: 5000,
        months: 12,
        seed: 1,
        end_period: crate::demo::default_end_period(today),
    };
    std::fs::create_dir_all(&dir)?;
    // Each first run writes its own export: two at once must not write the same files.
    let export = dir.join(format!(".export-{}", std::process::id()));
    let built = (|| {
        crate::demo::write_demo(&export, &opts, &mut crate::progress::silent)?;
        create_dataset(g, &path, |ds, ctx| {
            crate::import::import_dir(ds, ctx, &export, &mut crate::progress::silent)?;
            crate::scan::run_scan(ds, ctx, today, &mut crate::progress::silent)?;
            Ok(())
        })
    })();
    let _ = std::fs::remove_dir_all(&export);
    // None: another first run finished first, and its dataset is used.
    built?;
    Ok(path)
}
