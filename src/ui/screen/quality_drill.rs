//! A unit's drill-down of the quality screen: its parts and indicators on top, then the
//! entries, tickets and findings behind them; Enter opens a ticket (an entry's or a ticket
//! line) or a finding. Its period keys move the ranking (`RankingKey`), which answers with
//! the new period (`DrillPeriod`).

use super::quality::draw::{minus, score};
use super::quality::RankingKey;
use super::{line_chart::wrap_tokens, list_delta, quality_value, step, Arg, Cx, Invalid};
use super::{Screen, ScreenId, Ui};
use crate::quality::{self, Drill, Period};
use crate::text::escape;
use crate::ui::dialog::Value;
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action as Key, Context};
use crate::ui::loader::Loaded;
use crate::ui::render::{block, cut, draw_pending, esc};
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::any::Any;

/// The ranking's period moved while the drill-down is on screen: it follows.
pub struct DrillPeriod(pub Period);

/// One line of a unit's drill-down that the cursor can rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillItem {
    Entry(usize),
    Ticket(usize),
    Finding(usize),
}

/// Entries, then tickets, then findings: the order the drill-down screen shows them.
pub fn drill_items(d: &Drill) -> Vec<DrillItem> {
    (0..d.entries.len())
        .map(DrillItem::Entry)
        .chain((0..d.tickets.len()).map(DrillItem::Ticket))
        .chain((0..d.findings.len()).map(DrillItem::Finding))
        .collect()
}

pub struct QualityDrill {
    /// The unit drilled into; empty until the ranking opens one.
    pub unit: String,
    pub period: Period,
    pub data: Option<Box<Drill>>,
    pub error: Option<String>,
    pub cursor: usize,
}

impl QualityDrill {
    pub fn new(today: NaiveDate) -> QualityDrill {
        QualityDrill {
            unit: String::new(),
            period: Period::month_of(today),
            data: None,
            error: None,
            cursor: 0,
        }
    }

    fn request(&mut self, cx: &mut Cx) {
        if self.unit.is_empty() {
            return;
        }
        let (unit, period) = (self.unit.clone(), self.period);
        cx.load("drill", move |ds| {
            quality::drill(&ds.conn, &unit, &period).map(Box::new)
        });
    }

    fn open(&self, cx: &mut Cx) {
        let Some(data) = &self.data else { return };
        match drill_items(data).get(self.cursor) {
            Some(DrillItem::Finding(i)) => {
                cx.go(ScreenId::Detail, Arg::Finding(data.findings[*i].id))
            }
            Some(DrillItem::Ticket(i)) => {
                let n = data.tickets[*i].ticket.number.clone();
                cx.go(ScreenId::Ticket, Arg::Ticket(n));
            }
            Some(DrillItem::Entry(i)) => {
                if let Some(n) = data.entries[*i].ticket.clone() {
                    cx.go(ScreenId::Ticket, Arg::Ticket(n));
                }
            }
            None => {}
        }
    }
}

impl Screen for QualityDrill {
    fn context(&self) -> Context {
        Context::Quality
    }

