//! `jicha campaign create|list|show|close|progress|report|spread` (专项稽查) and `jicha sample`
//! (抽检) with `sample list|show`.

use super::format::{Format, ReportFormat};
use super::{csv_err, output, print_outcome, Session};
use crate::actions::campaigns::{self as act, CampaignAction, NewCampaign};
use crate::actions::sampling::{self as draw, SampleDraw};
use crate::campaigns::{self, Campaign, Kind, Method};
use crate::context::Lang;
use crate::error::Result;
use crate::i18n::campaigns::CampWord as W;
use crate::sampling::{self, Basis, Of};
use clap::{Args, Subcommand, ValueEnum};
use output::{for_stdout, json_for_stdout, Table};
use serde_json::{json, Value};
use std::io::Write;

pub const CAMPAIGN: &str = "Examples:
  jicha campaign create --name '计量装置专项' --kind special --rule MTR-01 --unit 城东供电所 --from 2026-12-01 --to 2026-12-31
  jicha campaign spread 1234
  jicha campaign progress ZX-20261201-001
  jicha campaign report ZX-20261201-001 --format xlsx --out zx.xlsx";

pub const SAMPLE: &str = "Examples:
  jicha sample --rule MTR-01 --ratio 0.1 --seed 42
  jicha sample --campaign ZX-20261201-001 --unit 城东供电所 --ratio 0.2 --of customers
  jicha sample --rule MTR-01 --ratio 0.1 --seed 42 --inspect --inspectors 张工,李工 --planned 2026-12-05
  jicha sample list
  jicha sample show CY-20261201-001";

pub const CAMPAIGN_LIST: &str = "Examples:
  jicha campaign list --open
  jicha campaign list --format json";

pub const CAMPAIGN_SHOW: &str = "Examples:
  jicha campaign show ZX-20261201-001";

pub const CAMPAIGN_CLOSE: &str = "Examples:
  jicha campaign close ZX-20261201-001";

pub const CAMPAIGN_PROGRESS: &str = "Examples:
  jicha campaign progress ZX-20261201-001
  jicha campaign progress ZX-20261201-001 --format csv";

pub const CAMPAIGN_REPORT: &str = "Examples:
  jicha campaign report ZX-20261201-001 --format md > zx.md
  jicha campaign report ZX-20261201-001 --format xlsx --out zx.xlsx";

pub const CAMPAIGN_SPREAD: &str = "Examples:
  jicha campaign spread 1234
  jicha campaign spread 1234 --name '表计异常举一反三' --to 2027-03-31";

pub const SAMPLE_LIST: &str = "Examples:
  jicha sample list
  jicha sample list --format csv";

