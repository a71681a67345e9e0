//! Drawing: pure functions of the `App`, no queries. Dataset text is escaped here, once, as it
//! enters the display layer (`esc`), and cut to its column with `text::truncate`, which never
//! splits a wide character.

mod dashboard;
mod detail;
mod findings;
mod quality;
mod reports;
mod rules;
mod theme;
mod tickets;
mod whitelist;

use super::app::{
    App, EditFor, Form, Modal, PromptFor, Screen, Tone, WlFindings, WlSubject, RESOLUTIONS,
};
use super::i18n::{self, Msg};
use super::keymap::{Action as Key, Context, ACTIONS};
use crate::text;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Wrap};
use ratatui::Frame;

/// Untrusted text made terminal-safe: the one place the display layer takes dataset text in.
pub(crate) fn esc(s: &str) -> String {
    text::escape(s).into_owned()
}

/// Escaped and cut to `cols` columns.
pub(crate) fn esc_cut(s: &str, cols: usize) -> String {
    text::truncate(&esc(s), cols).into_owned()
}

/// Our own (already safe) text cut to `cols` columns.
pub(crate) fn cut(s: &str, cols: usize) -> String {
    text::truncate(s, cols).into_owned()
}

/// Right-aligned in `w` columns by display width (`format!` pads by characters, which
/// misaligns CJK headings).
pub(crate) fn rpad(s: &str, w: usize) -> String {
    let t = cut(s, w);
    format!("{}{t}", " ".repeat(w.saturating_sub(text::width(&t))))
}

/// What a panel shows while its data is on the way from the worker ("…"), or why it failed.
pub(crate) fn draw_pending(f: &mut Frame, app: &App, error: Option<&String>, area: Rect) {
    let (m, st) = match error {
        Some(e) => (e.clone(), app.theme.error()),
        None => ("…".to_string(), Style::new()),
    };
    f.render_widget(
        Paragraph::new(Span::styled(m, st)).wrap(Wrap { trim: true }),
        area,
    );
}

pub(crate) fn block<'a>(app: &App, title: &str, focused: bool) -> Block<'a> {
    let mut b = Block::default()
        .borders(Borders::ALL)
        .border_set(app.theme.border())
        .title(Span::styled(format!(" {title} "), app.theme.title()));
    if focused {
        b = b.border_style(app.theme.focused_border());
    }
    b
}

/// Thousands separated, for counts that can reach a million.
pub(crate) fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(crate) fn yuan(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into())
}

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    if area.width < super::app::MIN_W || area.height < super::app::MIN_H {
        draw_too_small(f, app, area);
        return;
    }
    let job_rows = u16::from(app.job.is_some());
    let [head, body, job, status] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(job_rows),
        Constraint::Length(app.status_rows()),
    ])
    .areas(area);
    draw_header(f, app, head);
    match app.screen {
        Screen::Dashboard => dashboard::draw(f, app, body),
        Screen::Findings => findings::draw(f, app, body),
        Screen::Detail => detail::draw(f, app, body),
        Screen::Rules => rules::draw(f, app, body),
        Screen::Whitelist => whitelist::draw(f, app, body),
        Screen::Tickets => tickets::draw_list(f, app, body),
        Screen::Ticket => tickets::draw_page(f, app, body),
        Screen::Reports => reports::draw(f, app, body),
        Screen::Quality => quality::draw(f, app, body),
        Screen::QualityDrill => quality::draw_drill(f, app, body),
        Screen::Theme => theme::draw(f, app, body),
    }
    if app.job.is_some() {
        draw_job(f, app, job);
    }
    draw_status(f, app, status);
    if let Some(m) = &app.modal {
        draw_modal(f, app, m, area);
    }
}

fn draw_too_small(f: &mut Frame, app: &App, area: Rect) {
    let msg = i18n::too_small(app.lang(), area.width, area.height);
    let y = area.height / 2;
    let rect = Rect::new(
        area.x,
        area.y + y,
        area.width,
        area.height.saturating_sub(y),
    );
    f.render_widget(
        Paragraph::new(msg)
            .wrap(Wrap { trim: true })
            .alignment(ratatui::layout::Alignment::Center)
            .style(Style::new().add_modifier(Modifier::BOLD)),
        rect,
    );
}

