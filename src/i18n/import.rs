//! The "what is wrong" part of an import error about one field (`file:line: column: …`), in
//! both languages. The value from the file is shown as it is, escaped and quoted.

use crate::context::Lang;

crate::bilingual_messages! {
    /// Which bound a number breaks.
    pub enum BoundBreak {
        Negative => "is negative; it cannot be below 0", "为负数；不能小于 0";
        NotPositive => "must be greater than 0", "必须大于 0";
        NotFraction => "is not a power factor; it must be above 0 and at most 1 (e.g. 0.90)",
            "不是功率因数；必须大于 0 且不超过 1（如 0.90）";
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `bilingual_messages!`, whose variants take no attributes
impl Default for BoundBreak {
    fn default() -> Self {
        BoundBreak::Negative
    }
}

crate::sentence_kinds! {
    /// Why a field's text is not a value of its column; `shown` is the text, escaped and quoted.
    #[derive(Debug, Clone, PartialEq)]
    pub enum ValueError {
        NotOneOf { shown: String, allowed: Vec<&'static str> },
        NotNumber { shown: String },
        OutOfBound { shown: String, bound: BoundBreak },
        NotFlag { shown: String },
        NotDate { shown: String },
        NotPeriod { shown: String },
    }
}

impl ValueError {
    pub fn text(&self, lang: Lang) -> String {
        use ValueError::*;
        let quoted = |allowed: &[&str], sep: &str| {
            allowed
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(sep)
        };
        match (self, lang) {
            (NotOneOf { shown, allowed }, Lang::En) => {
                format!("{shown} is not one of {}", quoted(allowed, ", "))
            }
            (NotOneOf { shown, allowed }, Lang::Zh) => {
                format!("{shown} 不在可用值 {} 之中", quoted(allowed, "、"))
            }
            (NotNumber { shown }, Lang::En) => format!(
                "{shown} is not a number (write digits with an optional `.` decimal point, no thousands separators, e.g. 1234.5)"
            ),
            (NotNumber { shown }, Lang::Zh) => format!(
                "{shown} 不是数字（只写数字，可带小数点 `.`，不要千位分隔符，如 1234.5）"
            ),
            (OutOfBound { shown, bound }, _) => format!("{shown} {}", bound.text(lang)),
            (NotFlag { shown }, Lang::En) => format!("{shown} is not 0 or 1"),
            (NotFlag { shown }, Lang::Zh) => format!("{shown} 不是 0 或 1"),
            (NotDate { shown }, Lang::En) => {
                format!("{shown} is not a date (write YYYY-MM-DD, e.g. 2026-03-01)")
            }
            (NotDate { shown }, Lang::Zh) => {
                format!("{shown} 不是日期（格式为 `YYYY-MM-DD`，如 2026-03-01）")
            }
            (NotPeriod { shown }, Lang::En) => {
                format!("{shown} is not a billing period (write YYYY-MM, e.g. 2026-03)")
            }
            (NotPeriod { shown }, Lang::Zh) => {
                format!("{shown} 不是账期（格式为 `YYYY-MM`，如 2026-03）")
            }
        }
    }
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

crate::sentence_kinds! {
    /// What is wrong with a file's header or a row as a whole, after `file:line: column:`.
    /// Dates and column names from the contract are shown as they are.
    #[derive(Debug, Clone, PartialEq)]
    pub enum StructureError {
        EmptyRequired,
        AppearsTwice,
        MissingColumn,
        /// `later` (this column's date) is before `earlier_col`'s date `earlier`.
        DateBefore { later: String, earlier_col: &'static str, earlier: String },
        /// A header column the contract does not have; `shown` is escaped and shortened.
        UnknownColumn { shown: String },
        FieldCount { fields: usize, header: usize },
        EmptyFile,
        HeaderNotUtf8,
        /// `shown`: the key's values, escaped, joined by ` / `.
        DuplicateKey { shown: String, first: i64, again: u64 },
        /// `cust`: escaped; `at`: its line in customers.csv.
        CustomerHasErrors { cust: String, at: u64 },
        NoSuchCustomer { cust: String },
        /// `why`: SQLite's words, escaped.
        RowRefused { why: String },
    }
}

impl StructureError {
    pub fn text(&self, lang: Lang) -> String {
        use StructureError::*;
        match (self, lang) {
            (EmptyRequired, Lang::En) => "required; the field is empty".into(),
            (EmptyRequired, Lang::Zh) => "必填；该字段为空".into(),
            (AppearsTwice, Lang::En) => "appears twice in the header".into(),
            (AppearsTwice, Lang::Zh) => "在表头中出现了两次".into(),
            (MissingColumn, Lang::En) => "required column is missing".into(),
            (MissingColumn, Lang::Zh) => "缺少这一必填列".into(),
            (DateBefore { later, earlier_col, earlier }, Lang::En) => {
                format!("{later} is before {earlier_col} {earlier}")
            }
            (DateBefore { later, earlier_col, earlier }, Lang::Zh) => {
                format!("{later} 早于 `{earlier_col}` 的 {earlier}")
            }
            (UnknownColumn { shown }, Lang::En) => {
                format!("column {shown} is not in the contract; ignored")
            }
            (UnknownColumn { shown }, Lang::Zh) => format!("列 {shown} 不在数据契约中；已忽略"),
            (FieldCount { fields, header }, Lang::En) => format!(
                "the row has {fields} fields but the header has {header} (a missing comma or an unclosed quote?)"
            ),
            (FieldCount { fields, header }, Lang::Zh) => format!(
                "该行有 {fields} 个字段，但表头有 {header} 个（是否缺少逗号或引号未闭合？）"
            ),
            (EmptyFile, Lang::En) => "the file is empty; it needs a header row".into(),
            (EmptyFile, Lang::Zh) => "文件为空；需要一行表头".into(),
            (HeaderNotUtf8, Lang::En) => {
                "the header is not valid UTF-8; save the file as UTF-8".into()
            }
            (DuplicateKey { shown, first, again }, Lang::En) => {
                format!("duplicate key {shown}: first on line {first}, again on line {again}")
            }
            (DuplicateKey { shown, first, again }, Lang::Zh) => {
                format!("键 {shown} 重复：首次出现在第 {first} 行，再次出现在第 {again} 行")
            }
            (CustomerHasErrors { cust, at }, Lang::En) => {
                format!("customer {cust} is on customers.csv line {at}, which has errors")
            }
            (CustomerHasErrors { cust, at }, Lang::Zh) => {
                format!("客户 {cust} 在 `customers.csv` 第 {at} 行，该行有错误")
            }
            (NoSuchCustomer { cust }, Lang::En) => format!(
                "customer {cust} does not exist (not in customers.csv nor in the dataset)"
            ),
            (NoSuchCustomer { cust }, Lang::Zh) => {
                format!("客户 {cust} 不存在（`customers.csv` 和数据集中都没有）")
            }
            (RowRefused { why }, Lang::En) => format!("the dataset refuses this row ({why})"),
            (RowRefused { why }, Lang::Zh) => format!("数据集拒绝了这一行（{why}）"),
            (HeaderNotUtf8, Lang::Zh) => "表头不是有效的 UTF-8 编码；请将文件另存为 UTF-8".into(),
        }
    }
}

/// `column name` / `列 name`: a header column in the place of an error's `column:`.
pub fn column_named(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("column {name}"),
        Lang::Zh => format!("列 {name}"),
    }
}
