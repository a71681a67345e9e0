//! The canonical content of a row: which columns count, how a row is keyed, hashed and shown.
//!
//! A row's hash is SHA-256 over (column name, type, value) of every column that counts and is
//! not NULL, in declared column order, each part length-prefixed. NULL columns are left out so
//! that a later migration adding a nullable column does not change the hash of existing rows.

use crate::error::Result;
use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// Text longer than this is shown in the ledger's values as a short hash, not in full.
const SHOWN_TEXT_MAX: usize = 64;

/// What the ledger knows about one audited table.
#[derive(Debug, Clone)]
pub struct TableShape {
    pub name: &'static str,
    /// The schema the table lives in: `main` (the workflow file) or `facts` (the facts file,
    /// `crate::db::facts`).
    pub schema: &'static str,
    pub columns: Vec<String>,
    /// Whether each column counts in the hash (volatile bookkeeping columns do not).
    pub counted: Vec<bool>,
    /// Positions of the primary-key columns; empty for a rowid table keyed by its rowid.
    pub key_columns: Vec<usize>,
    pub without_rowid: bool,
}

impl TableShape {
    pub fn read(conn: &Connection, name: &'static str, volatile: &[&str]) -> Result<TableShape> {
        let schema = crate::db::facts::schema_of(conn, name)?;
        let mut columns = Vec::new();
        let mut pk: Vec<(i64, usize)> = Vec::new();
        {
            let mut stmt = conn.prepare(&format!("PRAGMA {schema}.table_info({name})"))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let col: String = r.get(1)?;
                let pk_pos: i64 = r.get(5)?;
                if pk_pos > 0 {
                    pk.push((pk_pos, columns.len()));
                }
                columns.push(col);
            }
        }
        let without_rowid: bool = conn
            .query_row(
                &format!("SELECT sql LIKE '%WITHOUT ROWID%' FROM {schema}.sqlite_schema WHERE type = 'table' AND name = ?1"),
                [name],
                |r| r.get(0),
            )
            .unwrap_or(false);
        pk.sort();
        let counted = columns
            .iter()
            .map(|c| !volatile.contains(&c.as_str()))
            .collect();
        Ok(TableShape {
            name,
            schema,
            columns,
            counted,
            key_columns: if without_rowid {
                pk.into_iter().map(|(_, i)| i).collect()
            } else {
                Vec::new()
            },
            without_rowid,
        })
    }

    /// The key of a row as the ledger writes it: the rowid, the single key value, or a JSON
    /// array of the key values.
    pub fn key_text(&self, key: &[Value]) -> String {
        match key {
            [one] => value_text(one),
            many => serde_json::Value::Array(many.iter().map(json_value).collect()).to_string(),
        }
    }

    /// How many values make a key: one rowid, or the primary-key columns.
    pub fn key_len(&self) -> usize {
        if self.without_rowid {
            self.key_columns.len()
        } else {
            1
        }
    }

    /// `SELECT` of every column of one row by its key.
    pub fn select_by_key_sql(&self) -> String {
        let cols = self.select_list();
        if self.without_rowid {
            let cond: Vec<String> = self
                .key_columns
                .iter()
                .enumerate()
                .map(|(n, &i)| format!("\"{}\" = ?{}", self.columns[i], n + 1))
                .collect();
            format!(
                "SELECT {cols} FROM {}.{} WHERE {}",
                self.schema,
                self.name,
                cond.join(" AND ")
            )
        } else {
            format!(
                "SELECT {cols} FROM {}.{} WHERE rowid = ?1",
                self.schema, self.name
            )
        }
    }

    /// `SELECT` of every row with its key columns first (the rowid for a rowid table).
    pub fn select_all_sql(&self) -> String {
        let cols = self.select_list();
        if self.without_rowid {
            format!("SELECT {cols} FROM {}.{}", self.schema, self.name)
        } else {
            format!("SELECT rowid, {cols} FROM {}.{}", self.schema, self.name)
        }
    }

    fn select_list(&self) -> String {
        self.columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The key of a row read with `select_all_sql`.
    pub fn key_of_row(&self, row: &rusqlite::Row) -> rusqlite::Result<Vec<Value>> {
        if self.without_rowid {
            self.key_columns
                .iter()
                .map(|&i| row.get::<_, Value>(i))
                .collect()
        } else {
            Ok(vec![row.get::<_, Value>(0)?])
        }
    }
}

