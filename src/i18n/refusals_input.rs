//! Refusals of what an operator types outside an action: a role, a language, `--operator`,
//! the quality module's periods, units, indicators and rule selectors. Values typed are shown
//! as they are.

use super::errors::or_list;
use crate::context::Lang;

crate::bilingual_messages! {
    /// The closed sets of the quality module whose unknown value is refused by name.
    pub enum Choice {
        IndicatorKind => "indicator kind", "指标类型";
        UnitLevel => "unit level", "单位层级";
        Direction => "direction", "方向";
        IndicatorSource => "indicator source", "指标来源";
        Accountability => "accountability outcome", "问责结果";
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `bilingual_messages!`, whose variants take no attributes
impl Default for Choice {
    fn default() -> Self {
        Choice::IndicatorKind
    }
}

crate::sentence_kinds! {
    #[derive(Debug, Clone, PartialEq)]
    pub enum InputWrong {
        UnknownRole { given: String },
        UnknownLang { given: String },
        OperatorNotPlain,
        OperatorNotRoot { name: String, me: String },
        UnknownChoice { what: Choice, given: String, allowed: Vec<&'static str> },
        NotPeriod { given: String },
        /// A period whose year is outside `first`–`last`.
        YearOutOfRange { period: String, first: i32, last: i32 },
        UnknownUnit { unit: String, known: Vec<String> },
        NoIndicator { id: i64 },
        IndicatorNeedsCategory,
        IndicatorNeedsName,
        NotANumber { flag: &'static str },
        FullScoreNotPositive,
        DirectionDisagrees { higher: bool, base: f64, full: f64 },
        TrendNeedsPeriod,
        TrendTooLong { max: usize, n: usize },
        UnknownRule { id: String },
        UnknownCategory { name: String },
        FromAfterTo { from: String, to: String },
        /// A unit typed (ticket unit, operator unit, `--unit`) that the organisation lacks.
        NoSuchUnit { unit: String, nearest: Vec<String>, known: usize },
    }
}

/// `` `a`, `b` `` / `` `a`、`b` ``.
fn ticked(lang: Lang, items: &[&str]) -> String {
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    items
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(sep)
}

impl InputWrong {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use InputWrong::*;
        match self {
            UnknownRole { given } => {
                format!("unknown role `{given}`; use viewer, auditor, reviewer or admin")
            }
            UnknownLang { given } => format!("unknown language `{given}`; use zh or en"),
            OperatorNotPlain => {
                "--operator needs a plain login name (no spaces-only or control characters)".into()
            }
            OperatorNotRoot { name, me } => format!(
                "--operator {name}: only root may act as another operator; you are {me}"
            ),
            UnknownChoice { what, given, allowed } => format!(
                "unknown {} `{given}`; use {}",
                what.text(Lang::En),
                allowed.join(", ")
            ),
            NotPeriod { given } => format!(
                "`{given}` is not a period; write a month 2026-11, a quarter 2026-Q1 … 2026-Q4, a half-year 2026-H1 or 2026-H2, or a year 2026"
            ),
            YearOutOfRange {
                period,
                first,
                last,
            } => format!("period {period} is outside the years {first}–{last} that jicha accepts"),
            UnknownUnit { unit, known } => format!(
                "`{unit}` is neither a supply station nor a district of the customers; known units: {}",
                if known.is_empty() {
                    "(none: import customers first)".to_string()
                } else {
                    known.join(", ")
                }
            ),
            NoIndicator { id } => {
                format!("there is no indicator {id}; `jicha quality indicator list` shows them")
            }
            IndicatorNeedsCategory => {
                "an indicator needs a business category (业务类别, --category)".into()
            }
            IndicatorNeedsName => "an indicator needs a name (--name)".into(),
            NotANumber { flag } => format!("{flag} must be a number"),
            FullScoreNotPositive => {
                "--full-score (the points the indicator is worth) must be above 0".into()
            }
            DirectionDisagrees { higher, base, full } => format!(
                "direction {} needs the full-mark value {} the base value: got base {base} and full mark {full}",
                if *higher { "higher" } else { "lower" },
                if *higher { "above" } else { "below" },
            ),
            TrendNeedsPeriod => "a trend needs at least 1 period".into(),
            TrendTooLong { max, n } => format!("a trend covers at most {max} periods, not {n}"),
            UnknownRule { id } => format!(
                "unknown rule `{id}`; give a rule id such as BIL-05, or an EXT:<source>:<code> rule that has findings"
            ),
            UnknownCategory { name } => format!(
                "unknown rule category `{name}`; use archive, billing, metering, business, service, theft or external"
            ),
            FromAfterTo { from, to } => format!("--from {from} is after --to {to}"),
            NoSuchUnit { unit, nearest, known } => match (nearest.is_empty(), *known) {
                (_, 0) => format!("`{unit}` is not a unit: the dataset has no units yet (import customers or `units.csv` first)"),
                (true, n) => format!("`{unit}` is not a unit of the organisation ({n} units; `jicha unit list` shows them)"),
                (false, _) => format!("`{unit}` is not a unit of the organisation; did you mean {}?", or_list(Lang::En, &nearest.iter().map(|n| n.as_str()).collect::<Vec<_>>())),
            },
        }
    }

    fn zh(&self) -> String {
        use InputWrong::*;
        let lang = Lang::Zh;
        match self {
            UnknownRole { given } => format!(
                "未知角色 `{given}`；可用 {}",
                or_list(lang, &["`viewer`", "`auditor`", "`reviewer`", "`admin`"])
            ),
            UnknownLang { given } => format!("未知语言 `{given}`；可用 `zh` 或 `en`"),
            OperatorNotPlain => "--operator 需要普通的登录名（不能只有空格，不能含控制字符）".into(),
            OperatorNotRoot { name, me } => format!(
                "--operator {name}：只有 `root` 可以代替其他操作员操作；你是 {me}"
            ),
            UnknownChoice { what, given, allowed } => format!(
                "未知{} `{given}`；可用 {}",
                what.text(lang),
                ticked(lang, allowed)
            ),
            NotPeriod { given } => format!(
                "`{given}` 不是考核期；请写月份（如 2026-11）、季度（2026-Q1 … 2026-Q4）、半年（如 2026-H1 或 2026-H2）或年份（如 2026）"
            ),
            YearOutOfRange {
                period,
                first,
                last,
            } => format!("考核期 {period} 超出了 jicha 接受的年份范围 {first}–{last}"),
            UnknownUnit { unit, known } => format!(
                "`{unit}` 既不是客户的供电所，也不是客户的区县；已知单位：{}",
                if known.is_empty() {
                    "（无：请先导入客户）".to_string()
                } else {
                    known.join("、")
                }
            ),
            NoIndicator { id } => {
                format!("没有指标 {id}；`jicha quality indicator list` 列出全部指标")
            }
            IndicatorNeedsCategory => "指标需要业务类别（--category）".into(),
            IndicatorNeedsName => "指标需要名称（--name）".into(),
            NotANumber { flag } => format!("{flag} 必须是数字"),
            FullScoreNotPositive => "--full-score（指标的分值）必须大于 0".into(),
            DirectionDisagrees { higher, base, full } => format!(
                "方向 `{}` 要求满分值{}基本值：基本值为 {base}，满分值为 {full}",
                if *higher { "higher" } else { "lower" },
                if *higher { "高于" } else { "低于" },
            ),
            TrendNeedsPeriod => "趋势至少需要 1 个考核期".into(),
            TrendTooLong { max, n } => format!("趋势最多覆盖 {max} 个考核期，而不是 {n} 个"),
            UnknownRule { id } => format!(
                "未知规则 `{id}`；请给出规则编号（如 BIL-05），或有异常的 `EXT:<source>:<code>` 规则"
            ),
            UnknownCategory { name } => format!(
                "未知规则类别 `{name}`；可用 {}",
                or_list(
                    lang,
                    &[
                        "`archive`", "`billing`", "`metering`", "`business`", "`service`",
                        "`theft`", "`external`"
                    ]
                )
            ),
            FromAfterTo { from, to } => format!("--from {from} 晚于 --to {to}"),
            NoSuchUnit { unit, nearest, known } => match (nearest.is_empty(), *known) {
                (_, 0) => format!("`{unit}` 不是已知单位：数据集还没有单位（请先导入客户或 `units.csv`）"),
                (true, n) => format!("`{unit}` 不是组织机构中的单位（共 {n} 个单位，`jicha unit list` 列出它们）"),
                (false, _) => format!("`{unit}` 不是组织机构中的单位；是否要找 {}？", or_list(lang, &nearest.iter().map(|n| n.as_str()).collect::<Vec<_>>())),
            },
        }
    }
}
