//! What a search looks in, per row type: the fields the list shows, state words in the
//! interface language (and as stored, so `returned` finds them in zh too).

use super::Findable;
use crate::campaigns::Campaign;
use crate::context::Lang;
use crate::inspections::Inspection;
use crate::tickets::Ticket;
use crate::ui::i18n;
use crate::whitelist::Entry;

fn join(parts: &[&str]) -> String {
    parts.join("\u{1f}")
}

impl Findable for Ticket {
    fn haystack(&self, lang: Lang) -> String {
        join(&[
            &self.number,
            self.state.as_str(),
            i18n::ticket_state(lang, &self.state),
            &self.unit,
            self.person.as_deref().unwrap_or(""),
            &self.issued_on,
            &self.due_on,
            &self.requirement,
        ])
    }
}

impl Findable for Entry {
    fn haystack(&self, lang: Lang) -> String {
        join(&[
            &self.id.to_string(),
            &self.rule,
            &self.cust_no,
            &self.reason,
            &self.author,
            &self.expires_on,
            &self.state,
            i18n::wl_state(lang, &self.state),
        ])
    }
}

impl Findable for Inspection {
    fn haystack(&self, lang: Lang) -> String {
        join(&[
            &self.number,
            self.state.as_str(),
            &self.state.label(lang),
            &self.method.label(lang),
            &self.inspectors.join(" "),
            &self.planned_on,
            &self.unit,
            self.campaign.as_deref().unwrap_or(""),
            self.ticket.as_deref().unwrap_or(""),
        ])
    }
}

impl Findable for Campaign {
    fn haystack(&self, _lang: Lang) -> String {
        join(&[
            &self.number,
            &self.name,
            self.kind.as_str(),
            self.kind.zh(),
            self.method.as_str(),
            self.method.zh(),
            &self.rules.join(" "),
            &self.units.join(" "),
            &self.owner,
            &self.state,
            &self.period_from,
            &self.period_to,
        ])
    }
}

impl Findable for crate::actionlog::LogRecord {
    fn haystack(&self, _lang: Lang) -> String {
        join(&[
            &self.seq.to_string(),
            &self.at_utc,
            &self.operator,
            &self.action,
            &self.target,
            &self.details,
        ])
    }
}
