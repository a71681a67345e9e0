//! The inspections' dialogs: planning one from the marked findings (method, planned date,
//! inspectors, campaign), and the 现场处理单 (visit date, one line per finding — outcome,
//! determination, amounts — the account, attachment paths); and the change each ends in.

use crate::actions::inspections::{self as act, FindingResult, InspectionCommand, NewInspection};
use crate::actions::Outcome;
use crate::context::{Ctx, Lang};
use crate::db::Dataset;
use crate::i18n::inspections::InspWord as W;
use crate::inspections::{Checked, Determination, Inspection, Method, Verdict};
use crate::text::escape;
use crate::ui::dialog::{Field, Form, Value};
use crate::ui::screen::{Cx, Invalid};
use crate::ui::worker::Change;
use crate::ui::write::{Targets, Write};
use chrono::NaiveDate;
use std::path::PathBuf;

/// An inspection's change for the writer thread.
#[derive(Debug, Clone, PartialEq)]
pub enum InspChange {
    Create {
        plan: NewInspection,
        /// The findings' versions as the findings screen showed them.
        seen: Vec<(i64, i64)>,
    },
    Record {
        number: String,
        visit_on: NaiveDate,
        results: Vec<FindingResult>,
        account: String,
        attachments: Vec<PathBuf>,
        seen: Vec<(i64, i64)>,
    },
    Cancel {
        number: String,
        reason: String,
        seen: Vec<(i64, i64)>,
    },
}

impl InspChange {
    pub fn apply(&self, ds: &mut Dataset, ctx: &Ctx) -> crate::Result<Outcome> {
        match self {
            InspChange::Create { plan, seen } => {
                act::perform(ds, ctx, &InspectionCommand::Create(plan.clone()), seen)
            }
            InspChange::Record {
                number,
                visit_on,
                results,
                account,
                attachments,
                seen,
            } => act::record(
                ds,
                ctx,
                number,
                *visit_on,
                results.clone(),
                account,
                attachments,
                seen,
            ),
            InspChange::Cancel {
                number,
                reason,
                seen,
            } => act::cancel(ds, ctx, number, reason, seen),
        }
    }
}

/// The tag of the planning form.
#[derive(Debug, Clone)]
pub struct PlanAsk {
    targets: Targets,
}

/// The tag of the recording form: the inspection and its findings in the form's order.
#[derive(Debug, Clone)]
pub struct RecordAsk {
    number: String,
    seen: (i64, i64),
    findings: Vec<i64>,
}

/// The planning form for `targets` (the marks, else the finding in focus).
pub fn plan_form(targets: Option<Targets>, cx: &mut Cx) {
    let Some(t) = targets else {
        return cx.error(crate::ui::i18n::Msg::NoFindingSelected.text(cx.lang()));
    };
    let lang = cx.lang();
    let fields = vec![
        Field::new(W::FieldMethod.text(lang).to_string(), false, "onsite"),
        Field::new(
            W::FieldPlanned.text(lang).to_string(),
            false,
            &cx.ctx.today.to_string(),
        ),
        Field::new(W::FieldInspectors.text(lang).to_string(), false, ""),
        Field::new(W::FieldCampaign.text(lang).to_string(), false, ""),
    ];
    let title = format!("{} ({})", W::FormPlan.text(lang), t.len());
    cx.dialog(Form::new(title, fields, PlanAsk { targets: t }));
}

fn date(lang: Lang, s: &str, field: usize) -> Result<NaiveDate, Invalid> {
    crate::dates::parse_date(s.trim()).ok_or_else(|| Invalid {
        message: W::BadDate.text(lang).to_string(),
        field: Some(field),
    })
}

fn refused(e: crate::error::JichaError, lang: Lang, field: usize) -> Invalid {
    Invalid {
        message: escape(&e.text(lang)).into_owned(),
        field: Some(field),
    }
}

