//! 主题分析: where one rule's or one category's findings concentrate — district → station →
//! month → the findings of that cell. Computed on the loader; drawn in `draw.rs`.

mod draw;

use super::{list_delta, step, Arg, Cx, Invalid, Screen, ScreenId, Ui};
use crate::findings::{self, FindingRow};
use crate::quality::theme::{self as qtheme, Counts};
use crate::quality::{self, Selector};
use crate::rules::catalogue::Category;
use crate::text::escape;
use crate::ui::dialog::{Prompt, Value};
use crate::ui::i18n::{self, Msg};
use crate::ui::keymap::{Action as Key, Context};
use crate::ui::loader::Loaded;
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

/// The theme screen: district → station → month → the findings of that cell.
pub struct ThemeScreen {
    pub cat: usize,
    pub selector: Selector,
    pub data: Option<Box<quality::Theme>>,
    pub error: Option<String>,
    pub district: Option<String>,
    pub station: Option<String>,
    pub month: Option<String>,
    pub cursor: usize,
    /// The cursors of the levels above, restored on the way back.
    saved: Vec<usize>,
    /// The findings of the station-month (depth 3).
    pub findings: Option<Vec<FindingRow>>,
    pub findings_error: Option<String>,
}

impl Default for ThemeScreen {
    fn default() -> ThemeScreen {
        ThemeScreen {
            cat: 0,
            selector: Selector::Category(TH_CATEGORIES[0].0),
            data: None,
            error: None,
            district: None,
            station: None,
            month: None,
            cursor: 0,
            saved: Vec::new(),
            findings: None,
            findings_error: None,
        }
    }
}

impl ThemeScreen {
    /// 0 districts, 1 a district's stations, 2 a station's months, 3 a month's findings.
    pub fn depth(&self) -> usize {
        usize::from(self.district.is_some())
            + usize::from(self.station.is_some())
            + usize::from(self.month.is_some())
    }

    /// The rows of depth 0–2 as (name, counts), in the theme's order (months oldest first).
    pub fn items(&self) -> Vec<(&str, Counts)> {
        let Some(t) = &self.data else {
            return Vec::new();
        };
        let Some(d) = &self.district else {
            return t
                .districts
                .iter()
                .map(|d| (d.district.as_str(), d.counts))
                .collect();
        };
        let Some(dn) = t.districts.iter().find(|x| &x.district == d) else {
            return Vec::new();
        };
        match &self.station {
            None => dn
                .stations
                .iter()
                .map(|s| (s.station.as_str(), s.counts))
                .collect(),
            Some(st) => dn
                .stations
                .iter()
                .find(|x| &x.station == st)
                .map(|s| {
                    s.months
                        .iter()
                        .map(|m| (m.month.as_str(), m.counts))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    fn len(&self) -> usize {
        if self.depth() == 3 {
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
        if self.depth() == 3 {
            self.request_findings(cx);
        }
    }

    fn request_findings(&mut self, cx: &mut Cx) {
        let (Some(station), Some(month)) = (self.station.clone(), self.month.clone()) else {
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
        self.district = None;
        self.station = None;
        self.month = None;
        self.findings = None;
        self.saved.clear();
        self.cursor = 0;
        self.request(cx);
    }

    fn open(&mut self, cx: &mut Cx) {
        let depth = self.depth();
        if depth == 3 {
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
        let Some(name) = self.items().get(self.cursor).map(|(n, _)| n.to_string()) else {
            return;
        };
        self.saved.push(self.cursor);
        self.cursor = 0;
        match depth {
            0 => self.district = Some(name),
            1 => self.station = Some(name),
            _ => {
                self.month = Some(name);
                self.findings = None;
                self.request_findings(cx);
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
                    "district",
                    "station",
                    "month",
                    "findings",
                    "amount_yuan",
                    "open",
                    "rectified",
                ])?;
                for r in &rows {
                    w.write_record([
                        r.district.clone(),
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
            Key::Back if self.depth() > 0 => {
                if self.month.take().is_none() && self.station.take().is_none() {
                    self.district = None;
                }
                self.findings = None;
                self.cursor = self.saved.pop().unwrap_or(0);
            }
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
                if self.depth() < 3 {
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
