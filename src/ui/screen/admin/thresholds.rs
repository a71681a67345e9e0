//! 阀值: every rule parameter — the built-in ones of `data/thresholds.toml` and the site
//! rules' own (`X-ID.name`) — with its value, default, unit and the rules using it, as
//! `jicha thresholds show` lists them. An admin edits the selected one (`edit`): a one-field
//! form, checked as `jicha thresholds set` checks it (`thresholds::validate_in`) before it is
//! taken, then performed as that command's action (`ThresholdSet`), logged.

use super::words::AdMsg;
use super::{admin_may, fit, List};
use crate::actions::Action as Op;
use crate::context::Lang;
use crate::db::Dataset;
use crate::thresholds::{self, Kind, Thresholds};
use crate::ui::dialog::{Field, Form, Value};
use crate::ui::keymap::{Action, Context};
use crate::ui::loader::Loaded;
use crate::ui::render::{block, esc};
use crate::ui::screen::{list_delta, step, Arg, Cx, Invalid, Screen, Ui};
use crate::ui::worker::Change;
use crate::ui::write::Write;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;

const ROWS: &str = "rows";

/// One parameter as the screen shows it (dataset text not escaped yet).
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub value: String,
    pub default: String,
    pub kind: Option<Kind>,
    /// The unit its value is in (`kVA`, `days`), or empty when it has none.
    pub unit: &'static str,
    pub rules: String,
    /// What it is in the operator's language (the defaults file's words; for a site
    /// parameter, empty).
    pub about: String,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// A site rule's parameter: the rule's id.
    pub site_rule: Option<String>,
}

/// The unit a parameter's value is in, read from its name's ending or its description.
pub fn unit_of(name: &str, about: &str, lang: Lang) -> &'static str {
    let zh = lang == Lang::Zh;
    let pick = |en: &'static str, z: &'static str| if zh { z } else { en };
    let about = about.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    if about.contains("(元/kwh)") {
        return pick("yuan/kWh", "元/kWh");
    }
    let endings: [(&str, &str, &str); 11] = [
        ("_kva", "kVA", "kVA"),
        ("_kwh", "kWh", "kWh"),
        ("_yuan", "yuan", "元"),
        ("_days", "days", "天"),
        ("_years", "years", "年"),
        ("_months", "months", "月"),
        ("_periods", "months", "月"),
        ("_hours", "hours", "小时"),
        ("_times", "times", "次"),
        ("_chars", "chars", "字符"),
        ("_s", "seconds", "秒"),
    ];
    for (end, en, z) in endings {
        if name.ends_with(end) {
            return pick(en, z);
        }
    }
    if name.ends_with("_ratio") || name.contains("weight") || about.contains("share of") {
        return pick("ratio", "比例");
    }
    for (start, en, z) in [
        ("days", "days", "天"),
        ("years", "years", "年"),
        ("hours", "hours", "小时"),
        ("seconds", "seconds", "秒"),
        ("reviews", "levels", "级"),
    ] {
        if about.starts_with(start) {
            return pick(en, z);
        }
    }
    ""
}

/// Every parameter of the dataset in name order: what `jicha thresholds show` lists.
pub fn params(conn: &rusqlite::Connection, lang: Lang) -> crate::Result<Vec<Param>> {
    let current = Thresholds::load(conn)?;
    let specs = thresholds::specs();
    let site = crate::rules::site::store::params(conn)?;
    let mut out = Vec::new();
    for (name, value) in current.iter() {
        if let Some(spec) = specs.get(name) {
            out.push(Param {
                name: name.clone(),
                value: value.clone(),
                default: default_text(&spec.value),
                kind: Some(spec.kind),
                unit: unit_of(name, &spec.about, lang),
                rules: spec.rules.clone(),
                about: spec.about(lang).to_string(),
                min: spec.min,
                max: spec.max,
                site_rule: None,
            });
        } else if let Some((_, rule, default)) = site.iter().find(|(n, _, _)| n == name) {
            out.push(Param {
                name: name.clone(),
                value: value.clone(),
                default: default.clone(),
                kind: crate::rules::site::store::param_kind(conn, name)?,
                unit: unit_of(name, "", lang),
                rules: rule.clone(),
                about: String::new(),
                min: None,
                max: None,
                site_rule: Some(rule.clone()),
            });
        }
    }
    Ok(out)
}

fn default_text(v: &toml::Value) -> String {
    match v {
        toml::Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(","),
        toml::Value::String(s) => s.clone(),
        // As the dataset stores it (`thresholds::insert_defaults`): 3.0 is `3`.
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        other => other.to_string(),
    }
}

/// What the edit form is for: the parameter and the value it had when the form opened.
#[derive(Debug, Clone, PartialEq)]
pub struct EditAsk {
    pub name: String,
    pub old: String,
}

#[derive(Default)]
pub struct ThresholdsScreen {
    pub cursor: usize,
    pub rows: Option<Vec<Param>>,
    pub error: Option<String>,
}

impl ThresholdsScreen {
    fn request(&self, cx: &mut Cx) {
        let lang = cx.lang();
        cx.load(ROWS, move |ds: &Dataset| params(&ds.conn, lang));
    }

    pub fn selected(&self) -> Option<&Param> {
        self.rows.as_ref()?.get(self.cursor)
    }

