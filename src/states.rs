//! The states a finding and a ticket can be in, and the moves allowed between them, in one
//! place (workflow.md, "Findings" and "Tickets"). The database keeps the same text values
//! (`as_str`), so SQL text may still spell them; Rust code names them through these enums.

use crate::error::JichaError;
use crate::i18n::errors::ValueSet;
use crate::i18n::queries::QueryWrong;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use std::fmt;
use std::str::FromStr;

/// An enum stored as text: `as_str`, `ALL`, `Display`, `FromStr`, serde and rusqlite both ways.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident, $what:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// Every value, in the order the spec lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text stored in the database and shown by the CLI.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = JichaError;
            fn from_str(s: &str) -> Result<Self, JichaError> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(JichaError::invalid(QueryWrong::UnknownValue {
                        what: ValueSet::$what,
                        given: other.to_string(),
                        allowed: $name::ALL.iter().map(|v| v.as_str()).collect(),
                    })),
                }
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.as_str()
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                self == other.as_str()
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                text.parse().map_err(|e: JichaError| FromSqlError::Other(Box::new(e)))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

text_enum!(
    /// Where a finding is in the triage loop.
    FindingStatus, FindingStatus {
        New => "new",
        Confirmed => "confirmed",
        Ticketed => "ticketed",
        Closed => "closed",
        Cleared => "cleared",
    }
);

text_enum!(
    /// Why a finding was closed.
    Resolution, Resolution {
        Rectified => "rectified",
        FalsePositive => "false_positive",
        NoAction => "no_action",
    }
);

text_enum!(
    /// Where a ticket is between dispatch and archive. `Reviewed` (待复核): the first of two
    /// reviews passed (`review_levels` = 2); `Archived` (已归档): approved and filed, read-only.
    TicketState, TicketState {
        Dispatched => "dispatched",
        Rectifying => "rectifying",
        Submitted => "submitted",
        Reviewed => "reviewed",
        Approved => "approved",
        Returned => "returned",
        Cancelled => "cancelled",
        Archived => "archived",
    }
);

/// Who moves a finding: the same status change is allowed to one and not another (an operator
/// cannot confirm a ticketed finding; cancelling its ticket does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    /// An operator's confirm, close or reopen.
    Operator,
    /// A ticket's creation, approval or cancellation.
    Ticket,
    /// A rescan: cleared by data, or reopened as recurred.
    Scan,
    /// A recorded on-site inspection (现场稽查): 属实 confirms, 不属实 closes as a false
    /// positive (also a finding on a ticket: the visit showed there is nothing to rectify).
    Inspection,
}

use FindingStatus as F;
/// Every allowed finding move: (from, to, by whom).
const FINDING_MOVES: &[(FindingStatus, FindingStatus, Mover)] = &[
    (F::New, F::Confirmed, Mover::Operator),
    (F::New, F::Closed, Mover::Operator),
    (F::Confirmed, F::Closed, Mover::Operator),
    (F::Closed, F::New, Mover::Operator),
    (F::Cleared, F::New, Mover::Operator),
    (F::New, F::Ticketed, Mover::Ticket),
    (F::Confirmed, F::Ticketed, Mover::Ticket),
    (F::Ticketed, F::Closed, Mover::Ticket),
    (F::Ticketed, F::Confirmed, Mover::Ticket),
    (F::New, F::Cleared, Mover::Scan),
    (F::Confirmed, F::Cleared, Mover::Scan),
    (F::Cleared, F::New, Mover::Scan),
    (F::Closed, F::New, Mover::Scan),
    (F::New, F::Confirmed, Mover::Inspection),
    (F::New, F::Closed, Mover::Inspection),
    (F::Confirmed, F::Closed, Mover::Inspection),
    (F::Ticketed, F::Closed, Mover::Inspection),
];

impl FindingStatus {
    /// Statuses in which a finding still needs work.
    pub const OPEN: &'static [FindingStatus] = &[F::New, F::Confirmed, F::Ticketed];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// Whether `by` may move a finding from this status to `next`.
    pub fn can_go_to(self, next: FindingStatus, by: Mover) -> bool {
        FINDING_MOVES.contains(&(self, next, by))
    }
}

impl Resolution {
    /// Closing so needs a note explaining why (workflow.md: false_positive and no_action).
    pub fn needs_note(self) -> bool {
        self != Resolution::Rectified
    }
}

