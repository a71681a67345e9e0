//! Reading an export's file for `jicha demo --delta` and writing the next one: a file opened
//! with its header's column positions, fields read as the types the delta computes with (each
//! refusal naming `file:line: column`), numbers written back as the demo writes them.

use crate::error::{JichaError, Result};
use crate::i18n::demo_delta::DeltaWrong;
use crate::progress::Progress;
use csv::ByteRecord;
use std::fs::File;
use std::io::BufWriter;
use std::ops::ControlFlow;
use std::path::Path;

pub type Out = csv::Writer<BufWriter<File>>;

/// Rows between two progress reports.
const REPORT_EVERY: u64 = 100_000;

fn io_err(e: csv::Error) -> JichaError {
    JichaError::Io(std::io::Error::from(e))
}

/// One input file: its reader, header and the record last read.
pub struct Input {
    pub file: &'static str,
    reader: csv::Reader<File>,
    pub header: ByteRecord,
    pub rec: ByteRecord,
    size: u64,
    rows: u64,
}

impl Input {
    pub fn open(dir: &Path, file: &'static str) -> Result<Input> {
        let f = File::open(dir.join(file))?;
        let size = f.metadata()?.len();
        let mut reader = csv::ReaderBuilder::new().from_reader(f);
        let header = reader.byte_headers().map_err(io_err)?.clone();
        Ok(Input {
            file,
            reader,
            header,
            rec: ByteRecord::new(),
            size,
            rows: 0,
        })
    }

    /// The position of column `name` in the header.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| {
                JichaError::invalid(DeltaWrong::MissingColumn {
                    file: self.file.into(),
                    column: name.into(),
                })
            })
    }

    /// Reads the next record into `rec`; false at the end. Reports progress now and then, and
    /// stops with `Cancelled` when the callback says so.
    pub fn next(&mut self, progress: &mut dyn FnMut(&Progress) -> ControlFlow<()>) -> Result<bool> {
        let more = self
            .reader
            .read_byte_record(&mut self.rec)
            .map_err(io_err)?;
        if more {
            self.rows += 1;
            if self.rows.is_multiple_of(REPORT_EVERY) {
                let p = Progress {
                    stage: self.file.into(),
                    done: self.reader.position().byte(),
                    total: self.size,
                };
                if progress(&p).is_break() {
                    return Err(JichaError::Cancelled);
                }
            }
        }
        Ok(more)
    }

    /// The record last read, for its typed fields.
    pub fn row(&self) -> Fields<'_> {
        self.fields(&self.rec)
    }

    /// Any record of this file (one kept from earlier), for its typed fields.
    pub fn fields<'a>(&'a self, rec: &'a ByteRecord) -> Fields<'a> {
        Fields {
            file: self.file,
            header: &self.header,
            rec,
        }
    }

    pub fn field(&self, i: usize) -> &[u8] {
        self.rec.get(i).unwrap_or(b"")
    }

    pub fn text(&self, i: usize) -> &str {
        std::str::from_utf8(self.field(i)).unwrap_or("")
    }

    pub fn num(&self, i: usize) -> Result<f64> {
        self.row().num(i)
    }

    pub fn date(&self, i: usize) -> Result<chrono::NaiveDate> {
        self.row().date(i)
    }
}

/// One record of a file, read as the types the delta computes with; a field that does not
/// read is refused as `file:line: column: value`.
pub struct Fields<'a> {
    file: &'static str,
    header: &'a ByteRecord,
    pub rec: &'a ByteRecord,
}

impl Fields<'_> {
    /// The line the record starts on.
    pub fn line(&self) -> u64 {
        self.rec.position().map_or(0, |p| p.line())
    }

    pub fn field(&self, i: usize) -> &[u8] {
        self.rec.get(i).unwrap_or(b"")
    }

    pub fn text(&self, i: usize) -> &str {
        std::str::from_utf8(self.field(i)).unwrap_or("")
    }

    fn bad(&self, i: usize) -> JichaError {
        let column = String::from_utf8_lossy(self.header.get(i).unwrap_or(b"")).into_owned();
        JichaError::invalid(DeltaWrong::BadValue {
            file: self.file.into(),
            line: self.line(),
            column,
            value: crate::text::escape(&String::from_utf8_lossy(self.field(i))).into_owned(),
        })
    }

    /// A number field.
    pub fn num(&self, i: usize) -> Result<f64> {
        self.text(i)
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| self.bad(i))
    }

    /// An amount in 元, as cents.
    pub fn cents(&self, i: usize) -> Result<i64> {
        Ok((self.num(i)? * 100.0).round() as i64)
    }

    /// A date field.
    pub fn date(&self, i: usize) -> Result<chrono::NaiveDate> {
        crate::dates::parse_date(self.text(i)).ok_or_else(|| self.bad(i))
    }
}

/// A writer of one output file, its header given.
pub fn create(dir: &Path, file: &str, header: &ByteRecord) -> Result<Out> {
    let f = File::create(dir.join(file))?;
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(64 << 10)
        .from_writer(BufWriter::with_capacity(1 << 20, f));
    w.write_byte_record(header).map_err(io_err)?;
    Ok(w)
}

pub fn write(out: &mut Out, rec: &ByteRecord) -> Result<()> {
    out.write_byte_record(rec).map_err(io_err)
}

/// Flushes and syncs a finished file.
pub fn finish(out: Out) -> Result<()> {
    let buf = out
        .into_inner()
        .map_err(|e| JichaError::Io(std::io::Error::other(e.to_string())))?;
    let file = buf
        .into_inner()
        .map_err(|e| JichaError::Io(e.into_error()))?;
    file.sync_all()?;
    Ok(())
}

/// `rec` with the fields at the given positions replaced.
pub fn replaced(rec: &ByteRecord, changes: &[(usize, &[u8])]) -> ByteRecord {
    let mut out = ByteRecord::with_capacity(rec.as_slice().len() + 16, rec.len());
    for (i, field) in rec.iter().enumerate() {
        match changes.iter().find(|(at, _)| *at == i) {
            Some((_, new)) => out.push_field(new),
            None => out.push_field(field),
        }
    }
    out
}

/// A number as the demo writes it: integers without a decimal point.
pub fn plain(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Cents as an amount in 元 with two decimals.
pub fn cents(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    let a = c.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// A stable 64-bit FNV-1a hash of a customer number: the index its random choices are drawn
/// from, the same in every file and on every machine.
pub fn key(cust: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in cust {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_the_demo_writes_them() {
        assert_eq!(plain(150.0), "150");
        assert_eq!(plain(0.38), "0.38");
        assert_eq!(plain(-20.0), "-20");
        assert_eq!(cents(12345), "123.45");
        assert_eq!(cents(-5), "-0.05");
        assert_eq!(cents(0), "0.00");
    }

    #[test]
    fn key_is_pinned() {
        // A change here changes every delta export.
        assert_eq!(key(b""), 0xcbf2_9ce4_8422_2325);
        assert_ne!(key(b"330100000000001"), key(b"330100000000002"));
    }

    #[test]
    fn replaced_keeps_the_other_fields() {
        let rec = ByteRecord::from(vec!["a", "b", "c"]);
        let r = replaced(&rec, &[(1, b"x")]);
        assert_eq!(r, ByteRecord::from(vec!["a", "x", "c"]));
    }
}
