//! Where a site rule's SQL runs: a connection of its own, opened read-only on the dataset
//! file, whose TEMP views named after the data-contract files (`customers`, `bills`, …) shadow
//! the main tables of the same names for unqualified names (SQLite looks in `temp` first). The
//! views carry exactly the contract's columns, and `bills` leaves out rows after the month of D.
//!
//! An authorizer allows a rule to read those views (and, through them, their own main table)
//! and nothing else: a write, a schema change, PRAGMA, ATTACH, a transaction, any other table
//! (`findings`, `tickets`, `action_log`, `main.bills` read directly …) or a function with side
//! effects is refused when the statement is prepared, with a message naming it. It is the
//! same check when a rule is added and every time a scan runs it. A progress handler stops a
//! rule that runs past its deadline (`site_rule_timeout_s`).

use super::{SiteRule, AS_OF, AS_OF_MONTH, COLUMNS};
use crate::dates::period_of;
use crate::error::{JichaError, Result};
use crate::i18n::site_rules::{Forbidden, SiteRuleWrong};
use crate::rules::Hit;
use crate::thresholds::{Kind, Thresholds};
use chrono::NaiveDate;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OpenFlags};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The contract's columns of each view (data-contract.md), in its order.
const VIEWS: &[(&str, &str)] = &[
    ("customers", "cust_no, name, address, contact, phone, category, price_code, billing_mode, voltage_kv, capacity_kva, pf_standard, hslm, temporary, station, district, opened_on, status, closed_on"),
    ("meters", "meter_no, cust_no, model, ct_ratio, pt_ratio, multiplier, installed_on, verified_on"),
    ("bills", "cust_no, period, read_on, prev_reading, curr_reading, multiplier, kwh, loss_kwh, amount, paid"),
    ("suspensions", "cust_no, kind, start_on, end_on, capacity_kva"),
    ("contracts", "contract_no, cust_no, signed_on, expires_on"),
    ("applications", "app_no, cust_no, kind, accepted_on, completed_on, limit_days"),
    // The import stores an empty subject as '-'; the contract's empty field is no value.
    ("external_findings", "source, rule_code, rule_name, cust_no, NULLIF(subject, '-') AS subject, detected_on, severity, evidence"),
];

/// Table-valued functions a rule may read (list parameters arrive as JSON arrays).
const TABLE_FUNCTIONS: &[&str] = &["json_each", "json_tree"];

/// Functions with side effects, refused by name (SQLite's own and those of its shell's
/// extensions, should a build carry them).
const SIDE_EFFECTS: &[&str] = &[
    "load_extension",
    "fts3_tokenizer",
    "readfile",
    "writefile",
    "edit",
    "sqlite_dbpage",
];

/// How many SQLite virtual-machine steps between two looks at the deadline.
const PROGRESS_STEPS: i32 = 10_000;

/// What the authorizer and the progress handler share with the sandbox.
#[derive(Default)]
struct Guard {
    /// On while a rule's statement is prepared or stepped; the sandbox's own statements
    /// (creating the views, the read transaction) are prepared with it off.
    policing: AtomicBool,
    /// The first thing the authorizer refused in the statement being prepared.
    refused: Mutex<Option<Forbidden>>,
    deadline: Mutex<Option<Instant>>,
    timed_out: AtomicBool,
}

pub struct Sandbox {
    conn: Connection,
    guard: Arc<Guard>,
    as_of: NaiveDate,
    /// Declared after `conn`: released after it closed.
    _facts: Option<crate::db::facts::FactsHold>,
}

