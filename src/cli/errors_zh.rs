//! clap's usage errors (bad value, unknown option, missing argument, …) in Chinese, for a
//! command line run under zh. What was typed, option names and values are shown as they are;
//! the reason a value parser gives (`--today`'s date check) is shown in its own words.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};

/// Formats a `clap::Error` in Chinese: `错误：…`, the usage line, and where to read more.
pub struct ZhFormatter;

type Error = clap::error::Error<ZhFormatter>;

fn string(e: &Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        Some(ContextValue::Bool(b)) => b.to_string(),
        Some(ContextValue::None) | None => String::new(),
        Some(_) => String::new(),
    }
}

fn strings(e: &Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The sentence saying what is wrong, without `错误：`.
pub fn message(e: &Error) -> String {
    let arg = string(e, ContextKind::InvalidArg);
    let value = string(e, ContextKind::InvalidValue);
    let mut m = match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("'{arg}' 需要一个值，但没有给出"),
        ErrorKind::InvalidValue => format!("'{arg}' 的值 '{value}' 无效"),
        ErrorKind::ValueValidation => {
            // The value parsers' own refusals are values said in Chinese; others as they are.
            let why = std::error::Error::source(e)
                .map(
                    |s| match s.downcast_ref::<crate::i18n::refusals_cli::CliWrong>() {
                        Some(w) => format!("：{}", w.text(crate::context::Lang::Zh)),
                        None => format!("：{s}"),
                    },
                )
                .unwrap_or_default();
            format!("'{arg}' 的值 '{value}' 无效{why}")
        }
        ErrorKind::UnknownArgument => format!("无法识别的参数 '{arg}'"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "无法识别的子命令 '{}'",
                string(e, ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::NoEquals => format!("'{arg}' 的值必须用 `=` 连写（如 {arg}=VALUE）"),
        ErrorKind::ArgumentConflict => {
            let prior = string(e, ContextKind::PriorArg);
            if prior.is_empty() || prior == arg {
                format!("参数 '{arg}' 不能重复使用")
            } else {
                format!("参数 '{arg}' 不能与 '{prior}' 同时使用")
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = strings(e, ContextKind::InvalidArg);
            format!("缺少以下必需的参数：\n  {}", missing.join("\n  "))
        }
        ErrorKind::MissingSubcommand => format!(
            "'{}' 需要一个子命令，但没有给出",
            string(e, ContextKind::InvalidSubcommand)
        ),
        ErrorKind::TooManyValues => format!("'{arg}' 多出了值 '{value}'；不需要更多的值"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!(
            "'{arg}' 需要 {} 个值，但给出了 {} 个",
            string(e, ContextKind::ExpectedNumValues).max(string(e, ContextKind::MinValues)),
            string(e, ContextKind::ActualNumValues)
        ),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文字".to_string(),
        _ => "命令行有误".to_string(),
    };
    let valid = strings(e, ContextKind::ValidValue);
    if !valid.is_empty() {
        m.push_str(&format!("\n  ［可选值：{}］", valid.join("、")));
    }
    for kind in [
        ContextKind::SuggestedValue,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
    ] {
        let similar = strings(e, kind);
        if !similar.is_empty() {
            let quoted: Vec<String> = similar.iter().map(|s| format!("'{s}'")).collect();
            m.push_str(&format!("\n\n  提示：有相近的写法：{}", quoted.join("、")));
        }
    }
    if let Some(ContextValue::String(trailing)) = e.get(ContextKind::TrailingArg) {
        m.push_str(&format!(
            "\n\n  提示：要把 '{trailing}' 作为值传入，请写 '-- {trailing}'"
        ));
    }
    m
}

impl ErrorFormatter for ZhFormatter {
    fn format_error(error: &Error) -> StyledStr {
        let mut out = format!("错误：{}\n", message(error));
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            let usage = usage.to_string();
            let usage = usage.strip_prefix("Usage:").map_or(usage.clone(), |u| {
                format!("{}{u}", super::help_zh_table::USAGE)
            });
            out.push('\n');
            out.push_str(&usage);
            out.push('\n');
        }
        out.push_str("\n更多信息请用 '--help' 查看。\n");
        StyledStr::from(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::cli::{args, help_zh};
    use crate::context::Lang;

    /// The Chinese message clap's error for `line` renders to.
    fn rendered(line: &[&str]) -> String {
        let e = help_zh::in_lang(args::command(), Lang::Zh)
            .try_get_matches_from(line)
            .expect_err("a usage error");
        e.apply::<super::ZhFormatter>().render().to_string()
    }

    #[test]
    fn every_kind_of_usage_error_is_said_in_chinese() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["jicha", "findings", "--status", "bogus"],
                "错误：'--status <STATUS>' 的值 'bogus' 无效",
            ),
            (
                &["jicha", "findings", "--statu", "new"],
                "错误：无法识别的参数 '--statu'",
            ),
            (
                &["jicha", "finding", "close", "1"],
                "错误：缺少以下必需的参数：\n  --resolution <RESOLUTION>",
            ),
            (
                &["jicha", "log", "--limit", "3", "--all"],
                "错误：参数 '--limit <LIMIT>' 不能与 '--all' 同时使用",
            ),
            (
                &["jicha", "findings", "--bom", "true"],
                "错误：无法识别的参数 'true'",
            ),
            (
                &["jicha", "findings", "--level", "9"],
                "错误：'--level <LEVEL>' 的值 '9' 无效",
            ),
            (
                &["jicha", "findings", "--limit"],
                "错误：'--limit <LIMIT>' 需要一个值，但没有给出",
            ),
            (
                &["jicha", "scan", "--as-of", "2026-02-30"],
                "错误：'--as-of <DATE>' 的值 '2026-02-30' 无效：`2026-02-30` 不是日期",
            ),
            (&["jicha", "fnidings"], "错误：无法识别的子命令 'fnidings'"),
        ];
        for (line, start) in cases {
            let text = rendered(line);
            assert!(text.starts_with(start), "{line:?}:\n{text}");
            for en in [
                "error:",
                "Usage:",
                "For more information",
                "tip:",
                "possible values",
            ] {
                assert!(!text.contains(en), "{line:?} keeps `{en}`:\n{text}");
            }
            assert!(text.ends_with("更多信息请用 '--help' 查看。\n"), "{text}");
        }
        assert!(rendered(&["jicha", "findings", "--statu", "new"])
            .contains("提示：有相近的写法：'--status'"));
    }
}
