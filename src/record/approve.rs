//! Recording an approval in a data file: one entry appended at the end of its `approvals:` list,
//! the rest of the text (comments, layout, quoting) left exactly as it was.

use super::Digest;
use crate::source::Pos;
use crate::source::yaml::{self, Parsed};
use serde_json::{Value, json};

/// An approval to record, bound to the content it approves.
#[derive(Debug, Clone)]
pub struct NewApproval {
    pub role: String,
    pub name: String,
    pub date: String,
    pub decision: String,
    pub comment: Option<String>,
    pub content: Digest,
    /// What a signed decision means ("approved for issue").
    pub meaning: Option<String>,
    /// A signed decision: when it was signed (UTC) and the armored signature.
    pub signed: Option<(String, String)>,
}

impl NewApproval {
    /// The entry as data, in the order it is written.
    pub fn value(&self) -> Value {
        let mut entry = json!({"role": self.role, "name": self.name, "date": self.date, "decision": self.decision});
        if let Some(meaning) = &self.meaning {
            entry["meaning"] = json!(meaning);
        }
        if let Some(comment) = &self.comment {
            entry["comment"] = json!(comment);
        }
        entry["content_hash"] = json!(self.content.prefixed());
        if let Some((at, signature)) = &self.signed {
            entry["signed_at"] = json!(at);
            entry["signature"] = json!(signature);
        }
        entry
    }

    fn fields(&self) -> Vec<(&'static str, String)> {
        let Value::Object(map) = self.value() else { unreachable!("an approval is an object") };
        let order =
            ["role", "name", "date", "decision", "meaning", "comment", "content_hash", "signed_at", "signature"];
        order.iter().filter_map(|k| Some((*k, map.get(*k)?.as_str()?.to_string()))).collect()
    }

    /// Block-style lines: `{first}role: …` then `{rest}name: …` ….
    fn block(&self, first: &str, rest: &str) -> String {
        let mut out = String::new();
        for (i, (key, value)) in self.fields().into_iter().enumerate() {
            out.push_str(if i == 0 { first } else { rest });
            match literal(&value, &format!("{rest}  ")) {
                Some(block) => out.push_str(&format!("{key}: |\n{block}")),
                None => out.push_str(&format!("{key}: {}\n", scalar(&value))),
            }
        }
        out
    }

    /// A flow mapping: `{role: "…", …}`.
    fn flow(&self) -> String {
        let fields: Vec<String> =
            self.fields().into_iter().map(|(k, v)| format!("{k}: {}", Value::String(v))).collect();
        format!("{{{}}}", fields.join(", "))
    }
}

/// `text` with `approval` appended to its top-level `approvals:` list; the edit is re-read and
/// refused unless the only change in the data is the new entry.
pub fn append(text: &str, approval: &NewApproval) -> Result<String, String> {
    let parsed = yaml::parse(text).map_err(|e| e.message)?;
    let edited = match parsed.value.get("approvals") {
        None => append_key(text, approval),
        Some(Value::Array(items)) if items.is_empty() || is_flow(text, &parsed) => flow_list(text, &parsed, approval),
        Some(Value::Array(items)) => after_last_item(text, &parsed, items.len(), approval)?,
        Some(_) => return Err("`approvals:` is not a list".into()),
    };
    let mut expected = parsed.value.clone();
    let list = expected.as_object_mut().expect("a document is a mapping").entry("approvals").or_insert(json!([]));
    list.as_array_mut().expect("checked above").push(approval.value());
    let reread = yaml::parse(&edited).map_err(|e| format!("the edited file does not parse: {}", e.message))?;
    if reread.value != expected {
        return Err("the edited file does not hold exactly the new approval more".into());
    }
    Ok(edited)
}

/// No `approvals:` yet: a new list at the end of the file.
fn append_key(text: &str, approval: &NewApproval) -> String {
    let separator = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
    format!("{text}{separator}approvals:\n{}", approval.block("  - ", "    "))
}

fn is_flow(text: &str, parsed: &Parsed) -> bool {
    text[offset(text, parsed.spans.locate("/approvals").start)..].starts_with('[')
}

