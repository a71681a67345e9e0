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
}
