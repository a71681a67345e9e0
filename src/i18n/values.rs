//! Names of the closed sets (finding status, severity, resolution, ticket state, whitelist
//! state, role) as an operator reads them. A value outside the set shows as `?`.

use crate::context::Lang;

pub fn ticket_state(lang: Lang, s: &(impl AsRef<str> + ?Sized)) -> &'static str {
    match (s.as_ref(), lang) {
        ("open", Lang::En) => "open",
        ("dispatched", Lang::En) => "dispatched",
        ("rectifying", Lang::En) => "rectifying",
        ("submitted", Lang::En) => "submitted",
        ("returned", Lang::En) => "returned",
        ("approved", Lang::En) => "approved",
        ("cancelled", Lang::En) => "cancelled",
        ("overdue", Lang::En) => "overdue",
        ("reviewed", Lang::En) => "reviewed",
        ("archived", Lang::En) => "archived",
        ("open", Lang::Zh) => "未结",
        ("dispatched", Lang::Zh) => "已派发",
        ("rectifying", Lang::Zh) => "整改中",
        ("submitted", Lang::Zh) => "待审核",
        ("returned", Lang::Zh) => "退回",
        ("approved", Lang::Zh) => "审核通过",
        ("cancelled", Lang::Zh) => "已取消",
        ("overdue", Lang::Zh) => "超期",
        ("reviewed", Lang::Zh) => "待复核",
        ("archived", Lang::Zh) => "已归档",
        _ => "?",
    }
}

pub fn severity(lang: Lang, s: &(impl AsRef<str> + ?Sized)) -> &'static str {
    match (s.as_ref(), lang) {
        ("high", Lang::En) => "high",
        ("medium", Lang::En) => "med",
        ("low", Lang::En) => "low",
        ("high", Lang::Zh) => "高",
        ("medium", Lang::Zh) => "中",
        ("low", Lang::Zh) => "低",
        _ => "?",
    }
}

pub fn status(lang: Lang, s: &(impl AsRef<str> + ?Sized)) -> &'static str {
    match (s.as_ref(), lang) {
        ("open", Lang::En) => "open",
        ("new", Lang::En) => "new",
        ("confirmed", Lang::En) => "confirmed",
        ("ticketed", Lang::En) => "ticketed",
        ("closed", Lang::En) => "closed",
        ("cleared", Lang::En) => "cleared",
        ("open", Lang::Zh) => "未关闭",
        ("new", Lang::Zh) => "新发现",
        ("confirmed", Lang::Zh) => "确认异常",
        ("ticketed", Lang::Zh) => "已派单",
        ("closed", Lang::Zh) => "已关闭",
        ("cleared", Lang::Zh) => "已更正",
        _ => "?",
    }
}

pub fn resolution(lang: Lang, r: &(impl AsRef<str> + ?Sized)) -> &'static str {
    match (r.as_ref(), lang) {
        ("rectified", Lang::En) => "rectified",
        ("false_positive", Lang::En) => "false positive",
        ("no_action", Lang::En) => "no action needed",
        ("rectified", Lang::Zh) => "整改完成",
        ("false_positive", Lang::Zh) => "误报",
        ("no_action", Lang::Zh) => "无需处理",
        _ => "?",
    }
}

pub fn wl_state(lang: Lang, s: &(impl AsRef<str> + ?Sized)) -> &'static str {
    match (s.as_ref(), lang) {
        ("active", Lang::En) => "active",
        ("pending", Lang::En) => "pending",
        ("expired", Lang::En) => "expired",
        ("revoked", Lang::En) => "revoked",
        ("scheduled", Lang::En) => "scheduled",
        ("active", Lang::Zh) => "生效中",
        ("pending", Lang::Zh) => "待审批",
        ("expired", Lang::Zh) => "已到期",
        ("revoked", Lang::Zh) => "已撤销",
        ("scheduled", Lang::Zh) => "待生效",
        _ => "?",
    }
}

pub fn role(lang: Lang, r: &(impl AsRef<str> + ?Sized)) -> &'static str {
    match (r.as_ref(), lang) {
        ("viewer", Lang::En) => "viewer",
        ("auditor", Lang::En) => "auditor",
        ("reviewer", Lang::En) => "reviewer",
        ("admin", Lang::En) => "admin",
        ("viewer", Lang::Zh) => "只读",
        ("auditor", Lang::Zh) => "稽查员",
        ("reviewer", Lang::Zh) => "审核",
        ("admin", Lang::Zh) => "管理员",
        _ => "?",
    }
}
