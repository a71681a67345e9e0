//! What an action did, as a value, and its one line for the operator in both languages.

use super::values::{role, status, ticket_state};
use crate::context::Lang;

crate::sentence_kinds! {
    /// What a committed change did, with its numbers and names.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Done {
        FindingsMoved { to: &'static str, changed: usize, unchanged: usize },
        NoteAdded { findings: usize },
        WhitelistAdded { id: i64, rule: String, cust_no: String, until: String },
        WhitelistAwaits { id: i64, rule: String, cust_no: String, days: i64, review_days: i64 },
        WhitelistRevoked { id: i64 },
        WhitelistExtended { id: i64, until: String },
        ExtensionAwaits { id: i64, until: String, total: i64, review_days: i64, in_force_until: String },
        ExtensionApproved { id: i64, until: String },
        WhitelistApproved { id: i64, from: String, until: String },
        ThresholdSet { name: String, value: String, old: String },
        RoleChanged { login: String, from: String, to: String },
        OperatorAdded { login: String, role: String },
        BackupLogged { seq: i64 },
        TicketDispatched { number: String, unit: String, due: String, findings: usize },
        TicketMoved { number: String, from: &'static str, to: &'static str },
        IndicatorAdded { id: i64, category: String, name: String, main: bool, level: &'static str, full_score: f64, base: f64, full: f64 },
        IndicatorChanged { id: i64, name: String },
        IndicatorEnabled { id: i64, name: String, enabled: bool },
        ValueSet { name: String, unit: String, period: String, value: f64, old: Option<f64> },
        LevelChanged { level: String, points: f64, old: f64 },
        LevelAdded { level: String, points: f64 },
        BusinessDeducted { id: i64, unit: String, points: f64, on: String, ticket: String },
        DirectDeducted { id: i64, unit: String, points: f64, level: String, on: String },
        BonusAdded { id: i64, unit: String, points: f64, on: String },
        EntryRevoked { id: i64, kind: String, unit: String, points: f64 },
        SiteRuleAdded { id: String, sha256: String, hits: u64, replaced: bool },
        SiteRuleEnabled { id: String, enabled: bool },
        SiteRuleRemoved { id: String, findings: u64 },
        /// Several actions performed as one unit of work.
        Several { each: Vec<Done> },
        /// A run of the escalation notices (督办单): numbers issued, closed, superseded.
        EscalationsRun { issued: Vec<String>, resolved: Vec<String>, superseded: Vec<String>, open: usize },
        /// An operator added bound to a unit (`operator add --unit`).
        OperatorAddedIn { login: String, role: String, unit: String },
        /// An operator's unit changed (None: the audit centre), and their role as given.
        UnitChanged { login: String, role_from: String, role_to: String, from: Option<String>, to: Option<String> },
        /// An on-site inspection's action (现场稽查).
        Inspection { done: super::inspections::InspDone },
        /// A campaign or sampling action (专项稽查, 抽检).
        Campaign { done: super::campaigns::CampaignDone },
        /// Deductions at dispatch and the QC of audit work (`i18n::qc`).
        Qc { said: super::qc::QcDone },
        /// A saved view saved (or replaced), deleted, pinned or unpinned.
        ViewSaved { name: String, replaced: bool },
        ViewDeleted { name: String },
        ViewPinned { name: String, pinned: bool },
        /// The operator's last status move of findings undone.
        Undone { findings: usize },
        /// The operator's last whitelist entries added, revoked by the undo key.
        WhitelistUndone { entries: usize },
    }
}

impl Done {
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Done::Campaign { done }, _) => done.text(lang),
            (Done::Several { each }, _) => {
                let sep = if lang == Lang::Zh { "；" } else { "; " };
                each.iter()
                    .map(|d| d.text(lang))
                    .collect::<Vec<_>>()
                    .join(sep)
            }
            (_, Lang::En) => self.triage_en().unwrap_or_else(|| self.other_en()),
            (_, Lang::Zh) => self.triage_zh().unwrap_or_else(|| self.other_zh()),
        }
    }

    /// Findings, whitelist, admin and tickets; `None` for the quality outcomes.
    fn triage_en(&self) -> Option<String> {
        use Done::*;
        Some(match self {
            FindingsMoved { to, changed, unchanged } => {
                let verb = if *to == "new" { "reopened" } else { to };
                let mut s = format!("{} {verb}", findings_en(*changed));
                if *unchanged > 0 {
                    s.push_str(&format!(" ({unchanged} already {verb})"));
                }
                s
            }
            NoteAdded { findings } => format!("note added to {}", findings_en(*findings)),
            WhitelistAdded { id, rule, cust_no, until } => {
                format!("whitelist entry {id}: {rule} for {cust_no} suppressed until {until}")
            }
            WhitelistAwaits { id, rule, cust_no, days, review_days } => format!(
                "whitelist entry {id} ({rule}, {cust_no}, {days} days) awaits a reviewer's approval: longer than {review_days} days"
            ),
            WhitelistRevoked { id } => {
                format!("whitelist entry {id} revoked; its findings are back in the queues")
            }
            WhitelistExtended { id, until } => format!("whitelist entry {id} now expires on {until}"),
            ExtensionAwaits { id, until, total, review_days, in_force_until } => format!(
                "extension of whitelist entry {id} to {until} awaits a reviewer's approval ({total} days > {review_days}); it stays in force until {in_force_until}"
            ),
            ExtensionApproved { id, until } => {
                format!("extension approved: whitelist entry {id} now expires on {until}")
            }
            WhitelistApproved { id, from, until } => {
                format!("whitelist entry {id} approved: in force from {from} until {until}")
            }
            ThresholdSet { name, value, old } => {
                format!("{name} = {value} (was {old}); the next scan uses it")
            }
            RoleChanged { login, from, to } => format!("{login}: role {from} → {to}"),
            OperatorAdded { login, role } => format!("{login} added as {role}"),
            OperatorAddedIn { login, role, unit } => {
                format!("{login} added as {role} of {unit} (acts only inside it)")
            }
            UnitChanged { login, role_from, role_to, from, to } => format!(
                "{login}: role {role_from} → {role_to}, unit {} → {}",
                unit_or_centre(Lang::En, from),
                unit_or_centre(Lang::En, to)
            ),
            BackupLogged { seq } => format!("backup logged as record {seq}"),
            TicketDispatched { number, unit, due, findings } => format!(
                "ticket {number} dispatched to {unit}, due {due}, with {findings} finding(s)"
            ),
            TicketMoved { number, from, to } => format!("ticket {number}: {from} → {to}"),
            SiteRuleAdded { id, sha256, hits, replaced } => format!(
                "site rule {id} {} (SHA-256 {}), {hits} hit(s) on the dataset; the next scan runs it",
                if *replaced { "replaced" } else { "added" },
                short_sha(sha256)
            ),
            SiteRuleEnabled { id, enabled: true } => {
                format!("site rule {id} enabled; the next scan runs it")
            }
            SiteRuleEnabled { id, enabled: false } => format!(
                "site rule {id} disabled; scans skip it and leave its findings as they are"
            ),
            SiteRuleRemoved { id, findings } => format!(
                "site rule {id} removed; its {findings} finding(s) stay as history"
            ),
            EscalationsRun { issued, resolved, superseded, open } => {
                super::escalation::run_text(Lang::En, issued, resolved, superseded, *open)
            }
            Inspection { done } => done.text(Lang::En),
            Qc { said } => said.text(Lang::En),
            ViewSaved { .. }
            | ViewDeleted { .. }
            | ViewPinned { .. }
            | Undone { .. }
            | WhitelistUndone { .. } => {
                return super::views::done(Lang::En, self)
            }
            _ => return None,
        })
    }

    fn triage_zh(&self) -> Option<String> {
        use Done::*;
        let lang = Lang::Zh;
        Some(match self {
            FindingsMoved { to, changed, unchanged } => {
                let verb = moved_zh(to);
                let mut s = format!("{changed} 条异常{verb}");
                if *unchanged > 0 {
                    s.push_str(&format!("（{unchanged} 条此前已{verb}）"));
                }
                s
            }
            NoteAdded { findings } => format!("已为 {findings} 条异常添加备注"),
            WhitelistAdded { id, rule, cust_no, until } => {
                format!("白名单 {id}：户号 {cust_no} 的 {rule} 异常暂不提示，至 {until} 止")
            }
            WhitelistAwaits { id, rule, cust_no, days, review_days } => format!(
                "白名单 {id}（{rule}，户号 {cust_no}，{days} 天）超过 {review_days} 天，待审核人员审批"
            ),
            WhitelistRevoked { id } => format!("白名单 {id} 已撤销；其异常重新进入待办"),
            WhitelistExtended { id, until } => format!("白名单 {id} 延期至 {until}"),
            ExtensionAwaits { id, until, total, review_days, in_force_until } => format!(
                "白名单 {id} 延期至 {until} 待审核人员审批（{total} 天，超过 {review_days} 天）；审批前在 {in_force_until} 前有效"
            ),
            ExtensionApproved { id, until } => format!("延期已审批：白名单 {id} 延期至 {until}"),
            WhitelistApproved { id, from, until } => {
                format!("白名单 {id} 已审批：{from} 起生效，至 {until} 止")
            }
            ThresholdSet { name, value, old } => {
                format!("{name} = {value}（原为 {old}）；下次扫描起生效")
            }
            RoleChanged { login, from, to } => {
                format!("{login}：角色 {} → {}", role_zh(from), role_zh(to))
            }
            OperatorAdded { login, role: r } => format!("已添加 {login}，角色为{}", role_zh(r)),
            OperatorAddedIn { login, role: r, unit } => format!(
                "已添加 {login}，角色为{}，所属单位 {unit}（只能在本单位范围内操作）",
                role_zh(r)
            ),
            UnitChanged { login, role_from, role_to, from, to } => format!(
                "{login}：角色 {} → {}，所属单位 {} → {}",
                role_zh(role_from),
                role_zh(role_to),
                unit_or_centre(Lang::Zh, from),
                unit_or_centre(Lang::Zh, to)
            ),
            BackupLogged { seq } => format!("备份已记入操作日志第 {seq} 条"),
            TicketDispatched { number, unit, due, findings } => format!(
                "工单 {number} 已派发给 {unit}，整改期限 {due}，含 {findings} 条异常"
            ),
            TicketMoved { number, from, to } => format!(
                "工单 {number}：{} → {}",
                ticket_state(lang, from),
                ticket_state(lang, to)
            ),
            SiteRuleAdded { id, sha256, hits, replaced } => format!(
                "自定义规则 {id} {}（SHA-256 {}），在数据集上命中 {hits} 条；下次扫描起运行",
                if *replaced { "已更新" } else { "已添加" },
                short_sha(sha256)
            ),
            SiteRuleEnabled { id, enabled: true } => {
                format!("自定义规则 {id} 已启用；下次扫描起运行")
            }
            SiteRuleEnabled { id, enabled: false } => {
                format!("自定义规则 {id} 已停用；扫描将跳过它，其异常保持不变")
            }
            SiteRuleRemoved { id, findings } => {
                format!("自定义规则 {id} 已删除；其 {findings} 条异常作为历史保留")
            }
            EscalationsRun { issued, resolved, superseded, open } => {
                super::escalation::run_text(lang, issued, resolved, superseded, *open)
            }
            Inspection { done } => done.text(lang),
            Qc { said } => said.text(Lang::Zh),
            ViewSaved { .. }
            | ViewDeleted { .. }
            | ViewPinned { .. }
            | Undone { .. }
            | WhitelistUndone { .. } => {
                return super::views::done(Lang::Zh, self)
            }
            _ => return None,
        })
    }
}

/// The first 12 hex digits of a SHA-256: enough to tell versions apart on one line.
fn short_sha(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// `1 finding` / `2 findings`.
fn findings_en(n: usize) -> String {
    if n == 1 {
        "1 finding".into()
    } else {
        format!("{n} findings")
    }
}

/// A finding's move as a Chinese verb: 已确认, 已关闭, 已重新打开.
fn moved_zh(to: &str) -> String {
    match to {
        "new" => "已重新打开".into(),
        "confirmed" => "已确认".into(),
        "closed" => "已关闭".into(),
        other => format!("已转为“{}”", status(Lang::Zh, other)),
    }
}

/// An operator's unit, or the audit centre (稽查中心) for none.
pub fn unit_or_centre(lang: Lang, unit: &Option<String>) -> String {
    match (unit, lang) {
        (Some(u), _) => u.clone(),
        (None, Lang::En) => "audit centre".into(),
        (None, Lang::Zh) => "稽查中心".into(),
    }
}

/// A role as stored (`auditor`) in Chinese; an unknown one as it is.
fn role_zh(r: &str) -> String {
    match role(Lang::Zh, r) {
        "?" => r.to_string(),
        zh => zh.to_string(),
    }
}
