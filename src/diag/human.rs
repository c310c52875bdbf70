//! rustc-style findings: `error[RULE]: message`, the file, line and column, a snippet with a caret,
//! the field and what to do.

use super::{FileNames, Finding, Report, Severity};
use crate::source::{FileId, Sources};
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::Buffer;
use codespan_reporting::term::{self, Chars, Config, Styles, StylesWriter};
use std::ops::Range;
use std::time::Duration;

/// Renders findings for a terminal (`color`) or for logs and pipes (plain).
pub struct Human {
    config: Config,
    color: bool,
}

impl Human {
    pub fn new(color: bool) -> Self {
        let config = Config { chars: Chars::ascii(), ..Config::default() };
        Human { config, color }
    }

    /// The findings, each file named by `names`.
    pub fn render(&self, sources: &Sources, report: &Report, names: &FileNames) -> String {
        self.each(sources, report, names).collect()
    }

    /// The findings one at a time, in the report's order: for a report too long to hold whole.
    pub fn each<'a>(
        &'a self,
        sources: &'a Sources,
        report: &'a Report,
        names: &'a FileNames,
    ) -> impl Iterator<Item = String> + 'a {
        report.sorted(sources).into_iter().map(move |f| self.finding(sources, names, f))
    }

    fn finding(&self, sources: &Sources, names: &FileNames, finding: &Finding) -> String {
        let diagnostic = diagnostic(sources, finding);
        let files = SourceFiles { sources, names };
        let rendered = if self.color {
            let mut buffer = Buffer::ansi();
            let styles = Styles::default();
            term::emit_to_write_style(&mut StylesWriter::new(&mut buffer, &styles), &self.config, &files, &diagnostic)
                .map(|()| String::from_utf8_lossy(buffer.as_slice()).into_owned())
        } else {
            term::emit_into_string(&self.config, &files, &diagnostic)
        };
        rendered.unwrap_or_else(|_| plain_line(sources, names, finding))
    }
}

fn diagnostic(sources: &Sources, finding: &Finding) -> Diagnostic<FileId> {
    let file = sources.get(finding.span.file);
    let start = file.offset(finding.span.start);
    // Underline at least one character so the caret is visible, never past the end of the line.
    let line_end = file.offset(crate::source::Pos { line: finding.span.start.line, column: u32::MAX });
    let first_char = file.text[start..].chars().next().map_or(0, char::len_utf8);
    let end = file.offset(finding.span.end).min(line_end).max((start + first_char).min(line_end)).max(start);
    let mut notes = Vec::new();
    if !finding.field.is_empty() {
        notes.push(format!("field: {}", printable(&finding.field)));
    }
    if !finding.help.is_empty() {
        notes.push(format!("help: {}", printable(&finding.help)));
    }
    let base = match (&finding.waived, finding.severity) {
        (Some(waiver), _) => {
            notes
                .push(format!("waived: {} (approved by {}, until {})", waiver.reason, waiver.approver, waiver.expires));
            Diagnostic::note()
        }
        (None, Severity::Error) => Diagnostic::error(),
        (None, Severity::Warning) => Diagnostic::warning(),
    };
    let message = printable(&finding.message);
    let message = if finding.waived.is_some() { format!("(waived) {message}") } else { message };
    base.with_code(finding.rule.code())
        .with_message(message)
        .with_labels(vec![Label::primary(finding.span.file, start..end)])
        .with_notes(notes)
}

/// The fallback when a snippet cannot be drawn: still names file, line and column.
fn plain_line(sources: &Sources, names: &FileNames, f: &Finding) -> String {
    format!(
        "{}[{}]: {}: {}:{}: {}\n",
        f.severity,
        f.rule,
        names.of(sources.path(f.span.file)),
        f.span.start.line,
        f.span.start.column,
        printable(&f.message)
    )
}

/// Text from the data as one line that shows what it holds: line breaks, other control
/// characters and bidirectional controls are written as escapes, so a value can neither start an
/// output line (a fake finding, a CI workflow command) nor reorder the terminal line around it.
pub(super) fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// The overrides documents drop, and the direction marks, which documents keep but a report line
/// must not let reorder it.
fn is_bidi_control(c: char) -> bool {
    crate::model::text::is_bidi_override(c) || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}')
}

/// The closing line: counts per severity, files read, time taken.
pub fn summary(report: &Report, elapsed: Duration) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let waived = match report.waived() {
        0 => String::new(),
        n => format!(", {n} waived"),
    };
    format!(
        "{}, {}{waived} in {} ({:.2} s)\n",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        plural(report.files, "file"),
        elapsed.as_secs_f64()
    )
}

struct SourceFiles<'a> {
    sources: &'a Sources,
    names: &'a FileNames,
}

impl<'a> Files<'a> for SourceFiles<'a> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        Ok(self.names.of(self.sources.path(id)))
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.sources.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let text = &self.sources.get(id).text;
        Ok(text[..byte_index.min(text.len())].matches('\n').count())
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.sources.get(id);
        if line_index >= file.line_count() {
            return Err(FilesError::LineTooLarge { given: line_index, max: file.line_count() - 1 });
        }
        let line = u32::try_from(line_index + 1).unwrap_or(u32::MAX);
        let start = file.offset(crate::source::Pos { line, column: 1 });
        let end = file.offset(crate::source::Pos { line: line + 1, column: 1 });
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_in_messages_stays_on_one_visible_line() {
        assert_eq!(
            super::printable("a\n::error::x\r\u{1b}[31m\u{202e}b\tc"),
            "a\\n::error::x\\r\\u{1b}[31m\\u{202e}b c"
        );
    }
}
