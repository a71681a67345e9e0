//! The error lines of a file's import that say why a record could not be read: its shape
//! (too many fields, too long, an unclosed quote), bytes that are not text, a file that
//! cannot be read. Each names `file:line` and is said in the operator's language.

use super::contract::{FileSpec, MAX_COLUMNS};
use super::records::{BadRecord, Problem, MAX_FIELDS, MAX_FIELD_BYTES, MAX_RECORD_BYTES};
use super::values::show;
use crate::context::Lang;
use crate::error::JichaError;
use crate::fsutil::human_bytes;
use crate::i18n::import_read::{ExportProblem, ReadProblem, RecordPart};

pub(super) fn read_err(name: &str, e: std::io::Error, lang: Lang) -> JichaError {
    match super::decode::explain(&e) {
        Some((Some(line), what)) => {
            JichaError::Import(vec![format!("{name}:{line}: {}", what.text(lang))])
        }
        Some((None, what)) => JichaError::Import(vec![format!("{name}: {}", what.text(lang))]),
        None => cannot_read(name, &e, lang),
    }
}

/// `name: cannot be read: why`, in the operator's language.
pub(super) fn cannot_read(name: &str, why: &dyn std::fmt::Display, lang: Lang) -> JichaError {
    let problem = ReadProblem::CannotRead {
        why: why.to_string(),
    };
    JichaError::invalid(format!("{name}: {}", problem.text(lang)))
}

/// Whether reading the file goes on after this problem.
pub(super) fn stops_reading(problem: &Problem) -> bool {
    matches!(problem, Problem::TooManyFields | Problem::TooLong)
}

/// The error line for a record the reader could not take; `field` names field `j` of it.
/// Each says the limit and what to fix.
pub(super) fn bad_record_message(
    name: &str,
    bad: &BadRecord,
    part: RecordPart,
    field: &dyn Fn(usize) -> String,
    lang: Lang,
) -> String {
    let line = bad.line;
    let said = |p: ReadProblem| p.text(lang);
    match &bad.problem {
        Problem::TooManyFields => format!(
            "{name}:{line}: {}",
            said(ReadProblem::TooManyFields {
                part,
                limit: MAX_FIELDS,
                file: name.to_string(),
            })
        ),
        Problem::TooLong => format!(
            "{name}:{line}: {}",
            said(ReadProblem::TooLong {
                part,
                limit: human_bytes(MAX_RECORD_BYTES as u64),
            })
        ),
        Problem::FieldTooLong(j) => format!(
            "{name}:{line}: {}: {}",
            field(*j),
            said(ReadProblem::FieldTooLong {
                limit: human_bytes(MAX_FIELD_BYTES as u64),
            })
        ),
        Problem::UnclosedQuote => format!(
            "{name}:{line}: {}",
            said(ReadProblem::UnclosedQuote { part })
        ),
        Problem::Io(e) => format!(
            "{name}: {}",
            said(ReadProblem::CannotRead { why: e.to_string() })
        ),
    }
}

/// The contract column that field `j` of a row holds, or says that it holds none.
pub(super) fn field_name(
    spec: &FileSpec,
    map: &[Option<usize>; MAX_COLUMNS],
    j: usize,
    lang: Lang,
) -> String {
    match map.iter().position(|&m| m == Some(j)) {
        Some(i) => spec.columns[i].name.to_string(),
        None => ExportProblem::UnknownField { n: j + 1 }.text(lang),
    }
}

pub(super) fn not_utf8(raw: &[u8], e: &std::str::Utf8Error) -> ReadProblem {
    let at = e.valid_up_to();
    ReadProblem::NotUtf8 {
        byte: raw[at],
        after: show(&String::from_utf8_lossy(&raw[..at])),
    }
}
