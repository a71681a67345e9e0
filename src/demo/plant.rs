//! The planted-case manifest: which anomalies (true hits) and near misses the demo export
//! carries, how many of each per block of 1,000 customers, and which findings each case is
//! expected to produce under the default thresholds of `data/thresholds.toml` for a scan as of
//! any day in the month after `end_period`.
//!
//! The first block of 1,000 customers is dense (every rule several times, every variant at
//! least once) so that a 1,000-customer demo shows every rule; later blocks carry one case
//! each, which keeps a large export at a few percent of customers with a problem.
//!
//! The precise condition each case meets is commented where the case is built, in `gen.rs`.

use super::rng::Rng;

/// Customers per layout block.
pub const BLOCK: u64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    // True hits.
    Arc01,
    Arc02,
    Arc03,
    Arc04,
    Arc05,
    Arc06,
    Arc07,
    Arc08,
    Arc09,
    Bil01,
    Bil02,
    Bil03,
    Bil04,
    Bil05,
    Bil06,
    Bil07,
    Bil08,
    Bil09,
    Bil10,
    Mtr01,
    Mtr02,
    Mtr03,
    Mtr04,
    Mtr05,
    Sus01,
    Sus02,
    Sus03,
    Con01,
    Svc01,
    // ARC-10..15 and SUS-04 (their cases are built in their own blocks of gen.rs).
    Arc10,
    Arc11,
    Arc12,
    Arc13,
    Arc14,
    Arc15,
    Sus04,
    /// THF-01 with two signals (level 4).
    Thf4,
    /// Three signals (level 3).
    Thf3,
    /// Four signals (level 2).
    Thf2,
    /// Five signals (level 1) when the export has at least 15 months (the year-on-year
    /// signal needs the same period a year before one of the latest three); else level 2.
    Thf1,
    /// An external finding: index into `EXTERNAL`.
    Ext(u8),
    // Issue 12 billing and theft cases (true hits).
    Bil11,
    Bil12,
    Bil13,
    Bil14,
    /// THF-01 level 1 with the metering-event signal (six signals from 15 months, else five).
    Thf6,
    // Near misses: just on the non-firing side of a rule.
    Arc01Near,
    Arc02Near,
    Arc04Near,
    Arc06Near,
    Arc07Near,
    Arc08Near,
    Arc09Near,
    Bil01Near,
    Bil02Near,
    Bil03Near,
    Bil04Near,
    Bil0506Near,
    Bil07Near,
    Bil08Near,
    Bil09Near,
    Bil10Near,
    Mtr01Near,
    Mtr02Near,
    Mtr03Near,
    Mtr04Near,
    Mtr05Near,
    Sus01Near,
    Sus02Near,
    Sus03Near,
    Con01Near,
    Svc01Near,
    ThfNear,
    // Issue 12 billing and theft near misses.
    Bil08SuspNear,
    Bil11Near,
    Bil12Near,
    Bil13Near,
    Bil14Near,
    ThfEventNear,
    // Issue 12 archive and business near misses.
    Arc10Near,
    Arc11Near,
    Arc12Near,
    Arc13Near,
    Arc14Near,
    Arc15Near,
    Sus04Near,
}

/// An external system's rule: (source, rule_code, rule_name, severity, evidence).
pub struct ExternalRule {
    pub source: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub evidence: &'static str,
    /// `EXT:<source>:<code>`, the rule id the scan gives it.
    pub rule_id: &'static str,
    /// The subject is the meter (collection system) or the period (service desk).
    pub by_meter: bool,
}

pub const EXTERNAL: &[ExternalRule] = &[
    ExternalRule {
        source: "采集系统",
        code: "CJ-011",
        name: "电能表失压",
        severity: "high",
        evidence: "A相电压0V，持续36小时，同期电流正常",
        rule_id: "EXT:采集系统:CJ-011",
        by_meter: true,
    },
    ExternalRule {
        source: "采集系统",
        code: "CJ-014",
        name: "电能表开盖事件",
        severity: "high",
        evidence: "表盖开启记录1次，未见工单",
        rule_id: "EXT:采集系统:CJ-014",
        by_meter: true,
    },
    ExternalRule {
        source: "采集系统",
        code: "CJ-032",
        name: "日冻结示数倒走",
        severity: "medium",
        evidence: "日冻结正向有功示数较前一日减少",
        rule_id: "EXT:采集系统:CJ-032",
        by_meter: true,
    },
    ExternalRule {
        source: "95598",
        code: "KF-03",
        name: "客户反映电费异常",
        severity: "medium",
        evidence: "客户来电反映本月电费明显偏高，要求核查",
        rule_id: "EXT:95598:KF-03",
        by_meter: false,
    },
    ExternalRule {
        source: "95598",
        code: "KF-07",
        name: "举报窃电",
        severity: "high",
        evidence: "群众举报该户私拉乱接，疑似绕越计量",
        rule_id: "EXT:95598:KF-07",
        by_meter: false,
    },
];

