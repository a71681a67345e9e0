//! What sits between an export file and the CSV reader: gzip (`customers.csv.gz`) and the
//! text encoding (`--encoding gb18030` for a spreadsheet's GBK/ANSI export). Both are streamed,
//! so memory stays bounded whatever the file's size, and neither changes the file's `\n` bytes
//! (GB18030 never uses 0x0A inside a character), so the CSV reader's physical lines are the
//! file's lines.

use crate::context::Lang;
use crate::i18n::import_read::{hex_bytes, ReadProblem};
use std::fmt;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The text encoding of an export's CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Encoding {
    /// UTF-8, the data contract's encoding (a byte-order mark is tolerated).
    #[default]
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030, a superset of GBK: what Excel on a Chinese Windows desk saves as "CSV".
    #[value(name = "gb18030", alias = "gbk")]
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
        }
    }
}

/// Bytes that are not text in the encoding the import was told to read, with the physical
/// line they are on. Carried inside an `io::Error` so the import can name `file:line`.
#[derive(Debug)]
pub struct Undecodable {
    pub line: u64,
    pub bytes: Vec<u8>,
    pub encoding: Encoding,
}

impl Undecodable {
    pub fn problem(&self) -> ReadProblem {
        ReadProblem::Undecodable {
            bytes: hex_bytes(&self.bytes),
            count: self.bytes.len(),
            encoding: self.encoding.name().to_uppercase(),
        }
    }
}

impl fmt::Display for Undecodable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem().text(Lang::En))
    }
}

impl std::error::Error for Undecodable {}

/// A gzip stream that cannot be decompressed (damaged, cut short, or not gzip at all).
#[derive(Debug)]
pub struct BadGzip(pub io::Error);

impl BadGzip {
    pub fn problem(&self) -> ReadProblem {
        ReadProblem::BadGzip {
            why: self.0.to_string(),
        }
    }
}

impl fmt::Display for BadGzip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem().text(Lang::En))
    }
}

impl std::error::Error for BadGzip {}

/// The undecodable bytes or bad gzip stream behind an import's read error, if that is what it
/// is: the line it is on (when known) and what is wrong.
pub fn explain(e: &io::Error) -> Option<(Option<u64>, ReadProblem)> {
    let inner = e.get_ref()?;
    if let Some(u) = inner.downcast_ref::<Undecodable>() {
        return Some((Some(u.line), u.problem()));
    }
    inner.downcast_ref::<BadGzip>().map(|g| (None, g.problem()))
}

/// Counts the bytes read from the file itself, so progress is measured against its size also
/// when what the CSV reader sees is decompressed or re-encoded.
pub struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> Counting<R> {
    pub fn new(inner: R, count: Arc<AtomicU64>) -> Self {
        Counting { inner, count }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Decompresses gzip (several members, as `cat a.gz b.gz` makes, included); any failure of
/// the stream is a `BadGzip`.
pub struct Gunzip<R: Read>(flate2::read::MultiGzDecoder<R>);

impl<R: Read> Gunzip<R> {
    pub fn new(inner: R) -> Self {
        Gunzip(flate2::read::MultiGzDecoder::new(inner))
    }
}

impl<R: Read> Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            if e.kind() == io::ErrorKind::Interrupted {
                e
            } else {
                io::Error::new(io::ErrorKind::InvalidData, BadGzip(e))
            }
        })
    }
}

const RAW_BUFFER: usize = 64 * 1024;
/// Room for the UTF-8 of a whole raw buffer (a GB18030 byte becomes at most 3 UTF-8 bytes
/// per 2 raw bytes, a 4-byte sequence 4), plus one character.
const DECODED_BUFFER: usize = 2 * RAW_BUFFER + 8;
/// Longer than any GB18030 sequence.
const RECENT: usize = 4;

/// Re-encodes a file's text to UTF-8 as it is read; the first bytes that are not text in the
/// encoding end the stream with an `Undecodable` error naming their line. A UTF-8 byte-order
/// mark at the start means the file is UTF-8 after all, and it is read as such.
pub struct Decode<R> {
    inner: R,
    encoding: Encoding,
    decoder: encoding_rs::Decoder,
    raw: Box<[u8]>,
    raw_start: usize,
    raw_end: usize,
    eof: bool,
    decoded: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    /// `\n` bytes decoded so far: the line of a bad byte is one more.
    newlines: u64,
    /// The last raw bytes consumed, to show a malformed sequence that began in an earlier read.
    recent: Vec<u8>,
    /// The error to answer once what was decoded before it has been handed out.
    failed: Option<Undecodable>,
    finished: bool,
}

impl<R: Read> Decode<R> {
    pub fn new(inner: R, encoding: Encoding) -> Self {
        let decoder = match encoding {
            Encoding::Utf8 => encoding_rs::UTF_8.new_decoder(),
            Encoding::Gb18030 => encoding_rs::GB18030.new_decoder(),
        };
        Decode {
            inner,
            encoding,
            decoder,
            raw: vec![0; RAW_BUFFER].into_boxed_slice(),
            raw_start: 0,
            raw_end: 0,
            eof: false,
            decoded: vec![0; DECODED_BUFFER].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            newlines: 0,
            recent: Vec::with_capacity(2 * RECENT),
            failed: None,
            finished: false,
        }
    }

