//! 规则: every rule — built-in, site (自定义) and external — grouped by category under
//! headings, with its hit counts; the selected rule's checks, thresholds, source, version and
//! whether it runs below. Enter opens its findings. The counts and the rule directory are the
//! dashboard's (`Shared`), so this screen loads nothing of its own. The list scrolls with the
//! cursor, so any number of rules stays reachable in a 24-line terminal.

use super::{list_delta, step, Arg, Cx, ScreenId, Ui};
use crate::context::Lang;
use crate::rules::catalogue::Category;
use crate::rules::directory::{Directory, Entry, Source};
use crate::text;
use crate::ui::find::{self, Find};
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, count, esc, rpad};
use crate::ui::screen::{Screen, Shared};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;
use std::borrow::Cow;
use std::cell::Cell;

/// A group of the list: a built-in category, or the site rules (whatever category their file
/// names: the group says where a rule comes from; its category shows in the detail box).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Category(Category),
    Site,
}

/// The groups in the order the list shows them.
pub const GROUPS: [Group; 8] = [
    Group::Category(Category::Archive),
    Group::Category(Category::Billing),
    Group::Category(Category::Metering),
    Group::Category(Category::Business),
    Group::Category(Category::Service),
    Group::Category(Category::Theft),
    Group::Category(Category::External),
    Group::Site,
];

/// One line of the list.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// A group's heading and how many rules it holds.
    Heading(Group, usize),
    Rule(String),
}

#[derive(Default)]
pub struct Rules {
    /// Index among the rule rows (headings are skipped).
    pub cursor: usize,
    /// The first list line drawn: kept between frames so the list scrolls only when the cursor
    /// would leave it.
    top: Cell<usize>,
    /// The search: the rules whose id or name match, under their groups' headings.
    pub find: Find,
}

/// The dashboard's rule directory, or the built-in catalogue until it has loaded.
fn directory(shared: &Shared) -> Cow<'_, Directory> {
    match &shared.dashboard {
        Some(d) => Cow::Borrowed(&d.directory),
        None => Cow::Owned(Directory::builtin()),
    }
}

/// Whether the list shows a site rule: in the pack, or removed but with findings on record.
fn listed(e: &Entry, shared: &Shared) -> bool {
    match e.source {
        Source::Site { removed: true, .. } => shared
            .dashboard
            .as_ref()
            .is_some_and(|d| d.rules.iter().any(|rc| rc.rule == e.id)),
        _ => true,
    }
}

impl Rules {
    /// The list's lines: each group that has rules, its heading, then its rules (built-in in
    /// catalogue order, site rules by id, external rules with findings by id).
    pub fn rows(shared: &Shared) -> Vec<Row> {
        let dir = directory(shared);
        let external: Vec<String> = shared
            .dashboard
            .as_ref()
            .map(|d| {
                d.rules
                    .iter()
                    .filter(|rc| !dir.knows(&rc.rule))
                    .map(|rc| rc.rule.clone())
                    .collect()
            })
            .unwrap_or_default();
        let mut out = Vec::new();
        for g in GROUPS {
            let mut ids: Vec<String> = dir
                .iter()
                .filter(|e| listed(e, shared))
                .filter(|e| match g {
                    Group::Site => e.is_site(),
                    Group::Category(c) => !e.is_site() && e.category == c,
                })
                .map(|e| e.id.clone())
                .collect();
            if g == Group::Category(Category::External) {
                ids.extend(external.iter().cloned());
            }
            if ids.is_empty() {
                continue;
            }
            out.push(Row::Heading(g, ids.len()));
            out.extend(ids.into_iter().map(Row::Rule));
        }
        out
    }

    /// The rule rows' ids, in list order: what the cursor moves over.
    pub fn ids(shared: &Shared) -> Vec<String> {
        Rules::rows(shared)
            .into_iter()
            .filter_map(|r| match r {
                Row::Rule(id) => Some(id),
                Row::Heading(..) => None,
            })
            .collect()
    }

