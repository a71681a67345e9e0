//! The command line of cli.md, as clap types.

pub use super::format::{Format, ReportFormat};
use super::help;
pub use super::values::*;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// The heading of the options every command takes.
pub const GLOBAL: &str = "Global options";
/// The heading of the options of the terminal UI (`jicha` with no subcommand).
pub const UI: &str = "Terminal UI options";

#[derive(Debug, Parser)]
#[command(
    name = "jicha",
    version,
    about = "稽查 — audit of marketing data: rules, triage, tickets, reports",
    long_about = "稽查 — audit of marketing data: rules, triage, tickets, reports.\n\nWith no \
        subcommand jicha opens the terminal UI; the subcommands do the same work without a \
        screen, for cron jobs and scripts. Exit status: 0 done, 1 refused or failed (the \
        message says why), 2 bad usage.",
    after_help = help::JICHA
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// The dataset; default $JICHA_DB, else `db` in config.toml, else the demo dataset
    /// ($XDG_DATA_HOME/jicha/demo.jicha, created on first use).
    #[arg(long, global = true, env = "JICHA_DB", value_name = "PATH", help_heading = GLOBAL)]
    pub db: Option<PathBuf>,
    /// Stands in for the current business date (YYYY-MM-DD), to replay a day's work.
    #[arg(long, global = true, value_parser = parse_date, value_name = "DATE", help_heading = GLOBAL)]
    pub today: Option<chrono::NaiveDate>,
    /// Act as this operator: allowed only to root or to the operator themselves.
    #[arg(long, global = true, value_name = "LOGIN", help_heading = GLOBAL)]
    pub operator: Option<String>,
    /// Interface language; default from LANG (zh_* is Chinese), else English.
    #[arg(long, global = true, value_enum, help_heading = GLOBAL)]
    pub lang: Option<LangArg>,
    /// Keymap: a built-in name (default, vim, …) or a keymap file.
    #[arg(long, value_name = "NAME|FILE", help_heading = UI)]
    pub keymap: Option<String>,
    /// Draw ASCII only: borders, bars, charts, `...` for a cut (box drawing is two columns wide
    /// in some CJK terminals; TERM=linux switches to it by itself).
    #[arg(long, help_heading = UI)]
    pub ascii: bool,
    /// For programs: CSV, JSON and report text keep the data's bytes as stored. Without it,
    /// control characters, escape sequences and bidi controls in names, addresses, evidence
    /// and notes are shown visibly (`␛`, `⟨U+202E⟩`; in JSON as `\u001b`, `\u202e`) in every
    /// format, also when the output goes to a pipe or a file. Tables are always escaped.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub raw: bool,
    /// Diagnostic log level: off, error, warn, info, debug or trace. Default off (on stderr for
    /// commands); info when there is a log directory.
    #[arg(long, global = true, env = "JICHA_LOG", value_parser = crate::diag::parse_level, value_name = "LEVEL", help_heading = GLOBAL)]
    pub log_level: Option<tracing_subscriber::filter::LevelFilter>,
    /// Directory for the daily diagnostic log file jicha.YYYY-MM-DD.log (or `log_dir` in
    /// config.toml); the terminal UI logs only there.
    #[arg(long, global = true, value_name = "DIR", help_heading = GLOBAL)]
    pub log_dir: Option<PathBuf>,
    /// The settings resolved from these options, the environment and the config files, filled
    /// in before any command runs (`config::Settings::load`).
    #[arg(skip)]
    pub settings: Option<crate::config::Settings>,
}

