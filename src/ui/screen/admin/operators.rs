//! 操作员: the operators (login, name, role, unit) as `jicha operator list` lists them. An
//! admin adds one (`add`: login and name, then the role from a list, then the unit from the
//! unit tree) or changes the selected one's role and unit (`role`); either ends in a
//! confirmation and the action `jicha operator add` performs (`OperatorAdd`), logged.

use super::words::AdMsg;
use super::{admin_may, fit, List};
use crate::actions::Action as Op;
use crate::context::{self, Lang, Operator, Role};
use crate::db::Dataset;
use crate::i18n::outcomes::unit_or_centre;
use crate::ui::dialog::{Choice, Confirm, Field, Form, UnitTree, Value};
use crate::ui::keymap::{Action, Context};
use crate::ui::loader::Loaded;
use crate::ui::render::{block, esc};
use crate::ui::screen::{list_delta, step, Arg, Cx, Invalid, Screen, Ui};
use crate::ui::worker::Change;
use crate::ui::write::Write;
use crate::units::Hierarchy;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;

const ROWS: &str = "rows";

/// The roles in the order the pick list offers them.
pub const ROLES: [Role; 4] = [Role::Viewer, Role::Auditor, Role::Reviewer, Role::Admin];

/// The operator being added or changed, as far as the dialogs got.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub login: String,
    pub name: Option<String>,
    /// Changing an existing operator (else adding one).
    pub existing: bool,
    pub role: Option<Role>,
    pub unit: Option<String>,
}

/// What each dialog of the flow asks.
#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    Who,
    Role(Draft),
    Unit(Draft, UnitTree),
}

#[derive(Default)]
pub struct OperatorsScreen {
    pub cursor: usize,
    pub rows: Option<Vec<Operator>>,
    pub error: Option<String>,
}

fn role_word(lang: Lang, r: &str) -> String {
    crate::i18n::role(lang, r).to_string()
}

impl OperatorsScreen {
    fn request(&self, cx: &mut Cx) {
        cx.load(ROWS, |ds: &Dataset| context::operators(&ds.conn));
    }

    pub fn selected(&self) -> Option<&Operator> {
        self.rows.as_ref()?.get(self.cursor)
    }

    fn add(&self, cx: &mut Cx) {
        if !admin_may(cx, "operator.add") {
            return;
        }
        let lang = cx.lang();
        let fields = vec![
            Field::new(AdMsg::OpLoginField.text(lang).to_string(), false, ""),
            Field::new(AdMsg::OpNameField.text(lang).to_string(), false, ""),
        ];
        cx.dialog(Form::new(
            AdMsg::OpAddTitle.text(lang).to_string(),
            fields,
            Ask::Who,
        ));
    }

    fn change_role(&self, cx: &mut Cx) {
        let Some(o) = self.selected() else { return };
        if !admin_may(cx, "operator.add") {
            return;
        }
        let draft = Draft {
            login: o.login.clone(),
            name: None,
            existing: true,
            role: Role::parse(&o.role).ok(),
            unit: o.unit.clone(),
        };
        pick_role(draft, cx);
    }

