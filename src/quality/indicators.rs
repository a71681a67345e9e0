//! Indicators (指标) as data, and how one value scores.
//!
//! 满分值 is read as the *full-mark value*: the indicator value at which the full score is
//! earned (e.g. a completion rate of 1.0), kept apart from `full_score`, the points the
//! indicator is worth. The base value (基本值) earns 0 points; between the two the score is
//! linear, and it is capped to `[0, full_score]` beyond them on either side.

use crate::error::{JichaError, Result};
use crate::i18n::refusals_input::{Choice, InputWrong};
use crate::units::UnitLevel;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

macro_rules! str_enum {
    ($name:ident, $what:ident, { $($var:ident => $s:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }

            pub fn parse(s: &str) -> Result<$name> {
                match s {
                    $($s => Ok($name::$var),)+
                    other => Err(JichaError::invalid(InputWrong::UnknownChoice {
                        what: Choice::$what,
                        given: other.to_string(),
                        allowed: vec![$($s),+],
                    })),
                }
            }
        }
    };
}

str_enum!(Kind, IndicatorKind, { Main => "main", Process => "process" });
str_enum!(Level, UnitLevel, {
    Station => "station",
    County => "county",
    City => "city",
    Province => "province",
    Department => "department",
});
str_enum!(Direction, Direction, { Higher => "higher", Lower => "lower" });
str_enum!(Source, IndicatorSource, {
    Manual => "manual",
    CompletionRate => "completion_rate",
    OverdueRate => "overdue_rate",
    RectificationRate => "rectification_rate",
    FindingsPer1000 => "findings_per_1000",
    AmountRecovered => "amount_recovered",
    QcScore => "qc_score",
});

impl Level {
    /// A stored or typed level: `district`, the word of datasets made before the unit
    /// hierarchy (district → station), is the county level it always stood for.
    pub fn read(s: &str) -> Result<Level> {
        if s == "district" {
            Ok(Level::County)
        } else {
            Level::parse(s)
        }
    }

    pub fn of(l: UnitLevel) -> Level {
        match l {
            UnitLevel::Province => Level::Province,
            UnitLevel::City => Level::City,
            UnitLevel::County => Level::County,
            UnitLevel::Station => Level::Station,
            UnitLevel::Department => Level::Department,
        }
    }

    pub fn unit_level(self) -> UnitLevel {
        match self {
            Level::Province => UnitLevel::Province,
            Level::City => UnitLevel::City,
            Level::County => UnitLevel::County,
            Level::Station => UnitLevel::Station,
            Level::Department => UnitLevel::Department,
        }
    }
}

impl Kind {
    pub fn label_zh(self) -> &'static str {
        match self {
            Kind::Main => "主要指标",
            Kind::Process => "过程指标",
        }
    }
}

impl Source {
    /// What a computed value means, for help text and screens.
    pub fn about(self) -> &'static str {
        match self {
            Source::Manual => "entered by hand per unit and period",
            Source::CompletionRate => {
                "稽查问题完成率: problems (findings on tickets) issued in the period and approved by its end / dispatched (fraction)"
            }
            Source::OverdueRate => {
                "稽查超期率: problems issued in the period and overdue at its end / dispatched (fraction)"
            }
            Source::RectificationRate => {
                "异常问题整改完成率: findings to rectify in the period closed as rectified by its end (fraction)"
            }
            Source::FindingsPer1000 => {
                "findings first detected in the period per 1000 active customers of the unit"
            }
            Source::AmountRecovered => {
                "元 recovered on tickets approved in the period (not applicable without a ticket issued or approved in it)"
            }
            Source::QcScore => {
                "稽查质检得分: QC checklist items passed / scored on the unit's sampled tickets of the period's months (fraction; not applicable when none is scored)"
            }
        }
    }
}

/// An indicator as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub id: i64,
    /// 业务类别
    pub category: String,
    pub name: String,
    pub kind: Kind,
    pub level: Level,
    /// 基本值: earns 0 points.
    pub base_value: f64,
    /// 满分值: the value that earns `full_score`.
    pub full_value: f64,
    pub full_score: f64,
    pub direction: Direction,
    pub source: Source,
    pub enabled: bool,
    pub version: i64,
}

impl Indicator {
    /// Points for a value: linear from base (0) to full value (full score), capped both ends.
    /// Works for both directions because the direction is checked to agree with base vs full.
    pub fn score(&self, value: f64) -> f64 {
        score_value(value, self.base_value, self.full_value, self.full_score)
    }
}

pub fn score_value(value: f64, base: f64, full: f64, full_score: f64) -> f64 {
    let fraction = (value - base) / (full - base);
    fraction.clamp(0.0, 1.0) * full_score
}