fn draw_header(f: &mut Frame, app: &App, area: Rect) {
    let [l1, l2] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let lang = app.lang();
    let tabs = [
        (Key::GoDashboard, Msg::Dashboard, Screen::Dashboard),
        (Key::GoFindings, Msg::Findings, Screen::Findings),
        (Key::GoRules, Msg::Rules, Screen::Rules),
        (Key::GoWhitelist, Msg::Whitelist, Screen::Whitelist),
        (Key::GoTickets, Msg::Tickets, Screen::Tickets),
        (Key::GoReports, Msg::Reports, Screen::Reports),
        (Key::GoQuality, Msg::Quality, Screen::Quality),
        (Key::GoTheme, Msg::Themes, Screen::Theme),
    ];
    // Below 100 columns the tabs sit one space apart, so that the business date still fits.
    let compact = l1.width < 100;
    let operator = format!(
        "{} ({})",
        esc(&app.ctx.operator),
        i18n::role(lang, app.ctx.role.as_str())
    );
    // Who is acting must always show (people share screens and accounts get mixed up): when
    // it does not fit beside the full tabs, the other tabs shrink to their key.
    let build = |short: bool| {
        let mut spans = Vec::new();
        if l1.width >= 100 && !short {
            spans.push(Span::styled(
                format!("{} ", app.t(Msg::AppName)),
                app.theme.title(),
            ));
        }
        for (k, m, s) in tabs {
            let current = app.screen == s
                || (s == Screen::Findings && app.screen == Screen::Detail)
                || (s == Screen::Quality && app.screen == Screen::QualityDrill)
                || (s == Screen::Tickets && app.screen == Screen::Ticket);
            // Brackets mark the current screen without relying on colour.
            let label = match (current, compact, short) {
                (true, _, _) => format!("[{} {}]", app.keymap.hint(k), m.text(lang)),
                (false, _, true) => app.keymap.hint(k).to_string(),
                (false, false, false) => format!(" {} {} ", app.keymap.hint(k), m.text(lang)),
                (false, true, false) => format!("{} {}", app.keymap.hint(k), m.text(lang)),
            };
            if (compact || short) && !spans.is_empty() {
                spans.push(Span::raw(" "));
            }
            let style = if current {
                app.theme.selected()
            } else {
                Style::new()
            };
            spans.push(Span::styled(label, style));
        }
        spans
    };
    let width_of = |spans: &[Span]| spans.iter().map(|s| text::width(&s.content)).sum::<usize>();
    let mut spans = build(false);
    let needed = text::width(&format!("{} · {operator}", app.ctx.today)) + 1;
    if width_of(&spans) + needed > usize::from(l1.width) {
        spans = build(true);
    }
    let used = width_of(&spans);
    // Date first: it is what a replayed day (--today) changes, and it must stay visible.
    // Then the operator, then the dataset, each only when it fits whole.
    let room = usize::from(l1.width).saturating_sub(used + 1);
    let mut who = app.ctx.today.to_string();
    for part in [operator, esc(&app.dataset_name)] {
        let longer = format!("{who} · {part}");
        if text::width(&longer) > room {
            break;
        }
        who = longer;
    }
    let who = cut(&who, room);
    let pad = room.saturating_sub(text::width(&who)) + 1;
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(who, app.theme.dim()));
    f.render_widget(Paragraph::new(Line::from(spans)), l1);

    let d = app.dash.data.as_ref();
    let n = |v: Option<u64>| match v {
        Some(v) if !app.dash.loading() || d.is_some() => count(v),
        _ => "…".into(),
    };
    let ts = app.tk.summary.as_ref();
    let overdue = match ts {
        Some(s) => count(s.overdue_open),
        None => "…".into(),
    };
    let counts = format!(
        "{} {} · {} {} · {} {} · {} {}",
        app.t(Msg::NewToday),
        n(d.map(|d| d.new_today)),
        app.t(Msg::Open),
        n(d.map(|d| d.open)),
        app.t(Msg::OverdueTickets),
        overdue,
        app.t(Msg::WlExpiring),
        n(d.map(|d| d.whitelist_expiring)),
    );
    let help = format!(
        "{} {}",
        app.keymap.hint(Key::Help),
        app.t(Msg::HelpHint).trim_start_matches("? ")
    );
    let room = usize::from(l2.width).saturating_sub(text::width(&help) + 1);
    let counts = cut(&counts, room);
    let pad = usize::from(l2.width).saturating_sub(text::width(&counts) + text::width(&help));
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(counts, app.theme.title()),
            Span::raw(" ".repeat(pad)),
            Span::styled(help, app.theme.key()),
        ])),
        l2,
    );
}