pub const SAMPLE_SHOW: &str = "Examples:
  jicha sample show CY-20261201-001
  jicha sample show CY-20261201-001 --format json";

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum KindArg {
    /// 日常稽查
    Routine,
    /// 专项稽查
    Special,
    /// 事件稽查
    Incident,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum MethodArg {
    /// 在线稽查
    Online,
    /// 现场稽查
    Onsite,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OfArg {
    Findings,
    Customers,
}

#[derive(Debug, Subcommand)]
pub enum CampaignVerb {
    /// Open a campaign: name, kind, method, scope (rules, units, categories), period, owner.
    #[command(after_help = CAMPAIGN)]
    Create {
        /// What it is called.
        #[arg(long)]
        name: String,
        /// Kind of control.
        #[arg(long, value_enum, default_value_t = KindArg::Special)]
        kind: KindArg,
        /// Method of control.
        #[arg(long, value_enum, default_value_t = MethodArg::Online)]
        method: MethodArg,
        /// A rule in scope (repeat or comma-separate); none: every rule.
        #[arg(long = "rule", value_delimiter = ',', value_name = "RULE")]
        rules: Vec<String>,
        /// A unit in scope with its subtree (repeat or comma-separate); none: every unit.
        #[arg(long = "unit", value_delimiter = ',', value_name = "UNIT")]
        units: Vec<String>,
        /// A customer category in scope: resident, commercial, large_industry, agriculture.
        #[arg(long = "category", value_delimiter = ',', value_name = "CATEGORY")]
        categories: Vec<String>,
        /// First day of the period.
        #[arg(long, value_parser = crate::dates::parse_arg_said, value_name = "DATE")]
        from: chrono::NaiveDate,
        /// Last day of the period (inclusive).
        #[arg(long, value_parser = crate::dates::parse_arg_said, value_name = "DATE")]
        to: chrono::NaiveDate,
        /// The operator in charge; default you.
        #[arg(long, value_name = "LOGIN")]
        owner: Option<String>,
    },
    /// List the campaigns, oldest first, with their figures.
    #[command(after_help = CAMPAIGN_LIST)]
    List {
        /// Only the open ones.
        #[arg(long)]
        open: bool,
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// One campaign: its definition, its progress per unit, its tickets.
    #[command(after_help = CAMPAIGN_SHOW)]
    Show {
        /// The campaign number (ZX-YYYYMMDD-NNN).
        number: String,
    },
    /// Close a campaign: no new ticket is dispatched for it.
    #[command(after_help = CAMPAIGN_CLOSE)]
    Close {
        /// The campaign number.
        number: String,
    },
    /// Progress per unit: 应查, 实查, 属实, 已整改, rolled up the unit tree.
    #[command(after_help = CAMPAIGN_PROGRESS)]
    Progress {
        /// The campaign number.
        number: String,
        /// How the figures are written (table, csv or json).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The campaign report: its definition, then 应查、实查和稽查结果 per unit.
    #[command(after_help = CAMPAIGN_REPORT)]
    Report {
        /// The campaign number.
        number: String,
        /// How the report is written.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        #[command(flatten)]
        out: crate::cli::out::OutArgs,
    },
    /// 举一反三: a special campaign of one finding's rule, spread to every unit.
    #[command(after_help = CAMPAIGN_SPREAD)]
    Spread {
        /// The finding whose rule is spread.
        finding: i64,
        /// What it is called; default from the rule's name.
        #[arg(long)]
        name: Option<String>,
        /// Last day of the period; default today + 90 days.
        #[arg(long, value_parser = crate::dates::parse_arg_said, value_name = "DATE")]
        to: Option<chrono::NaiveDate>,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SampleArgs {
    /// Draw from this rule's open findings.
    #[arg(long, conflicts_with = "campaign", value_name = "RULE")]
    pub rule: Option<String>,
    /// Draw from this campaign's open findings.
    #[arg(long, value_name = "ZX-…")]
    pub campaign: Option<String>,
    /// Only stations under this unit; default your unit (all units for the audit centre).
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// The share of each station drawn, above 0 and at most 1 (at least one per station).
    #[arg(long, allow_negative_numbers = true)]
    pub ratio: Option<f64>,
    /// The seed: the same seed on the same population draws the same sample; default one is
    /// chosen and printed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// What is drawn.
    #[arg(long, value_enum, default_value_t = OfArg::Findings)]
    pub of: OfArg,
    /// Turn the sample into on-site inspections in the same step: one inspection per unit
    /// (supply station) with that station's drawn findings (of customers: their open findings);
    /// whitelisted or already planned findings are left out and named.
    #[arg(long)]
    pub inspect: bool,
    /// Who goes, comma-separated (with --inspect); default you.
    #[arg(
        long,
        requires = "inspect",
        value_delimiter = ',',
        value_name = "NAME,NAME…"
    )]
    pub inspectors: Vec<String>,
    /// The inspections' planned date (with --inspect); default today.
    #[arg(long, requires = "inspect", value_parser = super::args::parse_date_arg, value_name = "DATE")]
    pub planned: Option<chrono::NaiveDate>,
    /// How the inspections check (with --inspect): onsite (现场), phone (电话), records (资料核查).
    #[arg(long, requires = "inspect", value_name = "METHOD",
          value_parser = clap::builder::PossibleValuesParser::new(["onsite", "phone", "records"]))]
    pub method: Option<String>,
    #[command(subcommand)]
    pub verb: Option<SampleVerb>,
}

#[derive(Debug, Subcommand)]
pub enum SampleVerb {
    /// The samples drawn, oldest first.
    #[command(after_help = SAMPLE_LIST)]
    List {
        /// How the list is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// One sample: how it was drawn and its items per unit.
    #[command(after_help = SAMPLE_SHOW)]
    Show {
        /// The sample number (CY-YYYYMMDD-NNN).
        number: String,
        /// How it is written.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub(super) fn campaign_cmd(s: &mut Session, verb: CampaignVerb) -> Result<()> {
    let action = match verb {
        CampaignVerb::Create {
            name,
            kind,
            method,
            rules,
            units,
            categories,
            from,
            to,
            owner,
        } => CampaignAction::Create(NewCampaign {
            name,
            kind: match kind {
                KindArg::Routine => Kind::Routine,
                KindArg::Special => Kind::Special,
                KindArg::Incident => Kind::Incident,
            },
            method: match method {
                MethodArg::Online => Method::Online,
                MethodArg::Onsite => Method::Onsite,
            },
            rules,
            units,
            categories,
            from,
            to,
            owner,
        }),
        CampaignVerb::Close { number } => CampaignAction::Close { number },
        CampaignVerb::Spread { finding, name, to } => CampaignAction::Spread { finding, name, to },
        CampaignVerb::List { open, format } => return list(s, open, format),
        CampaignVerb::Show { number } => return show(s, &number),
        CampaignVerb::Progress { number, format } => return progress(s, &number, format),
        CampaignVerb::Report { number, format, .. } => return report(s, &number, format),
    };
    let outcome = act::perform(&mut s.ds, &s.ctx, &action)?;
    print_outcome(&outcome, s.ctx.lang);
    Ok(())
}

/// `ticket create --campaign ZX-…`.
pub(super) fn ticket_for(
    s: &mut Session,
    create: crate::actions::Action,
    campaign: String,
) -> Result<()> {
    let outcome = act::perform(
        &mut s.ds,
        &s.ctx,
        &CampaignAction::Ticket { create, campaign },
    )?;
    print_outcome(&outcome, s.ctx.lang);
    Ok(())
}

/// A list as a table (headers in `lang`), CSV or JSON (stable English keys).
fn records(
    format: Format,
    lang: Lang,
    cols: &[(&'static str, W, usize)],
    rows: &[Vec<Value>],
) -> Result<()> {
    let stdout = output::stdout();
    let mut out = stdout.lock();
    let text = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match format {
        Format::Xlsx => {
            return Err(crate::error::JichaError::Usage(
                "--format xlsx: not for this command (campaign report --format xlsx is)".into(),
            ))
        }
        Format::Table => {
            let heads: Vec<(&str, usize)> = cols
                .iter()
                .map(|(_, w, n)| (w.text(lang), (*n).max(crate::text::width(w.text(lang)))))
                .collect();
            let mut t = Table::new(&mut out, &heads)?;
            for r in rows {
                let cells: Vec<String> = r.iter().map(text).collect();
                t.row(&cells.iter().map(String::as_str).collect::<Vec<_>>())?;
            }
        }
        Format::Csv => {
            output::csv_start(&mut out)?;
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(cols.iter().map(|c| c.0)).map_err(csv_err)?;
            for r in rows {
                w.write_record(r.iter().map(|v| for_stdout(&text(v)).into_owned()))
                    .map_err(csv_err)?;
            }
            w.flush()?;
        }
        Format::Json => {
            let list: Vec<Value> = rows
                .iter()
                .map(|r| {
                    Value::Object(
                        cols.iter()
                            .zip(r)
                            .map(|(c, v)| (c.0.to_string(), v.clone()))
                            .collect(),
                    )
                })
                .collect();
            let json = serde_json::to_string_pretty(&list).expect("serializable");
            writeln!(out, "{}", json_for_stdout(json))?;
        }
    }
    Ok(())
}

fn list(s: &Session, open: bool, format: Format) -> Result<()> {
    let lang = s.ctx.lang;
    let cols = [
        ("number", W::Number, 15),
        ("name", W::Name, 24),
        ("kind", W::Kind, 8),
        ("method", W::Method, 6),
        ("from", W::Period, 10),
        ("to", W::Period, 10),
        ("owner", W::Owner, 8),
        ("state", W::State, 6),
        ("due", W::Due, 4),
        ("checked", W::Checked, 4),
        ("confirmed", W::Confirmed, 4),
        ("rectified", W::Rectified, 4),
    ];
    let mut rows = Vec::new();
    for c in campaigns::list(&s.ds.conn, open)? {
        let t = campaigns::progress(&s.ds.conn, &c)?.total;
        let (kind, method, state) = match (lang, format) {
            (Lang::Zh, Format::Table) => (
                c.kind.zh(),
                c.method.zh(),
                crate::output::campaign::state(lang, &c),
            ),
            _ => (c.kind.as_str(), c.method.as_str(), c.state.as_str()),
        };
        let state = state.to_string();
        rows.push(vec![
            json!(c.number),
            json!(c.name),
            json!(kind),
            json!(method),
            json!(c.period_from),
            json!(c.period_to),
            json!(c.owner),
            json!(state),
            json!(t.due),
            json!(t.checked),
            json!(t.confirmed),
            json!(t.rectified),
        ]);
    }
    if rows.is_empty() && format == Format::Table {
        writeln!(output::stdout(), "{}", W::NoCampaigns.text(lang))?;
        return Ok(());
    }
    records(format, lang, &cols, &rows)
}

fn page(s: &Session, c: &Campaign, md: bool) -> Result<String> {
    let p = campaigns::progress(&s.ds.conn, c)?;
    Ok(crate::output::campaign::render_text(
        c,
        &p,
        &s.ctx.today.to_string(),
        md,
        s.ctx.lang,
    ))
}

fn show(s: &Session, number: &str) -> Result<()> {
    let c = campaigns::get(&s.ds.conn, number)?;
    let mut text = page(s, &c, false)?;
    let tickets = campaigns::tickets_of(&s.ds.conn, &c.number)?;
    text.push_str(&format!(
        "\n{} ({}): {}\n",
        W::Tickets.text(s.ctx.lang),
        tickets.len(),
        tickets.join(" ")
    ));
    write!(output::stdout(), "{}", for_stdout(&text).replace('␊', "\n"))?;
    Ok(())
}

fn progress(s: &Session, number: &str, format: Format) -> Result<()> {
    let c = campaigns::get(&s.ds.conn, number)?;
    let p = campaigns::progress(&s.ds.conn, &c)?;
    let lang = s.ctx.lang;
    let cols = [
        ("unit", W::Unit, 24),
        ("due", W::Due, 6),
        ("checked", W::Checked, 6),
        ("confirmed", W::Confirmed, 6),
        ("rectified", W::Rectified, 6),
    ];
    let indent = if format == Format::Table { "  " } else { "" };
    let mut rows: Vec<Vec<Value>> = p
        .units
        .iter()
        .map(|u| {
            let f = &u.figures;
            vec![
                json!(format!("{}{}", indent.repeat(u.depth), u.unit)),
                json!(f.due),
                json!(f.checked),
                json!(f.confirmed),
                json!(f.rectified),
            ]
        })
        .collect();
    let total = if format == Format::Table {
        W::Total.text(lang)
    } else {
        "*"
    };
    let t = &p.total;
    rows.push(vec![
        json!(total),
        json!(t.due),
        json!(t.checked),
        json!(t.confirmed),
        json!(t.rectified),
    ]);
    records(format, lang, &cols, &rows)
}

fn report(s: &Session, number: &str, format: ReportFormat) -> Result<()> {
    let c = campaigns::get(&s.ds.conn, number)?;
    let p = campaigns::progress(&s.ds.conn, &c)?;
    let as_of = s.ctx.today.to_string();
    let stdout = output::stdout();
    let mut out = stdout.lock();
    match format {
        ReportFormat::Json => {
            let r = crate::output::campaign::json(&c, &p, &as_of);
            let json = serde_json::to_string_pretty(&r).expect("serializable");
            writeln!(out, "{}", json_for_stdout(json))?;
        }
        ReportFormat::Xlsx => crate::output::xlsx::emit(
            &crate::output::xlsx::campaign::workbook(s.ctx.lang, &c, &p, &as_of)?.0,
        )?,
        ReportFormat::Csv => {
            output::csv_start(&mut out)?;
            let mut buf = Vec::new();
            crate::output::campaign::write_csv(&p, &mut buf)?;
            let text = String::from_utf8_lossy(&buf);
            out.write_all(for_stdout(&text).replace('␊', "\n").as_bytes())?;
        }
        ReportFormat::Text | ReportFormat::Md => {
            let text = page(s, &c, format == ReportFormat::Md)?;
            out.write_all(for_stdout(&text).replace('␊', "\n").as_bytes())?;
        }
    }
    Ok(())
}

pub(super) fn sample_cmd(s: &mut Session, a: SampleArgs) -> Result<()> {
    match a.verb {
        Some(SampleVerb::List { format }) => return sample_list(s, format),
        Some(SampleVerb::Show { number, format }) => return sample_show(s, &number, format),
        None => {}
    }
    let basis = match (a.rule, a.campaign) {
        (Some(r), None) => Basis::Rule(r.trim().to_string()),
        (None, Some(c)) => Basis::Campaign(c.trim().to_string()),
        _ => {
            return Err(crate::error::JichaError::invalid(
                crate::i18n::campaigns::CampaignWrong::NeedBasis,
            ))
        }
    };
    let Some(ratio) = a.ratio else {
        return Err(crate::error::JichaError::invalid(
            crate::i18n::campaigns::CampaignWrong::BadRatio {
                given: String::new(),
            },
        ));
    };
    let step = SampleDraw {
        basis,
        unit: a.unit.or_else(|| s.ctx.unit.clone()),
        ratio,
        seed: a.seed.unwrap_or_else(sampling::fresh_seed),
        of: match a.of {
            OfArg::Findings => Of::Findings,
            OfArg::Customers => Of::Customers,
        },
        inspect: match a.inspect {
            false => None,
            true => Some(draw::InspectPlan {
                inspectors: if a.inspectors.is_empty() {
                    vec![s.ctx.operator.clone()]
                } else {
                    a.inspectors
                },
                planned_on: a.planned.unwrap_or(s.ctx.today),
                method: crate::inspections::Method::parse(a.method.as_deref().unwrap_or("onsite"))?,
            }),
        },
    };
    let outcome = draw::perform(&mut s.ds, &s.ctx, &step)?;
    print_outcome(&outcome, s.ctx.lang);
    Ok(())
}

fn sample_list(s: &Session, format: Format) -> Result<()> {
    let cols = [
        ("number", W::Number, 15),
        ("basis", W::Basis, 15),
        ("unit", W::Unit, 12),
        ("of", W::Of, 9),
        ("ratio", W::Ratio, 5),
        ("seed", W::Seed, 20),
        ("population", W::Population, 6),
        ("drawn", W::Drawn, 6),
        ("drawn_by", W::DrawnBy, 8),
        ("drawn_on", W::DrawnOn, 10),
    ];
    let list = sampling::list(&s.ds.conn)?;
    if list.is_empty() && format == Format::Table {
        writeln!(output::stdout(), "{}", W::NoSamples.text(s.ctx.lang))?;
        return Ok(());
    }
    let rows: Vec<Vec<Value>> = list
        .iter()
        .map(|x| {
            vec![
                json!(x.number),
                json!(x.rule.clone().or(x.campaign.clone())),
                json!(x.unit),
                json!(x.of),
                json!(x.ratio),
                json!(x.seed),
                json!(x.population),
                json!(x.drawn),
                json!(x.drawn_by),
                json!(x.drawn_on),
            ]
        })
        .collect();
    records(format, s.ctx.lang, &cols, &rows)
}

fn sample_show(s: &Session, number: &str, format: Format) -> Result<()> {
    let x = sampling::get(&s.ds.conn, number)?;
    let items = sampling::items(&s.ds.conn, x.id)?;
    let lang = s.ctx.lang;
    if format == Format::Json {
        let mut v = serde_json::to_value(&x).expect("serializable");
        v["items"] = json!(items
            .iter()
            .map(|(unit, items)| json!({ "unit": unit, "items": items }))
            .collect::<Vec<_>>());
        let json = serde_json::to_string_pretty(&v).expect("serializable");
        writeln!(output::stdout(), "{}", json_for_stdout(json))?;
        return Ok(());
    }
    if format == Format::Table {
        let basis = x.rule.clone().or(x.campaign.clone()).unwrap_or_default();
        let head = [
            (W::Sample, x.number.clone()),
            (W::Basis, basis),
            (
                W::Unit,
                x.unit.clone().unwrap_or_else(|| W::All.text(lang).into()),
            ),
            (W::Of, x.of.clone()),
            (W::Ratio, x.ratio.to_string()),
            (W::Seed, x.seed.clone()),
            (W::Population, x.population.to_string()),
            (W::PopulationSha, x.population_sha256.clone()),
            (W::Drawn, x.drawn.to_string()),
            (W::DrawnBy, format!("{} {}", x.drawn_by, x.drawn_on)),
        ];
        let mut out = String::new();
        for (w, v) in head {
            out.push_str(&format!(
                "{} {v}\n",
                crate::output::table::pad(w.text(lang), 18)
            ));
        }
        writeln!(output::stdout(), "{}", for_stdout(&out))?;
    }
    let cols = [("station", W::Station, 20), ("item", W::Item, 12)];
    let rows: Vec<Vec<Value>> = items
        .iter()
        .flat_map(|(unit, items)| items.iter().map(move |i| vec![json!(unit), json!(i)]))
        .collect();
    records(format, lang, &cols, &rows)
}
