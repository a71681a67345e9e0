//! The search of every list screen, one component for all of them: `/` opens the search line
//! (`ui::search::Search`) and the list filters as each character is typed; Enter keeps the
//! filter, the prompt's cancel puts back the one there was. `n` / `N` jump to the next /
//! previous match, wrapping: with a filter every row shown is one; after Back cleared the
//! filter (Back clears it before it leaves the screen, and never does anything else), the
//! whole list is back, the cursor stays on the row it was on, and `n` / `N` jump between the
//! rows that match the search just cleared.
//!
//! A screen keeps the list as loaded beside the rows it shows (`keep` gives those), gives its
//! row type a `Findable` text (`rows.rs`) and hands the search keys and the `Typed` message
//! to `act` / `typed`. A screen whose list is not in memory (the findings, the action log)
//! uses `Find` alone: `text` is its query's filter, `jump_by` its n / N.

mod rows;

use super::i18n::Msg;
use super::keymap::Action;
use super::screen::Cx;
use super::search::{Search, Typed};
use crate::context::Lang;
use std::any::Any;

/// A row a search looks in: the text it shows, in the interface language (state words
/// translated, so `退回` finds the returned tickets in zh and `returned` in en).
pub trait Findable {
    fn haystack(&self, lang: Lang) -> String;
}

/// Whether `hay` matches the search `needle`: every word of it (split at spaces) is in the
/// text, letters compared without case.
pub fn matches(hay: &str, needle: &str) -> bool {
    let hay = hay.to_lowercase();
    needle
        .split_whitespace()
        .all(|w| hay.contains(&w.to_lowercase()))
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Find {
    /// The filter typed with `/`; None: the whole list.
    pub text: Option<String>,
    /// The last search, kept after Back clears the filter: what `n` / `N` look for then.
    pub last: Option<String>,
}

/// What `n` / `N` found: the row to go to, and the status line.
pub struct Jump {
    pub to: Option<usize>,
    pub said: String,
}

impl Find {
    pub fn active(&self) -> bool {
        self.text.is_some()
    }

    /// The search n / N look for: the filter, else the one Back cleared.
    pub fn needle(&self) -> Option<&str> {
        self.text.as_deref().or(self.last.as_deref())
    }

    /// Opens the search line on the current filter.
    pub fn open(&self, cx: &mut Cx) {
        let title = cx.t(Msg::PromptSearch).to_string();
        cx.dialog(Search::new(title, self.text.clone()));
    }

    /// Takes the search line's text so far when `msg` is one (true then).
    pub fn typed(&mut self, msg: &dyn Any) -> bool {
        let Some(Typed(text)) = msg.downcast_ref::<Typed>() else {
            return false;
        };
        self.set(text.clone());
        true
    }

    /// A new filter (None: none); a search typed is also the one n / N look for later.
    pub fn set(&mut self, text: Option<String>) {
        if text.is_some() {
            self.last = text.clone();
        }
        self.text = text;
    }

    /// Back on the list: clears an active filter (true, said on the status line) and keeps
    /// it for n / N; false when there is none, so Back does what it does elsewhere.
    pub fn back(&mut self, cx: &mut Cx) -> bool {
        if self.text.take().is_none() {
            return false;
        }
        let (next, prev) = (
            cx.keymap.hint(Action::NextMatch),
            cx.keymap.hint(Action::PrevMatch),
        );
        let back = cx.keymap.hint(Action::Back);
        cx.info(match cx.lang() {
            Lang::En => format!(
                "Search cleared: {next} / {prev} jump between its matches; {back} again leaves"
            ),
            Lang::Zh => format!("已清除搜索：{next} / {prev} 在匹配行间跳转；再按 {back} 离开"),
        });
        true
    }

    /// The rows of `all` the filter keeps, in their order (all of them without a filter).
    pub fn keep<T: Findable + Clone>(&self, all: &[T], lang: Lang) -> Vec<T> {
        match &self.text {
            None => all.to_vec(),
            Some(t) => all
                .iter()
                .filter(|r| matches(&r.haystack(lang), t))
                .cloned()
                .collect(),
        }
    }

    /// `n` (forward) or `N` from row `cur` of `len` rows, `is_match` telling which rows match:
    /// the next match after (before) `cur`, wrapping round the list.
    pub fn jump_by(
        &self,
        forward: bool,
        cur: usize,
        len: usize,
        is_match: impl Fn(usize) -> bool,
        lang: Lang,
    ) -> Jump {
        let Some(needle) = self.needle() else {
            return Jump {
                to: None,
                said: match lang {
                    Lang::En => "No search yet: / searches the list".into(),
                    Lang::Zh => "尚未搜索：按 / 搜索列表".into(),
                },
            };
        };
        let hits: Vec<usize> = (0..len).filter(|i| is_match(*i)).collect();
        let to = if forward {
            hits.iter().find(|i| **i > cur).or(hits.first())
        } else {
            hits.iter().rev().find(|i| **i < cur).or(hits.last())
        }
        .copied();
        let said = match to {
            Some(i) => {
                let k = hits.iter().position(|h| *h == i).unwrap_or(0) + 1;
                counted(needle, k, hits.len(), lang)
            }
            None => no_match(needle, lang),
        };
        Jump { to, said }
    }

    /// n / N over rows in memory.
    pub fn jump<T: Findable>(&self, forward: bool, cur: usize, rows: &[T], lang: Lang) -> Jump {
        match self.needle() {
            Some(n) => {
                let n = n.to_string();
                self.jump_by(
                    forward,
                    cur,
                    rows.len(),
                    |i| matches(&rows[i].haystack(lang), &n),
                    lang,
                )
            }
            None => self.jump_by(forward, cur, rows.len(), |_| false, lang),
        }
    }
}

/// What a list's title adds while a filter is on: ` · /text` (escaped), else nothing.
pub fn title(find: &Find) -> String {
    match &find.text {
        Some(t) => format!(" · /{}", crate::text::escape(t)),
        None => String::new(),
    }
}

/// The status line when nothing matches `needle` (escaped here).
pub fn no_match(needle: &str, lang: Lang) -> String {
    let needle = crate::text::escape(needle);
    match lang {
        Lang::En => format!("No row matches “{needle}”"),
        Lang::Zh => format!("没有与“{needle}”匹配的行"),
    }
}

/// The status line of a jump: the k-th of m matches of `needle` (escaped here).
pub fn counted(needle: &str, k: usize, m: usize, lang: Lang) -> String {
    let needle = crate::text::escape(needle);
    match lang {
        Lang::En => format!("Match {k} of {m} for “{needle}”"),
        Lang::Zh => format!("“{needle}”：第 {k} / {m} 个匹配"),
    }
}

/// A list in memory as a screen keeps it: every row loaded, the rows shown, the cursor.
pub struct Listing<'a, T> {
    pub all: &'a [T],
    pub shown: &'a mut Vec<T>,
    pub cursor: &'a mut usize,
    /// Whether two rows are the same record (the cursor stays on it across a new filter).
    pub same: fn(&T, &T) -> bool,
}

