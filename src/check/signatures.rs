//! Signed approvals (`SIG-001` … `SIG-005`): each signature checked as `ssh-keygen -Y verify`
//! would check it, over the approval's statement, against the workspace's allowed signers; and
//! decisions left unsigned where the policy requires signatures.

use super::approvals::{current_approvals, describe};
use super::{Context, Findings};
use crate::diag::RuleId;
use crate::model::Document;
use crate::sign::{self, APPROVAL_NAMESPACE, ApprovalStatement, Claim, Refusal, Signature};
use serde_json::Value;

pub fn signed_approvals(context: &Context, findings: &mut Findings) {
    for doc in context.corpus.iter() {
        let approvals = doc.data.get("approvals").and_then(Value::as_array).into_iter().flatten();
        for (i, approval) in approvals.enumerate() {
            if let Some(armored) = approval.get("signature").and_then(Value::as_str) {
                signed(context, doc, i, approval, armored, findings);
            }
        }
        if context.policy.signatures.approvals_required(doc.kind.name()) {
            unsigned(doc, findings);
        }
    }
}

/// Every standing decision (approved or rejected) must be signed.
fn unsigned(doc: &Document, findings: &mut Findings) {
    for (i, approval) in current_approvals(doc) {
        let decided = matches!(approval.get("decision").and_then(Value::as_str), Some("approved" | "rejected"));
        if decided && approval.get("signature").is_none() {
            findings.add(
                RuleId::UnsignedApproval,
                doc,
                &format!("/approvals/{i}"),
                format!(
                    "the decision of {} is not signed, and the policy requires signed approvals",
                    describe(approval)
                ),
            );
        }
    }
}

fn signed(context: &Context, doc: &Document, i: usize, approval: &Value, armored: &str, findings: &mut Findings) {
    let Some(id) = doc.id.as_ref() else { return };
    let who = describe(approval);
    let refusal = match (Signature::parse(armored), ApprovalStatement::of_entry(id.as_str(), approval)) {
        (Err(problem), _) => Refusal::Invalid(format!("the signature of {who} cannot be checked: {problem}")),
        (_, Err(field)) => {
            Refusal::Invalid(format!("the signed approval of {who} has no `{field}`, which its signature covers"))
        }
        (Ok(signature), Ok(statement)) => {
            let text = statement.text();
            let claim = Claim {
                namespace: APPROVAL_NAMESPACE,
                message: text.as_bytes(),
                name: &statement.name,
                role: Some(&statement.role),
            };
            match sign::verify(context.signers, &signature, &claim) {
                Ok(()) => return,
                Err(refusal) => refusal,
            }
        }
    };
    let rule = match &refusal {
        Refusal::Invalid(_) => RuleId::InvalidSignature,
        Refusal::NotAllowed(_) => RuleId::SignerNotAllowed,
        Refusal::Revoked(_) => RuleId::RevokedKey,
        Refusal::Mismatch(_) => RuleId::SignatureMismatch,
    };
    let message = match refusal {
        Refusal::Invalid(m) => m,
        other => format!("{who}: {}", other.message()),
    };
    findings.add(rule, doc, &format!("/approvals/{i}/signature"), message);
}
