//! `engage verify [--expect-head HASH]`: proves the revision records unaltered (exit 0, printing
//! the register's head) or names every entry, snapshot and issued output that was edited,
//! removed, reordered or added out of band (exit 1).

use crate::app::Outcome;
use crate::cli::VerifyArgs;
use crate::error::Error;
use crate::record::{Digest, Records, verify};
use crate::workspace::Workspace;
use std::path::Path;

pub fn run(dir: Option<&Path>, args: &VerifyArgs) -> Result<Outcome, Error> {
    let expected = args.expect_head.as_deref().map(parse_head).transpose()?;
    let workspace = Workspace::find(dir)?;
    let records = Records::of(&workspace);
    // Nothing to lock, and nothing to create, where no revision was ever issued.
    let lock = if records.dir().is_dir() { Some(records.lock()?) } else { None };
    for message in lock.as_ref().map(|l| l.recover()).transpose()?.unwrap_or_default() {
        outln!("{message}");
    }
    let register = records.read()?;
    let mut verification = verify::verify(&workspace, &records, &register);
    if let Some(expected) = expected.filter(|e| *e != register.head()) {
        verification.problems.push(format!(
            "the register's head is {}, not the expected {expected}: entries were added, removed or rewritten since",
            register.head()
        ));
    }
    for problem in &verification.problems {
        outln!("error: {problem}");
    }
    if !verification.problems.is_empty() {
        let count = verification.problems.len();
        let problems = if count == 1 { "problem" } else { "problems" };
        outln!("{count} {problems} in the records: restore them from version control");
        return Ok(Outcome::ProblemsFound);
    }
    if verification.entries == 0 {
        outln!("no revision has been issued yet");
    } else {
        outln!(
            "verified {} of {}, their snapshots and {}",
            count(verification.entries, "entry", "entries"),
            count(verification.documents, "document", "documents"),
            count(verification.outputs, "issued output", "issued outputs"),
        );
    }
    outln!("head: {}", register.head());
    Ok(Outcome::Clean)
}

fn parse_head(text: &str) -> Result<Digest, Error> {
    text.trim().parse().map_err(|()| Error::Usage {
        message: format!("`{text}` is not a register head"),
        hint: "give the 64 hexadecimal digits `engage verify` printed after `head:`".into(),
    })
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
