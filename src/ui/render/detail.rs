//! One finding: the rule and what it checks, evidence, customer archive, 12 months of kWh as a
//! bar chart, meters, notes and the action-log history.

use super::{block, esc, yuan};
use crate::findings::FindingDetail;
use crate::rules::catalogue;
use crate::ui::app::App;
use crate::ui::i18n::{self, Msg};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Some(d) = &app.detail else { return };
    let title = format!("{} #{}", app.t(Msg::Detail), d.id);
    let Some(data) = &d.data else {
        let b = block(&app.theme, &title, true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let (msg, style) = match &d.error {
            Some(e) => (e.clone(), app.theme.error()),
            None => (app.t(Msg::Loading).to_string(), Style::new()),
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
    let b = block(&app.theme, &title, true);
    let inner = b.inner(text_area);
    f.render_widget(b, text_area);
    f.render_widget(
        Paragraph::new(lines(app, data))
            .wrap(Wrap { trim: false })
            .scroll((d.scroll, 0)),
        inner,
    );
    if chart_area.height > 24 {
        // Tall right column (wide screens): the chart, and the months as numbers under it.
        let [c, t] =
            Layout::vertical([Constraint::Length(14), Constraint::Min(3)]).areas(chart_area);
        draw_chart(f, app, data, c);
        draw_bills(f, app, data, t);
    } else {
        draw_chart(f, app, data, chart_area);
    }
}

fn draw_bills(f: &mut Frame, app: &App, d: &FindingDetail, area: Rect) {
    let b = block(&app.theme, app.t(Msg::Bills), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{} {} {} {}",
            crate::text::fit(app.t(Msg::Period), 8),
            super::rpad(app.t(Msg::Kwh), 12),
            super::rpad(app.t(Msg::Billed), 12),
            super::rpad(app.t(Msg::Paid), 12),
        ),
        app.theme.title(),
    ))];
    for m in d.bills.iter().rev() {
        lines.push(Line::from(format!(
            "{} {:>12.0} {:>12.2} {:>12.2}",
            crate::text::fit(&esc(&m.period), 8),
            m.kwh,
            m.amount,
            m.paid
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn section(app: &App, m: Msg) -> Line<'static> {
    let rule = if app.theme.ascii { "--" } else { "──" };
    Line::from(Span::styled(
        format!("{rule} {} {rule}", app.t(m)),
        app.theme.title(),
    ))
}

fn kv(app: &App, k: Msg, v: String) -> Span<'static> {
    Span::raw(format!("{}: {v}  ", app.t(k)))
}

fn lines(app: &App, d: &FindingDetail) -> Vec<Line<'static>> {
    let lang = app.lang();
    let zh = lang == crate::context::Lang::Zh;
    let r = &d.row;
    let rule = catalogue::find(&r.rule);
    let name = rule.map(|x| x.name(zh)).unwrap_or("");
    let mut out = Vec::new();
    let mut status = i18n::status(lang, &r.status).to_string();
    if let Some(res) = &r.resolution {
        status.push_str(&format!(" ({})", i18n::resolution(lang, res)));
    }
    let mut head = vec![
        Span::styled(format!("{} {name}", esc(&r.rule)), app.theme.title()),
        Span::raw("  "),
        Span::styled(
            format!("[{}]", i18n::severity(lang, &r.severity)),
            app.theme.severity(&r.severity),
        ),
        Span::raw("  "),
        Span::styled(status, app.theme.status(&r.status)),
    ];
    if r.recurred {
        head.push(Span::styled(
            format!("  R {}", app.t(Msg::Recurred)),
            app.theme.error(),
        ));
    }
    if r.suppressed {
        head.push(Span::raw(format!("  W {}", app.t(Msg::Suppressed))));
    }
    out.push(Line::from(head));
    if let Some(x) = rule {
        out.push(Line::from(vec![
            Span::styled(format!("{}: ", app.t(Msg::Checks)), app.theme.dim()),
            Span::raw(x.checks),
        ]));
    }
    out.push(Line::from(vec![
        Span::styled(format!("{}: ", app.t(Msg::Evidence)), app.theme.dim()),
        Span::raw(esc(&r.evidence)),
    ]));
    let mut facts = vec![
        kv(app, Msg::Subject, esc(&r.subject)),
        kv(app, Msg::FirstSeen, esc(&r.first_seen)),
        kv(app, Msg::LastSeen, esc(&r.last_seen)),
        kv(app, Msg::Amount, yuan(r.amount_yuan)),
    ];
    if let Some(l) = r.level {
        facts.push(kv(app, Msg::Level, l.to_string()));
    }
    out.push(Line::from(facts));

    out.push(section(app, Msg::CustomerArchive));
    match &d.customer {
        Some(c) => {
            out.push(Line::from(vec![
                Span::styled(
                    format!("{} {}", esc(&c.cust_no), esc(&c.name)),
                    app.theme.title(),
                ),
                Span::raw(format!(
                    "  {} {} {}  {} kV  {} kVA  {} / {}",
                    esc(&c.category),
                    esc(&c.price_code),
                    esc(&c.billing_mode),
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
                app.t(Msg::Opened),
                esc(&c.opened_on),
                esc(&c.status),
                c.closed_on
                    .as_deref()
                    .map(|d| format!(" {}", esc(d)))
                    .unwrap_or_default(),
                c.pf_standard
                    .map(|p| format!(" · PF {p}"))
                    .unwrap_or_default(),
                if c.hslm { " · HSLM" } else { "" },
                if c.temporary {
                    format!(" · {}", app.t(Msg::Temporary))
                } else {
                    String::new()
                }
            )));
        }
        None => out.push(Line::from(app.t(Msg::NoCustomer))),
    }

    out.push(section(app, Msg::Meters));
    if d.meters.is_empty() {
        out.push(Line::from(app.t(Msg::NoneYet)));
    }
    for m in &d.meters {
        out.push(Line::from(format!(
            "{} {}  CT {} × PT {} = ×{}  {} {}  {} {}",
            esc(&m.meter_no),
            esc(&m.model),
            m.ct_ratio,
            m.pt_ratio,
            m.multiplier,
            app.t(Msg::Installed),
            esc(&m.installed_on),
            app.t(Msg::Verified),
            m.verified_on
                .as_deref()
                .map(esc)
                .unwrap_or_else(|| "-".into())
        )));
    }

    out.push(section(app, Msg::Notes));
    if d.notes.is_empty() {
        out.push(Line::from(app.t(Msg::NoneYet)));
    }
    for n in &d.notes {
        out.push(Line::from(Span::styled(
            format!(
                "{} {} ({})",
                esc(&n.business_date),
                esc(&n.author),
                esc(&n.at_utc)
            ),
            app.theme.dim(),
        )));
        // Notes are multi-line: each line escaped on its own so the newline stays a newline.
        for l in n.text.lines() {
            out.push(Line::from(format!("  {}", esc(l))));
        }
    }

    out.push(section(app, Msg::History));
    if d.history.is_empty() {
        out.push(Line::from(app.t(Msg::NoneYet)));
    }
    for h in &d.history {
        out.push(Line::from(format!(
            "{} {} {} {}",
            esc(&h.business_date),
            esc(&h.operator),
            esc(&h.action),
            esc(&h.details)
        )));
    }
    out
}

fn draw_chart(f: &mut Frame, app: &App, d: &FindingDetail, area: Rect) {
    let b = block(&app.theme, app.t(Msg::Consumption), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if d.bills.is_empty() {
        f.render_widget(Paragraph::new(app.t(Msg::NoBills)), inner);
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
            .bar_set(app.theme.bars())
            .bar_style(app.theme.chart()),
        inner,
    );
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
