//! Periodic review: an issued document is reviewed again within its kind's review cycle.

use super::{Context, Findings};
use crate::diag::RuleId;

/// Warns about every document whose last issued revision is past its review date (its issue
/// date plus its kind's cycle), as of today. A document being revised still counts: until the
/// next release, the overdue revision is the one in force.
pub fn periodic_review(context: &Context, findings: &mut Findings) {
    for (id, record) in context.register.latest() {
        let Some(doc) = context.corpus.get(id) else { continue };
        let kind = doc.kind.name();
        let Some(due) = context.policy.next_review(kind, record.date) else { continue };
        if context.today > due {
            let months = context.policy.review_cycle(kind).unwrap_or_default();
            findings.add(
                RuleId::ReviewDue,
                doc,
                "/id",
                format!(
                    "revision {} was issued on {} and was due for its periodic review on {due} (every {months} months)",
                    record.revision, record.date
                ),
            );
        }
    }
}
