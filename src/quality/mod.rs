//! Quality evaluation (营销服务工作质量评价) of workflow.md: indicators kept as data, the
//! composite score per unit and period, ranking, trend and drill-down (`score`), theme analysis
//! (`theme`), and the changes that feed them (`actions`). Everything returned is plain
//! serializable data, ready for the CLI and the terminal UI to render.
//!
//! Units are those of the audit organisation, `units::Hierarchy` (units.csv's tree, else the
//! customers' district → station): any level is evaluated, departments included.

pub use crate::actions::quality as actions;
pub mod drill;
pub mod figures;
pub mod indicators;
pub mod score;
pub mod theme;

pub use drill::{drill, trend, Drill, TrendPoint};
pub use indicators::{Direction, Indicator, IndicatorSpec, Kind, Level, Source};
pub use score::{evaluate, Evaluation, IndicatorScore, UnitScore, Weights};
pub use theme::{theme, Selector, Theme};

use crate::error::{JichaError, Result};
use crate::i18n::refusals_input::InputWrong;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

/// An evaluation period: a month `2026-11`, a quarter `2026-Q1` … `2026-Q4`, a half-year
/// `2026-H1` / `2026-H2`, or a year `2026` (workflow.md, "Quality evaluation").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Month(i32, u32),
    Half(i32, u32),
    Year(i32),
    Quarter(i32, u32),
}

impl Period {
    pub fn parse(s: &str) -> Result<Period> {
        let bad = || {
            JichaError::invalid(InputWrong::NotPeriod {
                given: s.to_string(),
            })
        };
        let year = |y: &str| -> Result<i32> {
            if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) {
                crate::dates::check_year(y.parse().map_err(|_| bad())?, s)
            } else {
                Err(bad())
            }
        };
        match s.len() {
            4 => Ok(Period::Year(year(s)?)),
            7 if s.get(4..6) == Some("-H") => match &s[6..] {
                "1" => Ok(Period::Half(year(&s[..4])?, 1)),
                "2" => Ok(Period::Half(year(&s[..4])?, 2)),
                _ => Err(bad()),
            },
            7 if s.get(4..6) == Some("-Q") => match &s[6..] {
                q @ ("1" | "2" | "3" | "4") => {
                    Ok(Period::Quarter(year(&s[..4])?, q.parse().expect("a digit")))
                }
                _ => Err(bad()),
            },
            7 => {
                let (y, m) = crate::dates::parse_period(s).ok_or_else(bad)?;
                Ok(Period::Month(crate::dates::check_year(y, s)?, m))
            }
            _ => Err(bad()),
        }
    }

    /// The month a date falls in.
    pub fn month_of(d: NaiveDate) -> Period {
        let (y, m) = crate::dates::parse_period(&crate::dates::period_of(d)).expect("valid");
        Period::Month(y, m)
    }

    pub fn label(&self) -> String {
        match self {
            Period::Month(y, m) => format!("{y:04}-{m:02}"),
            Period::Half(y, h) => format!("{y:04}-H{h}"),
            Period::Year(y) => format!("{y:04}"),
            Period::Quarter(y, q) => format!("{y:04}-Q{q}"),
        }
    }

    /// First and last day, inclusive.
    pub fn range(&self) -> (NaiveDate, NaiveDate) {
        let (y, first, last) = match *self {
            Period::Month(y, m) => (y, m, m),
            Period::Half(y, 1) => (y, 1, 6),
            Period::Half(y, _) => (y, 7, 12),
            Period::Year(y) => (y, 1, 12),
            Period::Quarter(y, q) => (y, 3 * q - 2, 3 * q),
        };
        let from = NaiveDate::from_ymd_opt(y, first, 1).expect("valid month");
        let next = if last == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, last + 1, 1)
        }
        .expect("valid month");
        (from, next.pred_opt().expect("in range"))
    }

    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        match *self {
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
            Period::Half(y, 1) => Period::Half(y - 1, 2),
            Period::Half(y, _) => Period::Half(y, 1),
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
        }
    }

    /// The period of the same length just after this one.
    pub fn next(&self) -> Period {
        match *self {
            Period::Month(y, 12) => Period::Month(y + 1, 1),
            Period::Month(y, m) => Period::Month(y, m + 1),
            Period::Half(y, 1) => Period::Half(y, 2),
            Period::Half(y, _) => Period::Half(y + 1, 1),
            Period::Year(y) => Period::Year(y + 1),
            Period::Quarter(y, 4) => Period::Quarter(y + 1, 1),
            Period::Quarter(y, q) => Period::Quarter(y, q + 1),
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

/// A deduction or bonus entry (业务评价扣分, 直接扣分, 奖励加分).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: i64,
    /// `business`, `direct` or `bonus`.
    pub kind: String,
    pub unit: String,
    pub on_date: String,
    pub points: f64,
    pub reason: String,
    pub ticket: Option<String>,
    pub level: Option<String>,
    pub entered_by: String,
    pub entered_at: String,
    pub revoked_on: Option<String>,
    pub revoked_by: Option<String>,
    pub revoke_reason: Option<String>,
}

pub const ENTRY_KINDS: &[&str] = &["business", "direct", "bonus"];

/// Entries dated in `[from, to]`, optionally of some units only; revoked ones when asked.
pub fn entries(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    units: Option<&[String]>,
    include_revoked: bool,
) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, unit, on_date, points, reason, ticket, level, entered_by, entered_at,
                revoked_on, revoked_by, revoke_reason
         FROM quality_entries WHERE on_date BETWEEN ?1 AND ?2 ORDER BY on_date, id",
    )?;
    let rows = stmt.query_map([from.to_string(), to.to_string()], |r| {
        Ok(Entry {
            id: r.get(0)?,
            kind: r.get(1)?,
            unit: r.get(2)?,
            on_date: r.get(3)?,
            points: r.get(4)?,
            reason: r.get(5)?,
            ticket: r.get(6)?,
            level: r.get(7)?,
            entered_by: r.get(8)?,
            entered_at: r.get(9)?,
            revoked_on: r.get(10)?,
            revoked_by: r.get(11)?,
            revoke_reason: r.get(12)?,
        })
    })?;
    let mut out = Vec::new();
    for e in rows {
        let e = e?;
        if (include_revoked || e.revoked_on.is_none()) && units.is_none_or(|u| u.contains(&e.unit))
        {
            out.push(e);
        }
    }
    Ok(out)
}

/// A direct-deduction level and its points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeductionLevel {
    pub level: String,
    pub label: String,
    pub points: f64,
}

pub fn levels(conn: &Connection) -> Result<Vec<DeductionLevel>> {
    let mut stmt =
        conn.prepare("SELECT level, label, points FROM quality_levels ORDER BY points, level")?;
    let rows = stmt.query_map([], |r| {
        Ok(DeductionLevel {
            level: r.get(0)?,
            label: r.get(1)?,
            points: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
