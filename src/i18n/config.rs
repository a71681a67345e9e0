//! What is wrong with a config file (src/config.rs) or the diagnostic log's directory
//! (src/diag.rs), in both languages. `at` is `file:line`; the file's own values and the OS's
//! words are shown as they are.

use crate::context::Lang;

crate::sentence_kinds! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum ConfigWrong {
        /// The file cannot be read: `why` is the OS's words (or the file check's).
        Unreadable { file: String, why: String },
        NotUtf8 { file: String },
        /// What the TOML reader said, in its words: `message`.
        Toml { at: String, message: String },
        EmptyPath { at: String, key: String },
        UnknownLang { at: String, given: String },
        UnknownTimezone { at: String, given: String },
        EmptyKeymap { at: String },
        /// `--lang` on the command line.
        UnknownLangFlag { given: String },
        /// The diagnostic log's directory cannot be used: `why` is the OS's words.
        LogDir { dir: String, why: String },
    }
}

impl std::fmt::Display for ConfigWrong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `sentence_kinds!`, whose variants take no attributes
impl Default for ConfigWrong {
    fn default() -> Self {
        ConfigWrong::EmptyKeymap { at: String::new() }
    }
}

/// The keys a config file may hold, as the TOML reader lists them.
const KEYS: &str = "`db`、`lang`、`keymap`、`ascii`、`timezone`、`log_dir`";

/// A type as serde names it (`string "yes"`, `integer `3``, `a boolean`), in Chinese.
fn type_zh(t: &str) -> String {
    let t = t.trim();
    let t = t
        .strip_prefix("a ")
        .or_else(|| t.strip_prefix("an "))
        .unwrap_or(t);
    if t == "path string" {
        return "路径（字符串）".into();
    }
    let (kind, value) = t.split_once(' ').unwrap_or((t, ""));
    let kind = match kind {
        "string" => "字符串",
        "integer" => "整数",
        "float" => "小数",
        "boolean" => "布尔值（`true` 或 `false`）",
        "path" => "路径",
        "sequence" => "数组",
        "map" => "表",
        "table" => "表",
        "character" => "字符",
        _ => return format!("`{t}`"),
    };
    if value.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} `{}`", value.trim_matches('`'))
    }
}

/// The TOML reader's words, in Chinese where the kind of message is known; otherwise said to
/// be the reader's own words, quoted.
fn toml_zh(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return format!("未知的设置项 `{field}`；可用的设置项为 {KEYS}");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((got, want)) = rest.split_once(", expected ") {
            return format!("类型不对：应为{}，实为{}", type_zh(want), type_zh(got));
        }
    }
    if let Some(rest) = message.strip_prefix("duplicate key `") {
        let key = rest.split('`').next().unwrap_or_default();
        return format!("设置项 `{key}` 重复出现");
    }
    format!(
        "不是有效的 `TOML`（解析器原话：`{}`）",
        message.replace('`', "'")
    )
}

impl ConfigWrong {
    pub fn text(&self, lang: Lang) -> String {
        use ConfigWrong::*;
        match (self, lang) {
            (Unreadable { file, why }, Lang::En) => format!("{file}: {why}"),
            (Unreadable { file, why }, Lang::Zh) => format!("{file}：{why}"),
            (NotUtf8 { file }, Lang::En) => format!("{file}: not valid UTF-8; save it as UTF-8"),
            (NotUtf8 { file }, Lang::Zh) => {
                format!("{file}：不是有效的 UTF-8 文本；请以 UTF-8 编码保存")
            }
            (Toml { at, message }, Lang::En) => format!("{at}: {message}"),
            (Toml { at, message }, Lang::Zh) => format!("{at}：{}", toml_zh(message)),
            (EmptyPath { at, key }, Lang::En) => {
                format!("{at}: {key} is empty; give a path or remove the line")
            }
            (EmptyPath { at, key }, Lang::Zh) => {
                format!("{at}：`{key}` 为空；请给出路径，或删除这一行")
            }
            (UnknownLang { at, given }, Lang::En) => format!(
                "{at}: lang = {given:?}: unknown language; use \"zh\" or \"en\""
            ),
            (UnknownLang { at, given }, Lang::Zh) => format!(
                "{at}：`lang = {given:?}`：未知的语言；请用 `\"zh\"` 或 `\"en\"`"
            ),
            (UnknownTimezone { at, given }, Lang::En) => format!(
                "{at}: timezone = {given:?}: not a timezone name; use an IANA name such as \"Asia/Shanghai\""
            ),
            (UnknownTimezone { at, given }, Lang::Zh) => format!(
                "{at}：`timezone = {given:?}`：不是时区名称；请用 `IANA` 时区名，如 `\"Asia/Shanghai\"`"
            ),
            (EmptyKeymap { at }, Lang::En) => format!(
                "{at}: keymap is empty; give a name such as \"vim\" or a file"
            ),
            (EmptyKeymap { at }, Lang::Zh) => format!(
                "{at}：`keymap` 为空；请给出键位名称（如 `vim`）或文件"
            ),
            (UnknownLangFlag { given }, Lang::En) => {
                format!("--lang {given}: unknown language; use zh or en")
            }
            (UnknownLangFlag { given }, Lang::Zh) => {
                format!("--lang {given}：未知的语言；请用 `zh` 或 `en`")
            }
            (LogDir { dir, why }, Lang::En) => format!(
                "log directory {dir}: {why}; give a directory you can write to (--log-dir or log_dir)"
            ),
            (LogDir { dir, why }, Lang::Zh) => format!(
                "诊断日志目录 {dir}：{why}；请给出你有写权限的目录（--log-dir 或 `log_dir`）"
            ),
        }
    }
}

/// Sample TOML reader messages of each kind `toml_zh` knows, for the test that renders them.
pub const TOML_SAMPLES: &[&str] = &[
    "unknown field `colour`, expected one of `db`, `lang`, `keymap`, `ascii`, `timezone`, `log_dir`",
    "invalid type: string \"yes\", expected a boolean",
    "invalid type: integer `3`, expected path string",
    "duplicate key `lang`",
    "string values must be quoted, expected literal string",
];
