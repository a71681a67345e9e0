//! 现场稽查: the inspections by view (planned, overdue, recorded, cancelled, all), each a list
//! read on the query thread, overdue ones marked; Enter opens one inspection's page (its
//! findings with their outcomes, the account, the attachments). `record` opens the 现场处理单
//! form for the planned inspection in focus, `cancel` asks for a reason. Inspections are
//! planned from the marked findings of the findings screen (`plan_form`).

mod draw;
mod forms;

pub use forms::{plan_form, plan_reply as forms_plan_reply, InspChange, PlanAsk, RecordAsk};

use super::{list_delta, step, Cx, Invalid, Screen};
use crate::i18n::inspections::InspWord as W;
use crate::inspections::{self, Attachment, Checked, Filter, InspState, Inspection};
use crate::text::escape;
use crate::ui::dialog::{Editor, Value};
use crate::ui::find::{self, Find, Listing};
use crate::ui::keymap::{Action, Context};
use crate::ui::loader::Loaded;
use crate::ui::worker::Change;
use crate::ui::write::Write;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;

/// The views, in the order the view key cycles through them.
pub const VIEWS: [&str; 5] = ["planned", "overdue", "recorded", "cancelled", "all"];

/// One inspection's page, read when it is opened.
#[derive(Debug, Clone)]
pub struct Page {
    pub inspection: Inspection,
    pub checked: Vec<Checked>,
    pub files: Vec<Attachment>,
}

#[derive(Default)]
pub struct Inspections {
    pub view: usize,
    /// The list shown; None until the query thread answers for this view.
    pub rows: Option<Vec<Inspection>>,
    pub error: Option<String>,
    pub cursor: usize,
    /// The inspection whose page is open (None: the list).
    pub page: Option<Page>,
    /// The view as read; `rows` is what the search (`find`) keeps of it.
    all: Vec<Inspection>,
    pub find: Find,
}

macro_rules! listing {
    ($s:ident, $shown:ident) => {
        Listing {
            all: &$s.all,
            shown: $shown,
            cursor: &mut $s.cursor,
            same: |a: &Inspection, b: &Inspection| a.id == b.id,
        }
    };
}

/// The tag of the cancel reason's editor.
#[derive(Debug, Clone)]
pub struct CancelAsk {
    number: String,
    seen: (i64, i64),
}

impl Inspections {
    pub fn view_name(&self) -> &'static str {
        VIEWS[self.view % VIEWS.len()]
    }

    pub fn current(&self) -> Option<&Inspection> {
        match &self.page {
            Some(p) => Some(&p.inspection),
            None => self.rows.as_ref()?.get(self.cursor),
        }
    }

    fn request(&mut self, keep: bool, cx: &mut Cx) {
        if !keep {
            self.rows = None;
            self.cursor = 0;
        }
        let filter = match self.view_name() {
            "overdue" => Filter {
                overdue: true,
                ..Filter::default()
            },
            "all" => Filter::default(),
            v => Filter {
                state: InspState::parse(v).ok(),
                ..Filter::default()
            },
        };
        let today = cx.ctx.today;
        cx.load("list", move |ds| {
            inspections::list(&ds.conn, &filter, today)
        });
    }

    /// One inspection's page: a small read on this thread.
    fn open(&mut self, number: &str, cx: &mut Cx) {
        let conn = &cx.ds.conn;
        let read = || -> crate::Result<Page> {
            let inspection = inspections::get(conn, number, cx.ctx.today)?;
            Ok(Page {
                checked: inspections::checked(conn, inspection.id)?,
                files: inspections::attachments(conn, inspection.id)?,
                inspection,
            })
        };
        match read() {
            Ok(p) => self.page = Some(p),
            Err(e) => cx.error(escape(&e.text(cx.lang())).into_owned()),
        }
    }

    fn act(&mut self, a: Action, cx: &mut Cx) {
        let Some(i) = self.current().cloned() else {
            return;
        };
        if i.state != InspState::Planned {
            let why = crate::i18n::inspections::InspectionWrong::NotPlanned {
                number: i.number.clone(),
                state: i.state.as_str().to_string(),
            };
            cx.error(escape(&why.text(cx.lang())).into_owned());
            return;
        }
        match a {
            Action::InRecord => {
                let checked = match &self.page {
                    Some(p) => p.checked.clone(),
                    None => match inspections::checked(&cx.ds.conn, i.id) {
                        Ok(c) => c,
                        Err(e) => return cx.error(escape(&e.text(cx.lang())).into_owned()),
                    },
                };
                forms::record_form(&i, &checked, cx);
            }
            Action::InCancel => {
                let title = format!(
                    "{} — {}",
                    crate::ui::i18n::Msg::EditCancelReason.text(cx.lang()),
                    escape(&i.number)
                );
                let ask = CancelAsk {
                    number: i.number.clone(),
                    seen: (i.id, i.version),
                };
                let mut e = Editor::new(title, ask);
                e.required = true;
                cx.dialog(e);
            }
            _ => {}
        }
    }
}

