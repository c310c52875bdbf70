//! The redline: one self-contained HTML page, the two sides' Markdown side by side with the
//! words that changed inside each changed line marked `<del>` and `<ins>`, a summary, the
//! document control of both sides, and a banner on a side that is superseded.

use super::{Comparison, Side};
use crate::render::escape_html as escape;
use similar::{DiffOp, TextDiff};
use std::fmt::Write;

const STYLE: &str = "
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
.summary { font-size: 1.05em; }
.banner { background: #fff3cd; border: 1px solid #e0b400; padding: .5em 1em; font-weight: bold; }
table { border-collapse: collapse; width: 100%; }
.control td, .control th { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
.control td { word-break: break-all; }
.redline { table-layout: fixed; margin-top: 1em; }
.redline th { text-align: left; padding: .3em .5em; background: #eee; }
.redline td { font: 12.5px/1.4 ui-monospace, monospace; white-space: pre-wrap; word-wrap: break-word;
  vertical-align: top; padding: 0 .5em; border-left: 1px solid #ddd; }
td.old { background: #fdecea; } td.new { background: #e6f4ea; } td.none { background: #f6f6f6; }
td.gap { text-align: center; color: #777; background: #f0f0f0; }
del { background: #f5b7b1; text-decoration: line-through; } ins { background: #a9dfbf; text-decoration: none; }
ul.fields { font-family: ui-monospace, monospace; font-size: 12.5px; }
@media print { .redline td { font-size: 9pt; } }
";

/// Lines of unchanged context shown around each change.
const CONTEXT: usize = 3;

#[derive(Default)]
struct Counts {
    added: usize,
    removed: usize,
    changed: usize,
}

pub fn page(comparison: &Comparison) -> String {
    let (from, to) = (comparison.from, comparison.to);
    let diff = TextDiff::from_lines(&from.markdown, &to.markdown);
    let mut rows = String::new();
    let mut counts = Counts::default();
    for (i, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if i > 0 || group.first().is_some_and(|op| op.old_range().start > 0) {
            rows.push_str("<tr><td class=\"gap\" colspan=\"2\">⋯</td></tr>\n");
        }
        for op in group {
            op_rows(&diff, op, &mut rows, &mut counts);
        }
    }
    let changes = comparison.fields();
    let mut out = String::new();
    let title = format!("{}: {} → {}", comparison.id, from.label, to.label);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>Redline of {}</h1>\n",
        escape(&title),
        escape(comparison.id)
    );
    let _ = writeln!(
        out,
        "<p class=\"summary\">{} → {}: {} added, {} removed, {} changed; {} in the data.</p>",
        escape(&from.label),
        escape(&to.label),
        plural(counts.added, "line"),
        counts.removed,
        counts.changed,
        plural(changes.len(), "change")
    );
    for side in [from, to].into_iter().filter(|s| s.superseded) {
        let _ = writeln!(
            out,
            "<p class=\"banner\">Superseded: {} is no longer the issued revision.</p>",
            escape(&side.label)
        );
    }
    out.push_str(&control(from, to));
    if !changes.is_empty() {
        out.push_str("<h2>Changes in the data</h2>\n<ul class=\"fields\">\n");
        for change in &changes {
            let _ = writeln!(out, "<li>{}</li>", escape(&change.to_string()));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2>Document</h2>\n");
    if rows.is_empty() {
        out.push_str("<p>The two sides are the same.</p>\n");
    } else {
        let _ = write!(
            out,
            "<table class=\"redline\">\n<tr><th>{}</th><th>{}</th></tr>\n{rows}</table>\n",
            escape(&from.label),
            escape(&to.label)
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The document-control facts of both sides, in two columns.
fn control(from: &Side, to: &Side) -> String {
    let facts = |side: &Side| -> Vec<String> {
        let r = side.record.as_ref();
        let text = |f: &dyn Fn(&crate::record::RevisionRecord) -> String| r.map(f).unwrap_or_else(|| "—".into());
        vec![
            side.revision.clone(),
            side.status.clone(),
            text(&|r| r.date.to_string()),
            text(&|r| r.author.clone()),
            text(&|r| r.reason.clone()),
            text(&|r| r.approved_by().join(", ")),
            text(&|r| r.hashes.source.to_string()),
            text(&|r| r.hashes.markdown.to_string()),
            text(&|r| format!("{} ({})", r.entry, r.hash)),
        ]
    };
    let names = [
        "Revision",
        "Status",
        "Issued on",
        "Issued by",
        "Reason",
        "Approved by",
        "Source SHA-256",
        "Markdown SHA-256",
        "Register entry",
    ];
    let (a, b) = (facts(from), facts(to));
    let mut out = format!(
        "<table class=\"control\">\n<tr><th>Document control</th><th>{}</th><th>{}</th></tr>\n",
        escape(&from.label),
        escape(&to.label)
    );
    for (i, name) in names.iter().enumerate() {
        let _ = writeln!(out, "<tr><th>{name}</th><td>{}</td><td>{}</td></tr>", escape(&a[i]), escape(&b[i]));
    }
    out.push_str("</table>\n");
    out
}

fn op_rows(diff: &TextDiff<str>, op: &DiffOp, rows: &mut String, counts: &mut Counts) {
    match *op {
        DiffOp::Equal { old_index, len, .. } => {
            for i in old_index..old_index + len {
                let line = escape(line(diff.old_slice(i).unwrap_or_default()));
                let _ = writeln!(rows, "<tr><td>{line}</td><td>{line}</td></tr>");
            }
        }
        _ => changed_rows(diff, op, rows, counts),
    }
}

/// A run of changed lines: the old lines beside the new ones, paired in order, with the words
/// that changed marked; what is left over is removed or added.
fn changed_rows(diff: &TextDiff<str>, op: &DiffOp, rows: &mut String, counts: &mut Counts) {
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for change in diff.iter_inline_changes(op) {
        let mut html = String::new();
        let tag = if change.tag() == similar::ChangeTag::Delete { "del" } else { "ins" };
        for (emphasised, text) in change.iter_strings_lossy() {
            let text = escape(text.trim_end_matches(['\n', '\r']));
            if emphasised && !text.is_empty() {
                let _ = write!(html, "<{tag}>{text}</{tag}>");
            } else {
                html.push_str(&text);
            }
        }
        match change.tag() {
            similar::ChangeTag::Delete => old.push(html),
            similar::ChangeTag::Insert => new.push(html),
            similar::ChangeTag::Equal => {}
        }
    }
    counts.changed += old.len().min(new.len());
    counts.removed += old.len().saturating_sub(new.len());
    counts.added += new.len().saturating_sub(old.len());
    for i in 0..old.len().max(new.len()) {
        let cell = |side: &Vec<String>, class: &str| match side.get(i) {
            Some(html) => format!("<td class=\"{class}\">{html}</td>"),
            None => "<td class=\"none\"></td>".to_string(),
        };
        let _ = writeln!(rows, "<tr>{}{}</tr>", cell(&old, "old"), cell(&new, "new"));
    }
}

fn line(text: &str) -> &str {
    text.trim_end_matches(['\n', '\r'])
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