use TicketState as T;
/// Every allowed ticket move, in the order of `TicketState::ALL` by source.
const TICKET_MOVES: &[(TicketState, TicketState)] = &[
    (T::Dispatched, T::Rectifying),
    (T::Dispatched, T::Submitted),
    (T::Dispatched, T::Cancelled),
    (T::Rectifying, T::Submitted),
    (T::Rectifying, T::Cancelled),
    (T::Submitted, T::Reviewed),
    (T::Submitted, T::Approved),
    (T::Submitted, T::Returned),
    (T::Submitted, T::Cancelled),
    (T::Reviewed, T::Approved),
    (T::Reviewed, T::Returned),
    (T::Reviewed, T::Cancelled),
    (T::Approved, T::Archived),
    (T::Returned, T::Rectifying),
    (T::Returned, T::Submitted),
    (T::Returned, T::Cancelled),
];

impl TicketState {
    /// States in which a ticket still needs work.
    pub const OPEN: &'static [TicketState] = &[
        T::Dispatched,
        T::Rectifying,
        T::Submitted,
        T::Reviewed,
        T::Returned,
    ];

    /// States of a ticket whose work is done: approved (and kept so when archived) or cancelled.
    pub const DONE: &'static [TicketState] = &[T::Approved, T::Archived, T::Cancelled];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// Whether the ticket reached the final approval: `approved`, or `archived` after it.
    pub fn was_approved(self) -> bool {
        matches!(self, T::Approved | T::Archived)
    }

    /// `'a','b',…`: a state list for SQL text (`t.state IN (…)`), from the one list here.
    pub fn sql_list(states: &[TicketState]) -> String {
        states
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn can_go_to(self, next: TicketState) -> bool {
        TICKET_MOVES.contains(&(self, next))
    }

    /// The states a ticket can reach `self` from, for the message that refuses a move.
    pub fn sources(self) -> Vec<TicketState> {
        TICKET_MOVES
            .iter()
            .filter(|(_, to)| *to == self)
            .map(|(from, _)| *from)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_its_text() {
        for s in FindingStatus::ALL {
            assert_eq!(s.as_str().parse::<FindingStatus>().unwrap(), *s);
        }
        for r in Resolution::ALL {
            assert_eq!(r.as_str().parse::<Resolution>().unwrap(), *r);
        }
        for t in TicketState::ALL {
            assert_eq!(t.as_str().parse::<TicketState>().unwrap(), *t);
        }
        let e = "reopened".parse::<FindingStatus>().unwrap_err().to_string();
        assert!(
            e.contains("new, confirmed, ticketed, closed, cleared"),
            "{e}"
        );
    }

    #[test]
    fn an_operator_cannot_move_a_ticketed_finding() {
        assert!(F::New.can_go_to(F::Confirmed, Mover::Operator));
        assert!(!F::Ticketed.can_go_to(F::Confirmed, Mover::Operator));
        assert!(F::Ticketed.can_go_to(F::Confirmed, Mover::Ticket));
        assert!(!F::Ticketed.can_go_to(F::Closed, Mover::Operator));
    }

    #[test]
    fn a_ticket_is_approved_only_once_submitted() {
        assert_eq!(T::Approved.sources(), vec![T::Submitted, T::Reviewed]);
        assert_eq!(T::Reviewed.sources(), vec![T::Submitted]);
        assert_eq!(
            T::Cancelled.sources(),
            vec![
                T::Dispatched,
                T::Rectifying,
                T::Submitted,
                T::Reviewed,
                T::Returned
            ]
        );
        assert!(!T::Approved.can_go_to(T::Cancelled));
    }

    #[test]
    fn an_archived_ticket_goes_nowhere_and_only_an_approved_one_is_archived() {
        assert_eq!(T::Archived.sources(), vec![T::Approved]);
        for to in TicketState::ALL {
            assert!(!T::Archived.can_go_to(*to), "archived → {to}");
        }
        // Open and done split every state between them.
        for s in TicketState::ALL {
            assert_ne!(s.is_open(), TicketState::DONE.contains(s), "{s}");
        }
        assert!(T::Reviewed.is_open());
        assert!(T::Archived.was_approved() && !T::Cancelled.was_approved());
        assert_eq!(
            TicketState::sql_list(TicketState::DONE),
            "'approved','archived','cancelled'"
        );
    }

    #[test]
    fn values_go_through_sqlite_as_their_text() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let text: String = conn
            .query_row("SELECT ?1", [FindingStatus::Cleared], |r| r.get(0))
            .unwrap();
        assert_eq!(text, "cleared");
        let back: TicketState = conn
            .query_row("SELECT 'returned'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(back, TicketState::Returned);
        let bad = conn.query_row("SELECT 'lost'", [], |r| r.get::<_, Resolution>(0));
        assert!(bad.is_err());
    }
}
