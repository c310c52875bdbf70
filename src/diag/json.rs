//! The documented, stable JSON form of findings (`--format json`).
//!
//! ```json
//! {"version": 1, "summary": {"errors": 1, "warnings": 0, "waived": 0, "files": 9},
//!  "findings": [{"rule": "SCHEMA-001", "severity": "error", "file": "engagements/x/sow.yaml",
//!                "line": 14, "column": 7, "end_line": 14, "end_column": 13,
//!                "field": "deliverables[2].owner", "message": "...", "help": "...",
//!                "waived": null}]}
//! ```
//! Paths are relative to the current folder (`..` where a file is outside it) and use `/`, as in
//! the human report; run from the workspace root, they are relative to the workspace. Lines and
//! columns are 1-based, columns count characters, `end_column` is exclusive. `errors` and
//! `warnings` count findings that are not waived; a waived finding carries
//! `{"reason", "approver", "expires"}`.
//!
//! When the command could not run (exit code 2: an invalid engage.yaml, an unreadable file), the
//! document holds the error instead of a summary and findings, so that no reader mistakes it for
//! a clean report:
//!
//! ```json
//! {"version": 1,
//!  "error": {"message": "engage.yaml is not valid:", "hint": "correct engage.yaml as shown; ...",
//!            "places": [{"file": "engage.yaml", "line": 15, "column": 14,
//!                        "message": "`fatal` is not an allowed value (...)"}]}}
//! ```
//! `line` and `column` are null when the problem is the whole file (it cannot be read).

use super::{FileNames, Report, Severity};
use crate::error::Error;
use crate::source::Sources;
use serde::Serialize;
use serde_json::{Value, json as value};

pub fn json(sources: &Sources, report: &Report, names: &FileNames) -> String {
    let findings = report.sorted(sources).into_iter().map(|f| Listed {
        rule: f.rule.code(),
        severity: f.severity.to_string(),
        file: names.of(sources.path(f.span.file)),
        line: f.span.start.line,
        column: f.span.start.column,
        end_line: f.span.end.line,
        end_column: f.span.end.column,
        field: &f.field,
        message: &f.message,
        help: &f.help,
        waived: f.waived.as_ref().map(|w| Waived { reason: &w.reason, approver: &w.approver, expires: &w.expires }),
    });
    let summary = Summary {
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        waived: report.waived(),
        files: report.files,
    };
    let document = Findings { version: 1, summary, findings: findings.collect() };
    format!("{}\n", serde_json::to_string_pretty(&document).expect("findings always serialise"))
}

// The document as typed data rather than a `Value`: a workspace with a finding in every file
// has hundreds of thousands, and a `Value` map for each took gigabytes.
#[derive(Serialize)]
struct Findings<'a> {
    version: u32,
    summary: Summary,
    findings: Vec<Listed<'a>>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    waived: usize,
    files: usize,
}

#[derive(Serialize)]
struct Listed<'a> {
    rule: &'static str,
    severity: String,
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    field: &'a str,
    message: &'a str,
    help: &'a str,
    waived: Option<Waived<'a>>,
}

#[derive(Serialize)]
struct Waived<'a> {
    reason: &'a str,
    approver: &'a str,
    expires: &'a str,
}

/// Why the command could not run, as data.
pub fn json_failure(error: &Error, names: &FileNames) -> String {
    let places: Vec<_> = error
        .places()
        .iter()
        .map(|p| {
            value!({
                "file": names.path(&p.path),
                "line": p.at.map(|at| at.line),
                "column": p.at.map(|at| at.column),
                "message": p.message,
            })
        })
        .collect();
    pretty(&value!({
        "version": 1,
        "error": {"message": error.headline(), "hint": error.hint(), "places": places},
    }))
}

fn pretty(document: &Value) -> String {
    format!("{}\n", serde_json::to_string_pretty(document).expect("JSON values always serialise"))
}
