//! 质量评价: one period's evaluation ranked (stations, districts, or a district's stations),
//! and the trend of the unit under the cursor; Enter opens a district's stations or a
//! station's drill-down (`quality_drill`). Both come from the loader; drawn in `draw.rs`.

pub(crate) mod draw;

use super::quality_drill::DrillPeriod;
use super::{list_delta, quality_value, step, Arg, Cx, Invalid, Screen, ScreenId, Ui};
use crate::quality::{self, Evaluation, Level, Period, TrendPoint, UnitScore};
use crate::text::escape;
use crate::ui::dialog::Value;
use crate::ui::keymap::{Action as Key, Context};
use crate::ui::loader::Loaded;
use crate::ui::worker::Change;
use crate::ui::write::Write;
use chrono::{Datelike, NaiveDate};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;

/// How many periods the trend covers.
const TREND_PERIODS: usize = 6;

/// A period key pressed on a unit's drill-down: the ranking moves, and the drill-down with it.
pub struct RankingKey(pub Key);

/// The quality screen: one period's evaluation, ranked, and the trend of the unit under the
/// cursor.
pub struct Quality {
    pub period: Period,
    /// Rank districts (else stations).
    pub districts: bool,
    /// Drilled into this district: its stations only.
    pub parent: Option<String>,
    pub data: Option<Box<Evaluation>>,
    pub error: Option<String>,
    pub cursor: usize,
    /// The district's row, to come back to.
    parent_cursor: usize,
    /// The trend on screen and the unit and last period it is for.
    pub trend: Option<(String, Period, Vec<TrendPoint>)>,
    pub trend_error: Option<String>,
    trend_asked: Option<(String, Period)>,
}

impl Quality {
    pub fn new(today: NaiveDate) -> Quality {
        Quality {
            period: Period::month_of(today),
            districts: false,
            parent: None,
            data: None,
            error: None,
            cursor: 0,
            parent_cursor: 0,
            trend: None,
            trend_error: None,
            trend_asked: None,
        }
    }

    /// The rows shown, best first: a district's stations, the districts, or every station.
    pub fn rows(&self) -> Vec<&UnitScore> {
        let Some(e) = &self.data else {
            return Vec::new();
        };
        match &self.parent {
            Some(d) => e
                .stations
                .iter()
                .filter(|u| u.parent.as_deref() == Some(d.as_str()))
                .collect(),
            None if self.districts => e.districts.iter().collect(),
            None => e.stations.iter().collect(),
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

    /// A new period or ranking level: the old numbers would be mislabelled.
    fn changed(&mut self, cx: &mut Cx) {
        self.data = None;
        self.cursor = 0;
        self.trend = None;
        self.trend_asked = None;
        self.request(cx);
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
                self.districts = !self.districts;
                self.parent = None;
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
        if u.level == Level::District {
            self.parent_cursor = self.cursor;
            self.parent = Some(unit);
            self.cursor = 0;
            self.request_trend(cx);
        } else {
            cx.go(ScreenId::QualityDrill, Arg::Unit(unit, self.period));
        }
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
            Key::Open,
            Key::Back,
            Key::QEnterValue,
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
            Key::Back if self.parent.is_some() => {
                self.parent = None;
                self.districts = true;
                self.cursor = self.parent_cursor;
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
    use Period as P;
    let next = match p {
        P::Month(y, 12) => P::Month(y + 1, 1),
        P::Month(y, m) => P::Month(y, m + 1),
        P::Half(y, 1) => P::Half(y, 2),
        P::Half(y, _) => P::Half(y + 1, 1),
        P::Year(y) => P::Year(y + 1),
    };
    if next.range().0 > today {
        p
    } else {
        next
    }
}

/// Month → half-year → year → month, each the one holding the current period's end.
fn next_period_kind(p: Period, today: NaiveDate) -> Period {
    use Period as P;
    let (_, end) = p.range();
    let end = end.min(today);
    let (y, m) = (end.year(), end.month());
    match p {
        P::Month(..) => P::Half(y, if m <= 6 { 1 } else { 2 }),
        P::Half(..) => P::Year(y),
        P::Year(..) => P::Month(y, m),
    }
}