/// `approvals: []` becomes a block list on the following lines (a comment after `[]` stays);
/// `approvals: [{…}]` gets one more flow mapping before its `]`.
fn flow_list(text: &str, parsed: &Parsed, approval: &NewApproval) -> String {
    let located = parsed.spans.locate("/approvals");
    let (start, end) = (offset(text, located.start), offset(text, located.end));
    let list = &text[start..end];
    let close = start + list.rfind(']').unwrap_or(list.len());
    let inner = text[start + 1..close].trim();
    if !inner.is_empty() {
        let separator = if inner.ends_with(',') { " " } else { ", " };
        let before = text[..close].trim_end();
        return format!("{before}{separator}{}{}", approval.flow(), &text[close..]);
    }
    let key_column = located.key.map_or(1, |(k, _)| k.column) as usize;
    let indent = " ".repeat(key_column - 1 + 2);
    let line_end = text[close..].find('\n').map_or(text.len(), |n| close + n);
    let rest_of_line = text[close + 1..line_end].to_string();
    let head = text[..start].trim_end_matches(' ');
    let block = approval.block(&format!("{indent}- "), &format!("{indent}  "));
    let tail = text.get(line_end + 1..).unwrap_or_default();
    format!("{head}{rest_of_line}\n{block}{tail}")
}

/// A block list: the new entry goes after the last line of the last item, with the item's
/// own `- ` prefix and indentation.
fn after_last_item(text: &str, parsed: &Parsed, count: usize, approval: &NewApproval) -> Result<String, String> {
    let pointer = format!("/approvals/{}", count - 1);
    let item = parsed.spans.locate(&pointer);
    let line = line_of(text, item.start);
    let prefix: String = line.chars().take(item.start.column as usize - 1).collect();
    if !prefix.trim_start().starts_with('-') {
        return Err("cannot tell the layout of the approvals list".into());
    }
    let rest = " ".repeat(prefix.chars().count());
    let value = parsed.value.pointer(&pointer).expect("the item exists");
    let mut last_line = last_line(parsed, &pointer, value).max(item.start.line);
    while last_line > item.start.line && line_of(text, Pos { line: last_line, column: 1 }).trim().is_empty() {
        last_line -= 1; // a block scalar's span takes in the blank lines after it
    }
    let insert_at = line_end(text, last_line);
    let newline = if insert_at > 0 && !text[..insert_at].ends_with('\n') { "\n" } else { "" };
    Ok(format!("{}{newline}{}{}", &text[..insert_at], approval.block(&prefix, &rest), &text[insert_at..]))
}

/// The last line holding part of the value at `pointer`: the latest end of its leaves (an end at
/// the start of a line belongs to the line before).
fn last_line(parsed: &Parsed, pointer: &str, value: &Value) -> u32 {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (format!("{pointer}/{}", escape_pointer(k)), v)).collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (format!("{pointer}/{i}"), v)).collect(),
        _ => {
            let end = parsed.spans.locate(pointer).end;
            return if end.column == 1 { end.line.saturating_sub(1) } else { end.line };
        }
    };
    children.iter().map(|(p, v)| last_line(parsed, p, v)).max().unwrap_or(0)
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Byte offset just after the line break ending 1-based `line` (or the end of the text).
fn line_end(text: &str, line: u32) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        offset += l.len();
        if i + 1 == line as usize {
            return offset;
        }
    }
    text.len()
}

fn line_of(text: &str, pos: Pos) -> &str {
    text.lines().nth(pos.line as usize - 1).unwrap_or_default()
}

/// Byte offset of a position (columns count characters).
fn offset(text: &str, pos: Pos) -> usize {
    let start = line_end(text, pos.line - 1).min(text.len());
    let start = if pos.line <= 1 { 0 } else { start };
    let line = &text[start..];
    start + line.char_indices().nth(pos.column as usize - 1).map_or(line.len(), |(i, _)| i)
}

/// A multi-line value ending with one line break (a signature) as the lines of a literal block
/// scalar indented by `indent`; `None` for any other value.
fn literal(value: &str, indent: &str) -> Option<String> {
    let body = value.strip_suffix('\n').filter(|b| b.contains('\n') && !b.ends_with('\n'))?;
    let plain = body.lines().all(|l| !l.is_empty() && !l.starts_with(' ') && !l.chars().any(char::is_control));
    plain.then(|| body.lines().map(|l| format!("{indent}{l}\n")).collect())
}

/// A value as a YAML scalar: plain when it reads back as the same text, else double-quoted.
fn scalar(value: &str) -> String {
    let plain = value.chars().next().is_some_and(char::is_alphanumeric)
        && value.trim() == value
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !value.chars().any(|c| c.is_control() || "{}[]\"'`|>&*!%@?".contains(c))
        && reads_as_text(value);
    if plain { value.to_string() } else { Value::String(value.to_string()).to_string() }
}