impl<T: Findable + Clone> Listing<'_, T> {
    /// The rows shown again after the filter or the list changed; the cursor stays on its row
    /// when that is still shown, else it is kept in range.
    pub fn refilter(&mut self, find: &Find, lang: Lang) {
        let at = self.shown.get(*self.cursor).cloned();
        *self.shown = find.keep(self.all, lang);
        let same = self.same;
        if let Some(pos) = at.and_then(|r| self.shown.iter().position(|x| same(x, &r))) {
            *self.cursor = pos;
        }
        *self.cursor = (*self.cursor).min(self.shown.len().saturating_sub(1));
    }
}

/// The search keys on a list in memory: `/`, n, N, and Back while a filter is on. True when
/// `a` was one of them (the screen does nothing more with it).
pub fn act<T: Findable + Clone>(
    find: &mut Find,
    a: Action,
    mut list: Listing<'_, T>,
    cx: &mut Cx,
) -> bool {
    let lang = cx.lang();
    match a {
        Action::Search => find.open(cx),
        Action::NextMatch | Action::PrevMatch => {
            let j = find.jump(a == Action::NextMatch, *list.cursor, list.shown, lang);
            if let Some(i) = j.to {
                *list.cursor = i;
            }
            cx.info(j.said);
        }
        Action::Back if find.active() => {
            find.back(cx);
            list.refilter(find, lang);
        }
        _ => return false,
    }
    true
}

/// The search line's message for a list in memory: the filter applied. True when it was one.
pub fn typed<T: Findable + Clone>(
    find: &mut Find,
    msg: &dyn Any,
    mut list: Listing<'_, T>,
    lang: Lang,
) -> bool {
    if !find.typed(msg) {
        return false;
    }
    list.refilter(find, lang);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Row(&'static str);
    impl Findable for Row {
        fn haystack(&self, _lang: Lang) -> String {
            self.0.to_string()
        }
    }

    #[test]
    fn words_match_without_case() {
        assert!(matches("JC-20261102-001 退回 米市巷供电所", "米市巷 退回"));
        assert!(matches("EXT:采集系统:CJ-011", "ext:采集"));
        assert!(!matches("米市巷供电所", "米市巷 已归档"));
    }

    #[test]
    fn filter_keeps_the_cursor_row_and_back_restores_it() {
        let all = vec![Row("a 甲"), Row("b 乙"), Row("c 甲"), Row("d")];
        let mut shown = all.clone();
        let mut cursor = 2;
        let mut find = Find::default();
        find.set(Some("甲".into()));
        let mut l = Listing {
            all: &all,
            shown: &mut shown,
            cursor: &mut cursor,
            same: |a: &Row, b: &Row| a == b,
        };
        l.refilter(&find, Lang::Zh);
        assert_eq!(*l.shown, vec![Row("a 甲"), Row("c 甲")]);
        assert_eq!(*l.cursor, 1, "still on c");
        find.text = None;
        l.refilter(&find, Lang::Zh);
        assert_eq!(l.shown.len(), 4);
        assert_eq!(*l.cursor, 2, "back on c in the whole list");
        assert_eq!(find.needle(), Some("甲"), "kept for n / N");
    }

    #[test]
    fn jumps_wrap_and_count() {
        let rows = vec![Row("x"), Row("甲"), Row("y"), Row("甲甲")];
        let mut find = Find::default();
        let none = find.jump(true, 0, &rows, Lang::En);
        assert_eq!(none.to, None);
        assert!(none.said.contains("No search"), "{}", none.said);
        find.set(Some("甲".into()));
        find.text = None;
        assert_eq!(find.jump(true, 1, &rows, Lang::En).to, Some(3));
        let wrap = find.jump(true, 3, &rows, Lang::En);
        assert_eq!(wrap.to, Some(1), "wraps to the first match");
        assert_eq!(wrap.said, "Match 1 of 2 for “甲”");
        assert_eq!(find.jump(false, 1, &rows, Lang::Zh).to, Some(3));
        find.set(Some("丙".into()));
        let miss = find.jump(true, 0, &rows, Lang::Zh);
        assert_eq!(miss.to, None);
        assert!(miss.said.contains("丙"), "{}", miss.said);
    }
}
