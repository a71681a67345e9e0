//! Number comparison with the rule pack's tolerance, and number formatting for evidence.

/// rules.md: two values within 0.005 are equal.
pub const TOL: f64 = 0.005;

/// `a > b` beyond the tolerance.
pub fn gt(a: f64, b: f64) -> bool {
    a - b > TOL
}

/// `a < b` beyond the tolerance.
pub fn lt(a: f64, b: f64) -> bool {
    b - a > TOL
}

/// `a ≥ b`: greater, or equal within the tolerance.
pub fn ge(a: f64, b: f64) -> bool {
    !lt(a, b)
}

/// `a = b` within the tolerance.
pub fn eq(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOL
}

/// `x > bound` for rules with their own bound (BIL-02, ARC-09), used alone: no 0.005 tolerance.
/// Rounding to 1e-6 first keeps binary noise (100.01 − 100 = 0.010000000000005) from
/// making a value exactly at the bound look past it.
pub fn exceeds(x: f64, bound: f64) -> bool {
    (x * 1e6).round() / 1e6 > bound
}

/// `12340.5` → `12,340.5`: at most two decimals, thousands grouped, as operators read figures.
pub fn fmt(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let cents = (v.abs() * 100.0).round() as u64;
    let (int, frac) = (cents / 100, cents % 100);
    let digits = int.to_string();
    let mut out = String::new();
    if v < 0.0 && cents > 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    match frac {
        0 => {}
        f if f % 10 == 0 => out.push_str(&format!(".{}", f / 10)),
        f => out.push_str(&format!(".{f:02}")),
    }
    out
}

/// `%g`-like, as the archive and metering rules have always printed ratios, voltages and
/// capacities: up to six significant digits, no grouping, no trailing zeros (`0.22`, `8000`,
/// `40.006`).
pub fn plain(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == v.trunc() && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let int_digits = (v.abs().log10().floor() as i32 + 1).max(1);
    let decimals = (6 - int_digits).max(0) as usize;
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance() {
        assert!(!gt(10.004, 10.0));
        assert!(gt(10.006, 10.0));
        assert!(ge(9.996, 10.0));
        assert!(!ge(9.994, 10.0));
        assert!(eq(0.004, 0.0) && !eq(0.006, 0.0));
        assert!(!exceeds(100.01 - 100.0, 0.01));
        assert!(exceeds(0.011, 0.01));
    }

    #[test]
    fn formatting() {
        assert_eq!(fmt(12340.0), "12,340");
        assert_eq!(fmt(2105.456), "2,105.46");
        assert_eq!(fmt(-1234567.5), "-1,234,567.5");
        assert_eq!(fmt(0.001), "0");
        assert_eq!(fmt(999.999), "1,000");
    }

    #[test]
    fn plain_formatting() {
        assert_eq!(plain(8000.0), "8000");
        assert_eq!(plain(0.22), "0.22");
        assert_eq!(plain(40.006), "40.006");
        assert_eq!(plain(10.0040001), "10.004");
        assert_eq!(plain(0.1 + 0.2), "0.3");
        assert_eq!(plain(-2.5), "-2.5");
        assert_eq!(plain(0.0000001), "0");
    }
}
