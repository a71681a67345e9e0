//! The 稽查工作督办单 as a printable page (text, or Markdown for mail), laid out like the
//! paper form: title, number, addressee, dates, the overdue tickets, signature lines. The same
//! text for `jicha escalation show` and the UI's popup. Dataset text (units, heads, ticket
//! requirements) is left as it is: the caller escapes the whole page once.

use crate::context::Lang;
use crate::escalation::{Closed, Escalation, Listed};
use crate::i18n::escalation::{say, EscWord as W};
use crate::output::table::{pad, pad_left};

/// A label with its colon: `编号：` / `Notice no.: `.
pub fn label(lang: Lang, w: W) -> String {
    match lang {
        Lang::Zh => format!("{}：", w.text(lang)),
        Lang::En => format!("{}: ", w.text(lang)),
    }
}

/// `(text)` in the reader's brackets: full-width under Chinese.
fn bracket(lang: Lang, s: &str) -> String {
    match lang {
        Lang::Zh => format!("（{s}）"),
        Lang::En => format!("({s})"),
    }
}

/// To whom: `城关供电所 负责人 张三`, or the unit itself with the note that it has no head.
pub fn addressee(lang: Lang, e: &Escalation) -> String {
    match &e.head {
        Some(h) => format!("{} {} {h}", e.unit, W::Head.text(lang)),
        None => format!("{} {}", e.unit, bracket(lang, W::NoHead.text(lang))),
    }
}

/// The notice's state in words: open, or closed on a date and why.
pub fn state(lang: Lang, e: &Escalation) -> String {
    match (&e.closed_on, e.closed_reason) {
        (None, _) => W::Open.text(lang).to_string(),
        (Some(on), Some(Closed::Superseded)) => {
            let by = e.superseded_by.as_deref().unwrap_or("-");
            let sep = if lang == Lang::Zh { "，" } else { ", " };
            format!(
                "{}{}",
                W::Superseded.text(lang),
                bracket(lang, &format!("{on}{sep}{by}"))
            )
        }
        (Some(on), _) => format!("{}{}", W::Resolved.text(lang), bracket(lang, on)),
    }
}

/// A ticket state in the reader's language (the stored word under English, and for a state
/// this build has no Chinese name for).
pub fn ticket_state(lang: Lang, s: &str) -> String {
    match (lang, crate::i18n::ticket_state(lang, s)) {
        (Lang::Zh, "?") | (Lang::En, _) => s.to_string(),
        (Lang::Zh, zh) => zh.to_string(),
    }
}

/// The whole notice.
pub fn notice(lang: Lang, e: &Escalation, tickets: &[Listed], markdown: bool) -> String {
    let mut out = String::new();
    let title = W::Title.text(lang);
    if markdown {
        out.push_str(&format!("# {title}\n\n"));
    } else {
        let indent = 72usize.saturating_sub(crate::text::width(title)) / 2;
        out.push_str(&format!("{}{title}\n\n", " ".repeat(indent)));
    }
    let round = say(lang, W::RoundLine, &[("round", &e.round)]);
    let lines = [
        format!(
            "{}{}    {}",
            label(lang, W::Number),
            e.number,
            bracket(lang, &round)
        ),
        format!("{}{}", label(lang, W::To), addressee(lang, e)),
        format!(
            "{}{}    {}{}",
            label(lang, W::IssuedOn),
            e.issued_on,
            label(lang, W::IssuedBy),
            e.issued_by
        ),
        format!("{}{}", label(lang, W::State), state(lang, e)),
    ];
    for l in lines {
        out.push_str(&if markdown {
            format!("- {l}\n")
        } else {
            format!("{l}\n")
        });
    }
    out.push('\n');
    out.push_str(&say(lang, W::Body, &[("limit", &e.limit_days)]));
    out.push_str("\n\n");
    out.push_str(&tickets_table(lang, tickets, markdown));
    out.push('\n');
    let blank = if markdown { "\n\n\n" } else { "\n\n\n\n" };
    out.push_str(&format!("{}{blank}", W::Feedback.text(lang)));
    for sign in [W::IssuerSign, W::HeadSign] {
        out.push_str(sign.text(lang));
        out.push_str("\n\n");
    }
    out
}

fn tickets_table(lang: Lang, tickets: &[Listed], markdown: bool) -> String {
    let heads = [
        "#",
        W::TicketNo.text(lang),
        W::TicketIssued.text(lang),
        W::DueOn.text(lang),
        W::DaysOverdue.text(lang),
        W::TicketState.text(lang),
        W::Requirement.text(lang),
    ];
    let rows: Vec<[String; 7]> = tickets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            [
                (i + 1).to_string(),
                t.number.clone(),
                t.issued_on.clone(),
                t.due_on.clone(),
                t.days_overdue.to_string(),
                ticket_state(lang, &t.state),
                t.requirement.replace('\n', " "),
            ]
        })
        .collect();
    let mut out = String::new();
    if markdown {
        out.push_str(&format!("| {} |\n", heads.join(" | ")));
        out.push_str(&format!(
            "|{}\n",
            ["---|", "---|", "---|", "---|", "---:|", "---|", "---|"].concat()
        ));
        for r in &rows {
            let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        return out;
    }
    let mut widths: Vec<usize> = heads.iter().map(|h| crate::text::width(h)).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r.iter()).take(6) {
            *w = (*w).max(crate::text::width(c));
        }
    }
    let line = |cells: &[&str]| -> String {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            let cell = match i {
                0 | 4 => pad_left(c, widths[i]),
                6 => c.to_string(),
                _ => pad(c, widths[i]),
            };
            l.push_str(&cell);
            l.push_str("  ");
        }
        format!("{}\n", l.trim_end())
    };
    out.push_str(&line(&heads));
    for r in &rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        out.push_str(&line(&cells));
    }
    out
}
