//! The checks of units.csv that need the whole file (data-contract.md, "units.csv"): every
//! parent is a unit of the file, the parents make no cycle, and every customer's `station` is
//! a unit of level `station` with its `district` above it. They run once every file of the
//! run is read, inside its transaction: an error here, like any other, writes nothing.
//!
//! A run without units.csv keeps the units an earlier run imported, as it keeps the rows of
//! every other file it does not carry; its customers are then checked against those units,
//! since the tree (`units::Hierarchy`) is still theirs.

use super::errors::MAX_SHOWN;
use super::load::RunState;
use crate::error::Result;
use crate::i18n::units::TreeWrong;
use crate::text::escape;
use crate::units::{Hierarchy, Unit, UnitLevel};
use rusqlite::Transaction;
use std::collections::{BTreeMap, HashSet};

/// The units.csv of this run (its name as found: `units.csv` or `units.csv.gz`) and whether
/// its rows read without error; `customers`: the name of this run's customers file.
pub struct UnitsFile<'a> {
    pub name: &'a str,
    pub clean: bool,
}

pub fn check(
    tx: &Transaction,
    import_id: i64,
    file: Option<UnitsFile<'_>>,
    customers: &str,
    st: &mut RunState,
) -> Result<()> {
    if let Some(f) = &file {
        tree(tx, import_id, f.name, st)?;
        if !f.clean {
            // Rows of the file were refused: checked against the rest, the customers would
            // report errors that are only the echo of those.
            return Ok(());
        }
    }
    let h = Hierarchy::load(tx)?;
    if !h.imported {
        return Ok(());
    }
    customers_against(tx, import_id, &h, file.is_none(), customers, st)
}

