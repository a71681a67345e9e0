//! `jicha thresholds …` and `jicha operator …`: rule parameters and people.

use super::args::*;
use super::{output, perform, Session};
use crate::actions::Action;
use crate::context;
use crate::error::Result;
use crate::thresholds;
use output::Table;

pub(super) fn thresholds_cmd(s: &mut Session, verb: ThresholdsVerb) -> Result<()> {
    match verb {
        ThresholdsVerb::Set { name, value } => perform(s, Action::ThresholdSet { name, value }),
        ThresholdsVerb::Show => {
            let current = thresholds::Thresholds::load(&s.ds.conn)?;
            let specs = thresholds::specs();
            let stdout = output::stdout();
            let mut t = Table::new(
                stdout.lock(),
                &[
                    ("name", 24),
                    ("value", 16),
                    ("default", 10),
                    ("rules", 14),
                    ("about", 70),
                ],
            )?;
            for (name, value) in current.iter() {
                let Some(spec) = specs.get(name) else {
                    continue;
                };
                let default = match &spec.value {
                    toml::Value::Array(_) => "(list)".to_string(),
                    v => v.to_string(),
                };
                t.row(&[name, value, &default, &spec.rules, &spec.about])?;
            }
            Ok(())
        }
    }
}

pub(super) fn operator_cmd(s: &mut Session, verb: OperatorVerb) -> Result<()> {
    match verb {
        OperatorVerb::Add { login, role, name } => {
            perform(s, Action::OperatorAdd { login, role, name })
        }
        OperatorVerb::List => {
            let rows = context::operators(&s.ds.conn)?;
            let stdout = output::stdout();
            let mut t = Table::new(
                stdout.lock(),
                &[
                    ("login", 16),
                    ("role", 9),
                    ("name", 16),
                    ("added_at", 24),
                    ("added_by", 16),
                ],
            )?;
            for o in &rows {
                t.row(&[&o.login, &o.role, &o.name, &o.added_at, &o.added_by])?;
            }
            Ok(())
        }
    }
}
