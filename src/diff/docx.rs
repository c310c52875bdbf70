//! The redline as a Word document with genuine tracked changes: the newer side's document, the
//! words the older side had and it has not marked as deletions (`w:del`), the words it added as
//! insertions (`w:ins`), each by the newer revision's author on its date. Word's Accept All gives
//! the newer side's text, Reject All the older side's. Blocks (paragraphs, tables) are matched
//! first; a changed paragraph, and each cell of a changed table row, carries its own word-level
//! changes, like the HTML redline.

use super::Comparison;
use crate::render::docx::blocks::{self, Block, Cell, Paragraph, Run, Table};
use crate::render::docx::xml::{Author, Body, Change, Marked, Row};
use crate::render::docx::{self, Theme};
use crate::render::pdf::DocumentMeta;
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::borrow::Cow;

/// The redline of `comparison`, its changes by `author`.
pub fn document(comparison: &Comparison, theme: &Theme, meta: &DocumentMeta, author: &Author) -> Vec<u8> {
    let (old, new) = (side_blocks(&comparison.from.markdown), side_blocks(&comparison.to.markdown));
    let mut body = Body::new(Some(author), theme.text_width());
    for op in capture_diff_slices(Algorithm::Myers, &old.blocks, &new.blocks) {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { .. } = op {
            new.blocks[new_range].iter().for_each(|b| docx::write_block(&mut body, b, Change::Same));
            continue;
        }
        let (old, new) = (&old.blocks[old_range], &new.blocks[new_range]);
        for i in 0..old.len().max(new.len()) {
            changed(&mut body, old.get(i), new.get(i));
        }
    }
    // Numbered lists count as the newer side numbers them; a list only the older side had
    // counts from 1.
    let starts: Vec<u64> =
        new.list_starts.iter().copied().chain(std::iter::repeat(1)).take(list_count(&old, &new)).collect();
    docx::redline(theme, meta, &body.out, &starts)
}

/// The blocks of one side, titled by its first line (`# Title`).
fn side_blocks(markdown: &str) -> blocks::Blocks {
    let title = markdown.lines().next().and_then(|l| l.strip_prefix("# ")).unwrap_or("");
    blocks::of(markdown, title)
}

fn list_count(old: &blocks::Blocks, new: &blocks::Blocks) -> usize {
    old.list_starts.len().max(new.list_starts.len())
}

/// An older block beside the newer one that replaced it: paragraphs and tables are compared
/// inside; anything else is the older deleted and the newer inserted.
fn changed(body: &mut Body, old: Option<&Block>, new: Option<&Block>) {
    match (old, new) {
        (Some(Block::Paragraph(a)), Some(Block::Paragraph(b))) => paragraph(body, a, b),
        (Some(Block::Table(a)), Some(Block::Table(b))) => table(body, a, b),
        _ => {
            if let Some(old) = old {
                docx::write_block(body, old, Change::Deleted);
            }
            if let Some(new) = new {
                docx::write_block(body, new, Change::Inserted);
            }
        }
    }
}

/// A paragraph in the newer side's style, its words compared.
fn paragraph(body: &mut Body, old: &Paragraph, new: &Paragraph) {
    let words = words(&old.runs, &new.runs);
    body.paragraph(new.style, Change::Same, None, words.iter().map(|(change, run)| (*change, run.as_ref())));
}

/// The words (and the spaces between them) of two texts, unchanged, deleted or inserted.
fn words(old: &[Run], new: &[Run]) -> Marked<'static> {
    let (old, new) = (tokens(old), tokens(new));
    let mut marked = Marked::new();
    for op in capture_diff_slices(Algorithm::Myers, &old, &new) {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { .. } = op {
            marked.extend(new[new_range].iter().map(|t| (Change::Same, Cow::Owned(t.clone()))));
            continue;
        }
        marked.extend(old[old_range].iter().map(|t| (Change::Deleted, Cow::Owned(t.clone()))));
        marked.extend(new[new_range].iter().map(|t| (Change::Inserted, Cow::Owned(t.clone()))));
    }
    merged(marked)
}

/// Runs split into words and the white space between them, each keeping its format.
fn tokens(runs: &[Run]) -> Vec<Run> {
    let mut tokens: Vec<Run> = Vec::new();
    for run in runs {
        let mut space = None;
        for c in run.text.chars() {
            match tokens.last_mut() {
                Some(last) if space == Some(c.is_whitespace()) => last.text.push(c),
                _ => tokens.push(Run { text: c.to_string(), format: run.format }),
            }
            space = Some(c.is_whitespace());
        }
    }
    tokens
}

/// Neighbouring tokens with the same change and format joined into one run.
fn merged(marked: Marked) -> Marked {
    let mut out: Marked = Vec::with_capacity(marked.len());
    for (change, run) in marked {
        match out.last_mut() {
            Some((c, last)) if *c == change && last.format == run.format => last.to_mut().text.push_str(&run.text),
            _ => out.push((change, run)),
        }
    }
    out
}

/// Two tables: the newer header, its cells compared; rows matched, a changed row's cells
/// compared one by one, a row only one side has deleted or inserted whole.
fn table(body: &mut Body, old: &Table, new: &Table) {
    let no_cells = Vec::new();
    let mut rows = vec![Row { change: Change::Same, head: true, cells: cells(&old.head, &new.head) }];
    for op in capture_diff_slices(Algorithm::Myers, &old.rows, &new.rows) {
        let (a, b) = (&old.rows[op.old_range()], &new.rows[op.new_range()]);
        if let DiffOp::Equal { .. } = op {
            rows.extend(b.iter().map(|r| Row { change: Change::Same, head: false, cells: cells(r, r) }));
            continue;
        }
        for i in 0..a.len().max(b.len()) {
            rows.push(match (a.get(i), b.get(i)) {
                (Some(x), Some(y)) => Row { change: Change::Same, head: false, cells: cells(x, y) },
                (Some(x), None) => Row { change: Change::Deleted, head: false, cells: whole(x, Change::Deleted) },
                (None, y) => Row {
                    change: Change::Inserted,
                    head: false,
                    cells: whole(y.unwrap_or(&no_cells), Change::Inserted),
                },
            });
        }
    }
    body.table(&new.align, &rows);
}

/// The cells of a row, each compared with the older cell in its column.
fn cells(old: &[Cell], new: &[Cell]) -> Vec<Marked<'static>> {
    let empty = Cell::new();
    (0..old.len().max(new.len())).map(|i| words(old.get(i).unwrap_or(&empty), new.get(i).unwrap_or(&empty))).collect()
}

fn whole(row: &[Cell], change: Change) -> Vec<Marked<'_>> {
    row.iter().map(|cell| cell.iter().map(|r| (change, Cow::Borrowed(r))).collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::docx::blocks::Format;

    fn run(text: &str) -> Run {
        Run { text: text.into(), format: Format::default() }
    }

    #[test]
    fn changed_words_are_deleted_and_inserted() {
        let marked = words(&[run("the old  word")], &[run("the new  word")]);
        let shown: Vec<(Change, &str)> = marked.iter().map(|(c, r)| (*c, r.text.as_str())).collect();
        assert_eq!(
            shown,
            [(Change::Same, "the "), (Change::Deleted, "old"), (Change::Inserted, "new"), (Change::Same, "  word")]
        );
    }
}
