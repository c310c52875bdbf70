//! `engage approve DOC-ID --role ROLE --name NAME`: records a decision in the document's
//! `approvals:` list, bound to the content it approves (`content_hash`, the digest of the
//! document's data without its approvals, so one approval never invalidates another).

use super::check::today;
use crate::app::Outcome;
use crate::cli::ApproveArgs;
use crate::error::Error;
use crate::output;
use crate::record::approve::{self, NewApproval};
use crate::record::content_digest;
use crate::workspace::{Workspace, display_path};
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
    let approval = NewApproval {
        role: args.role.trim().to_string(),
        name: args.name.trim().to_string(),
        date: args.date.unwrap_or_else(today).to_string(),
        decision: args.decision.as_str().to_string(),
        comment: args.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned),
        content: content_digest(&doc.data),
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
        doc.id.as_ref().map(ToString::to_string).unwrap_or_default(),
        approval.date,
        approval.content.prefixed()
    );
    outln!("  in {} (as {})", display_path(&doc.path), approval.role);
    Ok(Outcome::Clean)
}
