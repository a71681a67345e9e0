//! The words of campaigns (专项稽查) and samples (抽检) in both languages: their refusals, what
//! an action did, and the labels of the campaign report.

use crate::context::Lang;

crate::sentence_kinds! {
    /// Refusals of `campaign …` and `sample …`.
    #[derive(Debug, Clone, PartialEq)]
    pub enum CampaignWrong {
        NoCampaign { number: String },
        NeedName,
        /// The period ends before it starts.
        BadPeriod { from: String, to: String },
        UnknownRule { rule: String },
        UnknownCategory { given: String },
        UnknownOwner { login: String },
        /// The campaign is closed: no new ticket, no second closing.
        Closed { number: String },
        /// Findings of a ticket that do not belong to the campaign named for it.
        OutsideScope { number: String, findings: Vec<i64> },
        /// A sampling ratio outside (0, 1].
        BadRatio { given: String },
        /// `sample` needs exactly one of --rule and --campaign.
        NeedBasis,
        NoSample { number: String },
        /// Nothing to draw from.
        EmptyPopulation { basis: String },
    }
}

impl CampaignWrong {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use CampaignWrong::*;
        match self {
            NoCampaign { number } => format!(
                "there is no campaign {number}; `jicha campaign list` shows the numbers (ZX-YYYYMMDD-NNN)"
            ),
            NeedName => "a campaign needs a name (--name)".into(),
            BadPeriod { from, to } => format!(
                "the period ends ({to}) before it starts ({from}); give --from on or before --to"
            ),
            UnknownRule { rule } => format!(
                "unknown rule `{rule}`; `jicha rules list` shows the rule ids"
            ),
            UnknownCategory { given } => format!(
                "unknown customer category `{given}`; use resident, commercial, large_industry or agriculture"
            ),
            UnknownOwner { login } => format!(
                "`{login}` is not an operator; `jicha operator list` shows them (or leave --owner out: you)"
            ),
            Closed { number } => format!("campaign {number} is closed"),
            OutsideScope { number, findings } => format!(
                "finding(s) {} do not belong to campaign {number} (its rules, units, categories and period); `jicha campaign show {number}` shows its scope",
                join(findings)
            ),
            BadRatio { given } => format!(
                "the sampling ratio must be above 0 and at most 1 (0.1 is 10 %), not `{given}`"
            ),
            NeedBasis => "give exactly one of --rule and --campaign".into(),
            NoSample { number } => format!(
                "there is no sample {number}; `jicha sample list` shows the numbers (CY-YYYYMMDD-NNN)"
            ),
            EmptyPopulation { basis } => format!(
                "nothing to sample: {basis} has no open finding in that unit"
            ),
        }
    }

    fn zh(&self) -> String {
        use CampaignWrong::*;
        match self {
            NoCampaign { number } => format!(
                "没有专项稽查 {number}；`jicha campaign list` 列出全部编号（`ZX-YYYYMMDD-NNN`）"
            ),
            NeedName => "专项稽查需要名称（--name）".into(),
            BadPeriod { from, to } => format!(
                "周期的结束日期（{to}）早于开始日期（{from}）；--from 须不晚于 --to"
            ),
            UnknownRule { rule } => format!("未知的规则 `{rule}`；`jicha rules list` 列出全部规则编号"),
            UnknownCategory { given } => format!(
                "未知的用户类别 `{given}`；可用 `resident`（居民生活）、`commercial`（一般工商业）、`large_industry`（大工业）、`agriculture`（农业生产）"
            ),
            UnknownOwner { login } => format!(
                "`{login}` 不是操作员；`jicha operator list` 列出全部操作员（不写 --owner 则为你本人）"
            ),
            Closed { number } => format!("专项稽查 {number} 已结束"),
            OutsideScope { number, findings } => format!(
                "异常 {} 不属于专项稽查 {number}（其规则、单位、用户类别和周期）；`jicha campaign show {number}` 显示其范围",
                join(findings)
            ),
            BadRatio { given } => format!(
                "抽检比例须大于 0 且不超过 1（0.1 即 10%），而不是 `{given}`"
            ),
            NeedBasis => "--rule 与 --campaign 须且只须给出一个".into(),
            NoSample { number } => format!(
                "没有抽检 {number}；`jicha sample list` 列出全部编号（`CY-YYYYMMDD-NNN`）"
            ),
            EmptyPopulation { basis } => format!("无可抽检对象：{basis} 在该单位没有未关闭的异常"),
        }
    }
}

