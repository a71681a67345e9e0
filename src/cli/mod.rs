//! `jicha` subcommands: each parses its arguments, opens the dataset, and calls the same
//! domain functions the UI calls.

pub mod args;
#[doc(hidden)]
pub mod fuzz_args;
use crate::output::stream as output;
pub mod quality;

use crate::actions::{self, Action};
use crate::context::{self, Ctx, Lang};
use crate::db::Dataset;
use crate::error::{JichaError, Result};
use crate::findings::{self, Filter, SortKey, Suppressed};
use crate::{actionlog, dates, text, thresholds, tickets, whitelist};
use args::*;
use clap::Parser;
use output::{for_stdout, json_for_stdout, Table};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs the command line; returns the process exit status of cli.md (0, 1 refused/failed, 2 usage).
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return ExitCode::from(usage_error(&e, &mut std::io::stderr(), true)),
    };
    ExitCode::from(execute(cli, &mut std::io::stderr()))
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
    let (code, out) = output::capture(|| match Cli::try_parse_from(args) {
        Err(e) => usage_error(&e, &mut err, false),
        Ok(cli) if cli.command.is_none() => {
            let _ = writeln!(err, "jicha: run_in_process needs a subcommand");
            2
        }
        Ok(cli) => execute(cli, &mut err),
    });
    (code, out, err)
}

/// clap's message for bad usage (or `--help`/`--version`, exit 0). It quotes what was typed,
/// so it is made terminal-safe before it is printed.
fn usage_error(e: &clap::Error, err: &mut dyn Write, styled: bool) -> u8 {
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
    match run(cli) {
        Ok(()) => 0,
        Err(e) => {
            // Error text can carry data (a customer number from a CSV): make it safe. Parts
            // quoted by the import are escaped already, and an import error is one line per
            // problem: `sanitize` keeps both as they are.
            let msg = e.to_string();
            let _ = writeln!(err, "jicha: {}", text::sanitize(&msg));
            match e {
                JichaError::Usage(_) => 2,
                _ => 1,
            }
        }
    }
}

/// Where the dataset is: `--db`, `$JICHA_DB` (both via clap), else the bundled demo dataset.
pub fn default_db() -> PathBuf {
    let repo_data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    if repo_data.is_dir() {
        return repo_data.join("demo").join("demo.jicha");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".local/share/jicha/demo.jicha")
}

struct Session {
    ds: Dataset,
    ctx: Ctx,
}

fn open(g: &Global) -> Result<Session> {
    let path = match &g.db {
        Some(p) => p.clone(),
        None => ensure_demo_dataset(g)?,
    };
    session(g, Dataset::open(&path)?)
}

