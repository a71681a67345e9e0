//! What `jicha log verify` and `jicha backup --verify` find, as values rendered per language:
//! why the chain breaks at a record, the anchor's and the witness's problems and notes. The
//! state check's own sentences are in `state_verify`. `Display` is the English text.

use super::backup::AnchorProblem;
use super::state_verify::{StateNote, StateProblem};
use crate::context::Lang;

/// At most this many examples of each kind of witness problem are named; the rest are counted.
pub const EXAMPLES: usize = 5;

crate::sentence_kinds! {
    /// Why a record breaks the chain.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum ChainBreak {
        /// Records were removed or renumbered: `expected` is missing, `found` comes next.
        Missing { expected: i64, found: i64 },
        OutOfPlace { seq: i64, expected: i64 },
        LinkDiffers,
        HashDiffers,
        SeqNotInteger,
        /// `field`: the column's name in the log table.
        FieldNotText { field: String },
    }
}

crate::sentence_kinds! {
    /// What the witness export shows against the chain.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum WitnessProblem {
        /// `lines`: line numbers in the export.
        UnreadableLines { lines: Vec<u64> },
        /// `others`: the datasets the export does hold heads of, with their count.
        NoLineForDataset { dataset: String, others: Vec<(String, usize)> },
        Truncated { log_end: i64, top: i64 },
        Differs { records: Vec<u64> },
        Missing { records: Vec<u64> },
        /// `gaps`: ranges of records no commit witnessed.
        NeverWitnessed { gaps: Vec<(i64, i64)> },
        NotYetWitnessed { top: i64, log_end: i64 },
        NoDatasetId,
    }
}

crate::sentence_kinds! {
    /// One problem `log verify` reports; any one fails the verification.
    #[derive(Debug, Clone, PartialEq)]
    pub enum LogProblem {
        Broken { seq: i64, why: ChainBreak, records: u64 },
        Anchor { problem: AnchorProblem },
        /// The anchor's `since` names a record that is not a re-anchoring.
        ForgedSince { since: i64 },
        Witness { problem: WitnessProblem },
        State { problem: StateProblem },
        /// An inspection's attachment gone from the store (`missing`) or replaced.
        Attachment { inspection: String, file_name: String, sha256: String, missing: bool },
    }
}

crate::sentence_kinds! {
    /// What `log verify` says even when it passes.
    #[derive(Debug, Clone, PartialEq)]
    pub enum LogNote {
        Reanchored { since: i64, who: String, at: String, reason: String },
        Witnessed { lines: usize, top: i64 },
        State { note: StateNote },
    }
}

macro_rules! english_display {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.text(Lang::En))
            }
        }
    )*};
}
english_display!(ChainBreak, WitnessProblem, LogProblem, LogNote);

macro_rules! default_to {
    ($($t:ty => $v:expr),*) => {$(
        #[allow(clippy::derivable_impls)] // the enum comes from `sentence_kinds!`, whose variants take no attributes
        impl Default for $t {
            fn default() -> Self {
                $v
            }
        }
    )*};
}
default_to!(
    ChainBreak => ChainBreak::HashDiffers,
    WitnessProblem => WitnessProblem::NoDatasetId
);

/// `a–b`, or `a` for one record.
fn span(a: i64, b: i64) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}–{b}")
    }
}

/// The first `EXAMPLES` items and how many more.
fn examples<T>(v: &[T], show: impl Fn(&T) -> String, sep: &str) -> (String, usize) {
    let shown: Vec<String> = v.iter().take(EXAMPLES).map(show).collect();
    (shown.join(sep), v.len().saturating_sub(EXAMPLES))
}

fn list(v: &[u64], lang: Lang) -> String {
    let (shown, more) = examples(v, u64::to_string, ", ");
    match (more, lang) {
        (0, _) => shown,
        (m, Lang::En) => format!("{shown} and {m} more"),
        (m, Lang::Zh) => format!("{shown} 等（另有 {m} 条）"),
    }
}

