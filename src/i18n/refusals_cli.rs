//! Refusals of the command line's own options (`--seen`, `--witness`, `jicha theme`, `jicha
//! man`) and of a stored value a command cannot read, in both languages. Paths and the OS's
//! words are shown as they are.

use crate::context::Lang;

crate::sentence_kinds! {
    #[derive(Debug, Clone, PartialEq)]
    pub enum CliWrong {
        /// `--seen ID:V` for a finding the command does not change.
        SeenNotActedOn { id: i64 },
        ThemeNeedsSelector,
        /// `why`: the OS's words.
        CannotCreateDir { dir: String, why: String },
        WitnessUnreadable { path: String, why: String },
        WitnessNotFile { path: String },
        /// A whitelist entry's date column holds something else.
        StoredNotDate { whitelist_id: i64, value: String },
        /// A date option's value that is not `YYYY-MM-DD`.
        NotADate { given: String },
        /// A date option's value outside the years jicha accepts.
        DateOutOfRange { given: String, first: i32, last: i32 },
        /// `--seen`'s value that is not `ID:VERSION`.
        NotSeen { given: String },
        /// `jicha demo`'s options.
        DemoEndPeriod { given: String },
        DemoWindow { months: u32, end: String },
        DemoNoCustomers,
        DemoMonths { months: u32, min: u32, max: u32 },
        /// `--out` is something other than a directory.
        DemoOutNotDir { path: String },
        /// `--out` holds `name`, which is not a file of a demo export.
        DemoOutNotEmpty { path: String, name: String },
        /// `jicha demo --delta`'s refusals.
        DemoDelta { why: super::demo_delta::DeltaWrong },
    }
}

impl std::fmt::Display for CliWrong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// So that clap carries it as a value parser's error, to be said in the operator's language.
impl std::error::Error for CliWrong {}

#[allow(clippy::derivable_impls)] // the enum comes from `sentence_kinds!`, whose variants take no attributes
impl Default for CliWrong {
    fn default() -> Self {
        CliWrong::ThemeNeedsSelector
    }
}

impl CliWrong {
    pub fn text(&self, lang: Lang) -> String {
        use CliWrong::*;
        match (self, lang) {
            (SeenNotActedOn { id }, Lang::En) => {
                format!("--seen names finding {id}, which this command does not act on")
            }
            (SeenNotActedOn { id }, Lang::Zh) => {
                format!("--seen 指定的异常 {id} 不在本命令要处理的异常之中")
            }
            (ThemeNeedsSelector, Lang::En) => "usage: give --rule R or --category C".into(),
            (ThemeNeedsSelector, Lang::Zh) => "用法：请给出 `--rule R` 或 `--category C`（二选一）".into(),
            (CannotCreateDir { dir, why }, Lang::En) => {
                format!("cannot create the directory {dir}: {why}")
            }
            (CannotCreateDir { dir, why }, Lang::Zh) => format!("无法创建目录 {dir}：{why}"),
            (WitnessUnreadable { path, why }, Lang::En) => format!("--witness {path}: {why}"),
            (WitnessUnreadable { path, why }, Lang::Zh) => format!("--witness {path}：{why}"),
            (WitnessNotFile { path }, Lang::En) => format!(
                "--witness {path}: not a regular file; give a saved export, e.g. `journalctl -t jicha -o cat > FILE`"
            ),
            (WitnessNotFile { path }, Lang::Zh) => format!(
                "--witness {path}：不是普通文件；请给出保存下来的导出，如 `journalctl -t jicha -o cat > FILE`"
            ),
            (StoredNotDate { whitelist_id, value }, Lang::En) => format!(
                "whitelist entry {whitelist_id} holds `{value}` where a date belongs; `jicha log verify` checks the dataset"
            ),
            (StoredNotDate { whitelist_id, value }, Lang::Zh) => format!(
                "白名单 {whitelist_id} 在应为日期处存有 `{value}`；可用 `jicha log verify` 检查数据集"
            ),
            (NotADate { given }, Lang::En) => {
                format!("`{given}` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23")
            }
            (NotADate { given }, Lang::Zh) => {
                format!("`{given}` 不是日期；请写成 `YYYY-MM-DD`，如 2026-11-23")
            }
            (DateOutOfRange { given, first, last }, Lang::En) => {
                format!("{given} is outside the years {first}–{last} that jicha accepts")
            }
            (DateOutOfRange { given, first, last }, Lang::Zh) => {
                format!("{given} 超出了 jicha 接受的年份范围 {first}–{last}")
            }
            (NotSeen { given }, Lang::En) => format!(
                "`{given}` is not ID:VERSION (e.g. 12:3, as `jicha finding show 12` prints it)"
            ),
            (NotSeen { given }, Lang::Zh) => format!(
                "`{given}` 不是 `ID:VERSION` 的形式（如 12:3，即 `jicha finding show 12` 打印的版本）"
            ),
            (DemoEndPeriod { given }, Lang::En) => format!(
                "end period `{given}` is not a billing period; write it as YYYY-MM, e.g. 2026-06"
            ),
            (DemoEndPeriod { given }, Lang::Zh) => {
                format!("截止账期 `{given}` 不是账期；请写成 `YYYY-MM`，如 2026-06")
            }
            (DemoWindow { months, end }, Lang::En) => format!(
                "the demo's {months} months ending {end} must lie between 2000-01 and 2199-12"
            ),
            (DemoWindow { months, end }, Lang::Zh) => format!(
                "演示数据截至 {end} 的 {months} 个月必须落在 2000-01 至 2199-12 之间"
            ),
            (DemoNoCustomers, Lang::En) => "the demo needs at least 1 customer".into(),
            (DemoNoCustomers, Lang::Zh) => "演示数据至少需要 1 个用户".into(),
            (DemoMonths { months, min, max }, Lang::En) => format!(
                "--months {months} is out of range: the demo needs {min} to {max} months (three months before a planted month and the latest three kept for THF-01)"
            ),
            (DemoMonths { months, min, max }, Lang::Zh) => format!(
                "--months {months} 超出范围：演示数据需要 {min} 至 {max} 个月（埋设月份之前三个月，以及为 THF-01 保留的最近三个月）"
            ),
            (DemoOutNotDir { path }, Lang::En) => format!(
                "{path} exists and is not a directory; choose a new or empty directory"
            ),
            (DemoOutNotDir { path }, Lang::Zh) => {
                format!("{path} 已存在且不是目录；请选择一个新的或空的目录")
            }
            (DemoOutNotEmpty { path, name }, Lang::En) => format!(
                "{path} is not empty and holds {name}, which is not a demo export file; choose a new or empty directory"
            ),
            (DemoOutNotEmpty { path, name }, Lang::Zh) => format!(
                "{path} 不是空目录，其中的 {name} 不是演示导出文件；请选择一个新的或空的目录"
            ),
            (DemoDelta { why }, lang) => why.text(lang),
        }
    }
}
