//! The preview's own pages: the index of every engagement and document, the panel added to a
//! document's built HTML, and the findings shown in place of outputs that are not current. All
//! user text goes through [`escape`].

use super::state::{Snapshot, View};
use crate::diag::display_path;
use crate::diag::{Finding, Severity};
use crate::model::{Document, Kind};
use crate::render::escape_html as escape;
use crate::source::FileId;
use std::collections::HashMap;
use std::fmt::Write;

const STYLE: &str = "body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5em; } td, th { border: 1px solid #ccc; padding: .25em .6em; text-align: left; }
.error { color: #a40000; } .warning { color: #8a5a00; } .banner { background: #fdecea; border: 1px solid #a40000; padding: .5em 1em; }
form { margin-bottom: 1em; }";

/// The filters of the index, from its query.
#[derive(Debug, Default)]
pub struct Filter {
    pub engagement: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
}

/// A page of the preview around `body`, reloading itself when the workspace is rebuilt.
pub fn page(title: &str, snapshot: &Snapshot, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}{}</body>\n</html>\n",
        escape(title),
        reload_script(snapshot.generation)
    )
}

/// Listens for rebuilds and reloads the page when the one it shows is not the latest.
fn reload_script(generation: u64) -> String {
    format!(
        "<script>new EventSource('/events').onmessage = function (e) {{ if (e.data !== '{generation}') location.reload(); }};</script>\n"
    )
}

/// Counts of open (not waived) findings by file.
fn open_findings(findings: &[Finding]) -> HashMap<FileId, (usize, usize)> {
    let mut counts: HashMap<FileId, (usize, usize)> = HashMap::new();
    for finding in findings.iter().filter(|f| f.waived.is_none()) {
        let count = counts.entry(finding.span.file).or_default();
        match finding.severity {
            Severity::Error => count.0 += 1,
            Severity::Warning => count.1 += 1,
        }
    }
    counts
}

/// A document's last issued revision and how its working copy stands against it.
pub fn status(view: &View, doc: &Document) -> (String, &'static str, String) {
    let Some(id) = &doc.id else { return ("—".into(), "draft", "draft".into()) };
    let register = &view.checked.register;
    match register.of(id).last() {
        None => ("—".into(), "draft", "draft".into()),
        Some(last) if last.hashes.source == crate::record::source_digest(&view.checked.loaded, doc) => {
            (last.revision.to_string(), "issued", "issued".into())
        }
        Some(last) => (last.revision.to_string(), "changed", format!("changed since revision {}", last.revision)),
    }
}

/// When the document's last issued revision is due for periodic review, as `engage revisions`
/// says it.
fn next_review(view: &View, doc: &Document) -> String {
    let last = doc.id.as_ref().and_then(|id| view.checked.register.of(id).last().copied());
    let due = last.and_then(|r| view.workspace.settings.policy.next_review(doc.kind.name(), r.date));
    due.map_or_else(|| "—".into(), |d| d.to_string())
}

/// Every engagement with its stage and documents, filtered.
pub fn index(view: &View, filter: &Filter) -> String {
    let corpus = &view.checked.loaded.corpus;
    let counts = open_findings(&view.checked.findings);
    let registers = registers(corpus);
    let mut out = String::from("<h1>Engagements</h1>\n");
    if !view.built {
        out.push_str("<p class=\"banner\">The last build stopped: the outputs are not current. See the findings of each document below.</p>\n");
    }
    out.push_str(&filter_form(filter));
    for engagement in corpus.iter().filter(|d| d.kind == Kind::Engagement) {
        let id = engagement.id.as_ref().map_or("", |i| i.as_str());
        if filter.engagement.as_deref().is_some_and(|e| e != id) {
            continue;
        }
        let rows: String = std::iter::once(engagement)
            .chain(corpus.members(engagement).filter(|d| d.kind != Kind::Engagement))
            .filter(|doc| filter.kind.as_deref().is_none_or(|k| k == doc.kind.name()))
            .filter(|doc| filter.status.as_deref().is_none_or(|s| s == status(view, doc).1))
            .map(|doc| row(view, doc, counts.get(&doc.file).copied().unwrap_or_default()))
            .collect();
        let stage = engagement.text("stage").unwrap_or("—");
        let _ = write!(
            out,
            "<h2>{} · {}</h2>\n<p>Stage: {}{}</p>\n<table>\n<tr><th>Kind</th><th>ID</th><th>Title</th><th>Revision</th><th>Status</th><th>Open findings</th><th>Next review</th></tr>\n{rows}</table>\n",
            escape(id),
            escape(engagement.title()),
            escape(stage),
            registers.get(&engagement.file).map_or("", String::as_str)
        );
    }
    out
}

