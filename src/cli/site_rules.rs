//! `jicha rules …`: the built-in pack and the site rules (rules.md, "Site rules").

use super::args::{Format, RulesVerb};
use super::format::{col, write_records};
use super::{print_outcome, Session};
use crate::actions::site_rules::{self, SiteRuleAction};
use crate::context::Lang;
use crate::error::{JichaError, Result};
use crate::i18n::cli::{say, Col, Msg};
use crate::i18n::evidence;
use crate::output::stream as output;
use crate::rules::directory::{Directory, Source};
use crate::rules::site::{self, SiteRule, Trial};
use crate::text;
use serde_json::json;
use std::io::Write;
use std::path::Path;

/// How many hits `rules add` and `rules test` show.
const FIRST_HITS: usize = 10;

pub(super) fn rules_cmd(s: &mut Session, verb: RulesVerb) -> Result<()> {
    match verb {
        RulesVerb::List { format } => list(s, format),
        RulesVerb::Show { id } => show(s, &id),
        RulesVerb::Add { file, as_of } => {
            let text = read_file(&file)?;
            let as_of = as_of.unwrap_or(s.ctx.today);
            let name = file.display().to_string();
            let (trial, outcome) =
                site_rules::add_rule(&mut s.ds, &s.ctx, &name, &text, as_of, FIRST_HITS)?;
            let rule = SiteRule::parse(&name, &text)?;
            print_trial(&rule.id, as_of, &trial, s.ctx.lang)?;
            print_outcome(&outcome, s.ctx.lang);
            Ok(())
        }
        RulesVerb::Disable { id } => perform(s, SiteRuleAction::Disable { id }),
        RulesVerb::Enable { id } => perform(s, SiteRuleAction::Enable { id }),
        RulesVerb::Remove { id } => perform(s, SiteRuleAction::Remove { id }),
        RulesVerb::Test { .. } => unreachable!("`rules test` needs no dataset: test_cmd"),
    }
}

/// `rules test FILE EXPORT_DIR --as-of D`: needs no dataset.
pub(super) fn test_cmd(
    lang: Lang,
    file: &Path,
    export: &Path,
    as_of: chrono::NaiveDate,
) -> Result<()> {
    let text = read_file(file)?;
    let rule = SiteRule::parse(&file.display().to_string(), &text)?;
    let trial = site::export::test_on_export(&rule, export, as_of, lang, FIRST_HITS)?;
    print_trial(&rule.id, as_of, &trial, lang)
}

fn read_file(file: &Path) -> Result<String> {
    std::fs::read_to_string(file).map_err(|e| {
        JichaError::Usage(format!(
            "{}: {e}",
            text::escape(&file.display().to_string())
        ))
    })
}

fn perform(s: &mut Session, action: SiteRuleAction) -> Result<()> {
    let outcome = site_rules::perform(&mut s.ds, &s.ctx, &action)?;
    print_outcome(&outcome, s.ctx.lang);
    Ok(())
}

fn print_trial(id: &str, as_of: chrono::NaiveDate, trial: &Trial, lang: Lang) -> Result<()> {
    let mut out = output::stdout();
    let head = say(
        lang,
        Msg::TrialHits,
        &[("id", &id), ("n", &trial.hits), ("as_of", &as_of)],
    );
    writeln!(out, "{}", text::escape(&head))?;
    if trial.first.is_empty() {
        return Ok(());
    }
    let first = say(lang, Msg::FirstHits, &[("n", &trial.first.len())]);
    writeln!(out, "{first}")?;
    for h in &trial.first {
        let amount = h
            .amount_yuan
            .map(|a| format!("  {a:.2}"))
            .unwrap_or_default();
        let line = format!(
            "  {}  {}  {}{amount}",
            h.cust_no,
            h.subject,
            evidence::render(lang, &h.evidence)
        );
        writeln!(out, "{}", text::escape(&line))?;
    }
    Ok(())
}

