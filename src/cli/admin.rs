//! `jicha thresholds …` and `jicha operator …`: rule parameters and people.

use super::args::*;
use super::format::{col, write_records};
use super::{perform, Session};
use crate::actions::Action;
use crate::context::{self, Lang};
use crate::error::Result;
use crate::i18n::cli::{Col, Msg};
use crate::i18n::outcomes::unit_or_centre;
use crate::output::xlsx::{self, records::ThresholdRow};
use crate::thresholds;
use serde_json::json;

pub(super) fn thresholds_cmd(s: &mut Session, verb: ThresholdsVerb) -> Result<()> {
    match verb {
        ThresholdsVerb::Set { name, value } => perform(s, Action::ThresholdSet { name, value }),
        ThresholdsVerb::Show { format, .. } => {
            let current = thresholds::Thresholds::load(&s.ds.conn)?;
            let specs = thresholds::specs();
            let lang = s.ctx.lang;
            if format == Format::Xlsx {
                let rows: Vec<ThresholdRow> = current
                    .iter()
                    .filter_map(|(name, value)| {
                        let spec = specs.get(name)?;
                        Some(ThresholdRow { name, value, spec })
                    })
                    .collect();
                return xlsx::emit(&xlsx::records::thresholds(lang, &rows)?.0);
            }
            let mut rows = Vec::new();
            // A site rule's parameters (X-ID.name) are the dataset's own: their default and
            // rule come from the rule file.
            let site = crate::rules::site::store::params(&s.ds.conn)?;
            for (name, value) in current.iter() {
                let Some(spec) = specs.get(name) else {
                    if let Some((_, rule, default)) = site.iter().find(|(n, _, _)| n == name) {
                        let about =
                            crate::i18n::cli::say(lang, Msg::SiteParamAbout, &[("rule", rule)]);
                        let mut row = vec![
                            json!(name),
                            json!(value),
                            json!(default),
                            json!(rule),
                            json!(about),
                        ];
                        if format != Format::Table {
                            let zh = crate::i18n::cli::say(
                                Lang::Zh,
                                Msg::SiteParamAbout,
                                &[("rule", rule)],
                            );
                            row.push(json!(zh));
                        }
                        rows.push(row);
                    }
                    continue;
                };
                let default = match (&spec.value, format) {
                    (toml::Value::Array(_), Format::Table) => Msg::DefaultList.text(lang).into(),
                    (v, Format::Json) => serde_json::to_value(v).unwrap_or(json!(v.to_string())),
                    (v, _) => json!(v.to_string()),
                };
                // A table says what it is in the operator's language; JSON and CSV keep `about`
                // English and add `about_zh`.
                let mut row = vec![json!(name), json!(value), default, json!(spec.rules)];
                if format == Format::Table {
                    row.push(json!(spec.about(lang)));
                } else {
                    row.push(json!(spec.about));
                    row.push(json!(spec.about(Lang::Zh)));
                }
                rows.push(row);
            }
            let mut columns = vec![
                col("name", Col::Threshold, 24),
                col("value", Col::Value, 16),
                col("default", Col::Default, 10),
                col("rules", Col::Rules, 14),
                col("about", Col::About, 70),
            ];
            if format != Format::Table {
                columns.push(col("about_zh", Col::About, 70));
            }
            write_records(format, lang, &columns, &rows)
        }
    }
}

pub(super) fn operator_cmd(s: &mut Session, verb: OperatorVerb) -> Result<()> {
    match verb {
        OperatorVerb::Add {
            login,
            role,
            name,
            unit,
        } => perform(
            s,
            Action::OperatorAdd {
                login,
                role: role.as_str().to_string(),
                name,
                unit,
            },
        ),
        OperatorVerb::List { format, .. } => {
            let lang = s.ctx.lang;
            let list = context::operators(&s.ds.conn)?;
            if format == Format::Xlsx {
                return xlsx::emit(&xlsx::records::operators(lang, &list)?.0);
            }
            let rows: Vec<Vec<serde_json::Value>> = list
                .iter()
                .map(|o| {
                    let role = match (format, lang) {
                        (Format::Table, Lang::Zh) => crate::i18n::role(lang, &o.role).to_string(),
                        _ => o.role.clone(),
                    };
                    // The audit centre: null in JSON, empty in CSV, named in a table.
                    let unit = match (&o.unit, format) {
                        (None, Format::Table) => json!(unit_or_centre(lang, &None)),
                        (u, _) => json!(u),
                    };
                    vec![
                        json!(o.login),
                        json!(role),
                        unit,
                        json!(o.name),
                        json!(o.added_at),
                        json!(o.added_by),
                    ]
                })
                .collect();
            let columns = [
                col("login", Col::Login, 16),
                col("role", Col::Role, 9),
                col("unit", Col::OperatorUnit, 16),
                col("name", Col::PersonName, 16),
                col("added_at", Col::AddedAt, 24),
                col("added_by", Col::AddedBy, 16),
            ];
            write_records(format, lang, &columns, &rows)
        }
    }
}
