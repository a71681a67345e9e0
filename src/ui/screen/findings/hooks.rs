//! The findings list's part in the keyboard tools: `/` searching as you type, the fuzzy rule
//! and unit pickers, bulk marks (all, invert, range), `y`, saved views, and what the `:`
//! command line sends (`cmdline::Jump`).

use super::{Ask, Findings, MATCHES};
use crate::findings::Filter;
use crate::ui::cmdline::Jump;
use crate::ui::dialog::picker::{Item, Picker};
use crate::ui::find::Find;
use crate::ui::i18n::Msg;
use crate::ui::keymap::Action;
use crate::ui::screen::{views, Cx};
use crate::ui::search::{Search, Typed};
use std::any::Any;

impl Findings {
    /// The keys of this file; false for the others.
    pub(super) fn tool(&mut self, a: Action, cx: &mut Cx) -> bool {
        match a {
            Action::Search => {
                let title = cx.t(Msg::PromptSearch).to_string();
                cx.dialog(Search::new(title, self.filter.text.clone()));
            }
            Action::NextMatch | Action::PrevMatch => self.jump(a == Action::NextMatch, cx),
            Action::FilterRule => self.pick_rule(cx),
            Action::FilterUnit => self.pick_unit(cx),
            Action::MarkAll | Action::InvertMarks => {
                let ids = self.ids.clone().unwrap_or_default();
                match crate::lookup::finding_versions(&cx.ds.conn, &ids) {
                    Ok(v) if a == Action::MarkAll => {
                        crate::ui::marks::mark_all(&mut self.marked, &v)
                    }
                    Ok(v) => crate::ui::marks::invert(&mut self.marked, &v),
                    Err(e) => cx.error(e.text(cx.ctx.lang)),
                }
                self.marks_said(cx);
            }
            Action::RangeMark => self.range_mark(cx),
            Action::Copy => {
                let cust = self.current().map(|r| r.cust_no.clone());
                crate::ui::cmdline::copy_customer(cust, cx);
            }
            Action::SaveView | Action::Views => views::act(a, &self.filter, cx),
            _ => return false,
        }
        true
    }

    fn marks_said(&self, cx: &mut Cx) {
        let n = self.marked.len();
        cx.info(match cx.lang() {
            crate::context::Lang::En => format!("{n} marked"),
            crate::context::Lang::Zh => format!("已标记 {n} 条"),
        });
    }

    /// First press: remember the row; second: mark every row between it and the cursor.
    fn range_mark(&mut self, cx: &mut Cx) {
        let Some(ids) = self.ids.clone() else { return };
        match self.range_from.take() {
            None => {
                if let Some(id) = self.current().map(|r| r.id) {
                    self.range_from = Some(id);
                    let key = cx.keymap.hint(Action::RangeMark);
                    cx.info(match cx.lang() {
                        crate::context::Lang::En => {
                            format!("Range mark from here: move, then {key} again")
                        }
                        crate::context::Lang::Zh => {
                            format!("区间标记起点已定：移动光标后再按 {key}")
                        }
                    });
                }
            }
            Some(from) => {
                // The start row may have left the list (a refresh): then it is this row alone.
                let a = ids.iter().position(|x| *x == from).unwrap_or(self.cursor);
                let span = &ids[crate::ui::marks::range(a, self.cursor, ids.len())];
                match crate::lookup::finding_versions(&cx.ds.conn, span) {
                    Ok(v) => crate::ui::marks::mark_all(&mut self.marked, &v),
                    Err(e) => cx.error(e.text(cx.ctx.lang)),
                }
                self.marks_said(cx);
            }
        }
    }

    fn pick_rule(&self, cx: &mut Cx) {
        let zh = cx.lang() == crate::context::Lang::Zh;
        let dir = match cx.shared.dashboard.as_ref() {
            Some(d) => d.directory.clone(),
            None => crate::rules::directory::Directory::load(&cx.ds.conn)
                .unwrap_or_else(|_| crate::rules::directory::Directory::builtin()),
        };
        let items = dir
            .iter()
            .map(|e| Item {
                name: e.id.clone(),
                label: e.name(zh).to_string(),
            })
            .collect();
        let title = cx.t(Msg::PromptRule).to_string();
        let p = Picker::new(title, items, Ask::Rule).at(self.filter.rule.as_deref());
        cx.dialog(p);
    }

