//! The dashboard's 督办单 (escalation notices): the line of escalated units in the ticket
//! panel, and the key that lists the open notices (a choice) and shows one (a page of the
//! text `jicha escalation show` prints).

use super::{Cx, Invalid, Ui};
use crate::escalation::Escalation;
use crate::i18n::escalation::{say, EscWord as W};
use crate::text;
use crate::ui::dialog::{Choice, Page, Value};
use crate::ui::render::{cut, esc};
use ratatui::text::{Line, Span};
use std::any::Any;

/// The tag of the choice of notices: their numbers, in the order shown.
pub struct PickNotice(pub Vec<String>);

/// The open notices, as the ticket summary loaded them (empty while it loads).
pub fn open_notices(ui_shared: &super::Shared) -> &[Escalation] {
    ui_shared
        .tickets
        .as_ref()
        .map_or(&[][..], |s| s.escalations.as_slice())
}

/// `督办单 2：城关供电所（第 3 次）、城北供电所` — one line, cut to `w` without splitting a
/// character. None when no notice is open.
pub fn units_line(ui: &Ui, w: usize) -> Option<Line<'static>> {
    let open = open_notices(ui.shared);
    if open.is_empty() {
        return None;
    }
    let lang = ui.lang();
    let zh = lang == crate::context::Lang::Zh;
    let units: Vec<String> = open
        .iter()
        .map(|e| {
            let unit = esc(&e.unit);
            match (e.round > 1, zh) {
                (false, _) => unit,
                (true, true) => format!("{unit}（第 {} 次）", e.round),
                (true, false) => format!("{unit} (×{})", e.round),
            }
        })
        .collect();
    let head = format!(
        "{} {}{}",
        W::OpenOnDashboard.text(lang),
        open.len(),
        if zh { "：" } else { ": " }
    );
    let list = units.join(if zh { "、" } else { ", " });
    let rest = w.saturating_sub(text::width(&head));
    Some(Line::from(vec![
        Span::styled(cut(&head, w), ui.theme.error()),
        Span::raw(cut(&list, rest)),
    ]))
}

/// The key: the open notices to pick from, or a status line saying there is none.
pub fn list(cx: &mut Cx) {
    let open = open_notices(cx.shared);
    let lang = cx.ctx.lang;
    if open.is_empty() {
        cx.info(W::NoneOpen.text(lang));
        return;
    }
    let items: Vec<String> = open
        .iter()
        .map(|e| {
            format!(
                "{}  {}  {} {}  {}",
                esc(&e.number),
                esc(&e.unit),
                W::Tickets.text(lang),
                e.tickets,
                say(lang, W::RoundLine, &[("round", &e.round)])
            )
        })
        .collect();
    let numbers = open.iter().map(|e| e.number.clone()).collect();
    let mut c = Choice::new(
        W::ListTitle.text(lang).to_string(),
        items,
        PickNotice(numbers),
    );
    c.size = (76, None);
    cx.dialog(c);
}

/// The answer of the choice: that notice's page. Another tag is not ours: `None`.
pub fn reply(tag: &dyn Any, value: &Value, cx: &mut Cx) -> Option<Result<(), Invalid>> {
    let PickNotice(numbers) = tag.downcast_ref::<PickNotice>()?;
    let Value::Choice(i) = value else {
        return Some(Ok(()));
    };
    let Some(number) = numbers.get(*i) else {
        return Some(Ok(()));
    };
    let lang = cx.ctx.lang;
    let page = crate::escalation::get(&cx.ds.conn, number).and_then(|e| {
        let listed = crate::escalation::listed(&cx.ds.conn, e.id)?;
        Ok(crate::output::escalation::notice(lang, &e, &listed, false))
    });
    match page {
        Ok(body) => {
            let safe: Vec<String> = body.lines().map(esc).collect();
            let title = format!("{} {}", W::Title.text(lang), esc(number));
            cx.dialog(Page::new(title, &safe.join("\n")));
        }
        Err(e) => cx.error(e.text(lang)),
    }
    Some(Ok(()))
}
