//! Step 2, validate: every document against its kind's JSON Schema, plus the structural checks
//! every later step relies on (unique IDs, each document belongs to an engagement).
//!
//! Schema errors are turned into findings a non-programmer can act on: they point at the node (for
//! a missing field, at the object that lacks it), list allowed values, and suggest the nearest
//! allowed name for a misspelt field.

mod messages;
pub mod schemas;

pub use messages::Target;
pub use schemas::Schemas;

use crate::diag::{Finding, RuleId};
use crate::model::{Corpus, Document, Kind};
use crate::source::Span;
use std::collections::{BTreeMap, HashSet};

/// All schema and structural findings for the corpus. Documents are validated on every core.
pub fn corpus(corpus: &Corpus, schemas: &Schemas) -> Vec<Finding> {
    let docs: Vec<&Document> = corpus.iter().collect();
    let per_document = crate::parallel::map(&docs, crate::parallel::default_workers(), |doc| document(doc, schemas));
    let mut findings: Vec<Finding> = per_document.into_iter().flatten().collect();
    findings.extend(structure(corpus));
    findings
}

/// The structural findings: IDs used twice, documents that belong to no engagement.
pub fn structure(corpus: &Corpus) -> Vec<Finding> {
    let mut findings = duplicate_ids(corpus);
    findings.extend(orphans(corpus));
    findings
}

/// Schema findings for one document, at most one per field and rule (a bad date would otherwise
/// be reported by both its `format` and its `pattern`).
pub fn document(doc: &Document, schemas: &Schemas) -> Vec<Finding> {
    let schema = schemas::file_name(doc.kind);
    let target = Target { file: doc.file, spans: &doc.spans, schema: &schema, document: doc.id.as_ref() };
    value(&target, &doc.data, schemas)
}

/// Schema findings for any value, at most one per field and rule.
pub fn value(target: &Target, value: &serde_json::Value, schemas: &Schemas) -> Vec<Finding> {
    let mut seen = HashSet::new();
    schemas
        .validator(target.schema)
        .iter_errors(value)
        .flat_map(|error| messages::findings(target, schemas, &error))
        .filter(|f| seen.insert(identity(f)))
        .collect()
}

/// When two schema errors are the same finding for a reader: a value that breaks several
/// constraints at once (an empty text is both too short and off its pattern) gets one finding;
/// each missing or unknown field gets its own.
fn identity(finding: &Finding) -> (String, RuleId, String) {
    match finding.rule {
        RuleId::MissingField | RuleId::UnknownField => (finding.field.clone(), finding.rule, finding.message.clone()),
        RuleId::ConstraintViolated => (finding.field.clone(), RuleId::ValueNotAllowed, String::new()),
        rule => (finding.field.clone(), rule, String::new()),
    }
}

fn id_span(doc: &Document) -> Span {
    let at = doc.spans.locate("/id");
    Span { file: doc.file, start: at.start, end: at.end }
}

/// Every file holding an ID that another file holds too gets a finding, the first one naming the
/// second: whichever of them a command is asked about (`engage check FILE`), it is told.
fn duplicate_ids(corpus: &Corpus) -> Vec<Finding> {
    let mut by_id: BTreeMap<_, Vec<&Document>> = BTreeMap::new();
    for doc in corpus.iter() {
        if let Some(id) = &doc.id {
            by_id.entry(id).or_default().push(doc);
        }
    }
    let place = |doc: &Document| {
        format!("{} at line {}", crate::workspace::display_path(&doc.path), doc.spans.locate("/id").start.line)
    };
    by_id
        .into_iter()
        .filter(|(_, docs)| docs.len() > 1)
        .flat_map(|(id, docs)| {
            let (first, second) = (docs[0], docs[1]);
            docs.into_iter().enumerate().map(move |(i, doc)| {
                let message = match i {
                    0 => format!("the document ID `{id}` is also used in {}", place(second)),
                    _ => format!("the document ID `{id}` is already used (first in {})", place(first)),
                };
                Finding::error(
                    RuleId::DuplicateId,
                    id_span(doc),
                    message,
                    "give this document an ID of its own; IDs are unique across the workspace",
                )
                .at_field("id")
                .of(doc.id.as_ref())
            })
        })
        .collect()
}

fn orphans(corpus: &Corpus) -> Vec<Finding> {
    corpus
        .iter()
        .filter(|doc| doc.kind != Kind::Engagement && corpus.engagement_of(doc).is_none())
        .map(|doc| match doc.text("engagement") {
            Some(named) => {
                let at = doc.spans.locate("/engagement");
                Finding::error(
                    RuleId::UnknownEngagement,
                    Span { file: doc.file, start: at.start, end: at.end },
                    format!("no Engagement has the ID `{named}`"),
                    "use the `id` of an Engagement file in this workspace",
                )
                .at_field("engagement")
                .of(doc.id.as_ref())
            }
            None => Finding::error(
                RuleId::UnknownEngagement,
                id_span(doc),
                "this document belongs to no engagement",
                "put it in the folder of its Engagement file, or name the engagement with `engagement: ENGAGEMENT-ID`",
            )
            .of(doc.id.as_ref()),
        })
        .collect()
}
