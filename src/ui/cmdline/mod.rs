//! The `:` command line (k9s-style): a command, maybe an argument, Tab to complete from a list
//! of candidates shown under the input. Each command goes somewhere (`:findings`, `:rule
//! BIL-03`, `:unit 米市巷供电所`, `:ticket JC-…`, `:cust 3301…`), starts something (`:scan`,
//! `:export`) or quits (`:q`). The table below is also what the help overlay lists.
//!
//! A command only pushes effects: a key action the router runs as if pressed
//! (`Effect::Do`), a screen to go to, or a [`Jump`] for the findings list.

mod line;
pub mod words;

pub use line::CmdLine;

use crate::context::Lang;
use crate::ui::keymap::Action;
use crate::ui::screen::{Arg, Cx, ScreenId};
use words::CmdMsg;

/// What a command's argument names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    Rule,
    Unit,
    Ticket,
    Customer,
    /// A saved view of the operator's.
    View,
}

impl ArgKind {
    pub fn what(self, lang: Lang) -> &'static str {
        let (en, zh) = match self {
            ArgKind::Rule => ("rule", "规则"),
            ArgKind::Unit => ("unit", "单位"),
            ArgKind::Ticket => ("ticket number", "工单编号"),
            ArgKind::Customer => ("customer number", "户号"),
            ArgKind::View => ("saved view", "已存视图"),
        };
        match lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// What a command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Does {
    /// A key action, run by the router as if its key were pressed.
    Key(Action),
    /// The findings of one rule / unit / customer; a ticket's page; a saved view.
    With(ArgKind),
    /// The current screen's export.
    Export,
}

/// One command: its name, what it does, its help in both languages.
pub struct Spec {
    pub name: &'static str,
    pub does: Does,
    pub en: &'static str,
    pub zh: &'static str,
}

impl Spec {
    pub fn arg(&self) -> Option<ArgKind> {
        match self.does {
            Does::With(k) => Some(k),
            _ => None,
        }
    }

    /// `:rule RULE` as the help shows it.
    pub fn usage(&self, lang: Lang) -> String {
        match self.arg() {
            Some(k) => format!(":{} <{}>", self.name, k.what(lang)),
            None => format!(":{}", self.name),
        }
    }

