//! Business dates (local dates in the dataset's timezone) and billing periods.

use crate::error::{JichaError, Result};
use crate::i18n::refusals_cli::CliWrong;
use chrono::{Datelike, Days, FixedOffset, Months, NaiveDate, Utc};

/// The years a business date may fall in: an operator's date argument, and every date jicha
/// computes from one (due dates, whitelist expiries), must lie in 1900–2200. Anything else is
/// a typo (`0026`, `9999`), and keeping to this range keeps all date arithmetic far from
/// chrono's limits.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

/// Asia/Shanghai has kept UTC+8 without daylight saving since 1991.
const SHANGHAI_OFFSET_SECS: i32 = 8 * 3600;

/// Today's business date: `--today` when given, else the date in Asia/Shanghai now.
pub fn business_today(flag: Option<NaiveDate>) -> NaiveDate {
    flag.unwrap_or_else(|| {
        let tz = FixedOffset::east_opt(SHANGHAI_OFFSET_SECS).expect("valid offset");
        Utc::now().with_timezone(&tz).date_naive()
    })
}

/// Strict `YYYY-MM-DD` (four-digit year, two-digit month and day, a real calendar date).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])?;
    let m = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// Strict `YYYY-MM` with a month 01–12.
pub fn parse_period(s: &str) -> Option<(i32, u32)> {
    let b = s.as_bytes();
    if b.len() != 7 || b[4] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])?;
    let m = digits(&b[5..7])?;
    (1..=12).contains(&m).then_some((y as i32, m))
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

pub fn parse_date_arg(s: &str) -> Result<NaiveDate> {
    parse_arg_said(s).map_err(JichaError::invalid)
}

/// A date given on the command line: strict `YYYY-MM-DD` within 1900–2200. The error says
/// what to write (clap prints it after the option's name).
pub fn parse_arg(s: &str) -> std::result::Result<NaiveDate, String> {
    parse_arg_said(s).map_err(|e| e.to_string())
}

/// The same, the refusal as a value (clap carries it; the CLI says it in the operator's
/// language).
pub fn parse_arg_said(s: &str) -> std::result::Result<NaiveDate, CliWrong> {
    let d = parse_date(s).ok_or_else(|| CliWrong::NotADate {
        given: s.to_string(),
    })?;
    if in_range(d) {
        Ok(d)
    } else {
        Err(CliWrong::DateOutOfRange {
            given: s.to_string(),
            first: FIRST_YEAR,
            last: LAST_YEAR,
        })
    }
}

pub fn in_range(d: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&d.year())
}

/// A year of a period given on the command line, within 1900–2200.
/// `period` is the period as typed, named in the refusal.
pub fn check_year(y: i32, period: &str) -> Result<i32> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&y) {
        Ok(y)
    } else {
        Err(JichaError::invalid(
            crate::i18n::refusals_input::InputWrong::YearOutOfRange {
                period: period.to_string(),
                first: FIRST_YEAR,
                last: LAST_YEAR,
            },
        ))
    }
}

/// `d` plus `days` days, or None when that is not a date within 1900–2200 (or `days` is
/// negative): for dates computed from an operator's input, which must never panic.
pub fn add_days(d: NaiveDate, days: i64) -> Option<NaiveDate> {
    let days = u64::try_from(days).ok()?;
    d.checked_add_days(Days::new(days)).filter(|d| in_range(*d))
}

/// The billing period `YYYY-MM` that a date falls in.
pub fn period_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// A period as a month index (year × 12 + month − 1), so that consecutive months differ by 1.
pub fn period_index(p: &str) -> Option<i32> {
    parse_period(p).map(|(y, m)| y * 12 + m as i32 - 1)
}

pub fn period_from_index(i: i32) -> String {
    format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1)
}

/// `d` minus `n` calendar years; 29 February becomes 28 February.
pub fn years_before(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(12 * n))
        .expect("date in range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_dates() {
        assert_eq!(
            parse_date("2026-02-28"),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-2-28"), None);
        assert_eq!(parse_date("２０２６-02-28"), None);
        assert_eq!(parse_date("2026/02/28"), None);
    }

    #[test]
    fn argument_dates_keep_to_1900_2200() {
        assert!(parse_arg("1900-01-01").is_ok());
        assert!(parse_arg("2200-12-31").is_ok());
        for bad in ["1899-12-31", "2201-01-01", "0000-01-01", "9999-12-31"] {
            let e = parse_arg(bad).unwrap_err();
            assert!(e.contains("1900–2200"), "{bad}: {e}");
        }
        assert!(parse_arg("2026-02-30").unwrap_err().contains("YYYY-MM-DD"));
    }

    #[test]
    fn computed_dates_stay_in_range_or_are_none() {
        let d = NaiveDate::from_ymd_opt(2200, 12, 1).unwrap();
        assert_eq!(add_days(d, 30), NaiveDate::from_ymd_opt(2200, 12, 31));
        assert_eq!(add_days(d, 31), None);
        assert_eq!(add_days(d, i64::MAX), None);
        assert_eq!(add_days(d, -1), None);
    }

    #[test]
    fn periods() {
        assert_eq!(parse_period("2026-12"), Some((2026, 12)));
        assert_eq!(parse_period("2026-13"), None);
        assert_eq!(parse_period("2026-00"), None);
        let i = period_index("2026-01").unwrap();
        assert_eq!(period_from_index(i - 1), "2025-12");
    }

    #[test]
    fn leap_day_minus_years() {
        let d = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        assert_eq!(
            years_before(d, 3),
            NaiveDate::from_ymd_opt(2025, 2, 28).unwrap()
        );
        assert_eq!(
            years_before(d, 4),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
    }
}
