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
fn structure(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, engage::render::markdown_options())
        .filter(|e| !matches!(e, Event::Text(_) | Event::Code(_)))
        .map(|e| format!("{e:?}"))
        .collect()
}

/// Puts a hostile string in front of every string leaf but `kind` and `id`.
fn poison(value: &mut Value, pointer: &str, next: &mut usize) {
    match value {
        Value::Object(map) => map.iter_mut().for_each(|(k, v)| poison(v, &format!("{pointer}/{k}"), next)),
        Value::Array(items) => {
            items.iter_mut().enumerate().for_each(|(i, v)| poison(v, &format!("{pointer}/{i}"), next))
        }
        Value::String(text) if pointer != "/kind" && pointer != "/id" => {
            *text = format!("{} {text}", HOSTILE[*next % HOSTILE.len()]);
            *next += 1;
        }
        _ => {}
    }
}

fn pointer_of(field: &str) -> String {
    format!("/{}", field.replace('[', "/").replace(']', "").replace('.', "/"))
}

#[test]
fn hostile_text_stays_text_in_every_document() {
    let clean = Engage::samples();
    assert_eq!(clean.run(&["build"]).code, 0);
    let hostile = Engage::samples();
    let files = crate::build::sample_documents();
    let mut poisoned: Vec<(String, Value, Value)> = Vec::new();
    let mut next = 0;
    for (file, original) in &files {
        let mut value = original.clone();
        poison(&mut value, "", &mut next);
        poisoned.push((file.clone(), original.clone(), value));
    }
    // Fields with a fixed form (codes, dates, e-mail addresses, references) reject the hostile
    // prefix; put their original value back and keep every free-text field poisoned.
    for _ in 0..5 {
        for (file, _, value) in &poisoned {
            hostile.write(file, &serde_json::to_string_pretty(value).unwrap());
        }
        let run = hostile.run(&["validate", "--format", "json"]);
        if run.code == 0 {
            break;
        }
        for finding in run.json()["findings"].as_array().unwrap() {
            let (file, field) = (finding["file"].as_str().unwrap(), finding["field"].as_str().unwrap());
            let entry = poisoned.iter_mut().find(|(f, _, _)| f == file).unwrap();
            let pointer = pointer_of(field);
            let original = entry.1.pointer(&pointer).cloned().unwrap_or_else(|| panic!("{file}{pointer}: {finding}"));
            *entry.2.pointer_mut(&pointer).unwrap() = original;
        }
    }
    let run = hostile.run(&["build"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    let mut checked = 0;
    for (_, original, value) in &poisoned {
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
