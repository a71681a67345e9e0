//! Source history, read side (ARCHITECTURE.md "Source history"): what re-imports changed in
//! the imported export, field by field, with the imports involved. The import writes
//! `source_history` (`import::history`); `jicha changes`, the finding detail, the customer box
//! and the HIS rules read it here.

use crate::dates::parse_date;
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::Connection;
use serde_json::Value as Json;

/// From when `jicha changes --since` lists: changes made by imports after import N, or by
/// imports whose business date is on or after a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    Import(i64),
    Date(NaiveDate),
}

impl Since {
    /// `--since`: a whole number is an import id, `YYYY-MM-DD` a date; None otherwise.
    pub fn parse(s: &str) -> Option<Since> {
        let t = s.trim();
        if let Ok(n) = t.parse::<i64>() {
            return (n >= 0).then_some(Since::Import(n));
        }
        parse_date(t).map(Since::Date)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub since: Option<Since>,
    /// A data-contract file (`bills.csv`); `bills` is taken as `bills.csv`.
    pub file: Option<String>,
    pub cust: Option<String>,
    /// At most this many changes (newest first); None: all.
    pub limit: Option<usize>,
}

/// One field of a changed row: its value before and after (`new` None: the row is gone).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Json,
    pub new: Option<Json>,
}

/// One superseded version of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub id: i64,
    pub file: String,
    /// The row's key values, in the file's key order.
    pub key: Vec<String>,
    pub cust_no: Option<String>,
    /// `changed` or `gone`.
    pub kind: String,
    /// The import that first saw the old version, and the one that replaced it (or found the
    /// row gone), with its business date.
    pub since_import: i64,
    pub replaced_by: i64,
    pub replaced_on: String,
    /// Only the fields that differ (every field of a gone row, `new` None).
    pub fields: Vec<FieldChange>,
}

impl Change {
    pub fn is_gone(&self) -> bool {
        self.kind == "gone"
    }
}

/// A JSON value as shown: text as it is, numbers without a trailing `.0`, null as empty.
pub fn shown(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Number(n) => match n.as_f64() {
            Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// Whether two stored values differ (numbers compare as numbers: `10` and `10.0` are equal).
pub fn differ(a: &Json, b: &Json) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x != y,
        _ => a != b,
    }
}

fn normalise_file(f: &str) -> String {
    let f = f.trim();
    if f.ends_with(".csv") {
        f.to_string()
    } else {
        format!("{f}.csv")
    }
}

/// The changes the filter selects, newest first.
pub fn list(conn: &Connection, filter: &Filter) -> Result<Vec<Change>> {
    let mut sql = String::from(
        "SELECT h.id, h.file, h.key, h.cust_no, h.kind, h.old, h.new, h.since_import,
                h.replaced_by, coalesce(i.business_date, '')
         FROM source_history h LEFT JOIN imports i ON i.id = h.replaced_by WHERE 1 = 1",
    );
    let mut params: Vec<Value> = Vec::new();
    match filter.since {
        Some(Since::Import(n)) => {
            params.push(Value::Integer(n));
            sql.push_str(&format!(" AND h.replaced_by > ?{}", params.len()));
        }
        Some(Since::Date(d)) => {
            params.push(Value::Text(d.to_string()));
            sql.push_str(&format!(" AND i.business_date >= ?{}", params.len()));
        }
        None => {}
    }
    if let Some(f) = &filter.file {
        params.push(Value::Text(normalise_file(f)));
        sql.push_str(&format!(" AND h.file = ?{}", params.len()));
    }
    if let Some(c) = &filter.cust {
        params.push(Value::Text(c.clone()));
        sql.push_str(&format!(" AND h.cust_no = ?{}", params.len()));
    }
    sql.push_str(" ORDER BY h.id DESC");
    if let Some(n) = filter.limit {
        sql.push_str(&format!(" LIMIT {n}"));
    }
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let key: Vec<String> = serde_json::from_str::<Vec<Json>>(&r.get::<_, String>(2)?)
            .unwrap_or_default()
            .iter()
            .map(shown)
            .collect();
        let old: Json = serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or(Json::Null);
        let new: Option<Json> = r
            .get::<_, Option<String>>(6)?
            .and_then(|t| serde_json::from_str(&t).ok());
        let file: String = r.get(1)?;
        out.push(Change {
            id: r.get(0)?,
            fields: fields(&file, &old, new.as_ref()),
            file,
            key,
            cust_no: r.get(3)?,
            kind: r.get(4)?,
            since_import: r.get(7)?,
            replaced_by: r.get(8)?,
            replaced_on: r.get(9)?,
        });
    }
    Ok(out)
}