    /// `edit`: admins only, said at the key; the form starts with the value in force.
    fn edit(&self, cx: &mut Cx) {
        let Some(p) = self.selected() else { return };
        if !admin_may(cx, "thresholds.set") {
            return;
        }
        let lang = cx.lang();
        let title = format!("{} {}", AdMsg::ThEditTitle.text(lang), esc(&p.name));
        let field = Field::new(AdMsg::ThNewValue.text(lang).to_string(), false, &p.value);
        let ask = EditAsk {
            name: p.name.clone(),
            old: p.value.clone(),
        };
        cx.dialog(Form::new(title, vec![field], ask));
    }

    fn answer(ask: &EditAsk, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        let Value::Fields(fields) = value else {
            return Ok(());
        };
        let typed = fields.first().cloned().unwrap_or_default();
        let value =
            thresholds::validate_in(&cx.ds.conn, &ask.name, &typed).map_err(|e| Invalid {
                message: esc(&e.text(cx.lang())),
                field: Some(0),
            })?;
        if value == ask.old {
            return Err(Invalid {
                message: AdMsg::ThUnchanged.text(cx.lang()).to_string(),
                field: Some(0),
            });
        }
        let op = Op::ThresholdSet {
            name: ask.name.clone(),
            value,
        };
        cx.perform(Write::new(Change::one(op, Vec::new())));
        Ok(())
    }

    fn row_line(p: &Param, cols: &[usize; 4]) -> String {
        let mut value = esc(&p.value);
        if p.value != p.default {
            value.push('*');
        }
        format!(
            "{}{}{}{}{}",
            fit(&esc(&p.name), cols[0]),
            fit(&value, cols[1]),
            fit(&esc(&p.default), cols[2]),
            fit(p.unit, cols[3]),
            esc(&p.rules)
        )
    }

    fn draw_selected(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let b = block(ui.theme, AdMsg::ThSelected.text(lang), false);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let Some(p) = self.selected() else { return };
        let kv = |k: AdMsg, v: String| {
            Line::from(vec![
                Span::styled(format!("{}: ", k.text(lang)), ui.theme.dim()),
                Span::raw(v),
            ])
        };
        let kind = match p.kind {
            Some(Kind::Number) => AdMsg::KindNumber.text(lang),
            Some(Kind::Integer) => AdMsg::KindInteger.text(lang),
            Some(Kind::List) => AdMsg::KindList.text(lang),
            None => "",
        };
        let bounds = match (p.min, p.max) {
            (Some(a), Some(b)) => format!(" · {} {a}–{b}", AdMsg::ThBounds.text(lang)),
            (None, Some(b)) => format!(" · {} ≤ {b}", AdMsg::ThBounds.text(lang)),
            _ => String::new(),
        };
        let about = match &p.site_rule {
            Some(r) => format!("{} {}", AdMsg::ThSiteParam.text(lang), esc(r)),
            None => esc(&p.about),
        };
        let edit = format!(
            "{} {}",
            ui.keymap.hint(Action::AdEdit),
            AdMsg::AdminOnlyHint.text(lang)
        );
        let lines = vec![
            Line::from(vec![
                Span::styled(esc(&p.name), ui.theme.title()),
                Span::raw(format!("  {about}")),
            ]),
            kv(AdMsg::ThValue, esc(&p.value)),
            kv(AdMsg::ThDefault, esc(&p.default)),
            kv(AdMsg::ThKind, format!("{kind}{bounds}  ·  {edit}")),
        ];
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

impl Screen for ThresholdsScreen {
    fn context(&self) -> Context {
        Context::Admin
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::AdEdit, Action::Back, Action::Help]
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
            Action::AdEdit | Action::Open => self.edit(cx),
            Action::Back => cx.back(),
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, _cx: &mut Cx) {
        if slot != ROWS {
            return;
        }
        match answer.take::<Vec<Param>>() {
            Ok(rows) => {
                self.cursor = self.cursor.min(rows.len().saturating_sub(1));
                self.rows = Some(rows);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        match tag.downcast_ref::<EditAsk>() {
            Some(ask) => Self::answer(ask, value, cx),
            None => Ok(()),
        }
    }

    fn refresh(&mut self, shown: bool, cx: &mut Cx) {
        if shown || self.rows.is_some() {
            self.request(cx);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let [list, sel] = Layout::vertical([Constraint::Min(4), Constraint::Length(6)]).areas(area);
        let w = usize::from(list.width.saturating_sub(2));
        // name, value, default, unit; the rules take what is left.
        let cols = if w >= 110 {
            [34, 28, 22, 10]
        } else {
            [26, 16, 12, 9]
        };
        let head = format!(
            "{}{}{}{}{}",
            fit(AdMsg::ThName.text(lang), cols[0]),
            fit(AdMsg::ThValue.text(lang), cols[1]),
            fit(AdMsg::ThDefault.text(lang), cols[2]),
            fit(AdMsg::ThUnit.text(lang), cols[3]),
            AdMsg::ThRules.text(lang)
        );
        let rows: Vec<String> = match (&self.error, &self.rows) {
            (Some(e), _) => vec![esc(e)],
            (None, None) => Vec::new(),
            (None, Some(r)) => r.iter().map(|p| Self::row_line(p, &cols)).collect(),
        };
        let title = match &self.rows {
            Some(r) => format!("{} · {}", AdMsg::ThTitle.text(lang), r.len()),
            None => AdMsg::ThTitle.text(lang).to_string(),
        };
        List {
            title: &title,
            head,
            rows: &rows,
            cursor: self.cursor,
            empty: "…",
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
