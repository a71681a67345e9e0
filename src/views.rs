//! Saved views (已存视图): an operator's named filters of the findings list (unit, severity,
//! status, rule, THF level, search text, whitelisted), each operator's own; one may be pinned
//! to the dashboard, which shows it with its count. Read side: the list, the pinned one. The
//! changes are `actions::views::ViewChange`.

use crate::error::Result;
use crate::findings::{Filter, Suppressed};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// The longest name, in characters.
pub const MAX_NAME: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub id: i64,
    pub name: String,
    pub filter: Filter,
    pub pinned: bool,
    pub version: i64,
}

pub fn suppressed_str(s: Suppressed) -> &'static str {
    match s {
        Suppressed::Hide => "hide",
        Suppressed::Only => "only",
        Suppressed::Include => "include",
    }
}

fn suppressed_of(s: &str) -> Suppressed {
    match s {
        "only" => Suppressed::Only,
        "include" => Suppressed::Include,
        _ => Suppressed::Hide,
    }
}

const COLUMNS: &str =
    "id, name, status, rule, unit, severity, level, text, suppressed, pinned, version";

fn read(r: &Row) -> rusqlite::Result<View> {
    let suppressed: String = r.get(8)?;
    Ok(View {
        id: r.get(0)?,
        name: r.get(1)?,
        filter: Filter {
            status: r.get(2)?,
            rule: r.get(3)?,
            station: r.get(4)?,
            severity: r.get(5)?,
            level: r.get(6)?,
            text: r.get(7)?,
            suppressed: suppressed_of(&suppressed),
            // Not a filter a view saves (yet): a view recalls the work queue it names.
            recurred: false,
        },
        pinned: r.get::<_, i64>(9)? != 0,
        version: r.get(10)?,
    })
}

/// `operator`'s views, by name.
pub fn list(conn: &Connection, operator: &str) -> Result<Vec<View>> {
    let mut st = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM saved_views WHERE operator = ?1 ORDER BY name"
    ))?;
    let rows = st.query_map([operator], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One of `operator`'s views by name.
pub fn get(conn: &Connection, operator: &str, name: &str) -> Result<Option<View>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM saved_views WHERE operator = ?1 AND name = ?2"),
            params![operator, name],
            read,
        )
        .optional()?)
}

/// The view `operator` pinned to the dashboard, if any.
pub fn pinned(conn: &Connection, operator: &str) -> Result<Option<View>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM saved_views WHERE operator = ?1 AND pinned = 1"),
            [operator],
            read,
        )
        .optional()?)
}

/// A view's filter in a few words: `unit 城关供电所 · high · open · BIL-05 · "C00"`.
pub fn describe(f: &Filter) -> String {
    let mut parts = Vec::new();
    if let Some(u) = &f.station {
        parts.push(u.clone());
    }
    if let Some(s) = &f.severity {
        parts.push(s.clone());
    }
    if let Some(s) = &f.status {
        parts.push(s.clone());
    }
    if let Some(r) = &f.rule {
        parts.push(r.clone());
    }
    if let Some(l) = f.level {
        parts.push(format!("L{l}"));
    }
    if let Some(t) = &f.text {
        parts.push(format!("\"{t}\""));
    }
    if f.suppressed != Suppressed::Hide {
        parts.push(format!("wl:{}", suppressed_str(f.suppressed)));
    }
    if parts.is_empty() {
        "*".into()
    } else {
        parts.join(" · ")
    }
}