/// The hash and the shown values of one row's content.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub hash: String,
    /// JSON object of the counted, non-NULL columns (long text as `#sha256:…`).
    pub vals: String,
}

/// Hashes a row given as a value per column (`get(i)` for column `i`), with its shown values.
pub fn content<'a>(
    shape: &TableShape,
    get: impl FnMut(usize) -> rusqlite::Result<ValueRef<'a>>,
) -> rusqlite::Result<Content> {
    let mut vals = serde_json::Map::new();
    let hash = walk(shape, get, Some(&mut vals))?;
    Ok(Content {
        hash: hex::encode(hash),
        vals: serde_json::Value::Object(vals).to_string(),
    })
}

fn walk<'a>(
    shape: &TableShape,
    mut get: impl FnMut(usize) -> rusqlite::Result<ValueRef<'a>>,
    mut vals: Option<&mut serde_json::Map<String, serde_json::Value>>,
) -> rusqlite::Result<[u8; 32]> {
    let mut h = RowHasher::default();
    for (i, col) in shape.columns.iter().enumerate() {
        if !shape.counted[i] {
            continue;
        }
        let v = get(i)?;
        if v == ValueRef::Null {
            continue;
        }
        h.add(col, v);
        if let Some(m) = vals.as_deref_mut() {
            m.insert(col.clone(), shown(v));
        }
    }
    Ok(h.finish())
}

/// One value as type tag, length and bytes (NULL as a bare tag), for the source digests.
pub fn encode_value(buf: &mut Vec<u8>, v: ValueRef) {
    match v {
        ValueRef::Null => buf.push(b'n'),
        ValueRef::Integer(n) => {
            buf.push(b'i');
            buf.extend_from_slice(&n.to_le_bytes());
        }
        ValueRef::Real(f) => {
            buf.push(b'r');
            buf.extend_from_slice(&f.to_bits().to_le_bytes());
        }
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            buf.push(if matches!(v, ValueRef::Text(_)) {
                b't'
            } else {
                b'b'
            });
            buf.extend_from_slice(&(t.len() as u32).to_le_bytes());
            buf.extend_from_slice(t);
        }
    }
}

/// The row hash, fed one (column, value) at a time; NULL values are skipped.
#[derive(Default)]
pub struct RowHasher(Sha256);

impl RowHasher {
    pub fn add(&mut self, column: &str, v: ValueRef) {
        let num;
        let (tag, bytes): (u8, &[u8]) = match v {
            ValueRef::Null => return,
            ValueRef::Integer(n) => {
                num = n.to_le_bytes();
                (b'i', &num)
            }
            ValueRef::Real(f) => {
                num = f.to_bits().to_le_bytes();
                (b'r', &num)
            }
            ValueRef::Text(t) => (b't', t),
            ValueRef::Blob(b) => (b'b', b),
        };
        let h = &mut self.0;
        h.update((column.len() as u64).to_le_bytes());
        h.update(column.as_bytes());
        h.update([tag]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }

    pub fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

/// A value as the ledger shows it: short values in full, long ones by a hash prefix.
fn shown(v: ValueRef) -> serde_json::Value {
    match v {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Integer(n) => n.into(),
        ValueRef::Real(f) => serde_json::Number::from_f64(f)
            .map(serde_json::Value::Number)
            .unwrap_or_else(|| format!("#real:{f}").into()),
        ValueRef::Text(t) if t.len() <= SHOWN_TEXT_MAX => match std::str::from_utf8(t) {
            Ok(s) => s.into(),
            Err(_) => format!("#bytes:{}", short_hash(t)).into(),
        },
        ValueRef::Text(t) => format!("#sha256:{}", short_hash(t)).into(),
        ValueRef::Blob(b) => format!("#blob:{}", short_hash(b)).into(),
    }
}

fn short_hash(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes)[..8])
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(n) => n.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => format!("#blob:{}", short_hash(b)),
    }
}

fn json_value(v: &Value) -> serde_json::Value {
    shown(ValueRef::from(v))
}

