//! Entering a `manual` indicator's value for a unit and period (`e` on the quality ranking
//! and on a unit's drill-down): a picker of the unit level's manual indicators, then a prompt
//! for the value, then the change for the writer.

use super::{Cx, Invalid};
use crate::quality::actions::QualityAction;
use crate::quality::{self, Indicator, Level, Period, Source};
use crate::text::escape;
use crate::ui::dialog::{Choice, Prompt, Value};
use crate::ui::i18n::{self, Msg};
use crate::ui::worker::Change;
use crate::ui::write::Write;
use std::any::Any;

/// What the dialogs of a value entry are for.
#[derive(Debug, Clone)]
pub enum Ask {
    /// Which manual indicator of `unit` a value is entered for (then a prompt for the value).
    Indicator {
        unit: String,
        period: Period,
        items: Vec<Indicator>,
    },
    /// A hand-entered value of a `manual` indicator for a unit and period.
    Value {
        indicator: Indicator,
        unit: String,
        period: Period,
    },
}

/// Starts entering a value for `unit` (its level and the period shown; `None` while it is
/// loading): refused at once below the role the action needs, else a picker of the enabled
/// manual indicators of the unit's level.
pub fn start(unit: Option<(String, Level, Period)>, cx: &mut Cx) {
    let probe = QualityAction::ValueSet {
        indicator: 0,
        unit: String::new(),
        period: String::new(),
        value: 0.0,
    };
    if let Err(e) = cx.ctx.require(probe.required_role(), probe.name()) {
        cx.error(e.text(cx.ctx.lang));
        return;
    }
    let Some((unit, level, period)) = unit else {
        cx.info(cx.t(Msg::Loading));
        return;
    };
    let items: Vec<Indicator> = match quality::indicators::list(&cx.ds.conn) {
        Ok(all) => all
            .into_iter()
            .filter(|i| i.enabled && i.source == Source::Manual && i.level == level)
            .collect(),
        Err(e) => {
            cx.error(e.text(cx.ctx.lang));
            return;
        }
    };
    if items.is_empty() {
        cx.info(i18n::no_manual_indicator(cx.lang(), level.as_str()));
        return;
    }
    let title = format!(
        "{} {} · {}",
        cx.t(Msg::QPickIndicator),
        escape(&unit),
        i18n::period_label(cx.lang(), &period)
    );
    let names = items
        .iter()
        .map(|i| {
            format!(
                "{} · {} ({} → {})",
                escape(&i.category),
                escape(&i.name),
                i.base_value,
                i.full_value
            )
        })
        .collect();
    let mut c = Choice::new(
        title,
        names,
        Ask::Indicator {
            unit,
            period,
            items,
        },
    );
    c.size = (76, None);
    cx.dialog(c);
}

/// The answer of one of its dialogs; `None` when `tag` is not a value entry's.
pub fn reply(tag: &dyn Any, value: Value, cx: &mut Cx) -> Option<Result<(), Invalid>> {
    let ask = tag.downcast_ref::<Ask>()?;
    Some(match (ask.clone(), value) {
        (
            Ask::Indicator {
                unit,
                period,
                items,
            },
            Value::Choice(i),
        ) => {
            if let Some(ind) = items.get(i).cloned() {
                value_prompt(ind, unit, period, cx);
            }
            Ok(())
        }
        (
            Ask::Value {
                indicator,
                unit,
                period,
            },
            Value::Text(text),
        ) => {
            let Some(v) = parse_value(&text) else {
                return Some(Err(Invalid::from(cx.t(Msg::QBadValue))));
            };
            let action = QualityAction::ValueSet {
                indicator: indicator.id,
                unit,
                period: period.label(),
                value: v,
            };
            cx.perform(Write::new(Change::Quality(action)));
            Ok(())
        }
        _ => Ok(()),
    })
}

/// The value prompt for the picked indicator, filled with the value entered before.
fn value_prompt(indicator: Indicator, unit: String, period: Period, cx: &mut Cx) {
    let lang = cx.lang();
    let old = quality::indicators::manual_value(&cx.ds.conn, indicator.id, &unit, &period.label())
        .ok()
        .flatten();
    let title = i18n::quality_value_title(
        lang,
        &escape(&indicator.name),
        &escape(&unit),
        &i18n::period_label(lang, &period),
    );
    // A value's scale, so that 0.95 is not typed where 95 is meant; an empty value clears
    // nothing: it is refused like any other non-number.
    let note = i18n::quality_value_scale(
        lang,
        &indicator.base_value.to_string(),
        &indicator.full_value.to_string(),
        &indicator.full_score.to_string(),
    );
    let mut p = Prompt::new(
        title,
        old.map(|v| v.to_string()),
        Ask::Value {
            indicator,
            unit,
            period,
        },
    );
    p.empty_clears = false;
    p.note = Some(note);
    cx.dialog(p);
}

/// An entered indicator value: digits with an optional sign and one `.` (no `,`, exponent,
/// `inf` or `NaN`, which `f64::from_str` would take).
fn parse_value(s: &str) -> Option<f64> {
    let s = s.trim();
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let ok = digits > 0
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.matches('.').count() <= 1;
    ok.then(|| s.parse::<f64>().ok())
        .flatten()
        .filter(|v| v.is_finite())
}