pub struct CaseDef {
    pub case: Case,
    /// How many in the first block of 1,000 customers (at least one per variant).
    pub first: u32,
    /// How many in each later block.
    pub later: u32,
    /// For a near miss: the rules it sits just outside of.
    pub near_for: &'static [&'static str],
}

const fn hit(case: Case, first: u32) -> CaseDef {
    CaseDef {
        case,
        first,
        later: 1,
        near_for: &[],
    }
}

const fn near(case: Case, first: u32, near_for: &'static [&'static str]) -> CaseDef {
    CaseDef {
        case,
        first,
        later: 1,
        near_for,
    }
}

use Case::*;

pub const CASES: &[CaseDef] = &[
    hit(Arc01, 4),
    hit(Arc02, 3),
    hit(Arc03, 3),
    hit(Arc04, 3),
    hit(Arc05, 3),
    hit(Arc06, 3),
    hit(Arc07, 3),
    hit(Arc08, 3),
    hit(Arc09, 3),
    hit(Bil01, 3),
    hit(Bil02, 3),
    hit(Bil03, 4),
    hit(Bil04, 3),
    hit(Bil05, 3),
    hit(Bil06, 3),
    hit(Bil07, 2),
    hit(Bil08, 3),
    hit(Bil09, 2),
    hit(Bil10, 3),
    hit(Mtr01, 3),
    hit(Mtr02, 3),
    hit(Mtr03, 3),
    hit(Mtr04, 2),
    hit(Mtr05, 2),
    hit(Sus01, 4),
    hit(Sus02, 3),
    hit(Sus03, 4),
    hit(Con01, 4),
    hit(Svc01, 3),
    hit(Arc10, 2),
    hit(Arc11, 2),
    hit(Arc12, 3),
    hit(Arc13, 2),
    hit(Arc14, 2),
    hit(Arc15, 3),
    hit(Sus04, 2),
    hit(Thf4, 2),
    hit(Thf3, 2),
    hit(Thf2, 2),
    hit(Thf1, 2),
    hit(Ext(0), 2),
    hit(Ext(1), 1),
    hit(Ext(2), 1),
    hit(Ext(3), 2),
    hit(Ext(4), 1),
    near(Arc01Near, 2, &["ARC-01"]),
    near(Arc02Near, 3, &["ARC-02"]),
    near(Arc04Near, 2, &["ARC-04"]),
    near(Arc06Near, 2, &["ARC-06"]),
    near(Arc07Near, 1, &["ARC-07"]),
    near(Arc08Near, 2, &["ARC-08"]),
    near(Arc09Near, 2, &["ARC-09"]),
    near(Bil01Near, 2, &["BIL-01"]),
    near(Bil02Near, 2, &["BIL-02"]),
    near(Bil03Near, 2, &["BIL-03"]),
    near(Bil04Near, 2, &["BIL-04"]),
    near(Bil0506Near, 2, &["BIL-05", "BIL-06"]),
    near(Bil07Near, 1, &["BIL-07"]),
    near(Bil08Near, 2, &["BIL-08"]),
    near(Bil09Near, 1, &["BIL-09"]),
    near(Bil10Near, 2, &["BIL-10"]),
    near(Mtr01Near, 1, &["MTR-01"]),
    near(Mtr02Near, 2, &["MTR-02"]),
    near(Mtr03Near, 2, &["MTR-03"]),
    near(Mtr04Near, 1, &["MTR-04"]),
    near(Mtr05Near, 1, &["MTR-05"]),
    near(Sus01Near, 2, &["SUS-01"]),
    near(Sus02Near, 1, &["SUS-02"]),
    near(Sus03Near, 2, &["SUS-03"]),
    near(Con01Near, 2, &["CON-01"]),
    near(Svc01Near, 2, &["SVC-01"]),
    near(ThfNear, 2, &["THF-01"]),
    // Issue 12 billing and theft cases.
    hit(Bil11, 1),
    hit(Bil12, 1),
    hit(Bil13, 2),
    hit(Bil14, 1),
    hit(Thf6, 1),
    near(Bil08SuspNear, 1, &["BIL-08"]),
    near(Bil11Near, 1, &["BIL-11"]),
    near(Bil12Near, 1, &["BIL-12"]),
    near(Bil13Near, 1, &["BIL-13"]),
    near(Bil14Near, 1, &["BIL-14"]),
    near(ThfEventNear, 1, &["THF-01"]),
    // Issue 12 archive and business near misses.
    near(Arc10Near, 2, &["ARC-10"]),
    near(Arc11Near, 2, &["ARC-11"]),
    near(Arc12Near, 1, &["ARC-12"]),
    near(Arc13Near, 2, &["ARC-13"]),
    near(Arc14Near, 2, &["ARC-14"]),
    near(Arc15Near, 2, &["ARC-15"]),
    near(Sus04Near, 2, &["SUS-04"]),
];

