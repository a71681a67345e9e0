//! Drawing of the frame around the screen (header, status line, scan bar), plus the helpers
//! every screen and dialog draws with: pure, no queries. Dataset text is escaped here, once,
//! as it enters the display layer (`esc`), and cut to its column with `text::truncate`, which
//! never splits a wide character.

pub mod columns;

use super::app::{App, Tone};
use super::i18n::{self, Msg};
use super::keymap::Action as Key;
use super::theme::Theme;
use crate::text;

/// The header's mark on the demo dataset, the same in both languages (README "Configuration").
pub const DEMO_MARK: &str = "演示数据 demo";
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};
use ratatui::Frame;

/// Untrusted text made terminal-safe: the one place the display layer takes dataset text in.
pub(crate) fn esc(s: &str) -> String {
    text::ascii_symbols(&text::escape(s)).into_owned()
}

/// Escaped and cut to `cols` columns.
pub(crate) fn esc_cut(s: &str, cols: usize) -> String {
    text::truncate(&esc(s), cols).into_owned()
}

/// Our own (already safe) text cut to `cols` columns.
pub(crate) fn cut(s: &str, cols: usize) -> String {
    text::truncate(&text::ascii_symbols(s), cols).into_owned()
}

/// Right-aligned in `w` columns by display width (`format!` pads by characters, which
/// misaligns CJK headings).
pub(crate) fn rpad(s: &str, w: usize) -> String {
    let t = cut(s, w);
    format!("{}{t}", " ".repeat(w.saturating_sub(text::width(&t))))
}

/// What a panel shows while its data is on the way from the worker ("…"), or why it failed.
pub(crate) fn draw_pending(f: &mut Frame, theme: &Theme, error: Option<&String>, area: Rect) {
    let (m, st) = match error {
        Some(e) => (e.clone(), theme.error()),
        None => ("…".to_string(), Style::new()),
    };
    f.render_widget(
        Paragraph::new(Span::styled(m, st)).wrap(Wrap { trim: true }),
        area,
    );
}

pub(crate) fn block<'a>(theme: &Theme, title: &str, focused: bool) -> Block<'a> {
    let mut b = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()));
    if focused {
        b = b.border_style(theme.focused_border());
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

/// An amount with its unit, 元 in both languages (`-` when the finding has none).
pub(crate) fn yuan(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2} 元"))
        .unwrap_or_else(|| "-".into())
}

pub fn draw(f: &mut Frame, app: &App) {
    // ASCII mode for this frame: cuts are marked `...`, symbols spelled in ASCII.
    text::set_ascii(app.theme.ascii);
    draw_frame(f, app);
    if app.theme.ascii {
        ascii_only(f.buffer_mut());
    }
}

/// What is left that is not ASCII after the text was spelled in ASCII — a symbol drawn by a
/// widget or written straight into a span — becomes its one-column ASCII stand-in (box lines
/// `-` `|` `+`, blocks `#`, braille `*`, `…` `.`). Letters (CJK too) are text and stay.
pub(crate) fn ascii_only(buf: &mut ratatui::buffer::Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            let mut chars = cell.symbol().chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                continue;
            };
            if let Some(a) = ascii_cell(c) {
                cell.set_char(a);
            }
        }
    }
}

/// One column's ASCII stand-in for a one-column symbol.
fn ascii_cell(c: char) -> Option<char> {
    Some(match c {
        c if c.is_ascii() => return None,
        '─' | '━' | '┄' | '┈' | '═' | '╌' => '-',
        '│' | '┃' | '║' | '┆' | '┊' | '╎' => '|',
        '\u{2500}'..='\u{257F}' => '+',
        '\u{2580}'..='\u{259F}' => '#',
        '\u{2800}' => ' ',
        '\u{2801}'..='\u{28FF}' => '*',
        '\u{25A0}'..='\u{25FF}' => '*',
        '…' => '.',
        c => match text::ascii_of(c) {
            Some(a) if text::width(&c.to_string()) == 1 => a.chars().next()?,
            _ => return None,
        },
    })
}

fn draw_frame(f: &mut Frame, app: &App) {
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
    if let Some(s) = app.current() {
        s.draw(f, body, &app.ui(app.screen));
    }
    if app.job.is_some() {
        draw_job(f, app, job);
    }
    draw_status(f, app, status);
    if let Some((owner, d)) = app.dialog_with_owner() {
        d.draw(f, area, &app.ui(owner));
    }
    blank_overdrawn_wide(f.buffer_mut());
}

