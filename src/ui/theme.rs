//! Colours and border glyphs. Colour only ever repeats what a word or symbol already says
//! (severity and status are always written out), so `NO_COLOR` loses nothing.

use crate::states::FindingStatus;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    /// ASCII borders and bars: box drawing and block elements are ambiguous-width in CJK
    /// terminals and can break the layout there.
    pub ascii: bool,
}

/// `NO_COLOR` set to anything non-empty turns colour off (no-color.org).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// A terminal that draws ASCII only, by its `TERM`: the Linux console (`linux`: its font has
/// no CJK and few box or block glyphs), the VT terminals and `dumb`. The UI then starts in
/// ASCII mode as with `--ascii`. (A UTF-8 locale is not asked for: over SSH the locale is
/// often not forwarded although the operator's terminal draws UTF-8.)
pub fn ascii_terminal(term: Option<&str>) -> bool {
    let Some(t) = term else { return false };
    let t = t.trim().to_ascii_lowercase();
    t == "linux"
        || t.starts_with("linux-")
        || t == "dumb"
        || t.starts_with("vt52")
        || t.starts_with("vt100")
        || t.starts_with("vt102")
        || t.starts_with("vt220")
}

const ASCII_BORDER: symbols::border::Set = symbols::border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

const ASCII_BARS: symbols::bar::Set = symbols::bar::Set {
    full: "#",
    seven_eighths: "#",
    three_quarters: "=",
    five_eighths: "=",
    half: "-",
    three_eighths: "-",
    one_quarter: ".",
    one_eighth: ".",
    empty: " ",
};

impl Theme {
    pub fn new(color: bool, ascii: bool) -> Theme {
        Theme { color, ascii }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn border(&self) -> symbols::border::Set {
        if self.ascii {
            ASCII_BORDER
        } else {
            symbols::border::PLAIN
        }
    }

    pub fn bars(&self) -> symbols::bar::Set {
        if self.ascii {
            ASCII_BARS
        } else {
            symbols::bar::NINE_LEVELS
        }
    }

    /// The row cursor: reverse video works with and without colour.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn focused_border(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn severity(&self, sev: &str) -> Style {
        match sev {
            "high" => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            "medium" => self.fg(Color::Yellow),
            _ => self.fg(Color::Gray),
        }
    }

    pub fn status(&self, status: FindingStatus) -> Style {
        match status {
            FindingStatus::New => self.fg(Color::LightRed),
            FindingStatus::Confirmed => self.fg(Color::Yellow),
            FindingStatus::Ticketed => self.fg(Color::Cyan),
            FindingStatus::Closed | FindingStatus::Cleared => self.fg(Color::Green),
        }
    }

    pub fn gauge(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Cyan).bg(Color::Black)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn chart(&self) -> Style {
        self.fg(Color::Cyan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_linux_console_and_vt_terminals_are_ascii() {
        for t in ["linux", "LINUX", "linux-16color", "vt100", "vt220", "dumb"] {
            assert!(ascii_terminal(Some(t)), "{t}");
        }
        for t in ["xterm-256color", "screen", "tmux-256color", "", "putty"] {
            assert!(!ascii_terminal(Some(t)), "{t}");
        }
        assert!(!ascii_terminal(None));
    }
}
