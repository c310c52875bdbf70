//! The plain text of the register's entries and of signed statements: one `key: value` line per
//! fact, each value escaped to one line, so that a reader (and `ssh-keygen -Y verify`) sees exactly
//! the bytes that were hashed or signed. Both [`crate::record`] and [`crate::sign`] write it.

/// A value on one line: `\\`, `\n` and `\r` escaped.
pub fn escape(value: &str) -> String {
    escape_in(value, false)
}

/// A value on one line that is also one field of a ` | `-separated list (`|` escaped too).
pub fn escape_field(value: &str) -> String {
    escape_in(value, true)
}

fn escape_in(value: &str, in_list: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '|' if in_list => out.push_str("\\|"),
            c => out.push(c),
        }
    }
    out
}

/// The value of an [`escape`]d line; `None` on a dangling or unknown escape.
pub fn unescape(value: &str) -> Option<String> {
    split_unescaped(value, false).and_then(|mut f| f.pop())
}

/// The fields of a list of [`escape_field`]s; `None` on a dangling or unknown escape.
pub fn split_fields(value: &str) -> Option<Vec<String>> {
    split_unescaped(value, true)
}

/// Resolves escapes and, when `split`, splits at unescaped ` | `.
fn split_unescaped(value: &str, split: bool) -> Option<Vec<String>> {
    let mut fields = vec![String::new()];
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        let field = fields.last_mut().expect("one field at least");
        match c {
            '\\' => field.push(match chars.next()? {
                '\\' => '\\',
                'n' => '\n',
                'r' => '\r',
                '|' => '|',
                _ => return None,
            }),
            '|' if split => {
                field.pop().filter(|c| *c == ' ')?;
                chars.next().filter(|c| *c == ' ')?;
                fields.push(String::new());
            }
            c => field.push(c),
        }
    }
    Some(fields)
}
