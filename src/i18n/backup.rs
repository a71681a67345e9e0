//! What `jicha backup` and the action log's anchor refuse, in both languages. Paths (escaped)
//! and the OS's or SQLite's words in `why` are shown as they are.

use crate::context::Lang;

crate::sentence_kinds! {
    #[derive(Debug, Clone, PartialEq)]
    pub enum BackupWrong {
        NoCopyName { dest: String },
        DirUnusable { dest: String, why: String },
        IsTheDataset { dest: String },
        DestIsDirectory { path: String },
        /// DEST and/or DEST.loghead.
        AlreadyExist { names: Vec<String> },
        /// `side`: the copy's -wal, -shm or -journal file.
        CopyOpen { dest: String, side: String },
        NotPlaced { dest: String, logged_as: i64, why: String },
        CannotWriteCopy { dest: String, why: String },
        /// `problem`: why the anchor does not vouch for the log.
        LogNotVouched { problem: AnchorProblem },
        CopyLogMoved,
        CopyLocked,
        NotSingleFile { mode: String },
        /// `problems`: what `log verify` found, in its words.
        NotVerified { dest: String, records: u64, problems: Vec<String> },
        NotDatasetOrBackup { path: String },
        OtherSchema { path: String, version: i64, known: i64 },
        /// A side file of the dataset that is a link, or not a regular file.
        SideFileLink { path: String, symlink: bool },
        WriteNotVouched { problem: AnchorProblem },
        ReanchorReason,
        ChainBroken { seq: i64, why: String },
        AnchorVouches,
        NoIdAfterReanchor,
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `sentence_kinds!`, whose variants take no attributes
impl Default for BackupWrong {
    fn default() -> Self {
        BackupWrong::CopyLocked
    }
}

impl std::fmt::Display for BackupWrong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl BackupWrong {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use BackupWrong::*;
        match self {
            NoCopyName { dest } => format!("{dest}: give the path of the copy to write, e.g. /srv/backup/audit.jicha"),
            DirUnusable { dest, why } => format!("{dest}: its directory cannot be used ({why}); create it first"),
            IsTheDataset { dest } => format!("{dest}: that is the dataset itself or one of its side files; give another path for the copy"),
            DestIsDirectory { path } => format!("{path}: is a directory; give the name of the copy to write inside it"),
            AlreadyExist { names } => {
                let one = names.len() == 1;
                format!(
                    "{} already exist{}; nothing was written. Give a new name, or --force to replace {}",
                    names.join(" and "),
                    if one { "s" } else { "" },
                    if one { "it" } else { "them" }
                )
            }
            CopyOpen { dest, side } => format!("{dest}: the copy there is open or was not closed cleanly ({side} exists), and a new copy under its name would be mixed with it; close what has it open, or give another name"),
            NotPlaced { dest, logged_as, why } => format!("{dest}: the backup was logged (record {logged_as}) but could not be put in place: {why}; nothing is left under that name, run the backup again"),
            CannotWriteCopy { dest, why } => format!("{dest}: cannot write the copy there ({why}); nothing was written. Choose a directory you may write, on a disk with room for the dataset"),
            LogNotVouched { problem } => format!("the action log cannot be vouched for: {}. Nothing was written: a copy would carry an anchor nobody checked. Run `jicha log verify`, and have an admin re-establish the anchor (`jicha log reanchor`) before backing up", problem.text(Lang::En)),
            CopyLogMoved => "the copy's action log does not end where the dataset's did when the backup started; nothing was written. Run the backup again".into(),
            CopyLocked => "the backup stayed locked; nothing was written".into(),
            NotSingleFile { mode } => format!("the copy could not be made a single file (journal mode {mode}); nothing was written"),
            NotVerified { dest, records, problems } => format!(
                "backup NOT verified: {dest} ({records} records read), {} problem(s):\n  - {}",
                problems.len(),
                problems.join("\n  - ")
            ),
            NotDatasetOrBackup { path } => format!("{path}: not a jicha dataset or backup"),
            OtherSchema { path, version, known } => format!("{path}: a backup of schema version {version}; this jicha checks version {known} (restore it and open it with the jicha that made it, or open a copy with this one to upgrade it)"),
            SideFileLink { path, symlink } => format!(
                "{path}: this side file of the dataset is {}; jicha refuses to use a dataset whose side files are links (one could redirect its writes to another file). Nothing was changed. Have the admin remove it and check who planted it",
                if *symlink { "a symbolic link" } else { "not a regular file" }
            ),
            WriteNotVouched { problem } => format!("the action log cannot be vouched for: {}. Nothing was written. Run `jicha log verify` (with `--witness` if the log heads go to syslog); once an admin has checked the log, `jicha log reanchor --reason TEXT` re-establishes the anchor and records that in the log", problem.text(Lang::En)),
            ReanchorReason => "--reason must say why the anchor is re-established (plain text, not empty)".into(),
            ChainBroken { seq, why } => format!("the chain itself is broken at record {seq}: {why}; a new anchor would not repair it. Restore the dataset from a backup and compare it with the witness"),
            AnchorVouches => "the anchor already vouches for the log (a lagging one is moved on by the next write); nothing to re-establish".into(),
            NoIdAfterReanchor => "the dataset has no id after re-anchoring; run it again".into(),
        }
    }

    fn zh(&self) -> String {
        use BackupWrong::*;
        match self {
            NoCopyName { dest } => format!("{dest}：请给出要写入的副本路径，如 `/srv/backup/audit.jicha`"),
            DirUnusable { dest, why } => format!("{dest}：其所在目录无法使用（{why}）；请先创建该目录"),
            IsTheDataset { dest } => format!("{dest}：这是数据集本身或其附属文件；请为副本另给一个路径"),
            DestIsDirectory { path } => format!("{path}：是目录；请给出要在其中写入的副本文件名"),
            AlreadyExist { names } => format!(
                "{} 已存在；未写入任何内容。请换一个新名称，或用 --force 覆盖",
                names.join(" 和 ")
            ),
            CopyOpen { dest, side } => format!("{dest}：该处的副本正被打开或未正常关闭（{side} 存在），同名的新副本会与之混在一起；请关闭打开它的程序，或另给一个名称"),
            NotPlaced { dest, logged_as, why } => format!("{dest}：备份已记入日志（第 {logged_as} 条记录），但无法放到位：{why}；该名称下没有留下任何文件，请重新备份"),
            CannotWriteCopy { dest, why } => format!("{dest}：无法在此写入副本（{why}）；未写入任何内容。请选择你有写权限、且磁盘空间足够容纳数据集的目录"),
            LogNotVouched { problem } => format!("无法担保操作日志的完整性：{}。未写入任何内容：副本会带上一个无人核对过的锚点。请运行 `jicha log verify`，并请管理员在备份前重新建立锚点（`jicha log reanchor`）", problem.text(Lang::Zh)),
            CopyLogMoved => "副本的操作日志与备份开始时数据集的日志结尾不一致；未写入任何内容。请重新备份".into(),
            CopyLocked => "备份一直处于锁定状态；未写入任何内容".into(),
            NotSingleFile { mode } => format!("无法把副本做成单个文件（日志模式为 {mode}）；未写入任何内容"),
            NotVerified { dest, records, problems } => format!(
                "备份未通过核验：{dest}（已读取 {records} 条记录），发现 {} 个问题：\n  - {}",
                problems.len(),
                problems.join("\n  - ")
            ),
            NotDatasetOrBackup { path } => format!("{path}：不是 jicha 数据集或备份"),
            OtherSchema { path, version, known } => format!("{path}：该备份的表结构版本为 {version}；本 jicha 只核验版本 {known}（请恢复后用生成它的 jicha 打开，或用本 jicha 打开其副本以升级）"),
            SideFileLink { path, symlink } => format!(
                "{path}：数据集的这个附属文件{}；jicha 拒绝使用附属文件是链接的数据集（链接可能把写入引向别的文件）。未做任何更改。请管理员删除它并查明是谁放置的",
                if *symlink { "是符号链接" } else { "不是普通文件" }
            ),
            WriteNotVouched { problem } => format!("无法担保操作日志的完整性：{}。未写入任何内容。请运行 `jicha log verify`（若日志头写入了系统日志，加 `--witness`）；管理员核对日志后，`jicha log reanchor --reason TEXT` 会重新建立锚点并记入日志", problem.text(Lang::Zh)),
            ReanchorReason => "--reason 必须说明重新建立锚点的原因（纯文本，不能为空）".into(),
            ChainBroken { seq, why } => format!("哈希链本身在第 {seq} 条记录处断裂：{why}；新的锚点无法修复。请从备份恢复数据集，并与见证记录比对"),
            AnchorVouches => "锚点已能担保该日志（滞后的锚点会在下一次写入时前移）；无需重新建立".into(),
            NoIdAfterReanchor => "重新锚定后数据集没有标识；请再运行一次".into(),
        }
    }
}

/// `jicha backup --verify`'s line for a copy that verifies.
pub fn verified(
    lang: Lang,
    dest: &str,
    records: u64,
    hash: &str,
    rows: u64,
    sources: u64,
) -> String {
    match lang {
        Lang::En => format!(
            "backup verified: {dest}: action log of {records} records, chain intact, anchor file agrees, latest hash {hash}; {rows} audited rows agree with the state ledger, {sources} source tables with their sealed digests"
        ),
        Lang::Zh => format!(
            "备份核验通过：{dest}：操作日志共 {records} 条记录，哈希链完整，锚点文件一致，最新哈希 {hash}；{rows} 行受审计数据与状态台账一致，{sources} 张源数据表与其封存摘要一致"
        ),
    }
}

/// `jicha backup`'s line once the copy is in place.
pub struct Written<'a> {
    pub dest: &'a str,
    pub size: &'a str,
    pub seq: i64,
    pub hash: &'a str,
    pub anchor: &'a str,
    pub logged_as: i64,
}

