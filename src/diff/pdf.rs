//! The redline PDF's body, as typst markup for the document theme: the summary, a banner on a
//! superseded side, both sides' document control, the changes in the data, then the changed
//! lines of the Markdown side by side, deleted words struck through in red and inserted words
//! underlined in green. Every piece of user text is escaped ([`escape_text`]): it is shown,
//! never run.

use super::redline::{CONTROL_FACTS, Piece, Redline, Row, control_facts, summary, superseded_banner};
use super::{Comparison, Side};
use crate::render::pdf::markup::{HEADING_CLOSE, HeadingNumbers, escape_text};

/// How deletions, insertions and the banner look; colour is not the only mark (strike-through
/// and underline print in black and white too).
const PREAMBLE: &str = r##"#let deleted(body) = text(fill: rgb("#a61b1b"), strike(stroke: 0.6pt + rgb("#a61b1b"), body))
#let inserted(body) = text(fill: rgb("#146c2e"), underline(stroke: 0.6pt + rgb("#146c2e"), body))
#let banner(body) = block(width: 100%, inset: 8pt, fill: rgb("#fff3cd"), stroke: 0.8pt + rgb("#e0b400"), strong(body))
#let old-line = rgb("#fdecea")
#let new-line = rgb("#e6f4ea")

"##;

pub fn body(comparison: &Comparison) -> String {
    let (from, to) = (comparison.from, comparison.to);
    let redline = Redline::of(&from.markdown, &to.markdown);
    let changes = comparison.fields();
    let mut out = String::from(PREAMBLE);
    let mut headings = HeadingNumbers::default();
    heading(&mut out, &mut headings, "Summary");
    paragraph(&mut out, &summary(comparison, &redline, changes.len()));
    for side in [from, to].into_iter().filter(|s| s.superseded) {
        out.push_str("#banner[");
        escape_text(&superseded_banner(side), &mut out);
        out.push_str("]\n\n");
    }
    paragraph(&mut out, "Deleted words are struck through in red, inserted words underlined in green.");
    heading(&mut out, &mut headings, "Document control");
    control(&mut out, from, to);
    if !changes.is_empty() {
        heading(&mut out, &mut headings, "Changes in the data");
        out.push_str("#list(\n");
        for change in &changes {
            cell(&mut out, &change.to_string());
            out.push_str(",\n");
        }
        out.push_str(")\n\n");
    }
    heading(&mut out, &mut headings, "Document");
    if redline.rows.is_empty() {
        paragraph(&mut out, "The two sides are the same.");
    } else {
        lines(&mut out, comparison, &redline);
    }
    out
}

fn heading(out: &mut String, headings: &mut HeadingNumbers, text: &str) {
    out.push_str(&headings.open(1));
    escape_text(text, out);
    out.push_str(HEADING_CLOSE);
}

fn paragraph(out: &mut String, text: &str) {
    escape_text(text, out);
    out.push_str("\n\n");
}

/// `[text]`: a content block that shows `text`.
fn cell(out: &mut String, text: &str) {
    out.push('[');
    escape_text(text, out);
    out.push(']');
}

fn control(out: &mut String, from: &Side, to: &Side) {
    out.push_str("#table(\ncolumns: (auto, 1fr, 1fr),\ntable.header([Document control], ");
    for side in [from, to] {
        cell(out, &side.label);
        out.push_str(", ");
    }
    out.push_str("),\n");
    let (a, b) = (control_facts(from), control_facts(to));
    for (i, name) in CONTROL_FACTS.iter().enumerate() {
        for text in [*name, &a[i], &b[i]] {
            cell(out, text);
            out.push_str(", ");
        }
        out.push('\n');
    }
    out.push_str(")\n\n");
}

/// The changed lines with their context, in two columns.
fn lines(out: &mut String, comparison: &Comparison, redline: &Redline) {
    out.push_str("#{\nshow table: set text(size: 8.5pt)\ntable(\ncolumns: (1fr, 1fr),\ntable.header(");
    for side in [comparison.from, comparison.to] {
        cell(out, &side.label);
        out.push_str(", ");
    }
    out.push_str("),\n");
    for row in &redline.rows {
        match row {
            Row::Gap => out.push_str("table.cell(colspan: 2, align: center)[⋯],\n"),
            Row::Same(line) => {
                for _ in 0..2 {
                    out.push_str("text(fill: luma(90))");
                    cell(out, line);
                    out.push_str(", ");
                }
                out.push('\n');
            }
            Row::Changed { old, new } => {
                changed(out, old.as_deref(), "old-line", "deleted");
                changed(out, new.as_deref(), "new-line", "inserted");
                out.push('\n');
            }
        }
    }
    out.push_str(")\n}\n");
}

/// One side of a changed line, its changed words marked with `mark`.
fn changed(out: &mut String, pieces: Option<&[Piece]>, fill: &str, mark: &str) {
    let Some(pieces) = pieces else {
        out.push_str("[], ");
        return;
    };
    out.push_str(&format!("table.cell(fill: {fill})["));
    for piece in pieces {
        if piece.changed && !piece.text.trim().is_empty() {
            out.push_str(&format!("#{mark}["));
            escape_text(&piece.text, out);
            out.push(']');
        } else {
            escape_text(&piece.text, out);
        }
    }
    out.push_str("], ");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(label: &str, superseded: bool, markdown: &str) -> Side {
        Side {
            label: label.into(),
            revision: "1".into(),
            status: "Issued".into(),
            record: None,
            superseded,
            data: serde_json::json!({"title": markdown}),
            markdown: markdown.into(),
        }
    }

    #[test]
    fn changed_words_are_marked_and_user_text_escaped() {
        let (from, to) =
            (side("revision 1", true, "| Due | 25 September |\n"), side("revision 2", false, "| Due | 30 October |\n"));
        let body = body(&Comparison { id: "SOW-T-1", from: &from, to: &to });
        assert!(
            body.contains(r##"table.cell(fill: old-line)[#"| Due |" #deleted[#"25"] #deleted[#"September"] #"|"]"##),
            "{body}"
        );
        assert!(
            body.contains(r##"table.cell(fill: new-line)[#"| Due |" #inserted[#"30"] #inserted[#"October"] #"|"]"##),
            "{body}"
        );
        assert!(body.contains(r##"#banner[#"Superseded: revision 1 is no longer the issued revision."]"##), "{body}");

        let hostile = side("working copy", false, "#read(\"/etc/passwd\") ] #set page(width: 1pt)\n");
        let body = super::body(&Comparison { id: "SOW-T-1", from: &from, to: &hostile });
        assert!(body.contains(r##"#"#read(\"/etc/"#box()#"passwd\")"] #"] #set page(width: 1pt)"]"##), "{body}");
        let code = outside_literals(&body);
        assert!(!code.contains("#read") && !code.contains("#set"), "{code}");
    }

    /// `markup` without its string literals: the code typst would run.
    fn outside_literals(markup: &str) -> String {
        let (mut code, mut chars) = (String::new(), markup.chars());
        while let Some(c) = chars.next() {
            if c != '"' {
                code.push(c);
                continue;
            }
            while let Some(c) = chars.next() {
                match c {
                    '\\' => drop(chars.next()),
                    '"' => break,
                    _ => {}
                }
            }
        }
        code
    }
}
