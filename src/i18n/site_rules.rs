//! Refusals of site rules (rules.md, "Site rules"): a file that is not a rule, SQL that reaches
//! past the views it may read, a rule that errs or runs too long. The SQLite or TOML detail a
//! refusal quotes is shown as it is, in both languages.

use crate::context::Lang;

/// What the sandbox's authorizer refused, named so the admin knows what to take out.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Forbidden {
    /// INSERT, UPDATE or DELETE.
    Write {
        table: String,
    },
    /// CREATE, DROP, ALTER, REINDEX, ANALYZE.
    Schema {
        statement: String,
    },
    Pragma {
        name: String,
    },
    Attach {
        file: String,
    },
    Detach {
        schema: String,
    },
    /// BEGIN, COMMIT, SAVEPOINT …
    #[default]
    Transaction,
    /// A table or view that is not one of the data-contract views (a workflow table such as
    /// `findings`, the schema table, a main table read past its view).
    Table {
        name: String,
    },
    /// A function with side effects (`load_extension` …).
    Function {
        name: String,
    },
    Other {
        code: i32,
    },
}

impl Forbidden {
    pub fn text(&self, lang: Lang) -> String {
        use Forbidden::*;
        match (self, lang) {
            (Write { table }, Lang::En) => format!("writing to {table}"),
            (Write { table }, Lang::Zh) => format!("写入 {table}"),
            (Schema { statement }, Lang::En) => format!("changing the schema ({statement})"),
            (Schema { statement }, Lang::Zh) => format!("修改数据库结构（{statement}）"),
            (Pragma { name }, Lang::En) => format!("PRAGMA {name}"),
            (Pragma { name }, Lang::Zh) => format!("`PRAGMA` {name}"),
            (Attach { file }, Lang::En) => format!("ATTACH of {file}"),
            (Attach { file }, Lang::Zh) => format!("`ATTACH` 附加数据库 {file}"),
            (Detach { schema }, Lang::En) => format!("DETACH of {schema}"),
            (Detach { schema }, Lang::Zh) => format!("`DETACH` 分离数据库 {schema}"),
            (Transaction, Lang::En) => "a transaction statement".into(),
            (Transaction, Lang::Zh) => "事务语句".into(),
            (Table { name }, Lang::En) => format!(
                "reading {name}: a site rule reads only the views {}",
                super::super::rules::site::VIEW_NAMES.join(", ")
            ),
            (Table { name }, Lang::Zh) => format!(
                "读取 {name}：自定义规则只能读取视图 {}",
                super::super::rules::site::VIEW_NAMES
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            (Function { name }, Lang::En) => format!("the function {name} (it has side effects)"),
            (Function { name }, Lang::Zh) => format!("有副作用的函数 {name}"),
            (Other { code }, Lang::En) => format!("an operation SQLite numbers {code}"),
            (Other { code }, Lang::Zh) => format!("编号为 {code} 的 SQLite 操作"),
        }
    }
}

crate::sentence_kinds! {
    /// Why a site rule is refused, when it is added, tested or run by a scan.
    #[derive(Debug, Clone, PartialEq)]
    pub enum SiteRuleWrong {
        /// The file is not valid TOML for a site rule (the parser's words quoted).
        BadFile { file: String, why: String },
        BadId { id: String },
        BuiltInId { id: String },
        UnknownCategory { given: String },
        UnknownSeverity { given: String },
        EmptyField { field: &'static str },
        BadParamName { rule: String, name: String },
        BadParamValue { rule: String, name: String },
        UnknownParam { rule: String, name: String },
        PositionalParam { rule: String },
        NotOneSelect { rule: String, why: String },
        Refused { rule: String, what: Forbidden },
        WrongColumns { rule: String, got: Vec<String> },
        /// A returned value of the wrong type: `number` says a number (or NULL) was needed, else text.
        BadRow { rule: String, row: u64, column: &'static str, number: bool },
        Failed { rule: String, why: String },
        TimedOut { rule: String, seconds: f64 },
        NoDatasetFile,
        NoSuchRule { id: String },
        AlreadyEnabled { id: String, enabled: bool },
        RuleRemoved { id: String },
    }
}

impl SiteRuleWrong {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use SiteRuleWrong::*;
        let cols = super::super::rules::site::COLUMNS.join(", ");
        match self {
            BadFile { file, why } => format!("{file}: not a site rule: {why}"),
            BadId { id } => format!(
                "site rule id `{id}` must start with X- and hold only letters, digits, - and _ (at most 32)"
            ),
            BuiltInId { id } => {
                format!("{id} is a built-in rule; only site rules (X-…) can be changed")
            }
            UnknownCategory { given } => format!(
                "unknown category `{given}`: one of {}",
                super::super::rules::site::CATEGORY_NAMES.join(", ")
            ),
            UnknownSeverity { given } => {
                format!("unknown severity `{given}`: one of high, medium, low")
            }
            EmptyField { field } => format!("the site rule's {field} must not be empty"),
            BadParamName { rule, name } => format!(
                "{rule}: parameter `{name}` must be lower-case letters, digits and _ (not as_of or as_of_month)"
            ),
            BadParamValue { rule, name } => format!(
                "{rule}: parameter `{name}` needs a number >= 0 or a list of words as its default"
            ),
            UnknownParam { rule, name } => format!(
                "{rule}: the SQL uses {name}, which is not in [params] (nor :as_of, :as_of_month)"
            ),
            PositionalParam { rule } => {
                format!("{rule}: parameters are bound by name (:name), not by position (?)")
            }
            NotOneSelect { rule, why } => format!("{rule}: sql must be one SELECT: {why}"),
            Refused { rule, what } => {
                format!("{rule}: refused: {}", what.text(Lang::En))
            }
            WrongColumns { rule, got } => format!(
                "{rule}: the SELECT must return exactly the columns {cols}; it returns {}",
                got.join(", ")
            ),
            BadRow { rule, row, column, number } => format!(
                "{rule}: row {row}: {column} must be {}",
                if *number { "a number or NULL" } else { "text, not NULL" }
            ),
            Failed { rule, why } => format!("{rule}: the rule failed: {why}; nothing was written"),
            TimedOut { rule, seconds } => format!(
                "{rule}: stopped after {seconds} s (site_rule_timeout_s); nothing was written"
            ),
            NoDatasetFile => "site rules run on a dataset file, not an in-memory one".into(),
            NoSuchRule { id } => format!("there is no site rule {id}"),
            AlreadyEnabled { id, enabled: true } => format!("{id} is already enabled"),
            AlreadyEnabled { id, enabled: false } => format!("{id} is already disabled"),
            RuleRemoved { id } => format!("{id} was removed; add it again to use it"),
        }
    }

    fn zh(&self) -> String {
        use SiteRuleWrong::*;
        let ticked = |names: &[&str]| {
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join("、")
        };
        let cols = ticked(super::super::rules::site::COLUMNS);
        match self {
            BadFile { file, why } => format!("{file}：不是有效的自定义规则：{why}"),
            BadId { id } => format!(
                "自定义规则编号 `{id}` 须以 `X-` 开头，只含字母、数字、- 和 _（至多 32 个字符）"
            ),
            BuiltInId { id } => format!("{id} 是内置规则；只能修改自定义规则（`X-…`）"),
            UnknownCategory { given } => format!(
                "未知类别 `{given}`：应为 {} 之一",
                ticked(super::super::rules::site::CATEGORY_NAMES)
            ),
            UnknownSeverity { given } => {
                format!("未知严重程度 `{given}`：应为 `high`、`medium`、`low` 之一")
            }
            EmptyField { field } => format!("自定义规则的 `{field}` 不能为空"),
            BadParamName { rule, name } => format!(
                "{rule}：参数 `{name}` 只能由小写字母、数字和 _ 组成（且不能是 `as_of`、`as_of_month`）"
            ),
            BadParamValue { rule, name } => {
                format!("{rule}：参数 `{name}` 的默认值须为 ≥ 0 的数或词语列表")
            }
            UnknownParam { rule, name } => format!(
                "{rule}：查询使用了 {name}，但它不在 `[params]` 中（也不是 `:as_of`、`:as_of_month`）"
            ),
            PositionalParam { rule } => {
                format!("{rule}：参数须按名称绑定（`:name`），不能按位置（?）")
            }
            NotOneSelect { rule, why } => format!("{rule}：`sql` 须为一条查询语句：{why}"),
            Refused { rule, what } => format!("{rule}：已拒绝：{}", what.text(Lang::Zh)),
            WrongColumns { rule, got } => format!(
                "{rule}：查询须恰好返回 {cols} 这几列；实际返回 {}",
                got.join("、")
            ),
            BadRow { rule, row, column, number } => format!(
                "{rule}：第 {row} 行：`{column}` 应为{}",
                if *number { "数值或空值" } else { "非空文本" }
            ),
            Failed { rule, why } => format!("{rule}：规则运行失败：{why}；未写入任何内容"),
            TimedOut { rule, seconds } => format!(
                "{rule}：运行 {seconds} 秒后被终止（`site_rule_timeout_s`）；未写入任何内容"
            ),
            NoDatasetFile => "自定义规则须在数据集文件上运行，不能在内存数据库上运行".into(),
            NoSuchRule { id } => format!("没有自定义规则 {id}"),
            AlreadyEnabled { id, enabled: true } => format!("{id} 已是启用状态"),
            AlreadyEnabled { id, enabled: false } => format!("{id} 已是停用状态"),
            RuleRemoved { id } => format!("{id} 已删除；如需使用请重新添加"),
        }
    }
}
