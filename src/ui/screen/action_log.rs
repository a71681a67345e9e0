//! 操作日志: the action log, newest first, one page fetched at a time (only the rows shown),
//! and the key that runs the check `jicha log verify` runs (`actionlog::audit` and the state
//! ledger), on the loader's thread, with its verdict: intact, or the first broken record.

use super::{list_delta, step, Cx, Ui};
use crate::actionlog::{self, LogRecord};
use crate::context::Lang;
use crate::db::Dataset;
use crate::i18n::cli::{say, Msg as CliMsg};
use crate::text;
use crate::ui::dialog::Page;
use crate::ui::find::Find;
use crate::ui::i18n::Msg;
use crate::ui::keymap::{Action, Context};
use crate::ui::render::{block, count, cut, esc};
use crate::ui::screen::Screen;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::any::Any;

const ROWS: &str = "rows";
const VERIFY: &str = "verify";

/// What the verify key found, in the operator's language (already safe to draw).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub intact: bool,
    /// The CLI's lines: the verified line and the state line, or the head and each problem.
    pub lines: Vec<String>,
}

/// One fetched page: the log's size then, and its records from `offset` (newest first).
pub struct LogPage {
    pub total: u64,
    pub offset: usize,
    pub records: Vec<LogRecord>,
}

#[derive(Default)]
pub struct ActionLog {
    /// Index of the selected record, newest first.
    pub cursor: usize,
    pub page: Option<LogPage>,
    pub error: Option<String>,
    pub verdict: Option<Result<Verdict, String>>,
    /// The page asked for and not answered yet: (offset, limit).
    asked: Option<(usize, usize)>,
    /// The search: with a text, the pages are of the matching records only.
    pub find: Find,
}

/// The check `jicha log verify` runs on the dataset (without a witness export): the chain and
/// the anchor (`actionlog::audit`), then the state against the log (`ledger::verify`).
pub fn verify(ds: &Dataset, lang: Lang) -> crate::Result<Verdict> {
    let mut report = actionlog::audit(&ds.path, &ds.conn, None)?;
    let state = crate::ledger::verify(&ds.conn)?;
    report.add_state(&state);
    let mut lines: Vec<String> = report.notes.iter().map(|n| n.text(lang)).collect();
    if report.problems.is_empty() {
        lines.push(say(
            lang,
            CliMsg::LogVerified,
            &[
                ("n", &report.records),
                ("witnessed", &""),
                ("hash", &report.last_hash),
            ],
        ));
        lines.push(say(
            lang,
            CliMsg::StateVerified,
            &[
                ("rows", &state.rows_checked),
                ("sources", &state.sources_checked),
            ],
        ));
    } else {
        lines.push(say(
            lang,
            CliMsg::LogNotVerified,
            &[("n", &report.records), ("count", &report.problems.len())],
        ));
        lines.extend(
            report
                .problems
                .iter()
                .map(|p| format!("- {}", p.text(lang))),
        );
    }
    Ok(Verdict {
        intact: report.problems.is_empty(),
        lines: lines.iter().map(|l| esc(l)).collect(),
    })
}

/// The log's one-line change: its details JSON, flattened to one line.
fn change_line(details: &str) -> String {
    let one: String = details
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    esc(&one)
}

/// `2026-11-02T08:15:00Z` as `2026-11-02 08:15`.
fn short_time(at: &str) -> String {
    let t: String = at.chars().take(16).collect();
    esc(&t.replacen('T', " ", 1))
}

impl ActionLog {
    /// The page the cursor is on: (offset, limit).
    fn window(&self, page: usize) -> (usize, usize) {
        let page = page.max(1);
        ((self.cursor / page) * page, page)
    }

    fn request(&mut self, force: bool, cx: &mut Cx) {
        let want = self.window(cx.page);
        let have = self.page.as_ref().map(|p| (p.offset, p.records.len()));
        let shown = have.is_some_and(|(o, n)| {
            o == want.0
                && (n == want.1
                    || self
                        .page
                        .as_ref()
                        .is_some_and(|p| o + n >= p.total as usize))
        });
        if !force && (shown || self.asked == Some(want)) {
            return;
        }
        self.asked = Some(want);
        let (offset, limit) = want;
        let text = self.find.text.clone();
        cx.load(ROWS, move |ds: &Dataset| {
            let (total, records) = match &text {
                Some(t) => actionlog::search_page(&ds.conn, t, offset as i64, limit as i64)?,
                None => (
                    actionlog::count(&ds.conn)?,
                    actionlog::page(&ds.conn, offset as i64, limit as i64)?,
                ),
            };
            Ok(LogPage {
                total,
                offset,
                records,
            })
        });
    }

