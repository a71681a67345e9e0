//! The few spellings of the rule pack's SQL that no portable form covers, per engine. The rule
//! files (`src/rules/sql/*.sql`) are one text for every engine: portable SQL, plus a handful of
//! marked spots `{name(arg, …)}` that [`Dialect::render`] spells for the engine at hand, and
//! named parameters written `:name`. SQLite runs the rules in jicha itself; DuckDB is the
//! warehouse engine the rule pack is checked against (tests/dialect_duckdb.rs compares every
//! rule's rows on both), and the place a province runs it over many cities (docs/scale.md).
//!
//! The marks, and why each is one:
//! - `{days_between(a, b)}`: whole days from date text `a` to date text `b` (SQLite has no
//!   date type and no `date_diff`; DuckDB has no `julianday`). NULL when either is not a date.
//! - `{digits_only(x)}`: `x` is ASCII digits only (the empty text too). SQLite's `GLOB` class
//!   `[^0-9]` reads in DuckDB's `GLOB` as a class of `^` and digits: no error, wrong rows.
//! - `{ascii_upper(x)}`: `x` with ASCII letters folded to upper case, nothing else (SQLite's
//!   `upper`; DuckDB's `upper` also folds `ｄ` and `é`: different rows, no error).
//! - `{trim_spaces(x)}`: `x` without leading and trailing U+0020 spaces (SQLite's `trim`;
//!   DuckDB's `trim` also removes U+3000, the ideographic space).
//! - `{text_list(:p)}`: a subquery of the JSON text array parameter `:p` as rows `(pos, value)`,
//!   `value` the element's text. SQLite's `json_each(...).value` is that text; DuckDB's is the
//!   element as JSON, `"商店"` with its quotes: no error, no keyword ever matches.
//! - `{json_list(x, order)}`: the JSON array of `x` over the group, in `order` (DuckDB's
//!   `json_group_array` takes no ORDER BY).
//! - Parameters `:name`: SQLite's and Spark's spelling; DuckDB's is `$name`.

use crate::error::{JichaError, Result};

/// An engine the rule pack runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    DuckDb,
}

/// A rule's text as one engine runs it, and its parameter names (without `:`), each once, in
/// order of first use.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub sql: String,
    pub params: Vec<String>,
}

impl Dialect {
    /// Spells the marks and parameters of `sql` for this engine. Quoted text and `--` comments
    /// are copied as they are. An unknown mark, a wrong number of arguments or an unclosed `{`
    /// is a defect of the rule text, refused with the mark named.
    pub fn render(self, sql: &str) -> Result<Rendered> {
        let mut params = Vec::new();
        let sql = self.render_into(sql, &mut params)?;
        Ok(Rendered { sql, params })
    }

