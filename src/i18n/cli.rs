//! The command line's own words in both languages: table headers, labels of `show`, scan and
//! import summaries, `log verify` report lines. Data (names, evidence, notes) is never
//! translated. A template names its values `{like_this}`; [`fill`] puts them in.
//! CSV headers and JSON keys are not here: they stay stable English identifiers for programs.

use crate::bilingual_messages;
use crate::context::Lang;

bilingual_messages!(
    pub enum Col {
        Id => "id", "编号";
        Rule => "rule", "规则";
        CustNo => "cust_no", "户号";
        Name => "name", "户名";
        Subject => "subject", "对象";
        Status => "status", "状态";
        Sev => "sev", "严重度";
        Lvl => "lvl", "等级";
        LastSeen => "last_seen", "最近发现";
        Amount => "amount", "金额(元)";
        Evidence => "evidence", "依据";
        State => "state", "状态";
        StartsOn => "starts_on", "生效日";
        ExpiresOn => "expires_on", "到期日";
        Author => "author", "申请人";
        Reason => "reason", "理由";
        Number => "number", "工单号";
        Unit => "unit", "责任单位";
        IssuedOn => "issued_on", "派发日";
        DueOn => "due_on", "整改期限";
        Overdue => "overdue", "超期";
        Findings => "findings", "异常数";
        Requirement => "requirement", "工作要求";
        Threshold => "name", "参数";
        Value => "value", "当前值";
        Default => "default", "默认值";
        Rules => "rules", "适用规则";
        About => "about", "说明";
        Login => "login", "登录名";
        Role => "role", "角色";
        PersonName => "name", "姓名";
        AddedAt => "added_at", "添加时间";
        AddedBy => "added_by", "添加人";
        Seq => "seq", "序号";
        AtUtc => "at_utc", "时间(UTC)";
        Date => "date", "业务日期";
        Operator => "operator", "操作员";
        Action => "action", "操作";
        Target => "target", "对象";
        Details => "details", "详情";
        Hits => "hits", "命中";
        New => "new", "新发现";
        Again => "again", "再次命中";
        Cleared => "cleared", "已更正";
        Reopened => "reopened", "重新打开";
        Suppressed => "suppressed", "白名单屏蔽";
        File => "file", "文件";
        Rows => "rows", "行数";
        Inserted => "new", "新增";
        Updated => "updated", "更新";
        RuleName => "name", "名称";
        Category => "category", "类别";
        Source => "source", "来源";
        Version => "version", "版本";
        Enabled => "enabled", "启用";
        Checks => "checks", "检查内容";
        OperatorUnit => "unit", "所属单位";
    }
);

