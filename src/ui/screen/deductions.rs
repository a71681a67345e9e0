//! 扣分: one unit's deductions at dispatch in one period (the quality screen's `d` on a unit),
//! with the evaluation's indicators and their sources above them. Each line is a ticket's
//! business deduction as the standard proposed it, or as a reviewer adjusted it (with the
//! reason, who and when), or a direct deduction (its level and reason). `a` on a business
//! deduction adjusts it with a reason — the action `jicha deduction adjust` performs, the
//! reviewer's role checked before the form opens. Drawn in `deductions_draw`.

use super::{list_delta, step, Arg, Cx, Invalid, Screen, Ui};
use crate::actions::deductions::DeductionAction;
use crate::context::{Lang, Role};
use crate::deductions::{self, TicketDeduction};
use crate::quality::{self, Indicator, Period};
use crate::text::escape;
use crate::ui::dialog::{Field, Form, Value};
use crate::ui::keymap::{Action as Key, Context};
use crate::ui::loader::Loaded;
use crate::ui::worker::Change;
use crate::ui::write::Write;
use crate::units::Hierarchy;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;

crate::bilingual_messages! {
    pub enum DdMsg {
        Title => "Deductions", "扣分";
        Indicators => "Indicators and their sources", "评价指标及数据来源";
        Lines => "Deductions at dispatch", "派单扣分";
        Empty => "No deduction at dispatch in this period.", "本期无派单扣分。";
        NoUnit => "Choose a unit on the quality screen first (d on its row).", "请先在质量评价页面选中单位（在该行按 d）。";
        Business => "business", "业务扣分";
        Direct => "direct", "直接扣分";
        Proposed => "proposed", "拟扣";
        Adjusted => "adjusted", "调整为";
        Reason => "reason", "理由";
        By => "by", "经办";
        NotBusiness => "Only a business deduction is adjusted; a direct deduction stands as recorded.", "只能调整业务扣分；直接扣分按记录执行。";
        FormTitle => "Adjust the business deduction of", "调整业务扣分：";
        Points => "Points (0 to 100; 0: nothing counts)", "扣分（0–100；0 表示不计）";
        ReasonField => "Reason (required)", "理由（必填）";
        BadPoints => "Points are a number from 0 to 100, e.g. 1.5", "扣分须为 0 到 100 的数字，例如 1.5";
        NeedReason => "Say why the deduction is adjusted", "请填写调整理由";
        Enabled => "on", "启用";
        Disabled => "off", "停用";
    }
}

/// A deduction with its ticket's number.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub number: String,
    pub d: TicketDeduction,
}

/// What the screen shows: the indicators and the unit's deductions of the period.
#[derive(Debug, Clone, Default)]
pub struct DedData {
    pub indicators: Vec<Indicator>,
    pub lines: Vec<Line>,
}