impl Screen for Inspections {
    fn context(&self) -> Context {
        Context::Inspections
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::InView,
            Action::InRecord,
            Action::InCancel,
            Action::Open,
            Action::Back,
            Action::Help,
        ]
    }

    fn enter(&mut self, _arg: super::Arg, cx: &mut Cx) {
        self.page = None;
        self.request(true, cx);
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            if self.page.is_none() {
                let n = self.rows.as_ref().map_or(0, Vec::len);
                self.cursor = step(self.cursor, delta, n);
            }
            return;
        }
        if let (None, Some(shown)) = (&self.page, self.rows.as_mut()) {
            if find::act(&mut self.find, a, listing!(self, shown), cx) {
                return;
            }
        }
        match a {
            Action::InView | Action::NextPanel => {
                self.page = None;
                self.view = (self.view + 1) % VIEWS.len();
                self.request(false, cx);
            }
            Action::PrevPanel => {
                self.page = None;
                self.view = (self.view + VIEWS.len() - 1) % VIEWS.len();
                self.request(false, cx);
            }
            Action::Open => {
                if let Some(n) = self.current().map(|i| i.number.clone()) {
                    self.open(&n, cx);
                }
            }
            Action::Back if self.page.is_some() => self.page = None,
            Action::Back => cx.back(),
            Action::InRecord | Action::InCancel => self.act(a, cx),
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, cx: &mut Cx) {
        if slot != "list" {
            return;
        }
        match answer.take::<Vec<Inspection>>() {
            Ok(all) => {
                let rows = self.find.keep(&all, cx.lang());
                self.all = all;
                self.cursor = self.cursor.min(rows.len().saturating_sub(1));
                self.rows = Some(rows);
                self.error = None;
            }
            Err(e) => {
                self.rows = Some(Vec::new());
                self.error = Some(escape(&e).into_owned());
            }
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        if let Some(ask) = tag.downcast_ref::<RecordAsk>() {
            return forms::record_reply(ask, value, cx);
        }
        if let (Some(ask), Value::Text(reason)) = (tag.downcast_ref::<CancelAsk>(), value) {
            if reason.trim().is_empty() {
                return Err(Invalid::from(
                    crate::i18n::inspections::InspectionWrong::NeedReason.text(cx.lang()),
                ));
            }
            cx.perform(Write::new(Change::Inspection(InspChange::Cancel {
                number: ask.number.clone(),
                reason,
                seen: vec![ask.seen],
            })));
        }
        Ok(())
    }

    fn message(&mut self, msg: Box<dyn Any>, cx: &mut Cx) {
        if let Some(shown) = self.rows.as_mut() {
            find::typed(
                &mut self.find,
                msg.as_ref(),
                listing!(self, shown),
                cx.lang(),
            );
        }
    }

    fn refresh(&mut self, _shown: bool, cx: &mut Cx) {
        self.request(true, cx);
        if let Some(n) = self.page.as_ref().map(|p| p.inspection.number.clone()) {
            self.open(&n, cx);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &super::Ui) {
        match &self.page {
            Some(p) => draw::page(p, f, area, ui),
            None => draw::list(self, f, area, ui),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The title of the screen: its name and the view shown.
fn title(ui: &super::Ui, view: &str) -> String {
    let lang = ui.lang();
    let v = match view {
        "overdue" => W::Overdue.text(lang).to_string(),
        "all" => W::All.text(lang).to_string(),
        v => crate::i18n::inspections::value(lang, v),
    };
    format!("{} · {v}", W::Title.text(lang))
}
