//! Where a part of a text value is written in its file.
//!
//! A value and the source it was read from differ: quotes, escapes (`\"`, `\x41`), doubled single
//! quotes (`''`), a block scalar's header (`|-`) and indentation, and line folding (a line break
//! read as a space). [`locate`] walks the value's characters alongside the source's from where the
//! parser says the scalar starts, skipping what is not content, then checks that the source at the
//! place found spells the part it was asked for. Exact for plain, single-quoted and block scalars
//! and for double-quoted ones whose part has no escape in it; `None` when the source cannot be
//! matched to the value for sure (an escape inside the part), and the caller then points at the
//! value's start instead.

use super::{Pos, SourceFile};
use std::ops::Range;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Block,
}

/// Where `part` (byte offsets into `value`) is written, for the scalar written from `start` to
/// `end` of `file`: the position of its first character and the one after its last.
pub fn locate(file: &SourceFile, start: Pos, end: Pos, value: &str, part: Range<usize>) -> Option<(Pos, Pos)> {
    let from = file.offset(start);
    let to = Some(file.offset(end)).filter(|to| *to > from).unwrap_or(file.text.len());
    let raw = &file.text[from..to];
    let style = match raw.chars().next()? {
        '"' => Style::DoubleQuoted,
        '\'' => Style::SingleQuoted,
        '|' | '>' => Style::Block,
        _ => Style::Plain,
    };
    // A block scalar's content starts on the line after its header (which may hold a comment).
    let mut cursor = match style {
        Style::Block => raw.find('\n')? + 1,
        Style::SingleQuoted | Style::DoubleQuoted => 1,
        Style::Plain => 0,
    };
    let mut first = None;
    for (i, c) in value.char_indices().take_while(|(i, _)| *i < part.end) {
        let (at, next) = next_match(raw, cursor, c, style)?;
        if i == part.start {
            first = Some(at);
        }
        cursor = next;
    }
    let first = first?;
    let written = &raw[first..cursor];
    let spelt = match style {
        Style::DoubleQuoted if written.contains('\\') => return None,
        Style::SingleQuoted => same_words(&written.replace("''", "'"), &value[part]),
        _ => same_words(written, &value[part]),
    };
    spelt.then(|| (file.position(from + first), file.position(from + cursor)))
}

/// Where the source from `cursor` on writes the value character `c`: its byte range in `raw`.
fn next_match(raw: &str, cursor: usize, c: char, style: Style) -> Option<(usize, usize)> {
    let mut at = cursor;
    while let Some(r) = raw[at..].chars().next() {
        if style == Style::DoubleQuoted && r == '\\' {
            let (produced, len) = escape(&raw[at..]);
            if produced == Some(c) {
                return Some((at, at + len));
            }
            at += len;
            continue;
        }
        if style == Style::SingleQuoted && c == '\'' && raw[at..].starts_with("''") {
            return Some((at, at + 2));
        }
        if r == c || (c.is_whitespace() && r.is_whitespace()) {
            return Some((at, at + r.len_utf8()));
        }
        at += r.len_utf8();
    }
    None
}

/// The character a double-quoted escape sequence (starting with `\`) stands for, if any, and its
/// length in bytes. An escaped line break stands for nothing.
fn escape(sequence: &str) -> (Option<char>, usize) {
    let Some(kind) = sequence[1..].chars().next() else { return (None, 1) };
    let hex = |digits: usize| {
        let code = sequence.get(2..2 + digits)?;
        char::from_u32(u32::from_str_radix(code, 16).ok()?)
    };
    let produced = match kind {
        'x' => return (hex(2), 4),
        'u' => return (hex(4), 6),
        'U' => return (hex(8), 10),
        '\n' | '\r' => return (None, 2),
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        't' => '\t',
        'n' => '\n',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'r' => '\r',
        'e' => '\u{1b}',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        other => other,
    };
    (Some(produced), 1 + kind.len_utf8())
}

/// The same characters, any run of whitespace counting as one space (folding and indentation).
fn same_words(written: &str, value: &str) -> bool {
    fn words(text: &str) -> impl Iterator<Item = char> + '_ {
        let mut previous_space = false;
        text.chars().filter_map(move |c| {
            let space = c.is_whitespace();
            let keep = !(space && previous_space);
            previous_space = space;
            keep.then_some(if space { ' ' } else { c })
        })
    }
    words(written).eq(words(value))
}

#[cfg(test)]
mod tests {
    use super::super::Sources;
    use crate::source::yaml::parse;

    /// Where `part` of the value at `pointer` is, as `line:column-line:column`.
    fn at(text: &str, pointer: &str, part: &str) -> Option<String> {
        let parsed = parse(text).unwrap();
        let value = parsed.value.pointer(pointer).unwrap().as_str().unwrap();
        let start = value.find(part).unwrap();
        let node = parsed.spans.locate(pointer);
        let mut sources = Sources::default();
        let file = sources.add("a.yaml".into(), text.into());
        let (from, to) = super::locate(sources.get(file), node.start, node.end, value, start..start + part.len())?;
        Some(format!("{from}-{to}"))
    }

    #[test]
    fn plain_and_quoted() {
        assert_eq!(at("a: Scope TBD\n", "/a", "TBD").unwrap(), "1:10-1:13");
        assert_eq!(at("a: Zoë's scope TBD\n", "/a", "TBD").unwrap(), "1:16-1:19", "columns count characters");
        assert_eq!(at("a: 'it''s TBD'\n", "/a", "TBD").unwrap(), "1:11-1:14");
        assert_eq!(at("a: 'it''s [client''s name]'\n", "/a", "[client's name]").unwrap(), "1:11-1:27");
        assert_eq!(at("a: \"say \\\"TBD\\\" \\u00e9 TBC\"\n", "/a", "TBD").unwrap(), "1:11-1:14");
        assert_eq!(at("a: \"say \\\"TBD\\\" \\u00e9 TBC\"\n", "/a", "TBC").unwrap(), "1:24-1:27");
        assert_eq!(at("a: \"T\\x42D\"\n", "/a", "TBD"), None, "an escape inside the part");
    }

    #[test]
    fn folded_lines() {
        let plain = "list:\n  - Scope to be\n    confirmed. Dates\n      TBD\n";
        assert_eq!(at(plain, "/list/0", "TBD").unwrap(), "4:7-4:10");
        assert_eq!(at(plain, "/list/0", "to be confirmed").unwrap(), "2:11-3:14");
        let quoted = "a: \"one\n\n   two TBD\"\n";
        assert_eq!(at(quoted, "/a", "TBD").unwrap(), "3:8-3:11");
        let escaped_break = "a: \"one \\\n   TBD\"\n";
        assert_eq!(at(escaped_break, "/a", "TBD").unwrap(), "2:4-2:7");
    }

    #[test]
    fn block_scalars() {
        let literal = "a: |  # TBD in a comment\n  First line\n\n    indented TBD\nb: x\n";
        assert_eq!(at(literal, "/a", "TBD").unwrap(), "4:14-4:17");
        let folded = "a: >-\n  One\n  two [date of\n  award]\n";
        assert_eq!(at(folded, "/a", "[date of award]").unwrap(), "3:7-4:9");
        let indicator = "a: |2\n    TBD\n";
        assert_eq!(at(indicator, "/a", "TBD").unwrap(), "2:5-2:8");
    }
}
