//! YAML → JSON value, keeping the position of every node.
//!
//! The tree is built directly from saphyr's event parser in one pass, so that limits apply before
//! anything deep is built (a recursive tree builder overflows the stack on hostile nesting), and so
//! that duplicate keys, aliases and tags get errors written for people rather than parser jargon.
//!
//! Decisions, stated once:
//! - one YAML document per file;
//! - anchors (`&name`), aliases (`*name`) and merge keys (`<<`) are refused, each at its own
//!   position: every value of a controlled document is written where it is used, and alias bombs
//!   cannot exist;
//! - tags other than the core schema's `!!str`, `!!int`, `!!float`, `!!bool`, `!!null` are refused;
//! - scalars resolve as in YAML 1.2's core schema (`no` and `on` stay text; `1.10` is a number,
//!   which is why identifiers are strings in the schemas and their errors say "quote it").

use super::Pos;
use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as YamlSpan, Tag};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// How deep mappings and sequences may nest. Engagement documents need fewer than ten levels.
pub const MAX_DEPTH: usize = 64;

/// A parse failure, positioned, with a sentence that says what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub start: Pos,
    pub end: Pos,
    pub message: String,
    pub help: String,
}

/// Where a node sits: its value, and for a mapping entry, its key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Located {
    pub start: Pos,
    pub end: Pos,
    pub key: Option<(Pos, Pos)>,
}

/// The positions of a parsed file, shaped like its value.
#[derive(Debug, Clone)]
pub struct SpanTree {
    root: Node,
}

#[derive(Debug, Clone)]
struct Node {
    at: Located,
    children: Children,
}

#[derive(Debug, Clone)]
enum Children {
    Leaf,
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl SpanTree {
    /// The node at a JSON pointer (`/deliverables/2/owner`), or the deepest existing ancestor.
    pub fn locate(&self, pointer: &str) -> Located {
        let mut node = &self.root;
        for segment in pointer.split('/').skip(1) {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            let next = match &node.children {
                Children::Map(entries) => entries.iter().find(|(k, _)| *k == segment).map(|(_, n)| n),
                Children::Seq(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                Children::Leaf => None,
            };
            match next {
                Some(next) => node = next,
                None => break,
            }
        }
        node.at
    }

    /// The key of property `name` of the mapping at `pointer`, if it is present.
    pub fn locate_key(&self, pointer: &str, name: &str) -> Option<(Pos, Pos)> {
        let child = format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
        let located = self.locate(&child);
        let parent = self.locate(pointer);
        (located != parent).then_some(located.key).flatten()
    }
}

/// A parsed file: its value and where each part of it is.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub value: Value,
    pub spans: SpanTree,
}

/// Parses one YAML document. An empty or comment-only file is an error: it holds no document.
pub fn parse(text: &str) -> Result<Parsed, YamlError> {
    let mut builder = Builder::default();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| scan_error(text, e))?;
        builder.event(event, span)?;
    }
    builder.finish()
}

fn pos(marker: &saphyr_parser::Marker) -> Pos {
    Pos {
        line: u32::try_from(marker.line()).unwrap_or(u32::MAX),
        column: u32::try_from(marker.col() + 1).unwrap_or(u32::MAX),
    }
}

fn error(span: YamlSpan, message: impl Into<String>, help: impl Into<String>) -> YamlError {
    YamlError { start: pos(&span.start), end: pos(&span.end), message: message.into(), help: help.into() }
}

fn scan_error(text: &str, e: ScanError) -> YamlError {
    let at = pos(e.marker());
    // The scanner's words for a tab ("tabs disallowed within this context") do not say what to do.
    let line = text.lines().nth((at.line as usize).saturating_sub(1)).unwrap_or_default();
    if line.trim_start_matches(' ').starts_with('\t') {
        let start = Pos { line: at.line, column: 1 };
        return YamlError {
            start,
            end: start,
            message: "this line is indented with a tab".into(),
            help: "indent with spaces: YAML does not allow tabs for indentation".into(),
        };
    }
    YamlError {
        start: at,
        end: at,
        message: format!("this is not valid YAML: {}", e.info()),
        help: "check the indentation and quoting around this point; values containing `: ` or \
               starting with a special character (`*`, `&`, `!`, `@`, `` ` ``, `%`, `{`, `[`) need quotes"
            .into(),
    }
}

