//! Untrusted text on its way to a terminal. Text from the dataset (names, addresses, evidence,
//! notes) may hold control characters, escape sequences and bidi overrides; `escape` turns each
//! into a visible placeholder, once, where text enters the display layer.
//!
//! The mapping is one-to-one, so two different names never look alike on screen:
//! C0 controls and DEL become their Unicode control pictures (ESC → `␛`, NUL → `␀`, DEL → `␡`);
//! C1 controls, bidi controls and other invisible format characters become `⟨U+XXXX⟩`; and a
//! control picture or `⟨` that is really in the text is itself written as `⟨U+XXXX⟩`.

use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Characters that would reach the terminal as controls or invisibly reorder or hide text.
fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{80}'..='\u{9F}'          // C1 controls (U+009B is CSI, U+009D is OSC)
        | '\u{AD}'                   // soft hyphen
        | '\u{034F}'                 // combining grapheme joiner
        | '\u{061C}'                 // Arabic letter mark
        | '\u{115F}' | '\u{1160}'    // Hangul fillers
        | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'    // zero-width space/joiners, LRM, RLM
        | '\u{2028}' | '\u{2029}'    // line and paragraph separators
        | '\u{202A}'..='\u{202E}'    // bidi embeddings and overrides
        | '\u{2060}'..='\u{206F}'    // word joiner, bidi isolates (U+2066–U+2069), invisible operators
        | '\u{3164}'                 // Hangul filler
        | '\u{FE00}'..='\u{FE0F}'    // variation selectors
        | '\u{FEFF}'                 // BOM / zero-width no-break space
        | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E0FFF}'  // tags, variation selectors supplement
    )
}

/// A character that is itself one of our placeholders' markers.
fn is_marker(c: char) -> bool {
    matches!(c, '\u{2400}'..='\u{2421}' | '⟨')
}

/// A character that must not reach a terminal raw: a control (C0, DEL, C1), a bidi control or
/// another invisible format character. (`escape` also rewrites its own markers; those are safe.)
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_hidden(c)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_hidden(c) || is_marker(c)
}