fn draw_job(f: &mut Frame, app: &App, area: Rect) {
    let Some(job) = &app.job else { return };
    let p = job.progress.lock().map(|p| p.clone()).ok();
    let (ratio, stage) = match &p {
        Some(p) if p.total > 0 => (
            (p.done as f64 / p.total as f64).clamp(0.0, 1.0),
            p.stage.clone(),
        ),
        Some(p) => (0.0, p.stage.clone()),
        None => (0.0, String::new()),
    };
    let label = format!(
        "{} {:>3}% · {} {}",
        esc_cut(&i18n::scan_progress(app.lang(), &stage), 40),
        (ratio * 100.0).round() as u64,
        app.keymap.hint(Key::CancelJob),
        app.t(Msg::ScanCancelHint)
    );
    if app.theme.color && !app.theme.ascii {
        f.render_widget(
            Gauge::default()
                .gauge_style(app.theme.gauge())
                .ratio(ratio)
                .label(label)
                .use_unicode(true),
            area,
        );
    } else {
        // Without colour a Gauge's fill is invisible: draw the bar in characters.
        let w = 20usize;
        let filled = (ratio * w as f64).round() as usize;
        let bar = format!("[{}{}] {label}", "#".repeat(filled), "-".repeat(w - filled));
        f.render_widget(Paragraph::new(bar), area);
    }
}

/// The status (up to two rows: a refusal that names findings must be readable at 80
/// columns), "waiting for the dataset…" while a change is written, else the key hints.
fn draw_status(f: &mut Frame, app: &App, area: Rect) {
    let line = match app.status_text() {
        Some((tone, text)) => {
            let style = match tone {
                Tone::Error => app.theme.error(),
                Tone::Info => app.theme.ok(),
            };
            let fits = usize::from(area.width) * usize::from(area.height.max(1));
            Line::from(Span::styled(cut(&text, fits), style))
        }
        None => hints(app, area.width),
    };
    f.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), area);
}

/// The keys that matter on this screen, from the active keymap.
fn hints(app: &App, width: u16) -> Line<'static> {
    let keys: &[Key] = match app.screen {
        Screen::Dashboard => &[
            Key::NextPanel,
            Key::Open,
            Key::GoFindings,
            Key::Scan,
            Key::Help,
            Key::Quit,
        ],
        Screen::Findings => &[
            Key::Confirm,
            Key::Close,
            Key::Reopen,
            Key::Note,
            Key::WhitelistAdd,
            Key::TicketCreate,
            Key::Mark,
            Key::Search,
            Key::FilterStatus,
            Key::Sort,
            Key::Open,
            Key::Help,
        ],
        Screen::Detail => &[
            Key::DConfirm,
            Key::DClose,
            Key::DReopen,
            Key::DNote,
            Key::DWhitelistAdd,
            Key::DTicketCreate,
            Key::Back,
        ],
        Screen::Rules => &[Key::Open, Key::Back, Key::Help],
        Screen::Whitelist => &[
            Key::WlView,
            Key::WlAdd,
            Key::WlExtend,
            Key::WlRevoke,
            Key::WlApprove,
            Key::Help,
        ],
        Screen::Tickets => &[
            Key::TkView,
            Key::Open,
            Key::TkAck,
            Key::TkSubmit,
            Key::TkApprove,
            Key::TkReturn,
            Key::TkCancel,
            Key::Help,
        ],
        Screen::Ticket => &[
            Key::TkAck,
            Key::TkSubmit,
            Key::TkApprove,
            Key::TkReturn,
            Key::TkCancel,
            Key::Open,
            Key::Back,
        ],
        Screen::Reports => &[Key::RpPeriod, Key::RpChart, Key::Refresh, Key::Help],
        Screen::Quality => &[
            Key::QPrevPeriod,
            Key::QNextPeriod,
            Key::QPeriodKind,
            Key::QLevel,
            Key::Open,
            Key::Back,
            Key::QEnterValue,
            Key::Help,
        ],
        Screen::QualityDrill => &[
            Key::Open,
            Key::Back,
            Key::QPrevPeriod,
            Key::QEnterValue,
            Key::Help,
        ],
        Screen::Theme => &[
            Key::ThCategory,
            Key::ThRule,
            Key::ThExport,
            Key::Open,
            Key::Back,
            Key::Help,
        ],
    };
    let mut spans = Vec::new();
    let mut used = 0;
    for k in keys {
        let key = app.keymap.hint(*k);
        let what = i18n::action_short(app.lang(), *k);
        let w = text::width(&key) + text::width(what) + 3;
        if used + w > usize::from(width) {
            break;
        }
        used += w;
        spans.push(Span::styled(key, app.theme.key()));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    Line::from(spans)
}

