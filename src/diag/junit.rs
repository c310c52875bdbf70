//! JUnit XML (`--format junit`), the test-report format GitLab, Jenkins, Azure DevOps and most CI
//! systems show.
//!
//! ```xml
//! <testsuites name="engage" tests="2" failures="1" errors="0">
//!   <testsuite name="engage" tests="2" failures="1" errors="0" skipped="0">
//!     <testcase classname="SOW-NWL-2026-004" name="SCHEMA">
//!       <failure message="engagements/nwl/sow.yaml:14:7: SCHEMA-001 ..." type="SCHEMA-001">engagements/nwl/sow.yaml:14:7: SCHEMA-001 ... (...)</failure>
//!     </testcase>
//!     ...
//! ```
//!
//! One test case per document and rule family (the part of the code before the dash: `SCHEMA`,
//! `YAML`, `KIND`, ...): `classname` is the document ID, or the file's name for a file that is not
//! (yet) a document, and `name` is the family, so every classname + name pair is unique (GitLab drops
//! duplicates). The case fails when it holds an error that is not waived; the failure's `message`
//! is the first of those errors with its place (`path:line:col: RULE message`, and how many more),
//! and its text has one line per error, `path:line:col: RULE message (help)`, a line break in the
//! data written as `\n` so that each line stays one finding. Warnings and waived findings do not
//! fail: they are listed in the case's `<system-out>`. Documents without findings are not listed, so
//! `tests` counts the cases that are. Files are named from the current folder, as in the human
//! report.
//!
//! The output is valid against Jenkins' `junit-10.xsd` (xunit plugin), the strictest reader we
//! know, which allows no `file` or `line` attribute on `<testcase>`: the place of each finding is
//! in the failure's message and text instead, where every reader shows it. There is no `time`:
//! nothing here is timed, and output stays byte-identical for identical input.
//!
//! When the command could not run (an invalid engage.yaml, an unreadable file), the suite holds one
//! test case with an `<error>` saying why, each place on a line of its own, and what to do.
//!
//! User text goes through [`escape`]: markup is escaped, and characters XML 1.0 forbids (most control
//! characters) are removed, since no XML parser would accept them even as character references.

use super::human::printable;
use super::{FileNames, Finding, Report, Severity};
use crate::error::Error;
use crate::model::DocumentId;
use crate::source::{FileId, Sources};
use std::collections::HashMap;
use std::fmt::Write;

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

struct Case<'a> {
    classname: String,
    family: &'static str,
    findings: Vec<&'a Finding>,
}

impl Case<'_> {
    fn failing(&self) -> impl Iterator<Item = &&Finding> {
        self.findings.iter().filter(|f| f.severity == Severity::Error && f.waived.is_none())
    }
}

pub fn junit(sources: &Sources, report: &Report, names: &FileNames) -> String {
    let findings = report.sorted(sources);
    // A file's document, from whichever of its findings names it, so all of a file's findings group
    // under one classname.
    let documents: HashMap<FileId, &DocumentId> =
        findings.iter().filter_map(|f| Some((f.span.file, f.document.as_ref()?))).collect();
    let mut cases: Vec<Case> = Vec::new();
    let mut index: HashMap<(String, &str), usize> = HashMap::new();
    for f in findings {
        let classname = match f.document.as_ref().or(documents.get(&f.span.file).copied()) {
            Some(id) => id.to_string(),
            None => names.of(sources.path(f.span.file)),
        };
        let family = family(f.rule.code());
        let at = *index.entry((classname.clone(), family)).or_insert_with(|| {
            cases.push(Case { classname, family, findings: Vec::new() });
            cases.len() - 1
        });
        cases[at].findings.push(f);
    }

    let failures = cases.iter().filter(|c| c.failing().next().is_some()).count();
    let rendered: String = cases.iter().map(|case| render(sources, names, case)).collect();
    suites(cases.len(), failures, 0, &rendered)
}

/// Why the command could not run: one test case holding an `<error>`.
pub fn junit_failure(error: &Error, names: &FileNames, command: &str) -> String {
    let mut text = String::new();
    for place in error.places() {
        let at = place.at.map(|at| format!(":{at}")).unwrap_or_default();
        let _ = writeln!(text, "{}{at}: {}", names.path(&place.path), printable(&place.message));
    }
    let _ = writeln!(text, "hint: {}", printable(&error.hint()));
    let case = format!(
        "    <testcase classname=\"engage\" name=\"{}\">\n      <error message=\"{}\" type=\"engage\">{}</error>\n    </testcase>\n",
        escape(command, true),
        escape(&printable(&error.headline()), true),
        escape(&text, false)
    );
    suites(1, 0, 1, &case)
}