bilingual_messages!(
    pub enum Msg {
        FindingsCount => "({n} findings)", "（共 {n} 条异常）";
        TicketsCount => "({n} tickets)", "（共 {n} 张工单）";
        EntriesCount => "({n} entries)", "（共 {n} 条白名单）";
        OverdueMark => "OVERDUE", "超期";
        WhitelistedMark => "(wl)", "（白名单）";
        Total => "total", "合计";
        ScanHead => "scan {id} as of {as_of} (business date {date})",
            "第 {id} 次扫描，数据日期 {as_of}（业务日期 {date}）";
        ScanTotals => "{hits} hits: {new} new, {again} again ({again_closed} on closed findings, left closed), {cleared} cleared, {reopened} reopened, {suppressed} suppressed",
            "命中 {hits} 条：新发现 {new} 条，再次命中 {again} 条（其中 {again_closed} 条已关闭，保持关闭），已更正 {cleared} 条，重新打开 {reopened} 条，白名单屏蔽 {suppressed} 条";
        UiScanDone => "scan {id}: {hits} hits, {new} new, {reopened} recurred, {cleared} cleared, {suppressed} suppressed",
            "第 {id} 次扫描：命中 {hits} 条，新发现 {new} 条，复发 {reopened} 条，已更正 {cleared} 条，白名单屏蔽 {suppressed} 条";
        ImportHead => "import {id} from {dir}", "第 {id} 次导入，来源 {dir}";
        ImportFileRow => "{rows} rows  {new} new  {updated} updated", "{rows} 行  新增 {new}  更新 {updated}";
        OneWarning => "1 warning:", "警告 1 条：";
        Warnings => "{n} warnings:", "警告 {n} 条：";
        FindingHead => "finding", "异常";
        Version => "version", "版本";
        Checks => "checks:", "检查内容：";
        StatusLabel => "status:", "状态：";
        WhitelistedFlag => "[whitelisted]", "［白名单］";
        RecurredFlag => "[recurred]", "［复发］";
        SubjectLabel => "subject:", "对象：";
        SeenLabel => "seen:", "发现期间：";
        EvidenceLabel => "evidence:", "依据：";
        AtStakeLabel => "at stake:", "涉及金额：";
        CustomerHead => "customer", "用户";
        MeterHead => "meter", "电能表";
        VerifiedLabel => "verified", "检定日期";
        NoteHead => "note", "备注";
        LogHead => "log", "日志";
        TicketHead => "ticket", "工单";
        UnitLabel => "unit:", "责任单位：";
        PersonLabel => "person:", "责任人：";
        IssuedLine => "issued {issued} by {by}, due {due}", "{issued} 由 {by} 派发，整改期限 {due}";
        RequirementLabel => "requirement:", "工作要求：";
        CauseLabel => "cause:", "原因分析：";
        MeasuresLabel => "measures:", "整改措施：";
        RecoveredLabel => "recovered:", "追补电费：";
        FindingsLabel => "findings:", "异常：";
        HistoryLabel => "history:", "处理记录：";
        LogVerified => "action log verified: {n} records, chain intact, anchor file agrees{witnessed}; latest hash {hash}",
            "操作日志校验通过：共 {n} 条记录，哈希链完整，锚点文件一致{witnessed}；最新哈希 {hash}";
        EveryRecordWitnessed => ", every record witnessed", "，每条记录均有见证";
        StateVerified => "state verified: {rows} audited rows agree with the state ledger, {sources} source tables with their sealed digests",
            "数据状态校验通过：{rows} 行受审计数据与状态台账一致，{sources} 张源数据表与其封存摘要一致";
        StatePrefix => "state: ", "数据状态：";
        LogNotVerified => "action log NOT verified ({n} records read), {count} problem(s):",
            "操作日志校验未通过（已读 {n} 条记录），发现 {count} 个问题：";
        Reanchored => "the log anchor was re-established at record {seq} (a log.reanchor record); `jicha log verify` now vouches for the log from there on, the witness for before",
            "日志锚点已在第 {seq} 条记录处重建（记为 log.reanchor）；此后的日志由 `jicha log verify` 担保，此前的由见证日志担保";
        CreatedDataset => "created dataset {path} (admin: {admin})", "已创建数据集 {path}（管理员：{admin}）";
        BuildingDemo => "first run: building the demo dataset {path} …", "首次运行：正在生成演示数据集 {path} …";
        UiOptionsNeedUi => "{option} applies to the terminal UI only (`jicha` with no subcommand)",
            "{option} 只用于终端界面（不带子命令的 `jicha`）";
        DefaultList => "(list)", "（列表）";
        ManWritten => "{n} manual pages written to {dir}", "已写出 {n} 个手册页到 {dir}";
        BuiltIn => "built-in", "内置";
        SiteSource => "site", "自定义";
        Yes => "yes", "是";
        No => "no", "否";
        RemovedMark => "removed", "已删除";
        TrialHits => "{id}: {n} hit(s) as of {as_of}", "{id}：截至 {as_of} 命中 {n} 条";
        FirstHits => "first {n}:", "前 {n} 条：";
        RuleParam => "parameter {name} = {value}", "参数 {name} = {value}";
        SiteParamAbout => "parameter of site rule {rule}", "自定义规则 {rule} 的参数";
        DemoFileRows => "{file} {n} rows", "{file} {n} 行";
        DemoPlanted => "planted findings, for a scan as of any day in {month} (default thresholds):",
            "植入的异常（默认阈值，数据日期取 {month} 内任一天扫描）：";
        DemoNearMisses => "near misses {n}", "临界未命中 {n}";
        DemoLevel => "level {level}: {n}", "{level} 级：{n}";
        DemoThfLevels => "THF-01 by level: {levels}", "THF-01 按等级：{levels}";
        TicketSubmittedLine => "submitted {on} by {by}", "{on} 由 {by} 提交整改";
        TicketFirstReviewLine => "first review passed {on} by {by}; waiting for the audit centre",
            "{on} 由 {by} 初审通过，待稽查中心复核";
        TicketApprovedLine => "approved {on} by {by}", "{on} 由 {by} 审核通过";
        TicketArchivedLine => "archived {on} by {by}; read-only", "{on} 由 {by} 归档，只读";
        ScanKindFull => "full scan: all {n} customers judged", "全量扫描：判断全部 {n} 户客户";
        ScanKindIncremental => "incremental scan: {n} customers changed since the last scan re-judged, the others' hits carried over",
            "增量扫描：重新判断上次扫描以来数据有变化的 {n} 户客户，其余客户沿用上次的命中结果";
    }
);

