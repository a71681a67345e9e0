//! What the domain refuses, as values, and its text in both languages. `JichaError`'s
//! `Display` stays English (logs, tests); the CLI and the UI print [`JichaError::text`].

use super::values::role;
use crate::context::Lang;
use crate::error::{Changed, JichaError, OutOfScope, Reason, ScopeTarget};

crate::bilingual_messages! {
    pub enum RecordKind {
        Finding => "finding", "异常";
        WhitelistEntry => "whitelist entry", "白名单";
        Ticket => "ticket", "工单";
        Indicator => "indicator", "指标";
        SiteRule => "site rule", "自定义规则";
        Inspection => "inspection", "现场稽查";
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `bilingual_messages!`, whose variants take no attributes
impl Default for RecordKind {
    fn default() -> Self {
        RecordKind::Finding
    }
}

crate::bilingual_messages! {
    /// A text an operator must give (named when it is empty).
    pub enum Field {
        Note => "the note", "备注";
        WhitelistReason => "a whitelist entry's reason", "白名单原因";
        ExtensionReason => "the extension's reason", "延期原因";
        RevocationReason => "the revocation's reason", "撤销原因";
        DeductionReason => "the deduction's reason", "扣分原因";
        ErrorOrAccident => "the error or accident (--reason)", "差错或事故说明（--reason）";
        BonusReason => "the bonus's reason", "加分原因";
        BusinessDeduction => "a business deduction", "业务扣分";
        Bonus => "a bonus", "加分";
        LevelDeduction => "a level's deduction", "等级扣分";
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `bilingual_messages!`, whose variants take no attributes
impl Default for Field {
    fn default() -> Self {
        Field::Note
    }
}

crate::bilingual_messages! {
    /// Why a finding cannot make the move asked for.
    pub enum MoveBlock {
        OnTicket => "it is on an open ticket; the ticket's approval or cancellation moves it",
            "它在未结工单上，由工单审核通过或取消来改变其状态";
        OnlyNewConfirmed => "only new findings can be confirmed", "只有新发现的异常可以确认";
        OnlyNewOrConfirmedClosed => "only new or confirmed findings can be closed",
            "只有新发现或已确认的异常可以关闭";
        OnlyClosedReopened => "only closed or cleared findings can be reopened",
            "只有已关闭或已更正的异常可以重新打开";
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `bilingual_messages!`, whose variants take no attributes
impl Default for MoveBlock {
    fn default() -> Self {
        MoveBlock::OnTicket
    }
}

crate::bilingual_messages! {
    /// The closed sets whose unknown value is refused by name.
    pub enum ValueSet {
        FindingStatus => "finding status", "异常状态";
        Resolution => "resolution", "处理结论";
        TicketState => "ticket state", "工单状态";
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `bilingual_messages!`, whose variants take no attributes
impl Default for ValueSet {
    fn default() -> Self {
        ValueSet::FindingStatus
    }
}

/// `a, b or c` / `a、b 或 c`.
pub(crate) fn or_list(lang: Lang, items: &[&str]) -> String {
    match (lang, items) {
        (_, []) => String::new(),
        (_, [one]) => (*one).to_string(),
        (Lang::En, [init @ .., last]) => format!("{} or {last}", init.join(", ")),
        (Lang::Zh, [init @ .., last]) => format!("{}或{last}", init.join("、")),
    }
}

impl JichaError {
    /// The error as an operator reads it in `lang`. Dataset text inside is shown as it is.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (
                JichaError::Refused {
                    action,
                    needed,
                    who,
                    have,
                },
                Lang::Zh,
            ) => format!(
                "已拒绝：{}需要{}角色；你（{who}）的角色是{}",
                action_name(lang, action),
                role(lang, needed),
                role(lang, have)
            ),
            (JichaError::Invalid(reason), Lang::Zh) => reason.text(lang),
            (JichaError::DatasetSaid(wrong), Lang::Zh) => wrong.text(lang),
            (JichaError::Stale(changed), Lang::Zh) => changed.text(lang),
            (JichaError::OutOfScope(o), Lang::Zh) => o.text(lang),
            (JichaError::Cancelled, Lang::Zh) => "已取消；未写入任何内容".to_string(),
            (JichaError::Sql(e), Lang::Zh) => format!("数据集读写出错：{e}"),
            (JichaError::Io(e), Lang::Zh) => format!("文件读写出错：{e}"),
            (other, Lang::Zh) => other.to_string(),
        }
    }
}

impl Changed {
    pub fn text(&self, lang: Lang) -> String {
        let (kind, id) = (self.kind.text(lang), &self.id);
        match lang {
            Lang::En => format!(
                "{kind} {id} was changed by someone else since you read it; refresh and try again"
            ),
            Lang::Zh => format!("{kind} {id} 在你读取之后已被他人修改；请刷新后重试"),
        }
    }
}

crate::bilingual_messages! {
    /// What a scope refusal names: the kind of record a change acts on.
    pub enum TargetKind {
        Finding => "finding", "异常";
        WhitelistEntry => "whitelist entry", "白名单";
        Ticket => "ticket", "工单";
        Customer => "customer", "用户";
        Unit => "unit", "单位";
        Operator => "operator", "操作员";
        QualityEntry => "quality entry", "考核记录";
        Inspection => "inspection", "现场稽查";
    }
}

impl ScopeTarget {
    /// `ticket JC-… (unit 计量中心)` / `工单 JC-…（单位：计量中心）`.
    pub fn text(&self, lang: Lang) -> String {
        let (kind, id) = (self.kind.text(lang), &self.id);
        match (lang, &self.unit) {
            (Lang::En, Some(u)) => format!("{kind} {id} (unit {u})"),
            (Lang::En, None) => format!("{kind} {id} (no unit)"),
            (Lang::Zh, Some(u)) => format!("{kind} {id}（单位：{u}）"),
            (Lang::Zh, None) => format!("{kind} {id}（无单位）"),
        }
    }
}

impl OutOfScope {
    pub fn text(&self, lang: Lang) -> String {
        let (mine, role) = (&self.mine, role(lang, self.role));
        let action = action_name(lang, &self.action);
        match (lang, &self.first) {
            (Lang::En, None) => format!(
                "refused: {action} applies to every unit, which only the audit centre may change; \
                 you are bound to {mine} ({role})"
            ),
            (Lang::Zh, None) => format!(
                "已拒绝：{action}作用于所有单位，只有稽查中心可以操作；你属于 {mine}（你的角色：{role}）"
            ),
            (Lang::En, Some(t)) if self.of <= 1 => format!(
                "refused: {action} on {} is outside your unit {mine} ({role})",
                t.text(lang)
            ),
            (Lang::Zh, Some(t)) if self.of <= 1 => format!(
                "已拒绝：{action}：{}不在你所属单位 {mine} 的范围内（你的角色：{role}）",
                t.text(lang)
            ),
            (Lang::En, Some(t)) => format!(
                "refused: {action} on {} records: {} outside your unit {mine} ({role}), the first \
                 {}; nothing was written",
                self.of,
                match self.outside {
                    1 => "1 is".to_string(),
                    n => format!("{n} are"),
                },
                t.text(lang)
            ),
            (Lang::Zh, Some(t)) => format!(
                "已拒绝：{action}涉及 {} 项，其中 {} 项不在你所属单位 {mine} 的范围内（你的角色：\
                 {role}），第一项为{}；未写入任何内容",
                self.of,
                self.outside,
                t.text(lang)
            ),
        }
    }
}

impl Reason {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Reason::Said(w) => w.text(lang),
            Reason::Text(s) => s.clone(),
        }
    }
}

/// An action's log name (`finding.confirm`) as an operator reads it in a refusal.
pub fn action_name(lang: Lang, name: &str) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    ACTION_NAMES_ZH
        .iter()
        .find(|(n, _)| *n == name)
        .map_or_else(|| name.to_string(), |(_, zh)| (*zh).to_string())
}

/// Every action the write path names in a refusal, with its Chinese name.
pub const ACTION_NAMES_ZH: &[(&str, &str)] = &[
    ("finding.confirm", "确认异常"),
    ("finding.close", "关闭异常"),
    ("finding.reopen", "重新打开异常"),
    ("finding.note", "添加备注"),
    ("whitelist.add", "添加白名单"),
    ("whitelist.extend", "白名单延期"),
    ("whitelist.revoke", "撤销白名单"),
    ("whitelist.approve", "审批白名单"),
    ("thresholds.set", "修改阈值"),
    ("operator.add", "添加操作员"),
    ("ticket.create", "派发工单"),
    ("ticket.ack", "签收工单"),
    ("ticket.submit", "提交整改"),
    ("ticket.approve", "审核通过工单"),
    ("ticket.return", "退回工单"),
    ("ticket.cancel", "取消工单"),
    ("quality.indicator.add", "添加指标"),
    ("quality.indicator.edit", "修改指标"),
    ("quality.indicator.enable", "启用指标"),
    ("quality.indicator.disable", "停用指标"),
    ("quality.value.set", "录入指标值"),
    ("quality.deduct.business", "业务扣分"),
    ("quality.deduct.direct", "直接扣分"),
    ("quality.bonus", "加分"),
    ("quality.entry.revoke", "撤销扣分或加分"),
    ("quality.level.set", "设置扣分等级"),
    ("import", "导入"),
    ("scan", "扫描"),
    ("log reanchor", "重新锚定日志"),
    ("escalation.run", "生成督办单"),
    ("inspection.create", "安排现场稽查"),
    ("inspection.record", "记录现场稽查结果"),
    ("inspection.cancel", "取消现场稽查"),
    ("ticket.require_inspection", "要求工单提交前现场稽查"),
    ("campaign.create", "创建专项稽查"),
    ("campaign.close", "结束专项稽查"),
    ("campaign.spread", "举一反三"),
    ("sample.draw", "抽检"),
    ("view.save", "保存视图"),
    ("view.delete", "删除视图"),
    ("view.pin", "固定视图"),
    ("finding.undo", "撤销上一步"),
];

/// A refusal of the domain, as a value: which one, with its numbers and names.
#[derive(Debug, Clone, PartialEq)]
pub enum Wrong {
    Action(super::refusals::ActionWrong),
    Finding(super::refusals::FindingWrong),
    Whitelist(super::refusals::WhitelistWrong),
    Admin(super::refusals::AdminWrong),
    Ticket(super::refusals_tickets::TicketWrong),
    Quality(super::refusals_tickets::QualityWrong),
    Query(super::queries::QueryWrong),
    Input(super::refusals_input::InputWrong),
    Site(super::site_rules::SiteRuleWrong),
    Backup(super::backup::BackupWrong),
    Cli(super::refusals_cli::CliWrong),
    Escalation(super::escalation::EscalationWrong),
    Inspection(super::inspections::InspectionWrong),
    Campaign(super::campaigns::CampaignWrong),
    Qc(super::qc::QcWrong),
    View(super::views::ViewWrong),
    Undo(super::views::UndoWrong),
}

impl Wrong {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Wrong::Action(w) => w.text(lang),
            Wrong::Finding(w) => w.text(lang),
            Wrong::Whitelist(w) => w.text(lang),
            Wrong::Admin(w) => w.text(lang),
            Wrong::Ticket(w) => w.text(lang),
            Wrong::Quality(w) => w.text(lang),
            Wrong::Query(w) => w.text(lang),
            Wrong::Input(w) => w.text(lang),
            Wrong::Site(w) => w.text(lang),
            Wrong::Backup(w) => w.text(lang),
            Wrong::Cli(w) => w.text(lang),
            Wrong::Escalation(w) => w.text(lang),
            Wrong::Inspection(w) => w.text(lang),
            Wrong::Campaign(w) => w.text(lang),
            Wrong::Qc(w) => w.text(lang),
            Wrong::View(w) => w.text(lang),
            Wrong::Undo(w) => w.text(lang),
        }
    }

    /// One refusal of every kind (values empty), for the test that renders them all.
    pub fn every_kind() -> Vec<Wrong> {
        use super::{queries::*, refusals::*, refusals_tickets::*};
        let mut all: Vec<Wrong> = Vec::new();
        all.extend(ActionWrong::every_kind().into_iter().map(Wrong::Action));
        all.extend(FindingWrong::every_kind().into_iter().map(Wrong::Finding));
        all.extend(
            WhitelistWrong::every_kind()
                .into_iter()
                .map(Wrong::Whitelist),
        );
        all.extend(AdminWrong::every_kind().into_iter().map(Wrong::Admin));
        all.extend(TicketWrong::every_kind().into_iter().map(Wrong::Ticket));
        all.extend(QualityWrong::every_kind().into_iter().map(Wrong::Quality));
        all.extend(QueryWrong::every_kind().into_iter().map(Wrong::Query));
        all.extend(
            super::refusals_input::InputWrong::every_kind()
                .into_iter()
                .map(Wrong::Input),
        );
        all.extend(
            super::site_rules::SiteRuleWrong::every_kind()
                .into_iter()
                .map(Wrong::Site),
        );
        all.extend(
            super::backup::BackupWrong::every_kind()
                .into_iter()
                .map(Wrong::Backup),
        );
        all.extend(
            super::refusals_cli::CliWrong::every_kind()
                .into_iter()
                .map(Wrong::Cli),
        );
        all.extend(
            super::escalation::EscalationWrong::every_kind()
                .into_iter()
                .map(Wrong::Escalation),
        );
        all.extend(
            super::inspections::InspectionWrong::every_kind()
                .into_iter()
                .map(Wrong::Inspection),
        );
        all.extend(
            super::campaigns::CampaignWrong::every_kind()
                .into_iter()
                .map(Wrong::Campaign),
        );
        all.extend(super::qc::QcWrong::every_kind().into_iter().map(Wrong::Qc));
        all.extend(
            super::views::ViewWrong::every_kind()
                .into_iter()
                .map(Wrong::View),
        );
        all.extend(
            super::views::UndoWrong::every_kind()
                .into_iter()
                .map(Wrong::Undo),
        );
        all
    }
}

macro_rules! wrong_from {
    ($($kind:ident => $ty:ty),* $(,)?) => {
        $(impl From<$ty> for Wrong {
            fn from(w: $ty) -> Wrong {
                Wrong::$kind(w)
            }
        }
        impl From<$ty> for Reason {
            fn from(w: $ty) -> Reason {
                Reason::Said(Wrong::$kind(w))
            }
        })*
    };
}

wrong_from! {
    Action => super::refusals::ActionWrong,
    Finding => super::refusals::FindingWrong,
    Whitelist => super::refusals::WhitelistWrong,
    Admin => super::refusals::AdminWrong,
    Ticket => super::refusals_tickets::TicketWrong,
    Quality => super::refusals_tickets::QualityWrong,
    Query => super::queries::QueryWrong,
    Input => super::refusals_input::InputWrong,
    Site => super::site_rules::SiteRuleWrong,
    Backup => super::backup::BackupWrong,
    Cli => super::refusals_cli::CliWrong,
    Escalation => super::escalation::EscalationWrong,
    Inspection => super::inspections::InspectionWrong,
    Campaign => super::campaigns::CampaignWrong,
    Qc => super::qc::QcWrong,
    View => super::views::ViewWrong,
    Undo => super::views::UndoWrong,
}
