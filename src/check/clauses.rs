//! Clauses cited from the clause library: held by the library, and in its current version.

use super::{Context, Findings};
use crate::diag::RuleId;
use serde_json::Value;

pub fn cited_clauses(context: &Context, findings: &mut Findings) {
    for doc in context.corpus.iter() {
        let cited = doc.data.get("clauses").and_then(Value::as_array).into_iter().flatten();
        for (i, reference) in cited.enumerate() {
            let id = reference.get("id").and_then(Value::as_str).unwrap_or_default();
            let version = reference.get("version").and_then(Value::as_u64).unwrap_or_default();
            let Some(clause) = context.clauses.get(id) else {
                let message = format!("the clause library has no clause {id} (clauses/{id}.md)");
                findings.add_value(
                    RuleId::ClauseCited,
                    doc,
                    &format!("/clauses/{i}/id"),
                    message,
                    RuleId::ClauseCited.info().fix,
                );
                continue;
            };
            let pointer = format!("/clauses/{i}/version");
            let current = clause.version;
            if version > current {
                let message = format!("clause {id} has no version {version}: the library's is version {current}");
                findings.add_value(RuleId::ClauseCited, doc, &pointer, message, RuleId::ClauseCited.info().fix);
            } else if version < current {
                let message = format!(
                    "clause {id} is cited in version {version}, but the library's is version {current}: the document prints version {current}"
                );
                findings.add_value(RuleId::ClauseCurrent, doc, &pointer, message, RuleId::ClauseCurrent.info().fix);
            }
        }
    }
}
