//! 主题分析: where one rule's or one category's findings concentrate — along the unit tree
//! (roll up / drill down with Enter and Esc, or jump with the unit tree pick list `u`) →
//! a station's months → the findings of that cell. Computed on the loader; drawn in `draw.rs`.

mod draw;

use super::{list_delta, step, Arg, Cx, Invalid, Screen, ScreenId, Ui};
use crate::findings::{self, FindingRow};
use crate::quality::theme::{self as qtheme, Counts, UnitNode};
use crate::quality::{self, Selector};
use crate::rules::catalogue::Category;
use crate::text::escape;
use crate::ui::dialog::unit_tree::UnitTree;
use crate::ui::dialog::{Prompt, Value};
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action as Key, Context};
use crate::ui::loader::Loaded;
use crate::units::Hierarchy;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;

/// The theme screen's categories, in the order its key cycles through them.
pub const TH_CATEGORIES: [(Category, &str); 7] = [
    (Category::Archive, "archive"),
    (Category::Billing, "billing"),
    (Category::Metering, "metering"),
    (Category::Business, "business"),
    (Category::Service, "service"),
    (Category::Theft, "theft"),
    (Category::External, "external"),
];

/// What the theme screen's prompts are for.
#[derive(Debug, Clone)]
pub enum Ask {
    /// A rule id to analyse (empty: back to the category).
    Rule,
    /// The CSV file to write the theme's rows to.
    Export,
}

/// The theme screen: the unit tree (roots → … → station) → a station's months → the findings
/// of that cell.
pub struct ThemeScreen {
    pub cat: usize,
    pub selector: Selector,
    pub data: Option<Box<quality::Theme>>,
    pub error: Option<String>,
    /// The units opened, root first: the rows are the last one's units below it (or, for a
    /// unit without any, its months).
    pub path: Vec<String>,
    pub month: Option<String>,
    pub cursor: usize,
    /// The cursors of the levels above, restored on the way back.
    saved: Vec<usize>,
    /// The findings of the station-month.
    pub findings: Option<Vec<FindingRow>>,
    pub findings_error: Option<String>,
    /// The unit tree pick list on screen, to map its answer back.
    tree: Option<UnitTree>,
}

/// The tag of the unit tree pick list.
struct PickUnit;

impl Default for ThemeScreen {
    fn default() -> ThemeScreen {
        ThemeScreen {
            cat: 0,
            selector: Selector::Category(TH_CATEGORIES[0].0),
            data: None,
            error: None,
            path: Vec::new(),
            month: None,
            cursor: 0,
            saved: Vec::new(),
            findings: None,
            findings_error: None,
            tree: None,
        }
    }
}

impl ThemeScreen {
    /// How many levels are opened: units, then a month (its findings).
    pub fn depth(&self) -> usize {
        self.path.len() + usize::from(self.month.is_some())
    }

    /// The unit opened last, if any.
    pub fn node(&self) -> Option<&UnitNode> {
        let t = self.data.as_ref()?;
        t.node(self.path.last()?)
    }

    /// True when the rows are the findings of a station-month.
    pub fn at_findings(&self) -> bool {
        self.month.is_some()
    }

    /// True when the rows are a unit's months (it has no unit below with findings).
    pub fn at_months(&self) -> bool {
        !self.at_findings() && self.node().is_some_and(|n| n.children.is_empty())
    }

    /// The rows of the units or months as (name, counts), in the theme's order (units most
    /// findings first, months oldest first).
    pub fn items(&self) -> Vec<(&str, Counts)> {
        let Some(t) = &self.data else {
            return Vec::new();
        };
        if self.path.is_empty() {
            return t
                .units
                .iter()
                .map(|u| (u.unit.as_str(), u.counts))
                .collect();
        }
        let Some(n) = self.node() else {
            return Vec::new();
        };
        if n.children.is_empty() {
            n.months
                .iter()
                .map(|m| (m.month.as_str(), m.counts))
                .collect()
        } else {
            n.children
                .iter()
                .map(|c| (c.unit.as_str(), c.counts))
                .collect()
        }
    }

    fn len(&self) -> usize {
        if self.at_findings() {
            self.findings.as_ref().map_or(0, Vec::len)
        } else {
            self.items().len()
        }
    }

    /// The file name part of the export: the rule id or the category's English name.
    pub fn slug(&self) -> String {
        match &self.selector {
            Selector::Rule(id) => id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect(),
            Selector::Category(c) => TH_CATEGORIES
                .iter()
                .find(|(x, _)| x == c)
                .map_or("theme", |(_, n)| n)
                .to_string(),
        }
    }

    fn request(&mut self, cx: &mut Cx) {
        let selector = self.selector.clone();
        cx.load("theme", move |ds| {
            quality::theme(&ds.conn, &selector, None, None).map(Box::new)
        });
        if self.at_findings() {
            self.request_findings(cx);
        }
    }

