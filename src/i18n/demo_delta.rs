//! `jicha demo --delta`: what it wrote and why it refuses, in both languages. Paths and file
//! names are shown as they are (already escaped by the caller).

use crate::context::Lang;

crate::bilingual_messages! {
    /// The summary `jicha demo --delta` prints.
    pub enum DeltaMsg {
        Period => "the next night's export: bills of {period} for {bills} customers; import and scan it as of any day in {month}",
            "次日导出：{bills} 户的 {period} 账单；请以 {month} 内任一天为业务日期导入并扫描";
        Archive => "archive edits: {n} customers ({watched} of a field HIS-02 watches, {backed} of those backed by an application completed {basis})",
            "档案修改：{n} 户（其中 {watched} 户改了 HIS-02 关注的字段，{backed} 户有 {basis} 办结的业务申请为依据）";
        Readings => "edited readings: {n} bills ({hits} for HIS-01, {near} at its bound)",
            "修改抄表示数：{n} 张账单（HIS-01 应命中 {hits} 张，{near} 张恰在阈值上）";
        Expected => "with the default thresholds HIS-01 finds {his01} and HIS-02 {his02}",
            "按默认阈值 HIS-01 应命中 {his01} 条，HIS-02 应命中 {his02} 条";
    }
}

crate::sentence_kinds! {
    /// Why `jicha demo --delta` writes nothing.
    #[derive(Debug, Clone, PartialEq)]
    pub enum DeltaWrong {
        /// `--from` lacks a file the delta is made from.
        FromMissing { path: String, file: String },
        /// `--out` is the `--from` directory.
        SameDir { path: String },
        EditRatio { given: String },
        /// A file's header lacks a column the delta reads.
        MissingColumn { file: String, column: String },
        /// A field the delta computes with does not read as its type.
        BadValue { file: String, line: u64, column: String, value: String },
        /// `bills.csv` lists a customer's bills in two places.
        BillsNotGrouped { line: u64, cust: String },
        NoBills,
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from `sentence_kinds!`, whose variants take no attributes
impl Default for DeltaWrong {
    fn default() -> Self {
        DeltaWrong::NoBills
    }
}

impl std::fmt::Display for DeltaWrong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl DeltaWrong {
    pub fn text(&self, lang: Lang) -> String {
        use DeltaWrong::*;
        match (self, lang) {
            (FromMissing { path, file }, Lang::En) => format!(
                "{path} has no {file}: give --from the directory `jicha demo --out` (or an earlier --delta) wrote"
            ),
            (FromMissing { path, file }, Lang::Zh) => format!(
                "{path} 中没有 {file}：--from 请给出 `jicha demo --out`（或之前的 --delta）写出的目录"
            ),
            (SameDir { path }, Lang::En) => format!(
                "--out {path} is the --from directory; the next night's export goes into a directory of its own"
            ),
            (SameDir { path }, Lang::Zh) => {
                format!("--out {path} 就是 --from 的目录；次日导出请写入另一个目录")
            }
            (EditRatio { given }, Lang::En) => format!(
                "--edit-ratio {given} is out of range: give the share of customers to edit, above 0 and at most 1 (e.g. 0.01)"
            ),
            (EditRatio { given }, Lang::Zh) => format!(
                "--edit-ratio {given} 超出范围：请给出要修改的用户比例，大于 0 且不超过 1（如 0.01）"
            ),
            (MissingColumn { file, column }, Lang::En) => {
                format!("{file}: the header has no column {column}")
            }
            (MissingColumn { file, column }, Lang::Zh) => format!("{file}：表头中没有 {column} 列"),
            (BadValue {
                file,
                line,
                column,
                value,
            }, Lang::En) => format!(
                "{file}:{line}: {column}: `{value}` is not what a demo export holds there; give --from a `jicha demo` export"
            ),
            (BadValue {
                file,
                line,
                column,
                value,
            }, Lang::Zh) => format!(
                "{file}:{line}：{column}：`{value}` 不是演示导出在此处的取值；--from 请给出 `jicha demo` 的导出"
            ),
            (BillsNotGrouped { line, cust }, Lang::En) => format!(
                "bills.csv:{line}: the bills of customer {cust} appear apart from its earlier ones; the delta needs each customer's bills together, as `jicha demo` writes them"
            ),
            (BillsNotGrouped { line, cust }, Lang::Zh) => format!(
                "bills.csv:{line}：用户 {cust} 的账单与其前面的账单不相连；次日导出要求每户账单连续排列（`jicha demo` 即如此写出）"
            ),
            (NoBills, Lang::En) => {
                "bills.csv holds no bill: there is no month to continue".into()
            }
            (NoBills, Lang::Zh) => "`bills.csv` 中没有账单：没有可接续的账期".into(),
        }
    }
}

impl From<DeltaWrong> for crate::error::Reason {
    fn from(why: DeltaWrong) -> Self {
        super::refusals_cli::CliWrong::DemoDelta { why }.into()
    }
}
