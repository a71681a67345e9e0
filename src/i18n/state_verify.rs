//! What the state check of `log verify` (src/ledger/verify.rs) finds, in both languages.
//! Table names, row keys and stored values are shown as they are.

use crate::context::Lang;

crate::sentence_kinds! {
    /// A difference between the state and what jicha sealed into the log.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum StateProblem {
        SealUnreadable { log_seq: i64 },
        SecondBaseline { log_seq: i64 },
        /// `row`: the table and key the seal named.
        ChangedBeforeWrite { row: String, log_seq: i64 },
        OverlappingSeals { a: i64, b: i64, a_rows: (i64, i64), b_rows: (i64, i64) },
        LedgerRowsChanged { first: i64, last: i64, log_seq: i64, present: u64, rows: u64 },
        /// `rows`: `SEQ (TABLE KEY)` of the first few; `more`: how many others.
        UnsealedRows { rows: Vec<String>, more: usize },
        Inserted { table: String, key: String },
        DeletedButBack { table: String, key: String, log_seq: i64 },
        /// `fields`: `name: then → now` of each field that differs; empty when only a value's
        /// stored form changed.
        Changed { table: String, key: String, log_seq: i64, fields: String },
        Deleted { table: String, key: String, log_seq: i64, values: String },
        MoreRows { table: String, count: usize },
        SourceDiffers { table: String, log_seq: i64, then: u64, now: u64 },
    }
}

crate::sentence_kinds! {
    /// What the state check cannot verify, and why (not a failure).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum StateNote {
        NoLedgerYet,
        StartsAtBaseline { log_seq: i64 },
        Reanchored { log_seq: i64 },
    }
}

