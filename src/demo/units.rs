//! The demo's units.csv (组织机构): a province company above one city company, whose counties
//! are the demo's districts with their supply stations below them, and the city's functional
//! departments (计量中心, 客户服务中心, 稽查信息室). Every customer's station and district
//! (`names::DISTRICTS`) are units of it, so the export imports as the data contract says.
//! Heads (负责人) are fixed names: the file does not change with the seed.

use super::names::DISTRICTS;
use crate::error::Result;
use std::io::Write;
use std::path::Path;

pub const PROVINCE: &str = "国网某省电力公司";
pub const CITY: &str = "国网杭州供电公司";
/// The city's departments, with their heads.
pub const DEPARTMENTS: &[(&str, &str)] = &[
    ("计量中心", "刘建华"),
    ("客户服务中心", "孙丽娟"),
    ("稽查信息室", "陈志强"),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "霞",
    "平", "刚", "建国", "海燕", "立新", "晓东", "文斌", "雪梅",
];

/// The `k`-th unit's head: a surname and a given name that walk their lists at different
/// strides, so that neighbours do not share a surname.
fn head(k: usize) -> String {
    format!(
        "{}{}",
        SURNAMES[(k * 7 + 3) % SURNAMES.len()],
        GIVEN[(k * 5 + 1) % GIVEN.len()]
    )
}

/// The rows of the file: (unit, parent, level, head), parents before their children.
pub fn rows() -> Vec<(&'static str, &'static str, &'static str, String)> {
    let mut out = vec![
        (PROVINCE, "", "province", "周建国".to_string()),
        (CITY, PROVINCE, "city", "吴海燕".to_string()),
    ];
    for (name, who) in DEPARTMENTS {
        out.push((name, CITY, "department", who.to_string()));
    }
    let mut k = 0;
    for d in DISTRICTS {
        out.push((d.name, CITY, "county", head(k)));
        k += 1;
        for s in d.stations {
            out.push((s.name, d.name, "station", head(k)));
            k += 1;
        }
    }
    out
}

/// Writes `dir/units.csv`; returns its rows.
pub fn write(dir: &Path) -> Result<u64> {
    let spec = &crate::import::contract::UNITS;
    let file = std::fs::File::create(dir.join(spec.file))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let io = |e: csv::Error| crate::error::JichaError::Io(std::io::Error::from(e));
    w.write_record(spec.columns.iter().map(|c| c.name))
        .map_err(io)?;
    let rows = rows();
    for (unit, parent, level, head) in &rows {
        w.write_record([unit, parent, level, head.as_str()])
            .map_err(io)?;
    }
    let mut buf = w
        .into_inner()
        .map_err(|e| crate::error::JichaError::Io(std::io::Error::other(e.to_string())))?;
    buf.flush()?;
    buf.get_ref().sync_all()?;
    Ok(rows.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::{Hierarchy, Unit, UnitLevel};

    #[test]
    fn the_tree_holds_every_district_and_station_of_the_demo() {
        let h = Hierarchy::from_units(
            rows()
                .into_iter()
                .map(|(u, p, l, head)| Unit {
                    name: u.into(),
                    parent: (!p.is_empty()).then(|| p.into()),
                    level: UnitLevel::parse(l).unwrap(),
                    head: Some(head),
                })
                .collect(),
        );
        assert_eq!(h.roots(), vec![PROVINCE]);
        for d in DISTRICTS {
            assert_eq!(h.get(d.name).unwrap().level, UnitLevel::County);
            for s in d.stations {
                assert_eq!(h.parent(s.name), Some(d.name));
                assert!(h.ancestors(s.name).contains(&CITY));
            }
        }
        let stations: usize = DISTRICTS.iter().map(|d| d.stations.len()).sum();
        assert_eq!(h.stations_under(PROVINCE).len(), stations);
        assert_eq!(h.len(), 2 + DEPARTMENTS.len() + DISTRICTS.len() + stations);
        assert!(h
            .units()
            .all(|u| u.head.as_deref().is_some_and(|n| n.chars().count() >= 2)));
    }
}