    fn pick_unit(&self, cx: &mut Cx) {
        let h = match crate::units::Hierarchy::load(&cx.ds.conn) {
            Ok(h) => h,
            Err(e) => return cx.error(e.text(cx.ctx.lang)),
        };
        let lang = cx.lang();
        let items = h
            .preorder()
            .into_iter()
            .map(|(u, depth)| Item {
                name: u.name.clone(),
                label: format!(
                    "{}{}",
                    "  ".repeat(depth),
                    crate::i18n::refusals_tickets::unit_level(lang, u.level.as_str())
                ),
            })
            .collect();
        let title = cx.t(Msg::PromptUnit).to_string();
        let p = Picker::new(title, items, Ask::Unit).at(self.filter.station.as_deref());
        cx.dialog(p);
    }

    /// The search as the shared component sees it: the filter's text and the last one.
    fn find(&self) -> Find {
        Find {
            text: self.filter.text.clone(),
            last: self.last_search.clone(),
        }
    }

    /// Back clears a search before it leaves the list: the whole list again, the cursor on
    /// the finding it was on, the search kept for n / N.
    pub(super) fn back(&mut self, cx: &mut Cx) {
        let mut find = self.find();
        if find.back(cx) {
            self.filter.text = None;
            self.request_ids(true, cx);
        } else {
            cx.back();
        }
    }

    /// n / N: with a search on, every row is a match (the next row, wrapping); after Back
    /// cleared it, the next row of the whole list that matches it (`matches`).
    fn jump(&mut self, forward: bool, cx: &mut Cx) {
        let Some(ids) = self.ids.as_ref() else { return };
        let find = self.find();
        let lang = cx.lang();
        let j = if find.text.is_some() {
            find.jump_by(forward, self.cursor, ids.len(), |_| true, lang)
        } else if find.last.is_none() {
            find.jump_by(forward, self.cursor, 0, |_| false, lang)
        } else {
            match &self.matches {
                Some(set) => find.jump_by(
                    forward,
                    self.cursor,
                    ids.len(),
                    |i| set.contains(&ids[i]),
                    lang,
                ),
                None => {
                    return cx.info(match lang {
                        crate::context::Lang::En => "Still searching…",
                        crate::context::Lang::Zh => "仍在搜索…",
                    })
                }
            }
        };
        if let Some(i) = j.to {
            self.cursor = i;
        }
        cx.info(j.said);
    }

    /// The findings the last search matches under the other filters, for n / N once Back
    /// cleared it (read on the loader's thread with the list).
    pub(super) fn request_matches(&mut self, cx: &mut Cx) {
        self.matches = None;
        let (Some(last), None) = (self.last_search.clone(), self.filter.text.as_ref()) else {
            return;
        };
        let filter = Filter {
            text: Some(last),
            ..self.filter.clone()
        };
        let (sort, desc, today) = (self.sort, self.desc, cx.ctx.today);
        cx.load(MATCHES, move |ds| {
            let ids = crate::findings::ordered_ids(&ds.conn, &filter, sort, desc, today)?;
            Ok(ids.into_iter().collect::<std::collections::HashSet<i64>>())
        });
    }

    /// What the command line, a search or a views dialog sent. True when it was one of them.
    pub(super) fn tool_message(&mut self, msg: &dyn Any, cx: &mut Cx) -> bool {
        if let Some(Typed(text)) = msg.downcast_ref::<Typed>() {
            if text.is_some() {
                self.last_search = text.clone();
            }
            self.filter.text = text.clone();
        } else if let Some(j) = msg.downcast_ref::<Jump>() {
            self.filter = match j {
                Jump::Unit(u) => Filter {
                    station: Some(u.clone()),
                    ..Filter::default()
                },
                Jump::Customer(c) => Filter {
                    text: Some(c.clone()),
                    ..Filter::default()
                },
                Jump::View(f) => f.clone(),
            };
        } else {
            return false;
        }
        self.range_from = None;
        self.request_ids(false, cx);
        true
    }

    /// A views dialog's answer; a recalled view becomes the filter.
    pub(super) fn view_reply(
        &mut self,
        ask: &views::Ask,
        value: crate::ui::dialog::Value,
        cx: &mut Cx,
    ) -> Result<(), crate::ui::screen::Invalid> {
        if let Some(f) = views::reply(ask, value, cx)? {
            self.filter = f;
            self.request_ids(false, cx);
        }
        Ok(())
    }
}
