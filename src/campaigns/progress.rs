//! A campaign's findings ([`members`]) and its progress per unit ([`progress`]), added up the
//! unit tree: each unit's figures are those of its subtree's stations.
//!
//! The four figures of a finding that belongs to the campaign (应查 ⊇ 实查 ⊇ 属实 ⊇ 已整改):
//! - 应查 `due`: every finding in the campaign;
//! - 实查 `checked`: triaged — status other than `new` —, on a ticket, or on a recorded
//!   on-site inspection (现场稽查) ([`checked`]);
//! - 属实 `confirmed`: found to be a real problem — status `confirmed` or `ticketed`, closed
//!   as `rectified`, on a ticket that was not cancelled, or found 属实 / 部分属实 by a recorded
//!   inspection (closed as `false_positive` or `no_action` without such a ticket or visit, a
//!   finding was not a problem to rectify);
//! - 已整改 `rectified`: closed as `rectified`, or its latest ticket approved or archived while
//!   the finding is not back to `new` or `confirmed` (a recurred finding is not rectified).

use super::Campaign;
use crate::error::Result;
use crate::units::Hierarchy;
use rusqlite::{named_params, Connection};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One finding of a campaign, with what its progress is computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub id: i64,
    pub rule: String,
    pub cust_no: String,
    pub station: String,
    pub status: String,
    pub resolution: Option<String>,
    /// On a ticket (any state).
    pub on_ticket: bool,
    /// On a ticket that was not cancelled.
    pub on_live_ticket: bool,
    /// Its latest ticket is approved or archived.
    pub ticket_done: bool,
    /// On a recorded on-site inspection.
    pub inspected: bool,
    /// A recorded inspection found it 属实 or 部分属实.
    pub inspected_true: bool,
}

/// 实查: the finding was looked at: triage (a status other than `new`), a ticket, or a recorded
/// on-site inspection.
pub fn checked(m: &Member) -> bool {
    m.status != "new" || m.on_ticket || m.inspected
}

/// 属实: the finding was found to be a real problem.
pub fn confirmed(m: &Member) -> bool {
    matches!(m.status.as_str(), "confirmed" | "ticketed")
        || m.resolution.as_deref() == Some("rectified")
        || m.on_live_ticket
        || m.inspected_true
}

/// 已整改: the problem was rectified.
pub fn rectified(m: &Member) -> bool {
    m.resolution.as_deref() == Some("rectified")
        || (m.ticket_done && !matches!(m.status.as_str(), "new" | "confirmed"))
}

const MEMBERS_SQL: &str = "
    SELECT f.id, f.rule, f.cust_no, c.station, f.status, f.resolution,
           EXISTS (SELECT 1 FROM ticket_findings tf WHERE tf.finding_id = f.id),
           EXISTS (SELECT 1 FROM ticket_findings tf JOIN tickets t ON t.id = tf.ticket_id
                   WHERE tf.finding_id = f.id AND t.state <> 'cancelled'),
           COALESCE((SELECT t.state IN ('approved', 'archived')
                     FROM ticket_findings tf JOIN tickets t ON t.id = tf.ticket_id
                     WHERE tf.finding_id = f.id ORDER BY t.id DESC LIMIT 1), 0),
           EXISTS (SELECT 1 FROM inspection_findings i JOIN inspections n ON n.id = i.inspection_id
                   WHERE i.finding_id = f.id AND n.state = 'recorded'),
           EXISTS (SELECT 1 FROM inspection_findings i JOIN inspections n ON n.id = i.inspection_id
                   WHERE i.finding_id = f.id AND n.state = 'recorded'
                     AND i.outcome IN ('true', 'partly'))
    FROM findings f JOIN customers c ON c.cust_no = f.cust_no
    WHERE f.first_seen <= :to AND f.last_seen >= :from
      AND (:rules = '[]' OR f.rule IN (SELECT value FROM json_each(:rules)))
      AND (:cats = '[]' OR c.category IN (SELECT value FROM json_each(:cats)))
      AND (:stations IS NULL OR c.station IN (SELECT value FROM json_each(:stations)))
      AND (:ids IS NULL OR f.id IN (SELECT value FROM json_each(:ids)))
    ORDER BY f.id";

