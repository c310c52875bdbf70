//! User text is data: hostile strings in every free-text field of every sample document leave the
//! Markdown structure and the HTML intact, and come out as the text that was typed.

use crate::build::{fold, html_text, markdown_text};
use crate::support::Engage;
use pulldown_cmark::{Event, Parser};
use serde_json::Value;

const HOSTILE: [&str; 24] = [
    "Smith | Sons *Ltd* # 1",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- hidden -->",
    "# Not a heading",
    "- not a list",
    "1. not a list",
    "> not a quote",
    "---",
    "[link](javascript:alert(1))",
    "![image](https://tracker.example/p.png)",
    "`code` and ``more``",
    "**bold** _italic_ ~~struck~~",
    "&amp; &copy; &#x41;",
    "C:\\new\\table\\u{41}",
    "line one\nline two\n\nnew paragraph",
    "| a | b |\n|---|---|",
    "{{ doc.id }} {% if true %}x{% endif %}",
    "#read(\"/etc/passwd\")",
    "#set page(width: 1pt)",
    "$x^2$ @ref <label> ]",
    "::error::fake annotation",
    "trailing backslash \\",
    "* * *",
];

/// The structure of a Markdown text: every event but the text itself.
pub fn structure(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, engage::render::markdown_options())
        .filter(|e| !matches!(e, Event::Text(_) | Event::Code(_)))
        .map(|e| format!("{e:?}"))
        .collect()
}

/// Replaces every string leaf but `kind` and `id` with `text(pointer, old text)`.
fn poison(value: &mut Value, pointer: &str, text: &mut dyn FnMut(&str, &str) -> String) {
    match value {
        Value::Object(map) => map.iter_mut().for_each(|(k, v)| poison(v, &format!("{pointer}/{k}"), text)),
        Value::Array(items) => {
            items.iter_mut().enumerate().for_each(|(i, v)| poison(v, &format!("{pointer}/{i}"), text))
        }
        Value::String(old) if pointer != "/kind" && pointer != "/id" => *old = text(pointer, old),
        _ => {}
    }
}

fn pointer_of(field: &str) -> String {
    format!("/{}", field.replace('[', "/").replace(']', "").replace('.', "/"))
}

/// One sample data file: its value as shipped and as poisoned.
pub struct Poisoned {
    pub file: String,
    pub original: Value,
    pub value: Value,
}

/// A copy of the samples with `text(pointer, old)` in every free-text field of every document:
/// fields with a fixed form (codes, dates, e-mail addresses, references) reject hostile text, so
/// they get their original value back. The workspace is valid.
pub fn poisoned_samples(mut text: impl FnMut(&str, &str) -> String) -> (Engage, Vec<Poisoned>) {
    let engage = Engage::samples();
    let mut poisoned: Vec<Poisoned> = crate::build::sample_documents()
        .into_iter()
        .map(|(file, original)| {
            let mut value = original.clone();
            poison(&mut value, "", &mut text);
            Poisoned { file, original, value }
        })
        .collect();
    for _ in 0..5 {
        for doc in &poisoned {
            engage.write(&doc.file, &serde_json::to_string_pretty(&doc.value).unwrap());
        }
        let run = engage.run(&["validate", "--format", "json"]);
        if run.code == 0 {
            return (engage, poisoned);
        }
        for finding in run.json()["findings"].as_array().unwrap() {
            let (file, field) = (finding["file"].as_str().unwrap(), finding["field"].as_str().unwrap());
            let doc = poisoned.iter_mut().find(|d| d.file == file).unwrap();
            let pointer = pointer_of(field);
            let original =
                doc.original.pointer(&pointer).cloned().unwrap_or_else(|| panic!("{file}{pointer}: {finding}"));
            *doc.value.pointer_mut(&pointer).unwrap() = original;
        }
    }
    panic!("the poisoned samples do not validate");
}

#[test]
fn hostile_text_stays_text_in_every_document() {
    let clean = Engage::samples();
    assert_eq!(clean.run(&["build"]).code, 0);
    let mut next = 0;
    let (hostile, poisoned) = poisoned_samples(|_, old| {
        next += 1;
        format!("{} {old}", HOSTILE[(next - 1) % HOSTILE.len()])
    });
    let run = hostile.run(&["build"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    let mut checked = 0;
    for Poisoned { original, value, .. } in &poisoned {
        let id = original["id"].as_str().unwrap();
        let markdown = hostile.read(&format!("out/{id}.md"));
        let html = hostile.read(&format!("out/{id}.html"));
        assert_eq!(
            structure(&markdown),
            structure(&clean.read(&format!("out/{id}.md"))),
            "{id}: Markdown structure changed"
        );
        assert!(
            !html.contains("<script") && !html.contains("<img") && !html.contains("<!-- hidden"),
            "{id}: HTML injected"
        );
        let (markdown, html) = (markdown_text(&markdown), html_text(&html));
        for leaf in poisoned_leaves(value) {
            let shown = fold(&leaf);
            assert!(markdown.contains(&shown), "{id}: {shown:?} is not in the Markdown text");
            assert!(html.contains(&shown), "{id}: {shown:?} is not in the HTML text");
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} hostile values reached the documents");
}

/// The string leaves that still carry a hostile prefix.
fn poisoned_leaves(value: &Value) -> Vec<String> {
    match value {
        Value::Object(map) => map.values().flat_map(poisoned_leaves).collect(),
        Value::Array(items) => items.iter().flat_map(poisoned_leaves).collect(),
        Value::String(text) if HOSTILE.iter().any(|h| text.starts_with(h)) => vec![text.clone()],
        _ => Vec::new(),
    }
}
