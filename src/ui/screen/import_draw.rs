//! The import screen's drawing: the running import's progress bar, or how the last one ended
//! (what each file brought, or the error list from the line scrolled to, wrapped so that no
//! file:line or what to fix is cut off).

use super::import::{ImMsg, ImportScreen, Outcome};
use super::Ui;
use crate::import::FileSummary;
use crate::ui::keymap::Action as Key;
use crate::ui::render::{block, count, cut, esc, esc_cut, rpad};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub(super) fn draw(f: &mut Frame, st: &ImportScreen, ui: &Ui, area: Rect) {
    let title = match (&st.job, &st.last, &st.dir) {
        (Some(j), _, _) => format!(
            "{} · {}",
            ImMsg::Title.text(ui.lang()),
            esc(&j.dir.display().to_string())
        ),
        (None, Some((d, _)), _) | (None, None, Some(d)) => {
            format!(
                "{} · {}",
                ImMsg::Title.text(ui.lang()),
                esc(&d.display().to_string())
            )
        }
        _ => ImMsg::Title.text(ui.lang()).to_string(),
    };
    let inner_w = usize::from(area.width.saturating_sub(2));
    let b = block(ui.theme, &cut(&title, inner_w.saturating_sub(2)), true);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if let Some(job) = &st.job {
        return draw_running(f, job, ui, inner);
    }
    match &st.last {
        None => {
            let lines = vec![
                Line::from(ImMsg::Idle.text(ui.lang())),
                Line::from(vec![
                    Span::styled(ui.keymap.hint(Key::Open), ui.theme.key()),
                    Span::raw(format!(" {}", ImMsg::Choose.text(ui.lang()))),
                ]),
            ];
            f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
        Some((_, outcome)) => draw_outcome(f, st, outcome, ui, inner),
    }
}

fn draw_running(f: &mut Frame, job: &super::import::ImportJob, ui: &Ui, area: Rect) {
    let p = job.progress();
    let ratio = if p.total > 0 {
        (p.done as f64 / p.total as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let w = usize::from(area.width).saturating_sub(8).clamp(10, 60);
    let filled = (ratio * w as f64).round() as usize;
    let (full, empty) = if ui.theme.ascii {
        ("#", "-")
    } else {
        ("█", "░")
    };
    let bar = format!(
        "[{}{}] {:>3}%",
        full.repeat(filled),
        empty.repeat(w - filled),
        (ratio * 100.0).round() as u64
    );
    let bytes = ImMsg::Bytes.text(ui.lang());
    let stage = if p.total > 0 {
        format!("{} / {} {bytes}", count(p.done), count(p.total))
    } else {
        format!("{} {bytes}", count(p.done))
    };
    let lines = vec![
        Line::from(format!(
            "{} {} · {stage}",
            ImMsg::Running.text(ui.lang()),
            esc_cut(&p.stage, 40)
        )),
        Line::from(bar),
        Line::from(vec![
            Span::styled(ui.keymap.hint(Key::CancelJob), ui.theme.key()),
            Span::raw(format!(" {}", ImMsg::CancelHint.text(ui.lang()))),
        ]),
    ];
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn draw_outcome(f: &mut Frame, st: &ImportScreen, outcome: &Outcome, ui: &Ui, area: Rect) {
    let w = usize::from(area.width);
    let (head, body): (Vec<Line>, Vec<Line>) = match outcome {
        Outcome::Imported {
            import_id,
            files,
            warnings,
            warnings_total,
        } => {
            let head = vec![
                Line::from(Span::styled(
                    format!("{} #{import_id}", ImMsg::Done.text(ui.lang())),
                    ui.theme.title(),
                )),
                Line::from(file_row(
                    ui,
                    [
                        ImMsg::File.text(ui.lang()),
                        ImMsg::Rows.text(ui.lang()),
                        ImMsg::New.text(ui.lang()),
                        ImMsg::Updated.text(ui.lang()),
                        ImMsg::Gone.text(ui.lang()),
                    ]
                    .map(str::to_string),
                    w,
                )),
            ];
            let mut body: Vec<Line> = files.iter().map(|s| summary_line(ui, s, w)).collect();
            if *warnings_total > 0 {
                body.push(Line::from(format!(
                    "{} {}:",
                    count(*warnings_total),
                    ImMsg::Warnings.text(ui.lang())
                )));
                body.extend(
                    warnings
                        .iter()
                        .map(|l| Line::from(format!("  {}", cut(l, 4096)))),
                );
            }
            (head, body)
        }
        Outcome::Refused(lines) => {
            let head = vec![Line::from(Span::styled(
                format!(
                    "{} ({}/{})",
                    ImMsg::Refused.text(ui.lang()),
                    (st.scroll + 1).min(lines.len()),
                    lines.len()
                ),
                ui.theme.error(),
            ))];
            let body = lines.iter().map(|l| Line::from(cut(l, 4096))).collect();
            (head, body)
        }
        Outcome::Cancelled => (
            vec![Line::from(ImMsg::Cancelled.text(ui.lang()))],
            Vec::new(),
        ),
        Outcome::Failed(e) => (
            vec![
                Line::from(Span::styled(
                    ImMsg::Failed.text(ui.lang()),
                    ui.theme.error(),
                )),
                Line::from(esc(e)),
            ],
            Vec::new(),
        ),
    };
    let head_h = wrapped_height(&head, w);
    let [top, rest, foot] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(head).wrap(Wrap { trim: false }), top);
    let shown: Vec<Line> = body.into_iter().skip(st.scroll).collect();
    f.render_widget(Paragraph::new(shown).wrap(Wrap { trim: false }), rest);
    let foot_line = Line::from(vec![
        Span::styled(ui.keymap.hint(Key::Open), ui.theme.key()),
        Span::raw(format!(" {} · ", ImMsg::Choose.text(ui.lang()))),
        Span::styled(ui.keymap.hint(Key::Down), ui.theme.key()),
        Span::raw(format!(" {}", ImMsg::Scroll.text(ui.lang()))),
    ]);
    f.render_widget(Paragraph::new(foot_line), foot);
}

/// Rows a text takes wrapped at `w` columns (an estimate that never under-counts by width).
fn wrapped_height(lines: &[Line], w: usize) -> u16 {
    let w = w.max(1);
    lines
        .iter()
        .map(|l| {
            let n: usize = l.spans.iter().map(|s| crate::text::width(&s.content)).sum();
            n.div_ceil(w).max(1)
        })
        .sum::<usize>() as u16
}

/// The file name column, then four figures, each right-aligned.
fn file_row(_ui: &Ui, cells: [String; 5], w: usize) -> String {
    let num_w = 11usize;
    let name_w = w.saturating_sub(num_w * 4).clamp(12, 28);
    let mut out = cut(&cells[0], name_w);
    out.push_str(&" ".repeat(name_w.saturating_sub(crate::text::width(&out))));
    for c in &cells[1..] {
        out.push_str(&rpad(c, num_w));
    }
    out
}

fn summary_line<'a>(ui: &Ui, s: &FileSummary, w: usize) -> Line<'a> {
    Line::from(file_row(
        ui,
        [
            esc(&s.file),
            count(s.rows),
            count(s.inserted),
            count(s.updated),
            count(s.gone),
        ],
        w,
    ))
}
