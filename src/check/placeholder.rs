//! Placeholders a writer leaves in text to fill in later, found the way a reviewer reads for them.
//!
//! One pass over the characters of a text, no regular expressions: `check` runs it on every string
//! of every document. What counts, chosen so that ordinary prose is never flagged:
//!
//! - the words `TBD`, `TBC` and `TBA` in any case, `TODO` and `FIXME` in capitals (`todo` is a word
//!   in Spanish and Portuguese), `lorem` (as in *lorem ipsum*), and a word of three or more `x`s
//!   (`XXX`, `£XX,XXX`). Only whole words: `outbid`, `Xxxl`, `TBDs` or `ATBC` are not placeholders;
//! - *to be determined* and *to be confirmed* when they end the text or a clause (`Start date: to be
//!   confirmed.`), not inside a sentence that goes on (`to be confirmed by the client in writing`
//!   describes a procedure);
//! - a name in brackets: `[date of award]`, `<client name>`, `{client_name}`, `{{ client }}`, `[●]`,
//!   `[...]`. The brackets hold at most 60 characters of words (two letters at least, or only
//!   `●`, `•`, `…`, `.` or `_`), with no digits-only content (`[1]`), no URL or e-mail (`:` and `@`
//!   are not allowed inside), no comparison (`< 4 hours`, `<4h`: an angle bracket must be followed
//!   by a letter), no Markdown link (`[text](url)`) and not `[sic]`;
//! - a blank to fill in: three or more underscores (`Signed: ______`).

use std::ops::Range;

/// A placeholder: where it is in the text (byte offsets) and how it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub range: Range<usize>,
}

impl Placeholder {
    /// The placeholder as written.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.range.clone()]
    }
}

/// Every placeholder in `text`, in order.
pub fn find(text: &str) -> Vec<Placeholder> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    // Where the last bracket placeholder ended: nothing inside it is reported again.
    let mut covered = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (c, len) = char_at(text, i);
        if c.is_alphanumeric() {
            let start = i;
            i += len;
            while i < bytes.len() {
                let (c, len) = char_at(text, i);
                if !c.is_alphanumeric() {
                    break;
                }
                i += len;
            }
            // Only words starting with these letters can be placeholders (or start a phrase).
            if start >= covered && b"tTxXlLF".contains(&bytes[start]) {
                found.extend(word(text, start..i));
            }
            continue;
        }
        let hit = match c {
            '[' | '<' | '{' if i >= covered => bracketed(text, i),
            '_' if i >= covered => blank(text, i),
            _ => None,
        };
        if let Some(hit) = hit {
            covered = hit.end;
            found.push(Placeholder { range: hit });
        }
        i += len;
    }
    found
}

/// The character at byte offset `i` (a character boundary) and its length, ASCII without decoding.
fn char_at(text: &str, i: usize) -> (char, usize) {
    match text.as_bytes()[i] {
        byte if byte.is_ascii() => (char::from(byte), 1),
        _ => text[i..].chars().next().map_or((' ', 1), |c| (c, c.len_utf8())),
    }
}

/// A whole word that is a placeholder, or the phrase it starts.
fn word(text: &str, range: Range<usize>) -> Option<Placeholder> {
    let w = &text[range.clone()];
    let placeholder = ["tbd", "tbc", "tba", "lorem"].iter().any(|p| w.eq_ignore_ascii_case(p))
        || w == "TODO"
        || w == "FIXME"
        || (w.len() >= 3 && w.chars().all(|c| c == 'x' || c == 'X'));
    if placeholder {
        return Some(Placeholder { range });
    }
    if w.eq_ignore_ascii_case("to") {
        return phrase(text, range.start);
    }
    None
}

/// *to be determined* or *to be confirmed*, whitespace between the words of any kind and length,
/// ending the text or followed by punctuation that ends a clause.
fn phrase(text: &str, start: usize) -> Option<Placeholder> {
    let mut at = start;
    for (n, expected) in ["to", "be", ""].into_iter().enumerate() {
        let rest = &text[at..];
        let len = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        let w = &rest[..len];
        let matches = match n {
            2 => w.eq_ignore_ascii_case("determined") || w.eq_ignore_ascii_case("confirmed"),
            _ => w.eq_ignore_ascii_case(expected),
        };
        if !matches {
            return None;
        }
        at += len;
        if n < 2 {
            let spaces = text[at..].find(|c: char| !c.is_whitespace()).unwrap_or(text.len() - at);
            if spaces == 0 {
                return None;
            }
            at += spaces;
        }
    }
    let next = text[at..].chars().next();
    next.is_none_or(|c| matches!(c, '.' | ',' | ';' | ':' | ')' | ']' | '!' | '?' | '\n'))
        .then_some(Placeholder { range: start..at })
}

