//! 规则及来源: every rule — built-in, external (another system's, from its export) and site
//! (自定义, an admin's TOML file) — with where it comes from and whether it runs, as
//! `jicha rules list` lists them; the selected rule's description below, and for a site rule
//! its parameters and SQL (`jicha rules show`). An admin enables or disables a site rule
//! (`enable`, `disable`): asked first, then the action `jicha rules enable|disable` performs.

use super::words::AdMsg;
use super::{admin_may, fit, List};
use crate::actions::site_rules::SiteRuleAction;
use crate::db::Dataset;
use crate::rules::directory::{Entry, Source};
use crate::rules::site::store::{self, StoredRule};
use crate::ui::dialog::Confirm;
use crate::ui::keymap::{Action, Context};
use crate::ui::loader::Loaded;
use crate::ui::render::{block, esc};
use crate::ui::screen::rules::Rules;
use crate::ui::screen::{list_delta, step, Arg, Cx, Screen, Shared, Ui};
use crate::ui::worker::Change;
use crate::ui::write::Write;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;

const SITE: &str = "site";

#[derive(Default)]
pub struct SiteRulesScreen {
    pub cursor: usize,
    /// The rule ids in list order (the rules screen's order), from the dashboard's directory.
    pub ids: Vec<String>,
    /// The dataset's site rules with their files (for the SQL and parameters).
    pub site: Vec<StoredRule>,
    pub error: Option<String>,
}

fn entry<'a>(shared: &'a Shared, id: &str) -> Option<&'a Entry> {
    shared.dashboard.as_ref()?.directory.get(id)
}

/// Where the rule comes from and whether it runs, in the operator's words.
fn source_words(lang: crate::context::Lang, e: Option<&Entry>) -> (String, &'static str) {
    match e.map(|e| &e.source) {
        Some(Source::Site {
            enabled, removed, ..
        }) => {
            let state = match (removed, enabled) {
                (true, _) => AdMsg::SrRemoved,
                (false, true) => AdMsg::SrEnabled,
                (false, false) => AdMsg::SrDisabled,
            };
            (AdMsg::SrSite.text(lang).to_string(), state.text(lang))
        }
        Some(Source::External { system }) => (
            format!("{} {}", AdMsg::SrExternal.text(lang), esc(system)),
            AdMsg::SrRuns.text(lang),
        ),
        _ => (
            AdMsg::SrBuiltIn.text(lang).to_string(),
            AdMsg::SrRuns.text(lang),
        ),
    }
}

impl SiteRulesScreen {
    fn request(&self, cx: &mut Cx) {
        cx.load(SITE, |ds: &Dataset| store::all(&ds.conn));
    }

    pub fn selected(&self) -> Option<&str> {
        self.ids.get(self.cursor).map(String::as_str)
    }

    fn stored(&self, id: &str) -> Option<&StoredRule> {
        self.site.iter().find(|s| s.rule.id == id)
    }

    /// `enable` / `disable`: admins only, a site rule only, and only when it changes anything.
    fn toggle(&self, enable: bool, cx: &mut Cx) {
        let Some(id) = self.selected().map(str::to_string) else {
            return;
        };
        let action = if enable {
            SiteRuleAction::Enable { id: id.clone() }
        } else {
            SiteRuleAction::Disable { id: id.clone() }
        };
        if !admin_may(cx, action.name()) {
            return;
        }
        let lang = cx.lang();
        let Some(s) = self.stored(&id).filter(|s| s.removed_at.is_none()) else {
            cx.error(AdMsg::SrOnlySite.text(lang));
            return;
        };
        if s.enabled == enable {
            cx.error(AdMsg::SrAlready.text(lang));
            return;
        }
        let ask = if enable {
            AdMsg::SrEnableAsk
        } else {
            AdMsg::SrDisableAsk
        };
        let question = ask.text(lang).replace("{id}", &esc(&id));
        cx.dialog(Confirm::new(question, Write::new(Change::SiteRule(action))));
    }