/// Links to each engagement's registers, as `build` writes them, by the engagement's file.
fn registers(corpus: &crate::model::Corpus) -> HashMap<FileId, String> {
    let mut links: HashMap<FileId, String> = HashMap::new();
    for (register, engagement) in crate::render::register::all(corpus) {
        let id = escape(&register.id(engagement));
        let _ = write!(
            links.entry(engagement.file).or_default(),
            " · <a href=\"/out/{id}.html\">{}</a> (<a href=\"/out/{id}.pdf\">PDF</a>)",
            register.label()
        );
    }
    links
}

fn filter_form(filter: &Filter) -> String {
    let field = |name: &str, value: &Option<String>| {
        format!(
            "<label>{name} <input name=\"{name}\" value=\"{}\"></label> ",
            escape(value.as_deref().unwrap_or_default())
        )
    };
    format!(
        "<form method=\"get\" action=\"/\">{}{}{}<button>Filter</button> <a href=\"/\">all</a></form>\n",
        field("engagement", &filter.engagement),
        field("kind", &filter.kind),
        field("status", &filter.status)
    )
}

fn row(view: &View, doc: &Document, (errors, warnings): (usize, usize)) -> String {
    let id = doc.id.as_ref().map_or("", |i| i.as_str());
    let (revision, _, status) = status(view, doc);
    let findings = match (errors, warnings) {
        (0, 0) => "none".to_string(),
        _ => {
            format!("<span class=\"error\">{errors} errors</span>, <span class=\"warning\">{warnings} warnings</span>")
        }
    };
    format!(
        "<tr><td>{}</td><td><a href=\"/doc/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{findings}</td><td>{}</td></tr>\n",
        doc.kind.name(),
        escape(id),
        escape(id),
        escape(doc.title()),
        escape(&revision),
        escape(&status),
        next_review(view, doc)
    )
}

/// The findings of `file` (every file when `None`), each at its file, line and column.
pub fn findings(view: &View, file: Option<FileId>) -> String {
    let sources = &view.checked.loaded.sources;
    let mut items = String::new();
    for finding in
        view.checked.findings.iter().filter(|f| f.waived.is_none() && file.is_none_or(|id| f.span.file == id))
    {
        let path = sources.path(finding.span.file);
        let at = finding.span.start;
        let _ = writeln!(
            items,
            "<li class=\"{}\"><code>{}:{}:{}</code> {} {}: {}<br><small>help: {}</small></li>",
            finding.severity,
            escape(&display_path(view.workspace.relative(path))),
            at.line,
            at.column,
            finding.severity,
            finding.rule.info().code,
            escape(&finding.message),
            escape(&finding.help)
        );
    }
    match items.is_empty() {
        true => "<p>No open findings.</p>\n".into(),
        false => format!("<ul class=\"findings\">\n{items}</ul>\n"),
    }
}

/// Shown instead of any output when the build stopped, so nothing out of date passes for current.
pub fn stopped(view: &View) -> String {
    format!(
        "<h1>The build stopped</h1>\n<p class=\"banner\">Correct the errors below and save: this page shows the documents again once the workspace builds. <a href=\"/\">All documents</a></p>\n{}",
        findings(view, None)
    )
}

/// The panel added at the end of a document's built HTML: links, findings, revision history.
pub fn panel(view: &View, doc: &Document, generation: u64) -> String {
    let id = doc.id.as_ref().map_or("", |i| i.as_str());
    let id_html = escape(id);
    let revisions = view.checked.register.of(doc.id.as_ref().expect("a built document has an ID"));
    let mut history = String::new();
    let mut previous: Option<String> = None;
    for record in &revisions {
        let revision = record.revision.to_string();
        let against_previous = previous.as_ref().map_or(String::new(), |p| {
            format!(
                " <a href=\"/doc/{id_html}/redline?from={}&amp;to={}\">redline from {}</a>",
                escape(p),
                escape(&revision),
                escape(p)
            )
        });
        let _ = writeln!(
            history,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"/doc/{id_html}/redline?from={}&amp;to=working\">redline to working copy</a>{against_previous}</td></tr>",
            escape(&revision),
            record.date,
            escape(&record.author),
            escape(&record.reason),
            escape(&revision)
        );
        previous = Some(revision);
    }
    let history = match history.is_empty() {
        true => "<p>No revision issued yet.</p>\n".into(),
        false => format!(
            "<table>\n<tr><th>Revision</th><th>Date</th><th>Author</th><th>Reason</th><th>Redline</th></tr>\n{history}</table>\n"
        ),
    };
    let (_, _, status) = status(view, doc);
    format!(
        "<aside id=\"engage-serve\" style=\"border-top: 3px solid #1F4E79; margin-top: 3em; padding-top: 1em; font: 14px/1.45 system-ui, sans-serif;\">\n<p><a href=\"/\">All documents</a> · <a href=\"/out/{id_html}.pdf\">PDF</a> · <a href=\"/out/{id_html}.md\">Markdown</a> · Status: {}</p>\n<h2>Findings</h2>\n{}<h2>Revisions</h2>\n{history}</aside>\n{}",
        escape(&status),
        findings(view, Some(doc.file)),
        reload_script(generation)
    )
}