enum Frame {
    Seq {
        start: Pos,
        key: Option<(String, Located)>,
        values: Vec<Value>,
        nodes: Vec<Node>,
    },
    Map {
        start: Pos,
        key: Option<(String, Located)>,
        values: Vec<Value>,
        nodes: Vec<(String, Node)>,
        pending: Option<(String, Located)>,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<(Value, Node)>,
    documents: usize,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: YamlSpan) -> Result<(), YamlError> {
        match event {
            Event::DocumentStart(_) => self.start_document(span),
            Event::Alias(_) => Err(error(
                span,
                "aliases (`*name`) are not supported",
                "write the value out in full here: each value of a controlled document is stated where it is used",
            )),
            Event::Scalar(_, _, anchor, _) | Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _)
                if anchor != 0 =>
            {
                Err(error(
                    span,
                    "anchors (`&name`) are not supported",
                    "remove the anchor and write each value out in full where it is used",
                ))
            }
            Event::Scalar(text, style, _, tag) => self.scalar(text, style, tag.as_deref(), span),
            Event::SequenceStart(_, tag) | Event::MappingStart(_, tag) if tag.is_some() => {
                Err(unsupported_tag(tag.as_deref(), span))
            }
            Event::SequenceStart(..) => self.open(span, true),
            Event::MappingStart(..) => self.open(span, false),
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => Ok(()),
        }
    }

    fn start_document(&mut self, span: YamlSpan) -> Result<(), YamlError> {
        self.documents += 1;
        if self.documents > 1 {
            return Err(error(
                span,
                "this file holds more than one YAML document (a second `---`)",
                "put each document in a file of its own",
            ));
        }
        Ok(())
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: YamlSpan,
    ) -> Result<(), YamlError> {
        if let Some(Frame::Map { pending: pending @ None, nodes, .. }) = self.stack.last_mut() {
            let at = Located { start: pos(&span.start), end: pos(&span.end), key: None };
            if text == "<<" && style == ScalarStyle::Plain {
                return Err(error(
                    span,
                    "merge keys (`<<`) are not supported",
                    "write the fields out in full in this mapping: each value of a controlled document is stated where it is used",
                ));
            }
            if let Some((_, first)) = nodes.iter().find(|(k, _)| *k == *text) {
                let first = first.at.key.map_or(first.at.start, |k| k.0);
                return Err(error(
                    span,
                    format!("the key `{text}` appears twice in this mapping (first at line {})", first.line),
                    "remove one of the two entries, or merge them",
                ));
            }
            *pending = Some((trimmed(text), at));
            return Ok(());
        }
        let value = scalar_value(text, style, tag, span)?;
        let at = Located { start: pos(&span.start), end: pos(&span.end), key: None };
        self.attach(value, Node { at, children: Children::Leaf })
    }

    fn open(&mut self, span: YamlSpan, sequence: bool) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(error(
                span,
                format!("the data nests deeper than {MAX_DEPTH} levels"),
                "engagement documents need only a few levels: flatten this structure",
            ));
        }
        let key = match self.stack.last_mut() {
            Some(Frame::Map { pending, .. }) => match pending.take() {
                Some(key) => Some(key),
                None => {
                    return Err(error(
                        span,
                        "a mapping key must be plain text, not a list or a mapping",
                        "write the key as a simple name such as `title:`",
                    ));
                }
            },
            _ => None,
        };
        let start = pos(&span.start);
        self.stack.push(if sequence {
            Frame::Seq { start, key, values: Vec::new(), nodes: Vec::new() }
        } else {
            Frame::Map { start, key, values: Vec::new(), nodes: Vec::new(), pending: None }
        });
        Ok(())
    }

    /// Ends a collection. Its lists are trimmed to their length: a workspace holds thousands of
    /// files' trees at once, and the spare capacity of growing lists was a third of it.
    fn close(&mut self, span: YamlSpan) -> Result<(), YamlError> {
        let end = pos(&span.end);
        let (value, node, key) = match self.stack.pop() {
            Some(Frame::Seq { start, key, mut values, mut nodes }) => {
                values.shrink_to_fit();
                nodes.shrink_to_fit();
                let children = Children::Seq(nodes);
                (Value::Array(values), Node { at: Located { start, end, key: None }, children }, key)
            }
            Some(Frame::Map { start, key, values, mut nodes, .. }) => {
                let map: Map<String, Value> = nodes.iter().map(|(k, _)| k.clone()).zip(values).collect();
                nodes.shrink_to_fit();
                let children = Children::Map(nodes);
                (Value::Object(map), Node { at: Located { start, end, key: None }, children }, key)
            }
            None => return Ok(()),
        };
        // The key was taken from the parent when this collection opened; give it back.
        if let (Some(key), Some(Frame::Map { pending, .. })) = (key, self.stack.last_mut()) {
            *pending = Some(key);
        }
        self.attach(value, node)
    }

    fn attach(&mut self, value: Value, mut node: Node) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => self.root = Some((value, node)),
            Some(Frame::Seq { values, nodes, .. }) => {
                values.push(value);
                nodes.push(node);
            }
            Some(Frame::Map { values, nodes, pending, .. }) => {
                if let Some((key, key_at)) = pending.take() {
                    node.at.key = Some((key_at.start, key_at.end));
                    values.push(value);
                    nodes.push((key, node));
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Parsed, YamlError> {
        match self.root {
            Some((value, root)) => Ok(Parsed { value, spans: SpanTree { root } }),
            None => Err(YamlError {
                start: Pos::START,
                end: Pos::START,
                message: "the file is empty: it holds no YAML document".into(),
                help: "add the document's fields, starting with `kind:` (or delete the file)".into(),
            }),
        }
    }
}

fn unsupported_tag(tag: Option<&Tag>, span: YamlSpan) -> YamlError {
    // As written in the file: `!!binary`, `!local`.
    let name = match tag {
        Some(tag) if tag.is_yaml_core_schema() => format!("!!{}", tag.suffix),
        Some(tag) if tag.handle == "!" => format!("!{}", tag.suffix),
        Some(tag) => format!("{}{}", tag.handle, tag.suffix),
        None => String::new(),
    };
    error(
        span,
        format!("the tag `{name}` is not supported"),
        "remove the tag; write text in quotes if it must not be read as a number or a date",
    )
}

fn scalar_value(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>, span: YamlSpan) -> Result<Value, YamlError> {
    const CORE: [&str; 5] = ["str", "int", "float", "bool", "null"];
    if let Some(tag) = tag.filter(|t| !(t.is_yaml_core_schema() && CORE.contains(&t.suffix.as_str()))) {
        return Err(unsupported_tag(Some(tag), span));
    }
    let tag = tag.map(|t| Cow::Owned(t.clone()));
    let Some(scalar) = Scalar::parse_from_cow_and_metadata(text.clone(), style, tag.as_ref()) else {
        return Err(error(span, format!("`{text}` does not match its tag"), "remove the tag or correct the value"));
    };
    Ok(match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(b),
        Scalar::Integer(i) => Value::from(i),
        Scalar::FloatingPoint(f) => match Number::from_f64(f.into_inner()) {
            Some(n) => Value::Number(n),
            None => Value::String(trimmed(text)),
        },
        Scalar::String(s) => Value::String(trimmed(s)),
    })
}

