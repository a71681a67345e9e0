//! The command line dialog: a one-line input (the [prompt] keys edit it) with the candidates
//! for what is being typed listed under it, best first. [prompt] `complete` (Tab) takes the
//! highlighted candidate, `next`/`previous` (↓/↑) move the highlight, `submit` runs the line.

use super::words::{self, CmdMsg};
use super::{ArgKind, Spec, COMMANDS};
use crate::context::Lang;
use crate::text;
use crate::ui::dialog::{action, footer, Dialog, DialogKind, Prompt, Step};
use crate::ui::fuzzy;
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, cut, esc};
use crate::ui::screen::{Cx, Ui};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use rusqlite::Connection;
use std::any::Any;

/// Candidates listed under the input.
pub const SHOWN: usize = 8;

/// One completion: what Tab puts in, and what the list shows beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub text: String,
    pub label: String,
}

/// Names the arguments complete from, read the first time they are needed.
#[derive(Default)]
struct Sources {
    rules: Option<Vec<Candidate>>,
    units: Option<Vec<Candidate>>,
    tickets: Option<Vec<Candidate>>,
    views: Option<Vec<Candidate>>,
}

pub struct CmdLine {
    pub input: Prompt,
    pub candidates: Vec<Candidate>,
    pub sel: usize,
    /// The highlight was moved by the operator: Enter takes it for an incomplete argument.
    moved: bool,
    pub error: Option<String>,
    sources: Sources,
}

impl CmdLine {
    pub fn new(cx: &Cx) -> CmdLine {
        let mut input = Prompt::new(String::new(), None, ());
        input.empty_clears = false;
        let mut c = CmdLine {
            input,
            candidates: Vec::new(),
            sel: 0,
            moved: false,
            error: None,
            sources: Sources::default(),
        };
        c.update(cx);
        c
    }

    pub fn text(&self) -> String {
        self.input.text()
    }

    fn set_text(&mut self, s: &str, cx: &Cx) {
        self.input = Prompt::new(String::new(), Some(s.to_string()), ());
        self.input.empty_clears = false;
        self.update(cx);
    }

    /// The candidates for the text as it is now.
    fn update(&mut self, cx: &Cx) {
        let line = self.text();
        self.candidates = match split(&line) {
            (word, None) => fuzzy::rank(word, COMMANDS, |s| s.name, COMMANDS.len())
                .into_iter()
                .map(|s| Candidate {
                    text: s.name.to_string(),
                    label: s.help(cx.lang()).to_string(),
                })
                .collect(),
            (word, Some(arg)) => match super::find(word).and_then(Spec::arg) {
                Some(kind) => self.arg_candidates(kind, arg, cx),
                None => Vec::new(),
            },
        };
        self.sel = 0;
        self.moved = false;
    }

