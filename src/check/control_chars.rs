//! Characters that no document shows: control characters and bidirectional overrides in text.
//!
//! Every output drops them, since they are not text a reader could see (ESC, BEL and BS would
//! otherwise reach a terminal or a PDF reader as commands), and the bidi overrides would make text
//! show in an order other than it was typed (see `model::text::is_dropped`). Tab, line feed and carriage
//! return are white space: they become spaces, and are not reported. A warning says which field
//! held what, so the data can be corrected where it was pasted from.

use super::{Context, Findings};
use crate::diag::RuleId;
use crate::model::text::{is_bidi_override, is_dropped};
use serde_json::Value;

/// Warns about every string value that holds a character the outputs drop.
pub fn control_characters(context: &Context, findings: &mut Findings) {
    for doc in context.corpus.iter() {
        let mut found = Vec::new();
        dropped_in(&doc.data, &mut Vec::new(), &mut found);
        for (pointer, chars) in found {
            let names: Vec<String> = chars.iter().map(|&c| name(c)).collect();
            let message =
                format!("the text holds {}, which no document shows: it is left out of every output", names.join(", "));
            findings.add(RuleId::ControlCharacter, doc, &pointer, message);
        }
    }
}

/// The JSON pointer of each string below `value` that holds dropped characters, with them (each once).
/// `path` is where `value` stands; pointers are made only for the rare strings that hold any.
fn dropped_in<'a>(value: &'a Value, path: &mut Vec<Step<'a>>, found: &mut Vec<(String, Vec<char>)>) {
    match value {
        Value::String(text) if may_hold_dropped(text) => {
            let mut chars: Vec<char> = text.chars().filter(|&c| is_dropped(c)).collect();
            chars.sort_unstable();
            chars.dedup();
            if !chars.is_empty() {
                found.push((pointer(path), chars));
            }
        }
        Value::Array(items) => items.iter().enumerate().for_each(|(i, item)| {
            path.push(Step::Index(i));
            dropped_in(item, path, found);
            path.pop();
        }),
        Value::Object(map) => map.iter().for_each(|(key, item)| {
            path.push(Step::Key(key));
            dropped_in(item, path, found);
            path.pop();
        }),
        _ => {}
    }
}

/// One step from a value to one inside it.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn pointer(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
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
        let data = serde_json::json!({"title": "a\tb\nc\r", "items": [{"name": "x\u{1b}[31m\u{7}\u{8}\u{1b}"}], "a/b": "\u{202e}"});
        let mut found = Vec::new();
        dropped_in(&data, &mut Vec::new(), &mut found);
        found.sort();
        assert_eq!(
            found,
            [("/a~1b".to_string(), vec!['\u{202e}']), ("/items/0/name".into(), vec!['\u{7}', '\u{8}', '\u{1b}'])]
        );
        assert_eq!(name('\u{1b}'), "U+001B (ESC)");
        assert_eq!(name('\u{1}'), "U+0001 (a control character)");
    }
}
