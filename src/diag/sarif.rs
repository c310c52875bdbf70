//! SARIF 2.1.0 (`--format sarif`), the static-analysis format GitHub code scanning uploads.
//!
//! The log is valid against the OASIS schema and meets GitHub's further rules: every rule carries
//! `shortDescription`, `fullDescription`, `help`, a PascalCase `name` and its real severity as
//! `defaultConfiguration.level`; every result has one percent-encoded URI relative to
//! `%SRCROOT%`, a full region (`endColumn` exclusive, columns counted in Unicode code points as the
//! run's `columnKind` says) and `partialFingerprints`. `%SRCROOT%` is the root of the git work
//! tree that holds the workspace (else the current folder), which `originalUriBaseIds` gives as an
//! absolute `file:` URI: GitHub resolves a URI against the repository root, so a workspace in a
//! subfolder still annotates the right files. `automationDetails.id` tells the runs apart
//! (`engage/check/`, `engage/validate/`, or `--category`), so that uploading one does not close
//! the other's alerts. Microsoft's SARIF multitool (`validate --rule-kind "Sarif;Gh"`) finds no
//! error and no warning in these logs (tests/cli/consumers.rs).
//!
//! The fingerprint hashes the rule, file (relative to the workspace, wherever engage runs), field
//! and message, never the line, so a finding keeps its identity (and its alert, and any dismissal)
//! when lines are inserted above it. Identical findings in one file are told apart by their order
//! (`HASH:2` for the second), as GitHub's own line hashes are. Waived findings are reported with an
//! accepted external suppression, never dropped.
//!
//! When the command could not run (an invalid engage.yaml, an unreadable file), the log has no
//! results and its invocation says `executionSuccessful: false`, with each problem as a tool
//! execution notification at its place.

use super::{FileNames, Finding, Report, RuleId, Severity, Waiver};
use crate::error::Error;
use crate::source::{Pos, Sources};
use serde_json::{Map, Value, json as value};
use std::collections::HashMap;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of our fingerprint in `partialFingerprints`; the suffix is bumped if the hash ever changes.
pub const FINGERPRINT: &str = "engageFinding/v1";

/// The base every location is relative to.
const SRCROOT: &str = "%SRCROOT%";

/// Which run a log comes from, and how it names files.
pub struct SarifRun<'a> {
    pub names: &'a FileNames,
    /// `automationDetails.id`: `CATEGORY/`, a category with no run of its own.
    pub automation: String,
}

pub fn sarif(sources: &Sources, report: &Report, run: &SarifRun) -> String {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let results: Vec<Value> = report
        .sorted(sources)
        .into_iter()
        .map(|f| {
            let hash = fingerprint(sources, f);
            let occurrence = seen.entry(hash).or_default();
            *occurrence += 1;
            result(sources, run.names, f, format!("{hash:016x}:{occurrence}"))
        })
        .collect();
    log(run, results, value!({"executionSuccessful": true}))
}

