//! The closed sets the command line takes (`--status`, `--severity`, `--sort`, …) as
//! `clap::ValueEnum`s: a typo is a usage error (exit 2) that lists the choices, and `--help`
//! and the shell completions list them too. Each value is the text the domain and the
//! database use (`as_str`), so nothing below the CLI changes.

/// A CLI enum whose values are spelled as the domain spells them.
macro_rules! cli_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vattr:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $($(#[$vattr])* #[value(name = $text)] $variant),+
        }

        impl $name {
            /// The domain's (and the database's) text for this value.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }
    };
}

cli_enum!(
    /// A finding status to list, or `open` for new, confirmed and ticketed together.
    StatusArg {
        /// new, confirmed and ticketed
        Open => "open",
        New => "new",
        Confirmed => "confirmed",
        Ticketed => "ticketed",
        Closed => "closed",
        Cleared => "cleared",
    }
);

cli_enum!(
    /// A finding severity.
    SeverityArg {
        High => "high",
        Medium => "medium",
        Low => "low",
    }
);

cli_enum!(
    /// What `findings` sorts by.
    SortArg {
        Severity => "severity",
        Amount => "amount",
        FirstSeen => "first_seen",
        LastSeen => "last_seen",
        Rule => "rule",
        #[value(alias = "cust_no")]
        Customer => "customer",
        Id => "id",
    }
);

cli_enum!(
    /// Whether whitelist-suppressed findings are listed.
    SuppressedArg {
        Include => "include",
        Hide => "hide",
        Only => "only",
    }
);

cli_enum!(
    /// Why findings are closed.
    ResolutionArg {
        Rectified => "rectified",
        /// needs --text
        FalsePositive => "false_positive",
        /// needs --text
        NoAction => "no_action",
    }
);

cli_enum!(
    /// An operator's role.
    RoleArg {
        Viewer => "viewer",
        Auditor => "auditor",
        Reviewer => "reviewer",
        Admin => "admin",
    }
);

cli_enum!(
    /// A ticket state to list, or `open` (not yet approved or cancelled) or `overdue`.
    TicketStateArg {
        Open => "open",
        Overdue => "overdue",
        Dispatched => "dispatched",
        Rectifying => "rectifying",
        Submitted => "submitted",
        Returned => "returned",
        Approved => "approved",
        Cancelled => "cancelled",
        Reviewed => "reviewed",
        Archived => "archived",
    }
);

cli_enum!(
    /// Which whitelist entries to list.
    ViewArg {
        /// in force today
        Active => "active",
        /// waiting for a reviewer's approval
        Pending => "pending",
        /// in force and expiring within 7 days
        Expiring => "expiring",
        /// every entry, newest first
        #[value(alias = "all")]
        History => "history",
    }
);

cli_enum!(
    /// The interface language.
    LangArg {
        Zh => "zh",
        En => "en",
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    fn texts<T: ValueEnum>() -> Vec<String> {
        T::value_variants()
            .iter()
            .map(|v| v.to_possible_value().unwrap().get_name().to_string())
            .collect()
    }

    #[test]
    fn every_domain_value_is_a_choice_spelled_as_stored() {
        use crate::states::{FindingStatus, Resolution, TicketState};
        let status = texts::<StatusArg>();
        for s in FindingStatus::ALL {
            assert!(status.contains(&s.as_str().to_string()), "{s}");
        }
        let res: Vec<String> = Resolution::ALL.iter().map(|r| r.to_string()).collect();
        assert_eq!(texts::<ResolutionArg>(), res);
        let states = texts::<TicketStateArg>();
        for s in TicketState::ALL {
            assert!(states.contains(&s.as_str().to_string()), "{s}");
        }
        for v in StatusArg::value_variants() {
            assert_eq!(v.to_possible_value().unwrap().get_name(), v.as_str());
        }
    }

    #[test]
    fn every_choice_is_accepted_by_the_domain() {
        for s in SortArg::value_variants() {
            crate::findings::SortKey::parse(s.as_str()).unwrap();
        }
        for v in ViewArg::value_variants() {
            crate::whitelist::View::parse(v.as_str()).unwrap();
        }
        for r in RoleArg::value_variants() {
            crate::context::Role::parse(r.as_str()).unwrap();
        }
        for l in LangArg::value_variants() {
            crate::context::Lang::detect(Some(l.as_str())).unwrap();
        }
        for s in SeverityArg::value_variants() {
            assert_ne!(
                crate::i18n::severity(crate::context::Lang::En, s.as_str()),
                "?"
            );
        }
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::db::migrations::migrate(&mut conn).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        for s in TicketStateArg::value_variants() {
            let r = crate::tickets::list(&conn, Some(s.as_str()), today);
            assert!(r.is_ok(), "{s:?}: {:?}", r.err());
        }
    }
}