/// The file's units: (name, parent, line), in file order.
fn file_units(tx: &Transaction, import_id: i64) -> Result<Vec<(String, Option<String>, i64)>> {
    let mut stmt =
        tx.prepare("SELECT name, parent, src_line FROM units WHERE ?1 = ?1 ORDER BY src_line")?;
    let rows = stmt.query_map([import_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Parents outside the file, and cycles, in line order.
fn tree(tx: &Transaction, import_id: i64, name: &str, st: &mut RunState) -> Result<()> {
    let lang = st.lang;
    let rows = file_units(tx, import_id)?;
    let of_file: BTreeMap<&str, (Option<&str>, i64)> = rows
        .iter()
        .map(|(n, p, l)| (n.as_str(), (p.as_deref(), *l)))
        .collect();
    let names = Hierarchy::from_units(
        rows.iter()
            .map(|(n, _, _)| Unit {
                name: n.clone(),
                parent: None,
                level: UnitLevel::Station,
                head: None,
            })
            .collect(),
    );
    let mut errors: Vec<(i64, String)> = Vec::new();
    for (unit, parent, line) in &rows {
        if let Some(p) = parent.as_deref().filter(|p| !of_file.contains_key(p)) {
            let why = TreeWrong::ParentNotInFile {
                parent: escape(p).into_owned(),
                nearest: names
                    .nearest(p, 3)
                    .into_iter()
                    .filter(|n| n != unit)
                    .map(|n| escape(&n).into_owned())
                    .collect(),
            };
            errors.push((*line, format!("{name}:{line}: parent: {}", why.text(lang))));
        }
    }
    let mut done: HashSet<&str> = HashSet::new();
    for (unit, _, _) in &rows {
        let mut path: Vec<&str> = Vec::new();
        let mut at = Some(unit.as_str());
        while let Some(u) = at.filter(|u| of_file.contains_key(u) && !done.contains(u)) {
            if let Some(pos) = path.iter().position(|p| *p == u) {
                errors.push(cycle(&path[pos..], &of_file, name, lang));
                break;
            }
            path.push(u);
            at = of_file[u].0;
        }
        done.extend(path);
    }
    errors.sort();
    for (_, e) in errors {
        st.errors.add(|| e);
    }
    Ok(())
}

/// The error of one cycle, at the line of its unit that comes first in the file, the cycle
/// named from that unit up its parents and back.
fn cycle(
    members: &[&str],
    of_file: &BTreeMap<&str, (Option<&str>, i64)>,
    name: &str,
    lang: crate::context::Lang,
) -> (i64, String) {
    let first = (0..members.len())
        .min_by_key(|&k| of_file[members[k]].1)
        .expect("a cycle has a unit");
    let units: Vec<String> = (0..=members.len())
        .map(|k| escape(members[(first + k) % members.len()]).into_owned())
        .collect();
    let line = of_file[members[first]].1;
    let why = TreeWrong::Cycle { units };
    (line, format!("{name}:{line}: parent: {}", why.text(lang)))
}

/// A customer's station and district against the tree, or why not.
fn wrong(h: &Hierarchy, station: &str, district: &str) -> Option<(&'static str, TreeWrong)> {
    let Some(unit) = h.get(station) else {
        let nearest = h
            .nearest(station, 3)
            .into_iter()
            .filter(|n| h.get(n).is_some_and(|u| u.level == UnitLevel::Station))
            .map(|n| escape(&n).into_owned())
            .collect();
        return Some((
            "station",
            TreeWrong::StationNotUnit {
                station: escape(station).into_owned(),
                nearest,
            },
        ));
    };
    if unit.level != UnitLevel::Station {
        return Some((
            "station",
            TreeWrong::StationNotStation {
                station: escape(station).into_owned(),
                level: unit.level.as_str().to_string(),
            },
        ));
    }
    let above = h.ancestors(station);
    if above.contains(&district) {
        return None;
    }
    Some((
        "district",
        TreeWrong::DistrictNotAbove {
            district: escape(district).into_owned(),
            station: escape(station).into_owned(),
            above: above.iter().map(|a| escape(a).into_owned()).collect(),
        },
    ))
}

/// Every (station, district) of the customers checked once; the customers of a pair that
/// fails are named by line, this run's first (then those stored before, when units.csv came
/// now and so applies to them too). At most `MAX_SHOWN` lines are looked up; the rest count.
fn customers_against(
    tx: &Transaction,
    import_id: i64,
    h: &Hierarchy,
    only_this_run: bool,
    customers: &str,
    st: &mut RunState,
) -> Result<()> {
    let lang = st.lang;
    let scope = if only_this_run {
        "WHERE import_id = ?1"
    } else {
        "WHERE ?1 = ?1"
    };
    let mut pairs = tx.prepare(&format!(
        "SELECT station, district, count(*) FROM customers {scope} GROUP BY station, district"
    ))?;
    let mut bad: Vec<(String, String, &'static str, TreeWrong)> = Vec::new();
    let mut total = 0u64;
    let rows = pairs.query_map([import_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (station, district, n) = row?;
        if let Some((column, why)) = wrong(h, &station, &district) {
            total += n as u64;
            bad.push((station, district, column, why));
        }
    }
    if bad.is_empty() {
        return Ok(());
    }
    let mut lines = tx.prepare(&format!(
        "SELECT import_id <> ?1, src_line, import_id FROM customers {scope}
           AND station = ?2 AND district = ?3 ORDER BY 1, 2 LIMIT {MAX_SHOWN}"
    ))?;
    // (earlier run, line, import, message)
    let mut found: Vec<(bool, i64, i64, String)> = Vec::new();
    for (station, district, column, why) in &bad {
        let rows = lines.query_map(rusqlite::params![import_id, station, district], |r| {
            Ok((
                r.get::<_, bool>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (earlier, line, import) = row?;
            found.push((
                earlier,
                line,
                import,
                format!("{column}: {}", why.text(lang)),
            ));
        }
    }
    found.sort();
    found.truncate(MAX_SHOWN);
    let shown = found.len() as u64;
    for (earlier, line, import, msg) in found {
        st.errors.add(|| {
            if earlier {
                let of = TreeWrong::OfImport { import }.text(lang);
                format!("customers.csv:{line} {of}: {msg}")
            } else {
                format!("{customers}:{line}: {msg}")
            }
        });
    }
    st.errors.add_unshown(total.saturating_sub(shown));
    Ok(())
}
