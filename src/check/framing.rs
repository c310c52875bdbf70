//! How a statement of work presents itself: its document type.

use super::{Context, Findings};
use crate::diag::RuleId;
use crate::model::Kind;

/// The document types every workspace knows; engage.yaml's `document_types:` adds more.
pub const DOCUMENT_TYPES: [&str; 4] =
    ["Statement of Work", "Performance Work Statement", "Statement of Objectives", "Task Order"];

pub fn document_type_known(context: &Context, findings: &mut Findings) {
    for sow in context.of_kind(Kind::StatementOfWork) {
        let Some(written) = sow.text("document_type") else { continue };
        let known = DOCUMENT_TYPES.iter().copied().chain(context.document_types.iter().map(String::as_str));
        if known.clone().any(|t| t == written) {
            continue;
        }
        let near = crate::suggest::nearest(written, known.clone());
        let message = match near {
            Some(near) => format!("`{written}` is not a document type engage knows; did you mean `{near}`?"),
            None => format!("`{written}` is not a document type engage knows"),
        };
        let help = format!(
            "Use one of: {}; or add `{written}` to document_types: in engage.yaml.",
            known.collect::<Vec<_>>().join(", ")
        );
        findings.add_value(RuleId::DocumentTypeKnown, sow, "/document_type", message, &help);
    }
}
