//! Fuzzy matching for the command line and the pickers: the typed characters must appear in
//! the candidate in order (case-insensitive, any script: `米巷` finds `米市巷供电所`); a match
//! scores higher when it starts the candidate, when its characters are consecutive and when
//! they start words. No crate: a candidate list is at most a few thousand short names.

/// The score of `query` in `cand`, None when the characters are not all there in order. An
/// empty query matches everything with score 0.
pub fn score(query: &str, cand: &str) -> Option<i64> {
    let q: Vec<char> = query.chars().flat_map(char::to_lowercase).collect();
    if q.is_empty() {
        return Some(0);
    }
    let c: Vec<char> = cand.chars().flat_map(char::to_lowercase).collect();
    let mut qi = 0;
    let mut total = 0i64;
    let mut prev: Option<usize> = None;
    for (ci, ch) in c.iter().enumerate() {
        if qi == q.len() {
            break;
        }
        if *ch != q[qi] {
            continue;
        }
        let mut s = 1;
        if ci == 0 {
            s += 8;
        } else if prev == Some(ci - 1) {
            s += 5;
        } else if !c[ci - 1].is_alphanumeric() {
            s += 3;
        }
        total += s;
        prev = Some(ci);
        qi += 1;
    }
    if qi < q.len() {
        return None;
    }
    // A shorter candidate is the better of two equal matches; an exact one is best.
    if q == c {
        total += 100;
    }
    Some(total * 4 - c.len() as i64)
}

/// The candidates matching `query`, best first (ties in the given order), at most `limit`.
pub fn rank<'a, T>(
    query: &str,
    cands: &'a [T],
    key: impl Fn(&T) -> &str,
    limit: usize,
) -> Vec<&'a T> {
    let mut scored: Vec<(i64, usize, &T)> = cands
        .iter()
        .enumerate()
        .filter_map(|(i, c)| score(query, key(c)).map(|s| (s, i, c)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(limit).map(|(_, _, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_case_insensitive_any_script() {
        assert!(score("bil3", "BIL-03").is_some());
        assert!(score("米巷", "米市巷供电所").is_some());
        assert!(score("巷米", "米市巷供电所").is_none());
        assert!(score("x", "BIL-03").is_none());
        assert_eq!(score("", "anything"), Some(0));
    }

    #[test]
    fn prefix_and_exact_rank_first() {
        let c = ["rules", "rule", "reports", "unit"];
        let r: Vec<&&str> = rank("rule", &c, |s| *s, 10);
        assert_eq!(r, vec![&"rule", &"rules"]);
        let r: Vec<&&str> = rank("r", &c, |s| *s, 10);
        assert_eq!(r.len(), 3);
        assert_eq!(r[2], &"reports", "the longest of equal matches is last");
        let r: Vec<&&str> = rank("u", &c, |s| *s, 1);
        assert_eq!(r, vec![&"unit"], "a first-letter match beats a later one");
    }
}