/// `template` with each `{name}` replaced by its value, in one pass (a value that contains
/// `{name}` text is not expanded again); an unknown `{name}` is kept as it is.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            values
                .iter()
                .find(|(n, _)| *n == &after[..close])
                .map(|v| (close, v.1))
        });
        match value {
            Some((close, v)) => {
                out.push_str(&v.to_string());
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A message in `lang` with its values filled in.
pub fn say(lang: Lang, m: Msg, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    fill(m.text(lang), values)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ASCII words a Chinese message may keep: names of commands, files and identifiers, units.
    const ALLOWED_IN_ZH: &[&str] = &["UTC", "jicha", "log", "verify", "reanchor", "THF"];

    fn placeholders(s: &str) -> Vec<String> {
        let mut v: Vec<String> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_string()))
            .collect();
        v.sort();
        v
    }

    /// The ASCII words of `s` outside `{placeholders}` and `backquoted` commands.
    fn ascii_words(s: &str) -> Vec<String> {
        let mut plain = String::new();
        let (mut in_ph, mut in_code) = (false, false);
        for c in s.chars() {
            match c {
                '{' => in_ph = true,
                '}' => in_ph = false,
                '`' => in_code = !in_code,
                c if !in_ph && !in_code => plain.push(c),
                _ => {}
            }
        }
        plain
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn check(en: &str, zh: &str) {
        assert_eq!(placeholders(en), placeholders(zh), "{en} / {zh}");
        for w in ascii_words(zh) {
            assert!(
                ALLOWED_IN_ZH.contains(&w.as_str()),
                "untranslated `{w}` in the Chinese text {zh:?}"
            );
        }
    }

    #[test]
    fn every_cli_word_has_a_chinese_text() {
        for m in Msg::ALL {
            check(m.text(Lang::En), m.text(Lang::Zh));
        }
        for c in Col::ALL {
            check(c.text(Lang::En), c.text(Lang::Zh));
        }
    }

    #[test]
    fn the_check_catches_english_left_in_chinese() {
        let caught = std::panic::catch_unwind(|| check("{n} hits", "{n} hits"));
        assert!(caught.is_err());
        let caught = std::panic::catch_unwind(|| check("{n} hits", "命中 {m} 条"));
        assert!(caught.is_err());
    }

    #[test]
    fn fill_expands_each_placeholder_once() {
        let dir = "/data/{id}";
        assert_eq!(
            fill("import {id} from {dir} {x}", &[("id", &7), ("dir", &dir)]),
            "import 7 from /data/{id} {x}"
        );
    }

    #[test]
    fn fill_puts_the_values_in() {
        assert_eq!(
            say(Lang::Zh, Msg::TicketsCount, &[("n", &3)]),
            "（共 3 张工单）"
        );
    }
}
