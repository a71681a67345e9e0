//! 异常: the work queue. The whole filtered list is a vector of ids ordered on the loader's
//! thread; only the rows on screen are read here (a page of primary-key look-ups, however
//! long the list). Marked findings are the targets of every finding action while there are
//! marks, always confirmed with their count; they survive a refresh and a refused action.

pub mod columns;
mod draw;
mod hooks;

use super::export::{self, ExportMsg};
use super::{list_delta, step, triage, Arg, Cx, Invalid, Screen, ScreenId, Ui};
use crate::findings::{self, Filter, FindingRow, SortKey, Suppressed};
use crate::states::FindingStatus as F;
use crate::text::escape;

use crate::ui::dialog::{Choice, Value};
use crate::ui::i18n::LsMsg;
use crate::ui::keymap::{Action, Context};
use crate::ui::loader::Loaded;
use crate::ui::write::{Targets, Write};
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;
use std::collections::BTreeMap;

/// Display columns the evidence moves by per scroll key, and how far it may go.
const HSCROLL_STEP: usize = 10;
const HSCROLL_MAX: usize = 400;

/// The loader's slot of the ordered ids.
pub const IDS: &str = "ids";
/// The loader's slot of the findings the last search matches (n / N after Back cleared it).
pub const MATCHES: &str = "matches";

pub struct Findings {
    pub filter: Filter,
    pub sort: SortKey,
    pub desc: bool,
    /// The whole filtered list, ids only; None until the first answer for this filter.
    pub ids: Option<Vec<i64>>,
    pub error: Option<String>,
    pub cursor: usize,
    pub offset: usize,
    /// The rows on screen, `ids[offset..offset + window.len()]`.
    pub window: Vec<FindingRow>,
    /// (answers so far, offset, end) of the rows in `window`; None: read them again.
    window_key: Option<(u64, usize, usize)>,
    answers: u64,
    /// Marked findings with the version the screen showed when they were marked.
    pub marked: BTreeMap<i64, i64>,
    /// Keep the cursor on this finding when the new list arrives.
    focus: Option<i64>,
    /// Where a range mark started (`hooks.rs`).
    pub range_from: Option<i64>,
    /// Moves typed while a new order was on its way (`o G`): applied to the new list.
    pending: Vec<i64>,
    /// Columns the operator hid with the column chooser (`columns::load_hidden`).
    pub hidden: Vec<columns::Col>,
    /// Whose column choice `hidden` is (loaded once per operator).
    prefs_of: Option<String>,
    /// How many display columns of the evidence are scrolled off to the left.
    pub hscroll: usize,
    /// The last text searched (`/`), kept after Back cleared it: what n / N look for then.
    pub last_search: Option<String>,
    /// The findings `last_search` matches while no search filters the list (`hooks.rs`).
    matches: Option<std::collections::HashSet<i64>>,
}

/// What a findings prompt is for.
#[derive(Debug, Clone, Copy)]
enum Ask {
    Unit,
    Rule,
    Columns,
}

impl Default for Findings {
    fn default() -> Findings {
        Findings {
            // The findings screen opens on the work queue.
            filter: Filter {
                status: Some("open".into()),
                ..Filter::default()
            },
            sort: SortKey::Severity,
            desc: false,
            ids: None,
            error: None,
            cursor: 0,
            offset: 0,
            window: Vec::new(),
            window_key: None,
            answers: 0,
            marked: BTreeMap::new(),
            focus: None,
            range_from: None,
            pending: Vec::new(),
            hidden: Vec::new(),
            prefs_of: None,
            hscroll: 0,
            last_search: None,
            matches: None,
        }
    }
}

impl Findings {
    pub fn total(&self) -> Option<usize> {
        self.ids.as_ref().map(Vec::len)
    }

    /// The direction the list is really in: the arrow shown, the same for every column
    /// (↑ smallest first, ↓ largest first).
    pub fn descending(&self) -> bool {
        self.sort.largest_first() != self.desc
    }

    pub fn current(&self) -> Option<&FindingRow> {
        self.window.get(self.cursor.checked_sub(self.offset)?)
    }

    /// Marked findings when there are any, else the one under the cursor. With marks the row
    /// under the cursor is never taken instead: the marks are what was chosen.
    pub fn targets(&self) -> Option<Targets> {
        if !self.marked.is_empty() {
            return Some(Targets {
                seen: self.marked.iter().map(|(i, v)| (*i, *v)).collect(),
                marked: true,
            });
        }
        self.current().map(|r| Targets {
            seen: vec![(r.id, r.version)],
            marked: false,
        })
    }

