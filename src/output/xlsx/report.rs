//! The report (日报 周报 月报) as a workbook: a sheet per breakdown — the figures, the business
//! indicators, by unit (along the hierarchy), by rule, the unit ranking and the overdue
//! tickets. Rates are numbers in a % format (`—` when the denominator is 0), as
//! `crate::reports` computed them; every figure's column is named in the operator's language.

use super::{value, Book, Cell, Col};
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::columns::SheetName;
use crate::i18n::report::{level, ReportWord as W};
use crate::i18n::ticket_state;
use crate::output::report::{figure_rows, kpi_rows, unit_label, KpiKind, Val};
use crate::reports::{Figures, Report};

/// The report's workbook, for `jicha report --format xlsx` and the reports screen.
pub fn workbook(lang: Lang, r: &Report) -> Result<(Vec<u8>, u64)> {
    let mut book = Book::new(lang);
    figures(&mut book, r)?;
    kpis(&mut book, r)?;
    by_unit(&mut book, r)?;
    by_rule(&mut book, r)?;
    ranking(&mut book, r)?;
    overdue(&mut book, r)?;
    book.finish()
}

fn col(lang: Lang, w: W, width: f64) -> Col {
    Col {
        head: w.text(lang).to_string(),
        width,
        ident: false,
    }
}

fn ident(lang: Lang, w: W, width: f64) -> Col {
    Col {
        ident: true,
        ..col(lang, w, width)
    }
}

fn cell(v: Val) -> Cell<'static> {
    match v {
        Val::Count(n) => super::count(n),
        Val::Rate(r) => Cell::Rate(r),
    }
}

/// A figure's column per figure of the table, for the breakdown sheets.
fn figure_cols(lang: Lang) -> Vec<Col> {
    figure_rows(&Figures::default())
        .iter()
        .map(|(_, w, _)| col(lang, *w, 14.0))
        .collect()
}

fn figures(book: &mut Book, r: &Report) -> Result<()> {
    let lang = book.lang;
    let cols = [col(lang, W::Figure, 34.0), col(lang, W::Value, 24.0)];
    let mut sheet = book.sheet(SheetName::Figures, &cols)?;
    sheet.row(&[
        Cell::text(W::Period.text(lang)),
        Cell::owned(format!("{} .. {}", r.from, r.to)),
    ])?;
    let scope = r.unit.as_deref().unwrap_or(W::AllUnits.text(lang));
    sheet.row(&[Cell::text(W::Scope.text(lang)), Cell::text(scope)])?;
    for (_, label, v) in figure_rows(&r.total) {
        sheet.row(&[Cell::text(label.text(lang)), cell(v)])?;
    }
    sheet.end()
}

fn kpi_cell(kind: KpiKind, v: Option<f64>) -> Cell<'static> {
    match kind {
        KpiKind::Rate => Cell::Rate(v),
        _ => v.map_or(Cell::text("—"), Cell::Num),
    }
}

fn kpis(book: &mut Book, r: &Report) -> Result<()> {
    let lang = book.lang;
    let cols = [
        col(lang, W::Indicator, 24.0),
        col(lang, W::Before, 16.0),
        col(lang, W::After, 16.0),
        col(lang, W::Change, 14.0),
    ];
    let mut sheet = book.sheet(SheetName::Kpis, &cols)?;
    sheet.row(&[
        Cell::text(W::BillingPeriods.text(lang)),
        Cell::owned(format!(
            "{} .. {}",
            r.previous_periods.0, r.previous_periods.1
        )),
        Cell::owned(format!(
            "{} .. {}",
            r.billing_periods.0, r.billing_periods.1
        )),
        Cell::text(""),
    ])?;
    if let Some(k) = &r.total.kpis {
        for (_, w, kind, v) in kpi_rows(k) {
            sheet.row(&[
                Cell::text(w.text(lang)),
                kpi_cell(kind, v.before),
                kpi_cell(kind, v.after),
                Cell::Rate(v.change_rate),
            ])?;
        }
    }
    sheet.end()
}

