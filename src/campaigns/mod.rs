//! 专项稽查 (audit campaigns), the read side: what a campaign is, the campaigns on record, and
//! which findings belong to one ([`members`], computed by a query, never copied) with its
//! progress per unit ([`progress`]). Creating, closing and spreading a campaign are actions
//! (`actions::campaigns`); nothing here writes.
//!
//! A finding **belongs** to a campaign when it lies in the campaign's scope — its rule is one
//! of the campaign's rules, its customer's station lies in the subtree of one of its units,
//! its customer's category is one of its categories (an empty list means all) — and it was
//! seen during the campaign's period: `first_seen <= period_to` and `last_seen >=
//! period_from` (first seen in the period, or last seen in it, or seen before and after it).
//! A finding without a customer (an SVC-01 application without a 户号) has no unit and
//! belongs to no campaign.

pub mod progress;

use crate::error::{JichaError, Result};
use crate::i18n::campaigns::CampaignWrong;
use crate::units::Hierarchy;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

pub use progress::{members, progress, Member, Progress, UnitProgress};

/// The kind of control (the "3*2" model of the handbooks, 000 part 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 日常稽查
    Routine,
    /// 专项稽查
    Special,
    /// 事件稽查
    Incident,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Routine, Kind::Special, Kind::Incident];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Routine => "routine",
            Kind::Special => "special",
            Kind::Incident => "incident",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Kind::Routine => "日常",
            Kind::Special => "专项",
            Kind::Incident => "事件",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The method of control: 在线 (rules on the data) or 现场 (on site).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Online,
    Onsite,
}

impl Method {
    pub const ALL: [Method; 2] = [Method::Online, Method::Onsite];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Online => "online",
            Method::Onsite => "onsite",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Method::Online => "在线",
            Method::Onsite => "现场",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The customer categories a campaign may name (data-contract `customers.category`).
pub const CATEGORIES: [&str; 4] = ["resident", "commercial", "large_industry", "agriculture"];

/// One campaign as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub kind: Kind,
    pub method: Method,
    /// Rule ids; empty: every rule.
    pub rules: Vec<String>,
    /// Unit names (each counts with its subtree); empty: every unit.
    pub units: Vec<String>,
    /// Customer categories; empty: every category.
    pub categories: Vec<String>,
    pub period_from: String,
    pub period_to: String,
    pub owner: String,
    /// `open` or `closed`.
    pub state: String,
    /// 举一反三: the finding it was spread from.
    pub source_finding: Option<i64>,
    pub created_by: String,
    pub created_on: String,
    pub closed_by: Option<String>,
    pub closed_on: Option<String>,
    pub version: i64,
}

impl Campaign {
    pub fn is_open(&self) -> bool {
        self.state == "open"
    }

    /// The stations its unit scope covers; None: every station.
    pub fn stations(&self, h: &Hierarchy) -> Option<Vec<String>> {
        if self.units.is_empty() {
            return None;
        }
        let mut out: Vec<String> = self
            .units
            .iter()
            .flat_map(|u| h.subtree(u).into_iter().map(str::to_string))
            .collect();
        out.sort();
        out.dedup();
        Some(out)
    }
}

const COLUMNS: &str = "id, number, name, kind, method, rules, units, categories, period_from,
    period_to, owner, state, source_finding, created_by, created_on, closed_by, closed_on, version";

fn list_of(json: String) -> Vec<String> {
    serde_json::from_str(&json).unwrap_or_default()
}

fn from_row(r: &Row) -> rusqlite::Result<Campaign> {
    let kind: String = r.get(3)?;
    let method: String = r.get(4)?;
    Ok(Campaign {
        id: r.get(0)?,
        number: r.get(1)?,
        name: r.get(2)?,
        kind: Kind::parse(&kind).unwrap_or(Kind::Special),
        method: Method::parse(&method).unwrap_or(Method::Online),
        rules: list_of(r.get(5)?),
        units: list_of(r.get(6)?),
        categories: list_of(r.get(7)?),
        period_from: r.get(8)?,
        period_to: r.get(9)?,
        owner: r.get(10)?,
        state: r.get(11)?,
        source_finding: r.get(12)?,
        created_by: r.get(13)?,
        created_on: r.get(14)?,
        closed_by: r.get(15)?,
        closed_on: r.get(16)?,
        version: r.get(17)?,
    })
}

/// Every campaign, oldest first; only the open ones with `open_only`.
pub fn list(conn: &Connection, open_only: bool) -> Result<Vec<Campaign>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM campaigns WHERE (?1 = 0 OR state = 'open') ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![open_only as i64], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The campaign `number` (ZX-…), or a refusal naming it.
pub fn get(conn: &Connection, number: &str) -> Result<Campaign> {
    find(conn, number)?.ok_or_else(|| {
        JichaError::invalid(CampaignWrong::NoCampaign {
            number: number.to_string(),
        })
    })
}

/// The campaign `number`, if there is one.
pub fn find(conn: &Connection, number: &str) -> Result<Option<Campaign>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM campaigns WHERE number = ?1"),
            [number.trim()],
            from_row,
        )
        .optional()?)
}

/// The number of every ticket dispatched for the campaign, oldest first.
pub fn tickets_of(conn: &Connection, number: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT number FROM tickets WHERE campaign = ?1 ORDER BY id")?;
    let rows = stmt.query_map([number], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The open campaigns every one of `findings` belongs to, by number.
pub fn open_campaigns_of(conn: &Connection, findings: &[i64]) -> Result<Vec<String>> {
    let h = Hierarchy::load(conn)?;
    let mut out = Vec::new();
    for c in list(conn, true)? {
        let inside = progress::members_among(conn, &h, &c, findings)?;
        if !findings.is_empty() && inside.len() == findings.len() {
            out.push(c.number);
        }
    }
    Ok(out)
}

/// The campaign a new ticket of `findings` carries: the one named (it must exist, be open and
/// hold every finding), or else the one open campaign they all belong to (none when there are
/// several or none).
pub fn for_ticket(
    conn: &Connection,
    named: Option<&str>,
    findings: &[i64],
) -> Result<Option<String>> {
    let Some(number) = named.map(str::trim).filter(|n| !n.is_empty()) else {
        let mut all = open_campaigns_of(conn, findings)?;
        return Ok((all.len() == 1).then(|| all.remove(0)));
    };
    let c = get(conn, number)?;
    if !c.is_open() {
        return Err(JichaError::invalid(CampaignWrong::Closed {
            number: c.number,
        }));
    }
    let h = Hierarchy::load(conn)?;
    let inside = progress::members_among(conn, &h, &c, findings)?;
    let outside: Vec<i64> = findings
        .iter()
        .copied()
        .filter(|id| !inside.contains(id))
        .collect();
    if !outside.is_empty() {
        return Err(JichaError::invalid(CampaignWrong::OutsideScope {
            number: c.number,
            findings: outside,
        }));
    }
    Ok(Some(c.number))
}