/// The distinct customers of findings being whitelisted, escaped, in order.
fn customers(findings: &WlFindings) -> String {
    let mut seen = std::collections::BTreeSet::new();
    findings
        .subjects
        .iter()
        .filter(|(_, c)| seen.insert(c.as_str()))
        .map(|(_, c)| esc(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a whitelist reason is for: a rule and a customer, or how many findings and entries.
fn wl_subject(app: &App, subject: &WlSubject) -> String {
    match subject {
        WlSubject::Typed { rule, cust_no } => format!("{} {}", esc(rule), esc(cust_no)),
        WlSubject::Findings {
            findings,
            every_rule,
        } => {
            let entries = findings.entries(*every_rule);
            match entries.as_slice() {
                [e] if !findings.targets.marked => format!("{} {}", esc(&e.rule), esc(&e.cust_no)),
                _ => i18n::wl_reason_for(
                    app.lang(),
                    findings.targets.len(),
                    entries.len(),
                    findings.targets.marked,
                ),
            }
        }
    }
}

/// A rectangle of `w`×`h` centred in `area` (clamped to it).
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn draw_modal(f: &mut Frame, app: &App, m: &Modal, area: Rect) {
    match m {
        Modal::Help { scroll } => draw_help(f, app, *scroll, area),
        Modal::Confirm { question, .. } => {
            let w = (text::width(question) as u16 + 6).clamp(40, area.width.saturating_sub(4));
            let r = centered(area, w, 6);
            f.render_widget(Clear, r);
            let p = Paragraph::new(vec![
                Line::from(Span::styled(esc(question), app.theme.title())),
                Line::from(""),
                Line::from(Span::styled(app.t(Msg::YesNo), app.theme.key())),
            ])
            .wrap(Wrap { trim: false })
            .block(block(app, "?", true));
            f.render_widget(p, r);
        }
        Modal::Resolution { targets, sel } => {
            let r = centered(area, 56, 9);
            f.render_widget(Clear, r);
            let mut lines = Vec::new();
            for (i, res) in RESOLUTIONS.iter().enumerate() {
                let need = if *res == "rectified" {
                    app.t(Msg::NoteOptional)
                } else {
                    app.t(Msg::NoteRequired)
                };
                let mark = if i == *sel { ">" } else { " " };
                let line = format!(
                    "{mark} {} {} ({need})",
                    i + 1,
                    i18n::resolution(app.lang(), res)
                );
                let style = if i == *sel {
                    app.theme.selected()
                } else {
                    Style::new()
                };
                lines.push(Line::from(Span::styled(line, style)));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                app.t(Msg::PickKeys),
                app.theme.key(),
            )));
            let title = format!("{} ({})", app.t(Msg::ChooseResolution), targets.len());
            f.render_widget(Paragraph::new(lines).block(block(app, &title, true)), r);
        }
        Modal::WlScope { findings, sel } => {
            let t = &findings.targets;
            let (title, opts, first) = match findings.subjects.as_slice() {
                [(rule, cust_no)] if !t.marked => (
                    app.t(Msg::WlScopeTitle).to_string(),
                    [
                        format!("{} ({})", app.t(Msg::ThisRule), esc(rule)),
                        app.t(Msg::EveryRule).to_string(),
                    ],
                    format!("{}: {}", app.t(Msg::CustNo), esc(cust_no)),
                ),
                _ => {
                    let own = findings.entries(false).len();
                    let every = findings.entries(true).len();
                    (
                        i18n::wl_scope_title(app.lang(), t.len(), t.marked),
                        [
                            i18n::wl_scope_own(app.lang(), own),
                            i18n::wl_scope_every(app.lang(), every),
                        ],
                        i18n::wl_scope_customers(app.lang(), &customers(findings)),
                    )
                }
            };
            let r = centered(area, 64, 8);
            f.render_widget(Clear, r);
            let inner = usize::from(r.width.saturating_sub(4));
            let mut lines = vec![Line::from(cut(&first, inner))];
            for (i, o) in opts.iter().enumerate() {
                let mark = if i == *sel { ">" } else { " " };
                let style = if i == *sel {
                    app.theme.selected()
                } else {
                    Style::new()
                };
                lines.push(Line::from(Span::styled(format!("{mark} {o}"), style)));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                app.t(Msg::ScopeKeys),
                app.theme.key(),
            )));
            f.render_widget(
                Paragraph::new(lines).block(block(app, &cut(&title, inner), true)),
                r,
            );
        }
        Modal::Prompt(p) => {
            let title = match &p.purpose {
                PromptFor::QualityValue {
                    indicator,
                    unit,
                    period,
                } => &i18n::quality_value_title(
                    app.lang(),
                    &esc(&indicator.name),
                    &esc(unit),
                    &i18n::period_label(app.lang(), period),
                ),
                PromptFor::Search => app.t(Msg::PromptSearch),
                PromptFor::Unit => app.t(Msg::PromptUnit),
                PromptFor::Rule => app.t(Msg::PromptRule),
                PromptFor::WlCustomer => app.t(Msg::PromptWlCustomer),
                PromptFor::WlRule { .. } => app.t(Msg::PromptWlRule),
                PromptFor::WlAddDays { .. } => app.t(Msg::PromptDays),
                PromptFor::WlExtendDays { .. } => app.t(Msg::PromptExtendDays),
                PromptFor::ThemeRule => app.t(Msg::PromptThemeRule),
                PromptFor::ThemeExport => app.t(Msg::PromptThemeExport),
            };
            let w = area.width.saturating_sub(8).min(76);
            let r = centered(area, w, 6);
            f.render_widget(Clear, r);
            let inner = usize::from(w.saturating_sub(4));
            // The tail of a long input stays visible, where the cursor is.
            let shown = esc(&p.input);
            let shown = if text::width(&shown) > inner {
                let chars: Vec<char> = shown.chars().collect();
                let mut start = 0;
                while text::width(&chars[start..].iter().collect::<String>()) > inner {
                    start += 1;
                }
                chars[start..].iter().collect()
            } else {
                shown
            };
            let mut lines = Vec::new();
            // A value's scale, so that 0.95 is not typed where 95 is meant.
            if let PromptFor::QualityValue { indicator: i, .. } = &p.purpose {
                let scale = i18n::quality_value_scale(
                    app.lang(),
                    &i.base_value.to_string(),
                    &i.full_value.to_string(),
                    &i.full_score.to_string(),
                );
                lines.push(Line::from(Span::styled(
                    cut(&scale, inner),
                    app.theme.dim(),
                )));
            }
            lines.push(Line::from(vec![
                Span::raw(shown),
                Span::styled("_", app.theme.key()),
            ]));
            lines.push(match &p.error {
                Some(e) => Line::from(Span::styled(cut(e, inner + 2), app.theme.error())),
                None => Line::from(""),
            });
            // An empty value clears nothing: it is refused like any other non-number.
            let keys = match &p.purpose {
                PromptFor::QualityValue { .. } => Msg::QValueKeys,
                _ => Msg::PromptKeys,
            };
            lines.push(Line::from(Span::styled(app.t(keys), app.theme.key())));
            f.render_widget(
                Paragraph::new(lines).block(block(app, &cut(title, inner), true)),
                r,
            );
        }
        Modal::QIndicator {
            unit,
            period,
            items,
            sel,
        } => {
            let w = area.width.saturating_sub(8).min(76);
            let inner = usize::from(w.saturating_sub(4));
            let shown = usize::from(area.height.saturating_sub(8)).clamp(1, 9);
            let start = sel.saturating_sub(shown - 1);
            let mut lines = Vec::new();
            for (n, i) in items.iter().enumerate().skip(start).take(shown) {
                let mark = if n == *sel { ">" } else { " " };
                let key = if n < 9 {
                    (n + 1).to_string()
                } else {
                    " ".into()
                };
                let line = format!(
                    "{mark} {key} {} · {} ({} → {})",
                    esc(&i.category),
                    esc(&i.name),
                    i.base_value,
                    i.full_value
                );
                let style = if n == *sel {
                    app.theme.selected()
                } else {
                    Style::new()
                };
                lines.push(Line::from(Span::styled(cut(&line, inner + 2), style)));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                app.t(Msg::QPickKeys),
                app.theme.key(),
            )));
            let r = centered(area, w, lines.len() as u16 + 2);
            f.render_widget(Clear, r);
            let title = format!(
                "{} {} · {}",
                app.t(Msg::QPickIndicator),
                esc(unit),
                i18n::period_label(app.lang(), period)
            );
            f.render_widget(
                Paragraph::new(lines).block(block(app, &cut(&title, inner), true)),
                r,
            );
        }
        Modal::Form(form) => draw_form(f, app, form, area),
        Modal::Editor(e) => {
            let title = match &e.purpose {
                EditFor::Note(t) => format!("{} ({})", app.t(Msg::EditNote), t.len()),
                EditFor::CloseNote(t, res) => format!(
                    "{} — {} ({})",
                    app.t(Msg::EditCloseNote),
                    i18n::resolution(app.lang(), res),
                    t.len()
                ),
                EditFor::WhitelistAdd { subject, days } => format!(
                    "{} — {} {}",
                    app.t(Msg::EditWlReason),
                    wl_subject(app, subject),
                    days.map(|d| format!("{d}d")).unwrap_or_default()
                ),
                EditFor::WhitelistExtend { id, days, .. } => {
                    format!("{} — #{id} +{days}d", app.t(Msg::EditExtendReason))
                }
                EditFor::WhitelistRevoke { id, .. } => {
                    format!("{} — #{id}", app.t(Msg::EditRevokeReason))
                }
                EditFor::TicketReturn { number, .. } => {
                    format!("{} — {}", app.t(Msg::EditReturnReason), esc(number))
                }
                EditFor::TicketCancel {
                    number, findings, ..
                } => format!(
                    "{} — {} ({findings})",
                    app.t(Msg::EditCancelReason),
                    esc(number)
                ),
            };
            let w = area.width.saturating_sub(6).min(100);
            let h = area.height.saturating_sub(6).min(16);
            let r = centered(area, w, h);
            f.render_widget(Clear, r);
            let outer = block(app, &cut(&title, usize::from(w.saturating_sub(4))), true);
            let inner = outer.inner(r);
            f.render_widget(outer, r);
            let [text_area, msg, keys] = Layout::vertical([
                Constraint::Min(1),
                Constraint::Length(1),
                Constraint::Length(1),
            ])
            .areas(inner);
            f.render_widget(&e.area, text_area);
            if e.ask_discard {
                f.render_widget(
                    Paragraph::new(Span::styled(app.t(Msg::DiscardAsk), app.theme.error())),
                    msg,
                );
            } else if let Some(err) = &e.error {
                f.render_widget(
                    Paragraph::new(Span::styled(err.clone(), app.theme.error())),
                    msg,
                );
            }
            let save = app.keymap.all_keys(Key::Save);
            let cancel = app.keymap.all_keys(Key::Cancel);
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(save, app.theme.key()),
                    Span::raw(format!(" {}   ", app.t(Msg::EditorSave))),
                    Span::styled(cancel, app.theme.key()),
                    Span::raw(format!(" {}", app.t(Msg::EditorCancel))),
                ])),
                keys,
            );
        }
    }
}

