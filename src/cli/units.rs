//! `jicha unit list` (the organisation as a tree, with what each unit holds over its subtree)
//! and `jicha unit show UNIT` (one unit: where it sits, what is below it, who works in it).

use super::{output, Session};
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::units::UnitWord as W;
use crate::output::table::pad;
use crate::units::{Hierarchy, Unit};
use crate::units_summary::{self, Counts};
use clap::{Subcommand, ValueEnum};
use output::{for_stdout, json_for_stdout, Table};
use serde_json::json;
use std::io::Write;

/// Open tickets `unit show` lists by number (the count says how many there are in all).
const SHOWN_TICKETS: usize = 20;

#[derive(Debug, Subcommand)]
pub enum UnitVerb {
    /// The unit tree: each unit indented under its parent, with its level, head, and the
    /// customers and open tickets of its subtree.
    #[command(after_help = super::help::UNIT_LIST)]
    List {
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = UnitFormat::Table)]
        format: UnitFormat,
    },
    /// One unit: its path from the root, level, head, the units and stations below it, its
    /// customers, the operators bound to it, and the open and overdue tickets of its subtree.
    #[command(after_help = super::help::UNIT_SHOW)]
    Show {
        /// The unit's name (a typo is refused with the nearest names).
        unit: String,
        /// How the unit is written.
        #[arg(long, value_enum, default_value_t = UnitFormat::Table)]
        format: UnitFormat,
    },
}

/// `--format` of the unit commands: a tree has no workbook of its own.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum UnitFormat {
    /// Aligned columns for reading: escaped, headers in the interface language.
    Table,
    /// Comma-separated values with stable English headers, for spreadsheets and scripts.
    Csv,
    /// A JSON array of objects with stable English keys, for programs.
    Json,
}

pub(super) fn unit_cmd(s: &Session, verb: UnitVerb) -> Result<()> {
    let h = Hierarchy::load(&s.ds.conn)?;
    match verb {
        UnitVerb::List { format } => list(s, &h, format),
        UnitVerb::Show { unit, format } => show(s, &h, &unit, format),
    }
}

fn level_word(lang: Lang, u: &Unit) -> &'static str {
    match lang {
        Lang::En => u.level.as_str(),
        Lang::Zh => u.level.zh(),
    }
}

fn list(s: &Session, h: &Hierarchy, format: UnitFormat) -> Result<()> {
    let lang = s.ctx.lang;
    let counts = units_summary::counts(&s.ds.conn, h, s.ctx.today)?;
    let tree = h.preorder();
    let stdout = output::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let count = |u: &Unit| counts.get(&u.name).copied().unwrap_or_default();
    match format {
        UnitFormat::Table => list_table(&mut out, lang, h, &tree, &count)?,
        UnitFormat::Csv => {
            output::csv_start(&mut out)?;
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "unit",
                "level",
                "parent",
                "head",
                "depth",
                "customers",
                "open_tickets",
                "overdue_tickets",
            ])
            .map_err(super::csv_err)?;
            for (u, depth) in &tree {
                let c = count(u);
                let cells = [
                    u.name.clone(),
                    u.level.as_str().to_string(),
                    u.parent.clone().unwrap_or_default(),
                    u.head.clone().unwrap_or_default(),
                    depth.to_string(),
                    c.customers.to_string(),
                    c.open_tickets.to_string(),
                    c.overdue_tickets.to_string(),
                ];
                w.write_record(cells.iter().map(|v| for_stdout(v).into_owned()))
                    .map_err(super::csv_err)?;
            }
            w.flush()?;
        }
        UnitFormat::Json => {
            let list: Vec<serde_json::Value> = tree
                .iter()
                .map(|(u, depth)| {
                    let c = count(u);
                    json!({
                        "unit": u.name, "level": u.level, "parent": u.parent, "head": u.head,
                        "depth": depth, "customers": c.customers,
                        "open_tickets": c.open_tickets, "overdue_tickets": c.overdue_tickets,
                    })
                })
                .collect();
            let text = serde_json::to_string_pretty(&list).expect("serializable");
            writeln!(out, "{}", json_for_stdout(text))?;
        }
    }
    out.flush()?;
    Ok(())
}

type Tree<'h> = [(&'h Unit, usize)];

fn list_table(
    out: &mut dyn Write,
    lang: Lang,
    h: &Hierarchy,
    tree: &Tree<'_>,
    count: &dyn Fn(&Unit) -> Counts,
) -> Result<()> {
    let shown: Vec<String> = tree
        .iter()
        .map(|(u, depth)| format!("{}{}", "  ".repeat(*depth), crate::text::escape(&u.name)))
        .collect();
    let width = |cells: &mut dyn Iterator<Item = usize>, at_least: usize, cap: usize| {
        cells.max().unwrap_or(0).clamp(at_least, cap)
    };
    let name_w = width(&mut shown.iter().map(|n| crate::text::width(n)), 8, 40);
    let parent_w = width(
        &mut tree
            .iter()
            .map(|(u, _)| u.parent.as_deref().map_or(0, crate::text::width)),
        8,
        24,
    );
    let columns = [
        (W::Unit, name_w),
        (W::Level, 10),
        (W::Parent, parent_w),
        (W::Head, 10),
        (W::Customers, 9),
        (W::OpenTickets, 12),
    ];
    let header: Vec<(&str, usize)> = columns
        .iter()
        .map(|(w, n)| (w.text(lang), (*n).max(crate::text::width(w.text(lang)))))
        .collect();
    if !h.imported {
        writeln!(out, "{}", W::Derived.text(lang))?;
    }
    let mut t = Table::new(&mut *out, &header)?;
    for ((u, _), name) in tree.iter().zip(&shown) {
        let c = count(u);
        t.row(&[
            name,
            level_word(lang, u),
            u.parent.as_deref().unwrap_or(""),
            u.head.as_deref().unwrap_or(""),
            &c.customers.to_string(),
            &c.open_tickets.to_string(),
        ])?;
    }
    Ok(())
}

