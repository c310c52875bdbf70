//! Periodic review: an issued document is reviewed again within its kind's review cycle.

use super::{Context, Findings};
use crate::diag::RuleId;
use crate::model::{Corpus, Document};
use crate::record::{Register, RevisionRecord};
use crate::workspace::policy::Policy;
use chrono::NaiveDate;

/// An issued document past its review date.
pub struct Overdue<'a> {
    pub doc: &'a Document,
    /// Its last issued revision.
    pub record: &'a RevisionRecord,
    /// The revision's issue date plus the kind's review cycle.
    pub due: NaiveDate,
}

/// Every document whose last issued revision is past its review date on `today`, by ID. A
/// document being revised still counts: until the next release, the overdue revision is the one
/// in force. The management review lists the same documents.
pub fn overdue<'a>(corpus: &'a Corpus, register: &'a Register, policy: &Policy, today: NaiveDate) -> Vec<Overdue<'a>> {
    register
        .latest()
        .into_iter()
        .filter_map(|(id, record)| {
            let doc = corpus.get(id)?;
            let due = policy.next_review(doc.kind.name(), record.date)?;
            (today > due).then_some(Overdue { doc, record, due })
        })
        .collect()
}

/// Warns about every overdue document ([`overdue`]), as of today.
pub fn periodic_review(context: &Context, findings: &mut Findings) {
    for Overdue { doc, record, due } in overdue(context.corpus, context.register, context.policy, context.today) {
        let months = context.policy.review_cycle(doc.kind.name()).unwrap_or_default();
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