    fn arg_candidates(&mut self, kind: ArgKind, arg: &str, cx: &Cx) -> Vec<Candidate> {
        let conn = &cx.ds.conn;
        let list = match kind {
            ArgKind::Customer => {
                // A million customers: only those whose number starts with what is typed.
                return crate::lookup::customers_from(conn, arg.trim(), SHOWN)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(no, name)| Candidate {
                        label: esc(&name),
                        text: no,
                    })
                    .collect();
            }
            ArgKind::Rule => self.sources.rules.get_or_insert_with(|| rule_names(cx)),
            ArgKind::Unit => self
                .sources
                .units
                .get_or_insert_with(|| unit_names(conn, cx.lang())),
            ArgKind::Ticket => self.sources.tickets.get_or_insert_with(|| {
                names(crate::lookup::ticket_numbers(conn, 5000).unwrap_or_default())
            }),
            ArgKind::View => self.sources.views.get_or_insert_with(|| {
                let views = crate::views::list(conn, &cx.ctx.operator).unwrap_or_default();
                names(views.into_iter().map(|v| v.name).collect())
            }),
        };
        // Rules match by id or by name, units and the rest by name.
        let mut out: Vec<Candidate> = fuzzy::rank(arg.trim(), list, |c| c.text.as_str(), SHOWN * 4)
            .into_iter()
            .cloned()
            .collect();
        if kind == ArgKind::Rule && out.len() < SHOWN {
            for c in fuzzy::rank(arg.trim(), list, |c| c.label.as_str(), SHOWN) {
                if !out.contains(c) {
                    out.push(c.clone());
                }
            }
        }
        out
    }

    /// Tab: the highlighted candidate replaces the word being typed.
    fn complete(&mut self, cx: &Cx) {
        let Some(c) = self.candidates.get(self.sel).cloned() else {
            return;
        };
        let line = self.text();
        let new = match split(&line) {
            (_, None) => match super::find(&c.text).and_then(Spec::arg) {
                Some(_) => format!("{} ", c.text),
                None => c.text.clone(),
            },
            (word, Some(_)) => format!("{word} {}", c.text),
        };
        self.set_text(&new, cx);
    }

    /// Enter: the command with its argument checked, or why not.
    fn submit(&mut self, cx: &mut Cx) -> Result<(), String> {
        let line = self.text();
        let lang = cx.lang();
        let (word, arg) = split(&line);
        let word = word.trim_start_matches(':');
        let spec = match super::find(word) {
            Some(s) => s,
            // An unfinished command word with one candidate (or one chosen) is that command.
            None if !word.is_empty()
                && (self.candidates.len() == 1 || self.moved)
                && arg.is_none() =>
            {
                match self
                    .candidates
                    .get(self.sel)
                    .and_then(|c| super::find(&c.text))
                {
                    Some(s) => s,
                    None => return Err(words::unknown(lang, word, &[])),
                }
            }
            None => {
                let near: Vec<&str> = self
                    .candidates
                    .iter()
                    .take(3)
                    .map(|c| c.text.as_str())
                    .collect();
                return Err(words::unknown(lang, word, &near));
            }
        };
        let Some(kind) = spec.arg() else {
            return super::run(spec, "", cx);
        };
        let typed = arg.unwrap_or("").trim();
        if typed.is_empty() && !self.moved {
            return Err(words::needs(lang, spec.name, kind.what(lang)));
        }
        let value = self.checked(kind, typed, cx)?;
        super::run(spec, &value, cx)
    }

    /// The argument as a name that exists: typed exactly (a rule id in any case), or the
    /// highlighted candidate when the operator chose one or it is the only one.
    fn checked(&self, kind: ArgKind, typed: &str, cx: &Cx) -> Result<String, String> {
        let lang = cx.lang();
        let exact = match kind {
            ArgKind::Rule => {
                let up = typed.to_ascii_uppercase();
                self.sources
                    .rules
                    .as_ref()
                    .and_then(|l| l.iter().find(|c| c.text == up))
                    .map(|c| c.text.clone())
            }
            ArgKind::Customer => crate::lookup::customer_exists(&cx.ds.conn, typed)
                .unwrap_or(false)
                .then(|| typed.to_string()),
            ArgKind::Unit => self.exact(&self.sources.units, typed),
            ArgKind::Ticket => self.exact(&self.sources.tickets, typed),
            ArgKind::View => self.exact(&self.sources.views, typed),
        };
        if let Some(v) = exact {
            return Ok(v);
        }
        if self.moved || self.candidates.len() == 1 {
            if let Some(c) = self.candidates.get(self.sel) {
                return Ok(c.text.clone());
            }
        }
        if kind == ArgKind::Unit {
            // The unit tree's own refusal names the nearest units.
            let h = crate::units::Hierarchy::load(&cx.ds.conn).map_err(|e| e.text(lang))?;
            return h
                .resolve(typed)
                .map(|u| u.name.clone())
                .map_err(|e| e.text(lang));
        }
        let near: Vec<String> = self
            .candidates
            .iter()
            .take(3)
            .map(|c| c.text.clone())
            .collect();
        Err(words::no_such(lang, kind.what(lang), typed, &near))
    }

    fn exact(&self, list: &Option<Vec<Candidate>>, typed: &str) -> Option<String> {
        list.as_ref()
            .and_then(|l| l.iter().find(|c| c.text == typed))
            .map(|c| c.text.clone())
    }

    fn step(&mut self, down: bool) {
        let n = self.candidates.len();
        if n == 0 {
            return;
        }
        self.sel = if down {
            (self.sel + 1) % n
        } else {
            (self.sel + n - 1) % n
        };
        self.moved = true;
    }
}

/// The command word and, after the first space, the argument (None without a space).
fn split(line: &str) -> (&str, Option<&str>) {
    let line = line.trim_start().trim_start_matches(':');
    match line.split_once(' ') {
        Some((w, rest)) => (w, Some(rest)),
        None => (line, None),
    }
}

fn names(list: Vec<String>) -> Vec<Candidate> {
    list.into_iter()
        .map(|n| Candidate {
            label: String::new(),
            text: n,
        })
        .collect()
}

