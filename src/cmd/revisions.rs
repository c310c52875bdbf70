//! `engage revisions [DOC-ID]`: every issued revision of a document (the last one `issued`, the
//! others `superseded`), or the latest revision of every document; each with the state of its
//! working copy and the date its last revision is due for periodic review.

use crate::cli::{ListFormat, RevisionsArgs};
use crate::cmd::Outcome;
use crate::error::Error;
use crate::load::{self, Loaded};
use crate::model::DocumentId;
use crate::record::{Records, RevisionRecord};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::path::Path;

pub fn run(dir: Option<&Path>, args: &RevisionsArgs) -> Result<Outcome, Error> {
    let workspace = Workspace::find(dir)?;
    let register = Records::of(&workspace).read_whole()?;
    let loaded = load::load(&workspace)?;
    let text = match &args.id {
        Some(id) => {
            let id = super::document_id(id)?;
            let revisions = register.of(&id);
            if revisions.is_empty() {
                super::find_document(&loaded, id.as_str())?;
            }
            let working = working_copy(&loaded, &id, revisions.last().copied());
            let review = revisions.last().and_then(|r| next_review(&workspace, &loaded, r));
            match args.format {
                ListFormat::Text => one_text(&id, &revisions, working, review),
                ListFormat::Json => pretty(&one_json(&id, &revisions, working, review)),
            }
        }
        None => {
            let latest = register.latest();
            let rows: Vec<Latest> = latest
                .values()
                .map(|r| Latest {
                    record: r,
                    working: working_copy(&loaded, &r.document, Some(r)),
                    review: next_review(&workspace, &loaded, r),
                })
                .collect();
            match args.format {
                ListFormat::Text => all_text(&rows),
                ListFormat::Json => pretty(&json!({"documents": rows.iter().map(|row| {
                    let r = row.record;
                    json!({
                        "document": r.document.as_str(),
                        "revisions": register.of(&r.document).len(),
                        "working_copy": row.working,
                        "next_review": row.review.map(|d| d.to_string()),
                        "latest": r.to_json(false),
                    })
                }).collect::<Vec<_>>()})),
            }
        }
    };
    out!("{text}");
    Ok(Outcome::Clean)
}

/// How the working copy stands against the last revision: `unchanged`, `changed`, `not issued`
/// or `missing` (no data file has the ID any more).
fn working_copy(loaded: &Loaded, id: &DocumentId, last: Option<&RevisionRecord>) -> &'static str {
    let Some(doc) = loaded.corpus.get(id) else { return "missing" };
    match last {
        None => "not issued",
        Some(r) if r.hashes.source == crate::record::source_digest(loaded, doc) => "unchanged",
        Some(_) => "changed",
    }
}

/// The latest revision of one document, as the list of every document shows it.
struct Latest<'a> {
    record: &'a RevisionRecord,
    working: &'static str,
    review: Option<NaiveDate>,
}

/// When the last revision of a document is due for its periodic review (`None` when its kind
/// has no review cycle, or the document is no longer in the workspace).
fn next_review(workspace: &Workspace, loaded: &Loaded, last: &RevisionRecord) -> Option<NaiveDate> {
    let doc = loaded.corpus.get(&last.document)?;
    workspace.settings.policy.next_review(doc.kind.name(), last.date)
}

fn shown(review: Option<NaiveDate>) -> String {
    review.map_or_else(|| "none".into(), |d| d.to_string())
}

fn status(i: usize, count: usize) -> &'static str {
    if i + 1 == count { "issued" } else { "superseded" }
}

fn one_text(id: &DocumentId, revisions: &[&RevisionRecord], working: &str, review: Option<NaiveDate>) -> String {
    if revisions.is_empty() {
        return format!("{id}: no revision has been issued yet\n");
    }
    let mut rows = vec![["revision", "date", "author", "status", "approved by", "reason"].map(String::from).to_vec()];
    for (i, r) in revisions.iter().enumerate() {
        rows.push(vec![
            r.revision.to_string(),
            r.date.to_string(),
            r.author.clone(),
            status(i, revisions.len()).into(),
            r.approved_by().join(", "),
            r.reason.clone(),
        ]);
    }
    let last = revisions.last().expect("not empty").revision;
    let working = match working {
        "unchanged" => format!("the working copy is revision {last}, unchanged"),
        "changed" => format!("the working copy has changed since revision {last}"),
        _ => "the document is no longer in the workspace".into(),
    };
    format!("{id}\n{}{working}\nnext review: {}\n", table(&rows), shown(review))
}

fn one_json(id: &DocumentId, revisions: &[&RevisionRecord], working: &str, review: Option<NaiveDate>) -> Value {
    let list: Vec<Value> = revisions.iter().enumerate().map(|(i, r)| r.to_json(i + 1 < revisions.len())).collect();
    json!({
        "document": id.as_str(),
        "working_copy": working,
        "next_review": review.map(|d| d.to_string()),
        "revisions": list,
    })
}

fn all_text(rows: &[Latest]) -> String {
    if rows.is_empty() {
        return "no revision has been issued yet\n".into();
    }
    let mut table_rows = vec![
        ["document", "revision", "date", "author", "working copy", "next review", "reason"].map(String::from).to_vec(),
    ];
    for row in rows {
        let r = row.record;
        table_rows.push(vec![
            r.document.to_string(),
            r.revision.to_string(),
            r.date.to_string(),
            r.author.clone(),
            row.working.to_string(),
            shown(row.review),
            r.reason.clone(),
        ]);
    }
    table(&table_rows)
}

/// Left-aligned columns two spaces apart; the last column is not padded.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows[0].len();
    let widths: Vec<usize> =
        (0..columns).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| if c + 1 == columns { cell.clone() } else { format!("{cell:<width$}", width = widths[c]) })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("JSON serialises") + "\n"
}
