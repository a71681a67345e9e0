//! One finding: the rule and what it checks, evidence, customer archive, 12 months of kWh as a
//! bar chart, meters, notes and the action-log history.
//!
//! One finding, read on this thread (a primary-key look-up); its triage keys are the list's,
//! on this one finding (`triage`).

use super::{list_delta, step, triage, Arg, Cx, Invalid, Screen, ScreenId, Ui};
use crate::findings::{self, FindingDetail};
use crate::i18n::archive::{self, ArchiveWord};
use crate::i18n::history;
use crate::text::escape;
use crate::ui::dialog::Value;
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action, Context};
use crate::ui::render::columns::{fit, pad, Spec};
use crate::ui::render::{block, esc, yuan};
use crate::ui::write::Targets;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;
use std::cell::Cell;

/// The finding on screen.
pub struct Shown {
    pub id: i64,
    pub data: Option<FindingDetail>,
    pub error: Option<String>,
    pub scroll: u16,
    /// The furthest the text can scroll with its last page full, as the last frame drew it
    /// (u16::MAX until the first frame).
    pub max_scroll: Cell<u16>,
    /// The customer's source changes, newest first (`detail_changes`).
    pub changes: Vec<crate::history::Change>,
}

#[derive(Default)]
pub struct Detail {
    pub shown: Option<Shown>,
}

impl Detail {
    fn load(&mut self, cx: &Cx) {
        let Some(d) = &mut self.shown else { return };
        match findings::detail(&cx.ds.conn, d.id, cx.ctx.today) {
            Ok(x) => {
                d.changes =
                    super::detail_changes::load(&cx.ds.conn, &x.row.cust_no).unwrap_or_default();
                d.data = Some(x);
                d.error = None;
            }
            Err(e) => d.error = Some(escape(&e.text(cx.ctx.lang)).into_owned()),
        }
    }

    /// The finding on screen with the version it was shown at.
    /// 举一反三: asks, then makes a special campaign of the finding's rule over every unit.
    fn spread(&self, cx: &mut Cx) {
        let Some(r) = self
            .shown
            .as_ref()
            .and_then(|d| d.data.as_ref())
            .map(|d| &d.row)
        else {
            return;
        };
        let question = crate::i18n::campaigns::CampWord::SpreadAsk
            .text(cx.lang())
            .replace("{rule}", &esc(&r.rule))
            .replace("{id}", &r.id.to_string());
        let action = crate::actions::campaigns::CampaignAction::Spread {
            finding: r.id,
            name: None,
            to: None,
        };
        cx.dialog(crate::ui::dialog::Confirm::new(
            question,
            crate::ui::write::Write::new(crate::ui::worker::Change::Campaign(action)),
        ));
    }

    fn targets(&self) -> Option<Targets> {
        let r = &self.shown.as_ref()?.data.as_ref()?.row;
        Some(Targets {
            seen: vec![(r.id, r.version)],
            marked: false,
        })
    }
}

