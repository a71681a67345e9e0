//! CSV records, each with the physical line it starts on, read within fixed limits.
//!
//! Built on `csv-core` rather than `csv::Reader`, for two reasons.
//!
//! Lines. `csv`'s `Position::line()` is one too low after a CRLF record (rust-csv issue 395),
//! and a record that is one unclosed quote ends only at end of file. Here the reader itself skips
//! the terminators and blank lines between records, so it knows the byte where each record's
//! content begins, and it counts the `\n` bytes of everything consumed: a record starts on line
//! 1 + the newlines before its first byte. Nothing is inferred from the record's content.
//!
//! Memory. `csv::Reader` grows a record's buffers without bound: a header of ten million columns,
//! or an unclosed quote that swallows a 2 GB file, is held whole. Here the field buffer stops at
//! `MAX_RECORD_BYTES` and the field ends at `MAX_FIELDS`; a record that reaches either stops the
//! reading, before memory grows.

use std::io::{self, Read};
use std::ops::Index;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The most fields a record (header included) may have.
pub const MAX_FIELDS: usize = 1000;
/// The longest a field may be, in bytes of its value (quotes removed).
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// The longest a record may be, in bytes of its field values; also bounds what an unclosed quote
/// makes the reader hold.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// Large reads: fewer system calls.
const BUFFER: usize = 256 * 1024;
/// Initial room for a record's field bytes; grows by doubling up to the limit.
const INITIAL_RECORD_BYTES: usize = 4 * 1024;
const INITIAL_FIELDS: usize = 64;
/// The UTF-8 byte-order mark some spreadsheets put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The fields of the record last read.
#[derive(Debug, Default)]
pub struct Fields {
    bytes: Vec<u8>,
    /// End offset in `bytes` of each field; only the first `len` are this record's.
    ends: Vec<usize>,
    len: usize,
}

impl Fields {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<&[u8]> {
        if i >= self.len {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.bytes[start..self.ends[i]])
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.len).map(|i| &self[i])
    }

    /// The first field longer than `MAX_FIELD_BYTES`, if any.
    fn too_long_field(&self) -> Option<usize> {
        let mut start = 0;
        for (i, &end) in self.ends[..self.len].iter().enumerate() {
            if end - start > MAX_FIELD_BYTES {
                return Some(i);
            }
            start = end;
        }
        None
    }
}

impl Index<usize> for Fields {
    type Output = [u8];

    fn index(&self, i: usize) -> &[u8] {
        self.get(i).expect("field index within the record")
    }
}

/// What is wrong with a record that could not be read as one.
#[derive(Debug)]
pub enum Problem {
    /// More than `MAX_FIELDS` fields. Reading stops.
    TooManyFields,
    /// More than `MAX_RECORD_BYTES` of field bytes. Reading stops.
    TooLong,
    /// This field (0-based) is longer than `MAX_FIELD_BYTES`. The record is skipped; reading
    /// goes on.
    FieldTooLong(usize),
    /// End of file came inside a quoted field. Nothing follows.
    UnclosedQuote,
    /// The file could not be read. Reading stops.
    Io(io::Error),
}

#[derive(Debug)]
pub struct BadRecord {
    /// The physical line the record starts on.
    pub line: u64,
    pub problem: Problem,
}

/// A CSV reader yielding one reused record at a time with the physical line it starts on.
pub struct Records<R> {
    inner: R,
    core: csv_core::Reader,
    buf: Box<[u8]>,
    /// `buf[start..end]` is read but not yet consumed.
    start: usize,
    end: usize,
    eof: bool,
    /// After a problem that stops reading, every call answers "no more records".
    stopped: bool,
    /// `\n` bytes consumed so far.
    newlines: u64,
    bytes_read: u64,
    /// Bytes of the file itself, when what is read here is decompressed or re-encoded.
    raw_read: Option<Arc<AtomicU64>>,
    pub record: Fields,
}

impl<R: Read> Records<R> {
    pub fn new(inner: R) -> Self {
        Records {
            inner,
            core: csv_core::Reader::new(),
            buf: vec![0; BUFFER].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            stopped: false,
            newlines: 0,
            bytes_read: 0,
            raw_read: None,
            record: Fields {
                bytes: vec![0; INITIAL_RECORD_BYTES],
                ends: vec![0; INITIAL_FIELDS],
                len: 0,
            },
        }
    }

