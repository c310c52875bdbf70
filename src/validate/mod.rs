//! Step 2, validate: every document against its kind's JSON Schema, plus the structural checks
//! every later step relies on (unique IDs, each document belongs to an engagement).
//!
//! Schema errors are turned into findings a non-programmer can act on: they point at the node (for
//! a missing field, at the object that lacks it), list allowed values, and suggest the nearest
//! allowed name for a misspelt field.

mod messages;
pub mod schemas;
pub mod structure;

pub use messages::Target;
pub use schemas::Schemas;
pub use structure::Outlined;

use crate::diag::{Finding, RuleId};
use crate::model::{Corpus, Document};
use std::collections::HashSet;

/// All schema and structural findings for the corpus. Documents are validated on every core.
pub fn corpus(corpus: &Corpus, schemas: &Schemas) -> Vec<Finding> {
    let mut findings: Vec<Finding> = documents(corpus, schemas).into_iter().flatten().collect();
    findings.extend(structure::findings(&corpus.iter().map(Outlined::of).collect::<Vec<_>>()));
    findings
}

/// The schema findings of each document of the corpus, in its order, validated on every core.
pub fn documents(corpus: &Corpus, schemas: &Schemas) -> Vec<Vec<Finding>> {
    let docs: Vec<&Document> = corpus.iter().collect();
    crate::parallel::map(&docs, crate::parallel::default_workers(), |doc| document(doc, schemas))
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
