//! 质量评价: one period's evaluation ranked (every unit of a level, or the units directly
//! below one unit of the tree), and the trend of the unit under the cursor; Enter on a parent
//! rolls down to its units, on a unit without any opens its drill-down (`quality_drill`); the
//! unit tree pick list (`u`) moves anywhere in the tree. Both come from the loader; drawn in
//! `draw.rs`.

pub(crate) mod draw;

use super::quality_drill::DrillPeriod;
use super::{list_delta, quality_value, step, Arg, Cx, Invalid, Screen, ScreenId, Ui};
use crate::quality::{self, Evaluation, Level, Period, TrendPoint, UnitScore};
use crate::text::escape;
use crate::ui::dialog::unit_tree::UnitTree;
use crate::ui::dialog::Value;
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action as Key, Context};
use crate::ui::loader::Loaded;
use crate::ui::worker::Change;
use crate::ui::write::Write;
use crate::units::Hierarchy;
use chrono::{Datelike, NaiveDate};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;

/// How many periods the trend covers.
const TREND_PERIODS: usize = 6;

/// A period key pressed on a unit's drill-down: the ranking moves, and the drill-down with it.
pub struct RankingKey(pub Key);

/// The quality screen: one period's evaluation, ranked, and the trend of the unit under the
/// cursor. What is ranked: every unit of one level (`level`), or the units directly below
/// `within` (the unit tree's roots without it), both inside `within`'s subtree.
pub struct Quality {
    pub period: Period,
    /// Rank every unit of this level; None: the units directly below `within`.
    pub level: Option<Level>,
    /// Only this unit's subtree (the unit tree pick list, or Enter on a parent); None: all.
    pub within: Option<String>,
    pub data: Option<Box<Evaluation>>,
    pub error: Option<String>,
    pub cursor: usize,
    /// Where Enter on a parent came from, to go back to.
    stack: Vec<(Option<Level>, Option<String>, usize)>,
    /// The unit tree pick list on screen, to map its answer back.
    tree: Option<UnitTree>,
    /// The trend on screen and the unit and last period it is for.
    pub trend: Option<(String, Period, Vec<TrendPoint>)>,
    pub trend_error: Option<String>,
    trend_asked: Option<(String, Period)>,
}

/// The tag of the unit tree pick list.
struct PickUnit;

impl Quality {
    pub fn new(today: NaiveDate) -> Quality {
        Quality {
            period: Period::month_of(today),
            level: Some(Level::Station),
            within: None,
            data: None,
            error: None,
            cursor: 0,
            stack: Vec::new(),
            tree: None,
            trend: None,
            trend_error: None,
            trend_asked: None,
        }
    }

    /// The rows shown: a level's units best first, or `within`'s children best first.
    pub fn rows(&self) -> Vec<&UnitScore> {
        let Some(e) = &self.data else {
            return Vec::new();
        };
        match self.level {
            Some(l) => e
                .ranked(l)
                .into_iter()
                .filter(|u| self.within.as_deref().is_none_or(|w| e.within(&u.unit, w)))
                .collect(),
            None => e.children(self.within.as_deref()),
        }
    }

    pub fn current(&self) -> Option<&UnitScore> {
        self.rows().get(self.cursor).copied()
    }

    fn request(&mut self, cx: &mut Cx) {
        let period = self.period;
        cx.load("evaluation", move |ds| {
            quality::evaluate(&ds.conn, &period).map(Box::new)
        });
    }

    /// The trend of the unit under the cursor, unless it is already shown or asked for.
    fn request_trend(&mut self, cx: &mut Cx) {
        let Some(unit) = self.current().map(|u| u.unit.clone()) else {
            return;
        };
        let want = (unit.clone(), self.period);
        if self.trend_asked.as_ref() == Some(&want) {
            return;
        }
        self.trend_asked = Some(want);
        let period = self.period;
        cx.load("trend", move |ds| {
            quality::trend(&ds.conn, &unit, &period, TREND_PERIODS)
        });
    }

