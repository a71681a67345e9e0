//! Bulk marking for a list of findings (visidata's `gs`/`gt`, vim's `V`): mark every row the
//! filter shows, invert the marks among them, or mark a range — pressed on one row, then on
//! another, every row between (both included) is marked. Marks keep the version each row had
//! when it was marked, so a bulk action is refused for a row someone changed since.

use std::collections::BTreeMap;

/// Marks every finding of `versions`.
pub fn mark_all(marked: &mut BTreeMap<i64, i64>, versions: &[(i64, i64)]) {
    for (id, v) in versions {
        marked.entry(*id).or_insert(*v);
    }
}

/// Unmarks the marked findings of `versions` and marks the others; marks outside the list
/// (hidden by the filter) stay as they are.
pub fn invert(marked: &mut BTreeMap<i64, i64>, versions: &[(i64, i64)]) {
    for (id, v) in versions {
        if marked.remove(id).is_none() {
            marked.insert(*id, *v);
        }
    }
}

/// The positions from `a` to `b` in either order, both included, within `len`.
pub fn range(a: usize, b: usize, len: usize) -> std::ops::Range<usize> {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    lo.min(len)..(hi + 1).min(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_invert_range() {
        let mut m = BTreeMap::from([(9, 1)]);
        mark_all(&mut m, &[(1, 3), (2, 4)]);
        assert_eq!(m, BTreeMap::from([(1, 3), (2, 4), (9, 1)]));
        invert(&mut m, &[(1, 3), (2, 4), (3, 7)]);
        assert_eq!(m, BTreeMap::from([(3, 7), (9, 1)]), "a hidden mark stays");
        assert_eq!(range(5, 2, 10), 2..6);
        assert_eq!(range(2, 2, 10), 2..3);
        assert_eq!(range(8, 12, 10), 8..10);
    }
}