/// The deductions against `unit` or a unit below it, created in `period`, newest first.
pub fn unit_deductions(
    conn: &rusqlite::Connection,
    unit: &str,
    period: &Period,
) -> crate::Result<Vec<Line>> {
    let h = Hierarchy::load(conn)?;
    let (from, to) = period.range();
    let mut stmt = conn.prepare(
        "SELECT DISTINCT t.id, t.number, d.unit FROM ticket_deductions d
         JOIN tickets t ON t.id = d.ticket_id
         WHERE d.created_on BETWEEN ?1 AND ?2
         ORDER BY t.number DESC",
    )?;
    let tickets: Vec<(i64, String, String)> = stmt
        .query_map([from.to_string(), to.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (id, number, d_unit) in tickets {
        if !h.within(&d_unit, unit) || !seen.insert(id) {
            continue;
        }
        for d in deductions::of_ticket(conn, id)? {
            let in_period = d.created_on.as_str() >= from.to_string().as_str()
                && d.created_on.as_str() <= to.to_string().as_str();
            if in_period && h.within(&d.unit, unit) {
                out.push(Line {
                    number: number.clone(),
                    d,
                });
            }
        }
    }
    Ok(out)
}

/// The adjust form's tag: the ticket it adjusts.
struct AdjustTag(String);

#[derive(Default)]
pub struct Deductions {
    /// The unit and period shown (from the quality screen).
    pub unit: Option<(String, Period)>,
    pub data: Option<DedData>,
    pub error: Option<String>,
    pub cursor: usize,
}

impl Deductions {
    fn request(&mut self, cx: &mut Cx) {
        let Some((unit, period)) = self.unit.clone() else {
            return;
        };
        cx.load("deductions", move |ds| {
            Ok(DedData {
                indicators: quality::indicators::list(&ds.conn)?,
                lines: unit_deductions(&ds.conn, &unit, &period)?,
            })
        });
    }

    pub fn current(&self) -> Option<&Line> {
        self.data.as_ref()?.lines.get(self.cursor)
    }

    /// `a`: the reviewer's role first, then the form with the points now and a reason.
    fn adjust(&mut self, cx: &mut Cx) {
        let lang = cx.lang();
        if let Err(e) = cx.ctx.require(Role::Reviewer, "deduction.adjust") {
            cx.error(e.text(lang));
            return;
        }
        let Some(line) = self.current() else { return };
        if line.d.kind != "business" {
            cx.error(DdMsg::NotBusiness.text(lang));
            return;
        }
        let number = line.number.clone();
        let fields = vec![
            Field::new(
                DdMsg::Points.text(lang).to_string(),
                false,
                &points(line.d.points),
            ),
            Field::new(DdMsg::ReasonField.text(lang).to_string(), true, ""),
        ];
        let title = format!("{} {}", DdMsg::FormTitle.text(lang), escape(&number));
        cx.dialog(Form::new(title, fields, AdjustTag(number)));
    }
}

/// Points as typed and shown: `3`, `1.5`.
pub fn points(p: f64) -> String {
    let s = format!("{:.2}", deductions::round2(p));
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The form's answer as an adjustment, or which field to fix.
fn adjustment(lang: Lang, ticket: &str, fields: &[String]) -> Result<DeductionAction, Invalid> {
    let p = fields.first().map(|s| s.trim()).unwrap_or("");
    let points = p
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (0.0..=deductions::MAX_POINTS).contains(v))
        .ok_or(Invalid {
            message: DdMsg::BadPoints.text(lang).to_string(),
            field: Some(0),
        })?;
    let reason = fields.get(1).map(|s| s.trim()).unwrap_or("");
    if reason.is_empty() {
        return Err(Invalid {
            message: DdMsg::NeedReason.text(lang).to_string(),
            field: Some(1),
        });
    }
    Ok(DeductionAction::Adjust {
        ticket: ticket.to_string(),
        points,
        reason: reason.to_string(),
    })
}

impl Screen for Deductions {
    fn context(&self) -> Context {
        Context::Quality
    }

    fn hints(&self) -> &'static [Key] {
        &[Key::QAdjust, Key::Back, Key::Help]
    }

    fn tab(&self) -> Option<super::ScreenId> {
        Some(super::ScreenId::Quality)
    }

    fn enter(&mut self, arg: Arg, cx: &mut Cx) {
        if let Arg::Unit(unit, period) = arg {
            if self.unit.as_ref() != Some(&(unit.clone(), period)) {
                self.data = None;
                self.cursor = 0;
            }
            self.unit = Some((unit, period));
        }
        self.request(cx);
    }

    fn on_action(&mut self, a: Key, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            let n = self.data.as_ref().map_or(0, |d| d.lines.len());
            self.cursor = step(self.cursor, delta, n);
            return;
        }
        match a {
            Key::QAdjust => self.adjust(cx),
            Key::Back => cx.back(),
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, _cx: &mut Cx) {
        if slot == "deductions" {
            match answer.take::<DedData>() {
                Ok(d) => {
                    self.cursor = self.cursor.min(d.lines.len().saturating_sub(1));
                    self.data = Some(d);
                    self.error = None;
                }
                Err(e) => self.error = Some(escape(&e).into_owned()),
            }
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        let (Some(AdjustTag(ticket)), Value::Fields(fields)) =
            (tag.downcast_ref::<AdjustTag>(), value)
        else {
            return Ok(());
        };
        let action = adjustment(cx.lang(), ticket, &fields)?;
        cx.perform(Write::new(Change::Deduction(action)));
        Ok(())
    }

    fn refresh(&mut self, shown: bool, cx: &mut Cx) {
        if shown {
            self.request(cx);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        super::deductions_draw::draw(f, self, ui, area);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_checked_field_by_field() {
        let f = |a: &str, b: &str| adjustment(Lang::En, "JC-1", &[a.into(), b.into()]);
        assert_eq!(f("x", "r").unwrap_err().field, Some(0));
        assert_eq!(f("101", "r").unwrap_err().field, Some(0));
        assert_eq!(f("1.5", " ").unwrap_err().field, Some(1));
        assert_eq!(
            f(" 1.5 ", " two bills were one error ").unwrap(),
            DeductionAction::Adjust {
                ticket: "JC-1".into(),
                points: 1.5,
                reason: "two bills were one error".into()
            }
        );
        assert_eq!(points(3.0), "3");
        assert_eq!(points(1.25), "1.25");
        assert_eq!(points(0.0), "0");
    }
}
