//! What both redlines (the HTML page and the PDF) show: the changed lines of the Markdown with
//! the words that changed inside them, a few lines of context around each change, the counts of
//! the summary, and the document-control facts of both sides.

use super::{Comparison, Side};
use similar::{ChangeTag, DiffOp, TextDiff};

/// Lines of unchanged context shown around each change.
const CONTEXT: usize = 3;

/// A run of text inside a changed line; `changed` when it is a word that was deleted (on the old
/// side) or inserted (on the new side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub changed: bool,
    pub text: String,
}

/// One row of the side-by-side view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// Unchanged lines left out.
    Gap,
    /// A line both sides have.
    Same(String),
    /// An old line beside the new one it became; a side is `None` where a line was only
    /// removed or only added.
    Changed { old: Option<Vec<Piece>>, new: Option<Vec<Piece>> },
}

/// The rows of a comparison's Markdown, and how many lines were added, removed and changed.
#[derive(Debug, Default)]
pub struct Redline {
    pub rows: Vec<Row>,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

impl Redline {
    pub fn of(from: &str, to: &str) -> Redline {
        let diff = TextDiff::from_lines(from, to);
        let mut redline = Redline::default();
        for (i, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
            if i > 0 || group.first().is_some_and(|op| op.old_range().start > 0) {
                redline.rows.push(Row::Gap);
            }
            for op in group {
                redline.op(&diff, op);
            }
        }
        redline
    }

    fn op(&mut self, diff: &TextDiff<str>, op: &DiffOp) {
        if let DiffOp::Equal { old_index, len, .. } = *op {
            let lines = (old_index..old_index + len).map(|i| line(diff.old_slice(i).unwrap_or_default()).to_string());
            self.rows.extend(lines.map(Row::Same));
            return;
        }
        // A run of changed lines: the old lines beside the new ones, paired in order; what is
        // left over was removed or added.
        let (mut old, mut new) = (Vec::new(), Vec::new());
        for change in diff.iter_inline_changes(op) {
            let pieces = change
                .iter_strings_lossy()
                .map(|(changed, text)| Piece { changed, text: line(&text).to_string() })
                .collect();
            match change.tag() {
                ChangeTag::Delete => old.push(pieces),
                ChangeTag::Insert => new.push(pieces),
                ChangeTag::Equal => {}
            }
        }
        self.changed += old.len().min(new.len());
        self.removed += old.len().saturating_sub(new.len());
        self.added += new.len().saturating_sub(old.len());
        let count = old.len().max(new.len());
        let (mut old, mut new) = (old.into_iter(), new.into_iter());
        self.rows.extend((0..count).map(|_| Row::Changed { old: old.next(), new: new.next() }));
    }
}

fn line(text: &str) -> &str {
    text.trim_end_matches(['\n', '\r'])
}

/// The summary line: `revision 1 → revision 2: 4 lines added, 0 removed, 3 changed; 5 changes
/// in the data.`
pub fn summary(comparison: &Comparison, redline: &Redline, data_changes: usize) -> String {
    format!(
        "{} → {}: {} added, {} removed, {} changed; {} in the data.",
        comparison.from.label,
        comparison.to.label,
        plural(redline.added, "line"),
        redline.removed,
        redline.changed,
        plural(data_changes, "change")
    )
}

/// What a redline says of a side that is no longer the issued revision.
pub fn superseded_banner(side: &Side) -> String {
    format!("Superseded: {} is no longer the issued revision.", side.label)
}

/// The names of the document-control facts, in the order of [`control_facts`].
pub const CONTROL_FACTS: [&str; 9] = [
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

/// A side's document-control facts; `—` where the working copy has none.
pub fn control_facts(side: &Side) -> [String; 9] {
    let text = |f: &dyn Fn(&crate::record::RevisionRecord) -> String| side.record.as_ref().map_or("—".into(), f);
    [
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
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_words_are_marked_and_lines_counted() {
        let redline = Redline::of("a\nb\nthe old word\nc\n", "a\nb\nthe new word\nc\nadded\n");
        assert_eq!((redline.added, redline.removed, redline.changed), (1, 0, 1));
        let piece = |changed, text: &str| Piece { changed, text: text.into() };
        assert_eq!(
            redline.rows[2],
            Row::Changed {
                old: Some(vec![piece(false, "the "), piece(true, "old"), piece(false, " word")]),
                new: Some(vec![piece(false, "the "), piece(true, "new"), piece(false, " word")]),
            }
        );
        assert_eq!(redline.rows[4], Row::Changed { old: None, new: Some(vec![piece(false, "added")]) });
    }
}
