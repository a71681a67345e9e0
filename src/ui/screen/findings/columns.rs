//! The findings list's columns: which there are, which the operator chose (the column
//! chooser, remembered per operator), and what each cell of a row says.
//!
//! The choice is kept in the operator's config directory (`$JICHA_CONFIG_DIR`, else
//! `$XDG_CONFIG_HOME/jicha`, else `~/.config/jicha`), file `columns.toml`, one line per
//! operator login: `auditor1 = "cust_no,evidence"` lists the columns hidden. It is a
//! preference of the person at the keyboard, not audit data: it is not in the dataset, so
//! choosing columns writes nothing to it and needs no role.

use crate::context::Lang;
use crate::findings::FindingRow;
use crate::ui::i18n::{self, LsMsg, Msg};
use crate::ui::render::{esc, yuan};
use crate::ui::screen::Ui;
use std::path::PathBuf;

/// The widest a rule id is drawn in a table (the findings list, the dashboard's panels):
/// built-in ids (`ARC-04`) and site rules (`X-MTR-EVT`) and an external id like `EXT:95598:R07` whole; a longer id — an external
/// rule's `EXT:采集系统:CJ-011`, CJK inside — is cut to it by display width, so it never widens
/// the column for every row. The detail and the rules screen show it whole.
pub const RULE_W_MAX: usize = 13;

/// The width of a rule column whose ids are `widths` wide: the widest, at least 6, at most
/// `RULE_W_MAX`.
pub fn rule_width(widths: impl IntoIterator<Item = usize>) -> usize {
    widths.into_iter().max().unwrap_or(6).clamp(6, RULE_W_MAX)
}

/// Every column the list can show, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Col {
    Mark,
    Id,
    Severity,
    Rule,
    Status,
    Flags,
    CustNo,
    Customer,
    Unit,
    Subject,
    Level,
    Amount,
    FirstSeen,
    LastSeen,
    Resolution,
    Evidence,
}

impl Col {
    pub const ALL: [Col; 16] = [
        Col::Mark,
        Col::Id,
        Col::Severity,
        Col::Rule,
        Col::Status,
        Col::Flags,
        Col::CustNo,
        Col::Customer,
        Col::Unit,
        Col::Subject,
        Col::Level,
        Col::Amount,
        Col::FirstSeen,
        Col::LastSeen,
        Col::Resolution,
        Col::Evidence,
    ];