/// How many variants a case comes in (the `nth` a case is built with is below this).
pub fn variants(case: Case) -> u32 {
    match case {
        Arc01 => 4,
        Arc02 | Arc02Near | Arc03 | Arc04 | Bil04 | Mtr03 | Svc01 | Arc12 | Arc15 => 3,
        Arc10 | Arc10Near | Arc11 | Arc11Near | Arc13 | Arc13Near | Arc14 | Arc14Near
        | Arc15Near | Sus04 | Sus04Near => 2,
        Arc01Near | Arc04Near | Arc06 | Arc06Near | Arc07 | Bil01 | Bil02 | Bil03 | Bil03Near
        | Mtr01 | Mtr02 | Mtr03Near | Sus01 | Sus03 | Sus03Near | Con01 | Con01Near | Svc01Near => {
            2
        }
        Bil13 => 2,
        _ => 1,
    }
}

/// Months of history the export needs: three previous periods before a mid-history plant, the
/// plant, and the latest three periods kept apart for the THF-01 cases.
pub const MIN_MONTHS: u32 = 8;

/// Months from which the THF-01 level-1 case can show its year-on-year signal.
pub const YOY_MONTHS: u32 = 15;

/// The findings a case produces, by rule id (one entry per finding). Cases that plant an
/// anomaly of one rule sometimes necessarily carry another (a THF-01 case holds the MTR-01
/// mismatch and the BIL-01 break that are two of its signals); those are listed too, so the
/// manifest is the full expected hit count of planted customers.
pub fn expected(case: Case) -> &'static [&'static str] {
    match case {
        Arc01 => &["ARC-01"],
        Arc02 => &["ARC-02"],
        Arc03 => &["ARC-03"],
        Arc04 => &["ARC-04"],
        Arc05 => &["ARC-05"],
        Arc06 => &["ARC-06"],
        Arc07 => &["ARC-07"],
        Arc08 => &["ARC-08"],
        Arc09 => &["ARC-09"],
        Bil01 => &["BIL-01"],
        Bil02 => &["BIL-02"],
        // The amount follows the kWh: BIL-13 fires with BIL-03; a negative or zero amount is
        // also a BIL-13 drop.
        Bil03 => &["BIL-03", "BIL-13"],
        Bil04 => &["BIL-04"],
        Bil05 => &["BIL-05", "BIL-13"],
        Bil06 => &["BIL-06", "BIL-13"],
        Bil07 => &["BIL-07"],
        Bil08 => &["BIL-08"],
        Bil09 => &["BIL-09"],
        // The one month billed at another multiplier changes from and back to the usual one.
        Bil10 => &["BIL-10", "BIL-12", "BIL-12"],
        Mtr01 => &["MTR-01"],
        Mtr02 => &["MTR-02"],
        Mtr03 => &["MTR-03"],
        Mtr04 => &["MTR-04"],
        Mtr05 => &["MTR-05"],
        Sus01 => &["SUS-01"],
        Sus02 => &["SUS-02"],
        Sus03 => &["SUS-03"],
        Con01 => &["CON-01"],
        Svc01 => &["SVC-01"],
        Arc10 => &["ARC-10"],
        Arc11 => &["ARC-11"],
        Arc12 => &["ARC-12"],
        Arc13 => &["ARC-13"],
        Arc14 => &["ARC-14"],
        Arc15 => &["ARC-15"],
        Sus04 => &["SUS-04"],
        Thf4 => &["THF-01", "MTR-01", "BIL-01"],
        Thf3 => &["THF-01", "MTR-01", "BIL-01", "BIL-03", "BIL-13"],
        // The drop month and the zero latest month are both BIL-03 drops (and BIL-13 drops).
        Thf2 | Thf1 => &[
            "THF-01", "MTR-01", "BIL-01", "BIL-03", "BIL-03", "BIL-13", "BIL-13",
        ],
        Ext(k) => std::slice::from_ref(&EXTERNAL_IDS[k as usize]),
        // The lone drop in the latest period is a real BIL-03 (and BIL-13) hit; THF-01 stays
        // silent.
        ThfNear => &["BIL-03", "BIL-13"],
        // The month left unbilled that keeps BIL-01 (and BIL-12) from applying is itself a
        // BIL-11 hit.
        Bil01Near | Bil12Near => &["BIL-11"],
        Bil11 => &["BIL-11"],
        Bil12 => &["BIL-12"],
        Bil13 => &["BIL-13"],
        Bil14 => &["BIL-14"],
        // Thf2's findings plus the event, which is an external finding of its own.
        Thf6 => THF6_FINDINGS,
        ThfEventNear => THF_EVENT_NEAR_FINDINGS,
        _ => &[],
    }
}

