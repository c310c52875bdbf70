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

use super::{FileNames, Finding, Report, Severity};
use crate::error::Error;
use crate::source::Sources;
use serde::Serialize;
use serde_json::{Value, json as value};
use std::io::{self, Write};

/// Writes the findings' document to `out`, one finding at a time.
pub fn json(out: &mut dyn Write, sources: &Sources, report: &Report, names: &FileNames) -> io::Result<()> {
    let summary = Summary {
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        waived: report.waived(),
        files: report.files,
    };
    let findings = Listing { sorted: report.sorted(sources), sources, names };
    serde_json::to_writer_pretty(&mut *out, &Findings { version: 1, summary, findings })?;
    out.write_all(b"\n")
}

// The document as typed data written as it is made, rather than a `Value` or a list of entries:
// a workspace with a finding in every file has hundreds of thousands, and a `Value` map for each
// took gigabytes.
#[derive(Serialize)]
struct Findings<'a> {
    version: u32,
    summary: Summary,
    findings: Listing<'a>,
}

/// The findings in order, each turned into its entry only as it is written.
struct Listing<'a> {
    sorted: Vec<&'a Finding>,
    sources: &'a Sources,
    names: &'a FileNames,
}

impl Serialize for Listing<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.sorted.iter().map(|f| Listed {
            rule: f.rule.code(),
            severity: f.severity.to_string(),
            file: self.names.of(self.sources.path(f.span.file)),
            line: f.span.start.line,
            column: f.span.start.column,
            end_line: f.span.end.line,
            end_column: f.span.end.column,
            field: &f.field,
            message: &f.message,
            help: &f.help,
            waived: f.waived.as_ref().map(|w| Waived { reason: &w.reason, approver: &w.approver, expires: &w.expires }),
        }))
    }
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