    /// The name in the preferences file.
    pub fn key(self) -> &'static str {
        match self {
            Col::Mark => "mark",
            Col::Id => "id",
            Col::Severity => "severity",
            Col::Rule => "rule",
            Col::Status => "status",
            Col::Flags => "flags",
            Col::CustNo => "cust_no",
            Col::Customer => "customer",
            Col::Unit => "unit",
            Col::Subject => "subject",
            Col::Level => "level",
            Col::Amount => "amount",
            Col::FirstSeen => "first_seen",
            Col::LastSeen => "last_seen",
            Col::Resolution => "resolution",
            Col::Evidence => "evidence",
        }
    }

    /// The heading (the mark and flag columns have one-character headings).
    pub fn head(self, ui: &Ui) -> &'static str {
        match self {
            Col::Mark => "*",
            Col::Id => "#",
            Col::Flags => "",
            c => c.label_in(ui.lang()),
        }
    }

    /// The name in the column chooser.
    pub fn label_in(self, lang: Lang) -> &'static str {
        match self {
            Col::Mark => LsMsg::Mark.text(lang),
            Col::Id => LsMsg::Id.text(lang),
            Col::Flags => LsMsg::Flags.text(lang),
            Col::Severity => Msg::Severity.text(lang),
            Col::Rule => Msg::Rule.text(lang),
            Col::Status => Msg::Status.text(lang),
            Col::CustNo => Msg::CustNo.text(lang),
            Col::Customer => Msg::Customer.text(lang),
            Col::Unit => Msg::Unit.text(lang),
            Col::Subject => Msg::Subject.text(lang),
            Col::Level => LsMsg::ThfLevel.text(lang),
            Col::Amount => Msg::Amount.text(lang),
            Col::FirstSeen => Msg::FirstSeen.text(lang),
            Col::LastSeen => Msg::LastSeen.text(lang),
            Col::Resolution => LsMsg::ResolutionCol.text(lang),
            Col::Evidence => Msg::Evidence.text(lang),
        }
    }

    /// Figures are never cut: the column is as wide as its widest figure, or left out.
    pub fn figure(self) -> bool {
        matches!(
            self,
            Col::Id | Col::Amount | Col::FirstSeen | Col::LastSeen | Col::Level
        )
    }

    /// Higher stays longer on a narrow screen.
    pub fn keep(self) -> u8 {
        match self {
            Col::Mark | Col::Id => 20,
            Col::Severity | Col::Rule | Col::Status => 18,
            Col::Customer => 17,
            Col::Amount => 16,
            Col::Flags => 15,
            Col::Unit => 14,
            Col::CustNo => 13,
            Col::Evidence => 12,
            Col::Subject => 10,
            Col::FirstSeen => 9,
            Col::Level => 8,
            Col::Resolution => 7,
            Col::LastSeen => 6,
        }
    }

    /// (narrowest, share of the rest) of a text column.
    pub fn flex(self) -> (usize, usize) {
        match self {
            Col::Customer => (8, 3),
            Col::Unit => (6, 2),
            Col::Subject => (7, 1),
            Col::Evidence => (12, 6),
            Col::Resolution => (4, 1),
            _ => (0, 0),
        }
    }

    /// What this column shows of `r`: (text, right aligned).
    pub fn cell(self, ui: &Ui, r: &FindingRow, mark: &str) -> (String, bool) {
        let lang = ui.lang();
        match self {
            Col::Mark => (mark.to_string(), false),
            Col::Id => (r.id.to_string(), true),
            Col::Severity => (i18n::severity(lang, &r.severity).to_string(), false),
            Col::Rule => (esc(&r.rule), false),
            Col::Status => (i18n::status(lang, &r.status).to_string(), false),
            Col::Flags => (
                format!(
                    "{}{}",
                    if r.recurred { "R" } else { " " },
                    if r.suppressed { "W" } else { " " }
                ),
                false,
            ),
            Col::CustNo => (esc(&r.cust_no), false),
            Col::Customer => (esc(&r.cust_name), false),
            Col::Unit => (esc(&r.station), false),
            Col::Subject => (esc(&r.subject), false),
            Col::Level => (r.level.map(|v| format!("L{v}")).unwrap_or_default(), true),
            Col::Amount => (yuan(r.amount_yuan), true),
            Col::FirstSeen => (esc(&r.first_seen), false),
            Col::LastSeen => (esc(&r.last_seen), false),
            Col::Resolution => (
                r.resolution
                    .as_ref()
                    .map(|x| i18n::resolution(lang, x).to_string())
                    .unwrap_or_default(),
                false,
            ),
            Col::Evidence => (
                esc(&crate::i18n::evidence::render(lang, &r.evidence)),
                false,
            ),
        }
    }
}

/// The preferences file: see the module comment.
pub fn prefs_file() -> Option<PathBuf> {
    crate::config::user_config_path()?
        .parent()
        .map(|d| d.join("columns.toml"))
}

/// The columns `login` hid, from the preferences file (none when there is no file or line).
pub fn load_hidden(login: &str) -> Vec<Col> {
    let Some(text) = prefs_file().and_then(|p| std::fs::read_to_string(p).ok()) else {
        return Vec::new();
    };
    parse_line(&text, login)
}

fn parse_line(text: &str, login: &str) -> Vec<Col> {
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if k.trim().trim_matches('"') != login {
            continue;
        }
        return v
            .trim()
            .trim_matches('"')
            .split(',')
            .filter_map(|n| Col::ALL.into_iter().find(|c| c.key() == n.trim()))
            .collect();
    }
    Vec::new()
}

/// Keeps `login`'s line (and every other operator's) in the preferences file, written whole
/// to a temporary file and renamed over the old one.
pub fn save_hidden(login: &str, hidden: &[Col]) -> std::io::Result<()> {
    let path = prefs_file()
        .ok_or_else(|| std::io::Error::other("no config directory (HOME is not set)"))?;
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let value: Vec<&str> = hidden.iter().map(|c| c.key()).collect();
    let mut out: String = old
        .lines()
        .filter(|l| l.split_once('=').map(|(k, _)| k.trim().trim_matches('"')) != Some(login))
        .map(|l| format!("{l}\n"))
        .collect();
    // A login is an operator name: quoted so the line stays TOML.
    out.push_str(&format!("{login:?} = \"{}\"\n", value.join(",")));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, out)?;
    std::fs::rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_per_operator_names_the_hidden_columns() {
        let text = "\"auditor2\" = \"evidence\"\n\"auditor1\" = \"cust_no,level,nonsense\"\n";
        assert_eq!(
            parse_line(&text.replace('"', ""), "auditor1"),
            [Col::CustNo, Col::Level]
        );
        assert_eq!(parse_line(text, "auditor2"), [Col::Evidence]);
        assert_eq!(parse_line(text, "nobody"), Vec::<Col>::new());
    }
}
