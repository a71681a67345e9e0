//! The help overlay, generated from the active keymap (every section, dialogs included), so it
//! is never out of date. [list] `up`/`down`/`page_up`/`page_down`/`top`/`bottom` scroll (`g`
//! and `G` go to the top and the end, they never close it); any other key closes.

use super::{Dialog, DialogKind, Step};
use crate::text;
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action, Context, ACTIONS};
use crate::ui::render::{block, centered, cut, esc};
use crate::ui::screen::{Cx, Ui};
use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use std::any::Any;

#[derive(Default)]
pub struct Help {
    pub scroll: u16,
    /// The last scroll position that still shows a full page, as the last draw measured it
    /// (none before the first draw).
    last: std::cell::Cell<Option<u16>>,
}

impl Dialog for Help {
    fn kind(&self) -> DialogKind {
        DialogKind::Help
    }

    fn on_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Step {
        let last = self.last.get().unwrap_or(u16::MAX);
        self.scroll = match super::action(cx.keymap, Context::List, &k) {
            Some(Action::Down) => self.scroll.saturating_add(1),
            Some(Action::Up) => self.scroll.saturating_sub(1),
            Some(Action::PageDown) => self.scroll.saturating_add(10),
            Some(Action::PageUp) => self.scroll.saturating_sub(10),
            Some(Action::Top) => 0,
            Some(Action::Bottom) => last,
            _ => return Step::Close,
        }
        .min(last);
        Step::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let r = centered(
            area,
            area.width.saturating_sub(4).min(100),
            area.height.saturating_sub(2),
        );
        f.render_widget(Clear, r);
        let title = format!(
            "{} ({}) · {}/{} · {}",
            ui.t(Msg::Help),
            esc(&ui.keymap.name),
            ui.keymap.hint(Action::Up),
            ui.keymap.hint(Action::Down),
            ui.t(Msg::HelpClose)
        );
        let lines = help_lines(ui);
        let b = block(
            ui.theme,
            &cut(&title, usize::from(r.width.saturating_sub(4))),
            true,
        );
        let inner = b.inner(r);
        f.render_widget(b, r);
        // Two columns when the window is wide enough to show everything at once.
        let two = inner.width >= 96 && lines.len() > usize::from(inner.height);
        let rows = if two {
            lines.len().div_ceil(2)
        } else {
            lines.len()
        };
        let last =
            u16::try_from(rows.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX);
        self.last.set(Some(last));
        let scroll = (self.scroll.min(last), 0);
        if two {
            let half = lines.len().div_ceil(2);
            let [a, bb] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(inner);
            let (l, rr) = lines.split_at(half);
            f.render_widget(Paragraph::new(l.to_vec()).scroll(scroll), a);
            f.render_widget(Paragraph::new(rr.to_vec()).scroll(scroll), bb);
        } else {
            f.render_widget(Paragraph::new(lines).scroll(scroll), inner);
        }
    }

    fn tag(&self) -> &dyn Any {
        &()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn ctx_title(c: Context) -> Msg {
    match c {
        Context::Global => Msg::CtxGlobal,
        Context::List => Msg::CtxList,
        Context::Findings => Msg::CtxFindings,
        Context::Detail => Msg::CtxDetail,
        Context::Whitelist => Msg::CtxWhitelist,
        Context::Tickets => Msg::CtxTickets,
        Context::Reports => Msg::CtxReports,
        Context::Quality => Msg::CtxQuality,
        Context::Theme => Msg::CtxTheme,
        Context::Editor => Msg::CtxEditor,
        Context::Confirm => Msg::CtxConfirm,
        Context::Choice => Msg::CtxChoice,
        Context::Prompt => Msg::CtxPrompt,
        Context::Discard => Msg::CtxDiscard,
        Context::Dashboard => Msg::CtxDashboard,
        Context::Inspections => Msg::CtxInspections,
        Context::Campaigns => Msg::CtxCampaigns,
        Context::Qc => Msg::CtxQc,
        Context::Log => Msg::CtxLog,
        Context::Admin => Msg::CtxAdmin,
    }
}

/// Every section of the keymap with its keys and what they do.
pub fn help_lines(ui: &Ui) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for ctx in Context::ALL {
        lines.push(Line::from(Span::styled(
            format!("— {} —", ui.t(ctx_title(ctx))),
            ui.theme.title(),
        )));
        for (c, _, a) in ACTIONS {
            if *c != ctx {
                continue;
            }
            let keys = ui.keymap.all_keys(*a);
            let pad = 16usize.saturating_sub(text::width(&keys));
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys}"), ui.theme.key()),
                Span::raw(format!(
                    "{}  {}",
                    " ".repeat(pad),
                    i18n::action_help(ui.lang(), *a)
                )),
            ]));
        }
    }
    lines.extend(crate::ui::cmdline::help_lines(ui));
    lines.push(Line::from(""));
    lines.push(Line::from(ui.t(Msg::Legend)));
    lines
}
