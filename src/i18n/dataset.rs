//! What is wrong with the dataset file itself (missing, not a dataset, newer schema, disk
//! full, not writable), in both languages. Paths, and the OS's or SQLite's own words in
//! `why`, are shown as they are.

use crate::context::Lang;

crate::sentence_kinds! {
    #[derive(Debug, Clone, PartialEq)]
    pub enum DatasetWrong {
        NoSuchDataset { path: String },
        IsDirectory { path: String },
        CannotReach { path: String, why: String },
        NeedsUpgrade { path: String },
        AlreadyExists { path: String },
        EmptyFile { path: String },
        NotSqlite { path: String },
        Foreign { path: String, application_id: u32 },
        NewerSchema { version: i64, known: i64 },
        NotADataset { path: String, why: String },
        CannotOpen { path: String, why: String },
        DiskFull { dir: String },
        /// `what`: the OS's or SQLite's words; `doing`: the step, in the program's English.
        DiskIo { dir: String, what: String, doing: String },
        Busy { path: String, seconds: u64, doing: String },
        /// A reader who may not create `shm` while `wal` holds changes.
        WalInUse { path: String, wal: String, shm: String },
        /// `mode`: the journal mode SQLite answered instead of WAL.
        NoWal { path: String, mode: String },
        /// `owner`: the file's mode bits, owner uid and group gid, when they could be read.
        NotWritable { path: String, owner: Option<(u32, u32, u32)> },
        /// The backup and the action log's anchor (`crate::i18n::backup`).
        Backup { wrong: super::backup::BackupWrong },
        /// The facts file (`<dataset>.facts`, the imported export) beside the dataset is gone.
        FactsMissing { path: String, facts: String },
        /// `facts` is not the facts file of the dataset at `path` (another dataset's, or no
        /// jicha facts file at all).
        FactsForeign { path: String, facts: String },
    }
}

impl std::fmt::Display for DatasetWrong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

const GIVE_A_DATASET: &str = "Give the path of a dataset made by `jicha import`";
const GIVE_A_DATASET_ZH: &str = "请给出由 `jicha import` 生成的数据集的路径";