/// The fields of `old` that `new` changed (all of them when the row is gone), in the file's
/// column order.
pub fn fields(file: &str, old: &Json, new: Option<&Json>) -> Vec<FieldChange> {
    let Some(o) = old.as_object() else {
        return Vec::new();
    };
    let mut names: Vec<&String> = o.keys().collect();
    if let Some(spec) = crate::import::contract::FILES
        .iter()
        .find(|s| s.file == file)
    {
        let cols = spec.table_columns();
        names.sort_by_key(|k| cols.iter().position(|c| c == k).unwrap_or(usize::MAX));
    }
    names
        .into_iter()
        .map(|k| (k, &o[k]))
        .filter_map(|(k, ov)| match new {
            None => Some(FieldChange {
                field: k.clone(),
                old: ov.clone(),
                new: None,
            }),
            Some(n) => {
                let nv = n.get(k).cloned().unwrap_or(Json::Null);
                differ(ov, &nv).then(|| FieldChange {
                    field: k.clone(),
                    old: ov.clone(),
                    new: Some(nv),
                })
            }
        })
        .collect()
}

/// One line per change, escaped for a terminal:
/// `bills.csv 3301…/2026-05: kwh 100 → 900 (import 1 → 2, 2026-06-02)`; a gone row says so.
pub fn one_line(c: &Change, lang: crate::context::Lang) -> String {
    use crate::context::Lang;
    use crate::text::escape;
    let what: Vec<String> = if c.is_gone() {
        vec![match lang {
            Lang::En => "row gone from the export".to_string(),
            Lang::Zh => "该行已不在导出数据中".to_string(),
        }]
    } else {
        c.fields
            .iter()
            .map(|f| {
                let new = f.new.as_ref().map(shown).unwrap_or_default();
                format!("{} {} → {}", f.field, shown(&f.old), new)
            })
            .collect()
    };
    let imports = match lang {
        Lang::En => format!(
            "import {} → {}, {}",
            c.since_import, c.replaced_by, c.replaced_on
        ),
        Lang::Zh => format!(
            "导入 {} → {}，{}",
            c.since_import, c.replaced_by, c.replaced_on
        ),
    };
    let sep = match lang {
        Lang::En => "; ",
        Lang::Zh => "；",
    };
    escape(&format!(
        "{} {}: {} ({imports})",
        c.file,
        c.key.join("/"),
        what.join(sep)
    ))
    .into_owned()
}

/// The SHA-256 over the history rows import `import_id` wrote, recomputed from the rows as
/// they are now (the import's log record holds the one it computed when it ran).
pub fn import_digest(conn: &Connection, import_id: i64) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut stmt = conn.prepare(
        "SELECT id, file, key, kind, old, coalesce(new, ''), since_import, replaced_by
         FROM source_history WHERE replaced_by = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([import_id])?;
    let mut h = Sha256::new();
    while let Some(r) = rows.next()? {
        h.update(crate::import::history::row_digest_input(
            r.get(0)?,
            &r.get::<_, String>(1)?,
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
            r.get(6)?,
            r.get(7)?,
        ));
    }
    Ok(hex::encode(h.finalize()))
}