    /// A new period: the old numbers would be mislabelled.
    fn changed(&mut self, cx: &mut Cx) {
        self.data = None;
        self.cursor = 0;
        self.trend = None;
        self.trend_asked = None;
        self.request(cx);
    }

    /// The next ranking: each level present in turn, then the tree view (children of
    /// `within`), then the first level again.
    fn next_level(&mut self) {
        let levels = self.data.as_ref().map(|e| e.levels()).unwrap_or_default();
        self.level = match self.level {
            None => levels.first().copied(),
            Some(l) => levels.iter().copied().find(|x| *x > l),
        };
    }

    /// The period and level keys, here and on the drill-down; true when the period moved.
    fn period_key(&mut self, a: Key, cx: &mut Cx) -> bool {
        match a {
            Key::QPeriodKind => self.period = next_period_kind(self.period, cx.ctx.today),
            Key::QPrevPeriod => self.period = self.period.previous(),
            Key::QNextPeriod => {
                let next = next_period(self.period, cx.ctx.today);
                if next == self.period {
                    return false;
                }
                self.period = next;
            }
            Key::QLevel => {
                self.next_level();
                self.cursor = 0;
                self.request_trend(cx);
                return false;
            }
            _ => return false,
        }
        self.changed(cx);
        true
    }

    fn open(&mut self, cx: &mut Cx) {
        let Some(u) = self.current() else { return };
        let unit = u.unit.clone();
        if u.children.is_empty() {
            cx.go(ScreenId::QualityDrill, Arg::Unit(unit, self.period));
        } else {
            self.stack
                .push((self.level, self.within.clone(), self.cursor));
            self.within = Some(unit);
            self.level = None;
            self.cursor = 0;
            self.request_trend(cx);
        }
    }

    /// The unit tree as a pick list: the ranking moves to the unit chosen (its children).
    fn pick_unit(&mut self, cx: &mut Cx) {
        let h = match Hierarchy::load(&cx.ds.conn) {
            Ok(h) => h,
            Err(e) => {
                cx.error(e.text(cx.ctx.lang));
                return;
            }
        };
        let lang = cx.lang();
        let (choice, tree) = UnitTree::dialog(
            &h,
            self.within.as_deref(),
            cx.t(Msg::QUnitTree).to_string(),
            cx.t(Msg::QAllUnits),
            |l| i18n::unit_level_name(lang, l).to_string(),
            PickUnit,
        );
        self.tree = Some(tree);
        cx.dialog(choice);
    }

    /// Drill-down (`Arg::Unit` from elsewhere) or the pick list's answer: rank `unit`'s children
    /// (a unit without any: its level, within its parent).
    fn show_unit(&mut self, unit: Option<String>, cx: &mut Cx) {
        self.stack.clear();
        self.cursor = 0;
        match unit {
            None => {
                self.within = None;
                self.level = None;
            }
            Some(u) => {
                let leaf = self
                    .data
                    .as_ref()
                    .and_then(|e| e.unit(&u))
                    .map(|s| (s.children.is_empty(), s.level, s.parent.clone()));
                match leaf {
                    Some((true, level, parent)) => {
                        self.within = parent;
                        self.level = Some(level);
                        let pos = self.rows().iter().position(|r| r.unit == u);
                        self.cursor = pos.unwrap_or(0);
                    }
                    _ => {
                        self.within = Some(u);
                        self.level = None;
                    }
                }
            }
        }
        self.request_trend(cx);
    }
}

impl Screen for Quality {
    fn context(&self) -> Context {
        Context::Quality
    }