/// Everything `unit show` says about one unit.
struct Shown<'h> {
    unit: &'h Unit,
    path: Vec<&'h str>,
    children: &'h [String],
    stations: Vec<&'h str>,
    counts: Counts,
    operators: Vec<units_summary::Operator>,
    tickets: Vec<units_summary::OpenTicket>,
}

fn show(s: &Session, h: &Hierarchy, typed: &str, format: UnitFormat) -> Result<()> {
    let unit = h.resolve(typed)?;
    let name = unit.name.as_str();
    let conn = &s.ds.conn;
    let today = s.ctx.today;
    let shown = Shown {
        unit,
        path: h.path(name),
        children: h.children(name),
        stations: h.stations_under(name),
        counts: units_summary::counts(conn, h, today)?
            .get(name)
            .copied()
            .unwrap_or_default(),
        operators: units_summary::operators_of(conn, name)?,
        tickets: units_summary::open_tickets(conn, h, name, today, SHOWN_TICKETS)?,
    };
    let stdout = output::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        UnitFormat::Table => {
            out.write_all(show_text(&shown, s.ctx.lang).as_bytes())?;
        }
        UnitFormat::Json | UnitFormat::Csv => {
            let v = json!({
                "unit": unit.name, "level": unit.level, "parent": unit.parent, "head": unit.head,
                "path": shown.path, "children": shown.children, "stations": shown.stations,
                "customers": shown.counts.customers, "open_tickets": shown.counts.open_tickets,
                "overdue_tickets": shown.counts.overdue_tickets, "operators": shown.operators,
                "tickets": shown.tickets,
            });
            if format == UnitFormat::Json {
                let text = serde_json::to_string_pretty(&v).expect("serializable");
                writeln!(out, "{}", json_for_stdout(text))?;
            } else {
                show_csv(&mut out, &v)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// `field,value` rows; a list is its items joined by `|`.
fn show_csv(out: &mut dyn Write, v: &serde_json::Value) -> Result<()> {
    output::csv_start(out)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["field", "value"]).map_err(super::csv_err)?;
    let obj = v.as_object().expect("an object");
    for key in [
        "unit",
        "level",
        "parent",
        "head",
        "path",
        "children",
        "stations",
        "customers",
        "open_tickets",
        "overdue_tickets",
    ] {
        let text = match &obj[key] {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(a) => a
                .iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), String::from))
                .collect::<Vec<_>>()
                .join("|"),
            other => other.to_string(),
        };
        w.write_record([key, &for_stdout(&text)])
            .map_err(super::csv_err)?;
    }
    w.flush()?;
    Ok(())
}

/// The unit as text, dataset names escaped.
fn show_text(s: &Shown<'_>, lang: Lang) -> String {
    let e = |t: &str| crate::text::escape(t).into_owned();
    let none = W::None.text(lang);
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    let joined = |v: &[String]| {
        if v.is_empty() {
            none.to_string()
        } else {
            v.join(sep)
        }
    };
    let labels = [
        W::Path,
        W::LevelLabel,
        W::HeadLabel,
        W::Children,
        W::Stations,
        W::CustomersLabel,
        W::Operators,
        W::OpenLabel,
        W::OverdueLabel,
    ];
    let width = labels
        .iter()
        .map(|l| crate::text::width(l.text(lang)))
        .max()
        .unwrap_or(0);
    let line = |label: W, value: &str| format!("{} {value}\n", pad(label.text(lang), width));
    let escaped = |v: &[&str]| v.iter().map(|n| e(n)).collect::<Vec<_>>();
    let mut out = format!("{}\n", e(&s.unit.name));
    out += &line(W::Path, &escaped(&s.path).join(" → "));
    out += &line(W::LevelLabel, level_word(lang, s.unit));
    out += &line(W::HeadLabel, &s.unit.head.as_deref().map_or(none.into(), e));
    let children: Vec<String> = s.children.iter().map(|c| e(c)).collect();
    out += &line(W::Children, &joined(&children));
    out += &line(W::Stations, &joined(&escaped(&s.stations)));
    out += &line(W::CustomersLabel, &s.counts.customers.to_string());
    let ops: Vec<String> = s
        .operators
        .iter()
        .map(|o| {
            let role = crate::i18n::role(lang, &o.role);
            match &o.name {
                Some(n) => format!("{} ({}, {role})", e(&o.login), e(n)),
                None => format!("{} ({role})", e(&o.login)),
            }
        })
        .collect();
    out += &line(W::Operators, &joined(&ops));
    out += &line(W::OpenLabel, &s.counts.open_tickets.to_string());
    out += &line(W::OverdueLabel, &s.counts.overdue_tickets.to_string());
    for t in &s.tickets {
        let mark = if t.overdue {
            format!("  {}", crate::i18n::cli::Msg::OverdueMark.text(lang))
        } else {
            String::new()
        };
        let state = crate::i18n::ticket_state(lang, &t.state);
        out += &format!(
            "  {}  {}  {state}  {}{mark}\n",
            e(&t.number),
            e(&t.unit),
            t.due_on
        );
    }
    let more = s.counts.open_tickets.saturating_sub(s.tickets.len() as u64);
    if more > 0 {
        out += &format!("  … +{more}\n");
    }
    out
}
