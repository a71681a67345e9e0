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
        }
    }
}