    /// Orders the filtered ids on the loader's thread; `keep` holds the cursor on the same
    /// finding, else (a new filter or sort) the old list means nothing any more.
    fn request_ids(&mut self, keep: bool, cx: &mut Cx) {
        self.focus = if keep {
            self.current().map(|r| r.id)
        } else {
            None
        };
        if !keep {
            self.pending.clear();
            self.ids = None;
            self.cursor = 0;
            self.offset = 0;
            self.window.clear();
            self.window_key = None;
        }
        let (filter, sort, desc, today) = (self.filter.clone(), self.sort, self.desc, cx.ctx.today);
        cx.load(IDS, move |ds| {
            findings::ordered_ids(&ds.conn, &filter, sort, desc, today)
        });
        self.request_matches(cx);
    }

    /// The whole filtered list in the screen's order, as `jicha findings --format xlsx`
    /// writes it, read a page at a time on the loader's thread.
    fn export(&self, target: export::Target, cx: &mut Cx) {
        let ids = self.ids.clone().unwrap_or_default();
        let (lang, today) = (cx.lang(), cx.ctx.today);
        export::write(target, cx, move |ds| {
            crate::output::xlsx::findings::workbook(lang, |row| {
                for page in ids.chunks(500) {
                    for f in findings::rows_by_ids(&ds.conn, page, today)? {
                        row(&f)?;
                    }
                }
                Ok(())
            })
        });
    }
}

impl Findings {
    /// The operator's column choice, read once (the preferences file; see `columns`).
    fn load_prefs(&mut self, cx: &Cx) {
        if self.prefs_of.as_deref() != Some(cx.ctx.operator.as_str()) {
            self.hidden = columns::load_hidden(&cx.ctx.operator);
            self.prefs_of = Some(cx.ctx.operator.clone());
        }
    }

    /// The column chooser: a checkbox per column, Enter shows or hides one, the last item
    /// closes it. `sel` is the item the mark starts on.
    fn choose_columns(&self, sel: usize, cx: &mut Cx) {
        let ui_lang = cx.lang();
        let items: Vec<String> = columns::Col::ALL
            .iter()
            .map(|c| {
                let on = if self.hidden.contains(c) {
                    "[ ]"
                } else {
                    "[x]"
                };
                format!("{on} {}", c.label_in(ui_lang))
            })
            .chain(std::iter::once(format!(
                "    {}",
                LsMsg::ColumnsDone.text(ui_lang)
            )))
            .collect();
        let mut d = Choice::new(
            LsMsg::Columns.text(ui_lang).to_string(),
            items,
            Ask::Columns,
        );
        d.numbered = false;
        d.sel = sel;
        d.size = (48, None);
        cx.dialog(d);
    }

    /// Shows or hides the column at `i` of the chooser, remembers the choice, and opens the
    /// chooser again on the same item; the last item closes it.
    fn toggle_column(&mut self, i: usize, cx: &mut Cx) {
        let Some(c) = columns::Col::ALL.get(i).copied() else {
            return;
        };
        if let Some(p) = self.hidden.iter().position(|h| *h == c) {
            self.hidden.remove(p);
        } else {
            self.hidden.push(c);
            self.hidden.sort();
        }
        if let Err(e) = columns::save_hidden(&cx.ctx.operator, &self.hidden) {
            let m = format!("{}: {}", LsMsg::ColumnsSaveFailed.text(cx.lang()), e);
            cx.info(escape(&m).into_owned());
        }
        self.choose_columns(i, cx);
    }
}

fn next_in<T: PartialEq + Copy>(cycle: &[T], cur: T) -> T {
    let i = cycle.iter().position(|x| *x == cur).map_or(0, |i| i + 1);
    cycle[i % cycle.len()]
}