impl Screen for Detail {
    fn context(&self) -> Context {
        Context::Detail
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::DConfirm,
            Action::DClose,
            Action::DReopen,
            Action::DNote,
            Action::DWhitelistAdd,
            Action::DTicketCreate,
            Action::Back,
        ]
    }

    fn tab(&self) -> Option<ScreenId> {
        Some(ScreenId::Findings)
    }

    fn remembered(&self) -> bool {
        false
    }

    fn enter(&mut self, arg: Arg, cx: &mut Cx) {
        if let Arg::Finding(id) = arg {
            self.shown = Some(Shown {
                id,
                data: None,
                error: None,
                scroll: 0,
                max_scroll: Cell::new(u16::MAX),
                changes: Vec::new(),
            });
            self.load(cx);
        }
    }

    /// The router maps the detail's own triage names to the list's (`triage_equivalent`).
    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            if let Some(d) = &mut self.shown {
                // `G` and PageDown stop at the last full page, never in a blank pane.
                let rows = usize::from(d.max_scroll.get()).saturating_add(1).min(2000);
                let from = d.scroll.min(d.max_scroll.get());
                d.scroll = step(usize::from(from), delta, rows) as u16;
            }
            return;
        }
        if triage::is_triage(a) {
            return triage::act(a, self.targets(), cx);
        }
        if a == Action::DSpread {
            return self.spread(cx);
        }
        if a == Action::DChanges {
            if let Some((d, data)) = self
                .shown
                .as_ref()
                .and_then(|d| Some((d, d.data.as_ref()?)))
            {
                let page = super::detail_changes::page(cx.lang(), &data.row.cust_no, &d.changes);
                cx.dialog(page);
            }
            return;
        }
        if a == Action::Copy {
            let cust = self
                .shown
                .as_ref()
                .and_then(|d| d.data.as_ref())
                .map(|d| d.row.cust_no.clone());
            return crate::ui::cmdline::copy_customer(cust, cx);
        }
        if a == Action::Back {
            self.shown = None;
            cx.back();
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        match tag.downcast_ref::<triage::Ask>() {
            Some(ask) => triage::reply(ask.clone(), value, cx),
            None => Ok(()),
        }
    }

    fn refresh(&mut self, _shown: bool, cx: &mut Cx) {
        self.load(cx);
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        if let Some(d) = &self.shown {
            draw_shown(f, d, ui, area);
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

fn draw_shown(f: &mut Frame, d: &Shown, ui: &Ui, area: Rect) {
    let title = format!("{} #{}", ui.t(Msg::Detail), d.id);
    let Some(data) = &d.data else {
        let b = block(ui.theme, &title, true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let (msg, style) = match &d.error {
            Some(e) => (e.clone(), ui.theme.error()),
            None => (ui.t(Msg::Loading).to_string(), Style::new()),
        };
        f.render_widget(Paragraph::new(Span::styled(msg, style)), inner);
        return;
    };
    let (text_area, chart_area) = if area.width >= 120 {
        let [l, r] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
            .areas(area);
        (l, r)
    } else {
        let chart_h = if area.height < 30 { 7 } else { 9 };
        let [t, c] =
            Layout::vertical([Constraint::Min(6), Constraint::Length(chart_h)]).areas(area);
        (t, c)
    };
    let b = block(ui.theme, &title, true);
    let inner = b.inner(text_area);
    f.render_widget(b, text_area);
    let text = Paragraph::new(lines(ui, data, &d.changes)).wrap(Wrap { trim: false });
    let total = text.line_count(inner.width);
    let max = total.saturating_sub(usize::from(inner.height));
    let max = u16::try_from(max).unwrap_or(u16::MAX);
    d.max_scroll.set(max);
    f.render_widget(text.scroll((d.scroll.min(max), 0)), inner);
    if chart_area.height > 24 {
        // Tall right column (wide screens): the chart, and the months as numbers under it.
        let [c, t] =
            Layout::vertical([Constraint::Length(14), Constraint::Min(3)]).areas(chart_area);
        draw_chart(f, ui, data, c);
        draw_bills(f, ui, data, t);
    } else {
        draw_chart(f, ui, data, chart_area);
    }
}

/// The months as numbers: every figure whole and right aligned, each column as wide as its
/// widest figure; a column that does not fit is left out (paid first), never cut.
fn draw_bills(f: &mut Frame, ui: &Ui, d: &FindingDetail, area: Rect) {
    let b = block(ui.theme, ui.t(Msg::Bills), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let heads = [
        ui.t(Msg::Period).to_string(),
        ui.t(Msg::Kwh).to_string(),
        format!("{} 元", ui.t(Msg::Billed)),
        format!("{} 元", ui.t(Msg::Paid)),
    ];
    let rows: Vec<[String; 4]> = d
        .bills
        .iter()
        .rev()
        .map(|m| {
            [
                esc(&m.period),
                format!("{:.0}", m.kwh),
                format!("{:.2}", m.amount),
                format!("{:.2}", m.paid),
            ]
        })
        .collect();
    let keep = [9, 8, 7, 6];
    let specs: Vec<Spec> = (0..4)
        .map(|i| {
            Spec::figure(
                rows.iter().map(|r| crate::text::width(&r[i])),
                crate::text::width(&heads[i]),
                keep[i],
            )
        })
        .collect();
    let widths = fit(&specs, usize::from(inner.width));
    let line = |cells: &[String; 4]| -> String {
        cells
            .iter()
            .zip(&widths)
            .enumerate()
            .filter_map(|(i, (c, w))| w.map(|w| pad(c, w, i > 0)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut lines = vec![Line::from(Span::styled(line(&heads), ui.theme.title()))];
    lines.extend(rows.iter().map(|r| Line::from(line(r))));
    f.render_widget(Paragraph::new(lines), inner);
}

fn section(ui: &Ui, m: Msg) -> Line<'static> {
    let rule = if ui.theme.ascii { "--" } else { "──" };
    Line::from(Span::styled(
        format!("{rule} {} {rule}", ui.t(m)),
        ui.theme.title(),
    ))
}

fn kv(ui: &Ui, k: Msg, v: String) -> Span<'static> {
    Span::raw(format!("{}: {v}  ", ui.t(k)))
}

#[allow(clippy::too_many_lines)] // the detail page's sections, top to bottom, as one reads them
fn lines(ui: &Ui, d: &FindingDetail, changes: &[crate::history::Change]) -> Vec<Line<'static>> {
    let lang = ui.lang();
    let zh = lang == crate::context::Lang::Zh;
    let r = &d.row;
    let rule = d.rule.as_ref();
    let name = esc(d.rule_name(zh));
    let mut out = Vec::new();
    let mut status = i18n::status(lang, &r.status).to_string();
    if let Some(res) = &r.resolution {
        status.push_str(&format!(" ({})", i18n::resolution(lang, res)));
    }
    let mut head = vec![
        Span::styled(format!("{} {name}", esc(&r.rule)), ui.theme.title()),
        Span::raw("  "),
        Span::styled(
            format!("[{}]", i18n::severity(lang, &r.severity)),
            ui.theme.severity(&r.severity),
        ),
        Span::raw("  "),
        Span::styled(status, ui.theme.status(r.status)),
    ];
    if r.recurred {
        head.push(Span::styled(
            format!("  R {}", ui.t(Msg::Recurred)),
            ui.theme.error(),
        ));
    }
    if r.suppressed {
        head.push(Span::raw(format!("  W {}", ui.t(Msg::Suppressed))));
    }
    out.push(Line::from(head));
    if let Some(x) = rule {
        out.push(Line::from(vec![
            Span::styled(format!("{}: ", ui.t(Msg::Checks)), ui.theme.dim()),
            Span::raw(esc(x.checks(zh))),
        ]));
    }
    out.push(Line::from(vec![
        Span::styled(format!("{}: ", ui.t(Msg::Evidence)), ui.theme.dim()),
        Span::raw(esc(&crate::i18n::evidence::render(lang, &r.evidence))),
    ]));
    let mut facts = vec![
        kv(ui, Msg::Subject, esc(&r.subject)),
        kv(ui, Msg::FirstSeen, esc(&r.first_seen)),
        kv(ui, Msg::LastSeen, esc(&r.last_seen)),
        kv(ui, Msg::Amount, yuan(r.amount_yuan)),
    ];
    if let Some(l) = r.level {
        facts.push(kv(ui, Msg::Level, l.to_string()));
    }
    out.push(Line::from(facts));

    out.push(section(ui, Msg::CustomerArchive));
    match &d.customer {
        Some(c) => {
            out.push(Line::from(vec![
                Span::styled(
                    format!("{} {}", esc(&c.cust_no), esc(&c.name)),
                    ui.theme.title(),
                ),
                Span::raw(format!(
                    "  {}  {} {}  {}  {}kV  {}kVA  {} / {}",
                    named(archive::category(lang, &c.category), &c.category),
                    ArchiveWord::Tariff.text(lang),
                    esc(&c.price_code),
                    named(archive::pricing(lang, &c.billing_mode), &c.billing_mode),
                    c.voltage_kv,
                    c.capacity_kva,
                    esc(&c.station),
                    esc(&c.district)
                )),
            ]));
            let opt = |v: &Option<String>| v.as_deref().map(esc).unwrap_or_else(|| "-".into());
            out.push(Line::from(format!(
                "{}  {}  {}  · {} {} · {}{}{}{}{}",
                opt(&c.address),
                opt(&c.contact),
                opt(&c.phone),
                ui.t(Msg::Opened),
                esc(&c.opened_on),
                named(archive::customer_status(lang, &c.status), &c.status),
                c.closed_on
                    .as_deref()
                    .map(|d| format!(" {}", esc(d)))
                    .unwrap_or_default(),
                c.pf_standard
                    .map(|p| format!(" · {} {p}", ArchiveWord::PowerFactor.text(lang)))
                    .unwrap_or_default(),
                if c.hslm {
                    format!(" · {}", ArchiveWord::Hslm.text(lang))
                } else {
                    String::new()
                },
                if c.temporary {
                    format!(" · {}", ui.t(Msg::Temporary))
                } else {
                    String::new()
                }
            )));
        }
        None => out.push(Line::from(ui.t(Msg::NoCustomer))),
    }
    out.extend(super::detail_changes::lines(ui, changes));

    out.push(section(ui, Msg::Meters));
    if d.meters.is_empty() {
        out.push(Line::from(ui.t(Msg::NoneYet)));
    }
    for m in &d.meters {
        out.push(Line::from(format!(
            "{} {}  CT {} × PT {} = ×{}  {} {}  {} {}",
            esc(&m.meter_no),
            esc(&m.model),
            m.ct_ratio,
            m.pt_ratio,
            m.multiplier,
            ui.t(Msg::Installed),
            esc(&m.installed_on),
            ui.t(Msg::Verified),
            m.verified_on
                .as_deref()
                .map(esc)
                .unwrap_or_else(|| "-".into())
        )));
    }

    out.push(section(ui, Msg::Notes));
    if d.notes.is_empty() {
        out.push(Line::from(ui.t(Msg::NoneYet)));
    }
    for n in &d.notes {
        out.push(Line::from(Span::styled(
            format!(
                "{} {} ({})",
                esc(&n.business_date),
                esc(&n.author),
                esc(&n.at_utc)
            ),
            ui.theme.dim(),
        )));
        // Notes are multi-line: each line escaped on its own so the newline stays a newline.
        for l in n.text.lines() {
            out.push(Line::from(format!("  {}", esc(l))));
        }
    }

    out.push(section(ui, Msg::History));
    if d.history.is_empty() {
        out.push(Line::from(ui.t(Msg::NoneYet)));
    }
    for h in &d.history {
        out.push(Line::from(esc(&history::line(lang, h))));
    }
    out
}

fn draw_chart(f: &mut Frame, ui: &Ui, d: &FindingDetail, area: Rect) {
    let b = block(ui.theme, ui.t(Msg::Consumption), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if d.bills.is_empty() {
        f.render_widget(Paragraph::new(ui.t(Msg::NoBills)), inner);
        return;
    }
    let n = d.bills.len() as u16;
    let bar_w = (inner.width.saturating_sub(n) / n.max(1)).clamp(1, 8);
    let bars: Vec<Bar> = d
        .bills
        .iter()
        .map(|b| {
            // Label "MM" (the year is in the title row of the finding's subject and dates).
            let label = b
                .period
                .get(5..7)
                .map(esc)
                .unwrap_or_else(|| esc(&b.period));
            let v = b.kwh.max(0.0).round() as u64;
            Bar::default()
                .value(v)
                .label(Line::from(label))
                .text_value(compact(b.kwh))
        })
        .collect();
    f.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_w)
            .bar_gap(1)
            .bar_set(ui.theme.bars())
            .bar_style(ui.theme.chart()),
        inner,
    );
}

/// An archive code's name, or the code itself (escaped) when it is not one of the set.
fn named(name: Option<&'static str>, code: &str) -> String {
    name.map_or_else(|| esc(code), str::to_string)
}

/// kWh in at most 5 characters: 980, 12.3k, 1.2M. Negative values (a data error) keep the sign.
fn compact(v: f64) -> String {
    let a = v.abs();
    let s = if a >= 1e6 {
        format!("{:.1}M", a / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", a / 1e3)
    } else if a >= 1e3 {
        format!("{:.1}k", a / 1e3)
    } else {
        format!("{a:.0}")
    };
    if v < 0.0 {
        format!("-{s}")
    } else {
        s
    }
}