fn session(g: &Global, ds: Dataset) -> Result<Session> {
    let operator = context::resolve_operator(g.operator.as_deref())?;
    let lang = Lang::detect(g.lang.as_deref())?;
    let today = dates::business_today(g.today);
    let role = context::role_of(&ds.conn, &operator)?;
    Ok(Session {
        ds,
        ctx: Ctx {
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
    let lang = Lang::detect(g.lang.as_deref())?;
    let today = dates::business_today(g.today);
    let created = Dataset::create_with(path, &creator, &context::now_utc(), |ds| {
        let ctx = Ctx {
            operator: creator.clone(),
            role: context::role_of(&ds.conn, &creator)?,
            today,
            lang,
        };
        fill(ds, &ctx)
    })?;
    if created.is_some() {
        eprintln!(
            "created dataset {} (admin: {creator})",
            text::escape(&path.display().to_string())
        );
    }
    Ok(created)
}

/// `jicha import`. The first import onto a path that does not exist yet creates the dataset
/// with that import in it, all or nothing: a failed first import leaves no dataset behind.
/// When another process creates it meanwhile, the import goes into theirs.
fn import_cmd(g: &Global, dir: &std::path::Path, encoding: crate::import::Encoding) -> Result<()> {
    let path = g.db.clone().unwrap_or_else(default_db);
    let first = create_dataset(g, &path, |ds, ctx| {
        crate::import::import_dir_encoded(ds, ctx, dir, encoding, &mut progress_line())
    })?;
    let summary = match first {
        Some(summary) => summary,
        None => {
            let mut s = session(g, Dataset::open(&path)?)?;
            crate::import::import_dir_encoded(
                &mut s.ds,
                &s.ctx,
                dir,
                encoding,
                &mut progress_line(),
            )?
        }
    };
    clear_progress();
    writeln!(output::stdout(), "{}", text::sanitize(&summary.to_string()))?;
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    let g = cli.global;
    let Some(command) = cli.command else {
        return run_ui(&g);
    };
    match command {
        Command::Demo {
            out,
            customers,
            months,
            seed,
            end,
        } => {
            let opts = crate::demo::DemoOptions {
                customers,
                months,
                seed,
                end_period: end.unwrap_or_else(|| {
                    crate::demo::default_end_period(dates::business_today(g.today))
                }),
            };
            // `demo` never touches a dataset: under a setgid install it writes as the user.
            crate::privilege::drop_for_good()?;
            let summary = crate::demo::write_demo(&out, &opts, &mut progress_line())?;
            clear_progress();
            writeln!(output::stdout(), "{summary}")?;
            Ok(())
        }
        Command::Import { dir, encoding } => import_cmd(&g, &dir, encoding),
        Command::Scan { as_of } => {
            let mut s = open(&g)?;
            let as_of = as_of.unwrap_or(s.ctx.today);
            let summary = crate::scan::run_scan(&mut s.ds, &s.ctx, as_of, &mut progress_line())?;
            clear_progress();
            writeln!(output::stdout(), "{}", text::sanitize(&summary.to_string()))?;
            Ok(())
        }
        Command::Findings(a) => list_findings(&open(&g)?, a),
        Command::Finding { verb } => finding(&mut open(&g)?, verb),
        Command::Whitelist { verb } => whitelist_cmd(&mut open(&g)?, verb),
        Command::Ticket { verb } => ticket_cmd(&mut open(&g)?, verb),
        Command::Report { from, to, format } => report_cmd(&open(&g)?, from, to, format),
        Command::Thresholds { verb } => thresholds_cmd(&mut open(&g)?, verb),
        Command::Operator { verb } => operator_cmd(&mut open(&g)?, verb),
        Command::Backup(a) => crate::backup::cli(a, || open(&g).map(|s| (s.ds, s.ctx))),
        Command::Log { limit, verb } => log_cmd(&mut open(&g)?, limit, verb),
        Command::Quality(a) => quality::run(&g, quality::Invocation::Quality(a)),
        Command::Theme(a) => quality::run(&g, quality::Invocation::Theme(a)),
    }
}

fn perform(s: &mut Session, action: Action) -> Result<()> {
    let outcome = actions::perform(&mut s.ds, &s.ctx, &action)?;
    print_outcome(&outcome);
    Ok(())
}

/// The one line that says what a committed change did. The change stands whatever happens to
/// stdout (a closed pipe), so a failed write does not turn it into a reported failure.
fn print_outcome(outcome: &actions::Outcome) {
    let _ = writeln!(output::stdout(), "{}", text::escape(&outcome.message));
}

#[allow(clippy::too_many_lines)] // the `findings` command: its filter, then one short arm per output format
fn list_findings(s: &Session, a: FindingsArgs) -> Result<()> {
    let filter = Filter {
        status: a.status,
        rule: a.rule,
        station: a.station,
        severity: a.severity,
        level: a.level,
        text: a.text,
        suppressed: match a.suppressed.as_str() {
            "include" => Suppressed::Include,
            "hide" => Suppressed::Hide,
            "only" => Suppressed::Only,
            other => {
                return Err(JichaError::invalid(format!(
                    "--suppressed {other}: use include, hide or only"
                )))
            }
        },
    };
    let sort = SortKey::parse(&a.sort)?;
    let stdout = output::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let today = s.ctx.today;
    match a.format {
        Format::Table => {
            let mut t = Table::new(
                &mut out,
                &[
                    ("id", 7),
                    ("rule", 8),
                    ("cust_no", 15),
                    ("name", 16),
                    ("subject", 10),
                    ("status", 9),
                    ("sev", 6),
                    ("lvl", 3),
                    ("last_seen", 10),
                    ("amount", 10),
                    ("evidence", 70),
                ],
            )?;
            let mut n = 0u64;
            findings::for_each(&s.ds.conn, &filter, sort, a.desc, a.limit, today, |f| {
                n += 1;
                let status = match (&f.resolution, f.suppressed) {
                    (Some(r), _) => format!("{}:{}", f.status, r),
                    (None, true) => format!("{}(wl)", f.status),
                    (None, false) => f.status.clone(),
                };
                t.row(&[
                    &f.id.to_string(),
                    &f.rule,
                    &f.cust_no,
                    &f.cust_name,
                    &f.subject,
                    &status,
                    &f.severity,
                    &f.level.map(|l| l.to_string()).unwrap_or_default(),
                    &f.last_seen,
                    &f.amount_yuan.map(|a| format!("{a:.2}")).unwrap_or_default(),
                    &f.evidence,
                ])?;
                Ok(())
            })?;
            drop(t);
            writeln!(out, "({n} findings)")?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(FINDING_COLUMNS).map_err(csv_err)?;
            findings::for_each(&s.ds.conn, &filter, sort, a.desc, a.limit, today, |f| {
                let level = f.level.map(|l| l.to_string()).unwrap_or_default();
                let amount = f.amount_yuan.map(|a| format!("{a:.2}")).unwrap_or_default();
                let id = f.id.to_string();
                let version = f.version.to_string();
                let record: [&str; 17] = [
                    &id,
                    &f.rule,
                    &f.cust_no,
                    &f.subject,
                    &f.status,
                    f.resolution.as_deref().unwrap_or(""),
                    &f.severity,
                    &level,
                    &f.first_seen,
                    &f.last_seen,
                    if f.suppressed { "true" } else { "false" },
                    &f.evidence,
                    &amount,
                    &f.cust_name,
                    &f.station,
                    if f.recurred { "true" } else { "false" },
                    &version,
                ];
                w.write_record(record.iter().map(|c| for_stdout(c).into_owned()))
                    .map_err(csv_err)
            })?;
            w.flush()?;
        }
        Format::Json => {
            write!(out, "[")?;
            let mut first = true;
            findings::for_each(&s.ds.conn, &filter, sort, a.desc, a.limit, today, |f| {
                if !first {
                    write!(out, ",")?;
                }
                first = false;
                let v = serde_json::json!({
                    "id": f.id, "rule": f.rule, "cust_no": f.cust_no, "subject": f.subject,
                    "status": f.status, "resolution": f.resolution, "severity": f.severity,
                    "level": f.level, "first_seen": f.first_seen, "last_seen": f.last_seen,
                    "suppressed": f.suppressed, "evidence": f.evidence, "amount_yuan": f.amount_yuan,
                    "cust_name": f.cust_name, "station": f.station, "recurred": f.recurred,
                    "version": f.version,
                });
                write!(out, "\n{}", json_for_stdout(v.to_string()))?;
                Ok(())
            })?;
            writeln!(out, "\n]")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `version` is what `finding … --seen ID:VERSION` takes.
const FINDING_COLUMNS: [&str; 17] = [
    "id",
    "rule",
    "cust_no",
    "subject",
    "status",
    "resolution",
    "severity",
    "level",
    "first_seen",
    "last_seen",
    "suppressed",
    "evidence",
    "amount_yuan",
    "cust_name",
    "station",
    "recurred",
    "version",
];

fn csv_err(e: csv::Error) -> JichaError {
    JichaError::Io(std::io::Error::other(e.to_string()))
}

fn finding(s: &mut Session, verb: FindingVerb) -> Result<()> {
    let (action, extra_note, seen) = match verb {
        FindingVerb::Confirm { ids, text, seen } => (Action::Confirm { ids }, text, seen),
        FindingVerb::Close {
            ids,
            resolution,
            text,
            seen,
        } => (
            Action::Close {
                ids,
                resolution,
                note: text,
            },
            None,
            seen,
        ),
        FindingVerb::Note { ids, text, seen } => (Action::Note { ids, text }, None, seen),
        FindingVerb::Reopen { ids, text, seen } => (Action::Reopen { ids }, text, seen),
        FindingVerb::Show { id } => return show_finding(s, id),
    };
    let ids = match &action {
        Action::Confirm { ids }
        | Action::Reopen { ids }
        | Action::Close { ids, .. }
        | Action::Note { ids, .. } => ids.clone(),
        _ => Vec::new(),
    };
    if let Some((id, _)) = seen.seen.iter().find(|(id, _)| !ids.contains(id)) {
        return Err(JichaError::invalid(format!(
            "--seen names finding {id}, which this command does not act on"
        )));
    }
    // The status change and its note are one unit: both land or neither does.
    let mut all = vec![action];
    if let Some(text) = extra_note {
        all.push(Action::Note { ids, text });
    }
    let outcome = actions::perform_all(&mut s.ds, &s.ctx, &all, &seen.seen)?;
    print_outcome(&outcome);
    Ok(())
}

fn show_finding(s: &Session, id: i64) -> Result<()> {
    let d = findings::detail(&s.ds.conn, id, s.ctx.today)?;
    let zh = s.ctx.lang == Lang::Zh;
    let f = &d.row;
    let rule = crate::rules::catalogue::find(&f.rule);
    let mut out = String::new();
    let name = rule.map(|r| r.name(zh)).unwrap_or("");
    out.push_str(&format!(
        "finding {}  {} {}  [{}]  version {}\n",
        f.id, f.rule, name, f.severity, f.version
    ));
    if let Some(r) = rule {
        out.push_str(&format!("  checks:   {}\n", r.checks));
    }
    out.push_str(&format!(
        "  status:   {}{}{}{}\n",
        f.status,
        f.resolution
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default(),
        if f.suppressed { "  [whitelisted]" } else { "" },
        if f.recurred { "  [recurred]" } else { "" }
    ));
    out.push_str(&format!(
        "  subject:  {}\n  seen:     {} .. {}\n",
        f.subject, f.first_seen, f.last_seen
    ));
    out.push_str(&format!("  evidence: {}\n", f.evidence));
    if let Some(a) = f.amount_yuan {
        out.push_str(&format!("  at stake: {a:.2} 元\n"));
    }
    if let Some(c) = &d.customer {
        out.push_str(&format!(
            "customer {} {}  {} / {}\n  {} {} {}  {} kV  {} kVA  {}\n",
            c.cust_no,
            c.name,
            c.district,
            c.station,
            c.category,
            c.price_code,
            c.billing_mode,
            c.voltage_kv,
            c.capacity_kva,
            c.status
        ));
    }
    for m in &d.meters {
        out.push_str(&format!(
            "meter {} {}  CT {} × PT {} = ×{}  verified {}\n",
            m.meter_no,
            m.model,
            m.ct_ratio,
            m.pt_ratio,
            m.multiplier,
            m.verified_on.as_deref().unwrap_or(&m.installed_on)
        ));
    }
    for b in &d.bills {
        out.push_str(&format!(
            "  {}  {:>10.0} kWh  {:>10.2} 元\n",
            b.period, b.kwh, b.amount
        ));
    }
    for n in &d.notes {
        out.push_str(&format!(
            "note {} {}: {}\n",
            n.business_date, n.author, n.text
        ));
    }
    for h in &d.history {
        out.push_str(&format!(
            "log #{} {} {} {} {}\n",
            h.seq, h.business_date, h.operator, h.action, h.details
        ));
    }
    write!(
        output::stdout(),
        "{}",
        text::escape(&out).replace('␊', "\n")
    )?;
    Ok(())
}

fn whitelist_cmd(s: &mut Session, verb: WhitelistVerb) -> Result<()> {
    let action = match verb {
        WhitelistVerb::Add {
            rule,
            cust,
            reason,
            days,
        } => Action::WhitelistAdd {
            rule,
            cust_no: cust,
            reason,
            days,
        },
        WhitelistVerb::Extend { id, days, reason } => Action::WhitelistExtend { id, days, reason },
        WhitelistVerb::Revoke { id, reason } => Action::WhitelistRevoke { id, reason },
        WhitelistVerb::Approve { id } => Action::WhitelistApprove { id },
        WhitelistVerb::List { view, format } => {
            let entries = whitelist::list(&s.ds.conn, whitelist::View::parse(&view)?, s.ctx.today)?;
            return print_whitelist(&entries, format);
        }
    };
    perform(s, action)
}

fn print_whitelist(entries: &[whitelist::Entry], format: Format) -> Result<()> {
    let stdout = output::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            json_for_stdout(serde_json::to_string_pretty(entries).expect("serializable"))
        )?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "id",
                "rule",
                "cust_no",
                "state",
                "starts_on",
                "expires_on",
                "author",
                "approved_by",
                "reason",
            ])
            .map_err(csv_err)?;
            for e in entries {
                let id = e.id.to_string();
                let rec = [
                    id.as_str(),
                    &e.rule,
                    &e.cust_no,
                    &e.state,
                    &e.starts_on,
                    &e.expires_on,
                    &e.author,
                    e.approved_by.as_deref().unwrap_or(""),
                    &e.reason,
                ];
                w.write_record(rec.iter().map(|c| for_stdout(c).into_owned()))
                    .map_err(csv_err)?;
            }
            w.flush()?;
        }
        Format::Table => {
            let mut t = Table::new(
                &mut out,
                &[
                    ("id", 5),
                    ("rule", 8),
                    ("cust_no", 15),
                    ("state", 9),
                    ("starts_on", 10),
                    ("expires_on", 10),
                    ("author", 10),
                    ("reason", 60),
                ],
            )?;
            for e in entries {
                let expires = match &e.requested_expires_on {
                    Some(r) => format!("{}→{r}", e.expires_on),
                    None => e.expires_on.clone(),
                };
                t.row(&[
                    &e.id.to_string(),
                    &e.rule,
                    &e.cust_no,
                    &e.state,
                    &e.starts_on,
                    &expires,
                    &e.author,
                    &e.reason,
                ])?;
            }
            drop(t);
            writeln!(out, "({} entries)", entries.len())?;
        }
    }
    Ok(())
}

fn thresholds_cmd(s: &mut Session, verb: ThresholdsVerb) -> Result<()> {
    match verb {
        ThresholdsVerb::Set { name, value } => perform(s, Action::ThresholdSet { name, value }),
        ThresholdsVerb::Show => {
            let current = thresholds::Thresholds::load(&s.ds.conn)?;
            let specs = thresholds::specs();
            let stdout = output::stdout();
            let mut t = Table::new(
                stdout.lock(),
                &[
                    ("name", 24),
                    ("value", 16),
                    ("default", 10),
                    ("rules", 14),
                    ("about", 70),
                ],
            )?;
            for (name, value) in current.iter() {
                let Some(spec) = specs.get(name) else {
                    continue;
                };
                let default = match &spec.value {
                    toml::Value::Array(_) => "(list)".to_string(),
                    v => v.to_string(),
                };
                t.row(&[name, value, &default, &spec.rules, &spec.about])?;
            }
            Ok(())
        }
    }
}

fn operator_cmd(s: &mut Session, verb: OperatorVerb) -> Result<()> {
    match verb {
        OperatorVerb::Add { login, role, name } => {
            perform(s, Action::OperatorAdd { login, role, name })
        }
        OperatorVerb::List => {
            let rows = context::operators(&s.ds.conn)?;
            let stdout = output::stdout();
            let mut t = Table::new(
                stdout.lock(),
                &[
                    ("login", 16),
                    ("role", 9),
                    ("name", 16),
                    ("added_at", 24),
                    ("added_by", 16),
                ],
            )?;
            for o in &rows {
                t.row(&[&o.login, &o.role, &o.name, &o.added_at, &o.added_by])?;
            }
            Ok(())
        }
    }
}

fn log_cmd(s: &mut Session, limit: i64, verb: Option<LogVerb>) -> Result<()> {
    match verb {
        Some(LogVerb::Verify { witness }) => {
            let mut report = actionlog::audit(&s.ds.path, &s.ds.conn, witness.as_deref())?;
            // The state against the log (src/ledger): checked even when the chain is broken, so
            // that every difference is named at once.
            let state = crate::ledger::verify(&s.ds.conn)?;
            report
                .notes
                .extend(state.notes.iter().map(|n| format!("state: {n}")));
            report
                .problems
                .extend(state.problems.iter().map(|p| format!("state: {p}")));
            for note in &report.notes {
                writeln!(output::stdout(), "{}", text::escape(note))?;
            }
            if report.problems.is_empty() {
                writeln!(
                    output::stdout(),
                    "action log verified: {} records, chain intact, anchor file agrees{}; latest hash {}",
                    report.records,
                    if witness.is_some() { ", every record witnessed" } else { "" },
                    report.last_hash
                )?;
                writeln!(
                    output::stdout(),
                    "state verified: {} audited rows agree with the state ledger, {} source tables with their sealed digests",
                    state.rows_checked, state.sources_checked
                )?;
                return Ok(());
            }
            Err(JichaError::Dataset(format!(
                "action log NOT verified ({} records read), {} problem(s):\n  - {}",
                report.records,
                report.problems.len(),
                report.problems.join("\n  - ")
            )))
        }
        Some(LogVerb::Reanchor { reason }) => {
            let seq = actionlog::anchor::reanchor(&mut s.ds, &s.ctx, &reason)?;
            writeln!(
                output::stdout(),
                "the log anchor was re-established at record {seq} (a log.reanchor record); `jicha log verify` now vouches for the log from there on, the witness for before"
            )?;
            Ok(())
        }
        None => {
            let stdout = output::stdout();
            let mut t = Table::new(
                stdout.lock(),
                &[
                    ("seq", 6),
                    ("at_utc", 24),
                    ("date", 10),
                    ("operator", 12),
                    ("action", 18),
                    ("target", 16),
                    ("details", 80),
                ],
            )?;
            for r in actionlog::recent(&s.ds.conn, limit)? {
                t.row(&[
                    &r.seq.to_string(),
                    &r.at_utc,
                    &r.business_date,
                    &r.operator,
                    &r.action,
                    &r.target,
                    &r.details,
                ])?;
            }
            Ok(())
        }
    }
}

fn ticket_cmd(s: &mut Session, verb: TicketVerb) -> Result<()> {
    let action = match verb {
        TicketVerb::Create {
            findings,
            unit,
            person,
            due,
            requirement,
        } => Action::TicketCreate {
            findings,
            unit,
            person,
            due,
            requirement,
        },
        TicketVerb::Ack { number } => Action::TicketAck { number },
        TicketVerb::Submit {
            number,
            cause,
            measures,
            recovered,
        } => Action::TicketSubmit {
            number,
            cause,
            measures,
            recovered,
        },
        TicketVerb::Approve { number } => Action::TicketApprove { number },
        TicketVerb::Return { number, reason } => Action::TicketReturn { number, reason },
        TicketVerb::Cancel { number, reason } => Action::TicketCancel { number, reason },
        TicketVerb::List { state, format } => {
            let list = tickets::list(&s.ds.conn, state.as_deref(), s.ctx.today)?;
            return print_tickets(&list, format);
        }
        TicketVerb::Show { number } => return show_ticket(s, &number),
    };
    perform(s, action)
}

fn print_tickets(list: &[tickets::Ticket], format: Format) -> Result<()> {
    let stdout = output::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            json_for_stdout(serde_json::to_string_pretty(list).expect("serializable"))
        )?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "number",
                "state",
                "unit",
                "person",
                "issued_on",
                "due_on",
                "overdue",
                "findings",
                "approved_on",
                "recovered_yuan",
            ])
            .map_err(csv_err)?;
            for t in list {
                let rec = [
                    t.number.clone(),
                    t.state.clone(),
                    t.unit.clone(),
                    t.person.clone().unwrap_or_default(),
                    t.issued_on.clone(),
                    t.due_on.clone(),
                    t.overdue.to_string(),
                    t.findings.to_string(),
                    t.approved_on.clone().unwrap_or_default(),
                    t.recovered_yuan
                        .map(|r| format!("{r:.2}"))
                        .unwrap_or_default(),
                ];
                w.write_record(rec.iter().map(|c| for_stdout(c).into_owned()))
                    .map_err(csv_err)?;
            }
            w.flush()?;
        }
        Format::Table => {
            let mut t = Table::new(
                &mut out,
                &[
                    ("number", 15),
                    ("state", 10),
                    ("unit", 16),
                    ("issued_on", 10),
                    ("due_on", 10),
                    ("overdue", 7),
                    ("findings", 8),
                    ("requirement", 50),
                ],
            )?;
            for k in list {
                t.row(&[
                    &k.number,
                    &k.state,
                    &k.unit,
                    &k.issued_on,
                    &k.due_on,
                    if k.overdue { "OVERDUE" } else { "" },
                    &k.findings.to_string(),
                    &k.requirement,
                ])?;
            }
            drop(t);
            writeln!(out, "({} tickets)", list.len())?;
        }
    }
    Ok(())
}

