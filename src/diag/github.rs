//! GitHub Actions workflow commands (`--format github`): each finding becomes an annotation on the
//! pull request's diff and the run's summary.
//!
//! ```text
//! ::error file=engagements/nwl/sow.yaml,line=14,col=7,endLine=14,endColumn=13,title=SCHEMA-001 Required field missing::`deliverables[2]` is missing ... (add `owner:` ...)
//! 2 errors, 0 warnings, 0 waived in 9 files
//! ```
//!
//! Errors are `::error`, warnings `::warning`, and waived findings `::notice` with the waiver, so they
//! stay visible without failing. The last line is a plain summary (it never starts with `::`), since
//! GitHub shows at most 10 errors and 10 warnings per step.
//!
//! Text is escaped exactly as the Actions toolkit escapes it (`%`, CR and LF in the message; also
//! `:` and `,` in properties). With every line break escaped, nothing from the data can start an
//! output line, so a YAML value cannot inject `::stop-commands::` or a fake annotation.

use super::{FileNames, Finding, Report, Severity};
use crate::error::Error;
use crate::source::Sources;

/// The title of the annotations that say engage could not run.
const FAILED: &str = "engage could not run";

pub fn github(sources: &Sources, report: &Report, names: &FileNames) -> String {
    let mut out: String = report.sorted(sources).into_iter().map(|f| command(sources, names, f) + "\n").collect();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    out.push_str(&format!(
        "{}, {}, {} waived in {}\n",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        report.waived(),
        plural(report.files, "file"),
    ));
    out
}

/// Why the command could not run: an error annotation at each place it names, else one without a
/// file, each with what to do.
pub fn github_failure(error: &Error, names: &FileNames) -> String {
    let title = ("title", FAILED.to_string());
    let hint = error.hint();
    let places = error.places();
    if places.is_empty() {
        return workflow_command("error", &[title], &format!("{} ({hint})", error.headline())) + "\n";
    }
    places
        .iter()
        .map(|place| {
            let mut properties = vec![("file", names.path(&place.path))];
            if let Some(at) = place.at {
                properties.extend([("line", at.line.to_string()), ("col", at.column.to_string())]);
            }
            properties.push(title.clone());
            workflow_command("error", &properties, &format!("{} ({hint})", place.message)) + "\n"
        })
        .collect()
}

fn command(sources: &Sources, names: &FileNames, f: &Finding) -> String {
    let name = match (&f.waived, f.severity) {
        (Some(_), _) => "notice",
        (None, Severity::Error) => "error",
        (None, Severity::Warning) => "warning",
    };
    let info = f.rule.info();
    let properties = [
        ("file", names.of(sources.path(f.span.file))),
        ("line", f.span.start.line.to_string()),
        ("col", f.span.start.column.to_string()),
        ("endLine", f.span.end.line.to_string()),
        ("endColumn", f.span.end.column.to_string()),
        ("title", format!("{} {}", info.code, info.title)),
    ];
    let mut message = f.summary();
    if let Some(w) = &f.waived {
        message.push_str(&format!("; waived: {} (approved by {}, until {})", w.reason, w.approver, w.expires));
    }
    workflow_command(name, &properties, &message)
}

/// `::NAME key=value,...::message`, escaped as the toolkit's `issueCommand` escapes.
fn workflow_command(name: &str, properties: &[(&str, String)], message: &str) -> String {
    let properties =
        properties.iter().map(|(key, value)| format!("{key}={}", escape_property(value))).collect::<Vec<_>>().join(",");
    format!("::{name} {properties}::{}", escape_data(message))
}

/// The toolkit's `escapeData`.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// The toolkit's `escapeProperty`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waived_findings_are_notices() {
        let (sources, finding) = crate::diag::waived_sample("`SOW-1` is not allowed", "legacy: 100%\nsigned off");
        let out = github(&sources, &Report::new(vec![finding], 1), &FileNames::within("/ws".as_ref()));
        assert_eq!(
            out,
            "::notice file=engagements/x/sow.yaml,line=2,col=5,endLine=2,endColumn=10,title=SCHEMA-004 Value not allowed\
             ::`SOW-1` is not allowed (use X); waived: legacy: 100%25%0Asigned off (approved by Eve Manager, until 2026-12-31)\n\
             0 errors, 0 warnings, 1 waived in 1 file\n"
        );
    }

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
    }
}