/// A form: each field's label, then its text box; `>` marks the field being edited (not
/// colour alone). Multi-line fields get three rows, or four where the window allows.
fn draw_form(f: &mut Frame, app: &App, form: &Form, area: Rect) {
    let title = match &form.purpose {
        super::app::FormFor::TicketCreate { targets, .. } => format!(
            "{} ({} {})",
            app.t(Msg::FormCreateTicket),
            targets.len(),
            app.t(Msg::FindingsCount)
        ),
        super::app::FormFor::TicketSubmit { number, .. } => {
            format!("{} — {}", app.t(Msg::FormSubmitTicket), esc(number))
        }
    };
    draw_form_with(f, app, form, area, &title)
}

fn draw_form_with(f: &mut Frame, app: &App, form: &Form, area: Rect, title: &str) {
    let multi = form.fields.iter().filter(|x| x.multiline).count() as u16;
    let single = form.fields.len() as u16 - multi;
    // label + box per field, then a message line and the keys line, then the border.
    let fixed = form.fields.len() as u16 + single + 2 + 2;
    let room = area.height.saturating_sub(2 + fixed);
    let multi_rows = room.checked_div(multi).map_or(0, |r| r.clamp(2, 5));
    let h = fixed + multi * multi_rows;
    let w = area.width.saturating_sub(6).min(100);
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    let outer = block(app, &cut(title, usize::from(w.saturating_sub(4))), true);
    let inner = outer.inner(r);
    f.render_widget(outer, r);
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    for (i, field) in form.fields.iter().enumerate() {
        if y >= bottom {
            break;
        }
        let focused = i == form.focus;
        let mark = if focused { "> " } else { "  " };
        let style = if focused {
            app.theme.title()
        } else {
            app.theme.dim()
        };
        f.render_widget(
            Paragraph::new(Span::styled(
                cut(&format!("{mark}{}", field.label), usize::from(inner.width)),
                style,
            )),
            Rect::new(inner.x, y, inner.width, 1),
        );
        y += 1;
        let rows = if field.multiline { multi_rows } else { 1 };
        let rows = rows.min(bottom.saturating_sub(y));
        f.render_widget(
            &field.area,
            Rect::new(inner.x + 2, y, inner.width.saturating_sub(2), rows),
        );
        y += rows;
    }
    if bottom >= 2 {
        let msg = Rect::new(inner.x, bottom - 2, inner.width, 1);
        if form.ask_discard {
            f.render_widget(
                Paragraph::new(Span::styled(app.t(Msg::DiscardAsk), app.theme.error())),
                msg,
            );
        } else if let Some(err) = &form.error {
            f.render_widget(
                Paragraph::new(Span::styled(
                    cut(err, usize::from(inner.width)),
                    app.theme.error(),
                )),
                msg,
            );
        }
        let keys = Line::from(vec![
            Span::styled(app.keymap.hint(Key::Save), app.theme.key()),
            Span::raw(format!(" {}  ", app.t(Msg::EditorSave))),
            Span::styled(app.keymap.hint(Key::Cancel), app.theme.key()),
            Span::raw(format!(" {}  ", app.t(Msg::EditorCancel))),
            Span::styled(
                format!(
                    "{}/{}",
                    app.keymap.hint(Key::NextField),
                    app.keymap.hint(Key::PrevField)
                ),
                app.theme.key(),
            ),
            Span::raw(format!(" {}", app.t(Msg::FormKeys))),
        ]);
        f.render_widget(
            Paragraph::new(keys),
            Rect::new(inner.x, bottom - 1, inner.width, 1),
        );
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
    }
}

