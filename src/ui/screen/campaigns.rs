//! 专项稽查: the campaigns (few: read on this thread) with their totals, and below, the
//! selected campaign's progress per unit down the tree — 应查, 实查, 属实, 已整改 — loaded on
//! the query thread. The export key writes the campaign report's workbook (the CLI's
//! `campaign report --format xlsx`). Reached from the dashboard; a campaign is made from a
//! finding on the detail screen (举一反三).

use super::export::{self, ExportMsg};
use super::{list_delta, step, Arg, Cx, Invalid, Screen, ScreenId, Ui};
use crate::campaigns::{self, Campaign, Progress};
use crate::i18n::campaigns::CampWord as W;
use crate::text::{self, escape};
use crate::ui::dialog::Value;
use crate::ui::find::{self, Find, Listing};
use crate::ui::keymap::{Action, Context};
use crate::ui::loader::Loaded;
use crate::ui::render::{block, esc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::any::Any;

/// The loader's slot of the selected campaign's progress.
const PROGRESS: &str = "progress";

#[derive(Default)]
pub struct Campaigns {
    pub list: Vec<Campaign>,
    pub cursor: usize,
    /// The progress shown, with the number of its campaign.
    pub progress: Option<(String, Progress)>,
    pub error: Option<String>,
    /// The campaigns as read; `list` is what the search (`find`) keeps of them.
    all: Vec<Campaign>,
    pub find: Find,
}

macro_rules! listing {
    ($s:ident) => {
        Listing {
            all: &$s.all,
            shown: &mut $s.list,
            cursor: &mut $s.cursor,
            same: |a: &Campaign, b: &Campaign| a.id == b.id,
        }
    };
}

impl Campaigns {
    fn load(&mut self, cx: &mut Cx) {
        match campaigns::list(&cx.ds.conn, false) {
            Ok(l) => {
                self.all = l;
                listing!(self).refilter(&self.find, cx.lang());
                self.error = None;
            }
            Err(e) => self.error = Some(escape(&e.text(cx.lang())).into_owned()),
        }
        self.cursor = self.cursor.min(self.list.len().saturating_sub(1));
        self.load_progress(cx);
    }

    fn load_progress(&mut self, cx: &mut Cx) {
        let Some(c) = self.list.get(self.cursor).cloned() else {
            self.progress = None;
            return;
        };
        cx.load(PROGRESS, move |ds| {
            let p = campaigns::progress(&ds.conn, &c)?;
            Ok((c.number, p))
        });
    }

    pub fn current(&self) -> Option<&Campaign> {
        self.list.get(self.cursor)
    }
}

impl Screen for Campaigns {
    fn context(&self) -> Context {
        Context::Campaigns
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::CpSample,
            Action::CpExport,
            Action::Back,
            Action::Help,
            Action::Quit,
        ]
    }

    fn tab(&self) -> Option<ScreenId> {
        Some(ScreenId::Dashboard)
    }

    fn enter(&mut self, _arg: Arg, cx: &mut Cx) {
        self.load(cx);
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            let before = self.cursor;
            self.cursor = step(self.cursor, delta, self.list.len());
            if self.cursor != before {
                self.load_progress(cx);
            }
            return;
        }
        let before = self.cursor;
        if find::act(&mut self.find, a, listing!(self), cx) {
            if self.cursor != before || a == Action::Back {
                self.load_progress(cx);
            }
            return;
        }
        match a {
            Action::Back => cx.back(),
            Action::CpExport => match self.current() {
                Some(c) => {
                    let name = export::default_name(&format!("campaign-{}", c.number));
                    export::ask_file(cx, ExportMsg::PromptReport, name);
                }
                None => cx.info(ExportMsg::NothingYet.text(cx.lang())),
            },
            Action::CpSample => match self.current() {
                Some(c) => super::campaigns_sample::form(&c.number.clone(), cx),
                None => cx.info(W::NoCampaigns.text(cx.lang())),
            },
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, cx: &mut Cx) {
        if slot == export::SLOT {
            return export::done(answer, cx);
        }
        if slot == PROGRESS {
            match answer.take::<(String, Progress)>() {
                Ok(p) => self.progress = Some(p),
                Err(e) => self.error = Some(escape(&e).into_owned()),
            }
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        if let Some(ask) = tag.downcast_ref::<super::campaigns_sample::SampleAsk>() {
            return super::campaigns_sample::reply(ask, value, cx);
        }
        let (Some(ask), Some(c)) = (tag.downcast_ref::<export::Ask>(), self.current()) else {
            return Ok(());
        };
        let number = c.number.clone();
        let lang = cx.lang();
        let as_of = cx.ctx.today.to_string();
        if let Some(target) = export::reply(ask, value, cx) {
            export::write(target, cx, move |ds| {
                let c = campaigns::get(&ds.conn, &number)?;
                let p = campaigns::progress(&ds.conn, &c)?;
                crate::output::xlsx::campaign::workbook(lang, &c, &p, &as_of)
            });
        }
        Ok(())
    }

    fn refresh(&mut self, _shown: bool, cx: &mut Cx) {
        self.load(cx);
    }

    fn message(&mut self, msg: Box<dyn Any>, cx: &mut Cx) {
        if find::typed(&mut self.find, msg.as_ref(), listing!(self), cx.lang()) {
            self.load_progress(cx);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let list_h = (self.list.len() as u16 + 3).clamp(4, area.height / 2);
        let [top, bottom] =
            Layout::vertical([Constraint::Length(list_h), Constraint::Min(3)]).areas(area);
        self.draw_list(f, top, ui);
        self.draw_progress(f, bottom, ui);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The width of a figure's column: its widest header.
fn fig_w(lang: crate::context::Lang) -> usize {
    [W::Due, W::Checked, W::Confirmed, W::Rectified]
        .iter()
        .map(|h| text::width(h.text(lang)))
        .max()
        .unwrap_or(6)
}

/// The four figures, right-aligned, each in `w` columns.
fn figures(f: &campaigns::progress::Figures, w: usize) -> String {
    format!(
        "{:>w$} {:>w$} {:>w$} {:>w$}",
        f.due, f.checked, f.confirmed, f.rectified
    )
}

/// The four headers, right-aligned like the figures.
fn figure_heads(ui: &Ui, w: usize) -> String {
    [W::Due, W::Checked, W::Confirmed, W::Rectified]
        .iter()
        .map(|h| crate::output::table::pad_left(h.text(ui.lang()), w))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Campaigns {
    fn draw_list(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let t = format!("{}{}", W::Definition.text(lang), find::title(&self.find));
        let b = block(ui.theme, &t, true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        if let Some(e) = &self.error {
            f.render_widget(
                Paragraph::new(Span::styled(e.clone(), ui.theme.error())),
                inner,
            );
            return;
        }
        // The totals only where there is room: the table below has them at any width.
        let wide = inner.width >= 100;
        let w = fig_w(lang);
        let figs_w = if wide { 4 * (w + 1) } else { 0 };
        let kind_w = ["routine", "special", "incident"]
            .iter()
            .map(|k| match lang {
                crate::context::Lang::En => k.len(),
                crate::context::Lang::Zh => 4,
            })
            .max()
            .unwrap_or(8);
        let state_w = text::width(W::Open.text(lang)).max(text::width(W::ClosedWord.text(lang)));
        let name_w = usize::from(inner.width).saturating_sub(16 + kind_w + state_w + figs_w + 4);
        let head = format!(
            "{} {} {} {} {}",
            text::fit(W::Number.text(lang), 16),
            text::fit(W::Name.text(lang), name_w),
            text::fit(W::Kind.text(lang), kind_w),
            text::fit(W::State.text(lang), state_w),
            if wide {
                figure_heads(ui, w)
            } else {
                String::new()
            },
        );
        let mut lines = vec![Line::from(Span::styled(head, ui.theme.title()))];
        if self.list.is_empty() {
            lines.push(Line::from(W::NoCampaigns.text(lang)));
        }
        let rows = usize::from(inner.height.saturating_sub(1)).max(1);
        let start = self.cursor.saturating_sub(rows - 1);
        for (i, c) in self.list.iter().enumerate().skip(start).take(rows) {
            let style = if i == self.cursor {
                ui.theme.selected()
            } else {
                Style::new()
            };
            let kind = match lang {
                crate::context::Lang::En => c.kind.as_str(),
                crate::context::Lang::Zh => c.kind.zh(),
            };
            let totals = match &self.progress {
                Some((n, p)) if wide && *n == c.number => figures(&p.total, w),
                _ => String::new(),
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "{} {} {} {} {}",
                    text::fit(&esc(&c.number), 16),
                    text::fit(&esc(&c.name), name_w),
                    text::fit(kind, kind_w),
                    text::fit(crate::output::campaign::state(lang, c), state_w),
                    totals,
                ),
                style,
            )));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    fn draw_progress(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let mut title = W::ResultsTitle.text(lang).to_string();
        if let Some(c) = self.current() {
            let period = format!("{} {} – {}", esc(&c.number), c.period_from, c.period_to);
            // The campaign and its period first: the heading only where there is room.
            title = if text::width(&title) + text::width(&period) + 7 <= usize::from(area.width) {
                format!("{title} · {period}")
            } else {
                period
            };
        }
        let b = block(ui.theme, &title, false);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let shown = match (&self.progress, self.current()) {
            (Some((n, p)), Some(c)) if *n == c.number => p,
            (_, Some(_)) if ui.loading(PROGRESS) => {
                f.render_widget(Paragraph::new("…"), inner);
                return;
            }
            _ => return,
        };
        let w = fig_w(lang);
        let unit_w = usize::from(inner.width)
            .saturating_sub(4 * (w + 1) + 1)
            .min(40);
        let mut lines = vec![Line::from(Span::styled(
            format!(
                "{} {}",
                text::fit(W::Unit.text(lang), unit_w),
                figure_heads(ui, w)
            ),
            ui.theme.title(),
        ))];
        let rows = usize::from(inner.height.saturating_sub(2));
        for u in shown.units.iter().take(rows) {
            let name = format!("{}{}", "  ".repeat(u.depth), esc(&u.unit));
            lines.push(Line::from(format!(
                "{} {}",
                text::fit(&name, unit_w),
                figures(&u.figures, w)
            )));
        }
        lines.push(Line::from(Span::styled(
            format!(
                "{} {}",
                text::fit(W::Total.text(lang), unit_w),
                figures(&shown.total, w)
            ),
            ui.theme.title(),
        )));
        f.render_widget(Paragraph::new(lines), inner);
    }
}