impl Sandbox {
    /// Opens the sandbox on the file of `dataset` (a connection to a dataset file), as of `as_of`.
    pub fn open(dataset: &Connection, as_of: NaiveDate) -> Result<Sandbox> {
        let path = dataset
            .path()
            .filter(|p| !p.is_empty())
            .ok_or_else(|| JichaError::invalid(SiteRuleWrong::NoDatasetFile))?
            .to_string();
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(crate::db::BUSY_TIMEOUT)?;
        // The built-in rules' page cache: a rule joining bills to customers looks a customer up
        // per bill row, which SQLite's default 2 MB cache sends to the OS page by page.
        conn.execute_batch(&format!(
            "PRAGMA cache_size = {};",
            crate::scan::SCAN_CACHE_KIB
        ))?;
        // The source tables live in the facts file (`db::facts`).
        let facts = crate::db::facts::attach_beside(&conn, dataset)?;
        let schema = if facts.is_some() { "facts" } else { "main" };
        let month = period_of(as_of);
        for (name, columns) in VIEWS {
            let filter = if *name == "bills" {
                // `month` is our own YYYY-MM, never operator text.
                format!(" WHERE period <= '{month}'")
            } else {
                String::new()
            };
            conn.execute_batch(&format!(
                "CREATE TEMP VIEW {name} AS SELECT {columns} FROM {schema}.{name}{filter};"
            ))?;
        }
        let guard = Arc::new(Guard::default());
        let g = Arc::clone(&guard);
        conn.authorizer(Some(move |ctx: AuthContext<'_>| authorize(&g, &ctx)))?;
        let g = Arc::clone(&guard);
        conn.progress_handler(
            PROGRESS_STEPS,
            Some(move || {
                let late = g
                    .deadline
                    .lock()
                    .map(|d| d.is_some_and(|d| Instant::now() >= d))
                    .unwrap_or(true);
                if late {
                    g.timed_out.store(true, Ordering::SeqCst);
                }
                late
            }),
        )?;
        Ok(Sandbox {
            conn,
            guard,
            as_of,
            _facts: facts,
        })
    }

    /// Starts one read snapshot for every rule that follows (a scan runs all its site rules in it).
    pub fn begin(&self) -> Result<()> {
        self.conn.execute_batch("BEGIN DEFERRED")?;
        // The snapshot starts at the first read.
        self.conn
            .query_row("SELECT count(*) FROM main.sqlite_master", [], |_| Ok(()))?;
        Ok(())
    }

    /// Checks `rule`'s SQL without running it: one SELECT, only the views, the four columns,
    /// parameters by name and declared.
    pub fn check(&self, rule: &SiteRule) -> Result<()> {
        let _stmt = self.prepare(rule)?;
        self.guard.policing.store(false, Ordering::SeqCst);
        Ok(())
    }

    /// Runs `rule` with the thresholds `th` (its parameters `X-ID.name`, its declared defaults
    /// where the dataset has none), reporting each row to `sink`, stopped after `timeout`.
    pub fn run(
        &self,
        rule: &SiteRule,
        th: &Thresholds,
        timeout: Duration,
        sink: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<u64> {
        let result = self.run_inner(rule, th, timeout, sink);
        self.guard.policing.store(false, Ordering::SeqCst);
        *self.guard.deadline.lock().expect("deadline lock") = None;
        let timed_out = self.guard.timed_out.swap(false, Ordering::SeqCst);
        match result {
            Err(_) if timed_out => Err(JichaError::invalid(SiteRuleWrong::TimedOut {
                rule: rule.id.clone(),
                seconds: timeout.as_secs_f64(),
            })),
            Err(JichaError::Sql(e)) => Err(self.failed(rule, &e)),
            other => other,
        }
    }

    fn run_inner(
        &self,
        rule: &SiteRule,
        th: &Thresholds,
        timeout: Duration,
        sink: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<u64> {
        let mut stmt = self.prepare(rule)?;
        for i in 1..=stmt.parameter_count() {
            let name = stmt.parameter_name(i).unwrap_or_default();
            let value = self.param_value(rule, th, &name[1..]);
            stmt.raw_bind_parameter(i, value)?;
        }
        *self.guard.deadline.lock().expect("deadline lock") = Some(Instant::now() + timeout);
        let mut rows = stmt.raw_query();
        let mut n: u64 = 0;
        while let Some(r) = rows.next()? {
            n += 1;
            let bad = |column: &'static str, number: bool| {
                JichaError::invalid(SiteRuleWrong::BadRow {
                    rule: rule.id.clone(),
                    row: n,
                    column,
                    number,
                })
            };
            let cust_no = match r.get_ref(0)? {
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                _ => return Err(bad("cust_no", false)),
            };
            let subject = match r.get_ref(1)? {
                ValueRef::Null => "-".to_string(),
                ValueRef::Text([]) => "-".to_string(),
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                ValueRef::Integer(i) => i.to_string(),
                _ => return Err(bad("subject", false)),
            };
            let evidence = match r.get_ref(2)? {
                ValueRef::Null => String::new(),
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                ValueRef::Integer(i) => i.to_string(),
                ValueRef::Real(x) => x.to_string(),
                ValueRef::Blob(_) => return Err(bad("evidence", false)),
            };
            let amount_yuan = match r.get_ref(3)? {
                ValueRef::Null => None,
                ValueRef::Integer(i) => Some(i as f64),
                ValueRef::Real(x) if x.is_finite() => Some(x),
                _ => return Err(bad("amount_yuan", true)),
            };
            sink(Hit {
                rule: rule.id.clone(),
                cust_no,
                subject,
                severity: rule.severity,
                level: None,
                evidence,
                amount_yuan,
            })?;
        }
        Ok(n)
    }

    /// A parameter's value: `:as_of`, `:as_of_month`, or the rule's own (checked at prepare).
    fn param_value(&self, rule: &SiteRule, th: &Thresholds, name: &str) -> Value {
        match name {
            AS_OF => return Value::Text(self.as_of.to_string()),
            AS_OF_MONTH => return Value::Text(period_of(self.as_of)),
            _ => {}
        }
        let p = &rule.params[name];
        let text = th
            .get(&super::threshold_name(&rule.id, name))
            .unwrap_or(&p.default)
            .to_string();
        match p.kind {
            Kind::Integer => Value::Integer(text.parse::<f64>().unwrap_or(0.0) as i64),
            Kind::Number => Value::Real(text.parse().unwrap_or(0.0)),
            Kind::List => {
                let items: Vec<&str> = text.split(',').collect();
                Value::Text(serde_json::Value::from(items).to_string())
            }
        }
    }

    /// Prepares the rule's statement under the authorizer (left policing for its run).
    fn prepare(&self, rule: &SiteRule) -> Result<rusqlite::Statement<'_>> {
        *self.guard.refused.lock().expect("refused lock") = None;
        self.guard.policing.store(true, Ordering::SeqCst);
        let prepared = self.conn.prepare(&rule.sql);
        let refused = self.guard.refused.lock().expect("refused lock").take();
        let stmt = match (prepared, refused) {
            (_, Some(what)) => {
                self.guard.policing.store(false, Ordering::SeqCst);
                return Err(JichaError::invalid(SiteRuleWrong::Refused {
                    rule: rule.id.clone(),
                    what,
                }));
            }
            (Err(e), None) => {
                self.guard.policing.store(false, Ordering::SeqCst);
                return Err(match e {
                    rusqlite::Error::MultipleStatement => {
                        JichaError::invalid(SiteRuleWrong::NotOneSelect {
                            rule: rule.id.clone(),
                            why: "it holds more than one statement".into(),
                        })
                    }
                    e => self.failed(rule, &e),
                });
            }
            (Ok(stmt), None) => stmt,
        };
        let refuse = |e: JichaError| {
            self.guard.policing.store(false, Ordering::SeqCst);
            Err(e)
        };
        if !stmt.readonly() || stmt.column_count() == 0 {
            return refuse(JichaError::invalid(SiteRuleWrong::NotOneSelect {
                rule: rule.id.clone(),
                why: "it is not a SELECT".into(),
            }));
        }
        let got: Vec<String> = stmt.column_names().map(str::to_string).collect();
        if got != COLUMNS {
            return refuse(JichaError::invalid(SiteRuleWrong::WrongColumns {
                rule: rule.id.clone(),
                got,
            }));
        }
        for i in 1..=stmt.parameter_count() {
            let Some(name) = stmt.parameter_name(i) else {
                return refuse(JichaError::invalid(SiteRuleWrong::PositionalParam {
                    rule: rule.id.clone(),
                }));
            };
            let bare = &name[1..];
            if bare != AS_OF && bare != AS_OF_MONTH && !rule.params.contains_key(bare) {
                return refuse(JichaError::invalid(SiteRuleWrong::UnknownParam {
                    rule: rule.id.clone(),
                    name: name.to_string(),
                }));
            }
        }
        Ok(stmt)
    }

    fn failed(&self, rule: &SiteRule, e: &rusqlite::Error) -> JichaError {
        JichaError::invalid(SiteRuleWrong::Failed {
            rule: rule.id.clone(),
            why: e.to_string(),
        })
    }
}

fn authorize(guard: &Guard, ctx: &AuthContext<'_>) -> Authorization {
    if !guard.policing.load(Ordering::SeqCst) {
        return Authorization::Allow;
    }
    match judge(ctx) {
        Ok(()) => Authorization::Allow,
        Err(what) => {
            let mut refused = guard.refused.lock().expect("refused lock");
            refused.get_or_insert(what);
            Authorization::Deny
        }
    }
}

/// What a rule's statement may do: select, recurse, read the views (and, through a view, its
/// own main table), call functions without side effects. Everything else is named.
fn judge(ctx: &AuthContext<'_>) -> std::result::Result<(), Forbidden> {
    use AuthAction as A;
    let s = |x: &str| x.to_string();
    match ctx.action {
        A::Select | A::Recursive => Ok(()),
        A::Read { table_name, .. } => {
            let through_view = matches!(ctx.database_name, Some("main" | "facts"))
                && ctx.accessor == Some(table_name)
                && super::store::is_view(table_name);
            let the_view = ctx.database_name == Some("temp") && super::store::is_view(table_name);
            if through_view || the_view || TABLE_FUNCTIONS.contains(&table_name) {
                Ok(())
            } else {
                Err(Forbidden::Table {
                    name: match ctx.database_name {
                        Some(db)
                            if db != "temp"
                                && (db != "main" || super::store::is_view(table_name)) =>
                        {
                            format!("{db}.{table_name}")
                        }
                        _ => s(table_name),
                    },
                })
            }
        }
        A::Function { function_name } => {
            let lower = function_name.to_ascii_lowercase();
            if SIDE_EFFECTS.contains(&lower.as_str()) {
                Err(Forbidden::Function { name: lower })
            } else {
                Ok(())
            }
        }
        A::Pragma { pragma_name, .. } => Err(Forbidden::Pragma {
            name: s(pragma_name),
        }),
        A::Attach { filename } => Err(Forbidden::Attach { file: s(filename) }),
        A::Detach { database_name } => Err(Forbidden::Detach {
            schema: s(database_name),
        }),
        // CREATE, DROP and ALTER are first seen as a write of the schema table.
        A::Insert { table_name } | A::Delete { table_name } | A::Update { table_name, .. }
            if table_name.starts_with("sqlite_") =>
        {
            Err(Forbidden::Schema {
                statement: format!("a write of {table_name}"),
            })
        }
        A::Insert { table_name } | A::Delete { table_name } | A::Update { table_name, .. } => {
            Err(Forbidden::Write {
                table: s(table_name),
            })
        }
        A::Transaction { .. } | A::Savepoint { .. } => Err(Forbidden::Transaction),
        A::Unknown { code, .. } => Err(Forbidden::Other { code }),
        ref other => Err(Forbidden::Schema {
            statement: schema_statement(other),
        }),
    }
}

/// CREATE TABLE x, DROP VIEW y …: the schema change a statement attempted.
fn schema_statement(a: &AuthAction<'_>) -> String {
    use AuthAction as A;
    match a {
        A::CreateTable { table_name } | A::CreateTempTable { table_name } => {
            format!("CREATE TABLE {table_name}")
        }
        A::CreateView { view_name } | A::CreateTempView { view_name } => {
            format!("CREATE VIEW {view_name}")
        }
        A::CreateIndex { index_name, .. } | A::CreateTempIndex { index_name, .. } => {
            format!("CREATE INDEX {index_name}")
        }
        A::CreateTrigger { trigger_name, .. } | A::CreateTempTrigger { trigger_name, .. } => {
            format!("CREATE TRIGGER {trigger_name}")
        }
        A::DropTable { table_name } | A::DropTempTable { table_name } => {
            format!("DROP TABLE {table_name}")
        }
        A::DropView { view_name } | A::DropTempView { view_name } => {
            format!("DROP VIEW {view_name}")
        }
        A::AlterTable { table_name, .. } => format!("ALTER TABLE {table_name}"),
        A::CreateVtable { table_name, .. } => format!("CREATE VIRTUAL TABLE {table_name}"),
        A::Reindex { .. } => "REINDEX".into(),
        A::Analyze { .. } => "ANALYZE".into(),
        _ => "DROP".into(),
    }
}
