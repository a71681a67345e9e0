//! The finding detail's "source changes" section (issue 15: the detail and the customer box
//! show a customer's changes): what re-imports changed in the customer's rows of the export,
//! field by field (old → new) with the imports involved, newest first — the lines
//! `jicha changes --cust` prints (`history::one_line`). A few are shown; the detail's
//! `changes` key opens all of them.

use super::admin::words::AdMsg;
use super::Ui;
use crate::context::Lang;
use crate::history::{self, Change, Filter};
use crate::ui::dialog::Page;
use crate::ui::keymap::Action;
use crate::ui::render::esc;
use ratatui::text::{Line, Span};
use rusqlite::Connection;

/// How many changes the detail shows before "N more".
pub const SHOWN: usize = 3;

/// The customer's changes, newest first.
pub fn load(conn: &Connection, cust_no: &str) -> crate::Result<Vec<Change>> {
    history::list(
        conn,
        &Filter {
            cust: Some(cust_no.to_string()),
            ..Filter::default()
        },
    )
}

/// The section: its heading, the newest `SHOWN` changes, and how to see the rest.
pub fn lines(ui: &Ui, changes: &[Change]) -> Vec<Line<'static>> {
    let lang = ui.lang();
    let rule = if ui.theme.ascii { "--" } else { "──" };
    let mut out = vec![Line::from(Span::styled(
        format!(
            "{rule} {} ({}) {rule}",
            AdMsg::ChTitle.text(lang),
            changes.len()
        ),
        ui.theme.title(),
    ))];
    if changes.is_empty() {
        out.push(Line::from(AdMsg::ChNone.text(lang)));
    }
    for c in changes.iter().take(SHOWN) {
        out.push(Line::from(history::one_line(c, lang)));
    }
    let key = ui.keymap.hint(Action::DChanges);
    if changes.len() > SHOWN {
        let more = AdMsg::ChMore
            .text(lang)
            .replace("{n}", &(changes.len() - SHOWN).to_string())
            .replace("{key}", &key);
        out.push(Line::from(Span::styled(more, ui.theme.dim())));
    }
    out
}

/// Every change of the customer, one line each, as a page to scroll.
pub fn page(lang: Lang, cust_no: &str, changes: &[Change]) -> Page {
    let title = format!(
        "{} {} ({})",
        AdMsg::ChAll.text(lang),
        esc(cust_no),
        changes.len()
    );
    let body: Vec<String> = if changes.is_empty() {
        vec![AdMsg::ChNone.text(lang).to_string()]
    } else {
        changes.iter().map(|c| history::one_line(c, lang)).collect()
    };
    Page::new(title, &body.join("\n"))
}
