//! 异常: the filter bar and the windowed list (only the visible rows were fetched).

use super::{Findings, IDS};
use crate::findings::Suppressed;
use crate::states::FindingStatus;
use crate::text;
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::Action as Key;
use crate::ui::render::{block, count, cut, esc, yuan};
use crate::ui::screen::Ui;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

struct Col {
    title: Msg,
    width: usize,
    right: bool,
}

pub fn draw(f: &mut Frame, l: &Findings, ui: &Ui, area: Rect) {
    let [bar, table] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    draw_filter_bar(f, l, ui, bar);
    draw_table(f, l, ui, table);
}

fn draw_filter_bar(f: &mut Frame, l: &Findings, ui: &Ui, area: Rect) {
    let lang = ui.lang();
    let all = ui.t(Msg::All);
    let opt = |v: &Option<String>| v.as_deref().map(esc).unwrap_or_else(|| all.to_string());
    let status = l
        .filter
        .status
        .as_deref()
        .map(|s| i18n::status(lang, s).to_string())
        .unwrap_or_else(|| all.to_string());
    let sev = l
        .filter
        .severity
        .as_deref()
        .map(|s| i18n::severity(lang, s).to_string())
        .unwrap_or_else(|| all.to_string());
    let level = l
        .filter
        .level
        .map(|v| v.to_string())
        .unwrap_or_else(|| all.to_string());
    let supp = match l.filter.suppressed {
        Suppressed::Hide => ui.t(Msg::SuppHide),
        Suppressed::Only => ui.t(Msg::SuppOnly),
        Suppressed::Include => ui.t(Msg::SuppInclude),
    };
    let k = |a: Key| ui.keymap.hint(a);
    let parts = [
        (k(Key::FilterStatus), ui.t(Msg::Status), status),
        (k(Key::FilterRule), ui.t(Msg::Rule), opt(&l.filter.rule)),
        (
            k(Key::FilterUnit),
            ui.t(Msg::UnitFilter),
            opt(&l.filter.station),
        ),
        (k(Key::FilterSeverity), ui.t(Msg::Severity), sev),
        (k(Key::FilterLevel), ui.t(Msg::Level), level),
        (k(Key::Search), ui.t(Msg::Text), opt(&l.filter.text)),
        (
            k(Key::FilterSuppressed),
            ui.t(Msg::Suppressed),
            supp.to_string(),
        ),
    ];
    let mut spans = Vec::new();
    for (i, (key, label, value)) in parts.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" │ ", ui.theme.dim()));
        }
        spans.push(Span::styled(key, ui.theme.key()));
        spans.push(Span::raw(format!(" {label}: ")));
        spans.push(Span::styled(value, ui.theme.title()));
    }
    let total = match (l.total(), ui.loading(IDS)) {
        (Some(n), false) => count(n as u64),
        (Some(n), true) => format!("{}…", count(n as u64)),
        (None, _) => "…".into(),
    };
    let dir = if l.desc {
        ui.t(Msg::Descending)
    } else {
        ui.t(Msg::Ascending)
    };
    let mut second = vec![
        Span::styled(k(Key::Sort), ui.theme.key()),
        Span::raw(format!(" {}: ", ui.t(Msg::Sort))),
        Span::styled(
            format!("{} {dir}", i18n::sort_key(lang, l.sort)),
            ui.theme.title(),
        ),
        Span::styled(" │ ", ui.theme.dim()),
        Span::styled(
            format!("{total} {}", ui.t(Msg::FindingsCount)),
            ui.theme.title(),
        ),
    ];
    if !l.marked.is_empty() {
        second.push(Span::styled(" │ ", ui.theme.dim()));
        second.push(Span::styled(
            format!("{} {}", count(l.marked.len() as u64), ui.t(Msg::Marked)),
            ui.theme.key(),
        ));
    }
    // The first line wraps into the second row on narrow screens; the sort line goes after.
    let first_w: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    if first_w <= usize::from(area.width) {
        f.render_widget(
            Paragraph::new(vec![Line::from(spans), Line::from(second)]),
            area,
        );
    } else {
        let mut all_spans = spans;
        all_spans.push(Span::styled(" │ ", ui.theme.dim()));
        all_spans.extend(second);
        f.render_widget(
            Paragraph::new(Line::from(all_spans)).wrap(Wrap { trim: false }),
            area,
        );
    }
}

