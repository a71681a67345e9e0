//! Refusals of the findings, whitelist and admin actions and of the write path itself, as
//! values with their text in both languages.

use super::errors::{Field, MoveBlock, RecordKind};
use super::values::{status, wl_state};
use crate::context::Lang;

crate::sentence_kinds! {
    /// Refusals of the write path common to every action.
    #[derive(Debug, Clone, PartialEq)]
    pub enum ActionWrong {
        NothingToDo,
        NoRecord { kind: RecordKind, id: String },
        Empty { what: Field },
        PastLastDate { days: i64, from: String, last_year: i32 },
    }
}

impl ActionWrong {
    pub fn text(&self, lang: Lang) -> String {
        use ActionWrong::*;
        match (self, lang) {
            (NothingToDo, Lang::En) => "nothing to do".into(),
            (NothingToDo, Lang::Zh) => "没有要做的操作".into(),
            (NoRecord { kind, id }, Lang::En) => format!("there is no {} {id}", kind.text(lang)),
            (NoRecord { kind, id }, Lang::Zh) => format!("没有{} {id}", kind.text(lang)),
            (Empty { what }, Lang::En) => format!("{} must not be empty", what.text(lang)),
            (Empty { what }, Lang::Zh) => format!("{}不能为空", what.text(lang)),
            (
                PastLastDate {
                    days,
                    from,
                    last_year,
                },
                Lang::En,
            ) => format!(
                "{days} days after {from} is past {last_year}-12-31, the last date jicha accepts"
            ),
            (
                PastLastDate {
                    days,
                    from,
                    last_year,
                },
                Lang::Zh,
            ) => format!("{from} 之后 {days} 天已超过 {last_year}-12-31，这是系统接受的最后日期"),
        }
    }
}

crate::sentence_kinds! {
    /// Refusals of confirm, close, reopen and note.
    #[derive(Debug, Clone, PartialEq)]
    pub enum FindingWrong {
        NeedIds,
        UnknownResolution { given: String },
        CloseNeedsNote { resolution: String },
        EmptyNote,
        CannotMove { id: i64, status: &'static str, why: MoveBlock },
        NoteTooLong { len: usize, max: usize },
    }
}

impl FindingWrong {
    pub fn text(&self, lang: Lang) -> String {
        use FindingWrong::*;
        match (self, lang) {
            (NeedIds, Lang::En) => "name at least one finding id".into(),
            (NeedIds, Lang::Zh) => "请至少指定一个异常编号".into(),
            (UnknownResolution { given }, Lang::En) => format!(
                "unknown resolution `{given}`; use rectified, false_positive or no_action"
            ),
            (UnknownResolution { given }, Lang::Zh) => format!(
                "未知的处理结论 `{given}`；可用 `rectified`（整改完成）、`false_positive`（误报）或 `no_action`（无需处理）"
            ),
            (CloseNeedsNote { resolution }, Lang::En) => {
                format!("closing as {resolution} needs a note explaining why (--text)")
            }
            (CloseNeedsNote { resolution }, Lang::Zh) => format!(
                "以“{}”关闭需要填写说明原因的备注（--text）",
                super::values::resolution(lang, resolution)
            ),
            (EmptyNote, Lang::En) => {
                "the note must not be empty; leave out --text to close without one".into()
            }
            (EmptyNote, Lang::Zh) => "备注不能为空；不写备注关闭请省略 --text".into(),
            (CannotMove { id, status: s, why }, Lang::En) => {
                format!("finding {id} is {s}: {}; nothing was changed", why.text(lang))
            }
            (CannotMove { id, status: s, why }, Lang::Zh) => format!(
                "异常 {id} 的状态是“{}”：{}；未做任何更改",
                status(lang, s),
                why.text(lang)
            ),
            (NoteTooLong { len, max }, Lang::En) => {
                format!("the note is {len} characters long; at most {max} are kept, shorten it")
            }
            (NoteTooLong { len, max }, Lang::Zh) => {
                format!("备注有 {len} 个字符，最多 {max} 个；请删减后再保存")
            }
        }
    }
}

crate::sentence_kinds! {
    /// Refusals of the whitelist actions.
    #[derive(Debug, Clone, PartialEq)]
    pub enum WhitelistWrong {
        BadDays { days: i64 },
        AlreadyRevoked { id: i64 },
        FreezePeriod { max: i64, days: i64 },
        UnknownRule { rule: String },
        NoCustomer { cust_no: String },
        Ended { id: i64, state: String },
        TooLong { id: i64, total: i64, starts: String, max: i64 },
        NotWaiting { id: i64, state: String },
        OwnRequest { id: i64 },
    }
}

impl WhitelistWrong {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use WhitelistWrong::*;
        match self {
            BadDays { days } => format!("--days must be 1 or more, not {days}"),
            AlreadyRevoked { id } => format!("whitelist entry {id} is already revoked"),
            FreezePeriod { max, days } => {
                format!("a whitelist freeze period is 1 to {max} days, not {days}")
            }
            UnknownRule { rule } => format!(
                "unknown rule `{rule}`; give a rule id such as ARC-01, an EXT:<source>:<code> rule, or * for every rule"
            ),
            NoCustomer { cust_no } => format!("there is no customer {cust_no}"),
            Ended { id, state } => {
                format!("whitelist entry {id} is {state}; add a new entry instead")
            }
            TooLong { id, total, starts, max } => format!(
                "whitelist entry {id} would then last {total} days from {starts}; the most is {max}"
            ),
            NotWaiting { id, state } => {
                format!("whitelist entry {id} is {state} and waits for no approval")
            }
            OwnRequest { id } => format!(
                "you asked for whitelist entry {id} yourself; another reviewer must approve it"
            ),
        }
    }

    fn zh(&self) -> String {
        use WhitelistWrong::*;
        let lang = Lang::Zh;
        match self {
            BadDays { days } => format!("--days 至少为 1，而不是 {days}"),
            AlreadyRevoked { id } => format!("白名单 {id} 已经撤销"),
            FreezePeriod { max, days } => format!("白名单冻结期为 1 到 {max} 天，而不是 {days} 天"),
            UnknownRule { rule } => format!(
                "未知的规则 `{rule}`；请填写规则编号（如 ARC-01）、外部规则 `EXT:<source>:<code>`，或用 * 表示全部规则"
            ),
            NoCustomer { cust_no } => format!("没有户号为 {cust_no} 的用户"),
            Ended { id, state } => format!(
                "白名单 {id} 的状态是“{}”；请新增一条白名单",
                wl_state(lang, state)
            ),
            TooLong { id, total, starts, max } => format!(
                "白名单 {id} 延期后将从 {starts} 起持续 {total} 天；最长 {max} 天"
            ),
            NotWaiting { id, state } => format!(
                "白名单 {id} 的状态是“{}”，没有待审批的申请",
                wl_state(lang, state)
            ),
            OwnRequest { id } => format!("白名单 {id} 是你本人申请的；须由另一位审核人员审批"),
        }
    }
}