    fn detail_lines(&self, id: &str, ui: &Ui) -> Vec<Line<'static>> {
        let lang = ui.lang();
        let zh = lang == crate::context::Lang::Zh;
        let e = entry(ui.shared, id);
        let name = e.map(|e| esc(e.name(zh))).unwrap_or_default();
        let (source, state) = source_words(lang, e);
        let mut out = vec![
            Line::from(vec![
                Span::styled(format!("{} {name}", esc(id)), ui.theme.title()),
                Span::raw(format!("  {source} · {state}")),
            ]),
            Line::from(e.map(|e| esc(e.checks(zh))).unwrap_or_default()),
        ];
        let Some(s) = self.stored(id) else {
            if let Some(e) = e.filter(|e| !e.thresholds.is_empty()) {
                out.push(Line::from(format!(
                    "{}: {}",
                    AdMsg::SrParams.text(lang),
                    esc(&e.thresholds.join(", "))
                )));
            }
            return out;
        };
        out.push(Line::from(Span::styled(
            format!(
                "{} {} · {} {} · sha256 {}",
                AdMsg::SrVersion.text(lang),
                s.version,
                AdMsg::SrAddedBy.text(lang),
                esc(&s.added_by),
                esc(&s.rule.sha256.chars().take(12).collect::<String>())
            ),
            ui.theme.dim(),
        )));
        if !s.rule.params.is_empty() {
            let params: Vec<String> = s
                .rule
                .params
                .iter()
                .map(|(k, p)| format!("{}={}", esc(k), esc(&p.default)))
                .collect();
            out.push(Line::from(format!(
                "{}: {}",
                AdMsg::SrParams.text(lang),
                params.join(", ")
            )));
        }
        out.push(Line::from(Span::styled(
            format!("{}:", AdMsg::SrSql.text(lang)),
            ui.theme.dim(),
        )));
        out.extend(
            s.rule
                .sql
                .lines()
                .map(|l| Line::from(format!("  {}", esc(l)))),
        );
        out
    }
}

impl Screen for SiteRulesScreen {
    fn context(&self) -> Context {
        Context::Admin
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::AdEnable,
            Action::AdDisable,
            Action::Back,
            Action::Help,
        ]
    }

    fn enter(&mut self, _arg: Arg, cx: &mut Cx) {
        self.ids = Rules::ids(cx.shared);
        self.request(cx);
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        if let Some(d) = list_delta(a, cx.page.max(1)) {
            self.cursor = step(self.cursor, d, self.ids.len());
            return;
        }
        match a {
            Action::AdEnable => self.toggle(true, cx),
            Action::AdDisable => self.toggle(false, cx),
            Action::Back => cx.back(),
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, _cx: &mut Cx) {
        if slot != SITE {
            return;
        }
        match answer.take::<Vec<StoredRule>>() {
            Ok(site) => {
                self.site = site;
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn refresh(&mut self, shown: bool, cx: &mut Cx) {
        self.ids = Rules::ids(cx.shared);
        if shown {
            self.request(cx);
        }
    }

    fn shared_changed(&mut self, shared: &Shared) {
        self.ids = Rules::ids(shared);
        self.cursor = self.cursor.min(self.ids.len().saturating_sub(1));
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let lang = ui.lang();
        let zh = lang == crate::context::Lang::Zh;
        let sel_h = if area.height >= 40 { 14 } else { 8 };
        let [list, sel] =
            Layout::vertical([Constraint::Min(4), Constraint::Length(sel_h)]).areas(area);
        let w = usize::from(list.width.saturating_sub(2));
        // id, source, state; the name takes what is left.
        let cols = if w >= 110 { [28, 24, 10] } else { [16, 14, 8] };
        let head = format!(
            "{}{}{}{}",
            fit(AdMsg::SrId.text(lang), cols[0]),
            fit(AdMsg::SrSource.text(lang), cols[1]),
            fit(AdMsg::SrState.text(lang), cols[2]),
            AdMsg::SrName.text(lang)
        );
        let rows: Vec<String> = match &self.error {
            Some(e) => vec![esc(e)],
            None => self
                .ids
                .iter()
                .map(|id| {
                    let e = entry(ui.shared, id);
                    let (source, state) = source_words(lang, e);
                    format!(
                        "{}{}{}{}",
                        fit(&esc(id), cols[0]),
                        fit(&source, cols[1]),
                        fit(state, cols[2]),
                        e.map(|e| esc(e.name(zh))).unwrap_or_default()
                    )
                })
                .collect(),
        };
        let title = format!("{} · {}", AdMsg::SrTitle.text(lang), self.ids.len());
        List {
            title: &title,
            head,
            rows: &rows,
            cursor: self.cursor,
            empty: AdMsg::SrNoRules.text(lang),
        }
        .draw(f, list, ui);
        let b = block(ui.theme, AdMsg::SrName.text(lang), false);
        let inner = b.inner(sel);
        f.render_widget(b, sel);
        if let Some(id) = self.selected() {
            let lines = self.detail_lines(id, ui);
            f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
