//! Questions, outcomes and labels with numbers or names in them.

use crate::actions::Action as Op;
use crate::context::Lang;

pub fn too_small(lang: Lang, w: u16, h: u16) -> String {
    match lang {
        Lang::En => format!("Enlarge the window to at least 80×24 (now {w}×{h})."),
        Lang::Zh => format!("请将窗口放大到至少 80×24（当前 {w}×{h}）。"),
    }
}

pub fn create_ticket_question(lang: Lang, n: usize, unit: &str, due: &str) -> String {
    match lang {
        Lang::En => format!("Create a ticket for {n} findings, unit {unit}, due {due}?"),
        Lang::Zh => format!("为这 {n} 条异常派发工单（{unit}，{due} 到期）？"),
    }
}

pub fn approve_ticket_question(lang: Lang, number: &str, n: i64) -> String {
    match lang {
        Lang::En => format!("Approve ticket {number}? Its {n} findings close as rectified."),
        Lang::Zh => format!("审核通过工单 {number}？其 {n} 条异常将以“整改完成”关闭。"),
    }
}

pub fn review_ticket_question(lang: Lang, number: &str) -> String {
    match lang {
        Lang::En => format!(
            "Pass the first review of ticket {number}? The audit centre then gives the second."
        ),
        Lang::Zh => format!("工单 {number} 初审通过？之后由稽查中心复核。"),
    }
}

pub fn archive_ticket_question(lang: Lang, number: &str) -> String {
    match lang {
        Lang::En => format!("Archive ticket {number}? It is read-only afterwards."),
        Lang::Zh => format!("归档工单 {number}？归档后只读，不能再更改。"),
    }
}

pub fn cancel_ticket_question(lang: Lang, number: &str, n: i64) -> String {
    match lang {
        Lang::En => format!("Cancel ticket {number}? Its {n} findings go back to confirmed."),
        Lang::Zh => format!("取消工单 {number}？其 {n} 条异常将退回“确认异常”。"),
    }
}

pub fn due_default(lang: Lang, due: &str) -> String {
    match lang {
        Lang::En => format!("Due date (empty = {due})"),
        Lang::Zh => format!("到期日（留空 = {due}）"),
    }
}

pub fn unit_label(lang: Lang, prefilled: bool) -> &'static str {
    match (lang, prefilled) {
        (Lang::En, true) => "Responsible unit (the findings' station)",
        (Lang::En, false) => "Responsible unit (required: the findings' stations differ)",
        (Lang::Zh, true) => "责任单位（异常所属供电所）",
        (Lang::Zh, false) => "责任单位（必填：异常分属不同供电所）",
    }
}

pub fn earlier_events(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("… {n} earlier"),
        Lang::Zh => format!("… 更早 {n} 条"),
    }
}

pub fn wl_period(lang: Lang, from: &str, to: &str) -> String {
    match lang {
        Lang::En => format!("from {from} until {to} (exclusive)"),
        Lang::Zh => format!("{from} 起至 {to} 止（不含）"),
    }
}

pub fn wl_approved(lang: Lang, who: &str) -> String {
    match lang {
        Lang::En => format!("approved by {who}"),
        Lang::Zh => format!("审批人 {who}"),
    }
}

pub fn wl_requested(lang: Lang, to: &str, who: &str) -> String {
    match lang {
        Lang::En => format!("extension to {to} requested by {who}, awaiting approval"),
        Lang::Zh => format!("{who} 申请延期至 {to}，待审批"),
    }
}

pub fn wl_revoked(lang: Lang, on: &str, who: &str, why: &str) -> String {
    match lang {
        Lang::En => format!("revoked on {on} by {who}: {why}"),
        Lang::Zh => format!("{on} 由 {who} 撤销：{why}"),
    }
}

