//! The command line of cli.md, as clap types.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "jicha",
    version,
    about = "稽查 — audit of marketing data: rules, triage, tickets, reports"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// The dataset; default $JICHA_DB, else the bundled demo dataset (created on first use).
    #[arg(long, global = true, env = "JICHA_DB")]
    pub db: Option<PathBuf>,
    /// Stands in for the current business date (YYYY-MM-DD), to replay a day's work.
    #[arg(long, global = true, value_parser = parse_date)]
    pub today: Option<chrono::NaiveDate>,
    /// Act as this operator: allowed only to root or to the operator themselves.
    #[arg(long, global = true)]
    pub operator: Option<String>,
    /// Interface language, zh or en; default from LANG.
    #[arg(long, global = true)]
    pub lang: Option<String>,
    /// Keymap for the terminal UI: a name in keymaps/ (default, vim, …) or a file.
    #[arg(long, global = true)]
    pub keymap: Option<String>,
    /// Draw the UI with ASCII borders (box drawing is two columns wide in some CJK terminals).
    #[arg(long, global = true)]
    pub ascii: bool,
    /// For programs: CSV, JSON and report text keep the data's bytes as stored. Without it,
    /// control characters, escape sequences and bidi controls in names, addresses, evidence
    /// and notes are shown visibly (`␛`, `⟨U+202E⟩`; in JSON as `\u001b`, `\u202e`) in every
    /// format, also when the output goes to a pipe or a file. Tables are always escaped.
    #[arg(long, global = true)]
    pub raw: bool,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::dates::parse_arg(s)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a realistic, deterministic demo export (the CSV files of the data contract).
    Demo {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 5000)]
        customers: u64,
        #[arg(long, default_value_t = 12)]
        months: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Last billing period (YYYY-MM); default the month before the business date.
        #[arg(long)]
        end: Option<String>,
    },
    /// Import an export directory, all or nothing (creates the dataset if it does not exist).
    Import {
        dir: PathBuf,
        /// The CSV files' text encoding: gb18030 (alias gbk) for a spreadsheet's ANSI export.
        #[arg(long, value_enum, default_value_t = crate::import::Encoding::Utf8)]
        encoding: crate::import::Encoding,
    },
    /// Run the rule pack and reconcile findings.
    Scan {
        /// The date of the data; default the business date.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// List findings.
    Findings(FindingsArgs),
    /// Triage findings: confirm, close, note, reopen, show.
    Finding {
        #[command(subcommand)]
        verb: FindingVerb,
    },
    /// Whitelist entries with a freeze period.
    Whitelist {
        #[command(subcommand)]
        verb: WhitelistVerb,
    },
    /// Audit tickets (稽查工单).
    Ticket {
        #[command(subcommand)]
        verb: TicketVerb,
    },
    /// The report of workflow.md over a date range (日报 周报 月报).
    Report {
        #[arg(long, value_parser = parse_date)]
        from: chrono::NaiveDate,
        #[arg(long, value_parser = parse_date)]
        to: chrono::NaiveDate,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Rule parameters.
    Thresholds {
        #[command(subcommand)]
        verb: ThresholdsVerb,
    },
    /// People and roles.
    Operator {
        #[command(subcommand)]
        verb: OperatorVerb,
    },
    /// 营销服务工作质量评价: scores, ranking, indicators, deductions, trend, drill-down.
    Quality(crate::cli::quality::QualityArgs),
    /// 主题分析: one rule or category by district, station and month.
    Theme(crate::cli::quality::ThemeArgs),
    /// Copy the dataset and its log anchor while operators work (SQLite online backup);
    /// `--verify` checks a copy as `log verify` does.
    Backup(crate::backup::BackupArgs),
    /// The action log; `log verify` checks its hash chain.
    Log {
        #[arg(long, default_value_t = 20)]
        limit: i64,
        #[command(subcommand)]
        verb: Option<LogVerb>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Md,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct FindingsArgs {
    /// new, confirmed, ticketed, closed, cleared, or open (the first three)
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub rule: Option<String>,
    /// Supply station (供电所).
    #[arg(long)]
    pub station: Option<String>,
    #[arg(long)]
    pub severity: Option<String>,
    /// THF-01 level 1–4.
    #[arg(long)]
    pub level: Option<i64>,
    /// Text in customer number, name, subject, evidence or station.
    #[arg(long)]
    pub text: Option<String>,
    /// include (default), hide or only whitelist-suppressed findings.
    #[arg(long, default_value = "include")]
    pub suppressed: String,
    /// severity, amount, first_seen, last_seen, rule, customer or id.
    #[arg(long, default_value = "severity")]
    pub sort: String,
    #[arg(long)]
    pub desc: bool,
    #[arg(long)]
    pub limit: Option<u64>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The versions a script read, so a change made since is not overwritten unseen.
#[derive(Debug, Args, Clone, Default)]
pub struct SeenArgs {
    /// Refuse unless finding ID is still at VERSION, as `finding show` or `findings --format
    /// json|csv` printed it: a status change or a note by someone else since then refuses the
    /// whole command. Comma-separated or repeated: --seen 12:3,13:1
    #[arg(long, value_delimiter = ',', value_parser = parse_seen, value_name = "ID:VERSION")]
    pub seen: Vec<(i64, i64)>,
}

fn parse_seen(s: &str) -> Result<(i64, i64), String> {
    let bad =
        || format!("`{s}` is not ID:VERSION (e.g. 12:3, as `jicha finding show 12` prints it)");
    let (id, version) = s.split_once(':').ok_or_else(bad)?;
    Ok((
        id.trim().parse().map_err(|_| bad())?,
        version.trim().parse().map_err(|_| bad())?,
    ))
}

#[derive(Debug, Subcommand)]
pub enum FindingVerb {
    Confirm {
        #[arg(required = true, value_delimiter = ',')]
        ids: Vec<i64>,
        /// A note to add with it (in the same transaction: both or neither).
        #[arg(long)]
        text: Option<String>,
        #[command(flatten)]
        seen: SeenArgs,
    },
    Close {
        #[arg(required = true, value_delimiter = ',')]
        ids: Vec<i64>,
        /// rectified, false_positive or no_action
        #[arg(long)]
        resolution: String,
        /// Required for false_positive and no_action.
        #[arg(long)]
        text: Option<String>,
        #[command(flatten)]
        seen: SeenArgs,
    },
    Note {
        #[arg(required = true, value_delimiter = ',')]
        ids: Vec<i64>,
        #[arg(long)]
        text: String,
        #[command(flatten)]
        seen: SeenArgs,
    },
    Reopen {
        #[arg(required = true, value_delimiter = ',')]
        ids: Vec<i64>,
        /// A note to add with it (in the same transaction: both or neither).
        #[arg(long)]
        text: Option<String>,
        #[command(flatten)]
        seen: SeenArgs,
    },
    /// Everything about one finding: evidence, customer, meters, bills, notes, history.
    Show { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum WhitelistVerb {
    Add {
        /// A rule id, or * for every rule.
        #[arg(long)]
        rule: String,
        #[arg(long)]
        cust: String,
        #[arg(long)]
        reason: String,
        /// Freeze period in days (default whitelist_default_days).
        #[arg(long)]
        days: Option<i64>,
    },
    List {
        /// active, pending, expiring or history
        #[arg(long, default_value = "active")]
        view: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    Extend {
        id: i64,
        #[arg(long)]
        days: i64,
        #[arg(long)]
        reason: String,
    },
    Revoke {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    Approve {
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ThresholdsVerb {
    Show,
    Set { name: String, value: String },
}

#[derive(Debug, Subcommand)]
pub enum OperatorVerb {
    Add {
        login: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: Option<String>,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum LogVerb {
    /// Checks the hash chain, the anchor file and, with --witness, the syslog witness.
    Verify {
        /// A journal or syslog export of the witness lines, e.g. from
        /// `journalctl -t jicha -o cat > FILE`; see SECURITY.md.
        #[arg(long, value_name = "FILE")]
        witness: Option<std::path::PathBuf>,
    },
    /// Admin: re-establishes a missing or contradicted anchor after the log was checked; the
    /// re-anchoring is itself a log record.
    Reanchor {
        #[arg(long, required = true)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TicketVerb {
    /// Make a ticket from findings; they become `ticketed`.
    Create {
        #[arg(long, required = true, value_delimiter = ',')]
        findings: Vec<i64>,
        /// Responsible unit (责任单位); default the customers' supply station.
        #[arg(long)]
        unit: Option<String>,
        /// Responsible person (责任人).
        #[arg(long)]
        person: Option<String>,
        /// Default: issue date + due_days of the worst finding's severity.
        #[arg(long, value_parser = parse_date)]
        due: Option<chrono::NaiveDate>,
        /// What the unit must do (工作要求).
        #[arg(long)]
        requirement: String,
    },
    List {
        /// A state, open, or overdue.
        #[arg(long)]
        state: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    Show {
        number: String,
    },
    /// The unit has taken the ticket: rectifying.
    Ack {
        number: String,
    },
    Submit {
        number: String,
        /// Cause analysis (原因分析).
        #[arg(long)]
        cause: String,
        /// Measures taken (整改措施).
        #[arg(long)]
        measures: String,
        /// Amount recovered (追补电费), 元.
        #[arg(long)]
        recovered: Option<f64>,
    },
    Approve {
        number: String,
    },
    Return {
        number: String,
        #[arg(long)]
        reason: String,
    },
    Cancel {
        number: String,
        #[arg(long)]
        reason: String,
    },
}
