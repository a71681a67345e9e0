//! Words and sentences in Chinese and English that the domain, the CLI and the UI share.
//! Screen-only text lives in `ui::i18n`. Dataset text is never translated: it is shown as it
//! is, escaped.

pub mod archive;
pub mod backup;
pub mod cli;
pub mod columns;
pub mod config;
pub mod dataset;
pub mod errors;
pub mod evidence;
mod evidence_archive;
mod evidence_billing;
mod evidence_billing_more;
mod evidence_history;
#[cfg(test)]
mod evidence_tests;
pub mod history;
pub mod import;
pub mod import_read;

pub mod campaigns;
pub mod demo_delta;
pub mod escalation;
pub mod inspections;
pub mod kinds;
pub mod log_verify;
pub mod outcomes;
mod outcomes_quality;
pub mod qc;
pub mod queries;
pub mod refusals;
pub mod refusals_cli;
pub mod refusals_input;
pub mod refusals_tickets;
pub mod report;
pub mod site_rules;
pub mod state_verify;
pub mod ticket_history;
pub mod units;
pub mod values;
pub mod views;

pub use crate::context::Lang;
pub use values::*;

/// Declares a message enum with its English and Chinese text side by side, so that a message
/// without a translation does not compile.
#[macro_export]
macro_rules! bilingual_messages {
    ($(#[$meta:meta])* $vis:vis enum $enum:ident { $($name:ident => $en:literal, $zh:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $enum { $($name,)* }

        impl $enum {
            /// Every message, for tests that render them all.
            pub const ALL: &'static [$enum] = &[$($enum::$name,)*];

            pub fn text(self, lang: $crate::context::Lang) -> &'static str {
                match (self, lang) {
                    $(($enum::$name, $crate::context::Lang::En) => $en,
                      ($enum::$name, $crate::context::Lang::Zh) => $zh,)*
                }
            }
        }
    };
}

/// English when nothing says otherwise (as `Lang::detect` falls back to it).
impl Default for Lang {
    fn default() -> Self {
        Lang::En
    }
}