    /// The list's lines the search keeps: the matching rules (id or name in the interface
    /// language), each group's heading counting them; every line without a search.
    pub fn shown_rows(&self, shared: &Shared, lang: Lang) -> Vec<Row> {
        let rows = Rules::rows(shared);
        let Some(needle) = self.find.text.as_deref() else {
            return rows;
        };
        let dir = directory(shared);
        let mut out: Vec<Row> = Vec::new();
        let mut group: Option<(Group, Vec<Row>)> = None;
        let flush = |out: &mut Vec<Row>, g: Option<(Group, Vec<Row>)>| {
            if let Some((g, rules)) = g.filter(|(_, r)| !r.is_empty()) {
                out.push(Row::Heading(g, rules.len()));
                out.extend(rules);
            }
        };
        for r in rows {
            match r {
                Row::Heading(g, _) => flush(&mut out, group.replace((g, Vec::new()))),
                Row::Rule(id) => {
                    if find::matches(&rule_text(&dir, &id, lang), needle) {
                        if let Some((_, rules)) = group.as_mut() {
                            rules.push(Row::Rule(id));
                        }
                    }
                }
            }
        }
        flush(&mut out, group);
        out
    }

    /// The rule rows' ids the search keeps, in list order: what the cursor moves over.
    pub fn shown_ids(&self, shared: &Shared, lang: Lang) -> Vec<String> {
        self.shown_rows(shared, lang)
            .into_iter()
            .filter_map(|r| match r {
                Row::Rule(id) => Some(id),
                Row::Heading(..) => None,
            })
            .collect()
    }

    /// The first line to draw so that the cursor's line (and, when it is the first of its
    /// group, the group's heading) is in view, moving the view as little as possible.
    fn scroll(&self, rows: &[Row], cursor_line: usize, visible: usize) -> usize {
        if visible == 0 {
            return 0;
        }
        let mut top = self.top.get();
        let heading_above =
            cursor_line > 0 && matches!(rows.get(cursor_line - 1), Some(Row::Heading(..)));
        let want_top = if heading_above {
            cursor_line - 1
        } else {
            cursor_line
        };
        if want_top < top {
            top = want_top;
        }
        if cursor_line >= top + visible {
            top = cursor_line + 1 - visible;
        }
        top = top.min(rows.len().saturating_sub(visible));
        self.top.set(top);
        top
    }
}

impl Screen for Rules {
    fn context(&self) -> Context {
        Context::List
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Open, Action::Back, Action::Help]
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        let lang = cx.lang();
        let ids = self.shown_ids(cx.shared, lang);
        if let Some(delta) = list_delta(a, cx.page) {
            self.cursor = step(self.cursor, delta, ids.len());
            return;
        }
        if self.search_key(a, &ids, cx) {
            return;
        }
        match a {
            Action::Open => {
                if let Some(rule) = ids.get(self.cursor).cloned() {
                    cx.go(ScreenId::Findings, Arg::Rule(rule));
                }
            }
            Action::Back => cx.back(),
            _ => {}
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let [list, info] =
            Layout::vertical([Constraint::Min(5), Constraint::Length(6)]).areas(area);
        let rows = self.shown_rows(ui.shared, ui.lang());
        let ids = self.shown_ids(ui.shared, ui.lang());
        let cursor = self.cursor.min(ids.len().saturating_sub(1));
        self.draw_list(f, list, ui, &rows, cursor);
        draw_info(f, info, ui, ids.get(cursor).map(String::as_str));
    }