    fn render_into(self, sql: &str, params: &mut Vec<String>) -> Result<String> {
        let b = sql.as_bytes();
        let mut out = String::with_capacity(sql.len());
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\'' | b'"' => {
                    let end = quoted_end(b, i);
                    out.push_str(&sql[i..end]);
                    i = end;
                }
                b'-' if b.get(i + 1) == Some(&b'-') => {
                    let end = sql[i..].find('\n').map_or(b.len(), |n| i + n);
                    out.push_str(&sql[i..end]);
                    i = end;
                }
                b':' if b.get(i + 1) == Some(&b':') => {
                    out.push_str("::");
                    i += 2;
                }
                b':' if b.get(i + 1).is_some_and(|c| is_word_start(*c)) => {
                    let end = word_end(b, i + 1);
                    let name = &sql[i + 1..end];
                    if !params.iter().any(|p| p == name) {
                        params.push(name.to_string());
                    }
                    out.push_str(&self.param(name));
                    i = end;
                }
                b'{' => {
                    let end = mark_end(b, i).ok_or_else(|| {
                        JichaError::invalid(format!("rule SQL: unclosed mark at {}", &sql[i..]))
                    })?;
                    out.push_str(&self.mark(&sql[i + 1..end], params)?);
                    i = end + 1;
                }
                _ => {
                    let len = utf8_len(b[i]);
                    out.push_str(&sql[i..i + len]);
                    i += len;
                }
            }
        }
        Ok(out)
    }

    /// One mark's text (between the braces): `name(arg, …)`, its arguments rendered first.
    fn mark(self, text: &str, params: &mut Vec<String>) -> Result<String> {
        let bad = || JichaError::invalid(format!("rule SQL: mark {{{text}}} is not name(args)"));
        let open = text.find('(').ok_or_else(bad)?;
        let body = text.trim_end().strip_suffix(')').ok_or_else(bad)?;
        let name = text[..open].trim();
        let args = split_args(&body[open + 1..])
            .into_iter()
            .map(|a| self.render_into(a.trim(), params))
            .collect::<Result<Vec<String>>>()?;
        let arity = |n: usize| -> Result<()> {
            if args.len() == n {
                Ok(())
            } else {
                Err(JichaError::invalid(format!(
                    "rule SQL: mark {name} takes {n} argument(s), {{{text}}} has {}",
                    args.len()
                )))
            }
        };
        let a = |k: usize| args[k].as_str();
        match name {
            "days_between" => arity(2).map(|_| self.days_between(a(0), a(1))),
            "digits_only" => arity(1).map(|_| self.digits_only(a(0))),
            "ascii_upper" => arity(1).map(|_| self.ascii_upper(a(0))),
            "trim_spaces" => arity(1).map(|_| self.trim_spaces(a(0))),
            "text_list" => arity(1).map(|_| self.text_list(a(0))),
            "json_list" => arity(2).map(|_| self.json_list(a(0), a(1))),
            _ => Err(JichaError::invalid(format!(
                "rule SQL: unknown mark {name} in {{{text}}}"
            ))),
        }
    }

    /// A named parameter.
    pub fn param(self, name: &str) -> String {
        match self {
            Dialect::Sqlite => format!(":{name}"),
            Dialect::DuckDb => format!("${name}"),
        }
    }

    /// Whole days from date text `from` to date text `to` (negative when `to` is earlier).
    pub fn days_between(self, from: &str, to: &str) -> String {
        match self {
            Dialect::Sqlite => format!("CAST(julianday({to}) - julianday({from}) AS INTEGER)"),
            Dialect::DuckDb => {
                format!("date_diff('day', TRY_CAST({from} AS DATE), TRY_CAST({to} AS DATE))")
            }
        }
    }

    /// True when `x` holds ASCII digits only (full-width digits are not digits: rules.md).
    pub fn digits_only(self, x: &str) -> String {
        match self {
            Dialect::Sqlite => format!("({x} NOT GLOB '*[^0-9]*')"),
            Dialect::DuckDb => format!("regexp_full_match({x}, '[0-9]*')"),
        }
    }

    /// `x` with the ASCII letters a–z in upper case and every other character as it is.
    pub fn ascii_upper(self, x: &str) -> String {
        match self {
            Dialect::Sqlite => format!("upper({x})"),
            Dialect::DuckDb => format!(
                "translate({x}, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"
            ),
        }
    }

    /// `x` without leading and trailing spaces (U+0020 only).
    pub fn trim_spaces(self, x: &str) -> String {
        match self {
            Dialect::Sqlite => format!("trim({x})"),
            Dialect::DuckDb => format!("trim({x}, ' ')"),
        }
    }

    /// A subquery (in parentheses) of the JSON array of texts `list` as rows `(pos, value)`.
    pub fn text_list(self, list: &str) -> String {
        match self {
            Dialect::Sqlite => format!("(SELECT key AS pos, value FROM json_each({list}))"),
            Dialect::DuckDb => format!(
                "(SELECT CAST(key AS INTEGER) AS pos, json_extract_string(value, '$') AS value \
                 FROM json_each({list}))"
            ),
        }
    }

    /// The aggregate JSON array of `x` in the order of `order`.
    pub fn json_list(self, x: &str, order: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_group_array({x} ORDER BY {order})"),
            Dialect::DuckDb => format!("to_json(list({x} ORDER BY {order}))"),
        }
    }
}

fn is_word_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn word_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    i
}

