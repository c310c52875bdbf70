//! The redline: one self-contained HTML page, the two sides' Markdown side by side with the
//! words that changed inside each changed line marked `<del>` and `<ins>`, a summary, the
//! document control of both sides, and a banner on a side that is superseded.

use super::redline::{CONTROL_FACTS, Piece, Redline, Row, control_facts, summary, superseded_banner};
use super::{Comparison, Side};
use crate::render::escape_html as escape;
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

pub fn page(comparison: &Comparison) -> String {
    let (from, to) = (comparison.from, comparison.to);
    let redline = Redline::of(&from.markdown, &to.markdown);
    let changes = comparison.fields();
    let mut out = String::new();
    let title = format!("{}: {} → {}", comparison.id, from.label, to.label);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>Redline of {}</h1>\n",
        escape(&title),
        escape(comparison.id)
    );
    let _ = writeln!(out, "<p class=\"summary\">{}</p>", escape(&summary(comparison, &redline, changes.len())));
    for side in [from, to].into_iter().filter(|s| s.superseded) {
        let _ = writeln!(out, "<p class=\"banner\">{}</p>", escape(&superseded_banner(side)));
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
    if redline.rows.is_empty() {
        out.push_str("<p>The two sides are the same.</p>\n");
    } else {
        let _ = writeln!(
            out,
            "<table class=\"redline\">\n<tr><th>{}</th><th>{}</th></tr>",
            escape(&from.label),
            escape(&to.label)
        );
        redline.rows.iter().for_each(|row| out.push_str(&row_html(row)));
        out.push_str("</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The document-control facts of both sides, in two columns.
fn control(from: &Side, to: &Side) -> String {
    let (a, b) = (control_facts(from), control_facts(to));
    let mut out = format!(
        "<table class=\"control\">\n<tr><th>Document control</th><th>{}</th><th>{}</th></tr>\n",
        escape(&from.label),
        escape(&to.label)
    );
    for (i, name) in CONTROL_FACTS.iter().enumerate() {
        let _ = writeln!(out, "<tr><th>{name}</th><td>{}</td><td>{}</td></tr>", escape(&a[i]), escape(&b[i]));
    }
    out.push_str("</table>\n");
    out
}

fn row_html(row: &Row) -> String {
    match row {
        Row::Gap => "<tr><td class=\"gap\" colspan=\"2\">⋯</td></tr>\n".into(),
        Row::Same(line) => {
            let line = escape(line);
            format!("<tr><td>{line}</td><td>{line}</td></tr>\n")
        }
        Row::Changed { old, new } => {
            format!("<tr>{}{}</tr>\n", cell(old.as_deref(), "old", "del"), cell(new.as_deref(), "new", "ins"))
        }
    }
}

/// One side of a changed line, its changed words in `<del>` or `<ins>`.
fn cell(pieces: Option<&[Piece]>, class: &str, tag: &str) -> String {
    let Some(pieces) = pieces else { return "<td class=\"none\"></td>".into() };
    let mut html = format!("<td class=\"{class}\">");
    for piece in pieces {
        let text = escape(&piece.text);
        if piece.changed && !text.is_empty() {
            let _ = write!(html, "<{tag}>{text}</{tag}>");
        } else {
            html.push_str(&text);
        }
    }
    html.push_str("</td>");
    html
}