/// Text safe to hand to the terminal: every control, bidi and invisible character visible.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\u{0}'..='\u{1F}' if !is_marker(c) => {
                out.push(char::from_u32(0x2400 + c as u32).expect("control picture"))
            }
            '\u{7F}' => out.push('\u{2421}'),
            c if needs_escape(c) => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text safe for the terminal that may already hold escaped parts (an error message that quotes
/// data escaped where it was made): unsafe characters become placeholders as in [`escape`],
/// line breaks stay line breaks, and placeholders already there are left alone, so nothing is
/// escaped twice (`␛` stays `␛`, not `⟨U+241B⟩`). Unlike `escape` it is not one-to-one; use it
/// for messages, `escape` for data.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && c != '\n') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push(c),
            '\u{0}'..='\u{1F}' => {
                out.push(char::from_u32(0x2400 + c as u32).expect("control picture"))
            }
            '\u{7F}' => out.push('\u{2421}'),
            c if is_unsafe(c) => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Display width in terminal columns (CJK characters count two).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

thread_local! {
    /// ASCII output on this thread (the UI's `--ascii` or an ASCII-only terminal, set by the UI
    /// for the frame it draws): a cut is marked `...`, and `ascii_symbols` rewrites symbols.
    static ASCII: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Turns ASCII output on or off for this thread (see `truncate` and `ascii_symbols`).
pub fn set_ascii(on: bool) {
    ASCII.with(|a| a.set(on));
}

/// Whether this thread draws ASCII only.
pub fn ascii() -> bool {
    ASCII.with(|a| a.get())
}

/// The ASCII spelling of the symbols our own text uses (`…` `...`, `·` `-`, `≠` `!=`, dashes
/// `-`, arrows `->`, quotes `"`), when this thread draws ASCII only; else `s` as it is. Letters,
/// CJK included, are text and stay.
pub fn ascii_symbols(s: &str) -> Cow<'_, str> {
    if !ascii() || s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match ascii_of(c) {
            Some(a) => out.push_str(a),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The ASCII stand-in of one symbol, if it has one.
pub fn ascii_of(c: char) -> Option<&'static str> {
    Some(match c {
        '…' => "...",
        '·' | '–' | '—' | '−' | '‐' | '‑' | '─' | '━' => "-",
        '≠' => "!=",
        '≥' => ">=",
        '≤' => "<=",
        '≈' => "~",
        '×' => "x",
        '→' | '⟶' => "->",
        '←' => "<-",
        '↑' => "^",
        '↓' => "v",
        '“' | '”' | '„' => "\"",
        '‘' | '’' => "'",
        '⟨' | '‹' => "<",
        '⟩' | '›' => ">",
        '∞' => "inf",
        '│' | '┃' => "|",
        '⏎' => "Enter",
        '█' | '▉' | '▊' | '▋' | '▌' | '▍' | '▎' | '▏' => "#",
        _ => return None,
    })
}

/// Cuts `s` to at most `max` columns without splitting a wide character; marks a cut with `…`
/// (`...` when this thread draws ASCII only).
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mark = if ascii() { &"..."[..3.min(max)] } else { "…" };
    let room = max - width(mark);
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(mark);
    Cow::Owned(out)
}

/// `s` cut or padded with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let t = truncate(s, cols);
    let pad = cols.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_output_cuts_with_three_dots_and_spells_symbols() {
        set_ascii(true);
        assert_eq!(truncate("abcdefgh", 6), "abc...");
        assert_eq!(truncate("城关供电所", 7), "城关...");
        assert_eq!(
            ascii_symbols("a ≠ b · c – d → e…"),
            "a != b - c - d -> e..."
        );
        assert_eq!(ascii_symbols("城关供电所"), "城关供电所");
        set_ascii(false);
        assert_eq!(truncate("abcdefgh", 6), "abcde…");
        assert_eq!(ascii_symbols("a ≠ b"), "a ≠ b");
    }

    #[test]
    fn plain_text_is_untouched() {
        assert!(matches!(escape("张三 商店 No.5"), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_become_visible() {
        assert_eq!(escape("a\u{1b}[31mb"), "a␛[31mb");
        assert_eq!(escape("x\u{7f}\u{0}"), "x␡␀");
        assert_eq!(escape("\u{9b}2J"), "⟨U+009B⟩2J");
        assert_eq!(escape("abc\u{202e}def"), "abc⟨U+202E⟩def");
        assert_eq!(escape("a\u{2066}b"), "a⟨U+2066⟩b");
    }

    #[test]
    fn escaping_is_one_to_one() {
        // A real control picture in the text must not look like an escaped ESC.
        assert_ne!(escape("\u{1b}"), escape("\u{241b}"));
        assert_ne!(escape("\u{202e}"), escape("⟨U+202E⟩"));
        assert_ne!(escape("张\u{200b}三"), escape("张三"));
    }

    #[test]
    fn no_control_survives() {
        let hostile = "\u{1b}]52;c;aGk=\u{7}\r\t\u{0}\u{7f}\u{9b}\u{9d}\u{202a}\u{2069}";
        assert!(!escape(hostile)
            .chars()
            .any(|c| c.is_control() || is_hidden(c)));
    }

    #[test]
    fn sanitize_does_not_escape_twice() {
        let once = escape("a\u{1b}[2J\u{9b}\u{202e}");
        assert_eq!(sanitize(&once), once);
        assert_eq!(
            sanitize("x\u{1b}]52;c;y\u{7}\nz\u{202e}"),
            "x␛]52;c;y␇\nz⟨U+202E⟩"
        );
        assert!(!sanitize("\u{9d}\u{2066}\u{0}").chars().any(is_unsafe));
    }

    #[test]
    fn truncation_keeps_wide_characters_whole() {
        assert_eq!(truncate("国网供电所", 5), "国网…");
        assert_eq!(width(&fit("国网供电所", 6)), 6);
        assert_eq!(fit("ab", 4), "ab  ");
    }
}