/// The index after the quoted text starting at `i` (a doubled quote stays inside).
fn quoted_end(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() {
        if b[j] == q {
            if b.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    b.len()
}

/// The index of the `}` closing the mark opened at `i`, past quoted text and nested marks.
fn mark_end(b: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b'\'' | b'"' => {
                j = quoted_end(b, j);
                continue;
            }
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// Splits a mark's argument list at its top-level commas (not inside parentheses, marks or
/// quoted text).
fn split_args(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut start, mut j) = (0i32, 0, 0);
    while j < b.len() {
        match b[j] {
            b'\'' | b'"' => {
                j = quoted_end(b, j);
                continue;
            }
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth -= 1,
            b',' if depth == 0 => {
                out.push(&s[start..j]);
                start = j + 1;
            }
            _ => {}
        }
        j += 1;
    }
    out.push(&s[start..]);
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_keeps_parameters_and_spells_marks() {
        let r = Dialect::Sqlite
            .render("SELECT {days_between(a.x, :as_of)} FROM t WHERE y = :as_of AND z < :tol")
            .unwrap();
        assert_eq!(
            r.sql,
            "SELECT CAST(julianday(:as_of) - julianday(a.x) AS INTEGER) FROM t WHERE y = :as_of AND z < :tol"
        );
        assert_eq!(r.params, vec!["as_of".to_string(), "tol".to_string()]);
    }

    #[test]
    fn duckdb_spells_dollar_parameters_and_leaves_text_and_comments() {
        let r = Dialect::DuckDb
            .render("-- see :as_of here\nSELECT ':x', \"a:b\", c::INTEGER, :as_of")
            .unwrap();
        assert_eq!(
            r.sql,
            "-- see :as_of here\nSELECT ':x', \"a:b\", c::INTEGER, $as_of"
        );
        assert_eq!(r.params, vec!["as_of".to_string()]);
    }

    #[test]
    fn nested_marks_and_commas_inside_arguments() {
        let r = Dialect::DuckDb
            .render("{ascii_upper(coalesce(nullif(m, ','), 'a'))} IN {text_list(:l)}")
            .unwrap();
        assert_eq!(
            r.sql,
            "translate(coalesce(nullif(m, ','), 'a'), 'abcdefghijklmnopqrstuvwxyz', \
             'ABCDEFGHIJKLMNOPQRSTUVWXYZ') IN (SELECT CAST(key AS INTEGER) AS pos, \
             json_extract_string(value, '$') AS value FROM json_each($l))"
        );
        let r = Dialect::Sqlite
            .render("{digits_only(replace(p, '-', ''))}")
            .unwrap();
        assert_eq!(r.sql, "(replace(p, '-', '') NOT GLOB '*[^0-9]*')");
    }

    #[test]
    fn a_bad_mark_is_refused_with_its_text() {
        for (sql, says) in [
            ("SELECT {nope(x)}", "unknown mark nope"),
            ("SELECT {days_between(x)}", "takes 2 argument(s)"),
            ("SELECT {digits_only(x)", "unclosed mark"),
            ("SELECT {digits_only}", "is not name(args)"),
        ] {
            let e = Dialect::Sqlite.render(sql).unwrap_err().to_string();
            assert!(e.contains(says), "{sql}: {e}");
        }
    }

    /// The rule files outside their marks and comments: no SQLite-only spelling comes back.
    #[test]
    fn the_rule_files_hold_no_sqlite_only_spelling() {
        let banned = [
            "GLOB",
            "julianday(",
            "json_each(",
            "date(",
            "json_group_array(",
            "CROSS JOIN",
        ];
        for rule in crate::rules::sql_rules::SQL_RULES {
            let code: String = rule
                .sql
                .lines()
                .map(|l| l.split("--").next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            let mut outside = String::new();
            let mut depth = 0;
            for c in code.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ if depth == 0 => outside.push(c),
                    _ => {}
                }
            }
            for word in banned {
                assert!(
                    !outside.contains(word),
                    "{}: {word} outside a mark",
                    rule.id
                );
            }
            let upper = outside.to_ascii_uppercase();
            for (at, _) in upper.match_indices(" IS NOT ") {
                assert!(
                    upper[at + 8..].starts_with("NULL"),
                    "{}: IS NOT as an inequality",
                    rule.id
                );
            }
            let duck = Dialect::DuckDb.render(rule.sql).unwrap();
            let code_only: String = duck
                .sql
                .lines()
                .map(|l| l.split("--").next().unwrap_or_default())
                .collect();
            for p in &duck.params {
                assert!(
                    !code_only.contains(&format!(":{p}")),
                    "{}: :{p} left",
                    rule.id
                );
            }
        }
    }

    #[test]
    fn cjk_text_passes_through() {
        let r = Dialect::DuckDb
            .render("SELECT '测试' || 名 FROM t")
            .unwrap();
        assert_eq!(r.sql, "SELECT '测试' || 名 FROM t");
    }
}