/// Generated from the active keymap, so it is never out of date.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for ctx in Context::ALL {
        lines.push(Line::from(Span::styled(
            format!("— {} —", app.t(ctx_title(ctx))),
            app.theme.title(),
        )));
        for (c, _, a) in ACTIONS {
            if *c != ctx {
                continue;
            }
            let keys = app.keymap.all_keys(*a);
            let pad = 16usize.saturating_sub(text::width(&keys));
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys}"), app.theme.key()),
                Span::raw(format!(
                    "{}  {}",
                    " ".repeat(pad),
                    i18n::action_help(app.lang(), *a)
                )),
            ]));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(app.t(Msg::Legend)));
    lines.push(Line::from(app.t(Msg::DialogKeys)));
    lines
}

fn draw_help(f: &mut Frame, app: &App, scroll: u16, area: Rect) {
    let r = centered(
        area,
        area.width.saturating_sub(4).min(100),
        area.height.saturating_sub(2),
    );
    f.render_widget(Clear, r);
    let title = format!(
        "{} ({}) · ↑↓ · {}",
        app.t(Msg::Help),
        esc(&app.keymap.name),
        app.t(Msg::HelpClose)
    );
    let lines = help_lines(app);
    // Two columns when the window is wide enough to show everything at once.
    let b = block(
        app,
        &cut(&title, usize::from(r.width.saturating_sub(4))),
        true,
    );
    let inner = b.inner(r);
    f.render_widget(b, r);
    if inner.width >= 96 && lines.len() > usize::from(inner.height) {
        let half = lines.len().div_ceil(2);
        let [a, bb] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner);
        let (l, rr) = lines.split_at(half);
        f.render_widget(Paragraph::new(l.to_vec()).scroll((scroll, 0)), a);
        f.render_widget(Paragraph::new(rr.to_vec()).scroll((scroll, 0)), bb);
    } else {
        f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    }
}