fn by_unit(book: &mut Book, r: &Report) -> Result<()> {
    let lang = book.lang;
    let mut cols = vec![
        col(lang, W::Unit, 18.0),
        col(lang, W::Level, 10.0),
        col(lang, W::Scope, 18.0),
    ];
    cols[2].head = crate::i18n::columns::Column::Parent.text(lang).to_string();
    cols.extend(figure_cols(lang));
    let mut sheet = book.sheet(SheetName::ByUnit, &cols)?;
    for u in &r.unit_tree {
        let Some(f) = r.by_unit.get(&u.name) else {
            continue;
        };
        let mut row = vec![
            Cell::owned(unit_label(lang, &u.name)),
            Cell::text(u.level.map(|l| level(lang, l)).unwrap_or("")),
            Cell::opt(u.parent.as_deref()),
        ];
        row.extend(figure_rows(f).iter().map(|(_, _, v)| cell(*v)));
        sheet.row(&row)?;
    }
    sheet.end()
}

fn by_rule(book: &mut Book, r: &Report) -> Result<()> {
    let lang = book.lang;
    let mut cols = vec![ident(lang, W::Rule, 10.0), col(lang, W::RuleName, 24.0)];
    cols.extend(figure_cols(lang));
    cols.push(col(lang, W::OpenChangeRate, 14.0));
    let mut sheet = book.sheet(SheetName::ByRule, &cols)?;
    for (rule, f) in &r.by_rule {
        let name = r
            .rule_names
            .get(rule)
            .map(|(zh, en)| if lang == Lang::Zh { zh } else { en })
            .map_or("", String::as_str);
        let mut row = vec![Cell::text(rule), Cell::text(name)];
        row.extend(figure_rows(f).iter().map(|(_, _, v)| cell(*v)));
        row.push(Cell::Rate(f.open_change_rate.flatten()));
        sheet.row(&row)?;
    }
    sheet.end()
}

fn ranking(book: &mut Book, r: &Report) -> Result<()> {
    let lang = book.lang;
    let cols = [
        col(lang, W::Rank, 6.0),
        col(lang, W::Unit, 18.0),
        col(lang, W::CompletionRate, 14.0),
        col(lang, W::RectificationRate, 14.0),
        col(lang, W::OverdueRate, 14.0),
    ];
    let mut sheet = book.sheet(SheetName::Ranking, &cols)?;
    for (i, u) in r.unit_ranking.iter().enumerate() {
        let f = r.by_unit.get(u).cloned().unwrap_or_default();
        sheet.row(&[
            Cell::Int(i64::try_from(i + 1).unwrap_or(i64::MAX)),
            Cell::owned(unit_label(lang, u)),
            Cell::Rate(f.completion_rate),
            Cell::Rate(f.rectification_rate),
            Cell::Rate(f.overdue_rate),
        ])?;
    }
    sheet.end()
}

fn overdue(book: &mut Book, r: &Report) -> Result<()> {
    let lang = book.lang;
    let cols = [
        ident(lang, W::Ticket, 17.0),
        col(lang, W::Unit, 16.0),
        col(lang, W::State, 10.0),
        col(lang, W::IssuedOn, 11.0),
        col(lang, W::DueOn, 13.0),
        col(lang, W::ApprovedOn, 13.0),
        col(lang, W::DaysLate, 10.0),
        col(lang, W::Problems, 10.0),
    ];
    let mut sheet = book.sheet(SheetName::OverdueList, &cols)?;
    for o in &r.overdue {
        sheet.row(&[
            Cell::text(&o.number),
            Cell::owned(unit_label(lang, &o.unit)),
            value(lang, ticket_state, o.state.as_str()),
            Cell::Date(&o.issued_on),
            Cell::Date(&o.due_on),
            Cell::Date(o.approved_on.as_deref().unwrap_or("")),
            Cell::Int(o.days_late),
            super::count(o.problems),
        ])?;
    }
    sheet.end()
}