/// "Confirm 3 marked findings?" — every bulk action states how many findings it touches,
/// and whether they are the marked ones.
pub fn bulk_question(lang: Lang, op: &Op, n: usize, marked: bool) -> String {
    let what = findings_phrase(lang, n, marked);
    match (op, lang) {
        (Op::Confirm { .. }, Lang::En) => format!("Confirm {what} as real problems?"),
        (Op::Reopen { .. }, Lang::En) => format!("Reopen {what}?"),
        (Op::Note { .. }, Lang::En) => format!("Add this note to {what}?"),
        (Op::Close { resolution, .. }, Lang::En) => {
            format!(
                "Close {what} as {}?",
                crate::i18n::resolution(lang, resolution)
            )
        }
        (Op::Confirm { .. }, Lang::Zh) => format!("确认{what}？"),
        (Op::Reopen { .. }, Lang::Zh) => format!("重新打开{what}？"),
        (Op::Note { .. }, Lang::Zh) => format!("为{what}添加此批注？"),
        (Op::Close { resolution, .. }, Lang::Zh) => {
            format!(
                "以“{}”关闭{what}？",
                crate::i18n::resolution(lang, resolution)
            )
        }
        (_, Lang::En) => format!("Apply to {what}?"),
        (_, Lang::Zh) => format!("应用到{what}？"),
    }
}

/// "3 marked findings", "1 marked finding", "3 findings"; "这 3 条已标记异常".
fn findings_phrase(lang: Lang, n: usize, marked: bool) -> String {
    match (lang, marked) {
        (Lang::En, true) if n == 1 => "1 marked finding".to_string(),
        (Lang::En, true) => format!("{n} marked findings"),
        (Lang::En, false) if n == 1 => "1 finding".to_string(),
        (Lang::En, false) => format!("{n} findings"),
        (Lang::Zh, true) => format!("这 {n} 条已标记异常"),
        (Lang::Zh, false) => format!("这 {n} 条异常"),
    }
}

/// Whitelisting findings: how many, how many entries that makes, and which rules.
pub fn whitelist_question(
    lang: Lang,
    n: usize,
    entries: usize,
    every_rule: bool,
    marked: bool,
) -> String {
    let what = findings_phrase(lang, n, marked);
    match (lang, every_rule) {
        (Lang::En, false) => format!(
            "Whitelist {what}? Adds {} for their own rules.",
            plural_en(entries, "entry", "entries")
        ),
        (Lang::En, true) => format!(
            "Whitelist {what}? Adds {} for every rule of their customers.",
            plural_en(entries, "entry", "entries")
        ),
        (Lang::Zh, false) => format!("将{what}加入白名单？按各自规则新增 {entries} 条白名单。"),
        (Lang::Zh, true) => {
            format!("将{what}加入白名单？为其客户的全部规则新增 {entries} 条白名单。")
        }
    }
}

/// The outcome of whitelisting several findings at once.
pub fn whitelisted(lang: Lang, n: usize, entries: usize) -> String {
    match lang {
        Lang::En => format!(
            "{} whitelisted: {} added",
            plural_en(n, "finding", "findings"),
            plural_en(entries, "entry", "entries")
        ),
        Lang::Zh => format!("{n} 条异常已加入白名单：新增 {entries} 条白名单"),
    }
}

/// The title of the whitelist dialog for several findings.
pub fn wl_scope_title(lang: Lang, n: usize, marked: bool) -> String {
    let what = findings_phrase(lang, n, marked);
    match lang {
        Lang::En => format!("Whitelist {what}: which rules?"),
        Lang::Zh => format!("将{what}加入白名单：屏蔽哪些规则？"),
    }
}

/// Shown while a change waits for the dataset (another operator's write, an import, a scan).
pub fn waiting(lang: Lang, secs: u64) -> String {
    match (lang, secs) {
        (Lang::En, 0) => "Waiting for the dataset… (someone else is writing; keep browsing)".into(),
        (Lang::En, s) => {
            format!("Waiting for the dataset… {s} s (someone else is writing; keep browsing)")
        }
        (Lang::Zh, 0) => "正在等待数据集…（其他人正在写入，可继续浏览）".into(),
        (Lang::Zh, s) => format!("正在等待数据集… {s} 秒（其他人正在写入，可继续浏览）"),
    }
}

