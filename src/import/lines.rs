//! Physical line numbers of CSV records. `csv::Position::line()` is one too low after a
//! CRLF-terminated record (rust-csv issue 395: the reader stops after the `\r` and counts the
//! `\n` with the next record), and spreadsheet exports use CRLF. So we count `\n` bytes
//! ourselves: a wrapping reader notes where each `\n` is, and a record's start line is the line
//! its last byte is on minus the newlines inside its quoted fields (quoting keeps `\n` bytes as
//! they are, so the decoded fields hold exactly the record's inner newlines).

use std::collections::VecDeque;
use std::io::{self, Read};

/// Passes bytes through, remembering the offsets of `\n` bytes not yet accounted for. It holds
/// at most the csv reader's read-ahead, so memory does not grow with the file.
pub struct Counted<R> {
    inner: R,
    offset: u64,
    newlines: VecDeque<u64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' {
                self.newlines.push_back(self.offset + i as u64);
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// A CSV reader yielding one reused `ByteRecord` at a time with the physical line it starts on.
pub struct Records<R> {
    rdr: csv::Reader<Counted<R>>,
    pub record: csv::ByteRecord,
    /// `\n` bytes before the end of the last record read.
    newlines_before: u64,
}

/// Large reads: fewer system calls, and the `\n` queue stays bounded by this size.
const BUFFER: usize = 256 * 1024;

impl<R: Read> Records<R> {
    pub fn new(inner: R) -> Self {
        let rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(BUFFER)
            .from_reader(Counted {
                inner,
                offset: 0,
                newlines: VecDeque::new(),
            });
        Records {
            rdr,
            record: csv::ByteRecord::new(),
            newlines_before: 0,
        }
    }

    /// Reads the next record; returns the 1-based physical line where it starts.
    pub fn next_record(&mut self) -> csv::Result<Option<u64>> {
        if !self.rdr.read_byte_record(&mut self.record)? {
            return Ok(None);
        }
        // The byte after the record's terminator (after `\r` only, for CRLF), or end of file.
        let end = self.rdr.position().byte();
        let counted = self.rdr.get_mut();
        let mut last_newline = None;
        while let Some(&at) = counted.newlines.front() {
            if at >= end {
                break;
            }
            counted.newlines.pop_front();
            self.newlines_before += 1;
            last_newline = Some(at);
        }
        let mut end_line = self.newlines_before + 1;
        // An LF terminator belongs to the record's last line, not the next one.
        if end > 0 && last_newline == Some(end - 1) {
            end_line -= 1;
        }
        let inner = self
            .record
            .as_slice()
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        Ok(Some(end_line - inner))
    }

    /// Bytes read from the file so far (including the reader's read-ahead).
    pub fn bytes_read(&self) -> u64 {
        self.rdr.get_ref().offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(data: &str) -> Vec<(u64, Vec<String>)> {
        let mut r = Records::new(data.as_bytes());
        let mut out = Vec::new();
        while let Some(line) = r.next_record().unwrap() {
            let fields = r
                .record
                .iter()
                .map(|f| String::from_utf8(f.to_vec()).unwrap())
                .collect();
            out.push((line, fields));
        }
        out
    }

    fn lines(data: &str) -> Vec<u64> {
        starts(data).into_iter().map(|(l, _)| l).collect()
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
        let got = starts(&crlf);
        assert_eq!(got[1].1[1], "two\r\nlines");
    }

    #[test]
    fn blank_lines_and_bom() {
        assert_eq!(lines("\u{feff}h\n\na\r\n\r\nb\n"), [1, 3, 5]);
        assert_eq!(starts("\u{feff}h,i\n1,2\n")[0].1, ["h", "i"]);
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
        assert_eq!(lines(&data), want);
    }
}