    fn request_findings(&mut self, cx: &mut Cx) {
        let (Some(station), Some(month)) = (self.path.last().cloned(), self.month.clone()) else {
            return;
        };
        let selector = self.selector.clone();
        cx.load("findings", move |ds| {
            qtheme::finding_ids(&ds.conn, &selector, &station, &month)
        });
    }

    fn set_selector(&mut self, selector: Selector, cx: &mut Cx) {
        self.selector = selector;
        self.data = None;
        self.path.clear();
        self.month = None;
        self.findings = None;
        self.saved.clear();
        self.cursor = 0;
        self.request(cx);
    }

    fn open(&mut self, cx: &mut Cx) {
        if self.at_findings() {
            let id = self
                .findings
                .as_ref()
                .and_then(|f| f.get(self.cursor))
                .map(|r| r.id);
            if let Some(id) = id {
                cx.go(ScreenId::Detail, Arg::Finding(id));
            }
            return;
        }
        let months = self.at_months();
        let Some(name) = self.items().get(self.cursor).map(|(n, _)| n.to_string()) else {
            return;
        };
        self.saved.push(self.cursor);
        self.cursor = 0;
        if months {
            self.month = Some(name);
            self.findings = None;
            self.request_findings(cx);
        } else {
            self.path.push(name);
        }
    }

    fn back_one(&mut self) {
        if self.month.take().is_none() {
            self.path.pop();
        }
        self.findings = None;
        self.cursor = self.saved.pop().unwrap_or(0);
    }

    /// The unit tree as a pick list: the screen moves to the unit chosen.
    fn pick_unit(&mut self, cx: &mut Cx) {
        let h = match Hierarchy::load(&cx.ds.conn) {
            Ok(h) => h,
            Err(e) => {
                cx.error(e.text(cx.ctx.lang));
                return;
            }
        };
        let lang = cx.lang();
        let (choice, tree) = UnitTree::dialog(
            &h,
            self.path.last().map(String::as_str),
            cx.t(Msg::QUnitTree).to_string(),
            cx.t(Msg::ThAllUnits),
            |l| i18n::unit_level_name(lang, l).to_string(),
            PickUnit,
        );
        self.tree = Some(tree);
        cx.dialog(choice);
    }

    /// Opens `unit` (None: the top): its path in the tree, as far as the theme has findings.
    fn show_unit(&mut self, unit: Option<&str>, h: &Hierarchy) {
        self.month = None;
        self.findings = None;
        self.cursor = 0;
        self.saved.clear();
        self.path.clear();
        let Some(unit) = unit else { return };
        for u in h.path(unit) {
            if self.data.as_ref().is_some_and(|t| t.node(u).is_some()) {
                self.saved.push(0);
                self.path.push(u.to_string());
            }
        }
    }

    /// Writes the theme's rows as `jicha theme --format csv` does (with the byte-order mark
    /// of CSV written for people), or as `--format xlsx` for a name ending in `.xlsx`, to a
    /// temporary file beside the target renamed over it, so a reader never sees half a file.
    fn export(&self, path: &str, cx: &Cx) -> Result<usize, String> {
        let Some(t) = &self.data else {
            return Err(cx.t(Msg::Loading).to_string());
        };
        let rows = t.rows();
        let bytes = if path.to_ascii_lowercase().ends_with(".xlsx") {
            crate::output::xlsx::quality::theme(cx.lang(), t)
                .map_err(|e| e.to_string())?
                .0
        } else {
            let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
            let write = |w: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
                w.write_record([
                    "parent",
                    "station",
                    "month",
                    "findings",
                    "amount_yuan",
                    "open",
                    "rectified",
                ])?;
                for r in &rows {
                    w.write_record([
                        r.parent.clone(),
                        r.station.clone(),
                        r.month.clone(),
                        r.counts.findings.to_string(),
                        format!("{:.2}", r.counts.amount_yuan),
                        r.counts.open.to_string(),
                        r.counts.rectified.to_string(),
                    ])?;
                }
                w.flush()?;
                Ok(())
            };
            write(&mut w).map_err(|e| e.to_string())?;
            w.into_inner().map_err(|e| e.to_string())?
        };
        let target = std::path::Path::new(path);
        if target.file_name().is_none() {
            return Err(format!("{path}: not a file name"));
        }
        // A new temporary file with an unpredictable name (O_EXCL|O_NOFOLLOW), created and
        // renamed with the user's own rights even when jicha runs setgid.
        crate::privilege::as_real_user(|| {
            crate::safefile::replace_with(target, 0o666, &bytes, |_| Ok(()))
        })
        .map_err(|e| format!("{path}: {e}"))?;
        Ok(rows.len())
    }
}