/// Source, version and whether it runs, as the table shows them (in `lang`) or as CSV and
/// JSON carry them (stable English words; the full SHA-256).
fn provenance(source: &Source, lang: Lang, table: bool) -> (String, String, String) {
    let word = |m: Msg| {
        if table {
            m.text(lang).to_string()
        } else {
            m.text(Lang::En).to_string()
        }
    };
    match source {
        Source::External { system } => (system.clone(), String::new(), word(Msg::Yes)),
        Source::BuiltIn => (
            word(Msg::BuiltIn),
            env!("CARGO_PKG_VERSION").to_string(),
            word(Msg::Yes),
        ),
        Source::Site {
            sha256,
            enabled,
            removed,
        } => (
            word(Msg::SiteSource),
            if table {
                sha256.get(..12).unwrap_or(sha256).to_string()
            } else {
                sha256.clone()
            },
            word(if *removed {
                Msg::RemovedMark
            } else if *enabled {
                Msg::Yes
            } else {
                Msg::No
            }),
        ),
    }
}

fn list(s: &Session, format: Format) -> Result<()> {
    let lang = s.ctx.lang;
    let zh = lang == Lang::Zh;
    let table = format == Format::Table;
    let dir = Directory::load(&s.ds.conn)?;
    let rows: Vec<Vec<serde_json::Value>> = dir
        .iter()
        .map(|e| {
            let (source, version, enabled) = provenance(&e.source, lang, table);
            vec![
                json!(e.id),
                json!(e.name(zh)),
                json!(if table {
                    e.category.label(zh)
                } else {
                    e.category.as_str()
                }),
                json!(if table {
                    crate::i18n::severity(lang, e.severity.as_str())
                } else {
                    e.severity.as_str()
                }),
                json!(source),
                json!(version),
                json!(enabled),
            ]
        })
        .collect();
    let columns = [
        col("id", Col::Rule, 10),
        col("name", Col::RuleName, 30),
        col("category", Col::Category, 14),
        col("severity", Col::Sev, 6),
        col("source", Col::Source, 8),
        col("version", Col::Version, 12),
        col("enabled", Col::Enabled, 7),
    ];
    write_records(format, lang, &columns, &rows)
}

fn show(s: &Session, id: &str) -> Result<()> {
    let lang = s.ctx.lang;
    let zh = lang == Lang::Zh;
    let dir = Directory::load(&s.ds.conn)?;
    let e = dir.get(id).ok_or_else(|| {
        JichaError::invalid(crate::i18n::site_rules::SiteRuleWrong::NoSuchRule {
            id: id.to_string(),
        })
    })?;
    let th = crate::thresholds::Thresholds::load(&s.ds.conn)?;
    let (source, version, enabled) = provenance(&e.source, lang, true);
    let label = |c: Col| c.text(lang);
    let mut lines = vec![
        format!("{}: {}", label(Col::Rule), e.id),
        format!("{}: {}", label(Col::RuleName), e.name(zh)),
        format!("{}: {}", label(Col::Category), e.category.label(zh)),
        format!(
            "{}: {}",
            label(Col::Sev),
            crate::i18n::severity(lang, e.severity.as_str())
        ),
        format!("{}: {}", label(Col::Checks), e.checks(zh)),
        format!("{}: {source}", label(Col::Source)),
        format!("{}: {version}", label(Col::Version)),
        format!("{}: {enabled}", label(Col::Enabled)),
    ];
    for t in &e.thresholds {
        let value = th.get(t).unwrap_or("");
        lines.push(say(lang, Msg::RuleParam, &[("name", t), ("value", &value)]));
    }
    if let Source::Site { sha256, .. } = &e.source {
        lines.push(format!("sha256: {sha256}"));
        if let Some(stored) = crate::rules::site::store::get(&s.ds.conn, id)? {
            lines.push(String::new());
            lines.extend(stored.rule.source.lines().map(str::to_string));
        }
    }
    let mut out = output::stdout();
    for l in lines {
        writeln!(out, "{}", text::escape(&l))?;
    }
    Ok(())
}
