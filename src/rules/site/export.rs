//! `jicha rules test FILE EXPORT_DIR --as-of D`: a site rule tried on an export, with no
//! dataset of the operator's involved: the export is imported into a dataset in a temporary
//! directory (removed afterwards), the rule run on it as a scan would.

use super::{trial, SiteRule, Trial};
use crate::context::{Ctx, Lang, Role};
use crate::db::Dataset;
use crate::error::Result;
use chrono::NaiveDate;
use std::path::Path;

pub fn test_on_export(
    rule: &SiteRule,
    export: &Path,
    as_of: NaiveDate,
    lang: Lang,
    keep: usize,
) -> Result<Trial> {
    let dir = tempfile::TempDir::new()?;
    let who = "rules-test";
    let mut ds = Dataset::create(
        &dir.path().join("trial.jicha"),
        who,
        &crate::context::now_utc(),
    )?;
    let ctx = Ctx {
        unit: None,
        operator: who.to_string(),
        role: Role::Admin,
        today: as_of,
        lang,
    };
    crate::import::import_dir(&mut ds, &ctx, export, &mut crate::progress::silent)?;
    trial(&ds.conn, rule, as_of, keep)
}