fn rule_names(cx: &Cx) -> Vec<Candidate> {
    let zh = cx.lang() == Lang::Zh;
    let builtin;
    let dir = match cx.shared.dashboard.as_ref() {
        Some(d) => &d.directory,
        None => {
            builtin = crate::rules::directory::Directory::load(&cx.ds.conn)
                .unwrap_or_else(|_| crate::rules::directory::Directory::builtin());
            &builtin
        }
    };
    dir.iter()
        .map(|e| Candidate {
            text: e.id.clone(),
            label: esc(e.name(zh)),
        })
        .collect()
}

/// Every unit of the tree, with its level word.
fn unit_names(conn: &Connection, lang: Lang) -> Vec<Candidate> {
    let Ok(h) = crate::units::Hierarchy::load(conn) else {
        return Vec::new();
    };
    h.preorder()
        .into_iter()
        .map(|(u, _)| Candidate {
            text: u.name.clone(),
            label: crate::i18n::refusals_tickets::unit_level(lang, u.level.as_str()).to_string(),
        })
        .collect()
}

impl Dialog for CmdLine {
    fn kind(&self) -> DialogKind {
        DialogKind::Prompt
    }

    fn on_key(&mut self, k: KeyEvent, cx: &mut Cx) -> Step {
        match action(cx.keymap, Context::Prompt, &k) {
            Some(Action::Complete) => self.complete(cx),
            Some(Action::NextCandidate) => self.step(true),
            Some(Action::PrevCandidate) => self.step(false),
            Some(Action::Submit) => match self.submit(cx) {
                Ok(()) => return Step::Close,
                Err(e) => self.error = Some(e),
            },
            Some(Action::PromptCancel) => return Step::Close,
            _ => {
                let before = self.text();
                self.input.on_key(k, cx);
                if self.text() != before {
                    self.error = None;
                    self.update(cx);
                }
            }
        }
        Step::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let w = area.width.saturating_sub(4).min(90);
        let h = (SHOWN as u16 + 5).min(area.height);
        // Low on the screen, over the status line, as a command line is.
        let r = Rect {
            x: area.x + (area.width.saturating_sub(w)) / 2,
            y: area.y + area.height.saturating_sub(h + 1),
            width: w,
            height: h,
        };
        f.render_widget(Clear, r);
        let inner = usize::from(w.saturating_sub(2));
        let mut lines = vec![input_line(&self.text(), inner, ui)];
        if self.candidates.is_empty() {
            lines.push(Line::from(Span::styled(
                cut(cmsg(ui, CmdMsg::NoMatch), inner),
                ui.theme.dim(),
            )));
        }
        let start = self.sel.saturating_sub(SHOWN - 1);
        for (i, c) in self.candidates.iter().enumerate().skip(start).take(SHOWN) {
            let name = esc(&c.text);
            let pad = 18usize.saturating_sub(text::width(&name));
            let row = format!(
                "{} {name}{}  {}",
                if i == self.sel { ">" } else { " " },
                " ".repeat(pad),
                c.label
            );
            let style = if i == self.sel {
                ui.theme.selected()
            } else {
                Style::new()
            };
            lines.push(Line::from(Span::styled(cut(&row, inner), style)));
        }
        while lines.len() < SHOWN + 1 {
            lines.push(Line::from(""));
        }
        lines.push(match &self.error {
            Some(e) => Line::from(Span::styled(cut(&esc(e), inner), ui.theme.error())),
            None => Line::from(""),
        });
        lines.push(footer(
            ui,
            &[
                (&[Action::Complete], cmsg(ui, CmdMsg::Keys)),
                (
                    &[Action::PrevCandidate, Action::NextCandidate],
                    cmsg(ui, CmdMsg::Choose),
                ),
                (&[Action::Submit], cmsg(ui, CmdMsg::Run)),
                (&[Action::PromptCancel], cmsg(ui, CmdMsg::Cancel)),
            ],
        ));
        let title = cut(cmsg(ui, CmdMsg::Title), inner);
        f.render_widget(
            Paragraph::new(lines).block(block(ui.theme, &title, true)),
            r,
        );
    }

    fn tag(&self) -> &dyn Any {
        &()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `:` and the text, the end kept in view, `_` for the cursor at the end.
fn input_line(text: &str, inner: usize, ui: &Ui) -> Line<'static> {
    let mut shown = esc(text);
    while !shown.is_empty() && text::width(&shown) + 2 > inner {
        shown.remove(0);
    }
    Line::from(vec![
        Span::styled(":", ui.theme.key()),
        Span::raw(shown),
        Span::styled("_", ui.theme.key()),
    ])
}

fn cmsg(ui: &Ui, m: CmdMsg) -> &'static str {
    m.text(ui.lang())
}