impl Global {
    /// `--lang` as the domain spells it.
    pub fn lang_str(&self) -> Option<&'static str> {
        self.lang.map(LangArg::as_str)
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, crate::i18n::refusals_cli::CliWrong> {
    crate::dates::parse_arg_said(s)
}

/// A date argument (`YYYY-MM-DD`), for the subcommands defined outside this file.
pub(crate) fn parse_date_arg(
    s: &str,
) -> Result<chrono::NaiveDate, crate::i18n::refusals_cli::CliWrong> {
    parse_date(s)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a realistic, deterministic demo export (the CSV files of the data contract).
    #[command(after_help = help::DEMO)]
    Demo {
        /// The directory to write the export into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// How many customers.
        #[arg(long, default_value_t = 5000, conflicts_with = "delta")]
        customers: u64,
        /// How many billing months, ending with --end.
        #[arg(long, default_value_t = 12, conflicts_with = "delta")]
        months: u32,
        /// Seed of the generator: the same seed writes the same export.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Last billing period (YYYY-MM); default the month before the business date.
        #[arg(long, value_name = "YYYY-MM", conflicts_with = "delta")]
        end: Option<String>,
        /// Write the next night's export of the export in --from instead: archive edits, a new
        /// month of bills, edited readings (what HIS-01 and HIS-02 must find is printed).
        #[arg(long, requires = "from")]
        delta: bool,
        /// With --delta: the export to continue (a `jicha demo` or earlier --delta output).
        #[arg(long, value_name = "DIR", requires = "delta")]
        from: Option<PathBuf>,
        /// With --delta: the share of customers with an archive edit (a tenth of it also get
        /// an edited reading).
        #[arg(long, default_value_t = 0.01, value_name = "SHARE", requires = "delta")]
        edit_ratio: f64,
    },
    /// Import an export directory, all or nothing (creates the dataset if it does not exist).
    #[command(after_help = help::IMPORT)]
    Import {
        /// The export directory: the CSV files of the data contract.
        dir: PathBuf,
        /// How the summary is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The CSV files' text encoding: gb18030 (alias gbk) for a spreadsheet's ANSI export.
        #[arg(long, value_enum, default_value_t = crate::import::Encoding::Utf8)]
        encoding: crate::import::Encoding,
        /// A full export: each file is its whole table, and stored rows it lacks are marked gone
        /// (kept in the source history, out of the rules). Without it rows missing from a file
        /// are kept, as a delta or partial export needs.
        #[arg(long)]
        full: bool,
        #[command(flatten)]
        out: crate::cli::out::OutArgs,
    },
    /// Run the rule pack and reconcile findings; prints hits per rule and what changed.
    #[command(after_help = help::SCAN)]
    Scan {
        /// The date of the data; default the business date.
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        as_of: Option<chrono::NaiveDate>,
        /// How the summary is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        out: crate::cli::out::OutArgs,
        /// Re-judge every customer, even when only some changed since the last scan with the
        /// same as-of date, thresholds and rules (by default only those are re-judged).
        #[arg(long)]
        full: bool,
    },
    /// List findings, filtered and sorted.
    #[command(after_help = help::FINDINGS)]
    Findings(FindingsArgs),
    /// Triage findings: confirm, close, note, reopen, show.
    #[command(after_help = help::FINDING)]
    Finding {
        #[command(subcommand)]
        verb: FindingVerb,
    },
    /// Whitelist entries with a freeze period: add, list, extend, revoke, approve.
    #[command(after_help = help::WHITELIST)]
    Whitelist {
        #[command(subcommand)]
        verb: WhitelistVerb,
    },
    /// Audit tickets (稽查工单): create, list, show, ack, submit, review, approve, return, cancel, archive.
    #[command(after_help = help::TICKET)]
    Ticket {
        #[command(subcommand)]
        verb: TicketVerb,
    },
    /// The report over a date range (日报 周报 月报): findings, tickets, rates, by unit and rule.
    #[command(after_help = help::REPORT)]
    Report {
        /// First business date of the range.
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        from: chrono::NaiveDate,
        /// Last business date of the range (inclusive).
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        to: chrono::NaiveDate,
        /// Only this unit and the units below it (its stations' findings and bills, tickets
        /// sent to it or below).
        #[arg(long, value_name = "UNIT")]
        unit: Option<String>,
        /// How the report is written.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        #[command(flatten)]
        out: crate::cli::out::OutArgs,
    },
    /// Rule parameters (阀值): show, set.
    #[command(after_help = help::THRESHOLDS)]
    Thresholds {
        #[command(subcommand)]
        verb: ThresholdsVerb,
    },
    /// Rules: the built-in pack and the site rules (自定义规则): list, show, add, test, disable,
    /// enable, remove.
    #[command(after_help = help::RULES)]
    Rules {
        #[command(subcommand)]
        verb: RulesVerb,
    },
    /// People and roles: add, list.
    #[command(after_help = help::OPERATOR)]
    Operator {
        #[command(subcommand)]
        verb: OperatorVerb,
    },
    /// 营销服务工作质量评价: scores, ranking, indicators, deductions, trend, drill-down.
    #[command(after_help = help::QUALITY)]
    Quality(crate::cli::quality::QualityArgs),
    /// 主题分析: one rule or category by district, station and month.
    #[command(after_help = help::THEME)]
    Theme(crate::cli::quality::ThemeArgs),
    /// Copy the dataset and its log anchor while operators work (SQLite online backup);
    /// `--verify` checks a copy as `log verify` does.
    Backup(crate::backup::BackupArgs),
    /// The action log, newest first; `log verify` checks its hash chain.
    #[command(after_help = help::LOG, args_conflicts_with_subcommands = true)]
    Log {
        /// How many records, newest first.
        #[arg(long, default_value_t = 20, conflicts_with = "all")]
        limit: i64,
        /// Every record (for external auditors: with --format csv or json).
        #[arg(long)]
        all: bool,
        /// How the records are written; csv, json and xlsx carry every field of each record.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        out: crate::cli::out::OutArgs,
        #[command(subcommand)]
        verb: Option<LogVerb>,
    },
    /// Shell completions for bash, zsh or fish, written to stdout.
    #[command(after_help = help::COMPLETIONS)]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Manual pages: jicha.1 and one page per subcommand (jicha-findings.1, …).
    #[command(after_help = help::MAN)]
    Man {
        /// The directory to write the pages into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// 稽查工作督办单 (escalation notices): run, list, show.
    #[command(after_help = crate::cli::escalation::ESCALATION)]
    Escalation {
        #[command(subcommand)]
        verb: crate::cli::escalation::EscalationVerb,
    },
    /// On-site inspections (现场稽查): create, list, show, record, cancel.
    #[command(after_help = crate::cli::inspections::INSPECTION)]
    Inspection {
        #[command(subcommand)]
        verb: crate::cli::inspections::InspectionVerb,
    },
    /// The organisation (组织机构): the unit tree, one unit.
    #[command(after_help = help::UNIT)]
    Unit {
        #[command(subcommand)]
        verb: crate::cli::units::UnitVerb,
    },
    /// 专项稽查 (audit campaigns): create, list, show, close, progress, report, spread.
    #[command(after_help = crate::cli::campaigns::CAMPAIGN)]
    Campaign {
        #[command(subcommand)]
        verb: crate::cli::campaigns::CampaignVerb,
    },
    /// 抽检 (sampling): draw a reproducible sample per station; list, show.
    #[command(after_help = crate::cli::campaigns::SAMPLE)]
    Sample(crate::cli::campaigns::SampleArgs),
    /// 业务评价扣分 at dispatch: the deduction standard, adjusting a ticket's, direct deductions.
    #[command(after_help = crate::cli::qc::DEDUCTION)]
    Deduction {
        #[command(subcommand)]
        verb: crate::cli::qc::DeductionVerb,
    },
    /// 稽查质检 (QC of audit work), monthly per unit: 例日 gaps, sample, scores, whitelist audit.
    #[command(after_help = crate::cli::qc::QC)]
    Qc {
        #[command(subcommand)]
        verb: crate::cli::qc::QcVerb,
    },
    /// What re-imports changed in the export (source history), field by field, newest first.
    #[command(after_help = help::CHANGES)]
    Changes {
        /// Only changes made by imports after this import number, or by imports on or after
        /// this date (YYYY-MM-DD).
        #[arg(long, value_name = "IMPORT|DATE")]
        since: Option<String>,
        /// Only this data-contract file (bills.csv, or bills).
        #[arg(long, value_name = "FILE")]
        file: Option<String>,
        /// Only this customer's rows.
        #[arg(long, value_name = "CUST_NO")]
        cust: Option<String>,
        /// How the changes are written.
        #[arg(long, value_enum, default_value_t = crate::cli::changes::ChangesFormat::Text)]
        format: crate::cli::changes::ChangesFormat,
    },
}

#[derive(Debug, Args)]
pub struct FindingsArgs {
    /// Only findings in this status.
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Only this rule (BIL-03, or an external rule EXT:<source>:<code>).
    #[arg(long, value_name = "RULE")]
    pub rule: Option<String>,
    /// Only customers under this unit: a supply station (供电所), or any unit above stations
    /// (a county, the city …), meaning the stations of its subtree. --station is the old name.
    #[arg(long, visible_alias = "station", value_name = "UNIT")]
    pub unit: Option<String>,
    /// Only findings of this severity.
    #[arg(long, value_enum)]
    pub severity: Option<SeverityArg>,
    /// Only THF-01 findings of this level, 1–4.
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..=4))]
    pub level: Option<i64>,
    /// Text in customer number, name, subject, evidence or station.
    #[arg(long)]
    pub text: Option<String>,
    /// Whether whitelist-suppressed findings are listed.
    #[arg(long, value_enum, default_value_t = SuppressedArg::Include)]
    pub suppressed: SuppressedArg,
    /// The order of the list.
    #[arg(long, value_enum, default_value_t = SortArg::Severity)]
    pub sort: SortArg,
    /// Reverse the order.
    #[arg(long)]
    pub desc: bool,
    /// At most this many findings.
    #[arg(long)]
    pub limit: Option<u64>,
    /// How the list is written.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub out: crate::cli::out::OutArgs,
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

