//! 报表: the report of workflow.md for today, this week or this month, for all units or one
//! unit's subtree — the five headline rates with the counts they are made of (`—` for an empty
//! denominator), the business indicators' change, the units along the hierarchy (ranked), the
//! overdue tickets, and a bar chart of the current unit's units. `u` picks the unit from the
//! unit tree; Enter drills into the unit under the cursor; Esc goes back up one level.
//! Computed on the loader; the figures on screen are never for a different period or unit
//! than named.

mod draw;
pub mod export_report;

use super::export::{self, ExportMsg};
use super::{list_delta, step, Cx, Invalid, Screen, Ui};
use crate::i18n::report::level;
use crate::reports::{self, Report};
use crate::text::escape;
use crate::ui::dialog::{UnitTree, Value};
use crate::ui::i18n::{Msg, RpMsg};
use crate::ui::keymap::{Action as Key, Context};
use crate::ui::loader::Loaded;
use chrono::{Datelike, Days, NaiveDate};
use export_report::{Format, PickFormat};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    Today,
    Week,
    Month,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Today, Period::Week, Period::Month];

    /// Today; Monday to today; the 1st to today.
    pub fn range(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let from = match self {
            Period::Today => today,
            Period::Week => today - Days::new(u64::from(today.weekday().num_days_from_monday())),
            Period::Month => today.with_day(1).unwrap_or(today),
        };
        (from, today)
    }

    /// The next period (`forward`) or the one before, round the three.
    fn turn(self, forward: bool) -> Period {
        let i = Period::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Period::ALL[(i + if forward { 1 } else { 2 }) % 3]
    }
}

/// The unit tree dialog's tag.
struct PickUnit;

#[derive(Default)]
pub struct Reports {
    pub period: Period,
    /// The unit whose subtree the report covers; None: every unit.
    pub unit: Option<String>,
    /// The report for `range` and `unit`; an older one stays on screen while a new one is
    /// computed for the same period and unit.
    pub data: Option<Box<Report>>,
    pub error: Option<String>,
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// The chart shows open findings per unit instead of the completion rate.
    pub chart_open: bool,
    /// The row under the cursor in the by-unit table.
    pub scroll: usize,
    tree: Option<UnitTree>,
    /// The format the export question chose, until its file is written.
    export_format: Option<Format>,
}

impl Reports {
    fn request(&mut self, cx: &mut Cx) {
        let (from, to) = self.period.range(cx.ctx.today);
        let shown_unit = self.data.as_ref().map(|r| r.unit.clone());
        if self.range != Some((from, to)) || shown_unit.is_some_and(|u| u != self.unit) {
            // Another period or unit: the old figures would be mislabelled.
            self.data = None;
            self.scroll = 0;
        }
        self.range = Some((from, to));
        let unit = self.unit.clone();
        cx.load("report", move |ds| {
            reports::compute_on_screen(&ds.conn, from, to, unit.as_deref()).map(Box::new)
        });
    }

    /// Reports for `unit` (None: every unit) from now on.
    fn set_unit(&mut self, unit: Option<String>, cx: &mut Cx) {
        if unit != self.unit {
            self.unit = unit;
            self.request(cx);
        }
    }

    /// The units of the by-unit table, in the hierarchy's order.
    pub fn rows(&self) -> Vec<&str> {
        self.data
            .as_ref()
            .map(|r| r.unit_tree.iter().map(|u| u.name.as_str()).collect())
            .unwrap_or_default()
    }

    fn pick_unit(&mut self, cx: &mut Cx) {
        let Some(r) = &self.data else {
            return;
        };
        let lang = cx.lang();
        let (choice, tree) = UnitTree::dialog(
            &r.hierarchy,
            self.unit.as_deref(),
            RpMsg::PickUnit.text(lang).to_string(),
            RpMsg::AllUnits.text(lang),
            |l| level(lang, l).to_string(),
            PickUnit,
        );
        self.tree = Some(tree);
        cx.dialog(choice);
    }

