//! `y`: the row's 户号 or ticket number to the operator's own clipboard, over SSH, with the
//! OSC 52 escape (`ESC ] 52 ; c ; base64 BEL`) that xterm, kitty, WezTerm, iTerm2, Windows
//! Terminal and tmux (`set-clipboard on`) take. The sequence is written through the terminal
//! backend after the next draw; the status line shows the text too, so it can be typed where
//! the terminal does not take it (the Linux console, `TERM=dumb`).

use super::App;
use crate::ui::cmdline::words::CmdMsg;
use crate::ui::cmdline::CmdLine;
use crate::ui::screen::{Cx, Tone};
use std::io::Write;

/// Whether a terminal of type `term` is sent OSC 52.
pub fn terminal_takes_osc52(term: Option<&str>) -> bool {
    !matches!(term, None | Some("") | Some("dumb") | Some("linux"))
}

/// The OSC 52 sequence that puts `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

/// Writes the queued sequences to the terminal and empties the queue.
pub fn send_clipboard(w: &mut impl Write, queue: &mut Vec<String>) -> std::io::Result<()> {
    if queue.is_empty() {
        return Ok(());
    }
    for s in queue.drain(..) {
        w.write_all(s.as_bytes())?;
    }
    w.flush()
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl App {
    /// Queues `text` for the clipboard (when the terminal takes OSC 52) and shows it.
    pub(super) fn copy(&mut self, what: &str, text: &str) {
        let lang = self.lang();
        let msg = if self.osc52 {
            self.clipboard.push(osc52(text));
            format!("{} {what}: {text}", CmdMsg::Copied.text(lang))
        } else {
            format!("{what}: {text} ({})", CmdMsg::CopiedHere.text(lang))
        };
        self.set_status(Tone::Info, &msg);
    }

    /// `:` opens the command line over the screen on top; its commands act from there.
    pub(super) fn open_command_line(&mut self) {
        let page = self.list_page();
        let cx = cx!(self, self.screen, page);
        let line = CmdLine::new(&cx);
        self.dialog = Some((self.screen, Box::new(line)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_known_values() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64("户号".as_bytes()), "5oi35Y+3");
        assert_eq!(osc52("C001"), "\x1b]52;c;QzAwMQ==\x07");
    }

    #[test]
    fn the_console_is_not_sent_osc52() {
        assert!(terminal_takes_osc52(Some("xterm-256color")));
        assert!(terminal_takes_osc52(Some("tmux-256color")));
        assert!(!terminal_takes_osc52(Some("linux")));
        assert!(!terminal_takes_osc52(None));
    }
}
