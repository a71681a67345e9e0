//! The words of deductions at dispatch and of the QC of audit work (稽查质检), in both
//! languages: refusals, what a change did, and the labels of `ticket show`, `qc` and the UI.

use crate::context::Lang;

crate::sentence_kinds! {
    /// Refusals of `deduction …`, `qc …` and of the accountability at `ticket submit`.
    #[derive(Debug, Clone, PartialEq)]
    pub enum QcWrong {
        /// A standard's subject is a rule id, `category:<category>` or `*`.
        BadSubject { given: String },
        UnknownRule { rule: String },
        BadSeverity { given: String },
        BadPoints { flag: &'static str, points: f64 },
        /// The ticket has no business deduction to adjust.
        NoDeduction { ticket: String },
        SamePoints { ticket: String, points: f64 },
        NeedText { flag: &'static str },
        BadMonth { given: String },
        AlreadySampled { month: String, unit: String, on: String },
        NothingToSample { month: String },
        NotSampled { ticket: String },
        BadItem { given: i64 },
        /// The scorer is bound to the ticket's unit or a unit below it.
        OwnUnit { ticket: String, ticket_unit: String, unit: String },
        CancelledTicket { ticket: String },
        ArchivedTicket { ticket: String },
    }
}

impl Default for QcDone {
    fn default() -> Self {
        QcDone::Scored {
            ticket: String::new(),
            item: 1,
            passed: true,
        }
    }
}

/// What a change of this area did.
#[derive(Debug, Clone, PartialEq)]
pub enum QcDone {
    StandardSet {
        subject: String,
        severity: String,
        points: f64,
        old: Option<f64>,
    },
    Adjusted {
        ticket: String,
        unit: String,
        from: f64,
        to: f64,
    },
    DirectRecorded {
        ticket: String,
        unit: String,
        level: String,
        points: f64,
    },
    Accountability {
        ticket: String,
        person: Option<String>,
        outcome: Option<String>,
    },
    Sampled {
        month: String,
        seed: u64,
        units: usize,
        tickets: usize,
        population: usize,
    },
    Scored {
        ticket: String,
        item: u8,
        passed: bool,
    },
}

fn pts(p: f64) -> String {
    let s = format!("{p:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl QcDone {
    #[allow(clippy::too_many_lines)] // a table: one arm per outcome, in both languages
    pub fn text(&self, lang: Lang) -> String {
        use QcDone::*;
        let zh = lang == Lang::Zh;
        match self {
            StandardSet {
                subject,
                severity,
                points,
                old,
            } => {
                let was = old.map(pts);
                match (zh, was) {
                    (false, Some(o)) => format!("deduction standard {subject} / {severity}: {} points (was {o}); tickets dispatched from now on use it", pts(*points)),
                    (false, None) => format!("deduction standard {subject} / {severity}: {} points (new); tickets dispatched from now on use it", pts(*points)),
                    (true, Some(o)) => format!("扣分标准 {subject} / {}：{} 分（原为 {o}）；此后派发的工单按此扣分", severity_word(lang, severity), pts(*points)),
                    (true, None) => format!("扣分标准 {subject} / {}：{} 分（新增）；此后派发的工单按此扣分", severity_word(lang, severity), pts(*points)),
                }
            }
            Adjusted {
                ticket,
                unit,
                from,
                to,
            } => {
                if zh {
                    format!(
                        "工单 {ticket} 的业务评价扣分已调整：{unit} {} → {} 分",
                        pts(*from),
                        pts(*to)
                    )
                } else {
                    format!(
                        "business deduction of ticket {ticket} adjusted: {unit} {} → {} points",
                        pts(*from),
                        pts(*to)
                    )
                }
            }
            DirectRecorded {
                ticket,
                unit,
                level,
                points,
            } => {
                if zh {
                    format!(
                        "工单 {ticket} 触发直接扣分：{unit} −{} 分（{level}）",
                        pts(*points)
                    )
                } else {
                    format!(
                        "ticket {ticket} triggered a direct deduction: {unit} −{} points ({level})",
                        pts(*points)
                    )
                }
            }
            Accountability {
                ticket,
                person,
                outcome,
            } => {
                let p = person.clone().unwrap_or_else(|| "—".into());
                let o = outcome
                    .as_deref()
                    .map(|o| accountability_word(lang, o))
                    .unwrap_or("—");
                if zh {
                    format!("工单 {ticket}：责任人 {p}，问责结果 {o}")
                } else {
                    format!("ticket {ticket}: responsible {p}, accountability {o}")
                }
            }
            Sampled {
                month,
                seed,
                units,
                tickets,
                population,
            } => {
                if zh {
                    format!("{month} 质检抽样：{units} 个单位，从 {population} 张审核通过的工单中抽取 {tickets} 张（种子 {seed}）")
                } else {
                    format!("QC sample of {month}: {tickets} of {population} approved ticket(s) in {units} unit(s) (seed {seed})")
                }
            }
            Scored {
                ticket,
                item,
                passed,
            } => {
                if zh {
                    format!(
                        "工单 {ticket} 质检第 {item} 项（{}）：{}",
                        item_name(lang, *item),
                        if *passed { "合格" } else { "不合格" }
                    )
                } else {
                    format!(
                        "ticket {ticket} QC item {item} ({}): {}",
                        item_name(lang, *item),
                        if *passed { "pass" } else { "fail" }
                    )
                }
            }
        }
    }
}

impl QcWrong {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use QcWrong::*;
        match self {
            BadSubject { given } => format!("`{given}` is not a standard's subject: give a rule id (BIL-05), category:resident|commercial|large_industry|agriculture, or * for every finding"),
            UnknownRule { rule } => format!("there is no rule {rule}; `jicha rules` lists them"),
            BadSeverity { given } => format!("`{given}` is not a severity: use high, medium or low"),
            BadPoints { flag, points } => format!("{flag} must be from 0 to 100 points, not {points}"),
            NoDeduction { ticket } => format!("ticket {ticket} has no business deduction to adjust (dispatched before deductions at dispatch, or to a unit with units below it); record one with `jicha quality deduct business {ticket}`"),
            SamePoints { ticket, points } => format!("the business deduction of ticket {ticket} is already {} points", pts(*points)),
            NeedText { flag } => format!("{flag} needs a text: say why"),
            BadMonth { given } => format!("`{given}` is not a month: use YYYY-MM, such as 2026-11"),
            AlreadySampled { month, unit, on } => format!("the QC sample of {month} for {unit} was drawn on {on}; a sample is drawn once (`jicha qc month --month {month}` shows it)"),
            NothingToSample { month } => format!("no ticket was approved in {month} (or every unit of it is sampled already): nothing to sample"),
            NotSampled { ticket } => format!("ticket {ticket} is in no QC sample; draw the month's sample first (`jicha qc sample --month YYYY-MM`)"),
            BadItem { given } => format!("QC item {given} does not exist: items are 1 to 6 (1 clear description, 2 accurate analysis, 3 clear requirement, 4 reasonable time limit, 5 clear measures with quantity, quality and deadline, 6 carried out)"),
            OwnUnit { ticket, ticket_unit, unit } => format!("ticket {ticket} is {ticket_unit}'s; you review for {unit}, which is {ticket_unit} or below it: QC is scored by a reviewer of another unit (or of the audit centre)"),
            CancelledTicket { ticket } => format!("ticket {ticket} is cancelled: it found no errors to deduct for"),
            ArchivedTicket { ticket } => format!("ticket {ticket} is archived and read-only; revoke or add entries with `jicha quality`"),
        }
    }

    fn zh(&self) -> String {
        use QcWrong::*;
        match self {
            BadSubject { given } => format!("`{given}` 不是扣分标准的对象：请给出规则编号（`BIL-05`）、`category:resident|commercial|large_industry|agriculture`，或 `*` 表示全部异常"),
            UnknownRule { rule } => format!("没有规则 {rule}；`jicha rules` 列出全部规则"),
            BadSeverity { given } => format!("`{given}` 不是严重程度：请用 `high`、`medium` 或 `low`"),
            BadPoints { flag, points } => format!("{flag} 须在 0 到 100 分之间，而不是 {points}"),
            NoDeduction { ticket } => format!("工单 {ticket} 没有可调整的业务评价扣分（派发于启用派单扣分之前，或责任单位下设单位）；可用 `jicha quality deduct business {ticket}` 录入"),
            SamePoints { ticket, points } => format!("工单 {ticket} 的业务评价扣分已是 {} 分", pts(*points)),
            NeedText { flag } => format!("{flag} 须填写内容：说明原因"),
            BadMonth { given } => format!("`{given}` 不是月份：请用 `YYYY-MM` 格式，例如 2026-11"),
            AlreadySampled { month, unit, on } => format!("{unit} 的 {month} 质检样本已于 {on} 抽取；样本只抽一次（`jicha qc month --month {month}` 可查看）"),
            NothingToSample { month } => format!("{month} 没有审核通过的工单（或各单位均已抽样）：无可抽样"),
            NotSampled { ticket } => format!("工单 {ticket} 不在任何质检样本中；请先抽取当月样本（`jicha qc sample --month YYYY-MM`）"),
            BadItem { given } => format!("没有质检第 {given} 项：质检项为 1 至 6（1 描述清晰，2 分析准确，3 要求明确，4 时限合理，5 措施明确与量质期，6 落实到位）"),
            OwnUnit { ticket, ticket_unit, unit } => format!("工单 {ticket} 属于 {ticket_unit}；你是 {unit} 的审核人员，{unit} 即 {ticket_unit} 或其下属单位：质检须由其他单位（或稽查中心）的审核人员评分"),
            CancelledTicket { ticket } => format!("工单 {ticket} 已撤销：没有可扣分的差错"),
            ArchivedTicket { ticket } => format!("工单 {ticket} 已归档，只读；请用 `jicha quality` 撤销或录入扣分"),
        }
    }
}

/// The six QC checklist items of 004 part 8, by number.
pub const ITEMS: [u8; 6] = [1, 2, 3, 4, 5, 6];

pub fn item_name(lang: Lang, item: u8) -> &'static str {
    match (item, lang) {
        (1, Lang::Zh) => "描述清晰",
        (2, Lang::Zh) => "分析准确",
        (3, Lang::Zh) => "要求明确",
        (4, Lang::Zh) => "时限合理",
        (5, Lang::Zh) => "措施明确与量质期",
        (6, Lang::Zh) => "落实到位",
        (1, Lang::En) => "clear description",
        (2, Lang::En) => "accurate analysis",
        (3, Lang::En) => "clear requirement",
        (4, Lang::En) => "reasonable time limit",
        (5, Lang::En) => "clear measures, quantity, quality, deadline",
        (6, Lang::En) => "carried out",
        _ => "?",
    }
}

pub fn accountability_word(lang: Lang, outcome: &str) -> &'static str {
    match (outcome, lang) {
        ("none", Lang::Zh) => "无",
        ("criticism", Lang::Zh) => "批评教育",
        ("assessment", Lang::Zh) => "考核",
        ("discipline", Lang::Zh) => "移交纪检",
        ("none", Lang::En) => "none",
        ("criticism", Lang::En) => "criticism and education",
        ("assessment", Lang::En) => "assessment",
        ("discipline", Lang::En) => "referred to discipline inspection",
        _ => "?",
    }
}