impl ChainBreak {
    pub fn text(&self, lang: Lang) -> String {
        use ChainBreak::*;
        match (self, lang) {
            (Missing { expected, found }, Lang::En) => format!(
                "record {expected} is missing: the sequence jumps from {} to {found}",
                expected - 1
            ),
            (Missing { expected, found }, Lang::Zh) => format!(
                "第 {expected} 条记录不见了：序号从 {} 跳到 {found}",
                expected - 1
            ),
            (OutOfPlace { seq, expected }, Lang::En) => format!(
                "sequence number {seq} is out of place: record {expected} was expected"
            ),
            (OutOfPlace { seq, expected }, Lang::Zh) => {
                format!("序号 {seq} 位置不对：此处应为第 {expected} 条记录")
            }
            (LinkDiffers, Lang::En) => "its link to the previous record does not match: a record before it was changed, removed or swapped".into(),
            (LinkDiffers, Lang::Zh) => "它与前一条记录的链接不符：它之前的某条记录被修改、删除或调换".into(),
            (HashDiffers, Lang::En) => "its content does not match its hash: the record was edited".into(),
            (HashDiffers, Lang::Zh) => "它的内容与其哈希不符：该记录被编辑过".into(),
            (SeqNotInteger, Lang::En) => "its sequence number is not an integer".into(),
            (SeqNotInteger, Lang::Zh) => "它的序号不是整数".into(),
            (FieldNotText { field }, Lang::En) => format!(
                "its field {field} is not text as the program writes it: the record was edited"
            ),
            (FieldNotText { field }, Lang::Zh) => format!(
                "它的字段 `{field}` 不是程序写入的文本：该记录被编辑过"
            ),
        }
    }
}

impl WitnessProblem {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use WitnessProblem::*;
        match self {
            UnreadableLines { lines } => format!(
                "{} line(s) carry the jicha log mark but cannot be read (line {}): forged or damaged",
                lines.len(),
                list(lines, Lang::En)
            ),
            NoLineForDataset { dataset, others } => {
                let seen = if others.is_empty() {
                    "it holds no jicha log heads at all".to_string()
                } else {
                    let all: Vec<String> = others.iter().map(|(d, n)| format!("{d} ({n})")).collect();
                    format!("it holds heads of dataset(s) {}", all.join(", "))
                };
                format!("no line for this dataset (id {dataset}); {seen}. Either the export is of the wrong machine or period, or this dataset's id was changed")
            }
            Truncated { log_end, top } => format!(
                "the log ends at record {log_end}, but the witness saw record {top}: record(s) {} were removed (the log was truncated or rolled back)",
                span(log_end + 1, *top)
            ),
            Differs { records } => format!(
                "record {} differs from the hash the witness saw when it was committed: the log was rewritten",
                list(records, Lang::En)
            ),
            Missing { records } => format!(
                "record {}, which the witness saw committed, is missing from the log",
                list(records, Lang::En)
            ),
            NeverWitnessed { gaps } => {
                let (shown, more) = examples(gaps, |&(a, b)| span(a, b), ", ");
                let more = if more > 0 { format!(" and {more} more ranges") } else { String::new() };
                format!("record(s) {shown}{more} were never witnessed although later ones were: they were appended outside jicha, or their writer was killed between its commit and its syslog line; compare them with the journal")
            }
            NotYetWitnessed { top, log_end } => format!(
                "record(s) {} come after the last witnessed record {top}: they are not witnessed (export the journal again; if they are still not there, jicha did not write them)",
                span(top + 1, *log_end)
            ),
            NoDatasetId => "this dataset has no id, so no witness line can be matched to it (it was removed from the dataset's meta table)".into(),
        }
    }

    fn zh(&self) -> String {
        use WitnessProblem::*;
        match self {
            UnreadableLines { lines } => format!(
                "有 {} 行带有 jicha 日志标记却无法读取（第 {} 行）：被伪造或已损坏",
                lines.len(),
                list(lines, Lang::Zh)
            ),
            NoLineForDataset { dataset, others } => {
                let seen = if others.is_empty() {
                    "导出中完全没有 jicha 日志头".to_string()
                } else {
                    let all: Vec<String> = others.iter().map(|(d, n)| format!("{d}（{n} 行）")).collect();
                    format!("导出中只有数据集 {} 的日志头", all.join("、"))
                };
                format!("见证导出中没有本数据集（标识 {dataset}）的行；{seen}。要么导出的机器或时段不对，要么本数据集的标识被改过")
            }
            Truncated { log_end, top } => format!(
                "日志在第 {log_end} 条记录处结束，但见证看到过第 {top} 条：第 {} 条记录已被删除（日志被截断或回滚）",
                span(log_end + 1, *top)
            ),
            Differs { records } => format!(
                "第 {} 条记录与提交时见证看到的哈希不符：日志已被改写",
                list(records, Lang::Zh)
            ),
            Missing { records } => format!(
                "见证看到已提交的第 {} 条记录在日志中不见了",
                list(records, Lang::Zh)
            ),
            NeverWitnessed { gaps } => {
                let (shown, more) = examples(gaps, |&(a, b)| span(a, b), "、");
                let more = if more > 0 { format!(" 等（另有 {more} 段）") } else { String::new() };
                format!("第 {shown}{more} 条记录从未被见证，而其后的记录有见证：它们是在 jicha 之外追加的，或其写入者在提交与写系统日志之间被终止；请与系统日志比对")
            }
            NotYetWitnessed { top, log_end } => format!(
                "第 {} 条记录在最后一条有见证的第 {top} 条之后：尚无见证（请重新导出系统日志；若仍然没有，则它们不是 jicha 写入的）",
                span(top + 1, *log_end)
            ),
            NoDatasetId => "本数据集没有标识，无法与任何见证行对应（标识已从数据集的 `meta` 表中删除）".into(),
        }
    }
}

