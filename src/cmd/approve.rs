//! `engage approve DOC-ID --role ROLE --name NAME [--sign [KEY]]`: records a decision in the
//! document's `approvals:` list, bound to the content it approves (`content_hash`, the digest of
//! the document's data without its approvals, so one approval never invalidates another), and
//! signed with the approver's SSH key when asked. `--statement` and `--signature` print what a
//! recorded signed approval covers and its signature, for `ssh-keygen -Y verify`.

use super::check::today;
use crate::cli::ApproveArgs;
use crate::cmd::Outcome;
use crate::diag::display_path;
use crate::error::Error;
use crate::model::Document;
use crate::output;
use crate::record::approve::{self, NewApproval};
use crate::record::content_digest;
use crate::sign::{self, APPROVAL_NAMESPACE, ApprovalStatement, Claim, KeySource, MEANING_APPROVED, MEANING_REJECTED};
use crate::workspace::Workspace;
use serde_json::Value;
use std::path::Path;

pub fn run(dir: Option<&Path>, args: &ApproveArgs) -> Result<Outcome, Error> {
    let workspace = Workspace::find(dir)?;
    let (loaded, _) = super::load_and_validate(&workspace)?;
    let doc = super::find_document(&loaded, &args.id)?;
    for (what, value) in [("role", &args.role), ("name", &args.name)] {
        if value.trim().is_empty() {
            return Err(Error::Usage { message: format!("the {what} is empty"), hint: format!("give --{what}") });
        }
    }
    if args.statement || args.signature {
        return show(doc, args);
    }
    let given_meaning = args.meaning.as_deref().map(str::trim).filter(|m| !m.is_empty()).map(str::to_owned);
    let default_meaning = || if args.decision.as_str() == "approved" { MEANING_APPROVED } else { MEANING_REJECTED };
    let mut approval = NewApproval {
        role: args.role.trim().to_string(),
        name: args.name.trim().to_string(),
        date: args.date.unwrap_or_else(today).to_string(),
        decision: args.decision.as_str().to_string(),
        comment: args.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned),
        content: content_digest(&doc.data),
        meaning: given_meaning.or_else(|| args.sign.is_some().then(|| default_meaning().to_string())),
        signed: None,
    };
    let id = doc.id.as_ref().map(ToString::to_string).unwrap_or_default();
    let fingerprint = match &args.sign {
        Some(key) => Some(sign_approval(&workspace, &id, &mut approval, KeySource::of(key.as_deref()))?),
        None => None,
    };
    let path = workspace.root.join(&doc.path);
    let raw = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
    let bom = if raw.starts_with("\u{feff}".as_bytes()) { "\u{feff}" } else { "" };
    let text = &loaded.sources.get(doc.file).text;
    let edited = approve::append(text, &approval).map_err(|message| Error::Usage {
        message: format!("cannot add the approval to {}: {message}", display_path(&doc.path)),
        hint: "add it by hand, or correct the file so that `approvals:` is a list".into(),
    })?;
    output::write_atomic(&path, format!("{bom}{edited}").as_bytes())?;
    outln!(
        "recorded: {} {} {} on {}, bound to content {}",
        approval.name,
        approval.decision,
        id,
        approval.date,
        approval.content.prefixed()
    );
    outln!("  in {} (as {})", display_path(&doc.path), approval.role);
    if let (Some(fingerprint), Some((at, _)), Some(meaning)) = (fingerprint, &approval.signed, &approval.meaning) {
        outln!("  signed at {at} with key {fingerprint}: {meaning}");
    }
    Ok(Outcome::Clean)
}

/// Signs the approval's statement now, and refuses a signature that `engage check` would refuse
/// (a key not allowed for this person or role, or revoked), so none is recorded. Returns the key's
/// fingerprint.
fn sign_approval(workspace: &Workspace, id: &str, approval: &mut NewApproval, key: KeySource) -> Result<String, Error> {
    let signed_at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let statement = ApprovalStatement {
        document: id.to_string(),
        content: approval.content.prefixed(),
        role: approval.role.clone(),
        name: approval.name.clone(),
        decision: approval.decision.clone(),
        meaning: approval.meaning.clone().unwrap_or_default(),
        date: approval.date.clone(),
        signed_at: signed_at.clone(),
    };
    let text = statement.text();
    let signature = key.sign(APPROVAL_NAMESPACE, text.as_bytes(), &workspace.signers, &approval.name)?;
    let claim = Claim {
        namespace: APPROVAL_NAMESPACE,
        message: text.as_bytes(),
        name: &approval.name,
        role: Some(&approval.role),
    };
    sign::verify(&workspace.signers, &signature, &claim).map_err(|refusal| Error::Signing {
        message: format!("{}; nothing was recorded", refusal.message()),
        hint: format!("sign with a key listed for {} as {} in {}", approval.name, approval.role, sign::SIGNERS_FILE),
    })?;
    approval.signed = Some((signed_at, format!("{}\n", signature.armored().trim_end())));
    Ok(signature.fingerprint())
}

/// `--statement` or `--signature`: the standing signed approval by NAME as ROLE.
fn show(doc: &Document, args: &ApproveArgs) -> Result<Outcome, Error> {
    let id = doc.id.as_ref().map(ToString::to_string).unwrap_or_default();
    let same = |a: &Value, field: &str, value: &str| {
        a.get(field).and_then(Value::as_str).is_some_and(|v| v.trim().to_lowercase() == value.trim().to_lowercase())
    };
    let approvals = doc.data.get("approvals").and_then(Value::as_array).into_iter().flatten();
    let approval = approvals.rev().find(|a| same(a, "role", &args.role) && same(a, "name", &args.name));
    let approval = approval.ok_or_else(|| Error::Usage {
        message: format!("{id} has no approval by {} as {}", args.name.trim(), args.role.trim()),
        hint: "give the role and name as the approval writes them".into(),
    })?;
    let unsigned = |what: &str| {
        Error::Usage {
        message: format!("the approval by {} as {} on {id} has no {what}", args.name.trim(), args.role.trim()),
        hint: "sign it with `engage approve ... --sign [KEY]`, or add `meaning:`, `signed_at:` and `signature:` made with `ssh-keygen -Y sign -n engage-approval`".into(),
    }
    };
    if args.signature {
        let signature = approval.get("signature").and_then(Value::as_str).ok_or_else(|| unsigned("signature"))?;
        out!("{signature}");
    } else {
        let statement = ApprovalStatement::of_entry(&id, approval).map_err(|field| unsigned(&format!("`{field}`")))?;
        out!("{}", statement.text());
    }
    Ok(Outcome::Clean)
}