/// Why the command could not run: no results, and the problems as notifications.
pub fn sarif_failure(error: &Error, run: &SarifRun) -> String {
    let hint = error.hint();
    let mut notifications: Vec<Value> = error
        .places()
        .iter()
        .map(|place| {
            let uri = percent_encode(&run.names.path(&place.path));
            let mut physical = value!({"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}});
            if let Some(at) = place.at {
                physical["region"] = value!({"startLine": at.line, "startColumn": at.column});
            }
            value!({
                "level": "error",
                "message": {"text": sentence(&format!("{} ({hint})", place.message))},
                "locations": [{"physicalLocation": physical}],
            })
        })
        .collect();
    if notifications.is_empty() {
        notifications.push(value!({
            "level": "error",
            "message": {"text": sentence(&format!("{} ({hint})", error.headline()))},
        }));
    }
    log(run, Vec::new(), value!({"executionSuccessful": false, "toolExecutionNotifications": notifications}))
}

fn log(run: &SarifRun, results: Vec<Value>, invocation: Value) -> String {
    let log = value!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "engage",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_HOMEPAGE"),
                    "rules": RuleId::ALL.iter().map(|&r| rule(r)).collect::<Vec<_>>(),
                }
            },
            "invocations": [invocation],
            "automationDetails": {"id": run.automation},
            "originalUriBaseIds": {
                SRCROOT: {
                    "uri": directory_uri(run.names),
                    "description": {"text": sentence(&format!("The base of every location: {}", run.names.base_is()))},
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    format!("{}\n", serde_json::to_string_pretty(&log).expect("JSON values always serialise"))
}

fn rule(rule: RuleId) -> Value {
    let info = rule.info();
    let text = format!(
        "{}: {}. Why: {} Run `engage explain {}` for what it checks and how to fix it.",
        info.code, info.title, info.rationale, info.code
    );
    let markdown = format!(
        "**{}: {}**\n\n{}\n\nRun `engage explain {}` for what it checks and how to fix it.",
        info.code, info.title, info.rationale, info.code
    );
    value!({
        "id": info.code,
        "name": pascal_case(info.title),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.rationale},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": level(info.severity)},
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn result(sources: &Sources, names: &FileNames, f: &Finding, fingerprint: String) -> Value {
    let path = names.of(sources.path(f.span.file));
    let (start, end) = region(sources, f);
    let text = sentence(&f.summary());
    let mut result = value!({
        "ruleId": f.rule.code(),
        "ruleIndex": RuleId::ALL.iter().position(|&r| r == f.rule).expect("every rule is in RuleId::ALL"),
        "level": level(f.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": percent_encode(&path), "uriBaseId": SRCROOT},
                "region": {
                    "startLine": start.line,
                    "startColumn": start.column,
                    "endLine": end.line,
                    "endColumn": end.column,
                }
            }
        }],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    });
    let object = result.as_object_mut().expect("a result is an object");
    if let Some(waiver) = &f.waived {
        object.insert("suppressions".into(), value!([suppression(waiver)]));
    }
    let mut properties = Map::new();
    if !f.field.is_empty() {
        properties.insert("field".into(), f.field.clone().into());
    }
    if let Some(document) = &f.document {
        properties.insert("document".into(), document.as_str().into());
    }
    if !properties.is_empty() {
        object.insert("properties".into(), properties.into());
    }
    result
}

fn suppression(waiver: &Waiver) -> Value {
    value!({
        "kind": "external",
        "status": "accepted",
        "justification": format!("{} (approved by {}, until {})", waiver.reason, waiver.approver, waiver.expires),
    })
}

/// The finding's region; an empty span is widened to the character it points at, when there is one,
/// so viewers have something to underline.
fn region(sources: &Sources, f: &Finding) -> (Pos, Pos) {
    let (start, mut end) = (f.span.start, f.span.end);
    if end <= start {
        end = start;
        let line_length = sources.get(f.span.file).line(start.line).chars().count();
        if (start.column as usize) <= line_length {
            end.column = start.column + 1;
        }
    }
    (start, end)
}

/// FNV-1a (64 bit) of rule, file, field and message, separated by NUL so no two inputs run together.
fn fingerprint(sources: &Sources, f: &Finding) -> u64 {
    let path = crate::diag::display_path(sources.path(f.span.file));
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [f.rule.code(), &path, &f.field, &f.message] {
        for &byte in part.as_bytes().iter().chain(&[0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// `Missing or unknown kind` → `MissingOrUnknownKind`; `Malformed YAML` → `MalformedYaml`: each
/// word capitalised, the rest of it in lower case, so that no two capitals run together.
fn pascal_case(title: &str) -> String {
    title
        .replace(['\'', '\u{2019}'], "")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .flat_map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars.map(|c| c.to_ascii_lowercase()))
        })
        .collect()
}

/// Text ending with a full stop, as SARIF asks of every message.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '?', '!']) { text.to_string() } else { format!("{text}.") }
}

/// The base folder as an absolute `file:` URI, ending with `/` as a base URI must.
fn directory_uri(names: &FileNames) -> String {
    let path = crate::diag::display_path(names.base());
    let path = percent_encode(path.trim_end_matches('/'));
    format!("file://{}/", if path.starts_with('/') { path } else { format!("/{path}") })
}

/// Percent-encodes a relative path for a URI: everything but unreserved characters and `/`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;
    use std::path::PathBuf;

    fn waived_report() -> (Sources, Report) {
        let (sources, finding) = crate::diag::waived_sample("`SOW-1` is not an allowed value", "legacy numbering");
        (sources, Report::new(vec![finding], 1))
    }

    #[test]
    fn waived_findings_are_suppressed_not_hidden() {
        let (sources, report) = waived_report();
        let run = SarifRun { names: &FileNames::within("/ws".as_ref()), automation: "engage/check/".into() };
        let log: Value = serde_json::from_str(&sarif(&sources, &report, &run)).unwrap();
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "SCHEMA-004");
        assert_eq!(
            result["suppressions"],
            value!([{
                "kind": "external",
                "status": "accepted",
                "justification": "legacy numbering (approved by Eve Manager, until 2026-12-31)",
            }])
        );
    }

    #[test]
    fn names_uris_and_empty_regions() {
        assert_eq!(pascal_case("Missing or unknown kind"), "MissingOrUnknownKind");
        assert_eq!(pascal_case("Malformed YAML"), "MalformedYaml");
        assert_eq!(pascal_case("Within the policy's limits"), "WithinThePolicysLimits");
        assert_eq!(sentence("a (b)"), "a (b).");
        assert_eq!(sentence("done."), "done.");
        assert_eq!(percent_encode("engagements/t é/a,b%.yaml"), "engagements/t%20%C3%A9/a%2Cb%25.yaml");

        let mut sources = Sources::default();
        let file = sources.add(PathBuf::from("a.yaml"), "kind: X\n".into());
        let at = |column| Span::point(file, Pos { line: 1, column });
        let finding = |span| Finding::error(RuleId::UnknownKind, span, "m", "");
        assert_eq!(region(&sources, &finding(at(1))).1, Pos { line: 1, column: 2 });
        assert_eq!(region(&sources, &finding(at(8))).1, Pos { line: 1, column: 8 }, "past the end stays empty");
    }
}