    fn hints(&self) -> &'static [Key] {
        &[
            Key::Open,
            Key::Back,
            Key::QPrevPeriod,
            Key::QEnterValue,
            Key::Help,
        ]
    }

    fn tab(&self) -> Option<ScreenId> {
        Some(ScreenId::Quality)
    }

    fn enter(&mut self, arg: Arg, cx: &mut Cx) {
        if let Arg::Unit(unit, period) = arg {
            *self = QualityDrill {
                unit,
                period,
                data: None,
                error: None,
                cursor: 0,
            };
            self.request(cx);
        }
    }

    fn on_action(&mut self, a: Key, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            let n = self.data.as_ref().map_or(0, |x| drill_items(x).len());
            self.cursor = step(self.cursor, delta, n);
            return;
        }
        match a {
            Key::QPeriodKind | Key::QPrevPeriod | Key::QNextPeriod | Key::QLevel => {
                cx.send(ScreenId::Quality, RankingKey(a));
            }
            Key::QEnterValue => {
                let unit = self
                    .data
                    .as_ref()
                    .map(|d| (self.unit.clone(), d.score.level, self.period));
                quality_value::start(unit, cx);
            }
            Key::Open => self.open(cx),
            Key::Back => cx.back(),
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, _cx: &mut Cx) {
        if slot == "drill" {
            match answer.take::<Box<Drill>>() {
                Ok(x) => {
                    self.cursor = self.cursor.min(drill_items(&x).len().saturating_sub(1));
                    self.data = Some(x);
                    self.error = None;
                }
                Err(e) => self.error = Some(escape(&e).into_owned()),
            }
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        quality_value::reply(tag, value, cx).unwrap_or(Ok(()))
    }

    fn refresh(&mut self, shown: bool, cx: &mut Cx) {
        if shown {
            self.request(cx);
        }
    }

    fn message(&mut self, msg: Box<dyn Any>, cx: &mut Cx) {
        if let Ok(p) = msg.downcast::<DrillPeriod>() {
            self.period = p.0;
            self.data = None;
            self.cursor = 0;
            self.request(cx);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        draw(f, self, ui, area);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[allow(clippy::too_many_lines)] // the drill-down's panels, top to bottom, as one reads them
fn draw(f: &mut Frame, st: &QualityDrill, ui: &Ui, area: Rect) {
    let lang = ui.lang();
    let title = format!(
        "{} · {} · {}",
        ui.t(Msg::Quality),
        esc(&st.unit),
        i18n::period_label(lang, &st.period)
    );
    let Some(d) = &st.data else {
        let b = block(
            ui.theme,
            &cut(&title, usize::from(area.width.saturating_sub(4))),
            true,
        );
        let inner = b.inner(area);
        f.render_widget(b, area);
        draw_pending(f, ui.theme, st.error.as_ref(), inner);
        return;
    };
    let u = &d.score;
    let w = usize::from(area.width.saturating_sub(2));
    // The parts as "name value" pairs: wrapped, so zh and 80 columns both keep every number.
    let pairs: Vec<String> = [
        (Msg::QMainCol, score(u.main)),
        (Msg::QProcessCol, score(u.process)),
        (Msg::QBusinessCol, score(u.business)),
        (Msg::QDirectCol, minus(u.direct)),
        (Msg::QBonusCol, score(u.bonus)),
        (Msg::QCompositeCol, score(u.composite)),
    ]
    .iter()
    .map(|(m, v)| format!("{} {v}", ui.t(*m)))
    .chain((u.rank > 0).then(|| format!("{} {}/{}", ui.t(Msg::QRank), u.rank, u.of)))
    .collect();
    let mut top: Vec<Line> = wrap_tokens(&pairs, w)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, ui.theme.title())))
        .collect();
    for i in &u.indicators {
        let v = match (i.value, i.score) {
            (Some(v), Some(s)) => format!(
                "{} → {}/{}",
                indicator_value(i.source, v),
                score(s),
                score(i.full_score)
            ),
            _ => ui.t(Msg::QNoValue).to_string(),
        };
        top.push(Line::from(cut(
            &format!("{} · {}: {v}", esc(&i.category), esc(&i.name)),
            w,
        )));
    }
    let top_h = (top.len() as u16 + 2).min(area.height / 2);
    let [ta, la] = Layout::vertical([Constraint::Length(top_h), Constraint::Min(3)]).areas(area);
    let b = block(
        ui.theme,
        &cut(&title, usize::from(area.width.saturating_sub(4))),
        false,
    );
    f.render_widget(Paragraph::new(top).block(b), ta);

    let items = drill_items(d);
    let mut lines: Vec<(Line, Option<usize>)> = Vec::new();
    let head = |m: Msg, n: usize| {
        Line::from(Span::styled(
            format!("— {} ({n}) —", ui.t(m)),
            ui.theme.title(),
        ))
    };
    let mut section = None;
    for (k, it) in items.iter().enumerate() {
        let (sec, n) = match it {
            DrillItem::Entry(_) => (Msg::QEntries, d.entries.len()),
            DrillItem::Ticket(_) => (Msg::QTickets, d.tickets.len()),
            DrillItem::Finding(_) => (Msg::QFindings, d.findings.len()),
        };
        if section != Some(sec) {
            lines.push((head(sec, n), None));
            section = Some(sec);
        }
        let text = match it {
            DrillItem::Entry(i) => {
                let e = &d.entries[*i];
                let kind = match e.kind.as_str() {
                    "business" => ui.t(Msg::QEntryBusiness),
                    "direct" => ui.t(Msg::QEntryDirect),
                    _ => ui.t(Msg::QEntryBonus),
                };
                let sign = if e.kind == "bonus" { "+" } else { "-" };
                let mut s = format!(
                    "{} {kind} {sign}{} {}",
                    esc(&e.on_date),
                    num2(e.points),
                    esc(&e.unit)
                );
                if let Some(t) = &e.ticket {
                    s.push_str(&format!(" · {}", esc(t)));
                }
                if let Some(l) = &e.level {
                    s.push_str(&format!(" · {}", esc(l)));
                }
                s.push_str(&format!(" · {}", esc(&e.reason)));
                s
            }
            DrillItem::Ticket(i) => {
                let t = &d.tickets[*i];
                let mut flags = Vec::new();
                if t.issued_in_period {
                    flags.push(ui.t(Msg::QIssuedIn).to_string());
                }
                if t.approved_in_period {
                    flags.push(ui.t(Msg::QApprovedIn).to_string());
                }
                if t.deducted > 0.0 {
                    flags.push(format!("{} {}", ui.t(Msg::QDeducted), num2(t.deducted)));
                }
                format!(
                    "{} {} · {} · {} {} · {}",
                    esc(&t.ticket.number),
                    i18n::ticket_state(lang, &t.ticket.state),
                    esc(&t.ticket.unit),
                    ui.t(Msg::Due),
                    esc(&t.ticket.due_on),
                    flags.join(", ")
                )
            }
            DrillItem::Finding(i) => {
                let x = &d.findings[*i];
                let mut s = format!(
                    "#{} {} {} {} · {} · {}",
                    x.id,
                    esc(&x.rule),
                    i18n::severity(lang, &x.severity),
                    esc(&x.cust_no),
                    i18n::status(lang, &x.status),
                    esc(&x.station),
                );
                if let Some(a) = x.amount_yuan {
                    s.push_str(&format!(" · {a:.2} 元"));
                }
                if let Some(t) = &x.ticket {
                    s.push_str(&format!(" · {}", esc(t)));
                }
                s
            }
        };
        lines.push((Line::from(cut(&text, w)), Some(k)));
    }
    if items.is_empty() {
        lines.push((Line::from(ui.t(Msg::QNone)), None));
    }
    let list_title = format!(
        "{} · {} · {}",
        ui.t(Msg::QEntries),
        ui.t(Msg::QTickets),
        ui.t(Msg::Findings)
    );
    let b = block(ui.theme, &cut(&list_title, w.saturating_sub(2)), true);
    let inner = b.inner(la);
    f.render_widget(b, la);
    let h = usize::from(inner.height).max(1);
    let at = lines
        .iter()
        .position(|(_, k)| *k == Some(st.cursor))
        .unwrap_or(0);
    let start = at.saturating_sub(h - 1);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(start)
        .take(h)
        .map(|(l, k)| {
            if k == Some(st.cursor) {
                l.style(ui.theme.selected())
            } else {
                l
            }
        })
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}

/// An indicator's value as the reports show it: a computed rate as a percentage (`100.0%`,
/// never `1`), anything else (per 1000, 元, a value entered by hand) as a number.
fn indicator_value(source: quality::Source, v: f64) -> String {
    use quality::Source as S;
    match source {
        S::CompletionRate | S::OverdueRate | S::RectificationRate | S::QcScore => {
            crate::reports::pct(Some(v))
        }
        S::Manual | S::FindingsPer1000 | S::AmountRecovered => num2(v),
    }
}

/// Points and values: two decimals, trailing zeros dropped.
fn num2(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}