crate::sentence_kinds! {
    /// Refusals of the admin actions: thresholds and operators.
    #[derive(Debug, Clone, PartialEq)]
    pub enum AdminWrong {
        BadLogin,
        UnknownRole { given: String },
        OnlyAdmin { login: String },
        UnknownThreshold { name: String },
        NotNumber { name: String, value: String },
        NotWhole { name: String, value: String },
        TooBig { name: String, max: i64, value: String },
        EmptyList { name: String },
        OutOfRange { name: String, min: i64, max: i64, value: String },
        BlankUnit,
    }
}

impl AdminWrong {
    pub fn text(&self, lang: Lang) -> String {
        use AdminWrong::*;
        match (self, lang) {
            (BadLogin, Lang::En) => "an operator's login is their system login name: no spaces or control characters".into(),
            (BadLogin, Lang::Zh) => "操作员账号是其系统登录名：不能含空格或控制字符".into(),
            (UnknownRole { given }, Lang::En) => {
                format!("unknown role `{given}`; use viewer, auditor, reviewer or admin")
            }
            (UnknownRole { given }, Lang::Zh) => format!(
                "未知的角色 `{given}`；可用 `viewer`（只读）、`auditor`（稽查员）、`reviewer`（审核）或 `admin`（管理员）"
            ),
            (OnlyAdmin { login }, Lang::En) => {
                format!("{login} is the only admin; make someone else admin first")
            }
            (OnlyAdmin { login }, Lang::Zh) => {
                format!("{login} 是唯一的管理员；请先把另一位操作员设为管理员")
            }
            (UnknownThreshold { name }, Lang::En) => {
                format!("unknown threshold `{name}`; `jicha thresholds show` lists them")
            }
            (UnknownThreshold { name }, Lang::Zh) => {
                format!("未知的阈值 `{name}`；`jicha thresholds show` 列出全部阈值")
            }
            (NotNumber { name, value }, Lang::En) => {
                format!("{name} needs a number of 0 or more, not `{value}`")
            }
            (NotNumber { name, value }, Lang::Zh) => {
                format!("{name} 须为不小于 0 的数，而不是 `{value}`")
            }
            (NotWhole { name, value }, Lang::En) => {
                format!("{name} needs a whole number, not `{value}`")
            }
            (NotWhole { name, value }, Lang::Zh) => format!("{name} 须为整数，而不是 `{value}`"),
            (TooBig { name, max, value }, Lang::En) => {
                format!("{name} is at most {max}, not `{value}`")
            }
            (TooBig { name, max, value }, Lang::Zh) => {
                format!("{name} 最大为 {max}，而不是 `{value}`")
            }
            (EmptyList { name }, Lang::En) => {
                format!("{name} needs a comma-separated list with at least one item")
            }
            (EmptyList { name }, Lang::Zh) => format!("{name} 须为逗号分隔的列表，至少一项"),
            (OutOfRange { name, min, max, value }, Lang::En) if max - min == 1 => {
                format!("{name} is {min} or {max}, not `{value}`")
            }
            (OutOfRange { name, min, max, value }, Lang::En) => {
                format!("{name} is a whole number from {min} to {max}, not `{value}`")
            }
            (OutOfRange { name, min, max, value }, Lang::Zh) if max - min == 1 => {
                format!("{name} 只能是 {min} 或 {max}，而不是 `{value}`")
            }
            (OutOfRange { name, min, max, value }, Lang::Zh) => {
                format!("{name} 须为 {min} 到 {max} 之间的整数，而不是 `{value}`")
            }
            (BlankUnit, Lang::En) => {
                "--unit needs a unit's name; leave it out for an audit-centre operator".into()
            }
            (BlankUnit, Lang::Zh) => {
                "--unit 须为单位名称；稽查中心的操作员不加此项".into()
            }
        }
    }
}