/// Thf2's findings plus the event, which is an external finding of its own.
const THF6_FINDINGS: &[&str] = &[
    "THF-01",
    "MTR-01",
    "BIL-01",
    "BIL-03",
    "BIL-03",
    "BIL-13",
    "BIL-13",
    EXTERNAL[0].rule_id,
];

/// The mismatch alone (the event is too old to count) and the event's own finding.
const THF_EVENT_NEAR_FINDINGS: &[&str] = &["MTR-01", EXTERNAL[0].rule_id];

const EXTERNAL_IDS: [&str; 5] = [
    EXTERNAL[0].rule_id,
    EXTERNAL[1].rule_id,
    EXTERNAL[2].rule_id,
    EXTERNAL[3].rule_id,
    EXTERNAL[4].rule_id,
];

/// The THF-01 level a case plants, if any.
pub fn thf_level(case: Case, months: u32) -> Option<u8> {
    match case {
        Thf4 => Some(4),
        Thf3 => Some(3),
        Thf2 => Some(2),
        Thf1 if months >= YOY_MONTHS => Some(1),
        Thf1 => Some(2),
        Thf6 => Some(1),
        _ => None,
    }
}

/// Which case (and which occurrence of it within the block, to pick variants) sits at each
/// position of one block.
pub struct Layout {
    slots: Vec<Option<(Case, u32)>>,
}

impl Layout {
    pub fn for_block(seed: u64, block: u64) -> Layout {
        let mut entries: Vec<(Case, u32)> = Vec::new();
        for def in CASES {
            // Occurrences are numbered across blocks so that later blocks (one of each case)
            // cycle through a case's variants instead of repeating the first.
            let (n, from) = match block {
                0 => (def.first, 0),
                b => (
                    def.later,
                    u64::from(def.first) + (b - 1) * u64::from(def.later),
                ),
            };
            let variants = u64::from(variants(def.case));
            entries.extend((0..n).map(|k| (def.case, ((from + u64::from(k)) % variants) as u32)));
        }
        // A partial Fisher–Yates shuffle picks distinct positions for the entries.
        let mut positions: Vec<u32> = (0..BLOCK as u32).collect();
        let mut rng = Rng::stream(seed, 0x1a40_u64, block);
        let mut slots = vec![None; BLOCK as usize];
        for (k, entry) in entries.into_iter().enumerate() {
            let j = k + rng.below(BLOCK - k as u64) as usize;
            positions.swap(k, j);
            slots[positions[k] as usize] = Some(entry);
        }
        Layout { slots }
    }

    pub fn at(&self, pos: u64) -> Option<(Case, u32)> {
        self.slots[pos as usize]
    }
}