#[allow(clippy::too_many_lines)] // a table: one entry per column of the list
fn columns(ui: &Ui, width: usize) -> Vec<Col> {
    let lang = ui.lang();
    let sev_w = ["high", "medium", "low"]
        .iter()
        .map(|s| text::width(i18n::severity(lang, s)))
        .max()
        .unwrap_or(4)
        .max(text::width(ui.t(Msg::Severity)));
    let status_w = FindingStatus::ALL
        .iter()
        .map(|s| text::width(i18n::status(lang, s)))
        .max()
        .unwrap_or(9);
    let mut cols = vec![
        Col {
            title: Msg::AppName,
            width: 1,
            right: false,
        }, // mark
        Col {
            title: Msg::AppName,
            width: 7,
            right: true,
        }, // id
        Col {
            title: Msg::Severity,
            width: sev_w,
            right: false,
        },
        Col {
            title: Msg::Rule,
            width: 6,
            right: false,
        },
        Col {
            title: Msg::Status,
            width: status_w,
            right: false,
        },
        Col {
            title: Msg::AppName,
            width: 2,
            right: false,
        }, // flags
    ];
    let wide = width >= 140;
    if wide {
        cols.push(Col {
            title: Msg::CustNo,
            width: 12,
            right: false,
        });
    }
    cols.push(Col {
        title: Msg::Customer,
        width: 0,
        right: false,
    });
    cols.push(Col {
        title: Msg::Unit,
        width: 0,
        right: false,
    });
    if wide {
        cols.push(Col {
            title: Msg::Subject,
            width: 10,
            right: false,
        });
    }
    cols.push(Col {
        title: Msg::Amount,
        width: 10,
        right: true,
    });
    if wide {
        cols.push(Col {
            title: Msg::LastSeen,
            width: 10,
            right: false,
        });
        cols.push(Col {
            title: Msg::Evidence,
            width: 0,
            right: false,
        });
    }
    let fixed: usize = cols.iter().map(|c| c.width).sum::<usize>() + cols.len() - 1;
    let flex: Vec<usize> = cols
        .iter()
        .enumerate()
        .filter(|(_, c)| c.width == 0)
        .map(|(i, _)| i)
        .collect();
    let rest = width.saturating_sub(fixed);
    // Customer name gets the larger share; evidence (wide screens) the most.
    let shares: Vec<usize> = if wide { vec![3, 2, 5] } else { vec![3, 2] };
    let total: usize = shares.iter().sum();
    let mut given = 0;
    for (n, i) in flex.iter().enumerate() {
        let w = if n + 1 == flex.len() {
            rest - given
        } else {
            rest * shares[n] / total
        };
        given += w;
        cols[*i].width = w;
    }
    cols
}

fn draw_table(f: &mut Frame, l: &Findings, ui: &Ui, area: Rect) {
    let b = block(ui.theme, ui.t(Msg::Findings), true);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if let Some(e) = &l.error {
        f.render_widget(
            Paragraph::new(Span::styled(e.clone(), ui.theme.error())).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let cols = columns(ui, usize::from(inner.width));
    let heading: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let t = match i {
                0 => "*",
                1 => "#",
                5 => "",
                _ => ui.t(c.title),
            };
            pad(t, c.width, c.right)
        })
        .collect();
    let mut lines = vec![Line::from(Span::styled(
        heading.join(" "),
        ui.theme.title(),
    ))];
    match l.total() {
        None => lines.push(Line::from(ui.t(Msg::Loading))),
        Some(0) => lines.push(Line::from(ui.t(Msg::NoFindings))),
        Some(_) => {
            let lang = ui.lang();
            let wide = cols.len() > 9;
            for (i, r) in l.window.iter().enumerate() {
                let sel = l.offset + i == l.cursor;
                let base = if sel {
                    ui.theme.selected()
                } else {
                    Style::new()
                };
                // `!`: marked, but changed by someone since; an action on the marks is refused
                // until it is marked again on its new state.
                let mark = match l.marked.get(&r.id) {
                    Some(v) if *v != r.version => "!",
                    Some(_) => "*",
                    None => " ",
                };
                let flags = format!(
                    "{}{}",
                    if r.recurred { "R" } else { " " },
                    if r.suppressed { "W" } else { " " }
                );
                let level = r.level.map(|v| format!("{}", v)).unwrap_or_default();
                let status = i18n::status(lang, &r.status);
                let mut cells: Vec<(String, Style)> = vec![
                    (mark.to_string(), Style::new()),
                    (r.id.to_string(), Style::new()),
                    (
                        i18n::severity(lang, &r.severity).to_string(),
                        ui.theme.severity(&r.severity),
                    ),
                    (esc(&r.rule), Style::new()),
                    (status.to_string(), ui.theme.status(r.status)),
                    (flags, Style::new()),
                ];
                if wide {
                    cells.push((esc(&r.cust_no), Style::new()));
                }
                cells.push((esc(&r.cust_name), Style::new()));
                cells.push((esc(&r.station), Style::new()));
                if wide {
                    let subj = if level.is_empty() {
                        esc(&r.subject)
                    } else {
                        format!("{} L{level}", esc(&r.subject))
                    };
                    cells.push((subj, Style::new()));
                }
                cells.push((yuan(r.amount_yuan), Style::new()));
                if wide {
                    cells.push((esc(&r.last_seen), Style::new()));
                    let evidence = crate::i18n::evidence::render(ui.lang(), &r.evidence);
                    cells.push((esc(&evidence), Style::new()));
                }
                let mut spans = Vec::new();
                for (j, ((s, st), c)) in cells.into_iter().zip(&cols).enumerate() {
                    if j > 0 {
                        spans.push(Span::styled(" ", base));
                    }
                    spans.push(Span::styled(pad(&s, c.width, c.right), st.patch(base)));
                }
                lines.push(Line::from(spans));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// Cut to `w` columns and pad, left or right aligned.
fn pad(s: &str, w: usize, right: bool) -> String {
    let t = cut(s, w);
    let fill = " ".repeat(w.saturating_sub(text::width(&t)));
    if right {
        format!("{fill}{t}")
    } else {
        format!("{t}{fill}")
    }
}
