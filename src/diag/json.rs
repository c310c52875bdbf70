//! The documented, stable JSON form of findings (`--format json`).
//!
//! ```json
//! {"version": 1, "summary": {"errors": 1, "warnings": 0, "waived": 0, "files": 9},
//!  "findings": [{"rule": "SCHEMA-001", "severity": "error", "file": "engagements/x/sow.yaml",
//!                "line": 14, "column": 7, "end_line": 14, "end_column": 13,
//!                "field": "deliverables[2].owner", "message": "...", "help": "...",
//!                "waived": null}]}
//! ```
//! Paths are relative to the workspace and use `/`; lines and columns are 1-based, columns count
//! characters, `end_column` is exclusive. `errors` and `warnings` count findings that are not waived;
//! a waived finding carries `{"reason", "approver", "expires"}`.

use super::{Report, Severity};
use crate::source::Sources;
use serde_json::json as value;

pub fn json(sources: &Sources, report: &Report) -> String {
    let findings: Vec<_> = report
        .sorted(sources)
        .into_iter()
        .map(|f| {
            value!({
                "rule": f.rule.code(),
                "severity": f.severity.to_string(),
                "file": crate::workspace::display_path(sources.path(f.span.file)),
                "line": f.span.start.line,
                "column": f.span.start.column,
                "end_line": f.span.end.line,
                "end_column": f.span.end.column,
                "field": f.field,
                "message": f.message,
                "help": f.help,
                "waived": f.waived.as_ref().map(|w| value!({"reason": w.reason, "approver": w.approver, "expires": w.expires})),
            })
        })
        .collect();
    let document = value!({
        "version": 1,
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "waived": report.waived(),
            "files": report.files,
        },
        "findings": findings,
    });
    format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON values always serialise"))
}