    /// Records over a stream made from a file (decompressed, re-encoded) whose own bytes are
    /// counted in `raw_read`: progress is then measured in the file's bytes.
    pub fn counting_raw(inner: R, raw_read: Arc<AtomicU64>) -> Self {
        Records {
            raw_read: Some(raw_read),
            ..Records::new(inner)
        }
    }

    /// Bytes read from the file so far (including read-ahead).
    pub fn bytes_read(&self) -> u64 {
        match &self.raw_read {
            Some(raw) => raw.load(Ordering::Relaxed),
            None => self.bytes_read,
        }
    }

    /// Reads the next record into `self.record`; returns the 1-based physical line it starts on,
    /// or `None` at end of file (or after a problem that stops reading).
    pub fn next_record(&mut self) -> Result<Option<u64>, BadRecord> {
        if self.stopped {
            return Ok(None);
        }
        // Skip the terminators and blank lines before the record (csv-core would skip them too,
        // but then the record's first byte would not be known).
        loop {
            if self.start == self.end && !self.fill(self.newlines + 1)? {
                return Ok(None);
            }
            let rest = &self.buf[self.start..self.end];
            match rest.iter().position(|&b| b != b'\n' && b != b'\r') {
                Some(k) => {
                    self.newlines += count_newlines(&rest[..k]);
                    self.start += k;
                    break;
                }
                None => {
                    self.newlines += count_newlines(rest);
                    self.start = self.end;
                }
            }
        }
        let line = self.newlines + 1;
        let (mut nout, mut nend) = (0, 0);
        loop {
            if self.start == self.end && !self.eof {
                self.fill(line)?;
            }
            // At end of file inside a record, a newline is fed in its place: csv-core takes it as
            // the record's terminator unless a quoted field is still open, which is how an
            // unclosed quote is told apart from a last line without a newline.
            let at_eof = self.start == self.end;
            let input: &[u8] = if at_eof {
                b"\n"
            } else {
                &self.buf[self.start..self.end]
            };
            let rec = &mut self.record;
            let (res, nin, out, ends) =
                self.core
                    .read_record(input, &mut rec.bytes[nout..], &mut rec.ends[nend..]);
            if !at_eof {
                self.newlines += count_newlines(&input[..nin]);
                self.start += nin;
            }
            nout += out;
            nend += ends;
            match res {
                csv_core::ReadRecordResult::Record => {
                    rec.len = nend;
                    if let Some(field) = rec.too_long_field() {
                        return Err(BadRecord {
                            line,
                            problem: Problem::FieldTooLong(field),
                        });
                    }
                    return Ok(Some(line));
                }
                csv_core::ReadRecordResult::InputEmpty if at_eof => {
                    return Err(self.stop(line, Problem::UnclosedQuote));
                }
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    // One byte of room past the limit tells "exactly at" from "over".
                    if rec.bytes.len() > MAX_RECORD_BYTES {
                        return Err(self.stop(line, Problem::TooLong));
                    }
                    let grown = (rec.bytes.len() * 2).min(MAX_RECORD_BYTES + 1);
                    rec.bytes.resize(grown, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    // Every slot holds a field's end and another field follows.
                    if rec.ends.len() >= MAX_FIELDS {
                        return Err(self.stop(line, Problem::TooManyFields));
                    }
                    let grown = (rec.ends.len() * 2).min(MAX_FIELDS);
                    rec.ends.resize(grown, 0);
                }
                // csv-core ends only on empty input, which it is never given.
                csv_core::ReadRecordResult::End => return Ok(None),
            }
        }
    }

    fn stop(&mut self, line: u64, problem: Problem) -> BadRecord {
        self.stopped = true;
        self.record.len = 0;
        BadRecord { line, problem }
    }