fn parse_seen(s: &str) -> Result<(i64, i64), crate::i18n::refusals_cli::CliWrong> {
    let bad = || crate::i18n::refusals_cli::CliWrong::NotSeen {
        given: s.to_string(),
    };
    let (id, version) = s.split_once(':').ok_or_else(bad)?;
    Ok((
        id.trim().parse().map_err(|_| bad())?,
        version.trim().parse().map_err(|_| bad())?,
    ))
}

#[derive(Debug, Subcommand)]
pub enum FindingVerb {
    /// Confirm findings as real anomalies (new → confirmed).
    #[command(after_help = help::FINDING_CONFIRM)]
    Confirm {
        /// Finding ids, space- or comma-separated.
        #[arg(required = true, value_delimiter = ',')]
        ids: Vec<i64>,
        /// A note to add with it (in the same transaction: both or neither).
        #[arg(long)]
        text: Option<String>,
        #[command(flatten)]
        seen: SeenArgs,
    },
    /// Close findings with a resolution.
    #[command(after_help = help::FINDING_CLOSE)]
    Close {
        /// Finding ids, space- or comma-separated.
        #[arg(required = true, value_delimiter = ',')]
        ids: Vec<i64>,
        /// Why they are closed.
        #[arg(long, value_enum)]
        resolution: ResolutionArg,
        /// Required for false_positive and no_action.
        #[arg(long)]
        text: Option<String>,
        #[command(flatten)]
        seen: SeenArgs,
    },
    /// Add a note to findings.
    #[command(after_help = help::FINDING_NOTE)]
    Note {
        /// Finding ids, space- or comma-separated.
        #[arg(required = true, value_delimiter = ',')]
        ids: Vec<i64>,
        /// The note.
        #[arg(long)]
        text: String,
        #[command(flatten)]
        seen: SeenArgs,
    },
    /// Reopen closed or cleared findings (back to new).
    #[command(after_help = help::FINDING_REOPEN)]
    Reopen {
        /// Finding ids, space- or comma-separated.
        #[arg(required = true, value_delimiter = ',')]
        ids: Vec<i64>,
        /// A note to add with it (in the same transaction: both or neither).
        #[arg(long)]
        text: Option<String>,
        #[command(flatten)]
        seen: SeenArgs,
    },
    /// Everything about one finding: evidence, customer, meters, bills, notes, history.
    #[command(after_help = help::FINDING_SHOW)]
    Show {
        /// The finding id.
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum WhitelistVerb {
    /// Ask to whitelist a customer for a rule over a freeze period (a reviewer approves).
    #[command(after_help = help::WHITELIST_ADD)]
    Add {
        /// A rule id, or * for every rule.
        #[arg(long)]
        rule: String,
        /// The customer number (户号).
        #[arg(long, value_name = "CUST_NO")]
        cust: String,
        /// Why the customer is an exception.
        #[arg(long)]
        reason: String,
        /// Freeze period in days (default whitelist_default_days).
        #[arg(long)]
        days: Option<i64>,
    },
    /// List whitelist entries.
    #[command(after_help = help::WHITELIST_LIST)]
    List {
        /// Which entries.
        #[arg(long, value_enum, default_value_t = ViewArg::Active)]
        view: ViewArg,
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        out: crate::cli::out::OutArgs,
    },
    /// Ask to extend an entry's freeze period (a reviewer approves).
    #[command(after_help = help::WHITELIST_EXTEND)]
    Extend {
        /// The entry id.
        id: i64,
        /// Days added to the current expiry.
        #[arg(long)]
        days: i64,
        /// Why it is extended.
        #[arg(long)]
        reason: String,
    },
    /// End an entry now.
    #[command(after_help = help::WHITELIST_REVOKE)]
    Revoke {
        /// The entry id.
        id: i64,
        /// Why it is revoked.
        #[arg(long)]
        reason: String,
    },
    /// Reviewer: approve a pending entry or extension.
    #[command(after_help = help::WHITELIST_APPROVE)]
    Approve {
        /// The entry id.
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesVerb {
    /// Every rule, built-in and site, with its source, version and whether it runs.
    #[command(after_help = help::RULES_LIST)]
    List {
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// One rule: what it checks, its parameters, a site rule's file and SHA-256.
    #[command(after_help = help::RULES_SHOW)]
    Show {
        /// The rule id (ARC-01, X-MTR-EVT).
        id: String,
    },
    /// Admin: check a site rule file, run it once on the dataset, show its hits, store it.
    #[command(after_help = help::RULES_ADD)]
    Add {
        /// The rule file (TOML).
        file: PathBuf,
        /// The date its trial run on the dataset is as of; default the business date.
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Run a site rule file on an export directory, without any dataset.
    #[command(after_help = help::RULES_TEST)]
    Test {
        /// The rule file (TOML).
        file: PathBuf,
        /// The export directory: the CSV files of the data contract.
        export_dir: PathBuf,
        /// The scan date the rule is run as of.
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        as_of: chrono::NaiveDate,
    },
    /// Admin: stop running a site rule (its findings stay as they are).
    #[command(after_help = help::RULES_DISABLE)]
    Disable {
        /// The site rule id (X-…).
        id: String,
    },
    /// Admin: run a disabled site rule again from the next scan.
    #[command(after_help = help::RULES_ENABLE)]
    Enable {
        /// The site rule id (X-…).
        id: String,
    },
    /// Admin: take a site rule out of the pack; its findings stay, as history.
    #[command(after_help = help::RULES_REMOVE)]
    Remove {
        /// The site rule id (X-…).
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ThresholdsVerb {
    /// Every rule parameter with its value, default and the rules that use it.
    #[command(after_help = help::THRESHOLDS_SHOW)]
    Show {
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        out: crate::cli::out::OutArgs,
    },
    /// Admin: set a rule parameter (takes effect at the next scan).
    #[command(after_help = help::THRESHOLDS_SET)]
    Set {
        /// The parameter, as `thresholds show` names it.
        name: String,
        /// Its new value (a number, a date or a list, as the parameter takes).
        value: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum OperatorVerb {
    /// Admin: add an operator, or change an operator's role or unit.
    #[command(after_help = help::OPERATOR_ADD)]
    Add {
        /// Their system login name.
        login: String,
        /// What they may do.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Their name as people read it.
        #[arg(long)]
        name: Option<String>,
        /// The unit they act for: only its subtree's findings and tickets. Without it, the
        /// audit centre (acts everywhere). Re-adding a login sets its role and unit as given.
        #[arg(long)]
        unit: Option<String>,
    },
    /// Every operator with their role and unit.
    #[command(after_help = help::OPERATOR_LIST)]
    List {
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        out: crate::cli::out::OutArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum LogVerb {
    /// Checks the hash chain, the anchor file and, with --witness, the syslog witness.
    #[command(after_help = help::LOG_VERIFY)]
    Verify {
        /// A journal or syslog export of the witness lines, e.g. from
        /// `journalctl -t jicha -o cat > FILE`; see SECURITY.md.
        #[arg(long, value_name = "FILE")]
        witness: Option<std::path::PathBuf>,
    },
    /// Admin: re-establishes a missing or contradicted anchor after the log was checked; the
    /// re-anchoring is itself a log record.
    #[command(after_help = help::LOG_REANCHOR)]
    Reanchor {
        /// Why (kept in the log record).
        #[arg(long, required = true)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TicketVerb {
    /// Make a ticket from findings; they become `ticketed`.
    #[command(after_help = help::TICKET_CREATE)]
    Create {
        /// Finding ids, comma-separated.
        #[arg(long, required = true, value_delimiter = ',', value_name = "ID,ID…")]
        findings: Vec<i64>,
        /// Responsible unit (责任单位); default the customers' supply station.
        #[arg(long)]
        unit: Option<String>,
        /// Responsible person (责任人).
        #[arg(long)]
        person: Option<String>,
        /// Default: issue date + due_days of the worst finding's severity.
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        due: Option<chrono::NaiveDate>,
        /// What the unit must do (工作要求).
        #[arg(long)]
        requirement: String,
        /// The ticket cannot be submitted before an on-site inspection of it is recorded
        /// (`jicha inspection create --ticket`).
        /// Goes with `--campaign` too: both in one step.
        #[arg(long)]
        require_inspection: bool,
        /// The campaign (专项稽查, ZX-…) it is dispatched for; default the one open campaign
        /// all its findings belong to.
        #[arg(long, value_name = "ZX-…")]
        campaign: Option<String>,
    },
    /// List tickets, oldest first.
    #[command(after_help = help::TICKET_LIST)]
    List {
        /// Only tickets in this state.
        #[arg(long, value_enum)]
        state: Option<TicketStateArg>,
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        out: crate::cli::out::OutArgs,
    },
    /// Everything about one ticket: its findings and history.
    #[command(after_help = help::TICKET_SHOW)]
    Show {
        /// The ticket number (JC-YYYYMMDD-NNN).
        number: String,
    },
    /// The unit has taken the ticket: rectifying.
    #[command(after_help = help::TICKET_ACK)]
    Ack {
        /// The ticket number.
        number: String,
    },
    /// The unit reports its rectification for review.
    #[command(after_help = help::TICKET_SUBMIT)]
    Submit {
        /// The ticket number.
        number: String,
        /// Cause analysis (原因分析).
        #[arg(long)]
        cause: String,
        /// Measures taken (整改措施).
        #[arg(long)]
        measures: String,
        /// Amount recovered (追补电费), 元.
        #[arg(long, value_name = "YUAN")]
        recovered: Option<f64>,
        /// The person responsible for the errors (责任人).
        #[arg(long, value_name = "NAME")]
        responsible: Option<String>,
        /// The accountability outcome (问责结果).
        #[arg(long, value_enum)]
        accountability: Option<crate::cli::qc::AccountabilityArg>,
    },
    /// Reviewer: accept the rectification; the findings close as rectified.
    ///
    /// With review_levels = 1, approves a submitted ticket (not one you submitted yourself).
    /// With review_levels = 2, the audit centre's second review of a reviewed ticket (after
    /// `ticket review`), by a reviewer not bound to a unit and not the first reviewer.
    #[command(after_help = help::TICKET_APPROVE)]
    Approve {
        /// The ticket number.
        number: String,
    },
    /// Reviewer: send the rectification back to the unit.
    #[command(after_help = help::TICKET_RETURN)]
    Return {
        /// The ticket number.
        number: String,
        /// What is missing.
        #[arg(long)]
        reason: String,
    },
    /// Cancel a ticket; its findings go back to confirmed.
    #[command(after_help = help::TICKET_CANCEL)]
    Cancel {
        /// The ticket number.
        number: String,
        /// Why it is cancelled.
        #[arg(long)]
        reason: String,
    },
    /// Reviewer of the ticket's unit or above: the first of two reviews (review_levels = 2).
    ///
    /// A submitted ticket becomes reviewed (待复核); a reviewer of the audit centre, not you,
    /// then approves it with `ticket approve` or returns it. A reviewer bound to the ticket's
    /// unit, to a unit above it, or not bound (the audit centre) gives the first review; nobody
    /// reviews their own submission. With review_levels = 1 there is no first review.
    #[command(after_help = help::TICKET_REVIEW)]
    Review {
        /// The ticket number.
        number: String,
    },
    /// Audit centre: file an approved ticket; it is read-only afterwards.
    ///
    /// A reviewer or admin not bound to a unit archives (已归档) an approved ticket; its
    /// findings stay closed as rectified and every ticket action on it is refused from then on.
    #[command(after_help = help::TICKET_ARCHIVE)]
    Archive {
        /// The ticket number.
        number: String,
    },
}

/// The whole command tree, with the long version line (schema and SQLite versions).
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command().version(help::version())
}