/// The whitelist dialog's choices for several findings.
pub fn wl_scope_own(lang: Lang, entries: usize) -> String {
    match lang {
        Lang::En => format!(
            "each finding's own rule ({})",
            plural_en(entries, "entry", "entries")
        ),
        Lang::Zh => format!("各自的规则（{entries} 条白名单）"),
    }
}

pub fn wl_scope_every(lang: Lang, entries: usize) -> String {
    match lang {
        Lang::En => format!(
            "every rule (*) of their customers ({})",
            plural_en(entries, "entry", "entries")
        ),
        Lang::Zh => format!("其客户的全部规则 (*)（{entries} 条白名单）"),
    }
}

pub fn wl_scope_customers(lang: Lang, list: &str) -> String {
    match lang {
        Lang::En => format!("Customers: {list}"),
        Lang::Zh => format!("户号：{list}"),
    }
}

/// The reason editor's title when whitelisting several findings.
pub fn wl_reason_for(lang: Lang, n: usize, entries: usize, marked: bool) -> String {
    match lang {
        Lang::En => format!(
            "{}, {}",
            findings_phrase(lang, n, marked),
            plural_en(entries, "entry", "entries")
        ),
        Lang::Zh => format!("{}，{entries} 条白名单", findings_phrase(lang, n, marked)),
    }
}

/// A bulk change refused because marked findings changed after they were shown: which ones,
/// and that nothing was applied and every mark is kept.
pub fn marks_refused_changed(lang: Lang, changed: &[i64], marked: usize) -> String {
    const NAMED: usize = 10;
    let mut ids: Vec<String> = changed.iter().take(NAMED).map(i64::to_string).collect();
    if changed.len() > NAMED {
        ids.push(match lang {
            Lang::En => format!("and {} more", changed.len() - NAMED),
            Lang::Zh => format!("等另 {} 条", changed.len() - NAMED),
        });
    }
    let ids = ids.join(", ");
    let k = changed.len();
    match lang {
        Lang::En => format!(
            "{k} of {marked} refused: finding {ids} changed by another operator since your screen was drawn; nothing done; all {marked} still marked, changed ones shown as !"
        ),
        Lang::Zh => format!(
            "{marked} 条中 {k} 条被拒绝：异常 {ids} 在本屏显示后已被其他人改动；未做任何更改，{marked} 条仍为已标记（已改动的显示为 !）"
        ),
    }
}

/// Appended to a refusal of a change on the marks: nothing was applied, the marks are kept.
pub fn marks_kept(lang: Lang, marked: usize) -> String {
    match lang {
        Lang::En => format!("nothing was changed; all {marked} marked findings are still marked"),
        Lang::Zh => format!("未做任何更改，{marked} 条已标记异常仍为已标记"),
    }
}

/// A marked finding that is no longer in the dataset.
pub fn finding_gone(lang: Lang, id: i64, clear_key: &str) -> String {
    match lang {
        Lang::En => format!("marked finding {id} no longer exists; {clear_key} clears the marks"),
        Lang::Zh => format!("已标记的异常 {id} 已不存在；按 {clear_key} 清除标记"),
    }
}