/// Text kept in the tree, without the spare capacity the scanner grew it with.
fn trimmed(text: Cow<'_, str>) -> String {
    let mut text = text.into_owned();
    text.shrink_to_fit();
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(text: &str) -> YamlError {
        parse(text).expect_err("should fail")
    }

    #[test]
    fn values_and_positions() {
        let parsed = parse("kind: Proposal\nitems:\n  - id: D1\n    due: 2026-03-01\n  - id: D2\n").unwrap();
        assert_eq!(
            parsed.value,
            json!({"kind": "Proposal", "items": [{"id": "D1", "due": "2026-03-01"}, {"id": "D2"}]})
        );
        let due = parsed.spans.locate("/items/0/due");
        assert_eq!((due.start, due.key.unwrap().0), (Pos { line: 4, column: 10 }, Pos { line: 4, column: 5 }));
        assert_eq!(parsed.spans.locate("/items/1/id").start, Pos { line: 5, column: 9 });
        assert_eq!(parsed.spans.locate_key("", "items").unwrap().0, Pos { line: 2, column: 1 });
        assert_eq!(parsed.spans.locate_key("", "missing"), None);
        // A pointer past the data stops at the deepest existing node.
        assert_eq!(parsed.spans.locate("/items/1/owner").start, Pos { line: 5, column: 5 });
    }

    #[test]
    fn core_schema_scalars() {
        let parsed = parse("a: no\nb: 1.10\nc: '1.10'\nd: ~\ne: true\nf: !!str 12\ng: 0x1F\n").unwrap();
        assert_eq!(parsed.value, json!({"a": "no", "b": 1.1, "c": "1.10", "d": null, "e": true, "f": "12", "g": 31}));
    }

    #[test]
    fn duplicate_keys_name_both_lines() {
        let e = err("id: A-1\ntitle: x\nid: A-2\n");
        assert_eq!(e.start, Pos { line: 3, column: 1 });
        assert!(e.message.contains("`id` appears twice") && e.message.contains("line 1"), "{}", e.message);
    }

    #[test]
    fn refusals() {
        assert!(err("a: &x 1\nb: *x\n").message.contains("anchors"));
        // An alias always follows its anchor, so the anchor is what is refused; one without is
        // the parser's error.
        assert!(err("a: *x\n").message.contains("unknown anchor"), "{}", err("a: *x\n").message);
        assert!(err("<<: {a: 1}\n").message.contains("merge keys"));
        assert_eq!(parse("'<<': 1\n").unwrap().value, json!({"<<": 1}));
        assert!(err("a: !!binary aGVsbG8=\n").message.contains("tag"));
        assert!(err("a: 1\n---\nb: 2\n").message.contains("more than one"));
        assert!(err("# only a comment\n").message.contains("empty"));
        assert!(err("").message.contains("empty"));
        assert!(err("a: [1, 2\n").message.contains("not valid YAML"));
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let block: String = (0..100_000).map(|depth| format!("{}- x:\n", "  ".repeat(depth % 2000))).collect();
        let e = err(&block);
        assert!(e.message.contains("deeper than 64"), "{}", e.message);
        let e = err(&"- ".repeat(100_000));
        assert!(e.message.contains("deeper than 64"), "{}", e.message);
        assert_eq!(e.start, Pos { line: 1, column: 129 });
        // The scanner has a flow-nesting limit of its own.
        assert!(err(&"[".repeat(100_000)).message.contains("not valid YAML"));
    }
}