fn reads_as_text(value: &str) -> bool {
    matches!(yaml::parse(&format!("v: {value}")).map(|p| p.value), Ok(v) if v["v"] == Value::String(value.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approval() -> NewApproval {
        NewApproval {
            role: "Director".into(),
            name: "Eleanor Marsh".into(),
            date: "2026-05-01".into(),
            decision: "approved".into(),
            comment: None,
            content: Digest::of(b"x"),
            meaning: None,
            signed: None,
        }
    }

    fn hash() -> String {
        Digest::of(b"x").prefixed()
    }

    #[test]
    fn appends_after_the_last_block_item_keeping_comments() {
        let text = "kind: Proposal\napprovals:\n  # first\n  - role: A\n    name: B  # note\n    comment: >-\n      long\n      text\n\n# after\nother: 1\n";
        let edited = append(text, &approval()).unwrap();
        let expected = format!(
            "kind: Proposal\napprovals:\n  # first\n  - role: A\n    name: B  # note\n    comment: >-\n      long\n      text\n  - role: Director\n    name: Eleanor Marsh\n    date: 2026-05-01\n    decision: approved\n    content_hash: {}\n\n# after\nother: 1\n",
            hash()
        );
        assert_eq!(edited, expected);
    }

    #[test]
    fn empty_flow_list_becomes_a_block_list() {
        let text = "kind: Proposal\napprovals: [] # none yet\nother: 1\n";
        let edited = append(text, &approval()).unwrap();
        assert_eq!(
            edited,
            format!(
                "kind: Proposal\napprovals: # none yet\n  - role: Director\n    name: Eleanor Marsh\n    date: 2026-05-01\n    decision: approved\n    content_hash: {}\nother: 1\n",
                hash()
            )
        );
    }

    #[test]
    fn flow_list_gets_one_more_mapping() {
        let text = "approvals: [{role: A, name: B, decision: pending}]\n";
        let edited = append(text, &approval()).unwrap();
        assert!(
            edited.starts_with("approvals: [{role: A, name: B, decision: pending}, {role: \"Director\""),
            "{edited}"
        );
    }

    #[test]
    fn missing_list_is_added_at_the_end() {
        let edited = append("kind: Proposal\nid: P-1", &approval()).unwrap();
        assert!(edited.starts_with("kind: Proposal\nid: P-1\napprovals:\n  - role: Director\n"), "{edited}");
    }

    #[test]
    fn a_signature_is_a_literal_block() {
        let signed = NewApproval {
            meaning: Some("approved for issue".into()),
            signed: Some((
                "2026-05-01T09:30:00Z".into(),
                "-----BEGIN SSH SIGNATURE-----\nAbC=\n-----END SSH SIGNATURE-----\n".into(),
            )),
            ..approval()
        };
        let edited = append("approvals:\n  - role: A\n    name: B\n", &signed).unwrap();
        let expected = format!(
            "approvals:\n  - role: A\n    name: B\n  - role: Director\n    name: Eleanor Marsh\n    date: 2026-05-01\n    decision: approved\n    meaning: approved for issue\n    content_hash: {}\n    signed_at: 2026-05-01T09:30:00Z\n    signature: |\n      -----BEGIN SSH SIGNATURE-----\n      AbC=\n      -----END SSH SIGNATURE-----\n",
            hash()
        );
        assert_eq!(edited, expected);
    }

    #[test]
    fn awkward_text_is_quoted() {
        for (value, written) in [
            ("Eleanor Marsh", "Eleanor Marsh"),
            ("O'Brien & Sons", "\"O'Brien & Sons\""),
            ("yes: no", "\"yes: no\""),
            ("true", "\"true\""),
            ("1.10", "\"1.10\""),
            ("- dash", "\"- dash\""),
            ("a # b", "\"a # b\""),
            ("Zoë Ünal", "Zoë Ünal"),
        ] {
            assert_eq!(scalar(value), written, "{value}");
        }
        let odd = NewApproval { name: "#1 \"Boss\"\nnext".into(), ..approval() };
        let edited = append("approvals:\n  - role: A\n    name: B\n", &odd).unwrap();
        assert!(edited.contains("name: \"#1 \\\"Boss\\\"\\nnext\"\n"), "{edited}");
    }
}
