//! The read side of findings: filtered, sorted lists (streamed for the CLI, windowed for the
//! UI), one finding's detail, and the dashboard's counts. Changes go through `actions`.

use crate::actionlog::{self, LogRecord};
use crate::error::{JichaError, Result};
use crate::i18n::errors::RecordKind;
use crate::i18n::queries::QueryWrong;
use crate::i18n::refusals::ActionWrong;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::states::{FindingStatus, FindingStatus as F, Resolution, Resolution as R};

/// The statuses' texts, for filters and the lists the CLI and the UI offer.
pub const STATUSES: &[&str] = &[
    F::New.as_str(),
    F::Confirmed.as_str(),
    F::Ticketed.as_str(),
    F::Closed.as_str(),
    F::Cleared.as_str(),
];
pub const RESOLUTIONS: &[&str] = &[
    R::Rectified.as_str(),
    R::FalsePositive.as_str(),
    R::NoAction.as_str(),
];
/// Statuses that still need work: the queues.
pub const OPEN_STATUSES: &[&str] = &[F::New.as_str(), F::Confirmed.as_str(), F::Ticketed.as_str()];

/// SQL that is true when finding `f` is suppressed by a whitelist entry on date `:today`.
pub const SUPPRESSED_SQL: &str = "EXISTS (SELECT 1 FROM whitelist w
    WHERE w.cust_no = f.cust_no AND (w.rule = f.rule OR w.rule = '*')
      AND w.effective_from IS NOT NULL AND w.effective_from <= :today AND :today < w.expires_on
      AND (w.revoked_on IS NULL OR :today < w.revoked_on))";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Suppressed {
    /// Queues: suppressed findings are in none of them.
    #[default]
    Hide,
    Only,
    Include,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub status: Option<String>,
    pub rule: Option<String>,
    /// A unit of the organisation (`units::Hierarchy`): findings of the customers of the
    /// stations in its subtree (a station: its own). A unit the tree lacks is refused.
    pub station: Option<String>,
    pub severity: Option<String>,
    pub level: Option<i64>,
    /// Matches customer number or name, subject, evidence or station (substring).
    pub text: Option<String>,
    pub suppressed: Suppressed,
    /// Only findings that recurred: cleared or closed as rectified, found again by a later
    /// scan and reopened (workflow.md, "Recurrence").
    pub recurred: bool,
}

impl Filter {
    /// Refuses values that could never match, so a typo is not mistaken for "no findings".
    pub fn validate(&self) -> Result<()> {
        if let Some(s) = &self.status {
            if !STATUSES.contains(&s.as_str()) && s != "open" {
                return Err(JichaError::invalid(QueryWrong::UnknownStatus {
                    given: s.clone(),
                    allowed: STATUSES.to_vec(),
                }));
            }
        }
        if let Some(s) = &self.severity {
            if crate::rules::Severity::parse(s).is_none() {
                return Err(JichaError::invalid(QueryWrong::UnknownSeverity {
                    given: s.clone(),
                }));
            }
        }
        if let Some(r) = &self.rule {
            // Site rules (X-…) are checked against the dataset by the query itself: an id of
            // that shape that no rule has simply lists nothing.
            if crate::rules::catalogue::find(r).is_none()
                && !r.starts_with("EXT:")
                && !crate::rules::site::is_site_id(r)
            {
                return Err(JichaError::invalid(QueryWrong::UnknownRule {
                    given: r.clone(),
                }));
            }
        }
        if let Some(l) = self.level {
            if !(1..=4).contains(&l) {
                return Err(JichaError::invalid(QueryWrong::ThfLevels));
            }
        }
        Ok(())
    }