    fn message(&mut self, msg: Box<dyn Any>, cx: &mut Cx) {
        let before = self
            .shown_ids(cx.shared, cx.lang())
            .get(self.cursor)
            .cloned();
        if self.find.typed(msg.as_ref()) {
            self.follow(before, cx);
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// What a search looks in for a rule: its id and its name in `lang`.
fn rule_text(dir: &Directory, id: &str, lang: Lang) -> String {
    match dir.get(id) {
        Some(e) => format!("{id}\u{1f}{}", e.name(lang == Lang::Zh)),
        None => id.to_string(),
    }
}

impl Rules {
    /// `/`, n, N and Back while a search is on; true when `a` was one of them.
    fn search_key(&mut self, a: Action, ids: &[String], cx: &mut Cx) -> bool {
        let lang = cx.lang();
        match a {
            Action::Search => self.find.open(cx),
            Action::NextMatch | Action::PrevMatch => {
                let dir = directory(cx.shared);
                let j = match self.find.needle() {
                    Some(n) => self.find.jump_by(
                        a == Action::NextMatch,
                        self.cursor,
                        ids.len(),
                        |i| find::matches(&rule_text(&dir, &ids[i], lang), n),
                        lang,
                    ),
                    None => self.find.jump_by(true, 0, 0, |_| false, lang),
                };
                if let Some(i) = j.to {
                    self.cursor = i;
                }
                cx.info(j.said);
            }
            Action::Back if self.find.active() => {
                let before = ids.get(self.cursor).cloned();
                self.find.back(cx);
                self.follow(before, cx);
            }
            _ => return false,
        }
        true
    }

    /// After the search changed: the cursor on rule `id` when it is still listed.
    fn follow(&mut self, id: Option<String>, cx: &Cx) {
        let ids = self.shown_ids(cx.shared, cx.lang());
        if let Some(pos) = id.and_then(|id| ids.iter().position(|x| *x == id)) {
            self.cursor = pos;
        }
        self.cursor = self.cursor.min(ids.len().saturating_sub(1));
    }
}

/// Widths of the list's columns (the id column is as wide as the longest id, within
/// `ID_W_MIN..=ID_W_MAX`; the name takes what is left).
const ID_W_MIN: usize = 6;
const ID_W_MAX: usize = 12;
const SEV_W: usize = 4;
const VER_W: usize = 8;
const NUM_W: usize = 7;

impl Rules {
    fn draw_list(&self, f: &mut Frame, area: Rect, ui: &Ui, rows: &[Row], cursor: usize) {
        let lang = ui.lang();
        let zh = lang == crate::context::Lang::Zh;
        let dir = directory(ui.shared);
        let title = format!("{}{}", ui.t(Msg::Rules), find::title(&self.find));
        let b = block(ui.theme, &title, true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let width = usize::from(inner.width);
        let id_w = id_width(rows, &dir);
        let name_w = width.saturating_sub(id_w + 1 + SEV_W + 1 + VER_W + 1 + 4 * (NUM_W + 1));
        let head = format!(
            "{} {} {} {} {} {} {} {}",
            text::fit(ui.t(Msg::Rule), id_w),
            text::fit(ui.t(Msg::Name), name_w),
            text::fit(ui.t(Msg::Severity), SEV_W),
            text::fit(ui.t(Msg::VersionCol), VER_W),
            rpad(ui.t(Msg::OpenCol), NUM_W),
            rpad(ui.t(Msg::NewCol), NUM_W),
            rpad(ui.t(Msg::SuppressedCol), NUM_W),
            rpad(ui.t(Msg::ClosedCol), NUM_W),
        );
        let mut lines = vec![Line::from(Span::styled(head, ui.theme.title()))];
        let visible = usize::from(inner.height.saturating_sub(1));
        let cursor_line = line_of(rows, cursor);
        let top = self.scroll(rows, cursor_line, visible);
        let counts = ui.shared.dashboard.as_ref().map(|d| &d.rules);
        for (i, row) in rows.iter().enumerate().skip(top).take(visible) {
            let id = match row {
                Row::Heading(g, n) => {
                    lines.push(heading(ui, *g, *n, width));
                    continue;
                }
                Row::Rule(id) => id,
            };
            let e = dir.get(id);
            // An external rule has no name but its id, `EXT:<source>:<code>`: shown whole in
            // the name column, its family in the id column.
            let (shown_id, name) = match e {
                Some(r) => (esc(id), esc(r.name(zh))),
                None => (
                    esc(id.split(':').next().unwrap_or(id)),
                    esc(id.split_once(':').map_or(id.as_str(), |(_, rest)| rest)),
                ),
            };
            let sev = match e {
                Some(r) => i18n::severity(lang, r.severity.as_str()),
                None => "",
            };
            let c = counts.and_then(|rs| rs.iter().find(|rc| &rc.rule == id));
            let n = |v: Option<u64>| match (v, counts.is_some()) {
                (Some(v), _) => count(v),
                (None, true) => "0".into(),
                (None, false) => "…".into(),
            };
            let style = if i == cursor_line {
                ui.theme.selected()
            } else {
                Style::new()
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!(
                        "{} {} ",
                        text::fit(&shown_id, id_w),
                        text::fit(&name, name_w)
                    ),
                    style,
                ),
                Span::styled(
                    text::fit(sev, SEV_W),
                    ui.theme
                        .severity(e.map_or("", |r| r.severity.as_str()))
                        .patch(style),
                ),
                Span::styled(
                    format!(
                        " {} {:>NUM_W$} {:>NUM_W$} {:>NUM_W$} {:>NUM_W$}",
                        text::fit(&version(ui, e.map(|e| &e.source)), VER_W),
                        n(c.map(|c| c.open)),
                        n(c.map(|c| c.new_today)),
                        n(c.map(|c| c.suppressed)),
                        n(c.map(|c| c.closed)),
                    ),
                    style,
                ),
            ]));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}

/// The id column's width: the longest id shown (an external rule shows `EXT`), within bounds.
fn id_width(rows: &[Row], dir: &Directory) -> usize {
    rows.iter()
        .map(|r| match r {
            Row::Rule(id) if dir.knows(id) => text::width(id),
            _ => 3,
        })
        .max()
        .unwrap_or(0)
        .clamp(ID_W_MIN, ID_W_MAX)
}

/// The line (headings included) of the `cursor`-th rule.
fn line_of(rows: &[Row], cursor: usize) -> usize {
    rows.iter()
        .enumerate()
        .filter(|(_, r)| matches!(r, Row::Rule(_)))
        .nth(cursor)
        .map_or(0, |(i, _)| i)
}

/// A group's heading: `── Billing · 14 ─────`.
fn heading(ui: &Ui, g: Group, n: usize, width: usize) -> Line<'static> {
    let zh = ui.lang() == crate::context::Lang::Zh;
    let label = match g {
        Group::Category(c) => c.label(zh),
        Group::Site => ui.t(Msg::SiteRules),
    };
    let dash = if ui.theme.ascii { "-" } else { "─" };
    let start = format!("{dash}{dash} {label} · {n} ");
    let rest = width.saturating_sub(text::width(&start));
    Line::from(Span::styled(
        format!("{start}{}", dash.repeat(rest)),
        ui.theme.title(),
    ))
}

/// The version column: `built-in`, a site rule's SHA-256 prefix, or why it does not run.
fn version(ui: &Ui, source: Option<&Source>) -> String {
    match source {
        None => String::new(),
        Some(Source::BuiltIn) => ui.t(Msg::BuiltInRule).to_string(),
        Some(Source::External { system }) => crate::ui::render::esc(system),
        Some(Source::Site { removed: true, .. }) => ui.t(Msg::RuleGone).to_string(),
        Some(Source::Site { enabled: false, .. }) => ui.t(Msg::RuleOff).to_string(),
        Some(Source::Site { sha256, .. }) => sha256.get(..VER_W).unwrap_or(sha256).to_string(),
    }
}

/// The selected rule: what it checks, its thresholds with today's values, its source.
fn draw_info(f: &mut Frame, area: Rect, ui: &Ui, sel: Option<&str>) {
    let zh = ui.lang() == crate::context::Lang::Zh;
    let dir = directory(ui.shared);
    let title = sel.map(esc).unwrap_or_default();
    let b = block(ui.theme, &title, false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let Some(e) = sel.and_then(|id| dir.get(id)) else {
        f.render_widget(Paragraph::new(Vec::<Line>::new()), inner);
        return;
    };
    let label = |m: Msg| Span::styled(format!("{}: ", ui.t(m)), ui.theme.dim());
    let mut lines = vec![Line::from(vec![
        label(Msg::Checks),
        Span::raw(esc(e.checks(zh))),
    ])];
    // Where a site rule comes from before its thresholds: those can run long.
    if let Source::Site {
        sha256,
        enabled,
        removed,
    } = &e.source
    {
        let runs = if *removed {
            Msg::RuleGone
        } else if *enabled {
            Msg::RuleOn
        } else {
            Msg::RuleOff
        };
        lines.push(Line::from(vec![
            label(Msg::RuleSource),
            Span::raw(format!(
                "{} · {}  ",
                ui.t(Msg::SiteRule),
                e.category.label(zh)
            )),
            label(Msg::RuleState),
            Span::raw(format!("{}  ", ui.t(runs))),
            label(Msg::VersionCol),
            // `jicha rules show` prints the whole digest.
            Span::raw(format!("sha256 {}…", sha256.get(..16).unwrap_or(sha256))),
        ]));
    }
    let th: Vec<String> = e
        .thresholds
        .iter()
        .map(|t| {
            let v = ui.shared.thresholds.get(t).map(esc).unwrap_or_default();
            format!("{} = {v}", esc(t))
        })
        .collect();
    lines.push(Line::from(vec![
        label(Msg::Thresholds),
        Span::raw(if th.is_empty() {
            ui.t(Msg::NoThresholds).to_string()
        } else {
            th.join(" · ")
        }),
    ]));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}