fn join(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

crate::sentence_kinds! {
    /// What a campaign or sampling action did.
    #[derive(Debug, Clone, PartialEq)]
    pub enum CampaignDone {
        Created { number: String, name: String, findings: usize },
        Closed { number: String },
        Spread { number: String, rule: String, finding: i64, findings: usize },
        SampleDrawn { number: String, population: usize, drawn: usize, seed: String },
        SampleNotInspected { ids: Vec<i64> },
    }
}

impl Default for CampaignDone {
    fn default() -> Self {
        CampaignDone::Closed {
            number: String::new(),
        }
    }
}

impl CampaignDone {
    pub fn text(&self, lang: Lang) -> String {
        use CampaignDone::*;
        match (self, lang) {
            (Created { number, name, findings }, Lang::En) => {
                format!("campaign {number} “{name}” opened: {findings} finding(s) in its scope now")
            }
            (Created { number, name, findings }, Lang::Zh) => {
                format!("已创建专项稽查 {number}“{name}”：目前范围内异常 {findings} 条")
            }
            (Closed { number }, Lang::En) => format!("campaign {number} closed"),
            (Closed { number }, Lang::Zh) => format!("专项稽查 {number} 已结束"),
            (Spread { number, rule, finding, findings }, Lang::En) => format!(
                "campaign {number} spreads rule {rule} of finding {finding} to every unit: {findings} finding(s) in its scope now"
            ),
            (Spread { number, rule, finding, findings }, Lang::Zh) => format!(
                "举一反三：已将异常 {finding} 的规则 {rule} 推广到全部单位，专项稽查 {number}，目前范围内异常 {findings} 条"
            ),
            (SampleDrawn { number, population, drawn, seed }, Lang::En) => format!(
                "sample {number}: {drawn} of {population} drawn (seed {seed})"
            ),
            (SampleDrawn { number, population, drawn, seed }, Lang::Zh) => format!(
                "抽检 {number}：自 {population} 个对象中抽取 {drawn} 个（种子 {seed}）"
            ),
            (SampleNotInspected { ids }, Lang::En) => format!(
                "not put on an inspection (whitelisted or already planned): finding(s) {}",
                join(ids)
            ),
            (SampleNotInspected { ids }, Lang::Zh) => format!(
                "未列入现场稽查（已在白名单或已有计划中的稽查）：异常 {}",
                join(ids)
            ),
        }
    }
}

crate::bilingual_messages! {
    /// Labels of campaign and sample lists, their show pages and the campaign report.
    pub enum CampWord {
        Number => "Number", "编号";
        Name => "Name", "名称";
        Kind => "Kind", "类型";
        Method => "Method", "方式";
        Rules => "Rules", "规则";
        Units => "Units", "单位";
        Categories => "Customer categories", "用户类别";
        Period => "Period", "周期";
        Owner => "Owner", "负责人";
        State => "State", "状态";
        Open => "open", "进行中";
        ClosedWord => "closed", "已结束";
        CreatedBy => "Created by", "创建人";
        CreatedOn => "Created on", "创建日期";
        ClosedOn => "Closed on", "结束日期";
        SourceFinding => "Spread from finding", "举一反三来源异常";
        All => "all", "全部";
        Tickets => "Tickets", "工单";
        Unit => "Unit", "单位";
        Due => "To check", "应查";
        Checked => "Checked", "实查";
        Confirmed => "Confirmed", "属实";
        Rectified => "Rectified", "已整改";
        CheckedRate => "Checked %", "实查率";
        ConfirmedRate => "Confirmed %", "属实率";
        RectifiedRate => "Rectified %", "整改率";
        Total => "Total", "合计";
        ReportTitle => "Audit campaign report", "专项稽查报告";
        Definition => "Campaign", "专项稽查";
        ResultsTitle => "To check, checked and results per unit", "各单位应查、实查及稽查结果";
        Footnote => "To check: findings in the campaign's scope (rules, units with their subtrees, customer categories) seen during its period. Checked: triaged (status other than new) or on a ticket. Confirmed: confirmed, ticketed, closed as rectified, or on a ticket not cancelled (closed as false positive or no action without one: not a problem). Rectified: closed as rectified, or its latest ticket approved or archived (unless the finding came back). A unit's figures are its subtree's.", "应查：周期内发现、且在专项范围（规则、单位及其下级、用户类别）内的异常。实查：已处理（状态不为新发现）或已派单。属实：确认异常、已派单、以整改完成关闭，或在未取消的工单上（未派单而以误报或无需处理关闭者不属实）。已整改：以整改完成关闭，或其最近一张工单已审核通过或归档（异常复发者除外）。各单位数字含其下级单位。";
        NoCampaigns => "No campaign.", "没有专项稽查。";
        AsOf => "As of", "统计日期";
        Sample => "Sample", "抽检";
        Basis => "Drawn from", "抽样对象";
        Of => "Of", "抽样单元";
        Ratio => "Ratio", "抽检比例";
        Seed => "Seed", "随机种子";
        Population => "Population", "总体数量";
        PopulationSha => "Population SHA-256", "总体 SHA-256";
        Drawn => "Drawn", "抽中数量";
        DrawnBy => "Drawn by", "抽样人";
        DrawnOn => "Drawn on", "抽样日期";
        Station => "Station", "供电所";
        Item => "Item", "对象";
        NoSamples => "No sample.", "没有抽检。";
        SpreadAsk => "Spread rule {rule} of finding #{id} to every unit as a special campaign?", "举一反三：以异常 #{id} 的规则 {rule} 对全部单位开展专项稽查？";
        FormSample => "Sample (抽检)", "抽检";
        FieldRatio => "Ratio per station (above 0, at most 1)", "每个供电所抽检比例（大于 0，不超过 1）";
        FieldSeed => "Seed (empty: chosen for you)", "随机种子（留空则自动选取）";
        FieldUnit => "Unit (empty: every unit)", "单位（留空为全部单位）";
        FieldOf => "Draw: findings or customers", "抽样单元：异常 或 用户";
        FieldInspectors => "Inspectors, comma-separated (empty: sample only)", "稽查人员，逗号分隔（留空则只抽样）";
        FieldPlanned => "Planned date (YYYY-MM-DD)", "计划日期（YYYY-MM-DD）";
        FieldMethod => "Method: onsite, phone, records", "方式：现场、电话、资料核查";
        BadRatioField => "The ratio is a number above 0 and at most 1 (0.1 for 10%).", "抽检比例须为大于 0 且不超过 1 的数（10% 写作 0.1）。";
        BadSeed => "The seed is a whole number 0 or more, or empty.", "随机种子须为不小于 0 的整数，或留空。";
        BadOf => "Draw findings or customers.", "抽样单元须为 异常 或 用户。";
        BadPlanned => "Give the planned date as YYYY-MM-DD.", "计划日期格式为 YYYY-MM-DD。";
        BadMethod => "The method is onsite, phone or records (现场、电话、资料核查).", "方式须为 现场、电话 或 资料核查。";
    }
}