    /// Validated, with the unit filter rolled up to the stations of its subtree: the WHERE
    /// clause (over `findings f LEFT JOIN customers c`) and its named parameters.
    fn prepared(
        &self,
        conn: &Connection,
        today: NaiveDate,
    ) -> Result<(String, Vec<(&'static str, Value)>)> {
        self.validate()?;
        let stations = match &self.station {
            Some(u) => Some(crate::units::stations_of(conn, u)?),
            None => None,
        };
        Ok(self.where_sql(today, stations.as_deref()))
    }

    /// The WHERE clause (over `findings f LEFT JOIN customers c`) and its named parameters;
    /// `stations`: those of the unit filter's subtree.
    fn where_sql(
        &self,
        today: NaiveDate,
        stations: Option<&[String]>,
    ) -> (String, Vec<(&'static str, Value)>) {
        let mut clauses = vec!["1".to_string()];
        let mut params: Vec<(&'static str, Value)> =
            vec![(":today", Value::Text(today.to_string()))];
        match self.status.as_deref() {
            Some("open") => clauses.push("f.status IN ('new','confirmed','ticketed')".into()),
            Some(s) => {
                clauses.push("f.status = :status".into());
                params.push((":status", Value::Text(s.into())));
            }
            None => {}
        }
        if let Some(r) = &self.rule {
            clauses.push("f.rule = :rule".into());
            params.push((":rule", Value::Text(r.clone())));
        }
        match stations {
            Some([one]) => {
                clauses.push("c.station = :station".into());
                params.push((":station", Value::Text(one.clone())));
            }
            Some(list) => {
                // One parameter however many stations: a JSON array SQLite reads as a table.
                // Put as the customers of those stations, the query walks the station index
                // then the findings' customer index, as the one-station filter does, rather
                // than every finding.
                clauses.push(
                    "f.cust_no IN (SELECT cust_no FROM customers
                        WHERE station IN (SELECT value FROM json_each(:stations)))"
                        .into(),
                );
                let list = serde_json::to_string(list).expect("strings serialize");
                params.push((":stations", Value::Text(list)));
            }
            None => {}
        }
        if let Some(s) = &self.severity {
            clauses.push("f.severity = :severity".into());
            params.push((":severity", Value::Text(s.clone())));
        }
        if let Some(l) = self.level {
            clauses.push("f.level = :level".into());
            params.push((":level", Value::Integer(l)));
        }
        if let Some(t) = self.text.as_ref().filter(|t| !t.is_empty()) {
            clauses.push(
                "(instr(f.cust_no, :text) OR instr(coalesce(c.name,''), :text) OR instr(f.subject, :text)
                  OR instr(f.evidence, :text) OR instr(coalesce(c.station,''), :text) OR instr(f.rule, :text))"
                    .into(),
            );
            params.push((":text", Value::Text(t.clone())));
        }
        match self.suppressed {
            Suppressed::Hide => clauses.push(format!("NOT {SUPPRESSED_SQL}")),
            Suppressed::Only => clauses.push(SUPPRESSED_SQL.to_string()),
            Suppressed::Include => {}
        }
        if self.recurred {
            clauses.push("f.recurred = 1".into());
        }
        (clauses.join(" AND "), params)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Worst first: severity, then amount at stake.
    #[default]
    Severity,
    Amount,
    FirstSeen,
    LastSeen,
    Rule,
    Customer,
    Id,
}

impl SortKey {
    pub const ALL: [SortKey; 7] = [
        SortKey::Severity,
        SortKey::Amount,
        SortKey::FirstSeen,
        SortKey::LastSeen,
        SortKey::Rule,
        SortKey::Customer,
        SortKey::Id,
    ];

    pub fn parse(s: &str) -> Result<SortKey> {
        Ok(match s {
            "severity" => SortKey::Severity,
            "amount" => SortKey::Amount,
            "first_seen" => SortKey::FirstSeen,
            "last_seen" => SortKey::LastSeen,
            "rule" => SortKey::Rule,
            "customer" | "cust_no" => SortKey::Customer,
            "id" => SortKey::Id,
            other => {
                return Err(JichaError::invalid(QueryWrong::UnknownSort {
                    given: other.to_string(),
                }))
            }
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Severity => "severity",
            SortKey::Amount => "amount",
            SortKey::FirstSeen => "first_seen",
            SortKey::LastSeen => "last_seen",
            SortKey::Rule => "rule",
            SortKey::Customer => "customer",
            SortKey::Id => "id",
        }
    }

    /// ORDER BY: each key with its natural direction, all flipped by `desc`; ties break by id
    /// so that the order is stable between fetches.
    /// Whether the order without `desc` puts the largest first (worst severity, biggest
    /// amount, newest date); `desc` reverses it. A screen shows the direction it really is.
    pub fn largest_first(self) -> bool {
        matches!(
            self,
            SortKey::Severity | SortKey::Amount | SortKey::FirstSeen | SortKey::LastSeen
        )
    }

    fn order_sql(self, desc: bool) -> String {
        const SEVERITY_RANK: &str =
            "CASE f.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END";
        const AMOUNT: &str = "coalesce(f.amount_yuan, 0)";
        // (expression, descending by nature)
        let keys: &[(&str, bool)] = match self {
            SortKey::Severity => &[(SEVERITY_RANK, false), (AMOUNT, true)],
            SortKey::Amount => &[(AMOUNT, true)],
            SortKey::FirstSeen => &[("f.first_seen", true)],
            SortKey::LastSeen => &[("f.last_seen", true)],
            SortKey::Rule => &[("f.rule", false)],
            SortKey::Customer => &[("f.cust_no", false)],
            SortKey::Id => &[("f.id", false)],
        };
        let mut parts: Vec<String> = keys
            .iter()
            .map(|(expr, down)| format!("{expr} {}", if *down != desc { "DESC" } else { "ASC" }))
            .collect();
        parts.push("f.id ASC".into());
        parts.join(", ")
    }
}

/// A finding's version now (None if there is no such finding): moves on every change, so a
/// change can be refused when the finding moved on since it was shown.
pub fn version_of(conn: &Connection, id: i64) -> Option<i64> {
    conn.query_row("SELECT version FROM findings WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .ok()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRow {
    pub id: i64,
    pub rule: String,
    pub cust_no: String,
    pub cust_name: String,
    pub station: String,
    pub subject: String,
    pub status: FindingStatus,
    pub resolution: Option<Resolution>,
    pub severity: String,
    pub level: Option<i64>,
    pub first_seen: String,
    pub last_seen: String,
    pub suppressed: bool,
    pub recurred: bool,
    pub evidence: String,
    pub amount_yuan: Option<f64>,
    pub version: i64,
}

const ROW_COLUMNS: &str =
    "f.id, f.rule, f.cust_no, coalesce(c.name, ''), coalesce(c.station, ''), f.subject,
    f.status, f.resolution, f.severity, f.level, f.first_seen, f.last_seen";
const ROW_COLUMNS_TAIL: &str = "f.recurred, f.evidence, f.amount_yuan, f.version";

fn select_sql() -> String {
    format!(
        "SELECT {ROW_COLUMNS}, {SUPPRESSED_SQL} AS suppressed, {ROW_COLUMNS_TAIL}
         FROM findings f LEFT JOIN customers c ON c.cust_no = f.cust_no"
    )
}

fn read_row(r: &Row) -> rusqlite::Result<FindingRow> {
    Ok(FindingRow {
        id: r.get(0)?,
        rule: r.get(1)?,
        cust_no: r.get(2)?,
        cust_name: r.get(3)?,
        station: r.get(4)?,
        subject: r.get(5)?,
        status: r.get(6)?,
        resolution: r.get(7)?,
        severity: r.get(8)?,
        level: r.get(9)?,
        first_seen: r.get(10)?,
        last_seen: r.get(11)?,
        suppressed: r.get(12)?,
        recurred: r.get(13)?,
        evidence: r.get(14)?,
        amount_yuan: r.get(15)?,
        version: r.get(16)?,
    })
}

fn bind<'a>(params: &'a [(&'static str, Value)]) -> Vec<(&'static str, &'a dyn rusqlite::ToSql)> {
    params
        .iter()
        .map(|(k, v)| (*k, v as &dyn rusqlite::ToSql))
        .collect()
}

/// Streams every matching finding in order to `each` (the CLI's listing: constant memory).
pub fn for_each(
    conn: &Connection,
    f: &Filter,
    sort: SortKey,
    desc: bool,
    limit: Option<u64>,
    today: NaiveDate,
    mut each: impl FnMut(&FindingRow) -> Result<()>,
) -> Result<()> {
    let (where_sql, params) = f.prepared(conn, today)?;
    let mut sql = format!(
        "{} WHERE {where_sql} ORDER BY {}",
        select_sql(),
        sort.order_sql(desc)
    );
    if let Some(n) = limit {
        // SQLite's LIMIT is an i64: a larger one (found by the CLI fuzzer) means no limit.
        sql.push_str(&format!(" LIMIT {}", i64::try_from(n).unwrap_or(i64::MAX)));
    }
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(bind(&params).as_slice())?;
    while let Some(r) = rows.next()? {
        each(&read_row(r)?)?;
    }
    Ok(())
}

/// The ids of every matching finding, in order: 8 bytes a row, so a UI can hold a million
/// and fetch only the rows it shows with `rows_by_ids`.
pub fn ordered_ids(
    conn: &Connection,
    f: &Filter,
    sort: SortKey,
    desc: bool,
    today: NaiveDate,
) -> Result<Vec<i64>> {
    let (where_sql, params) = f.prepared(conn, today)?;
    let sql = format!(
        "SELECT f.id FROM findings f LEFT JOIN customers c ON c.cust_no = f.cust_no
         WHERE {where_sql} ORDER BY {}",
        sort.order_sql(desc)
    );
    let mut stmt = conn.prepare(&sql)?;
    let ids = stmt.query_map(bind(&params).as_slice(), |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &Connection, f: &Filter, today: NaiveDate) -> Result<u64> {
    let (where_sql, params) = f.prepared(conn, today)?;
    let sql = format!(
        "SELECT count(*) FROM findings f LEFT JOIN customers c ON c.cust_no = f.cust_no WHERE {where_sql}"
    );
    Ok(conn.query_row(&sql, bind(&params).as_slice(), |r| r.get::<_, i64>(0))? as u64)
}

/// The rows for `ids`, in the same order (ids that no longer exist are left out).
pub fn rows_by_ids(conn: &Connection, ids: &[i64], today: NaiveDate) -> Result<Vec<FindingRow>> {
    let mut stmt = conn.prepare_cached(&format!("{} WHERE f.id = :id", select_sql()))?;
    let today = today.to_string();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = stmt
            .query_row(
                rusqlite::named_params! {":id": id, ":today": today},
                read_row,
            )
            .optional()?
        {
            out.push(row);
        }
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<FindingRow> {
    rows_by_ids(conn, &[id], today)?.pop().ok_or_else(|| {
        JichaError::invalid(ActionWrong::NoRecord {
            kind: RecordKind::Finding,
            id: id.to_string(),
        })
    })
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Customer {
    pub cust_no: String,
    pub name: String,
    pub address: Option<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub category: String,
    pub price_code: String,
    pub billing_mode: String,
    pub voltage_kv: f64,
    pub capacity_kva: f64,
    pub pf_standard: Option<f64>,
    pub hslm: bool,
    pub temporary: bool,
    pub station: String,
    pub district: String,
    pub opened_on: String,
    pub status: String,
    pub closed_on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meter {
    pub meter_no: String,
    pub model: String,
    pub ct_ratio: f64,
    pub pt_ratio: f64,
    pub multiplier: f64,
    pub installed_on: String,
    pub verified_on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BillMonth {
    pub period: String,
    pub prev_reading: f64,
    pub curr_reading: f64,
    pub multiplier: f64,
    pub kwh: f64,
    pub loss_kwh: f64,
    pub amount: f64,
    pub paid: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub author: String,
    pub at_utc: String,
    pub business_date: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct FindingDetail {
    pub row: FindingRow,
    pub customer: Option<Customer>,
    pub meters: Vec<Meter>,
    /// The customer's last 12 billing periods up to today's month, oldest first.
    pub bills: Vec<BillMonth>,
    pub notes: Vec<Note>,
    /// Action-log records about this finding, oldest first.
    pub history: Vec<LogRecord>,
    /// Its rule as the rule directory knows it (built-in, site or external; None if unknown).
    pub rule: Option<crate::rules::directory::Entry>,
}

impl FindingDetail {
    /// The rule's name, empty for a rule the directory does not know.
    pub fn rule_name(&self, zh: bool) -> &str {
        self.rule.as_ref().map_or("", |r| r.name(zh))
    }
}

pub fn customer(conn: &Connection, cust_no: &str) -> Result<Option<Customer>> {
    Ok(conn
        .query_row(
            "SELECT cust_no, name, address, contact, phone, category, price_code, billing_mode, voltage_kv,
                    capacity_kva, pf_standard, hslm, temporary, station, district, opened_on, status, closed_on
             FROM customers WHERE cust_no = ?1",
            [cust_no],
            |r| {
                Ok(Customer {
                    cust_no: r.get(0)?,
                    name: r.get(1)?,
                    address: r.get(2)?,
                    contact: r.get(3)?,
                    phone: r.get(4)?,
                    category: r.get(5)?,
                    price_code: r.get(6)?,
                    billing_mode: r.get(7)?,
                    voltage_kv: r.get(8)?,
                    capacity_kva: r.get(9)?,
                    pf_standard: r.get(10)?,
                    hslm: r.get(11)?,
                    temporary: r.get(12)?,
                    station: r.get(13)?,
                    district: r.get(14)?,
                    opened_on: r.get(15)?,
                    status: r.get(16)?,
                    closed_on: r.get(17)?,
                })
            },
        )
        .optional()?)
}

pub fn detail(conn: &Connection, id: i64, today: NaiveDate) -> Result<FindingDetail> {
    let row = get(conn, id, today)?;
    let customer = customer(conn, &row.cust_no)?;
    let mut stmt = conn.prepare_cached(
        "SELECT meter_no, model, ct_ratio, pt_ratio, multiplier, installed_on, verified_on
         FROM meters WHERE cust_no = ?1 ORDER BY meter_no",
    )?;
    let meters = stmt
        .query_map([&row.cust_no], |r| {
            Ok(Meter {
                meter_no: r.get(0)?,
                model: r.get(1)?,
                ct_ratio: r.get(2)?,
                pt_ratio: r.get(3)?,
                multiplier: r.get(4)?,
                installed_on: r.get(5)?,
                verified_on: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT period, prev_reading, curr_reading, multiplier, kwh, loss_kwh, amount, paid
         FROM bills WHERE cust_no = ?1 AND period <= ?2 ORDER BY period DESC LIMIT 12",
    )?;
    let mut bills = stmt
        .query_map(
            rusqlite::params![&row.cust_no, crate::dates::period_of(today)],
            |r| {
                Ok(BillMonth {
                    period: r.get(0)?,
                    prev_reading: r.get(1)?,
                    curr_reading: r.get(2)?,
                    multiplier: r.get(3)?,
                    kwh: r.get(4)?,
                    loss_kwh: r.get(5)?,
                    amount: r.get(6)?,
                    paid: r.get(7)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    bills.reverse();
    let notes = notes(conn, id)?;
    let history = actionlog::for_target(conn, &format!("finding:{id}"))?;
    let rule = crate::rules::directory::entry_in(conn, &row.rule)?;
    Ok(FindingDetail {
        row,
        customer,
        meters,
        bills,
        notes,
        history,
        rule,
    })
}

pub fn notes(conn: &Connection, id: i64) -> Result<Vec<Note>> {
    let mut stmt = conn.prepare_cached(
        "SELECT author, at_utc, business_date, text FROM finding_notes WHERE finding_id = ?1 ORDER BY id",
    )?;
    let notes = stmt
        .query_map([id], |r| {
            Ok(Note {
                author: r.get(0)?,
                at_utc: r.get(1)?,
                business_date: r.get(2)?,
                text: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(notes)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct RuleCounts {
    pub rule: String,
    pub open: u64,
    pub new_today: u64,
    pub suppressed: u64,
    pub closed: u64,
    /// Hits per day over the 30 days ending today (oldest first), from the scans of each day.
    pub trend: Vec<u64>,
}

#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    pub new_today: u64,
    pub open: u64,
    pub whitelist_expiring: u64,
    pub latest_scan: Option<(i64, String)>,
    /// Findings first seen by the latest scan, not suppressed, worst first (at most 200).
    pub alerts: Vec<FindingRow>,
    pub rules: Vec<RuleCounts>,
    /// Every rule a finding can name (built-in and the dataset's site rules), for the screens
    /// that show rule names and the rules screen's list.
    pub directory: crate::rules::directory::Directory,
}

/// Which of the 30 days from `start` to `today` had a scan.
fn scanned_days(conn: &Connection, start: NaiveDate, today: NaiveDate) -> Result<[bool; 30]> {
    let mut scanned = [false; 30];
    let mut stmt = conn.prepare(
        "SELECT DISTINCT business_date FROM scans WHERE business_date BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([start.to_string(), today.to_string()])?;
    while let Some(r) = rows.next()? {
        let date: String = r.get(0)?;
        if let Some(day) = crate::dates::parse_date(&date) {
            if let Some(s) = scanned.get_mut((day - start).num_days() as usize) {
                *s = true;
            }
        }
    }
    Ok(scanned)
}

/// Each day without a scan takes the value of the day before it (days before the first scan
/// stay 0).
fn carry_over_unscanned(trend: &mut [u64], scanned: &[bool]) {
    for i in 1..trend.len() {
        if !scanned.get(i).copied().unwrap_or(true) {
            trend[i] = trend[i - 1];
        }
    }
}

/// Everything the dashboard shows. It reads the whole findings table: call it off the render
/// path (the UI runs it on a worker thread).
pub fn dashboard(conn: &Connection, today: NaiveDate) -> Result<Dashboard> {
    let t = today.to_string();
    let mut d = Dashboard {
        latest_scan: conn
            .query_row(
                "SELECT id, business_date FROM scans ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
        whitelist_expiring: crate::whitelist::count(conn, crate::whitelist::View::Expiring, today)?,
        directory: crate::rules::directory::Directory::load(conn)?,
        ..Dashboard::default()
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT f.rule,
                sum(f.status IN ('new','confirmed','ticketed') AND NOT s),
                sum(f.first_seen = :today AND f.status IN ('new','confirmed','ticketed') AND NOT s),
                sum(s AND f.status IN ('new','confirmed','ticketed')),
                sum(f.status = 'closed')
         FROM (SELECT f.*, {SUPPRESSED_SQL} AS s FROM findings f) f
         GROUP BY f.rule ORDER BY f.rule"
    ))?;
    let rows = stmt.query_map(rusqlite::named_params! {":today": t}, |r| {
        Ok(RuleCounts {
            rule: r.get(0)?,
            open: r.get::<_, i64>(1)? as u64,
            new_today: r.get::<_, i64>(2)? as u64,
            suppressed: r.get::<_, i64>(3)? as u64,
            closed: r.get::<_, i64>(4)? as u64,
            trend: Vec::new(),
        })
    })?;
    let mut by_rule: std::collections::BTreeMap<String, RuleCounts> =
        std::collections::BTreeMap::new();
    for r in rows {
        let r = r?;
        d.open += r.open;
        d.new_today += r.new_today;
        by_rule.insert(r.rule.clone(), r);
    }
    // Every catalogue rule and every site rule in the pack shows, with zeros when it has no
    // findings.
    let in_pack: Vec<String> = d
        .directory
        .iter()
        .filter(|e| {
            !matches!(
                e.source,
                crate::rules::directory::Source::Site { removed: true, .. }
            )
        })
        .map(|e| e.id.clone())
        .collect();
    for rule in in_pack {
        by_rule.entry(rule.clone()).or_insert_with(|| RuleCounts {
            rule,
            ..RuleCounts::default()
        });
    }
    let start = today - chrono::Days::new(29);
    let mut stmt = conn.prepare(
        "SELECT s.business_date, k.rule, k.hits FROM scan_rule_counts k JOIN scans s ON s.id = k.scan_id
         WHERE s.business_date BETWEEN ?1 AND ?2 ORDER BY s.id",
    )?;
    let mut rows = stmt.query([start.to_string(), t.clone()])?;
    while let Some(r) = rows.next()? {
        let date: String = r.get(0)?;
        let rule: String = r.get(1)?;
        let hits: i64 = r.get(2)?;
        let Some(day) = crate::dates::parse_date(&date) else {
            continue;
        };
        let idx = (day - start).num_days() as usize;
        if let Some(counts) = by_rule.get_mut(&rule) {
            counts.trend.resize(30, 0);
            // The latest scan of a day stands for that day.
            counts.trend[idx] = hits as u64;
        }
    }
    // A day without a scan has no count, not a count of 0: it carries the day before's (a
    // trend, not a picket fence of zeros between the scanned days).
    let scanned = scanned_days(conn, start, today)?;
    for c in by_rule.values_mut() {
        c.trend.resize(30, 0);
        carry_over_unscanned(&mut c.trend, &scanned);
    }
    d.rules = by_rule.into_values().collect();
    if let Some((scan_id, _)) = &d.latest_scan {
        let (where_sql, params) = Filter::default().where_sql(today, None);
        let sql = format!(
            "{} WHERE {where_sql} AND f.first_scan = :scan AND f.status IN ('new','confirmed','ticketed')
             ORDER BY {} LIMIT 200",
            select_sql(),
            SortKey::Severity.order_sql(false)
        );
        let mut stmt = conn.prepare(&sql)?;
        let scan = Value::Integer(*scan_id);
        let mut bound = bind(&params);
        bound.push((":scan", &scan));
        d.alerts = stmt
            .query_map(bound.as_slice(), read_row)?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(d)
}