impl Written<'_> {
    pub fn text(&self, lang: Lang) -> String {
        let Written {
            dest,
            size,
            seq,
            hash,
            anchor,
            logged_as,
        } = self;
        match lang {
            Lang::En => format!(
                "backup written: {dest} ({size}), action log records 1–{seq} (latest hash {hash}) with its anchor {anchor}; logged as record {logged_as}"
            ),
            Lang::Zh => format!(
                "备份已写入：{dest}（{size}），操作日志第 1–{seq} 条记录（最新哈希 {hash}）及其锚点 {anchor}；已记入日志第 {logged_as} 条记录"
            ),
        }
    }
}

crate::sentence_kinds! {
    /// Why the anchor file does not vouch for the action log; `file` is the anchor file.
    #[derive(Debug, Clone, PartialEq)]
    pub enum AnchorProblem {
        Lagging { recorded: i64, head: i64 },
        Missing { file: String, head: i64 },
        Unreadable { file: String, why: String },
        OtherDataset { file: String, anchor: String, ours: String },
        NoId { file: String, anchor: String },
        Truncated { first_gone: i64, recorded: i64 },
        RecordMissing { seq: i64 },
        Differs { seq: i64 },
    }
}

/// Why `anchor::read` could not read the anchor file, in Chinese: its own reasons translated,
/// the OS's words as they are.
fn unreadable_zh(why: &str) -> String {
    if let Some(n) = why
        .strip_prefix("it holds ")
        .and_then(|r| r.strip_suffix(" bytes, not one line"))
    {
        return format!("它有 {n} 字节，不是一行");
    }
    match why {
        "it is a symbolic link" => "它是符号链接".into(),
        "it is not a regular file" => "它不是普通文件".into(),
        "it is not `SEQ HASH dataset=ID since=SEQ`" => {
            "它不是 `SEQ HASH dataset=ID since=SEQ` 的形式".into()
        }
        other => other.to_string(),
    }
}