    /// n / N: in a filtered log every record is a match (the next one, wrapping); in the
    /// whole log, the next record that matches the last search (one query on this thread).
    fn jump(&mut self, forward: bool, cx: &mut Cx) {
        let lang = cx.lang();
        let total = self.total();
        if self.find.active() {
            let j = self
                .find
                .jump_by(forward, self.cursor, total, |_| true, lang);
            if let Some(i) = j.to {
                self.cursor = i;
            }
            cx.info(j.said);
        } else if let Some(needle) = self.find.last.clone() {
            match actionlog::search_next(&cx.ds.conn, &needle, self.cursor as u64, forward) {
                Ok(Some((pos, k, m))) => {
                    self.cursor = pos as usize;
                    cx.info(crate::ui::find::counted(
                        &needle, k as usize, m as usize, lang,
                    ));
                }
                Ok(None) => cx.info(crate::ui::find::no_match(&needle, lang)),
                Err(e) => cx.error(e.text(lang)),
            }
            self.request(false, cx);
        } else {
            let j = self.find.jump_by(forward, 0, 0, |_| false, lang);
            cx.info(j.said);
        }
    }

    fn total(&self) -> usize {
        self.page.as_ref().map_or(0, |p| p.total as usize)
    }

    /// The selected record, when its page is loaded.
    pub fn selected(&self) -> Option<&LogRecord> {
        let p = self.page.as_ref()?;
        self.cursor
            .checked_sub(p.offset)
            .and_then(|i| p.records.get(i))
    }

    fn open(&self, cx: &mut Cx) {
        let Some(r) = self.selected() else {
            return;
        };
        let lang = cx.lang();
        let fields = [
            (Msg::LogColSeq, r.seq.to_string()),
            (Msg::LogColTime, r.at_utc.clone()),
            (Msg::LogColOperator, r.operator.clone()),
            (Msg::LogColAction, r.action.clone()),
            (Msg::LogColTarget, r.target.clone()),
            (Msg::LogColChange, r.details.clone()),
        ];
        let body: Vec<String> = fields
            .iter()
            .map(|(m, v)| format!("{}: {}", m.text(lang), esc(v)))
            .chain([
                format!("prev_hash: {}", esc(&r.prev_hash)),
                format!("hash: {}", esc(&r.hash)),
            ])
            .collect();
        let title = format!("{} #{}", Msg::LogTitle.text(lang), r.seq);
        cx.dialog(Page::new(title, &body.join("\n")));
    }

    fn draw_rows(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let title = match &self.page {
            Some(p) => format!(
                "{} · {} {}{}",
                ui.t(Msg::LogTitle),
                count(p.total),
                ui.t(Msg::LogRecords),
                crate::ui::find::title(&self.find)
            ),
            None => ui.t(Msg::LogTitle).to_string(),
        };
        let b = block(ui.theme, &title, true);
        let inner = b.inner(area);
        f.render_widget(b, area);
        let lines = match (&self.error, &self.page) {
            (Some(e), _) => vec![Line::from(Span::styled(esc(e), ui.theme.error()))],
            (None, None) => vec![Line::from("…")],
            (None, Some(p)) if p.total == 0 => vec![Line::from(ui.t(Msg::LogEmpty))],
            (None, Some(p)) => self.row_lines(p, inner, ui),
        };
        f.render_widget(Paragraph::new(lines), inner);
    }

    fn row_lines(&self, p: &LogPage, area: Rect, ui: &Ui) -> Vec<Line<'static>> {
        let w = area.width as usize;
        // Seq, time, operator, action, target; the change takes what is left.
        let wide = w >= 110;
        let cols: [usize; 5] = if wide {
            [6, 17, 12, 20, 16]
        } else {
            [5, 17, 9, 14, 0]
        };
        let cell = |s: &str, n: usize| {
            let t = cut(s, n.saturating_sub(1));
            format!("{t}{}", " ".repeat(n.saturating_sub(text::width(&t))))
        };
        let used: usize = cols.iter().sum();
        let rest = w.saturating_sub(used);
        let mut head = String::new();
        for (m, n) in [
            Msg::LogColSeq,
            Msg::LogColTime,
            Msg::LogColOperator,
            Msg::LogColAction,
            Msg::LogColTarget,
        ]
        .iter()
        .zip(cols)
        {
            head.push_str(&cell(ui.t(*m), n));
        }
        head.push_str(&cut(ui.t(Msg::LogColChange), rest));
        let mut out = vec![Line::from(Span::styled(head, ui.theme.title()))];
        let room = (area.height as usize).saturating_sub(1);
        for (i, r) in p.records.iter().enumerate().take(room) {
            let mut s = String::new();
            s.push_str(&cell(&r.seq.to_string(), cols[0]));
            s.push_str(&cell(&short_time(&r.at_utc), cols[1]));
            s.push_str(&cell(&esc(&r.operator), cols[2]));
            s.push_str(&cell(&esc(&r.action), cols[3]));
            if wide {
                s.push_str(&cell(&esc(&r.target), cols[4]));
                s.push_str(&cut(&change_line(&r.details), rest));
            } else {
                let tail = format!("{} {}", esc(&r.target), change_line(&r.details));
                s.push_str(&cut(&tail, rest));
            }
            let st = if p.offset + i == self.cursor {
                ui.theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            out.push(Line::from(Span::styled(s, st)));
        }
        out
    }