    /// Refills the (fully consumed) buffer; `false` at end of file.
    fn fill(&mut self, line: u64) -> Result<bool, BadRecord> {
        if self.eof {
            return Ok(false);
        }
        self.start = 0;
        self.end = 0;
        // The first fill gathers at least 3 bytes, to see a whole byte-order mark even from a
        // pipe that delivers a byte at a time.
        let first = self.bytes_read == 0;
        let want = if first { BOM.len() } else { 1 };
        while self.end < want {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    self.end += n;
                    self.bytes_read += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.stop(line, Problem::Io(e))),
            }
        }
        // Skipped here rather than by csv-core, which strips it only from a first input holding
        // more than the mark (on exactly the mark it sees empty input, i.e. end of file).
        if first && self.buf[..self.end].starts_with(BOM) {
            self.start = BOM.len();
            if self.start == self.end {
                return self.fill(line);
            }
        }
        Ok(self.end > self.start)
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `data` through a reader that returns `chunk` bytes at a time, so that records
    /// straddle buffer refills.
    struct Trickle<'a> {
        data: &'a [u8],
        chunk: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.chunk.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    type Read1 = Result<(u64, Vec<String>), (u64, String)>;

    fn read_all_in(data: &[u8], chunk: usize) -> Vec<Read1> {
        let mut r = Records::new(Trickle { data, chunk });
        let mut out = Vec::new();
        loop {
            match r.next_record() {
                Ok(Some(line)) => {
                    let fields = r
                        .record
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect();
                    out.push(Ok((line, fields)));
                }
                Ok(None) => break,
                Err(bad) => out.push(Err((bad.line, format!("{:?}", bad.problem)))),
            }
        }
        out
    }

    /// Every chunking gives the same answer; returns it.
    fn read_all(data: &str) -> Vec<Read1> {
        let whole = read_all_in(data.as_bytes(), usize::MAX);
        for chunk in [1, 2, 3, 7] {
            assert_eq!(
                read_all_in(data.as_bytes(), chunk),
                whole,
                "chunk {chunk}: {data:?}"
            );
        }
        whole
    }

    fn lines(data: &str) -> Vec<u64> {
        read_all(data)
            .into_iter()
            .map(|r| r.expect("a good record").0)
            .collect()
    }

    #[test]
    fn lf_and_crlf() {
        assert_eq!(lines("h\na\nb\nc\n"), [1, 2, 3, 4]);
        assert_eq!(lines("h\r\na\r\nb\r\nc\r\n"), [1, 2, 3, 4]);
        assert_eq!(lines("h\r\na\r\nb"), [1, 2, 3]);
        assert_eq!(lines("h\na\nb"), [1, 2, 3]);
    }

    #[test]
    fn quoted_newlines() {
        let lf = "h,x\n1,\"two\nlines\"\n2,y\n3,\"a\n\nb\"\n4,z\n";
        assert_eq!(lines(lf), [1, 2, 4, 5, 8]);
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(lines(&crlf), [1, 2, 4, 5, 8]);
        let got = read_all(&crlf);
        assert_eq!(got[1].as_ref().unwrap().1[1], "two\r\nlines");
    }

    #[test]
    fn blank_lines_and_bom() {
        assert_eq!(lines("\u{feff}h\n\na\r\n\r\nb\n"), [1, 3, 5]);
        assert_eq!(
            read_all("\u{feff}h,i\n1,2\n")[0].as_ref().unwrap().1,
            ["h", "i"]
        );
    }

    #[test]
    fn unclosed_quote_is_reported_on_the_line_its_record_starts() {
        for eol in ["\n", "\r\n"] {
            let data = format!("h,x{eol}1,a{eol}2,\"open{eol}3,b{eol}4,c{eol}");
            let got = read_all(&data);
            assert_eq!(got.len(), 3, "{eol:?}: {got:?}");
            assert_eq!(got[2], Err((3, "UnclosedQuote".to_string())), "{eol:?}");
            // Without a final newline, and with an open quote on the last line.
            let data = format!("h,x{eol}1,a{eol}2,\"open");
            assert_eq!(read_all(&data)[2], Err((3, "UnclosedQuote".to_string())));
        }
    }

    #[test]
    fn closed_quote_at_end_of_file_is_a_record() {
        let got = read_all("h,x\n1,\"a\nb\"");
        assert_eq!(got[1], Ok((2, vec!["1".into(), "a\nb".into()])));
        let got = read_all("h,x\n1,\"a\"\"\"");
        assert_eq!(got[1], Ok((2, vec!["1".into(), "a\"".into()])));
    }

    #[test]
    fn field_and_record_limits() {
        // Exactly at each limit is fine.
        let widest = vec!["x"; MAX_FIELDS].join(",");
        let longest_field = "y".repeat(MAX_FIELD_BYTES);
        let data = format!("h\n{widest}\n{longest_field}\nok\n");
        let got = read_all_in(data.as_bytes(), usize::MAX);
        assert_eq!(got[1].as_ref().unwrap().1.len(), MAX_FIELDS);
        assert_eq!(got[2].as_ref().unwrap().1[0].len(), MAX_FIELD_BYTES);
        assert_eq!(got[3], Ok((4, vec!["ok".into()])));

        // One field too long: that record is refused and reading goes on.
        let data = format!("h\n1,{}\n2,ok\n", "y".repeat(MAX_FIELD_BYTES + 1));
        let got = read_all_in(data.as_bytes(), usize::MAX);
        assert_eq!(got[1], Err((2, "FieldTooLong(1)".into())));
        assert_eq!(got[2], Ok((3, vec!["2".into(), "ok".into()])));

        // One field too many: reading stops.
        let data = format!("h\n{widest},x\nnever\n");
        let got = read_all_in(data.as_bytes(), usize::MAX);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], Err((2, "TooManyFields".into())));
        // Also when the extra field is empty and the file ends there.
        let data = format!("h\n{widest},");
        assert_eq!(
            read_all_in(data.as_bytes(), usize::MAX)[1],
            Err((2, "TooManyFields".into()))
        );

        // A record over the limit stops reading, e.g. an unclosed quote before a long tail.
        let field = "z".repeat(MAX_FIELD_BYTES);
        let row = vec![field.as_str(); MAX_RECORD_BYTES / MAX_FIELD_BYTES].join(",");
        let data = format!("h\n{row}\n{row},z\nnever\n");
        let got = read_all_in(data.as_bytes(), usize::MAX);
        assert!(got[1].is_ok());
        assert_eq!(got[2], Err((3, "TooLong".into())));
        assert_eq!(got.len(), 3);
        let tail = "w,w\n".repeat(MAX_RECORD_BYTES / 2);
        let data = format!("h\n1,\"open\n{tail}");
        let got = read_all_in(data.as_bytes(), 1000);
        assert_eq!(got, [Ok((1, vec!["h".into()])), Err((2, "TooLong".into()))]);
        // What was held for it stopped at the limit.
        let mut r = Records::new(data.as_bytes());
        r.next_record().unwrap();
        assert!(matches!(
            r.next_record(),
            Err(BadRecord {
                line: 2,
                problem: Problem::TooLong
            })
        ));
        assert_eq!(r.record.bytes.len(), MAX_RECORD_BYTES + 1);
    }

    #[test]
    fn header_far_too_wide_holds_only_the_limit() {
        let header = "c,".repeat(10 * MAX_FIELDS);
        let mut r = Records::new(header.as_bytes());
        let bad = r.next_record().unwrap_err();
        assert_eq!(
            (bad.line, format!("{:?}", bad.problem)),
            (1, "TooManyFields".into())
        );
        assert!(r.record.ends.len() <= MAX_FIELDS);
        assert!(r.next_record().unwrap().is_none());
    }

    #[test]
    fn across_buffer_boundaries() {
        let mut data = String::from("h,x\r\n");
        let mut want = vec![1];
        let mut line = 2;
        for i in 0..40_000 {
            want.push(line);
            if i % 7 == 0 {
                data.push_str(&format!("{i},\"a\r\nb\"\r\n"));
                line += 2;
            } else {
                data.push_str(&format!("{i},x\r\n"));
                line += 1;
            }
        }
        let got: Vec<u64> = read_all_in(data.as_bytes(), usize::MAX)
            .into_iter()
            .map(|r| r.unwrap().0)
            .collect();
        assert_eq!(got, want);
        let got: Vec<u64> = read_all_in(data.as_bytes(), 4093)
            .into_iter()
            .map(|r| r.unwrap().0)
            .collect();
        assert_eq!(got, want);
    }
}