/// The planning form's answer: a change, or the field to fix.
pub fn plan_reply(ask: &PlanAsk, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
    let Value::Fields(v) = value else {
        return Ok(());
    };
    let lang = cx.lang();
    let method = match v[0].trim() {
        "现场" | "" => Method::Onsite,
        "电话" => Method::Phone,
        "资料核查" | "资料" => Method::Records,
        other => Method::parse(other).map_err(|e| refused(e, lang, 0))?,
    };
    let planned_on = date(lang, &v[1], 1)?;
    let inspectors: Vec<String> = v[2]
        .split([',', '，', '、', ';'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if inspectors.is_empty() {
        return Err(Invalid {
            message: crate::i18n::inspections::InspectionWrong::NeedInspectors.text(lang),
            field: Some(2),
        });
    }
    let plan = NewInspection {
        findings: ask.targets.ids(),
        method,
        planned_on,
        inspectors,
        campaign: (!v[3].trim().is_empty()).then(|| v[3].trim().to_string()),
        ticket: None,
    };
    let mut w = Write::new(Change::Inspection(InspChange::Create {
        plan,
        seen: ask.targets.seen.clone(),
    }));
    if ask.targets.marked {
        w.marked = ask.targets.ids();
    }
    cx.perform(w);
    Ok(())
}

/// The 现场处理单 form for planned inspection `i`.
pub fn record_form(i: &Inspection, checked: &[Checked], cx: &mut Cx) {
    let lang = cx.lang();
    let mut fields = vec![Field::new(
        W::FieldVisit.text(lang).to_string(),
        false,
        &cx.ctx.today.to_string(),
    )];
    for c in checked {
        let label = format!(
            "{} {} {} — {}",
            c.finding,
            escape(&c.rule),
            escape(&c.cust_no),
            W::FieldResult.text(lang)
        );
        fields.push(Field::new(label, false, ""));
    }
    fields.push(Field::new(W::FieldAccount.text(lang).to_string(), true, ""));
    fields.push(Field::new(W::FieldAttach.text(lang).to_string(), false, ""));
    let title = format!("{} — {}", W::FormRecord.text(lang), escape(&i.number));
    let ask = RecordAsk {
        number: i.number.clone(),
        seen: (i.id, i.version),
        findings: checked.iter().map(|c| c.finding).collect(),
    };
    cx.dialog(Form::new(title, fields, ask));
}

/// One finding's line of the form: `outcome [determination] [kWh [yuan [penalty]]]`, in
/// either language's words.
pub fn parse_result(finding: i64, line: &str) -> Option<FindingResult> {
    let mut words = line.split_whitespace().peekable();
    let outcome = match words.next()? {
        "属实" => Verdict::True,
        "不属实" => Verdict::False,
        "部分属实" => Verdict::Partly,
        w => Verdict::parse(w).ok()?,
    };
    let determination = match words.peek().copied() {
        Some("无") => Some(Determination::None),
        Some("违约用电") => Some(Determination::Violation),
        Some("窃电") => Some(Determination::Theft),
        Some(w) => Determination::parse(w).ok(),
        None => None,
    };
    if determination.is_some() {
        words.next();
    }
    let mut amounts = Vec::new();
    for w in words {
        let x: f64 = w.parse().ok()?;
        if !x.is_finite() || x < 0.0 {
            return None;
        }
        amounts.push(x);
    }
    if amounts.len() > 3 {
        return None;
    }
    Some(FindingResult {
        finding,
        outcome,
        determination: determination.unwrap_or(Determination::None),
        back_kwh: amounts.first().copied(),
        back_yuan: amounts.get(1).copied(),
        penalty_yuan: amounts.get(2).copied(),
    })
}

pub fn record_reply(ask: &RecordAsk, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
    let Value::Fields(v) = value else {
        return Ok(());
    };
    let lang = cx.lang();
    let n = ask.findings.len();
    let visit_on = date(lang, &v[0], 0)?;
    let mut results = Vec::with_capacity(n);
    for (k, id) in ask.findings.iter().enumerate() {
        let r = parse_result(*id, &v[1 + k]).ok_or_else(|| Invalid {
            message: W::BadResult.text(lang).to_string(),
            field: Some(1 + k),
        })?;
        results.push(r);
    }
    let account = v[1 + n].clone();
    if account.trim().is_empty() {
        return Err(Invalid {
            message: crate::i18n::inspections::InspectionWrong::NeedAccount.text(lang),
            field: Some(1 + n),
        });
    }
    let attachments: Vec<PathBuf> = v[2 + n]
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .collect();
    // A missing file is said here, with the field to fix, before anything is sent.
    if let Some(p) = attachments.iter().find(|p| !p.exists()) {
        let e = crate::error::JichaError::invalid(
            crate::i18n::inspections::InspectionWrong::AttachmentMissing {
                path: p.display().to_string(),
            },
        );
        return Err(refused(e, lang, 2 + n));
    }
    cx.perform(Write::new(Change::Inspection(InspChange::Record {
        number: ask.number.clone(),
        visit_on,
        results,
        account,
        attachments,
        seen: vec![ask.seen],
    })));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_line_reads_in_either_language() {
        let r = parse_result(7, "属实 窃电 1200 780.5 2341.5").unwrap();
        assert_eq!(r.outcome, Verdict::True);
        assert_eq!(r.determination, Determination::Theft);
        assert_eq!(
            (r.back_kwh, r.back_yuan, r.penalty_yuan),
            (Some(1200.0), Some(780.5), Some(2341.5))
        );
        let r = parse_result(7, "false").unwrap();
        assert_eq!(
            (r.outcome, r.determination),
            (Verdict::False, Determination::None)
        );
        let r = parse_result(7, "partly 300").unwrap();
        assert_eq!(r.back_kwh, Some(300.0));
        assert!(parse_result(7, "").is_none());
        assert!(parse_result(7, "maybe").is_none());
        assert!(parse_result(7, "true theft -5").is_none());
        assert!(parse_result(7, "true 1 2 3 4").is_none());
    }
}