fn show_ticket(s: &Session, number: &str) -> Result<()> {
    let t = tickets::get(&s.ds.conn, number, s.ctx.today)?;
    let mut out = format!(
        "ticket {}  [{}]{}\n  unit: {}  person: {}\n  issued {} by {}, due {}\n  requirement: {}\n",
        t.number,
        t.state,
        if t.overdue { "  OVERDUE" } else { "" },
        t.unit,
        t.person.as_deref().unwrap_or("-"),
        t.issued_on,
        t.issued_by,
        t.due_on,
        t.requirement
    );
    if let Some(c) = &t.cause {
        out.push_str(&format!(
            "  cause: {c}\n  measures: {}\n  recovered: {} 元\n",
            t.measures.as_deref().unwrap_or(""),
            t.recovered_yuan
                .map(|r| format!("{r:.2}"))
                .unwrap_or_else(|| "-".into())
        ));
    }
    out.push_str("findings:\n");
    for f in tickets::findings_of(&s.ds.conn, t.id, s.ctx.today)? {
        out.push_str(&format!(
            "  {} {} {} {} [{}] {}\n",
            f.id, f.rule, f.cust_no, f.subject, f.status, f.evidence
        ));
    }
    out.push_str("history:\n");
    for e in tickets::events(&s.ds.conn, t.id)? {
        out.push_str(&format!(
            "  {} {} {} → {} {}\n",
            e.business_date,
            e.operator,
            e.from_state.as_deref().unwrap_or("-"),
            e.to_state,
            e.details
        ));
    }
    write!(
        output::stdout(),
        "{}",
        text::escape(&out).replace('␊', "\n")
    )?;
    Ok(())
}