impl LogProblem {
    pub fn text(&self, lang: Lang) -> String {
        use LogProblem::*;
        match (self, lang) {
            (Broken { seq, why, records }, Lang::En) => format!(
                "action log broken at record {seq}: {} ({records} records read)",
                why.text(lang)
            ),
            (Broken { seq, why, records }, Lang::Zh) => format!(
                "操作日志在第 {seq} 条记录处断裂：{}（已读取 {records} 条记录）",
                why.text(lang)
            ),
            (Anchor { problem }, Lang::En) => format!("log anchor: {}", problem.text(lang)),
            (Anchor { problem }, Lang::Zh) => format!("日志锚点：{}", problem.text(lang)),
            (ForgedSince { since }, Lang::En) => format!(
                "log anchor: the anchor says it was re-established at record {since}, but that record is not a re-anchoring: the anchor file was forged"
            ),
            (ForgedSince { since }, Lang::Zh) => format!(
                "日志锚点：锚点称它在第 {since} 条记录处重新建立，但该记录并不是重新锚定：锚点文件是伪造的"
            ),
            (Witness { problem }, Lang::En) => format!("witness: {}", problem.text(lang)),
            (Witness { problem }, Lang::Zh) => format!("见证：{}", problem.text(lang)),
            (State { problem }, _) => format!(
                "{}{}",
                super::cli::Msg::StatePrefix.text(lang),
                problem.text(lang)
            ),
            (Attachment { inspection, file_name, sha256, missing: true }, Lang::En) => format!(
                "attachment {file_name} of inspection {inspection} is missing from the store (SHA-256 {sha256})"
            ),
            (Attachment { inspection, file_name, sha256, missing: false }, Lang::En) => format!(
                "attachment {file_name} of inspection {inspection} was replaced: its content no longer has the recorded SHA-256 {sha256}"
            ),
            (Attachment { inspection, file_name, sha256, missing: true }, Lang::Zh) => format!(
                "现场稽查 {inspection} 的附件 {file_name} 已从存储中丢失（SHA-256 {sha256}）"
            ),
            (Attachment { inspection, file_name, sha256, missing: false }, Lang::Zh) => format!(
                "现场稽查 {inspection} 的附件 {file_name} 已被替换：其内容与记录的 SHA-256 {sha256} 不符"
            ),
        }
    }
}

impl LogNote {
    pub fn text(&self, lang: Lang) -> String {
        use LogNote::*;
        match (self, lang) {
            (Reanchored { since, who, at, reason }, Lang::En) => format!(
                "the anchor was re-established at record {since} by {who} at {at} (reason: {reason}); before that record only the witness can show a truncation or rewrite"
            ),
            (Reanchored { since, who, at, reason }, Lang::Zh) => format!(
                "锚点已于第 {since} 条记录处由 {who} 在 {at} 重新建立（原因：{reason}）；该记录之前的截断或改写只有见证能够显示"
            ),
            (Witnessed { lines, top }, Lang::En) => format!(
                "witness: {lines} line(s) for this dataset, last witnessed record {top}"
            ),
            (Witnessed { lines, top }, Lang::Zh) => format!(
                "见证：本数据集有 {lines} 行见证，最后一条有见证的记录为第 {top} 条"
            ),
            (State { note }, _) => format!(
                "{}{}",
                super::cli::Msg::StatePrefix.text(lang),
                note.text(lang)
            ),
        }
    }
}