impl DatasetWrong {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use DatasetWrong::*;
        match self {
            NoSuchDataset { path } => {
                format!("{path}: no such dataset; create one with `jicha --db {path} import DIR`")
            }
            IsDirectory { path } => format!(
                "{path}: is a directory, not a jicha dataset; give the path of a dataset made by `jicha import`"
            ),
            CannotReach { path, why } => format!(
                "{path}: cannot reach the dataset ({why}); ask its admin to add you to the group that shares its directory"
            ),
            NeedsUpgrade { path } => format!(
                "{path}: this dataset needs a schema upgrade, which needs write access; ask someone who may write it to run any jicha command on it once"
            ),
            AlreadyExists { path } => format!("{path}: already exists; not overwriting it"),
            EmptyFile { path } => format!(
                "{path}: is an empty file, not a jicha dataset; nothing was changed. {GIVE_A_DATASET} (or remove the empty file and import there)"
            ),
            NotSqlite { path } => format!(
                "{path}: not a jicha dataset (not an SQLite file); nothing was changed. {GIVE_A_DATASET}"
            ),
            Foreign { path, application_id } => format!(
                "{path}: this is an SQLite file but not a jicha dataset (application id {application_id:#x}); nothing was changed. {GIVE_A_DATASET}"
            ),
            NewerSchema { version, known } => format!(
                "this dataset has schema version {version}, made by a newer jicha; this jicha knows up to version {known}: upgrade jicha to open it"
            ),
            NotADataset { path, why } => format!(
                "{path}: not a jicha dataset, or the file is damaged ({why}); give the path of a dataset made by `jicha import`"
            ),
            CannotOpen { path, why } => format!(
                "{path}: cannot open the dataset ({why}); check the permissions of the file, of its -wal and -shm files and of its directory"
            ),
            DiskFull { dir } => format!(
                "the disk holding {dir} is full; nothing was written (free space and retry)"
            ),
            DiskIo { dir, what, doing } => format!(
                "the disk holding {dir} reported an I/O error ({what}) while {doing}; nothing was written (check the disk, e.g. `dmesg`, and retry)"
            ),
            Busy { path, seconds, doing } => format!(
                "{path}: the dataset stayed busy for {seconds} s while {doing}: another operator is running a long write (an import or a scan); nothing was changed, try again when it has finished"
            ),
            WalInUse { path, wal, shm } => format!(
                "{path}: cannot read the dataset while another operator's changes are still in {wal}: you may not create {shm} in its directory; ask its admin to give your group write access to the directory, or try again when nobody is writing"
            ),
            NoWal { path, mode } => format!(
                "{path}: could not switch the dataset to WAL mode (got {mode}); is the directory writable?"
            ),
            NotWritable { path, owner } => {
                let how = owner
                    .map(|(mode, uid, gid)| {
                        format!("mode {mode:o}, owner uid {uid}, group gid {gid}")
                    })
                    .unwrap_or_default();
                format!(
                    "{path}: you can read this dataset but not change it: the file is not writable for you ({how}); nothing was changed. Ask its admin to make it group-writable (chmod 660) for your group"
                )
            }
            Backup { wrong } => wrong.text(Lang::En),
            FactsMissing { path, facts } => format!(
                "{path}: its facts file {facts} (the imported export) is missing; nothing was changed. Put the {facts} that belongs with this dataset back beside it (restore both files of the same backup), never one from another dataset"
            ),
            FactsForeign { path, facts } => format!(
                "{path}: {facts} is not this dataset's facts file (it belongs to another dataset, or is no jicha facts file); nothing was changed. Put back the {facts} made with this dataset (restore both files of the same backup)"
            ),
        }
    }

    fn zh(&self) -> String {
        use DatasetWrong::*;
        match self {
            NoSuchDataset { path } => {
                format!("{path}：没有这个数据集；可用 `jicha --db {path} import DIR` 创建")
            }
            IsDirectory { path } => {
                format!("{path}：是目录，不是 jicha 数据集；{GIVE_A_DATASET_ZH}")
            }
            CannotReach { path, why } => format!(
                "{path}：无法访问数据集（{why}）；请数据集管理员把你加入共享其目录的用户组"
            ),
            NeedsUpgrade { path } => format!(
                "{path}：该数据集需要升级表结构，这需要写权限；请有写权限的人在其上运行一次任意 jicha 命令"
            ),
            AlreadyExists { path } => format!("{path}：已存在；不会覆盖"),
            EmptyFile { path } => format!(
                "{path}：是空文件，不是 jicha 数据集；未做任何更改。{GIVE_A_DATASET_ZH}（或删除该空文件后在此导入）"
            ),
            NotSqlite { path } => format!(
                "{path}：不是 jicha 数据集（不是 SQLite 文件）；未做任何更改。{GIVE_A_DATASET_ZH}"
            ),
            Foreign { path, application_id } => format!(
                "{path}：这是 SQLite 文件，但不是 jicha 数据集（应用标识 {application_id:#x}）；未做任何更改。{GIVE_A_DATASET_ZH}"
            ),
            NewerSchema { version, known } => format!(
                "该数据集的表结构版本为 {version}，由更新版本的 jicha 生成；本 jicha 只支持到版本 {known}：请升级 jicha 后再打开"
            ),
            NotADataset { path, why } => format!(
                "{path}：不是 jicha 数据集，或文件已损坏（{why}）；{GIVE_A_DATASET_ZH}"
            ),
            CannotOpen { path, why } => format!(
                "{path}：无法打开数据集（{why}）；请检查该文件、其 `-wal` 和 `-shm` 文件及其所在目录的权限"
            ),
            DiskFull { dir } => {
                format!("存放 {dir} 的磁盘已满；未写入任何内容（请释放空间后重试）")
            }
            DiskIo { dir, what, .. } => format!(
                "存放 {dir} 的磁盘报告了读写错误（{what}）；未写入任何内容（请检查磁盘，如 `dmesg`，然后重试）"
            ),
            // `doing` is the program's own English word for the step; the sentence stands without it.
            Busy { path, seconds, .. } => format!(
                "{path}：数据集在 {seconds} 秒内一直繁忙：另一位操作员正在进行耗时的写入（导入或扫描）；未做任何更改，请在其完成后重试"
            ),
            WalInUse { path, wal, shm } => format!(
                "{path}：另一位操作员的更改仍在 {wal} 中，此时无法读取数据集：你无权在其目录中创建 {shm}；请数据集管理员给你的用户组该目录的写权限，或在无人写入时重试"
            ),
            NoWal { path, mode } => format!(
                "{path}：无法把数据集切换到 WAL 模式（得到的是 {mode}）；该目录是否可写？"
            ),
            NotWritable { path, owner } => {
                let how = owner
                    .map(|(mode, uid, gid)| {
                        format!("（权限 {mode:o}，属主 uid {uid}，属组 gid {gid}）")
                    })
                    .unwrap_or_default();
                format!(
                    "{path}：你可以读取该数据集，但不能修改：该文件对你不可写{how}；未做任何更改。请数据集管理员为你的用户组设置组可写（`chmod 660`）"
                )
            }
            Backup { wrong } => wrong.text(Lang::Zh),
            FactsMissing { path, facts } => format!(
                "{path}：其事实文件 {facts}（导入的档案数据）不见了；未做任何更改。请把属于该数据集的 {facts} 放回其旁边（从同一份备份中恢复这两个文件），不可使用其他数据集的"
            ),
            FactsForeign { path, facts } => format!(
                "{path}：{facts} 不是该数据集的事实文件（属于另一个数据集，或不是 jicha 事实文件）；未做任何更改。请放回与该数据集一同生成的 {facts}（从同一份备份中恢复这两个文件）"
            ),
        }
    }
}
