//! Field text to typed values, cheaply (the hot path runs for every field of millions of rows)
//! and strictly: each rejection says what the contract wants instead.

use super::contract::{Bound, Column, Kind};
use crate::dates;
use crate::i18n::import::{BoundBreak, ValueError};
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};

/// A checked field, borrowing its text from the current record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val<'a> {
    Null,
    Text(&'a str),
    Real(f64),
    Int(i64),
}

impl ToSql for Val<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Val::Null => ValueRef::Null,
            Val::Text(s) => ValueRef::Text(s.as_bytes()),
            Val::Real(x) => ValueRef::Real(x),
            Val::Int(i) => ValueRef::Integer(i),
        }))
    }
}

impl<'a> Val<'a> {
    pub fn text(&self) -> Option<&'a str> {
        match self {
            Val::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Checks a non-empty field against its column; `Err` is the "what is wrong" part of a message
/// (`text(lang)`, or `Display` in English).
pub fn parse<'a>(col: &Column, s: &'a str) -> Result<Val<'a>, ValueError> {
    match col.kind {
        Kind::Text => Ok(Val::Text(s)),
        Kind::Enum(values) => {
            if values.contains(&s) {
                Ok(Val::Text(s))
            } else {
                Err(ValueError::NotOneOf {
                    shown: show(s),
                    allowed: values.to_vec(),
                })
            }
        }
        Kind::Number(bound) => {
            let x = number(s).ok_or_else(|| ValueError::NotNumber { shown: show(s) })?;
            check_bound(x, bound).map_err(|bound| ValueError::OutOfBound {
                shown: show(s),
                bound,
            })?;
            Ok(Val::Real(x))
        }
        Kind::Flag => match s {
            "0" => Ok(Val::Int(0)),
            "1" => Ok(Val::Int(1)),
            _ => Err(ValueError::NotFlag { shown: show(s) }),
        },
        Kind::Date => match dates::parse_date(s) {
            Some(_) => Ok(Val::Text(s)),
            None => Err(ValueError::NotDate { shown: show(s) }),
        },
        Kind::Period => match dates::parse_period(s) {
            Some(_) => Ok(Val::Text(s)),
            None => Err(ValueError::NotPeriod { shown: show(s) }),
        },
    }
}

fn check_bound(x: f64, bound: Bound) -> Result<(), BoundBreak> {
    match bound {
        Bound::Any => Ok(()),
        Bound::NonNegative if x < 0.0 => Err(BoundBreak::Negative),
        Bound::Positive if x <= 0.0 => Err(BoundBreak::NotPositive),
        Bound::Fraction if x <= 0.0 || x > 1.0 => Err(BoundBreak::NotFraction),
        _ => Ok(()),
    }
}

/// `-?digits[.digits]` (also `.5`, `5.`), finite. No sign `+`, exponent, spaces or separators:
/// the shape is checked by hand so that `1,000`, `NaN`, `inf` and `1e5` are never accepted.
pub fn number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (negative, digits) = match b.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, b),
    };
    let mut mantissa = 0u64;
    let mut n_digits = 0u32;
    let mut decimals = 0u32;
    let mut seen_point = false;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                n_digits += 1;
                mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
                decimals += u32::from(seen_point);
            }
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if n_digits == 0 {
        return None;
    }
    // Clinger's fast path: a mantissa below 2^53 and a power of ten up to 1e22 are exact
    // doubles, so one division rounds correctly. Longer numbers go through the full parser.
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    if n_digits <= 15 && (decimals as usize) < POW10.len() {
        let x = mantissa as f64 / POW10[decimals as usize];
        return Some(if negative { -x } else { x });
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A value from the file as it may appear in a message: escaped for the terminal, cut when long.
pub fn show(s: &str) -> String {
    let escaped = crate::text::escape(s);
    let cut = crate::text::truncate(&escaped, 60);
    format!("`{cut}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number("12.5"), Some(12.5));
        assert_eq!(number("-3"), Some(-3.0));
        assert_eq!(number("0.90"), Some(0.9));
        assert_eq!(number(".5"), Some(0.5));
        for bad in [
            "", "-", ".", "1,000", "NaN", "inf", "-inf", "1e5", "+1", " 1", "1 ", "1.2.3", "１",
            "0x10",
        ] {
            assert_eq!(number(bad), None, "{bad:?}");
        }
        assert_eq!(number(&"9".repeat(400)), None, "overflows to infinity");
        // The fast path agrees with the standard parser.
        for t in [
            "0.1",
            "0.3",
            "123.45",
            "-20.5",
            "150000",
            "999999999999999",
            "0.000000000000001",
            "1234567.891",
            "5.",
            "-0",
            "75.335",
            "0.07",
        ] {
            assert_eq!(number(t), Some(t.parse::<f64>().unwrap()), "{t}");
        }
        let long = "12345678901234567890.123";
        assert_eq!(number(long), Some(long.parse::<f64>().unwrap()));
    }

    #[test]
    fn bounds() {
        let col = Column {
            name: "ct_ratio",
            kind: Kind::Number(Bound::Positive),
            required: true,
        };
        assert!(parse(&col, "0")
            .unwrap_err()
            .to_string()
            .contains("greater than 0"));
        assert_eq!(parse(&col, "40").unwrap(), Val::Real(40.0));
        let pf = Column {
            name: "pf_standard",
            kind: Kind::Number(Bound::Fraction),
            required: false,
        };
        assert!(parse(&pf, "90").is_err());
        assert!(parse(&pf, "0.85").is_ok());
    }

    #[test]
    fn hostile_values_are_escaped_in_messages() {
        let col = Column {
            name: "status",
            kind: Kind::Enum(&["active", "closed"]),
            required: true,
        };
        let msg = parse(&col, "\u{1b}[31mx").unwrap_err().to_string();
        assert!(!msg.contains('\u{1b}'));
        assert!(msg.contains("not one of `active`, `closed`"));
    }
}
