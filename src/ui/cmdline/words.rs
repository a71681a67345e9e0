//! The command line's own words in both languages.

use crate::context::Lang;

crate::bilingual_messages! {
    pub enum CmdMsg {
        Title => "Command", "命令";
        Keys => "complete", "补全";
        Choose => "candidate", "候选";
        Run => "run", "执行";
        Cancel => "cancel", "取消";
        NoMatch => "nothing matches", "没有匹配项";
        HelpTitle => "Commands (type : then Tab to complete)", "命令（输入 : 后按 Tab 补全）";
        NothingToExport => "Nothing to export on this screen: :export works on findings, reports and themes.", "此页面没有可导出的内容：:export 用于异常、报表和主题分析页面。";
        Copied => "Copied", "已复制";
        CopiedHere => "shown here only: this terminal does not take OSC 52", "仅在此显示：此终端不支持 OSC 52";
        CustNo => "customer number", "户号";
        TicketNo => "ticket number", "工单编号";
        NothingToCopy => "Nothing to copy here.", "此处没有可复制的内容。";
    }
}

/// `unknown command` with the nearest names.
pub fn unknown(lang: Lang, typed: &str, near: &[&str]) -> String {
    let near = near.join(", ");
    match lang {
        Lang::En if near.is_empty() => format!("Unknown command `{typed}`; `:help` lists them."),
        Lang::En => format!("Unknown command `{typed}`; did you mean {near}? (Tab completes)"),
        Lang::Zh if near.is_empty() => format!("没有命令 `{typed}`；`:help` 列出全部命令。"),
        Lang::Zh => format!("没有命令 `{typed}`；是否要输入 {near}？（Tab 补全）"),
    }
}

/// A command that needs its argument.
pub fn needs(lang: Lang, cmd: &str, what: &str) -> String {
    match lang {
        Lang::En => format!("`:{cmd}` needs a {what}; Tab lists them."),
        Lang::Zh => format!("`:{cmd}` 需要{what}；按 Tab 列出。"),
    }
}

/// An argument that is not one of the names.
pub fn no_such(lang: Lang, what: &str, typed: &str, near: &[String]) -> String {
    let near = near.join(", ");
    match lang {
        Lang::En if near.is_empty() => format!("No {what} `{typed}`."),
        Lang::En => format!("No {what} `{typed}`; nearest: {near}."),
        Lang::Zh if near.is_empty() => format!("没有{what} `{typed}`。"),
        Lang::Zh => format!("没有{what} `{typed}`；最接近的：{near}。"),
    }
}
