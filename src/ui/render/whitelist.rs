//! 白名单: active, awaiting approval, expiring within 7 days, history.

use super::{block, cut, esc};
use crate::text;
use crate::ui::app::{App, WL_VIEWS};
use crate::ui::i18n::{self, Msg};
use crate::whitelist::View;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

fn view_name(v: View) -> Msg {
    match v {
        View::Active => Msg::WlActive,
        View::Pending => Msg::WlPending,
        View::Expiring => Msg::WlExpiringView,
        View::History => Msg::WlHistory,
    }
}

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let [tabs, list, info] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(4),
        Constraint::Length(5),
    ])
    .areas(area);
    let mut spans = vec![Span::styled(
        format!("{} ", app.keymap.hint(crate::ui::keymap::Action::WlView)),
        app.theme.key(),
    )];
    for v in WL_VIEWS {
        let cur = v == app.wl.view;
        let label = if cur {
            format!("[{}]", app.t(view_name(v)))
        } else {
            format!(" {} ", app.t(view_name(v)))
        };
        spans.push(Span::styled(
            label,
            if cur {
                app.theme.selected()
            } else {
                Style::new()
            },
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), tabs);

    let b = block(&app.theme, app.t(Msg::Whitelist), true);
    let inner = b.inner(list);
    f.render_widget(b, list);
    if let Some(e) = &app.wl.error {
        f.render_widget(
            Paragraph::new(Span::styled(e.clone(), app.theme.error())),
            inner,
        );
        return;
    }
    let lang = app.lang();
    let state_w = ["active", "pending", "expired", "revoked", "scheduled"]
        .iter()
        .map(|s| text::width(i18n::wl_state(lang, s)))
        .max()
        .unwrap_or(9);
    // The start date only where there is room: the reason matters more at 80 columns.
    let wide = inner.width >= 100;
    let starts_w = if wide { 11 } else { 0 };
    let reason_w =
        usize::from(inner.width).saturating_sub(7 + 8 + 12 + state_w + 1 + starts_w + 11 + 10);
    let starts = |s: &str| {
        if wide {
            format!("{} ", text::fit(s, 10))
        } else {
            String::new()
        }
    };
    let head = format!(
        "{:>6} {} {} {} {}{} {} {}",
        "#",
        text::fit(app.t(Msg::Rule), 7),
        text::fit(app.t(Msg::CustNo), 11),
        text::fit(app.t(Msg::State), state_w),
        starts(app.t(Msg::Starts)),
        text::fit(app.t(Msg::Expires), 10),
        text::fit(app.t(Msg::Author), 9),
        cut(app.t(Msg::Reason), reason_w),
    );
    let mut lines = vec![Line::from(Span::styled(head, app.theme.title()))];
    if app.wl.entries.is_empty() {
        lines.push(Line::from(app.t(Msg::NoEntries)));
    }
    let rows = usize::from(inner.height.saturating_sub(1));
    let start = if rows == 0 {
        0
    } else {
        app.wl.cursor.saturating_sub(rows - 1)
    };
    for (i, e) in app.wl.entries.iter().enumerate().skip(start).take(rows) {
        let style = if i == app.wl.cursor {
            app.theme.selected()
        } else {
            Style::new()
        };
        // First line of the reason only: the panel below shows all of it.
        let reason = e.reason.lines().next().unwrap_or("");
        lines.push(Line::from(Span::styled(
            format!(
                "{:>6} {} {} {} {}{} {} {}",
                e.id,
                text::fit(&esc(&e.rule), 7),
                text::fit(&esc(&e.cust_no), 11),
                text::fit(i18n::wl_state(lang, &e.state), state_w),
                starts(&esc(&e.starts_on)),
                text::fit(&esc(&e.expires_on), 10),
                text::fit(&esc(&e.author), 9),
                text::fit(&esc(reason), reason_w),
            ),
            style,
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);

    let sel = app.wl.entries.get(app.wl.cursor);
    let b = block(
        &app.theme,
        &sel.map(|e| format!("#{}", e.id)).unwrap_or_default(),
        false,
    );
    let inner = b.inner(info);
    f.render_widget(b, info);
    if let Some(e) = sel {
        let mut lines = vec![Line::from(format!(
            "{}: {}",
            app.t(Msg::Reason),
            esc(&e.reason)
        ))];
        let mut facts = Vec::new();
        let o = |v: &Option<String>| v.as_deref().map(esc).unwrap_or_default();
        facts.push(i18n::wl_period(
            lang,
            &esc(&e.starts_on),
            &esc(&e.expires_on),
        ));
        if let Some(a) = &e.approved_by {
            facts.push(i18n::wl_approved(lang, &esc(a)));
        }
        if let Some(r) = &e.requested_expires_on {
            facts.push(i18n::wl_requested(lang, &esc(r), &o(&e.requested_by)));
        }
        if let Some(r) = &e.revoked_on {
            facts.push(i18n::wl_revoked(
                lang,
                &esc(r),
                &o(&e.revoked_by),
                &o(&e.revoke_reason),
            ));
        }
        if !facts.is_empty() {
            lines.push(Line::from(facts.join(" · ")));
        }
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }
}
