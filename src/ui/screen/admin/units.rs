//! 组织机构: the unit tree, each unit indented under its parent with its level, its head
//! (负责人) and — over its subtree, as workflow.md defines a unit's scope — its open findings
//! and open tickets (overdue among them), and the operators bound to it: what
//! `jicha unit list` shows, with the findings beside it. Enter opens the unit's findings.

use super::words::AdMsg;
use super::{fit, right, List};
use crate::context::{self, Lang};
use crate::db::Dataset;
use crate::ui::keymap::{Action, Context};
use crate::ui::loader::Loaded;
use crate::ui::render::{block, count, esc};
use crate::ui::screen::{list_delta, step, Arg, Cx, Screen, Ui};
use crate::units::{Hierarchy, UnitLevel};
use crate::units_summary;
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;

const ROWS: &str = "rows";

/// One unit of the tree as the screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    pub name: String,
    pub depth: usize,
    pub level: UnitLevel,
    pub head: Option<String>,
    /// From the root down to this unit.
    pub path: Vec<String>,
    pub open_findings: u64,
    pub open_tickets: u64,
    pub overdue_tickets: u64,
    /// Logins of the operators bound to this unit itself.
    pub operators: Vec<String>,
}

/// The tree in preorder with each unit's counts over its subtree.
pub fn rows(conn: &rusqlite::Connection, today: NaiveDate) -> crate::Result<Vec<UnitRow>> {
    let h = Hierarchy::load(conn)?;
    let tickets = units_summary::counts(conn, &h, today)?;
    let findings = units_summary::open_findings(conn, &h)?;
    let ops = context::operators(conn)?;
    Ok(h.preorder()
        .into_iter()
        .map(|(u, depth)| {
            let c = tickets.get(&u.name).copied().unwrap_or_default();
            UnitRow {
                name: u.name.clone(),
                depth,
                level: u.level,
                head: u.head.clone(),
                path: h.path(&u.name).into_iter().map(str::to_string).collect(),
                open_findings: findings.get(&u.name).copied().unwrap_or(0),
                open_tickets: c.open_tickets,
                overdue_tickets: c.overdue_tickets,
                operators: ops
                    .iter()
                    .filter(|o| o.unit.as_deref() == Some(u.name.as_str()))
                    .map(|o| o.login.clone())
                    .collect(),
            }
        })
        .collect())
}

fn level_word(lang: Lang, l: UnitLevel) -> &'static str {
    match lang {
        Lang::Zh => l.zh(),
        Lang::En => l.as_str(),
    }
}

#[derive(Default)]
pub struct UnitsScreen {
    pub cursor: usize,
    pub rows: Option<Vec<UnitRow>>,
    pub error: Option<String>,
}

impl UnitsScreen {
    fn request(&self, cx: &mut Cx) {
        let today = cx.ctx.today;
        cx.load(ROWS, move |ds: &Dataset| rows(&ds.conn, today));
    }

    pub fn selected(&self) -> Option<&UnitRow> {
        self.rows.as_ref()?.get(self.cursor)
    }

    fn row_line(lang: Lang, u: &UnitRow, cols: &[usize; 5]) -> String {
        let name = format!("{}{}", "  ".repeat(u.depth), esc(&u.name));
        let tickets = if u.overdue_tickets > 0 {
            format!(
                "{} ({} {})",
                count(u.open_tickets),
                count(u.overdue_tickets),
                AdMsg::UnOverdue.text(lang)
            )
        } else {
            count(u.open_tickets)
        };
        format!(
            "{}{}{}{} {}",
            fit(&name, cols[0]),
            fit(level_word(lang, u.level), cols[1]),
            fit(
                &u.head.as_deref().map(esc).unwrap_or_else(|| "-".into()),
                cols[2]
            ),
            right(&count(u.open_findings), cols[3]),
            tickets
        )
    }

    fn draw_selected(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let b = block(ui.theme, AdMsg::UnSelected.text(lang), false);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let Some(u) = self.selected() else { return };
        let path: Vec<String> = u.path.iter().map(|p| esc(p)).collect();
        let ops = if u.operators.is_empty() {
            "-".to_string()
        } else {
            u.operators
                .iter()
                .map(|o| esc(o))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let lines = vec![
            Line::from(vec![
                Span::styled(format!("{}: ", AdMsg::UnPath.text(lang)), ui.theme.dim()),
                Span::raw(path.join(" › ")),
            ]),
            Line::from(vec![
                Span::styled(
                    format!("{}: ", AdMsg::UnOperators.text(lang)),
                    ui.theme.dim(),
                ),
                Span::raw(ops),
            ]),
        ];
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

impl Screen for UnitsScreen {
    fn context(&self) -> Context {
        Context::Admin
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Open, Action::Back, Action::Help]
    }

    fn enter(&mut self, _arg: Arg, cx: &mut Cx) {
        self.request(cx);
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        let len = self.rows.as_ref().map_or(0, Vec::len);
        if let Some(d) = list_delta(a, cx.page.max(1)) {
            self.cursor = step(self.cursor, d, len);
            return;
        }
        match a {
            // The unit's findings, as `:unit NAME` opens them.
            Action::Open => {
                if let Some(u) = self.selected() {
                    let spec = crate::ui::cmdline::find("unit").expect("`:unit` is a command");
                    let name = u.name.clone();
                    if let Err(e) = crate::ui::cmdline::run(spec, &name, cx) {
                        cx.error(e);
                    }
                }
            }
            Action::Back => cx.back(),
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, _cx: &mut Cx) {
        if slot != ROWS {
            return;
        }
        match answer.take::<Vec<UnitRow>>() {
            Ok(rows) => {
                self.cursor = self.cursor.min(rows.len().saturating_sub(1));
                self.rows = Some(rows);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn refresh(&mut self, shown: bool, cx: &mut Cx) {
        if shown || self.rows.is_some() {
            self.request(cx);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let [list, sel] = Layout::vertical([Constraint::Min(4), Constraint::Length(4)]).areas(area);
        let w = usize::from(list.width.saturating_sub(2));
        // name, level, head, open findings; the open tickets take what is left.
        let cols = if w >= 110 {
            [40, 12, 16, 14, 0]
        } else {
            [26, 9, 10, 12, 0]
        };
        let head = format!(
            "{}{}{}{} {}",
            fit(AdMsg::UnName.text(lang), cols[0]),
            fit(AdMsg::UnLevel.text(lang), cols[1]),
            fit(AdMsg::UnHead.text(lang), cols[2]),
            right(AdMsg::UnFindings.text(lang), cols[3]),
            AdMsg::UnTickets.text(lang)
        );
        let rows: Vec<String> = match (&self.error, &self.rows) {
            (Some(e), _) => vec![esc(e)],
            (None, None) => Vec::new(),
            (None, Some(r)) => r.iter().map(|u| Self::row_line(lang, u, &cols)).collect(),
        };
        let title = match &self.rows {
            Some(r) => format!("{} · {}", AdMsg::UnTitle.text(lang), r.len()),
            None => AdMsg::UnTitle.text(lang).to_string(),
        };
        let empty = if self.rows.is_some() {
            AdMsg::UnNone.text(lang)
        } else {
            "…"
        };
        List {
            title: &title,
            head,
            rows: &rows,
            cursor: self.cursor,
            empty,
        }
        .draw(f, list, ui);
        self.draw_selected(f, sel, ui);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