    fn hints(&self) -> &'static [Key] {
        &[
            Key::QPrevPeriod,
            Key::QNextPeriod,
            Key::QPeriodKind,
            Key::QLevel,
            Key::QUnit,
            Key::Open,
            Key::Back,
            Key::QEnterValue,
            Key::QDeductions,
            Key::Help,
        ]
    }

    fn enter(&mut self, _arg: Arg, cx: &mut Cx) {
        self.trend_asked = None;
        self.request(cx);
    }

    fn on_action(&mut self, a: Key, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            self.cursor = step(self.cursor, delta, self.rows().len());
            self.request_trend(cx);
            return;
        }
        match a {
            Key::QPeriodKind | Key::QPrevPeriod | Key::QNextPeriod | Key::QLevel => {
                self.period_key(a, cx);
            }
            Key::QEnterValue => {
                let unit = self
                    .current()
                    .map(|u| (u.unit.clone(), u.level, self.period));
                quality_value::start(unit, cx);
            }
            Key::Open => self.open(cx),
            Key::QUnit => self.pick_unit(cx),
            Key::QcOpen => cx.go(ScreenId::Qc, Arg::None),
            Key::QDeductions => match self.current() {
                Some(u) => cx.go(ScreenId::Deductions, Arg::Unit(u.unit.clone(), self.period)),
                None => cx.info(super::deductions::DdMsg::NoUnit.text(cx.lang())),
            },
            Key::Back if !self.stack.is_empty() => {
                let (level, within, cursor) = self.stack.pop().expect("not empty");
                self.level = level;
                self.within = within;
                self.cursor = cursor;
                self.request_trend(cx);
            }
            Key::Back => cx.back(),
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, cx: &mut Cx) {
        match slot {
            "evaluation" => {
                match answer.take::<Box<Evaluation>>() {
                    Ok(e) => {
                        self.data = Some(e);
                        self.error = None;
                    }
                    Err(e) => self.error = Some(escape(&e).into_owned()),
                }
                let n = self.rows().len();
                self.cursor = self.cursor.min(n.saturating_sub(1));
                self.request_trend(cx);
            }
            "trend" => match (answer.take::<Vec<TrendPoint>>(), self.trend_asked.clone()) {
                (Ok(points), Some((unit, period))) => {
                    self.trend = Some((unit, period, points));
                    self.trend_error = None;
                }
                (Ok(_), None) => {}
                (Err(e), _) => {
                    self.trend = None;
                    self.trend_error = Some(escape(&e).into_owned());
                }
            },
            _ => {}
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        if tag.is::<PickUnit>() {
            if let (Value::Choice(i), Some(tree)) = (&value, self.tree.take()) {
                if let Some(unit) = tree.unit_at(*i) {
                    self.show_unit(unit.map(str::to_string), cx);
                }
            }
            return Ok(());
        }
        quality_value::reply(tag, value, cx).unwrap_or(Ok(()))
    }

    fn refresh(&mut self, shown: bool, cx: &mut Cx) {
        if shown {
            self.request(cx);
            // Entries may have changed the trend too.
            self.trend_asked = None;
        }
    }

    /// The ranking under the drill-down and the trend change with an entered value too.
    fn written(&mut self, w: &Write, _ok: bool, cx: &mut Cx) {
        if matches!(w.change, Change::Quality(_)) {
            self.request(cx);
            self.trend_asked = None;
        }
    }

    /// A period or level key of the drill-down: the drill-down follows the period.
    fn message(&mut self, msg: Box<dyn Any>, cx: &mut Cx) {
        if let Ok(k) = msg.downcast::<RankingKey>() {
            if self.period_key(k.0, cx) {
                cx.send(ScreenId::QualityDrill, DrillPeriod(self.period));
            }
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

/// The period after this one, never past the one that contains the business date.
fn next_period(p: Period, today: NaiveDate) -> Period {
    let next = p.next();
    if next.range().0 > today {
        p
    } else {
        next
    }
}

/// Month → quarter → half-year → year → month, each the one holding the current period's end.
fn next_period_kind(p: Period, today: NaiveDate) -> Period {
    use Period as P;
    let (_, end) = p.range();
    let end = end.min(today);
    let (y, m) = (end.year(), end.month());
    match p {
        P::Month(..) => P::Quarter(y, m.div_ceil(3)),
        P::Quarter(..) => P::Half(y, if m <= 6 { 1 } else { 2 }),
        P::Half(..) => P::Year(y),
        P::Year(..) => P::Month(y, m),
    }
}
