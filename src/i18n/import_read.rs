//! What stops an import reading a file — a record of the wrong shape, bytes that are not
//! text, a damaged gzip stream, a file it may not open — and the export directory's own
//! problems, in both languages. File names, paths and the OS's words are shown as they are.

use crate::context::Lang;

crate::bilingual_messages! {
    /// The record a shape error is about.
    pub enum RecordPart {
        Row => "row", "数据行";
        Header => "header", "表头";
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `bilingual_messages!`, whose variants take no attributes
impl Default for RecordPart {
    fn default() -> Self {
        RecordPart::Row
    }
}

crate::sentence_kinds! {
    /// After `file:line: ` (or `file: ` where no line is known).
    #[derive(Debug, Clone, PartialEq)]
    pub enum ReadProblem {
        /// `file`: the contract file's name.
        TooManyFields { part: RecordPart, limit: usize, file: String },
        /// `limit`: a size such as `16 MiB`.
        TooLong { part: RecordPart, limit: String },
        /// After `column: `.
        FieldTooLong { limit: String },
        UnclosedQuote { part: RecordPart },
        /// `why`: the OS's words.
        CannotRead { why: String },
        /// `byte` is the first bad byte; `after` the text before it, escaped and quoted.
        NotUtf8 { byte: u8, after: String },
        /// `bytes`: `0x81 0x20`; `encoding`: `GB18030`.
        Undecodable { bytes: String, count: usize, encoding: String },
        BadGzip { why: String },
        /// A row's text past the arena's 4 GiB.
        RowTooBig,
    }
}

/// Bytes as an operator reads them: `0x81 0x20`.
pub fn hex_bytes(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().map(|b| format!("0x{b:02X}")).collect();
    shown.join(" ")
}

impl ReadProblem {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use ReadProblem::*;
        match self {
            TooManyFields { part, limit, file } => {
                let what = part.text(Lang::En);
                format!(
                    "the {what} has more than {limit} fields (the limit is {limit}); check that the file is comma-separated and is the data contract's {file}; the rest of the file was not read"
                )
            }
            TooLong { part, limit } => {
                let what = part.text(Lang::En);
                format!(
                    "the {what} starting on this line is longer than {limit} (the limit) — most likely a `\"` opened here is never closed; close the quote or shorten the {what}; the rest of the file was not read"
                )
            }
            FieldTooLong { limit } => {
                format!("the value is longer than {limit} (the limit); shorten it")
            }
            UnclosedQuote { part } => format!(
                "a `\"` in this {} opens a quoted field that is never closed (the file ends inside it); add the closing `\"` (a quote inside a quoted field is written `\"\"`)",
                part.text(Lang::En)
            ),
            CannotRead { why } => format!("cannot be read: {why}"),
            NotUtf8 { byte, after } => format!(
                "not valid UTF-8 (byte 0x{byte:02X} after {after}); save the file as UTF-8 — a spreadsheet's GBK/ANSI export needs converting, or importing with `--encoding gb18030`"
            ),
            Undecodable {
                bytes,
                count,
                encoding,
            } => format!(
                "{bytes} {} not {encoding} text; check that the file was saved as GBK/GB18030, or import it without --encoding when it is UTF-8",
                if *count == 1 { "is" } else { "are" }
            ),
            BadGzip { why } => format!(
                "is not a complete gzip file ({why}); the file is damaged, cut short or not gzip-compressed: compress the CSV file again with `gzip`, or give it uncompressed without `.gz`"
            ),
            RowTooBig => "a row of more than 4 GiB of text cannot be imported".into(),
        }
    }

    fn zh(&self) -> String {
        use ReadProblem::*;
        match self {
            TooManyFields { part, limit, file } => format!(
                "该{}的字段超过 {limit} 个（上限为 {limit}）；请检查文件是否以逗号分隔、是否为数据契约中的 `{file}`；文件其余部分未读取",
                part.text(Lang::Zh)
            ),
            TooLong { part, limit } => {
                let what = part.text(Lang::Zh);
                format!(
                    "从这一行开始的{what}超过 {limit}（上限）——很可能是此处开始的 `\"` 没有闭合；请补上引号或缩短该{what}；文件其余部分未读取"
                )
            }
            FieldTooLong { limit } => format!("该值超过 {limit}（上限）；请缩短"),
            UnclosedQuote { part } => format!(
                "该{}中的 `\"` 开始了一个引号字段，但直到文件结束都没有闭合；请补上闭合的 `\"`（引号字段内的引号写作 `\"\"`）",
                part.text(Lang::Zh)
            ),
            CannotRead { why } => format!("无法读取：{why}"),
            NotUtf8 { byte, after } => format!(
                "不是有效的 UTF-8 编码（{after} 之后的字节 0x{byte:02X}）；请将文件另存为 UTF-8——电子表格导出的 GBK/ANSI 文件需要转换，或用 `--encoding gb18030` 导入"
            ),
            Undecodable {
                bytes, encoding, ..
            } => format!(
                "{bytes} 不是 {encoding} 编码的文字；请确认文件是以 GBK/GB18030 保存的，若文件是 UTF-8 编码则导入时不要加 `--encoding`"
            ),
            BadGzip { why } => format!(
                "不是完整的 gzip 文件（{why}）；文件已损坏、不完整或不是 gzip 压缩的：请用 `gzip` 重新压缩该 CSV 文件，或去掉 `.gz` 直接给出未压缩的文件"
            ),
            RowTooBig => "一行文字超过 4 GiB，无法导入".into(),
        }
    }
}

crate::sentence_kinds! {
    /// What is wrong with the export directory or one of its entries, said in full.
    #[derive(Debug, Clone, PartialEq)]
    pub enum ExportProblem {
        /// `dir`: escaped.
        NotDirectory { dir: String },
        /// `file`: the contract file's name.
        PlainAndGzip { dir: String, file: String },
        /// `kind`: what it is instead, as `fsutil` names it in English (`a directory`, …).
        NotRegular { name: String, kind: String },
        /// `hint`: the contract file its name differs from only in case.
        NotContractFile { name: String, hint: Option<String> },
        NoCustomers { dir: String },
        /// `… and N more errors` / `warnings`.
        MoreErrors { n: u64 },
        MoreWarnings { n: u64 },
        /// A field that is no column of the contract (`n` counts from 1).
        UnknownField { n: usize },
        HeaderField { n: usize },
    }
}

/// What `fsutil` says a non-regular file is, in Chinese.
fn kind_zh(kind: &str) -> &str {
    match kind {
        "a directory" => "目录",
        "a FIFO (named pipe)" => "命名管道（FIFO）",
        "a character device" => "字符设备",
        "a block device" => "块设备",
        "a socket" => "套接字",
        _ => "非普通文件",
    }
}

/// Every kind `fsutil::open_regular_file` can name, for the test that renders them all.
pub const FILE_KINDS: &[&str] = &[
    "a directory",
    "a FIFO (named pipe)",
    "a character device",
    "a block device",
    "a socket",
    "not a file",
];

impl ExportProblem {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en(),
            Lang::Zh => self.zh(),
        }
    }

    fn en(&self) -> String {
        use ExportProblem::*;
        match self {
            NotDirectory { dir } => format!(
                "{dir}: not a directory; give the directory that holds the export's CSV files"
            ),
            PlainAndGzip { dir, file } => format!(
                "{dir}: both {file} and {file}.gz are there; keep one of them (they are the same file of the export, compressed or not)"
            ),
            NotRegular { name, kind } => format!(
                "{name}: is {kind}, not a regular file; put the export's CSV files in the directory as regular files (not pipes, devices or directories)"
            ),
            NotContractFile { name, hint } => {
                let hint = hint
                    .as_ref()
                    .map(|f| format!(" (names are case-sensitive: did you mean {f}?)"))
                    .unwrap_or_default();
                format!("{name}: not a file of the data contract; ignored{hint}")
            }
            NoCustomers { dir } => format!(
                "{dir}: customers.csv is missing; an export needs customers.csv (the other files are optional)"
            ),
            MoreErrors { n } => format!("… and {n} more errors"),
            MoreWarnings { n } => format!("… and {n} more warnings"),
            UnknownField { n } => format!("field {n} (not a column of the contract)"),
            HeaderField { n } => format!("header field {n}"),
        }
    }

    fn zh(&self) -> String {
        use ExportProblem::*;
        match self {
            NotDirectory { dir } => {
                format!("{dir}：不是目录；请给出存放导出 CSV 文件的目录")
            }
            PlainAndGzip { dir, file } => format!(
                "{dir}：`{file}` 和 `{file}.gz` 同时存在；请只保留其一（它们是导出中的同一个文件，只是是否压缩不同）"
            ),
            NotRegular { name, kind } => format!(
                "{name}：是{}，不是普通文件；请把导出的 CSV 文件以普通文件放在该目录中（不要用管道、设备或目录）",
                kind_zh(kind)
            ),
            NotContractFile { name, hint } => {
                let hint = hint
                    .as_ref()
                    .map(|f| format!("（文件名区分大小写：是否应为 `{f}`？）"))
                    .unwrap_or_default();
                format!("{name}：不是数据契约中的文件；已忽略{hint}")
            }
            NoCustomers { dir } => format!(
                "{dir}：缺少 `customers.csv`；导出必须包含 `customers.csv`（其他文件可选）"
            ),
            MoreErrors { n } => format!("……另有 {n} 条错误"),
            MoreWarnings { n } => format!("……另有 {n} 条警告"),
            UnknownField { n } => format!("第 {n} 个字段（不是数据契约中的列）"),
            HeaderField { n } => format!("表头第 {n} 个字段"),
        }
    }
}