/// The reasons `anchor::read` gives, for the test that renders them all.
pub const UNREADABLE_REASONS: &[&str] = &[
    "it is a symbolic link",
    "it is not a regular file",
    "it holds 4096 bytes, not one line",
    "it is not `SEQ HASH dataset=ID since=SEQ`",
];

#[allow(clippy::derivable_impls)] // the enum comes from `sentence_kinds!`, whose variants take no attributes
impl Default for AnchorProblem {
    fn default() -> Self {
        AnchorProblem::RecordMissing { seq: 0 }
    }
}

impl AnchorProblem {
    pub fn text(&self, lang: Lang) -> String {
        use AnchorProblem::*;
        match (self, lang) {
            (Lagging { recorded, head }, Lang::En) => format!(
                "the anchor file lags: it records record {recorded} but the log has {head} records; records {}–{head} are not anchored (a writer was killed between its commit and the anchor update, or they were appended outside jicha). The next write moves the anchor on; `jicha log verify --witness FILE` tells the two apart",
                recorded + 1
            ),
            (Lagging { recorded, head }, Lang::Zh) => format!(
                "锚点文件滞后：它记录到第 {recorded} 条，而日志有 {head} 条记录；第 {}–{head} 条未被锚定（某次写入在提交与更新锚点之间被终止，或这些记录是在 jicha 之外追加的）。下一次写入会使锚点前移；`jicha log verify --witness FILE` 可区分这两种情况",
                recorded + 1
            ),
            (Missing { file, head }, Lang::En) => format!(
                "the anchor file {file} is missing although the dataset was anchored and its log has {head} records: truncation or a rewrite of the log cannot be ruled out"
            ),
            (Missing { file, head }, Lang::Zh) => format!(
                "锚点文件 {file} 不见了，而数据集曾被锚定、日志有 {head} 条记录：不能排除日志被截断或改写"
            ),
            (Unreadable { file, why }, Lang::En) => {
                format!("the anchor file {file} is unreadable ({why}): it was damaged or replaced")
            }
            (Unreadable { file, why }, Lang::Zh) => {
                let why = unreadable_zh(why);
                format!("锚点文件 {file} 无法读取（{why}）：它已损坏或被替换")
            }
            (OtherDataset { file, anchor, ours }, Lang::En) => format!(
                "the anchor file {file} belongs to another dataset (id {anchor}; this dataset is {ours}): it was copied or replaced"
            ),
            (OtherDataset { file, anchor, ours }, Lang::Zh) => format!(
                "锚点文件 {file} 属于另一个数据集（标识 {anchor}；本数据集为 {ours}）：它是被复制来的或被替换了"
            ),
            (NoId { file, anchor }, Lang::En) => format!(
                "the anchor file {file} names dataset {anchor}, but this dataset has no id: either its id was removed from the dataset, or the dataset was replaced by a new one (if the old one was deleted on purpose, delete its anchor file too)"
            ),
            (NoId { file, anchor }, Lang::Zh) => format!(
                "锚点文件 {file} 指向数据集 {anchor}，但本数据集没有标识：要么其标识被从数据集中删除，要么数据集被换成了新的（若旧数据集是有意删除的，请一并删除其锚点文件）"
            ),
            (Truncated { first_gone, recorded }, Lang::En) => format!(
                "the log ends before record {first_gone}, but the anchor file recorded record {recorded}: records {first_gone}–{recorded} were removed from its end"
            ),
            (Truncated { first_gone, recorded }, Lang::Zh) => format!(
                "日志在第 {first_gone} 条记录之前结束，但锚点文件记录到第 {recorded} 条：第 {first_gone}–{recorded} 条记录已从末尾被删除"
            ),
            (RecordMissing { seq }, Lang::En) => {
                format!("record {seq}, which the anchor file recorded, is missing from the log")
            }
            (RecordMissing { seq }, Lang::Zh) => {
                format!("锚点文件记录的第 {seq} 条记录在日志中不见了")
            }
            (Differs { seq }, Lang::En) => format!(
                "record {seq} differs from the hash recorded outside the dataset: the log was rewritten"
            ),
            (Differs { seq }, Lang::Zh) => {
                format!("第 {seq} 条记录与数据集之外记录的哈希不符：日志已被改写")
            }
        }
    }
}