fn plural_en(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub fn revoke_question(lang: Lang, id: i64) -> String {
    match lang {
        Lang::En => format!("Revoke whitelist entry {id}? Its findings return to the queues."),
        Lang::Zh => format!("撤销白名单 {id}？其屏蔽的异常将回到队列。"),
    }
}

pub fn approve_question(lang: Lang, id: i64) -> String {
    match lang {
        Lang::En => format!("Approve whitelist entry {id}?"),
        Lang::Zh => format!("批准白名单 {id}？"),
    }
}

/// Asked after the editor's cancel key when there is text; `keys` are [discard]'s.
pub fn discard_ask(lang: Lang, keys: &str) -> String {
    match lang {
        Lang::En => format!("Discard this text?  {keys} = discard · any other key = keep editing"),
        Lang::Zh => format!("放弃已输入的内容？ {keys} = 放弃 · 其他键 = 继续编辑"),
    }
}

pub fn scan_progress(lang: Lang, stage: &str) -> String {
    match lang {
        Lang::En => format!("Scanning: {stage}"),
        Lang::Zh => format!("扫描中：{stage}"),
    }
}

pub fn theme_exported(lang: Lang, rows: usize, path: &str) -> String {
    match lang {
        Lang::En => format!("Exported {rows} rows to {path}"),
        Lang::Zh => format!("已导出 {rows} 行到 {path}"),
    }
}

pub fn theme_total(lang: Lang, findings: u64, amount: &str, open: u64, rectified: u64) -> String {
    match lang {
        Lang::En => {
            format!("{findings} findings · {amount} 元 · {open} open · {rectified} rectified")
        }
        Lang::Zh => {
            format!("异常 {findings} 条 · 金额 {amount} 元 · 未关闭 {open} · 已整改 {rectified}")
        }
    }
}

/// No enabled manual indicator evaluates the unit's level.
pub fn no_manual_indicator(lang: Lang, level: &str) -> String {
    match lang {
        Lang::En => format!(
            "No enabled manual indicator evaluates {level}s; an admin adds one with `jicha quality indicator add --source manual`."
        ),
        Lang::Zh => format!(
            "没有适用于{}的已启用手工指标；管理员可用 `jicha quality indicator add --source manual` 添加。",
            if level == "district" { "区县" } else { "供电所" }
        ),
    }
}

/// The title of the value prompt: the indicator, the unit and the period (all escaped by the
/// caller).
pub fn quality_value_title(lang: Lang, name: &str, unit: &str, period: &str) -> String {
    match lang {
        Lang::En => format!("Value of {name} · {unit} · {period}"),
        Lang::Zh => format!("{name} · {unit} · {period} 的值"),
    }
}

/// The scale of an indicator, above the value prompt.
pub fn quality_value_scale(lang: Lang, base: &str, full: &str, full_score: &str) -> String {
    match lang {
        Lang::En => format!("base {base} (0 points) → full mark {full} ({full_score} points)"),
        Lang::Zh => format!("基本值 {base}（0 分）→ 满分值 {full}（{full_score} 分）"),
    }
}

/// A unit level's name, plural in English (a ranking's title: "Counties").
pub fn unit_level_name(lang: Lang, l: crate::units::UnitLevel) -> &'static str {
    use crate::units::UnitLevel as L;
    match (l, lang) {
        (L::Province, Lang::En) => "Provinces",
        (L::City, Lang::En) => "Cities",
        (L::County, Lang::En) => "Counties",
        (L::Station, Lang::En) => "Stations",
        (L::Department, Lang::En) => "Departments",
        (_, Lang::Zh) => l.zh(),
    }
}

/// The units directly below `unit` (a ranking's title).
pub fn units_of(lang: Lang, unit: &str) -> String {
    match lang {
        Lang::En => format!("Units of {unit}"),
        Lang::Zh => format!("{unit} 下属单位"),
    }
}

/// The quality composite's formula with the weights in force.
pub fn quality_formula(lang: Lang, w: &crate::quality::Weights) -> String {
    let pct = |v: f64| {
        let s = format!("{:.1}", v * 100.0);
        s.trim_end_matches(".0").to_string()
    };
    let (m, p, b) = (pct(w.main), pct(w.process), pct(w.business));
    match lang {
        Lang::En => format!("Total = Main×{m}% + Proc×{p}% + Bus×{b}% − Ded + Bonus"),
        Lang::Zh => format!("综合 = 主要×{m}% + 过程×{p}% + 业务×{b}% − 直接扣分 + 奖励"),
    }
}

/// The theme's rows when they are units of a level: "Findings by county".
pub fn theme_by_level(lang: Lang, l: crate::units::UnitLevel) -> String {
    use crate::units::UnitLevel as L;
    match lang {
        Lang::En => {
            let w = match l {
                L::Province => "province",
                L::City => "city",
                L::County => "county",
                L::Station => "station",
                L::Department => "unit",
            };
            format!("Findings by {w}")
        }
        Lang::Zh => format!("各{}异常数", l.zh()),
    }
}