/// The bracketed placeholder opening at `open`, as a range of `text`.
fn bracketed(text: &str, open: usize) -> Option<Range<usize>> {
    let opener = text[open..].chars().next()?;
    let closer = match opener {
        '[' => ']',
        '<' => '>',
        _ => '}',
    };
    let inner_start = open + 1;
    let rest = &text[inner_start..];
    let len = rest.find(closer)?;
    let inner = &rest[..len];
    let after = inner_start + len + 1;
    let allowed = |c: char| c.is_alphanumeric() || " _-'’./&,●•…".contains(c);
    if inner.is_empty() || inner.chars().count() > 60 || !inner.chars().all(allowed) {
        return None;
    }
    if opener == '<' && !inner.starts_with(char::is_alphabetic) {
        return None;
    }
    if (opener == '[' && text[after..].starts_with('(')) || inner.trim().eq_ignore_ascii_case("sic") {
        return None;
    }
    let letters = inner.chars().filter(|c| c.is_alphabetic()).count();
    let symbols = inner.chars().filter(|c| "●•…._".contains(*c)).count();
    let only_symbols = letters == 0 && symbols > 0 && inner.chars().all(|c| c == ' ' || "●•…._".contains(c));
    if letters < 2 && !only_symbols {
        return None;
    }
    // `{{ name }}` and `[[name]]`: the doubled brackets belong to the placeholder.
    let doubled = text[..open].ends_with(opener) && text[after..].starts_with(closer);
    Some(if doubled { open - opener.len_utf8()..after + closer.len_utf8() } else { open..after })
}

/// Three or more underscores.
fn blank(text: &str, start: usize) -> Option<Range<usize>> {
    if text[..start].ends_with('_') {
        return None;
    }
    let len = text[start..].find(|c: char| c != '_').unwrap_or(text.len() - start);
    (len >= 3).then_some(start..start + len)
}

#[cfg(test)]
mod tests {
    use super::find;

    fn found(text: &str) -> Vec<&str> {
        find(text).iter().map(|p| p.text(text)).collect()
    }

    #[test]
    fn placeholders_a_reviewer_looks_for() {
        assert_eq!(found("TBD"), ["TBD"]);
        assert_eq!(found("Start: tbd; end (TBC), venue TBA."), ["tbd", "TBC", "TBA"]);
        assert_eq!(found("TODO: add the rates. FIXME"), ["TODO", "FIXME"]);
        assert_eq!(found("Lorem ipsum dolor sit amet"), ["Lorem"]);
        assert_eq!(found("Fee £XX,XXX; ref xxx-1; XXXX"), ["XXX", "xxx", "XXXX"]);
        assert_eq!(found("To Be Determined"), ["To Be Determined"]);
        assert_eq!(found("Venue: to be\n  confirmed."), ["to be\n  confirmed"]);
        assert_eq!(found("Due within 30 days of [date of award]."), ["[date of award]"]);
        assert_eq!(found("Dear <client name>,"), ["<client name>"]);
        assert_eq!(found("Hello {{ client }} and {client_name}"), ["{{ client }}", "{client_name}"]);
        assert_eq!(found("The fee is £[●] and [...] and [ … ]"), ["[●]", "[...]", "[ … ]"]);
        assert_eq!(found("Signed: ________ Date: ___"), ["________", "___"]);
        assert_eq!(found("[Insert TBD here]"), ["[Insert TBD here]"], "one finding for a bracket");
        assert_eq!(found("Zoë [Nom du client] Œuvre"), ["[Nom du client]"]);
    }

    #[test]
    fn ordinary_text_is_not_a_placeholder() {
        for text in [
            "We outbid them; the XXL size; Xxxl; the TBDs were cleared; ATBC",
            "todo el equipo; a to-do list; the Todo app",
            "Acceptance is to be confirmed by the client in writing within 5 days",
            "Scope to be determined during discovery with the client",
            "See [1] and [2]; tick [x] or [ ]; he said [sic] it",
            "Response < 4 hours and > 1 hour; uptime <99.9% or <4h and >1h",
            "Mail <helen.ashworth@northwind.example> or <https://example.com/a>",
            "A [link](https://example.com) in Markdown",
            "snake_case and __init__ and a_b_c",
            "A → B <- C -> D; {} and [] and <>",
            "Chapter XX; 20XX; Section X",
        ] {
            assert_eq!(found(text), Vec::<&str>::new(), "{text}");
        }
    }
}