/// A wide (two-column) character whose second column something else was drawn over — a
/// dialog's left border landing on the right half of a CJK name — becomes a space. Left as it
/// is, the terminal keeps the wide character there and ratatui, which never sends the cell
/// behind a wide one, loses what was drawn over it (the border went missing at 120×30).
pub(crate) fn blank_overdrawn_wide(buf: &mut ratatui::buffer::Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right().saturating_sub(1) {
            let behind = buf[(x + 1, y)].symbol();
            let overdrawn = !behind.is_empty() && behind != " ";
            if overdrawn && text::width(buf[(x, y)].symbol()) > 1 {
                buf[(x, y)].set_symbol(" ");
            }
        }
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

#[allow(clippy::too_many_lines)] // the header's fields, left to right, as one reads them
fn draw_header(f: &mut Frame, app: &App, area: Rect) {
    let [l1, l2] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let lang = app.lang();
    let tabs = crate::ui::screen::TABS;
    // Below 100 columns the tabs sit one space apart, so that the business date still fits.
    let compact = l1.width < 100;
    // A bound operator's unit beside the role (the audit centre, the usual case, says none).
    let operator = match &app.ctx.unit {
        None => format!(
            "{} ({})",
            esc(&app.ctx.operator),
            i18n::role(lang, app.ctx.role.as_str())
        ),
        Some(unit) => format!(
            "{} ({} · {})",
            esc(&app.ctx.operator),
            i18n::role(lang, app.ctx.role.as_str()),
            esc(unit)
        ),
    };
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
        let lit = app.current().and_then(|c| c.tab()).unwrap_or(app.screen);
        for (k, m, s) in tabs {
            let current = lit == s;
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
    // The demo dataset says so in both languages, right after the date.
    let demo = if app.demo { DEMO_MARK } else { "" };
    let needed = text::width(&format!("{} · {demo} · {operator}", app.ctx.today)) + 1;
    if width_of(&spans) + needed > usize::from(l1.width) {
        spans = build(true);
    }
    let used = width_of(&spans);
    // Date first: it is what a replayed day (--today) changes, and it must stay visible.
    // Then the operator, then the dataset, each only when it fits whole.
    let room = usize::from(l1.width).saturating_sub(used + 1);
    let mut who = app.ctx.today.to_string();
    for part in [demo.into(), operator, esc(&app.dataset_name)] {
        if part.is_empty() {
            continue;
        }
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

    let d = app.shared.dashboard.as_ref();
    let n = |v: Option<u64>| match v {
        Some(v) => count(v),
        None => "…".into(),
    };
    let ts = app.shared.tickets.as_ref();
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
    // Open escalation notices (督办单) last, only when there are some and they fit whole:
    // the other counts are never cut for them (the dashboard lists the escalated units).
    let open_notices = ts.map_or(0, |s| s.escalations.len());
    let with_notices = format!(
        "{counts} · {} {open_notices}",
        crate::i18n::escalation::EscWord::OpenOnDashboard.text(lang)
    );
    let counts = if open_notices > 0 && text::width(&with_notices) <= room {
        with_notices
    } else {
        counts
    };
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
    let keys: &[Key] = app.current().map_or(&[], |s| s.hints());
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

/// The help overlay's lines (tests read them).
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    crate::ui::dialog::help::help_lines(&app.ui(app.screen))
}

#[cfg(test)]
mod wide_tests {
    use super::blank_overdrawn_wide;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn a_wide_character_drawn_over_on_its_right_half_becomes_a_space() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 1));
        buf.set_string(0, 0, "孔洋ab", Style::new());
        // A dialog's border lands on the right half of 洋 (column 3).
        buf[(3, 0)].set_symbol("│");
        blank_overdrawn_wide(&mut buf);
        assert_eq!(buf[(0, 0)].symbol(), "孔", "a whole wide character stays");
        assert_eq!(buf[(2, 0)].symbol(), " ");
        assert_eq!(buf[(3, 0)].symbol(), "│");
        assert_eq!(buf[(4, 0)].symbol(), "a");
    }
}