    fn who(&self, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        let Value::Fields(f) = value else {
            return Ok(());
        };
        let lang = cx.lang();
        let login = f.first().cloned().unwrap_or_default();
        if login.is_empty() || login.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Invalid {
                message: AdMsg::OpLoginBlank.text(lang).to_string(),
                field: Some(0),
            });
        }
        if self.rows.iter().flatten().any(|o| o.login == login) {
            return Err(Invalid {
                message: AdMsg::OpExists.text(lang).to_string(),
                field: Some(0),
            });
        }
        let name = f.get(1).filter(|n| !n.is_empty()).cloned();
        let draft = Draft {
            login,
            name,
            existing: false,
            role: None,
            unit: None,
        };
        pick_role(draft, cx);
        Ok(())
    }

    fn draw_selected(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let b = block(ui.theme, AdMsg::OpTitle.text(lang), false);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let keys = format!(
            "{} {} · {} {} ({})",
            ui.keymap.hint(Action::AdAdd),
            crate::ui::i18n::action_short(lang, Action::AdAdd),
            ui.keymap.hint(Action::AdRole),
            crate::ui::i18n::action_short(lang, Action::AdRole),
            AdMsg::AdminOnlyHint.text(lang)
        );
        let mut lines = Vec::new();
        if let Some(o) = self.selected() {
            lines.push(Line::from(vec![
                Span::styled(esc(&o.login), ui.theme.title()),
                Span::raw(format!(
                    "  {}  {}  {}: {} {}",
                    role_word(lang, &o.role),
                    esc(&unit_or_centre(lang, &o.unit)),
                    AdMsg::OpAdded.text(lang),
                    esc(&o.added_at.chars().take(10).collect::<String>()),
                    esc(&o.added_by)
                )),
            ]));
        }
        lines.push(Line::from(Span::styled(keys, ui.theme.dim())));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

/// The role pick list for `draft`, on its current role.
fn pick_role(draft: Draft, cx: &mut Cx) {
    let lang = cx.lang();
    let items: Vec<String> = ROLES
        .iter()
        .map(|r| format!("{} ({})", role_word(lang, r.as_str()), r.as_str()))
        .collect();
    let title = format!("{} {}", AdMsg::OpPickRole.text(lang), esc(&draft.login));
    let sel = draft
        .role
        .and_then(|r| ROLES.iter().position(|x| *x == r))
        .unwrap_or(1);
    let mut c = Choice::new(title, items, Ask::Role(draft));
    c.sel = sel;
    cx.dialog(c);
}

/// The unit tree for `draft`: "audit centre" first (no unit), then every unit.
fn pick_unit(draft: Draft, cx: &mut Cx) -> Result<(), Invalid> {
    let lang = cx.lang();
    let h = Hierarchy::load(&cx.ds.conn).map_err(|e| Invalid::from(esc(&e.text(lang))))?;
    let title = format!("{} {}", AdMsg::OpPickUnit.text(lang), esc(&draft.login));
    let centre = unit_or_centre(lang, &None);
    let current = draft.unit.clone();
    let (choice, tree) = UnitTree::dialog(
        &h,
        current.as_deref(),
        title,
        &centre,
        |l| match lang {
            Lang::Zh => l.zh().to_string(),
            Lang::En => l.as_str().to_string(),
        },
        Ask::Who,
    );
    // The tag must carry the tree to map the answer back: rebuild the choice with it.
    let Choice {
        title,
        intro,
        items,
        sel,
        numbered,
        wraps,
        size,
        filter,
        ..
    } = choice;
    cx.dialog(Choice {
        title,
        intro,
        items,
        sel,
        numbered,
        wraps,
        size,
        filter,
        tag: Box::new(Ask::Unit(draft, tree)),
    });
    Ok(())
}

/// The confirmation of the whole draft, then `OperatorAdd` as the CLI performs it.
fn confirm(draft: Draft, cx: &mut Cx) {
    let lang = cx.lang();
    let role = draft.role.unwrap_or(Role::Auditor);
    let q = if draft.existing {
        AdMsg::OpRoleAsk
    } else {
        AdMsg::OpAddAsk
    };
    let question = q
        .text(lang)
        .replace("{login}", &esc(&draft.login))
        .replace("{role}", &role_word(lang, role.as_str()))
        .replace("{unit}", &esc(&unit_or_centre(lang, &draft.unit)));
    let op = Op::OperatorAdd {
        login: draft.login,
        role: role.as_str().to_string(),
        name: draft.name,
        unit: draft.unit,
    };
    cx.dialog(Confirm::new(
        question,
        Write::new(Change::one(op, Vec::new())),
    ));
}

impl Screen for OperatorsScreen {
    fn context(&self) -> Context {
        Context::Admin
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::AdAdd, Action::AdRole, Action::Back, Action::Help]
    }

    fn enter(&mut self, _arg: Arg, cx: &mut Cx) {
        self.request(cx);
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        let len = self.rows.as_ref().map_or(0, Vec::len);
        if let Some(d) = list_delta(a, cx.page.max(1)) {
            self.cursor = step(self.cursor, d, len);
            return;
        }
        match a {
            Action::AdAdd => self.add(cx),
            Action::AdRole | Action::Open => self.change_role(cx),
            Action::Back => cx.back(),
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, _cx: &mut Cx) {
        if slot != ROWS {
            return;
        }
        match answer.take::<Vec<Operator>>() {
            Ok(rows) => {
                self.cursor = self.cursor.min(rows.len().saturating_sub(1));
                self.rows = Some(rows);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        let Some(ask) = tag.downcast_ref::<Ask>() else {
            return Ok(());
        };
        match (ask, value) {
            (Ask::Who, v) => self.who(v, cx),
            (Ask::Role(d), Value::Choice(i)) => {
                let mut d = d.clone();
                d.role = ROLES.get(i).copied();
                pick_unit(d, cx)
            }
            (Ask::Unit(d, tree), Value::Choice(i)) => {
                let mut d = d.clone();
                if let Some(u) = tree.unit_at(i) {
                    d.unit = u.map(str::to_string);
                }
                confirm(d, cx);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn refresh(&mut self, shown: bool, cx: &mut Cx) {
        if shown || self.rows.is_some() {
            self.request(cx);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let [list, sel] = Layout::vertical([Constraint::Min(4), Constraint::Length(4)]).areas(area);
        let w = usize::from(list.width.saturating_sub(2));
        // login, name, role; the unit takes what is left.
        let cols = if w >= 110 { [24, 24, 16] } else { [16, 14, 12] };
        let head = format!(
            "{}{}{}{}",
            fit(AdMsg::OpLogin.text(lang), cols[0]),
            fit(AdMsg::OpName.text(lang), cols[1]),
            fit(AdMsg::OpRole.text(lang), cols[2]),
            AdMsg::OpUnit.text(lang)
        );
        let rows: Vec<String> = match (&self.error, &self.rows) {
            (Some(e), _) => vec![esc(e)],
            (None, None) => Vec::new(),
            (None, Some(r)) => r
                .iter()
                .map(|o| {
                    format!(
                        "{}{}{}{}",
                        fit(&esc(&o.login), cols[0]),
                        fit(&esc(&o.name), cols[1]),
                        fit(&role_word(lang, &o.role), cols[2]),
                        esc(&unit_or_centre(lang, &o.unit))
                    )
                })
                .collect(),
        };
        let title = match &self.rows {
            Some(r) => format!("{} · {}", AdMsg::OpTitle.text(lang), r.len()),
            None => AdMsg::OpTitle.text(lang).to_string(),
        };
        let empty = if self.rows.is_some() {
            AdMsg::OpNone.text(lang)
        } else {
            "…"
        };
        List {
            title: &title,
            head,
            rows: &rows,
            cursor: self.cursor,
            empty,
        }
        .draw(f, list, ui);
        self.draw_selected(f, sel, ui);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
