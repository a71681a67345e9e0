//! Adding the base counts (per station, per ticket unit, per rule) up the unit hierarchy:
//! each unit's figures are those of its own subtree — counts summed, distinct rules united,
//! bill sums added — and its rates are taken from them, never averaged over its units.

use super::kpis::{BillSums, Kpis};
use super::{ratio, Figures};
use crate::units::Hierarchy;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A scope's additive counts, before its rates are taken.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub monitored_rules: BTreeSet<String>,
    pub ticketed_rules: BTreeSet<String>,
    pub problems_dispatched: u64,
    pub problems_completed: u64,
    pub problems_overdue: u64,
    pub findings_to_rectify: u64,
    pub findings_rectified: u64,
    pub open_before: u64,
    pub open_after: u64,
    pub suppressed_before: u64,
    pub suppressed_after: u64,
    pub tickets_issued: u64,
    pub tickets_completed: u64,
    pub tickets_overdue: u64,
    pub whitelist_added: u64,
    pub whitelist_extended: u64,
    pub whitelist_revoked: u64,
    pub whitelist_active_after: u64,
    pub whitelist_long_active_after: u64,
    pub bills_before: BillSums,
    pub bills_after: BillSums,
}

impl Tally {
    /// The figures of this scope; `kpis` for the total and units, not for a rule.
    pub fn figures(&self, kpis: bool) -> Figures {
        let themes_monitored = self.monitored_rules.len() as u64;
        let themes_ticketed = self.ticketed_rules.len() as u64;
        Figures {
            themes_monitored,
            themes_ticketed,
            initiation_rate: ratio(themes_ticketed, themes_monitored),
            problems_dispatched: self.problems_dispatched,
            problems_completed: self.problems_completed,
            completion_rate: ratio(self.problems_completed, self.problems_dispatched),
            findings_to_rectify: self.findings_to_rectify,
            findings_rectified: self.findings_rectified,
            rectification_rate: ratio(self.findings_rectified, self.findings_to_rectify),
            problems_overdue: self.problems_overdue,
            overdue_rate: ratio(self.problems_overdue, self.problems_dispatched),
            open_before: self.open_before,
            open_after: self.open_after,
            suppressed_before: self.suppressed_before,
            suppressed_after: self.suppressed_after,
            cumulative_completion_rate: (self.open_before > 0).then(|| {
                (self.open_before as f64 - self.open_after as f64) / self.open_before as f64
            }),
            kpis: kpis.then(|| {
                Kpis::of(
                    &self.bills_before,
                    &self.bills_after,
                    self.open_before,
                    self.open_after,
                )
            }),
            tickets_issued: self.tickets_issued,
            tickets_completed: self.tickets_completed,
            tickets_overdue: self.tickets_overdue,
            whitelist_added: self.whitelist_added,
            whitelist_extended: self.whitelist_extended,
            whitelist_revoked: self.whitelist_revoked,
            whitelist_active_after: self.whitelist_active_after,
            whitelist_long_active_after: self.whitelist_long_active_after,
            open_change_rate: (!kpis).then(|| {
                (self.open_before > 0).then(|| {
                    (self.open_after as f64 - self.open_before as f64) / self.open_before as f64
                })
            }),
        }
    }
}

/// Where each base count goes: the total, every unit from its own up to the root (within the
/// `--unit` scope), and its rule.
pub struct Sink<'h> {
    h: &'h Hierarchy,
    scope: Option<String>,
    chains: HashMap<String, Vec<String>>,
    pub total: Tally,
    pub units: BTreeMap<String, Tally>,
    pub rules: BTreeMap<String, Tally>,
}

impl<'h> Sink<'h> {
    pub fn new(h: &'h Hierarchy, scope: Option<String>) -> Sink<'h> {
        Sink {
            h,
            scope,
            chains: HashMap::new(),
            total: Tally::default(),
            units: BTreeMap::new(),
            rules: BTreeMap::new(),
        }
    }

    /// The units a count of `key` adds to: itself and its ancestors, those within the scope.
    /// A unit the tree does not know (a ticket sent to a unit no import named, findings without
    /// a customer: '') is only itself, and outside any `--unit` scope.
    fn chain(&mut self, key: &str) -> &[String] {
        if !self.chains.contains_key(key) {
            let mut chain = vec![key.to_string()];
            chain.extend(self.h.ancestors(key).into_iter().map(String::from));
            if let Some(s) = &self.scope {
                chain.retain(|u| self.h.contains(u) && self.h.within(u, s));
            }
            self.chains.insert(key.to_string(), chain);
        }
        &self.chains[key]
    }

    /// True when counts of `key` belong to the report (always, without `--unit`).
    pub fn in_scope(&mut self, key: &str) -> bool {
        self.scope.is_none() || !self.chain(key).is_empty()
    }

    /// Adds `f` to the total, to `key`'s units and to `rule` (when given), if `key` is in scope.
    pub fn add(&mut self, key: &str, rule: Option<&str>, f: impl Fn(&mut Tally)) {
        let chain = self.chain(key).to_vec();
        if self.scope.is_some() && chain.is_empty() {
            return;
        }
        f(&mut self.total);
        for u in chain {
            f(self.units.entry(u).or_default());
        }
        if let Some(rule) = rule {
            f(self.rules.entry(rule.to_string()).or_default());
        }
    }
}