impl Screen for Findings {
    fn context(&self) -> Context {
        Context::Findings
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::Confirm,
            Action::Close,
            Action::Reopen,
            Action::Note,
            Action::WhitelistAdd,
            Action::TicketCreate,
            Action::Mark,
            Action::Search,
            Action::FilterStatus,
            Action::Sort,
            Action::FExport,
            Action::Open,
            Action::Help,
        ]
    }

    fn enter(&mut self, arg: Arg, cx: &mut Cx) {
        // "Enter on a rule opens its findings": every status, suppressed ones hidden.
        if let Arg::Rule(rule) = arg {
            self.filter = Filter {
                rule: Some(rule),
                ..Filter::default()
            };
            self.request_ids(false, cx);
        }
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        if let Some(delta) = list_delta(a, cx.page) {
            match self.total() {
                // A new order is on its way: the move is for the list the operator asked for.
                None => self.pending.push(delta),
                Some(n) => self.cursor = step(self.cursor, delta, n),
            }
            return;
        }
        if triage::is_triage(a) {
            return triage::act(a, self.targets(), cx);
        }
        if self.tool(a, cx) {
            return;
        }
        match a {
            Action::Open => {
                if let Some(id) = self.current().map(|r| r.id) {
                    cx.go(ScreenId::Detail, Arg::Finding(id));
                }
            }
            Action::Back => self.back(cx),
            Action::InspectionCreate => super::inspections::plan_form(self.targets(), cx),
            Action::FilterStatus => {
                // "open" is the filter's name for every open status (findings::Filter).
                const CYCLE: [Option<&str>; 7] = [
                    Some("open"),
                    Some(F::New.as_str()),
                    Some(F::Confirmed.as_str()),
                    Some(F::Ticketed.as_str()),
                    Some(F::Closed.as_str()),
                    Some(F::Cleared.as_str()),
                    None,
                ];
                let cur = self.filter.status.as_deref();
                self.filter.status = next_in(&CYCLE, cur).map(str::to_string);
                self.request_ids(false, cx);
            }
            Action::FilterSeverity => {
                const CYCLE: [Option<&str>; 4] = [None, Some("high"), Some("medium"), Some("low")];
                let cur = self.filter.severity.as_deref();
                self.filter.severity = next_in(&CYCLE, cur).map(str::to_string);
                self.request_ids(false, cx);
            }
            Action::FilterLevel => {
                const CYCLE: [Option<i64>; 5] = [None, Some(1), Some(2), Some(3), Some(4)];
                self.filter.level = next_in(&CYCLE, self.filter.level);
                self.request_ids(false, cx);
            }
            Action::FilterSuppressed => {
                const CYCLE: [Suppressed; 3] =
                    [Suppressed::Hide, Suppressed::Only, Suppressed::Include];
                self.filter.suppressed = next_in(&CYCLE, self.filter.suppressed);
                self.request_ids(false, cx);
            }
            Action::FColumns => self.choose_columns(0, cx),
            Action::FScrollLeft => self.hscroll = self.hscroll.saturating_sub(HSCROLL_STEP),
            Action::FScrollRight => self.hscroll = (self.hscroll + HSCROLL_STEP).min(HSCROLL_MAX),
            Action::FilterRecurred => {
                self.filter.recurred = !self.filter.recurred;
                self.request_ids(false, cx);
            }
            Action::ClearFilters => {
                self.filter = Filter::default();
                self.request_ids(false, cx);
            }
            // A new order starts at its top: the selection goes to the first row.
            Action::Sort => {
                self.sort = next_in(&SortKey::ALL, self.sort);
                self.request_ids(false, cx);
            }
            Action::Reverse => {
                self.desc = !self.desc;
                self.request_ids(false, cx);
            }
            Action::Mark => {
                if let Some(r) = self.current() {
                    let (id, v) = (r.id, r.version);
                    if self.marked.remove(&id).is_none() {
                        self.marked.insert(id, v);
                    }
                    self.cursor = step(self.cursor, 1, self.total().unwrap_or(0));
                }
            }
            Action::ClearMarks => self.marked.clear(),
            Action::FExport => match self.ids {
                Some(_) => {
                    let name = export::default_name(&format!("findings-{}", cx.ctx.today));
                    export::ask_file(cx, ExportMsg::PromptFindings, name);
                }
                None => cx.info(ExportMsg::NothingYet.text(cx.lang())),
            },
            _ => {}
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: Loaded, cx: &mut Cx) {
        if slot == export::SLOT {
            return export::done(answer, cx);
        }
        if slot == MATCHES {
            self.matches = answer.take::<std::collections::HashSet<i64>>().ok();
            return;
        }
        if slot != IDS {
            return;
        }
        self.answers += 1;
        match answer.take::<Vec<i64>>() {
            Ok(ids) => {
                let focus = self.focus.take();
                if let Some(pos) = focus.and_then(|id| ids.iter().position(|x| *x == id)) {
                    self.cursor = pos;
                }
                for delta in std::mem::take(&mut self.pending) {
                    self.cursor = step(self.cursor, delta, ids.len());
                }
                self.cursor = self.cursor.min(ids.len().saturating_sub(1));
                self.ids = Some(ids);
                self.error = None;
            }
            Err(e) => {
                self.ids = Some(Vec::new());
                self.error = Some(escape(&e).into_owned());
            }
        }
        self.window_key = None;
    }

    fn reply(&mut self, tag: &dyn Any, value: Value, cx: &mut Cx) -> Result<(), Invalid> {
        if let Some(ask) = tag.downcast_ref::<triage::Ask>() {
            return triage::reply(ask.clone(), value, cx);
        }
        if let Some(ask) = tag.downcast_ref::<super::inspections::PlanAsk>() {
            return super::inspections::forms_plan_reply(ask, value, cx);
        }
        if let Some(ask) = tag.downcast_ref::<super::views::Ask>() {
            return self.view_reply(ask, value, cx);
        }
        if let Some(ask) = tag.downcast_ref::<export::Ask>() {
            if let Some(target) = export::reply(ask, value, cx) {
                self.export(target, cx);
            }
            return Ok(());
        }
        if let (Some(Ask::Columns), Value::Choice(i)) = (tag.downcast_ref::<Ask>(), &value) {
            self.toggle_column(*i, cx);
            return Ok(());
        }
        let (Some(ask), Value::Text(input)) = (tag.downcast_ref::<Ask>(), value) else {
            return Ok(());
        };
        let value = input.trim().to_string();
        let opt = (!value.is_empty()).then(|| value.clone());
        match ask {
            Ask::Unit => {
                // Any unit of the organisation, meaning its subtree; a typo is refused here,
                // with the nearest names, rather than listing nothing.
                if let Some(u) = &opt {
                    if let Err(e) = crate::units::stations_of(&cx.ds.conn, u) {
                        return Err(Invalid::from(escape(&e.text(cx.ctx.lang)).into_owned()));
                    }
                }
                self.filter.station = opt;
            }
            Ask::Columns => return Ok(()),
            Ask::Rule => {
                let rule = opt.map(|r| r.to_ascii_uppercase());
                let f = Filter {
                    rule: rule.clone(),
                    ..Filter::default()
                };
                if let Err(e) = f.validate() {
                    return Err(Invalid::from(escape(&e.text(cx.ctx.lang)).into_owned()));
                }
                self.filter.rule = rule;
            }
        }
        self.request_ids(false, cx);
        Ok(())
    }

    /// The list again (every screen's refresh: the work queue is what the header counts),
    /// keeping the cursor on the same finding; the rows on screen are read again.
    fn refresh(&mut self, _shown: bool, cx: &mut Cx) {
        self.load_prefs(cx);
        self.request_ids(true, cx);
        self.window_key = None;
    }

    fn message(&mut self, msg: Box<dyn Any>, cx: &mut Cx) {
        self.tool_message(msg.as_ref(), cx);
    }

    /// Applied marks are cleared; a refused change keeps every mark.
    fn written(&mut self, w: &Write, ok: bool, _cx: &mut Cx) {
        if ok {
            for id in &w.marked {
                self.marked.remove(id);
            }
        }
    }

    /// Fetches the visible rows when the window moved or the list changed.
    fn sync(&mut self, cx: &mut Cx) {
        self.load_prefs(cx);
        let page = cx.page;
        let Some(ids) = &self.ids else { return };
        let n = ids.len();
        self.cursor = self.cursor.min(n.saturating_sub(1));
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + page {
            self.offset = self.cursor + 1 - page;
        }
        self.offset = self.offset.min(n.saturating_sub(page));
        let end = (self.offset + page).min(n);
        let key = (self.answers, self.offset, end);
        if self.window_key == Some(key) {
            return;
        }
        match findings::rows_by_ids(&cx.ds.conn, &ids[self.offset..end], cx.ctx.today) {
            Ok(rows) => {
                self.window = rows;
                self.window_key = Some(key);
            }
            Err(e) => {
                self.window.clear();
                self.error = Some(escape(&e.to_string()).into_owned());
            }
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
