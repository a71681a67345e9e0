//! The actions on findings that the findings list and a finding's detail share: confirm,
//! reopen, close (with a resolution), note, whitelist (own rules or every rule), make a
//! ticket. Each starts from `Targets` (the marks, else the finding in focus), asks what it
//! needs in dialogs tagged `Ask`, and ends in one `Write`, asked first with the count when it
//! is for the marks or several findings.

use super::{Cx, Invalid};
use crate::actions::Action as Op;
use crate::findings::{self, FindingRow};
use crate::states::Resolution;
use crate::text::escape;
use crate::ui::dialog::{Choice, Confirm, Editor, Field, Form, Prompt, Value};
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::Action;
use crate::ui::worker::Change;
use crate::ui::write::{Targets, Write};
use chrono::{Days, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// The resolutions offered when closing, in the order of the choice.
pub const RESOLUTIONS: &[Resolution] = Resolution::ALL;

/// Findings to whitelist, each with its rule and customer.
#[derive(Debug, Clone, PartialEq)]
pub struct WlFindings {
    pub targets: Targets,
    /// `(rule, customer)` of each target, in the targets' order.
    pub subjects: Vec<(String, String)>,
}

/// One whitelist entry to add for findings, with the versions of the findings it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct WlEntry {
    pub rule: String,
    pub cust_no: String,
    pub seen: Vec<(i64, i64)>,
}

impl WlFindings {
    /// One entry per distinct rule and customer (per customer for every rule), each with the
    /// findings it covers: two marked findings of one rule and customer make one entry.
    pub fn entries(&self, every_rule: bool) -> Vec<WlEntry> {
        let mut by_entry: BTreeMap<(String, String), Vec<(i64, i64)>> = BTreeMap::new();
        for (seen, (rule, cust_no)) in self.targets.seen.iter().zip(&self.subjects) {
            let rule = if every_rule { "*" } else { rule.as_str() };
            by_entry
                .entry((rule.to_string(), cust_no.clone()))
                .or_default()
                .push(*seen);
        }
        by_entry
            .into_iter()
            .map(|((rule, cust_no), seen)| WlEntry {
                rule,
                cust_no,
                seen,
            })
            .collect()
    }