pub fn severity_word(lang: Lang, s: &str) -> &'static str {
    match (s, lang) {
        ("high", Lang::Zh) => "高",
        ("medium", Lang::Zh) => "中",
        ("low", Lang::Zh) => "低",
        ("high", Lang::En) => "high",
        ("medium", Lang::En) => "medium",
        ("low", Lang::En) => "low",
        _ => "?",
    }
}

crate::bilingual_messages! {
    /// Labels of `ticket show`, `deduction standard list`, `qc month|report` and the QC screen.
    pub enum QcWord {
        Deductions => "Deductions", "扣分";
        Business => "business", "业务评价";
        Direct => "direct", "直接扣分";
        Proposed => "proposed", "拟扣";
        AdjustedBy => "adjusted by", "调整人";
        NotCounted => "not counted", "不计入";
        Responsible => "Responsible", "责任人";
        Accountability => "Accountability", "问责结果";
        Subject => "subject", "对象";
        Severity => "severity", "严重程度";
        Points => "points", "分";
        Title => "QC of audit work", "稽查质检";
        Month => "Month", "月份";
        Unit => "unit", "单位";
        Gaps => "稽查例日 gaps (business days Mon-Fri without a scan or a triage)", "稽查例日未开展（周一至周五无扫描或无分拣的工作日）";
        NoScan => "no scan", "无扫描";
        NoTriage => "no triage", "无分拣";
        NoGaps => "none", "无";
        Sample => "Sample of approved tickets", "审核通过工单抽检";
        NotDrawn => "not drawn yet: `jicha qc sample --month M`", "尚未抽样：`jicha qc sample --month M`";
        Population => "population", "总数";
        Seed => "seed", "种子";
        Ticket => "ticket", "工单";
        Items => "items", "质检项";
        Pass => "pass", "合格";
        Fail => "fail", "不合格";
        Unscored => "not scored", "未评分";
        Score => "QC score", "质检得分";
        Whitelist => "Whitelist audit", "白名单管理检查";
        Rule => "rule", "规则";
        Entries => "entries", "条目";
        MeanDays => "mean freeze days", "平均冻结天数";
        MaxDays => "longest", "最长";
        Renewals => "renewals", "延期";
        Long => "long", "超长";
        Worse => "worse while frozen", "冻结期间恶化";
        Customer => "customer", "户号";
        WhyWorse => "why", "原因";
        NewFinding => "new finding", "新异常";
        ThfRose => "THF level rose", "窃电等级上升";
        Note => "note", "说明";
        Keys => "p pass  f fail  ←→ item  ↑↓ ticket", "p 合格  f 不合格  ←→ 质检项  ↑↓ 工单";
        SeverityRose => "severity rose", "严重程度上升";
    }
}
