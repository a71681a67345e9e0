//! 规则: per rule its hit counts and the thresholds it reads; Enter opens its findings. The
//! counts are the dashboard's (`Shared`), so this screen loads nothing of its own.

use super::{list_delta, step, Arg, Cx, ScreenId, Ui};
use crate::rules::catalogue;
use crate::text;
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, count, esc, rpad};
use crate::ui::screen::{Screen, Shared};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;

#[derive(Default)]
pub struct Rules {
    pub cursor: usize,
}

impl Rules {
    /// The rows: the catalogue, then external rules that have findings.
    pub fn ids(shared: &Shared) -> Vec<String> {
        let mut ids: Vec<String> = crate::rules::RULES
            .iter()
            .map(|r| r.id.to_string())
            .collect();
        if let Some(d) = &shared.dashboard {
            for rc in &d.rules {
                if !ids.contains(&rc.rule) {
                    ids.push(rc.rule.clone());
                }
            }
        }
        ids
    }
}

impl Screen for Rules {
    fn context(&self) -> Context {
        Context::List
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Open, Action::Back, Action::Help]
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            self.cursor = step(self.cursor, delta, Rules::ids(cx.shared).len());
            return;
        }
        match a {
            Action::Open => {
                if let Some(rule) = Rules::ids(cx.shared).get(self.cursor).cloned() {
                    cx.go(ScreenId::Findings, Arg::Rule(rule));
                }
            }
            Action::Back => cx.back(),
            _ => {}
        }
    }

    #[allow(clippy::too_many_lines)] // the rule table and its detail box, as one reads them
    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let [list, info] =
            Layout::vertical([Constraint::Min(5), Constraint::Length(6)]).areas(area);
        let lang = ui.lang();
        let zh = lang == crate::context::Lang::Zh;
        let ids = Rules::ids(ui.shared);
        let b = block(ui.theme, ui.t(Msg::Rules), true);
        let inner = b.inner(list);
        f.render_widget(b, list);
        let num = 7;
        let sev_w = 4;
        let name_w = usize::from(inner.width).saturating_sub(8 + sev_w + 1 + 4 * (num + 1));
        let head = format!(
            "{} {} {} {} {} {} {}",
            text::fit(ui.t(Msg::Rule), 7),
            text::fit(ui.t(Msg::Name), name_w),
            text::fit(ui.t(Msg::Severity), sev_w),
            rpad(ui.t(Msg::OpenCol), num),
            rpad(ui.t(Msg::NewCol), num),
            rpad(ui.t(Msg::SuppressedCol), num),
            rpad(ui.t(Msg::ClosedCol), num),
        );
        let mut lines = vec![Line::from(Span::styled(head, ui.theme.title()))];
        let rows = usize::from(inner.height.saturating_sub(1));
        let start = if rows == 0 {
            0
        } else {
            self.cursor.saturating_sub(rows - 1)
        };
        let counts = ui.shared.dashboard.as_ref().map(|d| &d.rules);
        for (i, id) in ids.iter().enumerate().skip(start).take(rows) {
            let def = catalogue::find(id);
            let name = def.map(|r| r.name(zh).to_string()).unwrap_or_default();
            let sev = def.map(|r| r.severity.as_str()).unwrap_or("");
            let c = counts.and_then(|rs| rs.iter().find(|rc| &rc.rule == id));
            let n = |v: Option<u64>| match (v, counts.is_some()) {
                (Some(v), _) => count(v),
                (None, true) => "0".into(),
                (None, false) => "…".into(),
            };
            let style = if i == self.cursor {
                ui.theme.selected()
            } else {
                Style::new()
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} {} ", text::fit(&esc(id), 7), text::fit(&name, name_w)),
                    style,
                ),
                Span::styled(
                    text::fit(i18n::severity(lang, sev), sev_w),
                    ui.theme.severity(sev).patch(style),
                ),
                Span::styled(
                    format!(
                        " {:>num$} {:>num$} {:>num$} {:>num$}",
                        n(c.map(|c| c.open)),
                        n(c.map(|c| c.new_today)),
                        n(c.map(|c| c.suppressed)),
                        n(c.map(|c| c.closed)),
                    ),
                    style,
                ),
            ]));
        }
        f.render_widget(Paragraph::new(lines), inner);

        // The selected rule: what it checks and its thresholds with today's values.
        let sel = ids.get(self.cursor);
        let def = sel.and_then(|id| catalogue::find(id));
        let title = sel.map(|s| esc(s)).unwrap_or_default();
        let b = block(ui.theme, &title, false);
        let inner = b.inner(info);
        f.render_widget(b, info);
        let mut lines = Vec::new();
        if let Some(d) = def {
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", ui.t(Msg::Checks)), ui.theme.dim()),
                Span::raw(d.checks(ui.lang() == crate::context::Lang::Zh)),
            ]));
            let th: Vec<String> = d
                .thresholds
                .iter()
                .map(|t| {
                    let v = ui
                        .shared
                        .thresholds
                        .iter()
                        .find(|(k, _)| k.as_str() == *t)
                        .map(|(_, v)| esc(v))
                        .unwrap_or_default();
                    format!("{t} = {v}")
                })
                .collect();
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", ui.t(Msg::Thresholds)), ui.theme.dim()),
                Span::raw(if th.is_empty() {
                    ui.t(Msg::NoThresholds).to_string()
                } else {
                    th.join(" · ")
                }),
            ]));
        }
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
