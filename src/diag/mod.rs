//! Findings — problems in the user's data — and the formats they are reported in.
//!
//! A finding is data, never an early return: every step collects all of them, and the command's
//! exit code follows from the [`Report`].

mod github;
mod human;
mod json;
mod junit;
mod paths;
mod rules;
mod sarif;

pub use github::{github, github_failure};
pub use human::{Human, summary};
pub use json::{json, json_failure};
pub use junit::{junit, junit_failure};
pub use paths::{FileNames, display_path};
pub use rules::{RuleId, RuleInfo};
pub use sarif::{SarifRun, sarif, sarif_failure};

use crate::model::DocumentId;
use crate::source::{FileId, Sources, Span};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A policy waiver that accepts a finding for a time: reported, but not failing the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub reason: String,
    pub approver: String,
    /// `YYYY-MM-DD`; the waiver lapses after this day.
    pub expires: String,
}

/// One problem: where it is, which rule found it, what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub span: Span,
    /// The document concerned, when the file was recognised as one.
    pub document: Option<DocumentId>,
    /// Set when a waiver in the policy accepts this finding.
    pub waived: Option<Waiver>,
    /// The field concerned, in the dotted form users read (`deliverables[2].owner`); empty for the
    /// whole file.
    pub field: String,
    pub message: String,
    pub help: String,
}

impl Finding {
    /// The finding placed in `file`, at the same position: for a file read on its own first.
    pub fn in_file(mut self, file: FileId) -> Self {
        self.span.file = file;
        self
    }

    pub fn error(rule: RuleId, span: Span, message: impl Into<String>, help: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: Severity::Error,
            span,
            document: None,
            waived: None,
            field: String::new(),
            message: message.into(),
            help: help.into(),
        }
    }

    pub fn of(mut self, document: Option<&DocumentId>) -> Self {
        self.document = document.cloned();
        self
    }

    pub fn at_field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    /// The message, then what to do in brackets: the one-line form of the machine formats.
    pub fn summary(&self) -> String {
        if self.help.is_empty() { self.message.clone() } else { format!("{} ({})", self.message, self.help) }
    }
}

/// Turns a JSON pointer (`/deliverables/2/owner`) into the form users read (`deliverables[2].owner`).
pub fn field_path(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    out
}

/// All findings of a run, sorted by file, position and rule so output is stable.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// How many data files were read.
    pub files: usize,
}

impl Report {
    pub fn new(mut findings: Vec<Finding>, files: usize) -> Self {
        findings.sort_by(|a, b| (a.span, a.rule, &a.field, &a.message).cmp(&(b.span, b.rule, &b.field, &b.message)));
        findings.dedup();
        Report { findings, files }
    }

    /// Findings of a severity that are not waived.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity && f.waived.is_none()).count()
    }

    pub fn waived(&self) -> usize {
        self.findings.iter().filter(|f| f.waived.is_some()).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// Findings sorted for people: by file path (not by the order files were read).
    pub fn sorted<'a>(&'a self, sources: &Sources) -> Vec<&'a Finding> {
        let mut sorted: Vec<_> = self.findings.iter().collect();
        sorted.sort_by(|a, b| {
            (sources.path(a.span.file), a.span.start, a.rule).cmp(&(sources.path(b.span.file), b.span.start, b.rule))
        });
        sorted
    }
}

/// A waived SCHEMA-004 finding at 2:5–2:10 of `engagements/x/sow.yaml`, for the format tests.
#[cfg(test)]
pub(crate) fn waived_sample(message: &str, reason: &str) -> (Sources, Finding) {
    let mut sources = Sources::default();
    let file = sources.add("engagements/x/sow.yaml".into(), "kind: StatementOfWork\nid: SOW-1\n".into());
    let at = |column| crate::source::Pos { line: 2, column };
    let mut finding =
        Finding::error(RuleId::ValueNotAllowed, Span { file, start: at(5), end: at(10) }, message, "use X");
    finding.waived =
        Some(Waiver { reason: reason.into(), approver: "Eve Manager".into(), expires: "2026-12-31".into() });
    (sources, finding)
}

#[cfg(test)]
mod tests {
    use super::field_path;

    #[test]
    fn field_paths_read_like_code() {
        assert_eq!(field_path(""), "");
        assert_eq!(field_path("/deliverables/2/owner"), "deliverables[2].owner");
        assert_eq!(field_path("/a~1b/0/0"), "a/b[0][0]");
    }
}