    /// The distinct customers, escaped, in order.
    fn customers(&self) -> String {
        let mut seen = BTreeSet::new();
        self.subjects
            .iter()
            .filter(|(_, c)| seen.insert(c.as_str()))
            .map(|(_, c)| escape(c).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a dialog opened for a finding action is asking.
#[derive(Debug, Clone)]
pub enum Ask {
    Resolution(Targets),
    CloseNote(Targets, Resolution),
    Note(Targets),
    /// Whitelist the findings' own rules (0) or every rule of their customers (1).
    WlScope(WlFindings),
    WlDays {
        findings: WlFindings,
        every_rule: bool,
    },
    WlReason {
        findings: WlFindings,
        every_rule: bool,
        days: Option<i64>,
    },
    /// Fields: requirement, unit, person, due date.
    Ticket {
        targets: Targets,
        default_due: NaiveDate,
    },
}

/// False, with the refusal on the status line (naming the role needed), when the operator's
/// role may not perform `op`: said at the key, before a dialog opens and text is typed.
pub(crate) fn may(op: &Op, cx: &mut Cx) -> bool {
    match cx.ctx.require(op.required_role(), op.name()) {
        Ok(()) => true,
        Err(e) => {
            cx.error(escape(&e.text(cx.ctx.lang)).into_owned());
            false
        }
    }
}

/// The change a triage key leads to, for the role check at the key (its fields do not matter).
fn op_of(a: Action) -> Option<Op> {
    let ids = Vec::new();
    Some(match a {
        Action::Confirm => Op::Confirm { ids },
        Action::Reopen => Op::Reopen { ids },
        Action::Close => Op::Close {
            ids,
            resolution: String::new(),
            note: None,
        },
        Action::Note => Op::Note {
            ids,
            text: String::new(),
        },
        Action::WhitelistAdd => Op::WhitelistAdd {
            rule: String::new(),
            cust_no: String::new(),
            reason: String::new(),
            days: None,
        },
        Action::TicketCreate => Op::TicketCreate {
            findings: ids,
            unit: None,
            person: None,
            due: None,
            requirement: String::new(),
        },
        _ => return None,
    })
}

/// Starts the action of a triage key on `targets` (None: nothing in focus).
pub fn act(a: Action, targets: Option<Targets>, cx: &mut Cx) {
    if op_of(a).is_some_and(|op| !may(&op, cx)) {
        return;
    }
    if a == Action::TicketCreate {
        match targets {
            Some(t) => ticket_form(t, cx),
            None => cx.error(cx.t(Msg::NoFindingSelected)),
        }
        return;
    }
    let Some(t) = targets else { return };
    match a {
        Action::Confirm => ask_or_perform(Op::Confirm { ids: t.ids() }, t, cx),
        Action::Reopen => ask_or_perform(Op::Reopen { ids: t.ids() }, t, cx),
        Action::Close => {
            let items = RESOLUTIONS
                .iter()
                .map(|res| {
                    let need = if res.needs_note() {
                        cx.t(Msg::NoteRequired)
                    } else {
                        cx.t(Msg::NoteOptional)
                    };
                    format!("{} ({need})", i18n::resolution(cx.lang(), res))
                })
                .collect();
            let title = format!("{} ({})", cx.t(Msg::ChooseResolution), t.len());
            let mut c = Choice::new(title, items, Ask::Resolution(t));
            c.size = (56, Some(9));
            cx.dialog(c);
        }
        Action::Note => {
            let title = format!("{} ({})", cx.t(Msg::EditNote), t.len());
            cx.dialog(Editor::note(title, Ask::Note(t)));
        }
        Action::WhitelistAdd => whitelist(t, cx),
        _ => {}
    }
}

/// Whether `a` is one of the actions of this module.
pub fn is_triage(a: Action) -> bool {
    matches!(
        a,
        Action::Confirm
            | Action::Reopen
            | Action::Close
            | Action::Note
            | Action::WhitelistAdd
            | Action::TicketCreate
    )
}

/// A change on findings: asked first with the count when it is for the marks or several
/// findings, else sent at once.
fn ask_or_perform(op: Op, t: Targets, cx: &mut Cx) {
    if t.needs_question() {
        let question = i18n::bulk_question(cx.lang(), &op, t.len(), t.marked);
        cx.dialog(Confirm::new(question, Write::on(op, t)));
    } else {
        cx.perform(Write::on(op, t));
    }
}

/// The whitelist dialog: their own rules or every rule of their customers.
fn whitelist(targets: Targets, cx: &mut Cx) {
    let rows = match findings::rows_by_ids(&cx.ds.conn, &targets.ids(), cx.ctx.today) {
        Ok(r) => r,
        Err(e) => return cx.error(e.text(cx.ctx.lang)),
    };
    let by_id: BTreeMap<i64, &FindingRow> = rows.iter().map(|r| (r.id, r)).collect();
    let mut subjects = Vec::new();
    for id in targets.ids() {
        match by_id.get(&id) {
            Some(r) => subjects.push((r.rule.clone(), r.cust_no.clone())),
            None => {
                let key = cx.keymap.hint(Action::ClearMarks);
                return cx.error(i18n::finding_gone(cx.lang(), id, &key));
            }
        }
    }
    let findings = WlFindings { targets, subjects };
    let lang = cx.lang();
    let t = &findings.targets;
    let (title, opts, first) = match findings.subjects.as_slice() {
        [(rule, cust_no)] if !t.marked => (
            cx.t(Msg::WlScopeTitle).to_string(),
            vec![
                format!("{} ({})", cx.t(Msg::ThisRule), escape(rule)),
                cx.t(Msg::EveryRule).to_string(),
            ],
            format!("{}: {}", cx.t(Msg::CustNo), escape(cust_no)),
        ),
        _ => (
            i18n::wl_scope_title(lang, t.len(), t.marked),
            vec![
                i18n::wl_scope_own(lang, findings.entries(false).len()),
                i18n::wl_scope_every(lang, findings.entries(true).len()),
            ],
            i18n::wl_scope_customers(lang, &findings.customers()),
        ),
    };
    let mut c = Choice::new(title, opts, Ask::WlScope(findings));
    c.intro = Some(first);
    c.numbered = false;
    c.wraps = true;
    c.size = (64, Some(8));
    cx.dialog(c);
}

/// The new-ticket form, with the unit prefilled when the findings share a station and the
/// default due date shown.
fn ticket_form(t: Targets, cx: &mut Cx) {
    let rows = match findings::rows_by_ids(&cx.ds.conn, &t.ids(), cx.ctx.today) {
        Ok(r) => r,
        Err(e) => return cx.error(e.text(cx.ctx.lang)),
    };
    let stations: BTreeSet<&str> = rows.iter().map(|r| r.station.as_str()).collect();
    let unit = if stations.len() == 1 {
        stations.iter().next().copied().unwrap_or("")
    } else {
        ""
    };
    // The default of `tickets::create`: issued on + due_days of the worst severity.
    let worst = rows
        .iter()
        .filter_map(|r| crate::rules::Severity::parse(&r.severity))
        .max()
        .unwrap_or(crate::rules::Severity::Low);
    let days = cx
        .shared
        .thresholds
        .int(&format!("due_days_{}", worst.as_str()));
    let default_due = cx.ctx.today + Days::new(days.max(0) as u64);
    let unit = escape(unit).into_owned();
    let form = ticket_dialog(t, default_due, !unit.is_empty(), ["", &unit, "", ""], cx);
    cx.dialog(form);
}

/// The new-ticket form with `texts` in its fields (requirement, unit, person, due date): empty
/// at first, the operator's own text when the confirmation sends them back to it.
fn ticket_dialog(
    t: Targets,
    default_due: NaiveDate,
    unit_known: bool,
    texts: [&str; 4],
    cx: &Cx,
) -> Form {
    let lang = cx.lang();
    let (req, opt) = (cx.t(Msg::FieldRequired), cx.t(Msg::FieldOptional));
    let fields = vec![
        Field::new(
            format!("{} ({req})", cx.t(Msg::Requirement)),
            true,
            texts[0],
        ),
        Field::new(
            i18n::unit_label(lang, unit_known).to_string(),
            false,
            texts[1],
        ),
        Field::new(format!("{} ({opt})", cx.t(Msg::Person)), false, texts[2]),
        Field::new(
            i18n::due_default(lang, &default_due.to_string()),
            false,
            texts[3],
        ),
    ];
    let title = format!(
        "{} ({} {})",
        cx.t(Msg::FormCreateTicket),
        t.len(),
        cx.t(Msg::FindingsCount)
    );
    Form::new(
        title,
        fields,
        Ask::Ticket {
            targets: t,
            default_due,
        },
    )
}

/// The answer of one of this module's dialogs.
pub fn reply(ask: Ask, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
    match (ask, value) {
        (Ask::Resolution(t), Value::Choice(i)) => {
            let Some(res) = RESOLUTIONS.get(i).copied() else {
                return Ok(());
            };
            let title = format!(
                "{} — {} ({})",
                cx.t(Msg::EditCloseNote),
                i18n::resolution(cx.lang(), &res),
                t.len()
            );
            let mut e = Editor::note(title, Ask::CloseNote(t, res));
            e.required = res.needs_note();
            cx.dialog(e);
        }
        (Ask::CloseNote(t, resolution), Value::Text(note)) => {
            let op = Op::Close {
                ids: t.ids(),
                resolution: resolution.to_string(),
                note: (!note.is_empty()).then_some(note),
            };
            ask_or_perform(op, t, cx);
        }
        (Ask::Note(t), Value::Text(text)) => {
            ask_or_perform(Op::Note { ids: t.ids(), text }, t, cx);
        }
        (Ask::WlScope(findings), Value::Choice(i)) => {
            let ask = Ask::WlDays {
                findings,
                every_rule: i == 1,
            };
            cx.dialog(Prompt::new(
                cx.t(Msg::PromptDays).to_string(),
                Some("90".into()),
                ask,
            ));
        }
        (
            Ask::WlDays {
                findings,
                every_rule,
            },
            Value::Text(input),
        ) => {
            let input = input.trim();
            let days = if input.is_empty() {
                None
            } else {
                Some(parse_days(input).ok_or_else(|| Invalid::from(cx.t(Msg::BadDays)))?)
            };
            let title = format!(
                "{} — {} {}",
                cx.t(Msg::EditWlReason),
                reason_for(cx, &findings, every_rule),
                days.map(|d| format!("{d}d")).unwrap_or_default()
            );
            let ask = Ask::WlReason {
                findings,
                every_rule,
                days,
            };
            cx.dialog(Editor::new(title, ask));
        }
        (
            Ask::WlReason {
                findings,
                every_rule,
                days,
            },
            Value::Text(reason),
        ) => whitelist_add(&findings, every_rule, days, reason, cx),
        (
            Ask::Ticket {
                targets,
                default_due,
            },
            Value::Fields(texts),
        ) => ticket_create(targets, default_due, &texts, cx)?,
        _ => {}
    }
    Ok(())
}

/// What a whitelist reason is for: a rule and a customer, or how many findings and entries.
fn reason_for(cx: &Cx, findings: &WlFindings, every_rule: bool) -> String {
    let entries = findings.entries(every_rule);
    match entries.as_slice() {
        [e] if !findings.targets.marked => format!("{} {}", escape(&e.rule), escape(&e.cust_no)),
        _ => i18n::wl_reason_for(
            cx.lang(),
            findings.targets.len(),
            entries.len(),
            findings.targets.marked,
        ),
    }
}

/// One entry per distinct rule and customer in one transaction, asked first with the count
/// when it is for the marks.
fn whitelist_add(
    findings: &WlFindings,
    every_rule: bool,
    days: Option<i64>,
    reason: String,
    cx: &mut Cx,
) {
    let steps: Vec<(Op, Vec<(i64, i64)>)> = findings
        .entries(every_rule)
        .into_iter()
        .map(|e| {
            let op = Op::WhitelistAdd {
                rule: e.rule,
                cust_no: e.cust_no,
                reason: reason.clone(),
                days,
            };
            (op, e.seen)
        })
        .collect();
    let t = &findings.targets;
    let marked = if t.marked { t.ids() } else { Vec::new() };
    let done = (steps.len() > 1).then(|| i18n::whitelisted(cx.lang(), t.len(), steps.len()));
    let n = steps.len();
    let write = Write {
        change: Change::Actions(steps),
        marked,
        done,
    };
    if t.needs_question() {
        let question = i18n::whitelist_question(cx.lang(), t.len(), n, every_rule, t.marked);
        cx.dialog(Confirm::new(question, write));
    } else {
        cx.perform(write);
    }
}

fn ticket_create(
    targets: Targets,
    default_due: NaiveDate,
    texts: &[String],
    cx: &mut Cx,
) -> Result<(), Invalid> {
    let fail = |field: usize, msg: &str| Invalid {
        message: msg.to_string(),
        field: Some(field),
    };
    let text = |i: usize| texts.get(i).cloned().unwrap_or_default();
    if text(0).is_empty() {
        return Err(fail(0, cx.t(Msg::NeedRequirement)));
    }
    if text(1).is_empty() {
        return Err(fail(1, cx.t(Msg::UnitMixed)));
    }
    // A typo in the unit is refused here, with the nearest names, while the form is open.
    if let Err(e) = crate::actions::scope::require_known_unit(&cx.ds.conn, Some(&text(1))) {
        return Err(fail(1, &escape(&e.text(cx.lang()))));
    }
    let due = if text(3).is_empty() {
        None
    } else {
        let d = crate::dates::parse_date(&text(3)).filter(|d| *d >= cx.ctx.today);
        Some(d.ok_or_else(|| fail(3, cx.t(Msg::BadDate)))?)
    };
    let question = i18n::create_ticket_question(
        cx.lang(),
        targets.len(),
        &text(1),
        &due.unwrap_or(default_due).to_string(),
    );
    let op = Op::TicketCreate {
        findings: targets.ids(),
        unit: Some(text(1)),
        person: (!text(2).is_empty()).then(|| text(2)),
        due,
        requirement: text(0),
    };
    // `no` goes back to the form with everything typed in it, not to the list.
    let (f0, f1, f2, f3) = (text(0), text(1), text(2), text(3));
    let form = ticket_dialog(targets.clone(), default_due, true, [&f0, &f1, &f2, &f3], cx);
    let mut confirm = Confirm::new(question, Write::on(op, targets));
    confirm.back = Some(Box::new(form));
    cx.dialog(confirm);
    Ok(())
}

/// Days for a whitelist entry: 1 to 365.
pub fn parse_days(s: &str) -> Option<i64> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=365).contains(d))
}
