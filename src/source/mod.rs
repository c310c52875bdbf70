//! Source text and positions, shared by every step that reports a finding.
//!
//! Files are read once into [`Sources`]; everything else refers to them by [`FileId`] and carries
//! [`Span`]s (1-based line and column, counted in characters as editors count them). Byte offsets
//! are computed only when a snippet is printed.

pub mod scalar;
mod span;
pub mod yaml;

pub use span::{Pos, Span};

use std::path::{Path, PathBuf};

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(u32);

impl FileId {
    /// Its place among the files read, from 0.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The file at that place among the files read.
    pub fn from_index(index: usize) -> FileId {
        FileId(u32::try_from(index).expect("fewer than 4 billion files"))
    }
}

/// One file's text, with the path shown to users (relative to the workspace root).
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// Where each line starts, in bytes: 32 bits, as the files read are far below 4 GiB (see
    /// `max_file_bytes`), which halves what a workspace with a finding in every file keeps.
    line_starts: Vec<u32>,
}

impl SourceFile {
    fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = Vec::with_capacity(text.bytes().filter(|b| *b == b'\n').count() + 1);
        line_starts.push(0);
        line_starts.extend(text.match_indices('\n').map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)));
        Self { path, text, line_starts }
    }

    fn start(&self, index: usize) -> Option<usize> {
        self.line_starts.get(index).map(|start| *start as usize)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line(&self, line: u32) -> &str {
        let index = (line as usize).saturating_sub(1);
        let Some(start) = self.start(index) else {
            return "";
        };
        let end = self.start(index + 1).unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Byte offset of a position (saturating at line ends and at the end of the file).
    pub fn offset(&self, pos: Pos) -> usize {
        let index = (pos.line as usize).saturating_sub(1);
        let Some(start) = self.start(index) else {
            return self.text.len();
        };
        let line = self.line(pos.line);
        let column = (pos.column as usize).saturating_sub(1);
        start + line.char_indices().nth(column).map_or(line.len(), |(i, _)| i)
    }

    /// The position of a byte offset (a character boundary), the inverse of [`Self::offset`].
    pub fn position(&self, offset: usize) -> Pos {
        let index = self.line_starts.partition_point(|&start| start as usize <= offset).saturating_sub(1);
        let start = self.start(index).unwrap_or_default();
        let column = self.text.get(start..offset).map_or(0, |before| before.chars().count());
        Pos { line: index as u32 + 1, column: column as u32 + 1 }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// The `lines` (1-based) of `text`, every other line left empty: what the snippets of findings on
/// those lines need, without holding every file that has a finding whole.
pub fn excerpt(text: &str, lines: impl Fn(u32) -> bool) -> String {
    let mut kept = String::with_capacity(text.len());
    for (index, line) in text.split_inclusive('\n').enumerate() {
        match lines(index as u32 + 1) {
            true => kept.push_str(line),
            false if line.ends_with('\n') => kept.push('\n'),
            false => {}
        }
    }
    kept.shrink_to_fit();
    kept
}

/// Every file a command has read, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).expect("fewer than 4 billion files"));
        self.files.push(SourceFile::new(path, text));
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.get(id).path
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Adds the lines of an [`excerpt`] of a file read without its text (see [`crate::outline`])
    /// to the lines kept of it so far, for the snippets of its findings.
    pub fn keep(&mut self, id: FileId, excerpt: &str) {
        let file = &mut self.files[id.0 as usize];
        let mut before = file.text.split_inclusive('\n');
        let mut merged: String = excerpt
            .split_inclusive('\n')
            .map(|line| match before.next() {
                Some(earlier) if line.trim_end_matches(['\n', '\r']).is_empty() => earlier,
                _ => line,
            })
            .collect();
        merged.extend(before);
        merged.shrink_to_fit();
        *file = SourceFile::new(std::mem::take(&mut file.path), merged);
    }

    /// Every file's path and text, in order.
    pub fn into_files(self) -> impl Iterator<Item = (PathBuf, String)> {
        self.files.into_iter().map(|f| (f.path, f.text))
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters_not_bytes() {
        let mut sources = Sources::default();
        let id = sources.add("a.yaml".into(), "name: Zoë\nrole: é x\n".into());
        let file = sources.get(id);
        assert_eq!(file.line(2), "role: é x");
        let offset = file.offset(Pos { line: 2, column: 9 });
        assert_eq!(&file.text[offset..offset + 1], "x");
        assert_eq!(file.offset(Pos { line: 9, column: 1 }), file.text.len());
        assert_eq!(file.position(offset), Pos { line: 2, column: 9 });
        assert_eq!(file.position(0), Pos::START);
    }

    #[test]
    fn excerpts_keep_the_lines_of_findings_where_they_were() {
        let text = "kind: X\nid: A-1\ntitle: T\nowner: O\n";
        assert_eq!(excerpt(text, |line| line == 2), "\nid: A-1\n\n\n");
        let mut sources = Sources::default();
        let id = sources.add("a.yaml".into(), excerpt(text, |line| line == 2));
        sources.keep(id, &excerpt(text, |line| line == 4));
        let file = sources.get(id);
        assert_eq!(file.text, "\nid: A-1\n\nowner: O\n");
        assert_eq!((file.line(2), file.line(3), file.line(4)), ("id: A-1", "", "owner: O"));
        sources.keep(id, text);
        assert_eq!(sources.get(id).text, text);
        let unread = sources.add("b.yaml".into(), String::new());
        sources.keep(unread, &excerpt(text, |line| line == 3));
        assert_eq!(sources.get(unread).text, "\n\ntitle: T\n\n");
    }
}