impl std::fmt::Display for StateProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::fmt::Display for StateNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `sentence_kinds!`, whose variants take no attributes
impl Default for StateProblem {
    fn default() -> Self {
        StateProblem::SealUnreadable { log_seq: 0 }
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `sentence_kinds!`, whose variants take no attributes
impl Default for StateNote {
    fn default() -> Self {
        StateNote::NoLedgerYet
    }
}

impl StateProblem {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use StateProblem::*;
        match self {
            SealUnreadable { log_seq } => format!("log record {log_seq}: its state seal cannot be read"),
            SecondBaseline { log_seq } => format!("log record {log_seq} is a second state baseline: the ledger had been emptied outside jicha before it"),
            ChangedBeforeWrite { row, log_seq } => format!("{row}: had been changed outside jicha before the write sealed by log record {log_seq} changed it"),
            OverlappingSeals { a, b, a_rows, b_rows } => format!(
                "log records {a} and {b} seal overlapping ledger rows ({}–{} and {}–{}): the ledger was emptied or renumbered outside jicha",
                a_rows.0, a_rows.1, b_rows.0, b_rows.1
            ),
            LedgerRowsChanged { first, last, log_seq, present, rows } => format!("state ledger rows {first}–{last}, sealed by log record {log_seq}, were changed outside jicha ({present} of {rows} rows present, digest differs)"),
            UnsealedRows { rows, more } => format!(
                "state ledger rows not sealed by any log record, added outside jicha: {}{}",
                rows.join(", "),
                if *more > 0 { format!(" and {more} more") } else { String::new() }
            ),
            Inserted { table, key } => format!("{table} {key}: inserted outside jicha (the state ledger has no record of it)"),
            DeletedButBack { table, key, log_seq } => format!("{table} {key}: deleted through jicha at log record {log_seq}, but it is back: inserted outside jicha"),
            Changed { table, key, log_seq, fields } => format!(
                "{table} {key}: changed outside jicha since log record {log_seq} ({})",
                if fields.is_empty() { "a value whose shown form is unchanged" } else { fields }
            ),
            Deleted { table, key, log_seq, values } => format!("{table} {key}: deleted outside jicha (last written through jicha at log record {log_seq}, values {values})"),
            MoreRows { table, count } => format!("{table}: and {count} more rows that differ from the state ledger"),
            SourceDiffers { table, log_seq, then, now } => format!("{table}: differs from what log record {log_seq} left ({then} rows then, {now} now): changed outside jicha"),
        }
    }

    fn zh(&self) -> String {
        use StateProblem::*;
        match self {
            SealUnreadable { log_seq } => format!("第 {log_seq} 条日志记录：其状态封存无法读取"),
            SecondBaseline { log_seq } => format!("第 {log_seq} 条日志记录是第二个状态基线：在它之前状态台账已在 jicha 之外被清空"),
            ChangedBeforeWrite { row, log_seq } => format!("{row}：在第 {log_seq} 条日志记录所封存的写入修改它之前，已在 jicha 之外被修改"),
            OverlappingSeals { a, b, a_rows, b_rows } => format!(
                "第 {a} 条和第 {b} 条日志记录封存的台账行重叠（{}–{} 与 {}–{}）：台账在 jicha 之外被清空或重新编号",
                a_rows.0, a_rows.1, b_rows.0, b_rows.1
            ),
            LedgerRowsChanged { first, last, log_seq, present, rows } => format!("状态台账第 {first}–{last} 行（由第 {log_seq} 条日志记录封存）在 jicha 之外被修改（{rows} 行中现有 {present} 行，摘要不符）"),
            UnsealedRows { rows, more } => format!(
                "状态台账中有未被任何日志记录封存的行，是在 jicha 之外添加的：{}{}",
                rows.join("、"),
                if *more > 0 { format!(" 等（另有 {more} 行）") } else { String::new() }
            ),
            Inserted { table, key } => format!("{table} {key}：在 jicha 之外插入（状态台账中没有它的记录）"),
            DeletedButBack { table, key, log_seq } => format!("{table} {key}：已于第 {log_seq} 条日志记录经 jicha 删除，但它又出现了：是在 jicha 之外插入的"),
            Changed { table, key, log_seq, fields } => format!(
                "{table} {key}：自第 {log_seq} 条日志记录以来在 jicha 之外被修改（{}）",
                if fields.is_empty() { "某个值的显示形式未变" } else { fields }
            ),
            Deleted { table, key, log_seq, values } => format!("{table} {key}：在 jicha 之外被删除（最后一次经 jicha 写入是第 {log_seq} 条日志记录，值为 {values}）"),
            MoreRows { table, count } => format!("{table}：另有 {count} 行与状态台账不符"),
            SourceDiffers { table, log_seq, then, now } => format!("{table}：与第 {log_seq} 条日志记录留下的不符（当时 {then} 行，现在 {now} 行）：在 jicha 之外被修改"),
        }
    }
}

impl StateNote {
    pub fn text(&self, lang: Lang) -> String {
        use StateNote::*;
        match (self, lang) {
            (NoLedgerYet, Lang::En) => "there is no state ledger yet (the dataset predates it): the next write takes a baseline; until then the state cannot be checked against the log".into(),
            (NoLedgerYet, Lang::Zh) => "还没有状态台账（数据集早于它）：下一次写入会建立基线；在此之前无法对照日志检查数据状态".into(),
            (StartsAtBaseline { log_seq }, Lang::En) => format!("the state ledger starts at its baseline, log record {log_seq}: changes made behind jicha's back before it cannot be detected"),
            (StartsAtBaseline { log_seq }, Lang::Zh) => format!("状态台账从其基线（第 {log_seq} 条日志记录）开始：在此之前绕过 jicha 所做的修改无法发现"),
            (Reanchored { log_seq }, Lang::En) => format!("log record {log_seq} re-anchored the log and took a new state baseline: the state is checked against the log from there on"),
            (Reanchored { log_seq }, Lang::Zh) => format!("第 {log_seq} 条日志记录重新锚定了日志并建立了新的状态基线：自该处起对照日志检查数据状态"),
        }
    }
}