/// The fields of a new indicator (or of an edited one, once the edit is applied).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorSpec {
    pub category: String,
    pub name: String,
    pub kind: Kind,
    pub level: Level,
    pub base_value: f64,
    pub full_value: f64,
    pub full_score: f64,
    pub direction: Direction,
    pub source: Source,
}

impl IndicatorSpec {
    /// Refuses an indicator that could not be scored, naming what to fix.
    pub fn validate(&self) -> Result<()> {
        if self.category.trim().is_empty() {
            return Err(JichaError::invalid(InputWrong::IndicatorNeedsCategory));
        }
        if self.name.trim().is_empty() {
            return Err(JichaError::invalid(InputWrong::IndicatorNeedsName));
        }
        for (v, what) in [
            (self.base_value, "--base"),
            (self.full_value, "--full-mark"),
            (self.full_score, "--full-score"),
        ] {
            if !v.is_finite() {
                return Err(JichaError::invalid(InputWrong::NotANumber { flag: what }));
            }
        }
        if self.full_score <= 0.0 {
            return Err(JichaError::invalid(InputWrong::FullScoreNotPositive));
        }
        let agrees = match self.direction {
            Direction::Higher => self.full_value > self.base_value,
            Direction::Lower => self.full_value < self.base_value,
        };
        if !agrees {
            return Err(JichaError::invalid(InputWrong::DirectionDisagrees {
                higher: self.direction == Direction::Higher,
                base: self.base_value,
                full: self.full_value,
            }));
        }
        Ok(())
    }
}

/// Changes to an indicator; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorPatch {
    pub category: Option<String>,
    pub name: Option<String>,
    pub kind: Option<Kind>,
    pub level: Option<Level>,
    pub base_value: Option<f64>,
    pub full_value: Option<f64>,
    pub full_score: Option<f64>,
    pub direction: Option<Direction>,
    pub source: Option<Source>,
}

impl IndicatorPatch {
    pub fn is_empty(&self) -> bool {
        *self == IndicatorPatch::default()
    }

    pub fn apply(&self, i: &Indicator) -> IndicatorSpec {
        IndicatorSpec {
            category: self.category.clone().unwrap_or_else(|| i.category.clone()),
            name: self.name.clone().unwrap_or_else(|| i.name.clone()),
            kind: self.kind.unwrap_or(i.kind),
            level: self.level.unwrap_or(i.level),
            base_value: self.base_value.unwrap_or(i.base_value),
            full_value: self.full_value.unwrap_or(i.full_value),
            full_score: self.full_score.unwrap_or(i.full_score),
            direction: self.direction.unwrap_or(i.direction),
            source: self.source.unwrap_or(i.source),
        }
    }
}

const COLUMNS: &str = "id, category, name, kind, level, base_value, full_value, full_score, direction, source, enabled, version";

fn read(r: &Row) -> rusqlite::Result<Indicator> {
    // The schema's CHECKs keep these columns to the known words.
    let word = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    Ok(Indicator {
        id: r.get(0)?,
        category: r.get(1)?,
        name: r.get(2)?,
        kind: Kind::parse(&word(3)?).expect("checked by the schema"),
        level: Level::read(&word(4)?).expect("checked by the schema"),
        base_value: r.get(5)?,
        full_value: r.get(6)?,
        full_score: r.get(7)?,
        direction: Direction::parse(&word(8)?).expect("checked by the schema"),
        source: Source::parse(&word(9)?).expect("checked by the schema"),
        enabled: r.get(10)?,
        version: r.get(11)?,
    })
}

/// All indicators: main before process, then by level (station, county, city, province,
/// department), then by id.
pub fn list(conn: &Connection) -> Result<Vec<Indicator>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM quality_indicators ORDER BY kind, id"
    ))?;
    let rows = stmt.query_map([], read)?;
    let mut out: Vec<Indicator> = rows.collect::<rusqlite::Result<_>>()?;
    out.sort_by_key(|i| (i.kind, i.level, i.id));
    Ok(out)
}

pub fn get(conn: &Connection, id: i64) -> Result<Indicator> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM quality_indicators WHERE id = ?1"),
        [id],
        read,
    )
    .optional()?
    .ok_or_else(|| JichaError::invalid(InputWrong::NoIndicator { id }))
}

/// The hand-entered value of an indicator for a unit and period, if any.
pub fn manual_value(conn: &Connection, id: i64, unit: &str, period: &str) -> Result<Option<f64>> {
    Ok(conn
        .query_row(
            "SELECT value FROM quality_values WHERE indicator_id = ?1 AND unit = ?2 AND period = ?3",
            rusqlite::params![id, unit, period],
            |r| r.get(0),
        )
        .optional()?)
}