    /// Enter on a unit row: the report for that unit's subtree.
    fn drill(&mut self, cx: &mut Cx) {
        let target = self.rows().get(self.scroll).map(|u| u.to_string());
        let known = |u: &str| self.data.as_ref().is_some_and(|r| r.hierarchy.contains(u));
        if let Some(u) = target.filter(|u| known(u) && Some(u) != self.unit.as_ref()) {
            self.set_unit(Some(u), cx);
        }
    }

    /// Esc with a unit chosen: up one level (the parent, or every unit); else back.
    fn up(&mut self, cx: &mut Cx) {
        let Some(u) = self.unit.clone() else {
            return cx.back();
        };
        let parent = self
            .data
            .as_ref()
            .and_then(|r| r.hierarchy.parent(&u).map(String::from));
        self.set_unit(parent, cx);
    }
}

impl Screen for Reports {
    fn context(&self) -> Context {
        Context::Reports
    }

    fn hints(&self) -> &'static [Key] {
        &[
            Key::RpPeriod,
            Key::RpUnit,
            Key::RpChart,
            Key::RpExport,
            Key::Refresh,
            Key::Help,
        ]
    }

    fn enter(&mut self, _arg: super::Arg, cx: &mut Cx) {
        self.request(cx);
    }

    fn on_action(&mut self, a: Key, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            let n = self.rows().len();
            self.scroll = step(self.scroll, delta, n);
            return;
        }
        match a {
            Key::RpPeriod => {
                self.period = self.period.turn(true);
                self.request(cx);
            }
            // Tab walks the periods as it walks the whitelist's views.
            Key::NextPanel | Key::PrevPanel => {
                self.period = self.period.turn(a == Key::NextPanel);
                self.request(cx);
            }
            Key::RpUnit => self.pick_unit(cx),
            Key::Open => self.drill(cx),
            Key::RpChart => self.chart_open = !self.chart_open,
            Key::RpExport => match &self.data {
                Some(_) => export_report::ask_format(cx),
                None => cx.info(ExportMsg::NothingYet.text(cx.lang())),
            },
            Key::Back => self.up(cx),
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, cx: &mut Cx) {
        if slot == export_report::SLOT {
            return export_report::done(answer, cx);
        }
        if slot == "report" {
            match answer.take::<Box<Report>>() {
                Ok(r) => {
                    self.scroll = self.scroll.min(r.unit_tree.len().saturating_sub(1));
                    self.data = Some(r);
                    self.error = None;
                }
                Err(e) => self.error = Some(escape(&e).into_owned()),
            }
        }
    }

    /// The unit picked from the tree, or the report on screen exported in the format chosen,
    /// as `jicha report --format md|csv|xlsx --out FILE`.
    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        if tag.downcast_ref::<PickUnit>().is_some() {
            if let (Value::Choice(i), Some(tree)) = (&value, self.tree.take()) {
                if let Some(u) = tree.unit_at(*i) {
                    self.set_unit(u.map(String::from), cx);
                }
            }
            return Ok(());
        }
        if tag.is::<PickFormat>() {
            let fmt = match value {
                Value::Choice(i) => Format::ALL.get(i).copied(),
                _ => None,
            };
            if let (Some(fmt), Some(r)) = (fmt, &self.data) {
                self.export_format = Some(fmt);
                export_report::ask_file(cx, r, fmt);
            }
            return Ok(());
        }
        let (Some(ask), Some(r), Some(fmt)) = (
            tag.downcast_ref::<export::Ask>(),
            &self.data,
            self.export_format,
        ) else {
            return Ok(());
        };
        if let Some(target) = export::reply(ask, value, cx) {
            self.export_format = None;
            export_report::write(target, r.clone(), fmt, cx);
        }
        Ok(())
    }

    /// The report reads whole tables: computed again only while it is on screen.
    fn refresh(&mut self, shown: bool, cx: &mut Cx) {
        if shown {
            self.request(cx);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        draw::draw(f, self, ui, area);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

fn period_name(p: Period) -> Msg {
    match p {
        Period::Today => Msg::PeriodToday,
        Period::Week => Msg::PeriodWeek,
        Period::Month => Msg::PeriodMonth,
    }
}