/// The document around the test cases.
fn suites(tests: usize, failures: usize, errors: usize, cases: &str) -> String {
    let counts = format!(r#"tests="{tests}" failures="{failures}" errors="{errors}""#);
    let mut out = String::from(HEAD);
    let _ = writeln!(out, r#"<testsuites name="engage" {counts}>"#);
    let _ = writeln!(out, r#"  <testsuite name="engage" {counts} skipped="0">"#);
    out.push_str(cases);
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn render(sources: &Sources, names: &FileNames, case: &Case) -> String {
    let mut out = format!(
        "    <testcase classname=\"{}\" name=\"{}\">\n",
        escape(&case.classname, true),
        escape(case.family, true),
    );
    let failing: Vec<_> = case.failing().collect();
    if let Some(head) = failing.first() {
        let mut rules: Vec<&str> = Vec::new();
        for f in &failing {
            if !rules.contains(&f.rule.code()) {
                rules.push(f.rule.code());
            }
        }
        let more = if failing.len() > 1 { format!(" (and {} more)", failing.len() - 1) } else { String::new() };
        let message = format!("{}: {} {}{more}", place(sources, names, head), head.rule, printable(&head.message));
        let text: String = failing.iter().map(|f| line(sources, names, f) + "\n").collect();
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"{}\">{}</failure>",
            escape(&message, true),
            escape(&rules.join(" "), true),
            escape(&text, false)
        );
    }
    let passing: String = case
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Error || f.waived.is_some())
        .map(|f| {
            let note = match &f.waived {
                Some(w) => format!("waived: {} (approved by {}, until {})", w.reason, w.approver, w.expires),
                None => f.severity.to_string(),
            };
            format!("{} [{}]\n", line(sources, names, f), printable(&note))
        })
        .collect();
    if !passing.is_empty() {
        let _ = writeln!(out, "      <system-out>{}</system-out>", escape(&passing, false));
    }
    out.push_str("    </testcase>\n");
    out
}

/// `path:line:col: RULE message (help)`, on one line whatever the data holds.
fn line(sources: &Sources, names: &FileNames, f: &Finding) -> String {
    format!("{}: {} {}", place(sources, names, f), f.rule, printable(&f.summary()))
}

/// `path:line:col`.
fn place(sources: &Sources, names: &FileNames, f: &Finding) -> String {
    format!("{}:{}", names.of(sources.path(f.span.file)), f.span.start)
}

/// `SCHEMA-004` → `SCHEMA`.
fn family(code: &'static str) -> &'static str {
    code.split_once('-').map_or(code, |(family, _)| family)
}

/// Escapes text for XML content or a double-quoted attribute, and drops the characters XML 1.0
/// forbids. In attributes, tabs and line breaks become character references so parsers keep them.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// XML 1.0 `Char`, less the line breaks and tab handled by [`escape`].
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waived_findings_are_listed_and_do_not_fail() {
        let (sources, mut finding) = crate::diag::waived_sample("`SOW-1` is <bad>", "legacy numbering");
        finding.document = DocumentId::parse("SOW-1");
        let xml = junit(&sources, &Report::new(vec![finding], 1), &FileNames::within("/ws".as_ref()));
        let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="engage" tests="1" failures="0" errors="0">
  <testsuite name="engage" tests="1" failures="0" errors="0" skipped="0">
    <testcase classname="SOW-1" name="SCHEMA">
      <system-out>engagements/x/sow.yaml:2:5: SCHEMA-004 `SOW-1` is &lt;bad&gt; (use X) [waived: legacy numbering (approved by Eve Manager, until 2026-12-31)]
</system-out>
    </testcase>
  </testsuite>
</testsuites>
"#;
        assert_eq!(xml, expected);
    }

    // The failure names the first error that fails, not a waived finding or a warning above it.
    #[test]
    fn the_failure_is_placed_at_the_first_unwaived_error() {
        use crate::diag::RuleId;
        use crate::source::{Pos, Span};
        let (sources, waived) = crate::diag::waived_sample("`SOW-1` is not allowed", "legacy numbering");
        let file = waived.span.file;
        let error = |rule, line, message: &str| {
            let at = Span::point(file, Pos { line, column: 1 });
            Finding::error(rule, at, message, "").of(DocumentId::parse("SOW-1").as_ref())
        };
        let mut warning = error(RuleId::WrongType, 1, "a warning\nover two lines");
        warning.severity = Severity::Warning;
        let findings = vec![waived, warning, error(RuleId::MissingField, 3, "missing `title`")];
        let xml = junit(&sources, &Report::new(findings, 1), &FileNames::within("/ws".as_ref()));
        let failure = xml.lines().find(|l| l.contains("<failure ")).unwrap();
        assert!(
            failure.starts_with(
                r#"      <failure message="engagements/x/sow.yaml:3:1: SCHEMA-001 missing `title`" type="SCHEMA-001">"#
            ),
            "{xml}"
        );
        assert!(xml.contains("engagements/x/sow.yaml:1:1: SCHEMA-003 a warning\\nover two lines [warning]\n"), "{xml}");
    }

    #[test]
    fn escaping_keeps_markup_out_and_drops_forbidden_characters() {
        assert_eq!(escape("a<b>&\"c\"\u{7}\u{1b}\u{FFFE}\n\t\r", false), "a&lt;b&gt;&amp;\"c\"\n\t&#13;");
        assert_eq!(escape("a\"\n\t\u{0}", true), "a&quot;&#10;&#9;");
        assert_eq!(family("SCHEMA-004"), "SCHEMA");
    }
}