fn query(
    conn: &Connection,
    h: &Hierarchy,
    c: &Campaign,
    ids: Option<&[i64]>,
) -> Result<Vec<Member>> {
    let json = |v: &[String]| serde_json::to_string(v).expect("serializable");
    let stations = c.stations(h).map(|s| json(&s));
    let ids = ids.map(|i| serde_json::to_string(i).expect("serializable"));
    let mut stmt = conn.prepare_cached(MEMBERS_SQL)?;
    let rows = stmt.query_map(
        named_params! {
            ":from": c.period_from,
            ":to": c.period_to,
            ":rules": json(&c.rules),
            ":cats": json(&c.categories),
            ":stations": stations,
            ":ids": ids,
        },
        |r| {
            Ok(Member {
                id: r.get(0)?,
                rule: r.get(1)?,
                cust_no: r.get(2)?,
                station: r.get(3)?,
                status: r.get(4)?,
                resolution: r.get(5)?,
                on_ticket: r.get(6)?,
                on_live_ticket: r.get(7)?,
                ticket_done: r.get(8)?,
                inspected: r.get(9)?,
                inspected_true: r.get(10)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every finding of the campaign, by id.
pub fn members(conn: &Connection, c: &Campaign) -> Result<Vec<Member>> {
    query(conn, &Hierarchy::load(conn)?, c, None)
}

/// The ids among `ids` that belong to the campaign.
pub fn members_among(
    conn: &Connection,
    h: &Hierarchy,
    c: &Campaign,
    ids: &[i64],
) -> Result<BTreeSet<i64>> {
    Ok(query(conn, h, c, Some(ids))?
        .into_iter()
        .map(|m| m.id)
        .collect())
}

/// The four figures of a set of findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// 应查
    pub due: u64,
    /// 实查
    pub checked: u64,
    /// 属实
    pub confirmed: u64,
    /// 已整改
    pub rectified: u64,
}

impl Figures {
    fn add(&mut self, m: &Member) {
        self.due += 1;
        self.checked += checked(m) as u64;
        self.confirmed += confirmed(m) as u64;
        self.rectified += rectified(m) as u64;
    }

    fn plus(&mut self, o: &Figures) {
        self.due += o.due;
        self.checked += o.checked;
        self.confirmed += o.confirmed;
        self.rectified += o.rectified;
    }

    /// 实查率: checked / due (None when nothing is due).
    pub fn checked_rate(&self) -> Option<f64> {
        ratio(self.checked, self.due)
    }

    /// 属实率: confirmed / checked.
    pub fn confirmed_rate(&self) -> Option<f64> {
        ratio(self.confirmed, self.checked)
    }

    /// 整改率: rectified / confirmed.
    pub fn rectified_rate(&self) -> Option<f64> {
        ratio(self.rectified, self.confirmed)
    }
}

fn ratio(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// One unit's figures (its subtree's), with its place in the tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitProgress {
    pub unit: String,
    pub level: &'static str,
    pub depth: usize,
    #[serde(flatten)]
    pub figures: Figures,
}

/// A campaign's progress: per unit in the tree's order (units with findings in the campaign,
/// and the units of its scope), and the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub units: Vec<UnitProgress>,
    pub total: Figures,
}

/// The progress of the campaign as the dataset is now.
pub fn progress(conn: &Connection, c: &Campaign) -> Result<Progress> {
    let h = Hierarchy::load(conn)?;
    let members = query(conn, &h, c, None)?;
    Ok(roll_up(&h, c, &members))
}

/// Adds the members' figures per station, then up the tree.
pub fn roll_up(h: &Hierarchy, c: &Campaign, members: &[Member]) -> Progress {
    let mut by_station: BTreeMap<&str, Figures> = BTreeMap::new();
    let mut total = Figures::default();
    for m in members {
        by_station.entry(m.station.as_str()).or_default().add(m);
        total.add(m);
    }
    let mut units = Vec::new();
    for (unit, depth) in h.preorder() {
        let mut f = Figures::default();
        for s in h.subtree(&unit.name) {
            if let Some(sf) = by_station.get(s) {
                f.plus(sf);
            }
        }
        if f.due > 0 || c.units.contains(&unit.name) {
            units.push(UnitProgress {
                unit: unit.name.clone(),
                level: unit.level.as_str(),
                depth,
                figures: f,
            });
        }
    }
    Progress { units, total }
}