fn report_cmd(
    s: &Session,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    format: ReportFormat,
) -> Result<()> {
    let r = crate::reports::compute(&s.ds.conn, from, to)?;
    let stdout = output::stdout();
    let mut out = stdout.lock();
    match format {
        ReportFormat::Json => writeln!(
            out,
            "{}",
            json_for_stdout(serde_json::to_string_pretty(&r).expect("serializable"))
        )?,
        ReportFormat::Csv => {
            let mut buf = Vec::new();
            crate::output::report::write_csv(&r, &mut buf)?;
            out.write_all(
                for_stdout(&String::from_utf8_lossy(&buf))
                    .replace('␊', "\n")
                    .as_bytes(),
            )?;
        }
        ReportFormat::Text | ReportFormat::Md => {
            let text = crate::output::report::render_text(&r, format == ReportFormat::Md);
            out.write_all(for_stdout(&text).replace('␊', "\n").as_bytes())?;
        }
    }
    Ok(())
}

/// `jicha` with no subcommand: the terminal UI.
fn run_ui(g: &Global) -> Result<()> {
    let keymap = g.keymap.clone().unwrap_or_default();
    // A bad keymap is a usage error, reported before the terminal is touched.
    crate::ui::load_keymap(
        if keymap.is_empty() {
            "default"
        } else {
            &keymap
        },
        None,
    )
    .map_err(JichaError::Usage)?;
    let s = open(g)?;
    let path = s.ds.path.clone();
    let ctx = s.ctx.clone();
    drop(s);
    let opts = crate::ui::UiOptions {
        keymap,
        keymap_override: None,
        ascii: g.ascii,
        scan: Some(std::sync::Arc::new(|path, ctx, as_of, progress| {
            let mut ds = Dataset::open(path).map_err(|e| e.to_string())?;
            crate::scan::run_scan(&mut ds, ctx, as_of, progress)
                .map(|s| {
                    format!(
                        "scan {}: {} hits, {} new, {} cleared, {} suppressed",
                        s.scan_id,
                        s.totals.hits,
                        s.totals.new,
                        s.totals.cleared,
                        s.totals.suppressed
                    )
                })
                .map_err(|e| e.to_string())
        })),
    };
    crate::ui::run(&path, ctx, opts).map_err(|e| JichaError::Dataset(format!("{e:#}")))
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
    let path = default_db();
    if std::fs::symlink_metadata(&path).is_ok() {
        return Ok(path);
    }
    let today = dates::business_today(g.today);
    let dir = path
        .parent()
        .expect("demo path has a directory")
        .to_path_buf();
    eprintln!(
        "jicha: first run: building the demo dataset {} …",
        text::escape(&path.display().to_string())
    );
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
