//! Characters that no document shows: control characters and bidirectional overrides in text.
//!
//! Every output drops them, since they are not text a reader could see (ESC, BEL and BS would
//! otherwise reach a terminal or a PDF reader as commands), and the bidi overrides would make text
//! show in an order other than it was typed (see `model::text::is_dropped`). Tab, line feed and carriage
//! return are white space: they become spaces, and are not reported. A warning says which field
//! held what, so the data can be corrected where it was pasted from.

use crate::model::text::{is_bidi_override, is_dropped};

/// The characters of `text` that the outputs drop, each once, in code point order.
pub fn dropped(text: &str) -> Vec<char> {
    if !may_hold_dropped(text) {
        return Vec::new();
    }
    let mut chars: Vec<char> = text.chars().filter(|&c| is_dropped(c)).collect();
    chars.sort_unstable();
    chars.dedup();
    chars
}

/// What CTL-001 says of a text that holds `chars`.
pub fn message(chars: &[char]) -> String {
    let names: Vec<String> = chars.iter().map(|&c| name(c)).collect();
    format!("the text holds {}, which no document shows: it is left out of every output", names.join(", "))
}

/// A quick look at the bytes: every dropped character is an ASCII control, DEL, or encoded with a
/// lead byte 0xC2 (U+0080–U+009F) or 0xE2 (the bidi overrides); text without them holds none.
fn may_hold_dropped(text: &str) -> bool {
    text.bytes().any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || matches!(b, 0x7f | 0xc2 | 0xe2))
}

/// `U+001B (ESC)`: the code point, and the usual abbreviation of the common ones.
fn name(c: char) -> String {
    let short = match c {
        '\0' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "BS",
        '\u{b}' => "VT",
        '\u{c}' => "FF",
        '\u{1b}' => "ESC",
        '\u{7f}' => "DEL",
        '\u{85}' => "NEL",
        c if is_bidi_override(c) => "a bidirectional override",
        _ => "a control character",
    };
    format!("U+{:04X} ({short})", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_kept_and_other_controls_are_named() {
        assert!(dropped("a\tb\nc\r").is_empty());
        assert_eq!(dropped("x\u{1b}[31m\u{7}\u{8}\u{1b}"), ['\u{7}', '\u{8}', '\u{1b}']);
        assert_eq!(dropped("\u{202e}é\u{85}"), ['\u{85}', '\u{202e}']);
        assert_eq!(name('\u{1b}'), "U+001B (ESC)");
        assert_eq!(name('\u{1}'), "U+0001 (a control character)");
    }
}