    pub fn help(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

const fn key(name: &'static str, a: Action, en: &'static str, zh: &'static str) -> Spec {
    Spec {
        name,
        does: Does::Key(a),
        en,
        zh,
    }
}

const fn with(name: &'static str, k: ArgKind, en: &'static str, zh: &'static str) -> Spec {
    Spec {
        name,
        does: Does::With(k),
        en,
        zh,
    }
}

/// Every command, in the order the help lists them and Tab offers them.
pub const COMMANDS: &[Spec] = &[
    key(
        "findings",
        Action::GoFindings,
        "the findings list",
        "异常列表",
    ),
    with(
        "rule",
        ArgKind::Rule,
        "findings of one rule",
        "某条规则的异常",
    ),
    with(
        "unit",
        ArgKind::Unit,
        "findings of a unit and the units under it",
        "某单位（含下级）的异常",
    ),
    with(
        "ticket",
        ArgKind::Ticket,
        "one ticket's page",
        "打开某张工单",
    ),
    with(
        "cust",
        ArgKind::Customer,
        "findings of one customer",
        "某户的异常",
    ),
    with(
        "view",
        ArgKind::View,
        "recall one of your saved views",
        "调出已存视图",
    ),
    Spec {
        name: "export",
        does: Does::Export,
        en: "export this screen (findings, report, theme)",
        zh: "导出当前页面（异常、报表、主题）",
    },
    key(
        "scan",
        Action::Scan,
        "run a scan in the background",
        "后台扫描",
    ),
    key("q", Action::Quit, "quit", "退出"),
    key("dashboard", Action::GoDashboard, "dashboard", "总览"),
    key("rules", Action::GoRules, "rules", "规则"),
    key("whitelist", Action::GoWhitelist, "whitelist", "白名单"),
    key("tickets", Action::GoTickets, "tickets", "工单"),
    key("reports", Action::GoReports, "reports", "报表"),
    key(
        "quality",
        Action::GoQuality,
        "quality evaluation",
        "质量评价",
    ),
    key("theme", Action::GoTheme, "theme analysis", "主题分析"),
    key("help", Action::Help, "the help overlay", "帮助"),
    key(
        "import",
        Action::GoImport,
        "import an export directory (browse, progress, cancel)",
        "导入导出目录（浏览、进度、取消）",
    ),
    key(
        "thresholds",
        Action::GoThresholds,
        "rule parameters (admins edit)",
        "阀值（管理员可修改）",
    ),
    key(
        "operators",
        Action::GoOperators,
        "operators and roles (admins add, change)",
        "操作员与角色（管理员可新增、修改）",
    ),
    key(
        "units",
        Action::GoUnits,
        "the unit tree with open findings and tickets",
        "组织机构树及未关闭异常、工单",
    ),
    key(
        "site-rules",
        Action::GoSiteRules,
        "rules and their source; admins enable / disable site rules",
        "规则及来源；管理员启用/停用自定义规则",
    ),
];

pub fn find(name: &str) -> Option<&'static Spec> {
    COMMANDS.iter().find(|s| s.name == name)
}

/// What the findings list is asked to show (`Screen::message`), before it is gone to.
#[derive(Debug, Clone, PartialEq)]
pub enum Jump {
    /// The findings of a unit's subtree, every status.
    Unit(String),
    /// The findings of one customer, every status.
    Customer(String),
    /// A saved view's filter.
    View(crate::findings::Filter),
}

/// `y` on a ticket (the list or its page): its number.
pub fn copy_ticket(number: Option<String>, cx: &mut Cx) {
    match number {
        Some(n) => cx.copy(CmdMsg::TicketNo.text(cx.lang()), &n),
        None => cx.info(CmdMsg::NothingToCopy.text(cx.lang())),
    }
}

/// `y` on a finding: its customer's 户号.
pub fn copy_customer(cust_no: Option<String>, cx: &mut Cx) {
    match cust_no {
        Some(c) => cx.copy(CmdMsg::CustNo.text(cx.lang()), &c),
        None => cx.info(CmdMsg::NothingToCopy.text(cx.lang())),
    }
}

/// The help overlay's section of commands, from the table above.
pub fn help_lines(ui: &crate::ui::screen::Ui) -> Vec<ratatui::text::Line<'static>> {
    use ratatui::text::{Line, Span};
    let mut lines = vec![Line::from(Span::styled(
        format!("— {} —", words::CmdMsg::HelpTitle.text(ui.lang())),
        ui.theme.title(),
    ))];
    for (usage, help) in help_rows(ui.lang()) {
        let pad = 22usize.saturating_sub(crate::text::width(&usage));
        lines.push(Line::from(vec![
            Span::styled(format!("  {usage}"), ui.theme.key()),
            Span::raw(format!("{}  {help}", " ".repeat(pad))),
        ]));
    }
    lines
}

/// The help overlay's lines: usage and what it does.
pub fn help_rows(lang: Lang) -> Vec<(String, &'static str)> {
    COMMANDS
        .iter()
        .map(|s| (s.usage(lang), s.help(lang)))
        .collect()
}

/// Runs a complete command: `spec` with its checked argument. The screen it is typed on is
/// `cx.me` (what `:export` exports).
pub fn run(spec: &Spec, arg: &str, cx: &mut Cx) -> Result<(), String> {
    match spec.does {
        Does::Key(a) => cx.push_key(a),
        Does::Export => {
            let a = match cx.me {
                ScreenId::Findings => Action::FExport,
                ScreenId::Reports => Action::RpExport,
                ScreenId::Theme => Action::ThExport,
                _ => return Err(CmdMsg::NothingToExport.text(cx.lang()).to_string()),
            };
            cx.push_key(a);
        }
        Does::With(ArgKind::Rule) => cx.go(ScreenId::Findings, Arg::Rule(arg.to_string())),
        Does::With(ArgKind::Ticket) => cx.go(ScreenId::Ticket, Arg::Ticket(arg.to_string())),
        Does::With(ArgKind::Unit) => {
            cx.send(ScreenId::Findings, Jump::Unit(arg.to_string()));
            cx.go(ScreenId::Findings, Arg::None);
        }
        Does::With(ArgKind::Customer) => {
            cx.send(ScreenId::Findings, Jump::Customer(arg.to_string()));
            cx.go(ScreenId::Findings, Arg::None);
        }
        Does::With(ArgKind::View) => {
            let views = crate::views::list(&cx.ds.conn, &cx.ctx.operator)
                .map_err(|e| e.text(cx.ctx.lang))?;
            let v = views.into_iter().find(|v| v.name == arg).ok_or_else(|| {
                words::no_such(cx.lang(), ArgKind::View.what(cx.lang()), arg, &[])
            })?;
            cx.send(ScreenId::Findings, Jump::View(v.filter));
            cx.go(ScreenId::Findings, Arg::None);
        }
    }
    Ok(())
}
