//! The files of the data contract (`spec/data-contract.md`) as data: each file's table, key,
//! columns with their types, and the few row checks that catch obviously impossible values.
//! The importer is generic over these specs, so a contract change is a change here only.

/// What a column holds and how its text is checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    /// One of the listed values, exactly.
    Enum(&'static [&'static str]),
    /// A finite decimal number with `.` as decimal point, within `Bound`.
    Number(Bound),
    /// `0` or `1`.
    Flag,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM`.
    Period,
}

/// Values a number column may not take because they cannot be real.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Any,
    NonNegative,
    Positive,
    /// 0 < x ≤ 1 (a power factor).
    Fraction,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

#[derive(Debug)]
pub struct FileSpec {
    pub file: &'static str,
    pub table: &'static str,
    /// The upsert key, in table column names.
    pub key: &'static [&'static str],
    pub columns: &'static [Column],
    /// `cust_no` must name a customer (a foreign key in the schema).
    pub references_customer: bool,
    /// Pairs `(later, earlier)`: when both dates are given, `later` may not be before `earlier`.
    pub date_order: &'static [(&'static str, &'static str)],
    /// Stored when the optional column is empty, because it is part of the key.
    pub empty_as: Option<(&'static str, &'static str)>,
    /// `(file column, table column)` where the table names a column otherwise (`unit` of
    /// units.csv is `units.name`).
    pub stored_as: &'static [(&'static str, &'static str)],
}

impl FileSpec {
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// The table's name for the file's column `name`.
    pub fn table_column<'a>(&self, name: &'a str) -> &'a str {
        self.stored_as
            .iter()
            .find(|(file, _)| *file == name)
            .map_or(name, |(_, table)| table)
    }

    /// Every column of the table in file order (as the table names them).
    pub fn table_columns(&self) -> Vec<&'static str> {
        self.columns
            .iter()
            .map(|c| self.table_column(c.name))
            .collect()
    }

    /// The key columns as the table names them, in key order.
    pub fn table_key(&self) -> Vec<&'static str> {
        self.key.iter().map(|k| self.table_column(k)).collect()
    }

    /// `INSERT … ON CONFLICT(key) DO UPDATE … WHERE <the row differs>`: a row equal to the one
    /// stored is not rewritten (source history: its `import_id` stays that of the import that
    /// first saw it, and a re-import of an unchanged export writes no page); a key seen twice
    /// in one run is caught by the reader before it gets here.
    pub fn upsert_sql(&self) -> String {
        let names: Vec<&str> = self
            .columns
            .iter()
            .map(|c| self.table_column(c.name))
            .collect();
        let key: Vec<&str> = self.key.iter().map(|k| self.table_column(k)).collect();
        let n = names.len();
        let placeholders: Vec<String> = (1..=n + 2).map(|i| format!("?{i}")).collect();
        let updates: Vec<String> = names
            .iter()
            .filter(|c| !key.contains(c))
            .chain(["import_id", "src_line"].iter())
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        let differs: Vec<String> = names
            .iter()
            .filter(|c| !key.contains(c))
            .map(|c| format!("{t}.{c} IS NOT excluded.{c}", t = self.table))
            .collect();
        format!(
            "INSERT INTO {t} ({cols}, import_id, src_line) VALUES ({ph}) \
             ON CONFLICT ({key}) DO UPDATE SET {upd} WHERE {differs}",
            t = self.table,
            cols = names.join(", "),
            ph = placeholders.join(", "),
            key = key.join(", "),
            upd = updates.join(", "),
            differs = differs.join(" OR "),
        )
    }

    /// The same upsert for `rows` rows in one statement: `import_id` is `?1`, bound once; row
    /// `r` (from 0) has its columns then `src_line` from `?{2 + r * (columns + 1)}` on. SQLite
    /// inserts the rows in order, so a key seen twice changes nothing the second time, as above.
    pub fn upsert_rows_sql(&self, rows: usize) -> String {
        let single = self.upsert_sql();
        let (head, tail) = single
            .split_once(" VALUES (")
            .and_then(|(h, rest)| Some((h, rest.split_once(") ON CONFLICT")?.1)))
            .expect("upsert_sql shape");
        let per_row = self.columns.len() + 1;
        let values: Vec<String> = (0..rows)
            .map(|r| {
                let first = 2 + r * per_row;
                let cols: Vec<String> = (first..first + self.columns.len())
                    .map(|i| format!("?{i}"))
                    .collect();
                format!("({}, ?1, ?{})", cols.join(", "), first + self.columns.len())
            })
            .collect();
        format!("{head} VALUES {} ON CONFLICT{tail}", values.join(", "))
    }

    /// Finds the line of a key's first occurrence; the key columns are bound as `?1…` in key order.
    pub fn first_line_sql(&self) -> String {
        let cond: Vec<String> = self
            .key
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ?{}", self.table_column(c), i + 1))
            .collect();
        format!(
            "SELECT src_line FROM {} WHERE {}",
            self.table,
            cond.join(" AND ")
        )
    }
}

const fn req(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        required: true,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        required: false,
    }
}

use Bound::*;
use Kind::*;

pub const CUSTOMERS: FileSpec = FileSpec {
    file: "customers.csv",
    table: "customers",
    key: &["cust_no"],
    columns: &[
        req("cust_no", Text),
        req("name", Text),
        opt("address", Text),
        opt("contact", Text),
        opt("phone", Text),
        req(
            "category",
            Enum(&["resident", "commercial", "large_industry", "agriculture"]),
        ),
        req("price_code", Enum(&["RES", "COM", "IND", "AGR"])),
        req("billing_mode", Enum(&["single", "two_part"])),
        req("voltage_kv", Number(Positive)),
        req("capacity_kva", Number(NonNegative)),
        opt("pf_standard", Number(Fraction)),
        req("hslm", Flag),
        req("temporary", Flag),
        req("station", Text),
        req("district", Text),
        req("opened_on", Date),
        req("status", Enum(&["active", "closed"])),
        opt("closed_on", Date),
    ],
    references_customer: false,
    date_order: &[("closed_on", "opened_on")],
    empty_as: None,
    stored_as: &[],
};

pub const METERS: FileSpec = FileSpec {
    file: "meters.csv",
    table: "meters",
    key: &["meter_no"],
    columns: &[
        req("meter_no", Text),
        req("cust_no", Text),
        req("model", Text),
        req("ct_ratio", Number(Positive)),
        req("pt_ratio", Number(Positive)),
        req("multiplier", Number(Positive)),
        req("installed_on", Date),
        // Meters are verified before they are installed, so no order check against installed_on.
        opt("verified_on", Date),
    ],
    references_customer: true,
    date_order: &[],
    empty_as: None,
    stored_as: &[],
};

pub const BILLS: FileSpec = FileSpec {
    file: "bills.csv",
    table: "bills",
    key: &["cust_no", "period"],
    columns: &[
        req("cust_no", Text),
        req("period", Period),
        req("read_on", Date),
        req("prev_reading", Number(NonNegative)),
        req("curr_reading", Number(NonNegative)),
        req("multiplier", Number(Positive)),
        // kwh and loss_kwh may be negative in corrections (退补), amount in refunds.
        req("kwh", Number(Any)),
        req("loss_kwh", Number(Any)),
        req("amount", Number(Any)),
        req("paid", Number(Any)),
    ],
    references_customer: true,
    date_order: &[],
    empty_as: None,
    stored_as: &[],
};

pub const SUSPENSIONS: FileSpec = FileSpec {
    file: "suspensions.csv",
    table: "suspensions",
    key: &["cust_no", "kind", "start_on"],
    columns: &[
        req("cust_no", Text),
        req("kind", Enum(&["suspend", "reduce"])),
        req("start_on", Date),
        req("end_on", Date),
        req("capacity_kva", Number(NonNegative)),
    ],
    references_customer: false,
    date_order: &[("end_on", "start_on")],
    empty_as: None,
    stored_as: &[],
};

pub const CONTRACTS: FileSpec = FileSpec {
    file: "contracts.csv",
    table: "contracts",
    key: &["contract_no"],
    columns: &[
        req("contract_no", Text),
        req("cust_no", Text),
        req("signed_on", Date),
        req("expires_on", Date),
    ],
    references_customer: false,
    date_order: &[("expires_on", "signed_on")],
    empty_as: None,
    stored_as: &[],
};

pub const APPLICATIONS: FileSpec = FileSpec {
    file: "applications.csv",
    table: "applications",
    key: &["app_no"],
    columns: &[
        req("app_no", Text),
        opt("cust_no", Text),
        req("kind", Enum(&["new", "increase", "change"])),
        req("accepted_on", Date),
        opt("completed_on", Date),
        req("limit_days", Number(NonNegative)),
    ],
    references_customer: false,
    date_order: &[("completed_on", "accepted_on")],
    empty_as: None,
    stored_as: &[],
};

pub const EXTERNAL_FINDINGS: FileSpec = FileSpec {
    file: "external_findings.csv",
    table: "external_findings",
    key: &["source", "rule_code", "cust_no", "subject"],
    columns: &[
        req("source", Text),
        req("rule_code", Text),
        req("rule_name", Text),
        req("cust_no", Text),
        opt("subject", Text),
        req("detected_on", Date),
        req("severity", Enum(&["high", "medium", "low"])),
        opt("evidence", Text),
    ],
    references_customer: true,
    date_order: &[],
    empty_as: Some(("subject", "-")),
    stored_as: &[],
};

/// The audit organisation (组织机构). Its own checks (parents, cycles, the customers' stations
/// and districts) run once every file is read: `import::units`.
pub const UNITS: FileSpec = FileSpec {
    file: "units.csv",
    table: "units",
    key: &["unit"],
    columns: &[
        req("unit", Text),
        opt("parent", Text),
        req(
            "level",
            Enum(&["province", "city", "county", "station", "department"]),
        ),
        opt("head", Text),
    ],
    references_customer: false,
    date_order: &[],
    empty_as: None,
    stored_as: &[("unit", "name")],
};

/// Every file, in import order: customers first, since the others refer to them; units last
/// (optional, checked against the customers once all is read).
pub const FILES: [&FileSpec; 8] = [
    &CUSTOMERS,
    &METERS,
    &BILLS,
    &SUSPENSIONS,
    &CONTRACTS,
    &APPLICATIONS,
    &EXTERNAL_FINDINGS,
    &UNITS,
];

/// The most columns any file has: the size of the per-row value array.
pub const MAX_COLUMNS: usize = 18;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_consistent() {
        for spec in FILES {
            assert!(spec.columns.len() <= MAX_COLUMNS, "{}", spec.file);
            for k in spec.key {
                let c = spec.column_index(k).expect("key column exists");
                let col = spec.columns[c];
                assert!(
                    col.required || spec.empty_as.map(|(n, _)| n) == Some(k),
                    "{}: key column {k} may be empty",
                    spec.file
                );
            }
            for (a, b) in spec.date_order {
                assert_eq!(spec.columns[spec.column_index(a).unwrap()].kind, Date);
                assert_eq!(spec.columns[spec.column_index(b).unwrap()].kind, Date);
            }
            if spec.references_customer {
                assert!(spec.column_index("cust_no").is_some());
            }
        }
        assert_eq!(FILES[0].file, "customers.csv");
        for level in crate::units::UnitLevel::ALL {
            let levels = UNITS.columns[UNITS.column_index("level").unwrap()].kind;
            assert!(matches!(levels, Enum(l) if l.contains(&level.as_str())));
        }
    }

    #[test]
    fn a_renamed_column_is_the_tables_name_in_sql() {
        let sql = UNITS.upsert_sql();
        assert!(
            sql.starts_with("INSERT INTO units (name, parent, level, head,"),
            "{sql}"
        );
        assert!(sql.contains("ON CONFLICT (name) DO UPDATE SET parent = excluded.parent"));
        assert_eq!(
            UNITS.first_line_sql(),
            "SELECT src_line FROM units WHERE name = ?1"
        );
    }

    #[test]
    fn upsert_keeps_key_out_of_update() {
        let sql = BILLS.upsert_sql();
        assert!(
            sql.contains("ON CONFLICT (cust_no, period) DO UPDATE SET read_on = excluded.read_on")
        );
        assert!(!sql.contains("cust_no = excluded.cust_no"));
        assert!(sql.contains("WHERE bills.read_on IS NOT excluded.read_on OR"));
        assert!(sql.ends_with("OR bills.paid IS NOT excluded.paid"), "{sql}");
        assert!(!sql.contains("bills.cust_no IS NOT"));
        assert!(sql.contains("?12)"));
    }

    #[test]
    fn multi_row_upsert() {
        let sql = BILLS.upsert_rows_sql(2);
        assert!(
            sql.contains(
                "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?1, ?12), (?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?1, ?23) ON CONFLICT (cust_no, period) DO UPDATE SET read_on"
            ),
            "{sql}"
        );
        assert!(sql.ends_with("OR bills.paid IS NOT excluded.paid"));
    }
}