/// Names the columns whose shown values differ between two `vals` objects, with both values.
pub fn differing_fields(then: &str, now: &str) -> String {
    let parse = |s: &str| -> serde_json::Map<String, serde_json::Value> {
        serde_json::from_str(s).unwrap_or_default()
    };
    let (a, b) = (parse(then), parse(now));
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    let null = serde_json::Value::Null;
    let diffs: Vec<String> = names
        .into_iter()
        .filter(|k| a.get(*k).unwrap_or(&null) != b.get(*k).unwrap_or(&null))
        .map(|k| {
            format!(
                "{k}: {} → {}",
                a.get(k).unwrap_or(&null),
                b.get(k).unwrap_or(&null)
            )
        })
        .collect();
    // Empty when only a value's stored form changed: the sentence says so in the operator's
    // language (`StateProblem::Changed`).
    diffs.join(", ")
}

/// Length-prefixed SHA-256 over a sequence of text fields (the seal's digest of ledger rows).
pub fn update_fields(h: &mut Sha256, fields: &[&str]) {
    for f in fields {
        h.update((f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(conn: &Connection, volatile: &[&str]) -> TableShape {
        TableShape::read(conn, "t", volatile).unwrap()
    }

    fn hash_of(conn: &Connection, s: &TableShape) -> Content {
        conn.query_row(&s.select_all_sql(), [], |r| {
            content(s, |i| r.get_ref(i + 1))
        })
        .unwrap()
    }

    #[test]
    fn volatile_columns_do_not_count_and_a_new_null_column_changes_nothing() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, status TEXT, last_seen TEXT, amount REAL);
             INSERT INTO t VALUES (1, 'new', '2026-11-01', 100.0);",
        )
        .unwrap();
        let s = shape(&conn, &["last_seen"]);
        let before = hash_of(&conn, &s);
        conn.execute("UPDATE t SET last_seen = '2026-11-02'", [])
            .unwrap();
        assert_eq!(hash_of(&conn, &s), before, "last_seen is volatile");
        conn.execute("ALTER TABLE t ADD COLUMN note TEXT", [])
            .unwrap();
        let s2 = shape(&conn, &["last_seen"]);
        assert_eq!(
            hash_of(&conn, &s2).hash,
            before.hash,
            "a NULL column is left out"
        );
        conn.execute("UPDATE t SET amount = 999999", []).unwrap();
        let after = hash_of(&conn, &s2);
        assert_ne!(after.hash, before.hash);
        assert_eq!(
            differing_fields(&before.vals, &after.vals),
            "amount: 100.0 → 999999.0"
        );
    }

    #[test]
    fn type_and_field_boundaries_change_the_hash() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b)")
            .unwrap();
        let s = shape(&conn, &[]);
        let mut seen = std::collections::HashSet::new();
        for (a, b) in [
            ("'1'", "NULL"),
            ("1", "NULL"),
            ("'ab'", "'c'"),
            ("'a'", "'bc'"),
            ("NULL", "'1'"),
        ] {
            conn.execute_batch(&format!(
                "DELETE FROM t; INSERT INTO t VALUES (1, {a}, {b})"
            ))
            .unwrap();
            assert!(seen.insert(hash_of(&conn, &s).hash), "{a}, {b} collides");
        }
    }

    #[test]
    fn long_text_is_shown_by_a_hash_and_keys_are_readable() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (unit TEXT, period TEXT, v TEXT, PRIMARY KEY (unit, period)) WITHOUT ROWID",
        )
        .unwrap();
        let s = shape(&conn, &[]);
        assert!(s.without_rowid);
        assert_eq!(
            s.key_text(&[Value::Text("城关".into()), Value::Text("2026-H2".into())]),
            r#"["城关","2026-H2"]"#
        );
        conn.execute("INSERT INTO t VALUES ('u', 'p', ?1)", [&"x".repeat(100)])
            .unwrap();
        let c = conn
            .query_row(&s.select_all_sql(), [], |r| content(&s, |i| r.get_ref(i)))
            .unwrap();
        assert!(c.vals.contains("\"v\":\"#sha256:"), "{}", c.vals);
    }
}