    /// Decodes the next piece into `decoded`; false at the end of the stream.
    fn decode_more(&mut self) -> io::Result<bool> {
        loop {
            if self.finished {
                return Ok(false);
            }
            if self.raw_start == self.raw_end && !self.eof {
                self.raw_start = 0;
                self.raw_end = loop {
                    match self.inner.read(&mut self.raw) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                self.eof = self.raw_end == 0;
            }
            let input = &self.raw[self.raw_start..self.raw_end];
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(input, &mut self.decoded, self.eof);
            let consumed = &input[..read];
            self.raw_start += read;
            self.out_start = 0;
            self.out_end = written;
            self.newlines += count_newlines(&self.decoded[..written]);
            match result {
                encoding_rs::DecoderResult::Malformed(bad, after) => {
                    // The malformed sequence ends `after` bytes before what was consumed; it
                    // may have started in an earlier read, whose last bytes are kept.
                    let mut seen = std::mem::take(&mut self.recent);
                    seen.extend_from_slice(consumed);
                    let end = seen.len().saturating_sub(usize::from(after));
                    let start = end.saturating_sub(usize::from(bad));
                    self.failed = Some(Undecodable {
                        line: self.newlines + 1,
                        bytes: seen[start..end].to_vec(),
                        encoding: self.encoding,
                    });
                    self.finished = true;
                    return Ok(written > 0);
                }
                encoding_rs::DecoderResult::InputEmpty => self.finished = self.eof,
                encoding_rs::DecoderResult::OutputFull => {}
            }
            self.recent
                .extend_from_slice(&consumed[read.saturating_sub(RECENT)..]);
            let extra = self.recent.len().saturating_sub(RECENT);
            self.recent.drain(..extra);
            if written > 0 {
                return Ok(true);
            }
        }
    }
}

impl<R: Read> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.out_start == self.out_end && !self.decode_more()? {
            return match self.failed.take() {
                Some(u) => Err(io::Error::new(io::ErrorKind::InvalidData, u)),
                None => Ok(0),
            };
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.decoded[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out `chunk` bytes per read, so characters straddle the decoder's buffers.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn decode(bytes: &[u8], chunk: usize) -> io::Result<String> {
        let mut out = Vec::new();
        Decode::new(Trickle(bytes, chunk), Encoding::Gb18030).read_to_end(&mut out)?;
        Ok(String::from_utf8(out).expect("the decoder writes UTF-8"))
    }

    #[test]
    fn gb18030_text_becomes_utf8_in_any_chunking() {
        let text = "户号,户名\r\n3301000001,张三\n3301000002,\"李四\n王五\"\n3301000003,𠀀丽\n";
        let (gb, _, unmappable) = encoding_rs::GB18030.encode(text);
        assert!(!unmappable);
        assert_ne!(&*gb, text.as_bytes());
        for chunk in [1, 2, 3, 5, usize::MAX] {
            assert_eq!(decode(&gb, chunk).unwrap(), text, "chunk {chunk}");
        }
    }

    #[test]
    fn an_undecodable_byte_names_its_line() {
        let (gb, _, _) = encoding_rs::GB18030.encode("户号\n张三\n李四\n");
        let mut bytes = gb.into_owned();
        // A lead byte followed by a byte that cannot follow it, on line 3.
        let at = bytes.len() - 1;
        bytes.splice(at..at, [0x81, 0x20]);
        for chunk in [1, 4, usize::MAX] {
            let e = decode(&bytes, chunk).unwrap_err();
            let (line, what) = explain(&e).expect("an Undecodable error");
            let what = what.text(Lang::En);
            assert_eq!(line, Some(3), "chunk {chunk}");
            assert!(what.contains("0x81 is not GB18030 text"), "{what}");
        }
    }

    #[test]
    fn a_utf8_file_with_its_byte_order_mark_is_read_as_utf8() {
        let text = "\u{feff}户号\n张三\n";
        assert_eq!(decode(text.as_bytes(), 2).unwrap(), "户号\n张三\n");
    }

    #[test]
    fn a_damaged_gzip_stream_is_a_bad_gzip() {
        use std::io::Write;
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&b"cust_no,name\n".repeat(1000)).unwrap();
        let mut gz = z.finish().unwrap();
        let mid = gz.len() / 2;
        gz[mid] ^= 0xFF;
        let mut out = Vec::new();
        let e = Gunzip::new(&gz[..]).read_to_end(&mut out).unwrap_err();
        let (line, what) = explain(&e).expect("a BadGzip error");
        let what = what.text(Lang::En);
        assert_eq!(line, None);
        assert!(what.starts_with("is not a complete gzip file"), "{what}");
        let mut out = Vec::new();
        let e = Gunzip::new(&b"not gzip at all"[..])
            .read_to_end(&mut out)
            .unwrap_err();
        assert!(explain(&e).is_some());
    }
}