    fn draw_verdict(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let key = ui.keymap.hint(Action::LogVerify);
        let lines: Vec<Line> = if ui.loading(VERIFY) {
            vec![Line::from(ui.t(Msg::LogVerifying))]
        } else {
            match &self.verdict {
                None => vec![Line::from(vec![
                    Span::styled(format!("{key} "), ui.theme.key()),
                    Span::raw(format!(
                        "{} · {}",
                        crate::ui::i18n::action_help(ui.lang(), Action::LogVerify),
                        ui.t(Msg::LogNotChecked)
                    )),
                ])],
                Some(Err(e)) => vec![Line::from(Span::styled(esc(e), ui.theme.error()))],
                Some(Ok(v)) => {
                    let (word, st) = if v.intact {
                        (ui.t(Msg::LogIntact), ui.theme.ok())
                    } else {
                        (ui.t(Msg::LogBroken), ui.theme.error())
                    };
                    let mut out = vec![Line::from(vec![
                        Span::styled(format!("[{word}] "), st),
                        Span::raw(v.lines.first().cloned().unwrap_or_default()),
                    ])];
                    out.extend(v.lines.iter().skip(1).map(|l| Line::from(l.clone())));
                    out
                }
            }
        };
        let b = block(ui.theme, ui.t(Msg::LogVerdictTitle), false);
        let inner = b.inner(area);
        f.render_widget(b, area);
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

impl Screen for ActionLog {
    fn context(&self) -> Context {
        Context::Log
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::LogVerify, Action::Open, Action::Back, Action::Help]
    }

    fn enter(&mut self, _arg: super::Arg, cx: &mut Cx) {
        self.request(true, cx);
    }

    fn on_action(&mut self, a: Action, cx: &mut Cx) {
        if let Some(d) = list_delta(a, cx.page.max(1)) {
            self.cursor = step(self.cursor, d, self.total());
            self.request(false, cx);
            return;
        }
        match a {
            Action::LogVerify => {
                let lang = cx.lang();
                cx.load(VERIFY, move |ds: &Dataset| verify(ds, lang));
            }
            Action::Open => self.open(cx),
            Action::Search => self.find.open(cx),
            Action::NextMatch | Action::PrevMatch => self.jump(a == Action::NextMatch, cx),
            Action::Back if self.find.active() => {
                // The whole log again, on the record the cursor was on.
                let seq = self.selected().map(|r| r.seq);
                self.find.back(cx);
                self.cursor = seq
                    .and_then(|s| actionlog::position_of(&cx.ds.conn, s).ok())
                    .unwrap_or(0) as usize;
                self.request(true, cx);
            }
            Action::Back => cx.back(),
            _ => {}
        }
    }

    fn message(&mut self, msg: Box<dyn Any>, cx: &mut Cx) {
        if self.find.typed(msg.as_ref()) {
            self.cursor = 0;
            self.request(true, cx);
        }
    }

    fn loaded(&mut self, slot: &'static str, answer: super::Loaded, cx: &mut Cx) {
        match slot {
            ROWS => {
                self.asked = None;
                match answer.take::<LogPage>() {
                    Ok(p) => {
                        self.error = None;
                        let total = p.total as usize;
                        self.page = Some(p);
                        if total > 0 && self.cursor >= total {
                            self.cursor = total - 1;
                            self.request(false, cx);
                        }
                    }
                    Err(e) => self.error = Some(e),
                }
            }
            VERIFY => self.verdict = Some(answer.take::<Verdict>()),
            _ => {}
        }
    }

    fn refresh(&mut self, shown: bool, cx: &mut Cx) {
        if shown {
            self.request(true, cx);
        }
    }

    fn sync(&mut self, cx: &mut Cx) {
        if self.page.is_some() {
            self.request(false, cx);
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ui: &Ui) {
        let verdict_h = match &self.verdict {
            Some(Ok(v)) if !v.intact => 6,
            _ => 4,
        };
        let [rows, verdict] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(verdict_h)]).areas(area);
        self.draw_rows(f, rows, ui);
        self.draw_verdict(f, verdict, ui);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
