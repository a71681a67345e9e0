//! The Chinese help of `deduction …`, `qc …` and the accountability options of `ticket
//! submit` (see `help_zh_table` for the shape; `help_zh::text` reads both tables).

pub const HELP: &[(&str, &str, &str)] = &[
    ("ticket submit", "responsible", "差错责任人"),
    ("ticket submit", "accountability", "问责结果"),
    (
        "deduction",
        "",
        "派单时的业务评价扣分：扣分标准、调整工单扣分、直接扣分",
    ),
    (
        "deduction standard",
        "",
        "扣分标准：派单时每条异常扣其单位的分数",
    ),
    (
        "deduction standard list",
        "",
        "扣分标准各行：先规则，再用电类别，最后 *",
    ),
    (
        "deduction standard set",
        "",
        "管理员：设置一行的分数（新行则添加）",
    ),
    (
        "deduction standard set",
        "subject",
        "规则编号（BIL-05）、category:resident|commercial|large_industry|agriculture，或 *",
    ),
    (
        "deduction standard set",
        "severity",
        "严重程度：high、medium 或 low",
    ),
    (
        "deduction standard set",
        "points",
        "每条异常的扣分，0 至 100（0：不扣分）",
    ),
    (
        "deduction adjust",
        "",
        "审核人员：调整工单的业务评价扣分，须说明原因（0：不计入）",
    ),
    ("deduction adjust", "ticket", "工单号"),
    ("deduction adjust", "points", "此后计入的分数，0 至 100"),
    ("deduction adjust", "reason", "调整扣分标准建议值的原因"),
    (
        "deduction direct",
        "",
        "审核人员：工单触发的直接扣分（营销差错 / 责任事故），按级别扣分",
    ),
    ("deduction direct", "ticket", "工单号"),
    (
        "deduction direct",
        "level",
        "级别（`quality level list`）：minor、major、accident 等",
    ),
    ("deduction direct", "reason", "差错或事故内容"),
    (
        "qc",
        "",
        "稽查质检（按月、按单位）：稽查例日、抽检、评分、白名单检查",
    ),
    (
        "qc month",
        "",
        "按单位列出当月：稽查例日未开展天数、抽检与质检得分、白名单检查，每单位一行",
    ),
    ("qc month", "month", "月份，YYYY-MM"),
    (
        "qc sample",
        "",
        "审核人员：按单位抽取当月审核通过的工单（比例为 qc_sample_ratio）",
    ),
    ("qc sample", "month", "月份，YYYY-MM"),
    ("qc sample", "seed", "抽样种子；默认为月份数字（YYYYMM）"),
    (
        "qc score",
        "",
        "其他单位的审核人员：对抽检工单的一个质检项评分，合格或不合格",
    ),
    ("qc score", "ticket", "工单号"),
    (
        "qc score",
        "item",
        "质检项，1 至 6：描述清晰、分析准确、要求明确、时限合理、措施明确与量质期、落实到位",
    ),
    ("qc score", "pass", "该项合格"),
    ("qc score", "fail", "该项不合格（须填写 --note）"),
    ("qc score", "note", "检查发现的情况"),
    (
        "qc report",
        "",
        "当月质检报告：稽查例日、抽检及评分、质检得分、白名单检查",
    ),
    ("qc report", "month", "月份，YYYY-MM"),
    (
        "sample",
        "inspect",
        "抽样后立即生成现场稽查（同一步完成）：每个供电所一张，含该所抽中的异常（按用户抽样时为这些用户未关闭的异常）；已在白名单或已有计划中稽查的异常不列入，并逐条列出",
    ),
    ("sample", "inspectors", "（与 --inspect 同用）稽查人员，逗号分隔；默认为你本人"),
    ("sample", "planned", "（与 --inspect 同用）计划日期；默认为今天"),
    ("sample", "method", "（与 --inspect 同用）核查方式：onsite（现场）、phone（电话）、records（资料核查）"),
];

pub const VALUES: &[(&str, &str, &str)] = &[
    ("accountability", "none", "无"),
    ("accountability", "criticism", "批评教育"),
    ("accountability", "assessment", "考核"),
    ("accountability", "discipline", "移交纪检"),
];
