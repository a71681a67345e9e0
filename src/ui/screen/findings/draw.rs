//! 异常: the filter bar and the windowed list (only the visible rows were fetched).

use super::columns::Col;
use super::{Findings, IDS};
use crate::findings::Suppressed;
use crate::text;
use crate::ui::i18n::{self, LsMsg, Msg};
use crate::ui::keymap::Action as Key;
use crate::ui::render::columns::{fit, pad, skip_cols, Spec};
use crate::ui::render::{block, count, esc};
use crate::ui::screen::Ui;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(f: &mut Frame, l: &Findings, ui: &Ui, area: Rect) {
    let [bar, table] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    draw_filter_bar(f, l, ui, bar);
    draw_table(f, l, ui, table);
}

/// The filters as key, name and value, `│` between them.
fn filter_spans<'a>(l: &Findings, ui: &Ui<'a>) -> Vec<Span<'a>> {
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
        (
            k(Key::FilterRecurred),
            ui.t(Msg::Recurred),
            if l.filter.recurred {
                LsMsg::RecurredOnly.text(lang).to_string()
            } else {
                all.to_string()
            },
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
    spans
}

fn draw_filter_bar(f: &mut Frame, l: &Findings, ui: &Ui, area: Rect) {
    let spans = filter_spans(l, ui);
    let lang = ui.lang();
    let k = |a: Key| ui.keymap.hint(a);
    let total = match (l.total(), ui.loading(IDS)) {
        (Some(n), false) => count(n as u64),
        (Some(n), true) => format!("{}…", count(n as u64)),
        (None, _) => "…".into(),
    };
    let dir = if l.descending() {
        ui.t(Msg::Descending)
    } else {
        ui.t(Msg::Ascending)
    };
    // The marks first: on a narrow screen the bar wraps and its end may be cut.
    let mut second = Vec::new();
    if !l.marked.is_empty() {
        second.push(Span::styled(
            format!("{} {}", count(l.marked.len() as u64), ui.t(Msg::Marked)),
            ui.theme.key(),
        ));
        second.push(Span::styled(" │ ", ui.theme.dim()));
    }
    second.extend([
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
    ]);
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

/// The columns shown at `width`: the chosen ones, fitted (figures whole, the least
/// important left out first), with their widths.
fn fitted(l: &Findings, ui: &Ui, width: usize, marks: &[&str]) -> Vec<(Col, usize)> {
    let cols: Vec<Col> = Col::ALL
        .into_iter()
        .filter(|c| !l.hidden.contains(c))
        .collect();
    let specs: Vec<Spec> = cols
        .iter()
        .map(|c| {
            let head = text::width(&heading(*c, l, ui));
            let cells = l
                .window
                .iter()
                .zip(marks)
                .map(|(r, m)| text::width(&c.cell(ui, r, m).0));
            let mut spec = if c.figure() {
                Spec::figure(cells, head, c.keep())
            } else {
                let (min, flex) = c.flex();
                Spec::text(cells, head, min.max(1), flex, c.keep())
            };
            // Words of a closed set (severity, status) are never cut either; a rule id is
            // cut at `RULE_W_MAX` (an external rule's long id would widen every row).
            if *c == Col::Rule {
                spec.want = spec.want.min(super::columns::RULE_W_MAX).max(head);
            }
            if !c.figure() && c.flex().1 == 0 {
                spec.min = spec.want;
            }
            // The evidence scrolls: it wants the rest of the screen.
            if *c == Col::Evidence {
                spec.want = spec.want.max(width);
            }
            spec
        })
        .collect();
    cols.into_iter()
        .zip(fit(&specs, width))
        .filter_map(|(c, w)| w.map(|w| (c, w)))
        .collect()
}

/// A column's heading: the sorted one carries the arrow of the order.
fn heading(c: Col, l: &Findings, ui: &Ui) -> String {
    use crate::findings::SortKey as S;
    let sorted = matches!(
        (c, l.sort),
        (Col::Severity, S::Severity)
            | (Col::Amount, S::Amount)
            | (Col::FirstSeen, S::FirstSeen)
            | (Col::LastSeen, S::LastSeen)
            | (Col::Rule, S::Rule)
            | (Col::CustNo, S::Customer)
            | (Col::Id, S::Id)
    );
    let h = c.head(ui);
    match (sorted, l.descending()) {
        (false, _) => h.to_string(),
        (true, true) => format!("{h}↓"),
        (true, false) => format!("{h}↑"),
    }
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
    // `!`: marked, but changed by someone since; an action on the marks is refused until it
    // is marked again on its new state.
    let marks: Vec<&str> = l
        .window
        .iter()
        .map(|r| match l.marked.get(&r.id) {
            Some(v) if *v != r.version => "!",
            Some(_) => "*",
            None => " ",
        })
        .collect();
    let cols = fitted(l, ui, usize::from(inner.width), &marks);
    let heads: Vec<String> = cols
        .iter()
        .map(|(c, w)| pad(&heading(*c, l, ui), *w, c.figure()))
        .collect();
    let mut lines = vec![Line::from(Span::styled(heads.join(" "), ui.theme.title()))];
    match l.total() {
        None => lines.push(Line::from(ui.t(Msg::Loading))),
        Some(0) => lines.push(Line::from(ui.t(Msg::NoFindings))),
        Some(_) => {
            for (i, (r, mark)) in l.window.iter().zip(&marks).enumerate() {
                let base = if l.offset + i == l.cursor {
                    ui.theme.selected()
                } else {
                    Style::new()
                };
                let mut spans = Vec::new();
                for (j, (c, w)) in cols.iter().enumerate() {
                    if j > 0 {
                        spans.push(Span::styled(" ", base));
                    }
                    let (mut s, right) = c.cell(ui, r, mark);
                    if *c == Col::Evidence && l.hscroll > 0 {
                        s = format!("…{}", skip_cols(&s, l.hscroll + 1));
                    }
                    let st = match c {
                        Col::Severity => ui.theme.severity(&r.severity),
                        Col::Status => ui.theme.status(r.status),
                        _ => Style::new(),
                    };
                    spans.push(Span::styled(pad(&s, *w, right), st.patch(base)));
                }
                lines.push(Line::from(spans));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}