impl Screen for ThemeScreen {
    fn context(&self) -> Context {
        Context::Theme
    }

    fn hints(&self) -> &'static [Key] {
        &[
            Key::ThCategory,
            Key::ThRule,
            Key::ThExport,
            Key::ThUnit,
            Key::Open,
            Key::Back,
            Key::Help,
        ]
    }

    fn enter(&mut self, _arg: Arg, cx: &mut Cx) {
        self.request(cx);
    }

    fn on_action(&mut self, a: Key, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            self.cursor = step(self.cursor, delta, self.len());
            return;
        }
        match a {
            Key::ThCategory => {
                if matches!(self.selector, Selector::Category(_)) {
                    self.cat = (self.cat + 1) % TH_CATEGORIES.len();
                }
                self.set_selector(Selector::Category(TH_CATEGORIES[self.cat].0), cx);
            }
            Key::ThRule => {
                let cur = match &self.selector {
                    Selector::Rule(r) => Some(r.clone()),
                    Selector::Category(_) => None,
                };
                cx.dialog(Prompt::new(
                    cx.t(Msg::PromptThemeRule).into(),
                    cur,
                    Ask::Rule,
                ));
            }
            Key::ThExport => {
                if self.data.is_some() {
                    let path = format!("./theme-{}-{}.csv", self.slug(), cx.ctx.today);
                    cx.dialog(Prompt::new(
                        cx.t(Msg::PromptThemeExport).into(),
                        Some(path),
                        Ask::Export,
                    ));
                } else {
                    cx.info(cx.t(Msg::Loading));
                }
            }
            Key::Open => self.open(cx),
            Key::ThUnit => self.pick_unit(cx),
            Key::Back if self.depth() > 0 => self.back_one(),
            Key::Back => cx.back(),
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, cx: &mut Cx) {
        match slot {
            "theme" => {
                match answer.take::<Box<quality::Theme>>() {
                    Ok(t) => {
                        self.data = Some(t);
                        self.error = None;
                    }
                    Err(e) => self.error = Some(escape(&e).into_owned()),
                }
                if !self.at_findings() {
                    self.cursor = self.cursor.min(self.len().saturating_sub(1));
                }
            }
            "findings" => {
                // A station-month's findings are few: their rows are primary-key look-ups.
                let rows = answer.take::<Vec<i64>>().and_then(|ids| {
                    findings::rows_by_ids(&cx.ds.conn, &ids, cx.ctx.today)
                        .map_err(|e| e.to_string())
                });
                match rows {
                    Ok(r) => {
                        self.cursor = self.cursor.min(r.len().saturating_sub(1));
                        self.findings = Some(r);
                        self.findings_error = None;
                    }
                    Err(e) => {
                        self.findings = Some(Vec::new());
                        self.findings_error = Some(escape(&e).into_owned());
                    }
                }
            }
            _ => {}
        }
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        if tag.is::<PickUnit>() {
            if let (Value::Choice(i), Some(tree)) = (&value, self.tree.take()) {
                if let (Some(unit), Ok(h)) = (tree.unit_at(*i), Hierarchy::load(&cx.ds.conn)) {
                    self.show_unit(unit, &h);
                    if unit.is_some_and(|u| self.path.last().map(String::as_str) != Some(u)) {
                        cx.info(cx.t(Msg::ThNoFindings));
                    }
                }
            }
            return Ok(());
        }
        let (Some(ask), Value::Text(text)) = (tag.downcast_ref::<Ask>(), value) else {
            return Ok(());
        };
        let value = text.trim().to_string();
        match ask {
            Ask::Rule => {
                if value.is_empty() {
                    self.set_selector(Selector::Category(TH_CATEGORIES[self.cat].0), cx);
                    return Ok(());
                }
                // Built-in ids are upper case; an external rule keeps its source's spelling.
                let id = match value.get(..4) {
                    Some(p) if p.eq_ignore_ascii_case("EXT:") => format!("EXT:{}", &value[4..]),
                    _ => value.to_ascii_uppercase(),
                };
                match Selector::rule(&cx.ds.conn, &id) {
                    Ok(sel) => {
                        self.set_selector(sel, cx);
                        Ok(())
                    }
                    Err(e) => Err(Invalid::from(escape(&e.to_string()).into_owned())),
                }
            }
            Ask::Export => {
                if value.is_empty() {
                    return Ok(());
                }
                match self.export(&value, cx) {
                    Ok(n) => {
                        cx.info(i18n::theme_exported(cx.lang(), n, &value));
                        Ok(())
                    }
                    Err(e) => Err(Invalid::from(escape(&e).into_owned())),
                }
            }
        }
    }

    fn refresh(&mut self, shown: bool, cx: &mut Cx) {
        if shown {
            self.request(cx);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        draw::draw(f, self, ui, area);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
